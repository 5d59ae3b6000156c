"""One smoke test in a real browser: Debian's headless Chromium driven by Playwright.

Logs in, waits for both charts to draw, switches to English, and leaves screenshots of
both languages in test-artifacts/ for a person to look at.
"""
import os
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("TWINTRACK_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}: apt-get install chromium (never `playwright install`)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"],
        )
        yield browser
        browser.close()


def wait_for_charts(page):
    for chart in ("#chart-cumulative", "#chart-ranking"):
        page.wait_for_selector(f"{chart} canvas", state="attached", timeout=15_000)


# The database fixtures come before live_server: the (session-wide) live server is then stopped
# before PostgreSQL's test database is dropped, not after.
def test_log_in_see_the_charts_and_switch_to_english(bureau_user, password, live_server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1360, "height": 1000}, locale="zh-CN")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(live_server.url + "/")
    assert "/login/" in page.url
    page.fill("input[name=username]", "bureau")
    page.fill("input[name=password]", password)
    page.click("button[type=submit].button-primary")

    page.wait_for_selector("h1:has-text('嘉兴市')")
    wait_for_charts(page)
    assert page.locator(".card").count() == 3  # the fixture has no CO2 figures, so no CO2 card
    assert "技改投资" in page.inner_text(".cards")
    page.wait_for_timeout(800)  # let the charts' entry animation finish before the picture
    page.screenshot(path=str(ARTIFACTS / "dashboard-zh.png"), full_page=True)

    page.click(".metric-tabs .tab[data-metric=investment_yuan]")
    assert page.get_attribute(".metric-tabs .tab[data-metric=investment_yuan]", "aria-selected") == "true"

    page.click(".lang-switch button[value=en]")
    page.wait_for_selector("h1:has-text('Jiaxing')")
    wait_for_charts(page)
    assert "Technological-transformation investment" in page.inner_text(".cards")
    assert page.locator("html").get_attribute("lang") == "en"
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "dashboard-en.png"), full_page=True)

    page.click("a:has-text('Nanhu District')")  # drill down, still in English
    page.wait_for_selector("h1:has-text('Nanhu District')")
    wait_for_charts(page)
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "dashboard-en-nanhu.png"), full_page=True)
    assert errors == []
