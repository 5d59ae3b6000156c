"""The data quality pages (data contract section 5): a unit's month (completeness by unit
with the missing projects, timeliness, findings with filters, confirmation, XLSX export)
and the bureau's rules. Thin: figures from twintrack.quality, access from orgs.access."""
from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from twintrack.display.amounts import percent_number
from twintrack.display.language import active_lang
from twintrack.display.periods import current_month, format_period, period_from_query, period_in_query, shift_month
from twintrack.metrics.pages import cache_per_session, depends_on
from twintrack.metrics.periods import default_period
from twintrack.orgs.access import get_visible_org_or_404, get_visible_or_404, may, require, require_scope_root
from twintrack.programme.models import Project
from twintrack.quality.evaluate import Scope, findings_for
from twintrack.quality.models import QualityRule, ReviewStatus
from twintrack.quality.services import (QualityRefused, confirm_finding, deadline_day, quality_page, quality_view,
                                        set_deadline_day, set_rule, timeliness_for)
from twintrack.quality.warnings import describe
from twintrack.documents.xlsx_safe import safe_row
from twintrack.web import listing
from twintrack.web.views_registry import xlsx_response

MISSING_SHOWN = 200


def _period(request, org=None) -> tuple[int, int]:
    """The month asked for; by default the unit's latest month with figures, as the dashboard."""
    if org is None:
        return period_from_query(request, lambda: shift_month(*current_month(), -1))
    return period_from_query(request, lambda: default_period(org))


def _org(request):
    root = require_scope_root(request.user)
    code = (request.GET.get("org") or request.POST.get("org") or "").strip()
    return get_visible_org_or_404(request.user, code) if code else root


def _filtered(findings, request):
    rule, status, unit = (request.GET.get(k, "").strip() for k in ("rule", "status", "unit"))
    return [f for f in findings if (not rule or f.rule == rule) and (not status or f.status == status)
            and (not unit or f.org == unit)]


def quality_url(org_code: str, period: str, **extra) -> str:
    return reverse("quality") + "?" + urlencode({"org": org_code, "period": period, **extra})


