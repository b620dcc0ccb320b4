"""Slack over Socket Mode: the real wiring, bolt app and slack_sdk client, talking to a fake Slack's websocket.

Settings carry a bot token and an app-level token but no signing secret, as for development without a public URL.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import pytest

from adapters.slack import SocketModeUnavailable
from adapters.slack.protocol import button_action_id
from bot.settings import Settings
from bot.wiring import Ritme, assemble, serving
from tests.adapters.slack.fake_slack import FakeSlack, Scripted
from tests.adapters.slack.harness import (
    block_actions,
    command_fields,
    events_api_envelope,
    interactive_envelope,
    member_joined,
    slash_command_envelope,
)
from tests.rituals.harness import FakeClock

T = TypeVar("T")
APP_TOKEN = "xapp-1-A1-1700000000-0123456789abcdef"
MONDAY_0800_AMSTERDAM = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
PROFILES = {
    "U1": {"id": "U1", "name": "ada", "tz": "Europe/London", "locale": "en-GB", "profile": {"display_name": "Ada"}},
    "U2": {"id": "U2", "name": "bram", "tz": "Europe/Paris", "locale": "en-GB", "profile": {"display_name": "Bram"}},
}


def _settings(tmp_path: Path, fake: FakeSlack) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/ritme.db", port=0,
        slack_bot_token="xoxb-test", slack_app_token=APP_TOKEN, slack_api_url=fake.url,
    )


@asynccontextmanager
async def _running(tmp_path: Path, fake: FakeSlack) -> AsyncIterator[tuple[Ritme, str]]:
    async with assemble(_settings(tmp_path, fake), FakeClock(MONDAY_0800_AMSTERDAM)) as ritme:
        async with serving(ritme, with_timer=False) as url:
            yield ritme, url


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(profiles={key: dict(value) for key, value in PROFILES.items()}) as fake:
        yield fake


async def _until(found: Callable[[], list[T]]) -> list[T]:
    """Wait (a few seconds at most) for work that runs after the ack to reach the Web API."""
    for _ in range(250):
        if calls := found():
            return calls
        await asyncio.sleep(0.02)
    raise AssertionError("the expected Web API call never came")


def _shown_to(fake: FakeSlack, user_id: str) -> list[str]:
    """The text of everything posted to a member: ephemeral replies and DMs."""
    ephemeral = [c for c in fake.calls_to("chat.postEphemeral", ok=True) if c.args["user"] == user_id]
    direct = [c for c in fake.calls_to("chat.postMessage", ok=True) if c.args["channel"] == user_id]
    return [str(call.args.get("text", "")) for call in ephemeral + direct]


async def test_a_slash_command_over_the_socket_is_acked_and_answered(
    fake: FakeSlack, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with _running(tmp_path, fake) as (_ritme, url):
        # The client asked the configured API URL for its websocket, with the app-level token.
        [opened] = fake.calls_to("apps.connections.open")
        assert opened.ok and opened.token == APP_TOKEN
        await fake.connected()

        await fake.send_envelope(slash_command_envelope("env-help", command_fields("help", trigger_id="1337.1.help")))
        assert await fake.ack("env-help") == {"envelope_id": "env-help"}
        [reply] = await _until(lambda: fake.calls_to("chat.postEphemeral", ok=True))
        assert (reply.args["channel"], reply.args["user"]) == ("C1", "U1")
        assert "Ritme keeps your team's rituals going" in reply.args["text"]

        # Without a signing secret nothing is taken over HTTP: bolt would check no signature there.
        async with aiohttp.ClientSession() as session, session.post(
            f"{url}/slack/events", data={"command": "/ritme", "text": "help"}
        ) as response:
            assert response.status == 404
        await asyncio.sleep(0.05)
        assert len(fake.calls_to("chat.postEphemeral")) == 1

    assert "Slack Socket Mode is on" in caplog.text
    assert APP_TOKEN not in caplog.text
    # Neither envelopes nor the statements recording them are logged, even at DEBUG: they carry what members
    # typed and picked (a pulse's answers next to who gave them).
    assert "1337.1.help" not in caplog.text


async def test_an_event_delivered_again_over_the_socket_has_one_effect(
    fake: FakeSlack, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.inbound")
    callback = member_joined("Ev0SOCKET1", user_id="U2")
    async with _running(tmp_path, fake) as (ritme, _url):
        await fake.send_envelope(events_api_envelope("env-1", callback))
        assert await fake.ack("env-1") == {"envelope_id": "env-1"}
        # Slack's retry: a new envelope around the same callback.
        await fake.send_envelope(events_api_envelope("env-2", callback, retry_attempt=1, retry_reason="timeout"))
        assert await fake.ack("env-2") == {"envelope_id": "env-2"}

        for _ in range(250):
            team = await ritme.store.find_team("slack", "T1", "C1")
            members = await ritme.store.team_members(team.id) if team else []
            if members:
                break
            await asyncio.sleep(0.02)
        assert [member.user_id for member in members] == ["U2"]
        repeats = [r.getMessage() for r in caplog.records if "ignored a repeat" in r.getMessage()]
        assert len(repeats) == 1 and "Ev0SOCKET1" in repeats[0]
        assert fake.acks("env-1") == [{"envelope_id": "env-1"}]


async def test_a_button_over_the_socket_reaches_the_engine(fake: FakeSlack, tmp_path: Path) -> None:
    async with _running(tmp_path, fake):
        press = block_actions(button_action_id(0), json.dumps({"action": "pulse.answer", "value": "4"}))
        await fake.send_envelope(interactive_envelope("env-button", press))
        assert await fake.ack("env-button") == {"envelope_id": "env-button"}
        [shown] = await _until(lambda: _shown_to(fake, "U1"))
        assert "no longer does anything" in shown


async def test_stopping_the_server_closes_the_socket_at_once(fake: FakeSlack, tmp_path: Path) -> None:
    loop = asyncio.get_running_loop()
    async with assemble(_settings(tmp_path, fake)) as ritme:
        async with serving(ritme, with_timer=False):
            await fake.connected()
            started = loop.time()
        # Nothing of the Socket Mode client is left running once the server has stopped.
        leftovers: list[Any] = [t for t in asyncio.all_tasks() if "slack_sdk" in repr(t.get_coro())]
        assert leftovers == []
        await fake.disconnected()
        assert loop.time() - started < 2.0
        assert (fake.sockets_opened, fake.sockets_closed) == (1, 1)


async def test_a_refused_app_token_stops_start_up_with_a_readable_reason(fake: FakeSlack, tmp_path: Path) -> None:
    fake.script("apps.connections.open", Scripted(error="invalid_auth"))
    async with assemble(_settings(tmp_path, fake)) as ritme:
        with pytest.raises(SocketModeUnavailable) as refused:
            async with serving(ritme, with_timer=False):
                pass
    message = str(refused.value)
    assert "invalid_auth" in message and "connections:write" in message and APP_TOKEN not in message
    assert fake.sockets_opened == 0
