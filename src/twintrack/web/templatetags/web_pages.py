"""What the page frame says about the page itself."""
from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from twintrack.metrics import version

register = template.Library()


@register.simple_tag
def earlier_figures_note():
    """A note on a page that showed some figures as they stood just before a change another
    request was computing (`metrics.version.earlier_while_computing`); rendered at the end of
    the page, once every figure on it has been read."""
    if not version.earlier_values_shown():
        return ""
    return format_html('<p class="alert alert-info earlier-figures" role="status">{}</p>',
                       _("Some figures on this page are being updated after a recent change; "
                         "reload the page in a few seconds to see them."))
