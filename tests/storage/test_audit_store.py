"""SqlAuditLog on SQLite and PostgreSQL: newest first, paged by time, trimmed details, current names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rituals.audit import DETAIL_MAX
from rituals.ports import MemberDefaults
from storage.audit import SqlAuditLog
from storage.repository import SqlStore

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def test_entries_come_back_newest_first_paged_before_a_moment_per_team(store: SqlStore) -> None:
    log = SqlAuditLog(store.engine)
    defaults = MemberDefaults(timezone="Europe/Amsterdam", locale="en")
    anna = await store.upsert_member("slack", "T1", "U1", "Anna", defaults)
    team = await store.upsert_team("slack", "T1", "C1", "general")
    other = await store.upsert_team("slack", "T1", "C2", "random")
    for minute in range(5):
        await log.record(team_id=team.id, actor_member_id=anna.id, source="chat", action="standup.pause",
                         detail=f"standup pause {minute}", at=T0 + timedelta(minutes=minute))
    await log.record(team_id=other.id, actor_member_id=None, source="web", action="core.off", detail="", at=T0)
    # Two changes in the same instant keep the order they were made in.
    await log.record(team_id=team.id, actor_member_id=anna.id, source="web", action="standup.resume",
                     detail="first", at=T0 + timedelta(minutes=9))
    await log.record(team_id=team.id, actor_member_id=anna.id, source="web", action="standup.delete",
                     detail="second", at=T0 + timedelta(minutes=9))

    latest = await log.recent(team.id, 3)
    assert [e.detail for e in latest] == ["second", "first", "standup pause 4"]
    assert latest[0].at == T0 + timedelta(minutes=9) and latest[0].source == "web"
    page = await log.recent(team.id, 3, before=latest[-1].at)
    assert [e.detail for e in page] == ["standup pause 3", "standup pause 2", "standup pause 1"]
    assert [e.action for e in await log.recent(other.id, 10)] == ["core.off"]

    # The actor's name is read when the log is, so a renamed member shows under their current name.
    await store.upsert_member("slack", "T1", "U1", "Anna B.", defaults)
    assert {e.actor_name for e in await log.recent(team.id, 10)} == {"Anna B."}
    assert (await log.recent(other.id, 1))[0].actor_name is None


async def test_a_detail_is_kept_on_one_line_and_trimmed(store: SqlStore) -> None:
    log = SqlAuditLog(store.engine)
    team = await store.upsert_team("slack", "T1", "C1", "general")
    await log.record(team_id=team.id, actor_member_id=None, source="chat", action="standup.create",
                     detail="standup create\n  questions " + "x" * 2000, at=T0)
    [entry] = await log.recent(team.id, 1)
    assert len(entry.detail) == DETAIL_MAX
    assert entry.detail.startswith("standup create questions xxx") and entry.detail.endswith("…")


async def test_pages_follow_an_entry_so_changes_made_in_one_instant_are_neither_lost_nor_repeated(
    store: SqlStore,
) -> None:
    log = SqlAuditLog(store.engine)
    team = await store.upsert_team("slack", "T1", "C1", "general")
    other = await store.upsert_team("slack", "T1", "C2", "random")
    for n in range(5):  # all in one instant: a page edge falls between entries with the same time
        await log.record(team_id=team.id, actor_member_id=None, source="web", action="standup.time",
                         detail=f"change {n}", at=T0)
    await log.record(team_id=team.id, actor_member_id=None, source="chat", action="standup.create",
                     detail="earliest", at=T0 - timedelta(hours=1))
    await log.record(team_id=other.id, actor_member_id=None, source="chat", action="core.off", detail="x", at=T0)

    seen: list[str] = []
    page = await log.recent(team.id, 2)
    while page:
        seen += [e.detail for e in page]
        page = await log.recent(team.id, 2, older_than=page[-1].id)
    assert seen == ["change 4", "change 3", "change 2", "change 1", "change 0", "earliest"]
    # Another team's entry is no place to page on from: nothing comes back, not that team's entries either.
    [foreign] = await log.recent(other.id, 1)
    assert await log.recent(team.id, 10, older_than=foreign.id) == []
    assert await log.recent(team.id, 10, older_than=foreign.id + 100) == []
