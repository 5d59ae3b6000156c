from pathlib import Path

from django.utils import timezone

from twintrack.command import InputRejected, TwintrackCommand, period_argument
from twintrack.reports.content import change_line
from twintrack.reports.management.commands.report import find_org
from twintrack.reports.publishing import PublishingError, bulletin_versions, download


class Command(TwintrackCommand):
    help = ("The published versions of a unit's bulletin for a month, with what each changed; with --format, "
            "write a published file exactly as it was published.")

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="YYYY-MM")
        parser.add_argument("--org", help="org unit code (default: the root)")
        parser.add_argument("--lang", default="zh", choices=("zh", "en"))
        parser.add_argument("--format", choices=("xlsx", "docx", "pdf"), help="write this published file")
        parser.add_argument("--edition", type=int, metavar="VERSION",
                            help="that published version (default: the latest)")
        parser.add_argument("--output", help="file or directory to write to (default: the file's own name here)")

    def handle(self, *args, **options):
        year, month = period_argument(options["period"])
        org = find_org(options["org"])
        if options["format"]:
            try:
                stored = download(org, year, month, options["format"], options["lang"], options["edition"])
            except PublishingError as error:
                raise InputRejected(str(error))
            path = Path(options["output"] or stored.name)
            if path.is_dir():
                path = path / stored.name
            path.write_bytes(stored.content)
            self.stdout.write(str(path))
            return
        versions = list(bulletin_versions(org, year, month, options["lang"]))
        if not versions:
            self.stdout.write(f"no published {options['lang']} bulletin for {org.code} {year}-{month:02d}")
            return
        for bulletin in versions:
            when = timezone.localtime(bulletin.published_at).strftime("%Y-%m-%d %H:%M")
            who = bulletin.publisher_name or "(command line)"
            reason = f"  reason: {bulletin.reason}" if bulletin.reason else ""
            self.stdout.write(f"version {bulletin.version}  {when}  {who}  {len(bulletin.changes)} changes{reason}")
            for change in bulletin.changes:
                self.stdout.write("  " + change_line(change, month, bulletin.lang))
