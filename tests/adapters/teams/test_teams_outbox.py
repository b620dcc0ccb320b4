"""The Teams outbox end to end: the engine's messages through the real client over HTTP to the fake connector, with
Ritme's own storage (references, message log, failure log) on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from microsoft_agents.hosting.core.authorization import AnonymousTokenProvider

from adapters.teams.client import BotConnectorClient, TeamsRefused, TeamsUnavailable
from adapters.teams.outbox import NoConversation, TeamsOutbox, UndeliverableMessage
from adapters.teams.protocol import ANSWER, DATA_KEY, FIELD_COUNT
from adapters.teams.references import ConversationRef
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
    Span,
    StatusUpdate,
    Text,
    ThreadReply,
    Update,
)
from storage.database import create_engine
from storage.failures import SqlFailureLog
from storage.messages import SqlMessageLog
from storage.teams_references import SqlConversationReferences
from tests.adapters.teams.fake_connector import BOT_ID, TENANT_ID, Call, FakeConnector, Scripted

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CHANNEL_ID = "19:standup@thread.tacv2"
ADA = MemberAddress(platform="teams", workspace_id=TENANT_ID, user_id="29:ada")
BRAM = MemberAddress(platform="teams", workspace_id=TENANT_ID, user_id="29:bram")
TEAM = ChannelAddress(platform="teams", workspace_id=TENANT_ID, channel_id=CHANNEL_ID)


class FixedClock:
    def now(self) -> datetime:
        return NOW


@dataclass
class Rig:
    """Everything one outbox test drives or inspects."""

    fake: FakeConnector
    outbox: TeamsOutbox
    refs: SqlConversationReferences
    messages: SqlMessageLog
    failures: SqlFailureLog
    waits: list[float] = field(default_factory=list)

    def posts_to(self, conversation: str) -> list[Call]:
        return [call for call in self.fake.posted() if call.conversation_id == conversation]


@pytest.fixture
async def rig(database_url: str) -> AsyncIterator[Rig]:
    engine = create_engine(database_url)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.sleep(0)

    try:
        async with FakeConnector() as fake, BotConnectorClient(AnonymousTokenProvider(), sleep=sleep) as client:
            refs = SqlConversationReferences(engine)
            # Ritme was installed in the team: the channel's reference was stored from the installationUpdate.
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
            yield Rig(fake, outbox, refs, messages, failures, waits)
    finally:
        await engine.dispose()


def form(to: MemberAddress = ADA, delivery_id: int = 7) -> Form:
    return Form(
        key=f"standup-form:{delivery_id}",
        to=to,
        text=Text.plain("Stand-up voor Platform — wat heb je gisteren gedaan?"),
        delivery_id=delivery_id,
        fields=(Field(label="Gisteren"), Field(label="Vandaag")),
        submit_label="Versturen",
        open_label="Antwoorden",
    )


async def test_a_form_opens_the_members_personal_chat_and_is_remembered(rig: Rig) -> None:
    await rig.outbox.send([form()])
    [create] = rig.fake.calls_to("create")
    assert create.body["members"] == [{"id": "29:ada"}] and create.body["bot"] == {"id": BOT_ID}
    chat = await rig.refs.personal(TENANT_ID, "29:ada")
    assert chat is not None and chat.conversation_id == "a:1ada" and chat.service_url == rig.fake.url
    [post] = rig.posts_to("a:1ada")
    card = post.body["attachments"][0]["content"]
    assert card["body"][0]["text"] == "Stand-up voor Platform — wat heb je gisteren gedaan?"  # Dutch as it is
    assert card["actions"][0]["data"] == {DATA_KEY: ANSWER, "delivery": 7, FIELD_COUNT: 2}
    posted = await rig.messages.find("teams", TENANT_ID, "standup-form:7", "29:ada")
    assert posted is not None
    assert (posted.conversation_id, posted.message_id) == ("a:1ada", post.answer["id"])

    await rig.outbox.send([form(delivery_id=8)])
    assert len(rig.fake.calls_to("create")) == 1  # the chat is known now
    assert len(rig.posts_to("a:1ada")) == 2


async def test_thanks_answered_replaces_the_form_card(rig: Rig) -> None:
    await rig.outbox.send([form()])
    [post] = rig.posts_to("a:1ada")
    thanks = Update(key="standup-form:7", to=ADA, text=Text.plain("Bedankt, je antwoord is binnen."))
    await rig.outbox.send([thanks])
    [update] = rig.fake.calls_to("update", ok=True)
    assert (update.conversation_id, update.activity_id) == ("a:1ada", post.answer["id"])
    shown = rig.fake.activities[("a:1ada", post.answer["id"])]
    assert shown["attachments"][0]["content"]["body"] == [
        {"type": "TextBlock", "text": "Bedankt, je antwoord is binnen.", "wrap": True}
    ]
    assert len(rig.fake.posted()) == 1  # replaced, not sent again


async def test_an_update_of_a_message_that_is_gone_is_sent_anew(rig: Rig) -> None:
    await rig.outbox.send([form()])
    rig.fake.activities.clear()  # the member deleted the chat's history
    await rig.outbox.send([Update(key="standup-form:7", to=ADA, text=Text.plain("Reminder"))])
    assert [call.status for call in rig.fake.calls_to("update")] == [404]
    latest = rig.posts_to("a:1ada")[-1]
    posted = await rig.messages.find("teams", TENANT_ID, "standup-form:7", "29:ada")
    assert posted is not None and posted.message_id == latest.answer["id"]
    assert await rig.failures.count("teams", TENANT_ID, NOW - timedelta(days=1)) == 0


async def test_the_digest_goes_to_the_channel_and_a_late_answer_into_its_thread(rig: Rig) -> None:
    digest = ChannelPost(key="digest:3", to=TEAM, text=Text.plain("Stand-up digest"))
    late = ThreadReply(
        key="late:3:ada",
        to=TEAM,
        thread_key="digest:3",
        text=Text(((Span(text="Ada (late): ", bold=True), Span(text="<at>everyone</at> done", user=True)),)),
    )
    await rig.outbox.send([digest, late])
    [root, reply] = rig.fake.posted()
    assert (root.operation, root.conversation_id) == ("send", CHANNEL_ID)
    assert (reply.operation, reply.conversation_id) == ("reply", f"{CHANNEL_ID};messageid={root.answer['id']}")
    assert reply.body["text"] == "**Ada (late):** &lt;at&gt;everyone&lt;/at&gt; done"
    remembered = await rig.messages.find("teams", TENANT_ID, "late:3:ada", CHANNEL_ID)
    assert remembered is not None and remembered.message_id == reply.answer["id"]


async def test_a_thread_reply_without_a_known_digest_still_reaches_the_channel(rig: Rig) -> None:
    await rig.outbox.send([ThreadReply(to=TEAM, thread_key="digest:old", text=Text.plain("late"))])
    [post] = rig.fake.posted()
    assert (post.operation, post.conversation_id) == ("send", CHANNEL_ID)


async def test_a_commands_reply_goes_to_the_personal_chat_unless_its_thread_is_offered(rig: Rig) -> None:
    reply = Prompt(to=ADA, text=Text.plain("Usage: standup add ..."), context=TEAM)
    await rig.outbox.send([reply])
    assert [call.conversation_id for call in rig.fake.posted()] == ["a:1ada"]

    rig.outbox.reply_in_thread(TENANT_ID, "29:ada", f"{CHANNEL_ID};messageid=1700000000999", "1700000000999")
    await rig.outbox.send([reply])
    await rig.outbox.send([Prompt(to=BRAM, text=Text.plain("for Bram"), context=TEAM)])  # not his thread
    threaded = rig.fake.posted()[1]
    assert threaded.conversation_id == f"{CHANNEL_ID};messageid=1700000000999"
    assert rig.fake.posted()[2].conversation_id == "a:1bram"

    rig.outbox.withdraw_thread(TENANT_ID, "29:ada", CHANNEL_ID)
    await rig.outbox.send([reply])
    assert rig.fake.posted()[-1].conversation_id == "a:1ada"


async def test_a_prompt_with_buttons_is_a_card_in_the_personal_chat(rig: Rig) -> None:
    await rig.outbox.send(
        [Prompt(to=ADA, text=Text.plain("Skip?"), buttons=(Button(label="Skip", action="skip", value="7"),))]
    )
    [post] = rig.fake.posted()
    assert post.body["attachments"][0]["content"]["actions"][0]["data"]["action"] == "skip"


async def test_a_refused_message_is_recorded_and_raised_and_the_rest_of_the_batch_waits(rig: Rig) -> None:
    rig.fake.script("send", Scripted(status=403, code="ConversationBlockedByUser"))
    with pytest.raises(TeamsRefused):
        await rig.outbox.send([form(), form(to=BRAM, delivery_id=8)])
    [failure] = await rig.failures.recent("teams", TENANT_ID, NOW - timedelta(hours=1))
    assert (failure.recipient, failure.kind, failure.key, failure.failed_at) == (
        "29:ada",
        "form",
        "standup-form:7",
        NOW,
    )
    assert failure.error == "send refused: HTTP 403 ConversationBlockedByUser"
    assert rig.fake.calls_to("send", ok=True) == []  # Bram's form was not sent after Ada's failed


async def test_a_message_that_keeps_failing_is_recorded_after_the_retries(rig: Rig) -> None:
    rig.fake.script("send", *[Scripted(status=502)] * 4)
    with pytest.raises(TeamsUnavailable):
        await rig.outbox.send([ChannelPost(key="digest:4", to=TEAM, text=Text.plain("digest"))])
    assert len(rig.fake.calls_to("send")) == 4 and len(rig.waits) == 3
    [failure] = await rig.failures.recent("teams", TENANT_ID, NOW - timedelta(hours=1))
    assert (failure.recipient, failure.kind, failure.error) == (
        CHANNEL_ID,
        "channel_post",
        "send failed after 4 attempts: HTTP 502",
    )


async def test_a_rate_limited_prompt_is_sent_once_and_not_recorded(rig: Rig) -> None:
    rig.fake.script("create", Scripted(status=429, retry_after="1"))
    rig.fake.script("send", Scripted(status=429, retry_after="1"))
    await rig.outbox.send([form()])
    assert len(rig.fake.posted()) == 1 and rig.waits == [1.0, 1.0]
    assert await rig.failures.count("teams", TENANT_ID, NOW - timedelta(hours=1)) == 0


async def test_nowhere_to_go_is_recorded_as_a_failure(rig: Rig) -> None:
    stranger = MemberAddress(platform="teams", workspace_id="tenant-unknown", user_id="29:cas")
    with pytest.raises(NoConversation):
        await rig.outbox.send([Prompt(key="hello", to=stranger, text=Text.plain("hi"))])
    other_team = ChannelAddress(platform="teams", workspace_id=TENANT_ID, channel_id="19:other@thread.tacv2")
    with pytest.raises(NoConversation):
        await rig.outbox.send([ChannelPost(to=other_team, text=Text.plain("digest"))])
    assert rig.fake.calls == []
    [unknown] = await rig.failures.recent("teams", "tenant-unknown", NOW)
    assert (unknown.kind, unknown.recipient, unknown.key) == ("prompt", "29:cas", "hello")
    assert "no Teams conversation known in tenant tenant-unknown" in unknown.error
    assert await rig.failures.count("teams", TENANT_ID, NOW) == 1


async def test_a_home_view_or_another_platforms_message_is_refused_before_anything_is_sent(rig: Rig) -> None:
    home = HomeView(to=ADA, sections=(Section(title="Ritme", text=Text.plain("overview")),))
    with pytest.raises(TypeError, match="HomeView"):
        await rig.outbox.send([form(), home])
    slack = MemberAddress(platform="slack", workspace_id="T1", user_id="U1")
    with pytest.raises(UndeliverableMessage, match="slack"):
        await rig.outbox.send([Prompt(to=slack, text=Text.plain("hi"))])
    assert rig.fake.calls == []


async def test_a_status_is_accepted_and_dropped_as_teams_has_none_a_bot_may_set(rig: Rig) -> None:
    status = StatusUpdate(key="focus-status:7:2026-12-09", to=ADA, text="Focus afternoon — no meetings",
                          emoji=":no_bell:", until=NOW + timedelta(hours=4))
    await rig.outbox.send([status, Prompt(key="hello", to=ADA, text=Text.plain("hi"))])
    [post] = rig.fake.posted()
    assert "hi" in str(post.body)  # the prompt after it still went out
    assert await rig.failures.count("teams", TENANT_ID, NOW) == 0
