"""Slack installs in Ritme's own database: slack_sdk's async installation and OAuth-state stores on SQLAlchemy.

`SqlInstallationStore` keeps one current bot per workspace (a reinstall or a token rotation replaces it), and the
user token of each member who granted Ritme user scopes on the way (optional: their status in a no-meeting window);
`SqlOAuthStateStore` hands out OAuth `state` values that are good once, until they expire. Both work on SQLite
and PostgreSQL, so every replica sees the same installs. Tokens are never logged; log lines name workspaces only.
With RITME_ENCRYPTION_KEY set, every token (bot, user, refresh) is stored encrypted (storage/encryption.py), and
`rotate_keys` re-encrypts them all with the first key.
"""

from __future__ import annotations

import logging
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from sqlalchemy import Row, Table, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from rituals.ports import Clock, SystemClock
from storage.encryption import TokenCipher, is_sealed
from storage.models import SlackInstallationRow, SlackOAuthStateRow, SlackUserTokenRow

log = logging.getLogger(__name__)

_installations = cast(Table, SlackInstallationRow.__table__)
_states = cast(Table, SlackOAuthStateRow.__table__)
_user_tokens = cast(Table, SlackUserTokenRow.__table__)

# Written on a reinstall or a rotation; the installer stays as it was when a rotation does not name one.
_REPLACED = (
    "enterprise_name",
    "team_name",
    "is_enterprise_install",
    "app_id",
    "bot_token",
    "bot_id",
    "bot_user_id",
    "bot_scopes",
    "bot_refresh_token",
    "bot_token_expires_at",
    "installed_at",
)


def _key(enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None) -> tuple[str, str]:
    """The row's key: an org-wide install is found by its enterprise alone, whatever team an event names."""
    return enterprise_id or "", "" if is_enterprise_install else team_id or ""


def _timestamp(epoch: float | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, UTC) if epoch is not None else None


# The columns that hold secrets, per table: sealed on the way in, opened on the way out, re-sealed by a rotation.
_SECRET_COLUMNS = {
    _installations: ("bot_token", "bot_refresh_token"),
    _user_tokens: ("user_token", "user_refresh_token"),
}


@dataclass(frozen=True)
class Rotation:
    """What `ritme rotate-keys` did: tokens re-encrypted with the first key, and how many of them had been plain."""

    tokens: int
    were_plain: int


def _scopes(scopes: Any) -> str:
    if isinstance(scopes, str):
        return scopes
    return ",".join(str(scope) for scope in scopes or ())


