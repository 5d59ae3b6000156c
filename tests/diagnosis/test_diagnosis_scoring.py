"""Scoring and level rules, hand-computed, without a database."""
import copy
import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from twintrack.diagnosis.scoring import (
    AnswerError, FrameworkError, LevelRules, BandSpec, Text, level_for, parse_framework, percentile_rank,
    round_score, score_answers, weakest_dimensions, change_between,
)

FRAMEWORKS = Path(__file__).resolve().parents[2] / "src" / "twintrack" / "data" / "frameworks"


def two_dimension_framework(**overrides):
    """Two dimensions weighted 3:1; A has two questions weighted 1:3, B one question."""
    data = {
        "format": "twintrack-framework/1", "key": "toy", "version": "1",
        "name": {"zh": "玩具框架", "en": "Toy framework"},
        "scoring": {"method": "weighted_mean", "scale_max": 100, "decimals": 2},
        "levels": {"boundary": "lower_inclusive",
                   "bands": [{"level": n, "code": f"L{n}", "name": {"zh": f"{n}级", "en": f"Level {n}"},
                              "min": lo, "max": hi}
                             for n, lo, hi in ((1, 20, 40), (2, 40, 60), (3, 60, 80), (4, 80, None))]},
        "dimensions": [
            {"code": "A", "name": {"zh": "甲", "en": "A"}, "weight": 3, "questions": [
                {"code": "A1", "text": {"zh": "甲一", "en": "A1"}, "weight": 1,
                 "options": [{"code": c, "text": {"zh": c, "en": c}, "score": s}
                             for c, s in (("a", 0), ("b", 30), ("c", 70), ("d", 100))]},
                {"code": "A2", "text": {"zh": "甲二", "en": "A2"}, "weight": 3,
                 "options": [{"code": c, "text": {"zh": c, "en": c}, "score": s}
                             for c, s in (("a", 0), ("b", 50), ("c", 100))]},
            ]},
            {"code": "B", "name": {"zh": "乙", "en": "B"}, "weight": 1, "questions": [
                {"code": "B1", "text": {"zh": "乙一", "en": "B1"},
                 "options": [{"code": c, "text": {"zh": c, "en": c}, "score": s}
                             for c, s in (("a", 0), ("b", 10), ("c", 45.5), ("d", 100))]},
            ]},
        ],
    }
    data.update(overrides)
    return data


def miit_rules(boundary="lower_inclusive"):
    bands = tuple(BandSpec(n, f"L{n}", Text(f"{n}级", f"Level {n}"), min=D(lo), max=None if hi is None else D(hi))
                  for n, lo, hi in ((1, 20, 40), (2, 40, 60), (3, 60, 80), (4, 80, None)))
    return LevelRules(boundary, bands, BandSpec(0, "L0", Text("未达一级", "Below level 1")))


# --- the weighted mean, by hand -------------------------------------------------------------------

def test_dimension_and_overall_scores_are_weighted_means():
    spec = parse_framework(two_dimension_framework())
    score = score_answers(spec, {"A1": "c", "A2": "b", "B1": "c"})
    # A = (1 x 70 + 3 x 50) / 4 = 55; B = 45.5; overall = (3 x 55 + 1 x 45.5) / 4 = 52.625 -> 52.63
    assert score.dimensions == {"A": D("55.00"), "B": D("45.50")}
    assert score.overall == D("52.63")
    assert score.level.level == 2 and score.level.code == "L2"


def test_the_overall_score_is_computed_from_unrounded_dimension_scores():
    data = two_dimension_framework()
    data["dimensions"][0]["questions"][1]["options"][1]["score"] = 33.335  # A2 b
    spec = parse_framework(data)
    score = score_answers(spec, {"A1": "a", "A2": "b", "B1": "a"})
    # A = 3 x 33.335 / 4 = 25.00125 -> 25.00; overall = 3 x 25.00125 / 4 = 18.7509375 -> 18.75
    assert score.dimensions["A"] == D("25.00")
    assert score.overall == D("18.75")
    assert score.level.level == 0 and score.level.code == "0"


def test_rounding_is_half_up():
    assert round_score(D("19.995"), 2) == D("20.00")
    assert round_score(D("19.994999"), 2) == D("19.99")
    assert round_score(D("2.5"), 0) == D("3")


def test_the_best_and_worst_answers_give_the_ends_of_the_scale():
    spec = parse_framework(two_dimension_framework())
    assert score_answers(spec, {"A1": "d", "A2": "c", "B1": "d"}).overall == D("100.00")
    worst = score_answers(spec, {"A1": "a", "A2": "a", "B1": "a"})
    assert worst.overall == D("0.00") and worst.level.level == 0


