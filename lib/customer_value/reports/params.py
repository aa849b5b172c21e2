"""Parsing report parameters as people type them (full-width separators, percent or fractions,
YAML values); every failure is an InputError that names the parameter."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date as _date

import numpy as np
import pandas as pd

from ..io import InputError

__all__ = ["parse_date", "parse_numbers", "parse_rates", "parse_shares"]

# --- parameters -----------------------------------------------------------------------------
# Parameters come as text from the command line (-p shares 20/30/30/20), typed by people who may
# use a Chinese input method (full-width "，" and "："), or as YAML values from a parameters file
# (lists, mappings, dates). The parsers accept all of these and name the parameter when they fail.

_LIST_SEPARATORS = re.compile(r"[/,;、\s]+")
_PAIR_SEPARATORS = re.compile(r"[,;、\n]+")
_COUNT_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
_DATE_FORMS = (
    re.compile(
        r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
        r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
    ),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日"),
)


def _normalized(text) -> str:
    """Text with full-width characters folded (NFKC: "２０，３０" → "20,30") and trimmed."""
    return unicodedata.normalize("NFKC", str(text)).strip()


def _number_list(value, name: str, count: int, what: str, example: str) -> tuple[list[float], bool]:
    """``count`` non-negative numbers from text or a sequence, and whether a % sign was used."""

    def bad():
        return InputError(
            f"parameter {name!r} must be {_COUNT_WORDS.get(count, count)} "
            f"non-negative numbers ({what}) separated by / or , (e.g. {example}), "
            f"not {value!r}"
        )

    if isinstance(value, str):
        parts = [p for p in _LIST_SEPARATORS.split(_normalized(value)) if p]
    elif isinstance(value, (Sequence, np.ndarray)):
        parts = list(value)
    else:
        raise bad()
    numbers, percent = [], False
    for part in parts:
        if isinstance(part, str):
            part = _normalized(part)
            if part.endswith("%"):
                percent, part = True, part[:-1].strip()
        if isinstance(part, (bool, np.bool_)):
            raise bad()
        try:
            v = float(part)
        except (TypeError, ValueError):
            raise bad() from None
        if not math.isfinite(v) or v < 0:
            raise bad()
        numbers.append(v)
    if len(numbers) != count:
        raise bad()
    return numbers, percent


def parse_numbers(value, name: str, *, count: int, what: str, example: str) -> tuple[float, ...]:
    """``count`` non-negative shares from a parameter, as fractions.

    Accepts text with ``/``, ``,``, ``;``, ``、`` or spaces between the numbers (full-width
    forms too), with or without ``%`` signs, or a list from a YAML parameters file. Numbers are
    percentages when one of them has a ``%`` sign or is above 1 ("50/80/100"), and fractions
    otherwise ("0.5,0.8,1"). ``what`` and ``example`` go into the error message.

    >>> parse_numbers("50/80/100", "cutoffs", count=3, what="cumulative percent", example="50/80/100")
    (0.5, 0.8, 1.0)
    """
    numbers, percent = _number_list(value, name, count, what, example)
    if percent or max(numbers, default=0) > 1:
        numbers = [v / 100 for v in numbers]
    return tuple(numbers)


def parse_shares(
    value, name: str = "shares", *, labels: Sequence[str] | None = None
) -> tuple[float, ...]:
    """Shares of customers per tier (default: the pyramid's platinum, gold, iron, lead) that add
    up to one, from "20/30/30/20" (percent), "0.2,0.3,0.3,0.2" (fractions), full-width
    separators, a YAML list, or a YAML mapping of label to share.

    Percent or fractions is decided by the total (100 or 1, to within rounding); anything else
    is an :class:`~customer_value.io.InputError`. The result is divided by its total, so it adds
    up to one exactly, as :func:`customer_value.pyramid.assign_tiers` expects.

    >>> parse_shares("10／30／40／20")
    (0.1, 0.3, 0.4, 0.2)
    >>> parse_shares({"gold": 0.3, "platinum": 0.2, "lead": 0.2, "iron": 0.3})
    (0.2, 0.3, 0.3, 0.2)
    """
    if labels is None:
        labels = ("platinum", "gold", "iron", "lead")  # pyramid.TIERS, best first
    labels = list(labels)
    what = "percent of customers in " + ", ".join(labels)
    example = "/".join(
        ["20", "30", "30", "20"] if len(labels) == 4 else [f"{100 / len(labels):g}"] * len(labels)
    )
    if isinstance(value, Mapping):
        keys = {str(k).strip().casefold(): v for k, v in value.items()}
        if sorted(keys) != sorted(lab.casefold() for lab in labels):
            raise InputError(
                f"parameter {name!r} must give one share for each of "
                f"{', '.join(labels)}, not {value!r}"
            )
        value = [keys[lab.casefold()] for lab in labels]
    numbers, percent = _number_list(value, name, len(labels), what, example)
    total = sum(numbers)
    if percent and abs(total - 100) > 1e-4:
        raise InputError(
            f"parameter {name!r}: percentages must add up to 100 %, not {value!r}, "
            f"which adds up to {total:g} %"
        )
    if not (abs(total - 100) <= 1e-4 or abs(total - 1) <= 1e-6):
        raise InputError(
            f"parameter {name!r} must add up to 100 (percent) or 1 (fractions), "
            f"not {value!r}, which adds up to {total:g}"
        )
    return tuple(v / total for v in numbers)


def parse_rates(value, name: str = "service_costs") -> dict[str, float]:
    """Cost per unit of each service-event column: ``column:rate`` (or ``column=rate``) pairs
    separated by ``,``, ``;``, ``、`` or new lines (full-width ``，：；`` too), or a mapping from a
    YAML parameters file. ``""`` and None give no rates. Rates must be numbers >= 0, and a
    column may appear once.

    >>> parse_rates("contacts:20, deliveries=25；折扣：1")
    {'contacts': 20.0, 'deliveries': 25.0, '折扣': 1.0}
    """
    example = "contacts:20, deliveries:25"
    if value is None:
        return {}
    if isinstance(value, Mapping):
        items = [(str(k).strip(), v, f"{k}: {v}") for k, v in value.items()]
    elif isinstance(value, str):
        items = []
        for part in _PAIR_SEPARATORS.split(_normalized(value)):
            if not part.strip():
                continue
            pair = re.fullmatch(r"([^:=]*)[:=](.*)", part.strip())
            if pair is None:
                raise InputError(
                    f"parameter {name!r}: {part.strip()!r} is not a column:rate pair; "
                    f"write e.g. {example}"
                )
            items.append((pair[1].strip(), pair[2].strip(), part.strip()))
    else:
        raise InputError(
            f"parameter {name!r} must be column:rate pairs such as {example!r}, not {value!r}"
        )
    out: dict[str, float] = {}
    for col, rate, part in items:
        if not col:
            raise InputError(
                f"parameter {name!r}: {part!r} has no column name; write e.g. {example}"
            )
        try:
            r = float("nan") if isinstance(rate, (bool, np.bool_)) else float(rate)
        except (TypeError, ValueError):
            r = float("nan")
        if not math.isfinite(r) or r < 0:
            raise InputError(
                f"parameter {name!r}: the rate of {col!r} must be a number >= 0, not {rate!r}"
            )
        if col in out:
            raise InputError(f"parameter {name!r}: column {col!r} is given more than once")
        out[col] = r
    return out


def parse_date(value, name: str, *, empty: str | None = None) -> pd.Timestamp | None:
    """A day from a parameter, written year first: ``2024-12-31``, ``2024/12/31``,
    ``2024.12.31`` (one-digit month and day too), ``20241231`` or ``2024年12月31日`` (full-width
    digits too), optionally followed by a time, which is dropped; or a date from a YAML
    parameters file. Returns a midnight :class:`pandas.Timestamp`.

    Day-first and month-first forms (31/12/2024, 12/31/2024) are rejected rather than guessed.
    ``empty`` says what an empty value means (e.g. ``"for the last date in the file"``): with it,
    ``""`` and None return None; without it, a date is required.

    >>> parse_date("2024年3月5日", "as_of"), parse_date("", "as_of", empty="for the last date")
    (Timestamp('2024-03-05 00:00:00'), None)
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if empty is not None:
            return None
    elif isinstance(value, (_date, np.datetime64)):  # datetime and Timestamp too
        ts = pd.Timestamp(value)
        if not pd.isna(ts):
            return (ts.tz_localize(None) if ts.tz is not None else ts).normalize()
    else:
        if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
            value = str(int(value))  # 20241231 from YAML
        if isinstance(value, str):
            text = _normalized(value)
            for form in _DATE_FORMS:
                m = form.fullmatch(text)
                if m:
                    try:
                        return pd.Timestamp(int(m["y"]), int(m["m"]), int(m["d"]))
                    except ValueError:
                        raise InputError(
                            f"parameter {name!r}: {value!r} is not a valid date"
                        ) from None
    alternative = f", or '' {empty}" if empty is not None else ""
    raise InputError(
        f"parameter {name!r} must be a date written year first, e.g. 2024-12-31, "
        f"2024/12/31, 20241231 or 2024年12月31日{alternative}; not {value!r}"
    )
