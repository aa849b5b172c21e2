"""The catalogue of Slywotzky's profit models: the data, look-up by number or name, model
cards and the one-line listing of the command line.

The catalogue is data, ``customer_value/data/profit_models.csv`` (UTF-8): number, English and
Chinese name, mechanism, where the profit concentrates, examples, signals, related models, the
library function that computes the model, and its profit driver.

Sources: Slywotzky & Morrison (1997), *The Profit Zone* (the 22 models, in the order and with the
Chinese names of the course's source material); Slywotzky (2002), *The Art of Profitability*
(model 23, digital profit).
"""

from __future__ import annotations

import difflib
import functools
import re
import textwrap
import unicodedata
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd

from ..io import InputError
from ._base import SOURCE

__all__ = [
    "DRIVERS",
    "ProfitModel",
    "UnknownProfitModel",
    "catalogue",
    "catalogue_text",
    "get",
]

_SEE_ALSO = {
    "experience_curve": ["fit_experience_curve"],
    "standard_adoption": ["standard_choice_probability"],
    "new_product": ["bass_cumulative"],
    "installed_base": ["lifetime_margin"],
    "after_sale": ["lifetime_margin"],
}

_COLUMNS = [
    "number",
    "name_en",
    "name_zh",
    "mechanism_en",
    "mechanism_zh",
    "profit_concentrates_en",
    "profit_concentrates_zh",
    "examples",
    "signals",
    "related",
    "computable",
    "driver",
    "appendix",
]

#: What drives the profit of each model (the catalogue's ``driver`` column), in tour order:
#: key -> (English label, Chinese label, the question the group answers). The grouping is the
#: course's, not Slywotzky's: The Profit Zone presents the models one by one.
DRIVERS = {
    "customer": (
        "customer",
        "客户",
        "What does the customer buy from us after, around and beyond the first sale?",
    ),
    "product": (
        "product",
        "产品",
        "How is the offer built: tiers, hits, reuse, a premium, uniqueness?",
    ),
    "scale": (
        "scale and cost",
        "规模与成本",
        "How does volume (per deal, per unit, cumulative, per organisation) move unit cost?",
    ),
    "time": ("time", "时间", "When in the product's or the industry's cycle is the profit made?"),
    "position": (
        "position",
        "位置",
        "Where does the firm sit: in a network, a standard, a territory, a value chain?",
    ),
}


@functools.lru_cache(maxsize=1)
def _catalogue_raw() -> pd.DataFrame:
    with (
        resources.files("customer_value")
        .joinpath("data/profit_models.csv")
        .open("r", encoding="utf-8") as fh
    ):
        df = pd.read_csv(fh, dtype=str, keep_default_na=False)
    df["number"] = df["number"].astype(int)
    df["appendix"] = df["appendix"].map({"True": True, "False": False}).astype(bool)
    return df[_COLUMNS]


def _check_lang(lang, allowed: tuple[str, ...]) -> None:
    if lang not in allowed:
        shown = ", ".join(repr(a) for a in allowed)
        raise InputError(f"lang must be one of {shown}; got {lang!r}")


def catalogue(lang: str = "en", include_appendix: bool = False) -> pd.DataFrame:
    """The profit-model catalogue, one row per model in *The Profit Zone* order.

    ``lang="en"`` gives columns number, name (English), name_zh, mechanism,
    profit_concentrates, examples, signals, related, computable, driver; ``lang="zh"`` gives the
    Chinese name and texts in ``name``/``mechanism``/``profit_concentrates`` (with ``name_en``
    beside ``name``); ``lang="all"`` gives every column of the data file.
    ``include_appendix=True`` adds model 23, "digital profit" (数字化利润模型) from Slywotzky
    (2002), and an ``appendix`` column. ``driver`` (the same key in every language) says what
    drives the model's profit: customer, product, scale, time or position (labels and Chinese
    names in :data:`DRIVERS`; the grouping is this course's).

    Sources: Slywotzky & Morrison (1997), *The Profit Zone*; Slywotzky (2002), *The Art of
    Profitability*.

    >>> catalogue().loc[20, "name"]
    'experience curve'
    """
    _check_lang(lang, ("en", "zh", "all"))
    df = _catalogue_raw()
    if not include_appendix:
        df = df[~df["appendix"]]
    df = df.reset_index(drop=True)
    if lang == "all":
        return df.copy() if include_appendix else df.drop(columns="appendix")
    other = "zh" if lang == "en" else "en"
    out = pd.DataFrame(
        {
            "number": df["number"],
            "name": df[f"name_{lang}"],
            f"name_{other}": df[f"name_{other}"],
            "mechanism": df[f"mechanism_{lang}"],
            "profit_concentrates": df[f"profit_concentrates_{lang}"],
            "examples": df["examples"],
            "signals": df["signals"],
            "related": df["related"],
            "computable": df["computable"],
            "driver": df["driver"],
        }
    )
    if include_appendix:
        out["appendix"] = df["appendix"]
    return out


