"""Reading a plain file in column batches, for a kind's fast path: CSV with a C parser
(pyarrow), XLSX with python-calamine (Rust).

The general reader (reading.py) turns every row into Python objects, which costs several
microseconds a row: too much for a month-end file of a million rows. A kind that can check
and write whole columns (`Kind.import_columns`) gets the file's cells here instead, as
pyarrow string arrays keyed by column key, a batch at a time (memory stays flat).

Only the plain file is read this way. A CSV file: UTF-8, the header on the first line, one row
per line, every row with the header's number of cells, no line breaks inside a cell. A
workbook: the header in row 1 of the sheet the general reader chose (no title or units row),
no formula anywhere (openpyxl tells a formula without a saved result, calamine cannot), no
date cell, no cell right of the header. Anything else raises `NotColumnar`, and the caller
reads the file the general way, which also names each problem by its row. The i-th data row
read (0-based) is row `first_row(table) + i`, the number people see.
"""
from __future__ import annotations

import re
import zipfile
from typing import Iterator

from django.utils.translation import gettext as _

from twintrack.filecheck import ZIP_MAGIC, DamagedFile, FileRefused, check_package
from twintrack.imports.reading import (HEADER_SCAN_ROWS, Source, Table, _table, extension_of, normalise_cell,
                                       open_binary, sheet_names, source_name)

BLOCK_SIZE = 8 << 20  # bytes of the file per batch: ~200,000 progress rows
XLSX_BATCH = 100_000  # rows per batch of a workbook
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


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


def _has_formulas(handle) -> bool:
    """Whether any worksheet of the workbook has a formula (read in compressed chunks)."""
    with zipfile.ZipFile(handle) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with package.open(name) as part:
                    tail = b""
                    while chunk := part.read(1 << 20):
                        if (b"f" in tail or b"<f" in chunk or b":f" in chunk) and _FORMULA.search(tail + chunk):
                            return True
                        tail = chunk[-16:]
    return False


def _text(cell) -> str:
    """A calamine cell as the general reader gives it (reading.normalise_cell); a date is not plain."""
    if cell.__class__ is str:
        return cell
    if cell.__class__ is float:
        if abs(cell) >= 2 ** 53:  # openpyxl keeps the text's exact integer
            raise NotColumnar("a number beyond a float's integers")
        if cell.is_integer():
            return str(int(cell))
        text = repr(cell)  # reading.number_text's digits, when there is no exponent
        if "e" not in text:
            return text
    value = normalise_cell(cell)
    if value.__class__ is not str:
        raise NotColumnar("a date cell")
    return value


def _column(cells: list):
    """A column of calamine cells as a pyarrow string array, as _text gives each cell: a column of
    text or of numbers converted at once; anything else (mixed, a date, an exponent) cell by cell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        array = pa.array([None if cell == "" else cell for cell in cells])
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        array = None
    if array is not None and (pa.types.is_string(array.type) or pa.types.is_null(array.type)):
        return pc.fill_null(array.cast(pa.string()), "")
    if array is not None and pa.types.is_floating(array.type):
        in_range = pc.less(pc.abs(pc.fill_null(array, 0.0)), 2.0 ** 53)
        text = pc.fill_null(array.cast(pa.string()), "")
        if pc.all(in_range).as_py() and not pc.any(pc.match_substring(text, "e")).as_py():
            return text  # the shortest digits that read back the same: repr's, reading.number_text's
    return pa.array([_text(cell) for cell in cells], pa.string())


def xlsx_batches(source: Source, table: Table, positions: dict[str, int]) -> Iterator[dict]:
    """As csv_batches, for the sheet of a workbook the general reader chose, read by python-calamine."""
    import pyarrow as pa
    from python_calamine import CalamineWorkbook

    if not plain_table(table) or table.sheet is None:
        raise NotColumnar("not a plain workbook")
    width = len(table.header)
    with open_binary(source) as handle:
        if _has_formulas(handle):
            raise NotColumnar("formulas")
        handle.seek(0)
        try:
            sheet = table.opened or CalamineWorkbook.from_filelike(handle).get_sheet_by_name(table.sheet)
        except Exception as error:  # noqa: BLE001 - whatever calamine says, the general reader decides
            raise NotColumnar(str(error)) from None
        if sheet.start != (0, 0) or sheet.width > width:
            raise NotColumnar("the sheet's cells are not where the header says")
        rows = sheet.iter_rows()
        next(rows, None)  # the header
        wanted = sorted(set(positions.values()) | set(range(min(width, 3))))
        while True:
            batch = [row for _n, row in zip(range(XLSX_BATCH), rows)]
            if not batch:
                return
            arrays = {index: _column([row[index] if index < len(row) else "" for row in batch]) for index in wanted}
            columns = {key: arrays[i] for key, i in positions.items()}
            columns["_first_columns"] = [arrays[i] for i in range(min(width, 3))]
            yield columns


def _trimmed(row: list) -> list:
    """A row's cells up to its last one with a value, as the general reader gives them."""
    end = len(row)
    while end and row[end - 1] == "":
        end -= 1
    return [normalise_cell(cell) for cell in row[:end]]


def open_workbook(source: Source, kind, name: str | None = None) -> Table | None:
    """A workbook's header read by python-calamine, without openpyxl (which, for a sheet saved
    without its dimensions, parses the whole sheet just to open it): the same sheet, header row
    and notes as reading.open_table, for the fast path only (its rows are read by xlsx_batches).
    None when the file is anything but a plain workbook calamine opens: then open_table decides."""
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
            workbook = CalamineWorkbook.from_filelike(handle)
            worksheets = [m for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
            visible = [m for m in worksheets if m.visible == SheetVisibleEnum.Visible]
            if not visible:
                return None
            names = sheet_names(kind)
            chosen = next((m for m in visible if normalise_header(m.name) in names), visible[0]).name
            sheet = workbook.get_sheet_by_name(chosen)
        except (DamagedFile, FileRefused):
            return None
        except Exception:  # noqa: BLE001 - whatever calamine says, the general reader decides
            return None
    if sheet.start != (0, 0):
        return None
    head = [(number, _trimmed(row)) for number, row in zip(range(1, HEADER_SCAN_ROWS + 3), sheet.iter_rows())]
    if any(cell.__class__ is not str for _n, cells in head for cell in cells):
        return None  # a date among the first rows: the general reader tells what it is
    table = _table(name, iter(head), kind, sheet=chosen)
    table.opened = sheet
    table.estimated_rows = max(sheet.height - table.header_row, 0)
    if len(worksheets) > 1:
        table.notes.insert(0, _("read the sheet %(sheet)s; the workbook's other sheets were not read")
                           % {"sheet": f'"{chosen}"'})
    return table
