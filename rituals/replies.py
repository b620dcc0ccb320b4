"""Addresses and private replies: what every part of the engine uses to answer a member or post to a team."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rituals.catalog import Catalog
from rituals.events import CommandInvoked
from rituals.model import Member, Role, Team
from rituals.outbound import ChannelAddress, MemberAddress, Message, Prompt, Text
from rituals.ports import Store


def address_of(member: Member) -> MemberAddress:
    """Where a member's private messages go."""
    return MemberAddress(platform=member.platform, workspace_id=member.workspace_id, user_id=member.user_id)


def channel_of(team: Team) -> ChannelAddress:
    """Where a team's channel posts go."""
    return ChannelAddress(platform=team.platform, workspace_id=team.workspace_id, channel_id=team.channel_id)


@dataclass(frozen=True)
class Reply:
    """Builds the private replies to one command, in the member's language and in the channel they used."""

    catalog: Catalog
    member: Member
    context: ChannelAddress | None

    def __call__(self, key: str, **params: Any) -> Prompt:
        return self.in_locale(self.member.locale, key, **params)

    def in_locale(self, locale: str, key: str, **params: Any) -> Prompt:
        """The reply in a given language (after a member changed theirs)."""
        return self.plain(self.catalog.text(locale, key, **params))

    def plain(self, text: str) -> Prompt:
        """A reply whose text was already put together from the catalog."""
        return self.text(Text.plain(text))

    def text(self, text: Text) -> Prompt:
        """A reply with spans of its own (some of them words people typed)."""
        return Prompt(to=address_of(self.member), text=text, context=self.context)


async def join_channel_team(
    store: Store, member: Member, event: CommandInvoked, *, first: bool, reply: Reply
) -> tuple[Team, list[Message]]:
    """The command's channel as a team with the member in it; made its manager when they are the first to set it up,
    with the reply that tells them so."""
    team = await store.upsert_team(event.actor.platform, event.actor.workspace_id, event.channel_id, event.channel_name)
    await store.join_team(team.id, member.id)  # whoever types in a channel is in it
    if not first:
        return team, []
    await store.set_role(team.id, member.id, Role.MANAGER)
    return team, [reply("manager.first", team=team.name)]
