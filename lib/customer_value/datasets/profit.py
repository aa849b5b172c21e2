"""Data for the profit-model lessons (22种利润模型): a public experience-curve series and seeded
synthetic case data of four firms, and the files of them committed to ``datasets/``.

=========================  ====================================  ==============================
name                       file                                  made by
=========================  ====================================  ==============================
``pv_modules``             ``pv_modules_experience_curve.csv``   :func:`pv_modules`
``bookstore_components``   ``bookstore_components.csv``          :func:`bookstore_components`
``printer_installed_base`` ``printer_installed_base.csv``        :func:`printer_installed_base`
``chemical_cycles``        ``chemical_cycles.csv``               :func:`chemical_cycles`
``film_slate``             ``film_slate.csv``                    :func:`film_slate`
=========================  ====================================  ==============================

The PV series is public data (Santa Fe Institute Performance Curve Database, series
"Photovoltaics"; Nagy, Farmer, Bui & Trancik 2013, *PLOS ONE* 8(2):e52669). The four case
tables are invented (seed :data:`PROFIT_CASE_SEED`, the generators' default, so
``datasets.load("film_slate")`` equals ``film_slate()``); their ground truth is documented in the
generators' docstrings and in ``datasets/README.md``. The models they feed are in
:mod:`customer_value.profit_models`.
"""

from __future__ import annotations

import io as _io
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from .._util import check_number, rng

__all__ = [
    "PROFIT_CASE_SEED",
    "PROFIT_DATASETS",
    "bookstore_components",
    "chemical_cycles",
    "film_slate",
    "printer_installed_base",
    "profit_case_data",
    "pv_modules",
]

#: Seed of the committed case tables (the generators' default).
PROFIT_CASE_SEED = 0

#: name -> (file name in datasets/, one-line description)
PROFIT_DATASETS: dict[str, tuple[str, str]] = {
    "pv_modules": (
        "pv_modules_experience_curve.csv",
        (
            "photovoltaic module price (USD/Wp) and production (MWp) 1976-2003, cumulative before "
            "and including the year (public data: Santa Fe Institute Performance Curve Database)"
        ),
    ),
    "bookstore_components": (
        "bookstore_components.csv",
        (
            "synthetic component P&L of a bookstore chain (USD million): revenue, cost, assets of "
            "five components (multi-component system)"
        ),
    ),
    "printer_installed_base": (
        "printer_installed_base.csv",
        (
            "synthetic printer maker 2015-2024: printers sold, installed base, cartridges, "
            "hardware and supplies revenue and cost (installed base / after-sale)"
        ),
    ),
    "chemical_cycles": (
        "chemical_cycles.csv",
        (
            "synthetic commodity-chemicals plant, 48 quarters over two capacity cycles: "
            "utilisation, price, variable and fixed cost, profit (cyclical)"
        ),
    ),
    "film_slate": (
        "film_slate.csv",
        (
            "synthetic film studio slate of 40 films (USD million): budget, marketing, heavy-tailed "
            "box office, studio revenue, profit (blockbuster)"
        ),
    ),
}


# ============================================================================================
# the generators: seeded synthetic firms, and the PV series
# ============================================================================================


def bookstore_components(seed=0) -> pd.DataFrame:
    """Synthetic component P&L of a bookstore chain (USD million a year), for
    :func:`~customer_value.profit_models.multi_component`.

    Columns: component, component_zh, revenue, cost, assets. The known truth: store retail is
    most of the revenue at ~3% ROS on heavy assets (ROA ~4.5%); institutional (团购) sales earn
    ~11% ROS on few assets (mostly receivables), so by far the highest ROA (~110%).
    Deterministic for a seed (±5% noise on revenue, ±1 point on ROS, ±10% on assets).

    Source: the bookstore case of Slywotzky & Morrison (1997), "multi-component system"; the
    numbers are invented.

    >>> bookstore_components(seed=1).equals(bookstore_components(seed=1))
    True
    """
    gen = rng(seed)
    base = pd.DataFrame(
        {
            "component": [
                "store retail",
                "institutional sales",
                "online",
                "café",
                "membership & events",
            ],
            "component_zh": ["门店零售", "机构团购", "网上书店", "咖啡馆", "会员与活动"],
            "revenue": [600.0, 150.0, 200.0, 50.0, 20.0],
            "ros": [0.03, 0.11, 0.02, 0.12, 0.15],
            "assets": [400.0, 15.0, 60.0, 20.0, 5.0],
        }
    )
    n = len(base)
    revenue = base["revenue"] * np.exp(gen.normal(0, 0.05, n))
    ros = base["ros"] + gen.normal(0, 0.01, n)
    assets = base["assets"] * np.exp(gen.normal(0, 0.10, n))
    return pd.DataFrame(
        {
            "component": base["component"],
            "component_zh": base["component_zh"],
            "revenue": revenue.round(2),
            "cost": (revenue * (1 - ros)).round(2),
            "assets": assets.round(2),
        }
    )


