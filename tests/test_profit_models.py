"""Slywotzky's profit models: catalogue, the 22 computable models against hand calculations,
the experience-curve fit, the PV data and the seeded case generators.

Expected numbers are worked out by hand in the comments and asserted from the arithmetic written
in the test, never copied from the library's output.
"""

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from customer_value import datasets
from customer_value import profit_models as pm
from customer_value.io import InputError

ZH_NAMES = [
    "客户解决方案模型",
    "产品金字塔模型",
    "多种成分系统模型",
    "配电盘模型",
    "速度模型",
    '卖座"大片"模型',
    "利润乘数模型",
    "创业家模型",
    "专业化利润模型",
    "基础产品模型",
    "行业标准模型",
    "品牌模型",
    "独特产品模型",
    "地区领先模型",
    "大额交易模型",
    "价值链定位模型",
    "周期利润模型",
    "售后利润模型",
    "新产品利润模型",
    "相对市场份额模型",
    "经验曲线模型",
    "低成本企业设计模型",
]
B80 = math.log(0.8) / math.log(2)  # Wright's 80%: log2 0.8 = −0.3219


def approx(x, rel=1e-9, abs=1e-9):
    return pytest.approx(x, rel=rel, abs=abs)


# ============================================================================================
# catalogue
# ============================================================================================


def test_catalogue_has_the_22_models_in_order_with_chinese_names():
    cat = pm.catalogue()
    assert cat["number"].tolist() == list(range(1, 23))
    assert cat["name_zh"].tolist() == ZH_NAMES
    assert cat.loc[20, "name"] == "experience curve"
    assert cat["computable"].map(lambda f: callable(getattr(pm, f))).all()
    assert (cat[["mechanism", "profit_concentrates", "examples", "signals"]] != "").all().all()
    full = pm.catalogue(lang="all", include_appendix=True)
    assert list(full.columns) == [
        "number",
        "name_en",
        "name_zh",
        "mechanism_en",
        "mechanism_zh",
        "profit_concentrates_en",
        "profit_concentrates_zh",
        "examples",
        "signals",
        "related",
        "computable",
        "driver",
        "appendix",
    ]
    assert full["appendix"].tolist() == [False] * 22 + [True]
    assert full.iloc[22][["name_en", "name_zh"]].tolist() == ["digital profit", "数字化利润模型"]
    zh = pm.catalogue(lang="zh")
    assert zh.loc[0, "name"] == "客户解决方案模型" and zh.loc[0, "name_en"] == "customer solutions"
    # related numbers point at real models
    for rel in full["related"]:
        assert all(1 <= int(n) <= 23 for n in rel.split(";"))


def test_every_model_has_one_of_the_five_profit_drivers():
    full = pm.catalogue(lang="all", include_appendix=True)
    assert (
        set(full["driver"])
        == set(pm.DRIVERS)
        == {"customer", "product", "scale", "time", "position"}
    )
    groups = full.groupby("driver")["number"].apply(sorted).to_dict()
    # the course's grouping, written out: customer relationship, offer, volume, cycle, position
    assert groups == {
        "customer": [1, 3, 10, 18],
        "product": [2, 6, 7, 12, 13],
        "scale": [8, 9, 15, 20, 21, 22, 23],
        "time": [5, 17, 19],
        "position": [4, 11, 14, 16],
    }
    en, zh = pm.catalogue(), pm.catalogue(lang="zh")
    assert en["driver"].tolist() == zh["driver"].tolist() == full["driver"].tolist()[:22]
    assert pm.get("配电盘").driver == "position" and pm.get(21).driver == "scale"
    assert "Profit driver:       scale and cost" in pm.get(21).card()
    assert "利润驱动：客户" in pm.get(1).card("zh")
    assert all(len(v) == 3 and all(v) for v in pm.DRIVERS.values())


def test_catalogue_file_is_utf8_and_packaged():
    from importlib import resources

    raw = resources.files("customer_value").joinpath("data/profit_models.csv").read_bytes()
    assert "经验曲线模型" in raw.decode("utf-8")


@pytest.mark.parametrize(
    "key",
    [
        21,
        "21",
        "experience curve",
        "Experience-Curve",
        "EXPERIENCE CURVE profit",
        "experience_curve",
        "经验曲线模型",
        "经验曲线",
    ],
)
def test_get_by_number_english_or_chinese(key):
    m = pm.get(key)
    assert m.number == 21 and m.name_zh == "经验曲线模型"
    assert m.function is pm.experience_curve


def test_get_other_spellings():
    assert pm.get("time").number == 5 and pm.get("speed").number == 5
    assert pm.get("value chain position").number == 16
    assert pm.get("卖座大片模型").number == 6
    assert [pm.get(k).number for k in ("售后利润模型", "售后利润", "售后", "售后模式")] == [18] * 4
    assert pm.get("专业化利润").number == 9 and pm.get("利润乘数").number == 7
    assert pm.get('卖座"大片"模型').number == 6
    assert pm.get("digital profit").appendix


def test_unknown_name_lists_close_matches():
    with pytest.raises(KeyError, match="did you mean 'experience curve'"):
        pm.get("experiance curve")
    with pytest.raises(ValueError, match="unknown profit model"):
        pm.get("nonsense xyz")
    with pytest.raises(KeyError, match="no profit model number 24"):
        pm.get(24)


def test_card_in_english_and_chinese():
    m = pm.get(15)
    en, zh = m.card(), m.card("zh")
    assert "Transaction scale" in en and "大额交易模型" in en and "transaction_scale()" in en
    assert "机制" in zh and m.mechanism_zh in zh and "#4 配电盘模型" in zh
    with pytest.raises(ValueError, match="lang"):
        m.card("fr")


# ============================================================================================
# the 22 computable models, each against a hand calculation
# ============================================================================================


def test_01_customer_solutions_j_curve_and_payback():
    res = pm.customer_solutions(
        upfront_investment=50,
        period_margin=20,
        service_cost=5,
        ramp_periods=4,
        periods=10,
        discount_rate=0,
    )
    # cash: −50, 20·¼−5 = 0, 20·½−5 = 5, 20·¾−5 = 10, then 15 for t = 4..10
    cash = [-50, 0, 5, 10] + [15] * 7
    assert res.to_frame()["cash_flow"].tolist() == approx(cash)
    # cumulative after t = 5: −50+0+5+10+15+15 = −5; t = 6 adds 15 → payback 5 + 5/15
    assert res.payback_period == approx(5 + 5 / 15)
    assert res.npv == approx(sum(cash)) and res.trough == -50
    # discounting: −100, 60, 60 at 20%: NPV = −100 + 50 + 41.667; undiscounted payback 1 + 40/60
    res = pm.customer_solutions(
        upfront_investment=100,
        period_margin=60,
        service_cost=0,
        ramp_periods=0,
        periods=2,
        discount_rate=0.2,
    )
    assert res.npv == approx(-100 + 60 / 1.2 + 60 / 1.44)
    assert res.payback_period == approx(1 + 40 / 60)
    assert math.isnan(res.discounted_payback_period)


