"""The plausibility rules as plain functions (no database), and their defaults.

The evaluator (`evaluate.py`) narrows the candidates in SQL and then decides each one with
these functions, so what flags a figure is written once, here, in exact decimals.
"Greater" is strict everywhere: a figure exactly at its threshold is not flagged.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Sequence


@dataclass(frozen=True)
class RuleDefault:
    key: str
    threshold: Decimal
    name_en: str
    name_zh: str
    explanation_en: str
    explanation_zh: str


DEFAULTS: tuple[RuleDefault, ...] = (
    RuleDefault(
        "over_plan", Decimal("1.5"), "Over plan", "超计划投资",
        "A month with investment > 0 whose project's investment summed over all its months so far exceeds "
        "the threshold (a factor) times the project's planned investment.",
        "项目本月完成投资大于0，且截至本月累计完成投资超过计划总投资的“阈值”倍。"),
    RuleDefault(
        "spike", Decimal("10"), "Spike", "单月突增",
        "A month's investment exceeds the threshold (a factor) times the median of the project's non-zero "
        "monthly investment in the 12 months before, when it has at least 3 such months.",
        "本月完成投资超过该项目前12个月非零月度投资中位数的“阈值”倍（前12个月至少有3个非零月份时才检查）。"),
    RuleDefault(
        "repeated", Decimal("3"), "Repeated figure", "数字重复",
        "A month's investment is > 0 and exactly the same as in each of the previous months, "
        "the threshold being the number of months in the run (a month without a row breaks it).",
        "本月完成投资大于0，且与此前连续若干个月完全相同，“阈值”为连续月数（缺报月份中断连续）。"),
    RuleDefault(
        "after_completion", Decimal("6"), "Investment after completion", "完工后仍有投资",
        "A completed project reports investment > 0 more than the threshold (months) after its planned "
        "end month.",
        "已完工项目在计划完工月份之后超过“阈值”个月仍报送大于0的完成投资。"),
)

DEFAULT_DEADLINE_DAY = 10


def month_index(year: int, month: int) -> int:
    """Months since year 0: consecutive calendar months differ by one."""
    return year * 12 + month - 1


def median(values: Sequence[Decimal]) -> Decimal:
    """The median; of an even count, the mean of the middle two."""
    if not values:
        raise ValueError("median of nothing")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def over_plan(month_investment: Decimal, total_to_date: Decimal, planned: Decimal | None,
              factor: Decimal) -> tuple[Decimal, Decimal] | None:
    """(value, threshold) when the rule flags the month, else None."""
    if month_investment <= 0 or planned is None or planned <= 0:
        return None
    threshold = factor * planned
    return (total_to_date, threshold) if total_to_date > threshold else None


SPIKE_MIN_HISTORY = 3


def spike(month_investment: Decimal, history: Iterable[Decimal],
          factor: Decimal) -> tuple[Decimal, Decimal] | None:
    """`history`: the project's investment in its rows of the 12 calendar months before."""
    nonzero = [v for v in history if v > 0]
    if len(nonzero) < SPIKE_MIN_HISTORY:
        return None
    threshold = factor * median(nonzero)
    return (month_investment, threshold) if month_investment > threshold else None


def repeated(month_investment: Decimal, previous: dict[int, Decimal], index: int,
             count: int) -> tuple[Decimal, None] | None:
    """`previous`: month_index -> investment of the project's rows before `index`."""
    if month_investment <= 0 or count < 2:
        return None
    for back in range(1, count):
        if previous.get(index - back) != month_investment:
            return None
    return (month_investment, None)


def after_completion(month_investment: Decimal, status: str, planned_end_index: int | None, index: int,
                     months: Decimal) -> tuple[Decimal, Decimal] | None:
    """value: months between the planned end month and this one; threshold: the allowed months."""
    if month_investment <= 0 or status != "completed" or planned_end_index is None:
        return None
    late = Decimal(index - planned_end_index)
    return (late, months) if late > months else None


def completeness_rate(expected: int, reported: int) -> float | None:
    return reported / expected if expected else None


def deadline_index(year: int, month: int) -> tuple[int, int]:
    """The (year, month) in which the submission deadline of Y-M falls: the following month."""
    return (year + 1, 1) if month == 12 else (year, month + 1)
