"""What a round found and required, unit by unit, as the user may see it; overdue counts.

Used by the round page, the unit page, the dashboard snippet and the bulletin alike, so
that they all say the same thing. Overdue is derived here (due date passed, not
verified), as of `on` (default today).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from twintrack.orgs.access import visible
from twintrack.orgs.models import OrgUnit
from twintrack.supervision.access import visible_units
from twintrack.supervision.models import (
    Finding, FindingKind, Group, Requirement, Round, Status, Visit, today,
)

KINDS = tuple(FindingKind.values)
STATES = tuple(Status.values)


@dataclass
class UnitSummary:
    org: OrgUnit
    groups: list = field(default_factory=list)
    visits: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    requirements: list = field(default_factory=list)
    on: date | None = None

    @property
    def enterprises(self) -> list:
        seen, out = set(), []
        for visit in self.visits:
            for enterprise in visit.enterprises.all():
                if enterprise.pk not in seen:
                    seen.add(enterprise.pk)
                    out.append(enterprise)
        return out

    def findings_of(self, kind: str) -> list:
        return [f for f in self.findings if f.kind == kind]

    @property
    def finding_counts(self) -> dict:
        counts = Counter(f.kind for f in self.findings)
        return {kind: counts.get(kind, 0) for kind in KINDS}

    @property
    def counts(self) -> dict:
        states = Counter(r.status for r in self.requirements)
        result = {state: states.get(state, 0) for state in STATES}
        result["total"] = len(self.requirements)
        result["open"] = result["total"] - result[Status.VERIFIED]
        result["overdue"] = sum(1 for r in self.requirements if r.is_overdue(self.on))
        return result

    @property
    def overdue(self) -> list:
        return [r for r in self.requirements if r.is_overdue(self.on)]


@dataclass
class RoundSummary:
    round: Round
    units: list[UnitSummary]
    groups: list
    on: date

    @property
    def totals(self) -> dict:
        total = Counter()
        for unit in self.units:
            total.update(unit.counts)
            total.update({f"finding_{k}": v for k, v in unit.finding_counts.items()})
        total["findings"] = sum(len(u.findings) for u in self.units)
        total["visits"] = sum(len(u.visits) for u in self.units)
        total["enterprises"] = len({e.pk for u in self.units for e in u.enterprises})
        return dict(total)

    @property
    def requirements(self) -> list:
        return sorted((r for u in self.units for r in u.requirements), key=lambda r: (r.due_date, r.code))

    @property
    def overdue(self) -> list:
        return [r for r in self.requirements if r.is_overdue(self.on)]


def requirement_queryset(queryset):
    return queryset.select_related("org", "enterprise", "key_task", "round", "visit", "issued_by", "verified_by")


def round_summary(user, round_: Round, on: date | None = None) -> RoundSummary:
    """Per unit: the round's visits, findings and requirements the user may see."""
    on = on or today()
    groups = list(visible(user, Group).filter(round=round_).select_related("leader")
                  .prefetch_related("units", "members"))
    visits = list(visible(user, Visit).filter(round=round_).select_related("org", "group")
                  .prefetch_related("enterprises"))
    findings = list(visible(user, Finding).filter(visit__round=round_)
                    .select_related("visit__org", "enterprise", "project").prefetch_related("attachments"))
    requirements = list(requirement_queryset(visible(user, Requirement).filter(round=round_)))
    reachable = set(visible_units(user).values_list("pk", flat=True))
    covered = {}
    for group in groups:
        # a group's other units are not the viewer's business: they read as if it covered none
        group.units_in_scope = [unit for unit in group.units.all() if unit.pk in reachable]
        for unit in group.units_in_scope:
            covered[unit.pk] = unit
    anchors = sorted(covered.values(), key=lambda u: -u.depth)  # deepest first

    rows: dict[int, UnitSummary] = {pk: UnitSummary(unit, on=on) for pk, unit in covered.items()}

    def row_for(org: OrgUnit) -> UnitSummary:
        for unit in anchors:
            if org.path.startswith(unit.path):
                return rows[unit.pk]
        if org.pk not in rows:
            rows[org.pk] = UnitSummary(org, on=on)
        return rows[org.pk]

    for group in groups:
        for unit in group.units.all():
            if unit.pk in rows:
                rows[unit.pk].groups.append(group)
    for visit in visits:
        row = row_for(visit.org)
        row.visits.append(visit)
        if visit.group not in row.groups:
            row.groups.append(visit.group)
    for finding in findings:
        row_for(finding.visit.org).findings.append(finding)
    for requirement in requirements:
        row_for(requirement.org).requirements.append(requirement)
    units = sorted(rows.values(), key=lambda r: r.org.code)
    for unit in units:
        unit.visits.sort(key=lambda v: (v.date, v.code))
        unit.findings.sort(key=lambda f: (KINDS.index(f.kind), f.code))
        unit.requirements.sort(key=lambda r: (r.due_date, r.code))
    return RoundSummary(round_, units, groups, on)


def unit_requirements(user, org: OrgUnit):
    """The requirements of a unit's subtree the user may see, overdue ones first."""
    return requirement_queryset(visible(user, Requirement).filter(org__path__startswith=org.path))


def sort_overdue_first(requirements, on: date | None = None) -> list:
    return sorted(requirements, key=lambda r: (not r.is_overdue(on), r.status == Status.VERIFIED, r.due_date, r.code))


def overdue_requirements_for(user, org: OrgUnit | None = None, limit: int = 5, on: date | None = None) -> dict:
    """For the dashboard: the overdue requirements the user sees (under `org` if given):
    {"count", "items" (the `limit` most overdue), "url" (the list, filtered)}."""
    from django.urls import reverse
    from django.utils.http import urlencode

    queryset = visible(user, Requirement)
    if org is not None:
        queryset = queryset.filter(org__path__startswith=org.path)
    overdue = requirement_queryset(queryset.overdue(on)).order_by("due_date", "code")
    count = overdue.count()
    query = {"overdue": "1"}
    if org is not None:
        query["org"] = org.code
    return {
        "count": count,
        "items": list(overdue[:limit]) if count else [],
        "url": reverse("supervision:requirements") + "?" + urlencode(query),
        "org": org,
        "on": on or today(),
    }


def overdue_by_round(user, on: date | None = None) -> dict[int, int]:
    counts = defaultdict(int)
    for round_id in visible(user, Requirement).overdue(on).values_list("round_id", flat=True):
        counts[round_id] += 1
    return dict(counts)


__all__ = ["round_summary", "overdue_requirements_for", "unit_requirements", "RoundSummary", "UnitSummary"]
