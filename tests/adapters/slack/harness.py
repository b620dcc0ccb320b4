"""The near side of the Slack adapter tests: signed requests like Slack's, a recording Inbound, an in-memory log."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from aiohttp import ClientResponse, ClientSession

from adapters.slack.outbox import SlackOutbox
from rituals.events import InboundEvent
from rituals.outbound import Message
from rituals.ports import PostedMessage

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM_ID = "T1"
APP_ID = "A1"
WAIT_SECONDS = 5.0


class ManualClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime | None = None) -> None:
        self.current = now or datetime(2025, 3, 10, 8, 30, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


class MemoryMessageLog:
    """The MessageLog port in memory: a fake of our own storage, as the SQL one lives in storage/."""

    def __init__(self) -> None:
        self.posted: dict[tuple[str, str, str, str], PostedMessage] = {}

    async def remember(self, message: PostedMessage) -> None:
        self.posted[(message.platform, message.workspace_id, message.key, message.recipient)] = message

    async def find(self, platform: str, workspace_id: str, key: str, recipient: str) -> PostedMessage | None:
        return self.posted.get((platform, workspace_id, key, recipient))

    async def posted_keys(self, keys: Collection[str]) -> set[tuple[str, str]]:
        return {(key, recipient) for (_, _, key, recipient) in self.posted if key in keys}


Reply = Callable[[InboundEvent], Sequence[Message]]


@dataclass
class RecordingInbound:
    """The engine's side as the adapter sees it: dedupes ids in memory, records events, replies through the outbox."""

    outbox: SlackOutbox | None = None
    reply: Reply | None = None
    fail_accept: bool = False
    accepted: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    events: list[InboundEvent] = field(default_factory=list)
    failures: list[BaseException] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._changed = asyncio.Condition()
        self.finished = 0

    async def accept(self, event: InboundEvent) -> bool:
        assert event.actor.platform == "slack"
        assert event.received_at.tzinfo is not None
        event_id = event.event_id
        if self.fail_accept:
            raise RuntimeError("the database is down")
        if event_id in self.accepted:
            self.refused.append(event_id)
            return False
        self.accepted.append(event_id)
        return True

    async def process(self, event: InboundEvent) -> None:
        self.events.append(event)
        try:
            if self.reply is not None and self.outbox is not None:
                await self.outbox.send(self.reply(event))
        except Exception as error:
            self.failures.append(error)
            raise
        finally:
            self.finished += 1
            async with self._changed:
                self._changed.notify_all()

    async def wait_finished(self, count: int = 1) -> list[InboundEvent]:
        """Wait (up to WAIT_SECONDS) until `count` events were processed (replies sent or failed)."""
        async with asyncio.timeout(WAIT_SECONDS), self._changed:
            await self._changed.wait_for(lambda: self.finished >= count)
        return self.events


def signature(body: str, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    """Slack's v0 request signature."""
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


@dataclass
class SlackSender:
    """Sends requests to the app the way Slack does: signed, as form posts or JSON."""

    session: ClientSession
    url: str
    secret: str = SIGNING_SECRET
    _triggers: int = 0

    def trigger_id(self) -> str:
        self._triggers += 1
        return f"1337.{self._triggers}.abcdef0123456789"

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> ClientResponse:
        """POST a body signed as Slack signs it (or with another secret or time, to be refused)."""
        stamp = int(time.time()) if timestamp is None else timestamp
        signed = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(stamp),
            "X-Slack-Signature": signature(body, stamp, secret or self.secret),
            **(headers or {}),
        }
        return await self.session.post(self.url, data=body.encode(), headers=signed)

    def command_body(
        self,
        text: str,
        *,
        user_id: str = "U1",
        user_name: str = "ada",
        channel_id: str = "C1",
        channel_name: str = "team",
        trigger_id: str | None = None,
        team_id: str = TEAM_ID,
    ) -> str:
        """A slash command's form body, shaped like Slack's."""
        return urlencode(
            command_fields(
                text,
                user_id=user_id,
                user_name=user_name,
                channel_id=channel_id,
                channel_name=channel_name,
                trigger_id=trigger_id or self.trigger_id(),
                team_id=team_id,
            )
        )

    async def command(self, text: str, **options: Any) -> ClientResponse:
        """Run `/ritme <text>`."""
        return await self.post(self.command_body(text, **options), "application/x-www-form-urlencoded")

    async def interaction(self, payload: dict[str, Any], **options: Any) -> ClientResponse:
        """Send an interactivity payload (block_actions, view_submission) as Slack does: form field `payload`."""
        return await self.post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded", **options
        )

    async def event(self, body: dict[str, Any], *, retry_num: int | None = None, **options: Any) -> ClientResponse:
        """Send an Events API callback as JSON, marked as Slack's n-th retry when `retry_num` is given."""
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.post(json.dumps(body), "application/json", headers=headers, **options)


def command_fields(
    text: str,
    *,
    trigger_id: str,
    user_id: str = "U1",
    user_name: str = "ada",
    channel_id: str = "C1",
    channel_name: str = "team",
    team_id: str = TEAM_ID,
) -> dict[str, str]:
    """The fields Slack sends for `/ritme <text>`: a form post over HTTP, a Socket Mode envelope's payload."""
    return {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "team_domain": "ritme-test",
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": "/ritme",
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": "https://hooks.slack.com/commands/T1/1/abc",
        "trigger_id": trigger_id,
    }


