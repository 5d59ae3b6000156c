"""Real traffic under load (issue 19): many users, many pages, imports landing throughout.

On a PostgreSQL database holding an org tree and programme data (the one benchmarks/run.py
leaves behind, or any other):

1. accounts: bureau officers at the root, two district officers per unit below it (or more, to
   reach --users), a supervisor per unit with units below; made once with the service layer of
   `twintrack user add` and kept for later runs. Each gets a read token for the API.
2. gunicorn serves the database (WORKERS x THREADS), with --job-workers `twintrack worker`
   processes beside it as `twintrack serve` starts them (the import API's files go to them);
   every account logs in through the login page, so its session and CSRF cookies are the ones a
   browser holds.
3. a requests file: for each user, --per-user requests within their scope, drawn by WEIGHTS:
   dashboards for several months and units, project lists and details, the bulletins, quality
   and month pages, and GET /api/v1/reports/{code}/{YYYY-MM} with the user's Bearer token.
4. priming: every distinct line of that file is asked for once (four at a time), as a server in
   service has rendered each page since its last change; then wrk (50 connections) with
   benchmarks/mixed_load.lua, which picks a line of that file per request, after a warm-up; meanwhile a 10,000-row progress file for one unit (rotating among
   --import-units units) is posted to POST /api/v1/imports/progress every 10 seconds with that
   unit's district officer's write token, its values changed each time so rows are updated, for
   the latest month (which must not be approved or locked). A sampling client times one request
   every half second for the latency per page kind under the load; before the load, three
   pages of each kind are timed alone (a full render each).

Prints JSON: requests/s, p50/p90/p99, errors, requests per page kind, the imports, the target
(>= 500 requests/s, p99 < 250 ms, 0 errors, >= 200 users over >= 100 units), the load average,
and ("served") per page kind the measured run's answers from the page cache and rendered ones
with the server's own times, read from gunicorn's access log (mixed_load_access.log).
Accounts and tokens stay in the database; gunicorn's own errors go to mixed_load_gunicorn.log
beside the requests file.

    .venv/bin/python benchmarks/mixed_load.py \
        --database-url postgresql://postgres@127.0.0.1:5432/twintrack_bench_province --seconds 60
"""
from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = ROOT / ".venv" / "bin"
LUA = HERE / "mixed_load.lua"
PASSWORD = "mixed-load-benchmark-2023"
PREFIX = "mixed-"  # user names of this benchmark's accounts
WEIGHTS = {"dashboard": 40, "project_list": 10, "project_detail": 12, "api_report": 14, "bulletins": 8,
           "quality": 8, "monthly": 8}
MONTHS_SHOWN = 6
# WORKER_MODEL: twintrack.gunicorn_config's, 3 gthread workers x 6 threads, each holding at most
# 4 clients per thread (measured there). Earlier, 4 x 4 without the limit: one worker often took
# all 50 of wrk's keep-alive connections, and a round's speed depended on how they fell.
WRK_TIMEOUT = 60  # wrk counts a slower answer as an error and leaves it out of the percentiles
TARGET = {"rps": 500, "p99_ms": 250, "errors": 0, "users": 200, "units": 100}

sys.path.insert(0, str(HERE))
from load_test import free_port, wait_for  # noqa: E402


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {message}", file=sys.stderr, flush=True)


# --- accounts and their scope (Django, in this process) --------------------------------------

@dataclass
class BenchUser:
    username: str
    role: str
    org: str
    units: list[str] = field(default_factory=list)  # codes of the units it sees, its own first
    projects: list[int] = field(default_factory=list)  # a sample of project pks in its scope
    token: str = ""
    cookie: str = ""


def django_setup(database_url: str | None) -> None:
    if database_url:
        os.environ["TWINTRACK_DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twintrack.settings")
    import django

    django.setup()


def wanted_accounts(min_users: int) -> list[tuple[str, str, str]]:
    """(username, role, org code): bureau at the root, district officers in every other unit
    (enough of them for min_users), a supervisor in every unit with units below."""
    from twintrack.orgs.models import OrgUnit, Role

    units = list(OrgUnit.objects.order_by("depth", "code").values_list("code", "parent_id", "id"))
    roots = [code for code, parent, _ in units if parent is None]
    below = [code for code, parent, _ in units if parent is not None]
    parents = {parent for _, parent, _ in units}
    per_unit = max(2, math.ceil((min_users - 2 * len(roots)) / max(len(below), 1)))
    accounts = [(f"{PREFIX}bureau-{code}-{n}", Role.BUREAU, code) for code in roots for n in range(2)]
    accounts += [(f"{PREFIX}district-{code}-{n}", Role.DISTRICT, code) for code in below for n in range(per_unit)]
    accounts += [(f"{PREFIX}supervisor-{code}", Role.SUPERVISOR, code) for code, _, pk in units if pk in parents]
    return accounts


