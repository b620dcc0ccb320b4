"""The README's demo, started as a newcomer starts it, driven over HTTP: configure, run, answer twice, digest."""

from __future__ import annotations

import re

import aiohttp

from tests.bot.local_chat import Chat, text_of


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
