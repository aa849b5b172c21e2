"""`customer-value customers | pyramid | clv`: real runs in subprocesses, as a user types them.

Expected numbers come from hand calculation on a tiny log, from the data's documented truth
(datasets/README.md) or from the library called directly on the clean log; the CLI reads the
files itself (DuckDB straight from a clean CSV/Parquet file, or the text reader and
clean_transactions for a messy one).
"""

import io
import re

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT, cli, digest

LOG = ROOT / "datasets" / "retail_transactions.csv"
MESSY = ROOT / "datasets" / "messy" / "retail_transactions_gbk.csv"
ZH = ["--customer-id", "客户编号", "--date", "交易日期", "--amount", "金额"]
RATES = [
    "--order-cost",
    "5",
    "--return-cost",
    "30",
    "--rate",
    "contacts=20",
    "--rate",
    "deliveries=25",
]
DATES = ["first_purchase", "last_purchase"]


def read_out(p) -> pd.DataFrame:
    df = pd.read_csv(p, dtype={"customer_id": str}, encoding="utf-8")
    for c in DATES:
        if c in df.columns:
            df[c] = pd.to_datetime(df[c], format="%Y-%m-%d")
    return df


def same_table(got: pd.DataFrame, want: pd.DataFrame) -> None:
    def norm(df):
        df = df.copy()
        for c in df.columns:
            if c in DATES:
                df[c] = pd.to_datetime(df[c]).astype("datetime64[ns]")
            elif c == "customer_id" or df[c].dtype == object:
                df[c] = df[c].astype(str)
            elif pd.api.types.is_bool_dtype(df[c]):
                continue
            else:
                df[c] = df[c].astype("float64")
        return df.reset_index(drop=True)

    pd.testing.assert_frame_equal(norm(got), norm(want), check_exact=False, rtol=1e-9, atol=1e-9)


# --------------------------------------------------------------------------------------------
# a tiny log checked by hand
# --------------------------------------------------------------------------------------------

# A buys twice on 1 Jan (one purchase occasion), again on 11 Jan, returns 30 on 15 Jan (a day
# with only a return is no occasion); B buys once; C twice. Options: --as-of 2024-01-31,
# --order-cost 2, --return-cost 5, --rate contacts=4, --cost cost.
TINY = """customer_id,date,amount,cost,contacts
A,2024-01-01,100,60,0
A,2024-01-01,50,30,1
B,2024-01-05,1200,900,0
C,2024-01-02,20,5,3
A,2024-01-11,80,40,0
A,2024-01-15,-30,-18,2
C,2024-01-30,40,10,0
"""
# the same log as a Chinese ERP writes it: GBK, Chinese headers, ￥ and thousands separators,
# mixed date formats, CRLF
TINY_ZH = """客户编号,交易日期,金额,成本,客服次数
A,2024/1/1,￥100.00,60,0
A,20240101,50,30,1
B,2024-01-05,"￥1,200.00",900.00,0
C,2024年1月2日,20,5,3
A,2024-01-11,80,40,0
A,2024/1/15,-￥30.00,-18,2
C,20240130,40,10,0
"""
TINY_OPTS = [
    "--as-of",
    "2024-01-31",
    "--order-cost",
    "2",
    "--return-cost",
    "5",
    "--rate",
    "contacts=4",
    "--cost",
    "cost",
]
TINY_ZH_OPTS = [
    "--customer-id",
    "客户编号",
    "--date",
    "交易日期",
    "--amount",
    "金额",
    "--as-of",
    "2024-01-31",
    "--order-cost",
    "2",
    "--return-cost",
    "5",
    "--rate",
    "客服次数=4",
    "--cost",
    "成本",
]

