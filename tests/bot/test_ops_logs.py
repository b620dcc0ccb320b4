"""Ritme's log output in both formats: secrets never show, JSON lines parse, and members' words are never logged."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.cli import main
from bot.logs import REDACTED, configure_logging
from bot.settings import Settings
from tests.adapters.slack.harness import member_joined
from tests.bot.slack_rig import slack_rig
from tests.bot.test_slack_stand_up import _answer, _delivery_id

BOT_TOKEN = "xoxb-1111111111-2222222222-AbCdEfGhIjKlMnOpQrStUvWx"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
DB_PASSWORD = "pg-Pa55word-4-ritme"
TEAMS_PASSWORD = "teams~client~secret~value"
# Not settings of this Ritme, but secrets all the same: recognised by their shape.
OTHER_USER_TOKEN = "xoxp-9999999999-8888888888-ZyXwVuTsRqPoNmLk"
APP_TOKEN = "xapp-1-A0123456789-1234567890123-abcdef0123456789"
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyaXRtZSJ9.c2lnbmF0dXJl"
FEED_TOKEN = "k3yF0rTheCalendarFeed"
SECRETS = (BOT_TOKEN, SIGNING_SECRET, DB_PASSWORD, TEAMS_PASSWORD, OTHER_USER_TOKEN, APP_TOKEN, JWT, FEED_TOKEN)


def _settings(log_format: str, log_level: str = "INFO") -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None, log_format=log_format, log_level=log_level,
        database_url=f"postgresql+asyncpg://ritme:{DB_PASSWORD}@db.internal:5432/ritme",
        slack_bot_token=SecretStr(BOT_TOKEN), slack_signing_secret=SecretStr(SIGNING_SECRET),
        teams_app_id="00000000-0000-0000-0000-000000000001", teams_app_password=SecretStr(TEAMS_PASSWORD),
    )


@pytest.fixture
def installed() -> Iterator[list[logging.Handler]]:
    """Handlers configure_logging installs, taken off the root logger (and its level restored) after the test."""
    handlers: list[logging.Handler] = []
    root = logging.getLogger()
    level = root.level
    yield handlers
    for handler in handlers:
        root.removeHandler(handler)
    root.setLevel(level)


def _log_everything_secret() -> None:
    log = logging.getLogger("ritme.test")
    database_url = f"postgresql://ritme:{DB_PASSWORD}@db.internal:5432/ritme"
    try:
        raise ConnectionError(f"auth.test refused {BOT_TOKEN} (Authorization: Bearer {JWT}); {database_url}")
    except ConnectionError:
        log.exception("Slack said no to %s while the database at %s answered; app token %s, secret %s",
                      OTHER_USER_TOKEN, database_url, APP_TOKEN, SIGNING_SECRET)
    log.warning("posted with %r and the Teams secret %s", {"token": BOT_TOKEN}, TEAMS_PASSWORD)
    logging.getLogger("aiohttp.access").info(
        '127.0.0.1 "GET /calendar/%s.ics HTTP/1.1" 200 "-" "https://ritme.example/dashboard/signin/%s"',
        FEED_TOKEN, FEED_TOKEN,
    )


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_no_secret_reaches_the_log_in_either_format(log_format: str, installed: list[logging.Handler]) -> None:
    out = io.StringIO()
    installed.append(configure_logging(_settings(log_format), out))
    _log_everything_secret()
    written = out.getvalue()
    for secret in SECRETS:
        assert secret not in written
    assert written.count(REDACTED) >= len(SECRETS)
    assert "db.internal:5432" in written and "/calendar/[redacted].ics" in written  # the rest is still useful
    assert "Traceback" in written and "ConnectionError: auth.test refused [redacted]" in written
    if log_format == "text":
        assert " ERROR ritme.test: Slack said no to [redacted]" in written
        return
    lines = [json.loads(line) for line in written.splitlines()]
    assert [line["level"] for line in lines] == ["ERROR", "WARNING", "INFO"]
    assert [line["logger"] for line in lines] == ["ritme.test", "ritme.test", "aiohttp.access"]
    first = lines[0]
    assert set(first) == {"time", "level", "logger", "message", "exc_info"}
    assert datetime.fromisoformat(first["time"]).utcoffset() == timedelta(0)
    assert abs(datetime.fromisoformat(first["time"]) - datetime.now(UTC)) < timedelta(minutes=1)
    assert first["message"].startswith("Slack said no to [redacted] while the database at postgresql://ritme:")
    assert first["exc_info"].startswith("Traceback") and "Bearer [redacted]" in first["exc_info"]
    assert "exc_info" not in lines[1]


def test_ritme_migrate_logs_json_lines_when_asked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RITME_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'ritme.db'}")
    monkeypatch.setenv("RITME_LOG_FORMAT", "json")
    root = logging.getLogger()
    level = root.level
    try:
        assert main(["migrate"]) == 0
    finally:
        for handler in [h for h in root.handlers if h.get_name() == "ritme"]:
            root.removeHandler(handler)
        root.setLevel(level)
    lines = capsys.readouterr().err.splitlines()
    assert lines, "alembic logs each migration at INFO"
    assert all(json.loads(line)["logger"].startswith("alembic") for line in lines)


def test_a_bad_log_format_is_named_with_what_it_should_be(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RITME_LOG_FORMAT", "yaml")
    assert main(["migrate"]) == 2
    assert "RITME_LOG_FORMAT: Input should be 'text' or 'json' (got 'yaml'); expected text" in capsys.readouterr().err


async def test_members_words_are_not_logged_even_at_debug(tmp_path: Path, installed: list[logging.Handler]) -> None:
    out = io.StringIO()
    installed.append(configure_logging(_settings("json", log_level="DEBUG"), out))
    start = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # Monday 08:00 in Amsterdam
    async with slack_rig(tmp_path, {"U1": ("Ada", "Europe/Amsterdam", "en-GB")}, start) as rig:
        assert (await rig.slack.event(member_joined("Ev1", user_id="U1"))).status == 200
        await rig.until_member("C1", "U1")
        await rig.slack.command("standup create at 09:30 on mon-fri digest 11:00", user_id="U1")
        await rig.until(lambda: [c for c in rig.fake.calls_to("chat.postEphemeral", ok=True) if "Stand-up 1" in
                                 c.args["text"]])
        rig.clock.set(datetime(2026, 11, 23, 8, 30, tzinfo=UTC))
        await rig.tick()
        delivery = _delivery_id(rig.posted("U1")[0])
        await _answer(rig, "U1", delivery, ["Quokka-yesterday", "Quokka-today", "Quokka-blocked"])
        await rig.until(lambda: rig.fake.calls_to("chat.update", ok=True))
        rig.clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))  # 11:00: the digest quotes the answers
        await rig.tick()
        assert "Quokka-today" in str(rig.posted("C1")[0].args)
    written = out.getvalue()
    assert len(written.splitlines()) > 5  # DEBUG was on and the run said things
    assert "Quokka" not in written
    assert "standup create" not in written  # a command's text is a member's words too
