"""A user's transaction log file, read by the fastest route that is safe for it.

:func:`read_log` is what the command line and the report templates use: one object that reads a
file once and gives the customer tables an analysis needs (today, at a calibration date …).

* A clean CSV (UTF-8, year-first dates, plain numbers) or Parquet file is aggregated by DuckDB
  straight from the file (:func:`customer_table` on the path), so its size is bounded by disk,
  not memory.
* Anything else (GBK, amounts written as "¥1,234.50", other date formats, missing or bad cells,
  Excel) is read as text with :func:`customer_value.io.read_table` and parsed by
  :func:`clean_transactions`, which reports what it cleaned and names bad cells by file line;
  with ``on_invalid="drop"`` the rows are left out and counted.

Which files need the text route is decided by the library: :func:`customer_table` on a path
raises ``_NeedsCleaning`` for a file DuckDB cannot read as it is. Lines dated after ``as_of``
(default: today) are bad cells too: a date typed as 2099 ruins every model fitted on the log.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..io import InputError, read_table
from .cleaning import CleaningReport, clean_transactions
from .definitions import DEFAULT_COST_RATES, ZERO_AMOUNTS, _line_rates, _match
from .files import _NeedsCleaning
from .parsing import to_date
from .table import CustomerTable, customer_table


class TransactionLog:
    """A transaction log file and how to read it (see :func:`read_log`).

    Attributes
    ----------
    path : the file.
    cleaning : the :class:`CleaningReport` when the file was read as text, else None.
    note : why DuckDB could not aggregate the file as it is (then it was read as text).
    not_after : the last day a line may carry (``as_of``, or the day the log was read).
    """

    def __init__(
        self,
        path,
        *,
        customer_id: str = "customer_id",
        date: str = "date",
        amount: str = "amount",
        cost: str | None = None,
        margin: str | None = None,
        margin_rate: float | None = None,
        order_cost: float = 0.0,
        return_cost: float = 0.0,
        cost_rates: Mapping[str, float] | None = None,
        unit: str = "day",
        zero_amount: str = "order",
        on_invalid: str = "raise",
        as_of=None,
        sheet=0,
        encoding: str | None = None,
        threads: int | None = None,
        memory_limit: str | None = None,
    ):
        if margin_rate is not None and (cost or margin):
            raise InputError(
                "a margin rate is for logs without cost data; with a cost or margin column the "
                "gross margin comes from that column"
            )
        if on_invalid not in ("raise", "drop"):
            raise InputError(f"on_invalid must be 'raise' or 'drop', not {on_invalid!r}")
        if zero_amount not in ZERO_AMOUNTS:
            raise InputError(
                f"zero_amount must be one of {list(ZERO_AMOUNTS)}, not {zero_amount!r}"
            )
        self.path = str(path)
        self.columns = {"customer_id": customer_id, "date": date, "amount": amount}
        self.cost, self.margin, self.margin_rate = cost or None, margin or None, margin_rate
        self.order_cost, self.return_cost, rates = _line_rates(order_cost, return_cost, cost_rates)
        self.cost_rates = dict(rates or {})
        self.unit, self.zero_amount, self.on_invalid = unit, zero_amount, on_invalid
        self.as_of = None if as_of is None else to_date(as_of, "as_of")
        self.not_after = self.as_of or _dt.date.today()
        self.sheet, self.encoding = sheet, encoding
        self.threads, self.memory_limit = threads, memory_limit
        self.cleaning: CleaningReport | None = None
        self.note: str | None = None
        self._frame: pd.DataFrame | None = None
        self._con = None
        self._fast = self._fast_format()

    # -- how to read ------------------------------------------------------------------------
    def _fast_format(self) -> str | None:
        p = Path(self.path)
        if self.encoding or not p.exists():
            return None
        lower = self.path.lower()
        if p.is_dir() or lower.endswith((".parquet", ".pq")):
            return "parquet"
        if lower.endswith((".csv", ".tsv", ".txt")) and p.stat().st_size > 0:
            return "csv"
        return None

    def connection(self):
        """The DuckDB connection every table of this log is computed on (threads and memory
        limit as given; beyond the limit DuckDB spills to disk)."""
        if self._con is None:
            import duckdb

            config = {"preserve_insertion_order": False}
            if self.threads:
                config["threads"] = self.threads
            if self.memory_limit:
                config["memory_limit"] = self.memory_limit
            try:
                self._con = duckdb.connect(config=config)
            except duckdb.Error as err:
                raise InputError(
                    "cannot set up DuckDB with these threads/memory limit: "
                    f"{str(err).splitlines()[0]}"
                ) from None
        return self._con

    def transactions(self) -> pd.DataFrame:
        """The log read as text and parsed by :func:`clean_transactions` (once): one typed row
        per usable line, columns renamed to the names asked for."""
        if self._frame is None:
            df = read_table(
                self.path, sheet=self.sheet, encoding=self.encoding, bad_rows=self.on_invalid
            )
            events = list(self.cost_rates) + [
                e
                for e in DEFAULT_COST_RATES
                if e not in self.cost_rates and _match(list(df.columns), e) is not None
            ]
            self._frame, self.cleaning = clean_transactions(
                df,
                **self.columns,
                cost=self.cost,
                margin=self.margin,
                on_invalid=self.on_invalid,
                events=events,
                not_after=self.not_after,
            )
        return self._frame

    def _kwargs(self, as_of) -> dict:
        return {
            **self.columns,
            "cost": self.cost,
            "margin": self.margin,
            "as_of": as_of,
            "unit": self.unit,
            "margin_rate": 1.0 if self.margin_rate is None else self.margin_rate,
            "order_cost": self.order_cost,
            "return_cost": self.return_cost,
            "cost_rates": self.cost_rates or None,
            "zero_amount": self.zero_amount,
        }

    # -- the customer table ------------------------------------------------------------------
    def table(self, as_of=None) -> CustomerTable:
        """:func:`customer_table` of the log observed up to ``as_of`` (default: the log's
        ``as_of``, else the day after the last line). Raises an InputError when no customer has
        a purchase by then."""
        as_of = self.as_of if as_of is None else to_date(as_of, "as_of")
        kwargs = self._kwargs(as_of)
        table = None
        if self._fast:
            try:
                table = customer_table(
                    self.path, engine=self.connection(), not_after=self.not_after, **kwargs
                )
            except _NeedsCleaning as err:
                self.note = (
                    f"DuckDB cannot aggregate the file as it is ({err.reason}); it is read as "
                    "text and cleaned instead"
                )
                self._fast = None
        if table is None:
            table = customer_table(self.transactions(), engine=self.connection(), **kwargs)
        if len(table.data) == 0:
            raise InputError(
                f"no customer has a purchase on or before {table.as_of}", source=self.path
            )
        table.settings["as_of_default"] = as_of is None
        return table

    def first_and_last_dates(self) -> tuple[_dt.date, _dt.date]:
        """The first and the last day of the usable lines (reads the log as text if needed)."""
        if self.cleaning is None:
            self.transactions()
        return self.cleaning.first_date, self.cleaning.last_date

    def describe(self, table: CustomerTable) -> list[str]:
        """How the log was read, its customers and period, the profit basis and the cost to
        serve, as lines of text for a command's output or a report's data section."""
        lines = []
        if self.note:
            lines.append(f"note: {self.path}: {self.note}")
        if self.cleaning is not None:
            lines += str(self.cleaning).splitlines()
        else:
            lines.append(
                f"{self.path}: aggregated by DuckDB straight from the file (typed columns, "
                "nothing to clean)"
            )
        frame = table.to_pandas()
        first, last = frame["first_purchase"].min(), frame["last_purchase"].max()
        n = len(frame)
        lines.append(
            f"{n:,} customer{'s' if n != 1 else ''} with purchases from {first:%Y-%m-%d} "
            f"to {last:%Y-%m-%d}; observed up to {table.as_of}"
            + (" (the day after the last line)" if table.settings.get("as_of_default") else "")
        )
        basis = table.profit_basis
        if self.cost or self.margin:
            basis += f" (column {self.cost or self.margin!r})"
        elif self.margin_rate is None:
            basis += "; give a cost, margin or margin-rate for a real margin"
        lines.append(f"profit basis: {basis}")
        s = table.settings
        parts = [
            f"{s['order_cost']:g} per order line" if s["order_cost"] else "",
            f"{s['return_cost']:g} per return line" if s["return_cost"] else "",
        ] + [f"{rate:g} per unit of {name!r}" for name, rate in s["cost_rates"].items() if rate]
        parts = [p for p in parts if p]
        lines.append("cost to serve: " + ("; ".join(parts) if parts else "none"))
        if self.zero_amount == "ignore":
            lines.append("lines with amount 0 are not orders (zero_amount='ignore')")
        return lines


def read_log(path, **options) -> TransactionLog:
    """A user's transaction log file, ready to give customer tables (see :class:`TransactionLog`
    for the options: the columns, the costs, ``unit``, ``zero_amount``, ``on_invalid``,
    ``as_of``, the file's ``sheet`` and ``encoding``, DuckDB's ``threads`` and
    ``memory_limit``).

    >>> from customer_value import paths
    >>> log = read_log(paths.resolve("datasets/retail_transactions.csv"), cost="cost")
    >>> table = log.table()
    >>> len(table.to_pandas()), table.as_of.isoformat()
    (20000, '2025-01-01')
    """
    return TransactionLog(path, **options)
