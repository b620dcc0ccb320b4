"""Slack payloads (slash commands, block_actions, view_submission, Events API) -> the engine's events.

Pure functions over the parsed bodies bolt hands its listeners. Each event gets an id that is the same for every
delivery of one Slack request (Slack's retries, a proxy's resend) and different for anything a member did again:

- Events API: Slack's own `event_id`, which its retries (X-Slack-Retry-Num) keep; scoped by app and team.
- Slash command, button, modal submission: no event id exists, but each carries a `trigger_id` Slack mints per
  interaction, so a member running the same command twice gets two, while a resent request keeps its own.
  Buttons add the action's `action_ts`, modals the view id, which also tell apart two interactions should a
  trigger id ever repeat.

Ids stay well under the 255 characters the inbound ledger keeps.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from adapters.slack.protocol import (
    ANSWER_ACTION,
    BUTTON_ACTION_PATTERN,
    FIELD_BLOCK_PREFIX,
    PLATFORM,
)
from rituals.events import Actor, AnswerSubmitted, ButtonClicked, CommandInvoked, HomeOpened, MemberSeen
from rituals.standup import EDIT_ACTION

Body = Mapping[str, Any]

DM_CHANNEL_NAME = "directmessage"


class MalformedPayload(ValueError):
    """A payload lacks something Ritme needs; it is acknowledged and ignored, as Slack's retry would be the same."""


def is_direct(channel_id: str, channel_name: str) -> bool:
    """Whether a slash command was run in a direct message rather than a team channel."""
    return channel_id.startswith("D") or channel_name == DM_CHANNEL_NAME


def command_event_id(body: Body) -> str:
    """The id of a slash command: its team and its trigger id."""
    return f"cmd:{_text(body, 'team_id')}:{_text(body, 'trigger_id')}"


def action_event_id(body: Body) -> str:
    """The id of a button press: its team, its trigger id and the action's time stamp."""
    return f"act:{interaction_team_id(body)}:{_text(body, 'trigger_id')}:{_text(_first_action(body), 'action_ts')}"


def submission_event_id(body: Body) -> str:
    """The id of a modal submission: its team, the view and the submission's trigger id."""
    view = _mapping(body, "view")
    return f"sub:{interaction_team_id(body)}:{_text(view, 'id')}:{_text(body, 'trigger_id')}"


def callback_event_id(body: Body) -> str:
    """The id of an Events API callback: the app, the team and Slack's event id."""
    return f"evt:{_text(body, 'api_app_id')}:{_text(body, 'team_id')}:{_text(body, 'event_id')}"


def interaction_team_id(body: Body) -> str:
    """The workspace of an interaction payload (block_actions, view_submission)."""
    team = body.get("team")
    if isinstance(team, Mapping) and isinstance(team.get("id"), str) and team["id"]:
        return str(team["id"])
    # An org-wide app can get interactions without `team`; the member's own workspace then stands in.
    return _text(_mapping(body, "user"), "team_id")


def command_invoked(body: Body, *, received_at: datetime) -> CommandInvoked:
    """A slash command's form post as a CommandInvoked; `text` is what followed the command."""
    channel_id = _text(body, "channel_id")
    channel_name = str(body.get("channel_name") or "")
    return CommandInvoked(
        event_id=command_event_id(body),
        actor=_actor(_text(body, "team_id"), _text(body, "user_id"), str(body.get("user_name") or "")),
        received_at=received_at,
        channel_id=channel_id,
        channel_name=channel_name,
        direct=is_direct(channel_id, channel_name),
        text=unescape_command_text(str(body.get("text") or "")).strip(),
    )


def unescape_command_text(text: str) -> str:
    """A slash command's text as the member typed it: Slack sends `&`, `<` and `>` as `&amp;`, `&lt;` and `&gt;`
    (its formatting escapes), so a label like "R&D" would otherwise be stored, and shown, as "R&amp;D"."""
    # `&amp;` last: "&amp;lt;" is a typed "&lt;", not "<".
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def button_clicked(body: Body, *, received_at: datetime) -> ButtonClicked:
    """A block_actions payload of one of Ritme's buttons as a ButtonClicked.

    The "Answer" button of a prompt asks for the form again, just like the engine's own edit button; the engine
    then answers with the member's form, which the outbox opens as a modal.
    """
    action = _first_action(body)
    action_id = _text(action, "action_id")
    value = _text(action, "value", allow_empty=True)
    if action_id == ANSWER_ACTION:
        if not value.isdigit():
            raise MalformedPayload(f"the Answer button carries {value[:40]!r}, not a delivery id")
        kind, argument = EDIT_ACTION, value
    elif BUTTON_ACTION_PATTERN.match(action_id):
        kind, argument = _button_value(value)
    else:
        raise MalformedPayload(f"{action_id[:60]!r} is not one of Ritme's buttons")
    user = _mapping(body, "user")
    return ButtonClicked(
        event_id=action_event_id(body),
        actor=_actor(interaction_team_id(body), _text(user, "id"), _user_name(user)),
        received_at=received_at,
        action=kind,
        value=argument,
    )


