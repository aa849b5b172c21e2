"""``customer-value experience-curve``: fit an experience curve (Wright's law) to a cost series."""

from __future__ import annotations

import argparse

from ._common import add_output_options, check_output, number, write_csv


def level_arg(text: str) -> float:
    value = number(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1 (e.g. 0.95), not {text!r}")
    return value


def volume_arg(text: str) -> float:
    value = number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a cumulative volume > 0, not {text!r}")
    return value


def run(args) -> int:
    from .. import profit_models as pm
    from ..io import read_table

    check_output(args, inputs=[args.data])
    data = read_table(args.data, sheet=args.sheet, encoding=args.encoding)
    fit = pm.fit_experience_curve(
        data,
        cost=args.cost,
        cumulative=args.cumulative,
        includes_current=args.includes_current,
        production=args.volume,
        alpha=1 - args.level,
    )
    print(f"{args.data}: cost column {args.cost!r}")
    print(fit.to_text(forecast=args.forecast))
    write_csv(args, fit.estimates_table(forecast=args.forecast), inputs=[args.data])
    return 0


def add_parser(sub) -> None:
    xc = sub.add_parser(
        "experience-curve",
        help="fit Wright's law (经验曲线) to a cost series: learning rate",
        description="Fit log cost = a + b·log(cumulative volume) by OLS and print b, the "
        "progress ratio 2^b and the learning rate 1 − 2^b with confidence "
        "intervals, R², n and which cumulative count was used (before or including "
        "the current period: the learning rate differs). Sources: Wright (1936); "
        "Nagy, Farmer, Bui & Trancik (2013), PLOS ONE 8(2):e52669.",
        epilog="example: customer-value experience-curve datasets/pv_modules_experience_curve.csv "
        "--cost price_usd_per_wp --cumulative cumulative_before_mwp --forecast 5000 "
        "--forecast 10000",
    )
    xc.add_argument(
        "data", metavar="DATA", help="CSV (UTF-8/GBK, any delimiter), .xlsx or .parquet"
    )
    xc.add_argument("--cost", required=True, metavar="COL", help="unit cost or price column (> 0)")
    xc.add_argument(
        "--cumulative",
        required=True,
        metavar="COL",
        help="cumulative volume column; by default it counts production BEFORE each period",
    )
    count = xc.add_mutually_exclusive_group()
    count.add_argument(
        "--includes-current",
        action="store_true",
        help="the --cumulative column already includes each period's own production",
    )
    count.add_argument(
        "--volume",
        metavar="COL",
        help="each period's production (>= 0): fit on cumulative-before + volume, "
        "i.e. cumulative including the period",
    )
    xc.add_argument(
        "--forecast",
        type=volume_arg,
        action="append",
        metavar="N",
        help="predict the cost at cumulative volume N, with confidence and "
        "prediction intervals (repeatable: --forecast 5000 --forecast 10000)",
    )
    xc.add_argument(
        "--level",
        type=level_arg,
        default=0.95,
        help="confidence level of the intervals, between 0 and 1 (default: 0.95)",
    )
    xc.add_argument("--sheet", default=0, help="Excel sheet name or index (default: first)")
    xc.add_argument(
        "--encoding", help="CSV encoding (default: detected: UTF-8, UTF-16, GB18030/GBK)"
    )
    add_output_options(xc, "write the estimates (and forecasts) with their intervals to this CSV")
    xc.set_defaults(func=run)
