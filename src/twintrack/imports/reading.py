"""Reading an import file (.csv or .xlsx) into a header and a stream of rows.

Rows come out one at a time, each with the row number a person sees in Excel, so that a
file of a million rows never sits in memory as Python objects. Cells come out as text,
except date cells of an .xlsx, which stay `date`/`datetime` for the field parsers:

- numbers become their exact decimal text (330402.0 -> "330402", 1234.5 -> "1234.5");
- booleans become "true"/"false";
- fully empty rows are skipped, and so are total rows (合计, 总计, 小计), with a note;
- the header is the row among the first ten that names the most known columns (a merged
  title row above it is skipped, with a note); a row of units under it (（万元）) is read
  with it, as Excel and WPS templates have a two-row header;
- an .xlsx formula cell without a saved result comes out as `UNSAVED_FORMULA`, which the
  importer refuses; of a workbook, the sheet named after the kind (`progress`, 进度...) is
  read, or else the first visible one; hidden sheets never are.

CSV text may be UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK: the file is
checked strictly as UTF-8 first and read as GB18030 otherwise. The delimiter is a comma
unless the header line has none but has tabs or semicolons.
"""
from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import math
import os
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, Iterator

from django.utils.translation import gettext as _

from twintrack.filecheck import ZIP_MAGIC, DamagedFile, FileRefused, check_package
from twintrack.imports.errors import FileRejected
from twintrack.imports.fields import UNSAVED_FORMULA, Cell, as_text

EXTENSIONS = (".csv", ".xlsx")
CHUNK = 1 << 20
HEADER_SCAN_ROWS = 10
MAX_COLUMNS = 200
LINE_LIMIT = 1 << 20
LISTED_TOTAL_ROWS = 10

# Sheet names recognised for a kind, besides its key: the Chinese names of the templates.
SHEET_NAMES = {
    "orgunits": ("组织机构", "行政区划", "单位", "地区"),
    "enterprises": ("企业", "企业名录", "企业清单"),
    "targets": ("目标", "指标目标", "年度目标"),
    "projects": ("项目", "项目清单", "项目库"),
    "progress": ("进度", "项目进度", "月度进度", "进度填报"),
    "energy": ("节能", "节能量", "能源", "分能源品种节能量"),
}
TOTAL_WORDS = {"合计", "总计", "小计", "共计", "total", "subtotal", "grandtotal"}
_TOTAL_STARTS = frozenset("合总小共TtSsGg")


Source = str | os.PathLike | BinaryIO


def source_name(source: Source, name: str | None = None) -> str:
    if name:
        return name
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    return getattr(source, "name", None) or "upload"


def extension_of(name: str) -> str:
    return Path(name).suffix.lower()


@contextlib.contextmanager
def open_binary(source: Source) -> Iterator[BinaryIO]:
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            yield handle
    else:
        source.seek(0)
        yield source


def check_file(source: Source, name: str) -> str:
    """The file's extension ('.csv' or '.xlsx') after the file-level checks."""
    ext = extension_of(name)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.exists():
            raise FileRejected(_("%(file)s: no such file") % {"file": name})
        if path.is_dir():
            raise FileRejected(_("%(file)s is a directory, not a file") % {"file": name})
    if ext not in EXTENSIONS:
        if ext in (".xls", ".et", ".ods", ".numbers"):
            raise FileRejected(_("%(file)s: only .csv and .xlsx files can be imported; save the workbook "
                                 "as .xlsx (Excel Workbook) first") % {"file": name})
        raise FileRejected(_("%(file)s: only .csv and .xlsx files can be imported") % {"file": name})
    return ext


# --- cells -------------------------------------------------------------------

def number_text(value: float | int | Decimal) -> str:
    """The exact decimal text of a number cell: 330402.0 -> '330402', 0.1 -> '0.1'."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        value = Decimal(repr(value))
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def normalise_cell(value) -> Cell:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return number_text(value)
    if isinstance(value, (datetime, date)):
        return value
    if isinstance(value, time):
        return value.isoformat()
    return str(value)


def is_blank_row(cells: list[Cell]) -> bool:
    for cell in cells:
        if cell.__class__ is str:
            if cell and not cell.isspace() and as_text(cell):
                return False
        elif cell is not None:
            return False
    return True


# --- tables ---------------------------------------------------------------------

@dataclass
class Table:
    """An opened file: header cells, the header's row number, and a one-pass row stream."""

    name: str
    header: list[str]
    header_row: int
    rows: Iterator[tuple[int, list[Cell]]]
    estimated_rows: int | None = None
    encoding: str | None = None
    delimiter: str | None = None  # of a CSV file
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)  # what was read or skipped, for the result
    plain_header: bool = True  # the header is one row (no units row under it, no title above it)
    opened: object = None  # a workbook's sheet as the column reader opened it (imports.columnar)
    _closers: list = field(default_factory=list)

    def close(self) -> None:
        for closer in reversed(self._closers):
            closer()
        self._closers.clear()


