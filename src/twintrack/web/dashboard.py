"""What the dashboard shows, as plain data for the template and the charts.

The figures come from `build_report` (the same numbers as `twintrack report`); this module
only chooses the period, formats amounts in reporting units for the UI language and shapes
the chart series. Access is decided in `twintrack.orgs.access`, not here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_decimal
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from twintrack.metrics import version
from twintrack.metrics.models import Rollup
from twintrack.metrics.report import monthly_totals, targets_for
from twintrack.metrics.rules import (
    METRIC_BY_KEY, METRIC_KEYS, ROLLUP_FIELDS, Totals, format_period, is_ahead_of_schedule,
)
from twintrack.orgs.access import visible_ancestors
from twintrack.orgs.models import OrgUnit
from twintrack.quality.services import completeness_of
from twintrack.reports.build import build_report
from twintrack.reports.narrative import grouped, percent, tce_en, tce_zh, trim, yuan_en, yuan_zh

METRIC_LABELS = {
    "projects": gettext_lazy("Projects launched"),
    "investment_yuan": gettext_lazy("Technological-transformation investment"),
    "energy_saved_tce": gettext_lazy("Energy saved"),
    "co2_reduced_t": gettext_lazy("CO2 reduced"),
}

MONTH_NAMES = {
    1: pgettext_lazy("month name", "January"), 2: pgettext_lazy("month name", "February"),
    3: pgettext_lazy("month name", "March"), 4: pgettext_lazy("month name", "April"),
    5: pgettext_lazy("month name", "May"), 6: pgettext_lazy("month name", "June"),
    7: pgettext_lazy("month name", "July"), 8: pgettext_lazy("month name", "August"),
    9: pgettext_lazy("month name", "September"), 10: pgettext_lazy("month name", "October"),
    11: pgettext_lazy("month name", "November"), 12: pgettext_lazy("month name", "December"),
}

MONTH_ABBREVIATIONS = {
    1: pgettext_lazy("month abbreviation", "Jan"), 2: pgettext_lazy("month abbreviation", "Feb"),
    3: pgettext_lazy("month abbreviation", "Mar"), 4: pgettext_lazy("month abbreviation", "Apr"),
    5: pgettext_lazy("month abbreviation", "May"), 6: pgettext_lazy("month abbreviation", "Jun"),
    7: pgettext_lazy("month abbreviation", "Jul"), 8: pgettext_lazy("month abbreviation", "Aug"),
    9: pgettext_lazy("month abbreviation", "Sep"), 10: pgettext_lazy("month abbreviation", "Oct"),
    11: pgettext_lazy("month abbreviation", "Nov"), 12: pgettext_lazy("month abbreviation", "Dec"),
}

DASH = "—"

# The metrics of contract section 3, always on the page; later metrics show where they have data.
CORE_METRICS = ("projects", "investment_yuan", "energy_saved_tce")


def ui_lang(language_code: str | None) -> str:
    """'en' or 'zh': the narrative and amount style for a Django language code."""
    return "en" if (language_code or "").startswith("en") else "zh"


def metric_label(key: str, lang: str) -> str:
    """The UI label of a metric; a metric added to the rules later shows its own label."""
    if key in METRIC_LABELS:
        return str(METRIC_LABELS[key])
    metric = METRIC_BY_KEY[key]
    return metric.label_en if lang == "en" else metric.label_zh


# --- periods ---------------------------------------------------------------------------

def current_month() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, today.month


def default_period(org: OrgUnit) -> tuple[int, int]:
    """The latest month, not after the current one, with figures for `org`; else the current month."""
    year, month = current_month()
    latest = (
        Rollup.objects.filter(org=org)
        .filter(Q(year__lt=year) | Q(year=year, month__lte=month))
        .exclude(**{field: 0 for field in ROLLUP_FIELDS})  # rows where every figure is zero
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )
    return latest or (year, month)


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def period_label(year: int, month: int) -> str:
    """The cumulative range a report covers: 'January to July 2023' / '2023年1月至7月'."""
    if month == 1:
        return _("January %(year)s") % {"year": year}
    return _("January to %(month)s %(year)s") % {"month": MONTH_NAMES[month], "year": year}


# --- amounts in reporting units ------------------------------------------------------------

_NUMBER = re.compile(r"^(-?[\d,]+(?:\.\d+)?)\s*(.*)$")


def format_amount(metric: str, value, lang: str, short: bool = False) -> str:
    """An actual or a target as a bulletin writes it: '429.65亿元', '42.965 billion yuan', '1505个'.

    `short` writes 'tce' for 'tonnes of standard coal' in English (for table cells)."""
    if value is None:
        return DASH
    if metric == "projects":
        count = int(value)
        if lang == "zh":
            return f"{count}个"
        return f"{format_decimal(count, locale='en')} {'project' if count == 1 else 'projects'}"
    amount = Decimal(str(value))
    if metric == "investment_yuan":
        return yuan_zh(amount) if lang == "zh" else yuan_en(amount)
    if metric == "energy_saved_tce":
        if lang == "zh":
            return tce_zh(amount)
        text = tce_en(amount)
        return text.replace("tonnes of standard coal", "tce") if short else text
    if metric == "co2_reduced_t":
        if lang == "zh":
            if abs(amount) >= Decimal("1e4"):
                return trim(amount / Decimal("1e4"), 2) + "万吨"
            return trim(amount, 2) + "吨"
        return grouped(amount, 0 if abs(amount) >= 100 else 2) + (" t CO2" if short else " tonnes of CO2")
    unit = METRIC_BY_KEY[metric].unit_zh if lang == "zh" else " " + METRIC_BY_KEY[metric].unit_en
    return grouped(amount, 2) + unit


def split_amount(text: str) -> tuple[str, str]:
    """'429.65亿元' -> ('429.65', '亿元'), for a big number with a small unit beside it."""
    match = _NUMBER.match(text)
    if not match:
        return text, ""
    return match.group(1), match.group(2)


@dataclass(frozen=True)
class Scale:
    divisor: Decimal
    unit: str


def chart_scale(metric: str, largest, lang: str) -> Scale:
    """The unit a chart axis uses, chosen by the largest value shown."""
    largest = abs(Decimal(str(largest or 0)))
    if metric == "projects":
        return Scale(Decimal(1), pgettext("unit of a count", "projects"))
    if metric == "investment_yuan":
        steps = ((Decimal("1e8"), _("100 million yuan")), (Decimal("1e4"), _("10,000 yuan"))) if lang == "zh" else (
            (Decimal("1e9"), _("billion yuan")), (Decimal("1e6"), _("million yuan")))
        for divisor, unit in steps:
            if largest >= divisor:
                return Scale(divisor, unit)
        return Scale(Decimal(1), _("yuan"))
    if metric == "energy_saved_tce":
        if lang == "zh" and largest >= Decimal("1e4"):
            return Scale(Decimal("1e4"), _("10,000 tonnes of standard coal"))
        return Scale(Decimal(1), _("tonnes of standard coal"))
    if metric == "co2_reduced_t":
        if lang == "zh" and largest >= Decimal("1e4"):
            return Scale(Decimal("1e4"), _("10,000 tonnes of CO2"))
        return Scale(Decimal(1), _("tonnes of CO2"))
    metric_def = METRIC_BY_KEY[metric]
    return Scale(Decimal(1), metric_def.unit_en if lang == "en" else metric_def.unit_zh)


def scaled(value, scale: Scale) -> float | None:
    if value is None:
        return None
    return round(float(Decimal(str(value)) / scale.divisor), 4)


def rate_percent(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 2)


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
            "unit": scale.unit,
            "actual": [scaled(v, scale) for v in actual],
            "target": [scaled(v, scale) for v in target],
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
            rows.append({"code": summary["code"], "name": name, "value": rate_percent(rate)})
        rows.sort(key=lambda row: (-row["value"], row["code"]))
        ranking[metric] = rows
    return ranking


def dashboard_context(user, org: OrgUnit, year: int, month: int, language_code: str,
                      approved_only: bool = False) -> dict:
    from twintrack.web.geo import map_context

    lang = ui_lang(language_code)
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
    own_rates = {m: rate_percent(report["metrics"][m]["completion_rate"]) for m in metrics}
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
        "breadcrumb": [
            {"name": unit.display_name(lang), "url": dashboard_url(unit, year, month, approved_only),
             "current": unit.id == org.id}
            for unit in visible_ancestors(user, org)
        ],
        "period": format_period(year, month),
        "period_label": period_label(year, month),
        "schedule_rate": percent(month / 12),
        "prev_url": dashboard_url(org, prev_year, prev_month, approved_only),
        "next_url": dashboard_url(org, next_year, next_month, approved_only) if (next_year, next_month) <= current_month() else None,
        "chart_data": chart_data,
        "completeness": completeness_of(org, year, month),
        "quality_url": reverse("quality") + "?" + urlencode({"org": org.code, "period": format_period(year, month)}),
    }


def dashboard_page(request, org: OrgUnit, year: int, month: int, approved_only: bool = False) -> dict:
    """The page body, rendered once per data version: it changes only when data is written.

    Keyed by the user too (the breadcrumb and the overdue requirements depend on what they
    may see) and by the day (a requirement becomes overdue at midnight)."""
    language_code = get_language()
    key = (f"dashboard:{request.user.pk}:{org.id}:{format_period(year, month)}:{language_code}:"
           f"{int(approved_only)}:{timezone.localdate().isoformat()}")

    def render_body() -> dict:
        context = dashboard_context(request.user, org, year, month, language_code, approved_only)
        return {
            "title": f"{context['org_name']} {context['period']}",
            "period": context["period"],
            "report": context["report"],
            "map_scripts": context["map_scripts"],
            "body": str(render_to_string("web/_dashboard_body.html", context, request=request)),
        }

    page = dict(version.cached(key, render_body))
    page["body"] = mark_safe(page["body"])  # rendered by our own template, escaped there
    return page
