"""A live feed server on loopback for the watcher's tests and benchmark.

Feeds change while it runs: items can be added at any time, or scheduled to
appear at a moment. It answers conditional GETs (ETag, Last-Modified) with 304,
serves the full article page behind each teaser item, and robots.txt.
"""

from __future__ import annotations

import hashlib
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class FeedArticle:
    guid: str
    title: str
    text: str  # paragraphs separated by blank lines
    published: datetime
    teaser: bool = False  # the feed carries only the first sentence
    appears_at: float = 0.0  # time.time() from which the feed lists it


def _paragraphs_html(text: str) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip())


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A watcher killed mid-request resets its connections; that is expected here.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FeedServer:
    """RSS feeds at ``/feeds/<name>.xml`` and article pages at ``/articles/<guid>.html``."""

    def __init__(self, *, robots: str = "User-agent: *\nAllow: /\n", window: int = 0) -> None:
        self.robots = robots
        self.window = window  # the feed lists only the newest N items (0: all)
        self.feeds: dict[str, list[FeedArticle]] = {}
        self.articles: dict[str, FeedArticle] = {}
        self.requests: Counter[str] = Counter()
        self.not_modified = 0
        self._rendered: dict[str, tuple[tuple[str, ...], bytes, datetime | None]] = {}
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    # Content ------------------------------------------------------------------

    def add(self, feed: str, article: FeedArticle) -> None:
        with self._lock:
            self.feeds.setdefault(feed, []).append(article)
            self.articles[article.guid] = article

    def feed_url(self, feed: str) -> str:
        return f"{self.base}/feeds/{feed}.xml"

    def article_url(self, guid: str) -> str:
        return f"{self.base}/articles/{guid}.html"

    def visible(self, feed: str, now: float | None = None) -> list[FeedArticle]:
        now = time.time() if now is None else now
        with self._lock:
            items = [a for a in self.feeds.get(feed, []) if a.appears_at <= now]
        items.sort(key=lambda a: a.published, reverse=True)
        return items[: self.window] if self.window else items

    def _item_xml(self, article: FeedArticle) -> str:
        body = article.text.split(". ")[0] + "." if article.teaser else article.text
        return (
            f"<item><guid>{escape(article.guid)}</guid><title>{escape(article.title)}</title>"
            f"<link>{self.article_url(article.guid)}</link>"
            f"<pubDate>{format_datetime(article.published)}</pubDate>"
            f"<description>{escape(_paragraphs_html(body))}</description></item>"
        )

    def feed_xml(self, feed: str) -> tuple[bytes, datetime | None]:
        items = self.visible(feed)
        # Rendered once per list of items: in the benchmark this process shares
        # the cores with the watcher it measures, which real outlets do not.
        key = tuple(a.guid for a in items)
        cached = self._rendered.get(feed)
        if cached is not None and cached[0] == key:
            return cached[1], cached[2]
        xml = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(feed)} — News</title><link>{self.base}/</link>"
            "<language>en</language>"
            + "".join(self._item_xml(a) for a in items)
            + "</channel></rss>"
        )
        latest = max((a.published for a in items), default=None)
        body = xml.encode("utf-8")
        self._rendered[feed] = (key, body, latest)
        return body, latest

    def page_html(self, guid: str) -> bytes | None:
        article = self.articles.get(guid)
        if article is None:
            return None
        return (
            "<!doctype html><html><head><meta charset='utf-8'>"
            f"<title>{escape(article.title)}</title></head><body><article>"
            f"<h1>{escape(article.title)}</h1>{_paragraphs_html(article.text)}"
            "</article></body></html>"
        ).encode()

    # HTTP -----------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes; with Nagle's algorithm
            # the body waited for the client's delayed ACK, 40 ms a feed.
            disable_nagle_algorithm = True

            def _send(self, status: int, body: bytes, **headers: str) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name.replace("_", "-"), value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                with server._lock:
                    server.requests[path] += 1
                if path == "/robots.txt":
                    self._send(200, server.robots.encode(), Content_Type="text/plain")
                elif path.startswith("/feeds/") and path.endswith(".xml"):
                    self._feed(path.removeprefix("/feeds/").removesuffix(".xml"))
                elif path.startswith("/articles/") and path.endswith(".html"):
                    page = server.page_html(path.removeprefix("/articles/").removesuffix(".html"))
                    if page is None:
                        self._send(404, b"not found")
                    else:
                        self._send(200, page, Content_Type="text/html; charset=utf-8")
                else:
                    self._send(404, b"not found")

            def _feed(self, name: str) -> None:
                if name not in server.feeds:
                    self._send(404, b"no such feed")
                    return
                body, latest = server.feed_xml(name)
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                modified = format_datetime(latest or datetime(2000, 1, 1, tzinfo=UTC), usegmt=True)
                if self.headers.get("If-None-Match") == etag:
                    with server._lock:
                        server.not_modified += 1
                    self._send(304, b"", ETag=etag, Last_Modified=modified)
                    return
                self._send(
                    200, body, Content_Type="application/rss+xml", ETag=etag, Last_Modified=modified
                )

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    @property
    def base(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


# Generated news -------------------------------------------------------------------

_CITIES = [
    "Kharkiv",
    "Lisbon",
    "Valencia",
    "Gdansk",
    "Tartu",
    "Brno",
    "Porto",
    "Lyon",
    "Turin",
    "Ghent",
    "Odesa",
    "Riga",
    "Kaunas",
    "Split",
    "Malmo",
    "Aarhus",
    "Graz",
    "Linz",
    "Bergen",
    "Cork",
    "Leeds",
    "Bilbao",
    "Seville",
    "Poznan",
    "Lviv",
    "Dnipro",
    "Varna",
    "Iasi",
]
_TOPICS = (
    ("flood", "river levels rose after days of heavy rain", "residents were evacuated"),
    ("strike", "transport workers walked out over pay", "trains and buses stood still"),
    ("fire", "a blaze broke out in a warehouse district", "firefighters fought the flames"),
    ("election", "voters chose a new city council", "the turnout was higher than expected"),
    ("budget", "the council approved a new budget", "spending on schools will grow"),
    ("bridge", "engineers closed an old bridge", "inspectors found cracks in the supports"),
    ("festival", "a music festival drew large crowds", "organisers praised the volunteers"),
    ("hospital", "a new hospital wing opened", "doctors will treat more patients"),
    ("drought", "farmers warned of a long drought", "reservoirs are half empty"),
    ("port", "dock workers unloaded a record cargo", "the port expanded its terminal"),
)
_NAMES = [
    "Olena Marchuk",
    "Tomas Berg",
    "Ines Costa",
    "Piotr Nowak",
    "Marta Lind",
    "Jonas Weber",
    "Sofia Rossi",
    "Andrii Koval",
    "Lena Vogel",
    "Marek Hajek",
    "Clara Duarte",
    "Emil Novak",
]
_FILLER = (
    "Officials said more details would follow later in the week.",
    "Local media reported that the situation remained tense.",
    "Several witnesses described the scene to reporters.",
    "The regional government promised to review the case.",
    "Critics said the response had come too late.",
    "Experts urged caution until the facts were clear.",
)


_SYLLABLES = [
    "ka",
    "ra",
    "mo",
    "vel",
    "tin",
    "dor",
    "sa",
    "lu",
    "ven",
    "bri",
    "os",
    "tal",
    "mer",
    "gin",
    "pa",
    "ro",
    "zu",
    "fel",
    "an",
    "ki",
    "nor",
    "vis",
    "bal",
    "tek",
    "hu",
    "dra",
    "lem",
    "sor",
    "cav",
    "pin",
]
_THINGS = (
    "pipeline",
    "stadium",
    "tram line",
    "library",
    "vineyard",
    "shipyard",
    "reservoir",
    "railway depot",
    "power plant",
    "market hall",
    "airport terminal",
    "steel mill",
)


def invented_name(seed: int, syllables: int = 3) -> str:
    """A made-up proper name, the same for the same seed: gives each story words of its own."""
    parts = [_SYLLABLES[(seed // len(_SYLLABLES) ** k) % len(_SYLLABLES)] for k in range(syllables)]
    return "".join(parts).capitalize()


def story_text(story: int, variant: int) -> tuple[str, str]:
    """A title and a six-paragraph text: articles of one story share their
    city, topic, people, invented names and numbers; each variant words and
    orders them differently."""
    city = _CITIES[(story * 11) % len(_CITIES)]
    topic, event, consequence = _TOPICS[story % len(_TOPICS)]
    person = f"{_NAMES[(story * 7) % len(_NAMES)].split()[0]} {invented_name(story * 31 + 5)}"
    company = (
        f"{invented_name(story * 17 + 3)} {('Group', 'Holdings', 'Works', 'Union')[story % 4]}"
    )
    thing = f"{invented_name(story * 13 + 1, 2)} {_THINGS[(story * 5) % len(_THINGS)]}"
    count = 40 + (story * 37) % 900
    day = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")[story % 5]
    titles = (
        f"{city} {topic} at the {thing}: {event}",
        f"{topic.capitalize()} hits {company} in {city}",
        f"{person} on the {thing} {topic}",
    )
    core = [
        f"In {city}, {event} near the {thing} on {day}, officials said.",
        f"The {topic} at the {thing} affected about {count} people, and {consequence}.",
        f"{person}, who speaks for {company}, called the {topic} serious.",
        f"{company} said {count} of its workers were affected by {day} evening.",
        f"{person} told reporters that {company} would rebuild the {thing}.",
        f"The {thing} was opened by {company} years ago and is the pride of {city}.",
    ]
    paragraphs = []
    for number in range(6):
        first = core[(number + variant) % len(core)]
        second = core[(number + variant + 3) % len(core)]
        filler = _FILLER[(story + number + variant) % len(_FILLER)]
        paragraphs.append(f"{first} {second} {filler} ({city} report {story}.{variant}.{number})")
    return titles[variant % len(titles)], "\n\n".join(paragraphs)
