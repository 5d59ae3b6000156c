"""The officer's month (issue 15): the pre-filled progress template and its round trip, the
month page (reported, missing, totals against last month and the target, submitting with a
confirmation naming the month), bulk approval and the work queue on the dashboard.

Runs on SQLite and PostgreSQL alike (TWINTRACK_DATABASE_URL)."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from twintrack.approvals.models import MonthApproval, MonthState
from twintrack.programme.models import Progress


def _set_language(client, code: str) -> None:
    client.cookies["django_language"] = code


def template_of(client, code: str, period: str):
    response = client.get(reverse("progress_template", args=[code, period]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def rows_of(sheet) -> list[dict]:
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2) if row[0].value]


def import_bytes(content: bytes, user, dry_run: bool = False):
    import tempfile
    from pathlib import Path

    from twintrack.web.import_kinds import import_file

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "progress.xlsx"
        path.write_bytes(content)
        return import_file("progress", path, user=user, dry_run=dry_run)


def filled(book, figures: dict[str, tuple]) -> bytes:
    """The workbook with each listed project's investment and energy typed in, as a clerk would."""
    sheet = book["进度"]
    header = [c.value for c in sheet[1]]
    invest, energy = header.index("完成投资（元）*") + 1, header.index("节能量（吨标准煤）") + 1
    for row in range(2, sheet.max_row + 1):
        code = sheet.cell(row=row, column=1).value
        if code in figures:
            sheet.cell(row=row, column=invest).value, sheet.cell(row=row, column=energy).value = figures[code]
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


# --- the pre-filled template ---------------------------------------------------------------------

def test_template_lists_the_units_projects_of_the_month_with_last_months_figures(nanhu_client):
    book = template_of(nanhu_client, "330402", "2023-08")
    sheet = book["进度"]
    header = [c.value for c in sheet[1]]
    assert header == ["项目编号*", "项目名称", "企业名称", "月份*", "上月完成投资（元）（仅供参考）", "完成投资（元）*",
                      "上月节能量（吨标准煤）（仅供参考）", "节能量（吨标准煤）", "备注"]
    rows = rows_of(sheet)
    # Nanhu's subtree: P0 and P1 in progress (P2 in the zone is completed, P3 is Pinghu's)
    assert [r["项目编号*"] for r in rows] == ["P0", "P1"]
    p1 = rows[1]
    assert (p1["项目名称"], p1["企业名称"], p1["月份*"]) == ("项目P1", "德威不锈钢有限公司", "2023-08")
    assert Decimal(str(p1["上月完成投资（元）（仅供参考）"])) == Decimal("2500000")  # July's figure
    assert Decimal(str(p1["上月节能量（吨标准煤）（仅供参考）"])) == Decimal("80")
    assert p1["完成投资（元）*"] is None  # nothing reported for August yet


def test_template_reference_columns_are_locked_and_grey_and_the_rest_editable(nanhu_client):
    sheet = template_of(nanhu_client, "330402", "2023-08")["进度"]
    assert sheet.protection.sheet is True
    reference, entry = sheet["E2"], sheet["F2"]
    assert reference.protection.locked is True and reference.fill.fgColor.rgb.endswith("E7E6E6")
    assert entry.protection.locked is False
    assert sheet.column_dimensions["F"].protection.locked is False  # rows added below stay editable
    assert sheet.cell(row=2, column=4).number_format == "@"  # 月份 as text: 2023-08 stays a month


def test_template_offers_the_units_project_codes_as_a_drop_down(nanhu_client):
    book = template_of(nanhu_client, "330402", "2023-08")
    validations = book["进度"].data_validations.dataValidation
    assert len(validations) == 1 and validations[0].type == "list"
    assert "A2" in str(validations[0].sqref)
    lists = book["lists"]
    assert lists.sheet_state == "hidden"
    assert [c.value for c in lists["A"]] == ["P0", "P1", "P2"]  # Nanhu and its zone, never Pinghu's P3


def test_template_instructions_give_the_month_format_in_chinese_and_english_for_english(nanhu_client):
    guide = "\n".join(str(c.value) for c in template_of(nanhu_client, "330402", "2023-08")["说明"]["A"] if c.value)
    assert "月份的格式为 年-月，例如 2023-08" in guide and "仅供参考" in guide
    assert "e.g. 2023-08" not in guide
    _set_language(nanhu_client, "en")
    guide = "\n".join(str(c.value) for c in template_of(nanhu_client, "330402", "2023-08")["说明"]["A"] if c.value)
    assert "例如 2023-08" in guide and "e.g. 2023-08" in guide


