"""Findings described for the person who entered the figure: the import's warning lines,
the upload preview and the progress form.

`import_warnings` is what a caller above the import engine passes to `import_file(warn=...)`
(the engine, a lower layer, knows nothing of data quality).
"""
from __future__ import annotations

from django.utils.translation import gettext as _

from twintrack import sql
from twintrack.orgs.models import OrgUnit
from twintrack.quality.evaluate import (
    Finding, Scope, findings_for, findings_of_rows, findings_of_table, months_of_rows, refresh_statistics,
)

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


MANY_UNITS = 8  # a file writing to more top units than this is evaluated once, over their common ancestor


def top_paths(org_ids) -> list[str]:
    """The org paths of these units, leaving out any below another one in the list."""
    paths = sorted(set(OrgUnit.objects.filter(id__in=list(org_ids)).values_list("path", flat=True)))
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(top) for top in kept):
            kept.append(path)
    return kept


def common_ancestor(paths: list[str]) -> str:
    """The path of the lowest unit above (or at) every one of these paths."""
    common: list[str] = []
    for segments in zip(*(path.strip("/").split("/") for path in paths)):
        if len(set(segments)) != 1:
            break
        common.append(segments[0])
    return "/" + "".join(f"{segment}/" for segment in common)


def evaluated_paths(org_ids) -> list[str]:
    """Where to look for the file's findings: its top units, or, when it writes to many (a
    month-end file of a whole province), their common ancestor: one pass over the progress
    table instead of one per unit (each costs about as much). A finding outside the file's
    units is no loss of exactness: only findings on the file's own rows are reported."""
    paths = top_paths(org_ids)
    return [common_ancestor(paths)] if len(paths) > MANY_UNITS else paths


def findings_of_written(written) -> list[tuple[int, Finding]]:
    """(row, finding) of each finding on a project-month the file wrote, in row order. When the
    writer kept the file's project-months in a table (`written.project_months`), only those rows
    are evaluated; otherwise the months written are evaluated for the units written (set-based,
    as `twintrack quality`). Then the file is read again only to number the rows of what was found."""
    found: dict[tuple[str, int, int], list[Finding]] = {}
    for finding in _findings(written):
        found.setdefault((finding.project, finding.year, finding.month), []).append(finding)
    if not found:
        return []
    rows = written.rows_of(set(found))
    pairs = [(rows[key], finding) for key, findings in found.items() if key in rows for finding in findings]
    pairs.sort(key=lambda pair: (pair[0], pair[1].rule))
    return pairs


MANY_ROWS = 300_000  # rows of one month from which the file's units are evaluated whole


def _findings(written) -> list[Finding]:
    """The findings on (at least) the file's rows. When the writer kept the file's project-months
    in a table (`written.project_months`): a file of several months in one windowed pass over its
    projects' rows (month by month, each month would read the history again: quadratic in the
    months of a year's load); one month on its rows alone when they are not many. Otherwise the
    month over the file's units: a month-end file holds most of them, and one pass over the units'
    month costs less than its rows taken one by one (measured on PostgreSQL at 10^6 rows); the
    findings on other rows are dropped when the rows are numbered."""
    table = getattr(written, "project_months", None)
    months = months_of_rows(table) if table else {month: MANY_ROWS for month in written.months}
    if table and sum(months.values()) >= MANY_ROWS:
        refresh_statistics()
    if table and len(months) > 1:
        return findings_of_table(table)
    found: list[Finding] = []
    for (year, month), count in sorted(months.items()):
        if count < MANY_ROWS:
            with sql.probing_indexes(count):
                found.extend(findings_of_rows(table, year, month))
        else:
            found.extend(finding for path in evaluated_paths(written.org_ids)
                         for finding in findings_for(year, month, Scope(path)))
    return found


def import_warnings(written) -> list[str]:
    """The `warn` hook of `twintrack.imports.importer.import_file`."""
    return [warning_line(row, finding) for row, finding in findings_of_written(written)]
