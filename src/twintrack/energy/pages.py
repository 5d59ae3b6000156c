"""What the project energy page shows, in the spirit of IPMVP: the baseline by carrier, the
savings by month and cumulative, and each line's working. No rendering here.

IPMVP: savings = baseline-period energy - reporting-period energy (+/- adjustments). The
enterprise measures the saving per carrier and month; the page sets it beside the
baseline's monthly average, so the implied reporting-period consumption and the saving
rate can be read off.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from twintrack.energy import conversions as cv
from twintrack.energy.models import CarrierCoefficient, EnergyBaseline, EnergyLine
from twintrack.energy.services import Converter


def carrier_labels(lang: str) -> dict[str, str]:
    """key -> display name, from the latest version naming the carrier."""
    labels = {}
    for key, zh, en in CarrierCoefficient.objects.order_by("version__effective_from", "id").values_list(
            "key", "name_zh", "name_en"):
        labels[key] = (en or zh) if lang == "en" else zh
    return labels


def carrier_units() -> dict[str, str]:
    return dict(CarrierCoefficient.objects.order_by("version__effective_from", "id").values_list("key", "unit"))


@dataclass
class MonthRow:
    month: int
    quantities: dict = field(default_factory=dict)  # carrier -> quantity in the carrier's unit
    lines_tce: Decimal = Decimal(0)
    progress_tce: Decimal | None = None
    co2_kg: Decimal = Decimal(0)
    cumulative_tce: Decimal = Decimal(0)
    cumulative_co2_t: Decimal = Decimal(0)

    @property
    def co2_t(self) -> Decimal:
        return self.co2_kg / 1000

    @property
    def total_tce(self) -> Decimal:
        return self.lines_tce + (self.progress_tce or 0)


@dataclass
class BaselineRow:
    baseline: EnergyBaseline
    label: str
    unit: str
    monthly: Decimal  # average consumption per month, carrier unit
    tce_per_month: Decimal | None
    saved_per_month: Decimal | None  # this year's average saving per reported month
    reporting_per_month: Decimal | None  # baseline - saving
    saving_rate: float | None


def co2_label(line: EnergyLine, lang: str) -> str:
    """A short name for a line's CO2 factor; the full source goes in a tooltip."""
    from django.utils.translation import gettext as _

    grid = line.grid_factor
    if grid is not None:
        region = region_name(grid.region_zh, grid.region_en, lang)
        return _("%(region)s grid %(year)d") % {"region": region, "year": grid.data_year}
    if line.kgco2_per_unit is not None:
        return _("fuel factor (reference)")
    return _("no factor")


def years_with_data(project) -> list[int]:
    from twintrack.programme.models import Progress

    years = set(EnergyLine.objects.filter(project=project).values_list("year", flat=True).distinct())
    years |= set(Progress.objects.filter(project=project, energy_saved_tce__isnull=False)
                 .values_list("year", flat=True).distinct())
    return sorted(years)


