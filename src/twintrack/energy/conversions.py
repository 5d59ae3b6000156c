"""Energy carrier quantities to tonnes of standard coal and tonnes of CO2 (contract section 4).

Plain functions over Decimals: nothing here touches the database, so every rule can be
tested on its own.

The rule, written once:

    quantity in the carrier's unit = quantity as entered x the unit's multiple (exact)
    tce     = quantity x kgce_per_unit / 1000, rounded half-up to 0.000001 tce (1 gram of
              standard coal), once per line
    CO2 kg  = quantity x kgCO2_per_unit, rounded half-up to 0.001 kg (1 gram), once per line

Every sum above a line (project, unit, month, report) adds the rounded line values as
integers (micro-tce, grams), so a report equals the sum of its lines to the gram.

kgce_per_unit is, in this order: a measured coefficient given with the line (required
where the table gives only a range, and then within it); for electricity, the year's basis
(calorific equivalent 当量值 from the table, 0.1229 kgce/kWh, unless the deployment set the
equal-value basis 等价值 for that year: coal rate gce/kWh / 1000); else the table's value.
kgCO2_per_unit is the grid factor for electricity and the table's fuel factor for fuels.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.utils.translation import gettext_noop

KGCE_PER_TCE = Decimal(1000)
KCAL_PER_KGCE = Decimal(7000)  # GB/T 2589: 1 kgce = 7,000 kcal
KJ_PER_KGCE = Decimal("29307.6")  # = 7,000 kcal (IT)
CALORIFIC_KGCE_PER_KWH = Decimal("0.1229")  # 860 kcal/kWh / 7000, the 当量值 of GB/T 2589
CO2_PER_C = Decimal(44) / Decimal(12)
TCE_QUANTUM = Decimal("0.000001")  # 1 gram of standard coal
KG_QUANTUM = Decimal("0.001")  # 1 gram of CO2
MICRO_PER_TCE = 1_000_000
GRAMS_PER_KG = 1000
ELECTRICITY = "electricity"
_PRECISION = 80  # far beyond any product of two stored decimals: multiplications are exact


class ConversionError(ValueError):
    """A line cannot be converted; `reason` is a whole sentence (the caller translates it)."""

    def __init__(self, reason: str, **params):
        super().__init__(reason % params if params else reason)
        self.reason = reason
        self.params = params


def exact_product(*factors: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        result = Decimal(1)
        for factor in factors:
            result *= Decimal(factor)
        return result


def exact_quotient(a: Decimal, b: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return Decimal(a) / Decimal(b)


# --- units -----------------------------------------------------------------------------

# A carrier's unit and the standard multiples a file may use instead (contract section 4).
UNIT_MULTIPLES: dict[str, dict[str, Decimal]] = {
    "kWh": {"kWh": Decimal(1), "万kWh": Decimal(10_000), "MWh": Decimal(1_000)},
    "kg": {"kg": Decimal(1), "t": Decimal(1_000)},
    "m3": {"m3": Decimal(1), "万m3": Decimal(10_000)},
    "MJ": {"MJ": Decimal(1), "GJ": Decimal(1_000)},
}

# Other spellings people type, normalised (NFKC, no spaces, case-folded): m³ -> m3 by NFKC.
UNIT_SPELLINGS: dict[str, str] = {
    "kwh": "kWh", "千瓦时": "kWh", "千瓦·时": "kWh", "度": "kWh",
    "万kwh": "万kWh", "万千瓦时": "万kWh", "万度": "万kWh", "10^4kwh": "万kWh", "10⁴kwh": "万kWh",
    "mwh": "MWh", "兆瓦时": "MWh", "千千瓦时": "MWh",
    "kg": "kg", "千克": "kg", "公斤": "kg",
    "t": "t", "吨": "t",
    "m3": "m3", "nm3": "m3", "立方米": "m3", "标准立方米": "m3", "标立方米": "m3", "方": "m3",
    "万m3": "万m3", "万nm3": "万m3", "万立方米": "万m3", "万标准立方米": "万m3", "万方": "万m3",
    "10^4m3": "万m3",
    "mj": "MJ", "兆焦": "MJ", "兆焦耳": "MJ",
    "gj": "GJ", "吉焦": "GJ", "吉焦耳": "GJ",
}

_SPACES = re.compile(r"[\s\u00a0\u3000]+")


def normalise_unit(text: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", text or "")).casefold()


def accepted_units(carrier_unit: str) -> tuple[str, ...]:
    return tuple(UNIT_MULTIPLES.get(carrier_unit, {carrier_unit: 1}))


def unit_multiple(text: str, carrier_unit: str) -> tuple[str, Decimal]:
    """The canonical spelling of a unit as typed, and how many carrier units it is.

    Empty means the carrier's own unit. Raises ConversionError for a unit of another
    quantity (m3 for electricity) or one not known at all.
    """
    multiples = UNIT_MULTIPLES.get(carrier_unit, {carrier_unit: Decimal(1)})
    if not (text or "").strip():
        return carrier_unit, Decimal(1)
    canonical = UNIT_SPELLINGS.get(normalise_unit(text))
    if canonical is None:
        canonical = next((u for u in multiples if normalise_unit(u) == normalise_unit(text)), None)
    if canonical is None or canonical not in multiples:
        raise ConversionError(gettext_noop("%(unit)s is not a unit for this carrier (measured in %(base)s): use %(units)s"),
                              unit=text.strip(), base=carrier_unit, units=", ".join(multiples))
    return canonical, multiples[canonical]


def base_quantity(quantity: Decimal, multiple: Decimal) -> Decimal:
    """The quantity in the carrier's unit: 1 万kWh = 10,000 kWh, exactly."""
    return exact_product(quantity, multiple)


