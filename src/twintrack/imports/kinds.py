"""The five import kinds of data contract section 2: columns, row rules, references, writing.

Each kind parses a row's cells without the database (`parse`), then resolves references
for a batch of rows with a few queries (`resolve`), then, for org units, checks the whole
file (`finish`). Writing goes through the services only (`write`), which keep the
history and the rollups exact and skip unchanged rows.
"""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from typing import Any, Callable, Iterable

from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from twintrack.imports import fields as f
from twintrack.imports.columns import Alternative, Column
from twintrack.imports.fields import FieldError
from twintrack.orgs.access import ImportScope
from twintrack.sql import rows_where_in, year_month

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
    key: tuple[str, ...] = ()
    keep_all = False  # whole-file checks need every row in memory
    write_batch = 5000  # rows per call of the service
    scope = ImportScope(None)  # set per import: every reference is resolved through it, first

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

    def finish(self, records: list[Record], ctx: Context) -> None:
        """Checks over the whole file (only for kinds with keep_all)."""

    def write(self, outs: list, reason: str, user) -> tuple[int, int, int]:
        raise NotImplementedError


def chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def org_ids_by_code(scope: ImportScope) -> dict[str, int]:
    return dict(scope.units().values_list("code", "id"))


def taken_outside(scope: ImportScope, model, field: str, values: set, path_field: str) -> set:
    """Which of `values` (natural keys of `model`) are taken by records outside the scope."""
    if scope.everything or not values:
        return set()
    taken = model.objects.filter(**{f"{field}__in": values})
    return set(taken.exclude(**{f"{path_field}__startswith": scope.path}).values_list(field, flat=True))


def no_org(code: str) -> str:
    return _("no org unit has code %(code)s") % {"code": f.quoted(code)}


# --- orgunits ------------------------------------------------------------------------

class OrgUnits(Kind):
    name = "orgunits"
    columns = (
        Column("code", "代码", True),
        Column("name_zh", "名称", True),
        Column("name_en", "英文名称"),
        Column("kind", "类型", True),
        Column("parent_code", "上级代码"),
    )
    key = ("code",)
    keep_all = True

    def prepare(self) -> None:
        from twintrack.orgs.models import ORG_KIND_ZH, OrgKind, OrgUnit

        self.kinds = f.Choices(ORG_KIND_ZH, dict(OrgKind.choices))
        self.db_parent = dict(OrgUnit.objects.values_list("code", "parent__code"))

    def parse(self, record: Record, ctx: Context) -> None:
        self.field(record, ctx, "code", f.parse_org_code)
        self.field(record, ctx, "name_zh", f.parse_text, required=True, max_length=100)
        self.field(record, ctx, "name_en", f.parse_text, max_length=200)
        self.field(record, ctx, "kind", f.parse_enum, self.kinds)
        if "parent_code" in ctx.header.positions:
            if f.is_empty(record.cells.get("parent_code")):
                record.values["parent_code"] = None
            else:
                self.field(record, ctx, "parent_code", f.parse_org_code)
        else:
            record.values["parent_code"] = None

    def resolve(self, records: list[Record], ctx: Context) -> None:
        pass  # everything is checked over the whole file in finish()

    def finish(self, records: list[Record], ctx: Context) -> None:
        from twintrack.orgs.services import OrgValues

        in_file: dict[str, Record] = {}
        for record in records:
            code = record.values.get("code")
            if code is not None and code not in in_file:
                in_file[code] = record
        # parents exist
        for record in records:
            parent = record.values.get("parent_code")
            if parent and parent not in in_file and parent not in self.db_parent:
                ctx.error(record, "parent_code", _("no org unit has code %(code)s, in the database or in this file")
                          % {"code": f.quoted(parent)})
        # one root
        roots_in_file = [r for r in in_file.values() if "parent_code" in r.values and r.values["parent_code"] is None]
        staying_roots = sorted(code for code, parent in self.db_parent.items() if parent is None and code not in in_file)
        if staying_roots:
            for record in roots_in_file:
                ctx.error(record, "parent_code",
                          _("a value is required: only the root (%(root)s) has no parent") % {"root": staying_roots[0]})
        else:
            for record in roots_in_file[1:]:
                ctx.error(record, "parent_code",
                          _("a value is required: only the root has no parent, and row %(row)d is already the root")
                          % {"row": roots_in_file[0].row})
        # no cycles, in the tree as it would be after the import
        def parent_of(code: str) -> str | None:
            record = in_file.get(code)
            if record is not None:
                return record.values.get("parent_code")
            return self.db_parent.get(code)

        depth: dict[str, int] = {}
        state: dict[str, int] = {}  # 1 = on the current walk, 2 = done
        for record in sorted(in_file.values(), key=lambda r: r.row):
            walk: list[str] = []
            code: str | None = record.values["code"]
            while code is not None and state.get(code) is None and (code in in_file or code in self.db_parent):
                state[code] = 1
                walk.append(code)
                code = parent_of(code)
            base = 0
            if code is not None and state.get(code) == 1:  # a cycle: code is on this walk
                cycle = walk[walk.index(code):]
                first = min((in_file[c] for c in cycle if c in in_file), key=lambda r: r.row)
                start = cycle.index(first.values["code"])
                ordered = cycle[start:] + cycle[:start]
                ctx.error(first, "parent_code",
                          _("%(parent)s would make a cycle in the org tree: %(cycle)s") % {
                              "parent": f.quoted(parent_of(ordered[0])),
                              "cycle": " -> ".join(ordered + [ordered[0]])})
                for c in walk:
                    state[c] = 2
                    depth[c] = 0
                continue
            if code is not None and state.get(code) == 2:
                base = depth[code] + 1
            for c in reversed(walk):
                state[c] = 2
                depth[c] = base
                base += 1
        for record in records:
            if not record.bad:
                v = record.values
                record.out = OrgValues(v["code"], v["name_zh"], v.get("name_en", ""), v["kind"], v["parent_code"])
        self.depth = depth

    def write(self, outs: list, reason: str, user) -> tuple[int, int, int]:
        from twintrack.orgs.services import save_orgunits

        # One call per tree level, parents first: each call then sees its parents' final paths,
        # even where an earlier level moved a unit and with it the units below.
        levels: dict[int, list] = defaultdict(list)
        for values in outs:
            levels[self.depth.get(values.code, 0)].append(values)
        created = updated = unchanged = 0
        for level in sorted(levels):
            c, u, n = save_orgunits(levels[level], reason, user)
            created, updated, unchanged = created + c, updated + u, unchanged + n
        return created, updated, unchanged


