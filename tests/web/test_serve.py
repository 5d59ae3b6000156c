"""`twintrack serve` in a subprocess: no DEBUG, static files from whitenoise, demo login hint."""
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

TWINTRACK = str(Path(sys.executable).with_name("twintrack"))


def environment(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWINTRACK_", "DJANGO_"))}
    env.update(TWINTRACK_DATABASE_URL=f"sqlite:///{tmp_path}/serve.sqlite3", TWINTRACK_VAR_DIR=str(tmp_path / "var"),
               PYTHONUNBUFFERED="1")
    return env


def run(args, env, **kwargs):
    return subprocess.run([TWINTRACK, *args], env=env, capture_output=True, text=True, timeout=120, **kwargs)


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_serve_refuses_an_uninitialised_database(tmp_path):
    result = run(["serve", "--port", "0"], environment(tmp_path))
    assert result.returncode == 2
    assert "twintrack init" in result.stderr and "Traceback" not in result.stderr


def test_serve_runs_the_app_and_prints_the_url_and_demo_login(tmp_path):
    env = environment(tmp_path)
    assert run(["init"], env).returncode == 0
    create = ("from django.contrib.auth.models import User; "
              "User.objects.create_user('bureau', password='twintrack-demo')")
    assert run(["shell", "-c", create], env).returncode == 0

    server = subprocess.Popen([TWINTRACK, "serve", "--port", "0"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        url_line = server.stdout.readline()
        login_line = server.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", url_line)
        assert match, url_line
        assert login_line.strip() == "login: bureau / twintrack-demo"
        base = match.group(0)
        deadline = time.monotonic() + 20
        while True:
            try:
                status, body = fetch(base + "login/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert status == 200 and "登录".encode() in body
        status, body = fetch(base + "static/web/vendor/echarts.min.js")
        assert status == 200 and len(body) > 500_000
        status, _ = fetch(base + "static/web/app.css")
        assert status == 200
        status, _ = fetch(base + "no-such-page/")
        assert status == 404
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stdout.close()
        server.stderr.close()


def test_serve_without_the_demo_prints_no_login(tmp_path):
    env = environment(tmp_path)
    assert run(["init"], env).returncode == 0
    server = subprocess.Popen([TWINTRACK, "serve", "--port", "0"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    try:
        assert "running at http://127.0.0.1:" in server.stdout.readline()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)
        output = server.stdout.read()
        server.stdout.close()
    assert "login:" not in output


@pytest.mark.parametrize("port", ["-1", "70000"])
def test_serve_rejects_a_bad_port(tmp_path, port):
    result = run(["serve", "--port", port], environment(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def post_body(url: str, size: int) -> int:
    request = urllib.request.Request(url, data=b"x" * size, method="POST",
                                     headers={"Content-Type": "application/octet-stream"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_serve_answers_an_oversized_upload_with_413_not_500(tmp_path):
    """Issue 12 finding 7: the development server refused the hop-by-hop Connection header (500)."""
    env = environment(tmp_path)
    env["TWINTRACK_MAX_UPLOAD_MB"] = "1"
    assert run(["init"], env).returncode == 0
    server = subprocess.Popen([TWINTRACK, "serve", "--port", "0"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        base = re.search(r"http://127\.0\.0\.1:(\d+)/", server.stdout.readline()).group(0)
        deadline = time.monotonic() + 20
        while True:
            try:
                fetch(base + "login/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert post_body(base + "monthly/upload/", 2 * 1024 * 1024) == 413
        assert fetch(base + "login/")[0] == 200  # and the server goes on serving
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_each_install_makes_its_own_secret_key_readable_only_by_its_owner(tmp_path):
    """Issue 12 finding 5: with nothing configured the key was a public constant."""
    keys = []
    for install in ("one", "two"):
        env = environment(tmp_path / install)
        (tmp_path / install).mkdir()
        result = run(["shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"], env)
        assert result.returncode == 0, result.stderr
        key_file = tmp_path / install / "var" / "secret_key"
        assert key_file.stat().st_mode & 0o777 == 0o600
        assert result.stdout.strip().splitlines()[-1] == key_file.read_text().strip()
        again = run(["shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"], env)
        assert again.stdout == result.stdout  # stable across restarts
        keys.append(result.stdout.strip().splitlines()[-1])
    assert keys[0] != keys[1] and all(len(k) >= 50 and "insecure" not in k for k in keys)


WORKERS = ("import django, sys; django.setup(); from twintrack.jobs.models import WorkerProcess; "
           "print(WorkerProcess.objects.count())")


def registered_workers(env) -> int:
    done = subprocess.run([sys.executable, "-c", WORKERS], env=dict(env, DJANGO_SETTINGS_MODULE="twintrack.settings"),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip().splitlines()[-1])


def test_serve_starts_a_job_worker_and_stops_it_with_itself(tmp_path):
    """`make run` is all the set-up: the server starts `twintrack worker` (issue 20), which
    registers itself; when the server stops, the worker stops too and leaves no record."""
    env = environment(tmp_path)
    assert run(["init"], env).returncode == 0
    server = subprocess.Popen([TWINTRACK, "serve", "--port", "0", "--notices-every", "0"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert "running at http://127.0.0.1:" in server.stdout.readline()
        assert "background jobs: 1 worker(s)" in server.stdout.readline()
        deadline = time.monotonic() + 60
        while registered_workers(env) != 1:
            assert time.monotonic() < deadline, "the worker never registered"
            time.sleep(0.5)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
        server.stdout.close()
    assert registered_workers(env) == 0
    assert "twintrack worker" in (tmp_path / "var" / "log" / "worker.log").read_text()
