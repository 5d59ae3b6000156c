from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "twintrack.enterprises"

    def ready(self):
        from twintrack.enterprises.access import EnterprisePolicy
        from twintrack.enterprises.models import Enterprise
        from twintrack.orgs import access

        access.register(Enterprise, EnterprisePolicy())
