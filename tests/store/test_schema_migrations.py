"""The ORM models and the migrations describe the same schema: an index or
column added to one and not the other would pass every other test on a
fresh database and differ on an upgraded one."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ohliad.store import Store
from ohliad.store.schema import Base


def test_the_migrated_schema_is_the_models(tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "d.db"))
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    store.close()
    # The full-text tables are SQLite virtual tables the migrations make by
    # hand (0002, and 0009 its queue); the models do not describe them.
    unexplained = [
        d
        for d in differences
        if not (
            d[0] == "remove_table"
            and d[1].name.endswith(
                ("_fts", "_fts_config", "_fts_data", "_fts_docsize", "_fts_idx", "_fts_pending")
            )
        )
    ]
    assert unexplained == []