def project_energy(project, year: int, lang: str) -> dict:
    from twintrack.programme.models import Progress

    labels, units = carrier_labels(lang), carrier_units()
    lines = list(EnergyLine.objects.filter(project=project, year=year)
                 .select_related("coefficient__version", "grid_factor").order_by("month", "carrier"))
    progress = dict(Progress.objects.filter(project=project, year=year, energy_saved_tce__isnull=False)
                    .values_list("month", "energy_saved_tce"))
    carriers = sorted({l.carrier for l in lines}, key=lambda k: list(units).index(k) if k in units else 99)
    months: dict[int, MonthRow] = {}
    for l in lines:
        l.label = labels.get(l.carrier, l.carrier)
        l.co2_label = co2_label(l, lang)
        l.co2_title = co2_title(l, l.label, lang)
        row = months.setdefault(l.month, MonthRow(l.month))
        row.quantities[l.carrier] = l.quantity
        row.lines_tce += l.tce
        row.co2_kg += l.co2_kg
    for month, tce in progress.items():
        months.setdefault(month, MonthRow(month)).progress_tce = tce
    running_tce, running_co2 = Decimal(0), Decimal(0)
    ordered = [months[m] for m in sorted(months)]
    for row in ordered:
        running_tce += row.total_tce
        running_co2 += row.co2_kg
        row.cumulative_tce, row.cumulative_co2_t = running_tce, running_co2 / 1000
    saved = defaultdict(list)
    for l in lines:
        saved[l.carrier].append(l.quantity)
    converter = Converter()
    baselines = [baseline_row(b, labels, units, saved.get(b.carrier), converter, project.enterprise.org_id)
                 for b in EnergyBaseline.objects.filter(project=project).order_by("carrier")]
    lines_tce = sum((l.tce for l in lines), Decimal(0))
    total_tce = running_tce
    return {
        "year": year,
        "carriers": [{"key": k, "label": labels.get(k, k), "unit": units.get(k, "")} for k in carriers],
        "months": [{"row": r, "cells": [r.quantities.get(k) for k in carriers]} for r in ordered],
        "lines": lines,
        "labels": labels,
        "baselines": baselines,
        "lines_tce": lines_tce,
        "progress_tce": sum(progress.values(), Decimal(0)),
        "total_tce": total_tce,
        "co2_t": running_co2 / 1000,
        "lines_share": float(lines_tce / total_tce) if total_tce else None,
    }


def baseline_row(b: EnergyBaseline, labels: dict, units: dict, saved: list | None, converter: Converter,
                 org_id: int) -> BaselineRow:
    monthly = (b.quantity / b.months).quantize(cv.TCE_QUANTUM)
    tce = None
    try:
        working = converter.convert(org_id, b.first_month.year, b.first_month.month, b.carrier, monthly, None)
        tce = working.conversion.tce
    except cv.ConversionError:
        pass
    saved_avg = sum(saved) / len(saved) if saved else None
    reporting = None if saved_avg is None else monthly - saved_avg
    rate = float(saved_avg / monthly) if saved_avg is not None and monthly else None
    return BaselineRow(b, labels.get(b.carrier, b.carrier), units.get(b.carrier, ""), monthly, tce, saved_avg,
                       reporting, rate)


# --- the tables and lines in the reader's language -------------------------------------------------
#
# What the database stores about a factor's origin (the shipped table's notes, a line's CO2 source) is
# English working kept for the record; the pages say the same in the reader's language from the
# figures themselves.

def _series_labels() -> dict:
    from django.utils.translation import gettext_lazy as _

    return {
        "mee_nbs_average": _("Average factor (national, regional)"),
        "mee_nbs_fossil": _("Fossil-fuel power factor"),
        "mee_nbs_excl_market_nonfossil": _("Average factor without market-traded non-fossil power"),
        "mee_carbon_market_grid": _("National carbon market grid factor"),
    }


def series_label(scheme: str) -> str:
    return str(_series_labels().get(scheme, scheme))


def region_name(zh: str, en: str, lang: str) -> str:
    return (en or zh) if lang == "en" else zh


def shipped_text(text: str) -> str:
    """The shipped version's source and note in the reader's language; what a bureau typed as typed."""
    from django.utils.translation import gettext as _

    from twintrack.energy.reference import SHIPPED_NOTE, SHIPPED_SOURCE

    if text == SHIPPED_SOURCE:
        return _("GB/T 2589-2008 General principles for calculation of the comprehensive energy consumption, "
                 "appendix A (kgce per unit, each coefficient = kcal/7000), as printed in public copies that agree "
                 "digit for digit. Fuel CO2 factors: a public compilation pairing the standard's net calorific values "
                 "with carbon-content and oxidation defaults (reference, not regulatory).")
    if text == SHIPPED_NOTE:
        return _("GB/T 2589-2020 (in force 2021-04-01) revised appendix A; add it as a new version effective "
                 "2021-04-01 when its table is at hand. No CO2 factor is shipped for steam, heat, coal gases or "
                 "washed coals: their lines count for energy but not for CO2 until a version gives one.")
    return text


