"""Data quality (data contract section 5): the rules as data, the deadline the bureau sets,
and the confirmations people give.

Findings themselves are not stored: they are recomputed from the data (`evaluate.py`), so a
corrected figure that no longer breaks a rule clears its finding at once. What is stored is
a person's word that a flagged figure is right (`FindingReview`, keyed by rule, project and
month); it makes the finding `confirmed` for as long as the rule still fires.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class QualityRule(models.Model):
    access_policy = "twintrack.quality.access.QualityRulePolicy"
    key = models.CharField(_("key"), max_length=32, unique=True)
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=4)
    enabled = models.BooleanField(_("enabled"), default=True)
    name_en = models.CharField(_("English name"), max_length=100)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    explanation_en = models.TextField(_("explanation (English)"))
    explanation_zh = models.TextField(_("explanation (Chinese)"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]
        verbose_name = _("quality rule")
        verbose_name_plural = _("quality rules")

    def __str__(self):
        return f"{self.key} {self.threshold}{'' if self.enabled else ' (off)'}"

    def name(self, lang: str) -> str:
        return self.name_en if lang.startswith("en") else self.name_zh

    def explanation(self, lang: str) -> str:
        return self.explanation_en if lang.startswith("en") else self.explanation_zh


class QualitySettings(models.Model):
    """One row: the day of the following month by which a unit must submit its month."""

    deadline_day = models.PositiveSmallIntegerField(_("submission deadline (day of the following month)"),
                                                    default=10)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("data quality settings")

    def __str__(self):
        return f"deadline day {self.deadline_day}"


class ReviewStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("finding status", "Open")
    CONFIRMED = "confirmed", pgettext_lazy("finding status", "Confirmed")


class FindingReview(models.Model):
    """A person's word on one finding: the figure is right (confirmed), with a comment."""

    rule = models.CharField(_("rule"), max_length=32)
    project = models.ForeignKey("programme.Project", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("project"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    status = models.CharField(_("status"), max_length=16, choices=ReviewStatus.choices,
                              default=ReviewStatus.CONFIRMED)
    comment = models.CharField(_("comment"), max_length=500)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("confirmed by"))
    reviewed_at = models.DateTimeField(_("confirmed at"))
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "project", "year", "month"],
                                               name="finding_review_key")]
        indexes = [models.Index(fields=["year", "month"])]
        verbose_name = _("finding review")
        verbose_name_plural = _("finding reviews")

    def __str__(self):
        return f"{self.rule} {self.project_id} {self.year:04d}-{self.month:02d} {self.status}"
