"""The check every command grammar's refusals share: the message exists in both languages and its examples work."""

from __future__ import annotations

from datetime import date

import pytest

from rituals.catalog import Catalog
from rituals.commands import CommandError, parse


def assert_refused_with_working_examples(text: str, key: str, today: date, prefixes: tuple[str, ...]) -> None:
    """`text` is refused with `key`; in English and Dutch the message shows at least one example starting with one
    of `prefixes`, and every such example parses as typed."""
    with pytest.raises(CommandError) as caught:
        parse(text, today)
    assert caught.value.key == key
    catalog = Catalog()
    for locale in ("en", "nl"):
        message = catalog.text(locale, key, **caught.value.params)
        examples = [part for part in message.split("`")[1::2] if part.startswith(prefixes)]
        assert examples, message
        for example in examples:
            parse(example, today)  # the example in the message works as typed
