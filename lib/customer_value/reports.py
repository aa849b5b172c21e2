"""Client-ready reports: parameterised notebooks in ``notebooks/reports/`` run on a user's data.

:func:`run` executes a template with papermill and renders it to HTML without code (nbconvert
``exclude_input``), next to the executed notebook. Unlike papermill itself, an unknown parameter
name is an error that lists the valid ones, values are converted to the type of the template's
default, and path parameters (those whose comment in the template starts with ``path``) are
resolved against the caller's directory. Outputs appear only when the whole run succeeded.

The second half of the module holds the helpers that the templates share, so that every report
formats, parses and draws the same way:

* formatters for report text and tables: :func:`num`, :func:`money`, :func:`pct`, :func:`share`,
  :func:`p_text`, :func:`with_ci` (missing and non-finite values print as ``n/a``);
* parameter parsers that raise :class:`~customer_value.io.InputError` naming the parameter:
  :func:`parse_numbers`, :func:`parse_shares`, :func:`parse_rates`, :func:`parse_date`;
* :class:`Charts`, which draws a report's figures with a Chinese-capable font when one is
  installed (:data:`CJK_FONTS`) and otherwise shows one note (:data:`FONT_NOTE`) instead of
  printing font warnings.

>>> money(-1234.6, currency="¥"), pct(0.1234), share(1, 3), p_text(0.0004)
('−¥1,235', '12.3%', '33.3%', '< 0.001')
>>> parse_shares("20/30/30/20") == parse_shares("0.2，0.3，0.3，0.2") == (0.2, 0.3, 0.3, 0.2)
True
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
import warnings
from collections.abc import Callable, Mapping, Sequence
from datetime import date as _date
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd

from .io import InputError, atomic_directory
from .paths import repo_root

__all__ = [
    "available",
    "template",
    "parameters",
    "title",
    "run",
    "num",
    "money",
    "pct",
    "share",
    "p_text",
    "with_ci",
    "parse_numbers",
    "parse_shares",
    "parse_rates",
    "parse_date",
    "escape",
    "code",
    "CJK_FONTS",
    "FONT_NOTE",
    "Charts",
]


def available(root: Path | None = None) -> list[str]:
    """Names of the report templates."""
    root = root or repo_root()
    return sorted(p.stem for p in (root / "notebooks" / "reports").glob("*.ipynb"))


def template(name: str, root: Path | None = None) -> Path:
    root = root or repo_root()
    p = root / "notebooks" / "reports" / f"{name}.ipynb"
    if not p.exists():
        raise InputError(f"unknown report {name!r}; available: {', '.join(available(root))}")
    return p


def parameters(name: str, root: Path | None = None) -> dict:
    """The template's parameters: name → {default, type, help, path} (from the ``parameters``
    cell, read with papermill's inspection)."""
    import papermill as pm

    spec = pm.inspect_notebook(str(template(name, root)))
    out = {}
    for key, info in spec.items():
        helptext = (info.get("help") or "").strip()
        out[key] = {
            "default": info.get("default"),
            "type": info.get("inferred_type_name"),
            "help": helptext,
            "path": helptext.lower().startswith("path"),
        }
    return out


def title(name: str, root: Path | None = None) -> str:
    """The report's title: the default of its ``title`` parameter, else the template's first
    Markdown heading, else its name in words ("profit_model_report" → "Profit model report")."""
    import ast

    from .notebooks import title_of

    default = parameters(name, root).get("title", {}).get("default")
    try:
        text = ast.literal_eval(default) if isinstance(default, str) else None
    except (ValueError, SyntaxError):
        text = None
    if isinstance(text, str) and text.strip():
        return text.strip()
    heading = title_of(template(name, root))
    return heading if heading != name else name.replace("_", " ").capitalize()


