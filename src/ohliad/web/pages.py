"""The server-rendered pages: front page, story page, search. All read-only."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ohliad.store.search import (
    article_languages,
    find_articles,
    find_stories,
    last_update,
    outlet_names,
    query_words,
    stored_story,
)
from ohliad.web.deps import ListingDep, SettingsDep, StoreDep, page_of, render_page
from ohliad.web.i18n import LABELS, parse_lang
from ohliad.web.views import snippet, story_card, story_page

router = APIRouter(include_in_schema=False)


def _filter_choices(store: StoreDep) -> dict[str, list[str]]:
    return {"outlets": outlet_names(store), "languages": article_languages(store)}


@router.get("/", response_class=HTMLResponse)
def front_page(
    request: Request, listing: ListingDep, store: StoreDep, settings: SettingsDep
) -> HTMLResponse:
    size = settings.page_size
    stories, more = page_of(find_stories, store, listing, size)
    return render_page(
        request,
        "index.html",
        listing.lang,
        listing=listing,
        cards=[story_card(s, listing.lang) for s in stories],
        more=more,
        last_update=last_update(store),
        choices=_filter_choices(store),
    )


@router.get("/stories/{key}", response_class=HTMLResponse)
def story(
    request: Request, key: str, store: StoreDep, settings: SettingsDep, lang: str | None = None
) -> HTMLResponse:
    language = parse_lang(lang)
    stored = stored_story(store, key, reviewed=settings.review)
    if stored is None:
        return render_page(
            request,
            "error.html",
            language,
            status_code=404,
            message=f"{LABELS[language]['not_found']}: {key}",
        )
    page = story_page(stored, store.story(key), language, store.story_changes(key))
    return render_page(request, "story.html", language, page=page)


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request, listing: ListingDep, store: StoreDep, settings: SettingsDep
) -> HTMLResponse:
    size = settings.page_size
    stories, more_stories = page_of(find_stories, store, listing, size)
    articles, more_articles = page_of(find_articles, store, listing, size)
    return render_page(
        request,
        "search.html",
        listing.lang,
        listing=listing,
        query=listing.filters.text,
        words=query_words(listing.filters.text or ""),
        snippet=snippet,
        cards=[story_card(s, listing.lang) for s in stories],
        articles=articles,
        more=more_stories or more_articles,
        choices=_filter_choices(store),
    )
