"""How concentrated value is among customers: the whale curve, Lorenz curves, the Gini
coefficient (valid for negative profit), top shares, and published figures to compare with.

Sources: Cooper & Kaplan (1991), "Profit priorities from activity-based costing", *Harvard
Business Review* 69(3):130–135, and Kaplan & Cooper (1998), *Cost & Effect* (whale curve);
Lorenz (1905); Gini (1912); Raffinetti, Siletti & Vernizzi (2015), *Statistical Methods &
Applications* 24(3):507–521 (Gini with negative values); Kim, Singh & Winer (2017), *Marketing
Letters* 28(4), and McCarthy & Winer (2019), *Marketing Letters* 30(2) (Pareto ratios).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._util import axes, check_number
from ..io import InputError
from ._base import TIER_COLORS, column, frame, id_rank, ids, numeric, values_of

__all__ = [
    "WhaleCurve",
    "concentration_summary",
    "gini",
    "lorenz_curve",
    "published_benchmarks",
    "share_reaching_total",
    "top_share",
    "whale_curve",
]


@dataclass
class WhaleCurve:
    """Result of :func:`whale_curve`.

    Attributes: ``curve`` (DataFrame: rank, customer_id, value, share_customers, cum_value,
    share_value; the first row is the origin), ``value`` (column name), ``total``, ``peak``
    (highest cumulative share, ≥ 1), ``peak_customers`` and ``peak_share_customers`` (where the
    peak is first reached), ``unprofitable`` (customers with value < 0) and ``loss`` (their
    summed negative value, as a positive number).
    """

    curve: pd.DataFrame
    value: str
    total: float
    peak: float
    peak_customers: int
    peak_share_customers: float
    unprofitable: int
    loss: float

    @property
    def n_customers(self) -> int:
        return len(self.curve) - 1

    def summary(self) -> pd.DataFrame:
        """One row: customers, total, peak (share of total), where it is reached, the
        unprofitable customers and their loss."""
        return pd.DataFrame(
            [
                {
                    "value": self.value,
                    "customers": self.n_customers,
                    "total": self.total,
                    "peak": self.peak,
                    "peak_customers": self.peak_customers,
                    "peak_share_customers": self.peak_share_customers,
                    "unprofitable": self.unprofitable,
                    "loss": self.loss,
                }
            ]
        )

    def to_frame(self) -> pd.DataFrame:
        """The curve, one row per customer in rank order (after the origin)."""
        return self.curve.copy()

    def plot(self, ax=None, **kwargs):
        """Draw the curve with :func:`plot_whale_curve`; returns the Axes."""

        return plot_whale_curve(self, ax=ax, **kwargs)


def whale_curve(data, value: str = "profit", *, customer_id: str = "customer_id") -> WhaleCurve:
    """The whale curve: cumulative share of total profit against the share of customers,
    customers ranked from most to least profitable (Cooper & Kaplan 1991, "Profit priorities
    from activity-based costing", *HBR* 69(3); Kaplan & Cooper 1998, *Cost & Effect*).

    With unprofitable customers the curve rises above 1 — in Cooper & Kaplan's examples the
    most profitable 20 % of customers earn up to 225 % of profit — peaks after the last
    profitable customer, and falls back to exactly 1 at the last (least profitable) customer.
    ``data`` is a customer table (ranked by ``value``, ties by ``customer_id`` ascending) or a
    Series/array of values (ties by position). The total must be positive.

    >>> import pandas as pd
    >>> wc = whale_curve(pd.DataFrame({"customer_id": list("abcd"),
    ...                                "profit": [60.0, 40, 20, -20]}))
    >>> wc.peak, wc.peak_share_customers
    (1.2, 0.75)
    """
    if isinstance(data, pd.DataFrame) or hasattr(data, "to_pandas"):
        df = frame(data)
        vcol, idcol = column(df, value), column(df, customer_id)
        customer = ids(df, idcol)
        v = numeric(df, vcol, idcol)
        id_values, rank = customer.to_numpy(), id_rank(customer)
    else:
        v = values_of(data, value)
        id_values = data.index.to_numpy() if isinstance(data, pd.Series) else np.arange(len(v))
        rank = np.arange(len(v))
        vcol = value
    if len(v) == 0:
        raise InputError(f"no customers: the whale curve of {vcol!r} needs at least one")
    order = np.lexsort((rank, -v))
    vs = v[order]
    cum = np.cumsum(vs)
    total = float(cum[-1])
    if not total > 0:
        raise InputError(
            f"the total of {vcol!r} is {total:g}: a whale curve shows shares of a positive total",
            columns=[vcol],
        )
    n = len(v)
    share_value = np.concatenate([[0.0], cum / total])
    curve = pd.DataFrame(
        {
            "rank": np.arange(n + 1),
            "customer_id": np.concatenate([[None], id_values[order]]).astype(object),
            "value": np.concatenate([[np.nan], vs]),
            "share_customers": np.arange(n + 1) / n,
            "cum_value": np.concatenate([[0.0], cum]),
            "share_value": share_value,
        }
    )
    k = int(np.argmax(share_value))
    return WhaleCurve(
        curve=curve,
        value=vcol,
        total=total,
        peak=float(share_value[k]),
        peak_customers=k,
        peak_share_customers=k / n,
        unprofitable=int((v < 0).sum()),
        loss=float(-v[v < 0].sum()),
    )


def lorenz_curve(values) -> pd.DataFrame:
    """The Lorenz curve (Lorenz 1905): customers sorted from the smallest value to the largest;
    x = cumulative share of customers, y = cumulative share of the total. Starts at (0, 0) and
    ends at (1, 1); with negative values it dips below zero (the generalised curve of
    Raffinetti, Siletti & Vernizzi 2015). The total must be positive.

    >>> lorenz_curve([1, 3])["share_value"].tolist()
    [0.0, 0.25, 1.0]
    """
    v = np.sort(values_of(values))
    total = v.sum()
    if len(v) == 0 or not total > 0:
        raise InputError(
            f"a Lorenz curve needs a positive total, got {total:g} over {len(v)} value(s)"
        )
    cum = np.cumsum(v)
    n = len(v)
    return pd.DataFrame(
        {
            "share_customers": np.arange(n + 1) / n,
            "share_value": np.concatenate([[0.0], cum / cum[-1]]),
        }
    )


def gini(values) -> float:
    """Gini coefficient, valid for negative values too (Raffinetti, Siletti & Vernizzi 2015).

    G = Σᵢ Σⱼ |yᵢ − yⱼ| / (2 n (T⁺ + T⁻)), where T⁺ is the sum of the positive values and T⁻ the
    absolute sum of the negative ones. For non-negative values T⁺ + T⁻ = n·mean and this is the
    standard Gini (Gini 1912): 0 when everyone has the same, (n − 1)/n when one customer has
    everything. With negative values (customer profit) the usual formula can exceed 1; this
    normalisation — the RSV Gini, as in the R package GiniWegNeg's ``Gini_RSV`` — divides by
    the mean difference of the "polarised" case (all positive value with one customer, all
    negative value with another) and stays in [0, (n − 1)/n]; the paper's finite-population
    variant G·n/(n − 1) reaches 1 there. Returns NaN for no values or all zeros.

    Sources: Raffinetti, Siletti & Vernizzi (2015), "On the Gini coefficient normalization when
    attributes with negative values are considered", *Statistical Methods & Applications*
    24(3):507–521; Chen, Tsaur & Rhai (1982), *Oxford Economic Papers* 34 (the problem).

    >>> gini([1, 2, 3, 4])
    0.25
    >>> round(gini([-1, 0, 3]), 4)     # 2·(1 + 4 + 3) / (2·3·(3 + 1))
    0.6667
    """
    v = np.sort(values_of(values))
    n = len(v)
    scale = np.abs(v).sum()
    if n == 0 or scale == 0:
        return float("nan")
    i = np.arange(1, n + 1)
    mean_diff_sum = 2.0 * np.sum((2 * i - n - 1) * v)  # = Σᵢ Σⱼ |yᵢ − yⱼ|
    return float(mean_diff_sum / (2.0 * n * scale))


def top_share(values, x: float = 0.2) -> float:
    """Share of the total held by the top ``x`` of customers (the Pareto ratio at x; Kim, Singh
    & Winer 2017, *Marketing Letters* 28(4), report a mean of 0.73 for x = 0.2 across brands).

    Customers are sorted from the largest value down; when x·n is not a whole number the
    customer at the boundary counts with the fraction x·n − ⌊x·n⌋ (linear interpolation of the
    whale curve). The denominator is the total including negative values, so for profit with
    unprofitable customers the top share can exceed 1, as on the whale curve.

    >>> top_share([10, 5, 3, 1, 1], x=0.3)      # (10 + 0.5·5) / 20
    0.625
    """
    x = check_number("x", x, lo=0, hi=1, scalar=True)
    v = np.sort(values_of(values))[::-1]
    total = v.sum()
    if len(v) == 0 or not total > 0:
        raise InputError(f"top_share needs a positive total, got {total:g}")
    k = x * len(v)
    whole = int(np.floor(k + 1e-12))
    part = v[:whole].sum() + (k - whole) * (v[whole] if whole < len(v) else 0.0)
    return float(part / total)


def share_reaching_total(values) -> float:
    """The smallest share of customers, most valuable first, whose value adds up to the whole
    total: 1 without loss-makers, less with them (where the whale curve first reaches 1;
    Cooper & Kaplan 1991). NaN when the total is not positive.

    >>> share_reaching_total([60, 40, 20, -20])    # 60 + 40 = the total of 100
    0.5
    """
    v = np.sort(values_of(values))[::-1]
    total = v.sum()
    if len(v) == 0 or not total > 0:
        return float("nan")
    cum = np.cumsum(v)
    k = int(np.argmax(cum >= total * (1 - 1e-12)))
    return (k + 1) / len(v)


def concentration_summary(
    data,
    *,
    x: float = 0.2,
    revenue: str = "revenue",
    profit: str = "profit",
    customer_id: str = "customer_id",
) -> pd.DataFrame:
    """How concentrated revenue and profit are: one row each (index ``measure``), with the
    total, customers, how many are negative, the Gini (:func:`gini`, the RSV definition of
    Raffinetti, Siletti & Vernizzi 2015 for negative values), the share of the top ``x``
    (:func:`top_share`; column ``top_share``, ``x`` in column ``top_x``) and the whale-curve
    peak and where it is reached (:func:`whale_curve`; Cooper & Kaplan 1991). Shares of a
    total that is not positive mean nothing: they are NaN then (the Gini is still given).

    >>> import pandas as pd
    >>> data = pd.DataFrame({"customer_id": list("abcde"), "revenue": [50.0, 20, 15, 10, 5],
    ...                      "profit": [30.0, 8, 2, 0, -10]})
    >>> concentration_summary(data).loc["profit", "top_share"]
    np.float64(1.0)
    """
    df = frame(data)
    x = check_number("x", x, lo=0, hi=1, scalar=True)
    idcol = column(df, customer_id)
    rows = {}
    for label, name in (("revenue", revenue), ("profit", profit)):
        col = column(df, name)
        v = numeric(df, col, idcol)
        positive = len(v) > 0 and v.sum() > 0
        wc = whale_curve(df, col, customer_id=idcol) if positive else None
        rows[label] = {
            "column": col,
            "total": v.sum(),
            "customers": len(v),
            "negative": int((v < 0).sum()),
            "gini": gini(v),
            "top_x": x,
            "top_share": top_share(v, x) if positive else np.nan,
            "whale_peak": wc.peak if wc else np.nan,
            "whale_peak_share_customers": wc.peak_share_customers if wc else np.nan,
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "measure"
    return out


def published_benchmarks(data, *, revenue: str = "revenue", profit: str = "profit") -> pd.DataFrame:
    """Published concentration figures next to the same measure on ``data``, for orientation
    (other industries and cost structures): one row per source with ``source``, ``claim``,
    ``published`` (the published share, a fraction), ``measure`` (what is computed here) and
    ``this_data`` (its value, a fraction; NaN when the total is not positive).

    * Kim, Singh & Winer (2017), *Marketing Letters* 28(4): across packaged-goods brands the top
      20 % of buyers make on average 73 % of sales;
    * McCarthy & Winer (2019), *Marketing Letters* 30(2): 67 % on average in non-CPG firms;
    * Cooper & Kaplan (1991), *HBR* 69(3): the most profitable 20 % of customers can earn up to
      225 % of profit (the whale curve);
    * the course's source material (a claim it reports, provenance unknown): in a Swedish bank
      study, 80 % of customers were satisfied but not profitable, and the 20 % who were
      dissatisfied produced 100 % of the profit — satisfaction is not profitability. Satisfaction
      is not in a transaction log; what can be compared is the share of customers who make
      100 % of profit (:func:`share_reaching_total`).

    >>> import pandas as pd
    >>> data = pd.DataFrame({"revenue": [50.0, 30, 20, 10, 10], "profit": [30.0, 20, 5, 0, -5]})
    >>> published_benchmarks(data)["this_data"].round(2).tolist()
    [0.42, 0.42, 0.6, 0.4]
    """
    df = frame(data)
    r = numeric(df, column(df, revenue))
    p = numeric(df, column(df, profit))
    top_r = top_share(r, 0.2) if r.sum() > 0 else np.nan
    top_p = top_share(p, 0.2) if p.sum() > 0 else np.nan
    rows = [
        (
            "Kim, Singh & Winer (2017), packaged goods",
            "mean share of a brand's sales from its top 20 % of buyers",
            0.73,
            "share of revenue from the top 20 % of customers",
            top_r,
        ),
        (
            "McCarthy & Winer (2019), 339 firms outside packaged goods",
            "mean share of sales from the top 20 % of customers",
            0.67,
            "share of revenue from the top 20 % of customers",
            top_r,
        ),
        (
            "Cooper & Kaplan (1991), whale curve",
            "the most profitable 20 % of customers can earn up to 225 % of profit",
            2.25,
            "share of profit from the most profitable 20 % of customers",
            top_p,
        ),
        (
            "Swedish bank study (the course's source material)",
            "80 % of customers were satisfied but not profitable; the 20 % who were "
            "dissatisfied produced 100 % of the profit",
            0.20,
            "smallest share of customers, most profitable first, who make 100 % of profit",
            share_reaching_total(p),
        ),
    ]
    return pd.DataFrame(rows, columns=["source", "claim", "published", "measure", "this_data"])


def _whale_xy(curve):
    if isinstance(curve, WhaleCurve):
        return curve.curve, curve.value
    if isinstance(curve, pd.DataFrame) and {"share_customers", "share_value"} <= set(curve.columns):
        return curve, "profit"
    raise TypeError("plot_whale_curve expects the result of whale_curve (or its .curve)")


def plot_whale_curve(curve, *, ax=None, title: str | None = None):
    """Whale curve (Cooper & Kaplan 1991): cumulative share of profit (y) against the share of
    customers ranked from most to least profitable (x), with the 100 % line and the peak marked.
    ``curve`` is a :class:`WhaleCurve` or its ``curve`` DataFrame. Returns the Axes.

    >>> from customer_value.pyramid import whale_curve
    >>> ax = plot_whale_curve(whale_curve([60.0, 40, 20, -20]))
    >>> ax.texts[-1].get_text()
    'peak 120% at 75% of customers'
    """
    from matplotlib.ticker import PercentFormatter

    ax = axes(ax, (7, 5))
    df, value = _whale_xy(curve)
    x, y = df["share_customers"].to_numpy(), df["share_value"].to_numpy()
    ax.plot(x, y, color=TIER_COLORS["lead"], lw=2)
    ax.axhline(1.0, color="#777777", ls="--", lw=0.8)
    ax.text(
        0.01,
        1.0,
        f"100% of {value}",
        ha="left",
        va="bottom",
        fontsize=8,
        color="#555555",
        transform=ax.get_yaxis_transform(),
    )
    k = int(np.argmax(y))
    ax.scatter([x[k]], [y[k]], color="#c0392b", zorder=3)
    right = x[k] > 0.55  # keep the label inside the axes
    ax.annotate(
        f"peak {y[k]:.0%} at {x[k]:.0%} of customers",
        (x[k], y[k]),
        xytext=(-6 if right else 6, 6),
        textcoords="offset points",
        fontsize=9,
        ha="right" if right else "left",
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(min(0.0, y.min()) - 0.02, max(1.0, y.max()) * 1.12)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("share of customers, most profitable first")
    ax.set_ylabel(f"cumulative share of {value}")
    ax.set_title(title or "Whale curve")
    return ax


def plot_lorenz(
    data, *, ax=None, columns: Sequence[str] = ("revenue", "profit"), title: str | None = None
):
    """Lorenz curves (Lorenz 1905) with the line of equality; the legend gives each curve's
    Gini (:func:`gini`; Raffinetti, Siletti & Vernizzi 2015 for negative values).

    ``data`` is a customer table (curves of ``columns``, by default revenue and profit), a
    mapping of name → values or → :func:`lorenz_curve` frame, or a single array of values.
    Returns the Axes.

    >>> ax = plot_lorenz({"profit": [1.0, 2, 3, 4]})
    >>> ax.get_legend().get_texts()[0].get_text()
    'profit (Gini 0.25)'
    """
    from matplotlib.ticker import PercentFormatter

    ax = axes(ax, (6, 6))
    if isinstance(data, pd.DataFrame) or hasattr(data, "to_pandas"):
        df = frame(data)
        if {"share_customers", "share_value"} <= set(df.columns):
            series = {"values": df}
        else:
            series = {c: df[column(df, c)] for c in columns}
    elif isinstance(data, Mapping):
        series = dict(data)
    else:
        series = {"values": data}
    palette = ["#264653", "#e76f51", "#2a9d8f", "#e9c46a", "#8d6e63"]
    for i, (name, vals) in enumerate(series.items()):
        if isinstance(vals, pd.DataFrame):
            curve, label = vals, str(name)
        else:
            curve = lorenz_curve(vals)
            label = f"{name} (Gini {gini(vals):.2f})"
        ax.plot(
            curve["share_customers"],
            curve["share_value"],
            lw=2,
            color=palette[i % len(palette)],
            label=label,
        )
    ax.plot([0, 1], [0, 1], color="#777777", ls="--", lw=0.8, label="equality")
    ax.axhline(0, color="#bbbbbb", lw=0.5)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("share of customers, smallest first")
    ax.set_ylabel("cumulative share of the total")
    ax.set_title(title or "Lorenz curves")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return ax
