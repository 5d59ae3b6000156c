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


def log_in(page, base: str, username: str, password: str) -> None:
    page.goto(base + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].button-primary")
    page.wait_for_load_state("load")


def write_progress_file(path: Path, template: Path, rows: list[tuple]) -> None:
    """Fill the downloaded (pre-filled) template with these rows instead of the listed ones, as a
    district officer does in Excel: (project code, month, investment, energy, note)."""
    from openpyxl import load_workbook

    book = load_workbook(template)
    sheet = book["进度"]
    sheet.delete_rows(2, sheet.max_row)
    header = [c.value for c in sheet[1]]
    columns = [header.index(name) + 1 for name in ("项目编号*", "月份*", "完成投资（元）*", "节能量（吨标准煤）", "备注")]
    for number, row in enumerate(rows, start=2):
        for column, value in zip(columns, row):
            sheet.cell(row=number, column=column).value = value
    book.save(path)


def test_the_monthly_cycle_in_the_browser(world, password, live_server, job_worker, browser, tmp_path):
    """A district officer downloads a template, uploads a file with errors, sees them, fixes it,
    imports it and submits the month; the bureau approves it; the locked month refuses an edit;
    the dashboard shows the new figures. Screenshots in test-artifacts/monthly-*.png."""
    from openpyxl import load_workbook

    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    context = browser.new_context(viewport={"width": 1360, "height": 1000}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" or "Content Security Policy" in message.text else None)

    # 1. The district officer logs in and downloads the progress template.
    log_in(page, base, "nanhu", password)
    page.goto(base + "/monthly/?period=2023-08")
    with page.expect_download() as download:
        page.click("a[data-kind=progress]")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    sheet = load_workbook(template)["进度"]
    assert [c.value for c in sheet[1]][:4] == ["项目编号*", "项目名称", "企业名称", "月份*"]
    assert sheet.data_validations is not None

    # 2. A file with errors: a month that does not exist, another district's project, a negative amount.
    bad = tmp_path / "progress-2023-08.xlsx"
    write_progress_file(bad, template, [("P1", "2023-08", 5000000, 150, "8月"), ("P2", "2023-13", 1000000, None, ""),
                                        ("P3", "2023-08", 2000000, None, ""), ("P2", "2023-08", -5, None, "")])
    page.select_option("#upload-kind", "progress")
    page.set_input_files("#upload-file", str(bad))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#problems", timeout=90_000)  # the check runs in the worker; the page refreshes until it is done
    table = page.inner_text("#problems")
    headings = [page.inner_text(f"#problems tbody tr:nth-child({n}) td:nth-child(2)") for n in (1, 2, 3)]
    assert set(headings) <= {"项目编号*", "月份*", "完成投资（元）*"} and "project_code" not in table
    assert page.locator("#problems tbody tr").count() == 3
    assert "2023-13" in table and '"P3"' in table and "-5" in table
    assert page.locator("#preview td.cell-bad").count() == 3
    page.screenshot(path=str(ARTIFACTS / "monthly-1-errors.png"), full_page=True)

    # 3. Fixed: only Nanhu's projects, valid values; preview, then confirm.
    page.click("#discard-upload")
    good = tmp_path / "progress-2023-08-fixed.xlsx"
    write_progress_file(good, template, [("P1", "2023-08", 5000000, 150, "8月"), ("P2", "2023-08", 1000000, None, "")])
    page.set_input_files("#upload-file", str(good))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#confirm-import", timeout=90_000)
    assert "2" in page.inner_text("#preview-summary")
    page.screenshot(path=str(ARTIFACTS / "monthly-2-preview.png"), full_page=True)
    page.click("#confirm-import")
    page.wait_for_selector(".alert-success", timeout=90_000)  # the import ran in the worker; back on the month page
    assert "period=2023-08" in page.url

    # 4. The zone below Nanhu is approved by Nanhu's officer; Nanhu submits its month.
    page.goto(base + "/approvals/?period=2023-08")
    page.click("tr[data-unit=NHGX] form[action*=submit] button")
    page.click("tr[data-unit=NHGX] form[action*=approve] button")
    page.wait_for_selector("tr[data-unit=NHGX] .badge-approved")
    page.goto(base + "/monthly/?period=2023-08")
    page.click("#submit-month")
    page.click("#confirm-submit")
    page.wait_for_selector(".month-status .badge-submitted")
    page.screenshot(path=str(ARTIFACTS / "monthly-3-submitted.png"), full_page=True)

    # 5. The bureau approves Nanhu's month.
    page.click("form.logout button")
    log_in(page, base, "bureau", password)
    page.goto(base + "/approvals/?period=2023-08")
    page.click("tr[data-unit='330402'] form[action*=approve] button")
    page.wait_for_selector("tr[data-unit='330402'] .badge-approved")
    page.screenshot(path=str(ARTIFACTS / "monthly-4-approved.png"), full_page=True)

    # 6. The locked month refuses an edit, with the reason beside the month.
    page.goto(base + f"/projects/{world.project.pk}/")
    page.fill("#progress-form input[name=month]", "2023-08")
    page.fill("#progress-form input[name=investment_yuan]", "7000000")
    page.click("#progress-form button[type=submit]")
    page.wait_for_selector("#progress-form .field-error")
    assert "锁定" in page.inner_text("#progress-form")
    assert "5,000,000.00" in page.inner_text("#progress-table tr[data-month='2023-08']")
    page.screenshot(path=str(ARTIFACTS / "monthly-5-locked.png"), full_page=True)

    # 7. The dashboard shows the new figures; approved months only, just August's.
    page.goto(base + "/?period=2023-08")
    wait_for_charts(page)
    assert page.inner_text(".card[data-metric=investment_yuan] .number") == "1.09"  # 103 + 6 million yuan
    page.click("#approved-only")
    page.wait_for_selector("#approved-only.active")
    assert page.inner_text(".card[data-metric=investment_yuan] .card-value") .replace(" ", "") == "600万元"
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "monthly-6-dashboard-approved.png"), full_page=True)
    assert problems == []
    context.close()


NARROW_PAGES = ("/", "/projects/", "/enterprises/", "/projects/new/", "/energy/", "/history/project/{pk}/",
                "/projects/{pk}/", "/projects/{pk}/edit/")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_at_390_px_no_page_scrolls_sideways_and_the_top_bar_keeps_words_whole(
        world, password, live_server, browser, language):
    """Issue 15: at 390 px the top bar broke words (简体中/文) and some pages scrolled sideways."""
    from twintrack.orgs.models import Membership

    Membership.objects.filter(user=world.users["district"]).update(language=language)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", "nanhu")
    page.fill("input[name=password]", password)
    page.click("button[type=submit].button-primary")
    page.wait_for_load_state("networkidle")
    for path in NARROW_PAGES:
        page.goto(live_server.url + path.format(pk=world.project.pk), wait_until="networkidle")
        width = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        for item in page.locator(".topbar-tools .link-button, .lang-switch button").all():
            box = item.bounding_box()
            assert box["height"] < 40, (path, item.inner_text())  # one line, not a character a line
