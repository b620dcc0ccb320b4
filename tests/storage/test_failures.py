"""The delivery-failure log on both databases: recorded, read back newest first, workspaces never mix."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from rituals.ports import DeliveryFailure
from storage.database import create_engine
from storage.failures import ERROR_LENGTH, IN_CHUNK, SqlFailureLog

START = datetime(2025, 3, 10, 8, 30, tzinfo=UTC)
WEEK_AGO = START - timedelta(days=7)


@pytest.fixture
async def failures(database_url: str) -> AsyncIterator[SqlFailureLog]:
    engine = create_engine(database_url)
    try:
        yield SqlFailureLog(engine)
    finally:
        await engine.dispose()


def failure(
    workspace: str, recipient: str, minutes: int, error: str = "chat.update refused: x", platform: str = "slack"
) -> DeliveryFailure:
    return DeliveryFailure(platform=platform, workspace_id=workspace, recipient=recipient, kind="prompt",
                           key=f"standup-form:{minutes}", error=error, failed_at=START + timedelta(minutes=minutes))


async def test_failures_are_read_back_newest_first_and_limited(failures: SqlFailureLog) -> None:
    assert await failures.recent("slack", "T1", WEEK_AGO) == []
    for minutes in (1, 3, 2):
        await failures.record(failure("T1", "U1", minutes))
    assert list(await failures.recent("slack", "T1", WEEK_AGO)) == [
        failure("T1", "U1", 3), failure("T1", "U1", 2), failure("T1", "U1", 1)
    ]
    assert list(await failures.recent("slack", "T1", WEEK_AGO, limit=1)) == [failure("T1", "U1", 3)]
    assert await failures.count("slack", "T1", WEEK_AGO) == 3


async def test_workspaces_and_platforms_never_mix(failures: SqlFailureLog) -> None:
    await failures.record(failure("T1", "U1", 1))
    await failures.record(failure("T2", "U9", 2))
    await failures.record(failure("T1", "U8", 3, platform="teams"))
    assert [found.recipient for found in await failures.recent("slack", "T2", WEEK_AGO)] == ["U9"]
    assert [found.recipient for found in await failures.recent("slack", "T1", WEEK_AGO)] == ["U1"]
    assert [found.recipient for found in await failures.recent("teams", "T1", WEEK_AGO)] == ["U8"]
    assert await failures.recent("teams", "T2", WEEK_AGO) == []


async def test_only_failures_since_a_moment_and_for_the_recipients_asked_for(failures: SqlFailureLog) -> None:
    await failures.record(failure("T1", "C1", -60 * 24 * 8))  # eight days before START: too old
    await failures.record(failure("T1", "C1", 1))
    await failures.record(failure("T1", "U1", 2))
    await failures.record(failure("T1", "U2", 3))  # someone of another team
    team = ["C1", "U1", "U7"]
    assert [found.recipient for found in await failures.recent("slack", "T1", WEEK_AGO, recipients=team)] == [
        "U1", "C1"
    ]
    assert await failures.count("slack", "T1", WEEK_AGO, recipients=team) == 2
    assert await failures.count("slack", "T1", WEEK_AGO - timedelta(days=2), recipients=team) == 3
    assert await failures.recent("slack", "T1", WEEK_AGO, recipients=[]) == []
    assert await failures.count("slack", "T1", WEEK_AGO, recipients=[]) == 0


async def test_a_team_larger_than_one_query_can_name_is_read_whole(failures: SqlFailureLog) -> None:
    members = [f"U{n:05d}" for n in range(IN_CHUNK * 2 + 5)]
    for minutes, recipient in enumerate((members[0], members[IN_CHUNK + 1], members[-1], "U-outsider")):
        await failures.record(failure("T1", recipient, minutes))
    found = await failures.recent("slack", "T1", WEEK_AGO, recipients=members, limit=2)
    assert [f.recipient for f in found] == [members[-1], members[IN_CHUNK + 1]]
    assert await failures.count("slack", "T1", WEEK_AGO, recipients=members) == 3


async def test_a_long_error_is_cut_to_fit(failures: SqlFailureLog) -> None:
    await failures.record(failure("T1", "U1", 1, error="x" * 5000))
    [found] = await failures.recent("slack", "T1", WEEK_AGO)
    assert found.error == "x" * ERROR_LENGTH
