"""Tiers of the customer pyramid: who is platinum, gold, iron or lead, and what each tier is.

Zeithaml, Rust & Lemon (2001), "The Customer Pyramid: Creating and Serving Profitable
Customers", *California Management Review* 43(4):118–142: customers are tiered by
**profitability, not revenue**. The paper fixes no tier shares; 20/30/30/20 % is a
practitioners' default and a parameter everywhere.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin

from .._util import fmt, rng
from ..io import InputError
from ._base import (
    TIER_NAMES_ZH,
    TIERS,
    column,
    frame,
    id_rank,
    ids,
    normalize_tiers,
    numeric,
    ratio,
    tier_series,
    tiers_for,
    values_of,
)

__all__ = [
    "METHODS",
    "PROFILE_COLUMNS",
    "PyramidSegmenter",
    "TierComparison",
    "activity_by_tier",
    "assign_tiers",
    "check_cutoffs",
    "check_method",
    "check_shares",
    "flag_unprofitable",
    "revenue_vs_profit",
    "tier_profile",
    "tier_shares",
]

METHODS = ("shares", "cumulative", "kmeans")
DEFAULT_SHARES = (0.2, 0.3, 0.3, 0.2)
DEFAULT_CUTOFFS = (0.5, 0.8, 1.0)


# --------------------------------------------------------------------------------------------
# the arguments
# --------------------------------------------------------------------------------------------


def check_shares(shares) -> np.ndarray:
    """Four shares of customers (platinum, gold, iron, lead) that are non-negative and add up
    to 1, as an array; otherwise an InputError that shows them.

    >>> check_shares((0.2, 0.3, 0.3, 0.2)).tolist()
    [0.2, 0.3, 0.3, 0.2]
    >>> check_shares((20, 30, 30, 20))
    Traceback (most recent call last):
    ...
    customer_value.io.InputError: shares must be four non-negative shares of customers (platinum, gold, iron, lead) that add up to 1, not (20, 30, 30, 20)
    """
    try:
        s = np.asarray(shares, dtype="float64")
    except (TypeError, ValueError):
        s = np.full(0, np.nan)
    if s.shape != (4,) or not np.isfinite(s).all() or (s < 0).any() or abs(s.sum() - 1) > 1e-6:
        shown = tuple(shares) if isinstance(shares, Sequence) else shares
        raise InputError(
            f"shares must be four non-negative shares of customers (platinum, gold, "
            f"iron, lead) that add up to 1, not {shown!r}"
        )
    return s


def check_cutoffs(cutoffs) -> np.ndarray:
    """Three cumulative shares of positive value that close platinum, gold and iron,
    0 < platinum ≤ gold ≤ iron ≤ 1, as an array; otherwise an InputError.

    >>> check_cutoffs((0.5, 0.8, 1.0)).tolist()
    [0.5, 0.8, 1.0]
    """
    try:
        c = np.asarray(cutoffs, dtype="float64")
    except (TypeError, ValueError):
        c = np.full(0, np.nan)
    if c.shape != (3,) or not np.isfinite(c).all() or not (0 < c[0] <= c[1] <= c[2] <= 1):
        shown = tuple(cutoffs) if isinstance(cutoffs, Sequence) else cutoffs
        raise InputError(
            f"cutoffs must be three cumulative shares of positive value with "
            f"0 < platinum <= gold <= iron <= 1, not {shown!r}"
        )
    return c


def check_method(method) -> str:
    """``method`` if it is one of :data:`METHODS` (the tiering methods of :func:`assign_tiers`);
    otherwise an InputError.

    >>> check_method("cumulative")
    'cumulative'
    """
    if method not in METHODS:
        raise InputError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    return method


def describe_method(
    method: str = "shares",
    shares: Sequence[float] = DEFAULT_SHARES,
    cutoffs: Sequence[float] = DEFAULT_CUTOFFS,
    value: str = "profit",
    seed=0,
) -> str:
    """How the tiers of :func:`assign_tiers` were cut (Zeithaml, Rust & Lemon 2001 tier by
    profitability), in one sentence for a report or the command line.

    >>> describe_method()
    'customers ranked by profit and cut at fixed shares of customers, 20/30/30/20 % for platinum/gold/iron/lead'
    """
    if check_method(method) == "shares":
        return (
            f"customers ranked by {value} and cut at fixed shares of customers, "
            + "/".join(f"{100 * s:g}" for s in check_shares(shares))
            + " % for platinum/gold/iron/lead"
        )
    if method == "cumulative":
        c = check_cutoffs(cutoffs)
        return (
            f"customers ranked by {value} and cut where the cumulative share of positive {value} "
            "reaches " + "/".join(f"{100 * x:g}" for x in c) + " % (platinum/gold/iron); lead are "
            f"the customers with {value} of zero or less"
            + (" and the tail beyond the last cut-off" if c[2] < 1 else "")
        )
    return (
        f"k-means with four clusters on the signed logarithm of {value} (seed {fmt(seed)}), "
        f"clusters ordered by mean {value}"
    )


# --------------------------------------------------------------------------------------------
# tiers
# --------------------------------------------------------------------------------------------


def _random_state(seed) -> int:
    """scikit-learn's ``random_state`` for ``seed``: an int seed as it is (so that ``seed=0``
    gives what ``KMeans(random_state=0)`` gives), else a draw from :func:`rng` of it."""
    gen = rng(seed)
    if isinstance(seed, numbers.Integral):
        return int(seed)
    return int(gen.integers(2**31 - 1))


def _tier_codes(
    v: np.ndarray, rank: np.ndarray, method: str, shares, cutoffs, seed, value: str
) -> np.ndarray:
    """Tier codes (0 = platinum) of values ``v``, ties ordered by ``rank`` (ascending)."""
    n = len(v)
    check_method(method)
    if method == "shares":
        s = check_shares(shares)
    elif method == "cumulative":
        c = check_cutoffs(cutoffs)
    codes = np.zeros(n, dtype=np.int64)
    if n == 0:
        return codes
    order = np.lexsort((rank, -v))  # value descending, then rank (customer_id) ascending
    if method == "shares":
        bounds = np.floor(n * np.cumsum(s) + 0.5 + 1e-9).astype(np.int64)
        bounds[-1] = n
        position = np.empty(n, dtype=np.int64)
        position[order] = np.arange(n)
        codes = np.minimum(np.searchsorted(bounds, position, side="right"), 3)
    elif method == "cumulative":
        vs = v[order]
        cum = np.cumsum(np.maximum(vs, 0.0))
        total = cum[-1]
        before = np.concatenate([[0.0], cum[:-1]])
        sorted_codes = np.where(vs > 0, np.searchsorted(c * total, before, side="right"), 3)
        codes[order] = np.minimum(sorted_codes, 3)
    else:
        x = np.sign(v) * np.log1p(np.abs(v))
        distinct = np.unique(x).size
        if distinct < 4:
            raise InputError(
                f"method='kmeans' needs at least 4 distinct values of {value!r}, got "
                f"{distinct} ({n} sample{'s' if n != 1 else ''})",
                columns=[value],
            )
        from sklearn.cluster import KMeans

        km = KMeans(n_clusters=4, n_init=10, random_state=_random_state(seed))
        labels = km.fit(x.reshape(-1, 1)).labels_
        means = np.array([v[labels == k].mean() for k in range(4)])
        order_k = np.empty(4, dtype=np.int64)
        order_k[np.argsort(-means, kind="stable")] = np.arange(4)
        codes = order_k[labels]
    return codes


def assign_tiers(
    data,
    *,
    method: str = "shares",
    shares: Sequence[float] = DEFAULT_SHARES,
    cutoffs: Sequence[float] = DEFAULT_CUTOFFS,
    value: str = "profit",
    customer_id: str = "customer_id",
    seed: int | np.random.Generator | None = 0,
) -> pd.Series:
    """Assign each customer a pyramid tier: platinum, gold, iron or lead (Zeithaml, Rust & Lemon
    2001).

    Customers are ranked by ``value`` (profit by default: the paper tiers by profitability, not
    revenue) in descending order, ties broken by ``customer_id`` ascending. Then:

    * ``method="shares"``: the first ``shares[0]`` of customers are platinum, the next
      ``shares[1]`` gold, and so on. The paper fixes no shares; 20/30/30/20 is a practitioners'
      default. With n customers the tier boundaries are at positions round(n × cumulative
      share), rounded half up (n = 10 and 20/30/30/20 give 2, 3, 3, 2 customers).
    * ``method="cumulative"``: by cumulative share of total *positive* value P (ABC analysis).
      Writing S for the positive value of the customers ranked before a customer, a customer
      with positive value is platinum if S < cutoffs[0]·P, gold if S < cutoffs[1]·P, iron if
      S < cutoffs[2]·P; in words, tier k is the smallest group of the next-best customers that
      brings the cumulative share up to cutoffs[k] (the customer who crosses the cut-off
      belongs to the tier). **Lead** is everyone else: every customer with zero or negative
      value, plus — when cutoffs[2] < 1 — the positive tail beyond cutoffs[2]. With the
      default (0.5, 0.8, 1.0) platinum customers make the first 50 % of positive profit, gold
      the next 30 %, iron the last 20 %, and lead are exactly the customers with profit ≤ 0.
    * ``method="kmeans"``: k-means with k = 4 (scikit-learn, ``n_init=10``,
      ``random_state=seed`` for an int seed, else drawn from the Generator) on the signed log
      sign(x)·log1p(|x|) of the value, so that a few huge customers do not get a cluster each;
      clusters are ordered by their mean value, highest = platinum.

    Returns a Series of ordered Categorical tiers named ``"tier"`` on the index of ``data``
    (categories in :data:`TIERS` order, top first). Whether a customer loses money is a
    separate fact: see :func:`flag_unprofitable`.

    >>> import pandas as pd
    >>> data = pd.DataFrame({"customer_id": ["a", "b", "c"], "profit": [60.0, 40, -5]})
    >>> assign_tiers(data, method="cumulative").tolist()
    ['platinum', 'gold', 'lead']
    """
    df = frame(data)
    vcol, idcol = column(df, value), column(df, customer_id)
    customer = ids(df, idcol)
    v = numeric(df, vcol, idcol)
    codes = _tier_codes(v, id_rank(customer), method, shares, cutoffs, seed, vcol)
    return tier_series(codes, df.index)


def flag_unprofitable(data, *, profit: str = "profit") -> pd.Series:
    """Boolean Series ``unprofitable``: True where the customer's profit is negative.

    Zeithaml et al. (2001): lead customers "cost the company money"; Cooper & Kaplan (1991):
    unprofitable customers are what bends the whale curve above 100 %.

    >>> import pandas as pd
    >>> flag_unprofitable(pd.DataFrame({"profit": [3.0, 0.0, -1.0]})).tolist()
    [False, False, True]
    """
    df = frame(data)
    col = column(df, profit)
    return pd.Series(numeric(df, col) < 0, index=df.index, name="unprofitable")


class PyramidSegmenter(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Learn tier cut-offs on one period's values and apply them to another period's: a
    scikit-learn transformer (``fit``/``transform``, ``clone``, pipelines, ``set_output``).

    ``fit(X)`` ranks the values of each column of ``X`` (one column per measure, usually just
    profit: ``data[["profit"]]``) as :func:`assign_tiers` does (same ``method``, ``shares``,
    ``cutoffs`` and ``seed``) and stores in :attr:`thresholds_` the lowest value of each tier
    **or the tiers above it** (``+inf`` when those tiers are empty). ``transform(X)`` applies
    those fixed thresholds: a value is platinum (0) if ≥ the platinum threshold, else gold (1) if
    ≥ the gold threshold, else iron (2) if ≥ the iron threshold, else lead (3). The output has one
    column of tier codes per input column (float, as scikit-learn's ordinal encoders); use
    :meth:`tiers` for named tiers. So the tiers of a later period measure movement against a
    fixed yardstick, whereas :func:`assign_tiers` on that period would re-impose the shares.

    On the fitting data itself the tiers equal :func:`assign_tiers`' except for customers tied in
    value across a tier boundary (split by customer id there): with fixed thresholds they all
    go to the upper tier. Which customer of a tie comes first does not change a threshold, so
    ``fit`` needs no customer ids.

    Attributes
    ----------
    thresholds_ : array (n_features_in_, 3): minimum value of platinum, gold and iron.
    counts_ : array (n_features_in_, 4): customers per tier in the fitting data.
    n_features_in_, feature_names_in_ : as in scikit-learn.

    >>> import pandas as pd
    >>> p1 = pd.DataFrame({"profit": [90.0, 50, 20, 10, -5]})
    >>> seg = PyramidSegmenter(shares=(0.2, 0.2, 0.4, 0.2)).fit(p1)
    >>> seg.thresholds_.tolist()
    [[90.0, 50.0, 10.0]]
    >>> seg.tiers(pd.DataFrame({"profit": [95.0, 92, 60, 5, 1]})).tolist()
    ['platinum', 'platinum', 'gold', 'lead', 'lead']
    """

    def __init__(
        self,
        method: str = "shares",
        shares: Sequence[float] = DEFAULT_SHARES,
        cutoffs: Sequence[float] = DEFAULT_CUTOFFS,
        seed: int | np.random.Generator | None = 0,
    ):
        self.method = method
        self.shares = shares
        self.cutoffs = cutoffs
        self.seed = seed

    def _check_input(self, X, *, reset: bool) -> np.ndarray:
        from sklearn.utils.validation import validate_data

        if isinstance(X, pd.DataFrame):
            for col in X.columns:
                numeric(X, col)
        try:
            return validate_data(self, X, reset=reset, dtype="numeric")
        except ValueError as err:
            if isinstance(err, InputError):
                raise
            raise InputError(str(err)) from None

    def fit(self, X, y=None):
        """Rank each column of ``X`` and learn the value thresholds between its tiers."""
        arr = np.asarray(self._check_input(X, reset=True), dtype="float64")
        names = getattr(self, "feature_names_in_", None)
        thresholds = np.empty((arr.shape[1], 3))
        counts = np.empty((arr.shape[1], 4), dtype=np.int64)
        for j in range(arr.shape[1]):
            v = arr[:, j]
            label = str(names[j]) if names is not None else f"column {j}"
            codes = _tier_codes(
                v, np.arange(len(v)), self.method, self.shares, self.cutoffs, self.seed, label
            )
            thresholds[j] = [
                v[codes <= k].min() if (codes <= k).any() else np.inf for k in range(3)
            ]
            counts[j] = np.bincount(codes, minlength=4)
        self.thresholds_ = thresholds
        self.counts_ = counts
        return self

    def transform(self, X):
        """Tier codes of ``X`` by the fitted thresholds: 0 platinum, 1 gold, 2 iron, 3 lead."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "thresholds_")
        arr = np.asarray(self._check_input(X, reset=False), dtype="float64")
        t = self.thresholds_
        return ((arr < t[:, 0]).astype(np.float64) + (arr < t[:, 1]) + (arr < t[:, 2])).astype(
            np.float64
        )

    def tiers(self, X) -> pd.Series:
        """The tiers of one column of values, as the ordered Categorical Series of
        :func:`assign_tiers` (on the index of ``X`` when it is a DataFrame)."""
        codes = self.transform(X)
        if codes.shape[1] != 1:
            raise InputError(
                f"tiers() needs one column of values, got {codes.shape[1]}; use transform()"
            )
        index = X.index if isinstance(X, pd.DataFrame) else None
        return tier_series(codes[:, 0].astype(np.int64), index)

    def summary(self) -> pd.DataFrame:
        """One row per input column and tier: the minimum value of the tier (``min_value``;
        -inf for lead) and the customers of the fitting data in it (count and share)."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "thresholds_")
        names = self.get_feature_names_out()
        rows = []
        for j, name in enumerate(names):
            n = self.counts_[j].sum()
            for k, t in enumerate(TIERS):
                rows.append(
                    {
                        "feature": str(name),
                        "tier": t,
                        "tier_zh": TIER_NAMES_ZH[t],
                        "min_value": self.thresholds_[j, k] if k < 3 else -np.inf,
                        "customers": int(self.counts_[j, k]),
                        "share_customers": ratio(self.counts_[j, k], n),
                    }
                )
        return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# tier profile
