from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ohliad.extract import NoArticleTextError, extract_html
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


def test_empty_page_has_no_article() -> None:
    with pytest.raises(NoArticleTextError, match="no article text found"):
        extract_html(b"<html><body></body></html>")
