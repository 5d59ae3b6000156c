"""The diagnosis pages. Thin: access from twintrack.orgs.access and diagnosis.access (a hidden
object is a 404, a visible one the user may not change a 403), figures from pages.py and
the other modules, writes through services.py."""
from __future__ import annotations

from decimal import ROUND_HALF_EVEN

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from twintrack.diagnosis import pages
from twintrack.diagnosis.access import own_enterprise_id, provider_of, visible_enterprises
from twintrack.diagnosis.coverage import coverage_for, coverage_for_units, rule_for
from twintrack.diagnosis.forms import (
    AdoptionForm, AssignmentForm, CoverageSettingForm, DemonstrationForm, DemonstrationStatusForm, DiagnosisForm,
    FrameworkUploadForm, ProviderForm, QuestionnaireForm, SolutionForm,
)
from twintrack.diagnosis.frameworks import load_framework, make_framework_current, read_framework_bytes
from twintrack.diagnosis.models import (
    Assessment, AssessmentKind, CoverageSetting, Demonstration, DemonstrationKind, DemonstrationStatus,
    DiagnosisReport, Framework, ProviderAssignment, ServiceProvider, Solution, SolutionAdoption, SolutionKind,
)
from twintrack.diagnosis.scoring import AnswerError, FrameworkError
from twintrack.diagnosis.services import (
    ReportFile, assign_provider, delete_assessment, end_assignment, record_adoption, record_assessment,
    save_coverage_setting, save_demonstration, save_solution, set_demonstration_status,
)
from twintrack.diagnosis.subindustry import overview
from twintrack.display import amounts
from twintrack.display.language import active_lang
from twintrack.enterprises.models import Enterprise, IndustryCode, Size
from twintrack.metrics import version
from twintrack.orgs.access import (
    get_visible_or_404, may, require, require_scope_root, role_of, scope_root, visible, visible_orgs,
)
from twintrack.orgs.models import OrgUnit, Role

PAGE_SIZE = 50


def in_menu(view):
    """Mark the main menu's Diagnosis entry as the open one on every diagnosis page."""
    from functools import wraps

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.menu_section = "diagnosis:home"
        return view(request, *args, **kwargs)

    return wrapped




def _enterprise_or_404(request, pk: int):
    try:
        return visible_enterprises(request.user).select_related("org", "industry").get(pk=pk)
    except (ValueError, Enterprise.DoesNotExist):
        raise Http404("no such enterprise") from None


def _org_param(request, root: OrgUnit) -> OrgUnit:
    code = request.GET.get("org", "").strip()
    if not code:
        return root
    try:
        return visible_orgs(request.user).get(code=code)
    except OrgUnit.DoesNotExist:
        raise Http404("no such org unit") from None


def _framework_param(request) -> Framework | None:
    current = Framework.objects.filter(is_current=True, is_active=True).order_by("key")
    wanted = request.GET.get("framework", "").strip()
    if wanted:
        return current.filter(key=wanted).first()
    return current.filter(key="miit_sme_digital_2022").first() or current.first()


# --- the landing page --------------------------------------------------------------------------

