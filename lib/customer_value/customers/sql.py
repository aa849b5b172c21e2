"""The customer table as one DuckDB query that keeps each customer's purchase days as bitmaps.

What :func:`customer_value.customers.aggregate._aggregate` computes, without ever grouping by
customer-day: that aggregate has nearly as many groups as there are lines (100M lines of 1M
customers over two years: ~85M customer-days), which is what makes it slow and makes DuckDB
spill to disk. Here the lines are grouped by customer only:

* the days with an order line are bits of HUGEINT bitmaps per customer (bit ``o mod 127`` of
  word ``o div 127``, ``o`` = days since the first date of the log), OR-ed together; purchase
  days = the number of bits set, first and last purchase = the lowest and highest bit. When
  zero-amount lines are orders and the log has some, a second set of bitmaps holds the days
  with a *positive* line (a day with only free orders has no spend);
* the negative lines are kept as a list of (day, amount) per customer (returns are a few per
  cent of the lines);
* one more read of the lines, joined with each customer's first purchase day and the days of
  her returns that fall on a day with a positive line, gives those days' net values: the only
  days whose value is not simply the sum of their positive lines.

The spend of the repeat occasions then follows by subtraction (see :func:`_aggregate_duckdb`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping

from .definitions import TABLE_COLUMNS

#: Days per bitmap word of the DuckDB aggregation: a HUGEINT has 127 bits a 1 can be shifted to.
_DAYS_PER_WORD = 127
#: Longest period aggregated with day bitmaps (32 words, about 11 years); a log spanning more
#: takes the customer-day route of ``aggregate._aggregate``.
_MAX_WORDS = 32
#: Days of margin before the first and after the last date of a log in its bitmaps: the calendar
#: day of a time-zone-aware timestamp in DuckDB (CAST AS DATE, in the session's time zone) may
#: differ by one from its Python date, which is what the check query returns.
_DAY_MARGIN = 2


def _bitmap_words(first: _dt.date, last: _dt.date) -> int:
    return ((last - first).days + _DAYS_PER_WORD) // _DAYS_PER_WORD


def _quote(name) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _sql_number(x: float) -> str:
    return f"({float(x)!r})::DOUBLE"


class _Bitmaps:
    """SQL snippets for one set of day bitmaps named ``prefix`` (columns prefix0, prefix1 …)."""

    def __init__(self, prefix: str, words: int):
        self.prefix, self.words = prefix, words
        self.word = [f"coalesce({prefix}{j}, 0::HUGEINT)" for j in range(words)]

    def aggregates(self, word_col: str, bit_col: str) -> str:
        return ", ".join(
            f"bit_or(CASE WHEN {word_col} = {j} THEN {bit_col} END) AS {self.prefix}{j}"
            for j in range(self.words)
        )

    def count(self) -> str:
        return " + ".join(f"bit_count({w})::INTEGER" for w in self.word)

    def has(self, o: str) -> str:
        """Whether day ``o`` (an INTEGER expression) is set."""
        w = _DAYS_PER_WORD
        if self.words == 1:
            return f"(({self.word[0]} >> ({o})::HUGEINT) & 1::HUGEINT) = 1"
        word_of = " ".join(f"WHEN {j} THEN {self.word[j]}" for j in range(self.words))
        return f"((CASE ({o}) // {w} {word_of} END >> (({o}) % {w})::HUGEINT) & 1::HUGEINT) = 1"

    def lowest(self) -> str:
        # index of the lowest bit set: popcount((x & -x) - 1)
        w = _DAYS_PER_WORD
        return (
            "CASE "
            + " ".join(
                f"WHEN {x} <> 0 THEN {w * j} + bit_count(({x} & -{x}) - 1::HUGEINT)::INTEGER"
                for j, x in enumerate(self.word)
            )
            + " END"
        )

    def highest(self) -> str:
        # floor(log2(x)), corrected if the rounding went up by one
        w = _DAYS_PER_WORD

        def top(x):
            h = f"CAST(floor(log2(CAST({x} AS DOUBLE))) AS INTEGER)"
            return f"({h} - CASE WHEN ({x} >> ({h})::HUGEINT) = 0 THEN 1 ELSE 0 END)"

        return (
            "CASE "
            + " ".join(
                f"WHEN {self.word[j]} <> 0 THEN {w * j} + {top(self.word[j])}"
                for j in reversed(range(self.words))
            )
            + " END"
        )


def _aggregate_duckdb(
    rel,
    *,
    id_col: str,
    date_col: str,
    amount_col: str,
    cost_col: str | None,
    margin_col: str | None,
    events: Mapping[str, float],
    float_events: set[str],
    as_of: _dt.date,
    cut: bool,
    unit_days: float,
    margin_rate: float,
    order_cost: float,
    return_cost: float,
    zero_is_order: bool,
    has_zero: bool,
    first_day: _dt.date,
    words: int,
):
    """The customer table of a DuckDB relation ``rel`` (columns named by the arguments), as a
    relation with :data:`TABLE_COLUMNS`; see the module docstring for how.

    With P the days with a positive line and v_d a day's net value (its positive and negative
    lines), the paid repeat occasions are the days of P other than the first purchase day with
    v_d > 0. A day of P without a return has v_d > 0, so only the first purchase day and the
    days of P with a return need their v_d, from the second read of the lines::

        Σ_{d∈P} v_d   = gross_sales − (returns on days of P)
        paid days     = |P| − #{d∈P, d ≠ first, v_d ≤ 0} − [first ∈ P]
        paid spend    = Σ_{d∈P} v_d − Σ_{d∈P, d ≠ first, v_d ≤ 0} v_d − [first ∈ P]·v_first

    ``zero_is_order`` says whether a zero-amount line is an order; ``has_zero`` whether the data
    hold one (then the order days O and the positive days P differ and get bitmaps each).
    """
    q = _quote
    d = f"CAST({q(date_col)} AS DATE)"
    sel = [f"{q(id_col)} AS c", f"{d} AS d", f"CAST({q(amount_col)} AS DOUBLE) AS a"]
    if cost_col is not None:
        sel.append(f"CAST({q(cost_col)} AS DOUBLE) AS k")
    if margin_col is not None:
        sel.append(f"CAST({q(margin_col)} AS DOUBLE) AS m")
    service = []
    for col, rate in events.items():
        if rate == 0:
            continue
        e = f"CAST({q(col)} AS DOUBLE)"
        if col in float_events:
            e = f"CASE WHEN isnan({e}) THEN 0.0 ELSE {e} END"
        service.append(f"(coalesce({e}, 0.0) * {_sql_number(rate)})")
    if service:
        sel.append(" + ".join(service) + " AS s")
    extra = [c for c, on in (("k", cost_col), ("m", margin_col), ("s", service)) if on]
    where = f" WHERE {d} <= DATE '{as_of.isoformat()}'" if cut else ""
    w = _DAYS_PER_WORD
    origin = f"DATE '{first_day.isoformat()}'"
    order = "a >= 0" if zero_is_order else "a > 0"
    two = zero_is_order and has_zero
    pos = _Bitmaps("p", words)  # days with a positive line
    occ = _Bitmaps("b", words) if two else pos  # days with an order line (purchase occasions)
    bits = pos.aggregates("w", "bp")
    per_line = [
        f"CASE WHEN a > 0 THEN (d - {origin})::INTEGER // {w} END AS w",
        f"CASE WHEN a > 0 THEN 1::HUGEINT << ((d - {origin}) % {w})::HUGEINT END AS bp",
    ]
    if two:
        bits += ", " + occ.aggregates("wo", "bo")
        per_line += [
            f"CASE WHEN {order} THEN (d - {origin})::INTEGER // {w} END AS wo",
            f"CASE WHEN {order} THEN 1::HUGEINT << ((d - {origin}) % {w})::HUGEINT END AS bo",
        ]
    revenue = "(gross_sales - returns_value)"
    if cost_col is not None:
        margin = f"({revenue} - k)"
    elif margin_col is not None:
        margin = "m"
    else:
        margin = f"({revenue} * {_sql_number(margin_rate)})"
    to_serve = f"((orders * {_sql_number(order_cost)}) + (returns * {_sql_number(return_cost)}))"
    if service:
        to_serve = f"({to_serve} + s)"
    as_of_sql = f"DATE '{as_of.isoformat()}'"
    sums = "".join(f"coalesce(sum({c}), 0.0) AS {c}, " for c in extra)
    # every aggregate costs a pass over the lines' group states, so only what cannot be had
    # otherwise is aggregated: first and last purchase days come from the bitmaps, the number
    # and value of the returns from the list of negative lines
    sql = f"""
