"""SqlFailureLog: messages a platform refused or that kept failing, kept so they are never silently dropped.

Adapters record them; the engine reads them back for a team's managers (`standup failures`, the Home view).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql import ColumnElement

from rituals.ports import DeliveryFailure, FailureLog
from storage.models import DeliveryFailureRow

_failures = cast(Table, DeliveryFailureRow.__table__)
ERROR_LENGTH = 1024
# Recipients per IN list: under SQLite's historical 999-variable limit, with room for the other parameters.
IN_CHUNK = 900


class SqlFailureLog:
    """The FailureLog in Ritme's own database, shared by every platform and every replica."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def record(self, failure: DeliveryFailure) -> None:
        """Remember one failure."""
        statement = insert(_failures).values(
            platform=failure.platform,
            workspace_id=failure.workspace_id,
            recipient=failure.recipient,
            kind=failure.kind,
            key=failure.key,
            error=failure.error[:ERROR_LENGTH],
            failed_at=failure.failed_at,
        )
        async with self._engine.begin() as connection:
            await connection.execute(statement)

    async def recent(
        self,
        platform: str,
        workspace_id: str,
        since: datetime,
        *,
        recipients: Collection[str] | None = None,
        limit: int = 50,
    ) -> Sequence[DeliveryFailure]:
        """The workspace's failures at or after `since`, newest first; only those for `recipients` when given."""
        rows: list[Any] = []
        async with self._engine.connect() as connection:
            # One query per chunk of recipients, each already newest first and limited; merged below.
            for where in _filters(platform, workspace_id, since, recipients):
                statement = (
                    select(_failures)
                    .where(*where)
                    .order_by(_failures.c.failed_at.desc(), _failures.c.id.desc())
                    .limit(limit)
                )
                rows.extend((await connection.execute(statement)).all())
        rows.sort(key=lambda row: (row.failed_at, row.id), reverse=True)
        return [_failure(row) for row in rows[:limit]]

    async def count(
        self, platform: str, workspace_id: str, since: datetime, *, recipients: Collection[str] | None = None
    ) -> int:
        """How many failures `recent` would find without a limit."""
        total = 0
        async with self._engine.connect() as connection:
            for where in _filters(platform, workspace_id, since, recipients):
                statement = select(func.count()).select_from(_failures).where(*where)
                total += (await connection.execute(statement)).scalar_one()
        return total


def _filters(
    platform: str, workspace_id: str, since: datetime, recipients: Collection[str] | None
) -> Iterator[tuple[ColumnElement[bool], ...]]:
    """The WHERE clauses to run: one without recipients, or one per chunk of them (none for an empty list)."""
    base = (
        _failures.c.platform == platform,
        _failures.c.workspace_id == workspace_id,
        _failures.c.failed_at >= since,
    )
    if recipients is None:
        yield base
        return
    unique = sorted(set(recipients))
    for start in range(0, len(unique), IN_CHUNK):
        yield (*base, _failures.c.recipient.in_(unique[start : start + IN_CHUNK]))


def _failure(row: Any) -> DeliveryFailure:
    return DeliveryFailure(
        platform=row.platform,
        workspace_id=row.workspace_id,
        recipient=row.recipient,
        kind=row.kind,
        key=row.key,
        error=row.error,
        failed_at=row.failed_at,
    )


def _conforms(log: SqlFailureLog) -> FailureLog:
    # mypy fails here if SqlFailureLog drifts from the FailureLog protocol.
    return log
