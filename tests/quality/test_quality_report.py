"""`twintrack quality`: the contract's JSON, exit codes, scope, and confirm/clear behaviour."""
import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("quality", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def month(make_project, put):
    """Nanhu: one spike (P1) and one silent project (P2); Pinghu: a repeated figure (Q1)."""
    p1, p2 = make_project("P1"), make_project("P2")
    for period, amount in (("2023-04", 10), ("2023-05", 20), ("2023-06", 30), ("2023-07", 5000)):
        put(p1, period, amount)
    q1 = make_project("Q1", org="330482")
    for period in ("2023-05", "2023-06", "2023-07"):
        put(q1, period, 7)
    return p1, p2, q1


def test_json_has_exactly_the_contracts_shape(month):
    report = json.loads(run("--period", "2023-07", "--format", "json"))
    assert list(report) == ["org", "period", "completeness", "findings", "children"]
    assert report["org"] == {"code": "330400", "name_zh": "嘉兴市", "name_en": "Jiaxing"}
    assert report["period"] == "2023-07"
    assert report["completeness"] == {"expected": 3, "reported": 2, "rate": 2 / 3, "missing": ["P2"]}
    assert report["findings"] == [
        {"rule": "repeated", "project": "Q1", "org": "330482", "month": "2023-07", "value": 7.0,
         "threshold": None, "status": "open"},
        {"rule": "spike", "project": "P1", "org": "330402", "month": "2023-07", "value": 5000.0,
         "threshold": 200.0, "status": "open"},
    ]
    assert [c["org"]["code"] for c in report["children"]] == ["330402", "330482", "JXGQ"]
    assert report["children"][0] == {
        "org": {"code": "330402", "name_zh": "南湖区", "name_en": "Nanhu District"},
        "completeness": {"expected": 2, "reported": 1, "rate": 0.5}, "findings": 1}
    assert report["children"][2]["completeness"] == {"expected": 0, "reported": 0, "rate": None}


def test_org_limits_everything_to_the_subtree(month):
    report = json.loads(run("--period", "2023-07", "--org", "330402", "--format", "json"))
    assert [f["project"] for f in report["findings"]] == ["P1"]
    assert report["completeness"]["missing"] == ["P2"]
    assert report["children"] == []


def test_text_states_the_completeness_percentage(month):
    text = run("--period", "2023-07", "--lang", "en")
    assert "completeness: 66.67%" in text
    assert "[spike] P1" in text


@pytest.mark.parametrize("args", [("--period", "2023-13"), ("--period", "July"),
                                  ("--period", "2023-07", "--org", "NOPE")])
def test_bad_arguments_are_rejected_with_status_2(month, args):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 2


def test_command_line_exit_status_and_no_traceback(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "TWINTRACK_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    done = subprocess.run([sys.executable, "-m", "twintrack.cli", "quality", "--period", "2023-13"],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "month must be 01-12" in done.stderr


# --- confirm and clear -------------------------------------------------------------------------

def spike_of(org="330400"):
    from twintrack.orgs.models import OrgUnit
    from twintrack.quality.services import quality_view

    view = quality_view(OrgUnit.objects.get(code=org), 2023, 7)
    return next((f for f in view.findings if f.rule == "spike"), None)


def test_a_confirmed_finding_stays_listed_as_confirmed_with_who_and_why(month, django_user_model):
    from twintrack.quality.models import FindingReview
    from twintrack.quality.services import confirm_finding

    user = django_user_model.objects.create(username="nanhu")
    confirm_finding(spike_of(), user, "a new production line was paid for in July")
    finding = spike_of()
    assert finding.status == "confirmed"
    assert finding.review.comment == "a new production line was paid for in July"
    assert finding.review.reviewed_by == user
    assert FindingReview.history.count() == 1


def test_a_confirmation_needs_a_comment(month):
    from twintrack.quality.services import QualityRefused, confirm_finding

    with pytest.raises(QualityRefused):
        confirm_finding(spike_of(), None, "  ")


def test_a_correction_that_clears_the_rule_clears_the_finding(month, put):
    p1 = month[0]
    assert spike_of() is not None
    put(p1, "2023-07", 50)
    assert spike_of() is None
    put(p1, "2023-07", 5000)
    assert spike_of().status == "open"


def test_a_confirmation_survives_while_the_rule_still_fires(month, put):
    from twintrack.quality.services import confirm_finding

    confirm_finding(spike_of(), None, "checked")
    put(month[0], "2023-07", 6000)
    assert spike_of().status == "confirmed"


def test_a_district_never_sees_another_districts_findings(month):
    report = json.loads(run("--period", "2023-07", "--org", "330482", "--format", "json"))
    assert {f["org"] for f in report["findings"]} == {"330482"}
    assert "P2" not in report["completeness"]["missing"]


def test_inactive_projects_are_neither_expected_nor_flagged(month):
    from twintrack.programme.lifecycle import deactivate_projects

    p1, p2, _q1 = month
    deactivate_projects([p1, p2], "duplicate entries", None)
    report = json.loads(run("--period", "2023-07", "--org", "330402", "--format", "json"))
    assert report["findings"] == [] and report["completeness"]["expected"] == 0


# --- timeliness --------------------------------------------------------------------------------

def test_timeliness_is_on_time_up_to_the_deadline_day_inclusive(city):
    from datetime import datetime, timezone as tz

    from twintrack.quality.services import timeliness_state

    deadline = date(2023, 8, 10)
    assert timeliness_state(datetime(2023, 8, 10, 15, 59, tzinfo=tz.utc), deadline, date(2023, 9, 1)) == "on_time"
    assert timeliness_state(datetime(2023, 8, 10, 16, 1, tzinfo=tz.utc), deadline, date(2023, 9, 1)) == "late"
    assert timeliness_state(None, deadline, date(2023, 8, 10)) == "pending"
    assert timeliness_state(None, deadline, date(2023, 8, 11)) == "overdue"


def test_timeliness_lists_the_units_that_submit_not_the_root(city):
    from twintrack.orgs.models import OrgUnit
    from twintrack.quality.services import timeliness_for

    assert [t.org.code for t in timeliness_for(city, 2023, 7)] == ["330402", "330482", "JXGQ"]
    nanhu = OrgUnit.objects.get(code="330402")
    assert [t.org.code for t in timeliness_for(nanhu, 2023, 7)] == ["330402"]


def test_the_bureau_sets_the_deadline_day(city):
    from twintrack.quality.services import deadline_of, set_deadline_day

    assert deadline_of(2023, 12) == date(2024, 1, 10)
    set_deadline_day(5, None)
    assert deadline_of(2023, 7) == date(2023, 8, 5)
