"""The ``customer-value`` command line.

Every subcommand has ``--help``. Errors in a user's input are printed as one message (file,
column, example rows) without a traceback, with exit status 2. Outputs are written atomically
and never overwrite an existing file unless ``--force`` is given.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .io import InputError

EXIT_INPUT = 2


def _kano(args) -> int:
    import pandas as pd
    import yaml

    from . import kano
    from .io import atomic_write, read_table

    labels = None
    if args.labels:
        labels = yaml.safe_load(Path(args.labels).read_text(encoding="utf-8"))
        if not isinstance(labels, dict):
            raise InputError("the labels file must map wordings to codes 1-5, e.g. '还行: 3'",
                             source=args.labels)
    if args.out and Path(args.out).exists() and not args.force:
        raise InputError(f"{args.out} exists; use --force to overwrite it")
    df = read_table(args.survey, sheet=args.sheet, encoding=args.encoding)
    res = kano.analyze(df, format=args.format, table=args.table, by=args.by,
                       exclude_questionable=args.exclude_questionable, labels=labels,
                       respondent=args.respondent, bootstrap=args.bootstrap, seed=args.seed,
                       suffixes=tuple(args.suffixes.split(",")))
    summary = res.summary()
    q = res.quality
    print(f"Kano analysis of {args.survey}: {len(q)} respondents, {len(res.responses.features)} "
          f"features, table={args.table}" + (f", by={args.by}" if args.by else ""))
    if args.exclude_questionable is not None:
        print(f"excluded {len(res.excluded)} respondent(s) with more than "
              f"{args.exclude_questionable} questionable answer(s)")
    cols = ([args.by] if args.by else []) + [
        "feature", "n", "A", "O", "M", "I", "R", "Q", "category", "category_oam",
        "category_strength", "fong_significant", "better", "worse", "importance_mean"]
    with pd.option_context("display.max_rows", 500, "display.width", 200,
                           "display.max_columns", 50, "display.precision", 3):
        print(summary[cols].to_string(index=False))
        if args.by:
            print("\nDo categories differ between segments? (chi-square per feature)")
            print(res.chi_square().to_string(index=False))
    if args.out:
        with atomic_write(args.out, force=args.force) as fh:
            summary.to_csv(fh, index=False)
        print(f"wrote {args.out}")
    return 0


# --------------------------------------------------------------------------------------------
# transaction logs: customers, pyramid, clv
# --------------------------------------------------------------------------------------------

#: Default --horizon of `clv`: one year in each --unit.
_ONE_YEAR = {"day": 365, "week": 52, "month": 12, "year": 1}


def _number(text: str) -> float:
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, not {text!r}")
    return value


def _nonneg_number(text: str) -> float:
    value = _number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, not {text!r}")
    return value


def _discount_arg(text: str) -> float:
    value = _number(text)
    if value <= -1:
        raise argparse.ArgumentTypeError(f"must be a rate > -1 (e.g. 0.01 for 1% per period), "
                                         f"not {text!r}")
    return value


def _share_arg(text: str) -> float:
    value = _number(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be a share between 0 and 1, not {text!r}")
    return value


def _count_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, not {text!r}")
    return value


def _date_arg(text: str):
    from .customers import _to_date

    try:
        return _to_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (write it year first, e.g. "
                                         "2024-12-31)") from None


def _rate_arg(text: str) -> tuple[str, float]:
    name, sep, rate = text.rpartition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"write COLUMN=RATE, e.g. contacts=20, not {text!r}")
    return name.strip(), _nonneg_number(rate)


def _numbers(text: str, k: int, what: str) -> tuple[float, ...]:
    try:
        values = tuple(_number(v) for v in text.split(","))
    except argparse.ArgumentTypeError:
        values = ()
    if len(values) != k:
        raise argparse.ArgumentTypeError(f"give {k} numbers separated by commas ({what}), "
                                         f"not {text!r}")
    return values


def _shares_arg(text: str) -> tuple[float, ...]:
    from .pyramid import _check_shares

    shares = _numbers(text, 4, "platinum, gold, iron, lead")
    if abs(sum(shares) - 100) < 1e-6:                      # 20,30,30,20 (percent)
        shares = tuple(s / 100 for s in shares)
    try:
        return tuple(float(s) for s in _check_shares(shares))
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _cutoffs_arg(text: str) -> tuple[float, ...]:
    from .pyramid import _check_cutoffs

    cutoffs = _numbers(text, 3, "platinum, gold, iron")
    try:
        return tuple(float(c) for c in _check_cutoffs(cutoffs))
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _add_log_options(p: argparse.ArgumentParser, *, unit: str, out_help: str) -> None:
    """The options shared by the commands that read a transaction log (customers, pyramid,
    clv): the file, its columns, the cost-to-serve rates, how it is read, the output."""
    from .customers import UNITS

    p.add_argument("transactions",
                   help="transaction log, one row per line: CSV (UTF-8 or GBK/GB18030, any "
                        "delimiter), .xlsx or .parquet")
    c = p.add_argument_group("columns (names matched ignoring case; Chinese names work, e.g. "
                             "--customer-id 客户编号)")
    c.add_argument("--customer-id", default="customer_id", metavar="COLUMN",
                   help="customer ID column (default: %(default)s)")
    c.add_argument("--date", default="date", metavar="COLUMN",
                   help="date of the line, year first: 2024-03-05, 2024/3/5, 20240305, "
                        "2024年3月5日, optionally with a time (default: %(default)s)")
    c.add_argument("--amount", default="amount", metavar="COLUMN",
                   help="money of the line, e.g. 1234.5, ¥1,234.50, (12.50); negative = a "
                        "return (default: %(default)s)")
    m = c.add_mutually_exclusive_group()
    m.add_argument("--cost", metavar="COLUMN",
                   help="cost of goods of each line: gross margin = revenue - cost")
    m.add_argument("--margin", metavar="COLUMN", help="gross margin of each line")
    k = p.add_argument_group("profit = gross margin - cost to serve (activity-based costing)")
    k.add_argument("--margin-rate", type=_number, metavar="R",
                   help="without --cost or --margin: gross margin = revenue x R (default 1, "
                        "i.e. revenue; the output labels the profit basis)")
    k.add_argument("--order-cost", type=_nonneg_number, default=0.0, metavar="X",
                   help="cost per order line (positive amount) (default: 0)")
    k.add_argument("--return-cost", type=_nonneg_number, default=0.0, metavar="X",
                   help="cost per return line (negative amount) (default: 0)")
    k.add_argument("--rate", type=_rate_arg, action="append", metavar="COLUMN=RATE",
                   help="cost per unit of a service-event column, repeatable: --rate "
                        "contacts=20 --rate 配送=25. Columns named contacts, deliveries and "
                        "discount are used when present, at 0, 0 and 1 per unit")
    r = p.add_argument_group("reading")
    r.add_argument("--as-of", type=_date_arg, metavar="DATE",
                   help="end of the observation period: later lines are ignored (default: the "
                        "day after the last line)")
    r.add_argument("--unit", choices=list(UNITS), default=unit,
                   help="time unit of recency and T in the BTYD columns (default: %(default)s)")
    r.add_argument("--on-invalid", choices=["raise", "drop"], default="raise",
                   help="raise (default): refuse a file with unusable cells (bad dates or "
                        "amounts, missing IDs), naming file, column and lines; drop: leave "
                        "those rows out and report them")
    r.add_argument("--sheet", default=0, help="Excel sheet name or index (default: first)")
    r.add_argument("--encoding",
                   help="CSV encoding (default: detected: UTF-8, UTF-16, GB18030/GBK)")
    r.add_argument("--threads", type=_count_arg, metavar="N",
                   help="DuckDB threads (default: one per core)")
    r.add_argument("--memory-limit", metavar="SIZE",
                   help="DuckDB memory limit, e.g. 2GB (beyond it, large files spill to .tmp/ in the "
                        "current directory)")
    o = p.add_argument_group("output")
    o.add_argument("--out", metavar="CSV", help=out_help)
    o.add_argument("--force", action="store_true", help="overwrite --out if it exists")


class _TransactionLog:
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
            raise InputError("--margin-rate is for logs without cost data; with --cost or "
                             "--margin the gross margin comes from that column")
        rates = dict(args.rate or [])
        self.order_cost, self.return_cost = args.order_cost, args.return_cost
        for key, flag in (("order_cost", "--order-cost"), ("return_cost", "--return-cost")):
            if key in rates:                    # --rate order_cost=5, as in RETAIL_COST_RATES
                if getattr(args, key):
                    raise InputError(f"{key} is given twice: as --rate {key}=... and {flag}")
                setattr(self, key, rates.pop(key))
        self.rates = rates
        self.report = None          # customers.CleaningReport when read as text
        self.note = None            # why DuckDB could not read the file as it is
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
                raise InputError(f"cannot set up DuckDB with --threads/--memory-limit: "
                                 f"{str(err).splitlines()[0]}") from None
        return self._con

    def _fast_table(self, kwargs: dict):
        """The customer table computed by DuckDB straight from the file, or None (and a note)
        when the library finds that the file needs the text reader (``customers._NeedsCleaning``:
        not UTF-8, day-first or month-first dates, text in a number column, missing cells).
        ``customer_table`` on the path reads IDs as text (007 and 7 stay two customers); missing
        or duplicated columns and unreadable Parquet files are an error right away."""
        from .customers import _NeedsCleaning, customer_table

        try:
            return customer_table(self.path, engine=self.connection(), **kwargs)
        except _NeedsCleaning as err:
            self.note = (f"DuckDB cannot aggregate the file as it is ({err.reason}); it is read "
                         "as text and cleaned instead")
            self._fast = None
            return None

    def _text(self):
        """The log read as text and parsed by clean_transactions (once)."""
        if self._frame is None:
            from .customers import DEFAULT_COST_RATES, _match, clean_transactions
            from .io import read_table

            a = self.args
            df = read_table(self.path, sheet=a.sheet, encoding=a.encoding)
            events = list(self.rates) + [e for e in DEFAULT_COST_RATES if e not in self.rates
                                         and _match(list(df.columns), e) is not None]
            try:
                self._frame, self.report = clean_transactions(
                    df, customer_id=a.customer_id, date=a.date, amount=a.amount, cost=a.cost,
                    margin=a.margin, on_invalid=a.on_invalid, events=events)
            except InputError as err:
                if 'on_invalid="drop"' not in err.detail:
                    raise
                raise InputError(err.detail.replace('pass on_invalid="drop"',
                                                    "run again with --on-invalid drop"),
                                 source=err.source, columns=err.columns) from None
        return self._frame

    # -- the customer table ----------------------------------------------------------------
    def table(self, as_of=None):
        """customers.customer_table of the log, observed up to ``as_of`` (default: the day
        after the last line), with the command's columns, costs and --unit."""
        from .customers import customer_table

        a = self.args
        kwargs = {"customer_id": a.customer_id, "date": a.date, "amount": a.amount,
                  "cost": a.cost, "margin": a.margin, "as_of": as_of, "unit": a.unit,
                  "margin_rate": 1.0 if a.margin_rate is None else a.margin_rate,
                  "order_cost": self.order_cost, "return_cost": self.return_cost,
                  "cost_rates": self.rates or None}
        table = self._fast_table(kwargs) if self._fast else None
        if table is None:
            table = customer_table(self._text(), engine=self.connection(), **kwargs)
        if len(table.data) == 0:
            raise InputError(f"no customer has a purchase (a line with a positive amount) on "
                             f"or before {table.as_of}", source=self.path)
        return table

    def describe(self, table, *, as_of_given: bool) -> None:
        """Print how the log was read, the customers, the period and the profit basis."""
        if self.note:
            print(f"note: {self.path}: {self.note}")
        if self.report is not None:
            print(self.report)
        else:
            print(f"{self.path}: aggregated by DuckDB straight from the file (typed columns, "
                  "nothing to clean)")
        frame = table.data                       # pandas: file and pandas input give pandas
        first, last = frame["first_purchase"].min(), frame["last_purchase"].max()
        n = len(frame)
        print(f"{n:,} customer{'s' if n != 1 else ''} with purchases from {first:%Y-%m-%d} "
              f"to {last:%Y-%m-%d}; observed up to {table.as_of}"
              + ("" if as_of_given else " (the day after the last line; see --as-of)"))
        basis = table.profit_basis
        if self.args.cost or self.args.margin:
            basis += f" (column {self.args.cost or self.args.margin!r})"
        elif self.args.margin_rate is None:
            basis += "; give --cost, --margin or --margin-rate for a real margin"
        print(f"profit basis: {basis}")
        s = table.settings
        parts = [f"{s['order_cost']:g} per order line" if s["order_cost"] else "",
                 f"{s['return_cost']:g} per return line" if s["return_cost"] else ""]
        parts += [f"{rate:g} per unit of {name!r}" for name, rate in s["cost_rates"].items()
                  if rate]
        parts = [p for p in parts if p]
        print("cost to serve: " + ("; ".join(parts) if parts else
                                   "none (no --order-cost, --return-cost or --rate)"))


