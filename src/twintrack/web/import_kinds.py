"""The import kinds twintrack offers, in the order `kind_names` lists them: to the command
line (`twintrack import KIND FILE`), the upload page, the form rows and the templates.

The engine (twintrack.imports) knows no domain: each app declares its kinds, and this top
layer chooses the ones offered and passes them in (`import_file(kinds=...)`)."""
from __future__ import annotations

from types import MappingProxyType

from twintrack.energy.importing import EnergyKind, ProgressKind
from twintrack.enterprises.importing import Enterprises
from twintrack.imports import importer
from twintrack.imports.importer import ImportResult
from twintrack.orgs.importing import OrgUnits
from twintrack.programme.importing import Projects, Targets
from twintrack.supervision.importing import FindingsKind, RequirementsKind, VisitsKind

IMPORT_KINDS = MappingProxyType({kind.name: kind for kind in (
    OrgUnits, Enterprises, Targets, Projects, ProgressKind,  # data contract section 2
    EnergyKind,  # section 4
    VisitsKind, FindingsKind, RequirementsKind,  # docs/data-contract-supervision.md
)})


def import_file(kind: str, source, **options) -> ImportResult:
    """`twintrack.imports.importer.import_file` over the kinds offered here."""
    return importer.import_file(kind, source, kinds=IMPORT_KINDS, **options)


def kind_names() -> str:
    return importer.kind_names(IMPORT_KINDS)
