"""The three diagnosis flows in a real browser (Debian's headless Chromium driven by Playwright):

- an enterprise user completes a self-assessment and sees its level, the radar chart and the
  solutions that fit;
- a service provider records an offline diagnosis (with its report) for an enterprise assigned
  to it, and cannot open one that is not;
- the bureau reads the sub-industry view.

Screenshots go to test-artifacts/ for a person to look at.
"""
import os
from datetime import date
from pathlib import Path

import pytest

from diagnosis_helpers import uniform_answers

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


@pytest.fixture
def scene(zhejiang, miit, make_enterprise, assess, make_user, provider_firm, other_provider_firm):
    """A small glass-fibre firm with its user, seven assessed peers, a catalogue, a provider assigned to
    one Nanhu firm and not to another, and the bureau."""
    from twintrack.diagnosis.models import Solution
    from twintrack.diagnosis.services import assign_provider, save_solution

    firm = make_enterprise("330402", "3061", size="small", name="嘉兴南湖玻纤新材料有限公司")
    peers = [make_enterprise(code, industry, size="small", name=f"同行企业{i}")
             for i, (code, industry) in enumerate([("330402", "3061"), ("330402", "3062"), ("330402", "3061"),
                                                   ("330482", "3061"), ("330482", "3062"), ("330482", "3061"),
                                                   ("330102", "3061")], start=1)]
    for i, peer in enumerate(peers):
        assess(peer, miit, uniform_answers(miit, 1 + i % 3), on=date(2023, 4, 1 + i))
    catalogue = [
        ("转型规划咨询", "Transformation planning", "consulting", [], ["management"], [], "b_50k_200k"),
        ("玻纤管理驾驶舱", "Glass-fibre management cockpit", "saas", ["306"], ["management", "results"], ["small"],
         "a_under_50k"),
        ("能耗在线监测", "Online energy monitoring", "saas", [], ["results", "operation"], [], "a_under_50k"),
        ("设备联网套件", "Equipment connection kit", "retrofit", [], ["foundation"], [], "b_50k_200k"),
    ]
    for zh, en, kind, industries, dimensions, sizes, price in catalogue:
        save_solution(Solution(provider=other_provider_firm, name_zh=zh, name_en=en, kind=kind, industries=industries,
                               dimensions=dimensions, sizes=sizes, price_band=price, lightweight=True,
                               reference_customers="同行企业1"))
    assigned = make_enterprise("330402", "3311", size="medium", name="南湖精密金属制品有限公司")
    unassigned = make_enterprise("330402", "3311", size="medium", name="南湖未分配企业有限公司")
    assign_provider(provider_firm, assigned, date(2023, 1, 1))
    return {
        "firm": firm, "assigned": assigned, "unassigned": unassigned,
        "firm_user": make_user("nanhu-glass", "enterprise", enterprise=firm),
        "provider_user": make_user("fuwushang-test", "provider", provider=provider_firm),
        "bureau": make_user("bureau", "bureau"),
    }


def log_in(page, base, username, password):
    page.goto(base + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].button-primary")
    page.wait_for_load_state("networkidle")


def answer_every_question(page, choose):
    """choose(question number) -> option number (0-based), for every question on the form."""
    questions = page.locator(".diag-question")
    for i in range(questions.count()):
        questions.nth(i).locator("label.diag-option").nth(choose(i)).click()


def new_page(browser, errors, locale="zh-CN"):
    page = browser.new_page(viewport={"width": 1360, "height": 1000}, locale=locale)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


# The database fixtures come before live_server: the (session-wide) live server is then stopped
# before PostgreSQL's test database is dropped, not after.
def test_an_enterprise_completes_a_self_assessment_and_sees_level_radar_and_solutions(scene, password, live_server,
                                                                                      browser):
    ARTIFACTS.mkdir(exist_ok=True)
    errors = []
    page = new_page(browser, errors)
    log_in(page, live_server.url, "nanhu-glass", password)
    page.click("nav.mainnav a:has-text('诊断')")
    page.wait_for_selector("h1:has-text('嘉兴南湖玻纤新材料有限公司')")
    assert "尚未评估" in page.inner_text("main") or page.locator(".diag-empty").count() == 1
    page.click("#start-self-assessment")
    page.wait_for_selector("#questionnaire")
    assert page.locator(".diag-question").count() == 17
    page.click("#submit-assessment")  # nothing answered: every question is marked
    page.wait_for_selector(".diag-question.has-error")
    assert page.locator(".diag-question.has-error").count() == 17
    # foundation F1-F4 at 75, operation O1-O5 at 50, management M1-M4 at 25, results R1-R4 at 50
    answer_every_question(page, lambda i: 3 if i < 4 else 2 if i < 9 else 1 if i < 13 else 2)
    page.screenshot(path=str(ARTIFACTS / "diagnosis-self-assessment-form.png"), full_page=False)
    page.click("#submit-assessment")
    page.wait_for_selector("#level-name")
    # (75 x 25 + 50 x 30 + 25 x 25 + 50 x 20) / 100 = 50 -> level 2
    assert page.inner_text("#overall-score") == "50.00"
    assert page.inner_text("#level-name") == "二级"
    page.wait_for_selector("#radar-chart canvas", state="attached", timeout=15_000)
    solutions = page.locator(".diag-solution")
    assert solutions.count() >= 2
    assert "玻纤管理驾驶舱" in solutions.first.inner_text()  # management is weakest; made for group 306
    assert "数字化管理" in page.inner_text("#solutions")
    assert page.locator("#benchmarks tbody tr").count() >= 4
    page.wait_for_timeout(800)  # let the chart's entry animation finish before the picture
    page.screenshot(path=str(ARTIFACTS / "diagnosis-enterprise-zh.png"), full_page=True)

    page.click(".lang-switch button[value=en]")
    page.wait_for_selector("#level-name:has-text('Level 2')")
    page.wait_for_selector("#radar-chart canvas", state="attached", timeout=15_000)
    assert "Digital management" in page.inner_text("#solutions")
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "diagnosis-enterprise-en.png"), full_page=True)
    assert errors == []


