"""Kano analysis of customer requirements (Kano 需求模型).

Each feature of a product or service is asked about twice: the *functional* question (how do you
feel if the feature is present?) and the *dysfunctional* question (... if it is absent?). Both are
answered on the same five-point scale, 1 like, 2 must-be/expect, 3 neutral, 4 live-with/tolerate,
5 dislike. The pair of answers is classified with an evaluation table into one of six categories:

====  ===================  ===========
code  category             中文
====  ===================  ===========
A     attractive           魅力需求
O     one-dimensional      期望需求
M     must-be              必备需求
I     indifferent          无差异需求
R     reverse              反向需求
Q     questionable         可疑结果
====  ===================  ===========

Sources: Kano, Seraku, Takahashi & Tsuji (1984), "Attractive quality and must-be quality",
*Hinshitsu* 14(2); Berger et al. (1993), "Kano's methods for understanding customer-defined
quality", *Center for Quality Management Journal* 2(4); Matzler & Hinterhuber (1998),
*Technovation* 18(1); Sauerwein, Bailom, Matzler & Hinterhuber (1996); Fong (1996); Lee & Newcomb
(1997); Timko in Berger et al. (1993); DuMouchel in Berger et al. (1993).

The main entry point is :func:`analyze`; :func:`summarize_counts` computes every per-feature
statistic from category counts alone (e.g. a table printed in a paper).
"""

from __future__ import annotations

import contextlib
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .io import InputError, example_rows

__all__ = [
    "CATEGORIES",
    "CATEGORY_NAMES",
    "ANSWER_NAMES",
    "ANSWER_WORDINGS",
    "TABLES",
    "evaluation_table",
    "parse_answers",
    "classify",
    "KanoResponses",
    "read_responses",
    "KanoResult",
    "analyze",
    "summarize_counts",
    "category_by_mode",
    "category_by_oam",
    "fong_test",
    "better_worse",
    "chi_square_by_segment",
    "plot_better_worse",
    "plot_categories",
    "plot_continuous",
    "plot_answer_pairs",
    "CATEGORY_COLORS",
]

CATEGORIES = ("A", "O", "M", "I", "R", "Q")
CATEGORY_NAMES = {
    "A": ("attractive", "魅力需求"),
    "O": ("one-dimensional", "期望需求"),
    "M": ("must-be", "必备需求"),
    "I": ("indifferent", "无差异需求"),
    "R": ("reverse", "反向需求"),
    "Q": ("questionable", "可疑结果"),
}
#: Colours used by every Kano plot, so a category looks the same everywhere in the course.
CATEGORY_COLORS = {
    "A": "#2a9d8f",
    "O": "#264653",
    "M": "#e76f51",
    "I": "#b0b0b0",
    "R": "#9b5de5",
    "Q": "#f4d35e",
}
ANSWER_NAMES = {1: "like", 2: "must-be", 3: "neutral", 4: "live-with", 5: "dislike"}

#: Priority when counts tie: the category with the larger impact on the product wins
#: (Matzler & Hinterhuber 1998; Sauerwein et al. 1996): M > O > A > I; then R, then Q.
TIE_PRIORITY = ("M", "O", "A", "I", "R", "Q")
_CAT_INDEX = {c: i for i, c in enumerate(CATEGORIES)}
#: Categories that can be a feature's category by the mode rule: Q (a contradictory answer
#: pair) never can.
MODE_CATEGORIES = ("A", "O", "M", "I", "R")
_MISSING = len(CATEGORIES)  # category index 6: a respondent without a complete pair

#: Wordings of the five answers in use: classic (Kano 1984 / Berger 1993), short, Blauth, and the
#: Chinese wordings of questionnaires in the source material. Matched after normalisation
#: (case, width, white space and trailing punctuation ignored).
ANSWER_WORDINGS: dict[int, tuple[str, ...]] = {
    1: (
        "I like it that way",
        "I like it",
        "like",
        "like it",
        "I like",
        "very helpful",
        "我很喜欢",
        "很喜欢",
        "喜欢",
        "非常喜欢",
        "我喜欢",
        "满意",
        "非常满意",
    ),
    2: (
        "It must be that way",
        "It must be",
        "must be",
        "must-be",
        "I expect it",
        "expect it",
        "expect",
        "I expect it that way",
        "basic requirement",
        "理所当然",
        "理应如此",
        "应该如此",
        "本应如此",
        "必须这样",
        "必须的",
        "必备",
        "应该的",
    ),
    3: (
        "I am neutral",
        "I'm neutral",
        "neutral",
        "I feel neutral",
        "would not affect me",
        "does not affect me",
        "无所谓",
        "中立",
        "没感觉",
        "一般",
        "都可以",
    ),
    4: (
        "I can live with it that way",
        "I can live with it",
        "live with",
        "live-with",
        "I can tolerate it",
        "I can tolerate it that way",
        "tolerate",
        "tolerate it",
        "minor inconvenience",
        "能忍受",
        "可以忍受",
        "勉强接受",
        "能接受",
        "可以接受",
        "忍受",
    ),
    5: (
        "I dislike it that way",
        "I dislike it",
        "dislike",
        "dislike it",
        "I dislike",
        "major problem",
        "我很不喜欢",
        "很不喜欢",
        "不喜欢",
        "我不喜欢",
        "非常不喜欢",
        "不满意",
        "非常不满意",
    ),
}

_T = {
    # rows: functional answer 1..5; columns: dysfunctional answer 1..5
    "standard": ["QAAAO", "RIIIM", "RIIIM", "RIIIM", "RRRRQ"],
    # Pouliot's modified table (Berger et al. 1993, p. 33): (must-be, must-be) and
    # (live-with, live-with) are contradictory too.
    "pouliot": ["QAAAO", "RQIIM", "RIIIM", "RIIQM", "RRRRQ"],
    # three-answer short form (like, neutral, dislike), stored on the same 1..5 codes (1, 3, 5);
    # "." marks answers that do not exist on that form.
    "short": ["A.A.O", ".....", "I.I.M", ".....", "I.I.M"],
}
TABLES = {name: tuple(rows) for name, rows in _T.items()}
_VALID_CODES = {"standard": (1, 2, 3, 4, 5), "pouliot": (1, 2, 3, 4, 5), "short": (1, 3, 5)}

