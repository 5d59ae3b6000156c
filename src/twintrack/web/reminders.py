"""`twintrack remind`: the scans that turn dates into notices (the top layer: it reads
supervision, approvals and the data-quality deadline, and tells notify).

Idempotent per day: each reminder carries a key of (kind, object, day), and notify writes
at most one notice per key and recipient. "Due soon" and "deadline approaching" remind every
day of their window; "overdue" and "deadline passed" once per requirement or unit-month.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils import timezone

from twintrack.approvals.models import MonthApproval, MonthState
from twintrack.approvals.services import locked_months_for
from twintrack.notify.models import NoticeSettings
from twintrack.notify.services import notify, notify_requirement
from twintrack.orgs.models import Membership, OrgUnit, Role
from twintrack.quality.services import deadline_of
from twintrack.supervision.models import Requirement


@dataclass
class Reminded:
    due_soon: int = 0
    overdue: int = 0
    deadline_approaching: int = 0
    deadline_passed: int = 0

    def __str__(self):
        return (f"{self.due_soon} due soon, {self.overdue} overdue, {self.deadline_approaching} deadline "
                f"approaching, {self.deadline_passed} deadline passed (notices written)")


def notice_settings() -> NoticeSettings:
    return NoticeSettings.objects.order_by("id").first() or NoticeSettings()


def remind(today: date | None = None) -> Reminded:
    today = today or timezone.localdate()
    settings = notice_settings()
    done = Reminded()
    remind_requirements(today, settings.days_before_due, done)
    remind_deadline(today, settings.days_before_deadline, done)
    return done


def remind_requirements(today: date, days_before: int, done: Reminded) -> None:
    for requirement in Requirement.objects.open().select_related("org", "issued_by"):
        days_left = (requirement.due_date - today).days
        if days_left < 0:
            key = f"requirement_overdue:{requirement.pk}:{requirement.due_date}"
            done.overdue += len(notify_requirement("requirement_overdue", requirement, once_key=key))
        elif days_left <= days_before:
            key = f"requirement_due_soon:{requirement.pk}:{today}"
            done.due_soon += len(notify_requirement("requirement_due_soon", requirement, once_key=key))


def month_due(today: date) -> tuple[int, int, date]:
    """The month whose deadline falls in this month (the month before), and that deadline
    (the data-quality timeliness rule's day)."""
    index = today.year * 12 + today.month - 2
    year, month = index // 12, index % 12 + 1
    return year, month, deadline_of(year, month)


def units_not_submitted(year: int, month: int) -> list[OrgUnit]:
    """Units with an officer whose month is neither submitted nor approved (nor locked from above)."""
    unit_ids = set(Membership.objects.filter(role=Role.DISTRICT, org__isnull=False, user__is_active=True)
                   .values_list("org_id", flat=True))
    done = set(MonthApproval.objects.filter(org_id__in=unit_ids, year=year, month=month)
               .exclude(state=MonthState.OPEN).values_list("org_id", flat=True))
    locked = {org_id for org_id, _, _ in locked_months_for(unit_ids, [year])}
    return list(OrgUnit.objects.filter(id__in=unit_ids - done - locked).order_by("code"))


def remind_deadline(today: date, days_before: int, done: Reminded) -> None:
    year, month, deadline = month_due(today)
    days_left = (deadline - today).days
    if days_left > days_before:
        return
    kind = "deadline_passed" if days_left < 0 else "deadline_approaching"
    period = f"{year:04d}-{month:02d}"
    roles = (Role.DISTRICT, Role.BUREAU) if kind == "deadline_passed" else (Role.DISTRICT,)
    for unit in units_not_submitted(year, month):
        key = f"{kind}:{unit.pk}:{period}" + (f":{today}" if kind == "deadline_approaching" else "")
        written = notify(kind, unit, url=f"{reverse('approvals')}?period={period}", roles=roles,
                         params={"period": period, "due": deadline.isoformat()}, once_key=key)
        setattr(done, kind, getattr(done, kind) + len(written))
