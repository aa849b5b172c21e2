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
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import optimize, special

__all__ = [
    # arithmetic
    "simple_clv",
    "retention_clv",
    "retention_from_cohort",
    # contractual
    "ShiftedBetaGeometric",
    "sbg_expected_lifetime",
    "sbg_derl",
    "simulate_sbg",
    # non-contractual
    "BetaGeoNBD",
    "simulate_bgnbd",
    "GammaGamma",
    "simulate_gamma_gamma",
    "customer_lifetime_value",
    "discounted_expected_purchases",
    # data preparation and checks
    "TIME_UNITS",
    "calibration_holdout",
    "holdout_comparison",
    "plot_calibration_holdout",
    "repeat_purchase_tracking",
    "plot_repeat_purchase_tracking",
]

#: Length of each time unit in days (a month is a twelfth of a Julian year, as in
#: :data:`customer_value.customers.UNITS`). Pandas-style codes are accepted too.
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

_MAX_EXAMPLES = 5
_SUMMARY_COLUMNS = ["parameter", "estimate", "std_err", "ci_low", "ci_high"]


# ============================================================================================
# validation helpers
# ============================================================================================


def _fmt(v) -> str:
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return f"{v:.6g}"
    return repr(v)


class _Arg:
    """A numeric input with the name to use in messages and the labels of its rows."""

    def __init__(self, name: str, value, *, data: pd.DataFrame | None = None, finite: bool = True):
        self.index = None
        if isinstance(value, str):
            if data is None:
                raise ValueError(f"{name}={value!r} names a column, but no data= was given")
            if value not in data.columns:
                raise ValueError(
                    f"{name}: column {value!r} is not in data; columns are "
                    f"{list(map(str, data.columns))}"
                )
            self.label = f"column {value!r}"
            self.index = data.index
            raw = _numpy(data[value])
        else:
            self.label = name
            if isinstance(value, pd.Series):
                self.index = value.index
                raw = _numpy(value)
            elif isinstance(value, pd.DataFrame):
                raise ValueError(f"{name} must be a column name or a 1-d array, not a DataFrame")
            else:
                raw = value
        self.scalar = np.ndim(raw) == 0
        try:
            arr = np.asarray(raw, dtype=float)
        except (TypeError, ValueError):
            bad = [
                v for v in np.atleast_1d(np.asarray(raw, dtype=object)).ravel() if not _is_number(v)
            ][:_MAX_EXAMPLES]
            raise ValueError(
                f"{self.label} must be numeric; offending values: {', '.join(map(repr, bad))}"
            ) from None
        if arr.ndim > 1:
            raise ValueError(f"{self.label} must be a scalar or 1-d, not shape {arr.shape}")
        self.values = arr
        if finite:
            self.fail_if(~np.isfinite(arr), "must be finite (no missing or infinite values)")

    def where(self, mask) -> str:
        mask = np.broadcast_to(np.asarray(mask, dtype=bool), self.values.shape)
        pos = np.flatnonzero(np.atleast_1d(mask))
        vals = np.atleast_1d(self.values)
        if self.scalar:
            return f"got {_fmt(float(vals[0]))}"
        labels = (
            list(self.index[pos[:_MAX_EXAMPLES]])
            if self.index is not None
            else list(pos[:_MAX_EXAMPLES])
        )
        kind = "row" if self.index is not None else "position"
        shown = ", ".join(
            f"{kind} {lab!r}: {_fmt(vals[p])}"
            if isinstance(lab, str)
            else f"{kind} {lab}: {_fmt(vals[p])}"
            for lab, p in zip(labels, pos[:_MAX_EXAMPLES])
        )
        more = f" and {len(pos) - _MAX_EXAMPLES} more" if len(pos) > _MAX_EXAMPLES else ""
        return f"{len(pos)} offending value{'s' if len(pos) != 1 else ''}, e.g. {shown}{more}"

    def fail_if(self, mask, message: str) -> None:
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            raise ValueError(f"{self.label} {message}; {self.where(mask)}")


