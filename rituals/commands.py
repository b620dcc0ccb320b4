"""The command grammar every adapter shares: `/ritme <area> <verb> [options]` parsed into plain objects.

Parsing never touches state, so a malformed command can never change anything; it raises CommandError,
which names a catalog message and a correct example for the reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from rituals import pulse, standup
from rituals.boundaries import is_known_country
from rituals.catalog import LOCALES
from rituals.model import DUTCH_WEEKDAYS, MAX_LINK_LENGTH, MAX_QUESTIONS, MAX_THEME_LENGTH, PULSE_MAX_K, WEEKDAYS
from rituals.schedule import is_valid_zone
from rituals.text_safety import code_point, first_invisible

if TYPE_CHECKING:
    from rituals.calendar_commands import CalendarCommand
    from rituals.coffee_commands import CoffeeCommand
    from rituals.dashboard import OpenDashboard
    from rituals.focus_commands import FocusCommand

MAX_COMMAND_LENGTH = 2000
MAX_QUESTION_LENGTH = 200
# A member's name or mention as `manager add` takes it; Slack's `<@U0123456789|display name>` stays well below.
MAX_NAME_LENGTH = 100
TEMPLATES = tuple(standup.TEMPLATES)

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_QUOTES = {"\"": "\"”", "'": "'", "“": "”\""}  # an opening quote and what may close it
_QUESTIONS = re.compile(r"\bquestions\b", re.IGNORECASE)
_DURATION = re.compile(r"^(\d{1,4})\s*(m|min|h|u)$")


def check_visible(value: str, example: str) -> str:
    """`value` unchanged, or CommandError when it holds a control character, a line separator or a bidi mark.

    Free text a member gives (a question, a theme, a label, a link, a name) is shown to others later; such a
    character would hide, reorder or break what they read. Zero-width joiners stay allowed: emoji need them.
    """
    found = first_invisible(value)
    if found is not None:
        raise CommandError("error.invisible_character", code=code_point(found), example=example)
    return value


class CommandError(Exception):
    """A command that cannot be carried out; `key` and `params` pick the localized reply."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Help:
    """`help`, optionally about one area."""

    topic: str = ""


@dataclass(frozen=True)
class StandupCreate:
    """`standup create [template] [at HH:MM] [on days] [digest HH:MM] [remind 1h|off] [zone Z] [questions ...]`."""

    template: str = "morning"
    at: time | None = None
    days: tuple[int, ...] | None = None
    digest_at: time | None = None
    remind_after_minutes: int | None = None
    remind_off: bool = False
    timezone: str | None = None
    questions: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class StandupList:
    """`standup list`."""


@dataclass(frozen=True)
class StandupFailures:
    """`standup failures`: what could not be delivered to the channel or its members lately (managers)."""


@dataclass(frozen=True)
class StandupAction:
    """`standup pause|resume|delete|run|digest [id]`; without an id the team's only stand-up is meant."""

    action: str
    ritual_id: int | None


@dataclass(frozen=True)
class PulseCreate:
    """`pulse create [weekly|biweekly] [on] <day> [at] HH:MM [questions N] [pin ID[,ID]] [k N] [to managers|channel]
    [open Nd] [remind off]`; None leaves a setting at its default."""

    day: int
    at: time
    every_weeks: int = 1
    questions_per_round: int = 2
    pinned: tuple[str, ...] = ()
    k: int | None = None
    audience: Literal["channel", "managers"] = "channel"
    open_days: int | None = None
    remind: bool = True


@dataclass(frozen=True)
class PulseList:
    """`pulse list`."""


@dataclass(frozen=True)
class PulseQuestions:
    """`pulse questions`: the question bank, with the ids a manager can pin."""


@dataclass(frozen=True)
class PulseAction:
    """`pulse pause|resume|delete [id]`; without an id the team's only pulse is meant."""

    action: str
    ritual_id: int | None


@dataclass(frozen=True)
class MeShow:
    """`me`: show my settings."""


@dataclass(frozen=True)
class MeTimezone:
    """`me timezone Europe/Amsterdam`."""

    timezone: str