@require_GET
@cache_per_session
@login_required
def quality(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    depends_on(request, [org], period=period_in_query(request))
    year, month = _period(request, org)
    lang = active_lang()
    view = quality_page(org, year, month, MISSING_SHOWN)
    period = format_period(year, month)
    timeliness = {t.org.id: t for t in timeliness_for(org, year, month)}
    listed = _filtered(view.findings, request)
    page = listing.page_of(listed, request.GET.get("page"))  # a province's month has thousands
    findings = list(page.object_list)
    projects = dict(Project.objects.filter(id__in={f.project_id for f in findings}).values_list("id", "pk"))
    shown_missing = [code for code, _org in view.missing]
    missing_pks = dict(Project.objects.filter(code__in=shown_missing).values_list("code", "pk"))
    editable = bool(findings) and may(request.user, "change", Project.objects.get(pk=findings[0].project_id))
    rules = {r.key: r for r in QualityRule.objects.all()}
    prev_year, prev_month = shift_month(year, month, -1)
    next_year, next_month = shift_month(year, month, 1)
    return render(request, "web/quality.html", {
        "org": org, "org_name": org.display_name(lang), "period": period, "view": view,
        "completeness": view.completeness, "open_count": view.open_findings(),
        "own_timeliness": timeliness.get(org.id),
        "children": [{"org": child, "name": child.display_name(lang), "counts": counts, "findings": count,
                      "timeliness": timeliness.get(child.id), "url": quality_url(child.code, period)}
                     for child, counts, count in view.children],
        "missing": [{"code": code, "pk": missing_pks.get(code)} for code in shown_missing],
        "missing_total": view.missing_total,
        "findings": [{"f": f, "reason": describe(f), "pk": projects.get(f.project_id),
                      "rule_name": rules[f.rule].name(lang) if f.rule in rules else f.rule} for f in findings],
        "findings_total": len(view.findings), "editable": editable,
        "page": page, "query": listing.query_without_page(request.GET),
        "rules": [(key, rule.name(lang)) for key, rule in rules.items()],
        "statuses": ReviewStatus.choices, "filters": {k: request.GET.get(k, "") for k in ("rule", "status", "unit")},
        "parent_url": quality_url(org.parent.code, period) if org.parent_id and org != require_scope_root(request.user)
        else None,
        "prev": format_period(prev_year, prev_month), "next": format_period(next_year, next_month),
        "export_url": reverse("quality_export") + "?" + urlencode({"org": org.code, "period": period}),
        "deadline_day": deadline_day(),
    })


def quality_workbook(view, timeliness, lang: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Completeness")[:31]
    sheet.append(safe_row([_("Unit"), _("Code"), _("Expected"), _("Reported"), _("Completeness (%)"),
                           _("Findings"), _("Timeliness")], sheet))
    times = {t.org.id: t for t in timeliness}
    units = [(view.org, view.completeness, len(view.findings)), *view.children]
    for unit, counts, count in units:
        row = times.get(unit.id)
        sheet.append(safe_row([unit.display_name(lang), unit.code, counts.expected, counts.reported,
                               "" if counts.rate is None else percent_number(counts.rate), count, str(row.label) if row else ""], sheet))
    missing = book.create_sheet(_("Not reported")[:31])
    missing.append(safe_row([_("Project code")], missing))
    for code, _org in view.missing:
        missing.append(safe_row([code], missing))
    sheet = book.create_sheet(_("Findings")[:31])
    sheet.append(safe_row([_("Rule"), _("Project code"), _("Unit"), _("Month"), _("Value"), _("Threshold"),
                           _("Status"), _("Reason"), _("Comment"), _("Confirmed by"), _("Confirmed at")], sheet))
    for f in view.findings:
        review = f.review
        sheet.append(safe_row([f.rule, f.project, f.org, f.period, float(f.value),
                               None if f.threshold is None else float(f.threshold), str(ReviewStatus(f.status).label),
                               describe(f), review.comment if review else "",
                               review.reviewed_by.get_username() if review and review.reviewed_by else "",
                               review.reviewed_at.strftime("%Y-%m-%d %H:%M") if review else ""], sheet))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@require_GET
@login_required
def quality_export(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    year, month = _period(request, org)
    view = quality_view(org, year, month)
    content = quality_workbook(view, timeliness_for(org, year, month), active_lang())
    return xlsx_response(content, f"quality-{org.code}-{format_period(year, month)}.xlsx")


@require_POST
@login_required
def quality_confirm(request: HttpRequest) -> HttpResponse:
    """Confirm one finding: the figure is right (who may change the project, with a comment)."""
    project = get_visible_or_404(request.user, Project, code=(request.POST.get("project") or "").strip())
    require(request.user, "change", project)
    year, month = _period(request)
    rule = (request.POST.get("rule") or "").strip()
    finding = next((f for f in findings_for(year, month, Scope("", (project.id,))) if f.rule == rule), None)
    back = request.POST.get("next") or ""
    if finding is None:
        messages.error(request, _("This figure no longer breaks the rule: nothing to confirm."))
    else:
        try:
            confirm_finding(finding, request.user, request.POST.get("comment", ""))
            messages.success(request, _("Finding %(rule)s on %(project)s %(period)s confirmed.") % {
                "rule": rule, "project": project.code, "period": finding.period})
        except QualityRefused as refused:
            messages.error(request, refused.message)
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect(quality_url(project.enterprise.org.code, format_period(year, month)))


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal((text or "").strip())
    except InvalidOperation:
        return None


@require_http_methods(["GET", "POST"])
@login_required
def quality_rules(request: HttpRequest) -> HttpResponse:
    """The bureau's thresholds, switches and deadline day; every change is kept in the history."""
    require(request.user, "view", QualityRule)
    rules = list(QualityRule.objects.order_by("key"))
    if request.method == "POST":
        try:
            for rule in rules:
                threshold = _decimal(request.POST.get(f"threshold_{rule.key}", str(rule.threshold)))
                enabled = request.POST.get(f"enabled_{rule.key}") == "on"
                if threshold != rule.threshold or enabled != rule.enabled:
                    set_rule(rule, threshold, enabled, request.user)
            day = (request.POST.get("deadline_day") or "").strip()
            if day and int(day) != deadline_day():
                set_deadline_day(int(day), request.user)
            messages.success(request, _("The data quality rules were saved."))
        except (QualityRefused, ValueError) as refused:
            messages.error(request, getattr(refused, "message", _("The deadline day must be a number.")))
        return redirect("quality_rules")
    lang = active_lang()
    return render(request, "web/quality_rules.html", {
        "rules": [{"rule": r, "name": r.name(lang), "explanation": r.explanation(lang),
                   "history": list(r.history.order_by("-history_date")[:5])} for r in rules],
        "deadline_day": deadline_day(),
    })
