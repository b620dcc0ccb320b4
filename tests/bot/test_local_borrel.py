"""A virtual borrel in the local chat, over its HTTP API on the assembled server: Anna sets it up in Dutch, the
invite comes with three buttons, the team answers and the same message shows the live count, those who come are
reminded in their own zone, and a cancelled borrel is said so on its invite and reminds nobody."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.wiring import Ritme
from tests.bot.local_chat import PulseChat, local_served, text_of
from tests.rituals.harness import FakeClock

MONDAY_0900_AMSTERDAM = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
# Friday 27 November in Amsterdam (UTC+1): the invite at 10:00, the reminder at 16:20 for a start at 16:30.
INVITE = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
REMIND = datetime(2026, 11, 27, 15, 20, tzinfo=UTC)
NEXT_INVITE = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
NEXT_REMIND = datetime(2026, 12, 4, 15, 20, tzinfo=UTC)
LINK = "https://meet.example/borrel"


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[Ritme, FakeClock, PulseChat]]:
    async with local_served(tmp_path, MONDAY_0900_AMSTERDAM) as served:
        yield served


async def _invites(chat: PulseChat, user: str) -> list[dict[str, Any]]:
    """The borrel invites in the team channel, as the member's history shows them (each once, as it is now)."""
    return [m for m in await chat.history(user)
            if m["conversation"] == "channel:team" and m["key"].startswith("borrel-invite:")]


async def _private(chat: PulseChat, user: str, prefix: str) -> list[str]:
    """The texts of the member's direct messages from Ritme whose key starts with `prefix`."""
    return [text_of(m) for m in await chat.history(user)
            if m["conversation"] == f"dm:{user}" and m["key"].startswith(prefix)]


async def _press(chat: PulseChat, user: str, invite: dict[str, Any], answer: str) -> None:
    [button] = [b for b in invite["buttons"] if b["value"].endswith(f":{answer}")]
    await chat.press(user, button["action"], button["value"])


async def test_a_borrel_in_the_local_chat(served: tuple[Ritme, FakeClock, PulseChat]) -> None:
    ritme, clock, chat = served
    dana = await chat.add("Dana Smit")
    await chat.say(dana, "/ritme me timezone America/New_York")
    # Anna manages the demo team and speaks Dutch: her borrel, its reply and its invites are in Dutch.
    await chat.say("anna", f"/ritme borrel create vr 16:30 45m {LINK}")
    [created] = [text_of(m) for m in await chat.history("anna") if "Borrel 2 voor #team" in text_of(m)]
    assert "elke week op vr, 16:30–17:15 (Europe/Amsterdam)" in created and LINK in created

    clock.set(INVITE.replace(hour=8, minute=59))  # 09:59 in Amsterdam: not yet
    await ritme.dispatcher.tick()
    assert await _invites(chat, "priya") == []
    clock.set(INVITE)
    await ritme.dispatcher.tick()
    [invite] = await _invites(chat, "priya")
    text = text_of(invite)
    assert "Digitale borrel van #team" in text and "vrijdag 27 november, 16:30–17:15 (Europe/Amsterdam)" in text
    assert LINK in text and "Doen mee: 0 · misschien: 0 · deze keer niet: 0" in text
    assert invite["only_for"] is None  # the whole channel sees it
    assert [(b["label"], b["action"]) for b in invite["buttons"]] == [
        ("Ik doe mee", "borrel.rsvp"), ("Misschien", "borrel.rsvp"), ("Deze keer niet", "borrel.rsvp"),
    ]

    # Each click edits the one invite: the same message id, with the count as it now stands.
    for user, answer in (("anna", "join"), (dana, "join"), ("ben", "maybe"), ("lucas", "join"), ("lucas", "no")):
        await _press(chat, user, invite, answer)
    [edited] = await _invites(chat, "priya")
    assert edited["id"] == invite["id"]
    assert "Doen mee: 2 · misschien: 1 · deze keer niet: 1 — Anna de Vries en Dana Smit" in text_of(edited)
    assert "Lucas" not in text_of(edited)  # a "not this time" is counted, never named
    [dana_answer] = await _private(chat, dana, "borrel-rsvp:")
    assert "Friday 27 November at 10:30 your time (America/New_York)" in dana_answer
    assert "om 16:30 jouw tijd (Europe/Amsterdam)" in (await _private(chat, "anna", "borrel-rsvp:"))[0]

    # 16:20 in Amsterdam: only those who said join or maybe are reminded, each in their own zone and language.
    clock.set(REMIND.replace(minute=19))
    await ritme.dispatcher.tick()
    assert await _private(chat, "anna", "borrel-reminder:") == []
    clock.set(REMIND)
    await ritme.dispatcher.tick()
    [anna] = await _private(chat, "anna", "borrel-reminder:")
    assert "De borrel van #team begint over 10 minuten: 16:30 jouw tijd (Europe/Amsterdam)" in anna
    assert LINK in anna
    [dana_reminder] = await _private(chat, dana, "borrel-reminder:")
    assert "starts in 10 minutes: 10:30 your time (America/New_York)" in dana_reminder
    [ben] = await _private(chat, "ben", "borrel-reminder:")
    assert "15:30 your time (Europe/London)" in ben
    assert await _private(chat, "lucas", "borrel-reminder:") == []  # said no
    assert await _private(chat, "priya", "borrel-reminder:") == []  # said nothing

    # The next Friday's invite comes; Anna cancels it, and its invite says so, without buttons.
    clock.set(NEXT_INVITE)
    await ritme.dispatcher.tick()
    ended, upcoming = await _invites(chat, "priya")
    assert "Deze borrel is voorbij" in text_of(ended) and ended["buttons"] == []
    assert "vrijdag 4 december" in text_of(upcoming)
    await _press(chat, dana, upcoming, "join")
    await chat.say("anna", "/ritme borrel cancel")
    [_, cancelled] = await _invites(chat, "priya")
    assert cancelled["id"] == upcoming["id"] and cancelled["buttons"] == []
    assert "Deze borrel gaat niet door." in text_of(cancelled)
    [told] = await _private(chat, dana, "borrel-cancelled:")
    assert "Friday 4 December at 10:30 your time is cancelled" in told
    assert any("vrijdag 4 december (borrel 2) gaat niet door; ingelicht wie mee zou doen of misschien: 1" in text_of(m)
               for m in await chat.history("anna"))

    # A click on a copy of the invite still showing its buttons answers privately and changes nothing.
    await _press(chat, "priya", upcoming, "join")
    assert "is cancelled, so there is nothing to answer" in text_of((await chat.history("priya"))[-1])
    assert (await _invites(chat, "priya"))[-1] == cancelled

    clock.set(NEXT_REMIND)
    await ritme.dispatcher.tick()
    assert len(await _private(chat, dana, "borrel-reminder:")) == 1  # still only last week's
    assert len(await _private(chat, "anna", "borrel-reminder:")) == 1
