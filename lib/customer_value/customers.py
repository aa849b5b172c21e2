"""From a transaction log to a customer table (交易明细 → 顾客表).

Two steps, each a function:

1. :func:`clean_transactions` turns a transaction log as users keep it (a CSV or Excel sheet read
   as text with :func:`customer_value.io.read_table`) into typed columns: column names matched
   case-insensitively, amounts such as ``"¥1,234.50"``, ``"RMB 80"``, ``"(12.50)"`` or full-width
   ``"１２３"`` parsed to numbers, dates in the usual year-first formats parsed to datetimes. Every
   problem is reported in one :class:`~customer_value.io.InputError` with the offending values,
   their counts and file line numbers, or, with ``on_invalid="drop"``, the rows are left out and
   counted in a :class:`CleaningReport`.
2. :func:`customer_table` aggregates the log to one row per customer: purchase dates, orders,
   purchase occasions, returns, revenue, gross margin, cost to serve, profit, and the
   frequency/recency/T/monetary inputs of the BTYD models. It runs on pandas (through DuckDB),
   Polars, DuckDB and PySpark data, and on CSV/Parquet files too large for memory; the
   aggregation is executed by the backend the data live in: one DuckDB query that keeps each
   customer's purchase days as bitmaps (pandas, pyarrow, DuckDB and file input), or one narwhals
   query over customer-days (Polars, PySpark, and logs spanning more than about 11 years).

Returns and purchase occasions
------------------------------
A line with a negative amount is a return (refund): it counts in ``returns`` and its absolute
value in ``returns_value``, and it reduces ``revenue = gross_sales − returns_value``. A line with a
positive amount is an order. A **purchase occasion** is a calendar day with at least one positive
line: several orders on one day are one occasion, and a day with only returns is not an occasion.
Lines with amount 0 (e.g. a logged service contact) are neither, but their service events count
in the cost to serve. Customers without any purchase on or before ``as_of`` (e.g. only returns)
have no first purchase and are not in the table.

Sources
-------
Frequency, recency and T follow Fader, Hardie & Lee (2005a), "Counting your customers the easy
way: an alternative to the Pareto/NBD model", *Marketing Science* 24(2):275–284, and (2005b),
"RFM and CLV: using iso-value curves for customer base analysis", *J. Marketing Research*
42(4):415–430: frequency = number of *repeat* purchase occasions (transactions on the same day
are one occasion), recency = time of the last purchase measured from the first, T = time from the
first purchase to the end of the observation period; the monetary value of the Gamma-Gamma model
is the mean spend per repeat occasion. These are not the RFM meanings of the same words.
Cost to serve is activity-based costing at the customer level: each activity a customer causes
(an order, a return, a service contact, a delivery, a discount) is costed at its rate and summed
(Cooper & Kaplan 1991, "Profit priorities from activity-based costing", *Harvard Business
Review* 69(3):130–135; Kaplan & Cooper 1998, *Cost & Effect*, Harvard Business School Press).

>>> import pandas as pd
>>> log = pd.DataFrame({"customer_id": ["a", "a", "b"],
...                     "date": ["2024-01-02", "2024-01-09", "2024-01-05"],
...                     "amount": ["¥1,200", "(200)", "80"]})
>>> tx, report = clean_transactions(log)
>>> customer_table(tx).to_pandas()[["customer_id", "orders", "returns", "revenue"]]
  customer_id  orders  returns  revenue
0           a       1        1   1000.0
1           b       1        0     80.0
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .io import InputError, example_rows

__all__ = [
    "DEFAULT_COST_RATES",
    "SUMMARY_COLUMNS",
    "TABLE_COLUMNS",
    "UNITS",
    "CleaningReport",
    "CustomerTable",
    "activity_costs",
    "clean_transactions",
    "customer_table",
]

#: Columns of the customer table, in order (see :func:`customer_table`).
TABLE_COLUMNS = (
    "customer_id",
    "first_purchase",
    "last_purchase",
    "recency_days",
    "orders",
    "purchase_days",
    "returns",
    "gross_sales",
    "returns_value",
    "revenue",
    "avg_order_value",
    "gross_margin",
    "cost_to_serve",
    "profit",
    "btyd_frequency",
    "btyd_recency",
    "btyd_T",
    "btyd_monetary",
)
_INT_COLUMNS = ("recency_days", "orders", "purchase_days", "returns", "btyd_frequency")
_DATE_COLUMNS = ("first_purchase", "last_purchase")

#: Length of each time unit in days (fractional; a month is a twelfth of a Julian year).
UNITS = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "year": 365.25}

#: Cost per unit of each service-event column: contacts and deliveries cost nothing unless you
#: give a rate; a discount is money and costs itself.
DEFAULT_COST_RATES = {"contacts": 0.0, "deliveries": 0.0, "discount": 1.0}

#: Columns of :meth:`CustomerTable.summary`.
SUMMARY_COLUMNS = (
    "customers",
    "revenue",
    "gross_margin",
    "cost_to_serve",
    "profit",
    "share_negative_profit",
)

_EPOCH_ORDINAL = _dt.date(1970, 1, 1).toordinal()


# ============================================================================================
# column matching
# ============================================================================================


def _key(name) -> str:
    return unicodedata.normalize("NFKC", str(name)).strip().casefold()


def _match(columns: Sequence, wanted: str) -> str | None:
    """The column of ``columns`` named ``wanted``, exactly or else case-insensitively."""
    if wanted in columns:
        return wanted
    hits = [c for c in columns if _key(c) == _key(wanted)]
    if len(hits) > 1:
        raise InputError(
            f"column {wanted!r} matches several columns when case is ignored: "
            f"{[str(h) for h in hits]}; rename one of them",
            columns=[str(h) for h in hits],
        )
    return hits[0] if hits else None


def _resolve(
    columns: Sequence,
    required: Mapping[str, str],
    optional: Iterable[str] = (),
    source: str | None = None,
) -> dict[str, str]:
    """Map each wanted name to the actual column; one error lists every missing required one."""
    found, missing = {}, []
    for wanted in required.values():
        hit = _match(columns, wanted)
        if hit is None:
            missing.append(wanted)
        else:
            found[wanted] = hit
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(repr(m) for m in missing)} (names are matched "
            f"ignoring case); columns present: {[str(c) for c in columns][:30]}",
            source=source,
            columns=missing,
        )
    for wanted in optional:
        hit = _match(columns, wanted)
        if hit is not None:
            found[wanted] = hit
    return found


def _line_rates(order_cost, return_cost, cost_rates):
    """Take ``order_cost`` and ``return_cost`` out of ``cost_rates`` when it holds them (as
    ``datasets.RETAIL_COST_RATES`` does); a rate given both ways is refused."""
    if cost_rates is None or not {"order_cost", "return_cost"} & set(cost_rates):
        return order_cost, return_cost, cost_rates
    cost_rates = dict(cost_rates)
    if "order_cost" in cost_rates:
        if order_cost:
            raise ValueError("order_cost is given twice: as an argument and in cost_rates")
        order_cost = cost_rates.pop("order_cost")
    if "return_cost" in cost_rates:
        if return_cost:
            raise ValueError("return_cost is given twice: as an argument and in cost_rates")
        return_cost = cost_rates.pop("return_cost")
    return order_cost, return_cost, cost_rates


def _event_names(cost_rates: Mapping[str, float] | None) -> tuple[dict[str, float], list[str]]:
    """Rates for every service-event column and the names that must be present (non-default)."""
    rates = dict(DEFAULT_COST_RATES)
    for name, rate in (cost_rates or {}).items():
        rate = float(rate)
        if not math.isfinite(rate) or rate < 0:
            raise ValueError(f"cost_rates[{name!r}] must be a finite number >= 0, not {rate!r}")
        rates[str(name)] = rate
    required = [n for n in (cost_rates or {}) if n not in DEFAULT_COST_RATES]
    return rates, required


# ============================================================================================
# parsing text: amounts and dates
# ============================================================================================

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


# ============================================================================================
# clean_transactions
# ============================================================================================


@dataclass
class CleaningReport:
    """What :func:`clean_transactions` did to a transaction log.

    Attributes
    ----------
    rows_read, rows_used : rows in the input and in the cleaned log.
    rows_dropped : ``{reason: rows}`` for rows left out with ``on_invalid="drop"``; each dropped
        row counts once, under its first problem in the order id, date, amount, cost/margin,
        service events.
    amounts_cleaned : ``{column: {kind: rows}}`` — money written with thousands separators,
        currency signs, parentheses for negatives, full-width characters or spaces.
    returns : lines with a negative amount among the rows used.
    first_date, last_date : date range of the rows used.
    date_formats : ``{format: rows}`` for dates given as text.
    columns : ``{name used: column in the file}``.
    source : the file the log came from, when known.
    """

    rows_read: int
    rows_used: int
    rows_dropped: dict[str, int] = field(default_factory=dict)
    amounts_cleaned: dict[str, dict[str, int]] = field(default_factory=dict)
    returns: int = 0
    first_date: _dt.date | None = None
    last_date: _dt.date | None = None
    date_formats: dict[str, int] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    source: str | None = None

    @property
    def n_dropped(self) -> int:
        return self.rows_read - self.rows_used

    def __str__(self) -> str:
        head = f"{self.source}: " if self.source else ""
        lines = [
            f"{head}read {self.rows_read:,} transaction rows, used {self.rows_used:,}"
            + (f", dropped {self.n_dropped:,}" if self.n_dropped else "")
        ]
        for reason, k in self.rows_dropped.items():
            lines.append(f"  dropped {k:,} row{'s' if k != 1 else ''}: {reason}")
        if self.first_date is not None:
            lines.append(f"  dates {self.first_date} to {self.last_date}")
        lines.append(
            f"  {self.returns:,} return{'s' if self.returns != 1 else ''} (negative amounts)"
        )
        for column, kinds in self.amounts_cleaned.items():
            parts = ", ".join(f"{k:,} with {kind}" for kind, k in kinds.items())
            lines.append(f"  {column}: cleaned {parts}")
        if len(self.date_formats) > 1:
            parts = ", ".join(f"{f} {k:,}" for f, k in self.date_formats.items())
            lines.append(f"  date formats: {parts}")
        return "\n".join(lines)


@dataclass
class _Issue:
    column: str
    reason: str
    mask: np.ndarray


def _issue_message(
    df: pd.DataFrame, issues: list[_Issue], id_col: str, context: Sequence[str]
) -> str:
    bad = np.zeros(len(df), dtype=bool)
    for it in issues:
        bad |= it.mask
    lines = [f"{int(bad.sum()):,} of {len(df):,} transaction rows cannot be used:"]
    for it in issues:
        shown = df[it.column][it.mask].map(
            lambda v: (
                "<missing>" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
            )
        )
        counts = shown.value_counts()
        vals = ", ".join(
            f"{v!r} ({k} row{'s' if k != 1 else ''})" for v, k in counts.head(10).items()
        )
        more = len(counts) - 10
        lines.append(
            f"column {it.column!r}, {it.reason}: {vals}"
            + (f" and {more} more distinct value{'s' if more != 1 else ''}" if more > 0 else "")
        )
        cols = list(dict.fromkeys([id_col, it.column] if it.column != id_col else context))
        lines.append(example_rows(df, it.mask, cols))
    if any(it.reason == "not a date" for it in issues):
        lines.append(
            "Dates must be year first: YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYYMMDD or "
            "YYYY年MM月DD日, optionally followed by a time hh:mm[:ss] (day-first and "
            "month-first dates are ambiguous)."
        )
    lines.append(
        'Correct these cells, or pass on_invalid="drop" to leave the rows out '
        "(the cleaning report counts them)."
    )
    return "\n".join(lines)


def _source(df: pd.DataFrame) -> str | None:
    return df.attrs.get("customer_value_source", {}).get("path")


def clean_transactions(
    df: pd.DataFrame,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    cost: str | None = None,
    margin: str | None = None,
    on_invalid: str = "raise",
    events: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, CleaningReport]:
    """Parse and check a transaction log read from a user's file.

    Parameters
    ----------
    df : the log, typically all text as read by :func:`customer_value.io.read_table`.
    customer_id, date, amount, cost, margin : column names, matched ignoring case (and width).
        Give ``cost`` (cost of goods per line) or ``margin`` (gross margin per line), not both.
    on_invalid : ``"raise"`` (default) raises one :class:`~customer_value.io.InputError` listing
        every problem; ``"drop"`` leaves the offending rows out and counts them in the report.
    events : service-event columns (counts or money, ≥ 0 per row); by default those of
        :data:`DEFAULT_COST_RATES` that are present. Blank cells count as 0.

    What is parsed
    --------------
    * ids: surrounding spaces removed; blank or missing ids are a problem.
    * amounts (and cost, margin, events): thousands separators ``1,234.50``, currency signs and
      codes (``¥ $ € £ 元 RMB CNY USD ...``), spaces, full-width digits (Unicode NFKC), a minus
      sign or parentheses ``(12.50)`` for negatives. A comma that is not a thousands separator
      (``12,5``) is a problem, not guessed. Missing amounts, costs or margins are a problem;
      negative service events are a problem.
    * dates: ``YYYY-MM-DD``, ``YYYY/MM/DD``, ``YYYY.MM.DD`` (one-digit month and day allowed, as
      Excel writes them), ``YYYYMMDD`` and ``YYYY年MM月DD日``, each with an optional time
      ``hh:mm[:ss[.ffffff]]``; impossible dates (``2024-02-30``) are a problem. Day-first and
      month-first dates are ambiguous and therefore not accepted.

    Returns
    -------
    (log, report) : the log with the matched columns renamed to the names asked for (e.g. a file
    column ``Customer_ID`` becomes ``customer_id``) and holding numbers (float64) and datetimes
    (datetime64[ns]); other columns untouched; the original index and line-number information
    kept. ``report`` is a :class:`CleaningReport`; ``print(report)`` gives a short summary.

    >>> log = pd.DataFrame({"Customer_ID": ["c1", "c2"], "Date": ["2024/1/5", "20240106"],
    ...                     "Amount": ["RMB 1,200.00", "(35)"]})
    >>> tx, report = clean_transactions(log)
    >>> tx["amount"].tolist(), report.returns
    ([1200.0, -35.0], 1)
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"clean_transactions needs a pandas DataFrame, not {type(df).__name__}")
    if on_invalid not in ("raise", "drop"):
        raise ValueError(f"on_invalid must be 'raise' or 'drop', not {on_invalid!r}")
    if cost is not None and margin is not None:
        raise ValueError("give either cost= (cost of goods) or margin= (gross margin), not both")
    source = _source(df)
    required = {"customer_id": customer_id, "date": date, "amount": amount}
    if cost is not None:
        required["cost"] = cost
    if margin is not None:
        required["margin"] = margin
    event_names = list(DEFAULT_COST_RATES) if events is None else list(events)
    if events is not None:
        required.update({f"event:{e}": e for e in event_names})
    cols = _resolve(list(df.columns), required, event_names if events is None else (), source)
    event_names = [e for e in event_names if e in cols]

    n = len(df)
    if n == 0:
        raise InputError("the transaction log has no rows", source=source)
    issues: list[_Issue] = []
    parsed: dict[str, np.ndarray | pd.Series] = {}  # only columns whose values changed

    ids = df[cols[customer_id]]
    if isinstance(ids.dtype, pd.StringDtype):
        parsed[customer_id] = ids = ids.str.strip()
    elif ids.dtype == object:
        parsed[customer_id] = ids = ids.map(lambda v: v.strip() if isinstance(v, str) else v)
    missing = _blank(ids)
    if missing.any():
        issues.append(_Issue(cols[customer_id], "missing customer id", missing))

    dates, missing, invalid, formats = _parse_dates(df[cols[date]])
    if missing.any():
        issues.append(_Issue(cols[date], "missing date", missing))
    if invalid.any():
        issues.append(_Issue(cols[date], "not a date", invalid))
    if dates is not df[cols[date]]:
        parsed[date] = dates

    cleanups: dict[str, dict[str, np.ndarray]] = {}
    money = [amount] + [c for c in (cost, margin) if c is not None]
    values: dict[str, np.ndarray] = {}
    for name in money + event_names:
        col = cols[name]
        x, missing, invalid, kinds = _parse_numbers(df[col])
        if name in money:
            if missing.any():
                issues.append(_Issue(col, f"missing {name}", missing))
        else:
            if missing.any():
                x = np.where(missing, 0.0, x)  # a blank service event means none
            neg = ~invalid & (np.asarray(x) < 0)
            if neg.any():
                issues.append(_Issue(col, "negative service-event value (must be >= 0)", neg))
        if invalid.any():
            issues.append(_Issue(col, "not a number", invalid))
        if kinds:
            cleanups[name] = kinds
        if x is not df[col]:
            parsed[name] = x
        values[name] = np.asarray(x)

    keep = np.ones(n, dtype=bool)
    dropped: dict[str, int] = {}
    if issues:
        if on_invalid == "raise":
            context = [cols[customer_id], cols[date], cols[amount]]
            raise InputError(
                _issue_message(df, issues, cols[customer_id], context),
                source=source,
                columns=list(dict.fromkeys(it.column for it in issues)),
            )
        for it in issues:
            k = int((it.mask & keep).sum())
            if k:
                label = f"{it.reason} in column {it.column!r}"
                dropped[label] = dropped.get(label, 0) + k
            keep &= ~it.mask
    every = bool(keep.all())

    def used(mask) -> int:
        return int(mask.sum() if every else (mask & keep).sum())

    out = df.copy(deep=False)
    for name, vals in parsed.items():
        out[cols[name]] = vals
    rename = {cols[name]: name for name in [customer_id, date, *money, *event_names]}
    out = out.rename(columns={k: v for k, v in rename.items() if k != v})
    if not every:
        out = out.loc[keep]
    out.attrs = dict(df.attrs)
    used_dates = out[date]
    cleaned = {
        name: {kind: used(mask) for kind, mask in kinds.items() if used(mask)}
        for name, kinds in cleanups.items()
    }
    amounts = values[amount] if every else values[amount][keep]
    report = CleaningReport(
        rows_read=n,
        rows_used=len(out),
        rows_dropped=dropped,
        amounts_cleaned={k: v for k, v in cleaned.items() if v},
        returns=int((amounts < 0).sum()),
        first_date=used_dates.min().date() if len(out) else None,
        last_date=used_dates.max().date() if len(out) else None,
        date_formats={f: used(mask) for f, mask in formats.items() if used(mask)},
        columns={name: str(cols[name]) for name in rename.values()},
        source=source,
    )
    if report.rows_used == 0:
        raise InputError(
            "no usable transaction rows are left after dropping the invalid ones:\n" + str(report),
            source=source,
        )
    return out, report


