"""A whole virtual borrel over Slack: the real bolt app, the real engine and database, a fake Slack Web API.

Ada sets up a borrel in #team; on Friday the invite is posted there with three buttons; members press them in the
channel and each press edits that same post (chat.update of its ts) with the live count; those who come get a DM
before the start in the zone Slack gives them; and the next Friday's borrel, cancelled, says so on its invite.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.adapters.slack.fake_slack import Call
from tests.adapters.slack.harness import block_actions, member_joined
from tests.bot.slack_rig import SlackRig, answered_id, buttons_of, slack_rig, text_of

MONDAY_0800_AMSTERDAM = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
# Friday 27 November in Amsterdam (UTC+1): the invite at 10:00, the reminder at 16:20 for a start at 16:30.
INVITE = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
REMIND = datetime(2026, 11, 27, 15, 20, tzinfo=UTC)
NEXT_INVITE = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
NEXT_REMIND = datetime(2026, 12, 4, 15, 20, tzinfo=UTC)
LINK = "https://meet.example/borrel"
# Who they are on Slack (users.info): Chitra works from Kolkata, Bram reads Slack in Dutch.
PROFILES = {"U1": ("Ada", "Europe/Amsterdam", "en-GB"), "U2": ("Bram", "Europe/Amsterdam", "nl-NL"),
            "U3": ("Chitra", "Asia/Kolkata", "en-IN"), "U4": ("Dana", "Europe/Amsterdam", "en-GB"),
            "U5": ("Eva", "Europe/Amsterdam", "en-GB")}


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[SlackRig]:
    async with slack_rig(tmp_path, PROFILES, MONDAY_0800_AMSTERDAM) as rig:
        yield rig


def _dms(rig: SlackRig, user: str, words: str) -> list[str]:
    """The texts of the DMs Ritme sent the member that hold `words`."""
    return [text_of(call) for call in rig.posted(user) if words in text_of(call)]


async def _press(rig: SlackRig, user: str, invite: Call, answer: str) -> None:
    """Press a button on the invite in #team as Slack sends it, from the channel message; wait for its edit."""
    ts = await rig.ts(f"borrel-invite:{answered_id(invite)}", "C1")
    [button] = [b for b in buttons_of(invite) if json.loads(b["value"])["value"].endswith(f":{answer}")]
    payload = block_actions(button["action_id"], button["value"], user_id=user, trigger_id=rig.slack.trigger_id())
    payload["container"] = {"type": "message", "message_ts": ts, "channel_id": "C1", "is_ephemeral": False}
    payload["channel"] = {"id": "C1", "name": "team"}
    payload["message"] = {"type": "message", "ts": ts, "text": invite.args["text"]}
    before = len(rig.updates(ts))
    assert (await rig.slack.interaction(payload)).status == 200
    await rig.until(lambda: rig.updates(ts), before + 1)


