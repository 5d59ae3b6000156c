"""The inbox pages: the top bar's unread count, opening a notice, marking read, one's channels,
the bureau's robots and failed deliveries; in Chinese with no English left."""
import pytest
from django.urls import reverse

from twintrack.notify.models import Delivery, Digest, Notice, NoticeSettings, Preference, Robot


@pytest.fixture
def notice(city):
    from twintrack.notify.services import notify

    [notice] = notify("month_approved", city.tongxiang, url="/approvals/?period=2023-07",
                      params={"period": "2023-07"}, exclude_user=city.users.bureau)
    return notice


def logged_in(client, user):
    client.force_login(user)
    return client


def test_the_top_bar_counts_unread_notices_and_opening_one_marks_it_read(client, city, notice):
    client = logged_in(client, city.users.tongxiang)
    page = client.get(reverse("notify:inbox")).content.decode()
    assert 'class="badge badge-submitted unread-count"' in page and "桐乡市 2023-07 月度数据已审核通过" in page

    response = client.get(reverse("notify:open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == "/approvals/?period=2023-07"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "unread-count" not in client.get(reverse("notify:inbox")).content.decode()


def test_mark_all_read(client, city, notice):
    client = logged_in(client, city.users.tongxiang)
    client.post(reverse("notify:read_all"))
    assert not Notice.objects.filter(read_at__isnull=True).exists()


def test_another_persons_notice_is_not_found(client, city, notice):
    assert logged_in(client, city.users.pinghu).get(reverse("notify:open", args=[notice.pk])).status_code == 404


def test_preferences_are_saved_per_kind_with_the_digest(client, city):
    client = logged_in(client, city.users.tongxiang)
    page = client.get(reverse("notify:preferences")).content.decode()
    assert "督查要求即将到期" in page
    client.post(reverse("notify:preferences"), {"email:requirement_issued": "on", "digest": "on"})
    issued = Preference.objects.get(user=city.users.tongxiang, kind="requirement_issued")
    assert issued.email and not issued.messenger
    assert not Preference.objects.get(user=city.users.tongxiang, kind="month_approved").email
    assert Digest.objects.get(user=city.users.tongxiang).daily


def test_the_bureau_adds_a_robot_sets_the_reminder_days_and_sees_failed_deliveries(client, city, notice):
    client = logged_in(client, city.users.bureau)
    client.post(reverse("notify:channels"), {"form": "robot", "org": city.tongxiang.pk, "kind": "dingtalk",
                                              "name": "桐乡经信群", "secret": "SECabc",
                                              "webhook": "https://oapi.dingtalk.com/robot/send?access_token=x"})
    robot = Robot.objects.get()
    client.post(reverse("notify:channels"), {"form": "settings", "days_before_deadline": "5", "days_before_due": "2"})
    assert NoticeSettings.objects.get().days_before_deadline == 5
    Delivery.objects.create(notice=notice, channel="messenger", robot=robot, subject="s", body="b",
                            status="failed", attempts=5, last_error="URLError: timed out")
    page = client.get(reverse("notify:channels")).content.decode()
    assert "桐乡经信群" in page and "URLError: timed out" in page and "发送失败的消息" in page
    assert "Failed deliveries" not in page and "Messenger robots" not in page
    failed = Delivery.objects.get(status="failed")
    client.post(reverse("notify:delivery_retry", args=[failed.pk]))
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("pending", 0)


def test_a_district_officer_may_not_open_the_channels_page(client, city):
    assert logged_in(client, city.users.tongxiang).get(reverse("notify:channels")).status_code == 403
