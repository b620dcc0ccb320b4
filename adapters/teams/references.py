"""Conversation references: what Ritme must keep to message a Teams conversation without being spoken to first.

A reference is remembered when Ritme is installed for a team or a person (installationUpdate, conversationUpdate)
and refreshed by every activity, because the service URL of a tenant can change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

ConversationKind = Literal["personal", "channel", "groupChat"]


@dataclass(frozen=True, kw_only=True)
class ConversationRef:
    """Where and how to reach one Teams conversation proactively: what the Bot Connector service needs."""

    tenant_id: str
    conversation_id: str  # "a:1..." for a personal chat, the channel's "19:...@thread.tacv2" (no ;messageid=)
    service_url: str  # the Bot Connector endpoint for this tenant, e.g. https://smba.trafficmanager.net/emea/
    bot_id: str  # the bot as Teams names it ("28:<app id>"), the `recipient.id` of incoming activities
    kind: ConversationKind
    user_id: str | None = None  # personal: the member ("29:...")
    team_id: str | None = None  # channel: the team, whose roster tells who gets prompts
    team_name: str = ""
    channel_name: str = ""
    updated_at: datetime


class ConversationReferences(Protocol):
    """Where references are kept (storage/teams_references.py in Ritme's database; MemoryReferences in tests)."""

    async def remember(self, ref: ConversationRef) -> None:
        """Store or refresh a reference, keyed by tenant and conversation id."""
        ...

    async def conversation(self, tenant_id: str, conversation_id: str) -> ConversationRef | None:
        """The reference of one conversation."""
        ...

    async def personal(self, tenant_id: str, user_id: str) -> ConversationRef | None:
        """The member's personal chat with Ritme, if one is known."""
        ...

    async def any_in_tenant(self, tenant_id: str) -> ConversationRef | None:
        """The most recently refreshed reference of a tenant: its service URL and bot id open new personal chats."""
        ...

    async def forget(self, tenant_id: str, conversation_id: str) -> None:
        """Drop a reference (Ritme was uninstalled there)."""
        ...


class MemoryReferences:
    """ConversationReferences in memory, for tests and the benchmark."""

    def __init__(self) -> None:
        self.refs: dict[tuple[str, str], ConversationRef] = {}

    async def remember(self, ref: ConversationRef) -> None:
        """Store or refresh a reference, keyed by tenant and conversation id."""
        self.refs[(ref.tenant_id, ref.conversation_id)] = ref

    async def conversation(self, tenant_id: str, conversation_id: str) -> ConversationRef | None:
        """The reference of one conversation."""
        return self.refs.get((tenant_id, conversation_id))

    async def personal(self, tenant_id: str, user_id: str) -> ConversationRef | None:
        """The member's personal chat with Ritme, if one is known."""
        found = [r for r in self.refs.values() if r.tenant_id == tenant_id and r.kind == "personal"
                 and r.user_id == user_id]
        return max(found, key=lambda r: r.updated_at, default=None)

    async def any_in_tenant(self, tenant_id: str) -> ConversationRef | None:
        """The most recently refreshed reference of a tenant."""
        return max((r for r in self.refs.values() if r.tenant_id == tenant_id), key=lambda r: r.updated_at,
                   default=None)

    async def forget(self, tenant_id: str, conversation_id: str) -> None:
        """Drop a reference."""
        self.refs.pop((tenant_id, conversation_id), None)
