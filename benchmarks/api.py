"""The HTTP API's throughput (issue 17): a cached report, and a 10,000-row progress import
through the API against the command-line import of the same file.

On a copy of the Jiaxing demo (SQLite, as `make run` serves it; `--demo PATH` reuses a
database made by `twintrack init && twintrack demo`, else one is made here):

1. gunicorn (`twintrack.wsgi:application`, WORKERS sync workers, as in the README's
   deployment) serves the copy; CLIENTS threads request GET /api/v1/reports/330400/2023-07
   with a bureau read token for SECONDS seconds after a warm-up (every answer from the cache
   keyed by the data version): requests/s, median and 95th-percentile latency.
2. A 10,000-row progress file (new months 2023-11 onwards for the demo's projects) is posted
   to POST /api/v1/imports/progress with a bureau write token: rows/s of the whole request.
3. The same file is imported by `twintrack import progress FILE` into a fresh copy: rows/s of
   the whole command (process start included), and the two databases' progress tables are
   compared (they must be identical).

Results go to standard output and benchmarks/RESULTS-api.md.
"""
from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = ROOT / ".venv" / "bin"
TWINTRACK = [str(BIN / "python"), "-m", "twintrack.cli"]
REPORT = "/api/v1/reports/330400/2023-07"
MONTHS = ("2023-11", "2023-12", "2024-01", "2024-02", "2024-03")


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def env_for(database: Path, var: Path) -> dict:
    return {**os.environ, "TWINTRACK_DATABASE_URL": f"sqlite:///{database}", "TWINTRACK_VAR_DIR": str(var),
            "TWINTRACK_API_RATE": "100000000"}


def twintrack(env: dict, *args) -> str:
    done = subprocess.run([*TWINTRACK, *map(str, args)], env=env, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"twintrack {' '.join(map(str, args))} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def token(env: dict, user: str, write: bool) -> str:
    out = twintrack(env, "token", "create", user, "--name", "benchmark", *(["--write"] if write else []))
    return out.split("token: ")[1].strip()


def demo_database(work: Path, given: str | None) -> Path:
    pristine = work / "demo.sqlite3"
    if given:
        shutil.copyfile(given, pristine)
        return pristine
    env = env_for(pristine, work / "var")
    log("making the demo database (twintrack init, twintrack demo)")
    twintrack(env, "init")
    twintrack(env, "demo")
    return pristine


def copy_of(pristine: Path, name: str) -> Path:
    target = pristine.with_name(name)
    with sqlite3.connect(pristine) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


def progress_file(database: Path, rows: int, path: Path) -> int:
    with sqlite3.connect(database) as con:
        codes = [code for (code,) in con.execute(
            "SELECT code FROM programme_project WHERE is_active AND status <> 'cancelled' "
            "AND start_date < '2023-11-01' ORDER BY code")]
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["project_code", "month", "investment_yuan", "energy_saved_tce", "note"])
        for month in MONTHS:
            for number, code in enumerate(codes):
                if written == rows:
                    return written
                out.writerow([code, month, f"{10000 + number * 37 % 9000}.00", "", "benchmark"])
                written += 1
    return written


class Server:
    def __init__(self, env: dict, port: int, workers: int):
        self.port = port
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "twintrack.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--timeout", "600", "--log-level", "warning"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                self.request("GET", "/api/v1/openapi.json")
                return
            except OSError:
                time.sleep(0.3)
        raise SystemExit("gunicorn did not start")

    def request(self, method: str, path: str, headers: dict | None = None, body: bytes | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def report_throughput(server: Server, bearer: str, clients: int, seconds: float) -> dict:
    headers = {"Authorization": f"Bearer {bearer}"}
    for _ in range(clients * 4):  # every worker computes and caches it once
        status, _body = server.request("GET", REPORT, headers)
        assert status == 200, status

    def client(_number):
        latencies, errors, stop = [], 0, time.perf_counter() + seconds
        while time.perf_counter() < stop:
            started = time.perf_counter()
            status, _body = server.request("GET", REPORT, headers)
            latencies.append(time.perf_counter() - started)
            errors += status != 200
        return latencies, errors

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(client, range(clients)))
    elapsed = time.perf_counter() - started
    latencies = sorted(lat for lats, _ in results for lat in lats)
    return {"requests": len(latencies), "errors": sum(e for _, e in results), "seconds": elapsed,
            "rps": len(latencies) / elapsed, "median_ms": statistics.median(latencies) * 1000,
            "p95_ms": latencies[int(len(latencies) * 0.95)] * 1000}


def multipart(path: Path) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{path.name}\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode()
    return head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def api_import(server: Server, bearer: str, path: Path) -> tuple[float, dict]:
    body, content_type = multipart(path)
    started = time.perf_counter()
    status, answer = server.request("POST", "/api/v1/imports/progress", {
        "Authorization": f"Bearer {bearer}", "Content-Type": content_type, "Accept-Language": "en"}, body)
    elapsed = time.perf_counter() - started
    if status != 200:
        raise SystemExit(f"the API import answered {status}: {answer[:2000]!r}")
    return elapsed, json.loads(answer)


