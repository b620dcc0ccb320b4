"""`ritme doctor`: checks a configuration and its database, and says in plain words what is wrong.

One line per check, OK or PROBLEM; exit code 0 when every check is OK, else 1. Nothing it prints holds a secret: a
token's shape is judged without repeating it, and every line passes through the log redactor as well.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

import aiohttp
from alembic.util import CommandError
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.logs import Redactor, secrets_of
from bot.settings import Settings, describe_error
from storage.database import create_engine, lacking_migrations, normalize_url
from storage.encryption import TokenCipher, unreadable_tokens
from storage.slack_installations import SqlInstallationStore

# How long the database and Slack get to answer before doctor says they did not.
TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Check:
    """One verdict: what was checked, whether it is fine, and in words what was found."""

    subject: str
    ok: bool
    finding: str

    def line(self) -> str:
        """`OK      subject: finding` or `PROBLEM subject: finding`."""
        return f"{'OK' if self.ok else 'PROBLEM':<8}{self.subject}: {self.finding}"


def doctor(out: TextIO | None = None) -> int:
    """Check the settings from the environment (and .env) and everything they point at; 0 when all is well."""
    out = out or sys.stdout
    try:
        settings = Settings()
    except ValidationError as error:
        for problem in describe_error(error).splitlines():
            print(Check("settings", False, problem).line(), file=out)
        print(Check("the other checks", False, "not run: they need valid settings").line(), file=out)
        return 1
    redact = Redactor(secrets_of(settings))
    found = asyncio.run(checks(settings))
    for check in found:
        print(redact(check.line()), file=out, flush=True)
    return 0 if all(check.ok for check in found) else 1


async def checks(settings: Settings) -> list[Check]:
    """Every check, in the order an admin would fix things."""
    found = [Check("settings", True, "every RITME_* setting is valid")]
    found += await _database(settings)
    found.append(await _slack(settings))
    found.append(_teams(settings))
    found.append(_public_url(settings))
    found.append(Check("retention", True, f"stand-up answers and delivery records are deleted after "
                                          f"{settings.retention_days} days (RITME_RETENTION_DAYS)"))
    found.append(_port(settings))
    return found


# The database ----------------------------------------------------------------------------------------------------


async def _database(settings: Settings) -> list[Check]:
    url = normalize_url(settings.database_url)
    where = _where(url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        missing = _sqlite_file_problem(Path(url.database))
        if missing is not None:
            return [missing, Check("migrations", False, "not checked: the database cannot be opened")]
    engine = create_engine(settings.database_url, **_connect_timeout(url))
    try:
        reached = await _reach(engine, where)
        if not reached.ok:
            return [reached, Check("migrations", False, "not checked: the database did not answer")]
        migrations = await _migrations(engine)
        stored = await _stored_tokens(engine, settings) if migrations.ok else None
        return [reached, migrations] + ([stored] if stored is not None else [])
    finally:
        await engine.dispose()


def _sqlite_file_problem(path: Path) -> Check | None:
    """What keeps Ritme from using the SQLite file, if anything; connecting would create a missing one, so look."""
    path = path.expanduser()
    if not path.exists():
        return Check("database", False, f"the SQLite file {path} does not exist yet: `ritme migrate` creates it")
    if not os.access(path.parent, os.W_OK) or not os.access(path, os.W_OK):
        return Check("database", False, f"Ritme cannot write to {path} or its folder (SQLite also writes "
                                        f"{path.name}-wal beside it): give the user running Ritme write access")
    return None


def _where(url: URL) -> str:
    """The database in words, without its password."""
    if url.get_backend_name() == "sqlite":
        return f"SQLite {url.database or ':memory:'}"
    return f"PostgreSQL at {url.host or 'localhost'}:{url.port or 5432}, database {url.database}, user {url.username}"


def _connect_timeout(url: URL) -> dict[str, Any]:
    return {"connect_args": {"timeout": TIMEOUT_SECONDS}} if url.get_backend_name() == "postgresql" else {}


async def _reach(engine: AsyncEngine, where: str) -> Check:
    try:
        async with asyncio.timeout(TIMEOUT_SECONDS), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except TimeoutError:
        return Check("database", False, f"{where} did not answer within {TIMEOUT_SECONDS:.0f} s")
    except Exception as error:
        return Check("database", False, f"{where} cannot be reached: {_why(error)}")
    return Check("database", True, f"{where} answers")


# asyncpg's errors by class name (SQLAlchemy wraps them; their names say it plainly), in the words an admin needs.
_PLAIN_WORDS = {
    "InvalidPasswordError": "the password or user was refused (check RITME_DATABASE_URL)",
    "InvalidCatalogNameError": "that database does not exist (create it, e.g. with createdb, then run `ritme migrate`)",
    "InvalidAuthorizationSpecificationError": "the server refused this user from this host (see pg_hba.conf)",
    "TooManyConnectionsError": "the server has no connections left (max_connections)",
}


def _why(error: BaseException) -> str:
    """A database failure in words; the driver's own message when nothing plainer fits."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for cause in chain:
        if isinstance(cause, socket.gaierror):
            return "the host name is not known (check the host in RITME_DATABASE_URL)"
        if isinstance(cause, ConnectionRefusedError):
            return "nothing accepts connections there (is PostgreSQL running, on that host and port?)"
        if type(cause).__name__ in _PLAIN_WORDS:
            return _PLAIN_WORDS[type(cause).__name__]
    root = chain[-1]
    message = str(root).splitlines()[0] if str(root) else ""
    return f"{type(root).__name__}: {message}" if message else type(root).__name__


