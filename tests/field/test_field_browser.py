"""The field app in a real phone-sized browser (Debian's Chromium, 390x844, touch), against the
live server: a supervisor sets up the device, downloads the round, goes offline, records a visit
with two findings and a photo, reloads the page offline (the service worker serves the shell, the
records are still there), goes back online and syncs: the server holds exactly one visit with both
findings and the photo, and syncing again (even after the answers were lost) changes nothing.
A visit recorded offline after the round closed stays on the phone, marked with the server's
reason. A district officer answers a requirement with a photo, in English.

Screenshots of each screen go to /tmp/field-shots (FIELD_SHOTS) for a person to look at."""
from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from field_helpers import PASSWORD, jpeg_bytes
from playwright.sync_api import expect

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("TWINTRACK_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(os.environ.get("FIELD_SHOTS", "/tmp/field-shots"))

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2,
         "timezone_id": "Asia/Shanghai"}


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


class Phone:
    def __init__(self, browser, base: str, username: str, locale: str, **options):
        self.context = browser.new_context(locale=locale, **PHONE, **options)
        self.base, self.errors = base, []
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(base + "/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button[type=submit].button-primary")
        self.page.wait_for_load_state()
        self.page.goto(base + "/field/")

    def shot(self, name: str):
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def set_up_and_download(self):
        self.page.click("#setup")
        self.page.click("#download")
        expect(self.page.locator("#downloaded")).to_have_text(re.compile(r"\d"))
        # the service worker has stored the shell and controls the page
        self.page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        for _ in range(50):
            if self.page.evaluate("navigator.serviceWorker.controller !== null"):
                break
            self.page.wait_for_timeout(100)
        assert self.page.evaluate("navigator.serviceWorker.controller !== null")

    def waiting(self) -> tuple[int, int]:
        count = self.page.locator("#queue-count")
        return int(count.get_attribute("data-records")), int(count.get_attribute("data-photos"))

    def wait_waiting(self, records: int, photos: int):
        count = self.page.locator("#queue-count")
        expect(count).to_have_attribute("data-records", str(records))
        expect(count).to_have_attribute("data-photos", str(photos))

    def sync(self):
        self.page.evaluate("document.getElementById('message').className = 'message'")  # forget the last one
        self.page.click("#sync")
        self.page.wait_for_selector("#message.ok, #message.error")
        expect(self.page.locator("#sync")).to_be_enabled()


def counts():
    from twintrack.supervision.models import Attachment, Finding, Visit

    return Visit.objects.count(), Finding.objects.count(), Attachment.objects.count()