@dataclass(frozen=True)
class MeHours:
    """`me hours 08:30-17:00`."""

    start: time
    end: time


@dataclass(frozen=True)
class MeDays:
    """`me days mon-fri`."""

    days: tuple[int, ...]


@dataclass(frozen=True)
class MeAway:
    """`me away until 2026-12-01` or `me away off`."""

    until: date | None


@dataclass(frozen=True)
class MeCountry:
    """`me country BE` (whose public holidays I keep) or `me country off` (back to the default)."""

    country: str | None


@dataclass(frozen=True)
class MeLanguage:
    """`me language nl`."""

    locale: str


@dataclass(frozen=True)
class ManagerAdd:
    """`manager add <name>`."""

    who: str


@dataclass(frozen=True)
class ManagerList:
    """`manager list`."""


@dataclass(frozen=True)
class ManagerAudit:
    """`manager audit`: the team's latest configuration changes, who made them and when (managers)."""


@dataclass(frozen=True)
class BorrelCreate:
    """`borrel create <day> <HH:MM> [45m] <link> [theme "…"|rotate|off] [every 2w] [remind 10m] [invite 1d]
    [zone Z]`; theme None means rotating icebreakers."""

    day: int
    at: time
    link: str
    minutes: int = 45
    theme_mode: Literal["rotate", "fixed", "off"] = "rotate"
    theme: str = ""
    every_weeks: int = 1
    remind_minutes: int = 10
    invite_days: int = 0
    timezone: str | None = None


@dataclass(frozen=True)
class BorrelList:
    """`borrel list`."""


@dataclass(frozen=True)
class BorrelHistory:
    """`borrel history [id]`: the recent attendance lines."""

    ritual_id: int | None = None


DayRef = date | int
"""A date, or a weekday number (Monday is 0) the borrel resolves against its own dates."""


@dataclass(frozen=True)
class BorrelCancel:
    """`borrel cancel [id] [date|day]`: one occurrence, by default the next."""

    ritual_id: int | None
    which: DayRef | None = None


@dataclass(frozen=True)
class BorrelMove:
    """`borrel move [id] [date|day] [new date|day] <HH:MM>`: one occurrence, by default the next."""

    ritual_id: int | None
    which: DayRef | None
    to: DayRef | None
    at: time


@dataclass(frozen=True)
class BorrelAction:
    """`borrel pause|resume|delete [id]`."""

    action: str
    ritual_id: int | None


BorrelCommand = BorrelCreate | BorrelList | BorrelHistory | BorrelCancel | BorrelMove | BorrelAction


Command = (
    Help
    | StandupCreate
    | StandupList
    | StandupFailures
    | StandupAction
    | PulseCreate
    | PulseList
    | PulseQuestions
    | PulseAction
    | MeShow
    | MeTimezone
    | MeHours
    | MeDays
    | MeAway
    | MeLanguage
    | MeCountry
    | ManagerAdd
    | ManagerList
    | ManagerAudit
    | BorrelCommand
)

MANAGER_COMMANDS = (StandupCreate, StandupAction, StandupFailures, PulseCreate, PulseAction, ManagerAdd)
PULSE_EXAMPLE = "/ritme pulse create weekly fri 14:00"
_PULSE_FREQUENCIES = {"weekly": 1, "wekelijks": 1, "biweekly": 2, "tweewekelijks": 2}
_PULSE_OPTIONS = ("questions", "pin", "k", "to", "open", "remind")


