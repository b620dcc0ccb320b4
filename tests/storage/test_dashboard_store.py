"""SqlDashboardStore on both databases: a link signs in once and only in time, sessions end, old rows are swept;
and SqlStore.update_ritual moves a stand-up's unsent prompts with it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from rituals.dashboard import DashboardSession, SignInLink, secret_hash
from rituals.model import DeliveryStatus, RitualKind, StandupSettings
from rituals.ports import MemberDefaults, NewRitual, PlannedDelivery, PlannedOccurrence
from storage.dashboard import SqlDashboardStore
from storage.database import create_engine
from storage.repository import SqlStore

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DEFAULTS = MemberDefaults(timezone="Europe/Amsterdam", locale="en")


@pytest.fixture
async def sign_ins(database_url: str) -> AsyncIterator[SqlDashboardStore]:
    engine = create_engine(database_url)
    try:
        yield SqlDashboardStore(engine)
    finally:
        await engine.dispose()


async def test_a_link_signs_in_once_and_only_before_it_expires(store: SqlStore, sign_ins: SqlDashboardStore) -> None:
    anna = await store.upsert_member("slack", "T1", "U1", "Anna", DEFAULTS)
    await sign_ins.add_link(secret_hash("fresh"), anna.id, NOW + timedelta(minutes=5))
    await sign_ins.add_link(secret_hash("stale"), anna.id, NOW + timedelta(minutes=5))

    assert await sign_ins.use_link(secret_hash("fresh"), NOW + timedelta(minutes=4)) == anna.id
    assert await sign_ins.use_link(secret_hash("fresh"), NOW + timedelta(minutes=4)) is None  # a second click
    assert await sign_ins.link(secret_hash("fresh")) == SignInLink(
        member_id=anna.id, expires_at=NOW + timedelta(minutes=5), used_at=NOW + timedelta(minutes=4))

    assert await sign_ins.use_link(secret_hash("stale"), NOW + timedelta(minutes=5)) is None  # expired at 5 minutes
    assert await sign_ins.link(secret_hash("stale")) == SignInLink(
        member_id=anna.id, expires_at=NOW + timedelta(minutes=5), used_at=None)
    assert await sign_ins.use_link(secret_hash("never issued"), NOW) is None
    assert await sign_ins.link(secret_hash("never issued")) is None
    assert await sign_ins.use_link("fresh", NOW) is None  # the token itself is no key


async def test_racing_clicks_sign_in_once(store: SqlStore, sign_ins: SqlDashboardStore, database_url: str) -> None:
    anna = await store.upsert_member("slack", "T1", "U1", "Anna", DEFAULTS)
    await sign_ins.add_link(secret_hash("link"), anna.id, NOW + timedelta(minutes=5))
    # Separate engines, as separate replicas would have: each click runs on a connection of its own.
    engines = [create_engine(database_url) for _ in range(4)]
    try:
        used = await asyncio.gather(*(SqlDashboardStore(e).use_link(secret_hash("link"), NOW) for e in engines))
    finally:
        for engine in engines:
            await engine.dispose()
    assert sorted(used, key=lambda found: found is None) == [anna.id, None, None, None]


async def test_a_session_lasts_until_it_expires_or_ends(store: SqlStore, sign_ins: SqlDashboardStore) -> None:
    anna = await store.upsert_member("slack", "T1", "U1", "Anna", DEFAULTS)
    ends = NOW + timedelta(hours=8)
    await sign_ins.start_session(secret_hash("s1"), anna.id, "csrf-1", NOW, ends)
    await sign_ins.start_session(secret_hash("s2"), anna.id, "csrf-2", NOW, ends)
    expected = DashboardSession(member_id=anna.id, csrf_token="csrf-1", expires_at=ends)
    assert await sign_ins.session(secret_hash("s1"), NOW + timedelta(hours=7)) == expected
    assert await sign_ins.session(secret_hash("s1"), ends) is None
    assert await sign_ins.session("s1", NOW) is None
    await sign_ins.end_session(secret_hash("s2"))
    assert await sign_ins.session(secret_hash("s2"), NOW) is None
    assert await sign_ins.session(secret_hash("s1"), NOW) == expected  # ending one leaves the other
    assert await sign_ins.member(anna.id) == anna
    assert await sign_ins.member(anna.id + 100) is None


async def test_prune_forgets_only_what_expired_before(
    store: SqlStore, sign_ins: SqlDashboardStore, database_url: str
) -> None:
    anna = await store.upsert_member("slack", "T1", "U1", "Anna", DEFAULTS)
    await sign_ins.add_link(secret_hash("old"), anna.id, NOW - timedelta(days=2))
    await sign_ins.add_link(secret_hash("new"), anna.id, NOW + timedelta(minutes=5))
    await sign_ins.start_session(secret_hash("old"), anna.id, "c", NOW - timedelta(days=3), NOW - timedelta(days=2))
    await sign_ins.start_session(secret_hash("new"), anna.id, "c", NOW, NOW + timedelta(hours=8))
    assert await sign_ins.prune(NOW - timedelta(days=1)) == 2
    assert await sign_ins.link(secret_hash("old")) is None
    assert await sign_ins.link(secret_hash("new")) is not None
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            sessions = (await connection.execute(sa.text("SELECT id_hash FROM dashboard_sessions"))).scalars().all()
    finally:
        await engine.dispose()
    assert sessions == [secret_hash("new")]


async def test_a_team_is_found_by_id(store: SqlStore, sign_ins: SqlDashboardStore) -> None:
    team = await store.upsert_team("slack", "T1", "C1", "Team One")
    assert await sign_ins.team(team.id) == team
    assert await sign_ins.team(team.id + 100) is None


async def test_update_ritual_drops_unsent_prompts_and_untouched_days(store: SqlStore, database_url: str) -> None:
    team = await store.upsert_team("slack", "T1", "C1", "Team One")
    anna = await store.upsert_member("slack", "T1", "U1", "Anna", DEFAULTS)
    ben = await store.upsert_member("slack", "T1", "U2", "Ben", DEFAULTS)
    ritual = await store.add_ritual(NewRitual(
        team_id=team.id, kind=RitualKind.STANDUP, at=time(9, 30), days=(0, 1, 2, 3, 4), timezone="Europe/Amsterdam",
        locale="en", settings=StandupSettings(digest_at=time(11, 0)), created_by=anna.id))
    today, tomorrow = NOW.date(), NOW.date() + timedelta(days=1)
    await store.plan([
        PlannedOccurrence(ritual_id=ritual.id, local_date=day, digest_due_at=NOW + timedelta(days=i, hours=1),
                          deliveries=(PlannedDelivery(member_id=anna.id, due_at=NOW + timedelta(days=i)),
                                      PlannedDelivery(member_id=ben.id, due_at=NOW + timedelta(days=i))))
        for i, day in enumerate((today, tomorrow))
    ])
    # One of them was asked today already: that day stays with their prompt; the other's unsent one goes, and so
    # does all of tomorrow, which the planner redoes by the new schedule.
    [claimed] = await store.claim_due_prompts(NOW, timedelta(hours=2), timedelta(minutes=2), 1)
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(sa.text("UPDATE deliveries SET status = 'sent' WHERE id = :id"),
                                     {"id": claimed.delivery.id})
    finally:
        await engine.dispose()

    changed = await store.update_ritual(ritual.id, at=time(10, 15), days=(0, 2),
                                        settings=StandupSettings(digest_at=time(11, 45)))
    assert (changed.at, changed.days, changed.standup.digest_at) == (time(10, 15), (0, 2), time(11, 45))
    assert (await store.rituals(team.id))[0] == changed
    assert await store.occurrence(ritual.id, tomorrow) is None
    kept = await store.occurrence(ritual.id, today)
    assert kept is not None and kept.digest_due_at == NOW + timedelta(hours=1)
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(sa.text("SELECT member_id, status FROM deliveries"))).all()
    finally:
        await engine.dispose()
    assert [tuple(row) for row in rows] == [(claimed.member.id, DeliveryStatus.SENT.value)]

    with pytest.raises(LookupError):
        await store.update_ritual(ritual.id + 100, at=time(9, 0), days=(0,), settings=changed.settings)
    await store.delete_ritual(ritual.id)
    with pytest.raises(LookupError):
        await store.update_ritual(ritual.id, at=time(9, 0), days=(0,), settings=changed.settings)
