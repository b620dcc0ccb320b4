"""The delivery-failure log on both databases: recorded, read back newest first, workspaces never mix."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from rituals.ports import DeliveryFailure
from storage.database import create_engine
from storage.failures import ERROR_LENGTH, SqlFailureLog

START = datetime(2025, 3, 10, 8, 30, tzinfo=UTC)


@pytest.fixture
async def failures(database_url: str) -> AsyncIterator[SqlFailureLog]:
    engine = create_engine(database_url)
    try:
        yield SqlFailureLog(engine)
    finally:
        await engine.dispose()


def failure(workspace: str, recipient: str, minutes: int, error: str = "chat.update refused: x") -> DeliveryFailure:
    return DeliveryFailure(platform="slack", workspace_id=workspace, recipient=recipient, kind="prompt",
                           key=f"standup-form:{minutes}", error=error, failed_at=START + timedelta(minutes=minutes))


async def test_failures_are_read_back_newest_first_and_limited(failures: SqlFailureLog) -> None:
    assert await failures.recent("T1") == []
    for minutes in (1, 3, 2):
        await failures.record(failure("T1", "U1", minutes))
    assert list(await failures.recent("T1")) == [failure("T1", "U1", 3), failure("T1", "U1", 2), failure("T1", "U1", 1)]
    assert list(await failures.recent("T1", limit=1)) == [failure("T1", "U1", 3)]


async def test_workspaces_and_platforms_never_mix(failures: SqlFailureLog, database_url: str) -> None:
    await failures.record(failure("T1", "U1", 1))
    await failures.record(failure("T2", "U9", 2))
    assert [found.recipient for found in await failures.recent("T2")] == ["U9"]
    engine = create_engine(database_url)
    try:
        assert await SqlFailureLog(engine, platform="teams").recent("T1") == []
    finally:
        await engine.dispose()


async def test_a_long_error_is_cut_to_fit(failures: SqlFailureLog) -> None:
    await failures.record(failure("T1", "U1", 1, error="x" * 5000))
    [found] = await failures.recent("T1")
    assert found.error == "x" * ERROR_LENGTH
