"""Every kind of message an adapter records as undelivered has its own words for managers, in each language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.failures import KINDS
from rituals.catalog import LOCALES, Catalog
from rituals.failures import what
from rituals.ports import DeliveryFailure


@pytest.mark.parametrize("kind", sorted(KINDS.values()))
def test_each_recorded_kind_is_named_for_managers(kind: str) -> None:
    failure = DeliveryFailure(
        platform="slack",
        workspace_id="T1",
        recipient="C1",
        kind=kind,
        key="some-key",
        error="channel_not_found",
        failed_at=datetime(2026, 12, 4, 15, 0, tzinfo=UTC),
    )
    key = what(failure)
    assert key != "failure.kind.other"
    words = {Catalog().text(locale, key) for locale in LOCALES}
    assert len(words) == len(LOCALES)


def test_the_social_kinds_read_well_in_dutch() -> None:
    catalog = Catalog()
    assert catalog.text("nl", "failure.kind.group_prompt") == "bericht aan een groepje"
    assert catalog.text("en", "failure.kind.channel_update") == "updated channel message"
