"""Import and export of visits, findings and requirements (docs/data-contract-supervision.md):
the importer's kinds, atomic and row-numbered, bilingual, idempotent, scoped to the person
importing; exports that import again unchanged and never carry a formula."""
from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook, load_workbook
from supervision_helpers import uscc_for

from twintrack.imports.errors import ImportRejected
from twintrack.web.import_kinds import import_file
from twintrack.web.import_kinds import IMPORT_KINDS as KINDS
from twintrack.supervision.exporting import export_xlsx
from twintrack.supervision.models import Finding, Requirement, Status, Visit

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

DEWEI, FENGCHUAN, MEIYI = uscc_for(1), uscc_for(2), uscc_for(3)


def xlsx(tmp_path, name: str, rows: list[list], sheet: str | None = None):
    book = Workbook()
    book.active.title = sheet or "Sheet1"
    for row in rows:
        book.active.append(row)
    path = tmp_path / name
    book.save(path)
    return path


VISIT_HEADER = ["走访编号", "督查轮次", "督查组", "地区代码", "走访日期", "走访企业", "参加人员", "备注"]


def visits_file(tmp_path, rows=None):
    rows = rows or [
        ["Q3-NH-1", "2023Q3", "第一督查组", "330402", "2023-09-12", f"{DEWEI}；{FENGCHUAN}", "区经信局", ""],
        ["Q3-PH-1", "2023Q3", "2023Q3-G2", "330482", date(2023, 9, 13), MEIYI, "", "现场走访"],
    ]
    return xlsx(tmp_path, "visits.xlsx", [VISIT_HEADER] + rows)


def test_the_three_kinds_are_registered_with_the_importer(db):
    assert {"visits", "findings", "requirements"} <= set(KINDS)


