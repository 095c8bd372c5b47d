"""The JSON API over a real SQLite store, through httpx (FastAPI's TestClient)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from ohliad.digest_json import entry_from_dict

CONTRACT_KEYS = {"id", "headline", "summary", "sources", "articles", "updated", "comparison"}


def test_stories_are_digest_entries_newest_first(client: TestClient) -> None:
    response = client.get("/api/stories")
    assert response.status_code == 200
    body = response.json()
    assert [s["id"] for s in body["stories"]] == ["drones-poland", "izmail-ports", "hostile"]
    assert body["next_page"] is None
    for story in body["stories"]:
        assert story.keys() >= CONTRACT_KEYS
        entry_from_dict(story)  # the contract reads back into a DigestEntry


def test_story_without_ukrainian_has_null_uk_and_a_reason(client: TestClient) -> None:
    story = client.get("/api/stories/izmail-ports").json()
    assert story["headline"]["uk"] is None
    assert story["summary"]["uk"] is None
    assert story["ukrainian_unavailable"] == "no translation engine configured"


def test_one_story_carries_its_comparison(client: TestClient) -> None:
    story = client.get("/api/stories/drones-poland").json()
    assert story["headline"]["uk"].startswith("Польща підняла винищувачі")
    assert [c["about"] for c in story["comparison"]["conflicts"]] == [
        "how many drones crossed the border"
    ]


def test_unknown_story_is_a_one_line_404(client: TestClient) -> None:
    response = client.get("/api/stories/no-such-story")
    assert response.status_code == 404
    assert response.json() == {"detail": "no story 'no-such-story'"}


def test_pagination_walks_every_story_once(digest_store: object) -> None:
    from ohliad.store import Store
    from ohliad.web import WebSettings, create_app

    assert isinstance(digest_store, Store)
    small = TestClient(create_app(digest_store, WebSettings(page_size=2)))
    first = small.get("/api/stories").json()
    assert first["next_page"] == 2
    second = small.get("/api/stories", params={"page": 2}).json()
    assert second["next_page"] is None
    ids = [s["id"] for s in first["stories"] + second["stories"]]
    assert sorted(ids) == ["drones-poland", "hostile", "izmail-ports"]


def test_filters_by_day_outlet_and_language(client: TestClient) -> None:
    def ids(**params: str) -> list[str]:
        return [s["id"] for s in client.get("/api/stories", params=params).json()["stories"]]

    assert ids(**{"from": "2026-03-04", "to": "2026-03-04"}) == ["izmail-ports"]
    assert ids(**{"from": "2026-03-04"}) == ["drones-poland", "izmail-ports"]
    assert ids(outlet="Continental Post") == ["drones-poland"]
    assert ids(language="de") == []
    assert len(ids(language="en")) == 3


def test_bad_date_is_a_clear_400(client: TestClient) -> None:
    response = client.get("/api/stories", params={"from": "5 March"})
    assert response.status_code == 400
    assert response.json()["detail"] == "from: expected a date as YYYY-MM-DD, got '5 March'"


def test_articles_with_their_story(client: TestClient) -> None:
    body = client.get("/api/articles", params={"outlet": "Northern Ledger"}).json()
    (article,) = body["articles"]
    assert article["story"] == "drones-poland"
    assert article["duplicate_of"] is not None
    one = client.get(f"/api/articles/{article['id']}").json()
    assert one == article
    assert client.get("/api/articles/999999").status_code == 404


def test_search_finds_ukrainian_and_english_text(client: TestClient) -> None:
    by_ukrainian = client.get("/api/search", params={"q": "ГРУБЕШОВ"}).json()
    assert [s["id"] for s in by_ukrainian["stories"]] == ["drones-poland"]
    assert by_ukrainian["articles"] == []  # the articles are in English
    by_english = client.get("/api/search", params={"q": "barn hrubiesz"}).json()
    assert [s["id"] for s in by_english["stories"]] == ["drones-poland"]
    assert [a["outlet"] for a in by_english["articles"]] == ["Continental Post"]


def test_search_without_words_lists_the_latest(client: TestClient) -> None:
    for params in ({}, {"q": ""}, {"q": "   "}):
        found = client.get("/api/search", params=params)
        assert found.status_code == 200
        assert found.json()["query"] == ""
        assert [s["id"] for s in found.json()["stories"]] == [
            s["id"] for s in client.get("/api/stories").json()["stories"]
        ]
    # Query syntax characters are words or nothing, never an error.
    response = client.get("/api/search", params={"q": '" OR NEAR( * -'})
    assert response.status_code == 200
    assert response.json()["stories"] == []


def test_openapi_lists_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/stories", "/api/stories/{key}", "/api/articles", "/api/search"} <= paths.keys()
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "swagger-ui" in docs.text
    assert "'sha256-" in docs.headers["content-security-policy"]


def test_the_api_docs_work_offline(client: TestClient) -> None:
    # Every asset the pages load is this server's own: path-only /static/ URLs.
    for path, asset in (("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")):
        page = client.get(path)
        assert page.status_code == 200
        links = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert links and all(link.startswith("/static/docs/") for link in links), links
        assert f"/static/docs/{asset}" in links
        for link in links:
            assert client.get(link).status_code == 200, link
        policy = page.headers["content-security-policy"]
        assert "http" not in policy.replace("https:", "")  # no CDN


def test_the_client_sets_the_page_size_within_bounds(client: TestClient) -> None:
    first = client.get("/api/stories", params={"per_page": 1}).json()
    assert (first["per_page"], len(first["stories"]), first["next_page"]) == (1, 1, 2)
    second = client.get("/api/stories", params={"per_page": 1, "page": 2}).json()
    assert second["stories"][0]["id"] != first["stories"][0]["id"]
    assert client.get("/api/articles", params={"per_page": 2}).json()["per_page"] == 2
    for bad in (0, 101, "many"):
        refused = client.get("/api/stories", params={"per_page": bad})
        assert refused.status_code == 422
        assert set(refused.json()) == {"detail"}


def test_a_wrong_method_is_405_with_allow(client: TestClient) -> None:
    response = client.post("/api/stories")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert set(response.json()) == {"detail"}


def test_answers_are_compressed_and_carry_etags(client: TestClient) -> None:
    response = client.get("/api/stories", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    tag = response.headers["etag"]
    again = client.get("/api/stories", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag
    other = client.get("/api/stories", params={"per_page": 1}, headers={"If-None-Match": tag})
    assert other.status_code == 200 and other.headers["etag"] != tag


def test_the_openapi_document_shows_the_real_error_body_and_date_formats(
    client: TestClient,
) -> None:
    document = client.get("/openapi.json").json()
    stories = document["paths"]["/api/stories"]["get"]
    for status in ("400", "403", "404", "422", "429"):
        schema = stories["responses"][status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorBody"}
    assert "HTTPValidationError" not in document["components"]["schemas"]
    dates = {p["name"]: p["schema"] for p in stories["parameters"] if p["name"] in ("from", "to")}
    assert all("date" in str(schema) for schema in dates.values()), dates
