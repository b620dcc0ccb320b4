"""The right to disconnect: one policy, used by every ritual, for when Ritme may message a member privately.

A member is reachable on a working day of theirs that is not a public holiday of their country and not a day they
said they are away, between their start and end of work in their own zone. Overnight hours (22:00-06:00) belong to
the day they start on, as in rituals.pairing. Messages that answer a member's own command or click are not held
back by this policy (they asked); everything Ritme sends on a schedule is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache

import holidays

from rituals.model import Member
from rituals.schedule import local_date, local_instant

HolidayCalendar = Callable[[str, date], bool]
"""Whether a local date is a public holiday in a country (ISO 3166 alpha-2)."""

DEFAULT_COUNTRY = "NL"
# Without an `until`, a search for the next working window stops after this long: someone away for a year or whose
# days are all holidays is simply not reachable, rather than searched for ever.
SEARCH_DAYS = 400


class Unreachable(StrEnum):
    """Why a member may not be messaged at a moment; the value is what a skip is recorded with."""

    AWAY = "away"
    HOLIDAY = "holiday"
    DAY_OFF = "day_off"
    OFF_HOURS = "off_hours"


@lru_cache(maxsize=1)
def known_countries() -> frozenset[str]:
    """The country codes the holidays package has calendars for."""
    return frozenset(holidays.list_supported_countries())


def is_known_country(code: str) -> bool:
    """True for an ISO 3166 alpha-2 code with a holiday calendar, such as NL or BE."""
    return code.upper() in known_countries()


# The package builds a year's calendar on first use; a process keeps each (country, year) it has needed.
@lru_cache(maxsize=512)
def _public_holidays(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, years=year).keys())


def public_holiday(country: str, day: date) -> bool:
    """True when `day` is a public holiday in `country` (a code is_known_country accepts)."""
    return day in _public_holidays(country.upper(), day.year)


class Boundaries:
    """When Ritme may message a member privately; pure, so every ritual and every test can ask it."""

    def __init__(self, *, default_country: str = DEFAULT_COUNTRY, is_holiday: HolidayCalendar = public_holiday):
        self._default_country = default_country.upper()
        self._is_holiday = is_holiday

    def country_of(self, member: Member) -> str:
        """The member's own country, or the default when they set none."""
        return member.country or self._default_country

    def day_closed(self, member: Member, day: date) -> Unreachable | None:
        """Why the member does not work on their local `day` at all, or None when it is a working day for them."""
        if member.is_away_on(day):
            return Unreachable.AWAY
        if not member.works_on(day):
            return Unreachable.DAY_OFF
        if self._is_holiday(self.country_of(member), day):
            return Unreachable.HOLIDAY
        return None

    def holidays(self, member: Member, start: date, days: int) -> frozenset[date]:
        """The public holidays of the member's country among the `days` local dates from `start`."""
        country = self.country_of(member)
        dates = (start + timedelta(days=offset) for offset in range(days))
        return frozenset(day for day in dates if self._is_holiday(country, day))

    def works_on(self, member: Member, day: date) -> bool:
        """True when the member's local `day` is a working day: theirs, not away, not a public holiday."""
        return self.day_closed(member, day) is None

    def _window(self, member: Member, day: date) -> tuple[datetime, datetime] | None:
        """The member's working window that starts on their local `day` (UTC), None on a closed day."""
        if member.work_start == member.work_end or not self.works_on(member, day):
            return None
        end_day = day if member.work_end > member.work_start else day + timedelta(days=1)
        begin = local_instant(day, member.work_start, member.timezone)
        end = local_instant(end_day, member.work_end, member.timezone)
        return (begin, end) if end > begin else None

    def why_not(self, member: Member, at: datetime) -> Unreachable | None:
        """Why the member may not be messaged at `at`, or None when they may."""
        today = local_date(at, member.timezone)
        for day in (today - timedelta(days=1), today):  # yesterday's overnight hours may still be running
            window = self._window(member, day)
            if window is not None and window[0] <= at < window[1]:
                return None
        return self.day_closed(member, today) or Unreachable.OFF_HOURS

    def reachable(self, member: Member, at: datetime) -> bool:
        """True when messaging the member at `at` respects their days, hours, holidays and time away."""
        return self.why_not(member, at) is None

    def next_reachable(self, member: Member, after: datetime, until: datetime | None = None) -> datetime | None:
        """`after` itself when the member is reachable then, else the start of their next working window;
        None when that is not before `until` (or not within SEARCH_DAYS)."""
        first = local_date(after, member.timezone) - timedelta(days=1)
        last = local_date(until, member.timezone) if until is not None else first + timedelta(days=SEARCH_DAYS)
        day = first
        while day <= last:
            window = self._window(member, day)
            if window is not None and window[1] > after:
                found = max(window[0], after)
                return found if until is None or found < until else None
            day += timedelta(days=1)
        return None
