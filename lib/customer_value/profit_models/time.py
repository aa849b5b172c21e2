"""Profit models driven by time (时间): when in the product's or the industry's cycle the
profit is made.

* 5 time / speed (速度模型): :func:`time_advantage`, margin decay and the value of a lead;
* 17 cyclical (周期利润模型): :func:`cyclical`, break-even utilisation and operating leverage;
* 19 new product (新产品利润模型): :func:`new_product`, Bass diffusion × a falling margin
  (:func:`bass_cumulative`).

Source of the models: Slywotzky & Morrison (1997), *The Profit Zone*.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._util import check_number
from ..io import InputError
from ._base import ModelResult, _columns, _numeric_column

__all__ = ["bass_cumulative", "cyclical", "new_product", "time_advantage"]


# ============================================================================================
# 5 time / speed
# ============================================================================================


def _integral_exp(rate: float, T: float) -> float:
    """∫₀ᵀ e^(−rate·t) dt (T may be inf)."""
    if T <= 0:
        return 0.0
    if rate == 0:
        return float(T)
    if math.isinf(T):
        return 1.0 / rate if rate > 0 else float("inf")
    return (1.0 - math.exp(-rate * T)) / rate


def time_advantage(
    initial_margin: float = 0.6,
    decay_rate: float = 0.1,
    lead_months: float = 6.0,
    revenue_per_month: float = 100.0,
    horizon_months: float = 48.0,
    discount_rate: float = 0.0,
) -> ModelResult:
    """Margin decay after imitation, m(t) = m₀·e^(−λt), and the value of a k-month lead.

    Without a lead, imitators arrive at launch and the margin (a fraction of revenue) decays
    from the start: m(t) = m₀·e^(−λt). With a lead of k months the innovator keeps m₀ until the
    imitators arrive at k, then m(t) = m₀·e^(−λ(t−k)). Profit is ∫ R·m(t)·e^(−rt) dt over the
    horizon (continuous time, monthly rates). With r = 0 and an infinite horizon the lead is
    worth exactly R·m₀·k. ``half_life_months`` = ln 2 / λ is how long it takes imitators to
    halve the margin.

    Sources: Slywotzky & Morrison (1997), "Time profit" (Intel); exponential margin erosion
    as in Mansfield, Schwartz & Wagner (1981), "Imitation costs and patents", *Economic Journal*
    91 (imitation lag) and standard first-mover analysis (Lieberman & Montgomery 1988).

    >>> res = time_advantage(horizon_months=float("inf"))
    >>> round(res.value_of_lead, 6)     # 100·0.6·6
    360.0
    """
    m0 = check_number("initial_margin", initial_margin, lo=0, scalar=True)
    lam = check_number("decay_rate", decay_rate, lo=0, scalar=True)
    k = check_number("lead_months", lead_months, lo=0, scalar=True)
    R = check_number("revenue_per_month", revenue_per_month, lo=0, scalar=True)
    H = check_number(
        "horizon_months", horizon_months, lo=0, lo_open=True, scalar=True, allow_inf=True
    )
    r = check_number("discount_rate", discount_rate, lo=0, scalar=True)
    if math.isinf(H) and lam + r == 0:
        raise InputError(
            "with an infinite horizon_months, decay_rate or discount_rate must be "
            "> 0 (otherwise profit is infinite)"
        )
    kk = min(k, H)
    without = R * m0 * _integral_exp(lam + r, H)
    with_lead = R * m0 * (_integral_exp(r, kk) + math.exp(-r * kk) * _integral_exp(lam + r, H - kk))
    last = (
        math.ceil(H)
        if math.isfinite(H)
        else math.ceil(k + 5 * max(math.log(2) / lam if lam > 0 else 12, 1))
    )
    months = np.arange(0, last + 1, dtype=float)
    m_lead = np.where(months < k, m0, m0 * np.exp(-lam * (months - k)))
    m_none = m0 * np.exp(-lam * months)
    table = pd.DataFrame(
        {
            "month": months,
            "margin_with_lead": m_lead,
            "margin_without_lead": m_none,
            "profit_rate_with_lead": R * m_lead,
            "profit_rate_without_lead": R * m_none,
        }
    )
    figures = {
        "profit_with_lead": with_lead,
        "profit_without_lead": without,
        "value_of_lead": with_lead - without,
        "half_life_months": math.log(2) / lam if lam > 0 else float("inf"),
    }
    params = {
        "initial_margin": m0,
        "decay_rate": lam,
        "lead_months": k,
        "revenue_per_month": R,
        "horizon_months": H,
        "discount_rate": r,
    }
    return ModelResult("time_advantage", table, figures, params, draw=_plot_time_advantage)


def _plot_time_advantage(res, ax):
    t = res.table
    ax.plot(
        t["month"],
        t["margin_with_lead"],
        color="#264653",
        label=f"{res.params['lead_months']:g}-month lead",
    )
    ax.plot(t["month"], t["margin_without_lead"], color="#e76f51", label="no lead")
    ax.fill_between(
        t["month"],
        t["margin_without_lead"],
        t["margin_with_lead"],
        color="#2a9d8f",
        alpha=0.25,
        label="value of the lead",
    )
    ax.set(
        xlabel="months since launch",
        ylabel="margin",
        title="Time profit: margin decay m(t) = m0·exp(−λt)",
    )
    ax.legend()


# ============================================================================================
# 17 cyclical
# ============================================================================================


def cyclical(
    utilisation: Sequence[float] | str | None = None,
    data: pd.DataFrame | None = None,
    capacity: float = 1000.0,
    price_intercept: float = 400.0,
    price_slope: float = 600.0,
    variable_cost: float = 550.0,
    fixed_cost: float = 150_000.0,
) -> ModelResult:
    """Profit over the capacity-utilisation cycle: Π(u) = (p(u) − v)·u·K − F.

    Price rises with utilisation as the market tightens, p(u) = a + b·u. Volume is u·K for
    capacity K. The break-even utilisation solves b·K·u² + (a − v)·K·u − F = 0 (u = F/((a−v)K)
    when b = 0). The degree of operating leverage DOL = contribution / profit (the % change in
    profit per % change in volume at a given price); ``profit_elasticity`` = u·Π'(u)/Π also
    counts the price response. Give ``utilisation`` as numbers in (0, 1], or as a column name
    with ``data=`` (e.g. the ``chemical_cycles`` dataset): the table then starts with the data's
    other columns, those whose names the model also uses (``price``, ``profit``, …) renamed with
    the suffix ``_observed``, so observed and modelled values sit side by side. The headline
    figures count the periods in loss and give the ``margin_of_safety``, the last period's
    utilisation minus the break-even (a fraction of capacity). Defaults (illustrative, $/t and
    kt): p(u) = 400 + 600u, v = 550, K = 1000, F = 150,000 → break-even utilisation ≈ 64%.

    Sources: Slywotzky & Morrison (1997), "Cyclical profit" (chemicals, steel, paper);
    break-even and operating leverage as in Horngren et al., *Cost Accounting* (CVP analysis).

    >>> res = cyclical(utilisation=[1.0], price_intercept=100, price_slope=0, variable_cost=60,
    ...                capacity=10, fixed_cost=200)
    >>> res.break_even_utilisation, float(res.to_frame()["profit"][0])  # 200/(40·10); 400 − 200
    (0.5, 200.0)
    """
    f = "cyclical"
    base = None
    if isinstance(utilisation, str):
        if data is None:
            raise InputError(f"utilisation={utilisation!r} is a column name, so data= is needed")
        _columns(data, f, {"utilisation": utilisation})
        u = _numeric_column(data, utilisation, f, lo=0, lo_open=True, hi=1, what="in (0, 1]")
        base = data.reset_index(drop=True).drop(columns=[utilisation])
    else:
        if data is not None:
            raise InputError("with data= give utilisation as a column name (a string)")
        u = np.atleast_1d(
            check_number(
                "utilisation",
                np.linspace(0.5, 1.0, 51) if utilisation is None else utilisation,
                lo=0,
                hi=1,
                lo_open=True,
            )
        )
    K = check_number("capacity", capacity, lo=0, lo_open=True, scalar=True)
    a = check_number("price_intercept", price_intercept, scalar=True)
    b = check_number("price_slope", price_slope, lo=0, scalar=True)
    v = check_number("variable_cost", variable_cost, lo=0, scalar=True)
    F = check_number("fixed_cost", fixed_cost, lo=0, scalar=True)
    price = a + b * u
    volume = u * K
    contribution = (price - v) * volume
    profit = contribution - F
    nz = profit != 0
    table = pd.DataFrame(
        {
            "utilisation": u,
            "price": price,
            "unit_margin": price - v,
            "volume": volume,
            "revenue": price * volume,
            "contribution": contribution,
            "fixed_cost": F,
            "profit": profit,
            "dol": np.divide(contribution, profit, out=np.full_like(u, np.nan), where=nz),
            "profit_elasticity": np.divide(
                u * K * (a - v + 2 * b * u), profit, out=np.full_like(u, np.nan), where=nz
            ),
        }
    )
    if base is not None:
        base = base.rename(columns={c: f"{c}_observed" for c in base.columns if c in table})
        table = pd.concat([base, table], axis=1)
    if b > 0:
        disc = ((a - v) * K) ** 2 + 4 * b * K * F
        be = (-(a - v) * K + math.sqrt(disc)) / (2 * b * K)
    else:
        be = F / ((a - v) * K) if a > v else float("inf")
    figures = {
        "break_even_utilisation": be,
        "profit_at_full_capacity": (a + b - v) * K - F,
        "mean_profit": float(profit.mean()),
        "periods_in_loss": int((profit < 0).sum()),
        "share_of_periods_in_loss": float((profit < 0).mean()),
        "margin_of_safety": float(u[-1] - be),
    }
    params = {
        "capacity": K,
        "price_intercept": a,
        "price_slope": b,
        "variable_cost": v,
        "fixed_cost": F,
    }
    return ModelResult("cyclical", table, figures, params, draw=_plot_cyclical)


def _plot_cyclical(res, ax):
    t = res.table.sort_values("utilisation")
    ax.plot(t["utilisation"], t["profit"], marker=".", color="#264653", label="profit")
    ax.axhline(0, color="black", lw=0.8)
    be = res.break_even_utilisation
    if np.isfinite(be) and be <= 1:
        ax.axvline(be, ls="--", color="#e76f51", label=f"break-even utilisation {be:.0%}")
    ax.set(
        xlabel="capacity utilisation",
        ylabel="profit",
        title="Cyclical profit: Π = (p(u) − v)·u·K − F",
    )
    ax.legend()


# ============================================================================================
# 19 new product
# ============================================================================================


def bass_cumulative(t, p: float = 0.03, q: float = 0.38):
    """Bass (1969) cumulative adoption share F(t) = (1 − e^(−(p+q)t)) / (1 + (q/p)·e^(−(p+q)t)).

    ``p`` is the coefficient of innovation, ``q`` of imitation (defaults: mean values in the
    meta-analysis of Sultan, Farley & Lehmann 1990, *Journal of Marketing Research* 27).

    >>> round(float(bass_cumulative(1.0)), 6)
    0.035758
    """
    p = check_number("p", p, lo=0, lo_open=True, scalar=True)
    q = check_number("q", q, lo=0, scalar=True)
    t = np.asarray(t, dtype=float)
    e = np.exp(-(p + q) * t)
    return (1 - e) / (1 + (q / p) * e)


def new_product(
    p: float = 0.03,
    q: float = 0.38,
    market_size: float = 1e6,
    initial_margin: float = 100.0,
    margin_decline: float = 0.15,
    periods: int = 20,
    fixed_cost_per_period: float = 0.0,
) -> ModelResult:
    """Profit over a product's life: Bass diffusion × a falling unit margin → a profit parabola.

    Adopters in period t = 1..T: m·(F(t) − F(t−1)) with F the Bass (1969) cumulative adoption
    curve (:func:`bass_cumulative`). The unit margin falls as prices fall and competitors arrive:
    margin_t = m₀·(1 − δ)^(t−1). Profit_t = adopters_t·margin_t − fixed cost. Adoption peaks at
    t* = ln(q/p)/(p + q); profit peaks earlier because margins fall.

    Sources: Slywotzky & Morrison (1997), "New product profit"; Bass (1969), "A new product
    growth model for consumer durables", *Management Science* 15(5); parameters from Sultan,
    Farley & Lehmann (1990).

    >>> res = new_product()
    >>> round(res.peak_adoption_time, 3)    # ln(0.38/0.03)/0.41
    6.193
    """
    p = check_number("p", p, lo=0, lo_open=True, scalar=True)
    q = check_number("q", q, lo=0, scalar=True)
    m = check_number("market_size", market_size, lo=0, lo_open=True, scalar=True)
    m0 = check_number("initial_margin", initial_margin, scalar=True)
    d = check_number("margin_decline", margin_decline, lo=0, hi=1, hi_open=True, scalar=True)
    T = check_number("periods", periods, lo=1, integer=True, scalar=True)
    Fc = check_number("fixed_cost_per_period", fixed_cost_per_period, lo=0, scalar=True)
    t = np.arange(1, T + 1, dtype=float)
    Ft = bass_cumulative(np.concatenate([[0.0], t]), p, q)
    adopters = m * np.diff(Ft)
    margin = m0 * (1 - d) ** (t - 1)
    profit = adopters * margin - Fc
    table = pd.DataFrame(
        {
            "period": t.astype(int),
            "cumulative_adoption": Ft[1:],
            "adopters": adopters,
            "unit_margin": margin,
            "profit": profit,
            "cumulative_profit": np.cumsum(profit),
        }
    )
    figures = {
        "peak_adoption_time": math.log(q / p) / (p + q) if q > p else 0.0,
        "peak_adopters_period": int(t[np.argmax(adopters)]),
        "peak_profit_period": int(t[np.argmax(profit)]),
        "total_profit": float(profit.sum()),
    }
    params = {
        "p": p,
        "q": q,
        "market_size": m,
        "initial_margin": m0,
        "margin_decline": d,
        "periods": T,
        "fixed_cost_per_period": Fc,
    }
    return ModelResult("new_product", table, figures, params, draw=_plot_new_product)


def _plot_new_product(res, ax):
    t = res.table
    ax.bar(t["period"], t["profit"], color="#2a9d8f", label="profit")
    ax.set(xlabel="period", ylabel="profit", title="New product: the profit parabola")
    ax2 = ax.twinx()
    ax2.plot(t["period"], t["adopters"], color="#264653", marker=".", label="adopters (Bass)")
    ax2.set_ylabel("adopters")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2)