# --- level boundaries -------------------------------------------------------------------------------

@pytest.mark.parametrize("score, level", [
    ("0", 0), ("19.99", 0), ("20", 1), ("20.00", 1), ("39.99", 1), ("40", 2), ("59.99", 2), ("60", 3),
    ("79.99", 3), ("80", 4), ("80.01", 4), ("100", 4),
])
def test_a_boundary_score_belongs_to_the_upper_level_when_the_framework_says_so(score, level):
    assert level_for(miit_rules("lower_inclusive"), D(score)).level == level


@pytest.mark.parametrize("score, level", [
    ("19.99", 0), ("20", 0), ("20.01", 1), ("39.99", 1), ("40", 1), ("40.01", 2), ("60", 2), ("80", 3),
    ("80.01", 4), ("100", 4),
])
def test_a_boundary_score_belongs_to_the_lower_level_under_upper_inclusive(score, level):
    assert level_for(miit_rules("upper_inclusive"), D(score)).level == level


def test_the_level_is_taken_from_the_rounded_score_the_page_shows():
    data = two_dimension_framework()
    data["dimensions"] = [data["dimensions"][1]]
    data["dimensions"][0]["questions"][0]["options"][1]["score"] = 39.995  # B1 b
    spec = parse_framework(data)
    score = score_answers(spec, {"B1": "b"})
    assert score.overall == D("40.00") and score.level.level == 2


def test_a_dimension_floor_holds_a_level_back():
    data = two_dimension_framework()
    data["levels"]["bands"][2]["min_each_dimension"] = 50  # level 3 needs every dimension at 50
    spec = parse_framework(data)
    # A = 100, B = 45.5: overall (300 + 45.5) / 4 = 86.38 reaches level 4's band, but level 3 and 4 ...
    score = score_answers(spec, {"A1": "d", "A2": "c", "B1": "c"})
    assert score.overall == D("86.38")
    assert score.level.level == 4  # level 4 has no floor
    data["levels"]["bands"][3]["min_each_dimension"] = 50
    spec = parse_framework(data)
    assert score_answers(spec, {"A1": "d", "A2": "c", "B1": "c"}).level.level == 2  # 3 and 4 need B >= 50


def test_the_shipped_miit_framework_boundaries():
    spec = parse_framework(json.loads((FRAMEWORKS / "miit_sme_digital_2022.json").read_text("utf-8")))
    assert spec.levels.boundary == "lower_inclusive"
    assert [(b.level, b.min, b.max) for b in spec.levels.bands] == [
        (1, 20, 40), (2, 40, 60), (3, 60, 80), (4, 80, None)]
    for value, level in (("19.99", 0), ("20", 1), ("39.99", 1), ("40", 2), ("59.99", 2), ("60", 3), ("79.99", 3),
                         ("80", 4)):
        assert level_for(spec.levels, D(value)).level == level, value


def test_the_shipped_gbt39116_framework_is_on_a_five_point_scale():
    spec = parse_framework(json.loads((FRAMEWORKS / "gbt39116_2020.json").read_text("utf-8")))
    assert spec.scale_max == 5 and len(spec.levels.bands) == 5
    assert level_for(spec.levels, D("0.79")).level == 0
    assert level_for(spec.levels, D("0.8")).level == 1
    assert level_for(spec.levels, D("4.79")).level == 4
    assert level_for(spec.levels, D("4.8")).level == 5
    assert level_for(spec.levels, D("5")).level == 5
    # every question at level 3 (score 3) -> 3.00, Integrated
    score = score_answers(spec, {q.code: "s3" for q in spec.questions()})
    assert score.overall == D("3.00") and score.level.name.en == "Integrated"


def test_the_shipped_levels_agree_with_the_reference_table():
    import csv

    table = list(csv.DictReader((FRAMEWORKS.parent / "maturity_levels.csv").read_text("utf-8").splitlines()))
    for name in ("miit_sme_digital_2022", "gbt39116_2020"):
        spec = parse_framework(json.loads((FRAMEWORKS / f"{name}.json").read_text("utf-8")))
        reference = [r for r in table if r["framework"] == name]
        assert [(b.level, b.code, b.name.zh, b.name.en) for b in spec.levels.bands] == [
            (int(r["level"]), r["code"], r["name_zh"], r["name_en"]) for r in reference]
        for band, row in zip(spec.levels.bands, reference):
            if row["score_min"]:
                assert band.min == D(row["score_min"])
            if row["score_max"]:
                assert band.max == D(row["score_max"])


