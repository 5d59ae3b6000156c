from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Backup, restore and the data self-check: the top layer, beside web."""

    name = "twintrack.operations"
