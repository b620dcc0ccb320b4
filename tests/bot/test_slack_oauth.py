"""Installing Ritme into several Slack workspaces over OAuth: the real app over HTTP, a fake Slack Web API.

Two workspaces install through /slack/install and /slack/oauth_redirect; each is then answered with its own bot
token, and neither sees the other's teams or stand-ups. A state used twice, or too late, installs nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import aiohttp
import pytest

from bot.settings import Settings
from bot.wiring import Ritme, assemble, serving
from storage.database import create_engine
from storage.failures import SqlFailureLog
from storage.slack_installations import SqlInstallationStore
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import SIGNING_SECRET, SlackSender, member_joined
from tests.rituals.harness import FakeClock

START = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
CLIENT_ID = "1111.2222"
TOKENS = {"T1": "xoxb-T1-bot-token", "T2": "xoxb-T2-bot-token"}


@dataclass(frozen=True)
class Reply:
    tokens: set[str | None]
    text: str


@dataclass
class OAuthRig:
    ritme: Ritme
    fake: FakeSlack
    clock: FakeClock
    url: str
    session: aiohttp.ClientSession
    slack: SlackSender
    database_url: str

    async def start_install(self) -> str:
        """GET /slack/install: the state Ritme sends the installer to Slack with."""
        response = await self.session.get(f"{self.url}/slack/install", allow_redirects=False)
        assert response.status == 302
        location = urlparse(response.headers["Location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == "https://slack.com/oauth/v2/authorize"
        query = parse_qs(location.query)
        # Bolt ties the state to the installer's browser with a Secure cookie, which aiohttp keeps only for HTTPS.
        cookie = response.cookies["slack-app-oauth-state"]
        assert cookie.value == query["state"][0] and cookie["secure"] and cookie["httponly"]
        assert query["client_id"] == [CLIENT_ID]
        assert set(query["scope"][0].split(",")) >= {"commands", "chat:write", "users:read"}
        return query["state"][0]

    async def finish_install(self, code: str, state: str) -> int:
        """GET /slack/oauth_redirect as Slack sends the installer back; the response status."""
        response = await self.session.get(
            f"{self.url}/slack/oauth_redirect",
            params={"code": code, "state": state},
            headers={"Cookie": f"slack-app-oauth-state={state}"},
            allow_redirects=False,
        )
        return response.status

    async def install(self, team_id: str) -> None:
        self.fake.oauth_codes[f"code-{team_id}"] = {"team_id": team_id, "token": TOKENS[team_id]}
        assert await self.finish_install(f"code-{team_id}", await self.start_install()) == 200

    async def bot_token(self, team_id: str) -> str | None:
        engine = create_engine(self.database_url)
        try:
            bot = await SqlInstallationStore(engine).async_find_bot(enterprise_id=None, team_id=team_id)
        finally:
            await engine.dispose()
        return bot.bot_token if bot is not None else None

    async def reply_to(self, text: str, team_id: str, *, expect: str) -> Reply:
        """Run `/ritme <text>` in #team of a workspace; the ephemeral replies Ritme posts, once `expect` is in them."""
        before = len(self.fake.calls_to("chat.postEphemeral", ok=True))
        assert (await self.slack.command(text, team_id=team_id, user_id="U1")).status == 200
        for _ in range(250):
            replies = self.fake.calls_to("chat.postEphemeral", ok=True)[before:]
            reply = Reply({call.token for call in replies}, "\n".join(call.args["text"] for call in replies))
            if expect in reply.text:
                return reply
            await asyncio.sleep(0.02)
        raise AssertionError(f"no reply to {text!r} in {team_id}: {[c.method for c in self.fake.calls]}")


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[OAuthRig]:
    async with FakeSlack() as fake:
        fake.profiles["U1"] = {"id": "U1", "name": "ada", "tz": "Europe/Amsterdam", "locale": "en-GB"}
        database_url = f"sqlite+aiosqlite:///{tmp_path}/ritme.db"
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            database_url=database_url,
            port=0,
            slack_client_id=CLIENT_ID,
            slack_client_secret="client-secret",
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake.url,
        )
        clock = FakeClock(START)
        async with assemble(settings, clock) as ritme, serving(ritme, with_timer=False) as url:
            async with aiohttp.ClientSession() as session:
                yield OAuthRig(
                    ritme, fake, clock, url, session, SlackSender(session, f"{url}/slack/events"), database_url
                )


async def test_two_workspaces_install_and_never_mix(rig: OAuthRig, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="aiosqlite")  # as `ritme` sets it: the driver logs statements' parameters
    await rig.install("T1")
    await rig.install("T2")
    assert await rig.bot_token("T1") == TOKENS["T1"]
    assert await rig.bot_token("T2") == TOKENS["T2"]
    assert [call.args.get("code") for call in rig.fake.calls_to("oauth.v2.access", ok=True)] == ["code-T1", "code-T2"]

    created = await rig.reply_to("standup create at 08:15 on mon-fri", "T1", expect="Stand-up 1")
    assert created.tokens == {TOKENS["T1"]} and "Stand-up 1" in created.text
    listed = await rig.reply_to("standup list", "T1", expect="Stand-ups of #team")
    assert listed.tokens == {TOKENS["T1"]} and "08:15" in listed.text

    # The same channel and member ids in another workspace are another team, answered with that workspace's bot.
    other = await rig.reply_to("standup list", "T2", expect="#team")
    assert other.tokens == {TOKENS["T2"]}
    assert "no stand-ups yet" in other.text and "08:15" not in other.text
    assert await rig.ritme.store.find_team("slack", "T1", "C1") is not None
    t2_team = await rig.ritme.store.find_team("slack", "T2", "C1")
    assert t2_team is None or t2_team.id != (await rig.ritme.store.find_team("slack", "T1", "C1")).id  # type: ignore[union-attr]

    # Every call after an install went out with the token of the workspace it was about.
    for call in rig.fake.calls:
        if call.method in ("chat.postEphemeral", "users.info", "auth.test"):
            assert call.token in TOKENS.values()
    assert {c.token for c in rig.fake.calls_to("users.info")} == set(TOKENS.values())
    assert not any(token in caplog.text for token in TOKENS.values())


