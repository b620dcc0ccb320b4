"""The posted-message log on both databases: remember, find, replace; keys never mix across workspaces."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from rituals.ports import PostedMessage
from storage.database import create_engine, retrying
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


async def test_which_keys_were_posted_is_answered_for_a_whole_batch_at_once(log: SqlMessageLog) -> None:
    await log.remember(posted("T1", "U1", "1.1", key="standup-form:1"))
    await log.remember(posted("T2", "U9", "2.2", key="pulse-form:2"))
    keys = {"standup-form:1", "pulse-form:2", "standup-form:3"} | {f"standup-form:{n}" for n in range(100, 1100)}
    assert await log.posted_keys(keys) == {("standup-form:1", "U1"), ("pulse-form:2", "U9")}
    assert await log.posted_keys(set()) == set()


async def _terminate_every_other_connection(database_url: str) -> int:
    """What an admin's pg_terminate_backend (or a failover) does to Ritme's pooled connections."""
    admin = create_engine(database_url)
    try:
        async with admin.connect() as connection:
            killed = await connection.scalar(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ))
    finally:
        await admin.dispose()
    return int(killed or 0)


@pytest.mark.postgres
async def test_a_post_is_remembered_after_the_database_dropped_every_connection(log: SqlMessageLog,
                                                                             database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    await log.remember(posted("T1", "U1", "1.1"))  # the pool now holds a connection
    assert await _terminate_every_other_connection(database_url) >= 1
    await log.remember(posted("T1", "U2", "2.2"))
    assert await log.find("slack", "T1", "standup-form:7", "U2") is not None


@pytest.mark.postgres
async def test_a_write_cut_off_mid_transaction_is_tried_again(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    engine = create_engine(database_url)
    attempts = 0

    async def write() -> int:
        nonlocal attempts
        attempts += 1
        async with engine.begin() as connection:
            if attempts == 1:
                # The server ends this very connection in the middle of the transaction.
                await connection.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
            return int(await connection.scalar(text("SELECT 42")) or 0)

    try:
        assert await retrying(write, "testing") == 42
    finally:
        await engine.dispose()
    assert attempts == 2


async def test_a_refused_write_is_not_tried_again(log: SqlMessageLog) -> None:
    attempts = 0

    async def write() -> None:
        nonlocal attempts
        attempts += 1
        raise ValueError("not a connection problem")

    with pytest.raises(ValueError):
        await retrying(write, "testing")
    assert attempts == 1
