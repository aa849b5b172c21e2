"""The customer table as one lazy narwhals query, written once for every backend (DuckDB,
Polars, PySpark), and the checks of data that are not in pandas."""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping, Sequence

from ..io import InputError
from .cleaning import MAX_AMOUNT
from .definitions import _EPOCH_ORDINAL, TABLE_COLUMNS
from .parsing import to_date


def _day_number(expr):
    """Days since 1970-01-01 of a Date expression, from year and day of year only, so that the
    same arithmetic runs on every backend (date subtraction differs between them)."""
    nw = _nw()
    y = expr.dt.year().cast(nw.Float64)
    y1 = y - 1
    # leap days from 1970 up to year y; floor of a float quotient is exact at these magnitudes
    # and much simpler SQL than narwhals' integer floor division
    leap = (y1 / 4).floor() - (y1 / 100).floor() + (y1 / 400).floor() - 477
    return (365 * (y - 1970) + leap + expr.dt.ordinal_day().cast(nw.Float64) - 1).cast(nw.Int64)


def _nw():
    import narwhals as nw

    return nw


def _aggregate(
    lf,
    *,
    id_col: str,
    date_col: str,
    amount_col: str,
    cost_col: str | None,
    margin_col: str | None,
    events: Mapping[str, float],
    float_events: set[str],
    as_of: _dt.date,
    cut: bool,
    unit_days: float,
    margin_rate: float,
    order_cost: float,
    return_cost: float,
    zero_is_order: bool = True,
):
    """Lines → customer-days (purchase occasions) → customers, as one lazy narwhals query.

    Written once for every backend, within what narwhals 2.29 supports lazily everywhere:

    * the value of each customer's first purchase day (excluded from btyd_monetary) needs an
      "arg-min"; narwhals has no arg_min, its ordered ``first(order_by=)`` is not available on
      PySpark, and a window over the customer-days was slower on DuckDB, so the first purchase
      day is a small aggregate of the lines joined back to the customer-days;
    * the other totals come straight from the lines (1 group per customer), and only the two
      quantities that need days (purchase occasions, value of paid repeat days) go through the
      customer-day aggregate, which is the expensive step;
    * counts are ``count()`` of non-null values (``when(amount > 0).then(amount)``): summing a
      cast boolean becomes a 128-bit sum in DuckDB;
    * date differences are computed from year and day of year (``_day_number``), because
      subtracting dates gives different types on DuckDB, Polars and Spark.
    """
    nw = _nw()
    sel = [
        nw.col(id_col).alias("customer_id"),
        nw.col(date_col).cast(nw.Date).alias("_d"),
        nw.col(amount_col).cast(nw.Float64).alias("_a"),
    ]
    if cost_col is not None:
        sel.append(nw.col(cost_col).cast(nw.Float64).alias("_k"))
    if margin_col is not None:
        sel.append(nw.col(margin_col).cast(nw.Float64).alias("_m"))
    service = []
    for col, rate in events.items():
        if rate == 0:
            continue
        e = nw.col(col).cast(nw.Float64)
        if col in float_events:
            e = e.fill_nan(0.0)
        service.append(e.fill_null(0.0) * rate)
    if service:
        sel.append(
            nw.sum_horizontal(*service).alias("_s") if len(service) > 1 else service[0].alias("_s")
        )
    line = lf.select(*sel)
    if cut:
        line = line.filter(nw.col("_d") <= nw.lit(as_of))

    a = nw.col("_a")
    extra = [c for c in ("_k", "_m", "_s") if c in line.collect_schema().names()]
    is_order = (a >= 0) if zero_is_order else (a > 0)
    pos_a, neg_a, ord_a = nw.when(a > 0).then(a), nw.when(a < 0).then(-a), nw.when(is_order).then(a)
    bought_on = nw.when(is_order).then(nw.col("_d"))
    # 1. customer totals straight from the lines (count() counts non-null: order/return lines)
    totals = line.group_by("customer_id").agg(
        bought_on.min().alias("first_purchase"),
        bought_on.max().alias("last_purchase"),
        ord_a.count().cast(nw.Int64).alias("orders"),
        neg_a.count().cast(nw.Int64).alias("returns"),
        pos_a.sum().alias("gross_sales"),
        neg_a.sum().alias("returns_value"),
        *[nw.col(c).sum() for c in extra],
    )
    # 2. purchase occasions: customer-days with an order line, with that day's net value; the
    #    first one is found by joining each customer's first purchase day (a small aggregate of
    #    the lines), which is cheaper than a window over the customer-days. A repeat occasion
    #    is paid when its net value is positive: those are the Gamma-Gamma spend observations.
    first = line.filter(is_order).group_by("customer_id").agg(nw.col("_d").min().alias("_fp"))
    paid = (nw.col("_d") != nw.col("_fp")) & (nw.col("_v") > 0)
    occasions = (
        line.group_by("customer_id", "_d")
        .agg(ord_a.count().alias("_no"), a.sum().alias("_v"))
        .filter(nw.col("_no") > 0)
        .join(first, on="customer_id", how="inner")
        .group_by("customer_id")
        .agg(
            nw.len().cast(nw.Int64).alias("purchase_days"),
            nw.when(paid).then(nw.col("_v")).count().cast(nw.Int64).alias("btyd_paid_frequency"),
            nw.when(paid).then(nw.col("_v")).sum().alias("_paid"),
        )
    )
    # customers without a purchase (only returns, or only later lines) drop out here
    cust = totals.join(occasions, on="customer_id", how="inner").with_columns(
        nw.col("gross_sales").fill_null(0.0),
        nw.col("returns_value").fill_null(0.0),
        nw.col("_paid").fill_null(0.0),
    )

    revenue = nw.col("gross_sales") - nw.col("returns_value")
    if cost_col is not None:
        margin = revenue - nw.col("_k")
    elif margin_col is not None:
        margin = nw.col("_m")
    else:
        margin = revenue * margin_rate
    to_serve = nw.col("orders") * float(order_cost) + nw.col("returns") * float(return_cost)
    if "_s" in extra:
        to_serve = to_serve + nw.col("_s")
    freq = nw.col("purchase_days") - 1
    first_n, last_n = _day_number(nw.col("first_purchase")), _day_number(nw.col("last_purchase"))
    as_of_n = as_of.toordinal() - _EPOCH_ORDINAL
    out = cust.with_columns(
        revenue.alias("revenue"),
        (nw.lit(as_of_n) - last_n).cast(nw.Int64).alias("recency_days"),
        (nw.col("gross_sales") / nw.col("orders")).alias("avg_order_value"),
        margin.cast(nw.Float64).alias("gross_margin"),
        to_serve.cast(nw.Float64).alias("cost_to_serve"),
        freq.cast(nw.Int64).alias("btyd_frequency"),
        ((last_n - first_n).cast(nw.Float64) / unit_days).alias("btyd_recency"),
        ((nw.lit(as_of_n) - first_n).cast(nw.Float64) / unit_days).alias("btyd_T"),
        nw.when(nw.col("btyd_paid_frequency") > 0)
        .then(nw.col("_paid") / nw.col("btyd_paid_frequency").cast(nw.Float64))
        .otherwise(0.0)
        .alias("btyd_monetary"),
    ).with_columns((nw.col("gross_margin") - nw.col("cost_to_serve")).alias("profit"))
    return out.select(*TABLE_COLUMNS)


