"""Findings described for the person who entered the figure: the import's warning lines,
the upload preview and the progress form.

`import_warnings` is what a caller above the import engine passes to `import_file(warn=...)`
(the engine, a lower layer, knows nothing of data quality).
"""
from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from twintrack.quality.evaluate import Finding, Scope, findings_for

COLUMN = "investment_yuan"


def yuan(value) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def describe(finding: Finding) -> str:
    """Why the figure was flagged, in the current language."""
    values = {"value": yuan(finding.value), "threshold": "" if finding.threshold is None else yuan(finding.threshold)}
    if finding.rule == "over_plan":
        return _("investment to date %(value)s yuan is more than %(threshold)s yuan, the planned investment "
                 "times the rule's factor") % values
    if finding.rule == "spike":
        return _("%(value)s yuan is more than %(threshold)s yuan, the rule's factor times the median of the "
                 "project's non-zero months in the year before") % values
    if finding.rule == "repeated":
        return _("%(value)s yuan is exactly the same as in each of the months before") % values
    if finding.rule == "after_completion":
        return _("investment reported %(value)s months after the planned end of a completed project "
                 "(more than %(threshold)s)") % {"value": int(finding.value), "threshold": int(finding.threshold)}
    return _("%(value)s flagged by the rule") % values


def warning_line(row: int, finding: Finding) -> str:
    """The contract's line (section 5); only the reason is translated."""
    return f"warning: row {row}, column {COLUMN}: {describe(finding)} [{finding.rule}]"


def findings_of_rows(rows_of: dict[tuple[int, int, int], int]) -> list[tuple[int, Finding]]:
    """(row, finding) of each finding on a project-month the rows wrote, in row order."""
    by_month: dict[tuple[int, int], list[int]] = defaultdict(list)
    for project_id, year, month in rows_of:
        by_month[(year, month)].append(project_id)
    found = []
    for (year, month), project_ids in sorted(by_month.items()):
        for finding in findings_for(year, month, Scope("", tuple(project_ids))):
            found.append((rows_of[(finding.project_id, year, month)], finding))
    found.sort(key=lambda pair: (pair[0], pair[1].rule))
    return found


def import_warnings(rows_of: dict[tuple[int, int, int], int]) -> list[str]:
    return [warning_line(row, finding) for row, finding in findings_of_rows(rows_of)]
