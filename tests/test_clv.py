"""CLV models: published estimates, hand calculations, closed forms against numerical
integration and brute-force sums, simulation (parameter recovery, standard errors, conditional
expectations), the transaction-log summary, and the error messages.

Every expected number here comes from a source outside ``customer_value.clv``: a paper, a hand
calculation written out in a comment, an independent formula (plain arithmetic, quadrature, a
series summed term by term), or data simulated from known parameters.
"""

import datetime as dt
import math
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, optimize, special, stats

from customer_value import btyd, clv
from customer_value.io import InputError

# Published parameters: BG/NBD on the CDNOW sample (Fader, Hardie & Lee 2005a, Marketing
# Science 24(2), Table/Fig.: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, weeks) and
# Gamma-Gamma on the CDNOW repeat buyers (Fader, Hardie & Lee 2005b, JMR 42(4): p = 6.25,
# q = 3.74, gamma = 15.44).
CDNOW = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
CDNOW_GG = {"p": 6.25, "q": 3.74, "gamma": 15.44}

# Fader & Hardie (2007, J. Interactive Marketing 21(1)), Table 1: customers still active at the
# start of years 0..12, 1,000 customers per segment. The model is fitted on years 0..7.
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394]


def _figure_ax():
    from matplotlib.figure import Figure

    return Figure().subplots()


# ============================================================================================
# arithmetic
# ============================================================================================


def test_simple_clv_by_hand():
    assert clv.simple_clv(50.0, 12, 5, margin=0.3) == pytest.approx(900.0)  # 50·12·5·0.3
    out = clv.simple_clv(np.array([10.0, 20.0]), 2, 3)
    np.testing.assert_allclose(out, [60.0, 120.0])
    with pytest.raises(ValueError, match="purchases_per_period"):
        clv.simple_clv(10.0, -1, 3)


@pytest.mark.parametrize("r, multiple", [(0.8, 0.8 / 0.3), (0.9, 4.5)])
def test_retention_clv_infinite_horizon(r, multiple):
    # DOMAIN.md §1: r = 0.8, d = 0.1 gives 2.667·m; r = 0.9 gives 4.5·m
    assert clv.retention_clv(100.0, r, 0.1) == pytest.approx(100.0 * multiple)


def test_retention_clv_finite_horizon_is_the_sum():
    m, r, d = 80.0, 0.85, 0.12
    for h in (0, 1, 2, 7, 30):
        end = sum(m * r**t / (1 + d) ** t for t in range(1, h + 1))
        start = sum(m * r**t / (1 + d) ** t for t in range(h))
        assert clv.retention_clv(m, r, d, horizon=h) == pytest.approx(end, abs=1e-12)
        assert clv.retention_clv(m, r, d, horizon=h, margin_timing="start") == pytest.approx(
            start, abs=1e-12
        )
    # a long horizon approaches the infinite one; "start" infinite = m(1+d)/(1+d−r)
    assert clv.retention_clv(m, r, d, horizon=2000) == pytest.approx(m * r / (1 + d - r))
    assert clv.retention_clv(m, r, d, margin_timing="start") == pytest.approx(
        m * (1 + d) / (1 + d - r)
    )
    # r/(1+d) = 1: every period is worth m (no loss, no discount)
    assert clv.retention_clv(5.0, 1.0, 0.0, horizon=4) == pytest.approx(20.0)
    # near 1 the closed form must not lose digits: q = 1 − 1e-12
    q = 1 - 1e-12
    assert clv.retention_clv(1.0, q, 0.0, horizon=3) == pytest.approx(q + q * q + q**3, rel=1e-12)


def test_retention_clv_rejects_bad_input():
    with pytest.raises(ValueError, match="retention"):
        clv.retention_clv(100, 1.2, 0.1)
    with pytest.raises(ValueError, match="1 \\+ discount"):
        clv.retention_clv(100, 1.0, 0.0)
    with pytest.raises(ValueError, match="margin_timing"):
        clv.retention_clv(100, 0.8, 0.1, margin_timing="middle")
    with pytest.raises(ValueError, match="horizon"):
        clv.retention_clv(100, 0.8, 0.1, horizon=2.5)


def test_retention_from_cohort():
    rates = clv.retention_from_cohort([1000, 631, 468, 382])
    np.testing.assert_allclose(rates.to_numpy(), [631 / 1000, 468 / 631, 382 / 468])
    assert rates.index.tolist() == [1, 2, 3]
    # proportions work too, and a cohort that has died out has no rate after it
    np.testing.assert_allclose(
        clv.retention_from_cohort([1.0, 0.5, 0.0, 0.0]).to_numpy(), [0.5, 0.0, np.nan]
    )
    with pytest.raises(ValueError, match="cannot increase.*80 → 90"):
        clv.retention_from_cohort([100, 80, 90])


# ============================================================================================
# shifted-beta-geometric
# ============================================================================================


def test_sbg_reproduces_fader_hardie_2007_high_end():
    # The paper's α̂ = 0.668, β̂ = 3.806, LL = −1611.2 belong to the HIGH END segment, fitted on
    # years 0..7: 1000, 869, 743, 653, 593, 551, 517, 491 (not the regular segment).
    m = btyd.ShiftedBetaGeometric().fit(HIGH_END[:8])
    assert round(m.params_["alpha"], 3) == 0.668
    assert round(m.params_["beta"], 3) == 3.806
    assert round(m.loglik_, 1) == -1611.2


def test_sbg_regular_segment_matches_an_independent_fit():
    # Regular segment, years 0..7: 1000, 631, 468, 382, 326, 289, 262, 241. The paper reports
    # α̂ = 0.704, β̂ = 1.182, LL = −1680.3 for it. Also checked against a plain-arithmetic
    # likelihood (beta functions, not their logs) maximised with Nelder-Mead.
    n = np.array(REGULAR[:8], dtype=float)
    m = btyd.ShiftedBetaGeometric().fit(n)
    assert round(m.params_["alpha"], 3) == 0.704
    assert round(m.params_["beta"], 3) == 1.182
    assert round(m.loglik_, 1) == -1680.3

    def loglik(al, be):
        return _plain_sbg_loglik(al, be, n)

    res = optimize.minimize(
        lambda v: -loglik(*v),
        [1.0, 1.0],
        method="Nelder-Mead",
        options={"xatol": 1e-9, "fatol": 1e-10},
    )
    np.testing.assert_allclose(m.params_.to_numpy(), res.x, rtol=1e-5)
    assert m.loglik_ == pytest.approx(-res.fun, abs=1e-6)


