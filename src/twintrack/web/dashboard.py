"""What the dashboard shows, as plain data for the template and the charts.

The figures come from `build_report` (the same numbers as `twintrack report`); this module
only chooses the period, formats amounts in reporting units for the UI language and shapes
the chart series. Access is decided in `twintrack.orgs.access`, not here.
"""
from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from twintrack.display.amounts import chart_number, chart_scale, format_amount, percent, percent_number, split_amount
from twintrack.display.labels import metric_label
from twintrack.display.language import lang_of
from twintrack.display.periods import MONTH_ABBREVIATIONS, current_month, format_period, period_label, shift_month
from twintrack.metrics import version
from twintrack.metrics.report import monthly_totals, targets_for
from twintrack.metrics.rules import METRIC_KEYS, Totals, is_ahead_of_schedule
from twintrack.orgs.access import visible_ancestors
from twintrack.orgs.models import OrgUnit
from twintrack.quality.services import completeness_of
from twintrack.reports.build import build_report

# The metrics of contract section 3, always on the page; later metrics show where they have data.
CORE_METRICS = ("projects", "investment_yuan", "energy_saved_tce")


# --- the page ------------------------------------------------------------------------------

def dashboard_url(org: OrgUnit, year: int, month: int, approved_only: bool = False) -> str:
    query = {"org": org.code, "period": format_period(year, month)}
    if approved_only:
        query["approved"] = "1"
    return reverse("dashboard") + "?" + urlencode(query)


def metric_card(metric: str, figures: dict, month: int, lang: str) -> dict:
    actual_number, actual_unit = split_amount(format_amount(metric, figures["actual"], lang))
    completion = figures["completion_rate"]
    return {
        "key": metric,
        "label": metric_label(metric, lang),
        "actual_number": actual_number,
        "actual_unit": actual_unit,
        "target": format_amount(metric, figures["target"], lang) if figures["target"] is not None else None,
        "completion": percent(completion),
        "completion_bar": None if completion is None else max(0, min(100, round(completion * 100))),
        "annual_target": (format_amount(metric, figures["annual_target"], lang)
                          if figures["annual_target"] is not None else None),
        "annual_rate": percent(figures["annual_rate"]),
        "schedule_rate": percent(figures["schedule_rate"]),
        "ahead": is_ahead_of_schedule(figures["annual_rate"], month),
    }


def shown_metrics(report: dict) -> tuple[str, ...]:
    """The metrics the page shows: the contract's three always; a metric added later (CO2 from
    energy carrier lines) only where the unit or a child has a figure or a target for it."""
    shown = []
    for key in METRIC_KEYS:
        if key not in report["metrics"]:
            continue
        blocks = [report["metrics"][key]] + [child["metrics"][key] for child in report["children"]]
        if key in CORE_METRICS or any(
                b["actual"] or b["target"] is not None or b["annual_target"] is not None for b in blocks):
            shown.append(key)
    return tuple(shown)


def child_row(child: dict, org: OrgUnit, year: int, month: int, lang: str, metrics: tuple[str, ...],
              approved_only: bool = False) -> dict:
    summary = child["org"]
    name = summary["name_en"] if lang == "en" and summary["name_en"] else summary["name_zh"]
    cells = []
    for metric in metrics:
        figures = child["metrics"][metric]
        cells.append({
            "metric": metric,
            "label": metric_label(metric, lang),
            "actual": format_amount(metric, figures["actual"], lang, short=True),
            "completion": percent(figures["completion_rate"]),
            "ahead": is_ahead_of_schedule(figures["annual_rate"], month),
        })
    return {"code": summary["code"], "name": name, "url": dashboard_url(org, year, month, approved_only),
            "cells": cells}


def cumulative_series(org: OrgUnit, year: int, month: int, lang: str, metrics: tuple[str, ...],
                      approved_only: bool = False) -> dict:
    """Per metric: cumulative actual for each month 1..M against the unit's own cumulative
    targets for those months (null where no target is set)."""
    months = tuple(range(1, month + 1))
    running, actuals = Totals(), []
    if approved_only:
        from twintrack.metrics.approved import approved_monthly_totals

        by_month = approved_monthly_totals([org], year, month)[org.id]
    else:
        by_month = monthly_totals(org.id, year, month)
    for totals in by_month:
        running = running + totals
        actuals.append(running.actuals())
    targets = targets_for([org.id], year, months)
    series = {}
    for metric in metrics:
        actual = [a[metric] for a in actuals]
        target = [targets.get((org.id, metric, m)) for m in months]
        scale = chart_scale(metric, max([abs(Decimal(str(v))) for v in actual + target if v is not None] or [0]),
                            lang)
        series[metric] = {
            "unit": scale.unit(lang),
            "actual": [chart_number(v, scale) for v in actual],
            "target": [chart_number(v, scale) for v in target],
        }
    return series


