from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "twintrack.imports"
