"""Domain objects the engine works with; repositories return these, never ORM rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DUTCH_WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")  # as Dutch members type them
MAX_QUESTIONS = 8
DEFAULT_REMIND_MINUTES = 60
# The pulse's limits live here so settings can validate them; rituals.pulse builds on the model, not the reverse.
PULSE_MAX_QUESTIONS = 3
PULSE_MIN_K = 3
PULSE_DEFAULT_K = 5
PULSE_MAX_K = 50
PULSE_DEFAULT_OPEN_DAYS = 3
MAX_LINK_LENGTH = 500
MAX_THEME_LENGTH = 200
# Coffee pairs avoid anyone met within about twelve weeks: twelve weekly rounds, or six every two weeks.
COFFEE_MEMORY_WEEKS = 12
MAX_CORE_RANGES = 4


class Role(StrEnum):
    """What a member may do in a team."""

    MEMBER = "member"
    MANAGER = "manager"


class RitualKind(StrEnum):
    """The kinds of ritual the engine runs."""

    STANDUP = "standup"
    PULSE = "pulse"
    BORREL = "borrel"
    COFFEE_MACHINE = "coffee_machine"
    COFFEE = "coffee"
    FOCUS = "focus"
    CORE_HOURS = "core_hours"


class DeliveryStatus(StrEnum):
    """Where one member's prompt for one occurrence stands."""

    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    SKIPPED = "skipped"
    MISSED = "missed"


@dataclass(frozen=True, kw_only=True)
class Member:
    """A person on one platform workspace, with the hours Ritme must respect."""

    id: int
    platform: str
    workspace_id: str
    user_id: str
    display_name: str
    timezone: str
    locale: str
    work_days: tuple[int, ...]
    work_start: time
    work_end: time
    away_until: date | None
    is_admin: bool = False
    country: str = ""  # whose public holidays they keep (ISO 3166 alpha-2); "" is the default from settings

    def is_away_on(self, local_date: date) -> bool:
        """True when the member said they are away on that local date (inclusive)."""
        return self.away_until is not None and local_date <= self.away_until

    def works_on(self, local_date: date) -> bool:
        """True when that local date is one of the member's working days."""
        return local_date.weekday() in self.work_days


@dataclass(frozen=True, kw_only=True)
class Team:
    """A team is one channel on a platform."""

    id: int
    platform: str
    workspace_id: str
    channel_id: str
    name: str


class StandupSettings(BaseModel):
    """Per-kind settings of a stand-up, validated when stored and when read back."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Rows stored before the pulse existed carry no kind: they are stand-ups, hence the default.
    kind: Literal["standup"] = "standup"
    template: str = "morning"
    questions: tuple[str, ...] = Field(default=(), max_length=MAX_QUESTIONS)
    digest_at: time
    remind_after_minutes: int | None = Field(default=DEFAULT_REMIND_MINUTES, ge=5, le=720)


class PulseSettings(BaseModel):
    """Per-kind settings of a wellbeing pulse, validated when stored and when read back.

    A round opens on one of the ritual's days at its time and stays open `open_days` days, closing at `closes_at`
    (team-local): "opens Friday 14:00, closes Monday 12:00" is something a team lead can say and check.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["pulse"] = "pulse"
    questions_per_round: int = Field(default=2, ge=1, le=PULSE_MAX_QUESTIONS)
    pinned: tuple[str, ...] = Field(default=(), max_length=PULSE_MAX_QUESTIONS)
    k: int = Field(default=PULSE_DEFAULT_K, ge=PULSE_MIN_K, le=PULSE_MAX_K)
    audience: Literal["channel", "managers"] = "channel"
    every_weeks: int = Field(default=1, ge=1, le=2)
    # Biweekly rounds fall in the weeks an even number of weeks after this Monday (the week it was created).
    anchor: date
    open_days: int = Field(default=PULSE_DEFAULT_OPEN_DAYS, ge=1, le=6)
    closes_at: time
    remind: bool = True

    @model_validator(mode="after")
    def _pins_fit(self) -> PulseSettings:
        # A pinned question is always asked, so more pins than questions per round could never all be asked.
        if len(self.pinned) > self.questions_per_round:
            raise ValueError(f"{len(self.pinned)} pinned questions but {self.questions_per_round} per round")
        if len(set(self.pinned)) != len(self.pinned):
            raise ValueError("a question is pinned twice")
        return self