# by hand: A: orders 3 lines, 2 days; gross 230, returned 30, revenue 200; cost 60+30+40-18 =
# 112, margin 88; cost to serve 2*3 + 5*1 + 4*(1+2) = 23; profit 65; recency 31-11 = 20 days;
# repeat occasions 1 (11 Jan, 80); t_x = 10, T = 30 days.
# B: 1200 - 900 = 300 margin, 2 to serve, profit 298; recency 26, T 26.
# C: 60 revenue, 45 margin, 2*2 + 4*3 = 16 to serve, profit 29; recency 1, t_x 28, T 29.
EXPECTED = pd.DataFrame(
    {
        "customer_id": ["A", "B", "C"],
        "first_purchase": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-02"]),
        "last_purchase": pd.to_datetime(["2024-01-11", "2024-01-05", "2024-01-30"]),
        "recency_days": [20, 26, 1],
        "orders": [3, 1, 2],
        "purchase_days": [2, 1, 2],
        "returns": [1, 0, 0],
        "gross_sales": [230.0, 1200, 60],
        "returns_value": [30.0, 0, 0],
        "revenue": [200.0, 1200, 60],
        "avg_order_value": [230 / 3, 1200, 30],
        "gross_margin": [88.0, 300, 45],
        "cost_to_serve": [23.0, 2, 16],
        "profit": [65.0, 298, 29],
        "btyd_frequency": [1, 0, 1],
        "btyd_recency": [10.0, 0, 28],
        "btyd_T": [30.0, 26, 29],
        "btyd_paid_frequency": [1, 0, 1],
        "btyd_monetary": [80.0, 0, 40],
    }
)


@pytest.fixture
def tiny(tmp_path):
    p = tmp_path / "tiny.csv"
    p.write_text(TINY, encoding="utf-8")
    return p


@pytest.fixture
def tiny_zh(tmp_path):
    p = tmp_path / "tiny_zh.csv"
    p.write_bytes(TINY_ZH.replace("\n", "\r\n").encode("gbk"))
    return p


def test_help_of_each_command():
    for sub, words in [
        ("customers", ["--customer-id", "--on-invalid", "--rate", "--as-of"]),
        ("pyramid", ["--shares", "--method", "--cutoffs", "--value"]),
        ("clv", ["--model", "--calibration-end", "--horizon", "--discount"]),
    ]:
        r = cli(sub, "--help")
        assert r.returncode == 0 and "usage: customer-value " + sub in r.stdout, sub
        assert all(w in r.stdout for w in words), sub


def test_tiny_log_by_hand_clean_csv_through_duckdb(tiny, tmp_path):
    out = tmp_path / "customers.csv"
    r = cli("customers", tiny, *TINY_OPTS, "--out", out)
    assert r.returncode == 0, r.stderr
    assert "DuckDB straight from the file" in r.stdout
    assert "3 customers with purchases from 2024-01-01 to 2024-01-30" in r.stdout
    assert "profit basis: cost data (column 'cost')" in r.stdout
    same_table(read_out(out), EXPECTED)


def test_tiny_log_by_hand_gbk_chinese_headers(tiny_zh, tmp_path):
    before = digest(tiny_zh)
    out = tmp_path / "customers.csv"
    r = cli("customers", tiny_zh, *TINY_ZH_OPTS, "--out", out)
    assert r.returncode == 0, r.stderr
    # the library says why DuckDB does not read the file itself; the text reader does
    assert (
        "DuckDB cannot aggregate the file as it is (the file is not UTF-8 text); it is "
        "read as text and cleaned instead"
    ) in r.stdout
    assert "read 7 transaction rows, used 7" in r.stdout
    assert "1 return (negative amounts)" in r.stdout
    assert "金额: cleaned 1 with thousands separators, 3 with currency signs" in r.stdout
    assert "date formats:" in r.stdout and "YYYY年MM月DD日 1" in r.stdout
    assert "20 per unit" not in r.stdout and "4 per unit of '客服次数'" in r.stdout
    same_table(read_out(out), EXPECTED)
    assert digest(tiny_zh) == before


def test_tiny_log_from_parquet_typed_and_text_and_excel(tmp_path):
    typed = pd.read_csv(io.StringIO(TINY), dtype={"customer_id": str}, parse_dates=["date"])
    typed.to_parquet(tmp_path / "typed.parquet", index=False)
    typed.astype(str).to_parquet(tmp_path / "text.parquet", index=False)
    typed.to_excel(tmp_path / "sheet.xlsx", index=False)
    for name, how in [
        ("typed.parquet", "DuckDB straight from the file"),
        ("text.parquet", "read as text and cleaned"),
        ("sheet.xlsx", "read 7 transaction rows, used 7"),
    ]:
        out = tmp_path / f"{name}.csv"
        r = cli("customers", tmp_path / name, *TINY_OPTS, "--out", out)
        assert r.returncode == 0, r.stderr
        assert how in r.stdout, name
        same_table(read_out(out), EXPECTED)