async def _migrations(engine: AsyncEngine) -> Check:
    try:
        lacking = await lacking_migrations(engine)
    except CommandError:
        return Check("migrations", False, "the database is at a revision this release does not know: it was migrated "
                                          "by a newer Ritme; run that release, or restore a backup")
    except Exception as error:
        return Check("migrations", False, f"could not read the schema's revision: {_why(error)}")
    if lacking:
        return Check("migrations", False, f"the database lacks migrations {', '.join(lacking)}: run `ritme migrate`")
    return Check("migrations", True, "the schema is current")


async def _stored_tokens(engine: AsyncEngine, settings: Settings) -> Check | None:
    """Whether the stored Slack tokens open with RITME_ENCRYPTION_KEY, and which need `ritme rotate-keys`; None when
    there is nothing to say (no key and no stored token)."""
    key = settings.encryption_key.get_secret_value() if settings.encryption_key is not None else None
    try:
        states = await SqlInstallationStore(engine, cipher=TokenCipher.from_setting(key)).key_states()
    except Exception as error:
        return Check("encryption", False, f"could not read the stored Slack tokens: {_why(error)}")
    total = sum(states.values())
    if key is None and total == 0:
        return None
    if states["unreadable"]:
        return Check("encryption", False, unreadable_tokens(states["unreadable"], total, key_set=key is not None))
    if key is None:
        return Check("encryption", True, f"{total} Slack tokens are stored unencrypted; to encrypt them set "
                                         "RITME_ENCRYPTION_KEY and run `ritme rotate-keys` (docs/security.md)")
    if states["plain"] or states["older"]:
        return Check("encryption", True, f"{states['plain']} stored Slack tokens are unencrypted and "
                                         f"{states['older']} use an older key: run `ritme rotate-keys`")
    return Check("encryption", True, f"all {total} stored Slack tokens are encrypted with the first key")


# Platforms -------------------------------------------------------------------------------------------------------


async def _slack(settings: Settings) -> Check:
    if not settings.slack_enabled:
        return Check("Slack", True, "not configured (RITME_SLACK_BOT_TOKEN and RITME_SLACK_SIGNING_SECRET unset)")
    problems = _slack_shapes(settings)
    if problems:
        return Check("Slack", False, "; ".join(problems))
    if settings.slack_oauth:
        return Check("Slack", True, "installs into several workspaces over OAuth (each workspace's token is checked "
                                    "when it installs)")
    assert settings.slack_bot_token is not None  # Settings requires it without OAuth
    try:
        answer = await _auth_test(settings.slack_api_url, settings.slack_bot_token.get_secret_value())
    except TimeoutError:
        return Check("Slack", False, f"no answer from {settings.slack_api_url} within {TIMEOUT_SECONDS:.0f} s; is the "
                                     "network or a proxy in the way?")
    except aiohttp.ClientError as error:
        return Check("Slack", False, f"could not reach {settings.slack_api_url} ({type(error).__name__}); is the "
                                     "network, DNS or a proxy in the way?")
    if not answer.get("ok"):
        return Check("Slack", False, f"Slack refused the bot token ({answer.get('error', 'no reason given')}): copy "
                                     "the current Bot User OAuth Token into RITME_SLACK_BOT_TOKEN")
    mode = "Socket Mode" if settings.slack_app_token is not None else "events over HTTP"
    return Check("Slack", True, f"the bot token works in workspace {answer.get('team')!r} ({answer.get('team_id')}); "
                                f"{mode}")