def _plain_sbg_loglik(al, be, n):
    """The sBG likelihood of Fader & Hardie (2007) with beta functions in plain arithmetic: the
    n_{t-1} − n_t customers lost in period t contribute P(T = t), the n_T survivors S(T)."""
    n = np.asarray(n, dtype=float)
    t = np.arange(1, len(n))
    p = special.beta(al + 1, be + t - 1) / special.beta(al, be)
    s_last = special.beta(al, be + len(n) - 1) / special.beta(al, be)
    return float(np.sum((n[:-1] - n[1:]) * np.log(p)) + n[-1] * np.log(s_last))


@pytest.mark.parametrize("counts", [REGULAR, HIGH_END])
def test_sbg_projects_years_8_to_12(counts):
    # Fit on years 0..7, project 8..12 and compare with what the paper's data show; the paper's
    # point is that the sBG projects these well (a geometric model misses by far more:
    # a constant θ fitted to high end data gives ~270 survivors at year 12, not 394).
    m = btyd.ShiftedBetaGeometric().fit(counts[:8])
    proj = m.project(12)
    actual = np.array(counts[8:], dtype=float)
    rel = np.abs(proj["expected_active"].to_numpy()[8:] - actual) / actual
    assert rel.max() < 0.05
    assert proj["observed"].iloc[:8].tolist() == counts[:8]
    assert proj["observed"].iloc[8:].isna().all()


def test_sbg_closed_forms_against_integration():
    al, be = 0.8, 3.2
    m = btyd.ShiftedBetaGeometric.from_params(alpha=al, beta=be)
    dens = stats.beta(al, be).pdf
    for t in (1, 2, 5, 12):
        s = integrate.quad(lambda th, t: (1 - th) ** t * dens(th), 0, 1, args=(t,), limit=200)[0]
        p = integrate.quad(
            lambda th, t: th * (1 - th) ** (t - 1) * dens(th), 0, 1, args=(t,), limit=200
        )[0]
        assert m.survival(t) == pytest.approx(s, rel=1e-7)
        assert m.churn_probability(t) == pytest.approx(p, rel=1e-7)
        assert m.retention_rate(t) == pytest.approx(m.survival(t) / m.survival(t - 1))
    # the lifetime distribution sums to one: P(T = 1..n) + S(n) = 1
    t = np.arange(1, 31)
    assert np.sum(m.churn_probability(t)) + m.survival(30) == pytest.approx(1.0)
    # hand: S(1) = β/(α+β) = 0.8; r_1 = β/(α+β)
    assert m.survival(1) == pytest.approx(0.8)
    assert m.retention_rate(1) == pytest.approx(0.8)


def test_sbg_survival_is_stable_far_out():
    m = btyd.ShiftedBetaGeometric.from_params(alpha=0.5, beta=200.0)
    s = m.survival(np.array([1e4, 1e6]))
    assert np.all(np.isfinite(s)) and np.all(s > 0) and s[1] < s[0]


def test_sbg_parameter_recovery_and_standard_errors():
    # 120 cohorts of 2,000 observed for 8 periods: the estimates centre on the truth and their
    # spread matches the standard errors from the inverse Hessian.
    rng = np.random.default_rng(11)
    est, se = [], []
    for _ in range(120):
        m = btyd.ShiftedBetaGeometric().fit(btyd.simulate_sbg(2000, 0.8, 3.2, 8, seed=rng))
        est.append(m.params_.to_numpy())
        se.append(m.se_.to_numpy())
    est, se = np.array(est), np.array(se)
    assert np.all(np.abs(est.mean(0) - [0.8, 3.2]) < 3 * est.std(0) / np.sqrt(len(est)) + 0.02)
    ratio = est.std(0, ddof=1) / se.mean(0)
    assert np.all((ratio > 0.8) & (ratio < 1.25)), ratio


def test_sbg_several_cohorts_tidy_and_list():
    rng = np.random.default_rng(5)
    a = btyd.simulate_sbg(1500, 1.2, 4.0, 10, seed=rng)
    b = btyd.simulate_sbg(800, 1.2, 4.0, 4, seed=rng)
    tidy = pd.DataFrame(
        {
            "cohort": ["a"] * 11 + ["b"] * 5,
            "month": list(range(11)) + list(range(5)),
            "subs": np.concatenate([a, b]),
        }
    ).sample(frac=1, random_state=1)
    m1 = btyd.ShiftedBetaGeometric().fit([a, b])
    m2 = btyd.ShiftedBetaGeometric().fit("subs", data=tidy, period="month", cohort="cohort")
    np.testing.assert_allclose(m1.params_, m2.params_, rtol=1e-8)
    # the joint log-likelihood is the sum of the cohorts' (plain arithmetic) at the estimate,
    # and no more than the sum of the cohorts' own maxima
    al, be = m1.params_
    assert m1.loglik_ == pytest.approx(_plain_sbg_loglik(al, be, a) + _plain_sbg_loglik(al, be, b))
    single = [btyd.ShiftedBetaGeometric().fit(c).loglik_ for c in (a, b)]
    assert m1.loglik_ <= sum(single) + 1e-9


def test_sbg_summary_and_plot():
    m = btyd.ShiftedBetaGeometric().fit(HIGH_END[:8])
    s = m.summary()
    assert s.columns.tolist() == ["parameter", "estimate", "std_err", "ci_low", "ci_high"]
    assert s["parameter"].tolist() == ["alpha", "beta"]
    z = stats.norm.ppf(0.975)
    est, se = s["estimate"].to_numpy(), s["std_err"].to_numpy()
    np.testing.assert_allclose(s["ci_low"], est * np.exp(-z * se / est))
    np.testing.assert_allclose(m.summary(scale="linear")["ci_high"], est + z * se)
    assert np.all(se > 0)
    ax = m.plot(ax=_figure_ax())
    assert len(ax.lines) >= 2
    assert ax.get_ylabel()


def test_sbg_rejects_bad_counts():
    with pytest.raises(ValueError, match="cannot increase.*800 → 850"):
        btyd.ShiftedBetaGeometric().fit([1000, 800, 850, 700])
    with pytest.raises(ValueError, match="whole numbers.*800.5"):
        btyd.ShiftedBetaGeometric().fit([1000, 800.5, 700])
    with pytest.raises(ValueError, match=">= 0"):
        btyd.ShiftedBetaGeometric().fit([1000, -1])
    with pytest.raises(ValueError, match="at least two"):
        btyd.ShiftedBetaGeometric().fit([1000])
    with pytest.raises(ValueError, match="not fitted"):
        btyd.ShiftedBetaGeometric().survival(3)


