"""The energy pages. Thin: access from twintrack.orgs.access, figures from pages.py, writes
through services.py."""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from twintrack.approvals.services import ApprovalRefused
from twintrack.display.language import active_lang
from twintrack.display.periods import year_from_query
from twintrack.energy import conversions as cv
from twintrack.energy.forms import BaselineForm, CarrierFormSet, GridFactorForm, VersionForm, YearBasisForm
from twintrack.energy.importing import conversion_reason
from twintrack.energy.models import CoefficientVersion, EnergyBaseline, EnergyLine, GridFactor, YearBasis
from twintrack.energy.pages import (carrier_labels, carrier_table, energy_overview, project_energy, region_name,
                                    series_label, shipped_text, split_citation, years_with_data)
from twintrack.energy.services import (
    BaselineValues, ReconversionFailed, add_coefficient_version, add_grid_factor, delete_baseline, save_baselines,
    set_year_basis,
)
from twintrack.orgs import access
from twintrack.orgs.access import may, require




def _reconversion_message(request, result) -> None:
    if result.changed:
        messages.info(request, _("%(count)d energy lines were converted again (energy %(tce)s tce, CO2 %(co2)s t).")
                      % {"count": result.changed, "tce": f"{result.energy_micro / 1e6:+,.6f}",
                         "co2": f"{result.co2_g / 1e6:+,.6f}"})


def _failures(failures) -> list[str]:
    return [f"{line.project.code} {line.period} {line.carrier}: {conversion_reason(error)}"
            for line, error in failures[:50]]


def _table_saved(request, form, save, done) -> HttpResponse | None:
    """A valid POST of a table's form: `save(cleaned_data)` returns (row, reconversion result);
    then `done(row)` is the message and the tables the next page. None shows the form again: on an
    invalid form, or a refusal (lines that cannot be converted again, an approved month)."""
    if not form.is_valid():
        return None
    try:
        row, result = save(form.cleaned_data)
    except ReconversionFailed as error:
        form.add_error(None, "; ".join(_failures(error.failures)))
        return None
    except ApprovalRefused as error:
        form.add_error(None, error.message)
        return None
    messages.success(request, done(row))
    _reconversion_message(request, result)
    return redirect("energy:coefficients")


# --- the energy home ------------------------------------------------------------------------

@login_required
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """Energy and carbon for the user's unit and a year: the totals, the savings by carrier, and
    where to go next (the projects measured by carrier, the coefficient tables)."""
    root = access.require_scope_root(request.user)
    years = list(EnergyLine.objects.order_by("year").values_list("year", flat=True).distinct())
    year = year_from_query(request, years[-1] if years else timezone.localdate().year)
    lang = active_lang()
    context = energy_overview(request.user, root, year, lang)
    context.update({"org": root, "org_name": root.display_name(lang), "year": year,
                    "years": years if year in years else sorted(set(years) | {year}),
                    "can_manage": may(request.user, "create", CoefficientVersion)})
    return render(request, "energy/index.html", context)


# --- tables --------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET"])
def coefficients(request: HttpRequest) -> HttpResponse:
    """The national standard's tables: every signed-in user may read them."""
    versions = list(CoefficientVersion.objects.order_by("-effective_from"))
    selected = versions[0] if versions else None
    wanted = request.GET.get("version", "").strip()
    if wanted:
        selected = next((v for v in versions if str(v.pk) == wanted), None)
        if selected is None:
            raise Http404("no such version")
    lang = active_lang()
    for v in versions:
        v.shown_source, v.shown_note = shipped_text(v.source), shipped_text(v.note)
    grid_factors = list(GridFactor.objects.order_by("-data_year", "scheme", "region"))
    for g in grid_factors:
        g.series, g.region_name = series_label(g.scheme), region_name(g.region_zh, g.region_en, lang)
        g.citation, g.url = split_citation(g.source)
    return render(request, "energy/coefficients.html", {
        "versions": versions,
        "selected": selected,
        "carriers": carrier_table(list(selected.carriers.order_by("id")), lang) if selected else [],
        "grid_factors": grid_factors, "lang": lang,
        "year_bases": YearBasis.objects.order_by("-year"),
        "can_manage": may(request.user, "create", CoefficientVersion),
        "calorific": cv.CALORIFIC_KGCE_PER_KWH,
    })


