"""The store: articles, stories and runs, behind a small typed API.

Every write happens inside ``Store.transaction()``: a run killed at any point
leaves each article either wholly stored with its story link, or not at all.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from ohliad.models import Article, Story
from ohliad.store.db import create_database_engine, database_url, upgrade
from ohliad.store.schema import (
    ArticleRow,
    OutletRow,
    RunRow,
    StoryArticleRow,
    StoryRow,
    utcnow,
)

_WHITESPACE = re.compile(r"\s+")


def content_hash(article: Article) -> str:
    """The identity of an article's content: its normalised title and text."""
    normalised = _WHITESPACE.sub(" ", f"{article.title}\n{article.text}").strip().casefold()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes even for timezone-aware columns.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def article_from_row(row: ArticleRow) -> Article:
    return Article(
        id=row.id,
        title=row.title,
        text=row.text,
        url=row.url,
        published=_aware(row.published),
        outlet=row.outlet.name if row.outlet else None,
        language=row.language,
        author=row.author,
        duplicate_of=row.duplicate_of,
        origin=row.origin,
        extra=dict(row.extra or {}),
    )


@dataclass(frozen=True, slots=True)
class StoredStory:
    """A story row's digest data as stored (``entry`` is the digest JSON)."""

    key: str
    updated_at: datetime
    entry: dict[str, Any] | None


def stored_entry(row: StoryRow) -> dict[str, Any] | None:
    """The story's digest JSON with its latest comparison joined in.

    ``comparison_pending`` says the comparison does not yet cover the story's
    current articles (a newer one is on its way); it is then the last one made.
    """
    if row.entry is None:
        return None
    return {**row.entry, "comparison": row.comparison, "comparison_pending": row.compare_pending}


def story_from_row(row: StoryRow) -> StoredStory:
    return StoredStory(
        key=row.key, updated_at=_aware(row.updated_at) or utcnow(), entry=stored_entry(row)
    )