class BorrelSettings(BaseModel):
    """A recurring virtual borrel: its length, where it happens, its theme, and when the invite and reminder go out.

    The ritual's `at` is the start and its `days` the weekday; every_weeks counts from `anchor` like a pulse's.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["borrel"] = "borrel"
    minutes: int = Field(default=45, ge=10, le=240)
    link: str = Field(min_length=1, max_length=MAX_LINK_LENGTH)
    # "rotate" takes a new icebreaker from the bank each time; "fixed" uses `theme`; "off" shows none.
    theme_mode: Literal["rotate", "fixed", "off"] = "rotate"
    theme: str = Field(default="", max_length=MAX_THEME_LENGTH)
    every_weeks: int = Field(default=1, ge=1, le=4)
    anchor: date
    remind_minutes: int = Field(default=10, ge=1, le=120)
    invite_days: int = Field(default=0, ge=0, le=6)


class CoffeeMachineSettings(BaseModel):
    """An always-open coffee room: its link is posted at the ritual's `at` on its days, open until `until`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["coffee_machine"] = "coffee_machine"
    link: str = Field(min_length=1, max_length=MAX_LINK_LENGTH)
    until: time


class CoffeeSettings(BaseModel):
    """Coffee pairing: a round on the ritual's day and time every one or two weeks, with a follow-up later."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["coffee"] = "coffee"
    every_weeks: int = Field(default=1, ge=1, le=2)
    anchor: date
    # "all": every member of the channel takes part unless they leave; "optin": only those who joined.
    enrol: Literal["all", "optin"] = "optin"
    memory_rounds: int = Field(default=COFFEE_MEMORY_WEEKS, ge=0, le=52)
    follow_up_days: int = Field(default=3, ge=1, le=6)
    min_overlap_minutes: int = Field(default=60, ge=15, le=480)


class FocusSettings(BaseModel):
    """A no-meeting window: it starts at the ritual's `at` on its `days` (team zone) and ends at `until`.

    The research behind Ritme: meeting-free time (no meetings 12:00-13:00 so people can go outside; a focus
    afternoon) only holds when it is agreed and visible, so the team may get one short reminder as it starts.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["focus"] = "focus"
    until: time
    label: str = Field(default="", max_length=MAX_THEME_LENGTH)
    remind: bool = True


class CoreHoursSettings(BaseModel):
    """A team's core hours: the ranges (team zone) on the ritual's `days` when everyone agrees to be reachable.

    A team has at most one; the ritual's `at` is the start of its first range.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["core_hours"] = "core_hours"
    ranges: tuple[tuple[time, time], ...] = Field(min_length=1, max_length=MAX_CORE_RANGES)

    @model_validator(mode="after")
    def _ranges_ordered(self) -> CoreHoursSettings:
        previous_end: time | None = None
        for start, end in self.ranges:
            if not start < end:
                raise ValueError(f"a core-hours range must end after it starts: {start}-{end}")
            if previous_end is not None and start < previous_end:
                raise ValueError("core-hours ranges must be in order and must not overlap")
            previous_end = end
        return self


RitualSettings = (
    StandupSettings | PulseSettings | BorrelSettings | CoffeeMachineSettings | CoffeeSettings | FocusSettings
    | CoreHoursSettings
)

_SETTINGS_BY_KIND: dict[str, type[BaseModel]] = {
    RitualKind.PULSE.value: PulseSettings,
    RitualKind.BORREL.value: BorrelSettings,
    RitualKind.COFFEE_MACHINE.value: CoffeeMachineSettings,
    RitualKind.COFFEE.value: CoffeeSettings,
    RitualKind.FOCUS.value: FocusSettings,
    RitualKind.CORE_HOURS.value: CoreHoursSettings,
}


def ritual_settings(value: RitualSettings | Mapping[str, Any]) -> RitualSettings:
    """Settings of any kind from stored JSON; JSON without a kind is a stand-up's (stored before pulses)."""
    if isinstance(value, BaseModel):
        return value
    model = _SETTINGS_BY_KIND.get(str(value.get("kind")), StandupSettings)
    settings: RitualSettings = model.model_validate(value)  # type: ignore[assignment]
    return settings


