"""kill -9 of a real `twintrack worker` while it imports a file in the background (issue 20):
nothing of the import is written (the rollups agree with the raw rows, the report is the same
as before), and the job is shown failed, on SQLite and on PostgreSQL."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from ops_helpers import (create_postgres_database, drop_postgres_database, make_demo_site, ok, report_json, start,
                         twintrack, write_progress)

MONTHS = [(2024, m) for m in range(1, 13)]
# The job's step while its one transaction runs: after the check (general path), or checking and
# writing together (the fast path for a plain file, imports.importer._import_columns).
WRITING = ("writing", "checking and writing")

ENQUEUE = """
import django, json, sys; django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from django.contrib.auth import get_user_model
from django.utils import translation
from twintrack.orgs.access import scope_root
from twintrack.jobs.services import start_job
from twintrack.web import tasks, uploads
user = get_user_model().objects.get(username="bureau")
with open(sys.argv[1], "rb") as f:
    stored = uploads.store_upload(SimpleUploadedFile("year.csv", f.read()), "progress", user)
with translation.override("en"):
    job = start_job(tasks.import_upload, kind=tasks.IMPORT, user=user, org=scope_root(user), title=stored.name,
                    subject=stored.token)
print(job.pk)
"""

STATE = """
import django, json, sys; django.setup()
from twintrack.jobs.models import Job
from twintrack.jobs.services import fail_lost_jobs
if sys.argv[2] == "reap":
    fail_lost_jobs()
job = Job.objects.get(pk=int(sys.argv[1]))
print(json.dumps({"status": job.status, "phase": job.phase, "done": job.done, "failure": job.failure}))
"""


def peek(env: dict, job_id: int) -> tuple[str, str]:
    """The job's status and step, read straight from the database (a new process is too slow to poll)."""
    url = env["TWINTRACK_DATABASE_URL"]
    query = "SELECT status, phase FROM jobs_job WHERE id = %s" % int(job_id)
    if url.startswith("sqlite:"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite://"), timeout=30) as con:
            return tuple(con.execute(query).fetchone())
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        return tuple(con.execute(query).fetchone())


def python(env: dict, script: str, *args) -> str:
    env = dict(env, DJANGO_SETTINGS_MODULE="twintrack.settings")
    done = subprocess.run([sys.executable, "-c", script, *map(str, args)], env=env, capture_output=True, text=True,
                          timeout=300)
    return ok(done)


def state(env: dict, job_id: int, reap: bool = False) -> dict:
    return json.loads(python(env, STATE, job_id, "reap" if reap else "look").strip().splitlines()[-1])


def all_project_codes(env: dict) -> list[str]:
    script = ("import django, json; django.setup(); from twintrack.programme.models import Project; "
              "print(json.dumps(sorted(Project.objects.values_list('code', flat=True))))")
    return json.loads(python(env, script))


def niceness(pid: int) -> int:
    """The process's nice value, once it has set it (the command lowers it as it starts)."""
    deadline = time.monotonic() + 60
    while True:
        value = os.getpriority(os.PRIO_PROCESS, pid)
        if value != os.getpriority(os.PRIO_PROCESS, 0) or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def kill_during_the_write(env: dict, tmp_path) -> None:
    write_progress(tmp_path / "year.csv", all_project_codes(env), MONTHS)
    before = report_json(env, "2024-06")
    job_id = int(python(env, ENQUEUE, tmp_path / "year.csv").strip().splitlines()[-1])
    assert state(env, job_id)["status"] == "queued"

    worker = start(env, "worker", "--notices-every", "0", "--interval", "0.2")
    try:
        assert niceness(worker.pid) == os.getpriority(os.PRIO_PROCESS, 0) + 10  # below the web server's priority
        deadline = time.monotonic() + 240
        status, phase = peek(env, job_id)
        while phase not in WRITING:  # the one transaction is under way
            assert status in ("queued", "running"), (status, phase)
            assert time.monotonic() < deadline, f"the import never reached its write: {status} {phase}"
            time.sleep(0.02)
            status, phase = peek(env, job_id)
        time.sleep(0.2)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.communicate()

    assert state(env, job_id)["status"] == "running"  # nobody has looked yet
    after = state(env, job_id, reap=True)  # what the job page (or the next worker) does first
    assert (after["status"], after["failure"]) == ("failed", "worker_lost")
    ok(twintrack(env, "verify-rollups"))
    assert report_json(env, "2024-06") == before  # nothing of the file was written


def test_kill_9_of_the_worker_during_a_background_import_on_sqlite(tmp_path):
    env = make_demo_site(tmp_path / "site")
    kill_during_the_write(env, tmp_path)


def test_kill_9_of_the_worker_during_a_background_import_on_postgresql(tmp_path):
    name = f"tw_jobs_kill_{os.getpid()}"
    url = create_postgres_database(name)
    if url is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432, and CI requires it")
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    try:
        env = make_demo_site(tmp_path / "site", url)
        kill_during_the_write(env, tmp_path)
    finally:
        drop_postgres_database(name)
