"""The rate-limited sender on virtual time: per-channel pace, the workspace cap, independence; and failures
recorded by the outbox after the retries give up (the outbox still raises)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from adapters.failures import MemoryFailureLog
from adapters.slack import RetryingTransport, SlackOutbox, SlackRefused, SlackUnavailable, slack_client
from adapters.slack.sender import RateLimitedTransport
from rituals.outbound import ChannelAddress, ChannelPost, HomeView, MemberAddress, Prompt, Text
from rituals.ports import DeliveryFailure
from tests.adapters.slack.conftest import SleepRecorder
from tests.adapters.slack.fake_slack import FakeSlack, Scripted
from tests.adapters.slack.harness import TEAM_ID, ManualClock, MemoryMessageLog
from tests.virtual_time import VirtualTime

Job = Coroutine[Any, Any, Any]
ADA = MemberAddress(platform="slack", workspace_id=TEAM_ID, user_id="U1")
TEAM = ChannelAddress(platform="slack", workspace_id=TEAM_ID, channel_id="C1")


@dataclass
class RecordingApi:
    """A WebApi that answers at once and notes the virtual time of each call."""

    time: VirtualTime
    calls: list[tuple[float, str, str, str]] = field(default_factory=list)

    async def call(self, workspace_id: str, method: str, args: Mapping[str, Any]) -> Mapping[str, Any]:
        self.calls.append((self.time.now, workspace_id, method, str(args.get("channel", ""))))
        return {"ok": True}

    def times(self, workspace_id: str | None = None, channel: str | None = None) -> list[float]:
        return [
            at for at, workspace, _, to in self.calls
            if (workspace_id is None or workspace == workspace_id) and (channel is None or to == channel)
        ]


def limited(per_minute: int = 600, burst: int = 10) -> tuple[VirtualTime, RecordingApi, RateLimitedTransport]:
    time = VirtualTime()
    api = RecordingApi(time)
    sender = RateLimitedTransport(api, messages_per_minute=per_minute, burst=burst, clock=time.clock, sleep=time.sleep)
    return time, api, sender


def post(sender: RateLimitedTransport, channel: str, workspace: str = "T1", text: str = "hi") -> Job:
    return sender.call(workspace, "chat.postMessage", {"channel": channel, "text": text})


async def test_one_channel_gets_about_one_message_a_second_in_order() -> None:
    time, api, sender = limited()
    await time.run(*(post(sender, "C1", text=str(n)) for n in range(5)))
    assert api.times() == [0.0, 1.0, 2.0, 3.0, 4.0]
    # chat.update counts against the same channel.
    await time.run(sender.call("T1", "chat.update", {"channel": "C1", "ts": "1.1"}))
    assert api.times()[-1] == 5.0


async def test_ephemeral_replies_to_different_people_in_one_channel_do_not_queue() -> None:
    time, api, sender = limited()
    replies = [sender.call("T1", "chat.postEphemeral", {"channel": "C1", "user": f"U{n}"}) for n in range(5)]
    await time.run(*replies, sender.call("T1", "chat.postEphemeral", {"channel": "C1", "user": "U0"}))
    assert api.times() == [0.0, 0.0, 0.0, 0.0, 0.0, 1.0]  # U0's second reply waits its second


async def test_the_workspace_cap_holds_across_channels_after_a_small_burst() -> None:
    time, api, sender = limited(per_minute=60, burst=3)
    await time.run(*(post(sender, f"U{n}") for n in range(10)))
    assert api.times() == [0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]


async def test_a_busy_channel_or_workspace_holds_up_no_other() -> None:
    time, api, sender = limited(per_minute=60, burst=1)
    await time.run(
        *(post(sender, "C1") for _ in range(3)),  # C1 is busy for 2 s
        *(post(sender, f"U{n}", workspace="T2") for n in range(3)),  # T2's own cap
        post(sender, "C1", workspace="T3"),  # the same channel id in another workspace
    )
    assert api.times("T1") == [0.0, 1.0, 2.0]
    assert api.times("T2") == [0.0, 1.0, 2.0]
    assert api.times("T3") == [0.0]


async def test_a_waiting_channel_leaves_the_workspace_slots_to_others() -> None:
    time, api, sender = limited(per_minute=120, burst=1)  # a slot every 0.5 s
    await time.run(post(sender, "C1"), post(sender, "C1"), post(sender, "C2"), post(sender, "C3"))
    # C2 and C3 take the workspace's next slots while C1 waits out its second; C1 then gets the one after.
    assert sorted(api.times(channel="C2") + api.times(channel="C3")) == [0.5, 1.0]
    assert api.times(channel="C1") == [0.0, 1.5]


async def test_reads_are_not_paced_and_views_count_against_the_workspace_only() -> None:
    time, api, sender = limited(per_minute=60, burst=1)
    await time.run(*(sender.call("T1", "users.info", {"user": "U1"}) for _ in range(5)))
    assert api.times() == [0.0] * 5
    await time.run(*(sender.call("T1", "views.open", {"trigger_id": "t"}) for _ in range(2)))
    assert api.times()[-2:] == [0.0, 1.0]


async def test_home_tabs_are_not_paced_like_channel_messages() -> None:
    # views.publish has a limit of its own (Tier 4); the workspace's message cap and the 1/s per channel are for posts.
    time, api, sender = limited(per_minute=60, burst=1)
    await time.run(post(sender, "U1"))
    await time.run(*(sender.call("T1", "views.publish", {"user_id": "U1", "view": {}}) for _ in range(5)))
    assert api.times()[-5:] == [0.0] * 5


async def test_waiting_uses_the_event_loop_and_never_blocks_it() -> None:
    api = RecordingApi(VirtualTime())
    sender = RateLimitedTransport(api, channel_interval_seconds=0.2)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    running = asyncio.create_task(ticker())
    await asyncio.gather(post(sender, "C1"), post(sender, "C1"))
    running.cancel()
    assert ticks >= 5  # the loop kept running other work while the second post waited its 0.2 s


def test_nonsense_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        RateLimitedTransport(RecordingApi(VirtualTime()), messages_per_minute=0)


# Failures ----------------------------------------------------------------------------------------------------


@dataclass
class Chain:
    fake: FakeSlack
    outbox: SlackOutbox
    failures: MemoryFailureLog
    clock: ManualClock


@pytest.fixture
def chain(fake_slack: FakeSlack) -> Chain:
    clock = ManualClock()
    retrying = RetryingTransport(
        slack_client("xoxb-secret-token", api_url=fake_slack.url), retries=2, timeout_seconds=1.0, sleep=SleepRecorder()
    )
    failures = MemoryFailureLog()
    outbox = SlackOutbox(
        RateLimitedTransport(retrying), MemoryMessageLog(), clock=clock, failures=failures
    )
    return Chain(fake_slack, outbox, failures, clock)


async def test_a_message_that_fails_after_every_retry_is_recorded_and_still_raised(chain: Chain) -> None:
    chain.fake.script("chat.postMessage", *[Scripted(status=500)] * 3)
    with pytest.raises(SlackUnavailable):
        await chain.outbox.send([Prompt(key="standup-form:7", to=ADA, text=Text.plain("Time for the stand-up."))])
    assert len(chain.fake.calls_to("chat.postMessage")) == 3
    assert chain.failures.failures == [
        DeliveryFailure(
            platform="slack",
            workspace_id=TEAM_ID,
            recipient="U1",
            kind="prompt",
            key="standup-form:7",
            error="chat.postMessage failed after 3 attempts: HTTP 500",
            failed_at=chain.clock.now(),
        )
    ]
    since = chain.clock.now() - timedelta(days=7)
    assert await chain.failures.recent("slack", TEAM_ID, since) == chain.failures.failures
    assert await chain.failures.recent("slack", "T-other", since) == []
    assert await chain.failures.recent("slack", TEAM_ID, since, recipients=["U2"]) == []


async def test_a_refused_message_is_recorded_without_secrets_or_text(chain: Chain) -> None:
    chain.fake.script("chat.postMessage", Scripted(error="invalid_blocks"))
    with pytest.raises(SlackRefused):
        await chain.outbox.send([ChannelPost(key="digest:3", to=TEAM, text=Text.plain("Private answer"))])
    [failure] = chain.failures.failures
    assert (failure.kind, failure.recipient, failure.key) == ("channel_post", "C1", "digest:3")
    assert failure.error == "chat.postMessage refused: invalid_blocks"
    assert "xoxb" not in failure.error and "Private" not in failure.error


async def test_a_home_tab_that_keeps_failing_is_recorded_after_the_retries(chain: Chain) -> None:
    chain.fake.script("views.publish", *[Scripted(status=503)] * 3)
    with pytest.raises(SlackUnavailable):
        await chain.outbox.send([HomeView(to=ADA, sections=())])
    assert len(chain.fake.calls_to("views.publish")) == 3  # retried, like every call
    [failure] = chain.failures.failures
    assert (failure.kind, failure.recipient, failure.key) == ("home", "U1", "")
    assert failure.error == "views.publish failed after 3 attempts: HTTP 503"


async def test_a_refusal_with_a_fallback_that_works_is_no_failure(chain: Chain) -> None:
    chain.fake.script("chat.postEphemeral", Scripted(error="channel_not_found"))
    await chain.outbox.send([Prompt(to=ADA, text=Text.plain("Done."), context=TEAM)])
    assert chain.failures.failures == []


async def test_a_429_is_waited_out_and_the_message_sent_once(chain: Chain) -> None:
    chain.fake.script("chat.postMessage", Scripted(status=429, retry_after="2"))
    await chain.outbox.send([Prompt(key="p", to=ADA, text=Text.plain("Hi"))])
    assert [call.status for call in chain.fake.calls_to("chat.postMessage")] == [429, 200]
    assert chain.failures.failures == []


class BrokenFailureLog(MemoryFailureLog):
    async def record(self, failure: DeliveryFailure) -> None:
        raise RuntimeError("the database is down")


async def test_a_failing_failure_log_does_not_hide_the_delivery_error(fake_slack: FakeSlack) -> None:
    retrying = RetryingTransport(slack_client("xoxb-t", api_url=fake_slack.url), sleep=SleepRecorder())
    outbox = SlackOutbox(retrying, MemoryMessageLog(), clock=ManualClock(), failures=BrokenFailureLog())
    fake_slack.script("chat.postMessage", Scripted(error="channel_not_found"))
    with pytest.raises(SlackRefused):
        await outbox.send([ChannelPost(to=TEAM, text=Text.plain("x"))])
