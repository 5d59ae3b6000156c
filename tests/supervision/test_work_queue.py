"""The requirement side of the home pages' work queue (issue 15): the district officer's
requirements to answer and responses sent back, the supervisor's responses waiting for
verification, the bureau's overdue requirements; each item links to the requirement."""
from __future__ import annotations

from django.urls import reverse


def queue(user) -> dict:
    from twintrack.web.workqueue import work_queue

    return {group.key: group for group in work_queue(user)}


def test_a_requirement_goes_from_one_queue_to_the_next(world, records):
    from twintrack.supervision import services

    u, requirement = world.users, records.nanhu_req
    nanhu = queue(u.nanhu)
    assert nanhu["answer"].count == 1
    assert nanhu["answer"].items[0].url == reverse("supervision:requirement", args=[requirement.pk])
    assert "verify" not in queue(u.sup1)
    pinghu = queue(u.pinghu)["answer"]  # Pinghu answers only its own requirement
    assert [item.url for item in pinghu.items] == [reverse("supervision:requirement", args=[records.pinghu_req.pk])]

    services.respond(u.nanhu, requirement, "方案已论证，附专家意见。")
    assert "answer" not in queue(u.nanhu)
    verify = queue(u.sup1)["verify"]
    assert verify.count == 1 and verify.items[0].url == reverse("supervision:requirement", args=[requirement.pk])
    assert "verify" not in queue(u.sup2)  # the second group's supervisor does not cover Nanhu
    assert "verify" not in queue(u.bureau)

    services.send_back(u.sup1, requirement, "缺少专家签字。")
    assert "verify" not in queue(u.sup1)
    returned = queue(u.nanhu)["returned"]
    assert returned.count == 1 and returned.url.endswith("status=returned")


def test_the_bureau_sees_overdue_requirements(world, records):
    overdue = queue(world.users.bureau)["overdue"]
    assert overdue.count == 1  # Nanhu's (due 2023-10-31); Pinghu's is due in 2099
    assert overdue.items[0].url == reverse("supervision:requirement", args=[records.nanhu_req.pk])
    assert "overdue" not in queue(world.users.nanhu)  # the officer has it under "to answer"


def test_the_supervision_home_lists_responses_to_verify(client, world, records):
    from twintrack.supervision import services

    services.respond(world.users.nanhu, records.nanhu_req, "已完成。")
    client.force_login(world.users.sup1)
    page = client.get(reverse("supervision:home")).content.decode()
    assert 'id="to-verify"' in page and records.nanhu_req.code in page.split('id="to-verify"')[1]
    client.force_login(world.users.sup2)
    assert 'id="to-verify"' not in client.get(reverse("supervision:home")).content.decode()


def test_the_dashboards_overdue_box_is_kept_until_a_requirement_under_it_changes(world, records, client, monkeypatch):
    from twintrack.supervision import services, summary

    asked = []
    original = summary.overdue_requirements_for
    monkeypatch.setattr(summary, "overdue_requirements_for", lambda *a, **k: asked.append(1) or original(*a, **k))
    client.force_login(world.users.bureau)
    for _ in range(2):
        assert 'id="supervision-overdue"' in client.get(reverse("dashboard")).content.decode()
    assert asked == [1]  # the second render took the box from the cache
    services.respond(world.users.nanhu, records.nanhu_req, "方案已论证，附专家意见。")
    services.verify(world.users.sup1, records.nanhu_req)
    assert 'id="supervision-overdue"' not in client.get(reverse("dashboard")).content.decode()
    assert asked == [1, 1]