def _brute_derl(al, be, d, k, terms=20000):
    t = np.arange(k + 1, k + 1 + terms)
    ratio = np.exp(special.betaln(al, be + t) - special.betaln(al, be + k))  # S(t)/S(k)
    return float(np.sum(ratio * np.exp(-(t - k - 1) * math.log1p(d))))


@pytest.mark.parametrize(
    "al, be, d", [(0.668, 3.806, 0.1), (0.704, 1.182, 0.1), (2.0, 5.0, 0.05), (0.3, 0.4, 0.2)]
)
def test_sbg_del_and_derl_against_brute_force_sums(al, be, d):
    for k in (0, 1, 4, 10):
        assert btyd.sbg_derl(al, be, d, k) == pytest.approx(_brute_derl(al, be, d, k), rel=1e-9)
    t = np.arange(0, 20000)
    brute_del = np.sum(
        np.exp(special.betaln(al, be + t) - special.betaln(al, be) - t * math.log1p(d))
    )
    assert btyd.sbg_expected_lifetime(al, be, d) == pytest.approx(brute_del, rel=1e-9)
    # DEL counts the payment at t = 0, then a renewal-0 customer's DERL one period later
    assert btyd.sbg_expected_lifetime(al, be, d) == pytest.approx(
        1 + btyd.sbg_derl(al, be, d, 0) / (1 + d)
    )


def test_sbg_derl_by_hand_and_undiscounted_lifetime():
    # α = β = 1: S(t) = 1/(1+t), DERL(0) = Σ_{t≥1} z^(t−1)/(t+1) = (−ln(1−z) − z)/z², z = 1/(1+d)
    z = 1 / 1.1
    assert btyd.sbg_derl(1.0, 1.0, 0.1, 0) == pytest.approx((-math.log(1 - z) - z) / z**2)
    # undiscounted expected lifetime (α > 1): E[T] = (α+β−1)/(α−1); infinite for α ≤ 1
    assert btyd.sbg_expected_lifetime(2.0, 3.0) == pytest.approx(4.0)
    assert btyd.sbg_expected_lifetime(0.7, 3.0) == math.inf
    np.testing.assert_allclose(
        btyd.sbg_derl(2.0, 3.0, 0.05, [0, 3]),
        [_brute_derl(2.0, 3.0, 0.05, 0), _brute_derl(2.0, 3.0, 0.05, 3)],
        rtol=1e-9,
    )
    # undiscounted residual lifetime (α > 1): (β+n−1)/(α−1) in closed form vs the series
    assert btyd.sbg_derl(3.0, 2.0, 0.0, 2) == pytest.approx(
        _brute_derl(3.0, 2.0, 0.0, 2, 10**6), rel=1e-8
    )
    with pytest.raises(ValueError, match="discount"):
        btyd.sbg_derl(0.7, 3.0, 0.0, 1)


# ============================================================================================
# BG/NBD
# ============================================================================================


def _plain_bgnbd_lik(r, al, a, b, x, tx, T):
    """The BG/NBD likelihood of Fader, Hardie & Lee (2005a) in plain arithmetic (no logs), for
    small x."""
    B, G = special.beta, special.gamma
    front = G(r + x) * al**r / G(r)
    term1 = B(a, b + x) / B(a, b) / (al + T) ** (r + x)
    term2 = (B(a + 1, b + x - 1) / B(a, b) / (al + tx) ** (r + x)) if x > 0 else 0.0
    return front * (term1 + term2)


# the first customers of the CDNOW sample (x, t_x, T in weeks) and a few more
CUSTOMERS = [
    (2, 30.43, 38.86),
    (1, 1.71, 38.86),
    (0, 0.0, 38.86),
    (7, 29.43, 38.86),
    (10, 34.14, 38.86),
    (1, 38.43, 38.43),
    (29, 37.71, 38.0),
]


def test_bgnbd_loglik_matches_plain_arithmetic_at_published_parameters():
    m = btyd.BetaGeoNBD.from_params(**CDNOW)
    x, tx, T = map(np.array, zip(*CUSTOMERS))
    ll = m.log_likelihood(x, tx, T)
    expected = [math.log(_plain_bgnbd_lik(*CDNOW.values(), *c)) for c in CUSTOMERS]
    np.testing.assert_allclose(ll, expected, rtol=1e-11)


def test_bgnbd_loglik_by_hand():
    m = btyd.BetaGeoNBD.from_params(r=1.0, alpha=1.0, a=1.0, b=1.0)
    # x = 0, T = 1: Γ(1)·1/Γ(1) · B(1,1)/B(1,1) · 1/(1+1)^1 = 1/2
    assert m.log_likelihood(0, 0.0, 1.0) == pytest.approx(math.log(0.5))
    # x = 1, t_x = 0.5, T = 1: B(1,2)/B(1,1)·1/2² + B(2,1)/B(1,1)·1/1.5² = 1/8 + 2/9 = 25/72
    assert m.log_likelihood(1, 0.5, 1.0) == pytest.approx(math.log(25 / 72))


def _individual_lik_integrated(r, al, a, b, x, tx, T, nodes=300):
    """Integrate the individual-level likelihood (1−p)^x λ^x e^(−λT) + δ p(1−p)^(x−1) λ^x
    e^(−λ t_x) over λ ~ Gamma(r, α) and p ~ Beta(a, b) numerically: generalised Gauss-Laguerre
    nodes in u = αλ (weight u^(r−1) e^(−u)) and Gauss-Jacobi nodes in p (weight
    p^(a−1) (1−p)^(b−1)), normalised by the same rules applied to 1."""
    u, wu = special.roots_genlaguerre(nodes, r - 1)
    s, ws = special.roots_jacobi(nodes, b - 1, a - 1)  # weight (1−s)^(b−1) (1+s)^(a−1)
    lam, p = u / al, (1 + s) / 2
    L, P = np.meshgrid(lam, p, indexing="ij")
    inner = (1 - P) ** x * L**x * np.exp(-L * T)
    if x > 0:
        inner = inner + P * (1 - P) ** (x - 1) * L**x * np.exp(-L * tx)
    return float(wu @ inner @ ws / (wu.sum() * ws.sum()))


@pytest.mark.parametrize("params", [CDNOW, {"r": 1.5, "alpha": 2.0, "a": 1.3, "b": 2.2}])
@pytest.mark.parametrize("cust", [(0, 0.0, 5.0), (3, 2.5, 6.0), (2, 30.43, 38.86)])
def test_bgnbd_likelihood_is_the_mixture_of_the_individual_model(params, cust):
    m = btyd.BetaGeoNBD.from_params(**params)
    expected = _individual_lik_integrated(*params.values(), *cust)
    assert math.exp(m.log_likelihood(*cust)) == pytest.approx(expected, rel=1e-9)