def test_filled_template_imports_and_importing_it_again_changes_nothing(nanhu_client, nanhu_user):
    content = filled(template_of(nanhu_client, "330402", "2023-08"),
                     {"P0": (300000, 4.5), "P1": (1250000.5, None)})
    first = import_bytes(content, nanhu_user)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    row = Progress.objects.get(project__code="P1", year=2023, month=8)
    assert row.investment_yuan == Decimal("1250000.50") and row.energy_saved_tce is None
    again = import_bytes(content, nanhu_user)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    # exported again, the month comes back with its figures, and importing that changes nothing
    exported = template_of(nanhu_client, "330402", "2023-08")
    assert {r["项目编号*"]: r["完成投资（元）*"] for r in rows_of(exported["进度"])}["P0"] == 300000
    output = io.BytesIO()
    exported.save(output)
    round_trip = import_bytes(output.getvalue(), nanhu_user)
    assert (round_trip.created, round_trip.updated, round_trip.unchanged) == (0, 0, 2)


def test_reference_columns_are_never_read(nanhu_client, nanhu_user):
    """Typing over a reference cell (the sheet has no password) changes nothing in the database."""
    book = template_of(nanhu_client, "330402", "2023-08")
    sheet = book["进度"]
    sheet["B3"], sheet["E3"], sheet["G3"] = "另一个名字", 99999999, 12345
    content = filled(book, {"P0": (1, None), "P1": (2, None)})
    import_bytes(content, nanhu_user)
    assert Progress.objects.get(project__code="P1", year=2023, month=7).investment_yuan == Decimal("2500000")
    assert Progress.objects.get(project__code="P1", year=2023, month=8).investment_yuan == Decimal("2")
    from twintrack.programme.models import Project
    assert Project.objects.get(code="P1").title == "项目P1"


def test_a_blank_figure_is_named_by_row_and_column(nanhu_client, nanhu_user):
    from twintrack.imports.errors import ImportRejected

    content = filled(template_of(nanhu_client, "330402", "2023-08"), {"P1": (5, None)})  # P0 left blank
    with pytest.raises(ImportRejected) as rejected:
        import_bytes(content, nanhu_user)
    assert [(p.row, p.column) for p in rejected.value.problems] == [(2, "investment_yuan")]


def test_template_of_another_district_is_404(nanhu_client):
    assert nanhu_client.get(reverse("progress_template", args=["330482", "2023-08"])).status_code == 404
    assert nanhu_client.get(reverse("progress_template", args=["NHGX", "2023-08"])).status_code == 200


# --- the month page --------------------------------------------------------------------------------

def test_month_totals_against_last_month_and_target(nanhu_user, jiaxing):
    from twintrack.web.monthdata import month_totals

    by_metric = {row.metric: row for row in month_totals(jiaxing["330402"], 2023, 7)}
    investment = by_metric["investment_yuan"]
    # Nanhu's subtree: July P1 2.5 million; June P2 (the zone) 9 million
    assert (investment.this_month, investment.last_month) == (Decimal("2500000"), Decimal("9000000"))
    assert investment.change == Decimal("-6500000")
    # January..July: P0 2.0 + P1 12.0 + P2 24.0 million, against a 40 million target
    assert investment.cumulative == Decimal("38000000") and investment.target == Decimal("40000000")
    assert investment.completion == pytest.approx(0.95)
    energy = by_metric["energy_saved_tce"]
    assert (energy.this_month, energy.last_month) == (Decimal("80"), Decimal("1100"))
    january = {row.metric: row for row in month_totals(jiaxing["330402"], 2023, 1)}
    assert january["investment_yuan"].last_month == Decimal("0")  # December 2022: nothing
    assert january["investment_yuan"].this_month == Decimal("1200000")


def test_month_report_reported_and_missing(nanhu_user, jiaxing):
    from twintrack.web.monthdata import month_report

    july = month_report(nanhu_user, jiaxing["330402"], 2023, 7)
    assert [r.project.code for r in july.reported_rows] == ["P1"]
    assert [p.code for p in july.missing] == ["P0"]
    assert (july.expected, july.reported) == (2, 1)
    assert (july.reported_count, july.missing_count) == (1, 1)


