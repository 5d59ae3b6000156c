"""Writing energy lines: the working is computed and kept, history recorded, rollups exact."""
from decimal import Decimal

import pytest

from twintrack.energy.models import CarrierCoefficient, CoefficientVersion, EnergyLine, GridFactor
from twintrack.energy.services import (
    DoubleCounting, delete_energy_lines, load_reference_data, months_with_lines, progress_with_tce,
    save_energy_lines,
)
from twintrack.metrics.report import report_for_period
from twintrack.metrics.rollups import rebuild_rollups, rollup_differences


def test_init_loads_the_shipped_version_once(tables):
    assert tables["carriers"] == 24 and tables["grid_factors"] == 23 and tables["version_created"]
    again = load_reference_data()
    assert not again["version_created"] and again["grid_factors_added"] == 0
    assert CoefficientVersion.objects.count() == 1 and CarrierCoefficient.objects.count() == 24
    assert GridFactor.objects.count() == 23
    version = CoefficientVersion.objects.get()
    assert version.name == "GB/T 2589-2008" and "Appendix A" in version.source


def test_a_line_keeps_its_working(green, line):
    result = save_energy_lines([line(green, 3, "electricity", "12.5", "万kWh")])
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    saved = EnergyLine.objects.get()
    assert (saved.carrier, saved.quantity_entered, saved.unit_entered, saved.quantity) == (
        "electricity", Decimal("12.5"), "万kWh", Decimal(125000))
    assert (saved.kgce_per_unit, saved.kgce_basis, saved.tce) == (Decimal("0.1229"), "calorific", Decimal("15.3625"))
    assert saved.coefficient.version.name == "GB/T 2589-2008"
    assert (saved.grid_factor.data_year, saved.grid_factor.region, saved.kgco2_per_unit) == (
        2023, "east_china", Decimal("0.55"))
    assert saved.co2_kg == Decimal(68750)  # 125,000 kWh x 0.5500
    assert "华东" in saved.co2_source
    assert saved.history.count() == 1


def test_lines_add_to_the_units_rollups_with_the_share_from_lines(green, line, progress, city):
    progress(green, 2, 100000, tce="10.5")
    save_energy_lines([line(green, 3, "electricity", 100000), line(green, 3, "raw_coal", 20, "t")])
    report = report_for_period(city, 2023, 3)
    energy = report["metrics"]["energy_saved_tce"]
    # 100,000 kWh x 0.1229 = 12.29 tce; 20 t coal x 0.7143 = 14.286 tce; progress 10.5
    assert energy["actual"] == pytest.approx(10.5 + 12.29 + 14.286)
    assert energy["carrier_lines_share"] == pytest.approx((12.29 + 14.286) / (10.5 + 12.29 + 14.286))
    assert report["metrics"]["co2_reduced_t"]["actual"] == pytest.approx(55 + 38.006)
    nanhu = next(c for c in report["children"] if c["org"]["code"] == "330402")
    assert nanhu["metrics"]["co2_reduced_t"]["actual"] == pytest.approx(93.006)
    assert rollup_differences() == []


def test_a_second_import_of_the_same_lines_changes_nothing_and_a_change_moves_the_difference(green, line, city):
    rows = [line(green, 4, "natural_gas_gasfield", 10000), line(green, 4, "steam_low_pressure", 50, "t")]
    save_energy_lines(rows)
    again = save_energy_lines(rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert EnergyLine.objects.get(carrier="steam_low_pressure").history.count() == 1
    changed = save_energy_lines([line(green, 4, "natural_gas_gasfield", 2, "万m3")])
    assert (changed.created, changed.updated) == (0, 1)
    gas = EnergyLine.objects.get(carrier="natural_gas_gasfield")
    assert (gas.tce, gas.co2_kg) == (Decimal("24.286"), Decimal("39482"))  # 20,000 m3 x 1.2143; x 1.9741
    assert rollup_differences() == []
    assert report_for_period(city, 2023, 4)["metrics"]["energy_saved_tce"]["actual"] == pytest.approx(
        24.286 + 6.43)


def test_deleting_lines_takes_them_out_of_the_rollups(green, line, city):
    save_energy_lines([line(green, 5, "diesel", 2, "t")])
    delete_energy_lines(EnergyLine.objects.all(), "wrong month")
    assert report_for_period(city, 2023, 5)["metrics"]["energy_saved_tce"]["actual"] == 0
    assert rollup_differences() == []
    assert EnergyLine.history.filter(history_type="-").count() == 1


def test_a_month_with_a_progress_tce_figure_cannot_also_have_lines(green, line, progress):
    progress(green, 6, 50000, tce="3")
    with pytest.raises(DoubleCounting) as info:
        save_energy_lines([line(green, 6, "electricity", 1000), line(green, 7, "electricity", 1000)])
    assert info.value.clashes == {(green.id, 2023, 6): Decimal("3")}
    assert not EnergyLine.objects.exists()


def test_a_progress_row_without_tce_lets_lines_carry_the_months_energy(green, line, progress):
    progress(green, 6, 50000)
    save_energy_lines([line(green, 6, "electricity", 1000)])
    assert progress_with_tce({(green.id, 2023, 6)}) == {}
    assert months_with_lines({(green.id, 2023, 6), (green.id, 2023, 7)}) == {(green.id, 2023, 6): ["electricity"]}


def test_moving_a_project_to_another_unit_moves_its_lines(green, line, city, project_factory):
    from twintrack.enterprises.models import Enterprise
    from twintrack.enterprises.services import EnterpriseValues, save_enterprises
    from twintrack.orgs.models import OrgUnit

    save_energy_lines([line(green, 3, "electricity", 10000)])
    pinghu = OrgUnit.objects.get(code="330482")
    e = Enterprise.objects.get()
    save_enterprises([EnterpriseValues(e.uscc, e.name_zh, e.name_en, pinghu.id, e.industry_id, e.size,
                                       e.above_scale)])
    children = {c["org"]["code"]: c for c in report_for_period(city, 2023, 3)["children"]}
    assert children["330482"]["metrics"]["energy_saved_tce"]["actual"] == pytest.approx(1.229)
    assert children["330402"]["metrics"]["energy_saved_tce"]["actual"] == 0
    assert rollup_differences() == []


def test_the_full_rebuild_counts_the_lines(green, line, city):
    save_energy_lines([line(green, 3, "electricity", 10000), line(green, 3, "coke", 1, "t")])
    rebuild_rollups()
    assert rollup_differences() == []
    assert report_for_period(city, 2023, 3)["metrics"]["co2_reduced_t"]["actual"] == pytest.approx(5.5 + 2.8604)
