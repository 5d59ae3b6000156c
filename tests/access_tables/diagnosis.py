"""Who gets what from the diagnosis pages (the classification tests/web/test_url_access.py walks;
format in tests/access_tables/url_access.py).

An enterprise's diagnosis follows the enterprise: who sees it reads it (the enterprise user
its own), another district gets 404. Only the enterprise user self-assesses, only a provider
assigned to the enterprise records an offline diagnosis (the world's provider has no
assignment: 404). Sub-industry and provider pages are for users who see units (an enterprise
user or a provider gets 403). The catalogue, the frameworks and designated demonstrations are
for every signed-in user; the bureau changes frameworks, designations and the coverage setting.
"""
from access_tables.url_access import (
    BUREAU_ONLY, FORBIDDEN, LOGGED_IN, NOT_FOUND, OK, REDIRECT, SCOPED_READ, Case, but, expect,
)

MIIT = "miit_sme_digital_2022"

UNITS_READ = expect(anonymous=REDIRECT, bureau=OK, district=OK, other_district=OK, supervisor=OK,
                    enterprise=FORBIDDEN, provider=FORBIDDEN)
ENTERPRISE_READ = but(SCOPED_READ, enterprise=OK)
BUREAU_POST = expect(anonymous=REDIRECT, bureau=REDIRECT, district=FORBIDDEN, other_district=FORBIDDEN,
                     supervisor=FORBIDDEN, enterprise=FORBIDDEN, provider=FORBIDDEN)


def _framework():
    from twintrack.diagnosis.frameworks import load_shipped_frameworks
    from twintrack.diagnosis.models import Framework

    load_shipped_frameworks()
    return Framework.objects.get(key=MIIT, is_current=True)


def _answers(option_index: int = 2) -> dict:
    from twintrack.diagnosis.frameworks import spec_of

    return {q.code: q.options[option_index].code for q in spec_of(_framework()).questions()}


def _provider():
    from twintrack.diagnosis.models import ServiceProvider

    return ServiceProvider.objects.create(name_zh="测试服务商")


def _assessment(w, kind="self"):
    from twintrack.diagnosis.services import ReportFile, record_assessment

    provider = _provider() if kind == "offline" else None
    reports = [ReportFile("诊断报告.pdf", b"%PDF-1.4 test")] if kind == "offline" else None
    return record_assessment(w.enterprise, _framework(), _answers(), kind=kind, provider=provider, reports=reports)


def _demonstration(w, status="nominated"):
    from twintrack.diagnosis.models import Demonstration

    return Demonstration.objects.create(
        enterprise=w.enterprise, kind="digital_workshop", tier="city", title_zh="测试数字化车间",
        industry_id=w.enterprise.industry_id, year=2023, status=status, open_for_visits=status == "designated")


def _solution():
    from twintrack.diagnosis.models import Solution

    return Solution.objects.create(provider=_provider(), name_zh="测试方案", kind="saas", price_band="a_under_50k",
                                   dimensions=["operation"])


def _assignment(w):
    from datetime import date

    from twintrack.diagnosis.services import assign_provider

    return assign_provider(_provider(), w.enterprise, date(2023, 1, 1))


def _frameworks_loaded(w) -> dict:
    _framework()
    return {}


