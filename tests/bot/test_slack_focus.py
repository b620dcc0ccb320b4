"""No-meeting windows, core hours, the meeting check, the calendar link and combined notes over Slack: the real bolt
app, the real engine and database, a fake Slack Web API.

Ada sets a focus afternoon and core hours in #team with `/ritme`; Bram checks meeting slots and gets his answers as
ephemeral messages only he sees, and the answer changes once Noah, who works from New York (his Slack profile says
so), joins the channel; `/ritme focus calendar` gives a link that serves an iCalendar file; as the window starts
#team gets one reminder; and a stand-up reminder and a borrel reminder due in one minute arrive as one DM.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.adapters.slack.fake_slack import Call
from tests.adapters.slack.harness import block_actions, member_joined
from tests.bot.focus_flow import (
    FRIDAY_INVITE,
    FRIDAY_REMIND,
    FRIDAY_STANDUP,
    LINK,
    MONDAY_0900_AMSTERDAM,
    WINDOW_START,
    assert_serves_the_focus_calendar,
)
from tests.bot.settled import wake_at
from tests.bot.slack_rig import SlackRig, answered_id, blocks_of, buttons_of, slack_rig, text_of

PUBLIC = "https://ritme.example.com"
PROFILES = {"U1": ("Ada", "Europe/Amsterdam", "en-GB"), "U2": ("Bram", "Europe/Amsterdam", "en-GB"),
            "U3": ("Noah", "America/New_York", "en-US")}
FITS = "fits: no no-meeting window, not outside core hours, and inside everyone's working hours."


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[SlackRig]:
    async with slack_rig(tmp_path, PROFILES, MONDAY_0900_AMSTERDAM, public_url=PUBLIC) as rig:
        yield rig


def _ephemeral(rig: SlackRig, user: str) -> list[Call]:
    return [c for c in rig.fake.calls_to("chat.postEphemeral", ok=True) if c.args.get("user") == user]


async def _ask(rig: SlackRig, user: str, command: str, replies: int = 1) -> str:
    """Run `/ritme <command>` in #team as the member; Ritme's ephemeral replies there, one text a paragraph."""
    before = len(_ephemeral(rig, user))
    assert (await rig.slack.command(command, user_id=user)).status == 200
    calls = (await rig.until(lambda: _ephemeral(rig, user), before + replies))[before:]
    assert {call.args["channel"] for call in calls} == {"C1"}
    return "\n\n".join(str(call.args["text"]) for call in calls)


async def _join(rig: SlackRig, user: str, count: int) -> None:
    assert (await rig.slack.event(member_joined(f"Ev{user}", user_id=user))).status == 200
    await rig.until_members(count)


