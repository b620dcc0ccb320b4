"""Slack ingress benchmark: how fast Ritme acknowledges signed Slack requests, with persistence on.

    python bench/slack_ingress.py                 # 2,000 requests at 50 and at 200 concurrent clients
    python bench/slack_ingress.py --requests 500

The server runs in its own process (the real bolt app on the real aiohttp server, a SQLite file, the whole
engine behind it) and answers Slack's Web API calls through a local fake; this process plays Slack, sending
signed `/ritme help` commands and button presses as fast as the concurrency allows. Each request's id is
recorded in the database before the ack, as in production. Targets: at 50 clients p99 < 150 ms and >= 400
requests/s; at 200 clients p99 < 1 s and no errors.

Acks arrive much faster than the work after them is done, so the server stops with events accepted but not
handled yet (each reply waits for the workspace's cap of 600 messages a minute). A second table follows them:
handled before the stop, handed back at the stop, handled by a restarted server (with the cap lifted, so the rate
is Ritme's own), and lost, which must be zero. `--json` prints all of it as one JSON object instead (bench/run_all.py
reads it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from tests.adapters.slack.fake_slack import FakeSlack  # noqa: E402
from tests.adapters.slack.harness import SIGNING_SECRET, TEAM_ID, signature  # noqa: E402


def _add_members(fake: FakeSlack) -> None:
    fake.profiles.update({
        f"U{n}": {"id": f"U{n}", "name": f"member{n}", "tz": "Europe/Amsterdam", "locale": "en-GB", "profile": {}}
        for n in range(500)
    })


async def serve(database: str) -> None:
    """The server side: fake Web API, assembled Ritme with Slack on, until stdin closes."""
    from bot.settings import Settings
    from bot.wiring import assemble, serving

    async with FakeSlack() as fake:
        _add_members(fake)
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, database_url=f"sqlite+aiosqlite:///{database}", port=0, log_level="WARNING",
            slack_bot_token="xoxb-bench", slack_signing_secret=SIGNING_SECRET, slack_api_url=fake.url,
        )
        async with assemble(settings) as ritme, serving(ritme, with_timer=False) as url:
            print(url, flush=True)
            await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


async def recover(database: str) -> None:
    """A restarted server: handle what the stopped one left pending, and say how long that took."""
    from bot.settings import Settings
    from bot.wiring import assemble

    async with FakeSlack() as fake:
        _add_members(fake)
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, database_url=f"sqlite+aiosqlite:///{database}", log_level="WARNING",
            slack_bot_token="xoxb-bench", slack_signing_secret=SIGNING_SECRET, slack_api_url=fake.url,
            # The highest cap Ritme allows (100 a second): the default 600 a minute would set the rate alone.
            slack_messages_per_minute=6000,
        )
        async with assemble(settings) as ritme:
            began = time.perf_counter()
            recovered = await ritme.inbound.recover()
            print(json.dumps({"recovered": recovered, "seconds": time.perf_counter() - began}), flush=True)


def _statuses(database: str) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        return dict(connection.execute("SELECT status, count(*) FROM inbound_events GROUP BY status").fetchall())


def _command(user: int) -> tuple[str, str]:
    body = urlencode({
        "team_id": TEAM_ID, "team_domain": "bench", "channel_id": "C1", "channel_name": "team",
        "user_id": f"U{user}", "user_name": f"member{user}", "command": "/ritme", "text": "help",
        "api_app_id": "A1", "response_url": "https://hooks.slack.com/commands/T1/1/x", "trigger_id": uuid.uuid4().hex,
    })
    return body, "application/x-www-form-urlencoded"


def _button(user: int) -> tuple[str, str]:
    payload = {
        "type": "block_actions", "user": {"id": f"U{user}", "name": f"member{user}", "team_id": TEAM_ID},
        "api_app_id": "A1", "team": {"id": TEAM_ID}, "trigger_id": uuid.uuid4().hex,
        "channel": {"id": f"D{user}"}, "container": {"type": "message", "channel_id": f"D{user}"},
        "actions": [{"action_id": "ritme.button.0", "type": "button", "action_ts": f"{time.time():.6f}",
                     "value": json.dumps({"action": "bench.noop", "value": "1"})}],
    }
    return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"


async def load(url: str, requests: int, concurrency: int) -> dict[str, float]:
    """Send `requests` signed requests with `concurrency` clients; latencies in ms and the rate."""
    latencies: list[float] = []
    errors = 0
    counter = iter(range(requests))

    async def client(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        for n in counter:
            body, content_type = (_command if n % 2 else _button)(n % 500)
            stamp = int(time.time())
            headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(stamp),
                       "X-Slack-Signature": signature(body, stamp)}
            started = time.perf_counter()
            try:
                async with session.post(url, data=body.encode(), headers=headers) as response:
                    await response.read()
                    if response.status != 200:
                        errors += 1
            except aiohttp.ClientError:
                errors += 1
            latencies.append((time.perf_counter() - started) * 1000)

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        began = time.perf_counter()
        await asyncio.gather(*(client(session) for _ in range(concurrency)))
        wall = time.perf_counter() - began
    latencies.sort()
    return {
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "rate": len(latencies) / wall,
        "errors": errors,
    }


def main() -> None:
    """Start the server process, load it at each concurrency, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the tables")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--recover", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.serve))
        return
    if args.recover:
        asyncio.run(recover(args.recover))
        return
    with tempfile.TemporaryDirectory() as folder:
        database = f"{folder}/bench.db"
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", database],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )
        accepted = 0
        runs: list[dict[str, float]] = []
        try:
            assert server.stdout is not None
            url = server.stdout.readline().strip() + "/slack/events"
            for concurrency in (50, 200):
                r = asyncio.run(load(url, args.requests, concurrency))
                accepted += args.requests - int(r["errors"])
                runs.append({"clients": concurrency, **r})
        finally:
            if server.stdin:
                server.stdin.close()
            server.wait(timeout=60)
        at_stop = _statuses(database)
        restarted = subprocess.run(
            [sys.executable, __file__, "--recover", database], stdout=subprocess.PIPE, text=True, cwd=ROOT, check=True
        )
        recovery = json.loads(restarted.stdout.strip().splitlines()[-1])
        after = _statuses(database)
        lost = accepted - after.get("done", 0) - after.get("failed", 0)
        rate = recovery["recovered"] / recovery["seconds"] if recovery["seconds"] else 0.0
    if args.json:
        print(json.dumps({
            "requests": args.requests, "runs": runs, "accepted": accepted,
            "handled_before_stop": at_stop.get("done", 0), "handed_back": at_stop.get("pending", 0),
            "handled_after_restart": recovery["recovered"], "handled_per_second": rate,
            "failed": after.get("failed", 0), "lost": lost,
        }))
        return
    print(f"Slack ingress: signed /ritme commands and button presses, {args.requests:,} per run, SQLite")
    print(f"{'clients':>8} {'p50 ms':>8} {'p99 ms':>8} {'requests/s':>11} {'errors':>7}  target")
    targets = {50: "p99 < 150 ms, >= 400/s", 200: "p99 < 1000 ms, no errors"}
    for r in runs:
        print(f"{r['clients']:>8} {r['p50']:>8.1f} {r['p99']:>8.1f} {r['rate']:>11.0f} {r['errors']:>7}  "
              f"{targets[int(r['clients'])]}")
    print()
    print("After the ack: what became of the accepted events")
    print(f"{'accepted':>9} {'handled before stop':>20} {'handed back':>12} {'handled after restart':>22} "
          f"{'handled/s':>10} {'failed':>7} {'lost':>5}")
    print(f"{accepted:>9} {at_stop.get('done', 0):>20} {at_stop.get('pending', 0):>12} "
          f"{recovery['recovered']:>22} {rate:>10.0f} {after.get('failed', 0):>7} {lost:>5}")


if __name__ == "__main__":
    main()
