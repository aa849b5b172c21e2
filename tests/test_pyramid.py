"""Customer pyramid, concentration, migration, RFM: small customer tables, hand expectations."""

import warnings

import numpy as np
import pandas as pd
import pytest

from customer_value import pyramid
from customer_value.io import InputError

TABLE_COLUMNS = [
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
    "btyd_monetary",
]


def make_table(ids, profit, **columns):
    """A customer table with the contract's columns; unspecified columns get plain values that
    are consistent with each other (profit = gross_margin − cost_to_serve)."""
    n = len(ids)
    profit = np.asarray(profit, dtype=float)
    revenue = np.asarray(columns.pop("revenue", np.abs(profit) * 2 + 100), dtype=float)
    orders = np.asarray(columns.pop("orders", np.full(n, 2)), dtype=np.int64)
    cost = np.asarray(columns.pop("cost_to_serve", np.full(n, 10.0)), dtype=float)
    df = pd.DataFrame(
        {
            "customer_id": list(ids),
            "first_purchase": pd.Timestamp("2024-01-01"),
            "last_purchase": pd.Timestamp("2024-06-01"),
            "recency_days": np.asarray(
                columns.pop("recency_days", np.arange(n) + 1), dtype=np.int64
            ),
            "orders": orders,
            "purchase_days": orders,
            "returns": 0,
            "gross_sales": revenue,
            "returns_value": 0.0,
            "revenue": revenue,
            "avg_order_value": revenue / orders,
            "gross_margin": profit + cost,
            "cost_to_serve": cost,
            "profit": profit,
            "btyd_frequency": orders - 1,
            "btyd_recency": 10.0,
            "btyd_T": 30.0,
            "btyd_monetary": 50.0,
        }
    )
    for k, v in columns.items():
        df[k] = v
    return df[TABLE_COLUMNS + [c for c in df.columns if c not in TABLE_COLUMNS]]


def by_id(table, tiers):
    return dict(zip(table["customer_id"], tiers.astype(str)))


# --------------------------------------------------------------------------------------------
# tiers
# --------------------------------------------------------------------------------------------

SHARES_IDS = list("abcdefghij")
SHARES_PROFIT = [50, 80, 30, 30, 30, 10, 10, -5, 0, 80]


def test_shares_method_by_hand_with_ties_resolved_by_customer_id():
    # ranked by profit desc, then id asc: b80 j80 | a50 c30 d30 | e30 f10 g10 | i0 h-5
    # 20/30/30/20 of 10 customers: 2, 3, 3, 2; the three 30s are split c, d (gold) / e (iron)
    expected = {
        "b": "platinum",
        "j": "platinum",
        "a": "gold",
        "c": "gold",
        "d": "gold",
        "e": "iron",
        "f": "iron",
        "g": "iron",
        "i": "lead",
        "h": "lead",
    }
    table = make_table(SHARES_IDS, SHARES_PROFIT)
    tiers = pyramid.assign_tiers(table)
    assert by_id(table, tiers) == expected
    assert tiers.name == "tier" and tiers.index.equals(table.index)
    assert tiers.cat.ordered and list(tiers.cat.categories) == list(pyramid.TIERS)
    # the row order of the file does not matter
    shuffled = table.iloc[[7, 2, 9, 0, 5, 3, 8, 1, 6, 4]]
    assert by_id(shuffled, pyramid.assign_tiers(shuffled)) == expected


def test_shares_rounding_and_custom_shares():
    # n = 7: boundaries round-half-up(7 × 0.2, 0.5, 0.8, 1.0) = 1, 4, 6, 7 → 1, 3, 2, 1
    table = make_table(list("abcdefg"), [70, 60, 50, 40, 30, 20, 10])
    counts = pyramid.assign_tiers(table).value_counts(sort=False).tolist()
    assert counts == [1, 3, 2, 1]
    tiers = pyramid.assign_tiers(table, shares=(0.0, 0.5, 0.5, 0.0))
    assert tiers.value_counts(sort=False).tolist() == [0, 4, 3, 0]  # 3.5 rounds up to 4
    with pytest.raises(InputError, match="add up to 1"):
        pyramid.assign_tiers(table, shares=(0.2, 0.2, 0.2, 0.2))
    with pytest.raises(InputError, match="method must be one of"):
        pyramid.assign_tiers(table, method="quartiles")


def test_revenue_can_be_the_value_but_profit_is_the_default():
    table = make_table(list("abc"), [10, 20, 30], revenue=[300.0, 200, 100])
    thirds = (1 / 3, 1 / 3, 1 / 3, 0)
    assert by_id(table, pyramid.assign_tiers(table, shares=thirds))["c"] == "platinum"
    rev = pyramid.assign_tiers(table, shares=thirds, value="revenue")
    assert by_id(table, rev)["a"] == "platinum"


