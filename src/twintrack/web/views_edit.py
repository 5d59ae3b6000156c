"""Create and edit enterprises and projects, and remove a month of progress.

A form is a one-row import (`web.formrows`): the enterprises and projects import kinds check
the row (their rules, the importing person's scope, deleted records) and their services write
it with its history. The form only turns the record into the row the kind reads and shows the
kind's problems beside the fields they name.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from twintrack.approvals.services import ApprovalRefused
from twintrack.display.language import active_lang
from twintrack.display.periods import Period
from twintrack.enterprises.models import Enterprise, IndustryCode, Size
from twintrack.orgs.access import get_visible_or_404, require, visible, visible_orgs
from twintrack.programme.models import Progress, Project, ProjectKind, ProjectStatus
from twintrack.programme.services import remove_progress
from twintrack.web.formrows import write_rows


@dataclass
class Field:
    """One input of a record form: the import column it fills, and how it is typed."""
    name: str  # the import kind's column key
    label: object
    kind: str = "text"  # text | date | select | number
    choices: list = field(default_factory=list)  # (value, label) for a select
    datalist: str = ""  # id of the suggestions list
    required: bool = False
    help: object = ""


PROJECT_FIELDS = (
    Field("code", gettext_lazy("Project code"), required=True),
    Field("uscc", gettext_lazy("Enterprise (unified social credit code)"), datalist="enterprises", required=True),
    Field("title", gettext_lazy("Title"), required=True),
    Field("kind", gettext_lazy("Kind"), "select", required=True),
    Field("category", gettext_lazy("Category")),
    Field("start_date", gettext_lazy("Start date"), "date", required=True),
    Field("planned_end_date", gettext_lazy("Planned end date"), "date"),
    Field("planned_investment_10k_yuan", gettext_lazy("Planned investment (10,000 yuan)"), "number"),
    Field("status", gettext_lazy("Status"), "select", required=True),
)

ENTERPRISE_FIELDS = (
    Field("uscc", gettext_lazy("Unified social credit code"), required=True),
    Field("name_zh", gettext_lazy("Chinese name"), required=True),
    Field("name_en", gettext_lazy("English name")),
    Field("org_code", gettext_lazy("Unit"), "select", required=True),
    Field("industry_code", gettext_lazy("Industry code (GB/T 4754-2017)"), datalist="industries", required=True,
          help=gettext_lazy("Division, group or class of section C, e.g. 3311")),
    Field("size", gettext_lazy("Size"), "select"),
    Field("above_scale", gettext_lazy("Above designated size"), "select"),
)


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def _date(value) -> str:
    return value.isoformat() if value else ""


def project_values(project: Project) -> dict[str, str]:
    planned = project.planned_investment_yuan
    return {"code": project.code, "uscc": project.enterprise.uscc, "title": project.title, "kind": project.kind,
            "category": project.category, "start_date": _date(project.start_date),
            "planned_end_date": _date(project.planned_end_date),
            "planned_investment_10k_yuan": _plain(planned / 10000 if planned is not None else None),
            "status": project.status}


def enterprise_values(enterprise: Enterprise) -> dict[str, str]:
    above = {True: "yes", False: "no"}.get(enterprise.above_scale, "")
    return {"uscc": enterprise.uscc, "name_zh": enterprise.name_zh, "name_en": enterprise.name_en,
            "org_code": enterprise.org.code, "industry_code": enterprise.industry_id, "size": enterprise.size,
            "above_scale": above}


def _choices(user) -> dict[str, list]:
    lang = active_lang()
    blank = [("", _("Not given"))]
    return {
        "kind": list(ProjectKind.choices), "status": list(ProjectStatus.choices),
        "org_code": [(u.code, f"{u.display_name(lang)} {u.code}") for u in visible_orgs(user).order_by("path")],
        "size": blank + list(Size.choices), "above_scale": blank + [("yes", _("yes")), ("no", _("no"))],
    }


def _bound(fields, values: dict, errors: dict, user, fixed: set[str]) -> list[dict]:
    choices = _choices(user)
    return [{"field": f, "value": values.get(f.name, ""), "errors": errors.get(f.name, []),
             "choices": choices.get(f.name, []), "readonly": f.name in fixed} for f in fields]


def _posted(request, fields, fixed: dict[str, str]) -> dict[str, str]:
    values = {f.name: (request.POST.get(f.name) or "").strip() for f in fields}
    values.update(fixed)  # what the page does not let change (the record's own key)
    return values


def _save(request, kind: str, fields, values: dict[str, str], reason: str, heading: str, back: str,
          fixed: set[str], redirect_to):
    outcome = write_rows(kind, [values], request.user, reason=reason[:100])
    if outcome.ok:
        result = outcome.result
        if result.created or result.updated:
            messages.success(request, _("Saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect_to()
    return _form_page(request, fields, values, outcome.for_row(0), outcome.general, heading, back, fixed, 400)


def _form_page(request, fields, values, errors, general, heading, back, fixed: set[str], status=200):
    lang = active_lang()
    context = {"fields": _bound(fields, values, errors, request.user, fixed), "general": general,
               "heading": heading, "back": back}
    if any(f.datalist == "enterprises" for f in fields):
        context["enterprises"] = visible(request.user, Enterprise).filter(is_active=True).order_by("name_zh")[:2000]
    if any(f.datalist == "industries" for f in fields):
        context["industries"] = [(c.code, c.name_en if lang == "en" and c.name_en else c.name_zh)
                                 for c in IndustryCode.objects.order_by("code")]
    return render(request, "web/record_form.html", context, status=status)


# --- projects ------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "create", Project)
    heading, back = _("New project"), reverse("project_list")
    if request.method == "POST":
        values = _posted(request, PROJECT_FIELDS, {})
        return _save(request, "projects", PROJECT_FIELDS, values, f"web form new project {values['code']}",
                     heading, back, set(), lambda: _to_project(values["code"], request.user))
    values = {"kind": ProjectKind.DIGITAL, "status": ProjectStatus.IN_PROGRESS}
    enterprise = _enterprise_from_query(request)
    if enterprise is not None:
        values["uscc"] = enterprise.uscc
    return _form_page(request, PROJECT_FIELDS, values, {}, [], heading, back, set())


def _enterprise_from_query(request) -> Enterprise | None:
    pk = request.GET.get("enterprise", "")
    if not pk.isdigit():
        return None
    return visible(request.user, Enterprise).filter(pk=int(pk), is_active=True).first()


def _to_project(code: str, user):
    project = visible(user, Project).filter(code=code).first()
    return redirect("project_detail", pk=project.pk) if project else redirect("project_list")


@require_http_methods(["GET", "POST"])
@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_visible_or_404(request.user, Project, pk=pk)
    require(request.user, "change", project)
    heading = _("Edit project %(code)s") % {"code": project.code}
    back = reverse("project_detail", args=[project.pk])
    if not project.is_active:
        messages.error(request, _("A deleted project cannot be edited; the bureau can restore it."))
        return redirect("project_detail", pk=project.pk)
    fixed = {"code": project.code}
    if request.method == "POST":
        values = _posted(request, PROJECT_FIELDS, fixed)
        return _save(request, "projects", PROJECT_FIELDS, values, f"web form {project.code}", heading, back,
                     set(fixed), lambda: redirect("project_detail", pk=project.pk))
    return _form_page(request, PROJECT_FIELDS, project_values(project), {}, [], heading, back, set(fixed))


# --- enterprises ---------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@login_required
def enterprise_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "create", Enterprise)
    heading, back = _("New enterprise"), reverse("enterprise_list")
    if request.method == "POST":
        values = _posted(request, ENTERPRISE_FIELDS, {})
        return _save(request, "enterprises", ENTERPRISE_FIELDS, values, f"web form new enterprise {values['uscc']}",
                     heading, back, set(), lambda: _to_enterprise(values["uscc"], request.user))
    root_units = _choices(request.user)["org_code"]
    values = {"org_code": root_units[0][0] if root_units else ""}
    return _form_page(request, ENTERPRISE_FIELDS, values, {}, [], heading, back, set())


def _to_enterprise(uscc: str, user):
    from twintrack.enterprises.importing import lookup_uscc

    enterprise = visible(user, Enterprise).filter(uscc=lookup_uscc(uscc)).first()
    return redirect("enterprise_detail", pk=enterprise.pk) if enterprise else redirect("enterprise_list")


@require_http_methods(["GET", "POST"])
@login_required
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_visible_or_404(request.user, Enterprise, pk=pk)
    require(request.user, "change", enterprise)
    heading = _("Edit %(name)s") % {"name": enterprise.display_name(active_lang())}
    back = reverse("enterprise_detail", args=[enterprise.pk])
    if not enterprise.is_active:
        messages.error(request, _("A deleted enterprise cannot be edited; the bureau can restore it."))
        return redirect("enterprise_detail", pk=enterprise.pk)
    fixed = {"uscc": enterprise.uscc}
    if request.method == "POST":
        values = _posted(request, ENTERPRISE_FIELDS, fixed)
        return _save(request, "enterprises", ENTERPRISE_FIELDS, values, f"web form {enterprise.uscc}", heading,
                     back, set(fixed), lambda: redirect("enterprise_detail", pk=enterprise.pk))
    return _form_page(request, ENTERPRISE_FIELDS, enterprise_values(enterprise), {}, [], heading, back, set(fixed))


# --- removing a month of progress -------------------------------------------------------------------

@require_POST
@login_required
def progress_remove(request: HttpRequest, pk: int, period: Period) -> HttpResponse:
    project = get_visible_or_404(request.user, Project, pk=pk)
    row = Progress.objects.filter(project=project, year=period.year, month=period.month).first()
    if row is None:
        raise Http404("no progress for this month")
    require(request.user, "delete", row)
    reason = (request.POST.get("reason") or "").strip()[:100]
    if not reason:
        messages.error(request, _("Give a reason for removing the month."))
    elif not project.is_active:
        messages.error(request, _("A deleted project cannot be changed; the bureau can restore it."))
    else:
        try:
            remove_progress(row, reason, request.user)
            messages.success(request, _("The figures of %(month)s were removed; the history keeps them.")
                             % {"month": str(period)})
        except ApprovalRefused as refused:
            messages.error(request, refused.message)
    return redirect("project_detail", pk=project.pk)
