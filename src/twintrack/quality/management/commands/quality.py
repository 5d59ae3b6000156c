"""`twintrack quality --period YYYY-MM [--org CODE] [--format text|json]` (data contract section 5)."""
import json

from django.utils import translation

from twintrack.command import TwintrackCommand, period_argument
from twintrack.orgs.arguments import org_argument
from twintrack.quality.services import quality_view, timeliness_for
from twintrack.quality.text import render_text


class Command(TwintrackCommand):
    help = "Completeness, timeliness and plausibility findings of one month (data contract section 5)."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="YYYY-MM: the month to check")
        parser.add_argument("--org", help="org unit code (default: the root)")
        parser.add_argument("--format", default="text", choices=("text", "json"))
        parser.add_argument("--lang", default="zh", choices=("zh", "en"), help="language of the text format")

    def handle(self, *args, **options):
        year, month = period_argument(options["period"])
        org = org_argument(options["org"])
        view = quality_view(org, year, month)
        if options["format"] == "json":
            self.stdout.write(json.dumps(view.as_json(), ensure_ascii=False, indent=2))
            return
        lang = options["lang"]
        with translation.override("zh-hans" if lang == "zh" else "en"):
            self.stdout.write(render_text(view, timeliness_for(org, year, month), lang), ending="")