# --- enterprises -------------------------------------------------------------------------

class Enterprises(Kind):
    name = "enterprises"
    columns = (
        Column("uscc", "统一社会信用代码", True),
        Column("name_zh", "企业名称", True),
        Column("name_en", "英文名称"),
        Column("org_code", "所属地区代码", True),
        Column("industry_code", "行业代码", True),
        Column("size", "企业规模"),
        Column("above_scale", "是否规上"),
    )
    key = ("uscc",)

    def prepare(self) -> None:
        from twintrack.enterprises.models import SIZE_ZH, IndustryCode, Size

        self.sizes = f.Choices(SIZE_ZH, dict(Size.choices))
        self.orgs = org_ids_by_code(self.scope)
        self.industries = set(IndustryCode.objects.values_list("code", flat=True))

    def parse(self, record: Record, ctx: Context) -> None:
        self.field(record, ctx, "uscc", f.parse_uscc)
        self.field(record, ctx, "name_zh", f.parse_text, required=True, max_length=200)
        self.field(record, ctx, "name_en", f.parse_text, max_length=300)
        org_code = self.field(record, ctx, "org_code", f.parse_text, required=True)
        if org_code is not None and org_code not in self.orgs:
            ctx.error(record, "org_code", no_org(org_code))
        self.field(record, ctx, "industry_code", f.parse_industry_code, self.industries)
        self.field(record, ctx, "size", f.parse_enum, self.sizes, required=False)
        self.field(record, ctx, "above_scale", f.parse_bool)

    def resolve(self, records: list[Record], ctx: Context) -> None:
        from twintrack.enterprises.models import Enterprise
        from twintrack.enterprises.services import EnterpriseValues

        taken = taken_outside(self.scope, Enterprise, "uscc", {r.values["uscc"] for r in records if "uscc" in r.values},
                              "org__path")
        for record in records:
            if record.values.get("uscc") in taken:
                ctx.error(record, "uscc", _("unified social credit code %(uscc)s cannot be registered from your "
                                            "account; ask the bureau") % {"uscc": f.quoted(record.values["uscc"])})
            if not record.bad:
                v = record.values
                record.out = EnterpriseValues(v["uscc"], v["name_zh"], v.get("name_en", ""), self.orgs[v["org_code"]],
                                              v["industry_code"], v.get("size", ""), v.get("above_scale"))

    def write(self, outs: list, reason: str, user) -> tuple[int, int, int]:
        from twintrack.enterprises.services import save_enterprises

        created = updated = unchanged = 0
        for chunk in chunks(outs, 5000):
            c, u, n = save_enterprises(chunk, reason, user)
            created, updated, unchanged = created + c, updated + u, unchanged + n
        return created, updated, unchanged


