"""Writing diagnosis data: assessments (scored from the framework's rules), provider
assignments, demonstrations, solutions, adoptions and the coverage setting.

Every write keeps a history row (who, when, why) and bumps the data version in the same
transaction, so cached pages and reports never show stale figures.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Mapping

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from twintrack.diagnosis.frameworks import spec_of
from twintrack.diagnosis.models import (
    Answer, Assessment, AssessmentKind, CoverageSetting, Demonstration, DemonstrationStatus, DiagnosisReport,
    Dimension, DimensionScore, Framework, Option, ProviderAssignment, Question, ServiceProvider, Solution, SolutionAdoption, Stage,
)
from twintrack.diagnosis.scoring import AnswerError, score_answers
from twintrack.metrics import version
from twintrack.notify.services import notify_assignment

REPORT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".doc": "application/msword",
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
}


def _history(obj, user, reason: str):
    obj._change_reason = reason[:100]
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    return obj


# --- provider assignments --------------------------------------------------------------------

def active_assignments(on: date | None = None):
    on = on or timezone.localdate()
    return ProviderAssignment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on), is_active=True, start_date__lte=on, ended_at__isnull=True,
        provider__is_active=True)


def assigned_enterprise_ids(user):
    """For the enterprises policy (orgs.access.register_assigned_enterprises): the enterprises a
    provider user's firm is assigned today, as a subquery; None for anyone else."""
    from twintrack.diagnosis.access import provider_id_of

    provider_id = provider_id_of(user)
    if provider_id is None:
        return None
    return active_assignments().filter(provider_id=provider_id).values("enterprise_id")


def is_assigned(provider: ServiceProvider, enterprise, on: date | None = None) -> bool:
    return active_assignments(on).filter(provider=provider, enterprise=enterprise).exists()


@transaction.atomic
def assign_provider(provider: ServiceProvider, enterprise, start_date: date, end_date: date | None = None,
                    note: str = "", user=None) -> ProviderAssignment:
    if end_date is not None and end_date < start_date:
        raise ValueError("the end date is before the start date")
    assignment = ProviderAssignment(provider=provider, enterprise=enterprise, start_date=start_date,
                                    end_date=end_date, note=note, assigned_by=user)
    _history(assignment, user, "assigned").save()
    notify_assignment(assignment, user)
    version.bump()
    return assignment


@transaction.atomic
def end_assignment(assignment: ProviderAssignment, end_date: date, user=None) -> None:
    """End an assignment now: the provider loses access at once, not at the end of the day."""
    assignment.end_date = max(end_date, assignment.start_date)
    assignment.ended_at = timezone.now()
    _history(assignment, user, "assignment ended").save(update_fields=["end_date", "ended_at"])
    version.bump()


# --- assessments ----------------------------------------------------------------------------

@dataclass
class ReportFile:
    filename: str
    content: bytes
    content_type: str = ""


def refresh_latest(enterprise_id: int, framework_key: str) -> None:
    """Mark the enterprise's latest active assessment of this framework key (by date, then id)."""
    rows = Assessment.objects.filter(enterprise_id=enterprise_id, framework_key=framework_key)
    latest = rows.filter(is_active=True).order_by("-assessed_on", "-id").values_list("id", flat=True).first()
    rows.exclude(id=latest).filter(is_latest=True).update(is_latest=False)
    if latest is not None:
        rows.filter(id=latest, is_latest=False).update(is_latest=True)


def _stage_for(enterprise_id: int, framework_key: str, assessed_on: date) -> str:
    earlier = Assessment.objects.filter(enterprise_id=enterprise_id, framework_key=framework_key, is_active=True,
                                        assessed_on__lt=assessed_on).exists()
    return Stage.FOLLOW_UP if earlier else Stage.BASELINE


@transaction.atomic
def record_assessment(enterprise, framework: Framework, answers: Mapping[str, str], *, kind: str,
                      assessed_on: date | None = None, user=None, provider: ServiceProvider | None = None,
                      summary: str = "", pain_points: str = "", recommendations: str = "",
                      reports: list[ReportFile] | None = None, stage: str | None = None) -> Assessment:
    """Score the answers with the framework version's own rules and store the assessment.

    AnswerError if an answer is missing or unknown. An offline diagnosis needs its provider.
    The first assessment of an enterprise in a framework is "before support"; later ones "after"."""
    if kind == AssessmentKind.OFFLINE and provider is None:
        raise ValueError("an offline diagnosis is recorded by a service provider")
    spec = spec_of(framework)
    result = score_answers(spec, answers)
    assessed_on = assessed_on or timezone.localdate()
    assessment = Assessment(
        enterprise=enterprise, framework=framework, framework_key=framework.key, kind=kind, provider=provider,
        assessed_on=assessed_on, stage=stage or _stage_for(enterprise.pk, framework.key, assessed_on),
        overall_score=result.overall, level=result.level.level, level_code=result.level.code, summary=summary,
        pain_points=pain_points, recommendations=recommendations, created_by=user)
    _history(assessment, user, "self-assessment" if kind == AssessmentKind.SELF else "offline diagnosis").save()
    dimensions = {d.code: d for d in Dimension.objects.filter(framework=framework)}
    DimensionScore.objects.bulk_create([
        DimensionScore(assessment=assessment, dimension=dimensions[code], code=code, score=score)
        for code, score in result.dimensions.items()])
    questions = {q.code: q for q in Question.objects.filter(dimension__framework=framework)}
    options = {(o.question_id, o.code): o for o in Option.objects.filter(question__dimension__framework=framework)}
    Answer.objects.bulk_create([
        Answer(assessment=assessment, question=questions[q_code], option=options[(questions[q_code].id, o_code)],
               score=score)
        for q_code, (o_code, score) in result.answers.items()])
    for report in reports or []:
        attach_report(assessment, report, user)
    refresh_latest(enterprise.pk, framework.key)
    version.bump()
    assessment.refresh_from_db()
    return assessment


