"""A whole virtual borrel over Teams: Ritme added to a team of five, a borrel set up by mention, the invite as an
Adaptive Card in the channel with three Action.Submit buttons, clicks from the channel that replace that same card
(a PUT of its activity id) with the live count, reminders in each member's own zone and language, and a cancelled
borrel that says so on its card and reminds nobody.

The real server runs as assembled from settings, in anonymous mode, against a fake Bot Connector service (as in
tests/bot/test_teams_pulse.py).
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from adapters.teams.protocol import BUTTON, DATA_KEY
from tests.adapters.teams.activities import (
    ADA,
    BRAM,
    TEAM_ID,
    _base,
    channel,
    channel_mention,
    installed_in_team,
    personal_message,
    team_data,
)
from tests.adapters.teams.fake_connector import Call
from tests.bot.teams_rig import CHRIS, DANA, EVA, TeamsRig, card_of, teams_rig, texts_of

MONDAY_0800_AMSTERDAM = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
# Friday 27 November in Amsterdam (UTC+1): the invite at 10:00, the reminder at 16:20 for a start at 16:30.
INVITE = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
REMIND = datetime(2026, 11, 27, 15, 20, tzinfo=UTC)
NEXT_INVITE = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
NEXT_REMIND = datetime(2026, 12, 4, 15, 20, tzinfo=UTC)
LINK = "https://meet.example/borrel"
NAMES = {ADA: "Ada Lovelace", BRAM: "Bram de Vries", CHRIS: "Chris Jansen", DANA: "Dana Bakker", EVA: "Eva Visser"}
ROSTER = [{"id": user, "name": name, "aadObjectId": f"{index}d1a9b4e-2c7f-4e8a-b3d5-0f9c8e7a6b5{index}"}
          for index, (user, name) in enumerate(NAMES.items())]
ACTIVITY_IDS = (str(1732348880000 + n) for n in itertools.count())


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[TeamsRig]:
    async with teams_rig(tmp_path, ROSTER, MONDAY_0800_AMSTERDAM) as running:
        yield running


def _edits(rig: TeamsRig, invite: Call) -> list[Call]:
    """Updates of the invite's own activity in the channel."""
    return [call for call in rig.fake.calls_to("update", ok=True)
            if call.conversation_id == TEAM_ID and call.activity_id == invite.answer["id"]]


def _said(rig: TeamsRig, user: str, words: str) -> list[str]:
    """What Ritme posted in the member's personal chat that holds `words`."""
    return [texts_of(call) for call in rig.to(user) if words in texts_of(call)]


async def _tell(rig: TeamsRig, user: str, text: str) -> None:
    """The member writes to Ritme in their personal chat, and Ritme answers there."""
    before = len(rig.to(user))
    await rig.post(personal_message(text, next(ACTIVITY_IDS), user=user, name=NAMES[user], locale="en-GB"))
    await rig.until(lambda: rig.to(user), before + 1)


def _submit(user: str, invite: Call, answer: str) -> dict[str, Any]:
    """The member presses a button on the invite's card in the channel: Teams sends a message in the post's thread
    with the Action.Submit's data as its value."""
    [button] = [action for action in card_of(invite)["actions"] if action["data"]["value"].endswith(f":{answer}")]
    activity = _base("message", next(ACTIVITY_IDS), conversation=channel(TEAM_ID, thread=invite.answer["id"]),
                     user=user, name=NAMES[user], locale="en-GB")
    activity.update(replyToId=invite.answer["id"], value=button["data"], channelData=team_data(TEAM_ID, "General"))
    return activity


async def _click(rig: TeamsRig, user: str, invite: Call, answer: str) -> None:
    """A press on the invite's card; waits until the card is replaced."""
    before = len(_edits(rig, invite))
    await rig.post(_submit(user, invite, answer))
    await rig.until(lambda: _edits(rig, invite), before + 1)