def test_month_report_counts_the_whole_subtree_but_lists_only_the_shown_rows(nanhu_user, jiaxing):
    from twintrack.programme.models import Progress, Project
    from twintrack.web.monthdata import month_report

    Progress.objects.create(project=Project.objects.get(code="P0"), year=2023, month=7, investment_yuan=1)
    whole = month_report(nanhu_user, jiaxing["330402"], 2023, 7)
    first = month_report(nanhu_user, jiaxing["330402"], 2023, 7, shown=1)
    assert [r.project.code for r in whole.reported_rows] == ["P0", "P1"] and whole.reported_count == 2
    assert [r.project.code for r in first.reported_rows] == ["P0"] and first.reported_count == 2
    assert (first.expected, first.missing_count, first.reported) == (whole.expected, whole.missing_count, 2)


def test_month_page_shows_totals_missing_and_the_submit_step(nanhu_client):
    page = nanhu_client.get(reverse("monthly") + "?period=2023-07").content.decode()
    assert 'id="month-totals"' in page and "250万元" in page and "900万元" in page
    assert 'data-project="P0"' in page.split('id="month-missing"')[1].split("</section>")[0]
    assert reverse("month_submit_confirm", args=["330402", "2023-07"]) in page
    assert reverse("progress_template", args=["330402", "2023-07"]) in page


def test_month_page_of_a_unit_below_and_another_district(nanhu_client):
    assert nanhu_client.get(reverse("monthly") + "?org=NHGX&period=2023-07").status_code == 200
    assert nanhu_client.get(reverse("monthly") + "?org=330482&period=2023-07").status_code == 404


def test_submit_confirmation_names_the_month_then_submits(nanhu_client, jiaxing):
    url = reverse("month_submit_confirm", args=["330402", "2023-07"])
    page = nanhu_client.get(url).content.decode()
    assert "确认上报 2023年7月 数据？" in page
    assert "P0" in page  # the project that has not reported
    assert not MonthApproval.objects.exists()  # the confirmation page changes nothing
    _set_language(nanhu_client, "en")
    assert "Submit the data of July 2023?" in nanhu_client.get(url).content.decode()
    response = nanhu_client.post(reverse("approval_submit", args=["330402", "2023-07"]),
                                 {"next": reverse("monthly") + "?org=330402&period=2023-07"})
    assert response.status_code == 302 and "period=2023-07" in response["Location"]
    assert MonthApproval.objects.get(org=jiaxing["330402"], year=2023, month=7).state == MonthState.SUBMITTED


# --- bulk approval ---------------------------------------------------------------------------------

def _submit(jiaxing, user, *codes, period=(2023, 7)):
    from twintrack.approvals.services import submit

    for code in codes:
        submit(jiaxing[code], *period, user)


def test_bulk_approval_approves_deepest_first_with_history_and_notices(bureau_user, nanhu_user, jiaxing):
    from twintrack.approvals.services import approve_all_below, bulk_summary
    from twintrack.notify.models import Notice

    _submit(jiaxing, nanhu_user, "NHGX", "330402")
    before = bulk_summary(jiaxing["330400"], 2023, 7)
    assert [u.code for u in before.submitted] == ["330402", "NHGX"]
    assert [u.code for u in before.missing] == ["330482"]
    done = approve_all_below(jiaxing["330400"], 2023, 7, bureau_user)
    assert sorted(u.code for u in done.approved_now) == ["330402", "NHGX"]
    assert done.left == [] and [u.code for u in done.missing] == ["330482"]
    for code in ("330402", "NHGX"):
        approval = MonthApproval.objects.get(org=jiaxing[code], year=2023, month=7)
        assert approval.state == MonthState.APPROVED and approval.approved_by == bureau_user
        assert approval.history.filter(history_user=bureau_user, state="approved").count() == 1
    assert Notice.objects.filter(kind="month_approved").exists()
    assert not MonthApproval.objects.filter(org=jiaxing["330400"]).exists()  # the city's own month is not touched


def test_bulk_approval_leaves_a_unit_whose_units_below_have_not_submitted(bureau_user, nanhu_user, jiaxing):
    from twintrack.approvals.services import approve_all_below

    _submit(jiaxing, nanhu_user, "330402")  # its zone has not submitted
    done = approve_all_below(jiaxing["330400"], 2023, 7, bureau_user)
    assert done.approved_now == []
    assert [(u.code, "南湖高新区" in reason) for u, reason in done.left] == [("330402", True)]
    assert sorted(u.code for u in done.missing) == ["330482", "NHGX"]
    assert MonthApproval.objects.get(org=jiaxing["330402"], year=2023, month=7).state == MonthState.SUBMITTED


