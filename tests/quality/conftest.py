"""Quality fixtures: the shared small tree, projects in Nanhu and Pinghu, and a writer of
monthly progress through the one write path (so rollups and history stay as in production)."""
from datetime import date
from decimal import Decimal

import pytest


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def make_project(city, industry_codes):
    from twintrack.enterprises.models import Enterprise
    from twintrack.enterprises.services import EnterpriseValues, save_enterprises
    from twintrack.orgs.models import OrgUnit
    from twintrack.programme.models import Project
    from twintrack.programme.services import ProjectValues, save_projects
    from tests_quality_uscc import uscc_for

    def make(code="P001", org="330402", start=date(2022, 1, 1), status="in_progress", planned=None,
             end=None):
        unit = OrgUnit.objects.get(code=org)
        uscc = uscc_for(org)
        if not Enterprise.objects.filter(uscc=uscc).exists():
            save_enterprises([EnterpriseValues(uscc, f"企业{org}", "", unit.id, "3311", "medium", True)])
        ent = Enterprise.objects.get(uscc=uscc)
        save_projects([ProjectValues(code, ent.id, ent.org_id, f"项目{code}", "digital", "", start, end,
                                     None if planned is None else Decimal(planned), status)])
        return Project.objects.get(code=code)

    return make


@pytest.fixture
def put():
    """put(project, "2023-07", amount): one month's progress row (amount in yuan)."""
    from twintrack.programme.services import ProgressValues, save_progress

    def write(project, period, amount, tce=None):
        year, month = int(period[:4]), int(period[5:])
        save_progress([ProgressValues(project.id, project.enterprise.org_id, year, month, Decimal(str(amount)),
                                      None if tce is None else Decimal(str(tce)), "")])

    return write


@pytest.fixture
def findings(db):
    """findings("330400", "2023-07") -> [(rule, project code, value, threshold, status)]."""
    from twintrack.orgs.models import OrgUnit
    from twintrack.quality.services import quality_report

    def run(org="330400", period="2023-07"):
        report = quality_report(OrgUnit.objects.get(code=org), int(period[:4]), int(period[5:]))
        return [(f["rule"], f["project"], f["value"], f["threshold"], f["status"]) for f in report["findings"]]

    return run
