"""The province root's dashboard right after a write, and a sibling's page after that write.

Against a loaded database (TWINTRACK_DATABASE_URL), gunicorn with one worker and HTTP (curl):
each round writes one progress row of one project in the written district through the service
layer (`programme.services.save_progress`, committed, from a separate writer process running
the same code as the server), then asks for the root's dashboard as the bureau (timed) and for
another district's dashboard as its district officer (timed, and whether the page cache
answered it: the `X-Page-Cache: hit` header). Prints JSON: median and p95 in ms for both,
the sibling's hit count, and the load average.

    TWINTRACK_DATABASE_URL=postgresql://... python benchmarks/cold_dashboard.py \
        --root 330000 --written 330482 --sibling 330481 --period 2023-04 --rounds 20

`--src DIR` runs server and writer on another checkout's src/ (the same venv), to measure the
code before a change on the same database.

`--page quality|month` measures the data-quality page (/quality/) or the month page
(/monthly/) instead of the dashboard, by the same steps. Before the rounds it also times the
root's page cold (the server's first render of it, after one cheap page has loaded the code)
and warm (a path the page cache has not seen, so the page is rendered from whatever the
server has cached below it: `warm_render`).
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_test import BIN, ROOT, browser_cookies, free_port, sessions, wait_for  # noqa: E402


PAGES = {"dashboard": "/", "quality": "/quality/", "month": "/monthly/"}
WARM_UP = "/quality/rules/"  # a cheap page the bureau may open: loads the code, computes nothing cached


def writer_loop(written: str, period: str) -> None:
    """The writer process: one committed progress write per line read, 'ok' per write."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twintrack.settings")
    import django

    django.setup()
    from decimal import Decimal

    from twintrack.programme.models import Progress, Project
    from twintrack.programme.services import ProgressValues, save_progress

    year, month = (int(part) for part in period.split("-"))
    project = Project.objects.filter(enterprise__org__code=written, is_active=True).select_related("enterprise").first()
    if project is None:
        raise SystemExit(f"no project in {written}")
    existing = Progress.objects.filter(project=project, year=year, month=month).first()
    base = existing.investment_yuan if existing else Decimal(1000)
    for number, _ in enumerate(sys.stdin, start=1):
        amount = base + Decimal(number % 2)  # a real change every time
        save_progress([ProgressValues(project.id, project.enterprise.org_id, year, month, amount,
                                      existing.energy_saved_tce if existing else None, "cold_dashboard benchmark")])
        print("ok", flush=True)


def timed_get(url: str, header: str) -> tuple[float, bool]:
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-D", "-", "-w", "\n%{time_total}", "-H", header, url],
                         capture_output=True, text=True).stdout
    headers, seconds = out.rsplit("\n", 1)
    return float(seconds) * 1000, "x-page-cache: hit" in headers.lower()


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"median_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--root", required=True, help="the province root's code (the bureau's unit)")
    parser.add_argument("--written", required=True, help="the district written to each round")
    parser.add_argument("--sibling", required=True, help="a district of another city, whose page must stay cached")
    parser.add_argument("--period", required=True, help="YYYY-MM, a month with data")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--src", help="another checkout's src/ directory to run (before/after on one database)")
    parser.add_argument("--page", choices=sorted(PAGES), default="dashboard")
    parser.add_argument("--timeout", type=int, default=30, help="gunicorn's worker timeout, seconds (a cold render "
                        "of a page computed at once may take longer on a loaded machine)")
    args = parser.parse_args()
    if args.writer:
        writer_loop(args.written, args.period)
        return
    env = dict(os.environ, TWINTRACK_ALLOWED_HOSTS="127.0.0.1")
    if args.src:
        env["PYTHONPATH"] = args.src
    keys = sessions(args.root, args.sibling)
    port = free_port()
    server = subprocess.Popen([str(BIN / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}", "-t", str(args.timeout),
                               "--log-level", "warning",
                               "twintrack.wsgi:application"], cwd=ROOT, env=env, start_new_session=True)
    writer = subprocess.Popen([sys.executable, __file__, "--writer", "--root", args.root, "--written", args.written,
                               "--sibling", args.sibling, "--period", args.period], env=env, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    root_ms, sibling_ms, hits, warm_ms = [], [], 0, []
    try:
        wait_for(port)
        base = f"http://127.0.0.1:{port}{PAGES[args.page]}?period={args.period}&org="
        root_url, sibling_url = base + args.root, base + args.sibling
        bureau = browser_cookies(f"http://127.0.0.1:{port}{WARM_UP}", keys["bench-bureau"])
        cold_ms, _ = timed_get(root_url, bureau)
        for number in range(3):
            warm_ms.append(timed_get(f"{root_url}&warm={number}", bureau)[0])
        district = browser_cookies(sibling_url, keys["bench-district"])
        for url, header in ((root_url, bureau), (sibling_url, district)):
            for _ in range(2):  # the path learnt, then stored
                timed_get(url, header)
        for _ in range(args.rounds):
            writer.stdin.write("write\n")
            writer.stdin.flush()
            if writer.stdout.readline().strip() != "ok":
                raise SystemExit("the writer stopped")
            ms, _ = timed_get(root_url, bureau)
            root_ms.append(ms)
            ms, hit = timed_get(sibling_url, district)
            sibling_ms.append(ms)
            hits += hit
    finally:
        writer.stdin.close()
        writer.wait(timeout=30)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(json.dumps({
        "page": args.page, "root_cold_ms": round(cold_ms, 1), "root_warm_render": summary(warm_ms),
        "rounds": args.rounds, "root": args.root, "written": args.written, "sibling": args.sibling,
        "period": args.period, "root_after_write": summary(root_ms), "sibling_after_write": summary(sibling_ms),
        "sibling_cache_hits": hits, "loadavg": Path("/proc/loadavg").read_text().split()[:3],
    }))


if __name__ == "__main__":
    main()
