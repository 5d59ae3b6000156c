"""Submit, approve and reopen a unit's month; what is locked; the guard every writer calls.

What an approval locks: the progress rows (and energy lines) of that month for projects of
enterprises in the approved unit's subtree. A unit-month is locked when the unit or any
unit above it has approved that month. Writers call `refuse_locked(keys)` with the
(enterprise's org id, year, month) of every row they are about to write; importers get
the same rule row by row from `refuse_locked_rows` (registered for the progress and
energy kinds), so a locked month is a `row N, column month: ...` problem, not a crash.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from twintrack.approvals.access import can_approve, can_reopen, can_submit
from twintrack.approvals.models import MonthApproval, MonthState
from twintrack.display.periods import format_period
from twintrack.notify.services import notify_month
from twintrack.orgs.models import OrgUnit

Key = tuple[int, int, int]  # (org_id, year, month)


class ApprovalRefused(Exception):
    """A transition that the rules do not allow; `message` is translated, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class MonthLocked(ApprovalRefused):
    """A write into an approved month. `keys` are the locked (org_id, year, month) written to."""

    def __init__(self, locks: dict[Key, OrgUnit]):
        self.keys = sorted(locks)
        org_id, year, month = self.keys[0]
        approved = locks[self.keys[0]]
        message = _("%(period)s is approved for %(unit)s and locked against changes; the bureau can reopen it") % {
            "period": format_period(year, month), "unit": approved.name_zh}
        if len(self.keys) > 1:
            message += " " + _("(%(count)d unit-months locked in all)") % {"count": len(self.keys)}
        super().__init__(message)


# --- state --------------------------------------------------------------------------------

def approval_of(org: OrgUnit, year: int, month: int) -> MonthApproval | None:
    return MonthApproval.objects.filter(org=org, year=year, month=month).first()


def state_of(org: OrgUnit, year: int, month: int) -> str:
    approval = approval_of(org, year, month)
    return approval.state if approval is not None else MonthState.OPEN


def states_for(org_ids: Iterable[int], year: int, month: int) -> dict[int, MonthApproval]:
    return {a.org_id: a for a in MonthApproval.objects.filter(org_id__in=list(org_ids), year=year, month=month)
            .select_related("submitted_by", "approved_by")}


def approving_unit(org: OrgUnit, year: int, month: int) -> OrgUnit | None:
    """The unit (this one or one above) whose approval locks this unit-month, or None."""
    found = (MonthApproval.objects.filter(org_id__in=org.ancestor_ids(), year=year, month=month,
                                          state=MonthState.APPROVED)
             .select_related("org").order_by("org__depth").first())
    return found.org if found is not None else None


def is_locked(org: OrgUnit, year: int, month: int) -> bool:
    """Whether the unit's month is approved, by the unit itself or by a unit above it."""
    return MonthApproval.objects.filter(org_id__in=org.ancestor_ids(), year=year, month=month,
                                        state=MonthState.APPROVED).exists()


def _locks_for(org_ids: Iterable[int], years: Iterable[int]) -> dict[Key, OrgUnit]:
    """Each locked (org_id, year, month) among these units and years, with the unit that approved it."""
    years = set(years)
    approved = {}
    for a in MonthApproval.objects.filter(year__in=years, state=MonthState.APPROVED).select_related("org"):
        approved.setdefault((a.year, a.month), {})[a.org_id] = a.org
    if not approved:
        return {}
    locks: dict[Key, OrgUnit] = {}
    for org_id, path in OrgUnit.objects.filter(id__in=set(org_ids)).values_list("id", "path"):
        ancestors = [int(p) for p in path.strip("/").split("/")]
        for (year, month), by_org in approved.items():
            for ancestor in ancestors:  # top first: name the highest approval
                if ancestor in by_org:
                    locks[(org_id, year, month)] = by_org[ancestor]
                    break
    return locks