def progress_rows(database: Path) -> list[tuple]:
    with sqlite3.connect(database) as con:
        return con.execute("SELECT p.code, g.year, g.month, g.investment_yuan, g.energy_saved_tce, g.note "
                           "FROM programme_progress g JOIN programme_project p ON p.id = g.project_id "
                           "ORDER BY p.code, g.year, g.month").fetchall()


def machine() -> list[str]:
    from importlib.metadata import version

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    mem_kb = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    return [f"- machine: {cpu}, {os.cpu_count()} cores (shared with other work while measured), "
            f"{mem_kb / 1024 / 1024:.1f} GiB",
            f"- Python {platform.python_version()}, Django {version('django')}, django-ninja {version('django-ninja')}, "
            f"SQLite {sqlite3.sqlite_version}",
            f"- load average when done: {' / '.join(f'{x:.1f}' for x in os.getloadavg())} (1 / 5 / 15 min): other "
            "jobs ran on the same cores, so the figures vary from run to run",
            f"- run at {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC with `{' '.join(sys.argv)}`"]


def render(args, report: dict, rows: int, api_seconds: float, api_answer: dict, cli_seconds: float,
           start_seconds: float, identical: bool) -> str:
    import_only = max(cli_seconds - start_seconds, 1e-9)
    return "\n".join([
        "# HTTP API benchmark", "",
        "Regenerated by `.venv/bin/python benchmarks/api.py` (see its docstring); SQLite, the demo database.", "",
        *machine(), "",
        "## Cached report", "",
        f"GET {REPORT} (bureau read token), gunicorn with {args.workers} sync workers, {args.clients} client "
        f"threads for {args.seconds:g} s, a new connection per request:", "",
        "| requests | errors | requests/s | median | p95 |", "| --- | --- | --- | --- | --- |",
        f"| {report['requests']} | {report['errors']} | {report['rps']:.0f} | {report['median_ms']:.1f} ms "
        f"| {report['p95_ms']:.1f} ms |", "",
        f"## Progress import, {rows:,} rows (all new)", "",
        "| path | seconds | rows/s |", "| --- | --- | --- |",
        f"| POST /api/v1/imports/progress (whole request) | {api_seconds:.1f} | {rows / api_seconds:,.0f} |",
        f"| `twintrack import progress FILE` (whole command, process start included) | {cli_seconds:.1f} "
        f"| {rows / cli_seconds:,.0f} |",
        f"| the same less the command's start ({start_seconds:.1f} s for `twintrack import --help`) "
        f"| {import_only:.1f} | {rows / import_only:,.0f} |", "",
        f"API answer: read {api_answer['read']}, created {api_answer['created']}, updated {api_answer['updated']}, "
        f"unchanged {api_answer['unchanged']}, {len(api_answer['warnings'])} warnings. "
        f"Progress tables after the two imports identical: {'yes' if identical else 'NO'}.", ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", help="an existing demo SQLite database to copy (else one is made: about a minute)")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=18473)
    parser.add_argument("--output", default=str(HERE / "RESULTS-api.md"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="twintrack-api-bench-") as tmp:
        work = Path(tmp)
        pristine = demo_database(work, args.demo)
        upload = work / "2023-11-progress.csv"
        rows = progress_file(pristine, args.rows, upload)
        through_api, through_cli = copy_of(pristine, "api.sqlite3"), copy_of(pristine, "cli.sqlite3")
        env = env_for(through_api, work / "var")
        reader, writer = token(env, "bureau", write=False), token(env, "bureau", write=True)
        server = Server(env, args.port, args.workers)
        try:
            log(f"cached report: {args.clients} clients for {args.seconds:g} s")
            report = report_throughput(server, reader, args.clients, args.seconds)
            log(f"  {report['rps']:.0f} requests/s, {report['errors']} errors")
            log(f"import of {rows} rows through the API")
            api_seconds, api_answer = api_import(server, writer, upload)
            log(f"  {api_seconds:.1f} s, {rows / api_seconds:,.0f} rows/s")
        finally:
            server.stop()
        log(f"import of {rows} rows through the command line")
        cli_env = env_for(through_cli, work / "var")
        started = time.perf_counter()
        twintrack(cli_env, "import", "--help")
        start_seconds = time.perf_counter() - started
        started = time.perf_counter()
        twintrack(cli_env, "import", "progress", upload)
        cli_seconds = time.perf_counter() - started
        log(f"  {cli_seconds:.1f} s, {rows / cli_seconds:,.0f} rows/s")
        identical = progress_rows(through_api) == progress_rows(through_cli)
        text = render(args, report, rows, api_seconds, api_answer, cli_seconds, start_seconds, identical)
    Path(args.output).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
