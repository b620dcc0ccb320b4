"""The `/ritme focus calendar ...` commands parsed into plain objects: the team calendar feed's link.

Like every parser here it touches no state: bad input raises CommandError with a catalog key and an example.
"""

from __future__ import annotations

from dataclasses import dataclass

from rituals.commands import CommandError

CALENDAR_WORDS = ("calendar", "agenda", "kalender")
_REVOKE_WORDS = ("revoke", "intrekken", "new", "nieuw")


@dataclass(frozen=True)
class CalendarShow:
    """`focus calendar`: the channel's feed link, privately (any member); the feed starts on first use."""


@dataclass(frozen=True)
class CalendarRevoke:
    """`focus calendar revoke`: the old link stops working and a new one is given (managers)."""


CalendarCommand = CalendarShow | CalendarRevoke
CALENDAR_COMMANDS = (CalendarShow, CalendarRevoke)


def parse_calendar(words: list[str]) -> CalendarCommand:
    """Parse the words after `focus calendar`."""
    if not words:
        return CalendarShow()
    if len(words) == 1 and words[0].lower() in _REVOKE_WORDS:
        return CalendarRevoke()
    raise CommandError("error.calendar_extra", value=" ".join(words)[:80])
