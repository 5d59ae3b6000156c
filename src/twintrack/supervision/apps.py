from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "twintrack.supervision"
    verbose_name = _("Supervision and service")

    def ready(self):
        from twintrack.imports.kinds import register_kind
        from twintrack.supervision.importing import FindingsKind, RequirementsKind, VisitsKind

        for kind in (VisitsKind, FindingsKind, RequirementsKind):
            register_kind(kind)

        from twintrack.orgs.access import role_of
        from twintrack.orgs.models import Role
        from twintrack.web.roles import register_menu

        register_menu("supervision:home", _("Supervision"), lambda user: role_of(user) in (
            Role.BUREAU, Role.DISTRICT, Role.SUPERVISOR, Role.ENTERPRISE))
