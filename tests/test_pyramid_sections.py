"""The library functions behind the sections that lesson 40 and the pyramid report both show:
build, revenue vs profit, cost to serve by activity, benchmarks, migration, RFM, the plan."""

import numpy as np
import pandas as pd
import pytest

from customer_value import pyramid
from customer_value.io import InputError
from test_pyramid import make_table


def small_table():
    # profits ranked j 80, b 80 | a 50, c 30, d 30 | e 30, f 10, g 10 | i 0, h -5 (as test_pyramid)
    return make_table(list("abcdefghij"), [50, 80, 30, 30, 30, 10, 10, -5, 0, 80])


def test_build_is_what_the_command_prints_and_writes():
    data = small_table()
    res = pyramid.build(data, top=0.2)
    assert res.tiers.equals(pyramid.assign_tiers(data))
    pd.testing.assert_frame_equal(res.summary(), pyramid.tier_profile(data, res.tiers))
    pd.testing.assert_frame_equal(res.concentration, pyramid.concentration_summary(data, x=0.2))
    out = res.to_frame()
    assert list(out.columns[:4]) == ["customer_id", "tier", "tier_zh", "unprofitable"]
    assert list(out.columns[4:]) == list(data.columns[1:])
    assert dict(zip(out["customer_id"], out["tier_zh"]))["h"] == "铅"
    assert out["unprofitable"].tolist() == (data["profit"] < 0).tolist()
    assert res.positive_profit and "20/30/30/20 %" in res.description
    assert (
        "cumulative share of positive profit"
        in pyramid.build(data, method="cumulative").description
    )
    with pytest.raises(InputError, match="top must be in"):
        pyramid.build(data, top=1.5)


def test_concentration_without_a_positive_total_gives_no_shares():
    data = make_table(list("abc"), [5, -10, 1])
    conc = pyramid.concentration_summary(data)
    assert np.isnan(conc.loc["profit", ["top_share", "whale_peak"]].astype(float)).all()
    assert conc.loc["profit", "gini"] > 0 and conc.loc["revenue", "top_share"] > 0
    assert not pyramid.build(data).positive_profit


def test_revenue_vs_profit_by_hand():
    data = pd.DataFrame(
        {
            "customer_id": list("abcde"),
            "revenue": [900.0, 500, 300, 200, 100],
            "profit": [-50.0, 200, 90, 60, 20],
        }
    )
    shares = (0.2, 0.2, 0.4, 0.2)
    res = pyramid.revenue_vs_profit(data, shares=shares)
    # by revenue a b | c d | e: platinum a, gold b, iron c d, lead e
    # by profit  b c | d e | a: platinum b, gold c, iron d e, lead a
    assert res.by_revenue.astype(str).tolist() == ["platinum", "gold", "iron", "iron", "lead"]
    assert res.by_profit.astype(str).tolist() == ["lead", "platinum", "gold", "iron", "iron"]
    assert res.table.loc["platinum", "lead"] == 1 and res.table.loc["total", "total"] == 5
    assert res.same_tier == pytest.approx(1 / 5)  # only d
    s = res.summary().iloc[0]
    assert s["top_by_revenue"] == 1 and s["top_by_revenue_unprofitable"] == 1
    # cumulative cut-offs are not comparable between revenue and profit: both use the shares
    cum = pyramid.revenue_vs_profit(data, method="cumulative", shares=shares)
    assert cum.table.equals(res.table)


def test_activity_by_tier_matches_customers_by_id():
    costs = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d"],
            "orders": [5.0, 10, 5, 20],
            "returns": [0.0, 30, 15, 0],
        }
    )
    tiers = pd.DataFrame(
        {"customer_id": ["d", "c", "b", "a"], "tier": ["gold", "lead", "lead", "gold"]}
    )
    mean = pyramid.activity_by_tier(costs, tiers)
    assert list(mean.index) == list(pyramid.TIERS)
    assert mean.loc["lead"].tolist() == [7.5, 22.5] and mean.loc["gold"].tolist() == [12.5, 0]
    assert mean.loc["platinum"].isna().all()
    total = pyramid.activity_by_tier(costs, tiers, how="sum")
    assert total.loc["lead"].tolist() == [15, 45] and total.loc["iron"].tolist() == [0, 0]
    share = pyramid.activity_by_tier(costs, tiers, how="share")
    assert share.loc["lead"].tolist() == pytest.approx([0.25, 0.75])
    with pytest.raises(InputError, match="no tier"):
        pyramid.activity_by_tier(costs, tiers.iloc[:2])
    with pytest.raises(InputError, match="how must be"):
        pyramid.activity_by_tier(costs, tiers, how="median")


