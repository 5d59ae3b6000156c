"""Versioned tables: a new version governs the months from its effective date, and the lines it
governs are converted again; a version that a line could not follow is refused whole."""
from datetime import date
from decimal import Decimal

import pytest

from twintrack.energy.models import CoefficientVersion, EnergyLine
from twintrack.energy.services import (
    ReconversionFailed, add_coefficient_version, add_grid_factor, save_energy_lines,
)
from twintrack.metrics.report import report_for_period
from twintrack.metrics.rollups import rollup_differences
from twintrack.reports.build import build_report

def test_a_new_version_converts_the_months_from_its_effective_date(green, line, city, shipped_carriers):
    save_energy_lines([line(green, 3, "raw_coal", 1, "t"), line(green, 4, "raw_coal", 1, "t"),
                       line(green, 5, "electricity", 10000)])
    version, result = add_coefficient_version(
        "Bureau 2023 revision", date(2023, 4, 1), "measured by the provincial institute", "",
        shipped_carriers(raw_coal={"kgce_per_unit": Decimal("0.7000")}))
    assert (result.changed, result.failures) == (2, [])  # April's coal and May's electricity now cite it
    assert (result.energy_micro, result.co2_g) == (-14300, 0)
    by_month = {l.month: l for l in EnergyLine.objects.select_related("coefficient__version")}
    assert (by_month[3].tce, by_month[3].coefficient.version.name) == (Decimal("0.7143"), "GB/T 2589-2008")
    assert (by_month[4].tce, by_month[4].coefficient.version.name) == (Decimal("0.7"), "Bureau 2023 revision")
    assert (by_month[5].tce, by_month[5].coefficient.version.name) == (Decimal("1.229"), "Bureau 2023 revision")
    assert by_month[4].history.first().history_change_reason == "version Bureau 2023 revision"
    assert rollup_differences() == []
    assert report_for_period(city, 2023, 5)["metrics"]["energy_saved_tce"]["actual"] == pytest.approx(
        0.7143 + 0.7 + 1.229)
    versions = build_report(city, 2023, 7)["metrics"]["energy_saved_tce"]["basis"]["coefficient_versions"]
    assert [v["name"] for v in versions] == ["GB/T 2589-2008", "Bureau 2023 revision"]


def test_a_version_a_measured_line_falls_outside_of_is_refused_and_nothing_changes(green, line, shipped_carriers):
    save_energy_lines([line(green, 4, "coke_oven_gas", 1000, measured="0.6")])
    with pytest.raises(ReconversionFailed) as info:
        add_coefficient_version("narrower", date(2023, 1, 1), "x", "",
                                shipped_carriers(coke_oven_gas={"kgce_min": Decimal("0.58"),
                                                                     "kgce_max": Decimal("0.59")}))
    assert len(info.value.failures) == 1
    assert CoefficientVersion.objects.count() == 1
    assert EnergyLine.objects.get().tce == Decimal("0.6")


def test_a_newly_published_grid_factor_is_used_by_its_years_lines(green, line, city):
    save_energy_lines([line(green, 3, "electricity", 10000, year=2024)])
    assert EnergyLine.objects.get().grid_factor.data_year == 2023
    factor, result = add_grid_factor("mee_nbs_average", 2024, "east_china", Decimal("0.5100"), "2026-12", "notice")
    assert result.changed == 1
    saved = EnergyLine.objects.get()
    assert (saved.grid_factor_id, saved.co2_kg) == (factor.id, Decimal("5100"))
    assert report_for_period(city, 2024, 3)["metrics"]["co2_reduced_t"]["actual"] == 5.1
    assert rollup_differences() == []


def test_a_month_before_every_version_cannot_be_converted(green, line):
    from twintrack.energy.conversions import ConversionError

    CoefficientVersion.objects.update(effective_from=date(2023, 6, 1))
    with pytest.raises(ConversionError, match="no coefficient version is in force for 2023-03"):
        save_energy_lines([line(green, 3, "electricity", 1)])


def test_the_grid_factors_cite_the_mee_nbs_notices_not_news_pages():
    """Issue 15: the sources cited news sites; each now names its notice, its number and date."""
    from twintrack.energy.reference import grid_rows

    notices = {2021: "公告2024年第12号", 2022: "公告2024年第33号", 2023: "公告2025年第47号"}
    for row in grid_rows():
        if row.scheme == "mee_carbon_market_grid":
            assert "环办气候函〔2023〕43号" in row.source
            continue
        assert notices[row.data_year] in row.source and "生态环境部 国家统计局" in row.source, row
        assert "mee.gov.cn" in row.source
        for news in ("daydaynews", "163.com", "reportify", "tanpaifang"):
            assert news not in row.source


def test_a_database_loaded_before_cites_the_notices_after_migrating(tables):
    import importlib

    from django.apps import apps

    from twintrack.energy.models import GridFactor

    GridFactor.objects.filter(scheme="mee_nbs_average", data_year=2022).update(
        source="daydaynews.cc/zh-hant/finance/3899452.html; public code file")
    bureau_own = GridFactor.objects.filter(scheme="mee_nbs_average", data_year=2023, region="east_china")
    bureau_own.update(source="本局核对")  # a source someone typed stays as it is
    migration = importlib.import_module("twintrack.energy.migrations.0002_grid_factor_sources_cite_notices")
    migration.cite_notices(apps, None)
    for factor in GridFactor.objects.filter(scheme="mee_nbs_average", data_year=2022):
        assert "公告2024年第33号" in factor.source
        assert factor.history.first().history_change_reason == migration.REASON
    assert bureau_own.get().source == "本局核对"
