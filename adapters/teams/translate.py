"""Teams activities (Activity JSON, as the Bot Connector service posts it to /api/messages) -> the engine's events.

Pure functions over the parsed JSON; nothing here knows the SDK. What Ritme reads:

- A `message` with text is a command: typed to Ritme in a personal chat, or with an @mention of Ritme in a channel
  or group chat (Teams only sends channel messages that mention the bot). Ritme's own mention is cut out; other
  mentions keep the person's name, which is how `manager add` finds them.
- A `message` with a `value` is an Action.Submit of one of Ritme's cards, and an `invoke` named
  "adaptiveCard/action" an Action.Execute; both carry the data contract of adapters/teams/protocol.py.
- `installationUpdate` and `conversationUpdate` say who joined a team channel (MemberSeen) and when Ritme was added
  to one, which asks for the team's roster (see `is_roster_trigger`).
- Anything else (typing, reactions, edits, events) means nothing to the engine: no events.

Ids: an activity keeps its id (and conversation) on every delivery, and two activities never share one, so an
event's id is "<conversation id>:<activity id>", with a suffix for each of several events from one activity. Ids
stay within the 255 characters the inbound ledger keeps: a longer one keeps a readable start and ends in a hash.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from adapters.teams.protocol import (
    ANSWER,
    BUTTON,
    DATA_KEY,
    FIELD_COUNT,
    FIELD_PREFIX,
    PLATFORM,
    channel_of_conversation,
    field_id,
)
from adapters.teams.references import ConversationKind, ConversationRef
from rituals.events import Actor, AnswerSubmitted, ButtonClicked, CommandInvoked, InboundEvent, MemberSeen
from rituals.model import MAX_QUESTIONS
from rituals.text_safety import platform_name

Activity = Mapping[str, Any]

MAX_EVENT_ID = 255
CARD_ACTION_INVOKE = "adaptiveCard/action"
ROSTER_SUFFIX = ":roster"
"""Ends the id of a MemberSeen that also asks for the roster of its channel (Ritme was added there, or met it)."""

_KINDS: tuple[ConversationKind, ...] = ("personal", "channel", "groupChat")
_LEADING_RITME = re.compile(r"^/?ritme\b[\s:,]*", re.IGNORECASE)
_AT_TAG = re.compile(r"</?at>", re.IGNORECASE)
_FIELD_INDEX = re.compile(re.escape(FIELD_PREFIX) + r"(\d+)$")


class MalformedActivity(ValueError):
    """An activity lacks something Ritme needs; it is acknowledged and ignored, as a redelivery would be the same."""


def events(activity: Activity, *, received_at: datetime) -> list[InboundEvent]:
    """Every engine event an activity stands for, in order; empty for activities that mean nothing to Ritme."""
    kind = activity.get("type")
    if kind == "message":
        if activity.get("value") is not None:
            return [card_action(activity, received_at=received_at)]
        if _plain_text(activity):
            return [command_invoked(activity, received_at=received_at)]
        return []  # a message without text (an image, a file) or an empty one
    if kind == "invoke":
        if activity.get("name") == CARD_ACTION_INVOKE:
            return [card_action(activity, received_at=received_at)]
        return []
    if kind in ("conversationUpdate", "installationUpdate"):
        return members_seen(activity, received_at=received_at)
    return []


def event_id(activity: Activity) -> str:
    """The id every delivery of this activity shares: its conversation and its own id."""
    return bounded_id(f"{_text(_mapping(activity, 'conversation'), 'id')}:{_text(activity, 'id')}")


def bounded_id(text: str, limit: int = MAX_EVENT_ID) -> str:
    """`text` itself when it fits in `limit` characters (the ledger keeps 255), else its start and a hash of it."""
    if len(text) <= limit:
        return text
    digest = hashlib.sha256(text.encode()).hexdigest()
    return f"{text[: limit - len(digest) - 1]}#{digest}"


def command_invoked(activity: Activity, *, received_at: datetime) -> CommandInvoked:
    """A message to Ritme as a CommandInvoked: the text without Ritme's mention or a leading "ritme" word."""
    kind = conversation_kind(activity)
    return CommandInvoked(
        event_id=event_id(activity),
        actor=sender(activity),
        received_at=received_at,
        channel_id=conversation_channel(activity),
        channel_name=channel_name(activity),
        direct=kind == "personal",
        text=command_text(activity),
    )


