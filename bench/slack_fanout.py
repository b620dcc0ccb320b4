"""Slack fan-out benchmark: 2,000 prompts through the real outbox and senders to a fake Web API, under a cap.

    python bench/slack_fanout.py                       # 2,000 prompts, 300 per minute, time scaled by 60
    python bench/slack_fanout.py --prompts 500 --per-minute 600 --scale 120

Each prompt goes to a different member (its own DM), so the workspace's cap is the limit that binds, not the
one-a-second per channel. The chain is production's: SlackOutbox -> RateLimitedTransport -> RetryingTransport ->
slack_sdk -> HTTP on loopback -> the tests' FakeSlack. Time is scaled: the senders' clock runs `--scale` times
faster than the wall clock and their sleeps are that much shorter (HTTP itself is not scaled), so 2,000 prompts at
300/min, a floor of 400 s, take about 6.7 s. Rows: the plain run with 50 concurrent senders, the same while the
fake answers every 50th post with 429 and Retry-After: 1, and one sender sending one prompt after another (as the
dispatcher does). Target: measured within 10 % of the floor, zero lost, zero duplicates.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.failures import MemoryFailureLog
from adapters.slack import RetryingTransport, SlackOutbox, slack_client
from adapters.slack.sender import RateLimitedTransport
from rituals.outbound import MemberAddress, Prompt, Text
from rituals.ports import SystemClock
from tests.adapters.slack.fake_slack import FakeSlack, Scripted
from tests.adapters.slack.harness import MemoryMessageLog

BURST = 10


class ThrottlingSlack(FakeSlack):
    """The fake Web API, answering every n-th chat.postMessage with 429 and Retry-After."""

    def __init__(self, every: int, retry_after: str = "1") -> None:
        super().__init__()
        self._every = every
        self._retry_after = retry_after
        self._posts = 0

    def _next_script(self, method: str) -> Scripted | None:
        if method == "chat.postMessage" and self._every:
            self._posts += 1
            if self._posts % self._every == 0:
                return Scripted(status=429, retry_after=self._retry_after)
        return super()._next_script(method)


class Stamped:
    """Notes (in scaled seconds) when each call leaves the rate limiter, to check the cap from the outside."""

    def __init__(self, api: RetryingTransport, clock: Any) -> None:
        self._api = api
        self._clock = clock
        self.times: list[float] = []

    async def call(self, workspace_id: str, method: str, args: Mapping[str, Any]) -> Mapping[str, Any]:
        self.times.append(self._clock())
        return await self._api.call(workspace_id, method, args)


@dataclass(frozen=True)
class Result:
    name: str
    senders: int
    prompts: int
    floor: float
    measured: float
    lost: int
    duplicates: int
    rate_limited: int
    failures: int
    peak_per_minute: int


async def run(name: str, *, prompts: int, per_minute: int, scale: float, senders: int, every_429: int) -> Result:
    def clock() -> float:
        return time.monotonic() * scale

    async def sleep(seconds: float) -> None:
        await asyncio.sleep(seconds / scale)

    async with ThrottlingSlack(every=every_429) as fake:
        client = slack_client("xoxb-bench", api_url=fake.url)
        stamped = Stamped(RetryingTransport(client, sleep=sleep), clock)
        limited = RateLimitedTransport(stamped, messages_per_minute=per_minute, burst=BURST, clock=clock, sleep=sleep)
        failures = MemoryFailureLog()
        outbox = SlackOutbox(limited, MemoryMessageLog(), clock=SystemClock(), failures=failures)
        queue: asyncio.Queue[Prompt] = asyncio.Queue()
        for n in range(prompts):
            to = MemberAddress(platform="slack", workspace_id="T1", user_id=f"U{n:05d}")
            queue.put_nowait(Prompt(key=f"bench:{n}", to=to, text=Text.plain(f"Time for the stand-up, member {n}.")))

        async def sender() -> None:
            while not queue.empty():
                prompt = queue.get_nowait()
                try:
                    await outbox.send([prompt])
                except Exception:  # recorded in the failure log; counted as lost below
                    pass

        started = clock()
        await asyncio.gather(*(sender() for _ in range(senders)))
        measured = clock() - started
        delivered = [str(call.args["channel"]) for call in fake.calls_to("chat.postMessage", ok=True)]
        return Result(
            name=name,
            senders=senders,
            prompts=prompts,
            floor=prompts * 60.0 / per_minute,
            measured=measured,
            lost=prompts - len(set(delivered)),
            duplicates=len(delivered) - len(set(delivered)),
            rate_limited=len([call for call in fake.calls_to("chat.postMessage") if call.status == 429]),
            failures=len(failures.failures),
            peak_per_minute=_peak(stamped.times, 60.0),
        )


def _peak(times: list[float], window: float) -> int:
    """The most calls in any `window` seconds."""
    times = sorted(times)
    best = start = 0
    for end, at in enumerate(times):
        while at - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prompts", type=int, default=2000)
    parser.add_argument("--per-minute", type=int, default=300, help="the workspace cap")
    parser.add_argument("--scale", type=float, default=60.0, help="how much faster than the wall clock time runs")
    parser.add_argument("--senders", type=int, default=50, help="concurrent senders in the first two rows")
    args = parser.parse_args()
    options = {"prompts": args.prompts, "per_minute": args.per_minute, "scale": args.scale}
    results = [
        await run("plain", senders=args.senders, every_429=0, **options),
        await run("429 every 50th", senders=args.senders, every_429=50, **options),
        await run("plain, one sender", senders=1, every_429=0, **options),
    ]
    print(f"cap {args.per_minute}/min per workspace (burst {BURST}), 1/s per channel; time scale x{args.scale:g} "
          f"(times below in scaled seconds; real = scaled / {args.scale:g})")
    header = (f"{'run':<18} {'senders':>7} {'prompts':>7} {'floor s':>8} {'measured s':>10} {'within 10%':>10} "
              f"{'lost':>5} {'dupes':>5} {'429s':>5} {'failed':>6} {'peak/min':>8}")
    print(header)
    print("-" * len(header))
    ok = True
    for result in results:
        within = abs(result.measured - result.floor) <= 0.1 * result.floor
        ok = ok and within and result.lost == 0 and result.duplicates == 0
        print(f"{result.name:<18} {result.senders:>7} {result.prompts:>7} {result.floor:>8.1f} "
              f"{result.measured:>10.1f} {'yes' if within else 'no':>10} {result.lost:>5} {result.duplicates:>5} "
              f"{result.rate_limited:>5} {result.failures:>6} {result.peak_per_minute:>8}")
    print("target met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
