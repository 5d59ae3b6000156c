"""Who gets what from the bulletins pages (walked by tests/web/test_url_access.py; the format
and the world are in tests/access_tables/url_access.py).

The bulletins of a unit follow the unit: whoever sees Nanhu (the bureau, Nanhu's officer, its
supervisor) reads its page and downloads its files; Pinghu's officer gets 404, as do the
enterprise user and the service provider, who see no unit (the page without a unit is 403
for them, as every unit page). Only the bureau publishes: those who see Nanhu get 403.
"""
from access_tables.url_access import FORBIDDEN, LOGGED_IN, NOT_FOUND, OK, REDIRECT, SCOPED_READ, Case, but, expect

UNIT_PAGES = but(LOGGED_IN, enterprise=FORBIDDEN, provider=FORBIDDEN)
NANHU_PAGE = but(SCOPED_READ, enterprise=FORBIDDEN, provider=FORBIDDEN)
PUBLISH = expect(anonymous=REDIRECT, bureau=REDIRECT, district=FORBIDDEN, other_district=NOT_FOUND,
                 supervisor=FORBIDDEN, enterprise=NOT_FOUND, provider=NOT_FOUND)
PUBLISH_REFUSED = but(PUBLISH, bureau=OK)
UNPUBLISHED = but(SCOPED_READ, bureau=NOT_FOUND, district=NOT_FOUND, supervisor=NOT_FOUND)


def _published(w):
    """A published version of Nanhu's July bulletin, written directly (the page serves stored bytes)."""
    from django.utils import timezone

    from twintrack.reports.models import BulletinFile, PublishedBulletin

    bulletin = PublishedBulletin(org=w.org, year=w.year, month=w.month, lang="zh", version=1,
                                 published_at=timezone.now(), published_by=w.users["bureau"],
                                 publisher_name="bureau", data={}, changes=[])
    bulletin.save()
    BulletinFile(bulletin=bulletin, format="xlsx", name="bulletin-330402-2023-07-zh-v1.xlsx",
                 content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 content=b"PK stored bytes", size=15, sha256="0" * 64).save()
    return {"code": w.org.code, "period": w.period, "lang": "zh", "version": 1, "fmt": "xlsx"}


URLS = {
    "reports:bulletins": [
        Case(expect=UNIT_PAGES, note="the user's top unit and the dashboard's month"),
        Case(expect=NANHU_PAGE, query=lambda w: f"org={w.org.code}&period={w.period}"),
    ],
    "reports:publish": [
        Case(method="POST", expect=PUBLISH, kwargs=lambda w: {"code": w.org.code, "period": w.period},
             data=lambda w: {"lang": "zh", "reason": "", "unapproved": "on"},
             note="the world's months are not approved: the bureau says so and publishes"),
        Case(method="POST", expect=PUBLISH_REFUSED, kwargs=lambda w: {"code": w.org.code, "period": w.period},
             data=lambda w: {"lang": "zh", "reason": ""},
             note="without approval the form comes back with the refusal"),
    ],
    "reports:download": [
        Case(expect=SCOPED_READ, kwargs=_published),
        Case(expect=UNPUBLISHED,
             kwargs=lambda w: {"code": w.org.code, "period": w.period, "lang": "zh", "version": 1, "fmt": "pdf"},
             note="nothing published: 404 for everyone"),
    ],
    "reports:draft": Case(expect=SCOPED_READ, kwargs=lambda w: {"code": w.org.code, "period": w.period,
                                                                "lang": "en", "fmt": "xlsx"}),
}
