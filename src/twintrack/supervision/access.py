"""Who sees and changes supervision records: one Policy per model, which the model declares
(`access_policy`) and `twintrack.orgs.access.may` asks; pages, downloads and exports all ask `visible(user, Model)`.

- The bureau sees everything (a bureau officer of one unit: that unit's subtree) and runs
  rounds and groups; it may record, issue, send back and verify anywhere.
- A supervisor sees, round by round, the units their groups cover and those units'
  subtrees, plus whatever they recorded or issued themselves, plus (read-only) the subtree
  of the unit their account is attached to, if any. They record visits and findings for
  their groups and issue, send back and verify requirements in what they cover.
- A district officer sees the visits, findings and requirements of their own subtree and
  responds to requirements addressed to their unit or to an enterprise in their subtree.
- An enterprise user sees, and responds to, the requirements addressed to their enterprise.
- Anyone else sees nothing. Hidden objects are 404, visible but not changeable 403.
"""
from __future__ import annotations

from django.db.models import Q, QuerySet

from twintrack.orgs.access import Policy, is_bureau, membership_of, role_of, scope_root, visible
from twintrack.orgs.models import OrgUnit, Role
from twintrack.supervision.models import (
    Attachment, Finding, Group, KeyTask, Requirement, RequirementStep, Round, Status, Visit,
)


# --- who the user is, for supervision ---------------------------------------------------------

def _whole_tree(root: OrgUnit | None) -> bool:
    return root is not None and root.parent_id is None


def my_groups(user) -> QuerySet[Group]:
    """The live groups (of live rounds) the user leads or belongs to."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Group.objects.none()
    return Group.objects.filter(Q(leader=user) | Q(members=user), round__deleted_at__isnull=True).distinct()


def coverage(user) -> list[tuple[int, str]]:
    """(round id, unit path) for every unit covered by one of the user's groups."""
    if role_of(user) != Role.SUPERVISOR:
        return []
    rows = (Group.units.through.objects.filter(group__in=my_groups(user))
            .values_list("group__round_id", "orgunit__path"))
    return sorted(set(rows))


def covers(user, round_id: int, org: OrgUnit) -> bool:
    return any(r == round_id and org.path.startswith(path) for r, path in coverage(user))


def _coverage_q(user, round_field: str, org_field: str) -> Q:
    q = Q(pk__in=[])
    for round_id, path in coverage(user):
        q |= Q(**{round_field: round_id, f"{org_field}__path__startswith": path})
    return q


def _subtree_q(user, org_field: str) -> Q | None:
    """Records under the user's own unit (None: no unit, or the whole tree for the bureau)."""
    root = scope_root(user)
    if root is None:
        return Q(pk__in=[])
    if is_bureau(user) and _whole_tree(root):
        return None
    return Q(**{f"{org_field}__path__startswith": root.path})


def reached_units(user) -> set[int]:
    """The units, beyond the user's own subtree, whose records a supervisor sees (as
    RequirementPolicy and VisitPolicy read them): those their groups cover, those their groups
    visited (a requirement of a visit lies at or below the visited unit) and those of the
    requirements they issued. Changes there change what the supervisor's pages show; a change of
    their groups (and so of what they cover) bumps the global version."""
    if role_of(user) != Role.SUPERVISOR:
        return set()
    groups = my_groups(user)
    units = set(Group.units.through.objects.filter(group__in=groups).values_list("orgunit_id", flat=True))
    units |= set(Visit.objects.filter(group__in=groups).values_list("org_id", flat=True).distinct())
    units |= set(Requirement.objects.filter(issued_by=user).values_list("org_id", flat=True).distinct())
    return units


def sees_everything(user) -> bool:
    return is_bureau(user) and _whole_tree(scope_root(user))


def is_supervisor(user) -> bool:
    return role_of(user) == Role.SUPERVISOR


def visible_units(user) -> QuerySet[OrgUnit]:
    """The units whose supervision page the user may open."""
    if role_of(user) not in (Role.BUREAU, Role.DISTRICT, Role.SUPERVISOR):
        return OrgUnit.objects.none()
    if sees_everything(user):
        return OrgUnit.objects.all()
    root = scope_root(user)
    q = Q(path__startswith=root.path) if root is not None else Q(pk__in=[])
    for _round, path in coverage(user):
        q |= Q(path__startswith=path)
    return OrgUnit.objects.filter(q)


# --- policies ----------------------------------------------------------------------------

