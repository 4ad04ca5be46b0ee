"""After-action charts: each a function from an event log (and region) or a scorecard to a
:class:`matplotlib.figure.Figure`, labelled in Chinese (default) or English.

Importing this package registers the bundled CJK font (see :mod:`ui.charts.fonts`). Charts use
the ``Figure`` API only, never pyplot, so they are safe in a multi-user console.
"""

from ui.charts.fonts import FAMILY, new_figure, to_png

__all__ = ["FAMILY", "new_figure", "to_png"]
