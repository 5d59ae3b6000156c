from django.apps import AppConfig


class EnergyConfig(AppConfig):
    name = "twintrack.energy"
    verbose_name = "Energy and carbon"

    def ready(self):
        from twintrack.energy.basis import extend_report
        from twintrack.energy.services import line_contributions
        from twintrack.metrics.report import REPORT_EXTENSIONS
        from twintrack.metrics.rollups import EXTRA_CONTRIBUTIONS

        if line_contributions not in EXTRA_CONTRIBUTIONS:
            EXTRA_CONTRIBUTIONS.append(line_contributions)
        if extend_report not in REPORT_EXTENSIONS:
            REPORT_EXTENSIONS.append(extend_report)

        from twintrack.energy.importing import EnergyKind, refuse_progress_tce_where_lines_exist
        from twintrack.imports.kinds import register_kind, register_row_check

        register_kind(EnergyKind)
        register_row_check("progress", refuse_progress_tce_where_lines_exist)

        from django.utils.translation import gettext_lazy

        from twintrack.orgs.access import role_of
        from twintrack.orgs.models import Role
        from twintrack.web.roles import register_menu

        register_menu("energy:projects", gettext_lazy("Energy and carbon"),
                      lambda user: role_of(user) in (Role.BUREAU, Role.DISTRICT, Role.SUPERVISOR))
