"""The borrel's and coffee's messages on Slack, against the fake Web API and the real bolt app: channel buttons
anyone may press, a channel post edited in place, and a group DM for a coffee pair (or a DM each without one)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import pytest_asyncio

from adapters.failures import MemoryFailureLog
from adapters.slack import RetryingTransport, SlackOutbox, SlackRefused, slack_client
from adapters.slack.protocol import button_action_id
from rituals.events import ButtonClicked
from rituals.outbound import (
    Button,
    ChannelAddress,
    ChannelPost,
    ChannelUpdate,
    GroupPrompt,
    MemberAddress,
    Span,
    Text,
)
from tests.adapters.slack.conftest import Rig, SleepRecorder
from tests.adapters.slack.fake_slack import FakeSlack, Scripted
from tests.adapters.slack.harness import TEAM_ID, ManualClock, MemoryMessageLog, block_actions

ADA = MemberAddress(platform="slack", workspace_id=TEAM_ID, user_id="U1")
BRAM = MemberAddress(platform="slack", workspace_id=TEAM_ID, user_id="U2")
TEAM = ChannelAddress(platform="slack", workspace_id=TEAM_ID, channel_id="C1")
RSVP = (
    Button(label="I'll join", action="borrel.rsvp", value="7:yes"),
    Button(label="Maybe", action="borrel.rsvp", value="7:maybe"),
    Button(label="Not this time", action="borrel.rsvp", value="7:no"),
)


def invitation(count: int) -> Text:
    return Text(
        (
            (Span(text="Borrel on Friday at 16:00: "), Span(text="<!channel> cheese", user=True)),
            (Span(text=f"{count} joining"),),
        )
    )


@dataclass
class Box:
    fake: FakeSlack
    outbox: SlackOutbox
    messages: MemoryMessageLog
    failures: MemoryFailureLog


@pytest_asyncio.fixture
async def box(fake_slack: FakeSlack) -> AsyncIterator[Box]:
    clock = ManualClock()
    transport = RetryingTransport(
        slack_client("xoxb-test-token", api_url=fake_slack.url),
        backoff_seconds=0.5,
        timeout_seconds=1.0,
        sleep=SleepRecorder(),
    )
    messages, failures = MemoryMessageLog(), MemoryFailureLog()
    yield Box(fake_slack, SlackOutbox(transport, messages, clock=clock, failures=failures), messages, failures)


def button_labels(blocks: list[dict[str, object]]) -> list[tuple[str, str]]:
    actions = [block for block in blocks if block["type"] == "actions"]
    elements = [element for block in actions for element in block["elements"]]  # type: ignore[attr-defined]
    return [(element["text"]["text"], element["value"]) for element in elements]


async def test_a_channel_post_shows_its_buttons_to_the_channel(box: Box) -> None:
    await box.outbox.send([ChannelPost(key="borrel:7", to=TEAM, text=invitation(0), buttons=RSVP)])
    [post] = box.fake.calls_to("chat.postMessage")
    assert post.args["channel"] == "C1"
    assert button_labels(post.args["blocks"]) == [
        ("I'll join", '{"action":"borrel.rsvp","value":"7:yes"}'),
        ("Maybe", '{"action":"borrel.rsvp","value":"7:maybe"}'),
        ("Not this time", '{"action":"borrel.rsvp","value":"7:no"}'),
    ]
    # The theme a member typed is shown, not obeyed: no @channel ping.
    assert "<!" not in post.args["text"] and "&lt;!\u200bchannel&gt; cheese" in post.args["text"]


async def test_a_channel_update_edits_the_post_of_its_key_in_place(box: Box) -> None:
    await box.outbox.send([ChannelPost(key="borrel:7", to=TEAM, text=invitation(0), buttons=RSVP)])
    [post] = box.fake.calls_to("chat.postMessage")
    await box.outbox.send([ChannelUpdate(key="borrel:7", to=TEAM, text=invitation(1), buttons=RSVP)])
    [update] = box.fake.calls_to("chat.update")
    posted = box.messages.posted[("slack", TEAM_ID, "borrel:7", "C1")]
    assert (update.args["channel"], update.args["ts"]) == ("C1", posted.message_id)
    assert "1 joining" in update.args["text"]
    assert button_labels(update.args["blocks"]) == button_labels(post.args["blocks"])
    assert len(box.fake.calls_to("chat.postMessage")) == 1


async def test_a_channel_update_of_an_unknown_post_is_posted_and_then_edited(box: Box) -> None:
    await box.outbox.send([ChannelUpdate(key="borrel:8", to=TEAM, text=invitation(2), buttons=RSVP)])
    [post] = box.fake.calls_to("chat.postMessage")
    assert post.args["channel"] == "C1" and "2 joining" in post.args["text"]
    assert box.fake.calls_to("chat.update") == []
    await box.outbox.send([ChannelUpdate(key="borrel:8", to=TEAM, text=invitation(3), buttons=RSVP)])
    [update] = box.fake.calls_to("chat.update")
    assert update.args["ts"] == box.messages.posted[("slack", TEAM_ID, "borrel:8", "C1")].message_id


async def test_a_channel_update_of_a_deleted_post_posts_it_anew(box: Box) -> None:
    await box.outbox.send([ChannelPost(key="borrel:7", to=TEAM, text=invitation(0), buttons=RSVP)])
    box.fake.script("chat.update", Scripted(error="message_not_found"))
    await box.outbox.send([ChannelUpdate(key="borrel:7", to=TEAM, text=invitation(1), buttons=RSVP)])
    assert [call.method for call in box.fake.calls] == ["chat.postMessage", "chat.update", "chat.postMessage"]
    assert box.fake.calls[-1].args["channel"] == "C1"
    assert box.failures.failures == []


async def test_a_group_prompt_opens_one_group_dm_for_the_pair(box: Box) -> None:
    pair = GroupPrompt(
        key="coffee:3", to=(BRAM, ADA), text=Text.plain("You two are this week's coffee pair."), buttons=RSVP[:1]
    )
    await box.outbox.send([pair])
    [opened] = box.fake.calls_to("conversations.open")
    assert opened.args["users"] == "U1,U2"
    [post] = box.fake.calls_to("chat.postMessage")
    assert post.args["channel"] == "G12"
    assert post.args["text"] == "You two are this week's coffee pair."
    assert button_labels(post.args["blocks"]) == [("I'll join", '{"action":"borrel.rsvp","value":"7:yes"}')]
    # A later message with the same key replaces it in the group DM.
    await box.outbox.send([GroupPrompt(key="coffee:3", to=(ADA, BRAM), text=Text.plain("Met already? Nice."))])
    [update] = box.fake.calls_to("chat.update")
    posted = box.messages.posted[("slack", TEAM_ID, "coffee:3", "U1,U2")]
    assert (update.args["channel"], update.args["ts"]) == ("G12", posted.message_id)
    assert update.args["text"] == "Met already? Nice."
    assert len(box.fake.calls_to("conversations.open")) == 1


async def test_without_the_mpim_scope_each_member_gets_the_group_message_privately(box: Box) -> None:
    box.fake.script("conversations.open", Scripted(error="missing_scope"))
    await box.outbox.send(
        [GroupPrompt(key="coffee:3", to=(ADA, BRAM), text=Text.plain("Jullie zijn deze week het koffiestel."))]
    )
    posts = box.fake.calls_to("chat.postMessage")
    assert [post.args["channel"] for post in posts] == ["U1", "U2"]
    assert {post.args["text"] for post in posts} == {"Jullie zijn deze week het koffiestel."}
    assert box.failures.failures == []
    # A later message with the same key edits each member's DM rather than sending another.
    box.fake.script("conversations.open", Scripted(error="missing_scope"))
    await box.outbox.send([GroupPrompt(key="coffee:3", to=(ADA, BRAM), text=Text.plain("Al gesproken? Fijn!"))])
    updates = box.fake.calls_to("chat.update")
    assert [(call.args["channel"], call.args["ts"]) for call in updates] == [
        ("D1", box.messages.posted[("slack", TEAM_ID, "coffee:3", "U1")].message_id),
        ("D2", box.messages.posted[("slack", TEAM_ID, "coffee:3", "U2")].message_id),
    ]
    assert len(box.fake.calls_to("chat.postMessage")) == 2


async def test_a_member_out_of_reach_does_not_keep_the_group_message_from_the_other(box: Box) -> None:
    box.fake.script("conversations.open", Scripted(error="missing_scope"))
    box.fake.script("chat.postMessage", Scripted(error="user_not_found"))
    with pytest.raises(SlackRefused):
        await box.outbox.send([GroupPrompt(key="coffee:3", to=(ADA, BRAM), text=Text.plain("Coffee?"))])
    assert [call.args["channel"] for call in box.fake.calls_to("chat.postMessage", ok=True)] == ["U2"]
    [failure] = box.failures.failures
    assert (failure.kind, failure.recipient, failure.key) == ("group_prompt", "U1", "coffee:3")
    assert "user_not_found" in failure.error


async def test_a_failed_channel_update_is_recorded_as_such(box: Box) -> None:
    box.fake.script("chat.postMessage", Scripted(error="channel_not_found"))
    with pytest.raises(SlackRefused):
        await box.outbox.send([ChannelUpdate(key="borrel:7", to=TEAM, text=invitation(1), buttons=RSVP)])
    [failure] = box.failures.failures
    assert (failure.kind, failure.recipient) == ("channel_update", "C1")


async def test_a_click_on_a_channel_button_comes_back_from_whoever_pressed_it(rig: Rig) -> None:
    await rig.outbox.send([ChannelPost(key="borrel:7", to=TEAM, text=invitation(0), buttons=RSVP)])
    [post] = rig.fake.calls_to("chat.postMessage")
    pressed = post.args["blocks"][-1]["elements"][1]
    payload = block_actions(pressed["action_id"], pressed["value"], user_id="U2", trigger_id="1337.3.rsvp")
    payload["container"] = {"type": "message", "message_ts": "1700000001.000001", "channel_id": "C1"}
    payload["channel"] = {"id": "C1", "name": "team"}
    assert pressed["action_id"] == button_action_id(1)
    assert (await rig.sender.interaction(payload)).status == 200
    [event] = await rig.inbound.wait_finished()
    assert isinstance(event, ButtonClicked)
    assert (event.action, event.value) == ("borrel.rsvp", "7:maybe")
    assert (event.actor.user_id, event.actor.workspace_id) == ("U2", TEAM_ID)
    assert json.loads(pressed["value"]) == {"action": "borrel.rsvp", "value": "7:maybe"}
