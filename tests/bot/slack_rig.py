"""The assembled server with Slack on, against a fake Slack Web API: what the whole-flow Slack tests share.

Members are who their Slack profile (users.info) says: a name, a zone and a locale. Events, commands and button
presses come as Slack signs them; what Ritme sends is read back from the fake's calls, and Block Kit messages with
`blocks_of`, `buttons_of`, `text_of` and `answered_id`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
from pydantic import SecretStr

from bot.settings import Settings
from bot.wiring import Ritme, assemble, serving
from storage.messages import SqlMessageLog
from tests.adapters.slack.fake_slack import Call, FakeSlack
from tests.adapters.slack.harness import SIGNING_SECRET, SlackSender
from tests.rituals.harness import FakeClock

# Slack user id -> (display name, IANA zone, Slack locale)
Profiles = dict[str, tuple[str, str, str]]


@dataclass
class SlackRig:
    ritme: Ritme
    fake: FakeSlack
    clock: FakeClock
    slack: SlackSender
    database: Path

    async def until(self, found: Callable[[], list[Call]], count: int = 1) -> list[Call]:
        """Wait (a few seconds at most) for work that runs after Slack's ack to reach the Web API."""
        for _ in range(250):
            calls = found()
            if len(calls) >= count:
                return calls
            await asyncio.sleep(0.02)
        raise AssertionError(f"expected {count} calls, saw {[c.method for c in self.fake.calls]}")

    async def until_members(self, count: int) -> None:
        """Wait until member_joined_channel events, handled after their ack, have made `count` members of #team."""
        for _ in range(250):
            team = await self.ritme.store.find_team("slack", "T1", "C1")
            if team and len(await self.ritme.store.team_members(team.id)) >= count:
                return
            await asyncio.sleep(0.02)
        raise AssertionError("the members never joined #team")

    async def until_member(self, channel_id: str, user_id: str) -> None:
        """Wait until a member_joined_channel event, handled after its ack, has made the member part of the team."""
        for _ in range(250):
            team = await self.ritme.store.find_team("slack", "T1", channel_id)
            if team and any(m.user_id == user_id for m in await self.ritme.store.team_members(team.id)):
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"{user_id} never joined {channel_id}")

    def posted(self, channel: str) -> list[Call]:
        """The messages Ritme posted into a channel or (by user id) a member's DM."""
        return [c for c in self.fake.calls_to("chat.postMessage", ok=True) if c.args.get("channel") == channel]

    async def ts(self, key: str, user: str) -> str:
        """The ts of the DM Ritme posted to `user` under `key`, as its message log knows it."""
        posted = await SqlMessageLog(self.ritme.store._engine).find("slack", "T1", key, user)
        assert posted is not None, key
        return posted.message_id

    def updates(self, ts: str) -> list[Call]:
        """The edits (chat.update) of the message with this ts."""
        return [c for c in self.fake.calls_to("chat.update", ok=True) if c.args.get("ts") == ts]

    async def tick(self) -> None:
        """One beat of the timer at the fake clock's time: send what is due."""
        await self.ritme.dispatcher.tick()


def profile(user_id: str, name: str, tz: str, locale: str) -> dict[str, Any]:
    """A member as Slack's users.info describes them."""
    return {"id": user_id, "name": name.lower(), "tz": tz, "locale": locale, "profile": {"display_name": name}}


@asynccontextmanager
async def slack_rig(
    tmp_path: Path, profiles: Profiles, start: datetime, public_url: str | None = None
) -> AsyncIterator[SlackRig]:
    """The server on SQLite with Slack's Web API on the fake, the members' profiles there, the clock at `start`."""
    async with FakeSlack() as fake:
        fake.profiles.update({user: profile(user, *about) for user, about in profiles.items()})
        database = tmp_path / "ritme.db"
        # Left out, public_url keeps its default, as a Slack-only install would.
        public: dict[str, Any] = {"public_url": public_url} if public_url else {}
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, database_url=f"sqlite+aiosqlite:///{database}", port=0, **public, slack_api_url=fake.url,
            slack_bot_token=SecretStr("xoxb-test"), slack_signing_secret=SecretStr(SIGNING_SECRET),
        )
        clock = FakeClock(start)
        async with assemble(settings, clock) as ritme, serving(ritme, with_timer=False) as url:
            async with aiohttp.ClientSession() as session:
                yield SlackRig(ritme, fake, clock, SlackSender(session, f"{url}/slack/events"), database)


def blocks_of(call: Call) -> list[dict[str, Any]]:
    """The Block Kit blocks of a post or update (sent as JSON text or as a list)."""
    blocks = call.args.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks)


def buttons_of(call: Call) -> list[dict[str, Any]]:
    """The buttons in a message's actions blocks."""
    return [element for block in blocks_of(call) if block["type"] == "actions" for element in block["elements"]]


def text_of(call: Call) -> str:
    """All the words of a message: its text and its blocks."""
    return str(call.args.get("text", "")) + json.dumps(blocks_of(call), ensure_ascii=False)


def answered_id(call: Call) -> str:
    """What a message's buttons answer for, an occurrence or a group (their value is `{id}:{answer}`)."""
    return str(json.loads(buttons_of(call)[0]["value"])["value"]).split(":")[0]
