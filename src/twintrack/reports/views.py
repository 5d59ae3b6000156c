"""The bulletins pages: a unit's published versions and their files, drafts from today's
data, and the bureau's publish form.

Thin: who sees a unit comes from `twintrack.orgs.access` (checked here, before any service
is called: `download` and `render_draft` do not check access), who publishes from
`may(user, "create", PublishedBulletin(org=...))` (reports.access), everything else from `twintrack.reports.publishing`.

Publishing requires the months January..M to be approved for the unit (by the unit or a
unit above it): a bureau publishes approved figures. The bureau may publish unapproved
figures by saying so on the form; the bulletin's reason then records it.
"""
from __future__ import annotations

import re
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from twintrack.display.language import active_lang
from twintrack.display.periods import Period, current_month, format_period, period_from_query, period_in_query, period_label, shift_month
from twintrack.metrics.pages import cache_per_session, depends_on
from twintrack.metrics.periods import default_period
from twintrack.orgs.access import get_visible_org_or_404, may, require, require_scope_root, visible_orgs
from twintrack.orgs.models import OrgUnit
from twintrack.reports.content import change_line
from twintrack.reports.models import BulletinFile, PublishedBulletin
from twintrack.reports.publishing import (
    BulletinDownload, NotAllowed, NothingChanged, PublishingError, bulletin_versions, download,
    publish_bulletin, render_draft, rendering, unapproved_months,
)
from twintrack.reports.render import FORMATS, LANGS

LANG_LABELS = {"zh": gettext_lazy("Chinese"), "en": gettext_lazy("English")}
FORMAT_LABELS = {"xlsx": "XLSX", "docx": "DOCX", "pdf": "PDF"}
EDITION_LANGUAGE = {"zh": "zh-hans", "en": "en"}  # the Django language of each edition


def month_ranges(year: int, months: list[int], lang: str) -> str:
    """[1, 2, 3, 6] -> '2023-01–2023-03, 2023-06' ('、' between ranges in Chinese)."""
    ranges: list[list[int]] = []
    for month in months:
        if ranges and ranges[-1][1] == month - 1:
            ranges[-1][1] = month
        else:
            ranges.append([month, month])
    texts = [f"{year:04d}-{a:02d}" if a == b else f"{year:04d}-{a:02d}–{year:04d}-{b:02d}" for a, b in ranges]
    return ("、" if lang == "zh" else ", ").join(texts)


# --- the publish form -------------------------------------------------------------------------

