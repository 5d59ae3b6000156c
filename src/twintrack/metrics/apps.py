from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "twintrack.metrics"

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from twintrack.metrics import version

        # Any change recorded in a history table is a change a page may show.
        post_create_historical_record.connect(lambda **kwargs: version.bump(), weak=False,
                                              dispatch_uid="twintrack-data-version")
        # A new or read notice changes the unread count in every page's top bar.
        from twintrack.notify.signals import notices_changed

        notices_changed.connect(lambda **kwargs: version.bump(), weak=False, dispatch_uid="twintrack-notices-version")