class SqlInstallationStore(AsyncInstallationStore):
    """slack_sdk's AsyncInstallationStore on Ritme's database: the workspace's bot, and members' own user tokens.

    The bot is the workspace's install, whoever installed it last. A member's user token is kept beside it, per
    member, only when they granted user scopes; `async_find_installation(user_id=...)` returns the bot with that
    member's user token, so each member is found with their own grant, never another's.
    """

    def __init__(self, engine: AsyncEngine, *, cipher: TokenCipher | None = None) -> None:
        self._engine = engine
        self._cipher = cipher or TokenCipher()  # no keys: tokens are stored as they are
        self._dialect = postgresql if engine.dialect.name == "postgresql" else sqlite

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._engine.dialect.name})"

    @property
    def logger(self) -> logging.Logger:
        """The logger slack_sdk expects every store to have."""
        return log

    async def async_save(self, installation: Installation) -> None:
        """Store the workspace's bot from a completed OAuth install, replacing any earlier one, and the installing
        member's user token when they granted one."""
        await self._upsert(installation.to_bot(), installer_user_id=installation.user_id)
        if installation.user_token:
            await self._upsert_user(installation)

    async def _upsert_user(self, installation: Installation) -> None:
        enterprise_id, team_id = _key(
            installation.enterprise_id, installation.team_id, installation.is_enterprise_install
        )
        values: dict[str, Any] = {
            "enterprise_id": enterprise_id,
            "team_id": team_id,
            "user_id": installation.user_id,
            "user_token": self._cipher.seal(installation.user_token or ""),
            "user_scopes": _scopes(installation.user_scopes),
            "user_refresh_token": self._sealed(installation.user_refresh_token),
            "user_token_expires_at": _timestamp(installation.user_token_expires_at),
            "granted_at": _timestamp(installation.installed_at) or datetime.now(UTC),
        }
        key = ("enterprise_id", "team_id", "user_id")
        insert = self._dialect.insert(_user_tokens).values(**values)
        replaced = {name: insert.excluded[name] for name in values if name not in key}
        statement = insert.on_conflict_do_update(index_elements=list(key), set_=replaced)
        async with self._engine.begin() as connection:
            await connection.execute(statement)
        log.info("stored a member's Slack user grant for workspace %s", team_id or enterprise_id)

    async def _find_user(
        self, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None, user_id: str
    ) -> Row[Any] | None:
        enterprise, team = _key(enterprise_id, team_id, is_enterprise_install)
        statement = select(_user_tokens).where(
            _user_tokens.c.enterprise_id == enterprise,
            _user_tokens.c.team_id == team,
            _user_tokens.c.user_id == user_id,
        )
        async with self._engine.connect() as connection:
            return (await connection.execute(statement)).first()

    async def async_save_bot(self, bot: Bot) -> None:
        """Store the workspace's bot (after a token rotation, say), keeping who installed it."""
        await self._upsert(bot, installer_user_id=None)

    async def _upsert(self, bot: Bot, *, installer_user_id: str | None) -> None:
        enterprise_id, team_id = _key(bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
        values: dict[str, Any] = {
            "enterprise_id": enterprise_id,
            "team_id": team_id,
            "enterprise_name": bot.enterprise_name,
            "team_name": bot.team_name,
            "is_enterprise_install": bool(bot.is_enterprise_install),
            "app_id": bot.app_id,
            "bot_token": self._cipher.seal(bot.bot_token),
            "bot_id": bot.bot_id,
            "bot_user_id": bot.bot_user_id,
            "bot_scopes": _scopes(bot.bot_scopes),
            "bot_refresh_token": self._sealed(bot.bot_refresh_token),
            "bot_token_expires_at": _timestamp(bot.bot_token_expires_at),
            "installer_user_id": installer_user_id,
            "installed_at": _timestamp(bot.installed_at) or datetime.now(UTC),
        }
        insert = self._dialect.insert(_installations).values(**values)
        replaced = {name: insert.excluded[name] for name in _REPLACED}
        if installer_user_id is not None:
            replaced["installer_user_id"] = insert.excluded.installer_user_id
        statement = insert.on_conflict_do_update(index_elements=["enterprise_id", "team_id"], set_=replaced)
        async with self._engine.begin() as connection:
            await connection.execute(statement)
        log.info("stored the Slack bot for workspace %s", team_id or enterprise_id)

    async def _find(
        self, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None
    ) -> Row[Any] | None:
        enterprise, team = _key(enterprise_id, team_id, is_enterprise_install)
        statement = select(_installations).where(
            _installations.c.enterprise_id == enterprise, _installations.c.team_id == team
        )
        async with self._engine.connect() as connection:
            return (await connection.execute(statement)).first()

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        """The workspace's current bot, or None when Ritme is not installed there."""
        installation = await self.async_find_installation(
            enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install
        )
        return installation.to_bot() if installation is not None else None

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        """The workspace's install; with `user_id`, that member's own, with their user token when they granted one
        (None when they neither installed Ritme nor granted it anything)."""
        row = await self._find(enterprise_id, team_id, is_enterprise_install)
        if row is None:
            return None
        user = None
        if user_id is not None:
            user = await self._find_user(enterprise_id, team_id, is_enterprise_install, user_id)
            if user is None and row.installer_user_id != user_id:
                return None
        return Installation(
            app_id=row.app_id,
            enterprise_id=row.enterprise_id or None,
            enterprise_name=row.enterprise_name,
            team_id=row.team_id or None,
            team_name=row.team_name,
            bot_token=self._cipher.open(row.bot_token),
            bot_id=row.bot_id,
            bot_user_id=row.bot_user_id,
            bot_scopes=row.bot_scopes,
            bot_refresh_token=self._opened(row.bot_refresh_token),
            bot_token_expires_at=row.bot_token_expires_at,
            user_id=user_id if user_id is not None else row.installer_user_id or "",
            user_token=self._cipher.open(user.user_token) if user is not None else None,
            user_scopes=user.user_scopes if user is not None else "",
            user_refresh_token=self._opened(user.user_refresh_token) if user is not None else None,
            user_token_expires_at=user.user_token_expires_at if user is not None else None,
            is_enterprise_install=row.is_enterprise_install,
            installed_at=row.installed_at,
        )

    def _sealed(self, value: str | None) -> str | None:
        return self._cipher.seal(value) if value is not None else None

    def _opened(self, stored: str | None) -> str | None:
        return self._cipher.open(stored) if stored is not None else None

    async def rotate_keys(self) -> Rotation:
        """Re-encrypt every stored token with the first key, in one transaction: all of them, or (on a key that does
        not fit, EncryptionKeyError) none."""
        tokens = were_plain = 0
        async with self._engine.begin() as connection:
            for table, columns in _SECRET_COLUMNS.items():
                rows = (await connection.execute(select(table.c.id, *(table.c[name] for name in columns)))).all()
                for row in rows:
                    values = {}
                    for name in columns:
                        stored = row._mapping[name]
                        if stored is None:
                            continue
                        values[name] = self._cipher.reseal(stored)
                        tokens += 1
                        were_plain += not is_sealed(stored)
                    if values:
                        await connection.execute(update(table).where(table.c.id == row.id).values(**values))
        log.info("re-encrypted %d stored Slack tokens with the first encryption key", tokens)
        return Rotation(tokens=tokens, were_plain=were_plain)

    async def key_states(self) -> Counter[str]:
        """How many stored tokens are in each state of TokenCipher.state: plain, current, older, unreadable."""
        states: Counter[str] = Counter()
        async with self._engine.connect() as connection:
            for table, columns in _SECRET_COLUMNS.items():
                for row in await connection.execute(select(*(table.c[name] for name in columns))):
                    states.update(self._cipher.state(stored) for stored in row if stored is not None)
        return states

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Forget the workspace's bot (Slack said the app was uninstalled or its tokens revoked)."""
        enterprise, team = enterprise_id or "", team_id or ""
        statement = delete(_installations).where(
            _installations.c.enterprise_id == enterprise, _installations.c.team_id == team
        )
        async with self._engine.begin() as connection:
            await connection.execute(statement)
        log.info("forgot the Slack bot for workspace %s", team or enterprise)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        """With `user_id`, forget that member's user token (they revoked it); without, the workspace's bot and every
        member's user token (the app was uninstalled)."""
        enterprise, team = enterprise_id or "", team_id or ""
        statement = delete(_user_tokens).where(
            _user_tokens.c.enterprise_id == enterprise, _user_tokens.c.team_id == team
        )
        if user_id is not None:
            statement = statement.where(_user_tokens.c.user_id == user_id)
        async with self._engine.begin() as connection:
            await connection.execute(statement)
        if user_id is None:
            await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        else:
            log.info("forgot a member's Slack user grant in workspace %s", team or enterprise)


class SqlOAuthStateStore(AsyncOAuthStateStore):
    """OAuth `state` values in Ritme's database: random, one-shot, expiring after `expiration`."""

    def __init__(
        self, engine: AsyncEngine, *, expiration: timedelta = timedelta(minutes=10), clock: Clock | None = None
    ) -> None:
        self._engine = engine
        self._expiration = expiration
        self._clock = clock or SystemClock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._engine.dialect.name})"

    @property
    def logger(self) -> logging.Logger:
        """The logger slack_sdk expects every store to have."""
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        """A new state for one install attempt; expired ones are swept out on the way."""
        state = secrets.token_urlsafe(32)
        now = self._clock.now()
        async with self._engine.begin() as connection:
            await connection.execute(delete(_states).where(_states.c.expires_at <= now))
            await connection.execute(_states.insert().values(state=state, expires_at=now + self._expiration))
        return state

    async def async_consume(self, state: str) -> bool:
        """True once for a state this store issued that has not expired; False for any other, or a second time."""
        statement = delete(_states).where(_states.c.state == state).returning(_states.c.expires_at)
        async with self._engine.begin() as connection:
            expires_at = (await connection.execute(statement)).scalar_one_or_none()
        if expires_at is None:
            log.info("refused an unknown or already used Slack OAuth state")
            return False
        if expires_at <= self._clock.now():
            log.info("refused an expired Slack OAuth state")
            return False
        return True
