"""Units, enterprises, projects, monthly progress and history pages. Thin: the rules are in
`twintrack.orgs.access` (what a user sees and changes), `web.listing` (filters),
`web.formrows` (a form is an import row), `programme.lifecycle` (deactivation)."""
from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from twintrack.approvals.models import MonthApproval
from twintrack.approvals.services import ApprovalRefused, locked_months_for
from twintrack.display.amounts import format_amount
from twintrack.display.language import active_lang
from twintrack.display.periods import MONTH_ABBREVIATIONS, MONTH_NAMES, current_month, format_period, year_from_query
from twintrack.enterprises.models import Enterprise, Size
from twintrack.metrics.pages import cache_per_session, depends_on
from twintrack.metrics.periods import default_period
from twintrack.metrics.rules import METRICS
from twintrack.orgs.access import (
    get_visible_or_404, get_visible_org_or_404, may, require, require_scope_root, visible, visible_ancestors,
    visible_orgs,
)
from twintrack.orgs.models import OrgUnit
from twintrack.programme import lifecycle
from twintrack.programme.models import Progress, Project, ProjectKind, ProjectStatus, Target
from twintrack.web import listing
from twintrack.web.exports import enterprises_xlsx, projects_xlsx
from twintrack.web.formrows import write_rows
from twintrack.web.history import HISTORY_MODELS, KIND_LABELS, history_entries, record_title, removed_months

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- org units and their targets ----------------------------------------------------------

def targets_grid(org: OrgUnit, year: int) -> list[dict]:
    """Per metric: the unit's own cumulative targets for months 1..12 (None where not set)."""
    values = {(t.metric, t.through_month): t for t in Target.objects.filter(org=org, year=year)}
    lang = active_lang()
    return [{"key": m.key, "label": m.label_en if lang == "en" else m.label_zh,
             "cells": [{"month": month, "target": values.get((m.key, month)),
                        "text": format_amount(m.key, values[(m.key, month)].value, lang, short=True)
                        if (m.key, month) in values else ""} for month in range(1, 13)]}
            for m in METRICS]


@require_GET
@login_required
def orgunit_list(request: HttpRequest) -> HttpResponse:
    root = require_scope_root(request.user)
    year = year_from_query(request, lambda: default_period(root).year)
    units = list(visible_orgs(request.user).order_by("path"))
    annual = {(t.org_id, t.metric): t.value for t in Target.objects.filter(
        org__in=units, year=year, through_month=12)}
    enterprises = subtree_counts(units, dict(Enterprise.objects.filter(org__in=units, is_active=True)
                                             .values("org_id").annotate(n=Count("id")).values_list("org_id", "n")))
    lang = active_lang()
    rows = [{"unit": u, "indent": u.depth - root.depth, "name": u.display_name(lang),
             "enterprises": enterprises.get(u.id, 0),
             "targets": [format_amount(m.key, annual.get((u.id, m.key)), lang, short=True) for m in METRICS[:3]]}
            for u in units]
    return render(request, "web/orgunit_list.html", {
        "rows": rows, "year": year, "metrics": [m.label_en if lang == "en" else m.label_zh for m in METRICS[:3]],
        "can_edit": may(request.user, "create", OrgUnit)})


def subtree_counts(units, own: dict[int, int]) -> dict[int, int]:
    """Each unit's count with everything below it (the city row counts its districts' enterprises)."""
    totals = dict.fromkeys((u.id for u in units), 0)
    for unit in units:
        for ancestor in unit.ancestor_ids():
            if ancestor in totals:
                totals[ancestor] += own.get(unit.id, 0)
    return totals


@require_GET
@login_required
def orgunit_detail(request: HttpRequest, code: str) -> HttpResponse:
    org = get_visible_org_or_404(request.user, code)
    year = year_from_query(request, lambda: default_period(org).year)
    lang = active_lang()
    approvals = {a.month: a for a in MonthApproval.objects.filter(org=org, year=year)}
    locked = {m for (_o, _y, m) in locked_months_for([org.id], [year])}
    months = [{"month": m, "label": str(MONTH_NAMES[m]), "approval": approvals.get(m), "locked": m in locked}
              for m in range(1, 13)]
    return render(request, "web/orgunit_detail.html", {
        "org": org, "name": org.display_name(lang), "year": year,
        "breadcrumb": visible_ancestors(request.user, org),
        "children": [{"unit": c, "name": c.display_name(lang)} for c in org.children.order_by("code")],
        "grid": targets_grid(org, year), "months": months,
        "month_labels": [str(MONTH_ABBREVIATIONS[m]) for m in range(1, 13)],
        "can_edit_targets": may(request.user, "change", org),
        "enterprise_count": Enterprise.objects.filter(org__path__startswith=org.path, is_active=True).count(),
    })


