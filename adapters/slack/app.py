"""Ritme's Slack front door: slack-bolt's AsyncApp on the shared aiohttp server, at POST /slack/events, and (for
development) over Socket Mode's websocket, which adapters/slack/socket_mode.py feeds into the same bolt app.

Every HTTP request bolt verifies (signature and a timestamp under 5 minutes old; anything else is a 401 and leaves no
trace) goes the same way: translate the payload (pure), record the event with `Inbound.accept`, ack, and only
then, in a task of its own, look the member's profile up and hand the event to `Inbound.process`. So the ack
never waits on the Web API, and a Slack retry of something already accepted is acked and dropped.

The app runs bolt with `process_before_response=True`: bolt then sends the HTTP response only when the listener
returns, so the event is on record before Slack hears "ok" even for Events API callbacks, which bolt would
otherwise ack before the listener starts. The slow part runs in tasks this class owns and drains on shutdown.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Coroutine, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import translate
from adapters.slack.outbox import SlackOutbox
from adapters.slack.profiles import SlackProfiles
from adapters.slack.protocol import ANSWER_ACTION, BUTTON_ACTION_PATTERN, FORM_CALLBACK
from adapters.slack.status import STATUS_SCOPE
from adapters.slack.tokens import RedactTokens, without_bolt_environment
from rituals.events import ButtonClicked, InboundEvent
from rituals.ports import Clock, Inbound
from rituals.standup import EDIT_ACTION

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# The bot scopes an install asks for: the ones adapters/slack/manifest.yaml lists, and why, next to each.
BOT_SCOPES = ("commands", "chat:write", "users:read", "channels:read", "groups:read", "mpim:write")
# The user scopes an install asks the member going through it for (optional for Ritme): their own status during a
# no-meeting window (users.profile.set with their user token). The manifest lists them under oauth_config.scopes.user.
USER_SCOPES = (STATUS_SCOPE,)
_ANY = re.compile(r".*")
_BOLT_LOG = logging.getLogger("adapters.slack.bolt")
_BOLT_LOG.addFilter(RedactTokens())


@dataclass(frozen=True)
class OAuthInstalls:
    """Multi-workspace mode: the app's OAuth credentials and where installs and OAuth states are kept."""

    client_id: str
    client_secret: str
    installation_store: AsyncInstallationStore
    state_store: AsyncOAuthStateStore
    scopes: Sequence[str] = BOT_SCOPES
    user_scopes: Sequence[str] = USER_SCOPES
    # Bot tokens are rotated this long before they expire (when the app has token rotation on).
    rotate_minutes_before_expiry: int = 120

    def __repr__(self) -> str:
        return (
            f"OAuthInstalls(client_id={self.client_id!r}, scopes={list(self.scopes)!r}, "
            f"user_scopes={list(self.user_scopes)!r})"
        )


class Connection(Protocol):
    """A way in for Slack's requests besides HTTP that lives as long as the server (Socket Mode's websocket)."""

    async def connect(self) -> None:
        """Open the connection; raises when it cannot be opened."""
        ...

    async def aclose(self) -> None:
        """Close the connection; requests already received may finish first."""
        ...


class Translator(Protocol):
    """One of translate.py's payload -> event functions."""

    def __call__(self, body: Mapping[str, Any], *, received_at: datetime) -> InboundEvent:
        """The event a payload stands for; raises translate.MalformedPayload."""
        ...


