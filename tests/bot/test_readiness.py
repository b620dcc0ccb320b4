"""/healthz and /readyz on the assembled server: alive is not the same as ready, and /readyz says why it is not."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from alembic.script import ScriptDirectory
from sqlalchemy import text

from bot.settings import Settings
from bot.wiring import assemble, readyz, serving
from storage.database import MIGRATIONS, create_engine
from tests.rituals.harness import FakeClock

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()


async def _get(session: aiohttp.ClientSession, url: str) -> tuple[int, Any]:
    async with session.get(url) as response:
        return response.status, await response.json()


async def test_ready_until_the_schema_falls_behind_and_again_once_migrated(tmp_path: Path) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path}/ritme.db"
    settings = Settings(_env_file=None, database_url=database_url, port=0)  # type: ignore[call-arg]
    async with assemble(settings, FakeClock(MONDAY)) as ritme, serving(ritme, with_timer=False) as url:
        async with aiohttp.ClientSession() as session:
            assert await _get(session, url + "/healthz") == (200, {"ok": True})
            assert await _get(session, url + "/readyz") == (200, {"ok": True})

            # A newer release's schema was rolled back under this replica: alive, but not ready, and why.
            async with ritme.store.engine.begin() as connection:
                await connection.execute(text("UPDATE alembic_version SET version_num = '0014'"))
            status, body = await _get(session, url + "/readyz")
            assert status == 503 and body["ok"] is False
            assert body["problem"].startswith("the database lacks migrations 0015, ")
            assert body["problem"].endswith(f"{HEAD}: run `ritme migrate`")
            assert await _get(session, url + "/healthz") == (200, {"ok": True})

            # `ritme migrate` brings it to the newest revision again (the tables are still there: only the mark moves).
            async with ritme.store.engine.begin() as connection:
                await connection.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": HEAD})
            assert await _get(session, url + "/readyz") == (200, {"ok": True})


async def test_not_ready_while_the_database_does_not_answer() -> None:
    unreachable = create_engine("postgresql://ritme@127.0.0.1:1/ritme")  # nothing listens on port 1
    app = web.Application()
    app.router.add_get("/readyz", readyz(unreachable))
    try:
        async with TestClient(TestServer(app)) as client:
            response = await client.get("/readyz")
            assert response.status == 503
            assert await response.json() == {"ok": False, "problem": "the database did not answer"}
    finally:
        await unreachable.dispose()