CUM_IDS = list("abcdefghij")
CUM_PROFIT = [50, 20, 10, 10, 5, 5, 0, -5, -10, -15]


def test_cumulative_method_by_hand():
    # positive profit P = 100. Profit of better-ranked customers before each one:
    # a 0 | b 50, c 70 | d 80, e 90, f 95 | g 100 (zero profit), h, i, j negative
    # platinum: before < 50; gold: before < 80; iron: before < 100; the rest lead.
    # c and d tie at 10: c (smaller id) is gold, d is iron.
    table = make_table(CUM_IDS, CUM_PROFIT)
    got = by_id(table, pyramid.assign_tiers(table, method="cumulative"))
    assert got == {
        "a": "platinum",
        "b": "gold",
        "c": "gold",
        "d": "iron",
        "e": "iron",
        "f": "iron",
        "g": "lead",
        "h": "lead",
        "i": "lead",
        "j": "lead",
    }
    # with cutoffs (0.5, 0.8, 0.9) the positive tail beyond 90 % is lead too: e (before 90), f
    got = by_id(table, pyramid.assign_tiers(table, method="cumulative", cutoffs=(0.5, 0.8, 0.9)))
    assert [got[k] for k in "def"] == ["iron", "lead", "lead"]
    # nobody profitable: everyone is lead
    loss = make_table(list("abc"), [-1, -2, 0])
    assert set(pyramid.assign_tiers(loss, method="cumulative").astype(str)) == {"lead"}
    with pytest.raises(InputError, match="cutoffs"):
        pyramid.assign_tiers(table, method="cumulative", cutoffs=(0.8, 0.5, 1.0))


KMEANS_PROFIT = [5000, 5200, 4800, 500, 520, 480, 50, 52, 48, -100, -120, -80]


def test_kmeans_orders_clusters_by_mean_value_and_is_deterministic():
    ids = [f"c{i:02d}" for i in range(12)]
    table = make_table(ids, KMEANS_PROFIT)
    tiers = pyramid.assign_tiers(table, method="kmeans", seed=3)
    assert tiers.astype(str).tolist() == [t for t in pyramid.TIERS for _ in range(3)]
    again = pyramid.assign_tiers(table, method="kmeans", seed=3)
    assert tiers.equals(again)
    gen = pyramid.assign_tiers(table, method="kmeans", seed=np.random.default_rng(7))
    assert gen.astype(str).tolist() == tiers.astype(str).tolist()
    with pytest.raises(InputError, match="4 distinct"):
        pyramid.assign_tiers(make_table(list("abcd"), [1, 1, 2, 2]), method="kmeans")


def test_segmenter_applies_the_thresholds_of_the_fitting_period():
    ids = [f"c{i}" for i in range(10)]
    p1 = make_table(ids, [100, 80, 60, 50, 40, 30, 20, 10, 0, -10])
    p2 = make_table(ids, [200, 150, 90, 85, 45, 41, 15, 5, -20, -30])
    seg = pyramid.PyramidSegmenter().fit(p1[["profit"]])
    # period 1 tiers 2/3/3/2: platinum {100, 80}, gold {60, 50, 40}, iron {30, 20, 10}
    assert seg.thresholds_.tolist() == [[80.0, 40.0, 10.0]]
    assert seg.counts_.tolist() == [[2, 3, 3, 2]]
    assert list(seg.get_feature_names_out()) == ["profit"]
    # period 2 by those thresholds: >= 80: 4 platinum; [40, 80): 45, 41; [10, 40): 15; < 10: 3 lead
    got = seg.tiers(p2[["profit"]]).astype(str).tolist()
    assert got == ["platinum"] * 4 + ["gold"] * 2 + ["iron"] + ["lead"] * 3
    assert seg.transform(p2[["profit"]])[:, 0].tolist() == [0, 0, 0, 0, 1, 1, 2, 3, 3, 3]
    refit = pyramid.assign_tiers(p2).astype(str).tolist()
    assert refit == ["platinum"] * 2 + ["gold"] * 3 + ["iron"] * 3 + ["lead"] * 2
    assert got != refit
    summary = seg.summary()
    assert summary["tier"].tolist() == list(pyramid.TIERS)
    assert summary["min_value"].tolist() == [80.0, 40.0, 10.0, -np.inf]
    assert summary["share_customers"].tolist() == pytest.approx([0.2, 0.3, 0.3, 0.2])


