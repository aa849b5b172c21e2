"""Bond scales: scores from Likert items, their reliability and factor structure, and a
customer's relationship level (Berry 1995; Cronbach 1951; Feldt 1965; Kaiser 1958)."""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._util import Problems, check_number, rng, source_of
from ..io import InputError, read_yaml
from ._common import (
    LEVEL_NAMES_ZH,
    LEVEL_ORDER,
    LEVELS,
    fail,
    fit_quietly,
    frame,
    numeric,
    problems,
    raw_missing,
    require,
)
from .plots import plot_levels, plot_loadings

_RESERVED = ("reverse", "scale")


@dataclass(frozen=True)
class Scales:
    """Which Likert items measure which bond.

    ``items`` maps a scale (``financial``, ``social``, ``structural``) to its item columns;
    ``reverse`` lists the reverse-worded items, recoded as ``scale_min + scale_max − answer``;
    answers must be whole numbers in ``[scale_min, scale_max]``.

    >>> Scales({"social": ["s1", "s2_r"]}, reverse=["s2_r"]).scale_of("s2_r")
    'social'
    """

    items: dict[str, list[str]]
    reverse: list[str] = field(default_factory=list)
    scale_min: int = 1
    scale_max: int = 7

    @property
    def all_items(self) -> list[str]:
        """Every item, scale by scale."""
        return [i for items in self.items.values() for i in items]

    def scale_of(self, item: str) -> str:
        """The scale an item belongs to."""
        for scale, items in self.items.items():
            if item in items:
                return scale
        raise KeyError(item)

    def to_dict(self) -> dict:
        """The mapping in the layout of ``datasets/bond_scales.yaml``."""
        return {
            **{k: list(v) for k, v in self.items.items()},
            "reverse": list(self.reverse),
            "scale": [self.scale_min, self.scale_max],
        }