# --------------------------------------------------------------------------------------------

PROFILE_COLUMNS = [
    "tier",
    "tier_zh",
    "customers",
    "share_customers",
    "revenue",
    "gross_margin",
    "cost_to_serve",
    "profit",
    "share_profit",
    "share_revenue",
    "avg_order_value",
    "mean_recency_days",
    "mean_orders",
    "unprofitable",
    "share_unprofitable",
    "mean_profit",
]


def tier_profile(data, tiers, *, customer_id: str = "customer_id") -> pd.DataFrame:
    """Profile of each tier, plus a ``total`` row: size, money, shares and behaviour.

    ``tiers`` is a Series on the index of ``data`` (as :func:`assign_tiers` returns), a list,
    the name of a tier column, or a frame with ``customer_id`` and ``tier`` columns. Per tier:
    customers and share_customers; sums of revenue, gross_margin, cost_to_serve and profit;
    share_profit and share_revenue (fractions of the table's totals; a lead tier's share of
    profit is negative, so the other tiers' shares add up to more than 1); avg_order_value =
    Σ gross_sales / Σ orders (the tier's mean order, not the mean of customers' means);
    mean_recency_days; mean_orders (frequency); unprofitable = customers with profit < 0, and
    their share; mean_profit. Empty tiers are kept with zero customers.

    The table needs revenue, gross_margin, cost_to_serve, profit, orders, recency_days and
    gross_sales (or avg_order_value) — the columns of customers.customer_table (Zeithaml, Rust
    & Lemon 2001 describe the tiers by these: profit, spending, loyalty, cost to serve).

    >>> import pandas as pd
    >>> data = pd.DataFrame({"customer_id": ["a", "b"], "revenue": [100.0, 50], "gross_sales":
    ...     [100.0, 50], "gross_margin": [40.0, 20], "cost_to_serve": [10.0, 30],
    ...     "profit": [30.0, -10], "orders": [2, 1], "recency_days": [5, 40]})
    >>> tier_profile(data, ["platinum", "lead"]).set_index("tier").loc["total", "profit"]
    np.float64(20.0)
    """
    df = frame(data)
    tier = tiers_for(tiers, df, customer_id)
    cols = {
        c: column(df, c)
        for c in ("revenue", "gross_margin", "cost_to_serve", "profit", "orders", "recency_days")
    }
    values = {c: numeric(df, col) for c, col in cols.items()}
    try:
        values["gross_sales"] = numeric(df, column(df, "gross_sales"))
    except InputError:
        values["gross_sales"] = numeric(df, column(df, "avg_order_value")) * values["orders"]
    table = pd.DataFrame(values, index=df.index)
    codes = tier.cat.codes.to_numpy()
    n = len(table)
    tot_profit, tot_revenue = table["profit"].sum(), table["revenue"].sum()

    def row(name, zh, part):
        k = len(part)
        unprof = int((part["profit"] < 0).sum())
        return {
            "tier": name,
            "tier_zh": zh,
            "customers": k,
            "share_customers": ratio(k, n),
            "revenue": part["revenue"].sum(),
            "gross_margin": part["gross_margin"].sum(),
            "cost_to_serve": part["cost_to_serve"].sum(),
            "profit": part["profit"].sum(),
            "share_profit": ratio(part["profit"].sum(), tot_profit),
            "share_revenue": ratio(part["revenue"].sum(), tot_revenue),
            "avg_order_value": ratio(part["gross_sales"].sum(), part["orders"].sum()),
            "mean_recency_days": part["recency_days"].mean() if k else np.nan,
            "mean_orders": part["orders"].mean() if k else np.nan,
            "unprofitable": unprof,
            "share_unprofitable": ratio(unprof, k),
            "mean_profit": ratio(part["profit"].sum(), k),
        }

    rows = [row(t, TIER_NAMES_ZH[t], table[codes == i]) for i, t in enumerate(TIERS)]
    rows.append(row("total", "合计", table))
    out = pd.DataFrame(rows, columns=PROFILE_COLUMNS)
    for c in ("customers", "unprofitable"):
        out[c] = out[c].astype("int64")
    return out


