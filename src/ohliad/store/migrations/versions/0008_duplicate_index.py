"""articles indexed by the article they copy

Moving an article to another story also moves its stored copies, found by
``duplicate_of``: unindexed, that scanned every stored article. The
story-level pass moves members every few hours of stream time, and at
300,000 articles stored the backfill's writer fell from 1.15 to 1.70 CPU ms
an article.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 08:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_articles_duplicate_of", "articles", ["duplicate_of"])


def downgrade() -> None:
    op.drop_index("ix_articles_duplicate_of", "articles")
