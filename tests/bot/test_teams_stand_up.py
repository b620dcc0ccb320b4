"""A whole stand-up over Teams: Ritme added to a team, a mention command, proactive card prompts, a card answer,
the digest in the channel and a late answer in its thread.

The real server runs as assembled from settings (the SDK's /api/messages, the engine, SQLite), in anonymous mode
because the tokens have tests of their own (tests/adapters/teams/test_teams_auth.py). Teams' side is played by
activities shaped like Teams' and a fake Bot Connector service on a loopback port, which every activity names as
its serviceUrl.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from adapters.teams.protocol import FIELD_COUNT
from tests.adapters.teams.activities import ADA, BRAM, TEAM_ID, card_submit, channel_mention, installed_in_team
from tests.bot.teams_rig import TeamsRig, card_of, teams_rig

MONDAY_0800_AMSTERDAM = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
ROSTER = [
    {"id": ADA, "name": "Ada Lovelace", "aadObjectId": "6d1a9b4e-2c7f-4e8a-b3d5-0f9c8e7a6b51"},
    {"id": BRAM, "name": "Bram de Vries", "aadObjectId": "0c2e4a6b-8d1f-4b3a-9c5e-7a1d3f5b7c92"},
]


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[TeamsRig]:
    async with teams_rig(tmp_path, ROSTER, MONDAY_0800_AMSTERDAM) as running:
        yield running


def _texts(card: dict[str, Any]) -> str:
    return " ".join(str(element.get("text") or element.get("label") or "") for element in card["body"])


def _answer(card: dict[str, Any], values: list[str]) -> dict[str, Any]:
    """What Teams sends back for an Action.Submit: the action's data with each input's value."""
    [submit] = card["actions"]
    inputs = [element["id"] for element in card["body"] if element["type"].startswith("Input.")]
    return {**submit["data"], **dict(zip(inputs, values, strict=True))}


async def test_a_stand_up_over_teams(rig: TeamsRig) -> None:
    # Ada adds Ritme to the team: the General channel's reference is kept and its roster read.
    await rig.post(installed_in_team())
    await rig.until_members(2)

    await rig.post(channel_mention("standup create at 09:30 on mon-fri digest 11:00", channel_id=TEAM_ID))
    thread = f"{TEAM_ID};messageid=1732348872999"
    first, created = await rig.until(lambda: [c for c in rig.fake.posted() if c.conversation_id == thread], 2)
    # Ada's Teams client speaks Dutch; the replies are in the thread of her command.
    assert "manager" in first.body["text"] and "staat klaar" in created.body["text"]

    rig.clock.set(datetime(2026, 11, 23, 8, 30, tzinfo=UTC))  # 09:30 in Amsterdam
    await rig.ritme.dispatcher.tick()
    # The dispatch that follows a command may have claimed these prompts first and still be sending them.
    [ada_prompt] = await rig.until(lambda: rig.to(ADA))
    [bram_prompt] = await rig.until(lambda: rig.to(BRAM))
    # Neither has written to Ritme personally: both chats were opened on the fly, then the cards posted.
    assert len(rig.fake.calls_to("create", ok=True)) == 2
    ada_card, bram_card = card_of(ada_prompt), card_of(bram_prompt)
    assert "waar richt je je vandaag op?" in _texts(ada_card).lower()  # Dutch for Ada
    assert "what is your focus today?" in _texts(bram_card).lower()  # English for Bram
    assert ada_card["actions"][0]["data"][FIELD_COUNT] == 3

    ada_values = ["<at>everyone</at> **klaar**", "Docs", ""]
    submit = card_submit(_answer(ada_card, ada_values), reply_to=ada_prompt.answer["id"])
    await rig.post(submit)
    [thanks] = await rig.until(lambda: rig.fake.calls_to("update", ok=True))
    assert thanks.activity_id == ada_prompt.answer["id"]  # the prompt card itself is replaced
    assert "11:00" in str(thanks.body)

    rig.clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))  # 11:00: the digest
    await rig.ritme.dispatcher.tick()
    [digest] = [call for call in rig.fake.posted() if call.conversation_id == TEAM_ID]
    text = str(digest.body)
    assert "Ada Lovelace" in text and "Docs" in text
    assert "<at>" not in text  # member text never becomes a mention

    late = card_submit(
        _answer(bram_card, ["Fine", "Tests", "no"]), activity_id="1732348879999", reply_to=bram_prompt.answer["id"],
        user=BRAM, name="Bram de Vries", locale="en-GB",
    )
    await rig.post(late)
    in_thread = f"{TEAM_ID};messageid={digest.answer['id']}"
    [reply] = await rig.until(lambda: [c for c in rig.fake.posted() if c.conversation_id == in_thread])
    assert "Bram de Vries" in str(reply.body) and "Tests" in str(reply.body)

    # Teams delivering Ada's answer again changes nothing: no second update, no second answer.
    await rig.post(submit)
    await asyncio.sleep(0.2)
    assert len(rig.fake.calls_to("update", ok=True)) == 2  # Ada's thanks and Bram's late note

