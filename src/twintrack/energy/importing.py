"""The `energy` import kind (data contract section 4) and the guard the progress kind gets.

Offered beside the five kinds of section 2 (twintrack.web.import_kinds), so `twintrack
import energy FILE` and the web upload take it like them: same reading, header matching,
row-numbered problems, all or nothing. Energy sits above programme, so the progress kind
with energy's guard (`ProgressKind` here) is declared here, not in programme.

A project-month's savings come either from progress.energy_saved_tce or from energy lines,
never both. Each side refuses a row that would give the other's month a second figure,
naming the row of the file and the project-month that already has the other.
"""
from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from twintrack.energy import conversions as cv
from twintrack.energy.models import EnergyLine
from twintrack.imports import fields as f
from twintrack.imports.columns import Column
from twintrack.imports.errors import ImportRejected
from twintrack.imports.fields import FieldError
from twintrack.approvals.services import refuse_locked_rows
from twintrack.imports.kinds import Context, Record, chunks
from twintrack.orgs.importing import ScopedKind
from twintrack.programme import importing as programme_importing
from twintrack.programme.access import refuse_project_month_rows_for_role
from twintrack.programme.lifecycle import refuse_deleted_project_rows
from twintrack.programme.models import Project

COEF_PLACES = Decimal("0.000001")
COEF_LIMIT = Decimal(10) ** 8  # DecimalField(max_digits=14, decimal_places=6)
QUANTITY_PLACES = Decimal("0.000001")
QUANTITY_LIMIT = Decimal(10) ** 18  # DecimalField(max_digits=24, decimal_places=6)


BASIS_WORDS = (gettext_noop("calorific"), gettext_noop("equal-value"))


def conversion_reason(error: cv.ConversionError) -> str:
    """A ConversionError's sentence in the active language (words among its values too)."""
    if not error.params:
        return _(error.reason)
    params = {k: _(v) if v in BASIS_WORDS else v for k, v in error.params.items()}
    return _(error.reason) % params


def both_reason_for_lines(code: str, month: tuple[int, int], tce) -> str:
    return _("project %(code)s already has a tce figure for %(month)s in its monthly progress "
             "(energy_saved_tce %(tce)s): a month's savings come either from progress or from energy lines, "
             "not both") % {"code": code, "month": f.format_month(*month), "tce": cv.display(tce)}


def both_reason_for_progress(code: str, month: tuple[int, int], carriers: list[str]) -> str:
    return _("project %(code)s already has energy lines for %(month)s (%(carriers)s): a month's savings come "
             "either from progress or from energy lines, not both; leave energy_saved_tce empty") % {
        "code": code, "month": f.format_month(*month), "carriers": ", ".join(carriers)}


