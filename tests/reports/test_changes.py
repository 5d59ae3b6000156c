"""What changed between two versions of a bulletin, figure by figure."""
import copy

from twintrack.reports.content import change_line
from twintrack.reports.publishing import diff_figures


def figures(actual, target=None, annual=None):
    return {"actual": actual, "target": target, "completion_rate": None, "annual_target": annual,
            "annual_rate": None, "schedule_rate": 0.5}


def data():
    def metrics(p, i, e):
        return {"projects": figures(p, 10, 20), "investment_yuan": figures(i, 1e6, 2e6),
                "energy_saved_tce": figures(e)}

    return {"report": {
        "org": {"code": "330400", "name_zh": "嘉兴市", "name_en": "Jiaxing"}, "period": "2023-07",
        "metrics": metrics(12, 1_500_000.0, 30.5),
        "children": [
            {"org": {"code": "330402", "name_zh": "南湖区", "name_en": "Nanhu District"},
             "metrics": metrics(7, 900_000.0, 20.5)},
            {"org": {"code": "330411", "name_zh": "秀洲区", "name_en": "Xiuzhou District"},
             "metrics": metrics(5, 600_000.0, 10.0)},
        ]}}


def test_identical_figures_make_no_changes():
    assert diff_figures(data(), data()) == []


def test_a_corrected_figure_is_listed_for_the_unit_and_its_parent():
    old, new = data(), data()
    new["report"]["children"][0]["metrics"]["investment_yuan"]["actual"] = 910_000.0
    new["report"]["metrics"]["investment_yuan"]["actual"] = 1_510_000.0
    changes = diff_figures(old, new)
    assert [(c["org"]["code"], c["metric"], c["field"], c["old"], c["new"]) for c in changes] == [
        ("330400", "investment_yuan", "actual", 1_500_000.0, 1_510_000.0),
        ("330402", "investment_yuan", "actual", 900_000.0, 910_000.0),
    ]
    assert change_line(changes[1], 7) == "330402 南湖区 技改投资 1-7月完成（万元）: 90 -> 91"
    assert change_line(changes[1], 7, "en") == \
        "330402 Nanhu District Investment, actual January-July (10,000 yuan): 90 -> 91"


def test_targets_set_or_removed_are_changes():
    old, new = data(), data()
    new["report"]["children"][1]["metrics"]["energy_saved_tce"]["target"] = 15.0
    new["report"]["children"][1]["metrics"]["projects"]["annual_target"] = None
    changes = diff_figures(old, new)
    assert {(c["metric"], c["field"], c["old"], c["new"]) for c in changes} == {
        ("energy_saved_tce", "target", None, 15.0), ("projects", "annual_target", 20, None)}


def test_units_that_appear_or_disappear_are_changes():
    old, new = data(), data()
    gone = new["report"]["children"].pop(1)
    added = copy.deepcopy(gone)
    added["org"] = {"code": "JXGQ", "name_zh": "嘉兴港区", "name_en": "Port Area"}
    new["report"]["children"].append(added)
    changes = diff_figures(old, new)
    assert [(c["org"]["code"], c["field"], c["old"] and c["old"]["code"], c["new"] and c["new"]["code"])
            for c in changes] == [("330411", "unit", "330411", None), ("JXGQ", "unit", None, "JXGQ")]
    assert change_line(changes[0], 7) == "330411 秀洲区 地区: 秀洲区 -> —"


def test_a_metric_added_since_counts_only_where_it_has_figures():
    old, new = data(), data()
    new["report"]["metrics"]["co2_reduced_t"] = figures(0.0)
    new["report"]["children"][0]["metrics"]["co2_reduced_t"] = figures(4.5)
    changes = diff_figures(old, new)
    assert [(c["org"]["code"], c["metric"], c["old"], c["new"]) for c in changes] == [
        ("330402", "co2_reduced_t", None, 4.5)]


def test_float_noise_is_not_a_change():
    old, new = data(), data()
    new["report"]["metrics"]["energy_saved_tce"]["actual"] = 30.5 + 1e-12
    assert diff_figures(old, new) == []
