"""Supervision and service (督查服务): rounds, groups, visits, findings, requirements and
their rectification (responses, returns, verification), with attachments.

    Round ── Group (leader, members, the units it covers)
      │        └── Visit (unit, date, enterprises investigated, attendees)
      │               └── Finding (progress / highlight / problem / plan) ── Attachment
      └── Requirement (to a unit or an enterprise; key task, due date, owner)
             └── RequirementStep (response / return / verification) ── Attachment (evidence)

Nothing is deleted: rows carry `deleted_at`/`deleted_by` and the default manager hides
them (`all_objects` sees everything). Every model keeps its history (django-simple-history).
Write through `twintrack.supervision.services`, which records who did what and when and
keeps a requirement's state machine:

    issued -> responded -> (returned -> responded ...) -> verified

"Overdue" is derived, never stored: due date passed and not verified.
"""
from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

CODE_LENGTH = 64


def today() -> date:
    return timezone.localdate()


class LiveManager(models.Manager):
    """Rows not soft-deleted."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class SoftDeletable(models.Model):
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", editable=False, verbose_name=_("deleted by"))

    objects = LiveManager()
    all_objects = models.Manager()

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


def display(obj, lang: str, zh: str = "name_zh", en: str = "name_en") -> str:
    if (lang or "").startswith("en") and getattr(obj, en):
        return getattr(obj, en)
    return getattr(obj, zh)


class KeyTask(models.Model):
    """The bureau's key tasks that requirements serve (data, seeded by a migration)."""
    access_policy = "twintrack.supervision.access.KeyTaskPolicy"

    code = models.CharField(_("code"), max_length=32, unique=True)
    number = models.PositiveSmallIntegerField(_("number"))
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["number", "code"]
        verbose_name = _("key task")
        verbose_name_plural = _("key tasks")

    def __str__(self):
        return f"{self.number}. {self.name_zh}"

    def display_name(self, lang: str) -> str:
        return display(self, lang)


