"""bench/run_all.py --quick still runs every benchmark and prints every row of its table with figures in it.

It runs on SQLite only (the PostgreSQL URLs are taken out of its environment), so the PostgreSQL rows must say they
were skipped and why, and the memory and dispatch-lag rows fall back to SQLite. The quick sizes check that the scripts
work, not the targets, so only the integrity figures (nothing lost, nothing sent twice) are held to theirs here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMBER = r"[\d,]+(?:\.\d+)?"


def _rows() -> dict[tuple[str, str], tuple[str, str, str]]:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("RITME_BENCH_DATABASE_URL", "RITME_TEST_DATABASE_URL")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run_all.py"), "--quick"], capture_output=True, text=True, cwd=ROOT,
        env=environment, timeout=180, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert [cell.strip() for cell in lines[1].split(" | ")] == ["benchmark", "setting", "measured", "target", "met?"], (
        done.stdout
    )
    rows = {}
    for line in lines[3:]:
        cells = [cell.strip() for cell in line.split(" | ")]
        if len(cells) == 5:
            rows[(cells[0], cells[1])] = (cells[2], cells[3], cells[4])
    return rows


def _row(rows: dict[tuple[str, str], tuple[str, str, str]], benchmark: str, setting: str) -> tuple[str, str, str]:
    found = [row for (name, where), row in rows.items() if name.startswith(benchmark) and setting in where]
    assert len(found) == 1, f"no single row for {benchmark!r} / {setting!r} in {sorted(rows)}"
    return found[0]


def test_quick_run_prints_every_row_with_figures() -> None:
    rows = _rows()
    assert len(rows) == 8

    measured, _target, met = _row(rows, "fan-out", "SQLite, 1 process")
    assert re.fullmatch(rf"{NUMBER} prompts/s \({NUMBER} s\), 0 dupes, 0 lost, {NUMBER} MB", measured), measured
    assert met in ("yes", "no")
    for setting in ("PostgreSQL, 1 process", "PostgreSQL, 3 replica processes"):
        assert _row(rows, "fan-out", setting) == ("skipped: no PostgreSQL URL", ">= 2,000/s, 0 dupes, 0 lost", "-")

    for clients in (50, 200):
        measured, _target, met = _row(rows, "inbound ack latency", f"{clients} concurrent")
        assert re.fullmatch(rf"p50 {NUMBER} ms, p99 {NUMBER} ms, {NUMBER} requests/s, 0 errors", measured), measured
        assert met in ("yes", "no")

    measured, target, met = _row(rows, "pairing", "earlier rounds")
    assert re.fullmatch(rf"{NUMBER} s, {NUMBER} groups, {NUMBER} repeats, 0 unmatched", measured), measured
    assert (target, met) == ("< 2 s", "yes")

    measured, target, met = _row(rows, "peak RSS", "SQLite, `ritme run`")
    assert re.fullmatch(rf"{NUMBER} MB, all sent {NUMBER} s after start", measured), measured
    assert target == "< 300 MB per replica" and met in ("yes", "no")

    measured, target, met = _row(rows, "dispatch lag p99", "SQLite, default tick 1 s,")
    assert re.match(rf"p99 {NUMBER} s \(p50 {NUMBER}, max {NUMBER}\), 0 dupes, 0 lost", measured), measured
    assert target == "p99 < 2 s" and met in ("yes", "no")
