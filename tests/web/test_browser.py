"""The web app in a real browser: Debian's Chromium driven by Playwright,
against a real uvicorn server on 127.0.0.1. The tests assert what a person
sees. Screenshots of the front page and a story page are taken on the sample
corpus; they are kept in $OHLIAD_SCREENSHOTS_DIR when it is set (``make
screenshots`` sets docs/screenshots), else in a temporary folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from ohliad.store import Store
from tests.web.live import ADMIN_TOKEN, BROWSER_MARKS, serving

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def server(digest_store: Store) -> Iterator[str]:
    with serving(digest_store) as url:
        yield url


@pytest.fixture
def dialogs() -> list[str]:
    return []


@pytest.fixture
def console_errors() -> list[str]:
    """Script errors and policy (CSP) violations the browser reports."""
    return []


@pytest.fixture
def page(
    browser: Browser, server: str, dialogs: list[str], console_errors: list[str]
) -> Iterator[Page]:
    context = browser.new_context(
        base_url=server,
        viewport={"width": 1200, "height": 900},
        locale="uk-UA",
        timezone_id="Europe/Kyiv",
    )
    # Source links point at outlets on the internet: answer them locally instead.
    context.route(
        "https://**/*",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body="<title>Outlet page</title><h1>Outlet page</h1>",
        ),
    )
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    yield page
    context.close()


def test_front_page_shows_ukrainian_first_with_english_one_click_away(page: Page) -> None:
    page.goto("/")
    first = page.locator("article.card").first
    expect(first.locator("h2")).to_have_text(
        "Польща підняла винищувачі після того, як дрони перетнули її кордон"
    )
    expect(first.locator(".source-count")).to_have_text("3 джерела")
    expect(first.locator(".outlets")).to_have_text("Baltic Wire, Continental Post, Northern Ledger")
    english = first.locator("details.alternate")
    expect(english.locator(".alternate-headline")).to_be_hidden()
    english.locator("summary").click()
    expect(english.locator(".alternate-headline")).to_have_text(
        "Poland scrambles jets after drones cross its border"
    )
    expect(english.locator(".alternate-headline")).to_be_visible()
    expect(page.locator(".updated")).to_contain_text("Оновлено")


def test_story_without_ukrainian_says_so_instead_of_passing_english_off(page: Page) -> None:
    page.goto("/")
    card = page.locator("article.card", has_text="Izmail")
    # One notice for the page; the card carries a short language tag.
    expect(page.locator("main .notice")).to_have_count(1)
    expect(page.locator("main > .notice")).to_have_text(
        "Частина сюжетів без українського тексту: їх показано англійською."
    )
    expect(card.locator(".language-tag")).to_have_text("англійською")
    expect(page.locator("main")).not_to_contain_text("translation engine")
    expect(card).to_have_attribute("lang", "en")


def test_open_a_story_and_read_its_sources_comparison_and_timeline(
    page: Page, console_errors: list[str]
) -> None:
    page.goto("/")
    page.get_by_role("link", name="Польща підняла винищувачі").click()
    expect(page).to_have_url(f"{page.url.split('/stories/')[0]}/stories/drones-poland?lang=uk")
    expect(page.locator("h1")).to_have_text(
        "Польща підняла винищувачі після того, як дрони перетнули її кордон"
    )
    sources = page.locator(".source-grid article.source")
    expect(sources).to_have_count(3)
    expect(sources.nth(2)).to_contain_text("копія матеріалу Baltic Wire")
    text = sources.nth(1).locator("details.source-text p").first
    expect(text).to_be_hidden()
    sources.nth(1).locator("details.source-text summary").click()
    expect(text).to_have_text("Five drones entered Polish airspace, the army said.")
    conflict = page.locator(".conflict")
    expect(conflict).to_contain_text("how many drones crossed the border")
    expect(conflict.locator(".badge")).to_have_text("кількість")
    expect(conflict.locator(".side-value")).to_have_text(["three drones", "five drones"])
    expect(conflict.locator("q")).to_have_text(
        [
            "Three drones crossed the border overnight.",
            "Five drones entered Polish airspace, the army said.",
        ]
    )
    timeline = page.locator(".timeline li")
    expect(timeline).to_have_count(3)
    expect(timeline.first).to_contain_text("Baltic Wire")
    expect(timeline.first).to_contain_text("перше повідомлення")
    sentence = page.locator(".sentences li").nth(1)
    expect(sentence.locator("a.chip")).to_have_text("Continental Post")
    # The app's own script runs under the policy (it adds this button).
    expect(page.locator(".toggle-texts")).to_have_text("Розгорнути всі тексти")
    assert console_errors == []


def test_switch_language_to_english(page: Page) -> None:
    page.goto("/stories/drones-poland")
    page.get_by_role("link", name="English", exact=True).click()
    expect(page.locator("h1")).to_have_text("Poland scrambles jets after drones cross its border")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".story-head details.alternate summary")).to_have_text("Українською")
    expect(page.locator("#h-sources")).to_have_text("Sources")


def test_search_finds_a_story_and_its_article(page: Page) -> None:
    page.goto("/")
    box = page.get_by_role("searchbox", name="Пошук")
    box.fill("Грубешов")
    box.press("Enter")
    expect(page.locator("h1")).to_have_text("Пошук: Грубешов")
    expect(page.locator("article.card h2")).to_have_text(
        ["Польща підняла винищувачі після того, як дрони перетнули її кордон"]
    )
    box = page.get_by_role("searchbox", name="Пошук")
    box.fill("barn")
    box.press("Enter")
    hit = page.locator(".article-hits li a")
    expect(hit).to_have_text(["Drone debris found in a barn in eastern Poland"])
    hit.click()
    expect(page).to_have_url(re.compile(r"/stories/drones-poland\?lang=uk#source-\d+$"))
    target = page.locator("article.source:target")
    expect(target).to_be_in_viewport()
    expect(target.locator(".source-outlet strong")).to_have_text("Continental Post")


def test_follow_a_source_link(page: Page) -> None:
    page.goto("/stories/drones-poland")
    page.get_by_role("link", name="Drone debris found in a barn in eastern Poland").first.click()
    expect(page).to_have_url("https://continentalpost.example/drone-debris-barn")
    expect(page.locator("h1")).to_have_text("Outlet page")


def test_hostile_article_text_renders_inert(
    page: Page, dialogs: list[str], console_errors: list[str]
) -> None:
    for path in ["/", "/stories/hostile", "/stories/hostile?lang=en", "/search?q=mayor"]:
        page.goto(path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__xss") is None, path
        assert page.locator("main img, main style, main script").count() == 0, path
    assert dialogs == []
    assert console_errors == []  # nothing even tried to run and was blocked
    # The payloads show as the text they are.
    expect(page.locator("article.card h2").first).to_contain_text("<script>window.__xss")
    page.goto("/stories/hostile")
    expect(page.locator("h1")).to_have_text(
        "Мер заперечує повідомлення <script>window.__xss = 1</script>"
    )
    link = page.locator(".source-title a")
    expect(link).to_have_count(0)  # a javascript: URL never becomes a link


def _screenshot_folder(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("OHLIAD_SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_screenshot_of_a_story_in_ukrainian(page: Page, tmp_path: Path) -> None:
    """The fixture's story, whose Ukrainian an editor wrote: the Ukrainian-first layout."""
    page.goto("/stories/drones-poland")
    page.locator(".sources details.source-text").nth(1).locator("summary").click()
    page.set_viewport_size({"width": 1200, "height": 1500})
    path = _screenshot_folder(tmp_path) / "story-page-ukrainian.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000


