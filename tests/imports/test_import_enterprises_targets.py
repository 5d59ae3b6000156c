"""Importing enterprises and targets."""
from decimal import Decimal

import pytest

from twintrack.enterprises.models import Enterprise
from twintrack.web.import_kinds import import_file
from twintrack.metrics.rules import METRICS
from twintrack.programme.models import Target

from import_helpers import valid_uscc

pytestmark = pytest.mark.django_db

ENTERPRISE_HEADER_ZH = ["统一社会信用代码", "企业名称", "英文名称", "所属地区代码", "行业代码", "企业规模", "是否规上"]


def enterprises():
    return {e.uscc: (e.name_zh, e.name_en, e.org.code, e.industry_id, e.size, e.above_scale)
            for e in Enterprise.objects.select_related("org")}


def test_a_gbk_csv_with_chinese_headers_and_labels_imports_enterprises(city, industry_codes, write_csv):
    rows = [ENTERPRISE_HEADER_ZH,
            [valid_uscc(1), "德威不锈钢有限公司", "Dewei", "330402", "3311", "中型", "是"],
            [valid_uscc(2), "平湖纺织有限公司", "", "330482", "C1711", "", ""],
            [valid_uscc(3).lower(), "港区化工有限公司", "", "JXGQ", "26", "micro", "否"]]
    result = import_file("enterprises", write_csv(rows, encoding="gbk"))
    assert (result.rows_read, result.created, result.updated, result.unchanged) == (3, 3, 0, 0)
    assert enterprises() == {
        valid_uscc(1): ("德威不锈钢有限公司", "Dewei", "330402", "3311", "medium", True),
        valid_uscc(2): ("平湖纺织有限公司", "", "330482", "1711", "", None),
        valid_uscc(3): ("港区化工有限公司", "", "JXGQ", "26", "micro", False),
    }


def test_an_xlsx_of_enterprises_with_boolean_and_numeric_cells_imports(city, industry_codes, write_xlsx):
    rows = [["uscc", "name_zh", "org_code", "industry_code", "size", "above_scale"],
            [valid_uscc(1), "德威", 330402, 3311, "large", True]]
    import_file("enterprises", write_xlsx(rows))
    assert enterprises()[valid_uscc(1)] == ("德威", "", "330402", "3311", "large", True)


def test_re_importing_enterprises_changes_nothing_and_moving_one_updates_it(city, industry_codes, write_csv):
    rows = [ENTERPRISE_HEADER_ZH, [valid_uscc(1), "德威", "", "330402", "3311", "中型", "是"]]
    path = write_csv(rows)
    import_file("enterprises", path)
    history = Enterprise.history.count()
    assert import_file("enterprises", path).unchanged == 1
    assert Enterprise.history.count() == history
    rows[1][3] = "330482"
    result = import_file("enterprises", write_csv(rows, name="moved.csv"))
    assert (result.created, result.updated) == (0, 1)
    assert enterprises()[valid_uscc(1)][2] == "330482"


def test_bad_enterprise_rows_are_all_reported(city, industry_codes, write_csv, rejected):
    good = valid_uscc(1)
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    rows = [ENTERPRISE_HEADER_ZH,
            [wrong_check, "甲", "", "330402", "3311", "", ""],
            [valid_uscc(2), "乙", "", "330999", "0111", "huge", "maybe"],
            [valid_uscc(3), "丙", "", "330402", "44", "", ""],
            [valid_uscc(2), "丁", "", "330402", "3311", "", ""]]
    assert rejected("enterprises", write_csv(rows)) == [
        f'row 2, column uscc: "{wrong_check}" is not a valid unified social credit code: the check digit should '
        f"be {good[17]}",
        'row 3, column org_code: no org unit has code "330999"',
        'row 3, column industry_code: "0111" is not a GB/T 4754-2017 manufacturing industry code '
        "(division 13-43, group or class)",
        'row 3, column size: "huge" is not one of: large (大型), medium (中型), small (小型), micro (微型)',
        'row 3, column above_scale: "maybe" is not a yes/no value: use true or false (是 or 否)',
        'row 4, column industry_code: "44" is not a GB/T 4754-2017 manufacturing industry code '
        "(division 13-43, group or class)",
        "row 5, column uscc: duplicate of row 3",
    ]
    assert not Enterprise.objects.exists()


TARGET_HEADER_ZH = ["地区代码", "指标", "年度", "截至月份", "目标值"]


def targets():
    return {(t.org.code, t.metric, t.year, t.through_month): t.value for t in Target.objects.select_related("org")}


def test_targets_import_with_metric_labels_and_thousands_separators(city, write_csv):
    rows = [TARGET_HEADER_ZH,
            ["330400", "项目数", "2023", "7", "1,400"],
            ["330400", "projects", "2023", "12", "2,400"],
            ["330400", "技改投资", "2023", "12", "70,000,000,000"],
            ["330402", "节能量", "2023年", "07", "50,000.5"]]
    result = import_file("targets", write_csv(rows))
    assert (result.rows_read, result.created) == (4, 4)
    assert targets() == {
        ("330400", "projects", 2023, 7): Decimal("1400"),
        ("330400", "projects", 2023, 12): Decimal("2400"),
        ("330400", "investment_yuan", 2023, 12): Decimal("70000000000"),
        ("330402", "energy_saved_tce", 2023, 7): Decimal("50000.5"),
    }
    history = Target.history.count()
    assert import_file("targets", write_csv(rows)).unchanged == 4
    assert Target.history.count() == history


def test_targets_from_xlsx_with_number_cells_import(city, write_xlsx):
    rows = [["org_code", "metric", "year", "through_month", "value"],
            [330400, "investment_yuan", 2023, 7.0, 42000000000.0]]
    import_file("targets", write_xlsx(rows))
    assert targets() == {("330400", "investment_yuan", 2023, 7): Decimal("42000000000")}


def test_bad_targets_are_reported_and_duplicates_name_both_rows(city, write_csv, rejected):
    rows = [TARGET_HEADER_ZH,
            ["330400", "项目数", "2023", "7", "1400"],
            ["330499", "产值", "1999", "13", "0"],
            ["330400", "projects", "2023", "07", "1500"]]
    assert rejected("targets", write_csv(rows)) == [
        'row 3, column org_code: no org unit has code "330499"',
        'row 3, column metric: "产值" is not a metric: use one of '
        + ", ".join(f"{m.key} ({m.label_zh})" for m in METRICS),
        'row 3, column year: "1999": the year must be between 2000 and 2100',
        'row 3, column through_month: "13" is not a month number from 1 to 12',
        'row 3, column value: "0": must be greater than 0',
        "row 4, column org_code: duplicate of row 2",
    ]
    assert not Target.objects.exists()
