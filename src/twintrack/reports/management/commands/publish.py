from django.contrib.auth import get_user_model

from twintrack.command import InputRejected, TwintrackCommand, period_argument
from twintrack.jobs.models import Job
from twintrack.jobs.worker import run_now, wait_for
from twintrack.reports.content import change_line
from twintrack.reports.management.commands.report import find_org
from twintrack.reports.publishing import PublishingError, publish_bulletin, unapproved_months
from twintrack.reports.tasks import RENDER


class Command(TwintrackCommand):
    help = ("Publish the bulletin of a unit for January..period: a frozen version (figures, coefficient versions, "
            "XLSX, DOCX and PDF) that later data corrections never change. Publishing again after a correction "
            "makes a new version that lists what changed.")

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="YYYY-MM: the last month of the bulletin")
        parser.add_argument("--org", help="org unit code (default: the root)")
        parser.add_argument("--lang", default="zh", choices=("zh", "en"))
        parser.add_argument("--reason", default="", help="why this version (printed in a corrected bulletin)")
        parser.add_argument("--user", help="publish as this user (must be a bureau officer who sees the unit)")
        parser.add_argument("--force", action="store_true",
                            help="publish a new version even if no figure changed")

    def handle(self, *args, **options):
        year, month = period_argument(options["period"])
        org = find_org(options["org"])
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise InputRejected(f"--user {options['user']}: no such user")
        try:
            bulletin = publish_bulletin(org, year, month, user, lang=options["lang"], reason=options["reason"],
                                        force=options["force"])
        except PublishingError as error:
            raise InputRejected(str(error))
        self.stdout.write(f"published {org.code} {bulletin.period} {bulletin.lang} version {bulletin.version}")
        job = Job.objects.filter(kind=RENDER, subject=str(bulletin.pk)).first()
        if job is not None and not run_now(job):  # the operator waits for the files here
            wait_for(job)  # a running worker took the job first
        unapproved = unapproved_months(org, year, month)
        if unapproved:  # the operator's call; the web page asks the bureau to say so
            self.stderr.write(f"warning: months not approved for {org.code}: "
                              + ", ".join(f"{year:04d}-{m:02d}" for m in unapproved))
        for stored in bulletin.files.order_by("format").only("name", "size", "sha256"):
            self.stdout.write(f"  {stored.name}  {stored.size} bytes  sha256 {stored.sha256[:16]}")
        if bulletin.previous_id:
            count = len(bulletin.changes)
            self.stdout.write(f"changes against version {bulletin.version - 1}: {count}")
            for change in bulletin.changes:
                self.stdout.write("  " + change_line(change, month, bulletin.lang))
