"""Diagnosis and demonstration: maturity frameworks (versioned data), assessments with their
scores, service providers and their assignments, demonstrations, the solution catalogue,
adoptions of solutions, and the bureau's coverage setting.

Write through `twintrack.diagnosis.services` (scores computed, the latest-assessment flag and
history kept); a plain `.save()` does none of that. Nothing is hard-deleted: rows carry
`is_active` and `deleted_at`, as enterprises and projects do, and pages show active rows only.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

SCORE = dict(max_digits=12, decimal_places=4)


class SoftDeletable(models.Model):
    is_active = models.BooleanField(_("active"), default=True, db_index=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    class Meta:
        abstract = True


def bilingual(obj, field: str, lang: str) -> str:
    """`obj.<field>_en` in English when set, else `obj.<field>_zh`."""
    if lang.startswith("en"):
        return getattr(obj, f"{field}_en") or getattr(obj, f"{field}_zh")
    return getattr(obj, f"{field}_zh") or getattr(obj, f"{field}_en")


# --- frameworks ------------------------------------------------------------------------------

class Framework(SoftDeletable):
    """One version of an assessment framework, loaded from a file and never changed afterwards.

    `definition` is the validated file; the dimension, question, option and level rows are made
    from it for forms, answers and SQL. Assessments point at the version they were scored with,
    so loading a new version never rewrites an old assessment's scores.
    """
    access_policy = "twintrack.diagnosis.access.FrameworkPolicy"

    key = models.CharField(_("key"), max_length=64, db_index=True)
    version = models.CharField(_("version"), max_length=32)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    description_zh = models.TextField(_("Chinese description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    source = models.TextField(_("source"), blank=True)
    method = models.CharField(_("scoring method"), max_length=16)
    scale_max = models.DecimalField(_("maximum score"), **SCORE)
    boundary = models.CharField(_("boundary rule"), max_length=20)
    definition = models.JSONField(_("definition"))
    checksum = models.CharField(max_length=64)
    is_current = models.BooleanField(_("current version"), default=False,
                                     help_text=_("new assessments use the current version of a framework"))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("loaded by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["key", "-loaded_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="framework_version")]
        verbose_name = _("assessment framework")
        verbose_name_plural = _("assessment frameworks")

    def __str__(self):
        return f"{self.name_zh} {self.version}"

    def display_name(self, lang: str) -> str:
        return bilingual(self, "name", lang)


class Dimension(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="dimensions")
    code = models.CharField(_("code"), max_length=32)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    description_zh = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    weight = models.DecimalField(_("weight"), **SCORE)
    max_score = models.DecimalField(_("maximum score"), **SCORE)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="dimension_code")]

    def __str__(self):
        return f"{self.code} {self.name_zh}"

    def display_name(self, lang: str) -> str:
        return bilingual(self, "name", lang)


class Question(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="questions")
    code = models.CharField(_("code"), max_length=32)
    text_zh = models.TextField()
    text_en = models.TextField()
    help_zh = models.TextField(blank=True)
    help_en = models.TextField(blank=True)
    weight = models.DecimalField(_("weight"), **SCORE)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["dimension__order", "order"]

    def __str__(self):
        return self.code


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="options")
    code = models.CharField(_("code"), max_length=32)
    text_zh = models.TextField()
    text_en = models.TextField()
    score = models.DecimalField(_("score"), **SCORE)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["question", "order"]

    def __str__(self):
        return f"{self.question.code}.{self.code}"


class Level(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="levels")
    number = models.PositiveSmallIntegerField(_("level"))  # 0: below the first band
    code = models.CharField(_("code"), max_length=32)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    description_zh = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    score_min = models.DecimalField(null=True, blank=True, **SCORE)
    score_max = models.DecimalField(null=True, blank=True, **SCORE)
    min_each_dimension = models.DecimalField(null=True, blank=True, **SCORE)

    class Meta:
        ordering = ["framework", "number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="level_number")]

    def __str__(self):
        return f"{self.code} {self.name_zh}"

    def display_name(self, lang: str) -> str:
        return bilingual(self, "name", lang)


# --- service providers ---------------------------------------------------------------------

class ServiceProvider(SoftDeletable):
    """A firm the bureau engages for offline diagnoses and solutions (its users: Membership.provider)."""
    access_policy = "twintrack.diagnosis.access.ServiceProviderPolicy"

    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    org = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("registered with"))
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")

    def __str__(self):
        return self.name_zh

    def display_name(self, lang: str) -> str:
        return bilingual(self, "name", lang)


class ProviderAssignment(SoftDeletable):
    """A provider assigned to diagnose and support one enterprise, from one date to another
    (an open end: until further notice)."""
    access_policy = "twintrack.diagnosis.access.ProviderAssignmentPolicy"

    provider = models.ForeignKey(ServiceProvider, on_delete=models.PROTECT, related_name="assignments",
                                 verbose_name=_("service provider"))
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT,
                                   related_name="provider_assignments", verbose_name=_("enterprise"))
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)  # planned: access through that day
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)  # ended by hand: access stops at once
    note = models.CharField(_("note"), max_length=300, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "id"]
        indexes = [models.Index(fields=["provider", "enterprise"])]
        verbose_name = _("provider assignment")

    def __str__(self):
        return f"{self.provider} -> {self.enterprise}"


# --- assessments --------------------------------------------------------------------------

class AssessmentKind(models.TextChoices):
    SELF = "self", _("Self-assessment")
    OFFLINE = "offline", _("Offline diagnosis")


class Stage(models.TextChoices):
    BASELINE = "baseline", _("Before support")
    FOLLOW_UP = "follow_up", _("After support")


class Assessment(SoftDeletable):
    access_policy = "twintrack.diagnosis.access.AssessmentPolicy"
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="assessments",
                                   verbose_name=_("enterprise"))
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments",
                                  verbose_name=_("framework"))
    framework_key = models.CharField(max_length=64, editable=False)  # compared across versions
    kind = models.CharField(_("kind"), max_length=16, choices=AssessmentKind.choices)
    provider = models.ForeignKey(ServiceProvider, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="assessments", verbose_name=_("service provider"))
    assessed_on = models.DateField(_("assessed on"))
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    overall_score = models.DecimalField(_("overall score"), **SCORE)
    level = models.PositiveSmallIntegerField(_("level"))
    level_code = models.CharField(max_length=32)
    summary = models.TextField(_("summary"), blank=True)
    pain_points = models.TextField(_("pain points"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    is_latest = models.BooleanField(default=False, editable=False)  # the enterprise's latest of this framework key
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [
            models.Index(fields=["framework_key", "is_latest"]),
            models.Index(fields=["enterprise", "framework_key", "assessed_on"]),
        ]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return f"{self.enterprise} {self.framework_key} {self.assessed_on}"


class DimensionScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="dimension_scores")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=32)
    score = models.DecimalField(**SCORE)

    class Meta:
        ordering = ["assessment", "dimension__order"]
        constraints = [models.UniqueConstraint(fields=["assessment", "dimension"], name="one_score_per_dimension")]
        indexes = [models.Index(fields=["code", "score"])]


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(**SCORE)

    class Meta:
        ordering = ["assessment", "question__dimension__order", "question__order"]
        constraints = [models.UniqueConstraint(fields=["assessment", "question"], name="one_answer_per_question")]


class DiagnosisReport(SoftDeletable):
    """A file attached to an offline diagnosis (the provider's report), kept in the database so
    that it is written and rolled back with the assessment and served only after an access check."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="reports")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]


# --- demonstrations -------------------------------------------------------------------------

class DemonstrationKind(models.TextChoices):
    FUTURE_FACTORY = "future_factory", _("Future factory")
    SMART_FACTORY = "smart_factory", _("Smart factory")
    DIGITAL_WORKSHOP = "digital_workshop", _("Digital workshop")
    SUBINDUSTRY = "subindustry", _("Sub-industry demonstration")
    LIGHTWEIGHT = "lightweight", _("Lightweight transformation benchmark")


class DemonstrationTier(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")


class DemonstrationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    DESIGNATED = "designated", _("Designated")
    NOT_DESIGNATED = "not_designated", _("Not designated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Demonstration(SoftDeletable):
    access_policy = "twintrack.diagnosis.access.DemonstrationPolicy"
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT,
                                   related_name="demonstrations", verbose_name=_("enterprise"))
    kind = models.CharField(_("kind"), max_length=20, choices=DemonstrationKind.choices)
    tier = models.CharField(_("tier"), max_length=12, choices=DemonstrationTier.choices)
    title_zh = models.CharField(_("Chinese title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    industry = models.ForeignKey("enterprises.IndustryCode", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("sub-industry"))
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=16, choices=DemonstrationStatus.choices,
                              default=DemonstrationStatus.NOMINATED)
    criteria = models.TextField(_("criteria"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    open_for_visits = models.BooleanField(_("open for visits"), default=False)
    visit_contact = models.CharField(_("visit contact"), max_length=200, blank=True)
    designated_on = models.DateField(_("designated on"), null=True, blank=True)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "industry", "id"]
        verbose_name = _("demonstration")
        verbose_name_plural = _("demonstrations")

    def __str__(self):
        return self.title_zh

    def display_title(self, lang: str) -> str:
        return bilingual(self, "title", lang)


# --- the solution catalogue ---------------------------------------------------------------

class SolutionKind(models.TextChoices):
    SAAS = "saas", _("Lightweight SaaS")
    RETROFIT = "retrofit", _("Equipment retrofit")
    PLATFORM = "platform", _("Industrial internet platform")
    CONSULTING = "consulting", _("Consulting and training")


class PriceBand(models.TextChoices):
    UNDER_50K = "a_under_50k", _("under 50,000 yuan")
    UNDER_200K = "b_50k_200k", _("50,000-200,000 yuan")
    UNDER_1M = "c_200k_1m", _("200,000-1,000,000 yuan")
    OVER_1M = "d_over_1m", _("over 1,000,000 yuan")


class Solution(SoftDeletable):
    """A provider's offer. `industries`: GB/T 4754 codes it is made for (a division, group or
    class; empty: any manufacturing); `dimensions`: the framework dimension codes it improves;
    `sizes`: enterprise sizes it suits (empty: any)."""
    access_policy = "twintrack.diagnosis.access.SolutionPolicy"

    provider = models.ForeignKey(ServiceProvider, on_delete=models.PROTECT, related_name="solutions",
                                 verbose_name=_("service provider"))
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=SolutionKind.choices)
    lightweight = models.BooleanField(_("lightweight"), default=True,
                                      help_text=_("small, fast, light and precise: counts as a lightweight "
                                                  "transformation when an SME completes it"))
    summary_zh = models.TextField(_("Chinese summary"), blank=True)
    summary_en = models.TextField(_("English summary"), blank=True)
    industries = models.JSONField(_("sub-industries"), default=list, blank=True)
    dimensions = models.JSONField(_("dimensions"), default=list, blank=True)
    sizes = models.JSONField(_("enterprise sizes"), default=list, blank=True)
    price_band = models.CharField(_("price band"), max_length=16, choices=PriceBand.choices)
    reference_customers = models.TextField(_("reference customers"), blank=True, help_text=_("one per line"))
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["provider__name_zh", "name_zh"]
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")

    def __str__(self):
        return self.name_zh

    def display_name(self, lang: str) -> str:
        return bilingual(self, "name", lang)

    def display_summary(self, lang: str) -> str:
        return bilingual(self, "summary", lang)

    def reference_list(self) -> list[str]:
        return [line.strip() for line in self.reference_customers.splitlines() if line.strip()]


class AdoptionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class SolutionAdoption(SoftDeletable):
    """An enterprise taking up a solution; completed lightweight ones by SMEs are the sub-industry
    view's "lightweight transformations completed"."""
    access_policy = "twintrack.diagnosis.access.SolutionAdoptionPolicy"

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT,
                                   related_name="solution_adoptions", verbose_name=_("enterprise"))
    solution = models.ForeignKey(Solution, on_delete=models.PROTECT, related_name="adoptions",
                                 verbose_name=_("solution"))
    status = models.CharField(_("status"), max_length=16, choices=AdoptionStatus.choices)
    started_on = models.DateField(_("started on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "id"]
        verbose_name = _("solution adoption")


# --- the bureau's setting --------------------------------------------------------------------

class CoverageSetting(models.Model):
    """What the coverage metric counts under a unit (the nearest unit above with a row wins;
    no row anywhere: the defaults)."""
    access_policy = "twintrack.diagnosis.access.CoverageSettingPolicy"

    org = models.OneToOneField("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("org unit"))
    framework_key = models.CharField(_("framework"), max_length=64, default="miit_sme_digital_2022")
    min_level = models.PositiveSmallIntegerField(_("lowest level counted"), default=2)
    valid_months = models.PositiveSmallIntegerField(
        _("assessments count for (months)"), null=True, blank=True,
        help_text=_("leave empty to count an enterprise's latest assessment however old"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("coverage setting")

    def __str__(self):
        return f"{self.org} {self.framework_key} >= {self.min_level}"
