"""Slack's door on the assembled server (real bolt, real aiohttp, real SQLite): a request Slack did not sign just
now, for exactly this body, is refused before anything reads it. Nothing lands in the inbound ledger
(inbound_events) or any other table, no profile is looked up and nothing is posted.

tests/adapters/slack/test_slack_app.py covers a wrong secret and a six-minute-old stamp against the adapter alone;
these add the rest of the faults and prove "no trace" on the whole database.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.web_security import MAX_REQUEST_BYTES
from tests.adapters.slack.harness import member_joined, signature
from tests.bot.slack_rig import SlackRig, slack_rig
from tests.security.transport_tables import every_row

FORM = "application/x-www-form-urlencoded"
START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[SlackRig]:
    async with slack_rig(tmp_path, {"U1": ("Ada", "Europe/Amsterdam", "en-US")}, START) as rig:
        yield rig


async def post_raw(rig: SlackRig, body: bytes, content_type: str, *, stamp: str, signed: str) -> int:
    """POST `body` to /slack/events with exactly these headers; the status."""
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signed}
    async with rig.slack.session.post(rig.slack.url, data=body, headers=headers) as response:
        return response.status


async def assert_no_trace(rig: SlackRig, before: dict[str, list[tuple[object, ...]]]) -> None:
    """Nothing recorded anywhere and nothing sent: not now, and not by work that would run after an ack."""
    await asyncio.sleep(0.1)
    assert every_row(rig.database) == before
    assert rig.fake.calls == []


async def test_every_forged_or_stale_request_is_refused_and_leaves_no_trace(rig: SlackRig) -> None:
    before = every_row(rig.database)
    assert "inbound_events" in before
    command = rig.slack.command_body("standup create mon-fri 09:30").encode()
    now = int(time.time())

    def signed(body: bytes, stamp: int, secret: str | None = None) -> str:
        return signature(body.decode(), stamp, secret) if secret else signature(body.decode(), stamp)

    refused = {
        "signed with another secret": (str(now), signed(command, now, "not-the-signing-secret")),
        "no signature at all": (str(now), ""),
        "signature of another body": (str(now), signed(b"text=standup+list", now)),
        # Signed correctly, but for a moment beyond the five minutes either side that Slack's requests may be off.
        "stamped six minutes ago": (str(now - 360), signed(command, now - 360)),
        "stamped six minutes ahead": (str(now + 360), signed(command, now + 360)),
        "no timestamp": ("", signed(command, now)),
        "a timestamp that is no number": ("soon", signed(command, now)),
    }
    for fault, (stamp, signature_header) in refused.items():
        status = await post_raw(rig, command, FORM, stamp=stamp, signed=signature_header)
        assert status == 401, fault
    await assert_no_trace(rig, before)


async def test_a_captured_request_replayed_with_a_fresh_timestamp_does_not_verify(rig: SlackRig) -> None:
    before = every_row(rig.database)
    # Seen on the wire seven minutes ago (too old to replay as it was), now sent again with the stamp moved to now:
    # the signature covers the stamp, so it no longer matches.
    body = rig.slack.command_body("standup create mon-fri 09:30").encode()
    captured_at = int(time.time()) - 420
    captured = signature(body.decode(), captured_at)
    assert await post_raw(rig, body, FORM, stamp=str(captured_at), signed=captured) == 401
    assert await post_raw(rig, body, FORM, stamp=str(int(time.time())), signed=captured) == 401
    await assert_no_trace(rig, before)


async def test_an_event_callback_with_a_bad_signature_records_no_member(rig: SlackRig) -> None:
    before = every_row(rig.database)
    response = await rig.slack.event(member_joined("Ev-forged"), secret="not-the-signing-secret")
    assert response.status == 401
    await assert_no_trace(rig, before)


async def test_a_body_over_the_limit_is_refused_before_it_is_read_even_when_signed(rig: SlackRig) -> None:
    before = every_row(rig.database)
    padding = "x" * MAX_REQUEST_BYTES
    body = rig.slack.command_body(f"standup create mon-fri 09:30 {padding}").encode()
    now = int(time.time())
    assert await post_raw(rig, body, FORM, stamp=str(now), signed=signature(body.decode(), now)) == 413
    await assert_no_trace(rig, before)


async def test_the_same_command_signed_now_is_taken(rig: SlackRig) -> None:
    # The control for the refusals above: the very command they sent, signed as Slack signs it, gets through.
    body = rig.slack.command_body("standup create mon-fri 09:30")
    response = await rig.slack.post(body, FORM)
    assert response.status == 200
    calls = await rig.until(lambda: rig.fake.calls_to("chat.postEphemeral") + rig.fake.calls_to("chat.postMessage"))
    assert calls
    rows = every_row(rig.database)
    assert len(rows["inbound_events"]) == 1
