from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "twintrack.reports"

    def ready(self):
        from django.utils.translation import gettext_lazy

        from twintrack.orgs.access import scope_root
        from twintrack.web.roles import register_menu

        # The bulletins page, for whoever sees a unit (bureau, district officers, supervisors).
        register_menu("reports:bulletins", gettext_lazy("Bulletins"), lambda user: scope_root(user) is not None)
