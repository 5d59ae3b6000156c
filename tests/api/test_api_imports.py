"""Imports through the API: the same kinds, rules and scope as the command line and the upload
page, as the token's user; dry runs, every row error as a problem's `errors`, warnings."""
import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction


def nanhu_projects(count: int):
    from twintrack.programme.models import Progress, Project

    with_months = Progress.objects.filter(year=2023, month__lte=7, investment_yuan__gt=0).values("project_id")
    return list(Project.objects.filter(enterprise__org__code="330402", status="in_progress", is_active=True,
                                       pk__in=with_months, start_date__lte="2023-01-31").order_by("code")[:count])


def progress_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["project_code", "month", "investment_yuan", "energy_saved_tce", "note"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def november_rows(projects, spike: bool = True) -> list:
    """One November 2023 row (the demo reports through October) per project; the first a hundred times its usual month (a spike)."""
    from django.db.models import Max

    rows = []
    for number, project in enumerate(projects):
        usual = project.progress.filter(year=2023).aggregate(top=Max("investment_yuan"))["top"]
        amount = usual * 100 if spike and number == 0 else usual + number
        rows.append([project.code, "2023-11", f"{amount:.2f}", "", "api"])
    return rows


def upload(content: bytes, name: str = "2023-11-南湖区.csv"):
    return {"file": SimpleUploadedFile(name, content, content_type="text/csv")}


def progress_state() -> list[tuple]:
    """The progress table and the rollups it feeds, as values (ids aside)."""
    from twintrack.metrics.models import Rollup
    from twintrack.programme.models import Progress

    progress = list(Progress.objects.order_by("project__code", "year", "month").values_list(
        "project__code", "year", "month", "investment_yuan", "energy_saved_tce", "note"))
    rollups = list(Rollup.objects.order_by(*[f.name for f in Rollup._meta.concrete_fields if f.name != "id"])
                   .values_list(*[f.name for f in Rollup._meta.concrete_fields if f.name != "id"]))
    return progress + rollups


def test_an_import_through_the_api_and_through_the_cli_leave_identical_databases(api, tmp_path):
    content = progress_csv(november_rows(nanhu_projects(12)))
    before = progress_state()
    with transaction.atomic():
        response = api("district", write=True).post("/imports/progress", upload(content), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, response.content
        through_api = progress_state()
        transaction.set_rollback(True)
    assert progress_state() == before
    path = tmp_path / "2023-11-南湖区.csv"
    path.write_bytes(content)
    out = io.StringIO()
    call_command("import", "progress", str(path), stdout=out)
    assert through_api != before and progress_state() == through_api
    answer = json.loads(response.content)
    assert (answer["read"], answer["created"], answer["updated"], answer["unchanged"]) == (12, 12, 0, 0)
    cli_warnings = [line for line in out.getvalue().splitlines() if line.startswith("warning:")]
    assert cli_warnings and answer["warnings"] == cli_warnings  # the messages in the request's language
    assert answer["dry_run"] is False


def test_the_report_follows_an_api_import(api):
    bureau = api("bureau", write=True)
    before = json.loads(bureau.get("/reports/330402/2023-11").content)
    rows = november_rows(nanhu_projects(3), spike=False)
    assert bureau.post("/imports/progress", upload(progress_csv(rows))).status_code == 200
    after = json.loads(bureau.get("/reports/330402/2023-11").content)
    added = sum(float(row[2]) for row in rows)
    assert round(after["metrics"]["investment_yuan"]["actual"] - before["metrics"]["investment_yuan"]["actual"],
                 2) == round(added, 2)


def test_a_dry_run_counts_and_writes_nothing(api):
    before = progress_state()
    response = api("district", write=True).post("/imports/progress?dry_run=true",
                                               upload(progress_csv(november_rows(nanhu_projects(4)))))
    answer = json.loads(response.content)
    assert response.status_code == 200 and answer["dry_run"] is True
    assert (answer["read"], answer["created"]) == (4, 4)
    assert progress_state() == before


def test_every_row_error_is_in_the_problem_and_nothing_is_written(api):
    projects = nanhu_projects(3)
    rows = [[projects[0].code, "2023-11", "-5", "", ""], [projects[1].code, "2023-8x", "100", "", ""],
            ["NO-SUCH-PROJECT", "2023-11", "100", "", ""], [projects[2].code, "2023-11", "100", "", ""]]
    before = progress_state()
    response = api("district", write=True).post("/imports/progress", upload(progress_csv(rows)))
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    problem = json.loads(response.content)
    assert {(e["row"], e["column"]) for e in problem["errors"]} == {
        (2, "investment_yuan"), (3, "month"), (4, "project_code")}
    assert all(e["message"] for e in problem["errors"]) and problem["total"] == 3
    assert progress_state() == before


def test_another_districts_rows_are_refused_row_by_row(api):
    rows = november_rows(nanhu_projects(2), spike=False)
    response = api("other_district", write=True).post("/imports/progress", upload(progress_csv(rows)))
    problem = json.loads(response.content)
    assert response.status_code == 422 and [(e["row"], e["column"]) for e in problem["errors"]] == [
        (2, "project_code"), (3, "project_code")]
    cli_path_message = problem["errors"][0]["message"]
    missing = api("other_district", write=True).post(
        "/imports/progress", upload(progress_csv([["NO-SUCH-PROJECT", "2023-11", "1", "", ""]])))
    assert json.loads(missing.content)["errors"][0]["message"] == cli_path_message.replace(rows[0][0],
                                                                                          "NO-SUCH-PROJECT")


@pytest.mark.parametrize("role", ["supervisor", "enterprise", "provider"])
def test_who_may_not_import_progress_gets_403(api, role):
    response = api(role, write=True).post("/imports/progress", upload(progress_csv(november_rows(nanhu_projects(1)))))
    assert response.status_code == 403 and json.loads(response.content)["status"] == 403


def test_unknown_kinds_and_bad_files(api):
    writer = api("bureau", write=True)
    assert writer.post("/imports/budgets", upload(b"a,b\n1,2\n")).status_code == 404
    pdf = writer.post("/imports/progress", upload(b"%PDF-1.4 not a table", "progress.csv"))
    problem = json.loads(pdf.content)
    assert pdf.status_code == 422 and problem["errors"][0]["column"] == "file"
    text = writer.post("/imports/progress", upload(b"hello", "progress.txt"))
    assert text.status_code == 422
    assert writer.post("/imports/progress", {}).status_code == 422  # no file at all
    header_only = writer.post("/imports/progress", upload(progress_csv([])))
    assert header_only.status_code == 422 and json.loads(header_only.content)["errors"][0]["row"] is None


def test_an_api_import_is_recorded_with_the_tokens_user_and_name(api):
    from twintrack.programme.models import Progress

    projects = nanhu_projects(1)
    api("district", write=True).post("/imports/progress", upload(progress_csv(november_rows(projects, spike=False))))
    record = Progress.objects.get(project=projects[0], year=2023, month=11).history.get()
    assert record.history_user.username == "nanhu"
    assert record.history_change_reason.startswith("api import progress 2023-11-南湖区.csv (API token ")


def test_a_unit_imported_through_the_api_names_the_token_once(api):
    from twintrack.orgs.models import OrgUnit

    content = "code,name_zh,name_en,kind,parent_code\nNHKJ,南湖科技城,Nanhu Science City,zone,330402\n".encode()
    response = api("bureau", write=True).post("/imports/orgunits", upload(content, "units.csv"))
    assert response.status_code == 200, response.content
    records = list(OrgUnit.objects.get(code="NHKJ").history.all())
    assert records and all(r.history_user.username == "bureau" for r in records)
    assert all(r.history_change_reason.count("(API token ") == 1 for r in records)
    assert all(r.history_change_reason.startswith("api import orgunits units.csv (API token ") for r in records)


def test_a_body_over_the_upload_limit_is_a_problem_document_not_a_page(api, settings):
    settings.TWINTRACK_MAX_UPLOAD_BYTES = 1024 * 1024
    before = progress_state()
    response = api("district", write=True).post("/imports/progress", upload(b"x" * (1200 * 1024)))
    assert response.status_code == 413 and response["Content-Type"] == "application/problem+json"
    problem = json.loads(response.content)
    assert problem["status"] == 413 and "1 MB" in problem["detail"]
    assert progress_state() == before
