"""The borrel's command grammar: what parses to what, and what is refused with which message."""

from __future__ import annotations

from datetime import date, time

import pytest

from rituals.catalog import Catalog
from rituals.commands import (
    BorrelAction,
    BorrelCancel,
    BorrelCreate,
    BorrelHistory,
    BorrelList,
    BorrelMove,
    CommandError,
    Help,
    parse,
)

TODAY = date(2026, 11, 23)
LINK = "https://meet.example/borrel"


def test_create_with_every_option() -> None:
    command = parse(f'/ritme borrel create fri 16:30 45m {LINK} theme "Show your pet" every 2w remind 15m '
                    "invite 1d zone Asia/Kolkata", TODAY)
    assert command == BorrelCreate(day=4, at=time(16, 30), link=LINK, minutes=45, theme_mode="fixed",
                                   theme="Show your pet", every_weeks=2, remind_minutes=15, invite_days=1,
                                   timezone="Asia/Kolkata")


def test_create_defaults_and_dutch_words() -> None:
    assert parse(f"borrel create on fri at 17:00 {LINK}", TODAY) == BorrelCreate(day=4, at=time(17, 0), link=LINK)
    assert parse(f"borrel maak vr om 16:30 1u {LINK} thema uit elke 3w", TODAY) == BorrelCreate(
        day=4, at=time(16, 30), link=LINK, minutes=60, theme_mode="off", every_weeks=3
    )
    assert parse(f"borrel create fri 16:30 {LINK} theme rotate", TODAY).theme_mode == "rotate"
    assert parse(f"borrel create fri 16:30 {LINK} theme “Pets”", TODAY).theme == "Pets"


def test_the_other_verbs() -> None:
    assert parse("borrel", TODAY) == Help("borrel")
    assert parse("borrel help", TODAY) == Help("borrel")
    assert parse("borrel list", TODAY) == BorrelList()
    assert parse("borrel history #2", TODAY) == BorrelHistory(2)
    assert parse("borrel cancel", TODAY) == BorrelCancel(None)
    assert parse("borrel cancel 1 2026-12-04", TODAY) == BorrelCancel(1, date(2026, 12, 4))
    assert parse("borrel annuleer vr", TODAY) == BorrelCancel(None, 4)
    assert parse("borrel move 1 fri to thu at 17:00", TODAY) == BorrelMove(1, 4, 3, time(17, 0))
    assert parse("borrel move 2026-12-04 18:00", TODAY) == BorrelMove(None, None, date(2026, 12, 4), time(18, 0))
    assert parse("borrel move 17:30", TODAY) == BorrelMove(None, None, None, time(17, 30))
    assert parse("borrel pause 3", TODAY) == BorrelAction("pause", 3)
    assert parse("borrel delete", TODAY) == BorrelAction("delete", None)


@pytest.mark.parametrize(("text", "key"), [
    ("borrel create", "error.borrel_when"),
    (f"borrel create friday 16:30 {LINK}", "error.borrel_day"),
    ("borrel create fri", "error.borrel_when"),
    (f"borrel create fri 4pm {LINK}", "error.time"),
    ("borrel create fri 16:30 45m", "error.borrel_no_link"),
    ("borrel create fri 16:30 javascript://alert(1)", "error.borrel_link"),
    ("borrel create fri 16:30 https://", "error.borrel_link"),
    ("borrel create fri 16:30 https://" + "x" * 500, "error.borrel_link_long"),
    (f"borrel create fri 16:30 {LINK} {LINK}", "error.borrel_repeated"),
    (f"borrel create fri 16:30 5m {LINK}", "error.borrel_minutes"),
    (f"borrel create fri 16:30 {LINK} every 5w", "error.borrel_every"),
    (f"borrel create fri 16:30 {LINK} remind 3h", "error.borrel_remind"),
    (f"borrel create fri 16:30 {LINK} invite 9d", "error.borrel_invite"),
    (f"borrel create fri 16:30 {LINK} zone Mars/Olympus", "error.zone"),
    (f'borrel create fri 16:30 {LINK} theme ""', "error.borrel_theme_empty"),
    (f'borrel create fri 16:30 {LINK} theme "{"x" * 201}"', "error.borrel_theme_long"),
    (f"borrel create fri 16:30 {LINK} theme", "error.borrel_missing"),
    (f"borrel create fri 16:30 {LINK} colour blue", "error.borrel_option"),
    (f"borrel create fri 16:30 {LINK} every 2w every 3w", "error.borrel_repeated"),
    ("borrel cancel 1 someday", "error.borrel_date"),
    ("borrel cancel 1 fri sat", "error.borrel_extra"),
    ("borrel move 1", "error.borrel_move"),
    ("borrel move 1 fri", "error.time"),
    ("borrel pause #x", "error.borrel_id"),
    ("borrel dance", "error.unknown_subcommand"),
])
def test_malformed_borrel_commands_are_refused_with_a_message_that_exists(text: str, key: str) -> None:
    with pytest.raises(CommandError) as caught:
        parse(text, TODAY)
    assert caught.value.key == key
    for locale in ("en", "nl"):
        assert Catalog().text(locale, caught.value.key, **caught.value.params)
