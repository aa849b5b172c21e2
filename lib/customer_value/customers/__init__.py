"""From a transaction log to a customer table (交易明细 → 顾客表).

Two steps, each a function:

1. :func:`clean_transactions` turns a transaction log as users keep it (a CSV or Excel sheet read
   as text with :func:`customer_value.io.read_table`) into typed columns: column names matched
   case-insensitively, amounts such as ``"¥1,234.50"``, ``"RMB 80"``, ``"(12.50)"`` or full-width
   ``"１２３"`` parsed to numbers, dates in the usual year-first formats parsed to datetimes. Every
   problem is reported in one :class:`~customer_value.io.InputError` with the offending values,
   their counts and file line numbers, or, with ``on_invalid="drop"``, the rows are left out and
   counted in a :class:`CleaningReport`.
2. :func:`customer_table` aggregates the log to one row per customer: purchase dates, orders,
   purchase occasions, returns, revenue, gross margin, cost to serve, profit, and the
   frequency/recency/T/monetary inputs of the BTYD models. It runs on pandas (through DuckDB),
   Polars, DuckDB and PySpark data, and on CSV/Parquet files too large for memory; the
   aggregation is executed by the backend the data live in: one DuckDB query that keeps each
   customer's purchase days as bitmaps (pandas, pyarrow, DuckDB and file input), or one narwhals
   query over customer-days (Polars, PySpark, and logs spanning more than about 11 years).

What counts as a purchase
-------------------------
A line with amount ≥ 0 is an **order**: a free or fully discounted order (amount 0) is a
purchase like any other (``zero_amount="ignore"`` treats amount-0 lines as non-orders, e.g. a
log that records service contacts as lines). A line with a negative amount is a **return**
(refund): it counts in ``returns`` and its absolute value in ``returns_value``, and it reduces
``revenue = gross_sales − returns_value``. A **purchase occasion** is a calendar day with at
least one order line: several orders on one day are one occasion; a day with only returns is
not one. An occasion's value is the day's net amount (returns are netted against a purchase on
the same day). The BG/NBD inputs count occasions whatever their value; the Gamma-Gamma spend
is the mean value of the repeat occasions with a positive value (``btyd_paid_frequency`` of
them), because value enters only the spend model. Customers without an order on or before
``as_of`` (e.g. only returns) have no first purchase and are not in the table.

Modules: ``parsing`` (amounts and dates as users write them), ``cleaning``
(:func:`clean_transactions`), ``table`` (:func:`customer_table`, on DuckDB through ``sql`` or
on any backend through ``aggregate``), ``files`` (reading CSV/Parquet without pandas),
``costs`` (:func:`activity_costs`), ``log`` (:func:`read_log`: a user's file by the fastest
safe route).

Sources
-------
Frequency, recency and T follow Fader, Hardie & Lee (2005a), "Counting your customers the easy
way: an alternative to the Pareto/NBD model", *Marketing Science* 24(2):275–284, and (2005b),
"RFM and CLV: using iso-value curves for customer base analysis", *J. Marketing Research*
42(4):415–430: frequency = number of *repeat* purchase occasions (transactions on the same day
are one occasion), recency = time of the last purchase measured from the first, T = time from the
first purchase to the end of the observation period; the monetary value of the Gamma-Gamma model
is the mean spend per repeat occasion. These are not the RFM meanings of the same words.
Excluding zero-value occasions from the spend average keeps the Gamma-Gamma model's support
(spend > 0) while counting them as purchases in the BG/NBD model.
Cost to serve is activity-based costing at the customer level: each activity a customer causes
(an order, a return, a service contact, a delivery, a discount) is costed at its rate and summed
(Cooper & Kaplan 1991, "Profit priorities from activity-based costing", *Harvard Business
Review* 69(3):130–135; Kaplan & Cooper 1998, *Cost & Effect*, Harvard Business School Press).

>>> import pandas as pd
>>> log = pd.DataFrame({"customer_id": ["a", "a", "b"],
...                     "date": ["2024-01-02", "2024-01-09", "2024-01-05"],
...                     "amount": ["¥1,200", "(200)", "80"]})
>>> tx, report = clean_transactions(log)
>>> customer_table(tx).to_pandas()[["customer_id", "orders", "returns", "revenue"]]
  customer_id  orders  returns  revenue
0           a       1        1   1000.0
1           b       1        0     80.0
"""

from .cleaning import MAX_AMOUNT, CleaningReport, clean_transactions
from .costs import activity_costs
from .definitions import (
    DEFAULT_COST_RATES,
    SUMMARY_COLUMNS,
    TABLE_COLUMNS,
    UNITS,
    ZERO_AMOUNTS,
)
from .log import TransactionLog, read_log
from .parsing import to_date
from .table import CustomerTable, customer_table

__all__ = [
    "DEFAULT_COST_RATES",
    "MAX_AMOUNT",
    "SUMMARY_COLUMNS",
    "TABLE_COLUMNS",
    "UNITS",
    "ZERO_AMOUNTS",
    "CleaningReport",
    "CustomerTable",
    "TransactionLog",
    "activity_costs",
    "clean_transactions",
    "customer_table",
    "read_log",
    "to_date",
]
