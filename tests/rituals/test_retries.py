"""Retries of scheduled messages a platform could not take: kept, tried again with a growing wait within the
recipient's working hours, given up (and recorded) once out of date, never sent twice."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from adapters.failures import MemoryFailureLog
from rituals.boundaries import Boundaries
from rituals.outbound import ChannelAddress, ChannelPost, ChannelUpdate, MemberAddress, Message, Prompt, Text
from rituals.ports import BatchResult, MemberDefaults, PostedMessage
from rituals.retries import Retries, wait_after
from storage.held_messages import SqlHeldMessages
from storage.messages import SqlMessageLog
from storage.repository import SqlStore

MONDAY_1000 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam
ADA = MemberAddress(platform="slack", workspace_id="T1", user_id="U1")
TEAM = ChannelAddress(platform="slack", workspace_id="T1", channel_id="C1")
DIGEST = ChannelPost(key="standup-digest:1", to=TEAM, text=Text.plain("Stand-up of #team"))


@pytest.fixture
async def retries(store: SqlStore) -> Retries:
    await store.upsert_member("slack", "T1", "U1", "Ada", MemberDefaults(
        timezone="Europe/Amsterdam", locale="en", work_start=time(9, 0), work_end=time(17, 0)))
    return Retries(SqlHeldMessages(store.engine), store=store, boundaries=Boundaries(default_country="NL"),
                   failures=MemoryFailureLog(), posted=SqlMessageLog(store.engine), lease=timedelta(minutes=2))


async def _not_taken(retries: Retries, messages: list[Message], now: datetime) -> None:
    """A tick whose messages the platform could not take."""
    await retries.settle([], messages, BatchResult(undelivered=tuple(messages)), now)


async def _due(retries: Retries, now: datetime, *, platform_up: bool) -> list[Message]:
    """A later tick: what it tries again, and whether the platform took it."""
    held = await retries.due(now)
    messages = [h.message for h in held]
    await retries.settle(held, [], None if platform_up else BatchResult(undelivered=tuple(messages)), now)
    return messages


def _given_up(retries: Retries) -> list[tuple[str, str, str]]:
    failures = retries._failures
    assert isinstance(failures, MemoryFailureLog)
    return [(f.kind, f.key, f.error) for f in failures.failures]


def test_the_wait_doubles_from_half_a_minute_up_to_a_quarter_of_an_hour() -> None:
    assert [wait_after(n).total_seconds() for n in range(1, 8)] == [30, 60, 120, 240, 480, 900, 900]


async def test_a_digest_is_tried_again_with_a_growing_wait_and_sent_once(retries: Retries) -> None:
    await _not_taken(retries, [DIGEST], MONDAY_1000)
    assert await _due(retries, MONDAY_1000 + timedelta(seconds=29), platform_up=False) == []
    moment = MONDAY_1000 + timedelta(seconds=30)
    assert await _due(retries, moment, platform_up=False) == [DIGEST]  # still down
    assert await _due(retries, moment + timedelta(seconds=59), platform_up=True) == []
    assert await _due(retries, moment + timedelta(seconds=60), platform_up=True) == [DIGEST]  # back: delivered
    assert await _due(retries, moment + timedelta(days=1), platform_up=True) == []  # and never again
    assert _given_up(retries) == []


async def test_only_new_messages_are_kept_not_edits_a_newer_edit_may_have_overtaken(retries: Retries) -> None:
    count = ChannelUpdate(key="borrel-invite:4", to=TEAM, text=Text.plain("Joining: 2"))
    await _not_taken(retries, [count, DIGEST], MONDAY_1000)
    assert await _due(retries, MONDAY_1000 + timedelta(minutes=1), platform_up=True) == [DIGEST]


async def test_a_reminder_is_given_up_when_what_it_speaks_of_begins_and_managers_see_it(retries: Retries) -> None:
    starts = MONDAY_1000 + timedelta(minutes=10)
    reminder = Prompt(key="borrel-reminder:4", to=ADA, text=Text.plain("The borrel starts in 10 minutes"),
                      expires_at=starts)
    await _not_taken(retries, [reminder], MONDAY_1000)
    moment = MONDAY_1000
    for attempt in range(1, 5):  # 30 s, 1, 2, 4 minutes: 7.5 minutes in all
        moment += wait_after(attempt)
        assert await _due(retries, moment, platform_up=False) == [reminder]
    assert await _due(retries, starts, platform_up=True) == []  # the platform is back, but too late
    assert _given_up(retries) == [("skipped", "borrel-reminder:4", "expired")]


async def test_nothing_is_tried_for_longer_than_the_give_up_time(retries: Retries) -> None:
    await _not_taken(retries, [DIGEST], MONDAY_1000)
    moment = MONDAY_1000
    while moment < MONDAY_1000 + timedelta(hours=24):
        moment += timedelta(minutes=15)
        await _due(retries, moment, platform_up=False)
    assert _given_up(retries) == [("skipped", "standup-digest:1", "expired")]
    assert await _due(retries, moment + timedelta(hours=1), platform_up=True) == []


async def test_a_private_message_waits_for_the_next_working_morning_not_the_evening(retries: Retries) -> None:
    note = Prompt(key="coffee-intro:7", to=ADA, text=Text.plain("Coffee time!"))
    five_to_five = datetime(2026, 11, 23, 15, 55, tzinfo=UTC)  # 16:55 in Amsterdam; Ada works until 17:00
    await _not_taken(retries, [note], five_to_five)
    for minutes in (1, 5, 30, 120, 600):  # the first try falls at 16:55:30, still hers; then her evening
        if minutes == 1:
            assert await _due(retries, five_to_five + timedelta(minutes=minutes), platform_up=False) == [note]
        else:
            assert await _due(retries, five_to_five + timedelta(minutes=minutes), platform_up=True) == []
    tuesday_0900 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    assert await _due(retries, tuesday_0900 - timedelta(minutes=1), platform_up=True) == []
    assert await _due(retries, tuesday_0900, platform_up=True) == [note]
    assert _given_up(retries) == []


async def test_a_message_another_replica_sent_before_it_stopped_is_not_sent_again(
    retries: Retries, store: SqlStore
) -> None:
    await _not_taken(retries, [DIGEST], MONDAY_1000)
    # Another replica took it and Slack accepted it, then that replica died before forgetting it.
    await SqlMessageLog(store.engine).remember(PostedMessage(
        platform="slack", workspace_id="T1", key=DIGEST.key, recipient="C1", conversation_id="C1",
        message_id="1.2"))
    assert await _due(retries, MONDAY_1000 + timedelta(minutes=5), platform_up=True) == []
    assert await _due(retries, MONDAY_1000 + timedelta(hours=1), platform_up=True) == []
