"""Importing one file: read, check every row, then write all of it or nothing.

    result = import_file("progress", "/path/progress-2023-07.xlsx", kinds=IMPORT_KINDS)
    print(result.summary())          # progress: 1200 rows read, 1100 created, 100 updated, 0 unchanged

`ImportRejected` (with `.messages`, one `row N, column KEY: reason` line per problem, up to
1,000) is raised when anything is wrong; then nothing has been written. `FileRejected`, a
subclass, is for problems with the file as a whole.

Memory stays bounded whatever the file's length: rows stream from the file and are checked
in batches; the validated values are pickled, batch by batch, into a spooled temporary file
(in memory while small, on disk beyond `SPOOL_MEMORY`) and written from there, inside one
transaction, only once the whole file has passed. Duplicate keys are found with a dict for
most kinds and with per-month bitmaps of project ids for progress (programme/importing.py).
"""
from __future__ import annotations

import logging
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Mapping, Protocol

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter

from twintrack.imports.columnar import NotColumnar, batches, open_workbook, plain_table
from twintrack.imports.columns import HeaderMap, match_header
from twintrack.imports.errors import MAX_PROBLEMS, FileRejected, ImportRejected, Problems
from twintrack.imports.fields import UnsavedFormula, as_text
from twintrack.imports.kinds import Context, Kind, Record
from twintrack.imports.reading import Source, Table, open_table, source_name
from twintrack.sql import wait_for_other_writers

logger = logging.getLogger(__name__)

BATCH = 5000
SPOOL_MEMORY = 32 * 1024 * 1024
KEEP_ROWS = 100_000
PENDING_DUPLICATES = 2 * MAX_PROBLEMS


class ProgressHook(Protocol):
    def start(self, phase: str, total: int | None) -> None: ...
    def advance(self, rows: int) -> None: ...
    def finish(self) -> None: ...


@dataclass
class ImportResult:
    kind: str
    file: str
    rows_read: int
    created: int
    updated: int
    unchanged: int
    dry_run: bool = False
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the file was read: its sheet, header, skipped rows

    def summary(self, label: str | None = None) -> str:
        """One line: the kind's key (the command line, for scripts) or `label` (pages, for people)."""
        values = {"kind": label or self.kind, "rows": self.rows_read, "created": self.created,
                  "updated": self.updated, "unchanged": self.unchanged}
        if self.dry_run:
            return ngettext("%(kind)s: %(rows)d row read, %(created)d would be created, %(updated)d updated, "
                            "%(unchanged)d unchanged (dry run: nothing was written)",
                            "%(kind)s: %(rows)d rows read, %(created)d would be created, %(updated)d updated, "
                            "%(unchanged)d unchanged (dry run: nothing was written)", self.rows_read) % values
        return ngettext("%(kind)s: %(rows)d row read, %(created)d created, %(updated)d updated, "
                        "%(unchanged)d unchanged",
                        "%(kind)s: %(rows)d rows read, %(created)d created, %(updated)d updated, "
                        "%(unchanged)d unchanged", self.rows_read) % values


Kinds = Mapping[str, type[Kind]]  # name -> kind: what the caller offers (twintrack.web.import_kinds)


def kind_names(kinds: Kinds) -> str:
    return ", ".join(kinds)


def get_kind(kind: str, kinds: Kinds) -> Kind:
    cls = kinds.get((kind or "").strip().lower())
    if cls is None:
        raise FileRejected(_("unknown kind %(kind)s: use one of %(kinds)s") % {"kind": f'"{kind}"',
                                                                              "kinds": kind_names(kinds)})
    return cls()


class Spool:
    """Validated values, batch by batch: kept as objects up to `keep_rows`, then pickled into a
    temporary file (in memory while small, on disk beyond `max_memory`)."""

    def __init__(self, max_memory: int = SPOOL_MEMORY, keep_rows: int = KEEP_ROWS):
        self.max_memory, self.keep_rows = max_memory, keep_rows
        self.kept: list[list] = []
        self.kept_rows = 0
        self.file = None
        self.batches = 0

    def add(self, values: list) -> None:
        if not values:
            return
        if self.file is None and self.kept_rows + len(values) <= self.keep_rows:
            self.kept.append(values)
            self.kept_rows += len(values)
            return
        if self.file is None:
            self.file = tempfile.SpooledTemporaryFile(max_size=self.max_memory)
            for kept in self.kept:
                self._dump(kept)
            self.kept = []
        self._dump(values)

    def _dump(self, values: list) -> None:
        pickle.dump((type(values[0]), [tuple(v.__dict__.values()) for v in values]), self.file,
                    protocol=pickle.HIGHEST_PROTOCOL)
        self.batches += 1

    def __iter__(self) -> Iterator[list]:
        if self.file is None:
            yield from self.kept
            return
        self.file.seek(0)
        for _batch in range(self.batches):
            cls, rows = pickle.load(self.file)
            yield [cls(*row) for row in rows]

    def close(self) -> None:
        self.kept = []
        if self.file is not None:
            self.file.close()