def test_tiny_pyramid_tiers_gini_and_top_share_by_hand(tiny_zh, tmp_path):
    out = tmp_path / "tiers.csv"
    r = cli("pyramid", tiny_zh, *TINY_ZH_OPTS, "--out", out)
    assert r.returncode == 0, r.stderr
    # profits B 298 > A 65 > C 29; with n = 3 and 20/30/30/20 the boundaries are at round(0.6),
    # round(1.5), round(2.4) = 1, 2, 2 (half up): B platinum, A gold, no iron, C lead.
    tiers = read_out(out).set_index("customer_id")
    assert tiers["tier"].to_dict() == {"A": "gold", "B": "platinum", "C": "lead"}
    assert tiers["tier_zh"].to_dict() == {"A": "金", "B": "铂", "C": "铅"}
    assert not tiers["unprofitable"].any()
    assert tiers["profit"].to_dict() == {"A": 65.0, "B": 298.0, "C": 29.0}
    # Gini = Σi Σj |yi − yj| / (2 n Σ|y|): revenue (60, 200, 1200): 2·2280 / (6·1460) = 0.5205;
    # profit (29, 65, 298): 2·538 / (6·392) = 0.4575. Top 20% = 0.6 of a customer: 0.6·1200/1460
    # = 49.3% of revenue, 0.6·298/392 = 45.6% of profit.
    assert (
        "The top 20% of customers hold 49.3% of revenue and 45.6% of profit; "
        "Gini 0.521 (revenue), 0.457 (profit)."
    ) in r.stdout
    assert re.search(r"iron\s+铁\s+0\s+0\.0%", r.stdout)


def test_tiny_simple_clv_by_hand(tiny, tmp_path):
    out = tmp_path / "clv.csv"
    r = cli(
        "clv",
        tiny,
        *TINY_OPTS,
        "--model",
        "simple",
        "--unit",
        "day",
        "--horizon",
        "10",
        "--out",
        out,
    )
    assert r.returncode == 0, r.stderr
    # purchase days per day of observed life x 10 days x (average value per purchase day x her
    # own margin rate (gross margin / gross sales) - her cost to serve per purchase day)
    want = {
        "A": (2 / 30) * 10 * (200 / 2 * 88 / 230 - 23 / 2),
        "B": (1 / 26) * 10 * (1200 / 1 * 300 / 1200 - 2 / 1),
        "C": (2 / 29) * 10 * (60 / 2 * 45 / 60 - 16 / 2),
    }
    got = read_out(out).set_index("customer_id")
    for c, v in want.items():
        assert got.loc[c, "clv"] == pytest.approx(v, rel=1e-9)
    assert (
        "each customer's own gross margin rate" in r.stdout and "net of cost to serve" in r.stdout
    )
    # --gross leaves the cost to serve out, --margin-basis pooled uses one margin rate for all
    r = cli(
        "clv",
        tiny,
        *TINY_OPTS,
        "--model",
        "simple",
        "--unit",
        "day",
        "--horizon",
        "10",
        "--gross",
        "--margin-basis",
        "pooled",
        "--out",
        out,
        "--force",
    )
    assert r.returncode == 0, r.stderr
    pooled = (88 + 300 + 45) / (230 + 1200 + 60)
    got = read_out(out).set_index("customer_id")
    assert got.loc["A", "clv"] == pytest.approx((2 / 30) * 10 * 100 * pooled, rel=1e-9)
    r = cli("clv", tiny, *TINY_OPTS, "--model", "simple", "--discount", "0.01")
    assert r.returncode == 2 and "--discount applies to --model bgnbd" in r.stderr
    # three customers are too few for the BG/NBD: a clear error, not a table of NaN
    r = cli("clv", tiny, *TINY_OPTS, "--out", out, "--force")
    assert r.returncode == 2 and "use --model simple" in r.stderr
    assert "Traceback" not in r.stderr and "Warning" not in r.stderr


# --------------------------------------------------------------------------------------------
# the committed messy file: a clear error by default, a result with the cleaning reported
# --------------------------------------------------------------------------------------------


def test_messy_gbk_log_is_refused_with_file_column_and_lines(tmp_path):
    before = digest(MESSY)
    out = tmp_path / "customers.csv"
    r = cli("customers", MESSY, *ZH, "--out", out, fresh=True)  # a new process, as typed
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.startswith(f"error: {MESSY}: 3 of 2,991 transaction rows cannot be used")
    for text in [
        "column '交易日期'",
        "line 73: 客户编号='C00077', 交易日期='2024-02-30'",
        "line 771: 客户编号='C00107', 交易日期=<missing>",
        "'N/A'",
        "line 2167",
        "--on-invalid drop",
    ]:
        assert text in r.stderr, text
    assert list(tmp_path.iterdir()) == [] and digest(MESSY) == before


