"""full-text search over articles and stories

SQLite: FTS5 tables with external content, kept in sync by triggers.
PostgreSQL: GIN indexes on the same to_tsvector expressions that
``ohliad.store.search`` queries (the expressions must stay identical).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 11:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# "simple": no stemming, since articles come in many languages.
ARTICLE_DOCUMENT = "to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(text, ''))"
STORY_DOCUMENT = (
    "to_tsvector('simple', coalesce(headline_en, '') || ' ' || coalesce(headline_uk, '') "
    "|| ' ' || coalesce(summary_en, '') || ' ' || coalesce(summary_uk, ''))"
)

_STORY_COLUMNS = "headline_en, headline_uk, summary_en, summary_uk"
_SQLITE_UPGRADE = (
    # remove_diacritics folds case and accents in Cyrillic and Latin alike.
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
    f"CREATE VIRTUAL TABLE stories_fts USING fts5({_STORY_COLUMNS}, content='stories', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories BEGIN "
    f"INSERT INTO stories_fts(rowid, {_STORY_COLUMNS}) VALUES "
    "(new.id, new.headline_en, new.headline_uk, new.summary_en, new.summary_uk); END",
    f"CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN "
    f"INSERT INTO stories_fts(stories_fts, rowid, {_STORY_COLUMNS}) VALUES "
    "('delete', old.id, old.headline_en, old.headline_uk, old.summary_en, old.summary_uk); END",
    f"CREATE TRIGGER stories_fts_update AFTER UPDATE OF {_STORY_COLUMNS} ON stories BEGIN "
    f"INSERT INTO stories_fts(stories_fts, rowid, {_STORY_COLUMNS}) VALUES "
    "('delete', old.id, old.headline_en, old.headline_uk, old.summary_en, old.summary_uk); "
    f"INSERT INTO stories_fts(rowid, {_STORY_COLUMNS}) VALUES "
    "(new.id, new.headline_en, new.headline_uk, new.summary_en, new.summary_uk); END",
    "INSERT INTO stories_fts(stories_fts) VALUES ('rebuild')",
)
_SQLITE_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS stories_fts_update",
    "DROP TRIGGER IF EXISTS stories_fts_delete",
    "DROP TRIGGER IF EXISTS stories_fts_insert",
    "DROP TABLE IF EXISTS stories_fts",
    "DROP TRIGGER IF EXISTS articles_fts_update",
    "DROP TRIGGER IF EXISTS articles_fts_delete",
    "DROP TRIGGER IF EXISTS articles_fts_insert",
    "DROP TABLE IF EXISTS articles_fts",
)
_POSTGRESQL_UPGRADE = (
    f"CREATE INDEX ix_articles_fulltext ON articles USING gin (({ARTICLE_DOCUMENT}))",
    f"CREATE INDEX ix_stories_fulltext ON stories USING gin (({STORY_DOCUMENT}))",
)
_POSTGRESQL_DOWNGRADE = (
    "DROP INDEX IF EXISTS ix_stories_fulltext",
    "DROP INDEX IF EXISTS ix_articles_fulltext",
)


def _run(statements_by_dialect: dict[str, tuple[str, ...]]) -> None:
    # Other databases get no index; ohliad.store.search names them in its error.
    for statement in statements_by_dialect.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def upgrade() -> None:
    _run({"sqlite": _SQLITE_UPGRADE, "postgresql": _POSTGRESQL_UPGRADE})


def downgrade() -> None:
    _run({"sqlite": _SQLITE_DOWNGRADE, "postgresql": _POSTGRESQL_DOWNGRADE})