def command_text(activity: Activity) -> str:
    """What a member asked of Ritme: the message without Ritme's own <at>mention</at>, trimmed, and without a
    leading "ritme" or "/ritme", so "@Ritme standup list", "standup list" and "/ritme standup list" agree."""
    text = _plain_text(activity)
    bot_id = _text(_mapping(activity, "recipient"), "id")
    for mention in _entities(activity, "mention"):
        mentioned = mention.get("mentioned")
        tag = mention.get("text")
        if isinstance(mentioned, Mapping) and mentioned.get("id") == bot_id and isinstance(tag, str) and tag:
            text = text.replace(tag, " ")
    # Other people's mentions stay as their names ("manager add <at>Sam</at>" -> "manager add Sam").
    text = _AT_TAG.sub("", text)
    text = " ".join(html.unescape(text).replace("\xa0", " ").split())
    return _LEADING_RITME.sub("", text, count=1).strip()


def card_action(activity: Activity, *, received_at: datetime) -> AnswerSubmitted | ButtonClicked:
    """An Action.Submit (message with `value`) or Action.Execute (invoke) of one of Ritme's cards."""
    data = card_data(activity)
    kind = data.get(DATA_KEY)
    if kind == ANSWER:
        return AnswerSubmitted(
            event_id=event_id(activity),
            actor=sender(activity),
            received_at=received_at,
            delivery_id=_delivery_id(data.get("delivery")),
            values=form_values(data),
        )
    if kind == BUTTON:
        action = data.get("action")
        if not isinstance(action, str) or not action:
            raise MalformedActivity("a button's data names no action")
        value = data.get("value", "")
        return ButtonClicked(
            event_id=event_id(activity),
            actor=sender(activity),
            received_at=received_at,
            action=action,
            value=value if isinstance(value, str) else _input_text(value),
        )
    raise MalformedActivity(f"card data of kind {str(kind)[:40]!r} is not one of Ritme's")


def card_data(activity: Activity) -> Activity:
    """The data of a card action with its inputs: Action.Submit's `value`, or Action.Execute's `value.action.data`
    (Teams merges the card's inputs into both)."""
    value = activity.get("value")
    if not isinstance(value, Mapping):
        raise MalformedActivity("a card action without a value object")
    if activity.get("type") == "invoke":
        action = value.get("action")
        if not isinstance(action, Mapping) or action.get("type") != "Action.Execute":
            raise MalformedActivity("an adaptiveCard/action invoke without an Action.Execute")
        data = action.get("data")
        if not isinstance(data, Mapping):
            raise MalformedActivity("an Action.Execute without data")
        return data
    return value


def form_values(data: Activity) -> tuple[str, ...]:
    """A form's inputs in the order of its fields ("field.0", "field.1", ...); a field left out is empty."""
    indexes = [int(match.group(1)) for key in data if isinstance(key, str) and (match := _FIELD_INDEX.match(key))]
    count = data.get(FIELD_COUNT)
    # The card says how many fields it has: Teams leaves empty inputs out, the last one included.
    if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_QUESTIONS:
        count = max(indexes) + 1 if indexes else 0
    return tuple(_input_text(data.get(field_id(index))) for index in range(count))


def members_seen(activity: Activity, *, received_at: datetime) -> list[InboundEvent]:
    """Who an installationUpdate or conversationUpdate shows in a team channel or group chat: each member added
    (never Ritme itself), and when Ritme itself was added, the one who added it, as a roster trigger."""
    if conversation_kind(activity) == "personal":
        return []  # a personal chat is no team; its reference is all Ritme keeps
    seen: list[InboundEvent] = []
    if is_installation(activity):
        seen.append(roster_trigger(activity, received_at=received_at))
    if activity.get("type") != "conversationUpdate":
        return seen
    bot_id = _text(_mapping(activity, "recipient"), "id")
    base = event_id(activity)
    tenant = tenant_id(activity)
    for member in _accounts(activity, "membersAdded"):
        user_id = member.get("id")
        if not isinstance(user_id, str) or not user_id or user_id == bot_id:
            continue
        seen.append(
            MemberSeen(
                event_id=bounded_id(f"{base}:{user_id}"),
                actor=Actor(platform=PLATFORM, workspace_id=tenant, user_id=user_id, display_name=_name(member)),
                received_at=received_at,
                channel_id=conversation_channel(activity),
                channel_name=channel_name(activity),
            )
        )
    return seen


