"""The desk in a real browser (Debian's Chromium, Playwright, a real uvicorn
server): the whole flow an editor goes through, draft → edit → approve →
publish, and what the public then sees with review on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from ohliad.store import Store
from tests.web.conftest import sample_corpus_store
from tests.web.live import ADMIN_TOKEN, BROWSER_MARKS, serving

pytestmark = BROWSER_MARKS

HEADLINE_UK = "Вантажівки з допомогою чекають на кордоні"
SUMMARY_UK = (
    "Сотні вантажівок із гуманітарною допомогою чекають на кордоні. "
    "Видання по-різному називають їхню кількість."
)


@pytest.fixture(scope="module")
def desk_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = sample_corpus_store(tmp_path_factory.mktemp("desk") / "desk.db")
    yield store
    store.close()


@pytest.fixture(scope="module")
def server(desk_store: Store) -> Iterator[str]:
    with serving(desk_store, review=True, desk_timezone="Europe/Kyiv") as url:
        yield url


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=server, locale="uk-UA", timezone_id="Europe/Kyiv")
    page = context.new_page()
    yield page
    context.close()


def _sign_in(page: Page) -> None:
    page.goto("/desk?day=all")
    page.get_by_label("Токен адміністратора").fill(ADMIN_TOKEN)
    page.get_by_role("button", name="Увійти").click()
    expect(page.locator(".desk-who")).to_contain_text("admin")


def test_draft_edit_approve_publish_in_the_browser(page: Page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    # The public sees nothing before an editor approves.
    page.goto("/")
    expect(page.locator("article.card")).to_have_count(0)

    _sign_in(page)
    page.goto("/desk?day=all")
    rows = page.locator("tr.desk-row")
    expect(rows.first).to_be_visible()
    expect(page.locator(".badge.conflict").first).to_be_visible()  # conflicts flagged
    assert Axe().run(page).response["violations"] == []

    rows.first.locator("a").click()
    expect(page.locator(".desk-preview")).to_be_visible()
    expect(page.locator(".comparison")).to_be_visible()
    page.get_by_label("Заголовок українською").fill("Блинкен: " + HEADLINE_UK)
    page.get_by_label("Підсумок українською (3–6 речень)").fill(SUMMARY_UK)
    page.get_by_role("button", name="Зберегти правку").click()
    expect(page.locator(".notice.ok")).to_be_visible()
    expect(page.locator(".desk-suggestions")).to_contain_text("Блінкен")
    expect(page.locator(".desk-preview")).to_contain_text("### *Блинкен: " + HEADLINE_UK + "*")

    page.get_by_label("Заголовок українською").fill(HEADLINE_UK)
    page.get_by_role("button", name="Зберегти правку").click()
    expect(page.locator(".desk-suggestions")).not_to_contain_text("Блінкен")
    assert Axe().run(page).response["violations"] == []

    page.get_by_role("button", name="Ухвалити").click()
    expect(page.locator(".page-head .badge.status")).to_have_text("ухвалено")

    page.goto("/desk?day=all")
    page.get_by_role("button", name="Опублікувати випуск").click()
    notice = page.locator(".notice.ok")
    expect(notice).to_contain_text("Опубліковано випуск")
    notice.get_by_role("link").click()
    body = page.locator("body")
    expect(body).to_contain_text(f"### *{HEADLINE_UK}*")
    expect(body).to_contain_text(f"*{SUMMARY_UK}*")

    # The public now sees the published entry, in the editor's words.
    page.goto("/")
    cards = page.locator("article.card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(HEADLINE_UK)


def test_signing_out_ends_the_session(page: Page) -> None:
    _sign_in(page)
    page.get_by_role("button", name="Вийти").click()
    expect(page.get_by_label("Токен адміністратора")).to_be_visible()
