"""Importing projects and monthly progress, and what that does to the report figures."""
from datetime import date
from decimal import Decimal

import pytest

from twintrack.web.import_kinds import import_file
from twintrack.metrics.report import report_for_period
from twintrack.metrics.rollups import rollup_differences
from twintrack.programme.models import Progress, Project

from import_helpers import valid_uscc

pytestmark = pytest.mark.django_db

PROJECT_HEADER_ZH = ["项目编号", "统一社会信用代码", "项目名称", "改造类型", "项目类别", "开工日期", "计划完工日期",
                     "计划总投资（万元）", "项目状态"]


def projects():
    return {p.code: (p.enterprise.uscc, p.title, p.kind, p.category, p.start_date, p.planned_end_date,
                     p.planned_investment_yuan, p.status)
            for p in Project.objects.select_related("enterprise")}


def test_projects_import_from_csv_with_chinese_labels_and_ten_thousand_yuan(enterprise, write_csv):
    rows = [PROJECT_HEADER_ZH,
            ["P001", valid_uscc(1), "智能工厂改造", "数字化", "智能工厂", "2023-03-01", "2024/06/30", "1,234.5678", "在建"],
            ["P002", valid_uscc(1), "余热回收", "green", "", "2023年5月8日", "", "", "planned"],
            ["P003", valid_uscc(1), "数字化绿色化协同", "数字化绿色化", "节能改造", "2023-01-15", "", "0", "已完工"]]
    result = import_file("projects", write_csv(rows, encoding="gb18030"))
    assert (result.rows_read, result.created, result.updated, result.unchanged) == (3, 3, 0, 0)
    assert projects() == {
        "P001": (valid_uscc(1), "智能工厂改造", "digital", "智能工厂", date(2023, 3, 1), date(2024, 6, 30),
                 Decimal("12345678.00"), "in_progress"),
        "P002": (valid_uscc(1), "余热回收", "green", "", date(2023, 5, 8), None, None, "planned"),
        "P003": (valid_uscc(1), "数字化绿色化协同", "digital_green", "节能改造", date(2023, 1, 15), None,
                 Decimal("0"), "completed"),
    }


def test_projects_import_from_xlsx_with_date_cells_and_yuan(enterprise, write_xlsx):
    from datetime import datetime

    rows = [["code", "uscc", "title", "kind", "start_date", "planned_end_date", "planned_investment_yuan", "status"],
            ["P001", valid_uscc(1), "智能工厂", "digital", datetime(2023, 3, 1), datetime(2023, 12, 31), 5000000.5,
             "in_progress"]]
    import_file("projects", write_xlsx(rows))
    assert projects()["P001"][4:7] == (date(2023, 3, 1), date(2023, 12, 31), Decimal("5000000.50"))


def test_a_file_with_both_yuan_and_ten_thousand_yuan_columns_is_refused(enterprise, write_csv, rejected):
    rows = [["code", "uscc", "title", "kind", "start_date", "planned_investment_yuan", "计划总投资(万元)", "status"],
            ["P001", valid_uscc(1), "x", "digital", "2023-03-01", "1", "1", "planned"]]
    assert rejected("projects", write_csv(rows)) == [
        "row 1, column planned_investment_10k_yuan: a file has either planned_investment_yuan or "
        "planned_investment_10k_yuan, not both",
    ]


def test_bad_project_rows_are_all_reported(enterprise, write_csv, rejected):
    rows = [PROJECT_HEADER_ZH,
            ["P001", valid_uscc(2), "甲", "智能", "", "2023-03-01", "2023-02-01", "-5", "进行中"],
            ["P002", valid_uscc(1), "", "green", "", "2023-02-30", "", "", "planned"],
            ["P001", "123", "丙", "green", "", "2023-03-01", "", "", "planned"]]
    assert rejected("projects", write_csv(rows)) == [
        f'row 2, column uscc: no enterprise has unified social credit code "{valid_uscc(2)}"',
        'row 2, column kind: "智能" is not one of: digital (数字化), green (绿色化), digital_green (数字化绿色化)',
        'row 2, column planned_end_date: "2023-02-01" is before the start date 2023-03-01',
        'row 2, column planned_investment_10k_yuan: "-5": must not be negative',
        'row 2, column status: "进行中" is not one of: planned (计划), in_progress (在建), completed (已完工), '
        "suspended (暂停), cancelled (取消)",
        "row 3, column title: a value is required",
        'row 3, column start_date: "2023-02-30" is not a valid date',
        "row 4, column code: duplicate of row 2",
        'row 4, column uscc: "123" is not a unified social credit code: it has 3 characters, not 18',
    ]
    assert not Project.objects.exists()


