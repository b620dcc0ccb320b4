"""What a manager's dashboard shows about a team: stand-up history, participation, pulse trends, borrels, coffee.

Read-only views over what the rituals already keep. The storage side (storage/reports.py) returns rows as the
rituals stored them; this module turns them into small frozen results, with the rules the chat applies too:
blockers are decided as the digest decides them (rituals/standup.py), and pulse figures follow the pulse's
k-anonymity rules (rituals/pulse.py): a round, or a question of it, with fewer than k answers is a gap with its
reason and no number, and every figure that shows, per round or per month, passes `safe_breakdowns` together
with all the others, so no two of them can be subtracted to expose fewer than k people. Nothing is per person,
ever, for the pulse.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from rituals.catalog import Catalog
from rituals.model import Ritual, RoundCounts
from rituals.pulse import (
    BANK_IDS,
    Aggregate,
    QuestionWithheld,
    RoundSummary,
    check_k,
    period_aggregate,
    safe_breakdowns,
    summarize,
)
from rituals.standup import blocker_index, is_blocker, questions, template_name

DEFAULT_PAGE = 20
MAX_PAGE = 100
MAX_SEARCH = 200
DEFAULT_TREND_ROUNDS = 12
MAX_TREND_ROUNDS = 52
MAX_ROUNDS_A_MONTH = 5  # a pulse opens at most once a week
DEFAULT_HISTORY = 12


class FilterError(ValueError):
    """A filter a page cannot use; `key` and `params` are the catalog message that says why, with an example."""

    def __init__(self, key: str, **params: object) -> None:
        """Keep the catalog key and its placeholders."""
        super().__init__(key)
        self.key = key
        self.params = params

    def text(self, catalog: Catalog, locale: str) -> str:
        """The message in `locale`."""
        return catalog.text(locale, self.key, **self.params)


def matches(values: Sequence[str], needle: str) -> bool:
    """True when any answer holds `needle`, ignoring case (Unicode casefold: "STRASSE" finds "straße")."""
    wanted = needle.strip().casefold()
    return not wanted or any(wanted in value.casefold() for value in values)


# --- Stand-up history ---------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class StandupFilter:
    """Which stand-ups a history page shows: text in answers, team-local dates (inclusive), and the page."""

    search: str = ""
    since: date | None = None
    until: date | None = None
    limit: int = DEFAULT_PAGE
    offset: int = 0
    ritual_id: int | None = None

    def __post_init__(self) -> None:
        """Refuse what no page could show, with the catalog message that says why."""
        if len(self.search) > MAX_SEARCH:
            raise FilterError("chart.filter.search_long", length=len(self.search), limit=MAX_SEARCH)
        if self.since is not None and self.until is not None and self.since > self.until:
            raise FilterError("chart.filter.range", since=self.since.isoformat(), until=self.until.isoformat())
        if not 1 <= self.limit <= MAX_PAGE or self.offset < 0:
            raise FilterError("chart.filter.page", limit=MAX_PAGE)


@dataclass(frozen=True, kw_only=True)
class StoredAnswer:
    """A member's stand-up answer as stored, with their display name (the store's side of the history)."""

    member_id: int
    display_name: str
    values: tuple[str, ...]
    late: bool


@dataclass(frozen=True, kw_only=True)
class StoredStandup:
    """One stand-up occurrence as stored: its ritual, date, how many were prompted, and every answer."""

    occurrence_id: int
    ritual: Ritual
    local_date: date
    prompted: int
    answers: tuple[StoredAnswer, ...]


@dataclass(frozen=True, kw_only=True)
class AnswerLine:
    """One question and a member's answer to it; `blocker` as the digest would highlight it."""

    question: str
    answer: str
    blocker: bool
    matched: bool


@dataclass(frozen=True, kw_only=True)
class MemberAnswers:
    """What one member answered in one stand-up."""

    member_id: int
    display_name: str
    late: bool
    lines: tuple[AnswerLine, ...]

    @property
    def has_blocker(self) -> bool:
        """True when one of the answers names a real blocker."""
        return any(line.blocker for line in self.lines)


