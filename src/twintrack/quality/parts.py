"""Each unit's own part of a month's data quality (its own enterprises' projects, not the units
below), for pages that sum a subtree from per-unit parts cached by each unit's data version
(`metrics.version.cached_subtree_sums`): after a write in one district only that district's
part is computed again.

The parts are exact: the same "expected" rule as `evaluate.completeness_by_org` and
`missing_projects`, and the findings of `evaluate.findings_for` (rules.py decides), only
asked unit by unit.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from twintrack import sql
from twintrack.energy.models import EnergyLine
from twintrack.enterprises.models import Enterprise
from twintrack.orgs.models import OrgUnit
from twintrack.programme.models import Progress, Project
from twintrack.quality.evaluate import Finding, Scope, _fetch, _next_month_first, findings_for, rules_in_force

G, P, E, L = Progress._meta.db_table, Project._meta.db_table, Enterprise._meta.db_table, EnergyLine._meta.db_table


@dataclass
class MissingPart:
    """How many expected projects have not reported, and the first `(code, org id)` of them
    in the order of `evaluate.missing_projects` (Python's sort of the pairs)."""

    count: int = 0
    first: list[tuple[str, int]] = field(default_factory=list)


def merged_missing(keep: int):
    """add() for MissingPart sums: counts added, the first `keep` of both lists."""

    def add(a: MissingPart, b: MissingPart) -> MissingPart:
        return MissingPart(a.count + b.count, sorted(a.first + b.first)[:keep])

    return add


def own_missing(year: int, month: int, org_ids: list[int], keep: int) -> dict[int, MissingPart]:
    """For each unit, its own enterprises' expected projects without a progress row or an energy
    line for the month: their count and the first `keep` (code, org id) pairs, ranked in the
    database by code in code point order (Python's, as `missing_projects` sorts; codes are unique)."""
    if not org_ids:
        return {}
    in_units = ", ".join(["%s"] * len(org_ids))
    binary = ' COLLATE "C"' if connection.vendor == "postgresql" else ""  # SQLite compares bytes already
    rows = _fetch(f"SELECT org_id, code, n FROM (SELECT e.org_id AS org_id, p.code AS code, "
                  f"COUNT(*) OVER (PARTITION BY e.org_id) AS n, "
                  f"ROW_NUMBER() OVER (PARTITION BY e.org_id ORDER BY p.code{binary}) AS row_number_in_unit "
                  f"FROM {P} p JOIN {E} e ON e.id = p.enterprise_id "
                  f"LEFT JOIN {G} g ON g.project_id = p.id AND g.year = %s AND g.month = %s "
                  f"WHERE e.org_id IN ({in_units}) AND p.status = %s AND p.is_active AND p.start_date < %s "
                  f"AND g.project_id IS NULL "
                  f"AND NOT EXISTS (SELECT 1 FROM {L} x WHERE x.project_id = p.id AND x.year = %s AND x.month = %s)"
                  f") ranked WHERE row_number_in_unit <= %s",
                  [year, month, *org_ids, "in_progress", _next_month_first(year, month), year, month, keep])
    parts: dict[int, MissingPart] = {}
    for org_id, code, count in rows:
        parts.setdefault(org_id, MissingPart(int(count))).first.append((code, org_id))
    for part in parts.values():
        part.first.sort()
    return parts


def joined_findings(a: list[Finding], b: list[Finding]) -> list[Finding]:
    """add() for findings: both lists in `findings_for`'s order (rule key, then project code)."""
    return sorted(a + b, key=lambda f: (f.rule, f.project))


def own_findings(year: int, month: int, org_ids: list[int],
                 rules: dict[str, Decimal] | None = None) -> dict[int, list[Finding]]:
    """For each unit, the findings of its own enterprises' projects (`findings_for`, exact): a unit
    with no unit below asks for its subtree; a unit with units below, for its own projects by id.
    Where every unit below a parent is asked for, the parent's subtree is read once and split."""
    rules = rules_in_force() if rules is None else rules
    units = list(OrgUnit.objects.filter(id__in=org_ids).order_by("id"))
    with_children = set(OrgUnit.objects.filter(parent_id__in=org_ids).values_list("parent_id", flat=True))
    found: dict[int, list[Finding]] = {}
    leaves = [unit for unit in units if unit.id not in with_children]
    found.update(_leaf_findings(year, month, leaves, rules))
    inner = [unit for unit in units if unit.id in with_children]
    found.update(_inner_findings(year, month, inner, rules))
    return found


def _leaf_findings(year: int, month: int, leaves: list[OrgUnit], rules) -> dict[int, list[Finding]]:
    found: dict[int, list[Finding]] = {}
    for ancestor, group in _read_together(leaves):
        if ancestor is None:
            found.update({leaf.id: _probed_findings(year, month, Scope(leaf.path), rules, _active_projects(leaf))
                          for leaf in group})
        else:
            found.update(_split(findings_for(year, month, Scope(ancestor), rules), group))
    return found


def _probed_findings(year: int, month: int, scope: Scope, rules, projects: int) -> list[Finding]:
    """findings_for the scope, its joins probed when it holds few projects (sql.probing_indexes):
    a district's after an import in it took 365 ms against 600-700 ms, with 10^6 projects in the
    province."""
    with sql.probing_indexes(projects):
        return findings_for(year, month, scope, rules)


def _active_projects(leaf: OrgUnit) -> int:
    return Project.objects.filter(enterprise__org_id=leaf.id, is_active=True).count()


def _read_together(leaves: list[OrgUnit]) -> list[tuple[str | None, list[OrgUnit]]]:
    """The leaves grouped under the highest unit all of whose leaves are asked for (more than
    one: its subtree is read once and split; with nothing cached, the root once), and (None,
    the rest): each read on its own."""
    asked = {leaf.id for leaf in leaves}
    parents = set(OrgUnit.objects.exclude(parent_id=None).values_list("parent_id", flat=True))
    leaves_under: dict[str, set[int]] = defaultdict(set)
    for unit_id, path in OrgUnit.objects.values_list("id", "path"):
        for ancestor in _ancestor_paths(path) if unit_id not in parents else ():
            leaves_under[ancestor].add(unit_id)
    groups: dict[str | None, list[OrgUnit]] = defaultdict(list)
    for leaf in leaves:
        whole = next((ancestor for ancestor in _ancestor_paths(leaf.path)
                      if len(leaves_under[ancestor]) > 1 and leaves_under[ancestor] <= asked), None)
        groups[whole].append(leaf)
    return list(groups.items())


def _ancestor_paths(path: str) -> list[str]:
    """The materialised paths of a unit's ancestors, the root's first ("/1/10/81/" -> "/1/", "/1/10/")."""
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[:depth]) + "/" for depth in range(1, len(parts))]


def _split(findings: list[Finding], units: list[OrgUnit]) -> dict[int, list[Finding]]:
    """The findings of these units' own projects, by unit, in their order."""
    ids = {unit.id for unit in units}
    split: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.org_id in ids:
            split[finding.org_id].append(finding)
    return dict(split)


def _inner_findings(year: int, month: int, units: list[OrgUnit], rules) -> dict[int, list[Finding]]:
    if not units:
        return {}
    own: dict[int, list[int]] = defaultdict(list)
    for project_id, org_id in Project.objects.filter(enterprise__org_id__in=[u.id for u in units],
                                                     is_active=True).values_list("id", "enterprise__org_id"):
        own[org_id].append(project_id)
    return {unit.id: _probed_findings(year, month, Scope(unit.path, tuple(own[unit.id])), rules, len(own[unit.id]))
            for unit in units if own.get(unit.id)}
