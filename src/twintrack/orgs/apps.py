from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "twintrack.orgs"
    verbose_name = _("Organisation units")

    def ready(self):
        from twintrack.orgs import access
        from twintrack.orgs.models import OrgUnit

        access.register(OrgUnit, access.OrgUnitPolicy())

        from django.contrib.auth import get_user_model

        from twintrack.orgs.models import Membership

        access.register(get_user_model(), access.UserPolicy())
        access.register(Membership, access.MembershipPolicy())

        from twintrack.imports.kinds import register_row_check

        register_row_check("orgunits", access.refuse_orgunit_rows_outside_scope)