def test_moving_a_start_date_after_existing_progress_is_refused(project_factory, write_csv, rejected):
    project = project_factory("P001", start=date(2023, 3, 1))
    import_file("progress", write_csv([["project_code", "month", "investment_yuan"], ["P001", "2023-03", "100"]]))
    rows = [["code", "uscc", "title", "kind", "start_date", "status"],
            ["P001", project.enterprise.uscc, "x", "digital", "2023-04-01", "in_progress"]]
    assert rejected("projects", write_csv(rows, name="p.csv")) == [
        "row 2, column start_date: project P001 already has progress for 2023-03, before this start date",
    ]


PROGRESS_HEADER_ZH = ["项目编号", "月份", "完成投资（元）", "节能量（吨标准煤）", "备注"]


def progress():
    return {(p.project.code, p.period): (p.investment_yuan, p.energy_saved_tce, p.note)
            for p in Progress.objects.select_related("project")}


def test_progress_imports_from_a_utf8_bom_csv_with_chinese_headers(project_factory, write_csv):
    project_factory("P001", start=date(2023, 3, 1))
    project_factory("P002", start=date(2023, 1, 20))
    rows = [PROGRESS_HEADER_ZH,
            ["P001", "2023-03", "1,234,567.89", "12.5", "设备进场"],
            ["P001", "2023/4", "100", "", ""],
            ["P002", "2023年1月", "0", "0", ""]]
    result = import_file("progress", write_csv(rows, encoding="utf-8-sig"))
    assert (result.rows_read, result.created, result.updated, result.unchanged) == (3, 3, 0, 0)
    assert progress() == {
        ("P001", "2023-03"): (Decimal("1234567.89"), Decimal("12.5"), "设备进场"),
        ("P001", "2023-04"): (Decimal("100"), None, ""),
        ("P002", "2023-01"): (Decimal("0"), Decimal("0"), ""),
    }
    assert rollup_differences() == []


def test_progress_imports_from_xlsx_with_month_date_cells_and_ten_thousand_yuan(project_factory, write_xlsx):
    from datetime import datetime

    project_factory("P001", start=date(2023, 3, 1))
    rows = [["project_code", "month", "完成投资 ( 万元 )", "energy_saved_tce"],
            ["P001", datetime(2023, 3, 1), 12.3456, 1.25],
            ["P001", "2023-04", "0.5", None]]
    import_file("progress", write_xlsx(rows, sheet="progress"))
    assert progress() == {("P001", "2023-03"): (Decimal("123456.00"), Decimal("1.25"), ""),
                          ("P001", "2023-04"): (Decimal("5000.00"), None, "")}


def test_an_import_updates_the_report_figures(project_factory, write_csv, city):
    project_factory("P001", start=date(2023, 3, 1))
    import_file("targets", write_csv([["org_code", "metric", "year", "through_month", "value"],
                                      ["330400", "investment_yuan", "2023", "7", "2,000,000"]], name="t.csv"))
    rows = [["project_code", "month", "investment_10k_yuan", "energy_saved_tce"],
            ["P001", "2023-03", "100", "10"], ["P001", "2023-07", "50.5", "2.5"], ["P001", "2023-08", "1", "1"]]
    import_file("progress", write_csv(rows))
    report = report_for_period(city, 2023, 7)
    assert report["metrics"]["investment_yuan"]["actual"] == 1505000.0
    assert report["metrics"]["investment_yuan"]["completion_rate"] == pytest.approx(0.7525)
    assert report["metrics"]["energy_saved_tce"]["actual"] == 12.5
    assert report["metrics"]["projects"]["actual"] == 1
    nanhu = next(c for c in report["children"] if c["org"]["code"] == "330402")
    assert nanhu["metrics"]["investment_yuan"]["actual"] == 1505000.0
    # a corrected month replaces the old figure instead of adding to it
    import_file("progress", write_csv([rows[0], ["P001", "2023-03", "200", "10"]], name="fix.csv"))
    assert report_for_period(city, 2023, 7)["metrics"]["investment_yuan"]["actual"] == 2505000.0
    assert rollup_differences() == []


