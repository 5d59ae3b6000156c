"""Each event reaches the right people and only them, once, through every channel they chose;
a failed channel is retried with back-off; nothing of Tongxiang ever reaches Pinghu."""
import base64
import hashlib
import hmac
from datetime import date, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone

from twintrack.notify.models import Delivery, DeliveryStatus, Notice
from twintrack.notify.sending import send_due


def recipients_of(kind):
    return sorted(Notice.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def later(minutes):
    return timezone.now() + timedelta(minutes=minutes)


def issue(city, supervision, org=None, due=None):
    from twintrack.supervision.services import issue_requirement

    return issue_requirement(city.users.supervisor, supervision.round, supervision.task, "完成节能改造方案论证。",
                             due or timezone.localdate() + timedelta(days=30), org=org or city.tongxiang)


def test_a_requirement_to_tongxiang_reaches_its_officers_by_inbox_mail_and_robot_and_never_pinghu(
        city, supervision, robots, robot_server, smtp):
    requirement = issue(city, supervision)

    assert recipients_of("requirement_issued") == ["tongxiang"]  # not the zone below, not Pinghu
    notice = Notice.objects.get(kind="requirement_issued")
    assert notice.url == f"/supervision/requirements/{requirement.pk}/"
    assert send_due().sent == 2  # one e-mail, one post to Tongxiang's robot

    [mail] = smtp.to("tongxiang@example.cn")
    assert "桐乡市" in mail and f"http://127.0.0.1:8000/supervision/requirements/{requirement.pk}/" in mail
    assert smtp.to("pinghu@example.cn") == []
    assert [path.split("?")[0] for path, _ in robot_server.posts] == ["/robot/send"]
    assert send_due().sent == 0  # never twice
    assert len(smtp.messages) == 1 and len(robot_server.posts) == 1


def test_the_dingtalk_post_is_signed_and_in_chinese_markdown(city, supervision, robots, robot_server):
    issue(city, supervision)
    send_due()

    path, payload = robot_server.posts[0]
    query = parse_qs(urlparse(path).query)
    timestamp = query["timestamp"][0]
    expected = base64.b64encode(hmac.new(b"SECtongxiang-secret", f"{timestamp}\nSECtongxiang-secret".encode(),
                                         hashlib.sha256).digest()).decode()
    assert query["access_token"] == ["tx"] and query["sign"] == [expected]
    assert abs(int(timestamp) - timezone.now().timestamp() * 1000) < 60_000
    assert payload["msgtype"] == "markdown" and "桐乡市" in payload["markdown"]["text"]


def test_an_answer_notifies_the_supervisor_who_issued_it(city, supervision):
    from twintrack.supervision.services import respond

    requirement = issue(city, supervision)
    respond(city.users.tongxiang, requirement, "已完成方案论证。")
    assert recipients_of("requirement_answered") == ["duchazu"]


def test_a_submitted_month_reaches_the_approvers_above_not_the_submitter_nor_another_district(city):
    from twintrack.approvals.services import submit

    submit(city.orgs["TXGX"], 2023, 7, city.users.txgx)
    assert recipients_of("month_submitted") == ["bureau", "tongxiang"]


def test_a_reopened_month_tells_the_unit(city):
    from twintrack.approvals.services import approve, reopen, submit

    zone, u = city.orgs["TXGX"], city.users
    submit(zone, 2023, 7, u.txgx)
    reopen(zone, 2023, 7, u.bureau, "数据有误")
    assert recipients_of("month_sent_back") == ["tongxiang", "txgx"]
    submit(zone, 2023, 7, u.txgx)
    approve(zone, 2023, 7, u.tongxiang)  # the approver is not told of their own approval
    reopen(zone, 2023, 7, u.bureau, "更正")
    assert recipients_of("month_approved") == ["txgx"]
    assert recipients_of("month_reopened") == ["tongxiang", "txgx"]


def test_a_failed_post_is_retried_with_back_off_then_sent_once(city, supervision, robots, robot_server):
    robot_server.fail_next = 2
    issue(city, supervision)
    delivery = Delivery.objects.get(channel="messenger")

    assert send_due().retried == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1) and "500" in delivery.last_error
    assert send_due().sent == 0  # not due yet: the back-off
    assert send_due(now=later(1.5)).retried == 1  # the second failure waits 2 minutes
    assert send_due(now=later(3)).sent == 0
    assert send_due(now=later(4)).sent == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 3, "")
    assert len(robot_server.posts) == 1


def test_a_channel_that_keeps_failing_ends_failed(city, supervision, robots, robot_server, settings):
    settings.TWINTRACK_NOTICE_ATTEMPTS = 2
    robot_server.fail_next = 5
    issue(city, supervision)
    send_due()
    assert send_due(now=later(2)).failed == 1
    assert Delivery.objects.get(channel="messenger").status == DeliveryStatus.FAILED


