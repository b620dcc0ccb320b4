"""The borrel's and coffee's messages on Teams: channel cards with buttons anyone may press (and their clicks coming
back through the real endpoint), a channel post replaced in place, and a group's message sent to each privately."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from microsoft_agents.hosting.core.authorization import AnonymousTokenProvider

from adapters.teams.client import BotConnectorClient, TeamsRefused
from adapters.teams.outbox import TeamsOutbox
from adapters.teams.protocol import BUTTON, DATA_KEY
from adapters.teams.references import ConversationRef
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
from storage.database import create_engine
from storage.failures import SqlFailureLog
from storage.messages import SqlMessageLog
from storage.teams_references import SqlConversationReferences
from tests.adapters.teams.activities import BRAM as BRAM_ID
from tests.adapters.teams.activities import CHANNEL_ID as ROSTER_CHANNEL_ID
from tests.adapters.teams.activities import TENANT_ID as APP_TENANT_ID
from tests.adapters.teams.activities import _base, channel, team_data
from tests.adapters.teams.conftest import Rig as AppRig
from tests.adapters.teams.fake_connector import BOT_ID, TENANT_ID, Call, FakeConnector, Scripted

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
CHANNEL_ID = "19:borrel@thread.tacv2"
ADA = MemberAddress(platform="teams", workspace_id=TENANT_ID, user_id="29:ada")
BRAM = MemberAddress(platform="teams", workspace_id=TENANT_ID, user_id="29:bram")
TEAM = ChannelAddress(platform="teams", workspace_id=TENANT_ID, channel_id=CHANNEL_ID)
RSVP = (
    Button(label="Ik doe mee", action="borrel.rsvp", value="7:yes"),
    Button(label="Misschien", action="borrel.rsvp", value="7:maybe"),
    Button(label="Deze keer niet", action="borrel.rsvp", value="7:no"),
)


def invitation(count: int) -> Text:
    return Text(
        (
            (Span(text="Borrel vrijdag om 16:00 — thema: "), Span(text="<at>everyone</at> **kaas**", user=True)),
            (Span(text=f"{count} doen mee"),),
        )
    )


class FixedClock:
    def now(self) -> datetime:
        return NOW


@dataclass
class Box:
    fake: FakeConnector
    outbox: TeamsOutbox
    messages: SqlMessageLog
    failures: SqlFailureLog

    def posts_to(self, conversation: str) -> list[Call]:
        return [call for call in self.fake.posted() if call.conversation_id == conversation]


@pytest.fixture
async def box(database_url: str) -> AsyncIterator[Box]:
    engine = create_engine(database_url)

    async def sleep(_seconds: float) -> None:
        await asyncio.sleep(0)

    try:
        async with FakeConnector() as fake, BotConnectorClient(AnonymousTokenProvider(), sleep=sleep) as client:
            refs = SqlConversationReferences(engine)
            await refs.remember(
                ConversationRef(
                    tenant_id=TENANT_ID,
                    conversation_id=CHANNEL_ID,
                    service_url=fake.url,
                    bot_id=BOT_ID,
                    kind="channel",
                    team_id=CHANNEL_ID,
                    team_name="Platform",
                    updated_at=NOW - timedelta(days=1),
                )
            )
            messages, failures = SqlMessageLog(engine), SqlFailureLog(engine)
            outbox = TeamsOutbox(client, refs, messages, clock=FixedClock(), failures=failures)
            yield Box(fake, outbox, messages, failures)
    finally:
        await engine.dispose()


def card_of(activity: dict[str, Any]) -> dict[str, Any]:
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    content: dict[str, Any] = attachment["content"]
    return content


def shown_text(card: dict[str, Any]) -> list[str]:
    return [block["text"] for block in card["body"] if block["type"] == "TextBlock"]


async def test_a_channel_post_with_buttons_is_a_card_anyone_in_the_channel_may_press(box: Box) -> None:
    await box.outbox.send([ChannelPost(key="borrel:7", to=TEAM, text=invitation(0), buttons=RSVP)])
    [post] = box.posts_to(CHANNEL_ID)
    card = card_of(post.body)
    assert [(action["type"], action["title"], action["data"]) for action in card["actions"]] == [
        ("Action.Submit", "Ik doe mee", {DATA_KEY: BUTTON, "action": "borrel.rsvp", "value": "7:yes"}),
        ("Action.Submit", "Misschien", {DATA_KEY: BUTTON, "action": "borrel.rsvp", "value": "7:maybe"}),
        ("Action.Submit", "Deze keer niet", {DATA_KEY: BUTTON, "action": "borrel.rsvp", "value": "7:no"}),
    ]
    # The theme a member typed is shown as typed: no mention tag, no bold.
    assert shown_text(card)[0] == "Borrel vrijdag om 16:00 — thema: &lt;at&gt;everyone&lt;/at&gt; \\*\\*kaas\\*\\*"


async def test_a_channel_post_without_buttons_stays_a_plain_message(box: Box) -> None:
    await box.outbox.send([ChannelPost(key="borrel:7", to=TEAM, text=Text.plain("Proost!"))])
    [post] = box.posts_to(CHANNEL_ID)
    assert post.body["text"] == "Proost!" and "attachments" not in post.body


async def test_a_channel_update_replaces_the_post_of_its_key(box: Box) -> None:
    await box.outbox.send([ChannelPost(key="borrel:7", to=TEAM, text=invitation(0), buttons=RSVP)])
    [post] = box.posts_to(CHANNEL_ID)
    await box.outbox.send([ChannelUpdate(key="borrel:7", to=TEAM, text=invitation(2), buttons=RSVP)])
    [update] = box.fake.calls_to("update", ok=True)
    assert (update.conversation_id, update.activity_id) == (CHANNEL_ID, post.answer["id"])
    shown = card_of(box.fake.activities[(CHANNEL_ID, post.answer["id"])])
    assert shown_text(shown)[-1] == "2 doen mee"
    assert [action["title"] for action in shown["actions"]] == ["Ik doe mee", "Misschien", "Deze keer niet"]
    assert len(box.fake.posted()) == 1


async def test_a_channel_update_of_an_unknown_or_deleted_post_posts_it_anew(box: Box) -> None:
    await box.outbox.send([ChannelUpdate(key="borrel:8", to=TEAM, text=invitation(1), buttons=RSVP)])
    [first] = box.posts_to(CHANNEL_ID)
    assert shown_text(card_of(first.body))[-1] == "1 doen mee"
    # Someone deleted it: the next count is posted again, and that post is the one replaced from then on.
    box.fake.activities.clear()
    await box.outbox.send([ChannelUpdate(key="borrel:8", to=TEAM, text=invitation(2), buttons=RSVP)])
    assert [call.status for call in box.fake.calls_to("update")] == [404]
    second = box.posts_to(CHANNEL_ID)[-1]
    assert second.answer["id"] != first.answer["id"]
    posted = await box.messages.find("teams", TENANT_ID, "borrel:8", CHANNEL_ID)
    assert posted is not None and posted.message_id == second.answer["id"]
    assert await box.failures.count("teams", TENANT_ID, NOW - timedelta(days=1)) == 0


async def test_a_group_prompt_reaches_each_member_privately(box: Box) -> None:
    pair = GroupPrompt(key="coffee:3", to=(ADA, BRAM), text=Text.plain("Jullie zijn deze week het koffiestel."))
    await box.outbox.send([pair])
    assert sorted(call.body["members"][0]["id"] for call in box.fake.calls_to("create")) == ["29:ada", "29:bram"]
    for chat in ("a:1ada", "a:1bram"):
        [post] = box.posts_to(chat)
        assert shown_text(card_of(post.body)) == ["Jullie zijn deze week het koffiestel."]
    # A later message with the same key replaces each member's copy.
    await box.outbox.send([GroupPrompt(key="coffee:3", to=(ADA, BRAM), text=Text.plain("Al gesproken? Fijn!"))])
    assert sorted(call.conversation_id for call in box.fake.calls_to("update", ok=True)) == ["a:1ada", "a:1bram"]
    assert len(box.fake.posted()) == 2


async def test_one_member_out_of_reach_still_leaves_the_other_their_message(box: Box) -> None:
    box.fake.script("send", Scripted(status=403, code="ConversationBlockedByUser"))
    with pytest.raises(TeamsRefused):
        await box.outbox.send([GroupPrompt(key="coffee:3", to=(ADA, BRAM), text=Text.plain("Koffie?"))])
    assert [call.conversation_id for call in box.fake.posted()] == ["a:1bram"]
    [failure] = await box.failures.recent("teams", TENANT_ID, NOW - timedelta(days=1))
    assert (failure.kind, failure.recipient, failure.key) == ("group_prompt", "29:ada", "coffee:3")


def channel_card_submit(value: dict[str, Any], *, activity_id: str, reply_to: str) -> dict[str, Any]:
    """Bram presses a button on a card Ritme posted in a team channel: a message in the post's thread, with `value`."""
    activity = _base(
        "message",
        activity_id,
        conversation=channel(ROSTER_CHANNEL_ID, thread=reply_to),
        user=BRAM_ID,
        name="Bram de Vries",
        locale="en-GB",
        zone="Europe/London",
    )
    activity.update(replyToId=reply_to, value=value, channelData=team_data())
    return activity


async def test_a_button_pressed_in_the_channel_comes_back_from_whoever_pressed_it(rig: AppRig) -> None:
    value = {DATA_KEY: BUTTON, "action": "borrel.rsvp", "value": "7:maybe"}
    response = await rig.sender.post(channel_card_submit(value, activity_id="1733320000001", reply_to="1733319999000"))
    assert response.status == 202
    # Ritme meets the channel here for the first time, so it also reads the channel's roster; the click is one event.
    events = await rig.inbound.wait_processed()
    [event] = [event for event in events if isinstance(event, ButtonClicked)]
    assert (event.action, event.value) == ("borrel.rsvp", "7:maybe")
    assert (event.actor.user_id, event.actor.workspace_id) == (BRAM_ID, APP_TENANT_ID)