def ensure_accounts(accounts: list[tuple[str, str, str]]) -> list[BenchUser]:
    """Create the accounts that do not exist yet with `twintrack user add`'s service, then give
    them all the password PASSWORD, hashed once (one Argon2 hash per account takes minutes)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from twintrack.orgs.models import OrgUnit
    from twintrack.web.accounts import create_account

    existing = set(get_user_model().objects.filter(username__startswith=PREFIX).values_list("username", flat=True))
    orgs = {o.code: o for o in OrgUnit.objects.all()}
    created = []
    for username, role, code in accounts:
        if username not in existing:
            create_account({"username": username, "role": role, "org": orgs[code], "password1": None},
                           actor=None, must_change_password=False)
            created.append(username)
    get_user_model().objects.filter(username__in=created).update(password=make_password(PASSWORD))
    return [BenchUser(username, str(role), code) for username, role, code in accounts]


def attach_scopes(users: list[BenchUser], projects_per_unit: int = 20) -> None:
    """Each user's visible units (own unit first) and a sample of the projects in them."""
    from twintrack.orgs.models import OrgUnit
    from twintrack.programme.models import Project

    units = list(OrgUnit.objects.values_list("code", "path", "id"))
    sample = {}
    for code, _path, pk in units:
        sample[code] = list(Project.objects.filter(enterprise__org_id=pk, is_active=True).order_by("pk")
                            .values_list("pk", flat=True)[:projects_per_unit])
    by_code = {code: path for code, path, _ in units}
    for user in users:
        own = by_code[user.org]
        user.units = [user.org] + sorted(code for code, path, _ in units if path.startswith(own) and code != user.org)
        user.projects = [pk for code in user.units for pk in sample[code]]


def issue_tokens(users: list[BenchUser]) -> None:
    from django.contrib.auth import get_user_model

    from twintrack.orgs.tokens import create_token

    accounts = get_user_model().objects.in_bulk([u.username for u in users], field_name="username")
    for user in users:
        user.token = create_token(accounts[user.username], "mixed load benchmark", days=1)[1]


def write_token(username: str) -> str:
    from django.contrib.auth import get_user_model

    from twintrack.orgs.tokens import create_token

    return create_token(get_user_model().objects.get(username=username), "mixed load imports", write=True, days=1)[1]