def test_segmenter_sklearn_conventions_and_tie_caveat():
    from sklearn.base import clone
    from sklearn.exceptions import NotFittedError

    seg = pyramid.PyramidSegmenter(method="cumulative", cutoffs=(0.6, 0.9, 1.0))
    assert clone(seg).get_params()["cutoffs"] == (0.6, 0.9, 1.0)
    with pytest.raises(NotFittedError):
        seg.transform(make_table(["a"], [1])[["profit"]])
    # a tie across the gold/iron boundary: assign_tiers splits b/c by id, fixed thresholds do not
    t = make_table(list("abcde"), [100, 50, 50, 10, -5])
    s = pyramid.PyramidSegmenter(shares=(0.2, 0.2, 0.4, 0.2)).fit(t[["profit"]])
    assert pyramid.assign_tiers(t, shares=(0.2, 0.2, 0.4, 0.2)).astype(str).tolist()[2] == "iron"
    assert s.thresholds_.tolist() == [[100.0, 50.0, 10.0]]
    assert s.tiers(t[["profit"]]).astype(str).tolist() == [
        "platinum",
        "gold",
        "gold",
        "iron",
        "lead",
    ]
    # cumulative thresholds: negatives and zero of a new period are lead
    c = pyramid.PyramidSegmenter(method="cumulative").fit(
        make_table(CUM_IDS, CUM_PROFIT)[["profit"]]
    )
    assert c.thresholds_.tolist() == [[50.0, 10.0, 5.0]]
    new = make_table(list("xyz"), [7, 0, -3])
    assert c.tiers(new[["profit"]]).astype(str).tolist() == ["iron", "lead", "lead"]
    # several columns: one set of thresholds each, like scikit-learn's binning transformers
    two = pyramid.PyramidSegmenter(shares=(0.2, 0.2, 0.4, 0.2)).fit(t[["profit", "revenue"]])
    assert two.thresholds_.shape == (2, 3) and two.transform(t[["profit", "revenue"]]).shape == (
        5,
        2,
    )
    with pytest.raises(InputError, match="one column"):
        two.tiers(t[["profit", "revenue"]])


def test_segmenter_reports_bad_values_as_input_errors():
    t = make_table(list("abc"), [1, 2, 3])
    t["profit"] = t["profit"].astype(object)
    t.loc[1, "profit"] = "n/a"
    with pytest.raises(InputError, match=r"'profit'.*'n/a'") as err:
        pyramid.PyramidSegmenter().fit(t[["profit"]])
    assert "row 1" in str(err.value)
    with pytest.raises(InputError, match="NaN"):
        pyramid.PyramidSegmenter().fit(np.array([[1.0], [np.nan]]))
    with pytest.raises(InputError, match="method must be one of"):
        pyramid.PyramidSegmenter(method="deciles").fit(np.array([[1.0], [2.0]]))
    with pytest.raises(InputError, match="4 distinct values"):
        pyramid.PyramidSegmenter(method="kmeans").fit(np.array([[1.0], [1.0], [2.0], [2.0]]))


def test_bad_input_is_reported_with_column_and_rows():
    t = make_table(list("abc"), [1, 2, 3])
    t["profit"] = t["profit"].astype(object)
    t.loc[1, "profit"] = "n/a"
    with pytest.raises(InputError, match=r"'profit'.*'n/a'") as err:
        pyramid.assign_tiers(t)
    assert "row 1" in str(err.value)
    dup = make_table(["a", "a", "b"], [1, 2, 3])
    with pytest.raises(InputError, match="unique"):
        pyramid.assign_tiers(dup)
    with pytest.raises(InputError, match="'margin' not found"):
        pyramid.assign_tiers(t, value="margin")


# --------------------------------------------------------------------------------------------
# profile
# --------------------------------------------------------------------------------------------


def profile_table():
    return make_table(
        list("abcd"),
        [40, 25, 5, -20],
        revenue=[100.0, 60, 40, 30],
        orders=[4, 2, 3, 1],
        cost_to_serve=[10.0, 5, 15, 30],
        recency_days=[5, 10, 20, 90],
        gross_sales=[110.0, 60, 50, 30],
    )


def test_tier_profile_by_hand():
    table = profile_table()
    prof = pyramid.tier_profile(table, ["platinum", "gold", "gold", "lead"]).set_index("tier")
    assert list(prof.index) == ["platinum", "gold", "iron", "lead", "total"]
    gold = prof.loc["gold"]
    assert gold["tier_zh"] == "金"
    assert gold["customers"] == 2 and gold["share_customers"] == 0.5
    assert gold["revenue"] == 100 and gold["gross_margin"] == 50 and gold["cost_to_serve"] == 20
    assert gold["profit"] == 30 and gold["share_profit"] == pytest.approx(30 / 50)
    assert gold["share_revenue"] == pytest.approx(100 / 230)
    assert gold["avg_order_value"] == pytest.approx((60 + 50) / (2 + 3))
    assert gold["mean_recency_days"] == 15 and gold["mean_orders"] == 2.5
    assert gold["unprofitable"] == 0
    lead = prof.loc["lead"]
    assert lead["share_profit"] == pytest.approx(-0.4) and lead["unprofitable"] == 1
    assert prof.loc["iron", "customers"] == 0 and np.isnan(prof.loc["iron", "mean_orders"])
    total = prof.loc["total"]
    assert total["profit"] == 50 and total["customers"] == 4 and total["unprofitable"] == 1
    assert total["avg_order_value"] == pytest.approx(250 / 10)


