"""`twintrack load-framework FILE`: add an assessment framework version from a JSON file."""
from twintrack.command import InputRejected, TwintrackCommand
from twintrack.diagnosis.frameworks import load_framework, read_framework_file
from twintrack.diagnosis.scoring import FrameworkError


class Command(TwintrackCommand):
    help = ("Load an assessment framework (dimensions, questions, options, weights, level rules) from a JSON "
            "file; see docs/diagnosis-frameworks.md. Loading the same file again changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the framework file (JSON, UTF-8)")
        parser.add_argument("--not-current", action="store_true",
                            help="load the version without making it the one new assessments use")

    def handle(self, *args, **options):
        try:
            data = read_framework_file(options["file"])
            framework, created = load_framework(data, make_current=not options["not_current"])
        except FileNotFoundError:
            raise InputRejected(f"no such file: {options['file']}") from None
        except FrameworkError as error:
            raise InputRejected(f"{options['file']}: the framework was not loaded:\n  "
                                + "\n  ".join(error.problems)) from None
        questions = sum(d.questions.count() for d in framework.dimensions.all())
        state = "loaded" if created else "already loaded, unchanged"
        current = " (current)" if framework.is_current else ""
        self.stdout.write(f"{framework.key} version {framework.version}{current}: {state}; "
                          f"{framework.dimensions.count()} dimensions, {questions} questions, "
                          f"{framework.levels.filter(number__gt=0).count()} levels")