def roster_trigger(activity: Activity, *, received_at: datetime) -> MemberSeen:
    """The sender seen in the activity's channel, marked so that handling it first reads the channel's roster
    (Ritme was just added to the team, or meets this channel for the first time)."""
    return MemberSeen(
        # The mark survives shortening: the id is bounded first, then marked.
        event_id=bounded_id(f"{_text(_mapping(activity, 'conversation'), 'id')}:{_text(activity, 'id')}",
                            MAX_EVENT_ID - len(ROSTER_SUFFIX)) + ROSTER_SUFFIX,
        actor=sender(activity),
        received_at=received_at,
        channel_id=conversation_channel(activity),
        channel_name=channel_name(activity),
    )


def is_roster_trigger(event: InboundEvent) -> bool:
    """Whether handling this event starts with reading its channel's roster (see `roster_trigger`)."""
    return isinstance(event, MemberSeen) and event.event_id.endswith(ROSTER_SUFFIX)


def roster_member_seen(trigger: MemberSeen, user_id: str, name: str, locale: str | None = None) -> MemberSeen:
    """A roster member of the trigger's channel; its id derives from the trigger's, so a second reading of the
    same roster (after a restart) is recognised."""
    return MemberSeen(
        event_id=bounded_id(f"{trigger.event_id.removesuffix(ROSTER_SUFFIX)}:{user_id}"),
        actor=Actor(
            platform=PLATFORM, workspace_id=trigger.actor.workspace_id, user_id=user_id, display_name=name,
            locale=locale,
        ),
        received_at=trigger.received_at,
        channel_id=trigger.channel_id,
        channel_name=trigger.channel_name,
    )


def is_installation(activity: Activity) -> bool:
    """Whether Ritme itself was just added to the activity's conversation (installationUpdate "add", or
    conversationUpdate listing the bot among membersAdded)."""
    if activity.get("type") == "installationUpdate":
        return activity.get("action") == "add"
    if activity.get("type") == "conversationUpdate":
        bot_id = _text(_mapping(activity, "recipient"), "id")
        return any(member.get("id") == bot_id for member in _accounts(activity, "membersAdded"))
    return False


def is_removal(activity: Activity) -> bool:
    """Whether Ritme was just removed from the activity's conversation (uninstalled there)."""
    if activity.get("type") == "installationUpdate":
        return activity.get("action") == "remove"
    if activity.get("type") == "conversationUpdate":
        bot_id = _text(_mapping(activity, "recipient"), "id")
        return any(member.get("id") == bot_id for member in _accounts(activity, "membersRemoved"))
    return False


def conversation_ref(activity: Activity, *, updated_at: datetime) -> ConversationRef:
    """What Ritme keeps to reach the activity's conversation later, without being spoken to first."""
    kind = conversation_kind(activity)
    team = _channel_data(activity).get("team")
    team = team if isinstance(team, Mapping) else {}
    team_id = team.get("id")
    return ConversationRef(
        tenant_id=tenant_id(activity),
        conversation_id=conversation_channel(activity),
        service_url=_text(activity, "serviceUrl"),
        bot_id=_text(_mapping(activity, "recipient"), "id"),
        kind=kind,
        user_id=_text(_mapping(activity, "from"), "id") if kind == "personal" else None,
        team_id=team_id if isinstance(team_id, str) and team_id else None,
        team_name=platform_name(str(team.get("name") or "")),
        channel_name=platform_name(channel_name(activity)),
        updated_at=updated_at,
    )