# ============================================================================================
# the aggregation, written once against narwhals
# ============================================================================================


def _day_number(expr):
    """Days since 1970-01-01 of a Date expression, from year and day of year only, so that the
    same arithmetic runs on every backend (date subtraction differs between them)."""
    nw = _nw()
    y = expr.dt.year().cast(nw.Float64)
    y1 = y - 1
    # leap days from 1970 up to year y; floor of a float quotient is exact at these magnitudes
    # and much simpler SQL than narwhals' integer floor division
    leap = (y1 / 4).floor() - (y1 / 100).floor() + (y1 / 400).floor() - 477
    return (365 * (y - 1970) + leap + expr.dt.ordinal_day().cast(nw.Float64) - 1).cast(nw.Int64)


def _nw():
    import narwhals as nw

    return nw


def _aggregate(
    lf,
    *,
    id_col: str,
    date_col: str,
    amount_col: str,
    cost_col: str | None,
    margin_col: str | None,
    events: Mapping[str, float],
    float_events: set[str],
    as_of: _dt.date,
    cut: bool,
    unit_days: float,
    margin_rate: float,
    order_cost: float,
    return_cost: float,
):
    """Lines → customer-days (purchase occasions) → customers, as one lazy narwhals query.

    Written once for every backend, within what narwhals 2.29 supports lazily everywhere:

    * the revenue of each customer's first purchase day (excluded from btyd_monetary) needs an
      "arg-min"; narwhals has no arg_min, its ordered ``first(order_by=)`` is not available on
      PySpark, and a window over the customer-days was slower on DuckDB, so the first purchase
      day is a small aggregate of the lines joined back to the customer-days;
    * the other totals come straight from the lines (1 group per customer), and only the two
      quantities that need days (purchase occasions, revenue of repeat days) go through the
      customer-day aggregate, which is the expensive step;
    * counts are ``count()`` of non-null values (``when(amount > 0).then(amount)``): summing a
      cast boolean becomes a 128-bit sum in DuckDB;
    * date differences are computed from year and day of year (``_day_number``), because
      subtracting dates gives different types on DuckDB, Polars and Spark.
    """
    nw = _nw()
    sel = [
        nw.col(id_col).alias("customer_id"),
        nw.col(date_col).cast(nw.Date).alias("_d"),
        nw.col(amount_col).cast(nw.Float64).alias("_a"),
    ]
    if cost_col is not None:
        sel.append(nw.col(cost_col).cast(nw.Float64).alias("_k"))
    if margin_col is not None:
        sel.append(nw.col(margin_col).cast(nw.Float64).alias("_m"))
    service = []
    for col, rate in events.items():
        if rate == 0:
            continue
        e = nw.col(col).cast(nw.Float64)
        if col in float_events:
            e = e.fill_nan(0.0)
        service.append(e.fill_null(0.0) * rate)
    if service:
        sel.append(
            nw.sum_horizontal(*service).alias("_s") if len(service) > 1 else service[0].alias("_s")
        )
    line = lf.select(*sel)
    if cut:
        line = line.filter(nw.col("_d") <= nw.lit(as_of))

    a = nw.col("_a")
    extra = [c for c in ("_k", "_m", "_s") if c in line.collect_schema().names()]
    pos_a, neg_a = nw.when(a > 0).then(a), nw.when(a < 0).then(-a)
    bought_on = nw.when(a > 0).then(nw.col("_d"))
    # 1. customer totals straight from the lines (count() counts non-null: positive/negative lines)
    totals = line.group_by("customer_id").agg(
        bought_on.min().alias("first_purchase"),
        bought_on.max().alias("last_purchase"),
        pos_a.count().cast(nw.Int64).alias("orders"),
        neg_a.count().cast(nw.Int64).alias("returns"),
        pos_a.sum().alias("gross_sales"),
        neg_a.sum().alias("returns_value"),
        *[nw.col(c).sum() for c in extra],
    )
    # 2. purchase occasions: customer-days with a positive line, with that day's net revenue;
    #    the first one is found by joining each customer's first purchase day (a small aggregate
    #    of the lines), which is cheaper than a window over the customer-days.
    first = line.filter(a > 0).group_by("customer_id").agg(nw.col("_d").min().alias("_fp"))
    occasions = (
        line.group_by("customer_id", "_d")
        .agg(pos_a.count().alias("_np"), a.sum().alias("_rev"))
        .filter(nw.col("_np") > 0)
        .join(first, on="customer_id", how="inner")
        .group_by("customer_id")
        .agg(
            nw.len().cast(nw.Int64).alias("purchase_days"),
            nw.when(nw.col("_d") != nw.col("_fp")).then(nw.col("_rev")).sum().alias("_rr"),
        )
    )
    # customers without a purchase (only returns, or only later lines) drop out here
    cust = totals.join(occasions, on="customer_id", how="inner")

    revenue = nw.col("gross_sales") - nw.col("returns_value")
    if cost_col is not None:
        margin = revenue - nw.col("_k")
    elif margin_col is not None:
        margin = nw.col("_m")
    else:
        margin = revenue * margin_rate
    to_serve = nw.col("orders") * float(order_cost) + nw.col("returns") * float(return_cost)
    if "_s" in extra:
        to_serve = to_serve + nw.col("_s")
    freq = nw.col("purchase_days") - 1
    first_n, last_n = _day_number(nw.col("first_purchase")), _day_number(nw.col("last_purchase"))
    as_of_n = as_of.toordinal() - _EPOCH_ORDINAL
    out = cust.with_columns(
        revenue.alias("revenue"),
        (nw.lit(as_of_n) - last_n).cast(nw.Int64).alias("recency_days"),
        (nw.col("gross_sales") / nw.col("orders")).alias("avg_order_value"),
        margin.cast(nw.Float64).alias("gross_margin"),
        to_serve.cast(nw.Float64).alias("cost_to_serve"),
        freq.cast(nw.Int64).alias("btyd_frequency"),
        ((last_n - first_n).cast(nw.Float64) / unit_days).alias("btyd_recency"),
        ((nw.lit(as_of_n) - first_n).cast(nw.Float64) / unit_days).alias("btyd_T"),
        nw.when(freq > 0)
        .then(nw.col("_rr") / freq.cast(nw.Float64))
        .otherwise(0.0)
        .alias("btyd_monetary"),
    ).with_columns((nw.col("gross_margin") - nw.col("cost_to_serve")).alias("profit"))
    return out.select(*TABLE_COLUMNS)


