"""Small helpers shared by every module of the library: one copy each.

* :func:`rng` turns a ``seed`` argument into a NumPy Generator (every random function takes one);
* :func:`fmt` writes a number the way error messages show it;
* :func:`source_of` is the file a DataFrame was read from (:func:`customer_value.io.read_table`
  records it), so that an error can name it;
* :class:`Problems` collects every problem of an input and raises them as one
  :class:`~customer_value.io.InputError`;
* :func:`check_number` validates a numeric argument against an interval;
* :func:`axes` returns the Axes a plot function draws on (the caller's, or a new figure's).

Nothing here has a side effect on import; matplotlib is imported only when a plot is drawn.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .io import InputError, example_rows

__all__ = ["Problems", "axes", "check_array", "check_number", "fmt", "rng", "source_of"]


def rng(seed) -> np.random.Generator:
    """A NumPy Generator from ``seed``: an int (reproducible), None (fresh entropy) or a Generator,
    which is used as it is (so that a caller can thread one stream through several functions).

    >>> float(rng(1).random()) == float(rng(1).random())
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (
        isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral)
    ):
        raise InputError(f"seed must be a whole number, None or a numpy Generator, not {seed!r}")
    if seed is not None and int(seed) < 0:
        raise InputError(f"seed must be a whole number >= 0, not {seed!r}")
    return np.random.default_rng(None if seed is None else int(seed))


def fmt(value) -> str:
    """A value as an error message shows it: whole floats without ``.0``, other floats to six
    significant digits, text quoted.

    >>> fmt(3.0), fmt(0.1234567), fmt("x"), fmt(7)
    ('3', '0.123457', "'x'", '7')
    """
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return f"{v:.6g}"
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return str(int(value))
    return repr(value)


def source_of(df) -> str | None:
    """The path of the file ``df`` was read from by :func:`customer_value.io.read_table`, or None."""
    attrs = getattr(df, "attrs", None) or {}
    return (attrs.get("customer_value_source") or {}).get("path")


class Problems:
    """Every problem of one input, raised together as one :class:`~customer_value.io.InputError`.

    Two kinds of entries: :meth:`add_values` for offending cells of a column (their distinct
    values with counts and up to five example rows with line numbers), :meth:`add` for a free
    sentence (``where: text``). :meth:`raise_if_any` raises when there is at least one.

    >>> p = Problems("the answers cannot be used:")
    >>> p.add("feature 'wifi'", "no answers")
    >>> p.raise_if_any()
    Traceback (most recent call last):
    ...
    customer_value.io.InputError: the answers cannot be used:
      - feature 'wifi': no answers
    """

    def __init__(
        self,
        what: str,
        *,
        frame: pd.DataFrame | None = None,
        hint: str = "",
        id_column: str | None = None,
        limit: int = 8,
    ):
        self.what, self.frame, self.hint, self.id_column, self.limit = (
            what,
            frame,
            hint,
            id_column,
            limit,
        )
        self.items: list[tuple[str, object]] = []

    def __bool__(self) -> bool:
        return bool(self.items)

    def add(self, where: str, text: str) -> None:
        """A problem in words: ``where`` (a field, a column, a section) and what is wrong."""
        self.items.append(("text", f"{where}: {text}"))

    def add_values(self, column: str, values: pd.Series, mask) -> None:
        """The cells of ``column`` selected by ``mask`` are wrong; ``values`` holds the cells."""
        mask = np.asarray(mask, dtype=bool)
        shown = values[mask].map(
            lambda v: (
                "<missing>"
                if v is None or (not isinstance(v, str) and pd.isna(v))
                else str(int(v))
                if isinstance(v, float) and v.is_integer()
                else str(v)
            )
        )
        self.items.append(("values", (column, shown.value_counts(), mask)))

    @property
    def columns(self) -> list[str]:
        return [item[0] for kind, item in self.items if kind == "values"]

    def message(self) -> str:
        lines = [self.what]
        texts = [item for kind, item in self.items if kind == "text"]
        for text in texts[: self.limit]:
            lines.append(f"  - {text}")
        if len(texts) > self.limit:
            more = len(texts) - self.limit
            lines.append(f"  ... and {more} more problem{'s' if more != 1 else ''}")
        for kind, item in self.items:
            if kind != "values":
                continue
            column, counts, mask = item
            vals = ", ".join(
                f"{v!r} ({n} row{'s' if n != 1 else ''})" for v, n in counts.head(10).items()
            )
            more = len(counts) - 10
            lines.append(
                f"column {column!r}: {vals}"
                + (f" and {more} more distinct value{'s' if more != 1 else ''}" if more > 0 else "")
            )
            if self.frame is not None and column in self.frame.columns:
                cols = [self.id_column, column] if self.id_column else [column]
                lines.append(example_rows(self.frame, mask, cols))
        if self.hint:
            lines.append(self.hint)
        return "\n".join(lines)

    def raise_if_any(self, source=None) -> None:
        if not self.items:
            return
        if source is None and self.frame is not None:
            source = source_of(self.frame)
        raise InputError(self.message(), source=source, columns=self.columns)


