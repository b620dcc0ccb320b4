"""SqlCalendarFeeds on both databases: one live feed a team, found by its hash, revoked for good."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from rituals.calendar import new_token, token_hash
from storage.calendar import SqlCalendarFeeds
from storage.database import create_engine
from storage.repository import SqlStore

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
async def feeds(database_url: str) -> AsyncIterator[SqlCalendarFeeds]:
    engine = create_engine(database_url)
    try:
        yield SqlCalendarFeeds(engine)
    finally:
        await engine.dispose()


@pytest.mark.asyncio
async def test_a_team_gets_one_live_feed_found_by_its_hash(store: SqlStore, feeds: SqlCalendarFeeds) -> None:
    team = await store.upsert_team("slack", "T1", "C1", "Team One")
    other = await store.upsert_team("slack", "T1", "C2", "Team Two")
    assert await feeds.token(team.id) is None
    token = await feeds.start(team.id, "first-token", NOW)
    assert token == "first-token"
    assert await feeds.start(team.id, "second-token", NOW + timedelta(minutes=1)) == "first-token"
    assert await feeds.token(team.id) == "first-token"
    assert await feeds.token(other.id) is None
    assert await feeds.find(token_hash("first-token")) == (team, NOW)
    assert await feeds.find("first-token") is None  # the token itself is no key
    assert await feeds.find(token_hash("second-token")) is None


@pytest.mark.asyncio
async def test_replacing_revokes_the_old_feed_for_good_and_forgets_its_token(
    store: SqlStore, feeds: SqlCalendarFeeds, database_url: str
) -> None:
    team = await store.upsert_team("slack", "T1", "C1", "Team One")
    await feeds.start(team.id, "old-token", NOW)
    later = NOW + timedelta(days=3)
    assert await feeds.replace(team.id, "new-token", later) == "new-token"
    assert await feeds.find(token_hash("old-token")) is None
    assert await feeds.find(token_hash("new-token")) == (team, later)
    assert await feeds.token(team.id) == "new-token"
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(sa.text(
                "SELECT token_hash, token, revoked_at IS NOT NULL FROM calendar_feeds ORDER BY id"))).all()
    finally:
        await engine.dispose()
    assert [tuple(row) for row in rows] == [(token_hash("old-token"), None, True), (token_hash("new-token"),
                                                                                     "new-token", False)]
    # A revoked token's hash stays taken, so the old address can never come back to life; nothing changes.
    with pytest.raises(sa.exc.IntegrityError):
        await feeds.replace(team.id, "old-token", later)
    assert await feeds.find(token_hash("old-token")) is None
    assert await feeds.token(team.id) == "new-token"


@pytest.mark.asyncio
async def test_racing_first_requests_and_racing_revokes_leave_one_live_feed(
    store: SqlStore, feeds: SqlCalendarFeeds
) -> None:
    team = await store.upsert_team("slack", "T1", "C1", "Team One")
    started = await asyncio.gather(*(feeds.start(team.id, new_token(), NOW) for _ in range(4)))
    assert len(set(started)) == 1
    replaced = await asyncio.gather(*(feeds.replace(team.id, new_token(), NOW) for _ in range(4)))
    live = await feeds.token(team.id)
    assert live is not None and live in replaced and live not in started
    assert await feeds.find(token_hash(started[0])) is None
    assert await feeds.find(token_hash(live)) is not None
