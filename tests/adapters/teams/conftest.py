"""Fixtures of the Teams adapter tests: the real TeamsApp (the SDK's CloudAdapter and token validator) on a real
aiohttp server, with the signing keys served from a JWKS endpoint on loopback.

Only where the SDK fetches the signing keys from changes (its JWKS address, fixed to Microsoft's hosts); the SDK
still fetches them over HTTP with PyJWKClient, and checks signature, expiry, audience and issuer itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
import pytest_asyncio
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer
from microsoft_agents.hosting.core.authorization.jwt import jwt_token_validator

from adapters.teams.app import TeamsApp, mount_teams
from adapters.teams.references import MemoryReferences
from rituals.outbound import MemberAddress
from rituals.ports import SystemClock
from tests.adapters.teams.activities import APP_ID
from tests.adapters.teams.harness import (
    FakeConnector,
    Jwks,
    RecordingInbound,
    SigningKey,
    TeamsSender,
    jwks_server,
    key_address_to,
)


@dataclass
class Rig:
    """Everything one Teams test drives or inspects."""

    app: TeamsApp
    inbound: RecordingInbound
    references: MemoryReferences
    connector: FakeConnector
    sender: TeamsSender
    key: SigningKey
    jwks: Jwks
    hints: list[tuple[MemberAddress, str, str]] = field(default_factory=list)


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return SigningKey.generate("ritme-test-key-1")


@pytest.fixture(scope="session")
def other_key() -> SigningKey:
    """A key the JWKS does not publish."""
    return SigningKey.generate("ritme-test-key-2")


@pytest_asyncio.fixture
async def jwks(signing_key: SigningKey, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Jwks]:
    async with jwks_server([signing_key]) as served:
        sdk_address = jwt_token_validator._build_jwks_uri
        monkeypatch.setattr(jwt_token_validator, "_build_jwks_uri", key_address_to(served, sdk_address))
        yield served


@pytest_asyncio.fixture
async def rig(jwks: Jwks, signing_key: SigningKey) -> AsyncIterator[Rig]:
    async for rig in serve_rig(jwks, signing_key, app_id=APP_ID):
        yield rig


async def serve_rig(jwks: Jwks, key: SigningKey, **options: object) -> AsyncIterator[Rig]:
    """TeamsApp with `options` on a loopback server; the sender signs with `key`."""
    inbound = RecordingInbound()
    references = MemoryReferences()
    connector = FakeConnector()
    hints: list[tuple[MemberAddress, str, str]] = []
    teams = TeamsApp(
        inbound=inbound,
        references=references,
        connector=connector,
        clock=SystemClock(),
        on_reply_context=lambda member, conversation, activity: hints.append((member, conversation, activity)),
        **options,  # type: ignore[arg-type]
    )
    app = web.Application()
    mount_teams(app, teams)
    async with TestServer(app, host="127.0.0.1") as server, ClientSession() as session:
        sender = TeamsSender(session=session, url=str(server.make_url(teams.path)), token=key.token())
        yield Rig(teams, inbound, references, connector, sender, key, jwks, hints)
