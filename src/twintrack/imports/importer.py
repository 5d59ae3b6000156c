"""Importing one file: read, check every row, then write all of it or nothing.

    result = import_file("progress", "/path/progress-2023-07.xlsx")
    print(result.summary())          # progress: 1200 rows read, 1100 created, 100 updated, 0 unchanged

`ImportRejected` (with `.messages`, one `row N, column KEY: reason` line per problem, up to
1,000) is raised when anything is wrong; then nothing has been written. `FileRejected`, a
subclass, is for problems with the file as a whole.

Rows stream from the file. Files up to `KEEP_ROWS` rows are checked once and their
validated values kept for writing; longer files are checked in a first pass that keeps
only the natural keys, then read again and written batch by batch inside the same
transaction, so a million-row file never sits in memory and is still all or nothing.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from twintrack.imports.columns import match_header
from twintrack.imports.errors import FileRejected, ImportRejected, Problems
from twintrack.imports.fields import as_text
from twintrack.imports.kinds import KINDS, Context, Kind, Record
from twintrack.imports.reading import Source, open_table, source_name

KEEP_ROWS = 200_000
BATCH = 5000
WRITE_BATCH = 10000


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

    def summary(self) -> str:
        values = {"kind": self.kind, "rows": self.rows_read, "created": self.created, "updated": self.updated,
                  "unchanged": self.unchanged}
        if self.dry_run:
            return _("%(kind)s: %(rows)d rows read, %(created)d would be created, %(updated)d updated, "
                     "%(unchanged)d unchanged (dry run: nothing was written)") % values
        return _("%(kind)s: %(rows)d rows read, %(created)d created, %(updated)d updated, "
                 "%(unchanged)d unchanged") % values


def kind_names() -> str:
    return ", ".join(KINDS)


def get_kind(kind: str) -> Kind:
    cls = KINDS.get((kind or "").strip().lower())
    if cls is None:
        raise FileRejected(_("unknown kind %(kind)s: use one of %(kinds)s") % {"kind": f'"{kind}"', "kinds": kind_names()})
    return cls()


def _fingerprint(source: Source):
    if isinstance(source, (str, os.PathLike)):
        stat = os.stat(source)
        return stat.st_size, stat.st_mtime_ns
    return None


class _Pass:
    """One pass over the file's rows: parse, check for duplicates, resolve in batches."""

    def __init__(self, importer: Kind, ctx: Context, width: int, progress: ProgressHook | None,
                 keep_limit: int | None, on_values=None):
        self.importer, self.ctx, self.width, self.progress = importer, ctx, width, progress
        self.keep_limit = keep_limit
        self.on_values = on_values  # called with each batch of validated values (the writing pass)
        self.rows_read = 0
        self.kept: list | None = []
        self.records: list[Record] = []  # every record, for kinds checked over the whole file
        self.seen: dict = {}
        self.unheaded_reported: set[int] = set()

    def run(self, rows) -> None:
        importer, ctx = self.importer, self.ctx
        positions = list(ctx.header.positions.items())
        extra = ctx.header.unheaded
        batch: list[Record] = []
        for number, cells in rows:
            self.rows_read += 1
            count = len(cells)
            record = Record(number, {key: cells[i] if i < count else "" for key, i in positions})
            if extra or count > self.width:
                self._check_unheaded(record, cells)
            importer.parse(record, ctx)
            key = importer.natural_key(record)
            if key is not None:
                first = self.seen.setdefault(key, number)
                if first != number:
                    ctx.error(record, importer.key[0], _("duplicate of row %(row)d") % {"row": first})
            batch.append(record)
            if len(batch) >= BATCH:
                self._flush(batch)
                batch = []
        self._flush(batch)
        if importer.keep_all:
            importer.finish(self.records, ctx)
            self.kept = [r.out for r in self.records if r.out is not None]
            if self.on_values is not None:
                self.on_values(self.kept)

    def _check_unheaded(self, record: Record, cells: list) -> None:
        for index, cell in enumerate(cells):
            if (index >= self.width or index in self.ctx.header.unheaded) and index not in self.unheaded_reported:
                if as_text(cell):
                    self.unheaded_reported.add(index)
                    self.ctx.problems.add(record.row, get_column_letter(index + 1),
                                          _("this cell has a value but its column has no header"), index)
                    record.bad = True

    def _flush(self, batch: list[Record]) -> None:
        if not batch:
            return
        self.importer.resolve(batch, self.ctx)
        if self.importer.keep_all:
            self.records.extend(batch)
        else:
            outs = [r.out for r in batch if r.out is not None]
            if self.on_values is not None:
                self.on_values(outs)
            elif self.kept is not None:
                if self.keep_limit is not None and self.rows_read > self.keep_limit:
                    self.kept = None  # too many to hold: the writing pass reads the file again
                else:
                    self.kept.extend(outs)
        if self.progress is not None:
            self.progress.advance(len(batch))


