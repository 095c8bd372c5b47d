"""Server-rendered pages through httpx: filters, pagination, errors, admin page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ohliad.store import Store
from ohliad.store.history import StoryChangeRecord
from ohliad.web import WebSettings, create_app
from ohliad.web.views import unquoted
from tests.web.conftest import build_digest_store


def _headlines(html: str) -> list[str]:
    return re.findall(r'<h2 class="card-headline"><a [^>]*>([^<]*)</a>', html)


def test_filters_narrow_the_front_page(client: TestClient) -> None:
    html = client.get("/", params={"outlet": "Danube Herald", "lang": "en"}).text
    assert _headlines(html) == ["Izmail ports handle record February cargo"]
    assert '<option value="Danube Herald" selected>' in html
    empty = client.get("/", params={"from": "2026-04-01"}).text
    assert _headlines(empty) == []
    assert "Сюжетів не знайдено." in empty


def test_pager_links_walk_the_stories(digest_store: Store) -> None:
    client = TestClient(create_app(digest_store, WebSettings(page_size=2)))
    first = client.get("/", params={"lang": "en"}).text
    assert len(_headlines(first)) == 2
    older = re.search(r'<a rel="next" href="([^"]+)">', first)
    assert older is not None
    second = client.get(older.group(1).replace("&amp;", "&")).text
    assert _headlines(second) == [
        "Mayor denies report &lt;img src=&#34;x&#34; onerror=&#34;window.__xss = 1&#34;&gt;"
    ]
    assert 'rel="next"' not in second
    assert 'rel="prev"' in second


def test_language_switch_keeps_the_filters(client: TestClient) -> None:
    html = client.get("/", params={"outlet": "Danube Herald"}).text
    assert 'href="/?outlet=Danube+Herald&amp;lang=en"' in html


def test_unknown_story_is_a_404_page_for_people(client: TestClient) -> None:
    response = client.get("/stories/nothing-here", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "Не знайдено: nothing-here" in response.text


def test_unknown_path_is_a_404_page_for_people_and_json_for_programs(client: TestClient) -> None:
    page = client.get("/no/such/page", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert '<h1 class="error-message">Not Found</h1>' in page.text
    api = client.get("/api/no-such-thing")
    assert api.status_code == 404
    assert api.json() == {"detail": "Not Found"}


def test_bad_filter_is_a_400_page_for_people(client: TestClient) -> None:
    response = client.get(
        "/search", params={"q": "x", "to": "soon"}, headers={"Accept": "text/html"}
    )
    assert response.status_code == 400
    assert "to: expected a date as YYYY-MM-DD, got &#39;soon&#39;" in response.text


def test_admin_page_offers_the_actions_only_with_a_token(
    client: TestClient, digest_store: Store
) -> None:
    html = client.get("/admin").text
    assert 'action="/admin/feeds"' in html and 'action="/admin/rerun"' in html
    off = TestClient(create_app(digest_store, WebSettings())).get("/admin").text
    assert "Admin actions are off" in off
    assert '<form class="admin-form"' not in off


def test_search_marks_the_matching_words_in_article_passages(client: TestClient) -> None:
    html = client.get("/search", params={"q": "barn", "lang": "en"}).text
    assert "a <mark>barn</mark> near Hrubieszów" in html
    hostile = client.get("/search", params={"q": "mayor"}).text
    assert "The <mark>mayor</mark> spoke. &lt;script&gt;" in hostile


def test_merges_and_splits_show_on_the_timeline_and_in_the_api(tmp_path: Path) -> None:
    store = build_digest_store(tmp_path / "digest.db")
    with store.transaction() as tx:
        tx.record_changes(
            [
                StoryChangeRecord("merge", "drones-poland", "drones-follow-up", (41, 42), 1.8),
                StoryChangeRecord("split", "drones-poland", "izmail-ports", (43,), -4.25),
            ]
        )
    client = TestClient(create_app(store))
    html = client.get("/stories/drones-poland", params={"lang": "en"}).text
    timeline = " ".join(html[html.index('class="timeline"') :].split())
    assert "took in the reports of story <code>drones-follo</code>" in timeline
    assert 'reports moved out to story <a href="/stories/izmail-ports?lang=en">' in timeline
    assert "score -4.25" in timeline
    moved_in = client.get("/stories/izmail-ports", params={"lang": "en"}).text
    assert "reports moved in from story" in moved_in
    api = client.get("/api/stories/drones-poland").json()
    assert [(c["kind"], c["other"], c["articles"]) for c in api["changes"]] == [
        ("merge", "drones-follow-up", [41, 42]),
        ("split", "izmail-ports", [43]),
    ]
    store.close()


def test_the_ukrainian_story_page_says_quoted_voices_in_ukrainian(client: TestClient) -> None:
    ukrainian = client.get("/stories/drones-poland", params={"lang": "uk"}).text
    assert "2 цитати, 21 слово" in ukrainian
    assert "quotes" not in ukrainian and "words" not in ukrainian
    english = client.get("/stories/drones-poland", params={"lang": "en"}).text
    assert "2 quotes, 21 words" in english


@pytest.mark.parametrize(
    ("quote", "shown"),
    [
        ("“We will respond.”", "We will respond."),
        ('"We will respond."', "We will respond."),
        ("«Ми відповімо.»", "Ми відповімо."),
        # Not one quotation: kept as it is.
        ("“We will respond,” the minister said.", "“We will respond,” the minister said."),
        ("“One.” And “two.”", "“One.” And “two.”"),
        ("Plain sentence.", "Plain sentence."),
    ],
)
def test_a_quotation_is_not_put_in_marks_twice(quote: str, shown: str) -> None:
    assert unquoted(quote) == shown