def test_visits_findings_and_requirements_import_and_import_again_unchanged(world, tmp_path):
    path = visits_file(tmp_path)
    result = import_file("visits", path)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    visit = Visit.objects.get(code="Q3-NH-1")
    assert visit.group == world.g1 and visit.date == date(2023, 9, 12)
    assert sorted(e.uscc for e in visit.enterprises.all()) == sorted([DEWEI, FENGCHUAN])
    again = import_file("visits", path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    findings = xlsx(tmp_path, "findings.xlsx", [
        ["code", "visit_code", "kind", "text", "uscc", "project_code"],
        ["Q3-NH-1-F1", "Q3-NH-1", "存在问题", "能耗偏高", DEWEI, "P1"],
        ["Q3-NH-1-F2", "Q3-NH-1", "highlight", "智能产线", FENGCHUAN, ""],
        ["Q3-PH-1-F1", "Q3-PH-1", "下步计划", "开展诊断", "", ""],
    ])
    assert import_file("findings", findings).created == 3
    assert Finding.objects.get(code="Q3-NH-1-F1").project.code == "P1"

    requirements = xlsx(tmp_path, "requirements.xlsx", [
        ["要求编号", "督查轮次", "走访编号", "发现编号", "地区代码", "统一社会信用代码", "重点任务", "整改要求", "完成时限",
         "责任人", "下达日期"],
        ["Q3-R1", "2023Q3", "Q3-NH-1", "Q3-NH-1-F1", "", DEWEI, "3", "完成节能诊断", "2023-10-31", "周强", "2023-09-12"],
        ["Q3-R2", "2023Q3", "", "", "330482", "", "推进绿色化改造，实施节能降碳技术改造，开展线下诊断", "编制样本",
         "2023年12月31日", "", "2023-09-13"],
    ])
    assert import_file("requirements", requirements).created == 2
    r1 = Requirement.objects.get(code="Q3-R1")
    assert (r1.org.code, r1.enterprise.uscc, r1.key_task.number, r1.status, r1.visit.code) == (
        "330402", DEWEI, 3, Status.ISSUED, "Q3-NH-1")
    assert r1.issued_at.date() == date(2023, 9, 12) and r1.overdue
    assert import_file("requirements", requirements).unchanged == 2
    assert r1.history.count() == 1  # the second import changed nothing


def test_a_changed_row_updates_the_record_and_its_history(world, tmp_path):
    import_file("visits", visits_file(tmp_path))
    before = Visit.objects.get(code="Q3-NH-1").history.count()
    changed = visits_file(tmp_path, [["Q3-NH-1", "2023Q3", "第一督查组", "330402", "2023-09-14", DEWEI, "更新", ""]])
    result = import_file("visits", changed, reason="corrected date")
    assert (result.created, result.updated) == (0, 1)
    visit = Visit.objects.get(code="Q3-NH-1")
    assert visit.date == date(2023, 9, 14) and [e.uscc for e in visit.enterprises.all()] == [DEWEI]
    assert visit.history.count() > before
    assert visit.history.first().history_change_reason == "visit changed"


def test_a_bad_file_writes_nothing_and_names_every_row_and_column(world, tmp_path):
    path = visits_file(tmp_path, [
        ["Q3-NH-1", "2023Q3", "第一督查组", "330402", "2023-09-12", DEWEI, "", ""],
        ["Q3-NH-2", "2023Q9", "第一督查组", "330402", "2023-09-12", "", "", ""],
        ["Q3-NH-3", "2023Q3", "第一督查组", "330482", "2023-13-01", "", "", ""],
        ["Q3-NH-4", "2023Q3", "第一督查组", "330402", "2023-09-12", MEIYI, "", ""],
        ["Q3-NH-1", "2023Q3", "第一督查组", "330402", "2023-09-12", "", "", ""],
    ])
    with pytest.raises(ImportRejected) as rejected:
        import_file("visits", path)
    assert rejected.value.messages == [
        'row 3, column round_code: no supervision round has code "2023Q9"',
        "row 4, column org_code: 第一督查组 does not cover 平湖市",
        'row 4, column date: "2023-13-01" is not a valid date',
        "row 5, column enterprises: 美谊智能传感科技有限公司 is not in 南湖区",
        "row 6, column code: duplicate of row 2",
    ]
    assert not Visit.objects.exclude(round__code="NONE").filter(code__startswith="Q3-").exists()


def test_problems_are_reported_in_chinese_on_request(world, tmp_path):
    path = xlsx(tmp_path, "findings.xlsx", [["发现编号", "走访编号", "类型", "内容"], ["F1", "NOPE", "意见", ""]])
    with translation.override("zh-hans"):
        with pytest.raises(ImportRejected) as rejected:
            import_file("findings", path)
    messages = rejected.value.messages
    assert messages[0] == '第2行，visit_code列：没有编号为"NOPE"的走访'
    assert messages[1].startswith('第2行，kind列："意见" 不是以下取值之一：progress (工作进展)')
    assert messages[2] == "第2行，text列：必须填写"


def test_the_command_line_imports_a_kind_and_refuses_bad_files_with_status_2(world, tmp_path):
    from io import StringIO

    out = StringIO()
    call_command("import", "visits", str(visits_file(tmp_path)), stdout=out)
    assert out.getvalue().strip() == "visits: 2 rows read, 2 created, 0 updated, 0 unchanged"
    bad = xlsx(tmp_path, "bad.xlsx", [["要求编号", "督查轮次", "重点任务", "整改要求", "完成时限", "地区代码"],
                                      ["R9", "2023Q3", "9", "x", "2023-10-01", "330402"]])
    with pytest.raises(CommandError) as error:
        call_command("import", "requirements", str(bad))
    assert error.value.returncode == 2
    assert 'row 2, column key_task: no key task is called "9"' in str(error.value)


def test_state_is_not_imported(world, records, tmp_path):
    header = ["code", "round_code", "org_code", "key_task", "text", "due_date", "status", "overdue"]
    path = xlsx(tmp_path, "r.xlsx", [header, [records.pinghu_req.code, "2023Q3", "330482", "2",
                                              records.pinghu_req.text, "2099-12-31", "已核实", "否"]])
    with pytest.raises(ImportRejected) as rejected:
        import_file("requirements", path)
    assert rejected.value.messages[0].startswith("row 2, column status: the requirement is Issued")
    new = xlsx(tmp_path, "n.xlsx", [header, ["NEW-1", "2023Q3", "330482", "2", "x", "2099-12-31", "verified", ""]])
    with pytest.raises(ImportRejected):
        import_file("requirements", new)


def test_a_person_importing_is_held_to_what_they_may_do(world, records, tmp_path):
    u = world.users
    path = visits_file(tmp_path)  # one visit for each group
    with pytest.raises(ImportRejected) as rejected:
        import_file("visits", path, user=u.sup1)
    assert rejected.value.messages == [
        'row 3, column group: no supervision group of this round has code or name "2023Q3-G2"']
    with pytest.raises(ImportRejected):
        import_file("visits", path, user=u.nanhu)  # a district officer records no visits
    assert import_file("visits", path, user=u.bureau).created == 2
    header = ["code", "round_code", "org_code", "key_task", "text", "due_date"]
    req = xlsx(tmp_path, "r.xlsx", [header, ["SUP1-R", "2023Q3", "330482", "1", "x", "2099-01-01"]])
    with pytest.raises(ImportRejected) as rejected:
        import_file("requirements", req, user=u.sup1)
    assert rejected.value.messages == ['row 2, column org_code: no org unit has code "330482"']
    assert Visit.objects.get(code="Q3-NH-1").recorded_by == u.bureau


def rows_of(data: bytes) -> list[tuple]:
    return list(load_workbook(BytesIO(data)).active.iter_rows(values_only=True))


def test_an_export_imports_again_unchanged(world, records, tmp_path):
    for kind, model in (("visits", Visit), ("findings", Finding), ("requirements", Requirement)):
        data = export_xlsx(kind, model.objects.all())
        path = tmp_path / f"{kind}.xlsx"
        path.write_bytes(data)
        result = import_file(kind, path)
        assert (result.created, result.updated) == (0, 0) and result.unchanged == model.objects.count(), kind


def test_the_requirements_export_marks_overdue_rows(world, records):
    rows = rows_of(export_xlsx("requirements", Requirement.objects.order_by("code")))
    header = rows[0]
    assert header[-2:] == ("状态", "是否逾期")
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code[records.nanhu_req.code][-2:] == ("已下达", "是")
    assert by_code[records.pinghu_req.code][-1] == "否"
    book = load_workbook(BytesIO(export_xlsx("requirements", Requirement.objects.order_by("code"))))
    fills = {row[0].value: row[0].fill.fgColor.rgb for row in book.active.iter_rows(min_row=2)}
    assert fills[records.nanhu_req.code].endswith("FDE2E1")


def test_exports_never_carry_formulas(world, records):
    from twintrack.supervision import services

    services.update_finding(world.users.sup1, records.nanhu_finding, text='=HYPERLINK("http://evil","x")')
    services.update_visit(world.users.sup1, records.nanhu_visit, attendees="@SUM(1+1)")
    finding_rows = rows_of(export_xlsx("findings", Finding.objects.all()))
    assert "=HYPERLINK(\"http://evil\",\"x\")" in [row[3] for row in finding_rows]  # the text, as written
    visit_rows = rows_of(export_xlsx("visits", Visit.objects.all()))
    assert "@SUM(1+1)" in [row[6] for row in visit_rows]
    book = load_workbook(BytesIO(export_xlsx("findings", Finding.objects.all())))
    assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)


def test_the_export_page_gives_what_the_user_sees(client, world, records):
    client.force_login(world.users.pinghu)
    response = client.get("/supervision/export/requirements.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="supervision-requirements.xlsx"'
    assert [row[0] for row in rows_of(response.content)[1:]] == [records.pinghu_req.code]
    response = client.get(f"/supervision/export/visits.xlsx?round={world.round.pk}")
    assert [row[0] for row in rows_of(response.content)[1:]] == [records.pinghu_visit.code]
    assert client.get("/supervision/export/secrets.xlsx").status_code == 404
