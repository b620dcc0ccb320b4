"""The demo: a small team in four time zones with a morning stand-up, ready to run in the browser chat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from adapters.local import LocalUser
from bot.wiring import LOCAL_TEAM_CHANNEL, Ritme
from rituals.catalog import Catalog
from rituals.model import RitualKind, Role, StandupSettings
from rituals.outbound import ChannelAddress, ChannelPost, Text
from rituals.ports import MemberChanges, MemberDefaults, NewRitual

ALL_WEEK = (0, 1, 2, 3, 4, 5, 6)


@dataclass(frozen=True)
class DemoPerson:
    """Someone in the demo team."""

    user_id: str
    name: str
    timezone: str
    locale: str
    always_available: bool
    manager: bool = False


DEMO_TEAM = (
    DemoPerson("anna", "Anna de Vries", "Europe/Amsterdam", "nl", always_available=True, manager=True),
    DemoPerson("ben", "Ben Carter", "Europe/London", "en", always_available=True),
    DemoPerson("lucas", "Lucas Oliveira", "America/Sao_Paulo", "en", always_available=True),
    # Priya keeps ordinary hours, so outside them the demo shows Ritme leaving her alone.
    DemoPerson("priya", "Priya Nair", "Asia/Kolkata", "en", always_available=False),
)


def welcome(ritme: Ritme) -> ChannelPost:
    """The channel post that tells a newcomer what to try first."""
    text = Catalog().text(ritme.settings.default_locale, "demo.welcome")
    to = ChannelAddress(platform=ritme.local.platform, workspace_id=ritme.local.workspace_id,
                        channel_id=LOCAL_TEAM_CHANNEL)
    return ChannelPost(key="demo-welcome", to=to, text=Text.plain(text))


async def seed_demo(ritme: Ritme) -> None:
    """Create the demo team and its stand-up; running it twice changes nothing."""
    store, local = ritme.store, ritme.local
    team = await store.upsert_team(local.platform, local.workspace_id, LOCAL_TEAM_CHANNEL, LOCAL_TEAM_CHANNEL)
    manager_id = None
    for person in DEMO_TEAM:
        member = await store.upsert_member(
            local.platform,
            local.workspace_id,
            person.user_id,
            person.name,
            MemberDefaults(timezone=person.timezone, locale=person.locale),
        )
        if person.always_available:
            # The demo must work whenever a newcomer tries it, weekends and evenings included.
            await store.update_member(
                member.id, MemberChanges(work_days=ALL_WEEK, work_start=time(0, 0), work_end=time(23, 59))
            )
        await store.join_team(team.id, member.id)
        if person.manager:
            await store.set_role(team.id, member.id, Role.MANAGER)
            manager_id = member.id
        if person.user_id not in {user.user_id for user in local.users()}:
            local.add_user(
                LocalUser(user_id=person.user_id, display_name=person.name, timezone=person.timezone,
                          locale=person.locale)
            )
    if not await store.rituals(team.id) and manager_id is not None:
        await store.add_ritual(
            NewRitual(
                team_id=team.id,
                kind=RitualKind.STANDUP,
                at=time(9, 30),
                days=(0, 1, 2, 3, 4),
                timezone="Europe/Amsterdam",
                locale="en",
                settings=StandupSettings(template="morning", digest_at=time(11, 0)),
                created_by=manager_id,
            )
        )
