"""Charts of the customer pyramid. Each takes ``ax=`` (a new figure when None), returns the
Axes and leaves matplotlib's global state alone."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._util import axes
from ._base import TIER_COLORS, TIERS

__all__ = [
    "plot_cost_to_serve",
    "plot_projection",
    "plot_pyramid",
    "plot_transition_matrix",
]

#: Colours of the RFM segments in :func:`plot_rfm_map`.
_ACTIVITY_COLORS = ["#264653", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#8d6e63", "#6d597a"]


def plot_pyramid(profile: pd.DataFrame, *, ax=None, title: str | None = None):
    """The customer pyramid (Zeithaml, Rust & Lemon 2001) as a two-sided ("population
    pyramid") chart: per tier, platinum at the top, the share of customers to the left and the
    share of profit to the right.

    ``profile`` is the output of :func:`tier_profile` or :func:`tier_shares` (columns ``tier``,
    ``share_customers``, ``share_profit``). A negative share of profit (the lead
    tier) is drawn to the right at its absolute size, hatched and labelled with its sign.
    Returns the Axes.

    >>> from customer_value.pyramid import tier_shares
    >>> ax = plot_pyramid(tier_shares(["platinum", "gold", "lead"], [60.0, 50, -10]))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['platinum', 'gold', 'iron', 'lead']
    """
    from matplotlib.ticker import FuncFormatter

    ax = axes(ax, (7, 5))
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


def plot_transition_matrix(
    matrix: pd.DataFrame,
    *,
    ax=None,
    cmap: str = "Blues",
    title: str | None = None,
    colorbar: bool = True,
):
    """Heat map of a :func:`transition_matrix` (rows: from, columns: to; Pfeifer & Carraway
    2000), every cell annotated (percent when row-stochastic, counts otherwise; NaN rows shown
    as "–"). Returns the Axes.

    >>> import pandas as pd
    >>> from customer_value.pyramid import transition_matrix
    >>> m = transition_matrix(pd.Series(["gold", "iron"], index=["a", "b"]),
    ...                       pd.Series(["gold"], index=["a"]))
    >>> plot_transition_matrix(m).get_title()
    'Tier migration (row %)'
    """
    ax = axes(ax, (6.5, 5))
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


def plot_projection(projection: pd.DataFrame, *, ax=None, title: str | None = None):
    """Customers per state over the periods of a Markov projection (:func:`project_mix` or
    :meth:`TierMigration.project`; Pfeifer & Carraway 2000): one line per tier, ``lost``
    dashed. Returns the Axes.

    >>> import pandas as pd
    >>> from customer_value.pyramid import project_mix
    >>> P = pd.DataFrame([[0.8, 0.2], [0.0, 1.0]], index=["gold", "lost"], columns=["gold", "lost"])
    >>> len(plot_projection(project_mix(P, {"gold": 100}, periods=3)).get_lines())
    2
    """
    ax = axes(ax, (7, 4.5))
    states = [s for s in (*TIERS, "lost") if s in projection.columns]
    for state in states:
        ax.plot(
            projection.index,
            projection[state],
            marker="o",
            label=state,
            color=TIER_COLORS.get(state, "#c0392b"),
            ls="--" if state == "lost" else "-",
        )
    ax.set(
        xlabel="periods ahead",
        ylabel="customers",
        xticks=list(projection.index),
        title=title or "Projected tier mix (no acquisition)",
    )
    ax.legend(frameon=False, fontsize=8)
    return ax


def plot_cost_to_serve(by_tier: pd.DataFrame, *, ax=None, title: str | None = None):
    """Cost to serve per customer by activity and tier as stacked horizontal bars, platinum on
    top (activity-based costing, Cooper & Kaplan 1991). ``by_tier`` is
    :func:`activity_by_tier` (one row per tier, one column per activity). Returns the Axes.

    >>> import pandas as pd
    >>> from customer_value.pyramid import activity_by_tier
    >>> costs = pd.DataFrame({"customer_id": ["a", "b"], "orders": [5.0, 10], "returns": [0.0, 30]})
    >>> ax = plot_cost_to_serve(activity_by_tier(costs, ["platinum", "lead"]))
    >>> ax.get_legend().get_title().get_text()
    'activity'
    """
    ax = axes(ax, (8, 4.5))
    shown = by_tier.fillna(0.0)
    y = np.arange(len(shown))
    left = np.zeros(len(shown))
    for i, activity in enumerate(shown.columns):
        width = shown[activity].to_numpy(dtype=float)
        ax.barh(
            y,
            width,
            left=left,
            color=_ACTIVITY_COLORS[i % len(_ACTIVITY_COLORS)],
            label=str(activity),
        )
        left = left + width
    ax.set_yticks(y, [str(t) for t in shown.index])
    ax.invert_yaxis()
    ax.set(
        xlabel="cost to serve per customer",
        ylabel="",
        title=title or "Cost to serve per customer by activity and tier",
    )
    ax.legend(title="activity", frameon=False, fontsize=8)
    return ax
