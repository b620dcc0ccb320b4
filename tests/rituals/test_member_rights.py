"""The member's data rights: an export holds everything about them and nothing about anyone else; after an erase
their id and platform user id are nowhere in the database, whatever table a row is in."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import JSON, MetaData, String, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.teams.references import ConversationRef
from rituals.catalog import Catalog
from rituals.dashboard import new_secret, secret_hash
from rituals.events import Actor, CommandInvoked
from rituals.member_data import ERASED, FORMAT, MemberData
from rituals.outbound import ChannelAddress, ChannelPost, MemberAddress, Prompt, Text
from rituals.ports import DeliveryFailure, PostedMessage
from storage.audit import SqlAuditLog
from storage.borrel import SqlBorrelStore
from storage.coffee import SqlCoffeeStore
from storage.dashboard import SqlDashboardStore
from storage.failures import SqlFailureLog
from storage.held_messages import SqlHeldMessages
from storage.inbound import SqlInboundLedger
from storage.member_data import KNOWN_MEMBER_COLUMNS, SqlMemberData, member_columns
from storage.message_counts import SqlMessageCounts
from storage.messages import SqlMessageLog
from storage.models import Base
from storage.slack_installations import SqlInstallationStore
from storage.teams_references import SqlConversationReferences
from tests.rituals.harness import MONDAY_0800, Harness, Person, forms, to

WORKSPACE = "T0RITME"


@dataclass
class SlackPerson(Person):
    """A member of a Slack workspace, so the Slack-keyed tables (user tokens, installs) name them too."""

    @property
    def actor(self) -> Actor:
        return Actor(platform="slack", workspace_id=WORKSPACE, user_id=self.user_id, display_name=self.name,
                     timezone=self.timezone, locale=self.locale)


ZOE = SlackPerson("U0ZOE7Q", "Zoë Erasmus")
BEN = SlackPerson("U0BEN42", "Bartholomew Quist")
OTHERS = [SlackPerson(f"U0M{n}XY", f"Member {n}") for n in range(1, 4)]
TEAM = [ZOE, BEN, *OTHERS]


async def _member_id(harness: Harness, person: Person) -> int:
    [member] = await harness.store.find_members("slack", WORKSPACE, person.user_id)
    return member.id


async def _seed(harness: Harness) -> dict[str, int]:
    """Zoë and Ben in every member-linked table: through the engine where a command does it, the stores otherwise."""
    engine = harness.store.engine
    await harness.command(BEN, "standup create at 09:30 on mon-fri")  # Ben sets the channel up: its first manager
    for person in TEAM:
        await harness.join(person)
    await harness.command(BEN, f"manager add {ZOE.user_id}")  # an audit entry naming Zoë, by Ben
    await harness.command(ZOE, "pulse create weekly mon 10:00 open 1d k 3")
    await harness.command(ZOE, "borrel create fri 16:30 https://meet.example/borrel")
    await harness.command(ZOE, "coffee create weekly on mon at 11:00 enrol all")
    await harness.command(ZOE, "standup pause")
    await harness.command(ZOE, "standup resume")

    harness.clock.set(MONDAY_0800 + timedelta(minutes=90))  # Monday 09:30: the stand-up
    sent = await harness.due()
    await harness.answer(ZOE, forms(to(sent, ZOE))[0].delivery_id, ["Rested", "Zoë's own focus", "Nothing"])
    await harness.answer(BEN, forms(to(sent, BEN))[0].delivery_id,
                         ["Good", "Ben's secret plan", f"Waiting on <@{ZOE.user_id}> for a review"])
    harness.clock.set(MONDAY_0800 + timedelta(hours=2))  # Monday 10:00: the pulse round opens and stays open
    sent = await harness.due()
    await harness.answer(ZOE, forms(to(sent, ZOE))[0].delivery_id, ["4", "2", "a comment"])
    await harness.answer(BEN, forms(to(sent, BEN))[0].delivery_id, ["3", "3", f"thanks <@{ZOE.user_id}>!"])

    ids = {person.user_id: await _member_id(harness, person) for person in TEAM}
    zoe, ben = ids[ZOE.user_id], ids[BEN.user_id]
    team = await harness.store.find_team("slack", WORKSPACE, "team")
    assert team is not None
    rituals = {r.kind.value: r for r in await harness.store.rituals(team.id)}

    borrels = SqlBorrelStore(engine)
    start = MONDAY_0800 + timedelta(days=4, hours=8)
    occurrence = await borrels.ensure_occurrence(rituals["borrel"].id, start.date(), starts_at=start,
                                                 ends_at=start + timedelta(minutes=45), invite_at=start,
                                                 remind_at=start)
    for member_id, answer in ((zoe, "join"), (ben, "maybe")):
        await borrels.rsvp(occurrence.id, member_id, answer, harness.clock.now())  # type: ignore[arg-type]
    harness.clock.set(MONDAY_0800 + timedelta(hours=4))  # Monday 11:00: the coffee round pairs everyone
    await harness.due()
    coffee = SqlCoffeeStore(engine)
    await coffee.set_skip(rituals["coffee"].id, zoe, True)
    assert await coffee.member_group(rituals["coffee"].id, zoe) is not None

    counts = SqlMessageCounts(engine)
    for member_id in (zoe, ben):
        await counts.take(member_id, MONDAY_0800.date(), None)
    failures = SqlFailureLog(engine)
    log = SqlMessageLog(engine)
    for person in (ZOE, BEN):
        await failures.record(DeliveryFailure(platform="slack", workspace_id=WORKSPACE, recipient=person.user_id,
                                              kind="form", key="standup-form:1", error="channel_not_found",
                                              failed_at=harness.clock.now()))
        await log.remember(PostedMessage(platform="slack", workspace_id=WORKSPACE, key=f"note:{person.user_id}",
                                         recipient=person.user_id, conversation_id=f"D{person.user_id}",
                                         message_id="1700000000.000100"))
    installs = SqlInstallationStore(engine)
    for person in (ZOE, BEN):
        await installs.async_save(Installation(
            app_id="A1", team_id=WORKSPACE, team_name="Ritme HQ", bot_token="xoxb-bot", bot_id="B1",
            bot_user_id="UBOT", bot_scopes=["commands"], user_id=person.user_id, user_token=f"xoxp-{person.user_id}",
            user_scopes=["users.profile:write"], installed_at=harness.clock.now().timestamp(),
        ))
    await installs.async_save(Installation(  # the workspace's install: Zoë installed it last
        app_id="A1", team_id=WORKSPACE, team_name="Ritme HQ", bot_token="xoxb-bot", bot_id="B1",
        bot_user_id="UBOT", bot_scopes=["commands"], user_id=ZOE.user_id,
        installed_at=harness.clock.now().timestamp(),
    ))
    references = SqlConversationReferences(engine)
    for person in (ZOE, BEN):
        await references.remember(ConversationRef(
            tenant_id=WORKSPACE, conversation_id=f"a:1{person.user_id}", service_url="https://smba.example/",
            bot_id="28:app", kind="personal", user_id=person.user_id, updated_at=harness.clock.now(),
        ))
    # Slack was down: a note to each waits, and a digest that quotes Zoë, and one that does not.
    channel = ChannelAddress(platform="slack", workspace_id=WORKSPACE, channel_id="team")
    await SqlHeldMessages(engine).hold([
        *(Prompt(key=f"standup-reminder:{person.user_id}", text=Text.plain("Answer, please"),
                 to=MemberAddress(platform="slack", workspace_id=WORKSPACE, user_id=person.user_id))
          for person in (ZOE, BEN)),
        ChannelPost(key="standup-digest:1", to=channel, text=Text.plain(f"{ZOE.name}: shipped the release")),
        ChannelPost(key="standup-digest:2", to=channel, text=Text.plain(f"{BEN.name}: reviews")),
    ], harness.clock.now(), harness.clock.now())
    ledger = SqlInboundLedger(engine)
    for person in (ZOE, BEN):
        event = CommandInvoked(event_id=f"Ev{person.user_id}", actor=person.actor, received_at=harness.clock.now(),
                               channel_id="team", channel_name="team", direct=False, text="standup list")
        await ledger.record([event], harness.clock.now())
    # The dashboard: each has a sign-in link not yet followed and a signed-in browser.
    sign_ins = SqlDashboardStore(engine)
    for member_id in (zoe, ben):
        now = harness.clock.now()
        await sign_ins.add_link(secret_hash(new_secret()), member_id, now + timedelta(minutes=5))
        await sign_ins.start_session(secret_hash(new_secret()), member_id, new_secret(), now, now + timedelta(hours=8))
    return ids


async def _dump(harness: Harness) -> dict[str, list[dict[str, Any]]]:
    return await dump_tables(harness.store.engine)


async def dump_tables(engine: AsyncEngine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table the models know, as column -> value."""
    async with engine.connect() as conn:
        return {table.name: [dict(row._mapping) for row in await conn.execute(select(table))]
                for table in Base.metadata.sorted_tables}