def parse(text: str, today: date) -> Command | CoffeeCommand | CalendarCommand | FocusCommand | OpenDashboard:
    """Parse the text after `/ritme` (a leading `/ritme`, `ritme` or `@ritme` is ignored)."""
    if len(text) > MAX_COMMAND_LENGTH:
        raise CommandError("error.too_long", limit=MAX_COMMAND_LENGTH, length=len(text))
    words = text.strip().split()
    if words and words[0].lower().lstrip("/@") == "ritme":
        words = words[1:]
    if not words:
        return Help()
    area, rest = words[0].lower(), words[1:]
    if area in ("help", "hulp", "?"):
        return Help(rest[0].lower() if rest else "")
    if area == "standup":
        return _parse_standup(rest, text)
    if area == "pulse":
        return _parse_pulse(rest)
    if area == "me":
        return _parse_me(rest, today)
    if area == "manager":
        return _parse_manager(rest)
    if area == "borrel":
        return parse_borrel(rest, text)
    if area in ("coffee", "koffie"):
        from rituals.coffee_commands import parse_coffee  # imported late: it builds on this module's parsers

        return parse_coffee(rest)
    if area == "focus" and rest and rest[0].lower() in ("calendar", "agenda", "kalender"):
        from rituals.calendar_commands import parse_calendar  # imported late: it builds on this module's errors

        return parse_calendar(rest[1:])
    if area in ("focus", "core", "meet-check", "meetcheck"):
        from rituals import focus_commands  # imported late, like coffee: it builds on this module's parsers

        if area == "focus":
            return focus_commands.parse_focus(rest)
        if area == "core":
            return focus_commands.parse_core(rest)
        return focus_commands.parse_meet_check(rest)
    if area in ("dashboard", "web"):
        from rituals.dashboard import parse_dashboard  # imported late, like coffee: it builds on this module's errors

        return parse_dashboard(rest)
    raise CommandError("error.unknown_command", word=words[0])


def _parse_standup(words: list[str], raw: str) -> Command:
    if not words or words[0].lower() in ("help", "hulp"):
        return Help("standup")
    verb, rest = words[0].lower(), words[1:]
    if verb == "create":
        return _parse_create(raw)
    if verb == "list":
        return StandupList()
    if verb == "failures":
        if rest:
            raise CommandError("error.failures_options", value=" ".join(rest))
        return StandupFailures()
    if verb in ("pause", "resume", "delete", "run", "digest"):
        if not rest:
            return StandupAction(verb, None)
        if len(rest) > 1 or not rest[0].lstrip("#").isdigit():
            raise CommandError("error.ritual_id", value=" ".join(rest), verb=verb)
        return StandupAction(verb, int(rest[0].lstrip("#")))
    raise CommandError("error.unknown_subcommand", area="standup", word=words[0], example="/ritme standup list")


def _parse_create(raw: str) -> StandupCreate:
    # Questions may contain any word, so they are cut off before the options are split into words.
    marker = _QUESTIONS.search(raw)
    head = raw[: marker.start()] if marker else raw
    words = head.split()
    words = words[[w.lower() for w in words].index("create") + 1 :]
    options: dict[str, Any] = {}
    seen: set[str] = set()
    if words and words[0].lower() in TEMPLATES:
        options["template"] = words.pop(0).lower()
    while words:
        option = words.pop(0).lower()
        if option not in ("at", "on", "digest", "remind", "zone"):
            raise CommandError("error.unknown_option", word=option)
        if option in seen:
            raise CommandError("error.repeated_option", option=option)
        seen.add(option)
        if not words:
            raise CommandError("error.missing_value", option=option)
        value = words.pop(0)
        if option == "at":
            options["at"] = parse_time(value, "at 09:30")
        elif option == "digest":
            options["digest_at"] = parse_time(value, "digest 11:00")
        elif option == "on":
            options["days"] = parse_days(value, "on mon-fri")
        elif option == "zone":
            options["timezone"] = parse_zone(value, "zone Europe/Amsterdam")
        elif value.lower() in ("off", "uit"):
            options["remind_off"] = True
        else:
            options["remind_after_minutes"] = parse_duration(value)
    if marker:
        options["questions"] = parse_questions(raw[marker.end() :])
    return StandupCreate(**options)


def _parse_pulse(words: list[str]) -> Command:
    if not words or words[0].lower() in ("help", "hulp"):
        return Help("pulse")
    verb, rest = words[0].lower(), words[1:]
    if verb == "create":
        return _parse_pulse_create(rest)
    if verb in ("list", "questions") and rest:
        raise CommandError("error.pulse_extra", verb=verb, value=" ".join(rest))
    if verb == "list":
        return PulseList()
    if verb == "questions":
        return PulseQuestions()
    if verb in ("pause", "resume", "delete"):
        if not rest:
            return PulseAction(verb, None)
        if len(rest) > 1 or not rest[0].lstrip("#").isdigit():
            raise CommandError("error.pulse_id", value=" ".join(rest), verb=verb)
        return PulseAction(verb, int(rest[0].lstrip("#")))
    raise CommandError("error.unknown_subcommand", area="pulse", word=words[0], example=PULSE_EXAMPLE)


