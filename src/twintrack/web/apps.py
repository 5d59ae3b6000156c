from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "twintrack.web"
