"""The worker's own rules: the notice cycle is queued once across workers and run by the same
worker as the jobs; a worker that is gone fails the job it had claimed; a reused pid is not
the worker; a job's progress never writes from inside the import's transaction."""
import os
import socket

import pytest
from django.db import transaction

from twintrack.jobs import services
from twintrack.jobs.models import Job, JobStatus, WorkerProcess
from twintrack.jobs.worker import queue_once, run_pending

NOTICES = "twintrack.web.tasks.notice_cycle"

pytestmark = pytest.mark.django_db


def test_the_notice_cycle_is_queued_once_and_run_by_the_worker(monkeypatch):
    from django_tasks_db.models import DBTaskResult

    ran = []
    monkeypatch.setattr("twintrack.web.reminders.remind", lambda: ran.append("remind"))
    monkeypatch.setattr("twintrack.notify.sending.queue_digests", lambda: ran.append("digests"))
    monkeypatch.setattr("twintrack.notify.sending.send_due", lambda: ran.append("send"))
    assert queue_once(NOTICES) and not queue_once(NOTICES)  # a second worker's tick queues nothing
    assert DBTaskResult.objects.filter(task_path=NOTICES, status="READY").count() == 1
    assert run_pending() == 1 and ran == ["remind", "digests", "send"]
    assert queue_once(NOTICES)  # done: the next tick queues it again


def test_a_job_claimed_by_a_worker_that_died_before_starting_it_is_failed():
    from twintrack.web.tasks import check_upload

    job = services.start_job(check_upload, kind="import_preview", subject="x" * 32)
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.get(id=job.task_id)
    WorkerProcess.objects.create(worker_id="gone", hostname=socket.gethostname(), pid=2 ** 22 + 11)
    task.claim("gone")
    assert services.fail_lost_jobs() == 1
    job.refresh_from_db()
    task.refresh_from_db()
    assert (job.status, job.failure, task.status) == (JobStatus.FAILED, "worker_lost", "FAILED")
    assert not WorkerProcess.objects.exists()


def test_a_live_worker_elsewhere_is_judged_by_its_heartbeat(settings):
    from datetime import timedelta

    from django.utils import timezone

    here = WorkerProcess(worker_id="here", hostname=socket.gethostname(), pid=os.getpid(),
                         process_start=services.process_start(os.getpid()))
    assert not services.worker_gone(here)
    reused = WorkerProcess(worker_id="reused", hostname=socket.gethostname(), pid=os.getpid(), process_start="1")
    assert services.worker_gone(reused)  # the pid lives on, but it is another process
    far = WorkerProcess(worker_id="far", hostname="another-host", pid=1, seen_at=timezone.now())
    assert not services.worker_gone(far)
    far.seen_at = timezone.now() - timedelta(seconds=settings.TWINTRACK_WORKER_STALE_SECONDS + 1)
    assert services.worker_gone(far)


@pytest.mark.django_db(transaction=True)
def test_progress_is_not_written_from_inside_a_transaction():
    job = Job.objects.create(kind="import")
    progress = services.Progress(job)
    progress.start("checking", 10)
    progress.advance(4)
    progress.finish()
    job.refresh_from_db()
    assert (job.phase, job.done, job.total) == ("checking", 4, 10)
    with transaction.atomic():  # the import's write: its progress would hold or wait for the lock
        progress.start("writing", 10)
        progress.advance(5)
        progress.finish()
    job.refresh_from_db()
    assert (job.phase, job.done) == ("checking", 4)
