"""Relationship-marketing levels (关系营销的三个层次): measuring bonds and what they do to retention.

Berry & Parasuraman (1991, *Marketing Services*) and Berry (1995, "Relationship marketing of
services", *J. Academy of Marketing Science* 23(4):236–245) describe three levels of bonds
between a firm and its customers, each harder for a competitor to copy than the last:

==========  =============  ======================================================
level       中文           bond
==========  =============  ======================================================
financial   财务层次       price incentives: points, rebates, bundles, stable prices
social      社交层次       personal contact, personalisation, customer communities
structural  结构层次       solutions built into the customer's systems and habits
==========  =============  ======================================================

This module measures the bonds and their effects, in the order of an analysis:

1. **Scales** (:func:`read_scales`, :func:`score_bonds`): bond indices from Likert items, with
   reverse-coded items; Cronbach's alpha (Cronbach 1951) with Feldt's (1965) confidence
   interval, alpha-if-item-deleted and corrected item–total correlations; an exploratory factor
   analysis with varimax rotation (Kaiser 1958) that shows whether the items separate into
   their scales; a customer's relationship level (:func:`relationship_level`).
2. **Retention by level**: Kaplan–Meier curves with pointwise bands and a log-rank test
   (:func:`survival_by_level`), a Cox proportional-hazards model with hazard ratios and a test
   of proportional hazards (:func:`cox_model`), a logit of switching intention with odds ratios
   and average marginal effects (:func:`switching_logit`).
3. **The financial level in practice**: the effect of a frequency-marketing programme by
   difference-in-differences on a customer-period panel, with an event study and the naive
   member vs non-member comparison that self-selection biases (:func:`programme_did`).
4. **Retention to value**: the CLV effect of a retention change (:func:`retention_value`) and
   the sBG retention projection per level (:func:`retention_by_level`).

Plots (:func:`plot_loadings`, :func:`plot_survival`, :func:`plot_hazard_ratios`,
:func:`plot_event_study`) take ``ax=`` and return the Axes.

Sources
-------
* Berry, L. L. & Parasuraman, A. (1991). *Marketing Services: Competing Through Quality*. Free
  Press. Berry, L. L. (1995). *J. Academy of Marketing Science* 23(4):236–245.
* Chiu, H.-C., Hsieh, Y.-C., Li, Y.-C. & Lee, M. (2005). Relationship marketing and consumer
  switching behavior. *J. Business Research* 58(12):1681–1689.
* Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
  *Psychometrika* 16(3):297–334. Feldt, L. S. (1965). The approximate sampling distribution of
  Kuder-Richardson reliability coefficient twenty. *Psychometrika* 30(3):357–370.
* Kaiser, H. F. (1958). The varimax criterion for analytic rotation in factor analysis.
  *Psychometrika* 23(3):187–200.
* Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete observations.
  *J. American Statistical Association* 53(282):457–481. Mantel, N. (1966). Evaluation of
  survival data and two new rank order statistics arising in its consideration. *Cancer
  Chemotherapy Reports* 50(3):163–170 (log-rank test).
* Cox, D. R. (1972). Regression models and life-tables. *J. Royal Statistical Society B*
  34(2):187–220. Breslow, N. (1974). Covariance analysis of censored survival data.
  *Biometrics* 30(1):89–99. Grambsch, P. M. & Therneau, T. M. (1994). Proportional hazards
  tests and diagnostics based on weighted residuals. *Biometrika* 81(3):515–526.
* Angrist, J. D. & Pischke, J.-S. (2009). *Mostly Harmless Econometrics*. Princeton UP, ch. 5.
  Bertrand, M., Duflo, E. & Mullainathan, S. (2004). How much should we trust
  differences-in-differences estimates? *Quarterly J. Economics* 119(1):249–275.
* Liu, Y. (2007). The long-term impact of loyalty programs on consumer purchase behavior and
  loyalty. *J. Marketing* 71(4):19–35. Sharp, B. & Sharp, A. (1997). Loyalty programs and
  their impact on repeat-purchase loyalty patterns. *Int. J. Research in Marketing*
  14(5):473–486.
* Gupta, S., Lehmann, D. R. & Stuart, J. A. (2004). Valuing customers. *J. Marketing Research*
  41(1):7–18. Fader, P. S. & Hardie, B. G. S. (2007). How to project customer retention.
  *J. Interactive Marketing* 21(1):76–90.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from .io import InputError, example_rows

__all__ = [
    "LEVELS",
    "LEVEL_NAMES_ZH",
    "LEVEL_ORDER",
    "LEVEL_COLORS",
    # scales
    "Scales",
    "read_scales",
    "BondScores",
    "score_bonds",
    "cronbach_alpha",
    "feldt_interval",
    "FactorCheck",
    "relationship_level",
    # retention
    "SurvivalByLevel",
    "survival_by_level",
    "CoxResult",
    "cox_model",
    "LogitResult",
    "switching_logit",
    # programme evaluation
    "DidResult",
    "programme_did",
    "ClusteredOLS",
    # value
    "retention_value",
    "RetentionByLevel",
    "retention_by_level",
    # plots
    "plot_loadings",
    "plot_survival",
    "plot_hazard_ratios",
    "plot_event_study",
]

#: The three levels of bonds, from the easiest to copy to the hardest (Berry 1995).
LEVELS = ("financial", "social", "structural")
LEVEL_NAMES_ZH = {"financial": "财务层次", "social": "社交层次", "structural": "结构层次"}
#: Categories of :func:`relationship_level`, in order.
LEVEL_ORDER = ("none",) + LEVELS
#: Colours of the levels in every plot of the course.
LEVEL_COLORS = {
    "none": "#9e9e9e",
    "financial": "#e9c46a",
    "social": "#2a9d8f",
    "structural": "#264653",
}

_RESERVED = ("reverse", "scale")


# ============================================================================================
# input helpers
# ============================================================================================


def _source(df: pd.DataFrame) -> str | None:
    return df.attrs.get("customer_value_source", {}).get("path")


def _frame(data, func: str) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"{func}: data must be a pandas DataFrame, not {type(data).__name__}")
    if len(data) == 0:
        raise InputError(f"{func}: data has no rows", source=_source(data))
    return data


def _require(data: pd.DataFrame, columns: Sequence[str], func: str, what: str = "column") -> None:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise InputError(
            f"{func}: {what}(s) {missing} not in the data; columns present: "
            f"{list(map(str, data.columns))[:30]}",
            source=_source(data),
            columns=missing,
        )


def _raw_missing(raw: pd.Series) -> np.ndarray:
    miss = raw.isna().to_numpy()
    if raw.dtype == object or pd.api.types.is_string_dtype(raw.dtype):
        miss = miss | (raw.astype("str").str.strip() == "").to_numpy()
    return miss


def _numeric(raw: pd.Series) -> np.ndarray:
    """Numbers from a column that may hold text (as read by io.read_table); NaN where missing
    or not a number."""
    if pd.api.types.is_bool_dtype(raw.dtype):
        return raw.astype("float64").to_numpy()
    if raw.dtype == object or pd.api.types.is_string_dtype(raw.dtype):
        raw = raw.astype("str").str.strip()
    return pd.to_numeric(raw, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _value_counts(raw: pd.Series, mask: np.ndarray, limit: int = 8) -> str:
    shown = raw[mask].map(
        lambda v: (
            "<missing>"
            if (not isinstance(v, str) and pd.isna(v))
            else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
        )
    )
    counts = shown.value_counts()
    out = ", ".join(
        f"{v!r} ({n} row{'s' if n != 1 else ''})" for v, n in counts.head(limit).items()
    )
    if len(counts) > limit:
        out += f", ... ({len(counts) - limit} more distinct values)"
    return out


def _fail(data: pd.DataFrame, message: str, mask, columns: Sequence[str]) -> InputError:
    shown = data
    if not data.index.is_unique:  # example_rows needs unique labels
        shown = data.reset_index(drop=True)
        shown.attrs = data.attrs
        mask = np.asarray(mask)
    return InputError(
        message + "\n" + example_rows(shown, mask, list(columns)),
        source=_source(data),
        columns=list(columns),
    )


def _numeric_column(
    data: pd.DataFrame, column: str, func: str, *, allow_missing: bool = False
) -> np.ndarray:
    raw = data[column]
    x = _numeric(raw)
    missing = _raw_missing(raw)
    bad = np.isnan(x) & ~missing
    if bad.any():
        raise _fail(
            data,
            f"{func}: column {column!r} must hold numbers; found {_value_counts(raw, bad)}",
            bad,
            [column],
        )
    if missing.any() and not allow_missing:
        raise _fail(
            data,
            f"{func}: column {column!r} has missing values in {int(missing.sum())} row(s)",
            missing,
            [column],
        )
    return x


def _period_numbers(data: pd.DataFrame, column: str, func: str) -> tuple[np.ndarray, bool]:
    """Whole-number periods (1, 2, ...) or months as text ('2024-07', '2024/7'), as numbers
    that keep their order and spacing (months: pandas Period ordinals). Returns (values,
    monthly)."""
    raw = data[column]
    x = _numeric(raw)
    missing = _raw_missing(raw)
    if missing.any():
        raise _fail(data, f"{func}: column {column!r} has missing periods", missing, [column])
    if not np.isnan(x).any():
        bad = x != np.round(x)
        if bad.any():
            raise _fail(
                data,
                f"{func}: periods in {column!r} must be whole numbers (months 1, "
                "2, ...) or months like 2024-07",
                bad,
                [column],
            )
        return x, False
    parts = raw.astype("str").str.strip().str.extract(_MONTH_RE)
    month = pd.to_numeric(parts[1]).to_numpy(dtype=float)
    bad = np.isnan(month) | (month < 1) | (month > 12)
    if bad.any():
        raise _fail(
            data,
            f"{func}: periods in {column!r} must be whole numbers (months 1, 2, "
            f"...) or months like 2024-07; found {_value_counts(raw, bad)}",
            bad,
            [column],
        )
    return _month_ordinal(parts[0].astype(int).to_numpy(), month.astype(int)), True


#: A month written as 2024-07, 2024/7, 2024.07 or 2024年7月, optionally with a day.
_MONTH_RE = r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:\s*[-/.]\s*\d{1,2}\s*日?)?$"


def _month_ordinal(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    return ((year - 1970) * 12 + month - 1).astype(float)


def _binary_column(data: pd.DataFrame, column: str, func: str, what: str) -> np.ndarray:
    raw = data[column]
    if pd.api.types.is_bool_dtype(raw.dtype):
        return raw.astype("int64").to_numpy()
    text = (
        raw.astype("str").str.strip().str.lower()
        if (raw.dtype == object or pd.api.types.is_string_dtype(raw.dtype))
        else None
    )
    if text is not None:
        x = text.map({"true": 1.0, "false": 0.0}).astype("float64").to_numpy()
        x = np.where(np.isnan(x), _numeric(raw), x)
    else:
        x = _numeric(raw)
    bad = ~np.isin(x, (0.0, 1.0))
    if bad.any():
        raise _fail(
            data,
            f"{func}: column {column!r} ({what}) must be 0 or 1 in every row; "
            f"found {_value_counts(raw, bad)}",
            bad,
            [column],
        )
    return x.astype("int64")


def _fit_quietly(fit, what: str):
    """Run a statsmodels fit; a convergence or separation warning becomes an InputError (the
    estimates would be meaningless), other warnings are passed on unchanged."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = fit()
        except np.linalg.LinAlgError as exc:
            raise InputError(
                f"{what}: the model cannot be estimated ({exc}); are some "
                "covariates constant or perfectly collinear?"
            ) from None
    for w in caught:
        name = type(w.message).__name__ if isinstance(w.message, Warning) else w.category.__name__
        if name in ("ConvergenceWarning", "PerfectSeparationWarning", "HessianInversionWarning"):
            raise InputError(
                f"{what}: the model did not converge ({w.message}); check for a "
                "covariate that separates the outcome perfectly, a constant "
                "covariate or too few events"
            )
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return result


