"""Coffee in the local chat, over its HTTP API on the assembled server: Anna (Dutch) opens the coffee machine and
starts coffee pairing; on Monday five of the seven take part (one skips, one is away), a pair and a trio are each
introduced in a conversation only they see, `coffee why` explains it, two days later "did you meet?" comes with
two buttons, the members answer, and `coffee stats` shows the meet rate, in Dutch for Anna and English for Ben.
The next Monday six (an even count) make three pairs, none of them a group of the week before."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.wiring import Ritme
from tests.bot.local_chat import PulseChat, local_served, text_of
from tests.rituals.harness import FakeClock

MONDAY_0900_AMSTERDAM = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
MACHINE_OPENS = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)  # 09:30 in Amsterdam
ROUND = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday 10:00 in Amsterdam, 14:30 in Kolkata, 06:00 in São Paulo
FOLLOW_UP = ROUND + timedelta(days=2)
LINK = "https://meet.example/koffie"


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[Ritme, FakeClock, PulseChat]]:
    async with local_served(tmp_path, MONDAY_0900_AMSTERDAM) as served:
        yield served


async def _at(ritme: Ritme, clock: FakeClock, moment: datetime) -> None:
    clock.set(moment)
    await ritme.dispatcher.tick()


async def _channel(chat: PulseChat, user: str, prefix: str) -> list[str]:
    return [text_of(m) for m in await chat.history(user)
            if m["conversation"] == "channel:team" and m["key"].startswith(prefix)]


async def _groups(chat: PulseChat, user: str, prefix: str) -> list[dict[str, Any]]:
    """The group conversations' messages the member sees whose key starts with `prefix`."""
    return [m for m in await chat.history(user)
            if m["conversation"].startswith("group:") and m["key"].startswith(prefix)]


async def _last_reply(chat: PulseChat, user: str, command: str) -> str:
    await chat.say(user, command)
    return text_of((await chat.history(user))[-1])


