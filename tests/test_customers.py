"""Customer table: a hand-computed log, units, the as_of cut-off, the same result on every
engine, cleaning of users' files, error messages and the profit basis."""

import datetime as dt
import shutil

import numpy as np
import pandas as pd
import pytest

from customer_value import customers, io
from customer_value.customers import TABLE_COLUMNS, clean_transactions, customer_table
from customer_value.customers import sql as customers_sql
from customer_value.customers import table as customers_table
from customer_value.io import InputError

# A tiny log. Customer A buys twice on 1 Jan (one occasion, with a discount of 5), again on
# 5 Jan, and returns goods on 8 Jan (a day without a purchase). B returns part of a purchase on
# the day of a purchase. C has a service contact (amount 0) before its first purchase. D only
# returns goods and therefore has no first purchase: not in the table. The hand numbers below
# read C's amount-0 line as a service contact (zero_amount="ignore"); by default it is a free
# order (see test_free_orders_are_purchases_but_add_no_spend).
LOG = pd.DataFrame(
    [
        ("A", "2024-01-01", 100.0, 60.0, 1, 0.0),
        ("A", "2024-01-01", 50.0, 30.0, 0, 5.0),
        ("A", "2024-01-05", 80.0, 50.0, 0, 0.0),
        ("A", "2024-01-08", -30.0, -18.0, 1, 0.0),
        ("B", "2024-01-03", 40.0, 25.0, 2, 0.0),
        ("B", "2024-01-10", 60.0, 35.0, 0, 4.0),
        ("B", "2024-01-10", -20.0, -12.0, 0, 0.0),
        ("C", "2024-01-09", 0.0, 0.0, 3, 0.0),
        ("C", "2024-01-12", 25.0, 20.0, 0, 0.0),
        ("D", "2024-01-06", -15.0, -9.0, 0, 0.0),
    ],
    columns=["customer_id", "date", "amount", "cost", "contacts", "discount"],
).assign(date=lambda d: pd.to_datetime(d["date"]))
COSTS = {
    "cost": "cost",
    "order_cost": 2.0,
    "return_cost": 5.0,
    "cost_rates": {"contacts": 3.0},
    "zero_amount": "ignore",
}


def _ts(day):
    return pd.Timestamp(f"2024-01-{day:02d}")


# Every number by hand. as_of defaults to the day after the last line (12 Jan) = 13 Jan.
# A: orders 3 (two on 1 Jan, one on 5 Jan), occasions 2, return 30 on 8 Jan;
#    gross 230, revenue 200, cost 60+30+50-18 = 122 -> margin 78;
#    to serve 2*3 orders + 5*1 return + 3*(1+1) contacts + 5 discount = 22 -> profit 56;
#    recency 13-5 = 8 days; frequency 1; recency_btyd 4 days; T 12 days;
#    monetary: the repeat day 5 Jan took 80 (the return on 8 Jan is not a purchase day).
# B: orders 2 on 3 and 10 Jan, return 20 on 10 Jan; gross 100, revenue 80;
#    cost 25+35-12 = 48 -> margin 32; to serve 2*2 + 5*1 + 3*2 + 4 = 19 -> profit 13;
#    recency 3; frequency 1; 7 days; T 10; monetary 60-20 = 40 (net revenue of 10 Jan).
# C: one order of 25 on 12 Jan; cost 20 -> margin 5; to serve 2*1 + 3*3 = 11 -> profit -6;
#    recency 1; frequency 0; 0 days; T 1; monetary 0.
EXPECTED = pd.DataFrame(
    {
        "customer_id": ["A", "B", "C"],
        "first_purchase": [_ts(1), _ts(3), _ts(12)],
        "last_purchase": [_ts(5), _ts(10), _ts(12)],
        "recency_days": [8, 3, 1],
        "orders": [3, 2, 1],
        "purchase_days": [2, 2, 1],
        "returns": [1, 1, 0],
        "gross_sales": [230.0, 100.0, 25.0],
        "returns_value": [30.0, 20.0, 0.0],
        "revenue": [200.0, 80.0, 25.0],
        "avg_order_value": [230 / 3, 50.0, 25.0],
        "gross_margin": [78.0, 32.0, 5.0],
        "cost_to_serve": [22.0, 19.0, 11.0],
        "profit": [56.0, 13.0, -6.0],
        "btyd_frequency": [1, 1, 0],
        "btyd_recency": [4.0, 7.0, 0.0],
        "btyd_T": [12.0, 10.0, 1.0],
        "btyd_paid_frequency": [1, 1, 0],
        "btyd_monetary": [80.0, 40.0, 0.0],
    }
).astype(
    {"customer_id": "str", "first_purchase": "datetime64[ns]", "last_purchase": "datetime64[ns]"}
)


def test_hand_computed_log():
    table = customer_table(LOG, **COSTS)
    got = table.to_pandas()
    assert tuple(got.columns) == TABLE_COLUMNS
    pd.testing.assert_frame_equal(got, EXPECTED)
    assert table.as_of == dt.date(2024, 1, 13)
    assert table.profit_basis == "cost data"
    summary = table.summary()
    assert summary.to_dict("records") == [
        {
            "customers": 3,
            "revenue": 305.0,
            "gross_margin": 115.0,
            "cost_to_serve": 52.0,
            "profit": 63.0,
            "share_negative_profit": pytest.approx(1 / 3),
        }
    ]


