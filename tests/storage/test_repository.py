"""SqlStore against real databases: SQLite always, PostgreSQL when RITME_TEST_DATABASE_URL is set."""

from __future__ import annotations

import asyncio
import inspect
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError

from rituals.model import Answer, DeliveryStatus, Member, Ritual, RitualKind, Role, StandupSettings, Team
from rituals.ports import MemberChanges, MemberDefaults, NewRitual, PlannedDelivery, PlannedOccurrence, Store
from storage.database import create_engine
from storage.models import DeliveryRow
from storage.repository import SqlStore

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday
TODAY = date(2026, 11, 23)
DEFAULTS = MemberDefaults(timezone="Europe/Amsterdam", locale="en")
GRACE = timedelta(hours=2)


@dataclass
class World:
    """A team with a manager, two members and a stand-up."""

    team: Team
    manager: Member
    anna: Member
    ben: Member
    ritual: Ritual


async def make_world(store: SqlStore, channel: str = "c1") -> World:
    team = await store.upsert_team("slack", "T1", channel, "Team One")
    manager = await store.upsert_member("slack", "T1", "UMGR", "Maud", DEFAULTS)
    anna = await store.upsert_member("slack", "T1", "UANNA", "Anna", DEFAULTS)
    ben = await store.upsert_member("slack", "T1", "UBEN", "ben", DEFAULTS)
    await store.set_role(team.id, manager.id, Role.MANAGER)
    for member in (anna, ben):
        await store.join_team(team.id, member.id)
    ritual = await store.add_ritual(
        NewRitual(
            team_id=team.id,
            kind=RitualKind.STANDUP,
            at=time(9, 30),
            days=(0, 1, 2, 3, 4),
            timezone="Europe/Amsterdam",
            locale="en",
            settings=StandupSettings(digest_at=time(11, 0), questions=("Yesterday?", "Today?")),
            created_by=manager.id,
        )
    )
    return World(team=team, manager=manager, anna=anna, ben=ben, ritual=ritual)


def planned(
    world: World, members: list[Member], due_at: datetime, *, day: date = TODAY, remind: bool = True
) -> PlannedOccurrence:
    return PlannedOccurrence(
        ritual_id=world.ritual.id,
        local_date=day,
        digest_due_at=due_at + timedelta(hours=2),
        deliveries=tuple(
            PlannedDelivery(member_id=m.id, due_at=due_at, remind_at=due_at + timedelta(hours=1) if remind else None)
            for m in members
        ),
    )


def test_sql_store_has_every_store_method_with_its_signature() -> None:
    methods = [name for name, value in vars(Store).items() if inspect.iscoroutinefunction(value)]
    assert methods
    for name in methods:
        assert inspect.signature(getattr(SqlStore, name)) == inspect.signature(getattr(Store, name)), name


# Inbound events


@pytest.mark.asyncio
async def test_record_inbound_dedupes_per_platform(store: SqlStore) -> None:
    assert await store.record_inbound("slack", "Ev1", NOW) is True
    assert await store.record_inbound("slack", "Ev1", NOW + timedelta(seconds=3)) is False
    assert await store.record_inbound("teams", "Ev1", NOW) is True
    await store.forget_inbound("slack", "Ev1")
    assert await store.record_inbound("slack", "Ev1", NOW) is True


@pytest.mark.asyncio
async def test_naive_datetimes_are_refused(store: SqlStore) -> None:
    with pytest.raises(ValueError, match="naive"):
        await store.record_inbound("slack", "Ev1", datetime(2026, 11, 23, 8, 0))
    assert await store.record_inbound("slack", "Ev1", NOW) is True


# Members, teams and roles


@pytest.mark.asyncio
async def test_upsert_member_creates_then_keeps_settings_and_takes_new_names(store: SqlStore) -> None:
    created = await store.upsert_member("slack", "T1", "U1", "Anna", DEFAULTS)
    assert created.work_days == (0, 1, 2, 3, 4)
    assert (created.work_start, created.work_end) == (time(9, 0), time(17, 30))
    assert (created.platform, created.workspace_id, created.away_until) == ("slack", "T1", None)

    await store.update_member(created.id, MemberChanges(timezone="Asia/Kolkata"))
    renamed = await store.upsert_member("slack", "T1", "U1", "Anna B", MemberDefaults(timezone="UTC", locale="nl"))
    assert renamed.id == created.id
    assert (renamed.display_name, renamed.timezone, renamed.locale) == ("Anna B", "Asia/Kolkata", "en")
    # An event without a name does not wipe the one we know.
    assert (await store.upsert_member("slack", "T1", "U1", "", DEFAULTS)).display_name == "Anna B"
    # The same user id in another workspace is another person.
    assert (await store.upsert_member("slack", "T2", "U1", "Anna", DEFAULTS)).id != created.id


