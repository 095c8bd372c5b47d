"""The bundled sample corpus is well formed and its gold grouping is complete.

These checks read the files with small format-specific readers of their own
(stdlib, feedparser) rather than with ``ohliad.ingest``: the corpus is the
yardstick for the ingest code, so it must not be validated by that code.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

SAMPLE = Path(__file__).parents[1] / "src/ohliad/data/sample"
NOT_ARTICLES = {"README.md", "expected.json"}
# Plain-text dumps start with "key value" or "key: value" metadata lines.
TEXT_META = re.compile(r"^(?P<key>[A-Za-z]+):?[ \t]+(?P<value>\S.*)$")
HOUSE_ENTRY = re.compile(
    r"\A## (?P<en_headline>[^\n]+)\n\n"
    r"### \*(?P<uk_headline>[^\n*]+)\*\n\n"
    r"\*(?P<uk_summary>[^\n*]+)\*\n\n"
    r"(?P<sources><https?://[^\s>]+>(?: · <https?://[^\s>]+>)*)\n\n"
    r"(?P<en_summary>[^\n]+)\n?\Z"
)
CYRILLIC = re.compile(r"[А-Яа-яІіЇїЄєҐґ]")


@dataclass(frozen=True)
class RawArticle:
    file: str
    url: str
    title: str
    published: datetime | None
    # The body as the file gives it; None where a page needs extraction (HTML).
    text: str | None


def _date(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _strip_tags(markup: str) -> str:
    parser = _TextOnly()
    parser.feed(markup)
    return " ".join(parser.parts)


def _read_jsonl(path: Path, rel: str) -> list[RawArticle]:
    articles = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert set(row) == {"url", "title", "text", "published", "outlet"}, row.keys()
        assert all(isinstance(v, str) and v.strip() for v in row.values()), row["url"]
        articles.append(
            RawArticle(rel, row["url"], row["title"], _date(row["published"]), row["text"])
        )
    return articles


def _read_text(path: Path, rel: str) -> list[RawArticle]:
    header, _, rest = path.read_text(encoding="utf-8").partition("\n\n")
    meta = {}
    for line in header.splitlines():
        match = TEXT_META.match(line)
        assert match, f"{rel}: not a metadata line: {line!r}"
        meta[match["key"].lower()] = match["value"]
    url = meta.get("url") or meta.get("link")
    date = meta.get("date") or meta.get("published")
    assert url and date, f"{rel}: needs a url/link and a date/published line"
    assert meta.get("outlet") or meta.get("source"), f"{rel}: needs an outlet/source line"
    blocks = [b.strip() for b in rest.split("\n\n") if b.strip()]
    headline, standfirst, caption = blocks[:3]
    assert "\n" not in headline and "\n" not in standfirst, rel
    assert re.search(r"Photo: ", caption), f"{rel}: third block should be a captioned photo"
    return [RawArticle(rel, url, headline, _date(date), "\n\n".join(blocks[3:]))]


def _read_markdown(path: Path, rel: str) -> list[RawArticle]:
    source = path.read_text(encoding="utf-8")
    if not source.startswith("---\n"):
        entry = HOUSE_ENTRY.match(source)
        assert entry, f"{rel}: neither front matter nor a house-format digest entry"
        url = re.findall(r"<(https?://[^\s>]+)>", entry["sources"])[0]
        return [RawArticle(rel, url, entry["en_headline"], None, entry["en_summary"])]
    _, front, body = source.split("---\n", 2)
    meta = {}
    for line in front.strip().splitlines():
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip().strip('"')
    assert {"title", "url", "outlet", "published"} <= set(meta), f"{rel}: {sorted(meta)}"
    body = body.strip()
    assert body.startswith(f"# {meta['title']}\n"), f"{rel}: body should open with '# title'"
    text = body.split("\n", 1)[1]
    return [RawArticle(rel, meta["url"], meta["title"], _date(meta["published"]), text)]


def _read_feed(path: Path, rel: str) -> list[RawArticle]:
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, f"{rel}: {feed.get('bozo_exception')}"
    assert feed.version in {"rss20", "atom10"}, f"{rel}: {feed.version}"
    articles = []
    for item in feed.entries:
        assert item.get("author"), f"{rel}: {item.link} has no author"
        published = datetime(*item.published_parsed[:6], tzinfo=UTC)
        text = _strip_tags(item.content[0].value)
        articles.append(RawArticle(rel, item.link, item.title, published, text))
    return articles


class _PageHead(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.in_title = False
        self.title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "meta" and "property" in attr:
            self.meta[attr["property"]] = attr.get("content", "")
        elif tag == "link" and attr.get("rel") == "canonical":
            self.canonical = attr["href"]
        self.in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data


def _read_html(path: Path, rel: str) -> list[RawArticle]:
    raw = path.read_bytes()
    if rel.endswith(".gz"):
        raw = gzip.decompress(raw)
    page = raw.decode("utf-8")
    head = _PageHead()
    head.feed(page)
    required = {"og:site_name", "og:title", "article:published_time"}
    assert required <= set(head.meta), f"{rel}: missing {required - set(head.meta)}"
    assert head.canonical and head.title.strip(), f"{rel}: needs <title> and a canonical link"
    for boilerplate in ("<nav", "<footer", "<figcaption", "Photo: ", "Read more:", "ookie"):
        assert boilerplate in page, f"{rel}: a realistic page has {boilerplate!r}"
    published = _date(head.meta["article:published_time"])
    return [RawArticle(rel, head.canonical, head.meta["og:title"], published, None)]


READERS = {
    ".jsonl": _read_jsonl,
    ".txt": _read_text,
    ".md": _read_markdown,
    ".xml": _read_feed,
    ".html": _read_html,
    ".gz": _read_html,
}


def _corpus_files() -> list[str]:
    return sorted(
        p.relative_to(SAMPLE).as_posix()
        for p in SAMPLE.rglob("*")
        if p.is_file() and p.relative_to(SAMPLE).as_posix() not in NOT_ARTICLES
    )


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((SAMPLE / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def articles() -> list[RawArticle]:
    found = []
    for rel in _corpus_files():
        reader = READERS[Path(rel).suffix]
        found.extend(reader(SAMPLE / rel, rel))
    return found


@pytest.fixture(scope="module")
def by_url(articles: list[RawArticle]) -> dict[str, RawArticle]:
    return {a.url: a for a in articles}


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _shingles(text: str, size: int = 5) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def _jaccard(a: str, b: str) -> float:
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) / len(sa | sb)


def test_every_file_is_a_known_format_and_listed(expected: dict) -> None:
    files = _corpus_files()
    assert all(Path(f).suffix in READERS for f in files), files
    assert sorted(expected["formats"]) == files


def test_files_hold_the_articles_expected_lists(expected: dict, articles: list[RawArticle]) -> None:
    found: dict[str, list[str]] = {}
    for article in articles:
        found.setdefault(article.file, []).append(article.url)
    assert found == expected["formats"]


def test_every_article_has_a_unique_fictional_url(articles: list[RawArticle]) -> None:
    urls = [a.url for a in articles]
    assert [u for u, n in Counter(urls).items() if n > 1] == []
    for url in urls:
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.hostname, url
        assert parts.hostname.endswith(".example"), f"not a fictional domain: {url}"


def test_stories_cover_every_article_exactly_once(
    expected: dict, articles: list[RawArticle]
) -> None:
    grouped = [u for urls in expected["stories"].values() for u in urls]
    assert [u for u, n in Counter(grouped).items() if n > 1] == []
    assert sorted(grouped) == sorted(a.url for a in articles)


def test_corpus_is_big_enough_and_varied(expected: dict, articles: list[RawArticle]) -> None:
    stories = expected["stories"]
    assert len(articles) >= 18
    assert len(stories) >= 6
    outlets = {key: {urlsplit(u).hostname for u in urls} for key, urls in stories.items()}
    assert max(len(hosts) for hosts in outlets.values()) >= 4
    assert any(len(urls) == 1 for urls in stories.values()), "needs a single-source story"
    assert len({urlsplit(a.url).hostname for a in articles}) >= 6


def test_every_input_format_is_present(expected: dict) -> None:
    files = list(expected["formats"])
    for suffix in (".html", ".html.gz", ".txt", ".md", ".jsonl"):
        assert any(f.endswith(suffix) for f in files), suffix
    versions = {feedparser.parse((SAMPLE / f).read_bytes()).version for f in files if ".xml" in f}
    assert versions == {"rss20", "atom10"}


def test_article_lengths_are_news_sized(articles: list[RawArticle]) -> None:
    for article in articles:
        if article.text is not None and article.file.endswith((".jsonl", ".txt", ".xml")):
            assert 150 <= len(_words(article.text)) <= 420, article.url
        elif article.file.endswith(".md") and "digest" not in article.file:
            assert 150 <= len(_words(article.text or "")) <= 420, article.url


def test_dates_span_several_days_of_march_2026(articles: list[RawArticle]) -> None:
    dated = [a.published for a in articles if a.published]
    assert len(dated) == len(articles) - 1, "only the digest entry goes without a date"
    assert all((d.year, d.month) == (2026, 3) for d in dated)
    assert len({d.date() for d in dated}) >= 5


def test_wire_copies_are_near_verbatim_and_in_one_story(
    expected: dict, by_url: dict[str, RawArticle]
) -> None:
    story_of = {u: key for key, urls in expected["stories"].items() for u in urls}
    assert expected["wire_copies"], "the corpus needs a wire copy"
    for original, *copies in expected["wire_copies"]:
        assert copies, "a wire copy group needs the original and at least one copy"
        assert len({urlsplit(u).hostname for u in [original, *copies]}) == len(copies) + 1
        story = story_of[original]
        for copy in copies:
            assert story_of[copy] == story
            assert by_url[copy].title != by_url[original].title
            assert _jaccard(by_url[original].text or "", by_url[copy].text or "") > 0.7
        independent = [u for u in expected["stories"][story] if u not in (original, *copies)]
        assert independent, "the wire story also needs an independent report"


def test_independent_reports_are_not_copies(expected: dict, by_url: dict[str, RawArticle]) -> None:
    copies = {u for group in expected["wire_copies"] for u in group[1:]}
    texts = [a for a in by_url.values() if a.text and a.url not in copies]
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            assert _jaccard(a.text or "", b.text or "") < 0.2, (a.url, b.url)


def test_same_company_rulings_are_separate_stories(expected: dict) -> None:
    stepova = [key for key in expected["stories"] if key.startswith("stepova-")]
    assert len(stepova) == 2


def test_digest_entry_is_in_the_house_format(expected: dict, articles: list[RawArticle]) -> None:
    entries = [
        HOUSE_ENTRY.match((SAMPLE / f).read_text(encoding="utf-8"))
        for f in expected["formats"]
        if f.endswith(".md") and not (SAMPLE / f).read_text(encoding="utf-8").startswith("---")
    ]
    assert len(entries) == 1 and entries[0]
    entry = entries[0]
    for field in ("uk_headline", "uk_summary"):
        letters = re.findall(r"[^\W\d_]", entry[field])
        assert sum(bool(CYRILLIC.match(c)) for c in letters) / len(letters) > 0.95, field
    assert 3 <= len(re.findall(r"[.!?](?:\s|$)", entry["uk_summary"])) <= 6
    sources = re.findall(r"<(https?://[^\s>]+)>", entry["sources"])
    assert len(sources) >= 2
    own_story = [urls for urls in expected["stories"].values() if sources[0] in urls]
    assert own_story == [[sources[0]]], "the digest entry is its own single-article story"
    assert not set(sources[1:]) & {a.url for a in articles}


def test_corpus_stays_small() -> None:
    assert sum(p.stat().st_size for p in SAMPLE.rglob("*") if p.is_file()) < 300_000
