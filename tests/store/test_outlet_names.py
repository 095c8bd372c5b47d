"""One outlet is one name: a bare domain, which ingest gives an article whose
page names no outlet, becomes the name the site's other articles carry."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from typer.testing import CliRunner

from ohliad.cli import app
from ohliad.models import Article
from ohliad.store import Store
from ohliad.store.db import alembic_config, create_database_engine, database_url
from ohliad.store.search import outlet_names

BODY = "The river port handled a record {} tonnes of cargo in February, the port authority said."


def _record(n: int, url: str, outlet: str | None) -> dict[str, object]:
    record: dict[str, object] = {"title": f"Port record {n}", "text": BODY.format(n), "url": url}
    if outlet:
        record["outlet"] = outlet
    return record


@pytest.mark.parametrize("named_first", [True, False])
def test_a_bare_domain_takes_the_sites_outlet_name(tmp_path: Path, named_first: bool) -> None:
    named = _record(1, "https://www.herald.example/ports/1", "Danube Herald")
    bare = _record(2, "https://herald.example/ports/2", None)
    later = _record(3, "https://news.herald.example/ports/3", None)
    first, second = (named, bare) if named_first else (bare, named)
    db = tmp_path / "d.db"
    for records in ([first], [second, later]):
        batch = tmp_path / "batch.jsonl"
        batch.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
        result = CliRunner().invoke(
            app, ["ingest", str(batch), "--db", str(db), "--translator", "none"]
        )
        assert result.exit_code == 0, result.output
    store = Store.open(str(db))
    assert outlet_names(store) == ["Danube Herald"]
    with sqlite3.connect(db) as connection:
        names = connection.execute(
            "SELECT o.name FROM articles a JOIN outlets o ON o.id = a.outlet_id"
        ).fetchall()
    assert names == [("Danube Herald",)] * 3
    # Every story lists the outlet by its name.
    entries = store.digest_entries()
    assert {s.outlet for e in entries for s in e.sources} == {"Danube Herald"}
    store.close()


def test_upgrade_records_the_names_of_sites_already_stored(tmp_path: Path) -> None:
    """A database stored before 0007 knows its sites' names by their articles;
    after the upgrade a bare-domain article of one still gets the name."""
    engine = create_database_engine(database_url(str(tmp_path / "old.db")))
    command.upgrade(alembic_config(engine), "0006")
    with engine.begin() as conn:
        for outlet in ("Danube Herald", "herald.example", "Other Post"):
            conn.execute(text("INSERT INTO outlets (name) VALUES (:n)"), {"n": outlet})
        rows = [
            ("https://www.herald.example/ports/1", "Danube Herald"),
            ("https://herald.example/ports/2", "herald.example"),
            ("https://post.example/1", "Other Post"),
        ]
        for n, (url, outlet) in enumerate(rows):
            conn.execute(
                text(
                    "INSERT INTO articles (url, content_hash, title, text, outlet_id, extra,"
                    " ingested_at) SELECT :url, :hash, 'T', 'B', id, '{}', '2026-03-01'"
                    " FROM outlets WHERE name = :outlet"
                ),
                {"url": url, "hash": f"{n:064d}", "outlet": outlet},
            )
    engine.dispose()
    store = Store.open(str(tmp_path / "old.db"))
    with sqlite3.connect(tmp_path / "old.db") as connection:
        sites = connection.execute(
            "SELECT s.host, o.name FROM outlet_sites s JOIN outlets o ON o.id = s.outlet_id"
            " ORDER BY s.host"
        ).fetchall()
    assert sites == [("post.example", "Other Post"), ("www.herald.example", "Danube Herald")]
    with store.transaction() as tx:
        bare = tx.add_article(
            Article(title="T", text="New.", url="https://herald.example/3", outlet="herald.example")
        )
    assert bare is not None and bare.outlet == "Danube Herald"
    store.close()


def test_what_a_rolled_back_transaction_learnt_of_a_site_is_not_kept(tmp_path: Path) -> None:
    """Sites learnt in one transaction are taken on trust by the next only
    once committed: a rolled-back one recorded nothing."""
    store = Store.open(str(tmp_path / "d.db"))
    named = Article(
        title="T1", text="One.", url="https://www.herald.example/1", outlet="Danube Herald"
    )
    with pytest.raises(RuntimeError), store.transaction() as tx:
        assert tx.add_article(named) is not None
        raise RuntimeError("rolled back")
    bare = Article(title="T2", text="Two.", url="https://herald.example/2", outlet="herald.example")
    with store.transaction() as tx:
        stored = tx.add_article(bare)
    assert stored is not None and stored.outlet == "herald.example"
    # Committed now: the bare-domain article takes the name, as does the next one.
    with store.transaction() as tx:
        assert tx.add_article(named) is not None
    later = Article(
        title="T3", text="Three.", url="https://herald.example/3", outlet="herald.example"
    )
    with store.transaction() as tx:
        stored = tx.add_article(later)
    assert stored is not None and stored.outlet == "Danube Herald"
    assert outlet_names(store) == ["Danube Herald"]
    store.close()
