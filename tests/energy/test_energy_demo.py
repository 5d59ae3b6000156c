"""The demo's green projects report carrier lines, and the bulletin's figures stay exact."""
from decimal import Decimal

import pytest
from django.core.management import call_command

from twintrack.demo import generate as demo
from twintrack.energy.models import EnergyBaseline, EnergyLine
from twintrack.energy.services import progress_with_tce
from twintrack.metrics.models import Rollup
from twintrack.metrics.rollups import rollup_differences
from twintrack.orgs.models import OrgUnit
from twintrack.reports.build import build_report


def monthly_energy(data) -> dict:
    """(unit, month) -> tce, from the generated rows: progress tce plus lines converted."""
    from twintrack.energy import conversions as cv
    from twintrack.energy.reference import carrier_rows

    kgce = {row.key: row.kgce_per_unit for row in carrier_rows()}
    totals: dict = {}
    for r in data.progress:
        if r.energy_saved_tce is not None:
            totals[(r.org_code, r.month)] = totals.get((r.org_code, r.month), 0) + r.energy_saved_tce
    for e in data.energy:
        base = cv.base_quantity(e.quantity, cv.unit_multiple(e.unit, "kWh" if e.carrier == "electricity" else
                                                             "m3" if e.carrier.startswith("natural_gas") else "kg")[1])
        totals[(e.org_code, e.month)] = totals.get((e.org_code, e.month), 0) + cv.tce(base, kgce[e.carrier])
    return totals


def test_lines_replace_tce_without_changing_any_units_monthly_energy(monkeypatch):
    with_lines = demo.generate()
    monkeypatch.setattr(demo, "LINE_SHARE", 0)
    without = demo.generate()
    assert not without.energy and with_lines.energy
    assert monthly_energy(with_lines) == monthly_energy(without)
    assert {e.carrier for e in with_lines.energy} == {"electricity", "raw_coal", "natural_gas_gasfield",
                                                      "steam_low_pressure"}
    kinds = {p.code: p.kind for p in with_lines.projects}
    assert {kinds[e.project_code] for e in with_lines.energy} == {"green", "digital_green"}


@pytest.fixture
def loaded(db, industry_codes):
    call_command("demo")
    return OrgUnit.objects.get(code="330400")


def test_the_loaded_demo_keeps_the_bulletins_319100_tce_with_a_share_from_lines(loaded):
    report = build_report(loaded, 2023, 7)
    energy = report["metrics"]["energy_saved_tce"]
    assert energy["actual"] == 319100.0
    assert 0.3 < energy["carrier_lines_share"] < 0.6
    assert report["metrics"]["co2_reduced_t"]["actual"] > 0
    assert report["narrative"]["zh"].endswith("实现节能量31.91万吨标准煤，完成率106.37%。")
    assert rollup_differences() == []
    lines = EnergyLine.objects.count()
    assert lines == len(demo.generate().energy) and EnergyBaseline.objects.exists()
    months = set(EnergyLine.objects.values_list("project_id", "year", "month"))
    assert progress_with_tce(months) == {}  # no month counted twice
    city_co2 = sum(Rollup.objects.filter(org=loaded, year=2023, month__lte=7).values_list("co2_g", flat=True))
    assert Decimal(city_co2) / 10**6 == Decimal(str(report["metrics"]["co2_reduced_t"]["actual"]))
