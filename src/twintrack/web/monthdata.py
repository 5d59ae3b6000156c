"""A unit's month as the month page and the pre-filled template see it: which projects are
expected to report, which have, and the month's totals against last month and the target.

"Expected" is data quality's rule (`quality.evaluate`): in progress, active, started by the end
of the month; a project has reported with a progress row (zeros count) or an energy line.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from twintrack.display.periods import Period, shift_month
from twintrack.metrics.models import Rollup
from twintrack.metrics.report import subtree_totals, targets_for
from twintrack.metrics.rules import ROLLUP_FIELDS, Totals, rate
from twintrack.metrics.version import cached_subtree_sums
from twintrack.orgs.access import role_of, scope_root, visible
from twintrack.orgs.models import OrgUnit, Role
from twintrack.programme.models import Progress, Project, ProjectStatus
from twintrack.quality.evaluate import missing_projects
from twintrack.quality.services import completeness_parts, missing_part

MONTH_METRICS = ("investment_yuan", "energy_saved_tce", "projects")


def next_month_first(year: int, month: int) -> date:
    following = shift_month(year, month, 1)
    return date(following.year, following.month, 1)


def subtree_projects(user, org: OrgUnit):
    """The projects of the unit's subtree the user may see."""
    return visible(user, Project).filter(enterprise__org__path__startswith=org.path)


def month_projects(user, org: OrgUnit, year: int, month: int) -> list[Project]:
    """The projects of a month's template: those expected to report and those that already
    have (a completed project reporting its last figures), by code, with their enterprise."""
    reported = Progress.objects.filter(year=year, month=month).values("project_id")
    expected = Q(status=ProjectStatus.IN_PROGRESS, is_active=True, start_date__lt=next_month_first(year, month))
    return list(subtree_projects(user, org).filter(expected | Q(pk__in=reported, is_active=True))
                .select_related("enterprise").order_by("code"))


def progress_by_project(project_ids: list[int], year: int, month: int) -> dict[int, Progress]:
    return {row.project_id: row for row in Progress.objects.filter(project_id__in=project_ids, year=year, month=month)}


@dataclass
class MetricMonth:
    metric: str
    this_month: Decimal | int
    last_month: Decimal | int
    cumulative: Decimal | int
    target: Decimal | None

    @property
    def change(self):
        return self.this_month - self.last_month

    @property
    def completion(self) -> float | None:
        return rate(self.cumulative, self.target)


def _rollup(org: OrgUnit, period: Period) -> Totals:
    values = Rollup.objects.filter(org=org, year=period.year, month=period.month).values_list(*ROLLUP_FIELDS).first()
    return Totals(*values) if values else Totals()


def month_totals(org: OrgUnit, year: int, month: int) -> list[MetricMonth]:
    """The unit's subtree figures for the month, last month (December of the year before for
    January), January..month, and the unit's cumulative target through the month."""
    this = _rollup(org, Period(year, month)).actuals()
    last = _rollup(org, shift_month(year, month, -1)).actuals()
    cumulative = subtree_totals([org.id], year, month)[org.id].actuals()
    targets = targets_for([org.id], year, (month,))
    return [MetricMonth(m, this[m], last[m], cumulative[m], targets.get((org.id, m, month))) for m in MONTH_METRICS]


SHOWN_ROWS = 20  # progress rows and missing projects listed; the rest are counted (and linked)


@dataclass
class MonthReport:
    """Counts over the whole subtree, rows only as many as a page lists: at a province's root
    the month holds 10^6 progress rows, and the page shows twenty."""

    expected: int
    reported_count: int  # progress rows of the month in the subtree
    reported_rows: list[Progress]  # the first SHOWN_ROWS of them, by project code
    missing_count: int
    missing: list[Project]  # the first SHOWN_ROWS missing projects, by code

    @property
    def reported(self) -> int:
        return self.expected - self.missing_count


