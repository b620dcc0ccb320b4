"""`/ritme dashboard` and the dashboard's logic on the real engine and store: a private single-use link, a session,
who may see a team, and changes from the page that chat sees at once."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from rituals.boundaries import Boundaries
from rituals.catalog import Catalog
from rituals.dashboard import (
    Dashboard,
    FormRefused,
    MeForm,
    MyTeams,
    NotAllowed,
    NotFound,
    Refusal,
    SignedIn,
    SignInLinks,
    Viewer,
    days_value,
    next_run,
    secret_hash,
)
from rituals.engine import Engine, EngineSettings
from rituals.model import (
    BorrelSettings,
    CoffeeMachineSettings,
    CoffeeSettings,
    CoreHoursSettings,
    DeliveryStatus,
    FocusSettings,
    PulseSettings,
    RitualKind,
)
from rituals.outbound import Prompt
from rituals.ports import NewRitual
from rituals.schedule import local_instant
from storage.dashboard import SqlDashboardStore
from storage.database import create_engine
from storage.models import DeliveryRow
from storage.pulse import SqlPulseStore
from storage.repository import SqlStore
from tests.rituals.harness import ANNA, BEN, FakeClock, Harness, Person

PUBLIC = "https://ritme.example"
LINK = re.compile(re.escape(PUBLIC) + r"/dashboard/signin/([A-Za-z0-9_-]{43})$", re.MULTILINE)
CHITRA = Person("chitra", "Chitra", "Europe/Amsterdam", "en")


class DashboardRig:
    """The engine with `/ritme dashboard`, and the dashboard's service on the same store and clock."""

    def __init__(self, store: SqlStore, clock: FakeClock, database_url: str) -> None:
        self.sign_ins = SqlDashboardStore(store.engine)
        links = SignInLinks(sign_ins=self.sign_ins, catalog=Catalog(), clock=clock, base_url=PUBLIC + "/")
        engine = Engine(store=store, clock=clock, catalog=Catalog(), settings=EngineSettings(),
                        pulses=SqlPulseStore(store.engine), boundaries=Boundaries(default_country="NL"),
                        dashboard=links)
        self.harness = Harness(engine, clock, store, database_url)
        self.dashboard = Dashboard(store=store, sign_ins=self.sign_ins, planner=engine, catalog=Catalog(),
                                   clock=clock)

    async def link(self, who: Person, **kwargs: object) -> str:
        """The token of the link `/ritme dashboard` sends the member."""
        messages = await self.harness.command(who, "/ritme dashboard", **kwargs)  # type: ignore[arg-type]
        [found] = [LINK.search(m.text.as_plain()) for m in messages if isinstance(m, Prompt) and m.context is None]
        assert found is not None
        return found.group(1)

    async def viewer(self, who: Person) -> Viewer:
        signed_in = await self.dashboard.sign_in(await self.link(who))
        assert isinstance(signed_in, SignedIn)
        viewer = await self.dashboard.viewer(signed_in.session_token)
        assert viewer is not None
        return viewer


@pytest.fixture
def rig(store: SqlStore, clock: FakeClock, database_url: str) -> DashboardRig:
    return DashboardRig(store, clock, database_url)


async def _rows(database_url: str, sql: str) -> list[tuple[object, ...]]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return [tuple(row) for row in (await connection.execute(sa.text(sql))).all()]
    finally:
        await engine.dispose()


