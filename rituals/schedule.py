"""Local wall-clock times to UTC instants, with the DST policy the design asks for."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


@lru_cache(maxsize=1024)
def zone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name; cached because the fan-out asks for the same few zones many times."""
    return ZoneInfo(name)


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    # "localtime" is the host's own zone file, not a name that means the same place everywhere.
    return frozenset(available_timezones()) - {"localtime"}


def is_valid_zone(name: str) -> bool:
    """True for an IANA zone name such as Europe/Amsterdam."""
    if name not in _known_zones():
        return False
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def local_instant(day: date, at: time, tz: str) -> datetime:
    """The UTC instant of wall-clock `at` on `day` in `tz`.

    fold=0 gives both halves of the DST policy: a time inside the spring-forward gap (02:30 in
    Europe/Amsterdam on 2026-03-29) is read with the offset before the gap, which lands after it (03:30);
    a time repeated in autumn is read as its first occurrence, and the once-per-date key stops a second.
    """
    return datetime.combine(day, at, tzinfo=zone(tz)).astimezone(UTC)


def local_date(instant: datetime, tz: str) -> date:
    """The calendar date in `tz` at a UTC instant."""
    return instant.astimezone(zone(tz)).date()


def local_time(instant: datetime, tz: str) -> time:
    """The wall-clock time in `tz` at a UTC instant."""
    return instant.astimezone(zone(tz)).time()


def dates_around(instant: datetime, tz: str, days_ahead: int = 1) -> list[date]:
    """Today and the next `days_ahead` dates in `tz`, the window the planner keeps filled."""
    today = local_date(instant, tz)
    return [today + timedelta(days=offset) for offset in range(days_ahead + 1)]