@pytest.mark.asyncio
async def test_update_member_applies_changes_and_clears_away(store: SqlStore) -> None:
    member = await store.upsert_member("slack", "T1", "U1", "Anna", DEFAULTS)
    changed = await store.update_member(
        member.id,
        MemberChanges(work_days=(1, 2, 3), work_start=time(10, 0), work_end=time(16, 0), away_until=date(2026, 12, 1)),
    )
    assert changed.work_days == (1, 2, 3)
    assert (changed.work_start, changed.work_end, changed.away_until) == (time(10, 0), time(16, 0), date(2026, 12, 1))
    assert (await store.update_member(member.id, MemberChanges(clear_away=True))).away_until is None
    with pytest.raises(LookupError):
        await store.update_member(member.id + 1000, MemberChanges(locale="nl"))


@pytest.mark.asyncio
async def test_find_members_by_name_case_insensitively_or_user_id(store: SqlStore) -> None:
    elodie = await store.upsert_member("slack", "T1", "U1", "Élodie", DEFAULTS)
    await store.upsert_member("slack", "T2", "U9", "Élodie", DEFAULTS)
    assert [m.id for m in await store.find_members("slack", "T1", "éLODIE")] == [elodie.id]
    assert [m.id for m in await store.find_members("slack", "T1", "U1")] == [elodie.id]
    assert await store.find_members("slack", "T1", "Elodie") == []
    assert await store.find_members("teams", "T1", "Élodie") == []


@pytest.mark.asyncio
async def test_upsert_team_is_one_row_per_channel_and_keeps_the_latest_name(store: SqlStore) -> None:
    first = await store.upsert_team("slack", "T1", "C1", "general")
    again = await store.upsert_team("slack", "T1", "C1", "standup")
    assert again.id == first.id
    assert again.name == "standup"
    assert (await store.upsert_team("slack", "T1", "C1", "")).name == "standup"
    assert (await store.upsert_team("slack", "T1", "C2", "other")).id != first.id


@pytest.mark.asyncio
async def test_roles_join_does_not_downgrade_a_manager(store: SqlStore) -> None:
    team = await store.upsert_team("slack", "T1", "C1", "team")
    anna = await store.upsert_member("slack", "T1", "U1", "Anna", DEFAULTS)
    ben = await store.upsert_member("slack", "T1", "U2", "Ben", DEFAULTS)
    assert await store.role(team.id, anna.id) is None

    await store.join_team(team.id, anna.id)
    await store.join_team(team.id, anna.id)
    assert await store.role(team.id, anna.id) is Role.MEMBER

    await store.set_role(team.id, anna.id, Role.MANAGER)
    await store.join_team(team.id, anna.id)
    assert await store.role(team.id, anna.id) is Role.MANAGER

    await store.set_role(team.id, ben.id, Role.MANAGER)  # joins Ben too
    assert [m.id for m in await store.managers(team.id)] == [anna.id, ben.id]
    await store.set_role(team.id, ben.id, Role.MEMBER)
    assert [m.id for m in await store.managers(team.id)] == [anna.id]
    cleo = await store.upsert_member("slack", "T1", "U3", "cleo", DEFAULTS)
    await store.join_team(team.id, cleo.id)
    assert [m.display_name for m in await store.team_members(team.id)] == ["Anna", "Ben", "cleo"]


# Rituals


@pytest.mark.asyncio
async def test_rituals_round_trip_settings_and_hide_deleted(store: SqlStore) -> None:
    world = await make_world(store)
    [ritual] = await store.rituals(world.team.id)
    assert ritual == world.ritual
    assert ritual.settings.questions == ("Yesterday?", "Today?")
    assert ritual.days == (0, 1, 2, 3, 4)

    await store.delete_ritual(ritual.id)
    await store.delete_ritual(ritual.id)
    assert await store.rituals(world.team.id) == []
    assert await store.planning_view() == []
    with pytest.raises(LookupError):
        await store.delete_ritual(ritual.id + 1000)


@pytest.mark.asyncio
async def test_invalid_stored_settings_are_refused_when_read(store: SqlStore, database_url: str) -> None:
    world = await make_world(store)
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text("UPDATE rituals SET settings = :bad WHERE id = :id"),
                {"bad": '{"digest_at": "11:00:00", "surprise": 1}', "id": world.ritual.id},
            )
    finally:
        await engine.dispose()
    with pytest.raises(ValueError, match="surprise"):
        await store.rituals(world.team.id)


