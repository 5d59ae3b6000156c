"""The supervision loop in a real browser (Debian's headless Chromium, driven by Playwright):
a supervisor records a visit with a finding (and a photo) and a requirement; the district
officer responds with evidence; the supervisor sends it back once, then verifies it; the
round summary and the DOCX bulletin show it; another district's officer gets 404.
Screenshots go to test-artifacts/ for a person to look at."""
from __future__ import annotations

import os
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.utils import timezone
from supervision_helpers import PASSWORD, PDF_BYTES, PNG_BYTES

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("TWINTRACK_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


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


class Session:
    def __init__(self, browser, base_url: str):
        self.browser, self.base = browser, base_url
        self.context = None
        self.errors: list[str] = []

    def login(self, username: str):
        if self.context is not None:
            self.context.close()
        self.context = self.browser.new_context(viewport={"width": 1360, "height": 1000}, locale="zh-CN",
                                                accept_downloads=True)
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.goto(self.base + "/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit].button-primary")
        page.wait_for_load_state()
        assert "/login/" not in page.url, f"{username} could not log in"
        return page

    def shot(self, page, name: str):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"supervision-{name}.png"), full_page=True)


def status_of(page) -> str:
    return page.get_attribute("#requirement-status .badge", "class")


# The database fixtures come before live_server: the live server is stopped before the test
# database is dropped (PostgreSQL).
def test_the_supervision_loop(world, live_server, browser):
    s = Session(browser, live_server.url)
    w = world
    dewei = w.ent["Dewei Stainless Steel"]
    due = (timezone.localdate() + timedelta(days=30)).isoformat()

    # 1. the first group's supervisor records a visit to Nanhu
    page = s.login("duchazu1")
    page.goto(live_server.url + "/supervision/")
    page.click(f"a[href='/supervision/rounds/{w.round.pk}/']")
    page.click(f"a[href='/supervision/groups/{w.g1.pk}/visits/new/']")
    page.select_option("select[name=org]", str(w.orgs["330402"].pk))
    page.fill("input[name=date]", "2023-09-12")
    # the enterprise list shows only the chosen unit's enterprises, as checkboxes
    pinghu_firm = w.ent["Meiyi Intelligent Sensing"]
    assert not page.is_visible(f"input[name=enterprises][value='{pinghu_firm.pk}']")
    page.check(f"input[name=enterprises][value='{dewei.pk}']")
    page.fill("textarea[name=attendees]", "南湖区经信局、发改局负责同志")
    page.click("form.supervision-form button[type=submit]")
    page.wait_for_selector("#add-finding")
    visit_url = page.url
    assert "/supervision/visits/" in visit_url

    # 2. a finding with a photo
    form = "#add-finding form"
    page.select_option(f"{form} select[name=kind]", "problem")
    page.fill(f"{form} textarea[name=text]", "德威不锈钢退火工序能耗偏高，节能改造方案尚未论证。")
    page.select_option(f"{form} select[name=enterprise]", str(dewei.pk))
    page.set_input_files(f"{form} input[name=file]",
                         files=[{"name": "现场.png", "mimeType": "image/png", "buffer": PNG_BYTES}])
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector("#findings .findings li img")
    assert "退火工序能耗偏高" in page.inner_text("#findings")

    # 3. a requirement for the enterprise under the green key task
    page.click("#findings a[href*='requirements/new/?finding=']")
    page.select_option("select[name=key_task]", str(w.tasks[3].pk))
    page.fill("textarea[name=text]", "完成退火工序节能改造方案论证并启动实施。")
    page.fill("input[name=due_date]", due)
    page.fill("input[name=owner]", "设备部 周强")
    page.click("form.supervision-form button[type=submit]")
    page.wait_for_selector("#requirements tr[data-code]")
    code = page.get_attribute("#requirements tr[data-code]", "data-code")
    assert page.get_attribute("#requirements tr[data-code]", "data-status") == "issued"
    s.shot(page, "visit")

    # 4. Nanhu's officer responds with evidence
    page = s.login("nanhu")
    page.goto(live_server.url + "/supervision/")
    page.click(f"#to-respond a:has-text('{code}')")
    page.fill("#respond textarea[name=text]", "已完成节能改造方案初稿。")
    page.set_input_files("#respond input[name=file]",
                         files=[{"name": "方案.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}])
    page.click("#respond button[name=respond]")
    page.wait_for_selector("#steps li[data-kind=response]")
    assert "badge-responded" in status_of(page)
    assert "方案.pdf" in page.inner_text("#steps")
    requirement_url = page.url

    # 5. the supervisor sends it back once
    page = s.login("duchazu1")
    page.goto(requirement_url)
    page.fill("#send-back-form textarea[name=text]", "缺少节能量测算依据，请补充第三方诊断报告。")
    page.click("#send-back-form button[name=send_back]")
    page.wait_for_selector("#steps li[data-kind=return]")
    assert "badge-returned" in status_of(page)

    # 6. the district responds again
    page = s.login("nanhu")
    page.goto(requirement_url)
    assert "缺少节能量测算依据" in page.inner_text("#steps")
    page.fill("#respond textarea[name=text]", "已补充第三方诊断报告，节能量测算见附件。")
    page.click("#respond button[name=respond]")
    page.wait_for_selector("#steps li[data-kind=response] >> nth=1")

    # 7. the supervisor verifies it
    page = s.login("duchazu1")
    page.goto(requirement_url)
    page.fill("#verify-form textarea[name=text]", "经核实，同意销号。")
    page.click("#verify-form button[name=verify]")
    page.wait_for_selector("#steps li[data-kind=verification]")
    assert "badge-verified" in status_of(page)
    assert [k for k in page.eval_on_selector_all("#steps .timeline > li", "els => els.map(e => e.dataset.kind)")] == [
        "response", "return", "response", "verification"]
    s.shot(page, "requirement")

    # 8. the round summary and the DOCX bulletin show it
    page.goto(f"{live_server.url}/supervision/rounds/{w.round.pk}/")
    row = page.locator("#summary tr[data-unit='330402']")
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == "1" and cells[8] == "1" and cells[9] == "1"  # 1 visit; 1 verified of 1
    assert code in page.inner_text("#unit-330402")
    s.shot(page, "round")
    with page.expect_download() as info:
        page.click(f"a[href='/supervision/rounds/{w.round.pk}/bulletin.docx']")
    from docx import Document

    document = Document(info.value.path())
    text = "\n".join(p.text for p in document.paragraphs)
    assert "德威不锈钢退火工序能耗偏高" in text
    line = next(p.text for p in document.paragraphs if "完成退火工序节能改造方案论证" in p.text)
    assert "落实情况：已核实" in line and "逾期" not in line

    # 9. another district's officer cannot see Nanhu's findings
    page = s.login("pinghu")
    response = page.goto(visit_url)
    assert response.status == 404
    page.goto(f"{live_server.url}/supervision/requirements/")
    assert code not in page.inner_text("main")
    response = page.goto(requirement_url)
    assert response.status == 404
    s.context.close()
    assert s.errors == []


def test_overdue_requirements_stand_out_on_the_dashboard_and_pages(world, records, live_server, browser):
    s = Session(browser, live_server.url)
    page = s.login("nanhu")
    page.goto(live_server.url + "/")
    panel = page.locator("#supervision-overdue")
    panel.wait_for()
    assert records.nanhu_req.code in panel.inner_text()
    s.shot(page, "dashboard-overdue")
    page.goto(f"{live_server.url}/supervision/units/330402/")
    assert page.locator("#unit-overdue tr.row-overdue").count() == 1
    page.goto(f"{live_server.url}/supervision/rounds/{world.round.pk}/")
    assert page.locator("#overdue tr.row-overdue").count() == 1
    assert page.locator("#summary tr[data-unit='330402']").get_attribute("class") == "row-overdue"
    s.shot(page, "round-overdue")
    s.context.close()
    assert s.errors == []
