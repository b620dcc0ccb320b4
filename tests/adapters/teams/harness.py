"""The near side of the Teams adapter tests: tokens signed like the Bot Framework's (with a key of our own, served
from a JWKS endpoint on loopback), a recording Inbound, and a TeamsConnector that answers roster questions."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import ClientResponse, ClientSession, web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from adapters.teams.connector import RosterMember
from adapters.teams.references import ConversationRef
from rituals.events import InboundEvent
from tests.adapters.teams.activities import APP_ID, SERVICE_URL

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
BOT_FRAMEWORK_KEYS = "https://login.botframework.com/v1/.well-known/keys"
WAIT_SECONDS = 5.0


@dataclass
class SigningKey:
    """An RSA key pair and its key id, as a token service publishes them."""

    kid: str
    private: rsa.RSAPrivateKey

    @classmethod
    def generate(cls, kid: str) -> SigningKey:
        return cls(kid, rsa.generate_private_key(public_exponent=65537, key_size=2048))

    def jwk(self) -> dict[str, Any]:
        """The public half as a JWK, shaped like the Bot Framework's published keys."""
        key = RSAAlgorithm.to_jwk(self.private.public_key(), as_dict=True)
        return {**key, "kid": self.kid, "kty": "RSA", "use": "sig", "endorsements": ["msteams"]}

    def token(
        self,
        *,
        audience: str = APP_ID,
        issuer: str = BOT_FRAMEWORK_ISSUER,
        expires_in: float = 3600,
        kid: str | None = None,
        **claims: Any,
    ) -> str:
        """A token like the one the Bot Connector service sends a bot (the claims of its channel-to-bot tokens);
        a claim given as None is left out."""
        now = int(time.time())
        payload = {
            "serviceurl": SERVICE_URL,
            "nbf": now - 60,
            "exp": now + int(expires_in),
            "iss": issuer,
            "aud": audience,
            **claims,
        }
        payload = {name: value for name, value in payload.items() if value is not None}
        return jwt.encode(payload, self.private, algorithm="RS256", headers={"kid": kid or self.kid})


@dataclass
class Jwks:
    """A JWKS endpoint on loopback serving the public keys, and the key addresses the SDK would have used."""

    url: str
    asked_for: list[str] = field(default_factory=list)
    fetches: int = 0


@asynccontextmanager
async def jwks_server(keys: Sequence[SigningKey]) -> AsyncIterator[Jwks]:
    """Serve `keys` as a JWK set at a fresh URL (the SDK caches key clients per URL)."""
    path = f"/keys/{uuid.uuid4().hex}"
    state: list[Jwks] = []

    async def serve(_request: web.Request) -> web.Response:
        state[0].fetches += 1
        return web.json_response({"keys": [key.jwk() for key in keys]})

    app = web.Application()
    app.router.add_get(path, serve)
    async with TestServer(app, host="127.0.0.1") as server:
        state.append(Jwks(url=str(server.make_url(path))))
        yield state[0]


def key_address_to(jwks: Jwks, sdk_address: Callable[..., str]) -> Callable[..., str]:
    """Stands in for the SDK's `_build_jwks_uri`: notes where the SDK would fetch the keys, returns the local JWKS."""

    def address(*args: Any) -> str:
        jwks.asked_for.append(sdk_address(*args))
        return jwks.url

    return address


@dataclass
class RecordingInbound:
    """The engine's side as the adapter sees it: dedupes ids in memory, records what it accepted and processed."""

    fail_accept: bool = False
    accepted: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    events: list[InboundEvent] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._changed = asyncio.Condition()

    async def accept(self, event: InboundEvent) -> bool:
        assert event.actor.platform == "teams"
        assert event.received_at.tzinfo is not None
        assert len(event.event_id) <= 255
        if self.fail_accept:
            raise RuntimeError("the database is down")
        if event.event_id in self.accepted:
            self.refused.append(event.event_id)
            return False
        self.accepted.append(event.event_id)
        return True

    async def process(self, event: InboundEvent) -> None:
        assert event.event_id in self.accepted, "processed without being accepted first"
        self.events.append(event)
        async with self._changed:
            self._changed.notify_all()

    async def wait_processed(self, count: int = 1) -> list[InboundEvent]:
        """Wait (up to WAIT_SECONDS) until `count` events were processed."""
        async with asyncio.timeout(WAIT_SECONDS), self._changed:
            await self._changed.wait_for(lambda: len(self.events) >= count)
        return self.events


@dataclass
class FakeConnector:
    """The TeamsConnector as the inbound side uses it: rosters by conversation; records what it was asked."""

    rosters: dict[str, list[RosterMember]] = field(default_factory=dict)
    fail: bool = False
    asked: list[ConversationRef] = field(default_factory=list)

    # Replies go through the outbox; the inbound side itself never sends.
    async def send(self, ref: ConversationRef, activity: Mapping[str, Any], *, reply_to: str | None = None) -> str:
        raise AssertionError("the inbound side sends nothing")

    async def update(self, ref: ConversationRef, activity_id: str, activity: Mapping[str, Any]) -> None:
        raise AssertionError("the inbound side updates nothing")

    async def create_personal(self, tenant_id: str, service_url: str, bot_id: str, user_id: str) -> ConversationRef:
        raise AssertionError("the inbound side opens no chats")

    async def members(self, ref: ConversationRef) -> Sequence[RosterMember]:
        self.asked.append(ref)
        if self.fail:
            raise RuntimeError("503 from the Bot Connector service")
        return self.rosters.get(ref.conversation_id, [])


@dataclass
class TeamsSender:
    """Posts activities to /api/messages the way the Bot Connector service does: JSON with a Bearer token."""

    session: ClientSession
    url: str
    token: str | None = None

    async def post(self, activity: Mapping[str, Any], *, token: str | None = None,
                   authorization: str | None = None) -> ClientResponse:
        """POST an activity with the default token (or `token`, or a raw Authorization header, or none)."""
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if authorization is not None:
            headers["Authorization"] = authorization
        elif (token or self.token) is not None:
            headers["Authorization"] = f"Bearer {token or self.token}"
        return await self.session.post(self.url, data=json.dumps(activity), headers=headers)
