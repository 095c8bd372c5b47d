"""The database schema (SQLAlchemy 2 ORM). Alembic migrations in
``store/migrations`` create and evolve it; never ``create_all`` outside tests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from ohliad.dates import utcnow


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
    }


def table(row: type[Base]) -> Table:
    """The Core table of a mapped class, for statements that need no ORM."""
    return Base.metadata.tables[row.__tablename__]


class OutletRow(Base):
    __tablename__ = "outlets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class OutletSiteRow(Base):
    """The outlet name a site's articles carry, by the host they come from:
    what an article that names its site only by a bare domain is given,
    looked up among hosts rather than by a scan of every stored address."""

    __tablename__ = "outlet_sites"

    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id"))


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str | None] = mapped_column(String(2000), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    published: Mapped[datetime | None]
    language: Mapped[str | None] = mapped_column(String(16))
    author: Mapped[str | None] = mapped_column(String(500))
    # Indexed for the renaming of a site's bare-domain articles (0007).
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"), index=True)
    # Indexed: a story-level move takes the moved article's copies (0008).
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)
    origin: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    ingested_at: Mapped[datetime] = mapped_column(default=utcnow)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))

    outlet: Mapped[OutletRow | None] = relationship(lazy="joined")

    __table_args__ = (Index("ix_articles_published", "published"),)


class StoryRow(Base):
    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when an article joins; cleared when the digest entry is recomputed.
    dirty: Mapped[bool] = mapped_column(Boolean, default=True)
    headline_en: Mapped[str | None] = mapped_column(Text)
    headline_uk: Mapped[str | None] = mapped_column(Text)
    summary_en: Mapped[str | None] = mapped_column(Text)
    summary_uk: Mapped[str | None] = mapped_column(Text)
    # The whole DigestEntry as JSON, so rendering needs no recomputation; its
    # comparison is kept apart (below) and joined in when the entry is read.
    entry: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The comparison is slower than the summary and saved on its own, later:
    # ``compared_members`` are the articles it covers, and ``compare_pending``
    # is set while those are not the story's current articles.
    comparison: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    compared_members: Mapped[list[int] | None] = mapped_column(JSON)
    compare_pending: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    compared_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_stories_updated_at", "updated_at"),)


class StoryArticleRow(Base):
    __tablename__ = "story_articles"

    # An article belongs to exactly one story at a time.
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class StoryChangeRow(Base):
    """A merge or a split the grouping made (``ohliad.store.history``). Keys,
    not foreign keys: the record outlives a story merged away."""

    __tablename__ = "story_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    story_key: Mapped[str] = mapped_column(String(64), index=True)
    other_key: Mapped[str] = mapped_column(String(64), index=True)
    articles: Mapped[list[int]] = mapped_column(JSON, default=list)
    score: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))


class ReviewRow(Base):
    """An entry on the editor's desk (``ohliad.store.reviews``): its status,
    the editor's text (None: the machine's stands), and the story as it was at
    the editor's last edit or decision (``baseline``), to tell what changed
    since. Keyed by story key: a merge or split moves the row with the edit."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_key: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    headline_en: Mapped[str | None] = mapped_column(Text)
    summary_en: Mapped[str | None] = mapped_column(Text)
    headline_uk: Mapped[str | None] = mapped_column(Text)
    summary_uk: Mapped[str | None] = mapped_column(Text)
    dropped_sources: Mapped[list[int]] = mapped_column(JSON, default=list)
    # The editor's words, case-folded, each after a space: what search matches
    # (the stories' full-text index holds the machine's text).
    search_text: Mapped[str | None] = mapped_column(Text)
    baseline: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    stale: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The day of the edition that first published the entry (its day from then on).
    edition_day: Mapped[date | None] = mapped_column(Date, index=True)
    published_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]


class ReviewEventRow(Base):
    """Each change made on the desk: who, when, what (``detail``)."""

    __tablename__ = "review_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_key: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(20))
    by: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ArchiveRow(Base):
    """A web archive (WARC file) that ``ohliad backfill`` stored to the end:
    a rerun skips it while its size is the same."""

    __tablename__ = "archives"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(2000), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    records: Mapped[int] = mapped_column(Integer, default=0)
    articles: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime] = mapped_column(default=utcnow)


class RunRow(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    command: Mapped[str] = mapped_column(String(50))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="running")
    articles_added: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[str]] = mapped_column(JSON, default=list)


class TranslationRow(Base):
    """Cache of engine output, so re-rendering a digest calls no engine again."""

    __tablename__ = "translations"

    id: Mapped[int] = mapped_column(primary_key=True)
    # sha256 over (source text, engine, model, style, kind).
    cache_key: Mapped[str] = mapped_column(String(64), unique=True)
    source_text: Mapped[str] = mapped_column(Text)
    engine: Mapped[str] = mapped_column(String(50))
    model: Mapped[str | None] = mapped_column(String(200))
    style: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(30))
    result: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FeedRow(Base):
    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    outlet: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(16))
    interval_seconds: Mapped[int] = mapped_column(Integer, default=900)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_polled: Mapped[datetime | None]
    last_success: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    parked_reason: Mapped[str | None] = mapped_column(Text)
    next_poll: Mapped[datetime | None]


class FeedEntryRow(Base):
    """Entries seen in a feed, so a restarted watcher neither skips nor repeats one."""

    __tablename__ = "feed_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"))
    entry_key: Mapped[str] = mapped_column(String(2000))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    error: Mapped[str | None] = mapped_column(Text)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("feed_id", "entry_key"),)
