"""SqlCoffeeStore: coffee machines' daily posts and coffee pairings' participants, rounds and groups.

Tables (storage/models.py, migration 0009):

- coffee_machine_posts (ritual, local date): a machine's post of a day, claimed by inserting the row.
- coffee_participants (ritual, member): joined or left, and whether they sit out the next round.
- coffee_rounds (ritual, local date, unique), coffee_groups and coffee_group_members: a round and the groups it
  formed, stored in one transaction with the skips it used up. A member nobody could be matched with is a group
  of one with a `reason`, so their note keeps the same schedule as a group's introduction.

Every message goes out once: the worker that flips a group's `*_sent_at` from NULL is the one that sends it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, case, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from rituals.model import Ritual, RitualKind, Team
from rituals.ports import CoffeeGroup, CoffeeParticipation, CoffeeStats, CoffeeStore, NewCoffeeGroup
from storage.models import (
    CoffeeGroupMemberRow,
    CoffeeGroupRow,
    CoffeeMachinePostRow,
    CoffeeParticipantRow,
    CoffeeRoundRow,
)
from storage.repository import _RITUAL, _TEAM, _TEAM_FROM, _ritual, _rituals, _running, _team, _teams

_posts = cast(Table, CoffeeMachinePostRow.__table__)
_participants = cast(Table, CoffeeParticipantRow.__table__)
_rounds = cast(Table, CoffeeRoundRow.__table__)
_groups = cast(Table, CoffeeGroupRow.__table__)
_group_members = cast(Table, CoffeeGroupMemberRow.__table__)

_KINDS = (RitualKind.COFFEE.value, RitualKind.COFFEE_MACHINE.value)
_GROUP = (
    _groups.c.id,
    _groups.c.round_id,
    _rounds.c.ritual_id,
    _rounds.c.local_date,
    _groups.c.shared_minutes,
    _groups.c.cross_team,
    _groups.c.last_met,
    _groups.c.reason,
    _groups.c.intro_due_at,
    _groups.c.intro_sent_at,
    _groups.c.follow_up_due_at,
    _groups.c.follow_up_sent_at,
    _groups.c.met,
)
_GROUP_FROM = _groups.join(_rounds, _rounds.c.id == _groups.c.round_id)


async def _members_of(conn: AsyncConnection, group_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
    """Each group's member ids, ascending, for the groups asked."""
    found: dict[int, list[int]] = {}
    ids = list(group_ids)
    if ids:
        rows = await conn.execute(
            select(_group_members.c.group_id, _group_members.c.member_id)
            .where(_group_members.c.group_id.in_(ids))
            .order_by(_group_members.c.group_id, _group_members.c.member_id)
        )
        for row in rows:
            found.setdefault(row.group_id, []).append(row.member_id)
    return {group_id: tuple(members) for group_id, members in found.items()}


async def _groups_of(conn: AsyncConnection, rows: Sequence[Any]) -> list[CoffeeGroup]:
    members = await _members_of(conn, (row.id for row in rows))
    # A group whose every member was erased is gone from the point of view of anyone still here.
    return [_group(row, members[row.id]) for row in rows if row.id in members]


def _group(row: Any, members: tuple[int, ...]) -> CoffeeGroup:
    return CoffeeGroup(
        id=row.id,
        round_id=row.round_id,
        ritual_id=row.ritual_id,
        local_date=row.local_date,
        members=members,
        shared_minutes=row.shared_minutes,
        cross_team=bool(row.cross_team),
        last_met=row.last_met,
        reason=row.reason,
        intro_due_at=row.intro_due_at,
        intro_sent_at=row.intro_sent_at,
        follow_up_due_at=row.follow_up_due_at,
        follow_up_sent_at=row.follow_up_sent_at,
        met=None if row.met is None else bool(row.met),
    )


