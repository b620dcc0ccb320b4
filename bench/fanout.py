"""Fan-out benchmark: N members' stand-ups due at the same minute, from due to every prompt in an outbox.

    python bench/fanout.py                          # 10,000 members, 1,000 teams: SQLite, PostgreSQL, 3 replicas
    python bench/fanout.py --members 2000 --teams 200 --backend sqlite
    python bench/fanout.py --backend replicas --replicas 3 --json

PostgreSQL runs when RITME_BENCH_DATABASE_URL or RITME_TEST_DATABASE_URL names a server where the user may
create databases: the benchmark creates a throwaway database ritme_bench_<hex> there, runs in it and drops it
afterwards, leaving the database the URL names untouched. Each backend runs in its own process, so peak RSS is
that backend's alone. The replicas row runs `--replicas` processes at once, each with its own database engine and
Engine, claiming from the same PostgreSQL database as production replicas do; its time runs from the moment all
are told to start until the last has recorded its last prompt as sent, and its RSS is the largest replica's.
Every row counts duplicates (a delivery sent more than once) and lost prompts (planned but not both sent and
recorded as sent). The engine counts each prompt against the member's daily message cap, as production's does
(RITME_DAILY_MESSAGE_CAP); `--no-daily-cap` leaves the counter out, to see what it costs. Target: >= 2,000
prompts/s, zero duplicates, zero lost and < 250 MB peak RSS on a 2-core machine. `--json` prints one JSON object
per row instead of the table (bench/run_all.py reads it).
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
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar
from uuid import uuid4

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from rituals.catalog import Catalog
from rituals.engine import Engine, EngineSettings
from rituals.model import StandupSettings
from rituals.outbound import Form
from rituals.schedule import local_time
from storage.database import create_engine, migrate, normalize_url
from storage.message_counts import SqlMessageCounts
from storage.models import DeliveryRow, MemberRow, RitualRow, TeamMemberRow, TeamRow, WorkspaceRow
from storage.repository import SqlStore

ZONES = ("Europe/Amsterdam", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney")
DUE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # a Tuesday
Result = TypeVar("Result")


class FixedClock:
    """The benchmark's clock: always the due minute."""

    def now(self) -> datetime:
        return DUE


def _fanout_zone(team: int) -> str:
    return ZONES[team % len(ZONES)]


def _fanout_standup(team: int) -> datetime:
    return DUE


