"""The browser chat's HTTP side: the page, a small JSON API, and a Server-Sent Events feed per member."""

from __future__ import annotations

import asyncio
import json
import logging
import string
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from aiohttp import web

from adapters.local.platform import InvalidUser, LocalPlatform, LocalUser
from adapters.local.render import MessageView, channel_conversation, dm_conversation
from adapters.local.translate import (
    answer_submitted,
    button_clicked,
    command_invoked,
    members_seen,
)
from rituals.catalog import DEFAULT_LOCALE, LOCALES, Catalog, supported
from rituals.events import InboundEvent
from rituals.ports import Clock, InboundHandler
from rituals.text_safety import first_invisible

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
HEARTBEAT_SECONDS = 15.0
MAX_TEXT_LENGTH = 4000
MAX_ANSWERS = 50
# Browser-chosen event ids and button tokens. Scoped as "<user_id>:<event_id>", an event id still fits the 255
# characters the inbound ledger keeps, as user ids have at most MAX_USER_ID_LENGTH.
MAX_TOKEN_LENGTH = 200
UI_PREFIX = "ui."

# The page loads nothing but its own files, so an injected tag (there should be none) could do nothing.
_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        "form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
_STATIC_FILES = {
    "/": ("index.html", "text/html"),
    "/static/local/app.js": ("app.js", "text/javascript"),
    "/static/local/style.css": ("style.css", "text/css"),
}
_SEEN_EVENTS_KEPT = 1000
# The locale errors of a request are told in, once the request names a member we know.
_LOCALE: web.RequestKey[str] = web.RequestKey("ritme_local_locale", str)
_EXAMPLE_EVENT_ID = '"3f2b8c1e-7d4a-4b8e-9c1f-2a6d5e8b0c47"'

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def local_routes(
    platform: LocalPlatform,
    inbound: InboundHandler,
    clock: Clock,
    *,
    heartbeat_seconds: float = HEARTBEAT_SECONDS,
) -> list[web.AbstractRouteDef]:
    """The routes of the browser chat, to add to an aiohttp app with `app.add_routes(...)`."""
    api = _LocalApi(platform, inbound, clock, heartbeat_seconds=heartbeat_seconds)
    routes: list[web.AbstractRouteDef] = [
        web.get(path, _static_file(name, content_type)) for path, (name, content_type) in _STATIC_FILES.items()
    ]
    routes += [
        web.get("/api/ui", _answering_problems(api.ui)),
        web.get("/api/directory", _answering_problems(api.directory)),
        web.post("/api/users", _answering_problems(api.add_user)),
        web.get("/api/history", _answering_problems(api.history)),
        web.get("/api/events", _answering_problems(api.events)),
        web.post("/api/command", _answering_problems(api.command)),
        web.post("/api/answer", _answering_problems(api.answer)),
        web.post("/api/button", _answering_problems(api.button)),
    ]
    return routes


def mount_local(
    app: web.Application,
    platform: LocalPlatform,
    inbound: InboundHandler,
    clock: Clock,
    *,
    heartbeat_seconds: float = HEARTBEAT_SECONDS,
) -> None:
    """Add the browser chat's routes to `app`, and end its event streams when the app shuts down."""
    app.add_routes(local_routes(platform, inbound, clock, heartbeat_seconds=heartbeat_seconds))

    async def end_streams(_app: web.Application) -> None:
        # Open event streams never finish by themselves; without this, shutdown waits out its whole timeout.
        await platform.aclose()

    app.on_shutdown.append(end_streams)


class _Problem(Exception):
    """A request we refuse: the status, and the catalog message the browser shows."""

    def __init__(self, status: int, key: str, **params: Any) -> None:
        super().__init__(key)
        self.status = status
        self.key = key
        self.params = params

    def text(self, locale: str) -> str:
        """The message in `locale`."""
        return Catalog().text(locale, self.key, **self.params)


