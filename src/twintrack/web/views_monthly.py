"""The monthly cycle in the browser: templates, upload with preview and row errors, confirm;
submitting a month, approving it, reopening it. Rules: `web.uploads`, `approvals.services`."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from twintrack.approvals import services as approvals
from twintrack.approvals.models import MonthApproval, MonthState
from twintrack.display.language import active_lang
from twintrack.display.amounts import format_amount, percent
from twintrack.display.labels import metric_label
from twintrack.display.periods import (
    Period, current_month, format_period, month_label, period_from_query, period_in_query, period_label, shift_month,
)
from twintrack.metrics.pages import cache_per_session, depends_on
from twintrack.metrics.periods import default_period
from twintrack.web.import_kinds import IMPORT_KINDS
from twintrack.orgs.access import get_visible_org_or_404, may, require, require_scope_root, visible_orgs
from twintrack.quality.evaluate import Scope, completeness_by_org, findings_for, subtree_paths, sum_under
from twintrack.jobs.models import Failure, Job, JobStatus
from twintrack.jobs.services import fail_lost_jobs, latest_job, live_workers, start_job
from twintrack.web import tasks, uploads
from twintrack.web.import_templates import template_file_name, template_workbook
from twintrack.web.monthdata import SHOWN_ROWS, month_report, month_totals
from twintrack.web.prefilled import file_name as prefilled_file_name
from twintrack.web.prefilled import prefilled_workbook
from twintrack.web.roles import may_submit_data, require_data_entry
from twintrack.web.security import max_upload_megabytes
from twintrack.web.views_registry import xlsx_response

KIND_LABELS = {
    "orgunits": gettext_lazy("Org units"), "enterprises": gettext_lazy("Enterprises"),
    "targets": gettext_lazy("Targets"), "projects": gettext_lazy("Projects"),
    "progress": gettext_lazy("Monthly progress"), "energy": gettext_lazy("Energy savings by carrier"),
    "visits": gettext_lazy("Supervision visits"), "findings": gettext_lazy("Supervision findings"),
    "requirements": gettext_lazy("Supervision requirements"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def month_actions(user, org, state: str) -> dict:
    """Which of submit, approve and reopen the user may do now to the unit's month."""
    month = MonthApproval(org=org)
    return {"can_submit": state == MonthState.OPEN and may(user, "submit", month),
            "can_approve": state == MonthState.SUBMITTED and may(user, "approve", month),
            "can_reopen": state != MonthState.OPEN and may(user, "reopen", month)}


def month_status(user, org, year: int, month: int) -> dict:
    approval = approvals.approval_of(org, year, month)
    state = approval.state if approval is not None else MonthState.OPEN
    above = approvals.approving_unit(org, year, month)
    return {"org": org, "approval": approval, "state": state, "state_label": MonthState(state).label,
            "locked_by": above, **month_actions(user, org, state),
            "waiting": approvals.unapproved_children(org, year, month) if state == MonthState.SUBMITTED else []}


def _month_unit(request):
    """The unit of the month page: `?org=CODE` (404 outside the user's scope), else the user's own."""
    root = require_data_entry(request.user)
    code = (request.GET.get("org") or "").strip()
    return get_visible_org_or_404(request.user, code) if code else root


@require_GET
@cache_per_session
@login_required
def monthly(request: HttpRequest) -> HttpResponse:
    unit = _month_unit(request)
    depends_on(request, [unit], period=period_in_query(request))
    year, month = period_from_query(request, lambda: default_period(unit))
    lang = active_lang()
    kinds = uploads.upload_kinds(request.user)
    period = format_period(year, month)
    report = month_report(request.user, unit, year, month)
    return render(request, "web/monthly.html", {
        "root": unit, "root_name": unit.display_name(lang), "period": period,
        "period_label": period_label(year, month), "month_label": month_label(year, month),
        "status": month_status(request.user, unit, year, month),
        "kinds": [{"key": k, "label": kind_label(k)} for k in kinds],
        "default_kind": "progress" if "progress" in kinds else (kinds[0] if kinds else ""),
        "max_mb": max_upload_megabytes(),
        "approvals_url": reverse("approvals") + "?" + urlencode({"period": period}),
        "bulk_url": reverse("approval_bulk") + "?" + urlencode({"org": unit.code, "period": period}),
        "totals": month_totals_rows(unit, year, month, lang),
        "report": report, "reported_rows": reported_rows(report, lang), "missing_rows": missing_rows(report, lang),
        "shown_rows": SHOWN_ROWS,
        "has_units_below": unit.children.exists(),
        "projects_url": reverse("project_list") + "?" + urlencode({"org": unit.code}),
        "quality_url": reverse("quality") + "?" + urlencode({"org": unit.code, "period": period}),
    })


