"""Delivery failures as a team's managers read them: what could not be delivered, to whom, when, and why."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from rituals.catalog import Catalog
from rituals.model import Member, Team
from rituals.outbound import Line, Span, Text
from rituals.ports import DeliveryFailure
from rituals.schedule import local_date, local_time

WINDOW_DAYS = 7
SHOWN = 10
# A scheduled message Ritme held back to respect a member's free time (rituals/boundaries.py) is recorded in the
# same log as one the platform refused, with this kind and the reason as its error, so managers see both.
SKIPPED = "skipped"
# A scheduled message its platform could not take before it went out of date (rituals/retries.py) is a skip with
# this reason.
EXPIRED = "expired"


def skipped(member: Member, key: str, reason: str, at: datetime) -> DeliveryFailure:
    """The record of a scheduled message not sent to `member` because of their boundaries (`reason`)."""
    return DeliveryFailure(platform=member.platform, workspace_id=member.workspace_id, recipient=member.user_id,
                           kind=SKIPPED, key=key, error=reason, failed_at=at)


def since(now: datetime) -> datetime:
    """The start of the window managers are shown."""
    return now - timedelta(days=WINDOW_DAYS)


def recipients(team: Team, members: Sequence[Member]) -> set[str]:
    """Whose failures concern a team: its channel and each of its members."""
    return {team.channel_id, *(member.user_id for member in members)}


def what(failure: DeliveryFailure) -> str:
    """The catalog key naming what the message was, from the adapter's kind and the engine's key."""
    # The keys are the engine's own (rituals.standup and the reminders): they tell a digest from another post.
    if failure.kind == SKIPPED:
        return "failure.kind.gave_up" if failure.error == EXPIRED else "failure.kind.skipped"
    if failure.key.startswith("standup-reminder:"):
        return "failure.kind.reminder"
    if failure.kind == "channel_post" and failure.key.startswith("standup-digest:"):
        return "failure.kind.digest"
    kinds = {
        "form": "failure.kind.form",
        "update": "failure.kind.update",
        "thread_reply": "failure.kind.thread_reply",
        "prompt": "failure.kind.reply",
        "channel_post": "failure.kind.channel_post",
        "home": "failure.kind.home",
        "channel_update": "failure.kind.channel_update",
        "group_prompt": "failure.kind.group_prompt",
        "status": "failure.kind.status",
    }
    return kinds.get(failure.kind, "failure.kind.other")


def whom(failure: DeliveryFailure, team: Team, members: Sequence[Member]) -> str:
    """Who the message was for, as people know them: #channel, or a member's name (their id if unknown)."""
    if failure.recipient == team.channel_id:
        return f"#{team.name}"
    for member in members:
        if member.user_id == failure.recipient:
            return member.display_name
    return failure.recipient


def moment(catalog: Catalog, locale: str, zone: str, at: datetime) -> str:
    """When it failed, in the reader's own zone."""
    return catalog.text(
        locale, "moment", date=catalog.date(locale, local_date(at, zone)), time=catalog.time(local_time(at, zone))
    )


def item(
    catalog: Catalog, reader: Member, failure: DeliveryFailure, team: Team, members: Sequence[Member]
) -> Line:
    """One failure as a line: when (in the reader's zone), what, to whom, and the platform's error."""
    locale = reader.locale
    # A skip's error is one of our own reasons, said in the reader's language; a platform's error is its own words.
    error = catalog.text(locale, f"boundary.{failure.error}") if failure.kind == SKIPPED else failure.error
    # Names and channel names were typed by people, and the error is the platform's words: shown, never obeyed.
    pieces = catalog.pieces(
        locale,
        "failures.item",
        {"whom": whom(failure, team, members), "error": error},
        when=moment(catalog, locale, reader.timezone, failure.failed_at),
        what=catalog.text(locale, what(failure)),
    )
    return tuple(Span(text=text, user=typed) for text, typed in pieces)


def report(
    catalog: Catalog,
    reader: Member,
    team: Team,
    members: Sequence[Member],
    found: Sequence[DeliveryFailure],
    count: int,
) -> Text:
    """The answer to `standup failures`: the newest failures of the window, or a line saying there were none."""
    locale = reader.locale
    if not found:
        return Text.plain(catalog.text(locale, "failures.none", team=team.name, days=WINDOW_DAYS))
    lines: list[Line] = [
        (Span(text=catalog.text(locale, "failures.header", team=team.name, days=WINDOW_DAYS, count=count)),)
    ]
    lines.extend(item(catalog, reader, failure, team, members) for failure in found)
    if count > len(found):
        lines.append((Span(text=catalog.text(locale, "failures.more", more=count - len(found))),))
    return Text(tuple(lines))
