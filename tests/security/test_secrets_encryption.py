"""Slack tokens encrypted at rest with RITME_ENCRYPTION_KEY, and `ritme rotate-keys`.

The raw columns never hold a token; any listed key reads; tokens stored before encryption still work and get
encrypted by the rotation; after a rotation to a new key the old one is no longer needed; a key that does not fit
is a clear message naming RITME_ENCRYPTION_KEY, never a traceback, and changes nothing.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy import text

from bot.cli import main
from storage.database import create_engine, migrate
from storage.encryption import EncryptionKeyError, TokenCipher
from storage.slack_installations import SqlInstallationStore

KEY_1 = Fernet.generate_key().decode()
KEY_2 = Fernet.generate_key().decode()
BOT_TOKEN = "xoxb-111-222-SecretBotTokenValue"
USER_TOKEN = "xoxp-111-222-SecretUserTokenValue"
# A rotating refresh token is long; encrypted it no longer fits the 255 characters the columns had (PostgreSQL).
REFRESH_TOKEN = "xoxe-1-" + "R" * 180
TOKENS = (BOT_TOKEN, USER_TOKEN, REFRESH_TOKEN)


def _installation() -> Installation:
    return Installation(
        app_id="A1", team_id="T1", team_name="Acme", user_id="U1", bot_token=BOT_TOKEN, bot_id="B1",
        bot_user_id="UB1", bot_scopes="commands,chat:write", bot_refresh_token=REFRESH_TOKEN,
        bot_token_expires_in=43200, user_token=USER_TOKEN, user_scopes="users.profile:write",
        installed_at=datetime(2026, 11, 23, tzinfo=UTC).timestamp(),
    )


async def _save(database_url: str, *keys: str) -> None:
    engine = create_engine(database_url)
    try:
        await SqlInstallationStore(engine, cipher=TokenCipher(keys)).async_save(_installation())
    finally:
        await engine.dispose()


async def _load(database_url: str, *keys: str) -> Installation | None:
    engine = create_engine(database_url)
    try:
        store = SqlInstallationStore(engine, cipher=TokenCipher(keys))
        return await store.async_find_installation(enterprise_id=None, team_id="T1", user_id="U1")
    finally:
        await engine.dispose()


async def _raw(database_url: str) -> list[str]:
    """Every token column as stored."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            bots = (
                await connection.execute(text("SELECT bot_token, bot_refresh_token FROM slack_installations"))
            ).all()
            users = (await connection.execute(text("SELECT user_token FROM slack_user_tokens"))).all()
        return [value for row in [*bots, *users] for value in row if value is not None]
    finally:
        await engine.dispose()


def _tokens_of(installation: Installation | None) -> tuple[str | None, ...]:
    assert installation is not None
    return installation.bot_token, installation.user_token, installation.bot_refresh_token


async def test_with_a_key_no_token_is_in_the_database_and_each_reads_back(database_url: str) -> None:
    await _save(database_url, KEY_1)

    raw = await _raw(database_url)
    assert len(raw) == 3 and all(value.startswith("fernet:") for value in raw)
    assert not any(token in value or token[5:20] in value for value in raw for token in TOKENS)
    assert _tokens_of(await _load(database_url, KEY_1)) == TOKENS
    # Any listed key reads, not only the first.
    assert _tokens_of(await _load(database_url, KEY_2, KEY_1)) == TOKENS


async def test_without_the_key_an_encrypted_token_is_a_clear_error(database_url: str) -> None:
    await _save(database_url, KEY_1)
    with pytest.raises(EncryptionKeyError, match="RITME_ENCRYPTION_KEY is not set"):
        await _load(database_url)
    with pytest.raises(EncryptionKeyError, match=r"not in RITME_ENCRYPTION_KEY: add that key"):
        await _load(database_url, KEY_2)


