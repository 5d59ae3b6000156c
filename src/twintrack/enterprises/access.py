"""Who sees and changes enterprises: the units' subtree; an enterprise user only their own."""
from twintrack.enterprises.models import Enterprise
from twintrack.orgs.access import Policy, membership_of, role_of, scope_root
from twintrack.orgs.models import Role

EDITORS = (Role.BUREAU, Role.DISTRICT)


class EnterprisePolicy(Policy):
    def visible(self, user):
        role = role_of(user)
        if role == Role.ENTERPRISE:
            membership = membership_of(user)
            return Enterprise.objects.filter(pk=getattr(membership, "enterprise_id", None))
        root = scope_root(user)
        if root is None:
            return Enterprise.objects.none()
        return Enterprise.objects.filter(org__path__startswith=root.path)

    def can_change(self, user, obj):
        return role_of(user) in EDITORS

    def can_create(self, user):
        return role_of(user) in EDITORS
