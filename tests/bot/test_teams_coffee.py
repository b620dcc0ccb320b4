"""Coffee over Teams: Ritme added to a team of six, the coffee machine and an opt-in coffee pairing set up by
mention in General. The machine's link is posted in the channel at its time, once; on Monday the five who joined
and are not away make a pair and a trio, each member introduced in their personal chat (a bot cannot start a group
chat) with the same card as the rest of their group; `coffee why` explains it; two days later "did you meet?"
comes as a card with two Action.Submit buttons, members answer from their personal chat, Bram in Dutch, and
`coffee stats` shows the meet rate.

The real server runs as assembled from settings, in anonymous mode, against a fake Bot Connector service (as in
tests/bot/test_teams_borrel.py).
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.teams.protocol import BUTTON, DATA_KEY
from tests.adapters.teams.activities import (
    ADA,
    BRAM,
    TEAM_ID,
    card_submit,
    channel_mention,
    installed_in_team,
    personal_message,
)
from tests.adapters.teams.fake_connector import Call
from tests.bot.teams_rig import CHRIS, DANA, EVA, TeamsRig, card_of, teams_rig, texts_of
from tests.bot.test_teams_borrel import _tell

FINN = "29:1Fn2Bq4Cr6Ds8Et0Fu2Gv4Hw6Ix8Jy0Kz2La4Mb6Nc8Od0Pe2Qf4Rg6Sh8Ti0Uj2Vk4Wl6Xm8Yn0Zo2Ap4Bq6Cr8Ds0"
MONDAY_0800_AMSTERDAM = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
MACHINE_OPENS = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)  # 09:30 in Amsterdam
ROUND = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday 10:00 in Amsterdam
FOLLOW_UP = ROUND + timedelta(days=2)
LINK = "https://meet.example/koffie"
NAMES = {ADA: "Ada Lovelace", BRAM: "Bram de Vries", CHRIS: "Chris Jansen", DANA: "Dana Bakker", EVA: "Eva Visser",
         FINN: "Finn Mulder"}
ROSTER = [{"id": user, "name": name, "aadObjectId": f"{index}d1a9b4e-2c7f-4e8a-b3d5-0f9c8e7a6b5{index}"}
          for index, (user, name) in enumerate(NAMES.items())]
PAIRED = {ADA, BRAM, CHRIS, EVA, FINN}
ACTIVITY_IDS = (str(1732349990000 + n) for n in itertools.count())


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[TeamsRig]:
    async with teams_rig(tmp_path, ROSTER, MONDAY_0800_AMSTERDAM) as running:
        yield running


async def _mention(rig: TeamsRig, user: str, command: str, replies: int = 1) -> str:
    """The member mentions Ritme in General with a command; what Ritme answers them (in the command's thread)."""
    activity_id = next(ACTIVITY_IDS)
    thread = f"{TEAM_ID};messageid={activity_id}"
    await rig.post(channel_mention(command, activity_id, channel_id=TEAM_ID, channel_name="General", user=user,
                                   name=NAMES[user], locale="en-GB"))
    answers = await rig.until(lambda: [c for c in rig.fake.posted() if c.conversation_id == thread], replies)
    return "\n".join(texts_of(call) for call in answers)


async def _at(rig: TeamsRig, moment: datetime) -> None:
    rig.clock.set(moment)
    await rig.ritme.dispatcher.tick()


def _keyed(rig: TeamsRig, user: str, words: str) -> list[Call]:
    """What Ritme posted in the member's personal chat that holds `words`."""
    return [call for call in rig.to(user) if words in texts_of(call)]


async def _answer(rig: TeamsRig, user: str, question: Call, answer: str) -> str:
    """The member presses a button on the question's card in their personal chat; what Ritme answers there."""
    [action] = [a for a in card_of(question)["actions"] if a["data"]["value"].endswith(f":{answer}")]
    before = len(rig.to(user))
    await rig.post(card_submit(action["data"], next(ACTIVITY_IDS), reply_to=question.answer["id"], user=user,
                               name=NAMES[user], locale="en-GB"))
    return texts_of((await rig.until(lambda: rig.to(user), before + 1))[-1])


async def _install(rig: TeamsRig) -> None:
    """Ritme is added to the team of six, whose Teams speaks English."""
    installed = installed_in_team()
    installed["locale"] = "en-GB"
    await rig.post(installed)
    await rig.until_members(6)


async def test_coffee_over_teams(rig: TeamsRig) -> None:
    await _install(rig)
    await _tell(rig, BRAM, "/ritme me language nl")
    await _tell(rig, DANA, "/ritme me away until 2026-11-24")

    machine = await _mention(rig, ADA, f"coffee machine {LINK} at 09:30 until 10:30 on mon-fri", replies=2)
    assert "The coffee machine of #General opens Mon-Fri at 09:30 until 10:30 (Europe/Amsterdam)" in machine
    await _at(rig, MACHINE_OPENS - timedelta(minutes=1))
    assert rig.in_channel() == []
    await _at(rig, MACHINE_OPENS)
    await _at(rig, MACHINE_OPENS + timedelta(minutes=30))  # the timer wakes again: still one post today
    [opened] = rig.in_channel()
    assert ("The coffee machine is open until 10:30. Drop in for a chat:" in texts_of(opened)
            and LINK in texts_of(opened))

    created = await _mention(rig, ADA, "coffee create weekly on mon at 10:00 enrol optin follow-up 2d")
    assert "Coffee pairing for #General: every week on Mon at 10:00 (Europe/Amsterdam)" in created
    for user in (BRAM, CHRIS, DANA, EVA, FINN):
        joined = await _mention(rig, user, "coffee join")
        assert ("Je doet mee met de koffiekoppels van #General" if user == BRAM
                else "You're in the coffee pairing of #General. Next round: Monday 23 November.") in joined

    # Monday 10:00: Dana is away; the other five make a pair and a trio, each member told in their own chat.
    await _at(rig, ROUND - timedelta(minutes=1))
    assert not any(_keyed(rig, user, "Coffee time") for user in NAMES)
    await _at(rig, ROUND)
    intros = {user: _keyed(rig, user, "Coffee time in #General!") for user in NAMES}
    assert intros[DANA] == [] and all(len(intros[user]) == 1 for user in PAIRED)
    groups: dict[str, set[str]] = {}
    for user in PAIRED:
        groups.setdefault(texts_of(intros[user][0]), set()).add(user)  # a group's members get the same card
    assert sorted(len(group) for group in groups.values()) == [2, 3]
    for text, group in groups.items():
        assert all(NAMES[user] in text for user in group) and not any(NAMES[u] in text for u in set(NAMES) - group)
        assert "Icebreaker: " in text  # Bram's group mixes Dutch and English: the team's English
    await _at(rig, ROUND + timedelta(hours=1))
    assert all(len(_keyed(rig, user, "Coffee time")) == 1 for user in PAIRED)  # introduced once

    bram_group = next(group for group in groups.values() if BRAM in group)
    why = await _mention(rig, BRAM, "coffee why")
    assert why.startswith("Op maandag 23 november werd je gekoppeld aan ") and "Gekoppeld omdat: nooit eerder" in why
    assert all(NAMES[user] in why for user in bram_group - {BRAM})
    assert "You were not in the latest coffee round of #General" in await _mention(rig, DANA, "coffee why")

    # Wednesday 10:00: "did you meet?" as a card with two buttons, in each group member's personal chat.
    await _at(rig, FOLLOW_UP - timedelta(minutes=1))
    assert not any(_keyed(rig, user, "Did you meet") for user in NAMES)
    await _at(rig, FOLLOW_UP)
    questions = {user: _keyed(rig, user, "Did you meet for your coffee from #General") for user in NAMES}
    assert questions[DANA] == [] and all(len(questions[user]) == 1 for user in PAIRED)
    for user in PAIRED:
        actions = card_of(questions[user][0])["actions"]
        assert [(a["type"], a["title"]) for a in actions] == [
            ("Action.Submit", "Yes, we met"), ("Action.Submit", "Not this time"),
        ]
        assert all(a["data"][DATA_KEY] == BUTTON and a["data"]["action"] == "coffee.met" for a in actions)

    # Bram's group met, and he hears so in Dutch; someone in the other group says they did not.
    thanks = await _answer(rig, BRAM, questions[BRAM][0], "yes")
    assert thanks.startswith("Genoteerd: jullie hebben elkaar gesproken.")
    other = min(PAIRED - bram_group)
    assert (await _answer(rig, other, questions[other][0], "no")).startswith("Noted: not this time.")
    # Dana presses a copy of Bram's group's card (forwarded to her): told so, and nothing counted.
    assert "That button no longer does anything." in await _answer(rig, DANA, questions[BRAM][0], "no")

    stats = await _mention(rig, ADA, "coffee stats")
    assert "Coffee pairing of #General: rounds: 1, groups: 2." in stats
    assert "Met: 1 of the 2 groups asked (50%)." in stats
    assert "Cross-team connections: 0 (0 of them met)." in stats  # all of them are in General only
    assert "Gesproken: 1 van de 2 gevraagde groepjes (50%)." in await _mention(rig, BRAM, "coffee stats")
    # The channel saw Monday's and Wednesday's machine (its days, as the timer woke), and nothing of the groups.
    assert [texts_of(call).startswith("☕ The coffee machine is open until 10:30.") for call in rig.in_channel()] == [
        True, True]


async def test_one_member_is_told_in_her_personal_chat_in_her_hours_and_a_round_of_nobody_sends_nothing(
    rig: TeamsRig,
) -> None:
    await _install(rig)
    # Opt-in: Ada starts it (and so takes part), Eva joins and Ada leaves; Eva, who works from 13:00, is the only one.
    created = await _mention(rig, ADA, "coffee create weekly on mon at 10:00", replies=2)
    assert "Coffee pairing for #General: every week on Mon at 10:00 (Europe/Amsterdam)" in created
    assert "Next round: Monday 23 November." in await _mention(rig, EVA, "coffee join")
    assert "You left the coffee pairing of #General" in await _mention(rig, ADA, "coffee leave")
    await _tell(rig, EVA, "/ritme me hours 13:00-17:00")

    # Monday 10:00 is not Eva's time yet: nothing at all; at 13:00 her personal chat alone hears why.
    calls = len(rig.fake.calls)
    await _at(rig, ROUND)
    await _at(rig, ROUND + timedelta(hours=3) - timedelta(minutes=1))
    assert rig.fake.calls[calls:] == []
    await _at(rig, ROUND + timedelta(hours=3))
    await _at(rig, ROUND + timedelta(hours=4))  # the timer wakes again: one note
    news = rig.fake.calls[calls:]
    # One post, into the personal chat she wrote from: no chat opened for anyone, nothing in the channel.
    assert [call.operation for call in news] == ["send"] and news[0] in rig.to(EVA)
    assert texts_of(news[0]) == (
        "No coffee match for you in #General this round, because you were the only one taking part this round. "
        "Nothing to do: you're in again next round.")
    assert "you were the only one taking part this round" in await _mention(rig, EVA, "coffee why")

    # She leaves too; the next Monday nobody takes part, and Ritme calls the connector for nothing all day.
    assert "You left the coffee pairing of #General" in await _mention(rig, EVA, "coffee leave")
    calls = len(rig.fake.calls)
    for hours in range(0, 24, 2):
        await _at(rig, ROUND + timedelta(days=7, hours=hours))
    assert rig.fake.calls[calls:] == []
    stats = await _mention(rig, CHRIS, "coffee stats")
    assert "Coffee pairing of #General: rounds: 2, groups: 0." in stats
    assert "Met: 0 of the 0 groups asked (—)." in stats


async def _say(rig: TeamsRig, user: str, text: str) -> str:
    """The member writes to Ritme in their personal chat; what Ritme answers there."""
    before = len(rig.to(user))
    await rig.post(personal_message(text, next(ACTIVITY_IDS), user=user, name=NAMES[user], locale="en-GB"))
    return texts_of((await rig.until(lambda: rig.to(user), before + 1))[-1])


async def test_an_even_round_pairs_everyone_but_the_away_member_and_the_one_whose_hours_meet_nobodys(
    rig: TeamsRig,
) -> None:
    await _install(rig)
    await _mention(rig, ADA, "coffee create weekly on mon at 10:00 enrol all")
    assert "until after Tuesday 24 November" in await _say(rig, DANA, "/ritme me away until 2026-11-24")
    # Finn works 09:00-17:00 in Auckland, 20:00-04:00 UTC, while the others work 08:00-16:00 UTC.
    await _say(rig, FINN, "/ritme me timezone Pacific/Auckland")
    for user in (ADA, BRAM, CHRIS, EVA, FINN):
        await _say(rig, user, "/ritme me hours 09:00-17:00")
    await rig.ritme.inbound.idle()  # the dispatch after the last command is over before the clock moves on

    await _at(rig, ROUND)
    intros = {user: _keyed(rig, user, "Coffee time in #General!") for user in NAMES}
    assert intros[DANA] == [] and intros[FINN] == []
    groups: dict[str, set[str]] = {}
    for user in (ADA, BRAM, CHRIS, EVA):
        [intro] = intros[user]
        groups.setdefault(texts_of(intro), set()).add(user)
    assert sorted(len(group) for group in groups.values()) == [2, 2]
    assert "You were not in the latest coffee round of #General" in await _mention(rig, DANA, "coffee why")

    # Finn hears why in his personal chat in his own Tuesday morning, and not before.
    morning = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # Tuesday 09:00 in Auckland
    await _at(rig, morning - timedelta(minutes=1))
    assert _keyed(rig, FINN, "No coffee match") == []
    await _at(rig, morning)
    [note] = _keyed(rig, FINN, "No coffee match")
    assert "nobody else this round shares at least 1 h of working time with you" in texts_of(note)
