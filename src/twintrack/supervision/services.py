"""Every change to supervision records, as a named function that records who and when.

Pages, the importer and the demo all write through here. These functions keep the records
consistent (a visit's unit is one its group covers, a requirement's state moves only along
issued -> responded -> (returned -> responded ...) -> verified) and raise
`SupervisionError` with a translated sentence otherwise. Whether *this user* may make the
change is the caller's question, answered by `twintrack.supervision.access`.

Nothing is deleted: `delete_*` set `deleted_at`/`deleted_by`. Each save goes into the
model's history with the user and a reason.
"""
from __future__ import annotations

import re
import secrets
from datetime import date, datetime
from typing import Iterable

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from twintrack.notify.services import notify_requirement
from twintrack.orgs.models import OrgUnit
from twintrack.supervision.files import FileRefused, check_upload
from twintrack.supervision.models import (
    Attachment, Finding, FindingKind, Group, KeyTask, Requirement, RequirementStep, Round, Status, StepKind, Visit,
)

CODE_RE = re.compile(r"^[A-Za-z0-9_-]{2,64}$")


class SupervisionError(Exception):
    """A change refused because it would make the records inconsistent; `message` is translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _now(when: datetime | None) -> datetime:
    return when or timezone.now()


def _save(obj, user, reason: str) -> None:
    obj._history_user = user
    obj._change_reason = reason[:100]
    obj.save()


def _soft_delete(obj, user, when: datetime | None, reason: str) -> None:
    if obj.deleted_at is not None:
        return
    obj.deleted_at = _now(when)
    obj.deleted_by = user if getattr(user, "pk", None) else None
    _save(obj, user, reason)


def _user(user):
    return user if getattr(user, "pk", None) else None


def check_code(code: str) -> str:
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise SupervisionError(_("%(code)s is not a code: use 2-64 letters, digits, _ or -") % {"code": f'"{code}"'})
    return code


def next_code(model, prefix: str, width: int = 2) -> str:
    """prefix + the next free number: 2023Q3-V01, 2023Q3-V02, ..."""
    numbers = [int(code[len(prefix):]) for code in model.all_objects.filter(code__startswith=prefix)
               .values_list("code", flat=True) if code[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:0{width}d}"


def _unique(model, code: str, exclude_pk=None) -> None:
    clash = model.all_objects.filter(code=code)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise SupervisionError(_("the code %(code)s is already used") % {"code": code})


# --- rounds and groups -------------------------------------------------------------------------

def _check_round_fields(start_date: date, end_date: date | None, report_year: int, report_month: int) -> None:
    if end_date is not None and end_date < start_date:
        raise SupervisionError(_("the end date is before the start date"))
    if not (2000 <= report_year <= 2100 and 1 <= report_month <= 12):
        raise SupervisionError(_("the report period must be a month between 2000-01 and 2100-12"))


def default_report_period(start_date: date) -> tuple[int, int]:
    """The last full month before a round starts: the figures the groups hear about."""
    month_index = start_date.year * 12 + start_date.month - 2
    return month_index // 12, month_index % 12 + 1


@transaction.atomic
def create_round(user, *, code: str, name_zh: str, start_date: date, name_en: str = "", end_date: date | None = None,
                 report_year: int | None = None, report_month: int | None = None, note: str = "",
                 when: datetime | None = None) -> Round:
    code = check_code(code)
    _unique(Round, code)
    if report_year is None or report_month is None:
        report_year, report_month = default_report_period(start_date)
    _check_round_fields(start_date, end_date, report_year, report_month)
    round_ = Round(code=code, name_zh=name_zh.strip(), name_en=name_en.strip(), start_date=start_date,
                   end_date=end_date, report_year=report_year, report_month=report_month, note=note,
                   created_by=_user(user), created_at=_now(when))
    _save(round_, user, "round created")
    return round_


ROUND_FIELDS = ("name_zh", "name_en", "start_date", "end_date", "report_year", "report_month", "note")


@transaction.atomic
def update_round(user, round_: Round, **fields) -> Round:
    for key, value in fields.items():
        if key not in ROUND_FIELDS:
            raise TypeError(key)
        setattr(round_, key, value)
    _check_round_fields(round_.start_date, round_.end_date, round_.report_year, round_.report_month)
    _save(round_, user, "round changed")
    return round_


@transaction.atomic
def delete_round(user, round_: Round, when: datetime | None = None) -> None:
    if round_.visits.exists() or round_.requirements.exists():
        raise SupervisionError(_("this round has visits or requirements: delete them first"))
    for group in round_.groups.all():
        _soft_delete(group, user, when, "deleted with its round")
    _soft_delete(round_, user, when, "round deleted")


def _check_units_disjoint(units: Iterable[OrgUnit]) -> list[OrgUnit]:
    return sorted(set(units), key=lambda u: u.code)


@transaction.atomic
def create_group(user, round_: Round, *, name_zh: str, name_en: str = "", number: int | None = None,
                 code: str | None = None, leader=None, members: Iterable = (), units: Iterable[OrgUnit] = (),
                 when: datetime | None = None) -> Group:
    if round_.is_deleted:
        raise SupervisionError(_("this round was deleted"))
    Round.objects.select_for_update().filter(pk=round_.pk).first()
    if number is None:
        number = max(Group.all_objects.filter(round=round_).values_list("number", flat=True), default=0) + 1
    code = check_code(code) if code else f"{round_.code}-G{number}"
    _unique(Group, code)
    group = Group(round=round_, code=code, number=number, name_zh=name_zh.strip(), name_en=name_en.strip(),
                  leader=leader, created_by=_user(user), created_at=_now(when))
    _save(group, user, "group created")
    members = set(members)
    if leader is not None:
        members.add(leader)
    group.members.set(members)
    group.units.set(_check_units_disjoint(units))
    return group


@transaction.atomic
def update_group(user, group: Group, *, name_zh: str | None = None, name_en: str | None = None,
                 leader=..., members: Iterable | None = None, units: Iterable[OrgUnit] | None = None) -> Group:
    if name_zh is not None:
        group.name_zh = name_zh.strip()
    if name_en is not None:
        group.name_en = name_en.strip()
    if leader is not ...:
        group.leader = leader
    _save(group, user, "group changed")
    if members is not None:
        members = set(members)
        if group.leader is not None:
            members.add(group.leader)
        group.members.set(members)
    if units is not None:
        group.units.set(_check_units_disjoint(units))
    return group


@transaction.atomic
def delete_group(user, group: Group, when: datetime | None = None) -> None:
    if group.visits.exists():
        raise SupervisionError(_("this group has visits: delete them first"))
    _soft_delete(group, user, when, "group deleted")


# --- visits ----------------------------------------------------------------------------------

# --- the rules, each written once ---------------------------------------------------------------
#
# Each `*_problem` function states one rule and returns what is wrong (a translated sentence) or
# None. The services below refuse a write with it (SupervisionError); the page forms show it
# beside their field and the import kinds beside the row's column, so a rule cannot drift
# between the three ways in.

def _refuse(problem: str | None) -> None:
    if problem:
        raise SupervisionError(problem)


def group_covers(group: Group, org: OrgUnit) -> bool:
    return any(org.path.startswith(unit.path) for unit in group.units.all())


def coverage_problem(group: Group, org: OrgUnit) -> str | None:
    if group_covers(group, org):
        return None
    return _("%(group)s does not cover %(unit)s") % {"group": group.name_zh, "unit": org.name_zh}


def enterprise_unit_problem(enterprise, org: OrgUnit | None) -> str | None:
    """An enterprise named with a unit must be in that unit's subtree."""
    if enterprise is None or org is None or enterprise.org.path.startswith(org.path):
        return None
    return _("%(enterprise)s is not in %(unit)s") % {"enterprise": enterprise.name_zh, "unit": org.name_zh}


