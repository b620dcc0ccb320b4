"""The local browser chat as its page drives it, over Ritme's HTTP API: what the whole-flow local tests share.

`Chat` is what a person does in the page (say, read, answer); `PulseChat` adds a button press and a new member.
`local_served` is the assembled server on SQLite with a fake clock, and a chat client for it.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp

from bot.demo import seed_demo
from bot.settings import Settings
from bot.wiring import Ritme, assemble, serving
from tests.rituals.harness import FakeClock


class Chat:
    """What a person does in the browser chat, as the page's own requests."""

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.session = session
        self.base = base

    async def say(self, user: str, text: str, conversation: str = "channel:team") -> None:
        """Send a message (or a /ritme command) as `user`, in the team channel unless told otherwise."""
        body = {"user": user, "conversation": conversation, "text": text, "event_id": str(uuid.uuid4())}
        async with self.session.post(f"{self.base}/api/command", json=body) as response:
            assert response.status == 202, await response.text()

    async def history(self, user: str) -> list[dict[str, Any]]:
        """Every message `user` sees, oldest first."""
        async with self.session.get(f"{self.base}/api/history", params={"user": user}) as response:
            assert response.status == 200
            return list((await response.json())["messages"])

    async def answer(self, user: str, delivery_id: int, values: list[str]) -> None:
        """Submit a form Ritme sent `user`."""
        body = {"user": user, "delivery_id": delivery_id, "values": values, "event_id": str(uuid.uuid4())}
        async with self.session.post(f"{self.base}/api/answer", json=body) as response:
            assert response.status == 202, await response.text()


class PulseChat(Chat):
    """The browser chat's requests, with the button press and a new member."""

    async def press(self, user: str, action: str, value: str) -> None:
        """Press a button on one of Ritme's messages as `user`."""
        body = {"user": user, "action": action, "value": value, "event_id": str(uuid.uuid4())}
        async with self.session.post(f"{self.base}/api/button", json=body) as response:
            assert response.status == 202, await response.text()

    async def add(self, name: str) -> str:
        """Add a person to the local workspace (Amsterdam, English); their user id."""
        body = {"display_name": name, "timezone": "Europe/Amsterdam", "locale": "en"}
        async with self.session.post(f"{self.base}/api/users", json=body) as response:
            assert response.status == 201, await response.text()
            return str((await response.json())["user"]["user_id"])


def text_of(message: dict[str, Any]) -> str:
    """A chat message's words, its lines joined."""
    return "\n".join("".join(span["text"] for span in line) for line in message["lines"])


async def pulse_forms(chat: Chat, user: str) -> list[dict[str, Any]]:
    """The member's pulse forms (the demo's stand-up asks in forms of its own, without scales)."""
    forms = [m["form"] for m in await chat.history(user) if m.get("form")]
    return [form for form in forms if any(field.get("choices") for field in form["fields"])]


@asynccontextmanager
async def local_served(
    tmp_path: Path, start: datetime, *, demo: bool = True
) -> AsyncIterator[tuple[Ritme, FakeClock, PulseChat]]:
    """The server on SQLite, the clock at `start`, and a chat client; with the demo's team unless `demo` is off."""
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/ritme.db", port=0)  # type: ignore[call-arg]
    clock = FakeClock(start)
    async with assemble(settings, clock) as ritme, serving(ritme, with_timer=False) as url:
        if demo:
            await seed_demo(ritme)
        async with aiohttp.ClientSession() as session:
            yield ritme, clock, PulseChat(session, url)