@dataclass(frozen=True)
class ProfitModel:
    """One profit model of the catalogue (see :func:`get`): its fields, the library function
    that computes it (``function``) and its card.

    >>> m = get("installed base")
    >>> m.number, m.name_zh, m.driver, m.function.__name__
    (10, '基础产品模型', 'customer', 'installed_base')
    """

    number: int
    name_en: str
    name_zh: str
    mechanism_en: str
    mechanism_zh: str
    profit_concentrates_en: str
    profit_concentrates_zh: str
    examples: str
    signals: str
    related: tuple[int, ...]
    computable: str
    driver: str = ""
    appendix: bool = False

    @property
    def function(self):
        """The library function that computes the model."""
        from customer_value import profit_models

        return getattr(profit_models, self.computable)

    def related_models(self) -> list[ProfitModel]:
        """The related models as records."""
        return [get(n) for n in self.related]

    def card(self, lang: str = "en") -> str:
        """The model's card: every catalogue field, the library function and the source, in
        English (``"en"``) or Chinese (``"zh"``).

        >>> print(get(21).card().splitlines()[0])
        #21 Experience curve · 经验曲线模型
        """
        _check_lang(lang, ("en", "zh"))
        rel_names = {m.number: (m.name_en, m.name_zh) for m in map(get, self.related)}
        source = "Slywotzky (2002), The Art of Profitability" if self.appendix else SOURCE
        funcs = [self.computable] + _SEE_ALSO.get(self.computable, [])
        compute = "customer_value.profit_models: " + ", ".join(f"{fn}()" for fn in funcs)
        driver = DRIVERS.get(self.driver, (self.driver, self.driver))
        if lang == "en":
            rel = "; ".join(f"#{n} {rel_names[n][0]}" for n in self.related)
            title = f"#{self.number} {self.name_en.capitalize()} · {self.name_zh}"
            fields = [
                ("Mechanism", self.mechanism_en),
                ("Profit driver", driver[0]),
                ("Profit concentrates", self.profit_concentrates_en),
                ("Examples", self.examples),
                ("Signals", self.signals),
                ("Related models", rel),
                ("Compute", compute),
                ("Source", source),
            ]
            lines = [title, "=" * _width(title)]
            for label, text in fields:
                lines.append(
                    textwrap.fill(
                        text,
                        width=96,
                        initial_indent=f"{label + ':':<21}",
                        subsequent_indent=" " * 21,
                    )
                )
        else:
            rel = "；".join(f"#{n} {rel_names[n][1]}" for n in self.related)
            title = f"#{self.number} {self.name_zh} · {self.name_en}"
            lines = [
                title,
                "=" * _width(title),
                f"机制：{self.mechanism_zh}",
                f"利润驱动：{driver[1]}",
                f"利润区：{self.profit_concentrates_zh}",
                f"案例：{self.examples}",
                f"数据中的信号 (signals)：{self.signals}",
                f"相关模型：{rel}",
                f"计算：{compute}",
                f"来源：{source}",
            ]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.card()


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK (wide and full-width) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, n: int) -> str:
    return text + " " * max(n - _width(text), 0)


def _one_line(text: str, n: int, lang: str) -> str:
    """The first clause of a mechanism, cut at a word (English) to at most ``n`` columns."""
    first = text.replace("；", "; ").split("; ")[0].rstrip("。.") + ("。" if lang == "zh" else "")
    if _width(first) <= n:
        return first
    out = ""
    for ch in first:
        if _width(out + ch) > n - 1:
            break
        out += ch
    if lang == "en" and " " in out:
        out = out[: out.rfind(" ")].rstrip(",;:")
    return out + "…"