URLS = {
    "diagnosis:home": Case(expect=expect(anonymous=REDIRECT, bureau=OK, district=OK, other_district=OK,
                                         supervisor=OK, enterprise=REDIRECT, provider=OK),
                           kwargs=_frameworks_loaded,
                           note="an enterprise user is sent to its own page; a provider sees its assignments"),
    "diagnosis:enterprise": Case(expect=ENTERPRISE_READ, kwargs=lambda w: {"pk": w.enterprise.pk}),
    "diagnosis:self_assess": [
        Case(expect=expect(anonymous=REDIRECT, bureau=FORBIDDEN, district=FORBIDDEN, other_district=NOT_FOUND,
                           supervisor=FORBIDDEN, enterprise=OK, provider=NOT_FOUND),
             kwargs=lambda w: _frameworks_loaded(w) or {"pk": w.enterprise.pk}),
        Case(method="POST", expect=expect(anonymous=REDIRECT, bureau=FORBIDDEN, district=FORBIDDEN,
                                          other_district=NOT_FOUND, supervisor=FORBIDDEN, enterprise=REDIRECT,
                                          provider=NOT_FOUND),
             kwargs=lambda w: _frameworks_loaded(w) or {"pk": w.enterprise.pk},
             data=lambda w: {"framework": MIIT, **{f"q_{k}": v for k, v in _answers().items()}}),
    ],
    "diagnosis:diagnose": Case(
        expect=expect(anonymous=REDIRECT, bureau=FORBIDDEN, district=FORBIDDEN, other_district=NOT_FOUND,
                      supervisor=FORBIDDEN, enterprise=FORBIDDEN, provider=NOT_FOUND),
        kwargs=lambda w: _frameworks_loaded(w) or {"pk": w.enterprise.pk},
        note="only a provider assigned to the enterprise; the world's provider has no assignment"),
    "diagnosis:add_adoption": Case(
        method="POST", expect=expect(anonymous=REDIRECT, bureau=REDIRECT, district=REDIRECT, other_district=NOT_FOUND,
                                     supervisor=FORBIDDEN, enterprise=REDIRECT, provider=NOT_FOUND),
        kwargs=lambda w: {"pk": w.enterprise.pk},
        data=lambda w: {"solution": _solution().pk, "status": "completed", "started_on": "2023-05-01",
                        "completed_on": "2023-06-01"}),
    "diagnosis:assessment": [
        Case(expect=ENTERPRISE_READ, kwargs=lambda w: {"pk": _assessment(w).pk}),
        Case(expect=ENTERPRISE_READ, kwargs=lambda w: {"pk": _assessment(w, "offline").pk}),
    ],
    "diagnosis:assessment_delete": Case(
        method="POST", expect=expect(anonymous=REDIRECT, bureau=REDIRECT, district=FORBIDDEN,
                                     other_district=NOT_FOUND, supervisor=FORBIDDEN, enterprise=REDIRECT,
                                     provider=NOT_FOUND),
        kwargs=lambda w: {"pk": _assessment(w).pk}, note="the bureau, or the enterprise its own self-assessment"),
    "diagnosis:report_file": Case(expect=ENTERPRISE_READ,
                                  kwargs=lambda w: {"pk": _assessment(w, "offline").reports.get().pk}),
    "diagnosis:subindustries": [
        Case(expect=UNITS_READ, kwargs=_frameworks_loaded),
        Case(expect=but(UNITS_READ, other_district=NOT_FOUND), kwargs=_frameworks_loaded,
             query=lambda w: f"org={w.org.code}", note="another district cannot look into Nanhu"),
    ],
    "diagnosis:subindustry": [
        Case(expect=UNITS_READ, kwargs=lambda w: _frameworks_loaded(w) or {"code": w.enterprise.industry_id[:3]}),
        Case(expect=but(UNITS_READ, other_district=NOT_FOUND),
             kwargs=lambda w: _frameworks_loaded(w) or {"code": w.enterprise.industry_id},
             query=lambda w: f"org={w.org.code}"),
    ],
    "diagnosis:demonstrations": Case(expect=LOGGED_IN),
    "diagnosis:demonstration_new": Case(expect=expect(anonymous=REDIRECT, bureau=OK, district=OK, other_district=OK,
                                                      supervisor=FORBIDDEN, enterprise=FORBIDDEN,
                                                      provider=FORBIDDEN)),
    "diagnosis:demonstration": [
        Case(expect=ENTERPRISE_READ, kwargs=lambda w: {"pk": _demonstration(w).pk},
             note="a nomination stays with those who see the enterprise"),
        Case(expect=LOGGED_IN, kwargs=lambda w: {"pk": _demonstration(w, "designated").pk},
             note="a designated demonstration is there for every firm to visit"),
    ],
    "diagnosis:demonstration_edit": Case(
        expect=expect(anonymous=REDIRECT, bureau=OK, district=OK, other_district=NOT_FOUND, supervisor=FORBIDDEN,
                      enterprise=FORBIDDEN, provider=NOT_FOUND),
        kwargs=lambda w: {"pk": _demonstration(w).pk}),
    "diagnosis:demonstration_status": Case(
        method="POST", expect=expect(anonymous=REDIRECT, bureau=REDIRECT, district=FORBIDDEN,
                                     other_district=NOT_FOUND, supervisor=FORBIDDEN, enterprise=FORBIDDEN,
                                     provider=NOT_FOUND),
        kwargs=lambda w: {"pk": _demonstration(w).pk}, data=lambda w: {"status": "designated"}),
    "diagnosis:solutions": Case(expect=LOGGED_IN),
    "diagnosis:solution": Case(expect=LOGGED_IN, kwargs=lambda w: {"pk": _solution().pk}),
    "diagnosis:solution_new": Case(expect=BUREAU_ONLY, kwargs=_frameworks_loaded,
                                   note="and a provider user of a firm (the world's provider has none)"),
    "diagnosis:solution_edit": Case(expect=BUREAU_ONLY, kwargs=lambda w: {"pk": _solution().pk}),
    "diagnosis:providers": Case(expect=UNITS_READ),
    "diagnosis:provider": Case(expect=UNITS_READ, kwargs=lambda w: {"pk": _provider().pk}),
    "diagnosis:assignment_end": Case(
        method="POST", expect=expect(anonymous=REDIRECT, bureau=REDIRECT, district=REDIRECT,
                                     other_district=NOT_FOUND, supervisor=FORBIDDEN, enterprise=FORBIDDEN,
                                     provider=NOT_FOUND),
        kwargs=lambda w: {"pk": _assignment(w).pk}),
    "diagnosis:frameworks": Case(expect=LOGGED_IN, kwargs=_frameworks_loaded),
    "diagnosis:framework": [
        Case(expect=LOGGED_IN, kwargs=lambda w: {"pk": _framework().pk}),
        Case(method="POST", expect=BUREAU_POST, kwargs=lambda w: {"pk": _framework().pk}),
    ],
    "diagnosis:settings": Case(expect=BUREAU_ONLY, kwargs=_frameworks_loaded),
}
