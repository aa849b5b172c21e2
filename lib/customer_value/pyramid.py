"""The customer pyramid, customer concentration and RFM (顾客金字塔、客户集中度与 RFM).

The customer pyramid (Zeithaml, Rust & Lemon 2001, "The Customer Pyramid: Creating and Serving
Profitable Customers", *California Management Review* 43(4):118–142) ranks customers by
**profitability, not revenue** and serves each tier differently:

=========  ====  ==============================================================================
tier       中文  who
=========  ====  ==============================================================================
platinum   铂    the most profitable customers: heavy users, not price sensitive, try new offerings
gold       金    profitable, but they seek discounts and are less loyal
iron       铁    volume that uses capacity; not worth special treatment
lead       铅    cost the firm money; demand attention beyond their value
=========  ====  ==============================================================================

Everything works on the customer table of :func:`customer_value.customers.customer_table` (one row
per customer; columns ``customer_id``, ``recency_days``, ``orders``, ``gross_sales``, ``revenue``,
``avg_order_value``, ``gross_margin``, ``cost_to_serve``, ``profit``, ...), as a pandas DataFrame
or any object with ``.to_pandas()``.

Contents
--------
* tiers: :func:`assign_tiers` (methods ``"shares"``, ``"cumulative"``, ``"kmeans"``) and
  :class:`PyramidSegmenter`, which learns value cut-offs in one period and applies them to
  another; :func:`flag_unprofitable`; :func:`tier_profile`; :func:`tier_shares` (the
  frame :func:`plot_pyramid` draws, for any value such as CLV).
* concentration: :func:`whale_curve` (Cooper & Kaplan 1991), :func:`lorenz_curve`,
  :func:`gini` (Raffinetti, Siletti & Vernizzi 2015 for negative values), :func:`top_share`,
  :func:`concentration_summary`.
* migration: :func:`transition_matrix`, :func:`project_mix` (Markov chain; Pfeifer & Carraway
  2000), :func:`move_up_effect`.
* RFM: :func:`rfm_scores`, :func:`rfm_segments` (the R × FM grid :data:`RFM_GRID`),
  :func:`compare_rfm_with_tiers`.
* plots: :func:`plot_pyramid`, :func:`plot_whale_curve`, :func:`plot_lorenz`,
  :func:`plot_transition_matrix`, :func:`plot_rfm_map` (each takes ``ax=`` and returns it).
* the bridge to Kano analysis: :data:`TIER_STRATEGIES`, :func:`tier_strategy`,
  :func:`strategy_table`.

Tie handling is deterministic everywhere: customers are ordered by value and then by
``customer_id`` ascending, so two customers with the same profit are split between tiers (or
score groups) by their ids, never by the row order of the file.

>>> import pandas as pd
>>> table = pd.DataFrame({"customer_id": list("abcde"), "profit": [50.0, 30, 10, 5, -20]})
>>> assign_tiers(table, shares=(0.2, 0.2, 0.4, 0.2)).tolist()
['platinum', 'gold', 'iron', 'iron', 'lead']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from .io import InputError, example_rows
from .kano import CATEGORY_NAMES as _KANO_NAMES

__all__ = [
    "TIERS",
    "TIER_NAMES_ZH",
    "TIER_COLORS",
    "METHODS",
    "assign_tiers",
    "flag_unprofitable",
    "PyramidSegmenter",
    "tier_profile",
    "tier_shares",
    "WhaleCurve",
    "whale_curve",
    "lorenz_curve",
    "gini",
    "top_share",
    "concentration_summary",
    "STATES_FROM",
    "STATES_TO",
    "transition_matrix",
    "project_mix",
    "move_up_effect",
    "SEGMENTS",
    "SEGMENT_NAMES_ZH",
    "RFM_RULES",
    "rfm_grid",
    "rfm_scores",
    "rfm_segments",
    "compare_rfm_with_tiers",
    "TierStrategy",
    "TIER_STRATEGIES",
    "tier_strategy",
    "strategy_table",
    "plot_pyramid",
    "plot_whale_curve",
    "plot_lorenz",
    "plot_transition_matrix",
    "plot_rfm_map",
]

#: Tier names from the top of the pyramid to the bottom. Tier Series are ordered Categoricals with
#: these categories in this order, so the category code is the rank from the top (0 = platinum).
TIERS = ("platinum", "gold", "iron", "lead")
TIER_NAMES_ZH = {"platinum": "铂", "gold": "金", "iron": "铁", "lead": "铅"}
#: Colours used by every pyramid plot, so a tier looks the same everywhere in the course.
TIER_COLORS = {"platinum": "#7f8fa6", "gold": "#e0a526", "iron": "#8d6e63", "lead": "#4a4e69"}
METHODS = ("shares", "cumulative", "kmeans")

_TIER_ALIASES = {
    **{t: t for t in TIERS},
    **{zh: t for t, zh in TIER_NAMES_ZH.items()},
    "铂金": "platinum",
    "黄金": "gold",
    "钢铁": "iron",
}


# --------------------------------------------------------------------------------------------
# input helpers
# --------------------------------------------------------------------------------------------


def _frame(table) -> pd.DataFrame:
    if isinstance(table, pd.DataFrame):
        return table
    to_pandas = getattr(table, "to_pandas", None)
    if callable(to_pandas):
        return to_pandas()
    raise TypeError(
        f"expected a pandas DataFrame (or an object with .to_pandas(), such as the "
        f"result of customers.customer_table), got {type(table).__name__}"
    )


def _col(df: pd.DataFrame, name: str) -> str:
    """The column called ``name``, matched exactly or else case-insensitively."""
    if name in df.columns:
        return name
    folded = {str(c).casefold(): c for c in df.columns}
    if str(name).casefold() in folded:
        return folded[str(name).casefold()]
    raise InputError(
        f"column {name!r} not found; available columns: {list(df.columns)}", columns=[name]
    )


def _numeric(df: pd.DataFrame, col: str, id_col: str | None = None) -> np.ndarray:
    s = df[col]
    if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        num = s.astype("float64")
    else:
        num = pd.to_numeric(s, errors="coerce").astype("float64")
    bad = num.isna() | np.isinf(num)
    if bad.any():
        raw = s[bad].astype(object).where(s[bad].notna(), "<missing>")
        counts = raw.map(str).value_counts()
        detail = ", ".join(f"{v!r} ({c}×)" for v, c in counts.head(10).items())
        cols = [c for c in (id_col, col) if c]
        raise InputError(
            f"column {col!r}: {int(bad.sum())} value(s) missing or not numbers: "
            f"{detail}\n{example_rows(df, bad, cols)}",
            columns=[col],
        )
    return num.to_numpy()


def _ids(df: pd.DataFrame, col: str) -> pd.Series:
    s = df[col]
    missing = s.isna()
    if missing.any():
        raise InputError(
            f"column {col!r}: {int(missing.sum())} missing customer id(s)\n"
            f"{example_rows(df, missing, [col])}",
            columns=[col],
        )
    dup = s.duplicated(keep=False)
    if dup.any():
        counts = s[dup].value_counts()
        detail = ", ".join(f"{v!r} ({c}×)" for v, c in counts.head(10).items())
        raise InputError(
            f"column {col!r}: customer ids must be unique (one row per customer); "
            f"duplicated: {detail}\n{example_rows(df, dup, [col])}",
            columns=[col],
        )
    return s


def _id_rank(ids) -> np.ndarray:
    """Position of each id in ascending id order (ids of mixed types are compared as text)."""
    arr = np.asarray(ids, dtype=object)
    try:
        order = np.argsort(arr, kind="stable")
    except TypeError:
        order = np.argsort(arr.astype(str), kind="stable")
    rank = np.empty(len(arr), dtype=np.int64)
    rank[order] = np.arange(len(arr))
    return rank


def _values(values, name: str = "values") -> np.ndarray:
    if isinstance(values, pd.DataFrame):
        raise TypeError(
            f"{name}: expected one column of numbers (a Series or array), "
            f"got a DataFrame; pass table['profit']"
        )
    arr = np.asarray(
        pd.to_numeric(pd.Series(np.asarray(values).ravel()), errors="coerce"), dtype="float64"
    )
    bad = ~np.isfinite(arr)
    if bad.any():
        raise InputError(f"{name}: {int(bad.sum())} value(s) missing or not finite numbers")
    return arr


def _tier_series(codes: np.ndarray, index) -> pd.Series:
    cat = pd.Categorical.from_codes(
        np.asarray(codes, dtype=np.int64), categories=list(TIERS), ordered=True
    )
    return pd.Series(cat, index=index, name="tier")


def _as_tiers(tiers, df: pd.DataFrame) -> pd.Series:
    """Tiers aligned with the rows of ``df``: a column name, a Series on df's index or a list."""
    if isinstance(tiers, str):
        tiers = df[_col(df, tiers)]
    if isinstance(tiers, pd.DataFrame):
        tiers = tiers[_col(tiers, "tier")]
    if isinstance(tiers, pd.Series):
        if not tiers.index.equals(df.index):
            if not df.index.isin(tiers.index).all():
                raise ValueError(
                    "tiers do not cover the table's rows: pass a Series with the "
                    "table's index (as assign_tiers returns) or a tier column name"
                )
            tiers = tiers.reindex(df.index)
        raw = tiers
    else:
        raw = pd.Series(list(tiers), index=df.index)
        if len(raw) != len(df):
            raise ValueError(f"tiers has {len(raw)} entries but the table has {len(df)} rows")
    return _normalize_tiers(raw)


