"""The synthetic retail data: shape, documented facts, and the truth put into them.

Profits are computed here by hand with a pandas groupby (not with customer_value.customers), so
these tests check the data, not the library that analyses them."""

import csv
import datetime as dt
import hashlib
import io
import re

import numpy as np
import pandas as pd
import pytest

from customer_value import datasets
from customer_value.datasets import RETAIL_COST_RATES

TX_COLUMNS = [
    "transaction_id",
    "customer_id",
    "date",
    "amount",
    "cost",
    "channel",
    "contacts",
    "deliveries",
    "discount",
]
TRUTH_COLUMNS = [
    "customer_id",
    "lambda",
    "p_dropout",
    "alive_at_end",
    "dropout_date",
    "mean_spend",
    "margin_rate",
    "high_maintenance",
    "first_purchase",
]


@pytest.fixture(scope="module")
def tx():
    return datasets.load("retail_transactions")


@pytest.fixture(scope="module")
def truth():
    return datasets.load("retail_customers_truth")


@pytest.fixture(scope="module")
def by_customer(tx, truth):
    """Revenue and profit per customer, by hand, under the recommended cost rates."""
    rates = RETAIL_COST_RATES
    t = tx.assign(order=(tx["amount"] > 0).astype(int), ret=(tx["amount"] < 0).astype(int))
    g = t.groupby("customer_id").agg(
        revenue=("amount", "sum"),
        cogs=("cost", "sum"),
        orders=("order", "sum"),
        returns=("ret", "sum"),
        contacts=("contacts", "sum"),
        deliveries=("deliveries", "sum"),
        discount=("discount", "sum"),
    )
    g["cost_to_serve"] = (
        rates["order_cost"] * g["orders"]
        + rates["return_cost"] * g["returns"]
        + rates["contacts"] * g["contacts"]
        + rates["deliveries"] * g["deliveries"]
        + rates["discount"] * g["discount"]
    )
    g["profit"] = g["revenue"] - g["cogs"] - g["cost_to_serve"]
    return g.join(truth.set_index("customer_id"))


# --------------------------------------------------------------------------------------------
# reproducibility
# --------------------------------------------------------------------------------------------


def test_generators_are_seeded():
    a = datasets.retail_transactions(1500, seed=1)
    b = datasets.retail_transactions(1500, seed=1)
    c = datasets.retail_transactions(1500, seed=2)
    assert a[0].equals(b[0]) and a[1].equals(b[1]) and a[2] == b[2]
    assert not a[0].equals(c[0])
    assert datasets.cohort_survival(seed=3)[0].equals(datasets.cohort_survival(seed=3)[0])
    assert not datasets.cohort_survival(seed=3)[0].equals(datasets.cohort_survival(seed=4)[0])
    assert datasets.messy_transactions(a[0], seed=5) == datasets.messy_transactions(b[0], seed=5)


def test_committed_log_is_the_default_generator_output(tx, truth):
    gen_tx, gen_truth, params = datasets.retail_transactions()
    pd.testing.assert_frame_equal(tx, gen_tx, check_exact=True)
    pd.testing.assert_frame_equal(truth, gen_truth, check_exact=True)
    assert {k: params[k] for k in ("r", "alpha", "a", "b", "p", "q", "gamma", "time_unit")} == {
        "r": 1.0,
        "alpha": 6.0,
        "a": 1.0,
        "b": 10.0,
        "p": 2.5,
        "q": 3.0,
        "gamma": 240.0,
        "time_unit": "week",
    }


# --------------------------------------------------------------------------------------------
# the transaction log as documented
# --------------------------------------------------------------------------------------------


def test_log_columns_types_and_counts(tx):
    assert list(tx.columns) == TX_COLUMNS
    assert 180_000 <= len(tx) <= 220_000
    assert tx["customer_id"].nunique() == 20_000
    assert tx["transaction_id"].tolist()[:2] == ["T0000001", "T0000002"]
    assert tx["transaction_id"].is_unique and tx["transaction_id"].is_monotonic_increasing
    assert tx["date"].dtype.kind == "M" and tx["date"].is_monotonic_increasing
    assert tx["date"].min() >= pd.Timestamp("2023-01-01")
    assert tx["date"].max() <= pd.Timestamp("2024-12-31")
    assert set(tx["channel"]) == {"store", "online", "app"}
    assert tx["contacts"].dtype.kind == "i" and (tx["contacts"] >= 0).all()
    assert set(tx["deliveries"]) == {0, 1}
    assert (tx["discount"] >= 0).all()
    for col in ("amount", "cost", "discount"):
        assert np.allclose(tx[col], tx[col].round(2), rtol=0, atol=1e-9), col
    assert (tx["amount"] != 0).all()
    assert (np.sign(tx["cost"]) == np.sign(tx["amount"])).all()
    assert (tx.loc[tx["amount"] < 0, "discount"] == 0).all()


