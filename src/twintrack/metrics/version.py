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

import hashlib
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F

from twintrack.metrics.models import DataVersion, MonthVersion, UnitVersion
from twintrack.orgs.access import scope_root
from twintrack.orgs.models import OrgUnit

CACHE_SECONDS = 3600
GLOBAL_ID = 1


def bump(org_ids: Iterable[int] | None = None, with_descendants: bool = False, top_bar: bool = True,
         months: Iterable[tuple[int, int]] = ()) -> None:
    """Bump the units in `org_ids` and their ancestors (and, with_descendants, every unit below
    them: an approval locks the months of the units below); None bumps the global version.
    top_bar=False: the write changes figures alone (progress, projects, a job's state), nothing
    the top bar or the work queue show, so the units' attention counters stay (`attention`).
    months: a write of progress rows of these (year, month)s, which bumps those months of the
    units (MonthVersion) instead of their `other` counters (`through`)."""
    if org_ids is None:
        _bump_global()
        return
    ids = set(org_ids)
    if ids:
        bump_paths(OrgUnit.objects.filter(id__in=ids).values_list("path", flat=True), with_descendants, top_bar,
                   months)


def bump_paths(paths: Iterable[str], with_descendants: bool = False, top_bar: bool = True,
               months: Iterable[tuple[int, int]] = ()) -> None:
    """`bump` for the units with these org paths (the paths name their ancestors: no look-up)."""
    units = _with_ancestors(set(paths), with_descendants)
    months = sorted(set(months))
    if units:
        _bump_units(units, top_bar, other=not months)
        _bump_months(units, months)


def _bump_months(units: list[int], months: list[tuple[int, int]]) -> None:
    """After the units' rows (their lock order holds): each unit's row of each month."""
    if not units or not months:
        return
    table = MonthVersion._meta.db_table
    rows = [(unit, year, month) for unit in units for year, month in months]
    values = ", ".join(["(%s, %s, %s, 1)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (org_id, year, month, counter) VALUES {values} "
                       f"ON CONFLICT (org_id, year, month) DO UPDATE SET counter = {table}.counter + 1",
                       [value for row in rows for value in row])


def bump_attention(org_ids: Iterable[int]) -> None:
    """Bump the attention counters of these units alone (their counters were bumped already in
    this transaction, so their rows are locked: the lock order holds)."""
    ids = sorted(set(org_ids))
    if ids:
        UnitVersion.objects.filter(org_id__in=ids).update(attention=F("attention") + 1)


def attention(orgs: Iterable) -> list[int]:
    """Dependencies on these units' attention counters (`versions_sql`)."""
    return [-unit_id for unit_id in unit_ids(orgs)]


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


def _bump_units(units: list[int], top_bar: bool = True, other: bool = True) -> None:
    if not units:
        return
    table = UnitVersion._meta.db_table
    values = ", ".join(["(%s, 1, 1, 1)"] * len(units))
    also = (f", attention = {table}.attention + 1" if top_bar else "") + (f", other = {table}.other + 1" if other else "")
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (org_id, counter, attention, other) VALUES {values} "
                       f"ON CONFLICT (org_id) DO UPDATE SET counter = {table}.counter + 1{also}", units)


def through(orgs: Iterable, year: int, month: int) -> list[tuple[int, int]]:
    """Dependencies on what these units show of month (year, month): their `other` counters and
    their progress of the months up to it (`versions`)."""
    return _dependencies(unit_ids(orgs), (year, month))


def versions_sql(dependencies: Sequence) -> tuple[list[str], list[int]]:
    """Scalar subqueries for the global version and each dependency's, to put in a SELECT list;
    and their parameters. A dependency is a unit id (its counter), minus a unit id (its attention
    counter) or (unit id, year * 100 + month) (`through`: its `other` counter plus its months'
    counters up to that month; both only grow, so the sum moves when either does). Missing rows
    read as NULL."""
    units, months = UnitVersion._meta.db_table, MonthVersion._meta.db_table
    columns = [f"(SELECT counter FROM {DataVersion._meta.db_table} WHERE id = {GLOBAL_ID})"]
    params: list[int] = []
    for dependency in dependencies:
        if isinstance(dependency, tuple):
            columns.append(f"((SELECT other FROM {units} WHERE org_id = %s) + (SELECT COALESCE(SUM(counter), 0) "
                           f"FROM {months} WHERE org_id = %s AND year * 100 + month <= %s))")
            params += [dependency[0], dependency[0], dependency[1]]
        else:
            columns.append(f"(SELECT {'counter' if dependency >= 0 else 'attention'} FROM {units} WHERE org_id = %s)")
            params.append(abs(dependency))
    return columns, params


