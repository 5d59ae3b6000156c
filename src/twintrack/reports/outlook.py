"""The year-end outlook: where a metric will stand in December, and whether the annual
target will be met. Plain functions: no database, so every rule is tested on its own.

Method: the seasonal-share (同期占比) estimator
-----------------------------------------------
    projected December figure = actual January..M / s(M)

where s(M) is the share of a year's total that is normally done by the end of month M.
The estimator keeps this year's level and borrows only the *shape* of a year. The shape
comes from the best source available, in this order:

1. ``last_year``: the unit's own monthly figures of last year, when it reported a
   non-zero figure in every one of the twelve months. Technological-transformation
   investment and project launches are strongly seasonal in China: slow in January and
   February (Spring Festival), a push before the half-year and the year-end. A linear
   run-rate misreads that pattern as a slowdown in spring and as an overshoot in autumn;
   last year's share of the same months is how statistics offices project a full year
   (按上年同期进度推算). A year with gaps (a unit new to the programme, a partial year of
   data) is not a pattern, so it is not used.
2. ``target_phasing``: the bureau's own cumulative monthly targets, s(M) = target(M) /
   target(12). The bureau phases its targets by the seasonality it expects, so in a
   unit's first year this is the best shape there is; it reads "if the rest of the year
   goes as planned, at this year's rate of over- or under-performance".
3. ``run_rate``: s(M) = M / 12, the linear run-rate, when neither exists.
4. ``actual``: in December the year is over and the figure is the actual.

Alongside, the outlook gives what the unit would need per remaining month to meet the
annual target, and its average of the last three months (this year's current pace), so
a reader sees how far the two are apart whatever the projection says.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping, Sequence

METHODS = ("last_year", "target_phasing", "run_rate", "actual")
RECENT_MONTHS = 3


def _float(value) -> float | None:
    return None if value is None else float(value)


def last_year_profile(monthly: Sequence | None) -> list[float] | None:
    """Cumulative shares s(1..12) from last year's twelve monthly figures, or None when
    last year is incomplete (a month missing or zero) or empty."""
    if monthly is None or len(monthly) != 12:
        return None
    values = [Decimal(str(v)) for v in monthly]
    if any(v <= 0 for v in values):
        return None
    total = sum(values)
    shares, running = [], Decimal(0)
    for value in values:
        running += value
        shares.append(float(running / total))
    shares[-1] = 1.0
    return shares


def target_profile(cumulative_targets: Mapping[int, object], through_month: int) -> list[float | None] | None:
    """Cumulative shares from the unit's cumulative targets: s(m) = target(m) / target(12).

    Needs targets for month M and month 12 (both positive, M's not above December's).
    Months without a target are interpolated linearly between their neighbours, so that
    the projected path in the chart is continuous; months before the first known one are
    left None (the projection never needs them).
    """
    annual = cumulative_targets.get(12)
    period = cumulative_targets.get(through_month)
    if annual is None or period is None:
        return None
    annual, period = Decimal(str(annual)), Decimal(str(period))
    if annual <= 0 or period <= 0 or period > annual:
        return None
    known = {m: float(Decimal(str(v)) / annual) for m, v in cumulative_targets.items()
             if v is not None and 1 <= m <= 12}
    known[12] = 1.0
    shares: list[float | None] = []
    months = sorted(known)
    for m in range(1, 13):
        if m in known:
            shares.append(known[m])
            continue
        before = [k for k in months if k < m]
        after = [k for k in months if k > m]
        if not before:
            shares.append(None)
            continue
        lo, hi = before[-1], after[0]
        shares.append(known[lo] + (known[hi] - known[lo]) * (m - lo) / (hi - lo))
    return shares


def run_rate_profile() -> list[float]:
    return [m / 12 for m in range(1, 13)]


def choose_profile(through_month: int, last_year_monthly: Sequence | None,
                   cumulative_targets: Mapping[int, object]) -> tuple[str, list]:
    """The method and its cumulative shares, best source first (see the module doc)."""
    if through_month >= 12:
        return "actual", [1.0] * 12
    profile = last_year_profile(last_year_monthly)
    if profile is not None and profile[through_month - 1] > 0:
        return "last_year", profile
    profile = target_profile(cumulative_targets, through_month)
    if profile is not None:
        return "target_phasing", profile
    return "run_rate", run_rate_profile()


def _round_count(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def outlook_metric(metric: str, monthly: Sequence, through_month: int, annual_target=None,
                   cumulative_targets: Mapping[int, object] | None = None,
                   last_year_monthly: Sequence | None = None) -> dict:
    """The year-end outlook of one metric for one unit.

    `monthly` is this year's figure of each month January..M (not cumulative);
    `cumulative_targets` maps a month to the unit's cumulative target through that month;
    `last_year_monthly` is last year's twelve monthly figures (or None).
    """
    if len(monthly) != through_month:
        raise ValueError(f"expected {through_month} monthly figures, got {len(monthly)}")
    cumulative_targets = cumulative_targets or {}
    actual = float(sum(Decimal(str(v)) for v in monthly))
    method, shares = choose_profile(through_month, last_year_monthly, cumulative_targets)
    share = shares[through_month - 1]
    projected = actual / share
    path = [actual * (shares[m - 1] / share) if shares[m - 1] is not None else None
            for m in range(through_month, 13)]
    if metric == "projects":
        projected = float(_round_count(projected))
        path = [None if p is None else float(_round_count(p)) for p in path]
    else:  # keep the JSON free of float noise (48206730000.00001)
        projected = round(projected, 4)
        path = [None if p is None else round(p, 4) for p in path]
    path[-1] = projected
    annual = _float(annual_target)
    remaining = 12 - through_month
    recent = [float(v) for v in monthly[-RECENT_MONTHS:]]
    result = {
        "actual": actual,
        "projected": projected,
        "annual_target": annual,
        "projected_rate": projected / annual if annual else None,
        "will_meet": (projected >= annual) if annual else None,
        "shortfall": max(annual - projected, 0.0) if annual else None,
        "method": method,
        "share": share,
        "remaining_months": remaining,
        "needed_per_month": (max(annual - actual, 0.0) / remaining) if annual and remaining else None,
        "recent_per_month": sum(recent) / len(recent) if recent else None,
        "path": path,
    }
    return result


def outlook_block(monthly_by_metric: Mapping[str, Sequence], through_month: int,
                  annual_targets: Mapping[str, object], cumulative_targets: Mapping[str, Mapping[int, object]],
                  last_year_by_metric: Mapping[str, Sequence | None]) -> dict:
    """outlook_metric for each metric of one unit."""
    return {
        metric: outlook_metric(metric, monthly, through_month, annual_targets.get(metric),
                               cumulative_targets.get(metric, {}), last_year_by_metric.get(metric))
        for metric, monthly in monthly_by_metric.items()
    }