def _parse_pulse_create(words: list[str]) -> PulseCreate:
    words = list(words)
    every_weeks = 1
    if words and words[0].lower() in _PULSE_FREQUENCIES:
        every_weeks = _PULSE_FREQUENCIES[words.pop(0).lower()]
    # The day and time that open a round come first, each optionally after its little word: "on fri at 14:00".
    if words and words[0].lower() in ("on", "op"):
        words.pop(0)
    if not words:
        raise CommandError("error.pulse_when", example=PULSE_EXAMPLE)
    day_text = words.pop(0)
    if day_text.lower() not in WEEKDAYS:
        raise CommandError("error.pulse_day", value=day_text, example=PULSE_EXAMPLE)
    if words and words[0].lower() in ("at", "om"):
        words.pop(0)
    if not words:
        raise CommandError("error.pulse_when", example=PULSE_EXAMPLE)
    at = parse_time(words.pop(0), PULSE_EXAMPLE)
    options: dict[str, Any] = {}
    seen: set[str] = set()
    while words:
        option = words.pop(0).lower()
        if option not in _PULSE_OPTIONS:
            raise CommandError("error.pulse_option", word=option, example=f"{PULSE_EXAMPLE} questions 2 k 5")
        if option in seen:
            raise CommandError("error.pulse_repeated", option=option, example=f"{PULSE_EXAMPLE} questions 2")
        seen.add(option)
        if not words:
            raise CommandError("error.pulse_missing", option=option, example=_PULSE_OPTION_EXAMPLES[option])
        value = words.pop(0)
        if option == "questions":
            options["questions_per_round"] = _bounded(value, 1, pulse.MAX_QUESTIONS_PER_ROUND, "error.pulse_count")
        elif option == "k":
            options["k"] = _bounded(value, pulse.MIN_K, PULSE_MAX_K, "error.pulse_k")
        elif option == "open":
            options["open_days"] = _bounded(value.lower().removesuffix("d"), 1, 6, "error.pulse_open")
        elif option == "pin":
            options["pinned"] = _parse_pins(value)
        elif option == "to":
            if value.lower() not in ("managers", "channel"):
                raise CommandError("error.pulse_audience", value=value)
            options["audience"] = "managers" if value.lower() == "managers" else "channel"
        elif value.lower() in ("off", "uit", "on", "aan"):
            options["remind"] = value.lower() in ("on", "aan")
        else:
            raise CommandError("error.pulse_remind", value=value)
    pinned = options.get("pinned", ())
    # Pins alone raise the count to fit them; a count given explicitly must leave room for every pin.
    options.setdefault("questions_per_round", max(len(pinned), 2))
    if len(pinned) > options["questions_per_round"]:
        raise CommandError("error.pulse_pins_many", count=len(pinned), per_round=options["questions_per_round"])
    return PulseCreate(day=WEEKDAYS.index(day_text.lower()), at=at, every_weeks=every_weeks, **options)


_PULSE_OPTION_EXAMPLES = {
    "questions": f"{PULSE_EXAMPLE} questions 2",
    "pin": f"{PULSE_EXAMPLE} pin workload",
    "k": f"{PULSE_EXAMPLE} k 5",
    "to": f"{PULSE_EXAMPLE} to managers",
    "open": f"{PULSE_EXAMPLE} open 3d",
    "remind": f"{PULSE_EXAMPLE} remind off",
}


def _bounded(value: str, low: int, high: int, key: str) -> int:
    """A whole number from `low` to `high`, or the CommandError `key` (its message names the range)."""
    if not value.isdigit() or not low <= int(value) <= high:
        raise CommandError(key, value=value, low=low, high=high)
    return int(value)


