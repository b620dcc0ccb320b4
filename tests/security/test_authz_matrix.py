"""The authorization matrix walked through the real engine over a real database: every chat command, form and
button against every role, each cell as docs/security.md says; a refusal changes nothing at all, and someone
from another workspace never changes or sees anything of this one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rituals import borrel, standup
from rituals.catalog import _MESSAGES, Catalog
from rituals.outbound import Message
from tests.security.authz_table import (
    ALLOWED,
    CHAT,
    NOT_MANAGER,
    NOT_YOURS,
    OUTCOMES,
    OWN_WORKSPACE,
    ROLE_COLUMNS,
    UNKNOWN_BUTTON,
    WEB,
    Row,
)
from tests.security.authz_world import HOME_WORDS, MIA, ROLES, Template, Who, World, texts

DOC = Path(__file__).parents[2] / "docs" / "security.md"
CATALOG = Catalog()


def _pattern(template: str) -> str:
    parts = re.split(r"\{[a-z_]+\}", template)
    return ".*".join(re.escape(part) for part in parts)


# Every error message Ritme can say, in both languages, as a pattern: an allowed cell must answer none of them.
REFUSALS = re.compile("|".join(f"(?:{_pattern(text)})" for key, pair in _MESSAGES.items()
                               if key.startswith("error.") for text in pair), re.DOTALL)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """Both workspaces seeded once for the whole matrix."""
    return Template(tmp_path_factory.mktemp("authz"))


async def act(world: World, row: Row, who: Who) -> list[Message]:
    """Do what the row says, as `who`; ids always name workspace w1's team, whoever uses them."""
    ids = world.ids
    delivery = ids["delivery:w1:mo"]
    if row.label.startswith("/ritme"):
        command = row.label.split(" (")[0].format(standup=ids["standup:w1"], pulse=ids["pulse:w1"],
                                                  borrel=ids["borrel:w1"], focus=ids["focus:w1"])
        return await world.say(who, command)
    if row.label.startswith("answer"):
        return await world.answer(who, delivery, ["Zonnebloem, edited"])
    if row.label.startswith("press Edit"):
        return await world.click(who, standup.EDIT_ACTION, str(delivery))
    if row.label.startswith("press Join"):
        return await world.click(who, borrel.RSVP_ACTION, f"{ids['borrel_occurrence:w1']}:join")
    raise AssertionError(f"no way to do {row.label!r}")


async def check_cell(world: World, row: Row, who: Who, outcome: str) -> None:
    """One cell: the row done by `who` has the documented outcome, and a refusal changes no row at all."""
    for by, command in row.setup:
        await world.say(who if by == "self" else MIA, command)
    before = await world.snapshot() if outcome not in (ALLOWED, OWN_WORKSPACE) else {}
    home_before = await world.home_snapshot() if outcome == OWN_WORKSPACE else {}
    said = texts(await act(world, row, who))
    assert said, "every action gets an answer"
    if outcome == ALLOWED:
        refused = [text for text in said if REFUSALS.fullmatch(text)]
        assert not refused, refused
        assert CATALOG.text(who.locale, "error.unknown_button") not in said
        return
    if outcome == OWN_WORKSPACE:
        # Whatever it did, it did in the other workspace: not one row of w1 changed, and nothing of w1 shows.
        assert await world.home_snapshot() == home_before
        shown = "\n".join(said)
        typed = row.label  # what they typed themselves may come back to them; nothing else of w1 may
        assert not [word for word in (*HOME_WORDS, MIA.name) if word in shown and word not in typed], shown
        return
    expected = {
        NOT_MANAGER: CATALOG.text(who.locale, "error.not_manager", team="team", managers=MIA.name),
        NOT_YOURS: CATALOG.text(who.locale, "error.answer_unknown"),
        UNKNOWN_BUTTON: CATALOG.text(who.locale, "error.unknown_button"),
    }[outcome]
    assert said == [expected]
    assert await world.snapshot() == before


@pytest.mark.parametrize("row", [pytest.param(row, id=row.label) for row in CHAT])
async def test_chat_row(template: Template, tmp_path: Path, row: Row) -> None:
    # Refusals and the other workspace's cell go first, on one copy of the world: each is proven to leave w1's
    # rows as they were, so the next cell meets the world as seeded. Then each allowed cell gets a copy of its
    # own but the first, which may use the one the refusals left untouched.
    cells = sorted(zip(ROLE_COLUMNS, row.cells, strict=True), key=lambda cell: cell[1] == ALLOWED)
    world = template.copy(tmp_path / "shared")
    try:
        for role, outcome in cells:
            if outcome == ALLOWED and world.dirty:
                await world.close()
                world = template.copy(tmp_path / role)
            try:
                await check_cell(world, row, ROLES[role], outcome)
            except AssertionError as failed:
                raise AssertionError(f"{row.label!r} as {role} should be {outcome!r}: {failed}") from failed
            world.dirty = outcome == ALLOWED
    finally:
        await world.close()


async def test_the_snapshot_covers_every_table_the_migrations_make(template: Template, tmp_path: Path) -> None:
    world = template.copy(tmp_path)
    try:
        assert set(await world.snapshot()) | {"inbound_events"} == await world.reflected_tables()
    finally:
        await world.close()


def documented_rows() -> dict[str, tuple[str, ...]]:
    """The matrix as docs/security.md writes it: every table row whose first cell is `code`."""
    rows: dict[str, tuple[str, ...]] = {}
    text = DOC.read_text(encoding="utf-8")
    # Only the matrix's own section: other sections have tables of their own.
    section = text.split("\n## Authorization matrix\n", 1)[1].split("\n## ", 1)[0]
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].startswith("`") and cells[0].endswith("`"):
            assert cells[0][1:-1] not in rows, f"{cells[0]} is in the doc twice"
            rows[cells[0][1:-1]] = tuple(cells[1:])
    return rows


def test_the_doc_and_the_tests_walk_the_same_matrix() -> None:
    documented = documented_rows()
    tested = {row.label: row.cells for row in (*CHAT, *WEB)}
    assert set(documented) - set(tested) == set(), "in the doc but not tested"
    assert set(tested) - set(documented) == set(), "tested but not in the doc"
    for label, cells in tested.items():
        assert documented[label] == cells, label
    assert {cell for cells in tested.values() for cell in cells} <= set(OUTCOMES)
