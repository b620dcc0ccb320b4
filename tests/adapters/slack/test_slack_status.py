"""A member's Slack status during a no-meeting window: set with THEIR user token when they granted one, else nothing.

The real SlackOutbox, MemberStatuses and installation store (on the test database) against the fake Web API.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest_asyncio
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.web.async_client import AsyncWebClient

from adapters.failures import MemoryFailureLog
from adapters.slack import InstalledUserTokens, MemberStatuses, RetryingTransport, SlackOutbox, slack_client
from rituals.outbound import ChannelAddress, ChannelPost, MemberAddress, StatusUpdate, Text
from storage.database import create_engine
from storage.slack_installations import SqlInstallationStore
from tests.adapters.slack.conftest import SleepRecorder
from tests.adapters.slack.fake_slack import FakeSlack, Scripted
from tests.adapters.slack.harness import TEAM_ID, ManualClock, MemoryMessageLog

BOT_TOKEN = "xoxb-test-token"
NOW = datetime(2026, 12, 9, 12, 0, tzinfo=UTC)
WINDOW_END = datetime(2026, 12, 9, 16, 0, tzinfo=UTC)
ADA = MemberAddress(platform="slack", workspace_id=TEAM_ID, user_id="U1")
BRAM = MemberAddress(platform="slack", workspace_id=TEAM_ID, user_id="U2")
TEAM = ChannelAddress(platform="slack", workspace_id=TEAM_ID, channel_id="C1")


def status(to: MemberAddress) -> StatusUpdate:
    return StatusUpdate(key="focus-status:7:2026-12-09", to=to, text="Focus afternoon — no meetings",
                        emoji=":no_bell:", until=WINDOW_END)


def grant(user_id: str, user_token: str | None, user_scopes: list[str]) -> Installation:
    return Installation(app_id="A1", team_id=TEAM_ID, bot_token=BOT_TOKEN, bot_id="BBOT", bot_user_id="UBOT",
                        bot_scopes=["commands", "chat:write"], user_id=user_id, user_token=user_token,
                        user_scopes=user_scopes, installed_at=NOW.timestamp())


@dataclass
class StatusRig:
    fake: FakeSlack
    outbox: SlackOutbox
    store: SqlInstallationStore
    failures: MemoryFailureLog


@pytest_asyncio.fixture
async def status_rig(fake_slack: FakeSlack, database_url: str) -> AsyncIterator[StatusRig]:
    engine = create_engine(database_url)
    clock = ManualClock(NOW)
    store = SqlInstallationStore(engine)
    failures = MemoryFailureLog()

    def transport(client: AsyncWebClient) -> RetryingTransport:
        return RetryingTransport(client, backoff_seconds=0.01, timeout_seconds=2.0, sleep=SleepRecorder())

    statuses = MemberStatuses(InstalledUserTokens(store, clock=clock), api_url=fake_slack.url, transport=transport)
    outbox = SlackOutbox(transport(slack_client(BOT_TOKEN, api_url=fake_slack.url)), MemoryMessageLog(), clock=clock,
                         failures=failures, statuses=statuses)
    try:
        yield StatusRig(fake_slack, outbox, store, failures)
    finally:
        await engine.dispose()


async def test_a_member_who_granted_it_gets_their_status_set_with_their_own_token(status_rig: StatusRig) -> None:
    await status_rig.store.async_save(grant("U1", "xoxp-ada-token", ["users.profile:write"]))

    await status_rig.outbox.send([status(ADA)])

    [call] = status_rig.fake.calls_to("users.profile.set")
    assert call.ok and call.token == "xoxp-ada-token"  # hers, not the bot's
    assert call.args["profile"] == {"status_text": "Focus afternoon — no meetings", "status_emoji": ":no_bell:",
                                    "status_expiration": int(WINDOW_END.timestamp())}
    assert status_rig.failures.failures == []


async def test_without_a_user_token_nothing_is_called_and_nothing_fails(status_rig: StatusRig) -> None:
    # Ada installed Ritme (bot only); Bram never went through the install link at all.
    await status_rig.store.async_save(grant("U1", None, []))
    reminder = ChannelPost(key="focus-reminder:7:2026-12-09", to=TEAM, text=Text.plain("Focus afternoon starts"))

    await status_rig.outbox.send([reminder, status(ADA), status(BRAM)])

    assert status_rig.fake.calls_to("users.profile.set") == []
    assert status_rig.failures.failures == []
    assert [call.args["text"] for call in status_rig.fake.posts()] == ["Focus afternoon starts"]


async def test_a_token_without_the_status_scope_is_not_used(status_rig: StatusRig) -> None:
    await status_rig.store.async_save(grant("U1", "xoxp-ada-token", ["users:read"]))

    await status_rig.outbox.send([status(ADA)])

    assert status_rig.fake.calls_to("users.profile.set") == []
    assert status_rig.failures.failures == []


async def test_a_revoked_grant_is_skipped_and_another_refusal_is_recorded_without_stopping_the_rest(
    status_rig: StatusRig,
) -> None:
    await status_rig.store.async_save(grant("U1", "xoxp-ada-token", ["users.profile:write"]))
    await status_rig.store.async_save(grant("U2", "xoxp-bram-token", ["users.profile:write"]))
    status_rig.fake.script("users.profile.set", Scripted(error="token_revoked"), Scripted(error="invalid_profile"))
    reminder = ChannelPost(key="r", to=TEAM, text=Text.plain("Focus afternoon starts"))

    await status_rig.outbox.send([status(ADA), status(BRAM), reminder])

    assert [call.token for call in status_rig.fake.calls_to("users.profile.set")] == [
        "xoxp-ada-token", "xoxp-bram-token"]
    [failure] = status_rig.failures.failures
    assert (failure.recipient, failure.kind) == ("U2", "status")
    assert "invalid_profile" in failure.error and "xoxp" not in failure.error
    assert [call.args["text"] for call in status_rig.fake.posts()] == ["Focus afternoon starts"]


async def test_without_member_statuses_a_status_is_dropped(fake_slack: FakeSlack) -> None:
    # One bot token, no OAuth installs: nobody can have granted a user token.
    outbox = SlackOutbox(RetryingTransport(slack_client(BOT_TOKEN, api_url=fake_slack.url)), MemoryMessageLog(),
                         clock=ManualClock(NOW))
    await outbox.send([status(ADA)])
    assert fake_slack.calls == []
