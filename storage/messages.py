"""SqlMessageLog: where each keyed message went on a platform, for adapters that update and thread messages."""

from __future__ import annotations

from collections.abc import Collection
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from rituals.ports import MessageLog, PostedMessage
from storage.database import retrying
from storage.models import PostedMessageRow

_posted = cast(Table, PostedMessageRow.__table__)
# Well under SQLite's and asyncpg's limits on bound parameters.
_KEYS_PER_QUERY = 900


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

        async def write() -> None:
            async with self._engine.begin() as connection:
                await connection.execute(statement)

        # Right after the platform accepted the message: while this is not written, a replica taking the prompt
        # over would send it again, so a lost connection is worth a few seconds of retrying.
        await retrying(write, "remembering a posted message")

    async def posted_keys(self, keys: Collection[str]) -> set[tuple[str, str]]:
        """Which of `keys` were posted, as (key, recipient) pairs, on any platform: keys name what they are for."""
        found: set[tuple[str, str]] = set()
        ordered = sorted(keys)
        for start in range(0, len(ordered), _KEYS_PER_QUERY):
            chunk = ordered[start:start + _KEYS_PER_QUERY]
            statement = select(_posted.c.key, _posted.c.recipient).where(_posted.c.key.in_(chunk))
            async with self._engine.connect() as connection:
                found.update((row.key, row.recipient) for row in await connection.execute(statement))
        return found

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