@contextlib.contextmanager
def open_table(source: Source, kind, name: str | None = None) -> Iterator[Table]:
    """Open a .csv or .xlsx file; raises FileRejected for file-level problems. `kind` is the
    kind being read (its key, columns and own sheet names find the sheet and the header row),
    or just its key."""
    name = source_name(source, name)
    ext = check_file(source, name)
    table = _open_csv(source, name, kind) if ext == ".csv" else _open_xlsx(source, name, kind)
    try:
        yield table
    finally:
        table.close()


def _key(kind) -> str:
    return kind if isinstance(kind, str) else kind.name


def _known_headers(kind) -> set[str]:
    from twintrack.imports.columns import normalise_header

    columns = () if isinstance(kind, str) else (*kind.columns, *getattr(kind, "reference_columns", ()))
    return {normalise_header(name) for column in columns for name in (column.key, column.label_zh)}


def _width(cells: list[Cell]) -> int:
    width = len(cells)
    while width and as_text(cells[width - 1]) == "":
        width -= 1
    return width


def _matches(cells: list[Cell], known: set[str]) -> int:
    from twintrack.imports.columns import normalise_header

    return sum(1 for cell in cells[:MAX_COLUMNS] if isinstance(cell, str) and normalise_header(cell) in known)


def _is_unit(cell: Cell) -> bool:
    text = as_text(cell)
    return not text or (text[0] in "(（" and text[-1] in ")）" and len(text) <= 12)


def _with_units(header: list[Cell], units: list[Cell]) -> list[str]:
    """A two-row header: each name with the unit under it; a name merged over several units
    stands in the leftmost cell, so an empty name takes the one on its left."""
    names = [as_text(c) for c in header] + [""] * max(len(units) - len(header), 0)
    combined, last = [], ""
    for index, name in enumerate(names):
        unit = as_text(units[index]) if index < len(units) else ""
        last = name or (last if unit else "")
        combined.append(last + unit if unit else name)
    return combined


def _header(rows: Iterator[tuple[int, list[Cell]]], name: str, kind
            ) -> tuple[int, list[str], Iterator[tuple[int, list[Cell]]], list[str]]:
    """(header row, header, data rows, notes): the row among the first few naming the most
    known columns, with a row of units under it when there is one."""
    head: list[tuple[int, list[Cell]]] = []
    for number, cells in rows:
        if not is_blank_row(cells):
            head.append((number, cells))
            if len(head) >= HEADER_SCAN_ROWS or _width(cells) > MAX_COLUMNS:
                break
    if not head:
        raise FileRejected(_("%(file)s is empty: the first row must be the header") % {"file": name})
    for number, cells in head:
        if _width(cells) > MAX_COLUMNS:
            raise FileRejected(_("%(file)s, row %(row)d: %(count)d columns, more than the %(max)d an import file "
                                 "can have; check that this is the file you meant")
                               % {"file": name, "row": number, "count": _width(cells), "max": MAX_COLUMNS})
    known = _known_headers(kind)
    scores = [_matches(cells, known) for _, cells in head]
    best = max(range(len(head)), key=lambda i: (scores[i], -i)) if max(scores) else 0
    number, cells = head[best]
    header, notes, after = [as_text(c) for c in cells], [], best + 1
    if best:
        notes.append(_("the header is row %(row)d: the rows above it (a title) were skipped") % {"row": number})
    if after < len(head) and any(as_text(c) for c in head[after][1]) and all(_is_unit(c) for c in head[after][1]):
        header = _with_units(cells, head[after][1])
        notes.append(_("the header is rows %(first)d-%(second)d: each column's name with the unit under it")
                     % {"first": number, "second": head[after][0]})
        after += 1
    return number, header, itertools.chain(head[after:], rows), notes


