"""Import kinds `visits`, `findings` and `requirements` (docs/data-contract-supervision.md).

Registered with the importer from SupervisionConfig.ready(), so `twintrack import visits
FILE` and the web upload take them like the contract's kinds: same reading, header
matching (key or Chinese label), row-numbered bilingual problems, all or nothing, and
idempotent by the natural key `code`. Writing goes through `supervision.services`, which
keeps the history.

A person importing (ctx.user set) is held to what they may do on the pages: a group they
may record for, a unit they may issue to, records they may change; anything else reads as
if it did not exist. From the command line (no user) every row is allowed.

A requirement's state is not imported: it changes only by responses and verification. The
`status` column an export carries must still say what the record's state is (a new
requirement: empty or issued); `overdue` is derived and ignored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from twintrack.enterprises.importing import lookup_uscc
from twintrack.enterprises.models import Enterprise
from twintrack.imports import fields as f
from twintrack.imports.columns import Column
from twintrack.imports.errors import ImportRejected, Problem
from twintrack.imports.kinds import Context, Kind, Record
from twintrack.orgs.access import may
from twintrack.orgs.models import OrgUnit
from twintrack.programme.models import Project
from twintrack.supervision import services
from twintrack.supervision.models import (
    FINDING_KIND_ZH, STATUS_ZH, Finding, FindingKind, Requirement, Status, Visit,
)

LIST_SEPARATORS = re.compile(r"[;；,，、\n]+")


def parse_code(value) -> str:
    text = f.as_text(value)
    if not text:
        raise f.FieldError(_("a value is required"))
    if not re.fullmatch(r"[A-Za-z0-9_-]{2,64}", text):
        raise f.FieldError(_("%(value)s is not a code: use 2-64 letters, digits, _ or -") % {"value": f.quoted(value)})
    return text


def optional_code(value) -> str | None:
    return None if f.is_empty(value) else parse_code(value)


def parse_uscc_list(value) -> tuple[str, ...]:
    text = f.as_text(value)
    if not text:
        return ()
    return tuple(dict.fromkeys(lookup_uscc(part.strip()) for part in LIST_SEPARATORS.split(text) if part.strip()))


def not_found(what: str, code: str) -> str:
    messages = {
        "round": _("no supervision round has code %(code)s"),
        "group": _("no supervision group of this round has code or name %(code)s"),
        "org": _("no org unit has code %(code)s"),
        "enterprise": _("no enterprise has unified social credit code %(code)s"),
        "visit": _("no visit has code %(code)s"),
        "finding": _("no finding has code %(code)s"),
        "project": _("no project has code %(code)s"),
        "key_task": _("no key task is called %(code)s"),
    }
    return messages[what] % {"code": f.quoted(code)}


class _Lookups:
    """Reference rows looked up once per import (supervision data sets are small)."""

    def __init__(self):
        from twintrack.supervision.models import Group, KeyTask, Round

        self.rounds = {r.code: r for r in Round.objects.all()}
        self.groups = list(Group.objects.select_related("round").prefetch_related("units"))
        self.orgs = {o.code: o for o in OrgUnit.objects.all()}
        self.enterprise_model = Enterprise
        self.enterprises: dict[str, object] = {}
        self.key_tasks = KeyTask.objects.filter(active=True)

    def group(self, round_, text: str):
        for group in self.groups:
            if group.round_id == round_.pk and text in (group.code, group.name_zh, group.name_en):
                return group
        return None

    def enterprise(self, uscc: str):
        if uscc not in self.enterprises:
            self.enterprises[uscc] = self.enterprise_model.objects.filter(uscc=uscc).select_related("org").first()
        return self.enterprises[uscc]

    def key_task(self, text: str):
        folded = f._fold(text).lower()
        for task in self.key_tasks:
            if folded in (task.code.lower(), str(task.number), task.name_zh, task.name_en.lower(),
                          f._fold(task.name_zh)):
                return task
        return None


def _may(user, check) -> bool:
    return user is None or check()


def _report(ctx, record, column: str, problem: str | None) -> bool:
    """A rule's problem (from the services, which refuse the same write) beside the row's column."""
    if problem:
        ctx.error(record, column, problem)
    return bool(problem)


def _existing(model, code: str):
    return model.all_objects.filter(code=code).first()


def _refuse_deleted(record, ctx, existing, what: str) -> bool:
    if existing is not None and existing.deleted_at is not None:
        ctx.error(record, "code", _("the code %(code)s belongs to a deleted %(what)s; use another code")
                  % {"code": f.quoted(existing.code), "what": what})
        return True
    return False


def _write_error(error, row: int) -> ImportRejected:
    """A service refused a row that passed the checks (a change made meanwhile): nothing is written."""
    problem = Problem(row, 0, "code", error.message)
    return ImportRejected([str(problem)], [problem])


# --- visits ----------------------------------------------------------------------------------

@dataclass
class VisitRow:
    row: int
    code: str
    group_id: int
    org_id: int
    date: date
    enterprise_ids: tuple
    attendees: str
    note: str


class VisitsKind(Kind):
    name = "visits"
    model = Visit
    columns = (
        Column("code", "走访编号", True),
        Column("round_code", "督查轮次", True),
        Column("group", "督查组", True),
        Column("org_code", "地区代码", True),
        Column("date", "走访日期", True),
        Column("enterprises", "走访企业", False),
        Column("attendees", "参加人员", False),
        Column("note", "备注", False),
    )
    key = ("code",)
    write_batch = 1000

    def prepare(self) -> None:
        self.look = _Lookups()

    def parse(self, record: Record, ctx: Context) -> None:
        self.field(record, ctx, "code", parse_code)
        self.field(record, ctx, "round_code", parse_code)
        self.field(record, ctx, "group", f.parse_text, required=True, max_length=200)
        self.field(record, ctx, "org_code", f.parse_org_code)
        self.field(record, ctx, "date", f.parse_date)
        self.field(record, ctx, "enterprises", parse_uscc_list)
        self.field(record, ctx, "attendees", f.parse_text, max_length=2000)
        self.field(record, ctx, "note", f.parse_text, max_length=5000)

    def resolve(self, records: list[Record], ctx: Context) -> None:
        user = ctx.user
        for record in records:
            v = record.values
            round_ = group = org = None
            if "round_code" in v:
                round_ = self.look.rounds.get(v["round_code"])
                if round_ is None or round_.deleted_at is not None:
                    ctx.error(record, "round_code", not_found("round", v["round_code"]))
            if round_ is not None and "group" in v:
                group = self.look.group(round_, v["group"])
                if group is None or group.deleted_at is not None or not _may(user, lambda: may(user, "create", Visit(group=group))):
                    ctx.error(record, "group", not_found("group", v["group"]))
                    group = None
            if "org_code" in v:
                org = self.look.orgs.get(v["org_code"])
                if org is None:
                    ctx.error(record, "org_code", not_found("org", v["org_code"]))
            if group is not None and org is not None:
                _report(ctx, record, "org_code", services.coverage_problem(group, org))
            enterprise_ids = []
            for uscc in v.get("enterprises", ()):
                enterprise = self.look.enterprise(uscc)
                if enterprise is None:
                    ctx.error(record, "enterprises", not_found("enterprise", uscc))
                elif not _report(ctx, record, "enterprises", services.enterprise_unit_problem(enterprise, org)):
                    enterprise_ids.append(enterprise.pk)
            existing = _existing(Visit, v["code"]) if "code" in v else None
            if _refuse_deleted(record, ctx, existing, _("visit")):
                continue
            if round_ is not None and "date" in v and (existing is None or existing.date != v["date"]):
                problem = services.visit_date_problem(round_, v["date"])
                if problem:
                    ctx.error(record, "date", problem)
            if existing is not None:
                if user is not None and not may(user, "change", existing):
                    ctx.error(record, "code", _("the code %(code)s is already used") % {"code": f.quoted(v["code"])})
                elif not _report(ctx, record, "round_code",
                                 services.visit_move_problem(existing, round_.pk if round_ else None)):
                    _report(ctx, record, "org_code", services.visit_unit_change_problem(existing, org))
            if record.bad or group is None or org is None:
                continue
            record.out = VisitRow(record.row, v["code"], group.pk, org.pk, v["date"], tuple(sorted(enterprise_ids)),
                                  v.get("attendees", ""), v.get("note", ""))

    def write(self, outs: list, reason: str, user) -> tuple[int, int, int]:
        from twintrack.supervision.models import Group

        created = updated = unchanged = 0
        for row in outs:
            group = Group.objects.get(pk=row.group_id)
            org = OrgUnit.objects.get(pk=row.org_id)
            enterprises = list(Enterprise.objects.filter(pk__in=row.enterprise_ids))
            visit = Visit.objects.filter(code=row.code).first()
            try:
                if visit is None:
                    services.record_visit(user, group, org, row.date, enterprises=enterprises,
                                          attendees=row.attendees, note=row.note, code=row.code)
                    created += 1
                    continue
                same = (visit.group_id == row.group_id and visit.org_id == row.org_id and visit.date == row.date
                        and visit.attendees == row.attendees and visit.note == row.note
                        and tuple(sorted(visit.enterprises.values_list("pk", flat=True))) == row.enterprise_ids)
                if same:
                    unchanged += 1
                    continue
                services.update_visit(user, visit, group=group, org=org, visit_date=row.date,
                                      enterprises=enterprises, attendees=row.attendees, note=row.note)
                updated += 1
            except services.SupervisionError as error:
                raise _write_error(error, row.row)
        return created, updated, unchanged


# --- findings --------------------------------------------------------------------------------

@dataclass
class FindingRow:
    row: int
    code: str
    visit_id: int
    kind: str
    text: str
    enterprise_id: int | None
    project_id: int | None


class FindingsKind(Kind):
    name = "findings"
    model = Finding
    columns = (
        Column("code", "发现编号", True),
        Column("visit_code", "走访编号", True),
        Column("kind", "类型", True),
        Column("text", "内容", True),
        Column("uscc", "统一社会信用代码", False),
        Column("project_code", "项目编号", False),
    )
    key = ("code",)
    write_batch = 1000

    def prepare(self) -> None:
        self.look = _Lookups()
        self.kinds = f.Choices(FINDING_KIND_ZH, dict(FindingKind.choices))

    def parse(self, record: Record, ctx: Context) -> None:
        self.field(record, ctx, "code", parse_code)
        self.field(record, ctx, "visit_code", parse_code)
        self.field(record, ctx, "kind", f.parse_enum, self.kinds)
        self.field(record, ctx, "text", f.parse_text, required=True, max_length=10000)
        uscc = self.field(record, ctx, "uscc", f.parse_text)
        if uscc:
            record.values["uscc"] = lookup_uscc(uscc)
        self.field(record, ctx, "project_code", f.parse_text, max_length=64)

    def resolve(self, records: list[Record], ctx: Context) -> None:
        user = ctx.user
        codes = {r.values["visit_code"] for r in records if "visit_code" in r.values}
        visits = {v.code: v for v in Visit.objects.filter(code__in=codes).select_related("org", "group")}
        projects = {p.code: p for p in Project.objects.filter(
            code__in={r.values["project_code"] for r in records if r.values.get("project_code")})}
        for record in records:
            v = record.values
            visit = enterprise = project = None
            if "visit_code" in v:
                visit = visits.get(v["visit_code"])
                if visit is None or not _may(user, lambda: may(user, "change", visit)):
                    ctx.error(record, "visit_code", not_found("visit", v["visit_code"]))
                    visit = None
            if v.get("uscc"):
                enterprise = self.look.enterprise(v["uscc"])
                if enterprise is None:
                    ctx.error(record, "uscc", not_found("enterprise", v["uscc"]))
                elif visit is not None and _report(ctx, record, "uscc",
                                                   services.enterprise_unit_problem(enterprise, visit.org)):
                    enterprise = None
            if v.get("project_code"):
                project = projects.get(v["project_code"])
                if project is None or not _may(user, lambda: may(user, "view", project)):
                    ctx.error(record, "project_code", not_found("project", v["project_code"]))
                    project = None
                elif not _report(ctx, record, "project_code",
                                 services.project_enterprise_problem(project, enterprise)) and visit is not None:
                    _report(ctx, record, "project_code",
                            services.enterprise_unit_problem(project.enterprise, visit.org))
            existing = _existing(Finding, v["code"]) if "code" in v else None
            if _refuse_deleted(record, ctx, existing, _("finding")):
                continue
            if existing is not None and user is not None and not may(user, "change", existing):
                ctx.error(record, "code", _("the code %(code)s is already used") % {"code": f.quoted(v["code"])})
            if record.bad or visit is None:
                continue
            if enterprise is None and project is not None:
                enterprise = project.enterprise
            record.out = FindingRow(record.row, v["code"], visit.pk, v["kind"], v["text"],
                                    enterprise.pk if enterprise else None, project.pk if project else None)

    def write(self, outs: list, reason: str, user) -> tuple[int, int, int]:
        created = updated = unchanged = 0
        for row in outs:
            visit = Visit.objects.get(pk=row.visit_id)
            enterprise = Enterprise.objects.get(pk=row.enterprise_id) if row.enterprise_id else None
            project = Project.objects.get(pk=row.project_id) if row.project_id else None
            finding = Finding.objects.filter(code=row.code).first()
            try:
                if finding is None:
                    services.record_finding(user, visit, row.kind, row.text, enterprise=enterprise, project=project,
                                            code=row.code)
                    created += 1
                elif (finding.visit_id, finding.kind, finding.text, finding.enterprise_id, finding.project_id) == (
                        row.visit_id, row.kind, row.text, row.enterprise_id, row.project_id):
                    unchanged += 1
                else:
                    services.update_finding(user, finding, visit=visit, kind=row.kind, text=row.text,
                                            enterprise=enterprise, project=project)
                    updated += 1
            except services.SupervisionError as error:
                raise _write_error(error, row.row)
        return created, updated, unchanged


# --- requirements ---------------------------------------------------------------------------

@dataclass
class RequirementRow:
    row: int
    code: str
    round_id: int
    visit_id: int | None
    finding_id: int | None
    org_id: int
    enterprise_id: int | None
    key_task_id: int
    text: str
    due_date: date
    owner: str
    issued_date: date | None


class RequirementsKind(Kind):
    name = "requirements"
    model = Requirement
    columns = (
        Column("code", "要求编号", True),
        Column("round_code", "督查轮次", True),
        Column("visit_code", "走访编号", False),
        Column("finding_code", "发现编号", False),
        Column("org_code", "地区代码", False),
        Column("uscc", "统一社会信用代码", False),
        Column("key_task", "重点任务", True),
        Column("text", "整改要求", True),
        Column("due_date", "完成时限", True),
        Column("owner", "责任人", False),
        Column("issued_date", "下达日期", False),
        Column("status", "状态", False),
        Column("overdue", "是否逾期", False),
    )
    key = ("code",)
    write_batch = 1000

    def prepare(self) -> None:
        self.look = _Lookups()
        self.statuses = f.Choices(STATUS_ZH, dict(Status.choices))
        self.today = timezone.localdate()

    def parse(self, record: Record, ctx: Context) -> None:
        self.field(record, ctx, "code", parse_code)
        self.field(record, ctx, "round_code", parse_code)
        self.field(record, ctx, "visit_code", optional_code)
        self.field(record, ctx, "finding_code", optional_code)
        if "org_code" in ctx.header.positions and not f.is_empty(record.cells.get("org_code")):
            self.field(record, ctx, "org_code", f.parse_org_code)
        uscc = self.field(record, ctx, "uscc", f.parse_text)
        if uscc:
            record.values["uscc"] = lookup_uscc(uscc)
        if not record.values.get("org_code") and not record.values.get("uscc") and not record.bad:
            ctx.error(record, "org_code", _("a requirement is addressed to a unit (org_code) or an enterprise (uscc)"))
        self.field(record, ctx, "key_task", f.parse_text, required=True)
        self.field(record, ctx, "text", f.parse_text, required=True, max_length=10000)
        self.field(record, ctx, "due_date", f.parse_date)
        self.field(record, ctx, "owner", f.parse_text, max_length=200)
        self.field(record, ctx, "issued_date", f.parse_date, required=False)
        self.field(record, ctx, "status", f.parse_enum, self.statuses, required=False)
        # `overdue` is derived from the due date and the state: accepted and ignored.

    def resolve(self, records: list[Record], ctx: Context) -> None:
        user = ctx.user
        visits = {v.code: v for v in Visit.objects.filter(
            code__in={r.values["visit_code"] for r in records if r.values.get("visit_code")})}
        findings = {x.code: x for x in Finding.objects.filter(
            code__in={r.values["finding_code"] for r in records if r.values.get("finding_code")})}
        for record in records:
            v = record.values
            round_ = org = enterprise = visit = finding = task = None
            if "round_code" in v:
                round_ = self.look.rounds.get(v["round_code"])
                if round_ is None or round_.deleted_at is not None:
                    ctx.error(record, "round_code", not_found("round", v["round_code"]))
                    round_ = None
            if v.get("org_code"):
                org = self.look.orgs.get(v["org_code"])
                if org is None:
                    ctx.error(record, "org_code", not_found("org", v["org_code"]))
            if v.get("uscc"):
                enterprise = self.look.enterprise(v["uscc"])
                if enterprise is None:
                    ctx.error(record, "uscc", not_found("enterprise", v["uscc"]))
                elif not _report(ctx, record, "uscc", services.enterprise_unit_problem(enterprise, org)):
                    org = enterprise.org
            if round_ is not None and org is not None and not _may(user, lambda: may(user, "create", Requirement(round=round_, org=org))):
                column = "uscc" if enterprise is not None and not v.get("org_code") else "org_code"
                ctx.error(record, column, not_found("enterprise" if column == "uscc" else "org",
                                                    v.get(column, "")))
                org = None
            if v.get("visit_code"):
                visit = visits.get(v["visit_code"])
                if visit is None or not _may(user, lambda: may(user, "view", visit)):
                    ctx.error(record, "visit_code", not_found("visit", v["visit_code"]))
                    visit = None
            if v.get("finding_code"):
                finding = findings.get(v["finding_code"])
                if finding is None or not _may(user, lambda: may(user, "view", finding)):
                    ctx.error(record, "finding_code", not_found("finding", v["finding_code"]))
                    finding = None
                elif not _report(ctx, record, "finding_code", services.finding_visit_problem(finding, visit)):
                    visit = visit or finding.visit
            _report(ctx, record, "visit_code", services.visit_round_problem(visit, round_))
            _report(ctx, record, "org_code", services.visited_unit_problem(org, visit))
            if "key_task" in v:
                task = self.look.key_task(v["key_task"])
                if task is None:
                    names = ", ".join(f"{t.number} ({t.name_zh})" for t in self.look.key_tasks)
                    ctx.error(record, "key_task", not_found("key_task", v["key_task"]) + "; " +
                              _("use one of %(choices)s") % {"choices": names})
            existing = _existing(Requirement, v["code"]) if "code" in v else None
            if _refuse_deleted(record, ctx, existing, _("requirement")):
                continue
            self._check_state(record, ctx, existing, user)
            if record.bad or round_ is None or org is None or task is None:
                continue
            record.out = RequirementRow(record.row, v["code"], round_.pk, visit.pk if visit else None,
                                        finding.pk if finding else None, org.pk,
                                        enterprise.pk if enterprise else None, task.pk, v["text"], v["due_date"],
                                        v.get("owner", ""), v.get("issued_date"))

    def _check_state(self, record, ctx, existing, user) -> None:
        v = record.values
        status = v.get("status") or None
        if existing is None:
            if status not in (None, Status.ISSUED):
                ctx.error(record, "status", _("a new requirement is issued; its state changes only by responses "
                                              "and verification, not by import"))
            issued = v.get("issued_date") or self.today
            if "due_date" in v:
                _report(ctx, record, "due_date", services.due_date_problem(v["due_date"], issued))
            return
        if user is not None and not may(user, "review", existing):
            ctx.error(record, "code", _("the code %(code)s is already used") % {"code": f.quoted(v["code"])})
            return
        if status is not None and status != existing.status:
            ctx.error(record, "status", _("the requirement is %(status)s; its state changes only by responses and "
                                          "verification, not by import") % {"status": existing.get_status_display()})
        issued_on = timezone.localtime(existing.issued_at).date()
        if v.get("issued_date") and v["issued_date"] != issued_on:
            ctx.error(record, "issued_date", _("the requirement was issued on %(date)s; that cannot change")
                      % {"date": issued_on.isoformat()})

    def write(self, outs: list, reason: str, user) -> tuple[int, int, int]:
        from twintrack.supervision.models import KeyTask, Round

        created = updated = unchanged = 0
        for row in outs:
            round_ = Round.objects.get(pk=row.round_id)
            org = OrgUnit.objects.get(pk=row.org_id)
            enterprise = Enterprise.objects.get(pk=row.enterprise_id) if row.enterprise_id else None
            visit = Visit.objects.get(pk=row.visit_id) if row.visit_id else None
            finding = Finding.objects.get(pk=row.finding_id) if row.finding_id else None
            task = KeyTask.objects.get(pk=row.key_task_id)
            requirement = Requirement.objects.filter(code=row.code).first()
            try:
                if requirement is None:
                    when = None
                    if row.issued_date is not None and row.issued_date != timezone.localdate():
                        when = timezone.make_aware(datetime.combine(row.issued_date, time(9, 0)))
                    services.issue_requirement(user, round_, task, row.text, row.due_date, org=org,
                                               enterprise=enterprise, owner=row.owner, visit=visit, finding=finding,
                                               code=row.code, when=when)
                    created += 1
                    continue
                same = (requirement.round_id, requirement.visit_id, requirement.finding_id, requirement.org_id,
                        requirement.enterprise_id, requirement.key_task_id, requirement.text, requirement.due_date,
                        requirement.owner) == (row.round_id, row.visit_id, row.finding_id, row.org_id,
                                               row.enterprise_id, row.key_task_id, row.text, row.due_date, row.owner)
                if same:
                    unchanged += 1
                    continue
                if requirement.round_id != row.round_id:
                    raise services.SupervisionError(_("a requirement cannot move to another round"))
                services.update_requirement(user, requirement, key_task=task, text=row.text, due_date=row.due_date,
                                            owner=row.owner, org=org, enterprise=enterprise, visit=visit,
                                            finding=finding)
                updated += 1
            except services.SupervisionError as error:
                raise _write_error(error, row.row)
        return created, updated, unchanged