def project_enterprise_problem(project, enterprise) -> str | None:
    if project is None or enterprise is None or project.enterprise_id == enterprise.pk:
        return None
    return _("project %(project)s is not a project of %(enterprise)s") % {
        "project": project.code, "enterprise": enterprise.name_zh}


def visit_move_problem(visit: Visit, round_id: int | None) -> str | None:
    if round_id is None or visit.round_id == round_id:
        return None
    return _("a visit cannot move to another round")


def visit_unit_change_problem(visit: Visit, org: OrgUnit | None) -> str | None:
    if org is None or org.pk == visit.org_id or not visit.requirements.exists():
        return None
    return _("this visit has requirements: its unit cannot change")


def finding_visit_problem(finding: Finding | None, visit: Visit | None) -> str | None:
    if finding is None or visit is None or finding.visit_id == visit.pk:
        return None
    return _("finding %(finding)s was not recorded on visit %(visit)s") % {"finding": finding.code, "visit": visit.code}


def visit_round_problem(visit: Visit | None, round_: Round | None) -> str | None:
    if visit is None or round_ is None or visit.round_id == round_.pk:
        return None
    return _("visit %(visit)s belongs to another round") % {"visit": visit.code}


def visited_unit_problem(org: OrgUnit | None, visit: Visit | None) -> str | None:
    """A requirement from a visit is addressed to the unit visited or one below it."""
    if org is None or visit is None or org.path.startswith(visit.org.path):
        return None
    return _("%(unit)s is not the unit visited (%(visited)s) or below it") % {
        "unit": org.name_zh, "visited": visit.org.name_zh}