_FUNCTIONAL_SCORES = np.array([np.nan, 4.0, 2.0, 0.0, -1.0, -2.0])
_DYSFUNCTIONAL_SCORES = np.array([np.nan, -2.0, -1.0, 0.0, 2.0, 4.0])


def _check_table(table: str) -> str:
    if table not in TABLES:
        raise ValueError(f"unknown evaluation table {table!r}; choose one of {sorted(TABLES)}")
    return table


def evaluation_table(table: str = "standard") -> pd.DataFrame:
    """Return an evaluation table as a labelled 5×5 (or 3×3) DataFrame.

    Rows are the functional answer, columns the dysfunctional answer. ``table`` is ``"standard"``
    (Kano et al. 1984; Berger et al. 1993), ``"pouliot"`` (Pouliot's modification, Berger et al.
    1993 p. 33) or ``"short"`` (the three-answer form).

    >>> evaluation_table().loc["like", "dislike"]
    'O'
    """
    rows = TABLES[_check_table(table)]
    codes = _VALID_CODES[table]
    names = [ANSWER_NAMES[c] for c in codes]
    data = [[rows[f - 1][d - 1] for d in codes] for f in codes]
    out = pd.DataFrame(
        data,
        index=pd.Index(names, name="functional"),
        columns=pd.Index(names, name="dysfunctional"),
    )
    return out


def _lookup(table: str) -> np.ndarray:
    """Category index for each cell code (f−1)·5 + (d−1); cell 25 = missing; −1 = invalid."""
    rows = TABLES[table]
    lut = np.full(26, -1, dtype=np.int8)
    for f in range(5):
        for d in range(5):
            letter = rows[f][d]
            if letter != ".":
                lut[f * 5 + d] = _CAT_INDEX[letter]
    lut[25] = _MISSING
    return lut


# --------------------------------------------------------------------------------------------
# answers: codes and wordings
# --------------------------------------------------------------------------------------------

_PUNCT = re.compile(r"[\s.。!！,，;；:：\"'“”‘’「」()（）]+$")
_PREFIX = re.compile(r"^\(?([1-5])[\).、.:：\s-]+\s*(.+)$")


def _normalize(text: str) -> str:
    s = unicodedata.normalize("NFKC", str(text)).replace("’", "'").replace("‘", "'")
    s = " ".join(s.split()).casefold()
    s = _PUNCT.sub("", s)
    return s.strip("\"' ")


def _wording_map(labels: Mapping[str, int] | None) -> dict[str, int]:
    out: dict[str, int] = {}
    for code, words in ANSWER_WORDINGS.items():
        for w in words:
            out[_normalize(w)] = code
    for w, code in (labels or {}).items():
        if int(code) not in ANSWER_NAMES:
            raise ValueError(f"label {w!r} maps to {code!r}; Kano answer codes are 1..5")
        out[_normalize(w)] = int(code)
    return out


def _parse_token(token, wordings: Mapping[str, int]) -> int | None:
    """Code 1..5 for one distinct raw value, or None when it is not a Kano answer."""
    if isinstance(token, (int, np.integer)):
        return int(token) if 1 <= token <= 5 else None
    if isinstance(token, (float, np.floating)):
        return int(token) if float(token).is_integer() and 1 <= token <= 5 else None
    s = _normalize(token)
    if s in wordings:
        return wordings[s]
    try:
        x = float(s)
    except ValueError:
        m = _PREFIX.match(s)
        if m and wordings.get(_normalize(m.group(2))) == int(m.group(1)):
            return int(m.group(1))
        return None
    return int(x) if x.is_integer() and 1 <= x <= 5 else None


@dataclass
class _Problems:
    """Offending values collected over many columns, reported as one InputError."""

    frame: pd.DataFrame | None
    what: str
    hint: str = ""
    id_column: str | None = None
    items: list = field(default_factory=list)

    def add(self, column: str, values: pd.Series, mask: np.ndarray) -> None:
        shown = values[mask].map(
            lambda v: str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
        )
        counts = shown.value_counts()
        self.items.append((column, counts, mask))

    def raise_if_any(self) -> None:
        if not self.items:
            return
        lines = [self.what]
        for column, counts, mask in self.items:
            vals = ", ".join(f"{v!r} ({n} row{'s' if n != 1 else ''})" for v, n in counts.items())
            lines.append(f"column {column!r}: {vals}")
            if self.frame is not None and column in self.frame.columns:
                shown = [self.id_column, column] if self.id_column else [column]
                lines.append(example_rows(self.frame, mask, shown))
        if self.hint:
            lines.append(self.hint)
        source = (
            None
            if self.frame is None
            else self.frame.attrs.get("customer_value_source", {}).get("path")
        )
        raise InputError("\n".join(lines), source=source, columns=[c for c, _, _ in self.items])


def _codes_for(values: pd.Series, wordings: Mapping[str, int], valid: Sequence[int]):
    """Vectorised parse of one column: (int8 codes with 0 = missing, mask of invalid rows)."""
    n = len(values)
    validset = np.zeros(6, dtype=bool)
    validset[list(valid)] = True
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "iu":
        x = values.to_numpy()
        inrange = (x >= 1) & (x <= 5)
        codes = np.where(inrange, x, 0).astype(np.int8)
        ok = inrange & validset[codes]
        codes[~ok] = 0
        return codes, ~ok
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        x = values.to_numpy(dtype="float64", na_value=np.nan)
        missing = np.isnan(x)
        ok = ~missing & (x >= 1) & (x <= 5) & (np.floor(x) == x)
        codes = np.zeros(n, dtype=np.int8)
        codes[ok] = x[ok].astype(np.int8)
        ok &= validset[codes]
        codes[~ok] = 0
        return codes, ~ok & ~missing
    idx, uniques = pd.factorize(values, use_na_sentinel=True)
    table = np.zeros(len(uniques) + 1, dtype=np.int8)  # last slot: NA sentinel (-1)
    bad_u = np.zeros(len(uniques) + 1, dtype=bool)
    for i, u in enumerate(uniques):
        if isinstance(u, str) and not u.strip():
            continue  # blank text counts as missing
        code = _parse_token(u, wordings)
        if code is None or not validset[code]:
            bad_u[i] = True
        else:
            table[i] = code
    return table[idx], bad_u[idx]


