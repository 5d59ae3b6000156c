"""The shipped reference tables (src/twintrack/data/, provenance in data/README.md), read as
plain rows. `services.load_reference_data` writes them to the database once.

- energy_carriers.csv: GB/T 2589-2008 Appendix A, kgce per unit (24 carriers).
- fuel_emission_factors.csv: kgCO2 per unit of 10 fuels = NCV x carbon content x oxidation
  rate x 44/12 (reference, not regulatory).
- grid_emission_factors.csv: MEE/NBS electricity CO2 factors, national and regional.

Two things here are not in those files and are decisions of this module:
English names and the other names a file may use for a carrier (CARRIER_NAMES), and a CO2
factor for gas-field natural gas (DERIVED_FUEL_FACTORS), the contract's default 天然气, which
the fuel table lacks: the table's natural-gas carbon content and oxidation rate applied to
the gas-field net calorific value, with the same arithmetic.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import resources

from twintrack.energy.conversions import REGION_BY_EN, NATIONAL, fuel_factor

SHIPPED_VERSION_NAME = "GB/T 2589-2008"
# The platform accepts months from 2000-01; the shipped table applies from then until a
# later version (GB/T 2589-2020, in force 2021-04-01, whose table was not available) is added.
SHIPPED_EFFECTIVE_FROM = date(2000, 1, 1)
SHIPPED_SOURCE = (
    "GB/T 2589-2008 综合能耗计算通则, Appendix A (kgce per unit; each coefficient = kcal/7000), as printed in "
    "public copies that agree digit for digit. Fuel CO2 factors: a public compilation pairing the GB/T 2589-2008 "
    "net calorific values with carbon-content and oxidation defaults (reference, not regulatory). "
    "See twintrack/data/README.md."
)
SHIPPED_NOTE = (
    "GB/T 2589-2020 (in force 2021-04-01) revised Appendix A; add it as a new version effective 2021-04-01 "
    "when its table is at hand. No CO2 factor is shipped for steam, heat, coal gases or washed coals: "
    "their lines count for energy but not for CO2 until a version gives one."
)
FUEL_STATUS_NOTE = "reference, not regulatory"
GRID_SCHEME = "mee_nbs_average"

# key -> (English name, other names a file may use)
CARRIER_NAMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "raw_coal": ("Raw coal", ()),
    "cleaned_coal": ("Cleaned coal", ()),
    "middlings": ("Middlings", ("洗中煤",)),
    "slime": ("Coal slime", ("煤泥",)),
    "coke": ("Coke", ()),
    "crude_oil": ("Crude oil", ()),
    "fuel_oil": ("Fuel oil", ()),
    "gasoline": ("Gasoline", ()),
    "kerosene": ("Kerosene", ()),
    "diesel": ("Diesel", ()),
    "coal_tar": ("Coal tar", ()),
    "residual_oil": ("Residual oil", ()),
    "lpg": ("Liquefied petroleum gas", ()),
    "refinery_dry_gas": ("Refinery dry gas", ()),
    "natural_gas_oilfield": ("Natural gas (oil field)", ()),
    "natural_gas_gasfield": ("Natural gas (gas field)", ("天然气",)),
    "coal_mine_gas": ("Coal-mine gas", ()),
    "coke_oven_gas": ("Coke-oven gas", ()),
    "blast_furnace_gas": ("Blast-furnace gas", ()),
    "producer_gas": ("Producer gas", ("发生炉煤气",)),
    "heat": ("Heat", ()),
    "electricity": ("Electricity", ("电力", "电")),
    "steam_low_pressure": ("Steam (low pressure)", ("蒸汽", "低压蒸汽")),
    "standard_coal": ("Standard coal", ()),
}

# carrier -> (NCV kJ/unit, carbon content tC/TJ, oxidation rate, how it was obtained)
DERIVED_FUEL_FACTORS: dict[str, tuple[str, str, str, str]] = {
    "natural_gas_gasfield": (
        "35544", "15.3", "0.99",
        "derived: the fuel table's natural-gas carbon content (15.3 tC/TJ) and oxidation rate (0.99) applied "
        "to the GB/T 2589-2008 gas-field NCV 35,544 kJ/m3 x 44/12; reference, not regulatory",
    ),
}


def _read(name: str) -> list[dict]:
    text = resources.files("twintrack.data").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _decimal(text: str) -> Decimal | None:
    text = (text or "").strip()
    return Decimal(text) if text else None


@dataclass(frozen=True)
class CarrierRow:
    key: str
    name_zh: str
    name_en: str
    aliases: str
    unit: str
    kgce_per_unit: Decimal | None
    kgce_min: Decimal | None
    kgce_max: Decimal | None
    ncv_kj_per_unit: Decimal | None
    basis: str
    source: str
    note: str
    kgco2_per_unit: Decimal | None
    carbon_tc_per_tj: Decimal | None
    oxidation_rate: Decimal | None
    co2_source: str


def carrier_rows() -> list[CarrierRow]:
    """The shipped version's carriers: the GB/T 2589 table joined with the fuel factors."""
    fuels = {r["carrier"]: r for r in _read("fuel_emission_factors.csv")}
    rows = []
    for r in _read("energy_carriers.csv"):
        key = r["key"]
        name_en, aliases = CARRIER_NAMES.get(key, ("", ()))
        factor = cc = ox = None
        co2_source = ""
        if key in fuels:
            f = fuels[key]
            factor, cc, ox = (_decimal(f["kgco2_per_unit"]), _decimal(f["carbon_content_tc_per_tj"]),
                              _decimal(f["oxidation_rate"]))
            co2_source = (f"NCV x carbon content x oxidation rate x 44/12 ({f['ncv_kj_per_unit']} kJ/{f['unit']} x "
                          f"{f['carbon_content_tc_per_tj']} tC/TJ x {f['oxidation_rate']}); {f['status']}; "
                          f"{FUEL_STATUS_NOTE}")
        elif key in DERIVED_FUEL_FACTORS:
            ncv, cc_text, ox_text, how = DERIVED_FUEL_FACTORS[key]
            cc, ox = Decimal(cc_text), Decimal(ox_text)
            factor = fuel_factor(Decimal(ncv), cc, ox).quantize(Decimal("0.0001"))
            co2_source = how
        rows.append(CarrierRow(
            key=key, name_zh=r["name_zh"], name_en=name_en, aliases=",".join(aliases), unit=r["unit"],
            kgce_per_unit=_decimal(r["kgce_per_unit"]), kgce_min=_decimal(r["kgce_min"]),
            kgce_max=_decimal(r["kgce_max"]), ncv_kj_per_unit=_decimal(r["ncv_2008"]) if r["ncv_unit"] and
            r["ncv_2008"] else None, basis=r["basis"], source=r["source"], note=r["note"], kgco2_per_unit=factor,
            carbon_tc_per_tj=cc, oxidation_rate=ox, co2_source=co2_source,
        ))
    return rows


@dataclass(frozen=True)
class GridRow:
    scheme: str
    data_year: int
    region: str
    region_zh: str
    region_en: str
    kgco2_per_kwh: Decimal
    published: str
    source: str
    note: str


def grid_rows() -> list[GridRow]:
    rows = []
    for r in _read("grid_emission_factors.csv"):
        region = NATIONAL if r["level"] == "national" else REGION_BY_EN[r["region_en"]]
        rows.append(GridRow(r["scheme"], int(r["data_year"]), region, r["region_zh"], r["region_en"],
                            Decimal(r["kgco2_per_kwh"]), r["published"], r["source"], r["note"]))
    return rows