def due_date_problem(due_date: date, issued_on: date) -> str | None:
    if due_date >= issued_on:
        return None
    return _("the due date %(due)s is before the day it is issued (%(issued)s)") % {
        "due": due_date.isoformat(), "issued": issued_on.isoformat()}


def _check_visit(group: Group, org: OrgUnit, enterprises: Iterable) -> list:
    if group.is_deleted or group.round.is_deleted:
        raise SupervisionError(_("this group or its round was deleted"))
    _refuse(coverage_problem(group, org))
    enterprises = list(enterprises)
    for enterprise in enterprises:
        _refuse(enterprise_unit_problem(enterprise, org))
    return enterprises


def visit_date_problem(round_: Round, visit_date: date) -> str | None:
    """Why a visit on `visit_date` does not belong to the round (None when it does): a visit is
    recorded in the round it took place in, never silently in an old one."""
    end = round_.end_date
    if visit_date >= round_.start_date and (end is None or visit_date <= end):
        return None
    period = f"{round_.start_date.isoformat()} – {end.isoformat() if end else '…'}"
    return _("%(date)s is outside round %(round)s (%(period)s): record the visit in the round it took place "
             "in") % {"date": visit_date.isoformat(), "round": round_.code, "period": period}


def _check_visit_date(round_: Round, visit_date: date) -> None:
    _refuse(visit_date_problem(round_, visit_date))


@transaction.atomic
def record_visit(user, group: Group, org: OrgUnit, visit_date: date, *, enterprises: Iterable = (),
                 attendees: str = "", note: str = "", code: str | None = None,
                 when: datetime | None = None, client_id=None) -> Visit:
    """A group's visit to a unit, with the enterprises investigated and who attended."""
    enterprises = _check_visit(group, org, enterprises)
    _check_visit_date(group.round, visit_date)
    Round.objects.select_for_update().filter(pk=group.round_id).first()  # one numbering at a time
    code = check_code(code) if code else next_code(Visit, f"{group.round.code}-V")
    _unique(Visit, code)
    visit = Visit(code=code, round_id=group.round_id, group=group, org=org, date=visit_date,
                  attendees=attendees.strip(), note=note.strip(), recorded_by=_user(user), recorded_at=_now(when),
                  client_id=client_id)
    _save(visit, user, "visit recorded")
    visit.enterprises.set(enterprises)
    return visit


