"""What each kind of job is called on the pages (the kinds are declared by the apps that start them)."""
from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    "import_preview": _("Check a file before importing"),
    "import": _("Import a file"),
    "api_import": _("Import a file through the API"),
    "bulletin_render": _("Render a bulletin's files"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))
