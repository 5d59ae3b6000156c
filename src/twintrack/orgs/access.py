"""What a user may see: the one place that answers it, for pages, API and exports alike.

A user sees one subtree of org units, rooted at their *scope root*:

- a superuser or a bureau officer: their membership's unit, or the root of the tree if
  they have none;
- a district officer: their unit;
- a supervisor: their unit if one is set (read-only; the supervision app may narrow it to
  the units of their round), else nothing;
- an enterprise user or a service provider: no unit at all. They reach enterprises, not
  units: an enterprise user its own (Membership.enterprise), a service provider the
  enterprises it is assigned (the diagnosis app's hook, declared in the setting
  TWINTRACK_ASSIGNED_ENTERPRISES), and nothing before any assignment exists.

A unit outside the scope does not exist as far as the user can tell: callers raise
Http404, never 403, so that codes and ids cannot be probed.
"""
from __future__ import annotations

import functools

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.module_loading import import_string

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
    if membership is None or membership.role in (Role.ENTERPRISE, Role.PROVIDER):
        return None
    return membership.org  # district officers and supervisors: their unit, or None


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


# --- the one access question: may(user, verb, target) ---------------------------------------
#
# Every model declares its policy (`access_policy = "twintrack.app.access.SomePolicy"`, a dotted
# path resolved on first use, so a model never imports its policy). Pages, downloads, exports
# and any API ask `visible(user, Model)` for what a user may see and `may(user, verb, target)`
# for what they may do; `require` and `get_visible_or_404` turn the answer into the response:
# a hidden object is a 404 (exactly like one that does not exist), a visible one the user may
# not act on a 403. The role gates live in the policies, nowhere else.
#
# `target` is one of:
# - a model class: "view" (may they open the pages of this kind at all) or "create" (in general);
# - a saved object: any verb; the object must be visible first;
# - an unsaved object naming where it would go (`Visit(group=g)`, `MonthApproval(org=o)`): the
#   policy decides from that place (create a visit for this group, submit this unit's month).

VERBS = frozenset({
    "view", "change", "create", "delete", "restore",  # the usual record verbs
    "submit", "approve", "reopen",  # decisions on a unit's month (approve: a nomination too)
    "review", "respond",  # a supervision requirement: issuer's side, addressee's side
})


class Policy:
    """What each role may do with one model. Subclass and override.

    `allows(user, verb, obj)` asks the method `can_<verb>(user, obj)`; a policy without one
    refuses the verb. "delete" follows "change" unless a policy says otherwise.
    """

    def __init__(self, model: type | None = None):
        self.model = model if model is not None else getattr(self, "model", None)

    def visible(self, user) -> QuerySet:
        raise NotImplementedError

    def can_list(self, user) -> bool:
        """May the user open the pages of this kind at all: anyone with a role, by default."""
        return role_of(user) is not None

    def can_change(self, user, obj) -> bool:
        return False

    def can_delete(self, user, obj) -> bool:
        return self.can_change(user, obj)

    def can_create(self, user) -> bool:
        return False

    def can_create_here(self, user, obj) -> bool:
        """Create `obj` (unsaved) where its fields place it; the general answer by default."""
        return self.can_create(user)

    def allows(self, user, verb: str, obj) -> bool:
        if verb == "create":
            return self.can_create_here(user, obj)
        method = getattr(self, f"can_{verb}", None)
        return method is not None and method(user, obj)


USER_POLICY = "twintrack.orgs.access.UserPolicy"  # auth's User cannot declare one itself


def _model_of(target) -> type:
    return target if isinstance(target, type) else type(target)


@functools.cache
def _policy_of_model(model: type) -> Policy:
    from django.contrib.auth import get_user_model

    path = getattr(model, "access_policy", None)
    if path is None and model is get_user_model():
        path = USER_POLICY
    if path is None:
        raise ImproperlyConfigured(f"{model.__name__} declares no access_policy")
    return import_string(path)(model)


def policy_for(target) -> Policy:
    """The policy a model (or an object's model) declares."""
    return _policy_of_model(_model_of(target))


def has_policy(model: type) -> bool:
    try:
        policy_for(model)
    except ImproperlyConfigured:
        return False
    return True


def _check_verb(verb: str) -> None:
    if verb not in VERBS:
        raise ValueError(f"unknown access verb {verb!r}; use one of {sorted(VERBS)}")


def may(user, verb: str, target) -> bool:
    """Whether `user` may `verb` the `target` (a model class, a saved or an unsaved object)."""
    _check_verb(verb)
    policy = policy_for(target)
    if isinstance(target, type):
        if verb == "view":
            return policy.can_list(user)
        if verb == "create":
            return policy.can_create(user)
        raise ValueError(f"the verb {verb!r} needs an object, not the model {target.__name__}")
    if target.pk is None:
        return policy.allows(user, verb, target)
    return can_view(user, target) and (verb == "view" or policy.allows(user, verb, target))