# --- coefficients -------------------------------------------------------------------------

@dataclass(frozen=True)
class CoefficientSpec:
    """One carrier's row in a coefficient version, as the conversion needs it."""

    key: str
    unit: str
    kgce_per_unit: Decimal | None = None  # fixed coefficient
    kgce_min: Decimal | None = None  # or a range, where a measured value is required
    kgce_max: Decimal | None = None
    kgco2_per_unit: Decimal | None = None  # fuel factor; electricity uses the grid instead

    @property
    def is_range(self) -> bool:
        return self.kgce_per_unit is None

    @property
    def is_electricity(self) -> bool:
        return self.key == ELECTRICITY


@dataclass(frozen=True)
class ElectricityBasis:
    """How a year's electricity lines become standard coal."""

    basis: str = "calorific"  # or "equal_value"
    coal_rate_gce_per_kwh: Decimal | None = None  # the equal-value basis's thermal-power coal rate

    def kgce_per_kwh(self, calorific: Decimal = CALORIFIC_KGCE_PER_KWH) -> Decimal:
        if self.basis == "equal_value":
            return equal_value_kgce_per_kwh(self.coal_rate_gce_per_kwh)
        return calorific


CALORIFIC = ElectricityBasis()


def equal_value_kgce_per_kwh(coal_rate_gce_per_kwh: Decimal | None) -> Decimal:
    """等价值: the coal burnt to supply one kWh, from the year's coal rate in gce/kWh."""
    if coal_rate_gce_per_kwh is None or Decimal(coal_rate_gce_per_kwh) <= 0:
        raise ConversionError(gettext_noop("the equal-value basis needs the year's coal rate (gce/kWh)"))
    return exact_quotient(Decimal(coal_rate_gce_per_kwh), Decimal(1000))


def kgce_from_kcal(kcal_per_unit: Decimal) -> Decimal:
    """GB/T 2589's coefficients are calorific values over 7,000 kcal/kgce."""
    return exact_quotient(Decimal(kcal_per_unit), KCAL_PER_KGCE)


def kgce_from_ncv(kj_per_unit: Decimal) -> Decimal:
    """A measured net calorific value (kJ per unit) as kgce per unit."""
    return exact_quotient(Decimal(kj_per_unit), KJ_PER_KGCE)


