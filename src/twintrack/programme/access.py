"""Projects, progress and targets follow the enterprise (projects, progress) or the unit (targets)."""
from twintrack.enterprises.models import Enterprise
from twintrack.orgs.access import Policy, is_bureau, role_of, visible, visible_orgs
from twintrack.orgs.models import Role
from twintrack.programme.models import Progress, Project, Target

EDITORS = (Role.BUREAU, Role.DISTRICT)


class ProjectPolicy(Policy):
    def visible(self, user):
        return Project.objects.filter(enterprise__in=visible(user, Enterprise))

    def can_change(self, user, obj):
        return role_of(user) in EDITORS

    def can_create(self, user):
        return role_of(user) in EDITORS


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


# --- imports by a person: rows outside the user's scope read like rows naming nothing ----------

def _quoted(code) -> str:
    return f'"{code}"'


def refuse_target_rows_outside_scope(records, ctx) -> None:
    from django.utils.translation import gettext as _

    from twintrack.orgs.access import can_create, importing_user, refuse_all_rows

    user = importing_user(ctx)
    if user is None:
        return
    if not can_create(user, Target):
        refuse_all_rows(records, ctx, "org_code", _("your account may not set targets"))
        return
    codes = {r.values.get("org_code") for r in records if r.values.get("org_code")}
    seen = set(visible_orgs(user).filter(code__in=codes).values_list("code", flat=True))
    for record in records:
        code = record.values.get("org_code")
        if code and code not in seen and not record.bad:
            ctx.error(record, "org_code", _("no org unit has code %(code)s") % {"code": _quoted(code)})


def refuse_project_rows_outside_scope(records, ctx) -> None:
    from django.utils.translation import gettext as _

    from twintrack.orgs.access import can_create, importing_user, refuse_all_rows

    user = importing_user(ctx)
    if user is None:
        return
    if not can_create(user, Project):
        refuse_all_rows(records, ctx, "code", _("your account may not change projects"))
        return
    good = [r for r in records if r.out is not None and not r.bad]
    enterprises = set(visible(user, Enterprise).filter(id__in={r.out.enterprise_id for r in good})
                      .values_list("id", flat=True))
    codes = {r.out.code for r in good}
    existing = set(Project.objects.filter(code__in=codes).values_list("code", flat=True))
    mine = set(visible(user, Project).filter(code__in=existing).values_list("code", flat=True))
    for record in good:
        if record.out.enterprise_id not in enterprises:
            ctx.error(record, "uscc", _("no enterprise has unified social credit code %(uscc)s") % {
                "uscc": _quoted(record.values.get("uscc", ""))})
        if record.out.code in existing and record.out.code not in mine:
            ctx.error(record, "code", _("project code %(code)s is already used by a project outside your "
                                        "scope") % {"code": _quoted(record.out.code)})


def refuse_project_month_rows_outside_scope(records, ctx) -> None:
    """progress and energy rows: the project must be one the user may change."""
    from django.utils.translation import gettext as _

    from twintrack.orgs.access import can_create, importing_user, refuse_all_rows

    user = importing_user(ctx)
    if user is None:
        return
    if not can_create(user, Progress):
        refuse_all_rows(records, ctx, "project_code", _("your account may not report progress"))
        return
    good = [r for r in records if r.out is not None and not r.bad]
    mine = set(visible(user, Project).filter(id__in={r.out.project_id for r in good}).values_list("id", flat=True))
    for record in good:
        if record.out.project_id not in mine:
            ctx.error(record, "project_code", _("no project has code %(code)s") % {
                "code": _quoted(record.values.get("project_code", ""))})
