"""What the modules of :mod:`customer_value.relationship` share: the levels, their names and
colours, and the checks of a user's columns (one InputError per input, naming file, column and
example rows)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._util import Problems, check_number, source_of
from ..io import InputError

#: The three levels of bonds, from the easiest to copy to the hardest (Berry 1995).
LEVELS = ("financial", "social", "structural")
LEVEL_NAMES_ZH = {"financial": "财务层次", "social": "社交层次", "structural": "结构层次"}
#: Categories of :func:`~customer_value.relationship.relationship_level`, in order.
LEVEL_ORDER = ("none",) + LEVELS
#: Colours of the levels in every plot of the course.
LEVEL_COLORS = {
    "none": "#9e9e9e",
    "financial": "#e9c46a",
    "social": "#2a9d8f",
    "structural": "#264653",
}

#: A month written as 2024-07, 2024/7, 2024.07 or 2024年7月, optionally with a day.
MONTH_RE = r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:\s*[-/.]\s*\d{1,2}\s*日?)?$"


def frame(data, func: str) -> pd.DataFrame:
    """``data`` itself, checked: a DataFrame (else TypeError) with at least one row."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{func}: data must be a pandas DataFrame, not {type(data).__name__}")
    if len(data) == 0:
        raise InputError(f"{func}: data has no rows", source=source_of(data))
    return data


def require(data: pd.DataFrame, columns: Sequence[str], func: str, what: str = "column") -> None:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise InputError(
            f"{func}: {what}(s) {missing} not in the data; columns present: "
            f"{list(map(str, data.columns))[:30]}",
            source=source_of(data),
            columns=missing,
        )


def problems(data: pd.DataFrame, what: str, id_column: str | None = None) -> Problems:
    """A :class:`~customer_value._util.Problems` whose example rows come from ``data``."""
    shown = data
    if not data.index.is_unique:  # example rows are looked up by label
        shown = data.reset_index(drop=True)
        shown.attrs = data.attrs
    return Problems(what, frame=shown, id_column=id_column)


def fail(data: pd.DataFrame, message: str, mask, column: str, id_column: str | None = None) -> None:
    """Raise ``message`` with the offending values of ``column`` and example rows."""
    p = problems(data, message, id_column)
    p.add_values(column, data[column], mask)
    p.raise_if_any()


def raw_missing(raw: pd.Series) -> np.ndarray:
    miss = raw.isna().to_numpy()
    if raw.dtype == object or pd.api.types.is_string_dtype(raw.dtype):
        miss = miss | (raw.astype("str").str.strip() == "").to_numpy()
    return miss


def numeric(raw: pd.Series) -> np.ndarray:
    """Numbers from a column that may hold text (as read by io.read_table); NaN where missing
    or not a number."""
    if pd.api.types.is_bool_dtype(raw.dtype):
        return raw.astype("float64").to_numpy()
    if raw.dtype == object or pd.api.types.is_string_dtype(raw.dtype):
        raw = raw.astype("str").str.strip()
    return pd.to_numeric(raw, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def numeric_column(
    data: pd.DataFrame, column: str, func: str, *, allow_missing: bool = False
) -> np.ndarray:
    raw = data[column]
    x = numeric(raw)
    missing = raw_missing(raw)
    bad = np.isnan(x) & ~missing
    if bad.any():
        fail(data, f"{func}: column {column!r} must hold numbers:", bad, column)
    if missing.any() and not allow_missing:
        fail(
            data,
            f"{func}: column {column!r} has missing values in {int(missing.sum())} row(s):",
            missing,
            column,
        )
    return x


def month_ordinal(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    return ((year - 1970) * 12 + month - 1).astype(float)


def period_numbers(data: pd.DataFrame, column: str, func: str) -> tuple[np.ndarray, bool]:
    """Whole-number periods (1, 2, ...) or months as text ('2024-07', '2024/7'), as numbers
    that keep their order and spacing (months: pandas Period ordinals). Returns (values,
    monthly)."""
    raw = data[column]
    x = numeric(raw)
    missing = raw_missing(raw)
    if missing.any():
        fail(data, f"{func}: column {column!r} has missing periods:", missing, column)
    rule = "whole numbers (months 1, 2, ...) or months like 2024-07"
    if not np.isnan(x).any():
        bad = x != np.round(x)
        if bad.any():
            fail(data, f"{func}: periods in {column!r} must be {rule}:", bad, column)
        return x, False
    parts = raw.astype("str").str.strip().str.extract(MONTH_RE)
    month = pd.to_numeric(parts[1]).to_numpy(dtype=float)
    bad = np.isnan(month) | (month < 1) | (month > 12)
    if bad.any():
        fail(data, f"{func}: periods in {column!r} must be {rule}:", bad, column)
    return month_ordinal(parts[0].astype(int).to_numpy(), month.astype(int)), True


def binary_column(data: pd.DataFrame, column: str, func: str, what: str) -> np.ndarray:
    raw = data[column]
    if pd.api.types.is_bool_dtype(raw.dtype):
        return raw.astype("int64").to_numpy()
    if raw.dtype == object or pd.api.types.is_string_dtype(raw.dtype):
        text = raw.astype("str").str.strip().str.lower()
        x = text.map({"true": 1.0, "false": 0.0}).astype("float64").to_numpy()
        x = np.where(np.isnan(x), numeric(raw), x)
    else:
        x = numeric(raw)
    bad = ~np.isin(x, (0.0, 1.0))
    if bad.any():
        fail(data, f"{func}: column {column!r} ({what}) must be 0 or 1 in every row:", bad, column)
    return x.astype("int64")


def fit_quietly(fit, what: str):
    """Run a statsmodels or scikit-learn fit; a convergence or separation warning becomes an
    InputError (the estimates would be meaningless), other warnings are passed on unchanged."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = fit()
        except np.linalg.LinAlgError as exc:
            raise InputError(
                f"{what}: the model cannot be estimated ({exc}); are some "
                "covariates constant or perfectly collinear?"
            ) from None
    for w in caught:
        name = w.category.__name__
        if name in ("ConvergenceWarning", "PerfectSeparationWarning", "HessianInversionWarning"):
            raise InputError(
                f"{what}: the model did not converge ({w.message}); check for a "
                "covariate that separates the outcome perfectly, a constant "
                "covariate or too few events"
            )
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return result


def z_value(alpha: float) -> float:
    """The two-sided normal quantile of a (1 − alpha) interval."""
    from scipy import stats

    alpha = check_number("alpha", alpha, lo=0, hi=1, lo_open=True, hi_open=True, scalar=True)
    return float(stats.norm.ppf(1 - alpha / 2))


def level_groups(values: pd.Series) -> list:
    """The groups of a level column in their order: the categories of a categorical, the
    relationship levels in the order of :data:`LEVEL_ORDER`, else sorted."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return [c for c in values.cat.categories if (values == c).any()]
    uniq = list(pd.unique(values))
    if set(map(str, uniq)) <= set(LEVEL_ORDER):
        return [lv for lv in LEVEL_ORDER if lv in set(map(str, uniq))]
    try:
        return sorted(uniq)
    except TypeError:
        return sorted(uniq, key=str)