def test_bulk_approval_is_one_transaction(bureau_user, nanhu_user, pinghu_user, jiaxing, monkeypatch):
    from twintrack.approvals import services

    _submit(jiaxing, nanhu_user, "NHGX", "330402")
    _submit(jiaxing, pinghu_user, "330482")
    real, calls = services.approve, []

    def failing(org, year, month, user):
        calls.append(org.code)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return real(org, year, month, user)

    monkeypatch.setattr(services, "approve", failing)
    with pytest.raises(RuntimeError):
        services.approve_all_below(jiaxing["330400"], 2023, 7, bureau_user)
    assert not MonthApproval.objects.filter(state=MonthState.APPROVED).exists()


def test_a_district_bulk_approves_only_below_its_own_unit(nanhu_user, pinghu_user, jiaxing):
    from twintrack.approvals.services import approve_all_below

    _submit(jiaxing, nanhu_user, "NHGX", "330402")
    _submit(jiaxing, pinghu_user, "330482")
    done = approve_all_below(jiaxing["330402"], 2023, 7, nanhu_user)
    assert [u.code for u in done.approved_now] == ["NHGX"]
    states = dict(MonthApproval.objects.values_list("org__code", "state"))
    assert states == {"NHGX": "approved", "330402": "submitted", "330482": "submitted"}


def test_bulk_page_summarises_before_and_after(bureau_client, nanhu_user, jiaxing):
    _submit(jiaxing, nanhu_user, "NHGX", "330402")
    url = reverse("approval_bulk") + "?period=2023-07"
    page = bureau_client.get(url).content.decode()
    submitted = page.split('id="bulk-submitted"')[1].split("</section>")[0]
    assert 'data-unit="330402"' in submitted and 'data-unit="NHGX"' in submitted
    assert 'data-unit="330482"' in page.split('id="bulk-missing"')[1]
    response = bureau_client.post(reverse("approval_bulk"), {"period": "2023-07", "accept_findings": "on"},
                                  follow=True)
    text = response.content.decode()
    assert "2 个单位已审核" in text or "2 units approved" in text
    assert "平湖市" in text.split('class="alert')[-1] or "平湖市" in text
    assert MonthApproval.objects.filter(state=MonthState.APPROVED).count() == 2
    after = bureau_client.get(url).content.decode()
    assert 'id="bulk-approve"' not in after  # nothing left to approve


def test_bulk_page_of_another_district_is_404(nanhu_client):
    assert nanhu_client.get(reverse("approval_bulk") + "?org=330482&period=2023-07").status_code == 404
    assert nanhu_client.post(reverse("approval_bulk"), {"org": "330482", "period": "2023-07"}).status_code == 404


def test_reopening_stays_one_unit_with_a_reason(bureau_client, bureau_user, nanhu_user, jiaxing):
    from twintrack.approvals.services import approve_all_below

    _submit(jiaxing, nanhu_user, "NHGX", "330402")
    approve_all_below(jiaxing["330400"], 2023, 7, bureau_user)
    response = bureau_client.post(reverse("approval_reopen", args=["330402", "2023-07"]), {"reason": ""})
    assert response.status_code == 302
    assert MonthApproval.objects.get(org=jiaxing["330402"], year=2023, month=7).state == MonthState.APPROVED
    bureau_client.post(reverse("approval_reopen", args=["330402", "2023-07"]), {"reason": "P1 的投资填错"})
    assert MonthApproval.objects.get(org=jiaxing["330402"], year=2023, month=7).state == MonthState.OPEN
    assert MonthApproval.objects.get(org=jiaxing["NHGX"], year=2023, month=7).state == MonthState.APPROVED


# --- the work queue -----------------------------------------------------------------------------

def test_district_queue_lists_open_months_with_the_reason_of_one_sent_back(nanhu_user, bureau_user, jiaxing):
    from twintrack.approvals.services import reopen
    from twintrack.web.workqueue import work_queue

    _submit(jiaxing, nanhu_user, "330402", period=(2023, 6))
    reopen(jiaxing["330402"], 2023, 6, bureau_user, "6月P1漏报")
    _submit(jiaxing, nanhu_user, "330402", period=(2023, 5))
    groups = {g.key: g for g in work_queue(nanhu_user)}
    months = groups["submit"]
    assert months.count == 6  # January..July 2023 (the latest month with figures) but May
    assert [i.text for i in months.items] == ["2023年7月", "2023年6月", "2023年4月", "2023年3月", "2023年2月"]
    assert months.items[1].note == "退回：6月P1漏报" or "6月P1漏报" in months.items[1].note
    assert months.items[0].url == reverse("monthly") + "?period=2023-07"
    assert "approve" not in groups  # nothing submitted below Nanhu