def month_totals_rows(unit, year: int, month: int, lang: str) -> list[dict]:
    def amount(metric, value):
        return format_amount(metric, value, lang, short=True)

    return [{"key": row.metric, "label": metric_label(row.metric, lang),
             "this_month": amount(row.metric, row.this_month), "last_month": amount(row.metric, row.last_month),
             "change": amount(row.metric, row.change), "up": row.change > 0, "down": row.change < 0,
             "cumulative": amount(row.metric, row.cumulative),
             "target": amount(row.metric, row.target) if row.target is not None else None,
             "completion": percent(row.completion)} for row in month_totals(unit, year, month)]


def reported_rows(report, lang: str) -> list[dict]:
    return [{"pk": row.project.pk, "code": row.project.code, "title": row.project.title,
             "investment": format_amount("investment_yuan", row.investment_yuan, lang, short=True),
             "energy": format_amount("energy_saved_tce", row.energy_saved_tce, lang, short=True)}
            for row in report.reported_rows]


def missing_rows(report, lang: str) -> list[dict]:
    return [{"pk": p.pk, "code": p.code, "title": p.title, "enterprise": p.enterprise.display_name(lang)}
            for p in report.missing]


@require_GET
@login_required
def progress_template(request: HttpRequest, code: str, period: Period) -> HttpResponse:
    """The progress template of a unit and month, pre-filled with its projects (web/prefilled.py)."""
    require_data_entry(request.user)
    if "progress" not in uploads.upload_kinds(request.user):
        raise PermissionDenied
    unit = get_visible_org_or_404(request.user, code)
    year, month = period
    return xlsx_response(prefilled_workbook(request.user, unit, year, month, active_lang()),
                         prefilled_file_name(unit, year, month))


@require_GET
@login_required
def month_submit_confirm(request: HttpRequest, code: str, period: Period) -> HttpResponse:
    """The confirmation step of submitting a month: names the unit and the month, states what was
    reported and what is missing, and posts to `approval_submit`."""
    require_data_entry(request.user)
    unit = get_visible_org_or_404(request.user, code)
    year, month = period
    require(request.user, "submit", MonthApproval(org=unit))
    report = month_report(request.user, unit, year, month)
    back = reverse("monthly") + "?" + urlencode({"org": unit.code, "period": format_period(year, month)})
    return render(request, "web/month_submit.html", {
        "unit": unit, "unit_name": unit.display_name(active_lang()), "period": format_period(year, month),
        "month_label": month_label(year, month), "report": report, "back": back,
        "status": month_status(request.user, unit, year, month),
    })


@require_GET
@login_required
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    require_data_entry(request.user)
    if kind not in IMPORT_KINDS:
        raise Http404("no such kind")
    if kind not in uploads.upload_kinds(request.user):
        raise PermissionDenied
    return xlsx_response(template_workbook(kind, request.user), template_file_name(kind))


def monthly_url(period: str, org: str = "") -> str:
    """The month page of `period` ("YYYY-MM"; empty: the default month) for unit `org` (empty: the user's own)."""
    query = {key: value for key, value in (("org", org), ("period", period)) if value}
    return reverse("monthly") + (f"?{urlencode(query)}" if query else "")


def _posted_org(request, root) -> str:
    """The month page's unit the upload was made on, "" for the user's own. A code outside the
    user's scope is ignored (the upload goes back to their own month page), never looked up."""
    code = (request.POST.get("org") or "").strip()
    if not code or code == root.code or not visible_orgs(request.user).filter(code=code).exists():
        return ""
    return code


def _posted_period(request) -> str:
    """The month the upload was made on, "" for the default month; a malformed one is a 400."""
    if not (request.POST.get("period") or "").strip():
        return ""
    return str(period_from_query(request, current_month))


