"""Pacing: fewer, calmer private messages from Ritme's schedule, after the boundaries policy has let them through.

Two rules, applied to what one tick of `Engine.due` makes, in this order:

1. Combine. Plain private notes (reminders, borrel reminders, coffee notes, pulse results) due for one member in
   the same tick become one message: a short header, then each note as its own paragraph, their buttons kept
   (at most MAX_BUTTONS; a note whose buttons would not fit stays apart). Stand-up and pulse prompts are forms and
   cannot be merged on every platform, and a group message (a coffee introduction) is shared with others: both
   stay as they are. Combining comes first, so a combined message counts once below.
2. A daily cap. A member gets at most `cap` private messages a day (their own local day, RITME_DAILY_MESSAGE_CAP,
   3 unless set) from Ritme's schedule. Channel posts do not count, nor replies to a member's own command or
   click (those never come through here). The count is stored, so it holds across restarts and workers.

What goes first when not everything fits, from most to least important:

- PROMPT: a stand-up or pulse prompt (a form; its pulse "talk" button comes with it). It may take the day's last
  place. One that does not fit waits for the member's next working day when its deadline allows (a pulse round
  open for days); otherwise it is skipped.
- MEETING: a coffee introduction, note or follow-up, a borrel reminder, a pulse round's results or signal for a
  manager. It may take the last place too. A coffee message to a group always goes (the others are waiting for
  it) but counts for each member of the group.
- NOTE: a reminder of an unanswered prompt, or any other note. It never takes the day's last place, which is kept
  for a prompt or a meeting that may still come that day.

Within one tick the more important go first. What is not sent is recorded in the failure log as `skipped` with the
reason `capped`, so managers see it in `/ritme standup failures`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from rituals.catalog import Catalog
from rituals.model import Member
from rituals.outbound import Button, GroupPrompt, Line, MemberAddress, Message, Prompt, Span, Text
from rituals.ports import MessageCounts
from rituals.schedule import local_date

DEFAULT_DAILY_CAP = 3
# Slack allows more buttons in a message, but Teams shows at most a handful in a row: five fit everywhere.
MAX_BUTTONS = 5
# Where adapters keep what they posted, a key has room for 255 characters (storage/models.py).
MAX_KEY = 255
CAPPED = "capped"
"""The reason a message held back by the daily cap is recorded with (catalog `boundary.capped`)."""


class Priority(IntEnum):
    """How important a scheduled private message is when a member's day is nearly full; lower goes first."""

    PROMPT = 1
    MEETING = 2
    NOTE = 3


# Keys are the rituals' own (rituals/coffee.py, rituals/borrel.py, rituals/pulse.py): they tell what a message is.
_MEETING_KEYS = ("coffee-", "borrel-", "pulse-results:", "pulse-signal:")
# A combined message's key holds each part's, so the failure log and the outbox still name what was in it.
KEY_JOIN = "+"


def priority_of(message: Message) -> Priority:
    """How important a scheduled private message is, from its key."""
    keys = message.key.split(KEY_JOIN)
    return min(Priority.MEETING if key.startswith(_MEETING_KEYS) else Priority.NOTE for key in keys)


def combinable(message: Message) -> bool:
    """True for a private note that may share a message with others: a Prompt without a command's context."""
    return isinstance(message, Prompt) and message.context is None and len(message.buttons) <= MAX_BUTTONS


def combine(messages: Sequence[Message], header: dict[MemberAddress, str]) -> list[Message]:
    """The messages with every member's combinable notes merged into one, placed where the first of them was.

    `header` gives, per member, the line that opens a combined message (in their language); a member without one
    keeps their notes apart.
    """
    groups: dict[MemberAddress, list[Prompt]] = {}
    for message in messages:
        if combinable(message) and isinstance(message, Prompt) and message.to in header:
            groups.setdefault(message.to, []).append(message)
    merged: dict[int, Message] = {}
    dropped: set[int] = set()
    for address, notes in groups.items():
        parts = _fitting(notes)
        if len(parts) < 2:
            continue
        merged[id(parts[0])] = _merge(address, parts, header[address])
        dropped.update(id(part) for part in parts[1:])
    out: list[Message] = []
    for message in messages:
        if id(message) in dropped:
            continue
        out.append(merged.get(id(message), message))
    return out


