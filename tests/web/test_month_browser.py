"""The officer's month in a real browser (issue 15): the pre-filled template downloaded, filled
with openpyxl, uploaded with an error, the preview's error seen, the file fixed and confirmed,
back on the same month, its page read, the month submitted through the confirmation naming it;
then the bureau approves everything submitted below the city at once, and the dashboard's
approved-only figures grow by exactly the file's sums. Screenshots in test-artifacts/month-*.png.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from test_browser import ARTIFACTS, browser, log_in, wait_for_charts  # noqa: F401 (browser is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]

PERIOD = "2023-08"
FIXED = {"P0": (Decimal("300000"), Decimal("5.5")), "P1": (Decimal("1250000"), Decimal("20"))}


def wait_for_preview(page) -> str:
    """Wait until the upload's preview is shown; "ok" (confirmable) or "problems". The check runs
    as a background job: the page refreshes itself until the worker has done it."""
    page.wait_for_selector("#confirm-import, #problems", timeout=90_000)
    return "ok" if page.locator("#confirm-import").count() else "problems"


def fill_template(template: Path, output: Path, figures: dict[str, tuple]) -> None:
    """Type each listed project's figures into the downloaded template, as a clerk does in Excel."""
    from openpyxl import load_workbook

    book = load_workbook(template)
    sheet = book["进度"]
    header = [c.value for c in sheet[1]]
    invest, energy = header.index("完成投资（元）*") + 1, header.index("节能量（吨标准煤）") + 1
    for row in range(2, sheet.max_row + 1):
        code = sheet.cell(row=row, column=1).value
        if code in figures:
            sheet.cell(row=row, column=invest).value, sheet.cell(row=row, column=energy).value = figures[code]
    book.save(output)


def approved_city_figures(jiaxing) -> dict:
    from twintrack.metrics.report import report_for_period

    report = report_for_period(jiaxing["330400"], 2023, 8, approved_only=True)
    return {m: Decimal(str(report["metrics"][m]["actual"])) for m in ("investment_yuan", "energy_saved_tce")}


def card_text(page, metric: str) -> str:
    return page.inner_text(f".card[data-metric={metric}] .card-value").replace(" ", "").replace("\n", "")


