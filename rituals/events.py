"""Inbound events: what an adapter tells the engine, in words no platform owns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rituals.text_safety import platform_name


@dataclass(frozen=True, kw_only=True)
class Actor:
    """Who did something, as the platform names them."""

    platform: str
    workspace_id: str
    user_id: str
    display_name: str = ""
    locale: str | None = None
    timezone: str | None = None

    def __post_init__(self) -> None:
        # Every adapter's names pass here on their way to the members table, so one place keeps them storable.
        object.__setattr__(self, "display_name", platform_name(self.display_name))


@dataclass(frozen=True, kw_only=True)
class InboundEvent:
    """Fields every inbound event carries; event_id lets a platform retry be recognised."""

    event_id: str
    actor: Actor
    received_at: datetime


@dataclass(frozen=True, kw_only=True)
class CommandInvoked(InboundEvent):
    """A member typed `/ritme ...` (or @mentioned the bot) in a team channel or a DM."""

    channel_id: str
    channel_name: str = ""
    direct: bool = False
    text: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "channel_name", platform_name(self.channel_name))


@dataclass(frozen=True, kw_only=True)
class AnswerSubmitted(InboundEvent):
    """A member submitted the form of a prompt they received."""

    delivery_id: int
    values: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class ButtonClicked(InboundEvent):
    """A member pressed a button the bot sent."""

    action: str
    value: str


@dataclass(frozen=True, kw_only=True)
class MemberSeen(InboundEvent):
    """A member is known to belong to a team channel (joined it, or was listed in it)."""

    channel_id: str
    channel_name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "channel_name", platform_name(self.channel_name))


@dataclass(frozen=True, kw_only=True)
class HomeOpened(InboundEvent):
    """A member opened their personal overview (Slack's App Home tab); the engine answers with a HomeView."""
