"""No-meeting windows, core hours, the meeting check and combined notes in the local chat, over its HTTP API on the
assembled server: Lea sets a focus afternoon and core hours, the channel is reminded once as the window starts,
Sam checks meeting slots (and the answer changes when Noah says he works from New York), and a stand-up reminder
and a borrel reminder due in the same minute reach a member as one message."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.wiring import Ritme
from tests.bot.focus_flow import FRIDAY_INVITE, FRIDAY_REMIND, FRIDAY_STANDUP, LINK, MONDAY_0900_AMSTERDAM, WINDOW_START
from tests.bot.local_chat import PulseChat, local_served, text_of
from tests.rituals.harness import FakeClock

FOCUS_ADD = '/ritme focus add wed 13:00-17:00 "focus afternoon"'
REMINDER = "Focus afternoon starts now, until 17:00: no meetings. Enjoy the quiet."


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[Ritme, FakeClock, PulseChat]]:
    async with local_served(tmp_path, MONDAY_0900_AMSTERDAM, demo=False) as served:
        yield served


async def _ask(chat: PulseChat, user: str, command: str) -> str:
    """What Ritme answers the member's command: replies in the channel that only they see, one text a paragraph."""
    before = len(await chat.history(user))
    await chat.say(user, command)
    [typed, *answers] = (await chat.history(user))[before:]
    assert not typed["from_bot"] and text_of(typed) == command and answers
    assert all(a["from_bot"] and a["conversation"] == "channel:team" and a["only_for"] == user
               for a in answers), answers
    return "\n\n".join(text_of(answer) for answer in answers)


async def _reminders(chat: PulseChat, user: str) -> list[dict[str, Any]]:
    """The window reminders in the team channel, as the member sees them."""
    return [m for m in await chat.history(user)
            if m["conversation"] == "channel:team" and m["key"].startswith("focus-reminder:")]


async def _at(ritme: Ritme, clock: FakeClock, moment: datetime) -> None:
    """The timer wakes at `moment`: it plans the day's prompts and sends what is due."""
    clock.set(moment)
    await ritme.dispatcher.plan()
    await ritme.dispatcher.tick()


async def test_a_focus_afternoon_core_hours_and_meeting_checks_in_the_local_chat(
    served: tuple[Ritme, FakeClock, PulseChat],
) -> None:
    ritme, clock, chat = served
    lea, sam, noah = [await chat.add(name) for name in ("Lea Jansen", "Sam Peeters", "Noah Brown")]

    added = await _ask(chat, lea, FOCUS_ADD)
    assert "You are the first to configure #team, so you are now its manager." in added
    assert ("No-meeting window #1 for #team: Focus afternoon, Wed 13:00-17:00 (Europe/Amsterdam). "
            "The channel gets a short reminder as it starts.") in added
    assert (await _ask(chat, lea, "/ritme core 10:00-12:00 14:00-16:00")).startswith(
        "Core hours of #team: 10:00-12:00, 14:00-16:00 on Mon-Fri (Europe/Amsterdam).")
    assert await _ask(chat, sam, "/ritme focus list") == (
        "No-meeting windows of #team:\n"
        "• #1 Focus afternoon: Wed 13:00-17:00 (Europe/Amsterdam)\n"
        "Core hours: 10:00-12:00, 14:00-16:00 on Mon-Fri (Europe/Amsterdam).")
    assert (await _ask(chat, sam, "/ritme core 09:00-17:00")).startswith("Only a manager of #team can do that")

    # Wednesday 13:30 is in the window and outside core hours; the nearest slots are that morning's core hours.
    assert await _ask(chat, sam, "/ritme meet-check wed 13:30 45m") == "\n".join([
        "Wednesday 25 November, 13:30-14:15 (Europe/Amsterdam, 45 min) does not fit everyone:",
        "• it falls in the no-meeting window Focus afternoon (Wed 13:00-17:00, Europe/Amsterdam)",
        "• it is outside core hours (10:00-12:00, 14:00-16:00 on Mon-Fri, Europe/Amsterdam)",
        "Nearest slots of 45 min that fit everyone (your time, Europe/Amsterdam):",
        "• Wednesday 25 November, 10:45-11:30",
        "• Wednesday 25 November, 11:00-11:45",
        "• Wednesday 25 November, 11:15-12:00",
    ])
    fits = ("Thursday 26 November, 10:30-11:00 (Europe/Amsterdam, 30 min) fits: no no-meeting window, not outside "
            "core hours, and inside everyone's working hours.")
    assert await _ask(chat, sam, "/ritme meet-check thu 10:30 30m") == fits

    # Noah works from New York: 10:30 in Amsterdam is 04:30 for him, so the same slot no longer fits, and the
    # suggestions move to the afternoon core hours, when his day has begun.
    await chat.say(noah, "/ritme me timezone America/New_York")
    late = await _ask(chat, sam, "/ritme meet-check thu 10:30 30m")
    assert late.startswith("Thursday 26 November, 10:30-11:00 (Europe/Amsterdam, 30 min) does not fit everyone:")
    assert ("• it is outside Noah Brown's working hours (09:00-17:30, America/New_York): for them it is "
            "Thursday 26 November, 04:30-05:00") in late
    assert late.endswith("\n".join([
        "• Thursday 26 November, 15:00-15:30", "• Thursday 26 November, 15:15-15:45",
        "• Thursday 26 November, 15:30-16:00"]))
    assert await _ask(chat, noah, "/ritme meet-check thu 09:00 30m") == (  # his own clock
        "Thursday 26 November, 09:00-09:30 (America/New_York, 30 min) fits: no no-meeting window, not outside "
        "core hours, and inside everyone's working hours.")

    # Wednesday 13:00 in Amsterdam: one short reminder for the whole channel, and no second one a tick later.
    await _at(ritme, clock, WINDOW_START.replace(hour=11, minute=59))
    assert await _reminders(chat, sam) == []
    await _at(ritme, clock, WINDOW_START)
    [reminder] = await _reminders(chat, sam)
    assert text_of(reminder) == REMINDER and reminder["only_for"] is None
    assert await _reminders(chat, noah) == [reminder]
    await _at(ritme, clock, WINDOW_START.replace(minute=1))
    await _at(ritme, clock, WINDOW_START.replace(hour=16))  # 17:00: the end passes quietly
    assert await _reminders(chat, lea) == [reminder]


