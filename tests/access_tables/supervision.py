"""Who gets what from the supervision pages (walked by tests/web/test_url_access.py and
tests/supervision/test_supervision_urls.py; the format and the world are in tests/access_tables/url_access.py).

Each case builds its own round in the world: a group (led by a supervisor of its own, not
the world's) covering Nanhu, a visit to Nanhu with a finding and a photo, and requirements
to Nanhu and to the world's enterprise. So:

- the bureau sees and changes everything;
- Nanhu's officer reads everything of Nanhu and answers Nanhu's requirements, 403 on what
  only supervisors do;
- Pinghu's officer gets 404 for every object of Nanhu;
- the world's supervisor (attached to Nanhu, in no group of the round) reads, 403 on changes;
- the enterprise user sees only the requirement addressed to their enterprise, and answers it;
- a provider sees nothing (404), lists are empty (200).
"""
from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from access_tables.url_access import (
    BUREAU_ONLY, FORBIDDEN, LOGGED_IN, NOT_FOUND, OK, REDIRECT, SCOPED_READ, Case, but, expect,
)

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND"
       b"\xaeB`\x82")
PROBE = "supervision/access-table/probe.png"

# Read a round or group of Nanhu's: what only the bureau changes.
ROUND_EDIT = expect(anonymous=REDIRECT, bureau=OK, district=FORBIDDEN, other_district=NOT_FOUND,
                    supervisor=FORBIDDEN, enterprise=NOT_FOUND, provider=NOT_FOUND)
ROUND_POST = but(ROUND_EDIT, bureau=REDIRECT)
# What the bureau and the group's supervisors do (the world's supervisor is in no group).
RECORD = ROUND_EDIT
RECORD_POST = ROUND_POST
# A requirement to the world's enterprise: its user reads it too; supervisors' actions are 403 for them.
ENTERPRISE_READ = but(SCOPED_READ, enterprise=OK)
REVIEW = but(ROUND_EDIT, enterprise=FORBIDDEN)
REVIEW_POST = but(REVIEW, bureau=REDIRECT)
RESPOND_POST = expect(anonymous=REDIRECT, bureau=FORBIDDEN, district=REDIRECT, other_district=NOT_FOUND,
                      supervisor=FORBIDDEN, enterprise=REDIRECT, provider=NOT_FOUND)
BUREAU_POST = expect(anonymous=REDIRECT, bureau=REDIRECT, district=FORBIDDEN, other_district=FORBIDDEN,
                     supervisor=FORBIDDEN, enterprise=FORBIDDEN, provider=FORBIDDEN)


def build(w, state: str = "issued"):
    """A round of Nanhu's in the world; returns a namespace of its objects."""
    from types import SimpleNamespace

    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from twintrack.orgs.models import Membership
    from twintrack.supervision import services
    from twintrack.supervision.models import Attachment, KeyTask

    from twintrack.supervision.reference import seed_key_tasks

    seed_key_tasks()  # a transactional test before this one may have emptied the table
    bureau = w.users["bureau"]
    leader = get_user_model().objects.create_user("access-table-leader")
    Membership.objects.create(user=leader, role="supervisor")
    task = KeyTask.objects.order_by("number").first()
    round_ = services.create_round(bureau, code="ACCESS-TABLE", name_zh="督查服务", start_date=date(2023, 9, 1))
    group = services.create_group(bureau, round_, name_zh="第一督查组", leader=leader, units=[w.org])
    visit = services.record_visit(leader, group, w.org, date(2023, 9, 12), enterprises=[w.enterprise])
    finding = services.record_finding(leader, visit, "problem", "能耗偏高", enterprise=w.enterprise)
    if not default_storage.exists(PROBE):  # one small file, reused: no upload per request
        default_storage.save(PROBE, ContentFile(PNG))
    photo = Attachment.objects.create(finding=finding, token=f"probe{finding.pk}", file=PROBE, name="现场.png",
                                      file_type="png", size=len(PNG), sha256="0" * 64, uploaded_by=leader)
    issued = timezone.make_aware(datetime(2023, 9, 12, 18))
    to_unit = services.issue_requirement(leader, round_, task, "按月报送进度", date(2023, 12, 31), org=w.org,
                                         visit=visit, when=issued)
    to_enterprise = services.issue_requirement(leader, round_, task, "完成节能诊断", date(2023, 10, 31),
                                               enterprise=w.enterprise, visit=visit, finding=finding, when=issued)
    if state in ("responded", "returned"):
        services.respond(w.users["district"], to_enterprise, "已完成")
    if state == "returned":
        services.send_back(leader, to_enterprise, "补充材料")
    return SimpleNamespace(round=round_, group=group, visit=visit, finding=finding, photo=photo, to_unit=to_unit,
                           to_enterprise=to_enterprise, leader=leader)


def pk(what: str, state: str = "issued"):
    return lambda w: {"pk": getattr(build(w, state), what).pk}


