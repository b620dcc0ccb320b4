"""A ritual's settings from the dashboard on the real engine and store: pausing and resuming each kind does what
chat's pause and resume do (no prompt or invite while paused, the next one after), a stand-up's digest and reminder,
a pulse's day and time; every change in the audit log; bad values and strangers change nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta

import pytest

from rituals.audit import AuditEntry
from rituals.catalog import Catalog
from rituals.commands import PULSE_EXAMPLE, CommandError, parse
from rituals.dashboard import Dashboard, FormRefused, NotAllowed, NotFound, Viewer
from rituals.model import Ritual, RitualKind
from rituals.outbound import ChannelPost, GroupPrompt, Message
from storage.audit import SqlAuditLog
from storage.dashboard import SqlDashboardStore
from storage.repository import SqlStore
from tests.rituals.harness import ANNA, BEN, MONDAY_0800, FakeClock, Harness, Person, forms, prompts, to

TEAM = [ANNA, *(Person(f"m{n}", f"Member {n}") for n in range(1, 5))]
MONDAY_0931 = MONDAY_0800 + timedelta(minutes=91)
MONDAY_1001 = MONDAY_0800 + timedelta(hours=2, minutes=1)
# Friday 27 November 2026, 10:00 in Amsterdam: a Friday 16:30 borrel's invite goes out.
FRIDAY_INVITE = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


class SettingsRig:
    """The harness's engine (every kind of ritual) and the dashboard on the same store, clock and audit log."""

    def __init__(self, harness: Harness, store: SqlStore, clock: FakeClock) -> None:
        self.harness = harness
        self.log = SqlAuditLog(store.engine)
        self.dashboard = Dashboard(store=store, sign_ins=SqlDashboardStore(store.engine), planner=harness.engine,
                                   catalog=Catalog(), clock=clock, audit=self.log)

    async def viewer(self, who: Person) -> Viewer:
        """The member as the dashboard sees them once signed in (signing in itself is tested elsewhere)."""
        [member] = await self.harness.store.find_members("local", "w1", who.user_id)
        return Viewer(member=member, csrf_token="-", session_hash="-")

    async def team_id(self) -> int:
        team = await self.harness.store.find_team("local", "w1", "team")
        assert team is not None
        return team.id

    async def ritual(self, kind: RitualKind) -> Ritual:
        [ritual] = [r for r in await self.harness.store.rituals(await self.team_id()) if r.kind is kind]
        return ritual

    async def entries(self) -> list[AuditEntry]:
        return list(await self.log.recent(await self.team_id(), 20))


@pytest.fixture
def rig(harness: Harness, store: SqlStore, clock: FakeClock) -> SettingsRig:
    return SettingsRig(harness, store, clock)


async def _team(harness: Harness, lead: Person, command: str) -> None:
    await harness.reply_text(lead, command)
    for person in TEAM:
        await harness.join(person)


def _form_receivers(messages: Sequence[Message]) -> set[str]:
    return {m.to.user_id for m in forms(messages)}


async def test_a_stand_up_paused_on_the_page_asks_nobody_and_resumed_asks_everyone(rig: SettingsRig) -> None:
    harness = rig.harness
    await _team(harness, BEN, "/ritme standup create at 09:30 on mon-fri")
    ritual = await rig.ritual(RitualKind.STANDUP)
    ben = await rig.viewer(BEN)
    await harness.due()  # today's prompts are planned, as the timer would have

    paused = await rig.dashboard.set_paused(ben, await rig.team_id(), ritual.id, paused=True)
    assert paused.paused and (await rig.ritual(RitualKind.STANDUP)).paused
    assert "— paused" in await harness.reply_text(BEN, "/ritme standup list")
    harness.clock.set(MONDAY_0931)
    assert forms(await harness.due()) == []

    resumed = await rig.dashboard.set_paused(ben, await rig.team_id(), ritual.id, paused=False)
    assert not resumed.paused
    assert _form_receivers(await harness.due()) == {"ben", "anna", "m1", "m2", "m3", "m4"}
    assert "paused" not in await harness.reply_text(BEN, "/ritme standup list")

    [resume, pause, *_] = await rig.entries()
    assert (resume.source, resume.action, resume.detail) == ("web", "standup.resume", f"Stand-up {ritual.id} resumed")
    assert (pause.source, pause.action, pause.detail) == ("web", "standup.pause", f"Stand-up {ritual.id} paused")
    assert pause.actor_name == "Ben"