def locked_months_for(org_ids: Iterable[int], years: Iterable[int]) -> set[Key]:
    """The locked (org_id, year, month) of these units in these years: one query for the
    approvals, one for the units' paths."""
    return set(_locks_for(org_ids, years))


def refuse_locked(keys: Iterable[Key]) -> None:
    """The guard: raise MonthLocked if any (org_id, year, month) about to be written is locked."""
    keys = set(keys)
    if not keys:
        return
    locks = _locks_for({k[0] for k in keys}, {k[1] for k in keys})
    hit = {key: locks[key] for key in keys if key in locks}
    if hit:
        raise MonthLocked(hit)


def refuse_locked_rows(records, ctx) -> None:
    """Import row check (progress, energy): a row for a locked month is a problem in its month column."""
    good = [r for r in records if r.out is not None and not r.bad]
    if not good:
        return
    locks = _locks_for({r.out.org_id for r in good}, {r.out.year for r in good})
    if not locks:
        return
    for record in good:
        out = record.out
        approved = locks.get((out.org_id, out.year, out.month))
        if approved is not None:
            ctx.error(record, "month", _("%(period)s is approved for %(unit)s and locked; the bureau can "
                                         "reopen it") % {"period": format_period(out.year, out.month),
                                                         "unit": approved.name_zh})


# --- transitions ----------------------------------------------------------------------------

def _record(org: OrgUnit, year: int, month: int) -> MonthApproval:
    """The month's row, locked for this transaction; a new one is saved only with its first transition,
    so that every history row names who did it."""
    approval = MonthApproval.objects.select_for_update().filter(org=org, year=year, month=month).first()
    return approval or MonthApproval(org=org, year=year, month=month)


def _save(approval: MonthApproval, user, reason: str) -> None:
    approval._history_user = user
    approval._change_reason = reason[:100] or None
    approval.save()


def _check_period(year: int, month: int) -> None:
    today = timezone.localdate()
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ApprovalRefused(_("Choose a month between 2000-01 and 2100-12."))
    if (year, month) > (today.year, today.month):
        raise ApprovalRefused(_("%(period)s has not begun yet.") % {"period": format_period(year, month)})


@transaction.atomic
def submit(org: OrgUnit, year: int, month: int, user, note: str = "") -> MonthApproval:
    """A unit's month is complete: ready for the level above to approve."""
    if not can_submit(user, org):
        raise PermissionDenied
    _check_period(year, month)
    approval = _record(org, year, month)
    if approval.state != MonthState.OPEN:
        raise ApprovalRefused(_("%(unit)s %(period)s is already %(state)s.") % {
            "unit": org.name_zh, "period": approval.period, "state": approval.get_state_display()})
    approval.state = MonthState.SUBMITTED
    approval.submitted_by, approval.submitted_at = user, timezone.now()
    approval.reason = note[:500]
    _save(approval, user, note or "submitted")
    notify_month("month_submitted", approval, user)
    return approval


def unapproved_children(org: OrgUnit, year: int, month: int) -> list[OrgUnit]:
    children = list(org.children.order_by("code"))
    approved = set(MonthApproval.objects.filter(org__in=children, year=year, month=month,
                                                state=MonthState.APPROVED).values_list("org_id", flat=True))
    return [c for c in children if c.id not in approved]


@transaction.atomic
def approve(org: OrgUnit, year: int, month: int, user) -> MonthApproval:
    """Approve a submitted month; every unit directly below must be approved first."""
    if not can_approve(user, org):
        raise PermissionDenied
    approval = _record(org, year, month)
    if approval.state != MonthState.SUBMITTED:
        if approval.state == MonthState.APPROVED:
            raise ApprovalRefused(_("%(unit)s %(period)s is already approved.") % {
                "unit": org.name_zh, "period": approval.period})
        raise ApprovalRefused(_("%(unit)s has not submitted %(period)s yet.") % {
            "unit": org.name_zh, "period": approval.period})
    waiting = unapproved_children(org, year, month)
    if waiting:
        raise ApprovalRefused(_("Approve the units below first: %(units)s.") % {
            "units": "、".join(c.name_zh for c in waiting[:10]) + ("…" if len(waiting) > 10 else "")})
    approval.state = MonthState.APPROVED
    approval.approved_by, approval.approved_at = user, timezone.now()
    _save(approval, user, "approved")
    notify_month("month_approved", approval, user)
    return approval