class Transaction:
    """Operations on one open transaction. Obtain with ``Store.transaction()``."""

    def __init__(self, session: Session) -> None:
        self.session = session
        # Rows looked up in this transaction: a batch of articles names the
        # same outlets and stories again and again, and each look-up by query
        # flushed the session first.
        self._outlet_ids: dict[str, int] = {}
        self._stories: dict[str, StoryRow] = {}

    def find_existing(self, url: str | None, digest: str) -> int | None:
        """The id of a stored article with this canonical URL or content."""
        condition = ArticleRow.content_hash == digest
        if url:
            condition = or_(condition, ArticleRow.url == url)
        return self.session.scalar(select(ArticleRow.id).where(condition).limit(1))

    def _outlet_id(self, name: str | None) -> int | None:
        if not name:
            return None
        outlet_id = self._outlet_ids.get(name)
        if outlet_id is None:
            outlet_id = self.session.scalar(select(OutletRow.id).where(OutletRow.name == name))
        if outlet_id is None:
            row = OutletRow(name=name)
            self.session.add(row)
            self.session.flush()
            outlet_id = row.id
        self._outlet_ids[name] = outlet_id
        return outlet_id

    def add_article(self, article: Article, *, run_id: int | None = None) -> Article:
        """Store an article (the caller has checked ``find_existing``); returns it with its id."""
        row = ArticleRow(
            url=article.url,
            content_hash=content_hash(article),
            title=article.title,
            text=article.text,
            published=article.published,
            language=article.language,
            author=article.author,
            outlet_id=self._outlet_id(article.outlet),
            duplicate_of=article.duplicate_of,
            origin=article.origin,
            extra=dict(article.extra),
            run_id=run_id,
        )
        self.session.add(row)
        self.session.flush()
        return article_from_row(row)

    def _story_row(self, key: str) -> StoryRow:
        row = self._stories.get(key)
        if row is None:
            row = self.session.scalar(select(StoryRow).where(StoryRow.key == key))
        if row is None:
            row = StoryRow(key=key)
            self.session.add(row)
            self.session.flush()
        self._stories[key] = row
        return row

    def link(self, article_id: int, story_key: str) -> None:
        """Put a newly stored article in a story (creating the story) and mark
        the story for recomputation. Articles change stories only by merges."""
        story = self._story_row(story_key)
        self.session.add(StoryArticleRow(article_id=article_id, story_id=story.id))
        self._changed(story)

    @staticmethod
    def _changed(story: StoryRow) -> None:
        # In the same transaction as the change of members: a story's summary
        # and comparison are never taken as current for articles they miss.
        story.dirty = True
        story.compare_pending = True
        story.updated_at = utcnow()

    def merge_stories(self, into_key: str, from_keys: Sequence[str]) -> None:
        """Move every article of ``from_keys`` into ``into_key`` and drop the emptied stories."""
        target = self._story_row(into_key)
        for key in from_keys:
            source = self.session.scalar(select(StoryRow).where(StoryRow.key == key))
            if source is None or source.id == target.id:
                continue
            self.session.execute(
                update(StoryArticleRow)
                .where(StoryArticleRow.story_id == source.id)
                .values(story_id=target.id)
            )
            self.session.execute(delete(StoryRow).where(StoryRow.id == source.id))
            self._stories.pop(key, None)
        self._changed(target)

    def story_key_of(self, article_id: int) -> str | None:
        return self.session.scalar(
            select(StoryRow.key)
            .join(StoryArticleRow, StoryArticleRow.story_id == StoryRow.id)
            .where(StoryArticleRow.article_id == article_id)
        )

    def _members(self, story_id: int) -> frozenset[int]:
        return frozenset(
            self.session.scalars(
                select(StoryArticleRow.article_id).where(StoryArticleRow.story_id == story_id)
            )
        )

    def save_entry(self, story_key: str, entry: dict[str, Any], *, members: frozenset[int]) -> None:
        """Store a story's digest entry, computed from the articles ``members``.

        The dirty mark is cleared only if the story still has exactly those
        articles: one that joined during the computation keeps it dirty. An
        entry with a ``comparison`` saves that too (``save_comparison``);
        without one, the story's last comparison is kept.
        """
        row = self._story_row(story_key)
        current = self._members(row.id)
        summary = {k: v for k, v in entry.items() if k not in ("comparison", "comparison_pending")}
        row.entry = summary
        row.headline_en = summary.get("headline", {}).get("en")
        row.headline_uk = summary.get("headline", {}).get("uk")
        row.summary_en = summary.get("summary", {}).get("en")
        row.summary_uk = summary.get("summary", {}).get("uk")
        row.dirty = current != members
        if "comparison" in entry:
            self._set_comparison(row, entry["comparison"], members, current)

    def save_comparison(
        self, story_key: str, comparison: dict[str, Any] | None, *, members: frozenset[int]
    ) -> bool:
        """Store a story's comparison, computed from the articles ``members``;
        False when the story is gone (merged into another meanwhile).

        It replaces the last one at once, whole. The story stays pending if
        its articles changed during the computation.
        """
        # Write first: the transaction then holds the write lock, so the
        # members read next are the committed ones, not an older snapshot.
        found = self.session.execute(
            update(StoryRow)
            .where(StoryRow.key == story_key)
            .values(compared_at=utcnow())
            .returning(StoryRow.id)
        ).scalar()
        if found is None:
            return False
        row = self.session.get(StoryRow, found)
        assert row is not None
        self._set_comparison(row, comparison, members, self._members(row.id))
        return True

    @staticmethod
    def _set_comparison(
        row: StoryRow,
        comparison: dict[str, Any] | None,
        members: frozenset[int],
        current: frozenset[int],
    ) -> None:
        row.comparison = comparison
        row.compared_members = sorted(members)
        row.compared_at = utcnow()
        row.compare_pending = current != members


