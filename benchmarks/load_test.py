"""The dashboard under load: gunicorn on the benchmark's PostgreSQL database, `wrk` with 50
connections, logged in as the bureau (province root) and as a district officer (one county).
Prints JSON: requests/s, p50, p99, errors per user.

    TWINTRACK_DATABASE_URL=postgresql://... python benchmarks/load_test.py --bureau-org 330000 --district-org 330102
"""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def sessions(bureau_org: str, district_org: str) -> dict[str, str]:
    """Two users with memberships and a logged-in session each (no password hashing needed)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twintrack.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from twintrack.orgs.models import Membership, OrgUnit, Role

    keys = {}
    for name, role, code in (("bench-bureau", Role.BUREAU, bureau_org), ("bench-district", Role.DISTRICT, district_org)):
        user, _ = get_user_model().objects.get_or_create(username=name)
        Membership.objects.update_or_create(user=user, defaults={"role": role,
                                                                 "org": OrgUnit.objects.get(code=code)})
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys[name] = session.session_key
    return keys


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def parse_wrk(text: str) -> dict:
    def ms(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {"rps": rps, "p50_ms": ms("50"), "p99_ms": ms("99"),
            "errors": errors + (int(non2xx.group(1)) if non2xx else 0)}


def browser_cookies(url: str, session_key: str) -> str:
    """The Cookie header a browser sends after its first page: the session, and the CSRF and
    language cookies that page set."""
    cookies = {"sessionid": session_key}
    check = subprocess.run(["curl", "-s", "-o", "/dev/null", "-D", "-", "-H", f"Cookie: sessionid={session_key}", url],
                           capture_output=True, text=True)
    status = check.stdout.split(" ", 2)[1] if check.stdout else "no answer"
    if status != "200":
        raise SystemExit(f"dashboard answered {status}")
    for name, value in re.findall(r"^set-cookie:\s*([^=]+)=([^;]*)", check.stdout, re.M | re.I):
        cookies[name] = value
    return "Cookie: " + "; ".join(f"{name}={value}" for name, value in cookies.items())


def cold_render_ms(url: str, header: str, times: int = 15) -> float:
    """The page right after a write (the data version bumped, so nothing cached applies):
    the median of `times` single requests, one worker rendering everything."""
    from twintrack.metrics import version

    seconds = []
    for _ in range(times):
        version.bump()  # autocommit: the next request sees a new version
        out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{time_total}", "-H", header, url],
                             capture_output=True, text=True).stdout
        seconds.append(float(out))
    return sorted(seconds)[len(seconds) // 2] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bureau-org", required=True)
    parser.add_argument("--district-org", required=True)
    parser.add_argument("--period", default="2023-12")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="over 1: gthread workers (keep-alive)")
    args = parser.parse_args()
    keys = sessions(args.bureau_org, args.district_org)
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", str(args.workers), "--threads", str(args.threads), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "twintrack.wsgi:application"],
        cwd=ROOT, env=dict(os.environ, TWINTRACK_ALLOWED_HOSTS="127.0.0.1"), start_new_session=True,
    )
    results = {}
    try:
        wait_for(port)
        for user, org in (("bench-bureau", args.bureau_org), ("bench-district", args.district_org)):
            url = f"http://127.0.0.1:{port}/?period={args.period}&org={org}"
            header = browser_cookies(url, keys[user])
            cold = cold_render_ms(url, header)
            subprocess.run(["wrk", "-t2", "-c50", "-d3s", "-H", header, url], capture_output=True)  # warm every worker
            out = subprocess.run(["wrk", "-t2", "-c50", f"-d{args.seconds}s", "--latency", "-H", header, url],
                                 capture_output=True, text=True).stdout
            results[user] = parse_wrk(out) | {"cold_p50_ms": cold}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(json.dumps(results))


if __name__ == "__main__":
    sys.exit(main())
