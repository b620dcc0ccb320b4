"""SqlDashboardStore: the dashboard's sign-in links and sessions on SQLAlchemy Core (SQLite and PostgreSQL).

Tables (storage/models.py, migration 0015): dashboard_links and dashboard_sessions, each keyed by the SHA-256 of
its secret. A link is used by one UPDATE ... WHERE used_at IS NULL AND expires_at > now: whichever transaction
updates the row first wins, and the other finds nothing left to update (on PostgreSQL the second UPDATE waits for
the first's row lock and then re-checks the WHERE), so two clicks, or two replicas, never both sign in.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from rituals.dashboard import DashboardSession, SignInLink
from rituals.model import Member, Team
from storage.models import DashboardLinkRow, DashboardSessionRow
from storage.repository import _MEMBER, _MEMBER_FROM, _TEAM, _TEAM_FROM, _member, _members, _team, _teams

_links = cast(Table, DashboardLinkRow.__table__)
_sessions = cast(Table, DashboardSessionRow.__table__)


class SqlDashboardStore:
    """The DashboardStore port (rituals/dashboard.py); every method is one short transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        """Use `engine` for every transaction."""
        self._engine = engine

    async def add_link(self, token_hash: str, member_id: int, expires_at: datetime) -> None:
        """Remember a new sign-in link for the member by its token's hash."""
        async with self._engine.begin() as conn:
            await conn.execute(insert(_links).values(token_hash=token_hash, member_id=member_id,
                                                     expires_at=expires_at, used_at=None))

    async def use_link(self, token_hash: str, now: datetime) -> int | None:
        """Mark the link used if it is unused and unexpired, in one statement; its member's id, or None."""
        statement = (
            update(_links)
            .where(_links.c.token_hash == token_hash, _links.c.used_at.is_(None), _links.c.expires_at > now)
            .values(used_at=now)
            .returning(_links.c.member_id)
        )
        async with self._engine.begin() as conn:
            row = (await conn.execute(statement)).first()
        return None if row is None else int(row[0])

    async def link(self, token_hash: str) -> SignInLink | None:
        """A link as stored (to say why it was refused); None when unknown."""
        statement = select(_links.c.member_id, _links.c.expires_at, _links.c.used_at).where(
            _links.c.token_hash == token_hash
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(statement)).first()
        if row is None:
            return None
        return SignInLink(member_id=row[0], expires_at=row[1], used_at=row[2])

    async def start_session(
        self, id_hash: str, member_id: int, csrf_token: str, now: datetime, expires_at: datetime
    ) -> None:
        """Store a new session by its id's hash."""
        async with self._engine.begin() as conn:
            await conn.execute(insert(_sessions).values(id_hash=id_hash, member_id=member_id, csrf_token=csrf_token,
                                                        created_at=now, expires_at=expires_at))

    async def session(self, id_hash: str, now: datetime) -> DashboardSession | None:
        """The session with that id hash if it has not expired by `now`."""
        statement = select(_sessions.c.member_id, _sessions.c.csrf_token, _sessions.c.expires_at).where(
            _sessions.c.id_hash == id_hash, _sessions.c.expires_at > now
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(statement)).first()
        if row is None:
            return None
        return DashboardSession(member_id=row[0], csrf_token=row[1], expires_at=row[2])

    async def end_session(self, id_hash: str) -> None:
        """Forget a session (signing out); nothing happens for an unknown one."""
        async with self._engine.begin() as conn:
            await conn.execute(delete(_sessions).where(_sessions.c.id_hash == id_hash))

    async def prune(self, before: datetime) -> int:
        """Forget links and sessions that expired before `before`; returns how many rows went."""
        async with self._engine.begin() as conn:
            links = await conn.execute(delete(_links).where(_links.c.expires_at < before))
            sessions = await conn.execute(delete(_sessions).where(_sessions.c.expires_at < before))
        return int(links.rowcount or 0) + int(sessions.rowcount or 0)

    async def team(self, team_id: int) -> Team | None:
        """The team with that id, if there is one."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(*_TEAM).select_from(_TEAM_FROM).where(_teams.c.id == team_id))).first()
        return None if row is None else _team(row)

    async def member(self, member_id: int) -> Member | None:
        """The member with that id, if there is one."""
        statement = select(*_MEMBER).select_from(_MEMBER_FROM).where(_members.c.id == member_id)
        async with self._engine.connect() as conn:
            row = (await conn.execute(statement)).first()
        return None if row is None else _member(row)