def test_free_orders_are_purchases_but_add_no_spend():
    # By default C's amount-0 line of 9 Jan is a free order: C's first purchase occasion.
    # C: orders 2, occasions 9 and 12 Jan; gross 25; to serve 2*2 orders + 3*3 contacts = 13;
    # frequency 1 (12 Jan), recency 3 days, T 13 - 9 = 4 days; the repeat occasion is paid
    # (25 > 0): paid frequency 1, monetary 25. A and B are unchanged.
    got = customer_table(LOG, **{**COSTS, "zero_amount": "order"}).to_pandas()
    c = got.set_index("customer_id").loc["C"]
    assert (c["first_purchase"], c["orders"], c["purchase_days"]) == (_ts(9), 2, 2)
    assert (c["gross_sales"], c["avg_order_value"], c["cost_to_serve"], c["profit"]) == (
        25.0,
        12.5,
        13.0,
        -8.0,
    )
    assert (c["btyd_frequency"], c["btyd_recency"], c["btyd_T"]) == (1, 3.0, 4.0)
    assert (c["btyd_paid_frequency"], c["btyd_monetary"]) == (1, 25.0)
    pd.testing.assert_frame_equal(got.iloc[:2], EXPECTED.iloc[:2])
    # a customer whose every order is free stays in the table: purchases without spend
    free = pd.DataFrame(
        {
            "customer_id": ["F", "F", "F"],
            "date": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-09"]),
            "amount": [0.0, 0.0, 0.0],
        }
    )
    f = customer_table(free, as_of="2024-01-10").to_pandas().iloc[0]
    assert (f["orders"], f["purchase_days"], f["btyd_frequency"], f["revenue"]) == (3, 3, 2, 0.0)
    assert (f["btyd_paid_frequency"], f["btyd_monetary"], f["avg_order_value"]) == (0, 0.0, 0.0)
    assert len(customer_table(free, zero_amount="ignore").to_pandas()) == 0


def test_a_repeat_day_fully_returned_is_a_purchase_without_spend():
    # G buys 50 on 1 Jan; on 3 Jan buys 30 and returns 30 (net 0); on 6 Jan buys 20 and
    # returns 25 (net -5); on 8 Jan buys 40. Occasions 4, repeats 3, paid repeats 1 (8 Jan).
    log = pd.DataFrame(
        {
            "customer_id": ["G"] * 6,
            "date": pd.to_datetime(
                ["2024-01-01", "2024-01-03", "2024-01-03", "2024-01-06", "2024-01-06", "2024-01-08"]
            ),
            "amount": [50.0, 30.0, -30.0, 20.0, -25.0, 40.0],
        }
    )
    for engine in ("auto", "polars"):
        g = customer_table(log, as_of="2024-01-10", engine=engine).to_pandas().iloc[0]
        assert (g["purchase_days"], g["btyd_frequency"], g["btyd_paid_frequency"]) == (4, 3, 1)
        assert (g["btyd_monetary"], g["revenue"], g["returns"]) == (40.0, 85.0, 2)


def test_defaults_cost_nothing_but_the_discount():
    got = customer_table(LOG).to_pandas()
    # no cost data: margin = revenue x 1.0; to serve = the discounts only (5 for A, 4 for B)
    assert got["gross_margin"].tolist() == got["revenue"].tolist() == [200.0, 80.0, 25.0]
    assert got["cost_to_serve"].tolist() == [5.0, 4.0, 0.0]


def test_order_and_return_rates_can_travel_in_cost_rates():
    # one mapping with every rate, as datasets.RETAIL_COST_RATES holds them: same hand numbers
    rates = {"order_cost": 2.0, "return_cost": 5.0, "contacts": 3.0}
    got = customer_table(LOG, cost="cost", cost_rates=rates, zero_amount="ignore").to_pandas()
    assert got["cost_to_serve"].tolist() == [22.0, 19.0, 11.0]
    assert rates == {"order_cost": 2.0, "return_cost": 5.0, "contacts": 3.0}  # not modified
    with pytest.raises(ValueError, match="order_cost is given twice"):
        customer_table(LOG, cost="cost", order_cost=1.0, cost_rates=rates)
    with pytest.raises(ValueError, match="return_cost must be a finite number >= 0"):
        customer_table(LOG, cost="cost", cost_rates={"return_cost": -1.0})