def _scaled_quad(logf, lo=0.0, hi=1.0):
    """∫ exp(logf(p)) dp, scaled by the integrand's maximum so huge exponents do not
    underflow; returns (log scale, integral / exp(scale))."""
    grid = np.linspace(lo, hi, 20001)[1:-1]
    c = np.max(logf(grid))
    peak = grid[np.argmax(logf(grid))]
    pts = [q for q in (peak / 4, peak, 4 * peak, 1e-4, 1e-3, 1e-2, 0.1) if lo < q < hi]
    val = integrate.quad(
        lambda p: math.exp(logf(np.array(p)) - c),
        lo,
        hi,
        points=sorted(pts),
        limit=500,
        epsabs=0,
        epsrel=1e-11,
    )[0]
    return c, val


def test_bgnbd_large_frequency_is_finite_and_right():
    m = btyd.BetaGeoNBD.from_params(**CDNOW)
    r, al, a, b = CDNOW.values()
    x, tx, T = 500, 38.5, 38.86
    ll = m.log_likelihood(x, tx, T)
    assert np.isfinite(ll)
    # the two beta-function terms by quadrature over p (λ integrated in closed form)
    lbeta = special.betaln(a, b)
    c1, i1 = _scaled_quad(
        lambda p: x * np.log1p(-p) + (a - 1) * np.log(p) + (b - 1) * np.log1p(-p) - lbeta
    )
    c2, i2 = _scaled_quad(
        lambda p: (
            np.log(p)
            + (x - 1) * np.log1p(-p)
            + (a - 1) * np.log(p)
            + (b - 1) * np.log1p(-p)
            - lbeta
        )
    )
    lam = math.lgamma(r + x) - math.lgamma(r) + r * math.log(al)
    expected = lam + np.logaddexp(
        c1 + math.log(i1) - (r + x) * math.log(al + T),
        c2 + math.log(i2) - (r + x) * math.log(al + tx),
    )
    assert ll == pytest.approx(expected, rel=1e-9)
    # and the forecasts: finite, no overflow, no warnings (pytest turns none into errors, so check)
    with np.errstate(all="raise"):
        e = m.conditional_expected_purchases(39.0, [500, 500, 5000], [38.5, 5.0, 38.8], 38.86)
        pa = m.probability_alive([500, 500, 5000], [38.5, 5.0, 38.8], 38.86)
    assert np.all(np.isfinite(e)) and np.all(np.isfinite(pa))
    assert pa[1] < 1e-100 and e[1] < 1e-100  # 500 purchases, none in 33 weeks: gone


def _cond_quad(t, x, tx, T, r, al, a, b):
    """E[Y(t) | x, t_x, T] by 1-D quadrature over p of the posterior (λ in closed form):
    E[Y(t) | λ, p, alive] = (1 − e^(−λpt))/p; weights P(data, alive | p) and P(data | p)."""
    f = stats.beta(a, b).pdf
    k = r + x
    num = integrate.quad(
        lambda p: (1 - p) ** x * (1 - ((al + T) / (al + T + p * t)) ** k) / p * f(p),
        0,
        1,
        limit=400,
        epsabs=0,
        epsrel=1e-11,
    )[0]
    alive = integrate.quad(lambda p: (1 - p) ** x * f(p), 0, 1, limit=400, epsabs=0, epsrel=1e-11)[
        0
    ]
    dead = 0.0
    if x > 0:
        dead = (
            integrate.quad(
                lambda p: p * (1 - p) ** (x - 1) * f(p), 0, 1, limit=400, epsabs=0, epsrel=1e-11
            )[0]
            * ((al + T) / (al + tx)) ** k
        )
    return num / (alive + dead), alive / (alive + dead)


@pytest.mark.parametrize(
    "params",
    [
        CDNOW,
        {"r": 0.9, "alpha": 6.0, "a": 1.0, "b": 3.0},
        {"r": 2.0, "alpha": 10.0, "a": 3.5, "b": 1.5},
    ],
)
def test_bgnbd_conditional_expectation_against_quadrature(params):
    m = btyd.BetaGeoNBD.from_params(**params)
    for x, tx, T in CUSTOMERS[:5] + [(3, 20.0, 38.86)]:
        for t in (1.0, 39.0, 200.0):
            want, alive = _cond_quad(t, x, tx, T, *params.values())
            assert m.conditional_expected_purchases(t, x, tx, T) == pytest.approx(want, rel=1e-7)
        assert m.probability_alive(x, tx, T) == pytest.approx(alive, rel=1e-8)


def test_bgnbd_unconditional_expectation_against_quadrature():
    r, al, a, b = CDNOW.values()
    m = btyd.BetaGeoNBD.from_params(**CDNOW)
    f = stats.beta(a, b).pdf
    for t in (0.5, 10.0, 39.0, 78.0, 500.0):
        # E[X(t) | p] = (1/p)(1 − (α/(α+pt))^r) after integrating λ; then integrate p
        want = integrate.quad(
            lambda p, t: (1 - (al / (al + p * t)) ** r) / p * f(p),
            0,
            1,
            args=(t,),
            limit=400,
            epsabs=0,
            epsrel=1e-11,
        )[0]
        assert m.expected_purchases(t) == pytest.approx(want, rel=1e-8)
    assert m.expected_purchases(0.0) == 0.0


def test_probability_alive_follows_the_paper():
    m = btyd.BetaGeoNBD.from_params(**CDNOW)
    # x = 0: in the BG/NBD a customer can only drop out after a repeat purchase → 1
    assert m.probability_alive(0, 0.0, 38.86) == 1.0
    # hand: x = 2, t_x = 30.43, T = 38.86: 1/(1 + a/(b+1)·((α+T)/(α+t_x))^(r+2))
    odds = 0.793 / (2.426 + 1) * ((4.414 + 38.86) / (4.414 + 30.43)) ** (0.243 + 2)
    assert m.probability_alive(2, 30.43, 38.86) == pytest.approx(1 / (1 + odds))
    # bought recently → more likely alive; same x, longer silence → less likely
    p = m.probability_alive([5, 5], [38.0, 10.0], 38.86)
    assert p[0] > p[1]