async def test_a_pulse_paused_on_the_page_opens_no_round_until_resumed(rig: SettingsRig) -> None:
    harness = rig.harness
    await _team(harness, BEN, "/ritme pulse create weekly mon 10:00")
    ritual = await rig.ritual(RitualKind.PULSE)
    anna = await rig.viewer(ANNA)
    await harness.command(BEN, "/ritme manager add anna")

    await rig.dashboard.set_paused(anna, await rig.team_id(), ritual.id, paused=True)
    assert "gepauzeerd" in await harness.reply_text(ANNA, "/ritme pulse list")
    harness.clock.set(MONDAY_1001)
    assert forms(await harness.due()) == []

    await rig.dashboard.set_paused(anna, await rig.team_id(), ritual.id, paused=False)
    assert _form_receivers(await harness.due()) == {"ben", "anna", "m1", "m2", "m3", "m4"}
    [resume, pause, *_] = await rig.entries()
    # Anna reads Dutch: the page writes the entry in the words of who made the change.
    assert (resume.action, resume.detail) == ("pulse.resume", f"Welzijnspeiling {ritual.id} hervat")
    assert (pause.action, pause.detail) == ("pulse.pause", f"Welzijnspeiling {ritual.id} gepauzeerd")


async def test_a_borrel_paused_on_the_page_sends_no_invite_until_resumed(rig: SettingsRig) -> None:
    harness = rig.harness
    await _team(harness, BEN, "/ritme borrel create fri 16:30 45m https://meet.example/borrel")
    ritual = await rig.ritual(RitualKind.BORREL)
    ben = await rig.viewer(BEN)

    await rig.dashboard.set_paused(ben, await rig.team_id(), ritual.id, paused=True)
    assert "paused" in await harness.reply_text(BEN, "/ritme borrel list")
    harness.clock.set(FRIDAY_INVITE)
    assert [m for m in await harness.due() if isinstance(m, ChannelPost)] == []

    await rig.dashboard.set_paused(ben, await rig.team_id(), ritual.id, paused=False)
    [invite] = [m for m in await harness.due() if isinstance(m, ChannelPost)]
    assert "Virtual borrel of #team" in invite.text.as_plain()
    assert [e.action for e in await rig.entries()][:2] == ["borrel.resume", "borrel.pause"]


async def test_coffee_pairing_paused_on_the_page_pairs_nobody_until_resumed(rig: SettingsRig) -> None:
    harness = rig.harness
    await _team(harness, BEN, "/ritme coffee create weekly on mon at 10:00 enrol all")
    ritual = await rig.ritual(RitualKind.COFFEE)
    ben = await rig.viewer(BEN)

    await rig.dashboard.set_paused(ben, await rig.team_id(), ritual.id, paused=True)
    harness.clock.set(MONDAY_1001)
    assert [m for m in await harness.due() if isinstance(m, GroupPrompt)] == []

    await rig.dashboard.set_paused(ben, await rig.team_id(), ritual.id, paused=False)
    introduced = [m for m in await harness.due() if isinstance(m, GroupPrompt)]
    assert {a.user_id for group in introduced for a in group.to} == {"ben", "anna", "m1", "m2", "m3", "m4"}
    [resume, pause, *_] = await rig.entries()
    assert (resume.action, resume.detail) == ("coffee.resume", f"Coffee pairing {ritual.id} resumed")
    assert pause.action == "coffee.pause"