def _parse_pins(value: str) -> tuple[str, ...]:
    """`workload,feeling` as question ids of the bank, each once."""
    pins = tuple(part.strip().lower() for part in value.split(",") if part.strip())
    for pin in pins:
        if pin not in pulse.QUESTIONS:
            raise CommandError("error.pulse_pin", value=pin)
    if not pins or len(set(pins)) != len(pins):
        raise CommandError("error.pulse_pin", value=value)
    return pins


def _parse_me(words: list[str], today: date) -> Command:
    if not words:
        return MeShow()
    verb, rest = words[0].lower(), words[1:]
    if verb in ("help", "hulp"):
        return Help("me")
    if verb in ("timezone", "tz", "zone"):
        if len(rest) != 1:
            raise CommandError("error.zone", value=" ".join(rest), example="/ritme me timezone Europe/Amsterdam")
        return MeTimezone(parse_zone(rest[0], "/ritme me timezone Europe/Amsterdam"))
    if verb == "hours":
        if len(rest) != 1:
            raise CommandError("error.hours", value=" ".join(rest))
        return MeHours(*parse_hours(rest[0]))
    if verb == "days":
        if len(rest) != 1:
            raise CommandError("error.days", value=" ".join(rest), example="/ritme me days mon-fri")
        return MeDays(parse_days(rest[0], "/ritme me days mon-fri"))
    if verb == "away":
        if len(rest) == 1 and rest[0].lower() in ("off", "uit", "back", "terug"):
            return MeAway(None)
        if len(rest) == 2 and rest[0].lower() in ("until", "tot"):
            return MeAway(parse_future_date(rest[1], today))
        raise CommandError("error.away", value=" ".join(rest), example=_example_date(today))
    if verb in ("country", "land"):
        if len(rest) == 1 and rest[0].lower() in ("off", "uit", "default", "standaard"):
            return MeCountry(None)
        if len(rest) != 1 or not is_known_country(rest[0]):
            raise CommandError("error.country", value=" ".join(rest), example="/ritme me country BE")
        return MeCountry(rest[0].upper())
    if verb in ("language", "taal"):
        if len(rest) != 1 or rest[0].lower() not in LOCALES:
            raise CommandError("error.language", value=" ".join(rest))
        return MeLanguage(rest[0].lower())
    raise CommandError("error.unknown_subcommand", area="me", word=words[0], example="/ritme me hours 08:30-17:00")


def _parse_manager(words: list[str]) -> Command:
    if not words or words[0].lower() in ("help", "hulp"):
        return Help("manager")
    verb, rest = words[0].lower(), words[1:]
    if verb == "list":
        return ManagerList()
    if verb in ("audit", "log"):
        if rest:
            raise CommandError("error.audit_extra", value=" ".join(rest)[:80])
        return ManagerAudit()
    if verb == "add":
        who = " ".join(rest).strip().lstrip("@")
        if not who:
            raise CommandError("error.manager_who")
        if len(who) > MAX_NAME_LENGTH:
            raise CommandError("error.name_long", length=len(who), limit=MAX_NAME_LENGTH, example=_MANAGER_EXAMPLE)
        return ManagerAdd(check_visible(who, _MANAGER_EXAMPLE))
    raise CommandError("error.unknown_subcommand", area="manager", word=words[0], example="/ritme manager list")


_MANAGER_EXAMPLE = "/ritme manager add Sam"
_QUESTIONS_EXAMPLE = '/ritme standup create questions "What is your focus today?"'


def parse_time(value: str, example: str) -> time:
    """`09:30` or `9.30` as a time."""
    match = _TIME.match(value)
    if not match:
        raise CommandError("error.time", value=value, example=example)
    return time(int(match.group(1)), int(match.group(2)))


def parse_hours(value: str) -> tuple[time, time]:
    """`08:30-17:00` as a start and end on the same day."""
    start_text, dash, end_text = value.partition("-")
    if not dash:
        raise CommandError("error.hours", value=value)
    start = parse_time(start_text, "me hours 08:30-17:00")
    end = parse_time(end_text, "me hours 08:30-17:00")
    if end <= start:
        raise CommandError("error.hours_order", value=value)
    return start, end