def test_02_product_pyramid_with_and_without_firewall():
    res = pm.product_pyramid(
        price=(10, 25, 150),
        unit_cost=(8, 12, 40),
        volume=(1_000_000, 300_000, 50_000),
        spillover=0.2,
    )
    base, mid, top = 2 * 1_000_000, 13 * 300_000, 110 * 50_000  # 2.0e6, 3.9e6, 5.5e6
    assert res.profit_with == approx(base + mid + top)
    assert res.profit_without == approx(0.8 * (mid + top))
    assert res.firewall_value == approx(base + 0.2 * (mid + top))
    t = res.to_frame().query("scenario == 'with firewall'")
    assert t["margin_rate"].tolist() == approx([2 / 10, 13 / 25, 110 / 150])
    # spillover per tier above the base
    res = pm.product_pyramid(
        price=(10, 25, 150),
        unit_cost=(8, 12, 40),
        volume=(1_000_000, 300_000, 50_000),
        spillover=[0.5, 0.0],
    )
    assert res.profit_without == approx(0.5 * mid + top)


def test_03_multi_component_ros_and_roa():
    df = pd.DataFrame(
        {
            "component": ["store", "institutional"],
            "revenue": [100, 20],
            "cost": [97, 17],
            "assets": [60, 5],
        }
    )
    res = pm.multi_component(df)
    t = res.to_frame()
    assert t["profit"].tolist() == approx([3, 3])
    assert t["ros"].tolist() == approx([0.03, 0.15])
    assert t["roa"].tolist() == approx([3 / 60, 3 / 5])
    assert t["profit_share"].tolist() == approx([0.5, 0.5])
    assert res.total_ros == approx(6 / 120) and res.total_roa == approx(6 / 65)
    assert res.most_profitable_component == "institutional"


def test_04_switchboard_convex_income_and_tipping():
    res = pm.switchboard(
        share=[0.1, 0.2],
        participants=1000,
        connection_value=1.0,
        fee=0.4,
        joining_cost=105,
        fixed_cost=5000,
        member_cost=10,
    )
    t = res.to_frame()
    # members 100, 200; connections 100²/2, 200²/2; fee 0.4 each: 2000, 8000 (convex: ×4)
    assert t["fee_income"].tolist() == approx([2000, 8000])
    assert t["cost"].tolist() == approx([5000 + 1000, 5000 + 2000])
    # tipping: (1 − 0.4)·s·1000 = 105 → s = 0.175
    assert res.tipping_share == approx(0.175)
    # break-even: 0.4·1000²/2·s² − 10·1000·s − 5000 = 0 → 2e5 s² − 1e4 s − 5000 = 0
    s = (1e4 + math.sqrt(1e8 + 4 * 2e5 * 5000)) / (2 * 2e5)
    assert res.break_even_share == approx(s)
    assert 0.15 <= res.tipping_share <= 0.20 and 0.15 <= res.break_even_share <= 0.20
    # outsiders join above the tipping share only
    assert t["outsiders_join"].tolist() == [False, True]


def test_05_time_advantage_margin_decay_and_value_of_lead():
    res = pm.time_advantage(
        initial_margin=0.6,
        decay_rate=0.1,
        lead_months=6,
        revenue_per_month=100,
        horizon_months=float("inf"),
    )
    # no lead: ∫ 100·0.6·e^(−0.1t) dt = 60/0.1 = 600; lead adds 6 months at 0.6: 360
    assert res.profit_without_lead == approx(600)
    assert res.profit_with_lead == approx(960)
    assert res.value_of_lead == approx(360)
    assert res.half_life_months == approx(math.log(2) / 0.1)
    res = pm.time_advantage(
        initial_margin=0.6, decay_rate=0.1, lead_months=6, revenue_per_month=100, horizon_months=10
    )
    assert res.profit_without_lead == approx(60 * (1 - math.exp(-1)) / 0.1)
    assert res.profit_with_lead == approx(60 * 6 + 60 * (1 - math.exp(-0.4)) / 0.1)
    t = res.to_frame().set_index("month")
    assert t.loc[8, "margin_with_lead"] == approx(0.6 * math.exp(-0.2))
    assert t.loc[8, "margin_without_lead"] == approx(0.6 * math.exp(-0.8))
    # discounting at r = 0.01 a month, infinite horizon: without a lead ∫ 60·e^(−0.11t) = 60/0.11;
    # with it 60·(1 − e^(−0.06))/0.01 for the lead, then e^(−0.06)·60/0.11
    res = pm.time_advantage(
        initial_margin=0.6,
        decay_rate=0.1,
        lead_months=6,
        revenue_per_month=100,
        horizon_months=float("inf"),
        discount_rate=0.01,
    )
    assert res.profit_without_lead == approx(60 / 0.11)
    assert res.profit_with_lead == approx(
        60 * (1 - math.exp(-0.06)) / 0.01 + math.exp(-0.06) * 60 / 0.11
    )


def test_06_blockbuster_expected_profit_and_monte_carlo():
    res = pm.blockbuster_portfolio(
        n_projects=12, cost_per_project=60, median_payoff=40, sigma=1.2, n_sims=20_000, seed=7
    )
    # E X = 40·e^(1.2²/2) = 40·e^0.72 ≈ 82.18; 12·(82.18 − 60) ≈ 266.1
    expected = 12 * (40 * math.exp(0.72) - 60)
    assert res.expected_profit == approx(expected)
    assert abs(res.mean_profit - expected) < 5 * res.se_mean_profit
    assert 0 < res.prob_loss < 1
    # Pareto α = 2, x_m = 10: E X = 2·10/1 = 20; 5 projects at cost 15 → 5·5 = 25
    res = pm.blockbuster_portfolio(
        n_projects=5,
        cost_per_project=15,
        distribution="pareto",
        pareto_alpha=2,
        pareto_minimum=10,
        n_sims=100,
        seed=1,
    )
    assert res.expected_profit == approx(25)
    assert (res.to_frame()["total_payoff"] >= 5 * 10).all()  # every payoff ≥ x_m
    # empirical: resampling from a constant payoff gives it exactly
    res = pm.blockbuster_portfolio(
        n_projects=3,
        cost_per_project=10,
        distribution="empirical",
        payoffs=[25, 25],
        n_sims=50,
        seed=0,
    )
    assert res.to_frame()["profit"].tolist() == approx([3 * 25 - 30] * 50)


