"""A published bulletin is frozen: corrections to the data after it never reach its files;
a corrected bulletin is a new version that lists what changed."""
import io
from datetime import datetime, timezone as dt_timezone
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from twintrack.programme.models import Progress
from twintrack.programme.services import ProgressValues, save_progress
from twintrack.reports.bulletin import bulletin_data, coefficients_used
from twintrack.reports.build import build_report
from twintrack.reports.models import BulletinFile, FrozenError, PublishedBulletin
from twintrack.jobs.models import Job, JobStatus
from twintrack.jobs.worker import run_pending
from twintrack.reports import publishing
from twintrack.reports.publishing import (
    NotAllowed, NothingChanged, NotPublished, bulletin_versions, current_bulletin, download,
)

pytestmark = pytest.mark.django_db  # every test, even one run alone, needs the test database

FIRST = datetime(2023, 8, 5, 2, 0, tzinfo=dt_timezone.utc)  # 10:00 in Beijing
SECOND = datetime(2023, 8, 12, 2, 0, tzinfo=dt_timezone.utc)


def publish_bulletin(*args, **kwargs) -> PublishedBulletin:
    """Publish, then let the worker render the files (as `twintrack worker` does)."""
    bulletin = publishing.publish_bulletin(*args, **kwargs)
    run_pending()
    return bulletin


def test_the_files_are_rendered_by_a_job_from_the_figures_frozen_at_publication(city):
    bulletin = publishing.publish_bulletin(city, 2023, 7, now=FIRST)
    job = Job.objects.get(kind="bulletin_render", subject=str(bulletin.pk))
    assert job.status == JobStatus.QUEUED and not bulletin.files.exists()
    assert publishing.rendering([bulletin.pk]) == {bulletin.pk}
    with pytest.raises(publishing.NotRendered):  # a PublishingError: the pages and the API answer 404
        download(city, 2023, 7, "pdf")
    correct_a_july_row("330402")  # after publication, before the worker renders: not in the files
    run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and publishing.rendering([bulletin.pk]) == set()
    book = openpyxl.load_workbook(io.BytesIO(download(city, 2023, 7, "xlsx").content))
    frozen = publishing.render_all(bulletin.data, "zh", bulletin.edition(), formats=("xlsx",))["xlsx"]
    assert download(city, 2023, 7, "xlsx").content == frozen and book.sheetnames
    now = publishing.render_all(bulletin_data(city, 2023, 7), "zh", bulletin.edition(), formats=("xlsx",))["xlsx"]
    assert now != frozen  # today's figures differ: the files are the snapshot's


def correct_a_july_row(district: str = "330402", add_yuan: int = 1_000_000) -> Progress:
    """A district corrects one project's July investment, through the one write path."""
    row = (Progress.objects.filter(year=2023, month=7, project__enterprise__org__code=district)
           .select_related("project__enterprise").order_by("id").first())
    save_progress([ProgressValues(row.project_id, row.project.enterprise.org_id, 2023, 7,
                                  row.investment_yuan + add_yuan, row.energy_saved_tce, "corrected")],
                  reason="correction")
    return row


def all_files(org, lang="zh", version=None) -> dict:
    return {fmt: download(org, 2023, 7, fmt, lang, version) for fmt in ("xlsx", "docx", "pdf")}


def test_publishing_freezes_figures_coefficients_and_files(city):
    bulletin = publish_bulletin(city, 2023, 7, now=FIRST)
    assert (bulletin.version, bulletin.previous, bulletin.changes) == (1, None, [])
    assert bulletin.data == bulletin_data(city, 2023, 7)
    assert bulletin.data["report"] == build_report(city, 2023, 7)
    assert bulletin.coefficients == bulletin.data["coefficients"] == coefficients_used(city, 2023, 7)
    stored = {f.format: f for f in bulletin.files.all()}
    assert set(stored) == {"xlsx", "docx", "pdf"}
    assert stored["pdf"].name == "bulletin-330400-2023-07-zh-v1.pdf"
    assert bytes(stored["pdf"].content).startswith(b"%PDF-")
    doc = docx.Document(io.BytesIO(bytes(stored["docx"].content)))
    assert "2023年8月5日" in doc.paragraphs[2].text  # the publication date, Beijing time
    assert not any("未发布稿" in p.text for p in doc.paragraphs)
    assert [b.version for b in bulletin_versions(city, 2023, 7)] == [1]


