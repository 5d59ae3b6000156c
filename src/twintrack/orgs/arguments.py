"""The org unit a command names with `--org CODE`."""
from __future__ import annotations

from twintrack.command import InputRejected
from twintrack.orgs.access import tree_root
from twintrack.orgs.models import OrgUnit


def org_argument(code: str | None) -> OrgUnit:
    """The org unit with this code, or the root when no code is given (InputRejected if none)."""
    if code:
        org = OrgUnit.objects.filter(code=code).first()
        if org is None:
            raise InputRejected(f"--org {code}: no org unit has this code")
        return org
    root = tree_root()
    if root is None:
        raise InputRejected("the database holds no org units yet: run `twintrack demo` or import orgunits")
    return root
