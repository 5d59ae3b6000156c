"""Uploads through background jobs (issue 20): the preview is a job whose stored outcome a
reload shows again without reading the file; confirm is a job; the job page lists what was
read and written and every row error, in the file's own column names; another unit's job is
a 404. Run on SQLite and PostgreSQL (the worker runs in this process: jobs.worker.run_pending)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from jobhelp import confirm, post_upload, token_of

from twintrack.jobs.models import Job, JobStatus
from twintrack.jobs.worker import run_pending
from twintrack.programme.models import Progress
from twintrack.web import uploads

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

BAD = "项目编号,月份,完成投资（元）\nNOPE,2023-08,5\nP1,2023-08,-1\n".encode("gb18030")
GOOD = "项目编号,月份,完成投资（万元）\nP1,2023-08,500\n".encode("gb18030")


def upload(client, content: bytes, name: str = "progress.csv"):
    return client.post(reverse("upload"), {"kind": "progress", "file": SimpleUploadedFile(name, content)})


def test_the_preview_waits_for_its_job_then_shows_the_stored_outcome_without_rerunning(client, world, monkeypatch):
    client.force_login(world.users["district"])
    response = upload(client, GOOD)
    waiting = client.get(response["Location"]).content.decode()
    assert 'id="job-state"' in waiting and 'http-equiv="refresh"' in waiting and 'id="confirm-import"' not in waiting
    job = Job.objects.get(kind="import_preview", subject=token_of(response))
    assert job.status == JobStatus.QUEUED and job.started_by == world.users["district"] and job.org == world.org
    run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.outcome["counts"] == {
        "read": 1, "created": 1, "updated": 0, "unchanged": 0}

    def no_second_run(*args, **kwargs):
        raise AssertionError("the dry run ran again")

    monkeypatch.setattr(uploads, "import_file", no_second_run)
    for _ in range(3):  # reloads show the stored outcome
        page = client.get(response["Location"]).content.decode()
        assert 'id="confirm-import"' in page and 'http-equiv="refresh"' not in page
    assert Job.objects.filter(subject=token_of(response)).count() == 1
    assert not Progress.objects.filter(month=8).exists()


def test_confirm_imports_in_a_job_and_returns_to_the_month_page(client, world):
    client.force_login(world.users["district"])
    response = post_upload(client, {"kind": "progress", "period": "2023-08",
                                    "file": SimpleUploadedFile("p.csv", GOOD)})
    token = token_of(response)
    queued = client.post(reverse("upload_confirm", args=[token]))
    assert queued["Location"] == reverse("upload_preview", args=[token])
    again = client.post(reverse("upload_confirm", args=[token]))  # a second click queues nothing more
    assert again.status_code == 302 and Job.objects.filter(kind="import", subject=token).count() == 1
    importing = client.get(queued["Location"]).content.decode()
    assert 'id="job-state"' in importing and not Progress.objects.filter(month=8).exists()
    run_pending()
    landed = client.get(queued["Location"])
    assert landed["Location"] == reverse("monthly") + "?period=2023-08"
    assert Progress.objects.get(project=world.project, month=8).investment_yuan == 5_000_000
    job = Job.objects.get(kind="import", subject=token)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert job.status == JobStatus.SUCCEEDED and 'id="job-counts"' in page
    listed = client.get(reverse("jobs:list")).content.decode()
    assert reverse("jobs:detail", args=[job.pk]) in listed


def test_the_errors_name_the_files_own_columns(client, world):
    client.force_login(world.users["district"])
    response = post_upload(client, {"kind": "progress", "file": SimpleUploadedFile("p.csv", BAD)})
    job = Job.objects.get(kind="import_preview", subject=token_of(response))
    columns = {p["column"] for p in job.outcome["problems"]}
    assert columns == {"项目编号", "完成投资（元）"}
    for page in (client.get(response["Location"]), client.get(reverse("jobs:detail", args=[job.pk]))):
        body = page.content.decode()
        assert '<td class="column-heading">项目编号</td>' in body
        assert '<td class="column-heading">完成投资（元）</td>' in body
        assert "project_code" not in body and "investment_yuan" not in body


def test_a_missing_column_is_named_as_the_templates_name_it(client, world):
    client.force_login(world.users["district"])
    response = post_upload(client, {"kind": "progress", "file": SimpleUploadedFile(
        "p.csv", "月份,完成投资（元）\n2023-08,5\n".encode())})
    job = Job.objects.get(kind="import_preview", subject=token_of(response))
    assert [p["column"] for p in job.outcome["problems"]] == ["项目编号"]


def test_a_refused_import_fails_its_job_with_every_row_error(client, world, monkeypatch):
    client.force_login(world.users["district"])
    response = post_upload(client, {"kind": "progress", "file": SimpleUploadedFile("p.csv", BAD)})
    page = confirm(client, token_of(response))
    job = Job.objects.get(kind="import", subject=token_of(response))
    assert (job.status, job.failure) == (JobStatus.FAILED, "refused") and len(job.outcome["problems"]) == 2
    assert 'id="problems"' in page.content.decode() and not Progress.objects.filter(month=8).exists()


def test_another_districts_job_is_a_404_and_the_bureau_sees_its_subtree(client, world):
    client.force_login(world.users["district"])
    response = post_upload(client, {"kind": "progress", "file": SimpleUploadedFile("p.csv", GOOD)})
    job = Job.objects.get(subject=token_of(response))
    client.force_login(world.users["other_district"])
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert reverse("jobs:detail", args=[job.pk]) not in client.get(reverse("jobs:list")).content.decode()
    client.force_login(world.users["bureau"])
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 200
    assert client.get(response["Location"]).status_code == 404  # the upload itself stays its uploader's


def test_a_job_whose_worker_is_gone_is_shown_failed(client, world):
    from twintrack.jobs.models import WorkerProcess

    client.force_login(world.users["district"])
    response = upload(client, GOOD)
    job = Job.objects.get(subject=token_of(response))
    WorkerProcess.objects.create(worker_id="dead", hostname=__import__("socket").gethostname(), pid=2 ** 22 + 7)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, worker_id="dead")
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert (job.status, job.failure) == (JobStatus.FAILED, "worker_lost") and 'id="job-failure"' in page
    assert not WorkerProcess.objects.filter(worker_id="dead").exists()
    rerun = client.get(response["Location"]).content.decode()  # the preview's check is queued again
    assert 'id="job-state"' in rerun and Job.objects.filter(subject=token_of(response)).count() == 2
