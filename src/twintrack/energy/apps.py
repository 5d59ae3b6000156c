from django.apps import AppConfig


class EnergyConfig(AppConfig):
    name = "twintrack.energy"
    verbose_name = "Energy and carbon"

    def ready(self):
        from twintrack.energy.access import register_policies

        register_policies()
