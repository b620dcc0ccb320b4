"""Who may call /api/messages: every token goes through the SDK's own validator (JwtTokenValidator), which fetches
the signing keys over HTTP from a JWKS endpoint on loopback instead of Microsoft's. Each refusal is a 401 that
leaves nothing behind: no event recorded, no reference kept."""

from __future__ import annotations

import pytest

from tests.adapters.teams.activities import APP_ID, TENANT_ID, personal_message
from tests.adapters.teams.conftest import Rig, serve_rig
from tests.adapters.teams.harness import BOT_FRAMEWORK_KEYS, Jwks, SigningKey

OTHER_TENANT = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


async def assert_refused(rig: Rig, **post: str) -> None:
    response = await rig.sender.post(personal_message("standup list"), **post)
    assert response.status == 401
    assert rig.inbound.accepted == [] and rig.references.refs == {}


async def test_a_bot_framework_token_is_accepted(rig: Rig) -> None:
    assert (await rig.sender.post(personal_message("standup list"))).status == 202
    assert len(rig.inbound.accepted) == 1
    # The SDK would have fetched the Bot Framework's keys; it fetched ours, over HTTP.
    assert rig.jwks.asked_for == [BOT_FRAMEWORK_KEYS] and rig.jwks.fetches == 1


async def test_no_token_is_refused(rig: Rig) -> None:
    await assert_refused(rig, authorization="")


async def test_a_header_that_is_no_bearer_token_is_refused(rig: Rig) -> None:
    await assert_refused(rig, authorization=f"Basic {rig.key.token()}")


async def test_an_expired_token_is_refused(rig: Rig) -> None:
    # Beyond the SDK's five minutes of leeway for clock skew.
    await assert_refused(rig, token=rig.key.token(expires_in=-600))


async def test_a_token_for_another_app_is_refused(rig: Rig) -> None:
    await assert_refused(rig, token=rig.key.token(audience="9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a"))


async def test_a_token_from_another_issuer_is_refused(rig: Rig) -> None:
    # Signed with a key the JWKS publishes, for Ritme's app id: only the issuer is wrong.
    await assert_refused(rig, token=rig.key.token(issuer="https://login.example.org/"))


async def test_a_token_signed_with_an_unpublished_key_is_refused(rig: Rig, other_key: SigningKey) -> None:
    await assert_refused(rig, token=other_key.token())


async def test_a_token_signed_with_another_key_under_a_published_key_id_is_refused(
    rig: Rig, other_key: SigningKey
) -> None:
    await assert_refused(rig, token=other_key.token(kid=rig.key.kid))


async def test_a_token_whose_payload_was_changed_is_refused(rig: Rig) -> None:
    header, _payload, signature = rig.key.token(audience="someone-else").split(".")
    _header, payload, _signature = rig.key.token().split(".")
    await assert_refused(rig, token=f"{header}.{payload}.{signature}")


async def test_a_single_tenant_bot_refuses_another_tenants_entra_token(jwks: Jwks, signing_key: SigningKey) -> None:
    async for rig in serve_rig(jwks, signing_key, app_id=APP_ID, tenant_id=TENANT_ID):
        issuer = f"https://login.microsoftonline.com/{OTHER_TENANT}/v2.0"
        await assert_refused(rig, token=signing_key.token(issuer=issuer, tid=OTHER_TENANT))
        own = f"https://login.microsoftonline.com/{TENANT_ID}/v2.0"
        response = await rig.sender.post(personal_message("x"), token=signing_key.token(issuer=own, tid=TENANT_ID))
        assert response.status == 202


@pytest.mark.parametrize("claim", ["aud", "iss"])
async def test_a_token_without_audience_or_issuer_is_refused(rig: Rig, claim: str) -> None:
    token = rig.key.token(**{claim: None})
    await assert_refused(rig, token=token)