def shown_periods(n: int = MONTHS_SHOWN) -> list[str]:
    """The latest month with figures for the root and the n-1 before it, newest first."""
    from twintrack.metrics.periods import default_period
    from twintrack.orgs.models import OrgUnit

    year, month = default_period(OrgUnit.objects.filter(parent=None).order_by("code").first())
    periods = []
    for _ in range(n):
        periods.append(f"{year}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return periods


# --- what each user asks for ------------------------------------------------------------------

def kinds_for(user: BenchUser) -> list[str]:
    kinds = [k for k in WEIGHTS if k != "monthly" or user.role != "supervisor"]  # supervisors enter no data
    return [k for k in kinds if k != "project_detail" or user.projects]


def path_for(kind: str, user: BenchUser, periods: list[str], rng: random.Random) -> str:
    unit = user.org if rng.random() < 0.5 else rng.choice(user.units)
    period = rng.choice(periods)
    if kind == "dashboard":
        return "/?" + urlencode({"period": period, "org": unit})
    if kind == "project_list":
        return "/projects/?" + urlencode({"org": unit})
    if kind == "project_detail":
        return f"/projects/{rng.choice(user.projects)}/"
    if kind == "api_report":
        return f"/api/v1/reports/{unit}/{period}"
    page = {"bulletins": "/bulletins/", "quality": "/quality/", "monthly": "/monthly/"}[kind]
    return page + "?" + urlencode({"org": unit, "period": period})


def plan(users: list[BenchUser], periods: list[str], per_user: int, seed: int = 1) -> list[tuple[str, BenchUser, str]]:
    """(kind, user, path) triples: per_user for each user, kinds drawn by WEIGHTS."""
    rng = random.Random(seed)
    entries = []
    for user in users:
        kinds = kinds_for(user)
        for kind in rng.choices(kinds, weights=[WEIGHTS[k] for k in kinds], k=per_user):
            entries.append((kind, user, path_for(kind, user, periods, rng)))
    return entries


def request_lines(entries) -> list[str]:
    """The requests file of mixed_load.lua: kind, the one header that authenticates, path."""
    return [f"{kind}\t{'Authorization: Bearer ' + user.token if kind == 'api_report' else 'Cookie: ' + user.cookie}"
            f"\t{path}" for kind, user, path in entries]


# --- HTTP ---------------------------------------------------------------------------------------

def fetch(port: int, method: str, path: str, headers: dict | None = None, body: bytes | None = None,
         timeout: float = 600) -> tuple[int, http.client.HTTPMessage, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def _cookie_header(jar: dict) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def _keep_cookies(jar: dict, headers) -> None:
    for line in headers.get_all("Set-Cookie") or []:
        for name, morsel in SimpleCookie(line).items():
            jar[name] = morsel.value


def log_in(port: int, user: BenchUser) -> None:
    """Through the login page, as a browser: its CSRF cookie and token, then the credentials.
    The login's answer sets the session and a new CSRF cookie, which pages then keep (checked:
    the dashboard sets no other cookie). Leaves the Cookie header in user.cookie."""
    jar: dict = {}
    status, headers, body = fetch(port, "GET", "/login/")
    _keep_cookies(jar, headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or token is None:
        raise SystemExit(f"login page answered {status}")
    form = urlencode({"username": user.username, "password": PASSWORD,
                      "csrfmiddlewaretoken": token.group(1).decode()}).encode()
    status, headers, _ = fetch(port, "POST", "/login/", {"Cookie": _cookie_header(jar),
                                                         "Content-Type": "application/x-www-form-urlencoded"}, form)
    _keep_cookies(jar, headers)
    if status != 302 or "sessionid" not in jar:
        raise SystemExit(f"login of {user.username} answered {status}")
    user.cookie = _cookie_header(jar)


def log_in_all(port: int, users: list[BenchUser]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda u: log_in(port, u), users))


# --- imports landing during the run --------------------------------------------------------------

@dataclass
class ImportJob:
    unit: str
    token: str
    codes: list[str]
    period: str


def import_jobs(users: list[BenchUser], period: str, rows: int, count: int) -> list[ImportJob]:
    """Units whose month `period` is open and whose subtree holds `rows` progress rows of it (the
    deepest such units; else the units with the most), each with its first district officer."""
    from django.db.models import Count

    from twintrack.approvals.services import is_locked, state_of
    from twintrack.orgs.models import OrgUnit
    from twintrack.programme.models import Progress

    year, month = (int(x) for x in period.split("-"))
    per_org = dict(Progress.objects.filter(year=year, month=month).values("project__enterprise__org_id")
                   .annotate(n=Count("id")).values_list("project__enterprise__org_id", "n"))
    units = list(OrgUnit.objects.exclude(parent=None))
    in_subtree = {u.id: sum(n for pk, n in per_org.items() if pk in ids)
                  for u in units for ids in [set(u.subtree().values_list("id", flat=True))]}
    officers = {u.org: u.username for u in users if u.role == "district"}
    open_units = [u for u in units if u.code in officers and state_of(u, year, month) != "approved"
                  and not is_locked(u, year, month)]
    big = [u for u in open_units if in_subtree[u.id] >= rows]
    chosen = (sorted(big, key=lambda u: (-u.depth, u.code)) if big
              else sorted(open_units, key=lambda u: -in_subtree[u.id]))[:count]
    if not chosen:
        raise SystemExit(f"no open unit for {period} to import into")
    jobs = []
    for unit in chosen:
        in_unit = Progress.objects.filter(year=year, month=month, project__enterprise__org__path__startswith=unit.path)
        codes = list(in_unit.order_by("project__code").values_list("project__code", flat=True)[:rows])
        jobs.append(ImportJob(unit.code, write_token(officers[unit.code]), codes, period))
    return jobs


def progress_csv(job: ImportJob, salt: int) -> bytes:
    """Every row's values differ from the previous import's (salt changes each time)."""
    lines = ["project_code,month,investment_yuan,energy_saved_tce,note"]
    for i, code in enumerate(job.codes):
        invest = (i * 7919 + salt * 104729) % 5_000_000 / 100
        energy = (i * 131 + salt * 977) % 100_000 / 1000
        lines.append(f"{code},{job.period},{invest:.2f},{energy:.3f},mixed load {salt}")
    return ("\n".join(lines) + "\n").encode()


def post_import(port: int, job: ImportJob, salt: int) -> dict:
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{job.unit}-{job.period}.csv\""
            f"\r\nContent-Type: text/csv\r\n\r\n")
    body = head.encode() + progress_csv(job, salt) + f"\r\n--{boundary}--\r\n".encode()
    started = time.perf_counter()
    status, _headers, answer = fetch(port, "POST", "/api/v1/imports/progress", {
        "Authorization": f"Bearer {job.token}", "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Accept-Language": "en"}, body)
    result = {"unit": job.unit, "rows": len(job.codes), "seconds": round(time.perf_counter() - started, 3),
              "status": status}
    if status == 200:
        out = json.loads(answer)
        result |= {k: out[k] for k in ("created", "updated", "unchanged")} | {"warnings": len(out["warnings"])}
    else:
        result["answer"] = answer[:300].decode(errors="replace")
    return result


def import_loop(port: int, jobs: list[ImportJob], every: float, stop: threading.Event, results: list) -> None:
    """An import every `every` seconds from now until `stop` (at once if the last took longer)."""
    salt, start = int(time.time()), time.monotonic()
    n = 0
    while not stop.is_set():
        at = time.monotonic() - start
        results.append({"at_s": round(at, 1)} | post_import(port, jobs[n % len(jobs)], salt + n))
        n += 1
        stop.wait(max(0.0, start + n * every - time.monotonic()))


def timed_get(port: int, line: str, timeout: float = 120) -> tuple[float, int]:
    """One request of the requests file: milliseconds and status (0: no answer)."""
    _kind, header, path = line.split("\t")
    name, value = header.split(": ", 1)
    started = time.perf_counter()
    try:
        status = fetch(port, "GET", path, {name: value}, timeout=timeout)[0]
    except OSError:
        status = 0
    return (time.perf_counter() - started) * 1000, status


def cold_probe(port: int, lines: list[str], per_kind: int = 3) -> dict:
    """Each page kind alone, before any load: the median of `per_kind` requests for pages no
    one asked for yet (a full render), one at a time."""
    rng = random.Random(11)
    by_kind: dict[str, list[str]] = {}
    for line in lines:
        by_kind.setdefault(line.split("\t", 1)[0], []).append(line)
    return {kind: round(statistics.median(timed_get(port, line)[0]
                                          for line in rng.sample(found, min(per_kind, len(found)))), 1)
            for kind, found in sorted(by_kind.items())}


def prime(port: int, lines: list[str], threads: int = 4) -> dict:
    """Every distinct request once, `threads` at a time: the steady state of a server in service,
    where each page has been rendered since its last change, before the measured run's imports
    invalidate their units' pages again. Returns the count, seconds and slowest page."""
    from concurrent.futures import ThreadPoolExecutor

    distinct = sorted(set(lines))
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        timings = list(pool.map(lambda line: timed_get(port, line, timeout=600), distinct))
    return {"requests": len(distinct), "seconds": round(time.perf_counter() - started, 1),
            "max_ms": round(max(ms for ms, _ in timings), 1),
            "non_2xx_3xx": sum(not 200 <= status < 400 for _, status in timings)}


def sample_loop(port: int, lines: list[str], stop: threading.Event, samples: dict, every: float = 0.5) -> None:
    """One request every `every` seconds, timed: the latency of each page kind under the load."""
    rng = random.Random(7)
    while not stop.wait(every):
        line = rng.choice(lines)
        samples.setdefault(line.split("\t", 1)[0], []).append(timed_get(port, line, timeout=WRK_TIMEOUT))


# --- the run ---------------------------------------------------------------------------------------

def run_wrk(port: int, requests_file: Path, seconds: int, connections: int, seed: int) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", f"{WRK_TIMEOUT}s",
                          "-s", str(LUA), f"http://127.0.0.1:{port}", "--", str(requests_file), str(seed)],
                         capture_output=True, text=True)
    found = re.search(r"^MIXED_LOAD_JSON (.*)$", out.stdout, re.M)
    if found is None:
        raise SystemExit(f"wrk printed no result:\n{out.stdout}\n{out.stderr}")
    return json.loads(found.group(1))


