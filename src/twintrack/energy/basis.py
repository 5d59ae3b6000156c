"""What a report says about how its energy and CO2 figures were converted.

`extend_report` (passed to metrics.report.report_for_period by reports.build) adds to the contract's
metric blocks, adding keys and renaming none:

    metrics.energy_saved_tce.basis = {
        "electricity": "calorific" | "equal_value",
        "kgce_per_kwh": 0.1229,                  # what electricity lines of the year used
        "coal_rate_gce_per_kwh": null | 300.0,   # the equal-value basis's coal rate
        "coefficient_versions": [{"name": "GB/T 2589-2008", "effective_from": "2000-01-01"}],
    }
    metrics.co2_reduced_t.basis = {
        "grid": "regional" | "national",
        "grid_region": "east_china" | null, "grid_region_zh": "华东", "grid_region_en": "East China",
        "grid_factor_kgco2_per_kwh": 0.55, "grid_factor_year": 2023,
        "fuel_factors": "reference, not regulatory",
    }

for the unit and for each child (children may lie in different grid regions).
Stored lines always follow these rules: changing them re-converts the lines (services.py).
"""
from __future__ import annotations

from twintrack.energy import conversions as cv
from twintrack.energy.models import CoefficientVersion
from twintrack.energy.reference import FUEL_STATUS_NOTE
from twintrack.energy.services import Converter, codes_upwards


def _float(value):
    return None if value is None else float(value)


def versions_in_force(converter: Converter, year: int, through_month: int) -> list[CoefficientVersion]:
    seen = []
    for month in range(1, through_month + 1):
        version = converter.version_for(year, month)
        if version is not None and version not in seen:
            seen.append(version)
    return seen


def energy_basis(converter: Converter, year: int, through_month: int) -> dict:
    electricity = converter.electricity_basis(year)
    version = converter.version_for(year, through_month)
    calorific = None
    if version is not None:
        row = converter.coefficients.get((version.id, cv.ELECTRICITY))
        calorific = row.kgce_per_unit if row is not None else None
    try:
        kgce = electricity.kgce_per_kwh(calorific or cv.CALORIFIC_KGCE_PER_KWH)
    except cv.ConversionError:
        kgce = None
    return {
        "electricity": electricity.basis,
        "kgce_per_kwh": _float(kgce),
        "coal_rate_gce_per_kwh": _float(electricity.coal_rate_gce_per_kwh),
        "coefficient_versions": [{"name": v.name, "effective_from": v.effective_from.isoformat()}
                                 for v in versions_in_force(converter, year, through_month)],
    }


def co2_basis(converter: Converter, org, year: int, codes: list[str] | None = None) -> dict:
    """`codes`: the unit's code and those above it, nearest first, if the caller has them."""
    national = converter.national_grid(year)
    region = None if national else cv.grid_region(codes if codes is not None else codes_upwards(org.id))
    spec = cv.pick_grid_factor(converter.grid, year, region)
    factor = None if spec is None else converter.grid_by_id[spec.id]
    return {
        "grid": "national" if national else "regional",
        "grid_region": None if factor is None else factor.region,
        "grid_region_zh": None if factor is None else factor.region_zh,
        "grid_region_en": None if factor is None else factor.region_en,
        "grid_factor_kgco2_per_kwh": None if factor is None else float(factor.kgco2_per_kwh),
        "grid_factor_year": None if factor is None else factor.data_year,
        "fuel_factors": FUEL_STATUS_NOTE,
    }


def extend_report(report: dict, org, children: list, year: int, through_month: int) -> None:
    converter = Converter.for_reading()
    energy = energy_basis(converter, year, through_month)
    report["metrics"]["energy_saved_tce"]["basis"] = energy
    chain = codes_upwards(org.id, org.path)  # the children's chains are this one plus their own code
    report["metrics"]["co2_reduced_t"]["basis"] = co2_basis(converter, org, year, chain)
    for child, block in zip(children, report["children"]):
        block["metrics"]["energy_saved_tce"]["basis"] = energy
        block["metrics"]["co2_reduced_t"]["basis"] = co2_basis(converter, child, year, [child.code] + chain)


def coefficients_used(org, year: int, month: int) -> dict:
    """The coefficient and factor tables a bulletin's figures rest on, in full, so that a
    published bulletin keeps the values it used whatever is added later."""
    converter = Converter()
    versions = versions_in_force(converter, year, month)
    return {
        "energy_basis": energy_basis(converter, year, month),
        "co2_basis": co2_basis(converter, org, year),
        "versions": [
            {
                "name": v.name, "effective_from": v.effective_from.isoformat(), "source": v.source,
                "carriers": [
                    {"key": c.key, "name_zh": c.name_zh, "unit": c.unit, "kgce_per_unit": _float(c.kgce_per_unit),
                     "kgce_min": _float(c.kgce_min), "kgce_max": _float(c.kgce_max),
                     "kgco2_per_unit": _float(c.kgco2_per_unit)}
                    for c in sorted((c for (vid, _), c in converter.coefficients.items() if vid == v.id),
                                    key=lambda c: c.id)
                ],
            }
            for v in versions
        ],
        "grid_factors": [
            {"data_year": g.data_year, "region": g.region, "region_zh": g.region_zh,
             "kgco2_per_kwh": float(g.kgco2_per_kwh), "published": g.published}
            for g in sorted(converter.grid_by_id.values(), key=lambda g: (g.data_year, g.region))
            if g.data_year <= year or not any(f.data_year <= year for f in converter.grid)
        ],
    }
