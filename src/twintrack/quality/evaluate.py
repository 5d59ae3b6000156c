"""Evaluating data contract section 5 for one month, set-based: over one unit's subtree (the
quality page), or over the project-months an import wrote, listed in a table (its warnings).

Every query reads only the month asked for (and, for a flagged candidate, that project's own
earlier rows through the progress table's unique index on (project, year, month)) and only
the projects of enterprises in the unit's subtree (the materialised org path), or only the
projects the table lists for the month. SQL narrows
the plausibility rules to a few candidates with a slightly loose bound; the plain functions
of `rules.py` then decide each candidate exactly, in decimals, on both engines.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Iterable, Iterator, Sequence

from django.db import connection

from twintrack.display.periods import format_period
from twintrack.display.periods import shift_month
from twintrack.energy.models import EnergyLine
from twintrack.enterprises.models import Enterprise
from twintrack.orgs.models import OrgUnit
from twintrack.programme.models import Progress, Project
from twintrack.quality import rules as R
from twintrack.quality.models import FindingReview, QualityRule, ReviewStatus
from twintrack.sql import rows_where_in

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


def _fetch_nothing(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


# --- rules in force ----------------------------------------------------------------------------

def rules_in_force() -> dict[str, Decimal]:
    """Enabled rule key -> threshold: the table's rows, and a default for any key the table lacks."""
    stored = {r.key: r for r in QualityRule.objects.all()}
    active = {d.key: d.threshold for d in R.DEFAULTS if d.key not in stored}
    active.update({key: rule.threshold for key, rule in stored.items() if rule.enabled})
    return active


# --- plausibility ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    """A month row (investment > 0, active project) that some enabled rule may flag, with the
    project's figures the rules need, all from one pass over the progress table."""

    project_id: int
    project: str
    org_id: int
    org: str
    investment: Decimal
    planned: Decimal | None
    status: str
    planned_end: date | None
    to_date: Decimal
    # whether a rule that reads the months before (spike, repeated) may flag it: its necessary
    # condition held in SQL; if not, no history is fetched and those rules do not flag it
    needs_history: bool = True


HISTORY_RULES = ("spike", "repeated")


def _with_history_flag(conditions: dict[str, tuple[str, list]], rules: dict[str, Decimal]) -> tuple[str, list]:
    """SQL (1 or 0) telling whether a candidate met the condition of a rule that reads its history,
    and its parameters. `repeated` with a count under 2 has no condition: every candidate needs it."""
    if "repeated" in rules and "repeated" not in conditions:
        return "1", []
    parts = [conditions[key] for key in HISTORY_RULES if key in conditions]
    if not parts:
        return "0", []
    return (f"CASE WHEN {' OR '.join(sql for sql, _params in parts)} THEN 1 ELSE 0 END",
            [param for _sql, params in parts for param in params])


def _where(conditions: dict[str, tuple[str, list]]) -> tuple[list[str], list]:
    return [sql for sql, _params in conditions.values()], [param for _sql, params in conditions.values()
                                                           for param in params]


def _project_prefilters(rules: dict[str, Decimal], month: tuple[int, int]) -> dict[str, tuple[str, list]]:
    """The conditions of the rules that read the project and its total to date, not its months
    before (`a.to_date`, `p`): the same on both paths. after_completion is bounded by `month`
    (year, month), the latest month judged."""
    conditions = {}
    if "over_plan" in rules:
        conditions["over_plan"] = ("(p.planned_investment_yuan > 0 AND a.to_date > %s * p.planned_investment_yuan)",
                                   [rules["over_plan"] * LOOSE])
    if "after_completion" in rules:
        # late months > threshold  <=>  planned end month <= this month - floor(threshold) - 1
        conditions["after_completion"] = ("(p.status = %s AND p.planned_end_date < %s)", [
            "completed", date(*shift_month(*month, -int(rules["after_completion"])), 1)])
    return conditions


def _prefilters(rules: dict[str, Decimal], year: int, month: int) -> dict[str, tuple[str, list]]:
    """Rule key -> SQL condition on the aggregated month rows and its parameters, one per enabled
    rule, each implied by its rule: loose by LOOSE where a rule compares decimals (rules.py decides
    those exactly), exact where it counts months."""
    conditions = _project_prefilters(rules, (year, month))
    if "spike" in rules:
        # above factor x the median => above factor x each of at least half of the months
        conditions["spike"] = ("(a.spike_n >= %s AND 2 * a.spike_below >= a.spike_n)", [R.SPIKE_MIN_HISTORY])
    if "repeated" in rules and int(rules["repeated"]) >= 2:
        conditions["repeated"] = ("(a.run_n = %s AND a.run_min = a.run_max)", [int(rules["repeated"])])
    return conditions


