"""SQLite: new articles enter the full-text index in bulk, not row by row

The insert trigger indexed each article as it was stored, and FTS5 wrote and
merged a segment at every commit: 0.13 CPU ms an article, a tenth of the
backfill writer's time. Now the trigger only queues the article's id in
``articles_fts_pending``, and ``Transaction.index_pending_text`` indexes the
queue in one statement (``ohliad.store.repository``): by default when the
transaction that stored them commits, and for a long run of ingest batches,
every ``TEXT_INDEX_BATCHES`` batches and at the end. An article still queued
is deleted from the queue, not from the index, and an edit of one needs no
re-indexing: the queue is read when it is indexed.

PostgreSQL is unchanged: its GIN indexes keep a pending list of their own.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 10:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_NOT_QUEUED = "NOT EXISTS (SELECT 1 FROM articles_fts_pending WHERE article_id = {row}.id)"
_INDEX_QUEUED = (
    "INSERT INTO articles_fts(rowid, title, text) SELECT a.id, a.title, a.text "
    "FROM articles a JOIN articles_fts_pending p ON p.article_id = a.id"
)

_UPGRADE = (
    "CREATE TABLE articles_fts_pending (article_id INTEGER PRIMARY KEY)",
    "DROP TRIGGER articles_fts_insert",
    "DROP TRIGGER articles_fts_delete",
    "DROP TRIGGER articles_fts_update",
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts_pending(article_id) VALUES (new.id); END",
    # FTS5 external content: deleting a row that was never indexed corrupts the index.
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
    f"SELECT 'delete', old.id, old.title, old.text WHERE {_NOT_QUEUED.format(row='old')}; "
    "DELETE FROM articles_fts_pending WHERE article_id = old.id; END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles "
    f"WHEN {_NOT_QUEUED.format(row='new')} BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
)

_DOWNGRADE = (
    _INDEX_QUEUED,
    "DROP TRIGGER articles_fts_insert",
    "DROP TRIGGER articles_fts_delete",
    "DROP TRIGGER articles_fts_update",
    "DROP TABLE articles_fts_pending",
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _DOWNGRADE:
            op.execute(statement)
