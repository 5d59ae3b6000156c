"""Who sees and changes enterprises: the units' subtree; an enterprise user only their own;
a service provider the enterprises assigned to it (none until the diagnosis app assigns)."""
from twintrack.enterprises.models import Enterprise
from twintrack.orgs.access import Policy, assigned_enterprise_filter, is_bureau, membership_of, role_of, scope_root
from twintrack.orgs.models import Role

EDITORS = (Role.BUREAU, Role.DISTRICT)


class EditorGates(Policy):
    """The bureau and district officers create and change (enterprises, projects, progress);
    only the bureau restores what was deleted."""

    def can_change(self, user, obj):
        return role_of(user) in EDITORS

    def can_restore(self, user, obj):
        return is_bureau(user)

    def can_create(self, user):
        return role_of(user) in EDITORS


class EnterprisePolicy(EditorGates):
    def visible(self, user):
        role = role_of(user)
        if role == Role.ENTERPRISE:
            membership = membership_of(user)
            return Enterprise.objects.filter(pk=getattr(membership, "enterprise_id", None))
        if role == Role.PROVIDER:
            return Enterprise.objects.filter(assigned_enterprise_filter(user))
        root = scope_root(user)
        if root is None:
            return Enterprise.objects.none()
        return Enterprise.objects.filter(org__path__startswith=root.path)

    def can_list(self, user):
        """Enterprise and project pages: anyone who sees a unit or at least one enterprise (a
        service provider sees nothing until the diagnosis app assigns it enterprises)."""
        return scope_root(user) is not None or self.visible(user).exists()


def refuse_enterprise_rows_for_role(records, ctx) -> None:
    """enterprises rows: which units and codes a person may name is the import scope's business."""
    from django.utils.translation import gettext as _

    from twintrack.orgs.access import refuse_rows_unless_may_create

    refuse_rows_unless_may_create(records, ctx, Enterprise, "uscc", _("your account may not change enterprises"))
