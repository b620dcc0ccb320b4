"""BotConnectorClient: the TeamsConnector over the Bot Connector REST API (v3), with honest retries.

Why aiohttp and not the Agents SDK's ConnectorClient: the SDK's client bakes one bearer token into the default
headers of an aiohttp session it owns (its factory builds a new client, and so a new session, per turn), it writes
the token into the headers of a session passed to it (so one session cannot serve several service URLs), it has
no timeouts or retries and logs every 429 as an error, and it quietly cuts conversation ids at 150 characters. A
fan-out of 2,000 prompts would open 2,000 sessions, or need a cache of clients keyed by service URL and token. So
the calls are made here on one shared session, and the SDK does what it is good at: getting the token. Its
MsalAuth (client secret, cached by MSAL) in production, its AnonymousTokenProvider for local testing (no token, no
Authorization header).

Replies in a channel's thread go to the thread's own conversation, "<channel id>;messageid=<root id>", which is
how Teams threads a reply; ReplyToActivity (POST .../activities/{id}) on the channel's id posts a new top-level
message in Teams.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import quote

import aiohttp
from microsoft_agents.authentication.msal import MsalAuth
from microsoft_agents.hosting.core.authorization import (
    AccessTokenProviderBase,
    AgentAuthConfiguration,
    AnonymousTokenProvider,
    AuthTypes,
)
from yarl import URL

from adapters.teams.connector import RosterMember, TeamsConnector
from adapters.teams.protocol import channel_of_conversation
from adapters.teams.references import ConversationRef
from adapters.teams.sender import Pacer
from rituals.ports import Clock, PlatformRefused, PlatformUnavailable, SystemClock

log = logging.getLogger(__name__)

BOT_FRAMEWORK_RESOURCE = "https://api.botframework.com"
BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"
# A bot registered for several tenants gets its tokens from the Bot Framework's own tenant.
MULTI_TENANT = "botframework.com"
# Teams asks for 429, 412, 502 and 504 to be retried (503 too: the service is briefly unavailable). A 500 is not
# retried: the post may have been made, and a refusal that recurs should be recorded rather than repeated.
RETRIED_STATUSES = frozenset({412, 429, 502, 503, 504})
MEMBERS_PAGE_SIZE = 500


class TeamsRefused(PlatformRefused):
    """The Bot Connector refused a call (a 4xx, say 403 BotNotInConversationRoster); sending it again would not help."""

    def __init__(self, operation: str, status: int, code: str) -> None:
        super().__init__(f"{operation} refused: HTTP {status} {code}".rstrip())
        self.operation = operation
        self.status = status
        self.code = code


class TeamsUnavailable(PlatformUnavailable):
    """A call kept failing (412, 5xx, timeouts, rate limits) after every retry."""

    def __init__(self, operation: str, attempts: int, reason: str) -> None:
        super().__init__(f"{operation} failed after {attempts} attempts: {reason}")
        self.operation = operation
        self.attempts = attempts


class AccessTokens(Protocol):
    """Where bearer tokens come from: the SDK's AccessTokenProviderBase (MsalAuth, AnonymousTokenProvider)."""

    async def get_access_token(self, resource_url: str, scopes: list[str], force_refresh: bool = False) -> str:
        """A token for the resource; an empty string means none (anonymous)."""
        ...


def token_provider(
    app_id: str | None, app_password: str | None, tenant_id: str | None = None
) -> AccessTokenProviderBase:
    """The SDK's MsalAuth for an app id and client secret, or its AnonymousTokenProvider without an app id."""
    if app_id is None:
        return AnonymousTokenProvider()
    if not app_password:
        raise ValueError("a Teams app id needs its client secret (RITME_TEAMS_APP_PASSWORD)")
    config = AgentAuthConfiguration(
        auth_type=AuthTypes.client_secret,
        client_id=app_id,
        tenant_id=tenant_id or MULTI_TENANT,
        client_secret=app_password,
        scopes=[BOT_FRAMEWORK_SCOPE],
    )
    return MsalAuth(config)


