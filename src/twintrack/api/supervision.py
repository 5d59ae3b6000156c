"""The supervision loop: visits, findings and requirements (GET lists, POST records) and the
addressee's response. Every write goes through `supervision.services`, whose `*_problem`
rules refuse it (422 naming the rule's sentence), after the same `may`/`require` gates as
the pages; references in a body resolve only to what the user may see or the group covers."""
from __future__ import annotations

from datetime import date
from typing import Literal

from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status as Reply  # Status is the requirement's, below
from pydantic import Field

from twintrack.api.auth import WriteTokenAuth
from twintrack.api.paging import Paging, month_filter, page_of
from twintrack.api.problems import READ_ERRORS, WRITE_ERRORS, Rejected
from twintrack.api.schemas import (
    FindingOut, FindingPage, RequirementOut, RequirementPage, ResponseOut, Text, VisitOut, VisitPage,
)
from twintrack.enterprises.models import Enterprise
from twintrack.orgs.access import get_visible_org_or_404, require, visible
from twintrack.orgs.models import OrgUnit
from twintrack.programme.models import Project
from twintrack.supervision import access, services
from twintrack.supervision.models import (
    Finding, FindingKind, Group, KeyTask, Requirement, Round, Status, Visit,
)

WRITE = WriteTokenAuth()
router = Router(tags=["supervision"])