WITH line AS NOT MATERIALIZED (
  SELECT {", ".join(sel)} FROM _cv_log{where}),
cust AS MATERIALIZED (
  SELECT *,
         {occ.lowest()} AS first_o,
         {occ.highest()} AS last_o,
         coalesce(len(negatives), 0) AS returns,
         coalesce(-list_sum(list_transform(negatives, lambda x: x.a)), 0.0) AS returns_value,
         coalesce(list_filter(negatives, lambda x: {pos.has("x.o")}), []) AS negatives_on_p
  FROM (SELECT c,
               count(CASE WHEN {order} THEN 1 END) AS orders,
               coalesce(sum(CASE WHEN a > 0 THEN a END), 0.0) AS gross_sales,
               {sums}{bits},
               list({{'o': (d - {origin})::INTEGER, 'a': a}}) FILTER (a < 0) AS negatives
        FROM (SELECT *, {", ".join(per_line)} FROM line)
        GROUP BY c
        HAVING count(CASE WHEN {order} THEN 1 END) > 0)),
special AS (
  SELECT c, first_o AS o FROM cust
  UNION
  SELECT c, unnest(list_transform(negatives_on_p, lambda x: x.o)) AS o FROM cust),
day AS (
  SELECT line.c, (line.d - {origin})::INTEGER AS o, sum(line.a) AS v,
         count(CASE WHEN line.a > 0 THEN 1 END) > 0 AS positive
  FROM line JOIN special ON line.c = special.c AND (line.d - {origin})::INTEGER = special.o
  GROUP BY line.c, (line.d - {origin})::INTEGER),
