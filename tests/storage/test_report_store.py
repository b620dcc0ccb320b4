"""SqlReportStore and Reports on both databases, over data seeded through the rituals' own stores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest

from rituals.catalog import Catalog
from rituals.model import (
    Answer,
    BorrelSettings,
    CoffeeSettings,
    Member,
    PulseSettings,
    RitualKind,
    Role,
    StandupSettings,
)
from rituals.ports import MemberDefaults, NewCoffeeGroup, NewRitual, PlannedDelivery, PlannedOccurrence, SentPrompt
from rituals.reports import FilterError, Reports, StandupFilter, TrendGap, TrendPoint, by_week
from storage.borrel import SqlBorrelStore
from storage.coffee import SqlCoffeeStore
from storage.pulse import SqlPulseStore
from storage.reports import SqlReportStore
from storage.repository import SqlStore

DEFAULTS = MemberDefaults(timezone="Europe/Amsterdam", locale="en")
MONDAY = date(2026, 11, 2)
NAMES = ("Anna", "Ben", "Chitra", "Daan", "Eva", "Femke")


@dataclass
class Team:
    """A team of six (Anna manages) with one ritual of each kind the reports read, and an unrelated team."""

    store: SqlStore
    team_id: int
    other_team_id: int
    members: list[Member]
    standup_id: int
    other_standup_id: int
    pulse_id: int
    borrel_id: int
    coffee_id: int

    def member(self, name: str) -> Member:
        return next(m for m in self.members if m.display_name == name)


async def _ritual(store: SqlStore, team_id: int, created_by: int, kind: RitualKind, settings: object,
                  at: time = time(9, 30)) -> int:
    ritual = await store.add_ritual(NewRitual(team_id=team_id, kind=kind, at=at, days=(0, 1, 2, 3, 4),
                                              timezone="Europe/Amsterdam", locale="en",
                                              settings=settings, created_by=created_by))  # type: ignore[arg-type]
    return ritual.id


@pytest.fixture
async def team(store: SqlStore) -> Team:
    made = await store.upsert_team("slack", "T1", "C1", "Platform")
    other = await store.upsert_team("slack", "T1", "C2", "Sales")
    members = [await store.upsert_member("slack", "T1", f"U{i}", name, DEFAULTS) for i, name in enumerate(NAMES)]
    await store.set_role(made.id, members[0].id, Role.MANAGER)
    for member in members[1:]:
        await store.join_team(made.id, member.id)
    outsider = await store.upsert_member("slack", "T1", "U99", "Zed", DEFAULTS)
    await store.set_role(other.id, outsider.id, Role.MANAGER)
    manager = members[0].id
    return Team(
        store=store,
        team_id=made.id,
        other_team_id=other.id,
        members=[*members, outsider],
        standup_id=await _ritual(store, made.id, manager, RitualKind.STANDUP, StandupSettings(digest_at=time(11))),
        other_standup_id=await _ritual(store, other.id, outsider.id, RitualKind.STANDUP,
                                       StandupSettings(digest_at=time(11))),
        pulse_id=await _ritual(store, made.id, manager, RitualKind.PULSE,
                               PulseSettings(anchor=MONDAY, closes_at=time(12), k=5), time(14)),
        borrel_id=await _ritual(store, made.id, manager, RitualKind.BORREL,
                                BorrelSettings(link="https://meet.example/borrel", anchor=MONDAY), time(16)),
        coffee_id=await _ritual(store, made.id, manager, RitualKind.COFFEE, CoffeeSettings(anchor=MONDAY)),
    )


def _utc(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=UTC)


async def standup(team: Team, day: date, answers: dict[str, tuple[str, ...]], *, ritual_id: int = 0,
                  prompted: tuple[str, ...] = NAMES[1:], digest: bool = True) -> int:
    """A stand-up on `day`: prompts sent to `prompted`, these answers saved, and the digest posted."""
    ritual = ritual_id or team.standup_id
    due = _utc(day, time(8, 30))
    people = [team.member(name) for name in prompted]
    await team.store.plan([PlannedOccurrence(ritual_id=ritual, local_date=day, digest_due_at=_utc(day, time(10)),
                                             deliveries=tuple(PlannedDelivery(member_id=m.id, due_at=due)
                                                              for m in people))])
    claimed = await team.store.claim_due_prompts(due + timedelta(minutes=1), timedelta(hours=2), timedelta(minutes=5),
                                                 100)
    await team.store.finish_prompts([SentPrompt(delivery_id=p.delivery.id, remind_at=None) for p in claimed], [],
                                    due + timedelta(minutes=1))
    by_member = {p.delivery.member_id: p.delivery.id for p in claimed}
    for name, values in answers.items():
        member = team.member(name)
        await team.store.save_answer(Answer(delivery_id=by_member[member.id], member_id=member.id, values=values,
                                            submitted_at=due + timedelta(minutes=5), late=False))
    occurrence = await team.store.occurrence(ritual, day)
    assert occurrence is not None
    if digest:
        assert await team.store.claim_digest(occurrence.id, _utc(day, time(10))) is not None
    return occurrence.id


async def pulse_round(team: Team, day: date, scores: list[dict[str, int]], *, prompted: int = 6,
                      close: bool = True) -> int:
    """A pulse round on `day` with one response per dict of scores, closed with `prompted`."""
    pulses = SqlPulseStore(team.store.engine)
    await team.store.plan([PlannedOccurrence(ritual_id=team.pulse_id, local_date=day,
                                             digest_due_at=_utc(day, time(12)), deliveries=())])
    occurrence = await team.store.occurrence(team.pulse_id, day)
    assert occurrence is not None
    await pulses.set_round_questions(occurrence.id, ("feeling", "workload"))
    for member, given in zip(team.members, scores, strict=False):
        assert await pulses.respond(occurrence.id, member.id, given)
    if close:
        await pulses.close_round(occurrence.id, prompted)
    return occurrence.id


def reports(team: Team) -> Reports:
    return Reports(store=SqlReportStore(team.store.engine), catalog=Catalog())


BLOCKED = ("Shipped the login page", "Billing API", "Waiting on staging access from IT")
FINE = ("Reviews", "Strasse naming fix", "nope, all good")


async def seed_standups(team: Team) -> dict[date, int]:
    days = [MONDAY + timedelta(days=n) for n in (0, 1, 2, 7, 8)]
    ids = {}
    ids[days[0]] = await standup(team, days[0], {"Ben": BLOCKED, "Chitra": FINE})
    ids[days[1]] = await standup(team, days[1], {"Daan": ("Planning", "Ops rota", "Geen blokkades")})
    ids[days[2]] = await standup(team, days[2], {"Eva": ("Pairing", "Die STRAẞE-Übersetzung", "-")})
    ids[days[3]] = await standup(team, days[3], {"Ben": ("Demo prep", "Demo", "No access to the demo tenant")})
    ids[days[4]] = await standup(team, days[4], {})
    return ids


async def test_history_is_newest_first_with_names_questions_and_blockers_marked(team: Team) -> None:
    ids = await seed_standups(team)
    page = await reports(team).standup_history(team.team_id, StandupFilter(), "en")
    assert [day.local_date for day in page.days] == sorted(ids, reverse=True)
    assert not page.has_more
    first_monday = page.days[-1]
    assert first_monday.prompted == 5 and first_monday.answered == 2
    assert first_monday.ritual_name == "morning check-in"
    ben, chitra = first_monday.members
    assert (ben.display_name, chitra.display_name) == ("Ben", "Chitra")
    assert [line.question for line in ben.lines] == [
        "How are you doing today?", "What is your focus today?", "Is anything blocking you?"
    ]
    assert [line.answer for line in ben.lines] == list(BLOCKED)
    assert [line.blocker for line in ben.lines] == [False, False, True]
    assert not chitra.has_blocker  # "nope, all good" is no blocker, as the digest decides too
    assert first_monday.blockers == 1
    # A stand-up nobody answered still shows, as the digest did; its answer count says so.
    assert page.days[0].answered == 0 and page.days[0].members == ()
    # Questions come in the reader's language.
    dutch = await reports(team).standup_history(team.team_id, StandupFilter(), "nl")
    assert dutch.days[-1].members[0].lines[2].question == "Zit je ergens mee vast?"
    assert dutch.days[-1].ritual_name == "ochtend-check-in"
    assert dutch.days[-2].members[0].lines[2].blocker is False  # "Geen blokkades"


async def test_search_ignores_case_even_beyond_ascii_and_marks_what_matched(team: Team) -> None:
    await seed_standups(team)
    page = await reports(team).standup_history(team.team_id, StandupFilter(search="strasse"), "en")
    assert [(day.local_date, [m.display_name for m in day.members]) for day in page.days] == [
        (MONDAY + timedelta(days=2), ["Eva"]),
        (MONDAY, ["Chitra"]),
    ]
    assert [line.matched for line in page.days[1].members[0].lines] == [False, True, False]
    # The day still counts everyone who answered, not only the matches shown.
    assert page.days[1].answered == 2
    staging = await reports(team).standup_history(team.team_id, StandupFilter(search="  STAGING "), "en")
    assert [m.display_name for day in staging.days for m in day.members] == ["Ben"]
    nothing = await reports(team).standup_history(team.team_id, StandupFilter(search="kubernetes"), "en")
    assert nothing.days == () and not nothing.has_more


async def test_date_range_and_search_together_find_the_right_stand_ups(team: Team) -> None:
    await seed_standups(team)
    week_two = StandupFilter(since=MONDAY + timedelta(days=7), until=MONDAY + timedelta(days=13))
    page = await reports(team).standup_history(team.team_id, week_two, "en")
    assert [day.local_date for day in page.days] == [MONDAY + timedelta(days=8), MONDAY + timedelta(days=7)]
    demo = StandupFilter(search="demo", since=MONDAY + timedelta(days=7))
    assert [day.local_date for day in (await reports(team).standup_history(team.team_id, demo, "en")).days] == [
        MONDAY + timedelta(days=7)
    ]
    first_week = StandupFilter(search="demo", until=MONDAY + timedelta(days=6))
    assert (await reports(team).standup_history(team.team_id, first_week, "en")).days == ()
    one_day = StandupFilter(since=MONDAY + timedelta(days=1), until=MONDAY + timedelta(days=1))
    assert [d.local_date for d in (await reports(team).standup_history(team.team_id, one_day, "en")).days] == [
        MONDAY + timedelta(days=1)
    ]


async def test_pages_follow_each_other_with_and_without_a_search(team: Team) -> None:
    ids = await seed_standups(team)
    newest_first = sorted(ids, reverse=True)
    seen = []
    for offset in (0, 2, 4):
        page = await reports(team).standup_history(team.team_id, StandupFilter(limit=2, offset=offset), "en")
        seen += [day.local_date for day in page.days]
        assert page.has_more == (offset < 4)
    assert seen == newest_first
    searched = [
        await reports(team).standup_history(team.team_id, StandupFilter(search="a", limit=1, offset=n), "en")
        for n in range(4)
    ]
    assert [[d.local_date for d in p.days] for p in searched] == [[day] for day in newest_first[1:]]
    assert [p.has_more for p in searched] == [True, True, True, False]


async def test_history_shows_one_team_only_and_no_planned_days(team: Team) -> None:
    await standup(team, MONDAY, {"Ben": ("Sales call", "Sales", "none")})
    await standup(team, MONDAY, {"Zed": ("Sales call", "Sales", "none")}, ritual_id=team.other_standup_id,
                  prompted=("Zed",))
    # Planned ahead with prompts not sent: not history yet.
    await team.store.plan([PlannedOccurrence(ritual_id=team.standup_id, local_date=MONDAY + timedelta(days=30),
                                             digest_due_at=_utc(MONDAY + timedelta(days=30), time(10)),
                                             deliveries=(PlannedDelivery(member_id=team.member("Ben").id,
                                                                         due_at=_utc(MONDAY + timedelta(days=30),
                                                                                     time(8))),))])
    page = await reports(team).standup_history(team.team_id, StandupFilter(search="sales"), "en")
    assert [(d.local_date, [m.display_name for m in d.members]) for d in page.days] == [(MONDAY, ["Ben"])]
    everything = await reports(team).standup_history(team.team_id, StandupFilter(), "en")
    assert [d.local_date for d in everything.days] == [MONDAY]
    theirs = await reports(team).standup_history(team.other_team_id, StandupFilter(), "en")
    assert [m.display_name for d in theirs.days for m in d.members] == ["Zed"]


async def test_participation_counts_stand_ups_and_closed_pulse_rounds_per_occurrence_and_week(team: Team) -> None:
    await seed_standups(team)
    await pulse_round(team, MONDAY + timedelta(days=4), [{"feeling": 4}] * 5, prompted=6)
    await pulse_round(team, MONDAY + timedelta(days=11), [{"feeling": 3}] * 3, close=False)
    found = await reports(team).participation(team.team_id, MONDAY, MONDAY + timedelta(days=13))
    turnouts, weeks = found.occurrences, found.weeks
    assert [(t.kind, t.local_date, t.prompted, t.answered) for t in turnouts] == [
        ("standup", MONDAY, 5, 2),
        ("standup", MONDAY + timedelta(days=1), 5, 1),
        ("standup", MONDAY + timedelta(days=2), 5, 1),
        ("pulse", MONDAY + timedelta(days=4), 6, 5),
        ("standup", MONDAY + timedelta(days=7), 5, 1),
        ("standup", MONDAY + timedelta(days=8), 5, 0),
    ]
    assert [(w.kind, w.monday, w.week, w.prompted, w.answered) for w in weeks] == [
        ("pulse", MONDAY, 45, 6, 5),
        ("standup", MONDAY, 45, 15, 4),
        ("standup", MONDAY + timedelta(days=7), 46, 10, 1),
    ]
    assert weeks[1].rate == pytest.approx(4 / 15)
    assert weeks == by_week(turnouts)
    only_week_two = await reports(team).participation(team.team_id, MONDAY + timedelta(days=7),
                                                      MONDAY + timedelta(days=13))
    assert {t.local_date for t in only_week_two.occurrences} == {MONDAY + timedelta(days=7), MONDAY + timedelta(days=8)}
    with pytest.raises(FilterError):
        await reports(team).participation(team.team_id, MONDAY + timedelta(days=1), MONDAY)


async def test_pulse_trends_show_k_answers_and_only_the_reason_for_k_minus_one(team: Team) -> None:
    five = [{"feeling": 4, "workload": 2}, {"feeling": 5, "workload": 3}, {"feeling": 3, "workload": 2},
            {"feeling": 4}, {"feeling": 4, "workload": 3}]
    shown = await pulse_round(team, MONDAY, five)
    withheld = await pulse_round(team, MONDAY + timedelta(days=7), five[:4])
    [trends] = await reports(team).pulse_trends(team.team_id)
    assert trends.ritual_id == team.pulse_id and trends.k == 5
    feeling, workload = trends.questions
    assert feeling.question_id == "feeling"
    first, second = feeling.rounds
    assert isinstance(first, TrendPoint) and first.average == pytest.approx(4.0) and first.n == 5
    assert first.rounds == (shown,)
    assert isinstance(second, TrendGap) and not hasattr(second, "average")
    assert second.reason == "pulse.withheld.too_few" and (second.responded, second.prompted) == (4, 6)
    assert "4 of 6" in second.text(Catalog(), "en")
    # Only four answered "workload" in the first round: a gap too, though the round itself showed.
    assert [type(p).__name__ for p in workload.rounds] == ["TrendGap", "TrendGap"]
    assert isinstance(workload.rounds[0], TrendGap) and workload.rounds[0].reason == "pulse.question.too_few"
    # November holds both rounds; only the shown one feeds it, so November minus round one reveals nothing.
    [november] = feeling.months
    assert isinstance(november, TrendPoint)
    assert (november.average, november.n, november.rounds, november.left_out) == (first.average, 5, (shown,), 1)
    assert withheld not in november.rounds
    later = await reports(team).pulse_trends(team.team_id, rounds=1)
    assert [type(p).__name__ for p in later[0].questions[0].rounds] == ["TrendGap"]
    # The window is one round, but its month is all of November: the earlier round still feeds it.
    [whole_november] = later[0].questions[0].months
    assert isinstance(whole_november, TrendPoint) and whole_november.rounds == (shown,)
    with pytest.raises(FilterError):
        await reports(team).pulse_trends(team.team_id, rounds=0)


async def test_borrel_attendance_counts_rsvps_names_who_joins_and_the_invited(team: Team) -> None:
    borrels = SqlBorrelStore(team.store.engine)
    made = []
    for week in range(3):
        day = MONDAY + timedelta(days=7 * week + 4)
        made.append(await borrels.ensure_occurrence(
            team.borrel_id, day, starts_at=_utc(day, time(15)), ends_at=_utc(day, time(16)),
            invite_at=_utc(day, time(9)), remind_at=_utc(day, time(14, 50))))
        await borrels.claim_invites(_utc(day, time(9)))
    first, second, third = made
    for name, answer in (("Ben", "join"), ("Anna", "join"), ("Chitra", "maybe"), ("Daan", "no"), ("Eva", "join")):
        assert await borrels.rsvp(first.id, team.member(name).id, answer, _utc(first.local_date, time(10)))
    await borrels.rsvp(second.id, team.member("Femke").id, "join", _utc(second.local_date, time(10)))
    await borrels.cancel(second.id, _utc(second.local_date, time(11)))
    await borrels.claim_closings(_utc(first.local_date, time(17)))
    await borrels.rsvp(third.id, team.member("Ben").id, "maybe", _utc(third.local_date, time(10)))
    # Not announced yet: not in the report.
    later = MONDAY + timedelta(days=60)
    await borrels.ensure_occurrence(team.borrel_id, later, starts_at=_utc(later, time(15)),
                                    ends_at=_utc(later, time(16)), invite_at=_utc(later, time(9)),
                                    remind_at=_utc(later, time(14, 50)))
    found = await reports(team).borrels(team.team_id)
    assert [b.occurrence_id for b in found] == [third.id, second.id, first.id]
    assert [(b.joined, b.maybe, b.declined, b.invited) for b in found] == [(0, 1, 0, 6), (1, 0, 0, 6), (3, 1, 1, 6)]
    assert found[2].joined_names == ("Anna", "Ben", "Eva") and found[2].closed and not found[2].cancelled
    assert found[1].cancelled and found[0].joined_names == ()
    assert found[2].rate == pytest.approx(0.5)
    assert await reports(team).borrels(team.other_team_id) == []
    assert [b.occurrence_id for b in await reports(team).borrels(team.team_id, 2)] == [third.id, second.id]
    with pytest.raises(FilterError):
        await reports(team).borrels(team.team_id, 0)


async def test_coffee_rounds_report_groups_unmatched_and_how_many_met(team: Team) -> None:
    coffee = SqlCoffeeStore(team.store.engine)
    ids = [m.id for m in team.members[:6]]
    for week, (met_answers, unmatched) in enumerate((((True, False), 0), ((True, True), 1))):
        day = MONDAY + timedelta(days=7 * week)
        start = _utc(day, time(9))
        groups = [NewCoffeeGroup(members=(ids[0], ids[1]), shared_minutes=120, cross_team=False, last_met=None,
                                 intro_due_at=start),
                  NewCoffeeGroup(members=(ids[2], ids[3]), shared_minutes=60, cross_team=False, last_met=None,
                                 intro_due_at=start),
                  NewCoffeeGroup(members=(ids[4], ids[5]), shared_minutes=90, cross_team=False, last_met=None,
                                 intro_due_at=start)]
        if unmatched:
            groups[2] = NewCoffeeGroup(members=(ids[4],), shared_minutes=0, cross_team=False, last_met=None,
                                       reason="no_overlap", intro_due_at=start)
        assert await coffee.start_round(team.coffee_id, day, start, groups) is not None
        due = [g for g in await coffee.due_intros(start, 100) if g.local_date == day]
        for group, met in zip([g for g in due if not g.reason], met_answers, strict=False):
            await coffee.claim_intro(group.id, start, start + timedelta(days=3))
            await coffee.claim_follow_up(group.id, start + timedelta(days=3))
            await coffee.record_met(group.id, met, start + timedelta(days=3, hours=1))
    rates = await reports(team).coffee(team.team_id)
    assert [(r.local_date, r.groups, r.unmatched, r.asked, r.met) for r in rates] == [
        (MONDAY + timedelta(days=7), 2, 1, 2, 2),
        (MONDAY, 3, 0, 2, 1),
    ]
    assert rates[1].met_share == pytest.approx(0.5)
    assert await reports(team).coffee(team.other_team_id) == []
    assert [r.local_date for r in await reports(team).coffee(team.team_id, 1)] == [MONDAY + timedelta(days=7)]
    with pytest.raises(FilterError):
        await reports(team).coffee(team.team_id, 101)
