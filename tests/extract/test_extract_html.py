from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import pytest

from ohliad.extract import NoArticleTextError, extract_html
from ohliad.extract.options import ExtractOptions
from tests.extract.pages import PARAGRAPHS, news_page


def test_extracts_body_and_metadata() -> None:
    article = extract_html(news_page().encode(), "https://www.courier.example/city/tram")
    assert article.text.split("\n\n") == PARAGRAPHS
    assert article.title == "Council approves northern tram line"
    assert article.outlet == "Riverside Courier"
    assert article.author == "Jane Doe"
    assert article.language == "en"
    assert article.url == "https://www.courier.example/city/tram"
    assert article.published == datetime(2024, 3, 5, 7, 30, tzinfo=UTC)


def test_metadata_from_json_ld_and_byline() -> None:
    json_ld = """<script type="application/ld+json">{"@context": "https://schema.org",
      "@type": "NewsArticle", "headline": "Tram line approved",
      "datePublished": "2023-11-20T18:05:00Z"}</script>"""
    page = (
        news_page(head=json_ld)
        .replace('<meta name="author" content="Jane Doe">', "")
        .replace('<meta property="og:site_name" content="Riverside Courier">', "")
        .replace('<meta property="article:published_time" content="2024-03-05T09:30:00+02:00">', "")
        .replace("<h1>", '<p class="byline">By Olena Kovalenko | 20 November 2023</p><h1>')
    )
    article = extract_html(page, "https://www.theguardian.com/world/2023/nov/20/tram")
    assert article.published == datetime(2023, 11, 20, 18, 5, tzinfo=UTC)
    assert article.author == "Olena Kovalenko"
    assert article.outlet == "The Guardian"
    assert article.text.split("\n\n") == PARAGRAPHS


def test_address_and_outlet_from_the_canonical_link() -> None:
    canonical = '<link rel="canonical" href="https://www.theguardian.com/world/2024/tram">'
    page = news_page(head=canonical).replace(
        '<meta property="og:site_name" content="Riverside Courier">', ""
    )
    article = extract_html(page)
    assert article.url == "https://www.theguardian.com/world/2024/tram"
    assert article.outlet == "The Guardian"


def test_outlet_falls_back_on_the_domain() -> None:
    page = news_page().replace('<meta property="og:site_name" content="Riverside Courier">', "")
    article = extract_html(page, "https://news.riverside-courier.co.uk/tram")
    assert article.outlet == "riverside-courier.co.uk"


def test_language_of_a_ukrainian_page() -> None:
    body = (
        "<p>Міська рада у вівторок ухвалила рішення продовжити трамвайну лінію до північних "
        "районів міста після трьох років суперечок.</p><p>Перша черга запрацює навесні, а "
        "будівництво почнеться наступного року, повідомили в департаменті транспорту.</p>"
    )
    assert extract_html(news_page(body)).language == "uk"


def test_drops_captions_teasers_and_related_links_in_a_page() -> None:
    related = "".join(
        f'<p><a href="/city/{n}">{headline}</a></p>'
        for n, headline in enumerate(
            ["Bus drivers vote to strike in March", "New bridge to open after delays"]
        )
    )
    body = (
        f"<p>{PARAGRAPHS[0]}</p>"
        '<figure><img src="tram.jpg"><figcaption>A tram in the old town. Photo: Jan Novak/AFP'
        "</figcaption></figure>"
        f"<p>{PARAGRAPHS[1]}</p><p>Read more: Tram fares to rise in January</p>"
        f"<p>{PARAGRAPHS[2]}</p><p>Don't miss</p>{related}<p>{PARAGRAPHS[3]}</p>"
    )
    assert extract_html(news_page(body)).text.split("\n\n") == PARAGRAPHS


def test_drops_hover_cards_inside_paragraphs() -> None:
    card = (
        '<span class="rollover-people"><a class="rollover-link" href="/people/doe">Jane Doe</a>'
        '<span class="rollover-block">Jane Doe: Council leader since 2019, see all stories'
        "</span></span>"
    )
    body = f"<p>The council leader {card} (Green) said the vote was historic.</p>" + "".join(
        f"<p>{p}</p>" for p in PARAGRAPHS
    )
    text = extract_html(news_page(body)).text
    assert text.split("\n\n")[0] == (
        "The council leader Jane Doe (Green) said the vote was historic."
    )


def test_empty_page_has_no_article() -> None:
    with pytest.raises(NoArticleTextError, match="no article text found"):
        extract_html(b"<html><body></body></html>")