def test_a_correction_after_publishing_never_reaches_the_published_files(city):
    publish_bulletin(city, 2023, 7, now=FIRST)
    before = all_files(city)
    report_before = build_report(city, 2023, 7)
    correct_a_july_row()
    assert build_report(city, 2023, 7) != report_before  # the data did change
    after = all_files(city)
    for fmt in ("xlsx", "docx", "pdf"):
        assert after[fmt].content == before[fmt].content and after[fmt].sha256 == before[fmt].sha256
        assert after[fmt].version == 1
    assert PublishedBulletin.objects.get().data["report"] == report_before


def test_a_new_version_lists_what_changed_and_the_old_one_stays(city):
    first = publish_bulletin(city, 2023, 7, now=FIRST)
    v1 = all_files(city)
    row = correct_a_july_row("330402", add_yuan=1_000_000)
    second = publish_bulletin(city, 2023, 7, reason="南湖区更正7月技改投资", now=SECOND)
    assert (second.version, second.previous_id) == (2, first.id)
    changes = [(c["org"]["code"], c["metric"], c["field"], c["new"] - c["old"]) for c in second.changes]
    assert changes == [("330400", "investment_yuan", "actual", 1_000_000.0),
                       ("330402", "investment_yuan", "actual", 1_000_000.0)]
    assert row.project.enterprise.org.code == "330402"
    # the latest version is what everyone downloads; version 1 is kept as it was
    assert download(city, 2023, 7, "pdf").version == 2
    assert {fmt: f.content for fmt, f in all_files(city, version=1).items()} == {
        fmt: f.content for fmt, f in v1.items()}
    # the corrected documents say so, and list the change
    doc = docx.Document(io.BytesIO(download(city, 2023, 7, "docx").content))
    texts = [p.text for p in doc.paragraphs]
    assert "（更正版·第2版）" in texts[1]
    notice = next(t for t in texts if t.startswith("更正说明"))
    assert "替代2023年8月5日发布的第1版" in notice and "南湖区更正7月技改投资" in notice and "共更正2项" in notice
    annex = [[c.text for c in r.cells] for r in doc.tables[-1].rows]
    assert annex[0] == ["地区", "指标", "项目", "第1版", "第2版（本版）"]
    old_nanhu = second.changes[1]["old"] / 10_000
    assert annex[2][:3] == ["南湖区", "技改投资（万元）", "1-7月完成"]
    assert Decimal(annex[2][3].replace(",", "")) == Decimal(str(old_nanhu))
    assert Decimal(annex[2][4].replace(",", "")) - Decimal(annex[2][3].replace(",", "")) == 100
    wb = openpyxl.load_workbook(io.BytesIO(download(city, 2023, 7, "xlsx").content))
    sheet = wb["更正说明"]
    assert [c.value for c in sheet[1]] == ["地区代码", "地区", "指标", "项目", "计量单位", "原值", "新值"]
    assert sheet["F3"].value + 100 == sheet["G3"].value and sheet["A3"].value == "330402"


def test_publishing_again_without_a_change_is_refused_unless_forced(city):
    publish_bulletin(city, 2023, 7, now=FIRST)
    with pytest.raises(NothingChanged, match="since version 1"):
        publish_bulletin(city, 2023, 7, now=SECOND)
    forced = publish_bulletin(city, 2023, 7, reason="unit name corrected", force=True, now=SECOND)
    assert (forced.version, forced.changes) == (2, [])


def test_languages_are_versioned_apart(city):
    publish_bulletin(city, 2023, 7, now=FIRST)
    english = publish_bulletin(city, 2023, 7, lang="en", now=FIRST)
    assert english.version == 1
    assert download(city, 2023, 7, "docx", "en").name == "bulletin-330400-2023-07-en-v1.docx"
    assert [(b.lang, b.version) for b in bulletin_versions(city, 2023, 7)] == [("en", 1), ("zh", 1)]


def test_published_bulletins_can_be_neither_changed_nor_deleted(city):
    bulletin = publish_bulletin(city, 2023, 7, now=FIRST)
    bulletin.reason = "rewritten"
    with pytest.raises(FrozenError):
        bulletin.save()
    with pytest.raises(FrozenError):
        bulletin.delete()
    with pytest.raises(FrozenError):
        PublishedBulletin.objects.filter(id=bulletin.id).update(reason="x")
    with pytest.raises(FrozenError):
        BulletinFile.objects.all().delete()
    with pytest.raises(FrozenError):
        bulletin.files.first().delete()
    assert BulletinFile.objects.count() == 3


