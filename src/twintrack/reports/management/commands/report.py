import json
from pathlib import Path

from django.utils import timezone

from twintrack.command import InputRejected, TwintrackCommand, period_argument
from twintrack.display.periods import format_period
from twintrack.orgs.arguments import org_argument as find_org  # the bulletins and publish commands import it from here
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
        parser.add_argument("--approved-only", action="store_true",
                            help="count a unit's month only once it is approved (text and json)")
        parser.add_argument("--output", help="write to this file instead of standard output (xlsx, docx and pdf: "
                                             "default bulletin-CODE-YYYY-MM-LANG.FORMAT in the working directory)")

    def handle(self, *args, **options):
        year, month = period_argument(options["period"])
        org = find_org(options["org"])
        fmt, lang = options["format"], options["lang"]
        if options["approved_only"] and fmt not in TEXT_FORMATS:
            raise InputRejected("--approved-only: only with --format text or json (a bulletin file is published "
                                "from all submitted data)")
        if fmt not in TEXT_FORMATS:
            self._binary(org, year, month, fmt, lang, options["output"])
            return
        report = build_report(org, year, month, approved_only=options["approved_only"])
        if fmt == "json":
            content = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
        else:
            content = render_text(report, lang)
        if options["output"]:
            Path(options["output"]).write_text(content, encoding="utf-8")
        else:
            self.stdout.write(content, ending="")

    def _binary(self, org, year, month, fmt, lang, output):
        """XLSX, DOCX, PDF from today's data, marked as an unpublished draft (published
        bulletins: `twintrack publish` and `twintrack bulletins`)."""
        from twintrack.reports.bulletin import bulletin_data
        from twintrack.reports.render import file_name, render

        path = Path(output or file_name(org.code, format_period(year, month), lang, fmt))
        if path.is_dir():
            path = path / file_name(org.code, format_period(year, month), lang, fmt)
        if not path.parent.is_dir():
            raise InputRejected(f"--output {output}: the directory {path.parent} does not exist")
        content = render(bulletin_data(org, year, month), fmt, lang, None, timezone.localdate())
        path.write_bytes(content)
        self.stdout.write(str(path))