class Store:
    """The article and story store. ``Store.open(db)`` migrates the schema."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, db: str | None = None) -> Store:
        engine = create_database_engine(database_url(db))
        upgrade(engine)
        return cls(engine)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self._sessions() as session, session.begin():
            yield Transaction(session)

    # Runs -----------------------------------------------------------------

    def start_run(self, command: str) -> int:
        with self.transaction() as tx:
            row = RunRow(command=command)
            tx.session.add(row)
            tx.session.flush()
            return row.id

    def finish_run(self, run_id: int, *, added: int, errors: Sequence[str]) -> None:
        with self.transaction() as tx:
            row = tx.session.get(RunRow, run_id)
            if row is not None:
                row.finished_at = utcnow()
                row.articles_added = added
                row.errors = list(errors)
                row.status = "failed" if errors else "ok"

    # Reads ----------------------------------------------------------------

    def article_count(self) -> int:
        with self._sessions() as session:
            return session.scalar(select(func.count()).select_from(ArticleRow)) or 0

    def latest_published(self) -> datetime | None:
        with self._sessions() as session:
            return _aware(session.scalar(select(func.max(ArticleRow.published))))

    def article(self, article_id: int) -> Article | None:
        with self._sessions() as session:
            row = session.get(ArticleRow, article_id)
            return article_from_row(row) if row else None

    def articles(self) -> list[Article]:
        with self._sessions() as session:
            rows = session.scalars(select(ArticleRow).order_by(ArticleRow.id))
            return [article_from_row(r) for r in rows]

    def story_members(
        self, since: datetime | None = None, *, include_copies: bool = False
    ) -> list[tuple[str, Article]]:
        """(story key, article) for stored articles, oldest first; ``since`` bounds
        the time window a clusterer needs to restore its state."""
        query = (
            select(StoryRow.key, ArticleRow)
            .join(StoryArticleRow, StoryArticleRow.story_id == StoryRow.id)
            .join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
            .order_by(ArticleRow.published, ArticleRow.id)
        )
        if not include_copies:
            query = query.where(ArticleRow.duplicate_of.is_(None))
        if since is not None:
            query = query.where(or_(ArticleRow.published >= since, ArticleRow.published.is_(None)))
        with self._sessions() as session:
            return [(key, article_from_row(row)) for key, row in session.execute(query)]

    def story(self, key: str) -> Story | None:
        query = (
            select(ArticleRow)
            .join(StoryArticleRow, StoryArticleRow.article_id == ArticleRow.id)
            .join(StoryRow, StoryRow.id == StoryArticleRow.story_id)
            .where(StoryRow.key == key)
            .order_by(ArticleRow.published, ArticleRow.id)
        )
        with self._sessions() as session:
            articles = [article_from_row(r) for r in session.scalars(query)]
        if not articles:
            return None
        return Story(
            id=key,
            articles=tuple(a for a in articles if a.duplicate_of is None),
            copies=tuple(a for a in articles if a.duplicate_of is not None),
        )

    def dirty_story_keys(self) -> list[str]:
        with self._sessions() as session:
            return list(
                session.scalars(select(StoryRow.key).where(StoryRow.dirty).order_by(StoryRow.id))
            )

    def pending_comparison_keys(self, limit: int | None = None) -> list[str]:
        """Stories whose comparison misses some of their articles and whose
        summary is current, the longest unchanged first: a story still taking
        articles waits, and is compared once for all of them."""
        query = (
            select(StoryRow.key)
            .where(StoryRow.compare_pending, StoryRow.dirty.is_(False))
            .order_by(StoryRow.updated_at, StoryRow.id)
        )
        if limit is not None:
            query = query.limit(limit)
        with self._sessions() as session:
            return list(session.scalars(query))

    def comparison_backlog(self) -> int:
        """How many stories wait for their comparison."""
        with self._sessions() as session:
            query = select(func.count()).select_from(StoryRow).where(StoryRow.compare_pending)
            return session.scalar(query) or 0

    def stored_stories(self, *, limit: int | None = None, offset: int = 0) -> list[StoredStory]:
        """Stories with computed entries, most recently updated first."""
        query = (
            select(StoryRow)
            .where(StoryRow.entry.is_not(None))
            .order_by(StoryRow.updated_at.desc(), StoryRow.id.desc())
            .offset(offset)
        )
        if limit is not None:
            query = query.limit(limit)
        with self._sessions() as session:
            return [story_from_row(r) for r in session.scalars(query)]
