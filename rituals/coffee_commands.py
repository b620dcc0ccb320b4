"""The `/ritme coffee ...` commands parsed into plain objects: the coffee machine and coffee pairing.

Like every parser here it touches no state: bad input raises CommandError with a catalog key and an example.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Literal

from rituals.commands import CommandError, Help, check_visible, parse_days, parse_time
from rituals.model import COFFEE_MEMORY_WEEKS, MAX_LINK_LENGTH, WEEKDAYS

MACHINE_EXAMPLE = "/ritme coffee machine https://meet.example/koffie at 09:30 until 10:30 on mon-fri"
CREATE_EXAMPLE = "/ritme coffee create weekly on mon at 10:00"
_FREQUENCIES = {"weekly": 1, "wekelijks": 1, "biweekly": 2, "tweewekelijks": 2}
_OPTIONS = {"enrol": "enrol", "enroll": "enrol", "memory": "memory", "follow-up": "follow-up",
            "followup": "follow-up", "overlap": "overlap"}
_OPTION_EXAMPLES = {
    "enrol": f"{CREATE_EXAMPLE} enrol all",
    "memory": f"{CREATE_EXAMPLE} memory 12",
    "follow-up": f"{CREATE_EXAMPLE} follow-up 3d",
    "overlap": f"{CREATE_EXAMPLE} overlap 1h",
}
MIN_OVERLAP_MINUTES = 15
MAX_OVERLAP_MINUTES = 480


@dataclass(frozen=True)
class CoffeeMachine:
    """`coffee machine <link> [at] 09:30 [until] 10:30 [on] mon-fri`: post the room's link daily."""

    link: str
    at: time
    until: time
    days: tuple[int, ...] = (0, 1, 2, 3, 4)


@dataclass(frozen=True)
class CoffeeMachineOff:
    """`coffee machine off`: stop the channel's coffee machine."""


@dataclass(frozen=True)
class CoffeeCreate:
    """`coffee create [weekly|biweekly] [on] mon [at] 10:00 [enrol all|optin] [memory N] [follow-up 3d]
    [overlap 1h]`."""

    day: int
    at: time
    every_weeks: int = 1
    enrol: Literal["all", "optin"] = "optin"
    memory_rounds: int | None = None
    follow_up_days: int = 3
    min_overlap_minutes: int = 60


@dataclass(frozen=True)
class CoffeeMember:
    """`coffee join|leave|skip|list|stats|why`: what any member of the channel may do or ask."""

    action: Literal["join", "leave", "skip", "list", "stats", "why"]


@dataclass(frozen=True)
class CoffeeAction:
    """`coffee pause|resume|delete`: a manager's change to the channel's pairing."""

    action: Literal["pause", "resume", "delete"]


CoffeeCommand = CoffeeMachine | CoffeeMachineOff | CoffeeCreate | CoffeeMember | CoffeeAction
COFFEE_COMMANDS = (CoffeeMachine, CoffeeMachineOff, CoffeeCreate, CoffeeMember, CoffeeAction)
MANAGER_COFFEE_COMMANDS = (CoffeeMachine, CoffeeMachineOff, CoffeeCreate, CoffeeAction)
_MEMBER_VERBS = {"join": "join", "leave": "leave", "skip": "skip", "list": "list", "stats": "stats", "why": "why",
                 "doe-mee": "join", "stop": "leave", "overslaan": "skip", "lijst": "list", "waarom": "why"}


def parse_coffee(words: list[str]) -> CoffeeCommand | Help:
    """Parse the words after `coffee`."""
    if not words or words[0].lower() in ("help", "hulp"):
        return Help("coffee")
    verb, rest = words[0].lower(), words[1:]
    if verb in ("machine", "automaat"):
        return _parse_machine(rest)
    if verb == "create":
        return _parse_create(rest)
    if verb in _MEMBER_VERBS or verb in ("pause", "resume", "delete"):
        if rest:
            raise CommandError("error.coffee_extra", verb=verb, value=" ".join(rest), example=f"/ritme coffee {verb}")
        if verb in ("pause", "resume", "delete"):
            return CoffeeAction(verb)  # type: ignore[arg-type]
        return CoffeeMember(_MEMBER_VERBS[verb])  # type: ignore[arg-type]
    raise CommandError("error.unknown_subcommand", area="coffee", word=words[0], example="/ritme coffee join")


def parse_link(value: str) -> str:
    """A meeting link: an http(s) URL without spaces, at most MAX_LINK_LENGTH characters."""
    lower = value.lower()
    if not (lower.startswith("https://") or lower.startswith("http://")) or len(value) > MAX_LINK_LENGTH \
            or len(value) <= len("https://"):
        raise CommandError("error.coffee_link", value=value[:80], limit=MAX_LINK_LENGTH, example=MACHINE_EXAMPLE)
    # The same characters a borrel link may not hold: each could end the link early wherever it is shown.
    if any(c in value for c in "<>\"'` "):
        raise CommandError("error.coffee_link", value=value[:80], limit=MAX_LINK_LENGTH, example=MACHINE_EXAMPLE)
    return check_visible(value, MACHINE_EXAMPLE)


