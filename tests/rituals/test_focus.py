"""No-meeting windows and core hours through the engine, over the real store, with a clock moved by hand."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from rituals.outbound import ChannelPost, Message
from storage.repository import SqlStore
from tests.rituals.harness import ANNA, BEN, FakeClock, Harness, Person, make_engine, posts

LEAD = Person("lead", "Lea", "Europe/Amsterdam", "en")
WEDNESDAY = datetime(2026, 11, 25, tzinfo=UTC)  # CET, UTC+1
ADD = 'focus add wed 13:00-17:00 "focus afternoon"'


def reminders(messages: Sequence[Message]) -> list[ChannelPost]:
    return [post for post in posts(messages) if post.key.startswith("focus-reminder:")]


async def at(harness: Harness, moment: datetime) -> list[ChannelPost]:
    """The reminders the timer would post at that moment (windows plan nothing, so no planning is needed)."""
    harness.clock.set(moment)
    out: list[Message] = []
    async for batch in harness.engine.due(moment):
        out.extend(batch)
    return reminders(out)


async def walk(harness: Harness, days: Sequence[datetime], first_hour: int = 10, last_hour: int = 15) -> list[
    tuple[datetime, str]
]:
    """Every reminder posted while the clock walks in 15-minute steps through those UTC days' hours."""
    seen = []
    for day in days:
        moment = day.replace(hour=first_hour, minute=0)
        while moment < day.replace(hour=last_hour, minute=0):
            seen.extend((moment, post.text.as_plain()) for post in await at(harness, moment))
            moment += timedelta(minutes=15)
    return seen


@pytest.mark.asyncio
async def test_a_window_reminds_the_channel_once_at_its_local_start_and_says_nothing_at_its_end(
    harness: Harness,
) -> None:
    harness.clock.set(WEDNESDAY.replace(hour=8))
    reply = await harness.reply_text(LEAD, ADD)
    assert "you are now its manager" in reply
    assert ("No-meeting window #1 for #team: Focus afternoon, Wed 13:00-17:00 (Europe/Amsterdam). "
            "The channel gets a short reminder as it starts.") in reply
    assert await at(harness, WEDNESDAY.replace(hour=11, minute=59)) == []
    [post] = await at(harness, WEDNESDAY.replace(hour=12))  # 13:00 in Amsterdam
    assert post.to.channel_id == "team"
    assert post.text.as_plain() == "Focus afternoon starts now, until 17:00: no meetings. Enjoy the quiet."
    assert [span.user for span in post.text.lines[0]] == [True, False]  # the label is the manager's own words
    assert await at(harness, WEDNESDAY.replace(hour=12, minute=5)) == []
    assert await at(harness, WEDNESDAY.replace(hour=16)) == []  # 17:00: the end passes quietly
    assert await at(harness, WEDNESDAY.replace(hour=12) + timedelta(days=1)) == []  # not a Wednesday
    assert len(await at(harness, WEDNESDAY.replace(hour=12) + timedelta(days=7))) == 1


@pytest.mark.asyncio
async def test_windows_start_in_their_team_zone(harness: Harness) -> None:
    harness.clock.set(WEDNESDAY.replace(hour=6))
    # The channel's first ritual sets the team's zone; a window may also name its own.
    await harness.command(LEAD, "standup create at 09:30 zone America/New_York", channel="ny")
    await harness.command(LEAD, "focus add wed 12:00-13:00", channel="ny")
    await harness.command(LEAD, "focus add wed 13:00-14:00 zone Asia/Kolkata", channel="india")
    seen = await walk(harness, [WEDNESDAY], first_hour=7, last_hour=18)
    text = "No-meeting time starts now, until {}: no meetings. Enjoy the quiet."
    assert seen == [
        (WEDNESDAY.replace(hour=7, minute=30), text.format("14:00")),  # 13:00 in Kolkata
        (WEDNESDAY.replace(hour=17), text.format("13:00")),  # 12:00 in New York
    ]
    assert "(America/New_York)" in await harness.reply_text(LEAD, "focus list", channel="ny")