class Round(SoftDeletable):
    """One round of supervision, e.g. "2023 Q3 supervision service"."""
    access_policy = "twintrack.supervision.access.RoundPolicy"

    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    start_date = models.DateField(pgettext_lazy("supervision", "start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # The progress figures the bulletin quotes: January..report_month of report_year.
    report_year = models.PositiveSmallIntegerField(_("report year"))
    report_month = models.PositiveSmallIntegerField(_("report through month"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "code"]
        verbose_name = _("supervision round")
        verbose_name_plural = _("supervision rounds")

    def __str__(self):
        return self.name_zh

    def display_name(self, lang: str) -> str:
        return display(self, lang)


class Group(SoftDeletable):
    """A supervision group of a round: its leader, members and the units it covers."""
    access_policy = "twintrack.supervision.access.GroupPolicy"

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="groups", verbose_name=_("round"))
    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True)
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="led_supervision_groups", verbose_name=_("leader"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="supervision_groups",
                                     verbose_name=_("members"))
    units = models.ManyToManyField("orgs.OrgUnit", blank=True, related_name="supervision_groups",
                                   verbose_name=_("units covered"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    history = HistoricalRecords(m2m_fields=[members, units])

    class Meta:
        ordering = ["round_id", "number", "code"]
        verbose_name = _("supervision group")
        verbose_name_plural = _("supervision groups")

    def __str__(self):
        return self.name_zh

    def display_name(self, lang: str) -> str:
        return display(self, lang)

    def has_member(self, user) -> bool:
        if user is None or not getattr(user, "pk", None):
            return False
        return self.leader_id == user.pk or self.members.filter(pk=user.pk).exists()


class Visit(SoftDeletable):
    """A group's visit to a unit: date, enterprises investigated, attendees."""
    access_policy = "twintrack.supervision.access.VisitPolicy"

    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="visits", verbose_name=_("round"))
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="visits",
                              verbose_name=pgettext_lazy("supervision", "group"))
    org = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="supervision_visits",
                            verbose_name=_("unit visited"))
    date = models.DateField(_("date"))
    enterprises = models.ManyToManyField("enterprises.Enterprise", blank=True, related_name="supervision_visits",
                                         verbose_name=_("enterprises investigated"))
    attendees = models.TextField(_("attendees"), blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    history = HistoricalRecords(m2m_fields=[enterprises])
    # The id a field client generated for this record: a repeated upload finds it instead of
    # creating a second one (the API answers the existing record).
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["date", "code"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self):
        return f"{self.code} {self.org.name_zh} {self.date.isoformat()}"


class FindingKind(models.TextChoices):
    PROGRESS = "progress", pgettext_lazy("finding kind", "Progress")
    HIGHLIGHT = "highlight", pgettext_lazy("finding kind", "Highlight")
    PROBLEM = "problem", pgettext_lazy("finding kind", "Problem")
    PLAN = "plan", pgettext_lazy("finding kind", "Plan")


FINDING_KIND_ZH = {"progress": "工作进展", "highlight": "亮点做法", "problem": "存在问题", "plan": "下步计划"}


class Finding(SoftDeletable):
    """What a visit found: progress, a highlight, a problem or a plan."""
    access_policy = "twintrack.supervision.access.FindingPolicy"

    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True)
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="findings", verbose_name=_("visit"))
    kind = models.CharField(_("kind"), max_length=16, choices=FindingKind.choices)
    text = models.TextField(_("text"))
    enterprise = models.ForeignKey("enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="supervision_findings", verbose_name=_("enterprise"))
    project = models.ForeignKey("programme.Project", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="supervision_findings", verbose_name=_("project"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    history = HistoricalRecords()
    # The id a field client generated for this record: a repeated upload finds it instead of
    # creating a second one (the API answers the existing record).
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["visit_id", "code"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self):
        return f"{self.code} {self.get_kind_display()}"


class Status(models.TextChoices):
    ISSUED = "issued", pgettext_lazy("requirement status", "Issued")
    RESPONDED = "responded", pgettext_lazy("requirement status", "Responded")
    RETURNED = "returned", pgettext_lazy("requirement status", "Returned")
    VERIFIED = "verified", pgettext_lazy("requirement status", "Verified")


STATUS_ZH = {"issued": "已下达", "responded": "已反馈", "returned": "已退回", "verified": "已核实"}


class RequirementQuerySet(models.QuerySet):
    def overdue(self, on: date | None = None):
        """Due date passed and not verified (derived, never stored)."""
        return self.filter(due_date__lt=on or today()).exclude(status=Status.VERIFIED)

    def open(self):
        return self.exclude(status=Status.VERIFIED)


class LiveRequirementManager(LiveManager.from_queryset(RequirementQuerySet)):
    pass


class Requirement(SoftDeletable):
    """A requirement issued to a unit or an enterprise, followed up until verified."""
    access_policy = "twintrack.supervision.access.RequirementPolicy"

    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="requirements", verbose_name=_("round"))
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="requirements",
                              verbose_name=_("visit"))
    finding = models.ForeignKey(Finding, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="requirements", verbose_name=_("finding"))
    # The unit addressed; for a requirement to an enterprise, the enterprise's unit.
    org = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="supervision_requirements",
                            verbose_name=_("unit"))
    enterprise = models.ForeignKey("enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="supervision_requirements", verbose_name=_("enterprise"))
    key_task = models.ForeignKey(KeyTask, on_delete=models.PROTECT, related_name="requirements",
                                 verbose_name=_("key task"))
    text = models.TextField(_("requirement"))
    due_date = models.DateField(_("due date"))
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    status = models.CharField(pgettext_lazy("supervision", "status"), max_length=16, choices=Status.choices, default=Status.ISSUED)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    responded_at = models.DateTimeField(_("last responded at"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("verified by"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # The id a field client generated for this record: a repeated upload finds it instead of
    # creating a second one (the API answers the existing record).
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()

    objects = LiveRequirementManager()
    all_objects = models.Manager.from_queryset(RequirementQuerySet)()

    class Meta:
        ordering = ["due_date", "code"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["issued", "responded", "returned", "verified"]),
                                   name="requirement_status_known"),
        ]

    def __str__(self):
        return f"{self.code} {self.text[:40]}"

    def is_overdue(self, on: date | None = None) -> bool:
        return self.status != Status.VERIFIED and self.due_date < (on or today())

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    def days_overdue(self, on: date | None = None) -> int:
        return max(0, ((on or today()) - self.due_date).days) if self.is_overdue(on) else 0

    def addressee(self, lang: str) -> str:
        if self.enterprise_id:
            return self.enterprise.display_name(lang)
        return self.org.display_name(lang)


class StepKind(models.TextChoices):
    RESPONSE = "response", _("Response")
    RETURN = "return", _("Sent back")
    VERIFICATION = "verification", _("Verified")


class RequirementStep(models.Model):
    """One step of a requirement's follow-up, never changed afterwards: the unit's response
    (text and evidence), the supervisor's return (why) or verification."""
    access_policy = "twintrack.supervision.access.StepPolicy"

    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="steps",
                                    verbose_name=_("requirement"))
    kind = models.CharField(_("kind"), max_length=16, choices=StepKind.choices)
    text = models.TextField(_("text"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    history = HistoricalRecords()
    # The id a field client generated for this record: a repeated upload finds it instead of
    # creating a second one (the API answers the existing record).
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["requirement_id", "at", "id"]
        verbose_name = _("requirement step")
        verbose_name_plural = _("requirement steps")

    def __str__(self):
        return f"{self.requirement_id} {self.kind} {self.at:%Y-%m-%d}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name is random; the original name is kept in the row, never used as a path.
    return f"supervision/{timezone.now():%Y/%m}/{instance.token}.{instance.file_type}"


class FileType(models.TextChoices):
    JPEG = "jpg", "JPEG"
    PNG = "png", "PNG"
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    XLSX = "xlsx", "XLSX"


class Attachment(SoftDeletable):
    """A photo or document on a finding, or evidence on a response. Served only through a
    view that checks access (never as a public file)."""
    access_policy = "twintrack.supervision.access.AttachmentPolicy"

    finding = models.ForeignKey(Finding, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="attachments", verbose_name=_("finding"))
    step = models.ForeignKey(RequirementStep, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="attachments", verbose_name=_("response"))
    token = models.CharField(max_length=32, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("file type"), max_length=8, choices=FileType.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    # The id a field client generated for this record: a repeated upload finds it instead of
    # creating a second one (the API answers the existing record).
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True, editable=False)
    # Where the photo was taken, only when the person ticked "keep the location" (the device
    # re-encodes photos, so no EXIF position survives otherwise).
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(condition=Q(finding__isnull=False, step__isnull=True)
                                   | Q(finding__isnull=True, step__isnull=False),
                                   name="attachment_has_one_parent"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_image(self) -> bool:
        return self.file_type in (FileType.JPEG, FileType.PNG)