def coefficient_for(spec: CoefficientSpec, measured: Decimal | None,
                    electricity: ElectricityBasis = CALORIFIC) -> tuple[Decimal, str]:
    """(kgce per carrier unit, how it was chosen: measured, calorific, equal_value or table)."""
    if spec.is_electricity:
        expected = electricity.kgce_per_kwh(spec.kgce_per_unit or CALORIFIC_KGCE_PER_KWH)
        if measured is not None and Decimal(measured) != expected:
            raise ConversionError(
                gettext_noop("electricity is converted on the year's %(basis)s basis (%(value)s kgce/kWh), "
                "not with a coefficient given in the file: leave kgce_per_unit empty"),
                basis=electricity.basis.replace("_", "-"), value=display(expected))
        return expected, electricity.basis
    if spec.is_range:
        if measured is None:
            raise ConversionError(
                gettext_noop("%(carrier)s has a range of %(low)s-%(high)s kgce/%(unit)s in the table: give the measured "
                "coefficient in kgce_per_unit"), carrier=spec.key, low=display(spec.kgce_min),
                high=display(spec.kgce_max), unit=spec.unit)
        if not Decimal(spec.kgce_min) <= Decimal(measured) <= Decimal(spec.kgce_max):
            raise ConversionError(
                gettext_noop("the measured coefficient %(value)s is outside the table's range for %(carrier)s "
                "(%(low)s-%(high)s kgce/%(unit)s)"), value=display(measured), carrier=spec.key,
                low=display(spec.kgce_min), high=display(spec.kgce_max), unit=spec.unit)
        return Decimal(measured), "measured"
    if measured is not None:
        return Decimal(measured), "measured"
    return Decimal(spec.kgce_per_unit), "table"


def tce(quantity: Decimal, kgce_per_unit: Decimal) -> Decimal:
    """Tonnes of standard coal for a quantity in the carrier's unit, rounded half-up to 1 gce."""
    return exact_quotient(exact_product(quantity, kgce_per_unit), KGCE_PER_TCE).quantize(
        TCE_QUANTUM, rounding=ROUND_HALF_UP)


def co2_kg(quantity: Decimal, kgco2_per_unit: Decimal | None) -> Decimal:
    """Kilograms of CO2 for a quantity in the carrier's unit, rounded half-up to 1 gram."""
    if kgco2_per_unit is None:
        return Decimal("0.000")
    return exact_product(quantity, kgco2_per_unit).quantize(KG_QUANTUM, rounding=ROUND_HALF_UP)


def fuel_factor(ncv_kj_per_unit: Decimal, carbon_tc_per_tj: Decimal, oxidation_rate: Decimal) -> Decimal:
    """kgCO2 per unit of a fuel = NCV x carbon content x oxidation rate x 44/12.

    kJ x tC/TJ = 10^-9 TJ x 10^3 kgC = 10^-6 kgC per unit.
    """
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return (Decimal(ncv_kj_per_unit) * Decimal(carbon_tc_per_tj) * Decimal(oxidation_rate)
                * Decimal(44) / Decimal(12) / Decimal(1_000_000))


def micro(tce_value: Decimal) -> int:
    """A line's rounded tce as integer micro-tce (grams of standard coal)."""
    return int(exact_product(tce_value, MICRO_PER_TCE).to_integral_value(rounding=ROUND_HALF_UP))


