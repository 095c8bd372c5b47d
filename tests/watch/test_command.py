from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ohliad.cli import app
from ohliad.store import FeedStore, Store


def test_watch_refuses_a_bad_feed_list_in_one_line(tmp_path: Path) -> None:
    feed_list = tmp_path / "feeds.toml"
    feed_list.write_text("[[feed]]\nurl = 'gopher://old.example/'\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["watch", str(feed_list), "--db", str(tmp_path / "w.db")])
    assert result.exit_code == 2
    assert "must start with http:// or https://" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "w.db").exists()  # refused before anything was opened


def test_status_json_lists_the_feeds(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    store = Store.open(str(db))
    FeedStore(store).sync([("https://a.example/rss", "A", "en", 600)])
    store.close()
    result = CliRunner().invoke(app, ["status", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [f["url"] for f in report["feeds"]] == ["https://a.example/rss"]
    assert report["feeds_due"] == 1 and report["stories_dirty"] == 0
    assert report["feeds"][0]["last_success"] is None