# --- the points method ----------------------------------------------------------------------------

def test_the_points_method_adds_up_points():
    data = two_dimension_framework()
    data["scoring"] = {"method": "points", "decimals": 1}
    for dimension in data["dimensions"]:
        dimension.pop("weight")
    data["levels"]["bands"] = [
        {"level": 1, "code": "P1", "name": {"zh": "一", "en": "One"}, "min": 100, "max": 300},
        {"level": 2, "code": "P2", "name": {"zh": "二", "en": "Two"}, "min": 300, "max": None}]
    spec = parse_framework(data)
    # maxima: A = 100 x 1 + 100 x 3 = 400, B = 100; overall 500
    assert spec.dimension_max("A") == 400 and spec.overall_max == 500
    score = score_answers(spec, {"A1": "b", "A2": "b", "B1": "c"})
    # A = 30 + 3 x 50 = 180; B = 45.5; overall 225.5
    assert score.dimensions == {"A": D("180.0"), "B": D("45.5")}
    assert score.overall == D("225.5") and score.level.code == "P1"
    assert score_answers(spec, {"A1": "d", "A2": "c", "B1": "a"}).level.code == "P2"  # exactly 400


# --- answers ---------------------------------------------------------------------------------------

def test_unanswered_and_unknown_answers_are_refused_with_every_reason():
    spec = parse_framework(two_dimension_framework())
    with pytest.raises(AnswerError) as error:
        score_answers(spec, {"A1": "z", "B1": "a", "X9": "a"})
    assert sorted(error.value.problems) == sorted([
        "unknown question 'X9'", "question 'A1' has no option 'z'", "question 'A2' is not answered"])


def test_weakest_dimensions_are_measured_against_their_maximum():
    data = two_dimension_framework()
    data["scoring"] = {"method": "points"}
    spec = parse_framework(data)
    # A 180 of 400 (45%) is weaker than B 45.5 of 100 (45.5%)
    assert weakest_dimensions(spec, {"A": D(180), "B": D("45.5")}) == ["A", "B"]


def test_percentile_rank_counts_ties_half():
    assert percentile_rank(D(50), [D(10), D(50), D(70), D(90)]) == D("37.5")  # (1 + 0.5) / 4
    assert percentile_rank(D(100), [D(10), D(20)]) == D("100.0")
    assert percentile_rank(D(5), [D(10), D(20), D(30)]) == D("0.0")
    assert percentile_rank(D(5), []) is None


def test_the_change_between_two_assessments():
    change = change_between(D("35.5"), 1, {"A": D(30), "B": D(41)}, D("52.25"), 2, {"A": D(50), "B": D(40)})
    assert change.overall == D("16.75") and change.levels == 1
    assert change.dimensions == {"A": D(20), "B": D(-1)}


# --- files that cannot be used -------------------------------------------------------------------

def problems_of(data):
    with pytest.raises(FrameworkError) as error:
        parse_framework(data)
    return error.value.problems


def test_a_broken_file_lists_every_problem_with_its_place():
    data = two_dimension_framework()
    broken = copy.deepcopy(data)
    broken["format"] = "something/2"
    broken["levels"]["boundary"] = "nearest"
    broken["levels"]["bands"][1]["min"] = 45  # a gap after 40
    broken["dimensions"][0]["questions"][0]["options"] = [{"code": "a", "text": {"zh": "a", "en": "a"}, "score": 0}]
    broken["dimensions"][1]["questions"][0]["code"] = "A1"
    broken["dimensions"][1]["questions"][0]["options"][3]["score"] = 120
    del broken["dimensions"][1]["name"]["en"]
    problems = problems_of(broken)
    assert 'format: must be "twintrack-framework/1"' in problems
    assert any(p.startswith("levels.boundary:") for p in problems)
    assert "levels.bands[1].min: must equal the band below's max 40 (no gaps)" in problems
    assert "dimensions[0].questions[0].options: at least 2 expected" in problems
    assert any(p.startswith("dimensions[1].questions[0].code: 'A1' is used twice") for p in problems)
    assert "dimensions[1].questions[0].options[3].score: 120 is above the scale's maximum 100" in problems
    assert "dimensions[1].name.en: required text is missing" in problems


def test_a_points_framework_must_declare_its_true_maximum():
    data = two_dimension_framework()
    data["scoring"] = {"method": "points", "scale_max": 100}
    assert problems_of(data) == ["scoring.scale_max: is 100 but the best answers give 500 points"]


def test_not_an_object():
    assert problems_of([1, 2]) == ["the file must hold one JSON object"]
