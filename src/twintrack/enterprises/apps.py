from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "twintrack.enterprises"

    def ready(self):
        from twintrack.enterprises.access import refuse_enterprise_rows_for_role
        from twintrack.imports.kinds import register_row_check

        register_row_check("enterprises", refuse_enterprise_rows_for_role)
