"""The report's energy and CO2 equal the projects' lines converted by hand, and say how."""
from datetime import date
from decimal import Decimal

import pytest

from twintrack.energy.services import save_energy_lines, set_year_basis
from twintrack.metrics.report import report_for_period
from twintrack.metrics.rollups import rollup_differences
from twintrack.reports.build import build_report
from twintrack.reports.narrative import narrative_en, narrative_zh

KG = Decimal("0.001")


def uscc(seed: int, region: str) -> str:
    from stdnum.cn import uscc as check

    body = f"91{region}MA{seed:07d}"[:17]
    return body + check.calc_check_digit(body)


@pytest.fixture
def projects(tables, project_factory, enterprise):
    """G1 and G2 of the Nanhu enterprise, G3 of an enterprise in the port zone (JXGQ)."""
    from twintrack.enterprises.models import Enterprise
    from twintrack.enterprises.services import EnterpriseValues, save_enterprises
    from twintrack.orgs.models import OrgUnit

    port = OrgUnit.objects.get(code="JXGQ")
    save_enterprises([EnterpriseValues(uscc(2, "330482"), "传化合成材料有限公司", "", port.id, "2652", "large", True)])
    other = Enterprise.objects.get(uscc=uscc(2, "330482"))
    return {
        "G1": project_factory("G1", start=date(2023, 1, 10), kind="green"),
        "G2": project_factory("G2", start=date(2023, 2, 1), kind="digital_green"),
        "G3": project_factory("G3", start=date(2023, 1, 1), kind="green", ent=other),
    }


def t(value) -> Decimal:
    """A report's JSON number (tonnes) to the kilogram."""
    return Decimal(str(value)).quantize(KG)


def test_a_units_report_equals_its_projects_lines_converted_by_hand_to_the_kilogram(projects, line, city):
    g1, g2, g3 = projects["G1"], projects["G2"], projects["G3"]
    save_energy_lines([
        line(g1, 1, "electricity", "12.3456", "万kWh"),
        line(g1, 2, "raw_coal", "456.789", "t"),
        line(g1, 3, "natural_gas_gasfield", "7.2", "万m3"),
        line(g1, 3, "steam_low_pressure", "1234.5", "t"),
        line(g2, 4, "electricity", "987.654", "MWh"),
        line(g2, 5, "diesel", "12345.6", "kg"),
        line(g2, 7, "coke_oven_gas", "50000", "m3", measured="0.6"),
        line(g2, 8, "electricity", "1000", "MWh"),  # after the period
        line(g3, 3, "electricity", "500", "MWh"),  # another unit
    ])
    # by hand: quantity in the carrier's unit x coefficient; CO2 x the East China 2023 factor or the fuel factor
    kgce = (Decimal("123456") * Decimal("0.1229")        # 12.3456 万kWh
            + Decimal("456789") * Decimal("0.7143")      # 456.789 t raw coal
            + Decimal("72000") * Decimal("1.2143")       # 7.2 万m3 natural gas
            + Decimal("1234500") * Decimal("0.1286")     # 1,234.5 t steam
            + Decimal("987654") * Decimal("0.1229")      # 987.654 MWh
            + Decimal("12345.6") * Decimal("1.4571")     # diesel
            + Decimal("50000") * Decimal("0.6"))         # coke-oven gas, measured
    kgco2 = (Decimal("123456") * Decimal("0.55") + Decimal("456789") * Decimal("1.9003")
             + Decimal("72000") * Decimal("1.9741") + Decimal("987654") * Decimal("0.55")
             + Decimal("12345.6") * Decimal("3.0959"))  # steam and coke-oven gas: no factor
    report = report_for_period(city, 2023, 7)
    nanhu = next(c for c in report["children"] if c["org"]["code"] == "330402")["metrics"]
    assert t(nanhu["energy_saved_tce"]["actual"]) == (kgce / 1000).quantize(KG)
    assert t(nanhu["co2_reduced_t"]["actual"]) == (kgco2 / 1000).quantize(KG)
    assert nanhu["energy_saved_tce"]["carrier_lines_share"] == 1.0
    port = next(c for c in report["children"] if c["org"]["code"] == "JXGQ")["metrics"]
    assert t(port["energy_saved_tce"]["actual"]) == Decimal("61.450")
    assert t(port["co2_reduced_t"]["actual"]) == Decimal("275.000")
    assert t(report["metrics"]["energy_saved_tce"]["actual"]) == ((kgce + 61450) / 1000).quantize(KG)
    assert rollup_differences() == []


def test_the_report_says_which_basis_and_factors_it_used(projects, line, city):
    save_energy_lines([line(projects["G1"], 3, "electricity", 10000)])
    report = build_report(city, 2023, 7)
    assert report["metrics"]["energy_saved_tce"]["basis"] == {
        "electricity": "calorific", "kgce_per_kwh": 0.1229, "coal_rate_gce_per_kwh": None,
        "coefficient_versions": [{"name": "GB/T 2589-2008", "effective_from": "2000-01-01"}],
    }
    assert report["metrics"]["co2_reduced_t"]["basis"] == {
        "grid": "regional", "grid_region": "east_china", "grid_region_zh": "华东", "grid_region_en": "East China",
        "grid_factor_kgco2_per_kwh": 0.55, "grid_factor_year": 2023, "fuel_factors": "reference, not regulatory",
    }
    assert all(c["metrics"]["co2_reduced_t"]["basis"]["grid_region"] == "east_china" for c in report["children"])
    assert set(report) == {"org", "period", "metrics", "children", "narrative"}  # keys added inside, none renamed
    later = build_report(city, 2024, 3)["metrics"]["co2_reduced_t"]["basis"]
    assert (later["grid_factor_year"], later["grid_factor_kgco2_per_kwh"]) == (2023, 0.55)  # 2024 not published


