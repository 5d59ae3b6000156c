"""For frozen bulletins (reports.bulletin): the tables the figures rest on."""
from twintrack.energy.basis import coefficients_used

__all__ = ["coefficients_used"]
