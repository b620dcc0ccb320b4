"""SqlFailureLog: messages a platform refused or that kept failing, kept so they are never silently dropped.

`recent` is the minimal read for now; the manager-facing view of failures comes later.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from rituals.ports import DeliveryFailure, FailureLog
from storage.models import DeliveryFailureRow

_failures = cast(Table, DeliveryFailureRow.__table__)
ERROR_LENGTH = 1024


class SqlFailureLog:
    """The FailureLog in Ritme's own database, shared by every replica, for one platform."""

    def __init__(self, engine: AsyncEngine, *, platform: str = "slack") -> None:
        self._engine = engine
        self._platform = platform

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

    async def recent(self, workspace_id: str, limit: int = 50) -> Sequence[DeliveryFailure]:
        """The workspace's latest failures on this platform, newest first."""
        statement = (
            select(_failures)
            .where(_failures.c.platform == self._platform, _failures.c.workspace_id == workspace_id)
            .order_by(_failures.c.failed_at.desc(), _failures.c.id.desc())
            .limit(limit)
        )
        async with self._engine.connect() as connection:
            rows = (await connection.execute(statement)).all()
        return [
            DeliveryFailure(
                platform=row.platform,
                workspace_id=row.workspace_id,
                recipient=row.recipient,
                kind=row.kind,
                key=row.key,
                error=row.error,
                failed_at=row.failed_at,
            )
            for row in rows
        ]


def _conforms(log: SqlFailureLog) -> FailureLog:
    # mypy fails here if SqlFailureLog drifts from the FailureLog protocol.
    return log
