"""A unit's month as the month page and the pre-filled template see it: which projects are
expected to report, which have, and the month's totals against last month and the target.

"Expected" is data quality's rule (`quality.evaluate`): in progress, active, started by the end
of the month; a project has reported with a progress row (zeros count) or an energy line.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from twintrack.display.periods import Period, shift_month
from twintrack.metrics.models import Rollup
from twintrack.metrics.report import subtree_totals, targets_for
from twintrack.metrics.rules import ROLLUP_FIELDS, Totals, rate
from twintrack.orgs.access import visible
from twintrack.orgs.models import OrgUnit
from twintrack.programme.models import Progress, Project, ProjectStatus
from twintrack.quality.evaluate import missing_projects

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
    """The month's progress rows in the subtree and the expected projects without a report."""
    missing_codes = [code for code, _org_id in missing_projects(year, month, org.path)]  # sorted by code
    projects = subtree_projects(user, org)
    missing = list(projects.filter(code__in=missing_codes[:shown]).select_related("enterprise").order_by("code"))
    rows = Progress.objects.filter(project__in=projects, year=year, month=month)
    shown_rows = list(rows.select_related("project__enterprise").order_by("project__code")[:shown])
    expected = (projects.filter(status=ProjectStatus.IN_PROGRESS, is_active=True,
                                start_date__lt=next_month_first(year, month)).count())
    return MonthReport(expected, rows.count(), shown_rows, len(missing_codes), missing)
