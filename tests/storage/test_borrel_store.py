"""SqlBorrelStore on both databases: occurrences made once, claims that happen once, RSVPs, cancel, move, history."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest

from rituals.model import BorrelSettings, Member, RitualKind, Role, StandupSettings
from rituals.ports import BorrelStore, MemberDefaults, NewRitual
from storage.borrel import SqlBorrelStore
from storage.database import create_engine
from storage.repository import SqlStore

FRIDAY = date(2026, 11, 27)
START = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)
DEFAULTS = MemberDefaults(timezone="Europe/Amsterdam", locale="en")


@dataclass
class World:
    store: SqlStore
    borrels: SqlBorrelStore
    ritual_id: int
    members: list[Member]

    async def occurrence(self, day: date = FRIDAY, start: datetime = START) -> int:
        made = await self.borrels.ensure_occurrence(
            self.ritual_id, day, starts_at=start, ends_at=start + timedelta(minutes=45),
            invite_at=start - timedelta(hours=6), remind_at=start - timedelta(minutes=10),
        )
        return made.id


@pytest.fixture
async def borrels(database_url: str) -> AsyncIterator[SqlBorrelStore]:
    engine = create_engine(database_url)
    try:
        yield SqlBorrelStore(engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def world(store: SqlStore, borrels: SqlBorrelStore) -> World:
    team = await store.upsert_team("slack", "T1", "C1", "Team One")
    members = [await store.upsert_member("slack", "T1", f"U{i}", f"Person {i}", DEFAULTS) for i in range(4)]
    await store.set_role(team.id, members[0].id, Role.MANAGER)
    settings = BorrelSettings(link="https://meet.example/b", anchor=date(2026, 11, 23))
    ritual = await store.add_ritual(NewRitual(
        team_id=team.id, kind=RitualKind.BORREL, at=time(16, 30), days=(4,), timezone="Europe/Amsterdam",
        locale="en", settings=settings, created_by=members[0].id,
    ))
    # Another kind in the same team, which running_borrels must leave out.
    await store.add_ritual(NewRitual(
        team_id=team.id, kind=RitualKind.STANDUP, at=time(9, 0), days=(0,), timezone="Europe/Amsterdam",
        locale="en", settings=StandupSettings(digest_at=time(11, 0)), created_by=members[0].id,
    ))
    return World(store=store, borrels=borrels, ritual_id=ritual.id, members=members)


def test_sql_borrel_store_has_every_borrel_store_method_with_its_signature() -> None:
    methods = [name for name, value in vars(BorrelStore).items() if inspect.iscoroutinefunction(value)]
    assert len(methods) == 12
    for name in methods:
        assert inspect.signature(getattr(SqlBorrelStore, name)) == inspect.signature(getattr(BorrelStore, name)), name


async def test_running_borrels_and_an_occurrence_is_made_once(world: World) -> None:
    assert [r.id for r in await world.borrels.running_borrels()] == [world.ritual_id]
    first = await world.occurrence()
    assert await world.occurrence(start=START + timedelta(hours=1)) == first  # the existing row is kept
    context = await world.borrels.context(first)
    assert context is not None and context.occurrence.starts_at == START and context.team.name == "Team One"
    assert context.ritual.borrel.link == "https://meet.example/b"
    await world.store.set_paused(world.ritual_id, True)
    assert await world.borrels.running_borrels() == []


async def test_invite_reminder_and_closing_are_claimed_once_even_by_racing_workers(world: World) -> None:
    occurrence = await world.occurrence()
    early = START - timedelta(hours=7)
    assert await world.borrels.claim_invites(early) == []
    invite_time = START - timedelta(hours=6)
    claims = await asyncio.gather(*(world.borrels.claim_invites(invite_time) for _ in range(4)))
    assert sorted(len(claim) for claim in claims) == [0, 0, 0, 1]
    remind_time = START - timedelta(minutes=10)
    claims = await asyncio.gather(*(world.borrels.claim_reminders(remind_time) for _ in range(4)))
    assert sorted(len(claim) for claim in claims) == [0, 0, 0, 1]
    await world.borrels.rsvp(occurrence, world.members[1].id, "join", remind_time)
    await world.borrels.rsvp(occurrence, world.members[2].id, "maybe", remind_time)
    await world.borrels.rsvp(occurrence, world.members[3].id, "join", remind_time)
    await world.borrels.rsvp(occurrence, world.members[3].id, "no", remind_time)  # replaces the join
    assert await world.borrels.claim_closings(START) == []
    [closed] = await world.borrels.claim_closings(START + timedelta(minutes=45))
    assert (closed.occurrence.joined, closed.occurrence.maybe, closed.occurrence.declined) == (1, 1, 1)
    assert await world.borrels.claim_closings(START + timedelta(hours=2)) == []
    assert not await world.borrels.rsvp(occurrence, world.members[2].id, "join", START + timedelta(hours=2))
    [past] = await world.borrels.history(world.ritual_id)
    assert past.id == occurrence and past.joined == 1


async def test_rsvps_by_name_with_the_latest_answer(world: World) -> None:
    occurrence = await world.occurrence()
    for member, answer in ((world.members[2], "maybe"), (world.members[1], "join"), (world.members[2], "no")):
        assert await world.borrels.rsvp(occurrence, member.id, answer, START)
    assert [(r.member.display_name, r.answer) for r in await world.borrels.rsvps(occurrence)] == [
        ("Person 1", "join"), ("Person 2", "no")
    ]
    with pytest.raises(ValueError):
        await world.borrels.rsvp(occurrence, world.members[1].id, "perhaps", START)


async def test_cancel_stops_invites_reminders_and_rsvps_and_shows_in_history(world: World) -> None:
    occurrence = await world.occurrence()
    assert await world.borrels.cancel(occurrence, START - timedelta(days=1))
    assert not await world.borrels.cancel(occurrence, START - timedelta(days=1))
    assert await world.borrels.claim_invites(START - timedelta(hours=1)) == []
    assert not await world.borrels.rsvp(occurrence, world.members[1].id, "join", START)
    assert not await world.borrels.move(occurrence, starts_at=START, ends_at=START, invite_at=START, remind_at=START)
    [closed] = await world.borrels.claim_closings(START + timedelta(hours=1))
    assert closed.occurrence.cancelled_at is not None
    [past] = await world.borrels.history(world.ritual_id)
    assert past.cancelled_at is not None


async def test_move_gives_new_times_and_a_new_reminder(world: World) -> None:
    occurrence = await world.occurrence()
    await world.borrels.claim_invites(START - timedelta(hours=6))
    [reminded] = await world.borrels.claim_reminders(START - timedelta(minutes=5))
    later = START + timedelta(hours=1)
    assert await world.borrels.move(occurrence, starts_at=later, ends_at=later + timedelta(minutes=45),
                                    invite_at=reminded.occurrence.invite_at, remind_at=later - timedelta(minutes=10))
    [upcoming] = await world.borrels.upcoming(world.ritual_id, START)
    assert upcoming.starts_at == later and upcoming.reminded_at is None and upcoming.local_date == FRIDAY
    assert await world.borrels.claim_reminders(START) == []
    assert len(await world.borrels.claim_reminders(later - timedelta(minutes=10))) == 1


async def test_paused_series_send_nothing_but_still_close(world: World) -> None:
    await world.occurrence()
    await world.store.set_paused(world.ritual_id, True)
    assert await world.borrels.claim_invites(START - timedelta(hours=1)) == []
    assert len(await world.borrels.claim_closings(START + timedelta(hours=1))) == 1
    assert await world.borrels.history(world.ritual_id) == []  # never invited: no attendance to speak of