def test_the_officers_month_and_the_bureaus_bulk_approval(world, password, live_server, job_worker, browser, tmp_path):
    from openpyxl import load_workbook

    from twintrack.display.amounts import format_amount

    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    context = browser.new_context(viewport={"width": 1360, "height": 1000}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" or "Content Security Policy" in message.text else None)

    # The dashboard's approved-only figures before: the bureau's view of the city.
    log_in(page, base, "bureau", password)
    page.goto(f"{base}/?period={PERIOD}&approved=1")
    wait_for_charts(page)
    before = approved_city_figures(world.orgs)
    assert card_text(page, "investment_yuan") == format_amount("investment_yuan", before["investment_yuan"], "zh")
    page.click("form.logout button")

    # 1. Nanhu's officer: the home page's queue leads to the month; the pre-filled template.
    log_in(page, base, "nanhu", password)
    assert page.locator("#work-queue [data-queue=submit]").count() == 1
    page.goto(f"{base}/monthly/?period={PERIOD}")
    with page.expect_download() as download:
        page.click("#progress-template")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    assert download.value.suggested_filename == f"twintrack-progress-330402-{PERIOD}.xlsx"
    sheet = load_workbook(template)["进度"]
    listed = {row[0].value: row for row in sheet.iter_rows(min_row=2) if row[0].value}
    assert sorted(listed) == ["P0", "P1"]
    assert listed["P1"][4].value == 2500000  # July's figure beside, for reference

    # 2. An error (a word where the investment goes): the preview names the row and marks the cell.
    bad = tmp_path / f"progress-{PERIOD}-bad.xlsx"
    fill_template(template, bad, {"P0": FIXED["P0"], "P1": ("一百二十五万", FIXED["P1"][1])})
    page.select_option("#upload-kind", "progress")
    page.set_input_files("#upload-file", str(bad))
    page.click("#upload-form button[type=submit]")
    assert wait_for_preview(page) == "problems"
    assert page.locator("#problems tbody tr").count() == 1
    assert page.inner_text("#problems tbody tr td:first-child").strip() == "3"
    assert page.locator("#preview td.cell-bad").count() == 1
    page.screenshot(path=str(ARTIFACTS / "month-1-preview-error.png"), full_page=True)

    # 3. Fixed and confirmed: back on the same month, whose page shows what came in.
    page.click("#discard-upload")
    good = tmp_path / f"progress-{PERIOD}.xlsx"
    fill_template(template, good, FIXED)
    page.set_input_files("#upload-file", str(good))
    page.click("#upload-form button[type=submit]")
    assert wait_for_preview(page) == "ok"
    page.click("#confirm-import")
    page.wait_for_selector(".alert-success", timeout=90_000)  # the worker imports it
    assert f"period={PERIOD}" in page.url
    assert page.input_value("#period-input") == PERIOD
    assert page.inner_text("#month-totals tr[data-metric=investment_yuan] .this-month").strip() == "155万元"
    assert page.inner_text("#month-totals tr[data-metric=investment_yuan] .last-month").strip() == "250万元"
    assert page.locator("#month-missing tr[data-project]").count() == 0
    assert page.locator("#month-reported tr[data-project]").count() == 2
    page.screenshot(path=str(ARTIFACTS / "month-2-month-page.png"), full_page=True)

    # 4. The zone's month, then Nanhu's, each through the confirmation naming the month.
    page.goto(f"{base}/monthly/?org=NHGX&period={PERIOD}")
    page.click("#submit-month")
    page.click("#confirm-submit")
    page.wait_for_selector(".month-status .badge-submitted")
    page.goto(f"{base}/monthly/?period={PERIOD}")
    page.click("#submit-month")
    page.wait_for_selector("#submit-confirm")
    assert "确认上报 2023年8月 数据？" in page.inner_text("#submit-confirm h1")
    page.screenshot(path=str(ARTIFACTS / "month-3-confirm.png"), full_page=True)
    page.click("#confirm-submit")
    page.wait_for_selector(".month-status .badge-submitted")
    assert f"period={PERIOD}" in page.url
    page.click("form.logout button")

    # 5. The bureau: the queue names the month; approve everything submitted below the city.
    log_in(page, base, "bureau", password)
    page.click("#work-queue [data-queue=approve] li a")
    page.wait_for_selector("#bulk-submitted")
    assert page.locator("#bulk-submitted li[data-unit]").count() == 2
    assert page.locator("#bulk-missing li[data-unit='330482']").count() == 1  # Pinghu has not submitted
    page.screenshot(path=str(ARTIFACTS / "month-4-bulk-before.png"), full_page=True)
    if page.locator("#bulk-form input[name=accept_findings]").count():
        page.check("#bulk-form input[name=accept_findings]")
    page.click("#bulk-approve")
    page.wait_for_selector(".alert-success")
    assert "2 个单位已审核" in page.inner_text(".alert-success")
    assert "平湖市" in page.inner_text(".alert-warning")  # still not submitted
    assert page.locator("#bulk-submitted li[data-unit]").count() == 0
    page.screenshot(path=str(ARTIFACTS / "month-5-bulk-after.png"), full_page=True)

    # 6. The approved-only figures grew by exactly the file's sums.
    after = approved_city_figures(world.orgs)
    assert after["investment_yuan"] - before["investment_yuan"] == sum(v[0] for v in FIXED.values())
    assert after["energy_saved_tce"] - before["energy_saved_tce"] == sum(v[1] for v in FIXED.values())
    page.goto(f"{base}/?period={PERIOD}&approved=1")
    wait_for_charts(page)
    assert card_text(page, "investment_yuan") == format_amount("investment_yuan", after["investment_yuan"], "zh")
    assert card_text(page, "energy_saved_tce") == format_amount("energy_saved_tce", after["energy_saved_tce"], "zh")
    page.screenshot(path=str(ARTIFACTS / "month-6-dashboard-approved.png"), full_page=True)
    assert problems == []
    context.close()
