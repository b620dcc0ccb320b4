"""How the Slack outbox reaches the Web API: one small interface, and a plain sender that retries honestly.

The outbox only ever calls `WebApi.call`, so a rate-limited, per-workspace sender can take this one's place
without the outbox changing.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from rituals.ports import PlatformRefused, PlatformUnavailable

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"


class SlackRefused(PlatformRefused):
    """Slack answered a call with `ok: false` (say `channel_not_found`); sending it again would not help."""

    def __init__(self, method: str, error: str) -> None:
        super().__init__(f"{method} refused: {error}")
        self.method = method
        self.error = error


class SlackUnavailable(PlatformUnavailable):
    """A call kept failing (5xx, timeouts, rate limits) after every retry."""

    def __init__(self, method: str, attempts: int, reason: str) -> None:
        super().__init__(f"{method} failed after {attempts} attempts: {reason}")
        self.method = method
        self.attempts = attempts


class WebApi(Protocol):
    """Calls Slack Web API methods on behalf of a workspace."""

    async def call(self, workspace_id: str, method: str, args: Mapping[str, Any]) -> Mapping[str, Any]:
        """The response's data; raises SlackRefused or SlackUnavailable."""
        ...


def slack_client(bot_token: str, *, api_url: str = DEFAULT_API_URL) -> AsyncWebClient:
    """A Web API client for a bot token; `api_url` lets a staging or test fake stand in for Slack's."""
    # The SDK retries nothing itself, so one layer (RetryingTransport, later the rate-limited sender) owns retries.
    return AsyncWebClient(token=bot_token, base_url=api_url.rstrip("/") + "/", retry_handlers=[])


class RetryingTransport:
    """Sends each call at once; waits out 429s as Slack asks, and retries 5xx and timeouts with jittered backoff.

    A timed-out call may have reached Slack, so a retry can post twice; Slack gives no idempotency key for
    chat.postMessage, and a rare duplicate beats a prompt that silently never arrives.
    """

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        retries: int = 3,
        backoff_seconds: float = 0.5,
        timeout_seconds: float = 10.0,
        rate_limit_waits: int = 5,
        max_retry_after_seconds: float = 300.0,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
        on_rate_limited: Callable[[], None] | None = None,
    ) -> None:
        self._client = client
        # Told of every 429, e.g. to count it; the adapter knows nothing of what listens.
        self._on_rate_limited = on_rate_limited
        self._retries = retries
        self._backoff = backoff_seconds
        self._timeout = timeout_seconds
        self._rate_limit_waits = rate_limit_waits
        self._max_retry_after = max_retry_after_seconds
        self._sleep = sleep
        self._jitter = jitter

    async def call(self, workspace_id: str, method: str, args: Mapping[str, Any]) -> Mapping[str, Any]:
        """Call `method` with JSON `args`; the response's data, or SlackRefused / SlackUnavailable."""
        failures = 0
        waits = 0
        attempts = 0
        while True:
            attempts += 1
            try:
                async with asyncio.timeout(self._timeout):
                    response = await self._client.api_call(method, json=dict(args))
                return dict(response.data) if isinstance(response.data, dict) else {}
            except SlackApiError as error:
                status = error.response.status_code
                if status == 429:
                    if self._on_rate_limited is not None:
                        self._on_rate_limited()
                    waits += 1
                    if waits > self._rate_limit_waits:
                        raise SlackUnavailable(method, attempts, "still rate limited") from error
                    delay = self._retry_after(error)
                    log.info("Slack rate-limited %s in %s; waiting %.1f s", method, workspace_id, delay)
                    await self._sleep(delay)
                    continue
                if status < 500:
                    raise SlackRefused(method, _error_code(error)) from error
                reason = f"HTTP {status}"
            except (TimeoutError, aiohttp.ClientError) as error:
                reason = type(error).__name__
            failures += 1
            if failures > self._retries:
                raise SlackUnavailable(method, attempts, reason)
            delay = self._backoff * 2 ** (failures - 1) * (0.5 + self._jitter())
            log.info("%s in %s failed (%s); retry %d in %.2f s", method, workspace_id, reason, failures, delay)
            await self._sleep(delay)

    def _retry_after(self, error: SlackApiError) -> float:
        headers = error.response.headers or {}
        raw = headers.get("Retry-After") or headers.get("retry-after")
        try:
            seconds = float(raw) if raw is not None else 1.0
        except ValueError:
            seconds = 1.0
        return min(max(seconds, 0.0), self._max_retry_after)


def _error_code(error: SlackApiError) -> str:
    data = error.response.data
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        return str(data["error"])
    return f"HTTP {error.response.status_code}"
