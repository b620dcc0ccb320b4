"""Replica memory benchmark: peak RSS of one `ritme run` with 100,000 members configured.

    python bench/replica_memory.py                      # 100,000 members in 10,000 teams, 2,000 of them due now
    python bench/replica_memory.py --members 1000 --teams 100 --due-teams 10 --backend sqlite --json

The database gets `--members` members in `--teams` teams of equal size (bulk inserts, as bench/fanout.py seeds),
each team with a daily stand-up: `--due-teams` teams' stand-ups fell due a minute ago, the others' come three
hours from now. Then the real `ritme run` starts as a child process against it with Slack configured and its Web
API pointed at a fake on loopback (tests/adapters/slack/fake_slack.py), the way production runs a replica: it plans
today and tomorrow for every member (200,000 prompt rows at the default size) and fans out what is due through
Slack's rate limiter (set to its highest, 6,000 a minute, so 2,000 prompts take about 20 s). Once every due prompt
is recorded as sent, the replica runs `--linger` seconds more (its timer ticking), is stopped with SIGINT, and its
peak RSS is the kernel's for that one child (os.wait4). Target: < 300 MB per replica.

PostgreSQL (the production set-up for many members) uses a throwaway database on the server that
RITME_BENCH_DATABASE_URL or RITME_TEST_DATABASE_URL names, dropped afterwards; `--backend sqlite` uses a temp
file. `--json` prints one JSON object instead of the table (bench/run_all.py reads it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time as timer
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bench.fanout import ZONES, on_backend, seed  # noqa: E402
from rituals.boundaries import public_holiday  # noqa: E402
from rituals.schedule import local_time  # noqa: E402
from storage.database import create_engine, migrate  # noqa: E402
from storage.models import DeliveryRow  # noqa: E402
from tests.adapters.slack.fake_slack import TEAM_ID, FakeSlack  # noqa: E402

# Countries whose holidays the members keep: the first that has none today, so the prompts are due, whatever the date.
COUNTRIES = ("NL", "GB", "US", "IN", "JP")
STOP_SECONDS = 30.0
SEND_SECONDS = 900.0  # the most the fan-out may take before the benchmark gives up


def workday_country(today: date) -> str:
    """A country without a public holiday today."""
    return next(country for country in COUNTRIES if not public_holiday(country, today))


def daytime_zones(now: datetime) -> list[str]:
    """The zones where it is between 01:00 and 21:00 now, so a stand-up a minute ago is still today and one three
    hours on comes before the day's digest (at 23:59)."""
    return [zone for zone in ZONES if 1 <= local_time(now, zone).hour < 21]


