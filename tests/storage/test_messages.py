"""The posted-message log on both databases: remember, find, replace; keys never mix across workspaces."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from rituals.ports import PostedMessage
from storage.database import create_engine
from storage.messages import SqlMessageLog


@pytest.fixture
async def log(database_url: str) -> AsyncIterator[SqlMessageLog]:
    engine = create_engine(database_url)
    try:
        yield SqlMessageLog(engine)
    finally:
        await engine.dispose()


def posted(workspace: str, recipient: str, ts: str, key: str = "standup-form:7") -> PostedMessage:
    return PostedMessage(platform="slack", workspace_id=workspace, key=key, recipient=recipient,
                         conversation_id=f"D{recipient}", message_id=ts)


async def test_a_keyed_message_is_found_again_and_replaced_by_a_newer_post(log: SqlMessageLog) -> None:
    assert await log.find("slack", "T1", "standup-form:7", "U1") is None
    await log.remember(posted("T1", "U1", "1700000000.000100"))
    assert await log.find("slack", "T1", "standup-form:7", "U1") == posted("T1", "U1", "1700000000.000100")
    await log.remember(posted("T1", "U1", "1700000000.000200"))
    found = await log.find("slack", "T1", "standup-form:7", "U1")
    assert found is not None and found.message_id == "1700000000.000200"


async def test_workspaces_recipients_and_platforms_never_mix(log: SqlMessageLog) -> None:
    await log.remember(posted("T1", "U1", "1.1"))
    await log.remember(posted("T2", "U1", "2.2"))
    await log.remember(posted("T1", "U2", "3.3"))
    assert (await log.find("slack", "T2", "standup-form:7", "U1")).message_id == "2.2"  # type: ignore[union-attr]
    assert (await log.find("slack", "T1", "standup-form:7", "U2")).message_id == "3.3"  # type: ignore[union-attr]
    assert await log.find("teams", "T1", "standup-form:7", "U1") is None
