"""Kano charts: the Better–Worse diagram, category shares, DuMouchel's continuous map and the
answer-pair heat map. Each takes ``ax=None`` and returns the Axes; none changes global
matplotlib state (matplotlib is imported only when a chart is drawn).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._util import axes
from ..io import InputError
from .answers import ANSWER_NAMES, CATEGORIES, CATEGORY_NAMES, TABLES, TIE_PRIORITY
from .responses import KanoResponses
from .rules import SUMMARY_COLUMNS

__all__ = [
    "CATEGORY_COLORS",
    "plot_answer_pairs",
    "plot_better_worse",
    "plot_categories",
    "plot_continuous",
]

#: Colours used by every Kano plot, so a category looks the same everywhere in the course.
CATEGORY_COLORS = {
    "A": "#2a9d8f",
    "O": "#264653",
    "M": "#e76f51",
    "I": "#b0b0b0",
    "R": "#9b5de5",
    "Q": "#f4d35e",
}


def _plain(text) -> str:
    """User text as a matplotlib label: a ``$`` in a feature name is not maths."""
    return str(text).replace("$", r"\$")


def _repel(ax, xs, ys, labels, fontsize=8):
    """Place labels next to points, nudging them apart so they do not overlap badly."""
    texts = [
        ax.annotate(
            _plain(lab), (x, y), xytext=(4, 4), textcoords="offset points", fontsize=fontsize
        )
        for x, y, lab in zip(xs, ys, labels)
    ]
    if len(texts) < 2:
        return texts
    renderer = ax.figure.canvas.get_renderer()
    offsets = np.array([[4.0, 4.0] for _ in texts])
    for _ in range(60):
        boxes = [t.get_window_extent(renderer) for t in texts]
        moved = False
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                a, b = boxes[i], boxes[j]
                if a.overlaps(b):
                    dy = (a.y1 - b.y0) if a.y0 >= b.y0 else (b.y1 - a.y0)
                    step = min(dy / 2 + 1, 6)
                    sign = 1 if a.y0 >= b.y0 else -1
                    offsets[i, 1] += sign * step
                    offsets[j, 1] -= sign * step
                    moved = True
        if not moved:
            break
        for t, off in zip(texts, offsets):
            t.set_position(off)
    return texts


def _sizes(df: pd.DataFrame, size: str | None, scale) -> np.ndarray:
    if size and size in df.columns and df[size].notna().any():
        return np.nan_to_num(scale(df[size].to_numpy(dtype=float)), nan=60)
    return np.full(len(df), 80.0)


def plot_better_worse(
    data: pd.DataFrame,
    *,
    ax=None,
    cut: str = "fixed",
    size: str | None = "importance_mean",
    hue: str | None = None,
    ci: bool = False,
    labels: bool = True,
    title: str | None = None,
):
    """Better–Worse diagram (Timko, in Berger et al. 1993) of a summary table ``data``.

    x = |Worse| (how much the feature's absence dissatisfies), y = Better (how much its
    presence satisfies). Quadrants at 0.5 (``cut="fixed"``) or at the features' means
    (``cut="mean"``): upper right one-dimensional, upper left attractive, lower right must-be,
    lower left indifferent. Bubble area follows ``size`` (mean importance) when available;
    points are coloured by category, or by ``hue`` (e.g. a segment column); ``ci`` adds the
    bootstrap intervals as whiskers. Returns the Axes.

    >>> from customer_value.kano import summarize_counts
    >>> counts = pd.DataFrame({"A": [30, 2], "O": [5, 5], "M": [5, 40], "I": [10, 3],
    ...                        "R": 0, "Q": 0}, index=pd.Index(["chat", "login"], name="feature"))
    >>> ax = plot_better_worse(summarize_counts(counts).reset_index())
    >>> ax.get_xlabel()
    '|Worse| — dissatisfaction if absent'
    """
    if cut not in ("fixed", "mean"):
        raise InputError(f"cut must be 'fixed' or 'mean', not {cut!r}")
    ax = axes(ax, (7, 6))
    df = data.dropna(subset=["better", "worse"])
    x, y = -df["worse"].to_numpy(), df["better"].to_numpy()
    s = _sizes(
        df, size, lambda v: 40 + 260 * (v - np.nanmin(v)) / max(np.nanmax(v) - np.nanmin(v), 1e-9)
    )
    if hue and hue in df.columns:
        import matplotlib as mpl

        values = list(pd.unique(df[hue]))
        cmap = mpl.colormaps["tab10"]
        colors = [cmap(values.index(v) % 10) for v in df[hue]]
        for i, v in enumerate(values):
            ax.scatter([], [], color=cmap(i % 10), label=_plain(v))
    else:
        colors = [CATEGORY_COLORS.get(c, "#777777") for c in df["category"].fillna("")]
        for c in CATEGORIES[:5]:
            if (df["category"] == c).any():
                ax.scatter([], [], color=CATEGORY_COLORS[c], label=f"{c} {CATEGORY_NAMES[c][0]}")
    if ci and "better_ci_low" in df.columns:
        ax.errorbar(
            x,
            y,
            xerr=[x - (-df["worse_ci_high"]), (-df["worse_ci_low"]) - x],
            yerr=[y - df["better_ci_low"], df["better_ci_high"] - y],
            fmt="none",
            ecolor="#999999",
            elinewidth=0.8,
            alpha=0.7,
            zorder=1,
        )
    ax.scatter(x, y, s=s, c=colors, alpha=0.85, edgecolors="white", linewidths=0.8, zorder=2)
    cx, cy = (float(np.mean(x)), float(np.mean(y))) if cut == "mean" else (0.5, 0.5)
    ax.axvline(cx, color="#555555", lw=0.8, ls="--")
    ax.axhline(cy, color="#555555", lw=0.8, ls="--")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    for tx, ty, txt, ha in (
        (0.02, 0.98, "attractive (A)", "left"),
        (0.98, 0.98, "one-dimensional (O)", "right"),
        (0.02, 0.02, "indifferent (I)", "left"),
        (0.98, 0.02, "must-be (M)", "right"),
    ):
        va = "top" if ty > 0.5 else "bottom"
        ax.text(tx, ty, txt, transform=ax.transAxes, ha=ha, va=va, fontsize=8, color="#666666")
    if labels:
        lab = df["feature"].astype(str)
        if hue and hue in df.columns:
            lab = lab + " (" + df[hue].astype(str) + ")"
        _repel(ax, x, y, lab.tolist())
    ax.set_xlabel("|Worse| — dissatisfaction if absent")
    ax.set_ylabel("Better — satisfaction if present")
    where = "feature means" if cut == "mean" else "0.5"
    ax.set_title(_plain(title) if title else f"Better–Worse diagram (cut at {where})")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    return ax


def plot_categories(data: pd.DataFrame, *, ax=None, sort: bool = True, title: str | None = None):
    """Stacked horizontal bars: the share of each category among a feature's answers
    (``share_A`` … ``share_Q`` of a summary table ``data``; Berger et al. 1993).

    With ``sort``, features are ordered by their category (M, O, A, I, R) and its share. A
    segment column of a segmented summary is added to the labels. Returns the Axes.

    >>> from customer_value.kano import summarize_counts
    >>> counts = pd.DataFrame({"A": [30, 2], "O": [5, 5], "M": [5, 40], "I": [10, 3],
    ...                        "R": 0, "Q": 0}, index=pd.Index(["chat", "login"], name="feature"))
    >>> [t.get_text() for t in plot_categories(summarize_counts(counts).reset_index()).get_yticklabels()]
    ['chat', 'login']
    """
    df = data.reset_index(drop=True)
    label = df["feature"].astype(str)
    extra = [c for c in df.columns if c not in SUMMARY_COLUMNS and not str(c).startswith("_")]
    if extra:
        label = label + " · " + df[extra[0]].astype(str)
    label = label.map(_plain)
    if sort:
        rank = df["category"].map({c: i for i, c in enumerate(TIE_PRIORITY)}).fillna(9)
        share = np.zeros(len(df))
        for c in CATEGORIES:
            share = np.where(df["category"] == c, df[f"share_{c}"].fillna(0), share)
        order = pd.DataFrame({"r": rank, "s": share}).sort_values(
            ["r", "s"], ascending=[False, True]
        )
        df, label = df.loc[order.index], label[order.index]
    ax = axes(ax, (8, 0.35 * len(df) + 1.5))
    left = np.zeros(len(df))
    for cat in ("M", "O", "A", "I", "R", "Q"):
        vals = df[f"share_{cat}"].fillna(0).to_numpy()
        ax.barh(
            label,
            vals,
            left=left,
            color=CATEGORY_COLORS[cat],
            label=f"{cat} {CATEGORY_NAMES[cat][0]}",
            edgecolor="white",
            linewidth=0.5,
        )
        left += vals
    from matplotlib.ticker import PercentFormatter

    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1))
    ax.set_xlabel("share of answers")
    ax.set_title(_plain(title) if title else "Kano categories per feature")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    return ax


def plot_continuous(
    data: pd.DataFrame,
    *,
    ax=None,
    size: str | None = "importance_mean",
    labels: bool = True,
    title: str | None = None,
):
    """DuMouchel's continuous analysis (in Berger et al. 1993): the mean dysfunctional score
    (x) against the mean functional score (y) of each feature in a summary table ``data``.

    Scores: functional 4, 2, 0, −1, −2 and dysfunctional −2, −1, 0, 2, 4 for answers 1..5.
    Reference lines at 2 split the positive quadrant into attractive (upper left),
    one-dimensional (upper right), must-be (lower right) and indifferent (lower left). Bubble
    area follows mean importance. Returns the Axes.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"feature": ["chat"], "category": ["A"], "functional_mean": [3.0],
    ...                    "dysfunctional_mean": [0.5]})
    >>> [float(v) for v in plot_continuous(df).get_xlim()]
    [-0.5, 4.0]
    """
    ax = axes(ax, (7, 6))
    df = data.dropna(subset=["functional_mean", "dysfunctional_mean"])
    x, y = df["dysfunctional_mean"].to_numpy(), df["functional_mean"].to_numpy()
    s = _sizes(df, size, lambda v: 20 * v)
    colors = [CATEGORY_COLORS.get(c, "#777777") for c in df["category"].fillna("")]
    ax.scatter(x, y, s=s, c=colors, alpha=0.85, edgecolors="white", zorder=2)
    for v in (0, 2):
        ax.axvline(v, color="#555555", lw=0.8 if v else 0.5, ls="--" if v else "-")
        ax.axhline(v, color="#555555", lw=0.8 if v else 0.5, ls="--" if v else "-")
    lo = min(-0.5, np.nanmin(x, initial=0) - 0.3, np.nanmin(y, initial=0) - 0.3)
    ax.set_xlim(lo, 4)
    ax.set_ylim(lo, 4)
    if labels:
        _repel(ax, x, y, df["feature"].astype(str).tolist())
    ax.set_xlabel("mean dysfunctional score (−2..4)")
    ax.set_ylabel("mean functional score (−2..4)")
    ax.set_title(_plain(title) if title else "Continuous Kano analysis (DuMouchel)")
    return ax


def plot_answer_pairs(responses: KanoResponses, feature: str, *, ax=None, title: str | None = None):
    """Heat map of the answer-pair counts of one feature, each cell marked with its category
    in the responses' evaluation table (Kano et al. 1984; Berger et al. 1993).

    Rows are functional answers, columns dysfunctional answers. Returns the Axes.

    >>> from customer_value.kano import read_responses
    >>> r = read_responses(pd.DataFrame({"wifi_functional": [1, 2], "wifi_dysfunctional": [5, 5]}))
    >>> plot_answer_pairs(r, "wifi").get_title()
    'Answer pairs: wifi (n=2)'
    """
    if feature not in responses.features:
        raise InputError(f"unknown feature {feature!r}; features: {responses.features}")
    j = responses.features.index(feature)
    f, d = responses.functional[:, j], responses.dysfunctional[:, j]
    ok = (f > 0) & (d > 0)
    mat = np.zeros((5, 5), dtype=int)
    np.add.at(mat, (f[ok] - 1, d[ok] - 1), 1)
    ax = axes(ax, (6, 5))
    im = ax.imshow(mat, cmap="Blues")
    rows = TABLES[responses.table]
    vmax = mat.max() if mat.max() > 0 else 1
    for r in range(5):
        for c in range(5):
            letter = rows[r][c]
            ax.text(
                c,
                r,
                f"{letter if letter != '.' else ''}\n{mat[r, c]}",
                ha="center",
                va="center",
                fontsize=9,
                color="white" if mat[r, c] > 0.6 * vmax else "black",
            )
    names = [ANSWER_NAMES[i] for i in range(1, 6)]
    ax.set_xticks(range(5), names, rotation=30, ha="right")
    ax.set_yticks(range(5), names)
    ax.set_xlabel("dysfunctional answer (feature absent)")
    ax.set_ylabel("functional answer (feature present)")
    ax.set_title(_plain(title or f"Answer pairs: {feature} (n={int(ok.sum())})"))
    ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    return ax