def _coerce(key: str, value, info: dict, cwd: Path):
    import yaml

    if isinstance(value, _date):
        # a YAML parameters file reads 2024-06-30 as a date, which papermill cannot store in
        # the notebook (JSON); the templates parse the text (reports.parse_date)
        return value.isoformat()
    if not isinstance(value, str):
        return value
    typ = (info.get("type") or "").lower()
    try:
        if typ == "int":
            return int(value)
        if typ == "float":
            return float(value)
        if typ == "bool":
            low = value.strip().lower()
            if low in ("true", "yes", "1"):
                return True
            if low in ("false", "no", "0"):
                return False
            raise ValueError(value)
    except ValueError:
        raise InputError(f"parameter {key!r} expects {typ}, got {value!r}") from None
    if typ in ("none", "nonetype"):
        return yaml.safe_load(value)
    if info.get("path") and value:
        p = Path(value).expanduser()
        p = p if p.is_absolute() else (cwd / p)
        if not p.exists():
            raise InputError(f"parameter {key!r}: file not found: {p}")
        return str(p.resolve())
    return value


def run(
    name: str,
    params: dict,
    *,
    out_dir: str | Path,
    force: bool = False,
    progress: bool = True,
    cwd: Path | None = None,
    root: Path | None = None,
) -> list[Path]:
    """Execute report ``name`` with ``params`` and write ``NAME.html`` and ``NAME.ipynb``.

    Raises :class:`~customer_value.io.InputError` for unknown parameters, bad values, or an
    input error raised inside the report (e.g. a survey with an unknown answer wording).
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from .notebooks import KERNEL, _clean, _html, dumps

    root = root or repo_root()
    cwd = Path(cwd or os.getcwd())
    tpl = template(name, root)
    spec = parameters(name, root)
    unknown = sorted(set(params) - set(spec))
    if unknown:
        valid = ", ".join(f"{k} (default {v['default']})" for k, v in spec.items())
        raise InputError(
            f"unknown parameter(s) for report {name!r}: {', '.join(unknown)}. "
            f"Valid parameters: {valid}"
        )
    values = {k: _coerce(k, v, spec[k], cwd) for k, v in params.items()}
    out_dir = Path(out_dir)
    out_dir = out_dir if out_dir.is_absolute() else cwd / out_dir
    names = [f"{name}.html", f"{name}.ipynb"]
    with atomic_directory(out_dir, names, force=force) as tmp:
        executed = tmp / f"{name}.ipynb"
        try:
            pm.execute_notebook(
                str(tpl),
                str(executed),
                parameters=values,
                cwd=str(tpl.parent),
                kernel_name=KERNEL,
                progress_bar=progress,
            )
        except PapermillExecutionError as exc:
            if exc.ename in ("InputError", "OutputExistsError"):
                raise InputError(str(exc.evalue)) from None
            raise RuntimeError(
                f"report {name!r} failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
            ) from None
        nb = nbformat.read(executed, as_version=4)
        _clean(nb)
        executed.write_text(dumps(nb), encoding="utf-8")
        (tmp / f"{name}.html").write_text(_html(nb, exclude_input=True), encoding="utf-8")
    return [out_dir / n for n in names]


# ============================================================================================
# helpers for report templates
# ============================================================================================
#
# A template imports these instead of defining its own copies, so that every report prints
# numbers, reads parameters and draws charts the same way. None of them changes global state.

MINUS = "\u2212"
"""The minus sign of :func:`money` (typographic, so that "−¥1,200" does not read as a dash)."""


def _missing(x) -> bool:
    """None, NaN, NA and ±inf: values a report prints as ``n/a``."""
    if x is None:
        return True
    try:
        return not math.isfinite(float(x))
    except (TypeError, ValueError):
        return bool(pd.isna(x)) if np.ndim(x) == 0 else False


def _fixed(x, digits: int, grouping: bool = True) -> str:
    """``x`` with ``digits`` decimals (and thousands separators), never "-0": a value that
    rounds to zero prints without a sign."""
    text = f"{float(x):{',' if grouping else ''}.{digits}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


def num(x, digits: int = 1) -> str:
    """A number with thousands separators and ``digits`` decimals; ``n/a`` when missing.

    >>> num(12345.678), num(-0.04), num(float("nan")), num(3, 0)
    ('12,345.7', '0.0', 'n/a', '3')
    """
    return "n/a" if _missing(x) else _fixed(x, digits)


def money(x, digits: int = 0, *, currency: str = "") -> str:
    """An amount of money: sign, currency sign, digits with thousands separators.

    The sign comes before the currency sign and is the typographic minus ``−`` (U+2212);
    amounts that round to zero have no sign. ``n/a`` when missing. A template that shows one
    currency binds it once: ``money = functools.partial(reports.money, currency="¥")``.

    >>> money(1234.6), money(-1234.6, currency="¥"), money(-0.04, 1, currency="$"), money(None)
    ('1,235', '−¥1,235', '$0.0', 'n/a')
    """
    if _missing(x):
        return "n/a"
    text = _fixed(abs(float(x)), digits)
    sign = MINUS if float(x) < 0 and text.strip("0.,") else ""
    return f"{sign}{currency}{text}"


def pct(x, digits: int = 1) -> str:
    """A share (0.123) as a percentage with ``digits`` decimals ("12.3%"); ``n/a`` when missing.

    >>> pct(0.1234), pct(0.5, 0), pct(-0.051), pct(float("inf"))
    ('12.3%', '50%', '-5.1%', 'n/a')
    """
    return "n/a" if _missing(x) else f"{_fixed(100 * float(x), digits, grouping=False)}%"


def share(part, whole, digits: int = 1) -> str:
    """``part`` as a percentage of ``whole``; ``n/a`` when ``whole`` is zero or either is
    missing.

    >>> share(1, 4), share(2, 3, 0), share(1, 0)
    ('25.0%', '67%', 'n/a')
    """
    if _missing(part) or _missing(whole) or float(whole) == 0:
        return "n/a"
    return pct(float(part) / float(whole), digits)


def p_text(p) -> str:
    """A p-value as reports print it: three decimals, ``< 0.001`` below that, ``n/a`` missing.

    >>> p_text(0.04321), p_text(0.0002), p_text(None)
    ('0.043', '< 0.001', 'n/a')
    """
    if _missing(p):
        return "n/a"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def with_ci(value, low, high, digits: int = 2) -> str:
    """An estimate with its confidence interval, "0.42 [0.31, 0.55]"; the interval is left out
    when either bound is missing, and the whole is ``n/a`` when the estimate is.

    >>> with_ci(0.4213, 0.31, 0.551), with_ci(0.5, float("nan"), 0.6), with_ci(None, 0, 1)
    ('0.42 [0.31, 0.55]', '0.50', 'n/a')
    """
    if _missing(value):
        return "n/a"
    text = _fixed(value, digits, grouping=False)
    if not (_missing(low) or _missing(high)):
        text += f" [{_fixed(low, digits, False)}, {_fixed(high, digits, False)}]"
    return text


# --- text from the user's data ----------------------------------------------------------------
# Feature, segment, column and file names, labels and titles come from the client's files and
# parameters. In a Markdown cell they could open HTML tags (<script>) or Markdown syntax, so every
# such value goes through escape() or code() before it enters Markdown.

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~^$])")


def escape(value) -> str:
    """``value`` as literal text inside Markdown: HTML special characters become entities and
    Markdown punctuation is backslash-escaped; line breaks become spaces.

    >>> print(escape("<script>alert(1)</script>"))
    &lt;script&gt;alert\\(1\\)&lt;/script&gt;
    >>> print(escape("**bold** [link](x) 'q'"))
    \\*\\*bold\\*\\* \\[link\\]\\(x\\) &#x27;q&#x27;
    """
    import html

    text = " ".join(str(value).split("\n")).replace("\r", " ")
    return html.escape(_MD_SPECIAL.sub(r"\\\1", text), quote=True)


def code(value) -> str:
    """``value`` set in code type inside Markdown (a column or file name), escaped like
    :func:`escape`: ``<code>…</code>`` rather than backticks, which user text could close.

    >>> print(code("客户编号"), code("a`b"))
    <code>客户编号</code> <code>a\\`b</code>
    """
    return f"<code>{escape(value)}</code>"


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


# --- charts ---------------------------------------------------------------------------------

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Arial Unicode MS",
)
"""Fonts that draw Chinese, in order of preference: Linux (Noto, Source Han, WenQuanYi),
Windows (Microsoft YaHei, SimHei), macOS (PingFang, Heiti) and Office (Arial Unicode)."""

FONT_NOTE = (
    "*Some chart labels use characters that no installed font can draw, so they appear "
    "as boxes. Install a Chinese font (e.g. Noto Sans CJK SC) and run the report again "
    "to see them.*"
)
"""The note (Markdown) that :class:`Charts` shows once when a label cannot be drawn."""


class Charts:
    """Shows the figures of one report run.

    Labels of a report often come from the client's data and may be Chinese (feature, segment
    or column names), which matplotlib's default font cannot draw. :meth:`show` draws each
    figure with the installed fonts of :data:`CJK_FONTS` ahead of DejaVu Sans (inside
    ``plt.rc_context``, so nothing global changes) and, when a glyph is still missing, shows
    :data:`FONT_NOTE` under the first such figure instead of printing a warning for every
    character. Other warnings raised while drawing are passed on unchanged.

    A template creates one instance and draws every figure with it, so that the note appears at
    most once per report::

        charts = reports.Charts()
        charts.show(lambda ax: res.plot("better_worse", ax=ax), figsize=(7.5, 6))

    Parameters
    ----------
    fonts : font family names to try before DejaVu Sans; those not installed are skipped.
    tight_layout : call ``fig.tight_layout()`` before showing each figure.
    display : the function that shows a figure or a Markdown note; IPython's ``display`` by
        default. Tests and scripts can pass their own (it receives the Figure, then a
        ``Markdown`` object for the note).

    Attributes
    ----------
    fonts : the font families used, in order (installed fonts of ``fonts``, then DejaVu Sans).
    note_shown : whether the font note has been shown.
    """

    def __init__(
        self,
        *,
        fonts: Sequence[str] = CJK_FONTS,
        tight_layout: bool = True,
        display: Callable | None = None,
    ):
        from matplotlib import font_manager

        installed = {f.name for f in font_manager.fontManager.ttflist}
        self.fonts = [f for f in fonts if f in installed] + ["DejaVu Sans"]
        self.tight_layout = tight_layout
        self.note_shown = False
        self._display = display

    def _show(self, obj) -> None:
        if self._display is not None:
            self._display(obj)
        else:
            from IPython.display import display

            display(obj)

    def show(
        self,
        draw: Callable,
        figsize: tuple[float, float] = (7.5, 4.5),
        *,
        nrows: int = 1,
        ncols: int = 1,
        **subplots,
    ) -> None:
        """Create a figure, let ``draw`` fill it, show it and close it.

        ``draw`` receives the Axes (an array of Axes when ``nrows`` or ``ncols`` is above 1, as
        from ``plt.subplots``, which also gets the other keyword arguments, e.g.
        ``gridspec_kw``); what it returns is ignored. Returns None, so a call at the end of a
        cell shows nothing more.
        """
        import matplotlib.pyplot as plt
        from IPython.display import Markdown

        with (
            plt.rc_context({"font.sans-serif": self.fonts}),
            warnings.catch_warnings(record=True) as caught,
        ):
            warnings.simplefilter("always")
            fig, axes = plt.subplots(nrows, ncols, figsize=figsize, **subplots)
            try:
                draw(axes)
                if self.tight_layout:
                    fig.tight_layout()
                self._show(fig)
            finally:
                plt.close(fig)
        glyphs = [w for w in caught if "missing from font" in str(w.message)]
        for w in caught:
            if w not in glyphs:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if glyphs and not self.note_shown:
            self.note_shown = True
            self._show(Markdown(FONT_NOTE))
