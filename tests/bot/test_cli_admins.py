"""`ritme admins`: an operator makes a member a workspace admin in Ritme (or no longer one) by name or user id,
and that member may then manage every team of their own workspace; a wrong or ambiguous name changes nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from rituals.events import Actor, CommandInvoked
from rituals.ports import MemberDefaults
from storage.database import create_engine, migrate
from storage.repository import SqlStore
from tests.rituals.harness import FakeClock, make_engine

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
DEFAULTS = MemberDefaults(timezone="Europe/Amsterdam", locale="en")


@pytest.fixture
def database(operator_shell: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An operator's shell (tests/conftest.py) whose database holds two Adas (two workspaces) and Bram."""
    url = f"sqlite+aiosqlite:///{operator_shell / 'ritme.db'}"
    monkeypatch.setenv("RITME_DATABASE_URL", url)

    async def seed() -> None:
        await migrate(url)
        engine = create_engine(url)
        try:
            store = SqlStore(engine)
            await store.upsert_member("slack", "T1", "U1", "Ada Lovelace", DEFAULTS)
            await store.upsert_member("slack", "T2", "U9", "Ada Lovelace", DEFAULTS)
            await store.upsert_member("slack", "T1", "U2", "Bram", DEFAULTS)
        finally:
            await engine.dispose()

    asyncio.run(seed())
    return url


async def _admins(url: str) -> set[tuple[str, str]]:
    engine = create_engine(url)
    try:
        return {(m.workspace_id, m.user_id) for m in await SqlStore(engine).workspace_admins()}
    finally:
        await engine.dispose()


async def _command(url: str, user_id: str, text: str) -> str:
    """A command in #team of workspace T1, through the engine, as Slack would bring it; the reply's words."""
    engine = create_engine(url)
    try:
        ritme = make_engine(SqlStore(engine), FakeClock(NOW))
        actor = Actor(platform="slack", workspace_id="T1", user_id=user_id, timezone="Europe/Amsterdam", locale="en")
        replies = await ritme.handle(CommandInvoked(event_id=f"{user_id}:{text}", actor=actor, received_at=NOW,
                                                    channel_id="C1", channel_name="team", direct=False, text=text))
        return "\n".join(reply.text.as_plain() for reply in replies if hasattr(reply, "text"))
    finally:
        await engine.dispose()


def test_an_operator_grants_and_revokes_and_the_admin_may_then_manage_the_team(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["admins"]) == 0
    assert "Ritme has no workspace admins. Make one with: ritme admins grant 'Ada Lovelace'" in capsys.readouterr().out

    # Bram sets up #team's stand-up, so he manages it; Ada may not pause it yet.
    assert "Stand-up 1" in asyncio.run(_command(database, "U2", "standup create at 09:30 on mon-fri"))
    assert "Only a manager of #team can do that" in asyncio.run(_command(database, "U1", "standup pause"))

    assert main(["admins", "grant", "Ada Lovelace", "--workspace", "T1"]) == 0
    assert capsys.readouterr().out.strip() == (
        "Ada Lovelace (slack user U1 in workspace T1) is now a workspace admin in Ritme: they may manage every team "
        "of that workspace, in chat and on the dashboard.")
    assert asyncio.run(_admins(database)) == {("T1", "U1")}  # not the other workspace's Ada
    assert "Stand-up 1 is paused" in asyncio.run(_command(database, "U1", "standup pause"))
    assert main(["admins", "list"]) == 0
    assert capsys.readouterr().out.strip() == "Ada Lovelace (slack user U1 in workspace T1)"

    assert main(["admins", "revoke", "U1", "--workspace", "T1"]) == 0
    assert "is no longer a workspace admin in Ritme" in capsys.readouterr().out
    assert asyncio.run(_admins(database)) == set()
    assert "Only a manager of #team can do that" in asyncio.run(_command(database, "U1", "standup resume"))


@pytest.mark.parametrize(("argv", "says"), [
    (["admins", "grant"], "Ritme needs to know whom to grant: ritme admins grant 'Ada Lovelace'"),
    (["admins", "grant", "Nobody"], "Ritme knows no member named or with the user id 'Nobody'; nothing was changed."),
    (["admins", "grant", "U1", "--workspace", "T9"], "'U1' in workspace T9; nothing was changed."),
    (["admins", "grant", "ada lovelace"],
     "'ada lovelace' is more than one member (Ada Lovelace (slack user U1 in workspace T1); Ada Lovelace (slack "
     "user U9 in workspace T2)); nothing was changed. Give the user id, or add --workspace, e.g. ritme admins "
     "grant U1 --workspace T1."),
])
def test_a_name_that_is_nobody_or_several_people_changes_nothing_and_says_how(
    database: str, capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert asyncio.run(_admins(database)) == set()


def test_a_database_older_than_this_release_is_named_and_left_alone(
    operator_shell: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RITME_DATABASE_URL", f"sqlite+aiosqlite:///{operator_shell / 'old.db'}")
    assert main(["admins", "grant", "Ada Lovelace"]) == 2
    assert "Ritme cannot change admins: the database lacks migrations 0001, 0002, " in capsys.readouterr().err
    assert main(["prune"]) == 2
    assert "run `ritme migrate` first." in capsys.readouterr().err
