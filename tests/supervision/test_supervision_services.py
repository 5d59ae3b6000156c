"""Services and the requirement state machine, without the browser."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from supervision_helpers import at, upload
from twintrack.supervision import services
from twintrack.supervision.models import (
    Attachment, Finding, KeyTask, Requirement, RequirementStep, Round, Status, StepKind, Visit,
)


def test_the_three_key_tasks_are_data_in_two_languages(db):
    tasks = list(KeyTask.objects.order_by("number"))
    assert [t.number for t in tasks] == [1, 2, 3]
    assert "示范标杆" in tasks[0].name_zh and "benchmarks" in tasks[0].name_en
    assert "轻量化" in tasks[1].name_zh and "SMEs" in tasks[1].name_en
    assert "节能降碳" in tasks[2].name_zh and "diagnosis" in tasks[2].name_en


def test_codes_are_numbered_within_the_round_and_visit(world, records):
    assert records.nanhu_visit.code == "2023Q3-V01"
    assert records.pinghu_visit.code == "2023Q3-V02"
    assert records.nanhu_finding.code == "2023Q3-V01-F01"
    assert records.nanhu_req.code == "2023Q3-R01"
    assert world.g1.code == "2023Q3-G1" and world.g2.code == "2023Q3-G2"


def test_a_requirement_goes_round_the_loop_and_each_step_records_who_and_when(world, records):
    req, u = records.nanhu_req, world.users
    assert req.status == Status.ISSUED and req.issued_by == u.sup1
    services.respond(u.nanhu, req, "方案已完成。", when=at(date(2023, 10, 20)))
    assert req.status == Status.RESPONDED and req.responded_at == at(date(2023, 10, 20))
    services.send_back(u.sup1, req, "缺少节能量测算。", when=at(date(2023, 10, 22)))
    assert req.status == Status.RETURNED
    services.respond(u.dewei, req, "已补充第三方诊断报告。", when=at(date(2023, 10, 28)))
    services.verify(u.sup1, req, "同意销号。", when=at(date(2023, 10, 30)))
    req.refresh_from_db()
    assert req.status == Status.VERIFIED and req.verified_by == u.sup1 and req.verified_at == at(date(2023, 10, 30))
    steps = list(req.steps.values_list("kind", "by__username"))
    assert steps == [(StepKind.RESPONSE, "nanhu"), (StepKind.RETURN, "duchazu1"), (StepKind.RESPONSE, "dewei"),
                     (StepKind.VERIFICATION, "duchazu1")]
    history = list(req.history.order_by("history_date").values_list("status", "history_user__username"))
    assert history == [("issued", "duchazu1"), ("responded", "nanhu"), ("returned", "duchazu1"),
                       ("responded", "dewei"), ("verified", "duchazu1")]


@pytest.mark.parametrize("status, action", [
    ("issued", "send_back"), ("issued", "verify"), ("returned", "verify"), ("returned", "send_back"),
    ("responded", "respond"), ("verified", "respond"), ("verified", "send_back"), ("verified", "verify"),
])
def test_a_step_out_of_turn_is_refused(world, records, status, action):
    req, u = records.nanhu_req, world.users
    path = {"issued": [], "responded": ["respond"], "returned": ["respond", "send_back"],
            "verified": ["respond", "verify"]}[status]
    for step in path:
        {"respond": lambda: services.respond(u.nanhu, req, "x"), "send_back": lambda: services.send_back(u.sup1, req, "y"),
         "verify": lambda: services.verify(u.sup1, req)}[step]()
    assert req.status == status
    with pytest.raises(services.SupervisionError):
        {"respond": lambda: services.respond(u.nanhu, req, "again"),
         "send_back": lambda: services.send_back(u.sup1, req, "why"),
         "verify": lambda: services.verify(u.sup1, req)}[action]()
    req.refresh_from_db()
    assert req.status == status


def test_a_response_needs_text_and_a_return_needs_a_reason(world, records):
    with pytest.raises(services.SupervisionError):
        services.respond(world.users.nanhu, records.nanhu_req, "  ")
    services.respond(world.users.nanhu, records.nanhu_req, "done")
    with pytest.raises(services.SupervisionError):
        services.send_back(world.users.sup1, records.nanhu_req, "")


def test_overdue_is_derived_from_the_due_date_and_the_state(world, records):
    req = records.nanhu_req  # due 2023-10-31
    assert req.is_overdue(date(2023, 11, 1)) and not req.is_overdue(date(2023, 10, 31))
    assert req.days_overdue(date(2023, 11, 10)) == 10
    assert set(Requirement.objects.overdue(date(2023, 11, 1))) == {req}
    assert not records.pinghu_req.overdue  # due 2099
    services.respond(world.users.nanhu, req, "done")
    assert req.is_overdue(date(2023, 11, 1))  # responded is not done
    services.verify(world.users.sup1, req)
    assert not req.is_overdue(date(2030, 1, 1)) and not Requirement.objects.overdue(date(2030, 1, 1)).filter(
        pk=req.pk).exists()
    assert "overdue" not in [f.name for f in Requirement._meta.get_fields()]  # never stored


def test_nothing_is_hard_deleted(world, records):
    u = world.users
    with pytest.raises(services.SupervisionError):
        services.delete_visit(u.sup1, records.nanhu_visit)  # findings and requirements first
    services.delete_requirement(u.sup1, records.nanhu_req)
    with pytest.raises(services.SupervisionError):
        services.delete_round(u.bureau, world.round)
    services.delete_finding(u.sup1, records.nanhu_finding)
    services.delete_visit(u.sup1, records.nanhu_visit)
    assert not Visit.objects.filter(pk=records.nanhu_visit.pk).exists()
    kept = Visit.all_objects.get(pk=records.nanhu_visit.pk)
    assert kept.deleted_by == u.sup1 and kept.deleted_at is not None
    assert Finding.all_objects.filter(pk=records.nanhu_finding.pk).exists()
    assert Requirement.all_objects.get(pk=records.nanhu_req.pk).deleted_at is not None
    assert kept.history.first().history_change_reason == "visit deleted"


def test_a_visit_is_to_a_unit_the_group_covers_and_its_enterprises_are_there(world):
    u, w = world.users, world
    with pytest.raises(services.SupervisionError, match="does not cover"):
        services.record_visit(u.sup1, w.g1, w.orgs["330482"], date(2023, 9, 12))
    with pytest.raises(services.SupervisionError, match="is not in"):
        services.record_visit(u.sup1, w.g1, w.orgs["330402"], date(2023, 9, 12),
                              enterprises=[w.ent["Meiyi Intelligent Sensing"]])
    visit = services.record_visit(u.sup1, w.g1, w.orgs["NHGX"], date(2023, 9, 12),
                                  enterprises=[w.ent["Fengchuan Electronics"]])  # a unit below the one covered
    assert visit.round == w.round and list(visit.enterprises.all()) == [w.ent["Fengchuan Electronics"]]


def test_a_findings_project_belongs_to_its_enterprise_and_fills_it_in(world, records):
    u, w = world.users, world
    finding = services.record_finding(u.sup1, records.nanhu_visit, "progress", "进展顺利", project=w.projects["P1"])
    assert finding.enterprise == w.ent["Dewei Stainless Steel"]
    with pytest.raises(services.SupervisionError):
        services.record_finding(u.sup1, records.nanhu_visit, "plan", "x", enterprise=w.ent["Fengchuan Electronics"],
                                project=w.projects["P1"])
    with pytest.raises(services.SupervisionError):
        services.record_finding(u.sup1, records.nanhu_visit, "nonsense", "x")


def test_a_requirement_to_an_enterprise_is_addressed_to_its_unit_too(world, records):
    assert records.nanhu_req.org == world.orgs["330402"]
    req = services.issue_requirement(world.users.sup1, world.round, world.tasks[1], "x", date(2099, 1, 1),
                                     enterprise=world.ent["Fengchuan Electronics"])
    assert req.org == world.orgs["NHGX"]


def test_a_requirement_cannot_be_due_before_it_is_issued_or_link_another_rounds_visit(world, records):
    u, w = world.users, world
    with pytest.raises(services.SupervisionError, match="before the day it is issued"):
        services.issue_requirement(u.sup1, w.round, w.tasks[1], "x", date(2023, 9, 1), org=w.orgs["330402"],
                                   when=at(date(2023, 9, 12)))
    other = services.create_round(u.bureau, code="2023Q4", name_zh="四季度", start_date=date(2023, 12, 1))
    with pytest.raises(services.SupervisionError, match="another round"):
        services.issue_requirement(u.sup1, other, w.tasks[1], "x", date(2099, 1, 1), org=w.orgs["330402"],
                                   visit=records.nanhu_visit)
    with pytest.raises(services.SupervisionError, match="not the unit visited"):
        services.issue_requirement(u.sup1, w.round, w.tasks[1], "x", date(2099, 1, 1), org=w.orgs["330482"],
                                   visit=records.nanhu_visit)


def test_a_verified_requirement_is_closed_to_edits(world, records):
    req, u = records.nanhu_req, world.users
    services.update_requirement(u.sup1, req, due_date=date(2023, 11, 30), owner="新责任人")
    assert req.due_date == date(2023, 11, 30) and req.owner == "新责任人"
    services.respond(u.nanhu, req, "done")
    services.verify(u.sup1, req)
    with pytest.raises(services.SupervisionError):
        services.update_requirement(u.sup1, req, text="changed")


def test_the_round_report_period_defaults_to_the_month_before_it_starts(world):
    assert (world.round.report_year, world.round.report_month) == (2023, 8)
    january = services.create_round(world.users.bureau, code="2024Q1", name_zh="x", start_date=date(2024, 1, 8))
    assert (january.report_year, january.report_month) == (2023, 12)
    with pytest.raises(services.SupervisionError):
        services.create_round(world.users.bureau, code="2023Q3", name_zh="again", start_date=date(2023, 9, 1))
    with pytest.raises(services.SupervisionError):
        services.create_round(world.users.bureau, code="bad code!", name_zh="x", start_date=date(2023, 9, 1))


def test_response_evidence_is_kept_with_the_step_and_cannot_be_withdrawn(world, records, png):
    step = services.respond(world.users.nanhu, records.nanhu_req, "见照片", evidence=[png("现场.png")])
    attachment = step.attachments.get()
    assert attachment.name == "现场.png" and attachment.file_type == "png" and attachment.uploaded_by.username == "nanhu"
    assert attachment.file.name.startswith("supervision/") and "现场" not in attachment.file.name
    with pytest.raises(services.SupervisionError):
        services.delete_attachment(world.users.sup1, attachment)
    assert RequirementStep.objects.count() == 1 and Attachment.objects.count() == 1


def test_a_refused_evidence_file_leaves_no_response(world, records):
    from twintrack.supervision.files import FileRefused

    with pytest.raises(FileRefused):
        services.respond(world.users.nanhu, records.nanhu_req, "x", evidence=[upload("virus.png", b"MZ\x90\x00")])
    records.nanhu_req.refresh_from_db()
    assert records.nanhu_req.status == Status.ISSUED and not RequirementStep.objects.exists()


def test_the_demo_round_has_some_done_some_open_and_some_overdue(db, industry_codes):
    from django.core.management import call_command

    call_command("demo")
    round_ = Round.objects.get(code="2023Q3")
    assert round_.groups.count() == 2
    visits = list(round_.visits.select_related("org"))
    assert sorted(v.org.code for v in visits) == ["330402", "330482", "330483", "JXGQ"]
    investigated = {e.name_en for v in visits for e in v.enterprises.all()}
    assert investigated == {"Fengchuan Electronics", "Dewei Stainless Steel", "Jushi Group",
                            "Meiyi Intelligent Sensing", "Transchemical Synthesis", "Odeon Transmission"}
    assert Finding.objects.filter(visit__round=round_).values("kind").distinct().count() == 4
    states = {s: round_.requirements.filter(status=s).count() for s in Status.values}
    assert all(states[s] > 0 for s in Status.values), states
    assert {r.key_task.number for r in round_.requirements.all()} == {1, 2, 3}
    today = timezone.localdate()
    overdue = round_.requirements.overdue(today).count()
    assert 0 < overdue < round_.requirements.count()
    assert overdue == round_.requirements.exclude(status=Status.VERIFIED).count()  # 2026: all open ones are late
    from django.contrib.auth import get_user_model

    sup = get_user_model().objects.get(username="duchazu1")
    assert sup.membership.role == "supervisor" and sup.check_password("twintrack-demo")
    assert today > date(2024, 3, 31) - timedelta(days=1)