def answer_submitted(body: Body, *, received_at: datetime) -> AnswerSubmitted:
    """A view_submission of a form's modal as an AnswerSubmitted, its values in the order of the questions."""
    view = _mapping(body, "view")
    try:
        metadata = json.loads(_text(view, "private_metadata"))
        delivery_id = metadata["delivery_id"]
    except (ValueError, TypeError, KeyError):
        raise MalformedPayload("the modal's private_metadata names no delivery") from None
    if not isinstance(delivery_id, int) or isinstance(delivery_id, bool):
        raise MalformedPayload("the modal's delivery id is not a number")
    state = _mapping(_mapping(view, "state"), "values")
    values: list[str] = []
    # The view's blocks keep the order the questions were asked in; the state's keys need not.
    for block_id in _field_block_ids(view):
        inputs = state.get(block_id)
        element = next(iter(inputs.values()), None) if isinstance(inputs, Mapping) else None
        values.append(_input_value(element))
    user = _mapping(body, "user")
    return AnswerSubmitted(
        event_id=submission_event_id(body),
        actor=_actor(interaction_team_id(body), _text(user, "id"), _user_name(user)),
        received_at=received_at,
        delivery_id=delivery_id,
        values=tuple(values),
    )


def member_seen(body: Body, *, received_at: datetime) -> MemberSeen:
    """A `member_joined_channel` event as a MemberSeen; Slack sends no channel name with it."""
    event = _mapping(body, "event")
    if event.get("type") != "member_joined_channel":
        raise MalformedPayload(f"{str(event.get('type'))[:60]!r} is not a member_joined_channel event")
    team_id = str(event.get("team") or "") or _text(body, "team_id")
    return MemberSeen(
        event_id=callback_event_id(body),
        actor=_actor(team_id, _text(event, "user"), ""),
        received_at=received_at,
        channel_id=_text(event, "channel"),
    )


def home_opened(body: Body, *, received_at: datetime) -> HomeOpened:
    """An `app_home_opened` event of the Home tab as a HomeOpened; the Messages tab is no overview, so malformed."""
    event = _mapping(body, "event")
    if event.get("type") != "app_home_opened":
        raise MalformedPayload(f"{str(event.get('type'))[:60]!r} is not an app_home_opened event")
    if event.get("tab") != "home":
        raise MalformedPayload(f"app_home_opened of the {str(event.get('tab'))[:20]!r} tab, not the Home tab")
    return HomeOpened(
        event_id=callback_event_id(body),
        actor=_actor(_text(body, "team_id"), _text(event, "user"), ""),
        received_at=received_at,
    )


def _input_value(element: object) -> str:
    """What a member answered in one modal input: the text typed, or the value of the option picked."""
    if not isinstance(element, Mapping):
        return ""
    if "selected_option" in element:
        # Radio buttons and menus send the option picked (its value is the answer), or None when none was.
        option = element["selected_option"]
        value = option.get("value") if isinstance(option, Mapping) else None
    else:
        value = element.get("value")
    # An optional input left empty comes back as None (or not at all): an empty answer.
    return value if isinstance(value, str) else ""


def _field_block_ids(view: Body) -> list[str]:
    blocks = view.get("blocks")
    if not isinstance(blocks, list):
        raise MalformedPayload("the modal's view has no blocks")
    return [
        block["block_id"]
        for block in blocks
        if isinstance(block, Mapping)
        and block.get("type") == "input"
        and isinstance(block.get("block_id"), str)
        and block["block_id"].startswith(FIELD_BLOCK_PREFIX)
    ]


def _actor(team_id: str, user_id: str, name: str) -> Actor:
    # Time zone and locale are not in any payload; the app adds them from the member's profile after the ack.
    return Actor(platform=PLATFORM, workspace_id=team_id, user_id=user_id, display_name=name)


def _user_name(user: Body) -> str:
    return str(user.get("name") or user.get("username") or "")


def _button_value(value: str) -> tuple[str, str]:
    try:
        decoded = json.loads(value)
    except ValueError:
        raise MalformedPayload("a button's value is not JSON") from None
    if not isinstance(decoded, Mapping) or not isinstance(decoded.get("action"), str):
        raise MalformedPayload('a button\'s value is not {"action", "value"}')
    argument = decoded.get("value", "")
    return decoded["action"], argument if isinstance(argument, str) else ""


def _first_action(body: Body) -> Body:
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions or not isinstance(actions[0], Mapping):
        raise MalformedPayload("a block_actions payload without actions")
    return actions[0]


def _mapping(body: Body, name: str) -> Body:
    value = body.get(name)
    if not isinstance(value, Mapping):
        raise MalformedPayload(f"the payload has no {name!r} object")
    return value


def _text(body: Body, name: str, *, allow_empty: bool = False) -> str:
    value = body.get(name)
    if not isinstance(value, str) or (not value and not allow_empty):
        raise MalformedPayload(f"the payload has no {name!r}")
    return value
