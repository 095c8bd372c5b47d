"""the editor's desk: review state, edits and their history

Each entry an editor touched has a row in ``reviews`` (status, the editor's
text apart from the machine's, the story as it was then); each change made
on the desk, a row in ``review_events``.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 01:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("story_key", sa.String(64), nullable=False, unique=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("headline_en", sa.Text()),
        sa.Column("summary_en", sa.Text()),
        sa.Column("headline_uk", sa.Text()),
        sa.Column("summary_uk", sa.Text()),
        sa.Column("dropped_sources", sa.JSON(), nullable=False),
        sa.Column("search_text", sa.Text()),
        sa.Column("baseline", sa.JSON()),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.String(200)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("edition_day", sa.Date()),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("emailed_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_reviews_status", "reviews", ["status"])
    op.create_index("ix_reviews_edition_day", "reviews", ["edition_day"])
    op.create_table(
        "review_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("story_key", sa.String(64), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("by", sa.String(200)),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    op.create_index("ix_review_events_story_key", "review_events", ["story_key"])


def downgrade() -> None:
    op.drop_table("review_events")
    op.drop_table("reviews")
