"""a story's comparison in its own columns, recomputed apart from its summary

The summary tier (headline, summary, sources) is saved as soon as a story
changes; the comparison is slower and is saved later, by itself. Keeping it in
its own columns means neither save can overwrite the other's work.
``compare_pending`` marks a story whose comparison does not yet cover its
current articles; ``compared_members`` lists the articles it does cover.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 14:20:00
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The columns the data moves between, as this revision sees them.
_stories = sa.table(
    "stories",
    sa.column("id", sa.Integer()),
    sa.column("entry", sa.JSON()),
    sa.column("comparison", sa.JSON()),
    sa.column("compared_members", sa.JSON()),
)


def upgrade() -> None:
    # Plain ADD COLUMN: rebuilding the table (Alembic's batch mode on SQLite)
    # would drop the full-text triggers that 0002 put on it.
    op.add_column("stories", sa.Column("comparison", sa.JSON(), nullable=True))
    op.add_column("stories", sa.Column("compared_members", sa.JSON(), nullable=True))
    op.add_column(
        "stories",
        sa.Column("compare_pending", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("stories", sa.Column("compared_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_stories_compare_pending", "stories", ["compare_pending"])
    # Comparisons stored inside the entry so far move to the new column; they
    # were computed together with the entry, so they cover its articles.
    bind = op.get_bind()
    rows = bind.execute(sa.select(_stories.c.id, _stories.c.entry)).all()
    for row_id, entry in rows:
        data: dict[str, Any] | None = json.loads(entry) if isinstance(entry, str) else entry
        if not data:
            continue
        comparison = data.pop("comparison", None)
        bind.execute(
            _stories.update()
            .where(_stories.c.id == row_id)
            .values(
                entry=data,
                comparison=comparison,
                compared_members=sorted(data.get("articles", [])),
            )
        )


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(_stories.c.id, _stories.c.entry, _stories.c.comparison)).all()
    for row_id, entry, comparison in rows:
        data = json.loads(entry) if isinstance(entry, str) else entry
        if data:
            bind.execute(
                _stories.update()
                .where(_stories.c.id == row_id)
                .values(entry={**data, "comparison": comparison})
            )
    op.drop_index("ix_stories_compare_pending", "stories")
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+, PostgreSQL), again without a rebuild.
    for column in ("compared_at", "compare_pending", "compared_members", "comparison"):
        op.execute(f"ALTER TABLE stories DROP COLUMN {column}")
