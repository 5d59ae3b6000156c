"""Files as Excel and WPS write them (issue 20, points 4-7): formulas without a saved result,
hidden and named sheets, title rows and two-row headers, dates and amounts typed as text,
total rows, workbooks renamed to .csv and files far too wide. Each message is checked in
English and in Chinese."""
import time
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook

from twintrack.imports.errors import ImportRejected
from twintrack.web.import_kinds import import_file
from twintrack.programme.models import Progress

pytestmark = pytest.mark.django_db

HEADER = ["project_code", "month", "investment_yuan", "energy_saved_tce"]


def refusal(kind, path, lang="en"):
    with translation.override(lang), pytest.raises(ImportRejected) as info:
        import_file(kind, path)
    return info.value


def progress():
    return {(p.project.code, p.period): (p.investment_yuan, p.energy_saved_tce)
            for p in Progress.objects.select_related("project")}


def save(workbook, tmp_path, name="progress.xlsx"):
    path = tmp_path / name
    workbook.save(path)
    return path


def sheet_of(rows, title="Sheet"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return workbook, sheet


@pytest.fixture
def p001(project_factory):
    return project_factory("P001", start=date(2023, 1, 1))


# --- formulas without a saved result ------------------------------------------------------

def test_a_formula_without_a_saved_result_is_refused_in_optional_and_required_columns(p001, tmp_path):
    # openpyxl, like any program that writes a workbook without Excel, saves the formula only
    workbook, _ = sheet_of([HEADER, ["P001", "2023-03", 1000, "=1.6*2"], ["P001", "2023-04", "=500*2", 1]])
    path = save(workbook, tmp_path)
    assert refusal("progress", path).messages == [
        "row 2, column energy_saved_tce: formula without a saved result; open and save the file in Excel/WPS",
        "row 3, column investment_yuan: formula without a saved result; open and save the file in Excel/WPS",
    ]
    assert refusal("progress", path, "zh-hans").messages == [
        "第2行，energy_saved_tce列：公式没有保存的计算结果；请在 Excel/WPS 中打开并保存该文件",
        "第3行，investment_yuan列：公式没有保存的计算结果；请在 Excel/WPS 中打开并保存该文件",
    ]
    assert progress() == {}


# --- which sheet ----------------------------------------------------------------------------

def test_a_hidden_first_sheet_is_skipped_and_the_sheet_read_is_named(p001, tmp_path):
    workbook, instructions = sheet_of([["填报说明"], ["月份请填 YYYY-MM"]], title="填报说明")
    instructions.sheet_state = "hidden"
    data = workbook.create_sheet("数据")
    for row in ([HEADER, ["P001", "2023-03", 1000, 1]]):
        data.append(row)
    path = save(workbook, tmp_path)
    with translation.override("en"):
        result = import_file("progress", path)
    assert result.notes == ['read the sheet "数据"; the workbook\'s other sheets were not read']
    assert progress() == {("P001", "2023-03"): (Decimal("1000.00"), Decimal("1"))}
    with translation.override("zh-hans"):
        assert import_file("progress", path, dry_run=True).notes == ['已读取工作表 "数据"；工作簿中的其他工作表未读取']


def test_a_sheet_named_in_chinese_is_recognised(p001, tmp_path):
    workbook, _ = sheet_of([["说明：每个项目每月一行"]], title="说明")
    data = workbook.create_sheet("进度")
    for row in ([["项目编号", "月份", "完成投资（元）"], ["P001", "2023-03", 1000]]):
        data.append(row)
    with translation.override("en"):
        result = import_file("progress", save(workbook, tmp_path))
    assert result.notes == ['read the sheet "进度"; the workbook\'s other sheets were not read']
    assert progress() == {("P001", "2023-03"): (Decimal("1000.00"), None)}


# --- the header -----------------------------------------------------------------------------

def test_a_merged_title_row_above_the_header_is_skipped_and_said(p001, tmp_path):
    workbook, sheet = sheet_of([["嘉兴市两化改造项目进度表"], HEADER, ["P001", "2023-03", 1000, 1]])
    sheet.merge_cells("A1:D1")
    path = save(workbook, tmp_path)
    with translation.override("en"):
        assert import_file("progress", path, dry_run=True).notes == [
            "the header is row 2: the rows above it (a title) were skipped"]
    with translation.override("zh-hans"):
        result = import_file("progress", path)
    assert result.notes == ["表头在第2行：其上方的行（标题）已跳过"]
    assert progress() == {("P001", "2023-03"): (Decimal("1000.00"), Decimal("1"))}


def test_a_two_row_header_with_ten_thousand_yuan_under_the_name_is_converted_exactly(p001, tmp_path):
    workbook, sheet = sheet_of([["项目编号", "月份", "完成投资", "节能量"], [None, None, "（万元）", "（吨标准煤）"],
                                ["P001", "2023-03", "12.5", "1.5"]])
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B1:B2")
    path = save(workbook, tmp_path)
    with translation.override("zh-hans"):
        assert import_file("progress", path, dry_run=True).notes == [
            "表头为第1-2行：各列名称与其下方的单位合并读取"]
    with translation.override("en"):
        result = import_file("progress", path)
    assert result.notes == ["the header is rows 1-2: each column's name with the unit under it"]
    assert progress() == {("P001", "2023-03"): (Decimal("125000.00"), Decimal("1.5"))}


def test_an_investment_column_without_a_unit_is_never_read_as_yuan(p001, write_csv):
    path = write_csv([["项目编号", "月份", "完成投资"], ["P001", "2023-03", "12.5"]])
    assert refusal("progress", path).messages == [
        "row 1, column 完成投资: unknown column: it names no unit; call it investment_yuan (完成投资（元）) or "
        "investment_10k_yuan (完成投资（万元）), after the unit of its figures",
        "row 1, column investment_yuan: this required column is missing (or give investment_10k_yuan instead)",
    ]
    assert refusal("progress", path, "zh-hans").messages[0] == (
        "第1行，完成投资列：未知列：列名未注明单位；请按数据的单位命名为 investment_yuan (完成投资（元）) 或 "
        "investment_10k_yuan (完成投资（万元）)")


def test_a_column_in_another_unit_names_the_difference(p001, write_csv):
    path = write_csv([["项目编号", "月份", "完成投资（元）", "节能量（万吨标准煤）"], ["P001", "2023-03", "1", "1"]])
    assert refusal("progress", path).messages == [
        "row 1, column 节能量（万吨标准煤）: unknown column: its figures are in 万吨标准煤, and energy_saved_tce "
        "(节能量（吨标准煤）) is in another unit; convert them or give the column in that unit (figures are never "
        "read in another unit)"]
    assert refusal("progress", path, "zh-hans").messages == [
        "第1行，节能量（万吨标准煤）列：未知列：该列数据的单位是万吨标准煤，而 energy_saved_tce (节能量（吨标准煤）) 的单位"
        "不同；请先换算，或按该单位提供此列（系统不会按其他单位读取数据）"]


def test_a_workbook_renamed_to_csv_is_named_as_a_workbook(p001, tmp_path):
    workbook, _ = sheet_of([HEADER, ["P001", "2023-03", 1000, 1]])
    path = save(workbook, tmp_path, "progress.csv")
    assert refusal("progress", path).messages == [
        f"{path} is an Excel workbook, not a CSV file: save it as .xlsx (or rename it to .xlsx) and import that"]
    assert refusal("progress", path, "zh-hans").messages == [
        f"{path} 是 Excel 工作簿，不是 CSV 文件：请另存为 .xlsx（或将扩展名改为 .xlsx）后导入"]


def test_a_header_wider_than_200_columns_is_refused_at_once(db, write_csv):
    path = write_csv([HEADER + [f"extra{i}" for i in range(296)], ["P001"]])
    assert refusal("progress", path).messages == [
        f"{path}, row 1: 300 columns, more than the 200 an import file can have; check that this is the file "
        "you meant"]
    assert refusal("progress", path, "zh-hans").messages == [
        f"{path} 第1行：共300列，超过导入文件最多允许的200列；请确认文件是否选对"]


def test_a_50_mb_file_on_one_line_ends_in_seconds_with_a_clear_message(db, tmp_path):
    path = tmp_path / "one-line.csv"
    path.write_bytes(b"a," * (25 * 1024 * 1024))
    start = time.perf_counter()
    messages = refusal("progress", path).messages
    assert time.perf_counter() - start < 10
    assert messages == [f"{path}: the first line is longer than 1 MB, so it is not a header row; save the sheet as "
                        "CSV from Excel or WPS, one row per line"]
    assert refusal("progress", path, "zh-hans").messages == [
        f"{path}：第一行超过 1 MB，不可能是表头行；请在 Excel 或 WPS 中将工作表另存为 CSV（每行一条记录）"]


# --- what Excel writes in cells ------------------------------------------------------------

def test_months_typed_as_dates_and_amounts_in_wan_are_read(project_factory, tmp_path):
    for code in ("P001", "P002", "P003", "P004"):
        project_factory(code, start=date(2023, 1, 1))
    workbook, _ = sheet_of([HEADER, ["P001", "2023-11-01", "12.5万", None], ["P002", "2023/11/1", "1,234.5", None],
                            ["P003", "2023年11月", "800元", None], ["P004", datetime(2023, 11, 1), 7, None]])
    import_file("progress", save(workbook, tmp_path))
    assert progress() == {("P001", "2023-11"): (Decimal("125000.00"), None),
                          ("P002", "2023-11"): (Decimal("1234.50"), None),
                          ("P003", "2023-11"): (Decimal("800.00"), None),
                          ("P004", "2023-11"): (Decimal("7.00"), None)}


def test_a_total_row_is_skipped_and_said(project_factory, tmp_path):
    project_factory("P001", start=date(2023, 1, 1))
    project_factory("P002", start=date(2023, 1, 1))
    workbook, _ = sheet_of([HEADER, ["P001", "2023-03", 1000, None], ["P002", "2023-03", 500, None],
                            ["合计", None, 1500, None]])
    path = save(workbook, tmp_path)
    with translation.override("zh-hans"):
        assert import_file("progress", path, dry_run=True).notes == [
            "第4行是合计行（合计），已跳过：合计由系统计算，不导入"]
    with translation.override("en"):
        result = import_file("progress", path)
    assert result.notes == ["row 4 is a total row (合计) and was skipped: totals are computed, not imported"]
    assert result.rows_read == 2
    assert progress() == {("P001", "2023-03"): (Decimal("1000.00"), None),
                          ("P002", "2023-03"): (Decimal("500.00"), None)}


# --- the notes, where people see them ---------------------------------------------------------

def test_the_command_line_prints_the_notes_under_the_summary_and_above_the_problems(project_factory, tmp_path):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    project_factory("P001", start=date(2023, 1, 1))
    workbook, sheet = sheet_of([["嘉兴市两化改造项目进度表"], HEADER, ["P001", "2023-03", 1000, None],
                                ["合计", None, 1000, None]])
    sheet.merge_cells("A1:D1")
    out = io.StringIO()
    call_command("import", "progress", str(save(workbook, tmp_path)), stdout=out)
    assert out.getvalue().splitlines() == [
        "progress: 1 row read, 1 created, 0 updated, 0 unchanged",
        "the header is row 2: the rows above it (a title) were skipped",
        "row 4 is a total row (合计) and was skipped: totals are computed, not imported"]
    workbook, _ = sheet_of([["说明"]], title="说明")
    data = workbook.create_sheet("进度")
    data.append(["项目编号", "月份", "完成投资"])
    with pytest.raises(CommandError) as info:
        call_command("import", "progress", str(save(workbook, tmp_path, "two-sheets.xlsx")), "--lang", "zh")
    assert str(info.value).splitlines()[0] == '已读取工作表 "进度"；工作簿中的其他工作表未读取'


def test_a_data_line_of_20_mb_is_refused_before_it_becomes_cells(db, tmp_path):
    path = tmp_path / "long-row.csv"
    path.write_bytes(b"project_code,month,investment_yuan\r\nP1,2023-03,1\r\n" + b"a," * (10 * 1024 * 1024) + b"\r\n")
    start = time.perf_counter()
    messages = refusal("progress", path).messages
    assert time.perf_counter() - start < 10
    assert messages == [f"{path}, line 3 is longer than 1 MB, so it is not a row of a table; save the sheet as CSV "
                        "from Excel or WPS, one row per line"]
    assert refusal("progress", path, "zh-hans").messages == [
        f"{path} 第3行超过 1 MB，不可能是表格中的一行；请在 Excel 或 WPS 中将工作表另存为 CSV（每行一条记录）"]
