"""Drawing a report's figures with a Chinese-capable font, without global state or warnings."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

from ..style import CJK_FONTS

__all__ = ["CJK_FONTS", "FONT_NOTE", "Charts"]

# --- charts ---------------------------------------------------------------------------------

FONT_NOTE = (
    "*Some chart labels use characters that no installed font can draw, so they appear "
    "as boxes. Install a Chinese font (e.g. Noto Sans CJK SC) and run the report again "
    "to see them.*"
)
"""The note (Markdown) that :class:`Charts` shows once when a label cannot be drawn."""


class Charts:
    """Shows the figures of one report run.

    Labels of a report often come from the client's data and may be Chinese (feature, segment
    or column names), which matplotlib's default font cannot draw. :meth:`show` draws each
    figure with the installed fonts of :data:`CJK_FONTS` ahead of DejaVu Sans (inside
    ``plt.rc_context``, so nothing global changes) and, when a glyph is still missing, shows
    :data:`FONT_NOTE` under the first such figure instead of printing a warning for every
    character. Other warnings raised while drawing are passed on unchanged.

    A template creates one instance and draws every figure with it, so that the note appears at
    most once per report::

        charts = reports.Charts()
        charts.show(lambda ax: res.plot("better_worse", ax=ax), figsize=(7.5, 6))

    Parameters
    ----------
    fonts : font family names to try before DejaVu Sans; those not installed are skipped.
    tight_layout : call ``fig.tight_layout()`` before showing each figure.
    display : the function that shows a figure or a Markdown note; IPython's ``display`` by
        default. Tests and scripts can pass their own (it receives the Figure, then a
        ``Markdown`` object for the note).

    Attributes
    ----------
    fonts : the font families used, in order (installed fonts of ``fonts``, then DejaVu Sans).
    note_shown : whether the font note has been shown.
    """

    def __init__(
        self,
        *,
        fonts: Sequence[str] = CJK_FONTS,
        tight_layout: bool = True,
        display: Callable | None = None,
    ):
        from matplotlib import font_manager

        installed = {f.name for f in font_manager.fontManager.ttflist}
        self.fonts = [f for f in fonts if f in installed] + ["DejaVu Sans"]
        self.tight_layout = tight_layout
        self.note_shown = False
        self._display = display

    def _show(self, obj) -> None:
        if self._display is not None:
            self._display(obj)
        else:
            from IPython.display import display

            display(obj)

    def show(
        self,
        draw: Callable,
        figsize: tuple[float, float] = (7.5, 4.5),
        *,
        nrows: int = 1,
        ncols: int = 1,
        **subplots,
    ) -> None:
        """Create a figure, let ``draw`` fill it, show it and close it.

        ``draw`` receives the Axes (an array of Axes when ``nrows`` or ``ncols`` is above 1, as
        from ``plt.subplots``, which also gets the other keyword arguments, e.g.
        ``gridspec_kw``); what it returns is ignored. Returns None, so a call at the end of a
        cell shows nothing more.
        """
        import matplotlib.pyplot as plt
        from IPython.display import Markdown

        with (
            plt.rc_context({"font.sans-serif": self.fonts}),
            warnings.catch_warnings(record=True) as caught,
        ):
            warnings.simplefilter("always")
            fig, axes = plt.subplots(nrows, ncols, figsize=figsize, **subplots)
            try:
                draw(axes)
                if self.tight_layout:
                    fig.tight_layout()
                self._show(fig)
            finally:
                plt.close(fig)
        glyphs = [w for w in caught if "missing from font" in str(w.message)]
        for w in caught:
            if w not in glyphs:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if glyphs and not self.note_shown:
            self.note_shown = True
            self._show(Markdown(FONT_NOTE))
