"""NUL and other control characters through the local chat into each database: PostgreSQL cannot store a NUL in a
text column, so one that reached a query would be a traceback instead of an answer. Every such value is refused in
the member's words before it is stored; run once on SQLite and once on PostgreSQL (`database_url`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from bot.demo import seed_demo
from bot.settings import Settings
from bot.wiring import Ritme, assemble, serving
from tests.bot.local_chat import PulseChat, pulse_forms, text_of
from tests.rituals.harness import FakeClock

MONDAY_0900_AMSTERDAM = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.fixture
async def served(database_url: str) -> AsyncIterator[tuple[Ritme, FakeClock, PulseChat]]:
    """The demo on the assembled server over the test's database, and a chat client."""
    settings = Settings(_env_file=None, database_url=database_url, port=0)  # type: ignore[call-arg]
    clock = FakeClock(MONDAY_0900_AMSTERDAM)
    async with assemble(settings, clock) as ritme, serving(ritme, with_timer=False) as url:
        await seed_demo(ritme)
        async with aiohttp.ClientSession() as session:
            yield ritme, clock, PulseChat(session, url)


async def _last(chat: PulseChat, user: str) -> str:
    return text_of((await chat.history(user))[-1])


async def test_control_characters_are_refused_before_any_database_sees_them(
    served: tuple[Ritme, FakeClock, PulseChat],
) -> None:
    ritme, clock, chat = served
    team = await ritme.store.upsert_team("local", ritme.local.workspace_id, "team", "team")
    rituals_before = await ritme.store.rituals(team.id)

    for command in ('/ritme borrel create fri 16:30 https://meet.example/b theme "Quiz\x00night"',
                    '/ritme standup create at 16:00 questions "How\x00 are you?"',
                    "/ritme manager add Sam\x00", "/ritme focus add mon 09:00-11:00 \"Deep\x00work\""):
        await chat.say("anna", command)
        assert "U+0000" in await _last(chat, "anna"), command
    assert await ritme.store.rituals(team.id) == rituals_before

    async with chat.session.post(f"{chat.base}/api/command", json={
            "user": "anna", "conversation": "channel:team", "text": "/ritme help", "event_id": "e\x00"}) as response:
        assert response.status == 400 and "event_id" in (await response.json())["error"]

    # A stand-up answer with a NUL: refused in the member's words, nothing stored; the clean one is posted.
    clock.set(MONDAY_0900_AMSTERDAM + timedelta(minutes=45))
    await chat.say("anna", "/ritme standup run 1")
    forms = [m["form"] for m in await chat.history("ben")
             if m.get("form") and not any(field.get("choices") for field in m["form"]["fields"])]
    await chat.answer("ben", forms[-1]["delivery_id"], ["fine\x00", "ok", "ok"])
    assert "U+0000" in await _last(chat, "ben")
    await chat.answer("ben", forms[-1]["delivery_id"], ["fine", "ok", "ok"])
    assert "saved" in await _last(chat, "ben")
    await chat.say("anna", "/ritme standup digest 1")
    digest = [text_of(m) for m in await chat.history("anna") if "fine" in text_of(m)]
    assert digest and "\x00" not in digest[-1]

    # A pulse comment with a NUL: refused in the member's words, the round untouched; then a clean one is kept.
    await chat.say("anna", "/ritme pulse create weekly mon 10:00 open 1d k 3")
    for hours in range(3, 6):
        clock.set(MONDAY_0900_AMSTERDAM + timedelta(hours=hours))
        await ritme.dispatcher.plan()
        await ritme.dispatcher.tick()
    [form] = await pulse_forms(chat, "ben")
    scores = ["3"] * (len(form["fields"]) - 1)
    await chat.answer("ben", form["delivery_id"], [*scores, "bad\x00comment"])
    refusal = await _last(chat, "ben")
    assert "U+0000" in refusal and "nothing was saved" in refusal
    assert not any("saved without your name" in text_of(m) for m in await chat.history("ben"))
    await chat.answer("ben", form["delivery_id"], [*scores, "Busy week,\nbut a good one \U0001f469\u200d\U0001f4bb"])
    assert any("saved without your name" in text_of(m) for m in await chat.history("ben"))
