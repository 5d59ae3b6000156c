"""Notices, their deliveries (the outbox) and who wants what through which channel.

A producer calls `notify.services.notify(...)` inside its own transaction: the notices (the
in-app inbox) and one Delivery row per outside channel are written with the event or not at
all. `twintrack send-notices` then sends the due deliveries, with retries and back-off.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Notice(models.Model):
    """One event as one recipient sees it in the inbox. The title is rendered at read time
    from `kind` and `params`, in the reader's language."""

    kind = models.CharField(_("kind of event"), max_length=40, db_index=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices",
                                  verbose_name=_("recipient"))
    org = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("org unit"))
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    url = models.CharField(max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Reminders: one per (kind, object, recipient, day); None for ordinary events.
    once_key = models.CharField(max_length=200, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread")]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    MESSENGER = "messenger", _("Messenger robot")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class RobotKind(models.TextChoices):
    DINGTALK = "dingtalk", _("DingTalk custom robot")
    WECOM = "wecom", _("WeCom group robot")


class Robot(models.Model):
    """A messenger group robot of a unit, configured by the bureau."""

    org = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("org unit"))
    kind = models.CharField(_("kind"), max_length=16, choices=RobotKind.choices)
    name = models.CharField(_("name"), max_length=100)
    webhook = models.URLField(_("webhook URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True,
                              help_text=_("DingTalk: the robot's signing secret (SEC…); leave empty for WeCom"))
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["org__code", "name"]
        verbose_name = _("messenger robot")
        verbose_name_plural = _("messenger robots")

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class Delivery(models.Model):
    """One message to send through one channel: an e-mail to a person, a post to a robot."""

    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("recipient"))
    address = models.CharField(_("address"), max_length=254, blank=True)  # e-mail
    robot = models.ForeignKey(Robot, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries",
                              verbose_name=_("robot"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=16, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_try_at = models.DateTimeField(_("next try"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_try_at"], name="delivery_due")]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")


class Preference(models.Model):
    """A user's channels for one kind of event (the inbox always). No row: the defaults."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences")
    kind = models.CharField(_("kind of event"), max_length=40)
    email = models.BooleanField(_("e-mail"), default=True)
    messenger = models.BooleanField(_("messenger"), default=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]


class Digest(models.Model):
    """A user who wants one e-mail a day instead of one per notice."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_digest")
    daily = models.BooleanField(_("one e-mail a day"), default=False)
    last_sent_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()


class NoticeSettings(models.Model):
    """The bureau's settings for reminders (one row)."""

    days_before_deadline = models.PositiveSmallIntegerField(
        _("remind this many days before the monthly deadline"), default=3)
    days_before_due = models.PositiveSmallIntegerField(
        _("remind this many days before a requirement is due"), default=3)
    history = HistoricalRecords()
