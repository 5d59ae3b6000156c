from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "twintrack.approvals"
    verbose_name = _("Monthly approval")
