"""The dashboard's audit entries and audit page on the real engine and store: a change from chat and one from the
page both show, with who, where and when; members' own settings and saves that change nothing leave no entry; the
page goes back a page at a time and names an erased member as such."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rituals.audit import _ACTIONS, _VERBED
from rituals.boundaries import Boundaries
from rituals.catalog import Catalog
from rituals.dashboard import (
    AUDIT_PAGE,
    Dashboard,
    FormRefused,
    MeForm,
    NotAllowed,
    SignedIn,
    SignInLinks,
    Viewer,
)
from rituals.engine import Engine, EngineSettings
from rituals.member_data import MemberData
from rituals.outbound import Prompt
from storage.audit import SqlAuditLog
from storage.dashboard import SqlDashboardStore
from storage.member_data import SqlMemberData
from storage.pulse import SqlPulseStore
from storage.repository import SqlStore
from tests.rituals.harness import ANNA, BEN, FakeClock, Harness, Person
from tests.rituals.test_dashboard_service import LINK, PUBLIC

ERIN = Person("erin", "Erin", "America/New_York", "en")


class AuditRig:
    """The engine writing chat's entries and the dashboard writing its own, into one SQL audit log."""

    def __init__(self, store: SqlStore, clock: FakeClock, database_url: str) -> None:
        self.log = SqlAuditLog(store.engine)
        sign_ins = SqlDashboardStore(store.engine)
        links = SignInLinks(sign_ins=sign_ins, catalog=Catalog(), clock=clock, base_url=PUBLIC)
        engine = Engine(store=store, clock=clock, catalog=Catalog(), settings=EngineSettings(),
                        pulses=SqlPulseStore(store.engine), boundaries=Boundaries(default_country="NL"),
                        dashboard=links, audit=self.log)
        self.harness = Harness(engine, clock, store, database_url)
        self.clock = clock
        self.data = MemberData(store=SqlMemberData(store.engine), catalog=Catalog(), clock=clock)
        self.dashboard = Dashboard(store=store, sign_ins=sign_ins, planner=engine, catalog=Catalog(), clock=clock,
                                   audit=self.log, member_data=self.data)

    async def viewer(self, who: Person) -> Viewer:
        messages = await self.harness.command(who, "/ritme dashboard", direct=True)
        [found] = [LINK.search(m.text.as_plain()) for m in messages if isinstance(m, Prompt)]
        assert found is not None
        signed_in = await self.dashboard.sign_in(found.group(1))
        assert isinstance(signed_in, SignedIn)
        viewer = await self.dashboard.viewer(signed_in.session_token)
        assert viewer is not None
        return viewer

    async def team_id(self) -> int:
        team = await self.harness.store.find_team("local", "w1", "team")
        assert team is not None
        return team.id


@pytest.fixture
def rig(store: SqlStore, clock: FakeClock, database_url: str) -> AuditRig:
    return AuditRig(store, clock, database_url)


async def test_a_change_from_chat_and_one_from_the_page_both_appear_with_who_where_and_when(rig: AuditRig) -> None:
    harness = rig.harness
    await harness.command(ERIN, "/ritme standup create at 09:30 on mon-fri")  # Monday 07:00 UTC
    await harness.join(ANNA)
    await harness.command(ERIN, f"/ritme manager add {ANNA.user_id}")
    await harness.join(BEN)
    team_id = await rig.team_id()
    [ritual] = await harness.store.rituals(team_id)
    rig.clock.advance(timedelta(hours=2, minutes=15))  # 09:15 UTC
    anna = await rig.viewer(ANNA)
    await rig.dashboard.change_standup_time(anna, team_id, ritual.id, at="10:00", days="mon-thu")

    erin = await rig.viewer(ERIN)
    page = await rig.dashboard.audit_page(erin, team_id)
    assert page.zone == "America/New_York" and page.older is None and page.first
    [web, added, created] = page.lines
    # Newest first; in Erin's zone and language; the page's change in words, in the words of who made it.
    assert (web.who, web.source, web.action) == ("Anna", "dashboard", "standup.time")
    assert (web.what, created.what) == ("Stand-up time changed", "Stand-up set up")
    # The digest moved along with the start, so the detail names it too.
    assert web.detail == f"Stand-up {ritual.id}: tijd 09:30 → 10:00, dagen ma-vr → ma-do, overzicht 11:00 → 11:30"
    assert web.when == "Monday 23 November 2026, 04:15"
    assert (created.who, created.source, created.action) == ("Erin", "chat", "standup.create")
    assert created.detail == "/ritme standup create at 09:30 on mon-fri"
    assert created.when == "Monday 23 November 2026, 02:00"
    assert added.action == "manager.add"
    # Chat's `/ritme manager audit` reads the same log, the page's change included.
    report = await harness.reply_text(ERIN, "/ritme manager audit")
    assert f"Anna · standup.time (dashboard): Stand-up {ritual.id}: tijd 09:30 → 10:00" in report
    # Anna reads the same log in Dutch and in her own zone.
    dutch = await rig.dashboard.audit_page(anna, team_id)
    assert [(line.source, line.when) for line in dutch.lines][::2] == [
        ("dashboard", "maandag 23 november 2026, 10:15"), ("chat", "maandag 23 november 2026, 08:00")]

    # A member of the team who does not manage it, and a stranger, are refused.
    for who in (BEN, Person("finn", "Finn", "UTC", "en")):
        viewer = await rig.viewer(who)
        with pytest.raises(NotAllowed):
            await rig.dashboard.audit_page(viewer, team_id)