def test_joins_a_body_split_into_chunks_around_ads() -> None:
    chunk = '<div class="grid"><div class="article-body">{}</div></div>'
    ad = '<div class="grid"><aside class="ad-slot"><p>Advertisement</p></aside></div>'
    first = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2])
    second = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[2:])
    body = f'<div class="chunks">{chunk.format(first)}{ad}{chunk.format(second)}</div>'
    assert extract_html(news_page(body)).text.split("\n\n") == PARAGRAPHS


def test_drops_comment_sections_and_galleries() -> None:
    gallery = (
        '<div class="gallery"><figure><img src="1.jpg"><figcaption>The new tram at the depot. '
        "Photo: Jan Novak</figcaption></figure><p>1 of 8</p><button>Next image</button></div>"
    )
    comments = (
        '<section id="comments" class="comments"><h3>3 comments</h3>'
        '<div class="comment"><p class="comment-author">Reader42</p>'
        "<p>I have waited for this tram line for years, finally the council did something "
        "useful with our taxes instead of arguing.</p></div></section>"
    )
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2]) + gallery
    body += "".join(f"<p>{p}</p>" for p in PARAGRAPHS[2:]) + comments
    assert extract_html(news_page(body)).text.split("\n\n") == PARAGRAPHS


def test_justext_stoplists_are_built_once_per_stoplist() -> None:
    import justext.core

    from ohliad.extract.extractor import _stoplists_built_once

    builds: list[object] = []

    def define(stoplist: Iterable[str]) -> frozenset[str]:
        builds.append(stoplist)
        return frozenset(word.lower() for word in stoplist)

    define_stoplist = _stoplists_built_once(define)
    multilingual = ("The", "und", "и")
    assert define_stoplist(multilingual) == {"the", "und", "и"}
    assert define_stoplist(multilingual) is define_stoplist(multilingual)
    assert builds == [multilingual]
    other = ("Der",)
    assert define_stoplist(other) == {"der"} and builds == [multilingual, other]
    # The one justext's classifier calls is the remembering one.
    stoplist = ("A", "The")
    assert justext.core.define_stoplist(stoplist) is justext.core.define_stoplist(stoplist)


def _count_passes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record each trafilatura pass (its ``fast`` flag); the passes still run."""
    import trafilatura

    passes: list[bool] = []
    real = trafilatura.bare_extraction

    def counted(*args: object, **kwargs: object) -> object:
        passes.append(bool(kwargs.get("fast")))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(trafilatura, "bare_extraction", counted)
    return passes


SHORT_BODY = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2])


def test_a_short_body_gets_the_thorough_pass_too(monkeypatch: pytest.MonkeyPatch) -> None:
    passes = _count_passes(monkeypatch)
    article = extract_html(news_page(SHORT_BODY))
    assert article.text.split("\n\n") == PARAGRAPHS[:2]
    assert passes == [True, False]


def test_a_quick_pass_that_finds_the_known_lead_is_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    passes = _count_passes(monkeypatch)
    # A feed's teaser: the first sentence, cut short with an ellipsis.
    teaser = PARAGRAPHS[0][:90] + "…"
    article = extract_html(news_page(SHORT_BODY), options=ExtractOptions(lead=teaser))
    assert article.text.split("\n\n") == PARAGRAPHS[:2]
    assert passes == [True]


@pytest.mark.parametrize(
    "lead",
    [
        "Residents of the northern districts have waited years for a decision on trams.",
        "The city council",  # too few words to prove anything
    ],
)
def test_a_lead_the_quick_pass_does_not_show_leaves_the_thorough_pass(
    monkeypatch: pytest.MonkeyPatch, lead: str
) -> None:
    passes = _count_passes(monkeypatch)
    article = extract_html(news_page(SHORT_BODY), options=ExtractOptions(lead=lead))
    assert article.text.split("\n\n") == PARAGRAPHS[:2]
    assert passes == [True, False]


@pytest.mark.parametrize(
    "moment",
    [
        '<meta name="pubdate" content="2024-03-05T09:30:00+02:00">',
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "2024-03-05T09:30:00+02:00"}</script>',
    ],
)
def test_a_dated_address_keeps_the_time_of_day_the_metadata_gives(moment: str) -> None:
    # htmldate takes the day from the address (/2024/03/05/); the time of day
    # is in the page's metadata.
    page = news_page(head=moment).replace(
        '<meta property="article:published_time" content="2024-03-05T09:30:00+02:00">', ""
    )
    article = extract_html(page, "https://www.courier.example/2024/03/05/tram")
    assert article.published == datetime(2024, 3, 5, 7, 30, tzinfo=UTC)
