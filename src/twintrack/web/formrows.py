"""Forms validate with the same rules as imports: a form is a one-row (or few-row) file.

`write_rows(kind, rows, user, reason)` writes the rows as an in-memory CSV with the
kind's column keys as the header and hands it to the importer, which parses, checks
(the kind's rules, the row checks of every app: scope, deleted records, locked months)
and writes through the services. Its problems come back keyed by (row index, column key)
for the form to show beside its fields.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from twintrack.approvals.services import ApprovalRefused
from twintrack.imports.errors import FileRejected, ImportRejected
from twintrack.imports.importer import ImportResult
from twintrack.web.import_kinds import import_file

FIRST_DATA_ROW = 2  # row 1 is the header


@dataclass
class FormOutcome:
    result: ImportResult | None = None
    errors: dict[tuple[int, str], list[str]] = field(default_factory=dict)  # (row index, column) -> reasons
    general: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.result is not None

    def for_row(self, index: int = 0) -> dict[str, list[str]]:
        return {column: reasons for (row, column), reasons in self.errors.items() if row == index}


def rows_as_csv(kind: str, rows: list[dict[str, str]]) -> io.BytesIO:
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(key, "") for key in columns])
    handle = io.BytesIO(text.getvalue().encode("utf-8"))
    handle.name = f"{kind}-form.csv"
    return handle


def quality_warn(kind: str):
    from twintrack.web.uploads import quality_warn as warn

    return warn(kind)


def write_rows(kind: str, rows: list[dict[str, str]], user, reason: str) -> FormOutcome:
    outcome = FormOutcome()
    try:
        outcome.result = import_file(kind, rows_as_csv(kind, rows), user=user, reason=reason,
                                     warn=quality_warn(kind))
    except FileRejected as rejected:
        outcome.general = list(rejected.messages)
    except ImportRejected as rejected:
        for problem in rejected.problems:
            index = problem.row - FIRST_DATA_ROW
            if 0 <= index < len(rows) and problem.column in rows[index]:
                outcome.errors.setdefault((index, problem.column), []).append(problem.reason)
            else:
                outcome.general.append(str(problem))
        if not rejected.problems:
            outcome.general = list(rejected.messages)
    except ApprovalRefused as refused:  # a month approved while the form was being checked
        outcome.general = [refused.message]
    if not outcome.ok and not outcome.errors and not outcome.general:
        outcome.general = [_("The values were refused.")]
    return outcome
