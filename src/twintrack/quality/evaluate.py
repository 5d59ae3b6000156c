"""Evaluating data contract section 5 for one unit's subtree and one month, set-based.

Every query reads only the month asked for (and, for a flagged candidate, that project's own
earlier rows through the progress table's unique index on (project, year, month)) and only
the projects of enterprises in the unit's subtree (the materialised org path). SQL narrows
the plausibility rules to a few candidates with a slightly loose bound; the plain functions
of `rules.py` then decide each candidate exactly, in decimals, on both engines.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Iterable, Sequence

from django.db import connection

from twintrack.display.periods import format_period
from twintrack.energy.models import EnergyLine
from twintrack.enterprises.models import Enterprise
from twintrack.orgs.models import OrgUnit
from twintrack.programme.models import Progress, Project
from twintrack.quality import rules as R
from twintrack.quality.models import FindingReview, QualityRule, ReviewStatus

CHUNK = 5000
LOOSE = Decimal("0.999999")  # SQL bounds are loosened by this much; rules.py decides exactly
CENT = Decimal("0.01")

G, P, E, O, L = (Progress._meta.db_table, Project._meta.db_table, Enterprise._meta.db_table,
                 OrgUnit._meta.db_table, EnergyLine._meta.db_table)
MONTH_OF = "({alias}.year * 12 + {alias}.month - 1)"


@dataclass(frozen=True)
class Scope:
    """The projects a question is about: an org subtree (path prefix), optionally only some projects."""

    path: str
    project_ids: tuple[int, ...] | None = None

    def chunks(self) -> Iterable[tuple[str, list]]:
        """(SQL condition on p, its parameters), once per chunk of project ids."""
        if self.project_ids is None:
            yield "o.path LIKE %s", [self.path + "%"]
            return
        ids = sorted(self.project_ids)
        for start in range(0, len(ids), CHUNK):
            batch = ids[start:start + CHUNK]
            yield f"o.path LIKE %s AND p.id IN ({', '.join(['%s'] * len(batch))})", [self.path + "%", *batch]


@dataclass
class Finding:
    rule: str
    project_id: int
    project: str
    org_id: int
    org: str
    year: int
    month: int
    value: Decimal
    threshold: Decimal | None
    status: str = ReviewStatus.OPEN
    review: FindingReview | None = None

    @property
    def period(self) -> str:
        return format_period(self.year, self.month)

    @property
    def key(self) -> tuple[str, int, int, int]:
        return (self.rule, self.project_id, self.year, self.month)

    def as_json(self) -> dict:
        return {"rule": self.rule, "project": self.project, "org": self.org, "month": self.period,
                "value": float(self.value), "threshold": None if self.threshold is None else float(self.threshold),
                "status": self.status}


def decimal(value, places: Decimal = CENT) -> Decimal | None:
    """A number from the database as an exact decimal (SQLite answers floats)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value) if isinstance(value, float) else str(value)).quantize(places)


def _fetch(sql: str, params: Sequence) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


# --- rules in force ----------------------------------------------------------------------------

def rules_in_force() -> dict[str, Decimal]:
    """Enabled rule key -> threshold: the table's rows, and a default for any key the table lacks."""
    stored = {r.key: r for r in QualityRule.objects.all()}
    active = {d.key: d.threshold for d in R.DEFAULTS if d.key not in stored}
    active.update({key: rule.threshold for key, rule in stored.items() if rule.enabled})
    return active


# --- plausibility ------------------------------------------------------------------------------

def _month_rows(year: int, month: int, scope: Scope, extra: str = "", columns: str = "",
                select_params: Sequence = (), extra_params: Sequence = ()) -> list[tuple]:
    """(project id, code, org id, org code, investment, *columns) of the month's rows with investment > 0."""
    rows = []
    for condition, params in scope.chunks():
        sql = (f"SELECT p.id, p.code, o.id, o.code, g.investment_yuan{columns} FROM {G} g "
               f"JOIN {P} p ON p.id = g.project_id JOIN {E} e ON e.id = p.enterprise_id "
               f"JOIN {O} o ON o.id = e.org_id "
               f"WHERE g.year = %s AND g.month = %s AND g.investment_yuan > 0 AND p.is_active AND {condition}{extra}")
        rows.extend(_fetch(sql, [*select_params, year, month, *params, *extra_params]))
    return rows