def tier_shares(tiers, values) -> pd.DataFrame:
    """Share of customers and share of value per tier: the frame :func:`plot_pyramid` draws,
    for any profit-like value per customer (past profit, CLV as predicted profit, a scenario),
    without the customer-table columns that :func:`tier_profile` needs (Zeithaml, Rust & Lemon
    2001 tier by profitability; any forward-looking profit works the same).

    ``tiers`` holds one tier label per customer (a Series as :func:`assign_tiers` returns, a
    list, or a frame with a ``tier`` column; Chinese names work too) and ``values`` the
    customers' values in the same order, or a Series that is aligned on the index of
    ``tiers``. One row per tier, platinum first, with ``tier``, ``tier_zh``, ``customers``,
    ``share_customers``, ``profit`` (the tier's sum of the values) and ``share_profit`` (its
    share of the total, as in :func:`tier_profile`: negative for a tier that loses money, so the
    other tiers then add up to more than 1; NaN when the total is zero). Empty tiers are kept
    with zero customers.

    >>> tier_shares(["platinum", "gold", "gold", "lead"], [60.0, 30, 20, -10])
           tier tier_zh  customers  share_customers  profit  share_profit
    0  platinum       铂          1             0.25    60.0           0.6
    1      gold       金          2             0.50    50.0           0.5
    2      iron       铁          0             0.00     0.0           0.0
    3      lead       铅          1             0.25   -10.0          -0.1
    """
    if isinstance(tiers, pd.DataFrame):
        tiers = tiers[column(tiers, "tier")]
    labels = tiers if isinstance(tiers, pd.Series) else pd.Series(list(tiers))
    if (
        isinstance(values, pd.Series)
        and isinstance(tiers, pd.Series)
        and not values.index.equals(labels.index)
    ):
        if not labels.index.isin(values.index).all():
            raise InputError(
                "values do not cover the customers of tiers: pass a Series on the "
                "same index as tiers, or values in the same order"
            )
        values = values.reindex(labels.index)
    v = values_of(values, "values")
    if len(v) != len(labels):
        raise InputError(f"tiers has {len(labels)} entries but values has {len(v)}")
    codes = normalize_tiers(labels).cat.codes.to_numpy()
    n, total = len(v), v.sum()
    rows = [
        {
            "tier": t,
            "tier_zh": TIER_NAMES_ZH[t],
            "customers": int((codes == i).sum()),
            "share_customers": ratio((codes == i).sum(), n),
            "profit": v[codes == i].sum(),
            "share_profit": ratio(v[codes == i].sum(), total),
        }
        for i, t in enumerate(TIERS)
    ]
    return pd.DataFrame(rows).astype({"customers": "int64"})