async def test_the_link_goes_privately_works_once_and_only_for_five_minutes(
    rig: DashboardRig, clock: FakeClock, database_url: str
) -> None:
    messages = await rig.harness.command(BEN, "/ritme dashboard")
    # In a channel: the link itself as a direct message (never in a thread others read), a private note where it went.
    direct = [m for m in messages if isinstance(m, Prompt) and m.context is None]
    noted = [m for m in messages if isinstance(m, Prompt) and m.context is not None]
    assert len(direct) == 1 and direct[0].to.user_id == "ben"
    assert "works once, for 5 minutes" in direct[0].text.as_plain()
    assert [m.text.as_plain() for m in noted] == ["I sent you a sign-in link for the dashboard in a direct message."]
    found = LINK.search(direct[0].text.as_plain())
    assert found is not None
    token = found.group(1)
    # Only the token's hash is stored.
    assert await _rows(database_url, "SELECT token_hash FROM dashboard_links") == [(secret_hash(token),)]

    signed_in = await rig.dashboard.sign_in(token)
    assert isinstance(signed_in, SignedIn)
    assert signed_in.expires_at == clock.now() + timedelta(hours=8)
    viewer = await rig.dashboard.viewer(signed_in.session_token)
    assert viewer is not None and viewer.member.user_id == "ben" and len(viewer.csrf_token) == 43
    assert await rig.dashboard.sign_in(token) is Refusal.USED

    late = await rig.link(BEN, direct=True)
    clock.advance(timedelta(minutes=5))
    assert await rig.dashboard.sign_in(late) is Refusal.EXPIRED
    assert await rig.dashboard.sign_in("x" * 43) is Refusal.UNKNOWN
    assert await rig.dashboard.sign_in("x" * 500) is Refusal.UNKNOWN

    clock.advance(timedelta(hours=8))
    assert await rig.dashboard.viewer(signed_in.session_token) is None  # the session ran out


async def test_a_direct_message_gets_the_link_alone_and_extra_words_are_refused(
    rig: DashboardRig, database_url: str
) -> None:
    messages = await rig.harness.command(ANNA, "/ritme dashboard", direct=True)
    assert len(messages) == 1 and isinstance(messages[0], Prompt) and messages[0].context is None
    assert "Je inloglink voor het Ritme-dashboard" in messages[0].text.as_plain()

    assert "`/ritme dashboard`" in await rig.harness.reply_text(BEN, "/ritme help")
    before = await rig.harness.snapshot()
    refused = await rig.harness.reply_text(BEN, "/ritme dashboard please")
    assert refused == "`dashboard` takes nothing after it, but got `please`. Type just `/ritme dashboard`."
    assert await rig.harness.snapshot() == before


async def test_signing_out_ends_the_session(rig: DashboardRig) -> None:
    signed_in = await rig.dashboard.sign_in(await rig.link(BEN))
    assert isinstance(signed_in, SignedIn)
    viewer = await rig.dashboard.viewer(signed_in.session_token)
    assert viewer is not None
    await rig.dashboard.sign_out(viewer)
    assert await rig.dashboard.viewer(signed_in.session_token) is None


async def test_only_managers_and_admins_see_a_team(rig: DashboardRig, database_url: str) -> None:
    await rig.harness.command(ANNA, "/ritme standup create at 09:30 on mon-fri")
    await rig.harness.join(BEN)  # Ben is in the team, not a manager
    [team_id] = [row[0] for row in await _rows(database_url, "SELECT id FROM teams")]
    anna, ben, chitra = await rig.viewer(ANNA), await rig.viewer(BEN), await rig.viewer(CHITRA)

    overview = await rig.dashboard.team_overview(anna, team_id)
    assert [m.display_name for m in overview.managers] == ["Anna"]
    assert [m.display_name for m in overview.members] == ["Anna", "Ben"]
    [line] = overview.rituals
    assert line.kind == "Stand-up"
    assert line.description.startswith("1. ") and "09:30" in line.description
    # Monday 08:00 in Amsterdam: the stand-up's next run is today at 09:30.
    assert line.next_run == "Volgende keer: maandag 23 november om 09:30 (Europe/Amsterdam)"

    for viewer in (ben, chitra):
        with pytest.raises(NotAllowed):
            await rig.dashboard.team_overview(viewer, team_id)
        with pytest.raises(NotAllowed):
            await rig.dashboard.team_overview(viewer, team_id + 100)
    assert (await rig.dashboard.my_teams(anna)).managed == (overview.team,)
    assert (await rig.dashboard.my_teams(ben)).member_of == (overview.team,)
    assert await rig.dashboard.my_teams(chitra) == MyTeams(managed=(), member_of=())

    await _rows_update(database_url, "UPDATE members SET is_admin = true WHERE user_id = 'chitra'")
    admin = await rig.viewer(CHITRA)
    assert (await rig.dashboard.team_overview(admin, team_id)).team == overview.team
    with pytest.raises(NotFound):
        await rig.dashboard.team_overview(admin, team_id + 100)


