"""SqlMessageLog: where each keyed message went on a platform, for adapters that update and thread messages."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from rituals.ports import MessageLog, PostedMessage
from storage.models import PostedMessageRow

_posted = cast(Table, PostedMessageRow.__table__)


class SqlMessageLog:
    """The MessageLog in Ritme's own database, shared by every replica."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._dialect = postgresql if engine.dialect.name == "postgresql" else sqlite

    async def remember(self, message: PostedMessage) -> None:
        """Store where a keyed message was posted, replacing an earlier post under the same key and recipient."""
        insert = self._dialect.insert(_posted).values(
            platform=message.platform,
            workspace_id=message.workspace_id,
            key=message.key,
            recipient=message.recipient,
            conversation_id=message.conversation_id,
            message_id=message.message_id,
        )
        statement = insert.on_conflict_do_update(
            index_elements=["platform", "workspace_id", "key", "recipient"],
            set_={"conversation_id": insert.excluded.conversation_id, "message_id": insert.excluded.message_id},
        )
        async with self._engine.begin() as connection:
            await connection.execute(statement)

    async def find(self, platform: str, workspace_id: str, key: str, recipient: str) -> PostedMessage | None:
        """Where the keyed message for that recipient was posted, if it was."""
        statement = select(_posted.c.conversation_id, _posted.c.message_id).where(
            _posted.c.platform == platform,
            _posted.c.workspace_id == workspace_id,
            _posted.c.key == key,
            _posted.c.recipient == recipient,
        )
        async with self._engine.connect() as connection:
            row = (await connection.execute(statement)).first()
        if row is None:
            return None
        return PostedMessage(
            platform=platform,
            workspace_id=workspace_id,
            key=key,
            recipient=recipient,
            conversation_id=row.conversation_id,
            message_id=row.message_id,
        )


def _conforms(log: SqlMessageLog) -> MessageLog:
    # mypy fails here if SqlMessageLog drifts from the MessageLog protocol.
    return log
