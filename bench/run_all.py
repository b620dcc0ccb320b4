"""Every benchmark of issue 9 in one table: what was measured, the target, and whether it was met.

    python bench/run_all.py            # the full sizes; several minutes
    python bench/run_all.py --quick    # small sizes, to check the scripts work; its figures mean little

Each benchmark runs as its own process (its own peak RSS), one after another, through the scripts in bench/ with
their --json option: fanout.py (10,000 prompts on SQLite, PostgreSQL, and PostgreSQL with three replica processes),
slack_ingress.py (signed Slack requests at 50 and 200 concurrent clients), pairing.py (10,000 participants),
replica_memory.py (one `ritme run` with 100,000 members configured) and dispatch_lag.py (10,000 prompts due over
one minute, at the default tick). PostgreSQL rows need RITME_BENCH_DATABASE_URL or
RITME_TEST_DATABASE_URL (a server where the user may create and drop databases); without one they say so, and the
memory and dispatch-lag rows run on SQLite. A missed target is reported in the table, not by the exit status: the
script exits 0 whenever it could print the table. Figures and how to read them: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
POSTGRES_ENV = ("RITME_BENCH_DATABASE_URL", "RITME_TEST_DATABASE_URL")
NO_POSTGRES = "skipped: no PostgreSQL URL"


@dataclass(frozen=True)
class Sizes:
    """How big each benchmark runs."""

    fanout_members: int
    fanout_teams: int
    ingress_requests: int
    pairing_people: int
    pairing_rounds: int
    pairing_runs: int
    memory_members: int
    memory_teams: int
    memory_due_teams: int
    memory_linger: float
    lag_prompts: int
    lag_spread: float
    lag_lead: float


FULL = Sizes(
    fanout_members=10_000, fanout_teams=1_000, ingress_requests=2_000, pairing_people=10_000, pairing_rounds=12,
    pairing_runs=3, memory_members=100_000, memory_teams=10_000, memory_due_teams=200, memory_linger=10.0,
    lag_prompts=10_000, lag_spread=60.0, lag_lead=20.0,
)
QUICK = Sizes(
    fanout_members=300, fanout_teams=30, ingress_requests=60, pairing_people=300, pairing_rounds=2, pairing_runs=1,
    memory_members=500, memory_teams=50, memory_due_teams=2, memory_linger=0.5, lag_prompts=100, lag_spread=1.0,
    lag_lead=2.0,
)


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    benchmark: str
    setting: str
    measured: str
    target: str
    met: str  # "yes", "no", or "-" when nothing was measured


class Failed(Exception):
    """A benchmark script ended without its figures; the message is the end of what it said."""


def run_json(script: str, *arguments: str) -> list[dict[str, Any]]:
    """Run a bench/ script with --json in its own process; one dict per JSON line it printed."""
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *arguments, "--json"], capture_output=True, text=True, cwd=ROOT,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise Failed(f"{script} exited {done.returncode}: {tail}")
    return [json.loads(line) for line in lines]


def yes(ok: bool) -> str:
    return "yes" if ok else "no"


def postgres_url() -> str | None:
    """The PostgreSQL server the benchmarks may create throwaway databases on, if one is named."""
    return next((os.environ[name] for name in POSTGRES_ENV if os.environ.get(name)), None)


def fanout_rows(sizes: Sizes) -> list[Row]:
    """Fan-out on SQLite, PostgreSQL and PostgreSQL with three replicas."""
    settings = {"sqlite": "SQLite, 1 process", "postgresql": "PostgreSQL, 1 process",
                "replicas": "PostgreSQL, 3 replica processes"}
    name = f"fan-out {sizes.fanout_members:,}"
    target = ">= 2,000/s, 0 dupes, 0 lost"
    rows = []
    for r in run_json("fanout.py", "--members", str(sizes.fanout_members), "--teams", str(sizes.fanout_teams),
                      "--replicas", "3"):
        setting = settings[r["backend"]]
        if "skipped" in r:
            rows.append(Row(name, setting, NO_POSTGRES, target, "-"))
        elif "failed" in r:
            rows.append(Row(name, setting, "failed: " + r["failed"].strip().splitlines()[-1], target, "no"))
        else:
            split = f", split {r['split']}" if "split" in r else ""
            measured = (f"{r['per_second']:,.0f} prompts/s ({r['seconds']:.2f} s), {r['duplicates']} dupes, "
                        f"{r['lost']} lost, {r['rss_mb']:.0f} MB{split}")
            ok = r["per_second"] >= 2000 and r["duplicates"] == 0 and r["lost"] == 0
            rows.append(Row(name, setting, measured, target, yes(ok)))
    return rows


def ingress_rows(sizes: Sizes) -> list[Row]:
    """Slack ack latency at 50 and 200 concurrent clients."""
    (r,) = run_json("slack_ingress.py", "--requests", str(sizes.ingress_requests))
    targets = {50: ("p99 < 150 ms, >= 400 requests/s", lambda run: run["p99"] < 150 and run["rate"] >= 400),
               200: ("p99 < 1,000 ms, 0 errors", lambda run: run["p99"] < 1000 and run["errors"] == 0)}
    rows = []
    for run in r["runs"]:
        target, check = targets[run["clients"]]
        measured = (f"p50 {run['p50']:.0f} ms, p99 {run['p99']:.0f} ms, {run['rate']:.0f} requests/s, "
                    f"{run['errors']} errors")
        setting = f"{run['clients']} concurrent, {sizes.ingress_requests:,} requests, SQLite"
        rows.append(Row("inbound ack latency", setting, measured, target, yes(check(run))))
    return rows


def pairing_rows(sizes: Sizes) -> list[Row]:
    """One coffee-pairing round."""
    (r,) = run_json("pairing.py", "--sizes", str(sizes.pairing_people), "--rounds", str(sizes.pairing_rounds),
                    "--runs", str(sizes.pairing_runs))
    measured = f"{r['seconds']:.2f} s, {r['groups']:,} groups, {r['repeats']} repeats, {r['unmatched']} unmatched"
    setting = f"{sizes.pairing_rounds} earlier rounds, best of {sizes.pairing_runs}"
    return [Row(f"pairing {sizes.pairing_people:,}", setting, measured, "< 2 s", yes(r["seconds"] < 2))]


def memory_rows(sizes: Sizes, backend: str) -> list[Row]:
    """Peak RSS of one `ritme run` replica with many members configured."""
    (r,) = run_json("replica_memory.py", "--members", str(sizes.memory_members), "--teams", str(sizes.memory_teams),
                    "--due-teams", str(sizes.memory_due_teams), "--linger", str(sizes.memory_linger),
                    "--backend", backend)
    setting = f"{backend_name(backend)}, `ritme run`, {sizes.memory_teams:,} teams, {r['due']:,} due"
    complete = r["sent"] >= r["due"]
    measured = f"{r['rss_mb']:.0f} MB, " + (
        f"all sent {r['sent_seconds']:.0f} s after start" if complete else f"only {r['sent']:,} of {r['due']:,} sent")
    return [Row(f"peak RSS, {sizes.memory_members:,} members", setting, measured, "< 300 MB per replica",
                yes(r["rss_mb"] < 300 and complete))]


def lag_rows(sizes: Sizes, backend: str) -> list[Row]:
    """Dispatch lag at the default tick (RITME_DISPATCH_INTERVAL_SECONDS)."""
    (r,) = run_json("dispatch_lag.py", "--prompts", str(sizes.lag_prompts), "--spread", str(sizes.lag_spread),
                    "--lead", str(sizes.lag_lead), "--backend", backend)
    setting = (f"{backend_name(backend)}, default tick {r['interval_s']:g} s, {r['prompts']:,} due over "
               f"{r['spread_s']:g} s")
    if r["p99_s"] is None:
        return [Row("dispatch lag p99", setting, "no prompt arrived", "p99 < 2 s", "no")]
    measured = (f"p99 {r['p99_s']:.2f} s (p50 {r['p50_s']:.2f}, max {r['max_s']:.2f}), {r['duplicates']} "
                f"dupes, {r['lost']} lost")
    if r["started_late"]:
        measured += ", timer started late"
    ok = r["p99_s"] < 2 and r["duplicates"] == 0 and r["lost"] == 0
    return [Row("dispatch lag p99", setting, measured, "p99 < 2 s", yes(ok))]


def backend_name(backend: str) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[backend]


def guarded(name: str, produce: Callable[[], list[Row]]) -> list[Row]:
    """The rows a benchmark produces, or one row saying it failed and why."""
    try:
        return produce()
    except Failed as failure:
        return [Row(name, "", f"failed: {failure}", "", "no")]


def machine() -> str:
    """Cores and CPU model of this machine, for the record."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


