"""Fixtures of the Slack adapter tests: the real bolt app on a real aiohttp server, a fake Web API on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest_asyncio
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer

from adapters.slack import RetryingTransport, SlackApp, SlackOutbox, mount_slack, slack_client
from adapters.slack.profiles import SlackProfiles
from rituals.ports import SystemClock
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import (
    SIGNING_SECRET,
    MemoryMessageLog,
    RecordingInbound,
    SlackSender,
)

PROFILES = {
    "U1": {
        "id": "U1",
        "name": "ada",
        "real_name": "Ada Lovelace",
        "tz": "Europe/Amsterdam",
        "locale": "nl-NL",
        "profile": {"display_name": "Ada", "real_name": "Ada Lovelace"},
    },
    "U2": {
        "id": "U2",
        "name": "bram",
        "tz": "America/New_York",
        "locale": "en-US",
        "profile": {"display_name": "", "real_name": "Bram"},
    },
}


@dataclass
class SleepRecorder:
    """Stands in for asyncio.sleep in the transport: remembers each wait and yields without waiting."""

    waits: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


@dataclass
class Rig:
    """Everything one Slack test drives or inspects."""

    fake: FakeSlack
    inbound: RecordingInbound
    outbox: SlackOutbox
    messages: MemoryMessageLog
    app: SlackApp
    sender: SlackSender
    sleeps: SleepRecorder


@pytest_asyncio.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(profiles={key: dict(value) for key, value in PROFILES.items()}) as fake:
        yield fake


@pytest_asyncio.fixture
async def rig(fake_slack: FakeSlack) -> AsyncIterator[Rig]:
    clock = SystemClock()
    client = slack_client("xoxb-test-token", api_url=fake_slack.url)
    sleeps = SleepRecorder()
    transport = RetryingTransport(client, backoff_seconds=0.01, timeout_seconds=2.0, sleep=sleeps)
    messages = MemoryMessageLog()
    outbox = SlackOutbox(transport, messages, clock=clock)
    inbound = RecordingInbound(outbox=outbox)
    slack = SlackApp(
        signing_secret=SIGNING_SECRET,
        client=client,
        inbound=inbound,
        outbox=outbox,
        clock=clock,
        profiles=SlackProfiles(client, clock=clock, timeout_seconds=2.0),
    )
    app = web.Application()
    mount_slack(app, slack)
    async with TestServer(app, host="127.0.0.1") as server, ClientSession() as session:
        sender = SlackSender(session=session, url=str(server.make_url(slack.path)))
        yield Rig(fake_slack, inbound, outbox, messages, slack, sender, sleeps)
        # Hanging calls end first, so the app's work in progress can finish before the server stops.
        fake_slack.release()
