"""What happens in the browser chat -> the engine's inbound events, as pure functions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from adapters.local.platform import PLATFORM, LocalChannel, LocalUser
from rituals.events import (
    Actor,
    AnswerSubmitted,
    ButtonClicked,
    CommandInvoked,
    MemberSeen,
)


def actor_for(user: LocalUser, *, workspace_id: str) -> Actor:
    """The engine's view of a local member."""
    return Actor(
        platform=PLATFORM,
        workspace_id=workspace_id,
        user_id=user.user_id,
        display_name=user.display_name,
        locale=user.locale,
        timezone=user.timezone,
    )


def scoped_event_id(user: LocalUser, event_id: str) -> str:
    """A browser-chosen event id, made unique per member.

    The engine dedupes events per platform by id, and browsers choose their own ids; unscoped, one member reusing
    another's id (by chance or on purpose) would have the second member's command dropped as a duplicate.
    """
    return f"{user.user_id}:{event_id}"


def command_invoked(
    user: LocalUser,
    *,
    workspace_id: str,
    conversation: str,
    channel: LocalChannel | None,
    text: str,
    event_id: str,
    received_at: datetime,
) -> CommandInvoked:
    """A command typed in a channel (`channel` set) or in the member's DM (`channel` None).

    `event_id` is the browser's; the event carries it scoped to the member (see `scoped_event_id`).
    """
    # A DM has no channel id of its own on this platform, so the conversation id ("dm:<user>") stands in.
    return CommandInvoked(
        event_id=scoped_event_id(user, event_id),
        actor=actor_for(user, workspace_id=workspace_id),
        received_at=received_at,
        channel_id=conversation if channel is None else channel.channel_id,
        channel_name="" if channel is None else channel.name,
        direct=channel is None,
        text=text,
    )


def answer_submitted(
    user: LocalUser,
    *,
    workspace_id: str,
    delivery_id: int,
    values: Iterable[str],
    event_id: str,
    received_at: datetime,
) -> AnswerSubmitted:
    """A submitted form; `event_id` is the browser's, scoped to the member like a command's."""
    return AnswerSubmitted(
        event_id=scoped_event_id(user, event_id),
        actor=actor_for(user, workspace_id=workspace_id),
        received_at=received_at,
        delivery_id=delivery_id,
        values=tuple(values),
    )


def button_clicked(
    user: LocalUser, *, workspace_id: str, action: str, value: str, event_id: str, received_at: datetime
) -> ButtonClicked:
    """A pressed button; `event_id` is the browser's, scoped to the member like a command's."""
    return ButtonClicked(
        event_id=scoped_event_id(user, event_id),
        actor=actor_for(user, workspace_id=workspace_id),
        received_at=received_at,
        action=action,
        value=value,
    )


def member_seen(
    user: LocalUser, channel: LocalChannel, *, workspace_id: str, event_id: str, received_at: datetime
) -> MemberSeen:
    """A member belongs to a team channel (every local member is in every local channel)."""
    return MemberSeen(
        event_id=event_id,
        actor=actor_for(user, workspace_id=workspace_id),
        received_at=received_at,
        channel_id=channel.channel_id,
        channel_name=channel.name,
    )


def members_seen(
    users: Sequence[LocalUser], channels: Sequence[LocalChannel], *, workspace_id: str, received_at: datetime
) -> list[MemberSeen]:
    """MemberSeen for every member in every channel, e.g. to introduce seeded members to the engine at startup."""
    # The time is part of the id: the same member announced again after a restart (maybe renamed) is news.
    stamp = received_at.isoformat()
    return [
        member_seen(
            user,
            channel,
            workspace_id=workspace_id,
            event_id=f"local:seen:{channel.channel_id}:{user.user_id}:{stamp}",
            received_at=received_at,
        )
        for channel in channels
        for user in users
    ]
