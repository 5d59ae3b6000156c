"""A file-backed demo site in a temporary folder, driven through the `twintrack` command in
subprocesses, as an operator (or several at once) would."""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DISTRICTS = ("330402", "330411", "330421", "330424")  # Nanhu, Xiuzhou, Jiashan, Haiyan
MONTH = (2024, 6)  # after the demo's months: every row of a district file is new


def twintrack(env: dict, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "twintrack.cli", *map(str, args)], env=env, capture_output=True,
                          text=True, timeout=timeout)


def start(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "twintrack.cli", *map(str, args)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def in_background(env: dict, *args: str) -> tuple[threading.Thread, dict]:
    """Run a command in a thread; the dict gets its CompletedProcess as "done" once it ends."""
    result: dict = {}
    thread = threading.Thread(target=lambda: result.update(done=twintrack(env, *args)))
    thread.start()
    return thread, result


def outcome(proc: subprocess.Popen, timeout: int = 600) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of a started command, read while it runs (an import's
    warnings can fill a pipe)."""
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def site_env(folder: Path, database_url: str | None = None) -> dict:
    """The environment of a site whose database and var/ live in `folder`."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["TWINTRACK_DATABASE_URL"] = database_url or f"sqlite:///{folder / 'twintrack.sqlite3'}"
    env["TWINTRACK_VAR_DIR"] = str(folder / "var")
    env["TWINTRACK_SECRET_KEY"] = "operations-tests-" + "x" * 40
    return env


def ok(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done.stdout


def make_demo_site(folder: Path, database_url: str | None = None) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    env = site_env(folder, database_url)
    ok(twintrack(env, "init"))
    ok(twintrack(env, "demo"))
    return env


def copy_sqlite_site(source: Path, target: Path) -> dict:
    """A copy of a site made by make_demo_site (nothing is writing to it)."""
    shutil.copytree(source, target)
    return site_env(target)


def create_postgres_database(name: str) -> str | None:
    """A new, empty PostgreSQL database; None when no server answers."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            con.execute(f"CREATE DATABASE {name}")
    except Exception:  # noqa: BLE001 - any failure to reach the server means "not available"
        return None
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def drop_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def project_codes(env: dict, district: str) -> list[str]:
    """The codes of the projects of a district's enterprises, read through the command line's
    own settings (works for either engine)."""
    script = ("import django, json; django.setup(); from twintrack.programme.models import Project; "
              "from twintrack.orgs.models import OrgUnit; "
              f"unit = OrgUnit.objects.get(code='{district}'); "
              "print(json.dumps(sorted(Project.objects.filter(enterprise__org__path__startswith=unit.path)"
              ".values_list('code', flat=True))))")
    env = dict(env, DJANGO_SETTINGS_MODULE="twintrack.settings")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    return json.loads(ok(done))


def write_progress(path: Path, codes: list[str], months: list[tuple[int, int]], seed: int = 0) -> int:
    """A progress file, one row per project and month; its total investment in yuan."""
    total = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["project_code", "month", "investment_yuan", "energy_saved_tce"])
        for i, code in enumerate(codes):
            for year, month in months:
                amount = 1000 + (i * 37 + month * 11 + seed) % 5000
                total += amount
                writer.writerow([code, f"{year}-{month:02d}", amount, "0.5"])
    return total


def report_json(env: dict, period: str) -> dict:
    return json.loads(ok(twintrack(env, "report", "--period", period, "--format", "json")))