class SqlCoffeeStore:
    """The CoffeeStore on SQLAlchemy Core (SQLite and PostgreSQL); every method is one short transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        """Use `engine` for every transaction."""
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"

    def _insert(self, table: Table) -> postgresql.Insert | sqlite.Insert:
        return postgresql.insert(table) if self._postgres else sqlite.insert(table)

    async def running(self) -> list[tuple[Ritual, Team]]:
        """Coffee machines and pairings that are neither paused nor deleted, with their teams."""
        statement = (
            select(*_RITUAL, *_TEAM)
            .select_from(_rituals.join(_TEAM_FROM, _teams.c.id == _rituals.c.team_id))
            .where(*_running(_rituals), _rituals.c.kind.in_(_KINDS))
            .order_by(_rituals.c.id)
        )
        async with self._engine.begin() as conn:
            rows = (await conn.execute(statement)).all()
        return [(_ritual(row), _team(row, len(_RITUAL))) for row in rows]

    async def claim_machine_post(self, ritual_id: int, local_date: date, now: datetime) -> bool:
        """Claim the coffee machine's post of a team-local date; False when it was claimed before."""
        async with self._engine.begin() as conn:
            claimed = await conn.execute(
                self._insert(_posts)
                .values(ritual_id=ritual_id, local_date=local_date, posted_at=now)
                .on_conflict_do_nothing(index_elements=["ritual_id", "local_date"])
                .returning(_posts.c.ritual_id)
            )
            return claimed.first() is not None

    async def _upsert_participant(self, ritual_id: int, member_id: int, **values: Any) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                self._insert(_participants)
                .values(ritual_id=ritual_id, member_id=member_id, **values)
                .on_conflict_do_update(index_elements=["ritual_id", "member_id"], set_=values)
            )

    async def set_joined(self, ritual_id: int, member_id: int, joined: bool) -> None:
        """Record that the member joined (True) or left (False) the pairing; leaving also drops a skip."""
        values: dict[str, Any] = {"joined": joined}
        if not joined:
            values["skip_next"] = False
        await self._upsert_participant(ritual_id, member_id, **values)

    async def set_skip(self, ritual_id: int, member_id: int, skip: bool) -> None:
        """Have the member sit out the next round (or not); the round clears every skip once it is formed."""
        await self._upsert_participant(ritual_id, member_id, skip_next=skip)

    async def participations(self, ritual_id: int) -> dict[int, CoffeeParticipation]:
        """What each member said about the pairing, by member id; members who said nothing are absent."""
        statement = select(_participants.c.member_id, _participants.c.joined, _participants.c.skip_next).where(
            _participants.c.ritual_id == ritual_id
        )
        async with self._engine.begin() as conn:
            rows = (await conn.execute(statement)).all()
        return {
            row.member_id: CoffeeParticipation(
                member_id=row.member_id,
                joined=None if row.joined is None else bool(row.joined),
                skip_next=bool(row.skip_next),
            )
            for row in rows
        }

    async def recent_groups(self, ritual_id: int, before: date, rounds: int) -> list[list[tuple[int, ...]]]:
        """The groups of the ritual's last `rounds` rounds on local dates before `before`, newest round first."""
        if rounds <= 0:
            return []
        recent = (
            select(_rounds.c.id, _rounds.c.local_date)
            .where(_rounds.c.ritual_id == ritual_id, _rounds.c.local_date < before)
            .order_by(_rounds.c.local_date.desc())
            .limit(rounds)
        )
        async with self._engine.begin() as conn:
            found = (await conn.execute(recent)).all()
            order = [row.id for row in found]
            grouped: dict[int, list[tuple[int, ...]]] = {round_id: [] for round_id in order}
            if order:
                rows = (
                    await conn.execute(
                        select(_groups.c.id, _groups.c.round_id).where(
                            _groups.c.round_id.in_(order), _groups.c.reason == ""
                        )
                    )
                ).all()
                members = await _members_of(conn, (row.id for row in rows))
                for row in rows:
                    if len(members.get(row.id, ())) > 1:
                        grouped[row.round_id].append(members[row.id])
        return [grouped[round_id] for round_id in order]

    async def start_round(
        self, ritual_id: int, local_date: date, now: datetime, groups: Sequence[NewCoffeeGroup]
    ) -> int | None:
        """Store a round with its groups and clear the skips, in one transaction; None when it existed already."""
        async with self._engine.begin() as conn:
            created = await conn.execute(
                self._insert(_rounds)
                .values(ritual_id=ritual_id, local_date=local_date, started_at=now)
                .on_conflict_do_nothing(index_elements=["ritual_id", "local_date"])
                .returning(_rounds.c.id)
            )
            round_id = created.scalar_one_or_none()
            if round_id is None:
                return None
            if groups:
                created_groups = await conn.execute(
                    insert(_groups).returning(_groups.c.id, sort_by_parameter_order=True),
                    [
                        {
                            "round_id": round_id,
                            "shared_minutes": group.shared_minutes,
                            "cross_team": group.cross_team,
                            "last_met": group.last_met,
                            "reason": group.reason,
                            "intro_due_at": group.intro_due_at,
                        }
                        for group in groups
                    ],
                )
                group_ids = created_groups.scalars().all()
                await conn.execute(
                    insert(_group_members),
                    [
                        {"group_id": group_id, "member_id": member_id}
                        for group_id, group in zip(group_ids, groups, strict=True)
                        for member_id in group.members
                    ],
                )
            await conn.execute(
                update(_participants)
                .where(_participants.c.ritual_id == ritual_id, _participants.c.skip_next.is_(True))
                .values(skip_next=False)
            )
        return int(round_id)

    async def latest_round(self, ritual_id: int) -> date | None:
        """The local date of the ritual's latest round, None before the first."""
        async with self._engine.begin() as conn:
            found = await conn.execute(
                select(func.max(_rounds.c.local_date)).where(_rounds.c.ritual_id == ritual_id)
            )
            latest: date | None = found.scalar_one_or_none()
        return latest

    async def _due(self, *where: ColumnElement[bool], order: Any, limit: int) -> list[CoffeeGroup]:
        statement = (
            select(*_GROUP)
            .select_from(_GROUP_FROM.join(_rituals, _rituals.c.id == _rounds.c.ritual_id))
            .where(*_running(_rituals), *where)
            .order_by(order, _groups.c.id)
            .limit(limit)
        )
        async with self._engine.begin() as conn:
            return await _groups_of(conn, (await conn.execute(statement)).all())

    async def due_intros(self, now: datetime, limit: int) -> list[CoffeeGroup]:
        """Groups of running rituals whose introduction is due and not sent, oldest first."""
        return await self._due(
            _groups.c.intro_due_at <= now, _groups.c.intro_sent_at.is_(None), order=_groups.c.intro_due_at,
            limit=limit,
        )

    async def due_follow_ups(self, now: datetime, limit: int) -> list[CoffeeGroup]:
        """Introduced groups of running rituals whose "did you meet?" is due and not sent, oldest first."""
        return await self._due(
            _groups.c.follow_up_due_at <= now, _groups.c.follow_up_sent_at.is_(None),
            _groups.c.intro_sent_at.is_not(None), order=_groups.c.follow_up_due_at, limit=limit,
        )

    async def _claim(self, group_id: int, unsent: ColumnElement[Any], **values: Any) -> bool:
        async with self._engine.begin() as conn:
            claimed = await conn.execute(
                update(_groups).where(_groups.c.id == group_id, unsent.is_(None)).values(**values)
            )
            return claimed.rowcount == 1

    async def claim_intro(self, group_id: int, now: datetime, follow_up_due_at: datetime | None) -> bool:
        """Mark the introduction sent and plan the follow-up; False when another worker did it first."""
        return await self._claim(
            group_id, _groups.c.intro_sent_at, intro_sent_at=now, follow_up_due_at=follow_up_due_at
        )

    async def claim_follow_up(self, group_id: int, now: datetime) -> bool:
        """Mark the follow-up sent; False when another worker did it first."""
        return await self._claim(group_id, _groups.c.follow_up_sent_at, follow_up_sent_at=now)

    async def postpone(
        self, group_id: int, *, intro_due_at: datetime | None = None, follow_up_due_at: datetime | None = None
    ) -> None:
        """Move a group's unsent introduction or follow-up to a later time (someone was not working)."""
        async with self._engine.begin() as conn:
            if intro_due_at is not None:
                await conn.execute(
                    update(_groups)
                    .where(_groups.c.id == group_id, _groups.c.intro_sent_at.is_(None))
                    .values(intro_due_at=intro_due_at)
                )
            if follow_up_due_at is not None:
                await conn.execute(
                    update(_groups)
                    .where(_groups.c.id == group_id, _groups.c.follow_up_sent_at.is_(None))
                    .values(follow_up_due_at=follow_up_due_at)
                )

    async def group(self, group_id: int) -> CoffeeGroup | None:
        """One group, if it exists."""
        async with self._engine.begin() as conn:
            rows = (await conn.execute(select(*_GROUP).select_from(_GROUP_FROM).where(_groups.c.id == group_id))).all()
            found = await _groups_of(conn, rows)
        return found[0] if found else None

    async def member_group(self, ritual_id: int, member_id: int) -> CoffeeGroup | None:
        """The member's group (or note) in the ritual's latest round; None when they were not in it."""
        latest = (
            select(_rounds.c.id)
            .where(_rounds.c.ritual_id == ritual_id)
            .order_by(_rounds.c.local_date.desc())
            .limit(1)
            .scalar_subquery()
        )
        mine = select(_group_members.c.group_id).where(_group_members.c.member_id == member_id)
        statement = select(*_GROUP).select_from(_GROUP_FROM).where(_groups.c.round_id == latest, _groups.c.id.in_(mine))
        async with self._engine.begin() as conn:
            found = await _groups_of(conn, (await conn.execute(statement)).all())
        return found[0] if found else None

    async def record_met(self, group_id: int, met: bool, now: datetime) -> None:
        """Record the group's answer to "did you meet?"; a later answer replaces an earlier one."""
        async with self._engine.begin() as conn:
            await conn.execute(update(_groups).where(_groups.c.id == group_id).values(met=met, answered_at=now))

    async def stats(self, ritual_id: int) -> CoffeeStats:
        """The pairing's totals over all its rounds."""
        real = _groups.c.reason == ""
        met = _groups.c.met.is_(True)
        cross = _groups.c.cross_team.is_(True)

        def count(*conditions: ColumnElement[bool]) -> Any:
            return func.coalesce(func.sum(case((and_(real, *conditions), 1), else_=0)), 0)

        async with self._engine.begin() as conn:
            rounds = (
                await conn.execute(select(func.count()).select_from(_rounds).where(_rounds.c.ritual_id == ritual_id))
            ).scalar_one()
            row = (
                await conn.execute(
                    select(
                        count(),
                        count(_groups.c.follow_up_sent_at.is_not(None)),
                        count(met),
                        count(cross),
                        count(cross, met),
                    )
                    .select_from(_GROUP_FROM)
                    .where(_rounds.c.ritual_id == ritual_id)
                )
            ).one()
        groups, asked, yes, cross_team, cross_met = (int(value) for value in row)
        return CoffeeStats(rounds=int(rounds), groups=groups, asked=asked, met=yes, cross_team=cross_team,
                           cross_team_met=cross_met)


def _conforms(store: SqlCoffeeStore) -> CoffeeStore:
    # mypy fails here if SqlCoffeeStore drifts from the CoffeeStore protocol.
    return store
