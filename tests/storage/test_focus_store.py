"""SqlFocusStore on both databases: running windows with their teams, and each start reminder claimed once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time

import pytest

from rituals.model import CoreHoursSettings, FocusSettings, RitualKind, RitualSettings, Role
from rituals.ports import MemberDefaults, NewRitual
from storage.database import create_engine
from storage.focus import SqlFocusStore
from storage.repository import SqlStore

WEDNESDAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DEFAULTS = MemberDefaults(timezone="Europe/Amsterdam", locale="en")


@pytest.fixture
async def focus(database_url: str) -> AsyncIterator[SqlFocusStore]:
    engine = create_engine(database_url)
    try:
        yield SqlFocusStore(engine)
    finally:
        await engine.dispose()


async def _add(store: SqlStore, kind: RitualKind, settings: RitualSettings, channel: str = "C1") -> int:
    team = await store.upsert_team("slack", "T1", channel, f"Team {channel}")
    manager = await store.upsert_member("slack", "T1", "U1", "Mara", DEFAULTS)
    await store.set_role(team.id, manager.id, Role.MANAGER)
    ritual = await store.add_ritual(NewRitual(team_id=team.id, kind=kind, at=time(13, 0), days=(2,),
                                              timezone="Europe/Amsterdam", locale="en", settings=settings,
                                              created_by=manager.id))
    return ritual.id


@pytest.mark.asyncio
async def test_running_windows_are_the_windows_neither_paused_nor_deleted(store: SqlStore,
                                                                          focus: SqlFocusStore) -> None:
    window = await _add(store, RitualKind.FOCUS, FocusSettings(until=time(17, 0), label="focus afternoon"))
    other = await _add(store, RitualKind.FOCUS, FocusSettings(until=time(13, 0)), channel="C2")
    await _add(store, RitualKind.CORE_HOURS, CoreHoursSettings(ranges=((time(10, 0), time(12, 0)),)))
    running = await focus.running_windows()
    assert [(ritual.id, team.channel_id) for ritual, team in running] == [(window, "C1"), (other, "C2")]
    assert running[0][0].focus.label == "focus afternoon"
    await store.set_paused(other, True)
    await store.delete_ritual(window)
    assert await focus.running_windows() == []


@pytest.mark.asyncio
async def test_a_reminder_is_claimed_once_per_window_and_day_even_by_racing_workers(store: SqlStore,
                                                                                    focus: SqlFocusStore) -> None:
    window = await _add(store, RitualKind.FOCUS, FocusSettings(until=time(17, 0)))
    claims = await asyncio.gather(*(focus.claim_reminder(window, WEDNESDAY, NOW) for _ in range(4)))
    assert sorted(claims) == [False, False, False, True]
    assert await focus.claim_reminder(window, WEDNESDAY, NOW) is False
    assert await focus.claim_reminder(window, date(2026, 12, 2), NOW) is True