def require(user, verb: str, target) -> None:
    """Http404 if `target` is a saved object the user may not see; PermissionDenied (403) if
    they may see it (or it is a model or an unsaved object) but may not `verb` it."""
    _check_verb(verb)
    if not isinstance(target, type) and target.pk is not None and not can_view(user, target):
        raise Http404("not found")
    if not may(user, verb, target):
        raise PermissionDenied


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
    return policy_for(model).visible(user)


def get_visible_or_404(user, model: type, **lookup):
    try:
        return visible(user, model).get(**lookup)
    except (model.DoesNotExist, ValueError):
        raise Http404("not found") from None


def can_view(user, obj) -> bool:
    return visible(user, type(obj)).filter(pk=obj.pk).exists()


class OrgUnitPolicy(Policy):
    """Everyone sees their scope's subtree; the bureau changes units (and their targets)."""

    def visible(self, user):
        return visible_orgs(user)

    def can_list(self, user):
        """Pages about units (sub-industries, providers, ...): for users who see a unit."""
        return scope_root(user) is not None

    def can_change(self, user, obj):
        return is_bureau(user)

    def can_create(self, user):
        return is_bureau(user)


# Enterprises a user reaches by assignment rather than through an org unit (service providers:
# the diagnosis app knows who is assigned to what). The setting TWINTRACK_ASSIGNED_ENTERPRISES
# names the functions, (user) -> a QuerySet of enterprise ids or None, by dotted path: the app
# above declares its hook where the deployment is put together, and this layer imports nothing
# of it. A provider sees the union, nothing while none is declared.

def assigned_enterprise_hooks() -> list:
    return [import_string(path) for path in getattr(settings, "TWINTRACK_ASSIGNED_ENTERPRISES", ())]


def assigned_enterprise_filter(user):
    """A Q on Enterprise for the enterprises assigned to `user` (matches nothing by default)."""
    query = Q(pk__in=[])
    for function in assigned_enterprise_hooks():
        ids = function(user)
        if ids is not None:
            query |= Q(pk__in=ids)
    return query


def require_scope_root(user) -> OrgUnit:
    """The top unit the user sees, for pages about units; 403 for an account that reaches none
    (an enterprise user, a service provider)."""
    require(user, "view", OrgUnit)
    return scope_root(user)


# --- imports by a person: the same scope, row by row ---------------------------------------
#
# The importer passes the importing user to its row checks as `ctx.user` (None from the
# command line, which is trusted). Each app registers a scope check per import kind next to
# its Policy; a row outside the user's scope reads exactly like a row naming something that
# does not exist, so that codes cannot be probed through uploads either.

def importing_user(ctx):
    return getattr(ctx, "user", None)


class ImportScope:
    """The units whose records a file's rows may name: every unit (the command line, trusted)
    or the subtree the importing person sees.

    Kinds resolve every code (unit, enterprise, project) through it *before* any other check,
    so that a record outside the scope reads exactly like one that does not exist: no later
    check (start month, double counting, locks, existing progress) ever sees it, and no
    message can describe it. A taken natural key (a project code or a credit code already
    registered outside the scope) is the one thing a create must still refuse; it is said in
    a sentence that names nothing of the other record.
    """

    NOWHERE = "\x00"  # a path prefix no unit has: the scope of a user who sees no unit

    def __init__(self, path: str | None):
        self.path = path  # None: every unit

    @classmethod
    def of(cls, user) -> "ImportScope":
        if user is None:
            return cls(None)
        root = scope_root(user)
        return cls(root.path if root is not None else cls.NOWHERE)

    @property
    def everything(self) -> bool:
        return self.path is None

    def units(self, queryset=None, field: str = "path"):
        """`queryset` (OrgUnits by default) narrowed to the scope through its `field` path column."""
        queryset = OrgUnit.objects.all() if queryset is None else queryset
        return queryset if self.path is None else queryset.filter(**{f"{field}__startswith": self.path})

    def contains(self, path: str) -> bool:
        return self.path is None or path.startswith(self.path)

    def sql(self, path_column: str) -> tuple[str, list]:
        """An SQL condition (and its parameter) keeping rows whose unit path is in the scope."""
        if self.path is None:
            return "1 = 1", []
        return f"{path_column} LIKE %s", [self.path + "%"]  # paths hold only digits and slashes


def refuse_all_rows(records, ctx, column: str, reason: str) -> None:
    for record in records:
        ctx.error(record, column, reason)


