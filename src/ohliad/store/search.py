"""Finding stories and articles: full-text search and the filters of the web
app and the API (date, outlet, language), with pagination.

Full-text search runs on SQLite FTS5 tables or on PostgreSQL ``tsvector``
indexes (migration 0002), behind the same functions. Every word of a query
must match, as a prefix ("дрон" finds "дрони"), so that a reader needs no
query syntax and no input can break one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, exists, func, literal_column, select, text
from sqlalchemy.orm import Session

from ohliad.dates import assume_utc
from ohliad.errors import OhliadError
from ohliad.models import Article
from ohliad.store.repository import Store, StoredStory, article_from_row, stories_as_published
from ohliad.store.review_rows import PUBLIC_STATUSES
from ohliad.store.schema import ArticleRow, OutletRow, ReviewRow, StoryArticleRow, StoryRow

_WORD = re.compile(r"\w+")
# Longer queries add nothing a reader needs and cost the database.
MAX_QUERY_WORDS = 12

# The PostgreSQL documents; identical to the indexed expressions of migration 0002.
_PG_ARTICLE_DOCUMENT = (
    "to_tsvector('simple', coalesce(articles.title, '') || ' ' || coalesce(articles.text, ''))"
)
_PG_STORY_DOCUMENT = (
    "to_tsvector('simple', coalesce(stories.headline_en, '') || ' ' || "
    "coalesce(stories.headline_uk, '') || ' ' || coalesce(stories.summary_en, '') || ' ' || "
    "coalesce(stories.summary_uk, ''))"
)


class SearchUnsupportedError(OhliadError, RuntimeError):
    """Full-text search needs SQLite or PostgreSQL."""


@dataclass(frozen=True, slots=True)
class Filters:
    """What a reader narrows the stories or articles to. ``since`` and
    ``until`` are whole days (UTC), both included; ``text`` is a search query."""

    text: str | None = None
    since: date | None = None
    until: date | None = None
    outlet: str | None = None
    language: str | None = None
    # Only entries an editor approved or published (the setting ``review``).
    reviewed: bool = False

    @property
    def narrows_articles(self) -> bool:
        return any((self.since, self.until, self.outlet, self.language))


@dataclass(frozen=True, slots=True)
class ArticleHit:
    """A stored article and the key of the story it belongs to (if grouped yet)."""

    article: Article
    story_key: str | None


def query_words(query: str, limit: int | None = MAX_QUERY_WORDS) -> list[str]:
    """The words of ``query`` as search matches them: case-folded."""
    return _WORD.findall(query.casefold())[:limit]


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _article_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.since:
        conditions.append(ArticleRow.published >= _day_start(filters.since))
    # The calendar's last day has no day after it, and nothing is published after it.
    if filters.until and filters.until < date.max:
        conditions.append(ArticleRow.published < _day_start(filters.until + timedelta(days=1)))
    if filters.outlet:
        conditions.append(
            ArticleRow.outlet_id.in_(select(OutletRow.id).where(OutletRow.name == filters.outlet))
        )
    if filters.language:
        conditions.append(ArticleRow.language == filters.language)
    return conditions


def _text_matches(session: Session, words: list[str], *, stories: bool) -> Select[int]:
    """The ids of the stories (or articles) whose own text has every word."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        table = "stories_fts" if stories else "articles_fts"
        return (
            select(literal_column("rowid", type_=StoryRow.id.type))
            .select_from(text(table))
            .where(text(f"{table} MATCH :fts_query"))
            .params(fts_query=" ".join(f'"{w}"*' for w in words))
        )
    if dialect == "postgresql":
        row_id = StoryRow.id if stories else ArticleRow.id
        document = _PG_STORY_DOCUMENT if stories else _PG_ARTICLE_DOCUMENT
        return (
            select(row_id)
            .where(text(f"{document} @@ to_tsquery('simple', :ts_query)"))
            .params(ts_query=" & ".join(f"'{w}':*" for w in words))
        )
    raise SearchUnsupportedError(f"full-text search needs SQLite or PostgreSQL, not {dialect}")


def _stories_query(session: Session, filters: Filters) -> Select[StoryRow] | None:
    query = select(StoryRow).where(StoryRow.entry.is_not(None))
    if filters.reviewed:
        query = query.where(StoryRow.key.in_(_reviewed_keys()))
    if filters.narrows_articles:
        query = query.where(
            exists()
            .where(StoryArticleRow.story_id == StoryRow.id)
            .where(ArticleRow.id == StoryArticleRow.article_id)
            .where(*_article_conditions(filters))
        )
    if filters.text is not None:
        words = query_words(filters.text)
        if not words:
            return None
        # A story matches through its own headline and summary (the only
        # Ukrainian text) or through any of its articles.
        through_articles = select(StoryArticleRow.story_id).where(
            StoryArticleRow.article_id.in_(_text_matches(session, words, stories=False))
        )
        query = query.where(
            StoryRow.id.in_(_text_matches(session, words, stories=True))
            | StoryRow.id.in_(through_articles)
            | StoryRow.key.in_(_edited_matching(words))
        )
    return query


