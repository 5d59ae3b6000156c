from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from twintrack import hooks


class OrgsConfig(AppConfig):
    name = "twintrack.orgs"
    verbose_name = _("Organisation units")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        post_save.connect(bump_on_account_change, sender=get_user_model(), dispatch_uid="twintrack-user-version")
        post_delete.connect(bump_on_account_change, sender=get_user_model(), dispatch_uid="twintrack-user-delete")


def bump_on_account_change(sender, instance, update_fields=None, **kwargs):
    """A user's password, activity or name changes what their cached pages may show (or
    whether they may see them); a login only touches last_login and changes nothing."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    hooks.bump_data_version()
