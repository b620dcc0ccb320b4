"""Every row of every table of Ritme's SQLite database, to prove a refused request left no trace anywhere."""

from __future__ import annotations

import sqlite3
from pathlib import Path

Snapshot = dict[str, list[tuple[object, ...]]]


def every_row(database: Path) -> Snapshot:
    """Each table's rows (Alembic's own bookkeeping aside), sorted so two snapshots compare as sets of rows."""
    with sqlite3.connect(database) as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version'"
        )]
        return {table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
                for table in tables}
