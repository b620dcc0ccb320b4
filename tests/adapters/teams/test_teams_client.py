"""The Bot Connector client over real HTTP to the fake connector: the calls it makes, its retries and refusals,
and the tokens it sends (the SDK's anonymous provider, or a token source standing in for Entra ID)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from microsoft_agents.authentication.msal import MsalAuth
from microsoft_agents.hosting.core.authorization import AnonymousTokenProvider

from adapters.teams.client import (
    BOT_FRAMEWORK_RESOURCE,
    BOT_FRAMEWORK_SCOPE,
    BotConnectorClient,
    TeamsRefused,
    TeamsUnavailable,
    token_provider,
)
from adapters.teams.references import ConversationRef
from tests.adapters.teams.fake_connector import BOT_ID, TENANT_ID, FakeConnector, Scripted

MESSAGE = {"type": "message", "textFormat": "markdown", "text": "Time for the stand-up"}


@dataclass
class SleepRecorder:
    """Stands in for asyncio.sleep in the client: remembers each wait and yields without waiting."""

    waits: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


@dataclass
class EntraTokens:
    """Stands in for Entra ID behind the SDK's MsalAuth: a new token each time a fresh one is asked for."""

    issued: int = 1
    asked: list[tuple[str, tuple[str, ...], bool]] = field(default_factory=list)

    async def get_access_token(self, resource_url: str, scopes: list[str], force_refresh: bool = False) -> str:
        self.asked.append((resource_url, tuple(scopes), force_refresh))
        if force_refresh:
            self.issued += 1
        return f"token-{self.issued}"


@pytest.fixture
async def fake() -> AsyncIterator[FakeConnector]:
    async with FakeConnector() as connector:
        yield connector


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
async def client(sleeps: SleepRecorder) -> AsyncIterator[BotConnectorClient]:
    async with BotConnectorClient(AnonymousTokenProvider(), sleep=sleeps, jitter=lambda: 0.5) as connector:
        yield connector


def personal(fake: FakeConnector, user: str = "ada") -> ConversationRef:
    return ConversationRef(
        tenant_id=TENANT_ID,
        conversation_id=f"a:1{user}",
        service_url=fake.url,
        bot_id=BOT_ID,
        kind="personal",
        user_id=f"29:{user}",
        updated_at=datetime(2026, 11, 23, tzinfo=UTC),
    )


def channel(fake: FakeConnector) -> ConversationRef:
    return ConversationRef(
        tenant_id=TENANT_ID,
        conversation_id="19:standup@thread.tacv2",
        service_url=fake.url.rstrip("/"),  # Teams' service URLs come with and without the slash
        bot_id=BOT_ID,
        kind="channel",
        team_id="19:general@thread.tacv2",
        updated_at=datetime(2026, 11, 23, tzinfo=UTC),
    )


async def test_a_send_posts_the_activity_and_returns_the_new_id(
    fake: FakeConnector, client: BotConnectorClient
) -> None:
    activity_id = await client.send(personal(fake), MESSAGE)
    [call] = fake.calls
    assert (call.operation, call.method, call.conversation_id, call.status) == ("send", "POST", "a:1ada", 201)
    assert call.body == MESSAGE
    assert call.answer == {"id": activity_id}
    assert call.token is None  # anonymous: no Authorization header at all


async def test_429_with_retry_after_then_success_sends_exactly_once(
    fake: FakeConnector, client: BotConnectorClient, sleeps: SleepRecorder
) -> None:
    fake.script("send", Scripted(status=429, retry_after="2"))
    activity_id = await client.send(personal(fake), MESSAGE)
    assert [call.status for call in fake.calls] == [429, 201]
    assert fake.posted()[0].answer["id"] == activity_id
    assert len(fake.posted()) == 1
    assert sleeps.waits == [2.0]  # exactly as long as Teams asked