def _normalize_tiers(raw: pd.Series) -> pd.Series:
    mapped = raw.astype(object).map(
        lambda t: (
            _TIER_ALIASES.get(str(t).strip().casefold(), _TIER_ALIASES.get(str(t).strip()))
            if pd.notna(t)
            else None
        )
    )
    bad = mapped.isna()
    if bad.any():
        counts = raw[bad].astype(object).where(raw[bad].notna(), "<missing>").map(str)
        detail = ", ".join(f"{v!r} ({c}×)" for v, c in counts.value_counts().head(10).items())
        raise InputError(
            f"unknown or missing tier(s): {detail}; tiers are {list(TIERS)}", columns=["tier"]
        )
    cat = pd.Categorical(mapped.astype(str), categories=list(TIERS), ordered=True)
    return pd.Series(cat, index=raw.index, name="tier")


def _profit_column(df: pd.DataFrame, fallback: str) -> str:
    try:
        return _col(df, "profit")
    except InputError:
        return _col(df, fallback)


# --------------------------------------------------------------------------------------------
# tiers
# --------------------------------------------------------------------------------------------


def _check_shares(shares) -> np.ndarray:
    s = np.asarray(shares, dtype="float64")
    if s.shape != (4,) or (s < 0).any() or not np.isfinite(s).all() or abs(s.sum() - 1) > 1e-6:
        raise ValueError(
            f"shares must be four non-negative shares of customers (platinum, gold, "
            f"iron, lead) that sum to 1, got {tuple(shares)}"
        )
    return s


def _check_cutoffs(cutoffs) -> np.ndarray:
    c = np.asarray(cutoffs, dtype="float64")
    if c.shape != (3,) or not (0 < c[0] <= c[1] <= c[2] <= 1):
        raise ValueError(
            f"cutoffs must be three cumulative shares of positive value with "
            f"0 < platinum <= gold <= iron <= 1, got {tuple(cutoffs)}"
        )
    return c


def _random_state(seed) -> int | None:
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(2**31 - 1))
    return None if seed is None else int(seed)


def _tier_codes(
    v: np.ndarray, id_rank: np.ndarray, method: str, shares, cutoffs, seed, value: str
) -> np.ndarray:
    n = len(v)
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {list(METHODS)}")
    if method == "shares":
        s = _check_shares(shares)
    elif method == "cumulative":
        c = _check_cutoffs(cutoffs)
    codes = np.zeros(n, dtype=np.int64)
    if n == 0:
        return codes
    order = np.lexsort((id_rank, -v))  # value descending, then customer_id ascending
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
        if np.unique(x).size < 4:
            raise InputError(
                f"method='kmeans' needs at least 4 distinct values of {value!r}, "
                f"got {np.unique(x).size}",
                columns=[value],
            )
        from sklearn.cluster import KMeans

        km = KMeans(n_clusters=4, n_init=10, random_state=_random_state(seed))
        labels = km.fit(x.reshape(-1, 1)).labels_
        means = np.array([v[labels == k].mean() for k in range(4)])
        rank = np.empty(4, dtype=np.int64)
        rank[np.argsort(-means, kind="stable")] = np.arange(4)
        codes = rank[labels]
    return codes