def test_07_profit_multiplier():
    df = pd.DataFrame(
        {"format": ["film", "toys"], "price": [10, 5], "unit_cost": [6, 2], "volume": [100, 50]}
    )
    res = pm.profit_multiplier(df, fixed_cost=300)
    # Π = (10−6)·100 + (5−2)·50 − 300 = 400 + 150 − 300 = 250
    assert res.total_profit == approx(250)
    assert res.multiplier == approx(550 / 400)
    assert res.to_frame()["cumulative_profit"].tolist() == approx([100, 250])


def test_08_entrepreneurial_overhead_and_operating_leverage():
    res = pm.entrepreneurial(
        revenue=1000,
        n_units=10,
        contribution_margin=0.3,
        overhead_scale=1e-4,
        overhead_exponent=2,
        unit_fixed_cost=5,
    )
    # big: overhead 1e-4·1000² + 5 = 105, profit 300 − 105 = 195, DOL 300/195
    assert res.overhead_big == approx(105) and res.profit_big == approx(195)
    assert res.dol_big == approx(300 / 195)
    # 10 centres of 100: each 1e-4·100² + 5 = 6 → 60; profit 240; DOL 300/240 = 1.25
    assert res.overhead_small == approx(60) and res.profit_small == approx(240)
    assert res.dol_small == approx(1.25)
    # n* = (1e-4·1000²·(2 − 1)/5)^(1/2) = √20
    assert res.optimal_units == approx(math.sqrt(20))


def test_09_specialization_margin_premium():
    res = pm.specialization(
        price=100,
        generalist_unit_cost=90,
        segments=2,
        progress_ratio=0.8,
        learning_share=1,
        price_premium=0,
    )
    # specialist has 2× the experience per segment: cost 90·0.8 = 72; margin 28% vs 10%
    assert res.margin_premium == approx(0.18)
    res = pm.specialization(
        price=100,
        generalist_unit_cost=90,
        segments=4,
        progress_ratio=0.8,
        learning_share=0.5,
        price_premium=0.1,
    )
    # 4 = 2 doublings: 0.8² = 0.64; cost 90·(0.5 + 0.5·0.64) = 73.8; price 110
    assert res.to_frame()["unit_cost"].tolist() == approx([90, 73.8])
    assert res.specialist_margin == approx((110 - 73.8) / 110)


def test_10_installed_base_razor_and_blades():
    res = pm.installed_base(
        hardware_price=100,
        hardware_cost=120,
        consumable_price=30,
        consumable_cost=8,
        consumables_per_period=4,
        periods=4,
        retention=1,
        capture_rate=1,
        discount_rate=0,
    )
    # −20 + 4 periods · 4 cartridges · 22 = −20 + 352 = 332
    assert res.lifetime_margin == approx(332)
    assert res.break_even_subsidy == approx(352)
    assert res.break_even_hardware_price == approx(120 - 352)
    res = pm.installed_base(
        hardware_price=100,
        hardware_cost=120,
        consumable_price=30,
        consumable_cost=8,
        consumables_per_period=1,
        periods=2,
        retention=0.5,
        capture_rate=1,
        discount_rate=0.1,
    )
    # 22/1.1 + 22·0.5/1.21 = 20 + 9.0909
    assert res.consumables_pv == approx(20 + 11 / 1.21)
    assert res.lifetime_margin == approx(-20 + 20 + 11 / 1.21)


def test_11_de_facto_standard_urn():
    assert pm.standard_choice_probability([3, 1]).tolist() == approx([0.75, 0.25])
    assert pm.standard_choice_probability([3, 1], network_exponent=2).tolist() == approx([0.9, 0.1])
    assert pm.standard_choice_probability([3, 1], intrinsic=1).tolist() == approx([4 / 6, 2 / 6])
    # with no base and no appeal, standard 1 can never be chosen
    res = pm.standard_adoption(n_adopters=5, initial=(1, 0), network_exponent=1, n_runs=3)
    assert res.to_frame().query("standard == 0")["final_count"].tolist() == [6, 6, 6]
    # Pólya urn from (1, 1): final share ~ Uniform(0, 1), so P(max share ≥ 0.9) ≈ 0.2
    res = pm.standard_adoption(n_adopters=500, network_exponent=1, n_runs=400, seed=3)
    assert 0.1 < res.prob_tipped < 0.3
    assert abs(res.mean_final_share_standard_0 - 0.5) < 0.06
    assert (res.to_frame().groupby("run")["final_count"].sum() == 502).all()
    # increasing returns (γ = 2): nearly every market tips
    assert (
        pm.standard_adoption(n_adopters=500, network_exponent=2, n_runs=200, seed=3).prob_tipped
        > 0.9
    )


def test_12_brand_premium():
    res = pm.brand_premium(
        branded_price=1.0, generic_price=0.6, unit_cost=0.25, volume=1e9, brand_investment=2e8
    )
    assert res.price_premium == approx(1.0 / 0.6 - 1)
    assert res.premium_profit == approx(0.4 * 1e9 - 2e8)
    assert res.branded_profit == approx(0.75 * 1e9 - 2e8)
    assert res.break_even_volume == approx(2e8 / 0.4)


def test_13_specialty_product_decay_and_renewal():
    res = pm.specialty_product(
        initial_margin=0.5,
        floor_margin=0.1,
        decay_rate=math.log(2),
        launch_every=1,
        product_life=3,
        horizon=4,
    )
    # m(a) = 0.1 + 0.4·2^(−a): 0.5, 0.3, 0.2
    t = res.to_frame()
    renew = t[t["scenario"] == "renewal"]["margin"].tolist()
    assert renew == approx([0.5, 0.4, 1 / 3, 1 / 3, 1 / 3])
    none = t[t["scenario"] == "no renewal"]
    assert none["margin"].tolist()[:3] == approx([0.5, 0.3, 0.2])
    assert none["active_products"].tolist() == [1, 1, 1, 0, 0]
    assert res.steady_state_margin == approx(1 / 3)


