"""the record of grouping's merges and splits

Each row is one change the clusterer made to stories: a merge took every
article of ``other_key`` into ``story_key``; a split moved ``articles`` out of
``story_key`` into ``other_key``. ``score`` is the story-level score that
decided it. Keys are kept as text, not foreign keys, so the record outlives a
story that was merged away. The story page's timeline and the API read it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("story_key", sa.String(64), nullable=False),
        sa.Column("other_key", sa.String(64), nullable=False),
        sa.Column("articles", sa.JSON(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("runs.id"), nullable=True),
    )
    op.create_index("ix_story_changes_story_key", "story_changes", ["story_key"])
    op.create_index("ix_story_changes_other_key", "story_changes", ["other_key"])


def downgrade() -> None:
    op.drop_index("ix_story_changes_other_key", "story_changes")
    op.drop_index("ix_story_changes_story_key", "story_changes")
    op.drop_table("story_changes")
