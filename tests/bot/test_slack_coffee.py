"""Coffee over Slack: the real bolt app, the real engine and database, a fake Slack Web API.

Ada opens the coffee machine of #team (its link is posted there at 09:30, once) and starts coffee pairing for
everyone. On Monday Finn skips and Kiri, in Auckland, shares no working hours with anyone: the other five make a
pair and a trio, each introduced in a group DM (conversations.open with the group's ids, then a post into it); Kiri
is told why in her own morning. Three days later each group DM is asked "did you meet?" with two buttons; members
press them there, Bram hears Dutch, and `coffee stats` shows the meet rate and the cross-team connections.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.adapters.slack.fake_slack import Call
from tests.adapters.slack.harness import block_actions, member_joined
from tests.bot.slack_rig import SlackRig, answered_id, buttons_of, slack_rig, text_of

MONDAY_0800_AMSTERDAM = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
MACHINE_OPENS = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)  # 09:30 in Amsterdam
ROUND = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday 10:00 in Amsterdam, 22:00 in Auckland
KIRI_MORNING = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # Tuesday 09:00 in Auckland
FOLLOW_UP = ROUND + timedelta(days=3)
LINK = "https://meet.example/koffie"
# Who they are on Slack (users.info): Chitra works from Dubai, Kiri from Auckland (her hours meet nobody else's:
# Kolkata's would, by an hour a day), Bram reads Slack in Dutch.
PROFILES = {"U1": ("Ada", "Europe/Amsterdam", "en-GB"), "U2": ("Bram", "Europe/Amsterdam", "nl-NL"),
            "U3": ("Chitra", "Asia/Dubai", "en-AE"), "U4": ("Dana", "Europe/Amsterdam", "en-GB"),
            "U5": ("Eva", "Europe/Amsterdam", "en-GB"), "U6": ("Finn", "Europe/Amsterdam", "en-GB"),
            "U7": ("Kiri", "Pacific/Auckland", "en-NZ")}
PAIRED = {"U1", "U2", "U3", "U4", "U5"}
DESIGN = {"U1", "U2"}  # also in #design (C2), so another team than the rest


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[SlackRig]:
    async with slack_rig(tmp_path, PROFILES, MONDAY_0800_AMSTERDAM) as rig:
        yield rig


async def _answer(rig: SlackRig, user: str, command: str, replies: int = 1) -> str:
    """Run `/ritme <command>` in #team as `user`; the private answer(s) Slack shows them."""
    mine = lambda: [c for c in rig.fake.calls_to("chat.postEphemeral", ok=True) if c.args["user"] == user]  # noqa: E731
    before = len(mine())
    assert (await rig.slack.command(command, user_id=user, user_name=PROFILES[user][0].lower())).status == 200
    return "\n".join(str(call.args["text"]) for call in (await rig.until(mine, before + replies))[before:])


async def _at(rig: SlackRig, moment: datetime) -> None:
    rig.clock.set(moment)
    await rig.ritme.dispatcher.tick()


def _opened(rig: SlackRig) -> list[frozenset[str]]:
    """The groups Ritme opened a group DM with, in order."""
    return [frozenset(str(c.args["users"]).split(",")) for c in rig.fake.calls_to("conversations.open", ok=True)]


def _dm_of(group: frozenset[str]) -> str:
    """The group DM's channel id, as the fake names it."""
    return "G" + "".join(user[1:] for user in sorted(group))


async def _press(rig: SlackRig, user: str, group: frozenset[str], question: Call, answer: str) -> str:
    """Press a button on the group DM's question as Slack sends it from there; the reply the member gets."""
    ts = await rig.ts(f"coffee-follow-up:{answered_id(question)}", ",".join(sorted(group)))
    [button] = [b for b in buttons_of(question) if json.loads(b["value"])["value"].endswith(f":{answer}")]
    payload = block_actions(button["action_id"], button["value"], user_id=user, trigger_id=rig.slack.trigger_id())
    payload["container"] = {"type": "message", "message_ts": ts, "channel_id": _dm_of(group), "is_ephemeral": False}
    payload["channel"] = {"id": _dm_of(group), "name": "mpdm"}
    payload["message"] = {"type": "message", "ts": ts, "text": question.args["text"]}
    before = len(rig.posted(user))
    assert (await rig.slack.interaction(payload)).status == 200
    return text_of((await rig.until(lambda: rig.posted(user), before + 1))[-1])


