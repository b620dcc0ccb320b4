"""The meeting check across three time zones: windows, core hours, members' own hours and days, suggestions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from rituals.boundaries import Boundaries
from rituals.focus import check_slot, next_date, suggest_slots
from rituals.model import CoreHoursSettings, FocusSettings, Member, Ritual, RitualKind, RitualSettings
from tests.rituals.harness import FakeClock, Harness, Person

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # Monday 7 December 2026, 09:00 in Amsterdam
TUESDAY = date(2026, 12, 8)
RULES = Boundaries(default_country="NL")  # members without a country of their own keep Dutch holidays


def member(member_id: int, name: str, zone: str, start: time = time(9, 0), end: time = time(17, 30),
           away_until: date | None = None, country: str = "") -> Member:
    return Member(id=member_id, platform="local", workspace_id="w1", user_id=name.lower(), display_name=name,
                  timezone=zone, locale="en", work_days=(0, 1, 2, 3, 4), work_start=start, work_end=end,
                  away_until=away_until, country=country)


def ritual(ritual_id: int, kind: RitualKind, at: time, settings: RitualSettings) -> Ritual:
    return Ritual(id=ritual_id, team_id=1, kind=kind, at=at, days=(0, 1, 2, 3, 4), timezone="Europe/Amsterdam",
                  locale="en", paused=False, settings=settings, created_by=1)


AMSTERDAM = member(1, "Anna", "Europe/Amsterdam")
NEW_YORK = member(2, "Noah", "America/New_York", country="US")
KOLKATA = member(3, "Kiran", "Asia/Kolkata", start=time(12, 0), end=time(21, 0), country="IN")
TEAM = [AMSTERDAM, NEW_YORK, KOLKATA]
LUNCH = ritual(10, RitualKind.FOCUS, time(12, 0), FocusSettings(until=time(13, 0), label="lunch walk"))
CORE = ritual(11, RitualKind.CORE_HOURS, time(10, 0),
              CoreHoursSettings(ranges=((time(10, 0), time(12, 0)), (time(14, 0), time(16, 0)))))


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


def test_a_lunchtime_slot_hits_the_window_misses_core_hours_and_is_too_early_for_new_york() -> None:
    start = utc(8, 11, 30)  # Tuesday 12:30 in Amsterdam, 06:30 in New York, 17:00 in Kolkata
    found = check_slot(start, 45, windows=[LUNCH], core=CORE, members=TEAM, boundaries=RULES)
    assert not found.fits
    assert found.windows == (LUNCH,)
    assert found.outside_core
    [clash] = found.clashes
    assert (clash.member, clash.reason) == (NEW_YORK, "hours")
    assert (clash.local_start.time(), clash.local_end.time()) == (time(6, 30), time(7, 15))


def test_the_suggestions_are_the_nearest_slots_that_fit_everyone() -> None:
    # Everyone overlaps 14:00-15:30 UTC and core hours end 15:00 UTC: a 45-minute meeting starts 14:00 or 14:15.
    suggested = suggest_slots(utc(8, 11, 30), 45, windows=[LUNCH], core=CORE, members=TEAM, boundaries=RULES, now=NOW)
    assert suggested == [utc(7, 14, 15), utc(8, 14, 0), utc(8, 14, 15)]
    for slot in suggested:
        assert check_slot(slot, 45, windows=[LUNCH], core=CORE, members=TEAM, boundaries=RULES).fits
    assert check_slot(utc(8, 14, 0), 60, windows=[LUNCH], core=CORE, members=TEAM, boundaries=RULES).fits
    # 14:15 for an hour runs past core hours
    assert not check_slot(utc(8, 14, 15), 60, windows=[LUNCH], core=CORE, members=TEAM, boundaries=RULES).fits


def test_an_away_member_is_named_and_the_suggestions_wait_for_them() -> None:
    away = member(3, "Kiran", "Asia/Kolkata", start=time(12, 0), end=time(21, 0), away_until=TUESDAY)
    team = [AMSTERDAM, NEW_YORK, away]
    found = check_slot(utc(8, 14, 0), 45, windows=[LUNCH], core=CORE, members=team, boundaries=RULES)
    assert [(clash.member.display_name, clash.reason) for clash in found.clashes] == [("Kiran", "away")]
    assert suggest_slots(utc(8, 14, 0), 45, windows=[LUNCH], core=CORE, members=team, boundaries=RULES, now=NOW) == [
        utc(9, 14, 0), utc(9, 14, 15), utc(10, 14, 0)]


def test_a_day_off_and_no_core_hours() -> None:
    saturday = utc(12, 14, 0)
    found = check_slot(saturday, 30, windows=[], core=None, members=TEAM, boundaries=RULES)
    assert not found.outside_core and not found.windows
    assert {clash.reason for clash in found.clashes} == {"day"}
    assert next_date(1, time(12, 30), "Europe/Amsterdam", NOW) == TUESDAY
    assert next_date(0, time(8, 0), "Europe/Amsterdam", NOW) == date(2026, 12, 14)  # Monday 08:00 has passed


@pytest.mark.asyncio
async def test_meet_check_answers_privately_in_the_askers_zone_and_language(harness: Harness,
                                                                            clock: FakeClock) -> None:
    clock.set(NOW)
    lead = Person("lead", "Lea", "Europe/Amsterdam", "en")
    noah = Person("noah", "Noah", "America/New_York", "en")
    kiran = Person("kiran", "Kiran", "Asia/Kolkata", "nl")
    for person in (lead, noah, kiran):
        await harness.join(person)
    await harness.command(kiran, "me hours 12:00-21:00")
    await harness.command(lead, 'focus add mon-fri 12:00-13:00 "lunch walk" quiet')
    await harness.command(lead, "core 10:00-12:00 14:00-16:00")
    before = await harness.snapshot()
    # 06:30 in New York is 12:30 in Amsterdam, the team's lunch walk, and 17:00 in Kolkata.
    assert await harness.reply_text(noah, "meet-check tue 06:30 45m") == "\n".join([
        "Tuesday 8 December, 06:30-07:15 (America/New_York, 45 min) does not fit everyone:",
        "• it falls in the no-meeting window Lunch walk (Mon-Fri 12:00-13:00, Europe/Amsterdam)",
        "• it is outside core hours (10:00-12:00, 14:00-16:00 on Mon-Fri, Europe/Amsterdam)",
        "• it is outside Noah's working hours (09:00-17:30, America/New_York): for them it is Tuesday 8 December, "
        "06:30-07:15",
        "Nearest slots of 45 min that fit everyone (your time, America/New_York):",
        "• Monday 7 December, 09:15-10:00",
        "• Tuesday 8 December, 09:00-09:45",
        "• Tuesday 8 December, 09:15-10:00",
    ])
    late = await harness.reply_text(lead, "meet-check tue 17:00 1h")  # 11:00 in New York, 21:30 in Kolkata
    assert "• it is outside Kiran's working hours (12:00-21:00, Asia/Kolkata): for them it is Tuesday 8 December, " \
           "21:30-22:30" in late
    assert "Noah" not in late
    assert await harness.reply_text(kiran, "meet-check 2026-12-08 19:30 45m") == (
        "dinsdag 8 december, 19:30-20:15 (Asia/Kolkata, 45 min) past: geen vergadervrij blok, niet buiten de "
        "kerntijden en binnen ieders werktijden.")
    assert await harness.snapshot() == before


def test_kings_day_is_a_holiday_for_the_dutch_member_only_and_the_suggestions_skip_it() -> None:
    kings_day = datetime(2027, 4, 27, 13, 0, tzinfo=UTC)  # Tuesday 15:00 in Amsterdam, 09:00 in New York
    found = check_slot(kings_day, 30, windows=[], core=None, members=TEAM, boundaries=RULES)
    assert [(clash.member.display_name, clash.reason) for clash in found.clashes] == [("Anna", "holiday")]
    monday = datetime(2027, 4, 26, 8, 0, tzinfo=UTC)
    suggested = suggest_slots(kings_day, 30, windows=[], core=None, members=TEAM, boundaries=RULES, now=monday)
    assert suggested and all(slot.date() != kings_day.date() for slot in suggested)


async def test_the_meeting_check_names_a_public_holiday_in_each_language(harness: Harness, clock: FakeClock) -> None:
    clock.set(NOW)
    lead = Person("lead", "Lea", "Europe/Amsterdam", "en")
    kiran = Person("kiran", "Kiran", "Asia/Kolkata", "nl")
    for person in (lead, kiran):
        await harness.join(person)
    await harness.command(kiran, "me country IN")
    await harness.command(kiran, "me hours 12:00-21:00")
    await harness.command(lead, "core 10:00-12:00 14:00-16:00")
    english = await harness.reply_text(lead, "meet-check 2027-04-27 14:00 30m")
    assert "• it is a public holiday for Lea (Tuesday 27 April, 14:00-14:30 for them)" in english
    dutch = await harness.reply_text(kiran, "meet-check 2027-04-27 17:30 30m")  # 14:00 in Amsterdam
    assert "• het is een feestdag voor Lea (dinsdag 27 april, 14:00-14:30 voor hen)" in dutch
    assert "Kiran" not in english + dutch  # India has no holiday that day, and it is within her hours
