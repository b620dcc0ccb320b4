"""A member's Slack status during a no-meeting window, set with the member's own user token when they granted one.

Slack sets a member's status only with a user token of theirs carrying users.profile:write: the bot's token cannot.
A member grants it by going through Ritme's install link (the OAuth install asks for that user scope); the
installation store then keeps their user token beside the workspace's bot. Without a grant nothing happens: no
call, no error, no failure recorded, because the status is a courtesy and the grant optional.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.tokens import web_client
from adapters.slack.transport import DEFAULT_API_URL, RetryingTransport, SlackRefused, WebApi
from rituals.outbound import StatusUpdate
from rituals.ports import Clock

log = logging.getLogger(__name__)

STATUS_SCOPE = "users.profile:write"
# Slack cuts a status at 100 characters; a longer one is refused, so it is cut here, with an ellipsis.
MAX_STATUS_TEXT = 100
# Refusals that mean the grant is gone or never covered this (revoked, expired, a scope taken back): the same as
# having no grant, so dropped quietly rather than reported to managers.
_NO_GRANT = frozenset({
    "invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive", "missing_scope",
    "no_permission", "not_allowed_token_type",
})


class UserTokens(Protocol):
    """Where a member's own user token comes from."""

    async def status_token(self, workspace_id: str, user_id: str) -> str | None:
        """The member's user token when it may set their status (users.profile:write), else None."""
        ...


class InstalledUserTokens:
    """Members' user tokens from the installation store, only those that carry users.profile:write."""

    def __init__(self, store: AsyncInstallationStore, *, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._store!r})"

    async def status_token(self, workspace_id: str, user_id: str) -> str | None:
        """The member's own user token with users.profile:write, None without one (or when it has expired)."""
        installation = await self._store.async_find_installation(
            enterprise_id=None, team_id=workspace_id, user_id=user_id
        )
        if installation is None or not installation.user_token or installation.user_id != user_id:
            return None
        scopes = installation.user_scopes or []
        if STATUS_SCOPE not in (scopes.split(",") if isinstance(scopes, str) else scopes):
            return None
        expires = installation.user_token_expires_at
        if expires is not None and expires <= self._clock.now().timestamp():
            # Ritme does not rotate user tokens: an expired one is as good as none until the member grants again.
            return None
        return str(installation.user_token)


class MemberStatuses:
    """Sets members' Slack statuses with their own user tokens (users.profile.set), never with the bot's."""

    def __init__(
        self,
        tokens: UserTokens,
        *,
        api_url: str = DEFAULT_API_URL,
        transport: Callable[[AsyncWebClient], WebApi] = RetryingTransport,
    ) -> None:
        self._tokens = tokens
        self._api_url = api_url
        self._transport = transport

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._tokens!r})"

    async def set(self, update: StatusUpdate) -> bool:
        """Set (or with empty text clear) the member's status; False when they granted nothing that allows it.

        Raises SlackUnavailable, or SlackRefused for a refusal other than a missing or revoked grant.
        """
        member = update.to
        token = await self._tokens.status_token(member.workspace_id, member.user_id)
        if token is None:
            return False
        text = update.text if len(update.text) <= MAX_STATUS_TEXT else update.text[: MAX_STATUS_TEXT - 1] + "…"
        profile = {
            "status_text": text,
            "status_emoji": update.emoji if text else "",
            "status_expiration": int(update.until.timestamp()) if text and update.until is not None else 0,
        }
        # A client per call: the token is the member's, and a status is set a few times a day at most.
        api = self._transport(web_client(token, api_url=self._api_url))
        try:
            await api.call(member.workspace_id, "users.profile.set", {"profile": profile})
        except SlackRefused as refused:
            if refused.error not in _NO_GRANT:
                raise
            log.info("a member's Slack grant no longer sets their status (%s); skipped", refused.error)
            return False
        return True
