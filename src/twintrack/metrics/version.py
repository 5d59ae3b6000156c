"""Caching what only changes on write: data versions per subtree.

Every write bumps a version in its own transaction:
- a write that concerns org unit X (its progress, projects, enterprises, targets, approvals,
  requirements...) bumps X and every ancestor of X, whose aggregates it changes (`bump(ids)`);
- a write that concerns no unit or every unit (the org tree, user accounts, reference data)
  bumps the global version (`bump()`).

What is computed from a unit's subtree depends on that unit's version and the global one:
`cached(key, compute, orgs)` keys an entry by both, so a Pinghu import leaves Tongxiang's
entries valid and kills Pinghu's, the city's and the province's. Readers pay one indexed query
for all the versions they depend on.

Lock order: every bump locks the root's version row first (ancestors before descendants; a
global bump locks the roots' rows before the global row), and `metrics.rollups.apply_deltas`
bumps before it writes rollup rows, so two districts importing at once queue on the root's
version row, as they queued on the single global row before, instead of deadlocking.
"""
from __future__ import annotations

from typing import Callable, Iterable, Sequence

from django.core.cache import caches
from django.db import connection

from twintrack.metrics.models import DataVersion, UnitVersion
from twintrack.orgs.models import OrgUnit

CACHE_SECONDS = 3600
GLOBAL_ID = 1


def bump(org_ids: Iterable[int] | None = None, with_descendants: bool = False) -> None:
    """Bump the units in `org_ids` and their ancestors (and, with_descendants, every unit below
    them: an approval locks the months of the units below); None bumps the global version."""
    if org_ids is None:
        _bump_global()
        return
    ids = set(org_ids)
    if ids:
        bump_paths(OrgUnit.objects.filter(id__in=ids).values_list("path", flat=True), with_descendants)


def bump_paths(paths: Iterable[str], with_descendants: bool = False) -> None:
    """`bump` for the units with these org paths (the paths name their ancestors: no look-up)."""
    units = _with_ancestors(set(paths), with_descendants)
    if units:
        _bump_units(units)


def _bump_global() -> None:
    # The root's row first, as every unit bump takes it first: a transaction that bumps units and
    # then the global version can never wait for one that did it the other way round.
    _bump_units(list(OrgUnit.objects.filter(parent__isnull=True).order_by("id").values_list("id", flat=True)))
    table = DataVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET counter = counter + 1 WHERE id = %s", [GLOBAL_ID])
        if cursor.rowcount == 0:
            cursor.execute(f"INSERT INTO {table} (id, counter) VALUES (%s, 1)", [GLOBAL_ID])


def _with_ancestors(paths: set[str], with_descendants: bool) -> list[int]:
    """The units of these paths and their ancestors, root first (the lock order)."""
    depth = {}
    for path in paths:
        for position, part in enumerate(path.strip("/").split("/")):
            depth[int(part)] = position
    if with_descendants:
        below = OrgUnit.objects.none()
        for path in paths:
            below = below | OrgUnit.objects.filter(path__startswith=path)
        depth.update(dict(below.values_list("id", "depth")))
    return sorted(depth, key=lambda org_id: (depth[org_id], org_id))


def _bump_units(units: list[int]) -> None:
    if not units:
        return
    table = UnitVersion._meta.db_table
    values = ", ".join(["(%s, 1)"] * len(units))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (org_id, counter) VALUES {values} "
                       f"ON CONFLICT (org_id) DO UPDATE SET counter = {table}.counter + 1", units)


def versions_sql(org_ids: Sequence[int]) -> tuple[list[str], list[int]]:
    """Scalar subqueries for the global version and each unit's (missing rows read as NULL),
    to put in a SELECT list; and their parameters."""
    columns = [f"(SELECT counter FROM {DataVersion._meta.db_table} WHERE id = {GLOBAL_ID})"]
    columns += [f"(SELECT counter FROM {UnitVersion._meta.db_table} WHERE org_id = %s)"] * len(org_ids)
    return columns, list(org_ids)


def versions(org_ids: Sequence[int] = ()) -> tuple[int, ...]:
    """(global, *one per unit) in one indexed query."""
    columns, params = versions_sql(org_ids)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        return tuple(v or 0 for v in cursor.fetchone())


def current() -> int:
    """The global version."""
    return versions()[0]


def unit_ids(orgs: Iterable) -> list[int]:
    return sorted({getattr(org, "pk", org) for org in orgs})


def _full_key(seen: tuple[int, ...], ids: Sequence[int], key: str) -> str:
    return f"v{'.'.join(map(str, seen))}:{','.join(map(str, ids))}:{key}"


def cached_per_unit(key: str, units: Sequence, compute_many: Callable[[list], dict]) -> dict[int, object]:
    """{unit id: value} for each unit, each value cached by the unit's own version (and the global
    one); the units whose value is missing are computed together, `compute_many(units)` returning
    {unit id: value}. One query for all the versions and one cache round trip, so a write below
    one unit recomputes that unit's value only. `key` names everything else the values depend on."""
    ids = [unit.pk for unit in units]
    seen = versions(ids)
    keys = {unit_id: _full_key((seen[0], unit_version), [unit_id], key) for unit_id, unit_version in zip(ids, seen[1:])}
    cache = caches["default"]
    found = cache.get_many(list(keys.values()))
    missing = [unit for unit in units if keys[unit.pk] not in found]
    if missing:
        computed = {keys[unit_id]: value for unit_id, value in compute_many(missing).items()}
        cache.set_many(computed, CACHE_SECONDS)
        found.update(computed)
    return {unit_id: found[keys[unit_id]] for unit_id in ids}


def cached_subtree_sums(key: str, units: Sequence, own_of: Callable[[list[int]], dict], add: Callable,
                        zero: Callable[[], object]) -> dict[int, object]:
    """For each unit, the sum over its subtree of what belongs to each unit itself (`own_of(unit
    ids)` -> {unit id: part}, absent = zero()), each unit's sum cached by its version: after a write
    in one district its own part and its ancestors' sums are computed again, the rest comes from
    the cache; with nothing cached, one `own_of` call per level of the tree."""

    def compute_many(missing: list) -> dict[int, object]:
        own = own_of([unit.pk for unit in missing])
        totals = {unit.pk: own.get(unit.pk, zero()) for unit in missing}
        children = list(OrgUnit.objects.filter(parent_id__in=list(totals)).order_by("id"))
        if children:
            below = cached_subtree_sums(key, children, own_of, add, zero)
            for child in children:
                totals[child.parent_id] = add(totals[child.parent_id], below[child.pk])
        return totals

    return cached_per_unit(key, units, compute_many)


def cached(key: str, compute: Callable[[], object], orgs: Iterable):
    """compute() once per version of the units in `orgs` (OrgUnits or ids: the subtrees the value
    is computed from) and of the global version; `key` must name everything else it depends on."""
    ids = unit_ids(orgs)
    seen = versions(ids)
    full_key = _full_key(seen, ids, key)
    cache = caches["default"]
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, CACHE_SECONDS)
    return value