def kind_latency(samples: dict) -> dict:
    return {kind: {"samples": len(found), "p50": round(statistics.median(ms for ms, _ in found), 1),
                   "max": round(max(ms for ms, _ in found), 1),
                   "non_2xx_3xx": sum(not 200 <= status < 400 for _, status in found)}
            for kind, found in sorted(samples.items())}


def imports_summary(imports: list[dict]) -> dict:
    done = [i for i in imports if i["status"] == 200]
    seconds = [i["seconds"] for i in imports]
    return {"count": len(imports), "ok": len(done), "rows_each": imports[0]["rows"] if imports else 0,
            "median_s": statistics.median(seconds) if seconds else None, "max_s": max(seconds, default=None),
            "updated": sum(i["updated"] for i in done)}


def kind_of_path(path: str) -> str:
    if path.startswith("/api/v1/reports/"):
        return "api_report"
    if path.startswith("/projects/"):
        return "project_list" if path == "/projects/" else "project_detail"
    return {"/bulletins/": "bulletins", "/quality/": "quality", "/monthly/": "monthly", "/": "dashboard"}.get(path, "other")


def served(access_lines: list[str]) -> dict:
    """Per page kind, from gunicorn's access log of the measured run: answers, how many came from
    the page cache (the API report has its own cache: "-"), and the server's median and p99 time
    for hits and for the rest (rendered), in ms. Where the time goes when the load is short."""
    times: dict = {}
    for line in access_lines:
        parts = line.split()
        if len(parts) != 3 or not parts[2].isdigit():
            continue
        path, hit, ms = parts
        times.setdefault(kind_of_path(path), {"hit": [], "rendered": []})["hit" if hit == "hit" else "rendered"] \
            .append(int(ms))
    def spread(values: list[int]) -> dict:
        values = sorted(values)
        if not values:
            return {"count": 0}
        return {"count": len(values), "p50_ms": values[len(values) // 2], "p99_ms": values[int(len(values) * 0.99)],
                "total_s": round(sum(values) / 1000, 1)}
    return {kind: {"hit": spread(v["hit"]), "rendered": spread(v["rendered"])} for kind, v in sorted(times.items())}


def summary(wrk: dict, users: list[BenchUser], imports: list[dict], samples: dict, cold: dict, args,
            load: list, access_lines: list[str]) -> dict:
    seconds = wrk["duration_us"] / 1e6
    by_kind = kind_latency(samples)
    error_total = sum(wrk["errors"].values()) + sum(k["non_2xx_3xx"] for k in by_kind.values())
    result = {
        "users": len(users), "units": len({u.org for u in users}), "connections": args.connections,
        "seconds": round(seconds, 1), "workers": args.workers, "threads": args.threads, "requests": wrk["requests"],
        "rps": round(wrk["requests"] / seconds, 1),
        **{f"{p}_ms": wrk["latency_us"][p] / 1000 for p in ("p50", "p90", "p99")},
        "mean_ms": wrk["latency_us"]["mean"] / 1000, "errors": wrk["errors"], "error_total": error_total,
        "kinds": wrk["kinds"], "statuses": wrk["statuses"], "kind_latency_ms": by_kind, "cold_ms": cold,
        "import_every_s": args.import_every, "imports": imports, "imports_summary": imports_summary(imports),
        "loadavg": load, "cpu": wrk.get("cpu"), "cache": args.cache_url or "per worker", "served": served(access_lines),
    }
    i = result["imports_summary"]
    result["target"] = dict(TARGET) | {"met": (
        result["rps"] >= TARGET["rps"] and result["p99_ms"] < TARGET["p99_ms"] and error_total == TARGET["errors"]
        and result["users"] >= TARGET["users"] and result["units"] >= TARGET["units"] and i["ok"] == i["count"] > 0)}
    return result


def shared_cache(url: str) -> str:
    """The cache the workers share, emptied for the run; "" (per-process memory) when none answers.
    Several workers each with its own memory cache render every page once per worker: a
    deployment with more than one worker sets TWINTRACK_CACHE_URL (README, deployment)."""
    if not url:
        return ""
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except Exception as error:  # noqa: BLE001 - no server, no client: per-process caches, said in the log
        log(f"no shared cache at {url} ({error}): each worker caches on its own")
        return ""
    return url


ACCESS_FORMAT = "%(U)s %({x-page-cache}o)s %(M)s"  # path, page-cache hit or "-", milliseconds


def serve(port: int, workers: int, threads: int, log_file: Path, cache_url: str = "",
          access_log: Path | None = None) -> subprocess.Popen:
    model = (["-k", "gthread", "--threads", str(threads), "--worker-connections", str(4 * threads)] if threads > 1
             else ["-k", "sync"])  # twintrack.gunicorn_config's limit of clients per worker, for these threads
    access = ["--access-logfile", str(access_log), "--access-logformat", ACCESS_FORMAT] if access_log else []
    command = [str(BIN / "gunicorn"), "-c", "python:twintrack.gunicorn_config", "-w", str(workers), *model,
               "-b", f"127.0.0.1:{port}", "--log-level", "warning", *access, "twintrack.wsgi:application"]
    env = dict(os.environ, TWINTRACK_ALLOWED_HOSTS="127.0.0.1", TWINTRACK_CACHE_URL=cache_url)
    with log_file.open("w") as errors:  # the server's own errors, apart from this script's output
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=errors, stderr=errors, start_new_session=True)


