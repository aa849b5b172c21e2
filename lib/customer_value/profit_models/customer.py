"""Profit models driven by the customer relationship (客户): what the customer buys after,
around and beyond the first sale.

* 1 customer solutions (客户解决方案模型): :func:`customer_solutions`, an account's cash-flow
  J-curve and payback;
* 3 multi-component system (多种成分系统模型): :func:`multi_component`, a component P&L with
  return on sales and on assets;
* 10 installed base (基础产品模型): :func:`installed_base`, razor and blades;
* 18 after-sale (售后利润模型): :func:`after_sale`, the after-market of service contracts;
* :func:`lifetime_margin`: one unit's whole lifetime margin, hardware + consumables + service.

Source of the models: Slywotzky & Morrison (1997), *The Profit Zone*.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._util import check_number
from ._base import ModelResult, _columns, _numeric_column, _pv_factors

__all__ = [
    "after_sale",
    "customer_solutions",
    "installed_base",
    "lifetime_margin",
    "multi_component",
]


# ============================================================================================
# 1 customer solutions
# ============================================================================================


def _payback(cash: np.ndarray) -> float:
    """Periods until cumulative cash flow first reaches 0 (linear within the period); NaN if
    never. ``cash[0]`` is period 0."""
    cum = np.cumsum(cash)
    if cum[0] >= 0:
        return 0.0
    hit = np.flatnonzero(cum >= 0)
    if hit.size == 0:
        return float("nan")
    t = int(hit[0])
    return float((t - 1) + (-cum[t - 1]) / cash[t])


def customer_solutions(
    upfront_investment: float = 50.0,
    period_margin: float = 20.0,
    service_cost: float = 5.0,
    ramp_periods: int = 4,
    periods: int = 10,
    discount_rate: float = 0.10,
) -> ModelResult:
    """Account cash-flow J-curve and payback of a customer-solutions relationship.

    Period 0: ``−upfront_investment`` (learning the customer's economics, designing the
    solution). Period t ≥ 1: ``period_margin · min(t / ramp_periods, 1) − service_cost``, i.e.
    the margin ramps up linearly while the supplier becomes embedded. The cumulative cash flow
    falls, bottoms out (the trough of the J) and turns up. Payback is the (linearly
    interpolated) number of periods until the cumulative cash flow reaches zero; the discounted
    payback and NPV use ``(1 + discount_rate)^−t``.

    Sources: Slywotzky & Morrison (1997), "Customer solutions profit"; payback and NPV as in
    Brealey, Myers & Allen, *Principles of Corporate Finance* (standard definitions).

    >>> res = customer_solutions(discount_rate=0)
    >>> round(res.payback_period, 2)   # cumulative −50, −50, −45, −35, −20, −5, +10
    5.33
    """
    inv = check_number("upfront_investment", upfront_investment, lo=0, scalar=True)
    m = check_number("period_margin", period_margin, lo=0, scalar=True)
    sc = check_number("service_cost", service_cost, lo=0, scalar=True)
    ramp = check_number("ramp_periods", ramp_periods, lo=0, integer=True, scalar=True)
    T = check_number("periods", periods, lo=1, integer=True, scalar=True)
    r = check_number("discount_rate", discount_rate, lo=-1, lo_open=True, scalar=True)
    t = np.arange(T + 1)
    ramp_share = np.ones(T + 1) if ramp == 0 else np.minimum(t / ramp, 1.0)
    cash = m * ramp_share - sc
    cash[0] = -inv
    disc = cash / (1.0 + r) ** t
    table = pd.DataFrame(
        {
            "period": t,
            "margin_share": np.where(t == 0, 0.0, ramp_share),
            "cash_flow": cash,
            "cumulative": np.cumsum(cash),
            "discounted_cash_flow": disc,
            "cumulative_discounted": np.cumsum(disc),
        }
    )
    figures = {
        "payback_period": _payback(cash),
        "discounted_payback_period": _payback(disc),
        "npv": float(disc.sum()),
        "trough": float(table["cumulative"].min()),
        "trough_period": int(np.argmin(table["cumulative"])),
        "total_cash_flow": float(cash.sum()),
    }
    params = {
        "upfront_investment": inv,
        "period_margin": m,
        "service_cost": sc,
        "ramp_periods": ramp,
        "periods": T,
        "discount_rate": r,
    }
    return ModelResult("customer_solutions", table, figures, params, draw=_plot_customer_solutions)


def _plot_customer_solutions(res, ax):
    t = res.table
    ax.bar(t["period"], t["cash_flow"], color="#b0b0b0", label="cash flow")
    ax.plot(t["period"], t["cumulative"], marker="o", color="#264653", label="cumulative (J-curve)")
    ax.axhline(0, color="black", lw=0.8)
    if np.isfinite(res.payback_period):
        ax.axvline(
            res.payback_period, ls="--", color="#e76f51", label=f"payback {res.payback_period:.1f}"
        )
    ax.set(xlabel="period", ylabel="account cash flow", title="Customer solutions: account J-curve")
    ax.legend()


# ============================================================================================
# 3 multi-component system
# ============================================================================================

# Illustrative numbers (invented, not Coca-Cola's): million ounces a year, USD million.
_COLA_CHANNELS = pd.DataFrame(
    {
        "component": ["grocery (take-home)", "fountain (restaurants)", "vending (single-serve)"],
        "volume": [6000.0, 2500.0, 1000.0],
        "revenue": [120.0, 40.0, 50.0],
        "cost": [108.0, 30.0, 40.0],
        "assets": [60.0, 15.0, 60.0],
    }
)


def multi_component(
    data: pd.DataFrame | None = None,
    component: str = "component",
    revenue: str = "revenue",
    cost: str = "cost",
    assets: str | None = "assets",
    volume: str | None = None,
) -> ModelResult:
    """Component P&L of a multi-component system: profit, return on sales and on assets.

    For each component (channel, occasion, customer type, segment): profit = revenue − cost,
    return on sales ROS = profit / revenue, return on assets ROA = profit / assets (with the
    asset turnover revenue / assets, so ROA = ROS × turnover), its shares of revenue and
    profit, and with ``volume`` (units sold) the profit per unit. The headline figures name the
    most profitable component (by ROA, or by ROS without assets), the largest by revenue, the
    loss-making ones and the **profit zone**: the components whose share of the profit exceeds
    their share of the revenue (empty when the components together make a loss).

    ``data=None`` uses an illustrative table of Coca-Cola's three channels (``volume`` in
    million ounces, money in USD million; the numbers are invented, only the mechanism, very
    different margins per ounce by channel, is Slywotzky & Morrison's example).

    Sources: Slywotzky & Morrison (1997), "Multi-component system profit" (Coca-Cola by
    channel, hotels, bookstores); ROS/ROA as in the DuPont analysis (ROA = ROS × asset turnover).

    >>> df = pd.DataFrame({"component": ["store", "institutional"], "revenue": [100, 20],
    ...                    "cost": [97, 17], "assets": [60, 5]})
    >>> multi_component(df).to_frame()["roa"].round(2).tolist()
    [0.05, 0.6]
    """
    if data is None:
        data, volume = _COLA_CHANNELS, volume or "volume"
    f = "multi_component"
    cols = {"component": component, "revenue": revenue, "cost": cost, "assets": assets}
    _columns(data, f, {**cols, "volume": volume})
    rev = _numeric_column(data, revenue, f)
    cst = _numeric_column(data, cost, f, lo=0, lo_open=False)
    profit = rev - cst
    total = profit.sum()
    table = pd.DataFrame(
        {
            "component": data[component].astype(str).to_numpy(),
            "revenue": rev,
            "cost": cst,
            "profit": profit,
            "ros": profit / rev,
        }
    )
    if assets is not None:
        ast = _numeric_column(data, assets, f)
        table["assets"] = ast
        table["asset_turnover"] = rev / ast
        table["roa"] = profit / ast
    if volume is not None:
        vol = _numeric_column(data, volume, f)
        table["volume"] = vol
        table["volume_share"] = vol / vol.sum()
        table["profit_per_unit"] = profit / vol
    table["revenue_share"] = rev / rev.sum()
    table["profit_share"] = profit / total if total != 0 else np.nan
    table["profit_to_revenue_share"] = table["profit_share"] / table["revenue_share"]
    key = "roa" if assets is not None else "ros"
    zone = table[table["profit_to_revenue_share"] > 1] if total > 0 else table.iloc[:0]
    figures = {
        "total_revenue": float(rev.sum()),
        "total_profit": float(total),
        "total_ros": float(total / rev.sum()),
    }
    if assets is not None:
        figures["total_roa"] = float(total / table["assets"].sum())
    figures |= {
        "most_profitable_component": table.loc[table[key].idxmax(), "component"],
        "largest_component": table.loc[table["revenue"].idxmax(), "component"],
        "loss_making": tuple(table.loc[table["profit"] < 0, "component"]),
        "profit_zone": tuple(zone["component"]),
        "profit_zone_profit_share": float(zone["profit_share"].sum()) if total > 0 else np.nan,
        "profit_zone_revenue_share": float(zone["revenue_share"].sum()) if total > 0 else np.nan,
    }
    if volume is not None:
        figures["most_profitable_per_unit"] = table.loc[
            table["profit_per_unit"].idxmax(), "component"
        ]
    return ModelResult(
        "multi_component", table, figures, {**cols, "volume": volume}, draw=_plot_multi_component
    )


def _plot_multi_component(res, ax):
    t = res.table
    x = np.arange(len(t))
    cols = [c for c in ("ros", "roa") if c in t]
    w = 0.8 / len(cols)
    for i, c in enumerate(cols):
        ax.bar(x + (i - (len(cols) - 1) / 2) * w, t[c], width=w, label=c.upper())
    ax.set_xticks(x, t["component"], rotation=30, ha="right")
    ax.axhline(0, color="black", lw=0.8)
    ax.set(ylabel="return", title="Multi-component system: return by component")
    ax.legend()


# ============================================================================================
# 10 installed base and 18 after-sale: lifetime margin
# ============================================================================================


def _lifetime(upfront_margin, per_period, periods, survival, rate):
    t = np.arange(1, periods + 1)
    surv = survival ** (t - 1)
    expected = per_period * surv
    factors = _pv_factors(periods, rate)
    pv = expected * factors
    table = pd.DataFrame(
        {
            "period": np.arange(0, periods + 1),
            "survival": np.concatenate([[1.0], surv]),
            "expected_margin": np.concatenate([[upfront_margin], expected]),
            "discount_factor": np.concatenate([[1.0], factors]),
            "pv_margin": np.concatenate([[upfront_margin], pv]),
            "cumulative_lifetime_margin": upfront_margin + np.concatenate([[0.0], np.cumsum(pv)]),
        }
    )
    return table, float(pv.sum())


def installed_base(
    hardware_price: float = 100.0,
    hardware_cost: float = 120.0,
    consumable_price: float = 30.0,
    consumable_cost: float = 8.0,
    consumables_per_period: float = 4.0,
    periods: int = 4,
    retention: float = 0.8,
    capture_rate: float = 0.8,
    discount_rate: float = 0.10,
) -> ModelResult:
    """Razor-and-blades lifetime margin of one unit of installed base, and the break-even subsidy.

    Hardware margin at sale: p_h − c_h (negative when subsidised). In period t = 1..T the unit is
    still in use with probability ``retention``^(t−1) and buys ``consumables_per_period`` units,
    a share ``capture_rate`` κ of them from the maker (the rest from clones/refills), each earning
    p_c − c_c. Lifetime margin = (p_h − c_h) + Σₜ (p_c − c_c)·q·κ·retention^(t−1)/(1+r)^t.
    The break-even subsidy is the PV of consumable margin: the largest hardware loss that still
    leaves the lifetime margin ≥ 0 (break-even hardware price = c_h − PV). The lifetime margin is
    linear in κ, so the break-even capture rate is hardware loss / PV of the consumables at
    κ = 1 (0 when the hardware itself earns a margin).

    Sources: Slywotzky & Morrison (1997), "Installed base profit" (Gillette, HP); customer
    lifetime value with retention as in Gupta & Lehmann (2003), "Customers as assets", *Journal
    of Interactive Marketing* 17(1).

    >>> res = installed_base(retention=1, capture_rate=1, discount_rate=0)
    >>> res.lifetime_margin, res.break_even_capture_rate    # −20 + 4·4·22; 20 / 352
    (332.0, 0.056818181818181816)
    """
    ph = check_number("hardware_price", hardware_price, lo=0, scalar=True)
    ch = check_number("hardware_cost", hardware_cost, lo=0, scalar=True)
    pc = check_number("consumable_price", consumable_price, lo=0, scalar=True)
    cc = check_number("consumable_cost", consumable_cost, lo=0, scalar=True)
    q = check_number("consumables_per_period", consumables_per_period, lo=0, scalar=True)
    T = check_number("periods", periods, lo=1, integer=True, scalar=True)
    ret = check_number("retention", retention, lo=0, hi=1, scalar=True)
    cap = check_number("capture_rate", capture_rate, lo=0, hi=1, scalar=True)
    r = check_number("discount_rate", discount_rate, lo=-1, lo_open=True, scalar=True)
    table, pv = _lifetime(ph - ch, (pc - cc) * q * cap, T, ret, r)
    _, pv_full = _lifetime(ph - ch, (pc - cc) * q, T, ret, r)
    if ph - ch >= 0:
        kappa = 0.0
    else:
        kappa = (ch - ph) / pv_full if pv_full > 0 else float("inf")
    figures = {
        "hardware_margin": ph - ch,
        "consumables_pv": pv,
        "lifetime_margin": (ph - ch) + pv,
        "break_even_subsidy": pv,
        "break_even_hardware_price": ch - pv,
        "break_even_capture_rate": kappa,
    }
    params = {
        "hardware_price": ph,
        "hardware_cost": ch,
        "consumable_price": pc,
        "consumable_cost": cc,
        "consumables_per_period": q,
        "periods": T,
        "retention": ret,
        "capture_rate": cap,
        "discount_rate": r,
    }
    return ModelResult("installed_base", table, figures, params, draw=_plot_installed_base)


def _plot_lifetime(res, ax, title):
    t = res.table
    ax.bar(
        t["period"],
        t["pv_margin"],
        color=np.where(t["pv_margin"] < 0, "#e76f51", "#2a9d8f"),
        label="PV of margin",
    )
    ax.plot(
        t["period"],
        t["cumulative_lifetime_margin"],
        marker="o",
        color="#264653",
        label="cumulative lifetime margin",
    )
    ax.axhline(0, color="black", lw=0.8)
    ax.set(xlabel="period (0 = sale)", ylabel="margin per unit sold", title=title)
    ax.legend()


def _plot_installed_base(res, ax):
    _plot_lifetime(res, ax, "Installed base: razor-and-blades lifetime margin")


def after_sale(
    equipment_price: float = 100.0,
    equipment_cost: float = 95.0,
    service_revenue: float = 8.0,
    service_margin: float = 0.35,
    attach_rate: float = 0.7,
    renewal_rate: float = 0.95,
    years: int = 20,
    discount_rate: float = 0.08,
) -> ModelResult:
    """Lifetime margin of one unit of equipment with an after-sale service attach rate.

    Equipment margin at sale: p − c (thin: the sale is price-shopped). A share ``attach_rate`` of
    buyers sign a service contract worth ``service_revenue`` a year at ``service_margin`` (a
    fraction of the service revenue), renewed each year with probability ``renewal_rate``.
    Lifetime margin per unit sold = (p − c) + Σₜ attach·renewal^(t−1)·service_revenue·
    service_margin/(1+r)^t over ``years``. Reports the after-market's share of the lifetime
    margin and the equipment price at which the lifetime margin is zero.

    Sources: Slywotzky & Morrison (1997), "After-sale profit" (elevators, trucks); Cohen,
    Agrawal & Agrawal (2006), "Winning in the aftermarket", *Harvard Business Review* 84(5).

    >>> res = after_sale(equipment_price=100, equipment_cost=95, service_revenue=8,
    ...                  service_margin=0.5, attach_rate=0.5, renewal_rate=1, years=10,
    ...                  discount_rate=0)
    >>> res.lifetime_margin, res.after_market_share       # 5 + 0.5·10·4; 20/25
    (25.0, 0.8)
    """
    p = check_number("equipment_price", equipment_price, lo=0, scalar=True)
    c = check_number("equipment_cost", equipment_cost, lo=0, scalar=True)
    sr = check_number("service_revenue", service_revenue, lo=0, scalar=True)
    sm = check_number("service_margin", service_margin, lo=-1, hi=1, scalar=True)
    att = check_number("attach_rate", attach_rate, lo=0, hi=1, scalar=True)
    ren = check_number("renewal_rate", renewal_rate, lo=0, hi=1, scalar=True)
    T = check_number("years", years, lo=1, integer=True, scalar=True)
    r = check_number("discount_rate", discount_rate, lo=-1, lo_open=True, scalar=True)
    table, pv = _lifetime(p - c, att * sr * sm, T, ren, r)
    life = (p - c) + pv
    figures = {
        "equipment_margin": p - c,
        "service_pv": pv,
        "lifetime_margin": life,
        "after_market_share": pv / life if life > 0 else float("nan"),
        "break_even_equipment_price": c - pv,
    }
    params = {
        "equipment_price": p,
        "equipment_cost": c,
        "service_revenue": sr,
        "service_margin": sm,
        "attach_rate": att,
        "renewal_rate": ren,
        "years": T,
        "discount_rate": r,
    }
    return ModelResult("after_sale", table, figures, params, draw=_plot_after_sale)


def _plot_after_sale(res, ax):
    _plot_lifetime(res, ax, "After-sale: lifetime margin per unit sold")


def lifetime_margin(installed: ModelResult, service: ModelResult | None = None) -> ModelResult:
    """One unit's whole lifetime margin: the hardware margin at the sale, the present value of
    its consumables (an :func:`installed_base` result) and, optionally, of its service contracts
    (an :func:`after_sale` result, of which only the service is counted: its equipment margin
    is the same sale).

    The table has one row per part (``part``, ``pv`` in the money of the inputs,
    ``share_of_lifetime`` as a fraction); the headline figures are the parts, the
    ``lifetime_margin`` and ``after_sale_share``, the share of a positive lifetime margin earned
    after the sale (NaN when the lifetime margin is not positive).

    Sources: Slywotzky & Morrison (1997), "Installed base profit" and "After-sale profit";
    lifetime value with retention and discounting as in Gupta & Lehmann (2003).

    >>> ib = installed_base(retention=1, capture_rate=1, discount_rate=0)
    >>> af = after_sale(service_revenue=10, service_margin=0.5, attach_rate=1, renewal_rate=1,
    ...                 years=2, discount_rate=0)
    >>> lifetime_margin(ib, af).lifetime_margin       # −20 + 352 + 2·5
    342.0
    """
    if not isinstance(installed, ModelResult) or installed.model != "installed_base":
        raise TypeError("installed must be the result of installed_base()")
    if service is not None and (
        not isinstance(service, ModelResult) or service.model != "after_sale"
    ):
        raise TypeError("service must be None or the result of after_sale()")
    parts = {
        "hardware margin at the sale": installed.hardware_margin,
        "consumables (present value)": installed.consumables_pv,
    }
    if service is not None:
        parts["service contracts (present value)"] = service.service_pv
    total = float(sum(parts.values()))
    table = pd.DataFrame({"part": [*parts, "lifetime margin"], "pv": [*parts.values(), total]})
    table["share_of_lifetime"] = table["pv"] / total if total > 0 else np.nan
    figures = {
        "hardware_margin": installed.hardware_margin,
        "consumables_pv": installed.consumables_pv,
        "service_pv": service.service_pv if service is not None else 0.0,
        "lifetime_margin": total,
        "after_sale_share": (total - installed.hardware_margin) / total if total > 0 else np.nan,
    }
    return ModelResult("lifetime_margin", table, figures, {}, draw=_plot_lifetime_margin)


def _plot_lifetime_margin(res, ax):
    t = res.table
    colours = np.where(t["pv"] < 0, "#e76f51", "#2a9d8f")
    colours[-1] = "#264653"
    ax.bar(np.arange(len(t)), t["pv"], color=colours)
    ax.set_xticks(np.arange(len(t)), t["part"], rotation=20, ha="right")
    ax.axhline(0, color="black", lw=0.8)
    ax.set(ylabel="per unit sold", title="Lifetime margin of one unit sold")
