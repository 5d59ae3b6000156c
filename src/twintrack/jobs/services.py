"""Starting jobs, running them, their progress, and failing those whose worker is gone.

    @job_task
    def check_file(job, progress):          # in the app that owns the work (web/tasks.py, ...)
        ...                                 # progress: an import engine ProgressHook
        return {"ok": True, ...}            # the outcome, a JSON object kept on the job

    job = start_job(check_file, kind="import_preview", user=user, org=unit, title=name, subject=token)

`start_job` writes the Job and queues its task in one transaction. The worker (`twintrack
worker`, `jobs.worker`) claims the task and calls `run_job`, which marks the job running, runs
the work in the starter's language and keeps its outcome. A work function raises `JobRefused`
to end the job as failed with an outcome (an import whose file has problems); any other
exception fails it as an internal error (the traceback goes to the log).
"""
from __future__ import annotations

import logging
import os
import socket
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation

from twintrack import hooks
from twintrack.busy import is_database_busy
from twintrack.jobs.models import UNFINISHED, Failure, Job, JobStatus, WorkerProcess

logger = logging.getLogger(__name__)

PROGRESS_EVERY_SECONDS = 1.0


class JobRefused(Exception):
    """The work was refused as asked (a file with problems): the job fails with this outcome."""

    def __init__(self, outcome: dict, failure: str = Failure.REFUSED):
        super().__init__(failure)
        self.outcome, self.failure = outcome, failure


class JobGone(Exception):
    """What the job works on no longer exists (an upload swept away, a bulletin removed)."""


def job_task(work):
    """A django-tasks task running `work(job, progress) -> outcome` as the job whose id it is given."""
    from django_tasks import task

    def run(context, job_id: int):
        return run_job(job_id, work, _worker_of(context))

    # named as `work`, so the task's path is the module attribute the decorator returns
    run.__module__, run.__name__, run.__qualname__, run.__doc__ = (
        work.__module__, work.__name__, work.__qualname__, work.__doc__)
    return task(takes_context=True)(run)


def _worker_of(context) -> str:
    ids = getattr(context.task_result, "worker_ids", None) or []
    return ids[-1] if ids else ""


def start_job(task, *, kind: str, user=None, org=None, title: str = "", subject: str = "",
              params: dict | None = None, on_pages: bool = True) -> Job:
    """Write the job and queue its task, together or not at all."""
    with transaction.atomic():
        job = Job.objects.create(kind=kind, started_by=user, org=org, title=title[:200], subject=subject,
                                 params=params or {}, language=translation.get_language() or settings.LANGUAGE_CODE,
                                 on_pages=on_pages)
        result = task.enqueue(job.pk)
        job.task_id = str(result.id)
        job.save(update_fields=["task_id"])
    return job


def latest_job(kind: str, subject: str, user=None) -> Job | None:
    jobs = Job.objects.filter(kind=kind, subject=subject)
    if user is not None:
        jobs = jobs.filter(started_by=user)
    return jobs.order_by("-created_at", "-id").first()


# --- running ---------------------------------------------------------------------------------

class Progress:
    """The import engine's ProgressHook, written to the job at most once a second and never from
    inside a transaction (an import's write would otherwise hold it, or SQLite's lock would stop it)."""

    def __init__(self, job: Job):
        self.job = job
        self._written = 0.0

    def start(self, phase: str, total: int | None) -> None:
        self.job.phase, self.job.total, self.job.done = str(phase)[:60], total, 0
        self._write(force=True)

    def advance(self, rows: int) -> None:
        self.job.done += rows
        self._write()

    def finish(self) -> None:
        self._write(force=True)

    def _write(self, force: bool = False) -> None:
        now = time.monotonic()
        if connection.in_atomic_block or (not force and now - self._written < PROGRESS_EVERY_SECONDS):
            return
        self._written = now
        Job.objects.filter(pk=self.job.pk).update(phase=self.job.phase, done=self.job.done, total=self.job.total)