def refuse_rows_unless_may_create(records, ctx, model: type, column: str, reason: str) -> None:
    """A person's file of a kind their role may not write: every row refused (the command line may)."""
    user = importing_user(ctx)
    if user is not None and not may(user, "create", model):
        refuse_all_rows(records, ctx, column, reason)


def refuse_orgunit_rows_outside_scope(records, ctx) -> None:
    from django.utils.translation import gettext as _

    user = importing_user(ctx)
    if user is None:
        return
    if not may(user, "create", OrgUnit):
        refuse_all_rows(records, ctx, "code", _("your account may not change org units"))
        return
    root = scope_root(user)
    codes = {r.values.get("code") for r in records} | {r.values.get("parent_code") for r in records}
    paths = dict(OrgUnit.objects.filter(code__in={c for c in codes if c}).values_list("code", "path"))
    for record in records:
        for column in ("code", "parent_code"):
            code = record.values.get(column)
            if code and code in paths and not paths[code].startswith(root.path):
                ctx.error(record, column, _("no org unit has code %(code)s") % {"code": f'"{code}"'})
        if record.values.get("code") == root.code and record.values.get("parent_code") != (
                root.parent.code if root.parent_id else None):
            ctx.error(record, "parent_code", _("your account may not move the top unit it sees"))


# --- granting access: the one rule for accounts ------------------------------------------

UNIT_ROLES = (Role.BUREAU, Role.DISTRICT, Role.SUPERVISOR)


def granted_root(role: str, org: OrgUnit | None) -> OrgUnit | None:
    """The top unit an account of `role` tied to `org` would see (as `_scope_root` decides)."""
    if role == Role.BUREAU:
        return org or tree_root()
    return org if role in UNIT_ROLES else None


def may_grant(actor, role: str, org: OrgUnit | None) -> bool:
    """Whether `actor` may give an account this role and unit: never a scope wider than their own.

    Unit roles must land inside the actor's subtree (a bureau account without a unit means the
    whole tree, so only an actor who sees the whole tree may create one); enterprise and
    provider accounts reach enterprises, which their own fields check against the actor's scope.
    """
    root = scope_root(actor)
    if root is None or not is_bureau(actor):
        return False
    if role not in UNIT_ROLES:
        return True
    granted = granted_root(role, org)
    return granted is not None and root.is_ancestor_of(granted)


def changes_own_access(actor, account, role: str, org: OrgUnit | None, enterprise, is_active: bool) -> bool:
    """Whether an edit of `account` by `actor` would change the actor's own role, unit or access."""
    if account is None or account.pk != getattr(actor, "pk", None):
        return False
    membership = membership_of(account)
    current = (membership.role, membership.org_id, membership.enterprise_id) if membership else (None, None, None)
    wanted = (role, getattr(org, "pk", None), getattr(enterprise, "pk", None))
    return current != wanted or not is_active


class UserPolicy(Policy):
    """Accounts: the bureau sees and manages the accounts attached inside its scope (all of
    them, and accounts without a unit, when its scope is the whole tree); anyone else only
    their own account, read-only. Only a superuser changes a superuser."""

    def visible(self, user):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        if not is_bureau(user):
            return User.objects.filter(pk=getattr(user, "pk", None)) if role_of(user) else User.objects.none()
        root = scope_root(user)
        if root is None:
            return User.objects.none()
        if root.parent_id is None:
            return User.objects.all()
        return User.objects.filter(Q(membership__org__path__startswith=root.path) |
                                   Q(membership__enterprise__org__path__startswith=root.path) | Q(pk=user.pk))

    def can_list(self, user):
        """The accounts pages are the bureau's."""
        return is_bureau(user)

    def can_change(self, user, obj):
        return is_bureau(user) and (user.is_superuser or not obj.is_superuser)

    def can_create(self, user):
        return is_bureau(user)


class MembershipPolicy(Policy):
    def visible(self, user):
        from django.contrib.auth import get_user_model

        return Membership.objects.filter(user__in=visible(user, get_user_model()))

    def can_change(self, user, obj):
        return is_bureau(user)


class AccessTokenPolicy(Policy):
    """A person sees and revokes only their own API tokens; a token carries its user's scope,
    never more, so anyone with a role may make one for themselves."""

    def visible(self, user):
        from twintrack.orgs.models import AccessToken

        if user is None or not getattr(user, "is_authenticated", False):
            return AccessToken.objects.none()
        return AccessToken.objects.filter(user=user)

    def can_create(self, user):
        return role_of(user) is not None

    def can_change(self, user, obj):
        return obj.user_id == getattr(user, "pk", None)
