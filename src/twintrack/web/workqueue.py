"""What is waiting for the user on their home page, each item a link to where it is done.

- a district officer: months of the unit to submit (sent back ones with the reason; the top
  unit submits to no one), requirements to answer, responses sent back;
- whoever approves: months submitted below their unit, waiting for approval;
- the bureau: overdue requirements;
- a supervisor: responses waiting for verification (also on the supervision home, where a
  supervisor without a unit starts).

Which items a user gets follows the access questions (`may`, `awaiting_response`), not the role;
the queue is computed per request (it is not part of the dashboard's cached body, which is keyed
by user but kept for a whole data version).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from twintrack.approvals.access import approvable
from twintrack.approvals.models import MonthApproval, MonthState
from twintrack.approvals.services import locked_months_for
from twintrack.display.periods import format_period, month_label
from twintrack.metrics.periods import default_period
from twintrack.orgs.access import is_bureau, may, membership_of, role_of, scope_root, visible
from twintrack.orgs.models import Role
from twintrack.supervision.access import awaiting_response, awaiting_verification, reached_units
from twintrack.supervision.models import Requirement, Status, today
from twintrack.supervision.summary import requirement_queryset

LISTED = 5  # items named under a heading; the rest are counted


@dataclass
class Item:
    text: str
    url: str
    note: str = ""


@dataclass
class Group:
    key: str
    title: str
    count: int
    url: str
    items: list[Item] = field(default_factory=list)


def months_to_submit(user, root) -> Group | None:
    """Open months of the user's unit, January..the latest month with figures (not locked by an
    approval above); a month sent back carries the reason."""
    if root.parent_id is None or not may(user, "submit", MonthApproval(org=root)):
        return None  # the top of the tree submits to no one
    latest = default_period(root)
    states = {a.month: a for a in MonthApproval.objects.filter(org=root, year=latest.year, month__lte=latest.month)}
    locked = locked_months_for([root.id], [latest.year])
    items = []
    for month in range(latest.month, 0, -1):
        approval = states.get(month)
        if (approval is not None and approval.state != MonthState.OPEN) or (root.id, latest.year, month) in locked:
            continue
        note = _("sent back: %(reason)s") % {"reason": approval.reason} if approval and approval.reason else ""
        period = format_period(latest.year, month)
        items.append(Item(month_label(latest.year, month), reverse("monthly") + "?" + urlencode({"period": period}),
                          note))
    if not items:
        return None
    return Group("submit", _("Months to submit"), len(items), items[0].url, items[:LISTED])


def months_to_approve(user, root) -> Group | None:
    """Unit-months submitted in the user's subtree that the user may approve, by month."""
    submitted = approvable(user).filter(state=MonthState.SUBMITTED, org__path__startswith=root.path)
    by_month = Counter(submitted.values_list("year", "month"))
    if not by_month:
        return None
    items = [Item(month_label(year, month),
                  reverse("approval_bulk") + "?" + urlencode({"period": format_period(year, month)}),
                  ngettext("%(count)d unit submitted", "%(count)d units submitted", units) % {"count": units})
             for (year, month), units in sorted(by_month.items(), reverse=True)]
    return Group("approve", _("Months waiting for approval"), sum(by_month.values()), items[0].url, items[:LISTED])


def _requirement_items(requirements) -> list[Item]:
    return [Item(f"{r.code} {r.text[:60]}", reverse("supervision:requirement", args=[r.pk]),
                 _("due %(date)s") % {"date": r.due_date.isoformat()}) for r in requirements[:LISTED]]


def requirements_to_answer(user) -> list[Group]:
    candidates = (visible(user, Requirement).filter(status__in=(Status.ISSUED, Status.RETURNED))
                  .select_related("org", "enterprise__org").order_by("due_date", "code"))
    mine = awaiting_response(user, candidates)
    groups = []
    issued = [r for r in mine if r.status == Status.ISSUED]
    returned = [r for r in mine if r.status == Status.RETURNED]
    base = reverse("supervision:requirements")
    if issued:
        groups.append(Group("answer", _("Requirements to answer"), len(issued),
                            base + "?" + urlencode({"status": Status.ISSUED}), _requirement_items(issued)))
    if returned:
        groups.append(Group("returned", _("Responses sent back"), len(returned),
                            base + "?" + urlencode({"status": Status.RETURNED}), _requirement_items(returned)))
    return groups


def responses_to_verify(user) -> Group | None:
    responded = requirement_queryset(visible(user, Requirement).filter(status=Status.RESPONDED))
    mine = awaiting_verification(user, responded.order_by("due_date", "code"))
    if not mine:
        return None
    return Group("verify", _("Responses waiting for verification"), len(mine),
                 reverse("supervision:requirements") + "?" + urlencode({"status": Status.RESPONDED}),
                 _requirement_items(mine))


def overdue_requirements(user, on: date) -> Group | None:
    if not is_bureau(user):
        return None  # the bureau follows them up; the others have them in their own groups
    overdue = list(visible(user, Requirement).overdue(on).order_by("due_date", "code")[:LISTED])
    if not overdue:
        return None
    count = visible(user, Requirement).overdue(on).count()
    return Group("overdue", _("Overdue requirements"), count,
                 reverse("supervision:requirements") + "?" + urlencode({"overdue": "1"}),
                 _requirement_items(overdue))


def queue_units(user) -> list:
    """The units whose changes can change the queue (its page-cache dependency, beside the global
    version that the tree, accounts and supervision groups bump): the user's own subtree; for an
    enterprise user their enterprise's unit; for a supervisor also the units their groups reach."""
    root = scope_root(user)
    units: list = [root] if root is not None else []
    role = role_of(user)
    if role == Role.SUPERVISOR:
        units += sorted(reached_units(user))
    elif role == Role.ENTERPRISE:
        membership = membership_of(user)
        if membership is not None and membership.enterprise_id:
            units.append(membership.enterprise.org_id)
    return units


def work_queue(user, on: date | None = None) -> list[Group]:
    """The user's queue, in the order the work is done; the months only for a user with a unit."""
    root = scope_root(user)
    months = [months_to_submit(user, root), months_to_approve(user, root)] if root is not None else []
    groups = [*months, *requirements_to_answer(user), responses_to_verify(user),
              overdue_requirements(user, on or today())]
    return [g for g in groups if g is not None]
