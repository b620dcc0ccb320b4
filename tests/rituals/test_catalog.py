"""The message catalog: every message in both languages, with the same placeholders."""

from __future__ import annotations

import string
from datetime import date, time

from rituals.catalog import Catalog, supported


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_english_and_dutch_with_the_same_placeholders() -> None:
    catalog = Catalog()
    for key in catalog.keys():
        english, dutch = catalog.text("en", key), catalog.text("nl", key)
        assert english.strip() and dutch.strip(), key
        assert _placeholders(english) == _placeholders(dutch), key
    assert catalog.text("en", "help.main") != catalog.text("nl", "help.main")


def test_platform_locales_map_to_the_catalog() -> None:
    assert supported("nl-NL") == "nl" and supported("nl_BE") == "nl"
    assert supported("en-GB") == "en" and supported("de-DE") == "en" and supported(None) == "en"


def test_dates_days_and_names_read_naturally() -> None:
    catalog = Catalog()
    assert catalog.date("en", date(2026, 11, 23)) == "Monday 23 November"
    assert catalog.date("nl", date(2026, 11, 23)) == "maandag 23 november"
    assert catalog.days("en", (0, 1, 2, 3, 4)) == "Mon-Fri"
    assert catalog.days("nl", (0, 2, 4)) == "ma, wo, vr"
    assert catalog.names("nl", ["Anna", "Ben", "Lucas"]) == "Anna, Ben en Lucas"
    assert catalog.time(time(9, 5)) == "09:05"
    assert catalog.decimal("en", 3.75) == "3.8" and catalog.decimal("nl", 3.75) == "3,8"
    assert catalog.decimal("nl-BE", 4, places=2) == "4,00"


def test_words_people_typed_come_out_as_pieces_of_their_own() -> None:
    catalog = Catalog()
    typed = {"whom": "<!channel>", "error": "refused: x"}
    pieces = catalog.pieces("en", "failures.item", typed, when="Mon", what="digest")
    assert pieces == [("• Mon: digest to ", False), ("<!channel>", True), (" — ", False), ("refused: x", True)]
    assert "".join(text for text, _ in pieces) == catalog.text(
        "en", "failures.item", whom="<!channel>", error="refused: x", when="Mon", what="digest"
    )
