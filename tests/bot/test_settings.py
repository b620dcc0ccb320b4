"""Start-up settings: good values load, bad ones stop the CLI with a readable message and exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.cli import main
from bot.settings import Settings, describe_error


def test_defaults_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RITME_PORT", "9090")
    monkeypatch.setenv("RITME_DEFAULT_TIMEZONE", "Asia/Kolkata")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.port == 9090 and settings.default_timezone == "Asia/Kolkata"
    assert settings.database_url.startswith("sqlite")


def test_env_file_is_read(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("RITME_HOST=0.0.0.0\nRITME_DEFAULT_LOCALE=nl\n")
    settings = Settings(_env_file=str(env))  # type: ignore[call-arg]
    assert settings.host == "0.0.0.0" and settings.default_locale == "nl"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("RITME_PORT", "eighty", "RITME_PORT"),
        ("RITME_PORT", "70000", "from 1 to 65535"),
        ("RITME_DEFAULT_TIMEZONE", "Europe/Amsterdm", "Europe/Amsterdam"),
        ("RITME_DATABASE_URL", "mysql://db/ritme", "postgresql+asyncpg://"),
        ("RITME_DATABASE_URL", "sqlitex:///ritme.db", "sqlite+aiosqlite:///"),
        ("RITME_DEFAULT_LOCALE", "fr", "en or nl"),
    ],
)
def test_bad_settings_stop_start_up_with_one_readable_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    variable: str,
    value: str,
    expected: str,
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env file
    monkeypatch.setenv(variable, value)
    assert main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert variable in err and expected in err and repr(value) in err
    assert "Traceback" not in err


def test_a_rejected_database_url_never_shows_its_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RITME_DATABASE_URL", "mysql://ritme:s3cret@db/ritme")
    assert main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert "RITME_DATABASE_URL" in err and "s3cret" not in err and "ritme:***@db" in err


def test_slack_needs_its_token_and_signing_secret_together(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RITME_SLACK_BOT_TOKEN", "xoxb-secret-value")
    assert main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert "RITME_SLACK_SIGNING_SECRET" in err and "xoxb-secret-value" not in err
    monkeypatch.setenv("RITME_SLACK_SIGNING_SECRET", "shh")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.slack_enabled and "xoxb" not in repr(settings)


def test_slack_oauth_mode_needs_client_id_secret_and_signing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RITME_SLACK_CLIENT_ID", "1111.2222")
    with pytest.raises(ValidationError) as missing:
        Settings(_env_file=None)  # type: ignore[call-arg]
    assert "RITME_SLACK_CLIENT_SECRET" in describe_error(missing.value)
    monkeypatch.setenv("RITME_SLACK_CLIENT_SECRET", "client-secret-value")
    monkeypatch.setenv("RITME_SLACK_SIGNING_SECRET", "shh")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.slack_enabled and settings.slack_oauth and "client-secret-value" not in repr(settings)
    monkeypatch.setenv("RITME_SLACK_BOT_TOKEN", "xoxb-secret-value")
    with pytest.raises(ValidationError) as mixed:
        Settings(_env_file=None)  # type: ignore[call-arg]
    line = describe_error(mixed.value)
    assert "not both" in line and "\n" not in line and "xoxb-secret-value" not in line


def test_socket_mode_needs_the_bot_token_and_never_shows_the_app_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RITME_SLACK_APP_TOKEN", "xapp-1-A1-secret-value")
    assert main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert "RITME_SLACK_APP_TOKEN" in err and "needs RITME_SLACK_BOT_TOKEN" in err
    assert "secret-value" not in err and "Traceback" not in err


def test_socket_mode_with_a_bot_token_needs_no_signing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RITME_SLACK_APP_TOKEN", "xapp-1-A1-secret-value")
    monkeypatch.setenv("RITME_SLACK_BOT_TOKEN", "xoxb-secret-value")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.slack_enabled and settings.slack_signing_secret is None
    assert "secret-value" not in repr(settings) and "secret-value" not in str(settings.model_dump())


def test_socket_mode_is_for_one_workspace_not_oauth_installs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RITME_SLACK_APP_TOKEN", "xapp-1-A1-secret-value")
    monkeypatch.setenv("RITME_SLACK_CLIENT_ID", "1111.2222")
    monkeypatch.setenv("RITME_SLACK_CLIENT_SECRET", "client-secret-value")
    monkeypatch.setenv("RITME_SLACK_SIGNING_SECRET", "shh")
    with pytest.raises(ValidationError) as mixed:
        Settings(_env_file=None)  # type: ignore[call-arg]
    line = describe_error(mixed.value)
    assert "RITME_SLACK_APP_TOKEN" in line and "not both" in line and "secret-value" not in line


def test_a_bot_token_given_as_the_app_token_is_named_but_not_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RITME_SLACK_APP_TOKEN", "xoxb-secret-value")
    monkeypatch.setenv("RITME_SLACK_BOT_TOKEN", "xoxb-secret-value")
    with pytest.raises(ValidationError) as wrong:
        Settings(_env_file=None)  # type: ignore[call-arg]
    line = describe_error(wrong.value)
    assert line.startswith("RITME_SLACK_APP_TOKEN: not an app-level token") and "xapp-" in line
    assert "secret-value" not in line


def test_every_setting_is_documented_in_env_example() -> None:
    documented = (Path(__file__).resolve().parents[2] / ".env.example").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"RITME_{name.upper()}=" not in documented]
    assert missing == []