def test_activity_costs_split_the_cost_to_serve_by_hand():
    # the hand numbers above, by activity: A 2*3 orders, 5*1 return, 3*2 contacts, 5 discount;
    # B 2*2, 5*1, 3*2, 4; C 2*1, 0, 3*3, 0; D (returns only) is not a customer
    rates = {"order_cost": 2.0, "return_cost": 5.0, "contacts": 3.0}
    costs = customers.activity_costs(LOG, cost_rates=rates, zero_amount="ignore")
    assert costs.columns.tolist() == ["customer_id", "orders", "returns", "contacts", "discount"]
    assert costs.set_index("customer_id").to_dict("index") == {
        "A": {"orders": 6.0, "returns": 5.0, "contacts": 6.0, "discount": 5.0},
        "B": {"orders": 4.0, "returns": 5.0, "contacts": 6.0, "discount": 4.0},
        "C": {"orders": 2.0, "returns": 0.0, "contacts": 9.0, "discount": 0.0},
    }
    volume = customers.activity_costs(LOG, cost_rates=rates, kind="volume").set_index("customer_id")
    assert volume.loc["A"].tolist() == [3.0, 1.0, 2.0, 5.0]
    assert volume.loc["C", "orders"] == 2.0  # by default the amount-0 line is a (free) order
    table = customer_table(LOG, cost="cost", cost_rates=rates, zero_amount="ignore").to_pandas()
    assert costs["customer_id"].tolist() == table["customer_id"].tolist()
    np.testing.assert_allclose(
        costs.drop(columns="customer_id").sum(axis=1), table["cost_to_serve"]
    )
    # as_of cuts later lines as customer_table does: on 9 Jan, C has no purchase yet
    cut = customers.activity_costs(LOG, cost_rates=rates, as_of="2024-01-09", zero_amount="ignore")
    assert cut["customer_id"].tolist() == ["A", "B"]
    assert cut["discount"].tolist() == [5.0, 0.0]
    with pytest.raises(ValueError, match="kind"):
        customers.activity_costs(LOG, kind="share")


@pytest.mark.parametrize(
    "unit,days", [("day", 1.0), ("week", 7.0), ("month", 365.25 / 12), ("year", 365.25)]
)
def test_units_are_fractional(unit, days):
    got = customer_table(LOG, **COSTS, unit=unit).to_pandas()
    np.testing.assert_allclose(got["btyd_recency"], np.array([4.0, 7.0, 0.0]) / days)
    np.testing.assert_allclose(got["btyd_T"], np.array([12.0, 10.0, 1.0]) / days)
    assert got["recency_days"].tolist() == [8, 3, 1]  # always in days
    if unit == "week":
        assert got["btyd_T"].iloc[0] == pytest.approx(12 / 7)


def test_unknown_unit_is_refused():
    with pytest.raises(ValueError, match="unit"):
        customer_table(LOG, unit="fortnight")


def test_as_of_cuts_later_lines_and_later_customers():
    table = customer_table(LOG, **COSTS, as_of="2024-01-09")
    got = table.to_pandas().set_index("customer_id")
    # C's first purchase (12 Jan) is after as_of: C is out although its contact on 9 Jan is in.
    assert list(got.index) == ["A", "B"]
    assert table.as_of == dt.date(2024, 1, 9)
    a, b = got.loc["A"], got.loc["B"]
    assert (a["orders"], a["returns"], a["revenue"], a["recency_days"], a["btyd_T"]) == (
        3,
        1,
        200.0,
        4,
        8.0,
    )
    # B's lines of 10 Jan are after as_of: one order of 40, no return
    assert (b["orders"], b["returns"], b["revenue"], b["purchase_days"]) == (1, 0, 40.0, 1)
    assert (b["recency_days"], b["btyd_T"], b["btyd_monetary"]) == (6, 6.0, 0.0)
    assert b["cost_to_serve"] == 2 * 1 + 3 * 2


def test_as_of_before_every_purchase_gives_an_empty_table():
    got = customer_table(LOG, as_of=dt.date(2023, 12, 31)).to_pandas()
    assert len(got) == 0 and tuple(got.columns) == TABLE_COLUMNS


def test_datetimes_count_by_calendar_day():
    log = LOG.assign(date=LOG["date"] + pd.to_timedelta(np.arange(len(LOG)), unit="h"))
    got = customer_table(log, **COSTS, as_of="2024-01-13").to_pandas()
    pd.testing.assert_frame_equal(got, EXPECTED)


# --------------------------------------------------------------------------------------------
# the same result from every engine
# --------------------------------------------------------------------------------------------


def _random_log(n=400, seed=3):
    rng = np.random.default_rng(seed)
    cust = rng.integers(0, 40, n)
    day = rng.integers(0, 60, n)
    amount = np.round(rng.gamma(2.0, 20.0, n), 2)
    amount[rng.random(n) < 0.15] *= -1
    amount[rng.random(n) < 0.05] = 0.0
    return pd.DataFrame(
        {
            "customer_id": np.char.add("c", cust.astype(str)).astype(object),
            "date": pd.Timestamp("2024-03-01") + pd.to_timedelta(day, unit="D"),
            "amount": amount,
            "cost": np.round(amount * 0.6, 2),
            "contacts": rng.poisson(0.5, n).astype("int32"),
            "discount": np.where(rng.random(n) < 0.1, 2.5, 0.0),
        }
    ).astype({"customer_id": "str", "date": "datetime64[ns]"})


