"""Data for the profit-model lessons (22种利润模型): a public experience-curve series and seeded
synthetic case data of four firms.

The tables themselves are made by :mod:`customer_value.profit_models` (one source for the lesson
code and the library); this module says which of them are committed to ``datasets/``, with
which seed, and turns them into the bytes of the files:

=========================  ====================================  =====================================
name                       file                                  made by
=========================  ====================================  =====================================
``pv_modules``             ``pv_modules_experience_curve.csv``   :func:`profit_models.pv_modules`
``bookstore_components``   ``bookstore_components.csv``          :func:`profit_models.bookstore_components`
``printer_installed_base`` ``printer_installed_base.csv``        :func:`profit_models.printer_installed_base`
``chemical_cycles``        ``chemical_cycles.csv``               :func:`profit_models.chemical_cycles`
``film_slate``             ``film_slate.csv``                    :func:`profit_models.film_slate`
=========================  ====================================  =====================================

The PV series is public data (Santa Fe Institute Performance Curve Database, series
"Photovoltaics"; Nagy, Farmer, Bui & Trancik 2013, *PLOS ONE* 8(2):e52669). The four case
tables are invented (seed :data:`PROFIT_CASE_SEED`, the generators' default, so
``datasets.load("film_slate")`` equals ``profit_models.film_slate()``); their ground truth is
documented in the generators' docstrings and in ``datasets/README.md``.
"""

from __future__ import annotations

import io as _io
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .. import profit_models as _pm

__all__ = ["PROFIT_CASE_SEED", "PROFIT_DATASETS", "profit_case_data"]

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


def profit_case_data(seed=PROFIT_CASE_SEED) -> dict[str, pd.DataFrame]:
    """The profit-model tables as DataFrames, keyed by dataset name.

    ``seed`` (an int or a numpy Generator, shared by the four case generators in turn) gives
    another draw of the synthetic firms, e.g. one per student; the PV series is public data and
    does not depend on it. With the default seed the frames are exactly the committed files.

    >>> sorted(profit_case_data())[:2]
    ['bookstore_components', 'chemical_cycles']
    """
    return {
        "pv_modules": _pm.pv_modules(),
        "bookstore_components": _pm.bookstore_components(seed=seed),
        "printer_installed_base": _pm.printer_installed_base(seed=seed),
        "chemical_cycles": _pm.chemical_cycles(seed=seed),
        "film_slate": _pm.film_slate(seed=seed),
    }


_MAKERS: dict[str, Callable[[], pd.DataFrame]] = {
    "pv_modules": _pm.pv_modules,
    "bookstore_components": lambda: _pm.bookstore_components(seed=PROFIT_CASE_SEED),
    "printer_installed_base": lambda: _pm.printer_installed_base(seed=PROFIT_CASE_SEED),
    "chemical_cycles": lambda: _pm.chemical_cycles(seed=PROFIT_CASE_SEED),
    "film_slate": lambda: _pm.film_slate(seed=PROFIT_CASE_SEED),
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