@pytest.mark.asyncio
async def test_planning_view_lists_running_rituals_with_their_members(store: SqlStore) -> None:
    world = await make_world(store)
    other = await make_world(store, channel="c2")  # same people, second team and ritual
    await store.set_paused(other.ritual.id, True)
    view = await store.planning_view()
    assert [(ritual.id, [m.id for m in members]) for ritual, members in view] == [
        (world.ritual.id, [world.manager.id, world.anna.id, world.ben.id])
    ]
    await store.set_paused(other.ritual.id, False)
    assert [ritual.id for ritual, _ in await store.planning_view()] == [world.ritual.id, other.ritual.id]


# Planning: the once-per-member-per-local-date key


@pytest.mark.asyncio
async def test_planning_twice_creates_no_duplicates(store: SqlStore) -> None:
    world = await make_world(store)
    members = [world.anna, world.ben]
    assert await store.plan([planned(world, members, NOW + timedelta(hours=1))]) == 2
    # A replanning with other times for the same date adds nothing and leaves the first rows alone.
    assert await store.plan([planned(world, [*members, world.manager], NOW + timedelta(hours=3))]) == 1
    assert await store.plan([planned(world, members, NOW, day=TODAY + timedelta(days=1))]) == 2

    occurrence = await store.occurrence(world.ritual.id, TODAY)
    assert occurrence is not None
    assert occurrence.digest_due_at == NOW + timedelta(hours=3)
    due = await store.claim_due_prompts(NOW + timedelta(hours=1), GRACE, 100)
    assert len(due) == 4  # Anna and Ben on both dates; the manager's first prompt is not due yet
    today = [d for d in due if d.delivery.occurrence_id == occurrence.id]
    assert sorted(d.member.id for d in today) == [world.anna.id, world.ben.id]
    assert {d.delivery.due_at for d in today} == {NOW + timedelta(hours=1)}


@pytest.mark.asyncio
async def test_database_refuses_a_second_delivery_for_a_member_and_date(store: SqlStore, database_url: str) -> None:
    world = await make_world(store)
    await store.plan([planned(world, [world.anna], NOW)])
    occurrence = await store.occurrence(world.ritual.id, TODAY)
    assert occurrence is not None
    engine = create_engine(database_url)
    try:
        with pytest.raises(IntegrityError):
            async with engine.begin() as connection:
                await connection.execute(
                    insert(DeliveryRow).values(
                        occurrence_id=occurrence.id,
                        ritual_id=world.ritual.id,
                        member_id=world.anna.id,
                        local_date=TODAY,
                        due_at=NOW,
                        status="pending",
                    )
                )
    finally:
        await engine.dispose()


@pytest.mark.asyncio
async def test_datetimes_come_back_aware_in_utc(store: SqlStore) -> None:
    world = await make_world(store)
    amsterdam_winter = timezone(timedelta(hours=1))
    due_local = datetime(2026, 11, 23, 9, 30, tzinfo=amsterdam_winter)
    await store.plan([planned(world, [world.anna], due_local)])

    [due] = await store.claim_due_prompts(due_local, GRACE, 10)
    assert due.delivery.due_at == due_local
    assert due.delivery.due_at.tzinfo is UTC
    assert due.delivery.due_at.hour == 8
    assert due.delivery.remind_at is not None and due.delivery.remind_at.tzinfo is UTC
    assert due.digest_due_at.tzinfo is UTC
    occurrence = await store.occurrence(world.ritual.id, TODAY)
    assert occurrence is not None and occurrence.digest_due_at.tzinfo is UTC


# Claiming prompts