@transaction.atomic
def update_visit(user, visit: Visit, *, group: Group | None = None, org: OrgUnit | None = None,
                 visit_date: date | None = None, enterprises: Iterable | None = None, attendees: str | None = None,
                 note: str | None = None) -> Visit:
    group = group or visit.group
    org = org or visit.org
    _refuse(visit_move_problem(visit, group.round_id))
    new_enterprises = _check_visit(group, org, visit.enterprises.all() if enterprises is None else enterprises)
    _refuse(visit_unit_change_problem(visit, org))
    visit.group, visit.org = group, org
    if visit_date is not None:
        if visit_date != visit.date:
            _check_visit_date(group.round, visit_date)
        visit.date = visit_date
    if attendees is not None:
        visit.attendees = attendees.strip()
    if note is not None:
        visit.note = note.strip()
    _save(visit, user, "visit changed")
    if set(new_enterprises) != set(visit.enterprises.all()):
        visit.enterprises.set(new_enterprises)
    return visit


@transaction.atomic
def delete_visit(user, visit: Visit, when: datetime | None = None) -> None:
    if visit.findings.exists() or visit.requirements.exists():
        raise SupervisionError(_("this visit has findings or requirements: delete them first"))
    _soft_delete(visit, user, when, "visit deleted")


# --- findings --------------------------------------------------------------------------------

def _check_finding(visit: Visit, kind: str, text: str, enterprise, project):
    if kind not in FindingKind.values:
        raise SupervisionError(_("%(kind)s is not a kind of finding") % {"kind": kind})
    if not (text or "").strip():
        raise SupervisionError(_("a finding needs a text"))
    if project is not None:
        _refuse(project_enterprise_problem(project, enterprise))
        enterprise = enterprise or project.enterprise
    _refuse(enterprise_unit_problem(enterprise, visit.org))
    return enterprise


@transaction.atomic
def record_finding(user, visit: Visit, kind: str, text: str, *, enterprise=None, project=None,
                   code: str | None = None, when: datetime | None = None, client_id=None) -> Finding:
    """What a visit found (progress, highlight, problem, plan), optionally about an enterprise or project."""
    if visit.is_deleted:
        raise SupervisionError(_("this visit was deleted"))
    enterprise = _check_finding(visit, kind, text, enterprise, project)
    Visit.objects.select_for_update().filter(pk=visit.pk).first()
    code = check_code(code) if code else next_code(Finding, f"{visit.code}-F")
    _unique(Finding, code)
    finding = Finding(code=code, visit=visit, kind=kind, text=text.strip(), enterprise=enterprise, project=project,
                      recorded_by=_user(user), recorded_at=_now(when), client_id=client_id)
    _save(finding, user, "finding recorded")
    return finding


@transaction.atomic
def update_finding(user, finding: Finding, *, visit: Visit | None = None, kind: str | None = None,
                   text: str | None = None, enterprise=..., project=...) -> Finding:
    visit = visit or finding.visit
    kind = finding.kind if kind is None else kind
    text = finding.text if text is None else text
    enterprise = finding.enterprise if enterprise is ... else enterprise
    project = finding.project if project is ... else project
    enterprise = _check_finding(visit, kind, text, enterprise, project)
    finding.visit, finding.kind, finding.text, finding.enterprise, finding.project = (
        visit, kind, text.strip(), enterprise, project)
    _save(finding, user, "finding changed")
    return finding


@transaction.atomic
def delete_finding(user, finding: Finding, when: datetime | None = None) -> None:
    if finding.requirements.exists():
        raise SupervisionError(_("requirements refer to this finding: delete them first"))
    _soft_delete(finding, user, when, "finding deleted")


# --- attachments -------------------------------------------------------------------------------