async def test_a_state_works_once(rig: OAuthRig) -> None:
    state = await rig.start_install()
    rig.fake.oauth_codes["code-T1"] = {"team_id": "T1", "token": TOKENS["T1"]}
    rig.fake.oauth_codes["code-T2"] = {"team_id": "T2", "token": TOKENS["T2"]}
    assert await rig.finish_install("code-T1", state) == 200
    assert await rig.finish_install("code-T2", state) != 200
    assert await rig.bot_token("T2") is None
    assert [call.args.get("code") for call in rig.fake.calls_to("oauth.v2.access")] == ["code-T1"]


async def test_an_expired_state_installs_nothing(rig: OAuthRig) -> None:
    state = await rig.start_install()
    rig.fake.oauth_codes["code-T1"] = {"team_id": "T1", "token": TOKENS["T1"]}
    rig.clock.set(START + timedelta(minutes=11))
    assert await rig.finish_install("code-T1", state) != 200
    assert await rig.bot_token("T1") is None
    assert rig.fake.calls_to("oauth.v2.access") == []


async def test_a_workspace_that_never_installed_gets_nothing(rig: OAuthRig) -> None:
    # Bolt finds no bot for T9 and tells the member through the command's response_url (unreachable here).
    await rig.slack.command("standup create at 08:15 on mon-fri", team_id="T9", user_id="U1")
    await asyncio.sleep(0.1)
    assert [call.method for call in rig.fake.calls] == []
    assert await rig.ritme.store.find_team("slack", "T9", "C1") is None


async def test_a_member_grants_their_status_through_the_install_link(rig: OAuthRig) -> None:
    await rig.install("T1")
    response = await rig.session.get(f"{rig.url}/slack/install", allow_redirects=False)
    query = parse_qs(urlparse(response.headers["Location"]).query)
    assert query["user_scope"] == ["users.profile:write"]  # asked of whoever goes through the link, for themselves

    # Bram goes through the same link and approves: the workspace keeps its bot, and Bram's grant is his alone.
    rig.fake.oauth_codes["code-bram"] = {"team_id": "T1", "token": TOKENS["T1"], "installer": "U2",
                                         "user_token": "xoxp-bram-token"}
    assert await rig.finish_install("code-bram", await rig.start_install()) == 200

    engine = create_engine(rig.database_url)
    try:
        store = SqlInstallationStore(engine)
        bram = await store.async_find_installation(enterprise_id=None, team_id="T1", user_id="U2")
        ada = await store.async_find_installation(enterprise_id=None, team_id="T1", user_id="U1")
    finally:
        await engine.dispose()
    assert bram is not None and bram.user_token == "xoxp-bram-token"
    assert bram.user_scopes == ["users.profile:write"] and bram.bot_token == TOKENS["T1"]
    assert ada is None  # Ada installed the bot, granted nothing, and is no longer the last to install it
    assert await rig.bot_token("T1") == TOKENS["T1"]


async def test_a_focus_window_sets_the_status_of_the_member_who_granted_it_and_of_nobody_else(rig: OAuthRig) -> None:
    rig.fake.profiles["U2"] = {"id": "U2", "name": "bram", "tz": "Europe/Amsterdam", "locale": "en-GB"}
    await rig.install("T1")  # by Ada, bot only
    rig.fake.oauth_codes["code-bram"] = {"team_id": "T1", "token": TOKENS["T1"], "installer": "U2",
                                         "user_token": "xoxp-bram-token"}
    assert await rig.finish_install("code-bram", await rig.start_install()) == 200
    await rig.reply_to('focus add mon 13:00-17:00 "focus afternoon"', "T1", expect="No-meeting window #1")
    assert (await rig.slack.event(member_joined("Ev1", user_id="U2"))).status == 200
    team = await rig.ritme.store.find_team("slack", "T1", "C1")
    assert team is not None
    for _ in range(500):
        if {m.user_id for m in await rig.ritme.store.team_members(team.id)} == {"U1", "U2"}:
            break
        await asyncio.sleep(0.02)
    else:
        raise AssertionError(f"Bram never joined #team: {[c.method for c in rig.fake.calls]}")

    rig.clock.set(START.replace(hour=12))  # Monday 13:00 in Amsterdam
    await rig.ritme.dispatcher.tick()
    # The tick that sends may also be the one the join's handling runs once it is done (the engine claims a window's
    # start once), so the status is awaited rather than expected the moment this tick returns.
    for _ in range(250):
        if rig.fake.calls_to("users.profile.set"):
            break
        await asyncio.sleep(0.02)

    statuses = rig.fake.calls_to("users.profile.set")
    assert len(statuses) == 1, [(c.method, c.ok, c.args) for c in rig.fake.calls]
    [status] = statuses
    assert status.ok and status.token == "xoxp-bram-token"
    assert status.args["profile"] == {"status_text": "Focus afternoon — no meetings", "status_emoji": ":no_bell:",
                                      "status_expiration": int(START.replace(hour=16).timestamp())}
    [reminder] = [c for c in rig.fake.calls_to("chat.postMessage", ok=True) if "starts now" in c.args["text"]]
    assert reminder.token == TOKENS["T1"]
    assert await SqlFailureLog(rig.ritme.store.engine).count("slack", "T1", START) == 0