def test_returns_are_about_four_percent_and_follow_a_purchase(tx):
    ret = tx["amount"] < 0
    assert 0.03 < ret.mean() < 0.05
    first_buy = tx.loc[~ret].groupby("customer_id")["date"].min()
    first_ret = tx.loc[ret].groupby("customer_id")["date"].min()
    assert (first_ret >= first_buy.reindex(first_ret.index) + pd.Timedelta(days=2)).all()
    # a return never exceeds what the customer bought (a full return of everything nets to 0)
    assert (tx.groupby("customer_id")["amount"].sum() > -0.005).all()


def test_margin_rates_by_product_mix(tx, truth):
    sales = tx["amount"] > 0
    rate = 1 - tx.loc[sales, "cost"].sum() / tx.loc[sales, "amount"].sum()
    assert 0.32 < rate < 0.38
    assert truth["margin_rate"].between(0.25, 0.45).all()
    line_rate = 1 - tx.loc[sales, "cost"] / tx.loc[sales, "amount"]
    assert line_rate.between(0.09, 0.61).all()


# --------------------------------------------------------------------------------------------
# concentration and cost to serve
# --------------------------------------------------------------------------------------------


def test_revenue_is_heavy_tailed(by_customer):
    rev = by_customer["revenue"].sort_values(ascending=False)
    top = rev.head(len(rev) // 5).sum() / rev.sum()
    assert top > 0.5
    spend = by_customer["mean_spend"]
    assert spend.mean() > 1.2 * spend.median()  # right-skewed Gamma-Gamma spend


def test_some_high_revenue_customers_are_unprofitable(by_customer):
    g = by_customer
    high = g["revenue"] >= g["revenue"].quantile(0.8)
    losing = high & (g["profit"] < 0)
    assert losing.sum() >= 50
    # the loss makers among big spenders are the high-maintenance customers
    assert g.loc[losing, "high_maintenance"].mean() > 0.8
    assert (g.loc[g["high_maintenance"], "profit"] < 0).mean() > 0.5
    assert (g.loc[~g["high_maintenance"], "profit"] < 0).mean() < 0.1
    # ranking by profit differs from ranking by revenue: whale curve above 100 %
    profit = g["profit"].sort_values(ascending=False)
    assert profit.cumsum().max() > profit.sum()


def test_high_maintenance_segment(tx, truth, by_customer):
    hm = truth["high_maintenance"]
    assert hm.sum() == 1200
    top_spenders = truth["mean_spend"] >= truth["mean_spend"].quantile(0.9)
    assert truth.loc[top_spenders, "high_maintenance"].mean() > 2 * hm.mean()
    g = by_customer.groupby("high_maintenance")
    per_order = (
        g[["contacts", "deliveries", "returns", "discount"]].sum().div(g["orders"].sum(), axis=0)
    )
    assert (per_order.loc[True] > 3 * per_order.loc[False]).all()


# --------------------------------------------------------------------------------------------
# BG/NBD truth
# --------------------------------------------------------------------------------------------


def test_customer_truth_columns(truth, tx):
    assert list(truth.columns) == TRUTH_COLUMNS
    assert len(truth) == 20_000 and truth["customer_id"].is_unique
    assert truth["customer_id"].iloc[0] == "C00001"
    assert truth["alive_at_end"].dtype == bool and truth["high_maintenance"].dtype == bool
    assert truth["dropout_date"].isna().equals(truth["alive_at_end"])
    first = tx.loc[tx["amount"] > 0].groupby("customer_id")["date"].min()
    assert (
        first.reindex(truth["customer_id"]).to_numpy().tolist() == truth["first_purchase"].tolist()
    )
    assert truth["first_purchase"].max() <= pd.Timestamp("2023-07-01")  # acquired over 26 weeks


def test_bgnbd_parameters_are_plausible(truth, tx):
    alive = truth["alive_at_end"].mean()
    assert 0.3 < alive < 0.8
    # the drawn rates and dropout probabilities match their Gamma(1, 6) and Beta(1, 10) means
    assert truth["lambda"].mean() == pytest.approx(1.0 / 6.0, rel=0.05)
    assert truth["p_dropout"].mean() == pytest.approx(1.0 / 11.0, rel=0.05)
    days = tx.loc[tx["amount"] > 0].groupby("customer_id")["date"].nunique()
    survivors = truth.set_index("customer_id")["alive_at_end"].reindex(days.index)
    assert 8 < days[survivors].mean() < 12  # ~10 purchase occasions
    # nobody who dropped out buys again after the dropout date
    last = tx.loc[tx["amount"] > 0].groupby("customer_id")["date"].max()
    dropped = truth.loc[~truth["alive_at_end"]].set_index("customer_id")["dropout_date"]
    assert (last.reindex(dropped.index) == dropped).all()


# --------------------------------------------------------------------------------------------
# subscription cohorts (sBG)
# --------------------------------------------------------------------------------------------


def test_cohort_table_is_non_increasing():
    table = datasets.load("subscription_cohorts")
    gen, truth = datasets.cohort_survival()
    pd.testing.assert_frame_equal(table, gen)
    assert list(table.columns) == ["cohort", "period", "active"]
    assert truth["alpha"] == 0.8 and truth["beta"] == 3.2
    assert table.groupby("cohort")["period"].max().to_dict() == {
        "2023-01": 24,
        "2023-07": 18,
        "2024-01": 12,
    }
    start = table[table["period"] == 0].set_index("cohort")["active"].to_dict()
    assert start == truth["cohorts"] == {"2023-01": 1000, "2023-07": 1150, "2024-01": 900}
    for _, grp in table.groupby("cohort"):
        assert (grp.sort_values("period")["active"].diff().dropna() <= 0).all()
    # first-month retention near the sBG mean beta / (alpha + beta) = 0.8
    p1 = table[table["period"] == 1]["active"].sum() / sum(start.values())
    assert p1 == pytest.approx(0.8, abs=0.04)


# --------------------------------------------------------------------------------------------
# the messy ERP export
# --------------------------------------------------------------------------------------------

_DATE_FORMATS = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d"),
    (re.compile(r"^\d{4}/\d{1,2}/\d{1,2}$"), "%Y/%m/%d"),
    (re.compile(r"^\d{8}$"), "%Y%m%d"),
)


