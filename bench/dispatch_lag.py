"""Dispatch lag benchmark: 10,000 prompts falling due over one minute, on the real clock, through the real timer.

    python bench/dispatch_lag.py                        # 10,000 prompts over 60 s, the default tick (5 s), SQLite
    python bench/dispatch_lag.py --interval 1 --backend postgresql
    python bench/dispatch_lag.py --prompts 200 --spread 5 --lead 5 --json

The database gets 10,000 members in teams of ten with a daily stand-up each (bench/fanout.py's seed), and today's
prompts written straight into it with due times spread evenly over `--spread` seconds, starting `--lead` seconds
after seeding (stand-up times have minutes, not seconds, so the planner cannot spread them this finely). Then the
production parts run: assemble() builds the engine, and the timer of bot/dispatcher.py (APScheduler, as `ritme
run` uses it) plans, then ticks every `--interval` seconds (RITME_DISPATCH_INTERVAL_SECONDS; default its default) on
the wall clock, handing what is due to an outbox that notes when each prompt arrives. Lag = arrival - due time.

The tick interval bounds the lag: a prompt falling due just after a tick waits for the next, so p99 is about one
interval plus the time a tick takes. Target: p99 < 2 s. SQLite uses a temp file; PostgreSQL a throwaway database
on the server RITME_BENCH_DATABASE_URL or RITME_TEST_DATABASE_URL names. `--json` prints one JSON object instead of
the table (bench/run_all.py reads it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time as timer
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from bench.fanout import on_backend, seed  # noqa: E402
from bench.replica_memory import daytime_zones, workday_country  # noqa: E402
from bot.dispatcher import Dispatcher, Timer  # noqa: E402
from bot.outbox import OutboxRouter  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.wiring import assemble  # noqa: E402
from rituals.outbound import Form, Message  # noqa: E402
from rituals.ports import SystemClock  # noqa: E402
from rituals.schedule import local_date, local_instant  # noqa: E402
from storage.database import create_engine, migrate  # noqa: E402
from storage.models import DeliveryRow, MemberRow, OccurrenceRow, RitualRow, TeamMemberRow  # noqa: E402

PLATFORM = "bench"
DEFAULT_INTERVAL = float(Settings.model_fields["dispatch_interval_seconds"].default)
# How long after the last prompt's due time the benchmark waits for stragglers before it counts them lost.
GIVE_UP_SECONDS = 60.0


class ArrivalOutbox:
    """The far side of the dispatcher: notes when each prompt's form arrives."""

    platform = PLATFORM

    def __init__(self, expected: int) -> None:
        self.arrivals: list[tuple[int, datetime]] = []
        self._expected = expected
        self.complete = asyncio.Event()

    async def send(self, messages: Sequence[Message]) -> None:
        """Note the arrival time of every form in the batch."""
        now = datetime.now(UTC)
        self.arrivals.extend((message.delivery_id, now) for message in messages if isinstance(message, Form))
        if len(self.arrivals) >= self._expected:
            self.complete.set()