def fuel_factor_working(carrier: CarrierCoefficient) -> str:
    """How a fuel's CO2 factor was obtained: the formula with the carrier's own figures."""
    from django.utils.translation import gettext as _

    if carrier.carbon_tc_per_tj is None or carrier.oxidation_rate is None or carrier.ncv_kj_per_unit is None:
        return carrier.co2_source
    return _("NCV × carbon content × oxidation rate × 44/12 (%(ncv)s kJ/%(unit)s × %(cc)s tC/TJ × %(ox)s); "
             "reference, not regulatory") % {
        "ncv": cv.display(carrier.ncv_kj_per_unit), "unit": carrier.unit,
        "cc": cv.display(carrier.carbon_tc_per_tj), "ox": cv.display(carrier.oxidation_rate)}


def carrier_table(carriers, lang: str) -> list:
    """The version's carriers with the names a file may use and the factor's working, for the page."""
    for c in carriers:
        c.shown_name = region_name(c.name_zh, c.name_en, lang)
        names = [n for n in c.aliases.split(",") if n.strip()]
        c.file_names = ", ".join(([c.key, c.name_zh] if lang == "en" else []) + names)
        c.working = fuel_factor_working(c) if c.kgco2_per_unit is not None else ""
    return carriers


def co2_title(line: EnergyLine, label: str, lang: str) -> str:
    """The tooltip of a line's CO2 factor: where the factor comes from, in the reader's language."""
    from django.utils.translation import gettext as _

    grid = line.grid_factor
    if grid is not None:
        return _("%(series)s %(year)d, %(region)s, %(factor)s kgCO2/kWh; %(source)s") % {
            "series": series_label(grid.scheme), "year": grid.data_year,
            "region": region_name(grid.region_zh, grid.region_en, lang), "factor": cv.display(grid.kgco2_per_kwh),
            "source": grid.source}
    if line.kgco2_per_unit is not None and line.coefficient is not None:
        return f"{line.coefficient.version.name}: {fuel_factor_working(line.coefficient)}"
    return _("no CO2 factor for %(carrier)s in this coefficient version") % {"carrier": label}


def energy_overview(user, org, year: int, lang: str) -> dict:
    """The energy home's figures for a unit's subtree and a year: totals from the rollups, the
    savings by carrier from the lines the user may see."""
    from django.db.models import Count, Sum

    from twintrack.metrics.models import Rollup
    from twintrack.orgs.access import visible
    from twintrack.programme.models import Project

    totals = Rollup.objects.filter(org=org, year=year).aggregate(
        energy=Sum("energy_micro"), lines=Sum("lines_micro"), co2=Sum("co2_g"))
    lines = EnergyLine.objects.filter(year=year, project__in=visible(user, Project).filter(
        enterprise__org__path__startswith=org.path, is_active=True))
    labels = carrier_labels(lang)
    by_carrier = [{"label": labels.get(row["carrier"], row["carrier"]), "tce": row["tce"],
                   "co2_t": (row["co2"] or 0) / 1000, "lines": row["n"], "projects": row["projects"]}
                  for row in lines.values("carrier").annotate(tce=Sum("tce"), co2=Sum("co2_kg"), n=Count("id"),
                                                              projects=Count("project", distinct=True))
                  .order_by("-tce")]
    from twintrack.display.amounts import format_amount

    energy, from_lines = Decimal(totals["energy"] or 0) / 10**6, Decimal(totals["lines"] or 0) / 10**6
    co2 = Decimal(totals["co2"] or 0) / 10**6
    return {"energy_tce": energy, "lines_tce": from_lines, "co2_t": co2,
            "energy_text": format_amount("energy_saved_tce", energy, lang),
            "lines_text": format_amount("energy_saved_tce", from_lines, lang),
            "co2_text": format_amount("co2_reduced_t", co2, lang),
            "lines_share": (from_lines / energy) if energy else None, "by_carrier": by_carrier,
            "projects": lines.values("project").distinct().count()}


def split_citation(source: str) -> tuple[str, str]:
    """A citation and the address at its end ("... 公告2024年第33号 https://www.mee.gov.cn/..."), apart,
    so the page links the address instead of printing it."""
    text, _sep, address = source.rpartition(" https://")
    if not _sep or " " in address:
        return source, ""
    return text.strip(), "https://" + address