def activity_by_tier(
    data, tiers, *, how: str = "mean", customer_id: str = "customer_id"
) -> pd.DataFrame:
    """Cost to serve (or driver volume) by activity and tier: the activity-based costing view of
    the pyramid (Cooper & Kaplan 1991, "Profit priorities from activity-based costing", *HBR*
    69(3)).

    ``data`` is the output of :func:`customer_value.customers.activity_costs` (``customer_id``
    and one column per activity), ``tiers`` the customers' tiers (a frame with ``customer_id``
    and ``tier`` columns, matched by id, or a Series/list in the rows' order). ``how``:
    ``"mean"`` per customer of the tier, ``"sum"`` over the tier, or ``"share"``: each
    activity's fraction of the tier's cost to serve (rows add up to 1). One row per tier,
    platinum first (an empty tier is NaN for mean and share, 0 for sum).

    >>> import pandas as pd
    >>> costs = pd.DataFrame({"customer_id": ["a", "b", "c"], "orders": [5.0, 10, 5],
    ...                       "returns": [0.0, 30, 15]})
    >>> activity_by_tier(costs, ["platinum", "lead", "lead"]).loc["lead"].tolist()
    [7.5, 22.5]
    """
    df = frame(data)
    if how not in ("mean", "sum", "share"):
        raise InputError(f"how must be 'mean', 'sum' or 'share', not {how!r}")
    tier = tiers_for(tiers, df, customer_id)
    activities = [c for c in df.columns if c != customer_id]
    vals = pd.DataFrame({c: numeric(df, c) for c in activities}, index=df.index)
    grouped = vals.groupby(tier.to_numpy(), observed=False)
    out = (grouped.mean() if how == "mean" else grouped.sum()).reindex(list(TIERS))
    if how == "sum":
        out = out.fillna(0.0)
    if how == "share":
        out = out.div(out.sum(axis=1).replace(0, np.nan), axis=0)
    out.index = pd.Index(list(TIERS), name="tier")
    out.columns.name = "activity"
    return out


