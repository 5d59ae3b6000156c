import json
from pathlib import Path

from twintrack.command import InputRejected, TwintrackCommand
from twintrack.metrics.rules import parse_period
from twintrack.orgs.models import OrgUnit
from twintrack.reports.build import build_report
from twintrack.reports.text import render_text

FORMATS = ("text", "json", "xlsx", "docx", "pdf")
TEXT_FORMATS = ("text", "json")


class Command(TwintrackCommand):
    help = "The progress bulletin for January..period of that year (data contract section 3)."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="YYYY-MM: the last month of the report")
        parser.add_argument("--org", help="org unit code (default: the root)")
        parser.add_argument("--format", default="text", choices=FORMATS)
        parser.add_argument("--lang", default="zh", choices=("zh", "en"))
        parser.add_argument("--output", help="write to this file instead of standard output")

    def handle(self, *args, **options):
        try:
            year, month = parse_period(options["period"])
        except ValueError as error:
            raise InputRejected(f"--period: {error}")
        org = self._org(options["org"])
        if options["format"] not in TEXT_FORMATS:
            raise InputRejected(f"--format {options['format']}: not available in this version (use text or json)")
        report = build_report(org, year, month)
        if options["format"] == "json":
            content = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
        else:
            content = render_text(report, options["lang"])
        if options["output"]:
            Path(options["output"]).write_text(content, encoding="utf-8")
        else:
            self.stdout.write(content, ending="")

    def _org(self, code):
        if code:
            org = OrgUnit.objects.filter(code=code).first()
            if org is None:
                raise InputRejected(f"--org {code}: no org unit has this code")
            return org
        roots = OrgUnit.objects.filter(parent__isnull=True).order_by("code")
        if not roots:
            raise InputRejected("the database holds no org units yet: run `twintrack demo` or import orgunits")
        return roots[0]