class KeyTaskPolicy(Policy):
    def visible(self, user):
        return KeyTask.objects.all() if role_of(user) else KeyTask.objects.none()

    def can_change(self, user, obj):
        return is_bureau(user)

    def can_create(self, user):
        return is_bureau(user)


class RoundPolicy(Policy):
    def visible(self, user):
        role = role_of(user)
        if role not in (Role.BUREAU, Role.DISTRICT, Role.SUPERVISOR):
            return Round.objects.none()
        if sees_everything(user):
            return Round.objects.all()
        ids = Q(pk__in=Visit.objects.filter(pk__in=visible(user, Visit)).values("round_id"))
        ids |= Q(pk__in=Requirement.objects.filter(pk__in=visible(user, Requirement)).values("round_id"))
        root = scope_root(user)
        if root is not None:
            ids |= Q(pk__in=Group.objects.filter(units__path__startswith=root.path).values("round_id"))
        if role == Role.SUPERVISOR:
            ids |= Q(pk__in=my_groups(user).values("round_id"))
        return Round.objects.filter(ids)

    def can_change(self, user, obj):
        return is_bureau(user)

    def can_create(self, user):
        return is_bureau(user)


class GroupPolicy(Policy):
    """The bureau sees every group; a supervisor the groups of their rounds (the roster);
    a district officer the groups that cover, or visited, a unit of their subtree."""

    def visible(self, user):
        role = role_of(user)
        if sees_everything(user):
            return Group.objects.all()
        if role == Role.SUPERVISOR:
            return Group.objects.filter(round__in=visible(user, Round))
        if role not in (Role.BUREAU, Role.DISTRICT):
            return Group.objects.none()
        root = scope_root(user)
        q = Q(pk__in=Visit.objects.filter(pk__in=visible(user, Visit)).values("group_id"))
        if root is not None:
            q |= Q(pk__in=Group.units.through.objects.filter(orgunit__path__startswith=root.path)
                   .values("group_id"))
        return Group.objects.filter(q)

    def can_change(self, user, obj):
        return is_bureau(user)

    def can_create(self, user):
        return is_bureau(user)

    def can_create_here(self, user, obj):
        return self.can_create(user) and not obj.round.is_deleted


def may_record(user, group: Group) -> bool:
    """Record visits and findings for this group."""
    if group.is_deleted or group.round.is_deleted:
        return False
    return is_bureau(user) or (is_supervisor(user) and group.has_member(user))


def recordable_groups(user) -> QuerySet[Group]:
    if is_bureau(user):
        return visible(user, Group).filter(round__deleted_at__isnull=True)
    if is_supervisor(user):
        return my_groups(user)
    return Group.objects.none()


class VisitPolicy(Policy):
    def visible(self, user):
        role = role_of(user)
        if role not in (Role.BUREAU, Role.DISTRICT, Role.SUPERVISOR):
            return Visit.objects.none()
        q = _subtree_q(user, "org")
        if q is None:
            return Visit.objects.all()
        if role == Role.SUPERVISOR:
            q |= _coverage_q(user, "round_id", "org") | Q(group__in=my_groups(user)) | Q(recorded_by=user)
        return Visit.objects.filter(q)

    def can_change(self, user, obj):
        return may_record(user, obj.group)

    def can_create(self, user):
        return recordable_groups(user).exists()

    def can_create_here(self, user, obj):
        return may_record(user, obj.group)


class FindingPolicy(Policy):
    def visible(self, user):
        role = role_of(user)
        if role not in (Role.BUREAU, Role.DISTRICT, Role.SUPERVISOR):
            return Finding.objects.none()
        if sees_everything(user):
            return Finding.objects.all()
        q = Q(visit__in=visible(user, Visit))
        if role == Role.SUPERVISOR:
            q |= Q(recorded_by=user)
        return Finding.objects.filter(q)

    def can_change(self, user, obj):
        return may_record(user, obj.visit.group)

    def can_create(self, user):
        return recordable_groups(user).exists()

    def can_create_here(self, user, obj):
        return may_record(user, obj.visit.group)


def may_review(user, requirement: Requirement) -> bool:
    """Edit, send back, verify or withdraw a requirement: the bureau, the supervisor who
    issued it, or a supervisor whose group covers its unit in its round."""
    if is_bureau(user):
        return True
    if not is_supervisor(user):
        return False
    if requirement.issued_by_id == user.pk:
        return True
    if requirement.visit_id and requirement.visit.group.has_member(user):
        return True
    return covers(user, requirement.round_id, requirement.org)