@pytest.mark.asyncio
@pytest.mark.parametrize(("created", "days", "utc_hours"), [
    # Spring forward on Sunday 28 March 2027: 13:00 is 12:00 UTC before, 11:00 UTC from the switch on.
    (datetime(2027, 3, 26, 6, tzinfo=UTC), (26, 27, 28, 29), (12, 12, 11, 11)),
    # Fall back on Sunday 25 October 2026: 13:00 is 11:00 UTC before, 12:00 UTC from the switch on.
    (datetime(2026, 10, 23, 6, tzinfo=UTC), (23, 24, 25, 26), (11, 11, 12, 12)),
])
async def test_a_daily_window_fires_once_at_local_1300_on_both_sides_of_a_dst_switch(
    harness: Harness, created: datetime, days: tuple[int, ...], utc_hours: tuple[int, ...]
) -> None:
    harness.clock.set(created)
    await harness.command(LEAD, 'focus add daily 13:00-14:00 "lunch walk"')
    seen = await walk(harness, [created.replace(day=day) for day in days], first_hour=10, last_hour=13)
    assert [moment for moment, _ in seen] == [created.replace(day=day, hour=hour)
                                              for day, hour in zip(days, utc_hours, strict=True)]
    assert {text for _, text in seen} == {"Lunch walk starts now, until 14:00: no meetings. Enjoy the quiet."}


@pytest.mark.asyncio
async def test_a_quiet_window_gives_no_reminder(harness: Harness) -> None:
    harness.clock.set(WEDNESDAY.replace(hour=8))
    reply = await harness.reply_text(LEAD, "focus add wed 12:00-13:00 quiet")
    assert "No reminder: it stays quiet." in reply
    assert await walk(harness, [WEDNESDAY]) == []
    assert "quiet, no reminder" in await harness.reply_text(LEAD, "focus list")


@pytest.mark.asyncio
async def test_two_workers_never_post_the_same_reminder_twice(harness: Harness, store: SqlStore,
                                                              clock: FakeClock) -> None:
    clock.set(WEDNESDAY.replace(hour=8))
    await harness.command(LEAD, ADD)
    clock.set(WEDNESDAY.replace(hour=12, minute=1))
    other = Harness(make_engine(store, clock), clock, store, harness.database_url)
    first, second = await harness.due(), await other.due()
    assert len(reminders(first) + reminders(second)) == 1
    assert reminders(await harness.due()) == []


@pytest.mark.asyncio
async def test_a_reminder_missed_by_a_long_outage_is_not_posted_late(harness: Harness) -> None:
    harness.clock.set(WEDNESDAY.replace(hour=8))
    await harness.command(LEAD, ADD)
    assert await at(harness, WEDNESDAY.replace(hour=14)) == []  # 15:00: "starts now" would be untrue


@pytest.mark.asyncio
async def test_managers_list_and_remove_windows(harness: Harness) -> None:
    await harness.command(LEAD, ADD)
    await harness.command(LEAD, "focus add mon-fri 12:00-13:00 quiet")
    listed = await harness.reply_text(BEN, "focus list")
    assert listed == (
        "No-meeting windows of #team:\n"
        "• #1 Focus afternoon: Wed 13:00-17:00 (Europe/Amsterdam)\n"
        "• #2 No-meeting time: Mon-Fri 12:00-13:00 (Europe/Amsterdam) · quiet, no reminder\n"
        "No core hours yet (a manager sets them with `/ritme core 10:00-12:00 14:00-16:00`)."
    )
    assert await harness.reply_text(LEAD, "focus remove 1") == "No-meeting window #1 is removed from #team."
    assert "#1" not in await harness.reply_text(LEAD, "focus list")
    before = await harness.snapshot()
    refused = await harness.reply_text(LEAD, "focus remove 7")
    assert refused == "#team has no no-meeting window #7; its windows are #2. For example `/ritme focus remove 2`."
    assert await harness.snapshot() == before
    home = await harness.home(LEAD)
    overview = home.sections[-1].text.as_plain()
    assert "No-meeting window #2: Mon-Fri 12:00-13:00 (Europe/Amsterdam) · quiet, no reminder" in overview


