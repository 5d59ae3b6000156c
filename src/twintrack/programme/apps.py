from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "twintrack.programme"

    def ready(self):
        from twintrack.orgs import access
        from twintrack.programme.access import ProgressPolicy, ProjectPolicy, TargetPolicy
        from twintrack.programme.models import Progress, Project, Target

        access.register(Project, ProjectPolicy())
        access.register(Progress, ProgressPolicy())
        access.register(Target, TargetPolicy())
