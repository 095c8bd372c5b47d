"""Re-running a story through the admin API recomputes its entry with the real
pipeline, on the sample corpus."""

from __future__ import annotations

from dataclasses import replace

from fastapi.testclient import TestClient

from ohliad.digest_json import entry_to_dict
from ohliad.pipeline import Pipeline
from ohliad.store import Store
from ohliad.store.search import stored_story
from ohliad.web import WebSettings, create_app

TOKEN = "rerun-test-token"


def test_rerun_recomputes_a_stale_entry(demo_store: Store) -> None:
    key = demo_store.stored_stories()[0].key
    before = stored_story(demo_store, key)
    assert before is not None and before.entry is not None
    summary = replace(before.entry.summary, headline="Stale headline")
    stale = replace(before.entry, summary=summary, ukrainian=None)
    members = frozenset(before.entry.article_ids)
    with demo_store.transaction() as tx:
        tx.save_entry(key, stale, members=members)

    settings = WebSettings(
        admin_tokens={TOKEN: "admin"}, open_pipeline=lambda: Pipeline(demo_store)
    )
    client = TestClient(create_app(demo_store, settings))
    assert client.get(f"/api/stories/{key}").json()["headline"]["en"] == "Stale headline"
    response = client.post(
        f"/api/admin/stories/{key}/rerun", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 200
    assert response.json() == {"key": key, "articles": len(members)}
    headline = client.get(f"/api/stories/{key}").json()["headline"]
    assert headline == entry_to_dict(before.entry)["headline"]


def test_rerun_of_an_unknown_story_is_404(demo_store: Store) -> None:
    settings = WebSettings(
        admin_tokens={TOKEN: "admin"}, open_pipeline=lambda: Pipeline(demo_store)
    )
    client = TestClient(create_app(demo_store, settings))
    response = client.post(
        "/api/admin/stories/no-such-story/rerun", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "no story 'no-such-story'"}
