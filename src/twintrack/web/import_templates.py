"""Import templates to download: one XLSX per kind, from the importer's own column definitions.

- sheet 1 (named after the kind, which the importer reads first): the header row with the
  Chinese labels (required columns marked *, which header matching ignores), each with a
  comment giving the column key, and code-like columns formatted as text so that Excel
  keeps leading zeros and does not turn 2023-07 into a date;
- the enumerations as drop-down lists (DataValidation) read from a hidden sheet: org unit
  kinds, sizes, yes/no, metrics, project kinds and statuses, energy carriers, and the codes
  of the units the downloading user sees;
- a sheet 说明 (instructions) listing every column: key, label, required, rule.

Every text written from the database goes through `write_safe` (formula injection).
"""
from __future__ import annotations

import io
from typing import Callable

from django.apps import apps
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from twintrack.web.import_kinds import IMPORT_KINDS
from twintrack.orgs.access import visible_orgs
from twintrack.documents.xlsx_safe import write_safe

DATA_ROWS = 5000  # rows the drop-downs and text formats cover
TEXT_COLUMNS = {"code", "parent_code", "org_code", "uscc", "industry_code", "project_code", "month", "start_date",
                "planned_end_date"}
HEADER_FILL = PatternFill("solid", fgColor="DCE6F4")
REQUIRED_FILL = PatternFill("solid", fgColor="F9DEDC")


def _org_kinds(user):
    from twintrack.orgs.models import ORG_KIND_ZH
    return list(ORG_KIND_ZH.values())


def _sizes(user):
    from twintrack.enterprises.models import SIZE_ZH
    return list(SIZE_ZH.values())


def _metrics(user):
    from twintrack.metrics.rules import METRICS
    return [m.label_zh for m in METRICS]


def _project_kinds(user):
    from twintrack.programme.models import PROJECT_KIND_ZH
    return list(PROJECT_KIND_ZH.values())


def _statuses(user):
    from twintrack.programme.models import PROJECT_STATUS_ZH
    return list(PROJECT_STATUS_ZH.values())


def _carriers(user):
    if not apps.is_installed("twintrack.energy"):
        return []
    from twintrack.energy.services import carrier_choices
    return [name for _key, name in carrier_choices()]


def _unit_codes(user):
    return list(visible_orgs(user).order_by("code").values_list("code", flat=True))


def _yes_no(user):
    return ["是", "否"]


def _months(user):
    return [str(m) for m in range(1, 13)]


# (kind, column key) -> function(user) -> the values of the drop-down. Other apps add theirs.
CHOICES: dict[tuple[str, str], Callable] = {
    ("orgunits", "kind"): _org_kinds,
    ("orgunits", "parent_code"): _unit_codes,
    ("enterprises", "org_code"): _unit_codes,
    ("enterprises", "size"): _sizes,
    ("enterprises", "above_scale"): _yes_no,
    ("targets", "org_code"): _unit_codes,
    ("targets", "metric"): _metrics,
    ("targets", "through_month"): _months,
    ("projects", "kind"): _project_kinds,
    ("projects", "status"): _statuses,
    ("energy", "carrier"): _carriers,
}


def template_columns(importer) -> list:
    """The kind's columns, without the second of each pair of alternatives (a file has one or the
    other: the template has the first, e.g. investment in yuan; the guide names the other)."""
    others = {a.other for a in importer.alternatives}
    return [c for c in importer.columns if c.key not in others]


def template_file_name(kind: str) -> str:
    return f"twintrack-{kind}-template.xlsx"


def template_workbook(kind: str, user) -> bytes:
    importer = IMPORT_KINDS[kind]
    book = Workbook()
    sheet = book.active
    sheet.title = kind
    lists = book.create_sheet("lists")
    lists.sheet_state = "hidden"
    guide = book.create_sheet("说明")
    list_column = 0
    for index, column in enumerate(template_columns(importer), start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.label_zh + ("*" if column.required else ""))
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        cell.comment = Comment(f"{column.key}" + (" (必填 required)" if column.required else ""), "twintrack")
        sheet.column_dimensions[letter].width = max(12, len(column.label_zh) * 2 + 4)
        if column.key in TEXT_COLUMNS:  # the whole column as text; no empty cells are written
            sheet.column_dimensions[letter].number_format = "@"
        choices = CHOICES.get((kind, column.key))
        values = list(choices(user)) if choices else []
        if values:
            list_column += 1
            list_letter = get_column_letter(list_column)
            lists.cell(row=1, column=list_column, value=column.key)
            for row, value in enumerate(values, start=2):
                write_safe(lists, row, list_column, value)
            validation = DataValidation(type="list", formula1=f"=lists!${list_letter}$2:${list_letter}${len(values) + 1}",
                                        allow_blank=not column.required, showDropDown=False)
            validation.error = "请从下拉列表中选择 (choose a value from the list)"
            validation.errorTitle = column.label_zh
            validation.showErrorMessage = column.key not in ("org_code", "parent_code")  # codes may be new in the file
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{DATA_ROWS + 1}")
    sheet.freeze_panes = "A2"
    _guide(guide, kind, importer)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _guide(sheet, kind: str, importer) -> None:
    sheet.append(["列 key", "中文列名 label", "必填 required", "说明 rule"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    alternatives = {a.key: a.other for a in importer.alternatives} | {a.other: a.key for a in importer.alternatives}
    for column in importer.columns:
        rule = ""
        if column.key in alternatives:
            rule = (f"可用 {alternatives[column.key]} 列代替（表头改为该列名） "
                    f"(may be replaced by the column {alternatives[column.key]})")
        if (kind, column.key) in CHOICES:
            rule = (rule + "; " if rule else "") + "从下拉列表选择 (drop-down list)"
        sheet.append([column.key, column.label_zh, "是" if column.required else "否", rule])
    sheet.append([])
    sheet.append([_("Row 1 of the first sheet is the header; enter one record per row below it. "
                     "Dates as YYYY-MM-DD, months as YYYY-MM.")])
    for letter, width in zip("ABCD", (28, 24, 14, 60)):
        sheet.column_dimensions[letter].width = width