def _in_scope(year: int, month: int, scope: Scope) -> Iterator[tuple[str, list]]:
    """(SQL giving (project_id, investment_yuan) of the month's rows with investment > 0 of the
    scope's active projects, its parameters), once per chunk of the scope."""
    for condition, params in scope.chunks():
        in_scope = (f"SELECT p.id FROM {P} p JOIN {E} e ON e.id = p.enterprise_id JOIN {O} o ON o.id = e.org_id "
                    f"WHERE p.is_active AND {condition}")
        yield (f"SELECT c.project_id, c.investment_yuan FROM {G} c WHERE c.year = %s AND c.month = %s "
               f"AND c.investment_yuan > 0 AND c.project_id IN ({in_scope})", [year, month, *params])


def _in_table(table: str, year: int, month: int) -> Iterator[tuple[str, list]]:
    """The same for the rows `table` lists for the month, joined from the table: the planner
    counts them from its statistics, not from the month's (which, for a month being written,
    say it has no rows)."""
    yield (f"SELECT c.project_id, c.investment_yuan FROM {table} t JOIN {G} c ON c.project_id = t.project_id "
           f"AND c.year = t.year AND c.month = t.month JOIN {P} p ON p.id = t.project_id "
           f"WHERE t.year = %s AND t.month = %s AND p.is_active AND c.investment_yuan > 0", [year, month])


