"""The JSON API under /api/: stories in the digest JSON contract
(``ohliad.digest_json``), articles, and search. Read-only."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path
from pydantic import BaseModel, Field, WithJsonSchema

from ohliad.digest_json import ENTRY_SCHEMA, changes_to_list, entry_to_dict
from ohliad.store.search import (
    ArticleHit,
    article_hit,
    find_articles,
    find_stories,
    stored_story,
)
from ohliad.web.deps import ERROR_RESPONSES, SelectionDep, SettingsDep, StoreDep, page_of

router = APIRouter(prefix="/api", tags=["digest"], responses=ERROR_RESPONSES)

# A digest entry, documented by the contract's own schema.
StoryObject = Annotated[
    dict[str, Any],
    WithJsonSchema({k: v for k, v in ENTRY_SCHEMA.items() if not k.startswith("$")}),
]


class StoryPage(BaseModel):
    page: int
    per_page: int
    next_page: int | None
    stories: list[StoryObject] = Field(description="Digest entries in the JSON contract")


class ArticleOut(BaseModel):
    id: int
    title: str
    text: str
    url: str | None
    outlet: str | None
    language: str | None
    author: str | None
    published: datetime | None
    duplicate_of: int | None
    story: str | None = Field(description="The key of the article's story")


class ArticlePage(BaseModel):
    page: int
    per_page: int
    next_page: int | None
    articles: list[ArticleOut]


class SearchResults(BaseModel):
    query: str
    page: int
    per_page: int
    next_page: int | None
    stories: list[StoryObject]
    articles: list[ArticleOut]


def _article_out(hit: ArticleHit) -> ArticleOut:
    article = hit.article
    assert article.id is not None
    return ArticleOut(
        id=article.id,
        title=article.title,
        text=article.text,
        url=article.url,
        outlet=article.outlet,
        language=article.language,
        author=article.author,
        published=article.published,
        duplicate_of=article.duplicate_of,
        story=hit.story_key,
    )


def _next(page: int, more: bool) -> int | None:
    return page + 1 if more else None


@router.get("/stories", response_model=StoryPage)
def list_stories(chosen: SelectionDep, store: StoreDep, settings: SettingsDep) -> StoryPage:
    """Stories, most recently updated first; filter with from, to, outlet, language, q."""
    size = chosen.page_size(settings.page_size)
    rows, more = page_of(find_stories, store, chosen, size)
    return StoryPage(
        page=chosen.page,
        per_page=size,
        next_page=_next(chosen.page, more),
        stories=[entry_to_dict(r.entry) for r in rows if r.entry is not None],
    )


@router.get("/stories/{key}", response_model=StoryObject)
def get_story(key: str, store: StoreDep, settings: SettingsDep) -> StoryObject:
    """One story's digest entry, with the merges and splits that made it."""
    stored = stored_story(store, key, reviewed=settings.review)
    if stored is None or stored.entry is None:
        raise HTTPException(404, f"no story {key!r}")
    return entry_to_dict(stored.entry) | {"changes": changes_to_list(store.story_changes(key))}


@router.get("/articles", response_model=ArticlePage)
def list_articles(chosen: SelectionDep, store: StoreDep, settings: SettingsDep) -> ArticlePage:
    """Stored articles, newest first; filter with from, to, outlet, language, q."""
    size = chosen.page_size(settings.page_size)
    hits, more = page_of(find_articles, store, chosen, size)
    return ArticlePage(
        page=chosen.page,
        per_page=size,
        next_page=_next(chosen.page, more),
        articles=[_article_out(h) for h in hits],
    )


# The largest id a row can have (a 64-bit integer in SQLite and PostgreSQL).
MAX_ROW_ID = 2**63 - 1


@router.get("/articles/{article_id}", response_model=ArticleOut)
def get_article(
    article_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)], store: StoreDep
) -> ArticleOut:
    """One stored article, with the key of its story."""
    hit = article_hit(store, article_id)
    if hit is None:
        raise HTTPException(404, f"no article {article_id}")
    return _article_out(hit)


@router.get("/search", response_model=SearchResults)
def search(chosen: SelectionDep, store: StoreDep, settings: SettingsDep) -> SearchResults:
    """Full-text search over stories (headlines and summaries in both languages,
    and their articles) and over articles. Every word must match, as a prefix;
    without words (an empty q), the latest stories and articles."""
    size = chosen.page_size(settings.page_size)
    stories, more_stories = page_of(find_stories, store, chosen, size)
    hits, more_articles = page_of(find_articles, store, chosen, size)
    return SearchResults(
        query=chosen.filters.text or "",
        page=chosen.page,
        per_page=size,
        next_page=_next(chosen.page, more_stories or more_articles),
        stories=[entry_to_dict(s.entry) for s in stories if s.entry is not None],
        articles=[_article_out(h) for h in hits],
    )
