"""One bad record fails alone, with a one-line error naming it; the rest of
the batch is read and stored (issue 21)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ohliad.ingest import IngestFailure, read_inputs
from ohliad.ingest.records import MAX_AUTHOR_CHARS, MAX_OUTLET_CHARS, checked_article
from ohliad.models import Article
from ohliad.pipeline import Pipeline
from ohliad.store import Store

BODY = " ".join(["The regional council approved the new flood defence budget on Tuesday."] * 6)


def _line(title: str, url: str | None = None, **fields: object) -> str:
    return json.dumps({"title": title, "text": f"{BODY} ({title})", "url": url, **fields})


HOSTILE = {
    "port 99999": "https://bad.example:99999/a",
    "broken IPv6 literal": "http://[::1/x",
    "300-character host label": "https://" + "a" * 300 + ".example/x",
    "URL over 2000 characters": "https://long.example/" + "x" * 2100,
}


def test_bad_urls_fail_their_record_alone(tmp_path: Path) -> None:
    lines = [_line("Good one", "https://good.example/1")]
    lines += [_line(name, url) for name, url in HOSTILE.items()]
    lines.append(_line("Good two", "https://good.example/2"))
    source = tmp_path / "mixed.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcomes = list(read_inputs([str(source)]))
    articles = [o for o in outcomes if isinstance(o, Article)]
    failures = [o for o in outcomes if isinstance(o, IngestFailure)]
    assert [a.title for a in articles] == ["Good one", "Good two"]
    assert [f.origin for f in failures] == [f"{source}:{n}" for n in range(2, 2 + len(HOSTILE))]
    assert all("URL" in f.reason and "\n" not in str(f) for f in failures)


def test_text_that_no_database_stores_is_normalised_and_stored(
    store: Store, tmp_path: Path
) -> None:
    # A lone surrogate (valid JSON, invalid UTF-8), a NUL byte, an overlong
    # language code, author and outlet: SQLite took some, PostgreSQL none.
    source = tmp_path / "odd.jsonl"
    record = {
        "title": "Budget \ud800 approved",
        "text": f"{BODY} \x00 end",
        "url": "https://good.example/odd",
        "language": "a language code far longer than any",
        "author": "A" * 600,
        "outlet": "O" * 300,
    }
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    [article] = [o for o in read_inputs([str(source)]) if isinstance(o, Article)]
    assert "\ufffd" in article.title and "\x00" not in article.text
    assert article.language == "en"  # the bad code dropped, the language detected
    assert article.author is not None and len(article.author) == MAX_AUTHOR_CHARS
    assert article.outlet is not None and len(article.outlet) == MAX_OUTLET_CHARS
    report = Pipeline(store).ingest([article])
    assert report.added == 1 and not report.failures
    [stored] = store.articles()
    assert stored.text == article.text


def test_checked_articles_keep_what_was_fine() -> None:
    article = Article(
        title="Ще одна новина", text="Текст\nстатті.", url="https://x.example/a", language="uk"
    )
    assert checked_article(article) == article


@pytest.mark.skipif(sys.platform != "linux", reason="names that are not UTF-8 need Linux")
def test_a_file_name_that_is_not_utf8_is_named_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    folder.mkdir()
    good = folder / "good.txt"
    good.write_text(f"Budget approved\n\n{BODY}\n", encoding="utf-8")
    bad = os.path.join(os.fsencode(folder), b"bad\xff-name.txt")
    with open(bad, "wb") as handle:
        handle.write(f"Another budget\n\n{BODY} more\n".encode())
    articles = [o for o in read_inputs([str(folder)]) if isinstance(o, Article)]
    assert sorted(a.title for a in articles) == ["Another budget", "Budget approved"]
    assert any(a.origin and a.origin.endswith("bad\\xff-name.txt") for a in articles)


def test_a_fifo_and_a_device_are_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    outcomes = list(read_inputs([str(fifo), "/dev/zero"]))
    assert [(f.origin, f.reason) for f in outcomes if isinstance(f, IngestFailure)] == [
        (str(fifo), "not a regular file"),
        ("/dev/zero", "not a regular file"),
    ]


def test_control_characters_in_a_name_cannot_forge_lines(tmp_path: Path) -> None:
    named = tmp_path / "evil\nfailed: forged.txt"
    named.write_bytes(b"")
    name_with_escape = tmp_path / "red\x1b[31m.txt"
    name_with_escape.write_bytes(b"")
    failures = [str(o) for o in read_inputs([str(named), str(name_with_escape)])]
    assert len(failures) == 2
    assert all("\n" not in line and "\x1b" not in line for line in failures)
    assert "evil\\nfailed: forged.txt: empty file" in failures[0]
    assert "red\\x1b[31m.txt" in failures[1]


def _stored_after_ingest(db: str, source: Path) -> tuple[list[tuple[object, ...]], list[str]]:
    store = Store.open(db)
    report = Pipeline(store).ingest(read_inputs([str(source)]))
    stored = sorted(
        (a.title, a.text, a.url, a.outlet, a.author, a.language) for a in store.articles()
    )
    store.close()
    return stored, [str(f) for f in report.failures]


def test_sqlite_and_postgresql_store_the_same_records(
    tmp_path: Path, new_postgres_database: Callable[[], str]
) -> None:
    # Each of these lost the whole batch on PostgreSQL, which SQLite stored.
    records = [
        {"title": "NUL byte", "text": f"{BODY} \x00 end", "url": "https://a.example/nul"},
        {"title": "Long language", "text": BODY + " l", "language": "x" * 40},
        {"title": "Long URL", "text": BODY + " u", "url": "https://b.example/" + "y" * 2100},
        {"title": "Long author", "text": BODY + " a", "author": "Z" * 700},
        {"title": "Long outlet", "text": BODY + " o", "outlet": "Q" * 300},
        {"title": "Plain", "text": BODY + " p", "url": "https://c.example/plain"},
    ]
    source = tmp_path / "edge.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    on_sqlite = _stored_after_ingest(str(tmp_path / "edge.db"), source)
    on_postgresql = _stored_after_ingest(new_postgres_database(), source)
    assert on_sqlite == on_postgresql
    stored, failures = on_sqlite
    assert len(stored) == 5 and failures == [f"{source}:3: URL longer than 2000 characters"]
