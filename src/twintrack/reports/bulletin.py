"""Everything a bulletin shows, as one JSON-serialisable dict (what a published version freezes).

    bulletin_data(org, year, month) -> {
        "schema": 1,
        "report":  the contract report (section 3) of build_report,
        "outlook": {"unit": {metric: outlook}, "children": {code: {metric: outlook}}},
        "series":  {metric: {"actual": [cumulative Jan..M], "target": [cumulative Jan..Dec or null],
                             "projected": [cumulative M..Dec]}},
        "ranking": {"metric": "investment_yuan", "ranked": [codes, best first], "no_target": [codes]},
        "coefficients": {...the coefficient/factor table versions the figures used...},
    }

The renderers (xlsx, docx, pdf) read nothing but this dict, so a published version can
always be re-read from its stored JSON, and what the files say is what the JSON says.
"""
from __future__ import annotations

from decimal import Decimal

from twintrack.metrics.report import monthly_totals, targets_for
from twintrack.metrics.rules import METRIC_KEYS
from twintrack.orgs.models import OrgUnit
from twintrack.reports.build import build_report
from twintrack.reports.outlook import outlook_block

SCHEMA = 1
RANK_METRIC = "investment_yuan"  # the headline metric districts are ranked by
MONTHS = tuple(range(1, 13))


def _monthly_by_metric(totals) -> dict[str, list]:
    series = {metric: [] for metric in METRIC_KEYS}
    for month in totals:
        for metric, value in month.actuals().items():
            series[metric].append(value)
    return series


def unit_outlook(org_id: int, year: int, month: int, targets: dict) -> dict:
    this_year = _monthly_by_metric(monthly_totals(org_id, year, month))
    last_year = _monthly_by_metric(monthly_totals(org_id, year - 1, 12))
    cumulative = {metric: {m: targets[(org_id, metric, m)] for m in MONTHS if (org_id, metric, m) in targets}
                  for metric in METRIC_KEYS}
    annual = {metric: cumulative[metric].get(12) for metric in METRIC_KEYS}
    return outlook_block(this_year, month, annual, cumulative, last_year)


def _series(org_id: int, year: int, month: int, targets: dict, outlook: dict) -> dict:
    monthly = _monthly_by_metric(monthly_totals(org_id, year, month))
    series = {}
    for metric in METRIC_KEYS:
        running, actual = Decimal(0), []
        for value in monthly[metric]:
            running += Decimal(str(value))
            actual.append(float(running))
        target = [targets.get((org_id, metric, m)) for m in MONTHS]
        series[metric] = {
            "actual": actual,
            "target": [None if t is None else float(t) for t in target],
            "projected": outlook[metric]["path"],
        }
    return series


def ranking(report: dict, metric: str = RANK_METRIC) -> dict:
    """Child units by completion rate of `metric`, best first (ties by code); units
    without a target for the period are listed apart, in code order, never dropped."""
    with_rate = [c for c in report["children"] if c["metrics"][metric]["completion_rate"] is not None]
    without = [c for c in report["children"] if c["metrics"][metric]["completion_rate"] is None]
    with_rate.sort(key=lambda c: (-c["metrics"][metric]["completion_rate"], c["org"]["code"]))
    return {"metric": metric, "ranked": [c["org"]["code"] for c in with_rate],
            "no_target": [c["org"]["code"] for c in without]}


def coefficients_used(org: OrgUnit, year: int, month: int) -> dict:
    """The versions of the coefficient and emission-factor tables the figures rest on.

    The energy app (contract section 4) registers them by providing
    `twintrack.energy.snapshot.coefficients_used(org, year, month) -> dict`; until it
    exists the figures use none and the snapshot records an empty dict.
    """
    from django.apps import apps

    if not apps.is_installed("twintrack.energy"):
        return {}
    try:
        from twintrack.energy.snapshot import coefficients_used as energy_coefficients  # type: ignore
    except ImportError:
        return {}
    return energy_coefficients(org, year, month)


def bulletin_data(org: OrgUnit, year: int, month: int, rank_metric: str = RANK_METRIC) -> dict:
    report = build_report(org, year, month)
    children = list(org.children.order_by("code"))
    ids = [org.id] + [c.id for c in children]
    targets = targets_for(ids, year, MONTHS)
    outlook = {"unit": unit_outlook(org.id, year, month, targets),
               "children": {c.code: unit_outlook(c.id, year, month, targets) for c in children}}
    root = OrgUnit.objects.get(id=org.ancestor_ids()[0]) if org.parent_id else org
    return {
        "schema": SCHEMA,
        "issuer": {"code": root.code, "name_zh": root.name_zh, "name_en": root.name_en},
        "report": report,
        "outlook": outlook,
        "series": _series(org.id, year, month, targets, outlook["unit"]),
        "ranking": ranking(report, rank_metric),
        "coefficients": coefficients_used(org, year, month),
        "quality": quality_summary(org, year, month),
    }


def quality_summary(org: OrgUnit, year: int, month: int) -> dict:
    """The month's completeness and open findings as they stand when the bulletin is made
    (frozen with a published version; its notes state them)."""
    from twintrack.quality.services import quality_view

    view = quality_view(org, year, month)
    return {**view.completeness.as_json(with_missing=False), "open_findings": view.open_findings()}
