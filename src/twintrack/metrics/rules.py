"""Metric and period rules (data contract section 3), as plain functions: rates, the
schedule, the contract's per-metric block.

Nothing here touches the database, so every rule can be tested on its own. The metrics
themselves and the exact integer totals are in `twintrack.figures`.
"""
from __future__ import annotations

from decimal import Decimal

# The metrics and the integer totals live one layer down, where programme and enterprises
# reach them; they are imported here too because pages and reports name them from here.
from twintrack.figures import (  # noqa: F401
    FEN_PER_YUAN, GRAMS_PER_TONNE, METRIC_BY_KEY, METRIC_KEYS, METRICS, MICRO_PER_TCE, ROLLUP_FIELDS,
    Metric, RollupKey, Totals, diff_contributions, expand_to_ancestors, fen_to_yuan, merge,
    metric_from_label, micro_to_tce, tce_to_micro, yuan_to_fen,
)


def schedule_rate(through_month: int) -> float:
    """The time-elapsed share of the year (序时进度)."""
    return through_month / 12


def rate(actual: Decimal | int | None, target: Decimal | int | None) -> float | None:
    if actual is None or target is None or Decimal(target) == 0:
        return None
    return float(Decimal(actual) / Decimal(target))


def is_ahead_of_schedule(annual_rate: float | None, through_month: int) -> bool | None:
    if annual_rate is None:
        return None
    return annual_rate >= schedule_rate(through_month)


def metric_figures(actual, target, annual_target, through_month: int) -> dict:
    """The contract's per-metric block: actual, target, completion_rate, annual_target,
    annual_rate, schedule_rate."""
    return {
        "actual": actual,
        "target": target,
        "completion_rate": rate(actual, target),
        "annual_target": annual_target,
        "annual_rate": rate(actual, annual_target),
        "schedule_rate": schedule_rate(through_month),
    }