async def test_coffee_in_the_local_chat(served: tuple[Ritme, FakeClock, PulseChat]) -> None:
    ritme, clock, chat = served
    dana, eva, finn = [await chat.add(name) for name in ("Dana Smit", "Eva Jansen", "Finn Bakker")]
    everyone = ["anna", "ben", "lucas", "priya", dana, eva, finn]

    # Anna manages #team and speaks Dutch: the machine's reply and its post in the channel are Dutch.
    set_up = await _last_reply(chat, "anna", f"/ritme coffee machine {LINK} at 09:30 until 10:30 on mon-fri")
    assert "De koffieautomaat van #team gaat ma-vr om 09:30 open tot 10:30 (Europe/Amsterdam)" in set_up
    await _at(ritme, clock, MACHINE_OPENS - timedelta(minutes=1))
    assert await _channel(chat, "ben", "coffee-machine:") == []
    await _at(ritme, clock, MACHINE_OPENS)
    await _at(ritme, clock, MACHINE_OPENS + timedelta(minutes=15))  # the timer wakes again: no second post
    [machine] = await _channel(chat, "ben", "coffee-machine:")
    assert machine == f"☕ De koffieautomaat is open tot 10:30. Schuif aan voor een praatje: {LINK}"

    created = await _last_reply(chat, "anna", "/ritme coffee create weekly on mon at 10:00 enrol all follow-up 2d")
    assert "Koffiekoppels voor #team: elke week op ma om 10:00 (Europe/Amsterdam)" in created
    assert "You'll sit out the round of Monday 23 November" in await _last_reply(chat, eva, "/ritme coffee skip")
    await chat.say(finn, "/ritme me away until 2026-11-24")
    listing = await _last_reply(chat, "ben", "/ritme coffee list")
    assert "Taking part (7):" in listing and "Sitting out the next round: Eva Jansen." in listing

    # Monday 10:00: five take part, so a pair and a trio, each in a conversation only its members see.
    await _at(ritme, clock, ROUND - timedelta(minutes=1))
    assert await _groups(chat, "anna", "coffee-intro:") == []
    await _at(ritme, clock, ROUND)
    intros: dict[str, list[dict[str, Any]]] = {user: await _groups(chat, user, "coffee-intro:") for user in everyone}
    assert intros[eva] == [] and intros[finn] == []
    assert all(len(intros[user]) == 1 for user in ["anna", "ben", "lucas", "priya", dana])
    groups = {m["conversation"]: m for found in intros.values() for m in found}
    members = sorted(tuple(sorted(c.removeprefix("group:").split(":"))) for c in groups)
    assert sorted(len(m) for m in members) == [2, 3]
    assert sorted(u for m in members for u in m) == sorted(["anna", "ben", "lucas", "priya", dana])
    for conversation, intro in groups.items():
        text = text_of(intro)
        # Anna's group mixes Dutch and English, so it hears the team's language (Anna's); the other is English.
        if "anna" in conversation:
            assert text.startswith("☕ Koffietijd in #team!") and "IJsbreker: " in text
        else:
            assert text.startswith("☕ Coffee time in #team!") and "Icebreaker: " in text
    await _at(ritme, clock, ROUND + timedelta(hours=1))
    assert {user: await _groups(chat, user, "coffee-intro:") for user in everyone} == intros  # each group once

    anna_group = next(c for c in groups if "anna" in c).removeprefix("group:").split(":")
    why = await _last_reply(chat, "anna", "/ritme coffee why")
    assert why.startswith("Op maandag 23 november werd je gekoppeld aan ") and "Gekoppeld omdat: nooit eerder" in why
    names = {"ben": "Ben Carter", "lucas": "Lucas Oliveira", "priya": "Priya Nair", dana: "Dana Smit"}
    assert all(names[user] in why for user in anna_group if user != "anna")  # by name, never by id
    assert not any(name in why for user, name in names.items() if user not in anna_group)
    assert "You were not in the latest coffee round of #team" in await _last_reply(chat, eva, "/ritme coffee why")

    # Two days later, in working hours all round: "did you meet?" in each group conversation, with two buttons.
    await _at(ritme, clock, FOLLOW_UP - timedelta(minutes=1))
    assert await _groups(chat, "anna", "coffee-follow-up:") == []
    await _at(ritme, clock, FOLLOW_UP)
    questions = {m["conversation"]: m for user in everyone for m in await _groups(chat, user, "coffee-follow-up:")}
    assert set(questions) == set(groups)
    assert await _groups(chat, eva, "coffee-follow-up:") == []
    answers = {}
    for conversation, question in questions.items():
        dutch = "anna" in conversation
        assert text_of(question).startswith(
            "☕ Hebben jullie elkaar gesproken" if dutch else "☕ Did you meet for your coffee from #team")
        labels = [(b["label"], b["action"]) for b in question["buttons"]]
        assert labels == ([("Ja, gesproken", "coffee.met"), ("Deze keer niet", "coffee.met")] if dutch
                          else [("Yes, we met", "coffee.met"), ("Not this time", "coffee.met")])
        # Anna's group met; the other did not.
        answer = "yes" if dutch else "no"
        [button] = [b for b in question["buttons"] if b["value"].endswith(f":{answer}")]
        clicker = "anna" if dutch else conversation.removeprefix("group:").split(":")[0]
        await chat.press(clicker, button["action"], button["value"])
        answers[clicker] = text_of((await chat.history(clicker))[-1])
    assert answers["anna"].startswith("Genoteerd: jullie hebben elkaar gesproken.")
    assert any(text.startswith("Noted: not this time.") for user, text in answers.items() if user != "anna")

    # Someone outside a group pressing its button is told so, and nothing is counted.
    question = next(q for c, q in questions.items() if "anna" in c)
    await chat.press(eva, "coffee.met", question["buttons"][0]["value"])
    assert "That button no longer does anything." in text_of((await chat.history(eva))[-1])

    stats = await _last_reply(chat, "anna", "/ritme coffee stats")
    assert "Koffiekoppels van #team: rondes: 1, groepjes: 2." in stats
    assert "Gesproken: 1 van de 2 gevraagde groepjes (50%)." in stats
    assert "Contacten tussen teams: 0 (waarvan 0 gesproken)." in stats  # everyone is in #team only
    english = await _last_reply(chat, "ben", "/ritme coffee stats")
    assert "rounds: 1, groups: 2." in english and "Met: 1 of the 2 groups asked (50%)." in english

    # The next Monday: Eva and Finn are back, Lucas has left; six make three new pairs, nobody with last week's.
    assert "You left the coffee pairing of #team" in await _last_reply(chat, "lucas", "/ritme coffee leave")
    await _at(ritme, clock, ROUND + timedelta(days=7))
    seen = {m["conversation"] for user in everyone for m in await _groups(chat, user, "coffee-intro:")}
    week_two = seen - set(groups)  # a pair that met again would share its conversation, and be missing here
    pairs = [frozenset(c.removeprefix("group:").split(":")) for c in week_two]
    assert sorted(len(pair) for pair in pairs) == [2, 2, 2]
    assert frozenset().union(*pairs) == {"anna", "ben", "priya", dana, eva, finn}
    assert not any(pair <= frozenset(m) for pair in pairs for m in members)  # no one meets last week's group again
    stats = await _last_reply(chat, "anna", "/ritme coffee stats")
    assert "rondes: 2, groepjes: 5." in stats and "Gesproken: 1 van de 2 gevraagde groepjes (50%)." in stats