def find_stories(
    store: Store, filters: Filters, *, limit: int | None = None, offset: int = 0
) -> list[StoredStory]:
    """Stories with digest entries that pass ``filters``, latest news first: by
    their newest article's publication time, then by when they were updated."""
    with Session(store.engine) as session:
        query = _stories_query(session, filters)
        if query is None:
            return []
        newest_article = (
            select(func.max(ArticleRow.published))
            .join(StoryArticleRow, StoryArticleRow.article_id == ArticleRow.id)
            .where(StoryArticleRow.story_id == StoryRow.id)
            .scalar_subquery()
        )
        query = query.order_by(
            newest_article.desc().nulls_last(), StoryRow.updated_at.desc(), StoryRow.id.desc()
        ).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        return stories_as_published(session, session.scalars(query))


def _articles_with_story_keys() -> Select[ArticleRow, str]:
    return (
        select(ArticleRow, StoryRow.key)
        .outerjoin(StoryArticleRow, StoryArticleRow.article_id == ArticleRow.id)
        .outerjoin(StoryRow, StoryRow.id == StoryArticleRow.story_id)
    )


def find_articles(
    store: Store, filters: Filters, *, limit: int | None = None, offset: int = 0
) -> list[ArticleHit]:
    """Articles that pass ``filters``, newest first, each with its story's key."""
    with Session(store.engine) as session:
        query = _articles_with_story_keys().where(*_article_conditions(filters))
        if filters.text is not None:
            words = query_words(filters.text)
            if not words:
                return []
            query = query.where(ArticleRow.id.in_(_text_matches(session, words, stories=False)))
        query = query.order_by(ArticleRow.published.desc(), ArticleRow.id.desc()).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        return [ArticleHit(article_from_row(row), key) for row, key in session.execute(query).all()]


def article_hit(store: Store, article_id: int) -> ArticleHit | None:
    """One stored article with its story's key, or None."""
    with Session(store.engine) as session:
        found = session.execute(
            _articles_with_story_keys().where(ArticleRow.id == article_id)
        ).first()
        return ArticleHit(article_from_row(found[0]), found[1]) if found else None


def _edited_matching(words: list[str]) -> Select[str]:
    """The stories whose editor's text has every word, as a prefix."""
    return select(ReviewRow.story_key).where(
        *(ReviewRow.search_text.like(f"% {w.replace('_', '/_')}%", escape="/") for w in words)
    )


def _reviewed_keys() -> Select[str]:
    return select(ReviewRow.story_key).where(ReviewRow.status.in_(PUBLIC_STATUSES))


def stored_story(store: Store, key: str, *, reviewed: bool = False) -> StoredStory | None:
    """One story's stored digest data, or None if there is no entry for
    ``key`` (or, ``reviewed``, none an editor approved or published)."""
    with Session(store.engine) as session:
        query = select(StoryRow).where(StoryRow.key == key)
        if reviewed:
            query = query.where(StoryRow.key.in_(_reviewed_keys()))
        row = session.scalar(query)
        if row is None or row.entry is None:
            return None
        (stored,) = stories_as_published(session, [row])
        return stored


def outlet_names(store: Store) -> list[str]:
    """The outlets that have articles (a bare domain merged into its outlet's
    name keeps its row, empty)."""
    used = select(ArticleRow.id).where(ArticleRow.outlet_id == OutletRow.id).exists()
    with Session(store.engine) as session:
        return list(session.scalars(select(OutletRow.name).where(used).order_by(OutletRow.name)))


def article_languages(store: Store) -> list[str]:
    with Session(store.engine) as session:
        query = (
            select(ArticleRow.language)
            .where(ArticleRow.language.is_not(None))
            .distinct()
            .order_by(ArticleRow.language)
        )
        return [language for language in session.scalars(query) if language]


def last_update(store: Store) -> datetime | None:
    """When the most recently changed story of the digest last changed."""
    with Session(store.engine) as session:
        moment = session.scalar(
            select(func.max(StoryRow.updated_at)).where(StoryRow.entry.is_not(None))
        )
        return assume_utc(moment)
