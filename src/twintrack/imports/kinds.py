"""What an import kind is: its columns, its row rules, its references, its writing.

The engine knows no domain: each app declares its kinds (`orgs/importing.py`,
`enterprises/importing.py`, `programme/importing.py`, `energy/importing.py`,
`supervision/importing.py`), and the caller passes the kinds it offers to `import_file`.
Each kind parses a row's cells without the database (`parse`), then resolves references
for a batch of rows with a few queries (`resolve`), then, for org units, checks the whole
file (`finish`). Writing goes through the services only (`write`), which keep the
history and the rollups exact and skip unchanged rows. After `resolve`, the kind's
`row_checks` run on the batch, in their order: `check(records, ctx)` reports problems with
ctx.error(record, column, reason), which also keeps the row from being written.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

from twintrack.imports.columns import Alternative, Column
from twintrack.imports.fields import FieldError

Values = Any


class Record:
    """One data row on its way through validation."""

    __slots__ = ("row", "cells", "values", "bad", "out")

    def __init__(self, row: int, cells: dict):
        self.row = row
        self.cells = cells      # column key -> cell as read
        self.values: dict = {}  # column key -> parsed value (missing when the cell is bad)
        self.bad = False
        self.out = None         # the *Values for the service, when the row is good


class Context:
    """What a kind needs while validating: where to report problems, the header map, and the
    duplicate finder: `duplicate(record, column, key)` reports the row when its key was seen
    (exactly, with the first row's number), `duplicate(record, column, key, rescan_key)` uses
    the kind's compact `seen_before` index and names the first row after reading again."""

    def __init__(self, problems, header, duplicate=None, user=None):
        self.problems = problems
        self.header = header
        self.user = user  # who imports (None from the command line): row checks may limit them to their scope
        self.duplicate = duplicate or (lambda record, column, key, rescan_key=None: None)

    def error(self, record: Record, column: str, reason: str) -> None:
        record.bad = True
        self.problems.add(record.row, column, reason, self.header.position(column))


class Kind:
    name: str = ""
    columns: tuple[Column, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    # Columns a pre-filled template writes beside the data for the person filling it (a project's
    # name, last month's figures): recognised in the header, never read, so they cannot change anything.
    reference_columns: tuple[Column, ...] = ()
    key: tuple[str, ...] = ()
    keep_all = False  # whole-file checks need every row in memory
    write_batch = 5000  # rows per call of the service
    row_checks: tuple[Callable[[list["Record"], "Context"], None], ...] = ()  # run after resolve, in order

    def start(self, user) -> None:
        """Called once per import, before `prepare`, with who imports (None from the command line)."""

    def prepare(self) -> None:
        """Load small reference tables once per import."""

    def field(self, record: Record, ctx: Context, key: str, parser, *args, **kwargs):
        """Parse one cell into record.values[key]; a FieldError becomes a problem."""
        if key not in ctx.header.positions:
            return None
        try:
            value = parser(record.cells.get(key, ""), *args, **kwargs)
        except FieldError as error:
            ctx.error(record, key, error.reason)
            return None
        record.values[key] = value
        return value

    def amount(self, record: Record, ctx: Context, alt: Alternative, parser, **kwargs):
        """Whichever of an Alternative's two columns the file has, as one value under alt.key."""
        if alt.key in ctx.header.positions:
            column, ten_thousands = alt.key, False
        elif alt.other in ctx.header.positions:
            column, ten_thousands = alt.other, True
        else:
            record.values[alt.key] = None
            return None
        try:
            value = parser(record.cells.get(column, ""), ten_thousands=ten_thousands, **kwargs)
        except FieldError as error:
            ctx.error(record, column, error.reason)
            return None
        record.values[alt.key] = value
        return value

    def natural_key(self, record: Record):
        """The row's natural key (a value, or a tuple for composite keys), or None when a key cell is bad."""
        try:
            if len(self.key) == 1:
                return record.values[self.key[0]]
            return tuple(record.values[k] for k in self.key)
        except KeyError:
            return None

    def parse(self, record: Record, ctx: Context) -> None:
        """Parse every cell; the base class then checks the natural key for duplicates."""
        raise NotImplementedError

    def check_duplicate(self, record: Record, ctx: Context) -> None:
        key = self.natural_key(record)
        if key is not None:
            ctx.duplicate(record, self.key[0], key)

    def seen_before(self, key) -> bool:
        """The compact duplicate index (kinds that pass a rescan key to ctx.duplicate)."""
        raise NotImplementedError

    def rescan_key(self, record: Record):
        """The rescan key of a row read again (cells only), to name a duplicate's first row."""
        raise NotImplementedError

    def resolve(self, records: list[Record], ctx: Context) -> None:
        """Batch lookups in the database; set record.out on every good record."""
        raise NotImplementedError

    def import_columns(self, file, reason: str, user, progress):
        """The fast path for a plain file (importer.ColumnarFile): check and write it in whole
        columns inside the importer's transaction, answering an importer.ColumnarOutcome, or
        None to have it rolled back and the file read the general way (which names the
        problems). Only kinds that can do all their checks set-based have one."""
        return None

    def finish(self, records: list[Record], ctx: Context) -> None:
        """Checks over the whole file (only for kinds with keep_all)."""

    def write(self, outs: list, reason: str, user) -> tuple[int, int, int]:
        raise NotImplementedError

    def written_table(self) -> str | None:
        """A table of (project_id, year, month) of every row this import's `write` calls wrote,
        valid inside the import's transaction, for kinds that keep one (`Written.project_months`)."""
        return None


def good_records(records: list[Record]) -> list[Record]:
    """The rows that are ready to write so far: resolved, with no problem."""
    return [r for r in records if r.out is not None and not r.bad]


def refuse_inactive(good: list[Record], ctx: Context, model, field: str, key: Callable[[Record], Any],
                    column: str, reason: Callable[[Record], str]) -> None:
    """Row check: a row whose `key(record)` names a deactivated `model` row (looked up by `field`,
    one query) is a problem in `column`, saying `reason(record)`."""
    if not good:
        return
    deleted = set(model.objects.filter(**{f"{field}__in": {key(r) for r in good}, "is_active": False})
                  .values_list(field, flat=True))
    for record in good:
        if key(record) in deleted:
            ctx.error(record, column, reason(record))


def chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