@transaction.atomic
def add_attachment(user, uploaded, *, finding: Finding | None = None, step: RequirementStep | None = None,
                   when: datetime | None = None, client_id=None, latitude=None, longitude=None) -> Attachment:
    """A photo or document for a finding, or evidence for a response; checked by extension,
    content and size (FileRefused otherwise)."""
    if (finding is None) == (step is None):
        raise TypeError("an attachment belongs to a finding or to a response step")
    if step is not None and step.kind != StepKind.RESPONSE:
        raise SupervisionError(_("only a response carries evidence"))
    checked = check_upload(uploaded)
    attachment = Attachment(finding=finding, step=step, token=secrets.token_hex(16), name=checked.name,
                            file_type=checked.file_type, size=checked.size, sha256=checked.sha256,
                            uploaded_by=_user(user), uploaded_at=_now(when), client_id=client_id,
                            latitude=latitude, longitude=longitude)
    uploaded.seek(0)
    attachment.file.save(f"{attachment.token}.{checked.file_type}", File(uploaded), save=False)
    _save(attachment, user, "attachment added")
    return attachment


@transaction.atomic
def delete_attachment(user, attachment: Attachment, when: datetime | None = None) -> None:
    if attachment.step_id is not None:
        raise SupervisionError(_("the evidence of a response cannot be withdrawn"))
    _soft_delete(attachment, user, when, "attachment deleted")  # the file itself stays on disk


# --- requirements ------------------------------------------------------------------------------

def _addressee(org: OrgUnit | None, enterprise) -> OrgUnit:
    if enterprise is not None:
        _refuse(enterprise_unit_problem(enterprise, org))
        return enterprise.org
    if org is None:
        raise SupervisionError(_("a requirement is addressed to a unit or an enterprise"))
    return org


def _check_links(round_: Round, org: OrgUnit, visit: Visit | None, finding: Finding | None) -> Visit | None:
    _refuse(finding_visit_problem(finding, visit))
    visit = visit or (finding.visit if finding is not None else None)
    _refuse(visit_round_problem(visit, round_))
    _refuse(visited_unit_problem(org, visit))
    return visit


def _check_requirement(text: str, due_date: date, issued_on: date) -> None:
    if not (text or "").strip():
        raise SupervisionError(_("a requirement needs a text"))
    _refuse(due_date_problem(due_date, issued_on))


@transaction.atomic
def issue_requirement(user, round_: Round, key_task: KeyTask, text: str, due_date: date, *,
                      org: OrgUnit | None = None, enterprise=None, owner: str = "", visit: Visit | None = None,
                      finding: Finding | None = None, code: str | None = None,
                      when: datetime | None = None, client_id=None) -> Requirement:
    """A requirement to a unit or an enterprise, serving a key task, due on a date, with an owner."""
    if round_.is_deleted:
        raise SupervisionError(_("this round was deleted"))
    org = _addressee(org, enterprise)
    visit = _check_links(round_, org, visit, finding)
    issued_at = _now(when)
    _check_requirement(text, due_date, timezone.localtime(issued_at).date())
    Round.objects.select_for_update().filter(pk=round_.pk).first()
    code = check_code(code) if code else next_code(Requirement, f"{round_.code}-R")
    _unique(Requirement, code)
    requirement = Requirement(code=code, round=round_, visit=visit, finding=finding, org=org, enterprise=enterprise,
                              key_task=key_task, text=text.strip(), due_date=due_date, owner=owner.strip(),
                              status=Status.ISSUED, issued_by=_user(user), issued_at=issued_at, client_id=client_id)
    _save(requirement, user, "requirement issued")
    notify_requirement("requirement_issued", requirement, user)
    return requirement


@transaction.atomic
def update_requirement(user, requirement: Requirement, *, key_task: KeyTask | None = None, text: str | None = None,
                       due_date: date | None = None, owner: str | None = None, org: OrgUnit | None = ...,
                       enterprise=..., visit: Visit | None = ..., finding: Finding | None = ...) -> Requirement:
    """Change what a requirement says (not its state); a verified requirement is closed."""
    if requirement.status == Status.VERIFIED:
        raise SupervisionError(_("this requirement was verified and is closed"))
    enterprise = requirement.enterprise if enterprise is ... else enterprise
    org = (requirement.org if enterprise is None else None) if org is ... else org
    new_org = _addressee(org, enterprise)
    if requirement.steps.exists() and new_org.pk != requirement.org_id:
        raise SupervisionError(_("the unit has responded: the addressee cannot change"))
    visit = requirement.visit if visit is ... else visit
    finding = requirement.finding if finding is ... else finding
    visit = _check_links(requirement.round, new_org, visit, finding)
    text = requirement.text if text is None else text
    due_date = requirement.due_date if due_date is None else due_date
    _check_requirement(text, due_date, timezone.localtime(requirement.issued_at).date())
    requirement.org, requirement.enterprise, requirement.visit, requirement.finding = new_org, enterprise, visit, finding
    requirement.text, requirement.due_date = text.strip(), due_date
    if key_task is not None:
        requirement.key_task = key_task
    if owner is not None:
        requirement.owner = owner.strip()
    _save(requirement, user, "requirement changed")
    return requirement


