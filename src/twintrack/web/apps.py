from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "twintrack.web"

    def ready(self):
        from twintrack.web.history import register_defaults

        register_defaults()
