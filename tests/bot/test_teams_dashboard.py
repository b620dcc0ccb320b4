"""`/ritme dashboard` over Teams, where a command's replies go into the command's thread for the whole channel to
read: the sign-in link must go to the member's personal chat instead, with only a note in the thread."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.adapters.teams.activities import ADA, TEAM_ID, channel_mention, installed_in_team
from tests.bot.teams_rig import TeamsRig, teams_rig

MONDAY_0800_AMSTERDAM = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
ROSTER = [{"id": ADA, "name": "Ada Lovelace", "aadObjectId": "6d1a9b4e-2c7f-4e8a-b3d5-0f9c8e7a6b51"}]
LINK = re.compile(r"/dashboard/signin/[A-Za-z0-9_-]{43}")


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[TeamsRig]:
    async with teams_rig(tmp_path, ROSTER, MONDAY_0800_AMSTERDAM) as running:
        yield running


async def test_the_link_goes_to_the_personal_chat_not_the_thread(rig: TeamsRig) -> None:
    await rig.post(installed_in_team())
    await rig.until_members(1)
    await rig.post(channel_mention("dashboard", channel_id=TEAM_ID))

    [link] = await rig.until(lambda: rig.to(ADA))
    assert LINK.search(link.body["text"]) and "Ritme-dashboard" in link.body["text"]  # Ada's client speaks Dutch
    thread = f"{TEAM_ID};messageid=1732348872999"
    [note] = await rig.until(lambda: [c for c in rig.fake.posted() if c.conversation_id == thread])
    assert "privébericht" in note.body["text"]
    # The link went nowhere but Ada's personal chat.
    assert [c for c in rig.fake.posted() if LINK.search(str(c.body))] == [link]