def ranking_series(report: dict, lang: str, metrics: tuple[str, ...]) -> dict:
    """Per metric: the child units with a target, best completion rate first."""
    ranking = {}
    for metric in metrics:
        rows = []
        for child in report["children"]:
            rate = child["metrics"][metric]["completion_rate"]
            if rate is None:
                continue
            summary = child["org"]
            name = summary["name_en"] if lang == "en" and summary["name_en"] else summary["name_zh"]
            rows.append({"code": summary["code"], "name": name, "value": percent_number(rate)})
        rows.sort(key=lambda row: (-row["value"], row["code"]))
        ranking[metric] = rows
    return ranking


def dashboard_context(org: OrgUnit, year: int, month: int, language_code: str, approved_only: bool = False) -> dict:
    """What every user who may see `org` is shown alike (the breadcrumb is per user: `breadcrumb`)."""
    from twintrack.web.geo import map_context

    lang = lang_of(language_code)
    report = build_report(org, year, month, approved_only=approved_only)
    metrics = shown_metrics(report)
    children = list(org.children.order_by("code"))
    child_by_code = {c.code: c for c in children}
    prev_year, prev_month = shift_month(year, month, -1)
    next_year, next_month = shift_month(year, month, 1)
    chart_data = {
        "metrics": [{"key": m, "label": metric_label(m, lang)} for m in metrics],
        "months": [str(MONTH_ABBREVIATIONS[m]) for m in range(1, month + 1)],
        "cumulative": cumulative_series(org, year, month, lang, metrics, approved_only),
        "ranking": ranking_series(report, lang, metrics),
        "labels": {
            "actual": _("Actual (cumulative)"),
            "target": _("Target (cumulative)"),
            "completion": _("Completion rate"),
            "full": _("Target met"),
            "no_targets": _("No targets set for the units below"),
            "no_target": _("no target"),
            "rate_bands": [_("below 60%"), _("60% to 80%"), _("80% to 100%"), _("at least 100%")],
        },
    }
    children_rows = [child_row(c, child_by_code[c["org"]["code"]], year, month, lang, metrics, approved_only)
                     for c in report["children"]]
    own_rates = {m: percent_number(report["metrics"][m]["completion_rate"]) for m in metrics}
    geo = map_context(org, children_rows, chart_data["ranking"], own_rates, lang)
    chart_data["map"] = geo["map"]
    return {
        "org": org,
        "org_name": org.display_name(lang),
        "report": report,
        "narrative": report["narrative"][lang],
        "cards": [metric_card(m, report["metrics"][m], month, lang) for m in metrics],
        "children": children_rows,
        "zones": geo["zones"],
        "map_scripts": geo.get("map_scripts", []),
        "has_map": geo["map"] is not None,
        "approved_only": approved_only,
        "all_data_url": dashboard_url(org, year, month),
        "approved_url": dashboard_url(org, year, month, True),
        "metric_labels": [metric_label(m, lang) for m in metrics],
        "period": format_period(year, month),
        "period_label": period_label(year, month),
        "schedule_rate": percent(month / 12),
        "prev_url": dashboard_url(org, prev_year, prev_month, approved_only),
        "next_url": dashboard_url(org, next_year, next_month, approved_only) if (next_year, next_month) <= current_month() else None,
        "chart_data": chart_data,
        "completeness": completeness_of(org, year, month),
        "quality_url": reverse("quality") + "?" + urlencode({"org": org.code, "period": format_period(year, month)}),
    }


def breadcrumb(user, org: OrgUnit, year: int, month: int, language_code: str, approved_only: bool) -> list[dict]:
    lang = lang_of(language_code)
    return [{"name": unit.display_name(lang), "url": dashboard_url(unit, year, month, approved_only),
             "current": unit.id == org.id}
            for unit in visible_ancestors(user, org)]


# What the per-request head (_dashboard_head.html) reads from the shared part.
HEAD_KEYS = ("org_name", "period", "period_label", "prev_url", "next_url", "all_data_url", "approved_url",
             "approved_only", "narrative")


def dashboard_page(request, org: OrgUnit, year: int, month: int, approved_only: bool = False) -> dict:
    """The page body. Its figures, charts and tables are the same for every user who may see the
    unit, so they are rendered once per version of the unit's subtree (and the global version)
    and shared; the head above them is rendered for each request, as its breadcrumb and overdue
    requirements depend on what the user may see. Keyed by the day: the period picker's latest
    month moves at midnight."""
    language_code = get_language()
    key = (f"dashboard:{org.id}:{format_period(year, month)}:{language_code}:{int(approved_only)}:"
           f"{timezone.localdate().isoformat()}")

    def render_shared() -> dict:
        context = dashboard_context(org, year, month, language_code, approved_only)
        return {
            "title": f"{context['org_name']} {context['period']}",
            "period": context["period"],
            "report": context["report"],
            "map_scripts": context["map_scripts"],
            "head": {name: context[name] for name in HEAD_KEYS},
            "body": str(render_to_string("web/_dashboard_body.html", context)),
        }

    page = dict(version.cached(key, render_shared, [org], period=(year, month)))
    crumbs = breadcrumb(request.user, org, year, month, language_code, approved_only)
    head = {**page["head"], "org": org, "breadcrumb": crumbs}
    page["body"] = mark_safe(render_to_string("web/_dashboard_head.html", head, request=request) + page["body"])
    return page
