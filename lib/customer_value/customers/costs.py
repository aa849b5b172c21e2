"""The cost to serve of each customer split by activity (activity-based costing)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..io import InputError
from .cleaning import clean_transactions
from .definitions import DEFAULT_COST_RATES, ZERO_AMOUNTS, _event_names, _line_rates, _match
from .parsing import to_date


def activity_costs(
    data: pd.DataFrame,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    as_of=None,
    order_cost: float = 0.0,
    return_cost: float = 0.0,
    cost_rates: Mapping[str, float] | None = None,
    zero_amount: str = "order",
    kind: str = "cost",
) -> pd.DataFrame:
    """The cost to serve of each customer split by activity: activity-based costing at the
    customer level (Cooper & Kaplan 1991, "Profit priorities from activity-based costing",
    *Harvard Business Review* 69(3):130–135; Kaplan & Cooper 1998, *Cost & Effect*).

    Same activities, rates and customers as :func:`customer_table` (and the same arguments):
    ``orders`` (order lines, see ``zero_amount``) × ``order_cost``, ``returns`` (negative lines) × ``return_cost``
    and every service-event column × its rate in ``cost_rates`` (defaults
    :data:`DEFAULT_COST_RATES`; ``cost_rates`` may hold ``order_cost`` and ``return_cost`` too).
    Lines after ``as_of`` are left out, and only customers with a purchase on or before it are
    rows, in ``customer_id`` order, so the rows line up with ``customer_table(...).to_pandas()``
    and each row's costs add up to its ``cost_to_serve``.

    ``kind="cost"`` gives the cost of each activity (rate × volume), ``kind="volume"`` the
    activity volumes (the cost drivers: number of order and return lines, sum of each event
    column). Columns: ``customer_id`` and one column per activity with a positive rate
    (``orders``, ``returns``, then the event columns). pandas input only; a user's file is
    parsed and checked by :func:`clean_transactions` first.

    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "date": ["2024-01-02"] * 3,
    ...                     "amount": [100.0, -20.0, 50.0], "contacts": [1, 2, 0]})
    >>> activity_costs(log, order_cost=5, return_cost=30, cost_rates={"contacts": 20})
      customer_id  orders  returns  contacts
    0           a     5.0     30.0      60.0
    1           b     5.0      0.0       0.0
    """
    if kind not in ("cost", "volume"):
        raise ValueError(f"kind must be 'cost' or 'volume', not {kind!r}")
    order_cost, return_cost, cost_rates = _line_rates(order_cost, return_cost, cost_rates)
    for name, value in (("order_cost", order_cost), ("return_cost", return_cost)):
        if not math.isfinite(float(value)) or float(value) < 0:
            raise InputError(f"{name} must be a finite number >= 0, not {value!r}")
    if zero_amount not in ZERO_AMOUNTS:
        raise InputError(f"zero_amount must be one of {list(ZERO_AMOUNTS)}, not {zero_amount!r}")
    rates, required = _event_names(cost_rates)
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"activity_costs needs a pandas DataFrame, not {type(data).__name__}")
    events = list(
        dict.fromkeys(
            required + [e for e in DEFAULT_COST_RATES if _match(list(data.columns), e) is not None]
        )
    )
    tx, _ = clean_transactions(
        data, customer_id=customer_id, date=date, amount=amount, events=events
    )
    if as_of is not None:
        tx = tx[tx[date].dt.normalize() <= pd.Timestamp(to_date(as_of, "as_of"))]
    a = tx[amount].to_numpy()
    is_order = (a >= 0) if zero_amount == "order" else (a > 0)
    drivers = {"orders": is_order.astype("float64"), "returns": (a < 0).astype("float64")}
    unit_rates = {"orders": float(order_cost), "returns": float(return_cost)}
    for e in events:
        drivers[e] = np.asarray(tx[e], dtype="float64")
        unit_rates[e] = rates[e]
    keep = [k for k, r in unit_rates.items() if r > 0]
    frame = pd.DataFrame(
        {k: drivers[k] * (unit_rates[k] if kind == "cost" else 1.0) for k in keep}, index=tx.index
    )
    frame["customer_id"] = tx[customer_id].to_numpy()
    buyers = pd.unique(tx.loc[is_order, customer_id])
    out = frame.groupby("customer_id", sort=True)[keep].sum()
    out = out.loc[out.index.isin(buyers)].reset_index()
    return out.loc[:, ["customer_id", *keep]]
