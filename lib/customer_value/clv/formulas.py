"""CLV arithmetic: the practitioner formula, retention CLV, and the discounted BG/NBD and
Gamma-Gamma value of existing customers."""

from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd

from .._util import fmt
from ..btyd import BetaGeoNBD, GammaGamma
from ..btyd._base import _Arg, _cohort_counts, _discount, _nonneg, _output, _positive_scalar
from ..btyd.bgnbd import _bgnbd_cond, _rft
from ..io import InputError

__all__ = [
    "customer_lifetime_value",
    "discounted_expected_purchases",
    "retention_clv",
    "retention_from_cohort",
    "simple_clv",
]


def simple_clv(avg_transaction_value, purchases_per_period, expected_periods, margin=1.0):
    """The practitioner's CLV: average transaction value × purchases per period × expected
    periods as a customer (顾客终身价值 = 平均交易额 × 年购买频率 × 客户寿命期望), the formula of
    the course's source material, times ``margin``.

    The source's formula has no margin: it values revenue. ``margin`` (a margin rate, default 1
    = revenue) is our addition, to value profit instead; a negative margin is allowed
    (customers who cost money). No discounting and no retention: every customer is assumed to
    stay ``expected_periods`` and to buy at the average rate. Works on scalars or arrays
    (broadcast). Gupta & Lehmann (2005), *Managing Customers as Investments*, explain what it
    leaves out (retention and discounting: see :func:`retention_clv`).

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
    if not isinstance(gamma_gamma, GammaGamma):
        raise TypeError("customer_lifetime_value needs a fitted GammaGamma model")
    mg = float(margin)
    if not math.isfinite(mg):
        raise InputError(f"margin must be a finite number, not {margin!r}")
    dep = discounted_expected_purchases(
        bgnbd, frequency, recency, T, horizon, discount_rate, period_length, data=data
    )
    x = _Arg("frequency", frequency, data=data).values
    mon = _Arg("monetary", monetary, data=data, finite=False).values
    spend = np.asarray(
        gamma_gamma.conditional_expected_average_spend(
            x, np.broadcast_to(mon, np.shape(x)) if np.ndim(mon) else mon
        ),
        dtype=float,
    )
    out = mg * spend * np.asarray(dep, dtype=float)
    if isinstance(dep, pd.Series):
        return pd.Series(out, index=dep.index, name="clv")
    return float(out) if np.ndim(out) == 0 else out


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
        raise TypeError("discounted_expected_purchases needs a fitted BetaGeoNBD model")
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
