"""`ritme doctor` as an admin runs it: one OK/PROBLEM line per check, exit 0 only when all is well, never a secret."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import pytest
from alembic.script import ScriptDirectory

from bot.cli import main
from storage.database import MIGRATIONS, create_engine, migrate, normalize_url
from tests.adapters.slack.fake_slack import FakeSlack, Scripted

HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()
SUBJECTS = ["settings", "database", "migrations", "Slack", "Teams", "public URL", "retention", "port"]
POSTGRES_ENV = "RITME_TEST_DATABASE_URL"


@pytest.fixture(autouse=True)
def admin_shell(operator_shell: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An operator's shell (tests/conftest.py) that lets Ritme take any free port."""
    monkeypatch.setenv("RITME_PORT", "0")


def _doctor(capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, str]]:
    """Run `ritme doctor`; its exit code and each subject's line."""
    code = main(["doctor"])
    return code, _lines(capsys)


def _lines(capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    lines = captured.out.splitlines()
    assert all(line.startswith(("OK      ", "PROBLEM ")) for line in lines), lines
    return {line[8:].split(":", 1)[0]: line for line in lines}


async def _sqlite(tmp_path: Path, revision: str = "head") -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'ritme.db'}"
    await migrate(url, revision)
    return url


def test_a_good_sqlite_setup_is_all_ok(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("RITME_DATABASE_URL", asyncio.run(_sqlite(tmp_path)))
    code, lines = _doctor(capsys)
    assert list(lines) == SUBJECTS
    assert all(line.startswith("OK ") for line in lines.values()), lines
    assert code == 0
    assert "the schema is current" in lines["migrations"]


def test_a_sqlite_database_behind_names_the_missing_migrations(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("RITME_DATABASE_URL", asyncio.run(_sqlite(tmp_path, "0014")))
    code, lines = _doctor(capsys)
    assert code == 1
    assert lines["database"].startswith("OK ")
    assert lines["migrations"].startswith("PROBLEM migrations: the database lacks migrations 0015, ")
    assert lines["migrations"].endswith(f"{HEAD}: run `ritme migrate`")


def test_a_missing_sqlite_file_is_a_problem_and_doctor_does_not_create_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("RITME_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'ritme.db'}")
    code, lines = _doctor(capsys)
    assert code == 1
    assert lines["database"] == (
        f"PROBLEM database: the SQLite file {tmp_path / 'ritme.db'} does not exist yet: `ritme migrate` creates it"
    )
    assert not (tmp_path / "ritme.db").exists()


def test_an_unreachable_postgresql_is_named_by_host_and_port_without_its_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RITME_DATABASE_URL", "postgresql://ritme:Very-Secret-pw@127.0.0.1:1/ritme")
    code, lines = _doctor(capsys)
    assert code == 1
    assert lines["database"].startswith("PROBLEM database: PostgreSQL at 127.0.0.1:1, database ritme, user ritme ")
    assert "nothing accepts connections there" in lines["database"]
    assert lines["migrations"] == "PROBLEM migrations: not checked: the database did not answer"
    assert "Very-Secret-pw" not in "".join(lines.values())
    assert lines["Slack"].startswith("OK ")  # the other checks still ran


def test_a_bad_setting_is_named_with_what_it_should_be(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RITME_DEFAULT_TIMEZONE", "Europe/Amsterdan")
    code, lines = _doctor(capsys)
    assert code == 1
    assert lines["settings"] == (
        "PROBLEM settings: RITME_DEFAULT_TIMEZONE: unknown time zone (got 'Europe/Amsterdan'); expected an IANA zone, "
        "e.g. Europe/Amsterdam"
    )


def test_platform_and_address_mistakes_are_each_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("RITME_DATABASE_URL", asyncio.run(_sqlite(tmp_path)))
    user_token = "xoxp-1234567890-1234567890-abcdefabcdef"
    monkeypatch.setenv("RITME_SLACK_BOT_TOKEN", user_token)  # the member's token pasted for the bot's
    monkeypatch.setenv("RITME_SLACK_SIGNING_SECRET", "too-short")
    monkeypatch.setenv("RITME_TEAMS_APP_ID", "my-bot")
    monkeypatch.setenv("RITME_TEAMS_APP_PASSWORD", "teams-client-secret")
    monkeypatch.setenv("RITME_PUBLIC_URL", "http://ritme.example.com")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setenv("RITME_PORT", str(port))
        code, lines = _doctor(capsys)
    assert code == 1
    assert lines["Slack"].startswith("PROBLEM Slack: RITME_SLACK_BOT_TOKEN is not a bot token (it starts with 'xoxp-'")
    assert "RITME_SLACK_SIGNING_SECRET does not look like a signing secret" in lines["Slack"]
    assert lines["Teams"].startswith("PROBLEM Teams: RITME_TEAMS_APP_ID is not a GUID; expected a GUID like 0000")
    assert lines["public URL"].startswith("PROBLEM public URL: http://ritme.example.com is plain http")
    assert lines["port"].startswith(f"PROBLEM port: 127.0.0.1:{port} is taken")
    printed = "".join(lines.values())
    assert user_token not in printed and "too-short" not in printed and "teams-client-secret" not in printed


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake


async def test_the_slack_bot_token_is_tried_with_auth_test(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, fake_slack: FakeSlack
) -> None:
    monkeypatch.setenv("RITME_DATABASE_URL", await _sqlite(tmp_path))
    monkeypatch.setenv("RITME_SLACK_API_URL", fake_slack.url)
    monkeypatch.setenv("RITME_SLACK_BOT_TOKEN", "xoxb-1234-5678-goodtoken")
    monkeypatch.setenv("RITME_SLACK_SIGNING_SECRET", "8f742231b10e8888abcd99yyyzzz85a5")
    # doctor runs its own event loop, as on the command line; the fake Slack answers from this one.
    assert await asyncio.to_thread(main, ["doctor"]) == 0
    assert _lines(capsys)["Slack"] == (
        "OK      Slack: the bot token works in workspace 'Ritme Test' (T1); events over HTTP"
    )
    assert [call.token for call in fake_slack.calls_to("auth.test")] == ["xoxb-1234-5678-goodtoken"]

    fake_slack.script("auth.test", Scripted(error="invalid_auth"))
    assert await asyncio.to_thread(main, ["doctor"]) == 1
    slack = _lines(capsys)["Slack"]
    assert slack.startswith("PROBLEM Slack: Slack refused the bot token (invalid_auth)")
    assert "goodtoken" not in slack


@pytest.mark.postgres
async def test_an_empty_postgresql_database_lacks_every_migration(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server_url = os.environ.get(POSTGRES_ENV)
    if not server_url:
        pytest.skip(f"set {POSTGRES_ENV} to run the PostgreSQL suite")
    name = f"ritme_doctor_{uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = normalize_url(server_url).set(database=name).render_as_string(hide_password=False)
        monkeypatch.setenv("RITME_DATABASE_URL", url)
        code = await asyncio.to_thread(main, ["doctor"])
        lines = _lines(capsys)
        assert code == 1
        assert lines["database"].startswith("OK      database: PostgreSQL at ")
        assert lines["migrations"].startswith("PROBLEM migrations: the database lacks migrations 0001, 0002, ")
        assert lines["migrations"].endswith(f"{HEAD}: run `ritme migrate`")

        await migrate(url)
        assert await asyncio.to_thread(main, ["doctor"]) == 0
        assert _lines(capsys)["migrations"] == "OK      migrations: the schema is current"
    finally:
        async with admin.connect() as connection:
            await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.dispose()