def parse_answers(
    values,
    *,
    labels: Mapping[str, int] | None = None,
    table: str = "standard",
    column: str = "answer",
) -> np.ndarray:
    """Convert Kano answers (codes 1–5 or wordings) to integer codes; missing becomes 0.

    Codes may be numbers or text (``"3"``); wordings are the classic, short, Blauth and Chinese
    ones in :data:`ANSWER_WORDINGS`, matched case-, width- and white-space-insensitively, plus any
    ``labels`` mapping of your own (wording → code). A value that is neither raises
    :class:`~customer_value.io.InputError` listing each distinct offending value with its count;
    nothing is silently turned into Q.

    >>> parse_answers(["I like it", "理所当然", 5, None]).tolist()
    [1, 2, 5, 0]
    """
    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    codes, bad = _codes_for(s, _wording_map(labels), _VALID_CODES[_check_table(table)])
    if bad.any():
        p = _Problems(
            s.to_frame(column) if isinstance(values, pd.Series) else None,
            _bad_answer_message(table),
            _LABEL_HINT,
        )
        p.add(column, s, bad)
        p.raise_if_any()
    return codes


def _bad_answer_message(table: str) -> str:
    codes = "/".join(map(str, _VALID_CODES[table]))
    return (
        f"answers that are not Kano answers (codes {codes} on the {table!r} table, or a known "
        "wording):"
    )


_LABEL_HINT = (
    "Known wordings include 'I like it', 'I expect it', 'I'm neutral', 'I can tolerate it', "
    "'I dislike it', 'very helpful', 'major problem', 我很喜欢/理所当然/无所谓/能忍受/我很不喜欢; "
    "map your own wordings with labels={'wording': code} (CLI: --labels labels.yaml)."
)


def classify(
    functional, dysfunctional, *, table: str = "standard", labels: Mapping[str, int] | None = None
) -> np.ndarray:
    """Classify answer pairs into Kano categories with an evaluation table.

    ``functional`` and ``dysfunctional`` are equal-length sequences of codes or wordings. Returns
    an array of category letters; a pair with a missing answer gives ``""``.

    >>> classify([1, 2, 1], [5, 5, 3]).tolist()
    ['O', 'M', 'A']
    """
    f = parse_answers(functional, labels=labels, table=table, column="functional")
    d = parse_answers(dysfunctional, labels=labels, table=table, column="dysfunctional")
    if len(f) != len(d):
        raise ValueError("functional and dysfunctional must have the same length")
    cat = _categorize(f, d, table)
    letters = np.array(list(CATEGORIES) + [""], dtype=object)
    return letters[cat]


