"""What the command, the pages and the import warnings ask of data quality.

    quality_report(org, 2023, 7)   # exactly data contract section 5's JSON object
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from twintrack.approvals.models import MonthApproval
from twintrack.display.periods import format_period
from twintrack.orgs.models import OrgUnit
from twintrack.quality import rules as R
from twintrack.metrics.version import cached_subtree_sums
from twintrack.quality.evaluate import (Completeness, Finding, Scope, completeness_by_org, findings_for,
                                        missing_projects, own_completeness, subtree_paths, sum_under)
from twintrack.quality.models import FindingReview, QualityRule, QualitySettings, ReviewStatus
from twintrack.quality.parts import MissingPart, joined_findings, merged_missing, own_findings, own_missing


class QualityRefused(Exception):
    """A change the rules do not allow; `message` is translated, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def org_json(org: OrgUnit) -> dict:
    return {"code": org.code, "name_zh": org.name_zh, "name_en": org.name_en}


def children_of(org: OrgUnit) -> list[OrgUnit]:
    return list(org.children.order_by("code"))


@dataclass
class QualityView:
    """A unit's month: completeness (own subtree and each child's), missing projects, findings."""

    org: OrgUnit
    year: int
    month: int
    completeness: Completeness
    missing: list[tuple[str, int]]
    findings: list[Finding]
    children: list[tuple[OrgUnit, Completeness, int]]
    paths: dict[int, str]

    @property
    def period(self) -> str:
        return format_period(self.year, self.month)

    def as_json(self) -> dict:
        completeness = self.completeness.as_json(with_missing=True)
        return {
            "org": org_json(self.org),
            "period": self.period,
            "completeness": completeness,
            "findings": [f.as_json() for f in self.findings],
            "children": [{"org": org_json(child), "completeness": counts.as_json(with_missing=False),
                          "findings": count} for child, counts, count in self.children],
        }

    def open_findings(self) -> int:
        return sum(1 for f in self.findings if f.status == ReviewStatus.OPEN)


def quality_view(org: OrgUnit, year: int, month: int) -> QualityView:
    paths = subtree_paths(org)
    by_org = completeness_by_org(year, month, org.path)
    missing = missing_projects(year, month, org.path)
    total = sum_under(by_org, paths, org.path)
    total.missing = [code for code, _org in missing]
    findings = findings_for(year, month, Scope(org.path))
    children = []
    for child in children_of(org):
        counts = sum_under(by_org, paths, child.path)
        count = sum(1 for f in findings if paths.get(f.org_id, "").startswith(child.path))
        children.append((child, counts, count))
    return QualityView(org, year, month, total, missing, findings, children, paths)


@dataclass
class QualityPage:
    """What the quality page shows of a unit's month: as `QualityView`, but only the first
    `shown` missing projects (and their count), every figure summed from per-unit parts cached
    by each unit's data version, so the province root's page after a write in one district
    computes that district's parts again and adds up the rest."""

    org: OrgUnit
    year: int
    month: int
    completeness: Completeness
    missing: list[tuple[str, int]]  # the first `shown`, in missing_projects' order
    missing_total: int
    findings: list[Finding]
    children: list[tuple[OrgUnit, Completeness, int]]

    def open_findings(self) -> int:
        return sum(1 for f in self.findings if f.status == ReviewStatus.OPEN)


def quality_page(org: OrgUnit, year: int, month: int, shown: int) -> QualityPage:
    children = children_of(org)
    counts = completeness_parts(org, children, year, month)
    missing = missing_part(org, year, month, shown)
    findings = unit_and_children_sums(f"quality-findings:{year}-{month}", org, children,
                                      lambda ids: own_findings(year, month, ids), joined_findings, list,
                                      (year, month))
    total = Completeness(counts[org.id].expected, counts[org.id].reported, [code for code, _org in missing.first])
    return QualityPage(org, year, month, total, missing.first, missing.count, findings[org.id],
                       [(child, counts[child.id], len(findings[child.id])) for child in children])


def completeness_parts(org: OrgUnit, children: list[OrgUnit], year: int, month: int) -> dict[int, Completeness]:
    """The completeness of the unit's subtree and of each child's (the dashboard card's cache)."""
    return unit_and_children_sums(f"completeness:{year}-{month}", org, children,
                                  lambda ids: own_completeness(year, month, ids), _added, Completeness,
                                  (year, month))


def unit_and_children_sums(key: str, org: OrgUnit, children: list[OrgUnit], own_of, add, zero,
                           period: tuple[int, int]) -> dict:
    """`cached_subtree_sums` of the unit, then of its children, for one month: summing the unit
    caches the children's sums on the way, where asking for both levels at once would compute
    the levels below twice."""
    sums = cached_subtree_sums(key, [org], own_of, add, zero, period)
    if children:
        sums.update(cached_subtree_sums(key, children, own_of, add, zero, period))
    return sums


def missing_part(org: OrgUnit, year: int, month: int, shown: int) -> MissingPart:
    """How many of the subtree's expected projects have not reported, and the first `shown`."""
    return cached_subtree_sums(f"missing:{year}-{month}:{shown}", [org],
                               lambda ids: own_missing(year, month, ids, shown), merged_missing(shown),
                               MissingPart, (year, month))[org.id]


