"""The progress template of one unit and month, pre-filled (issue 15).

One row per project of the month (`monthdata.month_projects`: expected to report, or already
reported): its code, name and enterprise, the month, last month's figures for reference, and
this month's figures where they are already in, so that exporting a month and importing the
file again changes nothing. The reference columns (name, enterprise, last month) are the
progress kind's `reference_columns`: the importer knows their headers and never reads them;
they are grey and locked (the sheet is protected without a password, so rows can still be
added, deleted and sorted). Project codes are a drop-down of the unit's projects. The sheet
说明 tells how to fill it in, in Chinese, and in English too for an English page.
"""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from twintrack.display.periods import format_period, shift_month
from twintrack.documents.xlsx_safe import write_safe
from twintrack.orgs.models import OrgUnit
from twintrack.programme.importing import ProgressKind
from twintrack.web.import_templates import DATA_ROWS, HEADER_FILL, REQUIRED_FILL
from twintrack.web.monthdata import month_projects, progress_by_project, subtree_projects

SHEET = "进度"
REFERENCE_FILL = PatternFill("solid", fgColor="E7E6E6")
REFERENCE_FONT = Font(color="595959")
UNLOCKED = Protection(locked=False)
# (column key, width); the labels are the progress kind's, so the importer reads its own names.
LAYOUT = (("project_code", 16), ("project_title", 36), ("enterprise_name", 30), ("month", 10),
          ("previous_investment_yuan", 22), ("investment_yuan", 18), ("previous_energy_saved_tce", 22),
          ("energy_saved_tce", 18), ("note", 30))
TEXT_KEYS = {"project_code", "month"}


def _columns() -> list[tuple]:
    """(key, header, required, reference, width) in the order of LAYOUT."""
    kind = ProgressKind
    by_key = {c.key: (c, False) for c in kind.columns} | {c.key: (c, True) for c in kind.reference_columns}
    required = {c.key for c in kind.columns if c.required} | {a.key for a in kind.alternatives if a.required}
    return [(key, by_key[key][0].label_zh + ("*" if key in required else ""), key in required, by_key[key][1], width)
            for key, width in LAYOUT]


def file_name(org: OrgUnit, year: int, month: int) -> str:
    return f"twintrack-progress-{org.code}-{format_period(year, month)}.xlsx"


