"""Spreadsheet exports of the lists, in the import files' own columns (so an export can be
edited and imported again), limited to what the user sees, formula-injection safe."""
from __future__ import annotations

import io

from openpyxl import Workbook

from twintrack.enterprises.models import SIZE_ZH
from twintrack.web.import_kinds import IMPORT_KINDS
from twintrack.programme.models import PROJECT_KIND_ZH, PROJECT_STATUS_ZH
from twintrack.documents.xlsx_safe import safe_row
from twintrack.web.import_templates import template_columns

MAX_ROWS = 200_000


def _book(kind: str, rows) -> bytes:
    columns = template_columns(IMPORT_KINDS[kind])
    book = Workbook(write_only=True)
    sheet = book.create_sheet(kind)
    sheet.append([c.label_zh for c in columns])
    keys = [c.key for c in columns]
    for count, values in enumerate(rows):
        if count >= MAX_ROWS:
            break
        sheet.append(safe_row([values.get(k) for k in keys], sheet))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def enterprises_xlsx(enterprises) -> bytes:
    def rows():
        for e in enterprises.iterator(chunk_size=2000):
            yield {"uscc": e.uscc, "name_zh": e.name_zh, "name_en": e.name_en, "org_code": e.org.code,
                   "industry_code": e.industry_id, "size": SIZE_ZH.get(e.size, ""),
                   "above_scale": {True: "是", False: "否"}.get(e.above_scale, "")}
    return _book("enterprises", rows())


def projects_xlsx(projects) -> bytes:
    def rows():
        for p in projects.iterator(chunk_size=2000):
            yield {"code": p.code, "uscc": p.enterprise.uscc, "title": p.title, "kind": PROJECT_KIND_ZH[p.kind],
                   "category": p.category, "start_date": p.start_date.isoformat(),
                   "planned_end_date": p.planned_end_date.isoformat() if p.planned_end_date else None,
                   "planned_investment_yuan": float(p.planned_investment_yuan) if p.planned_investment_yuan is not None
                   else None, "status": PROJECT_STATUS_ZH[p.status]}
    return _book("projects", rows())