class BotConnectorClient:
    """Calls the Bot Connector service of each conversation's service URL on one aiohttp session.

    Each call is retried on 429 (waiting as long as Retry-After says), 412, 502, 503, 504, timeouts and connection
    errors, with jittered exponential backoff; a 401 is retried once with a fresh token. Any other answer that is
    not a success raises TeamsRefused; running out of retries raises TeamsUnavailable. Before every attempt the
    pacer (when given) decides when it may go. A timed-out post may have reached Teams, so a retry can post twice;
    the Bot Connector has no idempotency key, and a rare duplicate beats a prompt that silently never arrives.

    Use it as an async context manager, or call close(); a session passed in is the caller's to close.
    """

    def __init__(
        self,
        tokens: AccessTokens,
        *,
        session: aiohttp.ClientSession | None = None,
        pacer: Pacer | None = None,
        clock: Clock | None = None,
        retries: int = 3,
        backoff_seconds: float = 0.5,
        timeout_seconds: float = 15.0,
        rate_limit_waits: int = 5,
        max_retry_after_seconds: float = 300.0,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
        on_rate_limited: Callable[[], None] | None = None,
    ) -> None:
        self._tokens = tokens
        # Told of every 429, e.g. to count it; the adapter knows nothing of what listens.
        self._on_rate_limited = on_rate_limited
        self._session = session
        self._owns_session = session is None
        self._pacer = pacer
        self._clock = clock or SystemClock()
        self._retries = retries
        self._backoff = backoff_seconds
        self._timeout = timeout_seconds
        self._rate_limit_waits = rate_limit_waits
        self._max_retry_after = max_retry_after_seconds
        self._sleep = sleep
        self._jitter = jitter

    async def __aenter__(self) -> BotConnectorClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the session this client opened (not one it was given)."""
        if self._owns_session and self._session is not None:
            await self._session.close()
            self._session = None

    # TeamsConnector -------------------------------------------------------------------------------------------

    async def send(self, ref: ConversationRef, activity: Mapping[str, Any], *, reply_to: str | None = None) -> str:
        """Post an activity into the conversation (as a reply in the thread of `reply_to`); the new activity's id."""
        body = dict(activity)
        conversation = ref.conversation_id
        path = "activities"
        if reply_to:
            body["replyToId"] = reply_to
            if ref.kind == "channel":
                conversation = f"{channel_of_conversation(conversation)};messageid={reply_to}"
            else:
                path = f"activities/{_segment(reply_to)}"
        answer = await self._call(
            "send", "POST", _conversation_url(ref.service_url, conversation, path), ref.tenant_id, conversation, body
        )
        return _activity_id(answer, "send")

    async def update(self, ref: ConversationRef, activity_id: str, activity: Mapping[str, Any]) -> None:
        """Replace an activity Ritme posted earlier (a prompt card by its "thanks, answered" card)."""
        body = {**activity, "id": activity_id}
        url = _conversation_url(ref.service_url, ref.conversation_id, f"activities/{_segment(activity_id)}")
        await self._call("update", "PUT", url, ref.tenant_id, ref.conversation_id, body)

    async def create_personal(self, tenant_id: str, service_url: str, bot_id: str, user_id: str) -> ConversationRef:
        """Open (or find: Teams answers with the same id again) the personal chat between the bot and a member."""
        body = {
            "isGroup": False,
            "bot": {"id": bot_id},
            "members": [{"id": user_id}],
            "tenantId": tenant_id,
            "channelData": {"tenant": {"id": tenant_id}},
        }
        answer = await self._call(
            "create_personal", "POST", _api_url(service_url, "v3/conversations"), tenant_id, None, body
        )
        conversation_id = answer.get("id") if isinstance(answer, Mapping) else None
        if not isinstance(conversation_id, str) or not conversation_id:
            raise TeamsRefused("create_personal", 200, "no conversation id in the answer")
        return ConversationRef(
            tenant_id=tenant_id,
            conversation_id=conversation_id,
            service_url=service_url,
            bot_id=bot_id,
            kind="personal",
            user_id=user_id,
            updated_at=self._clock.now(),
        )

    async def members(self, ref: ConversationRef) -> Sequence[RosterMember]:
        """The members of the team (for a channel reference) or of the chat, every page of them."""
        # A team's roster is read at the team's id (its General channel's), whichever channel the reference is.
        conversation = (ref.team_id or ref.conversation_id) if ref.kind == "channel" else ref.conversation_id
        url = _conversation_url(ref.service_url, conversation, "pagedmembers")
        found: list[RosterMember] = []
        token: str | None = None
        while True:
            params = {"pageSize": str(MEMBERS_PAGE_SIZE)}
            if token:
                params["continuationToken"] = token
            answer = await self._call("members", "GET", url.with_query(params), ref.tenant_id, None, None)
            page = answer if isinstance(answer, Mapping) else {}
            found.extend(
                _member(raw) for raw in page.get("members") or () if isinstance(raw, Mapping) and raw.get("id")
            )
            token = page.get("continuationToken") or None
            if not token:
                return found

    # HTTP -----------------------------------------------------------------------------------------------------

    async def _call(
        self,
        operation: str,
        method: str,
        url: URL,
        tenant_id: str,
        paced_conversation: str | None,
        body: Mapping[str, Any] | None,
    ) -> Any:
        failures = waits = attempts = 0
        refreshed = refresh = False
        while True:
            attempts += 1
            headers = await self._headers(operation, url, force_refresh=refresh)
            refresh = False
            if self._pacer is not None:
                await self._pacer.turn(tenant_id, paced_conversation)
            try:
                async with asyncio.timeout(self._timeout):
                    async with self._open().request(method, url, json=body, headers=headers) as response:
                        status = response.status
                        retry_after = response.headers.get("Retry-After")
                        answer = await _json(response)
            except (TimeoutError, aiohttp.ClientError) as error:
                reason = type(error).__name__
            else:
                if status < 300:
                    return answer
                if status == 401 and not refreshed:
                    # The token may have expired between MSAL's cache check and Teams reading it; one fresh try.
                    refreshed = refresh = True
                    continue
                if status == 429:
                    if self._on_rate_limited is not None:
                        self._on_rate_limited()
                    waits += 1
                    if waits > self._rate_limit_waits:
                        raise TeamsUnavailable(operation, attempts, "still rate limited")
                    delay = self._retry_after(retry_after, waits)
                    log.info("Teams rate-limited %s in tenant %s; waiting %.2f s", operation, tenant_id, delay)
                    await self._sleep(delay)
                    continue
                if status not in RETRIED_STATUSES:
                    raise TeamsRefused(operation, status, _error_code(answer))
                reason = f"HTTP {status}"
            failures += 1
            if failures > self._retries:
                raise TeamsUnavailable(operation, attempts, reason)
            delay = self._backoff * 2 ** (failures - 1) * (0.5 + self._jitter())
            log.info("%s in tenant %s failed (%s); retry %d in %.2f s", operation, tenant_id, reason, failures, delay)
            await self._sleep(delay)

    async def _headers(self, operation: str, url: URL, *, force_refresh: bool) -> dict[str, str]:
        token = await self._tokens.get_access_token(BOT_FRAMEWORK_RESOURCE, [BOT_FRAMEWORK_SCOPE], force_refresh)
        if not token:
            return {}
        if url.scheme != "https" and not _loopback(url.host):
            # A service URL comes from an activity; a bearer token never travels in the clear to anyone.
            raise TeamsRefused(operation, 0, f"refusing to send a token over {url.scheme}:// to {url.host}")
        return {"Authorization": f"Bearer {token}"}

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        return self._session

    def _retry_after(self, header: str | None, waits: int) -> float:
        seconds: float | None = None
        if header:
            try:
                seconds = float(header)
            except ValueError:
                try:
                    seconds = (parsedate_to_datetime(header) - self._clock.now()).total_seconds()
                except (TypeError, ValueError):
                    seconds = None
        if seconds is None:
            # Teams says how long only sometimes; without it, back off as its documentation asks.
            seconds = self._backoff * 2 ** (waits - 1) * (0.5 + self._jitter())
        return min(max(seconds, 0.0), self._max_retry_after)


