"""The Gamma-Gamma model of spend per purchase (Fader, Hardie & Lee 2005b; Fader & Hardie 2013)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from .._util import fmt, rng
from ..io import InputError
from ._base import (
    _Arg,
    _int_like,
    _MLModel,
    _nonneg,
    _output,
    _positive_scalar,
    _shift_positional,
)


def _gg_inputs(data, frequency, monetary, method, *, allow_zero_frequency):
    if data is not None and not isinstance(data, pd.DataFrame):
        raise InputError(f"{method}: data must be a pandas DataFrame, not {type(data).__name__}")
    fa = _Arg("frequency", frequency, data=data)
    ma = _Arg("monetary", monetary, data=data, finite=False)
    x = _int_like(fa)
    _nonneg(fa)
    try:
        x, m = np.broadcast_arrays(x, ma.values)
    except ValueError:
        raise InputError(f"{method}: frequency and monetary must have the same length") from None
    if not allow_zero_frequency:
        zero = x == 0
        if zero.any():
            raise InputError(
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
        raise InputError(
            f"{ma.label} (mean spend per repeat purchase) must be finite and > 0, "
            f"not {fmt(float(ma.values))}"
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
    citation = "Fader, Hardie & Lee (2005), J. Marketing Research 42(4):415-430"

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
            raise InputError("GammaGamma.fit needs data on more than one customer")

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
            raise InputError(f"the mean spend is infinite when q <= 1 (q = {q:.4g})")
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
            raise InputError(
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
    gen = rng(seed)
    nu = gen.gamma(q, 1.0 / g, x.size)
    mx = gen.gamma(p * x, 1.0 / (x * nu))
    return pd.DataFrame(
        {"frequency": x.astype("int64"), "monetary_value": mx, "mean_spend": p / nu}
    )
