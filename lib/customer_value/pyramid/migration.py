"""Movement between tiers from one period to the next: transition matrices, a Markov projection
of the tier mix, and the value of moving customers up the pyramid.

Sources: Zeithaml, Rust & Lemon (2001), *California Management Review* 43(4) ("move customers
up the pyramid"); Pfeifer & Carraway (2000), "Modeling customer relationships as Markov
chains", *Journal of Interactive Marketing* 14(2):43–55.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._util import check_number
from ..io import InputError
from ._base import (
    TIER_NAMES_ZH,
    TIERS,
    column,
    frame,
    ids,
    normalize_tiers,
    numeric,
    ratio,
    tiers_for,
)
from .tiers import DEFAULT_CUTOFFS, DEFAULT_SHARES, PyramidSegmenter, assign_tiers

__all__ = [
    "STATES_FROM",
    "STATES_TO",
    "TierMigration",
    "move_up_effect",
    "project_mix",
    "tier_migration",
    "transition_matrix",
]

#: Row states of :func:`transition_matrix`: the tiers, and ``new`` for customers who appear
#: only in the later period.
STATES_FROM = TIERS + ("new",)
#: Column states: the tiers, and ``lost`` for customers who appear only in the earlier period.
STATES_TO = TIERS + ("lost",)


def _tiers_by_customer(x, customer_id: str, tier: str, label: str) -> pd.Series:
    if isinstance(x, pd.DataFrame):
        idcol, tcol = column(x, customer_id), column(x, tier)
        customer = ids(x, idcol)
        s = pd.Series(x[tcol].to_numpy(), index=pd.Index(customer.to_numpy(), name=idcol))
    elif isinstance(x, pd.Series):
        s = x
        if s.index.hasnans:
            raise InputError(f"{label}: missing customer id(s) in the index")
        if s.index.has_duplicates:
            dup = s.index[s.index.duplicated()].unique()[:10].tolist()
            raise InputError(
                f"{label}: customer ids must be unique; duplicated: {dup}. Pass a "
                f"Series indexed by customer_id, e.g. "
                f"tiers.set_axis(data['customer_id'])"
            )
    else:
        raise TypeError(
            f"{label}: expected a Series indexed by customer id or a DataFrame with "
            f"{customer_id!r} and {tier!r} columns"
        )
    return normalize_tiers(s)


def transition_matrix(
    tiers_before,
    tiers_after,
    normalize: bool = True,
    *,
    customer_id: str = "customer_id",
    tier: str = "tier",
) -> pd.DataFrame:
    """Tier-to-tier migration between two periods, by customer (Pfeifer & Carraway 2000).

    Each argument is a Series of tiers indexed by customer id, or a DataFrame with
    ``customer_id`` and ``tier`` columns (e.g. :attr:`TierMigration.before`). Customers
    present only before move to the column state ``lost``; customers present only after come
    from the row state ``new``. Rows are :data:`STATES_FROM` (the tiers, ``new``), columns
    :data:`STATES_TO` (the tiers, ``lost``). With ``normalize=False`` the cells are counts;
    with ``normalize=True`` each row is divided by its total (row-stochastic: row *i*, column
    *j* estimates P(tier j next period | tier i now); the ``new`` row is the tier mix of newly
    acquired customers). A row without customers is NaN when normalised.

    >>> import pandas as pd
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
    customers into that state; otherwise an InputError names it. ``start_mix`` gives counts or
    shares per state (a dict or Series by state name, missing states 0, or an array in the
    matrix's state order); the result is in the same unit.

    Returns a DataFrame with one row per period 0..periods and one column per state.

    >>> import pandas as pd
    >>> P = pd.DataFrame([[0.9, 0.1], [0.3, 0.7]], index=["gold", "iron"],
    ...                  columns=["gold", "iron"])
    >>> project_mix(P, {"gold": 100}, periods=2).loc[2].round(6).tolist()
    [84.0, 16.0]
    """
    periods = check_number("periods", periods, lo=0, integer=True, scalar=True)
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
            raise InputError(
                f"the transition matrix must be square with the same states as rows "
                f"and columns; rows {list(m.index)}, columns {list(m.columns)}"
            )
        m = m[list(m.index)]
        states = [str(s) for s in m.index]
        p = m.to_numpy()
    else:
        p = np.asarray(matrix, dtype=float)
        if p.ndim != 2 or p.shape[0] != p.shape[1]:
            raise InputError(f"the transition matrix must be square, got shape {p.shape}")
        states = list(range(p.shape[0]))
    unobserved = np.isnan(p).any(axis=1)
    p = np.where(unobserved[:, None], 0.0, p)
    sums = p.sum(axis=1)[~unobserved]
    if (p < 0).any() or not np.allclose(sums, 1.0, atol=1e-9):
        raise InputError(
            f"the transition matrix must be row-stochastic (non-negative rows that "
            f"sum to 1), row sums are {np.round(sums, 6).tolist()}; use "
            f"transition_matrix(..., normalize=True)"
        )
    if isinstance(start_mix, (Mapping, pd.Series)):
        mix = dict(start_mix)
        unknown = [k for k in mix if k not in states]
        if unknown:
            raise InputError(f"start_mix has unknown state(s) {unknown}; states are {states}")
        x = np.array([float(mix.get(s, 0.0)) for s in states])
    else:
        x = np.asarray(start_mix, dtype=float).ravel()
        if x.shape != (len(states),):
            raise InputError(f"start_mix needs {len(states)} entries ({states}), got {x.size}")
    rows = [x]
    for t in range(periods):
        reached = [s for s, u, mass in zip(states, unobserved, rows[-1]) if u and mass > 0]
        if reached:
            raise InputError(
                f"in period {t} the projection puts customers into state(s) "
                f"{reached}, whose transition row has no observed customers (NaN); "
                f"supply those rows (e.g. from a longer history)"
            )
        rows.append(rows[-1] @ p)
    return pd.DataFrame(rows, columns=states, index=pd.RangeIndex(len(rows), name="period"))


def move_up_effect(
    data, tiers, share: float = 0.1, *, value: str = "profit", customer_id: str = "customer_id"
) -> pd.DataFrame:
    """Profit effect of moving a share of each tier's customers up one tier (Zeithaml, Rust &
    Lemon 2001: "move customers up the pyramid").

    Assumption: a moved customer goes from earning the mean ``value`` of their tier to earning
    the mean of the tier above (the next non-empty tier above), i.e. the movers are typical of
    their tier and become typical of the next one. Per tier: moved = share × customers (an
    expected number, not rounded), gain_per_customer = mean above − mean of the tier,
    ``{value}_effect`` = moved × gain. Platinum has no tier above (effect 0). The ``total`` row
    sums the effects; ``share_of_total`` is the effect as a fraction of the current total.

    >>> import pandas as pd
    >>> data = pd.DataFrame({"profit": [100.0, 40, 6, -20]})
    >>> tiers = ["platinum", "gold", "iron", "lead"]
    >>> move_up_effect(data, tiers, share=0.5)["profit_effect"].tolist()
    [0.0, 30.0, 17.0, 13.0, 60.0]
    """
    share = check_number("share", share, lo=0, hi=1, scalar=True)
    df = frame(data)
    tier = tiers_for(tiers, df, customer_id)
    v = numeric(df, column(df, value))
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


@dataclass
class TierMigration:
    """Result of :func:`tier_migration`: two periods tiered with the same thresholds.

    Attributes: ``segmenter`` (the :class:`PyramidSegmenter` fitted on period 1), ``before``
    and ``after`` (one row per customer with a purchase in that period: ``customer_id``,
    ``tier``, the value), ``counts`` and ``matrix`` (:func:`transition_matrix` as counts and
    row-stochastic), ``retiered`` (period 2 tiered afresh by :func:`assign_tiers`, for
    comparison), ``value`` (the column that ranks customers).
    """

    segmenter: PyramidSegmenter
    before: pd.DataFrame
    after: pd.DataFrame
    counts: pd.DataFrame
    matrix: pd.DataFrame
    retiered: pd.Series
    value: str

    @property
    def stay(self) -> pd.Series:
        """Share of each tier's period-1 customers in the same tier in period 2 (tiers with
        customers only)."""
        seen = [t for t in TIERS if self.counts.loc[t].sum()]
        return pd.Series([self.matrix.loc[t, t] for t in seen], index=seen, name="stay")

    @property
    def lost_share(self) -> float:
        """Share of period-1 customers without a purchase in period 2."""
        return ratio(self.counts["lost"].sum(), self.counts.loc[list(TIERS)].to_numpy().sum())

    def summary(self) -> pd.DataFrame:
        """One row per tier: the period-1 threshold (``min_value``), customers in period 1, in
        period 2 by the same thresholds and re-tiered, and the fractions of the period-1
        customers who stay, move up, move down or are lost."""
        thresholds = self.segmenter.thresholds_[0]
        before = self.before["tier"].value_counts(sort=False).reindex(list(TIERS))
        after = self.after["tier"].value_counts(sort=False).reindex(list(TIERS))
        retiered = self.retiered.value_counts(sort=False).reindex(list(TIERS))
        rows = []
        for k, t in enumerate(TIERS):
            row = self.counts.loc[t]
            n = row.sum()
            rows.append(
                {
                    "tier": t,
                    "tier_zh": TIER_NAMES_ZH[t],
                    "min_value": thresholds[k] if k < 3 else -np.inf,
                    "customers_before": int(before[t]),
                    "customers_after": int(after[t]),
                    "customers_after_retiered": int(retiered[t]),
                    "stay": ratio(row[t], n),
                    "up": ratio(row[list(TIERS[:k])].sum(), n),
                    "down": ratio(row[list(TIERS[k + 1 :])].sum(), n),
                    "lost": ratio(row["lost"], n),
                }
            )
        return pd.DataFrame(rows)

    def to_frame(self) -> pd.DataFrame:
        """Per customer seen in either period: customer_id, tier_before (or ``new``),
        tier_after (or ``lost``) and the value in each period."""
        b = self.before.set_index("customer_id")
        a = self.after.set_index("customer_id")
        both = b.index.union(a.index, sort=False)
        return pd.DataFrame(
            {
                "customer_id": both,
                "tier_before": b["tier"].astype(object).reindex(both).fillna("new").to_numpy(),
                "tier_after": a["tier"].astype(object).reindex(both).fillna("lost").to_numpy(),
                f"{self.value}_before": b[self.value].reindex(both).to_numpy(),
                f"{self.value}_after": a[self.value].reindex(both).to_numpy(),
            }
        )

    def project(self, periods: int = 3) -> pd.DataFrame:
        """The period-2 tier mix carried ``periods`` periods forward by :func:`project_mix`
        (no acquisition, lost absorbing), with ``expected_{value}``: each tier valued at its
        mean value in period 2 (Pfeifer & Carraway 2000)."""
        start = self.after["tier"].value_counts(sort=False).reindex(list(TIERS)).astype(float)
        proj = project_mix(self.matrix, start.to_dict(), periods=periods)
        mean2 = (
            self.after.groupby("tier", observed=False)[self.value]
            .mean()
            .reindex(list(TIERS))
            .fillna(0.0)
        )
        proj[f"expected_{self.value}"] = proj[list(TIERS)].to_numpy() @ mean2.to_numpy()
        return proj

    def plot(self, ax=None, **kwargs):
        """The row-stochastic matrix as a heat map (:func:`plot_transition_matrix`); the
        ``new`` row is left out when no customer is new."""
        from .plots import plot_transition_matrix

        shown = self.matrix
        if self.counts.loc["new"].sum() == 0:
            shown = shown.drop(index="new")
        return plot_transition_matrix(shown, ax=ax, **kwargs)


def tier_migration(
    before,
    after,
    *,
    method: str = "shares",
    shares: Sequence[float] = DEFAULT_SHARES,
    cutoffs: Sequence[float] = DEFAULT_CUTOFFS,
    value: str = "profit",
    customer_id: str = "customer_id",
    seed: int | np.random.Generator | None = 0,
) -> TierMigration:
    """Tier two periods' customer tables with the **same** yardstick and measure the movement:
    a :class:`PyramidSegmenter` learns the value thresholds of the tiers in ``before`` and
    applies them to both periods; then :func:`transition_matrix` (lost, new) and, through
    :meth:`TierMigration.project`, the Markov projection of Pfeifer & Carraway (2000).
    Zeithaml, Rust & Lemon (2001) want customers moved up the pyramid; this measures whether
    they move.

    >>> import pandas as pd
    >>> p1 = pd.DataFrame({"customer_id": list("abcde"), "profit": [90.0, 50, 20, 10, -5]})
    >>> p2 = pd.DataFrame({"customer_id": list("abcf"), "profit": [95.0, 10, 60, 5]})
    >>> m = tier_migration(p1, p2, shares=(0.2, 0.2, 0.4, 0.2))
    >>> m.counts.loc["gold", ["iron", "lost"]].tolist(), m.lost_share
    ([1, 0], 0.4)
    """
    d1, d2 = frame(before), frame(after)
    periods = []
    for df in (d1, d2):
        idcol = column(df, customer_id)
        periods.append((df.index, ids(df, idcol), numeric(df, column(df, value), idcol)))
    seg = PyramidSegmenter(method=method, shares=shares, cutoffs=cutoffs, seed=seed)
    seg.fit(pd.DataFrame({value: periods[0][2]}))
    tables = []
    for index, customer, v in periods:
        tier = seg.tiers(pd.DataFrame({value: v}, index=index))
        tables.append(pd.DataFrame({"customer_id": customer.to_numpy(), "tier": tier, value: v}))
    b, a = tables
    return TierMigration(
        segmenter=seg,
        before=b,
        after=a,
        counts=transition_matrix(b, a, normalize=False),
        matrix=transition_matrix(b, a),
        retiered=assign_tiers(
            d2,
            method=method,
            shares=shares,
            cutoffs=cutoffs,
            value=value,
            customer_id=customer_id,
            seed=seed,
        ),
        value=value,
    )