def _numpy(series: pd.Series) -> np.ndarray:
    """Values of a Series; missing values of numeric (also nullable) types become NaN."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series):
        return series.to_numpy(dtype=float, na_value=np.nan)
    return series.to_numpy()


def _is_number(v) -> bool:
    try:
        float(v)
    except (TypeError, ValueError):
        return False
    return True


def _int_like(arg: _Arg) -> np.ndarray:
    arg.fail_if(arg.values != np.round(arg.values), "must hold whole numbers (counts)")
    return arg.values


def _nonneg(arg: _Arg) -> np.ndarray:
    arg.fail_if(arg.values < 0, "must be >= 0")
    return arg.values


def _positive_scalar(name: str, value, *, allow_zero: bool = False) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, not {value!r}") from None
    if not math.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        raise ValueError(
            f"{name} must be a finite number {'>=' if allow_zero else '>'} 0, not {value!r}"
        )
    return v


def _discount(name: str, value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, not {value!r}") from None
    if not math.isfinite(v) or v <= -1:
        raise ValueError(
            f"{name} must be a finite rate > -1 (e.g. 0.1 for 10% per period), not {value!r}"
        )
    return v


def _output(values: np.ndarray, args: Sequence[_Arg], name: str):
    """Scalars in → float out; a pandas input (or data=) → Series with its index; else array."""
    for a in args:
        if a.index is not None and values.ndim == 1 and len(a.index) == len(values):
            return pd.Series(values, index=a.index, name=name)
    if values.ndim == 0 or (all(a.scalar for a in args) and values.size == 1):
        return float(values.reshape(-1)[0])
    return values


def _rows(data, names: dict[str, object], method: str) -> tuple[pd.DataFrame | None, dict]:
    """Resolve seaborn-style arguments: a DataFrame plus column names, or arrays."""
    if data is not None and not isinstance(data, pd.DataFrame):
        raise ValueError(f"{method}: data must be a pandas DataFrame, not {type(data).__name__}")
    return data, {k: _Arg(k, v, data=data) for k, v in names.items()}


def _shift_positional(data, values: list, names: list[str], method: str):
    """``fit(df, ...)`` or ``fit(array1, array2, ...)``: a non-DataFrame first argument is the
    first array and the other positional arguments shift along by one."""
    if data is None or isinstance(data, pd.DataFrame):
        return data, values
    if not isinstance(values[-1], str):
        raise ValueError(
            f"{method}: pass either data= and column names, or the arrays {', '.join(names)}"
        )
    return None, [data, *values[:-1]]


# ============================================================================================
# 1. arithmetic
# ============================================================================================


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
        raise ValueError(
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
        raise ValueError(f"margin_timing must be 'end' or 'start', not {margin_timing!r}")
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
            raise ValueError(
                "with an infinite horizon the retention rate must be below "
                f"1 + discount; got retention={_fmt(float(rv[bad][0]))}, "
                f"discount={_fmt(float(dv[bad][0]))}"
            )
    elif isinstance(horizon, bool) or not isinstance(horizon, numbers.Integral) or horizon < 0:
        raise ValueError(f"horizon must be a whole number of periods >= 0 or None, not {horizon!r}")
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


def _cohort_counts(arg: _Arg, *, integer: bool) -> np.ndarray:
    if arg.scalar or arg.values.size < 2:
        raise ValueError(
            f"{arg.label} must hold at least two counts (period 0 = the cohort "
            f"size, then the customers still active at periods 1, 2, …)"
        )
    n = _nonneg(arg)
    if integer:
        _int_like(arg)
    if n[0] <= 0:
        raise ValueError(
            f"{arg.label}: the first count (period 0, the cohort size) must be > 0, "
            f"not {_fmt(n[0])}"
        )
    inc = np.concatenate([[False], np.diff(n) > 0])
    if inc.any():
        pos = np.flatnonzero(inc)[:_MAX_EXAMPLES]
        lab = (lambda p: arg.index[p]) if arg.index is not None else (lambda p: p)
        shown = ", ".join(f"{_fmt(n[p - 1])} → {_fmt(n[p])} at period {lab(p)}" for p in pos)
        raise ValueError(
            f"{arg.label}: the number of customers still active cannot increase "
            f"over time (a cohort only loses members); got {shown}"
        )
    return n


# ============================================================================================
# shared machinery for maximum-likelihood models
# ============================================================================================


def _rng(seed) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise ValueError(f"seed must be an int or a numpy Generator, not {seed!r}")
    return np.random.default_rng(int(seed))


def _hessian(
    grad, x: np.ndarray, *, rel_step: float | None = 1e-5, abs_step: float | None = None
) -> np.ndarray:
    """Hessian by central differences of an analytic gradient (error O(h²)), symmetrised.
    Steps are ``rel_step``·|x_j| (positive parameters) or ``abs_step`` (log-parameters)."""
    k = len(x)
    H = np.empty((k, k))
    for j in range(k):
        h = abs_step if abs_step is not None else rel_step * max(abs(x[j]), 1e-12)
        e = np.zeros(k)
        e[j] = h
        H[:, j] = (grad(x + e) - grad(x - e)) / (2 * h)
    return (H + H.T) / 2


def _maximise(negll, start: Sequence[float], n: float):
    """Minimise ``negll(params) -> (value, gradient)`` over log-parameters: L-BFGS-B from
    ``start``, then Newton steps (Hessian by differences of the analytic gradient) to polish
    the optimum to machine precision. Returns the parameters, whether the gradient vanished
    (per observation, on the log scale, below 1e-6), and a short message."""

    def fun(theta):
        p = np.exp(theta)
        f, g = negll(p)
        if not np.isfinite(f):
            return np.inf, np.zeros_like(theta)
        return f / n, g * p / n

    def grad(theta):
        return fun(theta)[1]

    theta = np.log(np.asarray(start, dtype=float))
    res = optimize.minimize(
        lambda th: _finite(fun(th)),
        theta,
        jac=True,
        method="L-BFGS-B",
        bounds=[(-30.0, 30.0)] * len(theta),
        options={"maxiter": 5000, "ftol": 1e-13, "gtol": 1e-9},
    )
    theta = res.x
    f, g = fun(theta)
    for _ in range(30):
        if np.max(np.abs(g)) < 1e-9:
            break
        H = _hessian(grad, theta, abs_step=1e-5)
        try:
            step = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(step)) or np.dot(step, g) <= 0:
            break  # not a descent direction (H not PD)
        t = 1.0
        while t > 1e-6:
            f_new, g_new = fun(theta - t * step)
            if f_new <= f + 1e-14 * abs(f):
                break
            t /= 2
        else:
            break
        theta, f, g = theta - t * step, f_new, g_new
        if np.max(np.abs(t * step)) < 1e-12:
            break
    converged = bool(np.all(np.isfinite(g)) and np.max(np.abs(g)) < 1e-6)
    return np.exp(theta), converged, str(res.message)


def _finite(fg):
    f, g = fg
    return (1e300, g) if not np.isfinite(f) else (f, g)


class _MLModel:
    """Common parts of the fitted models: parameters, standard errors, summary."""

    _param_names: tuple[str, ...] = ()
    _source: str = ""

    def __init__(self):
        self.params_ = None

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_params(cls, **params):
        """A model with known parameters (e.g. published estimates); no standard errors."""
        missing = [p for p in cls._param_names if p not in params]
        extra = [p for p in params if p not in cls._param_names]
        if missing or extra:
            raise ValueError(
                f"{cls.__name__}.from_params needs exactly {list(cls._param_names)}"
                f"; missing {missing}, unknown {extra}"
            )
        values = [_positive_scalar(p, params[p]) for p in cls._param_names]
        model = cls()
        model._set(np.array(values), cov=None, loglik=np.nan, n=0, result=None)
        return model

    def _set(self, p: np.ndarray, *, cov, loglik: float, n: int, result) -> None:
        names = list(self._param_names)
        self.params_ = pd.Series(p, index=names, name="estimate")
        if cov is None:
            cov = np.full((len(p), len(p)), np.nan)
        self.cov_ = pd.DataFrame(cov, index=names, columns=names)
        with np.errstate(invalid="ignore"):
            self.se_ = pd.Series(
                np.sqrt(np.where(np.diag(cov) >= 0, np.diag(cov), np.nan)),
                index=names,
                name="std_err",
            )
        self.loglik_ = float(loglik)
        self.n_obs_ = int(n)
        self.aic_ = -2 * self.loglik_ + 2 * len(p) if n else np.nan
        self.converged_ = result

    def _finish_fit(self, negll, negll_grad, start, n, weight_total) -> None:
        p, converged, message = _maximise(negll, start, weight_total)
        f, _ = negll(p)
        H = _hessian(negll_grad, p)
        try:
            cov = np.linalg.inv(H)
        except np.linalg.LinAlgError:
            cov = np.full_like(H, np.nan)
        if not converged:
            warnings.warn(
                f"{type(self).__name__}: the maximum likelihood search did not "
                f"converge ({message}); estimates may be unreliable",
                RuntimeWarning,
                stacklevel=3,
            )
        self._set(p, cov=cov, loglik=-f, n=n, result=converged)

    def _check_fitted(self) -> np.ndarray:
        if self.params_ is None:
            raise ValueError(
                f"this {type(self).__name__} is not fitted yet: call fit(...) or "
                f"build it with {type(self).__name__}.from_params(...)"
            )
        return self.params_.to_numpy()

    # -- reporting ------------------------------------------------------------------------
    def summary(self, alpha: float = 0.05, scale: str = "log") -> pd.DataFrame:
        """Estimates, standard errors and (1 − alpha) confidence intervals.

        Standard errors: inverse observed information (numerical Hessian of −log L at the
        estimate). Intervals: ``scale="log"`` (default) exp(log θ̂ ± z·se/θ̂), always positive;
        ``scale="linear"``: θ̂ ± z·se.
        """
        p = self._check_fitted()
        if not 0 < alpha < 1:
            raise ValueError(f"alpha must be between 0 and 1, not {alpha!r}")
        if scale not in ("log", "linear"):
            raise ValueError(f"scale must be 'log' or 'linear', not {scale!r}")
        z = special.ndtri(1 - alpha / 2)
        se = self.se_.to_numpy()
        if scale == "log":
            lo, hi = p * np.exp(-z * se / p), p * np.exp(z * se / p)
        else:
            lo, hi = p - z * se, p + z * se
        out = pd.DataFrame(dict(zip(_SUMMARY_COLUMNS, [list(self._param_names), p, se, lo, hi])))
        out.attrs.update(
            {
                "model": type(self).__name__,
                "loglik": self.loglik_,
                "n_obs": self.n_obs_,
                "source": self._source,
            }
        )
        return out

    def __repr__(self) -> str:
        if self.params_ is None:
            return f"{type(self).__name__}()"
        ps = ", ".join(f"{k}={v:.4g}" for k, v in self.params_.items())
        return f"{type(self).__name__}({ps})"


# ============================================================================================
# 2. contractual: shifted-beta-geometric
# ============================================================================================


def _sbg_counts(active, data, period, cohort) -> list[np.ndarray]:
    """The cohorts' count vectors (each starting at period 0)."""
    if isinstance(active, pd.DataFrame):
        data, active = active, "active"
    if data is not None:
        if not isinstance(data, pd.DataFrame):
            raise ValueError(f"data must be a pandas DataFrame, not {type(data).__name__}")
        for role, col in (("active", active), ("period", period), ("cohort", cohort)):
            if col is not None and (not isinstance(col, str) or col not in data.columns):
                raise ValueError(
                    f"{role}: column {col!r} is not in data; columns are "
                    f"{list(map(str, data.columns))}"
                )
        groups = data.groupby(cohort, sort=True) if cohort is not None else [(None, data)]
        out = []
        for key, g in groups:
            g = g.sort_values(period)
            per = g[period].to_numpy()
            where = "" if key is None else f" (cohort {key!r})"
            if not np.array_equal(per, np.arange(len(per))):
                raise ValueError(
                    f"column {period!r}{where} must run 0, 1, 2, … without gaps "
                    f"or repeats; got {list(per[:10])}"
                )
            arg = _Arg(f"column {active!r}{where}", g[active].reset_index(drop=True))
            out.append(_cohort_counts(arg, integer=True))
        return out
    if isinstance(active, str):
        raise ValueError(f"active={active!r} names a column, but no data= was given")
    if isinstance(active, (list, tuple)) and active and all(np.ndim(a) == 1 for a in active):
        return [_cohort_counts(_Arg(f"active[{i}]", a), integer=True) for i, a in enumerate(active)]
    return [_cohort_counts(_Arg("active", active), integer=True)]


