"""``customer-value experience-curve``: fit an experience curve."""

from __future__ import annotations

from pathlib import Path

from ..io import InputError


def run(args) -> int:
    import numpy as np
    import pandas as pd

    from .. import profit_models as pm
    from ..io import atomic_write, read_table

    if args.volume and args.includes_current:
        raise InputError(
            "--volume adds each period's production to a cumulative count taken "
            "before the period; with --includes-current the cumulative column "
            "already counts it: give one of the two options, not both"
        )
    if not 0 < args.level < 1:
        raise InputError(f"--level must be between 0 and 1 (e.g. 0.95); got {args.level:g}")
    bad = [n for n in args.forecast or [] if not (np.isfinite(n) and n > 0)]
    if bad:
        raise InputError(f"--forecast needs cumulative volumes > 0; got {', '.join(map(str, bad))}")
    if args.out and Path(args.out).exists() and not args.force:
        raise InputError(f"{args.out} exists; use --force to overwrite it")
    df = read_table(args.data, sheet=args.sheet, encoding=args.encoding)
    wanted = {"--cost": args.cost, "--cumulative": args.cumulative, "--volume": args.volume}
    missing = [f"{opt} {col!r}" for opt, col in wanted.items() if col and col not in df.columns]
    if missing:
        raise InputError(
            f"column(s) not in the file: {', '.join(missing)}; the file has columns "
            f"{list(df.columns)}",
            source=args.data,
        )
    try:
        fit = pm.fit_experience_curve(
            df,
            cost=args.cost,
            cumulative=args.cumulative,
            includes_current=args.includes_current,
            production=args.volume,
            alpha=1 - args.level,
        )
    except InputError as err:
        raise err.with_source(args.data) from None
    except ValueError as err:
        raise InputError(str(err), source=args.data) from None
    pct = f"{100 * args.level:g}%"
    print(f"Experience curve (Wright's law) of {args.data}: cost column {args.cost!r}")
    print(fit)
    print(
        f"R² = {fit.r_squared:.4f}, n = {fit.n}, se(b) = {fit.b_se:.4f}, "
        f"first-unit cost exp(a) = {fit.first_unit_cost:.4g}"
    )
    summary = fit.summary()
    table = pd.DataFrame(
        {
            "quantity": summary["quantity"],
            "estimate": summary["estimate"],
            "std_err": summary["std_err"],
            "ci_lower": summary["ci_lower"],
            "ci_upper": summary["ci_upper"],
        }
    )
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(f"\n{pct} confidence intervals:")
        print(table.to_string(index=False, float_format=lambda v: f"{v:.4f}", na_rep=""))
        if args.forecast:
            fc = fit.forecast(args.forecast)
            last = float(fit.data["cumulative_used"].max())
            shown = fc.assign(
                cumulative=[np.format_float_positional(v, trim="-") for v in fc["cumulative"]]
            )
            shown.insert(1, "doublings_ahead", np.log2(fc["cumulative"] / last))
            print(f"\nforecast (cost = fitted median; ci: the line, pi: a new observation, {pct}):")
            print(shown.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    if args.out:
        out = table.assign(pi_lower=np.nan, pi_upper=np.nan)
        if args.forecast:
            rows = pd.DataFrame(
                {
                    "quantity": [f"cost at cumulative {n:g}" for n in fc["cumulative"]],
                    "estimate": fc["cost"],
                    "std_err": np.nan,
                    "ci_lower": fc["ci_lower"],
                    "ci_upper": fc["ci_upper"],
                    "pi_lower": fc["pi_lower"],
                    "pi_upper": fc["pi_upper"],
                }
            )
            out = pd.concat([out, rows], ignore_index=True)
        out = out.assign(
            confidence=args.level,
            cumulative_basis=fit.cumulative_basis,
            cumulative_used=fit.cumulative_used,
            cost_column=args.cost,
        )
        with atomic_write(args.out, force=args.force) as fh:
            out.to_csv(fh, index=False)
        print(f"wrote {args.out}")
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
    xc.add_argument(
        "--includes-current",
        action="store_true",
        help="the --cumulative column already includes each period's own production",
    )
    xc.add_argument(
        "--volume",
        metavar="COL",
        help="each period's production (>= 0): fit on cumulative-before + volume, "
        "i.e. cumulative including the period",
    )
    xc.add_argument(
        "--forecast",
        type=float,
        action="append",
        metavar="N",
        help="predict the cost at cumulative volume N, with confidence and "
        "prediction intervals (repeatable: --forecast 5000 --forecast 10000)",
    )
    xc.add_argument(
        "--level",
        type=float,
        default=0.95,
        help="confidence level of the intervals (default: 0.95)",
    )
    xc.add_argument("--sheet", default=0, help="Excel sheet name or index (default: first)")
    xc.add_argument(
        "--encoding", help="CSV encoding (default: detected: UTF-8, UTF-16, GB18030/GBK)"
    )
    xc.add_argument(
        "--out",
        metavar="CSV",
        help="write the estimates (and forecasts) with their intervals to this CSV",
    )
    xc.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    xc.set_defaults(func=run)