def _fitting(notes: list[Prompt]) -> list[Prompt]:
    """The notes, in order, that fit one message together: at most MAX_BUTTONS buttons and a key of MAX_KEY."""
    parts: list[Prompt] = []
    buttons = 0
    key = -len(KEY_JOIN)
    for note in notes:
        if buttons + len(note.buttons) <= MAX_BUTTONS and key + len(KEY_JOIN) + len(note.key) <= MAX_KEY:
            parts.append(note)
            buttons += len(note.buttons)
            key += len(KEY_JOIN) + len(note.key)
    return parts


def _merge(address: MemberAddress, parts: Sequence[Prompt], header: str) -> Prompt:
    lines: list[Line] = [(Span(text=header, bold=True),)]
    buttons: list[Button] = []
    for part in parts:
        lines.append((Span(text=""),))  # an empty line, as Text.plain makes one: each note its own paragraph
        lines.extend(part.text.lines)
        buttons.extend(part.buttons)
    # Tried again (rituals/retries.py) only while every part is still true.
    expiries = [part.expires_at for part in parts if part.expires_at is not None]
    return Prompt(key=KEY_JOIN.join(part.key for part in parts), to=address, text=Text(tuple(lines)),
                  buttons=tuple(buttons), expires_at=min(expiries, default=None))


@dataclass(frozen=True, kw_only=True)
class Refused:
    """A scheduled private message the daily cap kept from a member."""

    member: Member
    message: Message


class Pacing:
    """Combines a tick's private notes and keeps each member's daily cap, with the count in `counts`."""

    def __init__(self, *, catalog: Catalog, counts: MessageCounts | None, cap: int = DEFAULT_DAILY_CAP) -> None:
        """Without `counts` nothing is capped (notes are still combined)."""
        self._catalog = catalog
        self._counts = counts
        self._cap = cap

    async def admit(self, member: Member, now: datetime, priority: Priority) -> bool:
        """Take one of the member's places of their local day for a message of `priority`; False when full."""
        if self._counts is None:
            return True
        limit = self._cap if priority is not Priority.NOTE else self._cap - 1
        return await self._counts.take(member.id, local_date(now, member.timezone), limit)

    async def admit_many(self, members: Sequence[Member], now: datetime) -> list[bool]:
        """`admit` for a batch of prompts, one member each in order, counted together; whether each was admitted."""
        if self._counts is None:
            return [True] * len(members)
        places = [(member.id, local_date(now, member.timezone)) for member in members]
        return await self._counts.take_many(places, self._cap)

    async def give_back(self, members: Sequence[Member], now: datetime) -> None:
        """Free the places `admit_many` took for prompts that were not sent after all (the platform was down)."""
        if self._counts is not None:
            await self._counts.give_back([(member.id, local_date(now, member.timezone)) for member in members])

    async def count(self, member: Member, now: datetime) -> None:
        """Count a message that goes whatever the cap (a group's coffee message) on the member's local day."""
        if self._counts is not None:
            await self._counts.take(member.id, local_date(now, member.timezone), None)

    async def pace(
        self, messages: Sequence[Message], members: dict[MemberAddress, Member], now: datetime
    ) -> tuple[list[Message], list[Refused]]:
        """Combine, then keep the cap: what to send (in the original order) and what the cap refused.

        `members` knows the recipients of the private messages; one it does not know passes uncounted.
        """
        header = {address: self._catalog.text(member.locale, "pacing.combined")
                  for address, member in members.items()}
        combined = combine(messages, header)
        refused: set[int] = set()
        refusals: list[Refused] = []
        for message in sorted(_private(combined), key=priority_of):
            if isinstance(message, GroupPrompt):
                for address in message.to:
                    if address in members:
                        await self.count(members[address], now)
                continue
            member = members.get(message.to)
            if member is not None and not await self.admit(member, now, priority_of(message)):
                refused.add(id(message))
                refusals.append(Refused(member=member, message=message))
        return [message for message in combined if id(message) not in refused], refusals


def _private(messages: Iterable[Message]) -> list[Prompt | GroupPrompt]:
    """The scheduled private messages that count: notes and group messages (forms are paced as they are claimed)."""
    return [message for message in messages if isinstance(message, (Prompt, GroupPrompt))]