def _sbg_negll(params, cohorts, *, grad: bool = True):
    al, be = params
    f = 0.0
    g = np.zeros(2)
    base = special.betaln(al, be)
    dab = special.digamma(al + be)
    da0, db0 = special.digamma(al) - dab, special.digamma(be) - dab  # d betaln(α,β)
    for n in cohorts:
        T = len(n) - 1
        t = np.arange(1, T + 1)
        lost = n[:-1] - n[1:]
        logp = special.betaln(al + 1, be + t - 1) - base
        logs = special.betaln(al, be + T) - base
        f -= np.sum(lost * logp) + n[-1] * logs
        if grad:
            dabt = special.digamma(al + be + t)
            dp_a = special.digamma(al + 1) - dabt - da0
            dp_b = special.digamma(be + t - 1) - dabt - db0
            dabT = special.digamma(al + be + T)
            ds_a = special.digamma(al) - dabT - da0
            ds_b = special.digamma(be + T) - dabT - db0
            g[0] -= np.sum(lost * dp_a) + n[-1] * ds_a
            g[1] -= np.sum(lost * dp_b) + n[-1] * ds_b
    return f, g


def _sbg_args(alpha, beta):
    a = _positive_scalar("alpha", alpha)
    b = _positive_scalar("beta", beta)
    return a, b


def sbg_expected_lifetime(alpha, beta, discount=0.0):
    """Discounted expected lifetime (DEL) of a newly acquired customer under the sBG model:
    the expected number of payments, each discounted, when a payment is made at the start of
    every period she is a customer (the first one now, t = 0)::

        DEL(d) = Σ_{t≥0} S(t)/(1+d)^t = ₂F₁(1, β; α+β; 1/(1+d))

    (Fader & Hardie 2010, *Marketing Science* 29(1):85–93). Expected CLV = margin × DEL.
    With ``discount=0`` it is the expected lifetime in periods, E[T] = (α+β−1)/(α−1), which is
    infinite when α ≤ 1 (returned as ``inf``).

    >>> round(sbg_expected_lifetime(2.0, 3.0), 6)      # (2+3−1)/(2−1)
    4.0
    """
    a, b = _sbg_args(alpha, beta)
    d = _discount("discount", discount)
    if d == 0:
        return float((a + b - 1) / (a - 1)) if a > 1 else math.inf
    if d < 0:
        raise ValueError(f"discount must be >= 0 (the series diverges otherwise), not {discount!r}")
    return float(special.hyp2f1(1.0, b, a + b, 1.0 / (1.0 + d)))


def sbg_derl(alpha, beta, discount, renewals):
    """Discounted expected residual lifetime (DERL) under the sBG model, for a customer who has
    renewed ``renewals`` times (n − 1 in Fader & Hardie's notation) and is about to decide on the
    next renewal; the payment of that next renewal counts undiscounted::

        DERL = Σ_{t≥n} [S(t)/S(n−1)] / (1+d)^{t−n}
             = (β+n−1)/(α+β+n−1) · ₂F₁(1, β+n; α+β+n; 1/(1+d))

    (Fader & Hardie 2010, *Marketing Science* 29(1):85–93). Expected residual value of
    such a customer = margin × DERL. ``renewals`` may be an array (one value per customer).
    Needs ``discount > 0`` (or α > 1, for which ``discount=0`` gives the undiscounted expected
    residual lifetime).

    With α = β = 1, S(t) = 1/(1+t) and DERL(0 renewals) = (−ln(1−z) − z)/z², z = 1/(1+d):

    >>> round(sbg_derl(1.0, 1.0, 0.1, 0), 4)
    1.8015
    """
    a, b = _sbg_args(alpha, beta)
    d = _discount("discount", discount)
    arg = _Arg("renewals", renewals)
    k = _int_like(arg)
    _nonneg(arg)
    if d < 0 or (d == 0 and a <= 1):
        raise ValueError(
            "sbg_derl needs discount > 0 (with discount = 0 the residual lifetime "
            f"is infinite unless alpha > 1); got discount={discount!r}, alpha={a}"
        )
    lead = (b + k) / (a + b + k)
    if d == 0:
        # ₂F₁(1, β'; α+β'; 1) = (α+β'−1)/(α−1)
        out = lead * (a + b + k) / (a - 1)
    else:
        out = lead * special.hyp2f1(1.0, b + k + 1, a + b + k + 1, 1.0 / (1.0 + d))
    return _output(np.asarray(out), [arg], "derl")


