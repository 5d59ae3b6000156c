"""Carrier quantities become tce and CO2 by the standard's coefficients, linearly and exactly."""
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from twintrack.energy import conversions as cv
from twintrack.energy.reference import carrier_rows

# GB/T 2589-2008 Appendix A, transcribed independently of the shipped CSV: the calorific value
# per unit (kcal) that the standard divides by 7,000, and the coefficient it prints.
APPENDIX_A = {
    # key: (unit, kcal per unit or (low, high), printed kgce per unit or (low, high))
    "raw_coal": ("kg", 5000, "0.7143"),
    "cleaned_coal": ("kg", 6300, "0.9000"),
    "middlings": ("kg", 2000, "0.2857"),
    "slime": ("kg", (2000, 3000), ("0.2857", "0.4286")),
    "coke": ("kg", 6800, "0.9714"),
    "crude_oil": ("kg", 10000, "1.4286"),
    "fuel_oil": ("kg", 10000, "1.4286"),
    "gasoline": ("kg", 10300, "1.4714"),
    "kerosene": ("kg", 10300, "1.4714"),
    "diesel": ("kg", 10200, "1.4571"),
    "coal_tar": ("kg", 8000, "1.1429"),
    "residual_oil": ("kg", 10000, "1.4286"),
    "lpg": ("kg", 12000, "1.7143"),
    "refinery_dry_gas": ("kg", 11000, "1.5714"),
    "natural_gas_oilfield": ("m3", 9310, "1.3300"),
    "natural_gas_gasfield": ("m3", 8500, "1.2143"),
    "coal_mine_gas": ("m3", (3500, 4000), ("0.5000", "0.5714")),
    "coke_oven_gas": ("m3", (4000, 4300), ("0.5714", "0.6143")),
    "blast_furnace_gas": ("m3", 900, "0.1286"),
    "producer_gas": ("m3", 1250, "0.1786"),
    "electricity": ("kWh", 860, "0.1229"),
    "steam_low_pressure": ("kg", 900, "0.1286"),
    "standard_coal": ("kg", 7000, "1.0000"),
}

# The fuel factors' inputs, transcribed: (NCV kJ/unit, carbon content tC/TJ, oxidation, printed kgCO2/unit).
FUEL_FACTORS = {
    "raw_coal": ("20908", "26.37", "0.94", "1.9003"),
    "coke": ("28435", "29.5", "0.93", "2.8604"),
    "crude_oil": ("41816", "20.1", "0.98", "3.0202"),
    "fuel_oil": ("41816", "21.1", "0.98", "3.1705"),
    "gasoline": ("43070", "18.9", "0.98", "2.9251"),
    "kerosene": ("43070", "19.5", "0.98", "3.0179"),
    "diesel": ("42652", "20.2", "0.98", "3.0959"),
    "lpg": ("50179", "17.2", "0.98", "3.1013"),
    "refinery_dry_gas": ("46055", "18.2", "0.98", "3.0119"),
    "natural_gas_oilfield": ("38931", "15.3", "0.99", "2.1622"),
}

SHIPPED = {row.key: row for row in carrier_rows()}


def spec(key: str) -> cv.CoefficientSpec:
    row = SHIPPED[key]
    return cv.CoefficientSpec(row.key, row.unit, row.kgce_per_unit, row.kgce_min, row.kgce_max, row.kgco2_per_unit)


