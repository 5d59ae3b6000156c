"""An enterprise against its peers, counted in SQL, checked against hand-computed percentiles.

The target firm E is a medium firm of class 3311 in Nanhu (Jiaxing, Zhejiang) scoring A=50,
B=50 (overall 50) in the bench framework. Its peers (latest assessments only):

    P1 Nanhu    3311 medium  A30 B50 -> 40
    P2 Nanhu    3312 medium  A60 B60 -> 60   same group 331, another class
    P7 Nanhu    3311 medium  A20 B40 -> 30   (an earlier assessment scored 90: superseded)
    P4 Pinghu   3311 medium  A50 B50 -> 50
    P5 Pinghu   3311 medium  A80 B20 -> 50
    P6 Hangzhou 3311 medium  A10 B10 -> 10

and firms that are not peers: a small firm, a deactivated firm, a firm assessed in another
framework, a firm of another group.
"""
from datetime import date
from decimal import Decimal as D

import pytest

from twintrack.diagnosis.scoring import percentile_rank


@pytest.fixture
def peers(make_enterprise, bench, assess, frameworks):
    from twintrack.programme.lifecycle import deactivate_enterprise

    e = make_enterprise("330402", "3311")
    assess(e, bench, a=50, b=50)
    assess(make_enterprise("330402", "3311"), bench, a=30, b=50)  # P1
    assess(make_enterprise("330402", "3312"), bench, a=60, b=60)  # P2
    p7 = make_enterprise("330402", "3311")
    assess(p7, bench, a=90, b=90, on=date(2023, 2, 1))
    assess(p7, bench, a=20, b=40, on=date(2023, 9, 1))  # P7's latest
    assess(make_enterprise("330482", "3311"), bench, a=50, b=50)  # P4
    assess(make_enterprise("330482", "3311"), bench, a=80, b=20)  # P5
    assess(make_enterprise("330102", "3311"), bench, a=10, b=10)  # P6
    assess(make_enterprise("330402", "3311", size="small"), bench, a=0, b=0)  # another size
    gone = make_enterprise("330402", "3311")
    assess(gone, bench, a=0, b=0)
    deactivate_enterprise(gone, "closed")
    from diagnosis_helpers import uniform_answers
    miit = frameworks["miit_sme_digital_2022"]
    assess(make_enterprise("330402", "3311"), miit, uniform_answers(miit, 0))  # another framework
    assess(make_enterprise("330402", "3061"), bench, a=0, b=0)  # another group
    return e


def rows_by(rows):
    return {(r.scope, r.peer): r for r in rows}


def test_percentiles_and_averages_match_the_hand_computed_ones(peers):
    from twintrack.diagnosis.benchmarks import benchmark

    latest = peers.assessments.get(is_latest=True)
    rows = rows_by(benchmark(latest))
    assert sorted(rows) == sorted((s, p) for s in ("unit", "city", "province") for p in ("group", "class"))

    unit_group = rows[("unit", "group")]  # P1 40, P2 60, P7 30: two below 50
    assert unit_group.count == 3 and unit_group.overall.percentile == D("66.7")
    assert unit_group.overall.average == D("43.33")
    assert unit_group.org.code == "330402"

    unit_class = rows[("unit", "class")]  # P1, P7: too few to show
    assert unit_class.count == 2 and unit_class.overall.percentile is None and unit_class.overall.average is None

    city_group = rows[("city", "group")]  # + P4 50, P5 50: two below, two ties
    assert city_group.count == 5 and city_group.overall.percentile == D("60.0")
    assert city_group.overall.average == D("46.00") and city_group.org.code == "330400"
    assert city_group.dimensions["a"].percentile == D("50.0")  # A: 30 60 20 50 80 -> 2 below, 1 tie
    assert city_group.dimensions["b"].percentile == D("60.0")  # B: 50 60 40 50 20 -> 2 below, 2 ties
    assert city_group.dimensions["a"].average == D("48.00")

    city_class = rows[("city", "class")]  # P1 40, P7 30, P4 50, P5 50
    assert city_class.count == 4 and city_class.overall.percentile == D("75.0")
    assert city_class.overall.average == D("42.50")

    province_group = rows[("province", "group")]  # + P6 10 in Hangzhou
    assert province_group.count == 6 and province_group.overall.percentile == D("66.7")
    assert province_group.overall.average == D("40.00") and province_group.org.code == "330000"
    assert rows[("province", "class")].overall.percentile == D("80.0")

    # the SQL agrees with the plain-Python definition
    assert city_group.overall.percentile == percentile_rank(D(50), [D(40), D(60), D(30), D(50), D(50)])
    assert province_group.overall.percentile == percentile_rank(D(50), [D(40), D(60), D(30), D(50), D(50), D(10)])


def test_the_radar_compares_with_group_peers_in_the_city(peers):
    from twintrack.diagnosis.benchmarks import benchmark, radar_peers

    row = radar_peers(benchmark(peers.assessments.get(is_latest=True)))
    assert (row.scope, row.peer, row.count) == ("city", "group", 5)


def test_the_number_of_queries_does_not_grow_with_the_peers(peers, make_enterprise, bench, assess,
                                                           django_assert_max_num_queries):
    from twintrack.diagnosis.benchmarks import benchmark

    latest = peers.assessments.get(is_latest=True)
    latest.enterprise  # noqa: B018 - loaded once, as the page has it
    with django_assert_max_num_queries(7):
        benchmark(latest)
    for _ in range(15):
        assess(make_enterprise("330482", "3311"), bench, a=70, b=70)
    latest = peers.assessments.get(is_latest=True)
    latest.enterprise  # noqa: B018
    with django_assert_max_num_queries(7):
        rows = rows_by(benchmark(latest))
    assert rows[("city", "group")].count == 20


def test_an_enterprise_registered_on_the_city_itself_has_no_separate_unit_row(make_enterprise, bench, assess):
    from twintrack.diagnosis.benchmarks import benchmark

    firm = make_enterprise("330400", "3311")
    rows = benchmark(assess(firm, bench, a=50, b=50))
    assert [(r.scope, r.org.code) for r in rows if r.peer == "group"] == [("city", "330400"), ("province", "330000")]