def sender(activity: Activity) -> Actor:
    """Who sent the activity: their Teams id and name in the tenant, with the client's locale and time zone."""
    who = _mapping(activity, "from")
    locale = activity.get("locale")
    return Actor(
        platform=PLATFORM,
        workspace_id=tenant_id(activity),
        user_id=_text(who, "id"),
        display_name=_name(who),
        locale=locale if isinstance(locale, str) and locale else None,
        timezone=client_timezone(activity),
    )


def tenant_id(activity: Activity) -> str:
    """The Entra tenant the activity comes from (channelData.tenant.id, else conversation.tenantId)."""
    tenant = _channel_data(activity).get("tenant")
    if isinstance(tenant, Mapping) and isinstance(tenant.get("id"), str) and tenant["id"]:
        return str(tenant["id"])
    return _text(_mapping(activity, "conversation"), "tenantId")


def client_timezone(activity: Activity) -> str | None:
    """The IANA zone of the member's Teams client (a clientInfo entity's `timezone`, or `localTimezone`)."""
    for info in _entities(activity, "clientInfo"):
        zone = info.get("timezone")
        if isinstance(zone, str) and zone:
            return zone
    zone = activity.get("localTimezone")
    return zone if isinstance(zone, str) and zone else None


def conversation_kind(activity: Activity) -> ConversationKind:
    """Personal chat, team channel or group chat."""
    conversation = _mapping(activity, "conversation")
    kind = conversation.get("conversationType")
    for known in _KINDS:
        if kind == known:
            return known
    if isinstance(_channel_data(activity).get("team"), Mapping):
        return "channel"
    return "groupChat" if conversation.get("isGroup") else "personal"


def conversation_channel(activity: Activity) -> str:
    """The conversation's id without a thread's ";messageid=...": the channel, group chat or personal chat."""
    return channel_of_conversation(_text(_mapping(activity, "conversation"), "id"))


def channel_name(activity: Activity) -> str:
    """The channel's name; the team's for its General channel (which Teams sends without a name); a group chat's
    topic; "" for a personal chat."""
    channel_id = conversation_channel(activity)
    data = _channel_data(activity)
    channel, team = data.get("channel"), data.get("team")
    # A conversationUpdate about another channel (channelCreated, channelRenamed) names that one, not this one.
    if isinstance(channel, Mapping) and channel.get("id") == channel_id and channel.get("name"):
        return str(channel["name"])
    if isinstance(team, Mapping) and team.get("id") == channel_id and team.get("name"):
        return str(team["name"])
    if conversation_kind(activity) == "groupChat":
        return str(_mapping(activity, "conversation").get("name") or "")
    return ""


def _plain_text(activity: Activity) -> str:
    text = activity.get("text")
    return text.strip() if isinstance(text, str) else ""


def _delivery_id(value: object) -> int:
    # Card data may come back as a number or as the string the card was given.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise MalformedActivity("a form's data names no delivery")


def _input_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # Input.Toggle without explicit values
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise MalformedActivity("a card input is not text")


def _name(account: Activity) -> str:
    name = account.get("name")
    return name if isinstance(name, str) else ""


def _accounts(activity: Activity, name: str) -> Sequence[Activity]:
    accounts = activity.get(name)
    if not isinstance(accounts, list):
        return []
    return [account for account in accounts if isinstance(account, Mapping)]


def _entities(activity: Activity, kind: str) -> list[Activity]:
    found = activity.get("entities")
    if not isinstance(found, list):
        return []
    return [entity for entity in found if isinstance(entity, Mapping) and entity.get("type") == kind]


def _channel_data(activity: Activity) -> Activity:
    data = activity.get("channelData")
    return data if isinstance(data, Mapping) else {}


def _mapping(activity: Activity, name: str) -> Activity:
    value = activity.get(name)
    if not isinstance(value, Mapping):
        raise MalformedActivity(f"the activity has no {name!r} object")
    return value


def _text(activity: Activity, name: str) -> str:
    value = activity.get(name)
    if not isinstance(value, str) or not value:
        raise MalformedActivity(f"the activity has no {name!r}")
    return value
