"""Teams' door on the assembled server (real Agents SDK token validator, real aiohttp, real SQLite): every token
fault is a 401 that leaves no row in any table and reaches no Bot Connector.

The SDK validates each token for real; only where it fetches the signing keys from is pointed at a JWKS on
loopback (tests/adapters/teams/harness.py), and Ritme's own outbound token (from Entra, on the far side) is the
SDK's anonymous provider, which the fake Bot Connector accepts. tests/adapters/teams/test_teams_auth.py covers the
same faults against the adapter alone; this proves them end to end, adds a token not yet valid and a serviceUrl
that is not the token's (which the SDK only warns about; Ritme refuses it).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from microsoft_agents.hosting.core import AnonymousTokenProvider
from microsoft_agents.hosting.core.authorization.jwt import jwt_token_validator
from pydantic import SecretStr

from bot.settings import Settings
from bot.wiring import assemble, serving
from tests.adapters.teams.activities import APP_ID, TENANT_ID, personal_message
from tests.adapters.teams.fake_connector import FakeConnector
from tests.adapters.teams.harness import SigningKey, TeamsSender, jwks_server, key_address_to
from tests.rituals.harness import FakeClock
from tests.security.transport_tables import Snapshot, every_row

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
OTHER_TENANT = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
ENTRA = "https://login.microsoftonline.com/{tenant}/v2.0"


@dataclass
class Door:
    """The assembled server with Teams on for Ritme's app id, and what a test needs to knock on it."""

    sender: TeamsSender
    fake: FakeConnector
    key: SigningKey
    other_key: SigningKey
    database: Path

    def token(self, *, key: SigningKey | None = None, **claims: Any) -> str:
        """A channel-to-bot token naming the fake as its service URL, with `claims` changed."""
        return (key or self.key).token(**{"serviceurl": self.fake.url, **claims})

    async def post(self, *, token: str | None = None, authorization: str | None = None,
                   service_url: str | None = None, activity_id: str = "1732348872345") -> int:
        """Post Ada's `standup list` from her personal chat; the status."""
        activity = personal_message("standup list", activity_id)
        activity["serviceUrl"] = service_url or self.fake.url
        async with await self.sender.post(activity, token=token, authorization=authorization) as response:
            return response.status


@pytest.fixture
async def door(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Door]:
    key, other = SigningKey.generate("transport-key-1"), SigningKey.generate("transport-key-2")
    monkeypatch.setattr("bot.wiring.token_provider", lambda *_: AnonymousTokenProvider())
    async with jwks_server([key]) as jwks, FakeConnector() as fake:
        monkeypatch.setattr(jwt_token_validator, "_build_jwks_uri",
                            key_address_to(jwks, jwt_token_validator._build_jwks_uri))
        database = tmp_path / "ritme.db"
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, database_url=f"sqlite+aiosqlite:///{database}", port=0,
            teams_app_id=APP_ID, teams_app_password=SecretStr("not-used-by-these-tests"), teams_tenant_id=TENANT_ID,
        )
        async with assemble(settings, FakeClock(START)) as ritme, serving(ritme, with_timer=False) as url:
            async with aiohttp.ClientSession() as session:
                yield Door(TeamsSender(session, f"{url}/api/messages"), fake, key, other, database)


async def assert_no_trace(door: Door, before: Snapshot) -> None:
    await asyncio.sleep(0.1)
    assert every_row(door.database) == before
    assert door.fake.calls == []


async def test_every_token_fault_is_a_401_that_leaves_no_trace(door: Door) -> None:
    before = every_row(door.database)
    now = int(time.time())
    # Each is wrong in one way only; leeway for clock skew in the SDK is five minutes, so these go beyond it.
    faults: dict[str, dict[str, Any]] = {
        "no Authorization header": {"authorization": ""},
        "not a Bearer token": {"authorization": f"Basic {door.token()}"},
        "an empty Bearer token": {"authorization": "Bearer "},
        "not a JWT at all": {"authorization": "Bearer not.a.jwt"},
        "signed with a key the JWKS does not publish": {"token": door.token(key=door.other_key)},
        "another key under a published key id": {"token": door.token(key=door.other_key, kid=door.key.kid)},
        "for another app (audience)": {"token": door.token(audience="9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a")},
        "from another issuer": {"token": door.token(issuer="https://login.example.org/")},
        "expired ten minutes ago": {"token": door.token(expires_in=-600)},
        "not valid for another ten minutes": {"token": door.token(nbf=now + 600)},
        "issued by another tenant to a single-tenant bot": {
            "token": door.token(issuer=ENTRA.format(tenant=OTHER_TENANT), tid=OTHER_TENANT)},
        "a tenant claim that is not its issuer's": {
            "token": door.token(issuer=ENTRA.format(tenant=TENANT_ID), tid=OTHER_TENANT)},
        "without an audience": {"token": door.token(aud=None)},
        "without an issuer": {"token": door.token(iss=None)},
    }
    for fault, sent in faults.items():
        assert await door.post(**sent) == 401, fault
    await assert_no_trace(door, before)


async def test_a_valid_token_with_another_service_url_is_refused(door: Door) -> None:
    before = every_row(door.database)
    # A token the Bot Connector issued for one service URL, replayed with an activity naming another: Ritme would
    # send its replies, with its own Bot Connector token, to wherever that URL points.
    assert await door.post(token=door.token(), service_url="https://evil.example/amer/") == 401
    assert await door.post(token=door.token(), service_url="not a url") == 401
    await assert_no_trace(door, before)


async def test_the_same_activity_with_a_right_token_is_taken(door: Door) -> None:
    # The control for the refusals above: Bot Framework's token and the tenant's own Entra token both get in.
    assert await door.post(token=door.token()) == 202
    own = ENTRA.format(tenant=TENANT_ID)
    assert await door.post(token=door.token(issuer=own, tid=TENANT_ID), activity_id="1732348872346") == 202
    assert len(every_row(door.database)["inbound_events"]) == 2
