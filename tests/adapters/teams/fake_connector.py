"""A fake Bot Connector service on a loopback port: it records every call and can answer 429, 412, 5xx, or hang.

It speaks the REST API (v3) as Ritme uses it: posting, replying to and updating activities, creating personal
chats and reading rosters page by page. Activity ids are handed out in order; a personal chat's id depends only on
the member, as Teams answers with the same conversation when one already exists.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

from aiohttp import web

TENANT_ID = "tenant-1"
BOT_ID = "28:ritme-app"


@dataclass(frozen=True)
class Call:
    """One request the fake received, when (on its clock), and how it answered."""

    operation: str  # send, reply, update, create, members
    method: str
    conversation_id: str  # as the path named it ('' for create), a channel thread's with ";messageid=..."
    activity_id: str  # the activity replied to or updated ('' otherwise)
    body: dict[str, Any]
    status: int
    at: float
    token: str | None
    answer: dict[str, Any]

    @property
    def ok(self) -> bool:
        """The call succeeded."""
        return self.status < 300


@dataclass(frozen=True)
class Scripted:
    """A canned answer for the next call of an operation: an HTTP status with an error code and Retry-After, or hang."""

    status: int = 200
    retry_after: str | None = None
    code: str = ""
    hang: bool = False


@dataclass
class FakeConnector:
    """The Bot Connector service as far as Ritme uses it, on 127.0.0.1 and an ephemeral port."""

    clock: Callable[[], float] = time.monotonic
    rosters: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by team or chat id
    calls: list[Call] = field(default_factory=list)
    # Every activity as it stands now, by (conversation, activity id); an update replaces it.
    activities: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._scripts: dict[str, deque[Scripted]] = {}
        self._release = asyncio.Event()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""
        self.hung = asyncio.Event()  # set once a call is being held

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._send)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._update)
        app.router.add_get("/v3/conversations/{conversation}/pagedmembers", self._members)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}/"
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()

    # Scripting ------------------------------------------------------------------------------------------------

    def script(self, operation: str, *answers: Scripted) -> None:
        """Answer the next calls of `operation` (send, reply, update, create, members) like this, in order."""
        self._scripts.setdefault(operation, deque()).extend(answers)

    def release(self) -> None:
        """Let every hanging call go (they then answer 503)."""
        self._release.set()

    # Reading --------------------------------------------------------------------------------------------------

    def calls_to(self, operation: str, *, ok: bool | None = None) -> list[Call]:
        """The recorded calls of one operation (only the successful or failed ones, if `ok` is given)."""
        return [call for call in self.calls if call.operation == operation and (ok is None or call.ok == ok)]

    def posted(self) -> list[Call]:
        """Every successful post (send or reply), in order."""
        return [call for call in self.calls if call.operation in ("send", "reply") and call.ok]

    def peak(self, window: float = 1.0) -> dict[str, int]:
        """For each channel or chat, the most posts and updates it received (in any state) in any `window` seconds."""
        times: dict[str, list[float]] = {}
        for call in self.calls:
            if call.operation in ("send", "reply", "update"):
                times.setdefault(call.conversation_id.split(";", 1)[0], []).append(call.at)
        return {conversation: most_in_window(stamps, window) for conversation, stamps in times.items()}

    # Serving --------------------------------------------------------------------------------------------------

    async def _create(self, request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        members = body.get("members") or [{}]
        user_id = str(members[0].get("id", ""))

        def created() -> dict[str, Any]:
            if not user_id or body.get("tenantId") != body.get("channelData", {}).get("tenant", {}).get("id"):
                raise _Refusal(400, "BadArgument")
            return {"id": f"a:1{user_id.removeprefix('29:')}"}

        return await self._answer(request, "create", "", "", body, created)

    async def _send(self, request: web.Request) -> web.StreamResponse:
        conversation = request.match_info["conversation"]
        replied_to = request.match_info.get("activity", "")
        body = await _body(request)
        operation = "reply" if replied_to or ";messageid=" in conversation else "send"

        def posted() -> dict[str, Any]:
            activity_id = f"{1_700_000_000_000 + next(self._ids)}"
            self.activities[(conversation, activity_id)] = body
            return {"id": activity_id}

        return await self._answer(request, operation, conversation, replied_to, body, posted)

    async def _update(self, request: web.Request) -> web.StreamResponse:
        conversation = request.match_info["conversation"]
        activity_id = request.match_info["activity"]
        body = await _body(request)

        def updated() -> dict[str, Any]:
            if (conversation, activity_id) not in self.activities:
                raise _Refusal(404, "ActivityNotFoundInConversation")
            self.activities[(conversation, activity_id)] = body
            return {"id": activity_id}

        return await self._answer(request, "update", conversation, activity_id, body, updated)

    async def _members(self, request: web.Request) -> web.StreamResponse:
        conversation = request.match_info["conversation"]
        size = int(request.query.get("pageSize", "200"))
        start = int(request.query.get("continuationToken", "0") or 0)

        def page() -> dict[str, Any]:
            roster = self.rosters.get(conversation)
            if roster is None:
                raise _Refusal(404, "ConversationNotFound")
            answer: dict[str, Any] = {"members": roster[start : start + size]}
            if start + size < len(roster):
                answer["continuationToken"] = str(start + size)
            return answer

        return await self._answer(request, "members", conversation, "", dict(request.query), page)

    async def _answer(
        self,
        request: web.Request,
        operation: str,
        conversation: str,
        activity_id: str,
        body: dict[str, Any],
        succeed: Callable[[], dict[str, Any]],
    ) -> web.StreamResponse:
        at = self.clock()
        authorization = request.headers.get("Authorization", "")
        token = authorization.removeprefix("Bearer ") if authorization.startswith("Bearer ") else None
        queue = self._scripts.get(operation)
        scripted = queue.popleft() if queue else None
        headers: dict[str, str] = {}
        if scripted is not None and scripted.hang:
            self.hung.set()
            await self._release.wait()
            status, answer = 503, _error("ServiceUnavailable")
        elif scripted is not None and scripted.status != 200:
            status, answer = scripted.status, _error(scripted.code or f"HTTP{scripted.status}")
            if scripted.retry_after is not None:
                headers["Retry-After"] = scripted.retry_after
        else:
            try:
                status, answer = 201 if request.method == "POST" else 200, succeed()
            except _Refusal as refusal:
                status, answer = refusal.status, _error(refusal.code)
        self.calls.append(Call(operation, request.method, conversation, activity_id, body, status, at, token, answer))
        return web.json_response(answer, status=status, headers=headers)


class _Refusal(Exception):
    def __init__(self, status: int, code: str) -> None:
        super().__init__(code)
        self.status = status
        self.code = code


def _error(code: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": f"The fake Bot Connector says {code}."}}


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    body = await request.json()
    return dict(body) if isinstance(body, Mapping) else {}


def most_in_window(times: list[float], window: float) -> int:
    """The most of `times` that fall in any half-open interval of `window` seconds."""
    times = sorted(times)
    best = start = 0
    for end, at in enumerate(times):
        while at - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best