def _history(project_ids: Iterable[int], first: int, last: int) -> dict[int, dict[int, Decimal]]:
    """project id -> {month index: investment} of the projects' rows in months first..last."""
    ids = sorted(set(project_ids))
    found: dict[int, dict[int, Decimal]] = defaultdict(dict)
    month_of = MONTH_OF.format(alias="h")
    for start in range(0, len(ids), CHUNK):
        batch = ids[start:start + CHUNK]
        sql = (f"SELECT h.project_id, {month_of}, h.investment_yuan FROM {G} h "
               f"WHERE h.project_id IN ({', '.join(['%s'] * len(batch))}) AND {month_of} BETWEEN %s AND %s")
        for pid, index, amount in _fetch(sql, [*batch, first, last]):
            found[pid][index] = decimal(amount)
    return found


def _finding(rule: str, row: tuple, year: int, month: int, flagged) -> Finding:
    value, threshold = flagged
    return Finding(rule, row[0], row[1], row[2], row[3], year, month, value, threshold)


def over_plan_findings(year: int, month: int, scope: Scope, factor: Decimal) -> list[Finding]:
    month_of = MONTH_OF.format(alias="h")
    total = f", p.planned_investment_yuan, (SELECT SUM(h.investment_yuan) FROM {G} h " \
            f"WHERE h.project_id = p.id AND {month_of} <= %s)"
    index = R.month_index(year, month)
    rows = _month_rows(year, month, scope, " AND p.planned_investment_yuan > 0", total, [index])
    found = []
    for row in rows:
        planned, to_date = decimal(row[5]), decimal(row[6])
        if to_date is None or to_date <= factor * LOOSE * planned:
            continue
        flagged = R.over_plan(decimal(row[4]), to_date, planned, factor)
        if flagged:
            found.append(_finding("over_plan", row, year, month, flagged))
    return found


def spike_findings(year: int, month: int, scope: Scope, factor: Decimal) -> list[Finding]:
    index = R.month_index(year, month)
    month_of = MONTH_OF.format(alias="h")
    window = f"h.project_id = p.id AND h.investment_yuan > 0 AND {month_of} BETWEEN %s AND %s"
    extra = (f" AND (SELECT COUNT(*) FROM {G} h WHERE {window}) >= %s"
             f" AND g.investment_yuan > %s * (SELECT MIN(h.investment_yuan) FROM {G} h WHERE {window})")
    first, last = index - 12, index - 1
    rows = _month_rows(year, month, scope, extra,
                       extra_params=[first, last, R.SPIKE_MIN_HISTORY, factor * LOOSE, first, last])
    history = _history((r[0] for r in rows), first, last)
    found = []
    for row in rows:
        flagged = R.spike(decimal(row[4]), history[row[0]].values(), factor)
        if flagged:
            found.append(_finding("spike", row, year, month, flagged))
    return found


def repeated_findings(year: int, month: int, scope: Scope, count: Decimal) -> list[Finding]:
    runs = int(count)
    if runs < 2:
        return []
    index = R.month_index(year, month)
    month_of = MONTH_OF.format(alias="h")
    first, last = index - (runs - 1), index - 1
    extra = (f" AND (SELECT COUNT(*) FROM {G} h WHERE h.project_id = p.id AND h.investment_yuan = g.investment_yuan"
             f" AND {month_of} BETWEEN %s AND %s) = %s")
    rows = _month_rows(year, month, scope, extra, extra_params=[first, last, runs - 1])
    history = _history((r[0] for r in rows), first, last)
    found = []
    for row in rows:
        flagged = R.repeated(decimal(row[4]), history[row[0]], index, runs)
        if flagged:
            found.append(_finding("repeated", row, year, month, flagged))
    return found


def after_completion_findings(year: int, month: int, scope: Scope, months: Decimal) -> list[Finding]:
    index = R.month_index(year, month)
    rows = _month_rows(year, month, scope, " AND p.status = %s AND p.planned_end_date < %s",
                       ", p.planned_end_date", extra_params=["completed", date(year, month, 1)])
    found = []
    for row in rows:
        end = row[5] if isinstance(row[5], date) else date.fromisoformat(str(row[5])[:10])
        flagged = R.after_completion(decimal(row[4]), "completed", R.month_index(end.year, end.month), index,
                                     months)
        if flagged:
            found.append(_finding("after_completion", row, year, month, flagged))
    return found


