"""XLSX export of visits, findings and requirements, in the import kinds' columns.

An exported file imports again unchanged (the header row carries the Chinese labels the
importer matches; the sheet is named after the kind). Every text cell goes through
`safe_cell`, so a finding that starts with "=" stays text (no formula injection).
Requirements also carry their state and whether they are overdue (derived, ignored on
import), with overdue rows filled red.
"""
from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from twintrack.documents.xlsx_safe import safe_cell
from twintrack.supervision.importing import FindingsKind, RequirementsKind, VisitsKind
from twintrack.supervision.models import FINDING_KIND_ZH, STATUS_ZH, Finding, Requirement, Visit, today
from twintrack.supervision.summary import requirement_queryset

KINDS = {"visits": VisitsKind, "findings": FindingsKind, "requirements": RequirementsKind}
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OVERDUE_FILL = PatternFill("solid", fgColor="FDE2E1")
HEADER_FILL = PatternFill("solid", fgColor="E6EEF9")
WIDTHS = {"text": 60, "note": 40, "attendees": 40, "enterprises": 44, "key_task": 36}


def visit_rows(visits) -> list[list]:
    rows = []
    for visit in visits.select_related("round", "group", "org").prefetch_related("enterprises"):
        rows.append([visit.code, visit.round.code, visit.group.code, visit.org.code, visit.date,
                     ";".join(sorted(e.uscc for e in visit.enterprises.all())), visit.attendees, visit.note])
    return rows


def finding_rows(findings) -> list[list]:
    rows = []
    for finding in findings.select_related("visit", "enterprise", "project"):
        rows.append([finding.code, finding.visit.code, FINDING_KIND_ZH[finding.kind], finding.text,
                     finding.enterprise.uscc if finding.enterprise_id else "",
                     finding.project.code if finding.project_id else ""])
    return rows


def requirement_rows(requirements, on: date | None = None) -> list[list]:
    from django.utils import timezone

    rows = []
    for r in requirement_queryset(requirements).select_related("finding"):
        rows.append([r.code, r.round.code, r.visit.code if r.visit_id else "", r.finding.code if r.finding_id else "",
                     "" if r.enterprise_id else r.org.code, r.enterprise.uscc if r.enterprise_id else "",
                     r.key_task.name_zh, r.text, r.due_date, r.owner, timezone.localtime(r.issued_at).date(),
                     STATUS_ZH[r.status], "是" if r.is_overdue(on) else "否"])
    return rows


def export_xlsx(kind: str, queryset, on: date | None = None) -> bytes:
    """The records of `queryset` (already limited to what the user sees) as an .xlsx file."""
    importer = KINDS[kind]
    if kind == "visits":
        rows = visit_rows(queryset)
    elif kind == "findings":
        rows = finding_rows(queryset)
    else:
        rows = requirement_rows(queryset, on or today())
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind
    columns = importer.columns
    sheet.append([safe_cell(column.label_zh, sheet) for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    overdue_index = next((i for i, c in enumerate(columns) if c.key == "overdue"), None)
    for values in rows:
        sheet.append([safe_cell(v, sheet) for v in values])
        if overdue_index is not None and values[overdue_index] == "是":
            for cell in sheet[sheet.max_row]:
                cell.fill = OVERDUE_FILL
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS.get(column.key, 16)
        if column.key in ("date", "due_date", "issued_date"):
            for cell in sheet[letter][1:]:
                cell.number_format = "yyyy-mm-dd"
        if column.key in WIDTHS:
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(kind: str, round_code: str | None = None) -> str:
    return f"supervision-{kind}{'-' + round_code if round_code else ''}.xlsx"


MODELS = {"visits": Visit, "findings": Finding, "requirements": Requirement}
