"""The layout of a firm-figures file (the input of the ``profit_model_report``) as a pydantic
schema, and pydantic's errors in the words of the file.

:class:`FirmFile` is the whole file: a header (firm, currency, period, notes) and up to five
sections (:data:`FIRM_SECTIONS`), each a model of its own (:class:`Segment`, :class:`UnitCosts`,
:class:`MarketShare`, :class:`Capacity`, :class:`InstalledBase`). Numbers may be written as
numbers, numeric strings or percentages ("24%"); each field has a rule (> 0, a share in (0, 1],
a whole number ...). Rules between fields (give assets for every segment or none, a price
somewhere, all three service figures ...) are validators of the section, reported together with
the problems of single fields. :func:`describe` turns one pydantic error into the section, entry
and field of the file and the rule it breaks.
"""

from __future__ import annotations

import difflib
import math
import typing
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from .._util import fmt

__all__ = [
    "FIRM_SECTIONS",
    "Capacity",
    "CapacityRow",
    "FirmFile",
    "InstalledBase",
    "MarketShare",
    "Segment",
    "UnitCostRow",
    "UnitCosts",
    "describe",
]

#: The sections a firm-figures file may have, in report order: section -> (what it holds, the
#: computable models it feeds).
FIRM_SECTIONS = {
    "segments": (
        "segment P&L: revenue, cost and (optionally) assets per segment",
        ("multi_component",),
    ),
    "unit_costs": (
        "unit-cost history: cumulative volume and unit cost, inline or in a CSV/Excel file",
        ("fit_experience_curve",),
    ),
    "market_share": ("own market share and the largest rival's", ("relative_market_share",)),
    "capacity": (
        "capacity, unit variable cost, fixed cost per period and a utilisation (and price) history",
        ("cyclical",),
    ),
    "installed_base": (
        "installed base: hardware and consumable prices and costs, usage, "
        "retention; optionally service contracts",
        ("installed_base", "after_sale"),
    ),
}
_HEADER = ("firm", "currency", "period", "notes")


# ============================================================================================
# values: numbers as a spreadsheet user writes them, with the rule they must follow
# ============================================================================================


def _number(value) -> float | None:
    """A YAML value as a float: numbers, numeric strings, "24%" → 0.24; None if not numeric."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        scale = 1.0
        if text.endswith("%"):
            text, scale = text[:-1].strip(), 0.01
        try:
            return float(text) * scale
        except ValueError:
            return None
    return None


_RULES = {
    "pos": ("> 0", lambda x: x > 0),
    "nonneg": (">= 0", lambda x: x >= 0),
    "share": ("in (0, 1]", lambda x: 0 < x <= 1),
    "rate": ("in [0, 1)", lambda x: 0 <= x < 1),
    "ratio": ("in (0, 1)", lambda x: 0 < x < 1),
    "margin": ("in [-1, 1]", lambda x: -1 <= x <= 1),
    "int": ("a whole number >= 1", lambda x: x >= 1 and x == int(x)),
    "any": ("a finite number", lambda x: True),
}


def _rule(name: str):
    text, ok = _RULES[name]

    def check(value):
        x = _number(value)
        if x is None:
            raise PydanticCustomError(
                "not_a_number", "must be a number; got {got}", {"got": repr(value)}
            )
        if not (math.isfinite(x) and ok(x)):
            raise PydanticCustomError(
                "out_of_range", "must be {rule}; got {got}", {"rule": text, "got": repr(value)}
            )
        return int(x) if name == "int" else x

    return BeforeValidator(check)


Positive = Annotated[float, _rule("pos")]
NonNegative = Annotated[float, _rule("nonneg")]
Share = Annotated[float, _rule("share")]
Rate = Annotated[float, _rule("rate")]
Ratio = Annotated[float, _rule("ratio")]
Margin = Annotated[float, _rule("margin")]
Years = Annotated[int, _rule("int")]
Finite = Annotated[float, _rule("any")]
Text = Annotated[str, BeforeValidator(lambda v: str(v).strip())]


def _basis(value):
    if value not in ("including", "before"):
        raise PydanticCustomError(
            "basis",
            "must be 'including' (cumulative volume counts the period's own output) or "
            "'before'; got {got}",
            {"got": repr(value)},
        )
    return value


# ============================================================================================
# the schema
# ============================================================================================


def _errors(title: str, items: list[tuple[tuple, str, str, Any]]):
    """A pydantic ValidationError of (loc, type, message, input) items."""
    return ValidationError.from_exception_data(
        title,
        [
            InitErrorDetails(type=PydanticCustomError(kind, msg), loc=loc, input=value)
            for loc, kind, msg, value in items
        ],
    )


class _Entry(BaseModel):
    """A mapping of fields: unknown fields are errors, a field left empty counts as absent, and
    the rules between fields (:meth:`_rules`) are reported together with the problems of the
    single fields."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="wrap")
    @classmethod
    def _collect(cls, data, handler):
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if v is not None}
        found = cls._rules(data) if isinstance(data, dict) else []
        try:
            out = handler(data)
        except ValidationError as exc:
            items = [(e["loc"], e["type"], e["msg"], e.get("input")) for e in exc.errors()]
            raise _errors(cls.__name__, items + [((), "rule", m, data) for m in found]) from None
        found += out._consistency()
        if found:
            raise _errors(cls.__name__, [((), "rule", m, data) for m in found])
        return out

    @classmethod
    def _rules(cls, data: dict) -> list[str]:
        """Problems visible from which fields are present (checked even when values are bad)."""
        return []

    def _consistency(self) -> list[str]:
        """Problems between valid values."""
        return []