def _check_output(args) -> None:
    if not args.out:
        return
    out = Path(args.out)
    if out.exists() and out.resolve() == Path(args.transactions).resolve():
        raise InputError(f"--out {args.out} is the input file; the input is never overwritten: "
                         "choose another name")
    if out.exists() and not args.force:
        raise InputError(f"{args.out} exists; use --force to overwrite it")


def _write_csv(args, frame) -> None:
    from .io import atomic_write

    if args.out:
        with atomic_write(args.out, force=args.force) as fh:
            frame.to_csv(fh, index=False, date_format="%Y-%m-%d", float_format="%.12g")
        print(f"wrote {args.out} ({len(frame):,} row{'s' if len(frame) != 1 else ''})")


def _print_table(df, *, percent=(), money=(), digits: int = 4, index: bool = False) -> None:
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
    with pd.option_context("display.max_rows", 500, "display.width", 250,
                           "display.max_columns", 50):
        print(show.to_string(index=index))


def _customers(args) -> int:
    _check_output(args)
    log = _TransactionLog(args)
    try:
        table = log.table(args.as_of)
    except InputError as err:
        raise err.with_source(log.path) from None
    log.describe(table, as_of_given=args.as_of is not None)
    frame = table.to_pandas()
    print("\ntotals:")
    _print_table(table.summary(), money=("revenue", "gross_margin", "cost_to_serve", "profit"),
                 percent=("share_negative_profit",))
    cols = ["orders", "purchase_days", "returns", "revenue", "gross_margin", "cost_to_serve",
            "profit"]
    dist = frame[cols].describe(percentiles=[0.1, 0.5, 0.9]).T
    dist = dist[["mean", "min", "10%", "50%", "90%", "max"]].rename(columns={"50%": "median"})
    print("\nper customer:")
    _print_table(dist.rename_axis("column").reset_index(), money=list(dist.columns))
    _write_csv(args, frame)
    return 0


