"""Seeded example inputs of the profit-model report: a synthetic firm's figures as YAML.

Two fictional firms:

* :func:`firm_figures`: Qingyuan Filtration (清源过滤), a maker of membrane water-filtration
  systems with every section of the report's input: a segment P&L, the unit-cost history of its
  membrane modules, its market share, its module plant's capacity and utilisation, and its
  installed base of systems with consumables and service contracts. The sections are consistent
  with one another: the consumables segment is the plant's output, the plant's price line is
  the module price of the installed base, the latest unit cost is the plant's variable cost.
* :func:`firm_figures_partial`: Lüxing E-Bikes (绿行电动车), a regional e-bike maker with only
  three sections (segment P&L without assets, Chinese segment names; a battery-pack unit-cost
  history in a separate GBK CSV with Chinese headers, counted *before* each year; market share).

:func:`firm_figures_yaml` writes a figures mapping as commented YAML (the committed files are its
output). The layout is the one :func:`customer_value.profit_models.read_firm_figures` reads.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import yaml

__all__ = ["firm_figures", "firm_figures_partial", "firm_figures_yaml"]

_QUARTERS = [f"{y}Q{q}" for y in range(2019, 2025) for q in range(1, 5)]


def firm_figures(seed: int = 20240601) -> tuple[dict, dict]:
    """Figures of Qingyuan Filtration (fictional), with every section; returns (figures, truth).

    Truth (``truth`` dict): membrane modules follow an 82% experience curve (b = log2 0.82) with
    ±4% lognormal noise; module price p(u) = 7.0 + 6.0·u (CNY thousand) + noise (sd 0.15); plant
    capacity 16,000 modules a quarter, variable cost 5.0, fixed cost 60,000 a quarter (CNY
    thousand), so break-even utilisation ≈ 64.1%; systems sold at 950 against a unit cost of
    1,020 (CNY thousand); 5,200 systems installed, 14 modules each a year, 70% bought from the
    firm; market share 18% against the leader's 27%.

    >>> a, _ = firm_figures(seed=1); b, _ = firm_figures(seed=1)
    >>> a == b
    True
    """
    rng = np.random.default_rng(seed)
    pr, a, b, K, v, F = 0.82, 7.0, 6.0, 16_000.0, 5.0, 60_000.0
    # module plant: 24 quarters, a dip in 2020 and a slowdown in 2023
    t = np.arange(len(_QUARTERS))
    u = 0.82 + 0.06 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 0.015, t.size)
    u[[4, 5, 6]] -= [0.12, 0.25, 0.10]  # 2020Q1-Q3
    u[[16, 17, 18, 19]] -= [0.10, 0.17, 0.15, 0.06]  # 2023
    u = np.clip(u, 0.5, 0.97).round(3)
    price = (a + b * u + rng.normal(0, 0.15, t.size)).round(2)
    # unit-cost history of membrane modules, 2012-2024, cumulative including each year
    years = np.arange(2012, 2025)
    production = 52_000 * 1.2 ** (years - 2024.0) * np.exp(rng.normal(0, 0.05, years.size))
    cumulative = np.cumsum(production).round(-1)
    bexp = math.log2(pr)
    c1 = v / cumulative[-1] ** bexp
    unit_cost = (c1 * cumulative**bexp * np.exp(rng.normal(0, 0.04, years.size))).round(2)
    # 2024 segment P&L (CNY million)
    last = slice(20, 24)
    vol = u[last] * K
    membr_rev = float((price[last] * vol).sum() / 1000)
    membr_cost = float((v * vol + F).sum() / 1000)
    sold = 620
    noise = [float(x) for x in np.exp(rng.normal(0, 0.02, 4))]
    segments = [
        {
            "name": "filtration systems",
            "revenue": round(sold * 0.95 * noise[0], 1),
            "cost": round(sold * 1.02 * noise[0], 1),
            "assets": 420.0,
        },
        {
            "name": "membranes and consumables",
            "revenue": round(membr_rev, 1),
            "cost": round(membr_cost, 1),
            "assets": 260.0,
        },
        {
            "name": "service contracts",
            "revenue": round(171.6 * noise[1], 1),
            "cost": round(171.6 * 0.70 * noise[1] * noise[2], 1),
            "assets": 25.0,
        },
        {
            "name": "engineering projects",
            "revenue": round(240 * noise[3], 1),
            "cost": round(232 * noise[3], 1),
            "assets": 90.0,
        },
    ]
    figures = {
        "firm": "Qingyuan Filtration Co. (清源过滤, fictional)",
        "currency": "CNY million",
        "period": "2024",
        "segments": segments,
        "unit_costs": {
            "unit": "membrane module, CNY thousand",
            "basis": "including",
            "history": [
                {"period": str(y), "cumulative": float(c), "unit_cost": float(k)}
                for y, c, k in zip(years, cumulative, unit_cost)
            ],
        },
        "market_share": {
            "own": 0.18,
            "largest_rival": 0.27,
            "market": "membrane water-filtration systems, China, 2024",
        },
        "capacity": {
            "unit": "membrane modules per quarter",
            "currency": "CNY thousand",
            "capacity": K,
            "variable_cost": v,
            "fixed_cost": F,
            "history": [
                {"period": q, "utilisation": float(x), "price": float(p)}
                for q, x, p in zip(_QUARTERS, u, price)
            ],
        },
        "installed_base": {
            "unit": "filtration system",
            "currency": "CNY thousand",
            "units": 5200,
            "hardware_price": 950.0,
            "hardware_cost": 1020.0,
            "consumable_price": 11.9,
            "consumable_cost": 5.0,
            "consumables_per_year": 14,
            "years": 12,
            "retention": 0.92,
            "capture_rate": 0.70,
            "discount_rate": 0.08,
            "service_revenue": 60.0,
            "service_margin": 0.30,
            "attach_rate": 0.55,
            "renewal_rate": 0.90,
        },
    }
    disc = b * K
    break_even = (-(a - v) * K + math.sqrt(((a - v) * K) ** 2 + 4 * disc * F)) / (2 * disc)
    truth = {
        "progress_ratio": pr,
        "price_intercept": a,
        "price_slope": b,
        "capacity": K,
        "variable_cost": v,
        "fixed_cost": F,
        "break_even_utilisation": break_even,
        "most_profitable_segment_by_roa": "service contracts",
        "loss_making_segment": "filtration systems",
    }
    return figures, truth


def firm_figures_partial(seed: int = 20240602) -> tuple[dict, pd.DataFrame, dict]:
    """Figures of Lüxing E-Bikes (fictional) with three sections; returns (figures, unit-cost
    table as the firm's ERP exports it, truth).

    The unit-cost table has Chinese headers 年份 (year), 累计产量（组） (battery packs produced
    *before* the year) and 单位成本（元） (unit cost in yuan, written with thousands
    separators); the figures point to it with ``file: firm_unit_costs_gbk.csv`` and
    ``basis: before``. Truth: an 85% experience curve with ±3% noise; market share 35% against
    the number two's 20% (RMS 1.75, the firm leads).

    >>> figures, table, truth = firm_figures_partial()
    >>> sorted(k for k in figures if k not in ("firm", "currency", "period")), len(table)
    (['market_share', 'segments', 'unit_costs'], 9)
    """
    rng = np.random.default_rng(seed)
    pr = 0.85
    years = np.arange(2016, 2025)
    production = 60_000 * 1.25 ** (years - 2024.0) * np.exp(rng.normal(0, 0.05, years.size))
    before = (np.cumsum(production) - production + 25_000).round(-2)
    bexp = math.log2(pr)
    c1 = 2350.0 / before[0] ** bexp
    cost = (c1 * before**bexp * np.exp(rng.normal(0, 0.03, years.size))).round(0)
    table = pd.DataFrame(
        {
            "年份": years,
            "累计产量（组）": before.astype(int),
            "单位成本（元）": [f"{int(c):,d}" for c in cost],
        }
    )
    figures = {
        "firm": "Lüxing E-Bikes (绿行电动车, fictional)",
        "currency": "CNY million",
        "period": "2024",
        "segments": [
            {"name": "整车销售 (bikes)", "revenue": 410.0, "cost": 396.5},
            {"name": "电池租赁与换电 (battery rental and swaps)", "revenue": 160.0, "cost": 118.2},
            {"name": "配件与维修 (parts and repairs)", "revenue": 75.0, "cost": 52.6},
        ],
        "unit_costs": {
            "unit": "battery pack, CNY",
            "basis": "before",
            "file": "firm_unit_costs_gbk.csv",
            "period_column": "年份",
            "cumulative_column": "累计产量（组）",
            "cost_column": "单位成本（元）",
        },
        "market_share": {
            "own": "35%",
            "largest_rival": "20%",
            "market": "e-bikes, one province, 2024",
        },
    }
    truth = {"progress_ratio": pr, "rms": 0.35 / 0.20}
    return figures, table, truth


_COMMENTS = {
    "segments": "Segment P&L: one entry per segment (product line, channel, customer type):\n"
    "name, revenue, cost and, optionally, assets (operating assets, for return on "
    "assets).\nRuns model 3, multi-component system.",
    "unit_costs": "Unit-cost history for the experience curve: cumulative volume and unit cost "
    "per period.\nbasis: 'including' when cumulative counts the period's own "
    "output, 'before' when not.\nEither a 'history' list or a 'file' (CSV/Excel, "
    "path relative to this file)\nwith cumulative_column, cost_column, "
    "period_column. Runs model 21, experience curve.",
    "market_share": "Market share: own share and the largest rival's (numbers or "
    "percentages).\nOptional progress_ratio for relative cost (else the one "
    "fitted on unit_costs, else 0.8).\nRuns model 20, relative market share.",
    "capacity": "Capacity and utilisation: capacity (units per period), variable_cost (per "
    "unit),\nfixed_cost (per period); the price from the history (least-squares "
    "line of price on\nutilisation), or give price (constant) or price_intercept "
    "and price_slope.\nRuns model 17, cyclical profit.",
    "installed_base": "Installed base: per-unit hardware and consumable prices and costs, "
    "consumables bought per\nyear, years in use, retention (share still in "
    "use each year), capture_rate (share of\nconsumables bought from us), "
    "discount_rate; units = size of the base. Optional service\ncontracts: "
    "service_revenue per year, service_margin, attach_rate, renewal_rate.\n"
    "Runs model 10, installed base (and 18, after-sale, with the service "
    "figures).",
}


def _scalar(value) -> str:
    return (
        yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
        .strip()
        .removesuffix("...")
        .strip()
    )


def _flow(mapping: dict) -> str:
    return yaml.safe_dump(
        mapping, allow_unicode=True, default_flow_style=True, sort_keys=False, width=10_000
    ).strip()


def firm_figures_yaml(figures: dict, header: str = "") -> str:
    """Write a figures mapping as YAML with a comment above every section (lists of records in
    flow style, one per line). ``yaml.safe_load`` of the text gives ``figures`` back.

    >>> text = firm_figures_yaml({"firm": "X", "market_share": {"own": 0.3, "largest_rival": 0.2}})
    >>> yaml.safe_load(text)["market_share"]["own"]
    0.3
    """
    lines = [f"# {h}" if h else "#" for h in header.splitlines()]
    if lines:
        lines.append("")
    for key, value in figures.items():
        if not isinstance(value, (dict, list)):
            lines.append(f"{key}: {_scalar(value)}")
            continue
        lines.append("")
        lines += [f"# {c}" for c in _COMMENTS.get(key, "").splitlines()]
        lines.append(f"{key}:")
        items = value.items() if isinstance(value, dict) else [(None, value)]
        for sub, val in items:
            if isinstance(val, list):
                indent = "  " if sub is None else "    "
                if sub is not None:
                    lines.append(f"  {sub}:")
                lines += [f"{indent}- {_flow(rec)}" for rec in val]
            else:
                lines.append(f"  {sub}: {_scalar(val)}")
    return "\n".join(lines) + "\n"