class Segment(_Entry):
    """One segment of the P&L (product line, channel, customer type)."""

    name: Text
    revenue: Positive
    cost: Positive
    assets: Positive | None = None


def _segments_agree(rows: list[Segment]) -> list[Segment]:
    problems = []
    names = [r.name for r in rows]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        problems.append(f"duplicated segment name(s): {dup}")
    lacking = [r.name for r in rows if r.assets is None]
    if lacking and len(lacking) < len(rows):
        problems.append(f"give assets for every segment or for none; missing for {lacking[:5]}")
    if problems:
        raise _errors("segments", [((), "rule", m, None) for m in problems])
    return rows


class UnitCostRow(_Entry):
    """One period of the unit-cost history."""

    period: Text | None = None
    cumulative: Positive
    unit_cost: Positive


class UnitCosts(_Entry):
    """The unit-cost history: inline (``history``) or in a CSV/Excel ``file``."""

    unit: Text | None = None
    basis: Annotated[str, BeforeValidator(_basis)] = "including"
    history: list[UnitCostRow] | None = None
    file: Text | None = None
    sheet: Text | None = None
    cumulative_column: Text = "cumulative"
    cost_column: Text = "unit_cost"
    period_column: Text | None = None

    @classmethod
    def _rules(cls, data):
        if ("history" in data) == ("file" in data):
            return [
                "give either 'history' (a list of {cumulative, unit_cost}) or 'file' (a "
                "CSV/Excel file), not both and not neither"
            ]
        return []


class MarketShare(_Entry):
    """Own market share and the largest rival's (fractions or percentages)."""

    own: Share
    largest_rival: Share
    market: Text | None = None
    progress_ratio: Ratio | None = None

    def _consistency(self):
        if self.own + self.largest_rival > 1 + 1e-9:
            return [
                f"own ({fmt(self.own)}) and largest_rival ({fmt(self.largest_rival)}) shares "
                "sum to more than 1"
            ]
        return []


class CapacityRow(_Entry):
    """One period of the utilisation history."""

    period: Text | None = None
    utilisation: Share
    price: Positive | None = None


class Capacity(_Entry):
    """Capacity, costs and the price line (or a price history) of a plant."""

    capacity: Positive
    variable_cost: Positive
    fixed_cost: NonNegative
    unit: Text | None = None
    currency: Text | None = None
    price: Positive | None = None
    price_intercept: Finite | None = None
    price_slope: NonNegative | None = None
    utilisation: Share | None = None
    history: Annotated[list[CapacityRow], Field(min_length=1)] | None = None

    @classmethod
    def _rules(cls, data):
        problems = []
        hist = data.get("history")
        rows = [r for r in hist if isinstance(r, dict)] if isinstance(hist, list) else []
        with_price = [r.get("price") is not None for r in rows]
        if any(with_price) and not all(with_price):
            problems.append("give a price in every history row or in none")
        if not ("price" in data or "price_intercept" in data or (with_price and all(with_price))):
            problems.append(
                "no price: give 'price' (constant), or 'price_intercept' (and "
                "'price_slope'), or a price in every history row"
            )
        if "price_slope" in data and "price_intercept" not in data:
            problems.append("'price_slope' needs 'price_intercept'")
        if "history" in data and "utilisation" in data:
            problems.append("give either 'utilisation' (one current value) or 'history', not both")
        return problems


_SERVICE = ("service_revenue", "service_margin", "attach_rate")