@transaction.atomic
def reopen(org: OrgUnit, year: int, month: int, user, reason: str) -> MonthApproval:
    """The bureau sends a submitted or approved month back to open, with a reason."""
    if not can_reopen(user, org):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ApprovalRefused(_("Give a reason for reopening the month."))
    approval = _record(org, year, month)
    if approval.state == MonthState.OPEN:
        raise ApprovalRefused(_("%(unit)s %(period)s is already open.") % {"unit": org.name_zh,
                                                                          "period": approval.period})
    above = approving_unit(org.parent, year, month) if org.parent_id else None
    if above is not None:
        raise ApprovalRefused(_("%(above)s has approved %(period)s, which covers this unit: reopen %(above)s "
                                "first.") % {"above": above.name_zh, "period": approval.period})
    was_approved = approval.state == MonthState.APPROVED
    approval.state = MonthState.OPEN
    approval.approved_by = approval.approved_at = None
    approval.reason = reason[:500]
    _save(approval, user, reason)
    notify_month("month_reopened" if was_approved else "month_sent_back", approval, user, reason)
    return approval


# --- approving everything submitted below a unit ----------------------------------------------

@dataclass
class BulkSummary:
    """A month below `root`: what is submitted (to approve), approved, still open (missing) and,
    after a bulk approval, what it approved and what it left with the reason."""
    root: OrgUnit
    year: int
    month: int
    submitted: list[OrgUnit] = field(default_factory=list)
    approved: list[OrgUnit] = field(default_factory=list)
    missing: list[OrgUnit] = field(default_factory=list)
    approved_now: list[OrgUnit] = field(default_factory=list)
    left: list[tuple[OrgUnit, str]] = field(default_factory=list)


def units_below(root: OrgUnit) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(path__startswith=root.path).exclude(pk=root.pk).order_by("path"))


def bulk_summary(root: OrgUnit, year: int, month: int) -> BulkSummary:
    """Each unit strictly below `root` by its state for the month; a unit covered by an approval
    above it counts as approved, an open one as missing (it has not submitted)."""
    units = units_below(root)
    states = states_for([u.id for u in units], year, month)
    locked = locked_months_for([u.id for u in units], [year])
    summary = BulkSummary(root, year, month)
    for unit in units:
        state = states[unit.id].state if unit.id in states else MonthState.OPEN
        if state == MonthState.APPROVED or (unit.id, year, month) in locked:
            summary.approved.append(unit)
        elif state == MonthState.SUBMITTED:
            summary.submitted.append(unit)
        else:
            summary.missing.append(unit)
    return summary


@transaction.atomic
def approve_all_below(root: OrgUnit, year: int, month: int, user) -> BulkSummary:
    """Approve every submitted month strictly below `root`, deepest units first (a unit waits for
    the units below it), each through `approve` with its history row and notices, all in one
    transaction. A unit `approve` refuses (a unit below it has not submitted) is left, with
    the reason; a user who may not approve one of them changes nothing (PermissionDenied)."""
    before = bulk_summary(root, year, month)
    done, left = [], []
    for unit in sorted(before.submitted, key=lambda u: (-u.depth, u.path)):
        try:
            approve(unit, year, month, user)
            done.append(unit)
        except ApprovalRefused as refused:
            left.append((unit, refused.message))
    after = bulk_summary(root, year, month)
    after.approved_now, after.left = sorted(done, key=lambda u: u.path), left
    return after
