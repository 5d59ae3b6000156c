"""Who gets what from the web app's URLs (walked by tests/web/test_url_access.py; the format
and the world the cases use are in tests/access_tables/url_access.py).

The sample objects are in Nanhu: its district officer and supervisor see them, Pinghu's
officer gets 404 (never 403, so ids cannot be probed), the enterprise user sees their own
enterprise and its projects, the service provider (no assignment yet) sees nothing of the
programme pages.
"""
from access_tables.url_access import (
    BUREAU_ONLY, FORBIDDEN, LOGGED_IN, NOT_FOUND, OK, REDIRECT, SCOPED_CHANGE, SCOPED_READ, Case, but, expect,
)

ALL_REDIRECT = expect(anonymous=REDIRECT, bureau=REDIRECT, district=REDIRECT, other_district=REDIRECT,
                      supervisor=REDIRECT, enterprise=REDIRECT, provider=REDIRECT)
# Pages for whoever sees units (bureau, districts, supervisors); accounts without a unit get 403.
UNIT_PAGES = but(LOGGED_IN, enterprise=FORBIDDEN, provider=FORBIDDEN)
# Lists of enterprises and projects: also the enterprise user (their own); the provider sees none yet.
PROGRAMME_LISTS = but(LOGGED_IN, provider=FORBIDDEN)
# Data entry (upload, templates, submission): bureau and district officers.
DATA_ENTRY = but(UNIT_PAGES, supervisor=FORBIDDEN)
OWN_ENTERPRISE_READ = but(SCOPED_READ, enterprise=OK)
# Changes the enterprise user may see but not make.
ENTERPRISE_CHANGE = but(SCOPED_CHANGE, enterprise=FORBIDDEN)
# Restoring is the bureau's: the district sees the object (403), others as before.
RESTORE = but(ENTERPRISE_CHANGE, district=FORBIDDEN)
# Only the bureau: those who see the Nanhu object get 403, those who do not 404.
BUREAU_ON_NANHU = expect(anonymous=REDIRECT, bureau=OK, district=FORBIDDEN, other_district=NOT_FOUND,
                         supervisor=FORBIDDEN, enterprise=NOT_FOUND, provider=NOT_FOUND)
BUREAU_POST_ON_NANHU = but(BUREAU_ON_NANHU, bureau=REDIRECT)
BUREAU_POST = but(BUREAU_ONLY, bureau=REDIRECT)
# An upload belongs to its uploader alone: the district officer's, 404 for anyone else who enters data.
OWN_UPLOAD = expect(anonymous=REDIRECT, bureau=NOT_FOUND, district=OK, other_district=NOT_FOUND,
                    supervisor=FORBIDDEN, enterprise=FORBIDDEN, provider=FORBIDDEN)

# A notice belongs to its recipient alone (the district officer here): 404 for anyone else.
OWN_NOTICE = expect(anonymous=REDIRECT, bureau=NOT_FOUND, district=REDIRECT, other_district=NOT_FOUND,
                    supervisor=NOT_FOUND, enterprise=NOT_FOUND, provider=NOT_FOUND)

# An API token belongs to its user alone (the district officer here): 404 for anyone else.
OWN_TOKEN = OWN_NOTICE


def _token(world):
    from twintrack.orgs.tokens import create_token

    return create_token(world.users["district"], "sync", actor=world.users["district"])[0]


def _notice(world):
    from twintrack.notify.models import Notice

    return Notice.objects.create(kind="month_approved", recipient=world.users["district"], org=world.org,
                                 url="/", params={"period": world.period})


def _robot(world):
    from twintrack.notify.models import Robot

    return Robot.objects.create(org=world.org, kind="wecom", name="南湖经信群",
                                webhook="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=test")


def _failed(world):
    from twintrack.notify.models import Delivery

    return Delivery.objects.create(notice=_notice(world), channel="messenger", robot=_robot(world), subject="t",
                                   body="t", status="failed", attempts=5, last_error="HTTPError 500")


