"""``customer-value pyramid``: customer pyramid from a transaction log."""

from __future__ import annotations

from ..io import InputError
from ._common import (
    TransactionLog,
    add_log_options,
    check_output,
    cutoffs_arg,
    print_table,
    share_arg,
    shares_arg,
    write_csv,
)


def run(args) -> int:
    from .. import pyramid

    check_output(args)
    log = TransactionLog(args)
    method = args.method or "shares"
    shares = args.shares or (0.2, 0.3, 0.3, 0.2)
    try:
        table = log.table(args.as_of)
        frame = table.to_pandas()
        tiers = pyramid.assign_tiers(
            frame,
            method=method,
            shares=shares,
            cutoffs=args.cutoffs,
            value=args.value,
            seed=args.seed,
        )
        profile = pyramid.tier_profile(frame, tiers)
    except InputError as err:
        raise err.with_source(log.path) from None
    log.describe(table, as_of_given=args.as_of is not None)
    how = {
        "shares": "shares of customers " + "/".join(f"{s:.0%}" for s in shares),
        "cumulative": "cumulative shares of positive "
        + args.value
        + " "
        + "/".join(f"{c:.0%}" for c in args.cutoffs),
        "kmeans": f"k-means on the signed log of {args.value} (seed {args.seed})",
    }[method]
    print(f"\nCustomer pyramid 顾客金字塔 by {args.value}, {how} (Zeithaml, Rust & Lemon 2001):")
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
        profile[cols],
        percent=("share_customers", "share_revenue", "share_profit"),
        money=("revenue", "profit", "mean_profit", "avg_order_value"),
    )
    print(
        f"\nConcentration (Gini: Raffinetti, Siletti & Vernizzi 2015; whale curve: Cooper & "
        f"Kaplan 1991); profit basis: {table.profit_basis}"
    )
    try:
        conc = pyramid.concentration_summary(frame, x=args.top)
    except InputError as err:
        g_rev, g_profit = pyramid.gini(frame["revenue"]), pyramid.gini(frame["profit"])
        print(
            f"  no shares of profit ({err.detail}). Gini of revenue {g_rev:.3f}, of "
            f"profit {g_profit:.3f}"
        )
    else:
        conc = conc.reset_index().rename(
            columns={
                "top_share": f"top_{args.top:.0%}_share",
                "whale_peak_share_customers": "whale_peak_at",
            }
        )
        print_table(
            conc.drop(columns=["column", "top_x"]),
            money=("total",),
            digits=3,
            percent=(f"top_{args.top:.0%}_share", "whale_peak", "whale_peak_at"),
        )
        top = conc.set_index("measure")[f"top_{args.top:.0%}_share"]
        g = conc.set_index("measure")["gini"]
        print(
            f"The top {args.top:.0%} of customers hold {top['revenue']:.1%} of revenue and "
            f"{top['profit']:.1%} of profit; Gini {g['revenue']:.3f} (revenue), "
            f"{g['profit']:.3f} (profit)."
        )
    out = frame.copy()
    out.insert(1, "tier", tiers.astype(str).to_numpy())
    out.insert(2, "tier_zh", out["tier"].map(pyramid.TIER_NAMES_ZH))
    out.insert(3, "unprofitable", pyramid.flag_unprofitable(frame).to_numpy())
    write_csv(args, out)
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
