"""The coverage metric: above-scale manufacturers and SMEs assessed, and at the configured level."""
from datetime import date
from decimal import Decimal as D

import pytest

from diagnosis_helpers import uniform_answers

# uniform answers: option 1 -> 25 (level 1), option 2 -> 50 (level 2), option 3 -> 75 (level 3)


@pytest.fixture
def firms(make_enterprise, miit, assess):
    """Nanhu: 4 firms; Pinghu: 2; Hangzhou: 1 (outside Jiaxing)."""
    made = {
        "big": make_enterprise("330402", size="large", above_scale=True),  # above scale, not an SME
        "med": make_enterprise("330402", size="medium", above_scale=True),  # both
        "small": make_enterprise("330402", size="small", above_scale=False),  # SME
        "micro": make_enterprise("330402", size="micro", above_scale=False),  # SME, never assessed
        "ph_small": make_enterprise("330482", size="small", above_scale=True),  # both
        "ph_med": make_enterprise("330482", size="medium", above_scale=True),  # both
        "hz": make_enterprise("330102", size="small", above_scale=True),
    }
    assess(made["big"], miit, uniform_answers(miit, 3), on=date(2023, 3, 1))  # level 3
    assess(made["med"], miit, uniform_answers(miit, 1), on=date(2023, 3, 1))  # level 1 ...
    assess(made["med"], miit, uniform_answers(miit, 2), on=date(2023, 9, 1))  # ... level 2 from September
    assess(made["small"], miit, uniform_answers(miit, 2), on=date(2023, 6, 1))  # level 2
    assess(made["ph_small"], miit, uniform_answers(miit, 1), on=date(2023, 5, 1))  # level 1
    assess(made["hz"], miit, uniform_answers(miit, 3), on=date(2023, 5, 1))
    return made


def figures(coverage):
    a, s = coverage.above_scale, coverage.sme
    return (a.firms, a.assessed, a.at_level), (s.firms, s.assessed, s.at_level)


def test_coverage_of_the_city_at_the_end_of_the_year(zhejiang, firms):
    from twintrack.diagnosis.coverage import coverage_for

    coverage = coverage_for(zhejiang["330400"], date(2023, 12, 31))
    # above scale: big(3), med(2), ph_small(1), ph_med(-): 4 firms, 3 assessed, 2 at level 2+
    # SMEs: med(2), small(2), micro(-), ph_small(1), ph_med(-): 5 firms, 3 assessed, 2 at level 2+
    assert figures(coverage) == ((4, 3, 2), (5, 3, 2))
    assert coverage.above_scale.assessed_share == D("0.75") and coverage.above_scale.at_level_share == D("0.5")
    assert coverage.sme.at_level_share == D("0.4")
    assert coverage.rule.framework_key == "miit_sme_digital_2022" and coverage.rule.min_level == 2


def test_coverage_as_of_an_earlier_date_uses_the_assessments_known_then(zhejiang, firms):
    from twintrack.diagnosis.coverage import coverage_for

    # 2023-07-31: med is still at level 1; small assessed in June
    assert figures(coverage_for(zhejiang["330400"], date(2023, 7, 31))) == ((4, 3, 1), (5, 3, 1))
    # 2023-02-28: nobody assessed yet
    assert figures(coverage_for(zhejiang["330400"], date(2023, 2, 28))) == ((4, 0, 0), (5, 0, 0))


def test_the_bureau_setting_changes_what_counts(zhejiang, firms, make_user):
    from twintrack.diagnosis.coverage import coverage_for
    from twintrack.diagnosis.services import save_coverage_setting

    save_coverage_setting(zhejiang["330400"], "miit_sme_digital_2022", 1, None, make_user("bureau", "bureau"))
    assert figures(coverage_for(zhejiang["330400"], date(2023, 12, 31))) == ((4, 3, 3), (5, 3, 3))
    # the nearest unit above with a setting wins: Nanhu asks for level 3
    save_coverage_setting(zhejiang["330402"], "miit_sme_digital_2022", 3, None)
    assert figures(coverage_for(zhejiang["330402"], date(2023, 12, 31))) == ((2, 2, 1), (3, 2, 0))
    # assessments older than 6 months no longer count: on 2023-12-31 only September's (med) is recent
    save_coverage_setting(zhejiang["330400"], "miit_sme_digital_2022", 1, 6)
    assert figures(coverage_for(zhejiang["330400"], date(2023, 12, 31))) == ((4, 1, 1), (5, 1, 1))


