"""Deliberate, realistic data-quality anomalies in the demo (issue 14), with no database access.

The generator draws planned investment independently of what the scaling later makes of
each project's months, so about a third of the projects would end above 1.5 times their
plan: `plausible_plans` raises such a plan to what the project really invests (a plan is
not a reported figure: no report changes). Then a handful of anomalies are placed in July
2023, each by moving money between months of the same project within January-July, so
every unit's January-July investment and energy, and so the bulletin, stay exactly as they
were:

- two spikes (a year's money typed into July: January-June a trickle, July the rest);
- a repeated figure (May, June and July the same round amount; April absorbs the change);
- a plan entered at a third of its size (over_plan);
- two projects that have not reported July (July's row merged into June).

Projects are chosen by rule (unit, digital, months present, code order), not by chance.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

PERIOD = 7
SPIKE_UNITS = ("330402", "330481")
REPEATED_UNIT = "330421"
OVER_PLAN_UNIT = "330411"
MISSING_UNITS = ("330402", "330483")


@dataclass(frozen=True)
class Confirmation:
    rule: str
    project_code: str
    month: int
    login: str
    comment: str


@dataclass(frozen=True)
class Submission:
    unit: str
    login: str
    month: int
    day: int  # day of the following month


SUBMISSIONS = (Submission("330411", "xiuzhou", 7, 8), Submission("330421", "jiashan", 7, 9),
               Submission("330424", "haiyan", 7, 14), Submission("330481", "haining", 7, 10))


def plausible_plans(projects, progress) -> None:
    """A plan below what a project invests in the demo months becomes 1.25 x that, in 10,000 yuan."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in progress:
        totals[row.project_code] += row.investment_yuan
    for project in projects:
        total = totals.get(project.code, Decimal(0))
        if total * Decimal("1.2") > project.planned_investment_yuan:
            project.planned_investment_yuan = (total * Decimal("1.25") / 10000).to_integral_value(ROUND_CEILING) * 10000


def _rows_by_project(progress) -> dict[str, dict[int, object]]:
    rows: dict[str, dict[int, object]] = defaultdict(dict)
    for row in progress:
        rows[row.project_code][row.month] = row
    return rows


def _candidates(projects, rows, unit: str, months: range, used: set) -> list:
    return [p for p in sorted(projects, key=lambda p: p.code)
            if p.org_code == unit and p.kind == "digital" and p.status == "in_progress" and p.code not in used
            and all(m in rows[p.code] for m in months)]


def _spike(rows: dict[int, object]) -> None:
    """January-June a trickle (a little different each month), July the rest of the same total."""
    total = sum(rows[m].investment_yuan for m in range(1, PERIOD + 1))
    trickle = (total / 70).quantize(Decimal("1"))
    for month in range(1, PERIOD):
        rows[month].investment_yuan = trickle + 1370 * month
    rows[PERIOD].investment_yuan = total - sum(rows[m].investment_yuan for m in range(1, PERIOD))


def _repeated(rows: dict[int, object]) -> None:
    """May, June and July the same round figure; April takes what that changes."""
    three = sum(rows[m].investment_yuan for m in (5, 6, 7))
    same = (three / 3 / 1000).quantize(Decimal("1")) * 1000
    for month in (5, 6, 7):
        rows[month].investment_yuan = same
    rows[4].investment_yuan += three - 3 * same


def place_anomalies(projects, progress) -> tuple[list, list[Confirmation]]:
    """Apply the anomalies in place; return the progress rows left and the demo's confirmations."""
    rows = _rows_by_project(progress)
    used: set[str] = set()

    def pick(unit: str, months: range):
        found = _candidates(projects, rows, unit, months, used)
        if not found:
            raise RuntimeError(f"demo anomalies: no candidate project in {unit}")
        used.add(found[0].code)
        return found[0]

    spikes = [pick(unit, range(1, PERIOD + 1)) for unit in SPIKE_UNITS]
    for project in spikes:
        _spike(rows[project.code])
    repeated = pick(REPEATED_UNIT, range(4, PERIOD + 1))
    _repeated(rows[repeated.code])
    over = pick(OVER_PLAN_UNIT, range(1, PERIOD + 1))
    to_date = sum(rows[over.code][m].investment_yuan for m in range(1, PERIOD + 1))
    over.planned_investment_yuan = (to_date / 3 / 10000).quantize(Decimal("1")) * 10000
    dropped = []
    for unit in MISSING_UNITS:
        project = pick(unit, range(PERIOD - 1, PERIOD + 1))
        june, july = rows[project.code][PERIOD - 1], rows[project.code][PERIOD]
        june.investment_yuan += july.investment_yuan
        dropped.append(july)
    kept = [row for row in progress if not any(row is d for d in dropped)]
    confirmations = [
        Confirmation("spike", spikes[1].code, PERIOD, "haining",
                     "设备款集中在7月支付，已核对合同和发票。Equipment paid in July; checked against the contract."),
        Confirmation("over_plan", over.code, PERIOD, "xiuzhou",
                     "计划总投资填报有误，已通知企业更正项目信息。The plan was entered wrongly; the firm will correct it."),
    ]
    return kept, confirmations
