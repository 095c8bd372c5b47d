"""A real SQLite store holding three stories, stored through the Store API,
and the web app over it.

- "drones-poland": three English reports (one a wire copy), Ukrainian text,
  a comparison with a conflict;
- "izmail-ports": no Ukrainian (the notice must show, never English as Ukrainian);
- "hostile": article and entry text carrying script and event-handler payloads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from ohliad.compare.records import Comparison
from ohliad.models import (
    Article,
    DigestEntry,
    EntrySource,
    Summary,
    SummarySentence,
    UkrainianText,
)
from ohliad.store import Store
from ohliad.web import WebSettings, create_app
from tests.web.live import CHROMIUM, CHROMIUM_ARGS

if TYPE_CHECKING:
    from playwright.sync_api import Browser
from tests.conftest import SAMPLE

ADMIN_TOKEN = "test-admin-token-5b1e"
XSS_SCRIPT = "<script>window.__xss = 1</script>"
XSS_IMG = '<img src="x" onerror="window.__xss = 1">'


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def _cite(article: Article, quote: str) -> dict[str, Any]:
    return {"article_id": article.id, "outlet": article.outlet, "url": article.url, "quote": quote}


def save_story(
    store: Store,
    key: str,
    articles: list[Article],
    *,
    headline: str,
    sentences: list[tuple[str, list[int]]],
    ukrainian: UkrainianText | None,
    comparison: Callable[[list[Article]], dict[str, Any]] | None = None,
) -> list[Article]:
    """Store the articles, link them into the story, save its digest entry.
    Sentence sources are indexes into ``articles``."""
    with store.transaction() as tx:
        stored: list[Article] = []
        for article in articles:
            original = stored[article.duplicate_of].id if article.duplicate_of is not None else None
            stored.append(tx.add_article(Article(**{**_fields(article), "duplicate_of": original})))
        for article in stored:
            assert article.id is not None
            tx.link(article.id, key)
        ids = [a.id for a in stored if a.id is not None]
        entry = DigestEntry(
            story_id=key,
            summary=Summary(
                headline=headline,
                sentences=tuple(
                    SummarySentence(text, tuple(ids[i] for i in sources))
                    for text, sources in sentences
                ),
            ),
            sources=tuple(
                EntrySource(a.url, a.outlet, a.title, a.published, a.id, a.duplicate_of)
                for a in stored
            ),
            article_ids=tuple(ids),
            updated=max(a.published for a in stored if a.published),
            ukrainian=ukrainian,
            ukrainian_unavailable=None if ukrainian else "no translation engine configured",
            # Written in the JSON form, as the API serves it.
            comparison=Comparison.from_dict(comparison(stored)) if comparison else None,
        )
        tx.save_entry(key, entry, members=frozenset(ids))
    return stored


def _fields(article: Article) -> dict[str, Any]:
    return {name: getattr(article, name) for name in Article.__slots__ if name != "__weakref__"}


def _drones_comparison(stored: list[Article]) -> dict[str, Any]:
    wire, barn, _copy = stored
    return {
        "sources": [_cite(a, "") for a in stored[:2]],
        "agreed": [
            {
                "statement": "Poland scrambled fighter jets after drones crossed its border.",
                "sources": [
                    _cite(
                        wire,
                        "Poland scrambled fighter jets overnight as drones crossed the border.",
                    ),
                    _cite(
                        barn, "Polish jets were scrambled after the drones entered Polish airspace."
                    ),
                ],
                "disputed": True,
            }
        ],
        "unique": [
            {
                "source": _cite(barn, "Debris from one drone was found in a barn near Hrubieszów."),
                "detail": "a barn near Hrubieszów",
                "missing_from": [_cite(wire, "")],
            }
        ],
        "conflicts": [
            {
                "slot": "number",
                "about": "how many drones crossed the border",
                "soft": False,
                "sides": [
                    {
                        "value": "three drones",
                        "normalized": "3",
                        "sources": [_cite(wire, "Three drones crossed the border overnight.")],
                    },
                    {
                        "value": "five drones",
                        "normalized": "5",
                        "sources": [
                            _cite(barn, "Five drones entered Polish airspace, the army said.")
                        ],
                    },
                ],
            }
        ],
        "framing": [
            {
                "kind": "terminology",
                "label": "What the aircraft are called",
                "uses": [
                    {
                        "term": "drones",
                        "sources": [_cite(wire, "Three drones crossed the border overnight.")],
                    },
                    {
                        "term": "unmanned aerial vehicles",
                        "sources": [_cite(barn, "The unmanned aerial vehicles came from Belarus.")],
                    },
                ],
                "absent": [],
            },
            {
                "kind": "quoted_voices",
                "label": "Wladyslaw Kosiniak-Kamysz",
                "uses": [
                    {
                        "term": "Wladyslaw Kosiniak-Kamysz: 2 quotes, 21 words",
                        "sources": [_cite(wire, "“We will respond,” the minister said.")],
                        "quotes": 2,
                        "words": 21,
                    },
                ],
                "absent": [{"article_id": barn.id, "outlet": barn.outlet, "url": barn.url}],
            },
        ],
        "notes": [],
    }


def _hostile_comparison(stored: list[Article]) -> dict[str, Any]:
    (article,) = stored
    return {
        "sources": [_cite(article, "")],
        "agreed": [],
        "unique": [{"source": _cite(article, XSS_IMG), "detail": XSS_SCRIPT, "missing_from": []}],
        "conflicts": [],
        "framing": [],
        "notes": [XSS_SCRIPT],
    }


def build_digest_store(db: Path | str) -> Store:
    """The three stories in a new store at ``db`` (a SQLite path or a database URL)."""
    store = Store.open(str(db))
    save_story(
        store,
        "hostile",
        [
            Article(
                title=f"{XSS_SCRIPT}Mayor denies report {XSS_IMG}",
                text=f"The mayor spoke. {XSS_SCRIPT}\n\n{XSS_IMG} <style>body {{ display: none }}</style>",
                url="javascript:window.__xss=1",
                outlet=f"Evil {XSS_IMG} Gazette",
                language="en",
                published=_at(3, 9),
            )
        ],
        headline=f"Mayor denies report {XSS_IMG}",
        sentences=[(f"The mayor spoke. {XSS_SCRIPT}", [0])],
        ukrainian=UkrainianText(
            headline=f"Мер заперечує повідомлення {XSS_SCRIPT}",
            summary=f"Мер виступив. {XSS_IMG}",
            engine="editor",
        ),
        comparison=_hostile_comparison,
    )
    save_story(
        store,
        "izmail-ports",
        [
            Article(
                title="Izmail ports handle record February cargo",
                text="The Danube ports of Izmail handled a record 2.1 million tonnes of cargo in February.\n\nPort officials credited the new grain corridor.",
                url="https://danubeherald.example/izmail-record",
                outlet="Danube Herald",
                language="en",
                published=_at(4, 14),
            )
        ],
        headline="Izmail ports handle record February cargo",
        sentences=[
            (
                "The Danube ports of Izmail handled a record 2.1 million tonnes of cargo in February.",
                [0],
            )
        ],
        ukrainian=None,
    )
    save_story(
        store,
        "drones-poland",
        [
            Article(
                title="Poland scrambles jets as drones cross border",
                text="Poland scrambled fighter jets overnight as drones crossed the border.\n\nThree drones crossed the border overnight, officials said.",
                url="https://balticwire.example/2026/03/05/drones-poland",
                outlet="Baltic Wire",
                language="en",
                published=_at(5, 6, 10),
            ),
            Article(
                title="Drone debris found in a barn in eastern Poland",
                text="Five drones entered Polish airspace, the army said.\n\nDebris from one drone was found in a barn near Hrubieszów.",
                url="https://continentalpost.example/drone-debris-barn",
                outlet="Continental Post",
                language="en",
                published=_at(5, 8, 30),
            ),
            Article(
                title="Poland scrambles jets as drones cross border",
                text="Poland scrambled fighter jets overnight as drones crossed the border (wire copy).\n\nThree drones crossed the border overnight.",
                url="https://northernledger.example/world/drones-poland",
                outlet="Northern Ledger",
                language="en",
                published=_at(5, 9, 0),
                duplicate_of=0,
            ),
        ],
        headline="Poland scrambles jets after drones cross its border",
        sentences=[
            ("Poland scrambled fighter jets overnight as drones crossed the border.", [0]),
            ("Debris from one drone was found in a barn near Hrubieszów.", [1]),
        ],
        ukrainian=UkrainianText(
            headline="Польща підняла винищувачі після того, як дрони перетнули її кордон",
            summary="Уночі Польща підняла в повітря винищувачі, коли дрони перетнули кордон. "
            "Уламки одного з дронів знайшли в стодолі біля Грубешова.",
            engine="editor",
        ),
        comparison=_drones_comparison,
    )
    return store


@pytest.fixture(scope="session")
def digest_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = build_digest_store(tmp_path_factory.mktemp("web") / "digest.db")
    yield store
    store.close()


@pytest.fixture
def client(digest_store: Store) -> TestClient:
    # As if bound to the host TestClient's requests name.
    settings = WebSettings(admin_tokens={ADMIN_TOKEN: "admin"}, bound_hosts=("testserver",))
    return TestClient(create_app(digest_store, settings))


def sample_corpus_store(path: Path) -> Store:
    """The bundled sample corpus through the real pipeline (no translator here)."""
    from ohliad.ingest import read_inputs
    from ohliad.pipeline import Pipeline

    store = Store.open(str(path))
    pipeline = Pipeline(store)
    pipeline.ingest(read_inputs([str(SAMPLE)]))
    pipeline.refresh()
    assert store.stored_stories(), "the sample corpus gave no stories"
    return store


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = sample_corpus_store(tmp_path_factory.mktemp("demo") / "demo.db")
    yield store
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, driven by Playwright (the browser tests' modules)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
