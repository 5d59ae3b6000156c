from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "twintrack.approvals"
    verbose_name = _("Monthly approval")

    def ready(self):
        from twintrack.approvals.services import refuse_locked_rows
        from twintrack.imports.kinds import register_row_check
        # A row of an approved (locked) month is refused at import, with its row number.
        for kind in ("progress", "energy"):
            register_row_check(kind, refuse_locked_rows)
