"""``customer-value clv``: customer lifetime value from a transaction log."""

from __future__ import annotations

from ..io import InputError
from ._common import (
    ONE_YEAR,
    TransactionLog,
    add_log_options,
    check_output,
    count_arg,
    date_arg,
    discount_arg,
    print_table,
    write_csv,
)


def run(args) -> int:
    import datetime as dt
    import warnings

    import numpy as np
    import pandas as pd

    from .. import clv, pyramid
    from ..customers import UNITS

    check_output(args)
    if args.model == "simple" and args.discount is not None:
        raise InputError(
            "--discount applies to --model bgnbd; the simple formula is not discounted"
        )
    cal_end = args.calibration_end
    if cal_end is not None and args.as_of is not None and args.as_of <= cal_end:
        raise InputError(
            f"--as-of ({args.as_of}) must be after --calibration-end ({cal_end}): "
            "the holdout period runs from one to the other"
        )
    unit, horizon = args.unit, args.horizon or ONE_YEAR[args.unit]
    periods = f"{horizon} {unit}{'s' if horizon != 1 else ''}"
    discount = args.discount or 0.0
    log = TransactionLog(args)
    try:
        table = log.table(cal_end if cal_end is not None else args.as_of)
        full = log.table(args.as_of) if cal_end is not None else None
    except InputError as err:
        raise err.with_source(log.path) from None
    log.describe(table, as_of_given=cal_end is not None or args.as_of is not None)
    df = table.to_pandas()
    if table.settings["margin_rate"] is not None:
        margin = table.settings["margin_rate"]
        margin_text = f"margin rate {margin:g} (no cost data: --margin-rate)"
    else:
        revenue = float(df["revenue"].sum())
        if not revenue > 0:
            raise InputError(f"total revenue is {revenue:g}: no margin rate", source=log.path)
        margin = float(df["gross_margin"].sum()) / revenue
        margin_text = f"margin rate {margin:.4g} = gross margin / revenue ({table.profit_basis})"
    holdout = None
    if full is not None:
        obs_end = args.as_of or (full.as_of - dt.timedelta(days=1))
        if obs_end <= cal_end:
            raise InputError(
                f"no holdout period: the last line is dated {obs_end}, not after "
                f"--calibration-end {cal_end}",
                source=log.path,
            )
        later = full.to_pandas().set_index("customer_id")["purchase_days"]
        holdout = later.reindex(df["customer_id"]).to_numpy() - df["purchase_days"].to_numpy()
        duration = (obs_end - cal_end).days / UNITS[unit]
    per = f"per {unit}"
    cust = df["customer_id"]
    try:
        if args.model == "bgnbd":
            rft = {"frequency": "btyd_frequency", "recency": "btyd_recency", "T": "btyd_T"}
            repeat = df["btyd_frequency"] > 0
            usable = repeat & (df["btyd_monetary"] > 0)
            with warnings.catch_warnings():  # non-convergence is reported with the estimates
                warnings.simplefilter("ignore", RuntimeWarning)
                bg = clv.BetaGeoNBD().fit(df, **rft)
                gg = clv.GammaGamma().fit(
                    df[usable], frequency="btyd_frequency", monetary="btyd_monetary"
                )
            # a repeat buyer whose repeat days net to <= 0 (returns) has no spend to model:
            # she gets the population mean, which is what her own mean would shrink to
            data = df.assign(_monetary=df["btyd_monetary"].where(~repeat | usable, gg.mean_spend()))
            value = clv.customer_lifetime_value(
                bg,
                gg,
                **rft,
                monetary="_monetary",
                horizon=horizon,
                discount_rate=discount,
                margin=margin,
                data=data,
            )
            out = pd.DataFrame(
                {
                    "customer_id": cust,
                    "frequency": df["btyd_frequency"],
                    "recency": df["btyd_recency"],
                    "T": df["btyd_T"],
                    "monetary_value": df["btyd_monetary"],
                    "p_alive": bg.probability_alive(**rft, data=df),
                    "expected_purchases": bg.conditional_expected_purchases(
                        horizon, **rft, data=df
                    ),
                    "expected_spend": gg.conditional_expected_average_spend(
                        "btyd_frequency", "_monetary", data=data
                    ),
                    "clv": value,
                }
            )
            lost = int((~np.isfinite(out["clv"])).sum())
            if lost:
                failed = [type(m).__name__ for m in (bg, gg) if not m.converged_]
                raise InputError(
                    f"the models give no finite CLV for {lost:,} of {len(df):,} customers"
                    + (f" ({' and '.join(failed)} did not converge)" if failed else "")
                    + ": the log has too few customers or repeat purchases to estimate them; "
                    "use --model simple, or a longer log"
                )
            if holdout is not None:
                out["frequency_holdout"] = holdout
                out["predicted_holdout"] = bg.conditional_expected_purchases(
                    duration, **rft, data=df
                )
        else:
            rate = df["purchase_days"] / df["btyd_T"].clip(lower=1.0)
            avg_value = (df["revenue"] / df["purchase_days"]).clip(lower=0.0)
            out = pd.DataFrame(
                {
                    "customer_id": cust,
                    "purchase_days": df["purchase_days"],
                    "T": df["btyd_T"],
                    "avg_transaction_value": avg_value,
                    f"purchases_per_{unit}": rate,
                    "clv": clv.simple_clv(avg_value, rate, horizon, margin),
                }
            )
            if holdout is not None:
                out["frequency_holdout"] = holdout
                out["predicted_holdout"] = rate * duration
    except InputError as err:
        raise err.with_source(log.path) from None
    except ValueError as err:
        raise InputError(f"cannot compute the {args.model} CLV: {err}", source=log.path) from None

    def model_table(model, title, n_text):
        s = model.summary()
        print(f"\n{title}, {n_text} -- {s.attrs['source']}:")
        print_table(s, digits=5)
        conv = "" if model.converged_ else "; the optimiser did NOT converge"
        print(
            f"log-likelihood {model.loglik_:,.2f}, AIC {model.aic_:,.2f}, "
            f"{model.n_obs_:,} customers{conv}"
        )

    fit_text = (
        f"fitted on the lines up to {cal_end}"
        if cal_end is not None
        else f"observed up to {table.as_of}"
    )
    if args.model == "bgnbd":
        model_table(
            bg, f"BG/NBD repeat purchases (time unit: {unit})", f"{fit_text}, {len(df):,} customers"
        )
        x, m = df.loc[usable, "btyd_frequency"], df.loc[usable, "btyd_monetary"]
        corr = x.corr(m) if len(x) > 2 and x.std() > 0 and m.std() > 0 else np.nan
        model_table(
            gg,
            "Gamma-Gamma spend per repeat purchase day",
            f"{int(usable.sum()):,} customers with a repeat purchase and positive spend",
        )
        print(
            f"mean spend {gg.mean_spend():,.2f}; the model assumes spend independent of "
            f"frequency: their correlation is {corr:.3f}"
        )
        if (repeat & ~usable).any():
            print(
                f"{int((repeat & ~usable).sum()):,} repeat buyer(s) whose repeat days net to "
                "<= 0 (returns) get the population mean spend"
            )
        formula = f"BG/NBD x Gamma-Gamma over the next {periods}, discount {discount:g} {per}" + (
            " (undiscounted)" if discount == 0 else ""
        )
    else:
        print(
            "\nsimple CLV = average value per purchase day x purchase days per "
            f"{unit} (over each customer's observed time, at least one {unit}) x {periods} "
            "x margin rate: no dropout, no discounting (no fitted parameters)"
        )
        formula = f"simple formula over {periods}"
    v = out["clv"]
    print(f"\nCLV 顾客终身价值, {formula}, {margin_text}, before cost to serve:")
    print(
        f"  total {v.sum():,.2f}; per customer mean {v.mean():,.2f}, median {v.median():,.2f}"
        f", max {v.max():,.2f}; the top 20% of customers hold "
        + (f"{pyramid.top_share(v, 0.2):.1%}" if v.sum() > 0 else "n/a")
        + " of it"
    )
    if args.model == "bgnbd":
        print(
            f"  expected purchases in the next {periods}: "
            f"{out['expected_purchases'].sum():,.0f}; mean P(alive) {out['p_alive'].mean():.3f}"
        )
    if holdout is not None:
        actual, predicted = out["frequency_holdout"].sum(), out["predicted_holdout"].sum()
        print(
            f"\nholdout check: purchase days after {cal_end} up to {obs_end} "
            f"({duration:.4g} {unit}s) of the {len(df):,} calibration customers:"
        )
        if args.model == "bgnbd":
            check = clv.holdout_comparison(
                bg, df.assign(frequency_holdout=holdout, duration_holdout=duration), **rft
            )
            print_table(check.rename(columns={"group": "repeat purchases"}))
        print(
            f"  total actual {actual:,.0f}, predicted {predicted:,.1f} "
            f"({predicted / actual - 1:+.1%})"
            if actual
            else f"  total actual 0, predicted {predicted:,.1f}"
        )
    write_csv(args, out)
    return 0


