"""Ritme's Teams front door: POST /api/messages on the shared aiohttp server, driven by Microsoft's 365 Agents SDK.

Each request goes the way Slack's do, with the SDK where Teams' protocol is concerned:

1. The SDK checks the Bearer token (`_authorize_request`, the function its aiohttp middleware calls, with an
   AgentAuthConfiguration of Ritme's app id): signature against Microsoft's published keys, expiry, audience = the
   app id, and the issuer (Ritme turns the SDK's issuer check on). Anything else is a 401 and leaves no trace.
2. The SDK's CloudAdapter parses the Activity, checks its service URL against the token, runs the turn (Ritme's
   `on_turn` below) and writes the response Teams expects: 202 for an activity, the invoke response for an invoke.
3. In the turn: the conversation's reference is refreshed (so proactive prompts reach it), the activity translated
   (adapters/teams/translate.py, pure) and each event recorded with `Inbound.accept` — all before Teams hears back.
   A redelivered activity is answered and dropped. The slow part runs after the answer, in tasks this class owns
   and drains on shutdown: the pipeline handles each event, and when Ritme was added to a team (or meets a channel
   for the first time) the channel's roster is read through the TeamsConnector, one MemberSeen per member.

Ritme never answers through the SDK's turn: replies and prompts go through the Teams outbox (the pipeline's outbox
router), with Teams' rate limits and retries. So the turn gets no Bot Connector clients of its own, which also
spares every request a token fetch from Entra before the activity is even recorded.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast
from urllib.parse import urlsplit

from aiohttp import web
from microsoft_agents.activity import Activity, ActivityTypes, InvokeResponse
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration, AuthTypes, ClaimsIdentity
from microsoft_agents.hosting.core.authorization.jwt import _authorize_request
from microsoft_agents.hosting.core.connector import ConnectorClientBase, UserTokenClientBase
from microsoft_agents.hosting.core.http import HttpResponse
from pydantic import ValidationError

from adapters.teams import translate
from adapters.teams.connector import TeamsConnector
from adapters.teams.protocol import PLATFORM
from adapters.teams.references import ConversationReferences
from rituals.events import CommandInvoked, InboundEvent, MemberSeen
from rituals.outbound import MemberAddress
from rituals.ports import Clock, Inbound

log = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"
# What an Action.Execute gets back: the SDK's own default for a handled card action. The card itself is replaced
# by the engine's reply, which the outbox sends as an update.
CARD_ACTION_ANSWER: dict[str, Any] = {"statusCode": 200}

ReplyContextHint = Callable[[MemberAddress, str, str], None]
"""Told (member, conversation id, activity id) just before a member's command is handled, so the outbox can post
the reply to it as a reply to that activity (in a channel: in the command's thread). In memory, like Slack's
trigger ids: a command recovered after a restart comes without one, and its reply goes where the outbox sends
replies by default. The conversation id is the one the activity came with (a channel thread's includes
";messageid=...")."""


class TeamsNotConfigured(ValueError):
    """Teams was asked for without what it needs to check who is calling."""


def auth_configuration(*, app_id: str | None, tenant_id: str | None, allow_anonymous: bool) -> AgentAuthConfiguration:
    """The SDK's token check for Ritme's bot: audience = the app id, issuers checked; anonymous only without an app
    id and with RITME_TEAMS_ALLOW_ANONYMOUS (a loud warning); neither -> TeamsNotConfigured."""
    if app_id is None:
        if not allow_anonymous:
            raise TeamsNotConfigured(
                "Teams needs RITME_TEAMS_APP_ID (the bot's Microsoft app id, with RITME_TEAMS_APP_PASSWORD) to check "
                "that requests to /api/messages come from Teams; for local testing only, set "
                "RITME_TEAMS_ALLOW_ANONYMOUS=true to serve it without any check"
            )
        log.warning(
            "RITME_TEAMS_ALLOW_ANONYMOUS is on and RITME_TEAMS_APP_ID is not set: /api/messages accepts activities "
            "from ANYONE, without checking a token. Use this for local testing only."
        )
        return AgentAuthConfiguration(anonymous_allowed=True)
    if allow_anonymous:
        log.warning("RITME_TEAMS_ALLOW_ANONYMOUS is ignored: with RITME_TEAMS_APP_ID set, every request needs a token")
    return AgentAuthConfiguration(
        auth_type=AuthTypes.client_secret,
        client_id=app_id,
        tenant_id=tenant_id,
        # The SDK checks the issuer only when asked to. Its allow-list (AgentAuthConfiguration.ISSUERS) is then the
        # Bot Framework's https://api.botframework.com, Entra's issuers of the tenant (or, multi-tenant, any Entra
        # tenant's) and Microsoft's own service tenants; a token from anyone else is refused.
        validate_issuer=True,
        # Never anonymous with an app id: a request without a token is a 401.
        anonymous_allowed=False,
    )


class TeamsApp:
    """The /api/messages route: the SDK checks and parses each activity; Ritme records its events before answering
    and handles them after."""

    def __init__(
        self,
        *,
        app_id: str | None,
        tenant_id: str | None = None,
        allow_anonymous: bool = False,
        inbound: Inbound,
        references: ConversationReferences,
        connector: TeamsConnector,
        clock: Clock,
        on_reply_context: ReplyContextHint | None = None,
        max_concurrent_work: int = 32,
        path: str = MESSAGES_PATH,
    ) -> None:
        # The app password is not needed here: checking Teams' tokens takes only the app id (and tenant); the
        # password is for Ritme's own calls to the Bot Connector service (the TeamsConnector).
        self._auth = auth_configuration(app_id=app_id, tenant_id=tenant_id, allow_anonymous=allow_anonymous)
        self.path = path
        self._inbound = inbound
        self._references = references
        self._connector = connector
        self._clock = clock
        self._on_reply_context = on_reply_context
        self._adapter = CloudAdapter(channel_service_client_factory=_NoTurnClients())
        # The SDK's default posts the exception's text into the conversation; Ritme lets the error reach `handle`,
        # which logs it and answers 500, so Teams delivers the activity again.
        self._adapter.on_turn_error = None
        # Bounds how many accepted events are worked on at once; answers to Teams never wait for a slot.
        self._slots = asyncio.Semaphore(max_concurrent_work)
        self._tasks: set[asyncio.Task[None]] = set()

    def routes(self) -> list[web.RouteDef]:
        """The route to add to the shared aiohttp app: POST /api/messages."""
        return [web.post(self.path, self.handle)]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Check the caller's token, then let the SDK run the activity's turn and answer Teams."""
        checked = await _authorize_request(request.headers.get("Authorization"), self._auth)
        if isinstance(checked, HttpResponse):
            return web.json_response(checked.body, status=checked.status_code)
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"error": "the body is not JSON"}, status=400)
        if not isinstance(body, dict):
            return web.json_response({"error": "the body is not an activity"}, status=400)
        if not _service_url_matches(checked, body.get("serviceUrl")):
            # The SDK only warns of this unless its outbound host validator is on; Ritme refuses it, since a
            # still-valid token replayed with another serviceUrl would send Ritme's replies (and its Bot Connector
            # token) wherever that URL points.
            log.warning("refused a Teams activity whose serviceUrl is not the one its token was issued for")
            return web.json_response({"error": "the serviceUrl is not the token's"}, status=401)
        # Where the SDK's middleware would leave it: CloudAdapter reads the caller's identity from the request, under
        # a plain string key (so aiohttp's advice to use a RequestKey cannot be followed here).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", web.NotAppKeyWarning)
            request["claims_identity"] = checked
        try:
            response = await self._adapter.process(request, _Turn(self, body))
        except ValidationError:
            return web.json_response({"error": "the body is not an activity"}, status=400)
        except Exception:
            # Nothing was recorded, or not all of it: a 500 makes Teams deliver the activity again.
            log.exception("taking a Teams %s activity failed", str(body.get("type"))[:40])
            return web.json_response({"error": "try again later"}, status=500)
        if response is None:
            raise web.HTTPInternalServerError()
        return response

    async def resume(self, event: InboundEvent) -> None:
        """Handle an event accepted before a stop (a roster trigger reads its channel's roster again first)."""
        if isinstance(event, MemberSeen) and translate.is_roster_trigger(event):
            event = await self._read_roster(event)
        await self._inbound.process(event)

    async def aclose(self, grace_seconds: float = 5.0) -> None:
        """Let work in progress finish for up to `grace_seconds`, then cancel what is left."""
        if not self._tasks:
            return
        _done, pending = await asyncio.wait(set(self._tasks), timeout=grace_seconds)
        for task in pending:
            task.cancel()
        if pending:
            log.warning("cancelled %d Teams activities still being handled at shutdown", len(pending))
            await asyncio.gather(*pending, return_exceptions=True)

    # The turn: everything before Teams hears back ----------------------------------------------------------------

    async def _take(self, context: TurnContext, activity: Mapping[str, Any]) -> None:
        received_at = self._clock.now()
        try:
            ref = translate.conversation_ref(activity, updated_at=received_at)
            found = translate.events(activity, received_at=received_at)
        except translate.MalformedActivity as problem:
            # A redelivery would be the same: answered, and nothing recorded.
            log.warning("ignored a Teams %s activity Ritme cannot read: %s", str(activity.get("type"))[:40], problem)
            await _answer_card_action(context, activity, refused=str(problem))
            return
        if translate.is_removal(activity):
            await self._references.forget(ref.tenant_id, ref.conversation_id)
        else:
            met = ref.kind == "personal" or await self._references.conversation(ref.tenant_id, ref.conversation_id)
            await self._references.remember(ref)
            if found and not met and not any(translate.is_roster_trigger(event) for event in found):
                # A channel Ritme has not met (a ritual set up outside the channel it was installed from): its
                # members are the team's, and each of them is to be prompted.
                found.append(translate.roster_trigger(activity, received_at=received_at))
        # One write for all of them: concurrent accepts share the pipeline's next commit.
        fresh = await asyncio.gather(*(self._inbound.accept(event) for event in found))
        accepted = [event for event, new in zip(found, fresh, strict=True) if new]
        await _answer_card_action(context, activity)
        if accepted:
            reply_to = (str(activity["conversation"]["id"]), str(activity["id"]))
            self._start(self._work(accepted, reply_to))

    # After the answer ----------------------------------------------------------------------------------------------

    def _start(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        # Held until done: the event loop keeps only weak references to tasks.
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _work(self, events: Sequence[InboundEvent], reply_to: tuple[str, str]) -> None:
        # The roster comes last: a member's command is answered before a whole team is read in.
        triggers = [event for event in events if isinstance(event, MemberSeen) and translate.is_roster_trigger(event)]
        for event in events:
            if event not in triggers:
                await self._handle(event, reply_to)
        for trigger in triggers:
            await self._handle(await self._read_roster(trigger))

    async def _handle(self, event: InboundEvent, reply_to: tuple[str, str] | None = None) -> None:
        try:
            async with self._slots:
                if reply_to is not None and self._on_reply_context is not None and isinstance(event, CommandInvoked):
                    actor = event.actor
                    member = MemberAddress(platform=PLATFORM, workspace_id=actor.workspace_id, user_id=actor.user_id)
                    self._on_reply_context(member, *reply_to)
                await self._inbound.process(event)
        except Exception:
            # Teams has its answer; what failed is logged here (the pipeline records what it needs itself).
            log.exception("handling Teams %s %s failed", type(event).__name__, event.event_id)

    async def _read_roster(self, trigger: MemberSeen) -> MemberSeen:
        """Record and handle a MemberSeen for each member of the trigger's channel (or group chat); the trigger,
        with its member's name from the roster when the activity had none (Teams sends an installer's ids only).

        The members are recorded before the trigger is handled, so after a crash the trigger is still pending and
        reading the roster again (`resume`) finds the members not recorded yet; those recorded are not repeated.
        """
        tenant_id = trigger.actor.workspace_id
        ref = await self._references.conversation(tenant_id, trigger.channel_id)
        if ref is None:
            log.warning("no reference to Teams conversation %s any more; its roster is not read", trigger.channel_id)
            return trigger
        try:
            roster = await self._connector.members(ref)
        except Exception:
            log.exception(
                "could not read the members of Teams conversation %s; they join Ritme there when they write to it",
                trigger.channel_id,
            )
            return trigger
        seen: list[MemberSeen] = []
        for member in roster:
            actor = trigger.actor
            if member.user_id == actor.user_id:
                if not actor.display_name:
                    named = replace(actor, display_name=member.name, locale=actor.locale or member.locale)
                    trigger = replace(trigger, actor=named)
            elif member.user_id != ref.bot_id:
                seen.append(translate.roster_member_seen(trigger, member.user_id, member.name, member.locale))
        fresh = await asyncio.gather(*(self._inbound.accept(event) for event in seen))
        for event, new in zip(seen, fresh, strict=True):
            if new:
                await self._handle(event)
        return trigger


@dataclass(frozen=True)
class _Turn:
    """The SDK's Agent for one request: hands the turn, with the activity's JSON as Teams sent it, to TeamsApp."""

    app: TeamsApp
    activity: Mapping[str, Any]

    async def on_turn(self, context: TurnContext) -> None:
        """Refresh the reference, record the events, and set the invoke response Teams waits for."""
        await self.app._take(context, self.activity)


async def _answer_card_action(context: TurnContext, activity: Mapping[str, Any], *, refused: str = "") -> None:
    """Give an Action.Execute the invoke response Teams waits for (other invokes get the SDK's 501)."""
    if activity.get("type") != "invoke" or activity.get("name") != translate.CARD_ACTION_INVOKE:
        return
    body: dict[str, Any] = CARD_ACTION_ANSWER
    if refused:
        # The SDK's own shape for a card action it cannot take.
        body = {
            "statusCode": 400,
            "type": "application/vnd.microsoft.error",
            "value": {"code": "BadRequest", "message": refused},
        }
    await context.send_activity(
        Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200, body=body))
    )


