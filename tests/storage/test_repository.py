"""SqlStore against real databases: SQLite always, PostgreSQL when RITME_TEST_DATABASE_URL is set."""

from __future__ import annotations

import asyncio
import inspect
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError

from rituals.model import (
    Answer,
    DeliveryStatus,
    DuePrompt,
    Member,
    PulseSettings,
    Ritual,
    RitualKind,
    Role,
    StandupSettings,
    Team,
)
from rituals.ports import (
    MemberChanges,
    MemberDefaults,
    NewRitual,
    PlannedDelivery,
    PlannedOccurrence,
    SentPrompt,
    Store,
)
from storage.database import create_engine
from storage.models import DeliveryRow
from storage.repository import SqlStore, _due_prompt_ids, _due_reminders, _stale_prompts

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday
TODAY = date(2026, 11, 23)
DEFAULTS = MemberDefaults(timezone="Europe/Amsterdam", locale="en")
GRACE = timedelta(hours=2)
LEASE = timedelta(minutes=5)


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


def planned(world: World, members: list[Member], due_at: datetime, *, day: date = TODAY) -> PlannedOccurrence:
    return PlannedOccurrence(
        ritual_id=world.ritual.id,
        local_date=day,
        digest_due_at=due_at + timedelta(hours=2),
        deliveries=tuple(PlannedDelivery(member_id=m.id, due_at=due_at) for m in members),
    )


def sent(due: DuePrompt, *, remind: bool = True) -> SentPrompt:
    """The prompt as delivered, with its reminder an hour after it was due."""
    return SentPrompt(
        delivery_id=due.delivery.id, remind_at=due.delivery.due_at + timedelta(hours=1) if remind else None
    )


def answer(due: DuePrompt, values: tuple[str, ...] = ("a", "b"), *, late: bool = False) -> Answer:
    return Answer(delivery_id=due.delivery.id, member_id=due.member.id, values=values, submitted_at=NOW, late=late)


async def claim(store: SqlStore, now: datetime = NOW, limit: int = 10) -> list[DuePrompt]:
    return await store.claim_due_prompts(now, GRACE, LEASE, limit)


async def claim_and_send(store: SqlStore, now: datetime = NOW) -> dict[int, DuePrompt]:
    """Claim everything due and record it all as sent; the prompts by member id."""
    due = await claim(store, now)
    await store.finish_prompts([sent(d) for d in due], [], now)
    return {d.member.id: d for d in due}