def assign_tiers(
    table,
    *,
    method: str = "shares",
    shares: Sequence[float] = (0.2, 0.3, 0.3, 0.2),
    cutoffs: Sequence[float] = (0.5, 0.8, 1.0),
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
    * ``method="kmeans"``: k-means with k = 4 (scikit-learn, ``n_init=10``, ``random_state``
      from ``seed``) on the signed log sign(x)·log1p(|x|) of the value, so that a few huge
      customers do not get a cluster each; clusters are ordered by their mean value,
      highest = platinum.

    Returns a Series of ordered Categorical tiers named ``"tier"`` on the table's index
    (categories in :data:`TIERS` order, top first). Whether a customer loses money is a
    separate fact: see :func:`flag_unprofitable`.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"customer_id": ["a", "b", "c"], "profit": [60.0, 40, -5]})
    >>> assign_tiers(t, method="cumulative").tolist()
    ['platinum', 'gold', 'lead']
    """
    df = _frame(table)
    vcol, idcol = _col(df, value), _col(df, customer_id)
    ids = _ids(df, idcol)
    v = _numeric(df, vcol, idcol)
    codes = _tier_codes(v, _id_rank(ids), method, shares, cutoffs, seed, vcol)
    return _tier_series(codes, df.index)


def flag_unprofitable(table, *, profit: str = "profit") -> pd.Series:
    """Boolean Series ``unprofitable``: True where the customer's profit is negative.

    Zeithaml et al. (2001): lead customers "cost the company money"; Cooper & Kaplan (1991):
    unprofitable customers are what bends the whale curve above 100 %.

    >>> import pandas as pd
    >>> flag_unprofitable(pd.DataFrame({"profit": [3.0, 0.0, -1.0]})).tolist()
    [False, False, True]
    """
    df = _frame(table)
    col = _col(df, profit)
    return pd.Series(_numeric(df, col) < 0, index=df.index, name="unprofitable")


class PyramidSegmenter(TransformerMixin, BaseEstimator):
    """Learn tier cut-offs on one period's customer table and apply them to another period's.

    ``fit`` assigns tiers with :func:`assign_tiers` (same parameters) and stores in
    :attr:`cutoffs_` the value cut-off of each tier: the **lowest value among the customers of
    that tier or the tiers above it** in the fitting table (``+inf`` when those tiers are empty).
    ``predict`` applies those fixed cut-offs: a customer is platinum if value ≥ cutoffs_
    ["platinum"], else gold if value ≥ cutoffs_["gold"], else iron if value ≥ cutoffs_["iron"],
    else lead. So the tiers of a later period measure movement against a fixed yardstick,
    whereas re-running :func:`assign_tiers` on it would re-impose the shares.

    On the fitting table itself ``predict`` equals :func:`assign_tiers` except for customers
    tied in value across a tier boundary (split by customer id in ``assign_tiers``): with fixed
    cut-offs they all go to the upper tier.

    Attributes
    ----------
    cutoffs_ : Series indexed ``platinum, gold, iron``: minimum value for that tier or above.
    counts_ : customers per tier in the fitting table.
    n_customers_ : customers in the fitting table.

    Note: the parameter ``cutoffs`` (cumulative value shares for ``method="cumulative"``) is not
    the learned attribute ``cutoffs_`` (value thresholds).

    >>> import pandas as pd
    >>> p1 = pd.DataFrame({"customer_id": list("abcde"), "profit": [90.0, 50, 20, 10, -5]})
    >>> seg = PyramidSegmenter(shares=(0.2, 0.2, 0.4, 0.2)).fit(p1)
    >>> seg.cutoffs_.tolist()
    [90.0, 50.0, 10.0]
    >>> p2 = pd.DataFrame({"customer_id": list("abcde"), "profit": [95.0, 92, 60, 5, 1]})
    >>> seg.predict(p2).tolist()
    ['platinum', 'platinum', 'gold', 'lead', 'lead']
    """

    def __init__(
        self,
        method: str = "shares",
        shares: Sequence[float] = (0.2, 0.3, 0.3, 0.2),
        cutoffs: Sequence[float] = (0.5, 0.8, 1.0),
        value: str = "profit",
        customer_id: str = "customer_id",
        seed: int | np.random.Generator | None = 0,
    ):
        self.method = method
        self.shares = shares
        self.cutoffs = cutoffs
        self.value = value
        self.customer_id = customer_id
        self.seed = seed

    def fit(self, table, y=None):
        """Assign tiers in ``table`` and learn the value cut-offs between them."""
        df = _frame(table)
        tiers = assign_tiers(
            df,
            method=self.method,
            shares=self.shares,
            cutoffs=self.cutoffs,
            value=self.value,
            customer_id=self.customer_id,
            seed=self.seed,
        )
        v = _numeric(df, _col(df, self.value))
        codes = tiers.cat.codes.to_numpy()
        cuts = [float(v[codes <= k].min()) if (codes <= k).any() else np.inf for k in range(3)]
        self.cutoffs_ = pd.Series(
            cuts, index=pd.Index(TIERS[:3], name="tier"), name=f"min_{self.value}"
        )
        self.counts_ = tiers.value_counts(sort=False).rename("customers")
        self.n_customers_ = len(df)
        return self

    def predict(self, table) -> pd.Series:
        """Tiers of the customers in ``table`` by the fitted cut-offs (ordered Categorical)."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "cutoffs_")
        df = _frame(table)
        v = _numeric(df, _col(df, self.value))
        t = self.cutoffs_.to_numpy()
        codes = (v < t[0]).astype(np.int64) + (v < t[1]) + (v < t[2])
        return _tier_series(codes, df.index)

    def transform(self, table) -> pd.DataFrame:
        """A copy of ``table`` with the columns ``tier`` (see :meth:`predict`) and
        ``unprofitable`` (profit < 0; see :func:`flag_unprofitable`) added."""
        df = _frame(table)
        out = df.copy()
        out["tier"] = self.predict(df)
        out["unprofitable"] = flag_unprofitable(df, profit=_profit_column(df, self.value))
        return out


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


def _ratio(a, b):
    return float(a) / float(b) if b != 0 else np.nan


def tier_profile(table, tiers) -> pd.DataFrame:
    """Profile of each tier, plus a ``total`` row: size, money, shares and behaviour.

    ``tiers`` is a Series on the table's index (as :func:`assign_tiers` returns), a list, or the
    name of a tier column. Per tier: customers and share_customers; sums of revenue,
    gross_margin, cost_to_serve and profit; share_profit and share_revenue (of the table's
    totals; a lead tier's share of profit is negative, so the other tiers' shares add up to more
    than 100 %); avg_order_value = Σ gross_sales / Σ orders (the tier's mean order, not the mean
    of customers' means); mean_recency_days; mean_orders (frequency); unprofitable = customers
    with profit < 0, and their share; mean_profit. Empty tiers are kept with zero customers.

    The table needs revenue, gross_margin, cost_to_serve, profit, orders, recency_days and
    gross_sales (or avg_order_value) — the columns of customers.customer_table.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"customer_id": ["a", "b"], "revenue": [100.0, 50], "gross_sales":
    ...     [100.0, 50], "gross_margin": [40.0, 20], "cost_to_serve": [10.0, 30],
    ...     "profit": [30.0, -10], "orders": [2, 1], "recency_days": [5, 40]})
    >>> tier_profile(t, ["platinum", "lead"]).set_index("tier").loc["total", "profit"]
    np.float64(20.0)
    """
    df = _frame(table)
    tier = _as_tiers(tiers, df)
    cols = {
        c: _col(df, c)
        for c in ("revenue", "gross_margin", "cost_to_serve", "profit", "orders", "recency_days")
    }
    data = {c: _numeric(df, col) for c, col in cols.items()}
    try:
        data["gross_sales"] = _numeric(df, _col(df, "gross_sales"))
    except InputError:
        data["gross_sales"] = _numeric(df, _col(df, "avg_order_value")) * data["orders"]
    frame = pd.DataFrame(data, index=df.index)
    codes = tier.cat.codes.to_numpy()
    n = len(frame)
    tot_profit, tot_revenue = frame["profit"].sum(), frame["revenue"].sum()

    def row(name, zh, part):
        k = len(part)
        unprof = int((part["profit"] < 0).sum())
        return {
            "tier": name,
            "tier_zh": zh,
            "customers": k,
            "share_customers": _ratio(k, n),
            "revenue": part["revenue"].sum(),
            "gross_margin": part["gross_margin"].sum(),
            "cost_to_serve": part["cost_to_serve"].sum(),
            "profit": part["profit"].sum(),
            "share_profit": _ratio(part["profit"].sum(), tot_profit),
            "share_revenue": _ratio(part["revenue"].sum(), tot_revenue),
            "avg_order_value": _ratio(part["gross_sales"].sum(), part["orders"].sum()),
            "mean_recency_days": part["recency_days"].mean() if k else np.nan,
            "mean_orders": part["orders"].mean() if k else np.nan,
            "unprofitable": unprof,
            "share_unprofitable": _ratio(unprof, k),
            "mean_profit": _ratio(part["profit"].sum(), k),
        }

    rows = [row(t, TIER_NAMES_ZH[t], frame[codes == i]) for i, t in enumerate(TIERS)]
    rows.append(row("total", "合计", frame))
    out = pd.DataFrame(rows, columns=PROFILE_COLUMNS)
    for c in ("customers", "unprofitable"):
        out[c] = out[c].astype("int64")
    return out