def _pyramid(args) -> int:
    from . import pyramid

    _check_output(args)
    log = _TransactionLog(args)
    method = args.method or "shares"
    shares = args.shares or (0.2, 0.3, 0.3, 0.2)
    try:
        table = log.table(args.as_of)
        frame = table.to_pandas()
        tiers = pyramid.assign_tiers(frame, method=method, shares=shares, cutoffs=args.cutoffs,
                                     value=args.value, seed=args.seed)
        profile = pyramid.tier_profile(frame, tiers)
    except InputError as err:
        raise err.with_source(log.path) from None
    log.describe(table, as_of_given=args.as_of is not None)
    how = {"shares": "shares of customers " + "/".join(f"{s:.0%}" for s in shares),
           "cumulative": "cumulative shares of positive " + args.value + " "
                         + "/".join(f"{c:.0%}" for c in args.cutoffs),
           "kmeans": f"k-means on the signed log of {args.value} (seed {args.seed})"}[method]
    print(f"\nCustomer pyramid 顾客金字塔 by {args.value}, {how} "
          "(Zeithaml, Rust & Lemon 2001):")
    cols = ["tier", "tier_zh", "customers", "share_customers", "revenue", "share_revenue",
            "profit", "share_profit", "mean_profit", "unprofitable", "avg_order_value",
            "mean_orders", "mean_recency_days"]
    _print_table(profile[cols], percent=("share_customers", "share_revenue", "share_profit"),
                 money=("revenue", "profit", "mean_profit", "avg_order_value"))
    print(f"\nConcentration (Gini: Raffinetti, Siletti & Vernizzi 2015; whale curve: Cooper & "
          f"Kaplan 1991); profit basis: {table.profit_basis}")
    try:
        conc = pyramid.concentration_summary(frame, x=args.top)
    except InputError as err:
        g_rev, g_profit = pyramid.gini(frame["revenue"]), pyramid.gini(frame["profit"])
        print(f"  no shares of profit ({err.detail}). Gini of revenue {g_rev:.3f}, of "
              f"profit {g_profit:.3f}")
    else:
        conc = conc.reset_index().rename(columns={
            "top_share": f"top_{args.top:.0%}_share", "whale_peak_share_customers":
            "whale_peak_at"})
        _print_table(conc.drop(columns=["column", "top_x"]), money=("total",), digits=3,
                     percent=(f"top_{args.top:.0%}_share", "whale_peak", "whale_peak_at"))
        top = conc.set_index("measure")[f"top_{args.top:.0%}_share"]
        g = conc.set_index("measure")["gini"]
        print(f"The top {args.top:.0%} of customers hold {top['revenue']:.1%} of revenue and "
              f"{top['profit']:.1%} of profit; Gini {g['revenue']:.3f} (revenue), "
              f"{g['profit']:.3f} (profit).")
    out = frame.copy()
    out.insert(1, "tier", tiers.astype(str).to_numpy())
    out.insert(2, "tier_zh", out["tier"].map(pyramid.TIER_NAMES_ZH))
    out.insert(3, "unprofitable", pyramid.flag_unprofitable(frame).to_numpy())
    _write_csv(args, out)
    return 0


