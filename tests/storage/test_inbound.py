"""SqlInboundLedger against real databases: SQLite always, PostgreSQL when RITME_TEST_DATABASE_URL is set."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from sqlalchemy import select

from rituals.events import (
    Actor,
    AnswerSubmitted,
    ButtonClicked,
    CommandInvoked,
    HomeOpened,
    InboundEvent,
    MemberSeen,
)
from storage.database import create_engine
from storage.inbound import SqlInboundLedger, _kinds, decode, encode
from storage.models import InboundEventRow

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
HOLD = timedelta(minutes=5)
ANNA = Actor(platform="slack", workspace_id="T1", user_id="U1", display_name="Anna", locale="nl-NL",
             timezone="Europe/Amsterdam")


def command(event_id: str, *, platform: str = "slack", at: datetime = NOW) -> CommandInvoked:
    actor = Actor(platform=platform, workspace_id="T1", user_id="U1")
    return CommandInvoked(event_id=event_id, actor=actor, received_at=at, channel_id="C1", text="standup list")


@pytest_asyncio.fixture
async def ledger(database_url: str) -> AsyncIterator[SqlInboundLedger]:
    engine = create_engine(database_url)
    try:
        yield SqlInboundLedger(engine)
    finally:
        await engine.dispose()


def test_every_event_kind_survives_the_trip_through_storage() -> None:
    samples: list[InboundEvent] = [
        CommandInvoked(event_id="c", actor=ANNA, received_at=NOW, channel_id="C1", channel_name="team",
                       direct=True, text="standup create morning at 9:30"),
        AnswerSubmitted(event_id="a", actor=ANNA, received_at=NOW, delivery_id=7, values=("Fine", "", "<!here>")),
        ButtonClicked(event_id="b", actor=ANNA, received_at=NOW, action="standup:edit", value="7"),
        MemberSeen(event_id="m", actor=ANNA, received_at=NOW, channel_id="C1", channel_name="team"),
        HomeOpened(event_id="h", actor=ANNA, received_at=NOW),
    ]
    # A new kind of event must be added here, so its fields are known to survive too.
    known = {name for name, kind in _kinds().items() if kind.__module__ == "rituals.events"}
    assert {type(event).__name__ for event in samples} == known
    for event in samples:
        assert decode(encode(event)) == event


@pytest.mark.asyncio
async def test_recording_returns_the_new_events_per_platform(ledger: SqlInboundLedger) -> None:
    assert await ledger.record([command("old")], NOW + HOLD) == {("slack", "old")}
    new = await ledger.record([command("old"), command("a"), command("a", platform="local")], NOW + HOLD)
    assert new == {("slack", "a"), ("local", "a")}
    assert await ledger.record([command("a")], NOW + HOLD) == set()


@pytest.mark.asyncio
async def test_concurrent_writers_wait_for_each_other_instead_of_failing(ledger: SqlInboundLedger) -> None:
    # 40 transactions at once over the pool; on SQLite they queue on BEGIN IMMEDIATE within busy_timeout.
    results = await asyncio.gather(*(ledger.record([command(f"e{n % 20}")], NOW + HOLD) for n in range(40)))
    assert sum(len(new) for new in results) == 20


@pytest.mark.asyncio
async def test_a_held_event_is_claimed_only_when_its_hold_runs_out(ledger: SqlInboundLedger) -> None:
    await ledger.record([command("late"), command("early", at=NOW - timedelta(seconds=5))], NOW + HOLD)
    assert await ledger.claim(NOW, NOW + HOLD, limit=10, max_attempts=3) == []
    later = NOW + HOLD
    claimed = await ledger.claim(later, later + HOLD, limit=10, max_attempts=3)
    assert [event.event_id for event in claimed] == ["early", "late"]  # oldest first
    assert claimed[1] == command("late")
    assert await ledger.claim(later, later + HOLD, limit=10, max_attempts=3) == []  # held again


@pytest.mark.asyncio
async def test_finished_events_are_never_claimed_and_keep_no_payload(
    ledger: SqlInboundLedger, database_url: str
) -> None:
    await ledger.record([command("done"), command("open")], NOW + HOLD)
    await ledger.finish([("slack", "done")])
    later = NOW + 2 * HOLD
    assert [event.event_id for event in await ledger.claim(later, later, limit=10, max_attempts=3)] == ["open"]
    assert await _row(database_url, "done") == ("done", None)


@pytest.mark.asyncio
async def test_an_event_handed_back_is_claimed_at_once(ledger: SqlInboundLedger) -> None:
    await ledger.record([command("e1"), command("e2")], NOW + HOLD)
    await ledger.hold_until([("slack", "e1")], NOW)
    assert [event.event_id for event in await ledger.claim(NOW, NOW + HOLD, limit=10, max_attempts=3)] == ["e1"]


@pytest.mark.asyncio
async def test_claims_come_in_batches(ledger: SqlInboundLedger) -> None:
    await ledger.record([command(f"e{n}", at=NOW + timedelta(seconds=n)) for n in range(5)], NOW)
    first = await ledger.claim(NOW, NOW + HOLD, limit=3, max_attempts=3)
    second = await ledger.claim(NOW, NOW + HOLD, limit=3, max_attempts=3)
    assert [e.event_id for e in first] == ["e0", "e1", "e2"]
    assert [e.event_id for e in second] == ["e3", "e4"]


@pytest.mark.asyncio
async def test_an_event_is_given_up_after_its_last_attempt(
    ledger: SqlInboundLedger, caplog: pytest.LogCaptureFixture, database_url: str
) -> None:
    await ledger.record([command("poison")], NOW)  # attempt 1 was the live one
    assert len(await ledger.claim(NOW, NOW, limit=10, max_attempts=3)) == 1  # attempt 2
    assert len(await ledger.claim(NOW, NOW, limit=10, max_attempts=3)) == 1  # attempt 3
    with caplog.at_level(logging.ERROR, logger="storage.inbound"):
        assert await ledger.claim(NOW, NOW, limit=10, max_attempts=3) == []
    assert "gave up on slack event poison after 3 attempts" in caplog.text
    assert await _row(database_url, "poison") == ("failed", None)  # what the event said is not kept
    assert await ledger.claim(NOW + HOLD, NOW + HOLD, limit=10, max_attempts=3) == []
    assert await ledger.record([command("poison")], NOW) == set()  # still known: a retry stays a repeat


@pytest.mark.asyncio
async def test_two_claimers_at_once_never_get_the_same_event(database_url: str) -> None:
    engines = [create_engine(database_url) for _ in range(2)]
    try:
        first, second = (SqlInboundLedger(engine) for engine in engines)
        await first.record([command(f"e{n}") for n in range(60)], NOW)
        claims = await asyncio.gather(
            *(ledger.claim(NOW, NOW + HOLD, limit=7, max_attempts=3) for ledger in (first, second) for _ in range(6))
        )
    finally:
        for engine in engines:
            await engine.dispose()
    ids = [event.event_id for claim in claims for event in claim]
    assert len(ids) == len(set(ids))
    assert len(ids) == 60


@pytest.mark.asyncio
async def test_pruning_forgets_old_handled_events_but_never_pending_ones(ledger: SqlInboundLedger) -> None:
    for days in range(4):
        await ledger.record([command(f"e{days}", at=NOW - timedelta(days=days))], NOW + HOLD)
    await ledger.finish([("slack", "e2"), ("slack", "e1")])
    assert await ledger.prune(NOW - timedelta(days=1)) == 1  # e2; e3 is older but still pending; e1 is not older
    assert await ledger.record([command("e2")], NOW + HOLD) == {("slack", "e2")}  # forgotten, so new again
    assert await ledger.record([command("e3")], NOW + HOLD) == set()


async def _row(database_url: str, event_id: str) -> tuple[str, object]:
    """An event's status and stored payload, read straight from the table."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            row = (await conn.execute(select(InboundEventRow).where(InboundEventRow.event_id == event_id))).one()
    finally:
        await engine.dispose()
    return row.status, row.payload
