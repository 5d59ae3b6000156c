"""Supervision through the API: the same gates (`may`/`require`) and the same `*_problem`
rules as the pages, through `supervision.services`; every write in the history."""
import json

import pytest

from twintrack.supervision.models import Requirement, Status


def created(response) -> dict:
    assert response.status_code == 201, response.content
    return json.loads(response.content)


def refused(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return json.loads(response.content)


VISIT = {"group": "2023Q3-G1", "org": "330402", "date": "2023-09-14", "attendees": "南湖区经信局", "note": "回访"}


def test_the_group_leader_and_the_bureau_record_visits(api):
    from twintrack.supervision.models import Visit

    visit = created(api("supervisor", write=True).post_json("/supervision/visits", VISIT))
    assert (visit["group"], visit["org"], visit["date"], visit["round"]) == ("2023Q3-G1", "330402", "2023-09-14",
                                                                              "2023Q3")
    record = Visit.objects.get(code=visit["code"]).history.get()
    assert record.history_user.username == "duchazu1" and "API token" in record.history_change_reason
    assert created(api("bureau", write=True).post_json("/supervision/visits", {**VISIT, "org": "330483"}))
    listed = json.loads(api("district").get("/supervision/visits?org=330402&month=2023-09").content)["results"]
    assert visit["code"] in {v["code"] for v in listed}


@pytest.mark.parametrize("role, status", [("district", 403), ("other_district", 422), ("enterprise", 422),
                                          ("provider", 422)])
def test_who_may_not_record_a_visit(api, role, status):
    from twintrack.supervision.models import Visit

    count = Visit.objects.count()
    problem = refused(api(role, write=True).post_json("/supervision/visits", VISIT), status)
    if status == 422:  # a group they cannot see reads as one that does not exist
        assert problem["errors"] == [{"row": None, "column": "group", "message": problem["errors"][0]["message"]}]
    assert Visit.objects.count() == count


def test_the_services_rules_refuse_a_visit_as_the_pages_do(api):
    from twintrack.supervision import services
    from twintrack.supervision.models import Round

    leader = api("supervisor", write=True)
    outside = refused(leader.post_json("/supervision/visits", {**VISIT, "date": "2023-10-30"}), 422)
    expected = services.visit_date_problem(Round.objects.get(code="2023Q3"), __import__("datetime").date(2023, 10, 30))
    assert outside["detail"] == expected and outside["errors"][0]["message"] == expected
    pinghu = refused(leader.post_json("/supervision/visits", {**VISIT, "org": "330482"}), 422)
    assert pinghu["errors"][0]["column"] == "org"  # outside the group's coverage and the user's scope
    other_group = refused(leader.post_json("/supervision/visits", {**VISIT, "group": "2023Q3-G2"}), 403)
    assert other_group["status"] == 403


def test_findings_follow_the_visit(api):
    leader = api("supervisor", write=True)
    finding = created(leader.post_json("/supervision/findings", {"visit": "2023Q3-V01", "kind": "problem",
                                                                 "text": "能耗数据未按月报送"}))
    assert (finding["visit"], finding["kind"], finding["org"]) == ("2023Q3-V01", "problem", "330402")
    from twintrack.enterprises.models import Enterprise

    elsewhere = Enterprise.objects.filter(org__code="330482").order_by("uscc").first()
    problem = refused(leader.post_json("/supervision/findings", {"visit": "2023Q3-V01", "kind": "problem",
                                                                 "text": "x", "enterprise": elsewhere.uscc}), 422)
    assert problem["errors"][0]["message"]
    refused(leader.post_json("/supervision/findings", {"visit": "2023Q3-V01", "kind": "rumour", "text": "x"}), 422)
    refused(api("district", write=True).post_json("/supervision/findings", {"visit": "2023Q3-V01", "kind": "plan",
                                                                            "text": "x"}), 403)


REQUIREMENT = {"round": "2023Q3", "key_task": "green_retrofit", "text": "年底前完成节能诊断", "due_date": "2030-12-31",
               "org": "330402", "owner": "南湖区经信局"}


def test_requirements_are_issued_within_the_issuers_coverage(api):
    leader = api("supervisor", write=True)
    issued = created(leader.post_json("/supervision/requirements", REQUIREMENT))
    assert (issued["org"], issued["status"], issued["key_task"]) == ("330402", "issued", "green_retrofit")
    refused(leader.post_json("/supervision/requirements", {**REQUIREMENT, "org": "330482"}), 422)
    refused(leader.post_json("/supervision/requirements", {**REQUIREMENT, "due_date": "2001-01-01"}), 422)
    refused(api("district", write=True).post_json("/supervision/requirements", REQUIREMENT), 403)


def test_the_addressee_responds_and_nobody_else(api):
    requirement = Requirement.objects.filter(org__code="330402", enterprise__isnull=True,
                                             status__in=[Status.ISSUED, Status.RETURNED]).order_by("code").first()
    path = f"/supervision/requirements/{requirement.code}/responses"
    refused(api("other_district", write=True).post_json(path, {"text": "已整改"}), 404)
    refused(api("supervisor", write=True).post_json(path, {"text": "已整改"}), 403)
    answer = created(api("district", write=True).post_json(path, {"text": "已完成节能诊断并报送"}))
    assert (answer["requirement"], answer["kind"], answer["status"]) == (requirement.code, "response", "responded")
    requirement.refresh_from_db()
    assert requirement.status == Status.RESPONDED
    again = refused(api("district", write=True).post_json(path, {"text": "再次反馈"}), 422)
    assert again["detail"]
    refused(api("district", write=True).post_json(path, {}), 422)
