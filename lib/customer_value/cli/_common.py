"""What the subcommands share: the transaction-log options and how the log is opened, printing
and writing results. Argument types are in ``_args``."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..io import InputError
from ._args import (
    count_arg,
    cutoffs_arg,
    date_arg,
    discount_arg,
    nonneg_number,
    number,
    numbers_arg,
    rate_arg,
    share_arg,
    shares_arg,
)

#: Default --horizon of `clv`: one year in each --unit.
ONE_YEAR = {"day": 365, "week": 52, "month": 12, "year": 1}

__all__ = [
    "ONE_YEAR",
    "add_log_options",
    "add_output_options",
    "check_output",
    "check_path",
    "count_arg",
    "cutoffs_arg",
    "date_arg",
    "discount_arg",
    "for_the_command_line",
    "nonneg_number",
    "number",
    "numbers_arg",
    "open_log",
    "print_table",
    "rate_arg",
    "share_arg",
    "shares_arg",
    "write_csv",
]


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
        help="cost per order line (default: 0)",
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
        help="end of the observation period (default: the day after the last line). A line "
        "dated after it (after today without --as-of) is an error, e.g. a date typed as "
        "2099: it would ruin every model; with --on-invalid drop it is left out and counted",
    )
    r.add_argument(
        "--zero-amount",
        choices=["order", "ignore"],
        default="order",
        help="what a line with amount 0 is: order (default) — a free or fully discounted "
        "order, a purchase like any other (it adds no spend); ignore — not an order (e.g. "
        "logged service contacts; their events still count in the cost to serve). A purchase "
        "is a customer-day with an order whatever its value; negative lines are returns, "
        "netted against a purchase on the same day",
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
    add_output_options(p, out_help)


def open_log(args):
    """The library's :func:`customer_value.customers.read_log` with the command's options."""
    from ..customers import read_log

    rates = dict(args.rate or [])
    costs = {"order_cost": args.order_cost, "return_cost": args.return_cost}
    for key, flag in (("order_cost", "--order-cost"), ("return_cost", "--return-cost")):
        if key in rates:  # --rate order_cost=5, as in RETAIL_COST_RATES
            if costs[key]:
                raise InputError(f"{key} is given twice: as --rate {key}=... and {flag}")
            costs[key] = rates.pop(key)
    if args.margin_rate is not None and (args.cost or args.margin):
        raise InputError(
            "--margin-rate is for logs without cost data; with --cost or --margin the gross "
            "margin comes from that column"
        )
    return read_log(
        args.transactions,
        customer_id=args.customer_id,
        date=args.date,
        amount=args.amount,
        cost=args.cost,
        margin=args.margin,
        margin_rate=args.margin_rate,
        cost_rates=rates,
        unit=args.unit,
        zero_amount=args.zero_amount,
        on_invalid=args.on_invalid,
        as_of=args.as_of,
        sheet=args.sheet,
        encoding=args.encoding,
        threads=args.threads,
        memory_limit=args.memory_limit,
        **costs,
    )


def for_the_command_line(err: InputError) -> InputError:
    """The library's advice in the command's words (options instead of arguments)."""
    text = err.detail
    for library, option in (
        ('pass on_invalid="drop"', "run again with --on-invalid drop"),
        ("set the end of the period (as_of) later", "give a later --as-of"),
        ("use model='simple'", "use --model simple"),
    ):
        text = text.replace(library, option)
    return InputError(text, source=err.source, columns=err.columns)


def check_path(path, *, force: bool, inputs=(), option: str = "--out") -> None:
    """Refuse, before any work, an output that is an input, a directory, or that exists
    without --force."""
    if not path:
        return
    out = Path(path)
    for src in inputs:
        if out.exists() and Path(src).exists() and out.resolve() == Path(src).resolve():
            raise InputError(
                f"{option} {path} is the input file; the input is never overwritten: "
                "choose another name"
            )
    if out.is_dir():
        raise InputError(f"{option} {path} is a directory; give a file name")
    if out.exists() and not force:
        raise InputError(f"{path} exists; use --force to overwrite it")


def check_output(args, inputs=()) -> None:
    """:func:`check_path` of the command's --out."""
    check_path(getattr(args, "out", None), force=args.force, inputs=inputs)


def write_csv(args, frame, inputs=()) -> None:
    """Write --out (if given): atomically, refusing to overwrite an input, with spreadsheet
    formulas in text cells neutralised unless --no-safe-csv."""
    from ..io import write_csv as _write

    if args.out:
        _write(
            frame,
            args.out,
            force=args.force,
            safe=not getattr(args, "no_safe_csv", False),
            inputs=inputs,
            date_format="%Y-%m-%d",
            float_format="%.12g",
        )
        print(f"wrote {args.out} ({len(frame):,} row{'s' if len(frame) != 1 else ''})")


def add_output_options(p, out_help: str) -> None:
    """--out, --force and --no-safe-csv: the options of every command that writes a CSV."""
    o = p.add_argument_group("output")
    o.add_argument("--out", metavar="CSV", help=out_help)
    o.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    o.add_argument(
        "--no-safe-csv",
        action="store_true",
        help="write text cells as they are: by default a cell that starts with = + - @ (which "
        "Excel would run as a formula, e.g. =HYPERLINK(...)) gets a leading ' (OWASP advice "
        "on CSV injection); use this for machine-readable output",
    )


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
