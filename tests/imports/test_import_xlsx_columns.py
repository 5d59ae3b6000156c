"""A workbook read in columns (imports/columnar.py, fastexcel) against the general reader
(openpyxl): whatever the cells hold, a workbook gives what the general path gives. A sheet the
column reader cannot read exactly (a column mixing text and numbers, an error cell, a header that
is not text, a header cell twice, cells left of or right of the header) goes the general way."""
from datetime import date

import pytest

from twintrack.imports import columnar
from twintrack.programme import fastprogress
from twintrack.programme.models import Progress
from twintrack.web.import_kinds import import_file

pytestmark = pytest.mark.django_db

HEADER = ["project_code", "month", "investment_yuan", "energy_saved_tce", "note"]


@pytest.fixture
def projects(project_factory):
    made = [project_factory(code=f"P{i:03d}", start=date(2023, 1, 5)) for i in range(4)]
    made.append(project_factory(code="330402", start=date(2023, 1, 5)))
    return made


def outcome(path):
    """What an import of `path` answers and stores, then the stored rows removed for the next run."""
    from twintrack.imports.errors import ImportRejected

    try:
        r = import_file("progress", path)
        answer = ("imported", r.rows_read, r.created, r.updated, r.unchanged, r.notes)
    except ImportRejected as rejected:
        answer = ("rejected", list(rejected.messages))
    stored = sorted(Progress.objects.values_list("project__code", "year", "month", "investment_yuan",
                                                 "energy_saved_tce", "note"))
    Progress.objects.all().delete()
    return answer, stored


def both_ways(path, monkeypatch):
    first = outcome(path)
    monkeypatch.setattr(fastprogress, "import_columns", lambda *args, **kwargs: None)
    return first, outcome(path)


DECLINED = {
    "amounts as text and as numbers": [HEADER, ["P000", "2023-03", 5, None, None], ["P001", "2023-03", "7", None, None]],
    "a note as a number among text": [HEADER, ["P000", "2023-03", 5, None, "x"], ["P001", "2023-03", 7, None, 0.1]],
    "an error cell": [HEADER, ["P000", "2023-03", 5, None, "#N/A"]],
    "a header cell that is a number": [HEADER + [2023], ["P000", "2023-03", 5, None, None]],
    "a header cell twice": [HEADER + ["note"], ["P000", "2023-03", 5, None, "a", "b"]],
    "a cell right of the header": [HEADER, ["P000", "2023-03", 5, None, None, "extra"]],
    "a column left of the header": [[None] + HEADER, [None, "P000", "2023-03", 5, None, None]],
    "a number with an exponent": [HEADER, ["P000", "2023-03", 5, 1e-07, None]],
    "a code beyond a float's integers": [HEADER, [2 ** 53 + 1, "2023-03", 5, None, None]],
    "a title above the header": [["进度表"], HEADER, ["P000", "2023-03", 5, None, None]],
    "a total row": [HEADER, ["P000", "2023-03", 5, None, None], ["合计", None, 5, None, None]],
}


@pytest.mark.parametrize("case", sorted(DECLINED))
def test_a_workbook_the_column_reader_cannot_read_exactly_gets_the_general_paths_outcome(
        case, projects, write_xlsx, calls, monkeypatch):
    fast, general = both_ways(write_xlsx(DECLINED[case]), monkeypatch)
    assert calls["fast"] == 0
    assert fast == general


TAKEN = {
    "an empty note column": [HEADER, ["P000", "2023-03", 5, None, None], ["P001", "2023-03", 7.25, None, None]],
    "a code typed as a number": [HEADER, [330402, "2023-03", 12345678.99, 0.000001, None]],
    "amounts with cents and tce": [HEADER, ["P000", "2023-03", 100.5, 1.25, "备注"], ["P001", "2023-04", 0, 3, None]],
    "true and false in the note": [HEADER, ["P000", "2023-03", 5, None, True], ["P001", "2023-03", 5, None, False]],
}


@pytest.mark.parametrize("case", sorted(TAKEN))
def test_a_plain_workbook_goes_the_fast_way_and_stores_what_the_general_path_stores(
        case, projects, write_xlsx, calls, monkeypatch):
    fast, general = both_ways(write_xlsx(TAKEN[case]), monkeypatch)
    assert calls == {"fast": 1, "declined": 0}
    assert fast == general and fast[0][0] == "imported"


def test_the_sheet_is_parsed_once_for_its_header_and_its_rows(projects, write_xlsx, monkeypatch):
    import fastexcel

    loads = []
    original = fastexcel.ExcelReader.load_sheet

    def counting(self, *args, **kwargs):
        loads.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(fastexcel.ExcelReader, "load_sheet", counting)
    r = import_file("progress", write_xlsx([HEADER, ["P000", "2023-03", 5, None, None]]), warn=None)
    assert r.created == 1 and len(loads) == 1


@pytest.mark.parametrize("xml, plain", [
    (b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>x</t></is></c></row>', True),
    (b'<x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row>', True),
    (b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2023</v></c></row>', False),
    (b'<sheetData><row r="1"><c r="A1" s="3" t="n"><v>45000</v></c></row>', False),
    (b'<sheetData><row r="1"><c r="A1" s="2"/><c r="B1" t="s"><v>1</v></c></row>', True),
    (b'<sheetData><row r="2"><c r="A2" t="s"><v>0</v></c></row>', False),
    (b'<sheetData><row r="1" spans="1:2"/><row r="2"><c r="A2" t="s"><v>0</v></c></row>', False),
])
def test_the_header_row_is_text_only_when_every_cell_of_row_1_is_text(xml, plain):
    assert columnar._text_cells_only(xml) is plain