@pytest.mark.asyncio
async def test_claim_marks_stale_prompts_missed_and_returns_due_ones_once_finished(store: SqlStore) -> None:
    world = await make_world(store)
    await store.plan(
        [
            planned(world, [world.manager], NOW - GRACE - timedelta(minutes=1)),  # past grace: missed
            planned(world, [world.anna], NOW - timedelta(minutes=30), day=TODAY + timedelta(days=1)),
            planned(world, [world.ben], NOW, day=TODAY + timedelta(days=2)),
            planned(world, [world.anna], NOW + timedelta(minutes=1), day=TODAY + timedelta(days=3)),  # not yet
        ]
    )
    due = await store.claim_due_prompts(NOW, GRACE, 10)
    assert [d.member.id for d in due] == [world.anna.id, world.ben.id]  # by due_at
    first = due[0]
    assert first.delivery.status is DeliveryStatus.PENDING
    assert first.ritual == world.ritual
    assert first.team == world.team
    assert first.member == world.anna
    assert first.digest_due_at == first.delivery.due_at + timedelta(hours=2)

    # Not finished yet: the documented contract is that a second claim sees them again.
    assert [d.delivery.id for d in await store.claim_due_prompts(NOW, GRACE, 10)] == [d.delivery.id for d in due]
    await store.finish_prompts([first.delivery.id], [due[1].delivery.id], NOW)
    assert await store.claim_due_prompts(NOW, GRACE, 10) == []

    answer = await store.answer_context(first.delivery.id)
    assert answer is not None
    assert answer.delivery.status is DeliveryStatus.SENT
    assert answer.delivery.sent_at == NOW
    skipped = await store.answer_context(due[1].delivery.id)
    assert skipped is not None and skipped.delivery.status is DeliveryStatus.SKIPPED
    # The manager's prompt fell outside the grace and was never returned.
    assert [d.member.id for d in await store.claim_due_prompts(NOW + timedelta(minutes=1), GRACE, 10)] == [
        world.anna.id
    ]


@pytest.mark.asyncio
async def test_claim_respects_limit_and_skips_paused_rituals(store: SqlStore) -> None:
    world = await make_world(store)
    await store.plan([planned(world, [world.manager, world.anna, world.ben], NOW)])
    assert len(await store.claim_due_prompts(NOW, GRACE, 2)) == 2

    await store.set_paused(world.ritual.id, True)  # drops the unsent prompts
    assert await store.claim_due_prompts(NOW, GRACE, 10) == []
    await store.set_paused(world.ritual.id, False)
    assert await store.claim_due_prompts(NOW, GRACE, 10) == []
    assert await store.plan([planned(world, [world.anna], NOW)]) == 1  # the planner may put them back
    with pytest.raises(LookupError):
        await store.set_paused(world.ritual.id + 1000, True)


@pytest.mark.asyncio
async def test_replan_member_and_bring_forward_touch_only_pending_prompts(store: SqlStore) -> None:
    world = await make_world(store)
    later = NOW + timedelta(hours=2)
    await store.plan([planned(world, [world.anna, world.ben, world.manager], later)])
    occurrence = await store.occurrence(world.ritual.id, TODAY)
    assert occurrence is not None

    await store.bring_forward(occurrence.id, [world.anna.id, world.ben.id], NOW)
    due = await store.claim_due_prompts(NOW, GRACE, 10)
    assert sorted(d.member.id for d in due) == [world.anna.id, world.ben.id]
    await store.finish_prompts([d.delivery.id for d in due], [], NOW)

    await store.replan_member(world.anna.id)  # Anna's prompt went out: nothing to forget
    await store.replan_member(world.manager.id)
    assert await store.claim_due_prompts(later, GRACE, 10) == []
    assert await store.plan([planned(world, [world.anna, world.ben, world.manager], later)]) == 1


# Reminders, digests and answers


@pytest.mark.asyncio
async def test_due_reminders_only_for_unanswered_sent_prompts_before_the_digest(store: SqlStore) -> None:
    world = await make_world(store)
    await store.plan([planned(world, [world.anna, world.ben, world.manager], NOW)])
    due = await store.claim_due_prompts(NOW, GRACE, 10)
    by_member = {d.member.id: d.delivery.id for d in due}
    await store.finish_prompts([by_member[world.anna.id], by_member[world.ben.id]], [by_member[world.manager.id]], NOW)
    remind_time = NOW + timedelta(hours=1)
    assert await store.due_reminders(remind_time - timedelta(minutes=1), 10) == []

    await store.save_answer(
        Answer(
            delivery_id=by_member[world.ben.id], member_id=world.ben.id, values=("a", "b"), submitted_at=NOW, late=False
        )
    )
    reminders = await store.due_reminders(remind_time, 10)
    assert [r.member.id for r in reminders] == [world.anna.id]
    assert reminders[0].delivery.status is DeliveryStatus.SENT

    await store.mark_reminded([reminders[0].delivery.id], remind_time)
    assert await store.due_reminders(remind_time, 10) == []


@pytest.mark.asyncio
async def test_no_reminders_once_the_digest_is_out(store: SqlStore) -> None:
    world = await make_world(store)
    await store.plan([planned(world, [world.anna], NOW)])
    [due] = await store.claim_due_prompts(NOW, GRACE, 10)
    await store.finish_prompts([due.delivery.id], [], NOW)
    assert await store.claim_digest(due.delivery.occurrence_id, NOW)
    assert await store.due_reminders(NOW + timedelta(hours=1), 10) == []