def test_14_local_leadership_density():
    res = pm.local_leadership(
        stores=[4, 8],
        regions=[1, 2],
        area_km2=100,
        deliveries_per_store=1,
        dc_fixed_cost=100,
        cost_per_km=1,
        local_ad_cost=20,
        revenue_per_store=1000,
        store_margin=0.1,
    )
    t = res.to_frame().set_index(["stores", "regions"])
    # 4 stores in one region of 100 km²: DC 100/4 = 25, ads 20/4 = 5, travel 0.7124·√(100/4)
    travel = 0.7124 * 5
    assert t.loc[(4, 1), "travel_cost_per_store"] == approx(travel)
    assert t.loc[(4, 1), "cost_per_store"] == approx(25 + 5 + travel)
    assert t.loc[(4, 1), "cost_per_delivery"] == approx(25 + travel)
    assert t.loc[(4, 1), "profit_per_store"] == approx(100 - 30 - travel)
    # 8 stores spread over 2 regions are as dense as 4 in one
    assert t.loc[(8, 2), "cost_per_store"] == approx(t.loc[(4, 1), "cost_per_store"])
    # 8 in one region: 100/8 + 20/8 + 0.7124·√12.5
    assert t.loc[(8, 1), "cost_per_store"] == approx(12.5 + 2.5 + 0.7124 * math.sqrt(12.5))


def test_15_transaction_scale():
    res = pm.transaction_scale(
        deal_size=[5e6, 1e8], fee_rate=0.01, fixed_cost=1e6, variable_cost_rate=0.001
    )
    # margin(1e8) = 0.01·1e8 − (1e6 + 0.001·1e8) = 1e6 − 1.1e6 = −1e5
    assert res.margin(1e8) == approx(-1e5)
    assert res.to_frame()["margin"].tolist() == approx([5e4 - (1e6 + 5e3), -1e5])
    assert res.break_even_deal_size == approx(1e6 / 0.009)
    # Morgan Stanley: a $100M deal costs about what a $5M deal costs: 1.1e6 / 1.005e6
    assert res.cost_ratio_100m_vs_5m == approx(1.1e6 / 1.005e6)
    assert pm.transaction_scale().cost_ratio_100m_vs_5m < 1.1


def test_16_value_chain_profit_pool():
    df = pd.DataFrame({"stage": ["chips", "assembly"], "revenue": [20, 80], "profit": [6, 4]})
    res = pm.value_chain_profit_pool(df, margin=None, profit="profit")
    t = res.to_frame()
    assert t["revenue_share"].tolist() == approx([0.2, 0.8])
    assert t["profit_share"].tolist() == approx([0.6, 0.4])
    assert t["profit_to_revenue_share"].tolist() == approx([3.0, 0.5])
    assert res.control_points == ("chips",)
    df = pd.DataFrame({"stage": ["a", "b"], "revenue": [100, 50], "margin": [0.1, 0.4]})
    res = pm.value_chain_profit_pool(df)
    assert res.to_frame()["profit"].tolist() == approx([10, 20])
    assert res.industry_margin == approx(30 / 150)


def test_17_cyclical_break_even_and_dol():
    res = pm.cyclical(
        utilisation=[1.0],
        price_intercept=100,
        price_slope=0,
        variable_cost=60,
        capacity=10,
        fixed_cost=200,
    )
    # Π(1) = (100 − 60)·1·10 − 200 = 200; break-even 200/(40·10) = 0.5; DOL 400/200 = 2
    t = res.to_frame()
    assert t["profit"][0] == approx(200) and t["dol"][0] == approx(2)
    assert res.break_even_utilisation == approx(0.5)
    res = pm.cyclical(
        utilisation=[0.8],
        price_intercept=40,
        price_slope=100,
        variable_cost=60,
        capacity=10,
        fixed_cost=100,
    )
    # p(0.8) = 120; Π = 60·8 − 100 = 380; break-even 1000u² − 200u − 100 = 0
    assert res.to_frame()["profit"][0] == approx(380)
    assert res.to_frame()["dol"][0] == approx(480 / 380)
    assert res.break_even_utilisation == approx((200 + math.sqrt(200**2 + 4 * 1000 * 100)) / 2000)
    # utilisation from a data frame column
    chem = datasets.chemical_cycles()
    res = pm.cyclical("utilisation", data=chem, capacity=250, fixed_cost=37_500)
    t = res.to_frame()
    assert {"period", "utilisation", "profit", "profit_observed", "price_observed"} <= set(t)
    assert t.columns.is_unique  # the data's price/profit do not clash with the model's
    assert t["profit_observed"].tolist() == chem["profit"].tolist()
    # the data were generated from p(u) = 400 + 600u, v = 550, K = 250, F = 37,500 a quarter:
    # 150,000u² − 37,500u − 37,500 = 0 → u* = (1 + √17)/8
    assert res.break_even_utilisation == approx((1 + math.sqrt(17)) / 8)
    # profit elasticity u·Π'(u)/Π: Π(0.8) = (400 + 480 − 550)·200 − 37,500 = 28,500,
    # Π'(u) = K·(a − v + 2bu) = 250·(−150 + 960) = 202,500 → 0.8·202,500/28,500
    res = pm.cyclical(utilisation=[0.8], capacity=250, fixed_cost=37_500)
    assert res.to_frame()["profit_elasticity"][0] == approx(0.8 * 202_500 / 28_500)
    assert res.to_frame()["dol"][0] == approx(66_000 / 28_500)
    assert res.profit_at_full_capacity == approx((400 + 600 - 550) * 250 - 37_500)


def test_18_after_sale_lifecycle_margin():
    res = pm.after_sale(
        equipment_price=100,
        equipment_cost=95,
        service_revenue=8,
        service_margin=0.5,
        attach_rate=0.5,
        renewal_rate=1,
        years=10,
        discount_rate=0,
    )
    # 5 + 0.5·10 years·(8·0.5) = 5 + 20 = 25; after-market 20/25
    assert res.lifetime_margin == approx(25)
    assert res.after_market_share == approx(0.8)
    assert res.break_even_equipment_price == approx(95 - 20)
    res = pm.after_sale(
        equipment_price=100,
        equipment_cost=95,
        service_revenue=10,
        service_margin=0.5,
        attach_rate=1,
        renewal_rate=0.5,
        years=2,
        discount_rate=0,
    )
    assert res.service_pv == approx(5 + 2.5)


