"""Profit models driven by scale and cost (规模与成本): how volume (per deal, per unit,
cumulative, per organisation) moves unit cost.

* 8 entrepreneurial (创业家模型): :func:`entrepreneurial`, overhead and operating leverage;
* 9 specialization (专业化利润模型): :func:`specialization`, the specialist's margin premium;
* 15 transaction scale (大额交易模型): :func:`transaction_scale`, margin(S) = f·S − (F + v·S);
* 20 relative market share (相对市场份额模型): :func:`relative_market_share`, relative cost;
* 21 experience curve (经验曲线模型): :func:`experience_curve` (the fit is in
  :mod:`.experience`);
* 22 low-cost business design (低成本企业设计模型): :func:`low_cost_design`;
* 23 digital profit (数字化利润模型, Slywotzky 2002): :func:`digital_profit`.

Source of the models: Slywotzky & Morrison (1997), *The Profit Zone*; Slywotzky (2002), *The
Art of Profitability*.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._util import check_number
from ..io import InputError
from ._base import ModelResult, _columns, _numeric_column

__all__ = [
    "digital_profit",
    "entrepreneurial",
    "experience_curve",
    "low_cost_design",
    "relative_market_share",
    "specialization",
    "transaction_scale",
]


# ============================================================================================
# 8 entrepreneurial
# ============================================================================================


def entrepreneurial(
    revenue: float = 1000.0,
    n_units: int = 10,
    contribution_margin: float = 0.3,
    overhead_scale: float = 0.005,
    overhead_exponent: float = 1.5,
    unit_fixed_cost: float = 3.0,
    revenue_uplift: float = 0.0,
    max_units: int | None = None,
) -> ModelResult:
    """Overhead and operating leverage of small profit centres versus one big unit.

    Overhead grows faster than size (control loss across hierarchical layers): a unit with
    revenue R carries overhead a·R^θ + u with θ > 1 and u (``unit_fixed_cost``) the fixed cost
    of running a separate unit. One big unit: profit = cm·R − a·R^θ − u. Split into
    n profit centres of revenue R' / n (R' = R·(1 + ``revenue_uplift``), the gain from being
    close to customers), each with overhead a·(R'/n)^θ + u: profit = cm·R' − n·(a·(R'/n)^θ + u).
    Degree of operating leverage DOL = contribution / profit. Total overhead
    a·R^θ·n^(1−θ) + u·n is smallest at n* = (a·R^θ·(θ − 1) / u)^(1/θ) (``optimal_units``, with
    no uplift). ``overhead_rate`` in the table is overhead as a fraction of revenue.

    Sources: Slywotzky & Morrison (1997), "Entrepreneurial profit" (ABB, Thermo Electron);
    Williamson (1967), "Hierarchical control and optimum firm size", *Journal of Political
    Economy* 75(2) (control loss); DOL as in Horngren et al., *Cost Accounting*.

    >>> res = entrepreneurial(overhead_scale=1e-4, overhead_exponent=2, unit_fixed_cost=5)
    >>> res.profit_big, res.profit_small     # 300 − (100 + 5); 300 − 10·(1 + 5)
    (195.0, 240.0)
    """
    R = check_number("revenue", revenue, lo=0, lo_open=True, scalar=True)
    n = check_number("n_units", n_units, lo=1, integer=True, scalar=True)
    cm = check_number("contribution_margin", contribution_margin, lo=0, hi=1, scalar=True)
    a = check_number("overhead_scale", overhead_scale, lo=0, scalar=True)
    theta = check_number("overhead_exponent", overhead_exponent, lo=0, lo_open=True, scalar=True)
    u = check_number("unit_fixed_cost", unit_fixed_cost, lo=0, scalar=True)
    up = check_number("revenue_uplift", revenue_uplift, lo=-1, lo_open=True, scalar=True)
    top = (
        max(2 * n, 20)
        if max_units is None
        else check_number("max_units", max_units, lo=1, integer=True, scalar=True)
    )

    def design(units, uplift):
        rev = R * (1 + uplift)
        contribution = cm * rev
        overhead = units * (a * (rev / units) ** theta + u)
        return rev, contribution, overhead, contribution - overhead

    rows = []
    for label, units, uplift in (("one big unit", 1, 0.0), (f"{n} profit centres", n, up)):
        rev, con, ovh, prof = design(units, uplift)
        rows.append(
            {
                "design": label,
                "units": units,
                "revenue": rev,
                "contribution": con,
                "overhead": ovh,
                "overhead_rate": ovh / rev,
                "profit": prof,
                "ros": prof / rev,
                "dol": con / prof if prof != 0 else np.nan,
            }
        )
    table = pd.DataFrame(rows)
    curve = pd.DataFrame(
        [
            dict(
                zip(
                    ("revenue", "contribution", "overhead", "profit"),
                    design(k, up if k > 1 else 0.0),
                ),
                units=k,
            )
            for k in range(1, top + 1)
        ]
    )[["units", "revenue", "contribution", "overhead", "profit"]]
    opt = (a * R**theta * (theta - 1) / u) ** (1 / theta) if theta > 1 and u > 0 else float("nan")
    figures = {
        "profit_big": float(table["profit"][0]),
        "profit_small": float(table["profit"][1]),
        "dol_big": float(table["dol"][0]),
        "dol_small": float(table["dol"][1]),
        "overhead_big": float(table["overhead"][0]),
        "overhead_small": float(table["overhead"][1]),
        "optimal_units": opt,
        "best_units_on_grid": int(curve.loc[curve["profit"].idxmax(), "units"]),
    }
    params = {
        "revenue": R,
        "n_units": n,
        "contribution_margin": cm,
        "overhead_scale": a,
        "overhead_exponent": theta,
        "unit_fixed_cost": u,
        "revenue_uplift": up,
    }
    return ModelResult(
        "entrepreneurial", table, figures, params, extra={"by_units": curve}, draw=_plot_entre
    )


def _plot_entre(res, ax):
    c = res.by_units
    ax.plot(c["units"], c["profit"], marker="o", color="#264653", label="profit")
    ax.plot(c["units"], c["overhead"], color="#e76f51", label="overhead")
    ax.axvline(
        res.params["n_units"],
        ls="--",
        color="#b0b0b0",
        label=f"{res.params['n_units']} profit centres",
    )
    ax.set(
        xlabel="number of profit centres",
        ylabel="per period",
        title="Entrepreneurial: small profit centres vs one big unit",
    )
    ax.legend()


# ============================================================================================
# 9 specialization
# ============================================================================================


def specialization(
    price: float = 100.0,
    generalist_unit_cost: float = 90.0,
    segments: float = 3,
    progress_ratio: float = 0.8,
    learning_share: float = 0.4,
    price_premium: float = 0.05,
) -> ModelResult:
    """Margin premium of a specialist over a generalist of the same total volume.

    The generalist spreads its volume over ``segments`` k; the specialist puts the same volume
    into one, so its cumulative experience per segment is k times larger. On the share φ
    (``learning_share``) of cost that follows the experience curve, its cost is k^b times the
    generalist's, b = log₂(progress ratio): c_s = c_g·(1 − φ + φ·k^b). Expertise also earns a
    ``price_premium``: p_s = p·(1 + premium). The margin premium is the difference of the two
    margins (fractions of price), (p_s − c_s)/p_s − (p − c_g)/p. No published figure fixes its
    size: it follows from the parameters, whose defaults (illustrative) give ≈ 0.145, i.e. 14.5
    margin points.

    Sources: Slywotzky & Morrison (1997), "Specialist profit" (EDS); Porter (1980),
    *Competitive Strategy* (focus); experience curve: Wright (1936), Henderson (BCG, 1968).

    >>> res = specialization(segments=2, learning_share=1, price_premium=0)
    >>> round(res.margin_premium, 6)    # c_s = 90·0.8 = 72: 28% − 10%
    0.18
    """
    p = check_number("price", price, lo=0, lo_open=True, scalar=True)
    cg = check_number("generalist_unit_cost", generalist_unit_cost, lo=0, scalar=True)
    k = check_number("segments", segments, lo=1, scalar=True)
    pr = check_number("progress_ratio", progress_ratio, lo=0, hi=1, lo_open=True, scalar=True)
    phi = check_number("learning_share", learning_share, lo=0, hi=1, scalar=True)
    prem = check_number("price_premium", price_premium, lo=-1, lo_open=True, scalar=True)
    b = math.log2(pr)
    ratio = 1 - phi + phi * k**b
    cs = cg * ratio
    ps = p * (1 + prem)
    table = pd.DataFrame(
        {
            "firm": ["generalist", "specialist"],
            "price": [p, ps],
            "unit_cost": [cg, cs],
            "unit_margin": [p - cg, ps - cs],
            "margin_rate": [(p - cg) / p, (ps - cs) / ps],
        }
    )
    figures = {
        "cost_ratio": ratio,
        "generalist_margin": (p - cg) / p,
        "specialist_margin": (ps - cs) / ps,
        "margin_premium": (ps - cs) / ps - (p - cg) / p,
        "b": b,
    }
    params = {
        "price": p,
        "generalist_unit_cost": cg,
        "segments": k,
        "progress_ratio": pr,
        "learning_share": phi,
        "price_premium": prem,
    }
    return ModelResult("specialization", table, figures, params, draw=_plot_specialization)


def _plot_specialization(res, ax):
    t = res.table
    ax.bar(t["firm"], 100 * t["margin_rate"], color=["#b0b0b0", "#264653"])
    ax.set(
        ylabel="margin (%)",
        title=f"Specialization: +{100 * res.margin_premium:.1f} margin points",
    )


# ============================================================================================
# 15 transaction scale
# ============================================================================================


def transaction_scale(
    deal_size: Sequence[float] | float | None = None,
    fee_rate: float = 0.02,
    fixed_cost: float = 1e6,
    variable_cost_rate: float = 0.001,
) -> ModelResult:
    """Margin of a deal of size S: margin(S) = f·S − (F + v·S), and the break-even deal size.

    Revenue is a fee ``fee_rate`` f on the deal size; the cost of a deal is a fixed ``fixed_cost``
    F (the team's time, due diligence) plus a small ``variable_cost_rate`` v per dollar. Because
    F dominates, a $100M deal costs about what a $5M deal costs (defaults: $1.1M vs $1.005M)
    while earning 20 times the fee. Break-even S* = F / (f − v). ``margin_rate`` in the table is
    the margin as a fraction of the fee revenue; ``res.margin(S)`` and ``res.cost(S)`` evaluate
    the model at any size. The default deal costs are illustrative parameters, not a bank's.

    Source: Slywotzky & Morrison (1997), "Transaction scale profit" (investment banking, real
    estate); the fixed-plus-variable cost form is standard cost-volume-profit analysis.

    >>> res = transaction_scale(fee_rate=0.01, fixed_cost=1e6, variable_cost_rate=0.001)
    >>> res.margin(1e8)          # 1e6 − (1e6 + 1e5)
    -100000.0
    """
    S = np.atleast_1d(
        check_number(
            "deal_size",
            [5e6, 1e7, 2.5e7, 5e7, 1e8, 2.5e8, 5e8] if deal_size is None else deal_size,
            lo=0,
            lo_open=True,
        )
    )
    f = check_number("fee_rate", fee_rate, lo=0, scalar=True)
    F = check_number("fixed_cost", fixed_cost, lo=0, scalar=True)
    v = check_number("variable_cost_rate", variable_cost_rate, lo=0, scalar=True)
    revenue = f * S
    cost = F + v * S
    table = pd.DataFrame(
        {
            "deal_size": S,
            "revenue": revenue,
            "cost": cost,
            "margin": revenue - cost,
            "margin_rate": np.divide(
                revenue - cost, revenue, out=np.full_like(S, np.nan), where=revenue > 0
            ),
            "cost_per_dollar": cost / S,
        }
    )
    figures = {
        "break_even_deal_size": F / (f - v) if f > v else float("inf"),
        "cost_ratio_100m_vs_5m": (F + v * 1e8) / (F + v * 5e6) if F + v * 5e6 > 0 else float("nan"),
        "cost_ratio_largest_to_smallest": float(cost.max() / cost.min()),
        "revenue_ratio_largest_to_smallest": float(revenue.max() / revenue.min())
        if revenue.min() > 0
        else float("nan"),
    }
    return ModelResult(
        "transaction_scale",
        table,
        figures,
        {"fee_rate": f, "fixed_cost": F, "variable_cost_rate": v},
        extra={
            "margin": lambda size: float(f * size - (F + v * size)),
            "cost": lambda size: float(F + v * size),
        },
        draw=_plot_transaction,
    )


def _plot_transaction(res, ax):
    t = res.table
    ax.plot(t["deal_size"], t["revenue"], marker="o", color="#264653", label="fee revenue")
    ax.plot(t["deal_size"], t["cost"], marker="o", color="#e76f51", label="cost of the deal")
    be = res.break_even_deal_size
    if np.isfinite(be):
        ax.axvline(be, ls="--", color="#b0b0b0", label=f"break-even ${be / 1e6:,.1f}M")
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="deal size",
        ylabel="per deal",
        title="Transaction scale: cost barely grows with deal size",
    )
    ax.legend()


# ============================================================================================
# 20 relative market share
# ============================================================================================

_RMS_DEFAULT = pd.DataFrame({"firm": ["A", "B", "C", "D"], "share": [0.40, 0.20, 0.10, 0.05]})


def relative_market_share(
    data: pd.DataFrame | None = None,
    firm: str = "firm",
    share: str = "share",
    progress_ratio: float = 0.8,
) -> ModelResult:
    """Relative market share RMS = own share / largest rival's share, and relative cost ≈ RMS^b.

    For the leader the largest rival is the number two (RMS > 1); for everyone else it is the
    leader. If cumulative experience is proportional to share (same market, same history), the
    experience curve gives unit cost relative to the largest rival ≈ RMS^b with
    b = log₂(progress ratio) (PR 0.8: b = −0.3219; twice the rival's share → 80% of its cost).
    Shares (fractions) must lie in (0, 1] and sum to at most 1. ``data=None`` uses shares
    40/20/10/5% (illustrative).

    Sources: Slywotzky & Morrison (1997), "Relative market share profit" (GE "#1 or #2");
    Henderson (1970), "The product portfolio", BCG Perspectives; Buzzell, Gale & Sultan (1975),
    "Market share — a key to profitability", *Harvard Business Review* 53(1).

    >>> relative_market_share().to_frame()["relative_cost"].round(4).tolist()
    [0.8, 1.25, 1.5625, 1.9531]
    """
    if data is None:
        data = _RMS_DEFAULT
    f = "relative_market_share"
    _columns(data, f, {"firm": firm, "share": share})
    s = _numeric_column(data, share, f, lo=0, lo_open=True, hi=1, what="in (0, 1]")
    if s.size < 2:
        raise InputError(f"{f}: need at least 2 firms to compare; got {s.size}")
    if s.sum() > 1 + 1e-9:
        raise InputError(f"{f}: shares in column {share!r} sum to {s.sum():g} > 1")
    pr = check_number("progress_ratio", progress_ratio, lo=0, hi=1, lo_open=True, scalar=True)
    b = math.log2(pr)
    order = np.argsort(-s, kind="stable")
    top1, top2 = s[order[0]], s[order[1]]
    rival = np.where(np.arange(s.size) == order[0], top2, top1)
    rms = s / rival
    table = pd.DataFrame(
        {
            "firm": data[firm].astype(str).to_numpy(),
            "share": s,
            "largest_rival_share": rival,
            "rms": rms,
            "relative_cost": rms**b,
            "rank": pd.Series(-s).rank(method="min").astype(int).to_numpy(),
        }
    )
    figures = {
        "b": b,
        "leader": table["firm"][order[0]],
        "leader_rms": float(rms[order[0]]),
        "leader_relative_cost": float(rms[order[0]] ** b),
    }
    params = {"firm": firm, "share": share, "progress_ratio": pr}
    return ModelResult(f, table, figures, params, draw=_plot_rms)


def _plot_rms(res, ax):
    t = res.table
    grid = np.geomspace(min(t["rms"].min(), 0.1), max(t["rms"].max(), 10), 100)
    ax.plot(grid, grid**res.b, color="#b0b0b0", label=f"RMS^b, b = {res.b:.3f}")
    ax.scatter(t["rms"], t["relative_cost"], s=2000 * t["share"], color="#264653", zorder=3)
    for _, row in t.iterrows():  # label above the bubble: firm names may be long
        radius = math.sqrt(2000 * row["share"] / math.pi)  # scatter size is an area in pt²
        ax.annotate(
            row["firm"],
            (row["rms"], row["relative_cost"]),
            xytext=(0, radius + 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )
    ax.axvline(1, ls=":", color="black", lw=0.8)
    ax.set(
        xscale="log",
        xlabel="relative market share (own / largest rival)",
        ylabel="unit cost relative to largest rival",
        title="Relative market share and relative cost",
    )
    ax.legend()


# ============================================================================================
# 21 experience curve (the forward model; the fit is in experience.py)
# ============================================================================================


def experience_curve(
    cumulative: Sequence[float] | float | None = None,
    first_unit_cost: float = 100.0,
    progress_ratio: float = 0.8,
) -> ModelResult:
    """Unit cost along an experience curve (Wright's law): c(N) = c₁·N^b, b = log₂(PR).

    Each doubling of cumulative volume N multiplies unit cost by the progress ratio PR = 2^b;
    the learning rate is 1 − PR. Wright's 80% rule: b = log₂ 0.8 = −0.3219. To estimate b from
    data, use :func:`~customer_value.profit_models.fit_experience_curve`.

    Sources: Wright (1936), "Factors affecting the cost of airplanes", *Journal of the
    Aeronautical Sciences* 3(4); Henderson (1968/1974), BCG, *Perspectives on Experience*.

    >>> experience_curve([1, 2, 4, 8]).to_frame()["unit_cost"].round(6).tolist()
    [100.0, 80.0, 64.0, 51.2]
    """
    N = np.atleast_1d(
        check_number(
            "cumulative",
            2.0 ** np.arange(0, 11) if cumulative is None else cumulative,
            lo=0,
            lo_open=True,
        )
    )
    c1 = check_number("first_unit_cost", first_unit_cost, lo=0, lo_open=True, scalar=True)
    pr = check_number("progress_ratio", progress_ratio, lo=0, hi=1, lo_open=True, scalar=True)
    b = math.log2(pr)
    cost = c1 * N**b
    table = pd.DataFrame(
        {
            "cumulative": N,
            "doublings": np.log2(N),
            "unit_cost": cost,
            "cost_relative_to_first": cost / c1,
        }
    )
    figures = {"b": b, "progress_ratio": pr, "learning_rate": 1 - pr, "first_unit_cost": c1}
    params = {"first_unit_cost": c1, "progress_ratio": pr}
    return ModelResult("experience_curve", table, figures, params, draw=_plot_experience)


def _plot_experience(res, ax):
    t = res.table
    ax.plot(t["cumulative"], t["unit_cost"], marker="o", color="#264653")
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="cumulative volume N",
        ylabel="unit cost",
        title=f"Experience curve: PR = {res.progress_ratio:.0%} (b = {res.b:.4f})",
    )


# ============================================================================================
# 22 low-cost business design
# ============================================================================================


def low_cost_design(
    incumbent_cost: float = 100.0,
    entrant_cost: float = 70.0,
    progress_ratio: float = 0.85,
    cumulative_growth: float | None = 0.10,
) -> ModelResult:
    """How far the incumbent must ride its experience curve to match a low-cost new design.

    An entrant's new business design starts at unit cost c_e below the incumbent's c_i. Riding
    its own curve the incumbent reaches c_e after d = ln(c_e/c_i) / ln(PR) doublings of its
    cumulative volume, i.e. a volume multiple of 2^d. If the incumbent's cumulative volume grows
    by ``cumulative_growth`` g a year, that takes d·ln 2 / ln(1 + g) years — while the entrant
    learns too. A negative d means the incumbent is already cheaper. ``cost_gap`` is
    1 − c_e/c_i, a fraction.

    Sources: Slywotzky & Morrison (1997), "Low-cost business design profit" (Nucor,
    Southwest, Dell); experience curve: Wright (1936), Henderson (BCG, 1968).

    >>> round(low_cost_design(100, 60, 0.8).doublings_needed, 4)   # ln 0.6 / ln 0.8
    2.2892
    """
    ci = check_number("incumbent_cost", incumbent_cost, lo=0, lo_open=True, scalar=True)
    ce = check_number("entrant_cost", entrant_cost, lo=0, lo_open=True, scalar=True)
    pr = check_number(
        "progress_ratio", progress_ratio, lo=0, hi=1, lo_open=True, hi_open=True, scalar=True
    )
    d = math.log(ce / ci) / math.log(pr)
    years = float("nan")
    if cumulative_growth is not None:
        g = check_number("cumulative_growth", cumulative_growth, lo=0, lo_open=True, scalar=True)
        years = d * math.log(2) / math.log(1 + g)
    k = np.arange(0, max(math.ceil(d), 0) + 2, dtype=float)
    table = pd.DataFrame(
        {
            "doublings": k,
            "cumulative_multiple": 2**k,
            "incumbent_cost": ci * pr**k,
            "entrant_cost": ce,
        }
    )
    table["gap"] = table["incumbent_cost"] - table["entrant_cost"]
    figures = {
        "doublings_needed": d,
        "volume_multiple": 2**d,
        "years_needed": years,
        "cost_gap": 1 - ce / ci,
    }
    params = {
        "incumbent_cost": ci,
        "entrant_cost": ce,
        "progress_ratio": pr,
        "cumulative_growth": cumulative_growth,
    }
    return ModelResult("low_cost_design", table, figures, params, draw=_plot_low_cost)


def _plot_low_cost(res, ax):
    t = res.table
    ax.plot(
        t["doublings"],
        t["incumbent_cost"],
        marker="o",
        color="#264653",
        label="incumbent (riding its curve)",
    )
    ax.axhline(res.params["entrant_cost"], ls="--", color="#e76f51", label="entrant's new design")
    ax.axvline(
        res.doublings_needed,
        ls=":",
        color="#b0b0b0",
        label=f"{res.doublings_needed:.2f} doublings needed",
    )
    ax.set(
        xlabel="doublings of the incumbent's cumulative volume",
        ylabel="unit cost",
        title="Low-cost business design: the catch-up the incumbent needs",
    )
    ax.legend()


# ============================================================================================
# 23 digital profit (Slywotzky 2002)
# ============================================================================================


def digital_profit(
    transactions: float = 1e6,
    physical_cost: float = 10.0,
    digital_cost: float = 1.0,
    digital_share: Sequence[float] | float = (0, 0.1, 0.25, 0.5, 0.75, 0.9),
    digital_fixed_cost: float = 2e6,
) -> ModelResult:
    """Cost savings from moving a share of transactions to a digital channel.

    Cost = T·((1 − s)·c_phys + s·c_dig) + F_dig (F_dig paid once any share is digital);
    savings = T·c_phys − cost; break-even digital share = F_dig / (T·(c_phys − c_dig)).

    Sources: Slywotzky (2002), *The Art of Profitability*, "digital profit"; Slywotzky &
    Morrison (2000), *How Digital Is Your Business?*.

    >>> digital_profit().break_even_share     # 2e6 / (1e6·9)
    0.2222222222222222
    """
    T = check_number("transactions", transactions, lo=0, lo_open=True, scalar=True)
    cp = check_number("physical_cost", physical_cost, lo=0, scalar=True)
    cd = check_number("digital_cost", digital_cost, lo=0, scalar=True)
    s = np.atleast_1d(check_number("digital_share", digital_share, lo=0, hi=1))
    F = check_number("digital_fixed_cost", digital_fixed_cost, lo=0, scalar=True)
    cost = T * ((1 - s) * cp + s * cd) + np.where(s > 0, F, 0.0)
    table = pd.DataFrame(
        {
            "digital_share": s,
            "cost": cost,
            "cost_per_transaction": cost / T,
            "savings": T * cp - cost,
        }
    )
    figures = {
        "break_even_share": F / (T * (cp - cd)) if cp > cd else float("inf"),
        "max_savings": float(table["savings"].max()),
    }
    params = {"transactions": T, "physical_cost": cp, "digital_cost": cd, "digital_fixed_cost": F}
    return ModelResult("digital_profit", table, figures, params, draw=_plot_digital)


def _plot_digital(res, ax):
    t = res.table
    ax.plot(t["digital_share"], t["savings"], marker="o", color="#264653")
    ax.axhline(0, color="black", lw=0.8)
    ax.set(
        xlabel="share of transactions digital",
        ylabel="savings",
        title="Digital profit: savings vs digital share",
    )
