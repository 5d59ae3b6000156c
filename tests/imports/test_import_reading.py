"""Reading .csv and .xlsx files: encodings, delimiters, sheets, row numbers, cell types."""
from datetime import datetime

import pytest

from twintrack.imports.errors import FileRejected
from twintrack.imports.reading import number_text, open_table

HEADER = ["代码", "名称", "类型", "上级代码"]
ROWS = [HEADER, ["330400", "嘉兴市", "市", ""], ["330402", "南湖区", "区", "330400"]]


def read(path, kind="orgunits"):
    with open_table(path, kind) as table:
        return table.header, table.header_row, list(table.rows), table.encoding


@pytest.mark.parametrize("encoding, detected", [
    ("utf-8", "utf-8-sig"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030"),
    ("utf-16", "utf-16"),
])
def test_csv_encodings_are_detected_without_asking(write_csv, encoding, detected):
    header, header_row, rows, found = read(write_csv(ROWS, encoding=encoding))
    assert found == detected
    assert header == HEADER and header_row == 1
    assert rows == [(2, ["330400", "嘉兴市", "市", ""]), (3, ["330402", "南湖区", "区", "330400"])]


def test_a_gb18030_file_whose_start_is_ascii_is_still_read_as_gb18030(write_csv):
    rows = [["code", "name_zh", "kind", "parent_code"]] + [[f"X{i:03d}", "x", "city", ""] for i in range(3000)]
    rows.append(["Z1", "嘉兴港区", "zone", "X000"])
    _, _, read_rows, found = read(write_csv(rows, encoding="gbk"))
    assert found == "gb18030"
    assert read_rows[-1][1][1] == "嘉兴港区"


def test_a_tab_or_semicolon_separated_csv_is_sniffed(write_csv):
    for delimiter in ("\t", ";"):
        header, _, rows, _ = read(write_csv(ROWS, delimiter=delimiter))
        assert header == HEADER
        assert rows[0][1] == ["330400", "嘉兴市", "市", ""]


def test_the_header_is_the_first_non_empty_row_and_row_numbers_are_what_excel_shows(write_csv, write_xlsx):
    rows = [[], ["", ""], HEADER, ["330400", "嘉兴市", "市", ""], [], ["330402", "南湖区", "区", "330400"]]
    for path in (write_csv(rows), write_xlsx(rows)):
        header, header_row, data, _ = read(path)
        assert header_row == 3
        assert [number for number, _ in data] == [4, 6]


def test_xlsx_numbers_and_dates_are_normalised(write_xlsx):
    path = write_xlsx([
        ["code", "value", "flag", "when", "small"],
        [330402.0, 1234.5, True, datetime(2023, 7, 1), 0.1],
        [330482, 2.5e-05, False, None, 1e16],
    ])
    _, _, rows, _ = read(path)
    assert rows[0][1] == ["330402", "1234.5", "true", datetime(2023, 7, 1), "0.1"]
    assert rows[1][1][:3] == ["330482", "0.000025", "false"]
    assert rows[1][1][4] == "10000000000000000"


def test_the_sheet_named_after_the_kind_is_read_when_there_is_one(write_xlsx):
    path = write_xlsx(ROWS, sheet="Progress", extra_sheets=[("说明", [["这是说明"]])])
    header, *_ = read(path, kind="progress")
    assert header == HEADER
    header, *_ = read(path, kind="projects")  # no sheet named projects: the first sheet
    assert header == ["这是说明"]


def test_number_text_is_exact():
    assert number_text(330402.0) == "330402"
    assert number_text(0.1 + 0.2) == "0.30000000000000004"
    assert number_text(12) == "12"


def message(path, kind="orgunits"):
    with pytest.raises(FileRejected) as info:
        read(path, kind)
    return info.value.message


def test_a_missing_file_is_named(tmp_path):
    path = tmp_path / "nope.csv"
    assert message(path) == f"{path}: no such file"


def test_only_csv_and_xlsx_are_accepted(tmp_path):
    for name in ("data.txt", "data.xls"):
        path = tmp_path / name
        path.write_text("code\n1")
        assert message(path).startswith(f"{path}: only .csv and .xlsx files can be imported")


def test_an_upper_case_extension_is_fine(write_csv):
    header, *_ = read(write_csv(ROWS, name="DATA.CSV"))
    assert header == HEADER


def test_an_empty_file_or_one_with_only_empty_rows_has_no_header(tmp_path, write_csv, write_xlsx):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert message(empty) == f"{empty} is empty: the first row must be the header"
    blank = write_csv([[], ["", "  "]], name="blank.csv")
    assert message(blank) == f"{blank} is empty: the first row must be the header"
    sheet = write_xlsx([], name="blank.xlsx")
    assert message(sheet) == f"{sheet} is empty: the first row must be the header"


def test_a_corrupt_xlsx_is_reported_as_such(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    assert message(path).startswith(f"{path} is not a readable .xlsx workbook (it is not a valid zip archive")
    renamed = tmp_path / "renamed.xlsx"
    renamed.write_text("code,name\n1,2\n")
    assert message(renamed).startswith(f"{renamed} is not a readable .xlsx workbook")


def test_an_old_xls_saved_with_an_xlsx_name_is_explained(tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert message(path) == (f"{path} is an old-style .xls workbook or a password-protected one: save it as an "
                             "unprotected .xlsx (Excel Workbook)")


def test_text_that_is_neither_utf8_nor_gb18030_names_the_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes("code,name\n1,嘉兴\n".encode("utf-8") + b"2,\x80\xff\n")
    assert message(path) == (f"{path}, line 3: the text is neither UTF-8 nor GB18030/GBK; save the file as "
                             "CSV UTF-8")
