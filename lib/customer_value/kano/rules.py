"""Statistics of a feature that depend only on its category counts A, O, M, I, R, Q: the
category rules, category and total strength, Fong's test and the Better/Worse coefficients.

Every function takes a DataFrame ``data`` with columns A, O, M, I, R, Q (one row per feature:
the counts of :meth:`KanoResult.counts`, or a table printed in a paper) and returns one value
per row.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._util import check_number
from ..io import InputError
from .answers import _CAT_INDEX, CATEGORIES, MODE_CATEGORIES, TIE_PRIORITY

#: Column order of :meth:`KanoResult.summary` (and of the CLI's ``--out`` CSV).
SUMMARY_COLUMNS = [
    "feature",
    "n",
    "n_missing",
    *CATEGORIES,
    *(f"share_{c}" for c in CATEGORIES),
    "category",
    "category_oam",
    "category_strength",
    "total_strength",
    "fong_first",
    "fong_second",
    "fong_a",
    "fong_b",
    "fong_n",
    "fong_threshold",
    "fong_significant",
    "better",
    "worse",
    "better_ci_low",
    "better_ci_high",
    "worse_ci_low",
    "worse_ci_high",
    "functional_mean",
    "functional_sd",
    "dysfunctional_mean",
    "dysfunctional_sd",
    "importance_mean",
    "importance_n",
]
#: The columns of ``KanoResult.summary(brief=True)``, the table the CLI prints.
BRIEF_COLUMNS = [
    "feature",
    "n",
    *CATEGORIES,
    "category",
    "category_oam",
    "category_strength",
    "fong_significant",
    "better",
    "worse",
    "importance_mean",
]


__all__ = [
    "better_worse",
    "category_by_mode",
    "category_by_oam",
    "fong_test",
    "summarize_counts",
]


def _count_matrix(data: pd.DataFrame) -> np.ndarray:
    missing = [c for c in CATEGORIES if c not in data.columns]
    if missing:
        raise InputError(
            f"category counts need the columns {', '.join(CATEGORIES)}; missing: "
            f"{', '.join(missing)}",
            columns=missing,
        )
    c = data[list(CATEGORIES)].to_numpy(dtype=float, na_value=np.nan)
    bad = np.isnan(c) | (c < 0)
    if bad.any():
        rows = [str(i) for i in data.index[bad.any(axis=1)][:5]]
        raise InputError(
            f"category counts must be numbers >= 0; rows {', '.join(rows)} are not",
            columns=[CATEGORIES[j] for j in np.flatnonzero(bad.any(axis=0))],
        )
    return c


def _rank_categories(counts: np.ndarray, eligible: Sequence[str], tolerance: float = 0.0):
    """Rank eligible categories per row: largest count first; counts within ``tolerance`` of the
    largest count as tied with it, and ties go to the earlier category in TIE_PRIORITY.

    Returns (category letters in priority order, per-row ranking as indices into them, counts).
    """
    order = [c for c in TIE_PRIORITY if c in eligible]
    sub = counts[:, [_CAT_INDEX[c] for c in order]].astype(float)
    ranked = np.empty(sub.shape, dtype=int)
    for r in range(sub.shape[0]):  # one row per feature: a handful, not respondents
        row = sub[r]
        best = row.max() if row.size else 0.0
        tied = [j for j in range(len(order)) if best - row[j] <= tolerance]
        rest = sorted((j for j in range(len(order)) if j not in tied), key=lambda j: (-row[j], j))
        ranked[r] = sorted(tied) + rest
    return np.array(order, dtype=object), ranked, sub


def _categories_arg(categories) -> list[str]:
    cats = list(categories)
    unknown = [c for c in cats if c not in CATEGORIES]
    if unknown or not cats:
        raise InputError(
            f"categories must be letters among {', '.join(CATEGORIES)}; got {categories!r}"
        )
    return cats


def category_by_mode(
    data: pd.DataFrame, *, include_reverse: bool = True, tie_tolerance: float = 0.0
) -> pd.Series:
    """The category with the most answers; Q never wins; ties go M > O > A > I (> R).

    Counts within ``tie_tolerance`` answers of the largest count as tied with it ("near-ties"),
    and the category with the larger impact on the product wins (Matzler & Hinterhuber 1998;
    Sauerwein et al. 1996). ``<NA>`` for a feature without any answer that can win.

    >>> counts = pd.DataFrame({"A": [3], "O": [3], "M": [1], "I": [0], "R": [0], "Q": [5]})
    >>> category_by_mode(counts).tolist()
    ['O']
    >>> category_by_mode(counts.assign(M=2), tie_tolerance=1).tolist()
    ['M']
    """
    c = _count_matrix(data)
    check_number("tie_tolerance", tie_tolerance, lo=0, scalar=True)
    eligible = ["A", "O", "M", "I"] + (["R"] if include_reverse else [])
    order, ranked, sub = _rank_categories(c, eligible, tie_tolerance)
    top = order[ranked[:, 0]]
    has = sub.sum(axis=1) > 0
    return pd.Series(np.where(has, top, None), index=data.index, name="category", dtype="string")


def category_by_oam(data: pd.DataFrame) -> pd.Series:
    """The (O+A+M) vs (I+R+Q) rule (Berger et al. 1993; Matzler & Hinterhuber 1998): if
    O+A+M > I+R+Q the category is the largest of O, A, M (ties M > O > A), otherwise the
    largest of I, R, Q (ties I > R > Q).

    >>> category_by_oam(pd.DataFrame({"A": [4], "O": [3], "M": [2], "I": [6], "R": [0], "Q": [0]})).tolist()
    ['A']
    """
    c = _count_matrix(data)
    oam = c[:, [_CAT_INDEX[x] for x in "OAM"]].sum(axis=1)
    irq = c[:, [_CAT_INDEX[x] for x in "IRQ"]].sum(axis=1)
    o1, r1, _ = _rank_categories(c, ["O", "A", "M"])
    o2, r2, _ = _rank_categories(c, ["I", "R", "Q"])
    out = np.where(oam > irq, o1[r1[:, 0]], o2[r2[:, 0]])
    out = np.where(oam + irq > 0, out, None)
    return pd.Series(out, index=data.index, name="category_oam", dtype="string")


def fong_test(
    data: pd.DataFrame,
    *,
    categories: Sequence[str] = MODE_CATEGORIES,
    n: str | pd.Series = "answered",
    z: float = 1.65,
) -> pd.DataFrame:
    """Fong's test: is the most frequent category significantly ahead of the second?

    With ``a`` and ``b`` the two largest counts among ``categories`` (default A, O, M, I, R: the
    categories that can win the mode; ties ordered M > O > A > I > R) and ``N`` the number of
    answers, the lead is *not* significant when
    ``|a − b| < z·√((a + b)(2N − a − b) / (2N))`` (Fong 1996; z = 1.65 for α = 0.1).

    ``n="answered"`` uses N = A+O+M+I+R+Q (complete answer pairs); ``n="categories"`` the sum
    over ``categories`` only; a Series gives N per feature. The result names the two categories
    compared (``fong_first``, ``fong_second``), their counts, N and the threshold, so that the
    decision (``significant``) can be redone by hand.

    >>> counts = pd.DataFrame({"A": [30], "O": [10], "M": [5], "I": [5], "R": [0], "Q": [0]})
    >>> row = fong_test(counts).iloc[0]
    >>> str(row["fong_first"]), str(row["fong_second"]), round(float(row["fong_threshold"]), 2)
    ('A', 'O', 8.08)
    >>> bool(row["significant"])
    True
    """
    c = _count_matrix(data)
    z = check_number("z", z, lo=0, lo_open=True, scalar=True)
    order, ranked, sub = _rank_categories(c, _categories_arg(categories))
    rows = np.arange(len(c))
    a = sub[rows, ranked[:, 0]]
    b = sub[rows, ranked[:, 1]] if sub.shape[1] > 1 else np.zeros(len(c))
    if isinstance(n, pd.Series):
        N = n.to_numpy(dtype=float)
    elif n == "answered":
        N = c.sum(axis=1)
    elif n == "categories":
        N = sub.sum(axis=1)
    else:
        raise InputError(f"n must be 'answered', 'categories' or a Series of totals, not {n!r}")
    with np.errstate(invalid="ignore", divide="ignore"):
        threshold = z * np.sqrt((a + b) * (2 * N - a - b) / (2 * N))
    sig = np.abs(a - b) >= threshold
    return pd.DataFrame(
        {
            "fong_first": order[ranked[:, 0]],
            "fong_second": order[ranked[:, 1]] if sub.shape[1] > 1 else None,
            "fong_a": a.astype(int),
            "fong_b": b.astype(int),
            "fong_n": N.astype(int),
            "fong_threshold": threshold,
            "significant": np.where(N > 0, sig, False),
        },
        index=data.index,
    )


def better_worse(data: pd.DataFrame) -> pd.DataFrame:
    """Timko's customer-satisfaction coefficients (in Berger et al. 1993), as fractions:
    Better (CS+) = (A + O)/(A + O + M + I), from 0 to 1, and Worse (CS−) =
    −(O + M)/(A + O + M + I), from 0 to −1. R and Q answers are left out; NaN when
    A + O + M + I = 0.

    >>> counts = pd.DataFrame({"A": [5], "O": [3], "M": [2], "I": [10], "R": [0], "Q": [0]})
    >>> better_worse(counts).round(2).values.tolist()
    [[0.4, -0.25]]
    """
    c = _count_matrix(data)
    A, O, M, I = (c[:, _CAT_INDEX[x]] for x in "AOMI")
    den = A + O + M + I
    with np.errstate(invalid="ignore", divide="ignore"):
        better = np.where(den > 0, (A + O) / den, np.nan)
        worse = np.where(den > 0, -(O + M) / den, np.nan)
    return pd.DataFrame({"better": better, "worse": worse}, index=data.index)


def summarize_counts(
    data: pd.DataFrame,
    *,
    tie_tolerance: float = 0.0,
    fong_categories: Sequence[str] = MODE_CATEGORIES,
    fong_n: str | pd.Series = "answered",
    fong_z: float = 1.65,
) -> pd.DataFrame:
    """Every per-feature statistic that depends only on the category counts.

    Returns ``data`` (columns A, O, M, I, R, Q) with these columns added; every share is a
    fraction (0.25, not 25 %):

    ``n``
        complete answer pairs, A + O + M + I + R + Q;
    ``share_A`` … ``share_Q``
        each category's count / n;
    ``category``
        the mode, Q excluded, ties M > O > A > I > R (:func:`category_by_mode`; Matzler &
        Hinterhuber 1998; Sauerwein et al. 1996);
    ``category_oam``
        the (O+A+M) vs (I+R+Q) rule (:func:`category_by_oam`);
    ``category_strength``
        the gap between the two largest shares among A, O, M, I, R, i.e. the lead of
        ``category``, in percentage points / 100 (Lee & Newcomb 1997);
    ``total_strength``
        (A + O + M) / n, the share of answers saying the feature matters (Lee & Newcomb 1997);
    ``fong_first`` … ``fong_threshold``, ``fong_significant``
        Fong's test (:func:`fong_test`; Fong 1996);
    ``better``, ``worse``
        Timko's coefficients (:func:`better_worse`).

    Shares and strengths are NaN for a feature with n = 0.

    >>> counts = pd.DataFrame({"A": [30], "O": [20], "M": [6], "I": [4], "R": [0], "Q": [0]})
    >>> s = summarize_counts(counts).iloc[0]
    >>> str(s["category"]), float(s["share_A"]), round(float(s["category_strength"]), 3)
    ('A', 0.5, 0.167)
    """
    c = _count_matrix(data)
    out = data.copy()
    n = c.sum(axis=1)
    denom = np.maximum(n, 1)
    out["n"] = n.astype(np.int64) if np.all(c == np.round(c)) else n
    for j, cat in enumerate(CATEGORIES):
        out[f"share_{cat}"] = np.where(n > 0, c[:, j] / denom, np.nan)
    out["category"] = category_by_mode(data, tie_tolerance=tie_tolerance).to_numpy()
    out["category_oam"] = category_by_oam(data).to_numpy()
    elig = c[:, [_CAT_INDEX[x] for x in MODE_CATEGORIES]]
    srt = -np.sort(-elig, axis=1)
    out["category_strength"] = np.where(n > 0, (srt[:, 0] - srt[:, 1]) / denom, np.nan)
    oam = c[:, [_CAT_INDEX[x] for x in "AOM"]].sum(axis=1)
    out["total_strength"] = np.where(n > 0, oam / denom, np.nan)
    fong = fong_test(data, categories=fong_categories, n=fong_n, z=fong_z)
    out = out.join(fong.rename(columns={"significant": "fong_significant"}))
    return out.join(better_worse(data))
