"""`twintrack quality --format text`: the month's data quality for people."""
from __future__ import annotations

from decimal import ROUND_HALF_EVEN

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from twintrack.display import amounts
from twintrack.quality.models import ReviewStatus
from twintrack.quality.services import QualityView, Timeliness


def percent(rate: float | None) -> str:
    if rate is None:
        return _("nothing expected")
    return amounts.percent(rate, rounding=ROUND_HALF_EVEN)


def amount(value) -> str:
    return "-" if value is None else f"{value:,.2f}"


def render_text(view: QualityView, timeliness: list[Timeliness], lang: str) -> str:
    c = view.completeness
    lines = [f"{view.org.display_name(lang)} ({view.org.code}) {view.period}",
             _("completeness: %(rate)s (%(reported)d of %(expected)d expected projects reported)") % {
                 "rate": percent(c.rate), "reported": c.reported, "expected": c.expected}]
    if c.missing:
        lines.append(_("not reported: %(codes)s") % {"codes": ", ".join(c.missing)})
    lines.append("")
    for child, counts, count in view.children:
        lines.append(ngettext("  %(unit)s: completeness %(rate)s (%(reported)d/%(expected)d), %(findings)d finding",
                              "  %(unit)s: completeness %(rate)s (%(reported)d/%(expected)d), %(findings)d findings",
                              count) % {
            "unit": f"{child.display_name(lang)} ({child.code})", "rate": percent(counts.rate),
            "reported": counts.reported, "expected": counts.expected, "findings": count})
    lines.append("")
    lines.append(_("timeliness (deadline %(deadline)s):") % {"deadline": timeliness[0].deadline.isoformat()}
                 if timeliness else "")
    for row in timeliness:
        lines.append(_("  %(unit)s: %(status)s") % {"unit": f"{row.org.display_name(lang)} ({row.org.code})",
                                                     "status": row.label})
    lines.append("")
    lines.append(ngettext("%(count)d finding (%(open)d open):", "%(count)d findings (%(open)d open):",
                          len(view.findings)) % {"count": len(view.findings), "open": view.open_findings()})
    for f in view.findings:
        status = ReviewStatus(f.status).label
        lines.append(f"  [{f.rule}] {f.project} {f.org} {f.period}: {amount(f.value)} > {amount(f.threshold)} "
                     f"({status})" if f.threshold is not None else
                     f"  [{f.rule}] {f.project} {f.org} {f.period}: {amount(f.value)} ({status})")
    return "\n".join(lines) + "\n"