def test_19_new_product_bass_times_falling_margin():
    p, q, m = 0.03, 0.38, 1e6
    e1 = math.exp(-(p + q))
    F1 = (1 - e1) / (1 + (q / p) * e1)  # ≈ 0.035758
    assert float(pm.bass_cumulative(1.0, p, q)) == approx(F1)
    res = pm.new_product(
        p=p, q=q, market_size=m, initial_margin=100, margin_decline=0.15, periods=20
    )
    t = res.to_frame()
    assert t["adopters"][0] == approx(m * F1)
    assert t["profit"][0] == approx(m * F1 * 100)
    assert t["unit_margin"][2] == approx(100 * 0.85**2)
    assert res.peak_adoption_time == approx(math.log(q / p) / (p + q))
    # the parabola: profit rises, peaks, falls; it peaks before adoption does
    prof = t["profit"].to_numpy()
    k = int(np.argmax(prof))
    assert 0 < k < len(prof) - 1 and res.peak_profit_period <= res.peak_adopters_period


def test_20_relative_market_share():
    df = pd.DataFrame({"firm": ["A", "B", "C"], "share": [0.4, 0.2, 0.1]})
    t = pm.relative_market_share(df, progress_ratio=0.8).to_frame()
    # A vs B: 2; B and C vs A: 0.5, 0.25; relative cost RMS^b with b = log2 0.8
    assert t["rms"].tolist() == approx([2, 0.5, 0.25])
    assert t["relative_cost"].tolist() == approx([0.8, 1 / 0.8, 1 / 0.64])
    assert pm.relative_market_share(df).b == approx(-0.32192809488736235)


def test_21_experience_curve_forward():
    res = pm.experience_curve([1, 2, 4, 8], first_unit_cost=100, progress_ratio=0.8)
    assert res.to_frame()["unit_cost"].tolist() == approx([100, 80, 64, 51.2])
    assert res.b == approx(B80) and round(res.b, 4) == -0.3219
    assert res.learning_rate == approx(0.2)


def test_22_low_cost_design_doublings():
    res = pm.low_cost_design(
        incumbent_cost=100, entrant_cost=60, progress_ratio=0.8, cumulative_growth=1.0
    )
    d = math.log(0.6) / math.log(0.8)  # ≈ 2.289
    assert res.doublings_needed == approx(d)
    assert 100 * 0.8**res.doublings_needed == approx(60)
    assert res.volume_multiple == approx(2**d)
    assert res.years_needed == approx(d)  # cumulative volume doubles every year


def test_23_digital_profit():
    res = pm.digital_profit(
        transactions=1e6,
        physical_cost=10,
        digital_cost=1,
        digital_share=[0, 0.5],
        digital_fixed_cost=2e6,
    )
    t = res.to_frame()
    assert t["cost"].tolist() == approx([1e7, 1e6 * 5.5 + 2e6])
    assert t["savings"].tolist() == approx([0, 2.5e6])
    assert res.break_even_share == approx(2 / 9)


def test_every_computable_runs_with_defaults_and_plots():
    for number in range(1, 24):
        model = pm.get(number)
        res = model.function()
        assert isinstance(res, pm.ModelResult), model.computable
        assert len(res.to_frame()) > 0
        s = res.summary()
        assert list(s.columns) == ["figure", "value"] and len(s) > 0
        assert all(getattr(res, f) is v for f, v in zip(s["figure"], s["value"]))
        ax = Figure().subplots()
        assert res.plot(ax=ax) is ax


# ============================================================================================
# experience curve fit
# ============================================================================================


def test_fit_recovers_exact_wright_curve():
    N = np.array([1, 2, 3, 5, 8, 13, 21, 34, 55, 89.0])
    df = pd.DataFrame({"cost": 100 * N ** math.log2(0.8), "cum": N})
    fit = pm.fit_experience_curve(df, cost="cost", cumulative="cum", includes_current=True)
    assert abs(fit.progress_ratio_ - 0.8) < 1e-9
    assert abs(fit.params_["b"] - B80) < 1e-9 and abs(fit.learning_rate_ - 0.2) < 1e-9
    assert fit.first_unit_cost_ == approx(100, rel=1e-9)
    assert fit.r_squared_ == approx(1.0) and fit.n_obs_ == 10
    assert fit.cumulative_basis == "including"


def test_fit_intervals_and_forecast_on_noisy_data():
    rng = np.random.default_rng(11)
    N = np.geomspace(1, 1000, 30)
    df = pd.DataFrame(
        {"cost": 50 * N ** math.log2(0.85) * np.exp(rng.normal(0, 0.05, 30)), "cumulative": N}
    )
    fit = pm.fit_experience_curve(df, alpha=0.05)
    lo, hi = fit.b_ci_
    assert lo < fit.params_["b"] < hi
    # PR and LR intervals are the transformed endpoints of b's interval
    assert fit.progress_ratio_ci_ == approx((2**lo, 2**hi))
    assert fit.learning_rate_ci_ == approx((1 - 2**hi, 1 - 2**lo))
    assert fit.progress_ratio_ci_[0] < fit.progress_ratio_ < fit.progress_ratio_ci_[1]
    assert abs(fit.progress_ratio_ - 0.85) < 0.02
    s = fit.summary().set_index("parameter")
    assert s.loc["b", "estimate"] == approx(fit.params_["b"])
    assert s.loc["progress_ratio", ["ci_low", "ci_high"]].tolist() == approx(fit.progress_ratio_ci_)
    assert s.loc["first_unit_cost", "estimate"] == approx(math.exp(fit.params_["a"]))
    fc = fit.forecast([2000, 4000])
    assert (fc["pi_low"] < fc["ci_low"]).all() and (fc["ci_high"] < fc["pi_high"]).all()
    assert (fc["ci_low"] < fc["cost"]).all() and (fc["cost"] < fc["ci_high"]).all()
    # cost at 4000 = cost at 2000 · fitted PR (one doubling)
    assert fc["cost"][1] / fc["cost"][0] == approx(fit.progress_ratio_)
    # doublings ahead of the largest N of the data (1000): log2(2000/1000) = 1
    assert fc["doublings_ahead"].tolist() == approx([1, 2])
    assert fit.forecast(doublings=2)["cost"].tolist() == approx(fc["cost"].tolist())
    ax = Figure().subplots()
    assert fit.plot(ax=ax, extend_to=4000) is ax
    assert "fitted_cost" in fit.to_frame()


def test_fit_forms_cumulative_including_from_production():
    df = pd.DataFrame(
        {"cost": [10.0, 8.0, 6.4, 5.12], "before": [0.0, 1, 2, 4], "made": [1.0, 1, 2, 4]}
    )
    # including = before + made = 1, 2, 4, 8: an exact 80% curve
    fit = pm.fit_experience_curve(df, cost="cost", cumulative="before", production="made")
    assert fit.cumulative_basis == "including" and "'before' + 'made'" in fit.cumulative_used
    assert fit.progress_ratio_ == approx(0.8)
    assert fit.to_frame()["cumulative_used"].tolist() == [1, 2, 4, 8]


