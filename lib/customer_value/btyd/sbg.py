"""The shifted-beta-geometric (sBG) model of contractual retention (Fader & Hardie 2007)."""

from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd
from scipy import special

from .._util import rng
from ..io import InputError
from ._base import (
    _Arg,
    _cohort_counts,
    _discount,
    _int_like,
    _MLModel,
    _nonneg,
    _output,
    _positive_scalar,
)


def _sbg_counts(active, data, period, cohort) -> list[np.ndarray]:
    """The cohorts' count vectors (each starting at period 0)."""
    if isinstance(active, pd.DataFrame):
        data, active = active, "active"
    if data is not None:
        if not isinstance(data, pd.DataFrame):
            raise InputError(f"data must be a pandas DataFrame, not {type(data).__name__}")
        for role, col in (("active", active), ("period", period), ("cohort", cohort)):
            if col is not None and (not isinstance(col, str) or col not in data.columns):
                raise InputError(
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
                raise InputError(
                    f"column {period!r}{where} must run 0, 1, 2, … without gaps "
                    f"or repeats; got {list(per[:10])}"
                )
            arg = _Arg(f"column {active!r}{where}", g[active].reset_index(drop=True))
            out.append(_cohort_counts(arg, integer=True))
        return out
    if isinstance(active, str):
        raise InputError(f"active={active!r} names a column, but no data= was given")
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
        raise InputError(f"discount must be >= 0 (the series diverges otherwise), not {discount!r}")
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
        raise InputError(
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
    citation = "Fader & Hardie (2007), J. Interactive Marketing 21(1):76-90"

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
                raise InputError(f"periods must be >= 0, not {periods}")
            t = np.arange(int(periods) + 1)
        else:
            arg = _Arg("periods", periods)
            _nonneg(arg)
            t = np.atleast_1d(_int_like(arg)).astype(int)
        cohorts = getattr(self, "cohorts_", None)
        if size is None:
            if not cohorts:
                raise InputError("size= is needed for a model built with from_params")
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
    gen = rng(seed)
    theta = gen.beta(a, b, n)
    life = gen.geometric(np.clip(theta, 1e-300, 1.0))
    t = np.arange(int(periods) + 1)
    return (life[None, :] > t[:, None]).sum(axis=1)