def slash_command_envelope(envelope_id: str, fields: dict[str, str]) -> dict[str, Any]:
    """A slash command as Socket Mode delivers it (Slack's docs and slack_sdk's own test envelopes)."""
    return {"envelope_id": envelope_id, "type": "slash_commands", "payload": fields, "accepts_response_payload": True}


def events_api_envelope(
    envelope_id: str, callback: dict[str, Any], *, retry_attempt: int = 0, retry_reason: str = ""
) -> dict[str, Any]:
    """An Events API callback as Socket Mode delivers it; a retry comes in a new envelope with retry_attempt > 0."""
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "payload": callback,
        "accepts_response_payload": False,
        "retry_attempt": retry_attempt,
        "retry_reason": retry_reason,
    }


def interactive_envelope(envelope_id: str, payload: dict[str, Any]) -> dict[str, Any]:
    """A block_actions or view_submission payload as Socket Mode delivers it (the payload itself, not form-encoded)."""
    # Only a view submission's ack may carry a response (a response_action for the modal).
    answers = payload.get("type") == "view_submission"
    return {"envelope_id": envelope_id, "type": "interactive", "payload": payload, "accepts_response_payload": answers}


def block_actions(action_id: str, value: str, *, user_id: str = "U1", trigger_id: str = "1337.9.abc") -> dict[str, Any]:
    """A block_actions payload for one button press, shaped like Slack's."""
    return {
        "type": "block_actions",
        "user": {"id": user_id, "username": "ada", "name": "ada", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "container": {"type": "message", "message_ts": "1700000001.000001", "channel_id": "D1", "is_ephemeral": False},
        "trigger_id": trigger_id,
        "team": {"id": TEAM_ID, "domain": "ritme-test"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": "D1", "name": "directmessage"},
        "message": {"type": "message", "ts": "1700000001.000001", "text": "prompt"},
        "response_url": "https://hooks.slack.com/actions/T1/1/abc",
        "actions": [
            {
                "action_id": action_id,
                "block_id": "b1",
                "text": {"type": "plain_text", "text": "Answer", "emoji": True},
                "value": value,
                "type": "button",
                "action_ts": "1700000002.123456",
            }
        ],
    }


def view_submission(
    view: dict[str, Any], values: Sequence[str | None], *, user_id: str = "U1", trigger_id: str = "1337.8.abc"
) -> dict[str, Any]:
    """A view_submission payload for a modal Ritme opened, with the member's answers in its state.

    For radio buttons and menus an answer is the value of the option picked (None: none picked).
    """
    inputs = [block for block in view["blocks"] if block["type"] == "input"]
    state = {
        block["block_id"]: {block["element"]["action_id"]: _input_state(block["element"], value)}
        for block, value in zip(inputs, values, strict=True)
    }
    # Slack does not promise the state's order; reversed, the test shows the blocks' order is the one used.
    state = dict(reversed(list(state.items())))
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "ritme-test"},
        "user": {"id": user_id, "username": "ada", "name": "ada", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": trigger_id,
        "view": {
            "id": "V42",
            "team_id": TEAM_ID,
            "type": "modal",
            "blocks": view["blocks"],
            "private_metadata": view["private_metadata"],
            "callback_id": view["callback_id"],
            "state": {"values": state},
            "hash": "1700000003.abc",
            "title": view["title"],
            "app_id": APP_ID,
            "bot_id": "BBOT",
        },
        "response_urls": [],
    }


def _input_state(element: dict[str, Any], value: str | None) -> dict[str, Any]:
    """An input's entry in a view's state, as Slack sends it."""
    if element["type"] in ("radio_buttons", "static_select"):
        picked = [option for option in element["options"] if option["value"] == value]
        assert value is None or picked, f"no option {value!r} to pick"
        return {"type": element["type"], "selected_option": picked[0] if picked else None}
    return {"type": element["type"], "value": value}


def member_joined(event_id: str, *, user_id: str = "U2", channel_id: str = "C1") -> dict[str, Any]:
    """An Events API callback for member_joined_channel."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": {
            "type": "member_joined_channel",
            "user": user_id,
            "channel": channel_id,
            "channel_type": "C",
            "team": TEAM_ID,
            "inviter": "U1",
            "event_ts": "1700000004.000100",
        },
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1_700_000_004,
        "authorizations": [{"team_id": TEAM_ID, "user_id": "UBOT", "is_bot": True, "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
    }


def home_opened_event(event_id: str, *, user_id: str = "U1", tab: str = "home") -> dict[str, Any]:
    """An Events API callback for app_home_opened: a member opened Ritme's Home (or Messages) tab."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": {
            "type": "app_home_opened",
            "user": user_id,
            "channel": "D1",
            "tab": tab,
            "event_ts": "1700000005.000200",
        },
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1_700_000_005,
        "authorizations": [{"team_id": TEAM_ID, "user_id": "UBOT", "is_bot": True, "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
    }
