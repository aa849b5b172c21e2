"""Customer lifetime value (顾客终身价值, CLV): from the practitioner formula to probability models.

Three families of tools, from the simplest to the models of the "buy till you die" literature:

1. Arithmetic: :func:`simple_clv` (average transaction value × purchases per period × expected
   periods × margin, the seed formula of the course) and :func:`retention_clv` (margin, retention
   rate and discount rate; Gupta & Lehmann 2003, Gupta, Lehmann & Stuart 2004), with
   :func:`retention_from_cohort` for period-to-period retention rates.
2. Contractual settings (subscriptions, where a churn is observed): :class:`ShiftedBetaGeometric`
   (sBG; Fader & Hardie 2007) fitted to the counts of customers still active each period, with
   :func:`sbg_expected_lifetime` and :func:`sbg_derl` (discounted expected (residual) lifetime,
   Fader & Hardie 2010).
3. Non-contractual settings (retail, where nobody tells you they left): :class:`BetaGeoNBD`
   (BG/NBD; Fader, Hardie & Lee 2005a) for the number of repeat purchases and the probability
   that a customer is still "alive", :class:`GammaGamma` (Fader, Hardie & Lee 2005b; Fader &
   Hardie 2013) for the spend per purchase, and :func:`customer_lifetime_value` combining the two.
   :func:`discounted_expected_purchases` is the purchase part of that CLV (to price future
   purchases with a customer's own margin and cost to serve).
   :func:`calibration_holdout` builds their input from a transaction log, and
   :func:`plot_calibration_holdout` and :func:`repeat_purchase_tracking` check a fitted model
   on a holdout period.

Words: in the BG/NBD and Gamma-Gamma models, *frequency* is the number of **repeat** purchase
occasions (the first purchase is not counted), *recency* is the time from the first to the last
purchase (not the time since the last one, as in RFM scores), *T* is the customer's age: the time
from the first purchase to the end of the observation period. Purchases on the same day are one
purchase occasion.

Fitted models are scikit-learn style estimators: ``fit(...)`` returns the model; estimates are
in ``params_`` (a Series), their standard errors in ``se_``, the covariance in ``cov_``, the
maximised log-likelihood in ``loglik_`` (also ``aic_``, ``n_obs_`` and ``converged_``);
``summary()`` returns a table (parameter, estimate, std_err, ci_low, ci_high).
``from_params(...)`` builds a model from known (e.g. published) parameters.

Estimation: maximum likelihood with scipy's L-BFGS-B on the logarithms of the parameters (they
are all positive), from fixed starting values, with analytic gradients, then a few Newton steps
to polish the optimum; the same data always give the same numbers. Standard errors come from
the inverse of the observed information: the Hessian of −log L in the natural parameters,
computed by central differences of the analytic gradient at the estimate. At the maximum this
equals the delta method applied to the Hessian on the log scale. Confidence intervals are Wald
intervals on the log scale, exp(log θ̂ ± z·se/θ̂), so they stay positive (``summary(scale=
"linear")`` gives θ̂ ± z·se instead).

Sources
-------
* Gupta, S. & Lehmann, D. R. (2003). Customers as assets. *J. Interactive Marketing* 17(1):9–24;
  (2005) *Managing Customers as Investments*, Wharton School Publishing.
* Gupta, S., Lehmann, D. R. & Stuart, J. A. (2004). Valuing customers. *J. Marketing Research*
  41(1):7–18.
* Fader, P. S. & Hardie, B. G. S. (2007). How to project customer retention. *J. Interactive
  Marketing* 21(1):76–90.
* Fader, P. S. & Hardie, B. G. S. (2010). Customer-base valuation in a contractual setting: the
  perils of ignoring heterogeneity. *Marketing Science* 29(1):85–93.
* Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005a). "Counting your customers" the easy way: an
  alternative to the Pareto/NBD model. *Marketing Science* 24(2):275–284; and their note
  "Implementing the BG/NBD model for customer base analysis in Excel" (2005).
* Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005b). RFM and CLV: using iso-value curves for
  customer base analysis. *J. Marketing Research* 42(4):415–430.
* Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model of monetary value (note).
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd

from ._util import fmt
from .btyd import BetaGeoNBD, GammaGamma
from .btyd._base import (
    _MAX_EXAMPLES,
    _Arg,
    _cohort_counts,
    _discount,
    _nonneg,
    _output,
    _positive_scalar,
)
from .btyd.bgnbd import _bgnbd_cond, _rft
from .io import InputError

__all__ = [
    "simple_clv",
    "retention_clv",
    "retention_from_cohort",
    "customer_lifetime_value",
    "discounted_expected_purchases",
    "TIME_UNITS",
    "calibration_holdout",
    "holdout_comparison",
    "plot_calibration_holdout",
    "repeat_purchase_tracking",
    "plot_repeat_purchase_tracking",
]

TIME_UNITS = {
    "D": 1.0,
    "W": 7.0,
    "M": 365.25 / 12,
    "Y": 365.25,
    "day": 1.0,
    "week": 7.0,
    "month": 365.25 / 12,
    "year": 365.25,
}


def simple_clv(avg_transaction_value, purchases_per_period, expected_periods, margin=1.0):
    """The practitioner's CLV: average transaction value × purchases per period × expected
    periods as a customer × margin (顾客终身价值 = 平均每次消费 × 每年消费次数 × 顾客关系年数).

    No discounting and no retention: every customer is assumed to stay ``expected_periods`` and
    to buy at the average rate. Works on scalars or arrays (broadcast). ``margin`` is the margin
    rate (1.0 gives revenue, not profit; a negative margin is allowed: customers who cost money).
    Source: the practitioner formula of the course's seed material (DOMAIN.md §4); Gupta &
    Lehmann (2005), *Managing Customers as Investments*, explain what it leaves out (retention
    and discounting: see :func:`retention_clv`).

    >>> simple_clv(50.0, 12, 5, margin=0.3)
    900.0
    """
    args = [
        _Arg("avg_transaction_value", avg_transaction_value),
        _Arg("purchases_per_period", purchases_per_period),
        _Arg("expected_periods", expected_periods),
    ]
    for a in args:
        _nonneg(a)
    m = _Arg("margin", margin)
    try:
        out = args[0].values * args[1].values * args[2].values * m.values
    except ValueError:
        raise InputError(
            "simple_clv: the arguments must be scalars or arrays of one length; "
            f"got lengths {[np.size(a.values) for a in args + [m]]}"
        ) from None
    return _output(np.asarray(out), args + [m], "clv")


def retention_clv(margin, retention, discount, horizon=None, margin_timing="end"):
    """CLV of a customer with a constant margin m per period, retention rate r and discount
    rate d per period (Gupta & Lehmann 2003, *J. Interactive Marketing* 17(1); Gupta, Lehmann
    & Stuart 2004, *J. Marketing Research* 41(1)).

    Timing (``margin_timing``):

    * ``"end"`` (default, Gupta & Lehmann): the customer is acquired at t = 0 and pays m at the
      end of each period she survives; the payment at the end of period t is received with
      probability r^t and discounted by (1 + d)^t::

          CLV = Σ_{t=1..H} m·r^t/(1+d)^t      (horizon H periods)
              = m·r/(1 + d − r)              (infinite horizon, needs r < 1 + d)

    * ``"start"``: she pays m at the start of each period, the first one now (for sure)::

          CLV = Σ_{t=0..H−1} m·r^t/(1+d)^t  = m·(1 + d)/(1 + d − r)  (infinite horizon)

    Works on scalars or arrays (broadcast). With r = 0.8, d = 0.1 the "end" multiple is
    0.8/0.3 = 2.667; with r = 0.9 it is 0.9/0.2 = 4.5.

    >>> round(retention_clv(100, 0.8, 0.1), 2)
    266.67
    >>> round(retention_clv(100, 0.8, 0.1, horizon=1), 2)   # 100·0.8/1.1
    72.73
    """
    if margin_timing not in ("end", "start"):
        raise InputError(f"margin_timing must be 'end' or 'start', not {margin_timing!r}")
    m = _Arg("margin", margin)
    r = _Arg("retention", retention)
    r.fail_if((r.values < 0) | (r.values > 1), "must be a rate between 0 and 1")
    d = _Arg("discount", discount)
    d.fail_if(d.values <= -1, "must be > -1")
    mv, rv, dv = np.broadcast_arrays(m.values, r.values, d.values)
    q = rv / (1.0 + dv)  # survival-and-discount factor
    if horizon is None:
        bad = q >= 1
        if bad.any():
            raise InputError(
                "with an infinite horizon the retention rate must be below "
                f"1 + discount; got retention={fmt(float(rv[bad][0]))}, "
                f"discount={fmt(float(dv[bad][0]))}"
            )
    elif isinstance(horizon, bool) or not isinstance(horizon, numbers.Integral) or horizon < 0:
        raise InputError(f"horizon must be a whole number of periods >= 0 or None, not {horizon!r}")
    total = _geometric_sum(q, horizon)  # Σ_{t=0..H−1} q^t ("start")
    if margin_timing == "end":
        total = q * total  # Σ_{t=1..H} q^t
    return _output(np.asarray(mv * total), [m, r, d], "clv")


def _geometric_sum(q: np.ndarray, horizon) -> np.ndarray:
    """Σ_{t=0..H−1} q^t (H = horizon, None = ∞), accurate near q = 1 through expm1."""
    if horizon is None:
        return 1.0 / (1.0 - q)
    h = int(horizon)
    if h == 0:
        return np.zeros_like(q)
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = np.log(q)
        out = np.expm1(h * lq) / np.expm1(lq)
    return np.where(q == 1, float(h), np.where(q == 0, 1.0, out))


def retention_from_cohort(active_counts) -> pd.Series:
    """Period-to-period retention rates r_t = n_t / n_{t−1} from the numbers of customers of one
    cohort still active at periods 0, 1, …, T (period 0 = the cohort's initial size).

    Counts may be proportions (e.g. percent still active); they must be non-negative and must
    not increase. Returns a Series indexed by period 1..T (or by the input Series' index without
    its first label), NaN where n_{t−1} = 0. The observed rates usually rise with t even when no
    customer's loyalty changes: the customers most likely to churn leave first (Fader & Hardie
    2007, *J. Interactive Marketing* 21(1)).

    >>> retention_from_cohort([1000, 631, 468]).round(3).tolist()
    [0.631, 0.742]
    """
    arg = _Arg("active_counts", active_counts)
    n = _cohort_counts(arg, integer=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = np.where(n[:-1] > 0, n[1:] / np.where(n[:-1] > 0, n[:-1], 1.0), np.nan)
    index = arg.index[1:] if arg.index is not None else pd.RangeIndex(1, len(n), name="period")
    return pd.Series(rates, index=index, name="retention")


def customer_lifetime_value(
    bgnbd,
    gamma_gamma,
    frequency,
    recency,
    T,
    monetary,
    horizon,
    discount_rate,
    period_length=1.0,
    margin=1.0,
    *,
    data=None,
):
    """Discounted CLV of existing customers over ``horizon`` future periods (Fader, Hardie & Lee
    2005b, *JMR* 42(4)), summing period by period::

        CLV = Σ_{k=1..H} margin · E(M | x, m_x) · [E(Y(kL) | x,t_x,T) − E(Y((k−1)L) | x,t_x,T)]
                         / (1 + d)^k

    where E(Y(·)) is the BG/NBD conditional expectation (purchases after T), E(M) the
    Gamma-Gamma conditional expected spend, L = ``period_length``, d = ``discount_rate``.

    Units: recency, T and ``period_length`` are in the time unit the BG/NBD model was fitted in
    (e.g. weeks; a month is 30.4375/7 ≈ 4.348 weeks); ``horizon`` is a number of periods of
    that length and ``discount_rate`` is per period (e.g. 0.01 a month); each period's spend is
    discounted from its end. ``monetary`` is the mean spend per repeat purchase (ignored for
    frequency 0, which get the population mean); ``margin`` is a margin rate (1 = revenue).

    >>> bg = BetaGeoNBD.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> gg = GammaGamma.from_params(p=6.25, q=3.74, gamma=15.44)
    >>> v = customer_lifetime_value(bg, gg, 2, 30.43, 38.86, 20.0, horizon=12,
    ...                             discount_rate=0.01, period_length=30.4375 / 7)
    >>> round(v, 2)          # revenue over the next 12 months, weeks as the model's unit
    33.47
    """
    if not isinstance(bgnbd, BetaGeoNBD) or not isinstance(gamma_gamma, GammaGamma):
        raise InputError("customer_lifetime_value needs a BetaGeoNBD and a GammaGamma model")
    if isinstance(horizon, bool) or not isinstance(horizon, numbers.Integral) or horizon < 1:
        raise InputError(f"horizon must be a whole number of periods >= 1, not {horizon!r}")
    d = _discount("discount_rate", discount_rate)
    L = _positive_scalar("period_length", period_length)
    mg = float(margin)
    if not math.isfinite(mg):
        raise InputError(f"margin must be a finite number, not {margin!r}")
    x, tx, TT, args = _rft(data, frequency, recency, T, "customer_lifetime_value")
    mon = _Arg("monetary", monetary, data=data, finite=False).values
    spend = np.asarray(
        gamma_gamma.conditional_expected_average_spend(
            x, np.broadcast_to(mon, np.shape(x)) if np.ndim(mon) else mon
        ),
        dtype=float,
    )
    p = bgnbd._check_fitted()
    prev = np.zeros(np.shape(x))
    total = np.zeros(np.shape(x))
    for k in range(1, int(horizon) + 1):
        cum = _bgnbd_cond(p, np.full(np.shape(x), k * L), x, tx, TT)
        total = total + (cum - prev) / (1 + d) ** k
        prev = cum
    return _output(np.asarray(mg * spend * total), args, "clv")


def discounted_expected_purchases(
    bgnbd, frequency, recency, T, horizon, discount_rate, period_length=1.0, *, data=None
):
    """Discounted expected number of future purchase occasions of existing customers over
    ``horizon`` periods, the purchase part of :func:`customer_lifetime_value`::

        DEP = Σ_{k=1..H} [E(Y(kL) | x,t_x,T) − E(Y((k−1)L) | x,t_x,T)] / (1 + d)^k

    with E(Y(·)) the BG/NBD conditional expectation (Fader, Hardie & Lee 2005a, *Marketing
    Science* 24(2), eq. 10), L = ``period_length`` and d = ``discount_rate`` per period; each
    period's purchases are discounted from its end, as in :func:`customer_lifetime_value`
    (Fader, Hardie & Lee 2005b, *JMR* 42(4), who call the continuous-time analogue "discounted
    expected transactions", DET). Multiply by a customer's expected spend and margin for her
    CLV, or by a cost per purchase for her expected cost to serve: CLV = E(M) × margin × DEP.
    With ``discount_rate=0`` the sum telescopes to E(Y(H·L) | x, t_x, T).

    >>> bg = BetaGeoNBD.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> round(discounted_expected_purchases(bg, 2, 30.43, 38.86, horizon=1, discount_rate=0.0,
    ...                                     period_length=39.0), 3)   # = E(Y(39)), eq. 10
    1.226
    """
    if not isinstance(bgnbd, BetaGeoNBD):
        raise InputError("discounted_expected_purchases needs a BetaGeoNBD model")
    if isinstance(horizon, bool) or not isinstance(horizon, numbers.Integral) or horizon < 1:
        raise InputError(f"horizon must be a whole number of periods >= 1, not {horizon!r}")
    d = _discount("discount_rate", discount_rate)
    L = _positive_scalar("period_length", period_length)
    x, tx, TT, args = _rft(data, frequency, recency, T, "discounted_expected_purchases")
    p = bgnbd._check_fitted()
    prev = np.zeros(np.shape(x))
    total = np.zeros(np.shape(x))
    for k in range(1, int(horizon) + 1):
        cum = _bgnbd_cond(p, np.full(np.shape(x), k * L), x, tx, TT)
        total = total + (cum - prev) / (1 + d) ** k
        prev = cum
    return _output(np.asarray(total), args, "discounted_expected_purchases")


def _unit_days(unit) -> float:
    if isinstance(unit, str):
        if unit not in TIME_UNITS:
            raise InputError(
                f"unit must be one of {list(TIME_UNITS)} or a number of days, not {unit!r}"
            )
        return TIME_UNITS[unit]
    return _positive_scalar("unit", unit)


def _timestamp(name, value) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a date, not {value!r}") from None
    if pd.isna(ts):
        raise InputError(f"{name} must be a date, not {value!r}")
    return ts.normalize()


def _parse_dates(raw: pd.Series) -> pd.Series:
    """Dates as datetimes: ISO 8601 text (date, or date and time, in any mix), else each value
    parsed on its own (month first when ambiguous); unreadable values become NaT."""
    if pd.api.types.is_datetime64_any_dtype(raw):
        return raw
    parsed = pd.to_datetime(raw, errors="coerce", format="ISO8601")
    if (parsed.isna() & raw.notna()).any():
        mixed = pd.to_datetime(raw, errors="coerce", format="mixed")
        if mixed.notna().sum() > parsed.notna().sum():
            parsed = mixed
    return parsed


def _purchase_days(frame: pd.DataFrame, date: str) -> pd.Series:
    """The calendar day of each row's date; a missing or unreadable date is an error that
    shows up to five of them."""
    raw = frame[date]
    parsed = _parse_dates(raw)
    bad = parsed.isna().to_numpy()
    if bad.any():
        pos = np.flatnonzero(bad)[:_MAX_EXAMPLES]
        shown = ", ".join(f"row {frame.index[p]!r}: {raw.iloc[p]!r}" for p in pos)
        raise InputError(
            f"column {date!r} has {int(bad.sum())} missing or unreadable date(s), e.g. {shown}"
        )
    return parsed.dt.normalize()


def calibration_holdout(
    transactions: pd.DataFrame,
    customer_id: str = "customer_id",
    date: str = "date",
    calibration_end=None,
    observation_end=None,
    unit="W",
    monetary: str | None = None,
) -> pd.DataFrame:
    """Build the BG/NBD / Gamma-Gamma input per customer from a transaction log (one row per
    transaction), split into a calibration period and a holdout period.

    Purchase occasions: all transactions of a customer on the same calendar day are one
    occasion (times of day are dropped). Customers whose first purchase is after
    ``calibration_end`` are left out. For the calibration period (days ≤ calibration_end):

    * ``frequency`` = number of repeat occasions (occasions − 1);
    * ``recency`` = time from the first to the last occasion;
    * ``T`` = time from the first occasion to ``calibration_end``;
    * ``monetary_value`` (with ``monetary=`` a column of amounts) = mean spend of the repeat
      occasions, an occasion's spend being the day's total; 0 without repeat occasions;

    and for the holdout (calibration_end < day ≤ observation_end, default the last date in the
    log): ``frequency_holdout`` = occasions in the holdout (every one counts: the customer is
    known by then), ``duration_holdout`` = its length, and ``monetary_value_holdout`` with
    ``monetary=``. Times are in ``unit``: "D"/"day" = 1 day, "W"/"week" = 7 days, "M"/"month" =
    365.25/12 = 30.4375 days, "Y"/"year" = 365.25 days, or a number of days; fractional.
    Definitions as in Fader, Hardie & Lee (2005a, *Marketing Science* 24(2)).

    Returns a DataFrame indexed by customer id, sorted.

    >>> log = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...                     "date": ["2024-01-01", "2024-01-08", "2024-01-20", "2024-01-03"]})
    >>> s = calibration_holdout(log, calibration_end="2024-01-15", unit="W")
    >>> s.index.tolist(), s["frequency"].tolist(), s["T"].round(3).tolist()
    (['a', 'b'], [1, 0], [2.0, 1.714])
    >>> s["frequency_holdout"].tolist(), s["duration_holdout"].round(3).tolist()  # to 20 Jan
    ([1, 0], [0.714, 0.714])
    """
    if not isinstance(transactions, pd.DataFrame):
        raise InputError(
            f"transactions must be a pandas DataFrame, not {type(transactions).__name__}"
        )
    cols = [customer_id, date] + ([monetary] if monetary is not None else [])
    missing = [c for c in cols if c not in transactions.columns]
    if missing:
        raise InputError(
            f"column(s) {missing} not in transactions; columns are "
            f"{list(map(str, transactions.columns))}"
        )
    if calibration_end is None:
        raise InputError("calibration_end is required (the last day of the calibration period)")
    days = _unit_days(unit)
    tx = transactions[cols].copy()
    ids = tx[customer_id]
    if ids.isna().any():
        bad = np.flatnonzero(ids.isna().to_numpy())[:_MAX_EXAMPLES]
        raise InputError(
            f"column {customer_id!r} has missing customer ids at rows {list(tx.index[bad])}"
        )
    tx["_day"] = _purchase_days(tx, date)
    cal_end = _timestamp("calibration_end", calibration_end)
    obs_end = (
        tx["_day"].max()
        if observation_end is None
        else _timestamp("observation_end", observation_end)
    )
    if obs_end < cal_end:
        raise InputError(
            f"observation_end ({obs_end.date()}) is before calibration_end ({cal_end.date()})"
        )
    if monetary is not None:
        amt = _Arg(f"column {monetary!r}", tx[monetary])
        tx["_amt"] = amt.values
    else:
        tx["_amt"] = 0.0
    tx = tx[tx["_day"] <= obs_end]
    occ = tx.groupby([customer_id, "_day"], sort=True, observed=True)["_amt"].sum().reset_index()
    cal = occ[occ["_day"] <= cal_end]
    if cal.empty:
        raise InputError(f"no transaction on or before calibration_end ({cal_end.date()})")
    hold = occ[(occ["_day"] > cal_end) & occ[customer_id].isin(cal[customer_id])]
    g = cal.groupby(customer_id, sort=True, observed=True)
    first, last, n_occ = g["_day"].min(), g["_day"].max(), g["_day"].size()
    one_day = pd.Timedelta(days=1)
    out = pd.DataFrame(
        {
            "frequency": (n_occ - 1).astype("int64"),
            "recency": ((last - first) / one_day).astype(float) / days,
            "T": ((cal_end - first) / one_day).astype(float) / days,
        }
    )
    out.index.name = customer_id
    if monetary is not None:
        first_day = cal[customer_id].map(first)
        repeat = cal[cal["_day"] != first_day.to_numpy()]
        mv = repeat.groupby(customer_id, observed=True)["_amt"].mean()
        out["monetary_value"] = mv.reindex(out.index).fillna(0.0).astype(float)
    hg = hold.groupby(customer_id, observed=True)
    out["frequency_holdout"] = hg.size().reindex(out.index).fillna(0).astype("int64")
    out["duration_holdout"] = float((obs_end - cal_end) / one_day) / days
    if monetary is not None:
        out["monetary_value_holdout"] = (
            hg["_amt"].mean().reindex(out.index).fillna(0.0).astype(float)
        )
    return out


def holdout_comparison(
    model: BetaGeoNBD,
    summary: pd.DataFrame,
    max_frequency: int = 7,
    *,
    frequency="frequency",
    recency="recency",
    T="T",
    frequency_holdout="frequency_holdout",
    duration_holdout="duration_holdout",
) -> pd.DataFrame:
    """Mean actual vs mean predicted holdout purchases per calibration frequency 0, 1, …,
    ``max_frequency``+ (the conditional-expectation check of Fader, Hardie & Lee 2005a, Fig. 3).

    ``summary`` is the output of :func:`calibration_holdout` (or any table with those columns);
    predictions are ``model.conditional_expected_purchases(duration_holdout, …)``. Returns one
    row per group: ``group`` (text: "0", …, "7+"), ``customers``, ``actual``, ``predicted``.
    """
    if not isinstance(model, BetaGeoNBD):
        raise InputError("holdout_comparison needs a fitted BetaGeoNBD model")
    if (
        isinstance(max_frequency, bool)
        or not isinstance(max_frequency, numbers.Integral)
        or max_frequency < 1
    ):
        raise InputError(f"max_frequency must be a whole number >= 1, not {max_frequency!r}")
    dur = _Arg("duration_holdout", duration_holdout, data=summary)
    _nonneg(dur)
    actual = _Arg("frequency_holdout", frequency_holdout, data=summary)
    _nonneg(actual)
    pred = np.asarray(
        model.conditional_expected_purchases(dur.values, frequency, recency, T, data=summary),
        dtype=float,
    )
    x = _Arg("frequency", frequency, data=summary).values
    grp = np.minimum(x, max_frequency).astype(int)
    labels = [str(k) for k in range(max_frequency)] + [f"{max_frequency}+"]
    df = pd.DataFrame({"g": grp, "actual": actual.values, "predicted": pred})
    agg = (
        df.groupby("g")
        .agg(
            customers=("actual", "size"), actual=("actual", "mean"), predicted=("predicted", "mean")
        )
        .reindex(range(max_frequency + 1))
    )
    agg["customers"] = agg["customers"].fillna(0).astype("int64")
    agg.insert(0, "group", labels)
    return agg.reset_index(drop=True)


def plot_calibration_holdout(
    model: BetaGeoNBD, summary: pd.DataFrame, ax=None, max_frequency: int = 7, **columns
):
    """Plot mean actual and mean predicted holdout repeat purchases by calibration frequency
    (0 … ``max_frequency``+), see :func:`holdout_comparison`. Returns the Axes."""
    import matplotlib.pyplot as plt

    table = holdout_comparison(model, summary, max_frequency, **columns)
    if ax is None:
        _, ax = plt.subplots()
    pos = np.arange(len(table))
    ax.plot(pos, table["actual"], "o-", color="C0", label="actual")
    ax.plot(pos, table["predicted"], "s--", color="C1", label="predicted (BG/NBD)")
    ax.set_xticks(pos, table["group"])
    ax.set_xlabel("repeat purchases in the calibration period")
    ax.set_ylabel("mean purchases in the holdout period")
    ax.legend()
    return ax


def repeat_purchase_tracking(
    model: BetaGeoNBD,
    transactions: pd.DataFrame,
    customer_id: str = "customer_id",
    date: str = "date",
    calibration_end=None,
    unit="W",
    step=None,
) -> pd.DataFrame:
    """Cumulative repeat purchases over calendar time, actual against expected: the tracking
    plot with which Fader, Hardie & Lee (2005a, *Marketing Science* 24(2)) validate the BG/NBD
    model across its calibration and holdout periods.

    The customers are those whose first purchase is on or before ``calibration_end`` (all
    customers without it): the cohort the model was fitted on. Purchase occasions are calendar
    days, as in :func:`calibration_holdout` (pass only the purchase lines, e.g. positive
    amounts, so that a day with only a return is no occasion). At each grid date s, from the
    first purchase day every ``step`` days (default one ``unit``) to the last day in the log::

        actual(s)   = repeat occasions (days after a customer's first) on or before s
        expected(s) = Σ_i E[X(s − t0_i)]        (0 before her first purchase day t0_i)

    with E[X(t)] = :meth:`BetaGeoNBD.expected_purchases`, t in the model's ``unit``. Customers
    who share a first purchase day share a term, so the work grows with the number of distinct
    first days, not of customers.

    Returns a DataFrame with ``date``, ``actual``, ``expected`` and ``period`` ("calibration"
    or "holdout"); ``attrs["calibration_end"]`` holds the split (or None).

    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...                     "date": ["2024-01-01", "2024-01-10", "2024-01-03"]})
    >>> m = BetaGeoNBD.from_params(r=1.0, alpha=2.0, a=1.0, b=3.0)
    >>> repeat_purchase_tracking(m, log, unit="W")["actual"].tolist()   # 8 Jan, 10 Jan
    [0, 1]
    """
    if not isinstance(model, BetaGeoNBD):
        raise InputError("repeat_purchase_tracking needs a BetaGeoNBD model")
    model._check_fitted()
    if not isinstance(transactions, pd.DataFrame):
        raise InputError(
            f"transactions must be a pandas DataFrame, not {type(transactions).__name__}"
        )
    missing = [c for c in (customer_id, date) if c not in transactions.columns]
    if missing:
        raise InputError(
            f"column(s) {missing} not in transactions; columns are "
            f"{list(map(str, transactions.columns))}"
        )
    days = _unit_days(unit)
    step_days = days if step is None else _positive_scalar("step", step)
    occ = pd.DataFrame(
        {
            "c": transactions[customer_id].to_numpy(),
            "d": _purchase_days(transactions, date).to_numpy(),
        }
    ).drop_duplicates()
    if occ.empty:
        raise InputError("transactions has no rows")
    first = occ.groupby("c", sort=False)["d"].transform("min")
    cal_end = None
    if calibration_end is not None:
        cal_end = _timestamp("calibration_end", calibration_end)
        occ, first = occ[first <= cal_end], first[first <= cal_end]
        if occ.empty:
            raise InputError(
                f"no customer has a first purchase on or before calibration_end ({cal_end.date()})"
            )
    start, end = occ["d"].min(), occ["d"].max()
    one_day = pd.Timedelta(days=1)
    span = float((end - start) / one_day)
    offsets = np.arange(step_days, span + step_days, step_days)
    offsets = np.unique(np.minimum(offsets, span)) if span > 0 else np.array([0.0])
    repeat_days = np.sort(((occ["d"][occ["d"] != first] - start) / one_day).to_numpy(float))
    actual = np.searchsorted(repeat_days, offsets, side="right").astype("int64")
    first_days = ((first[occ["d"] == first] - start) / one_day).to_numpy(float)
    f, n_f = np.unique(first_days, return_counts=True)
    t = np.maximum(offsets[None, :] - f[:, None], 0.0) / days
    ex = np.asarray(model.expected_purchases(t.ravel()), dtype=float).reshape(t.shape)
    expected = (n_f[:, None] * ex).sum(axis=0)
    dates = start + pd.to_timedelta(offsets, unit="D")
    in_cal = np.ones(len(dates), dtype=bool) if cal_end is None else dates <= cal_end
    out = pd.DataFrame(
        {
            "date": dates,
            "actual": actual,
            "expected": expected,
            "period": np.where(in_cal, "calibration", "holdout"),
        }
    )
    out.attrs["calibration_end"] = cal_end
    return out


def plot_repeat_purchase_tracking(tracking: pd.DataFrame, ax=None):
    """Plot :func:`repeat_purchase_tracking`: actual (solid) and expected (dashed) cumulative
    repeat purchases against the date, with the end of the calibration period marked.
    Returns the Axes."""
    import matplotlib.pyplot as plt

    need = {"date", "actual", "expected"}
    if not isinstance(tracking, pd.DataFrame) or not need <= set(tracking.columns):
        raise InputError(
            "plot_repeat_purchase_tracking expects the DataFrame returned by "
            "repeat_purchase_tracking"
        )
    if ax is None:
        _, ax = plt.subplots()
    ax.plot(tracking["date"], tracking["actual"], "-", color="C0", label="actual")
    ax.plot(tracking["date"], tracking["expected"], "--", color="C1", label="expected (BG/NBD)")
    cal_end = tracking.attrs.get("calibration_end")
    if cal_end is not None:
        ax.axvline(cal_end, color="grey", ls=":", lw=1)
        ax.text(
            cal_end,
            0.02,
            " end of calibration",
            transform=ax.get_xaxis_transform(),
            fontsize=8,
            color="#555555",
            ha="left",
            va="bottom",
        )
    ax.set_xlabel("date")
    ax.set_ylabel("cumulative repeat purchases")
    ax.legend(loc="upper left")
    return ax
