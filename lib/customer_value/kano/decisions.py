"""From a Kano summary to decisions: do segments differ (chi-square per feature, the segment
comparison table) and in which order to act on the features (the roadmap). Each function takes
a summary table ``data`` (:meth:`KanoResult.summary` or
:func:`~customer_value.kano.summarize_counts`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._util import check_number
from .answers import CATEGORIES
from .rules import _count_matrix

__all__ = ["ACTIONS", "chi_square_by_segment", "compare_segments", "roadmap"]

#: What each group of :func:`roadmap` calls for in new-service development.
ACTIONS = {
    "M": "secure first",
    "O": "compete",
    "A": "differentiate",
    "I": "deprioritise",
    "R": "do not push",
    "unclear": "research further",
}
_GROUPS = ("M", "O", "A", "I", "R", "unclear")


def chi_square_by_segment(
    data: pd.DataFrame, *, by: str, categories: Sequence[str] = CATEGORIES
) -> pd.DataFrame:
    """Pearson's chi-square test of independence between segment and category, per feature
    (``scipy.stats.chi2_contingency``, no continuity correction; Pearson 1900), with Cramér's
    V (Cramér 1946) and the smallest expected count (the χ² approximation is doubtful below 5;
    Cochran 1954).

    ``data`` is a segmented summary (columns ``by``, ``feature``, the counts and
    ``category``). Categories and segments without answers are dropped; a feature answered in
    fewer than two segments or categories gets NaN.

    >>> seg = pd.DataFrame({"seg": ["x", "y"], "feature": ["f", "f"], "A": [30, 10],
    ...                     "O": 0, "M": [10, 30], "I": 0, "R": 0, "Q": 0, "category": ["A", "M"]})
    >>> chi_square_by_segment(seg, by="seg")[["chi2", "dof", "cramers_v"]].round(3)
       chi2  dof  cramers_v
    0  20.0    1        0.5
    """
    from scipy.stats import chi2_contingency
    from scipy.stats.contingency import association

    _count_matrix(data)
    rows = []
    for feat, grp in data.groupby("feature", sort=False):
        tab = grp[list(categories)].to_numpy(dtype=np.int64)
        tab = tab[tab.sum(axis=1) > 0][:, tab.sum(axis=0) > 0]
        row = dict(feature=feat, chi2=np.nan, dof=0, p_value=np.nan, cramers_v=np.nan)
        row.update(min_expected=np.nan, categories=None)
        if tab.shape[0] >= 2 and tab.shape[1] >= 2:
            test = chi2_contingency(tab, correction=False)
            row.update(
                chi2=float(test.statistic),
                dof=int(test.dof),
                p_value=float(test.pvalue),
                cramers_v=float(association(tab, method="cramer")),
                min_expected=float(test.expected_freq.min()),
                categories="/".join(f"{s}:{c}" for s, c in zip(grp[by], grp["category"])),
            )
        rows.append(row)
    return pd.DataFrame(rows)


def compare_segments(
    data: pd.DataFrame, *, by: str, alpha: float = 0.05, order: Sequence | None = None
) -> pd.DataFrame:
    """The category of every feature in every segment, side by side, with the chi-square test
    of :func:`chi_square_by_segment` and a verdict.

    Returns one row per feature (index ``feature``, in the survey's order): one column per
    segment value (``order`` first, then the others) holding the category, then ``chi2``,
    ``dof``, ``p_value``, ``cramers_v``, ``min_expected``, ``differs`` (the categories are not
    all the same), ``significant`` (p < ``alpha``) and ``verdict``: "category differs by
    segment" (both), "categories differ, but not significantly", "same category, shares
    differ" or "no significant difference".

    >>> seg = pd.DataFrame({"seg": ["x", "y"], "feature": ["f", "f"], "A": [30, 10],
    ...                     "O": 0, "M": [10, 30], "I": 0, "R": 0, "Q": 0, "category": ["A", "M"]})
    >>> compare_segments(seg, by="seg").loc["f", ["x", "y", "verdict"]].tolist()
    ['A', 'M', 'category differs by segment']
    """
    alpha = check_number("alpha", alpha, lo=0, hi=1, lo_open=True, hi_open=True, scalar=True)
    features = list(pd.unique(data["feature"]))
    values = list(pd.unique(data[by]))
    first = [v for v in (order or []) if v in values]
    columns = first + [v for v in values if v not in first]
    cats = data.pivot(index="feature", columns=by, values="category")
    out = cats.reindex(index=features, columns=columns)
    out.columns = list(columns)
    out.index.name = "feature"
    chi = chi_square_by_segment(data, by=by).set_index("feature").reindex(features)
    for col in ("chi2", "dof", "p_value", "cramers_v", "min_expected"):
        out[col] = chi[col].to_numpy()
    differs = out[columns].nunique(axis=1).to_numpy() > 1
    significant = (chi["p_value"] < alpha).to_numpy()
    out["differs"], out["significant"] = differs, significant
    out["verdict"] = np.select(
        [differs & significant, differs & ~significant, ~differs & significant],
        [
            "category differs by segment",
            "categories differ, but not significantly",
            "same category, shares differ",
        ],
        "no significant difference",
    )
    return out


def roadmap(data: pd.DataFrame, *, by: str | None = None) -> pd.DataFrame:
    """The features in order of priority for new-service development.

    The groups go in the order of the tie rule, M > O > A > I > R (Matzler & Hinterhuber
    1998): must-be **M** first (secure first: the baseline, missing them excludes the offer
    from the customer's choice set), then one-dimensional **O** (compete: where customers
    compare offers and decide), attractive **A** (differentiate: the direction of innovation),
    indifferent **I** (deprioritise), reverse **R** (do not push), and last the features whose
    category is not significantly ahead by Fong's test (Fong 1996; ``"unclear"``: research
    further). The roles of M, O and A are those the course's source material on
    customer-needs orientation gives them in new-service development. Within a group, features
    go by mean importance (highest first) when the survey has importance ratings, otherwise by
    \\|Worse\\| for M and by Better for the others.

    ``data`` is a summary (:meth:`KanoResult.summary` or
    :func:`~customer_value.kano.summarize_counts`, whose index then names the features); with
    ``by`` the order restarts in every segment. Returns ``priority`` (1 = first), ``feature``,
    ``category``, ``group``, ``action`` (:data:`ACTIONS`), ``fong_significant``,
    ``category_strength``, ``better``, ``worse`` and ``importance_mean``.

    >>> from customer_value.kano import summarize_counts
    >>> counts = pd.DataFrame({"A": [30, 2, 12], "O": [5, 5, 10], "M": [5, 40, 10],
    ...                        "I": [10, 3, 18], "R": 0, "Q": 0},
    ...                       index=pd.Index(["chat", "login", "theme"], name="feature"))
    >>> roadmap(summarize_counts(counts))[["priority", "feature", "group", "action"]]
       priority feature    group            action
    0         1   login        M      secure first
    1         2    chat        A     differentiate
    2         3   theme  unclear  research further
    """
    df = data if "feature" in data.columns else data.rename_axis("feature").reset_index()
    df = df.reset_index(drop=True)
    group = df["category"].astype(object).where(df["fong_significant"].astype(bool), "unclear")
    group = group.where(df["category"].notna(), None)
    rank = group.map({g: i for i, g in enumerate(_GROUPS)}).fillna(len(_GROUPS))
    if "importance_mean" in df.columns and df["importance_mean"].notna().any():
        key = -df["importance_mean"].astype(float)
    else:
        key = np.where(group == "M", df["worse"], -df["better"]).astype(float)
    seg = pd.factorize(df[by])[0] if by else 0  # segments keep the summary's order
    order = pd.DataFrame({"seg": seg, "rank": rank, "key": key})
    order = order.sort_values(["seg", "rank", "key"], kind="stable", na_position="last")
    columns = ["category", "fong_significant", "category_strength", "better", "worse"]
    columns += ["importance_mean"] if "importance_mean" in df.columns else []
    out = df.loc[order.index, ([by] if by else []) + ["feature"] + columns].copy()
    out.insert(out.columns.get_loc("category") + 1, "group", group[order.index].to_numpy())
    out.insert(out.columns.get_loc("group") + 1, "action", out["group"].map(ACTIONS))
    keys = out[by] if by else pd.Series(0, index=out.index)
    out.insert(1 if by else 0, "priority", keys.groupby(keys, sort=False).cumcount() + 1)
    return out.reset_index(drop=True)