async def seed_due(database_url: str, prompts: int, spread: float, lead: float) -> dict[int, datetime]:
    """Members, teams and stand-ups, and today's prompts due from `lead` s from now over `spread` s; returns each
    delivery's due time."""
    now = datetime.now(UTC)
    zones = daytime_zones(now)
    teams = max(1, prompts // 10)
    await seed(
        database_url, prompts, teams, platform=PLATFORM, country=workday_country(now.date()),
        team_zone=lambda team: zones[team % len(zones)],
        # The stand-up's own time is three hours on; the planner finds today's prompts already there and keeps them.
        team_standup=lambda team: now + timedelta(hours=3),
    )
    first = datetime.now(UTC) + timedelta(seconds=lead)
    database = create_engine(database_url)
    try:
        async with database.begin() as connection:
            rituals = (await connection.execute(select(RitualRow.id, RitualRow.team_id, RitualRow.timezone))).all()
            occurrences = [
                {"ritual_id": ritual_id, "local_date": local_date(first, zone),
                 "digest_due_at": local_instant(local_date(first, zone), time(23, 59), zone)}
                for ritual_id, _team_id, zone in rituals
            ]
            await connection.execute(insert(OccurrenceRow), occurrences)
            occurrence_of = {
                ritual_id: (occurrence_id, day)
                for occurrence_id, ritual_id, day in await connection.execute(
                    select(OccurrenceRow.id, OccurrenceRow.ritual_id, OccurrenceRow.local_date)
                )
            }
            ritual_of_team = {team_id: ritual_id for ritual_id, team_id, _zone in rituals}
            members = (await connection.execute(
                select(TeamMemberRow.member_id, TeamMemberRow.team_id).join(
                    MemberRow, MemberRow.id == TeamMemberRow.member_id
                ).order_by(TeamMemberRow.member_id)
            )).all()
            rows: list[dict[str, Any]] = []
            for n, (member_id, team_id) in enumerate(members):
                ritual_id = ritual_of_team[team_id]
                occurrence_id, day = occurrence_of[ritual_id]
                rows.append({
                    "occurrence_id": occurrence_id, "ritual_id": ritual_id, "member_id": member_id, "local_date": day,
                    "due_at": first + timedelta(seconds=spread * n / len(members)), "status": "pending",
                })
            for chunk in range(0, len(rows), 2000):
                await connection.execute(insert(DeliveryRow), rows[chunk:chunk + 2000])
            due = {row.id: row.due_at for row in await connection.execute(select(DeliveryRow.id, DeliveryRow.due_at))}
    finally:
        await database.dispose()
    return due


async def measure(database_url: str, prompts: int, spread: float, lead: float, interval: float) -> dict[str, Any]:
    """Seed, run the production timer until every prompt has arrived, and compute each prompt's lag."""
    await migrate(database_url)
    due = await seed_due(database_url, prompts, spread, lead)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=database_url, log_level="WARNING", dispatch_interval_seconds=interval,
    )
    outbox = ArrivalOutbox(expected=len(due))
    clock = SystemClock()
    started = timer.perf_counter()
    async with assemble(settings, clock) as ritme:
        dispatcher = Dispatcher(engine=ritme.engine, router=OutboxRouter({PLATFORM: outbox}), clock=clock)
        timing = Timer(
            dispatcher, ritme.inbound, tick_every=timedelta(seconds=interval),
            plan_every=timedelta(minutes=settings.plan_interval_minutes), retention=ritme.retention,
        )
        async with timing:
            ready_seconds = timer.perf_counter() - started
            last_due = max(due.values())
            wait = (last_due - datetime.now(UTC)).total_seconds() + GIVE_UP_SECONDS
            try:
                await asyncio.wait_for(outbox.complete.wait(), timeout=max(wait, 1.0))
            except TimeoutError:
                pass  # what has not arrived by now is counted as lost below
    arrived: dict[int, datetime] = {}
    duplicates = 0
    for delivery_id, at in outbox.arrivals:
        if delivery_id in arrived:
            duplicates += 1
        else:
            arrived[delivery_id] = at
    lags = sorted((at - due[delivery_id]).total_seconds() for delivery_id, at in arrived.items())
    return {
        "prompts": len(due), "spread_s": spread, "interval_s": interval, "ready_s": ready_seconds,
        "started_late": ready_seconds > lead,
        "p50_s": statistics.median(lags) if lags else None,
        "p99_s": lags[min(len(lags) - 1, int(len(lags) * 0.99))] if lags else None,
        "max_s": lags[-1] if lags else None,
        "duplicates": duplicates, "lost": len(set(due) - set(arrived)),
    }


def main() -> None:
    """Measure and print the table (or, with --json, one JSON object)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prompts", type=int, default=10_000)
    parser.add_argument("--spread", type=float, default=60.0, help="seconds over which the prompts fall due")
    parser.add_argument("--lead", type=float, default=20.0,
                        help="seconds from seeding to the first due time, for the timer to start and plan")
    parser.add_argument("--interval", type=float, default=DEFAULT_INTERVAL, help="seconds between ticks")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = parser.parse_args()
    options = (args.prompts, args.spread, args.lead, args.interval)
    r = on_backend(args.backend, lambda url: measure(url, *options))
    r["backend"] = args.backend
    if args.json:
        print(json.dumps(r))
        return
    print(f"Dispatch lag on {args.backend}: {r['prompts']:,} prompts due over {args.spread:g} s, a tick every "
          f"{args.interval:g} s, real clock")
    print(f"{'p50 s':>6} {'p99 s':>6} {'max s':>6} {'dupes':>6} {'lost':>5} {'timer ready s':>14}")
    if r["p99_s"] is None:
        print("no prompt arrived")
    else:
        print(f"{r['p50_s']:>6.2f} {r['p99_s']:>6.2f} {r['max_s']:>6.2f} {r['duplicates']:>6} {r['lost']:>5} "
              f"{r['ready_s']:>14.1f}")
    if r["started_late"]:
        print(f"note: the timer took longer than --lead ({args.lead:g} s) to start; the first prompts waited for it")
    print("target: p99 < 2 s")


if __name__ == "__main__":
    main()
