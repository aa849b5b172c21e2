"""Seeded generators of a retailer's transaction log, a subscription cohort table, a messy ERP
export of the log, and large Parquet logs for scale tests.

The transaction log is simulated from the models the lessons fit, so that a lesson can check that
an analysis recovers what was put in:

* purchase occasions follow the BG/NBD process (Fader, Hardie & Lee 2005, "Counting your
  customers the easy way: an alternative to the Pareto/NBD model", *Marketing Science*
  24(2):275–284): while alive, a customer buys at a Poisson rate λ ~ Gamma(r, α); after each
  repeat purchase she drops out for good with probability p ~ Beta(a, b);
* spend per occasion follows the Gamma-Gamma model (Fader, Hardie & Lee 2005, "RFM and CLV:
  using iso-value curves for customer base analysis", *J. Marketing Research* 42(4):415–430):
  z ~ Gamma(p, ν) around the customer's mean p/ν, with ν ~ Gamma(q, γ) across customers;
* a "high-maintenance" segment (over-represented among big spenders) causes many service
  contacts, returns, home deliveries and discounts, so that activity-based cost to serve (Cooper &
  Kaplan 1991, *Harvard Business Review* 69(3):130–135) turns some high-revenue customers into
  loss makers — the "lead" tier of the customer pyramid (Zeithaml, Rust & Lemon 2001).

Contractual retention is simulated from the shifted-beta-geometric model (Fader & Hardie 2007,
"How to project customer retention", *J. Interactive Marketing* 21(1):76–90).
"""

from __future__ import annotations

import datetime as _dt
import io as _io
import os
from pathlib import Path

import numpy as np
import pandas as pd

from .._util import rng as make_rng

__all__ = [
    "MESSY_HEADERS",
    "RETAIL_COST_RATES",
    "RETAIL_DEFAULT_SEED",
    "cohort_survival",
    "messy_transactions",
    "retail_transactions",
    "write_large_parquet",
]

#: Seed of the committed retail files.
RETAIL_DEFAULT_SEED = 20241231

#: Recommended cost-to-serve rates (yuan) for the synthetic retailer, in the form that
#: ``customer_value.customers.customer_table(cost_rates=...)`` takes: ``order_cost`` per order
#: line (payment fees, picking and packing, till time), ``return_cost`` per return line (reverse
#: logistics, inspection, restocking, write-offs — the goods themselves are already reversed by
#: the negative amount and cost of the return line), ``contacts`` per service contact (a few
#: minutes of a fully loaded call-centre agent), ``deliveries`` per home delivery (last-mile
#: courier for a bulky retail parcel), and ``discount`` = 1.0 because a discount is money and
#: costs itself. The amounts are assumptions of the course, in the range a Chinese omnichannel
#: retailer would use; they are not published figures.
RETAIL_COST_RATES: dict[str, float] = {
    "order_cost": 5.0,
    "return_cost": 30.0,
    "contacts": 20.0,
    "deliveries": 25.0,
    "discount": 1.0,
}

#: Chinese column headers of the messy ERP export, in order, and the clean columns they hold.
MESSY_HEADERS: dict[str, str] = {
    "客户编号": "customer_id",
    "交易日期": "date",
    "金额": "amount",
    "成本": "cost",
    "渠道": "channel",
    "客服次数": "contacts",
    "配送": "deliveries",
    "折扣": "discount",
}
_CHANNELS = ("store", "online", "app")
_CHANNELS_ZH = {"store": "门店", "online": "网店", "app": "APP"}

# Behaviour of the two segments: channel mix (store, online, app), probability that a line of
# each channel is delivered to the customer's home, mean service contacts per purchase line,
# probability that a line is later returned, probability that a line carries a discount and the
# range of the discount as a share of the line's amount, mean contacts on a return line.
_SEGMENTS = {
    False: {
        "channels": (0.60, 0.25, 0.15),
        "delivery": (0.02, 0.85, 0.70),
        "contacts": 0.05,
        "return": 0.03,
        "discount_p": 0.15,
        "discount": (0.05, 0.15),
        "return_contacts": 0.5,
    },
    True: {
        "channels": (0.15, 0.50, 0.35),
        "delivery": (0.30, 0.98, 0.95),
        "contacts": 1.2,
        "return": 0.22,
        "discount_p": 0.75,
        "discount": (0.15, 0.35),
        "return_contacts": 1.5,
    },
}