def _clv(args) -> int:
    import datetime as dt
    import warnings

    import numpy as np
    import pandas as pd

    from . import clv, pyramid
    from .customers import UNITS

    _check_output(args)
    if args.model == "simple" and args.discount is not None:
        raise InputError("--discount applies to --model bgnbd; the simple formula is not "
                         "discounted")
    cal_end = args.calibration_end
    if cal_end is not None and args.as_of is not None and args.as_of <= cal_end:
        raise InputError(f"--as-of ({args.as_of}) must be after --calibration-end ({cal_end}): "
                         "the holdout period runs from one to the other")
    unit, horizon = args.unit, args.horizon or _ONE_YEAR[args.unit]
    periods = f"{horizon} {unit}{'s' if horizon != 1 else ''}"
    discount = args.discount or 0.0
    log = _TransactionLog(args)
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
            raise InputError(f"no holdout period: the last line is dated {obs_end}, not after "
                             f"--calibration-end {cal_end}", source=log.path)
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
            with warnings.catch_warnings():      # non-convergence is reported with the estimates
                warnings.simplefilter("ignore", RuntimeWarning)
                bg = clv.BetaGeoNBD().fit(df, **rft)
                gg = clv.GammaGamma().fit(df[usable], frequency="btyd_frequency",
                                          monetary="btyd_monetary")
            # a repeat buyer whose repeat days net to <= 0 (returns) has no spend to model:
            # she gets the population mean, which is what her own mean would shrink to
            data = df.assign(_monetary=df["btyd_monetary"].where(~repeat | usable,
                                                                 gg.mean_spend()))
            value = clv.customer_lifetime_value(
                bg, gg, **rft, monetary="_monetary", horizon=horizon, discount_rate=discount,
                margin=margin, data=data)
            out = pd.DataFrame({
                "customer_id": cust, "frequency": df["btyd_frequency"],
                "recency": df["btyd_recency"], "T": df["btyd_T"],
                "monetary_value": df["btyd_monetary"],
                "p_alive": bg.probability_alive(**rft, data=df),
                "expected_purchases": bg.conditional_expected_purchases(horizon, **rft, data=df),
                "expected_spend": gg.conditional_expected_average_spend(
                    "btyd_frequency", "_monetary", data=data),
                "clv": value})
            lost = int((~np.isfinite(out["clv"])).sum())
            if lost:
                failed = [type(m).__name__ for m in (bg, gg) if not m.converged_]
                raise InputError(
                    f"the models give no finite CLV for {lost:,} of {len(df):,} customers"
                    + (f" ({' and '.join(failed)} did not converge)" if failed else "")
                    + ": the log has too few customers or repeat purchases to estimate them; "
                    "use --model simple, or a longer log")
            if holdout is not None:
                out["frequency_holdout"] = holdout
                out["predicted_holdout"] = bg.conditional_expected_purchases(duration, **rft,
                                                                             data=df)
        else:
            rate = df["purchase_days"] / df["btyd_T"].clip(lower=1.0)
            avg_value = (df["revenue"] / df["purchase_days"]).clip(lower=0.0)
            out = pd.DataFrame({
                "customer_id": cust, "purchase_days": df["purchase_days"], "T": df["btyd_T"],
                "avg_transaction_value": avg_value, f"purchases_per_{unit}": rate,
                "clv": clv.simple_clv(avg_value, rate, horizon, margin)})
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
        _print_table(s, digits=5)
        conv = "" if model.converged_ else "; the optimiser did NOT converge"
        print(f"log-likelihood {model.loglik_:,.2f}, AIC {model.aic_:,.2f}, "
              f"{model.n_obs_:,} customers{conv}")

    fit_text = (f"fitted on the lines up to {cal_end}" if cal_end is not None else
                f"observed up to {table.as_of}")
    if args.model == "bgnbd":
        model_table(bg, f"BG/NBD repeat purchases (time unit: {unit})",
                    f"{fit_text}, {len(df):,} customers")
        x, m = df.loc[usable, "btyd_frequency"], df.loc[usable, "btyd_monetary"]
        corr = x.corr(m) if len(x) > 2 and x.std() > 0 and m.std() > 0 else np.nan
        model_table(gg, "Gamma-Gamma spend per repeat purchase day",
                    f"{int(usable.sum()):,} customers with a repeat purchase and positive spend")
        print(f"mean spend {gg.mean_spend():,.2f}; the model assumes spend independent of "
              f"frequency: their correlation is {corr:.3f}")
        if (repeat & ~usable).any():
            print(f"{int((repeat & ~usable).sum()):,} repeat buyer(s) whose repeat days net to "
                  "<= 0 (returns) get the population mean spend")
        formula = (f"BG/NBD x Gamma-Gamma over the next {periods}, discount "
                   f"{discount:g} {per}" + (" (undiscounted)" if discount == 0 else ""))
    else:
        print("\nsimple CLV = average value per purchase day x purchase days per "
              f"{unit} (over each customer's observed time, at least one {unit}) x {periods} "
              "x margin rate: no dropout, no discounting (no fitted parameters)")
        formula = f"simple formula over {periods}"
    v = out["clv"]
    print(f"\nCLV 顾客终身价值, {formula}, {margin_text}, before cost to serve:")
    print(f"  total {v.sum():,.2f}; per customer mean {v.mean():,.2f}, median {v.median():,.2f}"
          f", max {v.max():,.2f}; the top 20% of customers hold "
          + (f"{pyramid.top_share(v, 0.2):.1%}" if v.sum() > 0 else "n/a") + " of it")
    if args.model == "bgnbd":
        print(f"  expected purchases in the next {periods}: "
              f"{out['expected_purchases'].sum():,.0f}; mean P(alive) {out['p_alive'].mean():.3f}")
    if holdout is not None:
        actual, predicted = out["frequency_holdout"].sum(), out["predicted_holdout"].sum()
        print(f"\nholdout check: purchase days after {cal_end} up to {obs_end} "
              f"({duration:.4g} {unit}s) of the {len(df):,} calibration customers:")
        if args.model == "bgnbd":
            check = clv.holdout_comparison(bg, df.assign(frequency_holdout=holdout,
                                                         duration_holdout=duration),
                                           **rft)
            _print_table(check.rename(columns={"group": "repeat purchases"}))
        print(f"  total actual {actual:,.0f}, predicted {predicted:,.1f} "
              f"({predicted / actual - 1:+.1%})" if actual else
              f"  total actual 0, predicted {predicted:,.1f}")
    _write_csv(args, out)
    return 0