def may_respond(user, requirement: Requirement) -> bool:
    """Respond to a requirement: the officer of the unit addressed, the officer of a unit
    whose subtree holds the enterprise addressed, or the enterprise's own user."""
    role = role_of(user)
    membership = membership_of(user)
    if membership is None:
        return False
    if role == Role.DISTRICT and membership.org_id:
        if requirement.org_id == membership.org_id:
            return True
        return bool(requirement.enterprise_id) and requirement.enterprise.org.path.startswith(membership.org.path)
    if role == Role.ENTERPRISE:
        return bool(requirement.enterprise_id) and requirement.enterprise_id == membership.enterprise_id
    return False


def may_issue(user, round_: Round, org: OrgUnit) -> bool:
    if round_.is_deleted:
        return False
    return is_bureau(user) or (is_supervisor(user) and covers(user, round_.pk, org))


class RequirementPolicy(Policy):
    def visible(self, user):
        role = role_of(user)
        if role == Role.ENTERPRISE:
            membership = membership_of(user)
            return Requirement.objects.filter(enterprise_id=getattr(membership, "enterprise_id", None),
                                              enterprise__isnull=False)
        if role not in (Role.BUREAU, Role.DISTRICT, Role.SUPERVISOR):
            return Requirement.objects.none()
        q = _subtree_q(user, "org")
        if q is None:
            return Requirement.objects.all()
        if role == Role.SUPERVISOR:
            q |= (_coverage_q(user, "round_id", "org") | Q(issued_by=user)
                  | Q(visit__group__in=my_groups(user)))
        return Requirement.objects.filter(q)

    def can_change(self, user, obj):
        return may_review(user, obj) or may_respond(user, obj)

    def can_review(self, user, obj):
        return may_review(user, obj)

    def can_respond(self, user, obj):
        return may_respond(user, obj)

    def can_create(self, user):
        return is_bureau(user) or bool(coverage(user))

    def can_create_here(self, user, obj):
        """Issue in `obj.round` to `obj.org`; without a unit: to some unit of the round."""
        if obj.org_id is None:
            return not obj.round.is_deleted and (
                is_bureau(user) or any(r == obj.round_id for r, _path in coverage(user)))
        return may_issue(user, obj.round, obj.org)


class StepPolicy(Policy):
    def visible(self, user):
        return RequirementStep.objects.filter(requirement__in=visible(user, Requirement))


class AttachmentPolicy(Policy):
    def visible(self, user):
        return Attachment.objects.filter(Q(finding__in=visible(user, Finding))
                                         | Q(step__in=visible(user, RequirementStep)))

    def can_change(self, user, obj):
        """Photos and documents of a finding may be withdrawn by whoever may change the
        finding; the evidence of a response stays as it was submitted."""
        return obj.finding_id is not None and may_record(user, obj.finding.visit.group)


# --- what the supervision pages offer a user (choices, not permissions) ---------------------------

def groups_on_home(user) -> QuerySet[Group]:
    """The groups a supervisor records for, listed on their home page (the bureau has the rounds)."""
    return Group.objects.none() if is_bureau(user) else recordable_groups(user).select_related("round")


def awaiting_response(user, requirements) -> list[Requirement]:
    """Those of `requirements` the user answers (only district officers and enterprise users do)."""
    if role_of(user) not in (Role.DISTRICT, Role.ENTERPRISE):
        return []
    return [r for r in requirements if may_respond(user, r)]


def awaiting_verification(user, requirements) -> list[Requirement]:
    """Those of `requirements` answered and waiting for the user to verify or send back: a
    supervisor's (the bureau follows requirements through the rounds and the overdue list)."""
    if not is_supervisor(user):
        return []
    return [r for r in requirements if r.status == Status.RESPONDED and may_review(user, r)]


def issuable_units(user, round_: Round, visit: Visit | None) -> QuerySet[OrgUnit]:
    """Units the user may address in this round (under the visit's unit, if any)."""
    if visit is not None:
        units = OrgUnit.objects.filter(path__startswith=visit.org.path)
    elif is_bureau(user):
        units = visible(user, OrgUnit).filter(parent__isnull=False)
    else:
        q = Q(pk__in=[])
        for round_id, path in coverage(user):
            if round_id == round_.pk:
                q |= Q(path__startswith=path)
        units = OrgUnit.objects.filter(q)
    if not is_bureau(user):
        units = OrgUnit.objects.filter(pk__in=[u.pk for u in units if may_issue(user, round_, u)])
    return units.order_by("path")