# ============================================================================================
# the same aggregation in DuckDB SQL, with the purchase days as bitmaps
# ============================================================================================

#: Days per bitmap word of the DuckDB aggregation: a HUGEINT has 127 bits a 1 can be shifted to.
_DAYS_PER_WORD = 127
#: Longest period aggregated with day bitmaps (32 words, about 11 years); a log spanning more
#: takes the customer-day route of :func:`_aggregate`.
_MAX_WORDS = 32
#: Days of margin before the first and after the last date of a log in its bitmaps: the calendar
#: day of a time-zone-aware timestamp in DuckDB (CAST AS DATE, in the session's time zone) may
#: differ by one from its Python date, which is what the check query returns.
_DAY_MARGIN = 2


def _bitmap_words(first: _dt.date, last: _dt.date) -> int:
    return ((last - first).days + _DAYS_PER_WORD) // _DAYS_PER_WORD


def _quote(name) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _sql_number(x: float) -> str:
    return f"({float(x)!r})::DOUBLE"


def _aggregate_duckdb(
    rel,
    *,
    id_col: str,
    date_col: str,
    amount_col: str,
    cost_col: str | None,
    margin_col: str | None,
    events: Mapping[str, float],
    float_events: set[str],
    as_of: _dt.date,
    cut: bool,
    unit_days: float,
    margin_rate: float,
    order_cost: float,
    return_cost: float,
    first_day: _dt.date,
    words: int,
):
    """What :func:`_aggregate` computes, as one DuckDB query that reads the lines twice and
    never groups by customer-day.

    The customer-day aggregate of ``_aggregate`` has nearly as many groups as there are lines
    (100M lines of 1M customers over two years: ~85M customer-days), which is what makes it
    slow and makes DuckDB spill to disk. Here the lines are grouped by customer only:

    * the days with a positive line are bits of ``words`` HUGEINT bitmaps per customer (bit
      ``o mod 127`` of word ``o div 127``, ``o`` = days since ``first_day``), OR-ed together;
      purchase days = the number of bits set;
    * the negative lines are kept as a list of (day, amount) per customer (returns are a few
      per cent of the lines); those on a day without a positive line are the returns of
      non-purchase days, which the revenue of purchase occasions leaves out;
    * the net revenue of the first purchase day comes from a second read of the lines, joined
      with each customer's first purchase day (the one lookup that needs the first pass).

    Then the revenue of the repeat occasions is ``gross_sales − returns_value + returns on
    non-purchase days − net revenue of the first purchase day``. ``rel`` is a DuckDB relation;
    the result is a relation with :data:`TABLE_COLUMNS`.
    """
    q = _quote
    d = f"CAST({q(date_col)} AS DATE)"
    sel = [f"{q(id_col)} AS c", f"{d} AS d", f"CAST({q(amount_col)} AS DOUBLE) AS a"]
    if cost_col is not None:
        sel.append(f"CAST({q(cost_col)} AS DOUBLE) AS k")
    if margin_col is not None:
        sel.append(f"CAST({q(margin_col)} AS DOUBLE) AS m")
    service = []
    for col, rate in events.items():
        if rate == 0:
            continue
        e = f"CAST({q(col)} AS DOUBLE)"
        if col in float_events:
            e = f"CASE WHEN isnan({e}) THEN 0.0 ELSE {e} END"
        service.append(f"(coalesce({e}, 0.0) * {_sql_number(rate)})")
    if service:
        sel.append(" + ".join(service) + " AS s")
    extra = [c for c, on in (("k", cost_col), ("m", margin_col), ("s", service)) if on]
    where = f" WHERE {d} <= DATE '{as_of.isoformat()}'" if cut else ""
    w = _DAYS_PER_WORD
    origin = f"DATE '{first_day.isoformat()}'"
    bits = ", ".join(f"bit_or(CASE WHEN w = {j} THEN b END) AS b{j}" for j in range(words))
    word = [f"coalesce(b{j}, 0::HUGEINT)" for j in range(words)]
    word_of = " ".join(f"WHEN {j} THEN {word[j]}" for j in range(words))
    bit_set = (
        f"((CASE x.o // {w} {word_of} END >> (x.o % {w})::HUGEINT) & 1::HUGEINT) = 1"
        if words > 1
        else f"(({word[0]} >> x.o::HUGEINT) & 1::HUGEINT) = 1"
    )
    purchase_days = " + ".join(f"bit_count({word[j]})::INTEGER" for j in range(words))

    def lowest(x):  # index of the lowest bit set: popcount((x & -x) - 1)
        return f"bit_count(({x} & -{x}) - 1::HUGEINT)::INTEGER"

    def highest(x):  # floor(log2(x)), corrected if the rounding went up by one
        h = f"CAST(floor(log2(CAST({x} AS DOUBLE))) AS INTEGER)"
        return f"({h} - CASE WHEN ({x} >> ({h})::HUGEINT) = 0 THEN 1 ELSE 0 END)"

    first_bit = " ".join(
        f"WHEN {word[j]} <> 0 THEN {w * j} + {lowest(word[j])}" for j in range(words)
    )
    last_bit = " ".join(
        f"WHEN {word[j]} <> 0 THEN {w * j} + {highest(word[j])}" for j in reversed(range(words))
    )
    revenue = "(gross_sales - returns_value)"
    if cost_col is not None:
        margin = f"({revenue} - k)"
    elif margin_col is not None:
        margin = "m"
    else:
        margin = f"({revenue} * {_sql_number(margin_rate)})"
    to_serve = f"((orders * {_sql_number(order_cost)}) + (returns * {_sql_number(return_cost)}))"
    if service:
        to_serve = f"({to_serve} + s)"
    as_of_sql = f"DATE '{as_of.isoformat()}'"
    # every aggregate costs a pass over the lines' group states, so only what cannot be had
    # otherwise is aggregated: first and last purchase days come from the bitmaps, the number
    # and value of the returns from the list of negative lines
    sql = f"""
WITH line AS NOT MATERIALIZED (
  SELECT {", ".join(sel)} FROM _cv_log{where}),
cust AS MATERIALIZED (
  SELECT *,
         CAST({origin} + CASE {first_bit} END AS DATE) AS first_purchase,
         CAST({origin} + CASE {last_bit} END AS DATE) AS last_purchase,
         coalesce(len(negatives), 0) AS returns,
         coalesce(-list_sum(list_transform(negatives, lambda x: x.a)), 0.0) AS returns_value
  FROM (SELECT c,
               count(CASE WHEN a > 0 THEN a END) AS orders,
               coalesce(sum(CASE WHEN a > 0 THEN a END), 0.0) AS gross_sales,
               {"".join(f"coalesce(sum({c}), 0.0) AS {c}, " for c in extra)}{bits},
               list({{'o': o, 'a': a}}) FILTER (a < 0) AS negatives
        FROM (SELECT *, (d - {origin})::INTEGER AS o,
                     CASE WHEN a > 0 THEN (d - {origin})::INTEGER // {w} END AS w,
                     CASE WHEN a > 0 THEN 1::HUGEINT << ((d - {origin}) % {w})::HUGEINT END AS b
              FROM line)
        GROUP BY c
        HAVING count(CASE WHEN a > 0 THEN a END) > 0)),
first_day AS (
  SELECT line.c, sum(line.a) AS first_revenue
  FROM line JOIN cust ON line.c = cust.c AND line.d = cust.first_purchase
  GROUP BY line.c),
totals AS (
  SELECT cust.*, ({purchase_days})::BIGINT AS purchase_days,
         gross_sales - returns_value
           - coalesce(list_sum(list_transform(list_filter(negatives, lambda x: NOT ({bit_set})),
                                              lambda x: x.a)), 0.0)
           - first_revenue AS repeat_revenue
  FROM cust JOIN first_day ON cust.c = first_day.c),
out AS (
  SELECT c AS customer_id, first_purchase, last_purchase,
         ({as_of_sql} - last_purchase)::BIGINT AS recency_days, orders, purchase_days, returns,
         gross_sales, returns_value, {revenue} AS revenue,
         gross_sales / orders AS avg_order_value,
         CAST({margin} AS DOUBLE) AS gross_margin, CAST({to_serve} AS DOUBLE) AS cost_to_serve,
         (purchase_days - 1)::BIGINT AS btyd_frequency,
         CAST(last_purchase - first_purchase AS DOUBLE) / {_sql_number(unit_days)} AS btyd_recency,
         CAST({as_of_sql} - first_purchase AS DOUBLE) / {_sql_number(unit_days)} AS btyd_T,
         CASE WHEN purchase_days > 1 THEN repeat_revenue / CAST(purchase_days - 1 AS DOUBLE)
              ELSE 0.0 END AS btyd_monetary
  FROM totals)
SELECT {
        ", ".join(
            c if c != "profit" else "(gross_margin - cost_to_serve) AS profit"
            for c in TABLE_COLUMNS
        )
    }
FROM out"""
    return rel.query("_cv_log", sql)