async def measure(database_url: str, members: int, teams: int, due_teams: int, linger: float) -> dict[str, Any]:
    """Seed, run one replica until what is due is sent plus `linger` seconds, and read its peak RSS."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    zones = daytime_zones(now)
    due_at, later = now - timedelta(minutes=1), now + timedelta(hours=3)
    await migrate(database_url)
    seeded = timer.perf_counter()
    await seed(
        database_url, members, teams, platform="slack", workspace=TEAM_ID, country=workday_country(now.date()),
        team_zone=lambda team: zones[team % len(zones)],
        team_standup=lambda team: due_at if team < due_teams else later,
    )
    seed_seconds = timer.perf_counter() - seeded
    due = sum(1 for m in range(members) if m % teams < due_teams)
    async with FakeSlack() as fake:
        with tempfile.TemporaryDirectory() as folder:  # no stray .env is read from the working directory
            environment = {
                **os.environ, "RITME_DATABASE_URL": database_url, "RITME_HOST": "127.0.0.1", "RITME_PORT": "0",
                "RITME_LOG_LEVEL": "WARNING", "RITME_SLACK_BOT_TOKEN": "xoxb-bench",
                "RITME_SLACK_SIGNING_SECRET": "bench-signing-secret", "RITME_SLACK_API_URL": fake.url,
                "RITME_SLACK_MESSAGES_PER_MINUTE": "6000",
            }
            started = timer.perf_counter()
            # subprocess, not asyncio's: asyncio's child watcher would reap the child and its resource usage with it.
            replica = subprocess.Popen(  # noqa: ASYNC220 (the fork returns at once)
                [sys.executable, "-m", "bot.cli", "run"], cwd=folder, env={**environment, "PYTHONPATH": str(ROOT)},
                stdout=subprocess.PIPE,
            )
            loop = asyncio.get_running_loop()
            try:
                assert replica.stdout is not None
                line = await loop.run_in_executor(None, replica.stdout.readline)  # once the first plan and tick ran
                if b"running at" not in line:
                    raise RuntimeError("`ritme run` stopped before it served; run it alone to see why")
                ready_seconds = timer.perf_counter() - started
                async with asyncio.timeout(SEND_SECONDS):
                    sent = await _wait_sent(database_url, due)
                sent_seconds = timer.perf_counter() - started
                await asyncio.sleep(linger)
                high_water_mb = _vm_hwm_mb(replica.pid)
                rusage = await loop.run_in_executor(None, _stop, replica)
            finally:
                if replica.returncode is None and replica.poll() is None:
                    replica.kill()
                    replica.wait()
    return {
        "members": members, "teams": teams, "due": due, "sent": sent, "posts": len(fake.calls_to("chat.postMessage")),
        "seed_seconds": seed_seconds, "ready_seconds": ready_seconds, "sent_seconds": sent_seconds,
        "rss_mb": rusage.ru_maxrss / 1024, "vm_hwm_mb": high_water_mb,
    }


async def _wait_sent(database_url: str, due: int) -> int:
    """Poll the database until `due` prompts are recorded as sent; returns how many are."""
    database = create_engine(database_url)
    try:
        while True:
            async with database.connect() as connection:
                sent: int = (await connection.execute(
                    select(func.count()).select_from(DeliveryRow).where(DeliveryRow.status == "sent")
                )).scalar_one()
            if sent >= due:
                return sent
            await asyncio.sleep(0.5)
    finally:
        await database.dispose()


def _vm_hwm_mb(pid: int) -> float:
    """The process's peak resident set so far, from /proc (0 where there is no /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    line = next((line for line in status.splitlines() if line.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1]) / 1024


def _stop(replica: subprocess.Popen[bytes]) -> Any:
    """Stop the replica as Ctrl+C does (killed if it takes over STOP_SECONDS) and return the kernel's resource usage
    of that child alone."""
    replica.send_signal(signal.SIGINT)
    killer = threading.Timer(STOP_SECONDS, replica.kill)
    killer.start()
    try:
        _pid, status, rusage = os.wait4(replica.pid, 0)
    finally:
        killer.cancel()
    replica.returncode = os.waitstatus_to_exitcode(status)
    return rusage


def main() -> None:
    """Measure one replica and print the table (or, with --json, one JSON object)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--teams", type=int, default=10_000)
    parser.add_argument("--due-teams", type=int, default=200, help="teams whose stand-up fell due a minute ago")
    parser.add_argument("--linger", type=float, default=10.0, help="seconds to keep running after the fan-out")
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = parser.parse_args()
    options = (args.members, args.teams, args.due_teams, args.linger)
    r = on_backend(args.backend, lambda url: measure(url, *options))
    r["backend"] = args.backend
    if args.json:
        print(json.dumps(r))
        return
    print(f"One `ritme run` replica on {args.backend}: {r['members']:,} members in {r['teams']:,} teams, "
          f"{r['due']:,} prompts due at start, Slack at 6,000 messages a minute")
    print(f"{'seed s':>7} {'ready s':>8} {'all sent s':>11} {'sent':>7} {'posts':>7} {'peak RSS MB':>12} "
          f"{'VmHWM MB':>9}")
    print(f"{r['seed_seconds']:>7.1f} {r['ready_seconds']:>8.1f} {r['sent_seconds']:>11.1f} {r['sent']:>7,} "
          f"{r['posts']:>7,} {r['rss_mb']:>12.0f} {r['vm_hwm_mb']:>9.0f}")
    print("target: < 300 MB peak RSS per replica")


if __name__ == "__main__":
    main()
