"""Org units: a tree of provinces, cities, districts, counties, county-level cities and zones.

The tree is stored twice: as a parent link (the truth) and as a materialised path of ids
("/1/4/17/") so that "everything under this unit" is one indexed prefix query and
"every unit above this one" needs no query at all.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OrgKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    COUNTY = "county", _("County")
    COUNTY_CITY = "county_city", _("County-level city")
    ZONE = "zone", _("Functional zone")


ORG_KIND_ZH = {
    "province": "省",
    "city": "市",
    "district": "区",
    "county": "县",
    "county_city": "县级市",
    "zone": "功能区",
}


class OrgUnit(models.Model):
    access_policy = "twintrack.orgs.access.OrgUnitPolicy"
    code = models.CharField(_("code"), max_length=32, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")

    def __str__(self):
        return f"{self.name_zh} ({self.code})"

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this unit, inclusive."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def subtree(self):
        return OrgUnit.objects.filter(path__startswith=self.path)

    def is_ancestor_of(self, other: "OrgUnit") -> bool:
        return other.path.startswith(self.path)

    def display_name(self, lang: str) -> str:
        if lang.startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class Role(models.TextChoices):
    BUREAU = "bureau", _("Bureau")
    DISTRICT = "district", _("District officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    ENTERPRISE = "enterprise", _("Enterprise")
    PROVIDER = "provider", _("Service provider")


class Membership(models.Model):
    """What a user is in the programme: a role tied to an org unit or an enterprise."""
    access_policy = "twintrack.orgs.access.MembershipPolicy"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    org = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("org unit"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("enterprise"),
    )
    provider = models.ForeignKey(
        "diagnosis.ServiceProvider", null=True, blank=True, on_delete=models.PROTECT, related_name="members",
        verbose_name=_("service provider"),
    )
    language = models.CharField(_("language"), max_length=16, blank=True)  # '' = the browser's choice
    # Set when someone else chose the password (a new account, a reset):
    # the user must choose their own before anything else.
    password_change_required = models.BooleanField(_("must change password"), default=False)
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.user} {self.role}"


class AccessToken(models.Model):
    """A personal access token for the HTTP API (contract section 6): it acts with exactly its
    user's scope. Only the SHA-256 of the secret is kept, with a short prefix to recognise it;
    the value is shown once, when it is created (`twintrack.orgs.tokens`)."""
    access_policy = "twintrack.orgs.access.AccessTokenPolicy"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens",
                             verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, db_index=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    can_write = models.BooleanField(_("may write"), default=False)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["digest", "last_used_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")

    def __str__(self):
        return f"{self.prefix}… {self.name}"