def _segment(value: str) -> str:
    # Teams ids hold ':', '@', ';' and '=', all allowed in a path segment; anything else is escaped.
    return quote(value, safe=":@;=!$'()*+,-._~")


def _api_url(service_url: str, path: str) -> URL:
    return URL(f"{service_url.rstrip('/')}/{path}", encoded=True)


def _conversation_url(service_url: str, conversation_id: str, path: str) -> URL:
    return _api_url(service_url, f"v3/conversations/{_segment(conversation_id)}/{path}")


def _loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def _json(response: aiohttp.ClientResponse) -> Any:
    text = await response.text()
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None  # an error page from a proxy: the status says enough


def _activity_id(answer: Any, operation: str) -> str:
    activity_id = answer.get("id") if isinstance(answer, Mapping) else None
    if not isinstance(activity_id, str) or not activity_id:
        raise TeamsRefused(operation, 200, "no activity id in the answer")
    return activity_id


def _error_code(answer: Any) -> str:
    error = answer.get("error") if isinstance(answer, Mapping) else None
    code = error.get("code") if isinstance(error, Mapping) else None
    return str(code) if code else ""


def _member(raw: Mapping[str, Any]) -> RosterMember:
    return RosterMember(
        user_id=str(raw["id"]),
        name=str(raw.get("name") or ""),
        aad_object_id=raw.get("aadObjectId") or None,
        locale=raw.get("locale") or None,
    )


def _conforms(client: BotConnectorClient) -> TeamsConnector:
    # mypy fails here if BotConnectorClient drifts from the TeamsConnector protocol.
    return client