def total_label(cells: list[Cell]) -> str | None:
    """The word of a total row (合计, 总计...) when the row's first non-empty cell is one."""
    for index in range(min(len(cells), 3)):
        cell = cells[index]
        if cell.__class__ is not str:
            return None
        if cell:
            if cell[0] not in _TOTAL_STARTS and not cell[0].isspace():
                return None  # most rows: a code or a name, told apart by its first character
            folded = "".join(cell.split()).lower()
            return folded if folded.rstrip(":：") in TOTAL_WORDS else None
    return None


def _data_rows(rows: Iterator[tuple[int, list[Cell]]], notes: list[str]) -> Iterator[tuple[int, list[Cell]]]:
    skipped = 0
    for number, cells in rows:
        if is_blank_row(cells):
            continue
        label = total_label(cells)
        if label is None:
            yield number, cells
            continue
        skipped += 1
        if skipped <= LISTED_TOTAL_ROWS:
            notes.append(_("row %(row)d is a total row (%(label)s) and was skipped: totals are computed, "
                           "not imported") % {"row": number, "label": label})
    if skipped > LISTED_TOTAL_ROWS:
        notes.append(_("... and %(more)d more total rows skipped") % {"more": skipped - LISTED_TOTAL_ROWS})


def _table(name: str, rows, kind, **details) -> Table:
    header_row, header, rest, notes = _header(rows, name, kind)
    table = Table(name, header, header_row, iter(()), **details)
    table.notes = notes
    table.plain_header = not notes
    table.rows = _data_rows(rest, table.notes)
    return table


# --- CSV ------------------------------------------------------------------------

def _line_of(handle: BinaryIO, offset: int) -> int:
    handle.seek(0)
    line, read = 1, 0
    while read < offset:
        chunk = handle.read(min(CHUNK, offset - read))
        if not chunk:
            break
        line += chunk.count(b"\n")
        read += len(chunk)
    return line


def _decodes(handle: BinaryIO, encoding: str) -> tuple[bool, int, int]:
    """(decodes strictly, byte offset of the first bad byte, newline count)."""
    handle.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = lines = 0
    while True:
        chunk = handle.read(CHUNK)
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            return False, offset + max(error.start, 0), lines
        if not chunk:
            return True, offset, lines
        offset += len(chunk)
        lines += chunk.count(b"\n")


def detect_encoding(handle: BinaryIO, name: str) -> tuple[str, int]:
    """('utf-8-sig' | 'utf-16' | 'gb18030', number of lines). UTF-8 is tried strictly first."""
    handle.seek(0)
    head = handle.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        ok, offset, lines = _decodes(handle, "utf-16")
        if ok:
            return "utf-16", lines
    ok, offset, lines = _decodes(handle, "utf-8-sig")
    if ok:
        return "utf-8-sig", lines
    ok, offset, lines = _decodes(handle, "gb18030")
    if ok:
        return "gb18030", lines
    raise FileRejected(_("%(file)s, line %(line)d: the text is neither UTF-8 nor GB18030/GBK; save the file "
                         "as CSV UTF-8") % {"file": name, "line": _line_of(handle, offset)})


def _sniff_delimiter(text: io.TextIOBase) -> str:
    for line in text:
        if line.strip().strip(",;\t"):
            if "," in line:
                return ","
            if "\t" in line:
                return "\t"
            if ";" in line:
                return ";"
            return ","
    return ","


def _refuse_workbook_or_long_line(handle: BinaryIO, name: str) -> None:
    """A workbook renamed to .csv, or a first line too long to be a header (millions of cells)."""
    handle.seek(0)
    head = handle.read(LINE_LIMIT)
    if head.startswith(ZIP_MAGIC):
        raise FileRejected(_("%(file)s is an Excel workbook, not a CSV file: save it as .xlsx (or rename it to "
                             ".xlsx) and import that") % {"file": name})
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected(_("%(file)s is an old-style .xls workbook, not a CSV file: save it as .xlsx "
                             "(Excel Workbook) and import that") % {"file": name})
    if len(head) == LINE_LIMIT and b"\n" not in head and b"\r" not in head:
        raise FileRejected(_("%(file)s: the first line is longer than 1 MB, so it is not a header row; save the "
                             "sheet as CSV from Excel or WPS, one row per line") % {"file": name})


def _bounded_lines(text: io.TextIOBase, name: str) -> Iterator[str]:
    """The file's lines, refusing one longer than LINE_LIMIT before it fills the memory as cells."""
    readline = text.readline
    number = 0
    while True:
        line = readline(LINE_LIMIT)
        if not line:
            return
        number += 1
        if len(line) >= LINE_LIMIT and line[-1] not in "\r\n":
            raise FileRejected(_("%(file)s, line %(line)d is longer than 1 MB, so it is not a row of a table; save "
                                 "the sheet as CSV from Excel or WPS, one row per line") % {"file": name, "line": number})
        yield line