def test_bureau_queue_lists_months_waiting_for_approval(bureau_user, nanhu_user, jiaxing):
    from twintrack.web.workqueue import work_queue

    _submit(jiaxing, nanhu_user, "NHGX", "330402")
    groups = {g.key: g for g in work_queue(bureau_user)}
    assert groups["approve"].count == 2
    assert groups["approve"].items[0].url == reverse("approval_bulk") + "?period=2023-07"
    nanhu = {g.key: g for g in work_queue(nanhu_user)}
    assert nanhu["approve"].count == 1  # the zone; Nanhu does not approve its own month


def test_dashboard_shows_each_users_own_queue(client, nanhu_user, pinghu_user, jiaxing):
    _submit(jiaxing, nanhu_user, "NHGX")
    client.force_login(nanhu_user)
    first = client.get(reverse("dashboard")).content.decode()
    assert 'id="work-queue"' in first and 'data-queue="approve"' in first
    client.force_login(pinghu_user)
    other = client.get(reverse("dashboard")).content.decode()
    assert 'data-queue="approve"' not in other  # Pinghu has nothing of Nanhu's to approve
    client.force_login(nanhu_user)
    _submit(jiaxing, nanhu_user, "330402")  # a write: the queue follows at once
    again = client.get(reverse("dashboard")).content.decode()
    assert "2023年7月" not in again.split('data-queue="submit"')[1].split("</div>")[0]


def test_the_queue_costs_a_bounded_number_of_queries(bureau_user, nanhu_user, pinghu_user, jiaxing):
    """The dashboard stays fast: the queue's queries do not grow with the submitted unit-months."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from twintrack.web.workqueue import work_queue

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            work_queue(bureau_user)
        return len(queries)

    _submit(jiaxing, nanhu_user, "NHGX", period=(2023, 6))
    few = count()
    for month in (3, 4, 5, 7):
        _submit(jiaxing, nanhu_user, "NHGX", "330402", period=(2023, month))
        _submit(jiaxing, pinghu_user, "330482", period=(2023, month))
    assert count() <= few + 2
    assert {g.key: g.count for g in work_queue(bureau_user)}["approve"] == 13


def test_new_pages_answer_a_bad_period_with_400(nanhu_client):
    assert nanhu_client.get(reverse("approval_bulk") + "?period=2023-13").status_code == 400
    assert nanhu_client.get(reverse("monthly") + "?org=NHGX&period=07-2023").status_code == 400
    assert nanhu_client.get("/monthly/330402/2023-13/progress.xlsx").status_code == 400
    assert nanhu_client.get("/monthly/330402/2023-00/submit/").status_code == 400


def test_approvable_agrees_with_may(bureau_user, nanhu_user, pinghu_user, jiaxing, make_user):
    from twintrack.approvals.access import approvable
    from twintrack.orgs.access import may

    _submit(jiaxing, nanhu_user, "NHGX", "330402")
    _submit(jiaxing, pinghu_user, "330482")
    supervisor = make_user("inspector", "supervisor", jiaxing["330402"])
    for user in (bureau_user, nanhu_user, pinghu_user, supervisor):
        expected = {a.org.code for a in MonthApproval.objects.all() if may(user, "approve", a)}
        assert {a.org.code for a in approvable(user)} == expected, user.username


def test_bulk_approval_asks_a_tick_only_for_findings_in_the_units_it_approves(bureau_client, nanhu_user, jiaxing,
                                                                              monkeypatch):
    from types import SimpleNamespace

    from twintrack.web import views_monthly

    findings = []
    monkeypatch.setattr(views_monthly, "findings_for", lambda year, month, scope: findings)
    _submit(jiaxing, nanhu_user, "NHGX", "330402")
    url = reverse("approval_bulk")
    findings[:] = [SimpleNamespace(status="open", org_id=jiaxing["330482"].id)]  # Pinghu's: not submitted
    assert "accept_findings" not in bureau_client.get(url + "?period=2023-07").content.decode()
    findings[:] = [SimpleNamespace(status="open", org_id=jiaxing["NHGX"].id),
                   SimpleNamespace(status="confirmed", org_id=jiaxing["NHGX"].id)]
    assert 'name="accept_findings"' in bureau_client.get(url + "?period=2023-07").content.decode()
    bureau_client.post(url, {"period": "2023-07"})
    assert not MonthApproval.objects.filter(state=MonthState.APPROVED).exists()  # refused: no tick
    bureau_client.post(url, {"period": "2023-07", "accept_findings": "on"})
    assert MonthApproval.objects.filter(state=MonthState.APPROVED).count() == 2