def _date_or_none(text):
    for pattern, fmt in _DATE_FORMATS:
        if pattern.match(text):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                return None
    return None


def test_messy_file_is_a_gbk_export_with_three_bad_dates(tx):
    raw = datasets.path("retail_messy_gbk").read_bytes()
    text = raw.decode("gbk")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert text.count("\r\n") == text.count("\n")  # CRLF only
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    assert header == ["客户编号", "交易日期", "金额", "成本", "渠道", "客服次数", "配送", "折扣"]
    assert 2_500 <= len(body) <= 3_000
    bad = {i + 2: r[1] for i, r in enumerate(body) if _date_or_none(r[1]) is None}
    assert sorted(bad.values()) == ["", "2024-02-30", "N/A"]
    assert bad == {73: "2024-02-30", 771: "", 2167: "N/A"}  # as datasets/README.md says
    dates = [r[1] for r in body]
    assert any("/" in d for d in dates) and any(re.fullmatch(r"\d{8}", d) for d in dates)
    amounts = [r[2] for r in body]
    assert any(a.startswith("￥") for a in amounts) and any("," in a for a in amounts)
    assert any(a.startswith("-") for a in amounts)
    assert {r[4] for r in body} == {"门店", "网店", "APP"}

    # the same lines as the clean log: complete histories of the first customers, in order
    ids = sorted({r[0] for r in body})
    clean = tx[tx["customer_id"].isin(ids)].reset_index(drop=True)
    assert len(clean) == len(body) and ids[0] == "C00001"
    parsed = [float(a.replace("￥", "").replace(",", "")) for a in amounts]
    assert np.allclose(parsed, clean["amount"], atol=1e-9)
    assert [r[0] for r in body] == clean["customer_id"].tolist()
    good = [i for i, r in enumerate(body) if i + 2 not in bad]
    assert [_date_or_none(body[i][1]) for i in good] == [d.date() for d in clean["date"].iloc[good]]


def test_messy_file_reads_as_text():
    df = datasets.load("retail_messy_gbk")
    assert list(df.columns)[:3] == ["客户编号", "交易日期", "金额"]
    assert df["金额"].dtype != np.float64  # left as text for cleaning


# --------------------------------------------------------------------------------------------
# large Parquet logs
# --------------------------------------------------------------------------------------------


def test_write_large_parquet_is_deterministic_with_documented_schema(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    a = datasets.write_large_parquet(tmp_path / "a.parquet", 1_000_000, 50_000, seed=3)
    b = datasets.write_large_parquet(tmp_path / "b.parquet", 1_000_000, 50_000, seed=3)
    c = datasets.write_large_parquet(
        tmp_path / "c.parquet", 1_000_000, 50_000, seed=3, chunk_rows=300_000
    )
    d = datasets.write_large_parquet(tmp_path / "d.parquet", 1_000_000, 50_000, seed=4)
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    ta, tc, td = pq.read_table(a), pq.read_table(c), pq.read_table(d)
    assert ta.schema == pa.schema(
        [
            ("customer_id", pa.int64()),
            ("date", pa.date32()),
            ("amount", pa.float64()),
            ("cost", pa.float64()),
            ("contacts", pa.int32()),
        ]
    )
    assert ta.num_rows == 1_000_000
    assert ta.equals(tc) and not ta.equals(td)  # chunking changes row groups, not data
    assert pq.ParquetFile(c).metadata.num_row_groups == 4
    df = ta.to_pandas()
    assert df["customer_id"].between(1, 50_000).all()
    assert df["date"].is_monotonic_increasing
    assert str(df["date"].min()) == "2023-01-01" and str(df["date"].max()) == "2024-12-31"
    assert 0.03 < (df["amount"] < 0).mean() < 0.05
    assert (np.sign(df["cost"]) == np.sign(df["amount"])).all()
    assert (df["contacts"] >= 0).all()
    assert not list(tmp_path.glob(".*.part"))