# ============================================================================================
# checking data that are not in pandas (no line numbers there: example rows instead)
# ============================================================================================


def _is_float(dtype) -> bool:
    nw = _nw()
    return dtype in (nw.Float32, nw.Float64) or isinstance(dtype, (nw.Float32, nw.Float64))


def _check_lazy(
    lf, *, id_col, date_col, money: Sequence[str], events: Sequence[str], backend: str
) -> tuple[_dt.date, _dt.date, int]:
    """Types, missing ids/dates/amounts and negative service events, in one aggregate query.

    Returns the first and the last transaction date and the number of rows; raises one
    InputError."""
    nw = _nw()
    schema = lf.collect_schema()
    wrong = {
        c: f"column {c!r} has type {schema[c]}, not a number"
        for c in [*money, *events]
        if not schema[c].is_numeric()
    }
    dt_type = schema[date_col]
    if not (dt_type == nw.Date or isinstance(dt_type, nw.Datetime) or dt_type == nw.Datetime):
        wrong[date_col] = f"column {date_col!r} has type {dt_type}, not a date or datetime"
    if wrong:
        raise InputError(
            f"the {backend} data cannot be aggregated as they are: "
            + "; ".join(wrong.values())
            + ". Convert these columns first, or read the file with customer_value.io.read_table "
            "and parse it with customer_value.customers.clean_transactions.",
            columns=list(wrong),
        )

    def null(c):
        e = nw.col(c).is_null()
        return e | nw.col(c).is_nan() if _is_float(schema[c]) else e

    checks = {
        "missing customer id": (id_col, nw.col(id_col).is_null()),
        "missing date": (date_col, nw.col(date_col).is_null()),
        **{f"missing {c}": (c, null(c)) for c in money},
        **{
            "negative service-event value (must be >= 0)" + f" [{c}]": (c, nw.col(c) < 0)
            for c in events
        },
    }
    aggs = [
        mask.cast(nw.Int64).sum().alias(f"_c{i}") for i, (_, mask) in enumerate(checks.values())
    ]
    stats = lf.select(
        nw.len().alias("_n"),
        nw.col(date_col).min().alias("_min"),
        nw.col(date_col).max().alias("_max"),
        *aggs,
    ).collect()
    row = stats.rows(named=True)[0]
    n, first, last = int(row["_n"]), row["_min"], row["_max"]
    parts, columns = [], []
    for i, (reason, (col, mask)) in enumerate(checks.items()):
        k = int(row[f"_c{i}"] or 0)
        if not k:
            continue
        reason = reason.split(" [")[0]
        shown = [id_col, date_col, *money] + (
            [col] if col not in (id_col, date_col, *money) else []
        )
        if reason.startswith("negative"):
            vals = (
                lf.filter(mask)
                .group_by(col)
                .agg(nw.len().alias("_k"))
                .sort("_k", descending=True)
                .head(10)
                .collect()
                .rows()
            )
            values = ", ".join(f"{v!r} ({c} row{'s' if c != 1 else ''})" for v, c in vals)
        else:
            values = f"<missing> ({k} row{'s' if k != 1 else ''})"
        examples = lf.filter(mask).select(*shown).head(5).collect().rows(named=True)
        lines = [f"column {col!r}, {reason}: {values}"]
        lines += [
            "  e.g. " + ", ".join(f"{c}={_show(v)}" for c, v in ex.items()) for ex in examples
        ]
        if k > len(examples):
            lines.append(
                f"  ... and {k - len(examples)} more row{'s' if k - len(examples) != 1 else ''}"
            )
        parts.append("\n".join(lines))
        columns.append(col)
    if parts:
        raise InputError(
            f"the {backend} transaction data have problems "
            f"({n:,} rows checked; no line numbers outside pandas):\n" + "\n".join(parts),
            columns=columns,
        )
    if last is None:
        raise InputError(f"the {backend} data have no transactions (0 rows with a date)")
    return _to_date(first), _to_date(last), n