async def test_a_stand_up_reminder_and_a_borrel_reminder_arrive_as_one_local_message(
    served: tuple[Ritme, FakeClock, PulseChat],
) -> None:
    ritme, clock, chat = served
    lea, sam = [await chat.add(name) for name in ("Lea Jansen", "Sam Peeters")]
    await chat.say(lea, "/ritme standup create at 16:00 on fri digest 17:00 remind 20m")
    await chat.say(lea, f"/ritme borrel create fri 16:30 45m {LINK}")
    await chat.say(lea, "/ritme me language nl")

    await _at(ritme, clock, FRIDAY_INVITE)
    [invite] = [m for m in await chat.history(sam) if m["key"].startswith("borrel-invite:")]
    for user in (lea, sam):
        [join] = [b for b in invite["buttons"] if b["value"].endswith(":join")]
        await chat.press(user, join["action"], join["value"])
    await _at(ritme, clock, FRIDAY_STANDUP)
    assert [m for m in await chat.history(sam) if m.get("form")]  # the stand-up asks; Sam does not answer

    before, lea_before = len(await chat.history(sam)), len(await chat.history(lea))
    await _at(ritme, clock, FRIDAY_REMIND)
    [combined] = (await chat.history(sam))[before:]
    assert combined["conversation"] == f"dm:{sam}"
    text = text_of(combined)
    assert text.startswith("A few things from Ritme:\n\n")
    assert "A gentle reminder: the stand-up of #team closes at 17:00." in text
    assert "The borrel of #team starts in 10 minutes: 16:30 your time (Europe/Amsterdam)" in text and LINK in text
    assert "standup-reminder:" in combined["key"] and "borrel-reminder:" in combined["key"]
    [lea_combined] = (await chat.history(lea))[lea_before:]  # Lea reads Ritme in Dutch
    assert text_of(lea_combined).startswith("Een paar dingen van Ritme:\n\n")
    assert "De borrel van #team begint over 10 minuten: 16:30 jouw tijd" in text_of(lea_combined)
    await _at(ritme, clock, FRIDAY_REMIND.replace(minute=21))
    assert len(await chat.history(sam)) == before + 1  # nothing comes apart afterwards