async def test_a_borrel_over_slack(rig: SlackRig) -> None:
    assert (await rig.slack.event(member_joined("Ev1", user_id="U4"))).status == 200
    await rig.until_members(1)
    assert (await rig.slack.command(f"borrel create fri 16:30 45m {LINK}", user_id="U1")).status == 200
    ephemeral = lambda: rig.fake.calls_to("chat.postEphemeral", ok=True)  # noqa: E731
    [created] = await rig.until(lambda: [c for c in ephemeral() if "Borrel 1 for #team" in c.args["text"]])
    assert "every week on Fri, 16:30–17:15 (Europe/Amsterdam)" in created.args["text"]
    # Chitra works late in Kolkata, so the 21:00 borrel is in her hours and its reminder may reach her.
    assert (await rig.slack.command("me hours 13:00-22:30", user_id="U3")).status == 200
    await rig.until(lambda: [c for c in ephemeral() if "between 13:00 and 22:30" in c.args["text"]])

    rig.clock.set(INVITE.replace(hour=8, minute=59))  # 09:59 in Amsterdam: not yet
    await rig.ritme.dispatcher.tick()
    assert rig.posted("C1") == []
    rig.clock.set(INVITE)
    await rig.ritme.dispatcher.tick()
    [invite] = rig.posted("C1")
    text = text_of(invite)
    assert "Virtual borrel of #team" in text and "Friday 27 November, 16:30–17:15 (Europe/Amsterdam)" in text
    assert LINK in text and "Joining: 0 · maybe: 0 · not this time: 0" in text
    assert [(b["type"], b["text"]["text"]) for b in buttons_of(invite)] == [
        ("button", "Join"), ("button", "Maybe"), ("button", "Not this time"),
    ]
    assert {json.loads(b["value"])["action"] for b in buttons_of(invite)} == {"borrel.rsvp"}

    # Presses in the channel edit the invite's own post, the count as it now stands.
    for user, answer in (("U1", "join"), ("U3", "join"), ("U2", "maybe"), ("U5", "join"), ("U5", "no")):
        await _press(rig, user, invite, answer)
    ts = await rig.ts(f"borrel-invite:{answered_id(invite)}", "C1")
    edits = rig.updates(ts)
    assert len(edits) == 5 and all(edit.args["channel"] == "C1" for edit in edits)
    assert "Joining: 2 · maybe: 1 · not this time: 1 — Ada and Chitra" in text_of(edits[-1])
    assert "Eva" not in text_of(edits[-1])  # a "not this time" is counted, never named
    assert len(rig.posted("C1")) == 1  # no second invite
    [chitra] = await rig.until(lambda: [c for c in rig.posted("U3") if "your time" in text_of(c)])
    assert "Friday 27 November at 21:00 your time (Asia/Kolkata)" in text_of(chitra)  # her zone, from users.info
    [bram] = await rig.until(lambda: [c for c in rig.posted("U2") if "jouw tijd" in text_of(c)])
    assert "Misschien dus, voor de borrel van #team" in text_of(bram)  # Bram's Slack speaks Dutch

    # 16:20 in Amsterdam: a DM to each who said join or maybe, in their own zone and language.
    rig.clock.set(REMIND)
    await rig.ritme.dispatcher.tick()
    [chitra_reminder] = _dms(rig, "U3", "starts in")
    assert "starts in 10 minutes: 21:00 your time (Asia/Kolkata)" in chitra_reminder and LINK in chitra_reminder
    [ada_reminder] = _dms(rig, "U1", "starts in")
    assert "16:30 your time (Europe/Amsterdam)" in ada_reminder
    [bram_reminder] = _dms(rig, "U2", "begint over")
    assert "De borrel van #team begint over 10 minuten: 16:30 jouw tijd (Europe/Amsterdam)" in bram_reminder
    assert _dms(rig, "U5", "Noted: not this time") and not _dms(rig, "U5", "starts in")  # Eva said no
    assert rig.posted("U4") == []  # Dana, in #team, said nothing, and hears nothing

    # The next Friday's invite; Chitra joins it, then Ada cancels it: the post says so, without buttons.
    rig.clock.set(NEXT_INVITE)
    await rig.ritme.dispatcher.tick()
    [_, upcoming] = rig.posted("C1")
    assert "Friday 4 December" in text_of(upcoming)
    await _press(rig, "U3", upcoming, "join")
    assert (await rig.slack.command("borrel cancel", user_id="U1")).status == 200
    next_ts = await rig.ts(f"borrel-invite:{answered_id(upcoming)}", "C1")
    cancelled = (await rig.until(lambda: rig.updates(next_ts), 2))[-1]
    assert "This borrel is cancelled." in text_of(cancelled) and not buttons_of(cancelled)
    [told] = await rig.until(lambda: [c for c in rig.posted("U3") if "is cancelled" in text_of(c)])
    assert "Friday 4 December at 21:00 your time is cancelled" in text_of(told)

    rig.clock.set(NEXT_REMIND)
    await rig.ritme.dispatcher.tick()
    assert len(_dms(rig, "U3", "starts in")) == 1  # only last week's
    assert len(rig.posted("C1")) == 2