def to4(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001"))


@pytest.mark.parametrize("key", sorted(APPENDIX_A))
def test_every_coefficient_of_appendix_a_is_its_calorific_value_over_7000_kcal(key):
    unit, kcal, printed = APPENDIX_A[key]
    row = SHIPPED[key]
    assert row.unit == unit
    if isinstance(kcal, tuple):
        assert row.kgce_per_unit is None
        assert (row.kgce_min, row.kgce_max) == tuple(Decimal(p) for p in printed)
        assert tuple(to4(cv.kgce_from_kcal(k)) for k in kcal) == (row.kgce_min, row.kgce_max)
    else:
        assert row.kgce_per_unit == Decimal(printed)
        assert to4(cv.kgce_from_kcal(kcal)) == row.kgce_per_unit


def test_heat_is_one_over_the_kilojoules_of_a_kilogram_of_standard_coal():
    assert SHIPPED["heat"].kgce_per_unit == Decimal("0.03412")
    assert cv.kgce_from_ncv(Decimal(1000)).quantize(Decimal("0.00001")) == Decimal("0.03412")  # per MJ


@pytest.mark.parametrize("key", sorted(k for k, v in APPENDIX_A.items() if not isinstance(v[1], tuple)))
def test_a_thousand_units_of_every_carrier_are_its_coefficient_in_tce(key):
    printed = Decimal(APPENDIX_A[key][2])
    assert cv.convert(Decimal(1000), spec(key)).tce == printed
    assert cv.convert(Decimal(1), spec(key)).tce == (printed / 1000).quantize(cv.TCE_QUANTUM)


@pytest.mark.parametrize("quantity, unit, key, expected_tce", [
    ("1", "万kWh", "electricity", "1.229000"),  # 10,000 kWh x 0.1229 kgce
    ("2.5", "MWh", "electricity", "0.307250"),
    ("100", "t", "raw_coal", "71.430000"),
    ("3.5", "万m3", "natural_gas_gasfield", "42.500500"),
    ("120", "t", "steam_low_pressure", "15.432000"),
    ("8", "GJ", "heat", "0.272960"),
    ("850", "kg", "diesel", "1.238535"),
])
def test_typical_lines_convert_as_by_hand(quantity, unit, key, expected_tce):
    canonical, multiple = cv.unit_multiple(unit, spec(key).unit)
    assert canonical == unit
    assert cv.convert(cv.base_quantity(Decimal(quantity), multiple), spec(key)).tce == Decimal(expected_tce)


@pytest.mark.parametrize("key", sorted(FUEL_FACTORS))
def test_every_fuel_factor_is_ncv_times_carbon_times_oxidation_times_44_over_12(key):
    ncv, carbon, oxidation, printed = FUEL_FACTORS[key]
    assert to4(cv.fuel_factor(Decimal(ncv), Decimal(carbon), Decimal(oxidation))) == Decimal(printed)
    assert SHIPPED[key].kgco2_per_unit == Decimal(printed)
    assert SHIPPED[key].ncv_kj_per_unit == Decimal(ncv)


def test_gas_field_natural_gas_gets_a_factor_by_the_same_arithmetic():
    row = SHIPPED["natural_gas_gasfield"]
    assert row.kgco2_per_unit == to4(cv.fuel_factor(Decimal(35544), Decimal("15.3"), Decimal("0.99")))
    assert row.kgco2_per_unit == Decimal("1.9741")
    assert "derived" in row.co2_source


def test_carriers_without_a_published_factor_count_for_energy_but_not_co2():
    conversion = cv.convert(Decimal(1000), spec("steam_low_pressure"))
    assert (conversion.tce, conversion.co2_kg, conversion.kgco2_per_unit) == (Decimal("0.128600"), 0, None)


def test_co2_of_a_fuel_line_is_the_quantity_times_its_factor_to_the_gram():
    conversion = cv.convert(Decimal("123456.789"), spec("raw_coal"))
    assert conversion.co2_kg == Decimal("234604.936")  # 123,456.789 x 1.9003 = 234,604.93613...
    assert conversion.grams == 234604936


def test_electricity_uses_the_grid_factor_given():
    conversion = cv.convert(Decimal(10000), spec("electricity"), grid_kgco2_per_kwh=Decimal("0.5500"))
    assert (conversion.tce, conversion.co2_kg, conversion.kgce_basis) == (Decimal("1.229"), Decimal(5500), "calorific")


def test_electricity_on_the_equal_value_basis_uses_the_years_coal_rate():
    basis = cv.ElectricityBasis("equal_value", Decimal("300.5"))
    conversion = cv.convert(Decimal(10000), spec("electricity"), electricity=basis)
    assert (conversion.kgce_per_unit, conversion.tce, conversion.kgce_basis) == (
        Decimal("0.3005"), Decimal("3.005"), "equal_value")
    with pytest.raises(cv.ConversionError, match="coal rate"):
        cv.convert(Decimal(1), spec("electricity"), electricity=cv.ElectricityBasis("equal_value", None))


def test_a_range_carrier_requires_a_measured_coefficient_within_the_range():
    with pytest.raises(cv.ConversionError, match="give the measured coefficient"):
        cv.convert(Decimal(1000), spec("coke_oven_gas"))
    with pytest.raises(cv.ConversionError, match="outside the table's range"):
        cv.convert(Decimal(1000), spec("coke_oven_gas"), measured=Decimal("0.7"))
    conversion = cv.convert(Decimal(1000), spec("coke_oven_gas"), measured=Decimal("0.6"))
    assert (conversion.tce, conversion.kgce_basis) == (Decimal("0.6"), "measured")


def test_a_measured_coefficient_replaces_the_tables_for_a_fixed_carrier():
    conversion = cv.convert(Decimal(1000), spec("raw_coal"), measured=Decimal("0.7500"))
    assert (conversion.tce, conversion.kgce_basis) == (Decimal("0.75"), "measured")


def test_a_coefficient_for_electricity_must_be_the_years_basis():
    cv.coefficient_for(spec("electricity"), Decimal("0.1229"))
    with pytest.raises(cv.ConversionError, match="leave kgce_per_unit empty"):
        cv.coefficient_for(spec("electricity"), Decimal("0.3"))


def test_each_line_is_rounded_once_half_up_to_the_gram():
    # 1 kWh = 0.1229 kgce = 0.0001229 tce -> 0.000123 tce (123 g); 5 kWh = 614.5 g -> 615 g
    assert cv.convert(Decimal(1), spec("electricity")).tce == Decimal("0.000123")
    assert cv.convert(Decimal(5), spec("electricity")).micro == 615
    assert cv.co2_kg(Decimal("0.0005"), Decimal(1)) == Decimal("0.001")


@pytest.mark.parametrize("typed, base, expected", [
    ("", "kWh", ("kWh", 1)), ("kwh", "kWh", ("kWh", 1)), ("万千瓦时", "kWh", ("万kWh", 10000)),
    ("万 kWh", "kWh", ("万kWh", 10000)), ("MWh", "kWh", ("MWh", 1000)), ("吨", "kg", ("t", 1000)),
    ("T", "kg", ("t", 1000)), ("m³", "m3", ("m3", 1)), ("万立方米", "m3", ("万m3", 10000)),
    ("万m3", "m3", ("万m3", 10000)), ("gj", "MJ", ("GJ", 1000)), ("ＭＪ", "MJ", ("MJ", 1)),
])
def test_units_are_recognised_in_their_usual_spellings(typed, base, expected):
    assert cv.unit_multiple(typed, base) == (expected[0], Decimal(expected[1]))


def test_a_unit_of_another_quantity_is_refused_naming_the_right_ones():
    with pytest.raises(cv.ConversionError) as info:
        cv.unit_multiple("m3", "kWh")
    assert str(info.value) == "m3 is not a unit for this carrier (measured in kWh): use kWh, 万kWh, MWh"


def test_the_grid_region_comes_from_the_province_of_the_unit():
    assert cv.grid_region(["330402", "330400"]) == "east_china"
    assert cv.grid_region(["JXGQ", "330400"]) == "east_china"  # a zone takes its parent's province
    assert cv.grid_region(["110105", "110000"]) == "north_china"
    assert cv.grid_region(["510104"]) == "southwest_china"
    assert cv.grid_region(["150102"]) is None  # Inner Mongolia is split between two grids
    assert cv.grid_region(["HQ"]) is None


def test_the_grid_factor_is_the_years_or_the_latest_published_before_it():
    factors = [cv.GridFactorSpec(1, 2021, "national", Decimal("0.5568")),
               cv.GridFactorSpec(2, 2022, "national", Decimal("0.5366")),
               cv.GridFactorSpec(3, 2023, "national", Decimal("0.5306")),
               cv.GridFactorSpec(4, 2022, "east_china", Decimal("0.5617")),
               cv.GridFactorSpec(5, 2023, "east_china", Decimal("0.5500"))]
    pick = lambda year, region: cv.pick_grid_factor(factors, year, region).id  # noqa: E731
    assert pick(2023, "east_china") == 5
    assert pick(2024, "east_china") == 5  # not yet published: the latest
    assert pick(2022, "east_china") == 4
    assert pick(2021, "east_china") == 4  # before the first regional publication: the earliest
    assert pick(2023, None) == 3
    assert pick(2021, None) == 1
    assert pick(2023, "north_china") == 3  # a region without factors: the national average


# --- properties --------------------------------------------------------------------------

quantities = st.decimals(min_value=0, max_value=Decimal("1e9"), places=3, allow_nan=False, allow_infinity=False)
fixed_carriers = st.sampled_from(sorted(k for k in SHIPPED if SHIPPED[k].kgce_per_unit is not None))


@settings(max_examples=300, deadline=None)
@given(quantities, quantities, fixed_carriers)
def test_conversion_is_linear_before_rounding_and_within_a_gram_after(a, b, key):
    s = spec(key)
    exact = lambda q: cv.exact_product(q, s.kgce_per_unit) / 1000  # noqa: E731
    assert exact(a + b) == exact(a) + exact(b)
    together = cv.convert(a + b, s).micro
    apart = cv.convert(a, s).micro + cv.convert(b, s).micro
    assert abs(together - apart) <= 1  # each line is rounded once, to the gram


@settings(max_examples=300, deadline=None)
@given(quantities, st.integers(min_value=0, max_value=10**6), fixed_carriers)
def test_scaling_a_quantity_scales_the_exact_tce(q, n, key):
    s = spec(key)
    assert cv.exact_product(q * n, s.kgce_per_unit) == n * cv.exact_product(q, s.kgce_per_unit)
    assert cv.convert(Decimal(0), s).tce == 0


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=0, max_value=Decimal("1e8"), places=4, allow_nan=False, allow_infinity=False))
def test_unit_multiples_agree_with_the_base_unit(q):
    electricity, coal, gas, heat = spec("electricity"), spec("raw_coal"), spec("natural_gas_gasfield"), spec("heat")
    for s, big, small, factor in ((electricity, "万kWh", "kWh", 10000), (electricity, "MWh", "kWh", 1000),
                                  (coal, "t", "kg", 1000), (gas, "万m3", "m3", 10000), (heat, "GJ", "MJ", 1000)):
        in_big = cv.base_quantity(q, cv.unit_multiple(big, s.unit)[1])
        in_small = cv.base_quantity(q * factor, cv.unit_multiple(small, s.unit)[1])
        assert in_big == in_small
        assert cv.convert(in_big, s, grid_kgco2_per_kwh=Decimal("0.55")) == \
            cv.convert(in_small, s, grid_kgco2_per_kwh=Decimal("0.55"))
    assert cv.base_quantity(Decimal(1), cv.unit_multiple("万kWh", "kWh")[1]) == Decimal(10000)