class ShiftedBetaGeometric(_MLModel):
    """Shifted-beta-geometric (sBG) model of contractual retention (Fader & Hardie 2007,
    "How to project customer retention", *J. Interactive Marketing* 21(1):76–90).

    Each customer has a churn probability θ per period, θ ~ Beta(α, β) across customers; at the
    end of every period she leaves with probability θ. Across the cohort::

        P(T = t) = B(α+1, β+t−1) / B(α, β)           t = 1, 2, …   (churn in period t)
        S(t)     = B(α, β+t) / B(α, β)                               (still active after t)
        r_t      = S(t)/S(t−1) = (β+t−1)/(α+β+t−1)                   (retention rate)

    all computed in log space (``scipy.special.betaln``). ``fit`` maximises the likelihood of
    the counts still active at periods 0..T: the n_{t−1} − n_t customers lost in period t
    contribute P(T = t) each, the n_T still active at the last period S(T) each (right
    censoring). Several cohorts (of different lengths) can be fitted together; they share α, β.

    The "high end" segment of Fader & Hardie (2007), years 0–7 (their estimates: α = 0.668,
    β = 3.806, LL = −1611.2):

    >>> m = ShiftedBetaGeometric().fit([1000, 869, 743, 653, 593, 551, 517, 491])
    >>> m.params_.round(3).tolist(), round(m.loglik_, 1)
    ([0.668, 3.806], -1611.2)
    """

    _param_names = ("alpha", "beta")
    _source = "Fader & Hardie (2007), J. Interactive Marketing 21(1):76-90"

    def fit(self, active="active", *, data=None, period="period", cohort=None):
        """Fit α, β by maximum likelihood.

        ``active``: the counts still active at periods 0, 1, …, T (period 0 = cohort size), or a
        list of such vectors (one per cohort), or — with ``data=`` a tidy DataFrame — the name
        of the count column; then ``period`` names the period column (0, 1, 2, … per cohort)
        and ``cohort`` the cohort column (None: one cohort).
        """
        cohorts = _sbg_counts(active, data, period, cohort)
        self.cohorts_ = cohorts
        n_total = float(sum(c[0] for c in cohorts))
        self._finish_fit(
            lambda p: _sbg_negll(p, cohorts),
            lambda p: _sbg_negll(p, cohorts)[1],
            start=(1.0, 1.0),
            n=int(n_total),
            weight_total=n_total,
        )
        return self

    # -- model quantities -----------------------------------------------------------------
    def _t(self, t, name="t", minimum=0):
        arg = _Arg(name, t)
        arg.fail_if(arg.values < minimum, f"must be >= {minimum}")
        return arg

    def survival(self, t):
        """S(t) = B(α, β+t)/B(α, β): share of a cohort still active after t periods.

        >>> round(ShiftedBetaGeometric.from_params(alpha=1.0, beta=3.0).survival(1), 4)  # β/(α+β)
        0.75
        """
        al, be = self._check_fitted()
        arg = self._t(t)
        out = np.exp(special.betaln(al, be + arg.values) - special.betaln(al, be))
        return _output(out, [arg], "survival")

    def churn_probability(self, t):
        """P(T = t) = B(α+1, β+t−1)/B(α, β): probability that a new customer churns in period t
        (t ≥ 1).

        >>> round(ShiftedBetaGeometric.from_params(alpha=1.0, beta=3.0).churn_probability(1), 4)
        0.25
        """
        al, be = self._check_fitted()
        arg = self._t(t, minimum=1)
        out = np.exp(special.betaln(al + 1, be + arg.values - 1) - special.betaln(al, be))
        return _output(out, [arg], "churn_probability")

    def retention_rate(self, t):
        """r_t = (β+t−1)/(α+β+t−1): share of those active at t−1 still active at t (t ≥ 1);
        it rises with t because the likeliest churners leave first.

        >>> ShiftedBetaGeometric.from_params(alpha=1.0, beta=3.0).retention_rate([1, 2]).tolist()
        [0.75, 0.8]
        """
        al, be = self._check_fitted()
        arg = self._t(t, minimum=1)
        out = (be + arg.values - 1) / (al + be + arg.values - 1)
        return _output(np.asarray(out), [arg], "retention_rate")

    def expected_lifetime(self, discount=0.0):
        """DEL of a new customer, see :func:`sbg_expected_lifetime`."""
        al, be = self._check_fitted()
        return sbg_expected_lifetime(al, be, discount)

    def derl(self, discount, renewals):
        """DERL of a customer who has renewed ``renewals`` times, see :func:`sbg_derl`."""
        al, be = self._check_fitted()
        return sbg_derl(al, be, discount, renewals)

    def project(self, periods, size=None) -> pd.DataFrame:
        """Expected survivors for periods 0..``periods`` (or the given list of periods).

        Columns: period, survival S(t), expected_active = size·S(t) (``size`` defaults to the
        total initial size of the fitted cohorts), retention_rate and churn_probability (NaN at
        period 0), and observed (the fitted single cohort's counts where observed, else NaN).
        """
        self._check_fitted()
        if isinstance(periods, numbers.Integral) and not isinstance(periods, bool):
            if periods < 0:
                raise ValueError(f"periods must be >= 0, not {periods}")
            t = np.arange(int(periods) + 1)
        else:
            arg = _Arg("periods", periods)
            _nonneg(arg)
            t = np.atleast_1d(_int_like(arg)).astype(int)
        cohorts = getattr(self, "cohorts_", None)
        if size is None:
            if not cohorts:
                raise ValueError("size= is needed for a model built with from_params")
            size = sum(c[0] for c in cohorts)
        size = _positive_scalar("size", size)
        surv = np.asarray(self.survival(t.astype(float)), dtype=float)
        tt = np.maximum(t, 1).astype(float)
        ret = np.where(t >= 1, np.asarray(self.retention_rate(tt), dtype=float), np.nan)
        churn = np.where(t >= 1, np.asarray(self.churn_probability(tt), dtype=float), np.nan)
        observed = np.full(len(t), np.nan)
        if cohorts and len(cohorts) == 1:
            c = cohorts[0]
            ok = t < len(c)
            observed[ok] = c[t[ok]]
        return pd.DataFrame(
            {
                "period": t,
                "survival": surv,
                "expected_active": size * surv,
                "retention_rate": ret,
                "churn_probability": churn,
                "observed": observed,
            }
        )

    def plot(self, ax=None, *, periods=None):
        """Observed survival of each fitted cohort (points) and the fitted S(t) (line), up to
        ``periods`` (default twice the longest cohort). Returns the Axes."""
        import matplotlib.pyplot as plt

        self._check_fitted()
        cohorts = getattr(self, "cohorts_", None) or []
        longest = max((len(c) - 1 for c in cohorts), default=10)
        periods = 2 * longest if periods is None else int(periods)
        if ax is None:
            _, ax = plt.subplots()
        t = np.arange(periods + 1)
        ax.plot(
            t,
            np.asarray(self.survival(t.astype(float))),
            "-",
            color="C0",
            label=f"sBG fit (α={self.params_['alpha']:.3g}, β={self.params_['beta']:.3g})",
        )
        for i, c in enumerate(cohorts):
            ax.plot(
                np.arange(len(c)),
                c / c[0],
                "o",
                color=f"C{i + 1}",
                ms=4,
                label="observed" if len(cohorts) == 1 else f"cohort {i + 1}",
            )
        if cohorts:
            ax.axvline(longest, color="grey", ls=":", lw=1)
        ax.set_xlabel("period")
        ax.set_ylabel("share still active S(t)")
        ax.set_ylim(0, 1.02)
        ax.legend()
        return ax


