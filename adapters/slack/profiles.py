"""Members' names, time zones and locales from Slack (users.info), cached in memory for a while.

The engine uses an Actor's time zone and locale only as defaults for a member it meets for the first time; a
member's own settings win. So a stale or missing profile costs a default, never a wrong override.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.tokens import ClientSource, NotInstalled
from rituals.events import Actor
from rituals.ports import Clock

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class Profile:
    """What Slack says about a member."""

    display_name: str = ""
    timezone: str | None = None
    locale: str | None = None


def profile_from_user(user: Mapping[str, Any]) -> Profile:
    """A Profile from users.info's `user` object: the name people see, the IANA zone, the locale (`nl-NL`)."""
    profile = user.get("profile")
    fields = profile if isinstance(profile, Mapping) else {}
    name = next(
        (
            str(candidate).strip()
            for candidate in (
                fields.get("display_name"),
                fields.get("real_name"),
                user.get("real_name"),
                user.get("name"),
            )
            if isinstance(candidate, str) and candidate.strip()
        ),
        "",
    )
    tz = user.get("tz")
    locale = user.get("locale")
    return Profile(
        display_name=name,
        timezone=tz if isinstance(tz, str) and tz else None,
        locale=locale if isinstance(locale, str) and locale else None,
    )


def with_profile(actor: Actor, profile: Profile | None) -> Actor:
    """The actor with what the profile knows; the payload's own name stays when the profile has none."""
    if profile is None:
        return actor
    return replace(
        actor,
        display_name=profile.display_name or actor.display_name,
        timezone=profile.timezone or actor.timezone,
        locale=profile.locale or actor.locale,
    )


@dataclass(frozen=True)
class _Entry:
    profile: Profile | None
    expires_at: datetime


class SlackProfiles:
    """Looks members up with users.info (include_locale), keeping answers for `ttl` and at most `max_entries`.

    A failed lookup is remembered briefly as "unknown", so a Slack outage does not turn every event into another
    call; concurrent lookups of one member share a single call.
    """

    def __init__(
        self,
        client: AsyncWebClient | ClientSource,
        *,
        clock: Clock,
        ttl: timedelta = timedelta(hours=12),
        failure_ttl: timedelta = timedelta(minutes=1),
        max_entries: int = 10_000,
        timeout_seconds: float = 2.0,
    ) -> None:
        self._client = client
        self._clock = clock
        self._ttl = ttl
        self._failure_ttl = failure_ttl
        self._max_entries = max_entries
        self._timeout = timeout_seconds
        self._cache: OrderedDict[tuple[str, str], _Entry] = OrderedDict()
        self._pending: dict[tuple[str, str], asyncio.Task[Profile | None]] = {}

    async def actor(self, actor: Actor) -> Actor:
        """The actor completed with the member's Slack profile, when Slack tells it."""
        return with_profile(actor, await self.profile(actor.workspace_id, actor.user_id))

    async def profile(self, workspace_id: str, user_id: str) -> Profile | None:
        """The member's profile, from the cache while fresh; None when Slack could not tell."""
        key = (workspace_id, user_id)
        entry = self._cache.get(key)
        if entry is not None and entry.expires_at > self._clock.now():
            self._cache.move_to_end(key)
            return entry.profile
        task = self._pending.get(key)
        if task is None:
            task = asyncio.create_task(self._fetch(key))
            self._pending[key] = task
            task.add_done_callback(lambda _done: self._pending.pop(key, None))
        # Shielded: one caller giving up must not cancel the lookup the others wait for.
        return await asyncio.shield(task)

    def forget(self, workspace_id: str, user_id: str) -> None:
        """Drop a member's cached profile, e.g. after Slack said it changed."""
        self._cache.pop((workspace_id, user_id), None)

    async def _fetch(self, key: tuple[str, str]) -> Profile | None:
        workspace_id, user_id = key
        profile: Profile | None = None
        try:
            async with asyncio.timeout(self._timeout):
                client = self._client
                if not isinstance(client, AsyncWebClient):  # each workspace's own token (OAuth installs)
                    client = await client.client(workspace_id)
                response = await client.users_info(user=user_id, include_locale=True)
            user = response.get("user")
            if isinstance(user, Mapping):
                profile = profile_from_user(user)
        except (SlackApiError, NotInstalled, TimeoutError, aiohttp.ClientError) as error:
            log.warning(
                "no Slack profile for %s in %s (%s); using defaults", user_id, workspace_id, type(error).__name__
            )
        ttl = self._ttl if profile is not None else self._failure_ttl
        self._cache[key] = _Entry(profile, self._clock.now() + ttl)
        self._cache.move_to_end(key)
        while len(self._cache) > self._max_entries:
            self._cache.popitem(last=False)
        return profile
