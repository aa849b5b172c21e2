"""Formatting numbers and user text for report Markdown: one way for every template."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

__all__ = ["MINUS", "code", "escape", "money", "num", "p_text", "pct", "share", "with_ci"]

# ============================================================================================
# helpers for report templates
# ============================================================================================
#
# A template imports these instead of defining its own copies, so that every report prints
# numbers, reads parameters and draws charts the same way. None of them changes global state.

MINUS = "\u2212"
"""The minus sign of :func:`money` (typographic, so that "−¥1,200" does not read as a dash)."""


def _missing(x) -> bool:
    """None, NaN, NA and ±inf: values a report prints as ``n/a``."""
    if x is None:
        return True
    try:
        return not math.isfinite(float(x))
    except (TypeError, ValueError):
        return bool(pd.isna(x)) if np.ndim(x) == 0 else False


def _fixed(x, digits: int, grouping: bool = True) -> str:
    """``x`` with ``digits`` decimals (and thousands separators), never "-0": a value that
    rounds to zero prints without a sign."""
    text = f"{float(x):{',' if grouping else ''}.{digits}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


def num(x, digits: int = 1) -> str:
    """A number with thousands separators and ``digits`` decimals; ``n/a`` when missing.

    >>> num(12345.678), num(-0.04), num(float("nan")), num(3, 0)
    ('12,345.7', '0.0', 'n/a', '3')
    """
    return "n/a" if _missing(x) else _fixed(x, digits)


def money(x, digits: int = 0, *, currency: str = "") -> str:
    """An amount of money: sign, currency sign, digits with thousands separators.

    The sign comes before the currency sign and is the typographic minus ``−`` (U+2212);
    amounts that round to zero have no sign. ``n/a`` when missing. A template that shows one
    currency binds it once: ``money = functools.partial(reports.money, currency="¥")``.

    >>> money(1234.6), money(-1234.6, currency="¥"), money(-0.04, 1, currency="$"), money(None)
    ('1,235', '−¥1,235', '$0.0', 'n/a')
    """
    if _missing(x):
        return "n/a"
    text = _fixed(abs(float(x)), digits)
    sign = MINUS if float(x) < 0 and text.strip("0.,") else ""
    return f"{sign}{currency}{text}"


def pct(x, digits: int = 1) -> str:
    """A share (0.123) as a percentage with ``digits`` decimals ("12.3%"); ``n/a`` when missing.

    >>> pct(0.1234), pct(0.5, 0), pct(-0.051), pct(float("inf"))
    ('12.3%', '50%', '-5.1%', 'n/a')
    """
    return "n/a" if _missing(x) else f"{_fixed(100 * float(x), digits, grouping=False)}%"


def share(part, whole, digits: int = 1) -> str:
    """``part`` as a percentage of ``whole``; ``n/a`` when ``whole`` is zero or either is
    missing.

    >>> share(1, 4), share(2, 3, 0), share(1, 0)
    ('25.0%', '67%', 'n/a')
    """
    if _missing(part) or _missing(whole) or float(whole) == 0:
        return "n/a"
    return pct(float(part) / float(whole), digits)


def p_text(p) -> str:
    """A p-value as reports print it: three decimals, ``< 0.001`` below that, ``n/a`` missing.

    >>> p_text(0.04321), p_text(0.0002), p_text(None)
    ('0.043', '< 0.001', 'n/a')
    """
    if _missing(p):
        return "n/a"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def with_ci(value, low, high, digits: int = 2) -> str:
    """An estimate with its confidence interval, "0.42 [0.31, 0.55]"; the interval is left out
    when either bound is missing, and the whole is ``n/a`` when the estimate is.

    >>> with_ci(0.4213, 0.31, 0.551), with_ci(0.5, float("nan"), 0.6), with_ci(None, 0, 1)
    ('0.42 [0.31, 0.55]', '0.50', 'n/a')
    """
    if _missing(value):
        return "n/a"
    text = _fixed(value, digits, grouping=False)
    if not (_missing(low) or _missing(high)):
        text += f" [{_fixed(low, digits, False)}, {_fixed(high, digits, False)}]"
    return text


# --- text from the user's data ----------------------------------------------------------------
# Feature, segment, column and file names, labels and titles come from the client's files and
# parameters. In a Markdown cell they could open HTML tags (<script>) or Markdown syntax, so every
# such value goes through escape() or code() before it enters Markdown.

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~^$])")


def escape(value) -> str:
    """``value`` as literal text inside Markdown: HTML special characters become entities and
    Markdown punctuation is backslash-escaped; line breaks become spaces.

    >>> print(escape("<script>alert(1)</script>"))
    &lt;script&gt;alert\\(1\\)&lt;/script&gt;
    >>> print(escape("**bold** [link](x) 'q'"))
    \\*\\*bold\\*\\* \\[link\\]\\(x\\) &#x27;q&#x27;
    """
    import html

    text = " ".join(str(value).split("\n")).replace("\r", " ")
    return html.escape(_MD_SPECIAL.sub(r"\\\1", text), quote=True)


def code(value) -> str:
    """``value`` set in code type inside Markdown (a column or file name), escaped like
    :func:`escape`: ``<code>…</code>`` rather than backticks, which user text could close.

    >>> print(code("客户编号"), code("a`b"))
    <code>客户编号</code> <code>a\\`b</code>
    """
    return f"<code>{escape(value)}</code>"