# --- enterprises -----------------------------------------------------------------------------

@require_GET
@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", Enterprise)
    filters = listing.enterprise_filters(request.user, request.GET)
    rows = listing.search_enterprises(request.user, filters).annotate(
        project_count=Count("projects", filter=Q(projects__is_active=True)))
    page = listing.page_of(rows, request.GET.get("page"), request.user)
    return render(request, "web/enterprise_list.html", {
        "filters": filters, "page": page, "query": listing.query_without_page(request.GET),
        "units": visible_orgs(request.user).order_by("path"), "divisions": listing.divisions(),
        "sizes": Size.choices, "lang": active_lang(), "can_create": may(request.user, "create", Enterprise),
    })


@require_GET
@login_required
def enterprise_export(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", Enterprise)
    filters = listing.enterprise_filters(request.user, request.GET)
    content = enterprises_xlsx(listing.search_enterprises(request.user, filters))
    return xlsx_response(content, f"enterprises-{timezone.localdate().isoformat()}.xlsx")


@require_GET
@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_visible_or_404(request.user, Enterprise, pk=pk)
    projects = (visible(request.user, Project).filter(enterprise=enterprise)
                .annotate(invested=Sum("progress__investment_yuan")).order_by("-is_active", "-start_date"))
    return render(request, "web/enterprise_detail.html", {
        "enterprise": enterprise, "projects": projects, "lang": active_lang(),
        "can_change": may(request.user, "change", enterprise),
        "can_restore": may(request.user, "restore", enterprise),
    })


def _reason(request) -> str:
    return (request.POST.get("reason") or "").strip()[:100]


@require_POST
@login_required
def enterprise_delete(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_visible_or_404(request.user, Enterprise, pk=pk)
    require(request.user, "change", enterprise)
    reason = _reason(request)
    if not reason:
        messages.error(request, _("Give a reason for deleting the enterprise."))
    elif enterprise.is_active:
        try:
            count = lifecycle.deactivate_enterprise(enterprise, reason, request.user)
            messages.success(request, _("%(name)s was deleted with its %(count)d projects; the bureau can restore "
                                        "it.") % {"name": enterprise.name_zh, "count": count})
        except ApprovalRefused as refused:
            messages.error(request, refused.message)
    return redirect("enterprise_detail", pk=enterprise.pk)


@require_POST
@login_required
def enterprise_restore(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_visible_or_404(request.user, Enterprise, pk=pk)
    require(request.user, "restore", enterprise)
    if not enterprise.is_active:
        try:
            lifecycle.restore_enterprise(enterprise, _reason(request) or "restored", request.user)
            messages.success(request, _("%(name)s was restored.") % {"name": enterprise.name_zh})
        except ApprovalRefused as refused:
            messages.error(request, refused.message)
    return redirect("enterprise_detail", pk=enterprise.pk)


# --- projects and their monthly progress --------------------------------------------------------

@require_GET
@cache_per_session
@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", Project)
    depends_on(request, [])  # the user's own subtree (the top bar's units): all the list may show
    filters = listing.project_filters(request.user, request.GET)
    page = listing.page_of(listing.search_projects(request.user, filters), request.GET.get("page"), request.user)
    return render(request, "web/project_list.html", {
        "filters": filters, "page": page, "rows": listing.with_progress(page.object_list),
        "query": listing.query_without_page(request.GET), "sort_query": listing.query_without(request.GET, "sort"),
        "units": visible_orgs(request.user).order_by("path"), "kinds": ProjectKind.choices,
        "statuses": ProjectStatus.choices, "lang": active_lang(), "can_create": may(request.user, "create", Project),
    })


@require_GET
@login_required
def project_export(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", Project)
    filters = listing.project_filters(request.user, request.GET)
    content = projects_xlsx(listing.search_projects(request.user, filters))
    return xlsx_response(content, f"projects-{timezone.localdate().isoformat()}.xlsx")


def progress_rows(project: Project) -> tuple[list[dict], dict]:
    rows = list(project.progress.order_by("year", "month"))
    locked = locked_months_for([project.enterprise.org_id], {r.year for r in rows}) if rows else set()
    org_id = project.enterprise.org_id
    cumulative = Decimal(0)
    table, chart = [], {"months": [], "investment": [], "cumulative": [], "energy": []}
    for row in rows:
        cumulative += row.investment_yuan
        table.append({"row": row, "locked": (org_id, row.year, row.month) in locked, "cumulative": cumulative})
        chart["months"].append(row.period)
        chart["investment"].append(round(float(row.investment_yuan) / 10_000, 2))
        chart["cumulative"].append(round(float(cumulative) / 10_000, 2))
        chart["energy"].append(None if row.energy_saved_tce is None else float(row.energy_saved_tce))
    return table, chart


def _project_page(request, project: Project, form: dict | None = None, errors: dict | None = None,
                  general: list | None = None, status: int = 200) -> HttpResponse:
    table, chart = progress_rows(project)
    chart["labels"] = {"investment": _("Investment in the month (10,000 yuan)"),
                       "cumulative": _("Cumulative investment (10,000 yuan)"),
                       "energy": _("Energy saved (tce)")}
    year, month = current_month()
    return render(request, "web/project_detail.html", {
        "project": project, "progress": table, "chart": chart, "lang": active_lang(),
        "can_change": may(request.user, "change", project) and project.is_active,
        "can_restore": may(request.user, "restore", project),
        "form": form or {"month": format_period(year, month)}, "errors": errors or {}, "general": general or [],
        "total": sum((r["row"].investment_yuan for r in table), Decimal(0)),
    }, status=status)


@require_GET
@cache_per_session
@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_visible_or_404(request.user, Project, pk=pk)
    depends_on(request, [project.enterprise.org_id])
    return _project_page(request, project)


PROGRESS_FIELDS = ("month", "investment_yuan", "energy_saved_tce", "note")


@require_POST
@login_required
def progress_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Add or correct one month of a project: the progress import's rules, row checks and service."""
    project = get_visible_or_404(request.user, Project, pk=pk)
    require(request.user, "change", project)
    form = {key: (request.POST.get(key) or "").strip() for key in PROGRESS_FIELDS}
    row = {"project_code": project.code, **form}
    outcome = write_rows("progress", [row], request.user, reason=f"web form {project.code} {form['month']}"[:100])
    if outcome.ok:
        messages.success(request, _("Progress for %(month)s saved.") % {"month": form["month"]})
        for line in outcome.result.warnings:
            messages.warning(request, line.split(": ", 2)[-1])
        return redirect("project_detail", pk=project.pk)
    return _project_page(request, project, form, outcome.for_row(0), outcome.general)


@require_POST
@login_required
def project_delete(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_visible_or_404(request.user, Project, pk=pk)
    require(request.user, "change", project)
    reason = _reason(request)
    if not reason:
        messages.error(request, _("Give a reason for deleting the project."))
    elif project.is_active:
        try:
            lifecycle.deactivate_projects([project], reason, request.user)
            messages.success(request, _("Project %(code)s was deleted; the bureau can restore it.") % {
                "code": project.code})
        except ApprovalRefused as refused:
            messages.error(request, refused.message)
    return redirect("project_detail", pk=project.pk)


@require_POST
@login_required
def project_restore(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_visible_or_404(request.user, Project, pk=pk)
    require(request.user, "restore", project)
    if not project.is_active:
        if not project.enterprise.is_active:
            messages.error(request, _("Restore the enterprise first."))
        else:
            try:
                lifecycle.restore_projects([project], _reason(request) or "restored", request.user)
                messages.success(request, _("Project %(code)s was restored.") % {"code": project.code})
            except ApprovalRefused as refused:
                messages.error(request, refused.message)
    return redirect("project_detail", pk=project.pk)


# --- history -------------------------------------------------------------------------------------

def _back_url(obj) -> str | None:
    if isinstance(obj, Enterprise):
        return reverse("enterprise_detail", args=[obj.pk])
    if isinstance(obj, Project):
        return reverse("project_detail", args=[obj.pk])
    if isinstance(obj, Progress):
        return reverse("project_detail", args=[obj.project_id])
    if isinstance(obj, OrgUnit):
        return reverse("orgunit_detail", args=[obj.code])
    if isinstance(obj, (Target, MonthApproval)):
        return reverse("orgunit_detail", args=[obj.org.code])
    return None


@require_GET
@login_required
def history(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = HISTORY_MODELS.get(kind)
    if model is None:
        raise Http404("no such kind of record")
    obj = get_visible_or_404(request.user, model, pk=pk)
    related, removed = [], []
    if isinstance(obj, Project):  # a project's page shows its months' changes too, and the months removed
        related = [{"title": str(p.period), "url": reverse("history", args=["progress", p.pk])}
                   for p in obj.progress.order_by("year", "month")]
        removed = removed_months(obj)
    return render(request, "web/history.html", {
        "object": obj, "title": record_title(obj), "kind_label": KIND_LABELS[kind], "entries": history_entries(obj),
        "back_url": _back_url(obj), "related": related, "removed": removed,
    })