def test_bgnbd_simulation_matches_the_model():
    # 100,000 customers from the CDNOW parameters, 39 weeks of calibration and 39 of holdout:
    # per calibration frequency, the mean holdout purchases and the share still alive agree
    # with the model's conditional expectation and P(alive) within 4 standard errors.
    d = btyd.simulate_bgnbd(100_000, T=39.0, seed=2024, holdout=39.0, **CDNOW)
    m = btyd.BetaGeoNBD.from_params(**CDNOW)
    assert d["frequency"].mean() == pytest.approx(
        m.expected_purchases(39.0), abs=4 * d["frequency"].std() / math.sqrt(len(d))
    )
    d["pred"] = m.conditional_expected_purchases(39.0, d["frequency"], d["recency"], d["T"])
    d["pa"] = m.probability_alive(d["frequency"], d["recency"], d["T"])
    d["g"] = np.minimum(d["frequency"], 7)
    for _, grp in d.groupby("g"):
        res = grp["frequency_holdout"] - grp["pred"]
        assert abs(res.mean()) < 4 * res.std() / math.sqrt(len(grp)) + 1e-12
        res = grp["alive"] - grp["pa"]
        assert abs(res.mean()) < 4 * max(res.std(), 1e-12) / math.sqrt(len(grp)) + 1e-12
    assert d.loc[d["frequency"] == 0, "alive"].all()
    table = clv.holdout_comparison(m, d)
    assert table["group"].tolist() == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert table["customers"].sum() == len(d)
    np.testing.assert_allclose(table["actual"], table["predicted"], rtol=0.06)


def test_bgnbd_parameter_recovery():
    true = np.array(list(CDNOW.values()))
    d = btyd.simulate_bgnbd(5000, T=np.linspace(26.0, 39.0, 5000), seed=7, **CDNOW)
    m = btyd.BetaGeoNBD().fit(d)
    assert m.converged_
    z = (m.params_.to_numpy() - true) / m.se_.to_numpy()
    assert np.all(np.abs(z) < 3), z
    s = m.summary()
    assert np.all((s["ci_low"] < true) & (true < s["ci_high"]) | (np.abs(z) > 1.9))


def test_bgnbd_standard_errors_match_the_spread_of_estimates():
    rng = np.random.default_rng(99)
    est, se = [], []
    for _ in range(40):
        m = btyd.BetaGeoNBD().fit(btyd.simulate_bgnbd(2000, T=39.0, seed=rng, **CDNOW))
        est.append(m.params_.to_numpy())
        se.append(m.se_.to_numpy())
    ratio = np.std(est, axis=0, ddof=1) / np.median(se, axis=0)
    assert np.all((ratio > 0.65) & (ratio < 1.5)), ratio


def test_bgnbd_fit_agrees_with_an_independent_optimiser_and_is_fast():
    d = btyd.simulate_bgnbd(2357, T=np.linspace(27.0, 39.0, 2357), seed=3, **CDNOW)
    start = time.perf_counter()
    m = btyd.BetaGeoNBD().fit(d["frequency"], d["recency"], d["T"])
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0
    x, tx, T = d["frequency"].to_numpy(), d["recency"].to_numpy(), d["T"].to_numpy()

    def negll(theta):  # the likelihood in plain arithmetic (x is small here)
        r, al, a, b = np.exp(theta)
        B, G = special.beta, special.gamma
        with np.errstate(all="ignore"):
            t2 = np.where(
                x > 0, B(a + 1, b + np.maximum(x, 1) - 1) / B(a, b) / (al + tx) ** (r + x), 0.0
            )
            lik = G(r + x) * al**r / G(r) * (B(a, b + x) / B(a, b) / (al + T) ** (r + x) + t2)
            val = -np.sum(np.log(lik))
        return val if np.isfinite(val) else np.inf

    res = optimize.minimize(
        negll,
        np.log([1.0, 1.0, 1.0, 1.0]),
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 20000, "maxfev": 40000},
    )
    assert m.loglik_ == pytest.approx(-res.fun, abs=1e-5)
    np.testing.assert_allclose(m.params_.to_numpy(), np.exp(res.x), rtol=1e-3)
    # a DataFrame with column names gives the same fit; duplicated data doubles the LL
    m2 = btyd.BetaGeoNBD().fit(d.rename(columns={"T": "age"}), T="age")
    np.testing.assert_allclose(m2.params_, m.params_, rtol=1e-10)
    m3 = btyd.BetaGeoNBD().fit(pd.concat([d, d]))
    assert m3.loglik_ == pytest.approx(2 * m.loglik_, rel=1e-9)


def test_bgnbd_outputs_follow_the_input():
    m = btyd.BetaGeoNBD.from_params(**CDNOW)
    df = pd.DataFrame({"f": [0, 2], "r": [0.0, 30.43], "T": [38.86, 38.86]}, index=["u", "v"])
    s = m.probability_alive("f", "r", "T", data=df)
    assert isinstance(s, pd.Series) and s.index.tolist() == ["u", "v"]
    assert isinstance(m.probability_alive(2, 30.43, 38.86), float)
    assert isinstance(m.probability_alive([2, 0], [30.43, 0], 38.86), np.ndarray)


@pytest.mark.parametrize(
    "frequency, recency, message",
    [
        ([1, -2], [1.0, 2.0], "frequency must be >= 0.*-2"),
        ([1.5, 2], [1.0, 2.0], "whole numbers.*1.5"),
        ([1, 2], [1.0, 12.0], "cannot exceed T.*12 > T=10"),
        ([0, 2], [3.0, 2.0], "recency must be 0"),
        ([1, np.nan], [1.0, 2.0], "finite"),
    ],
)
def test_bgnbd_rejects_bad_input(frequency, recency, message):
    with pytest.raises(ValueError, match=message):
        btyd.BetaGeoNBD().fit(frequency=frequency, recency=recency, T=[10.0, 10.0])


def test_bgnbd_error_names_the_column_and_row():
    df = pd.DataFrame({"x": [1, 3], "tx": [1.0, 50.0], "age": [10.0, 10.0]}, index=["A", "B"])
    with pytest.raises(ValueError, match="row 'B'"):
        btyd.BetaGeoNBD().fit(df, frequency="x", recency="tx", T="age")
    with pytest.raises(ValueError, match="column 'freq' is not in data"):
        btyd.BetaGeoNBD().fit(df, frequency="freq", recency="tx", T="age")


# ============================================================================================
# Gamma-Gamma
# ============================================================================================


