"""Reading a plain CSV file in column batches with a C parser (pyarrow), for a kind's fast path.

The general reader (reading.py) turns every row into Python objects, which costs several
microseconds a row: too much for a month-end file of a million rows. A kind that can check
and write whole columns (`Kind.import_columns`) gets the file's cells here instead, as
pyarrow string arrays keyed by column key, a batch at a time (memory stays flat).

Only the plain file is read this way: UTF-8, the header on the first line, one row per line,
every row with the header's number of cells, no line breaks inside a cell. Anything else
raises `NotColumnar`, and the caller reads the file the general way, which also names each
problem by its row. Each data row's number is its line's, so the i-th row read (0-based) is
row `first_row + i`.
"""
from __future__ import annotations

from typing import Iterator

from twintrack.imports.reading import Source, Table, open_binary

BLOCK_SIZE = 8 << 20  # bytes of the file per batch: ~200,000 progress rows


class NotColumnar(Exception):
    """The file is not plain enough to read in columns: read it the general way."""


def plain_csv(table: Table) -> bool:
    """Whether `table` (opened by reading.open_table) is a CSV file the column reader takes."""
    return (table.sheet is None and table.encoding == "utf-8-sig" and table.delimiter is not None
            and table.header_row == 1 and not table.notes)


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
