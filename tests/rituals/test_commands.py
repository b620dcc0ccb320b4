"""The command grammar: what parses, and what is refused with a clear message and no change."""

from __future__ import annotations

from datetime import date, time

import pytest

from rituals.catalog import Catalog
from rituals.commands import (
    CommandError,
    Help,
    MeAway,
    MeHours,
    StandupAction,
    StandupCreate,
    parse,
)
from tests.rituals.harness import ANNA, BEN, Harness

TODAY = date(2026, 11, 23)


def test_create_with_every_option() -> None:
    command = parse(
        '/ritme standup create checkout at 16:45 on mon,wed,fri digest 17:30 remind 30m zone Europe/London '
        'questions "How did it go?" | "Anything for tomorrow?"',
        TODAY,
    )
    assert command == StandupCreate(
        template="checkout", at=time(16, 45), days=(0, 2, 4), digest_at=time(17, 30), remind_after_minutes=30,
        timezone="Europe/London", questions=("How did it go?", "Anything for tomorrow?"),
    )


def test_short_forms() -> None:
    assert parse("", TODAY) == Help()
    assert parse("standup", TODAY) == Help("standup")
    assert parse("standup run", TODAY) == StandupAction("run", None)
    assert parse("standup pause #2", TODAY) == StandupAction("pause", 2)
    assert parse("me hours 8.30-17:00", TODAY) == MeHours(time(8, 30), time(17, 0))
    assert parse("me away until 2026-12-01", TODAY) == MeAway(date(2026, 12, 1))
    assert parse("me away off", TODAY) == MeAway(None)
    assert parse("standup create on weekdays remind off", TODAY) == StandupCreate(days=(0, 1, 2, 3, 4),
                                                                                   remind_off=True)


MALFORMED = [
    ("standup create at 25:00", "error.time"),
    ("standup create at noon", "error.time"),
    ("me timezone Mars/Olympus", "error.zone"),
    ("standup create zone Europe/Amsterdamm", "error.zone"),
    ("dance", "error.unknown_command"),
    ("standup dance", "error.unknown_subcommand"),
    ("standup create questions", "error.questions_empty"),
    ('standup create questions "How are you?" | ', "error.question_blank"),
    ("standup create questions " + "x" * 201, "error.question_long"),
    ("standup create questions " + " | ".join(f"q{n}" for n in range(9)), "error.questions_many"),
    ("standup create " + "at 09:30 " * 300, "error.too_long"),
    ("standup create on funday", "error.days"),
    ("standup create on fri-mon", "error.days"),
    ("standup create at", "error.missing_value"),
    ("standup create at 09:30 sometimes", "error.unknown_option"),
    ("standup create remind soon", "error.duration"),
    ("standup create remind 2m", "error.duration"),
    ("standup pause one", "error.ritual_id"),
    ("me hours 17:00-09:00", "error.hours_order"),
    ("me hours nine-to-five", "error.time"),
    ("me away until 2026-13-01", "error.date"),
    ("me away until 2020-01-01", "error.date_past"),
    ("me away tomorrow", "error.away"),
    ("me language fr", "error.language"),
    ("manager add", "error.manager_who"),
    ('standup create questions "How are you?" | "Blockers?" digest 11:00', "error.after_questions"),
    ("standup create at 09:30 on mon-fri at 10:00", "error.repeated_option"),
    ("me days someday", "error.days"),
]


@pytest.mark.parametrize(("text", "key"), MALFORMED)
def test_malformed_commands_name_the_problem(text: str, key: str) -> None:
    with pytest.raises(CommandError) as raised:
        parse(text, TODAY)
    assert raised.value.key == key
    # Every refusal renders in both languages with an example the member can copy.
    catalog = Catalog()
    for locale in ("en", "nl"):
        message = catalog.text(locale, raised.value.key, **raised.value.params)
        assert "`" in message or '"' in message


@pytest.mark.parametrize(("text", "key"), MALFORMED)
async def test_malformed_commands_change_nothing(harness: Harness, text: str, key: str) -> None:
    await harness.command(ANNA, "standup create at 09:30 on mon-fri")
    await harness.join(BEN)
    before = await harness.snapshot()
    reply = await harness.reply_text(ANNA, "/ritme " + text)
    expected = Catalog().text("nl", key, **_params_of("/ritme " + text))
    assert reply == expected
    assert await harness.snapshot() == before


def _params_of(text: str) -> dict[str, object]:
    try:
        parse(text, TODAY)
    except CommandError as error:
        return error.params
    raise AssertionError(f"{text!r} parsed")


def test_quotes_inside_questions_are_kept() -> None:
    command = parse("""standup create questions "Don't you love Mondays?" | 'Anything blocking you?'""", TODAY)
    assert isinstance(command, StandupCreate)
    assert command.questions == ("Don't you love Mondays?", "Anything blocking you?")


async def test_refusals_are_in_the_members_language(harness: Harness) -> None:
    assert "is not a time" in await harness.reply_text(BEN, "standup create at 9")
    assert "geen tijd" in await harness.reply_text(ANNA, "standup create at 9")


async def test_help_at_every_level_in_both_languages(harness: Harness) -> None:
    assert "/ritme standup create" in await harness.reply_text(BEN, "help")
    assert "Ritme houdt de rituelen" in await harness.reply_text(ANNA, "")
    for topic in ("standup help", "me help", "manager help", "help standup"):
        english = await harness.reply_text(BEN, topic)
        dutch = await harness.reply_text(ANNA, topic)
        assert english and dutch and english != dutch