def _parse_params(pairs, files) -> dict:
    import yaml

    params: dict = {}
    for f in files or []:
        data = yaml.safe_load(Path(f).read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise InputError("a parameters file must be a YAML mapping of name: value", source=f)
        params.update(data)
    for key, value in pairs or []:
        params[key] = value
    return params


def _report(args) -> int:
    from . import reports

    if args.list:
        for name in reports.available():
            spec = reports.parameters(name)
            print(f"{name}: " + ", ".join(f"{k}={v['default']}" for k, v in spec.items()))
        return 0
    if not args.name:
        raise InputError("name a report (customer-value report --list shows them)")
    params = _parse_params(args.param, args.param_file)
    out = reports.run(args.name, params, out_dir=args.out, force=args.force,
                      progress=not args.quiet, cwd=Path.cwd())
    for p in out:
        print(f"wrote {p}")
    return 0


def _exercises(args) -> int:
    from . import exercises

    if args.action == "build":
        written = exercises.build_all()
        for p in written:
            print(f"wrote {p}")
        return 0
    stale = exercises.check_all()
    if stale:
        print("exercises/ is out of date for: " + ", ".join(stale)
              + "\nrun `customer-value exercises build` (or `make exercises`)", file=sys.stderr)
        return 1
    print("exercises/ is up to date")
    return 0


def _datasets(args) -> int:
    from . import datasets

    if args.action == "list":
        for name, ds in datasets.DATASETS.items():
            print(f"{name:24s} datasets/{ds.filename}  {ds.description}")
        return 0
    if args.action == "build":
        for p in datasets.build(args.out, args.names or None):
            print(f"wrote {p}")
        return 0
    stale = datasets.check(args.names or None)
    if stale:
        print("datasets differ from their generators: " + ", ".join(stale), file=sys.stderr)
        return 1
    print("datasets are byte-identical to their generators")
    return 0


def _notebooks(args) -> int:
    from . import notebooks

    if args.action == "execute":
        paths = [Path(p) for p in args.paths] or notebooks.course_notebooks()
        for p in paths:
            print(f"executing {p} ...", flush=True)
            notebooks.execute_in_place(p, timeout=args.timeout)
        return 0
    index = notebooks.build_course(Path(args.out), progress=True)
    print(f"course rendered: {index}")
    return 0


def _profit_models(args) -> int:
    import shutil
    import unicodedata

    from . import profit_models as pm

    if args.name:
        try:
            model = pm.get(args.name)
        except pm.UnknownProfitModel as err:
            raise InputError(f"{err} (`customer-value profit-models` lists them)") from None
        print(model.card(args.lang))
        return 0

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    def pad(text: str, n: int) -> str:
        return text + " " * max(n - width(text), 0)

    def one_line(text: str, n: int) -> str:
        first = text.replace("；", "; ").split("; ")[0].rstrip("。.") + ("。" if args.lang == "zh" else "")
        if width(first) <= n:
            return first
        out = ""
        for ch in first:
            if width(out + ch) > n - 1:
                break
            out += ch
        if args.lang == "en" and " " in out:
            out = out[: out.rfind(" ")].rstrip(",;:")
        return out + "…"

    cat = pm.catalogue(lang=args.lang, include_appendix=args.appendix)
    other = "name_zh" if args.lang == "en" else "name_en"
    w_name = max(width(s) for s in cat["name"]) + 2
    w_other = max(width(s) for s in cat[other]) + 2
    room = max(shutil.get_terminal_size((110, 24)).columns - 4 - w_name - w_other, 30)
    if args.lang == "en":
        print("Slywotzky's profit models (Slywotzky & Morrison 1997, The Profit Zone)")
        header = ("#", "model", "中文", "mechanism")
        hint = "customer-value profit-models NAME shows a model's card (NAME: number, English or Chinese name)"
    else:
        print("22种利润模型（Slywotzky & Morrison 1997, The Profit Zone）")
        header = ("#", "模型", "English", "机制")
        hint = "customer-value profit-models --lang zh NAME 显示某个模型的卡片（NAME：编号、中文或英文名称）"
    print(f"{header[0]:>2}  {pad(header[1], w_name)}{pad(header[2], w_other)}{header[3]}")
    for row in cat.itertuples(index=False):
        print(f"{row.number:>2}  {pad(row.name, w_name)}{pad(getattr(row, other), w_other)}"
              f"{one_line(row.mechanism, room)}")
    print(f"\n{hint}")
    return 0


def _experience_curve(args) -> int:
    import numpy as np
    import pandas as pd

    from . import profit_models as pm
    from .io import atomic_write, read_table

    if args.volume and args.includes_current:
        raise InputError("--volume adds each period's production to a cumulative count taken "
                         "before the period; with --includes-current the cumulative column "
                         "already counts it: give one of the two options, not both")
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
        raise InputError(f"column(s) not in the file: {', '.join(missing)}; the file has columns "
                         f"{list(df.columns)}", source=args.data)
    try:
        fit = pm.fit_experience_curve(df, cost=args.cost, cumulative=args.cumulative,
                                      includes_current=args.includes_current,
                                      production=args.volume, alpha=1 - args.level)
    except InputError as err:
        raise err.with_source(args.data) from None
    except ValueError as err:
        raise InputError(str(err), source=args.data) from None
    pct = f"{100 * args.level:g}%"
    print(f"Experience curve (Wright's law) of {args.data}: cost column {args.cost!r}")
    print(fit)
    print(f"R² = {fit.r_squared:.4f}, n = {fit.n}, se(b) = {fit.b_se:.4f}, "
          f"first-unit cost exp(a) = {fit.first_unit_cost:.4g}")
    summary = fit.summary()
    table = pd.DataFrame({"quantity": summary["quantity"], "estimate": summary["estimate"],
                          "std_err": summary["std_err"], "ci_lower": summary["ci_lower"],
                          "ci_upper": summary["ci_upper"]})
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(f"\n{pct} confidence intervals:")
        print(table.to_string(index=False, float_format=lambda v: f"{v:.4f}", na_rep=""))
        if args.forecast:
            fc = fit.forecast(args.forecast)
            last = float(fit.data["cumulative_used"].max())
            shown = fc.assign(cumulative=[np.format_float_positional(v, trim="-")
                                          for v in fc["cumulative"]])
            shown.insert(1, "doublings_ahead", np.log2(fc["cumulative"] / last))
            print(f"\nforecast (cost = fitted median; ci: the line, pi: a new observation, {pct}):")
            print(shown.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    if args.out:
        out = table.assign(pi_lower=np.nan, pi_upper=np.nan)
        if args.forecast:
            rows = pd.DataFrame({"quantity": [f"cost at cumulative {n:g}" for n in fc["cumulative"]],
                                 "estimate": fc["cost"], "std_err": np.nan,
                                 "ci_lower": fc["ci_lower"], "ci_upper": fc["ci_upper"],
                                 "pi_lower": fc["pi_lower"], "pi_upper": fc["pi_upper"]})
            out = pd.concat([out, rows], ignore_index=True)
        out = out.assign(confidence=args.level, cumulative_basis=fit.cumulative_basis,
                         cumulative_used=fit.cumulative_used, cost_column=args.cost)
        with atomic_write(args.out, force=args.force) as fh:
            out.to_csv(fh, index=False)
        print(f"wrote {args.out}")
    return 0


def _bonds(args) -> int:
    import pandas as pd

    from . import relationship
    from .io import atomic_write, read_table

    if args.out and Path(args.out).exists():
        if Path(args.out).resolve() == Path(args.survey).resolve():
            raise InputError(f"--out {args.out} is the input file; the input is never "
                             "overwritten: choose another name")
        if not args.force:
            raise InputError(f"{args.out} exists; use --force to overwrite it")
    scales = relationship.read_scales(args.scales)
    df = read_table(args.survey, sheet=args.sheet, encoding=args.encoding)
    try:
        res = relationship.score_bonds(df, scales, respondent=args.respondent,
                                       min_items=args.min_items, threshold=args.threshold)
    except InputError as err:
        raise err.with_source(args.survey) from None
    n_items = sum(len(v) for v in scales.items.values())
    print(f"Bond scales of {args.survey}: {len(res.scores)} respondents, {n_items} items on "
          f"{scales.scale_min}..{scales.scale_max}; "
          + ", ".join(f"{s} ({len(v)} items, score needs >= {res.min_items[s]})"
                      for s, v in scales.items.items())
          + (f"; reverse-coded: {', '.join(scales.reverse)}" if scales.reverse else ""))

    def show(frame):
        with pd.option_context("display.max_rows", 500, "display.width", 200,
                               "display.max_columns", 50, "display.precision", 3):
            print(frame.to_string(index=False))

    print("\nReliability (Cronbach's alpha, 95% CI by Feldt 1965; >= 0.7 is usable):")
    show(res.reliability())
    print("\nItems (after reverse coding; corrected item-total correlation, alpha if deleted):")
    show(res.item_stats().drop(columns="reverse"))
    print("\nFactor check (ML factor analysis, varimax; does each item load most on its own "
          "scale's factor?):")
    try:
        fc = res.factor_check(n_factors=args.factors)
    except InputError as err:
        print(f"skipped: {err.detail}")
    else:
        show(fc.loadings.round(3).reset_index())
        bad = fc.summary().loc[lambda s: ~s["ok"]]
        if bad.empty:
            print(f"every item loads most on its own scale's factor (n = {fc.n} complete "
                  "respondents)")
        else:
            print("items that load most on another factor: " + ", ".join(
                f"{r.item} ({r.scale} -> {r.factor}, {r.loading:.2f})" for r in bad.itertuples()))
    levels = res.scores["level"].value_counts(sort=False)
    print(f"\nRelationship level (highest level with a score >= {args.threshold:g}):")
    show(pd.DataFrame({"level": levels.index.astype(str), "respondents": levels.to_numpy(),
                       "share": (levels / levels.sum()).map(lambda v: f"{v:.1%}").to_numpy()}))
    if args.out:
        out = res.scores.copy()
        out["level"] = out["level"].astype(str)
        if args.respondent:
            out = out.reset_index()
        else:
            origin = df.attrs.get("customer_value_source", {})
            out.insert(0, "line", [int(i) + origin.get("first", 1) for i in out.index])
        with atomic_write(args.out, force=args.force) as fh:
            out.to_csv(fh, index=False, float_format="%.6g")
        print(f"wrote {args.out} ({len(out):,} rows)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="customer-value",
        description="Customer-needs analytics (以客户需求为导向): Kano analysis, reports, course tools.")
    from . import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    k = sub.add_parser("kano", help="Kano analysis of a survey file (CSV, Excel, Parquet)",
                       description="Classify each feature of a Kano survey, with strengths, Fong's "
                                   "test, Better/Worse (bootstrap CIs), continuous scores and "
                                   "importance; optionally per segment.")
    k.add_argument("survey", help="survey file: CSV (UTF-8/GBK, any delimiter), .xlsx or .parquet")
    k.add_argument("--format", choices=["auto", "wide", "long"], default="auto",
                   help="wide: one row per respondent with <feature>_functional/_dysfunctional "
                        "columns; long: respondent, feature, functional, dysfunctional (default: auto)")
    k.add_argument("--table", choices=["standard", "pouliot", "short"], default="standard",
                   help="evaluation table (default: standard)")
    k.add_argument("--by", metavar="COLUMN", help="segment column: results per segment + chi-square")
    k.add_argument("--exclude-questionable", type=int, metavar="N",
                   help="drop respondents with more than N questionable (Q) answers")
    k.add_argument("--respondent", metavar="COLUMN",
                   help="respondent ID column (checked for duplicates; long format default: respondent)")
    k.add_argument("--labels", metavar="YAML", help="extra answer wordings: a YAML mapping wording: code")
    k.add_argument("--suffixes", default="_functional,_dysfunctional,_importance",
                   help="wide-format column suffixes (default: %(default)s)")
    k.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples for CIs (0 = none)")
    k.add_argument("--seed", type=int, default=0, help="seed of the bootstrap (default: 0)")
    k.add_argument("--sheet", default=0, help="Excel sheet name or index (default: first)")
    k.add_argument("--encoding", help="CSV encoding (default: detected: UTF-8, UTF-16, GB18030/GBK)")
    k.add_argument("--out", metavar="CSV", help="write the per-feature table to this CSV")
    k.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    k.set_defaults(func=_kano)

    c = sub.add_parser("customers",
                       help="customer table from a transaction log (交易明细 → 顾客表)",
                       description="Aggregate a transaction log to one row per customer: orders, "
                                   "purchase days, returns, revenue, gross margin, cost to serve, "
                                   "profit and the BTYD inputs (frequency, recency, T, monetary). "
                                   "A messy file (GBK, ¥1,234.50, mixed date formats) is cleaned "
                                   "and the cleaning reported; bad cells are an error naming file, "
                                   "column and lines, or are dropped with --on-invalid drop.")
    _add_log_options(c, unit="day", out_help="write the customer table to this CSV")
    c.set_defaults(func=_customers)

    py = sub.add_parser("pyramid", help="customer pyramid (platinum/gold/iron/lead) and "
                                        "concentration of revenue and profit",
                        description="Tier customers by profit (Zeithaml, Rust & Lemon 2001): "
                                    "prints each tier's size, revenue and profit, the Gini and "
                                    "the top-20% shares of revenue and profit and the whale-curve "
                                    "peak; writes each customer's tier.")
    _add_log_options(py, unit="day", out_help="write the customer table with each customer's "
                                              "tier to this CSV")
    t = py.add_argument_group("tiers")
    how = t.add_mutually_exclusive_group()
    how.add_argument("--shares", type=_shares_arg, metavar="P,G,I,L",
                     help="shares of customers in platinum, gold, iron, lead, best first "
                          "(default: 0.2,0.3,0.3,0.2; percentages work too)")
    how.add_argument("--method", choices=["shares", "cumulative", "kmeans"],
                     help="shares (default): fixed shares of customers; cumulative: by "
                          "cumulative share of positive profit (--cutoffs), lead = profit <= 0; "
                          "kmeans: four clusters of the signed log of profit")
    t.add_argument("--cutoffs", type=_cutoffs_arg, default=(0.5, 0.8, 1.0), metavar="P,G,I",
                   help="--method cumulative: cumulative shares of positive profit that end "
                        "platinum, gold and iron (default: 0.5,0.8,1.0)")
    t.add_argument("--value", default="profit",
                   choices=["profit", "gross_margin", "revenue", "gross_sales"],
                   help="what ranks customers (default: profit; the pyramid ranks by "
                        "profitability, not revenue)")
    t.add_argument("--seed", type=int, default=0, help="seed of --method kmeans (default: 0)")
    t.add_argument("--top", type=_share_arg, default=0.2, metavar="X",
                   help="share of top customers in the concentration table (default: 0.2)")
    py.set_defaults(func=_pyramid)

    v = sub.add_parser("clv", help="customer lifetime value: BG/NBD + Gamma-Gamma, or the "
                                   "simple formula",
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
                                   "value customers today).")
    _add_log_options(v, unit="week", out_help="write one row per customer (inputs, P(alive), "
                                              "expected purchases and spend, CLV) to this CSV")
    m = v.add_argument_group("model")
    m.add_argument("--model", choices=["bgnbd", "simple"], default="bgnbd",
                   help="bgnbd (default) or simple")
    m.add_argument("--calibration-end", type=_date_arg, metavar="DATE",
                   help="fit on lines up to DATE, check the prediction on the lines after it "
                        "(up to --as-of or the last line)")
    m.add_argument("--horizon", type=_count_arg, metavar="N",
                   help="periods of --unit to value (default: one year: 365 days, 52 weeks, "
                        "12 months)")
    m.add_argument("--discount", type=_discount_arg, metavar="RATE",
                   help="bgnbd: discount rate per period of --unit, e.g. 0.0019 a week or 0.008 "
                        "a month for 10%% a year (default: 0)")
    v.set_defaults(func=_clv)

    r = sub.add_parser("report", help="render a report template on your data (HTML without code)",
                       description="Execute notebooks/reports/NAME.ipynb with papermill and render "
                                   "it to HTML without code, plus the executed notebook.")
    r.add_argument("name", nargs="?", help="report name, e.g. kano_report")
    r.add_argument("-p", "--param", nargs=2, action="append", metavar=("KEY", "VALUE"),
                   help="set a parameter (repeatable); relative paths are taken from the current "
                        "directory")
    r.add_argument("-f", "--param-file", action="append", metavar="YAML",
                   help="YAML file of parameters (repeatable; -p wins)")
    r.add_argument("--out", default="reports_out", metavar="DIR", help="output directory")
    r.add_argument("--force", action="store_true", help="overwrite existing outputs")
    r.add_argument("--list", action="store_true", help="list the reports and their parameters")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.set_defaults(func=_report)

    e = sub.add_parser("exercises", help="generate exercises/ from solutions/, or check it",
                       description="build: turn solutions/NN_slug.ipynb into exercises/NN_slug.ipynb; "
                                   "check: exit 1 when exercises/ is out of date.")
    e.add_argument("action", choices=["build", "check"])
    e.set_defaults(func=_exercises)

    d = sub.add_parser("datasets", help="list, rebuild or check the sample datasets",
                       description="The sample data in datasets/ are outputs of seeded generators.")
    d.add_argument("action", choices=["list", "build", "check"])
    d.add_argument("names", nargs="*", help="only these datasets")
    d.add_argument("--out", help="write into this directory instead of datasets/")
    d.set_defaults(func=_datasets)

    n = sub.add_parser("notebooks", help="execute lessons in place, or render the course to HTML",
                       description="execute: re-run notebooks in place (stored outputs); "
                                   "course: run every lesson with papermill and render HTML.")
    n.add_argument("action", choices=["execute", "course"])
    n.add_argument("paths", nargs="*", help="notebooks to execute (default: lessons, solutions and report templates)")
    n.add_argument("--out", default="build/course", help="course output directory")
    n.add_argument("--timeout", type=int, default=1200, help="seconds per cell")
    n.set_defaults(func=_notebooks)

    pmod = sub.add_parser(
        "profit-models", help="the 22 profit models (22种利润模型): catalogue or one model's card",
        description="Without NAME: list Slywotzky's 22 profit models (number, name, Chinese name, "
                    "mechanism in one line). With NAME (a number, an English or a Chinese name, "
                    "e.g. 21, 'experience curve', 经验曲线模型): print the model's card with "
                    "every catalogue field and the library function that computes it. Source: "
                    "Slywotzky & Morrison (1997), The Profit Zone.")
    pmod.add_argument("name", nargs="?", metavar="NAME",
                      help="model number (1-22, 23 = digital profit), English or Chinese name")
    pmod.add_argument("--lang", choices=["en", "zh"], default="en",
                      help="language of names and texts (default: en)")
    pmod.add_argument("--appendix", action="store_true",
                      help="list also model 23, digital profit (Slywotzky 2002)")
    pmod.set_defaults(func=_profit_models)

    xc = sub.add_parser(
        "experience-curve", help="fit Wright's law (经验曲线) to a cost series: learning rate",
        description="Fit log cost = a + b·log(cumulative volume) by OLS and print b, the "
                    "progress ratio 2^b and the learning rate 1 − 2^b with confidence "
                    "intervals, R², n and which cumulative count was used (before or including "
                    "the current period: the learning rate differs). Sources: Wright (1936); "
                    "Nagy, Farmer, Bui & Trancik (2013), PLOS ONE 8(2):e52669.",
        epilog="example: customer-value experience-curve datasets/pv_modules_experience_curve.csv "
               "--cost price_usd_per_wp --cumulative cumulative_before_mwp --forecast 5000 "
               "--forecast 10000")
    xc.add_argument("data", metavar="DATA", help="CSV (UTF-8/GBK, any delimiter), .xlsx or .parquet")
    xc.add_argument("--cost", required=True, metavar="COL", help="unit cost or price column (> 0)")
    xc.add_argument("--cumulative", required=True, metavar="COL",
                    help="cumulative volume column; by default it counts production BEFORE each "
                         "period")
    xc.add_argument("--includes-current", action="store_true",
                    help="the --cumulative column already includes each period's own production")
    xc.add_argument("--volume", metavar="COL",
                    help="each period's production (>= 0): fit on cumulative-before + volume, "
                         "i.e. cumulative including the period")
    xc.add_argument("--forecast", type=float, action="append", metavar="N",
                    help="predict the cost at cumulative volume N, with confidence and "
                         "prediction intervals (repeatable: --forecast 5000 --forecast 10000)")
    xc.add_argument("--level", type=float, default=0.95,
                    help="confidence level of the intervals (default: 0.95)")
    xc.add_argument("--sheet", default=0, help="Excel sheet name or index (default: first)")
    xc.add_argument("--encoding", help="CSV encoding (default: detected: UTF-8, UTF-16, GB18030/GBK)")
    xc.add_argument("--out", metavar="CSV",
                    help="write the estimates (and forecasts) with their intervals to this CSV")
    xc.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    xc.set_defaults(func=_experience_curve)

    bo = sub.add_parser(
        "bonds", help="relationship-bond scales (关系营销): scores, Cronbach's alpha, factor check",
        description="Score financial, social and structural bond indices (财务/社交/结构层次) from "
                    "Likert items: the mean of each respondent's answered items per scale after "
                    "reverse coding. Prints Cronbach's alpha per scale with Feldt's 95% CI, "
                    "item statistics (corrected item-total correlation, alpha if deleted), an "
                    "exploratory factor analysis with varimax rotation (does each item load on "
                    "its own scale's factor?) and the distribution of relationship levels "
                    "(the highest level with a score >= --threshold). Sources: Berry (1995), "
                    "JAMS 23(4); Cronbach (1951); Feldt (1965); Chiu et al. (2005), J. Business "
                    "Research 58(12).",
        epilog="example: customer-value bonds datasets/bond_survey.csv --scales "
               "datasets/bond_scales.yaml --respondent respondent_id --out scores.csv")
    bo.add_argument("survey", metavar="SURVEY",
                    help="survey file: CSV (UTF-8/GBK, any delimiter), .xlsx or .parquet; one "
                         "row per respondent, one column per item")
    bo.add_argument("--scales", required=True, metavar="YAML",
                    help="item-to-scale mapping, e.g. 'financial: [fin1, fin2]', 'reverse: "
                         "[soc4_r]', 'scale: [1, 7]' (see datasets/bond_scales.yaml)")
    bo.add_argument("--respondent", metavar="COLUMN",
                    help="respondent ID column (must be unique); without it the output names "
                         "the file line of each respondent")
    bo.add_argument("--threshold", type=float, default=5.0,
                    help="score at which a bond counts as strong for the level (default: 5)")
    bo.add_argument("--min-items", type=int, metavar="N",
                    help="answered items a respondent needs for a scale score (default: half "
                         "of the scale's items, rounded up)")
    bo.add_argument("--factors", type=int, metavar="N",
                    help="factors of the factor check (default: the number of scales)")
    bo.add_argument("--sheet", default=0, help="Excel sheet name or index (default: first)")
    bo.add_argument("--encoding", help="CSV encoding (default: detected: UTF-8, UTF-16, GB18030/GBK)")
    bo.add_argument("--out", metavar="CSV",
                    help="write the scores (respondent, one column per scale, level) to this CSV")
    bo.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    bo.set_defaults(func=_bonds)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