EVALUATORS = {
    "over_plan": over_plan_findings,
    "spike": spike_findings,
    "repeated": repeated_findings,
    "after_completion": after_completion_findings,
}


def attach_reviews(findings: list[Finding]) -> list[Finding]:
    """Mark the findings someone has confirmed (reviews of the months concerned, read once)."""
    months = {(f.year, f.month) for f in findings}
    reviews = {}
    for year, month in months:
        for review in FindingReview.objects.filter(year=year, month=month).select_related("reviewed_by"):
            reviews[(review.rule, review.project_id, review.year, review.month)] = review
    for finding in findings:
        review = reviews.get(finding.key)
        if review is not None and review.status == ReviewStatus.CONFIRMED:
            finding.status, finding.review = ReviewStatus.CONFIRMED, review
    return findings


def findings_for(year: int, month: int, scope: Scope, rules: dict[str, Decimal] | None = None) -> list[Finding]:
    """Every enabled rule's findings for month Y-M in the scope, sorted by rule key then project code."""
    rules = rules_in_force() if rules is None else rules
    found: list[Finding] = []
    for key, threshold in rules.items():
        evaluator = EVALUATORS.get(key)
        if evaluator is not None:
            found.extend(evaluator(year, month, scope, threshold))
    found.sort(key=lambda f: (f.rule, f.project))
    return attach_reviews(found)


# --- completeness ------------------------------------------------------------------------------

@dataclass
class Completeness:
    expected: int = 0
    reported: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return R.completeness_rate(self.expected, self.reported)

    def as_json(self, with_missing: bool) -> dict:
        out = {"expected": self.expected, "reported": self.reported, "rate": self.rate}
        if with_missing:
            out["missing"] = self.missing
        return out


def _next_month_first(year: int, month: int) -> date:
    y, m = R.deadline_index(year, month)
    return date(y, m, 1)


def _expected_where(year: int, month: int) -> tuple[str, list, str, list]:
    reported = (f"(EXISTS (SELECT 1 FROM {G} g WHERE g.project_id = p.id AND g.year = %s AND g.month = %s) OR "
                f"EXISTS (SELECT 1 FROM {L} l WHERE l.project_id = p.id AND l.year = %s AND l.month = %s))")
    base = (f"FROM {P} p JOIN {E} e ON e.id = p.enterprise_id JOIN {O} o ON o.id = e.org_id "
            f"WHERE p.status = %s AND p.is_active AND p.start_date < %s")
    return base, ["in_progress", _next_month_first(year, month)], reported, [year, month, year, month]


def completeness_by_org(year: int, month: int, path: str) -> dict[int, Completeness]:
    """Enterprise org id -> expected and reported projects of the month (one grouped query)."""
    base, params, reported, rparams = _expected_where(year, month)
    sql = (f"SELECT e.org_id, COUNT(*), SUM(CASE WHEN {reported} THEN 1 ELSE 0 END) {base} AND o.path LIKE %s "
           f"GROUP BY e.org_id")
    return {org_id: Completeness(int(expected), int(done or 0))
            for org_id, expected, done in _fetch(sql, [*rparams, *params, path + "%"])}


def missing_projects(year: int, month: int, path: str) -> list[tuple[str, int]]:
    """(code, enterprise org id) of expected projects that have not reported, sorted by code."""
    base, params, reported, rparams = _expected_where(year, month)
    sql = f"SELECT p.code, e.org_id {base} AND o.path LIKE %s AND NOT {reported}"
    return sorted(_fetch(sql, [*params, path + "%", *rparams]))


def subtree_paths(org: OrgUnit) -> dict[int, str]:
    return dict(OrgUnit.objects.filter(path__startswith=org.path).values_list("id", "path"))


def sum_under(by_org: dict[int, Completeness], paths: dict[int, str], prefix: str) -> Completeness:
    total = Completeness()
    for org_id, counts in by_org.items():
        if paths.get(org_id, "").startswith(prefix):
            total.expected += counts.expected
            total.reported += counts.reported
    return total