@require_POST
@login_required
def upload(request: HttpRequest) -> HttpResponse:
    root = require_data_entry(request.user)
    uploaded = request.FILES.get("file")
    kind = (request.POST.get("kind") or "").strip()
    period = _posted_period(request)
    org = _posted_org(request, root)
    if uploaded is None:
        messages.error(request, _("Choose a file to upload."))
        return redirect(monthly_url(period, org))
    try:
        stored = uploads.store_upload(uploaded, kind, request.user, period, org)
    except uploads.UploadRefused as refused:
        messages.error(request, refused.message)
        return redirect(monthly_url(period, org))
    _start(tasks.check_upload, tasks.PREVIEW, stored, request.user, root)
    return redirect("upload_preview", token=stored.token)


def _start(task, kind: str, stored: uploads.Upload, user, root) -> Job:
    return start_job(task, kind=kind, user=user, org=root, title=stored.name, subject=stored.token,
                     params={"kind": stored.kind, "period": stored.period})


def _stored(request, token: str) -> uploads.Upload:
    require_data_entry(request.user)
    stored = uploads.load_upload(token, request.user)
    if stored is None:
        raise Http404("no such upload")
    return stored


RETRIED = (Failure.WORKER_LOST, Failure.DATABASE_BUSY)  # a check that did not run to its end runs again


def _current(kind: str, token: str, user) -> Job | None:
    """The upload's latest job of this kind, failed first if its worker is gone."""
    job = latest_job(kind, token, user)
    if job is not None and job.status == JobStatus.RUNNING and fail_lost_jobs():
        job.refresh_from_db()
    return job


@require_GET
@login_required
def upload_preview(request: HttpRequest, token: str) -> HttpResponse:
    """The check's state until it is done, then its stored outcome: a reload never reads the file
    again. Once the import is written the page says so on the month page it came from."""
    stored = _stored(request, token)
    imported = _current(tasks.IMPORT, token, request.user)
    if imported is not None and imported.status == JobStatus.SUCCEEDED:
        return _imported(request, stored, imported)
    check = _current(tasks.PREVIEW, token, request.user)
    if check is None or (check.status == JobStatus.FAILED and check.failure in RETRIED):
        check = _start(tasks.check_upload, tasks.PREVIEW, stored, request.user, require_data_entry(request.user))
    running = imported if imported is not None and not imported.finished else check
    shown = None
    if imported is not None and imported.status == JobStatus.FAILED and imported.outcome:
        shown = uploads.Preview.from_outcome(imported.outcome)  # the import refused it (a month approved since)
    elif check.status == JobStatus.SUCCEEDED:
        shown = uploads.Preview.from_outcome(check.outcome)
    return render(request, "web/upload_preview.html", {
        "upload": stored, "month_page": monthly_url(stored.period, stored.org), "kind_label": kind_label(stored.kind),
        "preview": shown,
        "job": running if not running.finished else None, "import_job": imported,
        "workers": live_workers() if not running.finished else None,
        "lost": imported if imported is not None and imported.status == JobStatus.FAILED and not imported.outcome else None,
        "failed_check": check if check.status == JobStatus.FAILED else None,
        "problem_count": shown.problem_count if shown is not None else 0,
    })


def _imported(request, stored: uploads.Upload, job: Job) -> HttpResponse:
    counts = job.outcome.get("counts", {})
    uploads.discard(stored)
    messages.success(request, uploads.summary(counts, kind_label(stored.kind)))
    warnings = job.outcome.get("warnings") or []
    if warnings:
        messages.warning(request, _("%(count)d data-quality warnings: see the data quality page.") % {
            "count": len(warnings)})
    return redirect(monthly_url(stored.period, stored.org))