def test_messy_gbk_log_with_drop_matches_the_clean_log(tmp_path):
    from customer_value import datasets
    from customer_value.customers import customer_table

    before = digest(MESSY)
    out = tmp_path / "customers.csv"
    r = cli(
        "customers",
        MESSY,
        *ZH,
        "--cost",
        "成本",
        "--order-cost",
        "5",
        "--return-cost",
        "30",
        "--rate",
        "客服次数=20",
        "--rate",
        "配送=25",
        "--rate",
        "折扣=1",
        "--on-invalid",
        "drop",
        "--out",
        out,
    )
    assert r.returncode == 0, r.stderr
    for text in [
        "read 2,991 transaction rows, used 2,988, dropped 3",
        "dropped 1 row: missing date in column '交易日期'",
        "dropped 2 rows: not a date in column '交易日期'",
        "金额: cleaned",
        "thousands separators",
        "284 customers",
    ]:
        assert text in r.stdout, text
    # the messy file is the log of customers C00001..C00284 in the log's order; lines 73, 771
    # and 2167 (data rows 71, 769, 2165) carry the broken dates (datasets/README.md)
    log = datasets.load("retail_transactions")
    sub = log[log["customer_id"] <= "C00284"].reset_index(drop=True)
    assert sub.loc[[71, 769, 2165], "customer_id"].tolist() == ["C00077", "C00107", "C00235"]
    want = customer_table(
        sub.drop(index=[71, 769, 2165]),
        cost="cost",
        order_cost=5,
        return_cost=30,
        cost_rates={"contacts": 20, "deliveries": 25, "discount": 1},
    ).to_pandas()
    same_table(read_out(out), want)
    assert digest(MESSY) == before


# --------------------------------------------------------------------------------------------
# the committed clean log: the CLI agrees with the library and with the data's truth
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def library_table():
    from customer_value import datasets
    from customer_value.customers import customer_table

    return customer_table(
        datasets.load("retail_transactions"),
        cost="cost",
        order_cost=5,
        return_cost=30,
        cost_rates={"contacts": 20, "deliveries": 25},
    ).to_pandas()


def test_customers_on_the_committed_log_agree_with_the_library(tmp_path, library_table):
    before = digest(LOG)
    out = tmp_path / "customers.csv"
    r = cli("customers", LOG, "--cost", "cost", *RATES, "--out", out)
    assert r.returncode == 0, r.stderr
    assert "20,000 customers" in r.stdout and "DuckDB straight from the file" in r.stdout
    same_table(read_out(out), library_table)
    assert digest(LOG) == before


def test_pyramid_on_the_committed_log_agrees_with_the_library(tmp_path, library_table):
    from customer_value import pyramid

    out = tmp_path / "tiers.csv"
    r = cli("pyramid", LOG, "--cost", "cost", *RATES, "--out", out)
    assert r.returncode == 0, r.stderr
    got = read_out(out)
    want = pyramid.assign_tiers(library_table)
    assert got["tier"].tolist() == want.astype(str).tolist()
    assert got["tier"].value_counts().to_dict() == {
        "gold": 6000,
        "iron": 6000,
        "platinum": 4000,
        "lead": 4000,
    }
    assert got["unprofitable"].tolist() == (got["profit"] < 0).tolist()
    conc = pyramid.concentration_summary(library_table)
    assert (
        f"hold {conc.loc['revenue', 'top_share']:.1%} of revenue and "
        f"{conc.loc['profit', 'top_share']:.1%} of profit; Gini "
        f"{conc.loc['revenue', 'gini']:.3f} (revenue), {conc.loc['profit', 'gini']:.3f} "
        "(profit)"
    ) in r.stdout
    profile = pyramid.tier_profile(library_table, want).set_index("tier")
    assert f"{profile.loc['platinum', 'profit']:,.2f}" in r.stdout