def simulate_sbg(size, alpha, beta, periods, seed) -> np.ndarray:
    """Counts still active at periods 0..``periods`` of a cohort of ``size`` customers drawn
    from the sBG model (θ ~ Beta(α, β), lifetime ~ Geometric(θ) ≥ 1; Fader & Hardie 2007).

    >>> int(simulate_sbg(100, 1.0, 3.0, 3, seed=1)[0])
    100
    """
    n = int(_positive_scalar("size", size))
    a, b = _sbg_args(alpha, beta)
    rng = _rng(seed)
    theta = rng.beta(a, b, n)
    life = rng.geometric(np.clip(theta, 1e-300, 1.0))
    t = np.arange(int(periods) + 1)
    return (life[None, :] > t[:, None]).sum(axis=1)


# ============================================================================================
# 3. non-contractual: BG/NBD
# ============================================================================================


def _rft(data, frequency, recency, T, method: str, *, allow_scalar=True):
    """Validated frequency, recency and T (arrays, broadcast) plus the _Arg objects."""
    data, args = _rows(data, {"frequency": frequency, "recency": recency, "T": T}, method)
    x = _int_like(args["frequency"])
    _nonneg(args["frequency"])
    _nonneg(args["recency"])
    _nonneg(args["T"])
    try:
        x, tx, TT = np.broadcast_arrays(x, args["recency"].values, args["T"].values)
    except ValueError:
        raise ValueError(
            f"{method}: frequency, recency and T must have the same length; got "
            f"{[np.size(a.values) for a in args.values()]}"
        ) from None
    labelled = next((a for a in args.values() if a.index is not None and not a.scalar), None)

    def where(mask, show) -> str:
        pos = np.flatnonzero(mask)
        shown = ", ".join(
            (f"row {labelled.index[p]!r}: " if labelled is not None else f"position {p}: ")
            + show(p)
            for p in pos[:_MAX_EXAMPLES]
        )
        more = f" and {len(pos) - _MAX_EXAMPLES} more" if len(pos) > _MAX_EXAMPLES else ""
        return f"{len(pos)} row(s), e.g. {shown}{more}"

    bad = np.atleast_1d(tx > TT * (1 + 1e-12) + 1e-12)
    if bad.any():
        txf, Tf = np.atleast_1d(tx), np.atleast_1d(TT)
        raise ValueError(
            "recency (time of the last purchase, from the first) cannot exceed T "
            "(the customer's age); "
            + where(bad, lambda p: f"recency={_fmt(txf[p])} > T={_fmt(Tf[p])}")
        )
    bad = np.atleast_1d((x == 0) & (tx > 0))
    if bad.any():
        txf = np.atleast_1d(tx)
        raise ValueError(
            "recency must be 0 when frequency is 0 (without a repeat purchase the "
            "last purchase is the first); "
            + where(bad, lambda p: f"frequency=0, recency={_fmt(txf[p])}")
        )
    return x, np.minimum(tx, TT), TT, list(args.values())


def _bgnbd_loglik_terms(params, x, tx, T, *, grad: bool):
    r, al, a, b = params
    pos = x > 0
    base = special.betaln(a, b)
    c1 = special.betaln(a, b + x) - base - (r + x) * np.log(al + T)
    xm = np.where(pos, x, 1.0)  # keeps b + x − 1 > 0 where unused
    c2 = np.where(
        pos, special.betaln(a + 1, b + xm - 1) - base - (r + xm) * np.log(al + tx), -np.inf
    )
    lse = np.logaddexp(c1, c2)
    ll = special.gammaln(r + x) - special.gammaln(r) + r * np.log(al) + lse
    if not grad:
        return ll, None
    w1 = np.exp(c1 - lse)
    w2 = np.where(pos, np.exp(c2 - lse), 0.0)
    lT, ltx = np.log(al + T), np.log(al + tx)
    dab = special.digamma(a + b)
    dabx = special.digamma(a + b + x)
    g = np.empty((4,) + np.shape(x))
    g[0] = special.digamma(r + x) - special.digamma(r) + np.log(al) - w1 * lT - w2 * ltx
    g[1] = r / al - w1 * (r + x) / (al + T) - w2 * (r + x) / (al + tx)
    g[2] = (
        w1 * (special.digamma(a) - dabx)
        + w2 * (special.digamma(a + 1) - dabx)
        - (special.digamma(a) - dab)
    )
    g[3] = (
        w1 * (special.digamma(b + x) - dabx)
        + w2 * np.where(pos, special.digamma(b + xm - 1) - dabx, 0.0)
        - (special.digamma(b) - dab)
    )
    return ll, g


def _hyp_euler(r, a, b, x, z):
    """(1−z)^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; z) written with Euler's transformation as
    (1−z)^(a−1) · ₂F₁(a+b−1−r, a−1; a+b+x−1; z): the parameters stay small, so nothing
    overflows for large x (the original form multiplies a huge ₂F₁ by a tiny power)."""
    return np.exp((a - 1) * np.log1p(-z)) * special.hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)


def _bgnbd_cond(params, t, x, tx, T):
    r, al, a, b = params
    z = t / (al + T + t)

    def core(a):
        return (a + b + x - 1) / (a - 1) * (1 - _hyp_euler(r, a, b, x, z))

    if abs(a - 1) < 1e-7:
        # (a+b+x−1)/(a−1)·[1 − …] is 0/0 at a = 1: average two nearby points (error O(h²))
        h = 1e-5
        c = (core(1 - h) + core(1 + h)) / 2
    else:
        c = core(a)
    return c * _bgnbd_palive(params, x, tx, T)