@require_POST
@login_required
def upload_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Queue the import (once: a second click while it runs, or after it landed, changes nothing)."""
    stored = _stored(request, token)
    imported = _current(tasks.IMPORT, token, request.user)
    if imported is None or imported.status == JobStatus.FAILED:
        _start(tasks.import_upload, tasks.IMPORT, stored, request.user, require_data_entry(request.user))
    return redirect("upload_preview", token=token)


@require_POST
@login_required
def upload_discard(request: HttpRequest, token: str) -> HttpResponse:
    stored = _stored(request, token)
    imported = latest_job(tasks.IMPORT, token, request.user)
    if imported is not None and not imported.finished:
        messages.error(request, _("The import is running: wait until it has finished."))
        return redirect("upload_preview", token=token)
    uploads.discard(stored)
    messages.info(request, _("The upload was discarded; nothing was imported."))
    return redirect(monthly_url(stored.period, stored.org))


# --- approvals ---------------------------------------------------------------------------------------

@require_GET
@login_required
def approval_list(request: HttpRequest) -> HttpResponse:
    root = require_scope_root(request.user)
    year, month = period_from_query(request, lambda: default_period(root))
    lang = active_lang()
    units = list(visible_orgs(request.user).filter(depth__lte=root.depth + 2).order_by("path"))
    rows = []
    states = approvals.states_for([u.id for u in units], year, month)
    locks = approvals.locked_months_for([u.id for u in units], [year])
    for unit in units:
        approval = states.get(unit.id)
        state = approval.state if approval is not None else MonthState.OPEN
        rows.append({"unit": unit, "name": unit.display_name(lang), "indent": unit.depth - root.depth,
                     "approval": approval, "state": state, "state_label": MonthState(state).label,
                     "locked": (unit.id, year, month) in locks, **month_actions(request.user, unit, state)})
    quality = quality_by_unit(root, units, year, month)
    for row in rows:
        row["quality"] = quality.get(row["unit"].id)
    prev_year, prev_month = shift_month(year, month, -1)
    next_year, next_month = shift_month(year, month, 1)
    return render(request, "web/approvals.html", {
        "rows": rows, "bulk_url": reverse("approval_bulk") + "?" + urlencode({"period": format_period(year, month)})
        if may_submit_data(request.user) else None,
        "quality_url": reverse("quality") + "?" + urlencode({"org": root.code,
                                                                          "period": format_period(year, month)}), "period": format_period(year, month), "period_label": period_label(year, month),
        "prev": format_period(prev_year, prev_month),
        "next": format_period(next_year, next_month) if (next_year, next_month) <= current_month() else None,
    })


def quality_by_unit(root, units, year: int, month: int) -> dict[int, dict]:
    """Each unit's subtree completeness and open findings for the month: one completeness query
    and one evaluation of the rules for the whole scope, whatever the number of units."""
    by_org = completeness_by_org(year, month, root.path)
    paths = subtree_paths(root)
    open_findings = [paths.get(f.org_id, "") for f in findings_for(year, month, Scope(root.path))
                     if f.status == "open"]
    return {unit.id: {"completeness": sum_under(by_org, paths, unit.path),
                      "open": sum(1 for path in open_findings if path.startswith(unit.path))} for unit in units}


def open_findings_in(root, units, year: int, month: int) -> int:
    """The open data-quality findings of the month in these units' subtrees (each counted once)."""
    paths = subtree_paths(root)
    prefixes = tuple(u.path for u in units)
    return sum(1 for f in findings_for(year, month, Scope(root.path))
               if f.status == "open" and paths.get(f.org_id, "").startswith(prefixes))


def open_findings_under(org, year: int, month: int) -> int:
    return sum(1 for f in findings_for(year, month, Scope(org.path)) if f.status == "open")


def _back(request, period: str) -> HttpResponse:
    target = request.POST.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(reverse("approvals") + "?" + urlencode({"period": period}))


def _transition(request, code: str, period: Period, action) -> HttpResponse:
    org = get_visible_org_or_404(request.user, code)
    year, month = period
    try:
        action(org, year, month)
    except approvals.ApprovalRefused as refused:
        messages.error(request, refused.message)
    return _back(request, format_period(year, month))


@require_POST
@login_required
def approval_submit(request: HttpRequest, code: str, period: Period) -> HttpResponse:
    def act(org, year, month):
        approvals.submit(org, year, month, request.user, (request.POST.get("note") or "").strip())
        messages.success(request, _("%(unit)s %(period)s submitted for approval.") % {
            "unit": org.name_zh, "period": format_period(year, month)})
    return _transition(request, code, period, act)


@require_POST
@login_required
def approval_approve(request: HttpRequest, code: str, period: Period) -> HttpResponse:
    def act(org, year, month):
        count = open_findings_under(org, year, month)
        if count and request.POST.get("accept_findings") != "on":
            messages.error(request, _("%(unit)s %(period)s has %(count)d open data-quality findings: tick the box to "
                                      "approve it as it stands, or confirm or correct the figures first.") % {
                "unit": org.name_zh, "period": format_period(year, month), "count": count})
            return
        approvals.approve(org, year, month, request.user)
        messages.success(request, _("%(unit)s %(period)s approved: the month is locked.") % {
            "unit": org.name_zh, "period": format_period(year, month)})
    return _transition(request, code, period, act)


