"""How twintrack shows things to people: periods, amounts, percentages, labels, language.

The bottom layer: it imports Django, babel and the standard library, never a twintrack app,
so every app may use it. Pages and documents format only through this package; the
arithmetic of the metrics stays in `twintrack.figures` and `twintrack.metrics.rules`.
"""