async def test_a_member_may_not_pause_or_change_and_nothing_changes(rig: SettingsRig) -> None:
    harness = rig.harness
    await _team(harness, BEN, "/ritme standup create at 09:30 on mon-fri")
    await harness.reply_text(BEN, "/ritme pulse create weekly mon 10:00")
    standup = await rig.ritual(RitualKind.STANDUP)
    pulse = await rig.ritual(RitualKind.PULSE)
    anna = await rig.viewer(ANNA)  # in the team, not a manager
    team_id = await rig.team_id()
    before = await harness.snapshot()

    with pytest.raises(NotAllowed):
        await rig.dashboard.set_paused(anna, team_id, standup.id, paused=True)
    with pytest.raises(NotAllowed):
        await rig.dashboard.change_standup(anna, team_id, standup.id, at="10:00", days="mon-fri", digest="11:30",
                                           remind="off")
    with pytest.raises(NotAllowed):
        await rig.dashboard.change_pulse_time(anna, team_id, pulse.id, day="fri", at="14:00")
    assert await harness.snapshot() == before


async def test_kinds_chat_cannot_pause_cannot_be_paused_here_either(rig: SettingsRig) -> None:
    harness = rig.harness
    await _team(harness, BEN, "/ritme coffee machine https://meet.example/koffie at 09:30 until 10:30 on mon-fri")
    await harness.reply_text(BEN, "/ritme focus add wed 13:00-17:00")
    ben = await rig.viewer(BEN)
    team_id = await rig.team_id()
    rituals = await harness.store.rituals(team_id)
    assert {r.kind for r in rituals} == {RitualKind.COFFEE_MACHINE, RitualKind.FOCUS}
    before = await harness.snapshot()
    for ritual in rituals:
        with pytest.raises(NotFound):
            await rig.dashboard.set_paused(ben, team_id, ritual.id, paused=True)
    assert await harness.snapshot() == before


async def test_a_stand_ups_digest_and_reminder_change_and_the_reminder_follows(rig: SettingsRig) -> None:
    harness = rig.harness
    await _team(harness, BEN, "/ritme standup create at 09:30 on mon-fri digest 11:00")
    ritual = await rig.ritual(RitualKind.STANDUP)
    ben = await rig.viewer(BEN)
    await harness.due()

    changed = await rig.dashboard.change_standup(ben, await rig.team_id(), ritual.id, at="09:30", days="mon-fri",
                                                 digest="11:30", remind="15m")
    assert (changed.at, changed.standup.digest_at, changed.standup.remind_after_minutes) == (
        time(9, 30), time(11, 30), 15)
    assert "digest 11:30" in await harness.reply_text(BEN, "/ritme standup list")
    [entry, *_] = await rig.entries()
    assert (entry.source, entry.action) == ("web", "standup.settings")
    assert entry.detail == (f"Stand-up {ritual.id}: time 09:30, days Mon-Fri, digest 11:00 → 11:30, "
                            "reminder 60 min → 15 min")

    harness.clock.set(MONDAY_0931)
    sent = await harness.due()
    assert "anna" in _form_receivers(sent)
    harness.clock.set(MONDAY_0931 + timedelta(minutes=14))
    assert prompts(to(await harness.due(), ANNA)) == []
    harness.clock.set(MONDAY_0931 + timedelta(minutes=15))  # fifteen minutes after the prompt, not sixty
    [reminder] = prompts(to(await harness.due(), ANNA))
    assert reminder.text.as_plain() == (
        "Een vriendelijke herinnering: de stand-up van #team sluit om 11:30. Je formulier staat hierboven.")

    # Off: no reminder; the entry names only what changed besides the time and days it always shows.
    await rig.dashboard.change_standup(ben, await rig.team_id(), ritual.id, at="09:30", days="mon-fri",
                                       digest="11:30", remind="off")
    assert (await rig.ritual(RitualKind.STANDUP)).standup.remind_after_minutes is None
    [entry, *_] = await rig.entries()
    assert entry.detail == f"Stand-up {ritual.id}: time 09:30, days Mon-Fri, reminder 15 min → off"