def test_screenshots_of_the_demo_digest(
    browser: Browser, demo_store: Store, tmp_path: Path
) -> None:
    """The sample corpus through the real pipeline, as ``ohliad serve`` shows it."""
    folder = _screenshot_folder(tmp_path)
    # The story with the most sources shows the most of the page.
    widest = max(
        (s.entry for s in demo_store.stored_stories() if s.entry),
        key=lambda entry: len(entry.sources),
    )
    with serving(demo_store) as url:
        context = browser.new_context(
            base_url=url, viewport={"width": 1200, "height": 900}, locale="uk-UA"
        )
        page = context.new_page()
        page.goto("/")
        cards = page.locator("article.card")
        expect(cards).to_have_count(len(demo_store.stored_stories()))
        card = cards.filter(has=page.locator(f'a[href^="/stories/{widest.story_id}?"]'))
        expect(card.locator("h2")).to_have_text(widest.summary.headline)
        page.screenshot(path=str(folder / "front-page.png"))
        card.locator("h2 a").click()
        expect(page.locator("h1")).to_have_text(widest.summary.headline)
        expect(page.locator(".source-grid article.source")).to_have_count(len(widest.sources))
        page.set_viewport_size({"width": 1200, "height": 1900})
        page.screenshot(path=str(folder / "story-page.png"))
        context.close()
    assert (folder / "front-page.png").stat().st_size > 10_000
    assert (folder / "story-page.png").stat().st_size > 10_000


