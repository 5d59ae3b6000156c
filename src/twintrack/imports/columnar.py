"""Reading a plain file in column batches, for a kind's fast path: CSV with a C parser
(pyarrow), XLSX with fastexcel (python-calamine's Rust reader, straight into Arrow).

The general reader (reading.py) turns every row into Python objects, which costs several
microseconds a row: too much for a month-end file of a million rows. A kind that can check
and write whole columns (`Kind.import_columns`) gets the file's cells here instead, as
pyarrow string arrays keyed by column key, a batch at a time (memory stays flat).

Only the plain file is read this way. A CSV file: UTF-8, the header on the first line, one row
per line, every row with the header's number of cells, no line breaks inside a cell. A
workbook: the header in row 1 of the sheet the general reader chose (no title or units row),
no formula or error cell anywhere (openpyxl tells a formula without a saved result and an error's
text, calamine cannot), a header of text cells, each column all text, all numbers or all
true/false (no date, no column mixing them), no cell right of the header. Anything else raises `NotColumnar`, and the caller
reads the file the general way, which also names each problem by its row. The i-th data row
read (0-based) is row `first_row(table) + i`, the number people see.
"""
from __future__ import annotations

import logging
import re
import zipfile
from typing import Iterator

from django.utils.translation import gettext as _

from twintrack.filecheck import ZIP_MAGIC, DamagedFile, FileRefused, check_package
from twintrack.imports.reading import (HEADER_SCAN_ROWS, Source, Table, _table, extension_of, open_binary,
                                       sheet_names, source_name)

BLOCK_SIZE = 8 << 20  # bytes of the file per batch: ~200,000 progress rows
XLSX_BATCH = 100_000  # rows per batch of a workbook
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ERROR_CELL = re.compile(rb"<(?:\w+:)?c\s[^>]*\bt=\"e\"")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b(?:[^>]*?\br=\"(\d+)\")?[^>]*?(/?)>")
_RENAMED = re.compile(r"^(.*)_\d+$")  # fastexcel's name for a header's second "x": "x_1"
_ROW_END = re.compile(rb"</(?:\w+:)?row>")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/?)>")


class NotColumnar(Exception):
    """The file is not plain enough to read in columns: read it the general way."""


def plain_csv(table: Table) -> bool:
    """Whether `table` (opened by reading.open_table) is a CSV file the column reader takes."""
    return (table.sheet is None and table.encoding == "utf-8-sig" and table.delimiter is not None
            and table.header_row == 1 and table.plain_header)


def plain_table(table: Table) -> bool:
    """Whether the column reader may take `table` (a last look at the cells may still say no)."""
    return plain_csv(table) or (table.sheet is not None and table.header_row == 1 and table.plain_header)


def batches(source: Source, table: Table, positions: dict[str, int]) -> Iterator[dict]:
    """csv_batches or xlsx_batches, by the file's kind."""
    if table.sheet is None:
        return csv_batches(source, table, positions)
    return xlsx_batches(source, table, positions)


def csv_batches(source: Source, table: Table, positions: dict[str, int]) -> Iterator[dict]:
    """{column key: pyarrow string array} of the columns at `positions`, batch by batch, plus
    "_first_columns": the arrays of the file's first three columns (total rows are told by them)."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    if not plain_csv(table):
        raise NotColumnar("not a plain CSV file")
    width = len(table.header)
    names = [f"c{i}" for i in range(width)]
    wanted = sorted(set(positions.values()) | set(range(min(width, 3))))
    read = pacsv.ReadOptions(skip_rows=1, column_names=names, block_size=BLOCK_SIZE, use_threads=False)
    parse = pacsv.ParseOptions(delimiter=table.delimiter, newlines_in_values=False, ignore_empty_lines=False)
    convert = pacsv.ConvertOptions(column_types={names[i]: pa.string() for i in wanted},
                                   include_columns=[names[i] for i in wanted], strings_can_be_null=False,
                                   quoted_strings_can_be_null=False)
    with open_binary(source) as handle:
        try:
            reader = pacsv.open_csv(handle, read_options=read, parse_options=parse, convert_options=convert)
            for batch in reader:
                columns = {key: batch.column(names[i]) for key, i in positions.items()}
                columns["_first_columns"] = [batch.column(names[i]) for i in range(min(width, 3))]
                yield columns
        except (pa.ArrowInvalid, pa.ArrowException) as error:
            raise NotColumnar(str(error)) from None


def first_row(table: Table) -> int:
    """The row number of the first data row of a plain CSV file."""
    return table.header_row + 1


def _plain_cells(handle, sheet: str) -> bool:
    """Whether no worksheet of the workbook has a formula or an error cell, and row 1 of `sheet`
    holds only text: the column reader would see a formula's saved result and an error as an empty
    cell where the general reader sees what openpyxl says, and a number or a date in the header is
    the general reader's to name."""
    with zipfile.ZipFile(handle) as package:
        return not _has_formulas(package) and _header_is_text(package, sheet)


