"""SqlFocusStore: the start reminders of no-meeting windows, each claimed once per team-local date.

Table (storage/models.py, migration 0012): focus_reminders (ritual, local date), inserted by the worker that
sends the reminder; the primary key makes a second insert, by any worker, a no-op.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from rituals.model import Ritual, RitualKind, Team
from storage.models import FocusReminderRow
from storage.repository import _RITUAL, _TEAM, _TEAM_FROM, _ritual, _rituals, _running, _team, _teams

_reminders = cast(Table, FocusReminderRow.__table__)


class SqlFocusStore:
    """The FocusStore on SQLAlchemy Core (SQLite and PostgreSQL); every method is one short transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        """Use `engine` for every transaction."""
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"

    async def running_windows(self) -> list[tuple[Ritual, Team]]:
        """No-meeting windows that are neither paused nor deleted, with their teams."""
        statement = (
            select(*_RITUAL, *_TEAM)
            .select_from(_rituals.join(_TEAM_FROM, _teams.c.id == _rituals.c.team_id))
            .where(*_running(_rituals), _rituals.c.kind == RitualKind.FOCUS.value)
            .order_by(_rituals.c.id)
        )
        async with self._engine.begin() as conn:
            rows = (await conn.execute(statement)).all()
        return [(_ritual(row), _team(row, len(_RITUAL))) for row in rows]

    async def claim_reminder(self, ritual_id: int, local_date: date, now: datetime) -> bool:
        """Claim the window's start reminder of a team-local date; False when it was claimed before."""
        insert = postgresql.insert(_reminders) if self._postgres else sqlite.insert(_reminders)
        async with self._engine.begin() as conn:
            claimed = await conn.execute(
                insert.values(ritual_id=ritual_id, local_date=local_date, sent_at=now)
                .on_conflict_do_nothing(index_elements=["ritual_id", "local_date"])
                .returning(_reminders.c.ritual_id)
            )
            return claimed.first() is not None