def parse_days(value: str, example: str) -> tuple[int, ...]:
    """`mon-fri`, `mon,wed,fri`, `daily` or `weekdays` as weekday numbers (Monday is 0)."""
    text = value.lower()
    if text in ("daily", "dagelijks", "every-day"):
        return tuple(range(7))
    if text in ("weekdays", "werkdagen"):
        return tuple(range(5))
    days: set[int] = set()
    for part in text.split(","):
        first, dash, last = part.partition("-")
        if first not in WEEKDAYS or (dash and last not in WEEKDAYS):
            raise CommandError("error.days", value=value, example=example)
        start = WEEKDAYS.index(first)
        end = WEEKDAYS.index(last) if dash else start
        if end < start:
            raise CommandError("error.days", value=value, example=example)
        days.update(range(start, end + 1))
    return tuple(sorted(days))


def parse_zone(value: str, example: str) -> str:
    """An IANA zone name."""
    if not is_valid_zone(value):
        raise CommandError("error.zone", value=value, example=example)
    return value


def parse_duration(value: str) -> int:
    """`30m`, `1h` or `1u` as minutes between 5 minutes and 12 hours."""
    match = _DURATION.match(value.lower())
    if not match:
        raise CommandError("error.duration", value=value)
    minutes = int(match.group(1)) * (60 if match.group(2) in ("h", "u") else 1)
    if not 5 <= minutes <= 720:
        raise CommandError("error.duration", value=value)
    return minutes


def parse_future_date(value: str, today: date) -> date:
    """An ISO date that is today or later."""
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise CommandError("error.date", value=value, example=_example_date(today)) from None
    if parsed < today:
        raise CommandError("error.date_past", value=value, example=_example_date(today))
    return parsed


def _unquote(part: str) -> str:
    """A question without its quotes; words after a closing quote mean an option was put after the questions."""
    text = part.strip()
    closers = _QUOTES.get(text[:1])
    if closers is None:
        return text
    closing = next((i for i in range(1, len(text)) if text[i] in closers), len(text))
    if text[closing + 1 :].strip():
        raise CommandError("error.after_questions", rest=text[closing + 1 :].strip())
    return text[1:closing].strip()


def _example_date(today: date) -> str:
    return (today + timedelta(days=7)).isoformat()


def parse_questions(text: str) -> tuple[str, ...]:
    """`"How are you?" | "What is your focus?"` as a tuple of questions."""
    questions = tuple(_unquote(part) for part in text.split("|"))
    if not any(questions):
        raise CommandError("error.questions_empty")
    if not all(questions):
        raise CommandError("error.question_blank")
    if len(questions) > MAX_QUESTIONS:
        raise CommandError("error.questions_many", limit=MAX_QUESTIONS, count=len(questions))
    for question in questions:
        if len(question) > MAX_QUESTION_LENGTH:
            raise CommandError("error.question_long", limit=MAX_QUESTION_LENGTH, length=len(question))
        check_visible(question, _QUESTIONS_EXAMPLE)
    return questions


# The virtual borrel ----------------------------------------------------------------------------------------

BORREL_EXAMPLE = "/ritme borrel create fri 16:30 45m https://meet.example/borrel"
_BORREL_OPTIONS = ("theme", "thema", "every", "elke", "remind", "invite", "zone")
_BORREL_TOKEN = re.compile(r"\"[^\"]*\"|“[^”]*”|\S+")
_BORREL_EVERY = re.compile(r"^([1-4])\s*(w|wk|weeks?|weken)?$")
_BORREL_DAYS = re.compile(r"^(\d)\s*d$")


BORREL_MANAGER_COMMANDS = (BorrelCreate, BorrelCancel, BorrelMove, BorrelAction)


