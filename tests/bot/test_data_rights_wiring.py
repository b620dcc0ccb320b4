"""The assembled app: chat changes reach the audit log, housekeeping applies RITME_RETENTION_DAYS, and the
member-data service the dashboard will call exports and erases through the same database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

from sqlalchemy import Table, select

from bot.dispatcher import Timer
from bot.settings import Settings
from bot.wiring import assemble
from rituals.events import Actor, CommandInvoked
from rituals.ports import PlannedDelivery, PlannedOccurrence
from storage.models import DeliveryRow
from tests.rituals.harness import FakeClock

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
ANNA = Actor(platform="local", workspace_id="local", user_id="anna", display_name="Anna")


async def test_the_assembled_app_logs_prunes_exports_and_erases(tmp_path: Path) -> None:
    clock = FakeClock(NOW)
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/ritme.db",  # type: ignore[call-arg]
                        retention_days=60)
    async with assemble(settings, clock) as ritme:
        await ritme.engine.handle(CommandInvoked(event_id="e1", actor=ANNA, received_at=NOW, channel_id="team",
                                                 channel_name="team", text="/ritme standup create at 09:30"))
        team = await ritme.store.find_team("local", "local", "team")
        assert team is not None
        [entry] = await ritme.audit.recent(team.id, 10)
        assert (entry.action, entry.actor_name) == ("standup.create", "Anna")
        assert entry.detail == "/ritme standup create at 09:30"

        [ritual] = await ritme.store.rituals(team.id)
        [anna] = await ritme.store.find_members("local", "local", "anna")
        for age in (timedelta(days=61), timedelta(days=59)):
            due = NOW - age
            await ritme.store.plan([PlannedOccurrence(ritual_id=ritual.id, local_date=due.date(),
                                                      digest_due_at=due + timedelta(hours=1),
                                                      deliveries=(PlannedDelivery(member_id=anna.id, due_at=due),))])
        timer = Timer(ritme.dispatcher, ritme.inbound, tick_every=timedelta(seconds=5),
                      plan_every=timedelta(minutes=10), retention=ritme.retention)
        await timer._safe_housekeeping()  # what the six-hourly job runs
        deliveries = cast(Table, DeliveryRow.__table__)
        async with ritme.store.engine.connect() as conn:
            dues = list((await conn.execute(select(deliveries.c.due_at))).scalars())
        assert NOW - timedelta(days=59) in dues and min(dues) >= NOW - timedelta(days=60)

        export = await ritme.member_data.export(anna.id)
        assert export is not None and json.loads(json.dumps(export))["profile"]["display_name"] == "Anna"
        assert [e["action"] for e in export["audit_entries"]] == ["standup.create"]
        assert await ritme.member_data.erase(anna.id)
        assert await ritme.store.find_members("local", "local", "anna") == []
        assert (await ritme.audit.recent(team.id, 10))[0].actor_name is None