def test_re_importing_progress_leaves_the_history_and_rollups_unchanged(project_factory, write_csv):
    from twintrack.metrics.rollups import stored_rollups

    project_factory("P001", start=date(2023, 3, 1))
    path = write_csv([PROGRESS_HEADER_ZH, ["P001", "2023-03", "100.10", "1.000001", "x"], ["P001", "2023-04", "5", "", ""]])
    import_file("progress", path)
    before = (progress(), Progress.history.count(), stored_rollups())
    result = import_file("progress", path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert (progress(), Progress.history.count(), stored_rollups()) == before


def test_bad_progress_rows_are_all_reported_and_nothing_is_written(project_factory, write_csv, rejected):
    project_factory("P001", start=date(2023, 3, 1))
    rows = [PROGRESS_HEADER_ZH,
            ["P001", "2023-02", "100", "", ""],
            ["P999", "2023-03", "1,00", "-1", ""],
            ["P001", "2099-01", "", "", ""],
            ["P001", "2023-3", "5", "", ""],
            ["P001", "2023-03", "6", "", ""]]
    assert rejected("progress", write_csv(rows)) == [
        'row 2, column month: "2023-02" is before the project\'s start month 2023-03',
        'row 3, column project_code: no project has code "P999"',
        'row 3, column investment_yuan: "1,00" is not a number',
        'row 3, column energy_saved_tce: "-1": must not be negative',
        f'row 4, column month: "2099-01" is after the current month ({date.today():%Y-%m})',
        "row 4, column investment_yuan: a value is required",
        "row 6, column project_code: duplicate of row 5",
    ]
    assert not Progress.objects.exists()


def test_a_progress_file_without_an_investment_column_is_refused(project_factory, write_csv, rejected):
    assert rejected("progress", write_csv([["project_code", "month"], ["P001", "2023-03"]])) == [
        "row 1, column investment_yuan: this required column is missing (or give investment_10k_yuan instead)",
    ]


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 3 rows and a spool that goes to disk at once, as for a file of millions of rows."""
    from twintrack.imports import importer

    monkeypatch.setattr(importer, "BATCH", 3)
    monkeypatch.setattr(importer, "SPOOL_MEMORY", 1)
    monkeypatch.setattr(importer, "KEEP_ROWS", 4)


def test_a_long_file_is_spooled_in_batches_and_written_whole(project_factory, write_csv, small_batches):
    project_factory("P001", start=date(2023, 1, 1))
    project_factory("P002", start=date(2023, 1, 1))
    rows = [["project_code", "month", "investment_yuan"]] + [
        [code, f"2023-{m:02d}", str(m * 100 + i)] for m in range(1, 8) for i, code in enumerate(("P001", "P002"))]
    result = import_file("progress", write_csv(rows))
    assert (result.rows_read, result.created) == (14, 14)
    assert progress()[("P002", "2023-07")][0] == Decimal("701")
    assert rollup_differences() == []
    assert import_file("progress", write_csv(rows)).unchanged == 14


def test_a_duplicate_far_from_its_first_row_names_it(project_factory, write_csv, rejected, small_batches):
    project_factory("P001", start=date(2023, 1, 1))
    project_factory("P002", start=date(2023, 1, 1))
    rows = [["project_code", "month", "investment_yuan"]] + [["P001", f"2023-{m:02d}", "1"] for m in range(1, 8)]
    rows += [["P002", "2023-01", "1"], ["P001", "2023-1", "2"], ["P001", "2023年7月", "2"]]
    assert rejected("progress", write_csv(rows)) == [
        "row 10, column project_code: duplicate of row 2",
        "row 11, column project_code: duplicate of row 8",
    ]
    assert not Progress.objects.exists()


def test_a_dry_run_counts_but_writes_nothing(project_factory, write_csv):
    project_factory("P001", start=date(2023, 1, 1))
    result = import_file("progress", write_csv([["project_code", "month", "investment_yuan"], ["P001", "2023-01", "1"]]),
                         dry_run=True)
    assert (result.created, result.dry_run) == (1, True)
    assert result.summary() == ("progress: 1 row read, 1 would be created, 0 updated, 0 unchanged "
                                "(dry run: nothing was written)")
    assert not Progress.objects.exists()


def test_only_the_first_thousand_problems_are_listed(db, write_csv, rejected):
    rows = [["project_code", "month", "investment_yuan"]] + [[f"Q{i}", "2023-01", "x"] for i in range(1200)]
    messages = rejected("progress", write_csv(rows))
    assert len(messages) == 1001
    assert messages[:2] == ['row 2, column project_code: no project has code "Q0"',
                            'row 2, column investment_yuan: "x" is not a number']
    assert messages[999] == 'row 501, column investment_yuan: "x" is not a number'
    assert messages[1000] == "... and 1400 more problems (only the first 1000 are listed)"


def test_a_kinds_row_checks_can_refuse_the_file(project_factory, write_csv):
    from twintrack.imports.importer import ImportRejected
    from twintrack.imports.importer import import_file as engine_import_file
    from twintrack.programme.importing import ProgressKind

    def no_energy_in_march(records, ctx):
        for record in records:
            if record.values.get("month") == (2023, 3) and record.values.get("energy_saved_tce") is not None:
                ctx.error(record, "energy_saved_tce", "this project-month has energy lines")

    class CheckedProgress(ProgressKind):
        row_checks = (no_energy_in_march,)

    def rejected(kind, path):
        with pytest.raises(ImportRejected) as error:
            engine_import_file(kind, path, kinds={"progress": CheckedProgress})
        return error.value.messages

    project_factory("P001", start=date(2023, 1, 1))
    rows = [PROGRESS_HEADER_ZH, ["P001", "2023-02", "1", "1", ""], ["P001", "2023-03", "1", "1", ""]]
    assert rejected("progress", write_csv(rows)) == [
        "row 3, column energy_saved_tce: this project-month has energy lines"]
    assert not Progress.objects.exists()