def test_the_api_docs_render_offline(page: Page, console_errors: list[str]) -> None:
    # What came from elsewhere: the CSP blocks ReDoc's "powered by" logo from its
    # CDN before it is fetched (and ReDoc then hides it).
    fetched: list[str] = []
    page.on("response", lambda response: fetched.append(response.url))
    page.goto("/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("ohliad")
    expect(page.locator(".opblock").first).to_be_visible()
    page.goto("/redoc")
    expect(page.locator("h1").first).to_contain_text("ohliad")
    origin = page.url.split("/redoc")[0]
    assert [u for u in fetched if not u.startswith((origin, "data:", "blob:"))] == []
    assert [e for e in console_errors if "cdn.redoc.ly" not in e] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_have_no_accessibility_violations(page: Page, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.emulate_media(color_scheme=scheme)
    axe = Axe()
    for path in ("/", "/?lang=en", "/stories/drones-poland", "/search?q=drone", "/admin"):
        page.goto(path)
        found = axe.run(page).response["violations"]
        described = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in found
        ]
        assert described == [], f"{path} in {scheme}: {described}"


def test_a_card_shows_that_its_sources_conflict_and_the_skip_link_works(page: Page) -> None:
    page.goto("/")
    card = page.locator("article.card", has_text="Польща підняла винищувачі")
    expect(card.locator(".conflict-badge")).to_have_text(re.compile(r"^\d+ розбіжн"))
    expect(
        page.locator("article.card", has_text="Izmail").locator(".conflict-badge")
    ).to_have_count(0)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()
    assert page.locator("link[rel=icon]").get_attribute("href") == "/static/favicon.svg"
    assert page.request.get("/static/favicon.svg").status == 200


def test_on_a_phone_the_first_story_is_visible_without_scrolling(
    browser: Browser, server: str
) -> None:
    context = browser.new_context(base_url=server, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto("/")
    first = page.locator("article.card").first.locator("h2")
    box = first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, box
    context.close()


def test_the_admin_form_adds_a_feed_from_a_real_browser(page: Page) -> None:
    # A browser sends the form's Origin only if the referrer policy lets it
    # ("no-referrer" made it "null", which the Origin check refused).
    page.goto("/admin")
    form = page.locator("form[action='/admin/feeds']")
    form.get_by_label("Feed URL").fill("https://outlet.example/feed.xml")
    form.get_by_label("Admin token").fill(ADMIN_TOKEN)
    form.get_by_role("button", name="Add feed").click()
    expect(page.locator(".notice.ok")).to_contain_text("feed-")