def test_profile_sums_equal_totals():
    table = make_table(SHARES_IDS, SHARES_PROFIT)
    prof = pyramid.tier_profile(table, pyramid.assign_tiers(table)).set_index("tier")
    tiers, total = prof.loc[list(pyramid.TIERS)], prof.loc["total"]
    for col in ("customers", "revenue", "gross_margin", "cost_to_serve", "profit", "unprofitable"):
        assert tiers[col].sum() == pytest.approx(total[col]), col
    for col in ("share_customers", "share_profit", "share_revenue"):
        assert tiers[col].sum() == pytest.approx(1.0), col
    assert total["profit"] == pytest.approx(table["profit"].sum())
    assert total["unprofitable"] == 1  # h, profit -5
    assert pyramid.flag_unprofitable(table).sum() == 1
    # a tier column works as well, and so does a frame of customer ids and tiers
    out = table.assign(tier=pyramid.assign_tiers(table))
    assert pyramid.tier_profile(out, "tier")["customers"].iloc[-1] == 10
    by_id = out[["customer_id", "tier"]].iloc[::-1]
    pd.testing.assert_frame_equal(
        pyramid.tier_profile(table, by_id), pyramid.tier_profile(table, out["tier"])
    )


def test_tier_shares_by_hand_for_any_value():
    # five customers, CLV 50 + 20 + 10 + 5 − 5 = 80; iron has one customer, no tier is empty
    tiers = ["platinum", "gold", "gold", "iron", "lead"]
    clv = [50.0, 20, 10, 5, -5]
    out = pyramid.tier_shares(tiers, clv).set_index("tier")
    assert list(out.index) == list(pyramid.TIERS)
    assert out["customers"].tolist() == [1, 2, 1, 1]
    assert out["share_customers"].tolist() == pytest.approx([0.2, 0.4, 0.2, 0.2])
    assert out["profit"].tolist() == [50, 30, 5, -5]
    assert out["share_profit"].tolist() == pytest.approx([50 / 80, 30 / 80, 5 / 80, -5 / 80])
    assert out.loc["gold", "tier_zh"] == "金"
    # an empty tier is kept; Series are aligned by index, not by position; Chinese tier names
    idx = ["x", "y", "z"]
    shuffled = pd.Series([-10.0, 30, 10], index=["z", "x", "y"])
    out = pyramid.tier_shares(pd.Series(["铂", "gold", "lead"], index=idx), shuffled)
    out = out.set_index("tier")
    assert out.loc["iron", "customers"] == 0 and out.loc["iron", "share_profit"] == 0
    assert out["share_profit"].tolist() == pytest.approx([30 / 30, 10 / 30, 0, -10 / 30])
    # a total of zero has no shares
    assert (
        pyramid.tier_shares(["gold", "lead"], [5.0, -5])
        .set_index("tier")["share_profit"]
        .isna()
        .all()
    )
    with pytest.raises(InputError, match="entries"):
        pyramid.tier_shares(["gold", "lead"], [1.0])
    with pytest.raises(InputError, match="unknown or missing tier"):
        pyramid.tier_shares(["gold", "silver"], [1.0, 2.0])
    with pytest.raises(InputError, match="not finite"):
        pyramid.tier_shares(["gold", "lead"], [1.0, np.nan])


def test_tier_shares_agree_with_tier_profile_on_profit():
    table = make_table(SHARES_IDS, SHARES_PROFIT)
    tiers = pyramid.assign_tiers(table)
    cols = ["tier", "customers", "share_customers", "profit", "share_profit"]
    expected = pyramid.tier_profile(table, tiers)[cols].iloc[:4]
    pd.testing.assert_frame_equal(pyramid.tier_shares(tiers, table["profit"])[cols], expected)


def test_plot_pyramid_draws_tier_shares():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    shares = pyramid.tier_shares(
        ["platinum", "gold", "gold", "iron", "lead"], [50.0, 20, 10, 5, -5]
    )
    assert pyramid.plot_pyramid(shares, ax=ax) is ax
    widths = [p.get_width() for p in ax.patches]
    plt.close(fig)
    # left bars: −share of customers; right bars: |share of CLV|, the lead tier's drawn hatched
    assert sorted(w for w in widths if w < 0) == pytest.approx([-0.4, -0.2, -0.2, -0.2])
    assert sorted(w for w in widths if w > 0) == pytest.approx(
        sorted([50 / 80, 30 / 80, 5 / 80, 5 / 80])
    )


# --------------------------------------------------------------------------------------------
# concentration
# --------------------------------------------------------------------------------------------