def _oracle(log, as_of, rates, order_cost, return_cost, zero_amount="order"):
    """The definitions, one customer at a time in plain pandas (independent of the library)."""
    log = log[log["date"] <= pd.Timestamp(as_of)]
    rows = []
    for cid, g in log.groupby("customer_id"):
        is_order = g["amount"] >= 0 if zero_amount == "order" else g["amount"] > 0
        ordered, pos, neg = g[is_order], g[g["amount"] > 0], g[g["amount"] < 0]
        if ordered.empty:
            continue
        day = g["date"].dt.normalize()
        occasions = sorted(day[is_order].unique())
        net = g.groupby(day)["amount"].sum()
        repeat = net.loc[occasions[1:]]
        paid = repeat[repeat > 0]
        revenue = pos["amount"].sum() + neg["amount"].sum()
        serve = (
            order_cost * len(ordered)
            + return_cost * len(neg)
            + sum(rate * g[c].sum() for c, rate in rates.items())
        )
        first, last = occasions[0], occasions[-1]
        rows.append(
            {
                "customer_id": cid,
                "first_purchase": first,
                "last_purchase": last,
                "recency_days": (pd.Timestamp(as_of) - last).days,
                "orders": len(ordered),
                "purchase_days": len(occasions),
                "returns": len(neg),
                "gross_sales": pos["amount"].sum(),
                "returns_value": -neg["amount"].sum(),
                "revenue": revenue,
                "avg_order_value": pos["amount"].sum() / len(ordered),
                "gross_margin": revenue - g["cost"].sum(),
                "cost_to_serve": serve,
                "profit": revenue - g["cost"].sum() - serve,
                "btyd_frequency": len(occasions) - 1,
                "btyd_recency": float((last - first).days),
                "btyd_T": float((pd.Timestamp(as_of) - first).days),
                "btyd_paid_frequency": len(paid),
                "btyd_monetary": float(paid.mean()) if len(paid) else 0.0,
            }
        )
    return pd.DataFrame(rows).astype(
        {"first_purchase": "datetime64[ns]", "last_purchase": "datetime64[ns]"}
    )


RANDOM = _random_log()
KW = {
    "cost": "cost",
    "order_cost": 1.0,
    "return_cost": 2.5,
    "cost_rates": {"contacts": 0.75},
    "as_of": "2024-04-20",
}


@pytest.fixture(scope="module")
def reference():
    return customer_table(RANDOM, **KW).to_pandas()


def test_random_log_matches_the_definitions(reference):
    expected = _oracle(RANDOM, "2024-04-20", {"contacts": 0.75, "discount": 1.0}, 1.0, 2.5)
    pd.testing.assert_frame_equal(reference, expected, check_exact=False, rtol=1e-9)
    assert (RANDOM["amount"] == 0).sum() > 5  # free orders are exercised


@pytest.mark.parametrize("engine", ["auto", "polars"])
def test_zero_amounts_ignored_match_the_definitions(engine, tmp_path):
    rates = {"contacts": 0.75, "discount": 1.0}
    expected = _oracle(RANDOM, "2024-04-20", rates, 1.0, 2.5, zero_amount="ignore")
    for data in (RANDOM, tmp_path / "log.parquet"):
        if not isinstance(data, pd.DataFrame):
            RANDOM.to_parquet(data)
        got = customer_table(data, **KW, zero_amount="ignore", engine=engine).to_pandas()
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-9)


def _as_polars(df):
    import polars as pl

    return pl.from_pandas(df)


@pytest.mark.parametrize(
    "kind", ["polars", "polars_lazy", "duckdb", "parquet", "pyarrow", "pandas_on_polars"]
)
def test_every_engine_gives_the_same_table(kind, reference, tmp_path):
    import duckdb
    import pyarrow as pa

    if kind == "polars":
        data, native = _as_polars(RANDOM), "polars.dataframe"
    elif kind == "polars_lazy":
        data, native = _as_polars(RANDOM).lazy(), "polars.lazyframe"
    elif kind == "duckdb":
        data, native = duckdb.connect().from_df(RANDOM), "duckdb"
    elif kind == "parquet":
        data, native = tmp_path / "log.parquet", "pandas"
        RANDOM.to_parquet(data)
    elif kind == "pyarrow":
        data, native = pa.Table.from_pandas(RANDOM, preserve_index=False), "pyarrow"
    else:
        data, native = RANDOM, "pandas"
    engine = "polars" if kind == "pandas_on_polars" else "auto"
    table = customer_table(data, engine=engine, **KW)
    assert type(table.data).__module__.startswith(native)
    pd.testing.assert_frame_equal(table.to_pandas(), reference, check_exact=False, rtol=1e-9)
    ref_summary = customer_table(RANDOM, **KW).summary()
    pd.testing.assert_frame_equal(table.summary(), ref_summary, check_exact=False, rtol=1e-9)


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("customer_value-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.mark.skipif(
    shutil.which("java") is None, reason="Java is not installed: PySpark needs a JVM"
)
@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_pyspark_gives_the_same_table(spark, reference):
    rows = [
        (
            r.customer_id,
            r.date.date(),
            float(r.amount),
            float(r.cost),
            int(r.contacts),
            float(r.discount),
        )
        for r in RANDOM.itertuples()
    ]
    sdf = spark.createDataFrame(
        rows,
        "customer_id string, date date, amount double, cost double, contacts int, discount double",
    )
    table = customer_table(sdf, **KW)
    assert type(table.data).__module__.startswith("pyspark")
    pd.testing.assert_frame_equal(table.to_pandas(), reference, check_exact=False, rtol=1e-9)
    pd.testing.assert_frame_equal(
        table.summary(), customer_table(RANDOM, **KW).summary(), check_exact=False, rtol=1e-9
    )