class _Unused:
    """A client the SDK sets up for each turn and Ritme never calls: replies go through the Teams outbox."""

    def __init__(self, what: str) -> None:
        self._what = what

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(
            f"Ritme's Teams turns send nothing through the SDK's {self._what} client (asked for {name!r}); "
            "replies go through adapters/teams/outbox.py"
        )

    async def close(self) -> None:
        """Nothing to release."""


class _NoTurnClients:
    """The SDK's ChannelServiceClientFactoryBase for turns that never send: no token fetched, no session opened."""

    async def create_connector_client(
        self,
        context: TurnContext | None,
        claims_identity: ClaimsIdentity,
        service_url: str,
        audience: str,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> ConnectorClientBase:
        """A connector client that refuses every call."""
        return cast(ConnectorClientBase, _Unused("Bot Connector"))

    async def create_user_token_client(
        self, context: TurnContext, claims_identity: ClaimsIdentity, use_anonymous: bool = False
    ) -> UserTokenClientBase:
        """A user token client that refuses every call (Ritme signs nobody in)."""
        return cast(UserTokenClientBase, _Unused("user token"))


def _service_url_matches(identity: ClaimsIdentity, service_url: object) -> bool:
    """True when the token names no service URL (anonymous, or a token without the claim) or the activity's is on
    the same scheme, host and port as the token's `serviceurl` claim."""
    claimed = identity.get_claim_value("serviceurl")
    if not isinstance(claimed, str) or not claimed:
        return True
    if not isinstance(service_url, str):
        return False
    sent = _service_origin(service_url)
    return sent is not None and sent == _service_origin(claimed)


def _service_origin(url: str) -> tuple[str, str, int | None] | None:
    """(scheme, host, port) of a service URL, host lower-cased; None when it is no http(s) URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return parts.scheme.lower(), parts.hostname.lower(), port


def mount_teams(app: web.Application, teams: TeamsApp) -> None:
    """Add /api/messages to `app`; on shutdown, activities in progress finish (or are cancelled after a grace)."""
    app.add_routes(teams.routes())

    async def drain(_app: web.Application) -> None:
        await teams.aclose()

    app.on_shutdown.append(drain)