def prefilled_workbook(user, org: OrgUnit, year: int, month: int, lang: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    columns = _columns()
    _header(sheet, columns)
    projects = month_projects(user, org, year, month)
    ids = [p.id for p in projects]
    previous = progress_by_project(ids, *shift_month(year, month, -1))
    current = progress_by_project(ids, year, month)
    for row, project in enumerate(projects, start=2):
        values = _row_values(project, format_period(year, month), previous.get(project.id), current.get(project.id))
        for index, (key, _header_text, _required, reference, _width) in enumerate(columns, start=1):
            write_safe(sheet, row, index, values.get(key))
            cell = sheet.cell(row=row, column=index)
            if reference:
                cell.fill, cell.font = REFERENCE_FILL, REFERENCE_FONT
            else:
                cell.protection = UNLOCKED
            if key in TEXT_KEYS:
                cell.number_format = "@"
    _project_drop_down(book, sheet, user, org, columns)
    _protect(sheet)
    _guide(book.create_sheet("说明"), org, year, month, len(projects), lang)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _header(sheet, columns) -> None:
    for index, (key, text, required, reference, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=text)
        cell.font = Font(bold=True, color="595959" if reference else None)
        cell.fill = REFERENCE_FILL if reference else (REQUIRED_FILL if required else HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        cell.comment = Comment("仅供参考，导入时不读取 (for reference; not imported)" if reference
                               else key + (" (必填 required)" if required else ""), "twintrack")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        if not reference:  # rows added below the listed projects stay editable
            sheet.column_dimensions[letter].protection = UNLOCKED
        if key in TEXT_KEYS:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "B2"


def _row_values(project, period: str, previous, current) -> dict:
    values = {"project_code": project.code, "project_title": project.title,
              "enterprise_name": project.enterprise.name_zh, "month": period}
    if previous is not None:
        values["previous_investment_yuan"] = previous.investment_yuan
        values["previous_energy_saved_tce"] = previous.energy_saved_tce
    if current is not None:
        values["investment_yuan"] = current.investment_yuan
        values["energy_saved_tce"] = current.energy_saved_tce
        values["note"] = current.note or None
    return values


def _project_drop_down(book, sheet, user, org, columns) -> None:
    codes = list(subtree_projects(user, org).filter(is_active=True).order_by("code").values_list("code", flat=True))
    if not codes:
        return
    lists = book.create_sheet("lists")
    lists.sheet_state = "hidden"
    for row, code in enumerate(codes, start=1):
        write_safe(lists, row, 1, code)
    letter = get_column_letter([c[0] for c in columns].index("project_code") + 1)
    validation = DataValidation(type="list", formula1=f"=lists!$A$1:$A${len(codes)}", allow_blank=False)
    validation.error = "请从下拉列表中选择本单位的项目编号 (choose one of the unit's project codes)"
    validation.errorTitle = "项目编号"
    validation.showErrorMessage = True
    sheet.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}{DATA_ROWS + 1}")


def _protect(sheet) -> None:
    """Locked cells (the reference columns and the header) cannot be typed over; rows may
    still be inserted, deleted, sorted and filtered. No password: this guards against slips."""
    protection = sheet.protection
    protection.sheet = True
    protection.insertRows = protection.deleteRows = False
    protection.sort = protection.autoFilter = False
    protection.formatColumns = protection.formatRows = protection.formatCells = False


GUIDE_ZH = (
    "填报说明：{unit} {year}年{month}月 项目进度",
    "1. 本表列出{unit}（含下属单位）{year}年{month}月应填报的在建项目 {count} 个，以及本月已填报的项目；本月已填报的数字已预先填入。",
    "2. 请在“完成投资（元）*”列填写本月完成的技改投资（单位：元，不含本月以前的累计数），“节能量（吨标准煤）”列填写本月实现的节能量；未发生请填 0。",
    "3. 月份的格式为 年-月，例如 {period}（四位年份、两位月份）；请勿修改。",
    "4. 灰色列（项目名称、企业名称、上月完成投资、上月节能量）仅供参考，已锁定，导入时不读取。",
    "5. 本月不填报的项目请删除整行；新增行的项目编号请从下拉列表中选择。",
    "6. 填好后在“月度填报”页面上传本文件：系统先检查每一行并列出所有问题（行号和列名），确认后才会写入；同一文件重复导入不会改变任何数据。",
)
GUIDE_EN = (
    "How to fill in: {unit}, progress of {period}",
    "1. The sheet lists the {count} projects in progress that {unit} and the units below it report for {period}, "
    "and any project already reported this month; figures already reported are filled in.",
    "2. Enter the investment completed this month in yuan in 完成投资（元）* (the month's figure, not a running "
    "total) and the energy saved this month in 节能量（吨标准煤）; enter 0 where there was none.",
    "3. The month is written year-month, e.g. {period} (four-digit year, two-digit month); leave it as it is.",
    "4. The grey columns (name, enterprise, last month's figures) are for reference only: locked, never imported.",
    "5. Delete the row of a project that does not report this month; in a new row choose the code from the list.",
    "6. Upload the file on the Monthly submission page: every row is checked and every problem listed by row and "
    "column before anything is written; importing the same file again changes nothing.",
)


def _guide(sheet, org: OrgUnit, year: int, month: int, count: int, lang: str) -> None:
    lines = [line.format(unit=org.name_zh, year=year, month=month, count=count, period=format_period(year, month))
             for line in GUIDE_ZH]
    if lang == "en":
        name = org.name_en or org.name_zh
        lines += [""] + [line.format(unit=name, count=count, period=format_period(year, month)) for line in GUIDE_EN]
    for row, line in enumerate(lines, start=1):
        write_safe(sheet, row, 1, line)
        sheet.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.cell(row=1, column=1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 110