class InstalledBase(_Entry):
    """Per-unit economics of the installed base, optionally with service contracts."""

    unit: Text | None = None
    currency: Text | None = None
    units: Positive | None = None
    hardware_price: NonNegative
    hardware_cost: Positive
    consumable_price: Positive
    consumable_cost: Positive
    consumables_per_year: Positive
    years: Years
    retention: Share | None = None
    capture_rate: Share | None = None
    discount_rate: Rate | None = None
    service_revenue: Positive | None = None
    service_margin: Margin | None = None
    attach_rate: Share | None = None
    renewal_rate: Share | None = None

    @classmethod
    def _rules(cls, data):
        problems = []
        given = [k for k in _SERVICE if k in data]
        if given and len(given) < len(_SERVICE):
            lacking = [k for k in _SERVICE if k not in data]
            problems.append(
                "service contracts need service_revenue, service_margin and attach_rate; "
                f"missing {lacking}"
            )
        if "renewal_rate" in data and not given:
            problems.append(
                "'renewal_rate' is only used with service_revenue, service_margin and attach_rate"
            )
        return problems


class FirmFile(_Entry):
    """The layout of a firm-figures file: a header (firm, currency, period, notes) and up to
    five sections (:data:`FIRM_SECTIONS`).

    >>> FirmFile.model_validate({"market_share": {"own": "18%", "largest_rival": 0.27}}).market_share
    MarketShare(own=0.18, largest_rival=0.27, market=None, progress_ratio=None)
    """

    firm: Text | None = None
    currency: Text | None = None
    period: Text | None = None
    notes: Text | None = None
    segments: (
        Annotated[list[Segment], Field(min_length=1), AfterValidator(_segments_agree)] | None
    ) = None
    unit_costs: UnitCosts | None = None
    market_share: MarketShare | None = None
    capacity: Capacity | None = None
    installed_base: InstalledBase | None = None

    def _consistency(self):
        if all(getattr(self, s) is None for s in FIRM_SECTIONS):
            return [f"no figures: give at least one section of {', '.join(FIRM_SECTIONS)}"]
        return []


# ============================================================================================
# pydantic's errors as one InputError
# ============================================================================================

_LISTS = {
    ("segments",): "must be a non-empty list of segments, each with name, revenue, cost (and "
    "optionally assets)",
    ("unit_costs", "history"): "field 'history' must be a list of {period, cumulative, unit_cost}",
    ("capacity", "history"): "field 'history' must be a non-empty list of {period, utilisation, "
    "price}",
}


def _unwrap(annotation) -> type | None:
    """The model inside ``X | None``, ``list[X]`` or ``Annotated[...]``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _unwrap(arg)
        if found is not None:
            return found
    return None


def _model_at(loc: tuple) -> type[BaseModel]:
    model: type[BaseModel] = FirmFile
    for part in loc:
        if isinstance(part, str) and part in model.model_fields:
            model = _unwrap(model.model_fields[part].annotation) or model
    return model


def _entry_label(raw, section: str, keys: list, i: int) -> str:
    node = raw.get(section) if isinstance(raw, dict) else None
    for k in keys:
        node = node.get(k) if isinstance(node, dict) else None
    entry = node[i] if isinstance(node, list) and i < len(node) else None
    key = "period" if keys else "name"
    name = entry.get(key) if isinstance(entry, dict) else None
    return f"entry {i + 1}" + (f" ({str(name)!r})" if name is not None else "")


def describe(error: dict, raw) -> tuple[str, str]:
    """(where, what) of one pydantic error, in the words of the file."""
    loc, kind, value = tuple(error["loc"]), error["type"], error.get("input")
    if not loc:
        return "file", error["msg"]
    section = str(loc[0])
    if len(loc) == 1 and kind == "extra_forbidden":
        allowed = list(FIRM_SECTIONS) + list(_HEADER)
        close = difflib.get_close_matches(section, allowed, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return (
            f"section {section!r}",
            f"unknown section; {hint}valid sections: {', '.join(FIRM_SECTIONS)} "
            f"(and {', '.join(_HEADER)})",
        )
    where, path, keys, fld = [f"section {section!r}"], [section], [], None
    rest = list(loc[1:])
    while rest:
        part = rest.pop(0)
        if isinstance(part, int):
            label = _entry_label(raw, section, keys, part)
            where.append(f"history {label}" if keys else label)
        elif rest and isinstance(rest[0], int):
            keys.append(part)
            path.append(part)
        else:
            fld = part
    if kind in ("list_type", "too_short") and fld is None:
        return ", ".join(where), _LISTS.get(tuple(path), "must be a non-empty list")
    if kind in ("list_type", "too_short") and (section, fld) in _LISTS:
        return ", ".join(where), _LISTS[(section, fld)]
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return ", ".join(where), f"must be a mapping of field: value; got {value!r}"
    if kind == "missing":
        return ", ".join(where), f"missing field {fld!r}"
    if kind == "extra_forbidden":
        fields = list(_model_at(loc[:-1]).model_fields)
        close = difflib.get_close_matches(str(fld), fields, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return ", ".join(where), f"unknown field {fld!r}{hint}; fields: {', '.join(fields)}"
    if fld is None:
        return ", ".join(where), error["msg"]
    return ", ".join(where), f"field {fld!r} {error['msg']}"
