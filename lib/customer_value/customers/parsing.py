"""Parsing what users write in money and date cells: the one parser of the library.

Amounts: thousands separators ``1,234.50``, currency signs and codes (``¥ $ € £ 元 RMB CNY USD
...``), spaces, full-width digits (Unicode NFKC), a minus sign, a trailing minus or parentheses
``(12.50)`` for negatives. A comma that is not a thousands separator (``12,5``) is not guessed.
Dates: year first only (``YYYY-MM-DD``, ``YYYY/MM/DD``, ``YYYY.MM.DD``, ``YYYYMMDD``,
``YYYY年MM月DD日``), optionally with a time; day-first and month-first dates (``01/02/2024``) are
ambiguous and are refused, never guessed.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata

import numpy as np
import pandas as pd

from ..io import InputError

_CURRENCY = re.compile(r"(?i)(?:rmb|cny|usd|eur|gbp|jpy|hkd|(?:us|hk|nt|a|c|s)?\$|元|¥|€|£|円)")
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")
_MINUS = str.maketrans({"−": "-", "–": "-", "—": "-"})

#: Kinds of clean-up counted in :attr:`CleaningReport.amounts_cleaned`.
_CLEANUPS = (
    "thousands separators",
    "currency signs",
    "parentheses negatives",
    "full-width characters",
    "spaces",
)


def _parse_amount_text(value) -> tuple[float | None, tuple[str, ...]]:
    """Parse one money value written as text; ``(None, ())`` when it is not a number."""
    raw = str(value)
    s = unicodedata.normalize("NFKC", raw)
    flags = []
    if s != raw:
        flags.append("full-width characters")
    s = s.strip().translate(_MINUS)
    if re.search(r"\s", s):
        flags.append("spaces")
        s = re.sub(r"\s+", "", s)
    negative = False
    if len(s) >= 2 and s[0] == "(" and s[-1] == ")":
        negative, s = True, s[1:-1]
        flags.append("parentheses negatives")
    stripped = _CURRENCY.sub("", s)
    if stripped != s:
        flags.append("currency signs")
        s = stripped
    if s.endswith("-") and not s.startswith(("-", "+")):  # accounting style "12.50-"
        s = "-" + s[:-1]
    if "," in s:
        if not _GROUPED.match(s):
            return None, ()
        s = s.replace(",", "")
        flags.append("thousands separators")
    if not _NUMBER.match(s) or (negative and s.startswith(("-", "+"))):
        return None, ()
    x = float(s)
    return (-x if negative else x), tuple(flags)


def _blank(values: pd.Series) -> np.ndarray:
    """Missing or empty/whitespace-only text."""
    miss = values.isna().to_numpy()
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
        text = values.astype("str").str.strip()
        miss = miss | (text == "").fillna(True).to_numpy(dtype=bool)
    return miss


def _parse_numbers(values: pd.Series):
    """Parse a money/count column.

    Returns ``(x, missing, invalid, cleanups)``: float values (the column itself when it already
    holds plain numbers, so that nothing is copied), masks of missing and unparseable cells, and
    ``{kind: mask}`` of the clean-ups applied (see ``_CLEANUPS``)."""
    n = len(values)
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return values, np.zeros(n, bool), np.ones(n, bool), {}
    if pd.api.types.is_numeric_dtype(dtype):
        if isinstance(dtype, np.dtype):
            x = values.to_numpy()
            if dtype.kind == "f":
                return values, np.isnan(x), np.isinf(x), {}
            return values, np.zeros(n, bool), np.zeros(n, bool), {}
        x = values.to_numpy(dtype="float64", na_value=np.nan)  # nullable extension types
        return x, np.isnan(x), np.isinf(x), {}
    missing = _blank(values)
    x = (
        pd.to_numeric(values.where(~missing), errors="coerce")
        .to_numpy(dtype="float64", na_value=np.nan)
        .copy()
    )
    slow = ~missing & ~np.isfinite(x)
    cleanups: dict[str, np.ndarray] = {}
    invalid = np.zeros(n, dtype=bool)
    if slow.any():
        pos = np.flatnonzero(slow)
        codes, uniques = pd.factorize(values.iloc[pos], use_na_sentinel=True)
        parsed = np.full(len(uniques), np.nan)
        kinds = {k: np.zeros(len(uniques), dtype=bool) for k in _CLEANUPS}
        for i, u in enumerate(uniques):
            v, flags = _parse_amount_text(u)
            if v is not None:
                parsed[i] = v
            for kind in flags:
                kinds[kind][i] = True
        x[pos] = parsed[codes]
        invalid[pos] = np.isnan(parsed[codes])
        for kind, hit in kinds.items():
            if hit.any():
                mask = np.zeros(n, dtype=bool)
                mask[pos] = hit[codes]
                cleanups[kind] = mask
    return x, missing, invalid, cleanups


_DATE_RE = re.compile(
    r"^(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    r"(?:(?:[ T]+)(?P<t>\S.*))?$"
)
_COMPACT_RE = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:(?:[ T]+)(?P<t>\S.*))?$")
_CJK_RE = re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:\s*(?P<t>\S.*))?$")
_TIME_RE = re.compile(r"^(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d{1,6})\d*)?)?$")
_SEP_NAMES = {"-": "YYYY-MM-DD", "/": "YYYY/MM/DD", ".": "YYYY.MM.DD"}


def _parse_date_text(value) -> tuple[pd.Timestamp | None, str | None]:
    """Parse one date written as text in a year-first format; ``(None, None)`` if it is not."""
    if (isinstance(value, (int, np.integer)) and not isinstance(value, bool)) or (
        isinstance(value, (float, np.floating)) and float(value).is_integer()
    ):
        value = str(int(value))  # 20240105 stored as a number
    s = unicodedata.normalize("NFKC", str(value)).strip()
    m = _DATE_RE.match(s)
    fmt = _SEP_NAMES[m.group("sep")] if m else None
    if m is None:
        m, fmt = _COMPACT_RE.match(s), "YYYYMMDD"
    if m is None:
        m, fmt = _CJK_RE.match(s), "YYYY年MM月DD日"
    if m is None:
        return None, None
    try:
        parts = [int(m.group("y")), int(m.group("m")), int(m.group("d"))]
        if m.group("t"):
            t = _TIME_RE.match(m.group("t").strip())
            if t is None:
                return None, None
            parts += [
                int(t.group("H")),
                int(t.group("M")),
                int(t.group("S") or 0),
                int((t.group("f") or "0").ljust(6, "0")),
            ]
            fmt += " hh:mm[:ss]"
        return pd.Timestamp(_dt.datetime(*parts)), fmt
    except ValueError:
        return None, None


def _parse_dates(values: pd.Series):
    """Parse a date column.

    Returns ``(x, missing, invalid, formats)``: datetime64[ns] values (the column itself when it
    already is one), masks of missing and unparseable cells, and ``{format: mask}``."""
    n = len(values)
    dtype = values.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize(None)  # the calendar day where the sale happened
        dtype = values.dtype
    if pd.api.types.is_datetime64_dtype(dtype):
        if dtype != np.dtype("datetime64[ns]"):
            values = values.astype("datetime64[ns]")
        return values, np.isnat(values.to_numpy()), np.zeros(n, bool), {}
    missing = (
        _blank(values) if not pd.api.types.is_numeric_dtype(dtype) else values.isna().to_numpy()
    )
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    invalid = np.zeros(n, dtype=bool)
    formats: dict[str, np.ndarray] = {}
    pos = np.flatnonzero(~missing)
    if len(pos):
        codes, uniques = pd.factorize(values.iloc[pos], use_na_sentinel=True)
        parsed = np.full(len(uniques), np.datetime64("NaT"), dtype="datetime64[ns]")
        fmts = np.empty(len(uniques), dtype=object)
        for i, u in enumerate(uniques):
            if isinstance(u, (_dt.date, pd.Timestamp)):
                ts, f = pd.Timestamp(u), "date/datetime value"
                if ts.tzinfo is not None:
                    ts = ts.tz_localize(None)
            else:
                ts, f = _parse_date_text(u)
            if ts is not None:
                parsed[i] = ts.to_datetime64()
            fmts[i] = f
        out[pos] = parsed[codes]
        invalid[pos] = np.isnat(parsed[codes])
        for f in dict.fromkeys(f for f in fmts if f is not None):
            mask = np.zeros(n, dtype=bool)
            mask[pos] = (fmts == f)[codes]
            formats[f] = mask
    return out, missing, invalid, formats


def to_date(value, name: str = "as_of") -> _dt.date:
    """A calendar day from a date, datetime, Timestamp, numpy datetime64 or year-first text
    (``2024-12-31``, ``2024/12/31``, ``20241231``, ``2024年12月31日``, optionally with a time);
    anything else — day-first or month-first text included — is an InputError naming ``name``.

    >>> to_date("2024年3月5日"), to_date("2024/3/5 18:30")
    (datetime.date(2024, 3, 5), datetime.date(2024, 3, 5))
    """
    if isinstance(value, str):
        ts, _ = _parse_date_text(value)
        if ts is None:
            raise InputError(
                f"{name} must be a date written year first, e.g. 2024-12-31, not {value!r}"
            )
        return ts.date()
    if isinstance(value, (pd.Timestamp, _dt.datetime)):
        if pd.isna(value):
            raise InputError(f"{name} must be a date, not {value!r}")
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, np.datetime64) and not np.isnat(value):
        return pd.Timestamp(value).date()
    raise InputError(f"{name} must be a date, not {value!r}")