def versions(org_ids: Sequence[int] = ()) -> tuple[int, ...]:
    """(global, *one per unit or attention dependency) in one indexed query."""
    columns, params = versions_sql(org_ids)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        return tuple(v or 0 for v in cursor.fetchone())


def current() -> int:
    """The global version."""
    return versions()[0]


def unit_ids(orgs: Iterable) -> list[int]:
    return sorted({getattr(org, "pk", org) for org in orgs})


def _full_key(seen: tuple[int, ...], dependencies: Sequence, key: str) -> str:
    named = (f"{d[0]}@{d[1]}" if isinstance(d, tuple) else str(d) for d in dependencies)
    return f"w{'.'.join(map(str, seen))}:{','.join(named)}:{key}"


LOCK = "computing:"  # prefix of the claim on a value being computed
LATEST = "latest:"  # prefix of a value's last computed version, whatever versions it was made under
LOCK_SECONDS = 120  # a claim outlives no crashed worker for longer
WAIT_SECONDS = 30  # how long a request waits for another's computation before doing it itself
POLL_SECONDS = 0.02


@dataclass
class _Earlier:
    """What a page was computed from: how many values it took from an earlier version."""
    values: int = 0


_EARLIER: ContextVar[_Earlier | None] = ContextVar("twintrack_earlier_values", default=None)


@contextmanager
def earlier_while_computing():
    """Within it, a value that another request is computing right now is answered with the value
    last computed for the same units and key, under earlier versions, instead of waiting for it.
    Right after an import every user of a unit asks for its parts at once; one of them computes
    them, the others see the figures as they stood a moment before. Yields the record of how many
    values were taken so: the caller must not keep what it made from them (a page showing them
    says its figures are being updated). Pages only: an API answer, an export or a write always
    waits for the current values."""
    record = _Earlier()
    token = _EARLIER.set(record)
    try:
        yield record
    finally:
        _EARLIER.reset(token)


def earlier_values_shown() -> bool:
    """True if the page being computed took a value of an earlier version."""
    record = _EARLIER.get()
    return record is not None and record.values > 0


def _latest_key(key: str) -> str:
    return LATEST + key.partition(":")[2]  # the full key without its versions


def _earlier(pending: dict, cache) -> dict:
    """{id: value} of the earlier values of `pending` ({id: cache key}) when the caller accepts
    them (earlier_while_computing), counted in its record."""
    record = _EARLIER.get()
    if record is None:
        return {}
    latest = {some_id: _latest_key(key) for some_id, key in pending.items()}
    stored = cache.get_many(list(latest.values()))
    found = {some_id: stored[key][0] for some_id, key in latest.items() if key in stored}
    record.values += len(found)
    return found


def _compute_and_keep(keys: dict, ids: list, compute_many: Callable[[list], dict], cache) -> dict:
    """compute_many(ids), stored under its keys and as the latest value of each, unless it was
    made from earlier values itself (a sum over parts that another request was computing)."""
    record = _EARLIER.get()
    earlier_before = record.values if record is not None else 0
    computed = compute_many(ids)
    if record is None or record.values == earlier_before:
        entries = {keys[some_id]: (computed[some_id],) for some_id in ids}
        entries.update({_latest_key(keys[some_id]): (computed[some_id],) for some_id in ids})
        cache.set_many(entries, CACHE_SECONDS)
    return computed


