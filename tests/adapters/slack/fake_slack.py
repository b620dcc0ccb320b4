"""A fake Slack Web API on a loopback port: it records every call and can answer 429, 5xx, refusals, or hang.

It also plays Slack's side of Socket Mode: apps.connections.open answers with a ws:// URL on the same port, where the
fake says `hello`, sends the envelopes a test gives it, and records what the app sends back (its acks).
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

from aiohttp import WSMsgType, web

BOT_USER_ID = "UBOT"
TEAM_ID = "T1"
APP_ID = "A1"
WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class Call:
    """One request the fake received, and how it answered."""

    method: str
    args: dict[str, Any]
    status: int
    ok: bool
    token: str | None = None  # the bearer token the call came with


@dataclass(frozen=True)
class Scripted:
    """A canned answer for the next call of a method: an HTTP status, a Retry-After, or a Slack error code."""

    status: int = 200
    retry_after: str | None = None
    error: str | None = None
    hang: bool = False
    delay: float = 0.0  # seconds before answering (as a slow Slack would)


@dataclass
class FakeSlack:
    """The Slack Web API as far as Ritme uses it, on 127.0.0.1 and an ephemeral port."""

    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    # OAuth: what oauth.v2.access answers for each code ({"team_id", "token", ...}), and who each token is.
    oauth_codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    bots: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._scripts: dict[str, deque[Scripted]] = {}
        self._hanging: set[str] = set()
        self._release = asyncio.Event()
        self._stamps = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""
        self.hung = asyncio.Event()  # set once a call is being held
        self.delaying = asyncio.Event()  # set once a call is being answered slowly
        # Socket Mode: the websockets open now, the tickets apps.connections.open gave out, and what came back.
        self.sockets: list[web.WebSocketResponse] = []
        self.socket_messages: list[dict[str, Any]] = []
        self.sockets_opened = 0
        self.sockets_closed = 0
        self._tickets: set[str] = set()
        self._socket_changed = asyncio.Condition()

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._answer)
        app.router.add_get("/link/", self._socket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}/api/"
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._release.set()
        for socket in list(self.sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # Scripting ------------------------------------------------------------------------------------------------

    def script(self, method: str, *answers: Scripted) -> None:
        """Answer the next calls of `method` like this, in order; later calls succeed again."""
        self._scripts.setdefault(method, deque()).extend(answers)

    def hang(self, method: str) -> None:
        """Never answer `method` until `release()` (or the fake closes)."""
        self._hanging.add(method)

    def release(self) -> None:
        """Let every hanging call go (they then answer 503)."""
        self._hanging.clear()
        self._release.set()

    # Socket Mode ----------------------------------------------------------------------------------------------

    async def connected(self) -> None:
        """Wait until the app has a Socket Mode connection open (and has been said hello to)."""
        await self._until_socket(lambda: bool(self.sockets))

    async def send_envelope(self, envelope: Mapping[str, Any]) -> None:
        """Send one Socket Mode envelope over the newest open connection, as Slack pushes a request."""
        await self.connected()
        await self.sockets[-1].send_json(dict(envelope))

    async def ack(self, envelope_id: str) -> dict[str, Any]:
        """Wait for the app's acknowledgement of an envelope, and return it."""
        await self._until_socket(lambda: self.acks(envelope_id) != [])
        return self.acks(envelope_id)[0]

    def acks(self, envelope_id: str) -> list[dict[str, Any]]:
        """Every acknowledgement the app sent for an envelope, in order."""
        return [message for message in self.socket_messages if message.get("envelope_id") == envelope_id]

    async def disconnected(self) -> None:
        """Wait until no Socket Mode connection is open any more."""
        await self._until_socket(lambda: not self.sockets)

    async def _until_socket(self, done: Callable[[], bool]) -> None:
        async with asyncio.timeout(WAIT_SECONDS), self._socket_changed:
            await self._socket_changed.wait_for(done)

    async def _socket_news(self) -> None:
        async with self._socket_changed:
            self._socket_changed.notify_all()

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        """Slack's end of a Socket Mode connection: only for a ticket apps.connections.open gave out."""
        ticket = request.query.get("ticket", "")
        if ticket not in self._tickets:
            raise web.HTTPUnauthorized()
        self._tickets.discard(ticket)  # a ticket is good for one connection, as Slack's are
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_json(
            {
                "type": "hello",
                "num_connections": len(self.sockets) + 1,
                "debug_info": {"host": "applink-fake", "build_number": 1, "approximate_connection_time": 18060},
                "connection_info": {"app_id": APP_ID},
            }
        )
        self.sockets.append(socket)
        self.sockets_opened += 1
        await self._socket_news()
        try:
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    self.socket_messages.append(json.loads(message.data))
                    await self._socket_news()
        finally:
            self.sockets.remove(socket)
            self.sockets_closed += 1
            await self._socket_news()
        return socket

    # Reading --------------------------------------------------------------------------------------------------

    def calls_to(self, method: str, *, ok: bool | None = None) -> list[Call]:
        """The recorded calls of one method (only the successful or failed ones, if `ok` is given)."""
        return [call for call in self.calls if call.method == method and (ok is None or call.ok == ok)]

    def posts(self) -> list[Call]:
        """Every call that showed something to someone and succeeded."""
        shown = {"chat.postMessage", "chat.postEphemeral", "chat.update", "views.open", "views.publish"}
        return [call for call in self.calls if call.method in shown and call.ok]

    # Serving --------------------------------------------------------------------------------------------------

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        args = await _arguments(request)
        authorization = request.headers.get("Authorization", "")
        token = authorization.removeprefix("Bearer ") if authorization.startswith("Bearer ") else None
        scripted = self._next_script(method)
        if method in self._hanging or (scripted is not None and scripted.hang):
            self.hung.set()
            await self._release.wait()
            return await self._record(method, token, args, web.json_response({"ok": False}, status=503))
        if scripted is not None and scripted.delay:
            self.delaying.set()
            await asyncio.sleep(scripted.delay)
        if scripted is not None and scripted.status != 200:
            headers = {"Retry-After": scripted.retry_after} if scripted.retry_after is not None else {}
            body = {"ok": False, "error": "ratelimited" if scripted.status == 429 else "internal_error"}
            return await self._record(
                method, token, args, web.json_response(body, status=scripted.status, headers=headers)
            )
        if scripted is not None and scripted.error is not None:
            return await self._record(method, token, args, web.json_response({"ok": False, "error": scripted.error}))
        return await self._record(method, token, args, web.json_response(self._success(method, args, token)))

    def _next_script(self, method: str) -> Scripted | None:
        queue = self._scripts.get(method)
        return queue.popleft() if queue else None

    async def _record(
        self, method: str, token: str | None, args: dict[str, Any], response: web.Response
    ) -> web.Response:
        body = json.loads(response.text or "{}")
        self.calls.append(Call(method=method, args=args, status=response.status, ok=bool(body.get("ok")), token=token))
        return response

    def _success(self, method: str, args: Mapping[str, Any], token: str | None = None) -> dict[str, Any]:
        stamp = next(self._stamps)
        ts = f"{1_700_000_000 + stamp}.{stamp:06d}"
        if method == "auth.test":
            bot = self.bots.get(token or "")
            if bot is not None:
                return {"ok": True, "team": f"Team {bot['team_id']}", **bot}
            return {"ok": True, "team_id": TEAM_ID, "team": "Ritme Test", "user_id": BOT_USER_ID, "bot_id": "BBOT"}
        if method == "oauth.v2.access":
            return self._exchange(args)
        if method == "apps.connections.open":
            if not (token or "").startswith("xapp-"):
                return {"ok": False, "error": "not_allowed_token_type"}
            ticket = f"ticket-{stamp}"
            self._tickets.add(ticket)
            base = self.url.replace("http://", "ws://").removesuffix("api/")
            return {"ok": True, "url": f"{base}link/?ticket={ticket}&app_id={APP_ID}"}
        if method == "chat.postMessage":
            channel = str(args.get("channel", ""))
            # Posting to a member's id lands in their DM with the app, which has an id of its own.
            if channel[:1] in ("U", "W"):
                channel = "D" + channel[1:]
            return {"ok": True, "channel": channel, "ts": ts, "message": {"text": args.get("text")}}
        if method == "conversations.open":
            # The same members always get the same group DM, as on Slack.
            users = sorted(user for user in str(args.get("users", "")).split(",") if user)
            if not users:
                return {"ok": False, "error": "users_list_not_supplied"}
            return {"ok": True, "channel": {"id": "G" + "".join(user[1:] for user in users)}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "chat.update":
            return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts")}
        if method == "views.open":
            return {"ok": True, "view": {"id": f"V{stamp}", "callback_id": args.get("view", {}).get("callback_id")}}
        if method == "views.publish":
            view = args.get("view")
            if not isinstance(view, Mapping) or view.get("type") != "home" or not str(args.get("user_id", "")):
                return {"ok": False, "error": "invalid_arguments"}
            return {"ok": True, "view": {"id": f"V{stamp}", "type": "home"}}
        if method == "users.profile.set":
            # Only a member's own user token may set their status; the bot's token is refused, as on Slack.
            if not (token or "").startswith("xoxp-"):
                return {"ok": False, "error": "not_allowed_token_type"}
            profile = args.get("profile")
            if not isinstance(profile, Mapping):
                return {"ok": False, "error": "invalid_profile"}
            return {"ok": True, "profile": dict(profile)}
        if method == "users.info":
            user = self.profiles.get(str(args.get("user")))
            return {"ok": True, "user": user} if user is not None else {"ok": False, "error": "user_not_found"}
        return {"ok": True}

    def _exchange(self, args: Mapping[str, Any]) -> dict[str, Any]:
        """oauth.v2.access: a code from `oauth_codes`, once; the bot token it gives then passes auth.test."""
        grant = self.oauth_codes.pop(str(args.get("code")), None)
        if grant is None:
            return {"ok": False, "error": "invalid_code"}
        team_id, token = grant["team_id"], grant["token"]
        bot = {"team_id": team_id, "user_id": grant.get("bot_user_id", f"UBOT{team_id}"), "bot_id": f"B{team_id}"}
        self.bots[token] = bot
        answer: dict[str, Any] = {
            "ok": True,
            "app_id": "A1",
            "authed_user": {"id": grant.get("installer", "U1")},
            "scope": grant.get("scope", "commands,chat:write,users:read,channels:read,groups:read"),
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": bot["user_id"],
            "team": {"id": team_id, "name": f"Team {team_id}"},
            "enterprise": None,
            "is_enterprise_install": False,
        }
        if "user_token" in grant:  # the member granted the user scopes the install asked for
            answer["authed_user"] |= {
                "access_token": grant["user_token"],
                "scope": grant.get("user_scope", "users.profile:write"),
                "token_type": "user",
            }
        if "refresh_token" in grant:  # the app has token rotation on
            answer |= {"refresh_token": grant["refresh_token"], "expires_in": grant.get("expires_in", 43200)}
        return answer


async def _arguments(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        body = await request.json()
        return dict(body) if isinstance(body, dict) else {}
    if request.method == "POST":
        return {key: str(value) for key, value in (await request.post()).items()}
    return dict(request.query)
