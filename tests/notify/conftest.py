"""A city with Tongxiang (330483) and Pinghu (330482), an officer and a robot each, the bureau,
a supervisor; a real SMTP server and a stand-in robot webhook, both in-process."""
import email
import email.policy
import json
import socket
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest


def make_user(username, role=None, org=None, email=True, **membership):
    from django.contrib.auth import get_user_model

    from twintrack.orgs.models import Membership

    user = get_user_model().objects.create_user(username, email=f"{username}@example.cn" if email else "",
                                                password="pw-notify-1")
    if role:
        Membership.objects.create(user=user, role=role, org=org, **membership)
    return user


@pytest.fixture
def city(db):
    from twintrack.orgs.models import OrgUnit
    from twintrack.orgs.services import OrgValues, save_orgunits
    from twintrack.supervision.reference import seed_key_tasks

    seed_key_tasks()
    save_orgunits([
        OrgValues("330400", "嘉兴市", "Jiaxing", "city", None),
        OrgValues("330483", "桐乡市", "Tongxiang City", "county_city", "330400"),
        OrgValues("330482", "平湖市", "Pinghu City", "county_city", "330400"),
        OrgValues("TXGX", "桐乡高新区", "Tongxiang Hi-tech Zone", "zone", "330483"),
    ])
    orgs = {o.code: o for o in OrgUnit.objects.all()}
    users = SimpleNamespace(
        bureau=make_user("bureau", "bureau", orgs["330400"]),
        tongxiang=make_user("tongxiang", "district", orgs["330483"]),
        txgx=make_user("txgx", "district", orgs["TXGX"]),
        pinghu=make_user("pinghu", "district", orgs["330482"]),
        supervisor=make_user("duchazu", "supervisor"),
    )
    return SimpleNamespace(orgs=orgs, users=users, tongxiang=orgs["330483"], pinghu=orgs["330482"])


@pytest.fixture
def supervision(city):
    from twintrack.supervision import services
    from twintrack.supervision.models import KeyTask

    u = city.users
    round_ = services.create_round(u.bureau, code="2023Q3", name_zh="2023年第三季度督查", start_date=date(2023, 9, 11))
    services.create_group(u.bureau, round_, name_zh="第一督查组", leader=u.supervisor,
                          units=[city.tongxiang, city.pinghu])
    return SimpleNamespace(round=round_, task=KeyTask.objects.order_by("number").first())


class RobotServer:
    """A stand-in for the robots' webhook: records each POST; `fail_next` answers 500 that many times."""

    def __init__(self):
        self.posts, self.fail_next = [], 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if server.fail_next:
                    server.fail_next -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                server.posts.append((self.path, json.loads(body)))
                answer = b'{"errcode":0,"errmsg":"ok"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def robot_server():
    server = RobotServer()
    yield server
    server.close()


@pytest.fixture
def robots(city, robot_server):
    from twintrack.notify.models import Robot, RobotKind

    return SimpleNamespace(
        tongxiang=Robot.objects.create(org=city.tongxiang, kind=RobotKind.DINGTALK, name="桐乡经信群",
                                       webhook=f"{robot_server.url}/robot/send?access_token=tx",
                                       secret="SECtongxiang-secret"),
        pinghu=Robot.objects.create(org=city.pinghu, kind=RobotKind.WECOM, name="平湖经信群",
                                    webhook=f"{robot_server.url}/cgi-bin/webhook/send?key=ph"),
    )


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address):
        """The messages to `address`, each as its decoded subject and body."""
        found = []
        for recipients, content in self.messages:
            if address in recipients:
                message = email.message_from_bytes(content, policy=email.policy.default)
                found.append(f"{message['subject']}\n{message.get_content()}")
        return found


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free local port; Django's SMTP backend pointed at it."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield mailbox
    controller.stop()
