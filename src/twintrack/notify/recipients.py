"""Who hears of an event about a unit: by role and scope, never outside a person's scope.

- "scope": the people whose scope contains the unit (officers of the unit or a unit above it,
  the bureau);
- "above": the same but strictly above the unit (who approves its months);
- "below": the people of the unit and the units under it (a bulletin published for them).

Every person found is checked again with `can_view_org`, the rule pages use.
"""
from __future__ import annotations

from django.db.models import Q

from twintrack.orgs.access import can_view_org
from twintrack.orgs.models import Membership, OrgUnit, Role

REACHES = ("scope", "above", "below")


def _memberships(org: OrgUnit, roles, reach: str):
    members = Membership.objects.filter(role__in=roles, user__is_active=True).select_related("user", "org")
    if reach == "below":
        return members.filter(org__path__startswith=org.path)
    above = org.ancestor_ids()
    if reach == "above":
        above = above[:-1]
    return members.filter(Q(org_id__in=above) | Q(role=Role.BUREAU, org__isnull=True))


def people_for(org: OrgUnit, roles=(Role.DISTRICT,), reach: str = "scope") -> list:
    """The active users of `roles` that `reach` names for `org`, each of whom sees `org`."""
    if reach not in REACHES:
        raise ValueError(f"reach {reach!r}: one of {', '.join(REACHES)}")
    users = []
    for membership in _memberships(org, roles, reach).order_by("user_id"):
        user = membership.user
        if reach == "below" or can_view_org(user, org):
            users.append(user)
    return users


def enterprise_people(enterprise_id: int) -> list:
    """The users of an enterprise (they reach it, not a unit)."""
    return [m.user for m in Membership.objects.filter(role=Role.ENTERPRISE, enterprise_id=enterprise_id,
                                                      user__is_active=True).select_related("user")]
