"""The right-to-disconnect policy on its own: days, hours, holidays, time away, and the next working window."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from rituals.boundaries import Boundaries, Unreachable, is_known_country, public_holiday
from rituals.model import Member

POLICY = Boundaries(default_country="NL")


def member(country: str = "", zone: str = "Europe/Amsterdam", **changes: object) -> Member:
    fields: dict[str, object] = dict(
        id=1, platform="local", workspace_id="w", user_id="anna", display_name="Anna", timezone=zone, locale="nl",
        work_days=(0, 1, 2, 3, 4), work_start=time(9, 0), work_end=time(17, 30), away_until=None, country=country,
    )
    fields.update(changes)
    return Member(**fields)  # type: ignore[arg-type]


def test_kings_day_is_a_holiday_in_the_netherlands_not_in_belgium() -> None:
    # Tuesday 27 April 2027, 10:00 in Amsterdam and Brussels alike.
    kings_day = datetime(2027, 4, 27, 8, 0, tzinfo=UTC)
    assert public_holiday("NL", date(2027, 4, 27)) and not public_holiday("BE", date(2027, 4, 27))
    assert POLICY.why_not(member("NL"), kings_day) is Unreachable.HOLIDAY
    assert POLICY.why_not(member(), kings_day) is Unreachable.HOLIDAY  # no country of their own: the default, NL
    assert POLICY.reachable(member("BE", zone="Europe/Brussels"), kings_day)
    assert Boundaries(default_country="BE").reachable(member(), kings_day)


def test_weekend_hours_and_time_away() -> None:
    anna = member()
    assert POLICY.why_not(anna, datetime(2026, 11, 28, 10, 0, tzinfo=UTC)) is Unreachable.DAY_OFF  # a Saturday
    assert POLICY.why_not(anna, datetime(2026, 11, 23, 7, 59, tzinfo=UTC)) is Unreachable.OFF_HOURS  # 08:59
    assert POLICY.reachable(anna, datetime(2026, 11, 23, 8, 0, tzinfo=UTC))  # 09:00 sharp
    assert POLICY.why_not(anna, datetime(2026, 11, 23, 16, 30, tzinfo=UTC)) is Unreachable.OFF_HOURS  # 17:30
    away = member(away_until=date(2026, 11, 24))
    assert POLICY.why_not(away, datetime(2026, 11, 24, 10, 0, tzinfo=UTC)) is Unreachable.AWAY
    assert POLICY.reachable(away, datetime(2026, 11, 25, 10, 0, tzinfo=UTC))


def test_overnight_hours_belong_to_the_day_they_start() -> None:
    night = member(work_start=time(22, 0), work_end=time(6, 0))
    # Friday 27 November 2026 23:00 and Saturday 05:00 in Amsterdam: the Friday shift.
    assert POLICY.reachable(night, datetime(2026, 11, 27, 22, 0, tzinfo=UTC))
    assert POLICY.reachable(night, datetime(2026, 11, 28, 4, 0, tzinfo=UTC))
    assert not POLICY.reachable(night, datetime(2026, 11, 28, 22, 0, tzinfo=UTC))  # Saturday night: no shift


def test_next_reachable_across_a_weekend() -> None:
    anna = member()
    friday_evening = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
    assert POLICY.next_reachable(anna, friday_evening) == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday 09:00
    assert POLICY.next_reachable(anna, friday_evening, until=datetime(2026, 11, 30, 8, 0, tzinfo=UTC)) is None
    during = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    assert POLICY.next_reachable(anna, during) == during  # reachable now: now


def test_next_reachable_across_easter_and_the_dst_switch() -> None:
    # Thursday 25 March 2027 after work; Good Friday and Easter Monday are Dutch holidays, and clocks go forward on
    # Sunday 28 March, so Tuesday 09:00 is 07:00 UTC rather than 08:00.
    after = datetime(2027, 3, 25, 17, 0, tzinfo=UTC)
    assert POLICY.next_reachable(member("NL"), after) == datetime(2027, 3, 30, 7, 0, tzinfo=UTC)
    # In Belgium Good Friday is a working day.
    assert POLICY.next_reachable(member("BE", zone="Europe/Brussels"), after) == datetime(2027, 3, 26, 8, 0,
                                                                                           tzinfo=UTC)


def test_next_reachable_across_kings_day_and_time_away() -> None:
    after = datetime(2027, 4, 26, 18, 0, tzinfo=UTC)  # Monday evening before King's Day
    assert POLICY.next_reachable(member("NL"), after) == datetime(2027, 4, 28, 7, 0, tzinfo=UTC)
    away = member(away_until=date(2027, 5, 3))
    assert POLICY.next_reachable(away, after) == datetime(2027, 5, 4, 7, 0, tzinfo=UTC)
    assert POLICY.next_reachable(member(work_days=()), after) is None  # no working day at all: never


def test_country_codes() -> None:
    assert is_known_country("NL") and is_known_country("be")
    assert not is_known_country("XX") and not is_known_country("Netherlands")