def printer_installed_base(seed=0, years: int = 10) -> pd.DataFrame:
    """Synthetic yearly numbers of a printer maker: hardware sold below cost, supplies on the
    installed base (units in thousands, money in USD million), for :func:`~customer_value.profit_models.installed_base`.

    Columns: year, printers_sold, installed_base (end of year, 25% of the base retires a year),
    cartridges_sold (the maker's own cartridges), hardware_revenue, hardware_cost,
    supplies_revenue, supplies_cost. Truth: hardware price 100, unit cost 120; each printer in
    the base at the start of a year plus half of the year's sales buys ~4 cartridges at 30
    (cost 8), ~80% of them from the maker (so ~3.2 of the maker's cartridges per printer-year).

    Source: the HP printer example of Slywotzky & Morrison (1997), "installed base"; the
    numbers are invented.

    >>> len(printer_installed_base(seed=0))
    10
    """
    T = check_number("years", years, lo=1, integer=True, scalar=True)
    gen = rng(seed)
    sold = 500 * 1.15 ** np.arange(T) * np.exp(gen.normal(0, 0.05, T))
    base = np.empty(T)
    prev = 0.0
    active = np.empty(T)
    for t in range(T):
        active[t] = prev + sold[t] / 2
        prev = prev * 0.75 + sold[t]
        base[t] = prev
    cartridges = active * 4 * 0.8 * np.exp(gen.normal(0, 0.04, T))
    price = 100 * np.exp(gen.normal(0, 0.02, T))
    return pd.DataFrame(
        {
            "year": np.arange(2015, 2015 + T),
            "printers_sold": sold.round(1),
            "installed_base": base.round(1),
            "cartridges_sold": cartridges.round(1),
            "hardware_revenue": (sold * price / 1000).round(2),
            "hardware_cost": (sold * 120 / 1000).round(2),
            "supplies_revenue": (cartridges * 30 / 1000).round(2),
            "supplies_cost": (cartridges * 8 / 1000).round(2),
        }
    )


def chemical_cycles(seed=0, quarters: int = 48) -> pd.DataFrame:
    """Synthetic quarterly numbers of a commodity-chemicals plant over two capacity cycles, for
    :func:`~customer_value.profit_models.cyclical`.

    Columns: period (1..48), year, quarter, utilisation (in (0, 1]), capacity_kt (per quarter),
    volume_kt, price (USD/t), variable_cost (USD/t), fixed_cost and profit (USD thousand).
    Truth: utilisation = 0.76 + 0.15·sin(2π·period/24) + noise(sd 0.015), clipped to
    [0.55, 0.98]; price = 400 + 600·utilisation + noise(sd 15); variable cost 550 + noise(sd 8);
    capacity 250 kt a quarter; fixed cost 37,500 a quarter (the annual defaults of
    :func:`~customer_value.profit_models.cyclical` divided by 4).

    Source: the cyclical-profit industries of Slywotzky & Morrison (1997); numbers invented.

    >>> bool(chemical_cycles()["utilisation"].between(0, 1).all())
    True
    """
    Q = check_number("quarters", quarters, lo=1, integer=True, scalar=True)
    gen = rng(seed)
    t = np.arange(1, Q + 1)
    u = np.clip(0.76 + 0.15 * np.sin(2 * np.pi * t / 24) + gen.normal(0, 0.015, Q), 0.55, 0.98)
    price = 400 + 600 * u + gen.normal(0, 15, Q)
    vc = 550 + gen.normal(0, 8, Q)
    K = 250.0
    F = 37_500.0
    volume = u * K
    return pd.DataFrame(
        {
            "period": t,
            "year": 2001 + (t - 1) // 4,
            "quarter": (t - 1) % 4 + 1,
            "utilisation": u.round(4),
            "capacity_kt": K,
            "volume_kt": volume.round(2),
            "price": price.round(1),
            "variable_cost": vc.round(1),
            "fixed_cost": F,
            "profit": ((price.round(1) - vc.round(1)) * volume.round(2) - F).round(1),
        }
    )


def film_slate(seed=0, n_films: int = 40) -> pd.DataFrame:
    """A synthetic studio's film slate with heavy-tailed box office (USD million), for
    :func:`~customer_value.profit_models.blockbuster_portfolio` (``distribution="empirical"``).

    Columns: film, genre, budget, marketing, box_office, studio_revenue, profit. Truth: budget
    lognormal (median 40, log-sd 0.6); marketing 50% of budget; box office = budget^0.8 ·
    lognormal(log 2, 1.1) (a few huge hits); studio revenue = 0.5·box office (rentals) +
    0.6·box office (home video, TV, licensing); profit = studio revenue − budget − marketing.

    Sources: the film example of Slywotzky & Morrison (1997), "blockbuster"; heavy tails as in
    De Vany & Walls (1999). Numbers invented.

    >>> film_slate(seed=3).equals(film_slate(seed=3))
    True
    """
    n = check_number("n_films", n_films, lo=1, integer=True, scalar=True)
    gen = rng(seed)
    genres = np.array(["action", "animation", "comedy", "drama", "horror", "family"])
    budget = 40 * np.exp(gen.normal(0, 0.6, n))
    box = budget**0.8 * np.exp(math.log(2.0) + 1.1 * gen.standard_normal(n))
    marketing = 0.5 * budget
    studio = 1.1 * box
    return pd.DataFrame(
        {
            "film": [f"F{i:02d}" for i in range(1, n + 1)],
            "genre": gen.choice(genres, n),
            "budget": budget.round(1),
            "marketing": marketing.round(1),
            "box_office": box.round(1),
            "studio_revenue": studio.round(1),
            "profit": (studio.round(1) - budget.round(1) - marketing.round(1)).round(1),
        }
    )