def _open_csv(source: Source, name: str, kind) -> Table:
    stack = contextlib.ExitStack()
    handle = stack.enter_context(open_binary(source))
    try:
        if not handle.read(1):
            raise FileRejected(_("%(file)s is empty: the first row must be the header") % {"file": name})
        _refuse_workbook_or_long_line(handle, name)
        encoding, lines = detect_encoding(handle, name)
        handle.seek(0)
        text = io.TextIOWrapper(handle, encoding=encoding, newline="")
        stack.callback(lambda: text.detach() if not text.closed else None)
        delimiter = _sniff_delimiter(text)
        text.seek(0)
        reader = csv.reader(_bounded_lines(text, name), delimiter=delimiter)

        def records() -> Iterator[tuple[int, list[Cell]]]:
            number = 0
            try:
                for number, cells in enumerate(reader, start=1):
                    yield number, cells
            except csv.Error as error:
                raise FileRejected(_("%(file)s, row %(row)d: not readable as CSV (%(detail)s)")
                                   % {"file": name, "row": number + 1, "detail": error})

        table = _table(name, records(), kind, encoding=encoding, delimiter=delimiter, _closers=[stack.close])
        table.estimated_rows = max(lines - table.header_row, 0) + 1
        return table
    except BaseException:
        stack.close()
        raise


# --- XLSX -------------------------------------------------------------------------

def _corrupt(name: str, error: Exception) -> FileRejected:
    """The parser's own words are not shown: they name server paths and XML internals, and
    nobody can act on them; what a clerk can do is save the workbook again."""
    return FileRejected(_("%(file)s is not a readable .xlsx workbook: it is damaged or not a workbook; open it "
                          "in Excel or WPS, save it as .xlsx and import the copy") % {"file": name})


def _open_xlsx(source: Source, name: str, kind) -> Table:
    import openpyxl

    stack = contextlib.ExitStack()
    handle = stack.enter_context(open_binary(source))
    try:
        head = handle.read(8)
        handle.seek(0)
        if not head:
            raise FileRejected(_("%(file)s is empty: the first row must be the header") % {"file": name})
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise FileRejected(_("%(file)s is an old-style .xls workbook or a password-protected one: save it "
                                 "as an unprotected .xlsx (Excel Workbook)") % {"file": name})
        if head.startswith(ZIP_MAGIC):
            try:
                check_package(handle, name)
            except DamagedFile:
                pass  # openpyxl says what is wrong with it, below
            except FileRefused as refused:
                raise FileRejected(refused.message) from None
        try:
            with warnings.catch_warnings():  # "no default style", unsupported extensions: not the user's concern
                warnings.simplefilter("ignore")
                workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except (zipfile.BadZipFile, zipfile.LargeZipFile):
            raise FileRejected(_("%(file)s is not a readable .xlsx workbook (it is not a valid zip archive): "
                                 "save it again as .xlsx in Excel or WPS") % {"file": name}) from None
        except Exception as error:  # openpyxl raises many kinds for a damaged workbook
            raise _corrupt(name, error)
        stack.callback(workbook.close)
        sheet = _sheet_for(workbook, name, kind)
        estimate = sheet.max_row if isinstance(sheet.max_row, int) else None
        sheet.reset_dimensions()  # dimensions written by other tools may be wrong

        fast = _fast_rows(workbook, sheet)

        def records() -> Iterator[tuple[int, list[Cell]]]:
            try:
                yield from (fast if fast is not None else _openpyxl_rows(sheet))
            except FileRejected:
                raise
            except Exception as error:
                raise _corrupt(name, error)

        table = _table(name, records(), kind, sheet=sheet.title, _closers=[stack.close])
        table.estimated_rows = max(estimate - table.header_row, 0) if estimate else None
        if len(workbook.worksheets) > 1:
            table.notes.insert(0, _("read the sheet %(sheet)s; the workbook's other sheets were not read")
                               % {"sheet": f'"{sheet.title}"'})
        return table
    except BaseException:
        stack.close()
        raise


def sheet_names(kind) -> set[str]:
    """The kind's key, its names in SHEET_NAMES and a kind's own `sheet_names`, if it has them."""
    from twintrack.imports.columns import normalise_header

    key, own = _key(kind), tuple(getattr(kind, "sheet_names", ()))
    return {normalise_header(n) for n in (key, *SHEET_NAMES.get(key.lower(), ()), *own)}


