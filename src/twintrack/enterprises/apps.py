from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "twintrack.enterprises"
