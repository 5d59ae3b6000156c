"""The `targets`, `projects` and `progress` import kinds (data contract section 2)."""
from __future__ import annotations

from datetime import date

from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from twintrack.approvals.services import MonthLocked, refuse_locked, refuse_locked_rows
from twintrack.enterprises.importing import lookup_uscc
from twintrack.enterprises.models import Enterprise
from twintrack.imports import fields as f
from twintrack.imports.columns import Alternative, Column
from twintrack.imports.fields import Cell, FieldError
from twintrack.imports.kinds import Context, Record, chunks
from twintrack.figures import METRICS, metric_from_label
from twintrack.programme.contributions import contributions_of_projects
from twintrack.orgs.models import OrgUnit
from twintrack.orgs.importing import ScopedKind, no_org, org_ids_by_code, taken_outside
from twintrack.programme import bulk, fastprogress
from twintrack.programme.access import (refuse_project_month_rows_for_role, refuse_project_rows_for_role,
                                        refuse_target_rows_for_role)
from twintrack.programme.lifecycle import refuse_deleted_in_projects, refuse_deleted_project_rows
from twintrack.programme.models import (PROJECT_KIND_ZH, PROJECT_STATUS_ZH, Progress, Project, ProjectKind,
                                        ProjectStatus)
from twintrack.programme.services import (ProgressValues, ProjectValues, TargetValues, save_progress, save_projects,
                                          save_targets)
from twintrack.sql import rows_where_in, year_month


def parse_metric(value: Cell) -> str:
    """A metric key or Chinese label from the contract's section 3."""
    text = f.as_text(value)
    if not text:
        raise FieldError(_("a value is required"))
    key = metric_from_label(text) or metric_from_label(f._fold(text).lower())
    if key is None:
        choices = ", ".join(f"{m.key} ({m.label_zh})" for m in METRICS)
        raise FieldError(_("%(value)s is not a metric: use one of %(choices)s")
                         % {"value": f.quoted(value), "choices": choices})
    return key


# --- targets ----------------------------------------------------------------------------

class Targets(ScopedKind):
    name = "targets"
    columns = (
        Column("org_code", "地区代码", True),
        Column("metric", "指标", True),
        Column("year", "年度", True),
        Column("through_month", "截至月份", True),
        Column("value", "目标值", True),
    )
    key = ("org_code", "metric", "year", "through_month")
    row_checks = (refuse_target_rows_for_role,)

    def prepare(self) -> None:
        self.orgs = org_ids_by_code(self.scope)

    def parse(self, record: Record, ctx: Context) -> None:
        org_code = self.field(record, ctx, "org_code", f.parse_text, required=True)
        if org_code is not None and org_code not in self.orgs:
            ctx.error(record, "org_code", no_org(org_code))
        self.field(record, ctx, "metric", parse_metric)
        self.field(record, ctx, "year", f.parse_year)
        self.field(record, ctx, "through_month", f.parse_month_number)
        self.field(record, ctx, "value", f.parse_target_value)

    def resolve(self, records: list[Record], ctx: Context) -> None:
        for record in records:
            if not record.bad:
                v = record.values
                record.out = TargetValues(self.orgs[v["org_code"]], v["metric"], v["year"], v["through_month"],
                                          v["value"])

    def write(self, outs: list, reason: str, user) -> tuple[int, int, int]:
        created = updated = unchanged = 0
        for chunk in chunks(outs, 5000):
            result = save_targets(chunk, reason, user)
            created, updated, unchanged = (created + result.created, updated + result.updated,
                                           unchanged + result.unchanged)
        return created, updated, unchanged


# --- projects -----------------------------------------------------------------------------

def _launched_key(org_id: int, start: date, status: str):
    """Where a project counts as launched: its unit and start month (a cancelled one counts nowhere)."""
    return None if status == ProjectStatus.CANCELLED else (org_id, start.year, start.month)


def _changed_months(project: Project, out: ProjectValues) -> tuple[set, str]:
    """The (unit, year, month) whose figures a change of the project alters, and the column that alters them."""
    old_org = project.enterprise.org_id
    if old_org != out.org_id:  # its figures move to another unit, every month of them
        months = {(y, m) for (_org, y, m), totals in contributions_of_projects({"id": project.id}).items() if totals}
        months.add((project.start_date.year, project.start_date.month))
        return {(org, y, m) for org in (old_org, out.org_id) for (y, m) in months}, "uscc"
    old = _launched_key(old_org, project.start_date, project.status)
    new = _launched_key(out.org_id, out.start_date, out.status)
    if old == new:
        return set(), ""
    column = "status" if (old is None) != (new is None) else "start_date"
    return {key for key in (old, new) if key is not None}, column


