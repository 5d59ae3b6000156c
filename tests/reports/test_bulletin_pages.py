"""The bulletins pages: the bureau publishes from the page and downloads the stored bytes,
which later corrections never change; the pages and files are scoped to the units a user
sees (404 otherwise) and only the bureau publishes (403 for a district officer).

On the demo city, loaded once per module (tests/reports/conftest.py)."""
import io
from urllib.parse import quote

import docx
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from twintrack.approvals.models import MonthApproval, MonthState
from twintrack.orgs.models import OrgUnit
from twintrack.programme.models import Progress
from twintrack.programme.services import ProgressValues, save_progress
from twintrack.reports.models import BulletinFile, PublishedBulletin
from twintrack.jobs.worker import run_pending
from twintrack.reports import publishing


def publish_bulletin(*args, **kwargs):
    bulletin = publishing.publish_bulletin(*args, **kwargs)
    run_pending()
    return bulletin
from twintrack.reports.views import month_ranges

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]

PERIOD = "2023-07"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def client_of(username: str, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(get_user_model().objects.get(username=username))
    return client


def page(org_code: str = "330402", period: str = PERIOD) -> str:
    return reverse("reports:bulletins") + f"?org={org_code}&period={period}"


def publish_url(org_code: str = "330402") -> str:
    return reverse("reports:publish", args=[org_code, PERIOD])


def file_url(fmt: str, version: int = 1, lang: str = "zh", org_code: str = "330402") -> str:
    return reverse("reports:download", args=[org_code, PERIOD, lang, version, fmt])


def correct_a_july_row(district: str) -> None:
    """A district corrects one project's July investment, through the one write path."""
    row = (Progress.objects.filter(year=2023, month=7, project__enterprise__org__code=district)
           .select_related("project__enterprise").order_by("id").first())
    save_progress([ProgressValues(row.project_id, row.project.enterprise.org_id, 2023, 7,
                                  row.investment_yuan + 1_000_000, row.energy_saved_tce, "corrected")],
                  reason="correction")


def approve_months(org: OrgUnit, months=range(1, 8)) -> None:
    for month in months:
        MonthApproval.objects.create(org=org, year=2023, month=month, state=MonthState.APPROVED)


def test_the_bureau_publishes_from_the_page_and_downloads_the_same_bytes_twice(city):
    nanhu = OrgUnit.objects.get(code="330402")
    bureau = client_of("bureau")
    before = bureau.get(page())
    assert before.status_code == 200 and 'id="publish"' in before.content.decode()
    assert not PublishedBulletin.objects.filter(org=nanhu).exists()

    # the months are not approved: refused, with the months named, in Chinese
    refused = bureau.post(publish_url(), {"lang": "zh", "reason": ""})
    assert refused.status_code == 200 and not PublishedBulletin.objects.filter(org=nanhu).exists()
    error = refused.context["form"].errors["unapproved"][0]
    assert "2023-01–2023-07" in error and "未审核" in error

    # the bureau says so: version 1, its reason records it
    published = bureau.post(publish_url(), {"lang": "zh", "reason": "", "unapproved": "on"})
    assert published.status_code == 302 and published["Location"].endswith("#zh-v1")
    rendering = bureau.get(page()).content.decode()
    assert "bulletin-rendering" in rendering and 'http-equiv="refresh"' in rendering
    run_pending()  # the worker renders the files
    first = PublishedBulletin.objects.get(org=nanhu, year=2023, month=7, lang="zh")
    assert first.version == 1 and first.published_by.username == "bureau"
    assert "2023-01–2023-07" in first.reason and "尚未审核" in first.reason

    stored = {f.format: bytes(f.content) for f in BulletinFile.objects.filter(bulletin=first)}
    response = bureau.get(file_url("pdf"))
    assert response.status_code == 200 and response["Content-Type"] == PDF
    assert response.content == stored["pdf"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="bulletin-330402-2023-07-zh-v1.pdf"')
    assert "filename*=UTF-8''" + quote("南湖区-bulletin-330402-2023-07-zh-v1.pdf") in disposition

    # a progress row of July changes: the published files do not
    correct_a_july_row("330402")
    for fmt in ("pdf", "xlsx", "docx"):
        assert bureau.get(file_url(fmt)).content == stored[fmt]

    listed = bureau.get(page()).content.decode()
    assert 'id="zh-v1"' in listed and file_url("docx") in listed

    # a corrected version needs a reason; then it lists what changed, and version 1 stays
    no_reason = bureau.post(publish_url(), {"lang": "zh", "reason": "", "unapproved": "on"})
    assert "reason" in no_reason.context["form"].errors
    approve_months(nanhu)  # approved now: no tick needed, no note in the reason
    corrected = bureau.post(publish_url(), {"lang": "zh", "reason": "南湖区更正7月技改投资"})
    assert corrected.status_code == 302 and corrected["Location"].endswith("#zh-v2")
    run_pending()
    second = PublishedBulletin.objects.get(org=nanhu, year=2023, month=7, lang="zh", version=2)
    assert second.reason == "南湖区更正7月技改投资" and second.changes
    listed = bureau.get(page()).content.decode()
    assert 'id="zh-v2"' in listed and "330402 南湖区 技改投资" in listed
    assert bureau.get(file_url("pdf", version=1)).content == stored["pdf"]
    assert bureau.get(file_url("pdf", version=2)).content != stored["pdf"]

    # nothing changed since: the service's refusal, as a translated form error
    again = bureau.post(publish_url(), {"lang": "zh", "reason": "再次发布"})
    assert again.status_code == 200
    assert "没有" in again.context["form"].errors["force"][0]
    assert PublishedBulletin.objects.filter(org=nanhu, lang="zh").count() == 2


def test_another_district_gets_404_for_the_units_bulletins_and_files(city):
    nanhu = OrgUnit.objects.get(code="330402")
    publish_bulletin(nanhu, 2023, 7, lang="en")
    pinghu = client_of("pinghu")
    for url in (page(), file_url("pdf", lang="en"), file_url("xlsx", lang="en"),
                reverse("reports:draft", args=["330402", PERIOD, "zh", "xlsx"])):
        assert pinghu.get(url).status_code == 404, url
    assert pinghu.post(publish_url(), {"lang": "zh", "reason": "x", "unapproved": "on"}).status_code == 404
    assert client_of("bureau").get(file_url("xlsx", lang="en")).status_code == 200
    nanhu_officer = client_of("nanhu")
    assert nanhu_officer.get(file_url("xlsx", lang="en")).status_code == 200
    assert nanhu_officer.get(file_url("xlsx", lang="en", version=2)).status_code == 404  # no such version


def test_a_district_officer_reads_but_gets_403_on_publish_for_their_own_unit(city):
    nanhu = client_of("nanhu")
    response = nanhu.get(reverse("reports:bulletins"))  # their own unit by default
    assert response.status_code == 200 and response.context["org"].code == "330402"
    assert 'id="publish"' not in response.content.decode()
    assert nanhu.post(publish_url(), {"lang": "zh", "reason": "x", "unapproved": "on"}).status_code == 403
    assert not PublishedBulletin.objects.exists()


def test_the_draft_download_is_marked_as_a_draft(city):
    nanhu = client_of("nanhu", "en")
    response = nanhu.get(reverse("reports:draft", args=["330402", PERIOD, "en", "docx"]))
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert "bulletin-330402-2023-07-en-draft.docx" in response["Content-Disposition"]
    assert quote("Nanhu District-bulletin-330402-2023-07-en-draft.docx") in response["Content-Disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "unpublished draft" in text
    assert nanhu.get(reverse("reports:draft", args=["330402", PERIOD, "fr", "docx"])).status_code == 404
    assert not PublishedBulletin.objects.exists()


def test_the_page_in_english_with_the_menu_and_the_dashboard_link(city):
    bureau = client_of("bureau", "en")
    with_default = bureau.get(reverse("reports:bulletins"))
    assert with_default.status_code == 200 and with_default.context["org"].code == "330400"
    body = with_default.content.decode()
    assert 'class="current">Bulletins</a>' in body and "Not published yet." in body
    assert bureau.get(reverse("reports:bulletins") + "?period=2023-13").status_code == 400
    assert reverse("reports:bulletins") + "?org=330400&amp;period=" in bureau.get(
        reverse("dashboard") + "?period=2023-07").content.decode()
    assert bureau.get(reverse("reports:publish", args=["330400", PERIOD])).status_code == 405


def test_month_ranges():
    assert month_ranges(2023, [1, 2, 3, 6], "en") == "2023-01–2023-03, 2023-06"
    assert month_ranges(2023, [7], "zh") == "2023-07"
    assert month_ranges(2023, [1, 3], "zh") == "2023-01、2023-03"


def test_the_page_has_no_inline_code_and_shows_versions_to_a_supervisor(city, tmp_path):
    """The content-security policy forbids inline scripts and styles (tests/web/test_security.py)."""
    import re

    from twintrack.orgs.models import Membership

    nanhu = OrgUnit.objects.get(code="330402")
    publish_bulletin(nanhu, 2023, 7, reason="首次发布")
    supervisor = get_user_model().objects.create_user("nanhu-supervisor")
    Membership.objects.create(user=supervisor, role="supervisor", org=nanhu)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(supervisor)
    body = client.get(page()).content.decode()
    (tmp_path / "page.html").write_text(body)
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", body, re.I)
    assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", body, re.I)
    assert 'id="zh-v1"' in body and "首次发布" in body and "（命令行）" in body and 'id="publish"' not in body
    assert client.get(file_url("xlsx")).status_code == 200
    assert client.post(publish_url(), {"lang": "zh", "reason": "x", "unapproved": "on"}).status_code == 403


def test_the_page_is_cached_until_a_version_is_published_or_its_files_are_stored(city):
    """The bulletins page is page-cached (metrics.pages); publishing and the stored files bump the unit."""
    nanhu = OrgUnit.objects.get(code="330402")
    bureau = client_of("bureau")
    for _ in range(2):  # the first answer teaches the cache the path, the second is stored
        assert bureau.get(page()).status_code == 200
    assert bureau.get(page())["X-Page-Cache"] == "hit"

    publishing.publish_bulletin(nanhu, 2023, 7, lang="zh", reason="test")  # the command line, not the page
    rendering = bureau.get(page())
    assert "X-Page-Cache" not in rendering and "bulletin-rendering" in rendering.content.decode()
    assert bureau.get(page())["X-Page-Cache"] == "hit"

    run_pending()  # the worker stores the files
    done = bureau.get(page())
    assert "X-Page-Cache" not in done and file_url("pdf") in done.content.decode()
    assert "bulletin-rendering" not in done.content.decode()
