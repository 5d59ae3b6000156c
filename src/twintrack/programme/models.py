"""Targets, projects and monthly progress: what the districts report.

Write progress and projects through `twintrack.programme.services` so the rollups that
reports read stay exact; a plain `.save()` does not maintain them.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from twintrack.display.periods import format_period

YUAN = dict(max_digits=20, decimal_places=2)
TCE = dict(max_digits=20, decimal_places=6)


class ProjectKind(models.TextChoices):
    DIGITAL = "digital", _("Digital")
    GREEN = "green", _("Green")
    DIGITAL_GREEN = "digital_green", _("Digital and green")


PROJECT_KIND_ZH = {"digital": "数字化", "green": "绿色化", "digital_green": "数字化绿色化"}


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


PROJECT_STATUS_ZH = {
    "planned": "计划", "in_progress": "在建", "completed": "已完工", "suspended": "暂停", "cancelled": "取消",
}


class Target(models.Model):
    """A unit's own cumulative target for January..through_month; never summed from children."""
    access_policy = "twintrack.programme.access.TargetPolicy"

    org = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="targets")
    metric = models.CharField(_("metric"), max_length=32)
    year = models.PositiveSmallIntegerField(_("year"))
    through_month = models.PositiveSmallIntegerField(_("through month"))
    value = models.DecimalField(_("target value"), max_digits=24, decimal_places=6)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "metric", "year", "through_month"], name="target_natural_key"),
        ]
        ordering = ["org__code", "year", "metric", "through_month"]

    def __str__(self):
        return f"{self.org.code} {self.metric} {self.year}-{self.through_month:02d} {self.value}"


class Project(models.Model):
    access_policy = "twintrack.programme.access.ProjectPolicy"
    code = models.CharField(_("project code"), max_length=64, unique=True)
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="projects",
                                   verbose_name=_("enterprise"))
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=ProjectKind.choices)
    category = models.CharField(_("category"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"))
    planned_end_date = models.DateField(_("planned end date"), null=True, blank=True)
    planned_investment_yuan = models.DecimalField(_("planned investment (yuan)"), null=True, blank=True, **YUAN)
    status = models.CharField(_("status"), max_length=16, choices=ProjectStatus.choices)
    # Nothing is hard-deleted: a deleted project is deactivated and then counts nowhere, like
    # a cancelled one, and its progress leaves the rollups too (see programme/lifecycle.py).
    is_active = models.BooleanField(_("active"), default=True, db_default=True, db_index=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["start_date"])]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def counts_as_launched(self) -> bool:
        return self.status != ProjectStatus.CANCELLED


class ProgressHistory(HistoricalRecords):
    """simple-history's records for progress rows without two of its indexes: history_date's and
    history_user's. A month-end import writes 10^6 history rows in one statement, and each index
    costs every row (the two: 2.7 of 8.6 s for 10^6 rows, measured). Nothing reads progress
    history by date or by user: pages read one row's history (its id) or one project's (its
    project), both indexed, and users are never deleted."""

    def get_extra_fields(self, model, fields):
        extra = super().get_extra_fields(model, fields)
        extra["history_date"] = models.DateTimeField(db_index=False)
        extra["history_user"].db_index = False
        return extra


class Progress(models.Model):
    """One project's completed investment and energy savings in one month (not cumulative)."""
    access_policy = "twintrack.programme.access.ProgressPolicy"

    # The table that takes 10^6 rows a month-end: no database constraint behind the reference
    # (PostgreSQL checks a foreign key row by row, locking each project: 12 of a 10^6-row
    # import's 60 s), and no index of its own (the natural key's index starts with it). The
    # importers resolve every row to an active project first, projects are never deleted (the
    # ORM's PROTECT still refuses it), and `twintrack check-data` finds a row whose project is
    # missing (operations.checks.missing_references).
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="progress", db_constraint=False,
                                db_index=False)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    investment_yuan = models.DecimalField(_("investment completed (yuan)"), **YUAN)
    energy_saved_tce = models.DecimalField(_("energy saved (tce)"), null=True, blank=True, **TCE)
    note = models.CharField(_("note"), max_length=500, blank=True)
    history = ProgressHistory(user_db_constraint=False)  # users are deactivated, never deleted

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "month"], name="progress_natural_key"),
        ]
        ordering = ["project_id", "year", "month"]
        verbose_name = _("monthly progress")
        verbose_name_plural = _("monthly progress")

    def __str__(self):
        return f"{self.project_id} {self.period}"

    @property
    def period(self) -> str:
        return format_period(self.year, self.month)
