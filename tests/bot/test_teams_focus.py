"""No-meeting windows, core hours, the meeting check, the calendar link and combined notes over Teams: Ritme added to
a team of three, commands by @mention in the General channel, a fake Bot Connector on loopback.

Ada sets a focus afternoon and core hours; Bram checks meeting slots and gets each answer in his command's own
thread (Teams has no message only one member of a channel sees), and the answer changes once Chris tells Ritme he
works from New York; `focus calendar` gives a link that serves an iCalendar file; as the window starts the channel
gets one reminder; and a stand-up reminder and a borrel reminder due in one minute reach a member as one message.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.teams.protocol import FIELD_COUNT
from tests.adapters.teams.activities import ADA, BRAM, TEAM_ID, channel_mention, installed_in_team, personal_message
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
from tests.bot.teams_rig import CHRIS, TeamsRig, card_of, teams_rig, texts_of
from tests.bot.test_teams_borrel import _click

PUBLIC = "https://ritme.example.com"
# The names test_teams_borrel's helpers give these members when they press a card.
NAMES = {ADA: "Ada Lovelace", BRAM: "Bram de Vries", CHRIS: "Chris Jansen"}
ROSTER = [{"id": user, "name": name, "aadObjectId": f"{index}d1a9b4e-2c7f-4e8a-b3d5-0f9c8e7a6b5{index}"}
          for index, (user, name) in enumerate(NAMES.items())]
ACTIVITY_IDS = (str(1732349990000 + n) for n in itertools.count())
FITS = "fits: no no-meeting window, not outside core hours, and inside everyone's working hours."


@pytest.fixture
async def rig(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[TeamsRig]:
    monkeypatch.setenv("RITME_PUBLIC_URL", PUBLIC)  # teams_rig builds its Settings from the environment too
    async with teams_rig(tmp_path, ROSTER, MONDAY_0900_AMSTERDAM) as running:
        installed = installed_in_team()
        installed["locale"] = "en-GB"
        await running.post(installed)
        await running.until_members(3)
        yield running


async def _ask(rig: TeamsRig, user: str, command: str, replies: int = 1) -> str:
    """@mention Ritme in General as the member; Ritme's replies in that command's thread, one text a paragraph."""
    activity_id = next(ACTIVITY_IDS)
    await rig.post(channel_mention(command, activity_id, channel_id=TEAM_ID, channel_name="General", user=user,
                                   name=NAMES[user], locale="en-GB"))
    thread = f"{TEAM_ID};messageid={activity_id}"
    calls = await rig.until(lambda: [c for c in rig.fake.posted() if c.conversation_id == thread], replies)
    return "\n\n".join(_shown(texts_of(call)) for call in calls)


def _shown(markdown: str) -> str:
    """What Teams shows of Ritme's markdown: escaped characters as themselves (`America/New\\_York`)."""
    return re.sub(r"\\([\\`*_~\[\]])", r"\1", markdown)


async def _tell(rig: TeamsRig, user: str, text: str) -> None:
    """The member writes to Ritme in their personal chat, and Ritme answers there."""
    before = len(rig.to(user))
    await rig.post(personal_message(text, next(ACTIVITY_IDS), user=user, name=NAMES[user], locale="en-GB"))
    await rig.until(lambda: rig.to(user), before + 1)


