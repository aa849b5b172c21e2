"""The customer pyramid of one customer table in one call: tiers, tier profile, unprofitable
customers and concentration — what the ``customer-value pyramid`` command prints and writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._util import check_number
from ._base import TIER_NAMES_ZH, column, frame
from .concentration import concentration_summary
from .tiers import (
    DEFAULT_CUTOFFS,
    DEFAULT_SHARES,
    assign_tiers,
    describe_method,
    flag_unprofitable,
    tier_profile,
)

__all__ = ["CustomerPyramid", "build"]


@dataclass
class CustomerPyramid:
    """Result of :func:`build`.

    Attributes: ``data`` (the customer table), ``tiers`` (ordered Categorical on its index),
    ``unprofitable`` (profit < 0), ``profile`` (:func:`tier_profile`: one row per tier and a
    total), ``concentration`` (:func:`concentration_summary` of revenue and profit), the
    settings ``method``, ``shares``, ``cutoffs``, ``value``, ``seed``, ``top`` and
    ``customer_id``, and ``description`` (how the tiers were cut, in words).
    """

    data: pd.DataFrame
    tiers: pd.Series
    unprofitable: pd.Series
    profile: pd.DataFrame
    concentration: pd.DataFrame
    method: str
    shares: tuple[float, ...]
    cutoffs: tuple[float, ...]
    value: str
    seed: object
    top: float
    customer_id: str

    @property
    def description(self) -> str:
        return describe_method(self.method, self.shares, self.cutoffs, self.value, self.seed)

    @property
    def positive_profit(self) -> bool:
        """Whether total profit is positive (else shares of profit mean nothing)."""
        return bool(self.concentration.loc["profit", "total"] > 0)

    def summary(self) -> pd.DataFrame:
        """The tier profile: one row per tier, platinum first, and a ``total`` row."""
        return self.profile.copy()

    def to_frame(self) -> pd.DataFrame:
        """The customer table with ``tier``, ``tier_zh`` and ``unprofitable`` after the
        customer id."""
        out = self.data.copy()
        at = list(out.columns).index(self.customer_id) + 1
        out.insert(at, "tier", self.tiers)
        out.insert(at + 1, "tier_zh", self.tiers.astype(str).map(TIER_NAMES_ZH))
        out.insert(at + 2, "unprofitable", self.unprofitable)
        return out

    def plot(self, ax=None, **kwargs):
        """The two-sided pyramid chart of :func:`plot_pyramid`; returns the Axes."""
        from .plots import plot_pyramid

        return plot_pyramid(self.profile, ax=ax, **kwargs)


def build(
    data,
    *,
    method: str = "shares",
    shares: Sequence[float] = DEFAULT_SHARES,
    cutoffs: Sequence[float] = DEFAULT_CUTOFFS,
    value: str = "profit",
    customer_id: str = "customer_id",
    seed: int | np.random.Generator | None = 0,
    top: float = 0.2,
) -> CustomerPyramid:
    """The customer pyramid of a customer table (Zeithaml, Rust & Lemon 2001): tiers by
    :func:`assign_tiers` (``method``, ``shares``, ``cutoffs``, ranked by ``value``), the
    :func:`tier_profile`, the unprofitable customers (:func:`flag_unprofitable`) and the
    concentration of revenue and profit with the share of the ``top`` customers
    (:func:`concentration_summary`: Gini after Raffinetti, Siletti & Vernizzi 2015, whale curve
    after Cooper & Kaplan 1991). ``data`` is :func:`customer_value.customers.customer_table`
    (or its ``.to_pandas()``).

    >>> import pandas as pd
    >>> data = pd.DataFrame({"customer_id": list("abcd"), "revenue": [400.0, 300, 200, 100],
    ...     "gross_sales": [400.0, 300, 200, 100], "gross_margin": [160.0, 90, 50, 20],
    ...     "cost_to_serve": [20.0, 30, 20, 60], "profit": [140.0, 60, 30, -40],
    ...     "orders": [8, 5, 3, 2], "recency_days": [5, 20, 60, 200]})
    >>> res = build(data, shares=(0.25, 0.25, 0.25, 0.25))
    >>> res.to_frame()[["customer_id", "tier", "unprofitable"]].values.tolist()
    [['a', 'platinum', False], ['b', 'gold', False], ['c', 'iron', False], ['d', 'lead', True]]
    """
    df = frame(data)
    top = check_number("top", top, lo=0, hi=1, scalar=True)
    tiers = assign_tiers(
        df,
        method=method,
        shares=shares,
        cutoffs=cutoffs,
        value=value,
        customer_id=customer_id,
        seed=seed,
    )
    return CustomerPyramid(
        data=df,
        tiers=tiers,
        unprofitable=flag_unprofitable(df),
        profile=tier_profile(df, tiers),
        concentration=concentration_summary(df, x=top, customer_id=customer_id),
        method=method,
        shares=tuple(float(s) for s in shares),
        cutoffs=tuple(float(c) for c in cutoffs),
        value=column(df, value),
        seed=seed,
        top=top,
        customer_id=column(df, customer_id),
    )
