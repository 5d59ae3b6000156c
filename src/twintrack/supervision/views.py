"""Supervision pages. Thin: who sees what comes from `supervision.access` (hidden: 404,
visible but not allowed: 403), every change from `supervision.services`."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from twintrack.display.language import active_lang, lang_of
from twintrack.enterprises.models import Enterprise
from twintrack.orgs.access import get_visible_or_404, may, require, visible
from twintrack.orgs.models import OrgUnit
from twintrack.supervision import access, services
from twintrack.supervision.bulletin import CONTENT_TYPE as DOCX_TYPE
from twintrack.supervision.bulletin import bulletin_docx, bulletin_filename
from twintrack.supervision.exporting import CONTENT_TYPE as XLSX_TYPE
from twintrack.supervision.exporting import MODELS, export_filename, export_xlsx
from twintrack.supervision.files import CONTENT_TYPES, FileRefused
from twintrack.supervision.forms import (
    AttachmentForm, FindingForm, GroupForm, RequirementForm, RespondForm, ReviewForm, RoundForm, VisitForm,
)
from twintrack.supervision.models import (
    Attachment, Finding, FindingKind, Group, KeyTask, Requirement, Round, Status, StepKind, Visit, today,
)
from twintrack.supervision.summary import (
    overdue_by_round, overdue_requirements_for, requirement_queryset, round_summary, sort_overdue_first,
    unit_requirements,
)

SECTION = "supervision:home"


def page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    request.menu_section = SECTION
    context.setdefault("lang", active_lang())
    context.setdefault("today", today())
    return render(request, template, context, status=status)


def form_page(request, title: str, form, back_url: str, *, intro: str = "", multipart: bool = False,
              submit: str | None = None, status: int = 200) -> HttpResponse:
    return page(request, "supervision/form.html", {"title": title, "form": form, "back_url": back_url,
                                                   "intro": intro, "multipart": multipart,
                                                   "submit": submit or _("Save")}, status=status)


def refused(request, error, url: str) -> HttpResponse:
    messages.error(request, error.message)
    return redirect(url)


def saved(request, form, save, done, then) -> HttpResponse | None:
    """A valid POST of `form`, written by `save(cleaned_data)` (a service): the redirect to `then`
    with the message `done` (either may be a function of what `save` returned). None shows the
    form again: on a GET, an invalid form, or the service's refusal (then the form's error)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except services.SupervisionError as error:
        form.add_error(None, error.message)
        return None
    messages.success(request, done(result) if callable(done) else done)
    return redirect(then(result) if callable(then) else then)


def deleted(request, obj, delete, back: str, done: str, then: str | None = None) -> HttpResponse:
    """Delete `obj` through the service `delete`: refused, back to `back` with the reason;
    done, to `then` (or `back`) with the message `done`."""
    require(request.user, "change", obj)
    try:
        delete(request.user, obj)
    except services.SupervisionError as error:
        return refused(request, error, back)
    messages.success(request, done)
    return redirect(then or back)


def _round_url(pk: int) -> str:
    return reverse("supervision:round", args=[pk])


def _visit_url(pk: int) -> str:
    return reverse("supervision:visit", args=[pk])


# --- home, rounds ---------------------------------------------------------------------------

@require_GET
@login_required
def home(request):
    user = request.user
    rounds = (visible(user, Round).annotate(visit_count=Count("visits", filter=Q(visits__deleted_at__isnull=True),
                                                               distinct=True))
              .order_by("-start_date", "code"))
    overdue = overdue_by_round(user)
    rows = [{"round": r, "overdue": overdue.get(r.pk, 0)} for r in rounds]
    respond = access.awaiting_response(user, requirement_queryset(visible(user, Requirement).open()))
    return page(request, "supervision/home.html", {
        "rounds": rows,
        "overdue": overdue_requirements_for(user, None, limit=10),
        "to_respond": sort_overdue_first(respond),
        "to_verify": access.awaiting_verification(
            user, requirement_queryset(visible(user, Requirement).filter(status=Status.RESPONDED))),
        "can_create_round": may(user, "create", Round),
        "groups": access.groups_on_home(user),
    })