@dataclass(frozen=True, kw_only=True)
class StandupDay:
    """One stand-up in the history: who answered what, blockers marked, and how many answered of those asked."""

    occurrence_id: int
    ritual_id: int
    ritual_name: str  # its kind in the reader's language ("morning check-in"), for a team that has several
    local_date: date
    prompted: int
    answered: int
    members: tuple[MemberAnswers, ...]  # with a search: only those whose answers hold it

    @property
    def blockers(self) -> int:
        """How many of the shown members named a blocker."""
        return sum(1 for member in self.members if member.has_blocker)


@dataclass(frozen=True, kw_only=True)
class StandupPage:
    """A page of stand-up history, newest first, and whether an older page follows."""

    filter: StandupFilter
    days: tuple[StandupDay, ...]
    has_more: bool


def standup_day(stored: StoredStandup, *, search: str, catalog: Catalog, locale: str) -> StandupDay:
    """One stored stand-up as the history shows it: questions in `locale`, blockers and matches marked."""
    labels = questions(stored.ritual, catalog, locale)
    blocker_at = blocker_index(stored.ritual)
    wanted = search.strip().casefold()
    members: list[MemberAnswers] = []
    for answer in sorted(stored.answers, key=lambda a: (a.display_name.casefold(), a.member_id)):
        if not matches(answer.values, search):
            continue
        lines = tuple(
            AnswerLine(
                question=label,
                answer=value.strip(),
                blocker=index == blocker_at and is_blocker(value),
                matched=bool(wanted) and wanted in value.casefold(),
            )
            for index, (label, value) in enumerate(zip(labels, answer.values, strict=False))
            if value.strip()
        )
        members.append(MemberAnswers(member_id=answer.member_id, display_name=answer.display_name, late=answer.late,
                                     lines=lines))
    return StandupDay(occurrence_id=stored.occurrence_id, ritual_id=stored.ritual.id,
                      ritual_name=template_name(catalog, locale, stored.ritual), local_date=stored.local_date,
                      prompted=stored.prompted, answered=len(stored.answers), members=tuple(members))


# --- Participation ------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class _Answered:
    """How many were prompted, and how many of them answered."""

    prompted: int
    answered: int

    @property
    def rate(self) -> float | None:
        """The share that answered, 0 to 1; None when nobody was prompted."""
        return self.answered / self.prompted if self.prompted else None


@dataclass(frozen=True, kw_only=True)
class Turnout(_Answered):
    """How many were prompted and answered in one stand-up (kind "standup") or one closed pulse round ("pulse")."""

    kind: str
    occurrence_id: int
    ritual_id: int
    local_date: date


@dataclass(frozen=True, kw_only=True)
class WeekTurnout(_Answered):
    """Participation of one kind of ritual in one ISO week, summed over its occurrences."""

    kind: str
    monday: date  # the week's Monday names it; `week` is its ISO number
    week: int
    occurrences: int


@dataclass(frozen=True, kw_only=True)
class Participation:
    """Participation between two dates: per stand-up and closed pulse round, and summed per kind and ISO week."""

    occurrences: tuple[Turnout, ...]  # oldest first
    weeks: tuple[WeekTurnout, ...]  # oldest first


def by_week(turnouts: Sequence[Turnout]) -> tuple[WeekTurnout, ...]:
    """Turnouts summed per kind and ISO week, oldest week first (a week with none of a kind is left out)."""
    sums: dict[tuple[str, date], list[int]] = {}
    for turnout in turnouts:
        monday = turnout.local_date - timedelta(days=turnout.local_date.weekday())
        totals = sums.setdefault((turnout.kind, monday), [0, 0, 0])
        totals[0] += 1
        totals[1] += turnout.prompted
        totals[2] += turnout.answered
    return tuple(
        WeekTurnout(kind=kind, monday=monday, week=monday.isocalendar().week, occurrences=n, prompted=prompted,
                    answered=answered)
        for (kind, monday), (n, prompted, answered) in sorted(sums.items(), key=lambda item: (item[0][1], item[0][0]))
    )


