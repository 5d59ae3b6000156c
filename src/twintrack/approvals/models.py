"""Monthly approval, as DHIS2 does it: a unit submits a month, the level above approves it,
and an approved month is locked against edits and imports until the bureau reopens it.

One row per (unit, year, month) that has ever left the `open` state; no row means open.
Every transition is a history row (who, when, why): `MonthApproval.history`.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from twintrack.display.periods import format_period


class MonthState(models.TextChoices):
    OPEN = "open", _("Open")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")


class MonthApproval(models.Model):
    access_policy = "twintrack.approvals.access.MonthApprovalPolicy"
    org = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="month_approvals",
                            verbose_name=_("org unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    state = models.CharField(_("state"), max_length=16, choices=MonthState.choices, default=MonthState.OPEN)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "year", "month"], name="month_approval_key")]
        indexes = [models.Index(fields=["year", "month", "state"])]
        ordering = ["org__code", "year", "month"]
        verbose_name = _("month approval")
        verbose_name_plural = _("month approvals")

    def __str__(self):
        return f"{self.org.code} {self.period} {self.state}"

    @property
    def period(self) -> str:
        return format_period(self.year, self.month)