def _header(importer: Kind, table, problems: Problems):
    header = match_header(table.header, importer.columns, importer.alternatives, table.header_row, problems)
    if problems:
        raise problems.rejection()
    return header


def import_file(kind: str, source: Source, *, name: str | None = None, reason: str = "", user=None,
                progress: ProgressHook | None = None, dry_run: bool = False,
                keep_rows: int = KEEP_ROWS) -> ImportResult:
    """Import one .csv or .xlsx file of `kind`; all or nothing. Raises ImportRejected."""
    importer = get_kind(kind)
    name = source_name(source, name)
    with open_table(source, importer.name, name) as table:
        fingerprint = _fingerprint(source)
        importer.prepare()
        problems = Problems()
        header = _header(importer, table, problems)
        check = _Pass(importer, Context(problems, header), len(table.header), progress, keep_rows)
        if progress is not None:
            progress.start(_("checking"), table.estimated_rows)
        try:
            check.run(table.rows)
        finally:
            if progress is not None:
                progress.finish()
    if check.rows_read == 0:
        raise FileRejected(_("%(file)s has a header but no data rows") % {"file": name})
    if problems:
        raise problems.rejection()

    reason = reason or f"import {importer.name} {Path(name).name}"[:100]
    counts = [0, 0, 0]

    def write(values: list) -> None:
        for start in range(0, len(values), WRITE_BATCH):
            c, u, n = importer.write(values[start:start + WRITE_BATCH], reason, user)
            counts[0] += c
            counts[1] += u
            counts[2] += n

    with transaction.atomic():
        if check.kept is not None:
            write(check.kept)
        else:
            _write_by_reading_again(importer, source, kind, name, fingerprint, progress, write)
        if dry_run:
            transaction.set_rollback(True)
    return ImportResult(importer.name, name, check.rows_read, counts[0], counts[1], counts[2], dry_run)


def _write_by_reading_again(importer: Kind, source: Source, kind: str, name: str, fingerprint, progress,
                            write) -> None:
    with open_table(source, importer.name, name) as table:
        if _fingerprint(source) != fingerprint:
            raise FileRejected(_("%(file)s changed while it was being imported; nothing was written")
                               % {"file": name})
        problems = Problems()
        header = _header(importer, table, problems)
        pending: list = []

        def collect(values: list) -> None:
            pending.extend(values)
            if len(pending) >= WRITE_BATCH:
                write(pending)
                pending.clear()

        again = _Pass(importer, Context(problems, header), len(table.header), progress, None, on_values=collect)
        if progress is not None:
            progress.start(_("writing"), table.estimated_rows)
        try:
            again.run(table.rows)
        finally:
            if progress is not None:
                progress.finish()
        if problems:  # the database changed under us (a project deleted meanwhile, ...)
            raise problems.rejection()
        write(pending)


__all__ = ["ImportRejected", "FileRejected", "ImportResult", "import_file", "KINDS"]