def test_the_equal_value_basis_for_a_year_reconverts_its_electricity_and_the_report_says_so(projects, line, city):
    g1 = projects["G1"]
    save_energy_lines([line(g1, 3, "electricity", 10000), line(g1, 3, "raw_coal", 1, "t"),
                       line(g1, 3, "electricity", 10000, year=2024)])
    basis, result = set_year_basis(2023, "equal_value", Decimal("300.5"), "regional", "deployment's 2023 coal rate")
    assert (result.changed, result.unchanged) == (1, 0)
    report = build_report(city, 2023, 7)
    assert report["metrics"]["energy_saved_tce"]["basis"]["electricity"] == "equal_value"
    assert report["metrics"]["energy_saved_tce"]["basis"]["kgce_per_kwh"] == 0.3005
    assert report["metrics"]["energy_saved_tce"]["basis"]["coal_rate_gce_per_kwh"] == 300.5
    assert t(report["metrics"]["energy_saved_tce"]["actual"]) == Decimal("3.005") + Decimal("0.714")
    assert build_report(city, 2024, 3)["metrics"]["energy_saved_tce"]["actual"] == 1.229  # other years stay
    assert rollup_differences() == []
    set_year_basis(2023, "calorific", None, "national", "")
    report = build_report(city, 2023, 7)
    assert t(report["metrics"]["energy_saved_tce"]["actual"]) == Decimal("1.229") + Decimal("0.714")
    assert report["metrics"]["co2_reduced_t"]["basis"]["grid"] == "national"
    assert t(report["metrics"]["co2_reduced_t"]["actual"]) == Decimal("5.306") + Decimal("1.900")  # 0.5306 national
    assert rollup_differences() == []


def test_the_narrative_names_co2_only_when_there_is_some_and_a_target_for_it(projects, line, city):
    from twintrack.programme.services import TargetValues, save_targets

    plain = build_report(city, 2023, 7)["narrative"]
    save_energy_lines([line(projects["G1"], 3, "electricity", "3", "万kWh")])
    report = build_report(city, 2023, 7)
    assert report["metrics"]["co2_reduced_t"]["actual"] == 16.5
    assert "二氧化碳" not in report["narrative"]["zh"]  # no CO2 target: the contract's three clauses
    save_targets([TargetValues(city.id, "co2_reduced_t", 2023, 7, Decimal(20))])
    report = build_report(city, 2023, 7)
    assert report["narrative"]["zh"].endswith("实现节能量3.69吨标准煤；减少二氧化碳排放16.5吨，完成率82.5%。")
    assert report["narrative"]["en"].endswith(
        "energy savings reached 3.69 tonnes of standard coal; CO2 emissions were cut by 16.5 tonnes, "
        "82.5% of the target.")
    assert "二氧化碳" not in plain["zh"]


def test_the_co2_clause_in_reporting_units():
    metrics = {"projects": {"actual": 10, "completion_rate": None},
               "investment_yuan": {"actual": 1e8, "completion_rate": None},
               "energy_saved_tce": {"actual": 20000.0, "completion_rate": None},
               "co2_reduced_t": {"actual": 123456.0, "target": None, "annual_target": 200000.0,
                                 "completion_rate": None}}
    assert narrative_zh(metrics, 7, "city").endswith("实现节能量2万吨标准煤；减少二氧化碳排放12.35万吨。")
    assert narrative_en(metrics, 2023, 7).endswith("CO2 emissions were cut by 123,456 tonnes.")
    metrics["co2_reduced_t"]["actual"] = 0.0
    assert narrative_zh(metrics, 7, "city").endswith("实现节能量2万吨标准煤。")


def test_the_text_report_says_which_basis_it_used_only_when_lines_are_in_it(projects, line, city):
    from twintrack.reports.text import render_text

    assert "GB/T 2589" not in render_text(build_report(city, 2023, 7), "zh")
    save_energy_lines([line(projects["G1"], 3, "electricity", 10000)])
    report = build_report(city, 2023, 7)
    assert render_text(report, "zh").rstrip().endswith(
        "说明：节能量中100%来自分品种节能明细，按GB/T 2589-2008折标，电力按当量值折标（0.1229千克标准煤/千瓦时）；"
        "二氧化碳按华东电网2023年排放因子0.55千克/千瓦时计算，燃料排放因子仅供参考。")
    set_year_basis(2023, "equal_value", Decimal("300.5"), "national", "")
    assert render_text(build_report(city, 2023, 7), "en").rstrip().endswith(
        "Basis: 100% of the energy saved came from carrier lines, converted with GB/T 2589-2008, electricity on the "
        "equal-value basis (coal rate 300.5 gce/kWh, 0.3005 kgce/kWh); CO2 with the China grid factor of 2023, "
        "0.5306 kg/kWh; fuel factors for reference, not regulatory.")


def test_a_bulletin_snapshot_keeps_the_tables_its_figures_used(projects, line, city):
    import json

    from twintrack.energy.snapshot import coefficients_used

    save_energy_lines([line(projects["G1"], 3, "electricity", 10000)])
    used = coefficients_used(city, 2023, 7)
    json.dumps(used)
    assert used["energy_basis"]["electricity"] == "calorific"
    assert used["co2_basis"]["grid_factor_kgco2_per_kwh"] == 0.55
    [version] = used["versions"]
    coal = next(c for c in version["carriers"] if c["key"] == "raw_coal")
    assert (version["name"], coal["kgce_per_unit"], coal["kgco2_per_unit"]) == ("GB/T 2589-2008", 0.7143, 1.9003)
    assert {(g["data_year"], g["region"]) for g in used["grid_factors"]} >= {(2023, "east_china"), (2023, "national")}