def test_bgnbd_clv_recovers_the_truth_and_agrees_with_the_library(tmp_path, library_table):
    from customer_value import clv, datasets
    from customer_value.customers import customer_table

    out, params = tmp_path / "clv.csv", tmp_path / "params.csv"
    opts = ["--cost", "cost", "--as-of", "2024-12-31", "--unit", "week", *RATES]
    r = cli(
        "clv",
        LOG,
        *opts,
        "--horizon",
        "26",
        "--discount",
        "0.002",
        "--out",
        out,
        "--params-out",
        params,
    )
    assert r.returncode == 0, r.stderr
    fitted = pd.read_csv(params).set_index("parameter")
    # the generator's parameters (datasets/README.md): r=1, alpha=6, a=1, b=10; p=2.5, q=3,
    # gamma=240 (alpha and gamma come out a little high: dates are rounded down to days)
    truth = {"r": 1.0, "alpha": 6.0, "a": 1.0, "b": 10.0, "p": 2.5, "q": 3.0, "gamma": 240.0}
    for k, v in truth.items():
        est, se = fitted.loc[k, "estimate"], fitted.loc[k, "std_err"]
        assert abs(est - v) < max(4 * se, 0.05 * v), (k, est, se)
    got = read_out(out)
    # P(alive) against who is really alive at the end (53.3%)
    alive = datasets.load("retail_customers_truth").set_index("customer_id")["alive_at_end"]
    assert abs(got["p_alive"].mean() - alive.mean()) < 0.03
    # the same log through the library: the same parameters to 1e-6 and the same values
    table = customer_table(
        datasets.load("retail_transactions"),
        cost="cost",
        as_of="2024-12-31",
        unit="week",
        order_cost=5,
        return_cost=30,
        cost_rates={"contacts": 20, "deliveries": 25},
    )
    value = clv.lifetime_value(table, horizon=26, period="week", discount_rate=0.002)
    lib = value.parameters().set_index("parameter")
    np.testing.assert_allclose(fitted["estimate"], lib["estimate"], rtol=1e-6)
    np.testing.assert_allclose(fitted["std_err"], lib["std_err"], rtol=1e-6)
    assert f"log-likelihood {value.bgnbd.loglik_:,.4f}" in r.stdout
    np.testing.assert_allclose(got["clv"], value.data["clv"], rtol=1e-8)
    np.testing.assert_allclose(got["p_alive"], value.data["p_alive"], rtol=1e-8)


def test_free_orders_count_as_purchases_in_the_command_and_the_library(tmp_path):
    # a log with free (amount 0) orders: every customer of the log is in the output, free
    # orders are repeat purchases for BG/NBD, and the CLI and the library agree to 1e-6
    from customer_value import clv, datasets
    from customer_value.customers import customer_table

    tx, _, _ = datasets.retail_transactions(600, seed=5)
    rng = np.random.default_rng(5)
    tx.loc[rng.random(len(tx)) < 0.1, ["amount", "cost"]] = 0.0
    only_free = tx["customer_id"] == tx["customer_id"].iloc[0]
    tx.loc[only_free, ["amount", "cost"]] = 0.0
    path = tmp_path / "free.csv"
    tx.to_csv(path, index=False)
    out, params = tmp_path / "clv.csv", tmp_path / "params.csv"
    r = cli("clv", path, "--cost", "cost", "--out", out, "--params-out", params)
    assert r.returncode == 0, r.stderr
    got = read_out(out)
    assert set(got["customer_id"]) == set(tx["customer_id"])
    table = customer_table(tx, cost="cost", unit="week")
    value = clv.lifetime_value(table, horizon=52, period="week")
    np.testing.assert_allclose(
        pd.read_csv(params)["estimate"], value.parameters()["estimate"], rtol=1e-6
    )
    frame = table.to_pandas()
    assert (frame["btyd_frequency"] > frame["btyd_paid_frequency"]).any()
    free = frame.set_index("customer_id").loc[tx["customer_id"].iloc[0]]
    assert free["revenue"] == 0 and free["purchase_days"] >= 1 and free["btyd_monetary"] == 0
    # with --zero-amount ignore the customer who only had free orders disappears
    r = cli("clv", path, "--cost", "cost", "--zero-amount", "ignore", "--out", out, "--force")
    assert r.returncode == 0, r.stderr
    assert tx["customer_id"].iloc[0] not in set(read_out(out)["customer_id"])