def job_workers(count: int, log_file: Path, cache_url: str = "") -> list[subprocess.Popen]:
    """`twintrack worker` processes, as `twintrack serve` starts beside the web server: the import
    API hands its files to them (api/imports.py)."""
    env = dict(os.environ, TWINTRACK_CACHE_URL=cache_url)
    with log_file.open("w") as output:
        return [subprocess.Popen([str(BIN / "twintrack"), "worker", "--notices-every", "0"], cwd=ROOT, env=env,
                                 stdout=output, stderr=output, start_new_session=True) for _ in range(count)]


def analyze() -> None:
    """Fresh planner statistics, as autovacuum keeps them on a server in service: right after a
    bulk load the planner may pick plans that take minutes (seen on the completeness query)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def prepare(args) -> tuple[list[BenchUser], list[str]]:
    django_setup(args.database_url)
    analyze()
    users = ensure_accounts(wanted_accounts(args.users))
    attach_scopes(users)
    issue_tokens(users)
    return users, shown_periods()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: TWINTRACK_DATABASE_URL")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=15)
    parser.add_argument("--prime", action=argparse.BooleanOptionalAction, default=True,
                        help="ask for every distinct request once before the warm-up (the steady state)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (WORKER_MODEL above)")
    parser.add_argument("--threads", type=int, default=6, help="threads per worker; over 1: gthread workers")
    parser.add_argument("--job-workers", type=int, default=1,
                        help="`twintrack worker` processes, as `twintrack serve` starts (default 1); 0: the "
                             "import API runs each import in its request")
    parser.add_argument("--users", type=int, default=200, help="at least this many accounts")
    parser.add_argument("--per-user", type=int, default=20, help="distinct requests per user in the mix")
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--import-every", type=float, default=10, help="seconds; 0: no imports (not the target's run)")
    parser.add_argument("--import-units", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=1, help="measured runs after one priming (a list is printed)")
    parser.add_argument("--alternate-job-workers", action="store_true",
                        help="every other round without job workers (the import API then imports in its "
                             "request): the two set-ups compared on the same primed server")
    parser.add_argument("--alternate-imports", action="store_true",
                        help="every other round without imports: what the writes and the renders after them "
                             "add to the latencies, on the same primed server")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/5",
                        help="the workers' shared cache (emptied first); '' for per-process memory caches")
    parser.add_argument("--requests-file", default=str(HERE / "data" / "mixed_load_requests.tsv"))
    args = parser.parse_args(argv)
    log("accounts, scopes and tokens")
    users, periods = prepare(args)
    jobs = import_jobs(users, periods[0], args.import_rows, args.import_units)
    log(f"{len(users)} users over {len({u.org for u in users})} units; imports of {len(jobs[0].codes)} rows "
        f"into {', '.join(j.unit for j in jobs)} for {periods[0]}")
    port = free_port()
    requests_file = Path(args.requests_file)
    requests_file.parent.mkdir(parents=True, exist_ok=True)
    server_log = requests_file.with_name("mixed_load_gunicorn.log")
    access_log = requests_file.with_name("mixed_load_access.log")
    cache_url = args.cache_url = shared_cache(args.cache_url)
    server = serve(port, args.workers, args.threads, server_log, cache_url, access_log)
    workers = job_workers(args.job_workers, requests_file.with_name("mixed_load_worker.log"), cache_url)
    log(f"gunicorn on port {port} (cache: {cache_url or 'per worker'}), its errors in {server_log}; "
        f"{len(workers)} job workers")
    try:
        wait_for(port)
        log("logging every user in")
        log_in_all(port, users)
        lines = request_lines(plan(users, periods, args.per_user))
        requests_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        log("each page kind alone, cold")
        cold = cold_probe(port, lines)
        primed = None
        if args.prime:
            log(f"priming: each of the {len(set(lines))} distinct requests once")
            primed = prime(port, lines)
            log(f"primed in {primed['seconds']} s")
        log(f"warm-up: {args.warmup} s")
        run_wrk(port, requests_file, args.warmup, args.connections, seed=2)
        results = []
        for number in range(args.rounds):
            if args.alternate_job_workers and number > 0:
                workers = restart_job_workers(workers, 0 if workers else args.job_workers,
                                              requests_file.with_name("mixed_load_worker.log"), cache_url)
            importing = args.import_every > 0 and not (args.alternate_imports and number % 2)
            wrk, imports, samples, load, access_lines = measured_round(port, requests_file, access_log, lines, jobs,
                                                                       args, seed=1 + number, importing=importing)
            results.append(summary(wrk, users, imports, samples, cold, args, load, access_lines)
                           | {"primed": primed, "job_workers": len(workers), "round": number + 1,
                              "imports_landing": importing})
    finally:
        for process in [server, *workers]:
            os.killpg(process.pid, signal.SIGTERM)
        for process in [server, *workers]:
            process.wait(timeout=30)
    print(json.dumps(results[0] if len(results) == 1 else results))


def restart_job_workers(workers: list, count: int, log_file: Path, cache_url: str) -> list:
    """Stop the job workers, then start `count` (between rounds: imports are idle then)."""
    for process in workers:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    started = job_workers(count, log_file, cache_url)
    time.sleep(5 if started else 0)  # Django's start-up, before the round's first import
    log(f"{len(started)} job workers")
    return started


def cpu_times() -> list[int]:
    """The machine's CPU time so far, in ticks: user, nice, system, idle, iowait, irq, softirq, steal."""
    return [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]