def _z(alpha: float) -> float:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, not {alpha!r}")
    return float(stats.norm.ppf(1 - alpha / 2))


# ============================================================================================
# 1. scales
# ============================================================================================


@dataclass(frozen=True)
class Scales:
    """Which Likert items measure which bond.

    ``items`` maps a scale (``financial``, ``social``, ``structural``) to its item columns;
    ``reverse`` lists the reverse-worded items, recoded as ``scale_min + scale_max − answer``;
    answers must be whole numbers in ``[scale_min, scale_max]``.
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


def read_scales(path_or_mapping, *, source: str | None = None) -> Scales:
    """Read an item-to-scale mapping from a YAML file or a mapping and check it.

    Layout (as ``datasets/bond_scales.yaml``)::

        financial: [fin1, fin2, fin3, fin4]
        social: [soc1, soc2, soc3, soc4_r]
        structural: [str1, str2, str3, str4, str5]
        reverse: [soc4_r]          # optional: reverse-worded items
        scale: [1, 7]              # optional: answer range, default 1..7

    Any subset of the three scales may be given. An unknown key (e.g. a misspelt scale), an
    empty scale, an item listed twice or in two scales, a reverse item that is in no scale or a
    bad ``scale`` range raises :class:`~customer_value.io.InputError`.

    >>> read_scales({"financial": ["f1", "f2"], "social": ["s1", "s2_r"],
    ...              "reverse": ["s2_r"]}).items["social"]
    ['s1', 's2_r']
    """
    if isinstance(path_or_mapping, Scales):
        spec = path_or_mapping.to_dict()
    elif isinstance(path_or_mapping, (str, os.PathLike)):
        import yaml

        p = Path(path_or_mapping)
        source = source or str(p)
        if not p.is_file():
            raise InputError("scales file not found", source=source)
        try:
            spec = yaml.safe_load(p.read_text(encoding="utf-8-sig"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise InputError(f"not a readable YAML file: {exc}", source=source) from None
    elif isinstance(path_or_mapping, Mapping):
        spec = dict(path_or_mapping)
    else:
        raise InputError(
            "scales must be a YAML file path or a mapping scale: [items], not "
            f"{type(path_or_mapping).__name__}"
        )
    if not isinstance(spec, Mapping) or not spec:
        raise InputError(
            "the scales must be a mapping such as 'financial: [fin1, fin2, fin3]'", source=source
        )
    spec = {str(k).strip(): v for k, v in spec.items()}
    unknown = [k for k in spec if k not in LEVELS + _RESERVED]
    if unknown:
        raise InputError(
            f"unknown key(s) {unknown}; the keys are the scales "
            f"{', '.join(LEVELS)} and the options 'reverse' and 'scale'",
            source=source,
        )
    items: dict[str, list[str]] = {}
    owner: dict[str, str] = {}
    for scale in LEVELS:
        if scale not in spec:
            continue
        value = spec[scale]
        if isinstance(value, str) or not isinstance(value, Sequence) or len(value) == 0:
            raise InputError(
                f"scale {scale!r} must list at least one item, e.g. "
                f"'{scale}: [item1, item2, item3]'; got {value!r}",
                source=source,
            )
        names = [str(v).strip() for v in value]
        for name in names:
            if name in owner:
                where = (
                    "twice in " + repr(scale)
                    if owner[name] == scale
                    else f"in both {owner[name]!r} and {scale!r}"
                )
                raise InputError(
                    f"item {name!r} is listed {where}: each item belongs to one scale",
                    source=source,
                )
            owner[name] = scale
        items[scale] = names
    if not items:
        raise InputError(f"no scale given: name at least one of {', '.join(LEVELS)}", source=source)
    rev = spec.get("reverse") or []
    if isinstance(rev, str):
        rev = [rev]
    rev = [str(r).strip() for r in rev]
    stray = [r for r in rev if r not in owner]
    if stray:
        raise InputError(f"reverse item(s) {stray} are in no scale", source=source)
    rng = spec.get("scale", [1, 7])
    try:
        lo, hi = (int(v) for v in rng)
        ok = lo < hi and all(float(v) == int(v) for v in rng)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise InputError(
            f"'scale' must be [min, max] with whole numbers min < max, e.g. [1, 7]; got {rng!r}",
            source=source,
        )
    return Scales(items=items, reverse=rev, scale_min=lo, scale_max=hi)


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of a set of items (Cronbach 1951, *Psychometrika* 16(3)):

        α = k/(k − 1) · (1 − Σ s²_i / s²_X)

    with k items, item variances s²_i and the variance s²_X of the sum score (sample
    variances), on the respondents who answered every item (listwise). Items must already be
    recoded (reverse-worded items turned round).

    >>> round(cronbach_alpha(pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 3, 5],
    ...                                    "c": [1, 3, 3, 4]})), 4)          # 1.5·(1 − 5.25/14.25)
    0.9474
    """
    x = pd.DataFrame(items).apply(pd.to_numeric, errors="coerce").dropna()
    k = x.shape[1]
    if k < 2:
        raise ValueError("cronbach_alpha needs at least two items")
    if len(x) < 2:
        raise ValueError("cronbach_alpha needs at least two respondents with every item answered")
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - x.var(ddof=1).sum() / total_var))