async def test_coffee_over_slack(rig: SlackRig) -> None:
    for index, user in enumerate(["U2", "U3", "U4", "U5", "U6", "U7"]):
        assert (await rig.slack.event(member_joined(f"Ev{index}", user_id=user))).status == 200
    for index, user in enumerate(sorted(DESIGN)):
        assert (await rig.slack.event(member_joined(f"Ed{index}", user_id=user, channel_id="C2"))).status == 200
    await rig.until_members(6)

    machine = await _answer(rig, "U1", f"coffee machine {LINK} at 09:30 until 10:30 on mon-fri", replies=2)
    assert "you are now its manager" in machine
    assert "The coffee machine of #team opens Mon-Fri at 09:30 until 10:30 (Europe/Amsterdam)" in machine
    await _at(rig, MACHINE_OPENS - timedelta(minutes=1))
    assert rig.posted("C1") == []
    await _at(rig, MACHINE_OPENS)
    await _at(rig, MACHINE_OPENS + timedelta(minutes=20))  # the timer wakes again: still one post today
    [opened] = rig.posted("C1")
    assert "The coffee machine is open until 10:30. Drop in for a chat:" in text_of(opened) and LINK in text_of(opened)

    created = await _answer(rig, "U1", "coffee create weekly on mon at 10:00 enrol all")
    assert "Coffee pairing for #team: every week on Mon at 10:00 (Europe/Amsterdam)" in created
    await rig.until_members(7)
    assert "You'll sit out the round of Monday 23 November" in await _answer(rig, "U6", "coffee skip")

    # Monday 10:00 in Amsterdam: a pair and a trio, each in a group DM of its own members.
    await _at(rig, ROUND - timedelta(minutes=1))
    assert _opened(rig) == []
    await _at(rig, ROUND)
    groups = _opened(rig)
    assert sorted(len(group) for group in groups) == [2, 3] and frozenset().union(*groups) == PAIRED
    for group in groups:
        [intro] = rig.posted(_dm_of(group))
        text = text_of(intro)
        assert text.startswith("☕ Coffee time in #team!") and "Icebreaker: " in text  # mixed: the team's English
        assert all(PROFILES[user][0] in text for user in group)
    assert not any(rig.posted(user) for user in ("U6", "U7"))  # Finn skips; 22:00 is not Kiri's time
    await _at(rig, ROUND + timedelta(hours=2))
    assert _opened(rig) == groups  # introduced once

    bram_group = next(group for group in groups if "U2" in group)
    why = await _answer(rig, "U2", "coffee why")
    assert why.startswith("Op maandag 23 november werd je gekoppeld aan ") and "Gekoppeld omdat: nooit eerder" in why
    assert all(PROFILES[user][0] in why for user in bram_group - {"U2"})
    assert "You were not in the latest coffee round of #team" in await _answer(rig, "U6", "coffee why")

    # Kiri shares no working hours with anyone: she is told so in her own morning, and never grouped.
    await _at(rig, KIRI_MORNING - timedelta(minutes=1))
    assert rig.posted("U7") == []
    await _at(rig, KIRI_MORNING)
    [note] = rig.posted("U7")
    assert text_of(note).startswith("No coffee match for you in #team this round, because nobody else this round "
                                  "shares at least 1 h of working time with you.")
    assert "nobody else this round shares at least 1 h" in await _answer(rig, "U7", "coffee why")

    # Thursday 10:00: each group DM is asked "did you meet?", with two buttons.
    await _at(rig, FOLLOW_UP - timedelta(minutes=1))
    assert len(_opened(rig)) == 2
    await _at(rig, FOLLOW_UP)
    assert sorted(_opened(rig)[2:], key=sorted) == sorted(groups, key=sorted)  # the same group DMs again
    questions = {group: rig.posted(_dm_of(group))[-1] for group in groups}
    for question in questions.values():
        assert text_of(question).startswith("☕ Did you meet for your coffee from #team")
        assert [(b["type"], b["text"]["text"]) for b in buttons_of(question)] == [
            ("button", "Yes, we met"), ("button", "Not this time"),
        ]
        assert {json.loads(b["value"])["action"] for b in buttons_of(question)} == {"coffee.met"}

    # Bram's group met (he says so, and hears it in Dutch); the other group did not.
    assert "Genoteerd: jullie hebben elkaar gesproken." in await _press(rig, "U2", bram_group, questions[bram_group],
                                                                        "yes")
    other = next(group for group in groups if group != bram_group)
    clicker = min(other)
    assert "Noted: not this time." in await _press(rig, clicker, other, questions[other], "no")
    # Finn, outside Bram's group, presses its button from a forwarded copy: told so, nothing counted.
    assert "That button no longer does anything." in await _press(rig, "U6", bram_group, questions[bram_group], "no")

    stats = await _answer(rig, "U1", "coffee stats")
    assert "Coffee pairing of #team: rounds: 1, groups: 2." in stats
    assert "Met: 1 of the 2 groups asked (50%)." in stats
    cross = [group for group in groups if 0 < len(group & DESIGN) < len(group)]
    met_across = sum(1 for group in cross if group == bram_group)
    assert cross  # the matcher prefers people from different teams, and here it can
    assert f"Cross-team connections: {len(cross)} ({met_across} of them met)." in stats
    assert "Gesproken: 1 van de 2 gevraagde groepjes (50%)." in await _answer(rig, "U2", "coffee stats")


