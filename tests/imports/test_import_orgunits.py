"""Importing org units: the tree, its one root, parents anywhere in the file, no cycles."""
import pytest

from twintrack.web.import_kinds import import_file
from twintrack.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db

HEADER_ZH = ["代码", "名称", "英文名称", "类型", "上级代码"]
JIAXING = [
    HEADER_ZH,
    ["330400", "嘉兴市", "Jiaxing", "市", ""],
    ["330402", "南湖区", "Nanhu District", "区", "330400"],
    ["330411", "秀洲区", "Xiuzhou District", "district", "330400"],
    ["330482", "平湖市", "Pinghu", "县级市", "330400"],
    ["JXGQ", "嘉兴港区", "", "功能区", "330400"],
]


def tree():
    return {o.code: (o.parent.code if o.parent else None, o.kind, o.name_zh, o.name_en)
            for o in OrgUnit.objects.select_related("parent")}


def test_a_utf8_csv_with_chinese_headers_and_kind_labels_builds_the_tree(write_csv):
    result = import_file("orgunits", write_csv(JIAXING))
    assert (result.kind, result.rows_read, result.created, result.updated, result.unchanged) == (
        "orgunits", 5, 5, 0, 0)
    assert tree() == {
        "330400": (None, "city", "嘉兴市", "Jiaxing"),
        "330402": ("330400", "district", "南湖区", "Nanhu District"),
        "330411": ("330400", "district", "秀洲区", "Xiuzhou District"),
        "330482": ("330400", "county_city", "平湖市", "Pinghu"),
        "JXGQ": ("330400", "zone", "嘉兴港区", ""),
    }
    root = OrgUnit.objects.get(code="330400")
    assert {o.code for o in root.subtree()} == {"330400", "330402", "330411", "330482", "JXGQ"}
    assert OrgUnit.objects.get(code="JXGQ").path == f"{root.path}{OrgUnit.objects.get(code='JXGQ').id}/"


def test_an_xlsx_with_numeric_code_cells_imports_the_same_tree(write_xlsx):
    rows = [["code", "name_zh", "name_en", "kind", "parent_code"],
            [330400, "嘉兴市", "Jiaxing", "city", None],
            [330402.0, "南湖区", "Nanhu District", "district", 330400]]
    result = import_file("orgunits", write_xlsx(rows))
    assert result.created == 2
    assert tree()["330402"] == ("330400", "district", "南湖区", "Nanhu District")


def test_a_parent_may_come_later_in_the_file(write_csv):
    rows = [HEADER_ZH, ["330402", "南湖区", "", "区", "330400"], ["330400", "嘉兴市", "", "市", ""]]
    assert import_file("orgunits", write_csv(rows)).created == 2
    assert tree()["330402"][0] == "330400"


def test_importing_the_same_file_twice_leaves_the_database_and_its_history_as_they_were(write_csv):
    path = write_csv(JIAXING)
    import_file("orgunits", path)
    before = (tree(), OrgUnit.history.count())
    result = import_file("orgunits", path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 5)
    assert (tree(), OrgUnit.history.count()) == before


def test_a_changed_row_updates_the_unit_and_records_the_change(write_csv):
    import_file("orgunits", write_csv(JIAXING))
    history = OrgUnit.history.count()
    rows = [HEADER_ZH, ["330411", "秀洲区", "Xiuzhou", "区", "330400"]]
    result = import_file("orgunits", write_csv(rows, name="change.csv"))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert tree()["330411"][3] == "Xiuzhou"
    assert OrgUnit.history.count() == history + 1
    assert OrgUnit.history.filter(code="330411").latest("history_date").history_change_reason == (
        "import orgunits change.csv")


def test_moving_a_unit_moves_its_subtree(write_csv):
    import_file("orgunits", write_csv(JIAXING + [["330402001", "建设街道", "", "zone", "330402"]]))
    rows = [HEADER_ZH, ["330402", "南湖区", "Nanhu District", "区", "330482"]]
    import_file("orgunits", write_csv(rows, name="move.csv"))
    street = OrgUnit.objects.get(code="330402001")
    assert [OrgUnit.objects.get(id=i).code for i in street.ancestor_ids()] == ["330400", "330482", "330402",
                                                                             "330402001"]


