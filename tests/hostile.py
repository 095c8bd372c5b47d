"""Hostile inputs, written afresh into a folder: what a careless or hostile
user hands ``ohliad ingest``, each with the articles it must yield and the
one-line failures it must give. Shared by ``tests/test_hostile_inputs.py``
and ``bench/robustness.py``.

Nothing here is read from outside: every file is generated, so the corpus
is the same on every machine.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Hostile:
    """One input: its category, what it is, its path (as bytes, for names that
    are not UTF-8), the articles it must store and the failures it must give."""

    category: str
    name: str
    path: bytes
    good: int
    bad: int


def _report(number: int, words: int = 60) -> str:
    """A paragraph of news unlike any other report's (no two are near-copies)."""
    places = ["Saltby", "Velmora", "Ostrava", "Marlow", "Kessel", "Hallam", "Dunmere", "Arrow"]
    place = places[number % len(places)]
    sentences = [
        f"Officials in {place} said on day {number} that {number * 37 % 1000} homes had lost power.",
        f"Crews from {number * 13 % 97} depots worked through the night near route {number}.",
        f"The mayor of {place} promised a review of report {number} within {number % 9 + 2} weeks.",
        f"Residents of district {number * 7 % 53} described queues for water and fuel.",
    ]
    text = " ".join(sentences)
    while len(text.split()) < words:
        text += f" Update {len(text)} for {place}: inspectors filed note {number}-{len(text) % 89}."
    return text


def _write(folder: Path, name: str | bytes, content: bytes | str) -> bytes:
    path = os.path.join(os.fsencode(folder), os.fsencode(name))
    with open(path, "wb") as handle:
        handle.write(content.encode() if isinstance(content, str) else content)
    return path


def _jsonl(records: list[object]) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n"


def _records(folder: Path) -> list[Hostile]:
    def record(n: int, **fields: object) -> dict[str, object]:
        return {
            "title": f"Report {n}",
            "text": _report(n),
            "url": f"https://r{n}.example/a",
            **fields,
        }

    bad_lines = [
        "{not json",
        "[1, 2, 3]",
        "[" * 50_000 + "]" * 50_000,
        json.dumps({"title": {"a": 1}, "text": ["not", "text"]}),
        json.dumps(record(1, url="https://bad.example:99999/a")),
        json.dumps(record(2, url="http://[::1/x")),
        json.dumps(record(3, url="https://" + "a" * 300 + ".example/x")),
        json.dumps(record(4, url="https://long.example/" + "x" * 2100)),
    ]
    odd_but_good = [
        record(10, title="Lone \ud800 surrogate"),
        record(11, text=_report(11) + " \x00 NUL"),
        record(12, language="x" * 40),
        record(13, author="A" * 700, outlet="O" * 300),
        record(14, title="Ctrl \x1b[31m escape\nand newline"),
    ]
    good = [record(20 + n) for n in range(5)]
    lines = [*good[:2], *bad_lines, *odd_but_good, *good[2:]]
    return [
        Hostile(
            "records",
            "JSON Lines: bad values among good ones",
            _write(folder, "records.jsonl", _jsonl(lines)),
            good=len(good) + len(odd_but_good),
            bad=len(bad_lines),
        )
    ]


def _files(folder: Path) -> list[Hostile]:
    fifo = os.path.join(os.fsencode(folder), b"pipe.txt")
    os.mkfifo(fifo)
    big = _write(folder, "big.txt", b"")
    os.truncate(big, 60 * 1024 * 1024)  # sparse: 60 MB that take no disk
    return [
        Hostile("files", "empty file", _write(folder, "empty.txt", b""), 0, 1),
        Hostile("files", "binary file", _write(folder, "binary.txt", bytes(range(256)) * 64), 0, 1),
        Hostile("files", "FIFO", fifo, 0, 1),
        Hostile("files", "device", b"/dev/zero", 0, 1),
        Hostile("files", "60 MB file", big, 0, 1),
        Hostile("files", "missing file", os.path.join(os.fsencode(folder), b"gone.txt"), 0, 1),
    ]