def _show(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "<missing>"
    return repr(v) if isinstance(v, str) else str(v)


def _to_date(value) -> _dt.date:
    if isinstance(value, str):
        ts, _ = _parse_date_text(value)
        if ts is None:
            raise ValueError(f"as_of must be a date such as '2024-12-31', not {value!r}")
        return ts.date()
    if isinstance(value, (pd.Timestamp, _dt.datetime)):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).date()
    raise ValueError(f"as_of must be a date, not {value!r}")


# ============================================================================================
# the result
# ============================================================================================


@dataclass
class CustomerTable:
    """One row per customer, computed by :func:`customer_table` (see there for the columns).

    Attributes
    ----------
    data : the table in the backend the data came in: a pandas DataFrame for pandas, pyarrow
        and file input; a Polars DataFrame (LazyFrame) for a Polars DataFrame (LazyFrame); a
        DuckDB relation for a DuckDB relation; a Spark DataFrame for a Spark DataFrame. Lazy
        results (LazyFrame, relation, Spark) are evaluated when used.
    profit_basis : ``"cost data"``, ``"margin data"`` or ``"revenue x margin rate R (no cost
        data)"`` — say it next to any profit figure.
    as_of : end of the observation period (lines dated on or before it count).
    unit : time unit of ``btyd_recency`` and ``btyd_T``.
    backend : what computed the table (e.g. ``"duckdb"``, ``"polars"``, ``"pyspark"``).
    settings : the cost and margin parameters used.
    """

    data: Any
    profit_basis: str
    as_of: _dt.date
    unit: str
    backend: str
    settings: dict = field(default_factory=dict)
    _pandas: pd.DataFrame | None = field(default=None, repr=False)
    _summary: pd.DataFrame | None = field(default=None, repr=False)

    def to_pandas(self) -> pd.DataFrame:
        """The table as a pandas DataFrame sorted by customer_id: integer counts as int64, money
        and BTYD times as float64, purchase dates as datetime64[ns], whatever the backend."""
        if self._pandas is None:
            self._pandas = _normalize_pandas(_native_to_pandas(self.data))
        return self._pandas.copy()

    def to_frame(self) -> pd.DataFrame:
        """Same as :meth:`to_pandas`."""
        return self.to_pandas()

    def summary(self) -> pd.DataFrame:
        """One row of totals: customers, revenue, gross_margin, cost_to_serve, profit and the
        share of customers with negative profit (computed by the backend)."""
        if self._summary is None:
            nw = _nw()
            frame = nw.from_native(self.data)
            out = frame.select(
                nw.len().alias("customers"),
                *[
                    nw.col(c).sum().cast(nw.Float64).alias(c)
                    for c in ("revenue", "gross_margin", "cost_to_serve", "profit")
                ],
                (nw.col("profit") < 0).cast(nw.Float64).mean().alias("share_negative_profit"),
            )
            if isinstance(out, nw.LazyFrame):
                out = out.collect()
            res = pd.DataFrame(out.rows(named=True), columns=list(SUMMARY_COLUMNS))
            res["customers"] = res["customers"].astype("int64")
            for c in SUMMARY_COLUMNS[1:]:
                res[c] = res[c].astype("float64")
            self._summary = res
        return self._summary.copy()

    def __repr__(self) -> str:
        return (
            f"CustomerTable(backend={self.backend!r}, as_of={self.as_of}, unit={self.unit!r}, "
            f"profit_basis={self.profit_basis!r}, data={type(self.data).__module__}."
            f"{type(self.data).__name__})"
        )


def _native_to_pandas(data) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    nw = _nw()
    frame = nw.from_native(data)
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    return frame.to_pandas()