def read_scales(scales) -> Scales:
    """Read an item-to-scale mapping from a YAML file or a mapping and check it.

    Layout (as ``datasets/bond_scales.yaml``)::

        financial: [fin1, fin2, fin3, fin4]
        social: [soc1, soc2, soc3, soc4_r]
        structural: [str1, str2, str3, str4, str5]
        reverse: [soc4_r]          # optional: reverse-worded items
        scale: [1, 7]              # optional: answer range, default 1..7

    Any subset of the three scales may be given. The file is read with
    :func:`customer_value.io.read_yaml` (plain data only: a syntax error names its line and
    column, a ``!!python/...`` tag is refused). Every problem (an unknown key such as a misspelt
    scale, an empty scale, an item listed twice or in two scales, a reverse item in no scale, a
    bad ``scale`` range) is reported in one :class:`~customer_value.io.InputError`. A
    :class:`Scales` passes through unchanged.

    >>> read_scales({"financial": ["f1", "f2"], "social": ["s1", "s2_r"],
    ...              "reverse": ["s2_r"]}).items["social"]
    ['s1', 's2_r']
    """
    source = None
    if isinstance(scales, Scales):
        spec = scales.to_dict()
    elif isinstance(scales, (str, os.PathLike)):
        source = str(scales)
        spec = read_yaml(scales, what="the scales file")
    elif isinstance(scales, Mapping):
        spec = dict(scales)
    else:
        raise TypeError(
            f"scales must be a YAML file path, a mapping or Scales, not {type(scales).__name__}"
        )
    if not spec:
        raise InputError(
            "the scales must be a mapping such as 'financial: [fin1, fin2, fin3]'", source=source
        )
    p = Problems("the scales file cannot be used:" if source else "the scales cannot be used:")
    spec = {str(k).strip(): v for k, v in spec.items()}
    unknown = [k for k in spec if k not in LEVELS + _RESERVED]
    if unknown:
        p.add(
            "keys",
            f"unknown key(s) {unknown}; the keys are the scales {', '.join(LEVELS)} and the "
            "options 'reverse' and 'scale'",
        )
    items: dict[str, list[str]] = {}
    owner: dict[str, str] = {}
    for scale in LEVELS:
        if scale not in spec:
            continue
        value = spec[scale]
        if isinstance(value, str) or not isinstance(value, Sequence) or len(value) == 0:
            p.add(
                f"scale {scale!r}",
                f"must list at least one item, e.g. '{scale}: [item1, item2, item3]'; "
                f"got {value!r}",
            )
            continue
        names = [str(v).strip() for v in value]
        for name in names:
            if name in owner:
                where = (
                    f"twice in {scale!r}"
                    if owner[name] == scale
                    else f"in both {owner[name]!r} and {scale!r}"
                )
                p.add(f"scale {scale!r}", f"item {name!r} is listed {where}: an item has one scale")
            owner.setdefault(name, scale)
        items[scale] = names
    if not any(scale in spec for scale in LEVELS):
        p.add("scales", f"no scale given: name at least one of {', '.join(LEVELS)}")
    rev = spec.get("reverse") or []
    if isinstance(rev, str):
        rev = [rev]
    if not isinstance(rev, Sequence):
        p.add("reverse", f"must list item names, e.g. 'reverse: [soc4_r]'; got {rev!r}")
        rev = []
    rev = [str(r).strip() for r in rev]
    stray = [r for r in rev if r not in owner]
    if stray and owner:
        p.add("reverse", f"reverse item(s) {stray} are in no scale")
    bounds = spec.get("scale", [1, 7])
    try:
        lo, hi = (int(v) for v in bounds)
        ok = lo < hi and all(float(v) == int(v) for v in bounds)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        p.add(
            "scale",
            f"'scale' must be [min, max] with whole numbers min < max, e.g. [1, 7]; got {bounds!r}",
        )
    p.raise_if_any(source=source)
    return Scales(items=items, reverse=rev, scale_min=lo, scale_max=hi)


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of a set of items (Cronbach 1951, *Psychometrika* 16(3)):

        α = k/(k − 1) · (1 − Σ s²_i / s²_X)

    with k items, item variances s²_i and the variance s²_X of the sum score (sample
    variances), on the respondents who answered every item (listwise). Items must already be
    recoded (reverse-worded items turned round). NaN when the sum score does not vary.

    >>> round(cronbach_alpha(pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 3, 5],
    ...                                    "c": [1, 3, 3, 4]})), 4)          # 1.5·(1 − 5.25/14.25)
    0.9474
    """
    x = pd.DataFrame(items).apply(pd.to_numeric, errors="coerce").dropna()
    k = x.shape[1]
    if k < 2:
        raise InputError(f"cronbach_alpha needs at least two items, got {k}")
    if len(x) < 2:
        raise InputError(
            f"cronbach_alpha needs at least two respondents with every item answered, got {len(x)}"
        )
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - x.var(ddof=1).sum() / total_var))


def feldt_interval(alpha: float, n: int, k: int, level: float = 0.95) -> tuple[float, float]:
    """Confidence interval of Cronbach's alpha (Feldt 1965, *Psychometrika* 30(3); Feldt,
    Woodruff & Salih 1987, *Applied Psychological Measurement* 11(1)):
    (1 − α)/(1 − α̂) follows an F distribution with n − 1 and (n − 1)(k − 1) degrees of freedom,
    so the interval is [1 − (1 − α̂)·F_{1−γ/2}, 1 − (1 − α̂)·F_{γ/2}] for n respondents and k items.
    NaN bounds when n < 2, k < 2 or α̂ is not finite.

    >>> [round(v, 3) for v in feldt_interval(0.8, 100, 5)]
    [0.731, 0.856]
    """
    from scipy import stats

    level = check_number("level", level, lo=0, hi=1, lo_open=True, hi_open=True, scalar=True)
    if n < 2 or k < 2 or not np.isfinite(alpha):
        return float("nan"), float("nan")
    g = 1 - level
    d1, d2 = n - 1, (n - 1) * (k - 1)
    lo = 1 - (1 - alpha) * stats.f.ppf(1 - g / 2, d1, d2)
    hi = 1 - (1 - alpha) * stats.f.ppf(g / 2, d1, d2)
    return float(lo), float(hi)


def relationship_level(scores: pd.DataFrame, threshold: float = 5.0) -> pd.Series:
    """A customer's relationship level: the highest level whose bond score is at least
    ``threshold`` ("none" when no bond is that strong).

    The levels are ordered as in Berry (1995, *JAMS* 23(4)): financial < social < structural;
    a level counts as reached when its bond is strong (on a 1–7 agreement scale, 5 = "somewhat
    agree" or more on average). The rule looks only at the strongest level reached: a customer
    with a strong structural bond is "structural" even when the social bond is weak, because the
    structural bond is the one that holds a customer (Chiu et al. 2005, *J. Business Research*
    58(12)). A missing score counts as not reached. Only the level columns present in
    ``scores`` are used.

    Returns an ordered categorical Series "none" < "financial" < "social" < "structural".

    >>> relationship_level(pd.DataFrame({"financial": [6, 3, 5], "social": [2, 5.5, 4],
    ...                                  "structural": [4, 3, 6]})).tolist()
    ['financial', 'social', 'structural']
    """
    if not isinstance(scores, pd.DataFrame):
        raise TypeError(
            f"relationship_level: scores must be a DataFrame, not {type(scores).__name__}"
        )
    present = [lv for lv in LEVELS if lv in scores.columns]
    if not present:
        raise InputError(
            f"relationship_level: scores need at least one of the columns "
            f"{list(LEVELS)}; got {list(map(str, scores.columns))}",
            source=source_of(scores),
        )
    threshold = check_number("threshold", threshold, scalar=True)
    out = np.full(len(scores), "none", dtype=object)
    for lv in present:
        s = pd.to_numeric(scores[lv], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        out[s >= threshold] = lv
    return pd.Series(
        pd.Categorical(out, categories=list(LEVEL_ORDER), ordered=True),
        index=scores.index,
        name="level",
    )


def _likert_items(data: pd.DataFrame, scales: Scales, func: str) -> pd.DataFrame:
    """Parse and check every item; return the recoded answers (float, NaN = missing)."""
    lo, hi = scales.scale_min, scales.scale_max
    p = problems(
        data, f"{func}: answers must be whole numbers from {lo} to {hi} (blank = not answered):"
    )
    values = {}
    for item in scales.all_items:
        raw = data[item]
        x = numeric(raw)
        bad = ~raw_missing(raw) & (np.isnan(x) | (x != np.round(x)) | (x < lo) | (x > hi))
        if bad.any():
            p.add_values(item, raw, bad)
        x = np.where(bad, np.nan, x)
        values[item] = (lo + hi - x) if item in scales.reverse else x
    p.raise_if_any()
    return pd.DataFrame(values, index=data.index)


def _alpha_if_deleted(block: pd.DataFrame) -> pd.Series:
    out = {}
    for c in block.columns:
        rest = block.drop(columns=c)
        out[c] = cronbach_alpha(rest) if rest.shape[1] >= 2 else float("nan")
    return pd.Series(out)


class BondScores:
    """Bond scale scores of a survey with their reliability, a factor check and the level
    distribution; made by :func:`score_bonds`.

    Attributes: ``scores`` (one row per respondent: a column per scale and ``level``),
    ``items`` (the answers after reverse coding), ``scales`` (:class:`Scales`), ``threshold``
    and ``min_items`` (per scale), ``data`` (the survey), ``respondent`` (its ID column or
    None) and ``source`` (the file it was read from, or None).

    >>> survey = pd.DataFrame({"f1": [6, 2, 5, 6], "f2": [5, 3, 5, 7], "s1": [2, 6, 3, 6],
    ...                        "s2": [1, 6, 2, 5]})
    >>> bonds = score_bonds(survey, {"financial": ["f1", "f2"], "social": ["s1", "s2"]})
    >>> bonds.level_distribution()[["level", "respondents"]].values.tolist()
    [['none', 0], ['financial', 2], ['social', 2]]
    """

    def __init__(
        self,
        items: pd.DataFrame,
        scales: Scales,
        scores: pd.DataFrame,
        min_items: dict[str, int],
        threshold: float,
        *,
        data: pd.DataFrame | None = None,
        respondent: str | None = None,
    ):
        self.items = items
        self.scales = scales
        self.scores = scores
        self.min_items = min_items
        self.threshold = threshold
        self.data = data
        self.respondent = respondent
        self.source = None if data is None else source_of(data)

    def _block(self, scale: str) -> pd.DataFrame:
        return self.items[self.scales.items[scale]]

    def _levels(self) -> list[str]:
        return ["none"] + [lv for lv in LEVELS if lv in self.scales.items]

    def reliability(self, level: float = 0.95) -> pd.DataFrame:
        """One row per scale: ``scale``, ``n_items``, ``n`` (respondents with every item of the
        scale answered, on whom alpha is computed), ``alpha`` (Cronbach 1951),
        ``alpha_ci_low``/``alpha_ci_high`` (Feldt 1965, see :func:`feldt_interval`), ``mean``
        and ``sd`` of the scale score (all respondents with a score). Rule of thumb (Nunnally
        1978): alpha ≥ 0.7 for a usable scale."""
        rows = []
        for scale, names in self.scales.items.items():
            block = self._block(scale).dropna()
            k, n = len(names), len(block)
            a = cronbach_alpha(block) if k >= 2 and n >= 2 else float("nan")
            lo, hi = feldt_interval(a, n, k, level)
            s = self.scores[scale]
            rows.append(
                {
                    "scale": scale,
                    "n_items": k,
                    "n": n,
                    "alpha": a,
                    "alpha_ci_low": lo,
                    "alpha_ci_high": hi,
                    "mean": float(s.mean()),
                    "sd": float(s.std(ddof=1)),
                }
            )
        return pd.DataFrame(rows)

    def item_stats(self, min_item_total: float = 0.3) -> pd.DataFrame:
        """One row per item: ``scale``, ``item``, ``n`` (answers), ``mean`` and ``sd`` (after
        reverse coding), ``item_total_corr`` (corrected item–total correlation: the item
        against the sum of the *other* items of its scale), ``alpha_if_deleted`` (alpha of the
        scale without the item; both on the respondents who answered every item of the scale),
        ``scale_alpha`` (the scale's alpha), ``raises_alpha`` (deleting the item would raise
        it), ``weak`` (item–total correlation below ``min_item_total`` or ``raises_alpha``: an
        item that measures something else, e.g. a reverse-worded item left unrecoded) and
        ``reverse``."""
        rows = []
        for scale, names in self.scales.items.items():
            block = self._block(scale)
            complete = block.dropna()
            usable = len(names) >= 2 and len(complete) >= 2
            alpha = cronbach_alpha(complete) if usable else float("nan")
            aid = (
                _alpha_if_deleted(complete)
                if len(names) >= 3 and len(complete) >= 2
                else pd.Series(np.nan, index=names)
            )
            for item in names:
                x = block[item]
                itc = float("nan")
                if len(names) >= 2 and len(complete) >= 3:
                    rest = complete.drop(columns=item).sum(axis=1)
                    if complete[item].std() > 0 and rest.std() > 0:
                        itc = float(np.corrcoef(complete[item], rest)[0, 1])
                raises = bool(aid[item] > alpha)
                rows.append(
                    {
                        "scale": scale,
                        "item": item,
                        "n": int(x.notna().sum()),
                        "mean": float(x.mean()),
                        "sd": float(x.std(ddof=1)),
                        "item_total_corr": itc,
                        "alpha_if_deleted": float(aid[item]),
                        "scale_alpha": alpha,
                        "raises_alpha": raises,
                        "weak": bool(itc < min_item_total) or raises,
                        "reverse": item in self.scales.reverse,
                    }
                )
        return pd.DataFrame(rows)

    def factor_check(self, n_factors: int | None = None, seed=0) -> FactorCheck:
        """Exploratory factor analysis of the items: do they separate into their scales?

        Maximum-likelihood factor analysis (scikit-learn ``FactorAnalysis``) with varimax
        rotation (Kaiser 1958, *Psychometrika* 23(3)) on the standardized, recoded items of the
        respondents who answered every item; ``n_factors`` defaults to the number of scales.
        Factors are labelled by the scale whose items load most on them (a one-to-one
        assignment, scipy ``linear_sum_assignment``) and turned so that those items load
        positively. See :class:`FactorCheck`.
        """
        from scipy.optimize import linear_sum_assignment
        from sklearn.decomposition import FactorAnalysis

        scales = list(self.scales.items)
        names = self.scales.all_items
        k = len(scales) if n_factors is None else n_factors
        k = check_number("n_factors", k, lo=1, hi=len(names) - 1, integer=True, scalar=True)
        x = self.items[names].dropna()
        if len(x) <= len(names):
            raise InputError(
                f"factor_check: only {len(x)} respondents answered every item; "
                f"a factor analysis of {len(names)} items needs many more",
                source=self.source,
            )
        sd = x.std(ddof=0)
        const = sd[sd == 0].index.tolist()
        if const:
            raise InputError(
                f"factor_check: item(s) {const} have the same answer from everyone",
                source=self.source,
            )
        z = ((x - x.mean()) / sd).to_numpy()
        state = seed if isinstance(seed, numbers.Integral) else int(rng(seed).integers(2**31))
        fa = FactorAnalysis(
            n_components=k,
            rotation="varimax" if k > 1 else None,
            random_state=state,
            max_iter=5000,
            tol=1e-6,
        )
        fa = fit_quietly(lambda: fa.fit(z), "factor_check")
        load = fa.components_.T.copy()  # items × factors
        owner = np.array([self.scales.scale_of(i) for i in names])
        strength = np.array([[np.mean(load[owner == s, j] ** 2) for j in range(k)] for s in scales])
        rows, cols = linear_sum_assignment(-strength)
        labels = [f"factor{j + 1}" for j in range(k)]
        for r, c in zip(rows, cols):
            labels[c] = scales[r]
            if load[owner == scales[r], c].sum() < 0:
                load[:, c] = -load[:, c]
        order = sorted(
            range(k),
            key=lambda j: scales.index(labels[j]) if labels[j] in scales else len(scales) + j,
        )
        loadings = pd.DataFrame(
            load[:, order],
            index=pd.Index(names, name="item"),
            columns=pd.Index([labels[j] for j in order], name="factor"),
        )
        return FactorCheck(
            loadings_=loadings,
            item_scale=dict(zip(names, owner)),
            n_obs_=len(x),
            noise_variance_=pd.Series(fa.noise_variance_, index=names),
        )

    def level(self, threshold: float | None = None) -> pd.Series:
        """Relationship level of each respondent (:func:`relationship_level`) at
        ``threshold`` (default: the threshold of :func:`score_bonds`)."""
        return relationship_level(self.scores, self.threshold if threshold is None else threshold)

    def level_distribution(self, threshold: float | None = None) -> pd.DataFrame:
        """One row per level ("none" and the levels of the scales): ``level``, ``name_zh``,
        ``respondents`` and ``share`` (of all respondents) at ``threshold`` (default: the
        threshold of :func:`score_bonds`)."""
        levels = self._levels()
        counts = self.level(threshold).astype("str").value_counts().reindex(levels, fill_value=0)
        return pd.DataFrame(
            {
                "level": levels,
                "name_zh": [LEVEL_NAMES_ZH.get(lv, "无") for lv in levels],
                "respondents": counts.to_numpy(),
                "share": (counts / counts.sum()).to_numpy(),
            }
        )

    def level_sensitivity(self, thresholds: Sequence[float]) -> pd.DataFrame:
        """How the level distribution moves with the threshold: the share of respondents at
        each level (rows) for each threshold (columns). A threshold is a convention, so a
        report shows it next to every level distribution."""
        levels = self._levels()
        out = {}
        for t in thresholds:
            t = check_number("thresholds", t, scalar=True)
            lv = self.level(t).astype("str")
            out[t] = lv.value_counts(normalize=True).reindex(levels, fill_value=0.0)
        table = pd.DataFrame(out, index=pd.Index(levels, name="level"))
        table.columns.name = "threshold"
        return table

    def levels_by(self, by: str, threshold: float | None = None) -> pd.DataFrame:
        """The level distribution per segment: one row per value of the survey's column ``by``
        (a missing value is its own segment, ``(missing)``) with ``respondents`` and the share
        of the segment's respondents at each level."""
        if self.data is None or by not in self.data.columns:
            present = [] if self.data is None else list(map(str, self.data.columns))[:30]
            raise InputError(
                f"segment column {by!r} not in the survey; columns present: {present}",
                source=self.source,
                columns=[by],
            )
        seg = self.data[by].astype("str").str.strip()
        seg = seg.where(~raw_missing(self.data[by]), "(missing)").to_numpy()
        levels = self._levels()
        lv = self.level(threshold).astype("str").to_numpy()
        counts = pd.crosstab(seg, lv).reindex(columns=levels, fill_value=0)
        out = counts.div(counts.sum(axis=1), axis=0)
        out.insert(0, "respondents", counts.sum(axis=1))
        out.index.name, out.columns.name = by, None
        return out

    def summary(self) -> pd.DataFrame:
        """The reliability table (:meth:`reliability`)."""
        return self.reliability()

    def to_frame(self) -> pd.DataFrame:
        """The scores as a flat table, one row per respondent: the respondent column (or, for a
        survey without one, the respondent's ``line`` in the file it was read from, or its
        ``row`` label), one column per scale and ``level``."""
        out = self.scores.reset_index(drop=self.respondent is None)
        if self.respondent is None:
            origin = (self.data.attrs if self.data is not None else {}).get("customer_value_source")
            idx = self.scores.index
            if origin and pd.api.types.is_integer_dtype(idx):
                out.insert(0, origin["unit"], idx.to_numpy() + origin["first"])
            else:
                out.insert(0, "row", idx.to_numpy())
        return out

    def plot(self, ax=None, *, threshold: float | None = None):
        """Bar chart of the level distribution (:func:`plot_levels`). Returns the Axes."""
        t = self.threshold if threshold is None else threshold
        return plot_levels(self.level_distribution(t), ax=ax, threshold=t)

    def __repr__(self) -> str:
        return (
            f"BondScores({len(self.scores)} respondents, scales "
            f"{', '.join(f'{s} ({len(v)} items)' for s, v in self.scales.items.items())})"
        )


@dataclass
class FactorCheck:
    """Result of :meth:`BondScores.factor_check`.

    ``loadings_``: items × factors (rotated, standardized loadings; factors labelled by scale);
    ``item_scale``: the scale of each item; ``n_obs_``: respondents used; ``noise_variance_``:
    each item's unique variance (1 − communality, on the standardized items).

    >>> from customer_value import datasets
    >>> bonds = score_bonds(datasets.load("bond_survey"), datasets.path("bond_scales"))
    >>> fc = bonds.factor_check()
    >>> fc.separates, fc.loadings_.columns.tolist()
    (True, ['financial', 'social', 'structural'])
    """

    loadings_: pd.DataFrame
    item_scale: dict[str, str]
    n_obs_: int
    noise_variance_: pd.Series

    def summary(self) -> pd.DataFrame:
        """Per item: ``item``, ``scale`` (its own), ``factor`` (the factor it loads on most,
        by absolute loading), ``loading`` (that loading), ``cross_loading`` (largest absolute
        loading on any other factor), ``communality`` and ``ok`` (it loads most on its own
        scale's factor). Rule of thumb: a clean item loads ≥ 0.5 on its factor and < 0.3
        elsewhere."""
        L = self.loadings_
        a = L.abs().to_numpy()
        best = a.argmax(axis=1)
        rows = []
        for i, item in enumerate(L.index):
            others = np.delete(a[i], best[i])
            rows.append(
                {
                    "item": item,
                    "scale": self.item_scale[item],
                    "factor": L.columns[best[i]],
                    "loading": float(L.iat[i, best[i]]),
                    "cross_loading": float(others.max()) if others.size else float("nan"),
                    "communality": float((L.iloc[i] ** 2).sum()),
                    "ok": L.columns[best[i]] == self.item_scale[item],
                }
            )
        return pd.DataFrame(rows)

    @property
    def separates(self) -> bool:
        """True when every item loads most on its own scale's factor."""
        return bool(self.summary()["ok"].all())

    def plot(self, ax=None, **kwargs):
        """Heatmap of the loadings (:func:`plot_loadings`). Returns the Axes."""
        return plot_loadings(self, ax=ax, **kwargs)


def score_bonds(
    data: pd.DataFrame,
    scales,
    *,
    respondent: str | None = None,
    min_items: int | None = None,
    threshold: float = 5.0,
) -> BondScores:
    """Score bond indices from Likert items: the mean of a respondent's answered items per
    scale, after reverse coding (summated scales, as in the bond studies of Chiu et al. 2005,
    *J. Business Research* 58(12)).

    ``scales`` is a :class:`Scales`, a mapping or a YAML path (see :func:`read_scales`). Every
    item must be a column of ``data`` with whole numbers in ``[scale_min, scale_max]`` (text
    such as ``"5"`` is fine, blank = not answered); anything else raises
    :class:`~customer_value.io.InputError` naming the column, the values and example rows.
    Reverse-worded items are recoded ``min + max − x``. A respondent gets a scale score when
    she answered at least ``min_items`` of its items (default: half of them, rounded up),
    else NaN; a survey in which nobody gets any score is an InputError. ``respondent`` names a
    unique ID column used as the index. ``threshold`` (on the answer scale) is the score at
    which a bond counts as strong for ``scores["level"]`` (:func:`relationship_level`).
    Reliability, the factor check and the level distribution are methods of the result
    (:class:`BondScores`).

    >>> survey = pd.DataFrame({"id": ["a", "b"], "f1": [5, 2], "f2": [6, 3],
    ...                        "s1": [2, 6], "s2_r": [6, 1]})
    >>> bonds = score_bonds(survey, {"financial": ["f1", "f2"], "social": ["s1", "s2_r"],
    ...                              "reverse": ["s2_r"]}, respondent="id")
    >>> bonds.scores  # social: (2 + 2)/2 and (6 + 7)/2  # doctest: +NORMALIZE_WHITESPACE
        financial  social      level
    id
    a         5.5     2.0  financial
    b         2.5     6.5     social
    """
    func = "score_bonds"
    data = frame(data, func)
    scales = read_scales(scales)
    require(data, scales.all_items, func, "item column")
    threshold = check_number(
        "threshold", threshold, lo=scales.scale_min, hi=scales.scale_max, scalar=True
    )
    if respondent is not None:
        require(data, [respondent], func, "respondent column")
        miss = raw_missing(data[respondent])
        if miss.any():
            fail(
                data, f"{func}: respondent column {respondent!r} has missing IDs:", miss, respondent
            )
        dup = data[respondent].duplicated(keep=False).to_numpy()
        if dup.any():
            fail(
                data,
                f"{func}: respondent column {respondent!r} has duplicated IDs "
                f"({int(dup.sum())} rows):",
                dup,
                respondent,
            )
    items = _likert_items(data, scales, func)
    mins = {}
    for scale, names in scales.items.items():
        m = math.ceil(len(names) / 2) if min_items is None else min_items
        if isinstance(m, bool) or not isinstance(m, numbers.Integral) or not 1 <= m <= len(names):
            raise InputError(
                f"{func}: min_items must be a whole number from 1 to {len(names)} "
                f"(the items of {scale!r}), not {min_items!r}"
            )
        mins[scale] = int(m)
    scores = {}
    for scale, names in scales.items.items():
        block = items[names]
        scores[scale] = block.mean(axis=1).where(block.notna().sum(axis=1) >= mins[scale])
    scores = pd.DataFrame(scores)
    if scores.isna().all().all():
        raise InputError(
            f"{func}: the survey has no usable answers: none of its {len(data)} respondents "
            f"answered enough items of any scale ({', '.join(scales.all_items)}); is it the "
            "file the scales file describes?",
            source=source_of(data),
            columns=scales.all_items,
        )
    if respondent is not None:
        idx = pd.Index(data[respondent].astype("str").str.strip().to_numpy(), name=respondent)
        scores.index = idx
        items = items.set_axis(idx, axis=0)
    scores["level"] = relationship_level(scores, threshold)
    return BondScores(items, scales, scores, mins, threshold, data=data, respondent=respondent)
