"""The course's look: one seaborn theme, colour-blind-safe colours, a Chinese-capable font and a
source line under each figure.

Nothing here runs at import time. A lesson or report sets the theme once, in its first code
cell, and every figure after it follows::

    from customer_value import style
    style.use()                       # seaborn theme + the packaged Noto Sans CJK font
    ax = sns.histplot(data=t, x="profit", hue="tier", palette=style.TIER_COLORS)
    style.label(ax, title="Profit per customer", x="profit per year (¥)", y="customers",
                source="datasets/retail_transactions.csv")

The palette is seaborn's ``colorblind`` (Wong 2011, *Nature Methods* 8:441, "Points of view:
color blindness"), whose colours stay distinct for the common forms of colour-vision deficiency.
Chinese labels are drawn with Noto Sans CJK, shipped by the pinned package
``cvttf-NotoSansCJK-Regular`` (so no font has to be installed on the machine) and registered
with matplotlib's font manager on first use; DejaVu Sans stays first for Latin text and matplotlib
falls back to the CJK font glyph by glyph.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator

__all__ = [
    "CJK_FAMILY",
    "CJK_FONTS",
    "KANO_COLORS",
    "TIER_COLORS",
    "TIER_ORDER",
    "cjk_font",
    "colors",
    "label",
    "rc",
    "add_source",
    "theme",
    "use",
]

TIER_ORDER = ("platinum", "gold", "iron", "lead")
"""The customer-pyramid tiers from the top (Zeithaml, Rust & Lemon 2001)."""

CJK_FAMILY = "Noto Sans CJK TC"
"""The family name of the packaged CJK font (it draws simplified and traditional Chinese)."""

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Arial Unicode MS",
)
"""Installed fonts that draw Chinese, tried after the packaged one: Linux (Noto, Source Han,
WenQuanYi), Windows (Microsoft YaHei, SimHei), macOS (PingFang, Heiti) and Office (Arial
Unicode)."""

# seaborn's "colorblind" palette (Wong 2011) spelled out, so that the library needs no seaborn
# import to name a colour: blue, orange, green, red, purple, brown, pink, grey, yellow, cyan
_CB = (
    "#0173b2",
    "#de8f05",
    "#029e73",
    "#d55e00",
    "#cc78bc",
    "#ca9161",
    "#fbafe4",
    "#949494",
    "#ece133",
    "#56b4e9",
)

TIER_COLORS = {"platinum": _CB[0], "gold": _CB[1], "iron": _CB[7], "lead": _CB[3]}
"""One colour per pyramid tier, the same in every lesson and report."""

KANO_COLORS = {
    "M": _CB[3],  # must-be
    "O": _CB[0],  # one-dimensional
    "A": _CB[2],  # attractive
    "I": _CB[7],  # indifferent
    "R": _CB[4],  # reverse
    "Q": _CB[5],  # questionable
}
"""One colour per Kano category code (M, O, A, I, R, Q)."""


def colors(n: int | None = None) -> list[str]:
    """The course's categorical colours (the colour-blind-safe palette), ``n`` of them (cycled)."""
    if n is None:
        return list(_CB)
    if n < 0:
        raise ValueError("n must be >= 0")
    return [_CB[i % len(_CB)] for i in range(n)]


@functools.cache
def cjk_font() -> str | None:
    """Register the packaged Noto Sans CJK font with matplotlib and return its family name, or
    ``None`` when the font package is not installed (then an installed CJK font, if any, is
    used by the fallback list of :func:`rc`)."""
    try:
        import cvttf_NotoSansCJK_Regular as pkg
    except ImportError:
        return None
    from matplotlib import font_manager

    path = pkg.get_TTF_path()
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def rc() -> dict:
    """The matplotlib settings of the course theme beyond seaborn's: the font fallback list
    (DejaVu Sans, then the CJK font), figure size and resolution, and SVG/PDF text as text."""
    from matplotlib import font_manager

    cjk = cjk_font()
    installed = {f.name for f in font_manager.fontManager.ttflist}
    # matplotlib falls back glyph by glyph only along font.family itself (not through the
    # generic "sans-serif"), and logs a warning for every family that is not installed
    fonts = ["DejaVu Sans"] + ([cjk] if cjk else [])
    fonts += [f for f in CJK_FONTS if f != cjk and f in installed]
    return {
        "font.family": fonts,
        "font.sans-serif": fonts,
        "axes.unicode_minus": False,
        "figure.figsize": (7.0, 4.2),
        "figure.dpi": 100,
        "savefig.dpi": 200,
        "savefig.bbox": "tight",
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "pdf.fonttype": 42,
        "svg.fonttype": "none",
    }


def use(context: str = "notebook", font_scale: float = 1.0) -> None:
    """Set the course theme for the rest of the session: seaborn's ``whitegrid`` style with the
    colour-blind palette and :func:`rc`. Call it once, in the first code cell of a lesson or
    report; the library's own plotting functions never call it."""
    import seaborn as sns

    sns.set_theme(context=context, style="whitegrid", palette=list(_CB), font_scale=font_scale)
    import matplotlib as mpl

    mpl.rcParams.update(rc())


@contextlib.contextmanager
def theme(context: str = "notebook", font_scale: float = 1.0) -> Iterator[None]:
    """The course theme for a ``with`` block only (scripts and tests that must leave matplotlib's
    global settings as they found them)."""
    import matplotlib as mpl
    import seaborn as sns

    with mpl.rc_context():
        sns.set_theme(context=context, style="whitegrid", palette=list(_CB), font_scale=font_scale)
        mpl.rcParams.update(rc())
        yield


def add_source(target, text: str, *, prefix: str = "Source: ") -> None:
    """Write a source line (``prefix`` + ``text``) in small grey type under a figure; ``target``
    is a matplotlib Figure or Axes. Use ``prefix="来源："`` for Chinese figures."""
    fig = target.figure if hasattr(target, "figure") and target.figure is not None else target
    fig.text(0.01, 0.0, prefix + text, ha="left", va="top", fontsize="x-small", color="0.35")


def label(ax, *, title: str, x: str | None = None, y: str | None = None, source=None, **kw):
    """Title an Axes, label its axes (give the unit in the label, e.g. ``"profit (¥ per
    year)"``) and, with ``source``, add the source line (:func:`add_source`, ``kw`` passed on).
    Returns the Axes."""
    ax.set_title(title)
    if x is not None:
        ax.set_xlabel(x)
    if y is not None:
        ax.set_ylabel(y)
    if source is not None:
        add_source(ax, source, **kw)
    return ax