async def seed(
    database_url: str, members: int, teams: int, *, platform: str = "bench", workspace: str = "w",
    country: str | None = None, team_zone: Callable[[int], str] = _fanout_zone,
    team_standup: Callable[[int], datetime] = _fanout_standup,
) -> None:
    """Bulk-insert teams of members, each team and its members in `team_zone(team)`, with a daily stand-up at the
    local time `team_standup(team)` has there (by default: five zones, all at DUE); members work all day, every
    day, in `country` (None: the settings' default)."""
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            workspace_id = (
                await connection.execute(
                    insert(WorkspaceRow).values(platform=platform, external_id=workspace).returning(WorkspaceRow.id)
                )
            ).scalar_one()
            await connection.execute(
                insert(TeamRow), [{"workspace_id": workspace_id, "channel_id": f"c{t}", "name": f"team{t}"}
                                  for t in range(teams)]
            )
            rows = []
            for m in range(members):
                rows.append({
                    "workspace_id": workspace_id, "user_id": f"u{m}", "display_name": f"Member {m}",
                    "name_key": f"member {m}", "timezone": team_zone(m % teams), "locale": "nl" if m % 3 == 0 else "en",
                    "work_days": "0,1,2,3,4,5,6", "work_start": time(0, 0), "work_end": time(23, 59),
                    "away_until": None, "is_admin": False, "country": country,
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
                zone = team_zone(t)
                at = team_standup(t)
                rituals.append({
                    "team_id": team_id, "kind": "standup", "at": local_time(at, zone), "days": "0,1,2,3,4,5,6",
                    "timezone": zone, "locale": "en", "paused": False, "deleted_at": None,
                    "settings": StandupSettings(digest_at=time(23, 59), remind_after_minutes=60),
                    "created_by": member_ids[t], "created_at": at - timedelta(days=1),
                })
            for chunk in range(0, len(rituals), 2000):
                await connection.execute(insert(RitualRow), rituals[chunk:chunk + 2000])
    finally:
        await engine.dispose()


async def run_one(database_url: str, members: int, teams: int, capped: bool) -> dict[str, float | int | str]:
    """Seed, plan ahead, then time the fan-out of every prompt due at DUE."""
    await prepare(database_url, members, teams)
    database = create_engine(database_url)
    try:
        cpu_start = timer.process_time()
        sent, wall = await fan_out(database, capped)
        cpu = timer.process_time() - cpu_start
        return {
            **await tally(database, [sent]),
            "seconds": wall,
            "per_second": len(sent) / wall,
            "cpu_ms": cpu * 1000 / max(1, len(sent)),
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    finally:
        await database.dispose()


async def prepare(database_url: str, members: int, teams: int) -> None:
    """Migrate, seed and plan ahead, so DUE finds every member's prompt waiting."""
    await migrate(database_url)
    await seed(database_url, members, teams)
    database = create_engine(database_url)
    try:
        engine = Engine(store=SqlStore(database), clock=FixedClock(), catalog=Catalog(), settings=EngineSettings())
        await engine.plan(DUE - timedelta(minutes=30))
    finally:
        await database.dispose()


async def fan_out(database: AsyncEngine, capped: bool) -> tuple[list[int], float]:
    """One worker's fan-out of what is due at DUE: the delivery ids of the prompts it sent, and its wall time."""
    engine = Engine(
        store=SqlStore(database), clock=FixedClock(), catalog=Catalog(), settings=EngineSettings(),
        message_counts=SqlMessageCounts(database) if capped else None,
    )
    sent: list[int] = []
    wall_start = timer.perf_counter()
    async for batch in engine.due(DUE):
        sent.extend(message.delivery_id for message in batch if isinstance(message, Form))
    return sent, timer.perf_counter() - wall_start


async def tally(database: AsyncEngine, sent_by_worker: Sequence[Sequence[int]]) -> dict[str, float | int | str]:
    """Prompts sent, duplicates (a delivery sent more than once, by any workers) and lost (planned, but not both
    sent and recorded as sent in the database)."""
    counts = Counter(delivery_id for sent in sent_by_worker for delivery_id in sent)
    due = select(DeliveryRow.id).where(DeliveryRow.due_at <= DUE)  # tomorrow's are planned too, not yet due
    async with database.connect() as connection:
        planned = set((await connection.execute(due)).scalars())
        recorded = set((await connection.execute(due.where(DeliveryRow.status == "sent"))).scalars())
    return {
        "prompts": sum(counts.values()),
        "duplicates": sum(count - 1 for count in counts.values()),
        "lost": len(planned - (recorded & set(counts))),
    }


async def replica(database_url: str, capped: bool) -> None:
    """One replica's side of the replicas row: connect, say ready, fan out on "go", print what it sent."""
    database = create_engine(database_url)
    try:
        async with database.connect() as connection:  # the pool's first connection is made before the clock runs
            await connection.execute(text("SELECT 1"))
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        cpu_start = timer.process_time()
        sent, wall = await fan_out(database, capped)
        print(json.dumps({
            "sent": sent, "seconds": wall, "cpu_s": timer.process_time() - cpu_start,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }), flush=True)
    finally:
        await database.dispose()


async def run_replicas(
    database_url: str, members: int, teams: int, replicas: int, capped: bool
) -> dict[str, float | int | str]:
    """Seed and plan, start `replicas` processes, release them at once and time until all have finished."""
    await prepare(database_url, members, teams)
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--replica", database_url, *([] if capped else ["--no-daily-cap"]),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            limit=2**24,  # a replica's one JSON line lists every delivery id it sent
        )
        for _ in range(replicas)
    ]
    try:
        for process in processes:
            assert process.stdout is not None
            if (await process.stdout.readline()).strip() != b"ready":
                raise RuntimeError("a replica did not start; run it alone to see why")
        wall_start = timer.perf_counter()
        for process in processes:
            assert process.stdin is not None
            process.stdin.write(b"go\n")
            await process.stdin.drain()
        results = [json.loads(await process.stdout.readline()) for process in processes if process.stdout]
        wall = timer.perf_counter() - wall_start
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
            await process.wait()
    database = create_engine(database_url)
    try:
        counts = await tally(database, [result["sent"] for result in results])
    finally:
        await database.dispose()
    return {
        **counts,
        "seconds": wall,
        "per_second": int(counts["prompts"]) / wall,
        "cpu_ms": sum(result["cpu_s"] for result in results) * 1000 / max(1, int(counts["prompts"])),
        "rss_mb": max(result["rss_mb"] for result in results),
        "split": "/".join(str(len(result["sent"])) for result in results),
    }


async def admin(server_url: str, sql: str) -> None:
    """Run CREATE/DROP DATABASE on the server, outside a transaction (as tests/conftest.py does)."""
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(sql)
    finally:
        await engine.dispose()


async def in_throwaway_database(server_url: str, run: Callable[[str], Awaitable[Result]]) -> Result:
    """Run in a throwaway database on the server, dropped afterwards whatever happens."""
    name = f"ritme_bench_{uuid4().hex[:16]}"
    await admin(server_url, f'CREATE DATABASE "{name}"')
    try:
        return await run(normalize_url(server_url).set(database=name).render_as_string(hide_password=False))
    finally:
        await admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def on_backend(backend: str, measure: Callable[[str], Awaitable[Result]]) -> Result:
    """Run `measure` on a temporary SQLite file, or in a throwaway PostgreSQL database; say what is missing."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            return asyncio.run(measure(f"sqlite+aiosqlite:///{folder}/bench.db"))
    server = postgres_url()
    if server is None:
        raise SystemExit("set RITME_BENCH_DATABASE_URL or RITME_TEST_DATABASE_URL, or pass --backend sqlite")
    return asyncio.run(in_throwaway_database(server, measure))


def child(backend: str, members: int, teams: int, replicas: int, capped: bool) -> None:
    """Run one backend and print its figures as JSON (called in a fresh process)."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{folder}/bench.db"
            result = asyncio.run(run_one(url, members, teams, capped))
    elif backend == "postgresql":
        result = asyncio.run(in_throwaway_database(
            postgres_url() or "", lambda url: run_one(url, members, teams, capped)
        ))
    else:
        result = asyncio.run(in_throwaway_database(
            postgres_url() or "", lambda url: run_replicas(url, members, teams, replicas, capped)
        ))
    print(json.dumps(result))


def postgres_url() -> str | None:
    """The PostgreSQL server the benchmark may create (and drop) a database on, if one is named."""
    return os.environ.get("RITME_BENCH_DATABASE_URL") or os.environ.get("RITME_TEST_DATABASE_URL")


def row_name(backend: str, replicas: int) -> str:
    """The backend as the table names it."""
    return f"postgresql x{replicas}" if backend == "replicas" else backend


def measure(backend: str, members: int, teams: int, replicas: int, capped: bool) -> dict[str, Any]:
    """One backend's figures from its own process, or why there are none ("skipped"/"failed")."""
    if backend != "sqlite" and not postgres_url():
        return {"backend": backend, "skipped": "no PostgreSQL URL (set RITME_BENCH_DATABASE_URL)"}
    done = subprocess.run(
        [sys.executable, __file__, "--child", "--backend", backend, "--members", str(members), "--teams", str(teams),
         "--replicas", str(replicas), *([] if capped else ["--no-daily-cap"])],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        return {"backend": backend, "failed": done.stderr[-2000:]}
    return {"backend": backend, **json.loads(done.stdout.strip().splitlines()[-1])}


def main() -> None:
    """Run each backend in its own process and print the table (or, with --json, one JSON line per backend)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--teams", type=int, default=1_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "replicas", "all"), default="all")
    parser.add_argument("--replicas", type=int, default=3, help="processes in the replicas row")
    parser.add_argument("--json", action="store_true", help="print one JSON object per backend instead of a table")
    parser.add_argument("--no-daily-cap", action="store_true", help="leave out the per-member daily message counter")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--replica", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.replica:
        asyncio.run(replica(args.replica, not args.no_daily_cap))
        return
    if args.child:
        child(args.backend, args.members, args.teams, args.replicas, not args.no_daily_cap)
        return
    backends = ["sqlite", "postgresql", "replicas"] if args.backend == "all" else [args.backend]
    if not args.json:
        print(f"Fan-out of {args.members:,} members in {args.teams:,} teams over {len(ZONES)} time zones, all due "
              f"at {DUE:%Y-%m-%d %H:%M} UTC, {'without' if args.no_daily_cap else 'with'} the daily cap's counter")
        print(f"{'backend':<15} {'prompts':>8} {'seconds':>8} {'prompts/s':>10} {'dupes':>6} {'lost':>5} "
              f"{'CPU ms/prompt':>14} {'peak RSS MB':>12}")
    for backend in backends:
        r = measure(backend, args.members, args.teams, args.replicas, not args.no_daily_cap)
        if args.json:
            print(json.dumps(r), flush=True)
        elif "skipped" in r:
            print(f"{row_name(backend, args.replicas):<15} skipped: {r['skipped']}")
        elif "failed" in r:
            print(f"{row_name(backend, args.replicas):<15} failed:\n{r['failed']}")
        else:
            print(f"{row_name(backend, args.replicas):<15} {r['prompts']:>8,} {r['seconds']:>8.2f} "
                  f"{r['per_second']:>10,.0f} {r['duplicates']:>6} {r['lost']:>5} {r['cpu_ms']:>14.3f} "
                  f"{r['rss_mb']:>12.0f}")
    if not args.json:
        print("target: >= 2,000 prompts/s, zero duplicates, zero lost and < 250 MB peak RSS")


if __name__ == "__main__":
    main()