def catalogue_text(lang: str = "en", width: int = 110, include_appendix: bool = False) -> str:
    """The catalogue as a listing for a terminal of ``width`` columns: one line per model with
    its number, name in both languages and the first clause of its mechanism (Chinese names
    count two columns each), and a hint on how to show one model's card.

    >>> print(catalogue_text(width=80).splitlines()[22])
    21  experience curve          经验曲线模型        Unit cost falls by a…
    """
    _check_lang(lang, ("en", "zh"))
    cat = catalogue(lang=lang, include_appendix=include_appendix)
    other = "name_zh" if lang == "en" else "name_en"
    w_name = max(_width(s) for s in cat["name"]) + 2
    w_other = max(_width(s) for s in cat[other]) + 2
    room = max(int(width) - 4 - w_name - w_other, 30)
    if lang == "en":
        title = "Slywotzky's profit models (Slywotzky & Morrison 1997, The Profit Zone)"
        header = ("#", "model", "中文", "mechanism")
        hint = (
            "customer-value profit-models NAME shows a model's card "
            "(NAME: number, English or Chinese name)"
        )
    else:
        title = "22种利润模型（Slywotzky & Morrison 1997, The Profit Zone）"
        header = ("#", "模型", "English", "机制")
        hint = "customer-value profit-models --lang zh NAME 显示某个模型的卡片（NAME：编号、中文或英文名称）"
    lines = [
        title,
        f"{header[0]:>2}  {_pad(header[1], w_name)}{_pad(header[2], w_other)}{header[3]}",
    ]
    for row in cat.itertuples(index=False):
        lines.append(
            f"{row.number:>2}  {_pad(row.name, w_name)}{_pad(getattr(row, other), w_other)}"
            f"{_one_line(row.mechanism, room, lang)}"
        )
    lines += ["", hint]
    return "\n".join(lines)


def _norm_en(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = re.sub(r"[\s\-_/·.]+", "", text)
    for suffix in ("profitmodel", "model", "profit"):
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    return text


def _norm_zh(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text))
    text = re.sub(r"[\s\"“”「」'‘’]+", "", text)
    for suffix in ("模型", "模式", "利润"):  # "售后利润模型", "售后利润" and "售后" are one model
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
    return text


@functools.lru_cache(maxsize=1)
def _records() -> dict[int, ProfitModel]:
    out = {}
    for row in _catalogue_raw().itertuples(index=False):
        d = row._asdict()
        d["number"] = int(d["number"])
        d["appendix"] = bool(d["appendix"])
        d["related"] = tuple(int(x) for x in str(d["related"]).split(";") if x.strip())
        out[d["number"]] = ProfitModel(**d)
    return out


@functools.lru_cache(maxsize=1)
def _keys() -> dict[str, int]:
    keys: dict[str, int] = {}
    for n, m in _records().items():
        for name in [m.name_en, m.computable, *m.name_en.split("/")]:
            keys[_norm_en(name)] = n
        keys[_norm_zh(m.name_zh)] = n
        keys[m.name_zh] = n
    return keys


class UnknownProfitModel(InputError, KeyError):
    """No profit model with this number or name (an InputError and a KeyError).

    >>> try:
    ...     get("experiance curve")
    ... except UnknownProfitModel as err:
    ...     print(err)
    unknown profit model 'experiance curve'; did you mean 'experience curve'?
    """

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else ""


def get(key: int | str) -> ProfitModel:
    """Look a profit model up by number (1–23), English name or Chinese name.

    English names are matched ignoring case, spaces, hyphens and a trailing "profit"/"model"
    ("experience curve", "Experience-Curve", "experience curve profit"; the function name, e.g.
    "transaction_scale", also works); Chinese names with or without 模型 and quotation marks
    ("经验曲线模型", "经验曲线", "卖座大片"). An unknown key raises :class:`UnknownProfitModel`
    listing the closest names (difflib).

    Source: Slywotzky & Morrison (1997), *The Profit Zone*.

    >>> get("经验曲线模型").number
    21
    """
    records = _records()
    if isinstance(key, (bool, np.bool_)):
        raise UnknownProfitModel(f"profit model key must be a number or a name; got {key!r}")
    if isinstance(key, (int, np.integer)):
        if int(key) in records:
            return records[int(key)]
        raise UnknownProfitModel(
            f"no profit model number {key}; numbers are 1–22 (and 23, the "
            "appendix model 'digital profit')"
        )
    if not isinstance(key, str):
        raise UnknownProfitModel(f"profit model key must be a number or a name; got {key!r}")
    if key.strip().isdigit():
        return get(int(key.strip()))
    keys = _keys()
    for k in (_norm_en(key), _norm_zh(key)):
        if k in keys:
            return records[keys[k]]
    names = [m.name_en for m in records.values()] + [m.name_zh for m in records.values()]
    close = difflib.get_close_matches(key, names, n=4, cutoff=0.5)
    if not close:  # try on normalised names (e.g. 'experiencecurv')
        norm = {_norm_en(m.name_en): m.name_en for m in records.values()}
        close = [
            norm[c] for c in difflib.get_close_matches(_norm_en(key), list(norm), n=4, cutoff=0.5)
        ]
    hint = (
        f"; did you mean {', '.join(repr(c) for c in close)}?"
        if close
        else "; see catalogue() for the names"
    )
    raise UnknownProfitModel(f"unknown profit model {key!r}{hint}")
