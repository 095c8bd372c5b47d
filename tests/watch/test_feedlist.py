from __future__ import annotations

from pathlib import Path

import pytest

from ohliad.watch.feedlist import FeedListError, FeedSpec, load_feed_list, parse_interval


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_toml_feeds_with_defaults_and_overrides(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "feeds.toml",
        """
[defaults]
interval = "10m"

[[feed]]
url = "https://Example.com/rss?utm_source=x"
outlet = "Example Daily"
language = "EN"

[[feed]]
url = "https://other.example/atom.xml"
interval = 90
""",
    )
    assert load_feed_list(path) == [
        FeedSpec("https://example.com/rss", "Example Daily", "en", 600),
        FeedSpec("https://other.example/atom.xml", None, None, 90),
    ]


@pytest.mark.parametrize(
    ("value", "seconds"), [(900, 900), ("90s", 90), ("15m", 900), ("2h", 7200), ("1d", 86400)]
)
def test_intervals(value: object, seconds: int) -> None:
    assert parse_interval(value, where="x") == seconds


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[feed]]\nurl = 'ftp://x.example/feed'\n", "must start with http"),
        ("[[feed]]\nurl = 'https://x.example/'\ninterval = 'soon'\n", "interval 'soon'"),
        ("[[feed]]\nurl = 'https://x.example/'\nintervall = 5\n", "unknown keys intervall"),
        ("title = 'no feeds'\n", "no [[feed]] tables"),
        ("[[feed]\n", "invalid TOML"),
        (
            "[[feed]]\nurl = 'https://x.example/'\n[[feed]]\nurl = 'https://X.example/'\n",
            "listed twice",
        ),
    ],
)
def test_bad_toml_names_the_file_and_problem(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "feeds.toml", text)
    with pytest.raises(FeedListError) as error:
        load_feed_list(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_opml_import_reads_nested_outlines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "reader.opml",
        """<?xml version="1.0"?>
<opml version="2.0"><head><title>My feeds</title></head><body>
  <outline text="World">
    <outline type="rss" text="Baltic Wire" xmlUrl="https://balticwire.example/rss" language="en-GB"/>
    <outline type="rss" title="Meridian" text="ignored" xmlUrl="https://meridian.example/atom"/>
  </outline>
  <outline text="A folder without feeds"/>
</body></opml>""",
    )
    assert load_feed_list(path) == [
        FeedSpec("https://balticwire.example/rss", "Baltic Wire", "en"),
        FeedSpec("https://meridian.example/atom", "Meridian", None),
    ]


def test_opml_with_entity_expansion_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bomb.opml",
        """<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<opml><body><outline text="&b;" xmlUrl="https://x.example/rss"/></body></opml>""",
    )
    with pytest.raises(FeedListError, match="cannot read OPML"):
        load_feed_list(path)


def test_unknown_suffix_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FeedListError, match=r"\.toml or \.opml"):
        load_feed_list(write(tmp_path, "feeds.txt", "https://x.example/rss"))
    with pytest.raises(FeedListError, match="No such file"):
        load_feed_list(tmp_path / "absent.toml")
