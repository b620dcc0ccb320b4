"""The `/ritme focus ...`, `/ritme core ...` and `/ritme meet-check ...` commands parsed into plain objects.

Like every parser here it touches no state: bad input raises CommandError with a catalog key and an example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from itertools import pairwise

from rituals.commands import (
    CommandError,
    DayRef,
    Help,
    check_visible,
    parse_day_ref,
    parse_days,
    parse_time,
    parse_zone,
)
from rituals.model import DUTCH_WEEKDAYS, MAX_CORE_RANGES, MAX_THEME_LENGTH, WEEKDAYS

FOCUS_EXAMPLE = '/ritme focus add wed 13:00-17:00 "focus afternoon"'
CORE_EXAMPLE = "/ritme core 10:00-12:00 14:00-16:00"
MEET_EXAMPLE = "/ritme meet-check tue 12:30 45m"
MIN_MEETING_MINUTES = 5
MAX_MEETING_MINUTES = 8 * 60
_TOKEN = re.compile(r"\"[^\"]*\"?|“[^”]*”?|\S+")
_MEETING = re.compile(r"^(?:(\d{1,3})\s*[hu])?(?:(\d{1,3})\s*(?:m|min)?)?$")
WORKDAYS = (0, 1, 2, 3, 4)


@dataclass(frozen=True)
class FocusAdd:
    """`focus add [on] <days> <HH:MM-HH:MM> ["label"] [quiet] [zone Z]`: a no-meeting window."""

    days: tuple[int, ...]
    start: time
    end: time
    label: str = ""
    remind: bool = True
    timezone: str | None = None


@dataclass(frozen=True)
class FocusList:
    """`focus list`: the channel's no-meeting windows and core hours."""


@dataclass(frozen=True)
class FocusRemove:
    """`focus remove <id>`: take a no-meeting window away."""

    ritual_id: int


@dataclass(frozen=True)
class CoreSet:
    """`core <HH:MM-HH:MM>... [on <days>] [zone Z]`: the team's core hours, replacing any before."""

    ranges: tuple[tuple[time, time], ...]
    days: tuple[int, ...] = WORKDAYS
    timezone: str | None = None


@dataclass(frozen=True)
class CoreShow:
    """`core` or `core list`: show the team's core hours."""


@dataclass(frozen=True)
class CoreOff:
    """`core off`: the team has no core hours any more."""


@dataclass(frozen=True)
class MeetCheck:
    """`meet-check <day|date> <HH:MM> <duration>`: does that slot suit the team (the asker's zone)?"""

    day: DayRef
    at: time
    minutes: int


FocusCommand = FocusAdd | FocusList | FocusRemove | CoreSet | CoreShow | CoreOff | MeetCheck
FOCUS_COMMANDS = (FocusAdd, FocusList, FocusRemove, CoreSet, CoreShow, CoreOff, MeetCheck)
MANAGER_FOCUS_COMMANDS = (FocusAdd, FocusRemove, CoreSet, CoreOff)


def parse_focus(words: list[str]) -> FocusCommand | Help:
    """Parse the words after `focus`."""
    if not words or words[0].lower() in ("help", "hulp"):
        return Help("focus")
    verb, rest = words[0].lower(), words[1:]
    if verb in ("add", "toevoegen"):
        return _parse_add(_TOKEN.findall(" ".join(rest)))
    if verb in ("list", "lijst"):
        if rest:
            raise CommandError("error.focus_extra", verb=verb, value=" ".join(rest), example="/ritme focus list")
        return FocusList()
    if verb in ("remove", "delete", "verwijder"):
        if len(rest) != 1 or not rest[0].lstrip("#").isdigit():
            raise CommandError("error.focus_id", value=" ".join(rest), example="/ritme focus remove 3")
        return FocusRemove(int(rest[0].lstrip("#")))
    # `focus calendar` is not handled here: the calendar feed wires its own parser in.
    raise CommandError("error.unknown_subcommand", area="focus", word=words[0], example="/ritme focus list")


def parse_range(value: str, example: str) -> tuple[time, time]:
    """`13:00-17:00` as a start and a later end on the same day."""
    start_text, dash, end_text = value.partition("-")
    if not dash or not start_text or not end_text:
        raise CommandError("error.focus_range", value=value, example=example)
    start, end = parse_time(start_text, example), parse_time(end_text, example)
    if end <= start:
        raise CommandError("error.focus_range_order", value=value, example=example)
    return start, end


def _parse_add(tokens: list[str]) -> FocusAdd:
    words = list(tokens)
    if words and words[0].lower() in ("on", "op"):
        words.pop(0)
    if len(words) < 2:
        raise CommandError("error.focus_when", example=FOCUS_EXAMPLE)
    days = parse_days(_english_days(words.pop(0)), FOCUS_EXAMPLE)
    start, end = parse_range(words.pop(0), FOCUS_EXAMPLE)
    label: str | None = None
    remind = True
    timezone: str | None = None
    while words:
        word = words.pop(0)
        lower = word.lower()
        if word[:1] in "\"“":
            if label is not None:
                raise CommandError("error.focus_repeated", option="label", example=FOCUS_EXAMPLE)
            label = _label(word)
        elif lower in ("quiet", "stil"):
            remind = False
        elif lower == "zone":
            if timezone is not None:
                raise CommandError("error.focus_repeated", option="zone", example=FOCUS_EXAMPLE)
            if not words:
                raise CommandError("error.focus_missing", option="zone",
                                   example=f"{FOCUS_EXAMPLE} zone Europe/Amsterdam")
            timezone = parse_zone(words.pop(0), f"{FOCUS_EXAMPLE} zone Europe/Amsterdam")
        else:
            raise CommandError("error.focus_option", word=word, example=f"{FOCUS_EXAMPLE} quiet")
    return FocusAdd(days=days, start=start, end=end, label=label or "", remind=remind, timezone=timezone)


