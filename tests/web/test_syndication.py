"""The feeds, parsed back with feedparser, and the day's digest in Markdown."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import feedparser
import pytest
from fastapi.testclient import TestClient

from ohliad.models import Article, UkrainianText
from ohliad.store import Store
from ohliad.web import WebSettings, create_app
from ohliad.web.syndication import ATOM_NS, JSON_FEED_VERSION, xml_text
from tests.web.conftest import save_story

# What XML 1.0 forbids and a store can hold: C0 controls other than tab,
# newline and carriage return, U+FFFE and U+FFFF. (SQLite refuses lone
# surrogates, the other thing XML forbids.)
XML_FORBIDDEN = "\x00\x01\x08\x0b\x0c\x1b\x1f\ufffe\uffff"


@pytest.mark.parametrize(
    ("name", "version", "media_type"),
    [("rss.xml", "rss20", "application/rss+xml"), ("atom.xml", "atom10", "application/atom+xml")],
)
def test_xml_feeds_parse_cleanly_in_both_editions(
    client: TestClient, name: str, version: str, media_type: str
) -> None:
    for lang in ("uk", "en"):
        response = client.get(f"/feeds/{name}", params={"lang": lang})
        assert response.headers["content-type"].startswith(media_type)
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.version == version
        titles = [e.title for e in feed.entries]
        links = [e.link for e in feed.entries]
        assert links[0] == f"http://testserver/stories/drones-poland?lang={lang}"
        assert len(titles) == 3
        if lang == "uk":
            assert titles[0].startswith("Польща підняла винищувачі")
            # No Ukrainian for this story: English, its title as it is (the
            # language and a notice in the text mark it).
            assert titles[1] == "Izmail ports handle record February cargo"
            notice = feed.entries[1].get("content", [{}])[0].get("value", "") or (
                feed.entries[1].description
            )
            assert "Українського тексту немає" in notice
            assert "OHLIAD" not in response.text and "no translation engine" not in response.text
        else:
            assert titles[:2] == [
                "Poland scrambles jets after drones cross its border",
                "Izmail ports handle record February cargo",
            ]


def test_atom_marks_english_entries_in_the_ukrainian_edition(client: TestClient) -> None:
    feed = feedparser.parse(client.get("/feeds/atom.xml").content)
    assert feed.feed.language == "uk"
    languages = {e.title: e.title_detail.language for e in feed.entries}
    assert languages["Izmail ports handle record February cargo"] == "en"
    assert languages["Польща підняла винищувачі після того, як дрони перетнули її кордон"] == "uk"


def test_feed_markup_from_articles_stays_text(client: TestClient) -> None:
    feed = feedparser.parse(client.get("/feeds/rss.xml", params={"lang": "en"}).content)
    hostile = feed.entries[2]
    # The title is text that happens to contain "<img", never an element.
    assert hostile.title == 'Mayor denies report <img src="x" onerror="window.__xss = 1">'
    assert "<img" not in hostile.description
    assert "&lt;img" in hostile.description
    assert "javascript:" not in hostile.description  # a script URL is never a link


def test_json_feed_has_the_required_fields_of_version_1_1(client: TestClient) -> None:
    response = client.get("/feeds/feed.json", params={"lang": "uk"})
    assert response.headers["content-type"].startswith("application/feed+json")
    feed = response.json()
    assert feed["version"] == JSON_FEED_VERSION
    assert isinstance(feed["title"], str) and feed["title"]
    assert isinstance(feed["items"], list) and len(feed["items"]) == 3
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert isinstance(item.get("content_html") or item.get("content_text"), str)
    assert [i["language"] for i in feed["items"]] == ["uk", "en", "uk"]
    assert feed["items"][1]["content_html"].startswith('<p lang="uk"><em>Українського тексту немає')


def test_feeds_answer_conditional_requests(client: TestClient) -> None:
    first = client.get("/feeds/atom.xml")
    etag = first.headers["etag"]
    again = client.get("/feeds/atom.xml", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    other_edition = client.get(
        "/feeds/atom.xml", params={"lang": "en"}, headers={"If-None-Match": etag}
    )
    assert other_edition.status_code == 200


def test_feeds_drop_characters_xml_forbids(tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "controls.db"))
    save_story(
        store,
        "controls",
        [
            Article(
                title=f"Ports{XML_FORBIDDEN} reopen",
                text="The ports reopened.",
                url="https://outlet.example/ports",
                outlet=f"Danube{XML_FORBIDDEN} Herald",
                language="en",
                published=datetime(2026, 3, 6, 8, tzinfo=UTC),
            )
        ],
        headline=f"Ports{XML_FORBIDDEN} reopen\tafter\nthe storm",
        sentences=[(f"The ports{XML_FORBIDDEN} reopened.", [0])],
        ukrainian=UkrainianText(
            headline=f"Порти{XML_FORBIDDEN} знову працюють",
            summary=f"Порти{XML_FORBIDDEN} відкрилися.",
            engine="editor",
        ),
    )
    app = TestClient(create_app(store, WebSettings()), base_url="http://localhost:8000")
    expected = {
        "en": ("Ports reopen\tafter\nthe storm", "The ports reopened."),
        "uk": ("Порти знову працюють", "Порти відкрилися."),
    }
    for lang, (title, summary) in expected.items():
        rss = ET.fromstring(app.get("/feeds/rss.xml", params={"lang": lang}).content)
        item = rss.find("channel/item")
        assert item is not None
        assert item.findtext("title") == title
        assert "Danube Herald" in (item.findtext("description") or "")
        atom = ET.fromstring(app.get("/feeds/atom.xml", params={"lang": lang}).content)
        entry = atom.find(f"{{{ATOM_NS}}}entry")
        assert entry is not None
        assert entry.findtext(f"{{{ATOM_NS}}}title") == title
        assert entry.findtext(f"{{{ATOM_NS}}}summary") == summary
        # The JSON Feed tells the same text.
        [json_item] = app.get("/feeds/feed.json", params={"lang": lang}).json()["items"]
        assert (json_item["title"], json_item["summary"]) == (title, summary)
    store.close()


def test_lone_surrogates_are_dropped_too() -> None:
    assert xml_text("a\ud800b\udfffc\ufffe\t\n\r") == "abc\t\n\r"


def test_feed_links_use_the_public_url_when_set(digest_store: Store) -> None:
    app = TestClient(create_app(digest_store, WebSettings(public_url="https://ohliad.example/")))
    # Whatever Host a request names.
    for host in ("testserver", "attacker.example"):
        response = app.get("/feeds/rss.xml", headers={"Host": host})
        feed = feedparser.parse(response.content)
        assert feed.entries[0].link == "https://ohliad.example/stories/drones-poland?lang=uk"
        assert feed.feed.links[-1].href == "https://ohliad.example/feeds/rss.xml"


FEEDS = ["rss.xml", "atom.xml", "feed.json"]


@pytest.mark.parametrize(
    "host",
    [
        "attacker.example",
        "attacker.example:8000",
        "localhost.attacker.example",
        "localhost@attacker.example",
        "localhost:bad",
        "",
    ],
)
def test_feeds_refuse_a_host_the_server_is_not_reached_at(digest_store: Store, host: str) -> None:
    app = TestClient(create_app(digest_store, WebSettings(bound_hosts=("ohliad.lan",))))
    for name in FEEDS:
        response = app.get(f"/feeds/{name}", headers={"Host": host})
        assert response.status_code == 400, (name, host)
        assert response.json()["detail"] == (
            f"unknown host {host!r}: set public_url (OHLIAD_PUBLIC_URL) to the site's address"
        )
        assert "content-security-policy" in response.headers


@pytest.mark.parametrize(
    ("host", "site"),
    [
        ("ohliad.lan:8000", "http://ohliad.lan:8000/"),
        ("OHLIAD.LAN", "http://ohliad.lan/"),
        ("localhost:8000", "http://localhost:8000/"),
        ("127.0.0.1:9000", "http://127.0.0.1:9000/"),
        ("[::1]:8000", "http://[::1]:8000/"),
        ("[::1]", "http://[::1]/"),
    ],
)
def test_feed_links_follow_a_host_the_server_is_reached_at(
    digest_store: Store, host: str, site: str
) -> None:
    app = TestClient(create_app(digest_store, WebSettings(bound_hosts=("ohliad.lan",))))
    query = "lang=en&utm_source=reader"
    rss = feedparser.parse(app.get(f"/feeds/rss.xml?{query}", headers={"Host": host}).content)
    assert rss.entries[0].link == f"{site}stories/drones-poland?lang=en"
    assert rss.feed.links[-1].href == f"{site}feeds/rss.xml?{query}"
    atom = feedparser.parse(app.get("/feeds/atom.xml", headers={"Host": host}).content)
    assert {link.rel: link.href for link in atom.feed.links} == {
        "self": f"{site}feeds/atom.xml",
        "alternate": f"{site}?lang=uk",
    }
    json_feed = app.get("/feeds/feed.json", headers={"Host": host}).json()
    assert json_feed["feed_url"] == f"{site}feeds/feed.json"


def test_unknown_feed_is_404(client: TestClient) -> None:
    assert client.get("/feeds/rss.txt").status_code == 404


def test_day_digest_in_the_house_format(client: TestClient) -> None:
    response = client.get("/digest/2026-03-05.md")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    text = response.text
    assert text.startswith("# Огляд — 2026-03-05\n")
    assert "## Poland scrambles jets after drones cross its border" in text
    assert "### *Польща підняла винищувачі після того, як дрони перетнули її кордон*" in text
    assert "<https://balticwire.example/2026/03/05/drones-poland>" in text
    assert "Izmail" not in text  # published on the 4th


def test_day_digest_without_ukrainian_says_so(client: TestClient) -> None:
    text = client.get("/digest/2026-03-04.md").text
    assert "> Ukrainian unavailable: no translation engine configured" in text
    assert "### *" not in text


def test_day_digest_json_and_bad_day(client: TestClient) -> None:
    entries = client.get("/digest/2026-03-04.json").json()
    assert [e["id"] for e in entries] == ["izmail-ports"]
    assert client.get("/digest/yesterday.md").status_code == 404