# --- Pulse trends -------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class TrendPoint:
    """A figure that shows: the average of `n` answers on the 1-5 scale, over the rounds named in `rounds`."""

    label: date  # the round's local date, or the month's first day
    average: float
    n: int
    rounds: tuple[int, ...]  # occurrence ids of the rounds it rests on
    left_out: int = 0  # for a month: rounds of it that were gaps, so their answers are in no figure at all


@dataclass(frozen=True, kw_only=True)
class TrendGap:
    """A figure that does not show: only why, as a catalog key and the counts its message names. Never a score."""

    label: date
    reason: str
    n: int  # answers the figure would have rested on (or that answered the round), never below-k scores
    k: int
    prompted: int = 0
    responded: int = 0
    other: str = ""  # for "pulse.breakdown.difference": the shown figure it would be subtracted from

    def text(self, catalog: Catalog, locale: str) -> str:
        """Why this point is not shown, in `locale`."""
        return catalog.text(locale, self.reason, n=self.n, k=self.k, prompted=self.prompted,
                            responded=self.responded, other=self.other)


Point = TrendPoint | TrendGap


@dataclass(frozen=True, kw_only=True)
class QuestionTrend:
    """One question of a pulse over its last rounds (oldest first) and by month (oldest first)."""

    question_id: str
    rounds: tuple[Point, ...]
    months: tuple[Point, ...]


@dataclass(frozen=True, kw_only=True)
class PulseTrends:
    """A pulse ritual's trends per question, and the k its figures need."""

    ritual_id: int
    k: int
    questions: tuple[QuestionTrend, ...]


def _month(day: date) -> date:
    return day.replace(day=1)


def _weighted(rounds: Sequence[RoundCounts], question_id: str) -> tuple[float, int]:
    total = count = 0
    for rnd in rounds:
        for item in rnd.questions:
            if item.question_id == question_id:
                total += sum(point * n for point, n in zip((1, 2, 3, 4, 5), item.counts, strict=True))
                count += sum(item.counts)
    return total / count, count


def pulse_trends(ritual_id: int, rounds: Sequence[RoundCounts], k: int, window: int | None = None) -> PulseTrends:
    """Per question, a point or a gap for each of the last `window` rounds (all when None) that asked it, and per
    month for the months those rounds fall in, over every round given in those months (so the oldest month is whole
    when the caller passes the rounds before the window that share its month).

    A round with fewer than k responses, or a question fewer than k answered, is a gap with the pulse's reason. A
    month averages only the rounds of it that showed that question; the others are counted in `left_out` and their
    answers are in no figure, so no month minus a round can show them. Every figure then passes safe_breakdowns
    with all the others (rounds first): anything that could still be subtracted to expose fewer than k is a gap.
    """
    check_k(k)
    everything = sorted(rounds, key=lambda rnd: (rnd.local_date, rnd.occurrence_id))
    recent = everything[-window:] if window else everything
    first_month = _month(recent[0].local_date) if recent else date.max
    # Earlier rounds only fill the window's first month; summarize still sees them all as the rounds before.
    ordered = [rnd for rnd in everything if _month(rnd.local_date) >= first_month]
    by_id = {rnd.occurrence_id: rnd for rnd in ordered}
    gaps: dict[tuple[int, str], TrendGap] = {}
    shown: dict[str, list[RoundCounts]] = {}
    skipped = len(everything) - len(ordered)
    for index, rnd in enumerate(ordered):
        summary = summarize(rnd, everything[: skipped + index], k)
        for item in rnd.questions:
            qid = item.question_id
            if not isinstance(summary, RoundSummary):
                gaps[(rnd.occurrence_id, qid)] = TrendGap(label=rnd.local_date, reason=summary.reason,
                                                          n=summary.responded, k=k, prompted=summary.prompted,
                                                          responded=summary.responded)
                continue
            result = next(q for q in summary.questions if q.question_id == qid)
            if isinstance(result, QuestionWithheld):
                gaps[(rnd.occurrence_id, qid)] = TrendGap(label=rnd.local_date, reason=result.reason, n=result.n,
                                                          k=k, prompted=rnd.prompted, responded=rnd.responded)
            else:
                shown.setdefault(qid, []).append(rnd)
    asked = {item.question_id for rnd in recent for item in rnd.questions}
    trends: list[QuestionTrend] = []
    in_window = {rnd.occurrence_id for rnd in recent}
    for qid in sorted(asked, key=lambda q: (BANK_IDS.index(q) if q in BANK_IDS else len(BANK_IDS), q)):
        trends.append(_question_trend(qid, ordered, shown.get(qid, []), gaps, by_id, k, in_window))
    return PulseTrends(ritual_id=ritual_id, k=k, questions=tuple(trends))


