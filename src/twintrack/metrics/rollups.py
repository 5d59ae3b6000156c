"""Keeping the per-unit monthly rollups exact as data is written.

Every writer (imports, forms, the demo) reports what it changed as contributions keyed by
(org of the enterprise, year, month); `apply_deltas` adds them to that unit and all its
ancestors with one atomic increment per row, so concurrent imports from different
districts add up instead of overwriting each other. Keys are written in sorted order so
two transactions always lock shared ancestor rows in the same order (no deadlock).
"""
from __future__ import annotations

from dataclasses import astuple
from decimal import Decimal
from typing import Iterable, Mapping

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BigIntegerField, Count, F, Sum, Value
from django.db.models.functions import Cast, ExtractMonth, ExtractYear, Round
from django.utils.module_loading import import_string

from twintrack.metrics import version
from twintrack.metrics.models import Rollup
from twintrack.metrics.rules import (
    ROLLUP_FIELDS, RollupKey, Totals, diff_contributions, expand_to_ancestors, merge,
)
from twintrack.orgs.models import OrgUnit
from twintrack.programme.models import Progress, Project, ProjectStatus

BATCH = 2000


def ancestors_of(org_ids: Iterable[int]) -> dict[int, list[int]]:
    ids = set(org_ids)
    paths = OrgUnit.objects.filter(id__in=ids).values_list("id", "path")
    return {org_id: [int(p) for p in path.strip("/").split("/")] for org_id, path in paths}


def apply_deltas(deltas: Mapping[RollupKey, Totals]) -> int:
    """Add deltas (keyed by the enterprise's own unit) to the subtree rollups. Returns rows touched."""
    if not deltas:
        return 0
    expanded = expand_to_ancestors(deltas, ancestors_of(org for org, _, _ in deltas))
    rows = [(org, y, m, *astuple(t)) for (org, y, m), t in sorted(expanded.items())]
    table = Rollup._meta.db_table
    increments = ", ".join(f"{f} = {table}.{f} + excluded.{f}" for f in ROLLUP_FIELDS)
    sql = (
        f"INSERT INTO {table} (org_id, year, month, {', '.join(ROLLUP_FIELDS)}) "
        f"VALUES (%s, %s, %s, {', '.join(['%s'] * len(ROLLUP_FIELDS))}) "
        f"ON CONFLICT (org_id, year, month) DO UPDATE SET {increments}"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start:start + BATCH])
        version.bump()
    return len(rows)


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
    """Everything a set of projects contributes, computed from raw rows.

    Used around structural changes (a project or enterprise moving unit) and by the full
    rebuild; the monthly import path computes deltas row by row instead.
    """
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
            apply_deltas(diff_contributions(self.before, contributions_of_projects(self.project_filter)))
        return False


def full_recomputation() -> dict[RollupKey, Totals]:
    """The rollups as they should be, from raw rows, expanded to ancestors."""
    own = contributions_of_projects({})
    return expand_to_ancestors(own, ancestors_of(org for org, _, _ in own))


def stored_rollups() -> dict[RollupKey, Totals]:
    rows = Rollup.objects.values_list("org_id", "year", "month", *ROLLUP_FIELDS)
    stored = {(o, y, m): Totals(*values) for o, y, m, *values in rows}
    return {key: totals for key, totals in stored.items() if totals}


def rollup_differences() -> list[tuple[RollupKey, Totals, Totals]]:
    """(key, stored, expected) for every unit-month where the rollups disagree with raw rows."""
    stored, expected = stored_rollups(), full_recomputation()
    return [
        (key, stored.get(key, Totals()), expected.get(key, Totals()))
        for key in sorted(set(stored) | set(expected))
        if stored.get(key, Totals()) != expected.get(key, Totals())
    ]


@transaction.atomic
def rebuild_rollups() -> int:
    Rollup.objects.all().delete()
    return apply_deltas(contributions_of_projects({}))