def parse_borrel(words: list[str], raw: str) -> Command:
    """The words after `borrel`; `raw` is the whole text, for a quoted theme."""
    if not words or words[0].lower() in ("help", "hulp"):
        return Help("borrel")
    verb, rest = words[0].lower(), words[1:]
    if verb in ("create", "maak"):
        tokens = _BORREL_TOKEN.findall(raw)
        at = next(i for i, token in enumerate(tokens) if token.lower() == verb)
        return _parse_borrel_create(tokens[at + 1 :])
    if verb in ("list", "lijst"):
        return BorrelList()
    if verb in ("history", "historie", "geschiedenis"):
        ritual_id, rest = _borrel_id(rest, "history")
        if rest:
            raise CommandError("error.borrel_extra", value=" ".join(rest), example="/ritme borrel history 1")
        return BorrelHistory(ritual_id)
    if verb in ("pause", "resume", "delete"):
        ritual_id, rest = _borrel_id(rest, verb)
        if rest:
            raise CommandError("error.borrel_id", value=" ".join(rest), verb=verb)
        return BorrelAction(verb, ritual_id)
    if verb in ("cancel", "annuleer"):
        ritual_id, rest = _borrel_id(rest, "cancel")
        if len(rest) > 1:
            raise CommandError("error.borrel_extra", value=" ".join(rest[1:]), example="/ritme borrel cancel 1 fri")
        return BorrelCancel(ritual_id, parse_day_ref(rest[0], "/ritme borrel cancel 1 fri") if rest else None)
    if verb in ("move", "verplaats"):
        return _parse_borrel_move(rest)
    raise CommandError("error.unknown_subcommand", area="borrel", word=words[0], example="/ritme borrel list")


def _borrel_id(words: list[str], verb: str) -> tuple[int | None, list[str]]:
    """A leading `1` or `#1`, and the words after it."""
    if words and words[0].lstrip("#").isdigit():
        return int(words[0].lstrip("#")), words[1:]
    if words and words[0].startswith("#"):
        raise CommandError("error.borrel_id", value=words[0], verb=verb)
    return None, words


def parse_day_ref(value: str, example: str, error_key: str = "error.borrel_date") -> DayRef:
    """`2026-11-27` or a weekday (`fri`, `vr`); anything else is refused with `error_key` and the example."""
    text = value.lower()
    if text in WEEKDAYS:
        return WEEKDAYS.index(text)
    if text in DUTCH_WEEKDAYS:
        return DUTCH_WEEKDAYS.index(text)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(error_key, value=value, example=example) from None


_MOVE_EXAMPLE = "/ritme borrel move 1 fri thu 17:00"


def _parse_borrel_move(words: list[str]) -> BorrelMove:
    ritual_id, rest = _borrel_id(words, "move")
    if rest and rest[-1].lower() in ("at", "om"):
        rest = rest[:-1]
    rest = [word for word in rest if word.lower() not in ("to", "naar", "at", "om")]
    if not rest or len(rest) > 3:
        raise CommandError("error.borrel_move", value=" ".join(words), example=_MOVE_EXAMPLE)
    at = parse_time(rest[-1], _MOVE_EXAMPLE)
    days = [parse_day_ref(word, _MOVE_EXAMPLE) for word in rest[:-1]]
    which, to = (days[0], days[1]) if len(days) == 2 else (None, days[0] if days else None)
    return BorrelMove(ritual_id, which, to, at)


