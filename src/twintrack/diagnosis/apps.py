from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosisConfig(AppConfig):
    name = "twintrack.diagnosis"
    verbose_name = _("Diagnosis and demonstration")

    def ready(self):
        from twintrack.orgs import access
        from twintrack.web.roles import register_menu

        register_menu("diagnosis:home", _("Diagnosis"), lambda user: access.role_of(user) is not None)