def _names(folder: Path) -> list[Hostile]:
    def article(n: int) -> str:
        return f"Report {n} from the names\n\n{_report(n)}\n"

    return [
        Hostile("names", "newline in the name", _write(folder, "a\nfailed: forged.txt", b""), 0, 1),
        Hostile("names", "ANSI escape in the name", _write(folder, "b\x1b[2J.txt", b""), 0, 1),
        Hostile("names", "name not UTF-8", _write(folder, b"c\xff\xfe.txt", article(30)), 1, 0),
    ]


def _encodings(folder: Path) -> list[Hostile]:
    ukrainian = "Мер Ізмаїла заявив про рекордний вантажообіг порту в лютому. " * 8
    return [
        Hostile(
            "encoding",
            "cp1251 text",
            _write(folder, "cp1251.txt", ("Рекорд порту\n\n" + ukrainian).encode("cp1251")),
            1,
            0,
        ),
        Hostile(
            "encoding",
            "UTF-16 with BOM",
            _write(folder, "utf16.txt", ("Port record\n\n" + _report(31)).encode("utf-16")),
            1,
            0,
        ),
    ]


def _sizes(folder: Path) -> list[Hostile]:
    row = "| " + " | ".join(f"cell {c}" for c in range(8)) + " |\n"
    bomb = gzip.compress(b"<html><body><p>" + b"a " * (60 * 1024 * 1024) + b"</p></body></html>")
    return [
        Hostile(
            "size",
            "1.2 MB article",
            _write(folder, "huge.txt", "A very long report\n\n" + _report(40) * 800),
            1,
            0,
        ),
        Hostile(
            "size",
            "13 MB Markdown table",
            _write(folder, "table.md", "# Table\n\n" + row + "|---" * 8 + "|\n" + row * 170_000),
            0,
            1,
        ),
        Hostile("size", "gzip bomb", _write(folder, "bomb.html.gz", bomb), 0, 1),
    ]


def _markup(folder: Path) -> list[Hostile]:
    laughs = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    items = "".join(
        f"<item><title>Item {n}</title><link>https://feed.example/{n}</link>"
        f"<description>{_report(50 + n, 150)}</description></item>"
        for n in range(3)
    )
    alias_bomb = "\n".join(
        [
            "---",
            'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
            *(
                f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]"
                for i in range(7)
            ),
            "title: *h",
            "---",
            _report(60),
        ]
    )
    return [
        Hostile(
            "markup",
            "XML bomb feed",
            _write(
                folder,
                "laughs.xml",
                f'<?xml version="1.0"?><!DOCTYPE rss [{laughs}]><rss><channel>'
                "<title>&lol9;</title></channel></rss>",
            ),
            0,
            1,
        ),
        Hostile(
            "markup",
            "feed behind a comment",
            _write(
                folder,
                "commented.xml",
                f'<!-- made by hand --><rss version="2.0"><channel><title>Feed</title>{items}'
                "</channel></rss>",
            ),
            3,
            0,
        ),
        Hostile("markup", "broken feed", _write(folder, "broken.rss", "<rss><channel><it"), 0, 1),
        Hostile(
            "markup",
            "page without text",
            _write(folder, "script.html", "<html><body><script>x()</script></body></html>"),
            0,
            1,
        ),
        Hostile(
            # Deeper than the HTML parser goes (libxml2 stops at 256): its text
            # is out of reach, which a page of the web never is.
            "markup",
            "page nested 5000 deep",
            _write(
                folder,
                "nested.html",
                "<html><body>" + "<div>" * 5000 + f"<p>{_report(61)}</p>" + "</div>" * 5000,
            ),
            0,
            1,
        ),
        Hostile("markup", "YAML alias bomb", _write(folder, "aliases.md", alias_bomb), 1, 0),
    ]


MAKERS: tuple[Callable[[Path], list[Hostile]], ...] = (
    _records,
    _files,
    _names,
    _encodings,
    _sizes,
    _markup,
)


def write_corpus(folder: Path) -> list[Hostile]:
    """Every hostile input, written into ``folder`` (which must be empty)."""
    return [hostile for make in MAKERS for hostile in make(folder)]
