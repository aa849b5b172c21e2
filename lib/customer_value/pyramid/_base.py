"""What every module of the pyramid package shares: the tier names and colours, and the checks
that turn a user's customer table, values and tier labels into arrays (or one InputError that
names the column and the offending rows)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._util import Problems, source_of
from ..io import InputError

#: Tier names from the top of the pyramid to the bottom. Tier Series are ordered Categoricals with
#: these categories in this order, so the category code is the rank from the top (0 = platinum).
TIERS = ("platinum", "gold", "iron", "lead")
TIER_NAMES_ZH = {"platinum": "铂", "gold": "金", "iron": "铁", "lead": "铅"}
#: Colours used by every pyramid plot, so a tier looks the same everywhere in the course.
TIER_COLORS = {"platinum": "#7f8fa6", "gold": "#e0a526", "iron": "#8d6e63", "lead": "#4a4e69"}

_TIER_ALIASES = {
    **{t: t for t in TIERS},
    **{zh: t for t, zh in TIER_NAMES_ZH.items()},
    "铂金": "platinum",
    "黄金": "gold",
    "钢铁": "iron",
}


def frame(data) -> pd.DataFrame:
    """``data`` as a pandas DataFrame: as it is, or through its ``.to_pandas()``."""
    if isinstance(data, pd.DataFrame):
        return data
    to_pandas = getattr(data, "to_pandas", None)
    if callable(to_pandas):
        return to_pandas()
    raise TypeError(
        f"expected a pandas DataFrame (or an object with .to_pandas(), such as the "
        f"result of customers.customer_table), got {type(data).__name__}"
    )


def column(df: pd.DataFrame, name: str) -> str:
    """The column called ``name``, matched exactly or else case-insensitively."""
    if name in df.columns:
        return name
    folded = {str(c).casefold(): c for c in df.columns}
    if str(name).casefold() in folded:
        return folded[str(name).casefold()]
    raise InputError(
        f"column {name!r} not found; available columns: {list(df.columns)}",
        source=source_of(df),
        columns=[name],
    )


def numeric(df: pd.DataFrame, col: str, id_col: str | None = None) -> np.ndarray:
    """Column ``col`` as finite floats; otherwise an InputError with the offending rows."""
    s = df[col]
    if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        num = s.astype("float64")
    else:
        num = pd.to_numeric(s, errors="coerce").astype("float64")
    bad = (num.isna() | np.isinf(num)).to_numpy()
    if bad.any():
        p = Problems(
            f"column {col!r}: {int(bad.sum())} value(s) missing or not numbers:",
            frame=df,
            id_column=id_col if id_col != col else None,
        )
        p.add_values(col, s, bad)
        p.raise_if_any()
    return num.to_numpy()


def ids(df: pd.DataFrame, col: str) -> pd.Series:
    """Column ``col`` of customer ids, checked: none missing, each once."""
    s = df[col]
    missing = s.isna().to_numpy()
    p = Problems(f"column {col!r} cannot identify the customers:", frame=df)
    if missing.any():
        p.add(f"column {col!r}", f"{int(missing.sum())} missing customer id(s)")
        p.add_values(col, s, missing)
    dup = s.duplicated(keep=False).to_numpy() & ~missing
    if dup.any():
        p.add(f"column {col!r}", "customer ids must be unique (one row per customer)")
        p.add_values(col, s, dup)
    p.raise_if_any()
    return s


def id_rank(values) -> np.ndarray:
    """Position of each id in ascending id order (ids of mixed types are compared as text)."""
    arr = np.asarray(values, dtype=object)
    try:
        order = np.argsort(arr, kind="stable")
    except TypeError:
        order = np.argsort(arr.astype(str), kind="stable")
    rank = np.empty(len(arr), dtype=np.int64)
    rank[order] = np.arange(len(arr))
    return rank


def values_of(values, name: str = "values") -> np.ndarray:
    """One column of numbers (a Series, list or array) as finite floats."""
    if isinstance(values, pd.DataFrame):
        raise TypeError(
            f"{name}: expected one column of numbers (a Series or array), "
            f"got a DataFrame; pass data['profit']"
        )
    raw = pd.Series(np.asarray(values, dtype=object).ravel())
    arr = np.asarray(pd.to_numeric(raw, errors="coerce"), dtype="float64")
    bad = ~np.isfinite(arr)
    if bad.any():
        p = Problems(f"{name}: {int(bad.sum())} value(s) missing or not finite numbers:")
        p.add_values(name, raw, bad)
        p.raise_if_any(source=source_of(values))
    return arr


def tier_series(codes: np.ndarray, index) -> pd.Series:
    """Tier codes (0 = platinum … 3 = lead) as an ordered Categorical Series named ``tier``."""
    cat = pd.Categorical.from_codes(
        np.asarray(codes, dtype=np.int64), categories=list(TIERS), ordered=True
    )
    return pd.Series(cat, index=index, name="tier")


def normalize_tiers(raw: pd.Series) -> pd.Series:
    """Tier labels (English in any case, or Chinese) as an ordered Categorical Series."""
    mapped = raw.astype(object).map(
        lambda t: (
            _TIER_ALIASES.get(str(t).strip().casefold(), _TIER_ALIASES.get(str(t).strip()))
            if pd.notna(t)
            else None
        )
    )
    bad = mapped.isna().to_numpy()
    if bad.any():
        p = Problems(f"unknown or missing tier(s); tiers are {list(TIERS)}:")
        p.add_values(str(raw.name or "tier"), raw, bad)
        p.raise_if_any()
    cat = pd.Categorical(mapped.astype(str), categories=list(TIERS), ordered=True)
    return pd.Series(cat, index=raw.index, name="tier")


def tier_key(tier) -> str:
    """The English tier name of ``tier`` (any case, or its Chinese name), or an InputError."""
    key = _TIER_ALIASES.get(str(tier).strip().casefold(), _TIER_ALIASES.get(str(tier).strip()))
    if key is None:
        raise InputError(
            f"unknown tier {tier!r}; tiers are {list(TIERS)} ({', '.join(TIER_NAMES_ZH.values())})"
        )
    return key


def tiers_for(tiers, df: pd.DataFrame, customer_id: str = "customer_id") -> pd.Series:
    """Tiers aligned with the rows of ``df``: a column name, a Series on df's index, a list in
    df's order, or a frame with ``customer_id`` and ``tier`` columns (matched by id)."""
    if isinstance(tiers, str):
        tiers = df[column(df, tiers)]
    if isinstance(tiers, pd.DataFrame):
        tcol = column(tiers, "tier")
        if customer_id in tiers.columns and customer_id in df.columns:
            by_id = pd.Series(tiers[tcol].to_numpy(), index=tiers[customer_id].to_numpy())
            if by_id.index.has_duplicates:
                raise InputError(f"tiers: customer ids in {customer_id!r} must be unique")
            missing = ~df[customer_id].isin(by_id.index).to_numpy()
            if missing.any():
                p = Problems("tiers: no tier for some customers of the table:", frame=df)
                p.add_values(customer_id, df[customer_id], missing)
                p.raise_if_any()
            tiers = pd.Series(by_id.reindex(df[customer_id]).to_numpy(), index=df.index)
        else:
            tiers = tiers[tcol]
    if isinstance(tiers, pd.Series):
        if not tiers.index.equals(df.index):
            if not df.index.isin(tiers.index).all():
                raise InputError(
                    "tiers do not cover the table's rows: pass a Series with the "
                    "table's index (as assign_tiers returns) or a tier column name"
                )
            tiers = tiers.reindex(df.index)
        raw = tiers
    else:
        labels = list(tiers)
        if len(labels) != len(df):
            raise InputError(f"tiers has {len(labels)} entries but the table has {len(df)} rows")
        raw = pd.Series(labels, index=df.index)
    return normalize_tiers(raw)


def ratio(a, b) -> float:
    """a / b as a float, NaN when b is zero."""
    return float(a) / float(b) if b != 0 else np.nan