CARRIER_FORM_FIELDS = ("key", "name_zh", "unit", "kgce_per_unit", "kgce_min", "kgce_max", "kgco2_per_unit",
                       "co2_source")
COEFFICIENT_FIELDS = ("kgce_per_unit", "kgce_min", "kgce_max", "kgco2_per_unit")
CARRIED_OVER = ("name_en", "aliases", "ncv_kj_per_unit", "basis", "source", "note", "carbon_tc_per_tj",
                "oxidation_rate")


@login_required
@require_http_methods(["GET", "POST"])
def add_version(request: HttpRequest) -> HttpResponse:
    require(request.user, "create", CoefficientVersion)  # the tables: the whole tree's bureau
    latest = CoefficientVersion.objects.order_by("-effective_from").first()
    base = {c.key: c for c in latest.carriers.order_by("id")} if latest else {}
    failures: list[str] = []
    if request.method == "POST":
        form = VersionForm(request.POST)
        formset = CarrierFormSet(request.POST, prefix="carriers")
        if form.is_valid() and formset.is_valid():
            rows = []
            for carrier in formset.cleaned_data:
                key = (carrier.get("key") or "").strip()
                if not key:
                    continue
                row = {f: carrier.get(f) for f in CARRIER_FORM_FIELDS}
                row["key"], row["name_zh"] = key, carrier["name_zh"].strip()
                row["co2_source"] = row["co2_source"] or ""
                previous = base.get(key)
                for f in CARRIED_OVER:
                    row[f] = getattr(previous, f) if previous is not None else ("" if f in (
                        "name_en", "aliases", "basis", "source", "note") else None)
                if previous is not None and previous.kgco2_per_unit != row["kgco2_per_unit"]:
                    row["carbon_tc_per_tj"] = row["oxidation_rate"] = None  # the factor no longer follows them
                rows.append(row)
            d = form.cleaned_data
            try:
                version, result = add_coefficient_version(d["name"], d["effective_from"], d["source"].strip(),
                                                          d["note"].strip(), rows, request.user)
            except ReconversionFailed as error:
                failures = _failures(error.failures)
            except ApprovalRefused as error:  # it would change an approved month
                failures = [error.message]
            else:
                messages.success(request, _("Version %(name)s added; it applies from %(date)s.")
                                 % {"name": version.name, "date": version.effective_from.isoformat()})
                _reconversion_message(request, result)
                return redirect(reverse("energy:coefficients") + f"?version={version.pk}")
    else:
        form = VersionForm(initial={"effective_from": timezone.localdate().replace(day=1)})
        formset = CarrierFormSet(prefix="carriers", initial=[
            {f: cv.coefficient_text(getattr(c, f)) if f in COEFFICIENT_FIELDS else getattr(c, f)
             for f in CARRIER_FORM_FIELDS} for c in base.values()])
    return render(request, "energy/version_form.html", {
        "form": form, "formset": formset, "latest": latest, "failures": failures})


@login_required
@require_http_methods(["GET", "POST"])
def year_basis(request: HttpRequest) -> HttpResponse:
    require(request.user, "create", CoefficientVersion)  # the tables: the whole tree's bureau
    if request.method == "POST":
        form = YearBasisForm(request.POST)
        saved = _table_saved(request, form, lambda d: set_year_basis(
            d["year"], d["electricity"], d.get("coal_rate_gce_per_kwh"), d["grid"], d.get("source", "").strip(),
            request.user), lambda basis: _("The basis for %(year)d is saved.") % {"year": basis.year})
        if saved:
            return saved
    else:
        form = YearBasisForm.for_year(year_from_query(request, timezone.localdate().year))
    return render(request, "energy/basis_form.html", {"form": form, "calorific": cv.CALORIFIC_KGCE_PER_KWH})


