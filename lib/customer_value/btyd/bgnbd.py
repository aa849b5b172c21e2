"""The BG/NBD model of repeat purchasing in a non-contractual setting (Fader, Hardie & Lee 2005a)."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from scipy import special

from .._util import fmt, rng
from ..io import InputError
from ._base import (
    _MAX_EXAMPLES,
    _Arg,
    _int_like,
    _MLModel,
    _nonneg,
    _output,
    _positive_scalar,
    _rows,
    _shift_positional,
)


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
        raise InputError(
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
        raise InputError(
            "recency (time of the last purchase, from the first) cannot exceed T "
            "(the customer's age); "
            + where(bad, lambda p: f"recency={fmt(txf[p])} > T={fmt(Tf[p])}")
        )
    bad = np.atleast_1d((x == 0) & (tx > 0))
    if bad.any():
        txf = np.atleast_1d(tx)
        raise InputError(
            "recency must be 0 when frequency is 0 (without a repeat purchase the "
            "last purchase is the first); "
            + where(bad, lambda p: f"frequency=0, recency={fmt(txf[p])}")
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
    citation = "Fader, Hardie & Lee (2005), Marketing Science 24(2):275-284"

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
            raise InputError("BetaGeoNBD.fit needs data on more than one customer")
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
        raise InputError(f"n must be a positive whole number, not {n!r}")
    r, alpha, a, b = (
        _positive_scalar(k, v) for k, v in (("r", r), ("alpha", alpha), ("a", a), ("b", b))
    )
    Targ = _Arg("T", T)
    _nonneg(Targ)
    TT = np.broadcast_to(Targ.values, (n,)).astype(float)
    gen = rng(seed)
    lam = gen.gamma(r, 1.0 / alpha, n)
    p = gen.beta(a, b, n)
    k = gen.geometric(np.clip(p, 1e-300, 1.0))  # repeat purchases before dropping out
    n_arrivals = gen.poisson(lam * TT)
    x = np.minimum(k, n_arrivals)
    tx = np.zeros(n)
    pos = x > 0
    tx[pos] = TT[pos] * gen.beta(x[pos], n_arrivals[pos] - x[pos] + 1)
    alive = k > n_arrivals
    out = pd.DataFrame(
        {"frequency": x.astype("int64"), "recency": tx, "T": TT, "lam": lam, "p": p, "alive": alive}
    )
    if holdout is not None:
        h = _positive_scalar("holdout", holdout)
        future = gen.poisson(lam * h)
        out["frequency_holdout"] = np.where(alive, np.minimum(k - n_arrivals, future), 0).astype(
            "int64"
        )
        out["duration_holdout"] = h
    return out
