"""Kano analysis of a survey: :func:`analyze` (and :func:`analyze_file`) → :class:`KanoResult`,
with bootstrap intervals for Better and Worse, DuMouchel's continuous scores, mean importance,
and the respondent-quality tables that the lesson and the report show.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._util import check_number, rng, source_of
from ..io import InputError
from .answers import _CAT_INDEX, CATEGORIES, MODE_CATEGORIES, _check_table, _lookup
from .decisions import chi_square_by_segment, compare_segments, roadmap
from .responses import KanoResponses, read_responses
from .rules import BRIEF_COLUMNS, SUMMARY_COLUMNS, summarize_counts

__all__ = ["BRIEF_COLUMNS", "SUMMARY_COLUMNS", "KanoResult", "analyze", "analyze_file"]

#: DuMouchel's scores (in Berger et al. 1993) of the answers 1..5 (index 0: missing).
_FUNCTIONAL_SCORES = np.array([np.nan, 4.0, 2.0, 0.0, -1.0, -2.0])
_DYSFUNCTIONAL_SCORES = np.array([np.nan, -2.0, -1.0, 0.0, 2.0, 4.0])


# --------------------------------------------------------------------------------------------
# per-feature statistics from cell counts
# --------------------------------------------------------------------------------------------


def _cell_counts(cells: np.ndarray) -> np.ndarray:
    """(k, 26) counts of answer-pair cells per feature (cell 25 = missing), one bincount each."""
    if not cells.shape[1]:
        return np.zeros((0, 26), dtype=np.int64)
    return np.stack([np.bincount(cells[:, j], minlength=26) for j in range(cells.shape[1])])


def _category_counts(cell_counts: np.ndarray, table: str) -> np.ndarray:
    """(k, 7) counts of categories A, O, M, I, R, Q and missing from cell counts."""
    lut = _lookup(table)
    out = np.zeros((cell_counts.shape[0], 7), dtype=np.int64)
    for cell in range(26):
        if lut[cell] >= 0:
            out[:, lut[cell]] += cell_counts[:, cell]
    return out


def _continuous(cell_counts: np.ndarray):
    """DuMouchel means and SDs over complete answer pairs, exactly, from the cell counts."""
    w = cell_counts[:, :25].astype(float)
    fs = np.repeat(_FUNCTIONAL_SCORES[1:], 5)  # score of each cell's functional answer
    ds = np.tile(_DYSFUNCTIONAL_SCORES[1:], 5)
    m = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        f_mean = w @ fs / m
        d_mean = w @ ds / m
        f_sd = np.sqrt(np.maximum(w @ fs**2 - m * f_mean**2, 0) / (m - 1))
        d_sd = np.sqrt(np.maximum(w @ ds**2 - m * d_mean**2, 0) / (m - 1))
    return f_mean, np.where(m > 1, f_sd, np.nan), d_mean, np.where(m > 1, d_sd, np.nan)


def _importance(imp: np.ndarray | None, k: int):
    if imp is None:
        return np.full(k, np.nan), np.zeros(k, dtype=int)
    ok = ~np.isnan(imp)
    n_imp = ok.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(ok, imp, 0.0).sum(axis=0) / n_imp
    return mean, n_imp


def _bootstrap(counts: np.ndarray, reps: int, level: float, gen) -> np.ndarray:
    """Percentile CIs for Better and Worse: (k, 4) = better lo/hi, worse lo/hi.

    Resampling the N respondents with replacement makes one feature's seven counts (six
    categories + missing) multinomial(N, observed shares); drawing those counts directly gives
    the same bootstrap distribution (Efron & Tibshirani 1993) at a cost independent of N.
    """
    k = counts.shape[0]
    out = np.full((k, 4), np.nan)
    lo, hi = 50 * (1 - level), 50 * (1 + level)
    for j in range(k):
        N = int(counts[j].sum())
        if N == 0:
            continue
        draws = gen.multinomial(N, counts[j] / N, size=reps)
        A, O, M, I = (draws[:, _CAT_INDEX[x]] for x in "AOMI")
        den = (A + O + M + I).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            better = np.where(den > 0, (A + O) / den, np.nan)
            worse = np.where(den > 0, -(O + M) / den, np.nan)
        if np.isnan(better).all():
            continue
        out[j] = [*np.nanpercentile(better, [lo, hi]), *np.nanpercentile(worse, [lo, hi])]
    return out


def _summary_block(resp: KanoResponses, rows, *, bootstrap, level, gen, fong_n, **rules):
    if rows is None:
        cells, imp = resp.cells(), resp.importance
    else:
        cells = resp.cells()[rows]
        imp = None if resp.importance is None else resp.importance[rows]
    cell_counts = _cell_counts(cells)
    cc = _category_counts(cell_counts, resp.table)
    counts = pd.DataFrame(cc[:, :6], columns=list(CATEGORIES))
    if fong_n == "respondents":
        fong_n = pd.Series(cc.sum(axis=1))
    out = summarize_counts(counts, fong_n=fong_n, **rules)
    out.insert(0, "feature", resp.features)
    out.insert(out.columns.get_loc("n") + 1, "n_missing", cc[:, 6])
    ci = (
        _bootstrap(cc, bootstrap, level, gen)
        if bootstrap
        else np.full((len(resp.features), 4), np.nan)
    )
    out["better_ci_low"], out["better_ci_high"] = ci[:, 0], ci[:, 1]
    out["worse_ci_low"], out["worse_ci_high"] = ci[:, 2], ci[:, 3]
    f_mean, f_sd, d_mean, d_sd = _continuous(cell_counts)
    imp_mean, n_imp = _importance(imp, len(resp.features))
    out["functional_mean"], out["functional_sd"] = f_mean, f_sd
    out["dysfunctional_mean"], out["dysfunctional_sd"] = d_mean, d_sd
    out["importance_mean"], out["importance_n"] = imp_mean, n_imp
    return out


# --------------------------------------------------------------------------------------------
# the result
# --------------------------------------------------------------------------------------------


@dataclass
class KanoResult:
    """Result of :func:`analyze`: per-feature (and per-segment) Kano statistics.

    * :meth:`summary`: one row per feature (per segment and feature with ``by``), columns
      :data:`SUMMARY_COLUMNS` (documented in :func:`analyze`);
    * :meth:`to_frame`: one row per respondent (answer quality, exclusion, segments);
    * :meth:`counts`, :meth:`chi_square`, :meth:`compare_segments`, :meth:`roadmap`,
      :meth:`quality_summary`, :meth:`questionable_counts`, :meth:`describe`;
    * :meth:`plot`: the charts.

    ``responses`` are the responses analysed (after exclusion); :attr:`quality` is the
    per-respondent quality table of every respondent (before exclusion) with ``excluded``;
    ``excluded`` the IDs of the respondents left out; ``settings`` the options used;
    ``source`` the file the survey was read from, if known.

    >>> survey = pd.DataFrame({"id": ["a", "b", "c"], "seg": ["x", "x", "y"],
    ...                        "wifi_functional": [1, 1, 2], "wifi_dysfunctional": [5, 1, 5]})
    >>> res = analyze(survey, respondent="id", bootstrap=0, exclude_questionable=0)
    >>> res.roadmap()[["feature", "group", "action"]].values.tolist()
    [['wifi', 'unclear', 'research further']]
    >>> res.quality_summary().loc["excluded", ["count", "of"]].tolist()
    [1, 3]
    >>> analyze(survey, respondent="id", by="seg", bootstrap=0).compare_segments().loc["wifi", ["x", "y"]].tolist()
    ['O', 'M']
    """

    responses: KanoResponses
    by: str | None
    _summary: pd.DataFrame
    excluded: pd.Index
    settings: dict
    source: str | None = None
    _all: KanoResponses | None = None  # every respondent, before exclusion
    _quality: pd.DataFrame | None = None

    @property
    def quality(self) -> pd.DataFrame:
        """Per respondent, excluded ones included: ``respondent``, ``answered``,
        ``n_questionable``, ``n_reverse``, their shares, ``flag_count`` and ``excluded`` (see
        :meth:`KanoResponses.quality`). Computed when first asked for."""
        if self._quality is None:
            everyone = self._all if self._all is not None else self.responses
            q = everyone.quality(include_reverse=self.settings["include_reverse"])
            q["excluded"] = False
            self._quality = q
        return self._quality

    @property
    def table(self) -> str:
        """The evaluation table the answers were classified with."""
        return self.settings["table"]

    @property
    def n_respondents(self) -> int:
        """Respondents analysed (after exclusions)."""
        return self.responses.n_respondents

    def summary(self, *, brief: bool = False) -> pd.DataFrame:
        """One row per feature (per segment and feature with ``by``): the columns of
        :data:`SUMMARY_COLUMNS`, or with ``brief`` those of :data:`BRIEF_COLUMNS`."""
        keys = [self.by] if self.by else []
        return self._summary[keys + BRIEF_COLUMNS].copy() if brief else self._summary.copy()

    def to_frame(self) -> pd.DataFrame:
        """One row per respondent, excluded ones included: ``respondent``, the segment
        columns, ``answered``, ``n_questionable``, ``n_reverse``, their shares (fractions),
        ``flag_count`` and ``excluded``."""
        everyone = self._all if self._all is not None else self.responses
        q = self.quality.reset_index(drop=True)
        seg = everyone.segments.reset_index(drop=True)
        return pd.concat([q[["respondent"]], seg, q.iloc[:, 1:]], axis=1)

    def counts(self) -> pd.DataFrame:
        """Category counts A, O, M, I, R, Q per feature (and segment), indexed by feature —
        the input of :func:`~customer_value.kano.summarize_counts`."""
        keys = ["feature"] if self.by is None else [self.by, "feature"]
        return self._summary.set_index(keys)[list(CATEGORIES)]

    def describe(self) -> str:
        """What was analysed, in one or two lines (the CLI prints them)."""
        n_all = (self._all if self._all is not None else self.responses).n_respondents
        head = f"Kano analysis of {self.source}: " if self.source else "Kano analysis: "
        text = (
            f"{head}{n_all} respondents, {len(self.responses.features)} features, "
            f"table={self.table}" + (f", by={self.by}" if self.by else "")
        )
        t = self.settings["exclude_questionable"]
        if t is not None:
            what = "questionable or reverse" if self.settings["include_reverse"] else "questionable"
            text += (
                f"\nexcluded {len(self.excluded)} respondent(s) with more than {t} {what} answer(s)"
            )
        return text

    def chi_square(self) -> pd.DataFrame:
        """Per feature: does the category distribution differ between segments? See
        :func:`chi_square_by_segment`."""
        if self.by is None:
            raise ValueError("chi_square needs a segmented analysis: analyze(..., by='column')")
        return chi_square_by_segment(self._summary, by=self.by)

    def compare_segments(self, *, alpha: float = 0.05, order: Sequence | None = None):
        """The category of each feature in each segment, with the chi-square test; see
        :func:`compare_segments`."""
        if self.by is None:
            raise ValueError("compare_segments needs a segmented analysis: analyze(..., by=...)")
        return compare_segments(self._summary, by=self.by, alpha=alpha, order=order)

    def roadmap(self) -> pd.DataFrame:
        """The features in order of priority for new-service development; see :func:`roadmap`."""
        return roadmap(self._summary, by=self.by)

    def quality_summary(self) -> pd.DataFrame:
        """Answer quality of the whole survey (every respondent, before exclusion), one row per
        measure with ``count``, ``of`` (the total it is counted among) and ``share``
        (count / of, a fraction): ``respondents``, ``analysed``, ``excluded``,
        ``blank_respondents`` (no complete pair), ``pairs_asked`` (respondents × features),
        ``pairs_complete``, ``pairs_incomplete``, ``pairs_questionable`` and ``pairs_reverse``
        (of the complete pairs), ``respondents_with_questionable``."""
        q = self.quality
        n_all, k = len(q), len(self.responses.features)
        asked, answered = n_all * k, int(q["answered"].sum())
        rows = {
            "respondents": (n_all, n_all),
            "analysed": (self.n_respondents, n_all),
            "excluded": (len(self.excluded), n_all),
            "blank_respondents": (int((q["answered"] == 0).sum()), n_all),
            "pairs_asked": (asked, asked),
            "pairs_complete": (answered, asked),
            "pairs_incomplete": (asked - answered, asked),
            "pairs_questionable": (int(q["n_questionable"].sum()), answered),
            "pairs_reverse": (int(q["n_reverse"].sum()), answered),
            "respondents_with_questionable": (int((q["n_questionable"] > 0).sum()), n_all),
        }
        out = pd.DataFrame.from_dict(rows, orient="index", columns=["count", "of"])
        out.index.name = "measure"
        with np.errstate(invalid="ignore", divide="ignore"):
            out["share"] = np.where(out["of"] > 0, out["count"] / out["of"].clip(lower=1), np.nan)
        return out

    def questionable_counts(self, top: int | None = None) -> pd.DataFrame:
        """Respondents by number of Q answers (0, 1, …, ``top`` or more): ``respondents``,
        their ``share`` (a fraction of all respondents) and how many of them the exclusion rule
        dropped (``excluded``). ``top`` defaults to two above the exclusion threshold, at
        least 3."""
        t = self.settings["exclude_questionable"]
        if top is None:
            top = max(3, (t if t is not None else 1) + 2)
        top = check_number("top", top, lo=1, integer=True, scalar=True)
        n_q = self.quality["n_questionable"].clip(upper=top)
        counts = n_q.value_counts().reindex(range(top + 1), fill_value=0)
        dropped = n_q[self.quality["excluded"]].value_counts().reindex(range(top + 1), fill_value=0)
        out = pd.DataFrame(
            {
                "respondents": counts.to_numpy(),
                "share": counts.to_numpy() / max(len(self.quality), 1),
                "excluded": dropped.to_numpy(),
            },
            index=pd.Index([str(v) for v in range(top)] + [f"{top} or more"], name="Q answers"),
        )
        return out

    def plot(self, kind: str = "better_worse", ax=None, **kwargs):
        """Draw a chart and return its Axes: ``"better_worse"``, ``"categories"``,
        ``"continuous"`` (see :mod:`customer_value.kano.plots`) or ``"answer_pairs"`` (needs
        ``feature=``)."""
        from . import plots

        if kind == "answer_pairs":
            return plots.plot_answer_pairs(self.responses, ax=ax, **kwargs)
        draw = {
            "better_worse": plots.plot_better_worse,
            "categories": plots.plot_categories,
            "continuous": plots.plot_continuous,
        }.get(kind)
        if draw is None:
            raise InputError(
                f"unknown plot kind {kind!r}: choose better_worse, categories, continuous or "
                "answer_pairs"
            )
        return draw(self._summary, ax=ax, **kwargs)


# --------------------------------------------------------------------------------------------
# analyze
# --------------------------------------------------------------------------------------------


def _check_options(
    *, table, exclude_questionable, bootstrap, ci_level, tie_tolerance, fong_n, fong_z
) -> None:
    _check_table(table)
    if exclude_questionable is not None:
        check_number("exclude_questionable", exclude_questionable, lo=0, integer=True, scalar=True)
    check_number("bootstrap", bootstrap, lo=0, integer=True, scalar=True)
    check_number("ci_level", ci_level, lo=0, hi=1, lo_open=True, hi_open=True, scalar=True)
    check_number("tie_tolerance", tie_tolerance, lo=0, scalar=True)
    check_number("fong_z", fong_z, lo=0, lo_open=True, scalar=True)
    if fong_n not in ("answered", "categories", "respondents"):
        raise InputError(
            f"fong_n must be 'answered', 'categories' or 'respondents', not {fong_n!r}"
        )


def _check_usable(summary: pd.DataFrame, note: str, source) -> None:
    n = summary.groupby("feature", sort=False)["n"].sum()
    empty = [str(f) for f in n.index[n.to_numpy() == 0]]
    if not empty:
        return
    if len(empty) == len(n):
        raise InputError(
            "no usable answers: no respondent answered both the functional and the "
            f"dysfunctional question of any feature{note}; every answer pair is blank or "
            "incomplete",
            source=source,
        )
    raise InputError(
        f"no usable answers for {len(empty)} feature(s): "
        + ", ".join(map(repr, empty[:10]))
        + f"{' ...' if len(empty) > 10 else ''}: no respondent answered both the functional "
        f"and the dysfunctional question{note}. Remove these features' columns or check the "
        "export.",
        source=source,
        columns=empty,
    )


def analyze(
    data: pd.DataFrame | KanoResponses,
    *,
    format: str = "auto",
    table: str = "standard",
    by: str | None = None,
    exclude_questionable: int | None = None,
    include_reverse_in_quality: bool = False,
    labels: Mapping[str, int] | None = None,
    respondent: str | None = None,
    bootstrap: int = 1000,
    ci_level: float = 0.95,
    seed: int | np.random.Generator | None = 0,
    tie_tolerance: float = 0.0,
    fong_categories: Sequence[str] = MODE_CATEGORIES,
    fong_n: str = "answered",
    fong_z: float = 1.65,
    **read_kwargs,
) -> KanoResult:
    """Kano analysis of a survey: categories, strengths, Fong's test, Better/Worse with bootstrap
    intervals, DuMouchel's continuous scores and mean importance, per feature (and segment).

    Parameters
    ----------
    data : survey in wide or long layout (see :func:`~customer_value.kano.read_responses`,
        which also takes ``format``, ``labels``, ``respondent`` and ``read_kwargs``), or parsed
        :class:`~customer_value.kano.KanoResponses`.
    table : evaluation table, ``"standard"``, ``"pouliot"`` or ``"short"``.
    by : segment column: every statistic is computed per segment.
    exclude_questionable : drop respondents with *more than* this many Q answers (plus R
        answers when ``include_reverse_in_quality``) first; None keeps everyone.
    bootstrap : resamples for the percentile intervals of Better and Worse (0 = none);
        ``seed`` makes them reproducible; ``ci_level`` is their level.
    tie_tolerance : counts within this many answers of the largest tie for the mode.
    fong_categories, fong_n, fong_z : which categories Fong's test compares, which N it uses
        (``"answered"``, ``"categories"`` or ``"respondents"``) and the critical value.

    The summary (:meth:`KanoResult.summary`) has one row per feature with the columns of
    :func:`~customer_value.kano.summarize_counts` (counts, ``n``, shares ``share_A`` …
    ``share_Q`` as fractions, ``category``, ``category_oam``, ``category_strength`` in
    percentage points / 100, ``total_strength``, Fong's test, ``better``, ``worse``) and:
    ``n_missing`` (respondents without a complete answer pair), ``better_ci_low`` …
    ``worse_ci_high`` (percentile bootstrap; Efron & Tibshirani 1993), ``functional_mean/sd``
    and ``dysfunctional_mean/sd`` (DuMouchel, in Berger et al. 1993: functional 4, 2, 0, −1,
    −2 and dysfunctional −2, −1, 0, 2, 4 for answers 1..5, over complete pairs),
    ``importance_mean`` and ``importance_n`` (self-stated importance, 1–9). A feature without
    any complete answer pair is an :class:`~customer_value.io.InputError`.

    >>> survey = pd.DataFrame({"wifi_functional": [1, 1, 2, 1],
    ...                        "wifi_dysfunctional": [5, 3, 5, 5]})
    >>> res = analyze(survey, bootstrap=0)
    >>> res.summary()[["feature", "O", "category", "better", "worse"]]
      feature  O category  better  worse
    0    wifi  2        O    0.75  -0.75
    """
    _check_options(
        table=table,
        exclude_questionable=exclude_questionable,
        bootstrap=bootstrap,
        ci_level=ci_level,
        tie_tolerance=tie_tolerance,
        fong_n=fong_n,
        fong_z=fong_z,
    )
    gen = rng(seed)
    source = source_of(data)
    if isinstance(data, KanoResponses):
        resp = data.with_table(table)
    else:
        resp = read_responses(
            data, format=format, table=table, labels=labels, respondent=respondent, **read_kwargs
        )
    everyone, quality = resp, None
    excluded = resp.respondents[:0]
    if exclude_questionable is not None:
        quality = resp.quality(include_reverse=include_reverse_in_quality)
        flagged = quality["flag_count"].to_numpy() > exclude_questionable
        quality["excluded"] = flagged
        excluded = resp.respondents[flagged]
        if flagged.any():
            resp = resp.subset(~flagged)
    if by is not None and by not in resp.segments.columns:
        raise InputError(
            f"segment column {by!r} not found; available: {list(resp.segments.columns)}",
            source=source,
            columns=[by],
        )
    opts = dict(
        bootstrap=int(bootstrap),
        level=float(ci_level),
        gen=gen,
        tie_tolerance=tie_tolerance,
        fong_categories=fong_categories,
        fong_n=fong_n,
        fong_z=fong_z,
    )
    if by is None:
        summary = _summary_block(resp, None, **opts)
    else:
        seg = resp.segments[by]
        if seg.isna().any():
            seg = seg.astype(object).where(seg.notna(), "(missing)")
        blocks = []
        for value in pd.unique(seg.to_numpy()):
            block = _summary_block(resp, (seg == value).to_numpy(), **opts)
            block.insert(0, by, value)
            blocks.append(block)
        summary = pd.concat(blocks, ignore_index=True)
        with contextlib.suppress(TypeError):  # segments of mixed types keep their order
            summary = summary.sort_values([by], kind="stable").reset_index(drop=True)
    what = "questionable or reverse" if include_reverse_in_quality else "questionable"
    note = (
        f" (after excluding {len(excluded)} respondent(s) with more than "
        f"{exclude_questionable} {what} answer(s))"
        if len(excluded)
        else ""
    )
    _check_usable(summary, note, source)
    summary = summary[([by] if by else []) + SUMMARY_COLUMNS]
    settings = dict(
        table=table,
        by=by,
        exclude_questionable=exclude_questionable,
        include_reverse=include_reverse_in_quality,
        bootstrap=int(bootstrap),
        ci_level=ci_level,
        seed=seed if not isinstance(seed, np.random.Generator) else None,
        tie_tolerance=tie_tolerance,
        fong_categories=tuple(fong_categories),
        fong_n=fong_n,
        fong_z=fong_z,
    )
    return KanoResult(resp, by, summary, excluded, settings, source, everyone, quality)


def analyze_file(
    path: str | os.PathLike,
    *,
    sheet: str | int | None = 0,
    encoding: str | None = None,
    labels: Mapping[str, int] | str | os.PathLike | None = None,
    **options,
) -> KanoResult:
    """:func:`analyze` of a survey file: CSV (UTF-8, UTF-16 or GB18030/GBK, any delimiter),
    Excel or Parquet, read by :func:`customer_value.io.read_table` without modifying it.

    ``labels`` are extra answer wordings: a mapping, or the path of a YAML file of
    ``wording: code`` lines (read by :func:`~customer_value.kano.read_labels`). Other keyword
    arguments go to :func:`analyze`; the arguments are checked before the file is read, and an
    error in the survey names the file.

    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "survey.csv"
    >>> _ = p.write_text("wifi_functional,wifi_dysfunctional\\n1,5\\n1,5\\n2,5\\n", encoding="utf-8")
    >>> analyze_file(p, bootstrap=0).summary()["category"].tolist()
    ['O']
    """
    from ..io import read_table
    from .answers import read_labels

    checked = {
        "table": "standard",
        "exclude_questionable": None,
        "bootstrap": 1000,
        "ci_level": 0.95,
        "tie_tolerance": 0.0,
        "fong_n": "answered",
        "fong_z": 1.65,
    }
    _check_options(**{k: options.get(k, v) for k, v in checked.items()})
    rng(options.get("seed", 0))
    if labels is not None and not isinstance(labels, Mapping):
        labels = read_labels(labels)
    data = read_table(path, sheet=sheet, encoding=encoding)
    try:
        return analyze(data, labels=labels, **options)
    except InputError as err:
        raise err.with_source(path) from None
