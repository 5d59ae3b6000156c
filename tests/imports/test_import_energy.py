"""Importing energy lines (contract section 4), and the guard against counting a month twice."""
from datetime import date
from decimal import Decimal

import pytest

from twintrack.energy.models import EnergyLine
from twintrack.web.import_kinds import import_file
from twintrack.metrics.report import report_for_period
from twintrack.metrics.rollups import rollup_differences
from twintrack.programme.models import Progress

pytestmark = pytest.mark.django_db

HEADER_ZH = ["项目编号", "月份", "能源品种", "节约量", "计量单位", "折标系数"]
HEADER = ["project_code", "month", "carrier", "quantity_saved", "unit", "kgce_per_unit"]


@pytest.fixture
def green(project_factory):
    from twintrack.energy.services import load_reference_data

    load_reference_data()
    return project_factory("G001", start=date(2023, 1, 5), kind="green")


def lines():
    return {(l.project.code, l.period, l.carrier): (l.quantity_entered, l.unit_entered, l.quantity, l.tce, l.co2_kg)
            for l in EnergyLine.objects.select_related("project")}


def test_an_energy_file_with_chinese_labels_units_and_carrier_names(green, write_csv, city):
    rows = [HEADER_ZH,
            ["G001", "2023-03", "电力", "12.5", "万kWh", ""],
            ["G001", "2023-03", "原煤", "1,200", "吨", ""],
            ["G001", "2023-03", "天然气", "3.5", "万m3", ""],
            ["G001", "2023年4月", "蒸汽", "80", "t", ""],
            ["G001", "2023-04", "焦炉煤气", "10000", "", "0.6"],
            ["G001", "2023-04", "electricity", "300", "MWh", ""]]
    result = import_file("energy", write_csv(rows, encoding="gb18030"))
    assert (result.rows_read, result.created, result.updated, result.unchanged) == (6, 6, 0, 0)
    assert lines() == {
        ("G001", "2023-03", "electricity"): (Decimal("12.5"), "万kWh", Decimal(125000), Decimal("15.3625"),
                                             Decimal("68750")),
        ("G001", "2023-03", "raw_coal"): (Decimal(1200), "t", Decimal(1200000), Decimal("857.16"),
                                          Decimal("2280360")),
        ("G001", "2023-03", "natural_gas_gasfield"): (Decimal("3.5"), "万m3", Decimal(35000), Decimal("42.5005"),
                                                      Decimal("69093.5")),
        ("G001", "2023-04", "steam_low_pressure"): (Decimal(80), "t", Decimal(80000), Decimal("10.288"), Decimal(0)),
        ("G001", "2023-04", "coke_oven_gas"): (Decimal(10000), "m3", Decimal(10000), Decimal("6"), Decimal(0)),
        ("G001", "2023-04", "electricity"): (Decimal(300), "MWh", Decimal(300000), Decimal("36.87"),
                                             Decimal("165000")),
    }
    assert rollup_differences() == []
    again = import_file("energy", write_csv(rows, encoding="gb18030"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)


def test_an_energy_file_from_xlsx_with_keys(green, write_xlsx):
    rows = [HEADER, ["G001", "2023-05", "diesel", 850, "kg", None]]
    import_file("energy", write_xlsx(rows, sheet="energy"))
    assert lines()[("G001", "2023-05", "diesel")][3] == Decimal("1.238535")


def test_every_bad_cell_is_reported_with_its_row_and_column(green, write_csv, rejected):
    rows = [HEADER,
            ["G001", "2023-03", "煤气罐", "10", "", ""],
            ["G001", "2023-03", "electricity", "-5", "", ""],
            ["G001", "2023-03", "raw_coal", "10", "m3", ""],
            ["G001", "2023-03", "coke_oven_gas", "10", "", ""],
            ["G001", "2023-03", "slime", "10", "t", "0.9"],
            ["G001", "2023-05", "electricity", "10", "", "0.3"],
            ["NOPE", "2023-03", "electricity", "10", "", ""],
            ["G001", "2022-12", "electricity", "10", "", ""],
            ["G001", "2023-06", "电力", "1", "", ""],
            ["G001", "2023-06", "electricity", "2", "", ""]]
    messages = rejected("energy", write_csv(rows))
    assert messages[0].startswith('row 2, column carrier: "煤气罐" is not an energy carrier of the coefficient table: '
                                  'use one of raw_coal (原煤), ')
    assert messages[1:] == [
        'row 3, column quantity_saved: "-5": must not be negative',
        "row 4, column unit: m3 is not a unit for this carrier (measured in kg): use kg, t",
        "row 5, column kgce_per_unit: coke_oven_gas has a range of 0.5714-0.6143 kgce/m3 in the table: give the "
        "measured coefficient in kgce_per_unit",
        "row 6, column kgce_per_unit: the measured coefficient 0.9 is outside the table's range for slime "
        "(0.2857-0.4286 kgce/kg)",
        "row 7, column kgce_per_unit: electricity is converted on the year's calorific basis (0.1229 kgce/kWh), "
        "not with a coefficient given in the file: leave kgce_per_unit empty",
        'row 8, column project_code: no project has code "NOPE"',
        "row 9, column month: \"2022-12\" is before the project's start month 2023-01",
        "row 11, column project_code: duplicate of row 10",
    ]
    assert not EnergyLine.objects.exists()


def test_energy_lines_for_a_month_whose_progress_has_tce_are_refused_naming_the_row_and_the_month(
        green, write_csv, rejected, city):
    import_file("progress", write_csv([["project_code", "month", "investment_yuan", "energy_saved_tce"],
                                       ["G001", "2023-03", "100000", "12.5"],
                                       ["G001", "2023-04", "100000", ""]], name="progress.csv"))
    rows = [HEADER_ZH,
            ["G001", "2023-04", "电力", "10000", "kWh", ""],
            ["G001", "2023-03", "电力", "10000", "kWh", ""]]
    assert rejected("energy", write_csv(rows, name="energy.csv")) == [
        "row 3, column month: project G001 already has a tce figure for 2023-03 in its monthly progress "
        "(energy_saved_tce 12.5): a month's savings come either from progress or from energy lines, not both",
    ]
    assert not EnergyLine.objects.exists()
    assert report_for_period(city, 2023, 4)["metrics"]["energy_saved_tce"]["actual"] == 12.5


def test_progress_tce_for_a_month_with_energy_lines_is_refused_naming_the_row_and_the_month(
        green, write_csv, rejected, city):
    import_file("energy", write_csv([HEADER, ["G001", "2023-03", "electricity", "10000", "", ""],
                                     ["G001", "2023-03", "raw_coal", "1", "t", ""]], name="energy.csv"))
    rows = [["项目编号", "月份", "完成投资（元）", "节能量（吨标准煤）"],
            ["G001", "2023-02", "100000", "5"],
            ["G001", "2023-03", "100000", "7"],
            ["G001", "2023-03", "100000", ""]]
    assert rejected("progress", write_csv(rows[:3], name="progress.csv")) == [
        "row 3, column energy_saved_tce: project G001 already has energy lines for 2023-03 (electricity, raw_coal): "
        "a month's savings come either from progress or from energy lines, not both; leave energy_saved_tce empty",
    ]
    assert not Progress.objects.exists()
    # the month's investment without a tce figure is fine: its energy comes from the lines
    import_file("progress", write_csv([rows[0], rows[1], rows[3]], name="progress2.csv"))
    energy = report_for_period(city, 2023, 3)["metrics"]["energy_saved_tce"]
    assert energy["actual"] == pytest.approx(5 + 1.229 + 0.7143)
    assert energy["carrier_lines_share"] == pytest.approx((1.229 + 0.7143) / (5 + 1.229 + 0.7143))


def test_the_import_command_takes_the_energy_kind(green, write_csv, capsys):
    from django.core.management import call_command

    path = write_csv([HEADER, ["G001", "2023-03", "electricity", "10000", "", ""]])
    call_command("import", "energy", str(path))
    assert "energy: 1 row read, 1 created" in capsys.readouterr().out