# --------------------------------------------------------------------------------------------
# DuckDB's purchase-day bitmaps: several 127-day words, returns on days without a purchase
# --------------------------------------------------------------------------------------------


def _long_log(n_visits=2500, n_customers=30, days=900, seed=11):
    """Two and a half years of a few busy customers: visits of 1 to 5 lines on one day (so
    several lines fall on first purchase days too), a fifth of the lines returns (some on a
    day with a purchase, some alone), some zero lines, days crossing the bitmap words."""
    rng = np.random.default_rng(seed)
    size = 1 + rng.poisson(0.8, n_visits).clip(max=4)
    cust = np.repeat(rng.integers(0, n_customers, n_visits), size)
    day = np.repeat(rng.integers(0, days, n_visits), size)
    n = len(cust)
    amount = np.round(rng.gamma(2.0, 20.0, n), 2)
    amount[rng.random(n) < 0.2] *= -1
    amount[rng.random(n) < 0.05] = 0.0
    return pd.DataFrame(
        {
            "customer_id": np.char.add("k", cust.astype(str)).astype(object),
            "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(day, unit="D"),
            "amount": amount,
            "cost": np.round(amount * 0.55, 2),
            "contacts": rng.poisson(0.3, n).astype("int32"),
        }
    ).astype({"customer_id": "str", "date": "datetime64[ns]"})


LONG = _long_log()
LONG_KW = {"cost": "cost", "order_cost": 1.5, "return_cost": 4.0, "cost_rates": {"contacts": 2.0}}


def test_the_long_log_exercises_what_the_bitmaps_must_get_right():
    # the oracle test below would be weak without these: ties on first purchase days, returns
    # on days without a purchase and on purchase days, and days in 7+ different words
    day = LONG["date"].dt.normalize()
    pos, neg = LONG["amount"] > 0, LONG["amount"] < 0
    first = LONG[pos].groupby("customer_id")["date"].transform("min")
    on_first = LONG[pos].assign(first=first).query("date == first").groupby("customer_id").size()
    assert (on_first > 1).sum() >= 3
    purchase_days = set(zip(LONG.loc[pos, "customer_id"], day[pos]))
    neg_days = list(zip(LONG.loc[neg, "customer_id"], day[neg]))
    assert 50 < sum(d in purchase_days for d in neg_days) < len(neg_days) - 50
    span = (LONG["date"].max() - LONG["date"].min()).days
    assert span // customers_sql._DAYS_PER_WORD >= 7


@pytest.mark.parametrize("as_of", ["2025-07-01", "2024-05-20"])
@pytest.mark.parametrize("kind", ["pandas", "parquet", "duckdb"])
def test_day_bitmaps_match_the_definitions(kind, as_of, tmp_path, monkeypatch):
    import duckdb

    used = []
    real = customers_table._aggregate_duckdb
    monkeypatch.setattr(
        customers_table,
        "_aggregate_duckdb",
        lambda *a, **k: used.append(k["words"]) or real(*a, **k),
    )
    data = {
        "pandas": LONG,
        "parquet": tmp_path / "long.parquet",
        "duckdb": duckdb.connect().from_df(LONG),
    }[kind]
    if kind == "parquet":
        LONG.to_parquet(data)
    got = customer_table(data, as_of=as_of, **LONG_KW).to_pandas()
    assert used and used[0] >= 4  # the bitmap route, several words
    expected = _oracle(LONG, as_of, {"contacts": 2.0}, 1.5, 4.0)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-9)


def test_purchase_days_on_the_edges_of_the_bitmap_words():
    # bit o of the bitmaps is day origin + o, origin = first date - _DAY_MARGIN; each word has
    # _DAYS_PER_WORD bits: put purchases and returns on the first and last bit of words
    w, first = customers_sql._DAYS_PER_WORD, pd.Timestamp("2024-01-01")
    origin = first - pd.Timedelta(days=customers_sql._DAY_MARGIN)

    def at(o):
        return origin + pd.Timedelta(days=o)

    rows = [
        ("X", at(2), 10.0),
        ("X", at(w - 1), 20.0),
        ("X", at(w - 1), 5.0),  # word 0
        ("Y", at(w), 30.0),
        ("Y", at(2 * w - 1), 40.0),
        ("Y", at(2 * w), -7.0),  # 1, 2
        ("Y", at(2 * w), 8.0),
        ("Z", at(w - 1), -3.0),
        ("Z", at(w), 50.0),
        ("Z", at(3 * w - 1), -4.0),
        ("Z", at(3 * w), 60.0),
        ("Z", at(3 * w), -1.0),
    ]
    log = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    got = customer_table(log, as_of="2025-06-01").to_pandas()
    expected = _oracle(log.assign(cost=0.0), "2025-06-01", {}, 0.0, 0.0)
    pd.testing.assert_frame_equal(
        got.drop(columns=["gross_margin", "profit"]),
        expected.drop(columns=["gross_margin", "profit"]),
        check_exact=False,
        rtol=1e-12,
    )
    assert got["first_purchase"].tolist() == [at(2), at(w), at(w)]
    assert got["last_purchase"].tolist() == [at(w - 1), at(2 * w), at(3 * w)]
    assert got["purchase_days"].tolist() == [2, 3, 2]
    assert got["btyd_monetary"].tolist() == [25.0, 20.5, 59.0]  # Y: (40 + 1) / 2; Z: 60 - 1