@login_required
@require_http_methods(["GET", "POST"])
def grid_factor(request: HttpRequest) -> HttpResponse:
    require(request.user, "create", CoefficientVersion)  # the tables: the whole tree's bureau
    if request.method == "POST":
        form = GridFactorForm(request.POST)
        saved = _table_saved(request, form, lambda d: add_grid_factor(
            "mee_nbs_average", d["data_year"], d["region"], d["kgco2_per_kwh"], d.get("published", ""),
            d["source"].strip(), user=request.user),
            lambda factor: _("Grid factor %(year)d %(region)s added.") % {"year": factor.data_year,
                                                                          "region": factor.region_zh})
        if saved:
            return saved
    else:
        form = GridFactorForm()
    return render(request, "energy/grid_form.html", {"form": form})


# --- projects with carrier lines ---------------------------------------------------------

PROJECT_PAGE_SIZE = 50


@login_required
@require_http_methods(["GET"])
def projects(request: HttpRequest) -> HttpResponse:
    """The visible projects with carrier lines in a year, largest savings first; searched by
    project code, title or enterprise name, fifty to a page."""
    from django.core.paginator import Paginator
    from django.db.models import Count, Q, Sum

    from twintrack.energy.models import EnergyLine
    from twintrack.programme.models import Project

    years = list(EnergyLine.objects.order_by("year").values_list("year", flat=True).distinct())
    year = year_from_query(request, years[-1] if years else timezone.localdate().year)
    q = (request.GET.get("q") or "").strip()[:100]
    rows = access.visible(request.user, Project).filter(energy_lines__year=year)
    if q:
        rows = rows.filter(Q(code__icontains=q) | Q(title__icontains=q) | Q(enterprise__name_zh__icontains=q))
    rows = (rows.annotate(tce=Sum("energy_lines__tce"), co2_kg=Sum("energy_lines__co2_kg"),
                          lines=Count("energy_lines"))
            .select_related("enterprise__org").order_by("-tce", "code"))
    page = Paginator(rows, PROJECT_PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.co2_t = (row.co2_kg or 0) / 1000
    query = urlencode({k: v for k, v in (("year", year), ("q", q)) if v})
    return render(request, "energy/projects.html", {"year": year, "years": years, "page": page, "q": q,
                                                    "query": query})


# --- a project's energy -------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def project(request: HttpRequest, code: str) -> HttpResponse:
    from twintrack.programme.models import Project

    project = access.get_visible_or_404(request.user, Project, code=code)
    can_edit = may(request.user, "create", EnergyBaseline)
    years = years_with_data(project)
    year = year_from_query(request, years[-1] if years else timezone.localdate().year)
    lang = active_lang()
    labels = carrier_labels(lang)
    choices = sorted(labels.items(), key=lambda item: item[1])
    form = BaselineForm(carriers=choices)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if "delete" in request.POST:
            baseline = EnergyBaseline.objects.filter(project=project, pk=request.POST.get("delete")).first()
            if baseline is not None:
                delete_baseline(baseline, "deleted on the project energy page", request.user)
            return redirect(request.get_full_path())
        form = BaselineForm(request.POST, carriers=choices)
        if form.is_valid():
            d = form.cleaned_data
            try:
                with transaction.atomic():
                    save_baselines([BaselineValues(project.id, d["carrier"], d["first_month"], d["months"],
                                                   d["quantity"], d.get("unit", ""), d.get("note", ""))],
                                   "baseline entered on the project energy page", request.user)
            except cv.ConversionError as error:
                form.add_error("unit" if "unit" in error.reason else "carrier", conversion_reason(error))
            else:
                messages.success(request, _("Baseline saved."))
                return redirect(request.get_full_path())
    context = project_energy(project, year, lang)
    context.update({"project": project, "years": years if year in years else sorted(set(years) | {year}),
                    "form": form, "can_edit": can_edit, "lang": lang,
                    "dashboard_url": reverse("dashboard") + f"?org={project.enterprise.org.code}"})
    return render(request, "energy/project.html", context)
