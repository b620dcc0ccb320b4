"""The stand-up ritual: its templates, its prompt, and the digest it posts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

from rituals.catalog import NO_BLOCKER_FILLER, NO_BLOCKER_PHRASES, NO_BLOCKER_WORDS, Catalog
from rituals.model import DigestEntry, Member, Ritual
from rituals.outbound import Button, Field, Form, MemberAddress, Span, Text
from rituals.schedule import local_time

MAX_ANSWER_LENGTH = 2000
EDIT_ACTION = "standup.edit"


@dataclass(frozen=True)
class Template:
    """Defaults of one of the three check-ins the research recommends."""

    at: time
    days: tuple[int, ...]
    digest_after_minutes: int
    prompt_key: str


TEMPLATES = {
    "morning": Template(time(9, 30), (0, 1, 2, 3, 4), 90, "standup.prompt"),
    "checkout": Template(time(16, 30), (0, 1, 2, 3, 4), 60, "standup.prompt_checkout"),
    "weekstart": Template(time(9, 0), (0,), 120, "standup.prompt_weekstart"),
}


def questions(ritual: Ritual, catalog: Catalog, locale: str) -> tuple[str, ...]:
    """The ritual's questions in `locale`: custom ones as written, template ones translated."""
    if ritual.standup.questions:
        return ritual.standup.questions
    template = ritual.standup.template
    return tuple(catalog.text(locale, f"q.{template}.{n}") for n in (1, 2, 3))


def blocker_index(ritual: Ritual) -> int | None:
    """Which question asks about blockers, so the digest can highlight its answers."""
    if not ritual.standup.questions:
        return 2
    for index, question in enumerate(ritual.standup.questions):
        lowered = question.lower()
        if "block" in lowered or "blok" in lowered or "vast" in lowered or "stuck" in lowered:
            return index
    return None


def is_blocker(answer: str) -> bool:
    """True when an answer to the blocker question names a real blocker.

    "No", "Geen blokkades" or "nope, all good" are not; "No access to staging" is, since it says more than no.
    """
    words = re.findall(r"[\w/]+|-", answer.lower())
    if not words or " ".join(words) in NO_BLOCKER_PHRASES:
        return False
    return not (words[0] in NO_BLOCKER_WORDS and all(word in NO_BLOCKER_FILLER for word in words[1:]))


def template_name(catalog: Catalog, locale: str, ritual: Ritual) -> str:
    """What kind of stand-up it is, in `locale`: its template, or just "stand-up" with questions of its own."""
    template = "custom" if ritual.standup.questions else ritual.standup.template
    return catalog.text(locale, f"template.{template}")


def list_item(catalog: Catalog, locale: str, ritual: Ritual) -> str:
    """One stand-up as `standup list` shows it: number, kind, days, time, digest and zone."""
    return catalog.text(
        locale,
        "standup.list_item",
        id=ritual.id,
        template=template_name(catalog, locale, ritual),
        days=catalog.days(locale, ritual.days),
        at=catalog.time(ritual.at),
        digest=catalog.time(ritual.standup.digest_at),
        zone=ritual.timezone,
        paused=catalog.text(locale, "standup.list_paused") if ritual.paused else "",
    )


def form_key(delivery_id: int) -> str:
    """The key of a delivery's form, so later updates replace it."""
    return f"standup-form:{delivery_id}"


def digest_key(occurrence_id: int) -> str:
    """The key of an occurrence's digest post, so late answers can reply in its thread."""
    return f"standup-digest:{occurrence_id}"


def prompt_form(
    *,
    catalog: Catalog,
    ritual: Ritual,
    member: Member,
    address: MemberAddress,
    team_name: str,
    delivery_id: int,
    deadline: datetime,
    values: tuple[str, ...] = (),
) -> Form:
    """The form a member answers, in their language, with the deadline in their own time."""
    locale = member.locale
    labels = questions(ritual, catalog, locale)
    deadline_text = catalog.time(local_time(deadline, member.timezone))
    template = TEMPLATES.get(ritual.standup.template, TEMPLATES["morning"])
    intro = catalog.text(locale, template.prompt_key, team=team_name, deadline=deadline_text)
    filled = values if len(values) == len(labels) else ("",) * len(labels)
    return Form(
        key=form_key(delivery_id),
        to=address,
        text=Text.plain(intro),
        delivery_id=delivery_id,
        fields=tuple(Field(label=label, value=value) for label, value in zip(labels, filled, strict=True)),
        submit_label=catalog.text(locale, "standup.submit"),
        open_label=catalog.text(locale, "standup.answer"),
    )


def edit_button(catalog: Catalog, locale: str, delivery_id: int) -> Button:
    """The button that brings a saved answer back as a form."""
    return Button(label=catalog.text(locale, "standup.edit"), action=EDIT_ACTION, value=str(delivery_id))


def _answer_lines(ritual: Ritual, labels: tuple[str, ...], values: tuple[str, ...]) -> list[tuple[Span, ...]]:
    # A manager typed custom questions, so they are re-posted as a person's words, like the answers.
    typed = bool(ritual.standup.questions)
    lines: list[tuple[Span, ...]] = []
    for label, value in zip(labels, values, strict=False):
        if value.strip():
            lines.append((Span(text=label, user=typed), Span(text=" — "), Span(text=value.strip(), user=True)))
    return lines


def digest_text(
    *, catalog: Catalog, ritual: Ritual, team_name: str, day_text: str, entries: tuple[DigestEntry, ...]
) -> Text:
    """The digest: blockers first, then each answer, then who has not answered (names only, no pings)."""
    locale = ritual.locale
    labels = questions(ritual, catalog, locale)
    blocker_at = blocker_index(ritual)
    lines: list[tuple[Span, ...]] = [
        (Span(text=catalog.text(locale, "digest.title", team=team_name, date=day_text), bold=True),)
    ]
    answered = [entry for entry in entries if entry.answer is not None]
    blockers = [
        (entry.member.display_name, entry.answer.values[blocker_at])
        for entry in answered
        if entry.answer is not None
        and blocker_at is not None
        and blocker_at < len(entry.answer.values)
        and is_blocker(entry.answer.values[blocker_at])
    ]
    if blockers:
        lines.append((Span(text="⚠ " + catalog.text(locale, "digest.blockers"), bold=True),))
        lines.extend(
            (Span(text="• "), Span(text=name, user=True, bold=True), Span(text=": "), Span(text=text, user=True))
            for name, text in blockers
        )
    if not answered:
        lines.append((Span(text=catalog.text(locale, "digest.no_answers")),))
    for entry in answered:
        assert entry.answer is not None
        lines.append((Span(text=entry.member.display_name, bold=True, user=True),))
        lines.extend(_answer_lines(ritual, labels, entry.answer.values))
    missing = [entry.member.display_name for entry in entries if entry.answer is None]
    if missing:
        before, after = catalog.around(locale, "digest.not_answered", "names")
        names = catalog.names(locale, missing)
        lines.append((Span(text=before), Span(text=names, user=True), Span(text=after)))
    return Text(tuple(lines))


def late_answer_text(*, catalog: Catalog, ritual: Ritual, member: Member, values: tuple[str, ...]) -> Text:
    """A late answer, for the digest's thread."""
    locale = ritual.locale
    labels = questions(ritual, catalog, locale)
    before, after = catalog.around(locale, "digest.late", "name")
    lines: list[tuple[Span, ...]] = [
        (Span(text=before), Span(text=member.display_name, bold=True, user=True), Span(text=after))
    ]
    lines.extend(_answer_lines(ritual, labels, values))
    return Text(tuple(lines))