def quality_report(org: OrgUnit, year: int, month: int) -> dict:
    return quality_view(org, year, month).as_json()


def completeness_of(org: OrgUnit, year: int, month: int) -> Completeness:
    """The subtree's completeness alone (the dashboard's card): each unit's part cached by its
    version (metrics.version), so a write in one district counts that district's projects
    again, not the province's."""
    return completeness_parts(org, [], year, month)[org.id]


def _added(a: Completeness, b: Completeness) -> Completeness:
    return Completeness(a.expected + b.expected, a.reported + b.reported)


# --- timeliness --------------------------------------------------------------------------------

def deadline_day() -> int:
    found = QualitySettings.objects.order_by("id").first()
    return found.deadline_day if found is not None else R.DEFAULT_DEADLINE_DAY


def deadline_of(year: int, month: int, day: int | None = None) -> date:
    """The last day on which a unit's Y-M is on time: day N of the following month."""
    y, m = R.deadline_index(year, month)
    return date(y, m, day or deadline_day())


@dataclass
class Timeliness:
    org: OrgUnit
    deadline: date
    submitted_at: datetime | None
    state: str  # on_time | late | overdue (not submitted, deadline passed) | pending (not yet due)

    @property
    def label(self) -> str:
        return {"on_time": _("on time"), "late": _("late"), "overdue": _("not submitted, overdue"),
                "pending": _("not submitted yet")}[self.state]


def timeliness_state(submitted_at: datetime | None, deadline: date, today: date) -> str:
    if submitted_at is not None:
        return "on_time" if timezone.localtime(submitted_at).date() <= deadline else "late"
    return "overdue" if today > deadline else "pending"


def timeliness_for(org: OrgUnit, year: int, month: int, today: date | None = None) -> list[Timeliness]:
    """The unit (unless it is the root: nobody above it receives its month) and each unit directly below it."""
    today = today or timezone.localdate()
    deadline = deadline_of(year, month)
    units = [org, *children_of(org)] if org.parent_id else children_of(org)
    approvals = {a.org_id: a for a in MonthApproval.objects.filter(org__in=units, year=year, month=month)}
    out = []
    for unit in units:
        approval = approvals.get(unit.id)
        submitted = approval.submitted_at if approval is not None else None
        out.append(Timeliness(unit, deadline, submitted, timeliness_state(submitted, deadline, today)))
    return out


# --- changes -----------------------------------------------------------------------------------

@transaction.atomic
def confirm_finding(finding: Finding, user, comment: str) -> FindingReview:
    """The figure is right: the finding stays listed as confirmed, with who, when and why."""
    comment = (comment or "").strip()
    if not comment:
        raise QualityRefused(_("Say why the figure is right: a comment is required."))
    review = (FindingReview.objects.select_for_update()
              .filter(rule=finding.rule, project_id=finding.project_id, year=finding.year, month=finding.month)
              .first()) or FindingReview(rule=finding.rule, project_id=finding.project_id, year=finding.year,
                                        month=finding.month)
    review.status, review.comment = ReviewStatus.CONFIRMED, comment[:500]
    review.reviewed_by, review.reviewed_at = user, timezone.now()
    review._history_user = user
    review.save()
    return review


@transaction.atomic
def reopen_finding(finding: Finding, user) -> None:
    review = FindingReview.objects.filter(rule=finding.rule, project_id=finding.project_id, year=finding.year,
                                          month=finding.month).first()
    if review is not None:
        review.status = ReviewStatus.OPEN
        review.reviewed_by, review.reviewed_at = user, timezone.now()
        review._history_user = user
        review.save()


@transaction.atomic
def set_rule(rule: QualityRule, threshold: Decimal, enabled: bool, user) -> QualityRule:
    if threshold is None or threshold <= 0:
        raise QualityRefused(_("A threshold must be greater than 0."))
    rule.threshold, rule.enabled = threshold, enabled
    rule._history_user = user
    rule.save()
    return rule


@transaction.atomic
def set_deadline_day(day: int, user) -> QualitySettings:
    if not 1 <= day <= 28:
        raise QualityRefused(_("The deadline day must be between 1 and 28."))
    found = QualitySettings.objects.order_by("id").first() or QualitySettings()
    found.deadline_day = day
    found._history_user = user
    found.save()
    return found


def seed_rules(rule_model=QualityRule, settings_model=QualitySettings) -> int:
    """The contract's defaults (and the extra rules'), for any key not yet in the table. Safe twice."""
    created = 0
    for default in R.DEFAULTS:
        _obj, made = rule_model.objects.get_or_create(key=default.key, defaults=dict(
            threshold=default.threshold, enabled=True, name_en=default.name_en, name_zh=default.name_zh,
            explanation_en=default.explanation_en, explanation_zh=default.explanation_zh))
        created += made
    if not settings_model.objects.exists():
        settings_model.objects.create(deadline_day=R.DEFAULT_DEADLINE_DAY)
    return created