def _answering_problems(handler: Handler) -> Handler:
    async def answer(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except _Problem as problem:
            return web.json_response({"error": problem.text(_error_locale(request))}, status=problem.status)

    return answer


def _error_locale(request: web.Request) -> str:
    """The acting member's locale when the request named one, else the language the browser asks for."""
    return request.get(_LOCALE) or locale_from_accept_language(request.headers.get("Accept-Language"))


def locale_from_accept_language(header: str | None) -> str:
    """The catalog locale a browser prefers most among those Ritme speaks (`nl-NL,nl;q=0.9` is "nl")."""
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")):
        tag, *params = (piece.strip() for piece in part.split(";"))
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        language = tag.replace("_", "-").split("-")[0].lower()
        if language in LOCALES and weight > 0:
            choices.append((-weight, position, language))
    return min(choices)[2] if choices else DEFAULT_LOCALE


def ui_texts(locale: str) -> dict[str, str]:
    """Every word the browser chat shows of its own, in `locale`, as templates with their {placeholders}."""
    catalog = Catalog()
    keys = [key for key in catalog.keys() if key.startswith(UI_PREFIX)]
    # The language picker names the languages with the catalog's own words for them.
    keys += [f"language.{code}" for code in LOCALES if catalog.has(f"language.{code}")]
    return {key: _template(catalog, locale, key) for key in keys}


def _template(catalog: Catalog, locale: str, key: str) -> str:
    # Each placeholder filled with itself: the browser fills it in, e.g. "{conversation}" with "# team".
    names = {name for _, name, _, _ in string.Formatter().parse(catalog.text(locale, key)) if name}
    return catalog.text(locale, key, **{name: "{" + name + "}" for name in names})


def _static_file(name: str, content_type: str) -> Handler:
    path = STATIC_DIR / name

    async def serve(_request: web.Request) -> web.StreamResponse:
        return web.FileResponse(path, headers={**_PAGE_HEADERS, "Content-Type": f"{content_type}; charset=utf-8"})

    return serve


class _LocalApi:
    """The JSON API's handlers, sharing the platform, the inbound handler and the clock."""

    def __init__(
        self, platform: LocalPlatform, inbound: InboundHandler, clock: Clock, *, heartbeat_seconds: float
    ) -> None:
        self._platform = platform
        self._inbound = inbound
        self._clock = clock
        self._heartbeat_seconds = heartbeat_seconds
        # A browser retrying a send must not show the typed text twice; the engine dedupes by event id itself.
        self._echoed: OrderedDict[tuple[str, str], None] = OrderedDict()

    async def ui(self, request: web.Request) -> web.StreamResponse:
        """The chat's own words in one locale: `?locale=nl`, or without it the browser's Accept-Language."""
        asked = request.query.get("locale")
        locale = supported(asked) if asked else locale_from_accept_language(request.headers.get("Accept-Language"))
        return web.json_response({"locale": locale, "locales": list(LOCALES), "texts": ui_texts(locale)})

    async def directory(self, _request: web.Request) -> web.StreamResponse:
        """Members and channels."""
        return web.json_response(
            {
                "users": [user.to_json() for user in self._platform.users()],
                "channels": [channel.to_json() for channel in self._platform.channels()],
            }
        )

    async def add_user(self, request: web.Request) -> web.StreamResponse:
        """Add a member and tell the engine they are in every team channel."""
        body = await _json_object(request)
        display_name = _text_field(body, "display_name", example='"Ada Lovelace"')
        timezone = _text_field(body, "timezone", example='"Europe/Amsterdam"')
        locale = _text_field(body, "locale", example='"en"')
        try:
            user = self._platform.new_user(display_name=display_name, timezone=timezone, locale=locale)
        except InvalidUser as invalid:
            raise _Problem(400, invalid.key, **invalid.params) from None
        for event in members_seen(
            [user],
            self._platform.channels(),
            workspace_id=self._platform.workspace_id,
            received_at=self._clock.now(),
        ):
            await self._deliver(event)
        return web.json_response({"user": user.to_json()}, status=201)

    async def history(self, request: web.Request) -> web.StreamResponse:
        """Every message the member may see."""
        user = self._query_user(request)
        return web.json_response({"messages": [view.to_json() for view in self._platform.history(user.user_id)]})

    async def events(self, request: web.Request) -> web.StreamResponse:
        """A Server-Sent Events feed of new and changed messages the member may see."""
        user = self._query_user(request)
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache"}
        )
        await response.prepare(request)
        try:
            with self._platform.subscribe(user.user_id) as subscription:
                # Subscribed before this first line goes out, so nothing sent after the browser sees it is missed.
                await response.write(b"retry: 2000\n: subscribed\n\n")
                while True:
                    try:
                        view = await asyncio.wait_for(subscription.next(), timeout=self._heartbeat_seconds)
                    except TimeoutError:
                        # Keeps proxies from closing an idle stream, and finds browsers that left.
                        await response.write(b": heartbeat\n\n")
                        continue
                    if view is None:
                        break
                    await response.write(sse_message(view))
        except ConnectionResetError:
            log.debug("event stream of %s closed by the browser", user.user_id)
        return response

    async def command(self, request: web.Request) -> web.StreamResponse:
        """Show what the member typed, then hand it to the engine as a command (not in a group: that is talk)."""
        body = await _json_object(request)
        user = self._body_user(request, body)
        conversation = body.get("conversation")
        if not isinstance(conversation, str) or not self._platform.may_write(user.user_id, conversation):
            dm = json.dumps(dm_conversation(user.user_id))
            channels = self._platform.channels()
            if not channels:
                raise _Problem(400, "ui.error.conversation_dm", dm=dm)
            channel = json.dumps(channel_conversation(channels[0].channel_id))
            raise _Problem(400, "ui.error.conversation", channel=channel, dm=dm)
        text = body.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT_LENGTH:
            raise _Problem(400, "ui.error.text", limit=MAX_TEXT_LENGTH)
        text = text.strip()
        event_id = _event_id(body)
        if self._first_time(user.user_id, event_id):
            self._platform.post_member_message(user.user_id, conversation, text)
        if self._platform.is_group(conversation):
            # A group DM is for its members to talk among themselves (to plan their coffee); Ritme only posts there.
            return web.json_response({"ok": True}, status=202)
        await self._deliver(
            command_invoked(
                user,
                workspace_id=self._platform.workspace_id,
                conversation=conversation,
                channel=self._platform.channel_of(conversation),
                text=text,
                event_id=event_id,
                received_at=self._clock.now(),
            )
        )
        return web.json_response({"ok": True}, status=202)

    async def answer(self, request: web.Request) -> web.StreamResponse:
        """Hand a submitted form to the engine."""
        body = await _json_object(request)
        user = self._body_user(request, body)
        delivery_id = body.get("delivery_id")
        if not isinstance(delivery_id, int) or isinstance(delivery_id, bool) or delivery_id < 0:
            raise _Problem(400, "ui.error.delivery_id")
        values = body.get("values")
        if (
            not isinstance(values, list)
            or len(values) > MAX_ANSWERS
            or not all(isinstance(value, str) and len(value) <= MAX_TEXT_LENGTH for value in values)
        ):
            raise _Problem(400, "ui.error.values", count=MAX_ANSWERS, limit=MAX_TEXT_LENGTH)
        await self._deliver(
            answer_submitted(
                user,
                workspace_id=self._platform.workspace_id,
                delivery_id=delivery_id,
                values=values,
                event_id=_event_id(body),
                received_at=self._clock.now(),
            )
        )
        return web.json_response({"ok": True}, status=202)

    async def button(self, request: web.Request) -> web.StreamResponse:
        """Hand a pressed button to the engine."""
        body = await _json_object(request)
        user = self._body_user(request, body)
        action = _token_field(body, "action", example='"pulse.answer"')
        value = _token_field(body, "value", example='"4"', allow_empty=True)
        await self._deliver(
            button_clicked(
                user,
                workspace_id=self._platform.workspace_id,
                action=action,
                value=value,
                event_id=_event_id(body),
                received_at=self._clock.now(),
            )
        )
        return web.json_response({"ok": True}, status=202)

    async def _deliver(self, event: InboundEvent) -> None:
        try:
            await self._inbound(event)
        except Exception:
            log.exception("inbound handler failed on %s %s", type(event).__name__, event.event_id)
            raise _Problem(500, "ui.error.inbound_failed") from None

    def _query_user(self, request: web.Request) -> LocalUser:
        return self._known_user(request, request.query.get("user"))

    def _body_user(self, request: web.Request, body: Mapping[str, Any]) -> LocalUser:
        return self._known_user(request, body.get("user"))

    def _known_user(self, request: web.Request, user_id: object) -> LocalUser:
        users = self._platform.users()
        example = json.dumps(users[0].user_id if users else "u1")
        if not isinstance(user_id, str) or not user_id:
            raise _Problem(400, "ui.error.user_missing", example=example)
        user = self._platform.user(user_id)
        if user is None:
            shown = json.dumps(user_id[:MAX_TOKEN_LENGTH])
            raise _Problem(404, "ui.error.user_unknown", user_id=shown, example=example)
        # From here on the member is known, so whatever else is wrong is told in their language.
        request[_LOCALE] = user.locale
        return user

    def _first_time(self, user_id: str, event_id: str) -> bool:
        key = (user_id, event_id)
        if key in self._echoed:
            return False
        self._echoed[key] = None
        if len(self._echoed) > _SEEN_EVENTS_KEPT:
            self._echoed.popitem(last=False)
        return True