def test_whale_curve_rises_above_100_percent_and_ends_at_exactly_100():
    table = make_table(list("dcba"), [-20, 20, 40, 60])
    wc = pyramid.whale_curve(table)
    # ranked a60 b40 c20 d-20; total 100: 0, .6, 1.0, 1.2, 1.0
    assert wc.curve["share_value"].tolist() == pytest.approx([0, 0.6, 1.0, 1.2, 1.0])
    assert wc.curve["share_value"].iloc[-1] == 1.0
    assert wc.curve["customer_id"].tolist()[1:] == ["a", "b", "c", "d"]
    assert wc.peak == pytest.approx(1.2) and wc.peak_customers == 3
    assert wc.peak_share_customers == 0.75
    assert wc.unprofitable == 1 and wc.loss == 20
    assert wc.summary()["peak"].iloc[0] == pytest.approx(1.2)
    # all profitable: no hump, the peak is the end
    flat = pyramid.whale_curve(make_table(list("ab"), [3, 1]))
    assert flat.peak == 1.0 and flat.peak_customers == 2
    with pytest.raises(InputError, match="positive total"):
        pyramid.whale_curve(make_table(list("ab"), [3, -5]))


def test_gini_standard_cases_and_hand_examples():
    assert pyramid.gini([7, 7, 7, 7]) == 0
    for n in (2, 4, 5, 10):
        assert pyramid.gini([0] * (n - 1) + [100]) == pytest.approx((n - 1) / n)
    # (1, 2, 3, 4): sum of |differences| over ordered pairs 20; 20 / (2 · 4² · 2.5) = 0.25
    assert pyramid.gini([4, 1, 3, 2]) == pytest.approx(0.25)
    assert pyramid.gini([1, 2, 3, 4]) == pytest.approx(pyramid.gini([10, 20, 30, 40]))
    # negative values, RSV: (-1, 0, 3): 2·(1 + 4 + 3) / (2 · 3 · (3 + 1)) = 2/3
    assert pyramid.gini([-1, 0, 3]) == pytest.approx(2 / 3)
    # polarised case (all losses on one, all profit on another): the maximum (n - 1)/n
    assert pyramid.gini([-2, 0, 0, 5]) == pytest.approx(0.75)
    assert np.isnan(pyramid.gini([0, 0]))
    # for non-negative values it equals 1 − 2 × area under the Lorenz curve
    v = [5, 1, 8, 0, 3, 3]
    lc = pyramid.lorenz_curve(v)
    area = np.trapezoid(lc["share_value"], lc["share_customers"])
    assert pyramid.gini(v) == pytest.approx(1 - 2 * area)
    assert lc["share_value"].tolist() == pytest.approx([0, 0, 1 / 20, 4 / 20, 7 / 20, 12 / 20, 1])


def test_top_share_by_hand():
    assert pyramid.top_share([10, 5, 3, 1, 1], x=0.3) == pytest.approx((10 + 0.5 * 5) / 20)
    values = [1, 1, 1, 1, 1, 1, 1, 1, 40, 52]
    assert pyramid.top_share(values, x=0.2) == pytest.approx(92 / 100)
    assert pyramid.top_share(values, x=0) == 0 and pyramid.top_share(values, x=1) == 1
    # with losses the top share can exceed 100 %, as on the whale curve
    assert pyramid.top_share([60, 40, 20, -20, 0], x=0.6) == pytest.approx(1.2)


def test_concentration_summary_by_hand():
    t = make_table(list("abcde"), [30, 8, 2, 0, -10], revenue=[50.0, 20, 15, 10, 5])
    s = pyramid.concentration_summary(t)
    assert list(s.index) == ["revenue", "profit"]
    # revenue sorted 5 10 15 20 50: Σ(2i−n−1)y = 200 → 400 / (2 · 5 · 100) = 0.4
    assert s.loc["revenue", "gini"] == pytest.approx(0.4)
    # profit sorted -10 0 2 8 30: Σ(2i−n−1)y = 176 → 352 / (2 · 5 · (40 + 10)) = 0.704
    assert s.loc["profit", "gini"] == pytest.approx(0.704)
    assert s.loc["revenue", "top_share"] == pytest.approx(0.5)
    assert s.loc["profit", "top_share"] == pytest.approx(1.0)
    assert s.loc["profit", "whale_peak"] == pytest.approx(40 / 30)
    assert s.loc["profit", "whale_peak_share_customers"] == pytest.approx(0.6)
    assert s.loc["profit", "negative"] == 1 and s.loc["revenue", "total"] == 100


# --------------------------------------------------------------------------------------------
# migration
# --------------------------------------------------------------------------------------------