def tier_shares(tiers, values) -> pd.DataFrame:
    """Share of customers and share of value per tier: the frame :func:`plot_pyramid` draws,
    for any profit-like value per customer (past profit, CLV as predicted profit, a scenario),
    without the customer-table columns that :func:`tier_profile` needs.

    ``tiers`` holds one tier label per customer (a Series as :func:`assign_tiers` returns, a
    list, or a frame with a ``tier`` column; Chinese names work too) and ``values`` the
    customers' values in the same order, or a Series that is aligned on the index of
    ``tiers``. One row per tier, platinum first, with ``tier``, ``tier_zh``, ``customers``,
    ``share_customers``, ``profit`` (the tier's sum of the values) and ``share_profit`` (its
    share of the total, as in :func:`tier_profile`: negative for a tier that loses money, so the
    other tiers then add up to more than 100 %; NaN when the total is zero). Empty tiers are
    kept with zero customers.

    >>> tier_shares(["platinum", "gold", "gold", "lead"], [60.0, 30, 20, -10])
           tier tier_zh  customers  share_customers  profit  share_profit
    0  platinum       铂          1             0.25    60.0           0.6
    1      gold       金          2             0.50    50.0           0.5
    2      iron       铁          0             0.00     0.0           0.0
    3      lead       铅          1             0.25   -10.0          -0.1
    """
    if isinstance(tiers, pd.DataFrame):
        tiers = tiers[_col(tiers, "tier")]
    labels = tiers if isinstance(tiers, pd.Series) else pd.Series(list(tiers))
    if (
        isinstance(values, pd.Series)
        and isinstance(tiers, pd.Series)
        and not values.index.equals(labels.index)
    ):
        if not labels.index.isin(values.index).all():
            raise ValueError(
                "values do not cover the customers of tiers: pass a Series on the "
                "same index as tiers, or values in the same order"
            )
        values = values.reindex(labels.index)
    v = _values(values, "values")
    if len(v) != len(labels):
        raise ValueError(f"tiers has {len(labels)} entries but values has {len(v)}")
    codes = _normalize_tiers(labels).cat.codes.to_numpy()
    n, total = len(v), v.sum()
    rows = [
        {
            "tier": t,
            "tier_zh": TIER_NAMES_ZH[t],
            "customers": int((codes == i).sum()),
            "share_customers": _ratio((codes == i).sum(), n),
            "profit": v[codes == i].sum(),
            "share_profit": _ratio(v[codes == i].sum(), total),
        }
        for i, t in enumerate(TIERS)
    ]
    return pd.DataFrame(rows).astype({"customers": "int64"})


# --------------------------------------------------------------------------------------------
# concentration
# --------------------------------------------------------------------------------------------


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
        return self.curve.copy()

    def plot(self, ax=None, **kwargs):
        """Draw the curve with :func:`plot_whale_curve`; returns the Axes."""
        return plot_whale_curve(self, ax=ax, **kwargs)


def whale_curve(table, value: str = "profit", *, customer_id: str = "customer_id") -> WhaleCurve:
    """The whale curve: cumulative share of total profit against the share of customers,
    customers ranked from most to least profitable (Cooper & Kaplan 1991, "Profit priorities
    from activity-based costing", *HBR* 69(3); Kaplan & Cooper 1998, *Cost & Effect*).

    With unprofitable customers the curve rises above 100 % — in Cooper & Kaplan's examples the
    most profitable 20 % of customers earn up to 225 % of profit — peaks after the last
    profitable customer, and falls back to exactly 100 % at the last (least profitable)
    customer. ``table`` is a customer table (ranked by ``value``, ties by ``customer_id``
    ascending) or a Series/array of values (ties by position). The total must be positive.

    >>> wc = whale_curve(pd.DataFrame({"customer_id": list("abcd"),
    ...                                "profit": [60.0, 40, 20, -20]}))
    >>> wc.peak, wc.peak_share_customers
    (1.2, 0.75)
    """
    if isinstance(table, pd.DataFrame) or hasattr(table, "to_pandas"):
        df = _frame(table)
        vcol, idcol = _col(df, value), _col(df, customer_id)
        ids = _ids(df, idcol)
        v = _numeric(df, vcol, idcol)
        id_values, rank = ids.to_numpy(), _id_rank(ids)
    else:
        v = _values(table, value)
        id_values = table.index.to_numpy() if isinstance(table, pd.Series) else np.arange(len(v))
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
    v = np.sort(_values(values))
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
    v = np.sort(_values(values))
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
    if not 0 <= x <= 1:
        raise ValueError(f"x must be a share between 0 and 1, got {x}")
    v = np.sort(_values(values))[::-1]
    total = v.sum()
    if len(v) == 0 or not total > 0:
        raise InputError(f"top_share needs a positive total, got {total:g}")
    k = x * len(v)
    whole = int(np.floor(k + 1e-12))
    part = v[:whole].sum() + (k - whole) * (v[whole] if whole < len(v) else 0.0)
    return float(part / total)


