"""What the profit models share: the result object and the validation of tidy inputs.

Every computable model returns a :class:`ModelResult`; numeric arguments are checked with
:func:`customer_value._util.check_number` and columns of a user's table with
:func:`_columns` and :func:`_numeric_column`, so that every problem with a user's data or
arguments is an :class:`~customer_value.io.InputError` that names the argument or the column
and shows the offending rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._util import axes, fmt, source_of
from ..io import InputError, example_rows

SOURCE = "Slywotzky & Morrison (1997), The Profit Zone"


@dataclass
class ModelResult:
    """Result of a computable profit model.

    ``to_frame()`` is the model's tidy table (one row per period, tier, component …),
    ``summary()`` its headline figures (one row per figure), ``plot(ax=None)`` its standard
    chart; ``params`` are the inputs used. The headline figures are also attributes:
    ``res.payback_period`` is the ``payback_period`` row of ``res.summary()``.

    >>> from customer_value.profit_models import transaction_scale
    >>> res = transaction_scale(deal_size=[1e7])
    >>> res.summary().set_index("figure").loc["break_even_deal_size", "value"] == (
    ...     res.break_even_deal_size)
    True
    """

    model: str
    table: pd.DataFrame
    figures: dict[str, Any]
    params: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    draw: Callable | None = field(default=None, repr=False)

    def __getattr__(self, name):
        figures = self.__dict__.get("figures", {})
        if name in figures:
            return figures[name]
        extra = self.__dict__.get("extra", {})
        if name in extra:
            return extra[name]
        raise AttributeError(
            f"{type(self).__name__} of {self.__dict__.get('model')!r} has no "
            f"attribute {name!r}; headline figures: {sorted(figures)}"
        )

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.figures) | set(self.extra))

    def to_frame(self) -> pd.DataFrame:
        """The model's tidy table (a copy)."""
        return self.table.copy()

    def summary(self) -> pd.DataFrame:
        """The headline figures, one row each: columns ``figure`` and ``value``."""
        out = pd.DataFrame(
            {
                "figure": list(self.figures),
                "value": pd.Series(list(self.figures.values()), dtype=object),
            }
        )
        out.attrs["model"] = self.model
        return out

    def plot(self, ax=None):
        """Draw the model's standard chart on ``ax`` (a new figure when None); returns the Axes."""
        if self.draw is None:
            raise TypeError(f"{self.model} has no standard chart")
        ax = axes(ax)
        self.draw(self, ax)
        return ax

    def _repr_html_(self):  # notebooks show the headline figures, not a dataclass dump
        return self.summary().to_html(index=False)


def _columns(data, func: str, columns: dict[str, str | None]) -> pd.DataFrame:
    """``data`` as a DataFrame holding ``columns`` (argument -> column name); else an
    InputError naming the arguments whose columns are missing."""
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"{func}: data must be a pandas DataFrame, not {type(data).__name__}")
    missing = {arg: col for arg, col in columns.items() if col is not None and col not in data}
    if missing:
        shown = ", ".join(f"{arg}={col!r}" for arg, col in missing.items())
        raise InputError(
            f"{func}: column(s) not in data: {shown}; data has columns "
            f"{list(map(str, data.columns))}",
            source=source_of(data),
            columns=list(missing.values()),
        )
    return data


def _numeric_column(
    data: pd.DataFrame,
    column: str,
    func: str,
    *,
    lo=0.0,
    lo_open=True,
    hi=None,
    what: str | None = None,
) -> np.ndarray:
    """A numeric column with no missing values inside an interval; else an InputError naming
    the column and showing the offending rows with their line numbers."""
    values = pd.to_numeric(data[column], errors="coerce").astype(float)
    missing = values.isna()
    if missing.any():
        raise InputError(
            f"{func}: column {column!r} has missing or non-numeric values in "
            f"{int(missing.sum())} row(s):\n" + example_rows(data, missing.to_numpy(), [column]),
            source=source_of(data),
            columns=[column],
        )
    bad = pd.Series(False, index=data.index)
    if lo is not None:
        bad |= (values <= lo) if lo_open else (values < lo)
    if hi is not None:
        bad |= values > hi
    if bad.any():
        rule = what or (f"> {fmt(lo)}" if lo_open else f">= {fmt(lo)}")
        raise InputError(
            f"{func}: column {column!r} must be {rule}; offending "
            f"{int(bad.sum())} row(s):\n" + example_rows(data, bad.to_numpy(), [column]),
            source=source_of(data),
            columns=[column],
        )
    return values.to_numpy()


def _pv_factors(periods: int, rate: float) -> np.ndarray:
    """Discount factors 1/(1+r)^t for t = 1..periods."""
    return (1.0 + rate) ** -np.arange(1, periods + 1, dtype=float)