def grams(kg: Decimal) -> int:
    return int(exact_product(kg, GRAMS_PER_KG).to_integral_value(rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Conversion:
    """A line's working: what the project page shows, what the rollups add."""

    quantity: Decimal  # in the carrier's unit
    kgce_per_unit: Decimal
    kgce_basis: str  # measured, calorific, equal_value, table
    tce: Decimal
    kgco2_per_unit: Decimal | None
    co2_kg: Decimal

    @property
    def micro(self) -> int:
        return micro(self.tce)

    @property
    def grams(self) -> int:
        return grams(self.co2_kg)


def convert(quantity: Decimal, spec: CoefficientSpec, *, measured: Decimal | None = None,
            electricity: ElectricityBasis = CALORIFIC, grid_kgco2_per_kwh: Decimal | None = None) -> Conversion:
    """Convert a quantity in the carrier's unit; raises ConversionError."""
    if Decimal(quantity) < 0:
        raise ConversionError(gettext_noop("a quantity saved cannot be negative"))
    kgce, how = coefficient_for(spec, measured, electricity)
    factor = grid_kgco2_per_kwh if spec.is_electricity else spec.kgco2_per_unit
    return Conversion(Decimal(quantity), kgce, how, tce(quantity, kgce), factor, co2_kg(quantity, factor))


def display(value: Decimal | None) -> str:
    """A coefficient without trailing zeros: 0.714300 -> 0.7143."""
    if value is None:
        return ""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def coefficient_text(value: Decimal | None, places: int = 4) -> str:
    """A coefficient as the standard prints it: at least four decimals, more only where
    significant (0.9 -> 0.9000, 0.03412 -> 0.03412)."""
    if value is None:
        return ""
    text = display(value)
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(places, '0')}"


# --- grid regions --------------------------------------------------------------------------

# The regional grids of the MEE/NBS electricity CO2 factors, by key: (Chinese, English).
GRID_REGIONS: dict[str, tuple[str, str]] = {
    "north_china": ("华北", "North China"),
    "northeast_china": ("东北", "Northeast China"),
    "east_china": ("华东", "East China"),
    "central_china": ("华中", "Central China"),
    "northwest_china": ("西北", "Northwest China"),
    "south_china": ("南方", "South China"),
    "southwest_china": ("西南", "Southwest China"),
}
NATIONAL = "national"
REGION_BY_EN = {en: key for key, (_zh, en) in GRID_REGIONS.items()}

# Province (first two digits of the GB/T 2260 code) -> regional grid. Inner Mongolia (15) is
# split between the North China (west) and Northeast (east) grids and so falls back to the
# national average, as do Taiwan, Hong Kong and Macao (71, 81, 82).
PROVINCE_GRID: dict[str, str] = {
    "11": "north_china", "12": "north_china", "13": "north_china", "14": "north_china", "37": "north_china",
    "21": "northeast_china", "22": "northeast_china", "23": "northeast_china",
    "31": "east_china", "32": "east_china", "33": "east_china", "34": "east_china", "35": "east_china",
    "36": "central_china", "41": "central_china", "42": "central_china", "43": "central_china",
    "61": "northwest_china", "62": "northwest_china", "63": "northwest_china", "64": "northwest_china",
    "65": "northwest_china",
    "44": "south_china", "45": "south_china", "46": "south_china", "52": "south_china", "53": "south_china",
    "50": "southwest_china", "51": "southwest_china", "54": "southwest_china",
}

_GBT2260 = re.compile(r"^[1-8]\d{5}$")


def province_prefix(codes_upwards: list[str]) -> str | None:
    """The province of a unit: the first two digits of the nearest GB/T 2260 code at or above
    it (a functional zone without an official code takes its parent's)."""
    for code in codes_upwards:
        if _GBT2260.match(code or ""):
            return code[:2]
    return None


def grid_region(codes_upwards: list[str]) -> str | None:
    """The regional grid of a unit whose codes, from itself up to the root, are given; None
    when the province is unknown or split between grids (use the national average)."""
    prefix = province_prefix(codes_upwards)
    return PROVINCE_GRID.get(prefix) if prefix else None


@dataclass(frozen=True)
class GridFactorSpec:
    id: int | None
    data_year: int
    region: str  # a GRID_REGIONS key or NATIONAL
    kgco2_per_kwh: Decimal


def pick_grid_factor(factors: list[GridFactorSpec], year: int, region: str | None) -> GridFactorSpec | None:
    """The factor for a line of `year` in `region` (None: the national average).

    The line's own year if published; else the latest year before it (2024 lines use 2023's
    until 2024's is published); else, for years before the first publication, the earliest.
    A region without any factor falls back to the national average.
    """
    for scope in ([region, NATIONAL] if region and region != NATIONAL else [NATIONAL]):
        candidates = [f for f in factors if f.region == scope]
        if not candidates:
            continue
        earlier = [f for f in candidates if f.data_year <= year]
        if earlier:
            return max(earlier, key=lambda f: f.data_year)
        return min(candidates, key=lambda f: f.data_year)
    return None
