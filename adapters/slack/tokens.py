"""Whose bot token a Web API call uses: one token (single workspace), or each workspace's own from its install.

`InstalledClients` finds a workspace's bot in the installation store, keeps it briefly, and rotates its token
ahead of expiry when the app has token rotation on. `WorkspaceWebApi` is the outbox's WebApi on top of it: each
workspace gets a transport (RetryingTransport by default) over a client holding that workspace's token.
Tokens never reach a log line: the clients log through `WEB_LOG`, which masks anything shaped like a token.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.transport import DEFAULT_API_URL, RetryingTransport, SlackRefused, WebApi

_TOKEN = re.compile(r"\bxox[a-z]?[-.][A-Za-z0-9.\-]+|\bxapp-[A-Za-z0-9\-]+")


def _redacted(token: re.Match[str]) -> str:
    return "xapp-(redacted)" if token.group().startswith("xapp-") else "xox*-(redacted)"


class RedactTokens(logging.Filter):
    """Masks Slack tokens (xoxb-, xoxe-, xoxe.xoxb-, xapp-, ...) in a record's message, e.g. an oauth.v2.access body."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the message when it holds a token; never drops a record."""
        message = record.getMessage()
        if _TOKEN.search(message):
            record.msg = _TOKEN.sub(_redacted, message)
            record.args = None
        return True


# The logger every Web API client of the OAuth mode logs through (slack_sdk logs response bodies at DEBUG).
WEB_LOG = logging.getLogger("adapters.slack.web")
WEB_LOG.addFilter(RedactTokens())

# What slack-bolt and slack_sdk read from the environment when an argument is missing; Ritme passes its settings
# explicitly, and hides these while bolt is built so a stray variable cannot switch the mode or the store.
BOLT_ENVIRONMENT = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_SCOPES",
    "SLACK_USER_SCOPES",
    "SLACK_REDIRECT_URI",
    "SLACK_INSTALL_PATH",
    "SLACK_REDIRECT_URI_PATH",
)


@contextmanager
def without_bolt_environment() -> Iterator[None]:
    """Hide bolt's SLACK_* variables for the (synchronous) construction of the bolt app and its OAuth settings."""
    hidden = {name: os.environ.pop(name) for name in BOLT_ENVIRONMENT if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(hidden)


def web_client(token: str | None = None, *, api_url: str = DEFAULT_API_URL) -> AsyncWebClient:
    """A Web API client that retries nothing itself (the transport owns retries) and logs through WEB_LOG."""
    return AsyncWebClient(token=token, base_url=api_url.rstrip("/") + "/", retry_handlers=[], logger=WEB_LOG)


class NotInstalled(SlackRefused):
    """Ritme has no bot in that workspace (never installed, or uninstalled)."""

    def __init__(self, workspace_id: str) -> None:
        super().__init__("auth", "not_installed")
        self.workspace_id = workspace_id


class ClientSource(Protocol):
    """A Web API client holding the right bot token for a workspace."""

    async def client(self, workspace_id: str) -> AsyncWebClient:
        """The client for `workspace_id`; raises NotInstalled when Ritme has no bot there."""
        ...


@dataclass
class _Cached:
    token: str
    client: AsyncWebClient
    fresh_until: float


class InstalledClients:
    """Each workspace's bot token from the installation store, cached for `ttl_seconds`, rotated when due."""

    def __init__(
        self,
        store: AsyncInstallationStore,
        *,
        api_url: str = DEFAULT_API_URL,
        rotator: AsyncTokenRotator | None = None,
        rotate_minutes_before_expiry: int = 120,
        ttl_seconds: float = 30.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._api_url = api_url
        self._rotator = rotator
        self._rotate_minutes = rotate_minutes_before_expiry
        self._ttl = ttl_seconds
        self._monotonic = monotonic
        self._cache: dict[str, _Cached] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self._cache)} workspaces cached)"

    async def client(self, workspace_id: str) -> AsyncWebClient:
        """The client for the workspace's current bot; raises NotInstalled when there is none."""
        cached = self._cache.get(workspace_id)
        if cached is not None and cached.fresh_until > self._monotonic():
            return cached.client
        # One lookup (and at most one rotation) per workspace at a time.
        async with self._locks.setdefault(workspace_id, asyncio.Lock()):
            cached = self._cache.get(workspace_id)
            if cached is not None and cached.fresh_until > self._monotonic():
                return cached.client
            token = await self._token(workspace_id)
            client = (
                cached.client
                if cached is not None and cached.token == token
                else web_client(token, api_url=self._api_url)
            )
            self._cache[workspace_id] = _Cached(token, client, self._monotonic() + self._ttl)
            return client

    def forget(self, workspace_id: str) -> None:
        """Look the workspace's token up afresh next time (after a reinstall or an invalid_auth, say)."""
        self._cache.pop(workspace_id, None)

    async def _token(self, workspace_id: str) -> str:
        bot = await self._store.async_find_bot(enterprise_id=None, team_id=workspace_id)
        if bot is None:
            self._cache.pop(workspace_id, None)
            raise NotInstalled(workspace_id)
        if self._rotator is not None and bot.bot_refresh_token is not None:
            try:
                refreshed = await self._rotator.perform_bot_token_rotation(
                    bot=bot, minutes_before_expiration=self._rotate_minutes
                )
            except SlackTokenRotationError as error:
                # The old token may still work until it expires; the next lookup tries again.
                WEB_LOG.warning("could not rotate the bot token of workspace %s: %s", workspace_id, error.api_error)
                refreshed = None
            if refreshed is not None:
                await self._store.async_save_bot(refreshed)
                bot = refreshed
        return str(bot.bot_token)


class OneClient:
    """The single-workspace mode's ClientSource: the same client, whatever the workspace."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def client(self, workspace_id: str) -> AsyncWebClient:
        """The one client."""
        return self._client


class WorkspaceWebApi:
    """The outbox's WebApi when each workspace has its own token: a transport per workspace's client."""

    def __init__(
        self, clients: ClientSource, transport: Callable[[AsyncWebClient], WebApi] = RetryingTransport
    ) -> None:
        self._clients = clients
        self._transport = transport
        self._transports: dict[str, tuple[AsyncWebClient, WebApi]] = {}

    async def call(self, workspace_id: str, method: str, args: Mapping[str, Any]) -> Mapping[str, Any]:
        """Call `method` with the workspace's own bot token."""
        client = await self._clients.client(workspace_id)
        known = self._transports.get(workspace_id)
        if known is None or known[0] is not client:
            known = (client, self._transport(client))
            self._transports[workspace_id] = known
        return await known[1].call(workspace_id, method, args)


def _conforms(
    api: WorkspaceWebApi, installed: InstalledClients, one: OneClient
) -> tuple[WebApi, ClientSource, ClientSource]:
    # mypy fails here if these drift from the protocols they stand in for.
    return api, installed, one
