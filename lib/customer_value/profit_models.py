"""Slywotzky's 22 profit models (22种利润模型), as a catalogue and as small computable models.

Sources: Slywotzky & Morrison (1997), *The Profit Zone*; Slywotzky (2002), *The Art of
Profitability* (which adds a 23rd model, "digital profit" 数字化利润模型). The catalogue (order,
Chinese names, mechanism, where profit concentrates, examples, the signals in a firm's numbers
that suggest the model) is data, ``data/profit_models.csv``; read it with :func:`catalogue` and
look a model up with :func:`get`.

Every model has one computable form here (its name is the catalogue's ``computable`` column).
Each takes named parameters (or a tidy DataFrame and column names), with defaults that give an
illustrative case, and returns a small result object with ``to_frame()`` (a tidy table),
``summary()`` (the headline figures) and ``plot(ax=None)`` (returns the matplotlib Axes).

=====  ===========================  ============================================================
#      model                        function
=====  ===========================  ============================================================
1      customer solutions           :func:`customer_solutions` (account J-curve, payback)
2      product pyramid              :func:`product_pyramid` (tiers with/without a firewall)
3      multi-component system       :func:`multi_component` (component P&L, ROS, ROA)
4      switchboard                  :func:`switchboard` (convex fee income, tipping share)
5      time / speed                 :func:`time_advantage` (margin decay, value of a lead)
6      blockbuster                  :func:`blockbuster_portfolio` (heavy-tailed Monte Carlo)
7      profit multiplier            :func:`profit_multiplier` (Π = Σ(p−c)q − F)
8      entrepreneurial              :func:`entrepreneurial` (overhead, operating leverage)
9      specialization               :func:`specialization` (specialist margin premium)
10     installed base               :func:`installed_base` (razor and blades)
11     de facto standard            :func:`standard_adoption` (Pólya urn with externality)
12     brand                        :func:`brand_premium` (price premium)
13     specialty product            :func:`specialty_product` (margin decay, pipeline)
14     local leadership             :func:`local_leadership` (density economies)
15     transaction scale            :func:`transaction_scale` (margin(S) = f·S − (F + v·S))
16     value-chain position         :func:`value_chain_profit_pool` (profit pool)
17     cyclical                     :func:`cyclical` (break-even utilisation, DOL)
18     after-sale                   :func:`after_sale` (lifecycle margin with attach rate)
19     new product                  :func:`new_product` (Bass diffusion × falling margin)
20     relative market share        :func:`relative_market_share` (RMS, relative cost)
21     experience curve             :func:`experience_curve`, :func:`fit_experience_curve`
22     low-cost business design     :func:`low_cost_design` (doublings to catch up)
23     digital profit (2002)        :func:`digital_profit`
=====  ===========================  ============================================================

Synthetic case data (seeded, deterministic): :func:`bookstore_components`,
:func:`printer_installed_base`, :func:`chemical_cycles`, :func:`film_slate`. Public data:
:func:`pv_modules` (photovoltaic module prices 1976–2003, Santa Fe Institute Performance Curve
Database; Nagy, Farmer, Bui & Trancik 2013), also committed as
``datasets/pv_modules_experience_curve.csv``.

A firm's own figures (segment P&L, unit-cost history, market share, capacity, installed base),
as a YAML file, are read and validated by :func:`read_firm_figures`; :meth:`FirmFigures.models`
runs the matching models (the input of the ``profit_model_report`` report template).

The illustrative defaults are teaching numbers, not facts about the firms named in the catalogue.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from .io import InputError, example_rows

__all__ = [
    # catalogue
    "DRIVERS",
    "ProfitModel",
    "UnknownProfitModel",
    "catalogue",
    "get",
    # the 22 (+1) computable models
    "customer_solutions",
    "product_pyramid",
    "multi_component",
    "switchboard",
    "time_advantage",
    "blockbuster_portfolio",
    "profit_multiplier",
    "entrepreneurial",
    "specialization",
    "installed_base",
    "standard_adoption",
    "standard_choice_probability",
    "brand_premium",
    "specialty_product",
    "local_leadership",
    "transaction_scale",
    "value_chain_profit_pool",
    "cyclical",
    "after_sale",
    "new_product",
    "bass_cumulative",
    "relative_market_share",
    "experience_curve",
    "fit_experience_curve",
    "low_cost_design",
    "digital_profit",
    # result objects
    "ModelResult",
    "ExperienceCurveFit",
    # a firm's own figures (the profit-model report's input)
    "FIRM_SECTIONS",
    "FirmFigures",
    "read_firm_figures",
    # data
    "bookstore_components",
    "printer_installed_base",
    "chemical_cycles",
    "film_slate",
    "pv_modules",
]

_SOURCE = "Slywotzky & Morrison (1997), The Profit Zone"


# ============================================================================================
# validation helpers
# ============================================================================================


def _fmt(v) -> str:
    if isinstance(v, (float, np.floating)) and float(v).is_integer() and abs(v) < 1e15:
        return str(int(v))
    return f"{v:g}" if isinstance(v, (float, np.floating)) else repr(v)


def _array(name: str, value, *, allow_empty: bool = False) -> np.ndarray:
    """``value`` as a 1-d float array; NaN, infinite or non-numeric entries raise ValueError."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric; got {value!r}") from None
    arr = np.atleast_1d(arr)
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be a number or a 1-d sequence of numbers; got shape {arr.shape}"
        )
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty")
    bad = ~np.isfinite(arr)
    if bad.any():
        raise ValueError(f"{name} must be finite; got {_offending(arr, bad)}")
    return arr


def _offending(arr: np.ndarray, bad: np.ndarray, limit: int = 5) -> str:
    idx = np.flatnonzero(bad)
    if arr.size == 1:
        return _fmt(arr[0])
    shown = ", ".join(f"{_fmt(arr[i])} (position {i})" for i in idx[:limit])
    more = len(idx) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def _check(
    name: str,
    value,
    *,
    lo=None,
    hi=None,
    lo_open=False,
    hi_open=False,
    integer=False,
    scalar=False,
    allow_inf=False,
):
    """Validate a number or a 1-d array against an interval; return it as float (or array).

    The error names the argument, the allowed interval and the offending value(s).
    """
    if scalar and np.ndim(value) != 0:
        raise ValueError(f"{name} must be a single number; got {value!r}")
    if allow_inf:
        try:
            arr = np.atleast_1d(np.asarray(value, dtype=float))
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be numeric; got {value!r}") from None
        if np.isnan(arr).any():
            raise ValueError(f"{name} must not be NaN; got {value!r}")
    else:
        arr = _array(name, value)
    bad = np.zeros(arr.shape, dtype=bool)
    if lo is not None:
        bad |= (arr <= lo) if lo_open else (arr < lo)
    if hi is not None:
        bad |= (arr >= hi) if hi_open else (arr > hi)
    if integer:
        bad |= np.isfinite(arr) & (arr != np.round(arr))
    if bad.any():
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        lo_s = "-inf" if lo is None else _fmt(lo)
        hi_s = "inf" if hi is None else _fmt(hi)
        if hi is None and lo is not None:
            rule = f"> {lo_s}" if lo_open else f">= {lo_s}"
        elif lo is None and hi is not None:
            rule = f"< {hi_s}" if hi_open else f"<= {hi_s}"
        else:
            rule = f"in {left}{lo_s}, {hi_s}{right}"
        kind = "an integer " if integer else ""
        raise ValueError(f"{name} must be {kind}{rule}; got {_offending(arr, bad)}")
    if np.ndim(value) == 0:
        return int(arr[0]) if integer else float(arr[0])
    return arr.astype(int) if integer else arr


def _rng(seed) -> np.random.Generator:
    """A numpy Generator from ``seed`` (int, None or a Generator, which is used as it is)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an int, None or a numpy Generator; got {seed!r}")
    return np.random.default_rng(seed)


def _columns(data, name: str, columns: dict[str, str | None]) -> pd.DataFrame:
    """Check that ``data`` is a DataFrame holding ``columns`` (argument -> column name)."""
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"{name}: data must be a pandas DataFrame; got {type(data).__name__}")
    missing = {arg: col for arg, col in columns.items() if col is not None and col not in data}
    if missing:
        shown = ", ".join(f"{arg}={col!r}" for arg, col in missing.items())
        raise ValueError(
            f"{name}: column(s) not in data: {shown}; data has columns "
            f"{list(map(str, data.columns))}"
        )
    return data


def _numeric_column(
    data: pd.DataFrame,
    column: str,
    func: str,
    *,
    lo=0.0,
    lo_open=True,
    hi=None,
    what: str | None = None,
) -> np.ndarray:
    """A numeric column with no missing values inside an interval; else an InputError (a
    ValueError) naming the column and showing the offending rows."""
    raw = data[column]
    values = pd.to_numeric(raw, errors="coerce").astype(float)
    missing = values.isna()
    if missing.any():
        raise InputError(
            f"{func}: column {column!r} has missing or non-numeric values in "
            f"{int(missing.sum())} row(s):\n" + example_rows(data, missing.to_numpy(), [column]),
            columns=[column],
        )
    bad = pd.Series(False, index=data.index)
    if lo is not None:
        bad |= (values <= lo) if lo_open else (values < lo)
    if hi is not None:
        bad |= values > hi
    if bad.any():
        rule = what or (f"> {_fmt(lo)}" if lo_open else f">= {_fmt(lo)}")
        raise InputError(
            f"{func}: column {column!r} must be {rule}; offending "
            f"{int(bad.sum())} row(s):\n" + example_rows(data, bad.to_numpy(), [column]),
            columns=[column],
        )
    return values.to_numpy()


def _pv_factors(periods: int, rate: float) -> np.ndarray:
    """Discount factors 1/(1+r)^t for t = 1..periods."""
    return (1.0 + rate) ** -np.arange(1, periods + 1, dtype=float)


def _new_ax(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


# ============================================================================================
# result objects
# ============================================================================================


@dataclass
class ModelResult:
    """Result of a computable profit model.

    ``table`` is the tidy result table (:meth:`to_frame`), ``figures`` the headline numbers
    (:meth:`summary`), ``params`` the inputs used. Attribute access falls through to
    ``figures``, so ``res.payback_period`` is ``res.summary()["payback_period"]``.
    """

    model: str
    table: pd.DataFrame
    figures: dict[str, Any]
    params: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def __getattr__(self, name):
        figures = self.__dict__.get("figures", {})
        if name in figures:
            return figures[name]
        extra = self.__dict__.get("extra", {})
        if name in extra:
            return extra[name]
        raise AttributeError(
            f"{type(self).__name__} of {self.__dict__.get('model')!r} has no "
            f"attribute {name!r}; headline figures: {sorted(figures)}"
        )

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.figures) | set(self.extra))

    def to_frame(self) -> pd.DataFrame:
        """The tidy result table (a copy)."""
        return self.table.copy()

    def summary(self) -> pd.Series:
        """The headline figures as a Series named after the model."""
        return pd.Series(self.figures, name=self.model, dtype=object)

    def plot(self, ax=None):
        """Plot the model's standard chart; returns the matplotlib Axes."""
        ax = _new_ax(ax)
        _PLOTTERS[self.model](self, ax)
        return ax

    def _repr_html_(self):  # notebooks show the headline figures, not a dataclass dump
        return self.summary().to_frame().to_html()


_PLOTTERS: dict[str, Any] = {}


def _plotter(model: str):
    def deco(fn):
        _PLOTTERS[model] = fn
        return fn

    return deco


# ============================================================================================
# the catalogue
# ============================================================================================

_SEE_ALSO = {
    "experience_curve": ["fit_experience_curve"],
    "standard_adoption": ["standard_choice_probability"],
    "new_product": ["bass_cumulative"],
}

_CATALOGUE_COLUMNS = [
    "number",
    "name_en",
    "name_zh",
    "mechanism_en",
    "mechanism_zh",
    "profit_concentrates_en",
    "profit_concentrates_zh",
    "examples",
    "signals",
    "related",
    "computable",
    "driver",
    "appendix",
]

