"""Slack installs and OAuth states in Ritme's database, on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.database import create_engine
from storage.slack_installations import SqlInstallationStore, SqlOAuthStateStore
from tests.rituals.harness import FakeClock

INSTALLED = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    try:
        yield engine
    finally:
        await engine.dispose()


def _installation(team_id: str, token: str, *, user_id: str = "U1", **extra: object) -> Installation:
    return Installation(
        app_id="A1",
        team_id=team_id,
        team_name=f"Team {team_id}",
        bot_token=token,
        bot_id=f"B{team_id}",
        bot_user_id=f"UBOT{team_id}",
        bot_scopes=["commands", "chat:write"],
        user_id=user_id,
        installed_at=INSTALLED.timestamp(),
        **extra,  # type: ignore[arg-type]
    )


async def test_an_install_is_found_per_workspace(engine: AsyncEngine) -> None:
    store = SqlInstallationStore(engine)
    await store.async_save(_installation("T1", "xoxb-one"))
    await store.async_save(_installation("T2", "xoxb-two", user_id="U9"))

    bot = await store.async_find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None
    assert (bot.bot_token, bot.bot_id, bot.bot_user_id, bot.team_id) == ("xoxb-one", "BT1", "UBOTT1", "T1")
    assert bot.bot_scopes == ["commands", "chat:write"]
    assert bot.enterprise_id is None
    assert bot.installed_at == INSTALLED.timestamp()
    installation = await store.async_find_installation(enterprise_id=None, team_id="T2")
    assert installation is not None and installation.bot_token == "xoxb-two" and installation.user_id == "U9"
    assert await store.async_find_installation(enterprise_id=None, team_id="T2", user_id="U1") is None
    assert await store.async_find_bot(enterprise_id=None, team_id="T3") is None


async def test_a_reinstall_replaces_the_bot_and_a_rotation_keeps_the_installer(engine: AsyncEngine) -> None:
    store = SqlInstallationStore(engine)
    await store.async_save(_installation("T1", "xoxb-old"))
    await store.async_save(_installation("T1", "xoxb-new", user_id="U2"))
    expires = int((INSTALLED + timedelta(hours=12)).timestamp())
    rotated = Bot(
        app_id="A1",
        team_id="T1",
        bot_token="xoxe.xoxb-rotated",
        bot_id="BT1",
        bot_user_id="UBOTT1",
        bot_scopes="commands,chat:write",
        bot_refresh_token="xoxe-1-refresh",
        bot_token_expires_at=expires,
        installed_at=INSTALLED.timestamp(),
    )
    await store.async_save_bot(rotated)

    bot = await store.async_find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None
    assert (bot.bot_token, bot.bot_refresh_token, bot.bot_token_expires_at) == (
        "xoxe.xoxb-rotated",
        "xoxe-1-refresh",
        expires,
    )
    installation = await store.async_find_installation(enterprise_id=None, team_id="T1")
    assert installation is not None and installation.user_id == "U2"


async def test_an_org_wide_install_is_found_from_any_team(engine: AsyncEngine) -> None:
    store = SqlInstallationStore(engine)
    await store.async_save(_installation("T1", "xoxb-org", enterprise_id="E1", is_enterprise_install=True))
    bot = await store.async_find_bot(enterprise_id="E1", team_id="T7", is_enterprise_install=True)
    assert bot is not None and bot.bot_token == "xoxb-org" and bot.team_id is None
    assert await store.async_find_bot(enterprise_id=None, team_id="T1") is None


async def test_deleting_forgets_the_workspace(engine: AsyncEngine) -> None:
    store = SqlInstallationStore(engine)
    await store.async_save(_installation("T1", "xoxb-one"))
    await store.async_save(_installation("T2", "xoxb-two"))
    await store.async_delete_all(enterprise_id=None, team_id="T1")
    assert await store.async_find_bot(enterprise_id=None, team_id="T1") is None
    assert await store.async_find_bot(enterprise_id=None, team_id="T2") is not None


async def test_tokens_stay_out_of_logs_and_reprs(engine: AsyncEngine, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="aiosqlite")  # as `ritme` sets it: the driver logs statements' parameters
    store = SqlInstallationStore(engine)
    await store.async_save(_installation("T1", "xoxb-secret-token"))
    await store.async_find_bot(enterprise_id=None, team_id="T1")
    await store.async_delete_bot(enterprise_id=None, team_id="T1")
    assert "xoxb-secret-token" not in caplog.text + repr(store)


async def test_a_state_is_good_once(engine: AsyncEngine) -> None:
    states = SqlOAuthStateStore(engine)
    first, second = await states.async_issue(), await states.async_issue()
    assert first != second and len(first) >= 32
    assert await states.async_consume(first) is True
    assert await states.async_consume(first) is False
    assert await states.async_consume("made-up") is False
    assert await states.async_consume(second) is True


async def test_an_expired_state_is_refused(engine: AsyncEngine) -> None:
    clock = FakeClock(INSTALLED)
    states = SqlOAuthStateStore(engine, expiration=timedelta(minutes=10), clock=clock)
    late, in_time = await states.async_issue(), await states.async_issue()
    clock.set(INSTALLED + timedelta(minutes=9, seconds=59))
    assert await states.async_consume(in_time) is True
    clock.set(INSTALLED + timedelta(minutes=10))
    assert await states.async_consume(late) is False


async def test_a_members_user_grant_is_theirs_alone_and_goes_when_revoked(engine: AsyncEngine) -> None:
    store = SqlInstallationStore(engine)
    await store.async_save(_installation("T1", "xoxb-one", user_id="U1"))
    # U2 goes through the install link too, granting users.profile:write: the bot stays the workspace's one.
    await store.async_save(
        _installation("T1", "xoxb-one", user_id="U2", user_token="xoxp-u2", user_scopes=["users.profile:write"])
    )

    mine = await store.async_find_installation(enterprise_id=None, team_id="T1", user_id="U2")
    assert mine is not None and mine.user_token == "xoxp-u2" and mine.user_scopes == ["users.profile:write"]
    assert mine.bot_token == "xoxb-one" and mine.user_id == "U2"
    # U1 installed first, granted nothing, and is no longer the last installer: nothing of theirs is kept.
    assert await store.async_find_installation(enterprise_id=None, team_id="T1", user_id="U1") is None
    assert await store.async_find_installation(enterprise_id=None, team_id="T1", user_id="U3") is None
    assert await store.async_find_installation(enterprise_id=None, team_id="T2", user_id="U2") is None

    await store.async_delete_installation(enterprise_id=None, team_id="T1", user_id="U2")
    gone = await store.async_find_installation(enterprise_id=None, team_id="T1", user_id="U2")
    assert gone is None or gone.user_token is None
    assert await store.async_find_bot(enterprise_id=None, team_id="T1") is not None


async def test_an_uninstall_forgets_every_members_grant(engine: AsyncEngine) -> None:
    store = SqlInstallationStore(engine)
    await store.async_save(
        _installation("T1", "xoxb-one", user_id="U2", user_token="xoxp-u2", user_scopes=["users.profile:write"])
    )
    await store.async_delete_all(enterprise_id=None, team_id="T1")
    await store.async_save(_installation("T1", "xoxb-again", user_id="U1"))
    assert await store.async_find_installation(enterprise_id=None, team_id="T1", user_id="U2") is None
