"""Figures: the report and the data-quality view exactly as the command line prints them
(`twintrack report --format json`, `twintrack quality --format json`), and the published
bulletins with their stored bytes."""
from __future__ import annotations

import json
from typing import Literal

from django.http import Http404, HttpResponse
from django.urls import reverse
from ninja import Query, Router

from twintrack.api.paging import Paging, page_of, period_of
from twintrack.api.problems import READ_ERRORS
from twintrack.api.schemas import BulletinPage, Text
from twintrack.display.periods import format_period
from twintrack.metrics.pages import depends_on, storable
from twintrack.metrics.version import cached
from twintrack.orgs.access import get_visible_org_or_404
from twintrack.quality.services import quality_view
from twintrack.reports.build import build_report
from twintrack.reports.models import BulletinFile, PublishedBulletin
from twintrack.reports.publishing import PublishingError, bulletin_versions, download
from twintrack.reports.views import attachment

router = Router(tags=["figures"])

JSON = "application/json"
Lang = Literal["zh", "en"]
Format = Literal["xlsx", "docx", "pdf"]


def report_json(org, year: int, month: int, approved_only: bool) -> str:
    """The CLI's JSON (without its indentation), computed once per version of the unit's subtree."""
    key = f"api-report:{org.pk}:{year}-{month}:{int(approved_only)}"
    return cached(key, lambda: json.dumps(build_report(org, year, month, approved_only=approved_only),
                                          ensure_ascii=False), [org], period=(year, month))


@router.get("/reports/{org}/{period}", response={200: dict, **READ_ERRORS},
            summary="The report of contract section 3 (as `twintrack report --format json`)")
def report(request, org: Text, period: Text, approved_only: bool = False):
    unit = get_visible_org_or_404(request.user, org)
    year, month = period_of(period)
    depends_on(request, [unit], top_bar=False, period=(year, month))
    return storable(HttpResponse(report_json(unit, year, month, approved_only), content_type=JSON))


@router.get("/quality/{org}/{period}", response={200: dict, **READ_ERRORS},
            summary="Data quality of contract section 5 (as `twintrack quality --format json`)")
def quality(request, org: Text, period: Text):
    unit = get_visible_org_or_404(request.user, org)
    year, month = period_of(period)
    depends_on(request, [unit], top_bar=False, period=(year, month))
    return storable(HttpResponse(json.dumps(quality_view(unit, year, month).as_json(), ensure_ascii=False),
                                 content_type=JSON))


def _bulletin_out(request, org, bulletin: PublishedBulletin, files: list[tuple[str, int, str]]) -> dict:
    period = format_period(bulletin.year, bulletin.month)
    return {
        "org": org.code, "period": period, "lang": bulletin.lang, "version": bulletin.version,
        "published_at": bulletin.published_at, "publisher": bulletin.publisher_name, "reason": bulletin.reason,
        "changes": bulletin.changes,
        "files": [{"format": fmt, "size": size, "sha256": sha, "url": request.build_absolute_uri(
            reverse("api:bulletin_file", args=[org.code, period, bulletin.version, fmt]) + f"?lang={bulletin.lang}")}
            for fmt, size, sha in files],
    }


@router.get("/bulletins/{org}/{period}", response={200: BulletinPage, **READ_ERRORS},
            summary="The published versions of a unit's bulletin")
def bulletins(request, org: Text, period: Text, paging: Query[Paging], lang: Lang | None = None):
    unit = get_visible_org_or_404(request.user, org)
    year, month = period_of(period)
    versions = bulletin_versions(unit, year, month, lang)
    page = page_of(request, versions, paging, lambda b: b)
    files: dict[int, list] = {}
    for bulletin_id, fmt, size, sha in (BulletinFile.objects.filter(bulletin__in=[b.pk for b in page["results"]])
                                        .order_by("format").values_list("bulletin_id", "format", "size", "sha256")):
        files.setdefault(bulletin_id, []).append((fmt, size, sha))
    page["results"] = [_bulletin_out(request, unit, b, files.get(b.pk, [])) for b in page["results"]]
    return page


@router.get("/bulletins/{org}/{period}/{version}/{fmt}", response={200: None, **READ_ERRORS},
            url_name="bulletin_file", summary="A published file's stored bytes, as published")
def bulletin_file(request, org: Text, period: Text, version: int, fmt: Format, lang: Lang = "zh"):
    unit = get_visible_org_or_404(request.user, org)
    year, month = period_of(period)
    if version < 1:
        raise Http404
    try:
        stored = download(unit, year, month, fmt, lang, version)
    except (PublishingError, BulletinFile.DoesNotExist):
        raise Http404 from None
    return attachment(stored, unit, lang)
