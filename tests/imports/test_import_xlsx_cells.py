"""The fast .xlsx row loop reads what openpyxl reads, on a workbook written the way Excel writes
them (shared strings, styles with date formats, rows and cells without references)."""
import zipfile
from datetime import datetime

import pytest

from twintrack.imports import reading
from twintrack.imports.reading import open_table

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""

ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""

WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr{{date1904}}/>
<sheets><sheet name="说明" sheetId="1" r:id="rId1"/><sheet name="Progress" sheetId="2" r:id="rId2"/></sheets></workbook>"""

WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{REL}/worksheet" Target="/xl/worksheets/sheet2.xml"/>
<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId4" Type="{REL}/styles" Target="styles.xml"/>
</Relationships>"""

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm"/>
<numFmt numFmtId="165" formatCode="#,##0.00"/></numFmts>
<fonts count="1"><font/></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/>
<xf numFmtId="165" applyNumberFormat="1"/></cellXfs></styleSheet>"""

STRINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="{MAIN}" count="7" uniqueCount="7">
<si><t>项目编号</t></si><si><t>月份</t></si><si><t>完成投资（元）</t></si><si><t>备注</t></si>
<si><t xml:space="preserve"> P001 </t></si>
<si><r><rPr><b/></rPr><t>设备</t></r><r><t>进场</t></r><rPh sb="0" eb="1"><t>ジ</t></rPh></si>
<si><t>开工日期</t></si>
</sst>"""

SHEET1 = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>这是说明</t></is></c></row>
</sheetData></worksheet>"""

SHEET2 = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN}"><dimension ref="A2:F7"/><sheetData>
<row r="2" spans="1:5"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="s"><v>2</v></c>
<c r="E2" t="s"><v>3</v></c><c r="F2" t="s"><v>6</v></c></row>
<row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3" s="2"><v>45108</v></c><c r="C3" s="3"><v>1234567.89</v></c>
<c r="E3" t="s"><v>5</v></c><c r="F3" s="1"><v>44986</v></c></row>
<row r="5"><c t="str"><f>"P"&amp;"002"</f><v>P002</v></c><c t="inlineStr"><is><r><t>2023</t></r><r><t>-08</t></r></is></c>
<c><v>330402</v></c><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c><c s="1"><v>44986.5</v></c></row>
<row><c r="A6"><v>1E-3</v></c><c r="C6"><f>SUM(C3:C5)</f></c><c r="D6" t="d"><v>2023-07-01T00:00:00</v></c></row>
<row r="7"><c r="A7" s="1"/><c r="B7" t="s"/></row>
</sheetData></worksheet>"""


@pytest.fixture
def excel_like(tmp_path):
    def build(date1904=False):
        path = tmp_path / ("excel1904.xlsx" if date1904 else "excel.xlsx")
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("[Content_Types].xml", CONTENT_TYPES)
            archive.writestr("_rels/.rels", ROOT_RELS)
            archive.writestr("xl/workbook.xml", WORKBOOK.replace("{date1904}", ' date1904="1"' if date1904 else ""))
            archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
            archive.writestr("xl/styles.xml", STYLES)
            archive.writestr("xl/sharedStrings.xml", STRINGS)
            archive.writestr("xl/worksheets/sheet1.xml", SHEET1)
            archive.writestr("xl/worksheets/sheet2.xml", SHEET2)
        return path

    return build


def rows_of(path, kind="progress"):
    with open_table(path, kind) as table:
        return table.header_row, table.header, [(n, [c for c in cells]) for n, cells in table.rows]


def padded(rows):
    """Rows compared cell by cell, trailing empty cells ignored."""
    out = []
    for number, cells in rows:
        cells = list(cells)
        while cells and cells[-1] == "":
            cells.pop()
        out.append((number, cells))
    return out


@pytest.mark.parametrize("date1904", [False, True])
def test_the_fast_row_loop_reads_exactly_what_openpyxl_reads(excel_like, monkeypatch, date1904):
    path = excel_like(date1904)
    fast = rows_of(path)
    monkeypatch.setattr(reading, "_fast_rows", lambda workbook, sheet: None)
    slow = rows_of(path)
    assert fast[:2] == slow[:2]
    assert padded(fast[2]) == padded(slow[2])


def test_an_excel_workbook_reads_as_a_person_sees_it(excel_like):
    header_row, header, rows = rows_of(excel_like())
    assert header_row == 2
    assert header == ["项目编号", "月份", "完成投资（元）", "", "备注", "开工日期"]
    assert rows[0] == (3, [" P001 ", datetime(2023, 7, 1), "1234567.89", "", "设备进场", datetime(2023, 3, 1)])
    assert rows[1] == (5, ["P002", "2023-08", "330402", "true", "#N/A", datetime(2023, 3, 1, 12)])
    assert rows[2][0] == 6
    assert rows[2][1][0] == "0.001"
    assert rows[2][1][3] == datetime(2023, 7, 1)
    assert len(rows) == 3  # row 7 has only empty cells


def test_the_first_sheet_is_read_when_none_is_named_after_the_kind(excel_like):
    header_row, header, rows = rows_of(excel_like(), kind="projects")
    assert (header_row, header, rows) == (1, ["这是说明"], [])