#: What drives the profit of each model (the catalogue's ``driver`` column), in tour order:
#: key -> (English label, Chinese label, the question the group answers). The grouping is the
#: course's, not Slywotzky's: The Profit Zone presents the models one by one.
DRIVERS = {
    "customer": (
        "customer",
        "客户",
        ("What does the customer buy from us after, around and beyond the first sale?"),
    ),
    "product": (
        "product",
        "产品",
        ("How is the offer built: tiers, hits, reuse, a premium, uniqueness?"),
    ),
    "scale": (
        "scale and cost",
        "规模与成本",
        ("How does volume (per deal, per unit, cumulative, per organisation) move unit cost?"),
    ),
    "time": ("time", "时间", "When in the product's or the industry's cycle is the profit made?"),
    "position": (
        "position",
        "位置",
        ("Where does the firm sit: in a network, a standard, a territory, a value chain?"),
    ),
}


@functools.lru_cache(maxsize=1)
def _catalogue_raw() -> pd.DataFrame:
    with (
        resources.files("customer_value")
        .joinpath("data/profit_models.csv")
        .open("r", encoding="utf-8") as fh
    ):
        df = pd.read_csv(fh, dtype=str, keep_default_na=False)
    df["number"] = df["number"].astype(int)
    df["appendix"] = df["appendix"].map({"True": True, "False": False}).astype(bool)
    return df[_CATALOGUE_COLUMNS]


def catalogue(lang: str = "en", include_appendix: bool = False) -> pd.DataFrame:
    """The profit-model catalogue as a DataFrame, one row per model in *The Profit Zone* order.

    ``lang="en"`` gives columns number, name (English), name_zh, mechanism, profit_concentrates,
    examples, signals, related, computable, driver; ``lang="zh"`` gives the Chinese name and texts in
    ``name``/``mechanism``/``profit_concentrates`` (with ``name_en`` beside ``name``);
    ``lang="all"`` gives every column of the data file. ``include_appendix=True`` adds model 23,
    "digital profit" (数字化利润模型) from Slywotzky (2002), and an ``appendix`` column.
    ``driver`` (the same key in every language) says what drives the model's profit: customer,
    product, scale, time or position (labels and Chinese names in :data:`DRIVERS`; the grouping
    is this course's).

    Source: Slywotzky & Morrison (1997), *The Profit Zone*; Slywotzky (2002), *The Art of
    Profitability*.

    >>> catalogue().loc[20, "name"]
    'experience curve'
    """
    if lang not in ("en", "zh", "all"):
        raise ValueError(f"lang must be 'en', 'zh' or 'all'; got {lang!r}")
    df = _catalogue_raw()
    if not include_appendix:
        df = df[~df["appendix"]]
    df = df.reset_index(drop=True)
    if lang == "all":
        return df.copy() if include_appendix else df.drop(columns="appendix")
    other = "zh" if lang == "en" else "en"
    out = pd.DataFrame(
        {
            "number": df["number"],
            "name": df[f"name_{lang}"],
            f"name_{other}": df[f"name_{other}"],
            "mechanism": df[f"mechanism_{lang}"],
            "profit_concentrates": df[f"profit_concentrates_{lang}"],
            "examples": df["examples"],
            "signals": df["signals"],
            "related": df["related"],
            "computable": df["computable"],
            "driver": df["driver"],
        }
    )
    if include_appendix:
        out["appendix"] = df["appendix"]
    return out


@dataclass(frozen=True)
class ProfitModel:
    """One profit model of the catalogue (see :func:`get`)."""

    number: int
    name_en: str
    name_zh: str
    mechanism_en: str
    mechanism_zh: str
    profit_concentrates_en: str
    profit_concentrates_zh: str
    examples: str
    signals: str
    related: tuple[int, ...]
    computable: str
    driver: str = ""
    appendix: bool = False

    @property
    def function(self):
        """The computable model in this module (a function)."""
        return globals()[self.computable]

    def related_models(self) -> list[ProfitModel]:
        """The related models as records."""
        return [get(n) for n in self.related]

    def card(self, lang: str = "en") -> str:
        """A printable model card in English (``"en"``) or Chinese (``"zh"``)."""
        if lang not in ("en", "zh"):
            raise ValueError(f"lang must be 'en' or 'zh'; got {lang!r}")
        rel_names = {m.number: (m.name_en, m.name_zh) for m in map(get, self.related)}
        source = "Slywotzky (2002), The Art of Profitability" if self.appendix else _SOURCE
        funcs = [self.computable] + _SEE_ALSO.get(self.computable, [])
        calls = ", ".join(f"{fn}()" for fn in funcs)
        compute = f"customer_value.profit_models: {calls}"
        if lang == "en":
            rel = "; ".join(f"#{n} {rel_names[n][0]}" for n in self.related)
            title = f"#{self.number} {self.name_en.capitalize()} · {self.name_zh}"
            fields = [
                ("Mechanism", self.mechanism_en),
                (
                    "Profit driver",
                    DRIVERS[self.driver][0] if self.driver in DRIVERS else self.driver,
                ),
                ("Profit concentrates", self.profit_concentrates_en),
                ("Examples", self.examples),
                ("Signals", self.signals),
                ("Related models", rel),
                ("Compute", compute),
                ("Source", source),
            ]
            lines = [title, "=" * _width(title)]
            for label, text in fields:
                lines.append(
                    textwrap.fill(
                        text,
                        width=96,
                        initial_indent=f"{label + ':':<21}",
                        subsequent_indent=" " * 21,
                    )
                )
        else:
            rel = "；".join(f"#{n} {rel_names[n][1]}" for n in self.related)
            title = f"#{self.number} {self.name_zh} · {self.name_en}"
            lines = [
                title,
                "=" * _width(title),
                f"机制：{self.mechanism_zh}",
                f"利润驱动：{DRIVERS[self.driver][1] if self.driver in DRIVERS else self.driver}",
                f"利润区：{self.profit_concentrates_zh}",
                f"案例：{self.examples}",
                f"数据中的信号 (signals)：{self.signals}",
                f"相关模型：{rel}",
                f"计算：{compute}",
                f"来源：{source}",
            ]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.card()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _norm_en(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = re.sub(r"[\s\-_/·.]+", "", text)
    for suffix in ("profitmodel", "model", "profit"):
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    return text


def _norm_zh(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text))
    text = re.sub(r"[\s\"“”「」'‘’]+", "", text)
    for suffix in ("模型", "模式", "利润"):  # "售后利润模型", "售后利润" and "售后" are one model
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
    return text


@functools.lru_cache(maxsize=1)
def _records() -> dict[int, ProfitModel]:
    out = {}
    for row in _catalogue_raw().itertuples(index=False):
        d = row._asdict()
        d["number"] = int(d["number"])
        d["appendix"] = bool(d["appendix"])
        d["related"] = tuple(int(x) for x in str(d["related"]).split(";") if x.strip())
        out[d["number"]] = ProfitModel(**d)
    return out


@functools.lru_cache(maxsize=1)
def _keys() -> dict[str, int]:
    keys: dict[str, int] = {}
    for n, m in _records().items():
        names = [m.name_en, m.computable] + [p for p in m.name_en.split("/")]
        for name in names:
            keys[_norm_en(name)] = n
        keys[_norm_zh(m.name_zh)] = n
        keys[m.name_zh] = n
    return keys


