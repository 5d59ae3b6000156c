"""In a real browser (Debian's Chromium): a district officer sees a data-quality warning in the
upload preview, imports the file, finds the finding on the data quality page and confirms it
with a comment; the bureau sees the completeness on the approval page."""
import os
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("TWINTRACK_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "a-long-test-password-7"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def chromium():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture
def people(city):
    from django.contrib.auth import get_user_model

    from twintrack.orgs.models import Membership, OrgUnit

    for username, role, code in (("nanhu", "district", "330402"), ("bureau", "bureau", "330400")):
        user = get_user_model().objects.create_user(username, password=PASSWORD)
        Membership.objects.create(user=user, role=role, org=OrgUnit.objects.get(code=code))


def log_in(page, base, username):
    page.goto(base + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_load_state("load")


def test_warning_import_confirm_and_approval_page(make_project, put, people, settings, tmp_path, live_server, job_worker,
                                                   chromium):
    settings.VAR_DIR = tmp_path / "var"
    make_project("P1", planned=100)
    make_project("P2")
    base = live_server.url
    page = chromium.new_page(viewport={"width": 1360, "height": 1000}, locale="en-US")
    log_in(page, base, "nanhu")

    csv = tmp_path / "progress.csv"
    csv.write_text("project_code,month,investment_yuan\nP1,2023-07,151\n", encoding="utf-8")
    page.goto(base + "/monthly/?period=2023-07")
    page.select_option("#upload-kind", "progress")
    page.set_input_files("#upload-file", str(csv))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#quality-warnings", timeout=90_000)  # the worker checks the file meanwhile
    assert "[over_plan]" in page.inner_text("#quality-warnings")
    page.click("#confirm-import")
    page.wait_for_selector(".alert-success", timeout=90_000)

    page.goto(base + "/quality/?period=2023-07")
    row = "#finding-table tr[data-rule=over_plan][data-project=P1]"
    page.wait_for_selector(row)
    assert "50%" in page.inner_text("#completeness-rate")  # P2 has not reported
    page.fill(f"{row} input[name=comment]", "the plan is being corrected")
    page.click(f"{row} button[type=submit]")
    page.wait_for_selector(f"{row} .badge-approved")
    assert "the plan is being corrected" in page.inner_text(row)

    page.click("form.logout button")
    log_in(page, base, "bureau")
    page.goto(base + "/approvals/?period=2023-07")
    assert "50%" in page.inner_text("tr[data-unit='330402'] .quality-completeness")
