"""The report data (contract section 3), read from rollups and targets. No rendering here."""
from __future__ import annotations

from decimal import Decimal
from typing import Callable, Iterable

from django.db.models import Sum

from twintrack.display.periods import format_period
from twintrack.metrics.approved import approved_subtree_totals
from twintrack.metrics.models import Rollup
from twintrack.metrics.rules import METRIC_KEYS, ROLLUP_FIELDS, Totals, metric_figures
from twintrack.orgs.models import OrgUnit
from twintrack.programme.models import Target


def org_summary(org: OrgUnit) -> dict:
    return {"code": org.code, "name_zh": org.name_zh, "name_en": org.name_en}


def subtree_totals(org_ids: list[int], year: int, through_month: int, first_month: int = 1) -> dict[int, Totals]:
    """Each unit's subtree totals for months first_month..through_month: one indexed query."""
    rows = (
        Rollup.objects.filter(org_id__in=org_ids, year=year, month__gte=first_month, month__lte=through_month)
        .values("org_id").annotate(**{f: Sum(f) for f in ROLLUP_FIELDS})
    )
    totals = {org_id: Totals() for org_id in org_ids}
    for row in rows:
        totals[row["org_id"]] = Totals(*(row[f] or 0 for f in ROLLUP_FIELDS))
    return totals


def monthly_totals(org_id: int, year: int, through_month: int) -> list[Totals]:
    """The unit's own month-by-month figures for January..through_month (not cumulative)."""
    by_month = {
        m: Totals(*values)
        for m, *values in Rollup.objects.filter(org_id=org_id, year=year, month__lte=through_month)
        .values_list("month", *ROLLUP_FIELDS)
    }
    return [by_month.get(m, Totals()) for m in range(1, through_month + 1)]


def targets_for(org_ids: list[int], year: int, months: tuple[int, ...]) -> dict[tuple[int, str, int], Decimal]:
    rows = Target.objects.filter(org_id__in=org_ids, year=year, through_month__in=months)
    return {(t.org_id, t.metric, t.through_month): t.value for t in rows}


def json_number(metric: str, value):
    """Counts are integers; amounts are JSON floats, as the contract shows them."""
    if value is None:
        return None
    if metric == "projects":
        return int(value) if Decimal(value) == int(value) else float(value)
    return float(value)


def metrics_block(org_id: int, totals: Totals, targets: dict, through_month: int) -> dict:
    actuals = totals.actuals()
    block = {}
    for metric in METRIC_KEYS:
        figures = metric_figures(
            actuals[metric],
            targets.get((org_id, metric, through_month)),
            targets.get((org_id, metric, 12)),
            through_month,
        )
        for field in ("actual", "target", "annual_target"):
            figures[field] = json_number(metric, figures[field])
        block[metric] = figures
    block["energy_saved_tce"]["carrier_lines_share"] = totals.carrier_lines_share()
    return block


Extension = Callable[[dict, OrgUnit, list, int, int], None]


def report_for_period(org: OrgUnit, year: int, through_month: int, approved_only: bool = False,
                      extensions: Iterable[Extension] = ()) -> dict:
    """The bulletin's figures for January..through_month of `year`, for org and its children.

    Reads at most (1 + children) x 12 rollup rows and their target rows, whatever the
    number of projects below. With `approved_only`, a unit-month counts only once it is
    approved (twintrack.metrics.approved), and the report says so (`"approved_only": true`).
    `extensions`, passed by a caller above (reports.build: energy's conversion basis), add
    keys to the report, renaming none: each is called (report, org, children, year, through_month).
    """
    children = list(org.children.order_by("code"))
    ids = [org.id] + [c.id for c in children]
    if approved_only:
        totals = approved_subtree_totals([org] + children, year, through_month)
    else:
        totals = subtree_totals(ids, year, through_month)
    targets = targets_for(ids, year, (through_month, 12))
    report = {
        "org": org_summary(org),
        "period": format_period(year, through_month),
        "metrics": metrics_block(org.id, totals[org.id], targets, through_month),
        "children": [
            {"org": org_summary(c), "metrics": metrics_block(c.id, totals[c.id], targets, through_month)}
            for c in children
        ],
    }
    if approved_only:
        report["approved_only"] = True
    for extend in extensions:
        extend(report, org, children, year, through_month)
    return report