async def test_my_rituals_are_every_team_of_mine_on_my_own_clock(rig: DashboardRig) -> None:
    kiran = Person("kiran", "Kiran", "Asia/Kolkata", "en")
    await rig.harness.command(ANNA, "/ritme standup create at 09:30 on mon-fri")
    await rig.harness.command(ANNA, "/ritme pulse create weekly fri 14:00")
    await rig.harness.join(kiran)
    [team] = await rig.dashboard.my_rituals(await rig.viewer(kiran))  # she manages nothing, yet sees it all
    assert team.team.name == "team"
    standup_line, pulse_line = team.rituals
    assert (standup_line.kind, pulse_line.kind) == ("Stand-up", "Wellbeing pulse")
    # Monday 09:30 in Amsterdam is 14:00 in Kolkata; Friday 14:00 is 18:30 there.
    assert standup_line.next_run == "Next: Monday 23 November at 14:00 (Asia/Kolkata)"
    assert pulse_line.next_run == "Next: Friday 27 November at 18:30 (Asia/Kolkata)"
    assert await rig.dashboard.my_rituals(await rig.viewer(CHITRA)) == ()


async def _rows_update(database_url: str, sql: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(sa.text(sql))
    finally:
        await engine.dispose()


async def test_a_new_stand_up_time_shows_in_chat_and_moves_todays_prompts(
    rig: DashboardRig, clock: FakeClock, database_url: str
) -> None:
    harness = rig.harness
    await harness.command(ANNA, "/ritme standup create at 09:30 on mon-fri digest 11:00")
    await harness.join(BEN)
    await harness.engine.plan(clock.now())
    [team_id] = [row[0] for row in await _rows(database_url, "SELECT id FROM teams")]
    [ritual] = await harness.store.rituals(team_id)
    anna = await rig.viewer(ANNA)

    changed = await rig.dashboard.change_standup_time(anna, team_id, ritual.id, at=" 10:15 ", days="mon-thu")
    assert (changed.at, changed.days, changed.standup.digest_at) == (time(10, 15), (0, 1, 2, 3), time(11, 45))
    listed = await harness.reply_text(BEN, "/ritme standup list")
    assert "Mon-Thu at 10:15, digest 11:45" in listed

    # Today's and tomorrow's prompts were planned for 09:30; they now wait for 10:15, and the digests follow.
    today = clock.now().date()
    deliveries = DeliveryRow.__table__
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            due = (await connection.execute(sa.select(deliveries.c.local_date, deliveries.c.due_at,
                                                      deliveries.c.status))).all()
    finally:
        await engine.dispose()
    assert len(due) == 4  # Anna and Ben, today and tomorrow
    for day, due_at, status in due:
        assert status == DeliveryStatus.PENDING.value
        assert due_at == local_instant(day, time(10, 15), "Europe/Amsterdam")
    for day in (today, today + timedelta(days=1)):
        occurrence = await harness.store.occurrence(ritual.id, day)
        assert occurrence is not None
        assert occurrence.digest_due_at == local_instant(day, time(11, 45), "Europe/Amsterdam")

    clock.set(local_instant(today, time(9, 30), "Europe/Amsterdam"))
    assert await harness.due() == []  # nobody is asked at the old time
    clock.set(local_instant(today, time(10, 15), "Europe/Amsterdam"))
    assert {m.to.user_id for m in await harness.due() if hasattr(m, "to")} == {"anna", "ben"}


async def test_bad_stand_up_values_change_nothing(rig: DashboardRig, database_url: str) -> None:
    harness = rig.harness
    await harness.command(ANNA, "/ritme standup create at 09:30 on mon-fri digest 11:00")
    await harness.join(BEN)
    [team_id] = [row[0] for row in await _rows(database_url, "SELECT id FROM teams")]
    [ritual] = await harness.store.rituals(team_id)
    anna, ben = await rig.viewer(ANNA), await rig.viewer(BEN)
    before = await harness.snapshot()

    with pytest.raises(FormRefused) as refused:
        await rig.dashboard.change_standup_time(anna, team_id, ritual.id, at="25:00", days="someday")
    assert {field: (e.key, e.params) for field, e in refused.value.errors.items()} == {
        "at": ("error.time", {"value": "25:00", "example": "09:30"}),
        "days": ("error.days", {"value": "someday", "example": "mon-fri"}),
    }
    with pytest.raises(FormRefused) as late:  # the digest, 90 minutes later, would pass midnight
        await rig.dashboard.change_standup_time(anna, team_id, ritual.id, at="23:59", days="mon")
    assert late.value.errors["at"].key == "error.digest_before"
    with pytest.raises(NotAllowed):
        await rig.dashboard.change_standup_time(ben, team_id, ritual.id, at="10:00", days="mon-fri")
    with pytest.raises(NotFound):
        await rig.dashboard.change_standup_time(anna, team_id, ritual.id + 100, at="10:00", days="mon-fri")
    assert await harness.snapshot() == before


async def test_my_settings_change_as_chat_would_and_bad_values_change_nothing(
    rig: DashboardRig, clock: FakeClock
) -> None:
    ben = await rig.viewer(BEN)
    shown = rig.dashboard.my_settings(ben)
    assert shown == MeForm(timezone="Europe/Amsterdam", hours="09:00-17:30", days="mon-fri", language="en",
                           country="", away_until="")
    assert rig.dashboard.default_country(ben) == "NL"
    before = await rig.harness.snapshot()
    bad = MeForm(timezone="Mars/Olympus", hours="17:00-08:00", days="mon-fri", language="fr", country="XX",
                 away_until="2020-01-01")
    with pytest.raises(FormRefused) as refused:
        await rig.dashboard.change_me(ben, bad)
    assert sorted(refused.value.errors) == ["away_until", "country", "hours", "language", "timezone"]
    assert refused.value.errors["away_until"].key == "error.date_past"
    assert await rig.harness.snapshot() == before

    away = (clock.now() + timedelta(days=7)).date().isoformat()
    changed = await rig.dashboard.change_me(ben, MeForm(timezone="Europe/London", hours="08:30-16:00",
                                                        days="mon,wed,fri", language="nl", country="be",
                                                        away_until=away))
    assert (changed.timezone, changed.work_start, changed.work_end, changed.work_days, changed.locale,
            changed.country, str(changed.away_until)) == (
        "Europe/London", time(8, 30), time(16, 0), (0, 2, 4), "nl", "BE", away)
    shown = await rig.harness.reply_text(BEN, "/ritme me", direct=True)
    assert "Europe/London" in shown and "08:30" in shown and "16:00" in shown
    cleared = await rig.dashboard.change_me(ben, MeForm(timezone="Europe/London", hours="08:30-16:00", days="mon-fri",
                                                        language="en", country="", away_until=""))
    assert (cleared.country, cleared.away_until) == ("", None)


def test_days_read_as_the_chat_commands_take_them() -> None:
    assert days_value((0, 1, 2, 3, 4)) == "mon-fri"
    assert days_value((0, 2, 4)) == "mon,wed,fri"
    assert days_value((5, 6)) == "sat,sun"


async def test_next_run_follows_days_and_pause(rig: DashboardRig, clock: FakeClock, database_url: str) -> None:
    await rig.harness.command(ANNA, "/ritme standup create at 07:30 on tue,thu")
    [team_id] = [row[0] for row in await _rows(database_url, "SELECT id FROM teams")]
    [ritual] = await rig.harness.store.rituals(team_id)
    assert ritual.kind is RitualKind.STANDUP
    tuesday = local_instant(clock.now().date() + timedelta(days=1), time(7, 30), "Europe/Amsterdam")
    assert next_run(ritual, clock.now()) == tuesday
    assert next_run(ritual, tuesday) == tuesday + timedelta(days=2)
    await rig.harness.command(ANNA, "/ritme standup pause")
    [paused] = await rig.harness.store.rituals(team_id)
    assert next_run(paused, clock.now()) is None



async def test_every_kind_of_ritual_reads_in_words_with_its_next_run(
    rig: DashboardRig, clock: FakeClock, database_url: str
) -> None:
    await rig.harness.command(ANNA, "/ritme standup create at 09:30 on mon-fri")
    [team_id] = [row[0] for row in await _rows(database_url, "SELECT id FROM teams")]
    [standup] = await rig.harness.store.rituals(team_id)
    monday = clock.now().date()
    kinds = {
        # Every other week from the week before: this Friday is not a round, next week's is.
        RitualKind.PULSE: (time(14, 0), (4,), PulseSettings(every_weeks=2, anchor=monday - timedelta(days=7),
                                                            closes_at=time(14, 0))),
        RitualKind.BORREL: (time(16, 30), (4,), BorrelSettings(link="https://meet.example/borrel", anchor=monday)),
        RitualKind.COFFEE_MACHINE: (time(10, 0), (0, 1, 2, 3, 4),
                                    CoffeeMachineSettings(link="https://meet.example/coffee", until=time(10, 30))),
        RitualKind.COFFEE: (time(11, 0), (1,), CoffeeSettings(anchor=monday)),
        RitualKind.FOCUS: (time(13, 0), (2,), FocusSettings(until=time(17, 0), label="focus afternoon")),
        RitualKind.CORE_HOURS: (time(10, 0), (0, 1, 2, 3, 4), CoreHoursSettings(ranges=((time(10, 0), time(12, 0)),))),
    }
    for kind, (at, days, settings) in kinds.items():
        await rig.harness.store.add_ritual(NewRitual(team_id=team_id, kind=kind, at=at, days=days,
                                                     timezone="Europe/Amsterdam", locale="en", settings=settings,
                                                     created_by=standup.created_by))
    anna = await rig.viewer(ANNA)
    lines = {line.ritual.kind: line for line in (await rig.dashboard.team_overview(anna, team_id)).rituals}
    assert {kind: line.kind for kind, line in lines.items()} == {
        RitualKind.STANDUP: "Stand-up", RitualKind.PULSE: "Welzijnspeiling", RitualKind.BORREL: "Virtuele borrel",
        RitualKind.COFFEE_MACHINE: "Koffieautomaat", RitualKind.COFFEE: "Koffiekoppels",
        RitualKind.FOCUS: "Vergadervrij blok", RitualKind.CORE_HOURS: "Kernuren",
    }
    assert all(line.description for line in lines.values())
    assert "wo 13:00-17:00" in lines[RitualKind.FOCUS].description
    assert lines[RitualKind.PULSE].next_run.startswith("Volgende keer: vrijdag 4 december om 14:00")
    assert lines[RitualKind.BORREL].next_run.startswith("Volgende keer: vrijdag 27 november om 16:30")
    assert lines[RitualKind.COFFEE].next_run.startswith("Volgende keer: dinsdag 24 november om 11:00")
    assert lines[RitualKind.COFFEE_MACHINE].next_run.startswith("Volgende keer: maandag 23 november om 10:00")