def test_calibration_holdout_counts_the_later_purchase_days(tmp_path):
    from customer_value import datasets

    out = tmp_path / "clv.csv"
    r = cli("clv", LOG, "--calibration-end", "2024-06-30", "--out", out)
    assert r.returncode == 0, r.stderr
    assert "holdout check: purchase days after 2024-06-30 up to 2024-12-31" in r.stdout
    got = read_out(out).set_index("customer_id")
    # by plain pandas: days with a positive line, customers whose first such day is in the
    # calibration period, days after 30 June
    log = datasets.load("retail_transactions")
    buy = log[log["amount"] > 0]
    first = buy.groupby("customer_id")["date"].min()
    cal_customers = first[first <= "2024-06-30"].index
    later = buy[buy["date"] > "2024-06-30"].groupby("customer_id")["date"].nunique()
    want = later.reindex(cal_customers, fill_value=0)
    assert sorted(got.index) == sorted(cal_customers)
    assert got["frequency_holdout"].to_dict() == want.to_dict()
    total = f"total actual {want.sum():,.0f}, predicted "
    assert total in r.stdout
    pred = float(re.search(re.escape(total) + r"([\d,.]+)", r.stdout).group(1).replace(",", ""))
    assert abs(pred / want.sum() - 1) < 0.05  # the BG/NBD tracks the holdout closely


# --------------------------------------------------------------------------------------------
# errors: one message naming file, column and rows; exit 2; nothing written
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, args, expected",
    [
        (
            "missing_column.csv",
            TINY,
            ["--amount", "金额"],
            ["missing column(s) '金额'", "columns present"],
        ),
        (
            "text_amount.csv",
            "customer_id,date,amount\na,2024-01-01,10\na,2024-01-02,abc\n",
            [],
            ["column 'amount', not a number: 'abc' (1 row)", "line 3: customer_id='a'"],
        ),
        (
            "bad_date.csv",
            "customer_id,date,amount\na,2024-01-01,10\nb,2024-13-01,5\n",
            [],
            ["column 'date', not a date: '2024-13-01' (1 row)", "line 3"],
        ),
        (
            "day_first.csv",
            "customer_id,date,amount\na,01/02/2024,10\nb,13/01/2024,5\n",
            [],
            ["not a date: '01/02/2024' (1 row)", "year first"],
        ),
        ("empty.csv", "", [], ["the file is empty"]),
        ("header_only.csv", "customer_id,date,amount\n", [], ["no data rows"]),
        (
            "duplicated.csv",
            "customer_id,date,amount,amount\na,2024-01-01,1,2\n",
            [],
            ["duplicated column name(s) in the header: ['amount']"],
        ),
    ],
)
def test_bad_files_give_one_clear_message(tmp_path, name, content, args, expected):
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    out = tmp_path / "out" / "customers.csv"
    r = cli("customers", p, *args, "--out", out)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith(f"error: {p}: ") and r.stderr.count("error:") == 1
    for text in expected:
        assert text in r.stderr, text
    assert sorted(x.name for x in tmp_path.iterdir()) == [name]


def test_ids_keep_leading_zeros_and_bad_options_are_usage_errors(tmp_path):
    p = tmp_path / "ids.csv"
    p.write_text("customer_id,date,amount\n007,2024-01-01,10\n7,2024-01-02,5\n", encoding="utf-8")
    out = tmp_path / "c.csv"
    r = cli("customers", p, "--out", out)
    assert r.returncode == 0, r.stderr
    assert read_out(out)["customer_id"].tolist() == ["007", "7"]
    for args, text in [
        (["--as-of", "31/12/2024"], "not a date"),
        (["--rate", "contacts"], "COLUMN=RATE"),
        (["--order-cost", "-1"], "must be >= 0"),
    ]:
        r = cli("customers", p, *args)
        assert r.returncode == 2 and text in r.stderr and "Traceback" not in r.stderr, args


def test_outputs_need_force_and_the_input_is_never_overwritten(tiny, tmp_path):
    before = digest(tiny)
    out = tmp_path / "tiers.csv"
    out.write_text("keep me", encoding="utf-8")
    r = cli("pyramid", tiny, "--out", out)
    assert r.returncode == 2 and "--force" in r.stderr and out.read_text() == "keep me"
    r = cli("pyramid", tiny, "--out", out, "--force")
    assert r.returncode == 0 and read_out(out)["tier"].notna().all()
    r = cli("customers", tiny, "--out", tiny, "--force")
    assert r.returncode == 2 and "is the input file" in r.stderr
    assert digest(tiny) == before
    assert sorted(x.name for x in tmp_path.iterdir()) == ["tiers.csv", "tiny.csv"]
