"""What the whole-flow focus tests (local chat, Slack, Teams) share: the week they play out in, and the check that
the link `/ritme focus calendar` answers with serves the team's focus afternoon (Wednesday 13:00) and core hours as
an iCalendar file, in Amsterdam time."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time

import aiohttp
from icalendar import Calendar

MONDAY_0900_AMSTERDAM = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
# Wednesday 25 November in Amsterdam (UTC+1): the focus afternoon starts at 13:00.
WINDOW_START = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
# Friday 27 November: the borrel invite at 10:00, the stand-up at 16:00, both reminders at 16:20.
FRIDAY_INVITE = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
FRIDAY_STANDUP = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
FRIDAY_REMIND = datetime(2026, 11, 27, 15, 20, tzinfo=UTC)
LINK = "https://meet.example/borrel"


async def assert_serves_the_focus_calendar(answer: str, public_url: str, server_url: str) -> None:
    """The link in `answer`, served over HTTP by the same server, parses as a calendar with both blocks in it."""
    found = re.search(re.escape(public_url) + r"(/calendar/[A-Za-z0-9_-]+\.ics)", answer)
    assert found is not None
    async with aiohttp.ClientSession() as session, session.get(server_url + found.group(1)) as response:
        assert response.status == 200 and response.content_type == "text/calendar"
        calendar = Calendar.from_ical(await response.text())
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"No meetings: focus afternoon", "Core hours"}
    start = events["No meetings: focus afternoon"].decoded("dtstart")
    assert isinstance(start, datetime) and (start.weekday(), start.time()) == (2, time(13, 0))  # Wednesday 13:00
    assert {event["dtstart"].params["TZID"] for event in events.values()} == {"Europe/Amsterdam"}