def _upload(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from twintrack.web.uploads import store_upload

    content = f"project_code,month,investment_yuan\n{world.project.code},2023-06,100\n".encode()
    stored = store_upload(SimpleUploadedFile("progress.csv", content), "progress", world.users["district"])
    return {"token": stored.token}


def _submitted(world):
    from twintrack.approvals.services import submit

    submit(world.org, world.year, world.month, world.users["bureau"])
    return {"code": world.org.code, "period": world.period}


def _approved(world):
    from twintrack.approvals.services import approve

    from twintrack.approvals.services import submit

    zone = world.orgs["NHGX"]  # the zone below Nanhu is approved first
    submit(zone, world.year, world.month, world.users["bureau"])
    approve(zone, world.year, world.month, world.users["bureau"])
    kwargs = _submitted(world)
    approve(world.org, world.year, world.month, world.users["bureau"])
    return kwargs


def _submitted_zone(world):
    from twintrack.approvals.services import submit

    submit(world.orgs["NHGX"], world.year, world.month, world.users["district"])


def _approval_pk(world):
    from twintrack.approvals.models import MonthApproval

    _submitted(world)
    return {"kind": "approval", "pk": MonthApproval.objects.get(org=world.org, year=world.year, month=world.month).pk}


def _upload_file(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"kind": "progress", "file": SimpleUploadedFile(
        "progress.csv", f"project_code,month,investment_yuan\n{world.project.code},2023-06,100\n".encode())}


NEW_PASSWORD = "a-long-new-pass-2024"

# Record forms (web/views_edit.py): a POST that the import kind refuses is answered 400 with the
# form; Pinghu's officer names Nanhu's enterprise or unit, which is outside their import scope.
FORM_REFUSED = expect(anonymous=REDIRECT, bureau=400, district=400, other_district=400, supervisor=FORBIDDEN,
                      enterprise=FORBIDDEN, provider=FORBIDDEN)
CREATE_IN_NANHU = expect(anonymous=REDIRECT, bureau=REDIRECT, district=REDIRECT, other_district=400,
                         supervisor=FORBIDDEN, enterprise=FORBIDDEN, provider=FORBIDDEN)
EDIT_PAGE = but(ENTERPRISE_CHANGE, bureau=OK, district=OK)


def _project_row(world, **changes):
    from twintrack.web.views_edit import project_values

    return {**project_values(world.project), **changes}


def _enterprise_row(world, **changes):
    from twintrack.web.views_edit import enterprise_values

    return {**enterprise_values(world.enterprise), **changes}

URLS = {
    "dashboard": Case(expect=but(LOGGED_IN, enterprise=REDIRECT, provider=FORBIDDEN),
                      note="an enterprise user starts at their enterprise; a provider has no unit"),
    "login": Case(expect=but(ALL_REDIRECT, anonymous=OK), note="a signed-in user is sent on"),
    "logout": Case(method="POST", expect=ALL_REDIRECT),
    "password_change": Case(expect=LOGGED_IN, note="every account changes its own password"),
    "tokens": [Case(expect=LOGGED_IN, note="every account lists its own API tokens"),
               Case(method="POST", expect=LOGGED_IN, data=lambda w: {"name": "province sync", "days": "30"},
                    note="and creates one for itself (its value is shown on the page, once)")],
    "token_revoke": Case(method="POST", expect=OWN_TOKEN, kwargs=lambda w: {"pk": _token(w).pk},
                         note="a token is revoked by its own user alone: 404 for anyone else"),
    "language": Case(method="POST", expect=ALL_REDIRECT, data=lambda w: {"language": "en", "next": "/"}),
    "set_language": Case(method="POST", expect=ALL_REDIRECT, data=lambda w: {"language": "en", "next": "/"},
                         note="django's own view (i18n/setlang/)"),
    "orgunit_list": Case(expect=UNIT_PAGES),
    "orgunit_detail": Case(expect=SCOPED_READ, kwargs=lambda w: {"code": w.org.code}),
    "target_edit": [
        Case(expect=BUREAU_ON_NANHU, kwargs=lambda w: {"code": w.org.code, "year": w.year}),
        Case(method="POST", expect=BUREAU_POST_ON_NANHU, kwargs=lambda w: {"code": w.org.code, "year": w.year},
             data=lambda w: {"t-projects-12": "9"}),
    ],
    "enterprise_list": Case(expect=PROGRAMME_LISTS, query="q=德威&size=medium"),
    "enterprise_export": Case(expect=PROGRAMME_LISTS),
    "enterprise_detail": Case(expect=OWN_ENTERPRISE_READ, kwargs=lambda w: {"pk": w.enterprise.pk}),
    "enterprise_create": [
        Case(expect=DATA_ENTRY),
        Case(method="POST", expect=FORM_REFUSED, data=lambda w: {"uscc": "not a code", "name_zh": ""},
             note="refused by the enterprises import kind, beside its fields"),
    ],
    "enterprise_edit": [
        Case(expect=EDIT_PAGE, kwargs=lambda w: {"pk": w.enterprise.pk}),
        Case(method="POST", expect=ENTERPRISE_CHANGE, kwargs=lambda w: {"pk": w.enterprise.pk},
             data=lambda w: _enterprise_row(w, name_zh="嘉兴改名测试有限公司")),
    ],
    "enterprise_delete": Case(method="POST", expect=ENTERPRISE_CHANGE, kwargs=lambda w: {"pk": w.enterprise.pk},
                              data=lambda w: {"reason": "entered twice"}),
    "enterprise_restore": Case(method="POST", expect=RESTORE, kwargs=lambda w: {"pk": w.enterprise.pk},
                               data=lambda w: {"reason": "restored"}),
    "project_list": Case(expect=PROGRAMME_LISTS, query="kind=digital_green&status=in_progress&start=2023-02"),
    "project_export": Case(expect=PROGRAMME_LISTS),
    "project_detail": Case(expect=OWN_ENTERPRISE_READ, kwargs=lambda w: {"pk": w.project.pk}),
    "project_create": [
        Case(expect=DATA_ENTRY),
        Case(method="POST", expect=CREATE_IN_NANHU, data=lambda w: _project_row(w, code="NEW-FORM-1"),
             note="a new project of Nanhu's enterprise: outside Pinghu's scope"),
    ],
    "project_edit": [
        Case(expect=EDIT_PAGE, kwargs=lambda w: {"pk": w.project.pk}),
        Case(method="POST", expect=ENTERPRISE_CHANGE, kwargs=lambda w: {"pk": w.project.pk},
             data=lambda w: _project_row(w, status="completed")),
    ],
    "progress_remove": Case(method="POST", expect=ENTERPRISE_CHANGE,
                            kwargs=lambda w: {"pk": w.project.pk, "period": w.progress.period},
                            data=lambda w: {"reason": "entered twice"}),
    "progress_save": Case(method="POST", expect=ENTERPRISE_CHANGE, kwargs=lambda w: {"pk": w.project.pk},
                          data=lambda w: {"month": "2023-06", "investment_yuan": "1000", "energy_saved_tce": "",
                                          "note": ""}),
    "project_delete": Case(method="POST", expect=ENTERPRISE_CHANGE, kwargs=lambda w: {"pk": w.project.pk},
                           data=lambda w: {"reason": "entered twice"}),
    "project_restore": Case(method="POST", expect=RESTORE, kwargs=lambda w: {"pk": w.project.pk},
                            data=lambda w: {"reason": "restored"}),
    "history": [
        Case(expect=OWN_ENTERPRISE_READ, kwargs=lambda w: {"kind": "enterprise", "pk": w.enterprise.pk}),
        Case(expect=OWN_ENTERPRISE_READ, kwargs=lambda w: {"kind": "project", "pk": w.project.pk}),
        Case(expect=OWN_ENTERPRISE_READ, kwargs=lambda w: {"kind": "progress", "pk": w.progress.pk}),
        Case(expect=SCOPED_READ, kwargs=lambda w: {"kind": "orgunit", "pk": w.org.pk}),
        Case(expect=SCOPED_READ, kwargs=lambda w: {"kind": "target", "pk": w.target.pk}),
        Case(expect=SCOPED_READ, kwargs=_approval_pk),
        Case(expect=but(SCOPED_READ, supervisor=NOT_FOUND),
             kwargs=lambda w: {"kind": "account", "pk": w.users["district"].membership.pk},
             note="an account's history: the bureau, and the account's own user"),
    ],
    "monthly": [
        Case(expect=DATA_ENTRY),
        Case(expect=but(DATA_ENTRY, other_district=NOT_FOUND), query="org=330402&period=2023-07",
             note="a unit's month page: Pinghu's officer gets 404 for Nanhu"),
    ],
    "progress_template": Case(expect=but(DATA_ENTRY, other_district=NOT_FOUND),
                              kwargs=lambda w: {"code": w.org.code, "period": w.period}),
    "month_submit_confirm": Case(expect=but(DATA_ENTRY, other_district=NOT_FOUND),
                                 kwargs=lambda w: {"code": w.org.code, "period": w.period},
                                 note="the confirmation step only shows; the POST is approval_submit"),
    "template_download": [
        Case(expect=DATA_ENTRY, kwargs=lambda w: {"kind": "progress"}),
        Case(expect=but(DATA_ENTRY, district=FORBIDDEN, other_district=FORBIDDEN), kwargs=lambda w: {"kind": "targets"},
             note="targets are the bureau's"),
    ],
    "upload": Case(method="POST", expect=but(DATA_ENTRY, bureau=REDIRECT, district=REDIRECT,
                                             other_district=REDIRECT), data=_upload_file),
    "upload_preview": Case(expect=OWN_UPLOAD, kwargs=_upload),
    "upload_confirm": Case(method="POST", expect=but(OWN_UPLOAD, district=REDIRECT), kwargs=_upload),
    "upload_discard": Case(method="POST", expect=but(OWN_UPLOAD, district=REDIRECT), kwargs=_upload),
    "approvals": Case(expect=UNIT_PAGES),
    "approval_bulk": [
        Case(expect=DATA_ENTRY, query="period=2023-07", note="below the user's own unit"),
        Case(expect=but(DATA_ENTRY, other_district=NOT_FOUND), query="org=330402&period=2023-07"),
        Case(method="POST", expect=but(DATA_ENTRY, bureau=REDIRECT, district=REDIRECT, other_district=NOT_FOUND),
             kwargs=lambda w: _submitted_zone(w) or {}, data=lambda w: {"org": w.org.code, "period": w.period},
             note="Nanhu's officer approves its zone; the bureau everything below Nanhu"),
    ],
    "approval_submit": Case(method="POST", expect=SCOPED_CHANGE,
                            kwargs=lambda w: {"code": w.org.code, "period": w.period}),
    "approval_approve": Case(method="POST", expect=but(SCOPED_CHANGE, district=FORBIDDEN), kwargs=_submitted,
                             note="a district does not approve its own month"),
    "approval_reopen": Case(method="POST", expect=but(SCOPED_CHANGE, district=FORBIDDEN), kwargs=_approved,
                            data=lambda w: {"reason": "a correction"}),
    "quality": [
        Case(expect=UNIT_PAGES, note="the user's top unit"),
        Case(expect=but(SCOPED_READ, enterprise=FORBIDDEN, provider=FORBIDDEN), query="org=330402&period=2023-07",
             note="a unit outside the scope is 404, like every unit page"),
    ],
    "quality_export": Case(expect=but(SCOPED_READ, enterprise=FORBIDDEN, provider=FORBIDDEN),
                           query="org=330402&period=2023-07"),
    "quality_confirm": Case(method="POST", expect=ENTERPRISE_CHANGE, data=lambda w: {
        "project": w.project.code, "rule": "spike", "period": w.period, "comment": "checked"},
        note="who may change the project; a figure that breaks no rule is answered with a message"),
    "quality_rules": [
        Case(expect=BUREAU_ONLY),
        Case(method="POST", expect=BUREAU_POST, data=lambda w: {
            "threshold_over_plan": "2", "enabled_over_plan": "on", "deadline_day": "12"}),
    ],
    "user_list": Case(expect=BUREAU_ONLY),
    "user_create": [
        Case(expect=BUREAU_ONLY),
        Case(method="POST", expect=BUREAU_POST, data=lambda w: {
            "username": "new-officer", "full_name": "", "role": "district", "org": w.org.code, "enterprise": "",
            "is_active": "on", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}),
    ],
    "user_edit": Case(expect=BUREAU_ONLY, kwargs=lambda w: {"pk": w.users["district"].pk}),
    "user_password": Case(method="POST", expect=BUREAU_POST, kwargs=lambda w: {"pk": w.users["district"].pk},
                          data=lambda w: {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}),
    # notices (twintrack/notify): each person's own inbox and settings; the bureau's channels
    "notify:inbox": Case(expect=LOGGED_IN),
    "notify:open": Case(expect=OWN_NOTICE, kwargs=lambda w: {"pk": _notice(w).pk}),
    "notify:read_all": Case(method="POST", expect=ALL_REDIRECT),
    "notify:preferences": [
        Case(expect=LOGGED_IN),
        Case(method="POST", expect=ALL_REDIRECT, data=lambda w: {"email:month_approved": "on", "digest": "on"}),
    ],
    "notify:channels": [
        Case(expect=BUREAU_ONLY),
        Case(method="POST", expect=BUREAU_POST, data=lambda w: {
            "form": "settings", "days_before_deadline": "5", "days_before_due": "2"}),
        Case(method="POST", expect=BUREAU_POST, data=lambda w: {
            "form": "robot", "org": w.org.pk, "kind": "wecom", "name": "南湖经信群",
            "webhook": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=test", "secret": ""}),
    ],
    "notify:robot_toggle": Case(method="POST", expect=BUREAU_POST, kwargs=lambda w: {"pk": _robot(w).pk}),
    "notify:delivery_retry": Case(method="POST", expect=BUREAU_POST, kwargs=lambda w: {"pk": _failed(w).pk}),
}
