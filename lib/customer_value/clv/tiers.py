"""The customer pyramid on predicted profit (CLV) against the pyramid on past profit: who moves,
and why (Zeithaml, Rust & Lemon 2001 tier customers by profitability; a forward-looking
pyramid ranks them by the profit still to come)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import pyramid

__all__ = ["GROUPS", "TierComparison", "compare_tiers"]

#: The groups of :meth:`TierComparison.groups`, in order.
GROUPS = (
    "platinum on both",
    "falling: past platinum/gold → CLV iron/lead",
    "rising: past iron/lead → CLV platinum/gold",
    "lead on both",
    "negative CLV",
)


@dataclass
class TierComparison:
    """Tiers of the same customers on past profit and on CLV (:func:`compare_tiers`).

    ``data`` holds one row per customer: customer_id, past_profit, clv, p_alive (NaN for the
    simple formula), recency_days, cost_per_purchase, expected_purchases, past_tier, clv_tier.
    """

    data: pd.DataFrame
    shares: tuple[float, ...]

    def matrix(self) -> pd.DataFrame:
        """Number of customers by tier on past profit (rows) and on CLV (columns)."""
        d = self.data
        m = pd.crosstab(d["past_tier"], d["clv_tier"]).reindex(
            index=list(pyramid.TIERS), columns=list(pyramid.TIERS), fill_value=0
        )
        m.index.name, m.columns.name = "tier on past profit", "tier on CLV"
        return m

    @property
    def same_share(self) -> float:
        """Share of the customers in the same tier on both."""
        m = self.matrix().to_numpy()
        return float(np.trace(m) / m.sum())

    @property
    def platinum_kept(self) -> float:
        """Share of the past-profit platinum customers who are platinum on CLV too."""
        m = self.matrix()
        row = m.loc["platinum"].sum()
        return float(m.loc["platinum", "platinum"] / row) if row else float("nan")

    def masks(self) -> dict[str, pd.Series]:
        d = self.data
        top, low = ["platinum", "gold"], ["iron", "lead"]
        return dict(
            zip(
                GROUPS,
                [
                    (d["past_tier"] == "platinum") & (d["clv_tier"] == "platinum"),
                    d["past_tier"].isin(top) & d["clv_tier"].isin(low),
                    d["past_tier"].isin(low) & d["clv_tier"].isin(top),
                    (d["past_tier"] == "lead") & (d["clv_tier"] == "lead"),
                    d["clv"] < 0,
                ],
            )
        )

    def groups(self) -> pd.DataFrame:
        """The customers behind the differences (:data:`GROUPS`): size, past profit and CLV
        (total and mean), mean P(alive), median days since the last purchase and median cost
        to serve per purchase."""
        d = self.data
        rows = {}
        for name, m in self.masks().items():
            g = d[m]
            rows[name] = {
                "customers": int(m.sum()),
                "past_profit": float(g["past_profit"].sum()),
                "clv": float(g["clv"].sum()),
                "mean_past_profit": float(g["past_profit"].mean()) if len(g) else np.nan,
                "mean_clv": float(g["clv"].mean()) if len(g) else np.nan,
                "mean_p_alive": float(g["p_alive"].mean()) if len(g) else np.nan,
                "median_days_since_last": float(g["recency_days"].median()) if len(g) else np.nan,
                "median_cost_per_purchase": float(g["cost_per_purchase"].median())
                if len(g)
                else np.nan,
            }
        out = pd.DataFrame.from_dict(rows, orient="index")
        out.index.name = "group"
        return out

    def by_tier(self) -> pd.DataFrame:
        """One row per tier on CLV: customers, share of the total CLV, mean CLV, mean past
        profit, mean P(alive), median days since the last purchase, mean expected purchases."""
        d = self.data
        g = d.groupby("clv_tier", observed=False)
        out = pd.DataFrame(
            {
                "customers": g.size(),
                "share_clv": g["clv"].sum() / d["clv"].sum(),
                "mean_clv": g["clv"].mean(),
                "median_clv": g["clv"].median(),
                "mean_past_profit": g["past_profit"].mean(),
                "mean_p_alive": g["p_alive"].mean(),
                "median_days_since_last": g["recency_days"].median(),
                "mean_expected_purchases": g["expected_purchases"].mean(),
            }
        ).reindex(list(pyramid.TIERS))
        out.insert(0, "tier_zh", [pyramid.TIER_NAMES_ZH[t] for t in out.index])
        out.index.name = "tier on CLV"
        return out

    def plot(self, axes, title_suffix: str = ""):
        """The two pyramids side by side on ``axes`` (two Axes). Returns the axes."""
        d = self.data
        pyramid.plot_pyramid(
            pyramid.tier_shares(d["past_tier"], d["past_profit"]),
            ax=axes[0],
            title="Pyramid on past profit",
        )
        pyramid.plot_pyramid(
            pyramid.tier_shares(d["clv_tier"], d["clv"]),
            ax=axes[1],
            title=f"Pyramid on CLV{title_suffix}",
        )
        axes[1].set_xlabel("← share of customers      share of predicted profit →")
        return axes

    def plot_matrix(self, ax=None):
        """Heat map of :meth:`matrix`. Returns the Axes."""
        ax = pyramid.plot_transition_matrix(
            self.matrix(), ax=ax, title="Customers: past-profit tier → CLV tier"
        )
        ax.set(xlabel="tier on CLV", ylabel="tier on past profit")
        return ax


def compare_tiers(value, shares=(0.2, 0.3, 0.3, 0.2)) -> TierComparison:
    """Tier the customers of a :class:`~customer_value.clv.CustomerValue` twice, by past profit
    and by CLV, with the same ``shares`` of platinum, gold, iron and lead (Zeithaml, Rust &
    Lemon 2001; ties broken by customer id, as :func:`customer_value.pyramid.assign_tiers`
    does)."""
    d = value.data
    frame = pd.DataFrame(
        {
            "customer_id": d["customer_id"].to_numpy(),
            "past_profit": d["past_profit"].to_numpy(),
            "clv": d["clv"].to_numpy(),
            "p_alive": d["p_alive"].to_numpy() if "p_alive" in d else np.nan,
            "recency_days": d["recency_days"].to_numpy(),
            "cost_per_purchase": d["cost_per_purchase"].to_numpy(),
            "expected_purchases": d["expected_purchases"].to_numpy(),
        }
    )
    past = pyramid.assign_tiers(frame, value="past_profit", shares=shares)
    future = pyramid.assign_tiers(frame, value="clv", shares=shares)
    frame["past_tier"] = pd.Categorical(np.asarray(past, dtype=object), categories=pyramid.TIERS)
    frame["clv_tier"] = pd.Categorical(np.asarray(future, dtype=object), categories=pyramid.TIERS)
    return TierComparison(data=frame, shares=tuple(float(s) for s in shares))