def _sheet_for(workbook, name: str, kind):
    """The visible sheet named after the kind (its key or Chinese name), else the first visible one."""
    from twintrack.imports.columns import normalise_header

    if not workbook.worksheets:
        raise FileRejected(_("%(file)s has no worksheet") % {"file": name})
    visible = [s for s in workbook.worksheets if getattr(s, "sheet_state", "visible") == "visible"]
    if not visible:
        raise FileRejected(_("%(file)s has no visible worksheet") % {"file": name})
    names = sheet_names(kind)
    return next((s for s in visible if normalise_header(s.title) in names), visible[0])


# --- a faster row loop over the sheet XML ------------------------------------------------------
#
# openpyxl's read-only rows cost about 60 microseconds each; the loop below reads the same
# sheet XML with ElementTree in about a quarter of that. It relies on openpyxl for everything
# else (the package structure, shared strings, which styles are dates, the 1900/1904 epoch) and
# follows its cell rules (WorkSheetParser.parse_cell with data_only=True). Where openpyxl's
# internals are not as expected, the plain openpyxl rows are used instead.

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_COLUMN_CACHE: dict[str, int] = {}


def _column_index(ref: str) -> int:
    letters = ref.rstrip("0123456789")
    index = _COLUMN_CACHE.get(letters)
    if index is None:
        index = 0
        for char in letters.upper():
            index = index * 26 + ord(char) - 64
        _COLUMN_CACHE[letters] = index
    return index


def _fast_rows(workbook, sheet) -> Iterator[tuple[int, list[Cell]]] | None:
    try:
        from openpyxl.utils.datetime import from_ISO8601, from_excel

        shared = sheet._shared_strings
        date_styles = set(workbook._date_formats)
        timedelta_styles = set(getattr(workbook, "_timedelta_formats", ()))
        epoch = workbook.epoch
        open_source = sheet._get_source
    except AttributeError:  # pragma: no cover - another openpyxl version
        return None

    ROW, CELL, VALUE, INLINE = _MAIN_NS + "row", _MAIN_NS + "c", _MAIN_NS + "v", _MAIN_NS + "is"
    TEXT, RUN, FORMULA = _MAIN_NS + "t", _MAIN_NS + "r", _MAIN_NS + "f"

    def inline_text(cell) -> str | None:
        node = cell.find(INLINE)
        if node is None:
            return None
        parts = []
        for child in node:
            if child.tag == TEXT:
                parts.append(child.text or "")
            elif child.tag == RUN:
                parts.append(child.findtext(TEXT) or "")
        return "".join(parts)

    def value_of(cell):
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            return inline_text(cell)
        text = cell.findtext(VALUE) or None
        if text is None:
            if cell.find(FORMULA) is not None and (kind == "n" or cell.find(VALUE) is None):
                return UNSAVED_FORMULA  # Excel saves a result with every formula; a program may not
            return None
        if kind == "n":
            number = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
            style = cell.get("s")
            if style and int(style) in date_styles:
                try:
                    return from_excel(number, epoch, timedelta=int(style) in timedelta_styles)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return shared[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return text  # str (a formula's text result), e (an error such as #N/A)

    SHEET_DATA = _MAIN_NS + "sheetData"

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        from xml.etree.ElementTree import iterparse

        with open_source() as source:
            number = 0
            parent = None
            events = iterparse(source, events=("start", "end"))
            event, root = next(events)
            if not root.tag.startswith(_MAIN_NS):  # not the usual namespace: let openpyxl read it
                yield from _openpyxl_rows(sheet)
                return
            for event, element in events:
                if event == "start":
                    if element.tag == SHEET_DATA:
                        parent = element
                    continue
                if element.tag != ROW:
                    continue
                ref = element.get("r")
                number = int(float(ref)) if ref else number + 1
                cells: list[Cell] = []
                column = 0
                for cell in element:
                    if cell.tag != CELL:
                        continue
                    ref = cell.get("r")
                    column = _column_index(ref) if ref else column + 1
                    value = value_of(cell)
                    if value is None:
                        continue
                    while len(cells) < column - 1:
                        cells.append("")
                    cells.append(normalise_cell(value))
                if parent is not None:
                    parent.clear()
                yield number, cells

    return rows()


def _openpyxl_rows(sheet) -> Iterator[tuple[int, list[Cell]]]:
    for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        yield number, [normalise_cell(v) for v in values]
