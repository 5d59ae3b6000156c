"""Who sees and changes enterprises: the units' subtree; an enterprise user only their own;
a service provider the enterprises assigned to it (none until the diagnosis app assigns)."""
from twintrack.enterprises.models import Enterprise
from twintrack.orgs.access import Policy, assigned_enterprise_filter, membership_of, role_of, scope_root
from twintrack.orgs.models import Role

EDITORS = (Role.BUREAU, Role.DISTRICT)


class EnterprisePolicy(Policy):
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

    def can_change(self, user, obj):
        return role_of(user) in EDITORS

    def can_create(self, user):
        return role_of(user) in EDITORS


def refuse_enterprise_rows_outside_scope(records, ctx) -> None:
    """enterprises rows: the unit must be one the user sees; an existing enterprise too."""
    from django.utils.translation import gettext as _

    from twintrack.orgs.access import can_create, importing_user, refuse_all_rows, visible, visible_orgs

    user = importing_user(ctx)
    if user is None:
        return
    if not can_create(user, Enterprise):
        refuse_all_rows(records, ctx, "uscc", _("your account may not change enterprises"))
        return
    codes = {r.values.get("org_code") for r in records if r.values.get("org_code")}
    seen_units = set(visible_orgs(user).filter(code__in=codes).values_list("code", flat=True))
    usccs = {r.values["uscc"] for r in records if r.values.get("uscc")}
    existing = set(Enterprise.objects.filter(uscc__in=usccs).values_list("uscc", flat=True))
    mine = set(visible(user, Enterprise).filter(uscc__in=existing).values_list("uscc", flat=True))
    for record in records:
        code = record.values.get("org_code")
        if code and code not in seen_units and not record.bad:
            ctx.error(record, "org_code", _("no org unit has code %(code)s") % {"code": f'"{code}"'})
        uscc = record.values.get("uscc")
        if uscc in existing and uscc not in mine:
            ctx.error(record, "uscc", _("an enterprise with this code is registered under a unit outside "
                                        "your scope; ask the bureau to move it"))
