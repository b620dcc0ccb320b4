"""Coffee pairing benchmark: time and quality of one round's matching for 1,000 and 10,000 participants.

    python bench/pairing.py                          # 1,000 and 10,000 participants, 12 earlier rounds
    python bench/pairing.py --sizes 500,2000 --rounds 6 --runs 5

Participants sit in teams across time zones (each team has a home zone most of its people live in; the rest
are spread, as in a real company), work 8 hours starting 07:00-10:00 local, and a few are away part of the
week. The history is realistic by construction: the earlier rounds are played by the matcher itself, one week
apart, so the measured round has to avoid the last `--memory` rounds' partners. Time is the best of `--runs`
runs of `match` alone (the windows are computed once, as the ritual does per round). Target: 10,000 in < 2 s.
`--json` prints one JSON object per size instead of the table (bench/run_all.py reads it).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time as timer
from datetime import date, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rituals.model import Member
from rituals.pairing import Candidate, Matching, match, working_windows

# Where people live, weighted roughly like a European company with offices abroad.
ZONES = (
    ("Europe/Amsterdam", 30), ("Europe/London", 12), ("Europe/Berlin", 10), ("America/New_York", 12),
    ("America/Los_Angeles", 6), ("America/Sao_Paulo", 5), ("Asia/Kolkata", 12), ("Asia/Singapore", 5),
    ("Australia/Sydney", 5), ("Pacific/Auckland", 3),
)
FIRST_ROUND = date(2026, 9, 7)  # a Monday; round r covers the week starting r weeks later


def people(count: int, teams: int, rng: random.Random) -> list[tuple[Member, str]]:
    """Members with their team label: most of a team in its home zone, the rest anywhere."""
    names, weights = zip(*ZONES, strict=True)
    homes = rng.choices(names, weights=weights, k=teams)
    out = []
    for i in range(count):
        team = rng.randrange(teams)
        zone = homes[team] if rng.random() < 0.7 else rng.choices(names, weights=weights)[0]
        start = rng.choice((7, 8, 8, 9, 9, 9, 10))
        out.append((
            Member(
                id=i + 1, platform="bench", workspace_id="w", user_id=f"u{i}", display_name=f"Member {i}",
                timezone=zone, locale="en", work_days=(0, 1, 2, 3, 4), work_start=time(start),
                work_end=time(start + 8), away_until=None,
            ),
            f"team{team}",
        ))
    return out


def candidates(members: list[tuple[Member, str]], week: date, rng: random.Random) -> list[Candidate]:
    """This week's candidates; about 5% are away for the first one to four days."""
    out = []
    for member, team in members:
        if rng.random() < 0.05:
            member = Member(**{**member.__dict__, "away_until": week + timedelta(days=rng.randrange(4))})
        out.append(Candidate(member_id=member.id, team=team, windows=working_windows(member, week)))
    return out


def played(history: dict[frozenset[int], int], matching: Matching) -> dict[frozenset[int], int]:
    """The history one round later: everyone's last meeting a round older, this round's pairs at 1."""
    aged = {pair: ago + 1 for pair, ago in history.items()}
    for group in matching.groups:
        for n, a in enumerate(group.members):
            for b in group.members[n + 1:]:
                aged[frozenset((a, b))] = 1
    return aged


def bench(count: int, teams: int, rounds: int, runs: int, memory: int, need: int, seed: int) -> dict[str, float]:
    """Play `rounds` earlier rounds, then time and judge the next one."""
    rng = random.Random(seed)
    members = people(count, teams, rng)
    history: dict[frozenset[int], int] = {}
    for r in range(rounds):
        week = FIRST_ROUND + timedelta(weeks=r)
        history = played(history, match(candidates(members, week, rng), history=history, memory=memory,
                                        min_overlap_minutes=need, seed=seed + r))
    week = FIRST_ROUND + timedelta(weeks=rounds)
    started = timer.perf_counter()
    this_round = candidates(members, week, rng)
    windows_seconds = timer.perf_counter() - started
    best = float("inf")
    for _ in range(runs):
        started = timer.perf_counter()
        result = match(this_round, history=history, memory=memory, min_overlap_minutes=need, seed=seed + rounds)
        best = min(best, timer.perf_counter() - started)
    groups = len(result.groups)
    return {
        "participants": count,
        "history": len(history),
        "windows_s": windows_seconds,
        "seconds": best,
        "groups": groups,
        "repeats": result.repeats,
        "cross": sum(1 for group in result.groups if group.cross_team) / groups if groups else 0.0,
        "unmatched": len(result.unmatched),
        "trios": sum(1 for group in result.groups if len(group.members) == 3),
        "shared_h": sum(group.shared_minutes for group in result.groups) / groups / 60 if groups else 0.0,
    }


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="participant counts, comma-separated")
    parser.add_argument("--teams", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=12, help="earlier rounds played before the measured one")
    parser.add_argument("--runs", type=int, default=3, help="timed runs; the best is shown")
    parser.add_argument("--memory", type=int, default=12, help="rounds within which a pair counts as a repeat")
    parser.add_argument("--min-overlap", type=int, default=60, help="minutes of shared working time required")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true", help="print one JSON object per size instead of the table")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    if args.json:
        for count in sizes:
            r = bench(count, args.teams, args.rounds, args.runs, args.memory, args.min_overlap, args.seed)
            print(json.dumps(r), flush=True)
        return
    print(f"Coffee pairing: {args.teams} teams over {len(ZONES)} time zones, {args.rounds} earlier rounds, "
          f"memory {args.memory} rounds, at least {args.min_overlap} min shared; best of {args.runs} runs")
    print(f"{'people':>7} {'history':>8} {'windows s':>9} {'match s':>8} {'groups':>7} {'repeats':>8} "
          f"{'cross-team':>10} {'unmatched':>9} {'trios':>6} {'avg shared h':>12}")
    for count in sizes:
        r = bench(count, args.teams, args.rounds, args.runs, args.memory, args.min_overlap, args.seed)
        print(f"{r['participants']:>7,} {r['history']:>8,} {r['windows_s']:>9.2f} {r['seconds']:>8.3f} "
              f"{r['groups']:>7,} {r['repeats']:>8,} {r['cross']:>10.1%} {r['unmatched']:>9,} {r['trios']:>6} "
              f"{r['shared_h']:>12.1f}")
    print("target: 10,000 participants matched in < 2 s")


if __name__ == "__main__":
    main()
