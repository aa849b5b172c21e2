"""Plots of the relationship analysis. Each takes ``ax=`` (a new figure when None), draws on it
with the colours of :data:`~customer_value.relationship.LEVEL_COLORS` and returns the Axes;
none changes global matplotlib state. The result objects' ``.plot()`` methods call them."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .._util import axes
from ._common import LEVEL_COLORS


def plot_loadings(loadings, ax=None, *, annotate: bool = True, colorbar: bool = True):
    """Heatmap of factor loadings: items (rows) × factors (columns), blue positive, red
    negative, with the values written in; lines separate the scales. ``loadings`` is a
    :class:`~customer_value.relationship.FactorCheck` or an items × factors DataFrame.

    >>> L = pd.DataFrame({"financial": [0.8, 0.7, 0.1], "social": [0.1, 0.2, 0.9]},
    ...                  index=["fin1", "fin2", "soc1"])
    >>> len(plot_loadings(L).texts)
    6
    """
    item_scale = getattr(loadings, "item_scale", None)
    L = pd.DataFrame(getattr(loadings, "loadings_", loadings))
    ax = axes(ax, (6, 0.4 * len(L) + 1.5))
    im = ax.imshow(L.to_numpy(), cmap="RdBu", vmin=-1, vmax=1, aspect="auto")
    ax.set_xticks(range(L.shape[1]), [str(c) for c in L.columns])
    ax.set_yticks(range(L.shape[0]), [str(i) for i in L.index])
    ax.tick_params(axis="x", top=True, labeltop=True, bottom=False, labelbottom=False)
    if annotate:
        for i in range(L.shape[0]):
            for j in range(L.shape[1]):
                v = L.iat[i, j]
                color = "white" if abs(v) > 0.6 else "black"
                ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=8, color=color)
    if item_scale is not None:
        owners = [item_scale[i] for i in L.index]
        for i in range(1, len(owners)):
            if owners[i] != owners[i - 1]:
                ax.axhline(i - 0.5, color="black", lw=1)
    if colorbar:
        ax.figure.colorbar(im, ax=ax, shrink=0.8, label="loading")
    ax.set_xlabel("factor (labelled by the scale whose items load most)")
    ax.set_ylabel("item")
    return ax


def plot_levels(distribution: pd.DataFrame, ax=None, *, threshold: float | None = None):
    """Bar chart of the share of respondents at each relationship level. ``distribution`` is
    the table of :meth:`~customer_value.relationship.BondScores.level_distribution` (columns
    ``level`` and ``share``); ``threshold`` goes into the title.

    >>> dist = pd.DataFrame({"level": ["none", "financial"], "share": [0.6, 0.4]})
    >>> plot_levels(dist, threshold=5).get_title()
    'Relationship level (threshold 5)'
    """
    ax = axes(ax, (6.5, 3.5))
    d = pd.DataFrame(distribution)
    labels = [str(lv) for lv in d["level"]]
    colors = [LEVEL_COLORS.get(lv, f"C{i}") for i, lv in enumerate(labels)]
    ax.bar(range(len(d)), 100 * d["share"].to_numpy(dtype=float), color=colors)
    ax.set_xticks(range(len(d)), labels)
    title = "Relationship level" + ("" if threshold is None else f" (threshold {threshold:g})")
    ax.set(ylabel="share of respondents (%)", title=title)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def plot_survival(result, ax=None, *, ci: bool = True, labels: Mapping | None = None):
    """Kaplan–Meier step curves per level with their pointwise bands. ``result`` is a
    :class:`~customer_value.relationship.SurvivalByLevel` or its ``curves()`` table (group
    column first).

    >>> curves = pd.DataFrame({"level": "social", "time": [0, 2, 5], "survival": [1, 0.8, 0.5],
    ...                        "ci_low": [1, 0.6, 0.3], "ci_high": [1, 0.9, 0.7]})
    >>> len(plot_survival(curves).get_lines())
    1
    """
    ax = axes(ax, (8, 5))
    n = {}
    if hasattr(result, "curves"):
        n = {g: len(result.fits_[g].time) for g in result.order}
        curves, by = result.curves(), result.by
    else:
        curves = pd.DataFrame(result)
        by = curves.columns[0]
    for i, (g, c) in enumerate(curves.groupby(by, sort=False, observed=True)):
        color = LEVEL_COLORS.get(str(g), f"C{i}")
        label = (labels or {}).get(g, str(g)) + (f" (n={n[g]})" if g in n else "")
        ax.step(c["time"], c["survival"], where="post", color=color, label=label)
        if ci:
            ax.fill_between(
                c["time"], c["ci_low"], c["ci_high"], step="post", color=color, alpha=0.15, lw=0
            )
    ax.set_xlabel("months")
    ax.set_ylabel("share still a customer S(t)")
    ax.set_ylim(0, 1.02)
    ax.legend(title="relationship level" if by == "level" else str(by))
    return ax


def _plain_log_ticks(ax, values) -> None:
    """Readable ticks (0.5, 0.7, 1, 1.5, ...) on a log axis instead of powers of ten."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter, NullLocator

    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    lo, hi = v.min() / 1.05, v.max() * 1.05
    nice = np.array(
        [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
        + [1.1, 1.25, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0]
    )
    ticks = nice[(nice >= lo) & (nice <= hi)]
    if len(ticks) > 8:
        ticks = ticks[::2]
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_minor_formatter(NullFormatter())


def _forest(ax, table: pd.DataFrame, ratio: str, label: str, xlabel: str, truth):
    y = np.arange(len(table))[::-1]
    r = table[ratio].to_numpy()
    lo, hi = table["ci_low"].to_numpy(), table["ci_high"].to_numpy()
    ax.errorbar(
        r,
        y,
        xerr=[r - lo, hi - r],
        fmt="o",
        color="#264653",
        ecolor="#264653",
        capsize=3,
        label="estimate (95% CI)",
    )
    if truth:
        ax.plot(
            [truth.get(c, np.nan) for c in table[label]],
            y,
            "x",
            color="#e76f51",
            ms=8,
            mew=2,
            label="true value",
        )
    ax.axvline(1, color="grey", ls="--", lw=1)
    ax.set_xscale("log")
    _plain_log_ticks(ax, np.r_[lo, hi, 1.0, list((truth or {}).values())])
    ax.set_yticks(y, table[label].tolist())
    ax.set_xlabel(xlabel)
    ax.legend(loc="best")
    return ax


def plot_hazard_ratios(result, ax=None, *, truth: Mapping[str, float] | None = None):
    """Forest plot of hazard ratios with their confidence intervals on a log axis, a line at
    1 (no effect) and optionally the true values (``truth``: covariate → hazard ratio, drawn
    as crosses). ``result`` is a :class:`~customer_value.relationship.CoxResult` or its
    ``summary()``.

    >>> s = pd.DataFrame({"covariate": ["social", "structural"], "hazard_ratio": [0.85, 0.7],
    ...                   "ci_low": [0.8, 0.64], "ci_high": [0.9, 0.72]})
    >>> plot_hazard_ratios(s).get_xscale()
    'log'
    """
    s = result.summary() if hasattr(result, "summary") else pd.DataFrame(result)
    ax = axes(ax, (7, 0.45 * len(s) + 1.6))
    xlabel = "hazard ratio of churn (log scale; < 1 = keeps customers)"
    return _forest(ax, s, "hazard_ratio", "covariate", xlabel, truth)


def plot_odds_ratios(result, ax=None, *, truth: Mapping[str, float] | None = None):
    """Forest plot of the odds ratios of a switching logit (a
    :class:`~customer_value.relationship.LogitResult` or its ``summary()``), as
    :func:`plot_hazard_ratios`.

    >>> s = pd.DataFrame({"predictor": ["structural"], "odds_ratio": [0.5],
    ...                   "ci_low": [0.4], "ci_high": [0.62]})
    >>> plot_odds_ratios(s).get_xlabel()
    'odds ratio of intending to switch (log scale; < 1 = fewer switchers)'
    """
    s = result.summary() if hasattr(result, "summary") else pd.DataFrame(result)
    ax = axes(ax, (7, 0.45 * len(s) + 1.6))
    xlabel = "odds ratio of intending to switch (log scale; < 1 = fewer switchers)"
    return _forest(ax, s, "odds_ratio", "predictor", xlabel, truth)


def plot_event_study(
    event_study: pd.DataFrame, ax=None, *, did: float | None = None, truth: float | None = None
):
    """Event-study plot: estimate and confidence interval per period relative to launch, the
    reference period (−1) at 0, a dashed line at launch, and optionally the DiD estimate
    (``did``) and the true effect (``truth``) as horizontal lines.

    >>> es = pd.DataFrame({"relative_period": [-2, -1, 0], "estimate": [0.1, 0.0, 4.0],
    ...                    "ci_low": [-1, np.nan, 3], "ci_high": [1.2, np.nan, 5],
    ...                    "reference": [False, True, False]})
    >>> plot_event_study(es, did=4.0).get_xlabel()
    'months relative to launch'
    """
    ax = axes(ax, (8, 4.5))
    es = pd.DataFrame(event_study)
    est = es[~es["reference"].astype(bool)] if "reference" in es else es
    ax.errorbar(
        est["relative_period"],
        est["estimate"],
        yerr=[est["estimate"] - est["ci_low"], est["ci_high"] - est["estimate"]],
        fmt="o",
        color="#264653",
        ecolor="#8ab17d",
        capsize=2,
        ms=4,
        label="member − non-member (95% CI)",
    )
    if "reference" in es:
        ref = es[es["reference"].astype(bool)]
        ax.plot(
            ref["relative_period"],
            ref["estimate"],
            "o",
            mfc="white",
            color="#264653",
            label="reference period (−1)",
        )
    ax.axhline(0, color="grey", lw=1)
    ax.axvline(-0.5, color="black", ls="--", lw=1, label="launch")
    if did is not None:
        ax.axhline(did, color="#2a9d8f", ls="-.", lw=1.5, label=f"DiD estimate {did:.2f}")
    if truth is not None:
        ax.axhline(truth, color="#e76f51", ls=":", lw=1.5, label=f"true effect {truth:g}")
    ax.set_xlabel("months relative to launch")
    ax.set_ylabel("effect on the outcome")
    ax.legend(loc="best", fontsize=8)
    return ax


def plot_retention(result, ax=None, *, periods: int | None = None):
    """Share of each level's customers still active (points) and the fitted sBG curve (line)
    up to ``periods`` (default twice the observed periods), with a dotted line at the end of
    the data. ``result`` is a :class:`~customer_value.relationship.RetentionByLevel`.

    >>> from customer_value.relationship import retention_by_level
    >>> data = pd.DataFrame({"customer_id": [1, 1, 1, 2, 2, 2, 3, 3, 3], "month": [1, 2, 3] * 3,
    ...                      "active": [1, 1, 0, 1, 1, 1, 1, 0, 0], "level": "social"})
    >>> plot_retention(retention_by_level(data)).get_ylabel()
    'share still a customer'
    """
    ax = axes(ax, (8, 5))
    for i, (lv, m) in enumerate(result.models_.items()):
        c = m.cohorts_[0]
        t = np.arange((periods or 2 * (len(c) - 1)) + 1)
        color = LEVEL_COLORS.get(str(lv), f"C{i}")
        ax.plot(t, np.asarray(m.survival(t.astype(float))), "-", color=color, label=f"{lv} (sBG)")
        ax.plot(np.arange(len(c)), c / c[0], "o", color=color, ms=3)
        ax.axvline(len(c) - 1, color="grey", ls=":", lw=1)
    ax.set_xlabel("months")
    ax.set_ylabel("share still a customer")
    ax.set_ylim(0, 1.02)
    ax.legend(title="level (points: observed)")
    return ax
