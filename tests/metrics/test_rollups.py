"""The rollups that reports read stay equal to a recomputation from raw rows, whatever is written."""
from datetime import date
from decimal import Decimal

from twintrack.enterprises.services import EnterpriseValues, save_enterprises
from twintrack.metrics.report import report_for_period
from twintrack.metrics.rollups import rebuild_rollups, rollup_differences
from twintrack.orgs.models import OrgUnit
from twintrack.orgs.services import OrgValues, save_orgunits
from twintrack.programme.services import ProgressValues, ProjectValues, save_progress, save_projects


def actual(org, metric, month=12, year=2023):
    return report_for_period(OrgUnit.objects.get(pk=org.pk), year, month)["metrics"][metric]["actual"]


def progress(project, month, yuan, tce=None, year=2023):
    return ProgressValues(project.id, project.enterprise.org_id, year, month, Decimal(yuan),
                          None if tce is None else Decimal(tce), "")


def test_progress_counts_for_the_unit_and_the_city(city, project_factory):
    project = project_factory()
    save_progress([progress(project, 3, "1000.50", "2.5"), progress(project, 4, "99.50")])
    nanhu = project.enterprise.org
    assert actual(nanhu, "investment_yuan") == 1100.0
    assert actual(city, "investment_yuan") == 1100.0
    assert actual(city, "energy_saved_tce") == 2.5
    assert actual(city, "investment_yuan", month=3) == 1000.5
    assert rollup_differences() == []


def test_correcting_a_month_replaces_its_figure_instead_of_adding(city, project_factory):
    project = project_factory()
    save_progress([progress(project, 3, "1000")])
    save_progress([progress(project, 3, "400", "1")])
    assert actual(city, "investment_yuan") == 400.0
    assert actual(city, "energy_saved_tce") == 1.0
    assert rollup_differences() == []


def test_cancelling_a_project_removes_it_from_the_launched_count(city, project_factory):
    project = project_factory(start=date(2023, 2, 10))
    assert actual(city, "projects") == 1
    values = ProjectValues(project.code, project.enterprise_id, project.enterprise.org_id, project.title,
                           project.kind, "", project.start_date, None, None, "cancelled")
    save_projects([values])
    assert actual(city, "projects") == 0
    assert rollup_differences() == []


def test_a_project_counts_in_the_month_it_was_launched(city, project_factory):
    project_factory(start=date(2023, 8, 1))
    assert actual(city, "projects", month=7) == 0
    assert actual(city, "projects", month=8) == 1


def test_investment_of_projects_launched_in_earlier_years_still_counts(city, project_factory):
    project = project_factory(start=date(2022, 11, 1))
    save_progress([progress(project, 1, "500")])
    assert actual(city, "projects") == 0
    assert actual(city, "investment_yuan") == 500.0


def test_an_enterprise_moving_to_another_unit_takes_its_figures_along(city, enterprise, project_factory):
    project = project_factory()
    save_progress([progress(project, 5, "700")])
    pinghu = OrgUnit.objects.get(code="330482")
    save_enterprises([EnterpriseValues(enterprise.uscc, enterprise.name_zh, "", pinghu.id, "3311", "medium", True)])
    assert actual(pinghu, "investment_yuan") == 700.0
    assert actual(OrgUnit.objects.get(code="330402"), "investment_yuan") == 0.0
    assert actual(city, "investment_yuan") == 700.0
    assert rollup_differences() == []


def test_a_unit_moved_under_another_parent_takes_its_subtree_along(city, project_factory):
    project = project_factory()
    save_progress([progress(project, 5, "700")])
    save_orgunits([OrgValues("330482", "平湖市", "Pinghu City", "county_city", "330400"),
                   OrgValues("330402", "南湖区", "Nanhu District", "district", "330482")])
    pinghu = OrgUnit.objects.get(code="330482")
    assert OrgUnit.objects.get(code="330402").path.startswith(pinghu.path)
    assert actual(pinghu, "investment_yuan") == 700.0
    assert rollup_differences() == []


def test_a_rebuild_gives_the_same_rollups(city, project_factory):
    project = project_factory()
    save_progress([progress(project, m, "123.45", "0.5") for m in range(3, 9)])
    before = report_for_period(city, 2023, 8)
    rebuild_rollups()
    assert report_for_period(city, 2023, 8) == before
    assert rollup_differences() == []


def test_an_unchanged_rewrite_records_no_history(city, project_factory):
    from twintrack.programme.models import Progress

    project = project_factory()
    rows = [progress(project, 3, "10")]
    save_progress(rows)
    count = Progress.history.count()
    result = save_progress(rows)
    assert result.unchanged == 1 and Progress.history.count() == count


def test_a_project_given_to_an_enterprise_of_another_unit_takes_its_progress_along(city, project_factory):
    from stdnum.cn import uscc

    from twintrack.enterprises.models import Enterprise

    project = project_factory()
    save_progress([progress(project, 5, "700", "3")])
    pinghu = OrgUnit.objects.get(code="330482")
    code = "91330482MA0000002" + uscc.calc_check_digit("91330482MA0000002")
    save_enterprises([EnterpriseValues(code, "平湖企业", "", pinghu.id, "3311", "small", False)])
    other = Enterprise.objects.get(uscc=code)
    save_projects([ProjectValues(project.code, other.id, pinghu.id, project.title, project.kind, "",
                                 project.start_date, None, None, project.status)])
    assert actual(pinghu, "investment_yuan") == 700.0 and actual(pinghu, "projects") == 1
    assert actual(OrgUnit.objects.get(code="330402"), "projects") == 0
    assert actual(city, "energy_saved_tce") == 3.0
    assert rollup_differences() == []


def test_a_project_launched_later_moves_to_its_new_month(city, project_factory):
    project = project_factory(start=date(2023, 3, 1))
    save_projects([ProjectValues(project.code, project.enterprise_id, project.enterprise.org_id, project.title,
                                 project.kind, "", date(2023, 9, 1), None, None, project.status)])
    assert actual(city, "projects", month=8) == 0
    assert actual(city, "projects", month=9) == 1
    assert rollup_differences() == []


def test_moving_a_unit_and_changing_a_unit_two_levels_below_in_one_call_keeps_every_path_right(city):
    save_orgunits([OrgValues("330402001", "南湖街道", "", "zone", "330402"),
                   OrgValues("330402001001", "南湖社区", "", "zone", "330402001")])
    save_orgunits([OrgValues("330402", "南湖区", "Nanhu District", "district", "330482"),
                   OrgValues("330402001", "南湖街道", "", "zone", "330402"),
                   OrgValues("330402001001", "南湖新社区", "", "zone", "330402001")])
    street = OrgUnit.objects.get(code="330402001")
    community = OrgUnit.objects.get(code="330402001001")
    assert street.path.startswith(OrgUnit.objects.get(code="330482").path)
    assert community.path == f"{street.path}{community.id}/" and community.depth == street.depth + 1