def test_logs_longer_than_the_bitmaps_take_the_customer_day_route(monkeypatch):
    bitmaps = customer_table(LONG, **LONG_KW).to_pandas()
    monkeypatch.setattr(customers_table, "_MAX_WORDS", 3)  # the log needs 8 words of 127 days
    monkeypatch.setattr(customers_table, "_aggregate_duckdb", None)  # must not be called
    pd.testing.assert_frame_equal(
        customer_table(LONG, **LONG_KW).to_pandas(), bitmaps, check_exact=False, rtol=1e-9
    )


# --------------------------------------------------------------------------------------------
# CSV files read by DuckDB or Polars: what a typed reading of text must not guess
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["auto", "polars"])
@pytest.mark.parametrize(
    "dates",
    [
        ["01/02/2024", "13/01/2024"],  # day first
        ["01/02/2024", "02/03/2024"],  # either way
        ["01/02/2024 10:30", "02/03/2024 11:00"],
    ],
)
def test_csv_path_with_day_or_month_first_dates_is_refused(tmp_path, engine, dates):
    # DuckDB's sniffer (and Polars' try_parse_dates) would read 01/02/2024 as 1 February or
    # 2 January without a word; the text reader refuses such cells as ambiguous, and so does
    # customer_table on the path, naming the file and the column and what to do instead
    p = tmp_path / "log.csv"
    p.write_text(f"customer_id,Date,amount\na,{dates[0]},10\nb,{dates[1]},5\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        customer_table(p, engine=engine)
    msg = str(err.value)
    assert msg.startswith(f"{p}: ") and "'Date'" in msg
    assert "customer_value.io.read_table" in msg and "clean_transactions" in msg
    assert err.value.source == str(p) and err.value.columns == ["Date"]
    # what the message points to: the text reader names the cells
    with pytest.raises(InputError, match=f"not a date: '{dates[0]}'"):
        clean_transactions(io.read_table(p), date="Date")
    # the same file with year-first dates is aggregated as it is
    p.write_text("customer_id,Date,amount\na,2024/02/01,10\nb,2024/01/13,5\n", encoding="utf-8")
    got = customer_table(p, engine=engine).to_pandas()
    assert got["first_purchase"].tolist() == [pd.Timestamp("2024-02-01"), _ts(13)]


@pytest.mark.parametrize("engine", ["auto", "polars"])
def test_csv_path_ids_are_text_so_007_and_7_are_two_customers(tmp_path, engine):
    import duckdb

    # numeric-looking IDs for longer than DuckDB's sniffing sample (20,480 rows), then 007 and
    # 7: read as numbers, they would be one customer (shown first, as a check of the test)
    lines = [f"{10 + i % 500},2024-01-01,1" for i in range(25_000)]
    p = tmp_path / "ids.csv"
    p.write_text(
        "customer_id,date,amount\n"
        + "\n".join(lines)
        + "\n007,2024-01-02,5\n7,2024-01-03,1\n7,2024-01-05,2\n",
        encoding="utf-8",
    )
    merged = duckdb.connect().sql(f"SELECT count(*) FROM read_csv('{p}') WHERE customer_id = 7")
    assert merged.fetchall() == [(3,)]
    got = customer_table(p, engine=engine).to_pandas().set_index("customer_id")
    assert len(got) == 502
    assert got.loc["007", "orders"] == 1 and got.loc["007", "gross_sales"] == 5.0
    assert got.loc["7", "orders"] == 2 and got.loc["7", "purchase_days"] == 2
    assert got.index.map(type).unique().tolist() == [str]


def test_csv_path_not_utf8_or_with_duplicated_columns_is_refused(tmp_path):
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("客户编号,date,amount\nA,2024-01-01,10\n".encode("gbk"))
    with pytest.raises(InputError, match="not UTF-8.*customer_value.io.read_table") as err:
        customer_table(gbk, customer_id="客户编号")
    assert err.value.source == str(gbk)
    tx, _ = clean_transactions(io.read_table(gbk), customer_id="客户编号")  # as advised
    assert customer_table(tx, customer_id="客户编号").to_pandas()["orders"].tolist() == [1]
    dup = tmp_path / "dup.csv"
    dup.write_text("customer_id,date,amount,amount\na,2024-01-01,1,2\n", encoding="utf-8")
    with pytest.raises(
        InputError,
        match=r"duplicated column name\(s\) in the header: "
        r"\['amount'\]",
    ):
        customer_table(dup)


# --------------------------------------------------------------------------------------------
# checks outside pandas: no line numbers, but values and example rows
# --------------------------------------------------------------------------------------------


def test_polars_problems_are_reported_with_example_rows():
    import polars as pl

    bad = pl.from_pandas(LOG).with_columns(
        pl.when(pl.col("amount") == 80)
        .then(None)
        .otherwise(pl.col("customer_id"))
        .alias("customer_id"),
        pl.when(pl.col("customer_id") == "B")
        .then(-1)
        .otherwise(pl.col("contacts"))
        .alias("contacts"),
    )
    with pytest.raises(InputError) as err:
        customer_table(bad)
    msg = str(err.value)
    assert "column 'customer_id', missing customer id: <missing> (1 row)" in msg
    assert "amount=80.0" in msg  # the example row
    assert "column 'contacts', negative service-event value" in msg
    assert "-1 (3 rows)" in msg
    assert err.value.columns == ["customer_id", "contacts"]


def test_text_columns_outside_pandas_point_to_clean_transactions():
    with pytest.raises(InputError, match="clean_transactions") as err:
        customer_table(_as_polars(LOG.assign(amount=LOG["amount"].astype(str))))
    assert "column 'amount' has type String, not a number" in str(err.value)
    assert err.value.columns == ["amount"]


def test_null_dates_in_duckdb_are_an_error():
    import duckdb

    rel = duckdb.connect().from_df(LOG.assign(date=LOG["date"].where(LOG["amount"] != 25)))
    with pytest.raises(InputError, match=r"column 'date', missing date: <missing> \(1 row\)"):
        customer_table(rel)


def test_missing_column_lists_the_columns_present():
    with pytest.raises(
        InputError,
        match=r"missing column\(s\) 'revenue'.*columns present: "
        r"\['customer_id', 'date', 'amount'",
    ):
        customer_table(LOG, amount="revenue")


def test_cost_and_margin_together_are_refused():
    with pytest.raises(ValueError, match="not both"):
        customer_table(LOG.assign(margin=1.0), cost="cost", margin="margin")


# --------------------------------------------------------------------------------------------
# profit basis
# --------------------------------------------------------------------------------------------


def test_profit_basis_labels_and_margin_rate():
    no_cost = customer_table(LOG, margin_rate=0.3)
    assert no_cost.profit_basis == "revenue x margin rate 0.3 (no cost data)"
    got = no_cost.to_pandas()
    np.testing.assert_allclose(got["gross_margin"], [60.0, 24.0, 7.5])  # 0.3 x revenue
    np.testing.assert_allclose(got["profit"], [55.0, 20.0, 7.5])  # minus discounts
    assert customer_table(LOG).profit_basis == "revenue x margin rate 1.0 (no cost data)"
    assert customer_table(LOG, **COSTS).profit_basis == "cost data"
    # a margin column: gross margin is its sum, whatever the margin rate
    with_margin = customer_table(
        LOG.assign(margin=LOG["amount"] - LOG["cost"]), margin="margin", margin_rate=0.1
    )
    assert with_margin.profit_basis == "margin data"
    assert with_margin.to_pandas()["gross_margin"].tolist() == [78.0, 32.0, 5.0]


# --------------------------------------------------------------------------------------------
# clean_transactions on a user's file
# --------------------------------------------------------------------------------------------

MESSY = """\
Customer_ID,Date,Amount,Cost,Contacts
C001,2024-01-05,"¥1,234.50",800,1
C001,2024/1/5,RMB 80,50,
C002,2024.02.01,(12.50),-8,0
C002,20240203 14:30,１２３,70,2
 C003 ,2024年2月4日,"$ 2,000",1500,0
C003,2024-02-05,-40,-25,1
"""


def _write(tmp_path, text, name="log.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return io.read_table(path)


def test_clean_transactions_parses_what_users_write(tmp_path):
    tx, report = clean_transactions(_write(tmp_path, MESSY), cost="cost")
    assert list(tx.columns) == ["customer_id", "date", "amount", "cost", "contacts"]
    assert tx["customer_id"].tolist() == ["C001", "C001", "C002", "C002", "C003", "C003"]
    assert tx["amount"].tolist() == [1234.5, 80.0, -12.5, 123.0, 2000.0, -40.0]
    assert tx["cost"].tolist() == [800.0, 50.0, -8.0, 70.0, 1500.0, -25.0]
    assert tx["contacts"].tolist() == [1.0, 0.0, 0.0, 2.0, 0.0, 1.0]  # blank = none
    assert tx["date"].tolist() == [
        pd.Timestamp("2024-01-05"),
        pd.Timestamp("2024-01-05"),
        pd.Timestamp("2024-02-01"),
        pd.Timestamp("2024-02-03 14:30"),
        pd.Timestamp("2024-02-04"),
        pd.Timestamp("2024-02-05"),
    ]
    assert tx["date"].dtype == "datetime64[ns]" and tx["amount"].dtype == "float64"
    assert (report.rows_read, report.rows_used, report.rows_dropped) == (6, 6, {})
    assert report.returns == 2
    assert report.amounts_cleaned == {
        "amount": {
            "thousands separators": 2,
            "currency signs": 3,
            "parentheses negatives": 1,
            "full-width characters": 1,
            "spaces": 2,
        }
    }
    assert (report.first_date, report.last_date) == (dt.date(2024, 1, 5), dt.date(2024, 2, 5))
    assert report.date_formats == {
        "YYYY-MM-DD": 2,
        "YYYY/MM/DD": 1,
        "YYYY.MM.DD": 1,
        "YYYYMMDD hh:mm[:ss]": 1,
        "YYYY年MM月DD日": 1,
    }
    assert report.columns["customer_id"] == "Customer_ID"
    text = str(report)
    assert "read 6 transaction rows, used 6" in text and "2 returns" in text
    assert "2 with thousands separators" in text
    # and the cleaned log goes straight into the customer table
    table = customer_table(tx, cost="cost").to_pandas().set_index("customer_id")
    assert table.loc["C001", "purchase_days"] == 1 and table.loc["C001", "orders"] == 2
    assert table.loc["C003", "revenue"] == 1960.0


BAD = """\
customer_id,date,amount
C1,2024-01-02,10
C1,2024-13-01,abc
,2024-01-03,5
C2,05/01/2024,abc
C2,2024-01-04,"12,5"
C3,2024-01-05,
C3,2024-01-06,7
"""


def test_errors_list_values_counts_and_line_numbers(tmp_path):
    with pytest.raises(InputError) as err:
        clean_transactions(_write(tmp_path, BAD))
    msg = str(err.value)
    assert msg.startswith(str(tmp_path / "log.csv"))
    assert "5 of 7 transaction rows cannot be used" in msg
    assert "column 'amount', not a number: 'abc' (2 rows), '12,5' (1 row)" in msg
    assert "column 'date', not a date: '2024-13-01' (1 row), '05/01/2024' (1 row)" in msg
    assert "column 'customer_id', missing customer id: '<missing>' (1 row)" in msg
    assert "column 'amount', missing amount: '<missing>' (1 row)" in msg
    # header is line 1: the first data row is line 2
    assert "line 3: customer_id='C1', date='2024-13-01'" in msg
    assert "line 4: customer_id=<missing>, date='2024-01-03', amount='5'" in msg
    assert "line 6: customer_id='C2', amount='12,5'" in msg
    assert "line 7: customer_id='C3', amount=<missing>" in msg
    assert set(err.value.columns) == {"customer_id", "date", "amount"}


def test_drop_reports_what_was_left_out(tmp_path):
    tx, report = clean_transactions(_write(tmp_path, BAD), on_invalid="drop")
    assert tx["amount"].tolist() == [10.0, 7.0]
    assert list(tx.index) == [2, 8]  # the file lines of the rows kept
    assert report.rows_read == 7 and report.rows_used == 2 and report.n_dropped == 5
    # each row counts once, under its first problem (id, date, amount)
    assert report.rows_dropped == {
        "missing customer id in column 'customer_id'": 1,
        "not a date in column 'date'": 2,
        "missing amount in column 'amount'": 1,
        "not a number in column 'amount'": 1,
    }
    assert "dropped 2 rows: not a date in column 'date'" in str(report)


def test_customer_table_on_a_text_frame_reports_line_numbers(tmp_path):
    with pytest.raises(InputError, match="line 3: customer_id='C1', date='2024-13-01'"):
        customer_table(_write(tmp_path, BAD))


def test_column_names_match_ignoring_case_and_negative_events_are_refused(tmp_path):
    log = _write(tmp_path, "CUSTOMER_ID,DATE,AMOUNT,Discount\nx,2024-01-01,5,-1\n")
    with pytest.raises(InputError, match=r"column 'Discount', negative service-event value"):
        clean_transactions(log)
    with pytest.raises(InputError, match=r"missing column\(s\) 'amount'.*\['id', 'date'\]"):
        clean_transactions(pd.DataFrame({"id": ["a"], "date": ["2024-01-01"]}), customer_id="id")


@pytest.mark.parametrize(
    "text,value",
    [
        ("1,234.50", 1234.5),
        ("¥1,234", 1234.0),
        ("RMB 80", 80.0),
        ("(12.50)", -12.5),
        ("-¥5", -5.0),
        ("１２３．５", 123.5),
        ("US$ 1,000,000", 1e6),
        ("12.50-", -12.5),
        ("80元", 80.0),
        ("+3", 3.0),
    ],
)
def test_amount_formats(text, value):
    tx, _ = clean_transactions(
        pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-01"], "amount": [text]})
    )
    assert tx["amount"].item() == value


@pytest.mark.parametrize("text", ["12,5", "1,23,456", "nan", "inf", "--5", "(-5)", "1.2.3"])
def test_ambiguous_or_broken_amounts_are_not_guessed(text):
    with pytest.raises(InputError, match="not a number"):
        clean_transactions(
            pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-01"], "amount": [text]})
        )


def test_cleaning_typed_frames_changes_nothing():
    tx, report = clean_transactions(LOG)
    pd.testing.assert_frame_equal(tx, LOG.astype({"date": "datetime64[ns]"}))
    assert report.amounts_cleaned == {} and report.returns == 3
    assert customers.UNITS["month"] == pytest.approx(30.4375)
