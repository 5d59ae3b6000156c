"""Writing enterprises and loading the industry-code reference list."""
from __future__ import annotations

import csv
from contextlib import nullcontext
from dataclasses import dataclass
from importlib import resources
from typing import Iterable

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from twintrack import hooks
from twintrack.enterprises.models import Enterprise, IndustryCode


@dataclass
class EnterpriseValues:
    uscc: str
    name_zh: str
    name_en: str
    org_id: int
    industry_id: str
    size: str
    above_scale: bool | None


ENTERPRISE_FIELDS = ("name_zh", "name_en", "org_id", "industry_id", "size", "above_scale")


def load_industry_codes() -> int:
    """GB/T 4754-2017 section C, shipped in the package (see data/README.md). Idempotent."""
    text = resources.files("twintrack.data").joinpath("gbt4754_2017_manufacturing.csv").read_text("utf-8")
    rows = [
        IndustryCode(code=r["code"], level=r["level"], name_zh=r["name_zh"], name_en=r["name_en"],
                     parent_code=r["parent_code"])
        for r in csv.DictReader(text.splitlines())
    ]
    IndustryCode.objects.bulk_create(rows, update_conflicts=True, unique_fields=["code"],
                                     update_fields=["level", "name_zh", "name_en", "parent_code"])
    return len(rows)


@transaction.atomic
def save_enterprises(rows: Iterable[EnterpriseValues], reason: str = "", user=None) -> tuple[int, int, int]:
    rows = list(rows)
    existing = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=[r.uscc for r in rows])}
    to_create, to_update, moved_ids, unchanged = [], [], [], 0
    units: set[int] = set()
    for values in rows:
        enterprise = existing.get(values.uscc)
        if enterprise is None:
            enterprise = Enterprise(uscc=values.uscc)
            to_create.append(enterprise)
        elif all(getattr(enterprise, f) == getattr(values, f) for f in ENTERPRISE_FIELDS):
            unchanged += 1
            continue
        else:
            if enterprise.org_id != values.org_id:
                moved_ids.append(enterprise.id)
                units.add(enterprise.org_id)  # the unit it leaves
            to_update.append(enterprise)
        for field in ENTERPRISE_FIELDS:
            setattr(enterprise, field, getattr(values, field))
    # an enterprise moving unit takes its projects' figures along
    with hooks.contributions_move({"enterprise_id__in": moved_ids}) if moved_ids else nullcontext():
        if to_create or to_update:
            hooks.bump_data_version(units | {e.org_id for e in [*to_create, *to_update]})
        if to_create:
            bulk_create_with_history(to_create, Enterprise, batch_size=2000, default_user=user,
                                     default_change_reason=reason)
        if to_update:
            bulk_update_with_history(to_update, Enterprise, list(ENTERPRISE_FIELDS), batch_size=2000,
                                     default_user=user, default_change_reason=reason)
    return len(to_create), len(to_update), unchanged
