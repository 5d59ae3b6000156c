"""An API import is a job: a worker process does it when one takes it in time, while the request
sleeps; otherwise the request does it itself. Either way the answer is the same, the kept file
is gone afterwards, and a worker that dies answers a problem, never a traceback."""
import json
import os
import socket

import pytest
from test_api_imports import nanhu_projects, november_rows, progress_csv, progress_state, upload

from twintrack.jobs import worker
from twintrack.jobs.models import Job, JobStatus, WorkerProcess


@pytest.fixture
def a_live_worker(city):
    """A worker process that counts as alive (this very process) but never claims on its own."""
    WorkerProcess.objects.create(worker_id="worker-test", hostname=socket.gethostname(), pid=os.getpid(),
                                 process_start=worker.services.process_start(os.getpid()))


@pytest.fixture
def worker_claims_at_first_wait(monkeypatch):
    """The worker takes the task while the request sleeps its first poll, and runs it (or dies)."""
    from django_tasks_db.models import DBTaskResult

    state = {"claimed": False, "dies": False}
    sleep = worker.time.sleep

    def claim_and_run(seconds):
        if not state["claimed"]:
            state["claimed"] = True
            task = DBTaskResult.objects.ready().get()
            task.claim("worker-test")
            if state["dies"]:
                WorkerProcess.objects.filter(worker_id="worker-test").update(pid=2 ** 22 + 11)
            else:
                worker.JobWorker(worker_id="worker-test", heartbeat=False).run_task(task)
        sleep(min(seconds, 0.01))

    monkeypatch.setattr(worker.time, "sleep", claim_and_run)
    return state


def _uploads_left() -> list:
    from twintrack.web.uploads import upload_dir

    return sorted(upload_dir().iterdir())


def test_a_worker_that_takes_the_import_answers_for_the_request(api, a_live_worker, worker_claims_at_first_wait):
    left = _uploads_left()
    response = api("district", write=True).post("/imports/progress",
                                               upload(progress_csv(november_rows(nanhu_projects(5)))))
    assert response.status_code == 200, response.content
    answer = json.loads(response.content)
    assert (answer["read"], answer["created"]) == (5, 5) and answer["warnings"]
    job = Job.objects.get(kind="api_import")
    assert (job.status, job.worker_id) == (JobStatus.SUCCEEDED, "worker-test")
    assert _uploads_left() == left


def test_without_a_worker_taking_it_in_time_the_request_imports_itself(api, a_live_worker, monkeypatch):
    monkeypatch.setattr(worker, "CLAIM_SECONDS", 0.2)
    before = progress_state()
    response = api("district", write=True).post("/imports/progress?dry_run=true",
                                               upload(progress_csv(november_rows(nanhu_projects(3)))))
    assert response.status_code == 200 and json.loads(response.content)["created"] == 3
    job = Job.objects.get(kind="api_import")
    assert job.status == JobStatus.SUCCEEDED and job.worker_id.startswith("inline-")
    assert progress_state() == before


def test_a_refused_file_done_by_a_worker_names_its_rows_in_the_callers_language(api, a_live_worker,
                                                                              worker_claims_at_first_wait):
    rows = [["NO-SUCH-PROJECT", "2023-11", "100", "", ""]]
    response = api("district", write=True).post("/imports/progress", upload(progress_csv(rows)),
                                                HTTP_ACCEPT_LANGUAGE="zh-hans")
    problem = json.loads(response.content)
    assert response.status_code == 422 and problem["total"] == 1
    assert [(e["row"], e["column"]) for e in problem["errors"]] == [(2, "project_code")]
    assert "NO-SUCH-PROJECT" in problem["errors"][0]["message"] and "project" not in problem["errors"][0]["message"]


def test_a_worker_that_dies_answers_a_problem_and_writes_nothing(api, a_live_worker, worker_claims_at_first_wait):
    worker_claims_at_first_wait["dies"] = True
    before = progress_state()
    response = api("district", write=True).post("/imports/progress",
                                               upload(progress_csv(november_rows(nanhu_projects(2)))),
                                               HTTP_ACCEPT_LANGUAGE="en")
    problem = json.loads(response.content)
    assert response.status_code == 500 and problem["status"] == 500
    assert "stopped before it finished" in problem["detail"] and "Traceback" not in response.content.decode()
    assert progress_state() == before
    assert Job.objects.get(kind="api_import").failure == "worker_lost"


def test_an_api_import_job_moves_no_page_by_its_end(api, city):
    from twintrack.metrics import version

    district = api("district", write=True)
    file = upload(progress_csv(november_rows(nanhu_projects(2))))
    assert district.get("/reports/330402/2023-11").status_code == 200  # the token's first use is behind
    before = version.versions([city.pk])
    assert district.post("/imports/progress?dry_run=true", file).status_code == 200
    assert version.versions([city.pk]) == before  # a dry run writes nothing, and the job's end bumps nothing


def test_the_job_page_shows_an_api_import_in_chinese_to_its_user_only(api, a_live_worker, worker_claims_at_first_wait):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from api_support import LOGINS

    rows = november_rows(nanhu_projects(2), spike=False) + [["NO-SUCH-PROJECT", "2023-11", "1", "", ""]]
    assert api("district", write=True).post("/imports/progress", upload(progress_csv(rows))).status_code == 422
    job = Job.objects.get(kind="api_import")
    pages = {}
    for role in ("district", "other_district"):
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(get_user_model().objects.get(username=LOGINS[role]))
        pages[role] = client.get(f"/jobs/{job.pk}/")
    assert pages["other_district"].status_code == 404
    page = pages["district"].content.decode()
    assert pages["district"].status_code == 200 and "通过接口导入文件" in page
    assert "NO-SUCH-PROJECT" in page and "没有编号为" in page  # the row's problem, in the caller's language