async def test_a_focus_afternoon_core_hours_and_meeting_checks_over_slack(rig: SlackRig) -> None:
    await _join(rig, "U2", 1)
    added = await _ask(rig, "U1", 'focus add wed 13:00-17:00 "focus afternoon"', replies=2)
    assert "so you are now its manager" in added
    assert ("No-meeting window #1 for #team: Focus afternoon, Wed 13:00-17:00 (Europe/Amsterdam). "
            "The channel gets a short reminder as it starts.") in added
    assert (await _ask(rig, "U1", "core 10:00-12:00 14:00-16:00")).startswith(
        "Core hours of #team: 10:00-12:00, 14:00-16:00 on Mon-Fri (Europe/Amsterdam).")
    listed = await _ask(rig, "U2", "focus list")
    assert "• #1 Focus afternoon: Wed 13:00-17:00 (Europe/Amsterdam)" in listed
    assert "Core hours: 10:00-12:00, 14:00-16:00 on Mon-Fri (Europe/Amsterdam)." in listed

    in_window = await _ask(rig, "U2", "meet-check wed 13:30 45m")
    assert in_window.startswith("Wednesday 25 November, 13:30-14:15 (Europe/Amsterdam, 45 min) does not fit")
    assert "• it falls in the no-meeting window Focus afternoon (Wed 13:00-17:00, Europe/Amsterdam)" in in_window
    assert in_window.endswith("Nearest slots of 45 min that fit everyone (your time, Europe/Amsterdam):\n"
                              "• Wednesday 25 November, 10:45-11:30\n• Wednesday 25 November, 11:00-11:45\n"
                              "• Wednesday 25 November, 11:15-12:00")
    assert await _ask(rig, "U2", "meet-check thu 10:30 30m") == (
        f"Thursday 26 November, 10:30-11:00 (Europe/Amsterdam, 30 min) {FITS}")

    # Noah joins #team; Slack says he is in New York, where Thursday 10:30 in Amsterdam is 04:30.
    await _join(rig, "U3", 3)
    late = await _ask(rig, "U2", "meet-check thu 10:30 30m")
    assert ("• it is outside Noah's working hours (09:00-17:30, America/New_York): for them it is Thursday 26 "
            "November, 04:30-05:00") in late
    assert "• Thursday 26 November, 15:00-15:30" in late
    assert await _ask(rig, "U3", "meet-check thu 09:00 30m") == (  # his own clock, from his profile
        f"Thursday 26 November, 09:00-09:30 (America/New_York, 30 min) {FITS}")
    assert rig.posted("C1") == [] and rig.posted("U2") == []  # all of this was ephemeral, in #team

    # The calendar link, served over HTTP by the same server, parses as a calendar with both blocks in it.
    server = rig.slack.url.removesuffix("/slack/events")
    await assert_serves_the_focus_calendar(await _ask(rig, "U2", "focus calendar"), PUBLIC, server)

    # Wednesday 13:00 in Amsterdam: one reminder in #team; the next tick adds nothing.
    await wake_at(rig, WINDOW_START.replace(hour=11, minute=59))
    assert rig.posted("C1") == []
    await wake_at(rig, WINDOW_START)
    [reminder] = await rig.until(lambda: rig.posted("C1"))
    assert "Focus afternoon starts now, until 17:00: no meetings. Enjoy the quiet." in text_of(reminder)
    await wake_at(rig, WINDOW_START.replace(minute=1))
    assert len(rig.posted("C1")) == 1
    assert rig.fake.calls_to("users.profile.set") == []  # nobody granted a user token: no status is tried


async def _rsvp(rig: SlackRig, user: str, invite: Call) -> None:
    """Press Join on the borrel invite in #team, as Slack sends it from the channel message."""
    ts = await rig.ts(f"borrel-invite:{answered_id(invite)}", "C1")
    [button] = [b for b in buttons_of(invite) if json.loads(b["value"])["value"].endswith(":join")]
    payload = block_actions(button["action_id"], button["value"], user_id=user, trigger_id=rig.slack.trigger_id())
    payload["container"] = {"type": "message", "message_ts": ts, "channel_id": "C1", "is_ephemeral": False}
    payload["channel"] = {"id": "C1", "name": "team"}
    assert (await rig.slack.interaction(payload)).status == 200


async def test_a_stand_up_reminder_and_a_borrel_reminder_arrive_as_one_slack_dm(rig: SlackRig) -> None:
    await _join(rig, "U2", 1)
    await _ask(rig, "U1", "standup create at 16:00 on fri digest 17:00 remind 20m", replies=2)
    await _ask(rig, "U1", f"borrel create fri 16:30 45m {LINK}")
    await wake_at(rig, FRIDAY_INVITE)
    [invite] = await rig.until(lambda: rig.posted("C1"))
    await _rsvp(rig, "U2", invite)
    await rig.until(lambda: [c for c in rig.posted("U2") if "You're in" in text_of(c)])
    await wake_at(rig, FRIDAY_STANDUP)
    [form] = await rig.until(lambda: [c for c in rig.posted("U2") if "ritme.answer" in json.dumps(blocks_of(c))])

    before = len(rig.posted("U2"))
    await wake_at(rig, FRIDAY_REMIND)
    arrived = (await rig.until(lambda: rig.posted("U2"), before + 1))[before:]
    assert len(arrived) == 1, [text_of(call)[:100] for call in arrived]
    [combined] = arrived
    text = str(combined.args["text"])
    assert text.startswith("*A few things from Ritme:*\n\n")  # its header in bold
    assert "the stand-up of #team closes at 17:00" in text
    assert "The borrel of #team starts in 10 minutes: 16:30 your time (Europe/Amsterdam)" in text and LINK in text
    await wake_at(rig, FRIDAY_REMIND.replace(minute=21))
    assert len(rig.posted("U2")) == before + 1 and form in rig.posted("U2")