@dataclass
class TierComparison:
    """Result of :func:`revenue_vs_profit`: the same customers tiered by revenue and by profit.

    Attributes: ``by_revenue`` and ``by_profit`` (tier Series on the data's index), ``table``
    (customers by revenue tier, rows, and profit tier, columns, with ``total`` margins),
    ``customer_id`` (the ids) and ``unprofitable`` (profit < 0).
    """

    by_revenue: pd.Series
    by_profit: pd.Series
    table: pd.DataFrame
    customer_id: pd.Series
    unprofitable: pd.Series

    @property
    def same_tier(self) -> float:
        """Share of customers in the same tier both ways."""
        return float((self.by_revenue.astype(str) == self.by_profit.astype(str)).mean())

    def summary(self) -> pd.DataFrame:
        """One row: customers, share in the same tier both ways, customers in the top tier by
        revenue, how many of them lose money, and that as a share."""
        top = (self.by_revenue == "platinum").to_numpy()
        losing = int((top & self.unprofitable.to_numpy()).sum())
        return pd.DataFrame(
            [
                {
                    "customers": len(self.by_revenue),
                    "same_tier": self.same_tier,
                    "top_by_revenue": int(top.sum()),
                    "top_by_revenue_unprofitable": losing,
                    "share_top_by_revenue_unprofitable": ratio(losing, top.sum()),
                }
            ]
        )

    def to_frame(self) -> pd.DataFrame:
        """Per customer: customer_id, tier_by_revenue, tier_by_profit, unprofitable."""
        return pd.DataFrame(
            {
                "customer_id": self.customer_id,
                "tier_by_revenue": self.by_revenue,
                "tier_by_profit": self.by_profit,
                "unprofitable": self.unprofitable,
            }
        )


