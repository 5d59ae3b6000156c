"""Keeping the per-unit monthly rollups exact as data is written.

Every writer (imports, forms, the demo) reports what it changed as contributions keyed by
(org of the enterprise, year, month); `apply_deltas` adds them to that unit and all its
ancestors with one atomic increment per row (and bumps their data versions), so concurrent imports from different
districts add up instead of overwriting each other. Keys are written in sorted order so
two transactions always lock shared ancestor rows in the same order (no deadlock).
The apps below metrics call it through `twintrack.hooks`; what projects contribute is
computed by `twintrack.programme.contributions`.
"""
from __future__ import annotations

from dataclasses import astuple
from typing import Iterable, Mapping

from django.db import connection, transaction

from twintrack.figures import ROLLUP_FIELDS, RollupKey, Totals, expand_to_ancestors
from twintrack.metrics import version
from twintrack.metrics.models import Rollup
from twintrack.orgs.models import OrgUnit
from twintrack.programme.contributions import contributions_of_projects

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
    units = sorted({org for org, _, _ in expanded})
    with transaction.atomic(), connection.cursor() as cursor:
        # before the rollup rows: every writer takes the root's version row first (no deadlock)
        version.bump({org for org, _, _ in deltas}, top_bar=False, months={(y, m) for _, y, m in deltas})
        latest_before = latest_months(cursor, units)
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start:start + BATCH])
        moved = latest_months(cursor, units)
        version.bump_attention(org for org in units if moved.get(org) != latest_before.get(org))
    return len(rows)


def latest_months(cursor, org_ids: list[int]) -> dict[int, int]:
    """{unit: year * 100 + month of its latest month with any figure}: the month the work queue
    counts the months to submit up to (`metrics.periods.default_period`), so a write that moves
    it changes what the top bar's units show."""
    if not org_ids:
        return {}  # every delta was zero (PostgreSQL refuses an empty IN list)
    table = Rollup._meta.db_table
    nonzero = " OR ".join(f"{field} <> 0" for field in ROLLUP_FIELDS)
    cursor.execute(f"SELECT org_id, MAX(year * 100 + month) FROM {table} "
                   f"WHERE org_id IN ({', '.join(['%s'] * len(org_ids))}) AND ({nonzero}) GROUP BY org_id", org_ids)
    return dict(cursor.fetchall())


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
    version.bump()  # every unit's figures may change, including units left with none
    Rollup.objects.all().delete()
    return apply_deltas(contributions_of_projects({}))