@require_POST
@login_required
def approval_reopen(request: HttpRequest, code: str, period: Period) -> HttpResponse:
    def act(org, year, month):
        approvals.reopen(org, year, month, request.user, request.POST.get("reason", ""))
        messages.success(request, _("%(unit)s %(period)s reopened.") % {
            "unit": org.name_zh, "period": format_period(year, month)})
    return _transition(request, code, period, act)


# --- approving everything submitted below a unit ----------------------------------------------------

def _bulk_unit(request):
    """The unit below which to approve: `org` (query or form; 404 outside the scope), else the user's own."""
    root = require_data_entry(request.user)
    code = (request.GET.get("org") or request.POST.get("org") or "").strip()
    return get_visible_org_or_404(request.user, code) if code else root


def _bulk_url(unit, period: str) -> str:
    return reverse("approval_bulk") + "?" + urlencode({"org": unit.code, "period": period})


def _names(units, lang: str) -> str:
    return "、".join(u.display_name(lang) for u in units)


@require_http_methods(["GET", "POST"])
@login_required
def approval_bulk(request: HttpRequest) -> HttpResponse:
    """GET: what approving everything submitted below the unit would do (what is submitted, what
    is still missing). POST: do it, in one transaction, and say what it did."""
    unit = _bulk_unit(request)
    year, month = period_from_query(request, lambda: default_period(unit))
    if request.method == "POST":
        return _approve_all(request, unit, year, month)
    period = format_period(year, month)
    lang = active_lang()
    summary = approvals.bulk_summary(unit, year, month)
    quality = quality_by_unit(unit, summary.submitted, year, month) if summary.submitted else {}
    open_findings = open_findings_in(unit, summary.submitted, year, month) if summary.submitted else 0
    return render(request, "web/approval_bulk.html", {
        "unit": unit, "unit_name": unit.display_name(lang), "period": period, "month_label": month_label(year, month),
        "summary": summary, "lang": lang, "open_findings": open_findings,
        "submitted": [{"unit": u, "name": u.display_name(lang), "quality": quality.get(u.id)} for u in summary.submitted],
        "missing": [{"unit": u, "name": u.display_name(lang)} for u in summary.missing],
        "approved": [{"unit": u, "name": u.display_name(lang)} for u in summary.approved],
        "can_approve": bool(summary.submitted) and all(may(request.user, "approve", MonthApproval(org=u))
                                                       for u in summary.submitted),
        "approvals_url": reverse("approvals") + "?" + urlencode({"period": period}),
    })


def _approve_all(request, unit, year: int, month: int) -> HttpResponse:
    period = format_period(year, month)
    submitted = approvals.bulk_summary(unit, year, month).submitted
    if submitted:
        count = open_findings_in(unit, submitted, year, month)
        if count and request.POST.get("accept_findings") != "on":
            messages.error(request, _("%(count)d open data-quality findings below %(unit)s for %(period)s: tick the box "
                                      "to approve the months as they stand, or confirm or correct the figures first.")
                           % {"count": count, "unit": unit.display_name(active_lang()), "period": period})
            return redirect(_bulk_url(unit, period))
    try:
        done = approvals.approve_all_below(unit, year, month, request.user)
    except approvals.ApprovalRefused as refused:
        messages.error(request, refused.message)
        return redirect(_bulk_url(unit, period))
    _tell_bulk_result(request, done)
    return redirect(_bulk_url(unit, period))


def _tell_bulk_result(request, done) -> None:
    lang = active_lang()
    label = month_label(done.year, done.month)
    if done.approved_now:
        messages.success(request, ngettext(
            "%(month)s: %(count)d unit approved: %(units)s.", "%(month)s: %(count)d units approved: %(units)s.",
            len(done.approved_now)) % {"month": label, "count": len(done.approved_now),
                                      "units": _names(done.approved_now, lang)})
    else:
        messages.info(request, _("%(month)s: nothing was waiting for approval.") % {"month": label})
    for left, reason in done.left:
        messages.warning(request, _("%(unit)s was not approved: %(reason)s") % {
            "unit": left.display_name(lang), "reason": reason})
    if done.missing:
        messages.warning(request, ngettext(
            "Still not submitted (%(count)d unit): %(units)s.", "Still not submitted (%(count)d units): %(units)s.",
            len(done.missing)) % {"count": len(done.missing), "units": _names(done.missing, lang)})
