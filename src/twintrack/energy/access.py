"""Who sees and changes energy data (each model declares its policy; twintrack.orgs.access.may asks it).

- Lines and baselines follow their project: whoever sees the project sees them; district
  officers and the bureau change them.
- The coefficient tables, grid factors and the year's basis are the deployment's: every
  signed-in user reads them; only a bureau officer at the top of the tree (or a superuser)
  adds a version, a grid factor or sets a year's basis, since they change every unit's figures.
"""
from twintrack.orgs.access import Policy, is_bureau, role_of, scope_root, tree_root, visible
from twintrack.orgs.models import Role

EDITORS = (Role.BUREAU, Role.DISTRICT)


def manages_tables(user) -> bool:
    """A superuser, or a bureau officer whose scope is the whole tree."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not is_bureau(user):
        return False
    root = scope_root(user)
    top = tree_root()
    return root is not None and top is not None and root.pk == top.pk


class ProjectDataPolicy(Policy):
    def __init__(self, model):
        self.model = model

    def visible(self, user):
        from twintrack.programme.models import Project

        return self.model.objects.filter(project__in=visible(user, Project))

    def can_change(self, user, obj):
        return role_of(user) in EDITORS

    def can_create(self, user):
        return role_of(user) in EDITORS


class TablePolicy(Policy):
    def __init__(self, model):
        self.model = model

    def visible(self, user):
        signed_in = user is not None and getattr(user, "is_authenticated", False) and user.is_active
        return self.model.objects.all() if signed_in else self.model.objects.none()

    def can_change(self, user, obj):
        return manages_tables(user)

    def can_create(self, user):
        return manages_tables(user)
