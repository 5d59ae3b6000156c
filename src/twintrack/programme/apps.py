from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "twintrack.programme"

    def ready(self):
        from twintrack.imports.kinds import register_row_check
        from twintrack.programme import access as programme_access
        from twintrack.programme import lifecycle

        # Scope first: a row outside the user's scope reads like a row naming nothing.
        register_row_check("targets", programme_access.refuse_target_rows_for_role)
        register_row_check("projects", programme_access.refuse_project_rows_for_role)
        register_row_check("progress", programme_access.refuse_project_month_rows_for_role)
        register_row_check("energy", programme_access.refuse_project_month_rows_for_role)

        register_row_check("progress", lifecycle.refuse_deleted_project_rows)
        register_row_check("energy", lifecycle.refuse_deleted_project_rows)
        register_row_check("projects", lifecycle.refuse_deleted_in_projects)
        register_row_check("enterprises", lifecycle.refuse_deleted_enterprises)
