"""`ritme prune` and RITME_RETENTION_DAYS: the retention job run by hand, and its setting checked at start-up."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.cli import main
from rituals.model import RitualKind, StandupSettings
from rituals.ports import MemberDefaults, NewRitual, PlannedDelivery, PlannedOccurrence
from storage.database import create_engine, migrate
from storage.repository import SqlStore


async def _seed(url: str) -> None:
    """A stand-up with one delivery two years old and one from yesterday."""
    await migrate(url)
    engine = create_engine(url)
    try:
        store = SqlStore(engine)
        member = await store.upsert_member("local", "w1", "anna", "Anna", MemberDefaults(timezone="UTC", locale="en"))
        team = await store.upsert_team("local", "w1", "team", "team")
        ritual = await store.add_ritual(NewRitual(
            team_id=team.id, kind=RitualKind.STANDUP, at=time(9), days=(0, 1, 2, 3, 4), timezone="UTC", locale="en",
            settings=StandupSettings(digest_at=time(11)), created_by=member.id,
        ))
        now = datetime.now(UTC)
        for ago in (timedelta(days=730), timedelta(days=1)):
            due = now - ago
            await store.plan([PlannedOccurrence(ritual_id=ritual.id, local_date=due.date(),
                                                digest_due_at=due + timedelta(hours=2),
                                                deliveries=(PlannedDelivery(member_id=member.id, due_at=due),))])
    finally:
        await engine.dispose()


async def _deliveries(url: str) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return int((await conn.execute(text("SELECT count(*) FROM deliveries"))).scalar_one())
    finally:
        await engine.dispose()


def test_ritme_prune_deletes_what_is_older_than_the_retention_period(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite+aiosqlite:///{tmp_path / 'ritme.db'}"
    asyncio.run(_seed(url))
    monkeypatch.setenv("RITME_DATABASE_URL", url)
    monkeypatch.setenv("RITME_RETENTION_DAYS", "400")
    assert main(["prune"]) == 0
    out = capsys.readouterr().out
    assert "older than 400 days" in out and "1 delivery records" in out and "Pulse results are kept" in out
    assert asyncio.run(_deliveries(url)) == 1


def test_ritme_prune_wants_a_migrated_database(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RITME_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    assert main(["prune"]) == 2
    assert "run `ritme migrate` first" in capsys.readouterr().err


def test_a_retention_period_under_thirty_days_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RITME_RETENTION_DAYS", "7")
    assert main(["prune"]) == 2
    err = capsys.readouterr().err
    assert "RITME_RETENTION_DAYS" in err and "at least 30" in err