def _fetch_pandas(result) -> pd.DataFrame:
    """Execute a narwhals LazyFrame and return pandas; DuckDB results travel as Arrow (numbers
    without copies, dates as datetime64 rather than Python objects)."""
    native = result.to_native()
    if type(native).__module__.split(".")[0] == "duckdb":
        table = native.to_arrow_table() if hasattr(native, "to_arrow_table") else native.arrow()
        return table.to_pandas(date_as_object=False, split_blocks=True, self_destruct=True)
    return result.collect(backend="pandas").to_native()


def _normalize_pandas(df: pd.DataFrame) -> pd.DataFrame:
    """Same columns, dtypes and order whatever the backend; converts only what differs."""
    df = df.loc[:, list(TABLE_COLUMNS)]
    want = {}
    for c in TABLE_COLUMNS[1:]:
        target = (
            "datetime64[ns]" if c in _DATE_COLUMNS else "int64" if c in _INT_COLUMNS else "float64"
        )
        if df[c].dtype != np.dtype(target):
            want[c] = target
    for c in _DATE_COLUMNS:
        if c in want and not pd.api.types.is_datetime64_dtype(df[c].dtype):
            df[c] = pd.to_datetime(df[c])
    if want:
        df = df.astype(want)
    ids = df["customer_id"]
    text_objects = ids.dtype == object and len(ids) and ids.map(lambda v: isinstance(v, str)).all()
    other_string = isinstance(ids.dtype, pd.StringDtype) and ids.dtype != pd.StringDtype(
        na_value=np.nan
    )
    if text_objects or other_string:  # one string dtype whatever the backend
        df["customer_id"] = ids.astype("str")
    if not df["customer_id"].is_monotonic_increasing:
        df = df.sort_values("customer_id", kind="stable")
    if not isinstance(df.index, pd.RangeIndex) or df.index.start != 0 or df.index.step != 1:
        df = df.reset_index(drop=True)
    return df


# ============================================================================================
# customer_table
# ============================================================================================

#: What to do with a file DuckDB cannot aggregate as it is.
_TEXT_ADVICE = (
    "Read it with customer_value.io.read_table and parse it with "
    "customer_value.customers.clean_transactions, which report every cell they "
    "cannot use with its line number."
)


class _NeedsCleaning(InputError):
    """A file that DuckDB (or Polars) cannot aggregate as it is, but that the text reader
    (:func:`customer_value.io.read_table` + :func:`clean_transactions`) may read: not UTF-8,
    day-first or month-first dates, text in a number column, missing cells, a value DuckDB
    cannot convert. ``reason`` is the short why. The CLI falls back to the text reader on this
    error and reports any other InputError (missing or duplicated columns, an unreadable
    Parquet file) at once."""

    def __init__(self, reason: str, detail: str | None = None, *, source=None, columns=None):
        self.reason = reason
        super().__init__(detail or f"{reason}. {_TEXT_ADVICE}", source=source, columns=columns)

    @classmethod
    def of(cls, err: Exception, source: str) -> _NeedsCleaning:
        if isinstance(err, InputError):
            reason = err.detail.splitlines()[0].split(". ")[0]
            return cls(reason, err.detail, source=source, columns=err.columns)
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        engine = "DuckDB" if "duckdb" in type(err).__module__ else "Polars"
        return cls(f"{engine} cannot read it: {first}", source=source)


def _is_reader_error(err: Exception) -> bool:
    """An error raised by DuckDB or Polars while reading a file (not a bug of ours)."""
    return type(err).__module__.split(".")[0].lstrip("_") in ("duckdb", "polars")


def _is_path(data) -> bool:
    return isinstance(data, (str, os.PathLike))


def _csv_prefix(p: str) -> str:
    """The first 64 KiB of a CSV file as text; UnicodeDecodeError when it is not UTF-8."""
    import codecs

    if p.lower().endswith(".gz"):
        return ""  # DuckDB decompresses; no header check here
    with open(p, "rb") as fh:
        raw = fh.read(1 << 16)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnicodeDecodeError("utf-16", raw[:2], 0, 2, "UTF-16 byte order mark")
    return codecs.getincrementaldecoder("utf-8-sig")().decode(raw, final=False)


def _csv_rows(text: str, delimiter: str, n: int = 2) -> list[list[str]]:
    import csv
    import io as _io

    rows = csv.reader(_io.StringIO(text), delimiter=delimiter or ",")
    return [next(rows, []) for _ in range(n)]


def _open_csv(p: str, engine, *, customer_id: str, date: str):
    """A CSV file for DuckDB or Polars, with the two guards of a typed reading of text.

    * The ID column is read as text, so that ``007`` and ``7`` remain two customers.
    * DuckDB's sniffer guesses day-first or month-first for dates such as ``01/02/2024``
      (1 February or 2 January?) and Polars' ``try_parse_dates`` too; such a date column is
      refused (:class:`_NeedsCleaning`), as :func:`clean_transactions` refuses the cells.
      Only year-first dates are read as they are.
    """
    import glob

    import duckdb

    con = _connection("auto" if engine == "polars" else engine)
    sample = min(glob.glob(p)) if any(ch in p for ch in "*?[") else p  # a file of a glob
    if Path(sample).stat().st_size == 0:
        raise InputError("the file is empty (0 bytes)", source=p)
    try:
        prefix = _csv_prefix(sample)
        delimiter, date_format, ts_format, sniffed = con.execute(
            "SELECT Delimiter, DateFormat, TimestampFormat, Columns FROM sniff_csv(?)", [sample]
        ).fetchall()[0]
    except UnicodeDecodeError:
        raise _NeedsCleaning(
            "the file is not UTF-8 text",
            f"the file is not UTF-8 text, which is all DuckDB reads (GBK, "
            f"GB18030 and UTF-16 files are read by the text reader). "
            f"{_TEXT_ADVICE}",
            source=p,
        ) from None
    except duckdb.Error as err:
        raise _NeedsCleaning.of(err, p) from None
    header, row = _csv_rows(prefix, delimiter)
    names = [str(h).strip() for h in header]
    dup = sorted({c for c in names if c and names.count(c) > 1})
    if dup:
        raise InputError(f"duplicated column name(s) in the header: {dup}", source=p, columns=dup)
    types = {c["name"]: c["type"] for c in sniffed}
    id_col, date_col = _match(list(types), customer_id), _match(list(types), date)
    fmt = {"DATE": date_format, "TIMESTAMP": ts_format}.get(types.get(date_col))
    if fmt and not fmt.startswith("%Y"):
        pos = list(types).index(date_col)
        example = (
            f" (e.g. {row[pos].strip()!r} on line 2)" if pos < len(row) and row[pos].strip() else ""
        )
        raise _NeedsCleaning(
            f"dates written as {fmt}",
            f"column {date_col!r} holds dates written day or month first{example}, which DuckDB "
            f"would read as {fmt}: such dates are ambiguous (01/02/2024 is 1 February or 2 "
            "January), so they are not guessed. Write them year first (YYYY-MM-DD), or read "
            "the file with customer_value.io.read_table and parse it with "
            "customer_value.customers.clean_transactions, which accept year-first dates only "
            "and name every other cell with its line number.",
            source=p,
            columns=[date_col],
        )
    if engine == "polars":
        import polars as pl

        # Polars' own date guessing takes 01/02/2024 day first: the dates are parsed with the
        # year-first format DuckDB found, or left as text (refused later) when it found none
        text = {} if id_col is None else {id_col: pl.String}
        lf = pl.scan_csv(
            p, separator=delimiter or ",", schema_overrides=text, try_parse_dates=False
        )
        kind = types.get(date_col)
        if kind == "DATE":
            lf = lf.with_columns(pl.col(date_col).str.to_date(fmt or None))
        elif kind == "TIMESTAMP":
            lf = lf.with_columns(pl.col(date_col).str.to_datetime(fmt or None))
        return lf, "polars"
    text = {} if id_col is None else {id_col: "VARCHAR"}
    return con.read_csv(p, dtype=text), "duckdb"