def test_published_benchmarks_and_the_share_that_makes_all_the_profit():
    data = small_table()
    bench = pyramid.published_benchmarks(data)
    assert bench["published"].tolist() == [0.73, 0.67, 2.25, 0.20]
    swedish = bench.iloc[3]
    assert "source material" in swedish["source"] and "dissatisfied" in swedish["claim"]
    # profits 80 80 50 30 30 30 10 10 0 -5, total 315: the first 8 make 320 >= 315
    assert swedish["this_data"] == pytest.approx(0.8)
    assert pyramid.share_reaching_total([80, 80, 50, 30, 30, 30, 10, 10, 0, -5]) == 0.8
    assert bench.iloc[2]["this_data"] == pytest.approx(160 / 315)
    assert np.isnan(pyramid.share_reaching_total([1, -2]))


def test_tier_migration_by_hand():
    p1 = make_table(list("abcde"), [90, 50, 20, 10, -5])
    p2 = make_table(list("abcf"), [95, 10, 60, 5])
    m = pyramid.tier_migration(p1, p2, shares=(0.2, 0.2, 0.4, 0.2))
    # thresholds from period 1: platinum >= 90, gold >= 50, iron >= 10
    assert m.segmenter.thresholds_.tolist() == [[90.0, 50.0, 10.0]]
    assert m.after.set_index("customer_id")["tier"].astype(str).to_dict() == {
        "a": "platinum",
        "b": "iron",
        "c": "gold",
        "f": "lead",
    }
    assert m.counts.loc["new", "lead"] == 1 and m.counts.loc["iron", "lost"] == 1
    assert m.lost_share == pytest.approx(2 / 5)
    s = m.summary().set_index("tier")
    assert s.loc["gold", "down"] == 1 and s.loc["iron", ["stay", "up", "lost"]].tolist() == [
        0,
        0.5,
        0.5,
    ]
    assert s["customers_after"].tolist() == [1, 1, 1, 1]
    assert s["customers_after_retiered"].sum() == 4
    frame = m.to_frame().set_index("customer_id")
    assert frame.loc["f", "tier_before"] == "new" and frame.loc["e", "tier_after"] == "lost"
    proj = m.project(periods=1)
    # period-2 mix 1/1/1/1 by the period-1 rates: platinum stays, gold → iron, iron → 1/2 gold
    assert proj.loc[1, "iron"] == pytest.approx(1.0) and proj.loc[1, "lost"] == pytest.approx(1.5)
    assert proj.loc[0, "expected_profit"] == pytest.approx(95 + 60 + 10 + 5)


def test_rfm_comparison_flags_the_best_segments_in_the_lead_tier():
    from test_pyramid import RFM_IDS, RFM_ORDERS, RFM_RECENCY, RFM_REVENUE

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
    t["returns"] = [0, 0, 2, 0, 0, 0, 0, 0, 0, 0]
    res = pyramid.rfm_comparison(t, pyramid.assign_tiers(t))
    assert t.loc[res.conflict.to_numpy(), "customer_id"].tolist() == ["c03"]  # Champion, lead
    groups = res.summary().set_index("group")
    assert groups.loc["best RFM segments, lead tier", "mean_cost_to_serve"] == 400
    assert groups.loc["best RFM segments, lead tier", "returns_per_order"] == pytest.approx(2 / 3)
    assert groups.loc["all customers", "customers"] == 10
    assert res.counts.loc["Champions", "lead"] == 1
    assert res.cost_to_serve.loc["Champions", "lead"] == 400
    assert res.to_frame()["conflict"].sum() == 1


def test_tier_plan_puts_numbers_next_to_the_strategy():
    data = small_table()
    tiers = pyramid.assign_tiers(data)
    profile = pyramid.tier_profile(data, tiers)
    effect = pyramid.move_up_effect(data, tiers, share=0.5)
    plan = pyramid.tier_plan(profile, effect).set_index("tier")
    assert list(plan.index) == list(pyramid.TIERS)
    assert plan.loc["gold", "customers"] == 3 and plan.loc["lead", "kano_focus"] == "M"
    assert plan.loc["platinum", "strategy"] == pyramid.TIER_STRATEGIES["platinum"].strategy
    assert plan.loc["gold", "to_tier"] == "platinum"
    effect = effect.set_index("tier")
    assert plan.loc["iron", "move_up_effect"] == effect.loc["iron", "profit_effect"]


def test_check_shares_and_cutoffs_are_input_errors():
    assert pyramid.check_shares([0.1, 0.2, 0.3, 0.4]).sum() == pytest.approx(1)
    for bad in ((0.5, 0.5), (0.5, 0.6, -0.1, 0.0), ("a", "b", "c", "d")):
        with pytest.raises(InputError, match="shares must be four"):
            pyramid.check_shares(bad)
    for bad in ((0.5, 0.8), (0, 0.5, 1), (0.5, 0.8, 1.2)):
        with pytest.raises(InputError, match="cutoffs must be three"):
            pyramid.check_cutoffs(bad)
