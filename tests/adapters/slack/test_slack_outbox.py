"""SlackOutbox and its transport against the fake Web API: where each message goes, retries, fallbacks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
import pytest_asyncio

from adapters.slack import RetryingTransport, SlackOutbox, SlackRefused, SlackUnavailable, slack_client
from adapters.slack.outbox import UndeliverableMessage
from rituals.outbound import (
    Button,
    ChannelAddress,
    ChannelPost,
    Field,
    Form,
    HomeView,
    MemberAddress,
    Prompt,
    Section,
    Text,
    ThreadReply,
    Update,
)
from rituals.ports import PostedMessage
from tests.adapters.slack.conftest import SleepRecorder
from tests.adapters.slack.fake_slack import FakeSlack, Scripted
from tests.adapters.slack.harness import TEAM_ID, ManualClock, MemoryMessageLog

ADA = MemberAddress(platform="slack", workspace_id=TEAM_ID, user_id="U1")
TEAM = ChannelAddress(platform="slack", workspace_id=TEAM_ID, channel_id="C1")


def form(delivery_id: int = 42) -> Form:
    return Form(
        key=f"standup-form:{delivery_id}",
        to=ADA,
        text=Text.plain("Time for the stand-up."),
        delivery_id=delivery_id,
        fields=(Field(label="How are you?"), Field(label="Blocked?", multiline=False)),
        submit_label="Send answer",
        open_label="Answer",
    )


@dataclass
class Box:
    fake: FakeSlack
    outbox: SlackOutbox
    messages: MemoryMessageLog
    clock: ManualClock
    sleeps: SleepRecorder


@pytest_asyncio.fixture
async def box(fake_slack: FakeSlack) -> AsyncIterator[Box]:
    clock = ManualClock()
    sleeps = SleepRecorder()
    transport = RetryingTransport(
        slack_client("xoxb-test-token", api_url=fake_slack.url), backoff_seconds=0.5, timeout_seconds=1.0, sleep=sleeps
    )
    messages = MemoryMessageLog()
    yield Box(fake_slack, SlackOutbox(transport, messages, clock=clock), messages, clock, sleeps)


async def test_a_prompt_without_context_is_a_dm_and_remembered_when_keyed(box: Box) -> None:
    await box.outbox.send(
        [Prompt(key="hello", to=ADA, text=Text.plain("Hi"), buttons=(Button(label="Ok", action="a", value="v"),))]
    )
    [post] = box.fake.calls_to("chat.postMessage")
    assert post.args["channel"] == "U1"
    assert post.args["text"] == "Hi"
    posted = box.messages.posted[("slack", TEAM_ID, "hello", "U1")]
    assert posted == PostedMessage(
        platform="slack",
        workspace_id=TEAM_ID,
        key="hello",
        recipient="U1",
        conversation_id="D1",
        message_id=posted.message_id,
    )
    assert posted.message_id


async def test_an_unkeyed_message_is_not_remembered(box: Box) -> None:
    await box.outbox.send([Prompt(to=ADA, text=Text.plain("Hi")), ChannelPost(to=TEAM, text=Text.plain("Hi all"))])
    assert len(box.fake.calls_to("chat.postMessage")) == 2
    assert box.messages.posted == {}


async def test_a_refused_ephemeral_falls_back_to_a_dm(box: Box) -> None:
    box.fake.script("chat.postEphemeral", Scripted(error="channel_not_found"))
    await box.outbox.send([Prompt(to=ADA, text=Text.plain("Done."), context=TEAM)])
    assert [call.method for call in box.fake.calls] == ["chat.postEphemeral", "chat.postMessage"]
    assert box.fake.calls[-1].args["channel"] == "U1"


async def test_other_refusals_are_raised(box: Box) -> None:
    box.fake.script("chat.postMessage", Scripted(error="invalid_blocks"))
    with pytest.raises(SlackRefused) as refused:
        await box.outbox.send([ChannelPost(to=TEAM, text=Text.plain("x"))])
    assert refused.value.error == "invalid_blocks"
    assert len(box.fake.calls) == 1


async def test_a_form_without_a_trigger_is_a_dm_with_an_answer_button(box: Box) -> None:
    await box.outbox.send([form()])
    [post] = box.fake.calls_to("chat.postMessage")
    assert post.args["channel"] == "U1"
    button = post.args["blocks"][-1]["elements"][0]
    assert (button["action_id"], button["value"]) == ("ritme.answer", "42")
    assert ("slack", TEAM_ID, "standup-form:42", "U1") in box.messages.posted


async def test_a_form_with_a_fresh_trigger_opens_a_modal_once(box: Box) -> None:
    box.outbox.offer_trigger(TEAM_ID, "U1", "trig-1", delivery_id=42, received_at=box.clock.now())
    await box.outbox.send([form(), form()])
    assert [call.method for call in box.fake.calls] == ["views.open", "chat.postMessage"]
    assert box.fake.calls[0].args["trigger_id"] == "trig-1"


async def test_an_expired_trigger_gives_a_dm(box: Box) -> None:
    box.outbox.offer_trigger(TEAM_ID, "U1", "trig-1", delivery_id=42, received_at=box.clock.now())
    box.clock.advance(timedelta(seconds=3))
    await box.outbox.send([form()])
    assert [call.method for call in box.fake.calls] == ["chat.postMessage"]


async def test_a_withdrawn_trigger_gives_a_dm(box: Box) -> None:
    box.outbox.offer_trigger(TEAM_ID, "U1", "trig-1", delivery_id=42, received_at=box.clock.now())
    box.outbox.withdraw_trigger(TEAM_ID, "U1", "trig-other")  # someone else's: kept
    box.outbox.withdraw_trigger(TEAM_ID, "U1", "trig-1")
    await box.outbox.send([form()])
    assert [call.method for call in box.fake.calls] == ["chat.postMessage"]


async def test_a_refused_modal_falls_back_to_a_dm(box: Box) -> None:
    box.fake.script("views.open", Scripted(error="expired_trigger_id"))
    box.outbox.offer_trigger(TEAM_ID, "U1", "trig-1", delivery_id=42, received_at=box.clock.now())
    await box.outbox.send([form()])
    assert [call.method for call in box.fake.calls] == ["views.open", "chat.postMessage"]


async def test_update_without_a_remembered_message_posts_a_new_dm(box: Box) -> None:
    await box.outbox.send([Update(key="standup-form:9", to=ADA, text=Text.plain("Saved."))])
    [post] = box.fake.calls_to("chat.postMessage")
    assert post.args["channel"] == "U1"
    assert box.fake.calls_to("chat.update") == []


async def test_update_of_a_deleted_message_posts_a_new_dm(box: Box) -> None:
    key = ("slack", TEAM_ID, "standup-form:42", "U1")
    await box.outbox.send([form()])
    first = box.messages.posted[key].message_id
    box.fake.script("chat.update", Scripted(error="message_not_found"))
    await box.outbox.send([Update(key="standup-form:42", to=ADA, text=Text.plain("Saved."))])
    assert [call.method for call in box.fake.calls] == ["chat.postMessage", "chat.update", "chat.postMessage"]
    assert box.fake.calls[1].args["ts"] == first
    # The new DM is the one to update from now on.
    assert box.messages.posted[key].message_id != first


async def test_a_thread_reply_without_a_known_parent_goes_top_level(box: Box) -> None:
    await box.outbox.send([ThreadReply(to=TEAM, thread_key="standup-digest:1", text=Text.plain("Late answer"))])
    [post] = box.fake.calls_to("chat.postMessage")
    assert post.args["channel"] == "C1"
    assert "thread_ts" not in post.args


async def test_thread_replies_find_their_parent_per_channel(box: Box) -> None:
    other = ChannelAddress(platform="slack", workspace_id=TEAM_ID, channel_id="C2")
    await box.outbox.send([ChannelPost(key="digest", to=TEAM, text=Text.plain("Digest"))])
    await box.outbox.send([ThreadReply(to=other, thread_key="digest", text=Text.plain("elsewhere"))])
    await box.outbox.send([ThreadReply(to=TEAM, thread_key="digest", text=Text.plain("here"))])
    _digest, elsewhere, here = box.fake.calls_to("chat.postMessage")
    assert "thread_ts" not in elsewhere.args
    assert here.args["thread_ts"] == box.messages.posted[("slack", TEAM_ID, "digest", "C1")].message_id


async def test_429_waits_for_retry_after_and_posts_once(box: Box) -> None:
    box.fake.script("chat.postMessage", Scripted(status=429, retry_after="1"), Scripted(status=429, retry_after="2"))
    await box.outbox.send([Prompt(to=ADA, text=Text.plain("Hi"))])
    assert box.sleeps.waits == [1.0, 2.0]
    assert [call.status for call in box.fake.calls_to("chat.postMessage")] == [429, 429, 200]
    assert len(box.fake.posts()) == 1


async def test_5xx_is_retried_with_growing_jittered_waits(box: Box) -> None:
    box.fake.script("chat.postMessage", Scripted(status=500), Scripted(status=503))
    await box.outbox.send([Prompt(to=ADA, text=Text.plain("Hi"))])
    assert [call.status for call in box.fake.calls_to("chat.postMessage")] == [500, 503, 200]
    first, second = box.sleeps.waits
    assert 0.25 <= first <= 0.75
    assert 0.5 <= second <= 1.5


async def test_after_three_retries_the_failure_is_raised(box: Box) -> None:
    box.fake.script("chat.postMessage", *[Scripted(status=500)] * 4)
    with pytest.raises(SlackUnavailable) as failed:
        await box.outbox.send([Prompt(to=ADA, text=Text.plain("Hi"))])
    assert failed.value.attempts == 4
    assert len(box.fake.calls_to("chat.postMessage")) == 4
    assert box.fake.posts() == []


async def test_a_hanging_call_times_out_and_is_retried(box: Box) -> None:
    box.fake.script("chat.postMessage", Scripted(hang=True))
    await box.outbox.send([Prompt(to=ADA, text=Text.plain("Hi"))])
    assert len(box.sleeps.waits) == 1
    assert len(box.fake.posts()) == 1


async def test_endless_rate_limits_end_in_a_failure(box: Box) -> None:
    box.fake.script("chat.postMessage", *[Scripted(status=429, retry_after="1")] * 6)
    with pytest.raises(SlackUnavailable):
        await box.outbox.send([Prompt(to=ADA, text=Text.plain("Hi"))])
    assert box.sleeps.waits == [1.0] * 5


async def test_a_home_view_is_published_to_the_members_home_tab(box: Box) -> None:
    view = HomeView(to=ADA, sections=(Section(title="Your rituals", text=Text.plain("#team: Mon-Fri at 09:30")),))
    await box.outbox.send([view])
    [published] = box.fake.calls
    assert published.method == "views.publish" and published.ok
    assert published.args["user_id"] == "U1"
    assert published.args["view"]["type"] == "home"
    assert published.args["view"]["blocks"][0] == {
        "type": "header", "text": {"type": "plain_text", "text": "Your rituals", "emoji": True}
    }
    assert box.messages.posted == {}  # a Home tab is replaced whole, never updated by key


async def test_a_refused_home_view_is_raised(box: Box) -> None:
    box.fake.script("views.publish", Scripted(error="not_enabled"))  # the app's Home tab is switched off
    with pytest.raises(SlackRefused) as refused:
        await box.outbox.send([HomeView(to=ADA, sections=())])
    assert refused.value.error == "not_enabled"


async def test_a_home_view_for_another_platform_is_refused_before_anything_is_sent(box: Box) -> None:
    local = MemberAddress(platform="local", workspace_id="local", user_id="u1")
    with pytest.raises(UndeliverableMessage):
        await box.outbox.send([Prompt(to=ADA, text=Text.plain("Hi")), HomeView(to=local, sections=())])
    assert box.fake.calls == []


async def test_messages_for_other_platforms_are_refused_before_anything_is_sent(box: Box) -> None:
    local = MemberAddress(platform="local", workspace_id="local", user_id="u1")
    with pytest.raises(UndeliverableMessage):
        await box.outbox.send([Prompt(to=ADA, text=Text.plain("Hi")), Prompt(to=local, text=Text.plain("Hi"))])
    assert box.fake.calls == []
