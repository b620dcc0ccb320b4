"""A member's personal overview (Slack's App Home tab): their rituals, their settings, and the teams they manage."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from rituals import borrel, coffee, failures, focus, pulse, standup
from rituals.catalog import Catalog
from rituals.model import Member, Ritual, RitualKind, Team
from rituals.outbound import HomeView, Line, MemberAddress, Section, Span, Text
from rituals.ports import DeliveryFailure
from rituals.schedule import local_date, local_time


@dataclass(frozen=True, kw_only=True)
class YourRitual:
    """A ritual of one of the member's teams, and when the member is next asked (None: not at all)."""

    team: Team
    ritual: Ritual
    next_prompt: datetime | None


@dataclass(frozen=True, kw_only=True)
class ManagedTeam:
    """A team the member manages: its rituals, its people, and its delivery failures of the window."""

    team: Team
    rituals: tuple[Ritual, ...]
    members: tuple[Member, ...]
    latest: DeliveryFailure | None
    failure_count: int


def member_facts(catalog: Catalog, member: Member, today: date, country: str) -> dict[str, str]:
    """A member's settings as words in their language (`until` is '' unless they are away from `today` on);
    `country` is whose public holidays they keep, their own or the default."""
    locale = member.locale
    away = member.away_until is not None and member.away_until >= today
    return {
        "zone": member.timezone,
        "start": catalog.time(member.work_start),
        "end": catalog.time(member.work_end),
        "days": catalog.days(locale, member.work_days),
        "language": catalog.text(locale, f"language.{locale}"),
        "until": catalog.date(locale, member.away_until) if away and member.away_until else "",
        "country": country if member.country else catalog.text(locale, "me.country_default", country=country),
    }


def view(
    *,
    catalog: Catalog,
    member: Member,
    address: MemberAddress,
    yours: Sequence[YourRitual],
    managed: Sequence[ManagedTeam],
    now: datetime,
    country: str,
) -> HomeView:
    """The overview in the member's language: every section, and "Teams you manage" only for managers."""
    locale = member.locale
    sections = [
        Section(title=catalog.text(locale, "home.rituals.title"), text=_rituals(catalog, member, yours, now)),
        Section(title=catalog.text(locale, "home.settings.title"), text=_settings(catalog, member, now, country)),
    ]
    if managed:
        sections.append(
            Section(title=catalog.text(locale, "home.managed.title"), text=_managed(catalog, member, managed, now))
        )
    return HomeView(to=address, sections=tuple(sections))


def _rituals(catalog: Catalog, member: Member, yours: Sequence[YourRitual], now: datetime) -> Text:
    locale = member.locale
    if not yours:
        return Text.plain(catalog.text(locale, "home.rituals.none"))
    lines: list[Line] = []
    for entry in yours:
        ritual = entry.ritual
        lines.append(
            _line(
                catalog,
                locale,
                "home.ritual",
                {"team": entry.team.name},
                template=standup.template_name(catalog, locale, ritual),
                days=catalog.days(locale, ritual.days),
                at=catalog.time(ritual.at),
                digest=catalog.time(ritual.standup.digest_at),
                zone=ritual.timezone,
            )
        )
        if ritual.paused:
            note = catalog.text(locale, "home.paused")
        elif entry.next_prompt is None:
            note = catalog.text(locale, "home.never")
        else:
            note = catalog.text(locale, "home.next", when=_when(catalog, member, entry.next_prompt, now))
        lines.append((Span(text=note),))
    return Text(tuple(lines))


def _when(catalog: Catalog, member: Member, at: datetime, now: datetime) -> str:
    """A moment in the member's own zone, as today, tomorrow, or a date."""
    locale, zone = member.locale, member.timezone
    day, time_text = local_date(at, zone), catalog.time(local_time(at, zone))
    today = local_date(now, zone)
    if day == today:
        return catalog.text(locale, "home.today", time=time_text)
    if day == today + timedelta(days=1):
        return catalog.text(locale, "home.tomorrow", time=time_text)
    return catalog.text(locale, "moment", date=catalog.date(locale, day), time=time_text)


def _settings(catalog: Catalog, member: Member, now: datetime, country: str) -> Text:
    locale = member.locale
    today = local_date(now, member.timezone)
    facts = member_facts(catalog, member, today, country)
    lines = [
        catalog.text(locale, "home.settings.zone", zone=facts["zone"]),
        catalog.text(locale, "home.settings.hours", start=facts["start"], end=facts["end"], days=facts["days"]),
        catalog.text(locale, "home.settings.language", language=facts["language"]),
        catalog.text(locale, "home.settings.country", country=facts["country"]),
    ]
    if facts["until"]:
        lines.append(catalog.text(locale, "home.settings.away", until=facts["until"]))
    lines.append(catalog.text(locale, "home.settings.how", example=(today + timedelta(days=7)).isoformat()))
    return Text(tuple((Span(text=line),) for line in lines))


def _managed(catalog: Catalog, member: Member, managed: Sequence[ManagedTeam], now: datetime) -> Text:
    locale = member.locale
    lines: list[Line] = []
    for entry in managed:
        team = entry.team
        if lines:
            lines.append((Span(text=""),))
        lines.append((Span(text=f"#{team.name}", bold=True, user=True),))
        if entry.rituals:
            lines.extend(
                (Span(text=_LISTERS.get(ritual.kind, standup.list_item)(catalog, locale, ritual)),)
                for ritual in entry.rituals
            )
        else:
            lines.append(_line(catalog, locale, "home.managed.no_rituals", {"team": team.name}))
        lines.append(_failures(catalog, member, entry))
    return Text(tuple(lines))


def _failures(catalog: Catalog, member: Member, entry: ManagedTeam) -> Line:
    locale = member.locale
    latest = entry.latest
    if latest is None:
        return (Span(text=catalog.text(locale, "home.failures.none", days=failures.WINDOW_DAYS)),)
    typed = {
        "whom": failures.whom(latest, entry.team, entry.members),
        "error": latest.error,
        "team": entry.team.name,
    }
    return _line(
        catalog,
        locale,
        "home.failures.some",
        typed,
        days=failures.WINDOW_DAYS,
        count=entry.failure_count,
        when=failures.moment(catalog, locale, member.timezone, latest.failed_at),
        what=catalog.text(locale, failures.what(latest)),
    )


def _line(catalog: Catalog, locale: str, key: str, typed: Mapping[str, str], **params: object) -> Line:
    """A catalog message as one line, the `typed` values (names people chose) as spans of their own."""
    return tuple(Span(text=text, user=by_person) for text, by_person in catalog.pieces(locale, key, typed, **params))


# How each kind shows in a manager's overview; a kind without its own line reads like a stand-up.
_LISTERS = {
    RitualKind.PULSE: pulse.list_item,
    RitualKind.BORREL: borrel.list_item,
    RitualKind.COFFEE: coffee.list_item,
    RitualKind.COFFEE_MACHINE: coffee.list_item,
    RitualKind.FOCUS: focus.list_item,
    RitualKind.CORE_HOURS: focus.list_item,
}
