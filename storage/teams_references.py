"""SqlConversationReferences: Teams conversation references in Ritme's own database, shared by every replica.

A reference is refreshed by every activity, and the activities that refresh it often carry less than the one that
first stored it (a message names the team but not always its name). So a refresh never blanks a name or id that
is known, and a refresh older than the stored one (a slow replica) changes nothing.
"""

from __future__ import annotations

from typing import Any, cast, get_args

from sqlalchemy import Table, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql import ColumnElement

from adapters.teams.references import ConversationKind, ConversationRef, ConversationReferences
from storage.models import TeamsConversationRow

_refs = cast(Table, TeamsConversationRow.__table__)
_KINDS = frozenset(get_args(ConversationKind))


class SqlConversationReferences:
    """The ConversationReferences port on SQLAlchemy (SQLite and PostgreSQL)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._dialect = postgresql if engine.dialect.name == "postgresql" else sqlite

    async def remember(self, ref: ConversationRef) -> None:
        """Store or refresh a reference, keyed by tenant and conversation id."""
        insert = self._dialect.insert(_refs).values(
            tenant_id=ref.tenant_id,
            conversation_id=ref.conversation_id,
            service_url=ref.service_url,
            bot_id=ref.bot_id,
            kind=ref.kind,
            user_id=ref.user_id,
            team_id=ref.team_id,
            team_name=ref.team_name,
            channel_name=ref.channel_name,
            updated_at=ref.updated_at,
        )
        new = insert.excluded
        statement = insert.on_conflict_do_update(
            index_elements=["tenant_id", "conversation_id"],
            set_={
                "service_url": new.service_url,
                "bot_id": new.bot_id,
                "kind": new.kind,
                "user_id": func.coalesce(new.user_id, _refs.c.user_id),
                "team_id": func.coalesce(new.team_id, _refs.c.team_id),
                "team_name": _kept_unless_blank(new.team_name, _refs.c.team_name),
                "channel_name": _kept_unless_blank(new.channel_name, _refs.c.channel_name),
                "updated_at": new.updated_at,
            },
            where=_refs.c.updated_at <= new.updated_at,
        )
        async with self._engine.begin() as connection:
            await connection.execute(statement)

    async def conversation(self, tenant_id: str, conversation_id: str) -> ConversationRef | None:
        """The reference of one conversation."""
        return await self._first(_refs.c.tenant_id == tenant_id, _refs.c.conversation_id == conversation_id)

    async def personal(self, tenant_id: str, user_id: str) -> ConversationRef | None:
        """The member's personal chat with Ritme, if one is known (the freshest, should Teams have made two)."""
        return await self._first(_refs.c.tenant_id == tenant_id, _refs.c.user_id == user_id, _refs.c.kind == "personal")

    async def any_in_tenant(self, tenant_id: str) -> ConversationRef | None:
        """The most recently refreshed reference of a tenant: its service URL and bot id open new personal chats."""
        return await self._first(_refs.c.tenant_id == tenant_id)

    async def forget(self, tenant_id: str, conversation_id: str) -> None:
        """Drop a reference (Ritme was uninstalled there)."""
        statement = delete(_refs).where(_refs.c.tenant_id == tenant_id, _refs.c.conversation_id == conversation_id)
        async with self._engine.begin() as connection:
            await connection.execute(statement)

    async def _first(self, *where: ColumnElement[bool]) -> ConversationRef | None:
        statement = select(_refs).where(*where).order_by(_refs.c.updated_at.desc(), _refs.c.id.desc()).limit(1)
        async with self._engine.connect() as connection:
            row = (await connection.execute(statement)).first()
        return _ref(row) if row is not None else None


def _kept_unless_blank(new: ColumnElement[Any], old: ColumnElement[Any]) -> ColumnElement[Any]:
    """The new value, or the stored one when the refresh brought an empty string."""
    return func.coalesce(func.nullif(new, ""), old)


def _ref(row: Any) -> ConversationRef:
    if row.kind not in _KINDS:
        raise ValueError(f"unknown Teams conversation kind {row.kind!r} for {row.conversation_id}")
    return ConversationRef(
        tenant_id=row.tenant_id,
        conversation_id=row.conversation_id,
        service_url=row.service_url,
        bot_id=row.bot_id,
        kind=row.kind,
        user_id=row.user_id,
        team_id=row.team_id,
        team_name=row.team_name,
        channel_name=row.channel_name,
        updated_at=row.updated_at,
    )


def _conforms(refs: SqlConversationReferences) -> ConversationReferences:
    # mypy fails here if SqlConversationReferences drifts from the ConversationReferences protocol.
    return refs