def _filled(keys: dict, compute_many: Callable[[list], dict]) -> dict:
    """{id: value} for every id of `keys` ({id: cache key}), from the cache, or computed by
    `compute_many(ids)` -> {id: value}. A value missing for several requests at once is computed by
    the one that claims it first while the others wait for it (or, on a page, show its earlier
    value: earlier_while_computing): right after a write every user of a unit asks for the same
    parts, and computing them once per request multiplies the work by the number of users.
    Values are stored boxed, so that None is a value too."""
    cache = caches["default"]
    found: dict = {}
    pending = dict(keys)
    deadline = time.monotonic() + WAIT_SECONDS
    while pending:
        stored = cache.get_many([*pending.values(), *(LOCK + key for key in pending.values())])
        for some_id, key in list(pending.items()):
            if key in stored:
                found[some_id] = stored[key][0]
                del pending[some_id]
        late = time.monotonic() >= deadline
        mine = [some_id for some_id, key in pending.items()
                if late or (LOCK + key not in stored and cache.add(LOCK + key, 1, LOCK_SECONDS))]
        if mine:
            try:
                computed = _compute_and_keep(pending, mine, compute_many, cache)
            finally:
                if not late:
                    cache.delete_many([LOCK + pending[some_id] for some_id in mine])
            for some_id in mine:
                found[some_id] = computed[some_id]
                del pending[some_id]
        elif pending:
            for some_id, value in _earlier(pending, cache).items():
                found[some_id] = value
                del pending[some_id]
            if pending:
                time.sleep(POLL_SECONDS)
    return found


def _dependencies(ids: list[int], period: tuple[int, int] | None) -> list:
    """One dependency per unit id, in the order given: the unit's counter, or with a period
    (year, month) what it shows of that month (`through`)."""
    if period is None:
        return ids
    year, month = period
    return [(unit_id, year * 100 + month) for unit_id in ids]


def cached_per_unit(key: str, units: Sequence, compute_many: Callable[[list], dict],
                    period: tuple[int, int] | None = None) -> dict[int, object]:
    """{unit id: value} for each unit, each value cached by the unit's own version (and the global
    one); the units whose value is missing are computed together, `compute_many(units)` returning
    {unit id: value}. One query for all the versions and one cache round trip, so a write below
    one unit recomputes that unit's value only. `key` names everything else the values depend on.
    period=(year, month): the values show that month, so they depend on the units' progress up to
    it and the rest of their data (`through`), and later months' progress leaves them valid."""
    by_id = {unit.pk: unit for unit in units}
    dependencies = _dependencies(list(by_id), period)
    seen = versions(dependencies)
    keys = {unit_id: _full_key((seen[0], unit_version), [dependency], key)
            for unit_id, dependency, unit_version in zip(by_id, dependencies, seen[1:])}
    return _filled(keys, lambda ids: compute_many([by_id[unit_id] for unit_id in ids]))


def cached_subtree_sums(key: str, units: Sequence, own_of: Callable[[list[int]], dict], add: Callable,
                        zero: Callable[[], object], period: tuple[int, int] | None = None) -> dict[int, object]:
    """For each unit, the sum over its subtree of what belongs to each unit itself (`own_of(unit
    ids)` -> {unit id: part}, absent = zero()), each unit's sum cached by its version (of `period`,
    as in cached_per_unit): after a write in one district its own part and its ancestors' sums are
    computed again, the rest comes from the cache; with nothing cached, one `own_of` call per
    level of the tree."""

    def compute_many(missing: list) -> dict[int, object]:
        own = own_of([unit.pk for unit in missing])
        totals = {unit.pk: own.get(unit.pk, zero()) for unit in missing}
        children = list(OrgUnit.objects.filter(parent_id__in=list(totals)).order_by("id"))
        if children:
            below = cached_subtree_sums(key, children, own_of, add, zero, period)
            for child in children:
                totals[child.parent_id] = add(totals[child.parent_id], below[child.pk])
        return totals

    return cached_per_unit(key, units, compute_many, period)


def cached(key: str, compute: Callable[[], object], orgs: Iterable, period: tuple[int, int] | None = None):
    """compute() once per version of the units in `orgs` (OrgUnits or ids: the subtrees the value
    is computed from; of `period`, as in cached_per_unit) and of the global version; `key` must
    name everything else it depends on."""
    dependencies = _dependencies(unit_ids(orgs), period)
    return _filled({0: _full_key(versions(dependencies), dependencies, key)}, lambda _ids: {0: compute()})[0]


def cached_count(rows, user) -> int:
    """rows.count() for rows that lie in `user`'s scope, kept per version of the scope's subtree:
    a list's page count at the province's root counts 10^6 projects, and the same query gives the
    same count until something below changes. Counted afresh for a user without a subtree (an
    enterprise's account or a service provider reaches enterprises, not units)."""
    root = scope_root(user)
    if root is None:
        return rows.count()
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:
        return 0
    key = "count:" + hashlib.sha256(f"{sql}\x1f{params!r}".encode()).hexdigest()
    return cached(key, rows.count, [root])
