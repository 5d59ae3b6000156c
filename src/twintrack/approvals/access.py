"""Who sees and acts on month approvals.

- see: the approvals of the units a user sees;
- submit: a bureau or district officer, for any unit they see;
- approve: a user of the level above (their scope root is strictly above the unit), or the
  bureau for its own top unit; only bureau and district officers approve;
- reopen: the bureau only, with a reason.
"""
from twintrack.approvals.models import MonthApproval
from twintrack.orgs.access import Policy, can_view_org, is_bureau, role_of, scope_root, visible_orgs
from twintrack.orgs.models import Role

ACTORS = (Role.BUREAU, Role.DISTRICT)


class MonthApprovalPolicy(Policy):
    def visible(self, user):
        return MonthApproval.objects.filter(org__in=visible_orgs(user))

    def can_change(self, user, obj):
        return can_submit(user, obj.org) or can_approve(user, obj.org) or can_reopen(user, obj.org)

    def can_submit(self, user, obj):
        return can_submit(user, obj.org)

    def can_approve(self, user, obj):
        return can_approve(user, obj.org)

    def can_reopen(self, user, obj):
        return can_reopen(user, obj.org)


def can_submit(user, org) -> bool:
    return role_of(user) in ACTORS and can_view_org(user, org)


def can_approve(user, org) -> bool:
    """The bureau approves any unit it sees (its own top unit too); a district officer only
    the units below their own (a district approves its functional zones, say)."""
    role = role_of(user)
    if role not in ACTORS or not can_view_org(user, org):
        return False
    return role == Role.BUREAU or scope_root(user).id != org.id


def can_reopen(user, org) -> bool:
    return is_bureau(user) and can_view_org(user, org)


def approvable(user):
    """The month approvals `can_approve` allows the user, as one query (for lists and the home
    page's queue): those of the units they see, but a district officer's own unit."""
    role = role_of(user)
    if role not in ACTORS:
        return MonthApproval.objects.none()
    months = MonthApproval.objects.filter(org__in=visible_orgs(user))
    return months if role == Role.BUREAU else months.exclude(org=scope_root(user))