def _parse_borrel_create(tokens: list[str]) -> BorrelCreate:
    words = list(tokens)
    if words and words[0].lower() in ("on", "op"):
        words.pop(0)
    if not words:
        raise CommandError("error.borrel_when", example=BORREL_EXAMPLE)
    day_text = words.pop(0).lower()
    if day_text not in WEEKDAYS and day_text not in DUTCH_WEEKDAYS:
        raise CommandError("error.borrel_day", value=day_text, example=BORREL_EXAMPLE)
    day = WEEKDAYS.index(day_text) if day_text in WEEKDAYS else DUTCH_WEEKDAYS.index(day_text)
    if words and words[0].lower() in ("at", "om"):
        words.pop(0)
    if not words:
        raise CommandError("error.borrel_when", example=BORREL_EXAMPLE)
    at = parse_time(words.pop(0), BORREL_EXAMPLE)
    options: dict[str, Any] = {}
    seen: set[str] = set()
    while words:
        word = words.pop(0)
        lower = word.lower()
        if _DURATION.match(lower) and "minutes" not in options:
            options["minutes"] = _borrel_minutes(lower, 10, 240, "error.borrel_minutes")
            continue
        if lower.startswith(("http://", "https://", "www.")) or "://" in lower:
            if "link" in options:
                raise CommandError("error.borrel_repeated", option="link", example=BORREL_EXAMPLE)
            options["link"] = check_link(word)
            continue
        option = {"thema": "theme", "elke": "every"}.get(lower, lower)
        if option not in _BORREL_OPTIONS:
            raise CommandError("error.borrel_option", word=word, example=f"{BORREL_EXAMPLE} every 2w")
        if option in seen:
            raise CommandError("error.borrel_repeated", option=option, example=BORREL_EXAMPLE)
        seen.add(option)
        if not words:
            raise CommandError("error.borrel_missing", option=option, example=_BORREL_OPTION_EXAMPLES[option])
        value = words.pop(0)
        if option == "theme":
            options.update(_borrel_theme(value))
        elif option == "every":
            match = _BORREL_EVERY.match(value.lower())
            if not match:
                raise CommandError("error.borrel_every", value=value)
            options["every_weeks"] = int(match.group(1))
        elif option == "remind":
            options["remind_minutes"] = _borrel_minutes(value.lower(), 1, 120, "error.borrel_remind")
        elif option == "invite":
            match = _BORREL_DAYS.match(value.lower())
            if not match or int(match.group(1)) > 6:
                raise CommandError("error.borrel_invite", value=value)
            options["invite_days"] = int(match.group(1))
        else:
            options["timezone"] = parse_zone(value, f"{BORREL_EXAMPLE} zone Europe/Amsterdam")
    if "link" not in options:
        raise CommandError("error.borrel_no_link", example=BORREL_EXAMPLE)
    return BorrelCreate(day=day, at=at, **options)


_BORREL_OPTION_EXAMPLES = {
    "theme": f'{BORREL_EXAMPLE} theme "Show your workspace"',
    "every": f"{BORREL_EXAMPLE} every 2w",
    "remind": f"{BORREL_EXAMPLE} remind 10m",
    "invite": f"{BORREL_EXAMPLE} invite 1d",
    "zone": f"{BORREL_EXAMPLE} zone Europe/Amsterdam",
}


def _borrel_minutes(value: str, low: int, high: int, key: str) -> int:
    match = _DURATION.match(value)
    minutes = int(match.group(1)) * (60 if match.group(2) in ("h", "u") else 1) if match else -1
    if not low <= minutes <= high:
        raise CommandError(key, value=value, low=low, high=high)
    return minutes


def _borrel_theme(value: str) -> dict[str, Any]:
    text = value.strip()
    if text.lower() in ("rotate", "roteer", "icebreaker", "icebreakers"):
        return {"theme_mode": "rotate"}
    if text.lower() in ("off", "uit", "none", "geen"):
        return {"theme_mode": "off"}
    if text[:1] in "\"“":
        text = text[1:-1].strip()
    if not text:
        raise CommandError("error.borrel_theme_empty", example=_BORREL_OPTION_EXAMPLES["theme"])
    if len(text) > MAX_THEME_LENGTH:
        raise CommandError("error.borrel_theme_long", length=len(text), limit=MAX_THEME_LENGTH,
                           example=_BORREL_OPTION_EXAMPLES["theme"])
    return {"theme_mode": "fixed", "theme": check_visible(text, _BORREL_OPTION_EXAMPLES["theme"])}


def check_link(value: str) -> str:
    """A meeting link: an http(s) URL with a host, at most MAX_LINK_LENGTH characters."""
    if len(value) > MAX_LINK_LENGTH:
        raise CommandError("error.borrel_link_long", length=len(value), limit=MAX_LINK_LENGTH, example=BORREL_EXAMPLE)
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or any(c in value for c in "<>\"'` "):
        raise CommandError("error.borrel_link", value=value, example=BORREL_EXAMPLE)
    return check_visible(value, BORREL_EXAMPLE)