def _open_path(path, engine, *, customer_id: str = "customer_id", date: str = "date"):
    """A lazy reader of a CSV or Parquet file (or Parquet directory or glob): a DuckDB relation,
    or a Polars LazyFrame with ``engine="polars"``; see :func:`_open_csv` for CSV files."""
    import duckdb

    p = str(path)
    lower = p.lower()
    import glob

    if not (glob.glob(p) if any(ch in p for ch in "*?[") else Path(p).exists()):
        raise InputError("file not found", source=p)
    if lower.endswith((".parquet", ".pq")) or (Path(p).is_dir()):
        kind = "parquet"
    elif lower.endswith((".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz")):
        kind = "csv"
    else:
        raise InputError(
            "customer_table reads .csv and .parquet files (for Excel, use "
            "customer_value.io.read_table and clean_transactions)",
            source=p,
        )
    if kind == "csv":
        return _open_csv(p, engine, customer_id=customer_id, date=date)
    if engine == "polars":
        import polars as pl

        return pl.scan_parquet(p), "polars"
    try:
        rel = _connection(engine).read_parquet(p)
    except duckdb.Error as err:
        raise InputError(
            f"not a readable Parquet file: {str(err).strip().splitlines()[0]}", source=p
        ) from None
    names = [str(c).strip() for c in rel.columns]
    dup = sorted({c for c in names if c and names.count(c) > 1})
    if dup:
        raise InputError(f"duplicated column name(s): {dup}", source=p, columns=dup)
    return rel, "duckdb"


def _connection(engine):
    import duckdb

    if isinstance(engine, duckdb.DuckDBPyConnection):
        return engine
    return duckdb.connect()


def customer_table(
    data,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    cost: str | None = None,
    margin: str | None = None,
    as_of=None,
    unit: str = "day",
    margin_rate: float = 1.0,
    order_cost: float = 0.0,
    return_cost: float = 0.0,
    cost_rates: Mapping[str, float] | None = None,
    engine="auto",
) -> CustomerTable:
    """Aggregate a transaction log to one row per customer.

    Parameters
    ----------
    data : the log: a pandas DataFrame; a path to a CSV or Parquet file (or a Parquet directory or
        glob), read by DuckDB without going through pandas — meant for large, clean files (a messy
        file from a user goes through :func:`customer_value.io.read_table` and
        :func:`clean_transactions` first); a pyarrow Table; a Polars DataFrame or LazyFrame; a
        DuckDB relation; or a PySpark DataFrame. pandas data are checked and parsed with
        :func:`clean_transactions` (problems are reported with line numbers).
    customer_id, date, amount, cost, margin : column names, matched ignoring case.
    as_of : end of the observation period; lines dated after it are ignored, and customers whose
        first purchase is later are not in the table. Default: the day after the last
        transaction date in the data.
    unit : ``"day"``, ``"week"`` (7 days), ``"month"`` (365.25/12 days) or ``"year"`` (365.25
        days) for ``btyd_recency`` and ``btyd_T`` (fractional).
    margin_rate : without cost or margin data, gross margin = revenue × margin_rate (ignored when
        ``cost`` or ``margin`` is given).
    order_cost, return_cost, cost_rates : activity costs for the cost to serve: per order line,
        per return line and per unit of each service-event column (defaults
        :data:`DEFAULT_COST_RATES`; a column named in ``cost_rates`` must exist, the default ones
        are used when present). ``cost_rates`` may also hold the keys ``"order_cost"`` and
        ``"return_cost"`` (as :data:`customer_value.datasets.RETAIL_COST_RATES` does), so that one
        mapping carries every rate; giving a rate both ways is refused.
    engine : ``"auto"`` runs pandas, pyarrow and file input on DuckDB (a fresh in-memory
        connection) and everything else on its own backend; pass a ``duckdb.connect()``
        connection to control DuckDB's ``threads``, ``memory_limit`` and ``temp_directory``;
        ``"polars"`` runs pandas and file input on Polars instead.

    Columns (see :data:`TABLE_COLUMNS`)
    -----------------------------------
    customer_id; first_purchase, last_purchase (first/last day with a positive line);
    recency_days (as_of − last_purchase, days); orders (positive lines); purchase_days (distinct
    days with a positive line: purchase occasions); returns (negative lines); gross_sales (sum of
    positive amounts); returns_value (sum of |negative amounts|); revenue = gross_sales −
    returns_value; avg_order_value = gross_sales / orders; gross_margin (revenue − Σcost, or
    Σmargin, or revenue × margin_rate); cost_to_serve = order_cost·orders + return_cost·returns +
    Σ rate·Σcolumn (activity-based costing, Cooper & Kaplan 1991; Kaplan & Cooper 1998);
    profit = gross_margin − cost_to_serve; btyd_frequency = purchase_days − 1 (repeat
    occasions), btyd_recency (first to last purchase day), btyd_T (first purchase day to as_of),
    both in ``unit``; btyd_monetary = mean revenue (that day's positive minus negative amounts) of
    the repeat purchase days, 0 when there is none (Fader, Hardie & Lee 2005a, 2005b).

    How it runs
    -----------
    On DuckDB (pandas, pyarrow, DuckDB and file input) one query groups the lines by customer
    only, with each customer's purchase days as bits of 127-day bitmaps, and reads the lines a
    second time for the revenue of the first purchase day (see ``_aggregate_duckdb``): 100
    million lines of a million customers in Parquet take about 11 s on two cores and 1.5 GB of
    memory (a hand-written customer-day query: 40 s, 2.8 GB). On Polars and PySpark
    (and for logs spanning more than 32 × 127 days) one lazy narwhals query computes customer
    totals from the lines and purchase occasions from customer-days (see ``_aggregate``).
    Before it, one aggregate query checks the data (missing ids, dates and amounts; negative
    service events; column types) and finds the first and last dates. pandas data are checked
    by :func:`clean_transactions` instead, with line numbers, and handed to DuckDB without a
    copy. A CSV path is read with the customer IDs as text (``007`` and ``7`` are two
    customers); a date column DuckDB would read day first or month first (``01/02/2024``) is
    refused with an InputError pointing to :func:`customer_value.io.read_table` and
    :func:`clean_transactions`, as are files that are not UTF-8 or hold text in number columns.

    >>> log = pd.DataFrame({"customer_id": [1, 1, 1, 2],
    ...                     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-08",
    ...                                             "2024-01-03"]),
    ...                     "amount": [30.0, 20.0, 40.0, 10.0]})
    >>> t = customer_table(log, as_of="2024-01-15", unit="week")
    >>> t.to_pandas()[["customer_id", "orders", "btyd_frequency", "btyd_recency", "btyd_T"]]
       customer_id  orders  btyd_frequency  btyd_recency    btyd_T
    0            1       3               1           1.0  2.000000
    1            2       1               0           0.0  1.714286
    """
    nw = _nw()
    if cost is not None and margin is not None:
        raise ValueError("give either cost= (cost of goods) or margin= (gross margin), not both")
    order_cost, return_cost, cost_rates = _line_rates(order_cost, return_cost, cost_rates)
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {list(UNITS)}, not {unit!r}")
    for name, value in (
        ("margin_rate", margin_rate),
        ("order_cost", order_cost),
        ("return_cost", return_cost),
    ):
        if not math.isfinite(float(value)) or (name != "margin_rate" and float(value) < 0):
            raise ValueError(
                f"{name} must be a finite number{' >= 0' if name != 'margin_rate' else ''}"
                f", not {value!r}"
            )
    rates, required_events = _event_names(cost_rates)
    cut_date = None if as_of is None else _to_date(as_of)
    if isinstance(engine, str) and engine not in ("auto", "duckdb", "polars"):
        raise ValueError(
            f"engine must be 'auto', 'duckdb', 'polars' or a DuckDB connection, not {engine!r}"
        )

    roles = {"customer_id": customer_id, "date": date, "amount": amount}
    money_names = [amount] + [c for c in (cost, margin) if c is not None]

    result_kind: str
    if isinstance(data, pd.DataFrame):
        tx, _ = clean_transactions(
            data,
            customer_id=customer_id,
            date=date,
            amount=amount,
            cost=cost,
            margin=margin,
            events=list(
                dict.fromkeys(
                    required_events
                    + [e for e in DEFAULT_COST_RATES if _match(list(data.columns), e) is not None]
                )
            ),
        )
        present = [e for e in rates if e in tx.columns]
        cols = [customer_id, date, *money_names, *present]
        first = pd.Timestamp(tx[date].min()).date()
        last = pd.Timestamp(tx[date].max()).date()
        frame = tx.loc[:, cols]
        if engine == "polars":
            import polars as pl

            lf, backend = nw.from_native(pl.from_pandas(frame)).lazy(), "polars"
        else:
            lf, backend = nw.from_native(_connection(engine).from_df(frame)), "duckdb"
        result_kind = "pandas"
        names = {c: c for c in cols}
        float_events = {e for e in present}
    else:
        source = str(data) if _is_path(data) else None
        if source is not None:
            native, backend = _open_path(data, engine, customer_id=customer_id, date=date)
            result_kind = "pandas"
        elif type(data).__module__.split(".")[0] == "pyarrow":
            native, backend = _connection(engine).from_arrow(data), "duckdb"
            result_kind = "pyarrow"
        else:
            native, backend, result_kind = data, None, "native"
        try:
            frame = nw.from_native(native)
        except TypeError:
            raise TypeError(
                "customer_table takes a pandas, Polars, pyarrow, DuckDB or PySpark "
                f"table or a file path, not {type(data).__name__}"
            ) from None
        if backend is None:
            backend = str(frame.implementation.value)
            if isinstance(frame, nw.DataFrame) and backend != "polars":
                raise TypeError(
                    f"customer_table does not run on {backend} data: convert them to "
                    "pandas, Polars or pyarrow first"
                )
            if engine not in ("auto", backend):
                raise ValueError(
                    f"engine={engine!r} applies to pandas, pyarrow and file input; "
                    f"{backend} data are aggregated by {backend} itself "
                    "(use engine='auto')"
                )
        eager_polars = isinstance(frame, nw.DataFrame)
        lf = frame.lazy() if eager_polars else frame
        if eager_polars and result_kind == "native":
            result_kind = "polars-eager"
        columns = lf.collect_schema().names()
        names = _resolve(
            columns,
            {
                **roles,
                **{c: c for c in money_names if c not in roles.values()},
                **{f"event:{e}": e for e in required_events},
            },
            [e for e in DEFAULT_COST_RATES],
        )
        present = [e for e in rates if e in names]
        try:
            first, last, _ = _check_lazy(
                lf,
                id_col=names[customer_id],
                date_col=names[date],
                money=[names[c] for c in money_names],
                events=[names[e] for e in present],
                backend=backend,
            )
        except Exception as err:  # a file with text, gaps or unreadable values
            if source is None or not (isinstance(err, InputError) or _is_reader_error(err)):
                raise
            raise _NeedsCleaning.of(err, source) from None
        schema = lf.collect_schema()
        float_events = {e for e in present if _is_float(schema[names[e]])}

    as_of_date = cut_date if cut_date is not None else last + _dt.timedelta(days=1)
    events = {names[e]: rates[e] for e in present}
    spec = {
        "id_col": names[customer_id],
        "date_col": names[date],
        "amount_col": names[amount],
        "cost_col": None if cost is None else names[cost],
        "margin_col": None if margin is None else names[margin],
        "events": events,
        "float_events": {names[e] for e in float_events},
        "as_of": as_of_date,
        "cut": cut_date is not None and cut_date < last,
        "unit_days": UNITS[unit],
        "margin_rate": float(margin_rate),
        "order_cost": order_cost,
        "return_cost": return_cost,
    }
    origin = first - _dt.timedelta(days=_DAY_MARGIN)
    words = _bitmap_words(
        origin, max(min(last, as_of_date), first) + _dt.timedelta(days=_DAY_MARGIN)
    )
    if backend == "duckdb" and words <= _MAX_WORDS:
        result = nw.from_native(
            _aggregate_duckdb(lf.to_native(), first_day=origin, words=words, **spec)
        )
    else:
        result = _aggregate(lf, **spec)

    if result_kind in ("pandas", "pyarrow", "polars-eager"):
        result = result.sort("customer_id")
        if result_kind == "pandas":
            try:
                out = _normalize_pandas(_fetch_pandas(result))
            except Exception as err:  # e.g. a value past DuckDB's sample it cannot convert
                if not (_is_path(data) and _is_reader_error(err)):
                    raise
                raise _NeedsCleaning.of(err, str(data)) from None
        elif result_kind == "pyarrow":
            out = result.collect(backend="pyarrow").to_native()
        else:
            out = result.collect().to_native()
    else:
        out = result.to_native()

    if cost is not None:
        basis = "cost data"
    elif margin is not None:
        basis = "margin data"
    else:
        basis = f"revenue x margin rate {float(margin_rate)} (no cost data)"
    table = CustomerTable(
        data=out,
        profit_basis=basis,
        as_of=as_of_date,
        unit=unit,
        backend=backend,
        settings={
            "margin_rate": float(margin_rate) if cost is None and margin is None else None,
            "order_cost": float(order_cost),
            "return_cost": float(return_cost),
            "cost_rates": {e: rates[e] for e in present},
        },
    )
    if result_kind == "pandas":
        table._pandas = out
    return table