def run_job(job_id: int, work, worker_id: str = "") -> int:
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return job_id  # removed, or failed meanwhile (its worker was thought gone): never run twice
    job.status, job.worker_id, job.started_at = JobStatus.RUNNING, worker_id, timezone.now()
    job.save(update_fields=["status", "worker_id", "started_at"])
    try:
        with translation.override(job.language):
            outcome = work(job, Progress(job))
    except JobRefused as refused:
        _finish(job, JobStatus.FAILED, refused.outcome, refused.failure)
    except JobGone:
        _finish(job, JobStatus.FAILED, {}, Failure.GONE)
    except Exception as error:
        _finish(job, JobStatus.FAILED, {}, Failure.DATABASE_BUSY if is_database_busy(error) else Failure.INTERNAL)
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        raise  # the task's own record keeps the traceback
    else:
        _finish(job, JobStatus.SUCCEEDED, outcome or {}, Failure.NONE)
    return job_id


def _finish(job: Job, status: str, outcome: dict, failure: str) -> None:
    job.status, job.outcome, job.failure, job.finished_at = status, outcome, failure, timezone.now()
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=status, outcome=outcome, failure=failure, finished_at=job.finished_at, phase="")
    if not job.on_pages:
        return
    if job.org_id:  # a cached page showing it running
        hooks.bump_data_version([job.org_id], top_bar=False)
    else:
        hooks.bump_data_version()


# --- workers that are gone -------------------------------------------------------------------

def process_start(pid: int) -> str:
    """The process's start time (Linux /proc), to tell a worker from a later process with its pid."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def process_alive(pid: int, start: str = "") -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return not start or process_start(pid) in ("", start)


def register_worker(worker_id: str) -> WorkerProcess:
    pid = os.getpid()
    worker, _ = WorkerProcess.objects.update_or_create(worker_id=worker_id, defaults={
        "hostname": socket.gethostname(), "pid": pid, "process_start": process_start(pid),
        "started_at": timezone.now(), "seen_at": timezone.now()})
    return worker


def heartbeat(worker_id: str) -> None:
    WorkerProcess.objects.filter(worker_id=worker_id).update(seen_at=timezone.now())


def forget_worker(worker_id: str) -> None:
    WorkerProcess.objects.filter(worker_id=worker_id).delete()


def worker_gone(worker: WorkerProcess, now=None) -> bool:
    """On this machine: its process is gone. Elsewhere: it has not been seen for the stale time."""
    if worker.hostname == socket.gethostname():
        return not process_alive(worker.pid, worker.process_start)
    age = ((now or timezone.now()) - worker.seen_at).total_seconds()
    return age > settings.TWINTRACK_WORKER_STALE_SECONDS


INLINE = "inline"  # the prefix of a worker id registered only while a request or command runs one task


def live_workers() -> int:
    """The worker processes that take queued tasks (not a request running one task inline)."""
    return sum(1 for w in WorkerProcess.objects.exclude(worker_id__startswith=INLINE) if not worker_gone(w))


def fail_lost_jobs() -> int:
    """Fail the running jobs (and their tasks) whose worker is gone; forget those workers.
    Called when a worker starts, before it claims a task, and when a page shows a running job.
    Nothing of such a job was written: its transaction died with its process."""
    from django_tasks_db.models import DBTaskResult

    workers = {w.worker_id: w for w in WorkerProcess.objects.all()}
    gone = {worker_id for worker_id, w in workers.items() if worker_gone(w)}
    running = Job.objects.filter(status=JobStatus.RUNNING).values_list("pk", "worker_id")
    lost = [pk for pk, worker_id in running if worker_id in gone or worker_id not in workers]
    if not lost and not gone:
        return 0
    now = timezone.now()
    count = Job.objects.filter(pk__in=lost, status=JobStatus.RUNNING).update(
        status=JobStatus.FAILED, failure=Failure.WORKER_LOST, finished_at=now, phase="")
    failed_tasks = []
    for task in DBTaskResult.objects.filter(status="RUNNING"):
        if task.worker_ids and task.worker_ids[-1] in gone:
            task.set_failed(RuntimeError(f"worker {task.worker_ids[-1]} stopped while running this task"))
            failed_tasks.append(str(task.id))
    # claimed but not yet marked running when the worker died
    count += Job.objects.filter(task_id__in=failed_tasks, status__in=UNFINISHED).update(
        status=JobStatus.FAILED, failure=Failure.WORKER_LOST, finished_at=now, phase="")
    WorkerProcess.objects.filter(worker_id__in=gone).delete()
    if count:
        hooks.bump_data_version()  # rare: whatever page showed those jobs running
        logger.warning("%d jobs failed: their worker stopped (%s)", count, ", ".join(sorted(gone)) or "unknown")
    return count


def unfinished(jobs):
    return jobs.filter(status__in=UNFINISHED)