async def test_one_member_hears_why_in_their_hours_and_a_round_of_nobody_sends_nothing(
    served: tuple[Ritme, FakeClock, PulseChat],
) -> None:
    ritme, clock, chat = served
    everyone = ["anna", "ben", "lucas", "priya"]
    await chat.say("anna", "/ritme standup delete")  # the demo's stand-up would talk on Mondays too
    # Opt-in, and nobody joins: Anna, who starts it, is the only one; she works from 13:00 today.
    await chat.say("anna", "/ritme me hours 13:00-17:00")
    created = await _last_reply(chat, "anna", "/ritme coffee create weekly on mon at 10:00")
    assert "Koffiekoppels voor #team: elke week op ma om 10:00 (Europe/Amsterdam)" in created
    assert "Taking part (1): Anna de Vries." in await _last_reply(chat, "ben", "/ritme coffee list")
    before = {user: await chat.history(user) for user in everyone}

    # Monday 10:00 is not Anna's time yet; at 13:00 she alone hears, in her direct messages, why there is no match.
    await _at(ritme, clock, ROUND)
    await _at(ritme, clock, ROUND + timedelta(hours=3) - timedelta(minutes=1))
    assert {user: await chat.history(user) for user in everyone} == before
    await _at(ritme, clock, ROUND + timedelta(hours=3))
    await _at(ritme, clock, ROUND + timedelta(hours=4))  # the timer wakes again: one note
    after = {user: await chat.history(user) for user in everyone}
    [note] = after["anna"][len(before["anna"]):]
    assert note["conversation"] == "dm:anna"
    assert text_of(note) == ("Geen koffiekoppel voor jou in #team deze ronde, omdat jij de enige was die deze ronde "
                             "meedeed. Je hoeft niets te doen: volgende ronde doe je weer mee.")
    assert all(after[user] == before[user] for user in everyone if user != "anna")
    assert not any(m["conversation"].startswith("group:") for user in everyone for m in after[user])
    assert "omdat jij de enige was die deze ronde meedeed" in await _last_reply(chat, "anna", "/ritme coffee why")

    # She leaves; the next Monday nobody takes part, and nobody hears a thing all day.
    assert "Je doet niet meer mee" in await _last_reply(chat, "anna", "/ritme coffee leave")
    quiet = {user: await chat.history(user) for user in everyone}
    for hours in range(0, 10):
        await _at(ritme, clock, ROUND + timedelta(days=7, hours=hours))
    assert {user: await chat.history(user) for user in everyone} == quiet
    stats = await _last_reply(chat, "ben", "/ritme coffee stats")
    assert "Coffee pairing of #team: rounds: 2, groups: 0." in stats and "Met: 0 of the 0 groups asked (—)." in stats
    assert "Nobody takes part yet" in await _last_reply(chat, "ben", "/ritme coffee list")


async def test_an_even_round_pairs_everyone_but_the_away_member_and_the_one_whose_hours_meet_nobodys(
    served: tuple[Ritme, FakeClock, PulseChat],
) -> None:
    ritme, clock, chat = served
    dana, eva, finn, gus, hana = [await chat.add(name) for name in ("Dana", "Eva", "Finn", "Gus", "Hana")]
    # Opt-in. Anna starts it and leaves again (the demo's Anna works around the clock, so she meets anyone's hours).
    await _last_reply(chat, "anna", "/ritme coffee create weekly on mon at 10:00")
    await chat.say("anna", "/ritme coffee leave")
    for user in ("priya", dana, eva, finn, gus, hana):
        await chat.say(user, "/ritme coffee join")
    await chat.say(finn, "/ritme me away until 2026-11-24")
    # In UTC: Auckland's 09:00-17:00 is 20:00-04:00, Priya's 12:00-17:00 in Kolkata 06:30-11:30, Amsterdam's
    # 09:00-17:00 08:00-16:00. Gus shares no time with anyone; Priya shares 3.5 h a day with Amsterdam.
    await chat.say(gus, "/ritme me timezone Pacific/Auckland")
    await chat.say("priya", "/ritme me hours 12:00-17:00")
    for user in (dana, eva, gus, hana):
        await chat.say(user, "/ritme me hours 09:00-17:00")
    everyone = ["anna", "ben", "lucas", "priya", dana, eva, finn, gus, hana]
    await ritme.inbound.idle()  # the dispatch after the last command is over before the clock moves on

    await _at(ritme, clock, ROUND)  # 14:30 in Kolkata, 22:00 in Auckland
    pairs = {frozenset(m["conversation"].removeprefix("group:").split(":"))
             for user in everyone for m in await _groups(chat, user, "coffee-intro:")}
    assert sorted(len(pair) for pair in pairs) == [2, 2]
    assert frozenset().union(*pairs) == {"priya", dana, eva, hana}
    assert "You were not in the latest coffee round of #team" in await _last_reply(chat, finn, "/ritme coffee why")

    # Gus hears why in his own Tuesday morning, in his direct messages, and never before.
    morning = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # Tuesday 09:00 in Auckland
    await _at(ritme, clock, morning - timedelta(minutes=1))
    assert [m for m in await chat.history(gus) if m["key"].startswith("coffee")] == []
    await _at(ritme, clock, morning)
    [note] = [m for m in await chat.history(gus) if m["key"].startswith("coffee")]
    assert note["conversation"] == f"dm:{gus}"
    assert text_of(note).startswith("No coffee match for you in #team this round, because nobody else this round "
                                    "shares at least 1 h of working time with you.")