async def test_a_borrel_over_teams(rig: TeamsRig) -> None:
    installed = installed_in_team()
    installed["locale"] = "en-GB"
    await rig.post(installed)
    await rig.until_members(5)
    # Chris works from Kolkata and says so; Bram reads Ritme in Dutch.
    await _tell(rig, CHRIS, "/ritme me timezone Asia/Kolkata")
    await _tell(rig, CHRIS, "/ritme me hours 13:00-22:30")  # he works late there: the 21:00 borrel is in his hours
    await _tell(rig, BRAM, "/ritme me language nl")
    create = f"borrel create fri 16:30 45m {LINK}"
    await rig.post(channel_mention(create, channel_id=TEAM_ID, channel_name="General", locale="en-GB"))
    thread = f"{TEAM_ID};messageid=1732348872999"
    replies = await rig.until(lambda: [c for c in rig.fake.posted() if c.conversation_id == thread], 2)
    assert "Borrel 1 for #General" in texts_of(replies[-1])

    rig.clock.set(INVITE.replace(hour=8, minute=59))  # 09:59 in Amsterdam: not yet
    await rig.ritme.dispatcher.tick()
    assert rig.in_channel() == []
    rig.clock.set(INVITE)
    await rig.ritme.dispatcher.tick()
    [invite] = rig.in_channel()
    text = texts_of(invite)
    assert "Virtual borrel of #General" in text and "Friday 27 November, 16:30–17:15 (Europe/Amsterdam)" in text
    assert LINK in text and "Joining: 0 · maybe: 0 · not this time: 0" in text
    actions = card_of(invite)["actions"]
    assert [(a["type"], a["title"]) for a in actions] == [
        ("Action.Submit", "Join"), ("Action.Submit", "Maybe"), ("Action.Submit", "Not this time"),
    ]
    assert all(a["data"][DATA_KEY] == BUTTON and a["data"]["action"] == "borrel.rsvp" for a in actions)

    # Each click from the channel replaces the invite's card in place, with the count as it now stands.
    for user, answer in ((ADA, "join"), (CHRIS, "join"), (BRAM, "maybe"), (EVA, "join"), (EVA, "no")):
        await _click(rig, user, invite, answer)
    edits = _edits(rig, invite)
    assert len(edits) == 5
    assert "Joining: 2 · maybe: 1 · not this time: 1 — Ada Lovelace and Chris Jansen" in texts_of(edits[-1])
    assert "Eva" not in texts_of(edits[-1])  # a "not this time" is counted, never named
    assert len(rig.in_channel()) == 1
    [chris] = await rig.until(lambda: [c for c in rig.to(CHRIS) if "You're in" in texts_of(c)])
    assert "Friday 27 November at 21:00 your time (Asia/Kolkata)" in texts_of(chris)  # his setting, not his client's
    assert _said(rig, BRAM, "Misschien dus, voor de borrel van #General")

    # 16:20 in Amsterdam: those who said join or maybe are reminded privately, in their own zone and language.
    rig.clock.set(REMIND)
    await rig.ritme.dispatcher.tick()
    [chris_reminder] = _said(rig, CHRIS, "starts in")
    assert "starts in 10 minutes: 21:00 your time (Asia/Kolkata)" in chris_reminder and LINK in chris_reminder
    [ada_reminder] = _said(rig, ADA, "starts in")
    assert "16:30 your time (Europe/Amsterdam)" in ada_reminder
    [bram_reminder] = _said(rig, BRAM, "begint over")
    assert "begint over 10 minuten: 16:30 jouw tijd (Europe/Amsterdam)" in bram_reminder
    assert _said(rig, EVA, "Noted: not this time") and not _said(rig, EVA, "starts in")  # Eva said no
    assert rig.to(DANA) == []  # Dana said nothing, and hears nothing

    # The next Friday's invite; Chris joins, then Ada cancels it: the card says so, and keeps no buttons.
    rig.clock.set(NEXT_INVITE)
    await rig.ritme.dispatcher.tick()
    [_, upcoming] = rig.in_channel()
    assert "Friday 4 December" in texts_of(upcoming)
    await _click(rig, CHRIS, upcoming, "join")
    await rig.post(channel_mention("borrel cancel", next(ACTIVITY_IDS), channel_id=TEAM_ID, channel_name="General",
                                   locale="en-GB"))
    cancelled = (await rig.until(lambda: _edits(rig, upcoming), 2))[-1]
    assert "This borrel is cancelled." in texts_of(cancelled) and "actions" not in card_of(cancelled)
    [told] = await rig.until(lambda: [c for c in rig.to(CHRIS) if "is cancelled" in texts_of(c)])
    assert "Friday 4 December at 21:00 your time is cancelled" in texts_of(told)

    # Dana's Teams still shows the card with its buttons: her click is answered privately and changes nothing.
    await rig.post(_submit(DANA, upcoming, "join"))
    [refused] = await rig.until(lambda: rig.to(DANA))
    assert "is cancelled, so there is nothing to answer" in texts_of(refused)
    assert len(_edits(rig, upcoming)) == 2

    rig.clock.set(NEXT_REMIND)
    await rig.ritme.dispatcher.tick()
    assert len(_said(rig, CHRIS, "starts in")) == 1  # only last week's
    assert len(rig.in_channel()) == 2