def test_pv_fit_is_plausible_and_says_which_cumulative():
    pv = datasets.pv_modules()
    before = pm.fit_experience_curve(
        pv, cost="price_usd_per_wp", cumulative="cumulative_before_mwp"
    )
    including = pm.fit_experience_curve(
        pv, cost="price_usd_per_wp", cumulative="cumulative_including_mwp", includes_current=True
    )
    formed = pm.fit_experience_curve(
        pv, cost="price_usd_per_wp", cumulative="cumulative_before_mwp", production="production_mwp"
    )
    for fit in (before, including):
        assert 0.7 < fit.progress_ratio_ < 0.9
        assert fit.n_obs_ == 28
    assert before.cumulative_basis == "before" and including.cumulative_basis == "including"
    assert formed.params_["b"] == approx(including.params_["b"])
    assert before.params_["b"] != approx(including.params_["b"])  # the choice of count matters
    print(f"\nPV before: {before}\nPV including: {including}")


@pytest.mark.parametrize(
    "bad, column, row",
    [
        ({"cost": [10.0, 0.0, 5.0, 4.0]}, "cost", "row 1"),
        ({"cost": [10.0, -3.0, 5.0, 4.0]}, "cost", "row 1"),
        ({"cost": [10.0, np.nan, 5.0, 4.0]}, "cost", "row 1"),
        ({"cumulative": [1.0, 2.0, 0.0, 8.0]}, "cumulative", "row 2"),
        ({"cumulative": [1.0, 2.0, None, 8.0]}, "cumulative", "row 2"),
    ],
)
def test_fit_rejects_non_positive_or_missing_values(bad, column, row):
    df = pd.DataFrame({"cost": [10.0, 8.0, 6.4, 5.12], "cumulative": [1.0, 2, 4, 8]})
    for k, v in bad.items():
        df[k] = v
    with pytest.raises(InputError, match=column) as err:
        pm.fit_experience_curve(df)
    assert row in str(err.value)


def test_fit_argument_errors():
    df = pd.DataFrame({"cost": [10.0, 8.0, 6.4], "cumulative": [1.0, 2, 4], "p": [1, 1, 2.0]})
    with pytest.raises(InputError, match="'price'"):
        pm.fit_experience_curve(df, cost="price")
    with pytest.raises(InputError, match="not both"):
        pm.fit_experience_curve(df, production="p", includes_current=True)
    with pytest.raises(InputError, match="alpha"):
        pm.fit_experience_curve(df, alpha=1.5)
    with pytest.raises(InputError, match="at least 3"):
        pm.fit_experience_curve(df.head(2))
    with pytest.raises(InputError, match="cov_type"):
        pm.fit_experience_curve(df, cov_type="HC9")
    fit = pm.fit_experience_curve(df)
    with pytest.raises(InputError, match="not both"):
        fit.forecast([8], doublings=1)
    with pytest.raises(InputError, match="cumulative must be > 0"):
        fit.forecast([0])


# ============================================================================================
# data
# ============================================================================================


def test_pv_file_is_exactly_the_function_output(root):
    committed = (root / "datasets" / "pv_modules_experience_curve.csv").read_bytes()
    expected = datasets.pv_modules().to_csv(index=False, lineterminator="\n").encode("utf-8")
    assert committed == expected


def test_pv_series_is_consistent():
    pv = datasets.pv_modules()
    assert pv["year"].tolist() == list(range(1976, 2004))
    assert pv.loc[0, "price_usd_per_wp"] == 25 and pv.iloc[-1]["price_usd_per_wp"] == 3
    inc = pv["cumulative_before_mwp"] + pv["production_mwp"]
    assert (pv["cumulative_including_mwp"] == inc).all()
    # what is "including" this year is "before" next year
    assert (
        pv["cumulative_including_mwp"].iloc[:-1].to_numpy()
        == pv["cumulative_before_mwp"].iloc[1:].to_numpy()
    ).all()


@pytest.mark.parametrize(
    "gen",
    [
        datasets.bookstore_components,
        datasets.printer_installed_base,
        datasets.chemical_cycles,
        datasets.film_slate,
    ],
)
def test_case_generators_are_seeded(gen):
    a, b, c = gen(seed=5), gen(seed=5), gen(seed=6)
    assert a.equals(b) and not a.equals(c)
    assert gen(seed=np.random.default_rng(5)).equals(a)


def test_case_generators_carry_their_truth():
    books = pm.multi_component(datasets.bookstore_components(seed=0))
    assert books.most_profitable_component == "institutional sales"
    printers = datasets.printer_installed_base(seed=0)
    assert (printers["hardware_revenue"] < printers["hardware_cost"]).all()
    assert (printers["supplies_revenue"] > printers["supplies_cost"]).all()
    chem = datasets.chemical_cycles(seed=0)
    assert chem["utilisation"].between(0.55, 0.98).all() and (chem["profit"] < 0).any()
    films = datasets.film_slate(seed=0)
    assert films["profit"].max() > 5 * films["profit"].median()
    # supplies revenue and cost are the cartridges at 30 and 8 (USD; thousands → USD million)
    assert (
        printers["supplies_revenue"] - printers["cartridges_sold"] * 30 / 1000
    ).abs().max() < 0.01
    assert (printers["supplies_cost"] - printers["cartridges_sold"] * 8 / 1000).abs().max() < 0.01
    # 25 % of the base retires a year: base(t) = 0.75·base(t−1) + sold(t)
    implied = 0.75 * printers["installed_base"].shift(1, fill_value=0) + printers["printers_sold"]
    assert (printers["installed_base"] - implied).abs().max() < 0.2


@pytest.mark.parametrize(
    "name",
    [
        "pv_modules",
        "bookstore_components",
        "printer_installed_base",
        "chemical_cycles",
        "film_slate",
    ],
)
def test_committed_profit_datasets_are_the_generators_default_output(name):
    loaded = datasets.load(name)
    made = datasets.profit_case_data()[name]
    pd.testing.assert_frame_equal(loaded, made, check_dtype=False)
    assert datasets.PROFIT_DATASETS[name][0] == datasets.DATASETS[name].filename
    if name != "pv_modules":  # another seed is another firm; the PV series is public data
        assert not datasets.profit_case_data(seed=1)[name].equals(made)