@dataclass(frozen=True, kw_only=True)
class Ritual:
    """A ritual configured for a team: when it happens and how."""

    id: int
    team_id: int
    kind: RitualKind
    at: time
    days: tuple[int, ...]
    timezone: str
    locale: str
    paused: bool
    settings: RitualSettings
    created_by: int

    @property
    def standup(self) -> StandupSettings:
        """The settings of a stand-up; a TypeError for another kind, which would be a bug in the caller."""
        if not isinstance(self.settings, StandupSettings):
            raise TypeError(f"ritual {self.id} is a {self.kind}, not a stand-up")
        return self.settings

    @property
    def pulse(self) -> PulseSettings:
        """The settings of a pulse; a TypeError for another kind, which would be a bug in the caller."""
        if not isinstance(self.settings, PulseSettings):
            raise TypeError(f"ritual {self.id} is a {self.kind}, not a pulse")
        return self.settings

    @property
    def borrel(self) -> BorrelSettings:
        """The settings of a borrel; a TypeError for another kind, which would be a bug in the caller."""
        if not isinstance(self.settings, BorrelSettings):
            raise TypeError(f"ritual {self.id} is a {self.kind}, not a borrel")
        return self.settings

    @property
    def coffee_machine(self) -> CoffeeMachineSettings:
        """The settings of a coffee machine; a TypeError for another kind, which would be a bug in the caller."""
        if not isinstance(self.settings, CoffeeMachineSettings):
            raise TypeError(f"ritual {self.id} is a {self.kind}, not a coffee machine")
        return self.settings

    @property
    def coffee(self) -> CoffeeSettings:
        """The settings of coffee pairing; a TypeError for another kind, which would be a bug in the caller."""
        if not isinstance(self.settings, CoffeeSettings):
            raise TypeError(f"ritual {self.id} is a {self.kind}, not coffee pairing")
        return self.settings

    @property
    def focus(self) -> FocusSettings:
        """The settings of a no-meeting window; a TypeError for another kind, which would be a bug in the caller."""
        if not isinstance(self.settings, FocusSettings):
            raise TypeError(f"ritual {self.id} is a {self.kind}, not a no-meeting window")
        return self.settings

    @property
    def core_hours(self) -> CoreHoursSettings:
        """The settings of core hours; a TypeError for another kind, which would be a bug in the caller."""
        if not isinstance(self.settings, CoreHoursSettings):
            raise TypeError(f"ritual {self.id} is a {self.kind}, not core hours")
        return self.settings


@dataclass(frozen=True, kw_only=True)
class Occurrence:
    """One team-local date of a ritual; its digest is posted once at digest_due_at."""

    id: int
    ritual_id: int
    local_date: date
    digest_due_at: datetime
    digest_posted_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class Delivery:
    """One member's prompt for one occurrence; (ritual, member, local_date) is unique."""

    id: int
    occurrence_id: int
    ritual_id: int
    member_id: int
    local_date: date
    due_at: datetime
    status: DeliveryStatus
    sent_at: datetime | None = None
    remind_at: datetime | None = None
    reminded_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Answer:
    """What a member answered to a delivery's questions."""

    delivery_id: int
    member_id: int
    values: tuple[str, ...]
    submitted_at: datetime
    late: bool


@dataclass(frozen=True, kw_only=True)
class DuePrompt:
    """A delivery that is due, with what is needed to build its prompt."""

    delivery: Delivery
    member: Member
    ritual: Ritual
    team: Team
    digest_due_at: datetime


@dataclass(frozen=True, kw_only=True)
class DigestEntry:
    """One participant's line in a digest: their answer, or None when they did not answer."""

    member: Member
    answer: Answer | None


@dataclass(frozen=True, kw_only=True)
class QuestionCounts:
    """How a pulse round's members answered one question: how many picked each point of its 1-5 scale."""

    question_id: str
    counts: tuple[int, int, int, int, int]  # counts[0] picked 1, ..., counts[4] picked 5


@dataclass(frozen=True, kw_only=True)
class RoundCounts:
    """What a pulse round holds, and all it can hold: totals per question, never who answered what.

    Comments come in no particular order and without times, so none can be tied to a member by when it arrived.
    """

    occurrence_id: int
    local_date: date
    prompted: int
    responded: int
    questions: tuple[QuestionCounts, ...]
    comments: tuple[str, ...]
