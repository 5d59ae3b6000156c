"""Figures from approved months only (`report_for_period(..., approved_only=True)`).

A unit-month counts only when it is approved, by the unit itself or by a unit above it.
The rollups hold each unit's *subtree* per month; a unit's own figures are its subtree's
minus its children's. So a unit U's approved figure for month m is:

    approved(U, m) = rollup(U, m)                       if U's month m is locked (approved)
                   = sum(approved(C, m) for children C) otherwise (U's own rows left out)

Reads the approvals of the year and the rollups of the units below, once; the default
report path does not come here.
"""
from __future__ import annotations

from collections import defaultdict

from twintrack.approvals.models import MonthApproval, MonthState
from twintrack.metrics.models import Rollup
from twintrack.metrics.rules import ROLLUP_FIELDS, Totals
from twintrack.orgs.models import OrgUnit


def _approved(year: int, through_month: int) -> dict[int, set[int]]:
    approved: dict[int, set[int]] = defaultdict(set)
    for org_id, month in MonthApproval.objects.filter(
            year=year, month__lte=through_month, state=MonthState.APPROVED).values_list("org_id", "month"):
        approved[month].add(org_id)
    return approved


def approved_monthly_totals(units: list[OrgUnit], year: int, through_month: int) -> dict[int, list[Totals]]:
    """For each unit, its approved subtree figures for months 1..through_month (not cumulative)."""
    result = {u.id: [Totals() for _ in range(through_month)] for u in units}
    approved = _approved(year, through_month)
    if not approved or not units:
        return result
    tops = _outermost(units)
    below: dict[int, list[int]] = defaultdict(list)
    subtree_ids: set[int] = set()
    for top in tops:
        for unit_id, parent_id in top.subtree().values_list("id", "parent_id"):
            subtree_ids.add(unit_id)
            if unit_id != top.id:
                below[parent_id].append(unit_id)
    rollups: dict[tuple[int, int], Totals] = {}
    for org_id, month, *values in Rollup.objects.filter(
            org_id__in=subtree_ids, year=year, month__lte=through_month).values_list("org_id", "month", *ROLLUP_FIELDS):
        rollups[(org_id, month)] = Totals(*values)
    for month in range(1, through_month + 1):
        approved_here = approved.get(month, set())
        if not approved_here:
            continue
        memo: dict[int, Totals] = {}

        def figure(unit_id: int, locked: bool) -> Totals:
            locked = locked or unit_id in approved_here
            if locked:
                return rollups.get((unit_id, month), Totals())
            if unit_id not in memo:
                total = Totals()
                for child in below.get(unit_id, ()):
                    total = total + figure(child, False)
                memo[unit_id] = total
            return memo[unit_id]

        for unit in units:
            locked_above = any(a in approved_here for a in unit.ancestor_ids()[:-1])
            result[unit.id][month - 1] = figure(unit.id, locked_above)
    return result


def approved_subtree_totals(units: list[OrgUnit], year: int, through_month: int) -> dict[int, Totals]:
    """For each unit, its approved subtree figures summed over months 1..through_month."""
    totals = {}
    for unit_id, months in approved_monthly_totals(units, year, through_month).items():
        running = Totals()
        for value in months:
            running = running + value
        totals[unit_id] = running
    return totals


def _outermost(units: list[OrgUnit]) -> list[OrgUnit]:
    """The units not below another of the list (their subtrees cover everyone's)."""
    ordered = sorted(units, key=lambda u: len(u.path))
    tops: list[OrgUnit] = []
    for unit in ordered:
        if not any(unit.path.startswith(top.path) for top in tops):
            tops.append(unit)
    return tops