# --- targets ----------------------------------------------------------------------------

class Targets(Kind):
    name = "targets"
    columns = (
        Column("org_code", "地区代码", True),
        Column("metric", "指标", True),
        Column("year", "年度", True),
        Column("through_month", "截至月份", True),
        Column("value", "目标值", True),
    )
    key = ("org_code", "metric", "year", "through_month")

    def prepare(self) -> None:
        self.orgs = org_ids_by_code(self.scope)

    def parse(self, record: Record, ctx: Context) -> None:
        org_code = self.field(record, ctx, "org_code", f.parse_text, required=True)
        if org_code is not None and org_code not in self.orgs:
            ctx.error(record, "org_code", no_org(org_code))
        self.field(record, ctx, "metric", f.parse_metric)
        self.field(record, ctx, "year", f.parse_year)
        self.field(record, ctx, "through_month", f.parse_month_number)
        self.field(record, ctx, "value", f.parse_target_value)

    def resolve(self, records: list[Record], ctx: Context) -> None:
        from twintrack.programme.services import TargetValues

        for record in records:
            if not record.bad:
                v = record.values
                record.out = TargetValues(self.orgs[v["org_code"]], v["metric"], v["year"], v["through_month"],
                                          v["value"])

    def write(self, outs: list, reason: str, user) -> tuple[int, int, int]:
        from twintrack.programme.services import save_targets

        created = updated = unchanged = 0
        for chunk in chunks(outs, 5000):
            result = save_targets(chunk, reason, user)
            created, updated, unchanged = (created + result.created, updated + result.updated,
                                           unchanged + result.unchanged)
        return created, updated, unchanged


# --- projects -----------------------------------------------------------------------------

_USCC_SHAPE = re.compile(r"^[0-9A-Z]{18}$")


def lookup_uscc(text: str) -> str:
    """The compact form used to look an enterprise up (validated only to explain a miss)."""
    if _USCC_SHAPE.match(text):
        return text
    from stdnum.cn import uscc

    return uscc.compact(f._fold(text))


class Projects(Kind):
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

    def prepare(self) -> None:
        from twintrack.programme.models import PROJECT_KIND_ZH, PROJECT_STATUS_ZH, ProjectKind, ProjectStatus

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
        from twintrack.enterprises.models import Enterprise
        from twintrack.programme.models import Progress, Project
        from twintrack.programme.services import ProjectValues

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
        from twintrack.programme.services import save_projects

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


class ProgressKind(Kind):
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
    key = ("project_code", "month")
    write_batch = 50_000
    CACHE_LIMIT = 200_000

    def prepare(self) -> None:
        today = timezone.localdate()
        self.current = (today.year, today.month)
        self.projects: dict[str, tuple[int, int, int]] = {}  # code -> (id, org_id, start yyyymm), bounded
        self.months = ProjectMonths()

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
        from twintrack.enterprises.models import Enterprise
        from twintrack.orgs.models import OrgUnit
        from twintrack.programme.models import Project

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
        from twintrack.programme.services import ProgressValues

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
        from twintrack.programme.services import save_progress

        result = save_progress(outs, reason, user)
        return result.created, result.updated, result.unchanged


KINDS: dict[str, type[Kind]] = {k.name: k for k in (OrgUnits, Enterprises, Targets, Projects, ProgressKind)}

# Checks other apps add to a kind (from their AppConfig.ready()), run on each batch of rows
# after the kind's own references are resolved: `check(records, ctx)` reports problems with
# ctx.error(record, column, reason), which also keeps the row from being written. For
# example, the energy app refuses progress tce for project-months that have carrier lines.
ROW_CHECKS: dict[str, list[Callable[[list[Record], Context], None]]] = defaultdict(list)


def register_row_check(kind: str, check: Callable[[list[Record], Context], None]) -> None:
    if check not in ROW_CHECKS[kind]:
        ROW_CHECKS[kind].append(check)


def register_kind(cls: type[Kind]) -> type[Kind]:
    """Add an import kind (data contract section 4's `energy`, for one); usable as a decorator."""
    KINDS[cls.name] = cls
    return cls
