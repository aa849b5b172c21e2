"""What the subcommands share: argument types, the transaction-log options, printing and
writing results."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..io import InputError

#: Default --horizon of `clv`: one year in each --unit.
ONE_YEAR = {"day": 365, "week": 52, "month": 12, "year": 1}


def number(text: str) -> float:
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, not {text!r}")
    return value


def nonneg_number(text: str) -> float:
    value = number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, not {text!r}")
    return value


def discount_arg(text: str) -> float:
    value = number(text)
    if value <= -1:
        raise argparse.ArgumentTypeError(
            f"must be a rate > -1 (e.g. 0.01 for 1% per period), not {text!r}"
        )
    return value


def share_arg(text: str) -> float:
    value = number(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be a share between 0 and 1, not {text!r}")
    return value


def count_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, not {text!r}")
    return value


def date_arg(text: str):
    from ..customers import _to_date

    try:
        return _to_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date: {text!r} (write it year first, e.g. 2024-12-31)"
        ) from None


def rate_arg(text: str) -> tuple[str, float]:
    name, sep, rate = text.rpartition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"write COLUMN=RATE, e.g. contacts=20, not {text!r}")
    return name.strip(), nonneg_number(rate)


def numbers_arg(text: str, k: int, what: str) -> tuple[float, ...]:
    try:
        values = tuple(number(v) for v in text.split(","))
    except argparse.ArgumentTypeError:
        values = ()
    if len(values) != k:
        raise argparse.ArgumentTypeError(
            f"give {k} numbers separated by commas ({what}), not {text!r}"
        )
    return values


def shares_arg(text: str) -> tuple[float, ...]:
    from ..pyramid import _check_shares

    shares = numbers_arg(text, 4, "platinum, gold, iron, lead")
    if abs(sum(shares) - 100) < 1e-6:  # 20,30,30,20 (percent)
        shares = tuple(s / 100 for s in shares)
    try:
        return tuple(float(s) for s in _check_shares(shares))
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def cutoffs_arg(text: str) -> tuple[float, ...]:
    from ..pyramid import _check_cutoffs

    cutoffs = numbers_arg(text, 3, "platinum, gold, iron")
    try:
        return tuple(float(c) for c in _check_cutoffs(cutoffs))
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def add_log_options(p: argparse.ArgumentParser, *, unit: str, out_help: str) -> None:
    """The options shared by the commands that read a transaction log (customers, pyramid,
    clv): the file, its columns, the cost-to-serve rates, how it is read, the output."""
    from ..customers import UNITS

    p.add_argument(
        "transactions",
        help="transaction log, one row per line: CSV (UTF-8 or GBK/GB18030, any "
        "delimiter), .xlsx or .parquet",
    )
    c = p.add_argument_group(
        "columns (names matched ignoring case; Chinese names work, e.g. --customer-id 客户编号)"
    )
    c.add_argument(
        "--customer-id",
        default="customer_id",
        metavar="COLUMN",
        help="customer ID column (default: %(default)s)",
    )
    c.add_argument(
        "--date",
        default="date",
        metavar="COLUMN",
        help="date of the line, year first: 2024-03-05, 2024/3/5, 20240305, "
        "2024年3月5日, optionally with a time (default: %(default)s)",
    )
    c.add_argument(
        "--amount",
        default="amount",
        metavar="COLUMN",
        help="money of the line, e.g. 1234.5, ¥1,234.50, (12.50); negative = a "
        "return (default: %(default)s)",
    )
    m = c.add_mutually_exclusive_group()
    m.add_argument(
        "--cost", metavar="COLUMN", help="cost of goods of each line: gross margin = revenue - cost"
    )
    m.add_argument("--margin", metavar="COLUMN", help="gross margin of each line")
    k = p.add_argument_group("profit = gross margin - cost to serve (activity-based costing)")
    k.add_argument(
        "--margin-rate",
        type=number,
        metavar="R",
        help="without --cost or --margin: gross margin = revenue x R (default 1, "
        "i.e. revenue; the output labels the profit basis)",
    )
    k.add_argument(
        "--order-cost",
        type=nonneg_number,
        default=0.0,
        metavar="X",
        help="cost per order line (positive amount) (default: 0)",
    )
    k.add_argument(
        "--return-cost",
        type=nonneg_number,
        default=0.0,
        metavar="X",
        help="cost per return line (negative amount) (default: 0)",
    )
    k.add_argument(
        "--rate",
        type=rate_arg,
        action="append",
        metavar="COLUMN=RATE",
        help="cost per unit of a service-event column, repeatable: --rate "
        "contacts=20 --rate 配送=25. Columns named contacts, deliveries and "
        "discount are used when present, at 0, 0 and 1 per unit",
    )
    r = p.add_argument_group("reading")
    r.add_argument(
        "--as-of",
        type=date_arg,
        metavar="DATE",
        help="end of the observation period: later lines are ignored (default: the "
        "day after the last line)",
    )
    r.add_argument(
        "--unit",
        choices=list(UNITS),
        default=unit,
        help="time unit of recency and T in the BTYD columns (default: %(default)s)",
    )
    r.add_argument(
        "--on-invalid",
        choices=["raise", "drop"],
        default="raise",
        help="raise (default): refuse a file with unusable cells (bad dates or "
        "amounts, missing IDs), naming file, column and lines; drop: leave "
        "those rows out and report them",
    )
    r.add_argument("--sheet", default=0, help="Excel sheet name or index (default: first)")
    r.add_argument(
        "--encoding", help="CSV encoding (default: detected: UTF-8, UTF-16, GB18030/GBK)"
    )
    r.add_argument(
        "--threads", type=count_arg, metavar="N", help="DuckDB threads (default: one per core)"
    )
    r.add_argument(
        "--memory-limit",
        metavar="SIZE",
        help="DuckDB memory limit, e.g. 2GB (beyond it, large files spill to .tmp/ in the "
        "current directory)",
    )
    o = p.add_argument_group("output")
    o.add_argument("--out", metavar="CSV", help=out_help)
    o.add_argument("--force", action="store_true", help="overwrite --out if it exists")


class TransactionLog:
    """A user's transaction log, read once for the customer tables a command needs.

    A clean CSV (UTF-8, year-first dates, plain numbers) or Parquet file is aggregated by DuckDB
    straight from the file (``customers.customer_table`` on the path), so its size is bounded by
    disk, not memory. Anything else (GBK, amounts written as "¥1,234.50", other date formats,
    missing or bad cells, Excel) is read as text with ``io.read_table`` and parsed by
    ``customers.clean_transactions``, which reports what it cleaned and names bad cells by line;
    which files need that is decided by the library (see ``_fast_table``).
    """

    def __init__(self, args):
        self.args = args
        self.path = str(args.transactions)
        if args.margin_rate is not None and (args.cost or args.margin):
            raise InputError(
                "--margin-rate is for logs without cost data; with --cost or "
                "--margin the gross margin comes from that column"
            )
        rates = dict(args.rate or [])
        self.order_cost, self.return_cost = args.order_cost, args.return_cost
        for key, flag in (("order_cost", "--order-cost"), ("return_cost", "--return-cost")):
            if key in rates:  # --rate order_cost=5, as in RETAIL_COST_RATES
                if getattr(args, key):
                    raise InputError(f"{key} is given twice: as --rate {key}=... and {flag}")
                setattr(self, key, rates.pop(key))
        self.rates = rates
        self.report = None  # customers.CleaningReport when read as text
        self.note = None  # why DuckDB could not read the file as it is
        self._frame = None
        self._con = None
        self._fast = self._fast_format()

    # -- how to read ---------------------------------------------------------------------
    def _fast_format(self) -> str | None:
        p = Path(self.path)
        if self.args.encoding or not p.exists():
            return None
        lower = self.path.lower()
        if p.is_dir() or lower.endswith((".parquet", ".pq")):
            return "parquet"
        if lower.endswith((".csv", ".tsv", ".txt")) and p.stat().st_size > 0:
            return "csv"
        return None

    def connection(self):
        if self._con is None:
            import duckdb

            config = {"preserve_insertion_order": False}
            if self.args.threads:
                config["threads"] = self.args.threads
            if self.args.memory_limit:
                config["memory_limit"] = self.args.memory_limit
            try:
                self._con = duckdb.connect(config=config)
            except duckdb.Error as err:
                raise InputError(
                    f"cannot set up DuckDB with --threads/--memory-limit: "
                    f"{str(err).splitlines()[0]}"
                ) from None
        return self._con

    def _fast_table(self, kwargs: dict):
        """The customer table computed by DuckDB straight from the file, or None (and a note)
        when the library finds that the file needs the text reader (``customers._NeedsCleaning``:
        not UTF-8, day-first or month-first dates, text in a number column, missing cells).
        ``customer_table`` on the path reads IDs as text (007 and 7 stay two customers); missing
        or duplicated columns and unreadable Parquet files are an error right away."""
        from ..customers import _NeedsCleaning, customer_table

        try:
            return customer_table(self.path, engine=self.connection(), **kwargs)
        except _NeedsCleaning as err:
            self.note = (
                f"DuckDB cannot aggregate the file as it is ({err.reason}); it is read "
                "as text and cleaned instead"
            )
            self._fast = None
            return None

    def _text(self):
        """The log read as text and parsed by clean_transactions (once)."""
        if self._frame is None:
            from ..customers import DEFAULT_COST_RATES, _match, clean_transactions
            from ..io import read_table

            a = self.args
            df = read_table(self.path, sheet=a.sheet, encoding=a.encoding)
            events = list(self.rates) + [
                e
                for e in DEFAULT_COST_RATES
                if e not in self.rates and _match(list(df.columns), e) is not None
            ]
            try:
                self._frame, self.report = clean_transactions(
                    df,
                    customer_id=a.customer_id,
                    date=a.date,
                    amount=a.amount,
                    cost=a.cost,
                    margin=a.margin,
                    on_invalid=a.on_invalid,
                    events=events,
                )
            except InputError as err:
                if 'on_invalid="drop"' not in err.detail:
                    raise
                raise InputError(
                    err.detail.replace(
                        'pass on_invalid="drop"', "run again with --on-invalid drop"
                    ),
                    source=err.source,
                    columns=err.columns,
                ) from None
        return self._frame

    # -- the customer table ----------------------------------------------------------------
    def table(self, as_of=None):
        """customers.customer_table of the log, observed up to ``as_of`` (default: the day
        after the last line), with the command's columns, costs and --unit."""
        from ..customers import customer_table

        a = self.args
        kwargs = {
            "customer_id": a.customer_id,
            "date": a.date,
            "amount": a.amount,
            "cost": a.cost,
            "margin": a.margin,
            "as_of": as_of,
            "unit": a.unit,
            "margin_rate": 1.0 if a.margin_rate is None else a.margin_rate,
            "order_cost": self.order_cost,
            "return_cost": self.return_cost,
            "cost_rates": self.rates or None,
        }
        table = self._fast_table(kwargs) if self._fast else None
        if table is None:
            table = customer_table(self._text(), engine=self.connection(), **kwargs)
        if len(table.data) == 0:
            raise InputError(
                f"no customer has a purchase (a line with a positive amount) on "
                f"or before {table.as_of}",
                source=self.path,
            )
        return table

    def describe(self, table, *, as_of_given: bool) -> None:
        """Print how the log was read, the customers, the period and the profit basis."""
        if self.note:
            print(f"note: {self.path}: {self.note}")
        if self.report is not None:
            print(self.report)
        else:
            print(
                f"{self.path}: aggregated by DuckDB straight from the file (typed columns, "
                "nothing to clean)"
            )
        frame = table.data  # pandas: file and pandas input give pandas
        first, last = frame["first_purchase"].min(), frame["last_purchase"].max()
        n = len(frame)
        print(
            f"{n:,} customer{'s' if n != 1 else ''} with purchases from {first:%Y-%m-%d} "
            f"to {last:%Y-%m-%d}; observed up to {table.as_of}"
            + ("" if as_of_given else " (the day after the last line; see --as-of)")
        )
        basis = table.profit_basis
        if self.args.cost or self.args.margin:
            basis += f" (column {self.args.cost or self.args.margin!r})"
        elif self.args.margin_rate is None:
            basis += "; give --cost, --margin or --margin-rate for a real margin"
        print(f"profit basis: {basis}")
        s = table.settings
        parts = [
            f"{s['order_cost']:g} per order line" if s["order_cost"] else "",
            f"{s['return_cost']:g} per return line" if s["return_cost"] else "",
        ]
        parts += [
            f"{rate:g} per unit of {name!r}" for name, rate in s["cost_rates"].items() if rate
        ]
        parts = [p for p in parts if p]
        print(
            "cost to serve: "
            + ("; ".join(parts) if parts else "none (no --order-cost, --return-cost or --rate)")
        )


