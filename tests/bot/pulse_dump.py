"""After a pulse round: read every row of every table and check that none ties a member to what they answered."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, column, inspect, select, table
from sqlalchemy.ext.asyncio import AsyncEngine

Rows = dict[str, list[dict[str, Any]]]
ForeignKeys = dict[str, set[str]]  # table -> its columns that point at members.id


async def dump(engine: AsyncEngine) -> tuple[Rows, ForeignKeys]:
    """Every row of every table, as column -> value, and which columns name a member by its id."""

    def read(connection: Connection) -> tuple[Rows, ForeignKeys]:
        inspector = inspect(connection)
        rows: Rows = {}
        member_columns: ForeignKeys = {}
        for name in inspector.get_table_names():
            columns = [column["name"] for column in inspector.get_columns(name)]
            every = table(name, *(column(c) for c in columns))
            rows[name] = [dict(row._mapping) for row in connection.execute(select(every))]
            member_columns[name] = {
                column
                for key in inspector.get_foreign_keys(name) if key["referred_table"] == "members"
                for column in key["constrained_columns"]
            }
        return rows, member_columns

    async with engine.connect() as connection:
        return await connection.run_sync(read)


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)


async def assert_no_member_answer_link(
    engine: AsyncEngine, *, members: Mapping[str, Sequence[str]], answers: Mapping[str, Sequence[str]]
) -> None:
    """No row holds both a reference to a member and something that member answered.

    `members` gives each member's platform references (user ids), `answers` their scores and, last, their comment
    (unique to them). A row "holds an answer" when it contains a comment or is in a table of scores; it "refers to
    a member" when a value is or contains one of their platform ids, or a column pointing at members.id holds one.
    Inbound events must have dropped their payloads once handled.
    """
    rows, member_columns = await dump(engine)
    ids = {row["user_id"]: row["id"] for row in rows["members"]}
    member_ids = {key: {ids[ref] for ref in refs if ref in ids} for key, refs in members.items()}
    assert all(member_ids.values()), f"not every member is in the members table: {member_ids}"
    comments = {key: values[-1] for key, values in answers.items()}

    def refers(table_name: str, row: Mapping[str, Any]) -> list[str]:
        found = []
        for key, refs in members.items():
            texts = [_as_text(value) for value in row.values() if value is not None]
            by_ref = any(ref in text for ref in refs for text in texts)
            by_id = any(row.get(column) in member_ids[key] for column in member_columns[table_name])
            if by_ref or by_id:
                found.append(key)
        return found

    seen_comments: set[str] = set()
    score_tables = set()
    for table_name, table_rows in rows.items():
        scored = any(name == "score" or name.startswith("score_") for row in table_rows[:1] for name in row)
        if scored:
            score_tables.add(table_name)
        for row in table_rows:
            texts = " ".join(_as_text(value) for value in row.values() if value is not None)
            holds = [key for key, comment in comments.items() if comment in texts]
            seen_comments.update(holds)
            if holds or scored:
                who = refers(table_name, row)
                assert not who, f"{table_name} row {row} ties {who} to an answer"
        if table_name == "inbound_events":
            assert table_rows and all(row["payload"] is None for row in table_rows), table_rows

    # The check looked at real data: the comments and the tallies of the scores are stored, apart from anyone.
    assert seen_comments == set(comments), f"comments not found in the database: {set(comments) - seen_comments}"
    assert "pulse_tallies" in score_tables and rows["pulse_tallies"]
    assert rows["answers"] == []  # a pulse answer never lands among the stand-up answers, which name a member
    assert rows["pulse_responders"] == []  # who responded is forgotten once the round closes
