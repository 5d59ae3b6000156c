"""What a user may see: the one place that answers it, for pages, API and exports alike.

A user sees one subtree of org units, rooted at their *scope root*:

- a superuser or a bureau officer: their membership's unit, or the root of the tree if
  they have none;
- a district officer: their unit;
- anyone else (supervisor, enterprise, service provider): their unit if one is set, else
  nothing.

A unit outside the scope does not exist as far as the user can tell: callers raise
Http404, never 403, so that codes and ids cannot be probed.
"""
from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import Http404

from twintrack.orgs.models import Membership, OrgUnit, Role

_CACHE_ATTR = "_twintrack_scope_root"


def membership_of(user) -> Membership | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.membership
    except ObjectDoesNotExist:
        return None


def tree_root() -> OrgUnit | None:
    """The top of the tree (the first root by code, should there be several)."""
    return OrgUnit.objects.filter(parent__isnull=True).order_by("code").first()


def _scope_root(user) -> OrgUnit | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    membership = membership_of(user)
    if user.is_superuser or (membership is not None and membership.role == Role.BUREAU):
        if membership is not None and membership.org_id is not None:
            return membership.org
        return tree_root()
    if membership is None:
        return None
    return membership.org  # district officers and everyone else: their unit, or None


def scope_root(user) -> OrgUnit | None:
    """The top unit of what `user` may see, or None if they may see nothing.

    Cached on the user object, which Django builds anew for every request.
    """
    if user is None:
        return None
    if not hasattr(user, _CACHE_ATTR):
        setattr(user, _CACHE_ATTR, _scope_root(user))
    return getattr(user, _CACHE_ATTR)


def visible_orgs(user) -> QuerySet[OrgUnit]:
    root = scope_root(user)
    if root is None:
        return OrgUnit.objects.none()
    return root.subtree()


def can_view_org(user, org: OrgUnit | None) -> bool:
    root = scope_root(user)
    return root is not None and org is not None and root.is_ancestor_of(org)


def get_visible_org_or_404(user, code: str) -> OrgUnit:
    """The unit with this code if `user` may see it; Http404 whether it is hidden or absent."""
    try:
        return visible_orgs(user).get(code=code)
    except OrgUnit.DoesNotExist:
        raise Http404("no such org unit") from None


def visible_ancestors(user, org: OrgUnit) -> list[OrgUnit]:
    """The units from the scope root down to `org` inclusive (a breadcrumb), never above the scope."""
    root = scope_root(user)
    if root is None or not root.is_ancestor_of(org):
        return []
    return list(OrgUnit.objects.filter(id__in=org.ancestor_ids(), path__startswith=root.path).order_by("depth"))


# --- one access check per object type ------------------------------------------------
#
# Each app registers a Policy for each of its models (in its AppConfig.ready()); pages,
# downloads, exports and any API ask `visible(user, Model)` for what a user may see and
# `can_change(user, obj)` for what they may change. A hidden object is a 404, a visible
# but read-only one a 403.

class Policy:
    """What one role set may do with one model. Subclass and override."""

    def visible(self, user) -> QuerySet:
        raise NotImplementedError

    def can_change(self, user, obj) -> bool:
        return False

    def can_create(self, user) -> bool:
        return False


POLICIES: dict[type, Policy] = {}


def register(model: type, policy: Policy) -> None:
    POLICIES[model] = policy


def role_of(user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.BUREAU
    membership = membership_of(user)
    return membership.role if membership is not None else None


def is_bureau(user) -> bool:
    return role_of(user) == Role.BUREAU


def visible(user, model: type) -> QuerySet:
    return POLICIES[model].visible(user)


def get_visible_or_404(user, model: type, **lookup):
    try:
        return visible(user, model).get(**lookup)
    except (model.DoesNotExist, ValueError):
        raise Http404("not found") from None


def can_change(user, obj) -> bool:
    return can_view(user, obj) and POLICIES[type(obj)].can_change(user, obj)


def can_view(user, obj) -> bool:
    return visible(user, type(obj)).filter(pk=obj.pk).exists()


def require_change(user, obj) -> None:
    """Http404 if the user may not see obj, PermissionDenied (403) if they may see but not change it."""
    from django.core.exceptions import PermissionDenied

    if not can_view(user, obj):
        raise Http404("not found")
    if not POLICIES[type(obj)].can_change(user, obj):
        raise PermissionDenied


class OrgUnitPolicy(Policy):
    """Everyone sees their scope's subtree; the bureau changes units (and their targets)."""

    def visible(self, user):
        return visible_orgs(user)

    def can_change(self, user, obj):
        return is_bureau(user)

    def can_create(self, user):
        return is_bureau(user)