def test_transition_matrix_by_hand_with_lost_and_new():
    before = pd.Series(
        ["platinum", "platinum", "gold", "gold", "iron", "lead"], index=list("abcdef")
    )
    after = pd.Series(
        ["platinum", "gold", "platinum", "iron", "iron", "gold", "lead"], index=list("abcefgh")
    )
    counts = pyramid.transition_matrix(before, after, normalize=False)
    assert list(counts.index) == ["platinum", "gold", "iron", "lead", "new"]
    assert list(counts.columns) == ["platinum", "gold", "iron", "lead", "lost"]
    expected = pd.DataFrame(
        [[1, 1, 0, 0, 0], [1, 0, 0, 0, 1], [0, 0, 1, 0, 0], [0, 0, 1, 0, 0], [0, 1, 0, 1, 0]],
        index=counts.index,
        columns=counts.columns,
    )
    pd.testing.assert_frame_equal(counts, expected, check_dtype=False)
    p = pyramid.transition_matrix(before, after)
    assert p.loc["gold"].tolist() == [0.5, 0, 0, 0, 0.5]
    assert p.loc["new"].tolist() == [0, 0.5, 0, 0.5, 0]
    assert p.sum(axis=1).tolist() == pytest.approx([1] * 5)
    # tables with customer_id and tier columns work the same
    tb = pd.DataFrame({"customer_id": before.index, "tier": before.to_numpy()})
    ta = pd.DataFrame({"customer_id": after.index, "tier": after.to_numpy()})
    pd.testing.assert_frame_equal(pyramid.transition_matrix(tb, ta), p)
    with pytest.raises(InputError, match="unique"):
        pyramid.transition_matrix(pd.Series(["gold", "iron"], index=["a", "a"]), after)


def test_projection_of_a_two_state_chain_is_a_matrix_power():
    P = np.array([[0.9, 0.1], [0.3, 0.7]])
    frame = pd.DataFrame(P, index=["gold", "iron"], columns=["gold", "iron"])
    start = np.array([100.0, 50.0])
    out = pyramid.project_mix(frame, {"gold": 100, "iron": 50}, periods=5)
    assert list(out.index) == list(range(6))
    for k in range(6):
        assert out.loc[k].to_numpy() == pytest.approx(start @ np.linalg.matrix_power(P, k))
    # by hand, from (1, 0): after two steps 0.9·0.9 + 0.1·0.3 = 0.84 and 0.16
    assert pyramid.project_mix(P, [1, 0], periods=2).loc[2].tolist() == pytest.approx([0.84, 0.16])


def test_projection_from_a_transition_matrix_treats_lost_as_absorbing():
    before = pd.Series(["gold", "gold", "iron", "iron"], index=list("abcd"))
    after = pd.Series(["gold", "iron", "iron"], index=list("abc"))  # d is lost
    m = pyramid.transition_matrix(before, after)
    out = pyramid.project_mix(m, {"gold": 10, "iron": 10}, periods=2)
    assert list(out.columns) == ["platinum", "gold", "iron", "lead", "lost"]
    # step 1: gold 10·.5 = 5; iron 10·.5 + 10·.5 = 10; lost 10·.5 = 5
    assert out.loc[1, ["gold", "iron", "lost"]].tolist() == pytest.approx([5, 10, 5])
    assert out.loc[2, ["gold", "iron", "lost"]].tolist() == pytest.approx([2.5, 7.5, 10])
    assert out.sum(axis=1).tolist() == pytest.approx([20, 20, 20])
    # platinum and lead rows are NaN (nobody was there), harmless while nobody gets there
    assert m.loc[["platinum", "lead"]].isna().all().all()
    up = pyramid.transition_matrix(
        pd.Series(["gold"], index=["a"]), pd.Series(["platinum"], index=["a"])
    )
    assert pyramid.project_mix(up, {"gold": 1}, periods=1).loc[1, "platinum"] == 1
    with pytest.raises(InputError, match=r"period 1 .*\['platinum'\]"):
        pyramid.project_mix(up, {"gold": 1}, periods=2)


def test_move_up_effect_by_hand():
    table = make_table(list("abcdefghij"), [100, 80, 50, 30, 10, 10, 4, 0, -10, -30])
    tiers = ["platinum"] * 2 + ["gold"] * 2 + ["iron"] * 4 + ["lead"] * 2
    out = pyramid.move_up_effect(table, tiers, share=0.5).set_index("tier")
    # means: platinum 90, gold 40, iron 6, lead -20
    assert out["mean_profit"].tolist()[:4] == pytest.approx([90, 40, 6, -20])
    assert out["to_tier"].isna().tolist() == [True, False, False, False, True]
    assert out["to_tier"].tolist()[1:4] == ["platinum", "gold", "iron"]
    assert out["moved"].tolist() == pytest.approx([0, 1, 2, 1, 4])
    # gold: 1 × (90 − 40) = 50; iron: 2 × (40 − 6) = 68; lead: 1 × (6 + 20) = 26
    assert out["profit_effect"].tolist() == pytest.approx([0, 50, 68, 26, 144])
    assert out.loc["total", "share_of_total"] == pytest.approx(144 / 244)
    # default share 0.1: 0.2 × 50 + 0.4 × 34 + 0.2 × 26 = 28.8
    small = pyramid.move_up_effect(table, tiers)
    assert small["profit_effect"].iloc[-1] == pytest.approx(28.8)


