"""The customer table's columns, time units and cost-to-serve defaults, and how the columns of
a user's log are found (names matched ignoring case and width)."""

from __future__ import annotations

import datetime as _dt
import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from ..io import InputError

#: Columns of the customer table, in order (see :func:`customer_table`).
TABLE_COLUMNS = (
    "customer_id",
    "first_purchase",
    "last_purchase",
    "recency_days",
    "orders",
    "purchase_days",
    "returns",
    "gross_sales",
    "returns_value",
    "revenue",
    "avg_order_value",
    "gross_margin",
    "cost_to_serve",
    "profit",
    "btyd_frequency",
    "btyd_recency",
    "btyd_T",
    "btyd_paid_frequency",
    "btyd_monetary",
)
_INT_COLUMNS = (
    "recency_days",
    "orders",
    "purchase_days",
    "returns",
    "btyd_frequency",
    "btyd_paid_frequency",
)
_DATE_COLUMNS = ("first_purchase", "last_purchase")

#: Length of each time unit in days (fractional; a month is a twelfth of a Julian year).
UNITS = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "year": 365.25}

#: Cost per unit of each service-event column: contacts and deliveries cost nothing unless you
#: give a rate; a discount is money and costs itself.
DEFAULT_COST_RATES = {"contacts": 0.0, "deliveries": 0.0, "discount": 1.0}

#: Columns of :meth:`CustomerTable.summary`.
SUMMARY_COLUMNS = (
    "customers",
    "revenue",
    "gross_margin",
    "cost_to_serve",
    "profit",
    "share_negative_profit",
)

#: What a line with amount 0 is (``zero_amount=``): ``"order"`` (default) — a free or fully
#: discounted order, which is a purchase (Fader, Hardie & Lee 2005a count purchase occasions,
#: whatever their value; the value enters only the spend model); ``"ignore"`` — not an order
#: (e.g. a logged service contact): its service events still count in the cost to serve.
ZERO_AMOUNTS = ("order", "ignore")

_EPOCH_ORDINAL = _dt.date(1970, 1, 1).toordinal()


# ============================================================================================
# column matching
# ============================================================================================


def _key(name) -> str:
    return unicodedata.normalize("NFKC", str(name)).strip().casefold()


def _match(columns: Sequence, wanted: str) -> str | None:
    """The column of ``columns`` named ``wanted``, exactly or else case-insensitively."""
    if wanted in columns:
        return wanted
    hits = [c for c in columns if _key(c) == _key(wanted)]
    if len(hits) > 1:
        raise InputError(
            f"column {wanted!r} matches several columns when case is ignored: "
            f"{[str(h) for h in hits]}; rename one of them",
            columns=[str(h) for h in hits],
        )
    return hits[0] if hits else None


def _resolve(
    columns: Sequence,
    required: Mapping[str, str],
    optional: Iterable[str] = (),
    source: str | None = None,
) -> dict[str, str]:
    """Map each wanted name to the actual column; one error lists every missing required one."""
    found, missing = {}, []
    for wanted in required.values():
        hit = _match(columns, wanted)
        if hit is None:
            missing.append(wanted)
        else:
            found[wanted] = hit
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(repr(m) for m in missing)} (names are matched "
            f"ignoring case); columns present: {[str(c) for c in columns][:30]}",
            source=source,
            columns=missing,
        )
    for wanted in optional:
        hit = _match(columns, wanted)
        if hit is not None:
            found[wanted] = hit
    return found


def _line_rates(order_cost, return_cost, cost_rates):
    """Take ``order_cost`` and ``return_cost`` out of ``cost_rates`` when it holds them (as
    ``datasets.RETAIL_COST_RATES`` does); a rate given both ways is refused."""
    if cost_rates is None or not {"order_cost", "return_cost"} & set(cost_rates):
        return order_cost, return_cost, cost_rates
    cost_rates = dict(cost_rates)
    if "order_cost" in cost_rates:
        if order_cost:
            raise InputError("order_cost is given twice: as an argument and in cost_rates")
        order_cost = cost_rates.pop("order_cost")
    if "return_cost" in cost_rates:
        if return_cost:
            raise InputError("return_cost is given twice: as an argument and in cost_rates")
        return_cost = cost_rates.pop("return_cost")
    return order_cost, return_cost, cost_rates


def _event_names(cost_rates: Mapping[str, float] | None) -> tuple[dict[str, float], list[str]]:
    """Rates for every service-event column and the names that must be present (non-default)."""
    rates = dict(DEFAULT_COST_RATES)
    for name, rate in (cost_rates or {}).items():
        try:
            rate = float(rate)
        except (TypeError, ValueError):
            rate = math.nan
        if not math.isfinite(rate) or rate < 0:
            raise InputError(
                f"the cost rate of {name!r} must be a finite number >= 0, not {rate!r}"
            )
        rates[str(name)] = rate
    required = [n for n in (cost_rates or {}) if n not in DEFAULT_COST_RATES]
    return rates, required