def _as_date(value) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return pd.Timestamp(value).date()


# --------------------------------------------------------------------------------------------
# the retail transaction log
# --------------------------------------------------------------------------------------------


def _simulate_bgnbd(lam: np.ndarray, p: np.ndarray, T: np.ndarray, rng: np.random.Generator):
    """Repeat purchase times (weeks after the first purchase) of a BG/NBD process.

    Returns ``(customer, t, alive, last_t)``: the customer index and time of every repeat
    purchase, whether each customer is still alive at T, and the time of her last purchase."""
    n = len(lam)
    t = np.zeros(n)
    alive = np.ones(n, dtype=bool)
    running = np.ones(n, dtype=bool)
    last_t = np.zeros(n)
    who, when = [], []
    idx = np.arange(n)
    while len(idx):
        t[idx] += rng.exponential(1.0 / lam[idx])
        past = t[idx] > T[idx]
        running[idx[past]] = False
        buy = idx[~past]
        who.append(buy)
        when.append(t[buy])
        last_t[buy] = t[buy]
        drop = rng.random(len(buy)) < p[buy]
        alive[buy[drop]] = False
        running[buy[drop]] = False
        idx = idx[running[idx]]
    return np.concatenate(who), np.concatenate(when), alive, last_t


def retail_transactions(
    n_customers: int = 20_000,
    *,
    start="2023-01-01",
    end="2024-12-31",
    seed: int | np.random.Generator = RETAIL_DEFAULT_SEED,
    r: float = 1.0,
    alpha: float = 6.0,
    a: float = 1.0,
    b: float = 10.0,
    p: float = 2.5,
    q: float = 3.0,
    gamma: float = 240.0,
    acquisition_weeks: float = 26.0,
    high_maintenance: float = 0.06,
    split_share: float = 0.10,
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Simulate a retailer's transaction log with a known BG/NBD and Gamma-Gamma truth.

    Generating process (time unit: week; money: yuan):

    1. **Acquisition.** Customer *i*'s first purchase falls on a day drawn uniformly from the
       first ``acquisition_weeks`` weeks after ``start``. T_i is the time from that day to the
       end of ``end`` (in weeks).
    2. **Purchasing (BG/NBD, Fader, Hardie & Lee 2005).** λ_i ~ Gamma(shape r, rate α) and
       p_i ~ Beta(a, b). While alive, gaps between purchases are Exponential(λ_i); after each
       repeat purchase the customer drops out for good with probability p_i (she cannot drop out
       at the first purchase). Purchases later than T_i are not observed. A purchase's date is
       the first purchase day plus the elapsed time, rounded down to a day, so two purchases on
       one day are one purchase occasion.
    3. **Spend (Gamma-Gamma, Fader, Hardie & Lee 2005 JMR).** ν_i ~ Gamma(shape q, rate γ); the
       spend of each occasion is z ~ Gamma(shape p, rate ν_i), so the customer's mean spend is
       p/ν_i and E[p/ν] = pγ/(q − 1). With probability ``split_share`` an occasion is rung up as
       two lines (e.g. a store purchase and an app order on the same day); the occasion's spend
       is split between them (first line's share Uniform(0.2, 0.8)).
    4. **Margins.** Each customer has a product-mix gross margin rate m_i = 0.25 + 0.20·Beta(2, 2)
       (25–45 %, mean 35 %); each line's rate is m_i + Normal(0, 0.04), clipped to 10–60 %, and
       ``cost = amount × (1 − rate)``.
    5. **High-maintenance segment.** round(``high_maintenance`` · n) customers, drawn without
       replacement with probability proportional to (p/ν_i)^1.5 (so they are over-represented
       among high spenders). They buy online and by app with home delivery, contact customer
       service often (mean 1.2 contacts per line vs 0.05), return 22 % of lines (vs 3 %) and get
       discounts on 75 % of lines worth 15–35 % of the amount (vs 15 % of lines, 5–15 %).
    6. **Returns.** A returned line gets a negative line 2–21 days later (dropped if after
       ``end``), for the full amount (70 %) or a part (Uniform(0.2, 0.8)), with the same share of
       the cost (negative), the same channel, a delivery (courier pick-up) when the original was
       delivered, Poisson service contacts and no discount.

    The ``discount`` column is money the retailer gave on the line (coupons, cash-back) on top of
    the sales value in ``amount``; it is a cost to serve at rate 1.0.

    Returns ``(transactions, customers_truth, params)``:

    * transactions — transaction_id (``T0000001``…, in date order), customer_id (``C00001``…),
      date (datetime64), amount, cost (2 decimals, negative on returns), channel
      (store/online/app), contacts (int), deliveries (0/1), discount (≥ 0);
    * customers_truth — customer_id, lambda (purchase rate per week), p_dropout, alive_at_end,
      dropout_date (day of the last purchase for those who dropped out, else NaT), mean_spend
      (p/ν_i, yuan per occasion), margin_rate (m_i), high_maintenance, first_purchase;
    * params — the generating parameters (r, alpha, a, b, p, q, gamma, time_unit="week", …).

    >>> tx, truth, params = retail_transactions(500, seed=1)
    >>> list(tx.columns[:4]), truth["alive_at_end"].between(0, 1).all(), params["time_unit"]
    (['transaction_id', 'customer_id', 'date', 'amount'], np.True_, 'week')
    """
    rng = make_rng(seed)
    start_d, end_d = _as_date(start), _as_date(end)
    n_days = (end_d - start_d).days + 1
    n = int(n_customers)
    acq_days = max(1, min(n_days, round(acquisition_weeks * 7)))

    first = rng.integers(0, acq_days, n)  # day offset of first purchase
    T = (n_days - first) / 7.0
    lam = rng.gamma(r, 1.0 / alpha, n)
    pdrop = rng.beta(a, b, n)
    nu = rng.gamma(q, 1.0 / gamma, n)
    mean_spend = p / nu
    margin = 0.25 + 0.20 * rng.beta(2.0, 2.0, n)
    n_hm = round(high_maintenance * n)
    w = mean_spend**1.5
    hm = np.zeros(n, dtype=bool)
    if n_hm:
        hm[rng.choice(n, size=n_hm, replace=False, p=w / w.sum())] = True

    who, when, alive, last_t = _simulate_bgnbd(lam, pdrop, T, rng)
    occ_cust = np.concatenate([np.arange(n), who])
    occ_day = np.concatenate([first, first[who] + np.floor(when * 7.0).astype(np.int64)])
    occ_day = np.minimum(occ_day, n_days - 1)
    spend = rng.gamma(p, 1.0 / nu[occ_cust])

    split = rng.random(len(occ_cust)) < split_share
    share = rng.uniform(0.2, 0.8, len(occ_cust))
    line_occ = np.concatenate([np.arange(len(occ_cust)), np.flatnonzero(split)])
    line_share = np.concatenate([np.where(split, share, 1.0), 1.0 - share[split]])
    cust = occ_cust[line_occ]
    day = occ_day[line_occ]
    amount = np.maximum(np.round(spend[line_occ] * line_share, 2), 0.01)
    m = len(cust)
    is_hm = hm[cust]

    def by_segment(key, *, index=None):
        values = {s: np.asarray(_SEGMENTS[s][key], dtype=float) for s in (False, True)}
        if index is None:
            return np.where(is_hm, values[True], values[False])
        return np.where(is_hm, values[True][index], values[False][index])

    u = rng.random(m)
    cum_normal = np.cumsum(_SEGMENTS[False]["channels"])
    cum_hm = np.cumsum(_SEGMENTS[True]["channels"])
    channel = np.where(
        is_hm,
        np.searchsorted(cum_hm, u * cum_hm[-1], side="right"),
        np.searchsorted(cum_normal, u * cum_normal[-1], side="right"),
    )
    channel = np.minimum(channel, 2)
    deliveries = (rng.random(m) < by_segment("delivery", index=channel)).astype(np.int64)
    contacts = rng.poisson(by_segment("contacts")).astype(np.int64)
    lo, hi = by_segment("discount", index=0), by_segment("discount", index=1)
    has_disc = rng.random(m) < by_segment("discount_p")
    discount = np.where(has_disc, np.round(amount * rng.uniform(lo, hi), 2), 0.0)
    line_rate = np.clip(margin[cust] + rng.normal(0.0, 0.04, m), 0.10, 0.60)
    cost = np.round(amount * (1.0 - line_rate), 2)

    returned = np.flatnonzero(rng.random(m) < by_segment("return"))
    k = len(returned)
    r_day = day[returned] + rng.integers(2, 22, k)
    r_share = np.where(rng.random(k) < 0.7, 1.0, rng.uniform(0.2, 0.8, k))
    r_contacts = rng.poisson(
        np.where(
            is_hm[returned], _SEGMENTS[True]["return_contacts"], _SEGMENTS[False]["return_contacts"]
        )
    )
    keep = r_day < n_days
    returned, r_day, r_share, r_contacts = (
        returned[keep],
        r_day[keep],
        r_share[keep],
        r_contacts[keep],
    )
    r_amount = -np.maximum(np.round(amount[returned] * r_share, 2), 0.01)
    r_cost = -np.round(np.abs(r_amount) * cost[returned] / amount[returned], 2)

    lines = pd.DataFrame(
        {
            "cust": np.concatenate([cust, cust[returned]]),
            "day": np.concatenate([day, r_day]),
            "amount": np.concatenate([amount, r_amount]),
            "cost": np.concatenate([cost, r_cost]),
            "channel": np.concatenate([channel, channel[returned]]),
            "contacts": np.concatenate([contacts, r_contacts]).astype(np.int64),
            "deliveries": np.concatenate([deliveries, deliveries[returned]]).astype(np.int64),
            "discount": np.concatenate([discount, np.zeros(len(returned))]),
            "kind": np.concatenate([np.zeros(m, np.int8), np.ones(len(returned), np.int8)]),
            "seq": np.arange(m + len(returned)),
        }
    )
    lines = lines.sort_values(["day", "cust", "kind", "seq"], kind="stable").reset_index(drop=True)
    width = max(5, len(str(n)))
    origin = pd.Timestamp(start_d)
    ids = pd.Series(np.arange(1, n + 1)).map(lambda i: f"C{i:0{width}d}").to_numpy()
    tx = pd.DataFrame(
        {
            "transaction_id": [f"T{i:07d}" for i in range(1, len(lines) + 1)],
            "customer_id": ids[lines["cust"].to_numpy()],
            "date": (origin + pd.to_timedelta(lines["day"].to_numpy(), unit="D")).astype(
                "datetime64[us]"
            ),
            "amount": lines["amount"].to_numpy(),
            "cost": lines["cost"].to_numpy(),
            "channel": np.asarray(_CHANNELS, dtype=object)[lines["channel"].to_numpy()],
            "contacts": lines["contacts"].to_numpy(),
            "deliveries": lines["deliveries"].to_numpy(),
            "discount": lines["discount"].to_numpy(),
        }
    )
    tx["channel"] = tx["channel"].astype("str")
    tx["customer_id"] = tx["customer_id"].astype("str")

    dropout_day = first + np.floor(last_t * 7.0).astype(np.int64)
    truth = pd.DataFrame(
        {
            "customer_id": pd.Series(ids, dtype="str"),
            "lambda": np.round(lam, 6),
            "p_dropout": np.round(pdrop, 6),
            "alive_at_end": alive,
            "dropout_date": pd.Series(origin + pd.to_timedelta(dropout_day, unit="D"))
            .astype("datetime64[us]")
            .where(~alive),
            "mean_spend": np.round(mean_spend, 2),
            "margin_rate": np.round(margin, 4),
            "high_maintenance": hm,
            "first_purchase": (origin + pd.to_timedelta(first, unit="D")).astype("datetime64[us]"),
        }
    )
    params = {
        "r": r,
        "alpha": alpha,
        "a": a,
        "b": b,
        "p": p,
        "q": q,
        "gamma": gamma,
        "time_unit": "week",
        "n_customers": n,
        "start": start_d.isoformat(),
        "end": end_d.isoformat(),
        "acquisition_weeks": acquisition_weeks,
        "high_maintenance": high_maintenance,
        "split_share": split_share,
        "segments": {
            ("high_maintenance" if k else "regular"): dict(v) for k, v in _SEGMENTS.items()
        },
        "cost_rates": dict(RETAIL_COST_RATES),
    }
    return tx, truth, params


# --------------------------------------------------------------------------------------------
# contractual cohorts (sBG)
# --------------------------------------------------------------------------------------------


def cohort_survival(
    cohorts=(("2023-01", 1000), ("2023-07", 1150), ("2024-01", 900)),
    *,
    end: str = "2025-01",
    alpha: float = 0.8,
    beta: float = 3.2,
    seed: int | np.random.Generator = RETAIL_DEFAULT_SEED,
) -> tuple[pd.DataFrame, dict]:
    """Simulate monthly subscription cohorts from the shifted-beta-geometric model.

    Shifted-beta-geometric (Fader & Hardie 2007, *J. Interactive Marketing* 21(1)): each
    subscriber has a churn probability θ ~ Beta(α, β); at the end of every month she cancels
    with probability θ, so her lifetime in months is Geometric(θ) ≥ 1. Across subscribers the
    expected survival is S(t) = B(α, β + t) / B(α, β) and the retention rate from month t − 1
    to t is (β + t − 1) / (α + β + t − 1), which rises with t (the sorting effect).

    ``cohorts`` are (sign-up month "YYYY-MM", size); each is observed from its sign-up month to
    ``end`` (exclusive). Returns ``(table, truth)``: the table has one row per cohort and period
    (``cohort`` text, ``period`` = months since sign-up, ``active`` = subscribers still
    subscribed at the start of that month, period 0 = the cohort size), and ``truth`` holds
    ``alpha``, ``beta`` and the cohort sizes.

    >>> table, truth = cohort_survival(seed=1)
    >>> table.groupby("cohort")["period"].max().tolist(), truth["alpha"]
    ([24, 18, 12], 0.8)
    """
    rng = make_rng(seed)
    end_p = pd.Period(end, freq="M")
    rows = []
    for label, size in cohorts:
        horizon = (end_p - pd.Period(label, freq="M")).n
        if horizon < 1:
            raise ValueError(f"cohort {label!r} starts on or after end={end!r}")
        theta = rng.beta(alpha, beta, int(size))
        lifetime = rng.geometric(theta)  # months subscribed, >= 1
        periods = np.arange(horizon + 1)
        active = (lifetime[None, :] > periods[:, None]).sum(axis=1)
        rows.append(pd.DataFrame({"cohort": label, "period": periods, "active": active}))
    table = pd.concat(rows, ignore_index=True)
    table["cohort"] = table["cohort"].astype("str")
    table["period"] = table["period"].astype("int64")
    table["active"] = table["active"].astype("int64")
    truth = {
        "alpha": alpha,
        "beta": beta,
        "model": "sBG",
        "period": "month",
        "cohorts": {label: int(size) for label, size in cohorts},
        "end": str(end_p),
    }
    return table, truth


# --------------------------------------------------------------------------------------------
# the same log as a Chinese ERP export
# --------------------------------------------------------------------------------------------


def _money_text(x: np.ndarray, sign: np.ndarray) -> list[str]:
    out = []
    for v, yuan in zip(x, sign):
        body = f"{abs(v):,.2f}"
        cur = "\uffe5" if yuan else ""  # full-width ￥: GBK has no U+00A5 ¥
        out.append(("-" if v < 0 else "") + cur + body)
    return out


def messy_transactions(
    transactions: pd.DataFrame, *, max_lines: int = 3000, seed: int | np.random.Generator = 7
) -> bytes:
    """The transaction log of the first customers as a Chinese ERP exports it (GBK bytes).

    Keeps the complete histories of customers ``C00001``, ``C00002``, … in id order while the
    total stays within ``max_lines`` lines, in the log's (date) order. The export is GBK encoded
    with CRLF line ends and Chinese headers (:data:`MESSY_HEADERS`); channels are written
    门店 (store), 网店 (online) and APP (app); amounts, costs and discounts carry thousands
    separators, 40 % of amounts a currency sign (``￥1,234.50``, the full-width yuan sign that
    Chinese Windows uses — GBK cannot encode the half-width ``¥``; returns ``-￥1,234.50`` or
    ``-1,234.50``); dates are written ``2023-03-05`` (50 %), ``2023/3/5`` (30 %) or ``20230305``
    (20 %). Exactly three dates are broken: ``2024-02-30`` (no such day), ``N/A`` and an empty
    cell, in three randomly chosen lines (listed in datasets/README.md for the default seed).

    >>> tx, _, _ = retail_transactions(200, seed=1)
    >>> messy_transactions(tx, max_lines=100).decode("gbk").splitlines()[0]
    '客户编号,交易日期,金额,成本,渠道,客服次数,配送,折扣'
    """
    rng = make_rng(seed)
    counts = transactions.groupby("customer_id", sort=True).size()
    chosen = counts.index[np.cumsum(counts.to_numpy()) <= max_lines]
    sub = transactions.loc[transactions["customer_id"].isin(chosen)].reset_index(drop=True)
    k = len(sub)
    dates = pd.to_datetime(sub["date"])
    style = rng.choice(3, size=k, p=[0.5, 0.3, 0.2])
    iso = dates.dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    slash = [f"{d.year}/{d.month}/{d.day}" for d in dates]
    compact = dates.dt.strftime("%Y%m%d").to_numpy(dtype=object)
    date_text = np.where(
        style == 0, iso, np.where(style == 1, np.asarray(slash, dtype=object), compact)
    )
    bad_rows = np.sort(rng.choice(k, size=3, replace=False))
    for row, bad in zip(
        bad_rows, rng.permutation(np.array(["2024-02-30", "N/A", ""], dtype=object))
    ):
        date_text[row] = bad
    amount = _money_text(sub["amount"].to_numpy(), rng.random(k) < 0.4)
    cost = _money_text(sub["cost"].to_numpy(), np.zeros(k, dtype=bool))
    discount = _money_text(sub["discount"].to_numpy(), np.zeros(k, dtype=bool))
    messy = pd.DataFrame(
        {
            "客户编号": sub["customer_id"].to_numpy(dtype=object),
            "交易日期": date_text,
            "金额": amount,
            "成本": cost,
            "渠道": sub["channel"].map(_CHANNELS_ZH).to_numpy(dtype=object),
            "客服次数": sub["contacts"].to_numpy(),
            "配送": sub["deliveries"].to_numpy(),
            "折扣": discount,
        }
    )
    buf = _io.StringIO()
    messy.to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue().encode("gbk")


# --------------------------------------------------------------------------------------------
# large Parquet logs for scale tests
# --------------------------------------------------------------------------------------------

_LARGE_BLOCK = 1_000_000


def _large_schema():
    import pyarrow as pa

    return pa.schema(
        [
            ("customer_id", pa.int64()),
            ("date", pa.date32()),
            ("amount", pa.float64()),
            ("cost", pa.float64()),
            ("contacts", pa.int32()),
        ]
    )


def write_large_parquet(
    path: str | os.PathLike,
    n_rows: int,
    n_customers: int,
    seed: int = 0,
    chunk_rows: int = 5_000_000,
    *,
    start: str = "2023-01-01",
    end: str = "2024-12-31",
    compression: str = "zstd",
) -> Path:
    """Stream a large synthetic transaction log to a Parquet file, in bounded memory.

    For benchmarks and scale tests of the customer table (one row per line, columns
    ``customer_id`` int64 (1…n_customers), ``date`` date32, ``amount`` float64, ``cost`` float64,
    ``contacts`` int32). Rows are in date order, spread evenly over ``start``…``end``. Each
    customer has a purchase weight ~ Gamma(1, 1) and a mean spend p/ν with ν ~ Gamma(3, 240)
    (Gamma-Gamma, p = 2.5); a line's customer is drawn in proportion to the weights, its amount
    ~ Gamma(2.5, rate ν) rounded to cents, 4 % of lines are returns (negative), the margin rate
    is the customer's 25–45 % and contacts ~ Poisson(0.1). It is not a BG/NBD history (no
    dropout), only realistic in scale and skew.

    Rows are generated in blocks of one million, each from its own seed ``(seed, block)``, so
    the table depends only on ``n_rows``, ``n_customers`` and ``seed`` — not on ``chunk_rows``,
    which sets the rows written per Parquet row group (memory is bounded by it). The same
    arguments give the same bytes with the same pyarrow version. 100 million rows take about
    1.5 GB and a few minutes.

    >>> import os, tempfile, pyarrow.parquet as pq
    >>> out = write_large_parquet(os.path.join(tempfile.mkdtemp(), "log.parquet"), 2_000, 100, seed=1)
    >>> pq.read_metadata(out).num_rows
    2000
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    n_rows, n_customers, chunk_rows = int(n_rows), int(n_customers), int(chunk_rows)
    if n_rows < 0 or n_customers < 1 or chunk_rows < 1:
        raise ValueError("n_rows must be >= 0, n_customers and chunk_rows >= 1")
    start_d, end_d = _as_date(start), _as_date(end)
    n_days = (end_d - start_d).days + 1
    epoch = (start_d - _dt.date(1970, 1, 1)).days
    crng = np.random.default_rng([seed, 0])
    weight = crng.gamma(1.0, 1.0, n_customers)
    cdf = np.cumsum(weight)
    cdf /= cdf[-1]
    nu = crng.gamma(3.0, 1.0 / 240.0, n_customers)
    keep_rate = 1.0 - (0.25 + 0.20 * crng.beta(2.0, 2.0, n_customers))
    schema = _large_schema()

    def block(bi: int) -> dict[str, np.ndarray]:
        lo = bi * _LARGE_BLOCK
        size = min(_LARGE_BLOCK, n_rows - lo)
        rng = np.random.default_rng([seed, bi + 1])
        c = np.minimum(np.searchsorted(cdf, rng.random(size), side="right"), n_customers - 1)
        amount = np.maximum(np.round(rng.gamma(2.5, 1.0, size) / nu[c], 2), 0.01)
        amount = np.where(rng.random(size) < 0.04, -amount, amount)
        cost = np.round(amount * keep_rate[c], 2)
        rows = np.arange(lo, lo + size, dtype=np.int64)
        day = (rows * n_days) // max(n_rows, 1)
        return {
            "customer_id": c.astype(np.int64) + 1,
            "date": (day + epoch).astype(np.int32),
            "amount": amount,
            "cost": cost,
            "contacts": rng.poisson(0.1, size).astype(np.int32),
        }

    def to_table(cols: dict[str, np.ndarray]):
        return pa.table(
            {
                "customer_id": pa.array(cols["customer_id"], pa.int64()),
                "date": pa.array(cols["date"], pa.int32()).cast(pa.date32()),
                "amount": pa.array(cols["amount"], pa.float64()),
                "cost": pa.array(cols["cost"], pa.float64()),
                "contacts": pa.array(cols["contacts"], pa.int32()),
            },
            schema=schema,
        )

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.part")
    n_blocks = -(-n_rows // _LARGE_BLOCK)
    try:
        with pq.ParquetWriter(tmp, schema, compression=compression) as writer:
            pending: list[dict[str, np.ndarray]] = []
            held = 0
            for bi in range(n_blocks):
                pending.append(block(bi))
                held += len(pending[-1]["amount"])
                while held >= chunk_rows or (bi == n_blocks - 1 and held):
                    cols = {k: np.concatenate([p_[k] for p_ in pending]) for k in schema.names}
                    take = min(chunk_rows, held)
                    writer.write_table(
                        to_table({k: v[:take] for k, v in cols.items()}), row_group_size=take
                    )
                    rest = {k: v[take:] for k, v in cols.items()}
                    held -= take
                    pending = [rest] if held else []
        tmp.replace(out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return out