def refuse_locked_project_changes(records, ctx) -> None:
    """projects rows that would change an approved month's figures (a project cancelled or counted again,
    its start month moved, or moved to another unit), refused as progress rows for that month are."""
    good = [r for r in records if r.out is not None and not r.bad]
    if not good:
        return
    existing = {p.code: p for p in Project.objects.filter(code__in={r.out.code for r in good}, is_active=True)
                .select_related("enterprise")}
    for record in good:
        project = existing.get(record.out.code)
        if project is None:
            continue
        keys, column = _changed_months(project, record.out)
        try:
            refuse_locked(keys)
        except MonthLocked as locked:
            ctx.error(record, column, locked.message)


class Projects(ScopedKind):
    name = "projects"
    columns = (
        Column("code", "项目编号", True),
        Column("uscc", "统一社会信用代码", True),
        Column("title", "项目名称", True),
        Column("kind", "改造类型", True),
        Column("category", "项目类别"),
        Column("start_date", "开工日期", True),
        Column("planned_end_date", "计划完工日期"),
        Column("planned_investment_yuan", "计划总投资（元）"),
        Column("planned_investment_10k_yuan", "计划总投资（万元）"),
        Column("status", "项目状态", True),
    )
    alternatives = (Alternative("planned_investment_yuan", "planned_investment_10k_yuan", False),)
    key = ("code",)
    # scope first: such a row names nothing
    row_checks = (refuse_project_rows_for_role, refuse_deleted_in_projects, refuse_locked_project_changes)

    def prepare(self) -> None:
        self.kinds = f.Choices(PROJECT_KIND_ZH, dict(ProjectKind.choices))
        self.statuses = f.Choices(PROJECT_STATUS_ZH, dict(ProjectStatus.choices))
        self.enterprises: dict[str, tuple[int, int]] = {}  # uscc -> (id, org_id)

    def parse(self, record: Record, ctx: Context) -> None:
        self.field(record, ctx, "code", f.parse_text, required=True, max_length=64)
        uscc = self.field(record, ctx, "uscc", f.parse_text, required=True)
        if uscc is not None:
            record.values["uscc"] = lookup_uscc(uscc)
        self.field(record, ctx, "title", f.parse_text, required=True, max_length=300)
        self.field(record, ctx, "kind", f.parse_enum, self.kinds)
        self.field(record, ctx, "category", f.parse_text, max_length=100)
        start = self.field(record, ctx, "start_date", f.parse_date)
        end = self.field(record, ctx, "planned_end_date", f.parse_date, required=False)
        if start is not None and end is not None and end < start:
            ctx.error(record, "planned_end_date", _("%(value)s is before the start date %(start)s")
                      % {"value": f.quoted(end.isoformat()), "start": start.isoformat()})
        self.amount(record, ctx, self.alternatives[0], f.parse_yuan)
        self.field(record, ctx, "status", f.parse_enum, self.statuses)

    def resolve(self, records: list[Record], ctx: Context) -> None:
        wanted = {r.values["uscc"] for r in records if "uscc" in r.values} - set(self.enterprises)
        in_scope = self.scope.units(Enterprise.objects.filter(uscc__in=wanted), "org__path")
        for uscc, ent_id, org_id in in_scope.values_list("uscc", "id", "org_id"):
            self.enterprises[uscc] = (ent_id, org_id)
        taken = taken_outside(self.scope, Project, "code", {r.values["code"] for r in records if "code" in r.values},
                              "enterprise__org__path")
        codes = [r.values["code"] for r in records if "code" in r.values and "start_date" in r.values
                 and r.values["code"] not in taken]
        first_progress = dict(
            Progress.objects.filter(project__code__in=codes).values("project__code")
            .annotate(first=Min(F("year") * 100 + F("month"))).values_list("project__code", "first")
        ) if codes else {}
        for record in records:
            v = record.values
            if v.get("code") in taken:
                ctx.error(record, "code", _("project code %(code)s cannot be used; choose another code") % {
                    "code": f.quoted(v["code"])})
            uscc = v.get("uscc")
            if uscc is not None and uscc not in self.enterprises:
                try:
                    f.parse_uscc(record.cells.get("uscc"))
                    reason = _("no enterprise has unified social credit code %(uscc)s") % {"uscc": f.quoted(uscc)}
                except FieldError as error:
                    reason = error.reason
                ctx.error(record, "uscc", reason)
            start: date | None = v.get("start_date")
            first = first_progress.get(v.get("code"))
            if start is not None and first is not None and start.year * 100 + start.month > first:
                ctx.error(record, "start_date",
                          _("project %(code)s already has progress for %(month)s, before this start date") % {
                              "code": v["code"], "month": f.format_month(first // 100, first % 100)})
            if not record.bad:
                ent_id, org_id = self.enterprises[uscc]
                record.out = ProjectValues(v["code"], ent_id, org_id, v["title"], v["kind"], v.get("category", ""),
                                           start, v.get("planned_end_date"), v.get("planned_investment_yuan"),
                                           v["status"])

    def write(self, outs: list, reason: str, user) -> tuple[int, int, int]:
        created = updated = unchanged = 0
        for chunk in chunks(outs, 5000):
            result = save_projects(chunk, reason, user)
            created, updated, unchanged = (created + result.created, updated + result.updated,
                                           unchanged + result.unchanged)
        return created, updated, unchanged


# --- progress ------------------------------------------------------------------------------

class ProjectMonths:
    """Which (project id, month) keys a file has given: one bitmap of project ids per month,
    an eighth of a byte per key instead of a hundred for a dict entry."""

    DENSE_LIMIT = 1 << 28  # ids beyond this go to a set rather than a huge bitmap

    def __init__(self):
        self.bitmaps: dict[tuple[int, int], bytearray] = {}
        self.sparse: set = set()

    def seen_before(self, key: tuple[int, tuple[int, int]]) -> bool:
        project_id, month = key
        if project_id >= self.DENSE_LIMIT:
            if key in self.sparse:
                return True
            self.sparse.add(key)
            return False
        bits = self.bitmaps.get(month)
        if bits is None:
            bits = self.bitmaps[month] = bytearray()
        index, mask = project_id >> 3, 1 << (project_id & 7)
        if index >= len(bits):
            bits.extend(bytes(max(index + 1 - len(bits), len(bits) // 2, 4096)))
        if bits[index] & mask:
            return True
        bits[index] |= mask
        return False


class ProgressKind(ScopedKind):
    name = "progress"
    columns = (
        Column("project_code", "项目编号", True),
        Column("month", "月份", True),
        Column("investment_yuan", "完成投资（元）"),
        Column("investment_10k_yuan", "完成投资（万元）"),
        Column("energy_saved_tce", "节能量（吨标准煤）"),
        Column("note", "备注"),
    )
    alternatives = (Alternative("investment_yuan", "investment_10k_yuan", True),)
    reference_columns = (  # the pre-filled template's (web/prefilled.py): shown to the clerk, never read
        Column("project_title", "项目名称"),
        Column("enterprise_name", "企业名称"),
        Column("previous_investment_yuan", "上月完成投资（元）（仅供参考）"),
        Column("previous_energy_saved_tce", "上月节能量（吨标准煤）（仅供参考）"),
    )
    key = ("project_code", "month")
    row_checks = (refuse_project_month_rows_for_role, refuse_deleted_project_rows, refuse_locked_rows)
    # Each row check's set-based twin, for the fast path (fastprogress.py); a subclass adding a
    # row check adds its twin, or its files all go the general way.
    column_checks = {refuse_project_month_rows_for_role: fastprogress.role_may_report,
                     refuse_deleted_project_rows: fastprogress.no_deleted_projects,
                     refuse_locked_rows: fastprogress.no_locked_months}
    write_batch = 50_000
    CACHE_LIMIT = 200_000

    def prepare(self) -> None:
        today = timezone.localdate()
        self.current = (today.year, today.month)
        self.projects: dict[str, tuple[int, int, int]] = {}  # code -> (id, org_id, start yyyymm), bounded
        self.months = ProjectMonths()
        self.kept: str | None = None  # the table of what write() wrote, once it has written

    def parse(self, record: Record, ctx: Context) -> None:
        if self._parse_plain(record, ctx):
            return
        self.field(record, ctx, "project_code", f.parse_text, required=True)
        month = self.field(record, ctx, "month", f.parse_month)
        if month is not None and month > self.current:
            ctx.error(record, "month", _("%(value)s is after the current month (%(current)s)") % {
                "value": f.quoted(f.format_month(*month)), "current": f.format_month(*self.current)})
        self.amount(record, ctx, self.alternatives[0], f.parse_yuan, required=True)
        self.field(record, ctx, "energy_saved_tce", f.parse_tce)
        self.field(record, ctx, "note", f.parse_text, max_length=500)

    def _parse_plain(self, record: Record, ctx: Context) -> bool:
        """The common row, all cells plain ASCII in the canonical columns, read without the
        general machinery (a tenth of a million rows a second matters at month end). False
        sends the row the general way, which reads it the same or names what is wrong."""
        positions = ctx.header.positions
        if "investment_yuan" not in positions or "investment_10k_yuan" in positions:
            return False
        cells = record.cells
        code = f.plain_text(cells.get("project_code", ""))
        month = f.plain_month(cells.get("month", ""))
        invest = f.plain_amount(cells.get("investment_yuan", ""), f.YUAN_PLACES, f.YUAN_LIMIT)
        tce = f.plain_amount(cells.get("energy_saved_tce", ""), f.TCE_PLACES, f.TCE_LIMIT)
        note = cells.get("note", "")
        if (f.NOT_PLAIN in (code, month, invest, tce) or invest is None or month > self.current
                or note.__class__ is not str or (note and f.plain_text(note) is f.NOT_PLAIN) or len(note) > 500):
            return False
        values = record.values
        values["project_code"], values["month"], values["investment_yuan"] = code, month, invest
        if "energy_saved_tce" in positions:
            values["energy_saved_tce"] = tce
        if "note" in positions:
            values["note"] = note
        return True

    def import_columns(self, file, reason: str, user, progress):
        if any(check not in self.column_checks for check in self.row_checks):
            return None
        return fastprogress.import_columns(self, file, reason, user, progress,
                                           [self.column_checks[check] for check in self.row_checks])

    def check_duplicate(self, record: Record, ctx: Context) -> None:
        pass  # after the project is resolved, by id: see resolve()

    def seen_before(self, key) -> bool:
        return self.months.seen_before(key)

    def rescan_key(self, record: Record):
        try:
            return f.as_text(record.cells.get("project_code")), f.parse_month(record.cells.get("month"))
        except FieldError:
            return None

    def _lookup(self, codes: set[str]) -> None:
        wanted = [c for c in codes if c not in self.projects]
        if len(self.projects) + len(wanted) > self.CACHE_LIMIT:
            self.projects = {c: self.projects[c] for c in codes if c in self.projects}
        condition, params = self.scope.sql("o.path")
        sql = (f"SELECT p.code, p.id, e.org_id, p.start_date FROM {Project._meta.db_table} p "
               f"JOIN {Enterprise._meta.db_table} e ON e.id = p.enterprise_id "
               f"JOIN {OrgUnit._meta.db_table} o ON o.id = e.org_id WHERE p.code IN ({{in}}) AND {condition}")
        for code, pid, org_id, start in rows_where_in(sql, wanted, params):
            self.projects[code] = (pid, org_id, year_month(start))

    def resolve(self, records: list[Record], ctx: Context) -> None:
        self._lookup({r.values["project_code"] for r in records if "project_code" in r.values})
        projects = self.projects
        for record in records:
            v = record.values
            code = v.get("project_code")
            project = projects.get(code) if code is not None else None
            if code is not None and project is None:
                ctx.error(record, "project_code", _("no project has code %(code)s") % {"code": f.quoted(code)})
            month = v.get("month")
            if project is not None and month is not None:
                if month[0] * 100 + month[1] < project[2]:
                    ctx.error(record, "month", _("%(value)s is before the project's start month %(start)s") % {
                        "value": f.quoted(f.format_month(*month)),
                        "start": f.format_month(project[2] // 100, project[2] % 100)})
                ctx.duplicate(record, "project_code", (project[0], month), (code, month))
            if not record.bad:
                record.out = ProgressValues(project[0], project[1], month[0], month[1], v["investment_yuan"],
                                            v.get("energy_saved_tce"), v.get("note", ""))

    def write(self, outs: list, reason: str, user) -> tuple[int, int, int]:
        if self.kept is None:
            self.kept = bulk.start_keeping()
        result = save_progress(outs, reason, user, keep=True)
        return result.created, result.updated, result.unchanged

    def written_table(self) -> str | None:
        return self.kept