FindingKindName = Literal[tuple(FindingKind.values)]
StatusName = Literal[tuple(Status.values)]
Code = Field(None, min_length=2, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class VisitIn(Schema):
    group: Text
    org: Text
    date: date
    enterprises: list[Text] = Field(default_factory=list, max_length=500)
    attendees: Text = Field("", max_length=2000)
    note: Text = Field("", max_length=5000)
    code: str | None = Code


class FindingIn(Schema):
    visit: Text
    kind: FindingKindName
    text: Text = Field(max_length=10000)
    enterprise: Text | None = None
    project: Text | None = None
    code: str | None = Code


class RequirementIn(Schema):
    round: Text
    key_task: Text
    text: Text = Field(max_length=10000)
    due_date: date
    org: Text | None = None
    enterprise: Text | None = None
    owner: Text = Field("", max_length=200)
    visit: Text | None = None
    finding: Text | None = None
    code: str | None = Code


class ResponseIn(Schema):
    text: Text = Field(max_length=10000)


# --- what the API answers ----------------------------------------------------------------------

def visit_out(v: Visit) -> dict:
    return {"code": v.code, "round": v.round.code, "group": v.group.code, "org": v.org.code, "date": v.date,
            "enterprises": sorted(e.uscc for e in v.enterprises.all()), "attendees": v.attendees, "note": v.note,
            "recorded_at": v.recorded_at}


def finding_out(f: Finding) -> dict:
    return {"code": f.code, "visit": f.visit.code, "org": f.visit.org.code, "kind": f.kind, "text": f.text,
            "enterprise": f.enterprise.uscc if f.enterprise_id else None,
            "project": f.project.code if f.project_id else None, "recorded_at": f.recorded_at}


def requirement_out(r: Requirement) -> dict:
    return {"code": r.code, "round": r.round.code, "visit": r.visit.code if r.visit_id else None,
            "finding": r.finding.code if r.finding_id else None, "org": r.org.code,
            "enterprise": r.enterprise.uscc if r.enterprise_id else None, "key_task": r.key_task.code,
            "text": r.text, "due_date": r.due_date, "owner": r.owner, "status": r.status, "issued_at": r.issued_at,
            "responded_at": r.responded_at, "verified_at": r.verified_at}


# --- resolving the codes of a body: what is not reachable reads as absent --------------------

def _absent(field: str, code: str) -> Rejected:
    message = _("nothing with the code %(code)s") % {"code": code}
    return Rejected(f"{field}: {message}", [(None, field, message)])


def _one(queryset, field: str, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        raise _absent(field, next(iter(lookup.values())))
    return found


def _optional(queryset, field: str, code: str | None, key: str = "code"):
    return _one(queryset, field, **{key: code.strip()}) if code else None


def _under(units, path_field: str) -> Q:
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(**{f"{path_field}__startswith": unit.path})
    return q


def _refused(error: services.SupervisionError) -> Rejected:
    return Rejected(error.message, [(None, None, error.message)])


# --- lists ---------------------------------------------------------------------------------------

def _in_org(request, org: str | None, path_field: str) -> Q:
    return Q(**{f"{path_field}__startswith": get_visible_org_or_404(request.user, org).path}) if org else Q()


@router.get("/supervision/visits", response={200: VisitPage, **READ_ERRORS}, summary="Visits in scope")
def visits(request, paging: Query[Paging], org: Text | None = None, month: Text | None = None):
    rows = (visible(request.user, Visit).filter(_in_org(request, org, "org__path"))
            .select_related("round", "group", "org").prefetch_related("enterprises").order_by("date", "code"))
    wanted = month_filter(month)
    if wanted:
        rows = rows.filter(date__year=wanted.year, date__month=wanted.month)
    return page_of(request, rows, paging, visit_out)


@router.get("/supervision/findings", response={200: FindingPage, **READ_ERRORS}, summary="Findings in scope")
def findings(request, paging: Query[Paging], org: Text | None = None, kind: FindingKindName | None = None,
             month: Text | None = None):
    rows = (visible(request.user, Finding).filter(_in_org(request, org, "visit__org__path"))
            .select_related("visit", "visit__org", "enterprise", "project").order_by("visit__date", "code"))
    if kind:
        rows = rows.filter(kind=kind)
    wanted = month_filter(month)
    if wanted:
        rows = rows.filter(visit__date__year=wanted.year, visit__date__month=wanted.month)
    return page_of(request, rows, paging, finding_out)


@router.get("/supervision/requirements", response={200: RequirementPage, **READ_ERRORS},
            summary="Requirements in scope")
def requirements(request, paging: Query[Paging], org: Text | None = None, status: StatusName | None = None,
                 month: Text | None = None, q: Text | None = None):
    rows = (visible(request.user, Requirement).filter(_in_org(request, org, "org__path"))
            .select_related("round", "visit", "finding", "org", "enterprise", "key_task").order_by("due_date", "code"))
    if status:
        rows = rows.filter(status=status)
    due = month_filter(month)
    if due:
        rows = rows.filter(due_date__year=due.year, due_date__month=due.month)
    if q:
        rows = rows.filter(Q(code__icontains=q) | Q(text__icontains=q))
    return page_of(request, rows, paging, requirement_out)


# --- writes --------------------------------------------------------------------------------------

@router.post("/supervision/visits", auth=WRITE,
             response={201: VisitOut, **WRITE_ERRORS}, summary="Record a group's visit")
def visit_create(request, body: VisitIn):
    user = request.user
    group = _one(visible(user, Group), "group", code=body.group.strip())
    require(user, "create", Visit(group=group))
    covered = list(group.units.all())
    org = _one(OrgUnit.objects.filter(Q(pk__in=visible(user, OrgUnit)) | _under(covered, "path")), "org",
               code=body.org.strip())
    reachable = Enterprise.objects.filter(Q(pk__in=visible(user, Enterprise)) | _under(covered, "org__path"))
    enterprises = [_one(reachable, "enterprises", uscc=uscc.strip().upper()) for uscc in body.enterprises]
    try:
        visit = services.record_visit(user, group, org, body.date, enterprises=enterprises,
                                      attendees=body.attendees, note=body.note, code=body.code)
    except services.SupervisionError as error:
        raise _refused(error) from None
    return Reply(201, visit_out(visit))


@router.post("/supervision/findings", auth=WRITE,
             response={201: FindingOut, **WRITE_ERRORS}, summary="Record a finding")
def finding_create(request, body: FindingIn):
    user = request.user
    visit = _one(visible(user, Visit), "visit", code=body.visit.strip())
    require(user, "create", Finding(visit=visit))
    near = _under([visit.org], "org__path")
    enterprise = _optional(Enterprise.objects.filter(Q(pk__in=visible(user, Enterprise)) | near), "enterprise",
                           body.enterprise and body.enterprise.upper(), "uscc")
    project = _optional(Project.objects.filter(Q(pk__in=visible(user, Project)) | _under([visit.org],
                        "enterprise__org__path")), "project", body.project)
    try:
        finding = services.record_finding(user, visit, body.kind, body.text, enterprise=enterprise, project=project,
                                          code=body.code)
    except services.SupervisionError as error:
        raise _refused(error) from None
    return Reply(201, finding_out(finding))


@router.post("/supervision/requirements", auth=WRITE,
             response={201: RequirementOut, **WRITE_ERRORS},
             summary="Issue a requirement to a unit or an enterprise")
def requirement_create(request, body: RequirementIn):
    user = request.user
    round_ = _one(visible(user, Round), "round", code=body.round.strip())
    finding = _optional(visible(user, Finding).filter(visit__round=round_), "finding", body.finding)
    visit = _optional(visible(user, Visit).filter(round=round_), "visit", body.visit)
    visit = visit or (finding.visit if finding is not None else None)
    require(user, "create", Requirement(round=round_))
    units = access.issuable_units(user, round_, visit)
    org = _optional(units, "org", body.org)
    enterprise = _optional(Enterprise.objects.filter(org__in=units), "enterprise",
                           body.enterprise and body.enterprise.upper(), "uscc")
    key_task = _one(visible(user, KeyTask), "key_task", code=body.key_task.strip())
    addressee = enterprise.org if enterprise is not None else org
    if addressee is not None:
        require(user, "create", Requirement(round=round_, org=addressee))
    try:
        requirement = services.issue_requirement(user, round_, key_task, body.text, body.due_date, org=org,
                                                 enterprise=enterprise, owner=body.owner, visit=visit,
                                                 finding=finding, code=body.code)
    except services.SupervisionError as error:
        raise _refused(error) from None
    return Reply(201, requirement_out(requirement))


@router.post("/supervision/requirements/{code}/responses", auth=WRITE,
             response={201: ResponseOut, **WRITE_ERRORS},
             summary="The addressee's response: what was done")
def requirement_respond(request, code: Text, body: ResponseIn):
    user = request.user
    requirement = get_object_or_404(visible(user, Requirement), code=code)
    require(user, "respond", requirement)
    try:
        with transaction.atomic():
            step = services.respond(user, requirement, body.text)
    except services.SupervisionError as error:
        raise _refused(error) from None
    return Reply(201, {"requirement": requirement.code, "kind": step.kind, "text": step.text, "at": step.at,
                        "status": requirement.status})