def _slack_shapes(settings: Settings) -> list[str]:
    """What is wrong with the shape of the Slack settings, judged without repeating a secret."""
    problems = []
    if settings.slack_bot_token is not None:
        token = settings.slack_bot_token.get_secret_value()
        if not token.startswith("xoxb-"):
            prefix = token.split("-", 1)[0][:4] + "-" if "-" in token else "no xox?- prefix"
            problems.append(f"RITME_SLACK_BOT_TOKEN is not a bot token (it starts with {prefix!r}, a bot token with "
                            "'xoxb-'): copy the Bot User OAuth Token under OAuth & Permissions")
    if settings.slack_signing_secret is not None:
        signing = settings.slack_signing_secret.get_secret_value()
        if len(signing) != 32 or not signing.isalnum():
            problems.append("RITME_SLACK_SIGNING_SECRET does not look like a signing secret (32 letters and digits, "
                            "under Basic Information → App Credentials)")
    if settings.slack_client_id is not None:
        head, _, tail = settings.slack_client_id.partition(".")
        if not (head.isdigit() and tail.isdigit()):
            problems.append("RITME_SLACK_CLIENT_ID does not look like a Client ID (digits.digits, e.g. "
                            "1234567890.1234567890)")
    return problems


async def _auth_test(api_url: str, token: str) -> dict[str, Any]:
    """Slack's auth.test for the token: who it belongs to, or why not."""
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(timeout=timeout) as session, session.post(
        api_url.rstrip("/") + "/auth.test", headers={"Authorization": f"Bearer {token}"}
    ) as response:
        if response.status >= 500 or response.content_type != "application/json":
            return {"ok": False, "error": f"HTTP {response.status}"}
        answer = await response.json()
    return dict(answer) if isinstance(answer, dict) else {"ok": False, "error": "an answer that is not JSON"}


def _teams(settings: Settings) -> Check:
    from adapters.teams.app_package import PackageError, app_id

    if settings.teams_app_id is None:
        if settings.teams_allow_anonymous:
            if _is_local(settings.public_url):
                return Check("Teams", True, "anonymous, for local testing (RITME_TEAMS_ALLOW_ANONYMOUS)")
            return Check("Teams", False, "RITME_TEAMS_ALLOW_ANONYMOUS is on at a public address: anyone can post to "
                                         "/api/messages; set RITME_TEAMS_APP_ID and RITME_TEAMS_APP_PASSWORD instead")
        return Check("Teams", True, "not configured (RITME_TEAMS_APP_ID unset)")
    try:
        app_id(settings.teams_app_id, source="RITME_TEAMS_APP_ID")
        if settings.teams_tenant_id is not None:
            app_id(settings.teams_tenant_id, source="RITME_TEAMS_TENANT_ID")
    except PackageError as error:
        return Check("Teams", False, str(error).replace("Microsoft App ID", "GUID"))
    if settings.teams_app_password is None or not settings.teams_app_password.get_secret_value().strip():
        return Check("Teams", False, "RITME_TEAMS_APP_PASSWORD is empty: set the app registration's client secret")
    tenants = "one tenant" if settings.teams_tenant_id else "any tenant (multi-tenant)"
    return Check("Teams", True, f"app id and client secret set, for {tenants}")


# The web server --------------------------------------------------------------------------------------------------


def _is_local(address: str) -> bool:
    host = urlsplit(address).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _public_url(settings: Settings) -> Check:
    address = settings.public_url
    if address.startswith("https://"):
        return Check("public URL", True, f"{address} (https)")
    if _is_local(address):
        if settings.slack_oauth:
            return Check("public URL", False, f"{address} is on this machine, but Slack sends installs back to "
                                              "RITME_PUBLIC_URL: set the https:// address Slack can reach")
        return Check("public URL", True, f"{address} (this machine only: links work here, not for others)")
    return Check("public URL", False, f"{address} is plain http on a public host: sign-in and calendar links would "
                                      "travel unencrypted; use https://, e.g. https://ritme.example.com")


def _port(settings: Settings) -> Check:
    where = f"{settings.host}:{settings.port}"
    if settings.port == 0:
        return Check("port", True, f"any free port on {settings.host} (RITME_PORT=0)")
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp binds
            probe.bind((settings.host, settings.port))
    except socket.gaierror:
        return Check("port", False, f"RITME_HOST {settings.host} is not a host name or address of this machine")
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            return Check("port", False, f"{where} is taken (by a Ritme already running, or another program): stop "
                                        "it or set RITME_PORT")
        if error.errno == errno.EADDRNOTAVAIL:
            return Check("port", False, f"RITME_HOST {settings.host} is not an address of this machine: use "
                                        "0.0.0.0 (every address) or 127.0.0.1")
        if error.errno == errno.EACCES:
            return Check("port", False, f"{where} needs privileges below 1024: use a port like 8080")
        return Check("port", False, f"{where} cannot be opened: {error.strerror}")
    return Check("port", True, f"{where} is free to listen on")
