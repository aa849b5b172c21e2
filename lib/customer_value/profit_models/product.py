"""Profit models driven by the product (产品): how the offer is built.

* 2 product pyramid (产品金字塔模型): :func:`product_pyramid`, tiers with and without a firewall;
* 6 blockbuster (卖座"大片"模型): :func:`blockbuster_portfolio`, a heavy-tailed portfolio;
* 7 profit multiplier (利润乘数模型): :func:`profit_multiplier`, one asset in many formats;
* 12 brand (品牌模型): :func:`brand_premium`, the price premium;
* 13 specialty product (独特产品模型): :func:`specialty_product`, margin decay and renewal.

Source of the models: Slywotzky & Morrison (1997), *The Profit Zone*.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._util import check_number, rng
from ..io import InputError
from ._base import ModelResult, _columns, _numeric_column

__all__ = [
    "blockbuster_portfolio",
    "brand_premium",
    "product_pyramid",
    "profit_multiplier",
    "specialty_product",
]


# ============================================================================================
# 2 product pyramid
# ============================================================================================


def product_pyramid(
    price: Sequence[float] = (10.0, 25.0, 150.0),
    unit_cost: Sequence[float] = (8.0, 12.0, 40.0),
    volume: Sequence[float] = (1_000_000, 300_000, 50_000),
    tiers: Sequence[str] = ("base (firewall)", "middle", "top (collector)"),
    spillover: float | Sequence[float] = 0.2,
) -> ModelResult:
    """Tier margins of a product pyramid with and without a firewall product at the base.

    With the firewall the firm sells every tier: profit_k = (p_k − c_k)·q_k. Without it the firm
    drops the low-margin base tier (the lowest price); an entrant takes the base and climbs,
    taking a share ``spillover`` of the volume of every higher tier (a scalar or one value per
    higher tier). The firewall's value is the difference in total profit: it earns little itself
    but protects the top. ``margin_rate`` in the table is the unit margin as a fraction of price.

    Source: Slywotzky & Morrison (1997), "Product pyramid profit" (Mattel's Barbie: base,
    mid-range and collector tiers); the entrant-spillover form is this library's illustration.
    The default prices, costs, volumes and spillover are illustrative parameters, not Mattel's
    figures.

    >>> res = product_pyramid()
    >>> res.profit_with, res.profit_without   # 2e6 + 3.9e6 + 5.5e6; 0.8·(3.9e6 + 5.5e6)
    (11400000.0, 7520000.0)
    """
    p = check_number("price", price, lo=0, lo_open=True)
    c = check_number("unit_cost", unit_cost, lo=0)
    q = check_number("volume", volume, lo=0)
    p, c, q = np.atleast_1d(p), np.atleast_1d(c), np.atleast_1d(q)
    names = [str(x) for x in (tiers if not isinstance(tiers, str) else [tiers])]
    n = p.size
    if not (c.size == q.size == len(names) == n):
        raise InputError(
            f"price, unit_cost, volume and tiers must have the same length; got "
            f"{p.size}, {c.size}, {q.size} and {len(names)}"
        )
    if n < 2:
        raise InputError(f"a product pyramid needs at least 2 tiers; got {n}")
    base = int(np.argmin(p))
    spill = np.atleast_1d(check_number("spillover", spillover, lo=0, hi=1))
    if spill.size == 1:
        spill = np.repeat(spill, n - 1)
    if spill.size != n - 1:
        raise InputError(
            f"spillover must be one number or one per tier above the base "
            f"({n - 1}); got {spill.size} values"
        )
    lost = np.zeros(n)
    lost[np.arange(n) != base] = spill
    lost[base] = 1.0
    frames = []
    for scenario, vol in (("with firewall", q), ("without firewall", q * (1 - lost))):
        unit_margin = p - c
        profit = unit_margin * vol
        total = profit.sum()
        frames.append(
            pd.DataFrame(
                {
                    "scenario": scenario,
                    "tier": names,
                    "price": p,
                    "unit_cost": c,
                    "volume": vol,
                    "unit_margin": unit_margin,
                    "margin_rate": unit_margin / p,
                    "profit": profit,
                    "profit_share": profit / total if total != 0 else np.nan,
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    with_ = float(frames[0]["profit"].sum())
    without = float(frames[1]["profit"].sum())
    top = int(np.argmax(p))
    figures = {
        "profit_with": with_,
        "profit_without": without,
        "firewall_value": with_ - without,
        "base_tier": names[base],
        "base_profit_share": float(frames[0]["profit_share"][base]),
        "top_profit_share": float(frames[0]["profit_share"][top]),
        "base_volume_share": float(q[base] / q.sum()),
    }
    params = {"price": p, "unit_cost": c, "volume": q, "tiers": names, "spillover": spill}
    return ModelResult("product_pyramid", table, figures, params, draw=_plot_product_pyramid)


def _plot_product_pyramid(res, ax):
    t = res.table
    names = list(dict.fromkeys(t["tier"]))
    y = np.arange(len(names))
    w = 0.4
    for i, (scenario, colour) in enumerate(
        (("with firewall", "#264653"), ("without firewall", "#e76f51"))
    ):
        s = t[t["scenario"] == scenario]
        ax.barh(y + (i - 0.5) * w, s["profit"], height=w, color=colour, label=scenario)
    ax.set_yticks(y, names)
    ax.axvline(0, color="black", lw=0.8)
    ax.set(xlabel="profit", title="Product pyramid: profit by tier")
    ax.legend()


# ============================================================================================
# 6 blockbuster
# ============================================================================================


def blockbuster_portfolio(
    n_projects: int = 12,
    cost_per_project: float = 60.0,
    distribution: str = "lognormal",
    median_payoff: float = 40.0,
    sigma: float = 1.2,
    pareto_alpha: float = 1.6,
    pareto_minimum: float = 30.0,
    payoffs: Sequence[float] | None = None,
    n_sims: int = 10_000,
    seed=0,
) -> ModelResult:
    """Monte Carlo of a blockbuster portfolio with heavy-tailed payoffs.

    Each of ``n_projects`` projects costs ``cost_per_project`` and pays a random payoff X;
    portfolio profit = ΣX − n·cost. X is lognormal (median ``median_payoff``, log-sd ``sigma``;
    E X = median·e^(σ²/2)), Pareto (minimum x_m = ``pareto_minimum``, tail index α =
    ``pareto_alpha``; E X = α·x_m/(α−1) for α > 1), or resampled with replacement from observed
    ``payoffs`` (``distribution="empirical"``, e.g. a film slate). Reports the analytic expected
    profit, the simulated mean, the probability of a loss, quantiles, and the share of the
    portfolio's payoff that comes from its single best project (how much a few hits matter).

    Sources: Slywotzky & Morrison (1997), "Blockbuster profit"; De Vany & Walls (1999),
    "Uncertainty in the movie industry", *Journal of Cultural Economics* 23 (Pareto tails of
    box-office revenue); Scherer & Harhoff (2000), "Technology policy for a world of skew-
    distributed outcomes", *Research Policy* 29 (heavy-tailed returns to innovation).

    >>> res = blockbuster_portfolio(seed=1)
    >>> round(res.expected_profit, 1)      # 12·(40·e^0.72 − 60)
    266.1
    """
    n = check_number("n_projects", n_projects, lo=1, integer=True, scalar=True)
    cost = check_number("cost_per_project", cost_per_project, lo=0, scalar=True)
    sims = check_number("n_sims", n_sims, lo=1, integer=True, scalar=True)
    gen = rng(seed)
    if distribution == "lognormal":
        med = check_number("median_payoff", median_payoff, lo=0, lo_open=True, scalar=True)
        sd = check_number("sigma", sigma, lo=0, scalar=True)
        draws = med * np.exp(sd * gen.standard_normal((sims, n)))
        mean_payoff = med * math.exp(sd**2 / 2)
    elif distribution == "pareto":
        a = check_number("pareto_alpha", pareto_alpha, lo=0, lo_open=True, scalar=True)
        xm = check_number("pareto_minimum", pareto_minimum, lo=0, lo_open=True, scalar=True)
        draws = xm * (1.0 + gen.pareto(a, size=(sims, n)))
        mean_payoff = a * xm / (a - 1) if a > 1 else float("inf")
    elif distribution == "empirical":
        if payoffs is None:
            raise InputError("distribution='empirical' needs payoffs= (observed payoffs)")
        obs = np.atleast_1d(check_number("payoffs", payoffs, lo=0))
        draws = gen.choice(obs, size=(sims, n), replace=True)
        mean_payoff = float(np.mean(obs))
    else:
        raise InputError(
            f"distribution must be 'lognormal', 'pareto' or 'empirical'; got {distribution!r}"
        )
    total = draws.sum(axis=1)
    profit = total - n * cost
    top_share = draws.max(axis=1) / np.where(total > 0, total, np.nan)
    table = pd.DataFrame(
        {
            "sim": np.arange(sims),
            "total_payoff": total,
            "profit": profit,
            "top_project_share": top_share,
            "hits": (draws > cost).sum(axis=1),
        }
    )
    q = np.quantile(profit, [0.05, 0.5, 0.95])
    figures = {
        "expected_profit": n * (mean_payoff - cost),
        "mean_profit": float(profit.mean()),
        "se_mean_profit": float(profit.std(ddof=1) / math.sqrt(sims)) if sims > 1 else float("nan"),
        "prob_loss": float((profit < 0).mean()),
        "profit_q05": float(q[0]),
        "profit_median": float(q[1]),
        "profit_q95": float(q[2]),
        "mean_top_project_share": float(np.nanmean(top_share)),
        "hit_rate": float((draws > cost).mean()),
    }
    params = {
        "n_projects": n,
        "cost_per_project": cost,
        "distribution": distribution,
        "median_payoff": median_payoff,
        "sigma": sigma,
        "pareto_alpha": pareto_alpha,
        "pareto_minimum": pareto_minimum,
        "n_sims": sims,
    }
    return ModelResult("blockbuster_portfolio", table, figures, params, draw=_plot_blockbuster)


def _plot_blockbuster(res, ax):
    p = res.table["profit"]
    lo, hi = np.quantile(p, [0.001, 0.995])
    ax.hist(p.clip(lo, hi), bins=60, color="#264653", alpha=0.8)
    ax.axvline(0, color="black", lw=0.8)
    ax.axvline(res.mean_profit, color="#e76f51", ls="--", label=f"mean {res.mean_profit:,.0f}")
    ax.set(
        xlabel="portfolio profit (tail clipped at 99.5%)",
        ylabel="simulations",
        title=f"Blockbuster portfolio: P(loss) = {res.prob_loss:.0%}",
    )
    ax.legend()


# ============================================================================================
# 7 profit multiplier
# ============================================================================================

_MULTIPLIER_DEFAULT = pd.DataFrame(
    {
        "format": ["animated film", "home video", "merchandise", "stage musical", "books"],
        "price": [10.0, 20.0, 15.0, 100.0, 12.0],
        "unit_cost": [5.0, 6.0, 9.0, 60.0, 7.0],
        "volume": [30e6, 15e6, 20e6, 1e6, 2e6],
    }
)


def profit_multiplier(
    data: pd.DataFrame | None = None,
    format: str = "format",
    price: str = "price",
    unit_cost: str = "unit_cost",
    volume: str = "volume",
    fixed_cost: float = 200e6,
) -> ModelResult:
    """Profit of one asset reused in many formats: Π = Σₖ (pₖ − cₖ)·qₖ − F.

    ``F`` is the one-off cost of creating the asset (a character, a brand, a skill); each format
    k adds contribution (pₖ − cₖ)·qₖ. The table shows each format's contribution, its share and
    the cumulative profit as formats are added in the given order; ``multiplier`` is the total
    contribution divided by the first format's. ``data=None`` uses an illustrative Disney-like
    set of formats (film, home video, merchandise, stage musical, books; invented numbers).

    Source: Slywotzky & Morrison (1997), "Profit multiplier model" (Disney); the contribution
    arithmetic is standard cost-volume-profit analysis.

    >>> df = pd.DataFrame({"format": ["film", "toys"], "price": [10, 5], "unit_cost": [6, 2],
    ...                    "volume": [100, 50]})
    >>> profit_multiplier(df, fixed_cost=300).total_profit     # 4·100 + 3·50 − 300
    250.0
    """
    if data is None:
        data = _MULTIPLIER_DEFAULT
    f = "profit_multiplier"
    cols = {"format": format, "price": price, "unit_cost": unit_cost, "volume": volume}
    _columns(data, f, cols)
    p = _numeric_column(data, price, f, lo=0, lo_open=False)
    c = _numeric_column(data, unit_cost, f, lo=0, lo_open=False)
    q = _numeric_column(data, volume, f, lo=0, lo_open=False)
    F = check_number("fixed_cost", fixed_cost, lo=0, scalar=True)
    contrib = (p - c) * q
    table = pd.DataFrame(
        {
            "format": data[format].astype(str).to_numpy(),
            "price": p,
            "unit_cost": c,
            "volume": q,
            "contribution": contrib,
            "contribution_share": (contrib / contrib.sum() if contrib.sum() else np.nan),
            "cumulative_profit": np.cumsum(contrib) - F,
        }
    )
    crossing = np.flatnonzero(table["cumulative_profit"].to_numpy() >= 0)
    figures = {
        "total_contribution": float(contrib.sum()),
        "fixed_cost": F,
        "total_profit": float(contrib.sum() - F),
        "multiplier": float(contrib.sum() / contrib[0]) if contrib[0] != 0 else np.nan,
        "formats_to_break_even": int(crossing[0] + 1) if crossing.size else None,
    }
    return ModelResult(
        "profit_multiplier", table, figures, {**cols, "fixed_cost": F}, draw=_plot_multiplier
    )


def _plot_multiplier(res, ax):
    t = res.table
    x = np.arange(len(t))
    ax.bar(x, t["contribution"], color="#2a9d8f", label="contribution")
    ax.plot(
        x, t["cumulative_profit"], marker="o", color="#264653", label="cumulative profit (after F)"
    )
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(x, t["format"], rotation=30, ha="right")
    ax.set(ylabel="profit", title="Profit multiplier: one asset, many formats")
    ax.legend()


# ============================================================================================
# 12 brand
# ============================================================================================


def brand_premium(
    branded_price: float = 1.00,
    generic_price: float = 0.60,
    unit_cost: float = 0.25,
    volume: float = 1e9,
    brand_investment: float = 2e8,
    generic_unit_cost: float | None = None,
) -> ModelResult:
    """Profit from a brand's price premium over a functionally similar product.

    Price premium = p_b / p_g − 1 (Aaker's price-premium measure of brand equity). Brand profit =
    (p_b − c)·q − brand investment; the same volume sold as a generic would earn (p_g − c_g)·q.
    The premium's profit is (p_b − p_g)·q − brand investment (with equal unit costs), and the
    volume at which the premium pays for the brand investment is
    brand_investment / (p_b − p_g − (c − c_g)). Defaults are illustrative numbers.

    Sources: Slywotzky & Morrison (1997), "Brand profit" (Coca-Cola); Aaker (1996),
    "Measuring brand equity across products and markets", *California Management Review*
    38(3).

    >>> res = brand_premium()
    >>> round(res.price_premium, 4), res.premium_profit    # 1/0.6 − 1; 0.4·1e9 − 2e8
    (0.6667, 200000000.0)
    """
    pb = check_number("branded_price", branded_price, lo=0, lo_open=True, scalar=True)
    pg = check_number("generic_price", generic_price, lo=0, lo_open=True, scalar=True)
    c = check_number("unit_cost", unit_cost, lo=0, scalar=True)
    cg = (
        c
        if generic_unit_cost is None
        else check_number("generic_unit_cost", generic_unit_cost, lo=0, scalar=True)
    )
    q = check_number("volume", volume, lo=0, scalar=True)
    B = check_number("brand_investment", brand_investment, lo=0, scalar=True)
    table = pd.DataFrame(
        {
            "product": ["branded", "generic"],
            "price": [pb, pg],
            "unit_cost": [c, cg],
            "unit_margin": [pb - c, pg - cg],
            "margin_rate": [(pb - c) / pb, (pg - cg) / pg],
            "brand_investment": [B, 0.0],
            "profit": [(pb - c) * q - B, (pg - cg) * q],
        }
    )
    extra_margin = (pb - c) - (pg - cg)
    figures = {
        "price_premium": pb / pg - 1,
        "premium_profit": float(table["profit"][0] - table["profit"][1]),
        "branded_profit": float(table["profit"][0]),
        "generic_profit": float(table["profit"][1]),
        "break_even_volume": B / extra_margin if extra_margin > 0 else float("inf"),
    }
    params = {
        "branded_price": pb,
        "generic_price": pg,
        "unit_cost": c,
        "generic_unit_cost": cg,
        "volume": q,
        "brand_investment": B,
    }
    return ModelResult("brand_premium", table, figures, params, draw=_plot_brand)


def _plot_brand(res, ax):
    t = res.table
    ax.bar(t["product"], t["profit"], color=["#264653", "#b0b0b0"])
    ax.set(ylabel="profit", title=f"Brand: price premium {res.price_premium:.0%}")


# ============================================================================================
# 13 specialty product
# ============================================================================================


def specialty_product(
    initial_margin: float = 0.45,
    floor_margin: float = 0.10,
    decay_rate: float = 0.25,
    launch_every: int = 2,
    product_life: int = 12,
    horizon: int = 20,
    revenue_per_product: float = 1.0,
) -> ModelResult:
    """Margin decay of specialty products and the renewal pipeline that keeps margins up.

    A product of age a earns margin m(a) = m_floor + (m₀ − m_floor)·e^(−λa) (fractions of
    revenue): high while patented or unmatched, falling towards a commodity floor as imitators
    arrive. Products are retired after ``product_life`` years. With renewal, a new product is
    launched every ``launch_every`` years from year 0; without renewal only the year-0 product
    exists. The portfolio margin is the revenue-weighted mean margin of active products (equal
    revenue per product). In steady state the margin is the mean of m(a) over the ages present.

    Sources: Slywotzky & Morrison (1997), "Specialty product profit"; imitation lags:
    Mansfield, Schwartz & Wagner (1981), *Economic Journal* 91; product-portfolio renewal as in
    Cooper, Edgett & Kleinschmidt (2001), *Portfolio Management for New Products*.

    >>> res = specialty_product(initial_margin=0.5, floor_margin=0.1, decay_rate=math.log(2),
    ...                         launch_every=1, product_life=3, horizon=4)
    >>> round(res.steady_state_margin, 6)       # (0.5 + 0.3 + 0.2) / 3
    0.333333
    """
    m0 = check_number("initial_margin", initial_margin, lo=-1, hi=1, scalar=True)
    mf = check_number("floor_margin", floor_margin, lo=-1, hi=1, scalar=True)
    lam = check_number("decay_rate", decay_rate, lo=0, scalar=True)
    T = check_number("launch_every", launch_every, lo=1, integer=True, scalar=True)
    L = check_number("product_life", product_life, lo=1, integer=True, scalar=True)
    H = check_number("horizon", horizon, lo=1, integer=True, scalar=True)
    R = check_number("revenue_per_product", revenue_per_product, lo=0, lo_open=True, scalar=True)

    def margin(age):
        return mf + (m0 - mf) * np.exp(-lam * np.asarray(age, dtype=float))

    rows = []
    for scenario, launches in (("renewal", np.arange(0, H + 1, T)), ("no renewal", np.array([0]))):
        for year in range(H + 1):
            ages = year - launches
            ages = ages[(ages >= 0) & (ages < L)]
            n = ages.size
            rows.append(
                {
                    "scenario": scenario,
                    "year": year,
                    "active_products": n,
                    "revenue": n * R,
                    "margin": float(margin(ages).mean()) if n else float("nan"),
                    "profit": float((margin(ages) * R).sum()) if n else 0.0,
                }
            )
    table = pd.DataFrame(rows)
    steady_ages = np.arange(0, L, T)
    figures = {
        "steady_state_margin": float(margin(steady_ages).mean()),
        "steady_state_products": int(steady_ages.size),
        "margin_half_life": math.log(2) / lam if lam > 0 else float("inf"),
        "profit_at_horizon_renewal": float(table.query("scenario == 'renewal'")["profit"].iloc[-1]),
        "profit_at_horizon_no_renewal": float(
            table.query("scenario == 'no renewal'")["profit"].iloc[-1]
        ),
    }
    params = {
        "initial_margin": m0,
        "floor_margin": mf,
        "decay_rate": lam,
        "launch_every": T,
        "product_life": L,
        "horizon": H,
        "revenue_per_product": R,
    }
    return ModelResult("specialty_product", table, figures, params, draw=_plot_specialty)


def _plot_specialty(res, ax):
    t = res.table
    for scenario, colour in (("renewal", "#264653"), ("no renewal", "#e76f51")):
        s = t[t["scenario"] == scenario]
        ax.plot(s["year"], s["margin"], marker="o", color=colour, label=scenario)
    ax.axhline(res.params["floor_margin"], ls=":", color="#b0b0b0", label="commodity floor")
    ax.set(
        xlabel="year",
        ylabel="portfolio margin",
        title="Specialty products: margin decay and renewal",
    )
    ax.legend()