@pytest.mark.parametrize(("digest", "remind", "field", "key", "words"), [
    ("25:00", "30m", "digest", "error.time", "`25:00` is not a time. Use 24-hour HH:MM, for example `"),
    ("09:00", "30m", "digest", "error.digest_before", "The digest at 09:00 would come before the stand-up at 09:30"),
    ("11:30", "maybe", "remind", "error.duration", "`maybe` is not a reminder delay. Use 5m to 12h, or off"),
    ("11:30", "13h", "remind", "error.duration", "`13h` is not a reminder delay"),
])
async def test_bad_digest_or_reminder_is_refused_with_the_parsers_words_and_changes_nothing(
    rig: SettingsRig, digest: str, remind: str, field: str, key: str, words: str
) -> None:
    harness = rig.harness
    await _team(harness, BEN, "/ritme standup create at 09:30 on mon-fri digest 11:00")
    ritual = await rig.ritual(RitualKind.STANDUP)
    ben = await rig.viewer(BEN)
    before = await harness.snapshot()
    with pytest.raises(FormRefused) as refused:
        await rig.dashboard.change_standup(ben, await rig.team_id(), ritual.id, at="09:30", days="mon-fri",
                                           digest=digest, remind=remind)
    [(name, error)] = refused.value.errors.items()
    assert (name, error.key) == (field, key)
    assert Catalog().text("en", error.key, **error.params).startswith(words)
    # Chat refuses the same value in the same words (its example is an option as typed: `digest 11:00`).
    said = await harness.reply_text(BEN, f"/ritme standup create at 09:30 digest {digest} remind {remind}")
    assert words in said
    assert await harness.snapshot() == before


async def test_a_pulses_day_and_time_move_its_next_round(rig: SettingsRig) -> None:
    harness = rig.harness
    await _team(harness, BEN, "/ritme pulse create weekly mon 10:00")
    ritual = await rig.ritual(RitualKind.PULSE)
    ben = await rig.viewer(BEN)
    await harness.due()  # today's round is planned, as the timer would have

    changed = await rig.dashboard.change_pulse_time(ben, await rig.team_id(), ritual.id, day="tue", at="11:15")
    assert (changed.days, changed.at, changed.pulse.closes_at) == ((1,), time(11, 15), time(11, 15))
    assert "Tue" in await harness.reply_text(BEN, "/ritme pulse list")
    [entry, *_] = await rig.entries()
    assert (entry.action, entry.detail) == ("pulse.time", f"Wellbeing pulse {ritual.id}: time 10:00 → 11:15, "
                                                          "days Mon → Tue")

    harness.clock.set(MONDAY_1001)
    assert forms(await harness.due()) == []  # Monday's planned round went with the old day
    harness.clock.set(MONDAY_1001 + timedelta(days=1, hours=1, minutes=15))  # Tuesday 11:16
    assert _form_receivers(await harness.due()) == {"ben", "anna", "m1", "m2", "m3", "m4"}


@pytest.mark.parametrize(("day", "at", "field", "key"), [
    ("friday", "14:00", "day", "error.pulse_day"),
    ("fri", "noon", "at", "error.time"),
])
async def test_a_bad_pulse_day_or_time_is_refused_as_chat_refuses_it(
    rig: SettingsRig, day: str, at: str, field: str, key: str
) -> None:
    harness = rig.harness
    await _team(harness, BEN, "/ritme pulse create weekly mon 10:00")
    ritual = await rig.ritual(RitualKind.PULSE)
    ben = await rig.viewer(BEN)
    before = await harness.snapshot()
    with pytest.raises(FormRefused) as refused:
        await rig.dashboard.change_pulse_time(ben, await rig.team_id(), ritual.id, day=day, at=at)
    [(name, error)] = refused.value.errors.items()
    assert (name, error.key, error.params["example"]) == (field, key, PULSE_EXAMPLE)
    with pytest.raises(CommandError) as chat:
        parse(f"/ritme pulse create weekly {day} {at}", MONDAY_0800.date())
    assert (chat.value.key, chat.value.params) == (error.key, error.params)
    assert await harness.snapshot() == before
