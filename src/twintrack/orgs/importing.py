"""The `orgunits` import kind (data contract section 2), and what every domain kind shares:
the importing person's scope (`ScopedKind`), through which every reference is resolved."""
from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from twintrack.imports import fields as f
from twintrack.imports.columns import Column
from twintrack.imports.kinds import Context, Kind, Record
from twintrack.orgs.access import ImportScope, refuse_orgunit_rows_outside_scope
from twintrack.orgs.models import ORG_KIND_ZH, OrgKind, OrgUnit
from twintrack.orgs.services import OrgValues, save_orgunits


class ScopedKind(Kind):
    """A kind whose rows are limited to what the importing person sees."""

    scope = ImportScope(None)  # set per import: every reference is resolved through it, first

    def start(self, user) -> None:
        self.scope = ImportScope.of(user)


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

class OrgUnits(ScopedKind):
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
    row_checks = (refuse_orgunit_rows_outside_scope,)

    def prepare(self) -> None:
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
