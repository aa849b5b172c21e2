"""``customer-value customers``: customer table from a transaction log."""

from __future__ import annotations

from ..io import InputError
from ._common import (
    add_log_options,
    check_output,
    for_the_command_line,
    open_log,
    print_table,
    write_csv,
)


def run(args) -> int:
    check_output(args, inputs=[args.transactions])
    log = open_log(args)
    try:
        table = log.table()
    except InputError as err:
        raise for_the_command_line(err).with_source(log.path) from None
    print("\n".join(log.describe(table)))
    frame = table.to_pandas()
    print("\ntotals:")
    print_table(
        table.summary(),
        money=("revenue", "gross_margin", "cost_to_serve", "profit"),
        percent=("share_negative_profit",),
    )
    dist = table.distribution()
    print("\nper customer:")
    print_table(dist, money=[c for c in dist.columns if c != "column"])
    write_csv(args, frame, inputs=[args.transactions])
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