# ============================================================================================
# activity_costs: the cost to serve split by activity
# ============================================================================================


def activity_costs(
    data: pd.DataFrame,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    as_of=None,
    order_cost: float = 0.0,
    return_cost: float = 0.0,
    cost_rates: Mapping[str, float] | None = None,
    kind: str = "cost",
) -> pd.DataFrame:
    """The cost to serve of each customer split by activity: activity-based costing at the
    customer level (Cooper & Kaplan 1991, "Profit priorities from activity-based costing",
    *Harvard Business Review* 69(3):130–135; Kaplan & Cooper 1998, *Cost & Effect*).

    Same activities, rates and customers as :func:`customer_table` (and the same arguments):
    ``orders`` (positive lines) × ``order_cost``, ``returns`` (negative lines) × ``return_cost``
    and every service-event column × its rate in ``cost_rates`` (defaults
    :data:`DEFAULT_COST_RATES`; ``cost_rates`` may hold ``order_cost`` and ``return_cost`` too).
    Lines after ``as_of`` are left out, and only customers with a purchase on or before it are
    rows, in ``customer_id`` order, so the rows line up with ``customer_table(...).to_pandas()``
    and each row's costs add up to its ``cost_to_serve``.

    ``kind="cost"`` gives the cost of each activity (rate × volume), ``kind="volume"`` the
    activity volumes (the cost drivers: number of order and return lines, sum of each event
    column). Columns: ``customer_id`` and one column per activity with a positive rate
    (``orders``, ``returns``, then the event columns). pandas input only; a user's file is
    parsed and checked by :func:`clean_transactions` first.

    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "date": ["2024-01-02"] * 3,
    ...                     "amount": [100.0, -20.0, 50.0], "contacts": [1, 2, 0]})
    >>> activity_costs(log, order_cost=5, return_cost=30, cost_rates={"contacts": 20})
      customer_id  orders  returns  contacts
    0           a     5.0     30.0      60.0
    1           b     5.0      0.0       0.0
    """
    if kind not in ("cost", "volume"):
        raise ValueError(f"kind must be 'cost' or 'volume', not {kind!r}")
    order_cost, return_cost, cost_rates = _line_rates(order_cost, return_cost, cost_rates)
    for name, value in (("order_cost", order_cost), ("return_cost", return_cost)):
        if not math.isfinite(float(value)) or float(value) < 0:
            raise ValueError(f"{name} must be a finite number >= 0, not {value!r}")
    rates, required = _event_names(cost_rates)
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"activity_costs needs a pandas DataFrame, not {type(data).__name__}")
    events = list(
        dict.fromkeys(
            required + [e for e in DEFAULT_COST_RATES if _match(list(data.columns), e) is not None]
        )
    )
    tx, _ = clean_transactions(
        data, customer_id=customer_id, date=date, amount=amount, events=events
    )
    if as_of is not None:
        tx = tx[tx[date].dt.normalize() <= pd.Timestamp(_to_date(as_of))]
    a = tx[amount].to_numpy()
    drivers = {"orders": (a > 0).astype("float64"), "returns": (a < 0).astype("float64")}
    unit_rates = {"orders": float(order_cost), "returns": float(return_cost)}
    for e in events:
        drivers[e] = np.asarray(tx[e], dtype="float64")
        unit_rates[e] = rates[e]
    keep = [k for k, r in unit_rates.items() if r > 0]
    frame = pd.DataFrame(
        {k: drivers[k] * (unit_rates[k] if kind == "cost" else 1.0) for k in keep}, index=tx.index
    )
    frame["customer_id"] = tx[customer_id].to_numpy()
    buyers = pd.unique(tx.loc[a > 0, customer_id])
    out = frame.groupby("customer_id", sort=True)[keep].sum()
    out = out.loc[out.index.isin(buyers)].reset_index()
    return out.loc[:, ["customer_id", *keep]]
