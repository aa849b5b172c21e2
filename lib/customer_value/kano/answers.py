"""Answers and categories: the answer scale and its wordings, the evaluation tables, and the
classification of answer pairs.

The evaluation tables are the standard one (Kano, Seraku, Takahashi & Tsuji 1984; Berger et al.
1993), Pouliot's modification (Berger et al. 1993, p. 33) and the three-answer short form of the
R package stp25kano (Peter 2022, file R/kano.R; it is not in Berger et al. 1993).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .._util import Problems
from ..io import InputError

__all__ = [
    "ANSWER_NAMES",
    "ANSWER_WORDINGS",
    "CATEGORIES",
    "CATEGORY_NAMES",
    "MODE_CATEGORIES",
    "TABLES",
    "TIE_PRIORITY",
    "classify",
    "evaluation_table",
    "parse_answers",
    "read_labels",
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
ANSWER_NAMES = {1: "like", 2: "must-be", 3: "neutral", 4: "live-with", 5: "dislike"}

#: Priority when counts tie: the category with the larger impact on the product wins
#: (Matzler & Hinterhuber 1998; Sauerwein et al. 1996): M > O > A > I; then R, then Q.
TIE_PRIORITY = ("M", "O", "A", "I", "R", "Q")
#: Categories that can be a feature's category by the mode rule: Q (a contradictory answer
#: pair) never can.
MODE_CATEGORIES = ("A", "O", "M", "I", "R")
_CAT_INDEX = {c: i for i, c in enumerate(CATEGORIES)}
_MISSING = len(CATEGORIES)  # category index 6: a respondent without a complete pair

#: Wordings of the five answers in use: classic (Kano et al. 1984; Berger et al. 1993), short,
#: Blauth, and Chinese wordings with their common variants. Matched after normalisation (case,
#: width, white space and trailing punctuation ignored).
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
    # the three-answer short form of stp25kano (Peter 2022, R/kano.R, Kano(type = 3)): like,
    # neutral, dislike, stored on the codes 1, 3, 5; "." marks answers that form does not have.
    "short": ["A.A.O", ".....", "I.I.M", ".....", "I.I.M"],
}
TABLES = {name: tuple(rows) for name, rows in _T.items()}
_VALID_CODES = {"standard": (1, 2, 3, 4, 5), "pouliot": (1, 2, 3, 4, 5), "short": (1, 3, 5)}


def _check_table(table) -> str:
    if table not in TABLES:
        raise InputError(
            f"unknown evaluation table {table!r}: choose one of {', '.join(map(repr, TABLES))}"
        )
    return table


def evaluation_table(table: str = "standard") -> pd.DataFrame:
    """The evaluation table ``table`` as a labelled DataFrame: rows are the functional answer,
    columns the dysfunctional answer, cells the category letter.

    ``"standard"`` is the table of Kano et al. (1984) and Berger et al. (1993); ``"pouliot"``
    Pouliot's modification (Berger et al. 1993, p. 33), where (must-be, must-be) and
    (live-with, live-with) are questionable too; ``"short"`` the 3×3 table of the three-answer
    form (like, neutral, dislike) implemented by the R package stp25kano (Peter 2022, file
    ``R/kano.R``), which is not in Berger et al. (1993).

    >>> evaluation_table().loc["like", "dislike"]
    'O'
    >>> evaluation_table("short").loc["neutral"].tolist()
    ['I', 'I', 'M']
    """
    rows = TABLES[_check_table(table)]
    codes = _VALID_CODES[table]
    names = [ANSWER_NAMES[c] for c in codes]
    cells = [[rows[f - 1][d - 1] for d in codes] for f in codes]
    return pd.DataFrame(
        cells,
        index=pd.Index(names, name="functional"),
        columns=pd.Index(names, name="dysfunctional"),
    )


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


#: Cell of the answer pair (f, d) at index 6·f + d, codes 0 (missing) to 5: (f−1)·5 + (d−1),
#: or 25 when an answer is missing.
_CELL_OF = np.full(36, 25, dtype=np.int8)
for _f in range(1, 6):
    for _d in range(1, 6):
        _CELL_OF[6 * _f + _d] = (_f - 1) * 5 + (_d - 1)
del _f, _d


def _cells(f: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Answer-pair cell (f−1)·5 + (d−1) in 0..24, or 25 when an answer is missing (int8, in
    the memory layout of ``f``). One table lookup: half the time of the arithmetic."""
    idx = np.asarray(f, dtype=np.int8) * np.int8(6)
    idx += np.asarray(d, dtype=np.int8)
    return _CELL_OF[idx]


# --------------------------------------------------------------------------------------------
# answers: codes and wordings
# --------------------------------------------------------------------------------------------

_PUNCT = re.compile(r"[\s.。!！,，;；:：\"'“”‘’「」()（）]+$")
_PREFIX = re.compile(r"^\(?([1-5])[\).、.:：\s-]+\s*(.+)$")
_LABEL_HINT = (
    "Known wordings include 'I like it', 'I expect it', 'I'm neutral', 'I can tolerate it', "
    "'I dislike it', 'very helpful', 'major problem', 我很喜欢/理所当然/无所谓/能忍受/我很不喜欢; "
    "map your own wordings with labels={'wording': code} (CLI: --labels labels.yaml)."
)