@dataclass
class Written:
    """What a project-month file (progress) wrote: its months and the enterprises' units, and
    `rows_of(keys)`, which reads the file again to find the row of each (project code, year,
    month) asked for (only when a caller has something to say about them)."""

    months: set = field(default_factory=set)
    org_ids: set = field(default_factory=set)
    rows_of: Callable[[set], dict] | None = None
    # a table of (project_id, year, month), one row per row of the file, when the writer kept
    # one (valid inside the import's transaction): the warnings then read only these rows
    project_months: str | None = None


@dataclass
class ColumnarFile:
    """A plain file handed to a kind's fast path (Kind.import_columns): `batches()` gives its
    columns, a batch at a time (imports.columnar)."""

    source: Source
    table: Table
    header: HeaderMap

    def batches(self):
        return batches(self.source, self.table, self.header.positions)


@dataclass
class ColumnarOutcome:
    rows_read: int
    created: int
    updated: int
    unchanged: int
    written: Written | None = None


class _FallBack(Exception):
    """The fast path declined: roll back what it did and read the file the general way."""


def _has_fast_path(importer: Kind) -> bool:
    return type(importer).import_columns is not Kind.import_columns


def _import_columns(importer: Kind, file: ColumnarFile, name: str, reason: str, user, progress,
                    dry_run: bool, warn) -> ImportResult | None:
    """The kind's fast path, when it has one and the file is plain; None to go the general way."""
    if not _has_fast_path(importer) or not plain_table(file.table):
        return None
    if progress is not None:  # one transaction checks and writes: no progress is shown from inside it
        progress.start(_("checking and writing"), file.table.estimated_rows)
    try:
        with transaction.atomic():
            wait_for_other_writers(f"twintrack import {importer.name}")
            outcome = importer.import_columns(file, reason, user, progress)
            if outcome is None:
                raise _FallBack
            warnings = []
            if warn is not None and outcome.written is not None and outcome.written.months:
                warnings = _warnings(warn, outcome.written)
            if dry_run:
                transaction.set_rollback(True)
    except (_FallBack, NotColumnar):
        return None
    finally:
        if progress is not None:
            progress.finish()
    return ImportResult(importer.name, name, outcome.rows_read, outcome.created, outcome.updated, outcome.unchanged,
                        dry_run, warnings, list(file.table.notes))


def _open_workbook_columns(importer: Kind, source: Source, name: str, reason: str, user, progress, dry_run: bool,
                           warn) -> ImportResult | None:
    """A workbook for a kind with a fast path, opened by fastexcel alone (no openpyxl unless the
    fast path declines)."""
    if not _has_fast_path(importer):
        return None
    table = open_workbook(source, importer, name)
    if table is None:
        return None
    importer.prepare()
    problems = Problems()
    header = match_header(table.header, importer.columns, importer.alternatives, table.header_row, problems,
                          importer.reference_columns)
    if problems:
        return None  # the general reader says what is wrong
    return _import_columns(importer, ColumnarFile(source, table, header), name, reason, user, progress, dry_run,
                           warn)


def _rows_of(source: Source, importer: Kind, name: str, header_positions: dict, keys: set) -> dict:
    """(project code, year, month) -> the first row of the file that has it, for the keys asked."""
    found: dict = {}
    if not keys:
        return found
    positions = list(header_positions.items())
    with open_table(source, importer, name) as table:
        for number, cells in table.rows:
            count = len(cells)
            record = Record(number, {key: cells[i] if i < count else "" for key, i in positions})
            key = importer.rescan_key(record)
            if key is not None and key[1] is not None:
                wanted = (key[0], key[1][0], key[1][1])
                if wanted in keys and wanted not in found:
                    found[wanted] = number
                    if len(found) == len(keys):
                        break
    return found