def _question_trend(
    qid: str,
    ordered: Sequence[RoundCounts],
    shown: Sequence[RoundCounts],
    gaps: Mapping[tuple[int, str], TrendGap],
    by_id: Mapping[int, RoundCounts],
    k: int,
    in_window: set[int],
) -> QuestionTrend:
    asking = [rnd for rnd in ordered if any(item.question_id == qid for item in rnd.questions)]
    months = sorted({_month(rnd.local_date) for rnd in asking})
    candidates: list[Aggregate] = [period_aggregate(f"round:{rnd.occurrence_id}", [rnd], qid) for rnd in shown]
    month_rounds = {month: [rnd for rnd in shown if _month(rnd.local_date) == month] for month in months}
    candidates += [
        period_aggregate(f"month:{month.isoformat()}", month_rounds[month], qid) for month in months
        if month_rounds[month]
    ]
    passed, suppressed = safe_breakdowns(candidates, k)
    allowed = {aggregate.key for aggregate in passed}
    why = {suppression.key: suppression for suppression in suppressed}

    def figure(key: str, label: date, members: Sequence[RoundCounts], left_out: int) -> Point:
        if key in allowed:
            average, n = _weighted(members, qid)
            return TrendPoint(label=label, average=average, n=n,
                              rounds=tuple(rnd.occurrence_id for rnd in members), left_out=left_out)
        held = why[key]
        # The figure it clashes with, as a reader would name it: a round's date, or a month.
        kind, _, name = held.other.partition(":")
        other = name[:7] if kind == "month" else by_id[int(name)].local_date.isoformat() if name else ""
        return TrendGap(label=label, reason=held.reason, n=held.n, k=k, other=other)

    points: list[Point] = []
    for rnd in asking:
        if rnd.occurrence_id not in in_window:
            continue
        gap = gaps.get((rnd.occurrence_id, qid))
        points.append(gap or figure(f"round:{rnd.occurrence_id}", rnd.local_date, [by_id[rnd.occurrence_id]], 0))
    per_month: list[Point] = []
    for month in months:
        included = month_rounds[month]
        left_out = sum(1 for rnd in asking if _month(rnd.local_date) == month) - len(included)
        if included:
            per_month.append(figure(f"month:{month.isoformat()}", month, included, left_out))
        else:
            # Every round of the month was a gap: the month says so with the largest count among them (all < k).
            sizes = [gaps[(rnd.occurrence_id, qid)].n for rnd in asking if _month(rnd.local_date) == month]
            per_month.append(TrendGap(label=month, reason="pulse.breakdown.too_few", n=max(sizes), k=k))
    return QuestionTrend(question_id=qid, rounds=tuple(points), months=tuple(per_month))


# --- Borrels and coffee -------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class BorrelAttendance:
    """One borrel that was announced: its RSVP counts, who said yes (public in the channel), and who was invited.

    `invited` is the team's members now: the invite goes to the whole channel, and who was in it then is not kept.
    """

    occurrence_id: int
    ritual_id: int
    local_date: date
    starts_at: datetime
    cancelled: bool
    closed: bool
    joined: int
    maybe: int
    declined: int
    invited: int
    joined_names: tuple[str, ...]

    @property
    def rate(self) -> float | None:
        """The share of the invited who said they would join; None when nobody was invited."""
        return min(1.0, self.joined / self.invited) if self.invited else None