async def test_429_with_an_http_date_or_no_retry_after_still_waits(
    fake: FakeConnector, client: BotConnectorClient, sleeps: SleepRecorder
) -> None:
    fake.script("send", Scripted(status=429, retry_after="Wed, 21 Oct 2015 07:28:00 GMT"), Scripted(status=429))
    await client.send(personal(fake), MESSAGE)
    assert len(fake.posted()) == 1
    assert sleeps.waits[0] == 0.0  # a date in the past: go at once
    assert sleeps.waits[1] > 0  # none given: back off


@pytest.mark.parametrize("status", [412, 502, 503, 504])
async def test_transient_failures_are_retried_with_backoff(
    fake: FakeConnector, client: BotConnectorClient, sleeps: SleepRecorder, status: int
) -> None:
    fake.script("send", Scripted(status=status), Scripted(status=status))
    await client.send(personal(fake), MESSAGE)
    assert [call.status for call in fake.calls] == [status, status, 201]
    assert sleeps.waits == [0.5, 1.0]  # 0.5 s doubling, times a jitter of 0.5 + 0.5


async def test_a_hanging_call_times_out_and_is_retried(fake: FakeConnector, sleeps: SleepRecorder) -> None:
    fake.script("send", Scripted(hang=True))
    async with BotConnectorClient(AnonymousTokenProvider(), timeout_seconds=0.2, sleep=sleeps) as client:
        activity_id = await client.send(personal(fake), MESSAGE)
    assert fake.hung.is_set()
    assert [call.answer["id"] for call in fake.posted()] == [activity_id]
    assert len(sleeps.waits) == 1


async def test_a_refusal_is_raised_at_once_with_teams_error_code(
    fake: FakeConnector, client: BotConnectorClient, sleeps: SleepRecorder
) -> None:
    fake.script("send", Scripted(status=403, code="BotNotInConversationRoster"))
    with pytest.raises(TeamsRefused) as refused:
        await client.send(personal(fake), MESSAGE)
    assert (refused.value.status, refused.value.code) == (403, "BotNotInConversationRoster")
    assert str(refused.value) == "send refused: HTTP 403 BotNotInConversationRoster"
    assert len(fake.calls) == 1 and sleeps.waits == []


async def test_a_500_is_not_retried_as_the_post_may_have_been_made(
    fake: FakeConnector, client: BotConnectorClient
) -> None:
    fake.script("send", Scripted(status=500))
    with pytest.raises(TeamsRefused):
        await client.send(personal(fake), MESSAGE)
    assert len(fake.calls) == 1


async def test_after_every_retry_the_call_is_unavailable(
    fake: FakeConnector, client: BotConnectorClient, sleeps: SleepRecorder
) -> None:
    fake.script("send", *[Scripted(status=503)] * 4)
    with pytest.raises(TeamsUnavailable, match=r"send failed after 4 attempts: HTTP 503"):
        await client.send(personal(fake), MESSAGE)
    assert len(fake.calls) == 4 and fake.posted() == []


async def test_rate_limits_that_never_end_make_the_call_unavailable(
    fake: FakeConnector, client: BotConnectorClient, sleeps: SleepRecorder
) -> None:
    fake.script("send", *[Scripted(status=429, retry_after="1")] * 6)
    with pytest.raises(TeamsUnavailable, match="still rate limited"):
        await client.send(personal(fake), MESSAGE)
    assert len(fake.calls) == 6 and sleeps.waits == [1.0] * 5


async def test_a_channel_thread_reply_goes_to_the_threads_own_conversation(
    fake: FakeConnector, client: BotConnectorClient
) -> None:
    root = await client.send(channel(fake), MESSAGE)
    reply = await client.send(channel(fake), {"type": "message", "text": "late"}, reply_to=root)
    call = fake.calls[-1]
    assert (call.operation, call.conversation_id, call.activity_id) == (
        "reply",
        f"19:standup@thread.tacv2;messageid={root}",
        "",
    )
    assert call.body["replyToId"] == root
    assert (f"19:standup@thread.tacv2;messageid={root}", reply) in fake.activities


async def test_a_reply_in_a_personal_chat_replies_to_the_activity(
    fake: FakeConnector, client: BotConnectorClient
) -> None:
    first = await client.send(personal(fake), MESSAGE)
    await client.send(personal(fake), MESSAGE, reply_to=first)
    call = fake.calls[-1]
    assert (call.operation, call.conversation_id, call.activity_id) == ("reply", "a:1ada", first)