@require_GET
@login_required
@in_menu
def home(request: HttpRequest) -> HttpResponse:
    """Enterprise users go to their own page; everyone else gets the enterprises they see, with
    their latest level (a provider: the enterprises assigned to it)."""
    require(request.user, "view", Assessment)
    if role_of(request.user) == Role.ENTERPRISE:  # the landing page: an enterprise user's own
        own = own_enterprise_id(request.user)
        if own is None or not visible_enterprises(request.user).filter(pk=own).exists():
            raise PermissionDenied
        return redirect("diagnosis:enterprise", pk=own)
    lang = active_lang()
    framework = _framework_param(request)
    enterprises = visible_enterprises(request.user).select_related("org", "industry")
    root = scope_root(request.user)
    org = _org_param(request, root) if root is not None else None
    if org is not None:
        enterprises = enterprises.filter(org__path__startswith=org.path)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        enterprises = enterprises.filter(Q(name_zh__icontains=query) | Q(name_en__icontains=query)
                                         | Q(uscc__iexact=query))
    industry = request.GET.get("industry", "").strip()[:4]
    if industry.isdigit():
        enterprises = enterprises.filter(industry__code__startswith=industry)
    if framework is not None:
        enterprises = pages.with_latest(enterprises, framework.key)
        level = request.GET.get("level", "").strip()
        if level == "none":
            enterprises = enterprises.filter(latest_level__isnull=True)
        elif level.isdigit():
            enterprises = enterprises.filter(latest_level=int(level))
    page = Paginator(enterprises.order_by("org__code", "name_zh", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    levels = pages.levels_of(framework) if framework else {}
    rows = [{"enterprise": e, "name": e.display_name(lang), "org": e.org.display_name(lang),
             "score": pages.number(getattr(e, "latest_score", None)),
             "level": pages.level_label(levels.get(getattr(e, "latest_level", None)), lang)
             if getattr(e, "latest_level", None) is not None else None,
             "date": getattr(e, "latest_date", None)} for e in page]
    coverage = None
    if org is not None and framework is not None:
        coverage = version.cached(f"diagnosis-coverage:{org.id}:{timezone.localdate().isoformat()}",
                                  lambda: coverage_for(org, timezone.localdate()), [org])
    provider = provider_of(request.user)
    return render(request, "diagnosis/home.html", {
        "rows": rows, "page": page, "framework": framework, "org": org, "query": query, "industry": industry,
        "level": request.GET.get("level", ""), "levels": [(n, lv.display_name(lang)) for n, lv in levels.items()],
        "frameworks": Framework.objects.filter(is_current=True, is_active=True).order_by("key"),
        "units": visible_orgs(request.user).order_by("path") if root is not None else [],
        "coverage": coverage, "provider": provider, "lang": lang,
    })


# --- one enterprise ------------------------------------------------------------------------------

@require_GET
@login_required
@in_menu
def enterprise(request: HttpRequest, pk: int) -> HttpResponse:
    firm = _enterprise_or_404(request, pk)
    lang = active_lang()
    framework = pages.framework_choice(firm, request.GET.get("framework", "").strip())
    context = pages.enterprise_page(firm, framework, visible(request.user, Assessment), lang)
    user = request.user
    context.update({
        "enterprise": firm,
        "name": firm.display_name(lang),
        "org_name": firm.org.display_name(lang),
        "industry_name": (firm.industry.name_en or firm.industry.name_zh) if lang == "en" else firm.industry.name_zh,
        "group": IndustryCode.objects.filter(code=firm.industry_id[:3]).first(),
        "frameworks": Framework.objects.filter(is_current=True, is_active=True).order_by("key"),
        "can_self_assess": may(user, "create", Assessment(enterprise=firm, kind=AssessmentKind.SELF)),
        "can_diagnose": may(user, "create", Assessment(enterprise=firm, kind=AssessmentKind.OFFLINE)),
        "can_adopt": may(user, "create", SolutionAdoption),
        "can_nominate": may(user, "create", Demonstration),
        "assignments": visible(user, ProviderAssignment).filter(enterprise=firm).select_related("provider"),
        "adoptions": visible(user, SolutionAdoption).filter(enterprise=firm).select_related("solution",
                                                                                                "solution__provider"),
        "demonstrations_here": visible(user, Demonstration).filter(enterprise=firm),
        "to_visit": pages.demonstrations_to_visit(firm.industry_id, lang, exclude_enterprise=firm),
        "adoption_form": AdoptionForm(lang=lang) if may(user, "create", SolutionAdoption) else None,
        "lang": lang,
    })
    return render(request, "diagnosis/enterprise.html", context)


def _questionnaire_framework(request) -> Framework:
    key = request.GET.get("framework", "").strip() or request.POST.get("framework", "").strip()
    current = Framework.objects.filter(is_current=True, is_active=True)
    framework = current.filter(key=key).first() if key else (
        current.filter(key="miit_sme_digital_2022").first() or current.order_by("key").first())
    if framework is None:
        raise Http404("no such framework")
    return framework


@require_http_methods(["GET", "POST"])
@login_required
@in_menu
def self_assess(request: HttpRequest, pk: int) -> HttpResponse:
    """An enterprise user's self-assessment of its own enterprise."""
    firm = _enterprise_or_404(request, pk)
    require(request.user, "create", Assessment(enterprise=firm, kind=AssessmentKind.SELF))
    lang = active_lang()
    framework = _questionnaire_framework(request)
    form = QuestionnaireForm(request.POST or None, framework=framework, lang=lang)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = record_assessment(firm, framework, form.answers(), kind=AssessmentKind.SELF,
                                           user=request.user)
        except AnswerError as error:
            form.add_error(None, "; ".join(error.problems))
        else:
            messages.success(request, _("Your self-assessment is saved."))
            return redirect(reverse("diagnosis:enterprise", args=[firm.pk]) + f"?framework={framework.key}"
                            f"#assessment-{assessment.pk}")
    return render(request, "diagnosis/assess.html", {
        "enterprise": firm, "name": firm.display_name(lang), "framework": framework, "form": form,
        "framework_name": framework.display_name(lang), "offline": False, "lang": lang,
        "frameworks": Framework.objects.filter(is_current=True, is_active=True).order_by("key"),
    })


@require_http_methods(["GET", "POST"])
@login_required
@in_menu
def diagnose(request: HttpRequest, pk: int) -> HttpResponse:
    """A service provider's offline diagnosis of an enterprise assigned to it."""
    firm = _enterprise_or_404(request, pk)
    require(request.user, "create", Assessment(enterprise=firm, kind=AssessmentKind.OFFLINE))
    lang = active_lang()
    framework = _questionnaire_framework(request)
    form = DiagnosisForm(request.POST or None, request.FILES or None, framework=framework, lang=lang)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reports = []
        if data.get("report") is not None:
            upload = data["report"]
            reports.append(ReportFile(upload.name, upload.read()))
        try:
            assessment = record_assessment(
                firm, framework, form.answers(), kind=AssessmentKind.OFFLINE, assessed_on=data["assessed_on"],
                user=request.user, provider=provider_of(request.user), summary=data["summary"],
                pain_points=data["pain_points"], recommendations=data["recommendations"], reports=reports)
        except AnswerError as error:
            form.add_error(None, "; ".join(error.problems))
        else:
            messages.success(request, _("The diagnosis is recorded."))
            return redirect("diagnosis:assessment", pk=assessment.pk)
    return render(request, "diagnosis/assess.html", {
        "enterprise": firm, "name": firm.display_name(lang), "framework": framework, "form": form,
        "framework_name": framework.display_name(lang), "offline": True, "lang": lang,
        "frameworks": Framework.objects.filter(is_current=True, is_active=True).order_by("key"),
    })


@require_POST
@login_required
@in_menu
def add_adoption(request: HttpRequest, pk: int) -> HttpResponse:
    firm = _enterprise_or_404(request, pk)
    require(request.user, "create", SolutionAdoption)
    form = AdoptionForm(request.POST, lang=active_lang())
    if form.is_valid():
        data = form.cleaned_data
        record_adoption(firm, data["solution"], data["status"], data["started_on"], data["completed_on"],
                        user=request.user)
        messages.success(request, _("The solution is recorded."))
    else:
        messages.error(request, _("The solution was not recorded: %(errors)s") % {
            "errors": "; ".join(str(e) for errors in form.errors.values() for e in errors)})
    return redirect(reverse("diagnosis:enterprise", args=[firm.pk]) + "#adoptions")


# --- one assessment -----------------------------------------------------------------------------

@require_GET
@login_required
@in_menu
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_visible_or_404(request.user, Assessment, pk=pk)
    lang = active_lang()
    places = row.framework.definition.get("scoring", {}).get("decimals", 2)
    detail = pages.assessment_detail(row, lang, places)
    answers = (row.answers.select_related("question", "option", "question__dimension")
               .order_by("question__dimension__order", "question__order"))
    return render(request, "diagnosis/assessment.html", {
        "row": row, "detail": detail, "enterprise": row.enterprise, "name": row.enterprise.display_name(lang),
        "framework_name": row.framework.display_name(lang), "lang": lang,
        "answers": [{"code": a.question.code,
                     "question": a.question.text_en if lang == "en" else a.question.text_zh,
                     "dimension": a.question.dimension.display_name(lang),
                     "answer": a.option.text_en if lang == "en" else a.option.text_zh,
                     "score": pages.number(a.score, places)} for a in answers],
        "can_delete": may(request.user, "delete", row),
    })


@require_POST
@login_required
@in_menu
def assessment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_visible_or_404(request.user, Assessment, pk=pk)
    require(request.user, "delete", row)
    delete_assessment(row, request.user, "deleted on the assessment page")
    messages.success(request, _("The assessment is deleted; it stays in the history."))
    return redirect("diagnosis:enterprise", pk=row.enterprise_id)


@require_GET
@login_required
@in_menu
def report_file(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        report = DiagnosisReport.objects.get(pk=pk, is_active=True,
                                             assessment__in=visible(request.user, Assessment))
    except DiagnosisReport.DoesNotExist:
        raise Http404("no such report") from None
    response = HttpResponse(bytes(report.content), content_type=report.content_type)
    response["Content-Disposition"] = content_disposition_header(True, report.filename)
    return response


# --- sub-industries ------------------------------------------------------------------------------

@require_GET
@login_required
@in_menu
def subindustries(request: HttpRequest) -> HttpResponse:
    root = require_scope_root(request.user)
    org = _org_param(request, root)
    framework = _framework_param(request)
    if framework is None:
        raise Http404("no framework")
    by = request.GET.get("by", "group")
    if by not in ("group", "class"):
        by = "group"
    lang = active_lang()
    rows = version.cached(f"diagnosis-subindustries:{org.id}:{framework.id}:{by}:{lang}",
                          lambda: overview(org, framework, by, lang=lang), [org])
    levels = pages.levels_of(framework)
    dimensions = list(framework.dimensions.order_by("order"))
    dim_names = {d.code: d.display_name(lang) for d in dimensions}
    total = {"firms": sum(r.firms for r in rows), "assessed": sum(r.assessed for r in rows),
             "lightweight": sum(r.lightweight_smes for r in rows), "smes": sum(r.smes for r in rows),
             "demonstrations": sum(r.demonstrations for r in rows)}
    top = [r for r in rows if r.assessed][:15]
    chart = {
        "categories": [f"{r.code} {r.name}" for r in top],
        "levels": [{"name": level.display_name(lang), "number": n, "data": [r.levels.get(n, 0) for r in top]}
                   for n, level in sorted(levels.items())],
        "labels": {"firms": _("Firms")},
    }
    table = [{"row": r, "levels": [r.levels.get(n, 0) for n in sorted(levels)],
              "averages": [pages.number(r.averages.get(d.code)) if d.code in r.averages else "—" for d in dimensions],
              "weakest": dim_names.get(r.weakest, ""),
              "assessed_share": amounts.percent(r.assessed_share, 1, keep_zeros=True, rounding=ROUND_HALF_EVEN),
              "url": reverse("diagnosis:subindustry", args=[r.code]) + f"?org={org.code}&framework={framework.key}"}
             for r in rows]
    return render(request, "diagnosis/subindustries.html", {
        "org": org, "org_name": org.display_name(lang), "framework": framework, "by": by, "table": table,
        "level_names": [levels[n].display_name(lang) for n in sorted(levels)], "dimensions": dimensions,
        "dimension_names": [dim_names[d.code] for d in dimensions], "total": total, "chart": chart,
        "units": visible_orgs(request.user).order_by("path"),
        "frameworks": Framework.objects.filter(is_current=True, is_active=True).order_by("key"), "lang": lang,
    })


@require_GET
@login_required
@in_menu
def subindustry(request: HttpRequest, code: str) -> HttpResponse:
    root = require_scope_root(request.user)
    if not code.isdigit() or len(code) not in (3, 4):
        raise Http404("not a group or class code")
    industry = IndustryCode.objects.filter(code=code).first()
    if industry is None:
        raise Http404("no such code")
    org = _org_param(request, root)
    framework = _framework_param(request)
    if framework is None:
        raise Http404("no framework")
    lang = active_lang()
    by = "group" if len(code) == 3 else "class"
    rows = overview(org, framework, by, only=code, lang=lang)
    row = rows[0] if rows else None
    levels = pages.levels_of(framework)
    dimensions = list(framework.dimensions.order_by("order"))
    firms = pages.with_latest(
        visible_enterprises(request.user).filter(org__path__startswith=org.path, industry__code__startswith=code)
        .select_related("org"), framework.key).order_by("-latest_score", "name_zh")[:200]
    solutions = [s for s in Solution.objects.filter(is_active=True).select_related("provider")
                 if not s.industries or any(code.startswith(c) or c.startswith(code) for c in s.industries)]
    radar = None
    if row is not None and row.averages:
        radar = {"indicators": [{"name": d.display_name(lang), "max": float(d.max_score)} for d in dimensions],
                 "series": [{"name": _("Average of the sub-industry"), "kind": "latest",
                             "values": [float(row.averages.get(d.code, 0)) for d in dimensions]}]}
    return render(request, "diagnosis/subindustry.html", {
        "org": org, "org_name": org.display_name(lang), "framework": framework, "industry": industry,
        "industry_name": industry.name_en if lang == "en" and industry.name_en else industry.name_zh,
        "row": row, "levels": [(levels[n].display_name(lang), row.levels.get(n, 0) if row else 0)
                               for n in sorted(levels)],
        "averages": [(d.display_name(lang), pages.number(row.averages.get(d.code)) if row and d.code in row.averages
                      else "—", pages.number(d.max_score)) for d in dimensions],
        "weakest": next((d.display_name(lang) for d in dimensions if row and d.code == row.weakest), None),
        "firms": [{"enterprise": e, "name": e.display_name(lang), "org": e.org.display_name(lang),
                   "score": pages.number(e.latest_score),
                   "level": pages.level_label(levels.get(e.latest_level), lang) if e.latest_level is not None
                   else None} for e in firms],
        "to_visit": pages.demonstrations_to_visit(code, lang, limit=50),
        "solutions": solutions[:30], "radar": radar, "lang": lang,
    })


# --- demonstrations ------------------------------------------------------------------------------

@require_GET
@login_required
@in_menu
def demonstrations(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", Demonstration)
    lang = active_lang()
    rows = visible(request.user, Demonstration).select_related("enterprise", "enterprise__org", "industry")
    kind = request.GET.get("kind", "")
    if kind in DemonstrationKind.values:
        rows = rows.filter(kind=kind)
    status = request.GET.get("status", "")
    if status in DemonstrationStatus.values:
        rows = rows.filter(status=status)
    industry = request.GET.get("industry", "").strip()[:4]
    if industry.isdigit():
        rows = rows.filter(industry__code__startswith=industry)
    if request.GET.get("visits") == "1":
        rows = rows.filter(open_for_visits=True, status=DemonstrationStatus.DESIGNATED)
    rows = list(rows.order_by("industry_id", "-year", "id")[:500])
    groups = {g.code: g for g in IndustryCode.objects.filter(code__in={r.industry_id[:3] for r in rows})}
    by_group: dict[str, dict] = {}
    for row in rows:
        code = row.industry_id[:3]
        group = by_group.setdefault(code, {"code": code, "name": groups[code].name_zh if code in groups else code,
                                           "rows": []})
        group["rows"].append(row)
    return render(request, "diagnosis/demonstrations.html", {
        "groups": sorted(by_group.values(), key=lambda g: g["code"]), "count": len(rows),
        "kinds": DemonstrationKind.choices, "statuses": DemonstrationStatus.choices, "kind": kind, "status": status,
        "industry": industry, "visits": request.GET.get("visits") == "1",
        "can_nominate": may(request.user, "create", Demonstration), "lang": lang,
    })


@require_http_methods(["GET", "POST"])
@login_required
@in_menu
def demonstration_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "create", Demonstration)
    initial = {}
    wanted = request.GET.get("enterprise", "")
    if wanted.isdigit():
        firm = visible_enterprises(request.user).filter(pk=int(wanted)).first()
        if firm is not None:
            initial["uscc"] = firm.uscc
    form = DemonstrationForm(request.POST or None, initial=initial, enterprises=visible_enterprises(request.user))
    if request.method == "POST" and form.is_valid():
        demonstration = form.save(commit=False)
        demonstration.enterprise = form.enterprise
        demonstration.industry_id = form.enterprise.industry_id
        demonstration.status = DemonstrationStatus.NOMINATED
        save_demonstration(demonstration, request.user, "nominated")
        messages.success(request, _("The nomination is saved."))
        return redirect("diagnosis:demonstration", pk=demonstration.pk)
    return render(request, "diagnosis/demonstration_form.html", {"form": form, "editing": None})


@require_http_methods(["GET", "POST"])
@login_required
@in_menu
def demonstration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_visible_or_404(request.user, Demonstration, pk=pk)
    require(request.user, "change", row)
    form = DemonstrationForm(request.POST or None, instance=row, enterprises=visible_enterprises(request.user))
    if request.method == "POST" and form.is_valid():
        demonstration = form.save(commit=False)
        demonstration.enterprise = form.enterprise
        demonstration.industry_id = form.enterprise.industry_id
        save_demonstration(demonstration, request.user, "edited")
        messages.success(request, _("The demonstration is saved."))
        return redirect("diagnosis:demonstration", pk=row.pk)
    return render(request, "diagnosis/demonstration_form.html", {"form": form, "editing": row})


@require_GET
@login_required
@in_menu
def demonstration(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_visible_or_404(request.user, Demonstration, pk=pk)
    lang = active_lang()
    return render(request, "diagnosis/demonstration.html", {
        "row": row, "title": row.display_title(lang), "enterprise_name": row.enterprise.display_name(lang),
        "enterprise_visible": visible_enterprises(request.user).filter(pk=row.enterprise_id).exists(),
        "can_edit": may(request.user, "change", row),
        "status_form": DemonstrationStatusForm(initial={"status": row.status, "designated_on": row.designated_on})
        if may(request.user, "approve", row) else None,
        "lang": lang,
    })


@require_POST
@login_required
@in_menu
def demonstration_status(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_visible_or_404(request.user, Demonstration, pk=pk)
    require(request.user, "approve", row)
    form = DemonstrationStatusForm(request.POST)
    if form.is_valid():
        set_demonstration_status(row, form.cleaned_data["status"], request.user, form.cleaned_data["designated_on"])
        messages.success(request, _("The status is changed."))
    else:
        messages.error(request, _("The status was not changed."))
    return redirect("diagnosis:demonstration", pk=row.pk)


# --- solutions -----------------------------------------------------------------------------------

def _dimension_names(lang: str) -> dict[str, str]:
    """Dimension code -> its name, from the current frameworks (the first framework naming it wins)."""
    names = {}
    for framework in Framework.objects.filter(is_current=True, is_active=True):
        for d in framework.dimensions.all():
            names.setdefault(d.code, d.display_name(lang))
    return names


@require_GET
@login_required
@in_menu
def solutions(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", Solution)
    lang = active_lang()
    rows = visible(request.user, Solution).select_related("provider")
    kind = request.GET.get("kind", "")
    if kind in SolutionKind.values:
        rows = rows.filter(kind=kind)
    industry = request.GET.get("industry", "").strip()[:4]
    dimension = request.GET.get("dimension", "").strip()[:32]
    rows = list(rows)
    if industry.isdigit():
        rows = [s for s in rows if not s.industries or any(industry.startswith(c) or c.startswith(industry)
                                                           for c in s.industries)]
    if dimension:
        rows = [s for s in rows if dimension in s.dimensions]
    dimension_names = _dimension_names(lang)
    return render(request, "diagnosis/solutions.html", {
        "rows": [{"solution": s, "name": s.display_name(lang), "provider": s.provider.display_name(lang),
                  "dimensions": [dimension_names.get(c, c) for c in s.dimensions]} for s in rows],
        "kinds": SolutionKind.choices, "kind": kind, "industry": industry, "dimension": dimension,
        "dimension_choices": sorted(dimension_names.items()), "can_add": may(request.user, "create", Solution),
        "lang": lang,
    })


@require_GET
@login_required
@in_menu
def solution(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_visible_or_404(request.user, Solution, pk=pk)
    lang = active_lang()
    names = _dimension_names(lang)
    industries = IndustryCode.objects.filter(code__in=row.industries)
    return render(request, "diagnosis/solution.html", {
        "row": row, "name": row.display_name(lang), "summary": row.display_summary(lang),
        "provider_name": row.provider.display_name(lang),
        "dimensions": [names.get(c, c) for c in row.dimensions],
        "industries": [f"{i.code} {i.name_zh}" for i in industries],
        "sizes": [dict(Size.choices).get(s, s) for s in row.sizes],
        "can_edit": may(request.user, "change", row), "lang": lang,
    })


def _solution_form(request, instance=None):
    provider = provider_of(request.user)
    return SolutionForm(request.POST or None, instance=instance, provider=provider, lang=active_lang())


@require_http_methods(["GET", "POST"])
@login_required
@in_menu
def solution_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "create", Solution)
    form = _solution_form(request)
    if request.method == "POST" and form.is_valid():
        row = save_solution(form.save(commit=False), request.user, "added to the catalogue")
        messages.success(request, _("The solution is in the catalogue."))
        return redirect("diagnosis:solution", pk=row.pk)
    return render(request, "diagnosis/solution_form.html", {"form": form, "editing": None})


@require_http_methods(["GET", "POST"])
@login_required
@in_menu
def solution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_visible_or_404(request.user, Solution, pk=pk)
    require(request.user, "change", row)
    form = _solution_form(request, instance=row)
    if request.method == "POST" and form.is_valid():
        save_solution(form.save(commit=False), request.user, "edited")
        messages.success(request, _("The solution is saved."))
        return redirect("diagnosis:solution", pk=row.pk)
    return render(request, "diagnosis/solution_form.html", {"form": form, "editing": row})


# --- service providers -------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@login_required
@in_menu
def providers(request: HttpRequest) -> HttpResponse:
    root = require_scope_root(request.user)
    lang = active_lang()
    form = None
    if may(request.user, "create", ServiceProvider):
        form = ProviderForm(request.POST or None, orgs=visible_orgs(request.user))
        if request.method == "POST" and form.is_valid():
            provider = form.save(commit=False)
            provider._change_reason = "provider added"
            provider._history_user = request.user
            provider.save()
            version.bump()
            messages.success(request, _("The service provider is added."))
            return redirect("diagnosis:provider", pk=provider.pk)
    elif request.method == "POST":
        raise PermissionDenied
    assigned = dict(visible(request.user, ProviderAssignment).values("provider").order_by()
                    .annotate(n=Count("id")).values_list("provider", "n"))
    providers_seen = (visible(request.user, ServiceProvider).order_by("name_zh")
                      .annotate(active_solutions=Count("solutions", filter=Q(solutions__is_active=True))))
    rows = [{"provider": provider, "name": provider.display_name(lang), "assigned": assigned.get(provider.pk, 0),
             "solutions": provider.active_solutions} for provider in providers_seen]
    return render(request, "diagnosis/providers.html", {"rows": rows, "form": form, "root": root, "lang": lang})


@require_http_methods(["GET", "POST"])
@login_required
@in_menu
def provider(request: HttpRequest, pk: int) -> HttpResponse:
    require_scope_root(request.user)
    row = get_visible_or_404(request.user, ServiceProvider, pk=pk)
    lang = active_lang()
    form = None
    if may(request.user, "create", ProviderAssignment):
        form = AssignmentForm(request.POST or None, enterprises=visible_enterprises(request.user))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            assign_provider(row, form.enterprise, data["start_date"], data["end_date"], data["note"], request.user)
            messages.success(request, _("The enterprise is assigned to %(provider)s.")
                             % {"provider": row.display_name(lang)})
            return redirect("diagnosis:provider", pk=row.pk)
    elif request.method == "POST":
        raise PermissionDenied
    today = timezone.localdate()
    assignments = (visible(request.user, ProviderAssignment).filter(provider=row)
                   .select_related("enterprise", "enterprise__org").order_by("-start_date", "id"))
    return render(request, "diagnosis/provider.html", {
        "row": row, "name": row.display_name(lang), "form": form, "today": today,
        "assignments": [{"a": a, "name": a.enterprise.display_name(lang), "org": a.enterprise.org.display_name(lang),
                         "current": a.start_date <= today and a.ended_at is None and (
                             a.end_date is None or a.end_date >= today),
                         "can_end": may(request.user, "change", a) and a.ended_at is None and (
                             a.end_date is None or a.end_date >= today)}
                        for a in assignments],
        "solutions": row.solutions.filter(is_active=True), "lang": lang,
    })


@require_POST
@login_required
@in_menu
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_visible_or_404(request.user, ProviderAssignment, pk=pk)
    require(request.user, "change", row)
    end_assignment(row, timezone.localdate(), request.user)
    messages.success(request, _("The assignment ends today."))
    return redirect("diagnosis:provider", pk=row.provider_id)


# --- frameworks and the bureau's setting ---------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@login_required
@in_menu
def frameworks(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", Framework)
    lang = active_lang()
    form = None
    problems = []
    if may(request.user, "create", Framework):
        form = FrameworkUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                data = read_framework_bytes(form.cleaned_data["file"].read())
                framework, created = load_framework(data, request.user, form.cleaned_data["make_current"])
            except FrameworkError as error:
                problems = error.problems
            else:
                if created:
                    messages.success(request, _("%(name)s version %(version)s is loaded.")
                                     % {"name": framework.display_name(lang), "version": framework.version})
                else:
                    messages.info(request, _("This version was loaded before; nothing changed."))
                return redirect("diagnosis:framework", pk=framework.pk)
    elif request.method == "POST":
        raise PermissionDenied
    rows = visible(request.user, Framework).order_by("key", "-loaded_at", "-id")
    return render(request, "diagnosis/frameworks.html", {
        "rows": [{"f": f, "name": f.display_name(lang), "assessments": f.assessments.filter(is_active=True).count()}
                 for f in rows],
        "form": form, "problems": problems, "lang": lang})


@require_http_methods(["GET", "POST"])
@login_required
@in_menu
def framework(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_visible_or_404(request.user, Framework, pk=pk)
    if request.method == "POST":
        require(request.user, "change", row)
        make_framework_current(row)
        version.bump()
        messages.success(request, _("New assessments now use this version."))
        return redirect("diagnosis:framework", pk=row.pk)
    lang = active_lang()
    dimensions = []
    for d in row.dimensions.order_by("order").prefetch_related("questions__options"):
        dimensions.append({"d": d, "name": d.display_name(lang), "questions": [
            {"q": q, "text": q.text_en if lang == "en" else q.text_zh,
             "options": [(o.code, o.text_en if lang == "en" else o.text_zh, o.score) for o in q.options.all()]}
            for q in d.questions.all()]})
    return render(request, "diagnosis/framework.html", {
        "row": row, "name": row.display_name(lang),
        "source": _(row.source) if row.source else "",  # a shipped framework's citation is in the catalogue
        "description": row.description_en if lang == "en" and row.description_en else row.description_zh,
        "levels": [(lv, lv.display_name(lang)) for lv in row.levels.all()], "dimensions": dimensions,
        "can_change": may(request.user, "change", row), "lang": lang})


@require_http_methods(["GET", "POST"])
@login_required
@in_menu
def coverage_settings(request: HttpRequest) -> HttpResponse:
    require(request.user, "create", CoverageSetting)
    root = scope_root(request.user)
    lang = active_lang()
    rule = rule_for(root)
    form = CoverageSettingForm(request.POST or None, lang=lang, initial={
        "framework_key": rule.framework_key, "min_level": rule.min_level, "valid_months": rule.valid_months})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        save_coverage_setting(root, data["framework_key"], data["min_level"], data["valid_months"], request.user)
        messages.success(request, _("The coverage setting is saved."))
        return redirect("diagnosis:settings")
    today = timezone.localdate()
    children = list(root.children.order_by("code"))
    by_unit = coverage_for_units(children, today) if children else {}
    return render(request, "diagnosis/settings.html", {
        "form": form, "root": root, "root_name": root.display_name(lang),
        "coverage": coverage_for(root, today), "setting": CoverageSetting.objects.filter(org=root).first(),
        "units": [{"org": c, "name": c.display_name(lang), "coverage": by_unit[c.id]} for c in children],
        "lang": lang})
