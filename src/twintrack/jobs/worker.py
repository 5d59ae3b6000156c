"""The worker: django-tasks-db's database worker, plus what a user's job needs.

- it registers itself (`WorkerProcess`: host, pid, process start) and beats every
  HEARTBEAT_SECONDS from a thread, so a job whose worker was killed can be failed
  (`services.fail_lost_jobs`, run at start, before each claim and by the job pages);
- it runs the periodic tasks it is given (the notice cycle) when they are due, once across
  all workers (queued like any task, never twice at once);
- finished tasks' records are pruned after a day, at start and hourly (the Job rows are the
  users' record and are kept).

`run_pending()` runs every queued task in this process and returns (the tests, and
`run_now` for a command that wants its job done before it returns).
"""
from __future__ import annotations

import logging
import os
import threading
import time
from datetime import timedelta

from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from twintrack.jobs import services
from twintrack.jobs.models import UNFINISHED, Job, JobStatus

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15
KEEP_TASK_RECORDS = timedelta(days=1)
PRUNE_EVERY_BEATS = 240  # an hour


# Jobs are batch work beside interactive requests: a worker yields the CPU to the web server's
# processes (its database server's work keeps its priority).
WORKER_NICENESS = 10


def lower_priority(niceness: int) -> None:
    """Lower this process's CPU priority by `niceness` (where the system has priorities)."""
    if niceness > 0 and hasattr(os, "nice"):
        os.nice(niceness)


def new_worker_id(prefix: str = "worker") -> str:
    return f"{prefix}-{os.getpid()}-{get_random_string(8)}"[:64]


class JobWorker(Worker):
    def __init__(self, *, periodic: dict[str, float] | None = None, heartbeat: bool = True, **options):
        options.setdefault("queue_names", ["default"])
        options.setdefault("interval", 0.25)
        options.setdefault("batch", False)
        options.setdefault("backend_name", "default")
        options.setdefault("startup_delay", False)
        options.setdefault("max_tasks", None)
        options.setdefault("excluded_queue_names", [])
        options.setdefault("worker_id", new_worker_id())
        super().__init__(**options)
        self.periodic = dict(periodic or {})  # task path -> seconds
        self.heartbeat = heartbeat
        self._next_due: dict[str, float] = {}
        self._beating = threading.Event()

    def run(self) -> None:
        services.register_worker(self.worker_id)
        services.fail_lost_jobs()
        self._prune()
        if self.heartbeat:
            threading.Thread(target=self._beat, name=f"{self.worker_id}-heartbeat", daemon=True).start()
        try:
            self._original_run()
        finally:
            self._beating.set()
            try:
                services.forget_worker(self.worker_id)
            except Exception:  # noqa: BLE001 - the database may be gone at shutdown
                logger.exception("could not remove the worker's record")

    def _original_run(self) -> None:
        super().run()

    def run_task(self, db_task_result) -> None:
        services.fail_lost_jobs()  # at each claim: the jobs of workers that died meanwhile
        super().run_task(db_task_result)

    def _beat(self) -> None:
        beats = 0
        while not self._beating.wait(HEARTBEAT_SECONDS):
            beats += 1
            try:
                services.heartbeat(self.worker_id)
                services.fail_lost_jobs()
                self._queue_periodic()
                if beats % PRUNE_EVERY_BEATS == 0:
                    self._prune()
            except Exception:  # noqa: BLE001 - a missed beat (SQLite busy) is retried at the next
                logger.warning("worker heartbeat failed", exc_info=True)
            finally:
                close_old_connections()

    def _queue_periodic(self) -> None:
        now = time.monotonic()
        for path, seconds in self.periodic.items():
            if seconds <= 0 or now < self._next_due.get(path, 0):
                continue
            self._next_due[path] = now + seconds
            queue_once(path)

    def _prune(self) -> None:
        DBTaskResult.objects.finished().filter(finished_at__lt=timezone.now() - KEEP_TASK_RECORDS).delete()


def queue_once(path: str) -> bool:
    """Queue the task at `path` unless it is already queued or running (by any worker)."""
    with exclusive_transaction(DBTaskResult.objects.db):
        if DBTaskResult.objects.filter(task_path=path, status__in=["READY", "RUNNING"]).exists():
            return False
        import_string(path).enqueue()
    return True


def run_pending(max_tasks: int | None = None) -> int:
    """Run every queued task in this process, then return how many ran. Unlike the worker's loop
    it never closes the connection, so it also runs inside a test's transaction."""
    worker_id = new_worker_id(services.INLINE)
    services.register_worker(worker_id)
    runner = JobWorker(worker_id=worker_id, heartbeat=False)
    ran = 0
    try:
        while max_tasks is None or ran < max_tasks:
            with exclusive_transaction(DBTaskResult.objects.db):
                task = DBTaskResult.objects.ready().filter(backend_name=runner.backend_name).get_locked()
                if task is not None:
                    task.claim(worker_id)
            if task is None:
                break
            runner.run_task(task)
            ran += 1
    finally:
        services.forget_worker(worker_id)
    return ran


def run_now(job) -> bool:
    """Run this one job's task here and now, unless a worker has already claimed it (a command
    that must print its result: `twintrack publish`). True when it ran here."""
    worker_id = new_worker_id(services.INLINE)
    with exclusive_transaction(DBTaskResult.objects.db):
        task = DBTaskResult.objects.filter(id=job.task_id, status="READY").select_for_update().first()
        if task is not None:
            services.register_worker(worker_id)
            task.claim(worker_id)
    if task is None:
        return False
    try:
        JobWorker(worker_id=worker_id, heartbeat=False).run_task(task)
    finally:
        services.forget_worker(worker_id)
    job.refresh_from_db()
    return True


def wait_for(job, timeout: float | None = 600, every: float = 0.5) -> bool:
    """Wait until a worker has finished the job, failing it if its worker is gone (checked once a
    second). True if finished; None waits as long as it takes (a lost worker's job ends too)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    checked = 0.0
    while deadline is None or time.monotonic() < deadline:
        if _status(job) not in UNFINISHED:
            job.refresh_from_db()
            return True
        if time.monotonic() - checked >= 1.0:
            services.fail_lost_jobs()
            checked = time.monotonic()
        time.sleep(every)
    return False


CLAIM_SECONDS = 2.0  # how long a request leaves its job to the workers before running it itself
POLL_SECONDS = 0.05


def _status(job) -> str | None:
    return Job.objects.filter(pk=job.pk).values_list("status", flat=True).first()


def finished_by_a_worker_or_here(job, claim_within: float = CLAIM_SECONDS) -> Job:
    """Run the job to its end for a caller that must answer with its outcome (the import API):
    by a worker process when one takes it within `claim_within` seconds, else here.

    In a worker, the work's Python runs beside the web server rather than inside it: the
    request thread sleeps while it waits, and the other requests of its process are not held
    behind the work's share of the interpreter lock. Without a worker, or with every worker
    busy on a longer job, the caller runs it itself, as it would have without jobs."""
    if services.live_workers():
        deadline = time.monotonic() + claim_within
        while time.monotonic() < deadline and _status(job) == JobStatus.QUEUED:
            time.sleep(POLL_SECONDS)
    if not run_now(job):  # both read the job back once it has ended
        wait_for(job, timeout=None, every=POLL_SECONDS)
    return job