def render(rows: list[Row]) -> str:
    """The table, columns as wide as their widest cell."""
    header = Row("benchmark", "setting", "measured", "target", "met?")
    cells = [[row.benchmark, row.setting, row.measured, row.target, row.met] for row in [header, *rows]]
    widths = [max(len(line[column]) for line in cells) for column in range(5)]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
             for line in cells]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)


def main() -> int:
    """Run every benchmark and print the one table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes: checks the scripts, not the targets")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    backend = "postgresql" if postgres_url() else "sqlite"
    began = time.perf_counter()
    rows = [
        *guarded("fan-out", lambda: fanout_rows(sizes)),
        *guarded("inbound ack latency", lambda: ingress_rows(sizes)),
        *guarded("pairing", lambda: pairing_rows(sizes)),
        *guarded("peak RSS", lambda: memory_rows(sizes, backend)),
        *guarded("dispatch lag p99", lambda: lag_rows(sizes, backend)),
    ]
    print(f"Ritme benchmarks{' (--quick: small sizes, figures not comparable to the targets)' if args.quick else ''}"
          f" on {machine()}")
    print(render(rows))
    missed = sum(1 for row in rows if row.met == "no")
    print(f"{len(rows)} rows, {missed} target{'s' if missed != 1 else ''} missed, "
          f"{sum(1 for row in rows if row.met == '-')} skipped; {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
