"""The README's demo, started as a newcomer starts it, driven over HTTP: configure, run, answer twice, digest."""

from __future__ import annotations

import re
import uuid
from typing import Any

import aiohttp


class Chat:
    """What a person does in the browser chat, as the page's own requests."""

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.session = session
        self.base = base

    async def say(self, user: str, text: str, conversation: str = "channel:team") -> None:
        body = {"user": user, "conversation": conversation, "text": text, "event_id": str(uuid.uuid4())}
        async with self.session.post(f"{self.base}/api/command", json=body) as response:
            assert response.status == 202, await response.text()

    async def history(self, user: str) -> list[dict[str, Any]]:
        async with self.session.get(f"{self.base}/api/history", params={"user": user}) as response:
            assert response.status == 200
            return list((await response.json())["messages"])

    async def answer(self, user: str, delivery_id: int, values: list[str]) -> None:
        body = {"user": user, "delivery_id": delivery_id, "values": values, "event_id": str(uuid.uuid4())}
        async with self.session.post(f"{self.base}/api/answer", json=body) as response:
            assert response.status == 202, await response.text()


def text_of(message: dict[str, Any]) -> str:
    return "\n".join("".join(span["text"] for span in line) for line in message["lines"])


async def test_demo_stand_up_end_to_end(demo_url: str) -> None:
    async with aiohttp.ClientSession() as session:
        chat = Chat(session, demo_url)
        async with session.get(demo_url + "/") as page:
            assert page.status == 200 and "<html" in (await page.text()).lower()
        async with session.get(demo_url + "/api/directory") as response:
            users = {user["user_id"] for user in (await response.json())["users"]}
        assert {"anna", "ben"} <= users

        await chat.say("anna", "/ritme standup create checkout remind off")
        created = [text_of(m) for m in await chat.history("anna") if "Stand-up" in text_of(m)]
        ritual_id = re.search(r"Stand-up (\d+)", created[-1]).group(1)  # type: ignore[union-attr]
        await chat.say("anna", f"/ritme standup run {ritual_id}")

        for user, answer in (("anna", ["Goed", "Release afronden", "nee"]),
                             ("ben", ["<!channel> fine @here", "Docs", "Waiting for the API key"])):
            forms = [m for m in await chat.history(user) if m.get("form")]
            assert forms, f"{user} got no form"
            await chat.answer(user, forms[-1]["form"]["delivery_id"], answer)

        await chat.say("anna", f"/ritme standup digest {ritual_id}")
        channel = [m for m in await chat.history("ben") if m["conversation"] == "channel:team"
                   and m["author"] == "Ritme" and m.get("only_for") is None]
        digest = text_of(channel[-1])
        assert "Release afronden" in digest and "Docs" in digest
        blockers = digest.index("Blokkades")
        assert digest.index("Ben Carter: Waiting for the API key") > blockers  # highlighted under blockers
        # Who else was asked depends on the hour (Lucas and Priya keep their own days and hours); Anna and Ben are in.
        assert "geen antwoord: Anna" not in digest and "Ben Carter" in digest
        # What Ben typed is shown, but can no longer ping anyone.
        assert "<!channel>" not in digest and "@here" not in digest
        assert "<!\u200bchannel>" in digest and "@\u200bhere" in digest
