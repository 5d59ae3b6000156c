"""The demo reproduces the bureau's January-July 2023 bulletin and looks like a real city."""
import json
import subprocess
import sys

import pytest
from django.core.management import call_command

from twintrack.demo.generate import generate
from twintrack.metrics.rollups import rollup_differences
from twintrack.orgs.models import OrgUnit
from twintrack.reports.build import build_report


@pytest.fixture
def demo(db, industry_codes):
    call_command("demo")
    return OrgUnit.objects.get(code="330400")


def test_the_city_report_reproduces_the_bulletin(demo):
    report = build_report(demo, 2023, 7)
    m = report["metrics"]
    assert (m["projects"]["actual"], m["projects"]["target"], m["projects"]["completion_rate"]) == (1505, 1400, 1.075)
    assert m["investment_yuan"]["actual"] == 42965000000.0 and m["investment_yuan"]["target"] == 40000000000.0
    assert round(m["investment_yuan"]["completion_rate"] * 100, 2) == 107.41
    assert m["energy_saved_tce"]["actual"] == 319100.0 and m["energy_saved_tce"]["target"] == 300000.0
    assert round(m["energy_saved_tce"]["completion_rate"] * 100, 2) == 106.37
    assert report["narrative"]["zh"] == (
        "1-7月，全市累计启动“两化”改造项目1505个，完成率107.5%；完成技改投资429.65亿元，完成率107.41%；"
        "实现节能量31.91万吨标准煤，完成率106.37%。")


def test_the_city_has_nine_reporting_units_some_behind_and_some_ahead(demo):
    children = build_report(demo, 2023, 7)["children"]
    assert len(children) == 9
    ahead = [c for c in children if c["metrics"]["investment_yuan"]["annual_rate"] >= 7 / 12]
    assert 0 < len(ahead) < 9
    assert len({round(c["metrics"]["projects"]["completion_rate"], 3) for c in children}) == 9


def test_the_children_add_up_to_the_city(demo):
    report = build_report(demo, 2023, 10)
    for metric in ("projects", "investment_yuan", "energy_saved_tce"):
        total = sum(c["metrics"][metric]["actual"] for c in report["children"])
        assert total == pytest.approx(report["metrics"][metric]["actual"], abs=1e-6)


def test_the_inspected_enterprises_are_there(demo):
    from twintrack.enterprises.models import Enterprise

    jushi = Enterprise.objects.get(name_zh="巨石集团有限公司")
    assert (jushi.org.code, jushi.industry_id) == ("330483", "3061")
    assert Enterprise.objects.count() == 300
    assert Enterprise.objects.filter(name_en__in=["Dewei Stainless Steel", "Transchemical Synthesis",
                                                  "Odeon Transmission", "Fengchuan Electronics",
                                                  "Meiyi Intelligent Sensing"]).count() == 5


def test_the_rollups_agree_with_the_raw_rows(demo):
    assert rollup_differences() == []


def test_the_demo_refuses_a_database_that_holds_projects(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="already holds projects"):
        call_command("demo")
    call_command("demo", if_empty=True)


def test_generation_is_reproducible():
    first, second = generate(), generate()
    assert first.progress == second.progress and first.projects == second.projects
    assert generate(seed=1).progress != first.progress


def test_the_command_line_prints_the_contract_json(tmp_path):
    env = {"TWINTRACK_DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite3", "PATH": "/usr/bin:/bin"}
    twintrack = [sys.executable, "-m", "twintrack.cli"]
    for step in (["init"], ["demo"]):
        subprocess.run(twintrack + step, env=env, check=True, capture_output=True, cwd=tmp_path)
    out = subprocess.run(twintrack + ["report", "--period", "2023-07", "--format", "json"], env=env,
                         check=True, capture_output=True, text=True, cwd=tmp_path).stdout
    report = json.loads(out)
    assert report["metrics"]["projects"]["actual"] == 1505
    assert set(report) == {"org", "period", "metrics", "children", "narrative"}
    bad = subprocess.run(twintrack + ["report", "--period", "2023-07", "--org", "999999"], env=env,
                         capture_output=True, text=True, cwd=tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "999999" in bad.stderr
