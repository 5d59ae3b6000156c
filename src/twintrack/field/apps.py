from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "twintrack.field"
    label = "field"
    verbose_name = "Field visits (offline app)"