class EnergyKind(ScopedKind):
    name = "energy"
    columns = (
        Column("project_code", "项目编号", True),
        Column("month", "月份", True),
        Column("carrier", "能源品种", True),
        Column("quantity_saved", "节约量", True),
        Column("unit", "计量单位"),
        Column("kgce_per_unit", "折标系数"),
    )
    key = ("project_code", "month", "carrier")
    row_checks = (refuse_project_month_rows_for_role, refuse_deleted_project_rows, refuse_locked_rows)
    write_batch = 5000

    model = EnergyLine  # whose access policy decides who may upload this kind (web uploads)

    def prepare(self) -> None:
        from twintrack.energy.services import Converter, carrier_choices, carrier_names

        today = timezone.localdate()
        self.current = (today.year, today.month)
        self.names = carrier_names()
        self.choices = carrier_choices()
        self.converter = Converter()
        self.projects: dict[str, tuple[int, int, int]] = {}  # code -> (id, org_id, start yyyymm)

    def _carrier(self, value) -> str:
        from twintrack.energy.services import normalise_name

        text = f.as_text(value)
        if not text:
            raise FieldError(_("a value is required"))
        key = self.names.get(normalise_name(text))
        if key is None:
            choices = ", ".join(f"{k} ({name})" for k, name in self.choices)
            raise FieldError(_("%(value)s is not an energy carrier of the coefficient table: use one of "
                               "%(choices)s") % {"value": f.quoted(value), "choices": choices})
        return key

    def parse(self, record: Record, ctx: Context) -> None:
        self.field(record, ctx, "project_code", f.parse_text, required=True)
        month = self.field(record, ctx, "month", f.parse_month)
        if month is not None and month > self.current:
            ctx.error(record, "month", _("%(value)s is after the current month (%(current)s)") % {
                "value": f.quoted(f.format_month(*month)), "current": f.format_month(*self.current)})
        self.field(record, ctx, "carrier", self._carrier)
        self.field(record, ctx, "quantity_saved", f.parse_amount, places=QUANTITY_PLACES, limit=QUANTITY_LIMIT,
                   minimum=">=0", required=True)
        self.field(record, ctx, "unit", f.parse_text, max_length=20)
        self.field(record, ctx, "kgce_per_unit", f.parse_amount, places=COEF_PLACES, limit=COEF_LIMIT,
                   minimum=">0")

    def _lookup(self, codes: set[str]) -> None:

        wanted = [c for c in codes if c not in self.projects]
        projects = self.scope.units(Project.objects.all(), "enterprise__org__path")
        if any(f.name == "is_active" for f in Project._meta.get_fields()):
            projects = projects.filter(is_active=True)  # a deleted (deactivated) project takes no lines
        for batch in chunks(wanted, 5000):
            for code, pid, org_id, start in (projects.filter(code__in=batch)
                                             .values_list("code", "id", "enterprise__org_id", "start_date")):
                self.projects[code] = (pid, org_id, start.year * 100 + start.month)

    def _convert(self, record: Record, ctx: Context, project, month, carrier):
        """Check that the line converts with the rules in force; its values for the service."""
        from twintrack.energy.services import EnergyLineValues, convert_values

        v = record.values
        try:
            coefficient = self.converter.coefficient(carrier, *month)
        except cv.ConversionError as error:
            ctx.error(record, "carrier", conversion_reason(error))
            return None
        try:
            unit, _multiple = cv.unit_multiple(v.get("unit", ""), coefficient.unit)
        except cv.ConversionError as error:
            ctx.error(record, "unit", conversion_reason(error))
            return None
        values = EnergyLineValues(project[0], project[1], month[0], month[1], carrier, v["quantity_saved"], unit,
                                  v.get("kgce_per_unit"), "")
        try:
            convert_values(values, self.converter)
        except cv.ConversionError as error:
            ctx.error(record, "kgce_per_unit", conversion_reason(error))
            return None
        return values

    def resolve(self, records: list[Record], ctx: Context) -> None:
        from twintrack.energy.services import progress_with_tce

        self._lookup({r.values["project_code"] for r in records if "project_code" in r.values})
        for record in records:
            v = record.values
            code, month, carrier = v.get("project_code"), v.get("month"), v.get("carrier")
            project = self.projects.get(code) if code is not None else None
            if code is not None and project is None:
                ctx.error(record, "project_code", _("no project has code %(code)s") % {"code": f.quoted(code)})
            if project is not None and month is not None and month[0] * 100 + month[1] < project[2]:
                ctx.error(record, "month", _("%(value)s is before the project's start month %(start)s") % {
                    "value": f.quoted(f.format_month(*month)),
                    "start": f.format_month(project[2] // 100, project[2] % 100)})
            if record.bad or project is None or month is None or carrier is None:
                continue
            record.out = self._convert(record, ctx, project, month, carrier)
        good = [r for r in records if r.out is not None and not r.bad]
        clashes = progress_with_tce({(r.out.project_id, r.out.year, r.out.month) for r in good})
        for record in good:
            tce = clashes.get((record.out.project_id, record.out.year, record.out.month))
            if tce is not None:
                ctx.error(record, "month", both_reason_for_lines(record.values["project_code"],
                                                                 record.values["month"], tce))
                record.out = None

    def write(self, outs: list, reason: str, user) -> tuple[int, int, int]:
        from twintrack.energy.services import DoubleCounting, save_energy_lines

        try:
            result = save_energy_lines(outs, reason, user, self.converter)
        except DoubleCounting as clash:  # progress written meanwhile by another import
            raise ImportRejected([_("nothing was imported: %(count)d project-months got a progress tce figure "
                                    "while this file was checked") % {"count": len(clash.clashes)}])
        return result.created, result.updated, result.unchanged


def refuse_progress_tce_where_lines_exist(records: list[Record], ctx: Context) -> None:
    """Row check for the progress kind: energy_saved_tce for a project-month with energy lines."""
    from twintrack.energy.services import months_with_lines

    giving = [r for r in records if r.out is not None and not r.bad and r.out.energy_saved_tce is not None]
    if not giving:
        return
    lines = months_with_lines({(r.out.project_id, r.out.year, r.out.month) for r in giving})
    for record in giving:
        carriers = lines.get((record.out.project_id, record.out.year, record.out.month))
        if carriers:
            ctx.error(record, "energy_saved_tce", both_reason_for_progress(
                record.values["project_code"], (record.out.year, record.out.month), carriers))


def no_tce_where_lines_exist(cursor, user) -> bool:
    """refuse_progress_tce_where_lines_exist, set-based over the fast path's stage."""
    from twintrack.programme.bulk import PROGRESS

    cursor.execute(f"SELECT 1 FROM {PROGRESS.stage} s WHERE s.energy_saved_tce IS NOT NULL AND EXISTS "
                   f"(SELECT 1 FROM {EnergyLine._meta.db_table} l WHERE l.project_id = s.project_id "
                   f"AND l.year = s.year AND l.month = s.month) LIMIT 1")
    return cursor.fetchone() is None


class ProgressKind(programme_importing.ProgressKind):
    """The progress kind, also refusing tce for a project-month with energy lines (before the lock check)."""

    row_checks = (refuse_project_month_rows_for_role, refuse_deleted_project_rows,
                  refuse_progress_tce_where_lines_exist, refuse_locked_rows)
    column_checks = {**programme_importing.ProgressKind.column_checks,
                     refuse_progress_tce_where_lines_exist: no_tce_where_lines_exist}
