"""Dashboard reports benchmark: the manager's read queries over two years of one busy team's history.

    python bench/reports.py                       # 40 members, 2 years of weekday stand-ups, SQLite and PostgreSQL
    python bench/reports.py --members 20 --backend sqlite

Seeds (bulk inserts) a team with a daily stand-up answered by most members, plus a weekly pulse and 40 decoy
teams with stand-ups of their own, then times each report several times and prints the median. PostgreSQL runs
when RITME_BENCH_DATABASE_URL or RITME_TEST_DATABASE_URL names a server where the user may create databases (a
throwaway database ritme_bench_<hex>, dropped afterwards). Target: every report's median under 250 ms, searches
that read the whole history included.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time as timer
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from uuid import uuid4

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from rituals.catalog import Catalog
from rituals.model import PulseSettings, StandupSettings
from rituals.reports import Reports, StandupFilter
from storage.database import create_engine, migrate, normalize_url
from storage.models import (
    AnswerRow,
    DeliveryRow,
    MemberRow,
    OccurrenceRow,
    PulseRoundRow,
    PulseTallyRow,
    RitualRow,
    TeamMemberRow,
    TeamRow,
    WorkspaceRow,
)
from storage.reports import SqlReportStore

START = date(2024, 12, 2)
DAYS = 730
DECOY_TEAMS = 40
RUNS = 7
TARGET_MS = 250.0
WORDS = ("release", "review", "billing", "staging", "docs", "planning", "tests", "migration", "support", "design")


async def seed(url: str, members: int) -> int:
    """Bulk-insert the team, its history and the decoys; the team's id."""
    engine = create_engine(url)
    now = datetime(2024, 12, 1, tzinfo=UTC)
    try:
        async with engine.begin() as conn:
            workspace = (await conn.execute(
                insert(WorkspaceRow).values(platform="bench", external_id="w").returning(WorkspaceRow.id)
            )).scalar_one()
            people = []
            for n in range(members + DECOY_TEAMS * 5):
                people.append({"workspace_id": workspace, "user_id": f"U{n}", "display_name": f"Person {n}",
                               "name_key": f"person {n}", "timezone": "Europe/Amsterdam", "locale": "en",
                               "work_days": "0,1,2,3,4", "work_start": time(9), "work_end": time(17)})
            member_ids = list((await conn.execute(
                insert(MemberRow).returning(MemberRow.id, sort_by_parameter_order=True), people
            )).scalars())
            team_ids = list((await conn.execute(
                insert(TeamRow).returning(TeamRow.id, sort_by_parameter_order=True),
                [{"workspace_id": workspace, "channel_id": f"C{n}", "name": f"Team {n}"}
                 for n in range(DECOY_TEAMS + 1)],
            )).scalars())
            rosters = {team_ids[0]: member_ids[:members]}
            for n, team in enumerate(team_ids[1:]):
                rosters[team] = member_ids[members + 5 * n : members + 5 * (n + 1)]
            await conn.execute(insert(TeamMemberRow), [
                {"team_id": team, "member_id": member, "role": "member"}
                for team, roster in rosters.items() for member in roster
            ])
            standup = StandupSettings(digest_at=time(11))
            ritual_of = {}
            for team, roster in rosters.items():
                ritual_of[team] = (await conn.execute(insert(RitualRow).values(
                    team_id=team, kind="standup", at=time(9, 30), days="0,1,2,3,4", timezone="Europe/Amsterdam",
                    locale="en", settings=standup, created_by=roster[0], created_at=now,
                ).returning(RitualRow.id))).scalar_one()
            pulse = (await conn.execute(insert(RitualRow).values(
                team_id=team_ids[0], kind="pulse", at=time(14), days="4", timezone="Europe/Amsterdam", locale="en",
                settings=PulseSettings(anchor=START, closes_at=time(12)), created_by=member_ids[0], created_at=now,
            ).returning(RitualRow.id))).scalar_one()
            weekdays = [START + timedelta(days=n) for n in range(DAYS) if (START + timedelta(days=n)).weekday() < 5]
            serial = 0
            for team, roster in rosters.items():
                occurrences = list((await conn.execute(
                    insert(OccurrenceRow).returning(OccurrenceRow.id, sort_by_parameter_order=True),
                    [{"ritual_id": ritual_of[team], "local_date": day,
                      "digest_due_at": datetime.combine(day, time(10), tzinfo=UTC),
                      "digest_posted_at": datetime.combine(day, time(10), tzinfo=UTC)} for day in weekdays],
                )).scalars())
                deliveries = []
                for occurrence, day in zip(occurrences, weekdays, strict=True):
                    for member in roster:
                        deliveries.append({"occurrence_id": occurrence, "ritual_id": ritual_of[team],
                                           "member_id": member, "local_date": day,
                                           "due_at": datetime.combine(day, time(8, 30), tzinfo=UTC),
                                           "status": "sent"})
                for start in range(0, len(deliveries), 5000):
                    chunk = deliveries[start : start + 5000]
                    ids = list((await conn.execute(
                        insert(DeliveryRow).returning(DeliveryRow.id, sort_by_parameter_order=True), chunk
                    )).scalars())
                    answers = []
                    for delivery_id, row in zip(ids, chunk, strict=True):
                        serial += 1
                        if serial % 5 == 0:  # four in five answer
                            continue
                        word = WORDS[serial % len(WORDS)]
                        answers.append({"delivery_id": delivery_id, "member_id": row["member_id"],
                                        "values": ["Good", f"Working on {word} #{serial}", "no"],
                                        "submitted_at": row["due_at"], "late": False})
                    await conn.execute(insert(AnswerRow), answers)
            fridays = [day for day in weekdays if day.weekday() == 4]
            rounds = list((await conn.execute(
                insert(OccurrenceRow).returning(OccurrenceRow.id, sort_by_parameter_order=True),
                [{"ritual_id": pulse, "local_date": day, "digest_due_at": datetime.combine(day, time(12), tzinfo=UTC)}
                 for day in fridays],
            )).scalars())
            await conn.execute(insert(PulseRoundRow), [
                {"occurrence_id": occurrence, "questions": ["feeling", "workload"], "prompted": members,
                 "responded": members * 3 // 4} for occurrence in rounds
            ])
            await conn.execute(insert(PulseTallyRow), [
                {"occurrence_id": occurrence, "question_id": question, "score_1": 1, "score_2": 2, "score_3": 5,
                 "score_4": members * 3 // 4 - 12, "score_5": 4}
                for occurrence in rounds for question in ("feeling", "workload")
            ])
        return team_ids[0]
    finally:
        await engine.dispose()


async def measure(url: str, members: int) -> list[tuple[str, float]]:
    """Seed, then the median milliseconds of each report."""
    await migrate(url)
    team = await seed(url, members)
    engine = create_engine(url)
    if engine.dialect.name == "postgresql":
        # Statistics, as autovacuum would have gathered them on a database that grew over two years.
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.exec_driver_sql("ANALYZE")
    reports = Reports(store=SqlReportStore(engine), catalog=Catalog())
    end = START + timedelta(days=DAYS)
    cases = {
        "history, first page": lambda: reports.standup_history(team, StandupFilter(), "en"),
        "history, page 20": lambda: reports.standup_history(team, StandupFilter(offset=400), "en"),
        "history, one month": lambda: reports.standup_history(
            team, StandupFilter(since=end - timedelta(days=60), until=end - timedelta(days=30)), "en"),
        "search, common word": lambda: reports.standup_history(team, StandupFilter(search="billing"), "en"),
        "search, no match (reads all)": lambda: reports.standup_history(team, StandupFilter(search="kubernetes"),
                                                                         "en"),
        "participation, one year": lambda: reports.participation(team, end - timedelta(days=365), end),
        "pulse trends, 12 rounds": lambda: reports.pulse_trends(team, 12),
        "pulse trends, 52 rounds": lambda: reports.pulse_trends(team, 52),
    }
    found = []
    try:
        for name, case in cases.items():
            times = []
            for _ in range(RUNS):
                started = timer.perf_counter()
                await case()
                times.append((timer.perf_counter() - started) * 1000)
            found.append((name, statistics.median(times)))
    finally:
        await engine.dispose()
    return found


async def run(backend: str, members: int) -> list[tuple[str, float]]:
    """One backend's figures, in a throwaway database."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            return await measure(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}", members)
    server = os.environ.get("RITME_BENCH_DATABASE_URL") or os.environ["RITME_TEST_DATABASE_URL"]
    name = f"ritme_bench_{uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            return await measure(normalize_url(server).set(database=name).render_as_string(hide_password=False),
                                 members)
        finally:
            async with admin.connect() as conn:
                await conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.dispose()


def main() -> None:
    """Run the chosen backends and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=40)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    if "postgresql" in backends and not (os.environ.get("RITME_BENCH_DATABASE_URL")
                                         or os.environ.get("RITME_TEST_DATABASE_URL")):
        print("PostgreSQL skipped: set RITME_BENCH_DATABASE_URL or RITME_TEST_DATABASE_URL")
        backends.remove("postgresql")
    results = {backend: dict(asyncio.run(run(backend, args.members))) for backend in backends}
    print(f"{args.members} members, {DAYS} days of weekday stand-ups, {DECOY_TEAMS} other teams; median of {RUNS}")
    print("| report | " + " | ".join(f"{b} ms" for b in backends) + " | target |")
    print("|---|" + "---|" * len(backends) + "---|")
    failed = False
    for name in next(iter(results.values())):
        values = [results[b][name] for b in backends]
        ok = all(v < TARGET_MS for v in values)
        failed |= not ok
        verdict = "met" if ok else "MISSED"
        print(f"| {name} | " + " | ".join(f"{v:.1f}" for v in values) + f" | < {TARGET_MS:.0f}: {verdict} |")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