def revenue_vs_profit(
    data,
    *,
    method: str = "shares",
    shares: Sequence[float] = DEFAULT_SHARES,
    cutoffs: Sequence[float] = DEFAULT_CUTOFFS,
    revenue: str = "revenue",
    profit: str = "profit",
    customer_id: str = "customer_id",
    seed: int | np.random.Generator | None = 0,
) -> TierComparison:
    """Tier the customers twice, by revenue and by profit, and cross-tabulate: if revenue were a
    good proxy for profit the table would be diagonal (Zeithaml, Rust & Lemon 2001: tier by
    profitability, not revenue; Cooper & Kaplan 1991: the cost to serve makes the difference).

    Both rankings use :func:`assign_tiers` with the same arguments, except that with
    ``method="cumulative"`` both are cut by ``shares`` of customers, because cumulative
    cut-offs of revenue and of profit are not comparable.

    >>> import pandas as pd
    >>> data = pd.DataFrame({"customer_id": list("abcde"), "revenue": [900.0, 500, 300, 200, 100],
    ...                      "profit": [-50.0, 200, 90, 60, 20]})
    >>> revenue_vs_profit(data).summary()["top_by_revenue_unprofitable"].item()
    1
    """
    df = frame(data)
    if check_method(method) == "cumulative":
        method = "shares"
    kw = dict(method=method, shares=shares, cutoffs=cutoffs, customer_id=customer_id, seed=seed)
    by_revenue = assign_tiers(df, value=revenue, **kw).rename("by revenue")
    by_profit = assign_tiers(df, value=profit, **kw).rename("by profit")
    table = pd.crosstab(
        by_revenue.rename("tier by revenue"),
        by_profit.rename("tier by profit"),
        margins=True,
        margins_name="total",
        dropna=False,
    )
    table = table.reindex(
        index=list(TIERS) + ["total"], columns=list(TIERS) + ["total"], fill_value=0
    )
    table.index.name, table.columns.name = "tier by revenue", "tier by profit"
    return TierComparison(
        by_revenue=by_revenue,
        by_profit=by_profit,
        table=table.astype("int64"),
        customer_id=df[column(df, customer_id)],
        unprofitable=flag_unprofitable(df, profit=profit),
    )
