"""SqlHeldMessages: scheduled messages a platform could not take, stored as JSON until they are tried again."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from rituals.outbound import Message, recipient_id, recipient_of
from rituals.ports import HeldMessage, HeldMessages
from storage.models import HeldMessageRow

_held = cast(Table, HeldMessageRow.__table__)
# A combined message's key can be long (rituals/pacing.py keeps it within this), like posted_messages' keys.
_MAX_KEY = 255


@cache
def _message_kinds() -> dict[str, type[Any]]:
    """Every outbound message class by name, from the Message union itself, so a new kind needs no change here."""
    return {kind.__name__: kind for kind in typing.get_args(Message)}


def encode(message: Message) -> str:
    """A message as JSON: its kind and its fields, nested dataclasses as objects, tuples as lists."""
    return json.dumps({"kind": type(message).__name__, "fields": _plain(message)}, ensure_ascii=False)


def decode(body: str) -> Message:
    """The message `encode` wrote."""
    data = json.loads(body)
    return cast(Message, _typed(data["fields"], _message_kinds()[data["kind"]]))


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


@cache
def _hints(kind: Any) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def _typed(value: Any, hint: Any) -> Any:
    """`value` as read from JSON, turned back into the type `hint` names (the vocabulary's dataclasses)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        # The vocabulary's unions are all "X | None".
        [optional] = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _typed(value, optional)
    if origin is tuple:
        item = typing.get_args(hint)[0]
        return tuple(_typed(element, item) for element in value)
    if hint is datetime:
        return datetime.fromisoformat(value)
    if dataclasses.is_dataclass(hint):
        cls: Any = hint
        hints = _hints(cls)
        return cls(**{name: _typed(field, hints[name]) for name, field in value.items()})
    return value


class SqlHeldMessages:
    """HeldMessages in Ritme's own database, shared by every replica."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def hold(self, messages: Sequence[Message], retry_at: datetime, now: datetime) -> None:
        """Keep messages that were tried once and not delivered, to be tried again from `retry_at`."""
        if not messages:
            return
        rows = []
        for message in messages:
            to = recipient_of(message)
            rows.append({
                "platform": to.platform, "workspace_id": to.workspace_id, "recipient": recipient_id(message),
                "key": message.key[:_MAX_KEY], "body": encode(message), "held_since": now, "retry_at": retry_at,
                "attempts": 1, "lease_until": None,
            })
        async with self._engine.begin() as conn:
            await conn.execute(_held.insert(), rows)

    async def claim_due(self, now: datetime, lease: timedelta, limit: int) -> list[HeldMessage]:
        """Claim held messages whose time has come for `lease`, oldest first; other workers skip them meanwhile."""
        due = and_(_held.c.retry_at <= now, or_(_held.c.lease_until.is_(None), _held.c.lease_until <= now))
        # Asked every tick, and almost always there is nothing: a read first, so an idle tick takes no write lock.
        async with self._engine.connect() as conn:
            if (await conn.execute(select(_held.c.id).where(due).limit(1))).first() is None:
                return []
        # SQLite ignores FOR UPDATE; its BEGIN IMMEDIATE already keeps other writers out until the commit.
        ids = (
            select(_held.c.id)
            .where(due)
            .order_by(_held.c.retry_at, _held.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        async with self._engine.begin() as conn:
            rows = await conn.execute(
                update(_held)
                .where(_held.c.id.in_(ids.scalar_subquery()))
                .values(lease_until=now + lease)
                .returning(_held.c.id, _held.c.body, _held.c.held_since, _held.c.attempts, _held.c.retry_at)
            )
            claimed = sorted(rows, key=lambda row: (row.retry_at, row.id))
        return [HeldMessage(id=row.id, message=decode(row.body), held_since=row.held_since, attempts=row.attempts)
                for row in claimed]

    async def retry_later(self, retries: Sequence[tuple[int, datetime]], tried: bool) -> None:
        """Hand claimed messages back to be tried at their given time; `tried` counts this as an attempt."""
        if not retries:
            return
        statement = (
            update(_held)
            .where(_held.c.id == bindparam("held_id"))
            .values(retry_at=bindparam("next_at"), lease_until=None,
                    attempts=_held.c.attempts + (1 if tried else 0))
        )
        async with self._engine.begin() as conn:
            await conn.execute(statement, [{"held_id": held_id, "next_at": at} for held_id, at in retries])

    async def forget(self, ids: Sequence[int]) -> None:
        """Drop held messages: delivered, refused for good, or out of date."""
        if not ids:
            return
        async with self._engine.begin() as conn:
            await conn.execute(delete(_held).where(_held.c.id.in_(list(ids))))


def _conforms(held: SqlHeldMessages) -> HeldMessages:
    # mypy fails here if SqlHeldMessages drifts from the HeldMessages protocol.
    return held
