"""Survey responses: a wide or long survey table validated and parsed into answer codes.

**Wide** layout: one row per respondent, columns ``<feature>_functional`` and
``<feature>_dysfunctional`` (optionally ``<feature>_importance``, 1–9). **Long** layout: one row
per respondent and feature, columns ``respondent``, ``feature``, ``functional``,
``dysfunctional`` (optionally ``importance``). Every problem of a table is collected and raised
as one :class:`~customer_value.io.InputError` naming the file, the columns and example rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._util import Problems, source_of
from ..io import InputError, example_rows
from .answers import (
    _CAT_INDEX,
    _LABEL_HINT,
    _MISSING,
    _VALID_CODES,
    CATEGORIES,
    _bad_answer_message,
    _cells,
    _check_table,
    _codes_for,
    _lookup,
    _wording_map,
)

__all__ = ["KanoResponses", "read_responses"]

SUFFIXES = ("_functional", "_dysfunctional", "_importance")


@dataclass
class KanoResponses:
    """A parsed survey: answer codes per respondent and feature, ready for analysis.

    ``functional``/``dysfunctional`` are ``(n_respondents, n_features)`` int8 arrays of codes
    1–5 with 0 for a missing answer; ``importance`` is a float array (NaN = missing), or None
    when the survey asked no importance; ``segments`` holds the other per-respondent columns;
    ``table`` is the evaluation table the answers are classified with.

    >>> r = read_responses(pd.DataFrame({"wifi_functional": [1, 2], "wifi_dysfunctional": [5, 5]}))
    >>> r.n_respondents, r.features, r.category_frame()["wifi"].tolist()
    (2, ['wifi'], ['O', 'M'])
    """

    respondents: pd.Index
    features: list[str]
    functional: np.ndarray
    dysfunctional: np.ndarray
    importance: np.ndarray | None
    segments: pd.DataFrame
    table: str = "standard"
    _cells: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def n_respondents(self) -> int:
        return len(self.respondents)

    def cells(self) -> np.ndarray:
        """Answer-pair cell per respondent and feature: (f−1)·5 + (d−1), 25 when missing."""
        if self._cells is None:
            self._cells = _cells(self.functional, self.dysfunctional)
        return self._cells

    def categories(self) -> np.ndarray:
        """Category index per respondent and feature (0..5 = A, O, M, I, R, Q; 6 = missing)."""
        return _lookup(self.table)[self.cells()]

    def category_frame(self) -> pd.DataFrame:
        """Category letters per respondent (rows) and feature (columns); ``""`` when missing."""
        letters = np.array(list(CATEGORIES) + [""], dtype=object)
        return pd.DataFrame(
            letters[self.categories()], index=self.respondents, columns=self.features
        )

    def with_table(self, table: str) -> KanoResponses:
        """The same answers classified with another evaluation table; the three-answer
        ``"short"`` table accepts only like, neutral and dislike (codes 1, 3, 5)."""
        if _check_table(table) == self.table:
            return self
        valid = np.zeros(6, dtype=bool)
        valid[[0, *_VALID_CODES[table]]] = True
        for side, codes in (("functional", self.functional), ("dysfunctional", self.dysfunctional)):
            bad = ~valid[codes]
            if bad.any():
                j = int(np.flatnonzero(bad.any(axis=0))[0])
                raise InputError(
                    f"the {table!r} table has no answer "
                    f"{sorted(set(codes[bad].tolist()))}: {int(bad.sum())} {side} answers "
                    f"(first feature: {self.features[j]!r}) cannot be classified with it"
                )
        return KanoResponses(
            self.respondents,
            list(self.features),
            self.functional,
            self.dysfunctional,
            self.importance,
            self.segments,
            table,
        )

    def subset(self, keep) -> KanoResponses:
        """The responses of the respondents selected by the boolean mask ``keep``."""
        keep = np.asarray(keep, dtype=bool)
        imp = None if self.importance is None else self.importance[keep]
        return KanoResponses(
            self.respondents[keep],
            list(self.features),
            self.functional[keep],
            self.dysfunctional[keep],
            imp,
            self.segments.loc[keep].reset_index(drop=True),
            self.table,
        )

    def to_long(self) -> pd.DataFrame:
        """One row per respondent and feature: respondent, feature, functional, dysfunctional,
        importance (codes; missing as <NA>), plus the segment columns; :func:`read_responses`
        reads it back with ``format="long"``."""
        n, k = self.functional.shape
        out = pd.DataFrame(
            {
                "respondent": np.repeat(self.respondents.to_numpy(), k),
                "feature": np.tile(np.array(self.features, dtype=object), n),
                "functional": pd.array(self.functional.ravel(), dtype="Int64"),
                "dysfunctional": pd.array(self.dysfunctional.ravel(), dtype="Int64"),
                "importance": (
                    np.full(n * k, np.nan) if self.importance is None else self.importance.ravel()
                ),
            }
        )
        for col in ("functional", "dysfunctional"):
            out.loc[out[col] == 0, col] = pd.NA
        for col in self.segments.columns:
            out[col] = np.repeat(self.segments[col].to_numpy(), k)
        return out

    def quality(self, *, include_reverse: bool = False) -> pd.DataFrame:
        """Per respondent: complete answer pairs (``answered``), the number and share of Q and
        of R pairs, and ``flag_count``, the number of Q pairs (plus R pairs when
        ``include_reverse``) that :func:`~customer_value.kano.analyze` compares with
        ``exclude_questionable``. Shares are fractions of ``answered``.

        >>> df = pd.DataFrame({"a_functional": [1, 1], "a_dysfunctional": [1, 5]})
        >>> read_responses(df).quality()["n_questionable"].tolist()
        [1, 0]
        """
        cat = self.categories()
        answered = (cat != _MISSING).sum(axis=1)
        nq = (cat == _CAT_INDEX["Q"]).sum(axis=1)
        nr = (cat == _CAT_INDEX["R"]).sum(axis=1)
        denom = np.maximum(answered, 1)
        out = pd.DataFrame(
            {
                "respondent": self.respondents.to_numpy(),
                "answered": answered,
                "n_questionable": nq,
                "n_reverse": nr,
                "share_questionable": np.where(answered > 0, nq / denom, np.nan),
                "share_reverse": np.where(answered > 0, nr / denom, np.nan),
            }
        )
        out["flag_count"] = nq + (nr if include_reverse else 0)
        return out


def read_responses(
    data: pd.DataFrame,
    *,
    format: str = "auto",
    table: str = "standard",
    labels: Mapping[str, int] | None = None,
    respondent: str | None = None,
    feature: str = "feature",
    functional: str = "functional",
    dysfunctional: str = "dysfunctional",
    importance: str = "importance",
    suffixes: tuple[str, str, str] = SUFFIXES,
) -> KanoResponses:
    """Validate a survey table and parse it into :class:`KanoResponses` (answer codes per
    respondent and feature).

    **Wide** (one row per respondent): columns ``<feature>_functional`` and
    ``<feature>_dysfunctional``, optionally ``<feature>_importance`` (1–9); any other column is
    kept as a possible segment. ``respondent`` names an ID column (must be unique).

    **Long** (one row per respondent and feature): columns ``respondent`` (default name
    ``"respondent"``), ``feature``, ``functional``, ``dysfunctional`` and optionally
    ``importance``; other columns must be constant per respondent and are kept as segments.

    ``format="auto"`` picks wide when ``<feature>_functional`` columns exist. Answers are
    parsed by :func:`~customer_value.kano.parse_answers` (codes or wordings, plus ``labels``).
    Unknown answers, codes outside the table's scale, importance outside 1–9, duplicated
    respondents and missing columns all raise one :class:`~customer_value.io.InputError`
    naming the columns and example rows. The functional/dysfunctional question pair and the
    1–9 self-stated importance are those of Berger et al. (1993).

    >>> long = pd.DataFrame({"respondent": [1, 1, 2], "feature": ["a", "b", "a"],
    ...                      "functional": ["I like it", 2, 3], "dysfunctional": [5, 5, 3]})
    >>> r = read_responses(long)
    >>> r.features, r.functional.tolist()
    (['a', 'b'], [[1, 2], [3, 0]])
    """
    _check_table(table)
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            "data must be a pandas DataFrame (read files with customer_value.io.read_table)"
        )
    suffixes = tuple(suffixes)
    if len(suffixes) != 3 or not all(isinstance(s, str) and s for s in suffixes):
        raise InputError(
            "suffixes must be three non-empty column-name endings (functional, dysfunctional, "
            f"importance), e.g. _f,_d,_imp; got {suffixes!r}"
        )
    layout = _detect_format(data, suffixes, functional) if format == "auto" else format
    if layout == "wide":
        return _read_wide(data, table, labels, respondent, suffixes)
    if layout == "long":
        return _read_long(
            data,
            table,
            labels,
            respondent or "respondent",
            feature,
            functional,
            dysfunctional,
            importance,
        )
    raise InputError(f"format must be 'auto', 'wide' or 'long', not {format!r}")


def _detect_format(df: pd.DataFrame, suffixes: tuple[str, str, str], functional: str) -> str:
    if any(str(c).endswith(suffixes[0]) for c in df.columns):
        return "wide"
    if functional in df.columns:
        return "long"
    raise InputError(
        f"cannot tell the survey layout: no '<feature>{suffixes[0]}' columns (wide format) and no "
        f"{functional!r} column (long format). Columns present: {list(df.columns)[:20]}",
        source=source_of(df),
    )


def _wide_features(df: pd.DataFrame, suffixes) -> tuple[list[str], list[str]]:
    fs, ds, is_ = suffixes
    cols = [str(c) for c in df.columns]
    stems_f = [c[: -len(fs)] for c in cols if c.endswith(fs) and not c.endswith(ds)]
    stems_d = {c[: -len(ds)] for c in cols if c.endswith(ds)}
    features = [s for s in stems_f if s in stems_d]
    lonely = sorted(set(stems_f) ^ stems_d)
    if lonely:
        raise InputError(
            "each feature needs both a functional and a dysfunctional column; unpaired: "
            + ", ".join(f"{s!r}" for s in lonely)
            + f" (expected '<feature>{fs}' and '<feature>{ds}')",
            source=source_of(df),
            columns=lonely,
        )
    if not features:
        raise InputError(
            f"no feature columns '<feature>{fs}' / '<feature>{ds}' found; columns "
            f"present: {cols[:20]}",
            source=source_of(df),
        )
    used = {f + s for f in features for s in (fs, ds)} | {f + is_ for f in features}
    others = [c for c in cols if c not in used]
    return features, others


def _check_unique(df: pd.DataFrame, keys: list[str], what: str) -> None:
    from ..io import pandera, validate

    pa = pandera()
    schema = pa.DataFrameSchema(
        {k: pa.Column(nullable=False, coerce=False) for k in keys},
        unique=keys if len(keys) > 1 else None,
        strict=False,
    )
    if len(keys) == 1:
        schema = schema.update_column(keys[0], unique=True)
    try:
        validate(df[keys], schema, source=source_of(df))
    except InputError as err:
        dup = df.duplicated(keys, keep=False)
        if dup.any():
            raise InputError(
                f"duplicated {what}: {int(dup.sum())} rows share a {'/'.join(keys)} "
                "value\n" + example_rows(df, dup.to_numpy(), keys),
                source=source_of(df),
                columns=keys,
            ) from None
        raise err


def _require(df: pd.DataFrame, columns: list[str]) -> None:
    from ..io import pandera, validate

    pa = pandera()
    validate(
        df,
        pa.DataFrameSchema(
            {c: pa.Column(required=True, nullable=True) for c in columns}, strict=False
        ),
        source=source_of(df),
    )


def _parse_importance(values: pd.Series, column: str, problems: Problems) -> np.ndarray:
    x = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan).copy()
    raw_missing = values.isna().to_numpy() | (values.astype(str).str.strip() == "").to_numpy()
    bad = (~raw_missing & np.isnan(x)) | (~np.isnan(x) & ((x < 1) | (x > 9)))
    if bad.any():
        problems.add_values(column, values, bad)
    x[bad] = np.nan
    return x


def _answer_problems(df, table, respondent) -> Problems:
    return Problems(_bad_answer_message(table), frame=df, hint=_LABEL_HINT, id_column=respondent)


def _scale_problems(df, respondent) -> Problems:
    return Problems(
        "importance ratings must be numbers from 1 to 9:", frame=df, id_column=respondent
    )


def _read_wide(df, table, labels, respondent, suffixes) -> KanoResponses:
    features, others = _wide_features(df, suffixes)
    if respondent is not None:
        _require(df, [respondent])
        _check_unique(df, [respondent], "respondent IDs")
        ids = pd.Index(df[respondent].to_numpy(), name="respondent")
        others = [c for c in others if c != respondent]
    else:
        ids = pd.RangeIndex(len(df), name="respondent")
    wordings = _wording_map(labels)
    valid = _VALID_CODES[table]
    n, k = len(df), len(features)
    F = np.zeros((n, k), dtype=np.int8, order="F")  # column-major: one feature is contiguous
    D = np.zeros((n, k), dtype=np.int8, order="F")
    fs, ds, is_ = suffixes
    has_imp = any(feat + is_ in df.columns for feat in features)
    imp = np.full((n, k), np.nan, order="F") if has_imp else None
    answers, scale = _answer_problems(df, table, respondent), _scale_problems(df, respondent)
    for j, feat in enumerate(features):
        for arr, col in ((F, feat + fs), (D, feat + ds)):
            codes, bad = _codes_for(df[col], wordings, valid)
            if bad.any():
                answers.add_values(col, df[col], bad)
            arr[:, j] = codes
        if feat + is_ in df.columns:
            imp[:, j] = _parse_importance(df[feat + is_], feat + is_, scale)
    answers.raise_if_any()
    scale.raise_if_any()
    segments = df[others].reset_index(drop=True) if others else pd.DataFrame(index=range(n))
    return KanoResponses(ids, features, F, D, imp, segments, table)


def _read_long(
    df, table, labels, respondent, feature, functional, dysfunctional, importance
) -> KanoResponses:
    _require(df, [respondent, feature, functional, dysfunctional])
    _check_unique(df, [respondent, feature], "respondent/feature pairs")
    wordings = _wording_map(labels)
    valid = _VALID_CODES[table]
    answers = _answer_problems(df, table, respondent)
    fc, fbad = _codes_for(df[functional], wordings, valid)
    dc, dbad = _codes_for(df[dysfunctional], wordings, valid)
    for col, bad in ((functional, fbad), (dysfunctional, dbad)):
        if bad.any():
            answers.add_values(col, df[col], bad)
    answers.raise_if_any()
    scale = _scale_problems(df, respondent)
    imp = _parse_importance(df[importance], importance, scale) if importance in df.columns else None
    scale.raise_if_any()
    r_idx, r_uniques = pd.factorize(df[respondent], sort=False)
    f_idx, f_uniques = pd.factorize(df[feature].astype(str), sort=False)
    n, k = len(r_uniques), len(f_uniques)
    F = np.zeros((n, k), dtype=np.int8)
    D = np.zeros((n, k), dtype=np.int8)
    F[r_idx, f_idx] = fc
    D[r_idx, f_idx] = dc
    I_ = None
    if imp is not None:
        I_ = np.full((n, k), np.nan)
        I_[r_idx, f_idx] = imp
    others = [
        c
        for c in df.columns
        if c not in {respondent, feature, functional, dysfunctional, importance}
    ]
    seg = pd.DataFrame(index=range(n))
    for c in others:
        per = df.groupby(r_idx, sort=True)[c].nunique(dropna=False)
        if (per > 1).any():
            bad_ids = r_uniques[per.index[per > 1].to_numpy()]
            mask = df[respondent].isin(bad_ids).to_numpy()
            raise InputError(
                f"column {c!r} is not constant within a respondent, so it cannot be a "
                f"segment ({int((per > 1).sum())} respondents differ)\n"
                + example_rows(df, mask, [respondent, c]),
                source=source_of(df),
                columns=[c],
            )
        first = df.groupby(r_idx, sort=True)[c].first()
        seg[c] = first.reindex(range(n)).to_numpy()
    return KanoResponses(
        pd.Index(r_uniques, name="respondent"), [str(x) for x in f_uniques], F, D, I_, seg, table
    )