# --------------------------------------------------------------------------------------------
# RFM
# --------------------------------------------------------------------------------------------

RFM_IDS = [f"c{i:02d}" for i in range(1, 11)]
RFM_RECENCY = [5, 40, 5, 100, 20, 60, 1, 200, 20, 10]
RFM_ORDERS = [10, 1, 3, 3, 7, 2, 1, 1, 5, 3]
RFM_REVENUE = [900, 50, 300, 250, 400, 80, 60, 20, 300, 120]


def rfm_table():
    return make_table(
        RFM_IDS, np.zeros(10), recency_days=RFM_RECENCY, orders=RFM_ORDERS, revenue=RFM_REVENUE
    )


def test_rfm_quintiles_by_hand_recency_reversed_ties_by_id():
    scores = rfm_table().pipe(pyramid.rfm_scores).set_index("customer_id")
    # R: by recency desc (worst first): c08 c04 | c06 c02 | c05 c09 | c10 c01 | c03 c07
    #    ties 20 days (c05, c09) and 5 days (c01, c03): smaller id first, i.e. the lower score
    # scores listed for c01 .. c10
    assert scores["R"].tolist() == [4, 2, 5, 1, 3, 2, 5, 1, 3, 4]
    # F: orders asc: c02 c07 | c08 c06 | c03 c04 | c10 c09 | c05 c01
    assert scores["F"].tolist() == [5, 1, 3, 3, 5, 2, 1, 2, 4, 4]
    # M: revenue asc: c08 c02 | c07 c06 | c10 c04 | c03 c09 (tie 300) | c05 c01
    assert scores["M"].tolist() == [5, 1, 4, 3, 5, 2, 2, 1, 4, 3]
    assert (scores.loc["c01", "R"], scores.loc["c03", "R"]) == (4, 5)  # both 5 days ago
    assert scores.loc["c03", "RFM"] == "534" and scores.loc["c03", "FM"] == 4  # 3.5 → 4
    assert scores.loc["c07", "FM"] == 2  # 1.5 → 2


def test_rfm_scores_match_pandas_qcut_of_first_ranks_and_ignore_row_order():
    rng = np.random.default_rng(0)
    for n in range(5, 41):
        orders = rng.integers(1, 6, n)
        ids = [f"x{i:03d}" for i in range(n)]
        t = make_table(ids, np.zeros(n), orders=orders)
        got = pyramid.rfm_scores(t)["F"]
        ranked = t.sort_values(["orders", "customer_id"])["orders"].rank(method="first")
        ref = (pd.qcut(ranked, 5, labels=False) + 1).reindex(t.index)
        assert got.tolist() == ref.astype(int).tolist(), n
    t = rfm_table()
    a = pyramid.rfm_scores(t).set_index("customer_id")
    b = pyramid.rfm_scores(t.iloc[::-1]).set_index("customer_id").loc[a.index]
    pd.testing.assert_frame_equal(a, b)


def test_rfm_segments_hand_cases_and_the_grid():
    scores = pyramid.rfm_scores(rfm_table())
    seg = dict(zip(scores["customer_id"], pyramid.rfm_segments(scores).astype(str)))
    assert [seg[i] for i in RFM_IDS] == [
        "Loyal",
        "Hibernating",
        "Champions",
        "At Risk",
        "Loyal",
        "Hibernating",
        "Potential Loyalist",
        "Lost",
        "Loyal",
        "Loyal",
    ]
    cases = pd.DataFrame(
        [(5, 1, 1), (4, 1, 1), (3, 3, 3), (3, 1, 2), (1, 5, 5), (5, 5, 4), (2, 4, 3), (2, 1, 1)],
        columns=["R", "F", "M"],
    )
    assert pyramid.rfm_segments(cases).astype(str).tolist() == [
        "New",
        "Promising",
        "Need Attention",
        "About to Sleep",
        "Can't Lose Them",
        "Champions",
        "At Risk",
        "Hibernating",
    ]
    grid = pyramid.rfm_grid()
    assert grid.shape == (5, 5) and grid.notna().all().all()
    assert set(grid.to_numpy().ravel()) == set(pyramid.SEGMENTS)
    cells = sum((r1 - r0 + 1) * (f1 - f0 + 1) for _, (r0, r1), (f0, f1) in pyramid.RFM_RULES)
    assert cells == 25  # the rules tile the grid exactly once
    with pytest.raises(InputError, match="1..5"):
        pyramid.rfm_segments(pd.DataFrame({"R": [6], "F": [1], "M": [1]}))


