"""Fan-out benchmark: N members' stand-ups due at the same minute, from due to every prompt in an outbox.

    python bench/fanout.py                          # 10,000 members, 1,000 teams, SQLite and PostgreSQL
    python bench/fanout.py --members 2000 --teams 200 --backend sqlite

PostgreSQL runs when RITME_BENCH_DATABASE_URL or RITME_TEST_DATABASE_URL names a server where the user may
create databases: the benchmark creates a throwaway database ritme_bench_<hex> there, runs in it and drops it
afterwards, leaving the database the URL names untouched. Each backend runs in its own process, so peak RSS is
that backend's alone. Target: >= 2,000 prompts/s and
< 250 MB peak RSS on a 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time as timer
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from uuid import uuid4

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text

from rituals.catalog import Catalog
from rituals.engine import Engine, EngineSettings
from rituals.model import StandupSettings
from rituals.outbound import Form, Message
from rituals.schedule import local_time
from storage.database import create_engine, migrate, normalize_url
from storage.models import MemberRow, RitualRow, TeamMemberRow, TeamRow, WorkspaceRow
from storage.repository import SqlStore

ZONES = ("Europe/Amsterdam", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney")
DUE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # a Tuesday


class FixedClock:
    """The benchmark's clock: always the due minute."""

    def now(self) -> datetime:
        return DUE


async def seed(database_url: str, members: int, teams: int) -> None:
    """Bulk-insert teams of members, one time zone per team, with stand-ups whose local time is DUE."""
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            workspace_id = (
                await connection.execute(
                    insert(WorkspaceRow).values(platform="bench", external_id="w").returning(WorkspaceRow.id)
                )
            ).scalar_one()
            await connection.execute(
                insert(TeamRow), [{"workspace_id": workspace_id, "channel_id": f"c{t}", "name": f"team{t}"}
                                  for t in range(teams)]
            )
            rows = []
            for m in range(members):
                zone = ZONES[(m % teams) % len(ZONES)]
                rows.append({
                    "workspace_id": workspace_id, "user_id": f"u{m}", "display_name": f"Member {m}",
                    "name_key": f"member {m}", "timezone": zone, "locale": "nl" if m % 3 == 0 else "en",
                    "work_days": "0,1,2,3,4,5,6", "work_start": time(0, 0), "work_end": time(23, 59),
                    "away_until": None, "is_admin": False,
                })
            for chunk in range(0, len(rows), 2000):
                await connection.execute(insert(MemberRow), rows[chunk:chunk + 2000])
            team_ids = [row[0] for row in await connection.execute(text("SELECT id FROM teams ORDER BY id"))]
            member_ids = [row[0] for row in await connection.execute(text("SELECT id FROM members ORDER BY id"))]
            links = [{"team_id": team_ids[m % teams], "member_id": member_id, "role": "member"}
                     for m, member_id in enumerate(member_ids)]
            for chunk in range(0, len(links), 2000):
                await connection.execute(insert(TeamMemberRow), links[chunk:chunk + 2000])
            rituals = []
            for t, team_id in enumerate(team_ids):
                zone = ZONES[t % len(ZONES)]
                at = local_time(DUE, zone)
                rituals.append({
                    "team_id": team_id, "kind": "standup", "at": at, "days": "0,1,2,3,4,5,6", "timezone": zone,
                    "locale": "en", "paused": False, "deleted_at": None,
                    "settings": StandupSettings(digest_at=time(23, 59), remind_after_minutes=60),
                    "created_by": member_ids[t], "created_at": DUE - timedelta(days=1),
                })
            await connection.execute(insert(RitualRow), rituals)
    finally:
        await engine.dispose()


async def run_one(database_url: str, members: int, teams: int) -> dict[str, float | int | str]:
    """Seed, plan ahead, then time the fan-out of every prompt due at DUE."""
    await migrate(database_url)
    await seed(database_url, members, teams)
    database = create_engine(database_url)
    try:
        store = SqlStore(database)
        engine = Engine(store=store, clock=FixedClock(), catalog=Catalog(), settings=EngineSettings())
        await engine.plan(DUE - timedelta(minutes=30))
        outbox: list[Message] = []
        cpu_start, wall_start = timer.process_time(), timer.perf_counter()
        async for batch in engine.due(DUE):
            outbox.extend(batch)
        wall = timer.perf_counter() - wall_start
        cpu = timer.process_time() - cpu_start
    finally:
        await database.dispose()
    prompts = sum(1 for message in outbox if isinstance(message, Form))
    if prompts != members:
        raise SystemExit(f"expected {members} prompts, got {prompts}")
    return {
        "prompts": prompts,
        "seconds": wall,
        "per_second": prompts / wall,
        "cpu_ms": cpu * 1000 / prompts,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


async def admin(server_url: str, sql: str) -> None:
    """Run CREATE/DROP DATABASE on the server, outside a transaction (as tests/conftest.py does)."""
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(sql)
    finally:
        await engine.dispose()


async def run_postgres(server_url: str, members: int, teams: int) -> dict[str, float | int | str]:
    """Run in a throwaway database on the server, dropped afterwards whatever happens."""
    name = f"ritme_bench_{uuid4().hex[:16]}"
    await admin(server_url, f'CREATE DATABASE "{name}"')
    try:
        url = normalize_url(server_url).set(database=name).render_as_string(hide_password=False)
        return await run_one(url, members, teams)
    finally:
        await admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def child(backend: str, members: int, teams: int) -> None:
    """Run one backend and print its figures as JSON (called in a fresh process)."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{folder}/bench.db"
            result = asyncio.run(run_one(url, members, teams))
    else:
        result = asyncio.run(run_postgres(postgres_url() or "", members, teams))
    print(json.dumps(result))


def postgres_url() -> str | None:
    """The PostgreSQL server the benchmark may create (and drop) a database on, if one is named."""
    return os.environ.get("RITME_BENCH_DATABASE_URL") or os.environ.get("RITME_TEST_DATABASE_URL")


def main() -> None:
    """Run each backend in its own process and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--teams", type=int, default=1_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "all"), default="all")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.backend, args.members, args.teams)
        return
    backends = ["sqlite", "postgresql"] if args.backend == "all" else [args.backend]
    print(f"Fan-out of {args.members:,} members in {args.teams:,} teams over {len(ZONES)} time zones, all due at "
          f"{DUE:%Y-%m-%d %H:%M} UTC")
    print(f"{'backend':<11} {'prompts':>8} {'seconds':>8} {'prompts/s':>10} {'CPU ms/prompt':>14} {'peak RSS MB':>12}")
    for backend in backends:
        if backend == "postgresql" and not postgres_url():
            print(f"{backend:<11} skipped: set RITME_BENCH_DATABASE_URL or RITME_TEST_DATABASE_URL")
            continue
        done = subprocess.run(
            [sys.executable, __file__, "--child", "--backend", backend, "--members", str(args.members),
             "--teams", str(args.teams)],
            capture_output=True, text=True, check=False,
        )
        if done.returncode != 0:
            print(f"{backend:<11} failed:\n{done.stderr[-2000:]}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{backend:<11} {r['prompts']:>8,} {r['seconds']:>8.2f} {r['per_second']:>10,.0f} "
              f"{r['cpu_ms']:>14.3f} {r['rss_mb']:>12.0f}")
    print("target: >= 2,000 prompts/s and < 250 MB peak RSS")


if __name__ == "__main__":
    main()