@require_http_methods(["GET", "POST"])
@login_required
def round_create(request):
    require(request.user, "create", Round)
    form = RoundForm(request.POST or None)
    fields = ("code", "name_zh", "name_en", "start_date", "end_date", "report_year", "report_month", "note")
    return (saved(request, form, lambda data: services.create_round(request.user, **{f: data[f] for f in fields}),
                  _("Round created. Now add its groups."), lambda round_: _round_url(round_.pk))
            or form_page(request, _("New supervision round"), form, reverse("supervision:home")))


@require_GET
@login_required
def round_detail(request, pk: int):
    user = request.user
    round_ = get_visible_or_404(user, Round, pk=pk)
    summary = round_summary(user, round_)
    groups = [{"group": g, "may_record": may(user, "create", Visit(group=g)), "may_edit": may(user, "change", g)}
              for g in summary.groups]
    return page(request, "supervision/round_detail.html", {
        "round": round_, "summary": summary, "totals": summary.totals, "groups": groups,
        "may_change": may(user, "change", round_),
        "may_issue": may(user, "create", Requirement(round=round_)),
        "finding_kinds": FindingKind.choices,
    })


@require_http_methods(["GET", "POST"])
@login_required
def round_edit(request, pk: int):
    round_ = get_visible_or_404(request.user, Round, pk=pk)
    require(request.user, "change", round_)
    initial = {f: getattr(round_, f) for f in services.ROUND_FIELDS}
    form = RoundForm(request.POST or None, initial=initial, editing=True)

    def save(data):
        if data["report_year"] is None or data["report_month"] is None:
            data["report_year"], data["report_month"] = services.default_report_period(data["start_date"])
        services.update_round(request.user, round_, **{f: data[f] for f in services.ROUND_FIELDS})

    back = _round_url(round_.pk)
    return (saved(request, form, save, _("Round saved."), back)
            or form_page(request, _("Edit %(round)s") % {"round": round_.display_name(get_language())}, form, back))


@require_POST
@login_required
def round_delete(request, pk: int):
    round_ = get_visible_or_404(request.user, Round, pk=pk)
    return deleted(request, round_, services.delete_round, _round_url(pk), _("Round deleted."),
                   reverse("supervision:home"))


