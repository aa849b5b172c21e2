"""Cleaning a transaction log as users keep it: :func:`clean_transactions` and its report."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._util import source_of
from ..io import InputError, example_rows
from .definitions import DEFAULT_COST_RATES, _resolve
from .parsing import _blank, _parse_dates, _parse_numbers, to_date

#: Largest absolute amount accepted in a money or service-event cell.
MAX_AMOUNT = 1e15


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
    if any(it.reason.startswith("dated after") for it in issues):
        lines.append(
            "A date after the end of the observation period is a typing error or a future "
            "order; correct it, or set the end of the period (as_of) later."
        )
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
    not_after=None,
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
    not_after : a date; lines dated after it are a problem (a date typed as 2099 ruins every
        model fitted on the log). The command line passes ``--as-of``, or today.

    What is parsed
    --------------
    * ids: surrounding spaces removed; blank or missing ids are a problem.
    * amounts (and cost, margin, events): thousands separators ``1,234.50``, currency signs and
      codes (``¥ $ € £ 元 RMB CNY USD ...``), spaces, full-width digits (Unicode NFKC), a minus
      sign or parentheses ``(12.50)`` for negatives. A comma that is not a thousands separator
      (``12,5``) is a problem, not guessed. Missing amounts, costs or margins are a problem;
      negative service events are a problem; so are amounts beyond ±10¹⁵ (``1e308``), which no
      ledger holds and whose sums overflow.
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
        raise InputError(f"on_invalid must be 'raise' or 'drop', not {on_invalid!r}")
    if cost is not None and margin is not None:
        raise InputError("give either cost= (cost of goods) or margin= (gross margin), not both")
    limit = None if not_after is None else to_date(not_after, "not_after")
    source = source_of(df)
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
    if limit is not None:
        day = np.asarray(dates, dtype="datetime64[ns]").astype("datetime64[D]")
        late = ~np.isnat(day) & (day > np.datetime64(limit, "D"))
        if late.any():
            issues.append(_Issue(cols[date], f"dated after {limit}", late))
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
        huge = ~invalid & ~missing & (np.abs(np.asarray(x, dtype="float64")) > MAX_AMOUNT)
        if huge.any():
            issues.append(_Issue(col, f"beyond ±{MAX_AMOUNT:.0e} (not a plausible amount)", huge))
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
    # rows the file reader already left out (ragged rows, with on_invalid="drop")
    before = (df.attrs.get("customer_value_source") or {}).get("dropped") or {}
    report = CleaningReport(
        rows_read=n + sum(before.values()),
        rows_used=len(out),
        rows_dropped={**before, **dropped},
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
