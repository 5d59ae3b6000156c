from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "twintrack.enterprises"

    def ready(self):
        from twintrack.enterprises.access import EnterprisePolicy
        from twintrack.enterprises.models import Enterprise
        from twintrack.orgs import access

        access.register(Enterprise, EnterprisePolicy())

        from twintrack.enterprises.access import refuse_enterprise_rows_for_role
        from twintrack.imports.kinds import register_row_check

        register_row_check("enterprises", refuse_enterprise_rows_for_role)