def add_parser(sub) -> None:
    v = sub.add_parser(
        "clv",
        help="customer lifetime value: BG/NBD + Gamma-Gamma, or the simple formula",
        description="Customer lifetime value (顾客终身价值) of each customer. "
        "bgnbd: BG/NBD repeat purchases (Fader, Hardie & Lee 2005a) "
        "times Gamma-Gamma spend (Fader, Hardie & Lee 2005b), "
        "discounted per period, times the margin rate; prints the "
        "fitted parameters with standard errors and the "
        "log-likelihood. simple: average value per purchase x "
        "purchases per period x periods x margin. With "
        "--calibration-end the model is fitted on the lines up to "
        "that date and checked against the purchases after it; the "
        "CLV is then as of the calibration end (run without it to "
        "value customers today).",
    )
    add_log_options(
        v,
        unit="week",
        out_help="write one row per customer (inputs, P(alive), "
        "expected purchases and spend, CLV) to this CSV",
    )
    m = v.add_argument_group("model")
    m.add_argument(
        "--model", choices=["bgnbd", "simple"], default="bgnbd", help="bgnbd (default) or simple"
    )
    m.add_argument(
        "--calibration-end",
        type=date_arg,
        metavar="DATE",
        help="fit on lines up to DATE, check the prediction on the lines after it "
        "(up to --as-of or the last line)",
    )
    m.add_argument(
        "--horizon",
        type=count_arg,
        metavar="N",
        help="periods of --unit to value (default: one year: 365 days, 52 weeks, 12 months)",
    )
    m.add_argument(
        "--discount",
        type=discount_arg,
        metavar="RATE",
        help="bgnbd: discount rate per period of --unit, e.g. 0.0019 a week or 0.008 "
        "a month for 10%% a year (default: 0)",
    )
    v.set_defaults(func=run)
