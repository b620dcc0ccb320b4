"""A whole wellbeing pulse over Teams: Ritme added to a team of five, a pulse set up by mention, Adaptive Cards with
a choice set per question, answers, a request for a talk, results in the channel; and afterwards no row of the
database ties a member to what they answered.

The real server runs as assembled from settings, in anonymous mode, against a fake Bot Connector service (as in
tests/bot/test_teams_stand_up.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.adapters.teams.activities import (
    ADA,
    BRAM,
    TEAM_ID,
    card_submit,
    channel_mention,
    installed_in_team,
)
from tests.adapters.teams.fake_connector import Call
from tests.bot.pulse_dump import assert_no_member_answer_link
from tests.bot.teams_rig import CHRIS, DANA, EVA, TeamsRig, card_of, teams_rig

MONDAY_0800_AMSTERDAM = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
MONDAY_1000_AMSTERDAM = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TUESDAY_1000_AMSTERDAM = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
NAMES = {ADA: "Ada Lovelace", BRAM: "Bram de Vries", CHRIS: "Chris Jansen", DANA: "Dana Bakker", EVA: "Eva Visser"}
AAD = {user: f"{index}d1a9b4e-2c7f-4e8a-b3d5-0f9c8e7a6b5{index}" for index, user in enumerate(NAMES)}
ROSTER = [{"id": user, "name": name, "aadObjectId": AAD[user]} for user, name in NAMES.items()]
SCORES = {ADA: ("4", "3"), BRAM: ("5", "4"), CHRIS: ("2", "4"), DANA: ("4", "5"), EVA: ("5", "4")}
COMMENTS = {user: f"note 9c1e-{index}" for index, user in enumerate(NAMES)}


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[TeamsRig]:
    async with teams_rig(tmp_path, ROSTER, MONDAY_0800_AMSTERDAM) as running:
        yield running


def _texts(call: Call) -> str:
    if not call.body.get("attachments"):
        return str(call.body.get("text", ""))
    return " ".join(str(element.get("text") or element.get("label") or "") for element in card_of(call)["body"])


def _inputs(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [element for element in card["body"] if element["type"].startswith("Input.")]


def _answer(card: dict[str, Any], values: list[str]) -> dict[str, Any]:
    """What Teams sends back for the form's Action.Submit: the action's data with each input's value."""
    [submit] = card["actions"]
    return {**submit["data"], **dict(zip([element["id"] for element in _inputs(card)], values, strict=True))}


def _submit(user: str, value: dict[str, Any], activity_id: str, reply_to: str) -> dict[str, Any]:
    return card_submit(value, activity_id, reply_to=reply_to, user=user, name=NAMES[user], locale="en-GB")


async def test_a_pulse_round_over_teams(rig: TeamsRig) -> None:
    # Ada adds Ritme to the team: its roster of five is read; then she sets up the pulse and so manages it.
    installed = installed_in_team()
    installed["locale"] = "en-GB"  # everyone here speaks English
    await rig.post(installed)
    await rig.until_members(5)
    await rig.post(channel_mention("pulse create weekly mon 10:00 open 1d", channel_id=TEAM_ID, locale="en-GB"))
    thread = f"{TEAM_ID};messageid=1732348872999"
    replies = await rig.until(lambda: [c for c in rig.fake.posted() if c.conversation_id == thread], 2)
    assert "Pulse" in _texts(replies[-1])

    # Monday 10:00: each member gets the form (a card with a choice set per question) and, apart, the talk card.
    rig.clock.set(MONDAY_1000_AMSTERDAM)
    await rig.ritme.dispatcher.tick()
    forms: dict[str, Call] = {}
    talks: dict[str, Call] = {}
    for user in NAMES:
        # The dispatch that follows the command may have claimed these prompts first and still be sending them.
        [form, talk] = await rig.until(lambda: rig.to(user), 2)  # noqa: B023
        forms[user], talks[user] = form, talk
        inputs = _inputs(card_of(form))
        assert [element["type"] for element in inputs] == ["Input.ChoiceSet", "Input.ChoiceSet", "Input.Text"]
        assert [choice["value"] for choice in inputs[0]["choices"]] == ["1", "2", "3", "4", "5"]
        assert inputs[0]["style"] == "expanded"
        [talk_button] = card_of(talk)["actions"]
        assert talk_button["title"] == "I'd like a chat with my manager"

    # Each picks a point on both scales and writes a comment; the card is replaced by "saved".
    for index, user in enumerate(NAMES):
        prompt = forms[user]
        value = _answer(card_of(prompt), [*SCORES[user], COMMENTS[user]])
        await rig.post(_submit(user, value, f"17323488731{index:02d}", prompt.answer["id"]))
        [saved] = await rig.until(lambda: rig.updates(user, prompt.answer["id"]))  # noqa: B023
        assert "saved without your name" in _texts(saved)
        assert "actions" not in card_of(saved)

    # Chris asks for a talk: told what is shared, then, confirmed, Ada hears it, with no score and no comment.
    talk = talks[CHRIS]
    [talk_button] = card_of(talk)["actions"]
    await rig.post(_submit(CHRIS, talk_button["data"], "1732348874001", talk.answer["id"]))
    [explained] = await rig.until(lambda: rig.updates(CHRIS, talk.answer["id"]))
    assert "nothing of your pulse answers" in _texts(explained)
    to_ada = len(rig.to(ADA))
    [confirm] = card_of(explained)["actions"]
    await rig.post(_submit(CHRIS, confirm["data"], "1732348874002", talk.answer["id"]))
    [request] = (await rig.until(lambda: rig.to(ADA), to_ada + 1))[to_ada:]
    text = str(request.body)
    assert "Chris Jansen" in text and "would like a chat" in _texts(request)
    assert COMMENTS[CHRIS] not in text and "score" not in text.lower()
    [_, sent] = await rig.until(lambda: rig.updates(CHRIS, talk.answer["id"]), 2)
    assert "none of your answers" in _texts(sent)

    # Tuesday 10:00: the round closes, and the channel gets the results.
    rig.clock.set(TUESDAY_1000_AMSTERDAM)
    await rig.ritme.dispatcher.tick()
    [results] = [call for call in rig.fake.posted() if call.conversation_id == TEAM_ID]
    text = _texts(results)
    assert "5 of 5" in text and "4.0" in text  # the first question's scores 4, 5, 2, 4, 5 average 4.0
    # Five comments reach k = 5, so they are shown too, without a name to any of them.
    assert all(comment in text for comment in COMMENTS.values())
    assert not any(name.split()[0] in text for name in NAMES.values())

    # Bram's answer again, after the close: refused, and his card is not touched.
    bram = forms[BRAM]
    to_bram = len(rig.to(BRAM))
    again = _answer(card_of(bram), ["1", "1", "too late"])
    await rig.post(_submit(BRAM, again, "1732348875001", bram.answer["id"]))
    [refused] = (await rig.until(lambda: rig.to(BRAM), to_bram + 1))[to_bram:]
    assert "closed" in _texts(refused)
    assert len(rig.updates(BRAM, bram.answer["id"])) == 1

    await assert_no_member_answer_link(
        rig.ritme.store._engine,
        members={user: [user, AAD[user]] for user in NAMES},
        answers={user: [*SCORES[user], COMMENTS[user]] for user in NAMES},
    )
