"""Which solutions fit a diagnosed enterprise, ranked, with the reasons (points by hand)."""
from decimal import Decimal as D

import pytest
from django.utils import translation

from twintrack.diagnosis.matching import Offer, Profile, industry_fit, rank_solutions

# A small glass-fibre firm (class 3061): management is weakest (20 of 100), then results (40 of 100).
PROFILE = Profile(industry="3061", size="small",
                  scores={"foundation": D(70), "operation": D(55), "management": D(20), "results": D(40)},
                  maxima={d: D(100) for d in ("foundation", "operation", "management", "results")},
                  names={"foundation": "Digital foundation", "operation": "Digital operation",
                         "management": "Digital management", "results": "Digital results"})


def offer(id, name, industries=(), dimensions=(), sizes=(), lightweight=False, price="b_50k_200k"):
    return Offer(id, name, tuple(industries), tuple(dimensions), tuple(sizes), lightweight, price)


def test_industry_fit_prefers_the_closest_code():
    assert industry_fit((), "3061") == ("any", "")
    assert industry_fit(("30",), "3061") == ("division", "30")
    assert industry_fit(("30", "306"), "3061") == ("group", "306")
    assert industry_fit(("3061", "30"), "3061") == ("class", "3061")
    assert industry_fit(("3062", "282"), "3061") is None


def test_solutions_are_ranked_by_points_with_the_hand_computed_values():
    offers = [
        offer(1, "Planning consulting", (), ("management",)),  # 60 x 0.8 + 5 + 5 = 58
        offer(2, "Glass-fibre energy retrofit", ("306",), ("results",)),  # 60 x 0.6 + 20 + 5 = 61
        offer(3, "Lightweight ERP", (), ("management", "operation"), ("small", "micro"), True,
              "a_under_50k"),  # 48 + 5 + 10 + 5 = 68
        offer(4, "Glass-fibre smart factory", ("3061",), ("foundation", "operation"), ("large",)),  # wrong size
        offer(5, "Spinning retrofit", ("282",), ("management",)),  # another sub-industry
        offer(6, "Equipment connection", (), ("foundation",)),  # not a weak dimension
        offer(7, "Cockpit", ("30",), ("management", "results")),  # 48 + 10 + 5 = 63
    ]
    ranked = rank_solutions(PROFILE, offers, limit=None)
    assert [(m.offer.id, m.points) for m in ranked] == [
        (3, D("68.00")), (7, D("63.00")), (2, D("61.00")), (1, D("58.00"))]
    first = ranked[0]
    assert first.improves == ["management"] and first.industry_fit == "any"
    assert first.size_fit == "named" and first.light_bonus
    assert ranked[1].improves == ["management", "results"] and ranked[1].industry_fit == "division"


def test_ties_go_to_the_cheaper_solution_then_the_name():
    offers = [offer(1, "B", (), ("management",), price="c_200k_1m"),
              offer(2, "C", (), ("management",), price="a_under_50k"),
              offer(3, "A", (), ("management",), price="c_200k_1m")]
    assert [m.offer.name for m in rank_solutions(PROFILE, offers)] == ["C", "A", "B"]


def test_the_limit_keeps_the_best():
    offers = [offer(i, f"S{i}", (), ("management",), price=f"p{i:02d}") for i in range(12)]
    assert len(rank_solutions(PROFILE, offers)) == 5


def test_the_reasons_say_why_in_the_page_language():
    offers = [offer(7, "Cockpit", ("30",), ("management", "results")),
              offer(3, "Lightweight ERP", (), ("management",), ("small",), True)]
    ranked = rank_solutions(PROFILE, offers)
    with translation.override("en"):
        assert ranked[0].reasons(PROFILE) == [
            "improves Digital management, one of your weakest dimensions (20 of 100)",
            "suits any manufacturing sub-industry",
            "made for firms of your size",
            "lightweight: quick to deploy for a small firm",
        ]
        assert ranked[1].reasons(PROFILE) == [
            "improves Digital management, one of your weakest dimensions (20 of 100)",
            "improves Digital results, one of your weakest dimensions (40 of 100)",
            "made for your industry division 30",
        ]
    with translation.override("zh-hans"):
        assert ranked[1].reasons(PROFILE)[0] == "提升Digital management，这是贵企业最薄弱的维度之一（20 / 100）"
        assert ranked[1].reasons(PROFILE)[2] == "专为贵企业所在行业大类30设计"