@pytest.mark.asyncio
async def test_digest_is_due_once_and_claimed_once(store: SqlStore) -> None:
    world = await make_world(store)
    await store.plan([planned(world, [world.anna], NOW)])
    occurrence = await store.occurrence(world.ritual.id, TODAY)
    assert occurrence is not None
    digest_time = occurrence.digest_due_at
    assert await store.due_digests(digest_time - timedelta(seconds=1)) == []

    await store.set_paused(world.ritual.id, True)  # a paused ritual still posts the digest under way
    assert await store.due_digests(digest_time) == [occurrence.id]
    assert await store.claim_digest(occurrence.id, digest_time) is True
    assert await store.claim_digest(occurrence.id, digest_time) is False
    assert await store.due_digests(digest_time + timedelta(days=1)) == []
    posted = await store.occurrence(world.ritual.id, TODAY)
    assert posted is not None and posted.digest_posted_at == digest_time


@pytest.mark.asyncio
async def test_deleted_rituals_post_no_digest_but_keep_answers(store: SqlStore) -> None:
    world = await make_world(store)
    await store.plan([planned(world, [world.anna, world.ben], NOW)])
    due = await store.claim_due_prompts(NOW, GRACE, 10)
    anna = next(d for d in due if d.member.id == world.anna.id)
    await store.finish_prompts([anna.delivery.id], [], NOW)
    await store.save_answer(
        Answer(delivery_id=anna.delivery.id, member_id=world.anna.id, values=("x",), submitted_at=NOW, late=False)
    )
    await store.delete_ritual(world.ritual.id)
    assert await store.due_digests(NOW + timedelta(days=1)) == []
    assert await store.claim_due_prompts(NOW, GRACE, 10) == []  # Ben's unsent prompt is gone
    context = await store.answer_context(anna.delivery.id)
    assert context is not None and context.previous is not None
    assert context.previous.values == ("x",)


@pytest.mark.asyncio
async def test_answers_replace_and_fill_the_digest(store: SqlStore) -> None:
    world = await make_world(store)
    await store.plan([planned(world, [world.anna, world.ben, world.manager], NOW)])
    due = await store.claim_due_prompts(NOW, GRACE, 10)
    by_member = {d.member.id: d.delivery.id for d in due}
    await store.finish_prompts([by_member[world.anna.id], by_member[world.ben.id]], [by_member[world.manager.id]], NOW)
    anna_delivery = by_member[world.anna.id]

    context = await store.answer_context(anna_delivery)
    assert context is not None
    assert context.previous is None
    assert (context.member, context.team, context.ritual) == (world.anna, world.team, world.ritual)
    assert context.occurrence.local_date == TODAY

    first = Answer(delivery_id=anna_delivery, member_id=world.anna.id, values=("a", "b"), submitted_at=NOW, late=False)
    second = Answer(
        delivery_id=anna_delivery,
        member_id=world.anna.id,
        values=("c", "d"),
        submitted_at=NOW + timedelta(hours=3),
        late=True,
    )
    await store.save_answer(first)
    await store.save_answer(second)
    context = await store.answer_context(anna_delivery)
    assert context is not None
    assert context.previous == second

    digest = await store.digest_context(context.occurrence.id)
    assert (digest.ritual, digest.team) == (world.ritual, world.team)
    # Only prompted members, ordered by display name whatever its case ("Anna" < "ben"); skipped Maud is out.
    assert [(e.member.id, e.answer) for e in digest.entries] == [(world.anna.id, second), (world.ben.id, None)]

    assert await store.answer_context(anna_delivery + 1000) is None
    with pytest.raises(LookupError):
        await store.digest_context(context.occurrence.id + 1000)


# Concurrency


@pytest.mark.asyncio
async def test_concurrent_writers_wait_for_each_other_instead_of_failing(store: SqlStore) -> None:
    # 40 transactions at once over the pool; on SQLite they queue on BEGIN IMMEDIATE within busy_timeout.
    results = await asyncio.gather(*(store.record_inbound("slack", f"Ev{i % 20}", NOW) for i in range(40)))
    assert results.count(True) == 20


@pytest.mark.asyncio
async def test_a_digest_claimed_by_racing_callers_is_claimed_once(store: SqlStore) -> None:
    world = await make_world(store)
    await store.plan([planned(world, [world.anna], NOW)])
    occurrence = await store.occurrence(world.ritual.id, TODAY)
    assert occurrence is not None
    results = await asyncio.gather(*(store.claim_digest(occurrence.id, NOW) for _ in range(10)))
    assert results.count(True) == 1
