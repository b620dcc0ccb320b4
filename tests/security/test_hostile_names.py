"""Names a platform sends (a member's, a channel's, a Teams team's) with NUL, bidi marks or more characters than a
column holds: kept without the invisible characters and cut to a storable length, on SQLite and PostgreSQL, so the
member is still let in and no insert fails."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from adapters.slack.profiles import profile_from_user, with_profile
from adapters.teams.translate import command_invoked, conversation_ref, members_seen
from rituals.events import Actor
from rituals.ports import MemberDefaults
from rituals.text_safety import MAX_PLATFORM_NAME
from storage.repository import SqlStore

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
# Entra ID lets a display name run to 256 characters; this one also hides a NUL and a right-to-left override.
LONG_NAME = "Ann\x00a \u202eDe Vries " + "x" * 300
TENANT = "tenant-1"


def _activity(kind: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": kind, "id": "a1", "serviceUrl": "https://smba.example/", "text": "help",
        "from": {"id": "29:ann", "name": LONG_NAME}, "recipient": {"id": "28:ritme", "name": "Ritme"},
        "conversation": {"id": "19:general@thread.tacv2", "conversationType": "channel", "tenantId": TENANT},
        "channelData": {"tenant": {"id": TENANT}, "team": {"id": "19:general@thread.tacv2", "name": LONG_NAME},
                        "channel": {"id": "19:general@thread.tacv2", "name": "\u202e" + "c" * 400}},
        **extra,
    }


def _storable(name: str) -> bool:
    return len(name) <= MAX_PLATFORM_NAME and "\x00" not in name and "\u202e" not in name


async def test_hostile_platform_names_are_kept_visible_and_storable(store: SqlStore) -> None:
    command = command_invoked(_activity("message"), received_at=NOW)
    seen = members_seen(_activity("conversationUpdate", membersAdded=[{"id": "29:ben", "name": LONG_NAME}]),
                        received_at=NOW)
    reference = conversation_ref(_activity("message"), updated_at=NOW)
    slack = with_profile(Actor(platform="slack", workspace_id="T1", user_id="U1"),
                         profile_from_user({"profile": {"display_name": LONG_NAME}}))
    assert command.actor.display_name.startswith("Anna De Vries xxx")  # readable, only the invisible ones gone
    names = [command.actor.display_name, command.channel_name, reference.team_name, reference.channel_name,
             slack.display_name, *(event.actor.display_name for event in seen)]
    assert all(_storable(name) for name in names), names

    for actor in (command.actor, slack):
        member = await store.upsert_member(actor.platform, actor.workspace_id, actor.user_id, actor.display_name,
                                           MemberDefaults(timezone="UTC", locale="en"))
        assert member.display_name == actor.display_name
    team = await store.upsert_team("teams", TENANT, command.channel_id, command.channel_name)
    assert team.name == command.channel_name
