"""``customer-value customers``: customer table from a transaction log."""

from __future__ import annotations

from ..io import InputError
from ._common import TransactionLog, add_log_options, check_output, print_table, write_csv


def run(args) -> int:
    check_output(args)
    log = TransactionLog(args)
    try:
        table = log.table(args.as_of)
    except InputError as err:
        raise err.with_source(log.path) from None
    log.describe(table, as_of_given=args.as_of is not None)
    frame = table.to_pandas()
    print("\ntotals:")
    print_table(
        table.summary(),
        money=("revenue", "gross_margin", "cost_to_serve", "profit"),
        percent=("share_negative_profit",),
    )
    cols = [
        "orders",
        "purchase_days",
        "returns",
        "revenue",
        "gross_margin",
        "cost_to_serve",
        "profit",
    ]
    dist = frame[cols].describe(percentiles=[0.1, 0.5, 0.9]).T
    dist = dist[["mean", "min", "10%", "50%", "90%", "max"]].rename(columns={"50%": "median"})
    print("\nper customer:")
    print_table(dist.rename_axis("column").reset_index(), money=list(dist.columns))
    write_csv(args, frame)
    return 0


def add_parser(sub) -> None:
    c = sub.add_parser(
        "customers",
        help="customer table from a transaction log (交易明细 → 顾客表)",
        description="Aggregate a transaction log to one row per customer: orders, "
        "purchase days, returns, revenue, gross margin, cost to serve, "
        "profit and the BTYD inputs (frequency, recency, T, monetary). "
        "A messy file (GBK, ¥1,234.50, mixed date formats) is cleaned "
        "and the cleaning reported; bad cells are an error naming file, "
        "column and lines, or are dropped with --on-invalid drop.",
    )
    add_log_options(c, unit="day", out_help="write the customer table to this CSV")
    c.set_defaults(func=run)