@dataclass(frozen=True, kw_only=True)
class CoffeeRoundRate:
    """One coffee-pairing round: the groups it formed, members nobody could be matched with, and who met."""

    round_id: int
    ritual_id: int
    local_date: date
    groups: int
    unmatched: int
    asked: int  # groups that got "did you meet?"
    met: int

    @property
    def met_share(self) -> float | None:
        """The share of asked groups that said they met; None before any was asked."""
        return self.met / self.asked if self.asked else None


# --- The store and the service ------------------------------------------------------------------------------


class ReportStore(Protocol):
    """What the reports read; storage/reports.py implements it on SQLAlchemy Core. Read-only."""

    async def standups(self, team_id: int, query: StandupFilter) -> tuple[list[StoredStandup], bool]:
        """The filter's page of the team's stand-ups (newest first, with an answer `matches` its search) and
        whether more follow."""
        ...

    async def turnouts(self, team_id: int, since: date, until: date) -> list[Turnout]:
        """Stand-ups that prompted someone and closed pulse rounds of the team between the dates, oldest first."""
        ...

    async def pulse_rounds(self, team_id: int, limit: int) -> list[tuple[Ritual, list[RoundCounts]]]:
        """Each pulse ritual of the team with its last `limit` closed rounds' tallies, oldest first, no comments."""
        ...

    async def borrels(self, team_id: int, limit: int) -> list[BorrelAttendance]:
        """The team's last `limit` announced borrels, newest first."""
        ...

    async def coffee_rounds(self, team_id: int, limit: int) -> list[CoffeeRoundRate]:
        """The team's last `limit` coffee-pairing rounds, newest first."""
        ...


class Reports:
    """The read side of a manager's pages; the pages check who may see which team before calling."""

    def __init__(self, *, store: ReportStore, catalog: Catalog) -> None:
        """Read through `store`; put questions in words through `catalog`."""
        self._store = store
        self._catalog = catalog

    async def standup_history(self, team_id: int, query: StandupFilter, locale: str) -> StandupPage:
        """A page of the team's stand-ups, newest first, with questions in `locale` and blockers marked."""
        stored, has_more = await self._store.standups(team_id, query)
        days = tuple(standup_day(s, search=query.search, catalog=self._catalog, locale=locale) for s in stored)
        return StandupPage(filter=query, days=days, has_more=has_more)

    async def participation(self, team_id: int, since: date, until: date) -> Participation:
        """Per occurrence and per ISO week, how many were prompted and answered, between the local dates."""
        if since > until:
            raise FilterError("chart.filter.range", since=since.isoformat(), until=until.isoformat())
        turnouts = tuple(await self._store.turnouts(team_id, since, until))
        return Participation(occurrences=turnouts, weeks=by_week(turnouts))

    async def pulse_trends(self, team_id: int, rounds: int = DEFAULT_TREND_ROUNDS) -> list[PulseTrends]:
        """For each pulse of the team, its trends per question over its last `rounds` closed rounds."""
        if not 1 <= rounds <= MAX_TREND_ROUNDS:
            raise FilterError("chart.filter.rounds", limit=MAX_TREND_ROUNDS)
        # A few rounds more than asked, so the oldest month of the window is a whole month, not its tail.
        return [
            pulse_trends(ritual.id, history, ritual.pulse.k, window=rounds)
            for ritual, history in await self._store.pulse_rounds(team_id, rounds + MAX_ROUNDS_A_MONTH - 1)
        ]

    async def borrels(self, team_id: int, limit: int = DEFAULT_HISTORY) -> list[BorrelAttendance]:
        """The team's last borrels, newest first."""
        return await self._store.borrels(team_id, _checked_limit(limit))

    async def coffee(self, team_id: int, limit: int = DEFAULT_HISTORY) -> list[CoffeeRoundRate]:
        """The team's last coffee-pairing rounds, newest first."""
        return await self._store.coffee_rounds(team_id, _checked_limit(limit))


def _checked_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_PAGE:
        raise FilterError("chart.filter.page", limit=MAX_PAGE)
    return limit
