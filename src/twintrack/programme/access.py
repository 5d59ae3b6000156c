"""Projects, progress and targets follow the enterprise (projects, progress) or the unit (targets)."""
from twintrack.enterprises.access import EditorGates
from twintrack.enterprises.models import Enterprise
from twintrack.orgs.access import Policy, is_bureau, may, visible, visible_orgs
from twintrack.programme.models import Progress, Project, Target


class ProjectPolicy(EditorGates):
    def visible(self, user):
        return Project.objects.filter(enterprise__in=visible(user, Enterprise))

    def can_list(self, user):
        return may(user, "view", Enterprise)


class ProgressPolicy(ProjectPolicy):
    def visible(self, user):
        return Progress.objects.filter(project__enterprise__in=visible(user, Enterprise))


class TargetPolicy(Policy):
    """Targets are set by the bureau; units see their own subtree's."""

    def visible(self, user):
        return Target.objects.filter(org__in=visible_orgs(user))

    def can_change(self, user, obj):
        return is_bureau(user)

    def can_create(self, user):
        return is_bureau(user)


# --- imports by a person -----------------------------------------------------------------------
#
# Which rows a person may name is settled by the import engine's scope (orgs.access.ImportScope):
# codes outside it resolve to nothing. What remains here is the role: may this account write the kind?

def refuse_target_rows_for_role(records, ctx) -> None:
    from django.utils.translation import gettext as _

    from twintrack.orgs.access import refuse_rows_unless_may_create

    refuse_rows_unless_may_create(records, ctx, Target, "org_code", _("your account may not set targets"))


def refuse_project_rows_for_role(records, ctx) -> None:
    from django.utils.translation import gettext as _

    from twintrack.orgs.access import refuse_rows_unless_may_create

    refuse_rows_unless_may_create(records, ctx, Project, "code", _("your account may not change projects"))


def refuse_project_month_rows_for_role(records, ctx) -> None:
    """progress and energy rows."""
    from django.utils.translation import gettext as _

    from twintrack.orgs.access import refuse_rows_unless_may_create

    refuse_rows_unless_may_create(records, ctx, Progress, "project_code", _("your account may not report progress"))
