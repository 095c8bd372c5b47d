"""The desk's routes without a browser: signing in, what a session admits,
forged and cross-site requests, and what the public sees with review on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ohliad.review import edition_title
from ohliad.store import Store
from ohliad.store.reviews import ReviewStore, TextChange
from ohliad.web import WebSettings, create_app
from ohliad.web.desk import COOKIE, session_cookie, session_holder
from tests.web.conftest import sample_corpus_store

TOKENS = {"olena-token-1": "olena", "taras-token-2": "taras"}


@pytest.fixture
def sample_store(tmp_path: Path) -> Iterator[Store]:
    store = sample_corpus_store(tmp_path / "desk.db")
    yield store
    store.close()


def _client(store: Store, **settings: object) -> TestClient:
    return TestClient(
        create_app(
            store,
            WebSettings(admin_tokens=TOKENS, bound_hosts=("testserver",), **settings),  # type: ignore[arg-type]
        )
    )


def _signed_in(client: TestClient, token: str = "olena-token-1") -> TestClient:
    answer = client.post("/desk/login", data={"token": token}, follow_redirects=False)
    assert answer.status_code == 303
    return client


def test_a_session_names_its_editor_and_ends(sample_store: Store) -> None:
    settings = WebSettings(admin_tokens=TOKENS)
    cookie = session_cookie(settings, "taras-token-2", now=1000.0)
    assert cookie is not None
    assert session_holder(settings, cookie, now=1001.0) == "taras"
    assert session_holder(settings, cookie, now=1000.0 + 13 * 3600) is None  # expired
    forged = cookie.replace(cookie.split(".")[0], "b2xlbmE=")  # "olena", taras's signature
    assert session_holder(settings, forged, now=1001.0) is None
    renamed = WebSettings(admin_tokens={"another-token": "taras"})
    assert session_holder(renamed, cookie, now=1001.0) is None  # a changed token ends it
    assert session_cookie(settings, "not-a-token") is None


def test_the_desk_asks_for_a_token_and_a_wrong_one_is_refused(sample_store: Store) -> None:
    client = _client(sample_store)
    assert 'name="token"' in client.get("/desk").text
    wrong = client.post("/desk/login", data={"token": "guess"}, follow_redirects=False)
    assert wrong.status_code == 401 and COOKIE not in wrong.cookies
    signed = _signed_in(client)
    page = signed.get("/desk?day=all")
    assert page.status_code == 200 and "olena" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert 'class="desk-row' in page.text
    cookie = signed.cookies.get(COOKIE)
    assert cookie is not None
    set_cookie = signed.post(
        "/desk/login", data={"token": "olena-token-1"}, follow_redirects=False
    ).headers["set-cookie"]
    assert (
        "HttpOnly" in set_cookie and "SameSite=strict" in set_cookie and "Path=/desk" in set_cookie
    )


def test_no_change_without_a_session_or_from_another_site(sample_store: Store) -> None:
    key = ReviewStore(sample_store).queue()[0].key
    anonymous = _client(sample_store)
    refused = anonymous.post(f"/desk/stories/{key}/decide", data={"action": "reject"})
    assert refused.status_code == 401
    signed = _signed_in(_client(sample_store))
    foreign = signed.post(
        f"/desk/stories/{key}/decide",
        data={"action": "reject"},
        headers={"Origin": "https://evil.example"},
    )
    assert foreign.status_code == 403
    assert ReviewStore(sample_store).entry(key).review.status == "draft"


def test_an_edit_from_the_form_records_its_editor_and_shows_suggestions(
    sample_store: Store,
) -> None:
    desk = ReviewStore(sample_store)
    key = desk.queue()[0].key
    client = _signed_in(_client(sample_store), "taras-token-2")
    draft = desk.entry(key).draft
    saved = client.post(
        f"/desk/stories/{key}/edit",
        data={
            "headline_uk": "Блинкен прибув до Києва",
            "summary_uk": "Зустріч тривала годину. Сторони домовилися про нову зустріч.",
            "headline_en": draft.summary.headline,
            "summary_en": draft.summary.text,
            "keep": [str(s.article_id) for s in draft.sources],
        },
    )
    assert saved.status_code == 200
    assert "Блінкен" in saved.text  # the checker's suggestion
    found = desk.entry(key)
    assert found.review.updated_by == "taras" and found.review.edited
    assert found.edit.headline_en is None  # left as the machine wrote it: no edit
    approved = client.post(f"/desk/stories/{key}/decide", data={"action": "approve"})
    assert approved.status_code == 200
    assert desk.entry(key).review.status == "approved"


def test_with_review_on_the_public_sees_only_what_an_editor_approved(sample_store: Store) -> None:
    desk = ReviewStore(sample_store)
    keys = [e.key for e in desk.queue()]
    client = _client(sample_store, review=True)
    assert client.get("/api/stories").json()["stories"] == []
    assert client.get(f"/stories/{keys[0]}").status_code == 404
    assert client.get(f"/api/stories/{keys[0]}").status_code == 404
    desk.edit(
        keys[0],
        TextChange(headline_uk="Заголовок редактора", summary_uk="Підсумок редактора."),
        by="olena",
    )
    desk.decide(keys[0], "approved", by="olena")
    edition = desk.publish(by="olena", day=desk.entry(keys[0]).day)
    assert edition.new == (keys[0],)
    listed = client.get("/api/stories").json()["stories"]
    assert [s["id"] for s in listed] == [keys[0]]
    assert listed[0]["headline"]["uk"] == "Заголовок редактора"
    assert listed[0]["review"]["status"] == "published"
    assert "Заголовок редактора" in client.get("/feeds/rss.xml").text
    day = client.get(f"/digest/{edition.day.isoformat()}.md").text
    assert day.startswith(f"# {edition_title(edition.day)}")
    assert "### *Заголовок редактора*" in day and "Порівняння" not in day
    # Off (the default), every entry shows, as before.
    assert len(_client(sample_store).get("/api/stories").json()["stories"]) == len(keys)