TEXT = lambda w: {"text": "情况说明"}  # noqa: E731

URLS = {
    "supervision:home": Case(expect=LOGGED_IN, note="each sees the rounds and requirements they may see"),
    "supervision:round_create": [
        Case(expect=BUREAU_ONLY),
        Case(method="POST", expect=BUREAU_POST,
             data=lambda w: {"code": "2099Q1", "name_zh": "测试轮次", "start_date": "2099-01-10"}),
    ],
    "supervision:round": Case(expect=SCOPED_READ, kwargs=pk("round"),
                              note="Nanhu's officer and supervisor read the round of Nanhu's visits"),
    "supervision:round_edit": Case(expect=ROUND_EDIT, kwargs=pk("round")),
    "supervision:round_delete": Case(method="POST", expect=ROUND_POST, kwargs=pk("round"),
                                     note="refused with a message: the round has visits"),
    "supervision:round_bulletin": [
        Case(expect=SCOPED_READ, kwargs=pk("round")),
        Case(expect=SCOPED_READ, kwargs=pk("round"), query="lang=en"),
    ],
    "supervision:group_create": Case(expect=ROUND_EDIT, kwargs=pk("round")),
    "supervision:requirement_create": Case(expect=RECORD, kwargs=pk("round")),
    "supervision:group_edit": Case(expect=ROUND_EDIT, kwargs=pk("group")),
    "supervision:group_delete": Case(method="POST", expect=ROUND_POST, kwargs=pk("group"),
                                     note="refused with a message: the group has visits"),
    "supervision:visit_create": Case(expect=RECORD, kwargs=pk("group")),
    "supervision:visit": Case(expect=SCOPED_READ, kwargs=pk("visit")),
    "supervision:visit_edit": Case(expect=RECORD, kwargs=pk("visit")),
    "supervision:visit_delete": Case(method="POST", expect=RECORD_POST, kwargs=pk("visit"),
                                     note="refused with a message: the visit has findings"),
    "supervision:finding_create": [
        Case(expect=RECORD, kwargs=pk("visit")),
        Case(method="POST", expect=RECORD_POST, kwargs=pk("visit"),
             data=lambda w: {"kind": "plan", "text": "下步计划"}),
    ],
    "supervision:finding_edit": Case(expect=RECORD, kwargs=pk("finding")),
    "supervision:finding_delete": Case(method="POST", expect=RECORD_POST, kwargs=pk("finding")),
    "supervision:attachment_create": Case(expect=RECORD, kwargs=pk("finding")),
    "supervision:attachment": Case(expect=SCOPED_READ, kwargs=pk("photo"),
                                   note="served only through this view, never as a public file"),
    "supervision:attachment_delete": Case(method="POST", expect=RECORD_POST, kwargs=pk("photo")),
    "supervision:requirements": [
        Case(expect=LOGGED_IN, note="each lists what they may see"),
        Case(expect=LOGGED_IN, query="overdue=1&org=330402"),
    ],
    "supervision:requirement": [
        Case(expect=ENTERPRISE_READ, kwargs=pk("to_enterprise")),
        Case(expect=SCOPED_READ, kwargs=pk("to_unit"), note="a requirement to the unit: not the enterprise's"),
    ],
    "supervision:requirement_edit": Case(expect=REVIEW, kwargs=pk("to_enterprise")),
    "supervision:requirement_delete": Case(method="POST", expect=REVIEW_POST, kwargs=pk("to_enterprise")),
    "supervision:requirement_respond": [
        Case(method="POST", expect=RESPOND_POST, kwargs=pk("to_enterprise"), data=TEXT,
             note="the district answers for its enterprise, the enterprise for itself"),
        Case(method="POST", expect=but(RESPOND_POST, enterprise=NOT_FOUND), kwargs=pk("to_unit"), data=TEXT),
        Case(method="POST", expect=RESPOND_POST, kwargs=pk("to_enterprise", "returned"), data=TEXT),
    ],
    "supervision:requirement_evidence": Case(method="POST", expect=RESPOND_POST,
                                             kwargs=pk("to_enterprise", "responded"),
                                             note="no file chosen: back to the page with a message"),
    "supervision:requirement_send_back": Case(method="POST", expect=REVIEW_POST,
                                              kwargs=pk("to_enterprise", "responded"), data=TEXT),
    "supervision:requirement_verify": Case(method="POST", expect=REVIEW_POST,
                                           kwargs=pk("to_enterprise", "responded"), data=TEXT),
    "supervision:unit": Case(expect=SCOPED_READ, kwargs=lambda w: {"code": w.org.code}),
    "supervision:export": [
        Case(expect=LOGGED_IN, kwargs=lambda w: {"kind": kind}, note="each exports what they may see")
        for kind in ("visits", "findings", "requirements")
    ] + [Case(expect=SCOPED_READ, kwargs=lambda w: {"kind": "requirements"},
              query=lambda w: f"round={build(w).round.pk}")],
}
