"""Sending one delivery: an e-mail through Django's mail framework, or a markdown post to a
messenger group robot (DingTalk custom robot, signed; WeCom group robot). Each raises on
failure; the worker records the error and retries."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request

from django.core.mail import EmailMessage

from twintrack.notify.models import Delivery, RobotKind

TIMEOUT_SECONDS = 15


class DeliveryFailed(Exception):
    pass


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature: base64(HMAC-SHA256(key=secret, "timestamp\\nsecret")), url-encoded."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def dingtalk_url(webhook: str, secret: str, timestamp_ms: int | None = None) -> str:
    if not secret:
        return webhook
    timestamp_ms = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    joiner = "&" if "?" in webhook else "?"
    return f"{webhook}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def robot_payload(kind: str, title: str, text: str) -> dict:
    if kind == RobotKind.DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    return {"msgtype": "markdown", "markdown": {"content": text}}


def post_json(url: str, payload: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(payload, ensure_ascii=False).encode(),
                                     headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (bureau-set URL)
        answer = response.read()
    try:
        return json.loads(answer or b"{}")
    except ValueError:
        raise DeliveryFailed(f"the robot answered with something other than JSON: {answer[:200]!r}") from None


def send_to_robot(delivery: Delivery) -> None:
    robot = delivery.robot
    url = dingtalk_url(robot.webhook, robot.secret) if robot.kind == RobotKind.DINGTALK else robot.webhook
    answer = post_json(url, robot_payload(robot.kind, delivery.subject, delivery.body))
    if answer.get("errcode", 0) != 0:  # both robots answer {"errcode": 0, "errmsg": "ok"}
        raise DeliveryFailed(f"the robot refused the message: {answer.get('errcode')} {answer.get('errmsg', '')}")


def send_email(delivery: Delivery) -> None:
    body = delivery.body.replace("#### ", "", 1)
    sent = EmailMessage(subject=delivery.subject, body=body, to=[delivery.address]).send(fail_silently=False)
    if sent != 1:
        raise DeliveryFailed("the mail server accepted no message")


def send(delivery: Delivery) -> None:
    if delivery.channel == "email":
        send_email(delivery)
    elif delivery.robot_id is not None:
        send_to_robot(delivery)
    else:
        raise DeliveryFailed(f"no way to send a {delivery.channel} delivery without a robot")
