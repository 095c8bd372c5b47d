"""Non-article pages, charsets, broken markup and oversized pages."""

from __future__ import annotations

import pytest

from ohliad.extract import ExtractOptions, NoArticleTextError, extract_html
from ohliad.extract.decode import cut_to_size, decode_html
from tests.extract.pages import PARAGRAPHS, news_page

UKRAINIAN = (
    "Міська рада у вівторок ухвалила рішення продовжити трамвайну лінію до північних районів. "
    "Перша черга запрацює навесні, а будівництво почнеться наступного року, повідомили в "
    "департаменті транспорту. Опоненти вважали, що гроші краще витратити на автобуси."
)
FRENCH = (
    "Le conseil municipal a décidé mardi de prolonger la ligne de tramway vers les quartiers du "
    "nord. La première section ouvrira au printemps, a précisé le département des transports, "
    "et les opposants réclamaient des bus électriques à la place."
)


def test_index_page_has_no_article() -> None:
    links = "".join(
        f'<li><a href="/news/{n}">Story number {n} about the city budget</a></li>'
        for n in range(40)
    )
    page = f"<html><head><title>News</title></head><body><ul>{links}</ul></body></html>"
    with pytest.raises(NoArticleTextError, match=r"^no article text found$"):
        extract_html(page, "https://courier.example/")


def test_teaser_index_page_has_no_article() -> None:
    teasers = "".join(
        f'<div class="teaser"><h2><a href="/news/{n}">Council story {n} about the tram budget</a>'
        f"</h2><p>The council met on Tuesday to discuss item {n} of the budget, officials said."
        "</p></div>"
        for n in range(12)
    )
    page = f"<html><body><main><h1>City news</h1>{teasers}</main></body></html>"
    with pytest.raises(NoArticleTextError):
        extract_html(page, "https://courier.example/city/")


def test_schedule_without_sentences_is_content() -> None:
    rows = "".join(f"<p>Round {n}: {n + 2} March – Riverside Arena</p>" for n in range(1, 21))
    page = news_page(f"<h2>Season calendar 2024</h2>{rows}", title="Season calendar 2024")
    assert extract_html(page).text.count("Riverside Arena") == 20


def test_pdf_served_as_html_has_no_article() -> None:
    with pytest.raises(NoArticleTextError):
        extract_html(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n")


def test_empty_and_blank_pages_have_no_article() -> None:
    for page in (b"", b"   ", "<html></html>", b"<html><body><p>Hi.</p></body></html>"):
        with pytest.raises(NoArticleTextError):
            extract_html(page)


def test_declared_single_byte_charset_decodes() -> None:
    page = news_page(f"<p>{UKRAINIAN}</p>", charset="windows-1251").encode("cp1251")
    assert extract_html(page).text == UKRAINIAN


def test_missing_charset_is_detected() -> None:
    page = news_page(f"<p>{FRENCH}</p>").replace('<meta charset="utf-8">', "")
    assert extract_html(page.encode("cp1252")).text == FRENCH


def test_missing_charset_of_a_cyrillic_page_is_detected() -> None:
    page = news_page(f"<p>{UKRAINIAN}</p>").replace('<meta charset="utf-8">', "")
    assert extract_html(page.encode("cp1251")).text == UKRAINIAN


def test_charset_from_the_server_comes_before_the_page_declaration() -> None:
    page = news_page(f"<p>{UKRAINIAN}</p>", charset="iso-8859-5").encode("koi8-u")
    assert extract_html(page, charset="KOI8-U").text == UKRAINIAN
    assert extract_html(page, charset="no-such-charset").text != UKRAINIAN


def test_wrong_declared_charset_loses_to_valid_utf8() -> None:
    page = news_page(f"<p>{UKRAINIAN}</p>", charset="iso-8859-1").encode("utf-8")
    assert extract_html(page).text == UKRAINIAN


def test_broken_markup_still_extracts() -> None:
    body = "".join(f"<p>{p}" for p in PARAGRAPHS) + "<div><span><b>"
    page = news_page(body).replace("</article>", "").replace("</main>", "")
    assert extract_html(page).text.split("\n\n") == PARAGRAPHS


def test_cut_to_size_ends_on_a_tag() -> None:
    assert cut_to_size(b"<p>one</p><p>two</p>", 15) == b"<p>one</p><p>"
    assert cut_to_size(b"<p>one</p>", 100) == b"<p>one</p>"
    assert cut_to_size("<p>один</p><p>два</p>", 15) == "<p>один</p><p>"


def test_cut_mid_character_still_decodes() -> None:
    text = "<p>" + "ї" * 100 + "</p>"
    assert decode_html(text.encode()[:52]) == "<p>" + "ї" * 24


def test_page_over_ten_megabytes_is_cut_and_extracted() -> None:
    # Huge pages are mostly inline scripts and data; what lies past the limit is dropped.
    filler = "<script>var data = '" + "x" * 1000 + "';</script>\n"
    late = "<p>This closing paragraph lies beyond the first ten megabytes of the page.</p>"
    page = news_page().replace("</article>", filler * 11_000 + late + "</article>").encode()
    assert len(page) > 10 * 1024 * 1024
    article = extract_html(page, options=ExtractOptions(max_bytes=10 * 1024 * 1024))
    assert article.text.split("\n\n") == PARAGRAPHS
