"""The `/ritme coffee ...` grammar: every form that works, and bad input refused with the right message."""

from __future__ import annotations

from datetime import date, time

import pytest

from rituals.coffee_commands import (
    CoffeeAction,
    CoffeeCreate,
    CoffeeMachine,
    CoffeeMachineOff,
    CoffeeMember,
)
from rituals.commands import Help, parse
from tests.rituals.refusals import assert_refused_with_working_examples

TODAY = date(2026, 11, 23)


def test_coffee_machine_parses_with_and_without_its_little_words() -> None:
    full = parse("/ritme coffee machine https://meet.example/koffie at 09:30 until 10:30 on mon-fri", TODAY)
    assert full == CoffeeMachine(link="https://meet.example/koffie", at=time(9, 30), until=time(10, 30),
                                 days=(0, 1, 2, 3, 4))
    short = parse("coffee machine https://meet.example/koffie 9.30 10.30 mon,wed", TODAY)
    assert short == CoffeeMachine(link="https://meet.example/koffie", at=time(9, 30), until=time(10, 30), days=(0, 2))
    assert parse("koffie automaat https://x.example/k om 15:00 tot 15:30", TODAY) == CoffeeMachine(
        link="https://x.example/k", at=time(15, 0), until=time(15, 30))
    assert parse("coffee machine off", TODAY) == CoffeeMachineOff()


def test_coffee_create_parses_every_option() -> None:
    command = parse("coffee create biweekly on tue at 10:15 enrol all memory 6 follow-up 4d overlap 90m", TODAY)
    assert command == CoffeeCreate(day=1, at=time(10, 15), every_weeks=2, enrol="all", memory_rounds=6,
                                   follow_up_days=4, min_overlap_minutes=90)
    assert parse("coffee create mon 10:00", TODAY) == CoffeeCreate(day=0, at=time(10, 0))
    assert parse("coffee create weekly mon 10:00 followup 2 overlap 2h", TODAY) == CoffeeCreate(
        day=0, at=time(10, 0), follow_up_days=2, min_overlap_minutes=120)


@pytest.mark.parametrize(("text", "expected"), [
    ("coffee", Help("coffee")),
    ("coffee help", Help("coffee")),
    ("coffee join", CoffeeMember("join")),
    ("coffee leave", CoffeeMember("leave")),
    ("coffee skip", CoffeeMember("skip")),
    ("coffee list", CoffeeMember("list")),
    ("coffee stats", CoffeeMember("stats")),
    ("coffee why", CoffeeMember("why")),
    ("koffie waarom", CoffeeMember("why")),
    ("coffee pause", CoffeeAction("pause")),
    ("coffee resume", CoffeeAction("resume")),
    ("coffee delete", CoffeeAction("delete")),
])
def test_member_and_manager_verbs(text: str, expected: object) -> None:
    assert parse(text, TODAY) == expected


@pytest.mark.parametrize(("text", "key"), [
    ("coffee machine", "error.coffee_machine_when"),
    ("coffee machine meet.example/koffie 09:30 10:30", "error.coffee_link"),
    ("coffee machine https:// 09:30 10:30", "error.coffee_link"),
    ("coffee machine https://meet.example/" + "k" * 500 + " 09:30 10:30", "error.coffee_link"),
    ("coffee machine https://meet.example/koffie at 09:30", "error.coffee_machine_when"),
    ("coffee machine https://meet.example/koffie 10:30 09:30", "error.coffee_until"),
    ("coffee machine https://meet.example/koffie 09:30 noon", "error.time"),
    ("coffee machine https://meet.example/koffie 09:30 10:30 on someday", "error.days"),
    ("coffee machine https://meet.example/koffie 09:30 10:30 mon-fri please", "error.coffee_extra"),
    ("coffee create", "error.coffee_when"),
    ("coffee create monday 10:00", "error.coffee_day"),
    ("coffee create mon", "error.coffee_when"),
    ("coffee create mon 25:00", "error.time"),
    ("coffee create mon 10:00 enrol some", "error.coffee_enrol"),
    ("coffee create mon 10:00 memory 53", "error.coffee_memory"),
    ("coffee create mon 10:00 memory many", "error.coffee_memory"),
    ("coffee create mon 10:00 follow-up 9d", "error.coffee_follow_up"),
    ("coffee create mon 10:00 overlap 10m", "error.coffee_overlap"),
    ("coffee create mon 10:00 overlap 9h", "error.coffee_overlap"),
    ("coffee create mon 10:00 overlap 1h overlap 2h", "error.coffee_repeated"),
    ("coffee create mon 10:00 overlap", "error.coffee_missing"),
    ("coffee create mon 10:00 colour blue", "error.coffee_option"),
    ("coffee join now", "error.coffee_extra"),
    ("coffee dance", "error.unknown_subcommand"),
])
def test_malformed_coffee_commands_are_refused_with_an_example_that_works(text: str, key: str) -> None:
    assert_refused_with_working_examples(text, key, TODAY, ("/ritme coffee",))