@pytest.mark.asyncio
async def test_core_hours_are_set_replaced_shown_and_turned_off(harness: Harness) -> None:
    assert await harness.reply_text(LEAD, "core") == (
        "#team has no core hours. A manager sets them with `/ritme core 10:00-12:00 14:00-16:00`.")
    reply = await harness.reply_text(LEAD, "core 10:00-12:00 14:00-16:00")
    assert "Core hours of #team: 10:00-12:00, 14:00-16:00 on Mon-Fri (Europe/Amsterdam)." in reply
    await harness.command(LEAD, "core 09:30-11:30 on mon-thu")
    assert await harness.reply_text(BEN, "core") == "Core hours of #team: 09:30-11:30 on Mon-Thu (Europe/Amsterdam)."
    assert "Core hours: 09:30-11:30 on Mon-Thu (Europe/Amsterdam)." in await harness.reply_text(BEN, "focus list")
    assert "Core hours: 09:30-11:30 on Mon-Thu" in (await harness.home(LEAD)).sections[-1].text.as_plain()
    assert await harness.reply_text(LEAD, "core off") == "#team has no core hours any more."
    before = await harness.snapshot()
    assert await harness.reply_text(LEAD, "core off") == (
        "#team has no core hours to turn off. A manager sets them with `/ritme core 10:00-12:00 14:00-16:00`.")
    assert await harness.snapshot() == before


@pytest.mark.asyncio
async def test_a_dutch_team_gets_dutch_replies_and_a_dutch_reminder(harness: Harness) -> None:
    harness.clock.set(WEDNESDAY.replace(hour=8))
    reply = await harness.reply_text(ANNA, 'focus add wo 13:00-17:00 "focusmiddag"')
    assert ("Vergadervrij blok #1 voor #team: Focusmiddag, wo 13:00-17:00 (Europe/Amsterdam). "
            "Het kanaal krijgt een korte herinnering als het begint.") in reply
    assert await harness.reply_text(ANNA, "core 10:00-12:00") == (
        "Kerntijden van #team: 10:00-12:00 op ma-vr (Europe/Amsterdam). Dan is iedereen bereikbaar; "
        "`/ritme meet-check` houdt vergaderingen daarbinnen.")
    [post] = await at(harness, WEDNESDAY.replace(hour=12))
    assert post.text.as_plain() == "Focusmiddag begint nu, tot 17:00: geen vergaderingen. Geniet van de rust."
    assert "Vergadervrije blokken van #team:" in await harness.reply_text(ANNA, "focus lijst")


@pytest.mark.asyncio
async def test_only_managers_change_windows_and_core_hours(harness: Harness) -> None:
    await harness.command(LEAD, ADD)
    await harness.command(LEAD, "core 10:00-12:00")
    await harness.join(BEN)
    before = await harness.snapshot()
    for command in ("focus add mon 09:00-10:00", "focus remove 1", "core 09:00-17:00", "core off"):
        refused = await harness.reply_text(BEN, command)
        assert refused.startswith("Only a manager of #team can do that; nothing was changed. Ask Lea"), command
    assert await harness.snapshot() == before
    assert "Focus afternoon" in await harness.reply_text(BEN, "focus list")  # reading is for everyone


@pytest.mark.asyncio
async def test_bad_input_is_refused_with_a_working_example_and_nothing_written(harness: Harness) -> None:
    await harness.command(LEAD, ADD)
    before = await harness.snapshot()
    expected = {
        "focus add wed 17:00-13:00": "In `17:00-13:00` the end is not after the start",
        "focus add someday 13:00-17:00": "`someday` is not a set of days",
        "focus add wed 13:00-17:00 focus afternoon": "A name goes between quotes",
        "focus add wed 13:00-17:00 zone Mars/Olympus": "`Mars/Olympus` is not a time zone I know",
        "focus remove": "is not a window number",
        "core 10:00-12:00 11:00-13:00": "The ranges in `10:00-12:00 11:00-13:00` overlap",
        "meet-check tue 12:30 9h": "`9h` is not a meeting length",
        "meet-check 2026-01-05 10:00 30m": "2026-01-05 has already passed",
    }
    for command, problem in expected.items():
        reply = await harness.reply_text(LEAD, command)
        assert problem in reply, (command, reply)
        assert "example `/ritme" in reply, (command, reply)
    assert await harness.snapshot() == before


@pytest.mark.asyncio
async def test_help_explains_windows_core_hours_and_the_meeting_check(harness: Harness) -> None:
    assert "`/ritme focus add wed 13:00-17:00 \"focus afternoon\"`" in await harness.reply_text(BEN, "help")
    assert (await harness.reply_text(BEN, "focus help")).startswith("No-meeting windows (managers set them")
    assert (await harness.reply_text(BEN, "help core")).startswith("Core hours: when everyone agrees")
    assert (await harness.reply_text(ANNA, "meet-check")).startswith("Vergadercheck (iedereen)")
