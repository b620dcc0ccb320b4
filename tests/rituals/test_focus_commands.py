"""The `/ritme focus`, `/ritme core` and `/ritme meet-check` grammar: what works, and bad input refused."""

from __future__ import annotations

from datetime import date, time

import pytest

from rituals.calendar_commands import CalendarRevoke, CalendarShow
from rituals.commands import Help, parse
from rituals.focus_commands import (
    CoreOff,
    CoreSet,
    CoreShow,
    FocusAdd,
    FocusList,
    FocusRemove,
    MeetCheck,
)
from tests.rituals.refusals import assert_refused_with_working_examples

TODAY = date(2026, 11, 23)


def test_focus_add_reads_days_a_range_a_quoted_label_quiet_and_a_zone() -> None:
    assert parse('/ritme focus add wed 13:00-17:00 "focus afternoon"', TODAY) == FocusAdd(
        days=(2,), start=time(13, 0), end=time(17, 0), label="focus afternoon")
    assert parse("focus add on mon-fri 12:00-13:00 quiet zone America/New_York", TODAY) == FocusAdd(
        days=(0, 1, 2, 3, 4), start=time(12, 0), end=time(13, 0), remind=False, timezone="America/New_York")
    assert parse("focus add mon,wed 9.00-10.30 “Lunch walk” stil", TODAY) == FocusAdd(
        days=(0, 2), start=time(9, 0), end=time(10, 30), label="Lunch walk", remind=False)
    assert parse("focus toevoegen ma-vr 12:00-13:00", TODAY) == FocusAdd(
        days=(0, 1, 2, 3, 4), start=time(12, 0), end=time(13, 0))


def test_focus_list_remove_and_help() -> None:
    assert parse("focus list", TODAY) == FocusList()
    assert parse("focus remove 3", TODAY) == FocusRemove(3)
    assert parse("focus delete #4", TODAY) == FocusRemove(4)
    assert parse("focus", TODAY) == Help("focus")
    assert parse("focus help", TODAY) == Help("focus")


def test_core_sets_shows_and_turns_off() -> None:
    assert parse("/ritme core 10:00-12:00 14:00-16:00", TODAY) == CoreSet(
        ranges=((time(10, 0), time(12, 0)), (time(14, 0), time(16, 0))), days=(0, 1, 2, 3, 4))
    assert parse("core 14:00-16:00 10:00-12:00 on mon-thu zone Asia/Kolkata", TODAY) == CoreSet(
        ranges=((time(10, 0), time(12, 0)), (time(14, 0), time(16, 0))), days=(0, 1, 2, 3),
        timezone="Asia/Kolkata")
    assert parse("core", TODAY) == CoreShow()
    assert parse("core list", TODAY) == CoreShow()
    assert parse("core off", TODAY) == CoreOff()
    assert parse("core help", TODAY) == Help("core")


def test_meet_check_takes_a_weekday_or_a_date_a_time_and_a_duration() -> None:
    assert parse("/ritme meet-check tue 12:30 45m", TODAY) == MeetCheck(day=1, at=time(12, 30), minutes=45)
    assert parse("meetcheck 2026-12-08 at 09:00 for 1h30", TODAY) == MeetCheck(
        day=date(2026, 12, 8), at=time(9, 0), minutes=90)
    assert parse("meet-check do 16:00 1h", TODAY) == MeetCheck(day=3, at=time(16, 0), minutes=60)
    assert parse("meet-check fri 10:00 30", TODAY) == MeetCheck(day=4, at=time(10, 0), minutes=30)
    assert parse("meet-check", TODAY) == Help("meet-check")


def test_the_word_calendar_goes_to_the_calendar_feed() -> None:
    assert parse("focus calendar", TODAY) == CalendarShow()
    assert parse("focus calendar revoke", TODAY) == CalendarRevoke()


@pytest.mark.parametrize(("text", "key"), [
    ("focus add", "error.focus_when"),
    ("focus add wed", "error.focus_when"),
    ("focus add someday 13:00-17:00", "error.days"),
    ("focus add wed 13:00", "error.focus_range"),
    ("focus add wed 17:00-13:00", "error.focus_range_order"),
    ("focus add wed 13:00-25:00", "error.time"),
    ('focus add wed 13:00-17:00 "focus afternoon', "error.focus_quote"),
    ('focus add wed 13:00-17:00 ""', "error.focus_label_empty"),
    ('focus add wed 13:00-17:00 "' + "x" * 201 + '"', "error.focus_label_long"),
    ('focus add wed 13:00-17:00 "a" "b"', "error.focus_repeated"),
    ("focus add wed 13:00-17:00 focus afternoon", "error.focus_option"),
    ("focus add wed 13:00-17:00 zone", "error.focus_missing"),
    ("focus add wed 13:00-17:00 zone Mars/Olympus", "error.zone"),
    ("focus list all", "error.focus_extra"),
    ("focus remove", "error.focus_id"),
    ("focus remove lunch", "error.focus_id"),
    ("focus dance", "error.unknown_subcommand"),
    ("core 10:00-12:00 11:00-13:00", "error.core_overlap"),
    ("core 10:00-11:00 11:00-12:00 12:00-13:00 13:00-14:00 14:00-15:00", "error.core_many"),
    ("core 12:00-10:00", "error.focus_range_order"),
    ("core 10:00-12:00 daily", "error.core_option"),
    ("core 10:00-12:00 on", "error.focus_missing"),
    ("core 10:00-12:00 on someday", "error.days"),
    ("core off now", "error.focus_extra"),
    ("core sometimes", "error.unknown_subcommand"),
    ("meet-check tue 12:30", "error.meet_usage"),
    ("meet-check someday 12:30 45m", "error.meet_day"),
    ("meet-check tue noon 45m", "error.time"),
    ("meet-check tue 12:30 45x", "error.meet_duration"),
    ("meet-check tue 12:30 9h", "error.meet_duration"),
    ("meet-check tue 12:30 2m", "error.meet_duration"),
])
def test_malformed_commands_are_refused_with_an_example_that_works(text: str, key: str) -> None:
    assert_refused_with_working_examples(text, key, TODAY, ("/ritme focus", "/ritme core", "/ritme meet-check"))