def test_gamma_gamma_loglik_against_integration():
    # f(m_x | x) = ∫ Gamma(m_x; shape px, rate xν) · Gamma(ν; shape q, rate γ) dν
    p, q, g = CDNOW_GG.values()
    m = btyd.GammaGamma.from_params(**CDNOW_GG)

    def joint(nu, x, mx):
        return stats.gamma.pdf(mx, p * x, scale=1 / (x * nu)) * stats.gamma.pdf(nu, q, scale=1 / g)

    for x, mx in [(1, 12.0), (3, 35.5), (12, 20.0)]:
        dens = integrate.quad(joint, 0, np.inf, args=(x, mx), epsabs=0, epsrel=1e-11, limit=200)[0]
        assert m.log_likelihood(x, mx) == pytest.approx(math.log(dens), rel=1e-8)


def test_gamma_gamma_conditional_spend():
    p, q, g = CDNOW_GG.values()
    gg = btyd.GammaGamma.from_params(**CDNOW_GG)
    # hand: x = 2, m_x = 30: (15.44 + 60)·6.25/(12.5 + 2.74) = 30.938…
    assert gg.conditional_expected_average_spend(2, 30.0) == pytest.approx(75.44 * 6.25 / 15.24)
    # the weighted-average form of FHL 2005b: (q−1)/(px+q−1)·γp/(q−1) + px/(px+q−1)·m_x
    x, mx = np.array([1, 4, 20]), np.array([10.0, 80.0, 25.0])
    w = (q - 1) / (p * x + q - 1)
    np.testing.assert_allclose(
        gg.conditional_expected_average_spend(x, mx), w * g * p / (q - 1) + (1 - w) * mx
    )

    # the posterior mean of the customer's mean spend p/ν, by quadrature over ν
    def joint(nu, x, mx):
        return stats.gamma.pdf(mx, p * x, scale=1 / (x * nu)) * stats.gamma.pdf(nu, q, scale=1 / g)

    for xi, mi in zip(x, mx):
        post = integrate.quad(
            lambda nu, *a: p / nu * joint(nu, *a), 0, np.inf, args=(xi, mi), epsrel=1e-11
        )[0]
        norm = integrate.quad(joint, 0, np.inf, args=(xi, mi), epsrel=1e-11)[0]
        assert gg.conditional_expected_average_spend(xi, mi) == pytest.approx(post / norm, rel=1e-7)
    # frequency 0: the population mean γp/(q−1); the monetary value is ignored
    assert gg.conditional_expected_average_spend(0, np.nan) == pytest.approx(g * p / (q - 1))
    assert gg.mean_spend() == pytest.approx(g * p / (q - 1))


def test_gamma_gamma_parameter_recovery_and_standard_errors():
    true = np.array(list(CDNOW_GG.values()))
    rng = np.random.default_rng(17)
    x = 1 + np.minimum(rng.poisson(2.0, 4000), 40)
    d = btyd.simulate_gamma_gamma(x, seed=rng, **CDNOW_GG)
    m = btyd.GammaGamma().fit(d, frequency="frequency", monetary="monetary_value")
    z = (m.params_.to_numpy() - true) / m.se_.to_numpy()
    assert np.all(np.abs(z) < 3), z
    est, se = [], []
    for _ in range(40):
        di = btyd.simulate_gamma_gamma(x[:1500], seed=rng, **CDNOW_GG)
        mi = btyd.GammaGamma().fit(di["frequency"], di["monetary_value"])
        est.append(mi.params_.to_numpy())
        se.append(mi.se_.to_numpy())
    ratio = np.std(est, axis=0, ddof=1) / np.median(se, axis=0)
    assert np.all((ratio > 0.65) & (ratio < 1.5)), ratio


def test_gamma_gamma_rejects_bad_rows():
    with pytest.raises(ValueError, match="2 of 4 rows"):
        btyd.GammaGamma().fit([0, 0, 1, 2], [0.0, 0.0, 10.0, 20.0])
    with pytest.raises(ValueError, match="must be > 0.*-3"):
        btyd.GammaGamma().fit([1, 2, 3], [10.0, -3.0, 5.0])
    with pytest.raises(ValueError, match="not fitted"):
        btyd.GammaGamma().conditional_expected_average_spend(1, 10.0)


# ============================================================================================
# CLV from BG/NBD + Gamma-Gamma
# ============================================================================================


def test_customer_lifetime_value_against_a_brute_computation():
    bg = btyd.BetaGeoNBD.from_params(**CDNOW)
    gg = btyd.GammaGamma.from_params(**CDNOW_GG)
    p, q, g = CDNOW_GG.values()
    custs = [(0, 0.0, 38.86, 0.0), (2, 30.43, 38.86, 20.0), (7, 29.43, 38.86, 45.0)]
    L, H, d, margin = 30.4375 / 7, 6, 0.01, 0.3  # months of 4.348 weeks, 1% a month
    got = clv.customer_lifetime_value(
        bg,
        gg,
        *map(np.array, zip(*custs)),
        horizon=H,
        discount_rate=d,
        period_length=L,
        margin=margin,
    )
    for value, (x, tx, T, mx) in zip(got, custs):
        spend = (g + mx * x) * p / (p * x + q - 1)
        cum = [0.0] + [_cond_quad(k * L, x, tx, T, *CDNOW.values())[0] for k in range(1, H + 1)]
        want = sum(margin * spend * (cum[k] - cum[k - 1]) / (1 + d) ** k for k in range(1, H + 1))
        assert value == pytest.approx(want, rel=1e-7)
    # no discounting: the sum telescopes to spend × E[Y(H·L)]
    flat = clv.customer_lifetime_value(
        bg, gg, 2, 30.43, 38.86, 20.0, horizon=H, discount_rate=0.0, period_length=L
    )
    assert flat == pytest.approx(
        gg.conditional_expected_average_spend(2, 20.0)
        * bg.conditional_expected_purchases(H * L, 2, 30.43, 38.86)
    )


def test_customer_lifetime_value_checks_its_arguments():
    bg = btyd.BetaGeoNBD.from_params(**CDNOW)
    gg = btyd.GammaGamma.from_params(**CDNOW_GG)
    with pytest.raises(ValueError, match="horizon"):
        clv.customer_lifetime_value(bg, gg, 1, 1.0, 2.0, 10.0, horizon=0, discount_rate=0.1)
    with pytest.raises(ValueError, match="discount_rate"):
        clv.customer_lifetime_value(bg, gg, 1, 1.0, 2.0, 10.0, horizon=3, discount_rate=-1.5)
    with pytest.raises(ValueError, match="monetary"):
        clv.customer_lifetime_value(bg, gg, 1, 1.0, 2.0, -10.0, horizon=3, discount_rate=0.1)


# ============================================================================================
# transaction log → calibration / holdout
# ============================================================================================

