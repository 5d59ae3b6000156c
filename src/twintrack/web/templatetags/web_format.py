"""Numbers as a statistics office writes them in tables: thousands separators, fixed places."""
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from babel.numbers import format_decimal
from django import template

from twintrack.display import amounts
from twintrack.display.language import active_lang

register = template.Library()


@register.filter
def amount(value, places: int = 2):
    """1234567.5 -> '1,234,567.50'; None and '' -> '—'."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return value
    pattern = "#,##0" + ("." + "0" * int(places) if int(places) else "")
    locale = "en" if active_lang() == "en" else "zh_Hans_CN"
    return format_decimal(number, format=pattern, locale=locale)


@register.filter
def tce(value):
    """Energy in tce: up to six places, trailing zeros dropped."""
    if value is None or value == "":
        return "—"
    number = Decimal(str(value)).normalize()
    places = max(0, -number.as_tuple().exponent)
    return amount(number, min(places, 6))


@register.filter
def ten_thousand(value):
    """Yuan as 万元 with two places, the unit Chinese tables use: 12345678 -> '1,234.57'."""
    if value is None or value == "":
        return "—"
    return amount(Decimal(str(value)) / 10000, 2)


@register.filter
def share(value):
    """A fraction as a percentage with one place: 0.4567 -> '45.7%'."""
    if value is None or value == "":
        return "—"
    return amounts.percent(value, 1, keep_zeros=True, rounding=ROUND_HALF_EVEN)
