"""SqlCalendarFeeds: the team calendar feeds on SQLAlchemy Core (SQLite and PostgreSQL).

At most one live feed a team is the partial unique index's job (storage/models.py CalendarFeedRow), so two first
requests at once, or two revokes at once, leave one live token that everyone is shown.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from rituals.calendar import token_hash
from rituals.model import Team
from storage.models import LIVE_FEED, CalendarFeedRow
from storage.repository import _TEAM, _TEAM_FROM, _team, _teams

_feeds = cast(Table, CalendarFeedRow.__table__)


class SqlCalendarFeeds:
    """The CalendarFeeds port; every method is one short transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        """Use `engine` for every transaction."""
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"

    async def token(self, team_id: int) -> str | None:
        """The team's live token; None before the first feed."""
        async with self._engine.connect() as connection:
            return await self._live_token(connection, team_id)

    async def start(self, team_id: int, token: str, now: datetime) -> str:
        """Give the team a live feed with `token` unless it has one; returns the live token (the first one wins)."""
        async with self._engine.begin() as connection:
            await self._insert_live(connection, team_id, token, now)
            live = await self._live_token(connection, team_id)
        assert live is not None
        return live

    async def replace(self, team_id: int, token: str, now: datetime) -> str:
        """Revoke the team's live feed, if any, and make `token` the live one, in one transaction; returns it."""
        async with self._engine.begin() as connection:
            # The revoked token is forgotten; its hash stays unique, so it can never come back as a live one.
            await connection.execute(
                update(_feeds)
                .where(_feeds.c.team_id == team_id, text(LIVE_FEED))
                .values(revoked_at=now, token=None)
            )
            await self._insert_live(connection, team_id, token, now)
            live = await self._live_token(connection, team_id)
        assert live is not None
        return live

    async def find(self, token_hash: str) -> tuple[Team, datetime] | None:
        """The team of the live feed with that token hash and when the feed was created; None when revoked or
        unknown."""
        query = (
            select(*_TEAM, _feeds.c.created_at)
            .select_from(_feeds.join(_TEAM_FROM, _teams.c.id == _feeds.c.team_id))
            .where(_feeds.c.token_hash == token_hash, text(LIVE_FEED))
        )
        async with self._engine.connect() as connection:
            row = (await connection.execute(query)).first()
        if row is None:
            return None
        return _team(row), row[len(_TEAM)]

    async def _insert_live(self, connection: AsyncConnection, team_id: int, token: str, now: datetime) -> None:
        insert = postgresql.insert(_feeds) if self._postgres else sqlite.insert(_feeds)
        await connection.execute(
            insert.values(team_id=team_id, token_hash=token_hash(token), token=token, created_at=now)
            # Another worker's live feed for the team wins; this token is dropped.
            .on_conflict_do_nothing(index_elements=["team_id"], index_where=text(LIVE_FEED))
        )

    @staticmethod
    async def _live_token(connection: AsyncConnection, team_id: int) -> str | None:
        query = select(_feeds.c.token).where(_feeds.c.team_id == team_id, text(LIVE_FEED))
        token: str | None = await connection.scalar(query)
        return token
