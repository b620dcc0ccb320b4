"""The Bot Connector service as Ritme uses it: the one interface between Ritme's Teams code and Microsoft's API."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from adapters.teams.references import ConversationRef


@dataclass(frozen=True, kw_only=True)
class RosterMember:
    """A member of a team or chat as the connector lists them."""

    user_id: str  # "29:..."
    name: str
    aad_object_id: str | None = None
    locale: str | None = None


class TeamsConnector(Protocol):
    """Calls to the Bot Connector service (the far side Ritme's tests fake on a loopback port)."""

    async def send(self, ref: ConversationRef, activity: Mapping[str, Any], *, reply_to: str | None = None) -> str:
        """Post an activity into the conversation (as a reply in the thread of `reply_to`); the new activity's id."""
        ...

    async def update(self, ref: ConversationRef, activity_id: str, activity: Mapping[str, Any]) -> None:
        """Replace an activity Ritme posted earlier (a prompt card by its "thanks, answered" card)."""
        ...

    async def create_personal(self, tenant_id: str, service_url: str, bot_id: str, user_id: str) -> ConversationRef:
        """Open (or find) the personal chat between the bot and a member."""
        ...

    async def members(self, ref: ConversationRef) -> Sequence[RosterMember]:
        """The members of the team (for a channel reference) or of the chat."""
        ...