def _rule(lo, hi, lo_open: bool, hi_open: bool) -> str:
    if hi is None and lo is not None:
        return f"> {fmt(lo)}" if lo_open else f">= {fmt(lo)}"
    if lo is None and hi is not None:
        return f"< {fmt(hi)}" if hi_open else f"<= {fmt(hi)}"
    left, right = ("(" if lo_open else "["), (")" if hi_open else "]")
    return f"in {left}{fmt(lo)}, {fmt(hi)}{right}"


def _offending(arr: np.ndarray, bad: np.ndarray, limit: int = 5) -> str:
    if arr.size == 1:
        return fmt(arr[0])
    idx = np.flatnonzero(bad)
    shown = ", ".join(f"{fmt(arr[i])} (position {i})" for i in idx[:limit])
    more = len(idx) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def check_array(name: str, value, *, allow_empty: bool = False) -> np.ndarray:
    """``value`` as a 1-d float array of finite numbers; otherwise an InputError naming ``name``."""
    try:
        arr = np.atleast_1d(np.asarray(value, dtype=float))
    except (TypeError, ValueError):
        raise InputError(f"{name} must be numeric; got {value!r}") from None
    if arr.ndim != 1:
        raise InputError(
            f"{name} must be a number or a 1-d sequence of numbers; got shape {arr.shape}"
        )
    if arr.size == 0 and not allow_empty:
        raise InputError(f"{name} must not be empty")
    bad = ~np.isfinite(arr)
    if bad.any():
        raise InputError(f"{name} must be finite; got {_offending(arr, bad)}")
    return arr


def check_number(
    name: str,
    value,
    *,
    lo=None,
    hi=None,
    lo_open: bool = False,
    hi_open: bool = False,
    integer: bool = False,
    scalar: bool = False,
    allow_inf: bool = False,
):
    """Validate a number (or a 1-d array) against an interval and return it as float (int with
    ``integer=True``) or as an array; the InputError names the argument, the rule and the
    offending values.

    >>> check_number("retention", 0.8, lo=0, hi=1)
    0.8
    >>> check_number("retention", 1.2, lo=0, hi=1)
    Traceback (most recent call last):
    ...
    customer_value.io.InputError: retention must be in [0, 1]; got 1.2
    """
    if scalar and np.ndim(value) != 0:
        raise InputError(f"{name} must be a single number; got {value!r}")
    if isinstance(value, (bool, np.bool_)):
        raise InputError(f"{name} must be a number, not {value!r}")
    if allow_inf:
        try:
            arr = np.atleast_1d(np.asarray(value, dtype=float))
        except (TypeError, ValueError):
            raise InputError(f"{name} must be numeric; got {value!r}") from None
        if np.isnan(arr).any():
            raise InputError(f"{name} must not be NaN; got {value!r}")
    else:
        arr = check_array(name, value)
    bad = np.zeros(arr.shape, dtype=bool)
    if lo is not None:
        bad |= (arr <= lo) if lo_open else (arr < lo)
    if hi is not None:
        bad |= (arr >= hi) if hi_open else (arr > hi)
    if integer:
        bad |= np.isfinite(arr) & (arr != np.round(arr))
    if bad.any():
        rule = _rule(lo, hi, lo_open, hi_open) if (lo is not None or hi is not None) else ""
        kind = "a whole number" + (" " if rule else "") if integer else ""
        raise InputError(f"{name} must be {kind}{rule}; got {_offending(arr, bad)}")
    if np.ndim(value) == 0:
        return int(arr[0]) if integer else float(arr[0])
    return arr.astype(int) if integer else arr


def axes(ax=None, figsize: Sequence[float] | None = None):
    """The Axes a plot function draws on: ``ax`` when given, else the Axes of a new figure of
    ``figsize`` (matplotlib's default size when None). No global matplotlib state is changed."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=figsize)
    return new