def test_monte_carlo_is_seeded():
    a = pm.blockbuster_portfolio(n_sims=500, seed=42).to_frame()
    b = pm.blockbuster_portfolio(n_sims=500, seed=42).to_frame()
    c = pm.blockbuster_portfolio(n_sims=500, seed=43).to_frame()
    assert a.equals(b) and not a.equals(c)
    u = pm.standard_adoption(n_adopters=100, n_runs=20, seed=np.random.default_rng(1)).to_frame()
    v = pm.standard_adoption(n_adopters=100, n_runs=20, seed=np.random.default_rng(1)).to_frame()
    assert u.equals(v)


# ============================================================================================
# validation
# ============================================================================================


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: pm.relative_market_share(
                pd.DataFrame({"firm": ["a", "b"], "share": [0.5, 1.2]})
            ),
            r"'share' must be in \(0, 1\]",
        ),
        (
            lambda: pm.relative_market_share(
                pd.DataFrame({"firm": ["a", "b"], "share": [0.7, 0.6]})
            ),
            "sum to 1.3",
        ),
        (lambda: pm.cyclical(utilisation=[0.5, 1.2]), r"utilisation must be in \(0, 1\]; got 1.2"),
        (lambda: pm.cyclical(utilisation=[0.0, 0.5]), r"utilisation must be in \(0, 1\]; got 0"),
        (lambda: pm.cyclical("u", data=pd.DataFrame({"u": [0.5, 1.5]})), "column 'u'"),
        (lambda: pm.switchboard(share=[-0.1, 0.5]), r"share must be in \[0, 1\]; got -0.1"),
        (lambda: pm.product_pyramid(spillover=1.5), "spillover"),
        (
            lambda: pm.product_pyramid(
                price=(10, 20), unit_cost=(1, 2, 3), volume=(1, 2), tiers=("a", "b")
            ),
            "same length",
        ),
        (lambda: pm.transaction_scale(deal_size=[1e6, -5]), "deal_size must be > 0; got -5"),
        (lambda: pm.transaction_scale(fixed_cost=-1), "fixed_cost must be >= 0; got -1"),
        (lambda: pm.experience_curve(progress_ratio=1.2), "progress_ratio"),
        (lambda: pm.experience_curve(cumulative=[0, 1]), "cumulative must be > 0"),
        (lambda: pm.low_cost_design(progress_ratio=1.0), "progress_ratio"),
        (lambda: pm.installed_base(retention=1.1), "retention"),
        (lambda: pm.after_sale(attach_rate=-0.1), "attach_rate"),
        (lambda: pm.blockbuster_portfolio(distribution="cauchy"), "distribution"),
        (lambda: pm.blockbuster_portfolio(seed="abc"), "seed"),
        (lambda: pm.customer_solutions(periods=2.5), "periods must be a whole number"),
        (
            lambda: pm.multi_component(
                pd.DataFrame({"component": ["a"], "revenue": [0], "cost": [1], "assets": [1]})
            ),
            "'revenue' must be > 0",
        ),
        (lambda: pm.multi_component(pd.DataFrame({"component": ["a"], "revenue": [1]})), "cost="),
        (lambda: pm.value_chain_profit_pool(margin="margin", profit="profit"), "exactly one"),
        (lambda: pm.time_advantage(decay_rate=0, horizon_months=float("inf")), "infinite"),
        (lambda: pm.new_product(p=0), "p must be > 0"),
        (lambda: pm.catalogue(lang="fr"), "lang"),
    ],
)
def test_invalid_inputs_raise_input_error(call, message):
    with pytest.raises(InputError, match=message):
        call()


