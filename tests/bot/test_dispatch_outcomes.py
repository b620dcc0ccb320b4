"""What becomes of each prompt of a fan-out when Slack fails part-way: sent once, tried again, or given up on.

The real server, engine and SQLite database, with Slack's Web API on a loopback fake that answers as scripted.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.dispatcher import Dispatcher, Timer
from tests.adapters.slack.fake_slack import Scripted
from tests.adapters.slack.harness import member_joined
from tests.bot.slack_rig import SlackRig, slack_rig

MONDAY_0800_AMSTERDAM = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
PROMPT_TIME = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)  # 09:30 in Amsterdam
DIGEST_TIME = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # 11:00 in Amsterdam
MEMBERS = ("U1", "U2", "U3")


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[SlackRig]:
    profiles = {user: (f"Member {user}", "Europe/Amsterdam", "en-GB") for user in MEMBERS}
    async with slack_rig(tmp_path, profiles, MONDAY_0800_AMSTERDAM) as rig:
        for number, user in enumerate(MEMBERS[1:]):
            assert (await rig.slack.event(member_joined(f"Ev{number}", user_id=user))).status == 200
            await rig.until_member("C1", user)
        await rig.slack.command("standup create at 09:30 on mon-fri digest 11:00 remind off", user_id="U1")
        ephemeral = lambda: rig.fake.calls_to("chat.postEphemeral", ok=True)  # noqa: E731
        await rig.until(lambda: [c for c in ephemeral() if "Stand-up 1" in c.args["text"]])
        await rig.ritme.inbound.idle()  # its dispatch after the command is over before the clock moves on
        rig.clock.set(PROMPT_TIME)
        yield rig


def _prompts_per_member(rig: SlackRig) -> dict[str, int]:
    return {user: len(rig.posted(user)) for user in MEMBERS}


async def _statuses(rig: SlackRig) -> list[str]:
    """Today's prompts' statuses (tomorrow's are planned already)."""
    today = text("SELECT status FROM deliveries WHERE local_date = :today")
    async with rig.ritme.store.engine.connect() as connection:
        return sorted(row.status for row in await connection.execute(today, {"today": PROMPT_TIME.date()}))


async def test_prompts_slack_could_not_take_go_out_once_it_is_back_and_nobody_gets_two(rig: SlackRig) -> None:
    # The first prompt goes out; then Slack answers 503 to the next post and to all three retries of it.
    rig.fake.script("chat.postMessage", Scripted(), *[Scripted(status=503)] * 4)
    await rig.tick()
    first = _prompts_per_member(rig)
    assert sorted(first.values()) == [0, 0, 1]
    assert await _statuses(rig) == ["claimed", "claimed", "sent"]

    await rig.tick()  # held back a little while, not hammered on every tick
    assert _prompts_per_member(rig) == first

    rig.clock.advance(timedelta(seconds=16))
    await rig.tick()
    assert _prompts_per_member(rig) == dict.fromkeys(MEMBERS, 1)
    assert await _statuses(rig) == ["sent", "sent", "sent"]
    # Each was counted once against the member's daily cap, the attempts that failed not at all.
    async with rig.ritme.store.engine.connect() as connection:
        counted = await connection.execute(text("SELECT count FROM member_message_counts"))
        assert [row.count for row in counted] == [1, 1, 1]


async def test_a_prompt_a_stopped_replica_sent_but_never_recorded_is_not_sent_again(rig: SlackRig) -> None:
    # A replica claims the batch and sends its first prompt, then dies before recording anything.
    await rig.ritme.engine.plan(rig.clock.now())
    dying = rig.ritme.engine.due(rig.clock.now())
    batch = await anext(dying)
    assert len(batch) == len(MEMBERS)
    await rig.ritme.dispatcher._router.send(batch[:1])
    await dying.aclose()
    assert await _statuses(rig) == ["claimed", "claimed", "claimed"]

    await rig.tick()  # its lease has not run out: nobody else touches its prompts
    assert sum(_prompts_per_member(rig).values()) == 1

    rig.clock.advance(timedelta(minutes=2, seconds=1))
    await rig.tick()  # taken over: the two it never sent go out, the one it did is only recorded
    assert _prompts_per_member(rig) == dict.fromkeys(MEMBERS, 1)
    assert await _statuses(rig) == ["sent", "sent", "sent"]


async def test_a_prompt_slack_refuses_is_given_up_on_and_the_others_still_go_out(rig: SlackRig) -> None:
    rig.fake.script("chat.postMessage", Scripted(error="user_not_found"))
    await rig.tick()
    assert sorted(_prompts_per_member(rig).values()) == [0, 1, 1]
    assert await _statuses(rig) == ["sent", "sent", "skipped"]

    rig.clock.advance(timedelta(minutes=5))
    await rig.tick()  # refused for good: not tried again
    assert sorted(_prompts_per_member(rig).values()) == [0, 1, 1]
    assert len(rig.fake.calls_to("chat.postMessage", ok=False)) == 1


async def test_a_stop_lets_the_prompt_being_sent_finish_and_hands_the_others_back(rig: SlackRig) -> None:
    rig.clock.set(PROMPT_TIME - timedelta(minutes=1))
    timer = Timer(rig.ritme.dispatcher, rig.ritme.inbound, tick_every=timedelta(seconds=0.1),
                  plan_every=timedelta(hours=1), drain_within=timedelta(seconds=5))
    async with timer:
        rig.fake.script("chat.postMessage", Scripted(delay=0.5))  # Slack is slow with the first prompt
        rig.clock.set(PROMPT_TIME)
        await asyncio.wait_for(rig.fake.delaying.wait(), 5)
        stopping_at = time.monotonic()
    # Leaving the timer is the SIGTERM path: the prompt in flight is sent and recorded, the rest handed back at once.
    assert time.monotonic() - stopping_at < 3
    assert sorted(_prompts_per_member(rig).values()) == [0, 0, 1]
    assert await _statuses(rig) == ["claimed", "claimed", "sent"]

    # A restarted replica sends the other two, and the first nobody sends again.
    restarted = Dispatcher(engine=rig.ritme.engine, router=rig.ritme.dispatcher._router, clock=rig.clock)
    rig.clock.advance(timedelta(seconds=1))
    await restarted.tick()
    assert _prompts_per_member(rig) == dict.fromkeys(MEMBERS, 1)
    assert await _statuses(rig) == ["sent", "sent", "sent"]


async def test_a_digest_slack_could_not_take_is_posted_once_when_slack_is_back_and_managers_see_the_outage(
    rig: SlackRig,
) -> None:
    await rig.tick()  # the prompts go out
    rig.clock.set(DIGEST_TIME)
    # Slack answers 503 to the digest and to all three of its transport's retries.
    rig.fake.script("chat.postMessage", *[Scripted(status=503)] * 4)
    await rig.tick()
    assert rig.posted("C1") == [] and await _held(rig) == 1
    assert 'ritme_messages_held_total{platform="slack"} 1.0' in rig.ritme.metrics.exposition().decode()

    rig.clock.advance(timedelta(seconds=20))
    await rig.tick()  # waited for, not tried on every tick
    assert len(rig.fake.calls_to("chat.postMessage", ok=False)) == 4

    rig.clock.advance(timedelta(seconds=10))
    await rig.tick()  # Slack is back
    [digest] = rig.posted("C1")
    assert "Stand-up" in str(digest.args["text"]) and await _held(rig) == 0
    for _ in range(3):
        rig.clock.advance(timedelta(minutes=5))
        await rig.tick()
    assert len(rig.posted("C1")) == 1
    # The outage itself stays visible to the team's managers.
    assert (await rig.slack.command("standup failures", user_id="U1")).status == 200
    [report] = await rig.until(lambda: [c for c in rig.fake.calls_to("chat.postEphemeral", ok=True)
                                        if "Not delivered for #team" in str(c.args["text"])])
    assert "digest to #team" in str(report.args["text"])


async def _held(rig: SlackRig) -> int:
    async with rig.ritme.store.engine.connect() as connection:
        return int((await connection.execute(text("SELECT count(*) FROM held_messages"))).scalar_one())