def _bgnbd_palive(params, x, tx, T):
    r, al, a, b = params
    pos = x > 0
    xm = np.where(pos, x, 1.0)
    log_odds = np.where(
        pos, np.log(a) - np.log(b + xm - 1) + (r + xm) * (np.log(al + T) - np.log(al + tx)), -np.inf
    )
    return special.expit(-log_odds)


class BetaGeoNBD(_MLModel):
    """BG/NBD model of repeat purchasing in a non-contractual setting (Fader, Hardie & Lee 2005,
    "Counting your customers the easy way", *Marketing Science* 24(2):275–284).

    While active, a customer buys at the times of a Poisson process with rate λ; after each
    repeat purchase she becomes inactive with probability p. Across customers λ ~ Gamma(r, α)
    (shape r, rate α) and p ~ Beta(a, b). For a customer with x repeat purchases, the last at
    t_x, observed for T (time from her first purchase)::

        L = Γ(r+x) α^r / Γ(r) · [ B(a, b+x)/B(a, b) · (α+T)^−(r+x)
                                  + δ_{x>0} B(a+1, b+x−1)/B(a, b) · (α+t_x)^−(r+x) ]

    (the paper; "Implementing the BG/NBD model", Fader, Hardie & Lee 2005). The log is
    computed with ``betaln``/``gammaln`` and the bracket with ``logaddexp``, so large x (hundreds
    of purchases) neither overflows nor underflows.

    Time is in whatever unit frequency/recency/T use (weeks in the paper); λ and α are per that
    unit. Inputs: ``frequency`` = repeat purchase occasions x, ``recency`` = t_x (0 if x = 0),
    ``T`` = age.

    >>> m = BetaGeoNBD.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> round(m.probability_alive(0, 0, 38.86), 3)   # no repeat purchase: cannot have dropped out
    1.0
    """

    _param_names = ("r", "alpha", "a", "b")
    _source = "Fader, Hardie & Lee (2005), Marketing Science 24(2):275-284"

    def fit(self, data=None, frequency="frequency", recency="recency", T="T"):
        """Maximum likelihood for r, α, a, b.

        ``fit(frequency, recency, T)`` with three arrays, or ``fit(data, frequency="frequency",
        recency="recency", T="T")`` with a DataFrame and column names. Identical rows are
        collapsed (weighted) before the optimisation.
        """
        data, (frequency, recency, T) = _shift_positional(
            data, [frequency, recency, T], ["frequency", "recency", "T"], "BetaGeoNBD.fit"
        )
        x, tx, TT, _ = _rft(data, frequency, recency, T, "BetaGeoNBD.fit")
        if x.ndim == 0 or x.size < 2:
            raise ValueError("BetaGeoNBD.fit needs data on more than one customer")
        rows, w = np.unique(np.column_stack([x, tx, TT]), axis=0, return_counts=True)
        ux, utx, uT = rows.T
        w = w.astype(float)

        def negll(p):
            ll, g = _bgnbd_loglik_terms(p, ux, utx, uT, grad=True)
            return -np.dot(w, ll), -(g @ w)

        mean_x = max(float(np.mean(x)), 1e-3)
        alpha0 = max(float(np.mean(TT)), 1e-3) / mean_x  # r = 1: mean rate ≈ mean x / mean T
        self._finish_fit(
            negll,
            lambda p: negll(p)[1],
            start=(1.0, alpha0, 1.0, 1.0),
            n=len(x),
            weight_total=float(len(x)),
        )
        return self

    def log_likelihood(self, frequency, recency, T, *, data=None):
        """Per-customer log-likelihood ln L(r, α, a, b | x, t_x, T) at the model's parameters."""
        p = self._check_fitted()
        x, tx, TT, args = _rft(data, frequency, recency, T, "log_likelihood")
        ll, _ = _bgnbd_loglik_terms(p, x, tx, TT, grad=False)
        return _output(np.asarray(ll), args, "loglik")

    def expected_purchases(self, t):
        """E[X(t)]: expected number of repeat purchases in (0, t] of a customer who made her
        first purchase at 0 (Fader, Hardie & Lee 2005a)::

            E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))]

        evaluated through Euler's transformation (see ``conditional_expected_purchases``).

        >>> m = BetaGeoNBD.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)   # CDNOW
        >>> round(m.expected_purchases(39.0), 3)
        1.197
        """
        p = self._check_fitted()
        arg = _Arg("t", t)
        _nonneg(arg)
        zero = np.zeros_like(arg.values)
        out = _bgnbd_cond(p, arg.values, zero, zero, zero)
        return _output(np.asarray(out), [arg], "expected_purchases")

    def conditional_expected_purchases(self, t, frequency, recency, T, *, data=None):
        """E[Y(t) | x, t_x, T]: expected number of purchases in (T, T+t] of a customer with
        history (x, t_x, T) (eq. 10 of the paper)::

            (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
            ─────────────────────────────────────────────────────────────────────────────────
                         1 + δ_{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)

        With z = t/(α+T+t), Euler's transformation ₂F₁(A, B; C; z) = (1−z)^(C−A−B) ₂F₁(C−A,
        C−B; C; z) turns the bracket into 1 − (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z), which
        stays finite for any x; the denominator is evaluated as a logistic function of its log.
        ``t`` broadcasts against the customers.

        >>> m = BetaGeoNBD.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)   # CDNOW
        >>> round(m.conditional_expected_purchases(39.0, 2, 30.43, 38.86), 3)
        1.226
        """
        p = self._check_fitted()
        targ = _Arg("t", t)
        _nonneg(targ)
        x, tx, TT, args = _rft(data, frequency, recency, T, "conditional_expected_purchases")
        tv, x, tx, TT = np.broadcast_arrays(targ.values, x, tx, TT)
        out = _bgnbd_cond(p, tv, x, tx, TT)
        return _output(np.asarray(out), args + [targ], "conditional_expected_purchases")

    def probability_alive(self, frequency, recency, T, *, data=None):
        """P(still active at T | x, t_x, T) = 1 / [1 + δ_{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)]
        (Fader, Hardie & Lee 2005a). In the BG/NBD a customer can only drop out right after a repeat
        purchase, so a customer with x = 0 is alive with probability 1 — a known property of
        the model (the MBG/NBD of Batislam et al. 2007 changes it), not a bug.

        >>> m = BetaGeoNBD.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)   # CDNOW
        >>> m.probability_alive([2, 2], [30.43, 5.0], 38.86).round(3).tolist()
        [0.727, 0.124]
        """
        p = self._check_fitted()
        x, tx, TT, args = _rft(data, frequency, recency, T, "probability_alive")
        return _output(np.asarray(_bgnbd_palive(p, x, tx, TT)), args, "probability_alive")


