"""SqlRetention: deletes deliveries older than a cut-off with what hangs off them (see rituals/retention.py).

A year of deliveries can be many rows the first time; they go in batches, each its own short transaction, so the
dispatcher's claims never wait long on the prune (SQLite has one writer).
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from rituals.retention import Pruned, RetentionStore, delivery_keys
from storage.models import AnswerRow, DeliveryFailureRow, DeliveryRow, PostedMessageRow

_deliveries = cast(Table, DeliveryRow.__table__)
_answers = cast(Table, AnswerRow.__table__)
_posted = cast(Table, PostedMessageRow.__table__)
_failures = cast(Table, DeliveryFailureRow.__table__)

BATCH = 500


class SqlRetention:
    """The RetentionStore on SQL (SQLite and PostgreSQL)."""

    def __init__(self, engine: AsyncEngine, batch: int = BATCH) -> None:
        """Use `engine`; delete at most `batch` deliveries a transaction."""
        self._engine = engine
        self._batch = batch

    async def prune(self, before: datetime) -> Pruned:
        """Delete deliveries due before `before`, their answers and posted messages, and failures before it."""
        deliveries = answers = posted = 0
        while True:
            async with self._engine.begin() as conn:
                ids = list((await conn.execute(
                    select(_deliveries.c.id).where(_deliveries.c.due_at < before)
                    .order_by(_deliveries.c.id).limit(self._batch)
                )).scalars())
                if not ids:
                    break
                keys = [key for delivery_id in ids for key in delivery_keys(delivery_id)]
                answers += (await conn.execute(delete(_answers).where(_answers.c.delivery_id.in_(ids)))).rowcount
                posted += (await conn.execute(delete(_posted).where(_posted.c.key.in_(keys)))).rowcount
                deliveries += (await conn.execute(delete(_deliveries).where(_deliveries.c.id.in_(ids)))).rowcount
        async with self._engine.begin() as conn:
            # An answer is never older than its delivery's due time, but a clock set back once could make one so.
            answers += (await conn.execute(delete(_answers).where(_answers.c.submitted_at < before))).rowcount
            failures = (await conn.execute(
                delete(_failures).where(_failures.c.failed_at < before)
            )).rowcount
        return Pruned(deliveries=deliveries, answers=answers, posted_messages=posted, failures=failures)


def _conforms(retention: SqlRetention) -> RetentionStore:
    # mypy fails here if SqlRetention drifts from the RetentionStore protocol.
    return retention