def test_import_has_no_side_effects():
    # customer_value.io (imported by profit_models) may pull in pyplot through its own
    # dependencies; what is checked here is that profit_models adds nothing of its own
    code = (
        "import sys, warnings, matplotlib as mpl; import customer_value.io; "
        "before = dict(mpl.rcParams); f = list(warnings.filters); "
        "had_pyplot = 'matplotlib.pyplot' in sys.modules; "
        "import customer_value.profit_models; "
        "assert ('matplotlib.pyplot' in sys.modules) == had_pyplot; "
        "assert dict(mpl.rcParams) == before; assert list(warnings.filters) == f"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""


# ============================================================================================
# the catalogue listing, facts and units
# ============================================================================================


def test_catalogue_text_fits_the_width_and_aligns_chinese_names():
    from customer_value.profit_models.catalogue import _width

    for lang in ("en", "zh"):
        for width in (80, 110, 160):
            lines = pm.catalogue_text(lang, width=width).splitlines()
            rows = [line for line in lines if line[:2].strip().isdigit() and line[2:4] == "  "]
            assert len(rows) == 22
            assert all(_width(line) <= max(width, 4 + 30 + 50) for line in rows)
            # the third column starts at the same display column on every row (CJK = 2)
            other = pm.catalogue(lang)["name_zh" if lang == "en" else "name_en"]
            starts = {_width(row[: row.index(name)]) for row, name in zip(rows, other)}
            assert len(starts) == 1
    assert "23  digital profit" in pm.catalogue_text(include_appendix=True)


def test_catalogue_attributes_to_the_source_only_what_it_says():
    # DOMAIN.md §2: the Barbie price points, the specialist's margin premium and deal costs are
    # not published figures; the catalogue gives the examples, not unverified numbers
    cat = pm.catalogue(lang="all", include_appendix=True)
    text = " ".join(cat.drop(columns=["appendix", "number"]).astype(str).to_numpy().ravel())
    for claim in ("to check", "待核实", "10–15", "$10 /", "Morgan Stanley"):
        assert claim not in text, claim
    assert pm.get(2).examples == "Mattel Barbie (base, mid-range and collector tiers)"
    assert pm.get(15).examples == "investment banking; real estate"
    assert "Kingsoft" in pm.get(1).examples


def test_tables_have_one_unit_per_column():
    # fractions everywhere: no percentage columns, no figures in percentage points
    for number in range(1, 24):
        res = pm.get(number).function()
        assert not [c for c in res.to_frame().columns if c.endswith(("_pct", "_points"))]
        assert not [f for f in res.figures if f.endswith(("_pct", "_margin_points"))]


# ============================================================================================
# figures a lesson and the report share
# ============================================================================================


def test_multi_component_profit_zone_and_profit_per_unit():
    df = pd.DataFrame(
        {
            "component": ["a", "b", "c"],
            "revenue": [60.0, 30.0, 10.0],
            "cost": [57.0, 24.0, 11.0],
            "units": [600.0, 100.0, 50.0],
        }
    )
    res = pm.multi_component(df, assets=None, volume="units")
    # profit 3, 6, −1 (total 8): shares 0.375, 0.75, −0.125 against revenue 0.6, 0.3, 0.1
    assert res.profit_zone == ("b",) and res.loss_making == ("c",)
    assert res.profit_zone_profit_share == approx(0.75)
    assert res.profit_zone_revenue_share == approx(0.3)
    assert res.largest_component == "a" and res.most_profitable_component == "b"
    assert res.to_frame()["profit_per_unit"].tolist() == approx([3 / 600, 6 / 100, -1 / 50])
    assert res.most_profitable_per_unit == "b"
    # the illustrative default: Coca-Cola's channels (invented numbers)
    cola = pm.multi_component()
    t = cola.to_frame().set_index("component")
    assert t["profit"].tolist() == approx([12, 10, 10])
    # profit per ounce: 12/6000, 10/2500, 10/1000 USD
    assert t["profit_per_unit"].tolist() == approx([0.002, 0.004, 0.01])
    assert cola.most_profitable_component == "fountain (restaurants)"  # ROA 10/15
    assert cola.most_profitable_per_unit == "vending (single-serve)"
    # a loss overall: no profit zone
    loss = pm.multi_component(df.assign(cost=[70.0, 24.0, 11.0]), assets=None)
    assert loss.profit_zone == () and math.isnan(loss.profit_zone_profit_share)


def test_installed_base_break_even_capture_rate_and_lifetime_margin():
    args = dict(
        hardware_price=100,
        hardware_cost=120,
        consumable_price=30,
        consumable_cost=8,
        consumables_per_period=4,
        periods=4,
        retention=1,
        discount_rate=0,
    )
    # at capture κ the consumables are worth κ·4·4·22 = 352κ: zero lifetime margin at 20/352
    res = pm.installed_base(**args, capture_rate=0.5)
    assert res.break_even_capture_rate == approx(20 / 352)
    at = pm.installed_base(**args, capture_rate=res.break_even_capture_rate)
    assert at.lifetime_margin == approx(0, abs=1e-9)
    assert pm.installed_base(**{**args, "hardware_price": 130}).break_even_capture_rate == 0
    service = pm.after_sale(
        service_revenue=10, service_margin=0.5, attach_rate=1, renewal_rate=1, years=2
    )
    life = pm.lifetime_margin(res, service)
    # −20 + 176 + PV of 5, 5 at 8%
    pv_service = 5 / 1.08 + 5 / 1.08**2
    assert life.lifetime_margin == approx(-20 + 176 + pv_service)
    assert life.after_sale_share == approx((176 + pv_service) / (-20 + 176 + pv_service))
    t = life.to_frame()
    assert t["pv"].iloc[-1] == approx(life.lifetime_margin)
    assert t["share_of_lifetime"].iloc[-1] == approx(1)
    assert pm.lifetime_margin(res).service_pv == 0
    with pytest.raises(TypeError):
        pm.lifetime_margin(service)
    ax = Figure().subplots()
    assert life.plot(ax=ax) is ax


def test_cyclical_periods_in_loss_and_margin_of_safety():
    # p = 100 constant, v = 60, K = 10, F = 200: break-even 0.5; profit at 0.4, 0.6, 0.7
    res = pm.cyclical(
        utilisation=[0.4, 0.6, 0.7],
        price_intercept=100,
        price_slope=0,
        variable_cost=60,
        capacity=10,
        fixed_cost=200,
    )
    assert res.to_frame()["profit"].tolist() == approx([-40, 40, 80])
    assert res.periods_in_loss == 1 and res.share_of_periods_in_loss == approx(1 / 3)
    assert res.margin_of_safety == approx(0.7 - 0.5)


# ============================================================================================
# the experience-curve fit: statsmodels inside, the printed and exported tables
# ============================================================================================


def _noisy_curve(n=30, seed=4):
    gen = np.random.default_rng(seed)
    N = np.geomspace(1, 1000, n)
    return pd.DataFrame(
        {"cost": 50 * N ** math.log2(0.85) * np.exp(gen.normal(0, 0.05, n)), "cumulative": N}
    )


def test_fit_is_statsmodels_ols_with_optional_newey_west():
    import statsmodels.api as sm
    from statsmodels.stats.stattools import durbin_watson

    df = _noisy_curve()
    X = sm.add_constant(np.log(df["cumulative"].to_numpy()))
    y = np.log(df["cost"].to_numpy())
    ols = sm.OLS(y, X).fit()
    fit = pm.fit_experience_curve(df)
    assert fit.params_.tolist() == approx(list(ols.params))
    assert fit.se_.tolist() == approx(list(ols.bse))
    assert fit.durbin_watson_ == approx(durbin_watson(ols.resid))
    hac = sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": 2}, use_t=True)
    robust = pm.fit_experience_curve(df, cov_type="HAC", maxlags=2)
    assert robust.params_.tolist() == approx(list(ols.params))
    assert robust.se_.tolist() == approx(list(hac.bse))
    lo, hi = hac.conf_int(0.05)[1]
    assert robust.progress_ratio_ci_ == approx((2**lo, 2**hi))
    # default lags: ⌊4·(30/100)^(2/9)⌋ = 3
    assert pm.fit_experience_curve(df, cov_type="HAC").maxlags == 3
    assert "Newey–West (HAC, 2 lags)" in str(robust)


def test_fit_text_and_export_table():
    df = _noisy_curve()
    fit = pm.fit_experience_curve(df, alpha=0.1)
    text = fit.to_text(forecast=[2000])
    assert "90% confidence intervals:" in text and "forecast (cost = fitted median" in text
    assert f"b = {fit.params_['b']:.4f}" in text and f"n = {fit.n_obs_}" in text
    table = fit.estimates_table(forecast=[2000, 4000])
    assert table["parameter"].tolist()[-2:] == [
        "cost at cumulative 2000",
        "cost at cumulative 4000",
    ]
    fc = fit.forecast([2000, 4000])
    assert table["estimate"].tolist()[-2:] == approx(fc["cost"].tolist())
    assert table["pi_high"].tolist()[-2:] == approx(fc["pi_high"].tolist())
    assert (table["confidence"] == 0.9).all() and (table["cost_column"] == "cost").all()
    assert table.loc[table["parameter"] == "b", "pi_low"].isna().all()
    assert fit.doublings_spanned == approx(math.log2(1000))
