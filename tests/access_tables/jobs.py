"""Who gets what from the job pages (walked by tests/web/test_url_access.py; the format and the
world are in tests/access_tables/url_access.py).

A job is its starter's (here Nanhu's district officer) and, for a bureau officer, every job of
the units it sees. Anyone else, Pinghu's officer and Nanhu's own supervisor included, gets 404:
another unit's job reads exactly like one that does not exist. The list is everyone's own.
"""
from access_tables.url_access import LOGGED_IN, NOT_FOUND, OK, REDIRECT, Case, expect

OWN_OR_BUREAU = expect(anonymous=REDIRECT, bureau=OK, district=OK, other_district=NOT_FOUND, supervisor=NOT_FOUND,
                       enterprise=NOT_FOUND, provider=NOT_FOUND)


def _job(w):
    from twintrack.jobs.models import Job

    job = Job.objects.create(kind="import", title="progress.csv", started_by=w.users["district"], org=w.org,
                             status="failed", failure="refused",
                             outcome={"ok": False, "problems": [{"row": 2, "column": "项目编号", "reason": "没有编号为 X1 的项目"}],
                                      "total": 1})
    return {"pk": job.pk}


URLS = {
    "jobs:list": Case(expect=LOGGED_IN),
    "jobs:detail": [
        Case(expect=OWN_OR_BUREAU, kwargs=_job),
        Case(expect=expect(anonymous=REDIRECT, bureau=NOT_FOUND, district=NOT_FOUND, other_district=NOT_FOUND,
                           supervisor=NOT_FOUND, enterprise=NOT_FOUND, provider=NOT_FOUND),
             kwargs=lambda w: {"pk": 999999}, note="no such job: the same 404"),
    ],
}