def feldt_interval(alpha: float, n: int, k: int, level: float = 0.95) -> tuple[float, float]:
    """Confidence interval of Cronbach's alpha (Feldt 1965, *Psychometrika* 30(3); Feldt,
    Woodruff & Salih 1987, *Applied Psychological Measurement* 11(1)):
    (1 − α)/(1 − α̂) follows an F distribution with n − 1 and (n − 1)(k − 1) degrees of freedom,
    so the interval is [1 − (1 − α̂)·F_{1−γ/2}, 1 − (1 − α̂)·F_{γ/2}] for n respondents and k items.

    >>> [round(v, 3) for v in feldt_interval(0.8, 100, 5)]
    [0.731, 0.856]
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, not {level!r}")
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
        raise InputError(
            f"relationship_level: scores must be a DataFrame, not {type(scores).__name__}"
        )
    present = [lv for lv in LEVELS if lv in scores.columns]
    if not present:
        raise InputError(
            f"relationship_level: scores need at least one of the columns "
            f"{list(LEVELS)}; got {list(map(str, scores.columns))}"
        )
    try:
        threshold = float(threshold)
    except (TypeError, ValueError):
        raise InputError(f"threshold must be a number, not {threshold!r}") from None
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
    problems = []
    values = {}
    for item in scales.all_items:
        raw = data[item]
        x = _numeric(raw)
        missing = _raw_missing(raw)
        bad = ~missing & (np.isnan(x) | (x != np.round(x)) | (x < lo) | (x > hi))
        if bad.any():
            problems.append((item, raw, bad))
        x = np.where(bad, np.nan, x)
        values[item] = (lo + hi - x) if item in scales.reverse else x
    if problems:
        lines = [
            (
                f"{func}: answers must be whole numbers from {lo} to {hi} (blank = not "
                "answered); found:"
            )
        ]
        for item, raw, bad in problems:
            lines.append(f"column {item!r}: {_value_counts(raw, bad)}")
            lines.append(example_rows(data, bad, [item]))
        raise InputError("\n".join(lines), source=_source(data), columns=[p[0] for p in problems])
    return pd.DataFrame(values, index=data.index)


def _alpha_if_deleted(block: pd.DataFrame) -> pd.Series:
    out = {}
    for c in block.columns:
        rest = block.drop(columns=c)
        out[c] = cronbach_alpha(rest) if rest.shape[1] >= 2 else float("nan")
    return pd.Series(out)


class BondScores:
    """Bond scale scores of a survey with their reliability and a factor check; made by
    :func:`score_bonds`.

    Attributes: ``scores`` (one row per respondent: a column per scale and ``level``),
    ``items`` (the answers after reverse coding), ``scales`` (:class:`Scales`), ``threshold``
    and ``min_items`` (per scale).
    """

    def __init__(
        self,
        items: pd.DataFrame,
        scales: Scales,
        scores: pd.DataFrame,
        min_items: dict[str, int],
        threshold: float,
        source: str | None = None,
    ):
        self.items = items
        self.scales = scales
        self.scores = scores
        self.min_items = min_items
        self.threshold = threshold
        self.source = source

    def _block(self, scale: str) -> pd.DataFrame:
        return self.items[self.scales.items[scale]]

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

    def item_stats(self) -> pd.DataFrame:
        """One row per item: ``scale``, ``item``, ``n`` (answers), ``mean`` and ``sd`` (after
        reverse coding), ``item_total_corr`` (corrected item–total correlation: the item
        against the sum of the *other* items of its scale), ``alpha_if_deleted`` (alpha of the
        scale without the item; both on the respondents who answered every item of the scale)
        and ``reverse``. An item whose removal raises alpha, or whose corrected item–total
        correlation is below about 0.3, measures something else."""
        rows = []
        for scale, names in self.scales.items.items():
            block = self._block(scale)
            complete = block.dropna()
            aid = (
                _alpha_if_deleted(complete)
                if len(names) >= 3 and len(complete) >= 2
                else pd.Series(np.nan, index=names)
            )
            for item in names:
                x = block[item]
                if len(names) >= 2 and len(complete) >= 3:
                    rest = complete.drop(columns=item).sum(axis=1)
                    itc = (
                        float(np.corrcoef(complete[item], rest)[0, 1])
                        if (complete[item].std() > 0 and rest.std() > 0)
                        else float("nan")
                    )
                else:
                    itc = float("nan")
                rows.append(
                    {
                        "scale": scale,
                        "item": item,
                        "n": int(x.notna().sum()),
                        "mean": float(x.mean()),
                        "sd": float(x.std(ddof=1)),
                        "item_total_corr": itc,
                        "alpha_if_deleted": float(aid[item]),
                        "reverse": item in self.scales.reverse,
                    }
                )
        return pd.DataFrame(rows)

    def factor_check(self, n_factors: int | None = None, seed: int = 0) -> FactorCheck:
        """Exploratory factor analysis of the items: do they separate into their scales?

        Maximum-likelihood factor analysis (scikit-learn ``FactorAnalysis``) with varimax
        rotation (Kaiser 1958, *Psychometrika* 23(3)) on the standardized, recoded items of the
        respondents who answered every item; ``n_factors`` defaults to the number of scales.
        Factors are labelled by the scale whose items load most on them (a one-to-one
        assignment) and turned so that those items load positively. See :class:`FactorCheck`.
        """
        from scipy.optimize import linear_sum_assignment
        from sklearn.decomposition import FactorAnalysis

        scales = list(self.scales.items)
        k = len(scales) if n_factors is None else int(n_factors)
        names = self.scales.all_items
        x = self.items[names].dropna()
        if k < 1 or k >= len(names):
            raise InputError(
                f"factor_check: n_factors must be between 1 and {len(names) - 1}, not {k}"
            )
        if len(x) <= len(names):
            raise InputError(
                f"factor_check: only {len(x)} respondents answered every item; "
                f"a factor analysis of {len(names)} items needs many more"
            )
        sd = x.std(ddof=0)
        const = sd[sd == 0].index.tolist()
        if const:
            raise InputError(f"factor_check: item(s) {const} have the same answer from everyone")
        z = ((x - x.mean()) / sd).to_numpy()
        fa = FactorAnalysis(
            n_components=k,
            rotation="varimax" if k > 1 else None,
            random_state=seed,
            max_iter=5000,
            tol=1e-6,
        )
        fa = _fit_quietly(lambda: fa.fit(z), "factor_check")
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
            loadings=loadings,
            item_scale=dict(zip(names, owner)),
            n=len(x),
            noise_variance=pd.Series(fa.noise_variance_, index=names),
        )

    def level(self, threshold: float = 5.0) -> pd.Series:
        """Relationship level of each respondent (see :func:`relationship_level`)."""
        return relationship_level(self.scores, threshold)

    def summary(self) -> pd.DataFrame:
        """The reliability table (:meth:`reliability`)."""
        return self.reliability()

    def to_frame(self) -> pd.DataFrame:
        """The scores (a copy)."""
        return self.scores.copy()

    def __repr__(self) -> str:
        return (
            f"BondScores({len(self.scores)} respondents, scales "
            f"{', '.join(f'{s} ({len(v)} items)' for s, v in self.scales.items.items())})"
        )


@dataclass
class FactorCheck:
    """Result of :meth:`BondScores.factor_check`.

    ``loadings``: items × factors (rotated, standardized loadings; factors labelled by scale);
    ``item_scale``: the scale of each item; ``n``: respondents used; ``noise_variance``: each
    item's unique variance (1 − communality, on the standardized items).
    """

    loadings: pd.DataFrame
    item_scale: dict[str, str]
    n: int
    noise_variance: pd.Series

    def summary(self) -> pd.DataFrame:
        """Per item: ``item``, ``scale`` (its own), ``factor`` (the factor it loads on most,
        by absolute loading), ``loading`` (that loading), ``cross_loading`` (largest absolute
        loading on any other factor), ``communality`` and ``ok`` (it loads most on its own
        scale's factor). Rule of thumb: a clean item loads ≥ 0.5 on its factor and < 0.3
        elsewhere."""
        L = self.loadings
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
        """Heatmap of the loadings (:func:`plot_loadings`)."""
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
    scale, after reverse coding.

    ``scales`` is a :class:`Scales`, a mapping or a YAML path (see :func:`read_scales`). Every
    item must be a column of ``data`` with whole numbers in ``[scale_min, scale_max]`` (text
    such as ``"5"`` is fine, blank = not answered); anything else raises
    :class:`~customer_value.io.InputError` naming the column, the values and example rows.
    Reverse-worded items are recoded ``min + max − x``. A respondent gets a scale score when
    she answered at least ``min_items`` of its items (default: half of them, rounded up),
    else NaN. ``respondent`` names a unique ID column used as the index. ``threshold`` is the
    score at which a bond counts as strong for ``scores["level"]`` (:func:`relationship_level`).

    Summated (mean) scales as in the bond studies of Chiu et al. (2005, *J. Business Research*
    58(12)); reliability and the factor check are methods of the result (:class:`BondScores`).

    >>> from customer_value import datasets
    >>> bonds = score_bonds(datasets.load("bond_survey"), datasets.path("bond_scales"),
    ...                     respondent="respondent_id")                  # doctest: +SKIP
    >>> bonds.reliability()[["scale", "alpha"]]                           # doctest: +SKIP
    """
    func = "score_bonds"
    data = _frame(data, func)
    scales = read_scales(scales)
    _require(data, scales.all_items, func, "item column")
    if respondent is not None:
        _require(data, [respondent], func, "respondent column")
        ids = data[respondent]
        miss = _raw_missing(ids)
        if miss.any():
            raise _fail(
                data,
                f"{func}: respondent column {respondent!r} has missing IDs",
                miss,
                [respondent],
            )
        dup = ids.duplicated(keep=False).to_numpy()
        if dup.any():
            raise _fail(
                data,
                f"{func}: respondent column {respondent!r} has duplicated IDs "
                f"({int(dup.sum())} rows)",
                dup,
                [respondent],
            )
    items = _likert_items(data, scales, func)
    mins = {}
    for scale, names in scales.items.items():
        m = math.ceil(len(names) / 2) if min_items is None else min_items
        if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or not 1 <= m <= len(names):
            raise InputError(
                f"{func}: min_items must be a whole number from 1 to {len(names)} "
                f"(the items of {scale!r}), not {min_items!r}"
            )
        mins[scale] = int(m)
    scores = {}
    for scale, names in scales.items.items():
        block = items[names]
        s = block.mean(axis=1)
        scores[scale] = s.where(block.notna().sum(axis=1) >= mins[scale])
    scores = pd.DataFrame(scores)
    if respondent is not None:
        idx = pd.Index(data[respondent].astype("str").str.strip().to_numpy(), name=respondent)
        scores.index = idx
        items = items.set_axis(idx, axis=0)
    scores["level"] = relationship_level(scores, threshold)
    return BondScores(items, scales, scores, mins, float(threshold), _source(data))


# ============================================================================================
# 2. retention by level
# ============================================================================================


def _survival_inputs(
    data: pd.DataFrame, duration: str, event: str, func: str
) -> tuple[np.ndarray, np.ndarray]:
    _require(data, [duration, event], func)
    t = _numeric_column(data, duration, func)
    bad = ~(t > 0)
    if bad.any():
        raise _fail(
            data,
            f"{func}: durations in {duration!r} must be > 0 (time from the start "
            f"of observation to churn or censoring); found "
            f"{_value_counts(data[duration], bad)}",
            bad,
            [duration],
        )
    e = _binary_column(data, event, func, "event: 1 = churned, 0 = still a customer (censored)")
    return t, e


def _level_groups(values: pd.Series) -> list:
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = [c for c in values.cat.categories if (values == c).any()]
        return cats
    uniq = list(pd.unique(values))
    if set(map(str, uniq)) <= set(LEVEL_ORDER):
        return [lv for lv in LEVEL_ORDER if lv in set(map(str, uniq))]
    try:
        return sorted(uniq)
    except TypeError:
        return sorted(uniq, key=str)


class SurvivalByLevel:
    """Kaplan–Meier survival per group with a log-rank test; made by :func:`survival_by_level`.

    ``fits`` maps each group to its statsmodels ``SurvfuncRight``.
    """

    def __init__(
        self,
        fits: dict,
        time: np.ndarray,
        event: np.ndarray,
        groups: np.ndarray,
        order: list,
        level: str,
        alpha: float,
    ):
        self.fits = fits
        self._time, self._event, self._groups = time, event, groups
        self.order = order
        self.level = level
        self.alpha = alpha

    @staticmethod
    def _at(sf, t: float) -> float:
        if t > sf.time.max():
            # beyond the last follow-up the curve is unknown, unless everyone has churned
            return 0.0 if len(sf.surv_prob) and sf.surv_prob[-1] == 0 else float("nan")
        k = np.searchsorted(sf.surv_times, t, side="right")
        return 1.0 if k == 0 else float(sf.surv_prob[k - 1])

    @staticmethod
    def _median(sf) -> float:
        below = np.flatnonzero(sf.surv_prob <= 0.5)
        return float(sf.surv_times[below[0]]) if below.size else float("nan")

    def summary(self, at: Sequence[float] = (12, 24)) -> pd.DataFrame:
        """Per group: ``level``, ``n``, ``events``, ``median`` (first time at which S(t) ≤ 0.5,
        NaN if not reached) and ``survival_<t>`` for each time in ``at`` (NaN beyond the
        group's last observation, unless every customer of the group has churned: then 0)."""
        rows = []
        for g in self.order:
            sf = self.fits[g]
            row = {
                "level": g,
                "n": len(sf.time),
                "events": int(sf.status.sum()),
                "median": self._median(sf),
            }
            for t in at:
                row[f"survival_{t:g}"] = self._at(sf, float(t))
            rows.append(row)
        return pd.DataFrame(rows)

    def logrank(self) -> pd.Series:
        """Log-rank test that the groups' survival curves are equal (Mantel 1966; statsmodels
        ``survdiff``): ``statistic`` (chi-square), ``df`` (groups − 1), ``p_value``."""
        from statsmodels.duration.survfunc import survdiff

        codes = np.array([self.order.index(g) for g in self._groups])
        if len(self.order) < 2:
            return pd.Series({"statistic": float("nan"), "df": 0, "p_value": float("nan")})
        from scipy import stats

        stat, _ = survdiff(self._time, self._event, codes)
        df = len(self.order) - 1
        # survdiff's p is 1 − cdf, which rounds to 0 below about 1e-16; the survival function
        # keeps small p-values (e.g. 2e-31) instead of reporting an impossible p = 0.
        return pd.Series(
            {"statistic": float(stat), "df": df, "p_value": float(stats.chi2.sf(stat, df))},
            name="logrank",
        )

    def curves(self) -> pd.DataFrame:
        """Tidy step curves: ``level``, ``time`` (0, every event time and the last follow-up
        time when it comes after the last event), ``survival`` and
        the pointwise (1 − alpha) band ``ci_low``/``ci_high``: log–log transformed from
        Greenwood's variance (Kalbfleisch & Prentice 1980), so it stays inside [0, 1]."""
        z = _z(self.alpha)
        parts = []
        for g in self.order:
            sf = self.fits[g]
            s, se = sf.surv_prob, sf.surv_prob_se
            with np.errstate(divide="ignore", invalid="ignore"):
                ls = np.log(s)
                w = z * se / (s * np.abs(ls))
                lo = s ** np.exp(w)
                hi = s ** np.exp(-w)
            lo = np.where(s >= 1, 1.0, np.where(s <= 0, 0.0, lo))
            hi = np.where(s >= 1, 1.0, np.where(s <= 0, 0.0, hi))
            time, s, lo, hi = (
                np.r_[0.0, sf.surv_times],
                np.r_[1.0, s],
                np.r_[1.0, lo],
                np.r_[1.0, hi],
            )
            last = float(sf.time.max())
            if last > time[-1]:  # censored after the last event
                time, s, lo, hi = (
                    np.r_[time, last],
                    np.r_[s, s[-1]],
                    np.r_[lo, lo[-1]],
                    np.r_[hi, hi[-1]],
                )
            parts.append(
                pd.DataFrame({"level": g, "time": time, "survival": s, "ci_low": lo, "ci_high": hi})
            )
        return pd.concat(parts, ignore_index=True)

    def plot(self, ax=None, **kwargs):
        """Step curves with bands (:func:`plot_survival`)."""
        return plot_survival(self, ax=ax, **kwargs)


def survival_by_level(
    data: pd.DataFrame, *, duration: str, event: str, level: str = "level", alpha: float = 0.05
) -> SurvivalByLevel:
    """Kaplan–Meier survival curves per relationship level (or any group column) and a
    log-rank test (Kaplan & Meier 1958, *JASA* 53(282); Mantel 1966), with statsmodels
    ``SurvfuncRight`` and ``survdiff``.

    ``duration``: time observed (> 0), ``event``: 1 = churned, 0 = censored (still a customer
    at the end of observation). Bad durations or events raise
    :class:`~customer_value.io.InputError`.

    >>> from customer_value import datasets
    >>> km = survival_by_level(datasets.load("loyalty_customers"), duration="duration_months",
    ...                        event="churned")                          # doctest: +SKIP
    >>> km.summary(); km.logrank()["p_value"]                            # doctest: +SKIP
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    func = "survival_by_level"
    data = _frame(data, func)
    _z(alpha)
    t, e = _survival_inputs(data, duration, event, func)
    _require(data, [level], func)
    g = data[level]
    miss = _raw_missing(g)
    if miss.any():
        raise _fail(data, f"{func}: column {level!r} has missing values", miss, [level])
    order = _level_groups(g)
    groups = g.to_numpy(dtype=object)
    fits = {}
    for lv in order:
        m = groups == lv
        fits[lv] = SurvfuncRight(t[m], e[m], title=str(lv))
    return SurvivalByLevel(fits, t, e, groups, order, level, alpha)


class CoxResult:
    """A fitted Cox proportional-hazards model; made by :func:`cox_model`.

    ``result`` is the statsmodels ``PHRegResults``; ``covariates``, ``n_obs``, ``n_events``,
    ``n_excluded`` (rows dropped for a missing covariate) describe the fit.
    """

    def __init__(self, result, covariates, duration, event, n_excluded):
        self.result = result
        self.covariates = list(covariates)
        self._time = duration
        self._event = event
        self.n_obs = len(duration)
        self.n_events = int(event.sum())
        self.n_excluded = int(n_excluded)

    def summary(self, alpha: float = 0.05) -> pd.DataFrame:
        """Per covariate: ``covariate``, ``coef`` (log hazard ratio), ``se``, ``hazard_ratio``
        exp(coef), its Wald interval ``ci_low``/``ci_high`` exp(coef ± z·se) and ``p_value``.
        A hazard ratio of 0.70 per point: each extra point of the score cuts the churn hazard
        by 30 % at every time."""
        z = _z(alpha)
        b = np.asarray(self.result.params)
        se = np.asarray(self.result.bse)
        return pd.DataFrame(
            {
                "covariate": self.covariates,
                "coef": b,
                "se": se,
                "hazard_ratio": np.exp(b),
                "ci_low": np.exp(b - z * se),
                "ci_high": np.exp(b + z * se),
                "p_value": np.asarray(self.result.pvalues),
            }
        )

    def ph_test(self, transform: str = "km", alpha: float = 0.05) -> pd.DataFrame:
        """Test of the proportional-hazards assumption per covariate and globally (Grambsch &
        Therneau 1994, *Biometrika* 81(3); the test of R's ``cox.zph`` before survival 3.0).

        With the unscaled Schoenfeld residuals s_k of the d events, the estimate's covariance V
        and g_k a transform of the event times (``"km"``: 1 − the Kaplan–Meier estimate just
        before t_k; ``"rank"``, ``"log"`` or ``"identity"``), the scaled residuals are
        r*_k = d·V·s_k and, for covariate j,

            T_j = (Σ_k (g_k − ḡ) r*_kj)² / (d · V_jj · Σ_k (g_k − ḡ)²)   ~ χ²(1)

        The global test is T = (Σ (g_k − ḡ) s_k)' V (Σ (g_k − ḡ) s_k) · d / Σ (g_k − ḡ)² ~ χ²(p).
        Columns: ``covariate`` (and ``GLOBAL``), ``rho`` (correlation of the scaled residuals
        with g(t): a trend means the effect changes over time), ``statistic``, ``df``,
        ``p_value``, ``ok`` (p ≥ alpha: no evidence against proportional hazards).
        """
        if transform not in ("km", "rank", "log", "identity"):
            raise ValueError(
                f"transform must be 'km', 'rank', 'log' or 'identity', not {transform!r}"
            )
        res = self.result
        sres = np.asarray(res.schoenfeld_residuals)
        ev = ~np.isnan(sres).any(axis=1)
        s = sres[ev]
        times = self._time[ev]
        d = len(times)
        V = np.asarray(res.cov_params())
        if transform == "km":
            g = _km_before(self._time, self._event, times)
            g = 1 - g
        elif transform == "rank":
            g = stats.rankdata(times)
        elif transform == "log":
            g = np.log(times)
        else:
            g = times.astype(float)
        xx = g - g.mean()
        r2 = s @ V * d
        test = xx @ r2
        sxx = float(xx @ xx)
        rows = []
        for j, cov in enumerate(self.covariates):
            stat = float(test[j] ** 2 / (V[j, j] * d * sxx))
            rho = float(np.corrcoef(xx, r2[:, j])[0, 1]) if r2[:, j].std() > 0 else float("nan")
            p = float(stats.chi2.sf(stat, 1))
            rows.append(
                {
                    "covariate": cov,
                    "rho": rho,
                    "statistic": stat,
                    "df": 1,
                    "p_value": p,
                    "ok": p >= alpha,
                }
            )
        if len(self.covariates) > 1:
            u = xx @ s
            stat = float(u @ V @ u * d / sxx)
            p = float(stats.chi2.sf(stat, len(self.covariates)))
            rows.append(
                {
                    "covariate": "GLOBAL",
                    "rho": float("nan"),
                    "statistic": stat,
                    "df": len(self.covariates),
                    "p_value": p,
                    "ok": p >= alpha,
                }
            )
        return pd.DataFrame(rows)

    def plot(self, ax=None, **kwargs):
        """Forest plot of the hazard ratios (:func:`plot_hazard_ratios`)."""
        return plot_hazard_ratios(self, ax=ax, **kwargs)


def _km_before(time: np.ndarray, event: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Kaplan–Meier estimate just before each time in ``at`` (left limit S(t−))."""
    ut = np.unique(time[event == 1])
    n_risk = np.array([(time >= u).sum() for u in ut])
    d = np.array([((time == u) & (event == 1)).sum() for u in ut])
    s = np.cumprod(1 - d / n_risk)
    k = np.searchsorted(ut, at, side="left")
    return np.where(k == 0, 1.0, s[np.maximum(k - 1, 0)])


def cox_model(
    data: pd.DataFrame,
    *,
    duration: str,
    event: str,
    covariates: Sequence[str],
    ties: str = "breslow",
) -> CoxResult:
    """Cox proportional-hazards model of churn (Cox 1972, *JRSS B* 34(2)) with statsmodels
    ``PHReg``; ties by Breslow's (1974) method (or ``ties="efron"``).

    ``covariates`` are numeric columns (e.g. the bond scores, age, products held); rows with a
    missing covariate are excluded and counted in ``n_excluded``. Durations must be > 0 and
    events 0/1 (:class:`~customer_value.io.InputError` otherwise).

    >>> from customer_value import datasets
    >>> cox = cox_model(datasets.load("loyalty_customers"), duration="duration_months",
    ...                 event="churned", covariates=["financial", "social", "structural"])  # doctest: +SKIP
    >>> cox.summary()[["covariate", "hazard_ratio"]]                                         # doctest: +SKIP
    """
    from statsmodels.duration.hazard_regression import PHReg

    func = "cox_model"
    data = _frame(data, func)
    if isinstance(covariates, str):
        covariates = [covariates]
    covariates = list(covariates)
    if not covariates:
        raise InputError(f"{func}: name at least one covariate")
    if ties not in ("breslow", "efron"):
        raise ValueError(f"ties must be 'breslow' or 'efron', not {ties!r}")
    _require(data, covariates, func, "covariate")
    t, e = _survival_inputs(data, duration, event, func)
    X = np.column_stack([_numeric_column(data, c, func, allow_missing=True) for c in covariates])
    keep = ~np.isnan(X).any(axis=1)
    if keep.sum() <= len(covariates) or e[keep].sum() == 0:
        raise InputError(
            f"{func}: too few complete rows ({int(keep.sum())}) or no events to fit the model",
            source=_source(data),
        )
    const = [c for j, c in enumerate(covariates) if np.nanstd(X[keep, j]) == 0]
    if const:
        raise InputError(f"{func}: covariate(s) {const} are constant", source=_source(data))
    model = PHReg(t[keep], X[keep], status=e[keep], ties=ties)
    res = _fit_quietly(lambda: model.fit(), func)
    return CoxResult(res, covariates, t[keep], e[keep], int((~keep).sum()))


class LogitResult:
    """A fitted logit of switching intention; made by :func:`switching_logit`. ``result`` is
    the statsmodels ``LogitResults``."""

    def __init__(self, result, predictors, n_excluded):
        self.result = result
        self.predictors = list(predictors)
        self.n_obs = int(result.nobs)
        self.n_excluded = int(n_excluded)

    def summary(self, alpha: float = 0.05, intercept: bool = False) -> pd.DataFrame:
        """Per predictor: ``predictor``, ``coef`` (log odds per unit), ``se``, ``odds_ratio``
        exp(coef) with its Wald interval ``ci_low``/``ci_high`` and ``p_value``; the intercept
        (``const``) only with ``intercept=True``."""
        z = _z(alpha)
        b = np.asarray(self.result.params)
        se = np.asarray(self.result.bse)
        out = pd.DataFrame(
            {
                "predictor": ["const"] + self.predictors,
                "coef": b,
                "se": se,
                "odds_ratio": np.exp(b),
                "ci_low": np.exp(b - z * se),
                "ci_high": np.exp(b + z * se),
                "p_value": np.asarray(self.result.pvalues),
            }
        )
        return out if intercept else out.iloc[1:].reset_index(drop=True)

    def marginal_effects(self, alpha: float = 0.05) -> pd.DataFrame:
        """Average marginal effects (statsmodels ``get_margeff(at="overall")``): the change in
        the probability of intending to switch per unit of each predictor, averaged over the
        respondents, with delta-method ``se``, ``ci_low``/``ci_high`` and ``p_value``."""
        m = self.result.get_margeff(at="overall")
        ci = np.asarray(m.conf_int(alpha=alpha))
        return pd.DataFrame(
            {
                "predictor": self.predictors,
                "ame": np.asarray(m.margeff),
                "se": np.asarray(m.margeff_se),
                "ci_low": ci[:, 0],
                "ci_high": ci[:, 1],
                "p_value": np.asarray(m.pvalues),
            }
        )


def switching_logit(data: pd.DataFrame, *, outcome: str, predictors: Sequence[str]) -> LogitResult:
    """Logistic regression of switching intention (0/1) on bond scores and covariates
    (statsmodels ``Logit``, maximum likelihood, with an intercept), as in the switching
    models of Chiu et al. (2005, *J. Business Research* 58(12)).

    The outcome must be 0/1 (:class:`~customer_value.io.InputError` otherwise); rows with a
    missing predictor are excluded (``n_excluded``). Odds ratios in :meth:`LogitResult.summary`,
    average marginal effects in :meth:`LogitResult.marginal_effects`.

    >>> from customer_value import datasets
    >>> survey = datasets.load("bond_survey")                                   # doctest: +SKIP
    >>> scores = score_bonds(survey, datasets.path("bond_scales")).scores       # doctest: +SKIP
    >>> switching_logit(scores.join(survey["switching_intention"]), outcome="switching_intention",
    ...                 predictors=["financial", "social", "structural"]).summary()  # doctest: +SKIP
    """
    import statsmodels.api as sm

    func = "switching_logit"
    data = _frame(data, func)
    if isinstance(predictors, str):
        predictors = [predictors]
    predictors = list(predictors)
    if not predictors:
        raise InputError(f"{func}: name at least one predictor")
    _require(data, [outcome] + predictors, func)
    X = np.column_stack([_numeric_column(data, c, func, allow_missing=True) for c in predictors])
    keep = ~np.isnan(X).any(axis=1)
    y = _binary_column(data.loc[keep], outcome, func, "1 = intends to switch, 0 = does not")
    if len(np.unique(y)) < 2:
        raise InputError(
            f"{func}: outcome {outcome!r} has only one value ({int(y[0])}); a "
            "logit needs both 0 and 1",
            source=_source(data),
        )
    exog = sm.add_constant(X[keep], has_constant="add")
    model = sm.Logit(y, exog)
    res = _fit_quietly(lambda: model.fit(disp=0, maxiter=200), func)
    return LogitResult(res, predictors, int((~keep).sum()))


# ============================================================================================
# 3. programme evaluation: difference-in-differences
# ============================================================================================


def _demean(values: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    counts = np.bincount(codes, minlength=n_groups).astype(float)
    if values.ndim == 1:
        means = np.bincount(codes, weights=values, minlength=n_groups) / counts
        return values - means[codes]
    out = np.empty_like(values, dtype=float)
    for j in range(values.shape[1]):
        means = np.bincount(codes, weights=values[:, j], minlength=n_groups) / counts
        out[:, j] = values[:, j] - means[codes]
    return out


class ClusteredOLS:
    """Least squares with a cluster-robust (sandwich) covariance: a small results object with
    statsmodels' names (``params``, ``bse``, ``pvalues``, ``cov_params()``, ``nobs``).

    V = c · (X'X)⁻¹ (Σ_g X_g' û_g û_g' X_g) (X'X)⁻¹ with c = G/(G − 1) · (N − 1)/(N − K), the
    small-sample factor of Stata and of statsmodels' ``cov_type="cluster"`` (Cameron & Miller
    2015, *J. Human Resources* 50(2)); normal p-values. Solved through the normal equations,
    which is fast for the few dozen columns of a fixed-effects panel after demeaning.
    """

    def __init__(self, y: np.ndarray, X: np.ndarray, groups: np.ndarray):
        X = np.asarray(X, dtype=float)
        if X.ndim == 1:
            X = X[:, None]
        n, k = X.shape
        xtx = X.T @ X
        try:
            xtx_inv = np.linalg.inv(xtx)
        except np.linalg.LinAlgError:
            raise InputError(
                "programme_did: the regressors are collinear (is every customer "
                "a member, or is there only one period?)"
            ) from None
        if np.linalg.cond(xtx) > 1e12:
            raise InputError(
                "programme_did: the regressors are (nearly) collinear; check that "
                "members and non-members are both observed before and after launch"
            )
        b = xtx_inv @ (X.T @ y)
        u = y - X @ b
        codes, _ = pd.factorize(pd.Series(groups), sort=False)
        G = int(codes.max()) + 1
        if G < 2 or n <= k:
            raise InputError(
                "programme_did: too few customers or rows for clustered standard "
                f"errors ({G} customer(s), {n} row(s), {k} regressor(s))"
            )
        scores = np.zeros((G, k))
        np.add.at(scores, codes, X * u[:, None])
        meat = scores.T @ scores
        c = G / (G - 1) * (n - 1) / (n - k)
        self._cov = c * xtx_inv @ meat @ xtx_inv
        self.params = b
        self.bse = np.sqrt(np.diag(self._cov))
        self.pvalues = 2 * stats.norm.sf(np.abs(b / self.bse))
        self.nobs = n
        self.n_clusters = G
        self.resid = u

    def cov_params(self) -> np.ndarray:
        return self._cov


def _cluster_ols(y: np.ndarray, X: np.ndarray, groups: np.ndarray) -> ClusteredOLS:
    return ClusteredOLS(y, X, groups)


class DidResult:
    """Programme evaluation by difference-in-differences; made by :func:`programme_did`.

    ``did`` and ``naive`` are the two estimates (floats); ``result`` and ``naive_result`` the
    regressions (:class:`ClusteredOLS`, customer-clustered covariance); ``n_customers``, ``n_obs``,
    ``launch`` describe the data used.
    """

    def __init__(
        self,
        *,
        y,
        member,
        period,
        codes,
        n_groups,
        periods,
        launch,
        naive_result,
        result,
        n_customers,
        n_obs,
        outcome,
    ):
        self._y, self._member, self._period = y, member, period
        self._codes, self._n_groups, self._periods = codes, n_groups, periods
        self.launch = launch
        self.naive_result = naive_result
        self.result = result
        self.naive = float(naive_result.params[1])
        self.did = float(result.params[-1])
        self.n_customers = n_customers
        self.n_obs = n_obs
        self.outcome = outcome
        self._events: dict = {}

    def summary(self, alpha: float = 0.05) -> pd.DataFrame:
        """One row per estimator: ``estimator``, ``estimate``, ``se`` (clustered by customer),
        ``ci_low``, ``ci_high``, ``p_value``, ``n_customers``, ``n_obs``. The naive row compares
        members with non-members after launch and mixes the programme's effect with who joins;
        the difference-in-differences row compares their changes."""
        z = _z(alpha)
        rows = []
        post = self._period >= self.launch
        for name, res, j, n_obs, n_c in (
            (
                "naive member vs non-member, after launch",
                self.naive_result,
                1,
                int(post.sum()),
                len(np.unique(self._codes[post])),
            ),
            ("difference-in-differences", self.result, -1, self.n_obs, self.n_customers),
        ):
            b = float(np.asarray(res.params)[j])
            se = float(np.asarray(res.bse)[j])
            rows.append(
                {
                    "estimator": name,
                    "estimate": b,
                    "se": se,
                    "ci_low": b - z * se,
                    "ci_high": b + z * se,
                    "p_value": float(np.asarray(res.pvalues)[j]),
                    "n_customers": n_c,
                    "n_obs": n_obs,
                }
            )
        return pd.DataFrame(rows)

    def _event_fit(self, window):
        key = None if window is None else tuple(window)
        if key in self._events:
            return self._events[key]
        rel = self._period - self.launch
        lo_all, hi_all = int(rel.min()), int(rel.max())
        if window is None:
            lo, hi = lo_all, hi_all
        else:
            lo, hi = (int(v) for v in window)
            if not (lo <= -2 and hi >= 0):
                raise ValueError(
                    f"window must run from below -1 to 0 or later, e.g. (-6, 6); got {window!r}"
                )
        rel_b = np.clip(rel, lo, hi)
        ks = [
            k for k in range(lo, hi + 1) if k != -1 and ((rel_b == k) & (self._member == 1)).any()
        ]
        period_codes = np.searchsorted(self._periods, self._period)
        T = np.column_stack(
            [(period_codes == j).astype(float) for j in range(1, len(self._periods))]
        )
        D = np.column_stack([((rel_b == k) & (self._member == 1)).astype(float) for k in ks])
        X = _demean(np.column_stack([T, D]), self._codes, self._n_groups)
        yd = _demean(self._y, self._codes, self._n_groups)
        res = _cluster_ols(yd, X, self._codes)
        out = (res, ks, T.shape[1])
        self._events[key] = out
        return out

    def event_study(
        self, window: tuple[int, int] | None = None, alpha: float = 0.05
    ) -> pd.DataFrame:
        """Event-study estimates: the member − non-member difference in each period relative
        to launch (0 = launch month), against the month before launch (−1, the reference, 0 by
        construction), from the two-way fixed-effects regression with member × relative-period
        dummies and customer-clustered errors. ``window=(lo, hi)`` bins the periods before
        ``lo`` into ``lo`` and after ``hi`` into ``hi`` (endpoint binning). Before launch the
        estimates should hover around 0 (parallel pre-trends); afterwards they show the effect
        month by month. Columns ``relative_period``, ``estimate``, ``se``, ``ci_low``,
        ``ci_high``, ``p_value``, ``reference``."""
        z = _z(alpha)
        res, ks, n_t = self._event_fit(window)
        b = np.asarray(res.params)[n_t:]
        se = np.asarray(res.bse)[n_t:]
        p = np.asarray(res.pvalues)[n_t:]
        out = pd.DataFrame(
            {
                "relative_period": ks,
                "estimate": b,
                "se": se,
                "ci_low": b - z * se,
                "ci_high": b + z * se,
                "p_value": p,
                "reference": False,
            }
        )
        ref = pd.DataFrame(
            {
                "relative_period": [-1],
                "estimate": [0.0],
                "se": [np.nan],
                "ci_low": [np.nan],
                "ci_high": [np.nan],
                "p_value": [np.nan],
                "reference": [True],
            }
        )
        return (
            pd.concat([out, ref], ignore_index=True)
            .sort_values("relative_period")
            .reset_index(drop=True)
        )

    def pretrend_test(self, window: tuple[int, int] | None = None) -> pd.Series:
        """Joint Wald test (clustered) that every pre-launch event-study coefficient is 0:
        ``statistic`` (chi-square), ``df``, ``p_value``. A small p-value means the groups were
        already drifting apart before launch and the DiD's parallel-trends assumption fails."""
        res, ks, n_t = self._event_fit(window)
        pre = [n_t + i for i, k in enumerate(ks) if k < -1]
        if not pre:
            return pd.Series({"statistic": float("nan"), "df": 0, "p_value": float("nan")})
        b = np.asarray(res.params)[pre]
        V = np.asarray(res.cov_params())[np.ix_(pre, pre)]
        stat = float(b @ np.linalg.solve(V, b))
        return pd.Series(
            {"statistic": stat, "df": len(pre), "p_value": float(stats.chi2.sf(stat, len(pre)))},
            name="pretrend",
        )

    def plot(self, ax=None, *, window: tuple[int, int] | None = None, **kwargs):
        """Event-study plot (:func:`plot_event_study`) with the DiD estimate."""
        kwargs.setdefault("did", self.did)
        return plot_event_study(self.event_study(window), ax=ax, **kwargs)


def programme_did(
    panel: pd.DataFrame,
    *,
    customer: str = "customer_id",
    period: str = "month",
    outcome: str = "spend",
    member: str = "member",
    launch,
    active: str | None = "active",
) -> DidResult:
    """Effect of a frequency-marketing (loyalty) programme by difference-in-differences, beside
    the naive member vs non-member comparison.

    The panel has one row per customer and period (whole numbers 1, 2, ... or months as text,
    "2024-07", "2024/7", "2024年7月"; ``launch`` is then a month too). ``member`` marks the customers who joined
    the programme at its launch (1 in *every* period of a member, also before launch: it is the
    group, not "is a member now"); ``launch`` is the first period of the programme. Only
    active customer-periods are used (rows with ``active == 0`` are dropped when the column
    exists: a churned customer spends nothing because she left, not because of the programme).

    * Naive: mean outcome of members minus non-members after launch (OLS on a member dummy,
      customer-clustered se). Heavy buyers join loyalty programmes anyway (Sharp & Sharp 1997,
      *IJRM* 14(5); Liu 2007, *J. Marketing* 71(4)), so this gap mixes the effect with who joins.
    * Difference-in-differences (Angrist & Pischke 2009, ch. 5): two-way fixed effects

          y_it = a_i + τ_t + δ · member_i · post_t + ε_it

      estimated by OLS after removing customer means (the within transformation) with period
      dummies; δ is the effect on members if, without the programme, members' and
      non-members' outcomes would have moved in parallel. Standard errors are clustered by
      customer (Bertrand, Duflo & Mullainathan 2004, *QJE* 119(1)).

    >>> from customer_value import datasets
    >>> did = programme_did(datasets.load("loyalty_panel"), launch=19)     # doctest: +SKIP
    >>> did.summary()[["estimator", "estimate", "ci_low", "ci_high"]]       # doctest: +SKIP
    """
    func = "programme_did"
    panel = _frame(panel, func)
    cols = [customer, period, outcome, member]
    _require(panel, cols, func)
    data = panel
    if active is not None and active in panel.columns:
        act = _binary_column(panel, active, func, "1 = still a customer in that period")
        data = panel.loc[act == 1]
        if len(data) == 0:
            raise InputError(
                f"{func}: no active rows ({active!r} is 0 everywhere)", source=_source(panel)
            )
    cust = data[customer]
    miss = _raw_missing(cust)
    if miss.any():
        raise _fail(data, f"{func}: column {customer!r} has missing IDs", miss, [customer])
    per, monthly = _period_numbers(data, period, func)
    y = _numeric_column(data, outcome, func)
    mem = _binary_column(data, member, func, "1 = joined the programme")
    dup = data.duplicated([customer, period], keep=False).to_numpy()
    if dup.any():
        raise _fail(
            data,
            f"{func}: several rows for the same {customer!r} and {period!r}",
            dup,
            [customer, period],
        )
    codes, uniq = pd.factorize(cust.astype("str"), sort=False)
    varies = np.bincount(codes, weights=mem) / np.bincount(codes)
    mixed = (varies > 0) & (varies < 1)
    if mixed.any():
        m = mixed[codes]
        raise _fail(
            data,
            f"{func}: {member!r} must be the same in every period of a customer "
            "(1 for everyone who joined at launch, also in the months before "
            f"launch); it changes for {int(mixed.sum())} customer(s)",
            m,
            [customer, period, member],
        )
    launch_label = launch
    try:
        if monthly:
            ym = pd.Series([str(launch).strip()]).str.extract(_MONTH_RE).iloc[0]
            launch = float(_month_ordinal(np.array([int(ym[0])]), np.array([int(ym[1])]))[0])
        else:
            launch = float(launch)
    except (TypeError, ValueError):
        raise InputError(
            f"{func}: launch must be a period "
            + ("month like '2024-07'" if monthly else "number")
            + f", not {launch!r}"
        ) from None
    periods = np.unique(per)
    if not (periods.min() < launch <= periods.max()):
        first, last = (
            (f"{1970 + int(v) // 12}-{int(v) % 12 + 1:02d}" for v in (periods.min(), periods.max()))
            if monthly
            else (f"{periods.min():g}", f"{periods.max():g}")
        )
        raise InputError(
            f"{func}: launch={launch_label!r} must lie after the first period "
            f"({first}) and not after the last ({last}), so that there are "
            "periods before and after it",
            source=_source(panel),
        )
    post = per >= launch
    for grp, label in ((1, "members"), (0, "non-members")):
        for when, wlabel in ((~post, "before"), (post, "after")):
            if not ((mem == grp) & when).any():
                raise InputError(
                    f"{func}: no active {label} {wlabel} launch: a "
                    "difference-in-differences needs both groups in both phases",
                    source=_source(panel),
                )
    n_groups = len(uniq)
    naive = _cluster_ols(
        y[post], np.column_stack([np.ones(int(post.sum())), mem[post].astype(float)]), codes[post]
    )
    period_codes = np.searchsorted(periods, per)
    T = np.column_stack([(period_codes == j).astype(float) for j in range(1, len(periods))])
    D = (mem * post).astype(float)
    X = _demean(np.column_stack([T, D]), codes, n_groups)
    yd = _demean(y, codes, n_groups)
    res = _cluster_ols(yd, X, codes)
    return DidResult(
        y=y,
        member=mem,
        period=per,
        codes=codes,
        n_groups=n_groups,
        periods=periods,
        launch=launch,
        naive_result=naive,
        result=res,
        n_customers=int(n_groups),
        n_obs=len(y),
        outcome=outcome,
    )


# ============================================================================================
# 4. retention to value
# ============================================================================================


def retention_value(
    margin,
    retention,
    discount,
    delta: float = 0.01,
    horizon: int | None = None,
    *,
    relative: bool = False,
    margin_timing: str = "end",
) -> pd.DataFrame:
    """What a change in retention is worth: CLV at retention r and at r + delta (or r·(1 +
    delta) with ``relative=True``), with ``customer_value.clv.retention_clv``
    (CLV = m·r/(1 + d − r) for an infinite horizon; Gupta, Lehmann & Stuart 2004, *JMR* 41(1)).

    Columns: ``margin``, ``discount``, ``retention``, ``retention_new``, ``clv``, ``clv_new``,
    ``change`` and ``pct_change`` (percent). Arguments may be arrays (one row each). With
    r = 0.8, d = 0.1 one retention point (0.80 → 0.81) raises CLV from 2.667 to 2.793 margins,
    +4.7 % (the elasticity (1 + d)/(1 + d − r) = 3.7 at that point).

    >>> retention_value(100, 0.8, 0.1)[["clv", "clv_new", "pct_change"]].round(2).values.tolist()
    [[266.67, 279.31, 4.74]]
    """
    from .clv import retention_clv

    m, r, d = np.broadcast_arrays(
        np.asarray(margin, dtype=float),
        np.asarray(retention, dtype=float),
        np.asarray(discount, dtype=float),
    )
    m, r, d = np.atleast_1d(m), np.atleast_1d(r), np.atleast_1d(d)
    r_new = r * (1 + delta) if relative else r + delta
    if np.any(r_new > 1) or np.any(r_new < 0):
        raise ValueError(f"retention + delta must stay within 0..1; got {r_new.tolist()[:5]}")
    clv0 = np.atleast_1d(np.asarray(retention_clv(m, r, d, horizon, margin_timing), dtype=float))
    clv1 = np.atleast_1d(
        np.asarray(retention_clv(m, r_new, d, horizon, margin_timing), dtype=float)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100 * (clv1 - clv0) / clv0
    return pd.DataFrame(
        {
            "margin": m,
            "discount": d,
            "retention": r,
            "retention_new": r_new,
            "clv": clv0,
            "clv_new": clv1,
            "change": clv1 - clv0,
            "pct_change": pct,
        }
    )


class RetentionByLevel:
    """sBG retention models per relationship level; made by :func:`retention_by_level`.

    ``models`` maps each level to its fitted :class:`customer_value.clv.ShiftedBetaGeometric`;
    ``counts`` is the tidy table of customers still active (``level``, ``period``,
    ``active``).
    """

    def __init__(self, models: dict, counts: pd.DataFrame):
        self.models = models
        self.counts = counts

    def summary(self, horizon: int = 60, discount: float | None = None) -> pd.DataFrame:
        """Per level: ``level``, ``n``, ``alpha``, ``beta`` (the sBG parameters),
        ``retention_1`` and ``retention_12`` (r_t = (β + t − 1)/(α + β + t − 1) in months 1 and
        12), ``survival_observed`` and ``survival_fitted`` at the last observed period,
        ``survival_<horizon>`` (the projection) and ``expected_lifetime`` (periods, infinite
        when α ≤ 1; discounted when ``discount`` is given, Fader & Hardie 2010) and
        ``converged``. When a level's customers churn at nearly the same constant rate, the
        maximum-likelihood search runs off towards α, β → ∞ (the geometric limit, no
        heterogeneity): ``converged`` is then False and the fitted curve is still close to
        the data, but α and β themselves mean little."""
        rows = []
        for lv, m in self.models.items():
            c = m.cohorts_[0]
            T = len(c) - 1
            rows.append(
                {
                    "level": lv,
                    "n": int(c[0]),
                    "alpha": float(m.params_["alpha"]),
                    "beta": float(m.params_["beta"]),
                    "retention_1": float(m.retention_rate(1)),
                    "retention_12": float(m.retention_rate(12)),
                    "survival_observed": float(c[-1] / c[0]),
                    "survival_fitted": float(m.survival(T)),
                    f"survival_{horizon}": float(m.survival(horizon)),
                    "expected_lifetime": float(m.expected_lifetime(discount or 0.0)),
                    "converged": bool(m.converged_),
                }
            )
        return pd.DataFrame(rows)

    def project(self, periods: int) -> pd.DataFrame:
        """Tidy projection per level: ``level`` plus the columns of
        ``ShiftedBetaGeometric.project`` (period, survival, expected_active, ..., observed)."""
        return pd.concat(
            [m.project(periods).assign(level=lv) for lv, m in self.models.items()],
            ignore_index=True,
        )[["level", "period", "survival", "expected_active", "retention_rate", "observed"]]

    def plot(self, ax=None, *, periods: int | None = None):
        """Observed share still active (points) and the sBG curve (line) per level."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        for i, (lv, m) in enumerate(self.models.items()):
            c = m.cohorts_[0]
            horizon = periods or 2 * (len(c) - 1)
            t = np.arange(horizon + 1)
            color = LEVEL_COLORS.get(str(lv), f"C{i}")
            ax.plot(
                t, np.asarray(m.survival(t.astype(float))), "-", color=color, label=f"{lv} (sBG)"
            )
            ax.plot(np.arange(len(c)), c / c[0], "o", color=color, ms=3)
            ax.axvline(len(c) - 1, color="grey", ls=":", lw=1)
        ax.set_xlabel("months")
        ax.set_ylabel("share still a customer")
        ax.set_ylim(0, 1.02)
        ax.legend(title="level (points: observed)")
        return ax


def retention_by_level(
    panel: pd.DataFrame,
    *,
    customer: str = "customer_id",
    period: str = "month",
    active: str = "active",
    level: str = "level",
) -> RetentionByLevel:
    """Per relationship level, the cohort counts of customers still active each period and the
    shifted-beta-geometric retention model fitted to them (Fader & Hardie 2007, *J.
    Interactive Marketing* 21(1); :class:`customer_value.clv.ShiftedBetaGeometric`).

    The panel has one row per customer and period; every customer must be active in the first
    period (one cohort) and churn is absorbing (once inactive, never active again). Period 0 of
    a level's counts is its number of customers; period t the number still active in the
    (t+1)-th period.

    >>> from customer_value import datasets
    >>> rbl = retention_by_level(datasets.load("loyalty_panel"))           # doctest: +SKIP
    >>> rbl.summary()[["level", "alpha", "beta", "survival_60"]]           # doctest: +SKIP
    """
    from .btyd import ShiftedBetaGeometric

    func = "retention_by_level"
    panel = _frame(panel, func)
    _require(panel, [customer, period, active, level], func)
    per, _ = _period_numbers(panel, period, func)
    act = _binary_column(panel, active, func, "1 = still a customer in that period")
    wide = pd.DataFrame(
        {"c": panel[customer].astype("str").to_numpy(), "p": per, "a": act}
    ).pivot_table(index="c", columns="p", values="a", aggfunc="max")
    if wide.isna().any().any():
        raise InputError(
            f"{func}: every customer needs a row in every period (a balanced "
            "panel with active = 0 after churn)",
            source=_source(panel),
        )
    a = wide.to_numpy()
    not_first = a[:, 0] != 1
    if not_first.any():
        raise InputError(
            f"{func}: {int(not_first.sum())} customer(s) are not active in the first "
            f"period (e.g. {wide.index[not_first][:5].tolist()}): the counts must "
            "follow one cohort",
            source=_source(panel),
        )
    comeback = (np.diff(a, axis=1) > 0).any(axis=1)
    if comeback.any():
        raise InputError(
            f"{func}: churn must be absorbing, but {int(comeback.sum())} customer(s) "
            f"become active again (e.g. {wide.index[comeback][:5].tolist()})",
            source=_source(panel),
        )
    lv = panel.groupby(panel[customer].astype("str"), sort=False)[level].first()
    lv = lv.reindex(wide.index)
    models, parts = {}, []
    for g in _level_groups(lv):
        rows = (lv == g).to_numpy()
        counts = a[rows].sum(axis=0).astype(int)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model = ShiftedBetaGeometric().fit(counts)
        for w in caught:
            if not (
                issubclass(w.category, RuntimeWarning) and "did not converge" in str(w.message)
            ):
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        model.converged_ = bool(model.converged_) and not any(
            "did not converge" in str(w.message) for w in caught
        )
        models[g] = model
        parts.append(pd.DataFrame({"level": g, "period": np.arange(len(counts)), "active": counts}))
    return RetentionByLevel(models, pd.concat(parts, ignore_index=True))


# ============================================================================================
# plots
# ============================================================================================


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


def plot_loadings(loadings, ax=None, *, annotate: bool = True, colorbar: bool = True):
    """Heatmap of factor loadings: items (rows) × factors (columns), blue positive, red
    negative, with the values written in; lines separate the scales. ``loadings`` is a
    :class:`FactorCheck` or an items × factors DataFrame. Returns the Axes."""
    ax = _axes(ax)
    item_scale = None
    if isinstance(loadings, FactorCheck):
        item_scale = loadings.item_scale
        loadings = loadings.loadings
    L = pd.DataFrame(loadings)
    im = ax.imshow(L.to_numpy(), cmap="RdBu", vmin=-1, vmax=1, aspect="auto")
    ax.set_xticks(range(L.shape[1]), [str(c) for c in L.columns])
    ax.set_yticks(range(L.shape[0]), [str(i) for i in L.index])
    ax.tick_params(axis="x", top=True, labeltop=True, bottom=False, labelbottom=False)
    if annotate:
        for i in range(L.shape[0]):
            for j in range(L.shape[1]):
                v = L.iat[i, j]
                ax.text(
                    j,
                    i,
                    f"{v:.2f}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if abs(v) > 0.6 else "black",
                )
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


def plot_survival(result, ax=None, *, ci: bool = True, labels: Mapping | None = None):
    """Kaplan–Meier step curves per level with their pointwise bands. ``result`` is a
    :class:`SurvivalByLevel` or its ``curves()`` table. Returns the Axes."""
    ax = _axes(ax)
    n = {}
    if isinstance(result, SurvivalByLevel):
        n = {g: len(result.fits[g].time) for g in result.order}
        curves = result.curves()
    else:
        curves = pd.DataFrame(result)
    for i, (g, c) in enumerate(curves.groupby("level", sort=False, observed=True)):
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
    ax.legend(title="relationship level")
    return ax


def plot_hazard_ratios(result, ax=None, *, truth: Mapping[str, float] | None = None):
    """Forest plot of hazard ratios with their confidence intervals on a log axis, a line at
    1 (no effect) and optionally the true values (``truth``: covariate → hazard ratio, drawn
    as crosses). ``result`` is a :class:`CoxResult` or its ``summary()``. Returns the Axes."""
    ax = _axes(ax)
    s = result.summary() if isinstance(result, CoxResult) else pd.DataFrame(result)
    y = np.arange(len(s))[::-1]
    hr = s["hazard_ratio"].to_numpy()
    ax.errorbar(
        hr,
        y,
        xerr=[hr - s["ci_low"].to_numpy(), s["ci_high"].to_numpy() - hr],
        fmt="o",
        color="#264653",
        ecolor="#264653",
        capsize=3,
        label="estimate (95% CI)",
    )
    if truth:
        tv = [truth.get(c, np.nan) for c in s["covariate"]]
        ax.plot(tv, y, "x", color="#e76f51", ms=8, mew=2, label="true value")
    ax.axvline(1, color="grey", ls="--", lw=1)
    ax.set_xscale("log")
    _plain_log_ticks(
        ax,
        np.r_[
            s["ci_low"].to_numpy(),
            s["ci_high"].to_numpy(),
            1.0,
            [v for v in (truth or {}).values()],
        ],
    )
    ax.set_yticks(y, s["covariate"].tolist())
    ax.set_xlabel("hazard ratio of churn (log scale; < 1 = keeps customers)")
    ax.legend(loc="best")
    return ax


def _plain_log_ticks(ax, values) -> None:
    """Readable ticks (0.5, 0.7, 1, 1.5, ...) on a log axis instead of powers of ten."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter, NullLocator

    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    lo, hi = v.min() / 1.05, v.max() * 1.05
    nice = np.array(
        [
            0.01,
            0.02,
            0.05,
            0.1,
            0.2,
            0.3,
            0.4,
            0.5,
            0.6,
            0.7,
            0.8,
            0.9,
            1.0,
            1.1,
            1.25,
            1.5,
            2.0,
            3.0,
            5.0,
            10.0,
            20.0,
            50.0,
            100.0,
        ]
    )
    ticks = nice[(nice >= lo) & (nice <= hi)]
    if len(ticks) > 8:
        ticks = ticks[::2]
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_minor_formatter(NullFormatter())


def plot_event_study(
    event_study: pd.DataFrame, ax=None, *, did: float | None = None, truth: float | None = None
):
    """Event-study plot: estimate and confidence interval per period relative to launch, the
    reference period (−1) at 0, a dashed line at launch, and optionally the DiD estimate
    (``did``) and the true effect (``truth``) as horizontal lines. Returns the Axes."""
    ax = _axes(ax)
    es = pd.DataFrame(event_study)
    est = es[~es.get("reference", False)] if "reference" in es else es
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
        ref = es[es["reference"]]
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