def test_a_deleted_assessment_or_enterprise_does_not_count(zhejiang, firms):
    from twintrack.diagnosis.coverage import coverage_for
    from twintrack.diagnosis.services import delete_assessment
    from twintrack.programme.lifecycle import deactivate_enterprise

    delete_assessment(firms["small"].assessments.get())
    deactivate_enterprise(firms["big"], "closed")
    assert figures(coverage_for(zhejiang["330400"], date(2023, 12, 31))) == ((3, 2, 1), (5, 2, 1))


def test_coverage_of_several_units_in_one_query(zhejiang, firms, django_assert_num_queries):
    from twintrack.diagnosis.coverage import Rule, coverage_for, coverage_for_units

    units = [zhejiang["330402"], zhejiang["330482"]]
    with django_assert_num_queries(1):
        by_unit = coverage_for_units(units, date(2023, 12, 31), Rule())
    assert figures(by_unit[zhejiang["330402"].id]) == ((2, 2, 2), (3, 2, 2))
    assert figures(by_unit[zhejiang["330482"].id]) == ((2, 1, 0), (2, 1, 0))
    for unit in units:  # the same as one by one
        assert figures(by_unit[unit.id]) == figures(coverage_for(unit, date(2023, 12, 31)))


def test_the_sentence_for_a_bulletin(zhejiang, firms):
    from twintrack.diagnosis.coverage import coverage_for, coverage_sentence

    coverage = coverage_for(zhejiang["330400"], date(2023, 12, 31))
    assert coverage_sentence(coverage, "zh") == (
        "规上工业企业4家，已完成数字化诊断3家（覆盖率75.0%），达到二级及以上2家（50.0%）；中小企业5家，"
        "已完成诊断3家（60.0%），达到二级及以上2家（40.0%）。")
    assert coverage_sentence(coverage, "en").startswith(
        "Of 4 above-scale manufacturers, 3 (75.0%) have been assessed and 2 (50.0%) stand at level 2 or above;")
    assert coverage.as_dict()["sme"] == {"firms": 5, "assessed": 3, "at_level": 2, "assessed_share": 0.6,
                                         "at_level_share": 0.4}


def test_a_unit_without_firms_has_no_shares(zhejiang, frameworks):
    from twintrack.diagnosis.coverage import coverage_for

    coverage = coverage_for(zhejiang["330102"], date(2023, 12, 31))
    assert coverage.above_scale.firms == 0 and coverage.above_scale.assessed_share is None


def test_the_dashboards_coverage_from_cached_parts_equals_one_query_after_writes(zhejiang, firms, make_enterprise,
                                                                                 miit, assess):
    from twintrack.diagnosis.coverage import coverage_for, coverage_from_parts
    from twintrack.programme.lifecycle import deactivate_enterprise

    day = date(2023, 12, 31)
    for code in ("330400", "330402", "330482"):
        assert figures(coverage_from_parts(zhejiang[code], day)) == figures(coverage_for(zhejiang[code], day))
    assess(firms["ph_med"], miit, uniform_answers(miit, 3), on=date(2023, 10, 1))  # Pinghu's part is counted again
    make_enterprise("330402", size="small", above_scale=False)
    deactivate_enterprise(firms["big"], "closed")
    for code in ("330400", "330402", "330482"):
        assert figures(coverage_from_parts(zhejiang[code], day)) == figures(coverage_for(zhejiang[code], day))
