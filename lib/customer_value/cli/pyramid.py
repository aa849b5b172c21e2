"""``customer-value pyramid``: customer pyramid from a transaction log."""

from __future__ import annotations

from ..io import InputError
from ._common import (
    add_log_options,
    check_output,
    cutoffs_arg,
    for_the_command_line,
    open_log,
    print_table,
    share_arg,
    shares_arg,
    write_csv,
)


def run(args) -> int:
    from .. import pyramid

    check_output(args, inputs=[args.transactions])
    log = open_log(args)
    method = args.method or "shares"
    shares = args.shares or (0.2, 0.3, 0.3, 0.2)
    try:
        table = log.table()
        frame = table.to_pandas()
        result = pyramid.build(
            frame,
            method=method,
            shares=shares,
            cutoffs=args.cutoffs,
            value=args.value,
            seed=args.seed,
            top=args.top,
        )
    except InputError as err:
        raise for_the_command_line(err).with_source(log.path) from None
    print("\n".join(log.describe(table)))
    print(
        f"\nCustomer pyramid 顾客金字塔 by {args.value}: {result.description} "
        "(Zeithaml, Rust & Lemon 2001):"
    )
    cols = [
        "tier",
        "tier_zh",
        "customers",
        "share_customers",
        "revenue",
        "share_revenue",
        "profit",
        "share_profit",
        "mean_profit",
        "unprofitable",
        "avg_order_value",
        "mean_orders",
        "mean_recency_days",
    ]
    print_table(
        result.profile[cols],
        percent=("share_customers", "share_revenue", "share_profit"),
        money=("revenue", "profit", "mean_profit", "avg_order_value"),
    )
    print(
        f"\nConcentration (Gini: Raffinetti, Siletti & Vernizzi 2015; whale curve: Cooper & "
        f"Kaplan 1991); profit basis: {table.profit_basis}"
    )
    conc = result.concentration
    top, g = conc["top_share"], conc["gini"]
    if not result.positive_profit:
        print(
            f"  no shares of profit (total profit is {conc.loc['profit', 'total']:,.2f}, not "
            f"positive). Gini of revenue {g['revenue']:.3f}, of profit {g['profit']:.3f}"
        )
    else:
        label = f"top_{args.top:.0%}_share"
        shown = conc.reset_index().rename(
            columns={"top_share": label, "whale_peak_share_customers": "whale_peak_at"}
        )
        print_table(
            shown.drop(columns=["column", "top_x"]),
            money=("total",),
            digits=3,
            percent=(label, "whale_peak", "whale_peak_at"),
        )
        print(
            f"The top {args.top:.0%} of customers hold {top['revenue']:.1%} of revenue and "
            f"{top['profit']:.1%} of profit; Gini {g['revenue']:.3f} (revenue), "
            f"{g['profit']:.3f} (profit)."
        )
    write_csv(args, result.to_frame(), inputs=[args.transactions])
    return 0


def add_parser(sub) -> None:
    py = sub.add_parser(
        "pyramid",
        help="customer pyramid (platinum/gold/iron/lead) and concentration of revenue and profit",
        description="Tier customers by profit (Zeithaml, Rust & Lemon 2001): "
        "prints each tier's size, revenue and profit, the Gini and "
        "the top-20% shares of revenue and profit and the whale-curve "
        "peak; writes each customer's tier.",
    )
    add_log_options(
        py, unit="day", out_help="write the customer table with each customer's tier to this CSV"
    )
    t = py.add_argument_group("tiers")
    how = t.add_mutually_exclusive_group()
    how.add_argument(
        "--shares",
        type=shares_arg,
        metavar="P,G,I,L",
        help="shares of customers in platinum, gold, iron, lead, best first "
        "(default: 0.2,0.3,0.3,0.2; percentages work too)",
    )
    how.add_argument(
        "--method",
        choices=["shares", "cumulative", "kmeans"],
        help="shares (default): fixed shares of customers; cumulative: by "
        "cumulative share of positive profit (--cutoffs), lead = profit <= 0; "
        "kmeans: four clusters of the signed log of profit",
    )
    t.add_argument(
        "--cutoffs",
        type=cutoffs_arg,
        default=(0.5, 0.8, 1.0),
        metavar="P,G,I",
        help="--method cumulative: cumulative shares of positive profit that end "
        "platinum, gold and iron (default: 0.5,0.8,1.0)",
    )
    t.add_argument(
        "--value",
        default="profit",
        choices=["profit", "gross_margin", "revenue", "gross_sales"],
        help="what ranks customers (default: profit; the pyramid ranks by "
        "profitability, not revenue)",
    )
    t.add_argument("--seed", type=int, default=0, help="seed of --method kmeans (default: 0)")
    t.add_argument(
        "--top",
        type=share_arg,
        default=0.2,
        metavar="X",
        help="share of top customers in the concentration table (default: 0.2)",
    )
    py.set_defaults(func=run)
