"""The audit log: every configuration change of a team, who made it, from chat or the web page, and when.

The engine records a chat command once it ran without a CommandError (rituals/engine.py `_on_command`), so a
refused command (not a manager, bad input) leaves no entry; the dashboard records its own changes with source
"web". Managers read the log with `/ritme manager audit` and on the dashboard's audit page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from rituals.calendar_commands import CalendarRevoke
from rituals.catalog import Catalog
from rituals.coffee_commands import CoffeeAction, CoffeeCreate, CoffeeMachine, CoffeeMachineOff
from rituals.commands import (
    BorrelAction,
    BorrelCancel,
    BorrelCreate,
    BorrelMove,
    ManagerAdd,
    PulseAction,
    PulseCreate,
    StandupAction,
    StandupCreate,
)
from rituals.focus_commands import CoreOff, CoreSet, FocusAdd, FocusRemove
from rituals.model import Member
from rituals.outbound import Span, Text
from rituals.schedule import local_date, local_time

Source = Literal["chat", "web"]
DETAIL_MAX = 500
"""How much of a command as typed is kept: every real command fits; a pasted essay does not fill the log."""
SHOWN = 10
"""How many entries `/ritme manager audit` lists."""

_ACTIONS: dict[type, str] = {
    StandupCreate: "standup.create",
    PulseCreate: "pulse.create",
    BorrelCreate: "borrel.create",
    BorrelCancel: "borrel.cancel",
    BorrelMove: "borrel.move",
    ManagerAdd: "manager.add",
    CoffeeMachine: "coffee.machine",
    CoffeeMachineOff: "coffee.machine_off",
    CoffeeCreate: "coffee.create",
    FocusAdd: "focus.add",
    FocusRemove: "focus.remove",
    CoreSet: "core.set",
    CoreOff: "core.off",
    CalendarRevoke: "calendar.revoke",
}
# Commands whose verb is a field: the verb completes the code ("standup.pause"). Run and digest change what
# happens today rather than the settings, but a manager looking back wants to know who pressed them too.
_VERBED: dict[type, str] = {
    StandupAction: "standup",
    PulseAction: "pulse",
    BorrelAction: "borrel",
    CoffeeAction: "coffee",
}


@dataclass(frozen=True, kw_only=True)
class AuditEntry:
    """One change as managers read it: the actor's current display name, or None once they were erased."""

    id: int
    team_id: int
    actor_member_id: int | None
    actor_name: str | None
    source: Source
    action: str
    detail: str
    at: datetime


class AuditLog(Protocol):
    """Where configuration changes are written and read; storage/audit.py keeps them in SQL."""

    async def record(
        self, *, team_id: int, actor_member_id: int | None, source: Source, action: str, detail: str, at: datetime
    ) -> None:
        """Append one change (the detail is trimmed to DETAIL_MAX characters)."""
        ...

    async def recent(
        self, team_id: int, limit: int, before: datetime | None = None, *, older_than: int | None = None
    ) -> Sequence[AuditEntry]:
        """The team's latest changes, newest first, at most `limit`: only those before `before` when given, and
        only those that come after the team's entry `older_than` in that order (none if it is not the team's)."""
        ...


def action_of(command: object) -> str | None:
    """The audit code of a command that changes a team's configuration; None for one that only reads or answers."""
    code = _ACTIONS.get(type(command))
    if code is not None:
        return code
    if isinstance(command, (StandupAction, PulseAction, BorrelAction, CoffeeAction)):
        return f"{_VERBED[type(command)]}.{command.action}"
    return None


def trimmed(detail: str) -> str:
    """The detail as stored: one line of whitespace, cut at DETAIL_MAX characters with an ellipsis."""
    flat = " ".join(detail.split())
    return flat if len(flat) <= DETAIL_MAX else flat[: DETAIL_MAX - 1] + "…"


def report(catalog: Catalog, member: Member, team_name: str, entries: Sequence[AuditEntry]) -> Text:
    """`/ritme manager audit`: the latest entries in the reader's language and time zone, newest first.

    Names and details are people's own words, so they go out as user spans that every renderer escapes.
    """
    locale = member.locale
    if not entries:
        return Text.plain(catalog.text(locale, "audit.none", team=team_name))
    header = catalog.text(locale, "audit.header", team=team_name, count=len(entries))
    lines: list[tuple[Span, ...]] = [(Span(text=header),)]
    for entry in entries:
        when = catalog.text(locale, "audit.when", day=catalog.date(locale, local_date(entry.at, member.timezone)),
                            time=catalog.time(local_time(entry.at, member.timezone)))
        who = entry.actor_name if entry.actor_name is not None else catalog.text(locale, "audit.erased")
        pieces = catalog.pieces(
            locale, "audit.item", {"who": who, "detail": entry.detail} if entry.actor_name is not None
            else {"detail": entry.detail},
            when=when, who=who, action=entry.action, source=catalog.text(locale, f"audit.source.{entry.source}"),
        )
        lines.append(tuple(Span(text=text, user=typed) for text, typed in pieces))
    return Text(tuple(lines))
