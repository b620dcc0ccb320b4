"""SqlMessageCounts: each member's scheduled private messages per local day, counted atomically up to a cap.

Table (storage/models.py, migration 0013): member_message_counts (member, local date, count). A place is taken
by one statement that either inserts the day's first count or adds one where the count is still below the limit,
so two workers at once never count past it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import cast

from sqlalchemy import Table, bindparam, select, update
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

    async def take_many(self, places: Sequence[tuple[int, date]], limit: int) -> list[bool]:
        """`take` for each (member, local date) in order, a few statements for the whole batch; whether each was
        counted."""
        if limit <= 0 or not places:
            return [False] * len(places)
        counted = [False] * len(places)
        async with self._engine.begin() as conn:
            # One statement cannot change a row twice, so a member's second place in the batch waits for the next.
            for rounds in _rounds(places):
                insert = postgresql.insert(_counts) if self._postgres else sqlite.insert(_counts)
                upsert = insert.values([
                    {"member_id": member_id, "local_date": day, "count": 1} for member_id, day in rounds.values()
                ]).on_conflict_do_update(
                    index_elements=["member_id", "local_date"],
                    set_={"count": _counts.c.count + 1},
                    where=_counts.c.count < limit,
                ).returning(_counts.c.member_id, _counts.c.local_date)
                taken = {(row.member_id, row.local_date) for row in await conn.execute(upsert)}
                for index, place in rounds.items():
                    counted[index] = place in taken
        return counted

    async def give_back(self, places: Sequence[tuple[int, date]]) -> None:
        """Uncount one message for each (member, local date): it was counted, then not sent after all."""
        if not places:
            return
        give_back = (
            update(_counts)
            .where(_counts.c.member_id == bindparam("b_member"), _counts.c.local_date == bindparam("b_date"),
                   _counts.c.count > 0)
            .values(count=_counts.c.count - 1)
        )
        async with self._engine.begin() as conn:
            await conn.execute(give_back, [{"b_member": member, "b_date": day} for member, day in places])

    async def taken(self, member_id: int, local_date: date) -> int:
        """How many messages were counted for the member's `local_date`."""
        statement = select(_counts.c.count).where(_counts.c.member_id == member_id,
                                                  _counts.c.local_date == local_date)
        async with self._engine.begin() as conn:
            found = (await conn.execute(statement)).scalar_one_or_none()
        return found or 0


def _rounds(places: Sequence[tuple[int, date]]) -> Iterator[dict[int, tuple[int, date]]]:
    """The places by their index in `places`, in rounds where each place occurs once, earlier ones first."""
    seen: dict[tuple[int, date], int] = {}
    rounds: list[dict[int, tuple[int, date]]] = []
    for index, place in enumerate(places):
        round_number = seen.get(place, 0)
        seen[place] = round_number + 1
        if round_number == len(rounds):
            rounds.append({})
        rounds[round_number][index] = place
    yield from rounds