def test_a_claimed_delivery_is_not_claimed_again(city, supervision, robots):
    from twintrack.notify.sending import claim

    issue(city, supervision)
    first = claim(timezone.now(), 10)
    assert len(first) == 2 and claim(timezone.now(), 10) == []  # an e-mail and a robot post
    assert claim(later(11), 10) != []  # after the lease, a worker that died is taken over


def test_no_tongxiang_event_reaches_a_pinghu_user_through_any_channel(city, supervision, robots, robot_server, smtp):
    from twintrack.approvals.services import approve, reopen, submit
    from twintrack.notify.services import notify_approved_figures_changed
    from twintrack.supervision.services import respond, send_back, verify
    from twintrack.web.reminders import remind

    u = city.users
    requirement = issue(city, supervision, due=timezone.localdate() + timedelta(days=1))
    respond(u.tongxiang, requirement, "已整改")
    send_back(u.supervisor, requirement, "证据不足")
    respond(u.tongxiang, requirement, "补充证据")
    verify(u.supervisor, requirement)
    issue(city, supervision, due=timezone.localdate() + timedelta(days=2))
    submit(city.orgs["TXGX"], 2023, 7, u.txgx)
    approve(city.orgs["TXGX"], 2023, 7, u.tongxiang)
    submit(city.tongxiang, 2023, 7, u.tongxiang)
    approve(city.tongxiang, 2023, 7, u.bureau)
    reopen(city.tongxiang, 2023, 7, u.bureau, "更正")
    notify_approved_figures_changed(city.tongxiang, 2023, 7, u.txgx)
    remind(timezone.localdate())
    send_due()

    assert Notice.objects.filter(org=city.tongxiang).count() > 8
    # Pinghu hears only of Pinghu (the monthly deadline reminders, if today is in their window)
    assert not Notice.objects.filter(recipient=u.pinghu).exclude(org=city.pinghu).exists()
    assert not Delivery.objects.filter(recipient=u.pinghu).exclude(notice__org=city.pinghu).exists()
    assert not Delivery.objects.filter(robot=robots.pinghu).exclude(notice__org=city.pinghu).exists()
    assert all("桐乡" not in mail for mail in smtp.to("pinghu@example.cn"))
    assert all("桐乡" not in str(payload) for path, payload in robot_server.posts if "key=ph" in path)


def test_a_preference_turns_a_channel_off_and_a_digest_sends_one_mail_a_day(city, supervision, smtp):
    from twintrack.notify.models import Digest, Preference
    from twintrack.notify.sending import queue_digests

    Preference.objects.create(user=city.users.tongxiang, kind="requirement_issued", email=False, messenger=False)
    issue(city, supervision)
    assert not Delivery.objects.exists() and Notice.objects.filter(kind="requirement_issued").count() == 1

    Preference.objects.all().delete()
    Digest.objects.create(user=city.users.tongxiang, daily=True)
    issue(city, supervision)
    issue(city, supervision)
    assert not Delivery.objects.exists()
    assert queue_digests() == 1 and queue_digests() == 0
    send_due()
    [mail] = smtp.to("tongxiang@example.cn")  # one e-mail listing the three unread notices
    assert mail.count("新督查要求") == 3 and "3 条新通知" in mail


@pytest.mark.parametrize("days_left, kind", [(2, "requirement_due_soon"), (-400, "requirement_overdue")])
def test_remind_is_idempotent_per_day(city, supervision, days_left, kind):
    from twintrack.supervision.models import Requirement
    from twintrack.web.reminders import remind

    requirement = issue(city, supervision)
    today = timezone.localdate()
    Requirement.objects.filter(pk=requirement.pk).update(due_date=today + timedelta(days=days_left))
    remind(today)
    remind(today)
    assert recipients_of(kind) == ["tongxiang"]
    remind(today + timedelta(days=1))
    assert len(recipients_of(kind)) == (2 if kind == "requirement_due_soon" else 1)


def test_remind_tells_units_that_have_not_submitted_before_and_after_the_deadline(city):
    from twintrack.approvals.services import submit
    from twintrack.web.reminders import remind

    submit(city.pinghu, 2023, 6, city.users.pinghu)
    remind(date(2023, 7, 8))  # the deadline is 07-10, three days' notice by default
    remind(date(2023, 7, 8))
    assert recipients_of("deadline_approaching") == ["tongxiang", "tongxiang", "txgx"]  # Tongxiang and its zone
    remind(date(2023, 7, 11))
    remind(date(2023, 7, 12))
    passed = Notice.objects.filter(kind="deadline_passed")
    assert sorted({n.org.code for n in passed}) == ["330483", "TXGX"]
    assert passed.filter(recipient=city.users.bureau).count() == 2