@transaction.atomic
def delete_requirement(user, requirement: Requirement, when: datetime | None = None) -> None:
    """Withdraw a requirement (kept, hidden)."""
    _soft_delete(requirement, user, when, "requirement withdrawn")


def _lock(requirement: Requirement) -> Requirement:
    fresh = Requirement.objects.select_for_update().get(pk=requirement.pk)
    requirement.status = fresh.status
    return requirement


def _step(requirement: Requirement, user, kind: str, text: str, at: datetime, client_id=None) -> RequirementStep:
    step = RequirementStep(requirement=requirement, kind=kind, text=text.strip(), by=_user(user), at=at,
                           client_id=client_id)
    _save(step, user, kind)
    return step


@transaction.atomic
def respond(user, requirement: Requirement, text: str, *, evidence: Iterable = (),
            when: datetime | None = None, client_id=None) -> RequirementStep:
    """The unit's response: what was done, with evidence files. issued/returned -> responded."""
    _lock(requirement)
    if requirement.status not in (Status.ISSUED, Status.RETURNED):
        raise SupervisionError(_("this requirement is %(status)s: it takes no response now") % {
            "status": requirement.get_status_display()})
    if not (text or "").strip():
        raise SupervisionError(_("a response needs a text saying what was done"))
    at = _now(when)
    step = _step(requirement, user, StepKind.RESPONSE, text, at, client_id)
    for uploaded in evidence:
        add_attachment(user, uploaded, step=step, when=at)
    requirement.status = Status.RESPONDED
    requirement.responded_at = at
    _save(requirement, user, "responded")
    notify_requirement("requirement_answered", requirement, user)
    return step


@transaction.atomic
def send_back(user, requirement: Requirement, reason: str, *, when: datetime | None = None) -> RequirementStep:
    """The supervisor finds the response insufficient: responded -> returned, with the reason."""
    _lock(requirement)
    if requirement.status != Status.RESPONDED:
        raise SupervisionError(_("only a responded requirement can be sent back"))
    if not (reason or "").strip():
        raise SupervisionError(_("say why the response is sent back"))
    at = _now(when)
    step = _step(requirement, user, StepKind.RETURN, reason, at)
    requirement.status = Status.RETURNED
    _save(requirement, user, "sent back")
    notify_requirement("requirement_sent_back", requirement, user, reason)
    return step


@transaction.atomic
def verify(user, requirement: Requirement, note: str = "", *, when: datetime | None = None) -> RequirementStep:
    """The supervisor checks the rectification and closes it: responded -> verified."""
    _lock(requirement)
    if requirement.status != Status.RESPONDED:
        raise SupervisionError(_("only a responded requirement can be verified"))
    at = _now(when)
    step = _step(requirement, user, StepKind.VERIFICATION, note, at)
    requirement.status = Status.VERIFIED
    requirement.verified_at = at
    requirement.verified_by = _user(user)
    _save(requirement, user, "verified")
    notify_requirement("requirement_verified", requirement, user)
    return step


__all__ = [
    "SupervisionError", "FileRefused", "create_round", "update_round", "delete_round", "create_group",
    "update_group", "delete_group", "record_visit", "update_visit", "delete_visit", "record_finding",
    "update_finding", "delete_finding", "add_attachment", "delete_attachment", "issue_requirement",
    "update_requirement", "delete_requirement", "respond", "send_back", "verify",
]
