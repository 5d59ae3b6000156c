from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosisConfig(AppConfig):
    name = "twintrack.diagnosis"
    verbose_name = _("Diagnosis and demonstration")

    def ready(self):
        from twintrack.diagnosis.access import POLICIES
        from twintrack.diagnosis.services import assigned_enterprise_ids
        from twintrack.orgs import access

        for model, policy in POLICIES.items():
            access.register(model, policy)
        access.register_assigned_enterprises(assigned_enterprise_ids)