def test_weakness_is_measured_against_each_dimension_maximum():
    # points-style dimensions: 30 of 50 (60%) is weaker than 14 of 20 (70%)
    profile = Profile("3061", "medium", {"base": D(30), "results": D(14)}, {"base": D(50), "results": D(20)})
    assert profile.weakest() == ["base", "results"]


@pytest.mark.django_db
def test_matches_come_from_the_active_catalogue(make_enterprise, miit, assess, provider_firm):
    from diagnosis_helpers import uniform_answers

    from twintrack.diagnosis.matching import match_solutions
    from twintrack.diagnosis.models import Solution
    from twintrack.diagnosis.services import retire_solution, save_solution

    firm = make_enterprise("330402", "3061", size="small")
    answers = uniform_answers(miit, 3)
    answers.update({"M1": "a", "M2": "a", "M3": "b", "M4": "a"})  # management 6.25: the weakest
    assessment = assess(firm, miit, answers)
    fit = save_solution(Solution(provider=provider_firm, name_zh="转型规划咨询", name_en="Planning", kind="consulting",
                                 price_band="b_50k_200k", dimensions=["management"]))
    glass = save_solution(Solution(provider=provider_firm, name_zh="玻纤管理驾驶舱", name_en="Glass cockpit",
                                   kind="saas", price_band="a_under_50k", industries=["306"],
                                   dimensions=["management", "results"], sizes=["small"]))
    retired = save_solution(Solution(provider=provider_firm, name_zh="已下架", kind="saas", price_band="a_under_50k",
                                     dimensions=["management"], industries=["3061"]))
    retire_solution(retired)
    profile, matches = match_solutions(assessment, "en")
    assert [m.offer.obj for m in matches] == [glass, fit]
    assert profile.weakest()[0] == "management"


# --- weak means below the next level's bar, not merely the lowest of four (issue 15) -----------

def test_the_bar_is_the_next_levels_share_and_the_top_levels_own_at_the_top():
    from twintrack.diagnosis.scoring import weakness_bar

    mins = {0: None, 1: D(20), 2: D(40), 3: D(60), 4: D(80)}  # MIIT 2022 on a 0-100 scale
    assert weakness_bar(mins, 2, D(100)) == D("0.6")
    assert weakness_bar(mins, 0, D(100)) == D("0.2")
    assert weakness_bar(mins, 4, D(100)) == D("0.8")


def test_a_dimension_at_the_bar_is_not_weak_just_below_is():
    from twintrack.diagnosis.scoring import weak_dimensions

    assert weak_dimensions({"a": D("0.6"), "b": D("0.5999"), "c": D("0.9")}, D("0.6")) == ["b"]


def test_a_strong_firm_gets_no_solution_for_its_lowest_but_strong_dimension():
    strong = Profile(industry="3061", size="small",
                     scores={"foundation": D(100), "operation": D(100), "management": D("93.75"), "results": D(100)},
                     maxima={d: D(100) for d in ("foundation", "operation", "management", "results")},
                     bar=D("0.8"))
    assert strong.weakest() == []
    assert rank_solutions(strong, [offer(1, "Planning consulting", (), ("management",))]) == []
    weaker = Profile(industry="3061", size="small", scores={**strong.scores, "management": D("79.5")},
                     maxima=strong.maxima, bar=D("0.8"))
    assert weaker.weakest() == ["management"]
