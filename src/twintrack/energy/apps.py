from django.apps import AppConfig


class EnergyConfig(AppConfig):
    name = "twintrack.energy"
    verbose_name = "Energy and carbon"