_PV = [  # year, price (USD/Wp), production (MWp), cumulative before the year (MWp)
    (1976, 25, 2, 2),
    (1977, 20, 2.25, 4),
    (1978, 15, 2.5, 6.25),
    (1979, 13, 4, 8.75),
    (1980, 12, 6.5, 12.75),
    (1981, 10, 7.75, 19.25),
    (1982, 9, 12, 27),
    (1983, 7.75, 20, 39),
    (1984, 7, 22, 59),
    (1985, 6.5, 26, 81),
    (1986, 5, 28, 107),
    (1987, 4, 29, 135),
    (1988, 3.75, 34, 164),
    (1989, 4.25, 40, 198),
    (1990, 4.75, 47, 238),
    (1991, 4.5, 55, 285),
    (1992, 4.25, 60, 340),
    (1993, 4.25, 60, 400),
    (1994, 4, 70, 460),
    (1995, 3.75, 80, 530),
    (1996, 4, 89, 610),
    (1997, 4.15, 126, 699),
    (1998, 4, 153, 825),
    (1999, 3.5, 201, 978),
    (2000, 3.5, 290, 1179),
    (2001, 3.5, 391, 1469),
    (2002, 3.25, 525, 1860),
    (2003, 3, 690, 2385),
]


def pv_modules() -> pd.DataFrame:
    """Photovoltaic module prices and production, 1976–2003 (public data).

    Columns: year, price_usd_per_wp (USD per peak watt, nominal), production_mwp (MWp produced
    in the year), cumulative_before_mwp (cumulative production before the year),
    cumulative_including_mwp (= before + the year's production). The committed file
    ``datasets/pv_modules_experience_curve.csv`` is exactly this frame written with
    ``to_csv(index=False)``.

    Source: Santa Fe Institute Performance Curve Database, series "Photovoltaics"; Nagy,
    Farmer, Bui & Trancik (2013), *PLOS ONE* 8(2):e52669.

    >>> from customer_value.profit_models import fit_experience_curve
    >>> fit = fit_experience_curve(pv_modules(), cost="price_usd_per_wp",
    ...                            cumulative="cumulative_including_mwp", includes_current=True)
    >>> 0.7 < fit.progress_ratio_ < 0.9
    True
    """
    df = pd.DataFrame(
        _PV, columns=["year", "price_usd_per_wp", "production_mwp", "cumulative_before_mwp"]
    )
    df["year"] = df["year"].astype("int64")
    for col in ("price_usd_per_wp", "production_mwp", "cumulative_before_mwp"):
        df[col] = df[col].astype(float)
    df["cumulative_including_mwp"] = df["cumulative_before_mwp"] + df["production_mwp"]
    return df


# ============================================================================================
# the committed files
# ============================================================================================


def profit_case_data(seed=PROFIT_CASE_SEED) -> dict[str, pd.DataFrame]:
    """The profit-model tables as DataFrames, keyed by dataset name.

    ``seed`` (an int or a numpy Generator, shared by the four case generators in turn) gives
    another draw of the synthetic firms, e.g. one per student; the PV series is public data and
    does not depend on it. With the default seed the frames are exactly the committed files.

    >>> sorted(profit_case_data())[:2]
    ['bookstore_components', 'chemical_cycles']
    """
    return {
        "pv_modules": pv_modules(),
        "bookstore_components": bookstore_components(seed=seed),
        "printer_installed_base": printer_installed_base(seed=seed),
        "chemical_cycles": chemical_cycles(seed=seed),
        "film_slate": film_slate(seed=seed),
    }


_MAKERS: dict[str, Callable[[], pd.DataFrame]] = {
    "pv_modules": pv_modules,
    "bookstore_components": lambda: bookstore_components(seed=PROFIT_CASE_SEED),
    "printer_installed_base": lambda: printer_installed_base(seed=PROFIT_CASE_SEED),
    "chemical_cycles": lambda: chemical_cycles(seed=PROFIT_CASE_SEED),
    "film_slate": lambda: film_slate(seed=PROFIT_CASE_SEED),
}


def _csv_bytes(df: pd.DataFrame) -> bytes:
    buf = _io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def make(name: str) -> Callable[[], bytes]:
    """A function returning the committed bytes of dataset ``name`` (UTF-8 CSV, LF)."""
    maker = _MAKERS[name]
    return lambda: _csv_bytes(maker())


def read(path: Path) -> pd.DataFrame:
    """Read one of the files back with the generator's column types (numbers stay float)."""
    return pd.read_csv(path)
