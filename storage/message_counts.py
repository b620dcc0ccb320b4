"""SqlMessageCounts: each member's scheduled private messages per local day, counted atomically up to a cap.

Table (storage/models.py, migration 0013): member_message_counts (member, local date, count). A place is taken
by one statement that either inserts the day's first count or adds one where the count is still below the limit,
so two workers at once never count past it.
"""

from __future__ import annotations

from datetime import date
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import MemberMessageCountRow

_counts = cast(Table, MemberMessageCountRow.__table__)


class SqlMessageCounts:
    """The MessageCounts on SQLAlchemy Core (SQLite and PostgreSQL); every method is one short transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        """Use `engine` for every transaction."""
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"

    async def take(self, member_id: int, local_date: date, limit: int | None) -> bool:
        """Count one more message on the member's `local_date` unless the day already holds `limit` (None: no
        limit); True when counted."""
        if limit is not None and limit <= 0:
            return False
        insert = postgresql.insert(_counts) if self._postgres else sqlite.insert(_counts)
        upsert = insert.values(member_id=member_id, local_date=local_date, count=1).on_conflict_do_update(
            index_elements=["member_id", "local_date"],
            set_={"count": _counts.c.count + 1},
            # The limit is checked in the same statement as the increment: a racing worker sees the new count.
            where=(_counts.c.count < limit) if limit is not None else None,
        ).returning(_counts.c.count)
        async with self._engine.begin() as conn:
            counted = await conn.execute(upsert)
            return counted.first() is not None

    async def taken(self, member_id: int, local_date: date) -> int:
        """How many messages were counted for the member's `local_date`."""
        statement = select(_counts.c.count).where(_counts.c.member_id == member_id,
                                                  _counts.c.local_date == local_date)
        async with self._engine.begin() as conn:
            found = (await conn.execute(statement)).scalar_one_or_none()
        return found or 0
