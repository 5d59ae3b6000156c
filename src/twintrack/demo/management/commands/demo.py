from twintrack.command import InputRejected, TwintrackCommand
from twintrack.demo.generate import SEED, generate
from twintrack.demo.load import DEMO_PASSWORD, load_demo
from twintrack.enterprises.models import IndustryCode
from twintrack.programme.models import Project


class Command(TwintrackCommand):
    help = "Load the Jiaxing demo data set into an initialised database (refuses if it holds projects)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing (exit 0) if the database already holds projects")
        parser.add_argument("--seed", type=int, default=SEED, help="random seed (default: the published demo)")

    def handle(self, *args, **options):
        if not IndustryCode.objects.exists():
            raise InputRejected("the database is not initialised: run `twintrack init` first")
        if Project.objects.exists():
            if options["if_empty"]:
                self.stdout.write("the database already holds projects; demo data not loaded")
                return
            raise InputRejected("the database already holds projects; the demo loads only into an empty database")
        counts = load_demo(generate(options["seed"]))
        self.stdout.write(
            "demo loaded: {units} org units, {enterprises} enterprises, {projects} projects, "
            "{progress} progress rows, {targets} targets, {energy_lines} energy lines".format(**counts)
        )
        self.stdout.write(f"logins ({DEMO_PASSWORD}): " + ", ".join(counts["logins"]))
