"""A wellbeing pulse round in the local chat, over its HTTP API on the assembled server: five people answer on a
scale, one asks for a talk, and the round's results reach the channel without anyone's own answers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.wiring import Ritme
from tests.bot.local_chat import PulseChat, local_served, pulse_forms, text_of
from tests.rituals.harness import FakeClock

MONDAY_0900_AMSTERDAM = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[Ritme, FakeClock, PulseChat]]:
    async with local_served(tmp_path, MONDAY_0900_AMSTERDAM) as served:
        yield served


async def test_a_pulse_round_in_the_local_chat(served: tuple[Ritme, FakeClock, PulseChat]) -> None:
    ritme, clock, chat = served
    people = ["anna", "ben", "lucas", "priya", await chat.add("Dana Smit")]
    await chat.say("anna", "/ritme pulse create weekly mon 10:00 open 1d")

    # Hour by hour until the round closes, as the timer would: each member is asked once, in their own working
    # hours (Priya in Kolkata on Tuesday morning, as 10:00 had passed there when the pulse was set up).
    for hours in range(0, 24):
        clock.set(MONDAY_0900_AMSTERDAM + timedelta(hours=hours))
        await ritme.dispatcher.plan()
        await ritme.dispatcher.tick()
    forms = {user: await pulse_forms(chat, user) for user in people}
    assert all(len(found) == 1 for found in forms.values()), {u: len(f) for u, f in forms.items()}
    scale = forms["ben"][0]["fields"][0]
    assert [choice["value"] for choice in scale["choices"]] == ["1", "2", "3", "4", "5"]

    comments = {user: f"note-from-{user}" for user in people}
    for score, user in enumerate(people, start=1):
        form = forms[user][0]
        values = [str(score)] * (len(form["fields"]) - 1) + [comments[user]]
        await chat.answer(user, form["delivery_id"], values)
    again = forms["ben"][0]
    await chat.answer("ben", again["delivery_id"], ["5"] * (len(again["fields"]) - 1) + [""])
    assert "already answered" in text_of((await chat.history("ben"))[-1])

    # Ben asks for a talk: first told what is shared, then Anna (the manager) hears it, without a score.
    talk = [m for m in await chat.history("ben") if any(b["action"] == "pulse:talk" for b in m.get("buttons", []))]
    button = talk[-1]["buttons"][0]
    await chat.press("ben", button["action"], button["value"])
    buttons = [b for m in await chat.history("ben") for b in m.get("buttons", [])]
    [confirm] = [b for b in buttons if b["action"] == "pulse:talk_confirm"]
    await chat.press("ben", confirm["action"], confirm["value"])
    request = [text_of(m) for m in await chat.history("anna") if "Ben Carter" in text_of(m)]
    assert request and all(comments["ben"] not in text for text in request)

    clock.set(MONDAY_0900_AMSTERDAM + timedelta(days=1, hours=1))  # Tuesday 10:00 in Amsterdam: the round closes
    await ritme.dispatcher.tick()
    channel = [text_of(m) for m in await chat.history("ben") if m["conversation"] == "channel:team"]
    results = [text for text in channel if "5 van de 5 hebben geantwoord" in text]  # the pulse's language: Anna's
    assert results, channel
    assert "3,0" in results[-1] or "3.0" in results[-1]  # scores 1 to 5, one each: an average of 3
    for comment in comments.values():
        assert comment in results[-1]  # five comments reach k = 5, and show, without names
    assert "Ben Carter" not in results[-1]