def _normalize(text: str) -> str:
    s = unicodedata.normalize("NFKC", str(text)).replace("’", "'").replace("‘", "'")
    s = " ".join(s.split()).casefold()
    s = _PUNCT.sub("", s)
    return s.strip("\"' ")


def _label_code(code) -> int | None:
    if isinstance(code, (bool, np.bool_)):
        return None
    if isinstance(code, str):
        code = code.strip()
    try:
        x = float(code)
    except (TypeError, ValueError):
        return None
    return int(x) if x.is_integer() and int(x) in ANSWER_NAMES else None


def _check_labels(labels: Mapping, source=None) -> dict[str, int]:
    problems = Problems(
        "labels must map answer wordings to Kano answer codes 1-5 (1 like, 2 must-be, "
        "3 neutral, 4 live-with, 5 dislike), e.g. '还行: 3':"
    )
    out = {}
    for wording, code in labels.items():
        value = _label_code(code)
        if value is None:
            problems.add(repr(str(wording)), f"maps to {code!r}, not to a code 1-5")
        else:
            out[str(wording)] = value
    problems.raise_if_any(source=source)
    return out


def read_labels(path: str | os.PathLike) -> dict[str, int]:
    """Read extra answer wordings from a YAML file of ``wording: code`` lines (codes 1–5).

    The file is read with :func:`customer_value.io.read_yaml` (plain data only); a code that is
    not 1–5 is an :class:`~customer_value.io.InputError` naming the file and the wording.

    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "labels.yaml"
    >>> _ = p.write_text("还行: 3\\nno way: 5\\n", encoding="utf-8")
    >>> read_labels(p)
    {'还行': 3, 'no way': 5}
    """
    from ..io import read_yaml

    return _check_labels(read_yaml(path, what="the labels file"), source=path)


def _wording_map(labels: Mapping | None) -> dict[str, int]:
    out: dict[str, int] = {}
    for code, words in ANSWER_WORDINGS.items():
        for w in words:
            out[_normalize(w)] = code
    for w, code in _check_labels(labels or {}).items():
        out[_normalize(w)] = code
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


def _codes_for(values: pd.Series, wordings: Mapping[str, int], valid: Sequence[int]):
    """Vectorised parse of one column: (int8 codes with 0 = missing, mask of invalid rows).

    Text is parsed once per distinct value (``pd.factorize``), so a million answers cost no
    more Python work than their handful of wordings."""
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


def _bad_answer_message(table: str) -> str:
    codes = "/".join(map(str, _VALID_CODES[table]))
    return (
        f"answers that are not Kano answers (codes {codes} on the {table!r} table, or a known "
        "wording):"
    )


def parse_answers(
    values,
    *,
    labels: Mapping[str, int] | None = None,
    table: str = "standard",
    column: str = "answer",
) -> np.ndarray:
    """Kano answers (codes 1–5 or their wordings) as integer codes; a missing answer is 0.

    Codes may be numbers or text (``"3"``); wordings are the classic (Kano et al. 1984; Berger
    et al. 1993), short, Blauth and Chinese ones of :data:`ANSWER_WORDINGS`, matched ignoring
    case, width, white space, trailing punctuation and a leading answer number, plus any
    ``labels`` of your own (wording → code). A value that is neither raises one
    :class:`~customer_value.io.InputError` listing every distinct offending value with its
    count: nothing is silently turned into Q. ``table="short"`` accepts like, neutral and
    dislike only (codes 1, 3, 5).

    >>> parse_answers(["I like it", "理所当然", 5, None]).tolist()
    [1, 2, 5, 0]
    >>> parse_answers(["还行"], labels={"还行": 3}).tolist()
    [3]
    """
    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    codes, bad = _codes_for(s, _wording_map(labels), _VALID_CODES[_check_table(table)])
    if bad.any():
        p = Problems(
            _bad_answer_message(table),
            frame=s.to_frame(column) if isinstance(values, pd.Series) else None,
            hint=_LABEL_HINT,
        )
        p.add_values(column, s, bad)
        p.raise_if_any()
    return codes


def classify(
    functional, dysfunctional, *, table: str = "standard", labels: Mapping[str, int] | None = None
) -> np.ndarray:
    """Category letters of answer pairs, looked up in an evaluation table (Kano et al. 1984;
    Berger et al. 1993; see :func:`evaluation_table`).

    ``functional`` and ``dysfunctional`` are equal-length sequences of codes or wordings (parsed
    by :func:`parse_answers`). A pair with a missing answer gives ``""``.

    >>> classify([1, 2, 1, None], [5, 5, 3, 5]).tolist()
    ['O', 'M', 'A', '']
    """
    f = parse_answers(functional, labels=labels, table=table, column="functional")
    d = parse_answers(dysfunctional, labels=labels, table=table, column="dysfunctional")
    if len(f) != len(d):
        raise InputError(
            f"functional and dysfunctional answers must pair up: {len(f)} functional and "
            f"{len(d)} dysfunctional answers"
        )
    letters = np.array(list(CATEGORIES) + [""], dtype=object)
    return letters[_lookup(table)[_cells(f, d)]]