async def test_an_update_replaces_the_activity_and_an_unknown_one_is_refused(
    fake: FakeConnector, client: BotConnectorClient
) -> None:
    activity_id = await client.send(personal(fake), MESSAGE)
    thanks = {"type": "message", "text": "Thanks, answered"}
    await client.update(personal(fake), activity_id, thanks)
    assert fake.activities[("a:1ada", activity_id)] == {**thanks, "id": activity_id}
    assert fake.calls[-1].method == "PUT"
    with pytest.raises(TeamsRefused) as refused:
        await client.update(personal(fake), "1999", thanks)
    assert refused.value.status == 404


async def test_a_personal_chat_is_created_with_bot_member_and_tenant(
    fake: FakeConnector, client: BotConnectorClient
) -> None:
    ref = await client.create_personal(TENANT_ID, fake.url, BOT_ID, "29:bram")
    [call] = fake.calls
    assert call.operation == "create"
    assert call.body == {
        "isGroup": False,
        "bot": {"id": BOT_ID},
        "members": [{"id": "29:bram"}],
        "tenantId": TENANT_ID,
        "channelData": {"tenant": {"id": TENANT_ID}},
    }
    assert (ref.conversation_id, ref.kind, ref.user_id, ref.service_url, ref.bot_id) == (
        "a:1bram",
        "personal",
        "29:bram",
        fake.url,
        BOT_ID,
    )
    assert ref.updated_at.tzinfo is not None


async def test_a_teams_roster_is_read_page_by_page(fake: FakeConnector, client: BotConnectorClient) -> None:
    fake.rosters["19:general@thread.tacv2"] = [
        {"id": f"29:m{n}", "name": f"Member {n}", "aadObjectId": f"aad-{n}"} for n in range(1_201)
    ]
    members = await client.members(channel(fake))
    assert len(members) == 1_201
    assert (members[0].user_id, members[0].name, members[0].aad_object_id) == ("29:m0", "Member 0", "aad-0")
    assert [call.body.get("continuationToken") for call in fake.calls_to("members")] == [None, "500", "1000"]


async def test_a_token_is_sent_as_bearer_and_refreshed_once_after_a_401(fake: FakeConnector) -> None:
    tokens = EntraTokens()
    fake.script("send", Scripted(status=401))
    async with BotConnectorClient(tokens) as client:
        await client.send(personal(fake), MESSAGE)
    assert [call.token for call in fake.calls] == ["token-1", "token-2"]
    assert tokens.asked == [
        (BOT_FRAMEWORK_RESOURCE, (BOT_FRAMEWORK_SCOPE,), False),
        (BOT_FRAMEWORK_RESOURCE, (BOT_FRAMEWORK_SCOPE,), True),
    ]


async def test_a_token_never_goes_to_a_plain_http_service_url_elsewhere() -> None:
    ref = ConversationRef(
        tenant_id=TENANT_ID,
        conversation_id="a:1ada",
        service_url="http://smba.example.invalid/emea/",
        bot_id=BOT_ID,
        kind="personal",
        updated_at=datetime(2026, 11, 23, tzinfo=UTC),
    )
    async with BotConnectorClient(EntraTokens()) as client:
        with pytest.raises(TeamsRefused, match="refusing to send a token over http"):
            await client.send(ref, MESSAGE)


def test_the_token_provider_is_the_sdks_msal_for_an_app_and_anonymous_without() -> None:
    assert isinstance(token_provider(None, None), AnonymousTokenProvider)
    msal = token_provider("app-id", "secret", None)
    assert isinstance(msal, MsalAuth)
    assert (msal.configuration.CLIENT_ID, msal.configuration.TENANT_ID) == ("app-id", "botframework.com")
    single = token_provider("app-id", "secret", "tenant-guid")
    assert single.configuration.TENANT_ID == "tenant-guid"
    with pytest.raises(ValueError, match="client secret"):
        token_provider("app-id", None)