async def test_a_focus_afternoon_core_hours_and_meeting_checks_over_teams(rig: TeamsRig) -> None:
    added = await _ask(rig, ADA, 'focus add wed 13:00-17:00 "focus afternoon"', replies=2)
    assert "so you are now its manager" in added
    assert ("No-meeting window #1 for #General: Focus afternoon, Wed 13:00-17:00 (Europe/Amsterdam). "
            "The channel gets a short reminder as it starts.") in added
    assert (await _ask(rig, ADA, "core 10:00-12:00 14:00-16:00")).startswith(
        "Core hours of #General: 10:00-12:00, 14:00-16:00 on Mon-Fri (Europe/Amsterdam).")
    listed = await _ask(rig, BRAM, "focus list")
    assert "#1 Focus afternoon: Wed 13:00-17:00 (Europe/Amsterdam)" in listed
    assert "Core hours: 10:00-12:00, 14:00-16:00 on Mon-Fri (Europe/Amsterdam)." in listed

    in_window = await _ask(rig, BRAM, "meet-check wed 13:30 45m")
    assert "Wednesday 25 November, 13:30-14:15 (Europe/Amsterdam, 45 min) does not fit everyone:" in in_window
    assert "it falls in the no-meeting window Focus afternoon (Wed 13:00-17:00, Europe/Amsterdam)" in in_window
    assert "Nearest slots of 45 min that fit everyone (your time, Europe/Amsterdam):" in in_window
    assert re.findall(r"Wednesday 25 November, (\d\d:\d\d)-", in_window) == ["13:30", "10:45", "11:00", "11:15"]
    assert await _ask(rig, BRAM, "meet-check thu 10:30 30m") == (
        f"Thursday 26 November, 10:30-11:00 (Europe/Amsterdam, 30 min) {FITS}")

    # Chris tells Ritme he works from New York, where Thursday 10:30 in Amsterdam is 04:30.
    await _tell(rig, CHRIS, "/ritme me timezone America/New_York")
    late = await _ask(rig, BRAM, "meet-check thu 10:30 30m")
    assert ("it is outside Chris Jansen's working hours (09:00-17:30, America/New_York): for them it is Thursday "
            "26 November, 04:30-05:00") in late
    assert "Thursday 26 November, 15:00-15:30" in late
    assert await _ask(rig, CHRIS, "meet-check thu 09:00 30m") == (  # his own clock
        f"Thursday 26 November, 09:00-09:30 (America/New_York, 30 min) {FITS}")
    assert rig.in_channel() == [] and rig.to(BRAM) == []  # each answer stayed in its command's thread

    # The calendar link, served over HTTP by the same server, parses as a calendar with both blocks in it.
    base = rig.teams.url.removesuffix("/api/messages")
    await assert_serves_the_focus_calendar(await _ask(rig, BRAM, "focus calendar"), PUBLIC, base)

    # Wednesday 13:00 in Amsterdam: one reminder at the top of General; the next tick adds nothing.
    await wake_at(rig, WINDOW_START.replace(hour=11, minute=59))
    assert rig.in_channel() == []
    await wake_at(rig, WINDOW_START)
    [reminder] = await rig.until(rig.in_channel)
    assert texts_of(reminder) == "Focus afternoon starts now, until 17:00: no meetings. Enjoy the quiet."
    await wake_at(rig, WINDOW_START.replace(minute=1))
    assert len(rig.in_channel()) == 1


async def test_a_stand_up_reminder_and_a_borrel_reminder_reach_a_teams_member_as_one_message(rig: TeamsRig) -> None:
    await _ask(rig, ADA, "standup create at 16:00 on fri digest 17:00 remind 20m", replies=2)
    await _ask(rig, ADA, f"borrel create fri 16:30 45m {LINK}")
    await wake_at(rig, FRIDAY_INVITE)
    [invite] = await rig.until(rig.in_channel)
    await _click(rig, BRAM, invite, "join")
    await rig.until(lambda: [c for c in rig.to(BRAM) if "You're in" in texts_of(c)])
    await wake_at(rig, FRIDAY_STANDUP)
    # The stand-up's form: a card whose submit carries the form's fields (the timer's tick or the dispatch that
    # follows a command may send it).
    [form] = await rig.until(lambda: [c for c in rig.to(BRAM) if c.body.get("attachments") and any(
        FIELD_COUNT in action.get("data", {}) for action in card_of(c).get("actions", []))])

    before = len(rig.to(BRAM))
    await wake_at(rig, FRIDAY_REMIND)
    arrived = (await rig.until(lambda: rig.to(BRAM), before + 1))[before:]
    assert len(arrived) == 1, [texts_of(call)[:100] for call in arrived]
    [combined] = arrived
    text = texts_of(combined)
    assert text.startswith("**A few things from Ritme:**")
    assert "the stand-up of #General closes at 17:00" in text
    assert "The borrel of #General starts in 10 minutes: 16:30 your time (Europe/Amsterdam)" in text and LINK in text
    await wake_at(rig, FRIDAY_REMIND.replace(minute=21))
    assert len(rig.to(BRAM)) == before + 1 and form in rig.to(BRAM)