def cpu_shares(before: list[int], after: list[int]) -> dict:
    """Where the machine's CPU went between two cpu_times(), as fractions; `steal` is time the
    host gave to other machines (a noisy neighbour makes a round slower than the code)."""
    spent = [b - a for a, b in zip(before, after)]
    total = sum(spent) or 1
    names = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")
    return {name: round(value / total, 3) for name, value in zip(names, spent)}


def measured_round(port: int, requests_file: Path, access_log: Path, lines: list[str], jobs, args, seed: int,
                   importing: bool = True):
    """One measured run: wrk, the sampler and the imports together; (wrk, imports, samples, load,
    the access log's lines of the run)."""
    stop, imports, samples = threading.Event(), [], {}
    helpers = [threading.Thread(target=sample_loop, args=(port, lines, stop, samples))]
    if importing:
        helpers.append(threading.Thread(target=import_loop, args=(port, jobs, args.import_every, stop, imports)))
    pace = f"an import every {args.import_every:g} s" if importing else "no imports"
    log(f"measured run: {args.seconds} s, {args.connections} connections, {pace}")
    measured_from = access_log.stat().st_size
    for helper in helpers:
        helper.start()
    cpu_before = cpu_times()
    wrk = run_wrk(port, requests_file, args.seconds, args.connections, seed=seed)
    wrk["cpu"] = cpu_shares(cpu_before, cpu_times())
    load = [round(x, 2) for x in os.getloadavg()]
    with access_log.open("rb") as handle:
        handle.seek(measured_from)
        access_lines = handle.read().decode(errors="replace").splitlines()
    stop.set()
    for helper in helpers:
        helper.join()
    return wrk, imports, samples, load, access_lines


if __name__ == "__main__":
    sys.exit(main())