def attach_report(assessment: Assessment, report: ReportFile, user=None) -> DiagnosisReport:
    suffix = "." + report.filename.rsplit(".", 1)[-1].lower() if "." in report.filename else ""
    return DiagnosisReport.objects.create(
        assessment=assessment, filename=report.filename[-200:],
        content_type=REPORT_TYPES.get(suffix, "application/octet-stream"), size=len(report.content),
        sha256=hashlib.sha256(report.content).hexdigest(), content=report.content, uploaded_by=user)


@transaction.atomic
def delete_assessment(assessment: Assessment, user=None, reason: str = "deleted") -> None:
    """Soft deletion: the assessment leaves every page, benchmark and metric, and stays in history."""
    if not assessment.is_active:
        return
    assessment.is_active, assessment.deleted_at = False, timezone.now()
    _history(assessment, user, reason).save(update_fields=["is_active", "deleted_at"])
    refresh_latest(assessment.enterprise_id, assessment.framework_key)
    version.bump()


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The enterprise's assessment of the same framework key just before this one."""
    return (Assessment.objects.filter(enterprise_id=assessment.enterprise_id, framework_key=assessment.framework_key,
                                      is_active=True)
            .filter(Q(assessed_on__lt=assessment.assessed_on) | Q(assessed_on=assessment.assessed_on,
                                                                   id__lt=assessment.id))
            .order_by("-assessed_on", "-id").first())


# --- demonstrations -----------------------------------------------------------------------

@transaction.atomic
def save_demonstration(demonstration: Demonstration, user=None, reason: str = "saved") -> Demonstration:
    if demonstration.status == DemonstrationStatus.DESIGNATED and demonstration.designated_on is None:
        demonstration.designated_on = timezone.localdate()
    if demonstration.pk is None and demonstration.nominated_by_id is None and user is not None:
        demonstration.nominated_by = user if getattr(user, "is_authenticated", False) else None
    _history(demonstration, user, reason).save()
    version.bump()
    return demonstration


@transaction.atomic
def set_demonstration_status(demonstration: Demonstration, status: str, user=None,
                             designated_on: date | None = None) -> None:
    demonstration.status = status
    demonstration.designated_on = (designated_on or timezone.localdate()) if status == DemonstrationStatus.DESIGNATED \
        else None
    _history(demonstration, user, f"status {status}").save()
    version.bump()


# --- solutions and adoptions ------------------------------------------------------------------

@transaction.atomic
def save_solution(solution: Solution, user=None, reason: str = "saved") -> Solution:
    solution.industries = sorted({str(c).strip() for c in solution.industries if str(c).strip()})
    solution.dimensions = sorted({str(c).strip() for c in solution.dimensions if str(c).strip()})
    solution.sizes = sorted({str(c).strip() for c in solution.sizes if str(c).strip()})
    _history(solution, user, reason).save()
    version.bump()
    return solution


@transaction.atomic
def retire_solution(solution: Solution, user=None) -> None:
    solution.is_active, solution.deleted_at = False, timezone.now()
    _history(solution, user, "withdrawn from the catalogue").save(update_fields=["is_active", "deleted_at"])
    version.bump()


@transaction.atomic
def record_adoption(enterprise, solution: Solution, status: str, started_on: date, completed_on: date | None = None,
                    note: str = "", user=None) -> SolutionAdoption:
    adoption = SolutionAdoption(enterprise=enterprise, solution=solution, status=status, started_on=started_on,
                                completed_on=completed_on, note=note, recorded_by=user)
    _history(adoption, user, "adoption recorded").save()
    version.bump()
    return adoption


# --- the coverage setting -----------------------------------------------------------------------

@transaction.atomic
def save_coverage_setting(org, framework_key: str, min_level: int, valid_months: int | None,
                          user=None) -> CoverageSetting:
    setting = CoverageSetting.objects.filter(org=org).first() or CoverageSetting(org=org)
    setting.framework_key, setting.min_level, setting.valid_months = framework_key, min_level, valid_months
    _history(setting, user, "coverage setting").save()
    version.bump()
    return setting


__all__ = [
    "AnswerError", "ReportFile", "active_assignments", "assign_provider", "assigned_enterprise_ids",
    "attach_report", "delete_assessment", "end_assignment", "is_assigned", "previous_assessment",
    "record_adoption", "record_assessment", "refresh_latest", "retire_solution", "save_coverage_setting",
    "save_demonstration", "save_solution", "set_demonstration_status",
]
