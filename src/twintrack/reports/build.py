"""The full report object of contract section 3: figures plus the bilingual narrative."""
from twintrack.energy.basis import extend_report
from twintrack.metrics.report import report_for_period
from twintrack.orgs.models import OrgUnit
from twintrack.reports.narrative import narrative


EXTENSIONS = (extend_report,)  # energy adds how its tce and CO2 figures were converted


def build_report(org: OrgUnit, year: int, through_month: int, approved_only: bool = False) -> dict:
    report = report_for_period(org, year, through_month, approved_only=approved_only, extensions=EXTENSIONS)
    report["narrative"] = narrative(report, org.kind)
    return report