def _parse_machine(words: list[str]) -> CoffeeMachine | CoffeeMachineOff:
    words = list(words)
    if len(words) == 1 and words[0].lower() in ("off", "uit"):
        return CoffeeMachineOff()
    if not words:
        raise CommandError("error.coffee_machine_when", example=MACHINE_EXAMPLE)
    link = parse_link(words.pop(0))
    if words and words[0].lower() in ("at", "om"):
        words.pop(0)
    if not words:
        raise CommandError("error.coffee_machine_when", example=MACHINE_EXAMPLE)
    at = parse_time(words.pop(0), MACHINE_EXAMPLE)
    if words and words[0].lower() in ("until", "tot"):
        words.pop(0)
    if not words:
        raise CommandError("error.coffee_machine_when", example=MACHINE_EXAMPLE)
    until = parse_time(words.pop(0), MACHINE_EXAMPLE)
    if until <= at:
        raise CommandError("error.coffee_until", at=at.strftime("%H:%M"), until=until.strftime("%H:%M"),
                           example=MACHINE_EXAMPLE)
    days: tuple[int, ...] = (0, 1, 2, 3, 4)
    if words and words[0].lower() in ("on", "op"):
        words.pop(0)
        if not words:
            raise CommandError("error.coffee_machine_when", example=MACHINE_EXAMPLE)
    if words:
        days = parse_days(words.pop(0), MACHINE_EXAMPLE)
    if words:
        raise CommandError("error.coffee_extra", verb="machine", value=" ".join(words), example=MACHINE_EXAMPLE)
    return CoffeeMachine(link=link, at=at, until=until, days=days)


def _parse_create(words: list[str]) -> CoffeeCreate:
    words = list(words)
    every_weeks = 1
    if words and words[0].lower() in _FREQUENCIES:
        every_weeks = _FREQUENCIES[words.pop(0).lower()]
    if words and words[0].lower() in ("on", "op"):
        words.pop(0)
    if not words:
        raise CommandError("error.coffee_when", example=CREATE_EXAMPLE)
    day_text = words.pop(0)
    if day_text.lower() not in WEEKDAYS:
        raise CommandError("error.coffee_day", value=day_text, example=CREATE_EXAMPLE)
    if words and words[0].lower() in ("at", "om"):
        words.pop(0)
    if not words:
        raise CommandError("error.coffee_when", example=CREATE_EXAMPLE)
    at = parse_time(words.pop(0), CREATE_EXAMPLE)
    options: dict[str, object] = {}
    while words:
        word = words.pop(0).lower()
        option = _OPTIONS.get(word)
        if option is None:
            raise CommandError("error.coffee_option", word=word, example=f"{CREATE_EXAMPLE} enrol all overlap 1h")
        if option in options:
            raise CommandError("error.coffee_repeated", option=option, example=_OPTION_EXAMPLES[option])
        if not words:
            raise CommandError("error.coffee_missing", option=option, example=_OPTION_EXAMPLES[option])
        value = words.pop(0)
        options[option] = _option_value(option, value)
    return CoffeeCreate(
        day=WEEKDAYS.index(day_text.lower()), at=at, every_weeks=every_weeks,
        enrol=options.get("enrol", "optin"),  # type: ignore[arg-type]
        memory_rounds=options.get("memory"),  # type: ignore[arg-type]
        follow_up_days=options.get("follow-up", 3),  # type: ignore[arg-type]
        min_overlap_minutes=options.get("overlap", 60),  # type: ignore[arg-type]
    )


def _option_value(option: str, value: str) -> object:
    """One option's value, checked against its range; the error names the range and shows a working example."""
    text = value.lower()
    example = _OPTION_EXAMPLES[option]
    if option == "enrol":
        if text in ("all", "alle", "iedereen"):
            return "all"
        if text in ("optin", "opt-in"):
            return "optin"
        raise CommandError("error.coffee_enrol", value=value, example=example)
    if option == "memory":
        if not text.isdigit() or int(text) > 52:
            raise CommandError("error.coffee_memory", value=value, default=COFFEE_MEMORY_WEEKS, example=example)
        return int(text)
    if option == "follow-up":
        days = text.removesuffix("d")
        if not days.isdigit() or not 1 <= int(days) <= 6:
            raise CommandError("error.coffee_follow_up", value=value, example=example)
        return int(days)
    minutes = _minutes(text)
    if minutes is None or not MIN_OVERLAP_MINUTES <= minutes <= MAX_OVERLAP_MINUTES:
        raise CommandError("error.coffee_overlap", value=value, example=example)
    return minutes


def _minutes(text: str) -> int | None:
    """`90m`, `1h` or `1u` as minutes; None when it is neither."""
    for suffix, factor in (("min", 1), ("m", 1), ("h", 60), ("u", 60)):
        number = text.removesuffix(suffix)
        if number != text and number.isdigit():
            return int(number) * factor
    return None
