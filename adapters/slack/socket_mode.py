"""Slack's Socket Mode, for development: Slack's requests come over a websocket Ritme opens, so no public URL is needed.

The envelopes reach the very bolt app (and listeners, and Inbound path) that serves POST /slack/events: bolt's
AsyncSocketModeHandler hands each one to `AsyncApp.async_dispatch` and sends bolt's ack back with the envelope's id.
With `process_before_response=True` that ack goes out only once the event id is on record, as over HTTP.

Requests over the websocket are not signed (the connection itself is authenticated by the app-level token), and bolt
skips signature checks for them by their mode; a SlackApp without a signing secret offers no HTTP route at all.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import SlackApp
from adapters.slack.tokens import RedactTokens

log = logging.getLogger(__name__)

# slack_sdk's Socket Mode client logs through this; tokens never reach the log. It logs whole envelopes at DEBUG,
# which would put a member's pulse answers next to their user id, so this logger stops at INFO whatever the level.
_SOCKET_LOG = logging.getLogger("adapters.slack.socket")
_SOCKET_LOG.addFilter(RedactTokens())
_SOCKET_LOG.setLevel(logging.INFO)


class SocketModeUnavailable(RuntimeError):
    """Slack refused to open a Socket Mode connection, or it could not be opened in time."""


class _TrackedHandler(AsyncSocketModeHandler):
    """bolt's handler, keeping the envelopes it is still acknowledging so that closing can let them finish."""

    def __init__(self, app: AsyncApp, app_token: str, *, in_flight: set[asyncio.Task[Any]], **options: Any) -> None:
        self._in_flight = in_flight
        super().__init__(app, app_token, **options)

    # The same narrowing bolt's own AsyncSocketModeHandler.handle makes (and silences) over its base class.
    async def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        """Dispatch one envelope to the bolt app and send its ack, as bolt does, remembered while it runs."""
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
        try:
            await super().handle(client, req)
        finally:
            if task is not None:
                self._in_flight.discard(task)


class SocketMode:
    """A SlackApp's Socket Mode connection: apps.connections.open through `client`, then a websocket to the URL."""

    def __init__(
        self,
        slack: SlackApp,
        *,
        app_token: str,
        client: AsyncWebClient,
        connect_timeout_seconds: float = 30.0,
        grace_seconds: float = 2.0,
        ping_interval_seconds: float = 10.0,
    ) -> None:
        self._slack = slack
        self._app_token = app_token
        self._client = client
        self._connect_timeout = connect_timeout_seconds
        self._grace = grace_seconds
        self._ping_interval = ping_interval_seconds
        self._handler: _TrackedHandler | None = None
        self._connected = False
        self._in_flight: set[asyncio.Task[Any]] = set()

    def __repr__(self) -> str:
        return f"SocketMode(api_url={self._client.base_url!r}, connected={self._connected})"

    async def connect(self) -> None:
        """Ask Slack for a websocket URL and connect to it; raises SocketModeUnavailable when that fails."""
        # The SDK's client starts tasks and an aiohttp session when built, so it is built here, in the running loop.
        handler = _TrackedHandler(
            self._slack.bolt,
            self._app_token,
            in_flight=self._in_flight,
            logger=_SOCKET_LOG,
            web_client=self._client,
            ping_interval=self._ping_interval,
        )
        self._handler = handler
        socket = handler.client
        try:
            async with asyncio.timeout(self._connect_timeout):
                # Asked here rather than inside the SDK's connect(), which would retry a refusal (a wrong token,
                # Socket Mode off) every few seconds forever instead of saying what is wrong.
                socket.wss_uri = await socket.issue_new_wss_url()
                await handler.connect_async()
        except SlackApiError as error:
            await self.aclose()
            data = error.response.data
            code = data.get("error") if isinstance(data, dict) else None
            raise SocketModeUnavailable(
                f"Slack refused to open a Socket Mode connection ({code or error.response.status_code}); it needs an "
                "app-level token (xapp-...) with the connections:write scope, and Socket Mode turned on in the app"
            ) from None
        except (TimeoutError, aiohttp.ClientError, OSError) as error:
            await self.aclose()
            raise SocketModeUnavailable(
                f"could not open a Socket Mode connection to Slack ({type(error).__name__})"
            ) from None
        self._connected = True
        log.info("Slack Socket Mode is on: requests arrive over a websocket from %s", self._client.base_url)

    async def aclose(self) -> None:
        """Let envelopes being acknowledged finish (for a moment), then close the websocket and the SDK's tasks."""
        handler, self._handler = self._handler, None
        if handler is None:
            return
        if self._in_flight:
            await asyncio.wait(set(self._in_flight), timeout=self._grace)
        socket = handler.client
        await handler.close_async()
        # The SDK cancels its receiver, monitor and message processor without waiting for them; waiting here means
        # none outlives the server. An envelope still being handled is cancelled; Slack sends it again later.
        leftovers: list[asyncio.Future[Any]] = [task for task in self._in_flight if not task.done()]
        for task in leftovers:
            task.cancel()
        tasks = [socket.message_processor, socket.current_session_monitor, socket.message_receiver, *leftovers]
        await asyncio.gather(*(task for task in tasks if task is not None), return_exceptions=True)
        if self._connected:
            self._connected = False
            log.info("Slack Socket Mode connection closed")