class _Check:
    """One pass over the file's rows: parse, find duplicates, resolve references in batches."""

    def __init__(self, importer: Kind, header: HeaderMap, problems: Problems, width: int,
                 progress: ProgressHook | None, spool: Spool):
        self.importer, self.problems, self.width, self.progress, self.spool = (
            importer, problems, width, progress, spool)
        self.ctx = Context(problems, header, self._duplicate)
        self.rows_read = 0
        self.records: list[Record] = []  # every record, for kinds checked over the whole file
        self.first_rows: dict = {}
        self.pending: list[tuple[int, object]] = []  # (row, rescan key) of duplicates whose first row is unknown
        self.unheaded_reported: set[int] = set()
        self.written: Written | None = None  # what the file writes, for a caller's `warn` hook

    def _remember(self, batch: list[Record]) -> None:
        """The months and units the file writes to: two small sets, whatever its length."""
        months, org_ids = self.written.months, self.written.org_ids
        try:
            for record in batch:
                out = record.out
                if out is not None and not record.bad:
                    months.add((out.year, out.month))
                    org_ids.add(out.org_id)
        except AttributeError:  # a kind whose rows are not project-months: nothing to warn about
            self.written = None

    def _duplicate(self, record: Record, column: str, key, rescan_key=None) -> None:
        """Called by kinds for each row's natural key; reports the row when the key was seen."""
        if rescan_key is None:  # exact: remember the first row of every key
            first = self.first_rows.setdefault(key, record.row)
            if first != record.row:
                self.ctx.error(record, column, _("duplicate of row %(row)d") % {"row": first})
            return
        if self.importer.seen_before(key):  # compact: the first row is found by reading again
            record.bad = True
            if len(self.pending) < PENDING_DUPLICATES:
                self.pending.append((record.row, rescan_key))
            else:
                self.ctx.error(record, column, _("duplicate of an earlier row"))

    def run(self, rows, workbook: bool = False) -> None:
        importer, ctx = self.importer, self.ctx
        positions = list(ctx.header.positions.items())
        unheaded = ctx.header.unheaded
        width = self.width
        batch: list[Record] = []
        for number, cells in rows:
            self.rows_read += 1
            count = len(cells)
            record = Record(number, {key: cells[i] if i < count else "" for key, i in positions})
            if workbook:
                self._refuse_unsaved_formulas(record)
            if unheaded or count > width:
                self._check_unheaded(record, cells)
            importer.parse(record, ctx)
            importer.check_duplicate(record, ctx)
            batch.append(record)
            if len(batch) >= BATCH:
                self._flush(batch)
                batch = []
        self._flush(batch)
        if importer.keep_all:
            importer.finish(self.records, ctx)
            self.spool.add([r.out for r in self.records if r.out is not None])

    def _refuse_unsaved_formulas(self, record: Record) -> None:
        for key, cell in record.cells.items():
            if cell.__class__ is UnsavedFormula:
                self.ctx.error(record, key, _("formula without a saved result; open and save the file in Excel/WPS"))
                self.problems.silence(record.row, key)

    def _check_unheaded(self, record: Record, cells: list) -> None:
        for index, cell in enumerate(cells):
            if (index >= self.width or index in self.ctx.header.unheaded) and index not in self.unheaded_reported:
                if as_text(cell):
                    self.unheaded_reported.add(index)
                    self.problems.add(record.row, get_column_letter(index + 1),
                                      _("this cell has a value but its column has no header"), index)
                    record.bad = True

    def _flush(self, batch: list[Record]) -> None:
        if not batch:
            return
        self.importer.resolve(batch, self.ctx)
        for check in self.importer.row_checks:
            check(batch, self.ctx)
        if self.written is not None:
            self._remember(batch)
        if self.importer.keep_all:
            self.records.extend(batch)
        elif not self.problems and not self.pending:
            self.spool.add([r.out for r in batch if r.out is not None and not r.bad])
        if self.progress is not None:
            self.progress.advance(len(batch))

    def report_pending_duplicates(self, table: Table) -> None:
        """Read the file again to name the first row of each duplicate found by the compact index."""
        wanted = {key for _, key in self.pending}
        first: dict = {}
        positions = list(self.ctx.header.positions.items())
        for number, cells in table.rows:
            count = len(cells)
            record = Record(number, {key: cells[i] if i < count else "" for key, i in positions})
            key = self.importer.rescan_key(record)
            if key in wanted and key not in first:
                first[key] = number
                if len(first) == len(wanted):
                    break
        column = self.importer.key[0]
        for row, key in self.pending:
            self.problems.add(row, column, _("duplicate of row %(row)d") % {"row": first.get(key, 0)},
                              self.ctx.header.position(column))