# checking data that are not in pandas (no line numbers there: example rows instead)


def _is_float(dtype) -> bool:
    nw = _nw()
    return dtype in (nw.Float32, nw.Float64) or isinstance(dtype, (nw.Float32, nw.Float64))


def _show(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "<missing>"
    return repr(v) if isinstance(v, str) else str(v)


def _check_lazy(
    lf,
    *,
    id_col,
    date_col,
    money: Sequence[str],
    events: Sequence[str],
    backend: str,
    not_after: _dt.date | None = None,
) -> tuple[_dt.date, _dt.date, int, int]:
    """Types, missing ids/dates/amounts, amounts beyond ±10¹⁵ or infinite, negative service
    events and lines dated after ``not_after``, in one aggregate query.

    Returns the first and the last transaction date, the number of rows and the number of lines
    with amount 0; raises one InputError."""
    nw = _nw()
    schema = lf.collect_schema()
    wrong = {
        c: f"column {c!r} has type {schema[c]}, not a number"
        for c in [*money, *events]
        if not schema[c].is_numeric()
    }
    dt_type = schema[date_col]
    if not (dt_type == nw.Date or isinstance(dt_type, nw.Datetime) or dt_type == nw.Datetime):
        wrong[date_col] = f"column {date_col!r} has type {dt_type}, not a date or datetime"
    if wrong:
        raise InputError(
            f"the {backend} data cannot be aggregated as they are: "
            + "; ".join(wrong.values())
            + ". Convert these columns first, or read the file with customer_value.io.read_table "
            "and parse it with customer_value.customers.clean_transactions.",
            columns=list(wrong),
        )

    def null(c):
        e = nw.col(c).is_null()
        return e | nw.col(c).is_nan() if _is_float(schema[c]) else e

    checks = {
        "missing customer id": (id_col, nw.col(id_col).is_null()),
        "missing date": (date_col, nw.col(date_col).is_null()),
        **{f"missing {c}": (c, null(c)) for c in money},
        **{
            f"beyond ±{MAX_AMOUNT:.0e} or infinite (not a plausible amount) [{c}]": (
                c,
                nw.col(c).abs() > MAX_AMOUNT,
            )
            for c in money
        },
        **{
            "negative service-event value (must be >= 0)" + f" [{c}]": (c, nw.col(c) < 0)
            for c in events
        },
    }
    if not_after is not None:
        checks[f"dated after {not_after}"] = (
            date_col,
            nw.col(date_col).cast(nw.Date) > nw.lit(not_after),
        )
    aggs = [
        mask.cast(nw.Int64).sum().alias(f"_c{i}") for i, (_, mask) in enumerate(checks.values())
    ]
    stats = lf.select(
        nw.len().alias("_n"),
        nw.col(date_col).min().alias("_min"),
        nw.col(date_col).max().alias("_max"),
        (nw.col(money[0]) == 0).cast(nw.Int64).sum().alias("_zero"),
        *aggs,
    ).collect()
    row = stats.rows(named=True)[0]
    n, first, last = int(row["_n"]), row["_min"], row["_max"]
    parts, columns = [], []
    for i, (reason, (col, mask)) in enumerate(checks.items()):
        k = int(row[f"_c{i}"] or 0)
        if not k:
            continue
        reason = reason.split(" [")[0]
        shown = [id_col, date_col, *money] + (
            [col] if col not in (id_col, date_col, *money) else []
        )
        if reason.startswith(("negative", "beyond", "dated")):
            vals = (
                lf.filter(mask)
                .group_by(col)
                .agg(nw.len().alias("_k"))
                .sort("_k", descending=True)
                .head(10)
                .collect()
                .rows()
            )
            values = ", ".join(f"{v!r} ({c} row{'s' if c != 1 else ''})" for v, c in vals)
        else:
            values = f"<missing> ({k} row{'s' if k != 1 else ''})"
        examples = lf.filter(mask).select(*shown).head(5).collect().rows(named=True)
        lines = [f"column {col!r}, {reason}: {values}"]
        lines += [
            "  e.g. " + ", ".join(f"{c}={_show(v)}" for c, v in ex.items()) for ex in examples
        ]
        if k > len(examples):
            lines.append(
                f"  ... and {k - len(examples)} more row{'s' if k - len(examples) != 1 else ''}"
            )
        parts.append("\n".join(lines))
        columns.append(col)
    if parts:
        raise InputError(
            f"the {backend} transaction data have problems "
            f"({n:,} rows checked; no line numbers outside pandas):\n" + "\n".join(parts),
            columns=columns,
        )
    if last is None:
        raise InputError(f"the {backend} data have no transactions (0 rows with a date)")
    return to_date(first), to_date(last), n, int(row["_zero"] or 0)