def test_only_a_bureau_officer_publishes(city):
    User = get_user_model()
    bureau, district = User.objects.get(username="bureau"), User.objects.get(username="nanhu")
    with pytest.raises(NotAllowed):
        publish_bulletin(city, 2023, 7, district)
    from twintrack.orgs.models import OrgUnit

    nanhu = OrgUnit.objects.get(code="330402")
    with pytest.raises(NotAllowed):  # not even for their own district
        publish_bulletin(nanhu, 2023, 7, district)
    bulletin = publish_bulletin(nanhu, 2023, 7, bureau, now=FIRST)
    assert (bulletin.published_by, bulletin.publisher_name) == (bureau, "bureau")
    assert bulletin.data["report"]["children"] == []


def test_before_publication_a_page_gets_a_draft(city):
    with pytest.raises(NotPublished):
        download(city, 2023, 7, "pdf")
    draft = current_bulletin(city, 2023, 7, "docx")
    assert draft.version is None and draft.name == "bulletin-330400-2023-07-zh.docx"
    assert any("未发布稿" in p.text for p in docx.Document(io.BytesIO(draft.content)).paragraphs)
    publish_bulletin(city, 2023, 7, now=FIRST)
    assert current_bulletin(city, 2023, 7, "docx").version == 1


# --- the command line ---------------------------------------------------------------------------

def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_publish_and_bulletins_commands(city, tmp_path):
    out = run("publish", "--period", "2023-07")
    assert out.startswith("published 330400 2023-07 zh version 1")
    assert "bulletin-330400-2023-07-zh-v1.pdf" in out
    path = run("bulletins", "--period", "2023-07", "--format", "pdf", "--output", str(tmp_path)).strip()
    assert open(path, "rb").read() == download(city, 2023, 7, "pdf").content
    with pytest.raises(CommandError, match="nothing to publish") as refused:
        run("publish", "--period", "2023-07")
    assert refused.value.returncode == 2
    correct_a_july_row("330411", add_yuan=250_000)
    out = run("publish", "--period", "2023-07", "--reason", "秀洲区更正")
    assert "version 2" in out and "changes against version 1: 2" in out
    assert "330411 秀洲区 技改投资 1-7月完成（万元）:" in out
    listing = run("bulletins", "--period", "2023-07")
    assert listing.splitlines()[0].startswith("version 1") and "reason: 秀洲区更正" in listing
    again = run("bulletins", "--period", "2023-07", "--format", "pdf", "--edition", "1",
                "--output", str(tmp_path / "v1.pdf")).strip()
    assert open(again, "rb").read() == open(path, "rb").read()


def test_the_publish_command_rejects_bad_input(city):
    for args, message in ((("--period", "2023-13"), "--period"), (("--period", "2023-07", "--org", "999999"),
                                                                  "no org unit"),
                          (("--period", "2023-07", "--user", "nanhu"), "may not publish"),
                          (("--period", "2023-07", "--user", "nobody"), "no such user")):
        with pytest.raises(CommandError, match=message) as error:
            run("publish", *args)
        assert error.value.returncode == 2
    with pytest.raises(CommandError, match="has not been published"):
        run("bulletins", "--period", "2023-07", "--format", "docx")


def test_the_report_command_writes_binary_formats(city, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("report", "--period", "2023-07", "--format", "docx").strip() == "bulletin-330400-2023-07-zh.docx"
    assert docx.Document(str(tmp_path / "bulletin-330400-2023-07-zh.docx")).paragraphs[0].text == "“两化”改造工作通报"
    target = tmp_path / "nanhu.xlsx"
    assert run("report", "--period", "2023-07", "--org", "330402", "--format", "xlsx", "--lang", "en",
               "--output", str(target)).strip() == str(target)
    summary = openpyxl.load_workbook(target)["Summary"]
    assert summary["C2"].value == build_report(city.children.get(code="330402"), 2023, 7)["metrics"]["projects"][
        "actual"]
    with pytest.raises(CommandError, match="does not exist"):
        run("report", "--period", "2023-07", "--format", "pdf", "--output", str(tmp_path / "no" / "x.pdf"))