async def stored_status(database_url: str, delivery_id: int) -> tuple[str, bool]:
    """A delivery's stored status and whether it has a lease, read around the Store."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            row = await connection.execute(
                text("SELECT status, lease_until IS NOT NULL FROM deliveries WHERE id = :id"), {"id": delivery_id}
            )
            status, leased = row.one()
            return status, bool(leased)
    finally:
        await engine.dispose()


def test_sql_store_has_every_store_method_with_its_signature() -> None:
    methods = [name for name, value in vars(Store).items() if inspect.iscoroutinefunction(value)]
    assert methods
    for name in methods:
        assert inspect.signature(getattr(SqlStore, name)) == inspect.signature(getattr(Store, name)), name


@pytest.mark.asyncio
async def test_naive_datetimes_are_refused(store: SqlStore) -> None:
    world = await make_world(store)
    naive = PlannedOccurrence(
        ritual_id=world.ritual.id, local_date=TODAY, digest_due_at=datetime(2026, 11, 23, 10, 0), deliveries=()
    )
    with pytest.raises(ValueError, match="naive"):
        await store.plan([naive])
    assert await store.occurrence(world.ritual.id, TODAY) is None


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
async def test_find_team_only_finds_a_known_channel(store: SqlStore) -> None:
    assert await store.find_team("slack", "T1", "C1") is None
    team = await store.upsert_team("slack", "T1", "C1", "general")
    assert await store.find_team("slack", "T1", "C1") == team
    assert await store.find_team("slack", "T1", "C2") is None
    assert await store.find_team("slack", "T2", "C1") is None
    assert await store.find_team("teams", "T1", "C1") is None


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


@pytest.mark.asyncio
async def test_memberships_list_a_members_teams_with_role_and_rituals(store: SqlStore) -> None:
    world = await make_world(store)
    other = await store.upsert_team("slack", "T1", "c2", "Alpha")  # sorts before "Team One"
    await store.set_role(other.id, world.anna.id, Role.MANAGER)
    elsewhere = await store.upsert_team("slack", "T1", "c3", "Zulu")  # Anna is not in it
    second = await store.add_ritual(
        NewRitual(team_id=world.team.id, kind=RitualKind.STANDUP, at=time(16, 30), days=(4,),
                  timezone="Europe/London", locale="en", settings=StandupSettings(digest_at=time(17, 30)),
                  created_by=world.manager.id)
    )
    for team in (other, elsewhere):
        gone = await store.add_ritual(
            NewRitual(team_id=team.id, kind=RitualKind.STANDUP, at=time(9, 0), days=(0,), timezone="UTC",
                      locale="en", settings=StandupSettings(digest_at=time(10, 0)), created_by=world.anna.id)
        )
        await store.delete_ritual(gone.id)

    alpha, team_one = await store.memberships(world.anna.id)
    assert (alpha.team, alpha.role, alpha.rituals) == (other, Role.MANAGER, ())
    assert (team_one.team, team_one.role, team_one.rituals) == (world.team, Role.MEMBER, (world.ritual, second))
    [managed] = await store.memberships(world.manager.id)
    assert managed.role is Role.MANAGER
    outsider = await store.upsert_member("slack", "T1", "UOUT", "Otto", DEFAULTS)
    assert await store.memberships(outsider.id) == []


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
async def test_pulse_settings_round_trip_next_to_a_stand_up(store: SqlStore, database_url: str) -> None:
    world = await make_world(store)
    settings = PulseSettings(questions_per_round=3, pinned=("workload",), k=6, audience="managers", every_weeks=2,
                             anchor=date(2026, 11, 23), open_days=3, closes_at=time(12, 0), remind=False)
    pulse = await store.add_ritual(
        NewRitual(team_id=world.team.id, kind=RitualKind.PULSE, at=time(14, 0), days=(4,),
                  timezone="Europe/Amsterdam", locale="nl", settings=settings, created_by=world.manager.id)
    )
    assert await store.rituals(world.team.id) == [world.ritual, pulse]
    assert pulse.pulse == settings
    with pytest.raises(TypeError):
        _ = pulse.standup
    # A stand-up stored before settings had a kind still reads back as a stand-up.
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("UPDATE rituals SET settings = :old WHERE id = :id"),
                                     {"old": '{"digest_at": "11:00:00"}', "id": world.ritual.id})
    finally:
        await engine.dispose()
    [old, _] = await store.rituals(world.team.id)
    assert old.standup.digest_at == time(11, 0)


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


@pytest.mark.asyncio
async def test_planning_view_comes_in_pages_each_with_only_its_own_teams_members(store: SqlStore) -> None:
    worlds = [await make_world(store, channel=f"c{n}") for n in range(3)]
    cleo = await store.upsert_member("slack", "T1", "UCLEO", "Cleo", DEFAULTS)
    await store.join_team(worlds[2].team.id, cleo.id)
    first = await store.planning_view(limit=2)
    assert [ritual.id for ritual, _ in first] == [worlds[0].ritual.id, worlds[1].ritual.id]
    rest = await store.planning_view(after_id=first[-1][0].id, limit=2)
    assert [(ritual.id, len(members)) for ritual, members in rest] == [(worlds[2].ritual.id, 4)]
    assert await store.planning_view(after_id=rest[-1][0].id, limit=2) == []


@pytest.mark.asyncio
async def test_planning_view_narrows_to_one_ritual_or_one_member(store: SqlStore) -> None:
    world = await make_world(store)
    other = await make_world(store, channel="c2")
    cleo = await store.upsert_member("slack", "T1", "UCLEO", "Cleo", DEFAULTS)
    await store.join_team(other.team.id, cleo.id)

    def ids(view: list[tuple[Ritual, list[Member]]]) -> list[tuple[int, list[int]]]:
        return [(ritual.id, [m.id for m in members]) for ritual, members in view]

    everyone = [world.manager.id, world.anna.id, world.ben.id]
    assert ids(await store.planning_view(ritual_id=other.ritual.id)) == [(other.ritual.id, [*everyone, cleo.id])]
    # Anna is in both teams; each ritual lists her alone. Cleo is only in the second team.
    assert ids(await store.planning_view(member_id=world.anna.id)) == [
        (world.ritual.id, [world.anna.id]),
        (other.ritual.id, [world.anna.id]),
    ]
    assert ids(await store.planning_view(member_id=cleo.id)) == [(other.ritual.id, [cleo.id])]
    assert ids(await store.planning_view(ritual_id=world.ritual.id, member_id=cleo.id)) == []
    assert ids(await store.planning_view(ritual_id=other.ritual.id, member_id=cleo.id)) == [
        (other.ritual.id, [cleo.id])
    ]

    await store.set_paused(other.ritual.id, True)
    assert await store.planning_view(ritual_id=other.ritual.id) == []
    assert await store.planning_view(member_id=cleo.id) == []
    loner = await store.upsert_member("slack", "T1", "ULONE", "Lone", DEFAULTS)
    assert await store.planning_view(member_id=loner.id) == []
    assert await store.planning_view(ritual_id=other.ritual.id + 1000) == []


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
    due = await claim(store, NOW + timedelta(hours=1), 100)
    assert len(due) == 4  # Anna and Ben on both dates; the manager's first prompt is not due yet
    today = [d for d in due if d.delivery.occurrence_id == occurrence.id]
    assert sorted(d.member.id for d in today) == [world.anna.id, world.ben.id]
    assert {d.delivery.due_at for d in today} == {NOW + timedelta(hours=1)}
    assert {d.delivery.remind_at for d in due} == {None}  # set when the prompt is sent


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

    [due] = await store.claim_due_prompts(due_local, GRACE, LEASE, 10)
    assert due.delivery.due_at == due_local
    assert due.delivery.due_at.tzinfo is UTC
    assert due.delivery.due_at.hour == 8
    assert due.digest_due_at.tzinfo is UTC
    remind_local = datetime(2026, 11, 23, 10, 30, tzinfo=amsterdam_winter)
    await store.finish_prompts([SentPrompt(delivery_id=due.delivery.id, remind_at=remind_local)], [], due_local)
    [reminder] = await store.due_reminders(remind_local, 10)
    assert reminder.delivery.remind_at == remind_local
    assert reminder.delivery.remind_at is not None and reminder.delivery.remind_at.tzinfo is UTC
    assert reminder.delivery.sent_at is not None and reminder.delivery.sent_at.tzinfo is UTC
    occurrence = await store.occurrence(world.ritual.id, TODAY)
    assert occurrence is not None and occurrence.digest_due_at.tzinfo is UTC


# Claiming prompts


@pytest.mark.asyncio
async def test_claim_marks_stale_prompts_missed_and_claims_due_ones_once(store: SqlStore, database_url: str) -> None:
    world = await make_world(store)
    await store.plan(
        [
            planned(world, [world.manager], NOW - GRACE - timedelta(minutes=1)),  # past grace: missed
            planned(world, [world.anna], NOW - timedelta(minutes=30), day=TODAY + timedelta(days=1)),
            planned(world, [world.ben], NOW, day=TODAY + timedelta(days=2)),
            planned(world, [world.anna], NOW + timedelta(minutes=1), day=TODAY + timedelta(days=3)),  # not yet
        ]
    )
    due = await claim(store)
    assert [d.member.id for d in due] == [world.anna.id, world.ben.id]  # by due_at
    first = due[0]
    assert first.delivery.status is DeliveryStatus.CLAIMED
    assert await stored_status(database_url, first.delivery.id) == ("claimed", True)
    assert first.ritual == world.ritual
    assert first.team == world.team
    assert first.member == world.anna
    assert first.digest_due_at == first.delivery.due_at + timedelta(hours=2)

    # Claimed rows are leased: claiming again, by this worker or another, does not return them.
    assert await claim(store) == []
    await store.finish_prompts([sent(first)], [due[1].delivery.id], NOW)
    # Finished rows stay finished after the lease; only Anna's later prompt has come due meanwhile. The manager's
    # prompt fell outside the grace and was never returned.
    [later] = await claim(store, NOW + LEASE + timedelta(seconds=1))
    assert (later.member.id, later.delivery.local_date) == (world.anna.id, TODAY + timedelta(days=3))

    answer_context = await store.answer_context(first.delivery.id)
    assert answer_context is not None
    assert answer_context.delivery.status is DeliveryStatus.SENT
    assert answer_context.delivery.sent_at == NOW
    assert answer_context.delivery.remind_at == NOW + timedelta(minutes=30)
    assert await stored_status(database_url, first.delivery.id) == ("sent", False)
    skipped = await store.answer_context(due[1].delivery.id)
    assert skipped is not None and skipped.delivery.status is DeliveryStatus.SKIPPED
    assert await stored_status(database_url, due[1].delivery.id) == ("skipped", False)


@pytest.mark.asyncio
async def test_an_expired_lease_is_claimed_again(store: SqlStore, database_url: str) -> None:
    world = await make_world(store)
    await store.plan([planned(world, [world.anna, world.ben], NOW)])
    first = await claim(store)
    assert len(first) == 2
    assert await claim(store, NOW + LEASE) == []  # the lease runs until NOW + LEASE inclusive

    # The worker died: after the lease anyone may claim the prompts, and gets them with a new lease.
    later = NOW + LEASE + timedelta(seconds=1)
    again = await claim(store, later)
    assert [d.delivery.id for d in again] == [d.delivery.id for d in first]
    assert {d.delivery.status for d in again} == {DeliveryStatus.CLAIMED}
    assert await claim(store, later + LEASE) == []
    await store.finish_prompts([sent(again[0])], [again[1].delivery.id], later)
    assert await stored_status(database_url, again[0].delivery.id) == ("sent", False)
    assert await claim(store, later + 2 * LEASE) == []


@pytest.mark.asyncio
async def test_an_expired_lease_past_the_grace_is_missed(store: SqlStore, database_url: str) -> None:
    world = await make_world(store)
    await store.plan([planned(world, [world.anna], NOW)])
    [due] = await claim(store)
    assert await claim(store, NOW + GRACE + timedelta(seconds=1)) == []
    assert await stored_status(database_url, due.delivery.id) == ("missed", False)
    # The first worker did send it after all: it counts as sent, so the member's answer is taken.
    await store.finish_prompts([sent(due)], [], NOW + GRACE + timedelta(seconds=2))
    assert await stored_status(database_url, due.delivery.id) == ("sent", False)


@pytest.mark.asyncio
async def test_prompts_of_a_digest_that_is_due_or_posted_are_missed(store: SqlStore, database_url: str) -> None:
    world = await make_world(store)
    tomorrow = TODAY + timedelta(days=1)
    await store.plan(
        [
            # Digest already due: the planner would not do this, but a long downtime leaves such rows.
            PlannedOccurrence(
                ritual_id=world.ritual.id,
                local_date=TODAY,
                digest_due_at=NOW,
                deliveries=(PlannedDelivery(member_id=world.anna.id, due_at=NOW - timedelta(minutes=5)),),
            ),
            planned(world, [world.anna, world.ben], NOW + timedelta(minutes=10), day=tomorrow),
        ]
    )
    occurrence = await store.occurrence(world.ritual.id, tomorrow)
    assert occurrence is not None
    assert await claim(store) == []  # today's prompt: its digest is due
    # A manager posted tomorrow's digest early: its prompts are no use any more, due or claimed.
    assert await store.claim_digest(occurrence.id, NOW) is not None
    assert await claim(store, NOW + timedelta(minutes=10)) == []
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            statuses = (await connection.execute(text("SELECT status FROM deliveries"))).scalars().all()
    finally:
        await engine.dispose()
    assert sorted(statuses) == ["missed", "missed", "missed"]


@pytest.mark.asyncio
async def test_claim_respects_limit_and_skips_paused_rituals(store: SqlStore) -> None:
    world = await make_world(store)
    await store.plan([planned(world, [world.manager, world.anna, world.ben], NOW)])
    claimed = await claim(store, limit=2)
    assert [d.member.id for d in claimed] == [world.manager.id, world.anna.id]  # by due_at, then id

    await store.set_paused(world.ritual.id, True)  # drops the pending prompt; the claimed ones are under way
    assert await claim(store) == []
    assert await claim(store, NOW + LEASE + timedelta(seconds=1)) == []  # not even once their lease ran out
    await store.set_paused(world.ritual.id, False)
    assert await claim(store) == []
    assert await store.plan([planned(world, [world.anna, world.ben], NOW)]) == 1  # the planner may put Ben back
    assert [d.member.id for d in await claim(store)] == [world.ben.id]
    with pytest.raises(LookupError):
        await store.set_paused(world.ritual.id + 1000, True)


@pytest.mark.asyncio
async def test_replan_member_and_bring_forward_touch_only_pending_prompts(store: SqlStore) -> None:
    world = await make_world(store)
    later = NOW + timedelta(hours=2)
    await store.plan([planned(world, [world.anna, world.ben, world.manager], later)])
    occurrence = await store.occurrence(world.ritual.id, TODAY)
    assert occurrence is not None

    digest_due = NOW + timedelta(hours=3)
    assert await store.bring_forward(occurrence.id, [world.anna.id, world.ben.id, world.anna.id], NOW, digest_due) == 2
    moved = await store.occurrence(world.ritual.id, TODAY)
    assert moved is not None and moved.digest_due_at == digest_due
    due = await claim(store)
    assert sorted(d.member.id for d in due) == [world.anna.id, world.ben.id]
    assert await store.bring_forward(occurrence.id, [world.anna.id], NOW, digest_due) == 0  # claimed, not pending
    await store.finish_prompts([sent(d) for d in due], [], NOW)

    await store.replan_member(world.anna.id)  # Anna's prompt went out: nothing to forget
    await store.replan_member(world.manager.id)
    assert await claim(store, later) == []
    assert await store.plan([planned(world, [world.anna, world.ben, world.manager], later)]) == 1


@pytest.mark.asyncio
async def test_two_claimers_on_separate_engines_never_get_the_same_prompt(store: SqlStore, database_url: str) -> None:
    world = await make_world(store)
    people = [world.manager, world.anna, world.ben]
    for i in range(37):
        member = await store.upsert_member("slack", "T1", f"U{i}", f"Member {i}", DEFAULTS)
        await store.join_team(world.team.id, member.id)
        people.append(member)
    # Spread over two dates and a few due times, so the claims interleave over several batches.
    await store.plan(
        [
            planned(world, people[:20], NOW - timedelta(minutes=3)),
            planned(world, people[20:], NOW - timedelta(minutes=1), day=TODAY + timedelta(days=1)),
        ]
    )
    engines = [create_engine(database_url), create_engine(database_url)]
    try:
        workers = [SqlStore(engine) for engine in engines]

        async def drain(worker: SqlStore) -> list[int]:
            got: list[int] = []
            while batch := await worker.claim_due_prompts(NOW, GRACE, LEASE, 7):
                got.extend(d.delivery.id for d in batch)
                await asyncio.sleep(0)
            return got

        first, second = await asyncio.gather(drain(workers[0]), drain(workers[1]))
        # One round of two single claims at once as well, on what the drains left (nothing).
        assert await asyncio.gather(*(w.claim_due_prompts(NOW, GRACE, LEASE, 100) for w in workers)) == [[], []]
    finally:
        for engine in engines:
            await engine.dispose()
    assert not set(first) & set(second)
    assert len(first) + len(second) == len(set(first) | set(second)) == len(people)


@pytest.mark.asyncio
async def test_two_single_claims_at_once_split_the_due_rows(store: SqlStore, database_url: str) -> None:
    world = await make_world(store)
    people = [world.manager, world.anna, world.ben]
    for i in range(27):
        member = await store.upsert_member("slack", "T1", f"U{i}", f"Member {i}", DEFAULTS)
        await store.join_team(world.team.id, member.id)
        people.append(member)
    await store.plan([planned(world, people, NOW)])
    engines = [create_engine(database_url), create_engine(database_url)]
    try:
        workers = [SqlStore(engine) for engine in engines]
        first, second = await asyncio.gather(*(w.claim_due_prompts(NOW, GRACE, LEASE, 20) for w in workers))
    finally:
        for engine in engines:
            await engine.dispose()
    first_ids = {d.delivery.id for d in first}
    second_ids = {d.delivery.id for d in second}
    assert not first_ids & second_ids
    assert len(first_ids | second_ids) == len(people) == 30


@pytest.mark.asyncio
async def test_sqlite_plans_claims_and_reminders_on_the_partial_indexes(database_url: str) -> None:
    # Without statistics SQLite's planner is easily drawn to a wrong index and then reads and sorts every open
    # prompt on each claim; this pins the plans the fan-out benchmark depends on.
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL plans by statistics")
    statements = {
        "ix_deliveries_open_due_at": [_due_prompt_ids(NOW, GRACE, 10), _stale_prompts(NOW, GRACE)],
        "ix_deliveries_unreminded_remind_at": [_due_reminders(NOW, 10)],
    }
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            for index, selects in statements.items():
                for statement in selects:
                    sql = statement.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})
                    details = (await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")).scalars(3)
                    plan = " | ".join(details)
                    assert f"USING INDEX {index}" in plan, plan
    finally:
        await engine.dispose()


# Reminders, digests and answers


@pytest.mark.asyncio
async def test_due_reminders_only_for_unanswered_sent_prompts_before_the_digest(store: SqlStore) -> None:
    world = await make_world(store)
    await store.plan([planned(world, [world.anna, world.ben, world.manager], NOW)])
    due = {d.member.id: d for d in await claim(store)}
    await store.finish_prompts(
        [sent(due[world.anna.id]), sent(due[world.ben.id])], [due[world.manager.id].delivery.id], NOW
    )
    remind_time = NOW + timedelta(hours=1)
    assert await store.due_reminders(remind_time - timedelta(minutes=1), 10) == []

    assert await store.save_answer(answer(due[world.ben.id])) is True
    reminders = await store.due_reminders(remind_time, 10)
    assert [r.member.id for r in reminders] == [world.anna.id]
    assert reminders[0].delivery.status is DeliveryStatus.SENT

    # Two workers that read the same reminder: only the first to claim it sends it.
    assert await store.mark_reminded([reminders[0].delivery.id], remind_time) == {reminders[0].delivery.id}
    assert await store.mark_reminded([reminders[0].delivery.id], remind_time) == set()
    assert await store.due_reminders(remind_time, 10) == []


@pytest.mark.asyncio
async def test_a_prompt_sent_without_a_reminder_gets_none(store: SqlStore) -> None:
    world = await make_world(store)
    await store.plan([planned(world, [world.anna], NOW)])
    [due] = await claim(store)
    await store.finish_prompts([sent(due, remind=False)], [], NOW)
    assert await store.due_reminders(NOW + timedelta(days=1), 10) == []


@pytest.mark.asyncio
async def test_no_reminders_once_the_digest_is_out(store: SqlStore) -> None:
    world = await make_world(store)
    await store.plan([planned(world, [world.anna], NOW)])
    due = (await claim_and_send(store))[world.anna.id]
    assert await store.claim_digest(due.delivery.occurrence_id, NOW) is not None
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
    digest = await store.claim_digest(occurrence.id, digest_time)
    assert digest is not None
    assert digest.occurrence.digest_posted_at == digest_time  # read after the claim, in its transaction
    assert (digest.ritual.id, digest.team) == (world.ritual.id, world.team)
    assert await store.claim_digest(occurrence.id, digest_time) is None
    assert await store.due_digests(digest_time + timedelta(days=1)) == []
    posted = await store.occurrence(world.ritual.id, TODAY)
    assert posted is not None and posted.digest_posted_at == digest_time
    with pytest.raises(LookupError):
        await store.claim_digest(occurrence.id + 1000, digest_time)


@pytest.mark.asyncio
async def test_deleted_rituals_post_no_digest_but_keep_answers(store: SqlStore) -> None:
    world = await make_world(store)
    await store.plan([planned(world, [world.anna, world.ben], NOW)])
    due = await claim(store)
    anna = next(d for d in due if d.member.id == world.anna.id)
    ben = next(d for d in due if d.member.id == world.ben.id)
    await store.finish_prompts([sent(anna)], [ben.delivery.id], NOW)
    assert await store.save_answer(answer(anna, ("x",))) is True
    await store.plan([planned(world, [world.anna], NOW, day=TODAY + timedelta(days=1))])
    await store.delete_ritual(world.ritual.id)
    assert await store.due_digests(NOW + timedelta(days=2)) == []
    assert await claim(store) == []  # Anna's unsent prompt of tomorrow is gone
    context = await store.answer_context(anna.delivery.id)
    assert context is not None and context.previous is not None
    assert context.previous.values == ("x",)


@pytest.mark.asyncio
async def test_answers_replace_and_fill_the_digest(store: SqlStore) -> None:
    world = await make_world(store)
    await store.plan([planned(world, [world.anna, world.ben, world.manager], NOW)])
    due = {d.member.id: d for d in await claim(store)}
    await store.finish_prompts(
        [sent(due[world.anna.id]), sent(due[world.ben.id])], [due[world.manager.id].delivery.id], NOW
    )
    anna_delivery = due[world.anna.id].delivery.id

    context = await store.answer_context(anna_delivery)
    assert context is not None
    assert context.previous is None
    assert (context.member, context.team, context.ritual) == (world.anna, world.team, world.ritual)
    assert context.occurrence.local_date == TODAY

    first = answer(due[world.anna.id], ("a", "b"))
    second = Answer(
        delivery_id=anna_delivery,
        member_id=world.anna.id,
        values=("c", "d"),
        submitted_at=NOW + timedelta(minutes=30),
        late=False,
    )
    assert await store.save_answer(first) is True
    assert await store.save_answer(second) is True
    context = await store.answer_context(anna_delivery)
    assert context is not None
    assert context.previous == second

    digest = await store.digest_context(context.occurrence.id)
    assert (digest.ritual, digest.team) == (world.ritual, world.team)
    # Only prompted members, ordered by display name whatever its case ("Anna" < "ben"); skipped Maud is out.
    assert [(e.member.id, e.answer) for e in digest.entries] == [(world.anna.id, second), (world.ben.id, None)]
    claimed = await store.claim_digest(context.occurrence.id, NOW + timedelta(hours=2))
    assert claimed is not None
    assert claimed.entries == digest.entries
    assert await store.digest_context(context.occurrence.id) == claimed  # read-only; the same afterwards

    assert await store.answer_context(anna_delivery + 1000) is None
    with pytest.raises(LookupError):
        await store.digest_context(context.occurrence.id + 1000)
    with pytest.raises(LookupError):
        await store.save_answer(
            Answer(
                delivery_id=anna_delivery + 1000, member_id=world.anna.id, values=("x",), submitted_at=NOW, late=False
            )
        )


@pytest.mark.asyncio
async def test_an_on_time_answer_after_the_digest_is_refused_and_a_late_one_kept(store: SqlStore) -> None:
    world = await make_world(store)
    await store.plan([planned(world, [world.anna, world.ben], NOW)])
    due = await claim_and_send(store)
    anna, ben = due[world.anna.id], due[world.ben.id]
    assert await store.save_answer(answer(ben, ("first",))) is True
    assert await store.claim_digest(anna.delivery.occurrence_id, NOW + timedelta(hours=2)) is not None

    # The digest went out first: an on-time answer is refused and writes nothing, not even over an old one.
    assert await store.save_answer(answer(anna)) is False
    context = await store.answer_context(anna.delivery.id)
    assert context is not None and context.previous is None
    assert await store.save_answer(answer(ben, ("changed",))) is False
    context = await store.answer_context(ben.delivery.id)
    assert context is not None and context.previous is not None and context.previous.values == ("first",)

    late = answer(anna, ("late",), late=True)
    assert await store.save_answer(late) is True
    context = await store.answer_context(anna.delivery.id)
    assert context is not None and context.previous == late


# Concurrency


@pytest.mark.asyncio
async def test_a_digest_claimed_by_racing_callers_is_claimed_once(store: SqlStore) -> None:
    world = await make_world(store)
    await store.plan([planned(world, [world.anna], NOW)])
    occurrence = await store.occurrence(world.ritual.id, TODAY)
    assert occurrence is not None
    results = await asyncio.gather(*(store.claim_digest(occurrence.id, NOW) for _ in range(10)))
    assert sum(result is not None for result in results) == 1


@pytest.mark.asyncio
async def test_an_answer_racing_the_digest_is_in_the_digest_or_refused(store: SqlStore, database_url: str) -> None:
    world = await make_world(store)
    days = [TODAY + timedelta(days=i) for i in range(12)]
    await store.plan([planned(world, [world.anna], NOW, day=day) for day in days])
    prompts = await claim(store, limit=100)
    await store.finish_prompts([sent(d) for d in prompts], [], NOW)
    engines = [create_engine(database_url), create_engine(database_url)]
    try:
        poster, answerer = (SqlStore(engine) for engine in engines)
        for i, prompt in enumerate(prompts):
            posting = poster.claim_digest(prompt.delivery.occurrence_id, NOW)
            save = answerer.save_answer(answer(prompt))
            if i % 2 == 0:  # alternate which call starts first
                digest, saved = await asyncio.gather(posting, save)
            else:
                saved, digest = await asyncio.gather(save, posting)
            assert digest is not None
            [entry] = digest.entries
            if saved:
                assert entry.answer is not None, f"occurrence {i}: saved, yet not in the digest"
            else:
                assert entry.answer is None
                context = await store.answer_context(prompt.delivery.id)
                assert context is not None and context.previous is None
    finally:
        for engine in engines:
            await engine.dispose()


@pytest.mark.asyncio
async def test_open_prompts_are_the_sent_ones_whose_digest_is_not_out(store: SqlStore) -> None:
    world = await make_world(store)
    await store.plan([planned(world, [world.anna, world.ben], NOW)])
    await claim_and_send(store)
    assert await store.open_prompts("local") == []  # another platform's
    assert sorted(d.member.display_name for d in await store.open_prompts("slack")) == ["Anna", "ben"]
    occurrence = await store.occurrence(world.ritual.id, TODAY)
    assert occurrence is not None
    await store.claim_digest(occurrence.id, NOW + timedelta(hours=2))
    assert await store.open_prompts("slack") == []


@pytest.mark.asyncio
async def test_other_team_names_give_each_member_their_first_other_team_by_name(store: SqlStore) -> None:
    coffee = await store.upsert_team("slack", "T1", "C1", "coffee")
    design = await store.upsert_team("slack", "T1", "C2", "Design")
    backend = await store.upsert_team("slack", "T1", "C3", "backend")
    anna = await store.upsert_member("slack", "T1", "UANNA", "Anna", DEFAULTS)
    ben = await store.upsert_member("slack", "T1", "UBEN", "Ben", DEFAULTS)
    lone = await store.upsert_member("slack", "T1", "ULONE", "Lone", DEFAULTS)
    for member in (anna, ben, lone):
        await store.join_team(coffee.id, member.id)
    await store.join_team(design.id, anna.id)
    await store.join_team(backend.id, anna.id)
    await store.join_team(design.id, ben.id)
    homes = await store.other_team_names([anna.id, ben.id, lone.id], coffee.id)
    assert homes == {anna.id: "backend", ben.id: "Design"}
    assert await store.other_team_names([], coffee.id) == {}