@pytest.fixture
def admin_shell(operator_shell: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An operator's shell (tests/conftest.py) with a SQLite database at head; its URL."""
    url = f"sqlite+aiosqlite:///{operator_shell / 'ritme.db'}"
    asyncio.run(migrate(url))
    monkeypatch.setenv("RITME_DATABASE_URL", url)
    return url


def test_tokens_stored_before_encryption_keep_working_and_the_rotation_encrypts_them(
    admin_shell: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_save(admin_shell))  # before RITME_ENCRYPTION_KEY was set
    assert sorted(asyncio.run(_raw(admin_shell))) == sorted(TOKENS)
    assert _tokens_of(asyncio.run(_load(admin_shell, KEY_1))) == TOKENS  # read as they are

    monkeypatch.setenv("RITME_ENCRYPTION_KEY", KEY_1)
    assert main(["rotate-keys"]) == 0

    out = capsys.readouterr().out
    assert "Re-encrypted 3 stored Slack tokens" in out and "3 of them had been stored unencrypted" in out
    assert all(value.startswith("fernet:") for value in asyncio.run(_raw(admin_shell)))
    assert _tokens_of(asyncio.run(_load(admin_shell, KEY_1))) == TOKENS


def test_a_rotation_to_a_new_key_leaves_the_old_one_unneeded(
    admin_shell: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_save(admin_shell, KEY_1))
    before = asyncio.run(_raw(admin_shell))

    monkeypatch.setenv("RITME_ENCRYPTION_KEY", f"{KEY_2},{KEY_1}")
    assert main(["doctor"]) in (0, 1)  # the port or platforms may be unset here; only the encryption line matters
    assert "0 stored Slack tokens are unencrypted and 3 use an older key: run `ritme rotate-keys`" in (
        capsys.readouterr().out
    )
    assert main(["rotate-keys"]) == 0
    assert "Re-encrypted 3 stored Slack tokens" in capsys.readouterr().out

    after = asyncio.run(_raw(admin_shell))
    assert set(after).isdisjoint(before)
    assert _tokens_of(asyncio.run(_load(admin_shell, KEY_2))) == TOKENS  # the new key alone reads them
    with pytest.raises(EncryptionKeyError):
        asyncio.run(_load(admin_shell, KEY_1))  # and the old one alone no longer does


def test_a_key_that_does_not_fit_is_named_not_a_traceback_and_changes_nothing(
    admin_shell: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_save(admin_shell, KEY_1))
    before = asyncio.run(_raw(admin_shell))

    monkeypatch.setenv("RITME_ENCRYPTION_KEY", KEY_2)
    assert main(["rotate-keys"]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "changed nothing" in captured.err
    assert "not in RITME_ENCRYPTION_KEY: add that key after the new one, e.g. RITME_ENCRYPTION_KEY=new-key,old-key" in (
        captured.err
    )
    assert asyncio.run(_raw(admin_shell)) == before

    assert main(["doctor"]) == 1
    doctor = capsys.readouterr().out
    assert "PROBLEM encryption: 3 of 3 stored Slack tokens were encrypted with a key that is not in " \
           "RITME_ENCRYPTION_KEY" in doctor
    assert KEY_2 not in doctor


def test_a_malformed_key_is_refused_with_how_to_make_one(
    admin_shell: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RITME_ENCRYPTION_KEY", f"{KEY_1},not-a-key-at-all")
    assert main(["rotate-keys"]) == 2
    err = capsys.readouterr().err
    assert "RITME_ENCRYPTION_KEY: key 2 of 2 is not a Fernet key" in err
    assert "Fernet.generate_key()" in err
    assert KEY_1 not in err and "not-a-key-at-all" not in err


def test_rotating_without_a_key_says_how_to_make_one(
    admin_shell: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rotate-keys"]) == 2
    err = capsys.readouterr().err
    assert "RITME_ENCRYPTION_KEY is not set" in err and "Fernet.generate_key()" in err


@pytest.mark.parametrize("key", [KEY_2, None], ids=["another key", "no key"])
def test_ritme_run_with_a_key_that_does_not_open_the_stored_tokens_refuses_to_start_in_one_line(
    admin_shell: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], key: str | None
) -> None:
    asyncio.run(_save(admin_shell, KEY_1))
    for name, value in {"RITME_SLACK_CLIENT_ID": "1.2", "RITME_SLACK_CLIENT_SECRET": "client-secret",
                        "RITME_SLACK_SIGNING_SECRET": "signing-secret", "RITME_PORT": "0"}.items():
        monkeypatch.setenv(name, value)
    if key is not None:
        monkeypatch.setenv("RITME_ENCRYPTION_KEY", key)
    # Were it to start, it would serve until stopped; refusing returns at once.
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    expected = ("3 of 3 stored Slack tokens were encrypted with a key that is not in RITME_ENCRYPTION_KEY"
                if key else "3 of 3 stored Slack tokens are encrypted, but RITME_ENCRYPTION_KEY is not set")
    [refusal] = [line for line in err.splitlines() if "Ritme cannot start" in line]  # after the migration's log
    assert refusal.startswith(f"Ritme cannot start: {expected}")
    assert KEY_1 not in err and KEY_2 not in err
