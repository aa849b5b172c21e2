"""Profit models driven by position (位置): where the firm sits, in a network, a standard, a
territory or a value chain.

* 4 switchboard (配电盘模型): :func:`switchboard`, fee income convex in share, the tipping share;
* 11 de facto standard (行业标准模型): :func:`standard_adoption`, a Pólya urn with a network
  externality (:func:`standard_choice_probability`);
* 14 local leadership (地区领先模型): :func:`local_leadership`, density economies;
* 16 value-chain position (价值链定位模型): :func:`value_chain_profit_pool`, the profit pool.

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
    "local_leadership",
    "standard_adoption",
    "standard_choice_probability",
    "switchboard",
    "value_chain_profit_pool",
]


def switchboard(
    share: Sequence[float] | float | None = None,
    participants: float = 1000,
    connection_value: float = 1.0,
    fee: float = 0.4,
    joining_cost: float = 105.0,
    fixed_cost: float = 5000.0,
    member_cost: float = 10.0,
) -> ModelResult:
    """Fee income of a switchboard (hub) as a convex function of its share, and its tipping share.

    With share s of ``participants`` N as members, the hub routes the connections among its
    members, (s·N)²/2, charging ``fee`` on each: fee income = fee·(sN)²/2, convex in s (the
    value of a network grows with the square of its members: Metcalfe's law). Cost is
    ``fixed_cost + member_cost·sN``; the break-even share solves
    fee·N²/2·s² − member_cost·N·s − fixed_cost = 0.

    A participant gains ``connection_value − fee`` per member it can reach and pays
    ``joining_cost`` to join, so it joins when (v − fee)·sN ≥ joining_cost: the tipping share is
    s* = joining_cost / ((v − fee)·N). Above s* every outsider gains by joining and the hub
    tips to dominance; below it, members drift away (positive feedback, Shapiro & Varian 1999).
    No published figure fixes the tipping share: it follows from the parameters, and the
    defaults (illustrative) put it at 17.5% and break-even at 18.5%.

    Sources: Slywotzky & Morrison (1997), "Switchboard profit" (CAA, Schwab OneSource);
    Shapiro & Varian (1999), *Information Rules*, ch. 7 (positive feedback, tipping); Metcalfe's
    law as popularised by Gilder (1993).

    >>> res = switchboard(share=[0.1, 0.2])
    >>> res.to_frame()["fee_income"].tolist()      # 0.4·(100²)/2, 0.4·(200²)/2
    [2000.0, 8000.0]
    """
    s = check_number("share", np.linspace(0, 1, 101) if share is None else share, lo=0, hi=1)
    N = check_number("participants", participants, lo=0, lo_open=True, scalar=True)
    v = check_number("connection_value", connection_value, lo=0, scalar=True)
    phi = check_number("fee", fee, lo=0, scalar=True)
    k = check_number("joining_cost", joining_cost, lo=0, scalar=True)
    F = check_number("fixed_cost", fixed_cost, lo=0, scalar=True)
    c = check_number("member_cost", member_cost, lo=0, scalar=True)
    s = np.atleast_1d(s)
    members = s * N
    connections = members**2 / 2
    income = phi * connections
    cost = F + c * members
    net = (v - phi) * members - k
    table = pd.DataFrame(
        {
            "share": s,
            "members": members,
            "connections": connections,
            "fee_income": income,
            "cost": cost,
            "profit": income - cost,
            "member_net_benefit": net,
            "outsiders_join": net >= 0,
        }
    )
    tipping = k / ((v - phi) * N) if v > phi else float("inf")
    if phi > 0:
        A = phi * N**2 / 2
        be = (c * N + math.sqrt((c * N) ** 2 + 4 * A * F)) / (2 * A)
    else:
        be = float("inf") if F > 0 or c > 0 else 0.0
    figures = {
        "tipping_share": float(tipping),
        "break_even_share": float(be),
        "fee_income_at_full_share": float(phi * N**2 / 2),
    }
    params = {
        "participants": N,
        "connection_value": v,
        "fee": phi,
        "joining_cost": k,
        "fixed_cost": F,
        "member_cost": c,
    }
    return ModelResult("switchboard", table, figures, params, draw=_plot_switchboard)


def _plot_switchboard(res, ax):
    t = res.table
    ax.plot(t["share"], t["fee_income"], color="#264653", label="fee income")
    ax.plot(t["share"], t["cost"], color="#b0b0b0", label="cost")
    for x, lab, col in (
        (res.tipping_share, "tipping share", "#e76f51"),
        (res.break_even_share, "break-even share", "#2a9d8f"),
    ):
        if np.isfinite(x) and x <= 1:
            ax.axvline(x, ls="--", color=col, label=f"{lab} {x:.1%}")
    ax.set(
        xlabel="share of participants", ylabel="per period", title="Switchboard: convex fee income"
    )
    ax.legend()


def standard_choice_probability(
    installed: Sequence[float],
    network_exponent: float = 1.0,
    intrinsic: Sequence[float] | float = 0.0,
) -> np.ndarray:
    """Probability that the next adopter picks each standard, given the installed bases.

    pᵢ = (aᵢ + nᵢ^γ) / Σⱼ (aⱼ + nⱼ^γ), with nᵢ the installed base, aᵢ the stand-alone
    (intrinsic) appeal and γ the strength of the network externality. γ = 1 and a = 0 is the
    Pólya urn; γ > 1 gives increasing returns and lock-in (tipping).

    Sources: Eggenberger & Pólya (1923); Arthur (1989), "Competing technologies, increasing
    returns, and lock-in by historical events", *Economic Journal* 99; Hill, Lane & Sudderth
    (1980), non-linear urns.

    >>> standard_choice_probability([3, 1], network_exponent=2).tolist()
    [0.9, 0.1]
    """
    n = check_number("installed", installed, lo=0)
    g = check_number("network_exponent", network_exponent, lo=0, scalar=True)
    a = np.broadcast_to(check_number("intrinsic", intrinsic, lo=0), n.shape)
    w = a + n**g
    if w.sum() <= 0:
        raise InputError("installed and intrinsic are all 0: no standard can be chosen")
    return w / w.sum()


def standard_adoption(
    n_adopters: int = 1000,
    initial: Sequence[float] = (1, 1),
    network_exponent: float = 1.5,
    intrinsic: Sequence[float] | float = 0.0,
    n_runs: int = 200,
    tipping_threshold: float = 0.9,
    seed=0,
) -> ModelResult:
    """Adoption of competing standards with a network externality: a (non-linear) Pólya urn.

    Adopters arrive one at a time; each picks standard i with probability
    (aᵢ + nᵢ^γ)/Σ(aⱼ + nⱼ^γ) (:func:`standard_choice_probability`), where nᵢ is its installed
    base. Run ``n_runs`` independent markets from the same ``initial`` bases. With γ = 1 (the
    classic Pólya urn) final shares are random but not extreme (Beta-distributed: uniform from
    (1, 1)); with γ > 1 almost every market tips to one standard, and which one is decided by
    early chance (lock-in). ``prob_tipped`` is the share of runs in which one standard ends
    with at least ``tipping_threshold`` of the adopters (initial bases included).

    Sources: Slywotzky & Morrison (1997), "De facto standard profit" (Microsoft, Oracle);
    Arthur (1989), *Economic Journal* 99; Katz & Shapiro (1985), "Network externalities,
    competition and compatibility", *American Economic Review* 75(3).

    >>> res = standard_adoption(network_exponent=2, seed=1)
    >>> res.prob_tipped > 0.9
    True
    """
    N = check_number("n_adopters", n_adopters, lo=1, integer=True, scalar=True)
    init = check_number("initial", initial, lo=0)
    if init.size < 2:
        raise InputError(
            f"initial must give the installed base of at least 2 standards; got {initial!r}"
        )
    g = check_number("network_exponent", network_exponent, lo=0, scalar=True)
    a = np.broadcast_to(check_number("intrinsic", intrinsic, lo=0), init.shape).astype(float)
    if (a + init**g).sum() <= 0:
        raise InputError("initial and intrinsic are all 0: no standard can be chosen")
    runs = check_number("n_runs", n_runs, lo=1, integer=True, scalar=True)
    thr = check_number(
        "tipping_threshold", tipping_threshold, lo=0.5, hi=1, lo_open=True, scalar=True
    )
    gen = rng(seed)
    k = init.size
    counts = np.tile(init, (runs, 1))
    u = gen.random((N, runs))
    record = np.unique(np.linspace(0, N, min(N, 200) + 1).astype(int))
    path = np.empty((record.size, runs))
    ri = 0
    if record[0] == 0:
        path[0] = counts[:, 0] / counts.sum(axis=1)
        ri = 1
    for step in range(N):
        w = a + counts**g
        cum = np.cumsum(w, axis=1)
        pick = (u[step][:, None] * cum[:, -1:] >= cum).sum(axis=1)
        pick = np.minimum(pick, k - 1)
        counts[np.arange(runs), pick] += 1
        if ri < record.size and record[ri] == step + 1:
            path[ri] = counts[:, 0] / counts.sum(axis=1)
            ri += 1
    shares = counts / counts.sum(axis=1, keepdims=True)
    table = pd.DataFrame(
        {
            "run": np.repeat(np.arange(runs), k),
            "standard": np.tile(np.arange(k), runs),
            "final_count": counts.ravel(),
            "final_share": shares.ravel(),
        }
    )
    winner = shares.max(axis=1)
    figures = {
        "prob_tipped": float((winner >= thr).mean()),
        "mean_winner_share": float(winner.mean()),
        "mean_final_share_standard_0": float(shares[:, 0].mean()),
        "prob_standard_0_wins": float((shares.argmax(axis=1) == 0).mean()),
    }
    paths = pd.DataFrame(
        {
            "adopters": np.repeat(record, runs),
            "run": np.tile(np.arange(runs), record.size),
            "share_standard_0": path.ravel(),
        }
    )
    params = {
        "n_adopters": N,
        "initial": init,
        "network_exponent": g,
        "intrinsic": a,
        "n_runs": runs,
        "tipping_threshold": thr,
    }
    return ModelResult(
        "standard_adoption", table, figures, params, extra={"paths": paths}, draw=_plot_standard
    )


def _plot_standard(res, ax):
    p = res.paths
    for run in range(min(30, res.params["n_runs"])):
        s = p[p["run"] == run]
        ax.plot(s["adopters"], s["share_standard_0"], color="#264653", alpha=0.35, lw=0.8)
    ax.set(
        xlabel="adopters",
        ylabel="share of standard 0",
        ylim=(0, 1),
        title=f"De facto standard: P(tipped) = {res.prob_tipped:.0%} "
        f"(γ = {res.params['network_exponent']:g})",
    )


_BHH = 0.7124  # Beardwood–Halton–Hammersley constant (Applegate et al. 2007 estimate)


def local_leadership(
    stores: Sequence[float] | float | None = None,
    regions: Sequence[int] | int = (1, 5),
    area_km2: float = 2500.0,
    deliveries_per_store: float = 365.0,
    dc_fixed_cost: float = 1e6,
    cost_per_km: float = 5.0,
    local_ad_cost: float = 5e5,
    revenue_per_store: float = 1.5e6,
    store_margin: float = 0.12,
    tour_constant: float = _BHH,
) -> ModelResult:
    """Density economies of local leadership: cost per store and per delivery vs local density.

    ``stores`` (total) are spread evenly over ``regions``, each of ``area_km2`` with its own
    distribution centre (fixed cost ``dc_fixed_cost``) and local advertising (``local_ad_cost``),
    both shared by the n stores of the region. A delivery round through n stores in area A is
    ≈ 0.7124·√(n·A) km long (Beardwood–Halton–Hammersley), i.e. 0.7124·√(A/n) km per store.
    Per store and year:
    cost = dc/n + ad/n + deliveries·cost_per_km·0.7124·√(A/n); cost per delivery =
    (dc/n + travel)/deliveries; profit = revenue·store_margin − cost. Clustering the same
    stores in one region (Walmart, Starbucks) makes every term smaller.

    Sources: Slywotzky & Morrison (1997), "Local leadership profit"; Beardwood, Halton &
    Hammersley (1959), "The shortest path through many points", *Proc. Cambridge Phil. Soc.* 55;
    Holmes (2011), "The diffusion of Wal-Mart and economies of density", *Econometrica* 79(1).

    >>> res = local_leadership(stores=4, regions=1, area_km2=100, deliveries_per_store=1,
    ...                        dc_fixed_cost=100, cost_per_km=1, local_ad_cost=0)
    >>> round(float(res.to_frame()["travel_cost_per_store"][0]), 4)   # 0.7124·√(100/4)
    3.562
    """
    N = check_number(
        "stores", np.arange(5, 101, 5) if stores is None else stores, lo=0, lo_open=True
    )
    R = np.atleast_1d(check_number("regions", regions, lo=1, integer=True))
    A = check_number("area_km2", area_km2, lo=0, lo_open=True, scalar=True)
    d = check_number("deliveries_per_store", deliveries_per_store, lo=0, lo_open=True, scalar=True)
    dc = check_number("dc_fixed_cost", dc_fixed_cost, lo=0, scalar=True)
    ckm = check_number("cost_per_km", cost_per_km, lo=0, scalar=True)
    ad = check_number("local_ad_cost", local_ad_cost, lo=0, scalar=True)
    rev = check_number("revenue_per_store", revenue_per_store, lo=0, scalar=True)
    sm = check_number("store_margin", store_margin, lo=-1, hi=1, scalar=True)
    kt = check_number("tour_constant", tour_constant, lo=0, lo_open=True, scalar=True)
    grid_n, grid_r = np.meshgrid(np.atleast_1d(N), R, indexing="ij")
    grid_n, grid_r = grid_n.ravel(), grid_r.ravel()
    n = grid_n / grid_r
    dc_share = dc / n
    ad_share = ad / n
    km = kt * np.sqrt(A / n)
    travel = d * ckm * km
    cost = dc_share + ad_share + travel
    table = pd.DataFrame(
        {
            "stores": grid_n,
            "regions": grid_r,
            "stores_per_region": n,
            "density_per_1000km2": 1000 * n / A,
            "km_per_delivery_stop": km,
            "dc_cost_per_store": dc_share,
            "ad_cost_per_store": ad_share,
            "travel_cost_per_store": travel,
            "cost_per_store": cost,
            "cost_per_delivery": (dc_share + travel) / d,
            "profit_per_store": rev * sm - cost,
        }
    )
    table = table.sort_values(["regions", "stores"], ignore_index=True)
    biggest = table[table["stores"] == table["stores"].max()]
    best = biggest.loc[biggest["profit_per_store"].idxmax()]
    figures = {
        "best_regions_at_max_stores": int(best["regions"]),
        "profit_per_store_clustered": float(biggest["profit_per_store"].max()),
        "profit_per_store_spread": float(biggest["profit_per_store"].min()),
    }
    params = {
        "area_km2": A,
        "deliveries_per_store": d,
        "dc_fixed_cost": dc,
        "cost_per_km": ckm,
        "local_ad_cost": ad,
        "revenue_per_store": rev,
        "store_margin": sm,
        "tour_constant": kt,
    }
    return ModelResult("local_leadership", table, figures, params, draw=_plot_local)


def _plot_local(res, ax):
    t = res.table
    for r, s in t.groupby("regions"):
        ax.plot(
            s["stores"],
            s["profit_per_store"],
            marker="o",
            label=f"{r} region{'s' if r != 1 else ''}",
        )
    ax.axhline(0, color="black", lw=0.8)
    ax.set(
        xlabel="stores (total)",
        ylabel="profit per store",
        title="Local leadership: density economies",
    )
    ax.legend()


_PROFIT_POOL_DEFAULT = pd.DataFrame(
    {
        "stage": [
            "components",
            "microprocessors",
            "operating system & software",
            "PC assembly",
            "distribution & retail",
            "services & support",
        ],
        "revenue": [100.0, 30.0, 25.0, 120.0, 60.0, 40.0],
        "margin": [0.04, 0.35, 0.45, 0.03, 0.02, 0.08],
    }
)


def value_chain_profit_pool(
    data: pd.DataFrame | None = None,
    stage: str = "stage",
    revenue: str = "revenue",
    margin: str | None = "margin",
    profit: str | None = None,
) -> ModelResult:
    """Industry profit pool along the value chain: share of revenue vs share of profit by stage.

    Give each stage's revenue and either its operating ``margin`` or its ``profit`` (column
    names). Profit share / revenue share > 1 marks a control point that captures more than its
    size (``control_points``). ``data=None`` uses an illustrative PC-industry chain (numbers
    made up for teaching).

    Sources: Slywotzky & Morrison (1997), "Value chain position profit" (Intel, Microsoft);
    Gadiesh & Gilbert (1998), "Profit pools: a fresh look at strategy", *Harvard Business
    Review* 76(3) (the profit-pool chart: width = revenue share, height = margin).

    >>> df = pd.DataFrame({"stage": ["chips", "assembly"], "revenue": [20, 80],
    ...                    "profit": [6, 4]})
    >>> res = value_chain_profit_pool(df, margin=None, profit="profit")
    >>> res.to_frame()["profit_share"].tolist()
    [0.6, 0.4]
    """
    if data is None:
        data = _PROFIT_POOL_DEFAULT
    if (margin is None) == (profit is None):
        raise InputError(
            f"give exactly one of margin= or profit= (column names); got "
            f"margin={margin!r}, profit={profit!r}"
        )
    f = "value_chain_profit_pool"
    _columns(data, f, {"stage": stage, "revenue": revenue, "margin": margin, "profit": profit})
    rev = _numeric_column(data, revenue, f)
    if profit is not None:
        prof = _numeric_column(data, profit, f, lo=None)
        mar = prof / rev
    else:
        mar = _numeric_column(data, margin, f, lo=None)
        prof = mar * rev
    total_profit = prof.sum()
    table = pd.DataFrame(
        {
            "stage": data[stage].astype(str).to_numpy(),
            "revenue": rev,
            "profit": prof,
            "margin": mar,
            "revenue_share": rev / rev.sum(),
            "profit_share": prof / total_profit if total_profit else np.nan,
        }
    )
    table["profit_to_revenue_share"] = table["profit_share"] / table["revenue_share"]
    figures = {
        "total_revenue": float(rev.sum()),
        "total_profit": float(total_profit),
        "industry_margin": float(total_profit / rev.sum()),
        "control_points": tuple(table.loc[table["profit_to_revenue_share"] > 1, "stage"]),
    }
    return ModelResult(
        "value_chain_profit_pool",
        table,
        figures,
        {"stage": stage, "revenue": revenue, "margin": margin, "profit": profit},
        draw=_plot_profit_pool,
    )


def _plot_profit_pool(res, ax):
    t = res.table
    left = np.concatenate([[0], np.cumsum(t["revenue_share"].to_numpy())[:-1]])
    ax.bar(
        left,
        t["margin"],
        width=t["revenue_share"],
        align="edge",
        edgecolor="white",
        color="#264653",
    )
    for x, w, m, name in zip(left, t["revenue_share"], t["margin"], t["stage"]):
        ax.text(x + w / 2, m, name, ha="center", va="bottom", fontsize=8, rotation=90)
    ax.axhline(res.industry_margin, ls="--", color="#e76f51", label="industry average margin")
    ax.set(
        xlabel="share of industry revenue",
        ylabel="operating margin",
        xlim=(0, 1),
        title="Value chain: the profit pool",
    )
    ax.legend()
