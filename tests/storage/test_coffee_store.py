"""SqlCoffeeStore on both databases: posts and rounds claimed once, participants, groups, answers and totals."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from rituals.model import CoffeeMachineSettings, CoffeeSettings, Member, RitualKind, Role
from rituals.ports import MemberDefaults, NewCoffeeGroup, NewRitual
from storage.coffee import SqlCoffeeStore
from storage.database import create_engine
from storage.repository import SqlStore

MONDAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DEFAULTS = MemberDefaults(timezone="Europe/Amsterdam", locale="en")


@dataclass
class Coffee:
    store: SqlStore
    coffee: SqlCoffeeStore
    ritual_id: int
    machine_id: int
    members: list[Member]

    def group(self, *indexes: int, minutes: int = 120, cross: bool = False, reason: str = "",
              due: datetime = NOW) -> NewCoffeeGroup:
        return NewCoffeeGroup(members=tuple(self.members[i].id for i in indexes), shared_minutes=minutes,
                              cross_team=cross, last_met=None, reason=reason, intro_due_at=due)


@pytest.fixture
async def coffee(database_url: str) -> AsyncIterator[SqlCoffeeStore]:
    engine = create_engine(database_url)
    try:
        yield SqlCoffeeStore(engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def team(store: SqlStore, coffee: SqlCoffeeStore) -> Coffee:
    team = await store.upsert_team("slack", "T1", "C1", "Team One")
    members = [await store.upsert_member("slack", "T1", f"U{i}", f"Person {i}", DEFAULTS) for i in range(5)]
    await store.set_role(team.id, members[0].id, Role.MANAGER)
    for member in members[1:]:
        await store.join_team(team.id, member.id)

    async def add(kind: RitualKind, settings: CoffeeSettings | CoffeeMachineSettings) -> int:
        ritual = await store.add_ritual(NewRitual(team_id=team.id, kind=kind, at=time(10, 0), days=(0,),
                                                  timezone="Europe/Amsterdam", locale="en", settings=settings,
                                                  created_by=members[0].id))
        return ritual.id

    ritual_id = await add(RitualKind.COFFEE, CoffeeSettings(anchor=MONDAY))
    machine_id = await add(RitualKind.COFFEE_MACHINE,
                           CoffeeMachineSettings(link="https://meet.example/koffie", until=time(10, 30)))
    return Coffee(store, coffee, ritual_id, machine_id, members)


@pytest.mark.asyncio
async def test_running_lists_coffee_rituals_with_their_team_until_paused(team: Coffee) -> None:
    running = await team.coffee.running()
    assert [(ritual.id, ritual.kind, t.channel_id) for ritual, t in running] == [
        (team.ritual_id, RitualKind.COFFEE, "C1"), (team.machine_id, RitualKind.COFFEE_MACHINE, "C1")]
    assert running[1][0].coffee_machine.link == "https://meet.example/koffie"
    await team.store.set_paused(team.machine_id, True)
    assert [ritual.id for ritual, _ in await team.coffee.running()] == [team.ritual_id]


@pytest.mark.asyncio
async def test_a_machine_post_is_claimed_once_per_day_even_by_racing_workers(team: Coffee) -> None:
    claims = await asyncio.gather(*(team.coffee.claim_machine_post(team.machine_id, MONDAY, NOW) for _ in range(4)))
    assert sorted(claims) == [False, False, False, True]
    assert await team.coffee.claim_machine_post(team.machine_id, MONDAY + timedelta(days=1), NOW)


@pytest.mark.asyncio
async def test_joining_leaving_and_skipping_are_remembered_and_a_round_clears_skips(team: Coffee) -> None:
    a, b, c = (m.id for m in team.members[1:4])
    await team.coffee.set_joined(team.ritual_id, a, True)
    await team.coffee.set_skip(team.ritual_id, a, True)
    await team.coffee.set_skip(team.ritual_id, b, True)
    await team.coffee.set_joined(team.ritual_id, b, False)
    await team.coffee.set_joined(team.ritual_id, c, True)
    said = await team.coffee.participations(team.ritual_id)
    assert (said[a].joined, said[a].skip_next) == (True, True)
    assert (said[b].joined, said[b].skip_next) == (False, False)  # leaving drops the skip
    assert team.members[4].id not in said
    assert await team.coffee.start_round(team.ritual_id, MONDAY, NOW, [team.group(3, 4)]) is not None
    assert not (await team.coffee.participations(team.ritual_id))[a].skip_next


@pytest.mark.asyncio
async def test_a_round_is_stored_once_with_its_groups(team: Coffee) -> None:
    groups = [team.group(1, 2, cross=True), team.group(3, 4), team.group(0, reason="alone")]
    first, second = await asyncio.gather(
        team.coffee.start_round(team.ritual_id, MONDAY, NOW, groups),
        team.coffee.start_round(team.ritual_id, MONDAY, NOW, groups),
    )
    assert (first is None) != (second is None)
    assert await team.coffee.latest_round(team.ritual_id) == MONDAY
    mine = await team.coffee.member_group(team.ritual_id, team.members[4].id)
    assert mine is not None and mine.members == (team.members[3].id, team.members[4].id)
    alone = await team.coffee.member_group(team.ritual_id, team.members[0].id)
    assert alone is not None and alone.reason == "alone"
    recent = await team.coffee.recent_groups(team.ritual_id, MONDAY + timedelta(days=7), 4)
    assert sorted(recent[0]) == sorted(g.members for g in groups if not g.reason)  # the note is no meeting
    assert await team.coffee.recent_groups(team.ritual_id, MONDAY, 4) == []


@pytest.mark.asyncio
async def test_intros_and_follow_ups_go_out_once_and_answers_count(team: Coffee) -> None:
    later = NOW + timedelta(hours=3)
    await team.coffee.start_round(team.ritual_id, MONDAY, NOW, [
        team.group(1, 2, cross=True), team.group(3, 4, due=later), team.group(0, reason="alone")])
    due = await team.coffee.due_intros(NOW, 10)
    assert [g.members for g in due] == [(team.members[1].id, team.members[2].id), (team.members[0].id,)]
    pair = due[0]
    follow = NOW + timedelta(days=3)
    claims = await asyncio.gather(*(team.coffee.claim_intro(pair.id, NOW, follow) for _ in range(3)))
    assert sorted(claims) == [False, False, True]
    await team.coffee.postpone(due[1].id, intro_due_at=later)
    assert [g.id for g in await team.coffee.due_intros(NOW, 10)] == []
    assert await team.coffee.due_follow_ups(follow - timedelta(minutes=1), 10) == []
    [asked] = await team.coffee.due_follow_ups(follow, 10)
    assert asked.id == pair.id
    assert await team.coffee.claim_follow_up(pair.id, follow)
    assert not await team.coffee.claim_follow_up(pair.id, follow)
    assert await team.coffee.due_follow_ups(follow, 10) == []
    await team.coffee.record_met(pair.id, False, follow)
    await team.coffee.record_met(pair.id, True, follow)
    stored = await team.coffee.group(pair.id)
    assert stored is not None and stored.met is True and stored.intro_sent_at == NOW
    stats = await team.coffee.stats(team.ritual_id)
    assert (stats.rounds, stats.groups, stats.asked, stats.met, stats.cross_team, stats.cross_team_met) == (
        1, 2, 1, 1, 1, 1)


@pytest.mark.asyncio
async def test_a_deleted_pairing_sends_nothing_more(team: Coffee) -> None:
    await team.coffee.start_round(team.ritual_id, MONDAY, NOW, [team.group(1, 2)])
    await team.store.delete_ritual(team.ritual_id)
    assert await team.coffee.due_intros(NOW, 10) == []
    assert [ritual.id for ritual, _ in await team.coffee.running()] == [team.machine_id]


@pytest.mark.asyncio
async def test_a_member_removed_from_the_database_leaves_no_trace_in_any_group(team: Coffee) -> None:
    await team.coffee.start_round(team.ritual_id, MONDAY, NOW, [team.group(1, 2), team.group(3, 4)])
    gone = team.members[2]
    async with team.store.engine.begin() as conn:
        await conn.execute(sa.text("DELETE FROM members WHERE id = :id"), {"id": gone.id})
        left = (await conn.execute(sa.text("SELECT count(*) FROM coffee_group_members WHERE member_id = :id"),
                                   {"id": gone.id})).scalar_one()
    assert left == 0
    assert await team.coffee.member_group(team.ritual_id, gone.id) is None
    partner = await team.coffee.member_group(team.ritual_id, team.members[1].id)
    assert partner is not None and partner.members == (team.members[1].id,)
    # A group of one is no meeting to avoid next time; the other pair still is.
    assert await team.coffee.recent_groups(team.ritual_id, MONDAY + timedelta(days=7), 1) == [
        [(team.members[3].id, team.members[4].id)]]