def simulate_bgnbd(n, r, alpha, a, b, T, seed, holdout=None) -> pd.DataFrame:
    """Simulate ``n`` customers from the BG/NBD model (Fader, Hardie & Lee 2005, *Marketing
    Science* 24(2)), each first buying at time 0 and observed until ``T`` (a scalar or one age
    per customer).

    λ ~ Gamma(r, rate α), p ~ Beta(a, b); the customer makes K ~ Geometric(p) ≥ 1 repeat
    purchases before dropping out (she drops out right after the K-th), at the times of a
    Poisson process with rate λ. Given the N(T) ~ Poisson(λT) arrivals in (0, T], the x =
    min(K, N(T)) observed ones are the first x of N(T) uniform times, so t_x = T·Beta(x, N−x+1).

    Returns a DataFrame with ``frequency``, ``recency``, ``T`` and the truth: ``lam``, ``p``,
    ``alive`` (still active at T); with ``holdout=t`` also ``frequency_holdout``, the purchases in
    (T, T+t], and ``duration_holdout``.

    >>> d = simulate_bgnbd(1000, r=0.25, alpha=4.0, a=0.8, b=2.5, T=39.0, seed=1)
    >>> list(d.columns[:3]), bool((d.recency <= d["T"]).all())
    (['frequency', 'recency', 'T'], True)
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n must be a positive whole number, not {n!r}")
    r, alpha, a, b = (
        _positive_scalar(k, v) for k, v in (("r", r), ("alpha", alpha), ("a", a), ("b", b))
    )
    Targ = _Arg("T", T)
    _nonneg(Targ)
    TT = np.broadcast_to(Targ.values, (n,)).astype(float)
    rng = _rng(seed)
    lam = rng.gamma(r, 1.0 / alpha, n)
    p = rng.beta(a, b, n)
    k = rng.geometric(np.clip(p, 1e-300, 1.0))  # repeat purchases before dropping out
    n_arrivals = rng.poisson(lam * TT)
    x = np.minimum(k, n_arrivals)
    tx = np.zeros(n)
    pos = x > 0
    tx[pos] = TT[pos] * rng.beta(x[pos], n_arrivals[pos] - x[pos] + 1)
    alive = k > n_arrivals
    out = pd.DataFrame(
        {"frequency": x.astype("int64"), "recency": tx, "T": TT, "lam": lam, "p": p, "alive": alive}
    )
    if holdout is not None:
        h = _positive_scalar("holdout", holdout)
        future = rng.poisson(lam * h)
        out["frequency_holdout"] = np.where(alive, np.minimum(k - n_arrivals, future), 0).astype(
            "int64"
        )
        out["duration_holdout"] = h
    return out


# ============================================================================================
# 4. Gamma-Gamma spend model
# ============================================================================================


def _gg_inputs(data, frequency, monetary, method, *, allow_zero_frequency):
    if data is not None and not isinstance(data, pd.DataFrame):
        raise ValueError(f"{method}: data must be a pandas DataFrame, not {type(data).__name__}")
    fa = _Arg("frequency", frequency, data=data)
    ma = _Arg("monetary", monetary, data=data, finite=False)
    x = _int_like(fa)
    _nonneg(fa)
    try:
        x, m = np.broadcast_arrays(x, ma.values)
    except ValueError:
        raise ValueError(f"{method}: frequency and monetary must have the same length") from None
    if not allow_zero_frequency:
        zero = x == 0
        if zero.any():
            raise ValueError(
                f"GammaGamma is fitted on customers with at least one repeat purchase: "
                f"{int(zero.sum())} of {x.size} rows have {fa.label} = 0 "
                f"({fa.where(zero)}); select the rows with frequency > 0 first"
            )
    used = x > 0
    if ma.values.shape == x.shape:
        ma.fail_if(
            used & ~np.isfinite(m),
            "(mean spend per repeat purchase) must be finite where frequency > 0",
        )
        ma.fail_if(
            used & (m <= 0), "(mean spend per repeat purchase) must be > 0 where frequency > 0"
        )
    elif (used & ~(np.isfinite(m) & (m > 0))).any():
        raise ValueError(
            f"{ma.label} (mean spend per repeat purchase) must be finite and > 0, "
            f"not {_fmt(float(ma.values))}"
        )
    return x, m, [fa, ma]


def _gg_terms(params, x, m, *, grad: bool):
    p, q, g = params
    px = p * x
    lgx = np.log(g + x * m)
    ll = (
        special.gammaln(px + q)
        - special.gammaln(px)
        - special.gammaln(q)
        + q * np.log(g)
        + (px - 1) * np.log(m)
        + px * np.log(x)
        - (px + q) * lgx
    )
    if not grad:
        return ll, None
    dpq = special.digamma(px + q)
    G = np.empty((3,) + np.shape(x))
    G[0] = x * (dpq - special.digamma(px) + np.log(m) + np.log(x) - lgx)
    G[1] = dpq - special.digamma(q) + np.log(g) - lgx
    G[2] = q / g - (px + q) / (g + x * m)
    return ll, G


class GammaGamma(_MLModel):
    """Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV: using
    iso-value curves for customer base analysis", *J. Marketing Research* 42(4):415–430;
    Fader & Hardie 2013, "The Gamma-Gamma model of monetary value").

    Each transaction's value z ~ Gamma(p, ν) (shape p, rate ν), ν ~ Gamma(q, γ) across customers,
    so a customer's mean transaction value is p/ν and the population mean is γp/(q−1). The
    likelihood of a customer's average m_x over x transactions is::

        f(m_x | x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q m_x^(px−1) x^(px) / (γ + m_x x)^(px+q)

    Fit it on customers with at least one repeat purchase, x = frequency and m_x = the mean
    value of the repeat purchases (the first purchase is usually left out). The model assumes
    spend is independent of purchase frequency: check the correlation before using it.

    >>> gg = GammaGamma.from_params(p=6.25, q=3.74, gamma=15.44)   # CDNOW, FHL 2005b
    >>> round(gg.conditional_expected_average_spend(2, 30.0), 2)   # (15.44+60)·6.25/(12.5+2.74)
    30.94
    """

    _param_names = ("p", "q", "gamma")
    _source = "Fader, Hardie & Lee (2005), J. Marketing Research 42(4):415-430"

    def fit(self, data=None, frequency="frequency", monetary="monetary_value"):
        """Maximum likelihood for p, q, γ from ``frequency`` (x ≥ 1) and ``monetary`` (m_x > 0):
        ``fit(frequency_array, monetary_array)`` or ``fit(data, frequency=..., monetary=...)``.
        Rows with frequency 0 are an error (they carry no spend information)."""
        data, (frequency, monetary) = _shift_positional(
            data, [frequency, monetary], ["frequency", "monetary"], "GammaGamma.fit"
        )
        x, m, _ = _gg_inputs(
            data, frequency, monetary, "GammaGamma.fit", allow_zero_frequency=False
        )
        if x.ndim == 0 or x.size < 2:
            raise ValueError("GammaGamma.fit needs data on more than one customer")

        def negll(p):
            ll, G = _gg_terms(p, x, m, grad=True)
            return -np.sum(ll), -G.sum(axis=1)

        start = (1.0, 2.0, float(np.mean(m)))  # population mean γp/(q−1) = mean(m)
        self._finish_fit(
            negll, lambda p: negll(p)[1], start=start, n=x.size, weight_total=float(x.size)
        )
        return self

    def log_likelihood(self, frequency, monetary, *, data=None):
        """Per-customer log-likelihood of m_x given x (x ≥ 1)."""
        p = self._check_fitted()
        x, m, args = _gg_inputs(
            data, frequency, monetary, "log_likelihood", allow_zero_frequency=False
        )
        ll, _ = _gg_terms(p, x, m, grad=False)
        return _output(np.asarray(ll), args, "loglik")

    def mean_spend(self) -> float:
        """Population mean spend per transaction E[Z] = γp/(q−1) (needs q > 1)."""
        p, q, g = self._check_fitted()
        if q <= 1:
            raise ValueError(f"the mean spend is infinite when q <= 1 (q = {q:.4g})")
        return float(g * p / (q - 1))

    def conditional_expected_average_spend(self, frequency, monetary, *, data=None):
        """E(M | p, q, γ, m_x, x) = (γ + m_x x) p / (px + q − 1)
        = (q−1)/(px+q−1) · γp/(q−1) + px/(px+q−1) · m_x: a weighted average of the population
        mean and the customer's observed mean, with more weight on her own mean the more she has
        bought (Fader, Hardie & Lee 2005b, JMR 42(4); Fader & Hardie 2013).
        For frequency 0 it is the population mean γp/(q−1) (``monetary`` is then ignored).
        """
        p, q, g = self._check_fitted()
        mon = monetary
        x, m, args = _gg_inputs(
            data, frequency, mon, "conditional_expected_average_spend", allow_zero_frequency=True
        )
        if (x == 0).any() and q <= 1:
            raise ValueError(
                f"customers with frequency 0 get the population mean, which is "
                f"infinite when q <= 1 (q = {q:.4g})"
            )
        m = np.where(x > 0, m, 0.0)
        out = (g + m * x) * p / (p * x + q - 1)
        return _output(np.asarray(out), args, "expected_average_spend")


def simulate_gamma_gamma(frequency, p, q, gamma, seed) -> pd.DataFrame:
    """Simulate mean transaction values from the Gamma-Gamma model (Fader, Hardie & Lee 2005,
    *JMR* 42(4)): per customer ν ~ Gamma(q, rate γ), then ``frequency`` (x ≥ 1, one per customer)
    transactions z ~ Gamma(p, rate ν). The mean of x Gamma(p, ν) values is Gamma(px, rate xν).

    Returns ``frequency``, ``monetary_value`` (mean of the x values) and ``mean_spend`` (p/ν, the
    customer's true mean).

    >>> d = simulate_gamma_gamma([1, 2, 3], p=6.0, q=4.0, gamma=15.0, seed=1)
    >>> d.columns.tolist()
    ['frequency', 'monetary_value', 'mean_spend']
    """
    arg = _Arg("frequency", frequency)
    x = _int_like(arg)
    arg.fail_if(x < 1, "must be >= 1")
    x = np.atleast_1d(x)
    p, q, g = (_positive_scalar(k, v) for k, v in (("p", p), ("q", q), ("gamma", gamma)))
    rng = _rng(seed)
    nu = rng.gamma(q, 1.0 / g, x.size)
    mx = rng.gamma(p * x, 1.0 / (x * nu))
    return pd.DataFrame(
        {"frequency": x.astype("int64"), "monetary_value": mx, "mean_spend": p / nu}
    )


# ============================================================================================
# 5. CLV from BG/NBD + Gamma-Gamma
# ============================================================================================


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
        raise ValueError("customer_lifetime_value needs a BetaGeoNBD and a GammaGamma model")
    if isinstance(horizon, bool) or not isinstance(horizon, numbers.Integral) or horizon < 1:
        raise ValueError(f"horizon must be a whole number of periods >= 1, not {horizon!r}")
    d = _discount("discount_rate", discount_rate)
    L = _positive_scalar("period_length", period_length)
    mg = float(margin)
    if not math.isfinite(mg):
        raise ValueError(f"margin must be a finite number, not {margin!r}")
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
        raise ValueError("discounted_expected_purchases needs a BetaGeoNBD model")
    if isinstance(horizon, bool) or not isinstance(horizon, numbers.Integral) or horizon < 1:
        raise ValueError(f"horizon must be a whole number of periods >= 1, not {horizon!r}")
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


# ============================================================================================
# 6. transaction log → calibration / holdout summary; holdout check
# ============================================================================================


def _unit_days(unit) -> float:
    if isinstance(unit, str):
        if unit not in TIME_UNITS:
            raise ValueError(
                f"unit must be one of {list(TIME_UNITS)} or a number of days, not {unit!r}"
            )
        return TIME_UNITS[unit]
    return _positive_scalar("unit", unit)


def _timestamp(name, value) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a date, not {value!r}") from None
    if pd.isna(ts):
        raise ValueError(f"{name} must be a date, not {value!r}")
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
        raise ValueError(
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
        raise ValueError(
            f"transactions must be a pandas DataFrame, not {type(transactions).__name__}"
        )
    cols = [customer_id, date] + ([monetary] if monetary is not None else [])
    missing = [c for c in cols if c not in transactions.columns]
    if missing:
        raise ValueError(
            f"column(s) {missing} not in transactions; columns are "
            f"{list(map(str, transactions.columns))}"
        )
    if calibration_end is None:
        raise ValueError("calibration_end is required (the last day of the calibration period)")
    days = _unit_days(unit)
    tx = transactions[cols].copy()
    ids = tx[customer_id]
    if ids.isna().any():
        bad = np.flatnonzero(ids.isna().to_numpy())[:_MAX_EXAMPLES]
        raise ValueError(
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
        raise ValueError(
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
        raise ValueError(f"no transaction on or before calibration_end ({cal_end.date()})")
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
        raise ValueError("holdout_comparison needs a fitted BetaGeoNBD model")
    if (
        isinstance(max_frequency, bool)
        or not isinstance(max_frequency, numbers.Integral)
        or max_frequency < 1
    ):
        raise ValueError(f"max_frequency must be a whole number >= 1, not {max_frequency!r}")
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
        raise ValueError("repeat_purchase_tracking needs a BetaGeoNBD model")
    model._check_fitted()
    if not isinstance(transactions, pd.DataFrame):
        raise ValueError(
            f"transactions must be a pandas DataFrame, not {type(transactions).__name__}"
        )
    missing = [c for c in (customer_id, date) if c not in transactions.columns]
    if missing:
        raise ValueError(
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
        raise ValueError("transactions has no rows")
    first = occ.groupby("c", sort=False)["d"].transform("min")
    cal_end = None
    if calibration_end is not None:
        cal_end = _timestamp("calibration_end", calibration_end)
        occ, first = occ[first <= cal_end], first[first <= cal_end]
        if occ.empty:
            raise ValueError(
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
        raise ValueError(
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
