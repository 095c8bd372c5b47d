"""Security of the web app: escaping, headers, read-only public views, the
admin token, cross-site forms, request size and rate limits."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from ohliad.settings import Settings
from ohliad.store import Store
from ohliad.web import WebSettings, create_app, web_settings
from tests.web.conftest import ADMIN_TOKEN, XSS_SCRIPT

PAGES = ["/", "/?lang=en", "/stories/hostile", "/stories/hostile?lang=en", "/search?q=mayor"]


def test_article_markup_is_escaped_on_every_page(client: TestClient) -> None:
    for page in PAGES:
        html = client.get(page).text
        assert XSS_SCRIPT not in html, page
        assert "<img" not in html, page
        assert "<style>" not in html, page
        assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in html, page
    story = client.get("/stories/hostile").text
    assert 'href="javascript:' not in story


def test_the_only_scripts_are_the_apps_own_file(client: TestClient) -> None:
    html = client.get("/stories/hostile").text
    assert html.count("<script") == 1
    assert '<script src="/static/app.js" defer></script>' in html


def test_content_security_policy_forbids_inline_code(client: TestClient) -> None:
    for path in ["/", "/stories/drones-poland", "/api/stories", "/feeds/rss.xml"]:
        response = client.get(path)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self';" in policy
        assert "style-src 'self';" in policy
        assert "unsafe-inline" not in policy
        assert response.headers["x-content-type-options"] == "nosniff"


def test_public_views_are_read_only(client: TestClient) -> None:
    for path in ["/", "/api/stories", "/api/stories/drones-poland", "/feeds/rss.xml"]:
        assert client.post(path).status_code == 405
        assert client.delete(path).status_code == 405


def test_admin_actions_need_the_token(client: TestClient, digest_store: Store) -> None:
    feed = {"url": "https://outlet.example/rss.xml", "outlet": "Outlet", "language": "en"}
    assert client.post("/api/admin/feeds", json=feed).status_code == 401
    wrong = {"Authorization": "Bearer not-the-token"}
    assert client.post("/api/admin/feeds", json=feed, headers=wrong).status_code == 401
    right = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    response = client.post("/api/admin/feeds", json=feed, headers=right)
    assert response.status_code == 201
    assert response.json()["url"] == feed["url"]
    from ohliad.store import FeedStore

    assert feed["url"] in [f.url for f in FeedStore(digest_store).feeds()]


def test_admin_refuses_script_urls(client: TestClient) -> None:
    right = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    response = client.post("/api/admin/feeds", json={"url": "javascript:alert(1)"}, headers=right)
    assert response.status_code == 422
    assert response.json()["detail"] == "url: not an http(s) address: 'javascript:alert(1)'"


def test_admin_is_off_without_a_configured_token(digest_store: Store) -> None:
    app = TestClient(create_app(digest_store, WebSettings()))
    response = app.post(
        "/api/admin/feeds",
        json={"url": "https://outlet.example/rss.xml"},
        headers={"Authorization": "Bearer "},
    )
    assert response.status_code == 403
    assert "OHLIAD_ADMIN_TOKEN" in response.json()["detail"]


def test_admin_forms_refuse_a_foreign_origin(client: TestClient) -> None:
    form = {"token": ADMIN_TOKEN, "url": "https://outlet.example/other.xml"}
    forged = client.post("/admin/feeds", data=form, headers={"Origin": "https://attacker.example"})
    assert forged.status_code == 403
    same_site = client.post(
        "/admin/feeds",
        data=form,
        headers={"Origin": "http://testserver"},
        follow_redirects=False,
    )
    assert same_site.status_code == 303
    without_token = client.post(
        "/admin/feeds", data={**form, "token": "guess"}, headers={"Origin": "http://testserver"}
    )
    assert without_token.status_code == 401


def test_rerun_without_the_pipeline_is_a_clear_503(client: TestClient) -> None:
    response = client.post(
        "/api/admin/stories/drones-poland/rerun",
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    )
    assert response.status_code == 503
    assert "ohliad serve" in response.json()["detail"]


def test_request_bodies_over_the_limit_are_refused(digest_store: Store) -> None:
    app = TestClient(
        create_app(
            digest_store, WebSettings(admin_tokens={ADMIN_TOKEN: "admin"}, max_body_bytes=1000)
        )
    )
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    big = {"url": "https://outlet.example/" + "a" * 5000}
    response = app.post("/api/admin/feeds", json=big, headers=headers)
    assert response.status_code == 413

    def chunks() -> object:
        yield b'{"url": "https://outlet.example/'
        yield b"a" * 5000
        yield b'"}'

    streamed = app.post(
        "/api/admin/feeds",
        content=chunks(),
        headers={**headers, "Content-Type": "application/json"},
    )
    assert streamed.status_code == 413


def test_rate_limit_per_client(digest_store: Store) -> None:
    # One request per hour after a burst of three: the fourth is refused.
    app = TestClient(create_app(digest_store, WebSettings(rate_per_minute=1, rate_burst=3)))
    statuses = [app.get("/api/stories").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = app.get("/api/stories")
    assert refused.json() == {"detail": "too many requests: slow down"}
    assert int(refused.headers["retry-after"]) > 0
    assert "content-security-policy" in refused.headers


def _statuses_forwarded_for(app: TestClient, forwarded_for: list[str]) -> list[int]:
    return [
        app.get("/api/stories", headers={"X-Forwarded-For": value}).status_code
        for value in forwarded_for
    ]


def test_forwarding_headers_are_believed_only_from_configured_proxies(
    digest_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Settings as an operator writes them; no config file around.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    proxied = Settings.load(environ={"OHLIAD_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"})
    assert [str(p) for p in proxied.trusted_proxies] == ["127.0.0.1/32", "10.0.0.0/8"]

    def client(settings: Settings, address: str = "127.0.0.1") -> TestClient:
        limited = replace(web_settings(settings, digest_store), rate_per_minute=1, rate_burst=2)
        return TestClient(create_app(digest_store, limited), client=(address, 50000))

    three_claims = ["203.0.113.1", "203.0.113.2", "203.0.113.3"]
    # No proxy configured: one client, whatever it claims.
    assert _statuses_forwarded_for(client(Settings()), three_claims) == [200, 200, 429]
    # Loopback is a configured proxy: three clients.
    assert _statuses_forwarded_for(client(proxied), three_claims) == [200, 200, 200]
    # Through two trusted proxies (loopback and 10.1.2.3) the client is
    # 203.0.113.9; what it wrote in front of its address is not believed.
    chain = [f"198.51.100.{n}, 203.0.113.9, 10.1.2.3" for n in range(3)]
    assert _statuses_forwarded_for(client(proxied), chain) == [200, 200, 429]
    # A client that is no trusted proxy cannot speak for others.
    assert _statuses_forwarded_for(client(proxied, "192.0.2.5"), three_claims) == [200, 200, 429]


SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options")


def _one_line_error(response: httpx.Response) -> str:
    """The error's message, after checking that it is one line and carries
    the security headers."""
    for name in SECURITY_HEADERS:
        assert name in response.headers, (response.url, response.status_code, name)
    if response.headers["content-type"].startswith("text/html"):
        assert 'class="error-message"' in response.text
        message = response.text.split('class="error-message">')[1].split("</h1>")[0]
    else:
        message = response.json()["detail"]
    assert message and "\n" not in message, message
    return str(message)


def test_ids_beyond_the_databases_integers_are_refused(client: TestClient) -> None:
    response = client.get("/api/articles/99999999999999999999")
    assert response.status_code == 422
    assert _one_line_error(response).startswith("article_id: ")
    assert client.get("/api/articles/0").status_code == 422
    assert client.get("/api/articles/9223372036854775807").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/digest/9999-12-31.md",
        "/digest/0001-01-01.json",
        "/?from=0001-01-01&to=9999-12-31",
        "/api/stories?from=9999-12-31",
        "/api/articles?to=9999-12-31",
        "/search?q=drones&from=0001-01-01&to=9999-12-31",
    ],
)
def test_the_first_and_last_days_of_the_calendar_are_days_like_others(
    client: TestClient, path: str
) -> None:
    assert client.get(path).status_code == 200


def test_all_time_holds_every_story(client: TestClient) -> None:
    stories = client.get("/api/stories?from=0001-01-01&to=9999-12-31").json()["stories"]
    assert len(stories) == 3
    assert client.get("/api/stories?from=9999-12-31").json()["stories"] == []


def test_every_error_carries_the_security_headers(digest_store: Store) -> None:
    app = TestClient(
        create_app(
            digest_store,
            WebSettings(
                admin_tokens={ADMIN_TOKEN: "admin"},
                max_body_bytes=100,
                rate_per_minute=1,
                rate_burst=7,
            ),
        )
    )
    html = {"Accept": "text/html"}
    answers = [
        (app.get("/no-such-page", headers=html), 404),
        (app.get("/api/stories/no-such-story"), 404),
        (app.get("/api/articles/not-a-number"), 422),
        (app.get("/api/stories", params={"from": "5 March"}), 400),
        (app.get("/feeds/rss.xml", headers={"Host": "attacker.example"}), 400),
        (app.post("/api/admin/feeds", json={"url": "https://a.example/" + "a" * 200}), 413),
        (app.post("/api/admin/feeds", json={"url": "https://a.example/"}), 401),
    ]
    answers.append((app.get("/api/stories"), 429))
    for response, status in answers:
        assert response.status_code == status, response.url
        _one_line_error(response)


def test_a_server_error_is_one_line_with_the_security_headers(tmp_path: Path) -> None:
    db = tmp_path / "broken.db"
    Store.open(str(db)).close()
    # A database that lost a table: the app's queries fail for real.
    with sqlite3.connect(db) as connection:
        connection.execute("ALTER TABLE stories RENAME TO stories_lost")
    store = Store.open(str(db))
    app = TestClient(create_app(store, WebSettings()), raise_server_exceptions=False)
    for headers in ({}, {"Accept": "text/html"}):
        response = app.get("/", headers=headers)
        assert response.status_code == 500
        assert _one_line_error(response) == "internal error: the server could not answer"
    store.close()
