from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "twintrack.metrics"

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from twintrack.metrics import concerns
        from twintrack.notify.signals import notices_changed

        # Any change recorded in a history table is a change a page may show: its unit's or everyone's.
        post_create_historical_record.connect(concerns.bump_for_record, weak=False,
                                              dispatch_uid="twintrack-data-version")
        # A new or read notice changes the unread count in the top bar of the recipients' pages.
        notices_changed.connect(concerns.bump_for_notices, weak=False, dispatch_uid="twintrack-notices-version")