def _cells(f: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Answer-pair cell (f−1)·5 + (d−1) in 0..24, or 25 when an answer is missing (int8)."""
    cell = (f - 1) * 5 + (d - 1)
    cell = cell.astype(np.int8, copy=False)
    cell[(f == 0) | (d == 0)] = 25
    return cell


def _categorize(f: np.ndarray, d: np.ndarray, table: str) -> np.ndarray:
    return _lookup(table)[_cells(np.asarray(f, dtype=np.int8), np.asarray(d, dtype=np.int8))]


# --------------------------------------------------------------------------------------------
# responses: wide and long input
# --------------------------------------------------------------------------------------------


@dataclass
class KanoResponses:
    """Parsed survey: answer codes per respondent and feature, ready for analysis.

    ``functional``/``dysfunctional`` are ``(n_respondents, n_features)`` int8 arrays of codes
    1–5 with 0 for a missing answer; ``importance`` is a float array (NaN = missing), or None
    when the survey asked no importance;
    ``segments`` holds the other per-respondent columns.
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
        """Category index per respondent and feature (0..5 = A,O,M,I,R,Q; 6 = missing)."""
        return _lookup(self.table)[self.cells()]

    def category_frame(self) -> pd.DataFrame:
        """Category letters per respondent (rows) and feature (columns); ``""`` when missing."""
        letters = np.array(list(CATEGORIES) + [""], dtype=object)
        return pd.DataFrame(
            letters[self.categories()], index=self.respondents, columns=self.features
        )

    def subset(self, keep: np.ndarray) -> KanoResponses:
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
        importance (codes; missing as <NA>), plus the segment columns."""
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
        """Per respondent: answered pairs, number and share of Q and of R answers.

        ``flag_count`` is the number of Q answers (plus R answers when ``include_reverse``), the
        quantity compared with a threshold by :func:`analyze` (``exclude_questionable``).
        """
        cat = self.categories()
        answered = (cat != _MISSING).sum(axis=1)
        nq = (cat == _CAT_INDEX["Q"]).sum(axis=1)
        nr = (cat == _CAT_INDEX["R"]).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = pd.DataFrame(
                {
                    "respondent": self.respondents.to_numpy(),
                    "answered": answered,
                    "n_questionable": nq,
                    "n_reverse": nr,
                    "share_questionable": np.where(
                        answered > 0, nq / np.maximum(answered, 1), np.nan
                    ),
                    "share_reverse": np.where(answered > 0, nr / np.maximum(answered, 1), np.nan),
                }
            )
        out["flag_count"] = nq + (nr if include_reverse else 0)
        return out


def _detect_format(df: pd.DataFrame, suffixes: tuple[str, str, str], functional: str) -> str:
    if any(str(c).endswith(suffixes[0]) for c in df.columns):
        return "wide"
    if functional in df.columns:
        return "long"
    raise InputError(
        f"cannot tell the survey layout: no '<feature>{suffixes[0]}' columns (wide format) and no "
        f"{functional!r} column (long format). Columns present: {list(df.columns)[:20]}",
        source=df.attrs.get("customer_value_source", {}).get("path"),
    )


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
    suffixes: tuple[str, str, str] = ("_functional", "_dysfunctional", "_importance"),
) -> KanoResponses:
    """Validate a survey table and parse it into :class:`KanoResponses`.

    **Wide** (one row per respondent): columns ``<feature>_functional`` and
    ``<feature>_dysfunctional``, optionally ``<feature>_importance`` (1–9); any other column is
    kept as a possible segment. ``respondent`` names an ID column (must be unique).

    **Long** (one row per respondent and feature): columns ``respondent`` (default name
    ``"respondent"``), ``feature``, ``functional``, ``dysfunctional`` and optionally
    ``importance``; other columns must be constant per respondent and are kept as segments.

    ``format="auto"`` picks wide when ``<feature>_functional`` columns exist. Unknown answers,
    codes outside the table's scale, importance outside 1–9, duplicated respondents and missing
    columns all raise one :class:`~customer_value.io.InputError` naming columns and example rows.
    """
    _check_table(table)
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            "data must be a pandas DataFrame (read files with customer_value.io.read_table)"
        )
    fmt = _detect_format(data, suffixes, functional) if format == "auto" else format
    if fmt == "wide":
        return _read_wide(data, table, labels, respondent, suffixes)
    if fmt == "long":
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
    raise ValueError(f"format must be 'auto', 'wide' or 'long', not {format!r}")


def _source(df):
    return df.attrs.get("customer_value_source", {}).get("path")


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
            source=_source(df),
            columns=lonely,
        )
    if not features:
        raise InputError(
            f"no feature columns '<feature>{fs}' / '<feature>{ds}' found; columns "
            f"present: {cols[:20]}",
            source=_source(df),
        )
    used = {f + s for f in features for s in (fs, ds)} | {f + is_ for f in features}
    others = [c for c in cols if c not in used]
    return features, others


def _check_unique(df: pd.DataFrame, keys: list[str], what: str) -> None:
    from .io import pandera, validate

    pa = pandera()

    schema = pa.DataFrameSchema(
        {k: pa.Column(nullable=False, coerce=False) for k in keys},
        unique=keys if len(keys) > 1 else None,
        strict=False,
    )
    if len(keys) == 1:
        schema = schema.update_column(keys[0], unique=True)
    try:
        validate(df[keys], schema, source=_source(df))
    except InputError as err:
        dup = df.duplicated(keys, keep=False)
        if dup.any():
            raise InputError(
                f"duplicated {what}: {int(dup.sum())} rows share a {'/'.join(keys)} "
                "value\n" + example_rows(df, dup.to_numpy(), keys),
                source=_source(df),
                columns=keys,
            ) from None
        raise err


def _require(df: pd.DataFrame, columns: list[str]) -> None:
    from .io import pandera, validate

    pa = pandera()

    validate(
        df,
        pa.DataFrameSchema(
            {c: pa.Column(required=True, nullable=True) for c in columns}, strict=False
        ),
        source=_source(df),
    )


def _parse_importance(values: pd.Series, column: str, problems: _Problems) -> np.ndarray:
    x = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan).copy()
    raw_missing = values.isna().to_numpy() | (values.astype(str).str.strip() == "").to_numpy()
    bad = (~raw_missing & np.isnan(x)) | (~np.isnan(x) & ((x < 1) | (x > 9)))
    if bad.any():
        problems.add(column, values, bad)
    x[bad] = np.nan
    return x


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
    has_imp = any(feat + suffixes[2] in df.columns for feat in features)
    imp = np.full((n, k), np.nan, order="F") if has_imp else None
    answers = _Problems(df, _bad_answer_message(table), _LABEL_HINT, respondent)
    scale = _Problems(df, "importance ratings must be numbers from 1 to 9:", id_column=respondent)
    fs, ds, is_ = suffixes
    for j, feat in enumerate(features):
        for arr, col in ((F, feat + fs), (D, feat + ds)):
            codes, bad = _codes_for(df[col], wordings, valid)
            if bad.any():
                answers.add(col, df[col], bad)
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
    answers = _Problems(df, _bad_answer_message(table), _LABEL_HINT, respondent)
    fc, fbad = _codes_for(df[functional], wordings, valid)
    dc, dbad = _codes_for(df[dysfunctional], wordings, valid)
    for col, bad in ((functional, fbad), (dysfunctional, dbad)):
        if bad.any():
            answers.add(col, df[col], bad)
    answers.raise_if_any()
    scale = _Problems(df, "importance ratings must be numbers from 1 to 9:", id_column=respondent)
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
    if importance in df.columns:
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
                source=_source(df),
                columns=[c],
            )
        first = df.groupby(r_idx, sort=True)[c].first()
        seg[c] = first.reindex(range(n)).to_numpy()
    return KanoResponses(
        pd.Index(r_uniques, name="respondent"), [str(x) for x in f_uniques], F, D, I_, seg, table
    )


# --------------------------------------------------------------------------------------------
# statistics from counts
# --------------------------------------------------------------------------------------------


def _rank_categories(counts: np.ndarray, eligible: Sequence[str], tolerance: float = 0.0):
    """Rank eligible categories per row: largest count first; counts within ``tolerance`` of the
    largest count as tied with it, and ties go to the earlier category in TIE_PRIORITY.

    Returns (category letters in priority order, per-row ranking as indices into them, counts).
    """
    order = [c for c in TIE_PRIORITY if c in eligible]
    sub = counts[:, [_CAT_INDEX[c] for c in order]].astype(float)
    ranked = np.empty(sub.shape, dtype=int)
    for r in range(sub.shape[0]):
        row = sub[r]
        best = row.max() if row.size else 0.0
        tied = [j for j in range(len(order)) if best - row[j] <= tolerance]
        rest = sorted((j for j in range(len(order)) if j not in tied), key=lambda j: (-row[j], j))
        ranked[r] = sorted(tied) + rest
    return np.array(order, dtype=object), ranked, sub


def category_by_mode(
    counts: pd.DataFrame, *, include_reverse: bool = True, tie_tolerance: float = 0.0
) -> pd.Series:
    """Category with the most answers; Q never wins; ties broken M > O > A > I (> R).

    ``counts`` has columns A, O, M, I, R, Q. Counts within ``tie_tolerance`` (in answers) of the
    largest are treated as tied ("near-ties"), and the category with the largest impact on the
    product wins (Matzler & Hinterhuber 1998; Sauerwein et al. 1996). Returns ``<NA>`` for a
    feature without any eligible answer.

    >>> category_by_mode(pd.DataFrame({"A": [3], "O": [3], "M": [1], "I": [0], "R": [0], "Q": [5]}))[0]
    'O'
    """
    c = _count_matrix(counts)
    eligible = ["A", "O", "M", "I"] + (["R"] if include_reverse else [])
    order, ranked, sub = _rank_categories(c, eligible, tie_tolerance)
    top = order[ranked[:, 0]]
    has = sub.sum(axis=1) > 0
    return pd.Series(np.where(has, top, None), index=counts.index, name="category", dtype="string")


def category_by_oam(counts: pd.DataFrame) -> pd.Series:
    """The (O+A+M) vs (I+R+Q) rule (Berger et al. 1993; Matzler & Hinterhuber 1998).

    If O+A+M > I+R+Q the category is the largest of O, A, M (ties M > O > A), otherwise the
    largest of I, R, Q (ties I > R > Q).

    >>> category_by_oam(pd.DataFrame({"A": [4], "O": [3], "M": [2], "I": [6], "R": [0], "Q": [0]}))[0]
    'A'
    """
    c = _count_matrix(counts)
    oam = c[:, [_CAT_INDEX[x] for x in "OAM"]].sum(axis=1)
    irq = c[:, [_CAT_INDEX[x] for x in "IRQ"]].sum(axis=1)
    o1, r1, _ = _rank_categories(c, ["O", "A", "M"])
    o2, r2, _ = _rank_categories(c, ["I", "R", "Q"])
    out = np.where(oam > irq, o1[r1[:, 0]], o2[r2[:, 0]])
    out = np.where(oam + irq > 0, out, None)
    return pd.Series(out, index=counts.index, name="category_oam", dtype="string")


def fong_test(
    counts: pd.DataFrame,
    *,
    categories: Sequence[str] = MODE_CATEGORIES,
    n: str | pd.Series = "answered",
    z: float = 1.65,
) -> pd.DataFrame:
    """Fong's test: is the most frequent category significantly ahead of the second?

    With ``a`` and ``b`` the two largest counts among ``categories`` (default A, O, M, I, R: the
    categories that can win the mode) and ``N`` the number of answers, the difference is *not* significant when
    ``|a − b| < z·sqrt((a + b)(2N − a − b) / (2N))`` (Fong 1996, z = 1.65 for α = 0.1).

    ``n="answered"`` uses N = A+O+M+I+R+Q (complete answer pairs); ``n="categories"`` uses the
    sum over ``categories`` only; a Series gives N per feature (e.g. all respondents). The result
    names the two categories compared and N, so the decision can be checked by hand.

    >>> fong_test(pd.DataFrame({"A": [30], "O": [10], "M": [5], "I": [5], "R": [0], "Q": [0]}))["significant"][0]
    True
    """
    c = _count_matrix(counts)
    order, ranked, sub = _rank_categories(c, list(categories))
    rows = np.arange(len(c))
    a = sub[rows, ranked[:, 0]]
    b = sub[rows, ranked[:, 1]] if sub.shape[1] > 1 else np.zeros(len(c))
    if isinstance(n, pd.Series):
        N = n.to_numpy(dtype=float)
    elif n == "answered":
        N = c.sum(axis=1).astype(float)
    elif n == "categories":
        N = sub.sum(axis=1)
    else:
        raise ValueError("n must be 'answered', 'categories' or a Series of totals")
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
        index=counts.index,
    )


def better_worse(counts: pd.DataFrame) -> pd.DataFrame:
    """Better (CS+) and Worse (CS−) customer-satisfaction coefficients.

    Better = (A + O)/(A + O + M + I); Worse = −(O + M)/(A + O + M + I) (Timko, in Berger et al.
    1993). NaN when A+O+M+I = 0.

    >>> better_worse(pd.DataFrame({"A": [5], "O": [3], "M": [2], "I": [10], "R": [0], "Q": [0]})).round(2).values.tolist()
    [[0.4, -0.25]]
    """
    c = _count_matrix(counts).astype(float)
    A, O, M, I = (c[:, _CAT_INDEX[x]] for x in "AOMI")
    den = A + O + M + I
    with np.errstate(invalid="ignore", divide="ignore"):
        better = np.where(den > 0, (A + O) / den, np.nan)
        worse = np.where(den > 0, -(O + M) / den, np.nan)
    return pd.DataFrame({"better": better, "worse": worse}, index=counts.index)


def _count_matrix(counts: pd.DataFrame) -> np.ndarray:
    missing = [c for c in CATEGORIES if c not in counts.columns]
    if missing:
        raise ValueError(f"counts need columns {list(CATEGORIES)}; missing {missing}")
    c = counts[list(CATEGORIES)].to_numpy()
    if np.any(c < 0):
        raise ValueError("category counts must be non-negative")
    return c


def summarize_counts(
    counts: pd.DataFrame,
    *,
    tie_tolerance: float = 0.0,
    fong_categories: Sequence[str] = MODE_CATEGORIES,
    fong_n: str | pd.Series = "answered",
    fong_z: float = 1.65,
) -> pd.DataFrame:
    """Every per-feature statistic that depends only on the category counts.

    Adds to ``counts`` (columns A, O, M, I, R, Q): ``n``; shares ``pct_A`` … ``pct_Q`` (percent
    of n); ``category`` (mode, Q excluded, ties M > O > A > I > R); ``category_oam``;
    ``category_strength`` (percentage-point gap between the two largest of A, O, M, I, R, so it
    measures the lead of ``category``; Lee & Newcomb 1997); ``total_strength`` ((A+O+M)/n, Lee & Newcomb 1997); Fong's test columns
    (Fong 1996) with ``fong_significant``; ``better`` and ``worse`` (Timko).
    """
    c = _count_matrix(counts)
    out = counts.copy()
    n = c.sum(axis=1)
    out["n"] = n
    with np.errstate(invalid="ignore", divide="ignore"):
        for j, cat in enumerate(CATEGORIES):
            out[f"pct_{cat}"] = np.where(n > 0, 100.0 * c[:, j] / np.maximum(n, 1), np.nan)
        out["category"] = category_by_mode(counts, tie_tolerance=tie_tolerance).to_numpy()
        out["category_oam"] = category_by_oam(counts).to_numpy()
        elig = c[:, [_CAT_INDEX[x] for x in MODE_CATEGORIES]]
        srt = -np.sort(-elig, axis=1)
        out["category_strength"] = np.where(
            n > 0, 100.0 * (srt[:, 0] - srt[:, 1]) / np.maximum(n, 1), np.nan
        )
        oam = c[:, [_CAT_INDEX[x] for x in "AOM"]].sum(axis=1)
        out["total_strength"] = np.where(n > 0, oam / np.maximum(n, 1), np.nan)
    fong = fong_test(counts, categories=fong_categories, n=fong_n, z=fong_z)
    out = out.join(fong.rename(columns={"significant": "fong_significant"}))
    out = out.join(better_worse(counts))
    return out


# --------------------------------------------------------------------------------------------
# analysis of responses
# --------------------------------------------------------------------------------------------


def _cell_counts(cells: np.ndarray) -> np.ndarray:
    """(k, 26) counts of answer-pair cells per feature (cell 25 = missing), by one bincount."""
    return (
        np.stack([np.bincount(cells[:, j], minlength=26) for j in range(cells.shape[1])])
        if cells.shape[1]
        else np.zeros((0, 26), dtype=np.int64)
    )


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
        f_sd = np.sqrt((w @ fs**2 - m * f_mean**2) / (m - 1))
        d_sd = np.sqrt((w @ ds**2 - m * d_mean**2) / (m - 1))
    return f_mean, np.abs(f_sd), d_mean, np.abs(d_sd)


def _importance(imp: np.ndarray | None, k: int):
    if imp is None:
        return np.full(k, np.nan), np.zeros(k, dtype=int)
    ok = ~np.isnan(imp)
    n_imp = ok.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(ok, imp, 0.0).sum(axis=0) / n_imp
    return mean, n_imp


def _bootstrap(cell_counts: np.ndarray, reps: int, level: float, rng) -> np.ndarray:
    """Percentile CIs for Better and Worse: (k, 4) = better lo/hi, worse lo/hi.

    Resampling the respondents with replacement makes one feature's seven cell counts (six
    categories + missing) multinomial(N, observed shares); drawing those counts directly gives
    the same bootstrap distribution (Efron & Tibshirani 1993) at a cost independent of N.
    """
    k = cell_counts.shape[0]
    out = np.full((k, 4), np.nan)
    lo, hi = 50 * (1 - level), 50 * (1 + level)
    for j in range(k):
        N = int(cell_counts[j].sum())
        if N == 0:
            continue
        draws = rng.multinomial(N, cell_counts[j] / N, size=reps)
        A, O, M, I = (draws[:, _CAT_INDEX[x]] for x in "AOMI")
        den = (A + O + M + I).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            better = np.where(den > 0, (A + O) / den, np.nan)
            worse = np.where(den > 0, -(O + M) / den, np.nan)
        if np.isnan(better).all():
            continue
        out[j] = [*np.nanpercentile(better, [lo, hi]), *np.nanpercentile(worse, [lo, hi])]
    return out


def _summary_block(
    resp: KanoResponses,
    rows: np.ndarray,
    *,
    bootstrap: int,
    level: float,
    rng,
    tie_tolerance,
    fong_categories,
    fong_n,
    fong_z,
) -> pd.DataFrame:
    if rows is None:
        cells, imp = resp.cells(), resp.importance
    else:
        cells = resp.cells()[rows]
        imp = None if resp.importance is None else resp.importance[rows]
    cell_counts = _cell_counts(cells)
    cc = _category_counts(cell_counts, resp.table)
    counts = pd.DataFrame(cc[:, :6], columns=list(CATEGORIES))
    nmiss = cc[:, 6]
    if fong_n == "respondents":
        fong_n = pd.Series(cc.sum(axis=1))
    out = summarize_counts(
        counts,
        tie_tolerance=tie_tolerance,
        fong_categories=fong_categories,
        fong_n=fong_n,
        fong_z=fong_z,
    )
    out.insert(0, "feature", resp.features)
    out.insert(out.columns.get_loc("n") + 1, "n_missing", nmiss)
    ci = (
        _bootstrap(cc, bootstrap, level, rng)
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


#: Column order of :meth:`KanoResult.summary` (the CLI's CSV).
SUMMARY_COLUMNS = [
    "feature",
    "n",
    "n_missing",
    "A",
    "O",
    "M",
    "I",
    "R",
    "Q",
    "pct_A",
    "pct_O",
    "pct_M",
    "pct_I",
    "pct_R",
    "pct_Q",
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


@dataclass
class KanoResult:
    """Result of :func:`analyze`: per-feature (and per-segment) Kano statistics.

    Use :meth:`summary` for the table, :meth:`chi_square` for segment differences,
    :attr:`quality` for respondent quality and :meth:`plot` for the charts.
    """

    responses: KanoResponses
    table_name: str
    by: str | None
    _summary: pd.DataFrame
    quality: pd.DataFrame
    excluded: pd.Index
    settings: dict

    @property
    def n_respondents(self) -> int:
        """Respondents analysed (after exclusions)."""
        return self.responses.n_respondents

    def summary(self) -> pd.DataFrame:
        """One row per feature (per segment and feature with ``by``); see SUMMARY_COLUMNS."""
        return self._summary.copy()

    def to_frame(self) -> pd.DataFrame:
        return self.summary()

    def counts(self) -> pd.DataFrame:
        """Category counts per feature (rows) — the input of :func:`summarize_counts`."""
        keys = ["feature"] if self.by is None else [self.by, "feature"]
        return self._summary.set_index(keys)[list(CATEGORIES)]

    def chi_square(self) -> pd.DataFrame:
        """Per feature: does the category distribution differ between segments? See
        :func:`chi_square_by_segment`."""
        if self.by is None:
            raise ValueError("chi_square needs a segmented analysis: analyze(..., by='column')")
        return chi_square_by_segment(self._summary, by=self.by)

    def plot(self, kind: str = "better_worse", ax=None, **kwargs):
        """Draw a chart: ``"better_worse"``, ``"categories"``, ``"continuous"`` or
        ``"answer_pairs"`` (needs ``feature=``). Returns the Axes."""
        if kind == "better_worse":
            return plot_better_worse(self._summary, ax=ax, **kwargs)
        if kind == "categories":
            return plot_categories(self._summary, ax=ax, **kwargs)
        if kind == "continuous":
            return plot_continuous(self._summary, ax=ax, **kwargs)
        if kind == "answer_pairs":
            return plot_answer_pairs(self.responses, ax=ax, **kwargs)
        raise ValueError(f"unknown plot kind {kind!r}")


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
    CIs, DuMouchel's continuous scores and mean importance, per feature (and per segment).

    Parameters
    ----------
    data : survey in wide or long format (see :func:`read_responses`), or parsed responses.
    table : evaluation table, ``"standard"``, ``"pouliot"`` or ``"short"``.
    by : segment column; every statistic is computed per segment (and overall is available by
        calling again without ``by``).
    exclude_questionable : drop respondents with *more than* this many Q answers (plus R answers
        when ``include_reverse_in_quality``) before analysing; ``None`` keeps everyone.
        :attr:`KanoResult.excluded` lists who was dropped.
    bootstrap : resamples for the percentile CIs of Better and Worse (0 = none); ``seed`` makes
        them reproducible.
    tie_tolerance : counts within this many answers of the largest are a tie for the mode.
    fong_categories, fong_n, fong_z : which categories Fong's test compares, which N it uses
        (``"answered"``, ``"categories"`` or ``"respondents"``) and the critical value.

    Definitions and sources are in :func:`summarize_counts`; continuous scores follow DuMouchel
    (in Berger et al. 1993): functional 4, 2, 0, −1, −2 and dysfunctional −2, −1, 0, 2, 4 for
    answers 1..5, averaged over complete answer pairs.

    >>> from customer_value import datasets
    >>> res = analyze(datasets.load("kano_survey"), respondent="respondent_id")  # doctest: +SKIP
    >>> res.summary()[["feature", "category", "better", "worse"]]               # doctest: +SKIP
    """
    if isinstance(data, KanoResponses):
        resp = (
            data
            if data.table == table
            else KanoResponses(
                data.respondents,
                data.features,
                data.functional,
                data.dysfunctional,
                data.importance,
                data.segments,
                _check_table(table),
            )
        )
    else:
        resp = read_responses(
            data, format=format, table=table, labels=labels, respondent=respondent, **read_kwargs
        )
    quality = resp.quality(include_reverse=include_reverse_in_quality)
    excluded = resp.respondents[:0]
    if exclude_questionable is not None:
        if exclude_questionable < 0:
            raise ValueError("exclude_questionable must be >= 0")
        flagged = quality["flag_count"].to_numpy() > exclude_questionable
        quality["excluded"] = flagged
        excluded = resp.respondents[flagged]
        resp = resp.subset(~flagged)
    else:
        quality["excluded"] = False
    if by is not None and by not in resp.segments.columns:
        raise InputError(
            f"segment column {by!r} not found; available: {list(resp.segments.columns)}",
            columns=[by],
        )
    rng = np.random.default_rng(seed)
    opts = dict(
        bootstrap=bootstrap,
        level=ci_level,
        rng=rng,
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
    cols = ([by] if by else []) + SUMMARY_COLUMNS
    summary = summary[cols]
    settings = dict(
        table=table,
        by=by,
        exclude_questionable=exclude_questionable,
        bootstrap=bootstrap,
        ci_level=ci_level,
        tie_tolerance=tie_tolerance,
        fong_categories=tuple(fong_categories),
        fong_n=fong_n,
        fong_z=fong_z,
    )
    return KanoResult(resp, table, by, summary, quality, excluded, settings)


def chi_square_by_segment(
    summary: pd.DataFrame, *, by: str, categories: Sequence[str] = CATEGORIES
) -> pd.DataFrame:
    """Pearson chi-square test of independence between segment and category, per feature.

    ``summary`` is a segmented summary (columns ``by``, ``feature`` and the counts). Categories
    and segments with no answers are dropped. Reports chi², degrees of freedom, p-value,
    Cramér's V and the smallest expected count (the χ² approximation is doubtful below 5;
    Cochran 1954).
    """
    from scipy.stats import chi2_contingency

    rows = []
    for feat, grp in summary.groupby("feature", sort=False):
        tab = grp.set_index(by)[list(categories)].to_numpy(dtype=float)
        tab = tab[tab.sum(axis=1) > 0][:, tab.sum(axis=0) > 0]
        if tab.shape[0] < 2 or tab.shape[1] < 2:
            rows.append(
                dict(
                    feature=feat,
                    chi2=np.nan,
                    dof=0,
                    p_value=np.nan,
                    cramers_v=np.nan,
                    min_expected=np.nan,
                    categories=None,
                )
            )
            continue
        chi2, p, dof, expected = chi2_contingency(tab, correction=False)
        v = math.sqrt(chi2 / (tab.sum() * (min(tab.shape) - 1)))
        cats = "/".join(f"{s}:{c}" for s, c in zip(grp[by], grp["category"]))
        rows.append(
            dict(
                feature=feat,
                chi2=chi2,
                dof=int(dof),
                p_value=p,
                cramers_v=v,
                min_expected=float(expected.min()),
                categories=cats,
            )
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# plots
# --------------------------------------------------------------------------------------------


def _axes(ax, figsize=(7, 6)):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def _repel(ax, xs, ys, labels, fontsize=8):
    """Place labels next to points, nudging them apart so they do not overlap badly."""
    fig = ax.figure
    texts = [
        ax.annotate(lab, (x, y), xytext=(4, 4), textcoords="offset points", fontsize=fontsize)
        for x, y, lab in zip(xs, ys, labels)
    ]
    if len(texts) < 2:
        return texts
    renderer = fig.canvas.get_renderer()
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
                    if a.y0 >= b.y0:
                        offsets[i, 1] += step
                        offsets[j, 1] -= step
                    else:
                        offsets[i, 1] -= step
                        offsets[j, 1] += step
                    moved = True
        if not moved:
            break
        for t, off in zip(texts, offsets):
            t.set_position(off)
    return texts


def plot_better_worse(
    summary: pd.DataFrame,
    *,
    ax=None,
    cut: str = "fixed",
    size: str | None = "importance_mean",
    hue: str | None = None,
    ci: bool = False,
    labels: bool = True,
    title: str | None = None,
):
    """Better–Worse quadrant chart (Berger et al. 1993; Timko).

    x = |Worse| (how much its absence dissatisfies), y = Better (how much its presence
    satisfies). Quadrants at 0.5 (``cut="fixed"``) or at the feature means (``cut="mean"``):
    upper right one-dimensional, upper left attractive, lower right must-be, lower left
    indifferent. Bubble area follows ``size`` (mean importance) when available; points are
    coloured by the mode category, or by ``hue`` (e.g. a segment column). Returns the Axes.
    """
    ax = _axes(ax)
    df = summary.dropna(subset=["better", "worse"])
    x, y = -df["worse"].to_numpy(), df["better"].to_numpy()
    if size and size in df.columns and df[size].notna().any():
        s = df[size].to_numpy(dtype=float)
        s = 40 + 260 * (s - np.nanmin(s)) / max(np.nanmax(s) - np.nanmin(s), 1e-9)
        s = np.nan_to_num(s, nan=60)
    else:
        s = np.full(len(df), 80.0)
    if hue and hue in df.columns:
        values = list(pd.unique(df[hue]))
        import matplotlib as mpl

        cmap = mpl.colormaps["tab10"]
        colors = [cmap(values.index(v) % 10) for v in df[hue]]
        for i, v in enumerate(values):
            ax.scatter([], [], color=cmap(i % 10), label=str(v))
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
    if cut == "mean":
        cx, cy = float(np.mean(x)), float(np.mean(y))
    elif cut == "fixed":
        cx, cy = 0.5, 0.5
    else:
        raise ValueError("cut must be 'fixed' or 'mean'")
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
        ax.text(
            tx,
            ty,
            txt,
            transform=ax.transAxes,
            ha=ha,
            va="top" if ty > 0.5 else "bottom",
            fontsize=8,
            color="#666666",
        )
    if labels:
        lab = df["feature"].astype(str)
        if hue and hue in df.columns:
            lab = lab + " (" + df[hue].astype(str) + ")"
        _repel(ax, x, y, lab.tolist())
    ax.set_xlabel("|Worse| — dissatisfaction if absent")
    ax.set_ylabel("Better — satisfaction if present")
    ax.set_title(
        title or f"Better–Worse diagram (cut at {'feature means' if cut == 'mean' else '0.5'})"
    )
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    return ax


def plot_categories(summary: pd.DataFrame, *, ax=None, sort: bool = True, title: str | None = None):
    """Stacked horizontal bars: share of each category per feature (percent of answers).

    Features are sorted by their mode category (M, O, A, I, R) and share when ``sort``.
    Returns the Axes.
    """
    df = summary.copy()
    label = df["feature"].astype(str)
    extra = [c for c in df.columns if c not in SUMMARY_COLUMNS]
    if extra:
        label = label + " · " + df[extra[0]].astype(str)
    df["_label"] = label
    if sort:
        rank = {c: i for i, c in enumerate(TIE_PRIORITY)}
        df["_r"] = df["category"].map(rank).fillna(9)
        df["_s"] = [
            row[f"pct_{row['category']}"] if isinstance(row["category"], str) else 0
            for _, row in df.iterrows()
        ]
        df = df.sort_values(["_r", "_s"], ascending=[False, True])
    ax = _axes(ax, figsize=(8, 0.35 * len(df) + 1.5))
    left = np.zeros(len(df))
    for cat in ("M", "O", "A", "I", "R", "Q"):
        vals = df[f"pct_{cat}"].fillna(0).to_numpy()
        ax.barh(
            df["_label"],
            vals,
            left=left,
            color=CATEGORY_COLORS[cat],
            label=f"{cat} {CATEGORY_NAMES[cat][0]}",
            edgecolor="white",
            linewidth=0.5,
        )
        left += vals
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of answers (%)")
    ax.set_title(title or "Kano categories per feature")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    return ax


def plot_continuous(
    summary: pd.DataFrame,
    *,
    ax=None,
    size: str | None = "importance_mean",
    labels: bool = True,
    title: str | None = None,
):
    """DuMouchel's continuous analysis: mean dysfunctional score (x) vs mean functional (y).

    Scores: functional 4, 2, 0, −1, −2 and dysfunctional −2, −1, 0, 2, 4 for answers 1..5
    (DuMouchel, in Berger et al. 1993). Reference lines at 2 split the positive quadrant into
    attractive (upper left), one-dimensional (upper right), must-be (lower right) and
    indifferent (lower left). Bubble area follows mean importance. Returns the Axes.
    """
    ax = _axes(ax)
    df = summary.dropna(subset=["functional_mean", "dysfunctional_mean"])
    x, y = df["dysfunctional_mean"].to_numpy(), df["functional_mean"].to_numpy()
    if size and size in df.columns and df[size].notna().any():
        s = np.nan_to_num(20 * df[size].to_numpy(dtype=float), nan=60)
    else:
        s = np.full(len(df), 80.0)
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
    ax.set_title(title or "Continuous Kano analysis (DuMouchel)")
    return ax


def plot_answer_pairs(responses: KanoResponses, feature: str, *, ax=None, title: str | None = None):
    """5×5 heat map of answer-pair counts for one feature, each cell marked with its category.

    Rows are functional answers, columns dysfunctional answers; the letter is the cell's
    category in the responses' evaluation table. Returns the Axes.
    """
    if feature not in responses.features:
        raise ValueError(f"unknown feature {feature!r}; features: {responses.features}")
    j = responses.features.index(feature)
    f, d = responses.functional[:, j], responses.dysfunctional[:, j]
    ok = (f > 0) & (d > 0)
    mat = np.zeros((5, 5), dtype=int)
    np.add.at(mat, (f[ok] - 1, d[ok] - 1), 1)
    ax = _axes(ax, figsize=(6, 5))
    im = ax.imshow(mat, cmap="Blues")
    rows = TABLES[responses.table]
    vmax = mat.max() if mat.max() > 0 else 1
    for r in range(5):
        for c in range(5):
            letter = rows[r][c]
            colour = "white" if mat[r, c] > 0.6 * vmax else "black"
            ax.text(
                c,
                r,
                f"{letter if letter != '.' else ''}\n{mat[r, c]}",
                ha="center",
                va="center",
                fontsize=9,
                color=colour,
            )
    names = [ANSWER_NAMES[i] for i in range(1, 6)]
    ax.set_xticks(range(5), names, rotation=30, ha="right")
    ax.set_yticks(range(5), names)
    ax.set_xlabel("dysfunctional answer (feature absent)")
    ax.set_ylabel("functional answer (feature present)")
    ax.set_title(title or f"Answer pairs: {feature} (n={int(ok.sum())})")
    ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    return ax