def sse_message(view: MessageView) -> bytes:
    """One Server-Sent Events message carrying a message view."""
    # json.dumps escapes newlines, so the data always fits on the single `data:` line SSE needs.
    return f"event: message\ndata: {json.dumps(view.to_json())}\n\n".encode()


async def _json_object(request: web.Request) -> dict[str, Any]:
    # Demanding JSON makes a cross-site form post impossible without a CORS preflight this server never grants.
    if request.content_type != "application/json":
        raise _Problem(415, "ui.error.content_type")
    try:
        body = await request.json()
    except web.HTTPRequestEntityTooLarge:
        # aiohttp stops reading at client_max_size; say so in the member's language rather than in aiohttp's.
        raise _Problem(413, "ui.error.too_large", limit=request.app._client_max_size,
                       example='{"user": "u1", "text": "/ritme help"}') from None
    except (ValueError, UnicodeDecodeError):
        raise _Problem(400, "ui.error.json", example='{"user": "u1", "text": "/ritme help"}') from None
    if not isinstance(body, dict):
        raise _Problem(400, "ui.error.json_object", example='{"user": "u1"}')
    return body


def _text_field(body: Mapping[str, Any], name: str, *, example: str) -> str:
    value = body.get(name)
    if not isinstance(value, str):
        raise _Problem(400, "ui.error.not_text", field=name, example=example)
    return value


def _token_field(body: Mapping[str, Any], name: str, *, example: str, allow_empty: bool = False) -> str:
    value = body.get(name)
    if (not isinstance(value, str) or (not value and not allow_empty) or len(value) > MAX_TOKEN_LENGTH
            or first_invisible(value) is not None):
        raise _Problem(400, "ui.error.button_field", field=name, limit=MAX_TOKEN_LENGTH, example=example)
    return value


def _event_id(body: Mapping[str, Any]) -> str:
    event_id = body.get("event_id")
    if event_id is None or event_id == "":
        return str(uuid.uuid4())
    # A NUL would reach the inbound ledger, and PostgreSQL cannot store one in a text column.
    if not isinstance(event_id, str) or len(event_id) > MAX_TOKEN_LENGTH or first_invisible(event_id) is not None:
        raise _Problem(400, "ui.error.event_id", limit=MAX_TOKEN_LENGTH, example=_EXAMPLE_EVENT_ID)
    return event_id