def _names_member(table: str, column: str) -> bool:
    return any(c.table.name == table and c.name == column for c in member_columns())


def traces(dump: dict[str, list[dict[str, Any]]], member_id: int, words: re.Pattern[str]) -> list[tuple[str, str]]:
    """Every (table, column) where the member still shows: their id in a column that refers to members, or
    `words` (their platform user id, their name) in any text or JSON value."""
    found = []
    for table in Base.metadata.sorted_tables:
        for row in dump[table.name]:
            for column in table.columns:
                value = row[column.name]
                if _names_member(table.name, column.name) or column.name.endswith("member_id"):
                    if value == member_id:
                        found.append((table.name, column.name))
                if isinstance(column.type, (String, JSON)) and value is not None:
                    if words.search(json.dumps(value, ensure_ascii=False, default=str)):
                        found.append((table.name, column.name))
    return found


async def test_after_erase_the_members_ids_are_nowhere_and_what_stays_stays(harness: Harness) -> None:
    ids = await _seed(harness)
    zoe, ben = ids[ZOE.user_id], ids[BEN.user_id]
    before = await _dump(harness)
    # The seed proves something: every table that can name a member names Zoë before the erase.
    naming = {c.table.name for c in member_columns() if any(r[c.name] == zoe for r in before[c.table.name])}
    assert naming == {c.table.name for c in member_columns()}, naming
    # Tables the erase knows by name, and the dashboard's, which it finds by their foreign key to members.id.
    assert naming - {table for table, _ in KNOWN_MEMBER_COLUMNS} == {"dashboard_links", "dashboard_sessions"}
    for table in ("posted_messages", "delivery_failures", "slack_user_tokens", "slack_installations",
                  "teams_conversations", "inbound_events", "answers", "audit_log"):
        assert ZOE.user_id in json.dumps(before[table], default=str), table
    tallies_before = before["pulse_answers"], before["pulse_rounds"]
    comments_before = sorted(r["text"] for r in before["pulse_comments"])
    assert comments_before == ["a comment", f"thanks <@{ZOE.user_id}>!"]

    assert await SqlMemberData(harness.store.engine).erase(zoe) is True

    after = await _dump(harness)
    assert traces(before, zoe, re.compile(f"{re.escape(ZOE.user_id)}|{re.escape(ZOE.name)}")) != []
    assert traces(after, zoe, re.compile(f"{re.escape(ZOE.user_id)}|{re.escape(ZOE.name)}")) == []
    assert zoe not in {m["id"] for m in after["members"]}
    # What stays: Ben and his answers and his tokens, anonymous pulse answers, the rituals Zoë set up, the log.
    assert any(m["id"] == ben for m in after["members"])
    assert (after["pulse_answers"], after["pulse_rounds"]) == tallies_before
    assert sorted(r["text"] for r in after["pulse_comments"]) == ["a comment", f"thanks <@{ERASED}>!"]
    assert {r["kind"] for r in after["rituals"]} == {"standup", "pulse", "borrel", "coffee"}
    assert len(after["audit_log"]) == len(before["audit_log"])
    assert [r["detail"] for r in after["audit_log"] if r["action"] == "manager.add"] == [f"manager add {ERASED}"]
    [ben_answer] = after["answers"]
    assert ben_answer["values"][2] == f"Waiting on <@{ERASED}> for a review"
    assert [r["user_id"] for r in after["slack_user_tokens"]] == [BEN.user_id]
    assert after["slack_installations"][0]["installer_user_id"] is None
    assert [r["recipient"] for r in after["posted_messages"]] == [BEN.user_id]
    assert [r["event_id"] for r in after["inbound_events"]] == [f"Ev{BEN.user_id}"]
    assert sorted(r["key"] for r in after["held_messages"]) == ["standup-digest:2", f"standup-reminder:{BEN.user_id}"]
    assert [r["member_id"] for r in after["dashboard_links"]] == [ben]
    assert [r["member_id"] for r in after["dashboard_sessions"]] == [ben]
    # The team lost its only other manager but not its rituals; Ben, its first manager, still reads the log.
    team = await harness.store.find_team("slack", WORKSPACE, "team")
    assert team is not None
    entries = await SqlAuditLog(harness.store.engine).recent(team.id, 20)
    assert {e.actor_name for e in entries if e.action in ("pulse.create", "standup.pause")} == {None}
    text = await harness.reply_text(BEN, "manager audit")
    assert "a member since erased · pulse.create" in text and ZOE.name not in text

    # Erasing again finds nobody; the placeholder that now holds Zoë's rituals is nobody and cannot be erased.
    assert await SqlMemberData(harness.store.engine).erase(zoe) is False
    [placeholder] = [m["id"] for m in after["members"] if m["user_id"] == ""]
    assert {r["created_by"] for r in after["rituals"] if r["kind"] != "standup"} == {placeholder}
    assert await SqlMemberData(harness.store.engine).erase(placeholder) is False