def test_a_visit_recorded_offline_arrives_once(field_world, live_server, browser):
    from PIL import Image

    from twintrack.supervision import services
    from twintrack.supervision.models import Attachment, Visit

    w = field_world
    phone = Phone(browser, live_server.url, "duchazu1", "zh-CN")
    page = phone.page
    phone.shot("1-setup-zh")
    phone.set_up_and_download()
    assert "督查组 1 个" in page.inner_text("#downloaded")
    phone.shot("2-home-zh")
    # What Chromium's install prompt checks (Lighthouse's installability audit asks the same).
    cdp = phone.context.new_cdp_session(page)
    errors = [e["errorId"] for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    assert [e for e in errors if e != "in-incognito"] == []  # Playwright's contexts are incognito windows
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [] and manifest["url"].endswith("/field/manifest.webmanifest")

    phone.context.set_offline(True)
    page.wait_for_selector(".net.off")
    page.click("#new-visit")
    page.check(f"input[name=enterprises][value='{w.ent['dewei'].uscc}']")
    page.fill("textarea[name=attendees]", "南湖区经信局 张明")
    page.click("#add-finding")
    page.click("#add-finding")
    first, second = page.locator("[data-finding]").nth(0), page.locator("[data-finding]").nth(1)
    first.locator("textarea[name=text]").fill("退火工序能耗偏高，余热未回收。")
    first.locator("select[name=enterprise]").select_option(w.ent["dewei"].uscc)
    first.locator("select[name=project]").select_option("P1")
    first.locator("input[type=file]").set_input_files(
        {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(2400, 1800, gps=True)})
    second.locator("select[name=kind]").select_option("highlight")
    second.locator("textarea[name=text]").fill("能源管理中心已上线。")
    phone.shot("3-visit-form-zh")
    page.click("form button[type=submit]")
    phone.wait_waiting(3, 1)
    assert page.inner_text("#queue-count").startswith("3 条记录待同步")
    assert page.locator(".record[data-state=waiting]").count() == 1  # the visit; its findings wait for it
    assert page.locator(".record[data-state=blocked]").count() == 2
    phone.shot("4-queue-offline-zh")
    assert counts() == (0, 0, 0)

    page.reload()  # offline: the service worker serves the shell, IndexedDB still holds the records
    phone.wait_waiting(3, 1)
    assert page.locator(".record").count() == 3 and page.locator(".record img.thumb").count() == 1
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    assert counts() == (0, 0, 0)
    cold = phone.context.new_page()  # a fresh start from the home screen, still offline
    cold.goto(live_server.url + "/field/")
    expect(cold.locator("#queue-count")).to_have_attribute("data-records", "3")
    cold.close()

    phone.context.set_offline(False)
    page.wait_for_selector(".net.on")
    phone.sync()
    phone.wait_waiting(0, 0)
    phone.shot("5-synced-zh")
    assert counts() == (1, 2, 1)
    visit = Visit.objects.get()
    assert visit.recorded_by == w.users.sup and visit.client_id is not None
    assert sorted(f.kind for f in visit.findings.all()) == ["highlight", "problem"]
    photo = Attachment.objects.get()
    assert photo.finding.kind == "problem" and photo.file_type == "jpg" and photo.latitude is None
    with Image.open(photo.file.path) as stored:
        assert max(stored.size) == 1600  # compressed on the phone
        assert 0x8825 not in stored.getexif()  # no GPS position: re-encoded without EXIF
    print("after the first sync (visits, findings, photos):", counts())

    phone.sync()  # again: nothing left to send
    assert counts() == (1, 2, 1)
    # The answers were lost (the phone never heard back): everything is sent again, nothing doubles.
    page.evaluate("""() => new Promise((done) => {
        const open = indexedDB.open("twintrack-field", 1);
        open.onsuccess = () => {
          const tx = open.result.transaction("records", "readwrite");
          const store = tx.objectStore("records");
          store.getAll().onsuccess = (e) => e.target.result.forEach((r) => store.put({...r, state: "waiting"}));
          tx.oncomplete = done;
        };
    })""")
    page.reload()
    phone.wait_waiting(3, 0)
    phone.sync()
    phone.wait_waiting(0, 0)
    assert counts() == (1, 2, 1)
    print("after syncing again with the answers lost:", counts())

    # A visit recorded offline, and meanwhile the round closes on the server: refused, kept, explained.
    phone.context.set_offline(True)
    page.click("#new-visit")
    page.fill("textarea[name=note]", "补充走访")
    page.click("form button[type=submit]")
    phone.wait_waiting(1, 0)
    services.update_round(w.users.bureau, w.round, end_date=w.today - timedelta(days=1))
    phone.context.set_offline(False)
    phone.sync()
    refused = page.locator(".record[data-state=refused]")
    refused.wait_for()
    assert refused.locator(".reason").inner_text().startswith(f"{w.today.isoformat()} 不在督查轮次 {w.round.code}")
    phone.shot("6-refused-zh")
    page.reload()
    assert page.locator(".record[data-state=refused] .reason").inner_text() == refused.locator(".reason").inner_text()
    assert counts() == (1, 2, 1)
    print("reason shown:", refused.locator(".reason").inner_text())

    # The user moves the visit into the round's last day and resends it: accepted once.
    refused.locator("button.edit").click()
    page.fill("input[name=date]", (w.today - timedelta(days=1)).isoformat())
    page.click("form button[type=submit]")
    phone.wait_waiting(1, 0)
    phone.sync()
    phone.wait_waiting(0, 0)
    assert counts() == (2, 2, 1)
    assert Visit.objects.filter(note="补充走访").get().date == w.today - timedelta(days=1)

    # Another one refused, and discarded: gone from the phone, never on the server.
    phone.context.set_offline(True)
    page.click("#new-visit")
    page.click("form button[type=submit]")
    phone.context.set_offline(False)
    phone.sync()
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator(".record[data-state=refused] button.discard").click()
    expect(page.locator(".record[data-state=refused]")).to_have_count(0)
    phone.wait_waiting(0, 0)
    assert counts() == (2, 2, 1)
    assert phone.errors == []


def test_a_district_officer_answers_with_a_photo_in_english(field_world, live_server, browser):
    from twintrack.supervision.models import Attachment, RequirementStep

    w = field_world
    phone = Phone(browser, live_server.url, "nanhu", "en-US")
    page = phone.page
    phone.set_up_and_download()
    assert "Open requirements" in page.inner_text("main")
    phone.shot("7-district-home-en")
    phone.context.set_offline(True)
    page.click("button.answer")
    page.fill("textarea[name=text]", "The plan was reviewed by the bureau's experts.")
    page.locator("input[type=file]").set_input_files(
        {"name": "evidence.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(1200, 900, gps=False)})
    phone.shot("8-respond-en")
    page.click("form button[type=submit]")
    phone.wait_waiting(1, 1)
    assert page.inner_text("#queue-count") == "1 record waiting · 1 photos waiting"
    phone.context.set_offline(False)
    phone.sync()
    phone.wait_waiting(0, 0)
    phone.shot("9-district-synced-en")
    assert page.locator("button.answer").count() == 0  # answered on this phone: no longer offered
    step = RequirementStep.objects.get(requirement=w.requirement)
    assert step.by == w.users.nanhu and step.text.startswith("The plan")
    assert Attachment.objects.get().step == step
    w.requirement.refresh_from_db()
    assert w.requirement.status == "responded"
    assert phone.errors == []


def test_the_position_is_kept_only_when_ticked(field_world, live_server, browser):
    from decimal import Decimal

    from twintrack.supervision.models import Attachment

    phone = Phone(browser, live_server.url, "duchazu1", "zh-CN", permissions=["geolocation"],
                  geolocation={"latitude": 30.7522, "longitude": 120.7585})
    page = phone.page
    phone.set_up_and_download()
    page.click("#new-visit")
    page.click("#add-finding")
    page.click("#add-finding")
    for n, keep in enumerate((True, False)):
        block = page.locator("[data-finding]").nth(n)
        block.locator("textarea[name=text]").fill(f"发现 {n + 1}")
        block.locator("input[type=file]").set_input_files(
            {"name": f"IMG_{n}.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(800, 600, gps=True)})
        if keep:
            block.locator("input[name=keep_location]").check()
    page.click("form button[type=submit]")
    phone.wait_waiting(3, 2)
    phone.sync()
    phone.wait_waiting(0, 0)
    kept = {a.finding.text: (a.latitude, a.longitude) for a in Attachment.objects.select_related("finding")}
    assert kept == {"发现 1": (Decimal("30.752200"), Decimal("120.758500")), "发现 2": (None, None)}
    assert phone.errors == []


def test_without_the_service_worker_an_offline_start_fails(field_world, live_server, browser):
    """The control for the offline reload above: the same page with service workers blocked
    does not load offline, so the offline start is the worker's doing, not a cache of the browser's."""
    from playwright.sync_api import Error

    context = browser.new_context(locale="zh-CN", service_workers="block", **PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", "duchazu1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_load_state()
    page.goto(live_server.url + "/field/")
    expect(page.locator("#setup")).to_be_visible()
    context.set_offline(True)
    with pytest.raises(Error, match="ERR_INTERNET_DISCONNECTED"):
        page.reload()
    context.close()