def _has_formulas(package: zipfile.ZipFile) -> bool:
    """Whether any worksheet has a formula or an error cell (read in compressed chunks)."""
    for name in package.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            with package.open(name) as part:
                tail = b""
                while chunk := part.read(1 << 20):
                    text = tail + chunk
                    if (b"f" in text and _FORMULA.search(text)) or (b'"e"' in text and _ERROR_CELL.search(text)):
                        return True
                    tail = chunk[-256:]
    return False


def _sheet_part(package: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding the worksheet named `sheet`, from the workbook's relationships."""
    from xml.etree import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
    ids = [node.get(relation) for node in workbook.iter(f"{main}sheet") if node.get("name") == sheet]
    rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    for node in rels:
        if ids and node.get("Id") == ids[0]:
            target = node.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _header_is_text(package: zipfile.ZipFile, sheet: str) -> bool:
    """Whether row 1 of the sheet holds only text cells, reading its part only up to the end of
    its first row."""
    part_name = _sheet_part(package, sheet)
    if part_name is None or part_name not in package.namelist():
        return False
    with package.open(part_name) as part:
        head = b""
        while not _ROW_END.search(head) and b"sheetData/>" not in head and (chunk := part.read(1 << 16)):
            head += chunk
    return _text_cells_only(head)


def _text_cells_only(head: bytes) -> bool:
    """Whether the first row in a sheet's XML is row 1 and its cells are all text or empty."""
    row = _ROW_TAG.search(head)
    if row is None or row.group(1) not in (None, b"1") or row.group(2):  # row 1 absent or empty
        return False
    end = _ROW_END.search(head, row.end())
    if end is None:
        return False
    cells = head[row.end():end.start()]
    return all(closed or kind in (b"s", b"inlineStr", b"str") for kind, closed in
               ((_attribute(attributes, b"t"), closing) for attributes, closing in _CELL_TAG.findall(cells)))


def _attribute(attributes: bytes, name: bytes) -> bytes:
    found = re.search(rb"\b" + name + rb'="([^"]*)"', attributes)
    return found.group(1) if found else b"n"


def _text_column(array):
    """A column of the sheet as a pyarrow string array, each cell as reading.normalise_cell gives it
    (text as it is, a number's shortest exact digits, true/false, an empty cell as ""), or
    NotColumnar for what the general reader gives otherwise (a date, a number beyond a float's
    integers or written with an exponent)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = array.type
    text = pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)
    if text or pa.types.is_boolean(kind) or pa.types.is_integer(kind):  # true/false, as openpyxl's cells
        return pc.fill_null(array.cast(pa.string()), "")
    if pa.types.is_floating(kind):
        if not pc.all(pc.less(pc.abs(pc.fill_null(array, 0.0)), 2.0 ** 53)).as_py():
            raise NotColumnar("a number beyond a float's integers")  # openpyxl keeps the exact integer
        text = pc.fill_null(array.cast(pa.string()), "")  # the shortest digits that read back the same
        if pc.any(pc.match_substring(text, "e")).as_py():
            raise NotColumnar("a number with an exponent")
        return text
    raise NotColumnar("a date cell")


def _sheet_columns(data: bytes, sheet: str):
    """The sheet's cells under its header (row 1) as {column index: string array}, read by
    fastexcel (calamine into Arrow, no Python object per cell). Every column is typed over all its
    rows; a column mixing text, numbers or dates is NotColumnar (its numbers would be text in
    fastexcel's own format), as is a column without a header cell or one left of the first."""
    import fastexcel

    logging.getLogger("fastexcel").setLevel(logging.ERROR)  # "falling back to string" for an empty column
    try:
        loaded = fastexcel.read_excel(data).load_sheet(sheet, header_row=0, schema_sample_rows=None,
                                                       dtype_coercion="strict")
        infos = loaded.available_columns()
        batch = loaded.to_arrow()
    except Exception as error:  # noqa: BLE001 - whatever fastexcel says, the general reader decides
        raise NotColumnar(str(error)) from None
    names = [info.name for info in infos]
    if any(info.absolute_index != position or info.column_name_from != "looked_up"
                                 for position, info in enumerate(infos)):
        raise NotColumnar("the sheet's cells are not where the header says")
    if any((twin := _RENAMED.match(name)) and twin.group(1) in names for name in names):
        raise NotColumnar("a header cell twice (fastexcel renamed it)")
    return names, {i: _text_column(batch.column(i)) for i in range(len(infos))}


def xlsx_batches(source: Source, table: Table, positions: dict[str, int]) -> Iterator[dict]:
    """As csv_batches, for the sheet of a workbook opened by open_workbook (its columns, read once,
    are on the table; a workbook the general reader opened is not read in columns)."""
    if not plain_table(table) or table.opened is None:
        raise NotColumnar("not a plain workbook")
    columns = table.opened  # one per header cell (_sheet_columns refuses a column without one)
    width = len(table.header)
    rows = len(columns[0]) if columns else 0
    full = {i: columns[i] for i in sorted(set(positions.values()) | set(range(min(width, 3))))}
    for start in range(0, rows, XLSX_BATCH):
        arrays = {i: array.slice(start, XLSX_BATCH) for i, array in full.items()}
        batch = {key: arrays[i] for key, i in positions.items()}
        batch["_first_columns"] = [arrays[i] for i in range(min(width, 3))]
        yield batch


def open_workbook(source: Source, kind, name: str | None = None) -> Table | None:
    """A workbook's header and cells read by fastexcel, without openpyxl (which, for a sheet saved
    without its dimensions, parses the whole sheet just to open it): the same sheet, header row
    and notes as reading.open_table, for the fast path only (its rows are read by xlsx_batches).
    The sheet is parsed once; its columns stay on the table. None when the file is anything but a
    plain workbook: then open_table decides."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    from twintrack.imports.columns import normalise_header

    name = source_name(source, name)
    if extension_of(name) != ".xlsx":
        return None
    with open_binary(source) as handle:
        if not handle.read(8).startswith(ZIP_MAGIC):
            return None
        handle.seek(0)
        try:
            check_package(handle, name)
            handle.seek(0)
            worksheets = [m for m in CalamineWorkbook.from_filelike(handle).sheets_metadata
                          if m.typ == SheetTypeEnum.WorkSheet]  # the workbook's parts only, no sheet
            visible = [m for m in worksheets if m.visible == SheetVisibleEnum.Visible]
            if not visible:
                return None
            names = sheet_names(kind)
            chosen = next((m for m in visible if normalise_header(m.name) in names), visible[0]).name
            handle.seek(0)
            if not _plain_cells(handle, chosen):
                return None
            handle.seek(0)
            header, columns = _sheet_columns(handle.read(), chosen)
        except (DamagedFile, FileRefused, NotColumnar):
            return None
        except Exception:  # noqa: BLE001 - whatever calamine says, the general reader decides
            return None
    table = _table(name, iter(_head(header, columns)), kind, sheet=chosen)
    table.opened = columns
    table.estimated_rows = len(next(iter(columns.values()))) if columns else 0
    if len(worksheets) > 1:
        table.notes.insert(0, _("read the sheet %(sheet)s; the workbook's other sheets were not read")
                           % {"sheet": f'"{chosen}"'})
    return table


def _head(header: list[str], columns: dict) -> list[tuple[int, list]]:
    """The sheet's first rows as the general reader gives them (row number, cells up to the last
    with a value), for reading._table to find the header in."""
    rows = [(1, _trimmed(header))]
    for offset in range(HEADER_SCAN_ROWS + 1):
        cells = [columns[i][offset].as_py() for i in range(len(header)) if offset < len(columns[i])]
        if not cells:
            break
        rows.append((offset + 2, _trimmed(cells)))
    return rows


def _trimmed(row: list) -> list:
    """A row's cells up to its last one with a value."""
    end = len(row)
    while end and row[end - 1] == "":
        end -= 1
    return list(row[:end])
