"""In a real browser: a supervisor issues a requirement to Tongxiang; Tongxiang's officer sees
one unread notice in the top bar, linking to it; answering it notifies the supervisor."""
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("TWINTRACK_CHROMIUM", "/usr/bin/chromium")
pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}: apt-get install chromium (never `playwright install`)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        yield browser
        browser.close()


def log_in(browser, base, username):
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(base + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-notify-1")
    page.click("button[type=submit].button-primary")
    page.wait_for_load_state()
    assert "/login/" not in page.url, f"{username} could not log in"
    return page


# The database fixtures come before live_server (see tests/web/test_browser.py).
def test_a_requirement_reaches_the_district_and_its_answer_the_supervisor(city, supervision, live_server, browser):
    from twintrack.supervision.models import Requirement

    base = live_server.url
    page = log_in(browser, base, "duchazu")
    page.goto(f"{base}/supervision/rounds/{supervision.round.pk}/requirements/new/")
    page.select_option("select[name=org]", str(city.tongxiang.pk))
    page.select_option("select[name=key_task]", str(supervision.task.pk))
    page.fill("textarea[name=text]", "完成退火工序节能改造方案论证。")
    page.fill("input[name=due_date]", (timezone.localdate() + timedelta(days=30)).isoformat())
    page.click("form.supervision-form button[type=submit]")
    page.wait_for_load_state()
    requirement = Requirement.objects.get()

    page = log_in(browser, base, "tongxiang")
    assert page.inner_text(".topbar .unread-count") == "1"
    page.click(".topbar .notices-link")
    links = page.locator("#notices tbody a")
    assert links.count() == 1 and requirement.code in links.inner_text()
    links.click()
    page.wait_for_selector("#respond textarea[name=text]")
    assert page.url == f"{base}/supervision/requirements/{requirement.pk}/"
    assert page.locator(".topbar .unread-count").count() == 0  # read by opening it
    page.fill("#respond textarea[name=text]", "已完成方案论证，见附件。")
    page.click("#respond button[name=respond]")
    page.wait_for_selector("#steps li[data-kind=response]")

    page = log_in(browser, base, "duchazu")
    assert page.inner_text(".topbar .unread-count") == "1"
    page.click(".topbar .notices-link")
    assert f"桐乡市 已反馈督查要求 {requirement.code}" in page.inner_text("#notices")
    assert log_in(browser, base, "pinghu").locator(".topbar .unread-count").count() == 0
