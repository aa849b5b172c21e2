"""RFM scores and segments, and where they disagree with the profit pyramid.

RFM quintile scores (Hughes 1994, *Strategic Database Marketing*): recency, frequency and
monetary value, 5 best, recency reversed; segment names on the R × FM grid (Champions, Loyal,
… Lost). RFM ranks by behaviour and revenue, the pyramid (Zeithaml, Rust & Lemon 2001) by
profit: they disagree where the cost to serve is high.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._util import Problems, axes
from ..io import InputError
from ._base import TIERS, column, frame, id_rank, ids, numeric, ratio, tiers_for

__all__ = [
    "BEST_SEGMENTS",
    "RFMComparison",
    "RFM_RULES",
    "SEGMENTS",
    "SEGMENT_NAMES_ZH",
    "compare_rfm_with_tiers",
    "rfm_comparison",
    "rfm_grid",
    "rfm_scores",
    "rfm_segments",
]

#: RFM segment names in display order.
SEGMENTS = (
    "Champions",
    "Loyal",
    "Potential Loyalist",
    "New",
    "Promising",
    "Need Attention",
    "About to Sleep",
    "At Risk",
    "Can't Lose Them",
    "Hibernating",
    "Lost",
)
SEGMENT_NAMES_ZH = {
    "Champions": "冠军客户",
    "Loyal": "忠诚客户",
    "Potential Loyalist": "潜在忠诚客户",
    "New": "新客户",
    "Promising": "有潜力客户",
    "Need Attention": "需要关注客户",
    "About to Sleep": "即将沉睡客户",
    "At Risk": "有流失风险客户",
    "Can't Lose Them": "不能失去的客户",
    "Hibernating": "沉睡客户",
    "Lost": "已流失客户",
}
#: The segments an RFM campaign courts most: high frequency and monetary value.
BEST_SEGMENTS = ("Champions", "Loyal", "Can't Lose Them")
#: The R × FM grid as rectangles: (segment, (R from, R to), (FM from, FM to)), inclusive.
#: Together they cover the 25 cells exactly once (see :func:`rfm_grid`).
RFM_RULES = (
    ("Champions", (5, 5), (4, 5)),
    ("Loyal", (3, 4), (4, 5)),
    ("Potential Loyalist", (4, 5), (2, 3)),
    ("New", (5, 5), (1, 1)),
    ("Promising", (4, 4), (1, 1)),
    ("Need Attention", (3, 3), (3, 3)),
    ("About to Sleep", (3, 3), (1, 2)),
    ("At Risk", (1, 2), (3, 4)),
    ("Can't Lose Them", (1, 2), (5, 5)),
    ("Hibernating", (2, 2), (1, 2)),
    ("Lost", (1, 1), (1, 2)),
)


def _grid() -> np.ndarray:
    grid = np.empty((6, 6), dtype=object)
    for name, (r0, r1), (f0, f1) in RFM_RULES:
        grid[r0 : r1 + 1, f0 : f1 + 1] = name
    return grid


_GRID = _grid()


def rfm_grid() -> pd.DataFrame:
    """The segment of each R × FM cell: rows R = 5 (most recent) … 1, columns FM = 1 … 5.

    The grid is the widely used R × F segment map (a cell-by-cell version of Putler's RFM
    segment table: Champions R 5 & F 4–5, Loyal R 3–4 & F 4–5, Potential Loyalist R 4–5 &
    F 2–3, New 5·1, Promising 4·1, Need Attention 3·3, About to Sleep R 3 & F 1–2, At Risk R 1–2
    & F 3–4, Can't Lose Them R 1–2 & F 5, Hibernating R 1–2 & F 1–2), with two changes: the
    column is FM = the mean of F and M rounded half up (so money counts, as in Putler's "R vs
    average of F and M" chart), and the low-low corner is split into Lost (R = 1) and
    Hibernating (R = 2), so all the names of the course's segment list occur.

    >>> rfm_grid().loc[5, 5]
    'Champions'
    """
    return pd.DataFrame(
        [[_GRID[r, f] for f in range(1, 6)] for r in range(5, 0, -1)],
        index=pd.Index(range(5, 0, -1), name="R"),
        columns=pd.Index(range(1, 6), name="FM"),
    )


def _quantile_scores(key: np.ndarray, rank_of_id: np.ndarray, bins: int) -> np.ndarray:
    n = len(key)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if n == 1:
        return np.array([(bins + 1) // 2], dtype=np.int64)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((rank_of_id, key))] = np.arange(1, n + 1)
    # pd.qcut(rank, bins) on the ranks 1..n: edges 1 + j(n−1)/bins, right-closed; in integers
    return np.maximum(1, -(-(bins * (rank - 1)) // (n - 1))).astype(np.int64)


def rfm_scores(
    data,
    recency: str = "recency_days",
    frequency: str = "orders",
    monetary: str = "revenue",
    *,
    customer_id: str = "customer_id",
    bins: int = 5,
) -> pd.DataFrame:
    """RFM quintile scores 1–5, 5 best (Hughes 1994, *Strategic Database Marketing*; Fader,
    Hardie & Lee 2005, *JMR* 42(4)).

    Frequency and monetary: higher is better. Recency (days since the last purchase) is
    reversed: the most recent customers score 5. Ties are deterministic: customers are sorted
    by the value (for recency: by −recency_days) and then by ``customer_id`` ascending, ranked
    1..n in that order (pandas ``rank(method="first")`` after that sort), and the ranks are cut
    into ``bins`` equal-count groups exactly as ``pd.qcut(rank, bins)`` does. So of two tied
    customers the one with the smaller id gets the lower (or equal) score; with n = 10 each
    score has two customers. A single customer scores 3.

    Returns, on the index of ``data``: customer_id, the three input columns, ``R``, ``F``,
    ``M``, ``FM`` = (F + M)/2 rounded half up, and the code ``RFM`` (e.g. ``"545"``).

    >>> import pandas as pd
    >>> data = pd.DataFrame({"customer_id": list("abcde"), "recency_days": [1, 9, 3, 30, 3],
    ...                      "orders": [5, 1, 2, 1, 3], "revenue": [500.0, 20, 90, 10, 60]})
    >>> rfm_scores(data)["RFM"].tolist()          # c and e tie on recency: c (smaller id) gets 3
    ['555', '212', '334', '121', '443']
    """
    df = frame(data)
    idcol = column(df, customer_id)
    customer = ids(df, idcol)
    rank = id_rank(customer)
    cols = {"R": column(df, recency), "F": column(df, frequency), "M": column(df, monetary)}
    out = pd.DataFrame({idcol: customer.to_numpy()}, index=df.index)
    for c in cols.values():
        out[c] = df[c]
    for score, col in cols.items():
        v = numeric(df, col, idcol)
        out[score] = _quantile_scores(-v if score == "R" else v, rank, int(bins))
    out["FM"] = (out["F"] + out["M"] + 1) // 2
    out["RFM"] = out["R"].astype(str) + out["F"].astype(str) + out["M"].astype(str)
    return out


def _score_column(scores: pd.DataFrame, name: str) -> np.ndarray:
    if name not in scores.columns:
        raise InputError(
            f"column {name!r} not found; pass the output of rfm_scores (columns R, F, M)",
            columns=[name],
        )
    v = numeric(scores, name)
    bad = ~np.isin(v, [1, 2, 3, 4, 5])
    if bad.any():
        p = Problems(f"column {name!r}: RFM scores must be 1..5:", frame=scores)
        p.add_values(name, scores[name], bad)
        p.raise_if_any()
    return v.astype(np.int64)


def score_cells(scores: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The R and FM score of each row of ``scores`` (FM from F and M when it is absent)."""
    r = _score_column(scores, "R")
    if "FM" in scores.columns:
        fm = _score_column(scores, "FM")
    else:
        fm = (_score_column(scores, "F") + _score_column(scores, "M") + 1) // 2
    return r, fm


def rfm_segments(scores: pd.DataFrame) -> pd.Series:
    """Name each customer's RFM segment from its R and FM scores by the grid of :func:`rfm_grid`
    (the R × F map in common use, e.g. Putler's; Hughes 1994 for the scores).

    ``scores`` has columns ``R`` and ``FM``, or ``R``, ``F`` and ``M`` (FM = (F + M)/2 rounded
    half up), each 1–5, as :func:`rfm_scores` returns. Returns an ordered Categorical Series
    named ``segment`` (categories :data:`SEGMENTS`) on the same index.

    Rule table (R rows, FM columns):

    ====  ==============  ==================  ==================  ===============  ===============
    R     FM 1            FM 2                FM 3                FM 4             FM 5
    ====  ==============  ==================  ==================  ===============  ===============
    5     New             Potential Loyalist  Potential Loyalist  Champions        Champions
    4     Promising       Potential Loyalist  Potential Loyalist  Loyal            Loyal
    3     About to Sleep  About to Sleep      Need Attention      Loyal            Loyal
    2     Hibernating     Hibernating         At Risk             At Risk          Can't Lose Them
    1     Lost            Lost                At Risk             At Risk          Can't Lose Them
    ====  ==============  ==================  ==================  ===============  ===============

    >>> import pandas as pd
    >>> rfm_segments(pd.DataFrame({"R": [5, 1], "F": [5, 5], "M": [4, 5]})).tolist()
    ['Champions', "Can't Lose Them"]
    """
    r, fm = score_cells(scores)
    return pd.Series(
        pd.Categorical(_GRID[r, fm], categories=list(SEGMENTS), ordered=True),
        index=scores.index,
        name="segment",
    )


def compare_rfm_with_tiers(
    data,
    segments,
    tiers,
    *,
    values: str | None = None,
    aggfunc: str = "mean",
    margins: bool = True,
    customer_id: str = "customer_id",
) -> pd.DataFrame:
    """Cross-tabulate RFM segments (rows, :data:`SEGMENTS` order) against pyramid tiers (columns).

    RFM ranks customers by behaviour and revenue (Hughes 1994); the pyramid by profit
    (Zeithaml, Rust & Lemon 2001). They disagree where cost to serve is high: a Champion by RFM
    can be lead by profit. ``segments`` is the Series of :func:`rfm_segments` (or a DataFrame
    with a ``segment`` column, or RFM scores), ``tiers`` as in :func:`tier_profile`. Cells count
    customers; with ``values="cost_to_serve"`` (any numeric column) they hold ``aggfunc`` of
    that column instead. ``margins`` adds a ``total`` row and column.

    >>> import pandas as pd
    >>> data = pd.DataFrame({"customer_id": ["a", "b"], "cost_to_serve": [5.0, 90]})
    >>> compare_rfm_with_tiers(data, ["Champions", "Champions"], ["platinum", "lead"]).loc[
    ...     "Champions", ["platinum", "lead", "total"]].tolist()
    [1, 1, 2]
    """
    df = frame(data)
    tier = tiers_for(tiers, df, customer_id)
    if isinstance(segments, pd.DataFrame):
        seg = segments["segment"] if "segment" in segments.columns else rfm_segments(segments)
    else:
        seg = segments
    seg = pd.Series(list(seg), index=df.index) if not isinstance(seg, pd.Series) else seg
    if not seg.index.equals(df.index):
        seg = seg.reindex(df.index)
    unknown = ~seg.isin(SEGMENTS).to_numpy()
    if unknown.any():
        p = Problems(f"unknown RFM segment(s); segments are {list(SEGMENTS)}:")
        p.add_values("segment", seg, unknown)
        p.raise_if_any()
    cells = pd.DataFrame(
        {
            "segment": pd.Categorical(seg.astype(str), categories=list(SEGMENTS)),
            "tier": pd.Categorical(tier.astype(str), categories=list(TIERS)),
        },
        index=df.index,
    )
    if values is None:
        tab = cells.groupby(["segment", "tier"], observed=False).size().unstack("tier")
        tab = tab.fillna(0).astype("int64")
        row_m, col_m, grand = tab.sum(axis=1), tab.sum(axis=0), int(tab.to_numpy().sum())
    else:
        cells["v"] = numeric(df, column(df, values))
        g = cells.groupby(["segment", "tier"], observed=False)["v"]
        tab = g.agg(aggfunc).unstack("tier")
        row_m = cells.groupby("segment", observed=False)["v"].agg(aggfunc)
        col_m = cells.groupby("tier", observed=False)["v"].agg(aggfunc)
        grand = cells["v"].agg(aggfunc)
    tab.index = pd.Index([str(s) for s in tab.index], name="segment")
    tab.columns = pd.Index([str(t) for t in tab.columns], name="tier")
    if margins:
        tab["total"] = row_m.to_numpy()
        tab.loc["total"] = list(col_m.to_numpy()) + [grand]
        if values is None:
            tab = tab.astype("int64")
    return tab


@dataclass
class RFMComparison:
    """Result of :func:`rfm_comparison`.

    Attributes: ``scores`` (:func:`rfm_scores`), ``segments`` (:func:`rfm_segments`),
    ``tiers``, ``counts`` (customers by segment and tier, with totals), ``cost_to_serve`` (mean
    cost to serve per cell, with totals), ``conflict`` (True for customers in
    :data:`BEST_SEGMENTS` whom the pyramid puts in the lead tier), ``best`` (the segments that
    count as best) and ``groups`` (the per-group means of :meth:`summary`).
    """

    scores: pd.DataFrame
    segments: pd.Series
    tiers: pd.Series
    counts: pd.DataFrame
    cost_to_serve: pd.DataFrame
    conflict: pd.Series
    best: tuple[str, ...]
    groups: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        """One row per group — best RFM segments in the lead tier, best RFM segments in the
        platinum tier, all customers — with customers, mean revenue, mean cost to serve, mean
        profit and returns per order line (a rate)."""
        return self.groups.copy()

    def to_frame(self) -> pd.DataFrame:
        """Per customer: the RFM scores, the segment, the tier and ``conflict``."""
        return self.scores.assign(segment=self.segments, tier=self.tiers, conflict=self.conflict)

    def plot(self, ax=None, **kwargs):
        """The R × FM segment map of :func:`plot_rfm_map`; returns the Axes."""

        return plot_rfm_map(self.scores, ax=ax, **kwargs)


def rfm_comparison(
    data,
    tiers,
    *,
    recency: str = "recency_days",
    frequency: str = "orders",
    monetary: str = "revenue",
    customer_id: str = "customer_id",
    best: Sequence[str] = BEST_SEGMENTS,
) -> RFMComparison:
    """RFM segments against profit tiers in one step: :func:`rfm_scores` (Hughes 1994),
    :func:`rfm_segments`, :func:`compare_rfm_with_tiers` (counts and mean cost to serve), and
    the customers on whom the two disagree most — in RFM's ``best`` segments but in the lead
    tier by profit (Zeithaml, Rust & Lemon 2001) — compared with the best segments' platinum
    customers. ``data`` is a customer table with ``returns``, ``orders``, ``revenue``,
    ``cost_to_serve`` and ``profit`` (customers.customer_table).

    >>> import pandas as pd
    >>> data = pd.DataFrame({"customer_id": list("abcde"), "recency_days": [1, 2, 50, 90, 3],
    ...     "orders": [9, 8, 1, 1, 2], "revenue": [900.0, 800, 50, 20, 100],
    ...     "returns": [0, 4, 0, 0, 0], "cost_to_serve": [50.0, 700, 5, 5, 10],
    ...     "profit": [300.0, -200, 10, 2, 30]})
    >>> res = rfm_comparison(data, ["platinum", "lead", "iron", "lead", "gold"])
    >>> res.conflict.tolist()
    [False, True, False, False, False]
    """
    df = frame(data)
    tier = tiers_for(tiers, df, customer_id)
    unknown = [s for s in best if s not in SEGMENTS]
    if unknown:
        raise InputError(
            f"unknown RFM segment(s) in best: {unknown}; segments are {list(SEGMENTS)}"
        )
    scores = rfm_scores(df, recency, frequency, monetary, customer_id=customer_id)
    segments = rfm_segments(scores)
    counts = compare_rfm_with_tiers(df, segments, tier, customer_id=customer_id)
    cost = compare_rfm_with_tiers(
        df, segments, tier, values="cost_to_serve", customer_id=customer_id
    )
    in_best = segments.isin(list(best)).to_numpy()
    codes = tier.to_numpy()
    masks = {
        "best RFM segments, lead tier": in_best & (codes == "lead"),
        "best RFM segments, platinum tier": in_best & (codes == "platinum"),
        "all customers": np.ones(len(df), dtype=bool),
    }
    cols = {c: numeric(df, column(df, c)) for c in ("revenue", "cost_to_serve", "profit")}
    returns, orders = numeric(df, column(df, "returns")), numeric(df, column(df, frequency))
    rows = []
    for name, m in masks.items():
        k = int(m.sum())
        rows.append(
            {
                "group": name,
                "customers": k,
                "mean_revenue": cols["revenue"][m].mean() if k else np.nan,
                "mean_cost_to_serve": cols["cost_to_serve"][m].mean() if k else np.nan,
                "mean_profit": cols["profit"][m].mean() if k else np.nan,
                "returns_per_order": ratio(returns[m].sum(), orders[m].sum()),
            }
        )
    return RFMComparison(
        scores=scores,
        segments=segments,
        tiers=tier,
        counts=counts,
        cost_to_serve=cost,
        conflict=pd.Series(masks["best RFM segments, lead tier"], index=df.index, name="conflict"),
        best=tuple(best),
        groups=pd.DataFrame(rows),
    )


SEGMENT_COLORS = {
    "Champions": "#2a9d8f",
    "Loyal": "#52b788",
    "Potential Loyalist": "#95d5b2",
    "New": "#90e0ef",
    "Promising": "#caf0f8",
    "Need Attention": "#f4d35e",
    "About to Sleep": "#f6bd60",
    "At Risk": "#f28482",
    "Can't Lose Them": "#e63946",
    "Hibernating": "#b0b0b0",
    "Lost": "#6c757d",
}


def plot_rfm_map(segments, *, ax=None, title: str | None = None):
    """RFM segment map (Hughes 1994 for the scores; the grid of :func:`rfm_grid`).

    With RFM scores (a DataFrame with ``R`` and ``FM`` or ``F`` and ``M``, as :func:`rfm_scores`
    returns): the 5 × 5 R × FM grid of :func:`rfm_grid`, each segment a coloured block labelled
    with its name, customer count and share. With a Series of segment names (as
    :func:`rfm_segments` returns): horizontal bars of customers per segment. Returns the Axes.

    >>> import pandas as pd
    >>> ax = plot_rfm_map(pd.DataFrame({"R": [5, 1], "F": [5, 1], "M": [4, 1]}))
    >>> ax.get_xlabel()
    'FM score (mean of frequency and monetary)'
    >>> import matplotlib.pyplot as plt
    >>> plt.close("all")
    """
    from matplotlib.patches import Rectangle

    if isinstance(segments, pd.DataFrame) and "R" in segments.columns:
        ax = axes(ax, (7, 6))
        r, fm = score_cells(segments)
        seg = _GRID[r, fm]
        n = max(len(seg), 1)
        for name, (r0, r1), (f0, f1) in RFM_RULES:
            ax.add_patch(
                Rectangle(
                    (f0 - 0.5, r0 - 0.5),
                    f1 - f0 + 1,
                    r1 - r0 + 1,
                    facecolor=SEGMENT_COLORS[name],
                    edgecolor="white",
                    lw=2,
                )
            )
            k = int((seg == name).sum())
            ax.text(
                (f0 + f1) / 2,
                (r0 + r1) / 2,
                f"{name}\n{k} ({k / n:.0%})",
                ha="center",
                va="center",
                fontsize=8,
            )
        ax.set_xlim(0.5, 5.5)
        ax.set_ylim(0.5, 5.5)
        ax.set_xticks(range(1, 6))
        ax.set_yticks(range(1, 6))
        ax.set_xlabel("FM score (mean of frequency and monetary)")
        ax.set_ylabel("R score (5 = most recent)")
        ax.set_aspect("equal")
        ax.set_title(title or "RFM segments on the R × FM grid")
        return ax
    seg = segments["segment"] if isinstance(segments, pd.DataFrame) else pd.Series(segments)
    counts = seg.astype(str).value_counts().reindex(list(SEGMENTS), fill_value=0)
    ax = axes(ax, (7, 5))
    y = np.arange(len(SEGMENTS))[::-1]
    ax.barh(y, counts.to_numpy(), color=[SEGMENT_COLORS[s] for s in SEGMENTS])
    total = max(int(counts.sum()), 1)
    for yi, c in zip(y, counts.to_numpy()):
        ax.text(c, yi, f" {c} ({c / total:.0%})", va="center", fontsize=8)
    ax.set_yticks(y, list(SEGMENTS))
    ax.set_xlabel("customers")
    ax.set_title(title or "RFM segments")
    return ax
