"""Publishing bulletins, listing their versions and downloading them: plain service
functions that the command line and the web pages call alike.

- publish_bulletin(org, year, month, user, lang="zh", reason="") freezes the bulletin as
  it stands now: its figures (the JSON), the coefficient versions they used and what changed
  against the previous version, and queues the job that renders its XLSX, DOCX and PDF
  files once, from that frozen JSON (render_files; the page says "rendering" until then).
- bulletin_versions(org, year, month, lang=None) lists the versions, oldest first.
- download(org, year, month, fmt, lang="zh", version=None) returns a published file's
  stored bytes: the latest version unless one is named. Later corrections to the data
  never reach a published file; they reach the next version.
- current_bulletin(...) is what a page offers for "any unit and month": the latest
  published file if there is one, else a draft rendered from today's data.
- unapproved_months(org, year, month) names the months of January..month not yet approved
  for the unit: the bulletins page refuses to publish them unless the bureau says so
  (twintrack.reports.views); the command line, run by the server's operator, warns.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from twintrack.display.labels import metric_keys
from twintrack.display.periods import format_period
from twintrack.jobs.models import Job
from twintrack.jobs.services import fail_lost_jobs, start_job, unfinished
from twintrack.metrics import version
from twintrack.notify.services import notify_bulletin
from twintrack.orgs.access import may
from twintrack.orgs.models import OrgUnit
from twintrack.reports.bulletin import bulletin_data
from twintrack.reports.models import BulletinFile, PublishedBulletin
from twintrack.reports.render import CONTENT_TYPES, FORMATS, LANGS, file_name, render, render_all

FIELDS = ("actual", "target", "annual_target")


class PublishingError(Exception):
    """The bulletin cannot be published or downloaded as asked (a user's mistake, not a fault)."""


class NotAllowed(PublishingError):
    pass


class NothingChanged(PublishingError):
    pass


class NotPublished(PublishingError):
    pass


class NotRendered(PublishingError):
    """Published, but its files are still being rendered by the worker."""


@dataclass(frozen=True)
class BulletinDownload:
    name: str
    content_type: str
    content: bytes
    version: int | None  # None: an unpublished draft
    published_at: datetime | None
    sha256: str


# --- who may publish ---------------------------------------------------------------------

def may_publish(user, org: OrgUnit) -> bool:
    """Bureau officers (and superusers) publish for the units they see (reports.access)."""
    return may(user, "create", PublishedBulletin(org=org))


def unapproved_months(org: OrgUnit, year: int, month: int) -> list[int]:
    """The months 1..`month` of `year` that are not approved for `org`, by the unit itself or
    a unit above it (an approval covers the unit's whole subtree: the approvals app approves
    a unit only once every unit below it is approved). A bulletin for January..month shows
    every one of them."""
    from twintrack.approvals.services import locked_months_for

    locked = locked_months_for([org.id], [year])
    return [m for m in range(1, month + 1) if (org.id, year, m) not in locked]


# --- what changed ---------------------------------------------------------------------------

def _units(data: dict) -> dict[str, dict]:
    report = data["report"]
    units = {report["org"]["code"]: report}
    units.update({c["org"]["code"]: c for c in report["children"]})
    return units


def _same(old, new) -> bool:
    if old is None or new is None:
        return old is None and new is None
    return abs(float(old) - float(new)) <= 1e-9 * max(1.0, abs(float(old)), abs(float(new)))


def diff_figures(old: dict, new: dict) -> list[dict]:
    """The figures that differ between two bulletin JSONs: for each unit (the bulletin's
    own first, then its children by code) and metric, the actual, target and annual
    target, old -> new. A unit that appears or disappears is one change of field "unit".
    A metric absent from the old JSON (added to the platform since) counts as a change
    only where the new one has a non-zero figure."""
    old_units, new_units = _units(old), _units(new)
    own = new["report"]["org"]["code"]
    order = [own] + sorted((set(old_units) | set(new_units)) - {own})
    changes = []
    for code in order:
        before, after = old_units.get(code), new_units.get(code)
        if before is None or after is None:
            org = (after or before)["org"]
            changes.append({"org": org, "metric": None, "field": "unit",
                            "old": before and before["org"], "new": after and after["org"]})
            continue
        metrics = metric_keys(after) + [
            m for m in metric_keys(before) if m not in after["metrics"]]
        for metric in metrics:
            old_block, new_block = before["metrics"].get(metric), after["metrics"].get(metric)
            for field in FIELDS:
                o = None if old_block is None else old_block.get(field)
                n = None if new_block is None else new_block.get(field)
                if old_block is None and not n:
                    continue
                if not _same(o, n):
                    changes.append({"org": after["org"], "metric": metric, "field": field, "old": o, "new": n})
    return changes


# --- publishing --------------------------------------------------------------------------------

def _check(year: int, month: int, lang: str) -> None:
    if lang not in LANGS:
        raise PublishingError(f"language {lang!r}: one of {', '.join(LANGS)}")
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise PublishingError(f"{year}-{month:02d} is not a month")


def publish_bulletin(org: OrgUnit, year: int, month: int, user=None, lang: str = "zh", reason: str = "",
                     force: bool = False, now: datetime | None = None) -> PublishedBulletin:
    """Publish the bulletin of `org` for January..`month` of `year` in `lang`.

    The first publication is version 1; a later one is a corrected version that lists
    what changed against the one before. Publishing again when no figure changed is
    refused (NothingChanged) unless `force` (say, to fix a typo in a unit's name).
    `user` None is the command line run by the server's operator; otherwise the user
    must be a bureau officer who sees the unit (NotAllowed).
    """
    _check(year, month, lang)
    if user is not None and not may_publish(user, org):
        raise NotAllowed(f"{user} may not publish bulletins for {org.code}")
    data = bulletin_data(org, year, month)
    published_at = (now or timezone.now()).replace(microsecond=0)
    try:
        with transaction.atomic():
            previous = (PublishedBulletin.objects.select_for_update()
                        .filter(org=org, year=year, month=month, lang=lang).order_by("-version").first())
            changes = diff_figures(previous.data, data) if previous else []
            if previous and not changes and not force:
                raise NothingChanged(
                    f"no figure of {org.code} {year}-{month:02d} changed since version {previous.version} "
                    f"({timezone.localtime(previous.published_at):%Y-%m-%d %H:%M}); nothing to publish")
            bulletin = PublishedBulletin(
                org=org, year=year, month=month, lang=lang, version=previous.version + 1 if previous else 1,
                published_at=published_at, published_by=user, publisher_name=getattr(user, "username", "") or "",
                reason=reason.strip(), data=data, coefficients=data.get("coefficients") or {}, changes=changes,
                previous=previous,
            )
            bulletin.save()
            version.bump([org.id])  # frozen rows leave no history record: the bulletins page's version
            start_rendering(bulletin, user)
            notify_bulletin(bulletin, user)
    except IntegrityError:
        raise PublishingError(f"another version of {org.code} {year}-{month:02d} was published at the same moment; "
                              "look at the versions and publish again if needed") from None
    return bulletin


def start_rendering(bulletin: PublishedBulletin, user=None):
    """Queue the job rendering the version's files (in the caller's transaction)."""
    from twintrack.reports.tasks import RENDER, render_bulletin

    return start_job(render_bulletin, kind=RENDER, user=user, org=bulletin.org, subject=str(bulletin.pk),
                     title=f"{bulletin.org.code} {bulletin.period} {bulletin.lang} v{bulletin.version}")


def rendering(bulletin_ids: list[int]) -> set[int]:
    """The versions among these whose files are not all stored yet; a version with neither its
    files nor a job on its way gets a new job (its last one was lost with its worker)."""
    from twintrack.reports.tasks import RENDER

    stored: dict[int, int] = {}
    for bulletin_id in BulletinFile.objects.filter(bulletin_id__in=bulletin_ids).values_list("bulletin_id", flat=True):
        stored[bulletin_id] = stored.get(bulletin_id, 0) + 1
    missing = {pk for pk in bulletin_ids if stored.get(pk, 0) < len(FORMATS)}
    if missing:
        fail_lost_jobs()
        on_the_way = set(unfinished(Job.objects.filter(kind=RENDER, subject__in=[str(pk) for pk in missing]))
                         .values_list("subject", flat=True))
        for bulletin in PublishedBulletin.objects.filter(pk__in=missing).defer("data").select_related("org"):
            if str(bulletin.pk) not in on_the_way:
                start_rendering(bulletin)
    return missing


def render_files(bulletin: PublishedBulletin) -> list[BulletinFile]:
    """Render and store the version's missing files from its frozen figures, all in one transaction."""
    have = set(bulletin.files.values_list("format", flat=True))
    wanted = tuple(fmt for fmt in FORMATS if fmt not in have)
    if not wanted:
        return list(bulletin.files.order_by("format"))
    period = format_period(bulletin.year, bulletin.month)
    contents = render_all(bulletin.data, bulletin.lang, bulletin.edition(), formats=wanted)
    try:
        with transaction.atomic():
            for fmt, content in contents.items():
                BulletinFile(bulletin=bulletin, format=fmt,
                             name=file_name(bulletin.org.code, period, bulletin.lang, fmt, bulletin.version),
                             content_type=CONTENT_TYPES[fmt], content=content, size=len(content),
                             sha256=hashlib.sha256(content).hexdigest()).save()
            version.bump([bulletin.org_id])
    except IntegrityError:
        pass  # another job stored them at the same moment: the same bytes
    return list(bulletin.files.order_by("format"))


def bulletin_versions(org: OrgUnit, year: int, month: int, lang: str | None = None):
    """The published versions, oldest first (their files' bytes are not loaded)."""
    versions = PublishedBulletin.objects.filter(org=org, year=year, month=month)
    if lang:
        versions = versions.filter(lang=lang)
    return versions.order_by("lang", "version").defer("data")


def _stored(bulletin: PublishedBulletin, fmt: str) -> BulletinDownload:
    stored = BulletinFile.objects.filter(bulletin=bulletin, format=fmt).first()
    if stored is None:
        raise NotRendered(f"version {bulletin.version} of {bulletin.org_id} {bulletin.period}: its {fmt} file is "
                          "still being rendered")
    return BulletinDownload(stored.name, stored.content_type, bytes(stored.content), bulletin.version,
                            bulletin.published_at, stored.sha256)


def download(org: OrgUnit, year: int, month: int, fmt: str, lang: str = "zh",
             version: int | None = None) -> BulletinDownload:
    """A published file exactly as it was published (NotPublished if there is none)."""
    _check(year, month, lang)
    if fmt not in FORMATS:
        raise PublishingError(f"format {fmt!r}: one of {', '.join(FORMATS)}")
    versions = PublishedBulletin.objects.filter(org=org, year=year, month=month, lang=lang).defer("data")
    bulletin = versions.filter(version=version).first() if version else versions.order_by("-version").first()
    if bulletin is None:
        which = f"version {version} of " if version else ""
        raise NotPublished(f"{which}the {lang} bulletin of {org.code} {year}-{month:02d} has not been published")
    return _stored(bulletin, fmt)


def render_draft(org: OrgUnit, year: int, month: int, fmt: str, lang: str = "zh",
                 generated: date | None = None) -> BulletinDownload:
    """The bulletin rendered from today's data, marked as an unpublished draft."""
    _check(year, month, lang)
    if fmt not in FORMATS:
        raise PublishingError(f"format {fmt!r}: one of {', '.join(FORMATS)}")
    content = render(bulletin_data(org, year, month), fmt, lang, None, generated or timezone.localdate())
    return BulletinDownload(file_name(org.code, format_period(year, month), lang, fmt), CONTENT_TYPES[fmt], content,
                            None, None, hashlib.sha256(content).hexdigest())


def current_bulletin(org: OrgUnit, year: int, month: int, fmt: str, lang: str = "zh") -> BulletinDownload:
    """The latest published version's file if there is one, else a draft rendered now."""
    try:
        return download(org, year, month, fmt, lang)
    except NotPublished:
        return render_draft(org, year, month, fmt, lang)