days AS (
  SELECT day.c,
         coalesce(sum(CASE WHEN day.o = cust.first_o AND positive THEN v END), 0.0) AS first_v,
         count(CASE WHEN day.o = cust.first_o AND positive THEN 1 END) AS first_positive,
         count(CASE WHEN day.o <> cust.first_o AND positive AND v <= 0 THEN 1 END) AS unpaid_n,
         coalesce(sum(CASE WHEN day.o <> cust.first_o AND positive AND v <= 0 THEN v END), 0.0)
           AS unpaid_v
  FROM day JOIN cust ON day.c = cust.c
  GROUP BY day.c),
totals AS (
  SELECT cust.*, ({occ.count()})::BIGINT AS purchase_days,
         ({pos.count()})::BIGINT - unpaid_n - first_positive AS paid_n,
         gross_sales + coalesce(list_sum(list_transform(negatives_on_p, lambda x: x.a)), 0.0)
           - unpaid_v - first_v AS paid_v
  FROM cust JOIN days ON cust.c = days.c),
out AS (
  SELECT c AS customer_id,
         CAST({origin} + first_o AS DATE) AS first_purchase,
         CAST({origin} + last_o AS DATE) AS last_purchase,
         ({as_of_sql} - CAST({origin} + last_o AS DATE))::BIGINT AS recency_days,
         orders, purchase_days, returns, gross_sales, returns_value, {revenue} AS revenue,
         gross_sales / orders AS avg_order_value,
         CAST({margin} AS DOUBLE) AS gross_margin, CAST({to_serve} AS DOUBLE) AS cost_to_serve,
         (purchase_days - 1)::BIGINT AS btyd_frequency,
         CAST(last_o - first_o AS DOUBLE) / {_sql_number(unit_days)} AS btyd_recency,
         CAST({as_of_sql} - CAST({origin} + first_o AS DATE) AS DOUBLE)
           / {_sql_number(unit_days)} AS btyd_T,
         paid_n::BIGINT AS btyd_paid_frequency,
         CASE WHEN paid_n > 0 THEN paid_v / CAST(paid_n AS DOUBLE) ELSE 0.0 END AS btyd_monetary
  FROM totals)
SELECT {
        ", ".join(
            c if c != "profit" else "(gross_margin - cost_to_serve) AS profit"
            for c in TABLE_COLUMNS
        )
    }
FROM out"""
    return rel.query("_cv_log", sql)
