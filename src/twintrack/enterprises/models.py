from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class IndustryCode(models.Model):
    """GB/T 4754-2017 section C (manufacturing): divisions, groups and classes."""

    code = models.CharField(max_length=4, primary_key=True)
    level = models.CharField(max_length=8)  # division | group | class
    name_zh = models.CharField(max_length=100)
    name_en = models.CharField(max_length=200, blank=True)
    parent_code = models.CharField(max_length=4)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name_zh}"

    @property
    def division(self) -> str:
        return self.code[:2]


class Size(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


SIZE_ZH = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}


class Enterprise(models.Model):
    access_policy = "twintrack.enterprises.access.EnterprisePolicy"
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    org = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="enterprises",
                            verbose_name=_("org unit"))
    industry = models.ForeignKey(IndustryCode, on_delete=models.PROTECT, verbose_name=_("industry"))
    size = models.CharField(_("size"), max_length=8, choices=Size.choices, blank=True)
    above_scale = models.BooleanField(_("above designated size"), null=True, blank=True)
    # Nothing is hard-deleted: a deleted enterprise is deactivated (see programme/lifecycle.py).
    is_active = models.BooleanField(_("active"), default=True, db_default=True, db_index=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uscc"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self):
        return self.name_zh

    def display_name(self, lang: str) -> str:
        if lang.startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh
