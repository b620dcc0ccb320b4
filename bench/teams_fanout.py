"""Teams fan-out benchmark: 2,000 proactive prompts (form cards) through the real outbox, client and pacer to a fake
Bot Connector service, under the per-tenant limit.

    python bench/teams_fanout.py                          # 2,000 prompts, 30 a second, time scaled by 8
    python bench/teams_fanout.py --prompts 500 --per-second 50 --scale 10

Each prompt goes to a different member's personal chat, so the tenant's rate is the limit that binds, not the 7 a
second per conversation. The chain is production's: TeamsOutbox -> BotConnectorClient (taking a turn from the
SendPacer before every HTTP attempt) -> aiohttp on loopback -> the tests' FakeConnector. Time is scaled: the pacer's
clock runs `--scale` times faster than the wall clock and its sleeps are that much shorter (HTTP itself is not
scaled), so 2,000 prompts at 30 a second, a floor of 66.7 s, take about 8 s. Every request to the tenant counts
against its rate, so the floor is (posts + personal chats opened) / rate. Rows: the members' chats known; half of
them opened on the fly (one more request each); the fake answering every 50th post with 429 and Retry-After: 1;
and one sender sending one prompt after another (as the dispatcher does). Target: measured within 10 % of the
floor, zero lost, zero duplicates; the peaks show no second with more requests than the rate, and no conversation
with more than 7 posts in a second.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from microsoft_agents.hosting.core.authorization import AnonymousTokenProvider

from adapters.failures import MemoryFailureLog
from adapters.teams.client import BotConnectorClient
from adapters.teams.outbox import TeamsOutbox
from adapters.teams.references import ConversationRef, MemoryReferences
from adapters.teams.sender import SendPacer
from rituals.outbound import Field, Form, MemberAddress, Text
from rituals.ports import SystemClock
from tests.adapters.slack.harness import MemoryMessageLog
from tests.adapters.teams.fake_connector import BOT_ID, TENANT_ID, FakeConnector, Scripted, most_in_window

# Stamps are read just after each turn is given, a moment that varies by microseconds; a window a millisecond
# (scaled) short of a second keeps that reading's own delay from counting a request twice at a window's edges.
PEAK_WINDOW = 0.999


class StampedPacer:
    """The real pacer, noting (in scaled seconds) when each request was let go, to check the limits from outside."""

    def __init__(self, pacer: SendPacer, clock: Callable[[], float]) -> None:
        self._pacer = pacer
        self._clock = clock
        self.stamps: list[tuple[float, str | None]] = []

    async def turn(self, tenant_id: str, conversation_id: str | None) -> None:
        await self._pacer.turn(tenant_id, conversation_id)
        self.stamps.append((self._clock(), conversation_id))


@dataclass(frozen=True)
class Result:
    name: str
    senders: int
    prompts: int
    opened: int
    floor: float
    measured: float
    lost: int
    duplicates: int
    rate_limited: int
    failures: int
    peak_per_second: int
    peak_per_conversation: int


async def run(
    name: str, *, prompts: int, per_second: float, scale: float, senders: int, every_429: int, known: float
) -> Result:
    def clock() -> float:
        return time.monotonic() * scale

    async def sleep(seconds: float) -> None:
        await asyncio.sleep(seconds / scale)

    async with FakeConnector(clock=clock) as fake:
        if every_429:
            # Every n-th post attempt (retries included) is answered 429 with Retry-After: 1.
            answers = [
                Scripted(status=429, retry_after="1") if n % every_429 == every_429 - 1 else Scripted()
                for n in range(prompts)
            ]
            fake.script("send", *answers)
        references = MemoryReferences()
        created = datetime(2026, 11, 23, tzinfo=UTC)
        known_count = int(prompts * known)
        for n in range(max(known_count, 1)):
            # The chats Ritme already knows (from installs and messages); at least one lends its service URL.
            await references.remember(
                ConversationRef(
                    tenant_id=TENANT_ID,
                    conversation_id=f"a:1m{n:05d}",
                    service_url=fake.url,
                    bot_id=BOT_ID,
                    kind="personal",
                    user_id=f"29:m{n:05d}",
                    updated_at=created,
                )
            )
        pacer = StampedPacer(SendPacer(tenant_sends_per_second=per_second, clock=clock, sleep=sleep), clock)
        failures = MemoryFailureLog()
        async with BotConnectorClient(AnonymousTokenProvider(), pacer=pacer, sleep=sleep) as client:
            outbox = TeamsOutbox(client, references, MemoryMessageLog(), clock=SystemClock(), failures=failures)
            queue: asyncio.Queue[Form] = asyncio.Queue()
            for n in range(prompts):
                to = MemberAddress(platform="teams", workspace_id=TENANT_ID, user_id=f"29:m{n:05d}")
                queue.put_nowait(
                    Form(
                        key=f"bench:{n}",
                        to=to,
                        text=Text.plain(f"Time for the stand-up, member {n}."),
                        delivery_id=n,
                        fields=(Field(label="Yesterday"), Field(label="Today"), Field(label="Blockers")),
                        submit_label="Send",
                        open_label="Answer",
                    )
                )

            async def sender() -> None:
                while not queue.empty():
                    form = queue.get_nowait()
                    try:
                        await outbox.send([form])
                    except Exception:  # recorded in the failure log; counted as lost below
                        pass

            started = clock()
            await asyncio.gather(*(sender() for _ in range(senders)))
            measured = clock() - started
        delivered = [call.conversation_id for call in fake.posted()]
        opened = len(fake.calls_to("create", ok=True))
        per_conversation: dict[str, list[float]] = {}
        for at, conversation in pacer.stamps:
            if conversation is not None:
                per_conversation.setdefault(conversation, []).append(at)
        return Result(
            name=name,
            senders=senders,
            prompts=prompts,
            opened=opened,
            floor=(prompts + opened) / per_second,
            measured=measured,
            lost=prompts - len(set(delivered)),
            duplicates=len(delivered) - len(set(delivered)),
            rate_limited=len([call for call in fake.calls if call.status == 429]),
            failures=len(failures.failures),
            peak_per_second=most_in_window([at for at, _ in pacer.stamps], PEAK_WINDOW),
            peak_per_conversation=max(most_in_window(times, PEAK_WINDOW) for times in per_conversation.values()),
        )


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prompts", type=int, default=2000)
    parser.add_argument("--per-second", type=float, default=30.0, help="the tenant's rate")
    parser.add_argument("--scale", type=float, default=8.0, help="how much faster than the wall clock time runs")
    parser.add_argument("--senders", type=int, default=50, help="concurrent senders in all but the last row")
    args = parser.parse_args()
    options = {"prompts": args.prompts, "per_second": args.per_second, "scale": args.scale}
    results = [
        await run("chats known", senders=args.senders, every_429=0, known=1.0, **options),
        await run("half opened on the fly", senders=args.senders, every_429=0, known=0.5, **options),
        await run("429 every 50th", senders=args.senders, every_429=50, known=1.0, **options),
        await run("one sender", senders=1, every_429=0, known=1.0, **options),
    ]
    print(
        f"tenant rate {args.per_second:g}/s, at most 7 posts a second per conversation; time scale x{args.scale:g} "
        f"(times below in scaled seconds; real = scaled / {args.scale:g})"
    )
    header = (
        f"{'run':<22} {'senders':>7} {'prompts':>7} {'opened':>6} {'floor s':>8} {'measured s':>10} "
        f"{'within 10%':>10} {'lost':>5} {'dupes':>5} {'429s':>5} {'failed':>6} {'peak/s':>6} {'conv/s':>6}"
    )
    print(header)
    print("-" * len(header))
    ok = True
    for result in results:
        within = abs(result.measured - result.floor) <= 0.1 * result.floor
        ok = ok and within and result.lost == 0 and result.duplicates == 0
        print(
            f"{result.name:<22} {result.senders:>7} {result.prompts:>7} {result.opened:>6} {result.floor:>8.1f} "
            f"{result.measured:>10.1f} {'yes' if within else 'no':>10} {result.lost:>5} {result.duplicates:>5} "
            f"{result.rate_limited:>5} {result.failures:>6} {result.peak_per_second:>6} "
            f"{result.peak_per_conversation:>6}"
        )
    print("target met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
