"""`twintrack serve`: the web application on one machine.

Runs Django's threaded WSGI server without the autoreloader and without DEBUG; whitenoise
serves the static files from the installed package. It also starts `--workers` job workers
(`twintrack worker`, default 1), so that `make run` is all the set-up the background jobs
need. For production behind a proxy, run gunicorn on `twintrack.wsgi:application` and the
workers as services of their own instead (README, "Background jobs and the worker").
"""
import errno
import logging
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.servers.basehttp import get_internal_wsgi_application, run
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

from twintrack.command import InputRejected, TwintrackCommand

DEMO_USER = "bureau"
DEMO_PASSWORD = "twintrack-demo"
ANY_ADDRESS = ("0.0.0.0", "::", "")


class WorkerProcesses:
    """The `twintrack worker` processes a server started: restarted if one exits, stopped with it.

    Their output goes to var/log/worker.log; on Linux each is told to stop when the server dies
    (even by SIGKILL), so none outlives it."""

    def __init__(self, count: int, notices_every: int):
        self.count, self.notices_every = count, notices_every
        self.processes: list[subprocess.Popen | None] = [None] * count
        self.stopping = threading.Event()
        self.log = Path(settings.VAR_DIR) / "log" / "worker.log"

    def start(self) -> "WorkerProcesses":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        for index in range(self.count):
            self._spawn(index)
        threading.Thread(target=self._watch, name="twintrack-workers", daemon=True).start()
        return self

    def _spawn(self, index: int) -> None:
        notices = self.notices_every if index == 0 else 0  # one notice cycle is enough
        with self.log.open("ab") as log:
            self.processes[index] = subprocess.Popen(
                [sys.executable, "-m", "twintrack.cli", "worker", "--notices-every", str(notices)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)

    def _watch(self) -> None:
        while not self.stopping.wait(2):
            for index, process in enumerate(self.processes):
                if process is not None and process.poll() is not None and not self.stopping.is_set():
                    logging.getLogger(__name__).warning("worker exited (%s); starting another", process.returncode)
                    self._spawn(index)

    def stop(self) -> None:
        self.stopping.set()
        for process in self.processes:
            if process is not None and process.poll() is None:
                process.terminate()  # SIGTERM: the running job finishes or, at the second signal, stops
        for process in self.processes:
            if process is None:
                continue
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM when the server process dies, however it dies."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Command(TwintrackCommand):
    help = "Run the web application (no autoreload; static files served by whitenoise)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000; 0 picks a free one)")
        parser.add_argument("--workers", type=int, default=1, metavar="N",
                            help="start N `twintrack worker` processes for the background jobs (default 1; 0: none, "
                                 "when they run on their own, as in production)")
        parser.add_argument("--notices-every", type=int, default=30, metavar="SECONDS",
                            help="the worker runs `remind` and `send-notices` this often (default 30; 0: never, "
                                 "when a timer runs them)")

    def handle(self, *args, **options):
        host, port = options["host"].strip("[]"), options["port"]
        if not 0 <= port <= 65535:
            raise InputRejected(f"--port {port}: must be 0-65535")
        self._check_database()
        self._allow_host(host)
        demo_login = self._demo_login()
        # whitenoise serves from the package (WHITENOISE_USE_FINDERS) and warns when
        # STATIC_ROOT, where `collectstatic` would put the files, does not exist.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        handler = get_internal_wsgi_application()
        if options["workers"] < 0 or options["notices_every"] < 0:
            raise InputRejected("--workers and --notices-every must be 0 or more")
        workers = WorkerProcesses(options["workers"], options["notices_every"]).start()
        ipv6 = ":" in host

        def announce(bound_port):
            shown = "127.0.0.1" if host in ANY_ADDRESS else (f"[{host}]" if ipv6 else host)
            self.stdout.write(f"twintrack is running at http://{shown}:{bound_port}/  (Ctrl-C to stop)")
            if demo_login:
                self.stdout.write(f"login: {DEMO_USER} / {DEMO_PASSWORD}")
            if workers.count:
                self.stdout.write(f"background jobs: {workers.count} worker(s), log in {workers.log}")
            self.stdout.flush()

        try:
            run(host, port, handler, ipv6=ipv6, threading=True, on_bind=announce)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise InputRejected(f"port {port} on {host} is already in use: choose another with --port")
            if isinstance(error, socket.gaierror) or error.errno == errno.EADDRNOTAVAIL:
                raise InputRejected(f"--host {host}: not an address of this machine")
            if error.errno == errno.EACCES:
                raise InputRejected(f"--port {port}: not allowed for this user (use a port above 1023)")
            raise
        finally:
            workers.stop()

    def _check_database(self):
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as error:
            raise InputRejected(f"cannot open the database ({error}); check TWINTRACK_DATABASE_URL")
        if pending:
            raise InputRejected("the database is not initialised or not up to date: run `twintrack init` first")

    def _allow_host(self, host):
        if host in ANY_ADDRESS:
            if settings.ALLOWED_HOSTS != ["*"]:
                self.stderr.write(
                    "note: listening on all addresses; requests are accepted only for the host names in "
                    f"TWINTRACK_ALLOWED_HOSTS ({', '.join(settings.ALLOWED_HOSTS) or 'none'})")
            return
        if host not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS.append(host)

    def _demo_login(self) -> bool:
        """True when the demo's bureau user exists with the demo password."""
        user = get_user_model().objects.filter(username=DEMO_USER, is_active=True).first()
        return user is not None and user.check_password(DEMO_PASSWORD)
