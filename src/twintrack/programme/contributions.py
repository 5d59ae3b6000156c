"""What projects contribute to the rollups, computed from raw rows.

Used around structural changes (a project or enterprise moving unit, deactivation) and by the
full rebuild (metrics.rollups); the monthly import path computes deltas row by row instead
(programme.bulk). The Rollup rows themselves are written by metrics, reached through
`twintrack.hooks` in the writer's transaction.
"""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import BigIntegerField, Count, F, Sum, Value
from django.db.models.functions import Cast, ExtractMonth, ExtractYear, Round
from django.utils.module_loading import import_string

from twintrack import hooks
from twintrack.figures import RollupKey, Totals, diff_contributions, merge
from twintrack.programme.models import Progress, Project, ProjectStatus


def contributors() -> list:
    """What apps above add to the rollups (energy carrier lines), named in the setting
    TWINTRACK_ROLLUP_CONTRIBUTORS: each a function (project_filter) -> {(org_id, year, month): Totals}."""
    return [import_string(path) for path in settings.TWINTRACK_ROLLUP_CONTRIBUTORS]


def contributions_of_projects(project_filter: dict) -> dict[RollupKey, Totals]:
    project_filter = {**project_filter, "is_active": True}  # deleted (deactivated) projects count nowhere
    result = _programme_contributions(project_filter)
    for contributor in contributors():
        for key, value in contributor(project_filter).items():
            merge(result, key, value)
    return result


def _programme_contributions(project_filter: dict) -> dict[RollupKey, Totals]:
    """Launched projects and monthly progress of a set of projects."""
    result: dict[RollupKey, Totals] = {}
    projects = (
        Project.objects.filter(**project_filter).exclude(status=ProjectStatus.CANCELLED)
        .annotate(y=ExtractYear("start_date"), m=ExtractMonth("start_date"))
        .values("enterprise__org_id", "y", "m").annotate(n=Count("id"))
    )
    for row in projects:
        merge(result, (row["enterprise__org_id"], row["y"], row["m"]), Totals(projects=row["n"]))
    progress_filter = {f"project__{k}": v for k, v in project_filter.items()}
    progress = (
        Progress.objects.filter(**progress_filter)
        .values("project__enterprise__org_id", "year", "month")
        .annotate(fen=Sum(scaled("investment_yuan", 100)), micro=Sum(scaled("energy_saved_tce", 1_000_000)))
    )
    for row in progress:
        merge(result, (row["project__enterprise__org_id"], row["year"], row["month"]),
              Totals(0, row["fen"] or 0, row["micro"] or 0))
    return result


def scaled(column: str, factor: int):
    """A decimal column as an exact integer count of 1/factor units, summable on any engine
    (SQLite keeps decimals as floats, whose sums drift; each value rounds back exactly)."""
    return Cast(Round(F(column) * Value(Decimal(factor))), output_field=BigIntegerField())


class ContributionsMove:
    """Context manager: snapshot what some projects contribute, change them, apply the difference.

        with ContributionsMove({"enterprise_id": e.id}):
            e.org = other_unit; e.save()
    """

    def __init__(self, project_filter: dict):
        self.project_filter = project_filter

    def __enter__(self):
        self.before = contributions_of_projects(self.project_filter)
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            hooks.apply_rollup_deltas(diff_contributions(self.before, contributions_of_projects(self.project_filter)))
        return False
