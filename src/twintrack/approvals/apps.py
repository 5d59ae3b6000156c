from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "twintrack.approvals"
    verbose_name = _("Monthly approval")

    def ready(self):
        from twintrack.approvals.access import MonthApprovalPolicy
        from twintrack.approvals.models import MonthApproval
        from twintrack.orgs import access

        access.register(MonthApproval, MonthApprovalPolicy())