async def test_own_settings_refused_forms_and_saves_that_change_nothing_leave_no_entry(rig: AuditRig) -> None:
    await rig.harness.command(ANNA, "/ritme standup create at 09:30 on mon-fri")
    team_id = await rig.team_id()
    [ritual] = await rig.harness.store.rituals(team_id)
    anna = await rig.viewer(ANNA)
    before = await rig.log.recent(team_id, 10)

    await rig.dashboard.change_me(anna, MeForm(timezone="Europe/Lisbon", hours="08:00-16:00", days="mon-thu",
                                               language="en", country="", away_until=""))
    await rig.dashboard.change_standup_time(anna, team_id, ritual.id, at="09:30", days="mon-fri")
    with pytest.raises(FormRefused):
        await rig.dashboard.change_standup_time(anna, team_id, ritual.id, at="25:00", days="mon-fri")
    assert await rig.log.recent(team_id, 10) == before

    await rig.dashboard.change_standup_time(anna, team_id, ritual.id, at="09:45", days="mon-fri")
    [entry, *_] = await rig.log.recent(team_id, 10)
    assert entry.source == "web" and entry.detail == (
        f"Stand-up {ritual.id}: tijd 09:30 → 09:45, dagen ma-vr, overzicht 11:00 → 11:15")


async def test_the_page_goes_back_a_page_at_a_time_and_names_an_erased_member_as_such(rig: AuditRig) -> None:
    await rig.harness.command(BEN, "/ritme standup create at 09:00 on mon-fri")
    await rig.harness.join(ANNA)
    await rig.harness.command(BEN, f"/ritme manager add {ANNA.user_id}")
    team_id = await rig.team_id()
    [ritual] = await rig.harness.store.rituals(team_id)
    anna = await rig.viewer(ANNA)
    for minute in range(AUDIT_PAGE + 3):  # every change in one instant: pages must still not lose or repeat one
        await rig.dashboard.change_standup_time(anna, team_id, ritual.id, at=f"10:{minute:02d}", days="mon-fri")

    ben = await rig.viewer(BEN)
    first = await rig.dashboard.audit_page(ben, team_id)
    assert len(first.lines) == AUDIT_PAGE and first.older is not None and first.first
    assert first.lines[0].detail.endswith(f"10:{AUDIT_PAGE + 1:02d} → 10:{AUDIT_PAGE + 2:02d}, dagen ma-vr, "
                                         f"overzicht 11:{AUDIT_PAGE + 31:02d} → 11:{AUDIT_PAGE + 32:02d}")
    second = await rig.dashboard.audit_page(ben, team_id, first.older)
    assert not second.first and second.older is None
    assert [line.action for line in second.lines] == ["standup.time", "standup.time", "standup.time",
                                                      "manager.add", "standup.create"]
    assert second.lines[0].detail.endswith(": tijd 10:01 → 10:02, dagen ma-vr, overzicht 11:31 → 11:32")

    assert await rig.data.erase(anna.member.id)
    after = await rig.dashboard.audit_page(ben, team_id)
    assert {line.who for line in after.lines} == {"a member since erased"}
    assert all(line.erased for line in after.lines)


def test_every_change_the_log_can_hold_has_words_in_both_languages() -> None:
    catalog = Catalog()
    verbs = {"standup": ("pause", "resume", "delete", "run", "digest")}
    codes = {*_ACTIONS.values(), "standup.time"} | {
        f"{kind}.{verb}" for kind in _VERBED.values() for verb in verbs.get(kind, ("pause", "resume", "delete"))
    }
    missing = [code for code in sorted(codes) if not catalog.has(f"web.audit.action.{code}")]
    assert missing == []
    assert catalog.text("nl", "web.audit.action.borrel.move") == "Eén borrel verplaatst"