LOG = pd.DataFrame(
    {
        "cid": ["a", "a", "a", "a", "a", "b", "b", "c", "d"],
        "when": [
            "2024-01-01 09:00",
            "2024-01-01 17:30",
            "2024-01-15",
            "2024-02-01",
            "2024-02-10",
            "2024-01-10",
            "2024-01-24",
            "2024-02-05",
            "2024-01-31",
        ],
        "amount": [10.0, 5.0, 20.0, 7.0, 9.0, 8.0, 12.0, 3.0, 4.0],
    }
)


def test_calibration_holdout_by_hand():
    out = clv.calibration_holdout(
        LOG,
        "2024-01-31",
        customer_id="cid",
        date="when",
        observation_end="2024-02-29",
        unit="day",
    )
    # c first buys after calibration_end: not in the table.
    # a: 1 Jan (two transactions = one occasion) and 15 Jan → frequency 1, recency 14 days,
    #    T = 30 days; holdout 1 and 10 Feb → 2 occasions, mean 8; repeat spend 20.
    # b: 10 and 24 Jan → frequency 1, recency 14, T 21; holdout none; repeat spend 12.
    # d: only 31 Jan = calibration_end → frequency 0, T 0.
    # holdout: 31 Jan → 29 Feb = 29 days.
    assert out.index.tolist() == ["a", "b", "d"]
    assert out["frequency"].tolist() == [1, 1, 0]
    assert out["recency"].tolist() == [14.0, 14.0, 0.0]
    assert out["T"].tolist() == [30.0, 21.0, 0.0]
    assert out["paid_frequency"].tolist() == [1, 1, 0]
    assert out["monetary_value"].tolist() == [20.0, 12.0, 0.0]
    assert out["frequency_holdout"].tolist() == [2, 0, 0]
    assert out["duration_holdout"].tolist() == [29.0] * 3
    # the same numbers as the customer tables of the two dates: one path from a log
    from customer_value.customers import customer_table

    cal = customer_table(LOG, customer_id="cid", date="when", as_of="2024-01-31").to_pandas()
    assert out["frequency"].tolist() == cal["btyd_frequency"].tolist()
    assert out["monetary_value"].tolist() == cal["btyd_monetary"].tolist()


def test_calibration_holdout_units_and_default_end():
    kw = {"customer_id": "cid", "date": "when"}
    weeks = clv.calibration_holdout(LOG, "2024-01-31", unit="week", **kw)
    # default observation_end = last date in the log, 10 Feb: 10 days = 10/7 weeks
    assert weeks["duration_holdout"].iloc[0] == pytest.approx(10 / 7)
    assert weeks.loc["a", "T"] == pytest.approx(30 / 7)
    months = clv.calibration_holdout(LOG, "2024-01-31", unit="month", **kw)
    assert months.loc["a", "recency"] == pytest.approx(14 / 30.4375)
    assert months.loc["a", "frequency_holdout"] == 2
    days = clv.calibration_holdout(LOG, "2024-01-31", unit="day", **kw)
    assert days.loc["b", "T"] == 21.0
    assert weeks.attrs["observation_end"] == dt.date(2024, 2, 10)


def test_calibration_holdout_errors():
    kw = {"customer_id": "cid", "date": "when"}
    with pytest.raises(InputError, match="'when', not a date: 'not a date'"):
        clv.calibration_holdout(
            LOG.assign(when=["not a date"] + LOG["when"].tolist()[1:]), "2024-01-31", **kw
        )
    with pytest.raises(InputError, match="missing column.*'day_of'"):
        clv.calibration_holdout(LOG, "2024-01-31", customer_id="cid", date="day_of")
    with pytest.raises(InputError, match="must be after the calibration end"):
        clv.calibration_holdout(LOG, "2024-01-31", observation_end="2024-01-15", **kw)
    with pytest.raises(InputError, match="unit"):
        clv.calibration_holdout(LOG, "2024-01-31", unit="fortnight", **kw)
    # day-first dates are refused, not read month first (as the old parser of clv did)
    with pytest.raises(InputError, match="not a date: '05/02/2024'"):
        clv.calibration_holdout(LOG.assign(when=["05/02/2024"] * len(LOG)), "2024-01-31", **kw)
    with pytest.raises(InputError, match="no holdout period"):
        clv.calibration_holdout(LOG, "2024-02-10", **kw)


def test_plot_calibration_holdout():
    d = btyd.simulate_bgnbd(3000, T=39.0, seed=1, holdout=39.0, **CDNOW)
    m = btyd.BetaGeoNBD.from_params(**CDNOW)
    ax = clv.plot_calibration_holdout(m, d, ax=_figure_ax())
    assert len(ax.lines) == 2
    assert [t.get_text() for t in ax.get_xticklabels()][-1] == "7+"
    table = clv.holdout_comparison(m, d)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), table["actual"])
    np.testing.assert_allclose(ax.lines[1].get_ydata(), table["predicted"])