def _candidates(year: int, month: int, projects: Iterable[tuple[str, list]],
                rules: dict[str, Decimal]) -> list[Candidate]:
    """The month's rows some rule may flag. Each project's history is aggregated beside its month
    row in one pass (total to date; the 12 months' non-zero count and how many of them are below
    this month / factor; the run of months ending with this one, its length and its smallest and
    largest amount): no sub-query per row, and the grouping key is one integer. `projects`: the
    month's rows to look at, as SQL giving (project_id, investment_yuan), a chunk at a time."""
    index = R.month_index(year, month)
    prefilters = _prefilters(rules, year, month)
    if not prefilters:
        return []
    conditions, having = _where(prefilters)
    history_flag, flag_params = _with_history_flag(prefilters, rules)
    runs = max(int(rules.get("repeated", 2)), 2)
    h = MONTH_OF.format(alias="h")
    spike = f"h.investment_yuan > 0 AND {h} BETWEEN %s AND %s"
    run = f"{h} BETWEEN %s AND %s"
    aggregates = (f"MAX(c.investment_yuan) AS investment, SUM(h.investment_yuan) AS to_date, "
                  f"SUM(CASE WHEN {spike} THEN 1 ELSE 0 END) AS spike_n, "
                  f"SUM(CASE WHEN {spike} AND %s * h.investment_yuan < c.investment_yuan THEN 1 ELSE 0 END)"
                  f" AS spike_below, "
                  f"SUM(CASE WHEN {run} THEN 1 ELSE 0 END) AS run_n, "
                  f"MIN(CASE WHEN {run} THEN h.investment_yuan END) AS run_min, "
                  f"MAX(CASE WHEN {run} THEN h.investment_yuan END) AS run_max")
    spike_factor = rules.get("spike", Decimal(1)) * LOOSE
    aggregate_params = [index - 12, index - 1, index - 12, index - 1, spike_factor] + [index - (runs - 1), index] * 3
    rows = []
    for month_rows, params in projects:
        sql = (f"SELECT p.id, p.code, o.id, o.code, a.investment, p.planned_investment_yuan, p.status, "
               f"p.planned_end_date, a.to_date, {history_flag} "
               f"FROM (SELECT h.project_id, {aggregates} FROM {G} h JOIN ({month_rows}) c ON c.project_id = h.project_id "
               f"WHERE {h} <= %s GROUP BY h.project_id) a "
               f"JOIN {P} p ON p.id = a.project_id JOIN {E} e ON e.id = p.enterprise_id "
               f"JOIN {O} o ON o.id = e.org_id WHERE {' OR '.join(conditions)}")
        rows.extend(_fetch(sql, [*flag_params, *aggregate_params, *params, index, *having]))
    return [Candidate(r[0], r[1], r[2], r[3], decimal(r[4]), decimal(r[5]), r[6], _as_date(r[7]), decimal(r[8]),
                      bool(r[9])) for r in rows]


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _history(project_ids: Iterable[int], first: int, last: int) -> dict[int, dict[int, Decimal]]:
    """project id -> {month index: investment} of the projects' rows in months first..last."""
    ids = sorted(set(project_ids))
    found: dict[int, dict[int, Decimal]] = defaultdict(dict)
    month_of = MONTH_OF.format(alias="h")
    sql = (f"SELECT h.project_id, {month_of}, h.investment_yuan FROM {G} h "
           f"WHERE h.project_id IN ({{in}}) AND h.year BETWEEN %s AND %s "
           f"AND {month_of} BETWEEN %s AND %s")  # the years: a range the unique index can use
    for pid, index, amount in rows_where_in(sql, ids, [first // 12, last // 12, first, last], CHUNK):
        found[pid][index] = decimal(amount)
    return found


def _decisions(c: Candidate, index: int, rules: dict[str, Decimal], history: dict[int, Decimal]):
    """(rule, (value, threshold)) for each enabled rule that flags the candidate, decided exactly."""
    if "over_plan" in rules:
        yield "over_plan", R.over_plan(c.investment, c.to_date, c.planned, rules["over_plan"])
    if "spike" in rules and c.needs_history:
        window = [v for i, v in history.items() if index - 12 <= i <= index - 1]
        yield "spike", R.spike(c.investment, window, rules["spike"])
    if "repeated" in rules and c.needs_history:
        yield "repeated", R.repeated(c.investment, history, index, int(rules["repeated"]))
    if "after_completion" in rules:
        end = None if c.planned_end is None else R.month_index(c.planned_end.year, c.planned_end.month)
        yield "after_completion", R.after_completion(c.investment, c.status, end, index, rules["after_completion"])


def plausibility_findings(year: int, month: int, scope: Scope, rules: dict[str, Decimal]) -> list[Finding]:
    return _decided(year, month, _candidates(year, month, _in_scope(year, month, scope), rules), rules)


def _decided(year: int, month: int, candidates: list[Candidate], rules: dict[str, Decimal]) -> list[Finding]:
    """The findings among the month's candidates, each decided exactly by rules.py."""
    index = R.month_index(year, month)
    runs = max(int(rules.get("repeated", 2)), 2)
    history = _history((c.project_id for c in candidates if c.needs_history), index - max(12, runs - 1), index - 1)
    found = []
    for c in candidates:
        for rule, flagged in _decisions(c, index, rules, history[c.project_id]):
            if flagged:
                value, threshold = flagged
                found.append(Finding(rule, c.project_id, c.project, c.org_id, c.org, year, month, value, threshold))
    return found


def _windowed_prefilters(rules: dict[str, Decimal], last: tuple[int, int]) -> dict[str, tuple[str, list]]:
    """`_prefilters` for `_windowed_candidates`, on each row's windows over the project's rows.
    A row window holds every row of the calendar window it stands for (the 12 rows before a month
    include all its rows of the 12 months before), so each condition is implied by the rule:
    above factor x the median of the non-zero months => above factor x their smallest; a run is
    its `runs` rows equal and consecutive; after completion is bounded by the file's last month."""
    conditions = _project_prefilters(rules, last)
    if "spike" in rules:
        # cheap on the windows first; then, for the rows left, `_prefilters`' own condition over
        # the calendar months before (at least half of them below the figure / factor), read
        # through the progress key: without it nearly every row of a year's load was a candidate
        factor = rules["spike"] * LOOSE
        x_month = MONTH_OF.format(alias="x")
        half_below = (f"(SELECT CASE WHEN COUNT(*) >= %s AND 2 * SUM(CASE WHEN %s * x.investment_yuan "
                      f"< a.investment THEN 1 ELSE 0 END) >= COUNT(*) THEN 1 ELSE 0 END FROM {G} x "
                      f"WHERE x.project_id = a.project_id AND x.year BETWEEN (a.month_index - 12) / 12 "
                      f"AND a.month_index / 12 AND {x_month} BETWEEN a.month_index - 12 AND a.month_index - 1 "
                      f"AND x.investment_yuan > 0) = 1")
        conditions["spike"] = (f"(a.spike_n >= %s AND a.investment > %s * a.spike_min AND {half_below})",
                               [R.SPIKE_MIN_HISTORY, factor, R.SPIKE_MIN_HISTORY, factor])
    if "repeated" in rules and int(rules["repeated"]) >= 2:
        runs = int(rules["repeated"])
        conditions["repeated"] = ("(a.run_n = %s AND a.run_min = a.run_max AND a.run_first = a.month_index - %s)",
                                  [runs, runs - 1])
    return conditions


WINDOWED_CHUNK = 50_000  # candidates decided at a time: a year's load has millions of them


def _windowed_candidates(table: str, rules: dict[str, Decimal]) -> Iterator[list[tuple[int, int, Candidate]]]:
    """(year, month, candidate) for the rows `table` lists, every month at once: one ordered pass
    over the listed projects' rows with window functions instead of one aggregate over each
    month's history per month (which, for a file of many months, reads the history again for
    every month). Streamed in chunks of WINDOWED_CHUNK, month by month (a server-side cursor on
    PostgreSQL): a year of 10^7 rows has about 1.8 million candidates, 2 GB as objects at once."""
    last = _fetch(f"SELECT MAX(year * 12 + month - 1) FROM {table}", [])[0][0]
    if last is None:
        return
    last_year, last_month0 = divmod(int(last), 12)
    prefilters = _windowed_prefilters(rules, (last_year, last_month0 + 1))
    if not prefilters:
        return
    conditions, params = _where(prefilters)
    history_flag, flag_params = _with_history_flag(prefilters, rules)
    runs = max(int(rules.get("repeated", 2)), 2)
    order = "PARTITION BY h.project_id ORDER BY h.year, h.month"
    month_of = MONTH_OF.format(alias="h")
    windows = (f"SUM(h.investment_yuan) OVER ({order} ROWS UNBOUNDED PRECEDING) AS to_date, "
               f"COUNT(CASE WHEN h.investment_yuan > 0 THEN 1 END) OVER w12 AS spike_n, "
               f"MIN(CASE WHEN h.investment_yuan > 0 THEN h.investment_yuan END) OVER w12 AS spike_min, "
               f"COUNT(*) OVER wrun AS run_n, MIN(h.investment_yuan) OVER wrun AS run_min, "
               f"MAX(h.investment_yuan) OVER wrun AS run_max, MIN({month_of}) OVER wrun AS run_first")
    history = (f"SELECT h.project_id, h.year, h.month, {month_of} AS month_index, h.investment_yuan AS investment, "
               f"{windows} FROM {G} h WHERE h.project_id IN (SELECT project_id FROM {table}) "
               f"AND {month_of} <= %s "
               f"WINDOW w12 AS ({order} ROWS BETWEEN 12 PRECEDING AND 1 PRECEDING), "
               f"wrun AS ({order} ROWS BETWEEN {runs - 1} PRECEDING AND CURRENT ROW)")
    sql = (f"SELECT a.year, a.month, p.id, p.code, o.id, o.code, a.investment, p.planned_investment_yuan, "
           f"p.status, p.planned_end_date, a.to_date, {history_flag} FROM ({history}) a "
           f"JOIN {table} t ON t.project_id = a.project_id AND t.year = a.year AND t.month = a.month "
           f"JOIN {P} p ON p.id = a.project_id JOIN {E} e ON e.id = p.enterprise_id JOIN {O} o ON o.id = e.org_id "
           f"WHERE a.investment > 0 AND p.is_active AND ({' OR '.join(conditions)}) ORDER BY a.year, a.month")
    if connection.vendor == "postgresql":
        _fetch_nothing("SET LOCAL cursor_tuple_fraction = 1")  # every row is read: plan for all, not the first
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, [*flag_params, int(last), *params])
        while rows := cursor.fetchmany(WINDOWED_CHUNK):
            yield [(r[0], r[1], Candidate(r[2], r[3], r[4], r[5], decimal(r[6]), decimal(r[7]), r[8],
                                          _as_date(r[9]), decimal(r[10]), bool(r[11]))) for r in rows]


def findings_of_table(table: str, rules: dict[str, Decimal] | None = None) -> list[Finding]:
    """`findings_of_rows` for every month `table` lists, in one pass (a file of many months);
    sorted by month, then rule key, then project code."""
    rules = rules_in_force() if rules is None else rules
    found = []
    for chunk in _windowed_candidates(table, rules):
        by_month: dict[tuple[int, int], list[Candidate]] = defaultdict(list)
        for year, month, candidate in chunk:
            by_month[(year, month)].append(candidate)
        for (year, month), candidates in by_month.items():
            found += _decided(year, month, candidates, rules)
    found.sort(key=lambda f: (f.year, f.month, f.rule, f.project))
    return found


def months_of_rows(table: str) -> dict[tuple[int, int], int]:
    """(year, month) -> how many rows `table` (project_id, year, month) lists for it."""
    if connection.vendor == "postgresql":
        _fetch_nothing(f"ANALYZE {table}")  # a temporary table has no statistics until asked: plans need them
    return {(year, month): count
            for year, month, count in _fetch(f"SELECT year, month, COUNT(*) FROM {table} GROUP BY year, month", [])}


def refresh_statistics() -> None:
    """After a write of many rows, in its transaction: autovacuum cannot see them before the
    commit, and a plan made for the table as it was (empty, on a first load) can be quadratic."""
    if connection.vendor == "postgresql":
        _fetch_nothing(f"ANALYZE {G}")


def findings_of_rows(table: str, year: int, month: int, rules: dict[str, Decimal] | None = None) -> list[Finding]:
    """Every enabled rule's findings on the rows of month Y-M listed in `table` (project_id,
    year, month; e.g. what an import wrote), exactly those `findings_for` finds on these rows
    over their units' month, without reviews; sorted by rule key then project code."""
    rules = rules_in_force() if rules is None else rules
    found = _decided(year, month, _candidates(year, month, _in_table(table, year, month), rules), rules)
    found.sort(key=lambda f: (f.rule, f.project))
    return found


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
    found = plausibility_findings(year, month, scope, rules)
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


def _expected_from(year: int, month: int) -> tuple[str, list]:
    """The projects expected to report Y-M (in progress, started before the month ends), each
    with `r.project_id` set when it reported progress or energy lines: one join with the
    month's reporters instead of a correlated look-up per project."""
    reporters = (f"SELECT project_id FROM {G} WHERE year = %s AND month = %s UNION "
                 f"SELECT project_id FROM {L} WHERE year = %s AND month = %s")
    sql = (f"FROM {P} p JOIN {E} e ON e.id = p.enterprise_id JOIN {O} o ON o.id = e.org_id "
           f"LEFT JOIN ({reporters}) r ON r.project_id = p.id "
           f"WHERE p.status = %s AND p.is_active AND p.start_date < %s")
    return sql, [year, month, year, month, "in_progress", _next_month_first(year, month)]


def completeness_by_org(year: int, month: int, path: str) -> dict[int, Completeness]:
    """Enterprise org id -> expected and reported projects of the month (one grouped query)."""
    expected, params = _expected_from(year, month)
    sql = (f"SELECT e.org_id, COUNT(*), COUNT(r.project_id) {expected} AND o.path LIKE %s GROUP BY e.org_id")
    return {org_id: Completeness(int(count), int(done or 0))
            for org_id, count, done in _fetch(sql, [*params, path + "%"])}


def own_completeness(year: int, month: int, org_ids: list[int]) -> dict[int, Completeness]:
    """Expected and reported projects of the month of the enterprises directly at each unit (one
    grouped query; a few units are probed project by project, many are joined in bulk)."""
    in_units = ", ".join(["%s"] * len(org_ids))
    lines = f"EXISTS (SELECT 1 FROM {L} x WHERE x.project_id = p.id AND x.year = %s AND x.month = %s)"
    rows = _fetch(f"SELECT e.org_id, COUNT(*), COUNT(CASE WHEN g.project_id IS NOT NULL THEN 1 WHEN {lines} THEN 1 END) "
                  f"FROM {P} p JOIN {E} e ON e.id = p.enterprise_id "
                  f"LEFT JOIN {G} g ON g.project_id = p.id AND g.year = %s AND g.month = %s "
                  f"WHERE e.org_id IN ({in_units}) AND p.status = %s AND p.is_active AND p.start_date < %s "
                  f"GROUP BY e.org_id",
                  [year, month, year, month, *org_ids, "in_progress", _next_month_first(year, month)])
    return {org_id: Completeness(int(count), int(done or 0)) for org_id, count, done in rows}


def missing_projects(year: int, month: int, path: str) -> list[tuple[str, int]]:
    """(code, enterprise org id) of expected projects that have not reported, sorted by code."""
    expected, params = _expected_from(year, month)
    sql = f"SELECT p.code, e.org_id {expected} AND o.path LIKE %s AND r.project_id IS NULL"
    return sorted(_fetch(sql, [*params, path + "%"]))


def subtree_paths(org: OrgUnit) -> dict[int, str]:
    return dict(OrgUnit.objects.filter(path__startswith=org.path).values_list("id", "path"))


def sum_under(by_org: dict[int, Completeness], paths: dict[int, str], prefix: str) -> Completeness:
    total = Completeness()
    for org_id, counts in by_org.items():
        if paths.get(org_id, "").startswith(prefix):
            total.expected += counts.expected
            total.reported += counts.reported
    return total
