"""``customer-value clv``: customer lifetime value from a transaction log."""

from __future__ import annotations

from ..io import InputError
from ._common import (
    ONE_YEAR,
    add_log_options,
    check_output,
    check_path,
    count_arg,
    date_arg,
    discount_arg,
    for_the_command_line,
    open_log,
    print_table,
    write_csv,
)


def _print_model(model, title: str) -> None:
    s = model.summary()
    print(f"\n{title} -- {s.attrs['source']}:")
    print_table(s, digits=6)
    conv = "" if model.converged_ else "; the optimiser did NOT converge"
    print(
        f"log-likelihood {model.loglik_:,.4f}, AIC {model.aic_:,.2f}, "
        f"{model.n_obs_:,} customers{conv}"
    )


def run(args) -> int:
    from .. import clv, pyramid

    check_output(args, inputs=[args.transactions])
    check_path(args.params_out, force=args.force, inputs=[args.transactions], option="--params-out")
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
    horizon = args.horizon or ONE_YEAR[args.unit]
    log = open_log(args)
    try:
        table = log.table(cal_end)
        check = clv.holdout_check(log, cal_end) if cal_end is not None else None
        value = clv.lifetime_value(
            table,
            model=args.model,
            horizon=horizon,
            period=args.unit,
            discount_rate=args.discount or 0.0,
            margin=args.margin_basis,
            cost_to_serve=not args.gross,
        )
    except InputError as err:
        raise for_the_command_line(err).with_source(log.path) from None
    print("\n".join(log.describe(table)))
    fitted = f"fitted on the lines up to {cal_end}" if cal_end else f"observed up to {table.as_of}"
    if value.model == "bgnbd":
        _print_model(value.bgnbd, f"BG/NBD repeat purchases (time unit: {args.unit}), {fitted}")
        _print_model(
            value.gamma_gamma,
            "Gamma-Gamma spend per paid repeat purchase (occasions with a positive value)",
        )
        rho = value.spend_frequency_correlation()
        print(
            f"mean spend {value.gamma_gamma.mean_spend():,.2f}; the model assumes spend "
            f"independent of frequency: their rank correlation is {rho:.3f}"
        )
        formula = (
            f"BG/NBD x Gamma-Gamma over the next {value.horizon_text}, discount "
            f"{value.discount_rate:g} per {args.unit}"
        )
    else:
        print(
            "\nsimple CLV = average value per purchase day x purchase days per "
            f"{args.unit} (over each customer's observed time, at least one {args.unit}) x "
            f"{value.horizon_text}: no dropout, no discounting (no fitted parameters)"
        )
        formula = f"simple formula over {value.horizon_text}"
    for note in value.notes:
        print(f"note: {note}")
    v = value.data["clv"]
    served = "net of cost to serve" if value.cost_to_serve else "before cost to serve"
    print(f"\nCLV 顾客终身价值, {formula}, {value.margin}, {served}:")
    top = f"{pyramid.top_share(v, 0.2):.1%}" if v.sum() > 0 else "n/a"
    print(
        f"  total {v.sum():,.2f}; per customer mean {v.mean():,.2f}, median {v.median():,.2f}, "
        f"max {v.max():,.2f}; {int((v < 0).sum()):,} negative; the top 20% of customers hold "
        f"{top} of it"
    )
    if value.model == "bgnbd":
        print(
            f"  expected purchases in the next {value.horizon_text}: "
            f"{value.data['expected_purchases'].sum():,.0f}; mean P(alive) "
            f"{value.data['p_alive'].mean():.3f}"
        )
    out = value.to_frame()
    if check is not None:
        print(
            f"\nholdout check: purchase days after {cal_end} up to {check.observation_end} "
            f"({check.data['duration_holdout'].iloc[0]:.4g} {args.unit}s) of the "
            f"{len(check.data):,} calibration customers:"
        )
        print_table(check.comparison().rename(columns={"group": "repeat purchases"}))
        print(
            f"  total actual {check.actual:,}, predicted {check.predicted:,.1f} "
            + (f"({check.error:+.1%})" if check.actual else "")
        )
        for note in check.notes:
            print(f"note: {note}")
        holdout = check.data[["frequency_holdout", "predicted_holdout"]]
        out = out.join(holdout, on="customer_id")
    if args.params_out and value.model == "bgnbd":
        from ..io import write_csv as _write

        _write(value.parameters(), args.params_out, force=args.force, float_format="%.17g")
        print(f"wrote {args.params_out}")
    write_csv(args, out, inputs=[args.transactions])
    return 0


def add_parser(sub) -> None:
    v = sub.add_parser(
        "clv",
        help="customer lifetime value: BG/NBD + Gamma-Gamma, or the simple formula",
        description="Customer lifetime value (顾客终身价值) of each customer, net of her cost to "
        "serve. bgnbd: BG/NBD purchase occasions (Fader, Hardie & Lee 2005a) times Gamma-Gamma "
        "spend (Fader, Hardie & Lee 2005b) times her margin rate, minus her cost to serve per "
        "purchase, discounted per period; prints the fitted parameters with standard errors "
        "and the log-likelihood. A purchase is a customer-day with an order, whatever its "
        "value (free orders count; see --zero-amount); Gamma-Gamma averages the repeat "
        "occasions with a positive value. simple: average value per purchase x purchases per "
        "period x periods. With --calibration-end the model is fitted on the lines up to that "
        "date and checked against the purchases after it; the CLV is then as of the "
        "calibration end (run without it to value customers today).",
    )
    add_log_options(
        v,
        unit="week",
        out_help="write one row per customer (inputs, P(alive), expected purchases and spend, "
        "margin rate, cost to serve per purchase, CLV) to this CSV",
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
    m.add_argument(
        "--margin-basis",
        choices=["customer", "pooled"],
        default="customer",
        help="customer (default): each customer's own gross margin / gross sales; pooled: one "
        "rate for all (with --margin-rate, that rate)",
    )
    m.add_argument(
        "--gross",
        action="store_true",
        help="value before cost to serve (default: net of each customer's cost to serve per "
        "purchase: --order-cost, --return-cost, --rate)",
    )
    m.add_argument(
        "--params-out",
        metavar="CSV",
        help="write the fitted parameters (model, parameter, estimate, std_err, ci_low, "
        "ci_high) at full precision to this CSV",
    )
    v.set_defaults(func=run)
