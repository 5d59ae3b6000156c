"""Published bulletins: frozen snapshots, never changed and never deleted.

A PublishedBulletin is one version of the bulletin of one unit, month and language: the
figures it showed (the JSON it was rendered from, including the coefficient versions),
what changed against the version before, and its files. The files are stored as bytes
in the database (BulletinFile.content), not as files under a media directory:

- publishing is one transaction: a version exists with all its files or not at all, and
  a database backup holds the bulletins with the figures they describe;
- the application stays stateless behind a load balancer (the design's scale path) with
  no shared disk to mount, back up and keep in step with the database;
- the files are small (a PDF of a city bulletin is about 0.6 MB, DOCX 0.2 MB, XLSX 20 kB)
  and few (units x 12 months x versions); PostgreSQL stores them out of line (TOAST).

Rows refuse to be updated or deleted, one by one or in bulk: a correction is a new
version.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from twintrack.display.periods import format_period


class FrozenError(Exception):
    """A published bulletin or its file was about to be changed or deleted."""


class FrozenQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise FrozenError("published bulletins are frozen: publish a new version instead")

    def delete(self):
        raise FrozenError("published bulletins are never deleted")


class Frozen(models.Model):
    objects = FrozenQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise FrozenError("published bulletins are frozen: publish a new version instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenError("published bulletins are never deleted")


class PublishedBulletin(Frozen):
    access_policy = "twintrack.reports.access.PublishedBulletinPolicy"
    org = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("org unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    lang = models.CharField(_("language"), max_length=8)
    version = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("published by"))
    publisher_name = models.CharField(_("publisher"), max_length=150, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("figures"))
    coefficients = models.JSONField(_("coefficient versions"), default=dict)
    changes = models.JSONField(_("changes against the previous version"), default=list)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("previous version"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "month", "lang", "version"], name="bulletin_version_key"),
        ]
        ordering = ["org_id", "year", "month", "lang", "version"]
        verbose_name = _("published bulletin")
        verbose_name_plural = _("published bulletins")

    def __str__(self):
        return f"{self.org_id} {self.period} {self.lang} v{self.version}"

    @property
    def period(self) -> str:
        return format_period(self.year, self.month)

    def edition(self) -> dict:
        """What the documents say about this version (see reports.content)."""
        from django.utils import timezone

        previous = None
        if self.previous_id:
            prev = PublishedBulletin.objects.only("version", "published_at").get(id=self.previous_id)
            previous = {"version": prev.version,
                        "published_at": timezone.localtime(prev.published_at).isoformat(timespec="seconds")}
        return {"version": self.version,
                "published_at": timezone.localtime(self.published_at).isoformat(timespec="seconds"),
                "reason": self.reason, "changes": self.changes, "previous": previous}


class BulletinFile(Frozen):
    bulletin = models.ForeignKey(PublishedBulletin, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=8)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bulletin", "format"], name="bulletin_file_key")]
        ordering = ["bulletin_id", "format"]

    def __str__(self):
        return self.name
