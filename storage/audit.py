"""SqlAuditLog: the audit log of configuration changes on SQLAlchemy Core (SQLite and PostgreSQL).

Table (storage/models.py, migration 0016): audit_log (team, actor or NULL, source, action, detail, at). An entry
outlives its actor: erasing a member (storage/member_data.py) keeps the entry and sets its actor to NULL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Table, and_, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from rituals.audit import AuditEntry, AuditLog, Source, trimmed
from storage.models import AuditEntryRow, MemberRow

_audit = cast(Table, AuditEntryRow.__table__)
_members = cast(Table, MemberRow.__table__)


class SqlAuditLog:
    """The AuditLog on SQL; every method is one short transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        """Use `engine` for every transaction."""
        self._engine = engine

    async def record(
        self, *, team_id: int, actor_member_id: int | None, source: Source, action: str, detail: str, at: datetime
    ) -> None:
        """Append one change (the detail is trimmed to one line of at most rituals.audit.DETAIL_MAX characters)."""
        async with self._engine.begin() as conn:
            await conn.execute(insert(_audit).values(
                team_id=team_id, actor_member_id=actor_member_id, source=source, action=action,
                detail=trimmed(detail), at=at,
            ))

    async def recent(
        self, team_id: int, limit: int, before: datetime | None = None, *, older_than: int | None = None
    ) -> Sequence[AuditEntry]:
        """The team's latest changes, newest first, with each actor's current display name (None once erased);
        `older_than` pages on from an entry by (time, id), so entries made in one instant are neither lost nor
        shown twice at a page's edge."""
        statement = (
            select(_audit, _members.c.display_name)
            .select_from(_audit.outerjoin(_members, _members.c.id == _audit.c.actor_member_id))
            .where(_audit.c.team_id == team_id)
            # Two changes in one instant still come back in the order they were made.
            .order_by(_audit.c.at.desc(), _audit.c.id.desc())
            .limit(limit)
        )
        if before is not None:
            statement = statement.where(_audit.c.at < before)
        if older_than is not None:
            # NULL when the entry is not the team's (or not there): then nothing compares true and nothing shows.
            mark = select(_audit.c.at).where(_audit.c.id == older_than, _audit.c.team_id == team_id)
            mark_at = mark.scalar_subquery()
            statement = statement.where(or_(_audit.c.at < mark_at, and_(_audit.c.at == mark_at,
                                                                         _audit.c.id < older_than)))
        async with self._engine.begin() as conn:
            rows = (await conn.execute(statement)).all()
        return [
            AuditEntry(id=row.id, team_id=row.team_id, actor_member_id=row.actor_member_id,
                       actor_name=row.display_name, source=cast(Source, row.source), action=row.action,
                       detail=row.detail, at=row.at)
            for row in rows
        ]


def _conforms(log: SqlAuditLog) -> AuditLog:
    # mypy fails here if SqlAuditLog drifts from the AuditLog protocol.
    return log