def _warnings(warn, written: Written) -> list[str]:
    """The caller's warnings; a fault in them never costs the import (it is logged instead)."""
    try:
        return warn(written)
    except Exception:  # noqa: BLE001 - warnings never block an import
        logger.exception("the import's warning hook failed")
        return [_("warning: the data-quality checks could not be run (details in the error log)")]


def _with_notes(rejected: ImportRejected, notes: list[str]) -> ImportRejected:
    """A refusal that also says how the file was read (which sheet, which header row)."""
    rejected.notes = list(notes)
    return rejected


def import_file(kind: str, source: Source, *, kinds: Kinds, name: str | None = None, reason: str = "", user=None,
                progress: ProgressHook | None = None, dry_run: bool = False,
                spool_memory: int | None = None, keep_rows: int | None = None,
                warn: Callable[[Written], list[str]] | None = None) -> ImportResult:
    """Import one .csv or .xlsx file of `kind`, one of `kinds`; all or nothing. Raises ImportRejected.

    `warn`, given by a caller above this layer (data quality) for kinds whose rows have a
    project and a month, is called inside the transaction once everything is written (before
    a dry run rolls back) with what the file wrote (`Written`), and answers warning lines for
    the result; it never refuses anything. Nothing per row is kept for it."""
    importer = get_kind(kind, kinds)
    importer.start(user)
    name = source_name(source, name)
    spool = Spool(SPOOL_MEMORY if spool_memory is None else spool_memory,
                  KEEP_ROWS if keep_rows is None else keep_rows)
    reason = reason or f"import {importer.name} {Path(name).name}"[:100]
    try:
        fast = _open_workbook_columns(importer, source, name, reason, user, progress, dry_run, warn)
        if fast is not None:
            return fast
        with open_table(source, importer, name) as table:
            importer.prepare()
            problems = Problems()
            header = match_header(table.header, importer.columns, importer.alternatives, table.header_row, problems,
                                  importer.reference_columns)
            if problems:
                raise _with_notes(problems.rejection(), table.notes)
            if table.sheet is None:  # a workbook had its chance in _open_workbook_columns
                fast = _import_columns(importer, ColumnarFile(source, table, header), name, reason, user, progress,
                                       dry_run, warn)
                if fast is not None:
                    return fast
            check = _Check(importer, header, problems, len(table.header), progress, spool)
            check.ctx.user = user
            if warn is not None and type(importer).rescan_key is not Kind.rescan_key:
                check.written = Written()
            notes = table.notes
            if progress is not None:
                progress.start(_("checking"), table.estimated_rows)
            try:
                check.run(table.rows, workbook=table.sheet is not None)
            finally:
                if progress is not None:
                    progress.finish()
        if check.rows_read == 0:
            raise FileRejected(_("%(file)s has a header but no data rows") % {"file": name})
        if check.pending:
            with open_table(source, importer, name) as table:
                check.report_pending_duplicates(table)
        if problems:
            raise _with_notes(problems.rejection(), notes)

        created = updated = unchanged = 0
        if progress is not None:
            progress.start(_("writing"), check.rows_read)
        with transaction.atomic():
            wait_for_other_writers(f"twintrack import {importer.name}")
            pending: list = []
            for values in spool:
                pending.extend(values)
                if len(pending) >= importer.write_batch:
                    c, u, n = importer.write(pending, reason, user)
                    created, updated, unchanged = created + c, updated + u, unchanged + n
                    if progress is not None:
                        progress.advance(len(pending))
                    pending = []
            if pending:
                c, u, n = importer.write(pending, reason, user)
                created, updated, unchanged = created + c, updated + u, unchanged + n
            warnings = []
            if check.written is not None and check.written.months:
                positions = dict(check.ctx.header.positions)
                check.written.rows_of = lambda keys: _rows_of(source, importer, name, positions, keys)
                check.written.project_months = importer.written_table()
                warnings = _warnings(warn, check.written)
            if dry_run:
                transaction.set_rollback(True)
    finally:
        spool.close()
        if progress is not None:
            progress.finish()
    return ImportResult(importer.name, name, check.rows_read, created, updated, unchanged, dry_run, warnings, notes)


__all__ = ["ImportRejected", "FileRejected", "ImportResult", "Written", "import_file", "kind_names"]
