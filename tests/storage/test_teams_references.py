"""Teams conversation references on both databases: refresh, lookups, stale refreshes, forgetting."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from adapters.teams.references import ConversationRef
from storage.database import create_engine
from storage.teams_references import SqlConversationReferences

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
EMEA = "https://smba.trafficmanager.net/emea/"


@pytest.fixture
async def refs(database_url: str) -> AsyncIterator[SqlConversationReferences]:
    engine = create_engine(database_url)
    try:
        yield SqlConversationReferences(engine)
    finally:
        await engine.dispose()


def personal(user: str, *, tenant: str = "tenant-a", at: datetime = T0, conversation: str = "") -> ConversationRef:
    return ConversationRef(
        tenant_id=tenant,
        conversation_id=conversation or f"a:1{user}",
        service_url=EMEA,
        bot_id="28:app",
        kind="personal",
        user_id=f"29:{user}",
        updated_at=at,
    )


def channel(*, tenant: str = "tenant-a", at: datetime = T0, team_name: str = "Platform") -> ConversationRef:
    return ConversationRef(
        tenant_id=tenant,
        conversation_id="19:general@thread.tacv2",
        service_url=EMEA,
        bot_id="28:app",
        kind="channel",
        team_id="19:general@thread.tacv2",
        team_name=team_name,
        channel_name="General",
        updated_at=at,
    )


async def test_a_reference_is_found_by_conversation_and_by_its_member(refs: SqlConversationReferences) -> None:
    ada = personal("ada")
    await refs.remember(ada)
    assert await refs.conversation("tenant-a", "a:1ada") == ada
    assert await refs.personal("tenant-a", "29:ada") == ada
    assert await refs.personal("tenant-a", "29:bram") is None
    assert await refs.conversation("tenant-b", "a:1ada") is None  # tenants never mix
    assert await refs.personal("tenant-b", "29:ada") is None


async def test_a_refresh_takes_the_new_service_url_but_keeps_names_it_did_not_bring(
    refs: SqlConversationReferences,
) -> None:
    await refs.remember(channel())
    moved = replace(
        channel(at=T0 + timedelta(hours=1), team_name=""),
        service_url="https://smba.trafficmanager.net/amer/",
        channel_name="",
        team_id=None,
    )
    await refs.remember(moved)
    found = await refs.conversation("tenant-a", "19:general@thread.tacv2")
    assert found is not None
    assert found.service_url == "https://smba.trafficmanager.net/amer/"
    assert (found.team_name, found.channel_name, found.team_id) == ("Platform", "General", "19:general@thread.tacv2")
    assert found.updated_at == T0 + timedelta(hours=1)


async def test_a_stale_refresh_from_a_slower_replica_changes_nothing(refs: SqlConversationReferences) -> None:
    fresh = replace(personal("ada", at=T0 + timedelta(minutes=5)), service_url="https://smba.trafficmanager.net/amer/")
    await refs.remember(fresh)
    await refs.remember(personal("ada", at=T0))
    assert await refs.personal("tenant-a", "29:ada") == fresh


async def test_the_freshest_reference_of_a_tenant_lends_its_service_url(refs: SqlConversationReferences) -> None:
    assert await refs.any_in_tenant("tenant-a") is None
    await refs.remember(personal("ada", at=T0))
    await refs.remember(channel(at=T0 + timedelta(minutes=2)))
    await refs.remember(personal("bram", at=T0 + timedelta(minutes=1)))
    await refs.remember(personal("cas", tenant="tenant-b", at=T0 + timedelta(hours=1)))
    newest = await refs.any_in_tenant("tenant-a")
    assert newest is not None and newest.kind == "channel"


async def test_the_freshest_of_two_personal_chats_wins(refs: SqlConversationReferences) -> None:
    await refs.remember(personal("ada", at=T0, conversation="a:1old"))
    await refs.remember(personal("ada", at=T0 + timedelta(days=1), conversation="a:1new"))
    found = await refs.personal("tenant-a", "29:ada")
    assert found is not None and found.conversation_id == "a:1new"


async def test_a_forgotten_reference_is_gone_and_others_stay(refs: SqlConversationReferences) -> None:
    await refs.remember(personal("ada"))
    await refs.remember(channel())
    await refs.forget("tenant-a", "19:general@thread.tacv2")
    assert await refs.conversation("tenant-a", "19:general@thread.tacv2") is None
    assert await refs.personal("tenant-a", "29:ada") is not None
    await refs.forget("tenant-a", "19:never-known@thread.tacv2")  # forgetting twice or unknown is fine
    ref = await refs.any_in_tenant("tenant-a")
    assert ref is not None and ref.kind == "personal"


async def test_long_personal_chat_ids_and_aware_times_survive_the_round_trip(refs: SqlConversationReferences) -> None:
    long_id = "a:1" + "x" * 300
    local = datetime(2026, 11, 23, 10, 0, tzinfo=UTC).astimezone()  # any aware time comes back in UTC
    await refs.remember(personal("ada", conversation=long_id, at=local))
    found = await refs.conversation("tenant-a", long_id)
    assert found is not None
    assert found.updated_at == local and found.updated_at.tzinfo is not None