async def test_one_member_is_told_in_a_dm_in_her_morning_and_a_round_of_nobody_calls_slack_for_nothing(
    rig: SlackRig,
) -> None:
    for index, user in enumerate(["U2", "U3", "U7"]):
        assert (await rig.slack.event(member_joined(f"Ev{index}", user_id=user))).status == 200
    await rig.until_members(3)
    # Opt-in: Ada starts it (and so takes part), Kiri joins and Ada leaves; Kiri is the only one on Monday.
    created = await _answer(rig, "U1", "coffee create weekly on mon at 10:00", replies=2)
    assert "Coffee pairing for #team: every week on Mon at 10:00 (Europe/Amsterdam)" in created
    assert "You're in the coffee pairing of #team. Next round: Monday 23 November." in await _answer(
        rig, "U7", "coffee join")
    assert "You left the coffee pairing of #team" in await _answer(rig, "U1", "coffee leave")

    # 22:00 in Auckland at the round: her note waits for her morning, and comes as a DM to her alone.
    await _at(rig, ROUND)
    await _at(rig, KIRI_MORNING - timedelta(minutes=1))
    assert rig.posted("U7") == []
    await _at(rig, KIRI_MORNING)
    await _at(rig, KIRI_MORNING + timedelta(hours=1))  # the timer wakes again: one note
    [note] = rig.posted("U7")
    assert note.args["text"] == ("No coffee match for you in #team this round, because you were the only one "
                                 "taking part this round. Nothing to do: you're in again next round.")
    assert [c.args["channel"] for c in rig.fake.calls_to("chat.postMessage")] == ["U7"]  # nothing to anyone else
    assert _opened(rig) == [] and rig.fake.calls_to("conversations.open") == []  # no group DM, not even of one
    assert "you were the only one taking part this round" in await _answer(rig, "U7", "coffee why")

    # She leaves too; the next Monday nobody takes part, and Ritme calls Slack for nothing all day and night.
    assert "You left the coffee pairing of #team" in await _answer(rig, "U7", "coffee leave")
    calls = len(rig.fake.calls)
    for hours in range(0, 24, 2):
        await _at(rig, ROUND + timedelta(days=7, hours=hours))
    assert rig.fake.calls[calls:] == []
    stats = await _answer(rig, "U3", "coffee stats")
    assert "Coffee pairing of #team: rounds: 2, groups: 0." in stats and "Met: 0 of the 0 groups asked (—)." in stats


async def test_an_even_round_pairs_everyone_but_the_away_member_and_the_one_whose_hours_meet_nobodys(
    rig: SlackRig,
) -> None:
    for index, user in enumerate(["U2", "U3", "U4", "U6", "U7"]):
        assert (await rig.slack.event(member_joined(f"Ev{index}", user_id=user))).status == 200
    await rig.until_members(5)
    await _answer(rig, "U1", "coffee create weekly on mon at 10:00 enrol all")
    await rig.until_members(6)
    assert "until after Tuesday 24 November" in await _answer(rig, "U6", "me away until 2026-11-24")
    await rig.ritme.inbound.idle()  # the dispatch after the last command is over before the clock moves on

    # Finn is away and Kiri's Auckland hours meet nobody's: the other four make two pairs, each in a group DM.
    await _at(rig, ROUND)
    groups = _opened(rig)
    assert sorted(len(group) for group in groups) == [2, 2]
    assert frozenset().union(*groups) == {"U1", "U2", "U3", "U4"}
    assert all(len(rig.posted(_dm_of(group))) == 1 for group in groups)
    assert rig.posted("U6") == [] and rig.posted("U7") == []
    assert "You were not in the latest coffee round of #team" in await _answer(rig, "U6", "coffee why")
    await _at(rig, KIRI_MORNING)
    [note] = rig.posted("U7")
    assert "nobody else this round shares at least 1 h of working time with you" in text_of(note)
