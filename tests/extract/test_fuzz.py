"""Fuzzing: no input makes the extractor or the cleaner raise anything unexpected.

Inputs are bounded in size and number, which bounds the time and memory a run takes.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ohliad.extract import NoArticleTextError, clean_news_text, extract_html
from ohliad.models import Article
from tests.extract.pages import PARAGRAPHS

MARKUP = [
    "<html>",
    "</html>",
    "<head>",
    "<body>",
    "<p>",
    "</p>",
    "<div class='content'>",
    "</div>",
    "<article>",
    "</article>",
    "<script>",
    "</script>",
    "<br>",
    "<a href='/x'>",
    "</a>",
    "<meta charset='koi8-r'>",
    "<meta charset='nonsense'>",
    "<table><tr><td>",
    "</td></tr>",
    "<figcaption>",
    "<!--",
    "-->",
    "<![CDATA[",
    "<?xml version='1.0' encoding='utf-16'?>",
    "&amp;",
    "&#0;",
    "&#xD800;",
    "<li>",
    "<ul>",
    "\x00",
    "\ufeff",
    *PARAGRAPHS,
]
FRAGMENTS = st.one_of(st.sampled_from(MARKUP), st.text(max_size=120))
PAGES = st.one_of(
    st.lists(FRAGMENTS, max_size=40).map("".join),
    st.lists(FRAGMENTS, max_size=40).map(lambda parts: "".join(parts).encode("utf-8", "replace")),
    st.binary(max_size=3000),
)
LINES = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        [
            "Read more: x",
            "Photo: AP",
            "By Jane Doe",
            "— the mayor",
            "[VIDEO]",
            "© 2024",
            *PARAGRAPHS,
        ]
    ),
)
BOUNDED = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@BOUNDED
@given(page=PAGES, url=st.one_of(st.none(), st.sampled_from(["https://a.example/x", "::", ""])))
def test_extract_html_returns_an_article_or_says_there_is_none(
    page: str | bytes, url: str | None
) -> None:
    try:
        article = extract_html(page, url)
    except NoArticleTextError:
        return
    assert isinstance(article, Article)
    assert article.text.strip()
    assert article.published is None or article.published.tzinfo is not None


@BOUNDED
@given(lines=st.lists(LINES, max_size=30), title=st.one_of(st.none(), st.text(max_size=80)))
def test_clean_news_text_keeps_a_subsequence_of_the_paragraphs(
    lines: list[str], title: str | None
) -> None:
    text = "\n".join(lines)
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    cleaned = clean_news_text(text, title=title)
    kept = cleaned.split("\n\n") if cleaned else []
    remaining = iter(paragraphs)
    assert all(any(p == q for q in remaining) for p in kept)