def test_a_provider_records_an_offline_diagnosis_for_its_enterprise_only(scene, password, live_server, browser,
                                                                         tmp_path):
    from django.db import connection

    from twintrack.diagnosis.models import Assessment

    ARTIFACTS.mkdir(exist_ok=True)
    errors = []
    page = new_page(browser, errors)
    log_in(page, live_server.url, "fuwushang-test", password)
    assert page.url == live_server.url + "/diagnosis/"  # a provider starts at the enterprises assigned to it
    table = page.inner_text("#enterprise-table")
    assert "南湖精密金属制品有限公司" in table and "南湖未分配企业有限公司" not in table
    page.click("a:has-text('南湖精密金属制品有限公司')")
    page.click("#record-diagnosis")
    page.wait_for_selector("#questionnaire")
    answer_every_question(page, lambda i: 1 + i % 3)
    page.fill("textarea[name=summary]", "现场走访车间和信息中心")
    page.fill("textarea[name=pain_points]", "关键设备未联网\n排产依靠经验")
    page.fill("textarea[name=recommendations]", "上线轻量化MES\n分步实施设备联网")
    report = tmp_path / "诊断报告.pdf"
    report.write_bytes(b"%PDF-1.4 diagnosis report")
    page.set_input_files("input[name=report]", str(report))
    page.screenshot(path=str(ARTIFACTS / "diagnosis-offline-form.png"), full_page=False)
    page.click("#submit-assessment")
    page.wait_for_selector("#pain-points")
    assert page.locator("#pain-points li").all_inner_texts() == ["关键设备未联网", "排产依靠经验"]
    assert page.locator("#recommendations li").all_inner_texts() == ["上线轻量化MES", "分步实施设备联网"]
    assert page.locator("a:has-text('诊断报告.pdf')").count() == 1
    page.screenshot(path=str(ARTIFACTS / "diagnosis-offline-recorded.png"), full_page=True)
    try:
        assessment = Assessment.objects.get(enterprise=scene["assigned"])
        assert assessment.kind == "offline" and assessment.provider.name_zh == "嘉兴测试数字服务有限公司"
        assert bytes(assessment.reports.get().content) == b"%PDF-1.4 diagnosis report"
    finally:
        # Inside Playwright's greenlet the ORM has a connection of its own: close it, or PostgreSQL's
        # test database cannot be dropped at the end of the session.
        connection.close()

    for path in (f"/diagnosis/enterprises/{scene['unassigned'].pk}/",
                 f"/diagnosis/enterprises/{scene['unassigned'].pk}/diagnosis/"):
        response = page.goto(live_server.url + path)
        assert response.status == 404, path
    page.screenshot(path=str(ARTIFACTS / "diagnosis-provider-not-assigned.png"), full_page=False)
    assert errors == []


def test_the_bureau_sees_the_sub_industry_view(scene, password, live_server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    errors = []
    page = new_page(browser, errors)
    log_in(page, live_server.url, "bureau", password)
    page.click("nav.mainnav a:has-text('诊断')")
    page.click("nav.diag-nav a:has-text('细分行业')")
    page.wait_for_selector("#levels-chart canvas", state="attached", timeout=15_000)
    rows = page.locator("#subindustry-table tbody tr")
    assert rows.count() == 2  # 306 and 331
    first = rows.first.locator("th, td").all_inner_texts()
    assert "306" in first[0] and "玻璃纤维" in first[0]
    assert first[1:3] == ["8", "7 87.5%"]  # 8 glass-fibre firms, 7 assessed
    assert page.locator("#subindustry-totals dd").all_inner_texts()[:2] == ["10", "7"]
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "diagnosis-subindustries-zh.png"), full_page=True)
    rows.first.locator("a").click()
    page.wait_for_selector("h1:has-text('306')")
    page.wait_for_selector("#radar-chart canvas", state="attached", timeout=15_000)
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "diagnosis-subindustry-306-zh.png"), full_page=True)
    assert errors == []
