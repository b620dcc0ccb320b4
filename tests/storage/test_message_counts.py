"""SqlMessageCounts on both databases: a member's messages counted per local day, never past the limit."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date

import pytest

from rituals.ports import MemberDefaults
from storage.database import create_engine
from storage.message_counts import SqlMessageCounts
from storage.repository import SqlStore

MONDAY = date(2026, 11, 23)
DEFAULTS = MemberDefaults(timezone="Europe/Amsterdam", locale="en")


@pytest.fixture
async def counts(database_url: str) -> AsyncIterator[SqlMessageCounts]:
    engine = create_engine(database_url)
    try:
        yield SqlMessageCounts(engine)
    finally:
        await engine.dispose()


@pytest.mark.asyncio
async def test_places_are_taken_up_to_the_limit_per_member_and_day(store: SqlStore,
                                                                   counts: SqlMessageCounts) -> None:
    anna = await store.upsert_member("slack", "T1", "U1", "Anna", DEFAULTS)
    ben = await store.upsert_member("slack", "T1", "U2", "Ben", DEFAULTS)
    assert [await counts.take(anna.id, MONDAY, 3) for _ in range(4)] == [True, True, True, False]
    assert await counts.taken(anna.id, MONDAY) == 3
    assert await counts.take(anna.id, MONDAY, 2) is False  # a lower limit (a note) is already passed
    assert await counts.take(ben.id, MONDAY, 3) is True  # another member has their own count
    assert await counts.take(anna.id, date(2026, 11, 24), 3) is True  # and so has another day
    # Without a limit (a group's message) it always counts, and the count shows it.
    assert await counts.take(anna.id, MONDAY, None) is True
    assert await counts.taken(anna.id, MONDAY) == 4
    assert await counts.take(ben.id, MONDAY, 0) is False
    assert await counts.taken(ben.id, date(2026, 11, 25)) == 0


@pytest.mark.asyncio
async def test_racing_workers_never_count_past_the_limit(store: SqlStore, counts: SqlMessageCounts) -> None:
    anna = await store.upsert_member("slack", "T1", "U1", "Anna", DEFAULTS)
    taken = await asyncio.gather(*(counts.take(anna.id, MONDAY, 3) for _ in range(8)))
    assert sorted(taken) == [False] * 5 + [True] * 3
    assert await counts.taken(anna.id, MONDAY) == 3


async def test_a_batch_takes_its_places_in_order_and_a_member_twice_in_it_is_counted_twice(
    store: SqlStore, counts: SqlMessageCounts
) -> None:
    anna = await store.upsert_member("slack", "T1", "U1", "Anna", DEFAULTS)
    ben = await store.upsert_member("slack", "T1", "U2", "Ben", DEFAULTS)
    assert await counts.take(anna.id, MONDAY, 3) is True  # a note earlier today
    batch = [(anna.id, MONDAY), (ben.id, MONDAY), (anna.id, MONDAY), (anna.id, MONDAY)]
    assert await counts.take_many(batch, 3) == [True, True, True, False]
    assert (await counts.taken(anna.id, MONDAY), await counts.taken(ben.id, MONDAY)) == (3, 1)
    assert await counts.take_many([], 3) == []

    await counts.give_back([(anna.id, MONDAY), (ben.id, MONDAY), (ben.id, MONDAY)])
    assert (await counts.taken(anna.id, MONDAY), await counts.taken(ben.id, MONDAY)) == (2, 0)  # never below 0