def check_output(args) -> None:
    if not args.out:
        return
    out = Path(args.out)
    if out.exists() and out.resolve() == Path(args.transactions).resolve():
        raise InputError(
            f"--out {args.out} is the input file; the input is never overwritten: "
            "choose another name"
        )
    if out.exists() and not args.force:
        raise InputError(f"{args.out} exists; use --force to overwrite it")


def write_csv(args, frame) -> None:
    from ..io import atomic_write

    if args.out:
        with atomic_write(args.out, force=args.force) as fh:
            frame.to_csv(fh, index=False, date_format="%Y-%m-%d", float_format="%.12g")
        print(f"wrote {args.out} ({len(frame):,} row{'s' if len(frame) != 1 else ''})")


def print_table(df, *, percent=(), money=(), digits: int = 4, index: bool = False) -> None:
    """Print a small result table: percentages, money with thousands separators, other
    numbers to ``digits`` significant digits."""
    import pandas as pd

    show = df.copy()
    for c in show.columns:
        col = show[c]
        if c in percent:
            show[c] = col.map(lambda v: "" if pd.isna(v) else f"{v:.1%}")
        elif c in money:
            show[c] = col.map(lambda v: "" if pd.isna(v) else f"{v:,.2f}")
        elif pd.api.types.is_bool_dtype(col):
            continue
        elif pd.api.types.is_integer_dtype(col):
            show[c] = col.map(lambda v: f"{v:,}")
        elif pd.api.types.is_float_dtype(col):
            show[c] = col.map(lambda v: "" if pd.isna(v) else f"{v:,.{digits}g}")
    with pd.option_context(
        "display.max_rows", 500, "display.width", 250, "display.max_columns", 50
    ):
        print(show.to_string(index=index))
