"""Numbers on the energy pages: thousands separators, no trailing zeros, never 1E+4."""
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from django import template

from twintrack.display import amounts

register = template.Library()


@register.filter
def num(value, places=6):
    """1234567.890000 -> '1,234,567.89'; rounds to `places` decimals; None -> '—'."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value)).quantize(Decimal(1).scaleb(-int(places)))
    except (InvalidOperation, ValueError):
        return str(value)
    text = f"{number:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@register.filter
def percent(value):
    if value is None:
        return "—"
    return amounts.percent(value, rounding=ROUND_HALF_EVEN)


@register.filter
def coef(value):
    """A coefficient as the standard prints it: 0.9 -> 0.9000."""
    from twintrack.energy.conversions import coefficient_text

    if value is None or value == "":
        return "—"
    return coefficient_text(Decimal(str(value)))
