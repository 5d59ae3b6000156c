"""The `enterprises` import kind (data contract section 2), and the USCC look-up other kinds share."""
from __future__ import annotations

import re

from django.utils.translation import gettext as _

from twintrack.enterprises.access import refuse_enterprise_rows_for_role
from twintrack.enterprises.models import SIZE_ZH, Enterprise, IndustryCode, Size
from twintrack.enterprises.services import EnterpriseValues, save_enterprises
from twintrack.imports import fields as f
from twintrack.imports.columns import Column
from twintrack.imports.kinds import Context, Record, chunks, good_records, refuse_inactive
from twintrack.orgs.importing import ScopedKind, no_org, org_ids_by_code, taken_outside

_USCC_SHAPE = re.compile(r"^[0-9A-Z]{18}$")


def lookup_uscc(text: str) -> str:
    """The compact form used to look an enterprise up (validated only to explain a miss)."""
    if _USCC_SHAPE.match(text):
        return text
    from stdnum.cn import uscc

    return uscc.compact(f._fold(text))




def deleted_enterprise_reason(uscc: str) -> str:
    return _("the enterprise %(uscc)s has been deleted; the bureau can restore it") % {"uscc": uscc}


def refuse_deleted_enterprises(records, ctx) -> None:
    refuse_inactive(good_records(records), ctx, Enterprise, "uscc", lambda r: r.out.uscc, "uscc",
                    lambda r: deleted_enterprise_reason(r.out.uscc))


class Enterprises(ScopedKind):
    name = "enterprises"
    columns = (
        Column("uscc", "统一社会信用代码", True),
        Column("name_zh", "企业名称", True),
        Column("name_en", "英文名称"),
        Column("org_code", "所属地区代码", True),
        Column("industry_code", "行业代码", True),
        Column("size", "企业规模"),
        Column("above_scale", "是否规上"),
    )
    key = ("uscc",)
    row_checks = (refuse_enterprise_rows_for_role, refuse_deleted_enterprises)

    def prepare(self) -> None:
        self.sizes = f.Choices(SIZE_ZH, dict(Size.choices))
        self.orgs = org_ids_by_code(self.scope)
        self.industries = set(IndustryCode.objects.values_list("code", flat=True))

    def parse(self, record: Record, ctx: Context) -> None:
        self.field(record, ctx, "uscc", f.parse_uscc)
        self.field(record, ctx, "name_zh", f.parse_text, required=True, max_length=200)
        self.field(record, ctx, "name_en", f.parse_text, max_length=300)
        org_code = self.field(record, ctx, "org_code", f.parse_text, required=True)
        if org_code is not None and org_code not in self.orgs:
            ctx.error(record, "org_code", no_org(org_code))
        self.field(record, ctx, "industry_code", f.parse_industry_code, self.industries)
        self.field(record, ctx, "size", f.parse_enum, self.sizes, required=False)
        self.field(record, ctx, "above_scale", f.parse_bool)

    def resolve(self, records: list[Record], ctx: Context) -> None:
        taken = taken_outside(self.scope, Enterprise, "uscc", {r.values["uscc"] for r in records if "uscc" in r.values},
                              "org__path")
        for record in records:
            if record.values.get("uscc") in taken:
                ctx.error(record, "uscc", _("unified social credit code %(uscc)s cannot be registered from your "
                                            "account; ask the bureau") % {"uscc": f.quoted(record.values["uscc"])})
            if not record.bad:
                v = record.values
                record.out = EnterpriseValues(v["uscc"], v["name_zh"], v.get("name_en", ""), self.orgs[v["org_code"]],
                                              v["industry_code"], v.get("size", ""), v.get("above_scale"))

    def write(self, outs: list, reason: str, user) -> tuple[int, int, int]:
        created = updated = unchanged = 0
        for chunk in chunks(outs, 5000):
            c, u, n = save_enterprises(chunk, reason, user)
            created, updated, unchanged = created + c, updated + u, unchanged + n
        return created, updated, unchanged

