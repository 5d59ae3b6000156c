from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "twintrack.api"
    verbose_name = _("HTTP API")

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from twintrack.api.auth import name_the_token

        pre_create_historical_record.connect(name_the_token, weak=False, dispatch_uid="twintrack-api-token-reason")
