"""SqlInboundLedger: every inbound event in Ritme's own database, from its acknowledgement until it is handled.

An event is stored with its payload as pending and held by the process that accepted it. Once handled (or given
up on) its payload is dropped, so what members typed or picked is kept no longer than it takes to handle it. If
the process stops first, the hold runs out and any process claims the event again: on PostgreSQL with
`FOR UPDATE SKIP LOCKED`, so two replicas never claim the same event.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, delete, null, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from rituals.events import Actor, InboundEvent
from rituals.ports import EventKey, InboundLedger
from storage.models import InboundEventRow

log = logging.getLogger(__name__)

_inbound = cast(Table, InboundEventRow.__table__)
PENDING, DONE, FAILED = "pending", "done", "failed"
# Rows per INSERT or IN list: under SQLite's historical limit of 999 bound variables.
CHUNK = 150


def _kinds() -> dict[str, type[InboundEvent]]:
    """Every concrete event kind by name; a kind added to rituals.events is stored without a change here."""
    found: dict[str, type[InboundEvent]] = {}
    pending = list(InboundEvent.__subclasses__())
    while pending:
        kind = pending.pop()
        found[kind.__name__] = kind
        pending.extend(kind.__subclasses__())
    return found


def encode(event: InboundEvent) -> dict[str, Any]:
    """An event as JSON-ready data: its kind and its fields."""
    data: dict[str, Any] = {"kind": type(event).__name__}
    for field in dataclasses.fields(event):
        value = getattr(event, field.name)
        if isinstance(value, Actor):
            value = dataclasses.asdict(value)
        elif isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        data[field.name] = value
    return data


def decode(data: Mapping[str, Any]) -> InboundEvent:
    """The event `encode` wrote."""
    fields = dict(data)
    kind = _kinds()[fields.pop("kind")]
    fields["actor"] = Actor(**fields["actor"])
    fields["received_at"] = datetime.fromisoformat(fields["received_at"])
    for name, value in fields.items():
        if isinstance(value, list):
            fields[name] = tuple(value)
    return kind(**fields)


def _key(event: InboundEvent) -> EventKey:
    return (event.actor.platform, event.event_id)


class SqlInboundLedger:
    """The InboundLedger on SQLite or PostgreSQL."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"

    async def record(self, events: Sequence[InboundEvent], held_until: datetime) -> set[EventKey]:
        """Record events as pending, held until `held_until`; the keys of those that were new."""
        new: set[EventKey] = set()
        insert = postgresql.insert if self._postgres else sqlite.insert
        async with self._engine.begin() as conn:
            for start in range(0, len(events), CHUNK):
                rows = [
                    {
                        "platform": event.actor.platform,
                        "event_id": event.event_id,
                        "received_at": event.received_at,
                        "status": PENDING,
                        "payload": encode(event),
                        "attempts": 1,
                        "held_until": held_until,
                    }
                    for event in events[start : start + CHUNK]
                ]
                statement = (
                    insert(_inbound)
                    .values(rows)
                    .on_conflict_do_nothing(index_elements=["platform", "event_id"])
                    .returning(_inbound.c.platform, _inbound.c.event_id)
                )
                new.update((row.platform, row.event_id) for row in await conn.execute(statement))
        return new

    async def finish(self, keys: Sequence[EventKey]) -> None:
        """Mark events handled, so they are never handled again."""
        # null(), not None: the JSON type would store None as the JSON text `null`.
        await self._update(keys, status=DONE, payload=null(), held_until=None)

    async def hold_until(self, keys: Sequence[EventKey], until: datetime) -> None:
        """Change how long pending events stay held: `until` = now hands them back at once."""
        await self._update(keys, pending_only=True, held_until=until)

    async def _update(self, keys: Sequence[EventKey], *, pending_only: bool = False, **values: Any) -> None:
        if not keys:
            return
        async with self._engine.begin() as conn:
            for start in range(0, len(keys), CHUNK):
                chunk = list(keys[start : start + CHUNK])
                where: ColumnElement[bool] = tuple_(_inbound.c.platform, _inbound.c.event_id).in_(chunk)
                if pending_only:
                    where = and_(where, _inbound.c.status == PENDING)
                await conn.execute(update(_inbound).where(where).values(**values))

    async def claim(self, now: datetime, held_until: datetime, limit: int, max_attempts: int) -> list[InboundEvent]:
        """Pending events whose hold ran out, oldest first, held again until `held_until`.

        An event already tried `max_attempts` times is marked failed instead of being returned.
        """
        loose = and_(_inbound.c.status == PENDING, or_(_inbound.c.held_until.is_(None), _inbound.c.held_until <= now))
        async with self._engine.begin() as conn:
            exhausted = await conn.execute(
                update(_inbound)
                .where(loose, _inbound.c.attempts >= max_attempts)
                # The payload goes: it may hold what a member answered (a pulse's scores next to their id), and
                # nothing will read it again. The log names the event for whoever looks into the failure.
                .values(status=FAILED, payload=null())
                .returning(_inbound.c.platform, _inbound.c.event_id)
            )
            for platform, event_id in exhausted:
                log.error("gave up on %s event %s after %d attempts", platform, event_id, max_attempts)
            # SQLite ignores FOR UPDATE; its BEGIN IMMEDIATE already keeps other writers out until the commit.
            ids = (
                select(_inbound.c.id)
                .where(loose)
                .order_by(_inbound.c.received_at, _inbound.c.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
            rows = await conn.execute(
                update(_inbound)
                .where(_inbound.c.id.in_(ids.scalar_subquery()))
                .values(held_until=held_until, attempts=_inbound.c.attempts + 1)
                .returning(_inbound.c.payload, _inbound.c.received_at, _inbound.c.id)
            )
            claimed = sorted(rows, key=lambda row: (row.received_at, row.id))
        return [decode(row.payload) for row in claimed]

    async def prune(self, before: datetime) -> int:
        """Forget events received before `before` that are not pending; returns how many were forgotten."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                delete(_inbound).where(_inbound.c.received_at < before, _inbound.c.status != PENDING)
            )
        return result.rowcount


def _conforms(ledger: SqlInboundLedger) -> InboundLedger:
    # mypy fails here if SqlInboundLedger drifts from the InboundLedger protocol.
    return ledger

