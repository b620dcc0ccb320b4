"""SqlBorrelStore: borrel occurrences and RSVPs on SQLAlchemy Core (SQLite and PostgreSQL).

Exactly once, across workers: an invite, a reminder or a closing is claimed by an UPDATE that only succeeds
while its `*_at` column is still NULL (as SqlStore.claim_digest does), so of two workers only one sends it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from rituals.model import Ritual, RitualKind
from rituals.ports import BORREL_ANSWERS, BorrelContext, BorrelOccurrence, BorrelStore, Rsvp, RsvpAnswer
from storage.models import BorrelOccurrenceRow, BorrelRsvpRow
from storage.repository import (
    _MEMBER,
    _MEMBER_FROM,
    _RITUAL,
    _TEAM,
    _TEAM_FROM,
    _by_name,
    _member,
    _ritual,
    _rituals,
    _team,
    _teams,
)

_occurrences = cast(Table, BorrelOccurrenceRow.__table__)
_rsvps = cast(Table, BorrelRsvpRow.__table__)

_OCCURRENCE: tuple[ColumnElement[Any], ...] = (
    _occurrences.c.id,
    _occurrences.c.ritual_id,
    _occurrences.c.local_date,
    _occurrences.c.starts_at,
    _occurrences.c.ends_at,
    _occurrences.c.invite_at,
    _occurrences.c.remind_at,
    _occurrences.c.invite_sent_at,
    _occurrences.c.reminded_at,
    _occurrences.c.closed_at,
    _occurrences.c.cancelled_at,
    _occurrences.c.joined,
    _occurrences.c.maybe,
    _occurrences.c.declined,
)
_O = len(_OCCURRENCE)
_R = len(_RITUAL)


def _occurrence(row: Sequence[Any]) -> BorrelOccurrence:
    return BorrelOccurrence(
        id=row[0], ritual_id=row[1], local_date=row[2], starts_at=row[3], ends_at=row[4], invite_at=row[5],
        remind_at=row[6], invite_sent_at=row[7], reminded_at=row[8], closed_at=row[9], cancelled_at=row[10],
        joined=row[11], maybe=row[12], declined=row[13],
    )


def _running() -> tuple[ColumnElement[bool], ...]:
    return (_rituals.c.paused.is_(False), _rituals.c.deleted_at.is_(None))


_WITH_RITUAL = _occurrences.join(_rituals, _rituals.c.id == _occurrences.c.ritual_id).join(
    _TEAM_FROM, _teams.c.id == _rituals.c.team_id
)


class SqlBorrelStore:
    """The BorrelStore; every method is one short transaction, every claim one UPDATE per occurrence."""

    def __init__(self, engine: AsyncEngine) -> None:
        """Use `engine` for every transaction."""
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"

    def _insert(self, table: Table) -> postgresql.Insert | sqlite.Insert:
        return postgresql.insert(table) if self._postgres else sqlite.insert(table)

    async def running_borrels(self) -> list[Ritual]:
        """Borrel rituals that are neither paused nor deleted."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(*_RITUAL).where(_rituals.c.kind == RitualKind.BORREL.value, *_running()).order_by(_rituals.c.id)
            )
            return [_ritual(row) for row in rows]

    async def ensure_occurrence(
        self, ritual_id: int, local_date: date, *, starts_at: datetime, ends_at: datetime, invite_at: datetime,
        remind_at: datetime,
    ) -> BorrelOccurrence:
        """The ritual's borrel on that local date, created with these times when new (an existing one is kept)."""
        async with self._engine.begin() as conn:
            await conn.execute(
                self._insert(_occurrences)
                .values(ritual_id=ritual_id, local_date=local_date, starts_at=starts_at, ends_at=ends_at,
                        invite_at=invite_at, remind_at=remind_at)
                .on_conflict_do_nothing(index_elements=["ritual_id", "local_date"])
            )
            row = (
                await conn.execute(
                    select(*_OCCURRENCE).where(
                        _occurrences.c.ritual_id == ritual_id, _occurrences.c.local_date == local_date
                    )
                )
            ).one()
            return _occurrence(row)

    async def context(self, occurrence_id: int) -> BorrelContext | None:
        """An occurrence with its ritual and team; None when there is no such occurrence."""
        async with self._engine.connect() as conn:
            return await _context(conn, occurrence_id)

    async def upcoming(self, ritual_id: int, after: datetime) -> list[BorrelOccurrence]:
        """The ritual's occurrences that end after `after` and are not closed, cancelled ones included, by start."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(*_OCCURRENCE)
                .where(_occurrences.c.ritual_id == ritual_id, _occurrences.c.ends_at > after,
                       _occurrences.c.closed_at.is_(None))
                .order_by(_occurrences.c.starts_at, _occurrences.c.id)
            )
            return [_occurrence(row) for row in rows]

    async def _claim(
        self, column: str, now: datetime, due: Sequence[ColumnElement[bool]], *, running: bool = True
    ) -> list[BorrelContext]:
        """Set `column` to `now` on each due occurrence whose `column` is still NULL; the ones this call set."""
        target = _occurrences.c[column]
        async with self._engine.connect() as conn:
            source = _occurrences.join(_rituals, _rituals.c.id == _occurrences.c.ritual_id)
            candidates = await conn.execute(
                select(_occurrences.c.id)
                .select_from(source)
                .where(target.is_(None), *due, *(_running() if running else ()))
                .order_by(_occurrences.c.starts_at, _occurrences.c.id)
            )
            ids = [row[0] for row in candidates]
        claimed: list[BorrelContext] = []
        for occurrence_id in ids:
            async with self._engine.begin() as conn:
                result = await conn.execute(
                    update(_occurrences)
                    .where(_occurrences.c.id == occurrence_id, target.is_(None), *due)
                    .values({column: now})
                )
                if result.rowcount != 1:
                    continue  # another worker got there first
                if column == "closed_at":
                    await _freeze_counts(conn, occurrence_id)
                context = await _context(conn, occurrence_id)
            if context is not None:
                claimed.append(context)
        return claimed

    async def claim_invites(self, now: datetime) -> list[BorrelContext]:
        """Mark as sent, once, the invites of running borrels due by `now` that have not started or been cancelled."""
        due = (
            _occurrences.c.invite_at <= now,
            _occurrences.c.starts_at > now,
            _occurrences.c.cancelled_at.is_(None),
            _occurrences.c.closed_at.is_(None),
        )
        return await self._claim("invite_sent_at", now, due)

    async def claim_reminders(self, now: datetime) -> list[BorrelContext]:
        """Mark as reminded, once, invited and not cancelled borrels of running rituals whose reminder is due and
        that have not started."""
        due = (
            _occurrences.c.remind_at <= now,
            _occurrences.c.starts_at > now,
            _occurrences.c.invite_sent_at.is_not(None),
            _occurrences.c.cancelled_at.is_(None),
            _occurrences.c.closed_at.is_(None),
        )
        return await self._claim("reminded_at", now, due)

    async def claim_closings(self, now: datetime) -> list[BorrelContext]:
        """Close, once, borrels that have ended (or were cancelled and would have), freezing their RSVP counts."""
        # Paused or deleted series close too: their history must not wait for a resume that may never come.
        return await self._claim("closed_at", now, (_occurrences.c.ends_at <= now,), running=False)

    async def rsvp(self, occurrence_id: int, member_id: int, answer: RsvpAnswer, now: datetime) -> bool:
        """Store or replace the member's answer; False, with nothing written, once the borrel is closed or cancelled."""
        if answer not in BORREL_ANSWERS:
            raise ValueError(f"an RSVP is one of {BORREL_ANSWERS}, got {answer!r}")
        async with self._engine.begin() as conn:
            # Touching the occurrence row first locks it (PostgreSQL) so a closing cannot freeze counts in between.
            open_ = await conn.execute(
                update(_occurrences)
                .where(_occurrences.c.id == occurrence_id, _occurrences.c.closed_at.is_(None),
                       _occurrences.c.cancelled_at.is_(None))
                .values(id=_occurrences.c.id)
            )
            if open_.rowcount != 1:
                return False
            insert = self._insert(_rsvps).values(
                occurrence_id=occurrence_id, member_id=member_id, answer=answer, answered_at=now
            )
            await conn.execute(
                insert.on_conflict_do_update(
                    index_elements=["occurrence_id", "member_id"],
                    set_={"answer": insert.excluded.answer, "answered_at": insert.excluded.answered_at},
                )
            )
            return True

    async def rsvps(self, occurrence_id: int) -> list[Rsvp]:
        """Everyone's latest answer, by display name."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(*_MEMBER, _rsvps.c.answer)
                .select_from(_rsvps.join(_MEMBER_FROM, _MEMBER[0] == _rsvps.c.member_id))
                .where(_rsvps.c.occurrence_id == occurrence_id)
            )
            found = [Rsvp(member=_member(row), answer=row[len(_MEMBER)]) for row in rows]
        return sorted(found, key=lambda rsvp: _by_name(rsvp.member))

    async def cancel(self, occurrence_id: int, now: datetime) -> bool:
        """Cancel one occurrence; False when it was cancelled or closed already."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(_occurrences)
                .where(_occurrences.c.id == occurrence_id, _occurrences.c.cancelled_at.is_(None),
                       _occurrences.c.closed_at.is_(None))
                .values(cancelled_at=now)
            )
            return bool(result.rowcount == 1)

    async def move(
        self, occurrence_id: int, *, starts_at: datetime, ends_at: datetime, invite_at: datetime, remind_at: datetime
    ) -> bool:
        """Give one occurrence new times; its reminder is due again. False when it is cancelled or closed."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(_occurrences)
                .where(_occurrences.c.id == occurrence_id, _occurrences.c.cancelled_at.is_(None),
                       _occurrences.c.closed_at.is_(None))
                .values(starts_at=starts_at, ends_at=ends_at, invite_at=invite_at, remind_at=remind_at,
                        reminded_at=None)
            )
            return bool(result.rowcount == 1)

    async def history(self, ritual_id: int, limit: int = 8) -> list[BorrelOccurrence]:
        """The ritual's closed occurrences that were invited or cancelled, newest first."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(*_OCCURRENCE)
                .where(
                    _occurrences.c.ritual_id == ritual_id,
                    _occurrences.c.closed_at.is_not(None),
                    (_occurrences.c.invite_sent_at.is_not(None)) | (_occurrences.c.cancelled_at.is_not(None)),
                )
                .order_by(_occurrences.c.starts_at.desc(), _occurrences.c.id.desc())
                .limit(limit)
            )
            return [_occurrence(row) for row in rows]


async def _context(conn: AsyncConnection, occurrence_id: int) -> BorrelContext | None:
    row = (
        await conn.execute(
            select(*_OCCURRENCE, *_RITUAL, *_TEAM).select_from(_WITH_RITUAL).where(_occurrences.c.id == occurrence_id)
        )
    ).first()
    if row is None:
        return None
    return BorrelContext(occurrence=_occurrence(row), ritual=_ritual(row, _O), team=_team(row, _O + _R))


async def _freeze_counts(conn: AsyncConnection, occurrence_id: int) -> None:
    """Write the occurrence's join, maybe and no counts from its RSVPs (inside the closing's transaction)."""
    rows = await conn.execute(
        select(_rsvps.c.answer, func.count()).where(_rsvps.c.occurrence_id == occurrence_id).group_by(_rsvps.c.answer)
    )
    counts = {answer: count for answer, count in rows}
    await conn.execute(
        update(_occurrences)
        .where(_occurrences.c.id == occurrence_id)
        .values(joined=counts.get("join", 0), maybe=counts.get("maybe", 0), declined=counts.get("no", 0))
    )


def _conforms(store: SqlBorrelStore) -> BorrelStore:
    # mypy fails here if SqlBorrelStore drifts from the BorrelStore protocol.
    return store