class PublishForm(forms.Form):
    lang = forms.ChoiceField(label=gettext_lazy("Language edition"), choices=list(LANG_LABELS.items()))
    reason = forms.CharField(
        label=gettext_lazy("Reason"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Printed in the bulletin. Required for a corrected version."))
    unapproved = forms.BooleanField(label=gettext_lazy("Publish unapproved figures"), required=False)
    force = forms.BooleanField(label=gettext_lazy("Publish even if no figure changed"), required=False)

    def __init__(self, *args, org: OrgUnit, year: int, month: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.org, self.year, self.month = org, year, month
        self.unapproved_list: list[int] = []

    def clean(self):
        data = super().clean()
        lang = data.get("lang")
        if lang is None:
            return data
        if (self.year, self.month) > current_month():
            raise forms.ValidationError(_("%(period)s has not begun yet.") % {
                "period": format_period(self.year, self.month)})
        reason = (data.get("reason") or "").strip()
        if not reason and bulletin_versions(self.org, self.year, self.month, lang).exists():
            self.add_error("reason", _("A corrected version needs a reason: it is printed in the bulletin."))
        self.unapproved_list = unapproved_months(self.org, self.year, self.month)
        if self.unapproved_list and not data.get("unapproved"):
            self.add_error("unapproved", _(
                "Not approved for %(unit)s: %(months)s. A bulletin publishes approved figures; approve the "
                "months first, or tick “Publish unapproved figures” (the bulletin's reason will say so).") % {
                "unit": self.org.display_name(active_lang()),
                "months": month_ranges(self.year, self.unapproved_list, active_lang())})
        return data

    def reason_to_publish(self) -> str:
        """The reason as typed, and a note in the edition's language if the figures are unapproved."""
        reason = (self.cleaned_data.get("reason") or "").strip()
        if not self.unapproved_list:
            return reason
        lang = self.cleaned_data["lang"]
        with translation.override(EDITION_LANGUAGE[lang]):
            note = _("Published with figures not yet approved for %(months)s.") % {
                "months": month_ranges(self.year, self.unapproved_list, lang)}
        if not reason:
            return note
        return reason.rstrip("。；;. ") + ("；" if lang == "zh" else "; ") + note


# --- helpers -------------------------------------------------------------------------------------

def _target(request: HttpRequest, code: str, period: Period) -> tuple[OrgUnit, int, int]:
    """The unit (404 unless the user sees it) and month of a URL."""
    return get_visible_org_or_404(request.user, code), period.year, period.month


def page_url(org: OrgUnit, year: int, month: int) -> str:
    return reverse("reports:bulletins") + "?" + urlencode({"org": org.code, "period": format_period(year, month)})


def attachment(stored: BulletinDownload, org: OrgUnit, lang: str, draft: bool = False) -> HttpResponse:
    """The bytes as they are, under a name a Chinese browser keeps: the unit's name and the
    stored file name (RFC 6266 `filename*`), with an ASCII fallback."""
    name = stored.name
    if draft:
        stem, _dot, extension = name.rpartition(".")
        name = f"{stem}-draft.{extension}"
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    shown = f"{org.display_name(lang)}-{name}"
    response = HttpResponse(stored.content, content_type=stored.content_type)
    response["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(shown, safe='')}"
    response["Content-Length"] = str(len(stored.content))
    response["X-Content-Type-Options"] = "nosniff"
    if stored.version is not None:
        response["X-Bulletin-Version"] = str(stored.version)
        response["X-Bulletin-SHA256"] = stored.sha256
    return response


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} kB"


def _page(request: HttpRequest, org: OrgUnit, year: int, month: int, form: PublishForm | None = None,
          status: int = 200) -> HttpResponse:
    request.menu_section = "reports:bulletins"  # the menu entry stays marked (web.context_processors)
    user = request.user
    lang = active_lang()
    period = format_period(year, month)
    versions = list(bulletin_versions(org, year, month))
    by_id = {v.id: v for v in versions}
    pending = rendering(list(by_id))
    files: dict[int, list[dict]] = {}
    for bulletin_id, fmt, size in (BulletinFile.objects.filter(bulletin_id__in=list(by_id))
                                   .values_list("bulletin_id", "format", "size")):
        v = by_id[bulletin_id]
        files.setdefault(bulletin_id, []).append({
            "order": FORMATS.index(fmt) if fmt in FORMATS else len(FORMATS),
            "label": FORMAT_LABELS.get(fmt, fmt), "size": _size(size),
            "url": reverse("reports:download", args=[org.code, period, v.lang, v.version, fmt]),
        })
    editions = []
    for code in LANGS:
        rows = []
        for v in reversed([v for v in versions if v.lang == code]):  # newest first
            rows.append({
                "version": v.version, "published_at": v.published_at,
                "publisher": v.publisher_name or _("(command line)"),
                "reason": v.reason, "previous": v.version - 1 if v.previous_id else None,
                "changes": [change_line(c, month, lang) for c in v.changes],
                "files": sorted(files.get(v.id, []), key=lambda entry: entry["order"]),
                "rendering": v.id in pending,
            })
        editions.append({"lang": code, "label": LANG_LABELS[code], "rows": rows})
    drafts = [{"lang": code, "label": LANG_LABELS[code],
               "links": [{"label": FORMAT_LABELS[fmt], "url": reverse("reports:draft", args=[org.code, period, code, fmt])}
                         for fmt in FORMATS]} for code in LANGS]
    can_publish = may(user, "create", PublishedBulletin(org=org))
    if can_publish and form is None:
        form = PublishForm(org=org, year=year, month=month, initial={"lang": lang})
    unapproved = unapproved_months(org, year, month)
    prev_year, prev_month = shift_month(year, month, -1)
    next_year, next_month = shift_month(year, month, 1)
    root = require_scope_root(user)
    units = [{"code": u.code, "name": u.display_name(lang), "indent": "\u3000" * (u.depth - root.depth),
              "selected": u.id == org.id} for u in visible_orgs(user).order_by("path")]
    return render(request, "reports/bulletins.html", {
        "org": org, "org_name": org.display_name(lang), "year": year, "month": month, "period": period,
        "period_label": period_label(year, month), "units": units, "editions": editions,
        "published": bool(versions), "drafts": drafts, "rendering": bool(pending), "can_publish": can_publish, "form": form,
        "unapproved": month_ranges(year, unapproved, lang) if unapproved else "",
        "prev_url": page_url(org, prev_year, prev_month),
        "next_url": page_url(org, next_year, next_month) if (next_year, next_month) <= current_month() else None,
        "dashboard_url": reverse("dashboard") + "?" + urlencode({"org": org.code, "period": period}),
        "publish_url": reverse("reports:publish", args=[org.code, period]),
    }, status=status)


# --- pages ---------------------------------------------------------------------------------------

@require_GET
@cache_per_session
@login_required
def bulletins(request: HttpRequest) -> HttpResponse:
    """?org=CODE&period=YYYY-MM; by default the user's top unit and the dashboard's month.
    Cached until the unit's version changes (of the month, when the query names it: later
    months' progress leaves it valid): publishing and a version's files bump it."""
    root = require_scope_root(request.user)
    code = request.GET.get("org", "").strip()
    org = get_visible_org_or_404(request.user, code) if code else root
    depends_on(request, [org], period=period_in_query(request))
    year, month = period_from_query(request, lambda: default_period(org))
    return _page(request, org, year, month)


@require_POST
@login_required
def publish(request: HttpRequest, code: str, period: Period) -> HttpResponse:
    """The bureau publishes: 404 for a unit the user does not see, 403 for anyone else who does."""
    org, year, month = _target(request, code, period)
    require(request.user, "create", PublishedBulletin(org=org))
    form = PublishForm(request.POST, org=org, year=year, month=month)
    if form.is_valid():
        lang = form.cleaned_data["lang"]
        previous = bulletin_versions(org, year, month, lang).last()
        try:
            bulletin = publish_bulletin(org, year, month, request.user, lang=lang,
                                        reason=form.reason_to_publish(), force=form.cleaned_data["force"])
        except NotAllowed:
            raise PermissionDenied from None
        except NothingChanged:
            form.add_error("force", _(
                "No figure has changed since version %(version)s (%(when)s): nothing to publish. Tick “Publish "
                "even if no figure changed” to publish a new version anyway, say to correct a name.") % {
                "version": previous.version if previous else "?",
                "when": timezone.localtime(previous.published_at).strftime("%Y-%m-%d %H:%M") if previous else ""})
        except PublishingError:
            form.add_error(None, _("Another version was published at the same moment. Look at the versions and "
                                   "publish again if needed."))
        else:
            messages.success(request, _("Version %(version)s of the %(edition)s bulletin of %(unit)s for "
                                        "%(period)s is published.") % {
                "version": bulletin.version, "edition": LANG_LABELS[lang],
                "unit": org.display_name(active_lang()), "period": period_label(year, month)})
            return redirect(page_url(org, year, month) + f"#{lang}-v{bulletin.version}")
    return _page(request, org, year, month, form)


@require_GET
@login_required
def download_file(request: HttpRequest, code: str, period: Period, lang: str, version: int, fmt: str) -> HttpResponse:
    """A published file's stored bytes, exactly as published."""
    org, year, month = _target(request, code, period)
    if lang not in LANGS or fmt not in FORMATS or version < 1:
        raise Http404("no such file")
    try:
        stored = download(org, year, month, fmt, lang, version)
    except (PublishingError, BulletinFile.DoesNotExist):
        raise Http404("not published") from None
    return attachment(stored, org, lang)


@require_GET
@login_required
def draft(request: HttpRequest, code: str, period: Period, lang: str, fmt: str) -> HttpResponse:
    """The bulletin rendered from today's data, marked in the document as an unpublished draft."""
    org, year, month = _target(request, code, period)
    if lang not in LANGS or fmt not in FORMATS:
        raise Http404("no such file")
    try:
        stored = render_draft(org, year, month, fmt, lang)
    except PublishingError:
        raise Http404("no such month") from None
    return attachment(stored, org, lang, draft=True)