async def test_erasing_a_member_who_is_in_no_table_but_their_own(harness: Harness) -> None:
    await harness.join(ZOE)
    zoe = await _member_id(harness, ZOE)
    assert await SqlMemberData(harness.store.engine).erase(zoe) is True
    assert await harness.store.find_members("slack", WORKSPACE, ZOE.user_id) == []


async def test_an_export_holds_everything_about_the_member_and_nothing_about_anyone_else(harness: Harness) -> None:
    ids = await _seed(harness)
    zoe, ben = ids[ZOE.user_id], ids[BEN.user_id]
    rights = MemberData(store=SqlMemberData(harness.store.engine), catalog=Catalog(), clock=harness.clock)
    data = await rights.export(zoe)
    assert data is not None
    text = json.dumps(data, ensure_ascii=False)  # JSON-serialisable as it is

    assert data["format"] == FORMAT
    assert data["profile"]["user_id"] == ZOE.user_id and data["profile"]["display_name"] == ZOE.name
    assert data["profile"]["work_start"] == "09:00" and data["profile"]["timezone"] == "Europe/Amsterdam"
    assert [(m["team"], m["role"]) for m in data["memberships"]] == [("team", "manager")]
    assert {r["kind"] for r in data["rituals_set_up"]} == {"pulse", "borrel", "coffee"}
    [answer] = data["standup_answers"]
    assert answer["answers"] == ["Rested", "Zoë's own focus", "Nothing"]
    assert answer["questions"] == ["How are you doing today?", "What is your focus today?",
                                   "Is anything blocking you?"]
    assert answer["date"] == "2026-11-23"
    assert {d["kind"] for d in data["deliveries"]} == {"standup", "pulse"}
    assert [r["round_opened"] for r in data["pulse_rounds_responded"]] == ["2026-11-23"]
    assert [r["answer"] for r in data["borrel_rsvps"]] == ["join"]
    assert data["coffee"]["participation"][0]["skip_next"] is True
    assert data["coffee"]["groups"][0]["others_in_group"] >= 1
    taken = await SqlMessageCounts(harness.store.engine).taken(zoe, MONDAY_0800.date())
    assert data["message_counts"] == [{"date": "2026-11-23", "count": taken}] and taken >= 1
    assert data["slack_user_grant"]["scopes"] == ["users.profile:write"]
    assert data["slack_installs"] == [{"workspace_name": "Ritme HQ", "installed_at": data["slack_installs"][0]
                                       ["installed_at"]}]
    assert [e["action"] for e in data["audit_entries"]] == [
        "pulse.create", "borrel.create", "coffee.create", "standup.pause", "standup.resume"]
    assert [f["error"] for f in data["delivery_failures"]] == ["channel_not_found"]
    assert data["messages_placed"] == 1 and data["events_waiting"] == 1 and data["messages_held"] == 1
    # The dashboard's rows are there, found by their foreign key, without the hashes and token that open a session.
    assert set(data["other"]) == {"dashboard_links", "dashboard_sessions"}
    [link], [session] = data["other"]["dashboard_links"], data["other"]["dashboard_sessions"]
    assert link == {"member_id": zoe, "expires_at": link["expires_at"], "used_at": None}
    assert session == {"member_id": zoe, "created_at": session["created_at"], "expires_at": session["expires_at"]}

    # No score is linked to anyone, so none is in the export; no token either.
    assert "a comment" not in text and "xoxp-" not in text and "xoxb-" not in text
    # Nothing about anyone else: Ben's answers, name, ids; the other members' names and ids.
    for person in (BEN, *OTHERS):
        assert person.user_id not in text and person.name not in text
    assert "Ben's secret plan" not in text

    def member_ids(value: Any, key: str = "") -> list[int]:
        if isinstance(value, dict):
            return [i for k, v in value.items() for i in member_ids(v, k)]
        if isinstance(value, list):
            return [i for v in value for i in member_ids(v, key)]
        return [value] if key in ("id", "member_id") and isinstance(value, int) else []

    assert ben not in member_ids(data["profile"]) and member_ids(data["profile"]) == [zoe]
    assert await rights.export(max(ids.values()) + 100) is None