class SlackApp:
    """The bolt app with Ritme's listeners, the aiohttp route that feeds it, and the work it starts after acks."""

    def __init__(
        self,
        *,
        signing_secret: str | None,
        client: AsyncWebClient,
        inbound: Inbound,
        outbox: SlackOutbox,
        clock: Clock,
        profiles: SlackProfiles | None = None,
        oauth: OAuthInstalls | None = None,
        max_concurrent_work: int = 64,
        path: str = EVENTS_PATH,
    ) -> None:
        if signing_secret is None and oauth is not None:
            raise ValueError("installs over OAuth come back over HTTP, so they need a signing secret")
        self.path = path
        self.outbox = outbox
        # Without a signing secret, requests come only over Socket Mode's authenticated websocket: bolt checks no
        # signatures, and no HTTP route is offered (see `routes` and `handle`).
        self.http = signing_secret is not None
        self._inbound = inbound
        self._clock = clock
        self._profiles = profiles if profiles is not None else SlackProfiles(client, clock=clock)
        # Bounds how many accepted events are worked on at once (database connections, Web API calls); acks
        # never wait for a slot, only the work after them does.
        self._slots = asyncio.Semaphore(max_concurrent_work)
        self._tasks: set[asyncio.Task[None]] = set()
        self._oauth = oauth
        # Everything bolt needs is passed explicitly; bolt's own SLACK_* variables are hidden while it is built,
        # so a stray SLACK_CLIENT_ID cannot turn a single-workspace app into an OAuth one (or the reverse).
        with without_bolt_environment():
            if oauth is None:
                # Single workspace: `client` holds the bot token.
                self.bolt = AsyncApp(
                    name="ritme",
                    signing_secret=signing_secret or "",
                    request_verification_enabled=self.http,
                    client=client,
                    process_before_response=True,
                    logger=_BOLT_LOG,
                )
            else:
                # Several workspaces: `client` holds no token; bolt finds each request's workspace's bot.
                self.bolt = AsyncApp(
                    name="ritme",
                    signing_secret=signing_secret,
                    client=client,
                    oauth_settings=_oauth_settings(oauth, client),
                    installation_store_bot_only=True,
                    process_before_response=True,
                    logger=_BOLT_LOG,
                )
        self._listen()

    def _listen(self) -> None:
        bolt = self.bolt
        # Any slash command routed to this app is Ritme's, so renaming it in the app's manifest needs no change here.
        bolt.command(re.compile(r"^/"))(self._on_command)
        bolt.action(ANSWER_ACTION)(self._on_button)
        bolt.action(BUTTON_ACTION_PATTERN)(self._on_button)
        bolt.view({"type": "view_submission", "callback_id": FORM_CALLBACK})(self._on_submission)
        bolt.event("member_joined_channel")(self._on_member_joined)
        bolt.event("app_home_opened")(self._on_home_opened)
        if self._oauth is not None:
            # app_uninstalled and tokens_revoked delete the workspace's bot from the installation store.
            bolt.enable_token_revocation_listeners()
        # Everything else Slack may send (other events, URL buttons) is acked, so Slack neither retries it nor
        # counts it as a failure against the app; registered last, as bolt runs the first listener that matches.
        bolt.action(_ANY)(self._on_other)
        bolt.event(_ANY)(self._on_other)

    def routes(self) -> list[web.RouteDef]:
        """The routes to add to the shared aiohttp app: POST /slack/events for commands, interactivity and events,
        and in OAuth mode GET /slack/install (starts an install) and /slack/oauth_redirect (Slack sends it back).
        None without a signing secret (Socket Mode only)."""
        if not self.http:
            return []
        routes = [web.post(self.path, self.handle)]
        if self._oauth is not None:
            routes += [web.get(INSTALL_PATH, self.handle_oauth), web.get(REDIRECT_PATH, self.handle_oauth)]
        return routes

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Hand one HTTP request to bolt and answer with its response."""
        if not self.http:
            # Bolt checks no signatures in this mode; an HTTP request must never reach it.
            raise web.HTTPNotFound()
        if not _signed_headers(request.headers):
            # Bolt's verifier would fail on a stamp that is no number with an error (a 500 and a traceback in the
            # log for anyone who sends one); refused here as the 401 it is, before the body is even read.
            return web.json_response({"error": "invalid request"}, status=401)
        response = await self.bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    async def handle_oauth(self, request: web.Request) -> web.StreamResponse:
        """Start an install (a one-time state, then Slack's authorize page) or finish one (code -> stored bot)."""
        flow = self.bolt.oauth_flow
        if flow is None:
            raise web.HTTPNotFound()
        bolt_request = await to_bolt_request(request)
        if request.path == INSTALL_PATH:
            response = await flow.handle_installation(bolt_request)
        else:
            response = await flow.handle_callback(bolt_request)
        return await to_aiohttp_response(response)

    async def aclose(self, grace_seconds: float = 5.0) -> None:
        """Let work in progress finish for up to `grace_seconds`, then cancel what is left."""
        if not self._tasks:
            return
        _done, pending = await asyncio.wait(set(self._tasks), timeout=grace_seconds)
        for task in pending:
            task.cancel()
        if pending:
            log.warning("cancelled %d Slack events still being handled at shutdown", len(pending))
            await asyncio.gather(*pending, return_exceptions=True)

    # Listeners (bolt passes arguments by name) ------------------------------------------------------------------

    async def _on_command(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await self._take(ack, body, translate.command_invoked)

    async def _on_button(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await self._take(ack, body, translate.button_clicked)

    async def _on_submission(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        # An empty ack closes the modal; the engine's reply edits the prompt's DM.
        await self._take(ack, body, translate.answer_submitted)

    async def _on_member_joined(self, ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext) -> None:
        event = body.get("event")
        if isinstance(event, Mapping) and event.get("user") == context.bot_user_id:
            # Ritme itself joined; the channel becomes a team when someone sets a ritual up there.
            await ack()
            return
        await self._take(ack, body, translate.member_seen)

    async def _on_home_opened(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        event = body.get("event")
        if not isinstance(event, Mapping) or event.get("tab") != "home":
            # Opening the Messages tab (the DM with Ritme) shows what is there; Slack sends this on every visit.
            await ack()
            return
        await self._take(ack, body, translate.home_opened)

    async def _on_other(self, ack: AsyncAck) -> None:
        await ack()

    # The one path every kind takes ------------------------------------------------------------------------------

    async def _take(self, ack: AsyncAck, body: Mapping[str, Any], build: Translator) -> None:
        received_at = self._clock.now()
        try:
            event: InboundEvent = build(body, received_at=received_at)
        except translate.MalformedPayload as problem:
            # Slack would send the same payload again; acking ends that, and nothing was recorded.
            log.warning("ignored a Slack payload Ritme cannot read: %s", problem)
            await ack()
            return
        # If recording fails (the database is down), bolt answers 500 without an ack, and Slack may retry.
        if not await self._inbound.accept(event):
            await ack()
            return
        await ack()
        trigger_id = body.get("trigger_id")
        self._start(self._work(event, trigger_id if isinstance(trigger_id, str) else None, received_at))

    async def resume(self, event: InboundEvent) -> None:
        """Handle an event accepted before a stop; its trigger id has long expired, so a form comes as a DM."""
        await self._work(event, None, event.received_at)

    def _start(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        # Held until done: the event loop keeps only weak references to tasks.
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _work(self, event: InboundEvent, trigger_id: str | None, received_at: datetime) -> None:
        actor = event.actor
        delivery_id = _asked_form(event)
        if delivery_id is not None and trigger_id is not None:
            # The member clicked for a form: the outbox opens it as a modal if the engine sends it back in time.
            self.outbox.offer_trigger(
                actor.workspace_id, actor.user_id, trigger_id, delivery_id=delivery_id, received_at=received_at
            )
        try:
            async with self._slots:
                event = replace(event, actor=await self._profiles.actor(actor))
                await self._inbound.process(event)
        except Exception:
            # Slack has its ack; what failed is logged here (the pipeline records what it needs itself).
            log.exception("handling Slack %s %s failed", type(event).__name__, event.event_id)
        finally:
            if delivery_id is not None and trigger_id is not None:
                self.outbox.withdraw_trigger(actor.workspace_id, actor.user_id, trigger_id)


def _oauth_settings(oauth: OAuthInstalls, client: AsyncWebClient) -> AsyncOAuthSettings:
    """Bolt's OAuth settings for Ritme: the bot's scopes and the installing member's own (their status), Ritme's
    stores, straight to Slack's authorize page. Requests are still authorized with the bot alone (bot_only)."""
    settings = AsyncOAuthSettings(
        client_id=oauth.client_id,
        client_secret=oauth.client_secret,
        scopes=list(oauth.scopes),
        user_scopes=list(oauth.user_scopes),
        install_path=INSTALL_PATH,
        install_page_rendering_enabled=False,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=oauth.installation_store,
        installation_store_bot_only=True,
        token_rotation_expiration_minutes=oauth.rotate_minutes_before_expiry,
        state_store=oauth.state_store,
        logger=_BOLT_LOG,
    )
    # Bolt's default authorize rotates tokens with a client of its own on slack.com; this one uses `client`,
    # so RITME_SLACK_API_URL holds for rotation too.
    settings.authorize = AsyncInstallationStoreAuthorize(
        logger=_BOLT_LOG,
        client_id=oauth.client_id,
        client_secret=oauth.client_secret,
        installation_store=oauth.installation_store,
        bot_only=True,
        client=client,
        token_rotation_expiration_minutes=oauth.rotate_minutes_before_expiry,
    )
    return settings


def _signed_headers(headers: Mapping[str, str]) -> bool:
    """True when a request carries Slack's two signing headers in their shapes: a timestamp of whole seconds and a
    v0 signature. Whether they are right is bolt's to check."""
    stamp = headers.get("X-Slack-Request-Timestamp", "")
    signed = headers.get("X-Slack-Signature", "")
    return stamp.isascii() and stamp.isdigit() and len(stamp) <= 12 and signed.startswith("v0=")


def _asked_form(event: InboundEvent) -> int | None:
    """The delivery whose form the member asked for (the "Answer" or "Edit answer" button), if they did."""
    if isinstance(event, ButtonClicked) and event.action == EDIT_ACTION and event.value.isdigit():
        return int(event.value)
    return None


def mount_slack(app: web.Application, slack: SlackApp, *, socket: Connection | None = None) -> None:
    """Add Slack's routes to `app` (when it takes HTTP requests) and its Socket Mode connection, opened as the app
    starts; on shutdown the connection closes first, then events in progress finish."""
    app.add_routes(slack.routes())
    if socket is not None:

        async def connect(_app: web.Application) -> None:
            await socket.connect()

        async def disconnect(_app: web.Application) -> None:
            await socket.aclose()

        app.on_startup.append(connect)
        app.on_shutdown.append(disconnect)

    async def drain(_app: web.Application) -> None:
        await slack.aclose()

    app.on_shutdown.append(drain)
