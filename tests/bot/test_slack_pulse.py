"""A whole wellbeing pulse over Slack: the real bolt app, the real engine and database, a fake Slack Web API.

Five members join #team, Ada sets up a pulse, each member answers in the modal the Answer button opens (radio
buttons and a comment), one asks for a talk, the round closes with results in the channel; and afterwards no row
of the database ties a member to what they answered.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.adapters.slack.fake_slack import Call
from tests.adapters.slack.harness import block_actions, member_joined, view_submission
from tests.bot.pulse_dump import assert_no_member_answer_link
from tests.bot.slack_rig import SlackRig, buttons_of, slack_rig, text_of

MONDAY_0800_AMSTERDAM = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
MONDAY_1000_AMSTERDAM = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TUESDAY_1000_AMSTERDAM = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
NAMES = {"U1": "Ada", "U2": "Bram", "U3": "Chris", "U4": "Dana", "U5": "Eva"}
# What each member picks on the two questions, and a comment only they wrote.
SCORES = {"U1": ("4", "3"), "U2": ("5", "4"), "U3": ("2", "4"), "U4": ("4", "5"), "U5": ("5", "4")}
COMMENTS = {user: f"note 7f3a-{index}" for index, user in enumerate(NAMES)}


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[SlackRig]:
    profiles = {user: (name, "Europe/Amsterdam", "en-GB") for user, name in NAMES.items()}
    async with slack_rig(tmp_path, profiles, MONDAY_0800_AMSTERDAM) as rig:
        yield rig


async def _open_form(rig: SlackRig, user: str, delivery_id: str) -> dict[str, Any]:
    """Press Answer on the pulse DM; the modal Ritme opens."""
    opened = len(rig.fake.calls_to("views.open", ok=True))
    press = block_actions("ritme.answer", delivery_id, user_id=user, trigger_id=rig.slack.trigger_id())
    assert (await rig.slack.interaction(press)).status == 200
    view = (await rig.until(lambda: rig.fake.calls_to("views.open", ok=True), opened + 1))[-1].args["view"]
    return json.loads(view) if isinstance(view, str) else dict(view)


async def _submit(rig: SlackRig, user: str, view: dict[str, Any], values: list[str | None]) -> None:
    submit = view_submission(view, values, user_id=user, trigger_id=rig.slack.trigger_id())
    assert (await rig.slack.interaction(submit)).status == 200


async def _press(rig: SlackRig, user: str, button: dict[str, Any]) -> None:
    press = block_actions(button["action_id"], button["value"], user_id=user, trigger_id=rig.slack.trigger_id())
    assert (await rig.slack.interaction(press)).status == 200


async def test_a_pulse_round_over_slack(rig: SlackRig) -> None:
    # Bram, Chris, Dana and Eva join #team; Ada sets up the pulse there and so becomes its manager.
    for index, user in enumerate(["U2", "U3", "U4", "U5"]):
        assert (await rig.slack.event(member_joined(f"Ev{index}", user_id=user))).status == 200
    await rig.until_members(4)
    assert (await rig.slack.command("pulse create weekly mon 10:00 open 1d", user_id="U1")).status == 200
    ephemeral = lambda: rig.fake.calls_to("chat.postEphemeral", ok=True)  # noqa: E731
    await rig.until(lambda: [c for c in ephemeral() if "Pulse" in c.args["text"]])
    await rig.until_members(5)

    # Monday 10:00: each member gets the anonymous form (a DM with an Answer button) and, apart, the talk button.
    rig.clock.set(MONDAY_1000_AMSTERDAM)
    await rig.ritme.dispatcher.tick()
    forms: dict[str, Call] = {}
    talks: dict[str, Call] = {}
    for user in NAMES:
        # The dispatch that follows the command may have claimed these prompts first and still be sending them.
        dms = await rig.until(lambda: rig.posted(user), 2)  # noqa: B023
        [form] = [c for c in dms if any(b["action_id"] == "ritme.answer" for b in buttons_of(c))]
        [talk] = [c for c in dms if c is not form]
        assert "I'd like a chat with my manager" in [b["text"]["text"] for b in buttons_of(talk)]
        forms[user], talks[user] = form, talk

    # Each answers in the modal: a radio button per question, then the comment.
    for user in NAMES:
        [answer] = [b for b in buttons_of(forms[user]) if b["action_id"] == "ritme.answer"]
        view = await _open_form(rig, user, answer["value"])
        inputs = [block for block in view["blocks"] if block["type"] == "input"]
        assert [block["element"]["type"] for block in inputs] == ["radio_buttons", "radio_buttons", "plain_text_input"]
        assert [o["value"] for o in inputs[0]["element"]["options"]] == ["1", "2", "3", "4", "5"]
        await _submit(rig, user, view, [*SCORES[user], COMMENTS[user]])
        ts = await rig.ts(f"pulse-form:{answer['value']}", user)
        [saved] = await rig.until(lambda: rig.updates(ts))  # noqa: B023 (awaited before the loop goes on)
        assert "saved without your name" in text_of(saved)
        assert not buttons_of(saved)

    # Chris asks for a talk: first told what is shared, then, confirmed, Ada gets a DM naming him, with no score.
    [talk_button] = buttons_of(talks["U3"])
    talk_ts = await rig.ts(f"pulse-talk:{json.loads(talk_button['value'])['value']}", "U3")
    await _press(rig, "U3", talk_button)
    [explained] = await rig.until(lambda: rig.updates(talk_ts))
    assert "nothing of your pulse answers" in text_of(explained)
    ada_dms = len(rig.posted("U1"))
    await _press(rig, "U3", buttons_of(explained)[0])
    [request] = (await rig.until(lambda: rig.posted("U1"), ada_dms + 1))[ada_dms:]
    text = text_of(request)
    assert "Chris" in text and "would like a chat" in text
    assert COMMENTS["U3"] not in text and not any(f'"{score}"' in text for score in SCORES["U3"])
    [_, sent] = await rig.until(lambda: rig.updates(talk_ts), 2)
    assert "none of your answers" in text_of(sent)

    # Tuesday 10:00: the round closes, and #team gets the results.
    rig.clock.set(TUESDAY_1000_AMSTERDAM)
    await rig.ritme.dispatcher.tick()
    [results] = rig.posted("C1")
    text = text_of(results)
    assert "5 of 5" in text and "4.0" in text  # the first question's scores 4, 5, 2, 4, 5 average 4.0
    # Five comments reach k = 5, so they are shown too, without a name to any of them.
    assert all(comment in text for comment in COMMENTS.values())
    assert not any(name in text for name in NAMES.values())

    # An answer after the close is refused, and changes nothing.
    [answer] = [b for b in buttons_of(forms["U2"]) if b["action_id"] == "ritme.answer"]
    bram_dms = len(rig.posted("U2"))
    press = block_actions("ritme.answer", answer["value"], user_id="U2", trigger_id=rig.slack.trigger_id())
    assert (await rig.slack.interaction(press)).status == 200
    [refused] = (await rig.until(lambda: rig.posted("U2"), bram_dms + 1))[bram_dms:]
    assert "closed" in text_of(refused)

    await assert_no_member_answer_link(
        rig.ritme.store._engine,
        members={user: [user] for user in NAMES},
        answers={user: [*SCORES[user], COMMENTS[user]] for user in NAMES},
    )