def test_moving_a_unit_and_renaming_a_grandchild_in_one_file_keeps_every_path_right(write_csv):
    import_file("orgunits", write_csv(JIAXING + [["A1", "甲", "", "zone", "330402"], ["A2", "乙", "", "zone", "A1"]]))
    rows = [HEADER_ZH, ["A2", "乙二", "", "zone", "A1"], ["330402", "南湖区", "", "区", "330482"]]
    import_file("orgunits", write_csv(rows, name="move.csv"))
    a2 = OrgUnit.objects.get(code="A2")
    assert [OrgUnit.objects.get(id=i).code for i in a2.ancestor_ids()] == ["330400", "330482", "330402", "A1", "A2"]
    assert a2.depth == 4


def test_a_new_root_may_be_put_above_the_old_one(write_csv):
    import_file("orgunits", write_csv(JIAXING))
    rows = [HEADER_ZH, ["330000", "浙江省", "Zhejiang", "省", ""], ["330400", "嘉兴市", "Jiaxing", "市", "330000"]]
    import_file("orgunits", write_csv(rows, name="province.csv"))
    assert tree()["330400"][0] == "330000"
    assert OrgUnit.objects.get(code="JXGQ").depth == 2


def test_a_second_root_is_an_error_naming_the_first(write_csv, rejected):
    rows = JIAXING + [["330100", "杭州市", "", "市", ""]]
    assert rejected("orgunits", write_csv(rows)) == [
        "row 7, column parent_code: a value is required: only the root has no parent, and row 2 is already the root",
    ]
    assert not OrgUnit.objects.exists()


def test_a_unit_without_parent_beside_an_existing_root_is_an_error(city, write_csv, rejected):
    rows = [HEADER_ZH, ["330100", "杭州市", "", "市", ""]]
    assert rejected("orgunits", write_csv(rows)) == [
        "row 2, column parent_code: a value is required: only the root (330400) has no parent",
    ]


def test_a_parent_that_exists_nowhere_is_an_error(city, write_csv, rejected):
    rows = [HEADER_ZH, ["330421", "嘉善县", "", "县", "330499"]]
    assert rejected("orgunits", write_csv(rows)) == [
        'row 2, column parent_code: no org unit has code "330499", in the database or in this file',
    ]


def test_a_cycle_inside_the_file_is_reported_once_with_its_path(write_csv, rejected):
    rows = [HEADER_ZH, ["330400", "嘉兴市", "", "市", ""], ["AA", "甲", "", "zone", "BB"], ["BB", "乙", "", "zone", "CC"],
            ["CC", "丙", "", "zone", "AA"]]
    assert rejected("orgunits", write_csv(rows)) == [
        'row 3, column parent_code: "BB" would make a cycle in the org tree: AA -> BB -> CC -> AA',
    ]
    assert not OrgUnit.objects.exists()


def test_a_unit_that_is_its_own_parent_is_a_cycle(write_csv, rejected):
    rows = [HEADER_ZH, ["330400", "嘉兴市", "", "市", ""], ["AA", "甲", "", "zone", "AA"]]
    assert rejected("orgunits", write_csv(rows)) == [
        'row 3, column parent_code: "AA" would make a cycle in the org tree: AA -> AA',
    ]


def test_re_parenting_an_existing_unit_under_its_own_descendant_is_a_cycle(city, write_csv, rejected):
    rows = [HEADER_ZH, ["330400", "嘉兴市", "Jiaxing", "市", "330402"]]
    assert rejected("orgunits", write_csv(rows)) == [
        'row 2, column parent_code: "330402" would make a cycle in the org tree: 330400 -> 330402 -> 330400',
    ]
    assert OrgUnit.objects.get(code="330400").parent is None


def test_duplicate_codes_name_both_rows(write_csv, rejected):
    rows = JIAXING + [["330402", "南湖", "", "区", "330400"]]
    assert rejected("orgunits", write_csv(rows)) == ["row 7, column code: duplicate of row 3"]
    assert not OrgUnit.objects.exists()


def test_every_bad_cell_is_reported_and_nothing_is_written(write_csv, rejected):
    rows = [HEADER_ZH, ["330400", "嘉兴市", "", "市", ""], ["3", "", "", "town", "330400"],
            ["330402", "南湖区", "", "区", "33 04"]]
    assert rejected("orgunits", write_csv(rows)) == [
        'row 3, column code: "3" is not an org unit code: use 2-32 letters, digits, _ or -',
        "row 3, column name_zh: a value is required",
        'row 3, column kind: "town" is not one of: province (省), city (市), district (区), county (县), '
        "county_city (县级市), zone (功能区)",
        'row 4, column parent_code: "33 04" is not an org unit code: use 2-32 letters, digits, _ or -',
    ]
    assert not OrgUnit.objects.exists()
