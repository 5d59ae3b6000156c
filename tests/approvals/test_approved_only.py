"""Reports from approved data only: a unit-month counts once it (or a unit above) is approved."""
from datetime import date
from decimal import Decimal

import pytest

from twintrack.approvals.services import approve, reopen, submit
from twintrack.metrics.report import report_for_period

YEAR = 2023


@pytest.fixture
def two_districts(units, project_factory, enterprise, industry_codes):
    """Nanhu: P1 (March start) with 1,000,000 in March and 2,000,000 in April.
    Pinghu: P2 (April start) with 500,000 in April. The port zone: nothing."""
    from twintrack.enterprises.models import Enterprise
    from twintrack.enterprises.services import EnterpriseValues, save_enterprises
    from twintrack.programme.services import ProgressValues, save_progress
    from approval_helpers import valid_uscc

    nanhu, pinghu = units["330402"], units["330482"]
    save_enterprises([EnterpriseValues(valid_uscc(2, "330482"), "平湖企业", "", pinghu.id, "3311", "", None)])
    pinghu_enterprise = Enterprise.objects.get(uscc=valid_uscc(2, "330482"))
    p1 = project_factory("P1", start=date(YEAR, 3, 1))
    p2 = project_factory("P2", start=date(YEAR, 4, 1), ent=pinghu_enterprise)
    save_progress([
        ProgressValues(p1.id, nanhu.id, YEAR, 3, Decimal("1000000"), Decimal("10"), ""),
        ProgressValues(p1.id, nanhu.id, YEAR, 4, Decimal("2000000"), None, ""),
        ProgressValues(p2.id, pinghu.id, YEAR, 4, Decimal("500000"), None, ""),
    ])
    return units


def figures(report, code=None):
    block = report if code is None else next(c for c in report["children"] if c["org"]["code"] == code)
    return block["metrics"]["projects"]["actual"], block["metrics"]["investment_yuan"]["actual"]


def test_nothing_counts_before_any_approval(two_districts):
    report = report_for_period(two_districts["330400"], YEAR, 4, approved_only=True)
    assert figures(report) == (0, 0.0)
    assert report["approved_only"] is True
    assert "approved_only" not in report_for_period(two_districts["330400"], YEAR, 4)  # default unchanged


def test_an_approved_district_month_counts_for_the_district_and_the_city(two_districts, people):
    units = two_districts
    submit(units["330402"], YEAR, 3, people["nanhu"])
    approve(units["330402"], YEAR, 3, people["bureau"])
    report = report_for_period(units["330400"], YEAR, 4, approved_only=True)
    assert figures(report) == (1, 1000000.0)
    assert figures(report, "330402") == (1, 1000000.0)
    assert figures(report, "330482") == (0, 0.0)
    assert report["metrics"]["energy_saved_tce"]["actual"] == 10.0
    full = report_for_period(units["330400"], YEAR, 4)
    assert figures(full) == (2, 3500000.0)


def test_a_city_approval_counts_the_citys_whole_month(two_districts, people):
    units = two_districts
    for code in ("330402", "330482", "JXGQ"):
        submit(units[code], YEAR, 4, people["bureau"])
        approve(units[code], YEAR, 4, people["bureau"])
    submit(units["330400"], YEAR, 4, people["bureau"])
    approve(units["330400"], YEAR, 4, people["bureau"])
    report = report_for_period(units["330400"], YEAR, 4, approved_only=True)
    assert figures(report) == (1, 2500000.0)  # April only: P2 and both April rows
    reopen(units["330400"], YEAR, 4, people["bureau"], "check")
    assert figures(report_for_period(units["330400"], YEAR, 4, approved_only=True)) == (1, 2500000.0)
    reopen(units["330482"], YEAR, 4, people["bureau"], "check")
    assert figures(report_for_period(units["330400"], YEAR, 4, approved_only=True)) == (0, 2000000.0)


def test_the_report_command_takes_approved_only(two_districts, people, capsys):
    import json

    from django.core.management import call_command

    units = two_districts
    submit(units["330482"], YEAR, 4, people["pinghu"])
    approve(units["330482"], YEAR, 4, people["bureau"])
    call_command("report", "--period", "2023-04", "--format", "json", "--approved-only")
    report = json.loads(capsys.readouterr().out)
    assert report["approved_only"] is True
    assert report["metrics"]["investment_yuan"]["actual"] == 500000.0