def month_report(user, org: OrgUnit, year: int, month: int, shown: int = SHOWN_ROWS) -> MonthReport:
    """The month's progress rows in the subtree and the expected projects without a report.

    For a user who sees every project of the subtree (the bureau, a district officer in their
    own subtree) from per-unit parts cached by each unit's version; otherwise computed here."""
    if sees_whole_subtree(user, org):
        return cached_month_report(org, year, month, shown)
    return visible_month_report(user, org, year, month, shown)


def sees_whole_subtree(user, org: OrgUnit) -> bool:
    """True if `visible(user, Project)` holds every project of the unit's subtree: a user who sees
    enterprises through their unit (not an enterprise's own account or a service provider)."""
    root = scope_root(user)
    return (root is not None and role_of(user) not in (Role.ENTERPRISE, Role.PROVIDER)
            and org.path.startswith(root.path))


@dataclass
class RowsPart:
    """A unit's progress rows of the month: how many, and the ids of the first `shown` by project
    code in the database's order. A subtree's sum keeps every unit's first ids: the subtree's
    first rows are among them, and the database orders them at the end."""

    count: int = 0
    first: tuple[int, ...] = ()


def _rows_added(a: RowsPart, b: RowsPart) -> RowsPart:
    return RowsPart(a.count + b.count, a.first + b.first)


def own_rows(year: int, month: int, org_ids: list[int], shown: int) -> dict[int, RowsPart]:
    """Each unit's own enterprises' progress rows of the month (one pass: each row with its unit's
    count and its rank by project code, kept while the rank is within `shown`)."""
    unit = F("project__enterprise__org_id")
    ranked = (Progress.objects.filter(year=year, month=month, project__enterprise__org_id__in=org_ids)
              .annotate(count=Window(Count("id"), partition_by=unit),
                        rank=Window(RowNumber(), partition_by=unit, order_by=F("project__code").asc()))
              .filter(rank__lte=shown).values_list("project__enterprise__org_id", "id", "count"))
    parts: dict[int, RowsPart] = {}
    for org_id, row_id, count in ranked:
        part = parts.setdefault(org_id, RowsPart(int(count)))
        part.first += (row_id,)
    return parts


def cached_month_report(org: OrgUnit, year: int, month: int, shown: int = SHOWN_ROWS) -> MonthReport:
    """`month_report` for a user who sees the whole subtree, summed from per-unit cached parts."""
    expected = completeness_parts(org, [], year, month)[org.id].expected
    missing = missing_part(org, year, month, shown)
    rows = cached_subtree_sums(f"month-rows:{year}-{month}:{shown}", [org],
                               lambda ids: own_rows(year, month, ids, shown), _rows_added, RowsPart,
                               period=(year, month))[org.id]
    shown_rows = list(Progress.objects.filter(id__in=rows.first).select_related("project__enterprise")
                      .order_by("project__code")[:shown])
    codes = [code for code, _org_id in missing.first]
    missing_rows = list(Project.objects.filter(code__in=codes).select_related("enterprise").order_by("code"))
    return MonthReport(expected, rows.count, shown_rows, missing.count, missing_rows)


def visible_month_report(user, org: OrgUnit, year: int, month: int, shown: int = SHOWN_ROWS) -> MonthReport:
    """`month_report` of the projects the user may see, computed at once."""
    missing_codes = [code for code, _org_id in missing_projects(year, month, org.path)]  # sorted by code
    projects = subtree_projects(user, org)
    missing = list(projects.filter(code__in=missing_codes[:shown]).select_related("enterprise").order_by("code"))
    rows = Progress.objects.filter(project__in=projects, year=year, month=month)
    shown_rows = list(rows.select_related("project__enterprise").order_by("project__code")[:shown])
    expected = (projects.filter(status=ProjectStatus.IN_PROGRESS, is_active=True,
                                start_date__lt=next_month_first(year, month)).count())
    return MonthReport(expected, rows.count(), shown_rows, len(missing_codes), missing)