def _label(token: str) -> str:
    """A quoted label without its quotes: not empty, closed, and not longer than a theme."""
    closer = "”" if token.startswith("“") else "\""
    if len(token) < 2 or not token.endswith((closer, "\"")):
        raise CommandError("error.focus_quote", example=FOCUS_EXAMPLE)
    text = token[1:-1].strip()
    if not text:
        raise CommandError("error.focus_label_empty", example=FOCUS_EXAMPLE)
    if len(text) > MAX_THEME_LENGTH:
        raise CommandError("error.focus_label_long", length=len(text), limit=MAX_THEME_LENGTH, example=FOCUS_EXAMPLE)
    return check_visible(text, FOCUS_EXAMPLE)


def _english_days(value: str) -> str:
    """Dutch day abbreviations (`ma-vr`, `wo`) in the English form parse_days reads; other text is left as is."""
    parts = re.split(r"([,-])", value.lower())
    return "".join(WEEKDAYS[DUTCH_WEEKDAYS.index(part)] if part in DUTCH_WEEKDAYS else part for part in parts)


def parse_core(words: list[str]) -> CoreSet | CoreShow | CoreOff | Help:
    """Parse the words after `core`."""
    if not words or (len(words) == 1 and words[0].lower() in ("list", "lijst", "show", "toon")):
        return CoreShow()
    first = words[0].lower()
    if first in ("help", "hulp"):
        return Help("core")
    if first in ("off", "uit"):
        if len(words) > 1:
            raise CommandError("error.focus_extra", verb=first, value=" ".join(words[1:]), example="/ritme core off")
        return CoreOff()
    if "-" not in first:
        raise CommandError("error.unknown_subcommand", area="core", word=words[0], example=CORE_EXAMPLE)
    rest = list(words)
    ranges: list[tuple[time, time]] = []
    while rest and rest[0][:1].isdigit():
        ranges.append(parse_range(rest.pop(0), CORE_EXAMPLE))
    if len(ranges) > MAX_CORE_RANGES:
        raise CommandError("error.core_many", count=len(ranges), limit=MAX_CORE_RANGES, example=CORE_EXAMPLE)
    ordered = sorted(ranges)
    for (_, end), (start, _) in pairwise(ordered):
        if start < end:
            raise CommandError("error.core_overlap", value=" ".join(words), example=CORE_EXAMPLE)
    days: tuple[int, ...] | None = None
    timezone: str | None = None
    while rest:
        option = rest.pop(0).lower()
        option = "on" if option == "op" else option
        if option not in ("on", "zone"):
            raise CommandError("error.core_option", word=option, example=f"{CORE_EXAMPLE} on mon-fri")
        if (option == "on" and days is not None) or (option == "zone" and timezone is not None):
            raise CommandError("error.focus_repeated", option=option, example=f"{CORE_EXAMPLE} on mon-fri")
        if not rest:
            raise CommandError("error.focus_missing", option=option, example=f"{CORE_EXAMPLE} on mon-fri")
        value = rest.pop(0)
        if option == "on":
            days = parse_days(_english_days(value), f"{CORE_EXAMPLE} on mon-fri")
        else:
            timezone = parse_zone(value, f"{CORE_EXAMPLE} zone Europe/Amsterdam")
    return CoreSet(ranges=tuple(ordered), days=days or WORKDAYS, timezone=timezone)


def parse_meet_check(words: list[str]) -> MeetCheck | Help:
    """Parse the words after `meet-check`: a weekday or date, a time and a duration."""
    if not words or words[0].lower() in ("help", "hulp"):
        return Help("meet-check")
    rest = [word for word in words if word.lower() not in ("at", "om", "for", "voor")]
    if len(rest) != 3:
        raise CommandError("error.meet_usage", value=" ".join(words), example=MEET_EXAMPLE)
    day = parse_day_ref(rest[0], MEET_EXAMPLE, "error.meet_day")
    at = parse_time(rest[1], MEET_EXAMPLE)
    return MeetCheck(day=day, at=at, minutes=parse_meeting_minutes(rest[2]))


def parse_meeting_minutes(value: str) -> int:
    """`30m`, `1h`, `1h30` or `90` as minutes, from 5 minutes to 8 hours."""
    match = _MEETING.match(value.lower())
    if not value or not match or not any(match.groups()):
        raise CommandError("error.meet_duration", value=value, example=MEET_EXAMPLE)
    hours, minutes = match.groups()
    total = int(hours or 0) * 60 + int(minutes or 0)
    if not MIN_MEETING_MINUTES <= total <= MAX_MEETING_MINUTES:
        raise CommandError("error.meet_duration", value=value, example=MEET_EXAMPLE)
    return total