async def test_a_table_added_later_that_names_members_is_exported_and_erased(harness: Harness) -> None:
    """A dashboard session table, say: found by its foreign key to members.id, its secret columns left out."""
    from sqlalchemy import Column, ForeignKey, Table

    from storage.models import Id

    extra = MetaData()
    Table("members", extra, Column("id", Id, primary_key=True))
    sessions = Table("dashboard_sessions_probe", extra, Column("id", Id, primary_key=True),
                     Column("member_id", Id, ForeignKey("members.id"), nullable=False),
                     Column("token_hash", String(64)), Column("note", String(32)))
    async with harness.store.engine.begin() as conn:
        await conn.run_sync(lambda sync: sessions.create(sync))
    probe = sessions.to_metadata(Base.metadata)
    try:
        await harness.join(ZOE)
        zoe = await _member_id(harness, ZOE)
        async with harness.store.engine.begin() as conn:
            await conn.execute(probe.insert().values(member_id=zoe, token_hash="h" * 64, note="signed in"))
        data = await SqlMemberData(harness.store.engine).export(zoe)
        assert data is not None
        assert data["other"] == {"dashboard_sessions_probe": [{"id": 1, "member_id": zoe, "note": "signed in"}]}
        assert await SqlMemberData(harness.store.engine).erase(zoe)
        async with harness.store.engine.connect() as conn:
            assert (await conn.execute(select(probe))).all() == []
    finally:
        Base.metadata.remove(probe)


