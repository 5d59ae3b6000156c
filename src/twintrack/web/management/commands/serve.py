"""`twintrack serve`: the web application on one machine.

Runs Django's threaded WSGI server without the autoreloader and without DEBUG; whitenoise
serves the static files from the installed package. For production behind a proxy, run
gunicorn on `twintrack.wsgi:application` instead.
"""
import errno
import logging
import socket
import threading
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.servers.basehttp import get_internal_wsgi_application, run
from django.db import DEFAULT_DB_ALIAS, DatabaseError, close_old_connections, connections
from django.db.migrations.executor import MigrationExecutor

from twintrack.command import InputRejected, TwintrackCommand
from twintrack.notify.sending import queue_digests, send_due
from twintrack.web.reminders import remind

DEMO_USER = "bureau"
DEMO_PASSWORD = "twintrack-demo"
ANY_ADDRESS = ("0.0.0.0", "::", "")


def start_notice_loop(seconds: int) -> threading.Thread:
    """A daemon thread that writes reminders and sends the outbox every `seconds` (the demo's timer)."""

    def loop():
        while True:
            try:
                remind()
                queue_digests()
                send_due()
            except Exception:  # a bad cycle must not stop the next one, nor the server
                logging.getLogger(__name__).exception("notice cycle failed")
            finally:
                close_old_connections()
            time.sleep(seconds)

    thread = threading.Thread(target=loop, name="twintrack-notices", daemon=True)
    thread.start()
    return thread


class Command(TwintrackCommand):
    help = "Run the web application (no autoreload; static files served by whitenoise)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000; 0 picks a free one)")
        parser.add_argument("--notices-every", type=int, default=30, metavar="SECONDS",
                            help="run `remind` and `send-notices` in-process this often (default 30; 0: never, "
                                 "as in production where a timer runs them)")

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
        if options["notices_every"] > 0:
            start_notice_loop(options["notices_every"])
        ipv6 = ":" in host

        def announce(bound_port):
            shown = "127.0.0.1" if host in ANY_ADDRESS else (f"[{host}]" if ipv6 else host)
            self.stdout.write(f"twintrack is running at http://{shown}:{bound_port}/  (Ctrl-C to stop)")
            if demo_login:
                self.stdout.write(f"login: {DEMO_USER} / {DEMO_PASSWORD}")
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
