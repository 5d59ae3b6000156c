"""Header matching and file-level problems, through import_file."""
import pytest

from twintrack.imports.errors import FileRejected
from twintrack.web.import_kinds import import_file
from twintrack.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_headers_ignore_case_spaces_full_width_forms_and_required_asterisks(write_csv):
    rows = [["  CODE ", "\u3000名称\u3000", "Name_EN", "*类型", "上级 代码"], ["330400", "嘉兴市", "", "市", ""]]
    assert import_file("orgunits", write_csv(rows)).created == 1


def test_full_width_and_half_width_brackets_name_the_same_column(project_factory, write_csv):
    from datetime import date

    project_factory("P001", start=date(2023, 1, 1))
    for header in ("完成投资（万元）", "完成投资(万元)", "完成投资 （万元） ", "INVESTMENT_10K_YUAN"):
        result = import_file("progress", write_csv([["项目编号", "月份", header], ["P001", "2023-01", "1"]]))
        assert result.rows_read == 1


def test_an_unknown_column_is_an_error_suggesting_the_closest_one(write_csv, rejected):
    rows = [["code", "name_zh", "kind", "parent_cod", "remarks"], ["330400", "嘉兴市", "市", "", ""]]
    assert rejected("orgunits", write_csv(rows)) == [
        "row 1, column parent_cod: unknown column; did you mean parent_code (上级代码)?",
        "row 1, column remarks: unknown column; the columns of this file are: code (代码), name_zh (名称), "
        "name_en (英文名称), kind (类型), parent_code (上级代码)",
    ]
    assert not OrgUnit.objects.exists()


def test_a_missing_required_column_is_an_error(write_csv, rejected):
    assert rejected("orgunits", write_csv([["代码", "名称"], ["330400", "嘉兴市"]])) == [
        "row 1, column kind: this required column is missing",
    ]


def test_a_column_given_twice_is_an_error(write_csv, rejected):
    rows = [["code", "代码", "name_zh", "kind"], ["330400", "330400", "嘉兴市", "市"]]
    assert rejected("orgunits", write_csv(rows)) == ["row 1, column code: the column appears twice (columns A and B)"]


def test_the_header_row_number_is_the_one_excel_shows(write_xlsx, rejected):
    rows = [[], ["代码", "名字", "类型"], ["330400", "嘉兴市", "市"]]
    assert rejected("orgunits", write_xlsx(rows)) == [
        "row 2, column 名字: unknown column; did you mean name_zh (名称)?",
        "row 2, column name_zh: this required column is missing",
    ]


def test_a_value_under_no_header_is_an_error(write_csv, rejected):
    rows = [["code", "name_zh", "kind", "parent_code", ""], ["330400", "嘉兴市", "市", "", "", ""],
            ["330402", "南湖区", "区", "330400", "x", "y"]]
    assert rejected("orgunits", write_csv(rows)) == [
        "row 3, column E: this cell has a value but its column has no header",
        "row 3, column F: this cell has a value but its column has no header",
    ]


def test_a_file_with_a_header_but_no_data_rows_is_refused(write_csv, write_xlsx):
    for path in (write_csv([["code", "name_zh", "kind"], [], ["", ""]]), write_xlsx([["code", "name_zh", "kind"]])):
        with pytest.raises(FileRejected) as info:
            import_file("orgunits", path)
        assert info.value.messages == [f"{path} has a header but no data rows"]


def test_an_unknown_kind_is_refused_before_the_file_is_read(tmp_path):
    with pytest.raises(FileRejected) as info:
        import_file("companies", tmp_path / "missing.csv")
    assert len(info.value.messages) == 1
    assert info.value.messages[0].startswith(  # other apps may add kinds (energy)
        'unknown kind "companies": use one of orgunits, enterprises, targets, projects, progress')


def test_a_kind_may_be_given_in_capitals(write_csv):
    assert import_file("OrgUnits", write_csv([["code", "name_zh", "kind"], ["330400", "嘉兴市", "市"]])).created == 1


def test_messages_follow_the_active_language(write_csv):
    from django.utils import translation

    rows = [["code", "name_zh", "kind"], ["330400", "嘉兴市", "town"]]
    with translation.override("zh-hans"), pytest.raises(FileRejected.__mro__[1]) as info:
        import_file("orgunits", write_csv(rows))
    assert info.value.messages[0].startswith("第2行")


def test_reference_columns_are_known_and_never_read(project_factory, write_csv, rejected):
    """The pre-filled template's columns beside the data (issue 15): a project's name, its
    enterprise, last month's figures; whatever they hold, nothing of them is written."""
    from datetime import date

    from twintrack.programme.models import Progress

    project_factory("P001", start=date(2023, 1, 1))
    header = ["项目编号", "项目名称", "企业名称", "月份", "上月完成投资（元）（仅供参考）", "完成投资（元）",
              "上月节能量（吨标准煤）（仅供参考）", "节能量（吨标准煤）"]
    rows = [header, ["P001", "=cmd|' /C calc'!A0", "任意", "2023-02", "not a number", "100", "-5", "1.5"]]
    assert import_file("progress", write_csv(rows)).created == 1
    row = Progress.objects.get()
    assert (row.investment_yuan, row.energy_saved_tce) == (100, 1.5)
    # only those names: last month's figure without the reference mark is an unknown column
    messages = rejected("progress", write_csv([["项目编号", "月份", "完成投资（元）", "上月完成投资（元）"],
                                               ["P001", "2023-03", "1", "2"]]))
    assert messages == ["row 1, column 上月完成投资（元）: unknown column; did you mean investment_yuan (完成投资（元）)?"]