def test_rfm_and_tiers_disagree_where_cost_to_serve_is_high():
    # c03 is a Champion by RFM but its cost to serve makes it unprofitable
    profit = [300, -5, -40, 20, 150, 1, 5, -2, 80, 40]
    cost = [50, 5, 400, 30, 40, 5, 10, 5, 30, 20]
    t = make_table(
        RFM_IDS,
        profit,
        recency_days=RFM_RECENCY,
        orders=RFM_ORDERS,
        revenue=RFM_REVENUE,
        cost_to_serve=cost,
    )
    segments = pyramid.rfm_segments(pyramid.rfm_scores(t))
    tiers = pyramid.assign_tiers(t)
    assert by_id(t, tiers)["c03"] == "lead"
    tab = pyramid.compare_rfm_with_tiers(t, segments, tiers)
    assert list(tab.columns) == list(pyramid.TIERS) + ["total"]
    assert list(tab.index) == list(pyramid.SEGMENTS) + ["total"]
    assert tab.loc["Champions", "lead"] == 1 and tab.loc["Loyal", "platinum"] == 2
    assert tab.loc["total", "total"] == 10 and tab["total"].iloc[:-1].sum() == 10
    cts = pyramid.compare_rfm_with_tiers(t, segments, tiers, values="cost_to_serve")
    assert cts.loc["Champions", "lead"] == 400
    assert cts.loc["total", "total"] == pytest.approx(np.mean(cost))


# --------------------------------------------------------------------------------------------
# the Kano bridge
# --------------------------------------------------------------------------------------------


def test_tier_strategies_follow_the_kano_bridge_in_both_languages():
    assert pyramid.tier_strategy("platinum").kano_focus == ("A",)
    assert pyramid.tier_strategy("Gold").kano_focus == ("O", "M")
    assert pyramid.tier_strategy("铁").tier == "iron"
    lead = pyramid.tier_strategy("铅")
    assert lead.kano_focus == ("M",) and "cost to serve" in lead.strategy
    assert "降低服务成本" in lead.strategy_zh
    assert pyramid.tier_strategy("platinum").kano_focus_names == ("attractive (魅力需求)",)
    table = pyramid.strategy_table()
    assert table["tier"].tolist() == list(pyramid.TIERS)
    assert table["tier_zh"].tolist() == ["铂", "金", "铁", "铅"]
    with pytest.raises(InputError, match="unknown tier"):
        pyramid.tier_strategy("diamond")


# --------------------------------------------------------------------------------------------
# plots
# --------------------------------------------------------------------------------------------


def test_plots_return_the_axes_and_leave_global_state_alone():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    before = dict(matplotlib.rcParams)
    rng = np.random.default_rng(1)
    n = 40
    profit = np.round(rng.normal(50, 80, n), 2)
    t = make_table(
        [f"c{i:02d}" for i in range(n)],
        profit,
        revenue=np.round(rng.gamma(2, 100, n), 2),
        recency_days=rng.integers(1, 300, n),
        orders=rng.integers(1, 12, n),
    )
    tiers = pyramid.assign_tiers(t)
    scores = pyramid.rfm_scores(t)
    later = t.assign(profit=t["profit"] * 1.2).iloc[5:]
    migration = pyramid.tier_migration(t, later)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig, axes = plt.subplots(2, 4, figsize=(20, 9))
        ax = axes.ravel()
        assert pyramid.plot_pyramid(pyramid.tier_profile(t, tiers), ax=ax[0]) is ax[0]
        assert pyramid.plot_whale_curve(pyramid.whale_curve(t), ax=ax[1]) is ax[1]
        assert pyramid.whale_curve(t).plot(ax=ax[2]) is ax[2]
        assert pyramid.plot_lorenz(t, ax=ax[3]) is ax[3]
        assert pyramid.plot_transition_matrix(migration.matrix, ax=ax[4]) is ax[4]
        assert pyramid.plot_rfm_map(scores, ax=ax[5]) is ax[5]
        assert pyramid.plot_rfm_map(pyramid.rfm_segments(scores), ax=ax[6]) is ax[6]
        assert pyramid.plot_transition_matrix(migration.counts, ax=ax[7], colorbar=False) is ax[7]
        fig.canvas.draw()  # font/glyph warnings appear here
    rows = sorted((lab.get_position()[1], lab.get_text()) for lab in ax[0].get_yticklabels())
    assert [text for _, text in rows] == ["lead", "iron", "gold", "platinum"]  # platinum on top
    assert any("peak" in txt.get_text() for txt in ax[1].texts)
    assert len(ax[3].get_lines()) == 4  # revenue, profit, equality, zero line
    assert dict(matplotlib.rcParams) == before
    plt.close(fig)