async def test_erasing_the_last_manager_keeps_the_rituals_running_and_the_channel_can_be_taken_over(
    harness: Harness,
) -> None:
    await harness.command(ZOE, "standup create at 09:30 on mon-fri")
    await harness.join(BEN)
    await harness.command(ZOE, "pulse create weekly fri 14:00")
    assert await SqlMemberData(harness.store.engine).erase(await _member_id(harness, ZOE))

    team = await harness.store.find_team("slack", WORKSPACE, "team")
    assert team is not None
    assert {r.kind.value for r in await harness.store.rituals(team.id)} == {"standup", "pulse"}
    assert await harness.store.managers(team.id) == []
    harness.clock.set(MONDAY_0800 + timedelta(minutes=90))  # the stand-up still asks whoever is left
    assert [f.to.user_id for f in forms(await harness.due())] == [BEN.user_id]
    # Nobody manages the channel now: a change is refused and says an admin can make it...
    refused = await harness.reply_text(BEN, "standup pause")
    assert "Only a manager of #team" in refused and "admin" in refused.lower()
    # ...and the next member who sets up a ritual there becomes its manager, as in a new channel.
    await harness.command(BEN, "standup create checkout")
    assert [m.user_id for m in await harness.store.managers(team.id)] == [BEN.user_id]
    [first] = [r for r in await harness.store.rituals(team.id) if r.kind.value == "standup"][:1]
    assert "is paused" in await harness.reply_text(BEN, f"standup pause {first.id}")
