"""The team calendar feed: the iCalendar file read back with icalendar, and `/ritme focus calendar [revoke]`."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from rituals.calendar import CalendarFeedRituals, team_feed, token_hash
from rituals.calendar_commands import CalendarRevoke, CalendarShow
from rituals.catalog import Catalog
from rituals.commands import CommandError, parse
from rituals.model import (
    BorrelSettings,
    CoffeeMachineSettings,
    CoffeeSettings,
    CoreHoursSettings,
    FocusSettings,
    PulseSettings,
    Ritual,
    RitualKind,
    RitualSettings,
    StandupSettings,
)
from rituals.ports import NewRitual
from storage.calendar import SqlCalendarFeeds
from tests.rituals.harness import ANNA, BEN, Harness

CATALOG = Catalog()
MONDAY = date(2026, 11, 23)
STAMP = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
LINK = re.compile(r"https://ritme\.example/calendar/([A-Za-z0-9_-]+)\.ics")


def ritual(id_: int, kind: RitualKind, at: time, days: tuple[int, ...], settings: RitualSettings,
           zone: str = "Europe/Amsterdam", locale: str = "nl", paused: bool = False) -> Ritual:
    return Ritual(id=id_, team_id=1, kind=kind, at=at, days=days, timezone=zone, locale=locale, paused=paused,
                  settings=settings, created_by=1)


def team_rituals(zone: str, locale: str = "nl") -> list[Ritual]:
    """A window on Wednesday afternoons, core hours in two ranges, a daily stand-up and a Friday borrel."""
    return [
        ritual(1, RitualKind.STANDUP, time(9, 30), (0, 1, 2, 3, 4), StandupSettings(digest_at=time(11, 0)), zone,
               locale),
        ritual(2, RitualKind.FOCUS, time(13, 0), (2,),
               FocusSettings(until=time(17, 0), label="focus; middag, \"diep\" werk\nniet storen"), zone, locale),
        ritual(3, RitualKind.CORE_HOURS, time(10, 0), (0, 1, 2, 3, 4),
               CoreHoursSettings(ranges=((time(10, 0), time(12, 0)), (time(14, 0), time(16, 0)))), zone, locale),
        ritual(4, RitualKind.BORREL, time(16, 30), (4,),
               BorrelSettings(link="https://meet.example/borrel", every_weeks=2, anchor=MONDAY, minutes=45), zone,
               locale),
        ritual(5, RitualKind.PULSE, time(14, 0), (4,),
               PulseSettings(anchor=MONDAY, closes_at=time(12, 0)), zone, locale, paused=True),
    ]


def feed(rituals: list[Ritual], locale: str = "nl") -> Calendar:
    """The feed as a calendar app sees it: serialised, then parsed back."""
    built = team_feed(catalog=CATALOG, team_name="team", locale=locale, rituals=rituals, since=MONDAY, stamp=STAMP)
    return Calendar.from_ical(built.to_ical())


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_holds_windows_core_hours_stand_up_and_borrel_in_amsterdam_time_in_dutch() -> None:
    calendar = feed(team_rituals("Europe/Amsterdam"))
    found = events(calendar)
    assert sorted(found) == ["ritual-1-0@ritme", "ritual-2-0@ritme", "ritual-3-0@ritme", "ritual-3-1@ritme",
                             "ritual-4-0@ritme"]  # the paused pulse is left out
    amsterdam = ZoneInfo("Europe/Amsterdam")
    window = found["ritual-2-0@ritme"]
    assert window.decoded("dtstart") == datetime(2026, 11, 25, 13, 0, tzinfo=amsterdam)
    assert window.decoded("dtend") == datetime(2026, 11, 25, 17, 0, tzinfo=amsterdam)
    assert window["dtstart"].params["TZID"] == "Europe/Amsterdam"
    assert window["rrule"].to_ical() == b"FREQ=WEEKLY;BYDAY=WE"
    assert str(window["summary"]) == "Geen vergaderingen: focus; middag, \"diep\" werk\nniet storen"
    assert str(window["transp"]) == "OPAQUE"
    assert window["categories"].cats == ["Vergadervrij blok"]
    core = [found["ritual-3-0@ritme"], found["ritual-3-1@ritme"]]
    assert [(e.decoded("dtstart").time(), e.decoded("dtend").time()) for e in core] == [
        (time(10, 0), time(12, 0)), (time(14, 0), time(16, 0))]
    assert {str(e["summary"]) for e in core} == {"Kernuren"}
    assert {str(e["transp"]) for e in core} == {"TRANSPARENT"}
    assert core[0]["rrule"].to_ical() == b"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    standup = found["ritual-1-0@ritme"]
    assert standup.decoded("dtstart") == datetime(2026, 11, 23, 9, 30, tzinfo=amsterdam)
    assert standup.decoded("dtend") - standup.decoded("dtstart") == timedelta(minutes=15)
    assert str(standup["summary"]) == "Stand-up (Ritme)"
    borrel = found["ritual-4-0@ritme"]
    assert borrel.decoded("dtstart") == datetime(2026, 11, 27, 16, 30, tzinfo=amsterdam)
    assert borrel.decoded("dtend") == datetime(2026, 11, 27, 17, 15, tzinfo=amsterdam)
    assert borrel["rrule"].to_ical() == b"FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"
    assert str(borrel["summary"]) == "Virtuele borrel"
    assert str(borrel["url"]) == "https://meet.example/borrel"
    assert "https://meet.example/borrel" in str(borrel["description"])
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert str(calendar["x-wr-calname"]) == "#team (Ritme)"
    # Outlook reads X-PUBLISHED-TTL, other apps REFRESH-INTERVAL, for how often to fetch the feed again.
    assert calendar["x-published-ttl"] == "PT1H"
    assert calendar["refresh-interval"].to_ical() == b"PT1H"


def test_pulses_and_coffee_show_at_their_times_with_their_rhythm() -> None:
    rituals = [
        ritual(6, RitualKind.PULSE, time(14, 0), (4,), PulseSettings(anchor=MONDAY, closes_at=time(12, 0),
                                                                      every_weeks=2), locale="en"),
        ritual(7, RitualKind.COFFEE_MACHINE, time(9, 30), (0, 1, 2, 3, 4),
               CoffeeMachineSettings(link="https://meet.example/koffie", until=time(10, 30)), locale="en"),
        ritual(8, RitualKind.COFFEE, time(10, 0), (0,), CoffeeSettings(anchor=MONDAY, every_weeks=2), locale="en"),
    ]
    found = events(feed(rituals, locale="en"))
    pulse, machine, coffee = found["ritual-6-0@ritme"], found["ritual-7-0@ritme"], found["ritual-8-0@ritme"]
    assert (str(pulse["summary"]), pulse["rrule"].to_ical()) == ("Wellbeing pulse opens",
                                                                 b"FREQ=WEEKLY;INTERVAL=2;BYDAY=FR")
    assert pulse.decoded("dtstart").date() == date(2026, 11, 27)  # the Friday of the anchor's week
    assert (machine.decoded("dtstart").time(), machine.decoded("dtend").time()) == (time(9, 30), time(10, 30))
    assert (str(machine["summary"]), str(machine["url"])) == ("Coffee machine open", "https://meet.example/koffie")
    assert str(coffee["summary"]) == "Coffee pairing: new pairs"
    assert coffee["rrule"].to_ical() == b"FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"


def test_typed_text_is_escaped_by_the_library_not_pasted_into_the_file() -> None:
    text = team_feed(catalog=CATALOG, team_name="team", locale="nl", rituals=team_rituals("Europe/Amsterdam"),
                     since=MONDAY, stamp=STAMP).to_ical().decode()
    # A label cannot end its line and start a property of its own: the newline and separators are escaped.
    assert "focus\\; middag\\, \"diep\" werk\\nniet storen" in text.replace("\r\n ", "")
    assert "\nniet storen" not in text


def test_new_york_rituals_keep_new_york_wall_clock_times_and_english_summaries() -> None:
    calendar = feed(team_rituals("America/New_York", locale="en"), locale="en")
    found = events(calendar)
    new_york = ZoneInfo("America/New_York")
    window = found["ritual-2-0@ritme"]
    assert window["dtstart"].params["TZID"] == "America/New_York"
    assert window.decoded("dtstart") == datetime(2026, 11, 25, 13, 0, tzinfo=new_york)
    assert str(window["summary"]).startswith("No meetings: ")
    assert str(found["ritual-3-0@ritme"]["summary"]) == "Core hours"
    assert str(found["ritual-4-0@ritme"]["summary"]) == "Virtual borrel"
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    vtimezone = calendar.walk("VTIMEZONE")[0]
    assert {str(sub["tzname"]) for sub in vtimezone.subcomponents} >= {"EST", "EDT"}
    # Across the US switch to daylight time (14 March 2027) the block keeps its local 13:00, so in UTC it moves.
    rule = rrulestr(window["rrule"].to_ical().decode(), dtstart=window.decoded("dtstart"))
    before, after = rule.between(datetime(2027, 3, 8, tzinfo=UTC), datetime(2027, 3, 21, tzinfo=UTC))
    assert (before.astimezone(UTC).hour, after.astimezone(UTC).hour) == (18, 17)


def test_the_same_rituals_give_the_same_file_so_apps_update_rather_than_duplicate() -> None:
    first = team_feed(catalog=CATALOG, team_name="team", locale="nl", rituals=team_rituals("Europe/Amsterdam"),
                      since=MONDAY, stamp=STAMP).to_ical()
    again = team_feed(catalog=CATALOG, team_name="team", locale="nl", rituals=team_rituals("Europe/Amsterdam"),
                      since=MONDAY, stamp=STAMP).to_ical()
    assert first == again


def test_the_calendar_words_parse_and_anything_else_is_refused_with_an_example() -> None:
    today = MONDAY
    assert parse("/ritme focus calendar", today) == CalendarShow()
    assert parse("/ritme focus agenda", today) == CalendarShow()
    assert parse("/ritme focus calendar revoke", today) == CalendarRevoke()
    with pytest.raises(CommandError) as refused:
        parse("/ritme focus calendar please now", today)
    assert refused.value.key == "error.calendar_extra"
    text = CATALOG.text("en", refused.value.key, **refused.value.params)
    assert "please now" in text and "/ritme focus calendar revoke" in text


def link_token(reply: str) -> str:
    """The token of the feed link in a reply."""
    found = LINK.search(reply)
    assert found is not None, reply
    return found.group(1)


async def fetch(harness: Harness, token: str) -> Calendar | None:
    """The feed the web server would serve for that token."""
    feeds = CalendarFeedRituals(store=harness.store, feeds=SqlCalendarFeeds(harness.store.engine), catalog=CATALOG,
                                clock=harness.clock, base_url="https://ritme.example")
    body = await feeds.feed(token)
    return None if body is None else Calendar.from_ical(body)


@pytest.mark.asyncio
async def test_any_member_gets_the_same_link_and_only_a_manager_replaces_it(harness: Harness) -> None:
    await harness.reply_text(BEN, "/ritme standup create at 09:30")  # Ben manages the channel
    await harness.join(ANNA)
    first = await harness.reply_text(ANNA, "/ritme focus calendar")
    assert "Abonneer je erop" in first  # Anna reads Dutch
    token = link_token(first)
    assert link_token(await harness.reply_text(BEN, "/ritme focus calendar")) == token
    served = await fetch(harness, token)
    assert served is not None and [str(e["summary"]) for e in served.walk("VEVENT")] == ["Stand-up (Ritme)"]

    before = await harness.snapshot()
    refused = await harness.reply_text(ANNA, "/ritme focus calendar revoke")
    assert "Alleen een manager" in refused and "Ben" in refused
    assert await harness.snapshot() == before

    revoked = await harness.reply_text(BEN, "/ritme focus calendar revoke")
    assert "no longer works" in revoked
    new = link_token(revoked)
    assert new != token
    assert await fetch(harness, token) is None
    assert await fetch(harness, new) is not None
    assert link_token(await harness.reply_text(ANNA, "/ritme focus calendar")) == new
    assert await fetch(harness, "x" * 43) is None


@pytest.mark.asyncio
async def test_the_database_keeps_no_revoked_token_and_finds_feeds_by_hash(harness: Harness) -> None:
    await harness.reply_text(BEN, "/ritme standup create at 09:30")
    old = link_token(await harness.reply_text(BEN, "/ritme focus calendar"))
    await harness.reply_text(BEN, "/ritme focus calendar revoke")
    rows = (await harness.snapshot())["calendar_feeds"]
    assert not any(old in repr(row) for row in rows)
    assert any(token_hash(old) in repr(row) for row in rows)


@pytest.mark.asyncio
async def test_windows_added_directly_show_in_the_served_feed(harness: Harness) -> None:
    await harness.reply_text(BEN, "/ritme standup create at 09:30")
    team = await harness.store.upsert_team("local", "w1", "team", "team")
    ben = (await harness.store.find_members("local", "w1", "ben"))[0]
    await harness.store.add_ritual(NewRitual(
        team_id=team.id, kind=RitualKind.FOCUS, at=time(12, 0), days=(0, 1, 2, 3, 4), timezone="Europe/Amsterdam",
        locale="en", settings=FocusSettings(until=time(13, 0), label="lunch walk"), created_by=ben.id))
    token = link_token(await harness.reply_text(BEN, "/ritme focus calendar"))
    served = await fetch(harness, token)
    assert served is not None
    assert sorted(str(e["summary"]) for e in served.walk("VEVENT")) == ["No meetings: lunch walk",
                                                                         "Stand-up (Ritme)"]
