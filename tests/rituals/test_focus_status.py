"""A no-meeting window as each member's status while it lasts: emitted at the window's start by the engine, for the
members at work during it; whether a platform can show it (Slack, with the member's grant) is the adapter's call."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from rituals.outbound import ChannelPost, Message, StatusUpdate
from tests.rituals.harness import ANNA, BEN, CHITRA, Harness, Person

LEAD = Person("lead", "Lea", "Europe/Amsterdam", "en")
WEDNESDAY = datetime(2026, 11, 25, tzinfo=UTC)  # CET, UTC+1
START = WEDNESDAY.replace(hour=12)  # 13:00 in Amsterdam
END = WEDNESDAY.replace(hour=16)  # 17:00 in Amsterdam


async def at(harness: Harness, moment: datetime) -> list[Message]:
    harness.clock.set(moment)
    out: list[Message] = []
    async for batch in harness.engine.due(moment):
        out.extend(batch)
    return out


def statuses(messages: Sequence[Message]) -> dict[str, StatusUpdate]:
    return {m.to.user_id: m for m in messages if isinstance(m, StatusUpdate)}


def reminders(messages: Sequence[Message]) -> list[ChannelPost]:
    return [m for m in messages if isinstance(m, ChannelPost) and m.key.startswith("focus-reminder:")]


async def team_of(harness: Harness, *people: Person) -> None:
    for person in people:
        await harness.join(person)


@pytest.mark.asyncio
async def test_as_a_window_starts_each_member_at_work_gets_it_as_status_until_it_ends(harness: Harness) -> None:
    harness.clock.set(WEDNESDAY.replace(hour=8))
    await harness.command(LEAD, 'focus add wed 13:00-17:00 "focus afternoon"')
    await team_of(harness, ANNA, BEN, CHITRA)

    assert statuses(await at(harness, START - timedelta(minutes=1))) == {}
    out = await at(harness, START)
    [reminder] = reminders(out)
    assert reminder.text.as_plain().startswith("Focus afternoon starts now")
    # Chitra's day in Kolkata is over by then (17:30 there): her status stays hers.
    assert sorted(statuses(out)) == ["anna", "ben", "lead"]
    status = statuses(out)["anna"]
    assert (status.text, status.emoji, status.until) == ("Focus afternoon — no meetings", ":no_bell:", END)
    assert (status.to.platform, status.to.workspace_id) == ("local", "w1")
    # Once per window and day: the next tick sets nothing again, and Slack clears it at the end by itself.
    assert await at(harness, START + timedelta(minutes=5)) == []
    assert await at(harness, END) == []


@pytest.mark.asyncio
async def test_a_quiet_window_still_sets_statuses_but_posts_nothing(harness: Harness) -> None:
    harness.clock.set(WEDNESDAY.replace(hour=8))
    await harness.command(LEAD, "focus add wed 13:00-14:00 quiet")
    await team_of(harness, ANNA)

    out = await at(harness, START)
    assert reminders(out) == []
    assert sorted(statuses(out)) == ["anna", "lead"]
    assert statuses(out)["anna"].text == "No-meeting time — no meetings"
    assert statuses(out)["anna"].until == START + timedelta(hours=1)


@pytest.mark.asyncio
async def test_a_start_found_late_sets_statuses_without_the_reminder_and_nobody_away_gets_one(
    harness: Harness,
) -> None:
    harness.clock.set(WEDNESDAY.replace(hour=8))
    await harness.command(LEAD, 'focus add wed 13:00-17:00 "focus afternoon"')
    await team_of(harness, ANNA, BEN)
    await harness.command(BEN, "me away until 2026-11-27", direct=True)

    out = await at(harness, START + timedelta(hours=2))  # after an outage: the reminder would say "starts now"
    assert reminders(out) == []
    assert sorted(statuses(out)) == ["anna", "lead"]
    assert statuses(out)["anna"].until == END


@pytest.mark.asyncio
async def test_a_dutch_team_gets_a_dutch_status(harness: Harness) -> None:
    lead = Person("lead", "Lea", "Europe/Amsterdam", "nl")
    harness.clock.set(WEDNESDAY.replace(hour=8))
    await harness.command(lead, 'focus add wed 13:00-17:00 "focusmiddag"')

    out = await at(harness, START)
    assert statuses(out)["lead"].text == "Focusmiddag — geen vergaderingen"