def concentration_summary(
    table,
    *,
    x: float = 0.2,
    revenue: str = "revenue",
    profit: str = "profit",
    customer_id: str = "customer_id",
) -> pd.DataFrame:
    """How concentrated revenue and profit are: one row each, with the total, customers, how many
    are negative, the Gini (:func:`gini`, the RSV definition for negative values), the share of
    the top ``x`` (:func:`top_share`; column ``top_share``, ``x`` in column ``top_x``) and the
    whale-curve peak and where it is reached (:func:`whale_curve`).

    >>> t = pd.DataFrame({"customer_id": list("abcde"), "revenue": [50.0, 20, 15, 10, 5],
    ...                   "profit": [30.0, 8, 2, 0, -10]})
    >>> concentration_summary(t).loc["profit", "top_share"]
    np.float64(1.0)
    """
    df = _frame(table)
    idcol = _col(df, customer_id)
    rows = {}
    for label, name in (("revenue", revenue), ("profit", profit)):
        col = _col(df, name)
        v = _numeric(df, col, idcol)
        wc = whale_curve(df, col, customer_id=idcol)
        rows[label] = {
            "column": col,
            "total": v.sum(),
            "customers": len(v),
            "negative": int((v < 0).sum()),
            "gini": gini(v),
            "top_x": x,
            "top_share": top_share(v, x),
            "whale_peak": wc.peak,
            "whale_peak_share_customers": wc.peak_share_customers,
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "measure"
    return out


# --------------------------------------------------------------------------------------------
# migration between tiers
# --------------------------------------------------------------------------------------------

#: Row states of :func:`transition_matrix`: the tiers, and ``new`` for customers who appear
#: only in the later period.
STATES_FROM = TIERS + ("new",)
#: Column states: the tiers, and ``lost`` for customers who appear only in the earlier period.
STATES_TO = TIERS + ("lost",)


def _tiers_by_customer(x, customer_id: str, tier: str, label: str) -> pd.Series:
    if isinstance(x, pd.DataFrame):
        idcol, tcol = _col(x, customer_id), _col(x, tier)
        ids = _ids(x, idcol)
        s = pd.Series(x[tcol].to_numpy(), index=pd.Index(ids.to_numpy(), name=idcol))
    elif isinstance(x, pd.Series):
        s = x
        if s.index.hasnans:
            raise InputError(f"{label}: missing customer id(s) in the index")
        if s.index.has_duplicates:
            dup = s.index[s.index.duplicated()].unique()[:10].tolist()
            raise InputError(
                f"{label}: customer ids must be unique; duplicated: {dup}. Pass a "
                f"Series indexed by customer_id, e.g. "
                f"tiers.set_axis(table['customer_id'])"
            )
    else:
        raise TypeError(
            f"{label}: expected a Series indexed by customer id or a DataFrame with "
            f"{customer_id!r} and {tier!r} columns"
        )
    return _normalize_tiers(s)


def transition_matrix(
    tiers_before,
    tiers_after,
    normalize: bool = True,
    *,
    customer_id: str = "customer_id",
    tier: str = "tier",
) -> pd.DataFrame:
    """Tier-to-tier migration between two periods, by customer.

    Each argument is a Series of tiers indexed by customer id, or a DataFrame with
    ``customer_id`` and ``tier`` columns (e.g. :meth:`PyramidSegmenter.transform`). Customers
    present only before move to the column state ``lost``; customers present only after come
    from the row state ``new``. Rows are :data:`STATES_FROM` (the tiers, ``new``), columns
    :data:`STATES_TO` (the tiers, ``lost``). With ``normalize=False`` the cells are counts;
    with ``normalize=True`` each row is divided by its total (row-stochastic: row *i*, column
    *j* estimates P(tier j next period | tier i now); the ``new`` row is the tier mix of newly
    acquired customers). A row without customers is NaN when normalised.

    >>> before = pd.Series(["gold", "iron"], index=["a", "b"])
    >>> after = pd.Series(["platinum", "gold"], index=["a", "c"])
    >>> transition_matrix(before, after, normalize=False).loc["iron", "lost"]
    np.int64(1)
    """
    b = _tiers_by_customer(tiers_before, customer_id, tier, "tiers_before").astype(object)
    a = _tiers_by_customer(tiers_after, customer_id, tier, "tiers_after").astype(object)
    both = b.index.union(a.index, sort=False)
    frm = b.reindex(both).fillna("new").astype(str)
    to = a.reindex(both).fillna("lost").astype(str)
    counts = pd.crosstab(
        pd.Categorical(frm, categories=list(STATES_FROM)),
        pd.Categorical(to, categories=list(STATES_TO)),
        dropna=False,
    )
    counts = counts.reindex(index=list(STATES_FROM), columns=list(STATES_TO), fill_value=0)
    counts.index = pd.Index(list(STATES_FROM), name="from")
    counts.columns = pd.Index(list(STATES_TO), name="to")
    counts = counts.astype("int64")
    if not normalize:
        return counts
    totals = counts.sum(axis=1).astype(float)
    return counts.div(totals.where(totals > 0), axis=0)


def project_mix(matrix, start_mix, periods: int = 1) -> pd.DataFrame:
    """Project a customer mix ``periods`` periods ahead with a Markov chain: mixₜ₊₁ = mixₜ · P
    (Pfeifer & Carraway 2000, "Modeling customer relationships as Markov chains", *J.
    Interactive Marketing* 14(2):43–55), so mixₖ = mix₀ · Pᵏ.

    ``matrix`` is a row-stochastic matrix: a square DataFrame (same states as rows and
    columns), a square array, or the output of :func:`transition_matrix`. For the latter the
    ``new`` row is dropped — the projection follows the existing customers and models no
    acquisition — and ``lost`` becomes an absorbing state (a lost customer stays lost).
    A row without observed customers (NaN) is allowed as long as the projection never puts
    customers into that state; otherwise a ValueError names it. ``start_mix`` gives counts or
    shares per state (a dict or Series by state name, missing
    states 0, or an array in the matrix's state order); the result is in the same unit.

    Returns a DataFrame with one row per period 0..periods and one column per state.

    >>> P = pd.DataFrame([[0.9, 0.1], [0.3, 0.7]], index=["gold", "iron"],
    ...                  columns=["gold", "iron"])
    >>> project_mix(P, {"gold": 100}, periods=2).loc[2].round(6).tolist()
    [84.0, 16.0]
    """
    if isinstance(matrix, pd.DataFrame):
        m = matrix.astype(float)
        if "new" in m.index and "new" not in m.columns:
            m = m.drop(index="new")
        if "lost" in m.columns and "lost" not in m.index:
            absorbing = pd.DataFrame(
                [[1.0 if c == "lost" else 0.0 for c in m.columns]],
                index=["lost"],
                columns=m.columns,
            )
            m = pd.concat([m, absorbing])
        if set(m.index) != set(m.columns) or len(m.index) != len(m.columns):
            raise ValueError(
                f"the transition matrix must be square with the same states as rows "
                f"and columns; rows {list(m.index)}, columns {list(m.columns)}"
            )
        m = m[list(m.index)]
        states = [str(s) for s in m.index]
        p = m.to_numpy()
    else:
        p = np.asarray(matrix, dtype=float)
        if p.ndim != 2 or p.shape[0] != p.shape[1]:
            raise ValueError(f"the transition matrix must be square, got shape {p.shape}")
        states = list(range(p.shape[0]))
    unobserved = np.isnan(p).any(axis=1)
    p = np.where(unobserved[:, None], 0.0, p)
    sums = p.sum(axis=1)[~unobserved]
    if (p < 0).any() or not np.allclose(sums, 1.0, atol=1e-9):
        raise ValueError(
            f"the transition matrix must be row-stochastic (non-negative rows that "
            f"sum to 1), row sums are {np.round(sums, 6).tolist()}; use "
            f"transition_matrix(..., normalize=True)"
        )
    if isinstance(start_mix, (Mapping, pd.Series)):
        mix = dict(start_mix)
        unknown = [k for k in mix if k not in states]
        if unknown:
            raise ValueError(f"start_mix has unknown state(s) {unknown}; states are {states}")
        x = np.array([float(mix.get(s, 0.0)) for s in states])
    else:
        x = np.asarray(start_mix, dtype=float).ravel()
        if x.shape != (len(states),):
            raise ValueError(f"start_mix needs {len(states)} entries ({states}), got {x.size}")
    if periods < 0:
        raise ValueError("periods must be >= 0")
    rows = [x]
    for t in range(int(periods)):
        reached = [s for s, u, mass in zip(states, unobserved, rows[-1]) if u and mass > 0]
        if reached:
            raise ValueError(
                f"in period {t} the projection puts customers into state(s) "
                f"{reached}, whose transition row has no observed customers (NaN); "
                f"supply those rows (e.g. from a longer history)"
            )
        rows.append(rows[-1] @ p)
    return pd.DataFrame(rows, columns=states, index=pd.RangeIndex(len(rows), name="period"))


def move_up_effect(table, tiers, share: float = 0.1, *, value: str = "profit") -> pd.DataFrame:
    """Profit effect of moving a share of each tier's customers up one tier (Zeithaml, Rust &
    Lemon 2001: "move customers up the pyramid").

    Assumption: a moved customer goes from earning the mean ``value`` of their tier to earning
    the mean of the tier above (the next non-empty tier above), i.e. the movers are typical of
    their tier and become typical of the next one. Per tier: moved = share × customers (an
    expected number, not rounded), gain_per_customer = mean above − mean of the tier,
    ``{value}_effect`` = moved × gain. Platinum has no tier above (effect 0). The ``total`` row
    sums the effects; ``share_of_total`` is the effect as a share of the current total value.

    >>> t = pd.DataFrame({"profit": [100.0, 40, 6, -20]})
    >>> move_up_effect(t, ["platinum", "gold", "iron", "lead"], share=0.5)["profit_effect"].tolist()
    [0.0, 30.0, 17.0, 13.0, 60.0]
    """
    if not 0 <= share <= 1:
        raise ValueError(f"share must be between 0 and 1, got {share}")
    df = _frame(table)
    tier = _as_tiers(tiers, df)
    v = _numeric(df, _col(df, value))
    codes = tier.cat.codes.to_numpy()
    counts = np.array([(codes == k).sum() for k in range(4)])
    means = np.array([v[codes == k].mean() if counts[k] else np.nan for k in range(4)])
    total = v.sum()
    rows = []
    for k, name in enumerate(TIERS):
        above = next((j for j in range(k - 1, -1, -1) if counts[j]), None)
        moved = share * counts[k] if above is not None else 0.0
        gain = means[above] - means[k] if above is not None and counts[k] else np.nan
        effect = moved * gain if moved else 0.0
        rows.append(
            {
                "tier": name,
                "customers": int(counts[k]),
                f"mean_{value}": means[k],
                "to_tier": TIERS[above] if above is not None else None,
                f"mean_{value}_to": means[above] if above is not None else np.nan,
                "moved": moved,
                "gain_per_customer": gain,
                f"{value}_effect": effect,
            }
        )
    rows.append(
        {
            "tier": "total",
            "customers": int(counts.sum()),
            f"mean_{value}": v.mean() if len(v) else np.nan,
            "to_tier": None,
            f"mean_{value}_to": np.nan,
            "moved": sum(r["moved"] for r in rows),
            "gain_per_customer": np.nan,
            f"{value}_effect": sum(r[f"{value}_effect"] for r in rows),
        }
    )
    out = pd.DataFrame(rows)
    out["share_of_total"] = out[f"{value}_effect"] / total if total != 0 else np.nan
    return out


# --------------------------------------------------------------------------------------------
# RFM
# --------------------------------------------------------------------------------------------

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
_GRID = np.empty((6, 6), dtype=object)
for _name, (_r0, _r1), (_f0, _f1) in RFM_RULES:
    _GRID[_r0 : _r1 + 1, _f0 : _f1 + 1] = _name


def rfm_grid() -> pd.DataFrame:
    """The segment of each R × FM cell: rows R = 5 (most recent) … 1, columns FM = 1 … 5.

    The grid is the widely used R × F segment map (a cell-by-cell version of Putler's RFM
    segment table: Champions R 5 & F 4–5, Loyal R 3–4 & F 4–5, Potential Loyalist R 4–5 &
    F 2–3, New 5·1, Promising 4·1, Need Attention 3·3, About to Sleep R 3 & F 1–2, At Risk R 1–2
    & F 3–4, Can't Lose Them R 1–2 & F 5, Hibernating R 1–2 & F 1–2), with two changes: the
    column is FM = the mean of F and M rounded half up (so money counts, as in Putler's "R vs
    average of F and M" chart), and the low-low corner is split into Lost (R = 1) and
    Hibernating (R = 2), so all the names of DOMAIN.md §4 occur.

    >>> rfm_grid().loc[5, 5]
    'Champions'
    """
    return pd.DataFrame(
        [[_GRID[r, f] for f in range(1, 6)] for r in range(5, 0, -1)],
        index=pd.Index(range(5, 0, -1), name="R"),
        columns=pd.Index(range(1, 6), name="FM"),
    )


def _quantile_scores(key: np.ndarray, id_rank: np.ndarray, bins: int) -> np.ndarray:
    n = len(key)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if n == 1:
        return np.array([(bins + 1) // 2], dtype=np.int64)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((id_rank, key))] = np.arange(1, n + 1)
    # pd.qcut(rank, bins) on the ranks 1..n: edges 1 + j(n−1)/bins, right-closed; in integers
    return np.maximum(1, -(-(bins * (rank - 1)) // (n - 1))).astype(np.int64)


def rfm_scores(
    table,
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

    Returns, on the table's index: customer_id, the three input columns, ``R``, ``F``, ``M``,
    ``FM`` = (F + M)/2 rounded half up, and the code ``RFM`` (e.g. ``"545"``).

    >>> t = pd.DataFrame({"customer_id": list("abcde"), "recency_days": [1, 9, 3, 30, 3],
    ...                   "orders": [5, 1, 2, 1, 3], "revenue": [500.0, 20, 90, 10, 60]})
    >>> rfm_scores(t)["RFM"].tolist()          # c and e tie on recency: c (smaller id) gets 3
    ['555', '212', '334', '121', '443']
    """
    df = _frame(table)
    idcol = _col(df, customer_id)
    ids = _ids(df, idcol)
    rank = _id_rank(ids)
    cols = {"R": _col(df, recency), "F": _col(df, frequency), "M": _col(df, monetary)}
    out = pd.DataFrame({idcol: ids.to_numpy()}, index=df.index)
    for c in cols.values():
        out[c] = df[c]
    for score, col in cols.items():
        v = _numeric(df, col, idcol)
        out[score] = _quantile_scores(-v if score == "R" else v, rank, int(bins))
    out["FM"] = (out["F"] + out["M"] + 1) // 2
    out["RFM"] = out["R"].astype(str) + out["F"].astype(str) + out["M"].astype(str)
    return out


def rfm_segments(scores: pd.DataFrame) -> pd.Series:
    """Name each customer's RFM segment from its R and FM scores by the grid of :func:`rfm_grid`.

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

    >>> rfm_segments(pd.DataFrame({"R": [5, 1], "F": [5, 5], "M": [4, 5]})).tolist()
    ['Champions', "Can't Lose Them"]
    """
    r = _score_column(scores, "R")
    if "FM" in scores.columns:
        fm = _score_column(scores, "FM")
    else:
        fm = (_score_column(scores, "F") + _score_column(scores, "M") + 1) // 2
    names = _GRID[r, fm]
    return pd.Series(
        pd.Categorical(names, categories=list(SEGMENTS), ordered=True),
        index=scores.index,
        name="segment",
    )


def _score_column(scores: pd.DataFrame, name: str) -> np.ndarray:
    if name not in scores.columns:
        raise InputError(
            f"column {name!r} not found; pass the output of rfm_scores (columns R, F, M)",
            columns=[name],
        )
    v = _numeric(scores, name)
    bad = ~np.isin(v, [1, 2, 3, 4, 5])
    if bad.any():
        raise InputError(
            f"column {name!r}: RFM scores must be 1..5, got "
            f"{sorted(set(v[bad].tolist()))[:10]}\n"
            f"{example_rows(scores, bad, [name])}",
            columns=[name],
        )
    return v.astype(np.int64)


def compare_rfm_with_tiers(
    table,
    segments,
    tiers,
    *,
    values: str | None = None,
    aggfunc: str = "mean",
    margins: bool = True,
) -> pd.DataFrame:
    """Cross-tabulate RFM segments (rows, :data:`SEGMENTS` order) against pyramid tiers (columns).

    RFM ranks customers by behaviour and revenue; the pyramid by profit. They disagree where
    cost to serve is high: a Champion by RFM can be lead by profit. ``segments`` is the Series
    of :func:`rfm_segments` (or a DataFrame with a ``segment`` column, or RFM scores), ``tiers``
    as in :func:`tier_profile`. Cells count customers; with ``values="cost_to_serve"`` (any
    numeric column) they hold ``aggfunc`` of that column instead. ``margins`` adds a ``total``
    row and column.

    >>> t = pd.DataFrame({"customer_id": ["a", "b"], "cost_to_serve": [5.0, 90]})
    >>> compare_rfm_with_tiers(t, ["Champions", "Champions"], ["platinum", "lead"]).loc[
    ...     "Champions", ["platinum", "lead", "total"]].tolist()
    [1, 1, 2]
    """
    df = _frame(table)
    tier = _as_tiers(tiers, df)
    if isinstance(segments, pd.DataFrame):
        seg = segments["segment"] if "segment" in segments.columns else rfm_segments(segments)
    else:
        seg = segments
    seg = pd.Series(list(seg), index=df.index) if not isinstance(seg, pd.Series) else seg
    if not seg.index.equals(df.index):
        seg = seg.reindex(df.index)
    unknown = ~seg.isin(SEGMENTS)
    if unknown.any():
        raise InputError(
            f"unknown RFM segment(s): {sorted(map(str, seg[unknown].unique()))[:10]}; "
            f"segments are {list(SEGMENTS)}",
            columns=["segment"],
        )
    data = pd.DataFrame(
        {
            "segment": pd.Categorical(seg.astype(str), categories=list(SEGMENTS)),
            "tier": pd.Categorical(tier.astype(str), categories=list(TIERS)),
        },
        index=df.index,
    )
    if values is None:
        tab = data.groupby(["segment", "tier"], observed=False).size().unstack("tier")
        tab = tab.fillna(0).astype("int64")
        row_m, col_m, grand = tab.sum(axis=1), tab.sum(axis=0), int(tab.to_numpy().sum())
    else:
        data["v"] = _numeric(df, _col(df, values))
        g = data.groupby(["segment", "tier"], observed=False)["v"]
        tab = g.agg(aggfunc).unstack("tier")
        row_m = data.groupby("segment", observed=False)["v"].agg(aggfunc)
        col_m = data.groupby("tier", observed=False)["v"].agg(aggfunc)
        grand = data["v"].agg(aggfunc)
    tab.index = pd.Index([str(s) for s in tab.index], name="segment")
    tab.columns = pd.Index([str(t) for t in tab.columns], name="tier")
    if margins:
        tab["total"] = row_m.to_numpy()
        total_row = list(col_m.to_numpy()) + [grand]
        tab.loc["total"] = total_row
        if values is None:
            tab = tab.astype("int64")
    return tab


# --------------------------------------------------------------------------------------------
# the Kano bridge
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TierStrategy:
    """How to serve one tier: who they are, which Kano needs to work on, and what to do."""

    tier: str
    tier_zh: str
    profile: str
    profile_zh: str
    kano_focus: tuple[str, ...]
    strategy: str
    strategy_zh: str

    @property
    def kano_focus_names(self) -> tuple[str, ...]:
        """The Kano categories of :attr:`kano_focus` in words, e.g. ``"attractive (魅力需求)"``."""
        return tuple(f"{_KANO_NAMES[c][0]} ({_KANO_NAMES[c][1]})" for c in self.kano_focus)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["kano_focus"] = "/".join(self.kano_focus)
        out["kano_focus_names"] = "; ".join(self.kano_focus_names)
        return out


#: Per-tier strategy (DOMAIN.md §4): Zeithaml, Rust & Lemon (2001) for who the tiers are and
#: "serve tiers differently, move customers up, raise price or cut cost-to-serve for lead"; the
#: Kano focus is the course's bridge between the pyramid and Kano analysis (Kano et al. 1984).
TIER_STRATEGIES: Mapping[str, TierStrategy] = {
    "platinum": TierStrategy(
        "platinum",
        "铂",
        "The most profitable customers: heavy users, not very price sensitive, willing to try "
        "new offerings, committed.",
        "最有利可图的顾客：使用量大、对价格不太敏感、愿意尝试新产品、忠诚度高。",
        ("A",),
        "Go beyond must-be and one-dimensional needs into attractive ones: personalised, novel "
        "services; invest to keep and delight them.",
        "在满足必备需求和期望需求的基础上，重点开发魅力需求：提供个性化、新颖的服务，投入资源保留并取悦他们。",
    ),
    "gold": TierStrategy(
        "gold",
        "金",
        "Profitable, but they seek discounts, are less loyal and may spread their purchases "
        "over several suppliers.",
        "有利可图，但追求折扣、忠诚度较低，可能同时向多家供应商购买。",
        ("O", "M"),
        "Work the one-dimensional needs they compare on (discounts, bundles, cheaper new "
        "services) without losing the must-be ones; move them up to platinum.",
        "在不丢失必备需求的前提下，重点改善他们比较和决策所依据的期望需求（折扣、捆绑销售、更便宜的新服务），推动其升入铂层。",
    ),
    "iron": TierStrategy(
        "iron",
        "铁",
        "Volume that uses capacity, but their spending and profitability do not warrant special "
        "treatment.",
        "提供业务量、消化产能，但其消费和利润不值得特殊对待。",
        ("M",),
        "Secure the must-be needs with good basic quality at low cost; move them toward gold "
        "(more purchases, larger share of wallet).",
        "以良好的基本质量和较低的成本保证必备需求，推动其向金层移动（增加购买、提高钱包份额）。",
    ),
    "lead": TierStrategy(
        "lead",
        "铅",
        "They cost the firm money: they demand attention beyond their value and may be "
        "problem customers.",
        "让企业亏钱：占用的关注和资源超过其价值，可能是问题顾客。",
        ("M",),
        "Keep must-be basics only; raise prices or cut the cost to serve (self-service, fewer "
        "contacts, minimum order sizes, service fees) to move them toward gold; stop courting "
        "those who stay unprofitable.",
        "只保证必备需求；提高价格或降低服务成本（自助服务、减少接触、最低订单量、服务收费），推动其向金层移动；对始终不盈利者不再重点投入。",
    ),
}


def tier_strategy(tier: str) -> TierStrategy:
    """The strategy for one tier, by English name (any case) or Chinese name (铂, 金, 铁, 铅).

    >>> tier_strategy("铂").kano_focus
    ('A',)
    """
    key = _TIER_ALIASES.get(str(tier).strip().casefold(), _TIER_ALIASES.get(str(tier).strip()))
    if key is None:
        raise ValueError(
            f"unknown tier {tier!r}; tiers are {list(TIERS)} ({', '.join(TIER_NAMES_ZH.values())})"
        )
    return TIER_STRATEGIES[key]


def strategy_table() -> pd.DataFrame:
    """All tier strategies as a DataFrame, one row per tier (English and Chinese)."""
    return pd.DataFrame([TIER_STRATEGIES[t].to_dict() for t in TIERS])


# --------------------------------------------------------------------------------------------
# plots
# --------------------------------------------------------------------------------------------


def _axes(ax, figsize=(7, 5)):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_pyramid(profile: pd.DataFrame, *, ax=None, title: str | None = None):
    """The customer pyramid as a two-sided ("population pyramid") chart: per tier, platinum at
    the top, the share of customers to the left and the share of profit to the right.

    ``profile`` is the output of :func:`tier_profile` or :func:`tier_shares` (columns ``tier``,
    ``share_customers``, ``share_profit``). A negative share of profit (the lead
    tier) is drawn to the right at its absolute size, hatched and labelled with its sign.
    Returns the Axes.
    """
    from matplotlib.ticker import FuncFormatter

    ax = _axes(ax)
    prof = profile.set_index("tier").reindex(list(TIERS))
    y = np.arange(len(TIERS))[::-1]
    cust = prof["share_customers"].fillna(0).to_numpy()
    prof_share = prof["share_profit"].fillna(0).to_numpy()
    colors = [TIER_COLORS[t] for t in TIERS]
    ax.barh(y, -cust, color=colors, alpha=0.55, edgecolor="white")
    for yi, s, p, c in zip(y, cust, prof_share, colors):
        neg = p < 0
        ax.barh(
            yi,
            abs(p),
            color="white" if neg else c,
            edgecolor="#c0392b" if neg else "white",
            hatch="//" if neg else None,
            linewidth=1.2 if neg else 0.5,
        )
        ax.text(-s, yi, f"{s:.0%} ", ha="right", va="center", fontsize=9)
        ax.text(
            abs(p),
            yi,
            f" {p:+.0%}" if neg else f" {p:.0%}",
            ha="left",
            va="center",
            fontsize=9,
            color="#c0392b" if neg else "black",
        )
    lim = max(cust.max(initial=0), np.abs(prof_share).max(initial=0), 0.05) * 1.3
    ax.set_xlim(-lim, lim)
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_yticks(y, list(TIERS))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{abs(v):.0%}"))
    ax.set_xlabel("← share of customers      share of profit →")
    ax.set_title(title or "Customer pyramid: customers vs profit by tier")
    return ax


def _whale_xy(curve):
    if isinstance(curve, WhaleCurve):
        return curve.curve, curve.value
    if isinstance(curve, pd.DataFrame) and {"share_customers", "share_value"} <= set(curve.columns):
        return curve, "profit"
    raise TypeError("plot_whale_curve expects the result of whale_curve (or its .curve)")


def plot_whale_curve(curve, *, ax=None, title: str | None = None):
    """Whale curve (Cooper & Kaplan 1991): cumulative share of profit (y) against the share of
    customers ranked from most to least profitable (x), with the 100 % line and the peak marked.
    ``curve`` is a :class:`WhaleCurve` or its ``curve`` DataFrame. Returns the Axes."""
    from matplotlib.ticker import PercentFormatter

    ax = _axes(ax)
    frame, value = _whale_xy(curve)
    x, y = frame["share_customers"].to_numpy(), frame["share_value"].to_numpy()
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
    """Lorenz curves with the line of equality; the legend gives each curve's Gini
    (:func:`gini`).

    ``data`` is a customer table (curves of ``columns``, by default revenue and profit), a
    mapping of name → values or → :func:`lorenz_curve` frame, or a single array of values.
    Returns the Axes.
    """
    from matplotlib.ticker import PercentFormatter

    ax = _axes(ax, figsize=(6, 6))
    if isinstance(data, pd.DataFrame) or hasattr(data, "to_pandas"):
        df = _frame(data)
        if {"share_customers", "share_value"} <= set(df.columns):
            series = {"values": df}
        else:
            series = {c: df[_col(df, c)] for c in columns}
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


def plot_transition_matrix(
    matrix: pd.DataFrame,
    *,
    ax=None,
    cmap: str = "Blues",
    title: str | None = None,
    colorbar: bool = True,
):
    """Heat map of a :func:`transition_matrix` (rows: from, columns: to), every cell annotated
    (percent when row-stochastic, counts otherwise; NaN rows shown as "–"). Returns the Axes."""
    ax = _axes(ax, figsize=(6.5, 5))
    m = matrix if isinstance(matrix, pd.DataFrame) else pd.DataFrame(matrix)
    vals = m.to_numpy(dtype=float)
    finite = vals[np.isfinite(vals)]
    counts = finite.size > 0 and np.all(finite == np.round(finite)) and finite.max() > 1
    vmax = finite.max() if finite.size and finite.max() > 0 else 1
    im = ax.imshow(np.ma.masked_invalid(vals), cmap=cmap, aspect="auto", vmin=0, vmax=vmax)
    for i in range(vals.shape[0]):
        for j in range(vals.shape[1]):
            v = vals[i, j]
            txt = "–" if not np.isfinite(v) else (f"{int(v)}" if counts else f"{v:.0%}")
            colour = "white" if np.isfinite(v) and v > 0.6 * vmax else "black"
            ax.text(j, i, txt, ha="center", va="center", fontsize=9, color=colour)
    ax.set_xticks(range(vals.shape[1]), [str(c) for c in m.columns])
    ax.set_yticks(range(vals.shape[0]), [str(r) for r in m.index])
    ax.set_xlabel("to (later period)")
    ax.set_ylabel("from (earlier period)")
    ax.set_title(title or ("Tier migration (customers)" if counts else "Tier migration (row %)"))
    if colorbar:
        ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    return ax


#: Colours of the RFM segments in :func:`plot_rfm_map`.
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
    """RFM segment map.

    With RFM scores (a DataFrame with ``R`` and ``FM`` or ``F`` and ``M``, as :func:`rfm_scores`
    returns): the 5 × 5 R × FM grid of :func:`rfm_grid`, each segment a coloured block labelled
    with its name, customer count and share. With a Series of segment names (as
    :func:`rfm_segments` returns): horizontal bars of customers per segment. Returns the Axes.
    """
    from matplotlib.patches import Rectangle

    if isinstance(segments, pd.DataFrame) and "R" in segments.columns:
        ax = _axes(ax, figsize=(7, 6))
        r = _score_column(segments, "R")
        fm = (
            _score_column(segments, "FM")
            if "FM" in segments.columns
            else (_score_column(segments, "F") + _score_column(segments, "M") + 1) // 2
        )
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
    ax = _axes(ax, figsize=(7, 5))
    y = np.arange(len(SEGMENTS))[::-1]
    ax.barh(y, counts.to_numpy(), color=[SEGMENT_COLORS[s] for s in SEGMENTS])
    total = max(int(counts.sum()), 1)
    for yi, c in zip(y, counts.to_numpy()):
        ax.text(c, yi, f" {c} ({c / total:.0%})", va="center", fontsize=8)
    ax.set_yticks(y, list(SEGMENTS))
    ax.set_xlabel("customers")
    ax.set_title(title or "RFM segments")
    return ax