@require_GET
@login_required
def round_bulletin(request, pk: int):
    round_ = get_visible_or_404(request.user, Round, pk=pk)
    lang = lang_of(request.GET.get("lang", "zh"))
    data = bulletin_docx(request.user, round_, lang)
    response = HttpResponse(data, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{bulletin_filename(round_, lang)}"'
    return response


# --- groups ------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@login_required
def group_create(request, pk: int):
    round_ = get_visible_or_404(request.user, Round, pk=pk)
    require(request.user, "create", Group(round=round_))
    form = GroupForm(request.user, request.POST or None)
    back = _round_url(round_.pk)
    return (saved(request, form, lambda data: services.create_group(request.user, round_, **_group_values(data)),
                  _("Group created."), back)
            or form_page(request, _("New group of %(round)s") % {"round": round_.display_name(get_language())},
                         form, back))


def _group_values(data: dict) -> dict:
    return {f: data[f] for f in ("name_zh", "name_en", "leader", "members", "units")}


@require_http_methods(["GET", "POST"])
@login_required
def group_edit(request, pk: int):
    group = get_visible_or_404(request.user, Group, pk=pk)
    require(request.user, "change", group)
    initial = {"name_zh": group.name_zh, "name_en": group.name_en, "leader": group.leader,
               "members": list(group.members.all()), "units": list(group.units.all())}
    form = GroupForm(request.user, request.POST or None, initial=initial)
    back = _round_url(group.round_id)
    return (saved(request, form, lambda data: services.update_group(request.user, group, **_group_values(data)),
                  _("Group saved."), back)
            or form_page(request, _("Edit %(group)s") % {"group": group.display_name(get_language())}, form, back))


@require_POST
@login_required
def group_delete(request, pk: int):
    group = get_visible_or_404(request.user, Group, pk=pk)
    return deleted(request, group, services.delete_group, _round_url(group.round_id), _("Group deleted."))


# --- visits -------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@login_required
def visit_create(request, pk: int):
    group = get_visible_or_404(request.user, Group, pk=pk)
    require(request.user, "create", Visit(group=group))
    on = today()
    in_round = services.visit_date_problem(group.round, on) is None
    form = VisitForm(group, request.POST or None, initial={"date": on} if in_round else {})

    def save(data):
        return services.record_visit(request.user, group, data["org"], data["date"], enterprises=data["enterprises"],
                                     attendees=data["attendees"], note=data["note"])

    return (saved(request, form, save, _("Visit recorded. Add what the group found and required."),
                  lambda visit: _visit_url(visit.pk))
            or form_page(request, _("Record a visit of %(group)s") % {"group": group.display_name(get_language())},
                         form, _round_url(group.round_id)))


@require_GET
@login_required
def visit_detail(request, pk: int):
    user = request.user
    visit = get_visible_or_404(user, Visit, pk=pk)
    findings = (visible(user, Finding).filter(visit=visit).select_related("enterprise", "project")
                .prefetch_related("attachments"))
    requirements = requirement_queryset(visible(user, Requirement).filter(visit=visit))
    may_record = may(user, "create", Finding(visit=visit))
    return page(request, "supervision/visit_detail.html", {
        "visit": visit, "findings": findings, "requirements": sort_overdue_first(requirements),
        "may_record": may_record,
        "may_issue": may(user, "create", Requirement(round=visit.round, org=visit.org)),
        "finding_form": FindingForm(visit) if may_record else None,
        "enterprises": visit.enterprises.select_related("org"),
    })


@require_http_methods(["GET", "POST"])
@login_required
def visit_edit(request, pk: int):
    visit = get_visible_or_404(request.user, Visit, pk=pk)
    require(request.user, "change", visit)
    initial = {"org": visit.org, "date": visit.date, "enterprises": list(visit.enterprises.all()),
               "attendees": visit.attendees, "note": visit.note}
    form = VisitForm(visit.group, request.POST or None, initial=initial)

    def save(data):
        services.update_visit(request.user, visit, org=data["org"], visit_date=data["date"],
                              enterprises=data["enterprises"], attendees=data["attendees"], note=data["note"])

    back = _visit_url(visit.pk)
    return (saved(request, form, save, _("Visit saved."), back)
            or form_page(request, _("Edit visit %(code)s") % {"code": visit.code}, form, back))


@require_POST
@login_required
def visit_delete(request, pk: int):
    visit = get_visible_or_404(request.user, Visit, pk=pk)
    return deleted(request, visit, services.delete_visit, _visit_url(pk), _("Visit deleted."),
                   _round_url(visit.round_id))


# --- findings and attachments ------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@login_required
def finding_create(request, pk: int):
    visit = get_visible_or_404(request.user, Visit, pk=pk)
    require(request.user, "create", Finding(visit=visit))
    form = FindingForm(visit, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                finding = services.record_finding(request.user, visit, data["kind"], data["text"],
                                                  enterprise=data["enterprise"], project=data["project"])
                if data.get("file"):
                    services.add_attachment(request.user, data["file"], finding=finding)
        except FileRefused as error:
            form.add_error("file", error.message)
        except services.SupervisionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Finding recorded."))
            return redirect(reverse("supervision:visit", args=[visit.pk]) + f"#finding-{finding.pk}")
    return form_page(request, _("Record a finding of visit %(code)s") % {"code": visit.code}, form,
                     reverse("supervision:visit", args=[visit.pk]), multipart=True,
                     status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@login_required
def finding_edit(request, pk: int):
    finding = get_visible_or_404(request.user, Finding, pk=pk)
    require(request.user, "change", finding)
    initial = {"kind": finding.kind, "text": finding.text, "enterprise": finding.enterprise,
               "project": finding.project}
    form = FindingForm(finding.visit, request.POST or None, initial=initial, with_file=False)
    back = _visit_url(finding.visit_id)
    fields = ("kind", "text", "enterprise", "project")
    return (saved(request, form, lambda data: services.update_finding(request.user, finding,
                                                                      **{f: data[f] for f in fields}),
                  _("Finding saved."), back)
            or form_page(request, _("Edit finding %(code)s") % {"code": finding.code}, form, back))


@require_POST
@login_required
def finding_delete(request, pk: int):
    finding = get_visible_or_404(request.user, Finding, pk=pk)
    return deleted(request, finding, services.delete_finding, _visit_url(finding.visit_id), _("Finding deleted."))


@require_http_methods(["GET", "POST"])
@login_required
def attachment_create(request, pk: int):
    finding = get_visible_or_404(request.user, Finding, pk=pk)
    require(request.user, "change", finding)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_attachment(request.user, form.cleaned_data["file"], finding=finding)
        except FileRefused as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, _("Attachment added."))
            return redirect(reverse("supervision:visit", args=[finding.visit_id]) + f"#finding-{finding.pk}")
    return form_page(request, _("Attach a file to finding %(code)s") % {"code": finding.code}, form,
                     reverse("supervision:visit", args=[finding.visit_id]), multipart=True, submit=_("Upload"),
                     status=400 if request.method == "POST" else 200)


@require_GET
@login_required
def attachment_download(request, pk: int):
    attachment = get_visible_or_404(request.user, Attachment, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("the file is missing") from None
    inline = attachment.file_type in ("jpg", "png", "pdf") and request.GET.get("download") != "1"
    response = FileResponse(handle, content_type=CONTENT_TYPES[attachment.file_type], as_attachment=not inline,
                            filename=attachment.name)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response


@require_POST
@login_required
def attachment_delete(request, pk: int):
    attachment = get_visible_or_404(request.user, Attachment, pk=pk)
    require(request.user, "change", attachment)
    back = (_visit_url(attachment.finding.visit_id) if attachment.finding_id else
            reverse("supervision:requirement", args=[attachment.step.requirement_id]))
    return deleted(request, attachment, services.delete_attachment, back, _("Attachment removed."))


# --- requirements ---------------------------------------------------------------------------------

def _issue_choices(user, round_: Round, visit: Visit | None):
    units = access.issuable_units(user, round_, visit)
    return units, Enterprise.objects.filter(org__in=units)


@require_http_methods(["GET", "POST"])
@login_required
def requirement_create(request, pk: int):
    user = request.user
    round_ = get_visible_or_404(user, Round, pk=pk)
    visit = finding = None
    if request.GET.get("visit"):
        visit = get_visible_or_404(user, Visit, pk=request.GET["visit"], round=round_)
    if request.GET.get("finding"):
        finding = get_visible_or_404(user, Finding, pk=request.GET["finding"], visit__round=round_)
        visit = visit or finding.visit
    units, enterprises = _issue_choices(user, round_, visit)
    require(user, "create", Requirement(round=round_))
    if not units.exists():
        raise PermissionDenied
    findings = visible(user, Finding).filter(visit=visit) if visit is not None else Finding.objects.none()
    initial = {"finding": finding, "org": visit.org if visit is not None else None}
    if finding is not None and finding.enterprise_id:
        initial["enterprise"] = finding.enterprise
    form = RequirementForm(units, enterprises, findings, request.POST or None, initial=initial)
    back = _visit_url(visit.pk) if visit else _round_url(pk)

    def save(data):
        return services.issue_requirement(user, round_, data["key_task"], data["text"], data["due_date"],
                                          org=data["org"], enterprise=data["enterprise"], owner=data["owner"],
                                          visit=visit, finding=data["finding"])

    title = (_("Issue a requirement after visit %(code)s") % {"code": visit.code} if visit else
             _("Issue a requirement in %(round)s") % {"round": round_.display_name(get_language())})
    return (saved(request, form, save, lambda r: _("Requirement %(code)s issued.") % {"code": r.code}, back)
            or form_page(request, title, form, back, submit=_("Issue")))


@require_GET
@login_required
def requirement_list(request):
    user = request.user
    requirements = requirement_queryset(visible(user, Requirement))
    filters = {"status": request.GET.get("status", ""), "overdue": request.GET.get("overdue", ""),
               "round": request.GET.get("round", ""), "org": request.GET.get("org", "").strip(),
               "key_task": request.GET.get("key_task", "")}
    if filters["status"] in Status.values:
        requirements = requirements.filter(status=filters["status"])
    if filters["overdue"] == "1":
        requirements = requirements.overdue()
    if filters["round"].isdigit():
        requirements = requirements.filter(round_id=int(filters["round"]))
    if filters["key_task"].isdigit():
        requirements = requirements.filter(key_task_id=int(filters["key_task"]))
    org = None
    if filters["org"]:
        org = access.visible_units(user).filter(code=filters["org"]).first()
        requirements = requirements.filter(org__path__startswith=org.path) if org else requirements.none()
    ordered = sort_overdue_first(requirements)
    pages = Paginator(ordered, 50)
    current = pages.get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    return page(request, "supervision/requirement_list.html", {
        "page_obj": current, "requirements": current.object_list, "filters": filters, "org": org,
        "rounds": visible(user, Round), "key_tasks": KeyTask.objects.filter(active=True),
        "statuses": Status.choices, "query": query, "count": len(ordered),
    })


@require_GET
@login_required
def requirement_detail(request, pk: int):
    user = request.user
    requirement = get_visible_or_404(user, Requirement, pk=pk)
    steps = requirement.steps.select_related("by").prefetch_related("attachments")
    may_respond = may(user, "respond", requirement)
    may_review = may(user, "review", requirement)
    return page(request, "supervision/requirement_detail.html", {
        "requirement": requirement, "steps": steps,
        "finding_visible": requirement.finding_id and visible(user, Finding).filter(pk=requirement.finding_id).exists(),
        "visit_visible": requirement.visit_id and visible(user, Visit).filter(pk=requirement.visit_id).exists(),
        "may_respond": may_respond and requirement.status in (Status.ISSUED, Status.RETURNED),
        "may_add_evidence": may_respond and requirement.status == Status.RESPONDED,
        "may_review": may_review and requirement.status == Status.RESPONDED,
        "may_edit": may_review and requirement.status != Status.VERIFIED,
        "respond_form": RespondForm(), "review_form": ReviewForm(), "evidence_form": AttachmentForm(),
    })


@require_http_methods(["GET", "POST"])
@login_required
def requirement_edit(request, pk: int):
    user = request.user
    requirement = get_visible_or_404(user, Requirement, pk=pk)
    require(user, "review", requirement)
    units, enterprises = _issue_choices(user, requirement.round, requirement.visit)
    units = units | OrgUnit.objects.filter(pk=requirement.org_id)
    enterprises = enterprises | Enterprise.objects.filter(pk=requirement.enterprise_id or 0)
    findings = (visible(user, Finding).filter(visit=requirement.visit) if requirement.visit_id else
                Finding.objects.none())
    initial = {"org": None if requirement.enterprise_id else requirement.org, "enterprise": requirement.enterprise,
               "key_task": requirement.key_task, "text": requirement.text, "due_date": requirement.due_date,
               "owner": requirement.owner, "finding": requirement.finding}
    form = RequirementForm(units.distinct(), enterprises.distinct(), findings, request.POST or None, initial=initial)
    back = reverse("supervision:requirement", args=[pk])

    def save(data):
        services.update_requirement(user, requirement, key_task=data["key_task"], text=data["text"],
                                    due_date=data["due_date"], owner=data["owner"],
                                    org=None if data["enterprise"] else data["org"], enterprise=data["enterprise"],
                                    finding=data["finding"])

    return (saved(request, form, save, _("Requirement saved."), back)
            or form_page(request, _("Edit requirement %(code)s") % {"code": requirement.code}, form, back))


@require_POST
@login_required
def requirement_delete(request, pk: int):
    requirement = get_visible_or_404(request.user, Requirement, pk=pk)
    require(request.user, "review", requirement)
    services.delete_requirement(request.user, requirement)
    messages.success(request, _("Requirement %(code)s withdrawn.") % {"code": requirement.code})
    return redirect("supervision:round", pk=requirement.round_id)


@require_POST
@login_required
def requirement_respond(request, pk: int):
    user = request.user
    requirement = get_visible_or_404(user, Requirement, pk=pk)
    require(user, "respond", requirement)
    back = reverse("supervision:requirement", args=[pk])
    form = RespondForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Say what was done."))
        return redirect(back)
    evidence = [form.cleaned_data["file"]] if form.cleaned_data.get("file") else []
    try:
        services.respond(user, requirement, form.cleaned_data["text"], evidence=evidence)
    except (services.SupervisionError, FileRefused) as error:
        return refused(request, error, back)
    messages.success(request, _("Response sent. A supervisor will verify it."))
    return redirect(back)


@require_POST
@login_required
def requirement_evidence(request, pk: int):
    user = request.user
    requirement = get_visible_or_404(user, Requirement, pk=pk)
    require(user, "respond", requirement)
    back = reverse("supervision:requirement", args=[pk])
    form = AttachmentForm(request.POST, request.FILES)
    step = requirement.steps.filter(kind=StepKind.RESPONSE).order_by("-at", "-id").first()
    if requirement.status != Status.RESPONDED or step is None:
        messages.error(request, _("Evidence goes with a response: respond first."))
        return redirect(back)
    if not form.is_valid():
        messages.error(request, _("Choose a file."))
        return redirect(back)
    try:
        services.add_attachment(user, form.cleaned_data["file"], step=step)
    except (services.SupervisionError, FileRefused) as error:
        return refused(request, error, back)
    messages.success(request, _("Evidence added."))
    return redirect(back)


def _review(request, pk: int, act, done) -> HttpResponse:
    """Send back or verify: `act(user, requirement, text)` (a service), `done(requirement)` the message."""
    user = request.user
    requirement = get_visible_or_404(user, Requirement, pk=pk)
    require(user, "review", requirement)
    back = reverse("supervision:requirement", args=[pk])
    form = ReviewForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    try:
        act(user, requirement, text)
    except services.SupervisionError as error:
        return refused(request, error, back)
    messages.success(request, done(requirement))
    return redirect(back)


@require_POST
@login_required
def requirement_send_back(request, pk: int):
    return _review(request, pk, services.send_back,
                   lambda r: _("Sent back to %(who)s.") % {"who": r.addressee(get_language())})


@require_POST
@login_required
def requirement_verify(request, pk: int):
    return _review(request, pk, services.verify,
                   lambda r: _("Requirement %(code)s verified and closed.") % {"code": r.code})


# --- units, export -------------------------------------------------------------------------------

@require_GET
@login_required
def unit_page(request, code: str):
    user = request.user
    org = access.visible_units(user).filter(code=code).first()
    if org is None:
        raise Http404("no such unit")
    requirements = sort_overdue_first(unit_requirements(user, org))
    visits = (visible(user, Visit).filter(org__path__startswith=org.path).select_related("round", "group", "org")
              .prefetch_related("enterprises").order_by("-date", "code"))
    findings = (visible(user, Finding).filter(visit__org__path__startswith=org.path)
                .select_related("visit", "enterprise").order_by("-visit__date", "code"))
    overdue = [r for r in requirements if r.overdue]
    return page(request, "supervision/unit.html", {
        "org": org, "requirements": requirements, "overdue": overdue, "visits": visits,
        "findings": findings, "children": access.visible_units(user).filter(parent=org).order_by("code"),
    })


@require_GET
@login_required
def export(request, kind: str):
    if kind not in MODELS:
        raise Http404("no such export")
    queryset = visible(request.user, MODELS[kind])
    round_code = None
    if request.GET.get("round", "").isdigit():
        round_ = get_visible_or_404(request.user, Round, pk=int(request.GET["round"]))
        queryset = queryset.filter(**({"visit__round": round_} if kind == "findings" else {"round": round_}))
        round_code = round_.code
    data = export_xlsx(kind, queryset.order_by("code"))
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(kind, round_code)}"'
    return response