def test_import_has_no_side_effects():
    # rcParams.copy() reads the values without resolving the backend (which imports pyplot)
    code = (
        "import sys, matplotlib; before = dict(matplotlib.rcParams.copy()); "
        "import customer_value.clv; "
        "assert 'matplotlib.pyplot' not in sys.modules; "
        "assert dict(matplotlib.rcParams.copy()) == before"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stderr
    assert res.stdout == "" and res.stderr == ""


# ============================================================================================
# discounted expected purchases; tracking of cumulative repeat purchases
# ============================================================================================


def _paper_expected_purchases(t, r, alpha, a, b):
    # E[X(t)] of Fader, Hardie & Lee (2005a), eq. 9, in its original (non-Euler) form
    return (
        (a + b - 1)
        / (a - 1)
        * (1 - (alpha / (alpha + t)) ** r * special.hyp2f1(r, b, a + b - 1, t / (alpha + t)))
    )


def test_discounted_expected_purchases_telescopes_and_discounts_period_by_period():
    m = btyd.BetaGeoNBD.from_params(**CDNOW)
    x, tx, T = np.array([0, 2, 7]), np.array([0.0, 30.43, 20.0]), np.array([38.86, 38.86, 38.0])
    L, H = 4.0, 13
    # without discounting the sum of the period increments is E[Y(H·L)]
    undiscounted = clv.discounted_expected_purchases(
        m, x, tx, T, horizon=H, discount_rate=0.0, period_length=L
    )
    np.testing.assert_allclose(
        undiscounted, m.conditional_expected_purchases(H * L, x, tx, T), rtol=1e-12
    )
    # with discounting: each period's increment divided by (1 + d)^k, summed by hand
    d = 0.02
    cum = [np.zeros(3)] + [
        np.asarray(m.conditional_expected_purchases(k * L, x, tx, T)) for k in range(1, H + 1)
    ]
    by_hand = sum((cum[k] - cum[k - 1]) / (1 + d) ** k for k in range(1, H + 1))
    got = clv.discounted_expected_purchases(
        m, x, tx, T, horizon=H, discount_rate=d, period_length=L
    )
    np.testing.assert_allclose(got, by_hand, rtol=1e-12)
    assert np.all(got < undiscounted) and np.all(got > undiscounted / (1 + d) ** H)
    with pytest.raises(ValueError, match="horizon"):
        clv.discounted_expected_purchases(m, x, tx, T, horizon=0, discount_rate=d)


def test_clv_is_expected_spend_times_margin_times_discounted_purchases():
    bg = btyd.BetaGeoNBD.from_params(**CDNOW)
    gg = btyd.GammaGamma.from_params(**CDNOW_GG)
    data = pd.DataFrame(
        {"f": [0, 1, 5], "r": [0.0, 10.0, 35.0], "T": [39.0, 39.0, 39.0], "m": [0.0, 25.0, 40.0]}
    )
    dep = clv.discounted_expected_purchases(
        bg, "f", "r", "T", horizon=12, discount_rate=0.01, period_length=4.35, data=data
    )
    spend = gg.conditional_expected_average_spend("f", "m", data=data)
    value = clv.customer_lifetime_value(
        bg,
        gg,
        "f",
        "r",
        "T",
        "m",
        horizon=12,
        discount_rate=0.01,
        period_length=4.35,
        margin=0.3,
        data=data,
    )
    np.testing.assert_allclose(value, 0.3 * spend * dep, rtol=1e-12)
    assert isinstance(dep, pd.Series) and dep.index.equals(data.index)


def test_repeat_purchase_tracking_by_hand():
    log = pd.DataFrame(
        {
            "cid": ["a", "a", "a", "b", "b", "c", "d"],
            "when": [
                "2024-01-01",
                "2024-01-01",
                "2024-01-09",
                "2024-01-03",
                "2024-01-20",
                "2024-01-05",
                "2024-01-16",
            ],
            "amount": [1.0] * 7,
        }
    )
    params = {"r": 0.8, "alpha": 3.0, "a": 0.7, "b": 2.5}
    m = btyd.BetaGeoNBD.from_params(**params)
    out = clv.repeat_purchase_tracking(
        m, log, customer_id="cid", date="when", calibration_end="2024-01-10", unit="week"
    )
    # d (first purchase 16 Jan) is after the calibration end and is not tracked; grid from
    # 1 Jan every 7 days up to the last day (20 Jan): 8 Jan, 15 Jan, 20 Jan
    assert out["date"].dt.strftime("%m-%d").tolist() == ["01-08", "01-15", "01-20"]
    # repeat occasions: a on 9 Jan (the second line on 1 Jan is the same occasion), b on 20 Jan
    assert out["actual"].tolist() == [0, 1, 2]
    assert out["period"].tolist() == ["calibration", "holdout", "holdout"]
    first = {"a": 0, "b": 2, "c": 4}  # days after 1 Jan
    for offset, got in zip([7, 14, 19], out["expected"]):
        want = sum(
            _paper_expected_purchases(max(offset - f, 0) / 7, **params) for f in first.values()
        )
        assert got == pytest.approx(want, rel=1e-10)
    assert out.attrs["calibration_end"] == pd.Timestamp("2024-01-10")


def test_repeat_purchase_tracking_matches_a_log_simulated_from_known_parameters():
    from customer_value import datasets

    tx, _, truth = datasets.retail_transactions(3000, seed=11)
    m = btyd.BetaGeoNBD.from_params(**{k: truth[k] for k in ("r", "alpha", "a", "b")})
    out = clv.repeat_purchase_tracking(m, tx, unit="week")  # returns are not occasions
    # purchases dated by rounding down to a day: the truth predicts slightly more occasions
    # than the log can show (two purchases on one day are one occasion), within a few percent
    ratio = out["actual"].iloc[-1] / out["expected"].iloc[-1]
    assert 0.95 < ratio < 1.02
    assert (out["period"] == "calibration").all() and out["actual"].is_monotonic_increasing


def test_plot_repeat_purchase_tracking():
    d = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "b"],
            "date": ["2024-01-01", "2024-02-01", "2024-01-05", "2024-03-01"],
            "amount": [2.0, 3.0, 4.0, 5.0],
        }
    )
    m = btyd.BetaGeoNBD.from_params(**CDNOW)
    table = clv.repeat_purchase_tracking(m, d, calibration_end="2024-02-10")
    ax = clv.plot_repeat_purchase_tracking(table, ax=_figure_ax())
    np.testing.assert_allclose(ax.lines[0].get_ydata(), table["actual"])
    np.testing.assert_allclose(ax.lines[1].get_ydata(), table["expected"])
    assert len(ax.lines) == 3  # actual, expected, calibration end
    with pytest.raises(TypeError, match="repeat_purchase_tracking"):
        clv.plot_repeat_purchase_tracking(d, ax=_figure_ax())


def test_standard_errors_agree_with_statsmodels_numerical_hessian():
    """The models' Hessian (central differences of the analytic gradient) against statsmodels'
    approx_hess of the log-likelihood itself: the same observed information."""
    from statsmodels.tools.numdiff import approx_hess

    d = btyd.simulate_bgnbd(2000, T=39.0, seed=7, **CDNOW)
    m = btyd.BetaGeoNBD().fit(d)

    def negll(p):
        return -float(
            np.sum(
                btyd.BetaGeoNBD.from_params(**dict(zip(m.params_.index, p))).log_likelihood(
                    "frequency", "recency", "T", data=d
                )
            )
        )

    cov = np.linalg.inv(approx_hess(m.params_.to_numpy(), negll))
    np.testing.assert_allclose(np.sqrt(np.diag(cov)), m.se_.to_numpy(), rtol=2e-3)
    gg_data = btyd.simulate_gamma_gamma(np.arange(1, 401) % 7 + 1, seed=2, **CDNOW_GG)
    gg = btyd.GammaGamma().fit(gg_data)

    def gg_negll(p):
        model = btyd.GammaGamma.from_params(**dict(zip(gg.params_.index, p)))
        return -float(np.sum(model.log_likelihood("frequency", "monetary_value", data=gg_data)))

    cov = np.linalg.inv(approx_hess(gg.params_.to_numpy(), gg_negll))
    np.testing.assert_allclose(np.sqrt(np.diag(cov)), gg.se_.to_numpy(), rtol=2e-3)
