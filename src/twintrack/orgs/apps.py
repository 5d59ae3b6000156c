from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "twintrack.orgs"
    verbose_name = _("Organisation units")

    def ready(self):
        from twintrack.orgs import access
        from twintrack.orgs.models import OrgUnit

        access.register(OrgUnit, access.OrgUnitPolicy())