class UnknownProfitModel(KeyError, ValueError):
    """No profit model with this number or name (a KeyError and a ValueError)."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else ""


def get(key: int | str) -> ProfitModel:
    """Look a profit model up by number (1–23), English name or Chinese name.

    English names are matched ignoring case, spaces, hyphens and a trailing "profit"/"model"
    ("experience curve", "Experience-Curve", "experience curve profit"; the function name, e.g.
    "transaction_scale", also works); Chinese names with or without 模型 and quotation marks
    ("经验曲线模型", "经验曲线", "卖座大片"). An unknown key raises :class:`UnknownProfitModel`
    (a ``KeyError`` and a ``ValueError``) listing the closest names (difflib).

    Source: Slywotzky & Morrison (1997), *The Profit Zone*.

    >>> get("经验曲线模型").number
    21
    """
    records = _records()
    if isinstance(key, (bool, np.bool_)):
        raise UnknownProfitModel(f"profit model key must be a number or a name; got {key!r}")
    if isinstance(key, (int, np.integer)):
        if int(key) in records:
            return records[int(key)]
        raise UnknownProfitModel(
            f"no profit model number {key}; numbers are 1–22 (and 23, the "
            "appendix model 'digital profit')"
        )
    if isinstance(key, str):
        if key.strip().isdigit():
            return get(int(key.strip()))
        keys = _keys()
        for k in (_norm_en(key), _norm_zh(key)):
            if k in keys:
                return records[keys[k]]
        names = [m.name_en for m in records.values()] + [m.name_zh for m in records.values()]
        close = difflib.get_close_matches(key, names, n=4, cutoff=0.5)
        if not close:  # try on normalised names (e.g. 'experiencecurv')
            norm = {_norm_en(m.name_en): m.name_en for m in records.values()}
            close = [
                norm[c]
                for c in difflib.get_close_matches(_norm_en(key), list(norm), n=4, cutoff=0.5)
            ]
        hint = (
            f"; did you mean {', '.join(repr(c) for c in close)}?"
            if close
            else "; see catalogue() for the names"
        )
        raise UnknownProfitModel(f"unknown profit model {key!r}{hint}")
    raise UnknownProfitModel(f"profit model key must be a number or a name; got {key!r}")


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
    inv = _check("upfront_investment", upfront_investment, lo=0, scalar=True)
    m = _check("period_margin", period_margin, lo=0, scalar=True)
    sc = _check("service_cost", service_cost, lo=0, scalar=True)
    ramp = _check("ramp_periods", ramp_periods, lo=0, integer=True, scalar=True)
    T = _check("periods", periods, lo=1, integer=True, scalar=True)
    r = _check("discount_rate", discount_rate, lo=-1, lo_open=True, scalar=True)
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
    trough_at = int(np.argmin(table["cumulative"]))
    figures = {
        "payback_period": _payback(cash),
        "discounted_payback_period": _payback(disc),
        "npv": float(disc.sum()),
        "trough": float(table["cumulative"].min()),
        "trough_period": trough_at,
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
    return ModelResult("customer_solutions", table, figures, params)


@_plotter("customer_solutions")
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
    but protects the top.

    Source: Slywotzky & Morrison (1997), "Product pyramid profit" (Mattel's Barbie: base,
    mid-range and collector tiers); the entrant-spillover form is this library's illustration.
    Default prices are illustrative (the Barbie price points are to be checked).

    >>> res = product_pyramid()
    >>> res.profit_with, res.profit_without   # 2e6 + 3.9e6 + 5.5e6; 0.8·(3.9e6 + 5.5e6)
    (11400000.0, 7520000.0)
    """
    p = _check("price", price, lo=0, lo_open=True)
    c = _check("unit_cost", unit_cost, lo=0)
    q = _check("volume", volume, lo=0)
    names = [str(x) for x in (tiers if not isinstance(tiers, str) else [tiers])]
    n = p.size
    if not (c.size == q.size == len(names) == n):
        raise ValueError(
            f"price, unit_cost, volume and tiers must have the same length; got "
            f"{p.size}, {c.size}, {q.size} and {len(names)}"
        )
    if n < 2:
        raise ValueError(f"a product pyramid needs at least 2 tiers; got {n}")
    base = int(np.argmin(p))
    spill = _check("spillover", spillover, lo=0, hi=1)
    spill = np.atleast_1d(spill)
    if spill.size == 1:
        spill = np.repeat(spill, n - 1)
    if spill.size != n - 1:
        raise ValueError(
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
                    "margin_pct": unit_margin / p,
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
    return ModelResult("product_pyramid", table, figures, params)


@_plotter("product_pyramid")
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
# 3 multi-component system
# ============================================================================================


def multi_component(
    data: pd.DataFrame | None = None,
    component: str = "component",
    revenue: str = "revenue",
    cost: str = "cost",
    assets: str | None = "assets",
) -> ModelResult:
    """Component P&L of a multi-component system: profit, return on sales and on assets.

    For each component (channel, occasion, customer type): profit = revenue − cost, return on
    sales ROS = profit / revenue, return on assets ROA = profit / assets, and its shares of
    revenue and profit. ``data=None`` uses :func:`bookstore_components` (seed 0).

    Source: Slywotzky & Morrison (1997), "Multi-component system profit" (Coca-Cola by
    channel, hotels, bookstores); ROS/ROA as in the DuPont analysis (ROA = ROS × asset turnover).

    >>> df = pd.DataFrame({"component": ["store", "institutional"], "revenue": [100, 20],
    ...                    "cost": [97, 17], "assets": [60, 5]})
    >>> multi_component(df).to_frame()["roa"].round(2).tolist()
    [0.05, 0.6]
    """
    if data is None:
        data = bookstore_components()
    _columns(
        data,
        "multi_component",
        {"component": component, "revenue": revenue, "cost": cost, "assets": assets},
    )
    f = "multi_component"
    rev = _numeric_column(data, revenue, f)
    cst = _numeric_column(data, cost, f, lo=0, lo_open=False)
    profit = rev - cst
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
    table["revenue_share"] = rev / rev.sum()
    table["profit_share"] = profit / profit.sum() if profit.sum() != 0 else np.nan
    figures = {
        "total_revenue": float(rev.sum()),
        "total_profit": float(profit.sum()),
        "total_ros": float(profit.sum() / rev.sum()),
    }
    if assets is not None:
        figures["total_roa"] = float(profit.sum() / table["assets"].sum())
        best = table.loc[table["roa"].idxmax(), "component"]
    else:
        best = table.loc[table["ros"].idxmax(), "component"]
    figures["most_profitable_component"] = best
    return ModelResult(
        "multi_component",
        table,
        figures,
        {"component": component, "revenue": revenue, "cost": cost, "assets": assets},
    )


@_plotter("multi_component")
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
# 4 switchboard
# ============================================================================================


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
    Defaults put the tipping share at 17.5% and break-even at 18.5%.

    Sources: Slywotzky & Morrison (1997), "Switchboard profit" (CAA, Schwab OneSource);
    Shapiro & Varian (1999), *Information Rules*, ch. 7 (positive feedback, tipping); Metcalfe's
    law as popularised by Gilder (1993).

    >>> res = switchboard(share=[0.1, 0.2])
    >>> res.to_frame()["fee_income"].tolist()      # 0.4·(100²)/2, 0.4·(200²)/2
    [2000.0, 8000.0]
    """
    s = _check("share", np.linspace(0, 1, 101) if share is None else share, lo=0, hi=1)
    N = _check("participants", participants, lo=0, lo_open=True, scalar=True)
    v = _check("connection_value", connection_value, lo=0, scalar=True)
    phi = _check("fee", fee, lo=0, scalar=True)
    k = _check("joining_cost", joining_cost, lo=0, scalar=True)
    F = _check("fixed_cost", fixed_cost, lo=0, scalar=True)
    c = _check("member_cost", member_cost, lo=0, scalar=True)
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
    return ModelResult("switchboard", table, figures, params)


@_plotter("switchboard")
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

    Without a lead, imitators arrive at launch and the margin decays from the start:
    m(t) = m₀·e^(−λt). With a lead of k months the innovator keeps m₀ until the imitators
    arrive at k, then m(t) = m₀·e^(−λ(t−k)). Profit is ∫ R·m(t)·e^(−rt) dt over the horizon
    (continuous time, monthly rates). With r = 0 and an infinite horizon the lead is worth
    exactly R·m₀·k. ``half_life`` = ln 2 / λ is how long it takes imitators to halve the margin.

    Sources: Slywotzky & Morrison (1997), "Time profit" (Intel); exponential margin erosion
    as in Mansfield, Schwartz & Wagner (1981), "Imitation costs and patents", *Economic Journal*
    91 (imitation lag) and standard first-mover analysis (Lieberman & Montgomery 1988).

    >>> res = time_advantage(horizon_months=float("inf"))
    >>> round(res.value_of_lead, 6)     # 100·0.6·6
    360.0
    """
    m0 = _check("initial_margin", initial_margin, lo=0, scalar=True)
    lam = _check("decay_rate", decay_rate, lo=0, scalar=True)
    k = _check("lead_months", lead_months, lo=0, scalar=True)
    R = _check("revenue_per_month", revenue_per_month, lo=0, scalar=True)
    H = _check("horizon_months", horizon_months, lo=0, lo_open=True, scalar=True, allow_inf=True)
    r = _check("discount_rate", discount_rate, lo=0, scalar=True)
    if math.isinf(H) and lam + r == 0:
        raise ValueError(
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
    return ModelResult("time_advantage", table, figures, params)


@_plotter("time_advantage")
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
    n = _check("n_projects", n_projects, lo=1, integer=True, scalar=True)
    cost = _check("cost_per_project", cost_per_project, lo=0, scalar=True)
    sims = _check("n_sims", n_sims, lo=1, integer=True, scalar=True)
    rng = _rng(seed)
    if distribution == "lognormal":
        med = _check("median_payoff", median_payoff, lo=0, lo_open=True, scalar=True)
        sd = _check("sigma", sigma, lo=0, scalar=True)
        draws = med * np.exp(sd * rng.standard_normal((sims, n)))
        mean_payoff = med * math.exp(sd**2 / 2)
    elif distribution == "pareto":
        a = _check("pareto_alpha", pareto_alpha, lo=0, lo_open=True, scalar=True)
        xm = _check("pareto_minimum", pareto_minimum, lo=0, lo_open=True, scalar=True)
        draws = xm * (1.0 + rng.pareto(a, size=(sims, n)))
        mean_payoff = a * xm / (a - 1) if a > 1 else float("inf")
    elif distribution == "empirical":
        if payoffs is None:
            raise ValueError("distribution='empirical' needs payoffs= (observed payoffs)")
        obs = _check("payoffs", payoffs, lo=0)
        draws = rng.choice(np.atleast_1d(obs), size=(sims, n), replace=True)
        mean_payoff = float(np.mean(obs))
    else:
        raise ValueError(
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
    return ModelResult("blockbuster_portfolio", table, figures, params)


@_plotter("blockbuster_portfolio")
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
    set of formats (film, home video, merchandise, stage musical, books).

    Source: Slywotzky & Morrison (1997), "Profit multiplier model" (Disney); the contribution
    arithmetic is standard cost-volume-profit analysis.

    >>> df = pd.DataFrame({"format": ["film", "toys"], "price": [10, 5], "unit_cost": [6, 2],
    ...                    "volume": [100, 50]})
    >>> profit_multiplier(df, fixed_cost=300).total_profit     # 4·100 + 3·50 − 300
    250.0
    """
    if data is None:
        data = _MULTIPLIER_DEFAULT
    _columns(
        data,
        "profit_multiplier",
        {"format": format, "price": price, "unit_cost": unit_cost, "volume": volume},
    )
    f = "profit_multiplier"
    p = _numeric_column(data, price, f, lo=0, lo_open=False)
    c = _numeric_column(data, unit_cost, f, lo=0, lo_open=False)
    q = _numeric_column(data, volume, f, lo=0, lo_open=False)
    F = _check("fixed_cost", fixed_cost, lo=0, scalar=True)
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
    total = float(contrib.sum() - F)
    crossing = np.flatnonzero(table["cumulative_profit"].to_numpy() >= 0)
    figures = {
        "total_contribution": float(contrib.sum()),
        "fixed_cost": F,
        "total_profit": total,
        "multiplier": float(contrib.sum() / contrib[0]) if contrib[0] != 0 else np.nan,
        "formats_to_break_even": int(crossing[0] + 1) if crossing.size else None,
    }
    return ModelResult(
        "profit_multiplier",
        table,
        figures,
        {
            "format": format,
            "price": price,
            "unit_cost": unit_cost,
            "volume": volume,
            "fixed_cost": F,
        },
    )


@_plotter("profit_multiplier")
def _plot_profit_multiplier(res, ax):
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
    Degree of operating leverage
    DOL = contribution / profit. Total overhead a·R^θ·n^(1−θ) + u·n is smallest at
    n* = (a·R^θ·(θ − 1) / u)^(1/θ) (``optimal_units``, with no uplift).

    Sources: Slywotzky & Morrison (1997), "Entrepreneurial profit" (ABB, Thermo Electron);
    Williamson (1967), "Hierarchical control and optimum firm size", *Journal of Political
    Economy* 75(2) (control loss); DOL as in Horngren et al., *Cost Accounting*.

    >>> res = entrepreneurial(overhead_scale=1e-4, overhead_exponent=2, unit_fixed_cost=5)
    >>> res.profit_big, res.profit_small     # 300 − (100 + 5); 300 − 10·(1 + 5)
    (195.0, 240.0)
    """
    R = _check("revenue", revenue, lo=0, lo_open=True, scalar=True)
    n = _check("n_units", n_units, lo=1, integer=True, scalar=True)
    cm = _check("contribution_margin", contribution_margin, lo=0, hi=1, scalar=True)
    a = _check("overhead_scale", overhead_scale, lo=0, scalar=True)
    theta = _check("overhead_exponent", overhead_exponent, lo=0, lo_open=True, scalar=True)
    u = _check("unit_fixed_cost", unit_fixed_cost, lo=0, scalar=True)
    up = _check("revenue_uplift", revenue_uplift, lo=-1, lo_open=True, scalar=True)
    top = (
        max(2 * n, 20)
        if max_units is None
        else _check("max_units", max_units, lo=1, integer=True, scalar=True)
    )

    def design(units, uplift):
        rev = R * (1 + uplift)
        contribution = cm * rev
        overhead = units * (a * (rev / units) ** theta + u)
        profit = contribution - overhead
        return rev, contribution, overhead, profit

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
                "overhead_pct": ovh / rev,
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
    )
    curve = curve[["units", "revenue", "contribution", "overhead", "profit"]]
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
    return ModelResult("entrepreneurial", table, figures, params, extra={"by_units": curve})


@_plotter("entrepreneurial")
def _plot_entrepreneurial(res, ax):
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
    ``price_premium``: p_s = p·(1 + premium). The premium in margin points is
    (p_s − c_s)/p_s − (p − c_g)/p. Defaults give ≈ 14.5 points (the 10–15 points quoted in the
    source material, a figure to check).

    Sources: Slywotzky & Morrison (1997), "Specialist profit" (EDS); Porter (1980),
    *Competitive Strategy* (focus); experience curve: Wright (1936), Henderson (BCG, 1968).

    >>> res = specialization(segments=2, learning_share=1, price_premium=0)
    >>> round(res.margin_premium_points, 6)    # c_s = 90·0.8 = 72: 28% − 10%
    18.0
    """
    p = _check("price", price, lo=0, lo_open=True, scalar=True)
    cg = _check("generalist_unit_cost", generalist_unit_cost, lo=0, scalar=True)
    k = _check("segments", segments, lo=1, scalar=True)
    pr = _check("progress_ratio", progress_ratio, lo=0, hi=1, lo_open=True, scalar=True)
    phi = _check("learning_share", learning_share, lo=0, hi=1, scalar=True)
    prem = _check("price_premium", price_premium, lo=-1, lo_open=True, scalar=True)
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
            "margin_pct": [(p - cg) / p, (ps - cs) / ps],
        }
    )
    figures = {
        "cost_ratio": ratio,
        "generalist_margin": (p - cg) / p,
        "specialist_margin": (ps - cs) / ps,
        "margin_premium_points": 100 * ((ps - cs) / ps - (p - cg) / p),
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
    return ModelResult("specialization", table, figures, params)


@_plotter("specialization")
def _plot_specialization(res, ax):
    t = res.table
    ax.bar(t["firm"], 100 * t["margin_pct"], color=["#b0b0b0", "#264653"])
    ax.set(
        ylabel="margin (%)", title=f"Specialization: +{res.margin_premium_points:.1f} margin points"
    )


# ============================================================================================
# 10 installed base and 18 after-sale: lifetime margin
# ============================================================================================


def _lifetime(upfront_margin, per_period, periods, survival, rate):
    t = np.arange(1, periods + 1)
    surv = survival ** (t - 1)
    expected = per_period * surv
    pv = expected * _pv_factors(periods, rate)
    table = pd.DataFrame(
        {
            "period": t,
            "survival": surv,
            "expected_margin": expected,
            "discount_factor": _pv_factors(periods, rate),
            "pv_margin": pv,
            "cumulative_lifetime_margin": upfront_margin + np.cumsum(pv),
        }
    )
    first = pd.DataFrame(
        {
            "period": [0],
            "survival": [1.0],
            "expected_margin": [upfront_margin],
            "discount_factor": [1.0],
            "pv_margin": [upfront_margin],
            "cumulative_lifetime_margin": [upfront_margin],
        }
    )
    return pd.concat([first, table], ignore_index=True), float(pv.sum())


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
    a share ``capture_rate`` of them from the maker (the rest from clones/refills), each earning
    p_c − c_c. Lifetime margin = (p_h − c_h) + Σₜ (p_c − c_c)·q·capture·retention^(t−1)/(1+r)^t.
    The break-even subsidy is the PV of consumable margin: the largest hardware loss that still
    leaves the lifetime margin ≥ 0 (break-even hardware price = c_h − PV).

    Sources: Slywotzky & Morrison (1997), "Installed base profit" (Gillette, HP); customer
    lifetime value with retention as in Gupta & Lehmann (2003), "Customers as assets", *Journal
    of Interactive Marketing* 17(1).

    >>> res = installed_base(retention=1, capture_rate=1, discount_rate=0)
    >>> res.lifetime_margin                   # −20 + 4 periods · 4 · (30 − 8)
    332.0
    """
    ph = _check("hardware_price", hardware_price, lo=0, scalar=True)
    ch = _check("hardware_cost", hardware_cost, lo=0, scalar=True)
    pc = _check("consumable_price", consumable_price, lo=0, scalar=True)
    cc = _check("consumable_cost", consumable_cost, lo=0, scalar=True)
    q = _check("consumables_per_period", consumables_per_period, lo=0, scalar=True)
    T = _check("periods", periods, lo=1, integer=True, scalar=True)
    ret = _check("retention", retention, lo=0, hi=1, scalar=True)
    cap = _check("capture_rate", capture_rate, lo=0, hi=1, scalar=True)
    r = _check("discount_rate", discount_rate, lo=-1, lo_open=True, scalar=True)
    table, pv = _lifetime(ph - ch, (pc - cc) * q * cap, T, ret, r)
    life = (ph - ch) + pv
    figures = {
        "hardware_margin": ph - ch,
        "consumables_pv": pv,
        "lifetime_margin": life,
        "break_even_subsidy": pv,
        "break_even_hardware_price": ch - pv,
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
    return ModelResult("installed_base", table, figures, params)


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


_plotter("installed_base")(
    lambda res, ax: _plot_lifetime(res, ax, "Installed base: razor-and-blades lifetime margin")
)


# ============================================================================================
# 11 de facto standard
# ============================================================================================


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
    n = _check("installed", installed, lo=0)
    g = _check("network_exponent", network_exponent, lo=0, scalar=True)
    a = np.broadcast_to(_check("intrinsic", intrinsic, lo=0), n.shape)
    w = a + n**g
    if w.sum() <= 0:
        raise ValueError("installed and intrinsic are all 0: no standard can be chosen")
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
    N = _check("n_adopters", n_adopters, lo=1, integer=True, scalar=True)
    init = _check("initial", initial, lo=0)
    if init.size < 2:
        raise ValueError(
            f"initial must give the installed base of at least 2 standards; got {initial!r}"
        )
    g = _check("network_exponent", network_exponent, lo=0, scalar=True)
    a = np.broadcast_to(_check("intrinsic", intrinsic, lo=0), init.shape).astype(float)
    if (a + init**g).sum() <= 0:
        raise ValueError("initial and intrinsic are all 0: no standard can be chosen")
    runs = _check("n_runs", n_runs, lo=1, integer=True, scalar=True)
    thr = _check("tipping_threshold", tipping_threshold, lo=0.5, hi=1, lo_open=True, scalar=True)
    rng = _rng(seed)
    k = init.size
    counts = np.tile(init, (runs, 1))
    u = rng.random((N, runs))
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
    return ModelResult("standard_adoption", table, figures, params, extra={"paths": paths})


@_plotter("standard_adoption")
def _plot_standard_adoption(res, ax):
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
    brand_investment / (p_b − p_g − (c − c_g)).

    Sources: Slywotzky & Morrison (1997), "Brand profit" (Coca-Cola); Aaker (1996),
    "Measuring brand equity across products and markets", *California Management Review*
    38(3).

    >>> res = brand_premium()
    >>> round(res.price_premium, 4), res.premium_profit    # 1/0.6 − 1; 0.4·1e9 − 2e8
    (0.6667, 200000000.0)
    """
    pb = _check("branded_price", branded_price, lo=0, lo_open=True, scalar=True)
    pg = _check("generic_price", generic_price, lo=0, lo_open=True, scalar=True)
    c = _check("unit_cost", unit_cost, lo=0, scalar=True)
    cg = (
        c
        if generic_unit_cost is None
        else _check("generic_unit_cost", generic_unit_cost, lo=0, scalar=True)
    )
    q = _check("volume", volume, lo=0, scalar=True)
    B = _check("brand_investment", brand_investment, lo=0, scalar=True)
    table = pd.DataFrame(
        {
            "product": ["branded", "generic"],
            "price": [pb, pg],
            "unit_cost": [c, cg],
            "unit_margin": [pb - c, pg - cg],
            "margin_pct": [(pb - c) / pb, (pg - cg) / pg],
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
    return ModelResult("brand_premium", table, figures, params)


@_plotter("brand_premium")
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

    A product of age a earns margin m(a) = m_floor + (m₀ − m_floor)·e^(−λa): high while patented
    or unmatched, falling towards a commodity floor as imitators arrive. Products are retired
    after ``product_life`` years. With renewal, a new product is launched every
    ``launch_every`` years from year 0; without renewal only the year-0 product exists. The
    portfolio margin is the revenue-weighted mean margin of active products (equal revenue per
    product). In steady state the margin is the mean of m(a) over the ages present.

    Sources: Slywotzky & Morrison (1997), "Specialty product profit"; imitation lags:
    Mansfield, Schwartz & Wagner (1981), *Economic Journal* 91; product-portfolio renewal as in
    Cooper, Edgett & Kleinschmidt (2001), *Portfolio Management for New Products*.

    >>> res = specialty_product(initial_margin=0.5, floor_margin=0.1, decay_rate=math.log(2),
    ...                         launch_every=1, product_life=3, horizon=4)
    >>> round(res.steady_state_margin, 6)       # (0.5 + 0.3 + 0.2) / 3
    0.333333
    """
    m0 = _check("initial_margin", initial_margin, lo=-1, hi=1, scalar=True)
    mf = _check("floor_margin", floor_margin, lo=-1, hi=1, scalar=True)
    lam = _check("decay_rate", decay_rate, lo=0, scalar=True)
    T = _check("launch_every", launch_every, lo=1, integer=True, scalar=True)
    L = _check("product_life", product_life, lo=1, integer=True, scalar=True)
    H = _check("horizon", horizon, lo=1, integer=True, scalar=True)
    R = _check("revenue_per_product", revenue_per_product, lo=0, lo_open=True, scalar=True)

    def margin(age):
        return mf + (m0 - mf) * np.exp(-lam * np.asarray(age, dtype=float))

    rows = []
    for scenario, launches in (("renewal", np.arange(0, H + 1, T)), ("no renewal", np.array([0]))):
        for year in range(H + 1):
            ages = year - launches
            ages = ages[(ages >= 0) & (ages < L)]
            n = ages.size
            m = float(margin(ages).mean()) if n else float("nan")
            rows.append(
                {
                    "scenario": scenario,
                    "year": year,
                    "active_products": n,
                    "revenue": n * R,
                    "margin": m,
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
    return ModelResult("specialty_product", table, figures, params)


@_plotter("specialty_product")
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


# ============================================================================================
# 14 local leadership
# ============================================================================================

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
    N = _check("stores", np.arange(5, 101, 5) if stores is None else stores, lo=0, lo_open=True)
    R = np.atleast_1d(_check("regions", regions, lo=1, integer=True))
    A = _check("area_km2", area_km2, lo=0, lo_open=True, scalar=True)
    d = _check("deliveries_per_store", deliveries_per_store, lo=0, lo_open=True, scalar=True)
    dc = _check("dc_fixed_cost", dc_fixed_cost, lo=0, scalar=True)
    ckm = _check("cost_per_km", cost_per_km, lo=0, scalar=True)
    ad = _check("local_ad_cost", local_ad_cost, lo=0, scalar=True)
    rev = _check("revenue_per_store", revenue_per_store, lo=0, scalar=True)
    sm = _check("store_margin", store_margin, lo=-1, hi=1, scalar=True)
    kt = _check("tour_constant", tour_constant, lo=0, lo_open=True, scalar=True)
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
    return ModelResult("local_leadership", table, figures, params)


@_plotter("local_leadership")
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
    while earning 20 times the fee. Break-even S* = F / (f − v). ``res.margin(S)`` and
    ``res.cost(S)`` evaluate the model at any size.

    Source: Slywotzky & Morrison (1997), "Transaction scale profit" (Morgan Stanley); the
    fixed-plus-variable cost form is standard cost-volume-profit analysis.

    >>> res = transaction_scale(fee_rate=0.01, fixed_cost=1e6, variable_cost_rate=0.001)
    >>> res.margin(1e8)          # 1e6 − (1e6 + 1e5)
    -100000.0
    """
    S = _check(
        "deal_size",
        [5e6, 1e7, 2.5e7, 5e7, 1e8, 2.5e8, 5e8] if deal_size is None else deal_size,
        lo=0,
        lo_open=True,
    )
    f = _check("fee_rate", fee_rate, lo=0, scalar=True)
    F = _check("fixed_cost", fixed_cost, lo=0, scalar=True)
    v = _check("variable_cost_rate", variable_cost_rate, lo=0, scalar=True)
    S = np.atleast_1d(S)
    revenue = f * S
    cost = F + v * S
    table = pd.DataFrame(
        {
            "deal_size": S,
            "revenue": revenue,
            "cost": cost,
            "margin": revenue - cost,
            "margin_pct": np.divide(
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
    params = {"fee_rate": f, "fixed_cost": F, "variable_cost_rate": v}
    return ModelResult(
        "transaction_scale",
        table,
        figures,
        params,
        extra={
            "margin": lambda size: float(f * size - (F + v * size)),
            "cost": lambda size: float(F + v * size),
        },
    )


@_plotter("transaction_scale")
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
# 16 value-chain position
# ============================================================================================

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
    size. ``data=None`` uses an illustrative PC-industry chain (numbers made up for teaching).

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
        raise ValueError(
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
        "control_points": "; ".join(table.loc[table["profit_to_revenue_share"] > 1, "stage"]),
    }
    return ModelResult(
        "value_chain_profit_pool",
        table,
        figures,
        {"stage": stage, "revenue": revenue, "margin": margin, "profit": profit},
    )


@_plotter("value_chain_profit_pool")
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
    with ``data=`` (e.g. :func:`chemical_cycles`): the table then starts with the data's other
    columns, those whose names the model also uses (``price``, ``profit``, …) renamed with the
    suffix ``_observed``, so observed and modelled values sit side by side. Defaults
    (illustrative, $/t and kt): p(u) = 400 + 600u, v = 550, K = 1000, F = 150,000 → break-even
    utilisation ≈ 64%.

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
            raise ValueError(f"utilisation={utilisation!r} is a column name, so data= is needed")
        _columns(data, f, {"utilisation": utilisation})
        u = _numeric_column(data, utilisation, f, lo=0, lo_open=True, hi=1, what="in (0, 1]")
        base = data.reset_index(drop=True).drop(columns=[utilisation])
    else:
        if data is not None:
            raise ValueError("with data= give utilisation as a column name (a string)")
        u = np.atleast_1d(
            _check(
                "utilisation",
                np.linspace(0.5, 1.0, 51) if utilisation is None else utilisation,
                lo=0,
                hi=1,
                lo_open=True,
            )
        )
    K = _check("capacity", capacity, lo=0, lo_open=True, scalar=True)
    a = _check("price_intercept", price_intercept, scalar=True)
    b = _check("price_slope", price_slope, lo=0, scalar=True)
    v = _check("variable_cost", variable_cost, lo=0, scalar=True)
    F = _check("fixed_cost", fixed_cost, lo=0, scalar=True)
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
        "share_of_periods_in_loss": float((profit < 0).mean()),
    }
    params = {
        "capacity": K,
        "price_intercept": a,
        "price_slope": b,
        "variable_cost": v,
        "fixed_cost": F,
    }
    return ModelResult("cyclical", table, figures, params)


@_plotter("cyclical")
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
# 18 after-sale
# ============================================================================================


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
    """Lifecycle margin of one unit of equipment with an after-sale service attach rate.

    Equipment margin at sale: p − c (thin: the sale is price-shopped). A share ``attach_rate`` of
    buyers sign a service contract worth ``service_revenue`` a year at ``service_margin``, renewed
    each year with probability ``renewal_rate``. Lifecycle margin per unit sold =
    (p − c) + Σₜ attach·renewal^(t−1)·service_revenue·service_margin/(1+r)^t over ``years``.
    Reports the after-market's share of the lifecycle margin and the equipment price at which
    the lifecycle margin is zero.

    Sources: Slywotzky & Morrison (1997), "After-sale profit" (elevators, trucks); Cohen,
    Agrawal & Agrawal (2006), "Winning in the aftermarket", *Harvard Business Review* 84(5).

    >>> res = after_sale(equipment_price=100, equipment_cost=95, service_revenue=8,
    ...                  service_margin=0.5, attach_rate=0.5, renewal_rate=1, years=10,
    ...                  discount_rate=0)
    >>> res.lifecycle_margin, res.after_market_share       # 5 + 0.5·10·4; 20/25
    (25.0, 0.8)
    """
    p = _check("equipment_price", equipment_price, lo=0, scalar=True)
    c = _check("equipment_cost", equipment_cost, lo=0, scalar=True)
    sr = _check("service_revenue", service_revenue, lo=0, scalar=True)
    sm = _check("service_margin", service_margin, lo=-1, hi=1, scalar=True)
    att = _check("attach_rate", attach_rate, lo=0, hi=1, scalar=True)
    ren = _check("renewal_rate", renewal_rate, lo=0, hi=1, scalar=True)
    T = _check("years", years, lo=1, integer=True, scalar=True)
    r = _check("discount_rate", discount_rate, lo=-1, lo_open=True, scalar=True)
    table, pv = _lifetime(p - c, att * sr * sm, T, ren, r)
    life = (p - c) + pv
    figures = {
        "equipment_margin": p - c,
        "service_pv": pv,
        "lifecycle_margin": life,
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
    return ModelResult("after_sale", table, figures, params)


_plotter("after_sale")(
    lambda res, ax: _plot_lifetime(res, ax, "After-sale: lifecycle margin per unit sold")
)


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
    p = _check("p", p, lo=0, lo_open=True, scalar=True)
    q = _check("q", q, lo=0, scalar=True)
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
    p = _check("p", p, lo=0, lo_open=True, scalar=True)
    q = _check("q", q, lo=0, scalar=True)
    m = _check("market_size", market_size, lo=0, lo_open=True, scalar=True)
    m0 = _check("initial_margin", initial_margin, scalar=True)
    d = _check("margin_decline", margin_decline, lo=0, hi=1, hi_open=True, scalar=True)
    T = _check("periods", periods, lo=1, integer=True, scalar=True)
    Fc = _check("fixed_cost_per_period", fixed_cost_per_period, lo=0, scalar=True)
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
    return ModelResult("new_product", table, figures, params)


@_plotter("new_product")
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
    Shares must lie in (0, 1] and sum to at most 1. ``data=None`` uses shares 40/20/10/5%.

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
        raise ValueError(f"{f}: need at least 2 firms to compare; got {s.size}")
    if s.sum() > 1 + 1e-9:
        raise ValueError(f"{f}: shares in column {share!r} sum to {s.sum():g} > 1")
    pr = _check("progress_ratio", progress_ratio, lo=0, hi=1, lo_open=True, scalar=True)
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
    return ModelResult(f, table, figures, {"firm": firm, "share": share, "progress_ratio": pr})


@_plotter("relative_market_share")
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
# 21 experience curve
# ============================================================================================


def experience_curve(
    cumulative: Sequence[float] | float | None = None,
    first_unit_cost: float = 100.0,
    progress_ratio: float = 0.8,
) -> ModelResult:
    """Unit cost along an experience curve (Wright's law): c(N) = c₁·N^b, b = log₂(PR).

    Each doubling of cumulative volume N multiplies unit cost by the progress ratio PR = 2^b;
    the learning rate is 1 − PR. Wright's 80% rule: b = log₂ 0.8 = −0.3219. To estimate b from
    data, use :func:`fit_experience_curve`.

    Sources: Wright (1936), "Factors affecting the cost of airplanes", *Journal of the
    Aeronautical Sciences* 3(4); Henderson (1968/1974), BCG, *Perspectives on Experience*.

    >>> experience_curve([1, 2, 4, 8]).to_frame()["unit_cost"].round(6).tolist()
    [100.0, 80.0, 64.0, 51.2]
    """
    N = np.atleast_1d(
        _check(
            "cumulative",
            2.0 ** np.arange(0, 11) if cumulative is None else cumulative,
            lo=0,
            lo_open=True,
        )
    )
    c1 = _check("first_unit_cost", first_unit_cost, lo=0, lo_open=True, scalar=True)
    pr = _check("progress_ratio", progress_ratio, lo=0, hi=1, lo_open=True, scalar=True)
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
    return ModelResult(
        "experience_curve", table, figures, {"first_unit_cost": c1, "progress_ratio": pr}
    )


@_plotter("experience_curve")
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


@dataclass
class ExperienceCurveFit:
    """Result of :func:`fit_experience_curve` (Wright's law fitted by OLS on logs).

    ``b`` is the slope of log cost on log cumulative volume, ``progress_ratio`` = 2^b and
    ``learning_rate`` = 1 − 2^b, each with a ``(1 − alpha)`` confidence interval obtained by
    transforming the t-interval of b. ``cumulative_basis`` says whether N counts the current
    period's production (``"including"``) or not (``"before"``); ``cumulative_used`` says how N
    was formed. ``results`` is the statsmodels OLS result.
    """

    b: float
    b_se: float
    b_ci: tuple[float, float]
    intercept: float
    progress_ratio: float
    progress_ratio_ci: tuple[float, float]
    learning_rate: float
    learning_rate_ci: tuple[float, float]
    r_squared: float
    n: int
    alpha: float
    cost: str
    cumulative_basis: str
    cumulative_used: str
    data: pd.DataFrame = field(repr=False)
    results: Any = field(repr=False)

    @property
    def first_unit_cost(self) -> float:
        """Fitted cost at N = 1, exp(a)."""
        return math.exp(self.intercept)

    def summary(self) -> pd.DataFrame:
        """Estimates with standard errors and confidence intervals, one row per quantity."""
        lo, hi = self.results.conf_int(self.alpha)[1]
        a_lo, a_hi = self.results.conf_int(self.alpha)[0]
        pct = f"{100 * (1 - self.alpha):g}%"
        rows = [
            ("b (slope of log cost on log N)", self.b, self.b_se, lo, hi),
            (
                "a (intercept, log cost at N = 1)",
                self.intercept,
                float(self.results.bse[0]),
                a_lo,
                a_hi,
            ),
            ("progress ratio 2^b", self.progress_ratio, np.nan, *self.progress_ratio_ci),
            ("learning rate 1 − 2^b", self.learning_rate, np.nan, *self.learning_rate_ci),
            ("R²", self.r_squared, np.nan, np.nan, np.nan),
            ("n", float(self.n), np.nan, np.nan, np.nan),
        ]
        out = pd.DataFrame(
            rows, columns=["quantity", "estimate", "std_err", "ci_lower", "ci_upper"]
        )
        out.attrs.update(
            confidence=pct,
            cumulative_basis=self.cumulative_basis,
            cumulative_used=self.cumulative_used,
        )
        return out

    def __str__(self) -> str:
        pct = f"{100 * (1 - self.alpha):g}%"
        return (
            f"Experience curve (Wright's law), OLS on logs, n = {self.n}, "
            f"R² = {self.r_squared:.3f}\n"
            f"cumulative volume: {self.cumulative_used}\n"
            f"b = {self.b:.4f} ({pct} CI {self.b_ci[0]:.4f} to {self.b_ci[1]:.4f})\n"
            f"progress ratio = {self.progress_ratio:.3f} "
            f"({self.progress_ratio_ci[0]:.3f} to {self.progress_ratio_ci[1]:.3f})\n"
            f"learning rate = {self.learning_rate:.1%} "
            f"({self.learning_rate_ci[0]:.1%} to {self.learning_rate_ci[1]:.1%})"
        )

    def to_frame(self) -> pd.DataFrame:
        """The data used, with N, fitted cost (back-transformed) and log residuals."""
        out = self.data.copy()
        out["fitted_cost"] = np.exp(self.results.fittedvalues)
        out["log_residual"] = self.results.resid
        return out

    def forecast(self, cumulative_values, alpha: float | None = None) -> pd.DataFrame:
        """Predicted cost at new cumulative volumes with confidence and prediction bands.

        Uses statsmodels ``get_prediction`` on the log scale and back-transforms with exp, so
        ``cost`` is the fitted *median* cost; ``ci_*`` bound the fitted line and ``pi_*`` a
        new observation (level 1 − alpha, default the fit's alpha).
        """
        N = np.atleast_1d(_check("cumulative_values", cumulative_values, lo=0, lo_open=True))
        alpha = (
            self.alpha
            if alpha is None
            else _check("alpha", alpha, lo=0, hi=1, lo_open=True, hi_open=True, scalar=True)
        )
        exog = np.column_stack([np.ones_like(N), np.log(N)])
        sf = self.results.get_prediction(exog).summary_frame(alpha=alpha)
        return pd.DataFrame(
            {
                "cumulative": N,
                "cost": np.exp(sf["mean"].to_numpy()),
                "ci_lower": np.exp(sf["mean_ci_lower"].to_numpy()),
                "ci_upper": np.exp(sf["mean_ci_upper"].to_numpy()),
                "pi_lower": np.exp(sf["obs_ci_lower"].to_numpy()),
                "pi_upper": np.exp(sf["obs_ci_upper"].to_numpy()),
            }
        )

    def plot(self, ax=None, extend_to: float | None = None):
        """Log–log plot of the data, the fitted line and its prediction band; returns the Axes."""
        ax = _new_ax(ax)
        N = self.data["cumulative_used"].to_numpy()
        hi = N.max() if extend_to is None else max(N.max(), float(extend_to))
        grid = np.geomspace(N.min(), hi, 100)
        fc = self.forecast(grid)
        pct = f"{100 * (1 - self.alpha):g}%"
        ax.fill_between(
            grid,
            fc["pi_lower"],
            fc["pi_upper"],
            color="#2a9d8f",
            alpha=0.2,
            label=f"{pct} prediction band",
        )
        ax.plot(
            grid,
            fc["cost"],
            color="#264653",
            label=f"fit: PR = {self.progress_ratio:.3f} (b = {self.b:.3f})",
        )
        ax.scatter(N, self.data[self.cost], color="#e76f51", s=18, zorder=3, label="data")
        ax.set(
            xscale="log",
            yscale="log",
            xlabel=f"cumulative volume ({self.cumulative_basis} current period)",
            ylabel=self.cost,
            title="Experience curve (log–log)",
        )
        ax.legend()
        return ax


def fit_experience_curve(
    data: pd.DataFrame,
    cost: str = "cost",
    cumulative: str = "cumulative",
    includes_current: bool = False,
    production: str | None = None,
    alpha: float = 0.05,
) -> ExperienceCurveFit:
    """Fit Wright's law log c = a + b·log N by OLS on logs, with intervals for b, PR and LR.

    ``cumulative`` names the column of cumulative volume. ``includes_current=False`` (default)
    means it counts production *before* the period (its first value may be small); ``True``
    means it includes the period's own production. Giving ``production`` (a column of the
    period's production) with ``includes_current=False`` forms cumulative-including =
    before + production and fits on that. The result's ``cumulative_basis`` and
    ``cumulative_used`` say which count was used: the learning rate differs between them.
    Progress ratio = 2^b, learning rate = 1 − 2^b; their intervals transform the endpoints of
    the t-interval of b. Non-positive or missing costs or volumes raise ``ValueError`` naming
    the column and rows.

    Sources: Wright (1936); Henderson (BCG, 1968); for fitting on real series and the choice of
    cumulative count, Nagy, Farmer, Bui & Trancik (2013), "Statistical basis for predicting
    technological progress", *PLOS ONE* 8(2):e52669.

    >>> N = np.array([1, 2, 4, 8, 16.0])
    >>> fit = fit_experience_curve(pd.DataFrame({"cost": 100 * N ** math.log2(0.8),
    ...                                          "cumulative": N}))
    >>> round(fit.progress_ratio, 9)
    0.8
    """
    import statsmodels.api as sm

    f = "fit_experience_curve"
    _columns(data, f, {"cost": cost, "cumulative": cumulative, "production": production})
    alpha = _check("alpha", alpha, lo=0, hi=1, lo_open=True, hi_open=True, scalar=True)
    if production is not None and includes_current:
        raise ValueError(
            f"{f}: production={production!r} is only used to add the current "
            f"period to a cumulative-before column; with includes_current=True "
            f"column {cumulative!r} already counts it"
        )
    c = _numeric_column(data, cost, f, what="> 0 for a log fit")
    N = _numeric_column(
        data,
        cumulative,
        f,
        lo=0,
        lo_open=not (production is not None),
        what=None if production is not None else "> 0 for a log fit",
    )
    if production is not None:
        prod = _numeric_column(data, production, f, lo=0, lo_open=False)
        N = N + prod
        bad = N <= 0
        if bad.any():
            raise InputError(
                f"{f}: {cumulative!r} + {production!r} must be > 0 for a log fit; "
                "offending rows:\n" + example_rows(data, bad, [cumulative, production]),
                columns=[cumulative, production],
            )
        basis = "including"
        used = f"including the current period ({cumulative!r} + {production!r})"
    elif includes_current:
        basis, used = "including", f"including the current period ({cumulative!r} as given)"
    else:
        basis, used = "before", f"before the current period ({cumulative!r} as given)"
    if len(c) < 3:
        raise ValueError(f"{f}: need at least 3 rows to fit and give intervals; got {len(c)}")
    if np.ptp(np.log(N)) == 0:
        raise ValueError(f"{f}: column {cumulative!r} has a single value; cannot fit a slope")
    X = sm.add_constant(np.log(N), has_constant="add")
    res = sm.OLS(np.log(c), X).fit()
    b = float(res.params[1])
    lo, hi = (float(x) for x in res.conf_int(alpha)[1])
    used_frame = data.reset_index(drop=True).copy()
    used_frame["cumulative_used"] = N
    return ExperienceCurveFit(
        b=b,
        b_se=float(res.bse[1]),
        b_ci=(lo, hi),
        intercept=float(res.params[0]),
        progress_ratio=2**b,
        progress_ratio_ci=(2**lo, 2**hi),
        learning_rate=1 - 2**b,
        learning_rate_ci=(1 - 2**hi, 1 - 2**lo),
        r_squared=float(res.rsquared),
        n=int(res.nobs),
        alpha=alpha,
        cost=cost,
        cumulative_basis=basis,
        cumulative_used=used,
        data=used_frame,
        results=res,
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
    learns too. A negative d means the incumbent is already cheaper.

    Sources: Slywotzky & Morrison (1997), "Low-cost business design profit" (Nucor,
    Southwest, Dell); experience curve: Wright (1936), Henderson (BCG, 1968).

    >>> round(low_cost_design(100, 60, 0.8).doublings_needed, 4)   # ln 0.6 / ln 0.8
    2.2892
    """
    ci = _check("incumbent_cost", incumbent_cost, lo=0, lo_open=True, scalar=True)
    ce = _check("entrant_cost", entrant_cost, lo=0, lo_open=True, scalar=True)
    pr = _check(
        "progress_ratio", progress_ratio, lo=0, hi=1, lo_open=True, hi_open=True, scalar=True
    )
    d = math.log(ce / ci) / math.log(pr)
    years = float("nan")
    if cumulative_growth is not None:
        g = _check("cumulative_growth", cumulative_growth, lo=0, lo_open=True, scalar=True)
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
        "cost_gap_pct": 1 - ce / ci,
    }
    return ModelResult(
        "low_cost_design",
        table,
        figures,
        {
            "incumbent_cost": ci,
            "entrant_cost": ce,
            "progress_ratio": pr,
            "cumulative_growth": cumulative_growth,
        },
    )


@_plotter("low_cost_design")
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
    T = _check("transactions", transactions, lo=0, lo_open=True, scalar=True)
    cp = _check("physical_cost", physical_cost, lo=0, scalar=True)
    cd = _check("digital_cost", digital_cost, lo=0, scalar=True)
    s = np.atleast_1d(_check("digital_share", digital_share, lo=0, hi=1))
    F = _check("digital_fixed_cost", digital_fixed_cost, lo=0, scalar=True)
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
    return ModelResult(
        "digital_profit",
        table,
        figures,
        {"transactions": T, "physical_cost": cp, "digital_cost": cd, "digital_fixed_cost": F},
    )


@_plotter("digital_profit")
def _plot_digital(res, ax):
    t = res.table
    ax.plot(t["digital_share"], t["savings"], marker="o", color="#264653")
    ax.axhline(0, color="black", lw=0.8)
    ax.set(
        xlabel="share of transactions digital",
        ylabel="savings",
        title="Digital profit: savings vs digital share",
    )


# ============================================================================================
# case data: seeded synthetic firms, and the PV series
# ============================================================================================


def bookstore_components(seed=0) -> pd.DataFrame:
    """Synthetic component P&L of a bookstore chain (USD million a year), for
    :func:`multi_component`.

    Columns: component, component_zh, revenue, cost, assets. The known truth: store retail is
    most of the revenue at ~3% ROS on heavy assets (ROA ~4.5%); institutional (团购) sales earn
    ~11% ROS on few assets (mostly receivables), so by far the highest ROA (~110%).
    Deterministic for a seed (±5% noise on revenue, ±1 point on ROS, ±10% on assets).

    Source: the bookstore case of Slywotzky & Morrison (1997), "multi-component system"; the
    numbers are invented.

    >>> bookstore_components(seed=1).equals(bookstore_components(seed=1))
    True
    """
    rng = _rng(seed)
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
    revenue = base["revenue"] * np.exp(rng.normal(0, 0.05, n))
    ros = base["ros"] + rng.normal(0, 0.01, n)
    assets = base["assets"] * np.exp(rng.normal(0, 0.10, n))
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
    installed base (units in thousands, money in USD million), for :func:`installed_base`.

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
    T = _check("years", years, lo=1, integer=True, scalar=True)
    rng = _rng(seed)
    sold = 500 * 1.15 ** np.arange(T) * np.exp(rng.normal(0, 0.05, T))
    base = np.empty(T)
    prev = 0.0
    active = np.empty(T)
    for t in range(T):
        active[t] = prev + sold[t] / 2
        prev = prev * 0.75 + sold[t]
        base[t] = prev
    cartridges = active * 4 * 0.8 * np.exp(rng.normal(0, 0.04, T))
    price = 100 * np.exp(rng.normal(0, 0.02, T))
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
    :func:`cyclical`.

    Columns: period (1..48), year, quarter, utilisation (in (0, 1]), capacity_kt (per quarter),
    volume_kt, price (USD/t), variable_cost (USD/t), fixed_cost and profit (USD thousand).
    Truth: utilisation = 0.76 + 0.15·sin(2π·period/24) + noise(sd 0.015), clipped to
    [0.55, 0.98]; price = 400 + 600·utilisation + noise(sd 15); variable cost 550 + noise(sd 8);
    capacity 250 kt a quarter; fixed cost 37,500 a quarter (the annual defaults of
    :func:`cyclical` divided by 4).

    Source: the cyclical-profit industries of Slywotzky & Morrison (1997); numbers invented.

    >>> bool(chemical_cycles()["utilisation"].between(0, 1).all())
    True
    """
    Q = _check("quarters", quarters, lo=1, integer=True, scalar=True)
    rng = _rng(seed)
    t = np.arange(1, Q + 1)
    u = np.clip(0.76 + 0.15 * np.sin(2 * np.pi * t / 24) + rng.normal(0, 0.015, Q), 0.55, 0.98)
    price = 400 + 600 * u + rng.normal(0, 15, Q)
    vc = 550 + rng.normal(0, 8, Q)
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
    :func:`blockbuster_portfolio` (``distribution="empirical"``).

    Columns: film, genre, budget, marketing, box_office, studio_revenue, profit. Truth: budget
    lognormal (median 40, log-sd 0.6); marketing 50% of budget; box office = budget^0.8 ·
    lognormal(log 2, 1.1) (a few huge hits); studio revenue = 0.5·box office (rentals) +
    0.6·box office (home video, TV, licensing); profit = studio revenue − budget − marketing.

    Sources: the film example of Slywotzky & Morrison (1997), "blockbuster"; heavy tails as in
    De Vany & Walls (1999). Numbers invented.

    >>> film_slate(seed=3).equals(film_slate(seed=3))
    True
    """
    n = _check("n_films", n_films, lo=1, integer=True, scalar=True)
    rng = _rng(seed)
    genres = np.array(["action", "animation", "comedy", "drama", "horror", "family"])
    budget = 40 * np.exp(rng.normal(0, 0.6, n))
    box = budget**0.8 * np.exp(math.log(2.0) + 1.1 * rng.standard_normal(n))
    marketing = 0.5 * budget
    studio = 1.1 * box
    return pd.DataFrame(
        {
            "film": [f"F{i:02d}" for i in range(1, n + 1)],
            "genre": rng.choice(genres, n),
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

    >>> fit = fit_experience_curve(pv_modules(), cost="price_usd_per_wp",
    ...                            cumulative="cumulative_including_mwp", includes_current=True)
    >>> 0.7 < fit.progress_ratio < 0.9
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
# a firm's own figures: the input of the profit-model report
# ============================================================================================

#: The sections a firm-figures file may have, in report order: section -> (what it holds, the
#: computable models it feeds).
FIRM_SECTIONS = {
    "segments": (
        "segment P&L: revenue, cost and (optionally) assets per segment",
        ("multi_component",),
    ),
    "unit_costs": (
        ("unit-cost history: cumulative volume and unit cost, inline or in a CSV/Excel file"),
        ("fit_experience_curve",),
    ),
    "market_share": ("own market share and the largest rival's", ("relative_market_share",)),
    "capacity": (
        (
            "capacity, unit variable cost, fixed cost per period and a utilisation (and "
            "price) history"
        ),
        ("cyclical",),
    ),
    "installed_base": (
        (
            "installed base: hardware and consumable prices and costs, usage, "
            "retention; optionally service contracts"
        ),
        ("installed_base", "after_sale"),
    ),
}
_FIRM_HEADER = ("firm", "currency", "period", "notes")

# field -> (rule, required); rules: "pos" > 0, "nonneg" >= 0, "share" in (0, 1], "rate" in
# [0, 1), "margin" in [-1, 1], "int" an integer >= 1, "text" a string
_FIRM_FIELDS = {
    "segments": {
        "name": ("text", True),
        "revenue": ("pos", True),
        "cost": ("pos", True),
        "assets": ("pos", False),
    },
    "unit_costs": {
        "unit": ("text", False),
        "basis": ("text", False),
        "history": ("list", False),
        "file": ("text", False),
        "sheet": ("text", False),
        "cumulative_column": ("text", False),
        "cost_column": ("text", False),
        "period_column": ("text", False),
    },
    "unit_costs.history": {
        "period": ("text", False),
        "cumulative": ("pos", True),
        "unit_cost": ("pos", True),
    },
    "market_share": {
        "own": ("share", True),
        "largest_rival": ("share", True),
        "market": ("text", False),
        "progress_ratio": ("ratio", False),
    },
    "capacity": {
        "capacity": ("pos", True),
        "variable_cost": ("pos", True),
        "fixed_cost": ("nonneg", True),
        "unit": ("text", False),
        "currency": ("text", False),
        "price": ("pos", False),
        "price_intercept": ("any", False),
        "price_slope": ("nonneg", False),
        "utilisation": ("share", False),
        "history": ("list", False),
    },
    "capacity.history": {
        "period": ("text", False),
        "utilisation": ("share", True),
        "price": ("pos", False),
    },
    "installed_base": {
        "unit": ("text", False),
        "currency": ("text", False),
        "units": ("pos", False),
        "hardware_price": ("nonneg", True),
        "hardware_cost": ("pos", True),
        "consumable_price": ("pos", True),
        "consumable_cost": ("pos", True),
        "consumables_per_year": ("pos", True),
        "years": ("int", True),
        "retention": ("share", False),
        "capture_rate": ("share", False),
        "discount_rate": ("rate", False),
        "service_revenue": ("pos", False),
        "service_margin": ("margin", False),
        "attach_rate": ("share", False),
        "renewal_rate": ("share", False),
    },
}
_RULE_TEXT = {
    "pos": "> 0",
    "nonneg": ">= 0",
    "share": "in (0, 1]",
    "rate": "in [0, 1)",
    "ratio": "in (0, 1)",
    "margin": "in [-1, 1]",
    "int": "a whole number >= 1",
    "any": "a finite number",
}
_FIRM_DEFAULTS = {"retention": 1.0, "capture_rate": 1.0, "discount_rate": 0.10}
_DEFAULT_PROGRESS_RATIO = 0.8


def _parse_number(value):
    """A YAML value as a float: numbers, numeric strings, "24%" → 0.24; None if not numeric."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        scale = 1.0
        if text.endswith("%"):
            text, scale = text[:-1].strip(), 0.01
        try:
            return float(text) * scale
        except ValueError:
            return None
    return None


def _rule_ok(rule: str, x: float) -> bool:
    if not math.isfinite(x):
        return False
    return {
        "pos": x > 0,
        "nonneg": x >= 0,
        "share": 0 < x <= 1,
        "rate": 0 <= x < 1,
        "ratio": 0 < x < 1,
        "margin": -1 <= x <= 1,
        "int": x >= 1 and x == int(x),
        "any": True,
    }[rule]


class _Problems:
    """Collects every problem of a figures file so that one InputError lists them all."""

    def __init__(self):
        self.items: list[str] = []

    def add(self, where: str, text: str) -> None:
        self.items.append(f"{where}: {text}")

    def raise_if_any(self, source) -> None:
        if self.items:
            shown = self.items[:8]
            more = len(self.items) - len(shown)
            lines = "\n".join(f"  - {p}" for p in shown)
            if more > 0:
                lines += f"\n  ... and {more} more problem{'s' if more != 1 else ''}"
            n = len(self.items)
            raise InputError(
                f"the firm figures have {n} problem{'s' if n != 1 else ''}:\n" + lines,
                source=source,
            )


def _mapping_fields(entry, schema: str, where: str, problems: _Problems) -> dict:
    """Validate one mapping against ``_FIRM_FIELDS[schema]``; return the parsed values."""
    spec = _FIRM_FIELDS[schema]
    if not isinstance(entry, dict):
        problems.add(where, f"must be a mapping of field: value; got {entry!r}")
        return {}
    out: dict[str, Any] = {}
    for key in entry:
        if str(key) not in spec:
            close = difflib.get_close_matches(str(key), list(spec), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.add(where, f"unknown field {str(key)!r}{hint}; fields: {', '.join(spec)}")
    for key, (rule, required) in spec.items():
        if key not in entry or entry[key] is None:
            if required:
                problems.add(where, f"missing field {key!r}")
            continue
        value = entry[key]
        if rule == "text":
            out[key] = str(value).strip()
        elif rule == "list":
            out[key] = value
        else:
            x = _parse_number(value)
            if x is None:
                problems.add(where, f"field {key!r} must be a number; got {value!r}")
            elif not _rule_ok(rule, x):
                problems.add(where, f"field {key!r} must be {_RULE_TEXT[rule]}; got {value!r}")
            else:
                out[key] = int(x) if rule == "int" else x
    return out


def _entry_label(entry, i: int, key: str = "name") -> str:
    name = entry.get(key) if isinstance(entry, dict) else None
    return f"entry {i + 1}" + (f" ({str(name)!r})" if name is not None else "")


@dataclass
class FirmFigures:
    """A firm's figures for the profit models, validated (see :func:`read_firm_figures`).

    ``segments`` (columns segment, revenue, cost and, if given, assets), ``unit_costs``
    (period, cumulative, unit_cost) and ``capacity_history`` (period, utilisation and, if given,
    price) are DataFrames; ``market_share``, ``capacity`` and ``installed_base`` are dicts of
    the section's fields. A section that the file does not have is ``None``. :meth:`models`
    runs the matching computable models; :meth:`notes` says what each run assumed or derived.
    """

    firm: str
    currency: str = ""
    period: str = ""
    source: str | None = None
    segments: pd.DataFrame | None = None
    unit_costs: pd.DataFrame | None = None
    unit_costs_basis: str = "including"
    unit_costs_unit: str = ""
    unit_costs_source: str = ""
    market_share: dict | None = None
    capacity: dict | None = None
    capacity_history: pd.DataFrame | None = None
    installed_base: dict | None = None
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def sections(self) -> list[str]:
        """The sections present, in report order."""
        return [s for s in FIRM_SECTIONS if getattr(self, s) is not None]

    @property
    def missing_sections(self) -> list[str]:
        """The sections the file does not have."""
        return [s for s in FIRM_SECTIONS if getattr(self, s) is None]

    def models(self) -> dict[str, Any]:
        """Run the computable model(s) of every section present.

        Keys: ``multi_component``, ``fit_experience_curve`` (an :class:`ExperienceCurveFit`),
        ``relative_market_share`` (firms "own firm" and "largest rival"), ``cyclical``,
        ``installed_base``, ``after_sale`` (only with service figures). The relative cost of ``relative_market_share`` uses, in this order,
        the section's ``progress_ratio``, the fitted one from ``unit_costs`` (when it is in
        (0, 1)) or 0.8 (Wright 1936); the price line of ``cyclical`` is the section's
        ``price_intercept``/``price_slope``, or the OLS line of price on utilisation in the
        history, or the constant ``price``. :meth:`notes` records which.
        """
        if "models" not in self._cache:
            self._cache["models"], self._cache["notes"] = self._run()
        return dict(self._cache["models"])

    def notes(self) -> dict[str, list[str]]:
        """Per model, the assumptions and derived inputs of :meth:`models`, as sentences."""
        self.models()
        return {k: list(v) for k, v in self._cache["notes"].items()}

    def _run(self):
        results: dict[str, Any] = {}
        notes: dict[str, list[str]] = {}
        if self.segments is not None:
            has_assets = "assets" in self.segments
            results["multi_component"] = multi_component(
                self.segments, component="segment", assets="assets" if has_assets else None
            )
            notes["multi_component"] = (
                [] if has_assets else ["no assets were given, so return on assets is not shown"]
            )
        if self.unit_costs is not None:
            fit = fit_experience_curve(
                self.unit_costs,
                cost="unit_cost",
                cumulative="cumulative",
                includes_current=self.unit_costs_basis == "including",
            )
            results["fit_experience_curve"] = fit
            notes["fit_experience_curve"] = [
                f"cumulative volume {'includes' if self.unit_costs_basis == 'including' else 'excludes'}"
                " each period's own output (basis: " + self.unit_costs_basis + ")"
            ]
        if self.market_share is not None:
            ms = self.market_share
            fit = results.get("fit_experience_curve")
            if "progress_ratio" in ms:
                pr, how = ms["progress_ratio"], "the progress ratio given in the figures"
            elif fit is not None and 0 < fit.progress_ratio < 1:
                pr, how = fit.progress_ratio, "the progress ratio fitted on the unit-cost history"
            else:
                pr, how = _DEFAULT_PROGRESS_RATIO, "Wright's 80% progress ratio (an assumption)"
            data = pd.DataFrame(
                {"firm": ["own firm", "largest rival"], "share": [ms["own"], ms["largest_rival"]]}
            )
            results["relative_market_share"] = relative_market_share(data, progress_ratio=pr)
            notes["relative_market_share"] = [
                (
                    f"relative cost = RMS^b uses {how}, {pr:.3f}; it assumes cumulative experience "
                    "proportional to market share"
                )
            ]
        if self.capacity is not None:
            cap = self.capacity
            a, b, how = self.price_line()
            kwargs = {
                "capacity": cap["capacity"],
                "price_intercept": a,
                "price_slope": b,
                "variable_cost": cap["variable_cost"],
                "fixed_cost": cap["fixed_cost"],
            }
            hist = self.capacity_history
            if hist is not None:
                res = cyclical("utilisation", data=hist[["period", "utilisation"]], **kwargs)
            elif "utilisation" in cap:
                res = cyclical([cap["utilisation"]], **kwargs)
            else:
                res = cyclical(**kwargs)
            results["cyclical"] = res
            notes["cyclical"] = [f"price as a function of utilisation: {how}"]
        if self.installed_base is not None:
            ib = self.installed_base
            given = [k for k in _FIRM_DEFAULTS if k not in ib]
            vals = {**_FIRM_DEFAULTS, **ib}
            results["installed_base"] = installed_base(
                hardware_price=vals["hardware_price"],
                hardware_cost=vals["hardware_cost"],
                consumable_price=vals["consumable_price"],
                consumable_cost=vals["consumable_cost"],
                consumables_per_period=vals["consumables_per_year"],
                periods=vals["years"],
                retention=vals["retention"],
                capture_rate=vals["capture_rate"],
                discount_rate=vals["discount_rate"],
            )
            notes["installed_base"] = [
                f"{k} not given: assumed {_FIRM_DEFAULTS[k]:g}" for k in given
            ]
            if "service_revenue" in ib:
                renewal = ib.get("renewal_rate", vals["retention"])
                results["after_sale"] = after_sale(
                    equipment_price=vals["hardware_price"],
                    equipment_cost=vals["hardware_cost"],
                    service_revenue=ib["service_revenue"],
                    service_margin=ib["service_margin"],
                    attach_rate=ib["attach_rate"],
                    renewal_rate=renewal,
                    years=vals["years"],
                    discount_rate=vals["discount_rate"],
                )
                ibr, asr = results["installed_base"], results["after_sale"]
                total = ibr.hardware_margin + ibr.consumables_pv + asr.service_pv
                notes["after_sale"] = (
                    []
                    if "renewal_rate" in ib
                    else [f"renewal_rate not given: the retention of the base ({renewal:g})"]
                ) + [
                    (
                        "this model counts the hardware margin again; one unit's whole "
                        f"lifetime margin is hardware {ibr.hardware_margin:,.4g} + consumables "
                        f"{ibr.consumables_pv:,.4g} + service {asr.service_pv:,.4g} = "
                        f"{total:,.4g}"
                    )
                ]
        return results, notes

    def price_line(self) -> tuple[float, float, str]:
        """The capacity section's price line p(u) = a + b·u and how it was obtained."""
        if self.capacity is None:
            raise ValueError("these figures have no capacity section")
        cap, hist = self.capacity, self.capacity_history
        if "price_intercept" in cap:
            b = cap.get("price_slope", 0.0)
            return (
                cap["price_intercept"],
                b,
                (f"p(u) = {cap['price_intercept']:g} + {b:g}·u, as given in the figures"),
            )
        if hist is not None and "price" in hist:
            u, p = hist["utilisation"].to_numpy(float), hist["price"].to_numpy(float)
            if len(u) >= 3 and np.ptp(u) > 0:
                b, a = np.polyfit(u, p, 1)
                if b >= 0:
                    return (
                        float(a),
                        float(b),
                        (
                            f"p(u) = {a:,.4g} + {b:,.4g}·u, the least-squares line of price on "
                            f"utilisation over the {len(u)} periods of the history"
                        ),
                    )
                return (
                    float(p.mean()),
                    0.0,
                    (
                        "constant at the mean price of the history "
                        f"({p.mean():,.4g}): the fitted slope was negative, which the model does "
                        "not allow"
                    ),
                )
            return (
                float(p.mean()),
                0.0,
                (f"constant at the mean price of the history ({p.mean():,.4g})"),
            )
        return cap["price"], 0.0, f"constant at the given price ({cap['price']:g})"


def read_firm_figures(source, *, base_dir=None) -> FirmFigures:
    """Read and validate a firm's figures for the profit models (a YAML file or a mapping).

    Every section is optional, but at least one is needed (see :data:`FIRM_SECTIONS`)::

        firm: Example Co.                 # name shown in the report (default: the file name)
        currency: CNY million             # unit of the money figures
        period: "2024"                    # what the figures describe
        segments:                         # segment P&L  -> multi_component
          - {name: systems, revenue: 589, cost: 632, assets: 420}   # assets optional
        unit_costs:                       # experience curve -> fit_experience_curve
          basis: including                # cumulative counts the period's own output, or "before"
          history:
            - {period: "2015", cumulative: 12000, unit_cost: 14.2}
          # or: file: unit_costs.csv (CSV/Excel, relative to this file), cumulative_column,
          #     cost_column, period_column, sheet
        market_share: {own: 0.18, largest_rival: 0.27}            # -> relative_market_share
        capacity:                         # -> cyclical
          capacity: 16000                 # units per period
          variable_cost: 5.0              # per unit
          fixed_cost: 60000               # per period
          history:                        # utilisation (and price) per period; or give
            - {period: 2024Q1, utilisation: 0.82, price: 11.9}      # price: constant
        installed_base:                   # -> installed_base (and after_sale with service_*)
          hardware_price: 0.95
          hardware_cost: 1.02
          consumable_price: 0.012
          consumable_cost: 0.005
          consumables_per_year: 14
          years: 12
          retention: 0.92                 # optional (1), capture_rate (1), discount_rate (0.10)

    Numbers may be written as numbers, numeric strings or percentages ("24%"). Problems (an
    unknown section or field, a missing field, a non-numeric, non-positive or out-of-range
    value, shares that sum to more than 1, a cumulative volume that decreases, fewer than 3
    unit-cost rows, a YAML syntax error) are all collected into one
    :class:`~customer_value.io.InputError` that names the file, the section, the entry and the
    field. Files are read as UTF-8 (with or without BOM) or GB18030/GBK.

    ``source`` is a path or an already-parsed mapping; relative ``file:`` paths are taken from
    the YAML file's folder (``base_dir`` for a mapping, default the working directory).

    Source of the models: Slywotzky & Morrison (1997), *The Profit Zone*; the input layout is
    this library's.

    >>> figs = read_firm_figures({"market_share": {"own": "30%", "largest_rival": 0.2}})
    >>> round(figs.models()["relative_market_share"].leader_rms, 2)
    1.5
    """
    import os
    from pathlib import Path

    import yaml

    from .io import detect_encoding, read_table

    problems = _Problems()
    src = None
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        src = str(path)
        if not path.is_file():
            raise InputError("file not found" if not path.exists() else "not a file", source=src)
        raw = path.read_bytes()
        try:
            text = raw.decode(detect_encoding(raw)).lstrip("\ufeff")
        except InputError as err:
            raise err.with_source(src) from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise InputError(f"not valid YAML{where}: {problem}", source=src) from None
        base = path.parent
        default_name = path.stem
    elif isinstance(source, dict):
        data, base, default_name = source, Path(base_dir or "."), "the firm"
    else:
        raise ValueError(f"source must be a path or a mapping; got {type(source).__name__}")
    if data is None:
        raise InputError(
            f"the file is empty: give at least one section of {', '.join(FIRM_SECTIONS)}",
            source=src,
        )
    if not isinstance(data, dict):
        got = (
            "plain text: is it a YAML file?"
            if isinstance(data, str)
            else f"a {type(data).__name__}"
        )
        raise InputError(
            f"the file must be a YAML mapping of section: figures (e.g. 'segments:'); got {got}",
            source=src,
        )
    allowed = list(_FIRM_HEADER) + list(FIRM_SECTIONS)
    for key in data:
        if str(key) not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.add(
                f"section {str(key)!r}",
                f"unknown section; {hint}valid sections: "
                f"{', '.join(FIRM_SECTIONS)} (and {', '.join(_FIRM_HEADER)})",
            )
    present = [s for s in FIRM_SECTIONS if data.get(s) is not None]
    if not present and not problems.items:
        problems.add("file", f"no figures: give at least one section of {', '.join(FIRM_SECTIONS)}")
    figs = FirmFigures(
        firm=str(data.get("firm") or default_name).strip(),
        currency=str(data.get("currency") or "").strip(),
        period=str(data.get("period") or "").strip(),
        source=src,
    )

    # segments ------------------------------------------------------------------------------
    if data.get("segments") is not None:
        seg = data["segments"]
        if not isinstance(seg, list) or not seg:
            problems.add(
                "section 'segments'",
                "must be a non-empty list of segments, each "
                "with name, revenue, cost (and optionally assets)",
            )
        else:
            rows = [
                _mapping_fields(
                    e, "segments", f"section 'segments', {_entry_label(e, i)}", problems
                )
                for i, e in enumerate(seg)
            ]
            names = [r.get("name") for r in rows]
            dup = sorted({n for n in names if n is not None and names.count(n) > 1})
            if dup:
                problems.add("section 'segments'", f"duplicated segment name(s): {dup}")
            with_assets = [("assets" in r) for r in rows]
            if any(with_assets) and not all(with_assets):
                lacking = [
                    str(r.get("name", i + 1)) for i, r in enumerate(rows) if "assets" not in r
                ][:5]
                problems.add(
                    "section 'segments'",
                    f"give assets for every segment or for none; missing for {lacking}",
                )
            if all(("name" in r and "revenue" in r and "cost" in r) for r in rows):
                df = pd.DataFrame(
                    {
                        "segment": [r["name"] for r in rows],
                        "revenue": [r["revenue"] for r in rows],
                        "cost": [r["cost"] for r in rows],
                    }
                )
                if all(with_assets):
                    df["assets"] = [r["assets"] for r in rows]
                figs.segments = df

    # unit-cost history ---------------------------------------------------------------------
    if data.get("unit_costs") is not None:
        where = "section 'unit_costs'"
        uc = _mapping_fields(data["unit_costs"], "unit_costs", where, problems)
        basis = uc.get("basis", "including")
        if basis not in ("including", "before"):
            problems.add(
                where,
                f"field 'basis' must be 'including' (cumulative volume counts "
                f"the period's own output) or 'before'; got {basis!r}",
            )
        figs.unit_costs_basis = basis
        figs.unit_costs_unit = uc.get("unit", "")
        if ("history" in uc) == ("file" in uc):
            problems.add(
                where,
                "give either 'history' (a list of {cumulative, unit_cost}) or "
                "'file' (a CSV/Excel file), not both and not neither",
            )
        elif "history" in uc:
            hist = uc["history"]
            if not isinstance(hist, list):
                problems.add(
                    where, "field 'history' must be a list of {period, cumulative, unit_cost}"
                )
            else:
                rows = [
                    _mapping_fields(
                        e,
                        "unit_costs.history",
                        f"{where}, history {_entry_label(e, i, 'period')}",
                        problems,
                    )
                    for i, e in enumerate(hist)
                ]
                if all("cumulative" in r and "unit_cost" in r for r in rows):
                    figs.unit_costs = pd.DataFrame(
                        {
                            "period": [r.get("period", str(i + 1)) for i, r in enumerate(rows)],
                            "cumulative": [r["cumulative"] for r in rows],
                            "unit_cost": [r["unit_cost"] for r in rows],
                        }
                    )
                    figs.unit_costs_source = "the history in the figures file"
        else:
            file = Path(uc["file"]).expanduser()
            file = file if file.is_absolute() else base / file
            cum_col = uc.get("cumulative_column", "cumulative")
            cost_col = uc.get("cost_column", "unit_cost")
            per_col = uc.get("period_column")
            try:
                table = read_table(file, sheet=uc.get("sheet", 0))
            except InputError as err:
                problems.add(where, f"cannot read file {uc['file']!r}: {err}")
                table = None
            if table is not None:
                wanted = [c for c in (per_col, cum_col, cost_col) if c]
                absent = [c for c in wanted if c not in table.columns]
                if absent:
                    problems.add(
                        where,
                        f"file {file.name!r} has no column(s) {absent}; it has "
                        f"{list(table.columns)[:12]} (set cumulative_column / "
                        "cost_column / period_column)",
                    )
                else:
                    df = pd.DataFrame(
                        {
                            "period": (
                                table[per_col].astype(str).to_numpy()
                                if per_col
                                else np.arange(1, len(table) + 1).astype(str)
                            ),
                            "cumulative": pd.to_numeric(
                                table[cum_col].astype(str).str.replace(",", "", regex=False),
                                errors="coerce",
                            ).to_numpy(float),
                            "unit_cost": pd.to_numeric(
                                table[cost_col].astype(str).str.replace(",", "", regex=False),
                                errors="coerce",
                            ).to_numpy(float),
                        },
                        index=table.index,
                    )
                    bad = ~((df["cumulative"] > 0) & (df["unit_cost"] > 0))
                    if bad.any():
                        problems.add(
                            where,
                            f"file {file.name!r}: columns {cum_col!r} and "
                            f"{cost_col!r} must be numbers > 0; {int(bad.sum())} "
                            "row(s) are not:\n"
                            + example_rows(table, bad.to_numpy(), [cum_col, cost_col]),
                        )
                    else:
                        figs.unit_costs = df.reset_index(drop=True)
                        figs.unit_costs_source = f"file {file.name}"
        if figs.unit_costs is not None:
            cum = figs.unit_costs["cumulative"].to_numpy()
            if len(cum) < 3:
                problems.add(
                    where, f"needs at least 3 periods to fit an experience curve; got {len(cum)}"
                )
            down = np.flatnonzero(np.diff(cum) <= 0)
            if down.size:
                shown = ", ".join(
                    f"{figs.unit_costs['period'].iloc[i]} → "
                    f"{figs.unit_costs['period'].iloc[i + 1]} "
                    f"({_fmt(cum[i])} → {_fmt(cum[i + 1])})"
                    for i in down[:5]
                )
                problems.add(
                    where,
                    "cumulative volume must increase from period to period; "
                    f"it does not at {shown}",
                )

    # market share --------------------------------------------------------------------------
    if data.get("market_share") is not None:
        where = "section 'market_share'"
        ms = _mapping_fields(data["market_share"], "market_share", where, problems)
        if "own" in ms and "largest_rival" in ms:
            if ms["own"] + ms["largest_rival"] > 1 + 1e-9:
                problems.add(
                    where,
                    f"own ({_fmt(ms['own'])}) and largest_rival "
                    f"({_fmt(ms['largest_rival'])}) shares sum to more than 1",
                )
            else:
                figs.market_share = ms

    # capacity ------------------------------------------------------------------------------
    if data.get("capacity") is not None:
        where = "section 'capacity'"
        cap = _mapping_fields(data["capacity"], "capacity", where, problems)
        hist_df = None
        if "history" in cap:
            hist = cap.pop("history")
            if not isinstance(hist, list) or not hist:
                problems.add(
                    where,
                    "field 'history' must be a non-empty list of {period, utilisation, price}",
                )
            else:
                rows = [
                    _mapping_fields(
                        e,
                        "capacity.history",
                        f"{where}, history {_entry_label(e, i, 'period')}",
                        problems,
                    )
                    for i, e in enumerate(hist)
                ]
                with_price = [("price" in r) for r in rows]
                if any(with_price) and not all(with_price):
                    problems.add(where, "give a price in every history row or in none")
                if all("utilisation" in r for r in rows):
                    hist_df = pd.DataFrame(
                        {
                            "period": [r.get("period", str(i + 1)) for i, r in enumerate(rows)],
                            "utilisation": [r["utilisation"] for r in rows],
                        }
                    )
                    if all(with_price):
                        hist_df["price"] = [r["price"] for r in rows]
        has_line = "price_intercept" in cap
        has_hist_price = hist_df is not None and "price" in hist_df
        if not (has_line or has_hist_price or "price" in cap):
            problems.add(
                where,
                "no price: give 'price' (constant), or 'price_intercept' (and "
                "'price_slope'), or a price in every history row",
            )
        if "price_slope" in cap and not has_line:
            problems.add(where, "'price_slope' needs 'price_intercept'")
        if hist_df is not None and "utilisation" in cap:
            problems.add(
                where, "give either 'utilisation' (one current value) or 'history', not both"
            )
        if all(k in cap for k in ("capacity", "variable_cost", "fixed_cost")):
            figs.capacity = cap
            figs.capacity_history = hist_df

    # installed base ------------------------------------------------------------------------
    if data.get("installed_base") is not None:
        where = "section 'installed_base'"
        ib = _mapping_fields(data["installed_base"], "installed_base", where, problems)
        service = [k for k in ("service_revenue", "service_margin", "attach_rate") if k in ib]
        if service and len(service) < 3:
            lacking = [
                k for k in ("service_revenue", "service_margin", "attach_rate") if k not in ib
            ]
            problems.add(
                where,
                f"service contracts need service_revenue, service_margin and "
                f"attach_rate; missing {lacking}",
            )
        if "renewal_rate" in ib and not service:
            problems.add(
                where,
                "'renewal_rate' is only used with service_revenue, service_margin and attach_rate",
            )
        required = [k for k, (_, req) in _FIRM_FIELDS["installed_base"].items() if req]
        if all(k in ib for k in required):
            figs.installed_base = ib

    problems.raise_if_any(src)
    return figs
