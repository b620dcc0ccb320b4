"""`/ritme dashboard` over Slack: the real bolt app and engine, a fake Slack Web API. The link goes to the member's
direct messages, never into the channel; the channel gets only a private note; the link signs in on Ritme."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.dashboard import COOKIE
from bot.settings import Settings
from bot.wiring import assemble, serving
from tests.adapters.slack.fake_slack import Call, FakeSlack
from tests.adapters.slack.harness import SIGNING_SECRET, SlackSender
from tests.bot.dashboard_http import press_sign_in, session_cookie
from tests.rituals.harness import FakeClock

MONDAY_0800_AMSTERDAM = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
PUBLIC = "https://ritme.example.com"
LINK = re.compile(re.escape(PUBLIC) + r"(/dashboard/signin/[A-Za-z0-9_-]{43})")


async def _until(found: Any, fake: FakeSlack) -> list[Call]:
    """Wait (a few seconds at most) for work done after Slack's ack to reach the Web API."""
    for _ in range(200):
        calls: list[Call] = found()
        if calls:
            return calls
        await asyncio.sleep(0.02)
    raise AssertionError(f"never saw it; calls: {[c.method for c in fake.calls]}")


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[FakeSlack, SlackSender, str]]:
    async with FakeSlack() as fake:
        fake.profiles.update(U2={"id": "U2", "name": "bram", "tz": "Europe/Amsterdam", "locale": "en-GB",
                                 "profile": {"display_name": "Bram"}})
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/ritme.db", port=0, public_url=PUBLIC,
            slack_bot_token="xoxb-test", slack_signing_secret=SIGNING_SECRET, slack_api_url=fake.url,
        )
        async with assemble(settings, FakeClock(MONDAY_0800_AMSTERDAM)) as ritme, serving(
            ritme, with_timer=False
        ) as url, aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
            yield fake, SlackSender(session, f"{url}/slack/events"), url


async def test_the_link_goes_to_direct_messages_and_signs_in(served: tuple[FakeSlack, SlackSender, str]) -> None:
    fake, slack, url = served
    assert (await slack.command("dashboard", user_id="U2", user_name="bram")).status == 200

    def direct() -> list[Call]:
        return [c for c in fake.calls_to("chat.postMessage", ok=True) if LINK.search(str(c.args.get("text", "")))]

    [sent] = await _until(direct, fake)
    assert sent.args["channel"] == "U2"  # a private message to Bram (Slack opens the DM), not the channel C1
    notes = await _until(lambda: fake.calls_to("chat.postEphemeral", ok=True), fake)
    assert [(c.args["channel"], c.args["user"]) for c in notes] == [("C1", "U2")]
    assert "direct message" in notes[0].args["text"] and not LINK.search(notes[0].args["text"])
    # Nothing with the link went anywhere else.
    everything = " ".join(str(call.args) for call in fake.calls if call is not sent)
    assert "/dashboard/signin/" not in everything

    found = LINK.search(sent.args["text"])
    assert found is not None
    status, headers, _ = await press_sign_in(slack.session, url + found.group(1))
    assert status == 303
    cookie = session_cookie(headers).value
    async with slack.session.get(url + "/dashboard", headers={"Cookie": f"{COOKIE}={cookie}"}) as response:
        assert response.status == 200 and "Signed in as Bram" in await response.text()
