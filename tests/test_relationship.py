"""Relationship-marketing levels: bond scales, retention by level, programme evaluation, value.

Hand calculations on tiny examples, closed forms, independent re-implementations, and recovery
of the ground truth that the seeded generators put into the committed sample data.
"""

import math
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from customer_value import datasets
from customer_value import relationship as rel
from customer_value.datasets.relationship import BOND_ITEMS, bond_survey, loyalty_panel
from customer_value.io import InputError, read_table

matplotlib.use("Agg")
import matplotlib.pyplot as plt

LEVELS = list(rel.LEVELS)


# --------------------------------------------------------------------------------------------
# shared fixtures: the committed data and the fits the recovery tests look at
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def survey():
    return datasets.load("bond_survey")


@pytest.fixture(scope="module")
def survey_truth():
    return datasets.load("bond_survey_truth").set_index("parameter")["value"]


@pytest.fixture(scope="module")
def bonds(survey):
    return rel.score_bonds(survey, datasets.path("bond_scales"), respondent="respondent_id")


@pytest.fixture(scope="module")
def survey_scores(bonds, survey):
    out = bonds.scores.join(
        survey.set_index("respondent_id")[
            ["satisfaction", "switching_intention", "churned", "months_observed"]
        ]
    )
    return out


@pytest.fixture(scope="module")
def customers():
    return datasets.load("loyalty_customers")


@pytest.fixture(scope="module")
def panel():
    return datasets.load("loyalty_panel")


@pytest.fixture(scope="module")
def loyalty_truth():
    return datasets.load("loyalty_truth").set_index("parameter")["value"]


@pytest.fixture(scope="module")
def did(panel, loyalty_truth):
    return rel.programme_did(panel, launch=int(loyalty_truth["launch_month"]))


# --------------------------------------------------------------------------------------------
# scales file
# --------------------------------------------------------------------------------------------


def test_committed_scales_file_maps_the_generator_items():
    s = rel.read_scales(datasets.path("bond_scales"))
    assert s.items == {lv: [it[0] for it in BOND_ITEMS[lv]] for lv in LEVELS}
    assert s.reverse == ["soc4_r"] and (s.scale_min, s.scale_max) == (1, 7)
    assert rel.read_scales(s) == s  # a Scales passes through unchanged


@pytest.mark.parametrize(
    "spec, fragment",
    [
        ({"financial": ["a", "b"], "social": ["b", "c"]}, "in both 'financial' and 'social'"),
        ({"financial": ["a", "a"]}, "twice in 'financial'"),
        ({"finacial": ["a", "b"]}, "unknown key(s) ['finacial']"),
        ({"financial": []}, "must list at least one item"),
        ({"financial": "a"}, "must list at least one item"),
        ({"financial": ["a"], "reverse": ["z"]}, "reverse item(s) ['z'] are in no scale"),
        ({"financial": ["a"], "scale": [7, 1]}, "'scale' must be [min, max]"),
        ({"financial": ["a"], "scale": [1, 6.5]}, "'scale' must be [min, max]"),
        ({"reverse": []}, "no scale given"),
    ],
)
def test_bad_scales_are_refused_with_a_clear_message(spec, fragment):
    with pytest.raises(InputError) as err:
        rel.read_scales(spec)
    assert fragment in str(err.value)


def test_scales_from_yaml_file_and_missing_file(tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text(
        "financial: [f1, f2]\nsocial: [s1, s2]\nstructural: [t1, t2]\nsocial2: [x]\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        rel.read_scales(p)
    assert str(p) in str(err.value) and "social2" in str(err.value)
    with pytest.raises(InputError, match="not found"):
        rel.read_scales(tmp_path / "nope.yaml")


# --------------------------------------------------------------------------------------------
# scoring, by hand
# --------------------------------------------------------------------------------------------

TINY_SCALES = {
    "financial": ["f1", "f2"],
    "social": ["s1", "s2", "s3_r"],
    "reverse": ["s3_r"],
    "scale": [1, 5],
}


def tiny_survey():
    return pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "f1": ["5", "2", "", "4"],
            "f2": ["4", "2", "3", "4"],
            "s1": ["1", "5", "3", ""],
            "s2": ["2", "4", "3", ""],
            "s3_r": ["5", "1", "3", "2"],
        }
    )


def test_scores_by_hand_with_reverse_coding_and_missing_items():
    b = rel.score_bonds(tiny_survey(), TINY_SCALES, respondent="id", threshold=4)
    s = b.scores
    # reverse: s3_r -> 1 + 5 - x ; a: (1 + 2 + 1)/3, b: (5 + 4 + 5)/3, c: 3, d: one item of 3 < 2
    assert s.loc["a", "financial"] == 4.5 and s.loc["a", "social"] == pytest.approx(4 / 3)
    assert s.loc["b", "financial"] == 2.0 and s.loc["b", "social"] == pytest.approx(14 / 3)
    assert s.loc["c", "financial"] == 3.0 and s.loc["c", "social"] == 3.0
    assert s.loc["d", "financial"] == 4.0 and np.isnan(s.loc["d", "social"])
    assert s["level"].tolist() == ["financial", "social", "none", "financial"]
    assert b.items.loc["a", "s3_r"] == 1 and b.min_items == {"financial": 1, "social": 2}
    # min_items = 2 for every scale: c has only one financial answer
    b2 = rel.score_bonds(tiny_survey(), TINY_SCALES, respondent="id", min_items=2)
    assert np.isnan(b2.scores.loc["c", "financial"])


def test_cronbach_alpha_by_hand():
    items = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 3, 5], "c": [1, 3, 3, 4]})
    # item variances 5/3, 2, 19/12 (sum 5.25); totals 4, 7, 9, 13 have variance 14.25
    assert rel.cronbach_alpha(items) == pytest.approx(1.5 * (1 - 5.25 / 14.25))
    # identical items: perfectly reliable; a reversed item destroys reliability
    assert rel.cronbach_alpha(pd.DataFrame({"x": [1, 2, 4], "y": [1, 2, 4]})) == pytest.approx(1)
    assert rel.cronbach_alpha(pd.DataFrame({"x": [1, 2, 4], "y": [4, 2, 1]})) < 0
    # listwise: a row with a missing answer is ignored
    with_gap = pd.concat(
        [items, pd.DataFrame({"a": [np.nan], "b": [1], "c": [7]})], ignore_index=True
    )
    assert rel.cronbach_alpha(with_gap) == pytest.approx(rel.cronbach_alpha(items))


def test_cronbach_alpha_is_the_spearman_brown_formula_for_parallel_items():
    # population check: k parallel items with correlation rho have alpha = k·rho/(1 + (k−1)·rho)
    rng = np.random.default_rng(3)
    k, rho, n = 4, 0.4, 200_000
    f = rng.standard_normal(n)
    x = pd.DataFrame(
        {f"i{j}": np.sqrt(rho) * f + np.sqrt(1 - rho) * rng.standard_normal(n) for j in range(k)}
    )
    assert rel.cronbach_alpha(x) == pytest.approx(k * rho / (1 + (k - 1) * rho), abs=0.005)


def test_feldt_interval_has_its_nominal_coverage():
    rng = np.random.default_rng(11)
    k, rho, n, reps = 5, 0.35, 60, 600
    true = k * rho / (1 + (k - 1) * rho)
    hits = 0
    for _ in range(reps):
        f = rng.standard_normal((n, 1))
        x = np.sqrt(rho) * f + np.sqrt(1 - rho) * rng.standard_normal((n, k))
        a = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))
        lo, hi = rel.feldt_interval(a, n, k)
        hits += lo <= true <= hi
    assert abs(hits / reps - 0.95) < 0.03


def test_item_stats_agree_with_direct_computation(bonds):
    st = bonds.item_stats().set_index("item")
    block = bonds.items[["str1", "str2", "str3", "str4", "str5"]].dropna()
    rest = block.drop(columns="str3")
    assert st.loc["str3", "alpha_if_deleted"] == pytest.approx(rel.cronbach_alpha(rest))
    assert st.loc["str3", "item_total_corr"] == pytest.approx(
        np.corrcoef(block["str3"], rest.sum(axis=1))[0, 1]
    )
    assert st.loc["soc4_r", "reverse"] and not st.loc["soc1", "reverse"]
    # every item belongs: removing it lowers alpha, its corrected item-total correlation > 0.5
    rel_tab = bonds.reliability().set_index("scale")
    for item, row in st.iterrows():
        assert row["alpha_if_deleted"] < rel_tab.loc[row["scale"], "alpha"], item
        assert row["item_total_corr"] > 0.5, item


def test_forgetting_to_reverse_code_shows_in_the_item_statistics(survey):
    wrong = {lv: [it[0] for it in BOND_ITEMS[lv]] for lv in LEVELS}  # no reverse list
    b = rel.score_bonds(survey, wrong)
    st = b.item_stats().set_index("item")
    alpha = b.reliability().set_index("scale").loc["social", "alpha"]
    assert st.loc["soc4_r", "item_total_corr"] < 0
    assert alpha < 0.6 < st.loc["soc4_r", "alpha_if_deleted"]  # dropping it helps


# --------------------------------------------------------------------------------------------
# input errors
# --------------------------------------------------------------------------------------------


def test_likert_values_outside_the_scale_are_refused_with_file_lines(tmp_path):
    df = tiny_survey()
    df.loc[1, "f2"] = "6"
    df.loc[2, "s1"] = "agree"
    df.loc[3, "f1"] = "3.5"
    p = tmp_path / "survey.csv"
    df.to_csv(p, index=False)
    with pytest.raises(InputError) as err:
        rel.score_bonds(read_table(p), TINY_SCALES, respondent="id")
    msg = str(err.value)
    assert str(p) in msg and "whole numbers from 1 to 5" in msg
    assert "column 'f2': '6' (1 row)" in msg and "line 3" in msg
    assert "column 's1': 'agree' (1 row)" in msg and "line 4" in msg
    assert "column 'f1': '3.5' (1 row)" in msg and "line 5" in msg
    assert set(err.value.columns) == {"f1", "f2", "s1"}


def test_missing_item_columns_and_bad_respondent_ids_are_refused():
    with pytest.raises(InputError, match=r"item column\(s\) \['s2'\] not in the data"):
        rel.score_bonds(tiny_survey().drop(columns="s2"), TINY_SCALES)
    dup = tiny_survey()
    dup.loc[3, "id"] = "a"
    with pytest.raises(InputError, match="duplicated IDs"):
        rel.score_bonds(dup, TINY_SCALES, respondent="id")
    with pytest.raises(InputError, match="min_items"):
        rel.score_bonds(tiny_survey(), TINY_SCALES, min_items=3)


@pytest.mark.parametrize(
    "duration, event, fragment",
    [
        ([3, 0, 5], [1, 0, 1], "must be > 0"),
        ([3, -2, 5], [1, 0, 1], "must be > 0"),
        ([3, "soon", 5], [1, 0, 1], "must hold numbers"),
        ([3, 4, 5], [1, 2, 0], "must be 0 or 1"),
        ([3, 4, 5], [1, "yes", 0], "must be 0 or 1"),
    ],
)
def test_bad_durations_and_events_are_refused(duration, event, fragment):
    df = pd.DataFrame(
        {"t": duration, "e": event, "level": ["none", "social", "none"], "x": [1.0, 2.0, 3.0]}
    )
    for call in (
        lambda: rel.survival_by_level(df, duration="t", event="e"),
        lambda: rel.cox_model(df, duration="t", event="e", covariates=["x"]),
    ):
        with pytest.raises(InputError) as err:
            call()
        assert fragment in str(err.value) and "row 1" in str(err.value)


def test_logit_outcome_must_be_binary():
    df = pd.DataFrame({"y": [0, 1, 2, 1], "x": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(InputError, match="must be 0 or 1"):
        rel.switching_logit(df, outcome="y", predictors=["x"])
    with pytest.raises(InputError, match="only one value"):
        rel.switching_logit(df.assign(y=1), outcome="y", predictors=["x"])


# --------------------------------------------------------------------------------------------
# factor check and levels
# --------------------------------------------------------------------------------------------


def test_factor_check_recovers_three_factors_and_the_true_loadings(bonds, survey_truth):
    fc = bonds.factor_check()
    assert fc.separates and list(fc.loadings_.columns) == LEVELS
    s = fc.summary().set_index("item")
    true = pd.Series({i: survey_truth[f"loading_{i}"] for i in s.index})
    # 7-point rounding attenuates loadings slightly: estimated within 0.1 of the latent truth
    assert (s["loading"] - true).abs().max() < 0.1
    assert (s["loading"] - true).mean() < 0 and abs((s["loading"] - true).mean()) < 0.06
    assert s["cross_loading"].max() < 0.3


def test_factor_check_flags_an_item_keyed_to_the_wrong_scale(survey):
    wrong = {
        "financial": ["fin1", "fin2", "fin3", "fin4", "str1"],
        "social": ["soc1", "soc2", "soc3", "soc4_r"],
        "structural": ["str2", "str3", "str4", "str5"],
        "reverse": ["soc4_r"],
    }
    fc = rel.score_bonds(survey, wrong).factor_check()
    s = fc.summary().set_index("item")
    assert not fc.separates
    assert s.loc["str1", "factor"] == "structural" and not s.loc["str1", "ok"]
    assert s.drop(index="str1")["ok"].all()


def test_relationship_level_rule_by_hand():
    scores = pd.DataFrame(
        {
            "financial": [6, 3, 5, 2, 7, np.nan],
            "social": [2, 5.5, 4, 2, 7, 6],
            "structural": [4, 3, 6, 4.99, 5, np.nan],
        }
    )
    lv = rel.relationship_level(scores)
    assert lv.tolist() == ["financial", "social", "structural", "none", "structural", "social"]
    assert lv.cat.ordered and list(lv.cat.categories) == ["none"] + LEVELS
    assert rel.relationship_level(scores, threshold=7).tolist() == [
        "none",
        "none",
        "none",
        "none",
        "social",
        "none",
    ]


def test_committed_levels_follow_the_rule(customers):
    assert (rel.relationship_level(customers[LEVELS]).astype(str) == customers["level"]).all()


def test_reliability_recovers_the_population_alpha(bonds, survey_truth):
    r = bonds.reliability().set_index("scale")
    for lv in LEVELS:
        assert r.loc[lv, "alpha"] > 0.7
        true = survey_truth[f"alpha_{lv}"]
        assert r.loc[lv, "alpha_ci_low"] <= true <= r.loc[lv, "alpha_ci_high"]


# --------------------------------------------------------------------------------------------
# survival: Kaplan–Meier and log-rank against hand calculations and a published case
# --------------------------------------------------------------------------------------------


def test_kaplan_meier_against_a_hand_calculation():
    df = pd.DataFrame(
        {"t": [1, 2, 2, 3, 4, 5, 5, 6], "e": [1, 1, 0, 1, 0, 1, 1, 0], "level": "social"}
    )
    km = rel.survival_by_level(df, duration="t", event="e")
    # S(1) = 7/8; S(2) = 7/8·6/7; S(3) = ·4/5; S(5) = ·1/3 (3 at risk, 2 events)
    c = km.curves()
    assert c["time"].tolist() == [0, 1, 2, 3, 5, 6]  # 6: last follow-up (censored)
    assert c["survival"].to_numpy() == pytest.approx([1, 0.875, 0.75, 0.6, 0.2, 0.2])
    s = km.summary(at=(3, 4, 7)).iloc[0]
    assert (s["n"], s["events"], s["median"]) == (8, 5, 5)
    assert s["survival_3"] == pytest.approx(0.6) and s["survival_4"] == pytest.approx(0.6)
    assert np.isnan(s["survival_7"])  # beyond the last observation
    gone = rel.survival_by_level(df.assign(e=1), duration="t", event="e").summary(at=(7,))
    assert gone.loc[0, "survival_7"] == 0  # ... unless everyone churned
    # Greenwood at t = 3: S² Σ d/(n(n−d)) = 0.36·(1/56 + 1/42 + 1/20); log-log band
    var = 0.36 * (1 / 56 + 1 / 42 + 1 / 20)
    w = 1.959964 * math.sqrt(var) / (0.6 * abs(math.log(0.6)))
    row = c[c["time"] == 3].iloc[0]
    assert row["ci_low"] == pytest.approx(0.6 ** math.exp(w), rel=1e-5)
    assert row["ci_high"] == pytest.approx(0.6 ** math.exp(-w), rel=1e-5)


def test_logrank_on_the_aml_data_matches_the_published_result():
    # Miller (1981) acute myelogenous leukaemia data; R's survdiff: Chisq = 3.4 on 1 df, p = 0.07
    t = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45]
    e = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]
    g = ["Maintained"] * 11 + ["Nonmaintained"] * 12
    lr = rel.survival_by_level(
        pd.DataFrame({"t": t, "e": e, "x": g}), duration="t", event="e", by="x"
    ).logrank()
    assert lr["statistic"] == pytest.approx(3.396, abs=0.001) and lr["df"] == 1
    assert lr["p_value"] == pytest.approx(0.0653, abs=0.0005)


def _logrank_by_hand(t, e, g):
    """k-group log-rank statistic from observed − expected and the hypergeometric covariance."""
    groups = sorted(set(g))
    t, e, g = np.asarray(t, float), np.asarray(e), np.asarray(g)
    k = len(groups)
    o_e = np.zeros(k)
    V = np.zeros((k, k))
    for u in np.unique(t[e == 1]):
        at_risk = t >= u
        n = at_risk.sum()
        d = ((t == u) & (e == 1)).sum()
        nj = np.array([(at_risk & (g == h)).sum() for h in groups])
        dj = np.array([((t == u) & (e == 1) & (g == h)).sum() for h in groups])
        o_e += dj - d * nj / n
        if n > 1:
            f = d * (n - d) / (n - 1) / n
            V += f * (np.diag(nj) - np.outer(nj, nj) / n)
    return float(o_e[:-1] @ np.linalg.solve(V[:-1, :-1], o_e[:-1]))


def test_logrank_with_three_groups_against_a_hand_calculation():
    rng = np.random.default_rng(5)
    n = 90
    g = np.repeat(["none", "social", "structural"], n // 3)
    t = np.ceil(rng.exponential(np.where(g == "none", 8, np.where(g == "social", 12, 20))))
    e = (t <= 24).astype(int)
    t = np.minimum(t, 24)
    lr = rel.survival_by_level(
        pd.DataFrame({"t": t, "e": e, "level": g}), duration="t", event="e"
    ).logrank()
    assert lr["df"] == 2
    assert lr["statistic"] == pytest.approx(_logrank_by_hand(t, e, g), rel=1e-8)


def test_survival_by_level_recovers_the_ordering_of_the_levels(customers):
    km = rel.survival_by_level(customers, duration="duration_months", event="churned")
    s = km.summary().set_index("level")
    assert list(s.index) == ["none"] + LEVELS
    assert s["survival_24"].is_monotonic_increasing
    lr = km.logrank()
    assert 0 < lr["p_value"] < 1e-10
    assert lr["p_value"] == pytest.approx(stats.chi2.sf(lr["statistic"], lr["df"]), rel=1e-12)


# --------------------------------------------------------------------------------------------
# Cox model and the proportional-hazards test
# --------------------------------------------------------------------------------------------


def test_cox_recovers_the_true_hazard_ratios_of_the_panel(customers, loyalty_truth):
    cov = LEVELS + ["age", "products"]
    cox = rel.cox_model(customers, duration="duration_months", event="churned", covariates=cov)
    s = cox.summary().set_index("covariate")
    for c in cov:
        assert s.loc[c, "ci_low"] <= loyalty_truth[f"hr_{c}"] <= s.loc[c, "ci_high"], c
    hr = s["hazard_ratio"]
    assert hr["structural"] < hr["social"] < hr["financial"]
    assert s.loc["financial", "p_value"] > 0.05  # financial bonds: no clear effect
    assert cox.n_obs_ == 3000 and cox.n_events_ == customers["churned"].sum()
    assert cox.ph_test().set_index("covariate").loc["GLOBAL", "ok"]


def test_cox_recovers_the_survey_truth(survey_scores, survey_truth):
    cov = LEVELS + ["satisfaction"]
    s = (
        rel.cox_model(survey_scores, duration="months_observed", event="churned", covariates=cov)
        .summary()
        .set_index("covariate")
    )
    for c in cov:
        assert s.loc[c, "ci_low"] <= survey_truth[f"hr_{c}"] <= s.loc[c, "ci_high"], c
    assert (
        s.loc["structural", "hazard_ratio"]
        < s.loc["social", "hazard_ratio"]
        < s.loc["financial", "hazard_ratio"]
    )


def _schoenfeld_by_hand(t, e, X, beta):
    """Schoenfeld residuals x_i − E[x | risk set at t_i] for events (no ties)."""
    out = []
    for i in np.flatnonzero(e == 1):
        risk = t >= t[i]
        w = np.exp(X[risk] @ beta)
        out.append(X[i] - w @ X[risk] / w.sum())
    return np.array(out), t[e == 1]


def test_ph_test_against_an_independent_computation():
    rng = np.random.default_rng(8)
    n = 300
    X = rng.normal(size=(n, 2))
    t = rng.exponential(np.exp(-X @ [0.5, -0.3])) * 10
    c = rng.uniform(2, 30, n)
    e = (t <= c).astype(int)
    t = np.minimum(t, c)
    df = pd.DataFrame({"t": t, "e": e, "x1": X[:, 0], "x2": X[:, 1]})
    cox = rel.cox_model(df, duration="t", event="e", covariates=["x1", "x2"])
    ph = cox.ph_test(transform="identity").set_index("covariate")
    s, times = _schoenfeld_by_hand(t, e, X, np.asarray(cox.result_.params))
    V = np.asarray(cox.result_.cov_params())
    d = len(times)
    g = times - times.mean()
    scaled = d * s @ V
    for j, name in enumerate(["x1", "x2"]):
        stat = (g @ scaled[:, j]) ** 2 / (d * V[j, j] * (g @ g))
        assert ph.loc[name, "statistic"] == pytest.approx(stat, rel=1e-6)
        assert ph.loc[name, "rho"] == pytest.approx(np.corrcoef(g, scaled[:, j])[0, 1], rel=1e-6)
    u = g @ s
    assert ph.loc["GLOBAL", "statistic"] == pytest.approx(u @ V @ u * d / (g @ g), rel=1e-6)


def test_ph_test_detects_an_effect_that_fades():
    # the covariate protects strongly at first and not at all after month 6 (non-PH)
    rng = np.random.default_rng(2)
    n = 2000
    x = rng.binomial(1, 0.5, n)
    early = rng.exponential(np.where(x == 1, 1 / 0.02, 1 / 0.15))
    late = 6 + rng.exponential(1 / 0.1, n)
    t = np.where(early < 6, early, late)
    e = (t <= 30).astype(int)
    df = pd.DataFrame({"t": np.minimum(t, 30), "e": e, "x": x})
    ph = rel.cox_model(df, duration="t", event="e", covariates=["x"]).ph_test()
    assert ph.iloc[0]["p_value"] < 1e-4 and not ph.iloc[0]["ok"] and ph.iloc[0]["rho"] > 0
    # ... while proportional data pass
    t2 = rng.exponential(np.where(x == 1, 1 / 0.05, 1 / 0.1))
    df2 = pd.DataFrame({"t": np.minimum(t2, 30), "e": (t2 <= 30).astype(int), "x": x})
    assert rel.cox_model(df2, duration="t", event="e", covariates=["x"]).ph_test().iloc[0]["ok"]


def test_cox_excludes_rows_with_missing_covariates():
    df = pd.DataFrame(
        {"t": [1, 2, 3, 4, 5, 6], "e": [1, 1, 0, 1, 1, 0], "x": [0.1, np.nan, 0.3, 0.2, 0.8, 0.5]}
    )
    cox = rel.cox_model(df, duration="t", event="e", covariates=["x"])
    assert (cox.n_obs_, cox.n_excluded_) == (5, 1)


# --------------------------------------------------------------------------------------------
# switching intention
# --------------------------------------------------------------------------------------------


def test_logit_recovers_the_survey_truth(survey_scores, survey_truth):
    pred = LEVELS + ["satisfaction"]
    centred = survey_scores[pred] - 4
    centred["switching_intention"] = survey_scores["switching_intention"]
    lg = rel.switching_logit(centred, outcome="switching_intention", predictors=pred)
    s = lg.summary(intercept=True).set_index("predictor")
    for p, key in [("const", "logit_intercept")] + [(p, f"logit_{p}") for p in pred]:
        b, se = s.loc[p, "coef"], s.loc[p, "se"]
        assert b - 1.96 * se <= survey_truth[key] <= b + 1.96 * se, p
    assert (
        s.loc["structural", "odds_ratio"]
        < s.loc["social", "odds_ratio"]
        < s.loc["financial", "odds_ratio"]
    )
    assert list(lg.summary()["predictor"]) == pred
    assert s.loc["social", "ci_low"] == pytest.approx(
        math.exp(s.loc["social", "coef"] - 1.959964 * s.loc["social", "se"])
    )


def test_average_marginal_effects_by_hand(survey_scores):
    pred = LEVELS
    lg = rel.switching_logit(survey_scores, outcome="switching_intention", predictors=pred)
    b = np.asarray(lg.result_.params)
    X = np.column_stack([np.ones(len(survey_scores)), survey_scores[pred].to_numpy()])
    p = 1 / (1 + np.exp(-X @ b))
    ame = (p * (1 - p)).mean() * b[1:]
    me = lg.marginal_effects()
    assert me["ame"].to_numpy() == pytest.approx(ame, rel=1e-8)
    assert (me["ci_low"] < me["ame"]).all() and (me["ame"] < me["ci_high"]).all()


# --------------------------------------------------------------------------------------------
# difference-in-differences
# --------------------------------------------------------------------------------------------


def tiny_panel():
    # two members (A, B) and two non-members (C, D); periods 1-4, launch at 3
    y = {"A": [10, 12, 20, 22], "B": [14, 14, 23, 25], "C": [5, 6, 8, 9], "D": [7, 7, 9, 12]}
    rows = [
        {"customer_id": c, "month": m + 1, "spend": float(v), "member": int(c in "AB")}
        for c, vals in y.items()
        for m, v in enumerate(vals)
    ]
    return pd.DataFrame(rows)


def test_did_on_a_tiny_panel_equals_the_difference_of_differences():
    p = tiny_panel()
    res = rel.programme_did(p, launch=3)
    m = p.assign(post=p.month >= 3).groupby(["member", "post"])["spend"].mean()
    by_hand = (m[1, True] - m[1, False]) - (m[0, True] - m[0, False])
    # members 12.5 -> 22.5, non-members 6.25 -> 9.5
    assert by_hand == pytest.approx((22.5 - 12.5) - (9.5 - 6.25))
    assert res.did_ == pytest.approx(by_hand)
    assert res.naive_ == pytest.approx(22.5 - 9.5)
    s = res.summary().set_index("estimator")
    assert s.loc["difference-in-differences", "n_obs"] == 16
    assert s.loc["difference-in-differences", "n_customers"] == 4
    # event study: each period against period 2 (relative −1), difference of group changes
    es = res.event_study().set_index("relative_period")["estimate"]
    g = p.groupby(["member", "month"])["spend"].mean()
    for k, month in [(-2, 1), (0, 3), (1, 4)]:
        want = (g[1, month] - g[1, 2]) - (g[0, month] - g[0, 2])
        assert es[k] == pytest.approx(want), k
    assert es[-1] == 0


def test_did_accepts_months_as_text_across_a_year_end():
    p = tiny_panel()
    p["month"] = p["month"].map({1: "2023-11", 2: "2023年12月", 3: "2024/1", 4: "2024-02-01"})
    res = rel.programme_did(p, launch="2024-01")
    assert res.did_ == pytest.approx(rel.programme_did(tiny_panel(), launch=3).did_)
    assert res.event_study()["relative_period"].tolist() == [-2, -1, 0, 1]
    p.loc[2, "month"] = "March"
    p.loc[5, "month"] = "2024-13"
    with pytest.raises(InputError) as err:
        rel.programme_did(p, launch="2024-01")
    assert "'March' (1 row)" in str(err.value) and "'2024-13' (1 row)" in str(err.value)


def _small_panel(seed=4, n=60, T=6, launch=4):
    rng = np.random.default_rng(seed)
    cid = np.repeat(np.arange(n), T)
    month = np.tile(np.arange(1, T + 1), n)
    member = np.repeat(rng.binomial(1, 0.4, n), T)
    y = (
        np.repeat(rng.normal(50, 10, n), T)
        + month
        + 3 * member * (month >= launch)
        + rng.normal(0, 5, n * T)
    )
    return pd.DataFrame(
        {"customer_id": cid.astype(str), "month": month, "member": member, "spend": y}
    )


def test_did_within_fit_matches_statsmodels_with_customer_dummies():
    import statsmodels.formula.api as smf

    df = _small_panel()
    ours = rel.programme_did(df, launch=4)
    df["d"] = df["member"] * (df["month"] >= 4)
    groups = pd.factorize(df["customer_id"])[0]
    dummies = smf.ols("spend ~ d + C(month) + C(customer_id)", df).fit(
        cov_type="cluster", cov_kwds={"groups": groups}
    )
    assert ours.did_ == pytest.approx(dummies.params["d"], abs=1e-8)
    # the within fit counts only the K non-absorbed regressors (5 month dummies and d) in
    # G/(G−1)·(N−1)/(N−K); the dummy fit also counts the G customer effects (xtreg vs areg)
    n, G, K = len(df), df["customer_id"].nunique(), 6
    assert len(dummies.params) == K + G  # intercept + (G − 1) customers + 5 months + d
    se = ours.summary().set_index("estimator").loc["difference-in-differences", "se"]
    assert se == pytest.approx(dummies.bse["d"] * math.sqrt((n - K - G) / (n - K)), rel=1e-8)
    assert ours.se_["did"] == se
    # the same small-sample factor by hand: sandwich with customer-summed scores
    X = ours.result_.model.exog
    u = ours.result_.resid
    bread = np.linalg.inv(X.T @ X)
    scores = np.zeros((G, X.shape[1]))
    np.add.at(scores, groups, X * u[:, None])
    V = G / (G - 1) * (n - 1) / (n - K) * bread @ scores.T @ scores @ bread
    assert se == pytest.approx(math.sqrt(V[-1, -1]), rel=1e-10)


def test_naive_estimate_is_a_clustered_regression_on_a_member_dummy():
    import statsmodels.formula.api as smf

    df = _small_panel(seed=9)
    ours = rel.programme_did(df, launch=4)
    after = df[df["month"] >= 4]
    fit = smf.ols("spend ~ member", after).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(after["customer_id"])[0]}
    )
    s = ours.summary().set_index("estimator").loc["naive member vs non-member, after launch"]
    assert ours.naive_ == pytest.approx(fit.params["member"], abs=1e-8)
    assert s["se"] == pytest.approx(fit.bse["member"], rel=1e-10)
    assert s["p_value"] == pytest.approx(fit.pvalues["member"], rel=1e-8)


def test_pretrend_test_is_the_clustered_wald_statistic():
    res = rel.programme_did(_small_panel(seed=5, T=8, launch=5), launch=5)
    es = res.event_study()
    pre = es[es["relative_period"] < -1]
    fit, ks, n_t = res._event_fit(None)
    idx = [n_t + ks.index(k) for k in pre["relative_period"]]
    b = np.asarray(fit.params)[idx]
    V = np.asarray(fit.cov_params())[np.ix_(idx, idx)]
    pt = res.pretrend_test()
    assert pt["statistic"] == pytest.approx(float(b @ np.linalg.solve(V, b)), rel=1e-10)
    assert pt["df"] == len(pre) == 3
    assert pt["p_value"] == pytest.approx(stats.chi2.sf(pt["statistic"], 3), rel=1e-10)
    assert pt["n_significant"] == int(((pre["ci_low"] > 0) | (pre["ci_high"] < 0)).sum())


def test_did_recovers_the_programme_effect_and_the_naive_gap_is_biased_upwards(did, loyalty_truth):
    s = did.summary().set_index("estimator")
    d = s.loc["difference-in-differences"]
    naive = s.loc["naive member vs non-member, after launch"]
    effect = loyalty_truth["programme_effect"]
    assert d["ci_low"] <= effect <= d["ci_high"]
    # heavy buyers self-select into the programme: the naive gap is far too large
    assert naive["ci_low"] > effect and naive["estimate"] > 5 * effect
    assert naive["ci_low"] <= loyalty_truth["naive_gap_expected"] <= naive["ci_high"]
    assert d["n_customers"] == 3000 and d["n_obs"] < 3000 * 36  # inactive months dropped


def test_event_study_shows_parallel_pre_trends_and_the_effect_after_launch(did, loyalty_truth):
    assert did.pretrend_test()["p_value"] > 0.05
    es = did.event_study(window=(-6, 6))
    assert es["relative_period"].tolist() == list(range(-6, 7))
    post = es[es.relative_period >= 0]
    pre = es[(es.relative_period < -1)]
    assert abs(post["estimate"].mean() - loyalty_truth["programme_effect"]) < 1.5
    assert abs(pre["estimate"].mean()) < 1.5
    assert es.loc[es.relative_period == -1, "reference"].item()


def test_did_input_errors():
    p = tiny_panel()
    bad = p.copy()
    bad.loc[(bad.customer_id == "C") & (bad.month >= 3), "member"] = 1
    with pytest.raises(InputError, match="must be the same in every period"):
        rel.programme_did(bad, launch=3)
    with pytest.raises(InputError, match="must lie after the first period"):
        rel.programme_did(p, launch=1)
    with pytest.raises(InputError, match="several rows for the same"):
        rel.programme_did(pd.concat([p, p.head(1)]), launch=3)
    with pytest.raises(InputError, match="must hold numbers"):
        rel.programme_did(
            p.assign(spend=p.spend.astype(object).where(p.month != 2, "n/a")), launch=3
        )
    with pytest.raises(InputError, match="no active non-members"):
        rel.programme_did(p.assign(member=1), launch=3)


# --------------------------------------------------------------------------------------------
# retention to value
# --------------------------------------------------------------------------------------------


def test_retention_value_closed_form():
    out = rel.retention_value(100, [0.8, 0.9], 0.1).set_index("retention")
    assert out.loc[0.8, "clv"] == pytest.approx(100 * 0.8 / 0.3)
    assert out.loc[0.8, "clv_new"] == pytest.approx(100 * 0.81 / 0.29)
    assert out.loc[0.9, "change_pct"] == pytest.approx(100 * (91 / 0.19 / (90 / 0.2) - 1))
    rel_ = rel.retention_value(100, 0.8, 0.1, delta=0.05, relative=True).iloc[0]
    assert rel_["retention_new"] == pytest.approx(0.84)
    one = rel.retention_value(100, 0.8, 0.1, horizon=1).iloc[0]
    assert one["clv"] == pytest.approx(80 / 1.1) and one["change"] == pytest.approx(1 / 1.1)
    with pytest.raises(InputError, match="within 0..1"):
        rel.retention_value(100, 0.995, 0.1)


def _sbg_panel(spec, months=24, seed=0):
    rng = np.random.default_rng(seed)
    life = np.concatenate([rng.geometric(rng.beta(a, b, n)) for n, a, b in spec.values()])
    level = np.repeat(list(spec), [n for n, _, _ in spec.values()])
    month = np.arange(1, months + 1)
    return pd.DataFrame(
        {
            "customer_id": np.repeat(np.arange(len(life)), months),
            "month": np.tile(month, len(life)),
            "active": (month[None, :] <= life[:, None]).astype(int).ravel(),
            "level": np.repeat(level, months),
        }
    )


def test_retention_by_level_recovers_sbg_parameters():
    from scipy.special import betaln

    spec = {"none": (4000, 0.7, 3.0), "structural": (4000, 1.5, 20.0)}
    res = rel.retention_by_level(_sbg_panel(spec))
    s = res.summary().set_index("level")
    assert list(s.index) == ["none", "structural"]
    for lv, (n, a, b) in spec.items():
        # alpha and beta are strongly correlated: check each against its 99% interval
        m = res.models_[lv].summary(alpha=0.01).set_index("parameter")
        for name, true in (("alpha", a), ("beta", b)):
            assert m.loc[name, "ci_low"] <= true <= m.loc[name, "ci_high"], (lv, name)
        assert s.loc[lv, "n"] == n and s.loc[lv, "converged"]
        # the projection beyond the data: S(60) = B(a, b + 60)/B(a, b)
        assert s.loc[lv, "survival_60"] == pytest.approx(
            np.exp(betaln(a, b + 60) - betaln(a, b)), abs=0.03
        )


def test_retention_by_level_on_the_panel(panel):
    s = rel.retention_by_level(panel).summary().set_index("level")
    assert (s["survival_fitted"] - s["survival_observed"]).abs().max() < 0.02
    assert s["survival_60"].is_monotonic_increasing  # none < ... < structural


def test_retention_by_level_needs_one_cohort_and_absorbing_churn():
    p = _sbg_panel({"none": (30, 1.0, 3.0)}, months=6)
    late = p.copy()
    late.loc[(late.customer_id == 1) & (late.month == 1), "active"] = 0
    late.loc[(late.customer_id == 1) & (late.month > 1), "active"] = 1
    with pytest.raises(InputError, match="not active in the first period"):
        rel.retention_by_level(late)
    back = p.copy()
    back.loc[back.customer_id == 2, "active"] = [1, 0, 1, 0, 0, 0]
    with pytest.raises(InputError, match="absorbing"):
        rel.retention_by_level(back)


# --------------------------------------------------------------------------------------------
# plots and warnings
# --------------------------------------------------------------------------------------------


def test_plots_draw_on_the_given_axes_without_touching_global_state(bonds, customers, did):
    before = dict(matplotlib.rcParams)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig, axes = plt.subplots(2, 2)
        cox = rel.cox_model(
            customers, duration="duration_months", event="churned", covariates=LEVELS
        )
        km = rel.survival_by_level(customers, duration="duration_months", event="churned")
        drawn = [
            bonds.factor_check().plot(ax=axes[0, 0]),
            km.plot(ax=axes[0, 1]),
            cox.plot(ax=axes[1, 0], truth={"structural": 0.7}),
            did.plot(ax=axes[1, 1], window=(-6, 6), truth=4.0),
        ]
        fig.canvas.draw()
    assert drawn == list(axes.ravel())
    assert len(axes[0, 0].images) == 1 and len(axes[0, 0].texts) == 13 * 3
    assert len(axes[0, 1].get_lines()) == 4  # one step curve per level
    assert axes[1, 0].get_xscale() == "log"
    plt.close(fig)
    assert dict(matplotlib.rcParams) == before


def test_the_whole_analysis_emits_no_warnings(survey, customers, panel):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        b = rel.score_bonds(survey, datasets.path("bond_scales"), respondent="respondent_id")
        b.reliability(), b.item_stats(), b.factor_check().summary(), b.level()
        data = b.scores.join(survey.set_index("respondent_id"))
        rel.switching_logit(
            data, outcome="switching_intention", predictors=LEVELS
        ).marginal_effects()
        km = rel.survival_by_level(data, duration="months_observed", event="churned")
        km.summary(), km.logrank(), km.curves()
        rel.cox_model(
            data, duration="months_observed", event="churned", covariates=LEVELS
        ).ph_test()
        rel.retention_by_level(panel).summary()
        rel.retention_value(50, 0.85, 0.01)


# --------------------------------------------------------------------------------------------
# the generators
# --------------------------------------------------------------------------------------------


def test_generators_are_seeded():
    a, b, c = bond_survey(80, seed=1)[0], bond_survey(80, seed=1)[0], bond_survey(80, seed=2)[0]
    assert a.equals(b) and not a.equals(c)
    p1, p2 = (
        loyalty_panel(50, 12, seed=3, launch_month=7),
        loyalty_panel(50, 12, seed=3, launch_month=7),
    )
    assert p1[0].equals(p2[0]) and p1[1].equals(p2[1])


def test_bond_survey_file_contract(survey):
    assert len(survey) == 600 and survey["respondent_id"].is_unique
    items = [it[0] for lv in LEVELS for it in BOND_ITEMS[lv]]
    x = survey[items].astype("float64")
    assert ((x >= 1) & (x <= 7) | x.isna()).all().all() and 0 < x.isna().sum().sum() < 100
    # the reverse-worded item runs against its scale before recoding
    assert np.corrcoef(x.dropna()["soc4_r"], x.dropna()["soc1"])[0, 1] < -0.3
    assert set(survey["switching_intention"]) == {0, 1} and set(survey["churned"]) == {0, 1}
    assert survey["months_observed"].between(1, 24).all()
    assert set(survey["segment"]) == {"retail", "private", "sme"}


def test_loyalty_panel_is_consistent_with_the_customer_table(panel, customers, loyalty_truth):
    wide = panel.pivot(index="customer_id", columns="month", values="active")
    assert (np.diff(wide.to_numpy(), axis=1) <= 0).all()  # churn is absorbing
    c = customers.set_index("customer_id")
    assert (wide.sum(axis=1) == c["duration_months"]).all()
    assert ((c["churned"] == 0) == (c["duration_months"] == 36)).all() or (
        c.loc[c.churned == 0, "duration_months"] == 36
    ).all()
    assert (panel.loc[panel.active == 0, "spend"] == 0).all()
    assert (panel.loc[panel.active == 1, "spend"] > 0).all()
    assert (panel.groupby("customer_id")["member"].nunique() == 1).all()
    launch = int(loyalty_truth["launch_month"])
    # only customers still active at launch could join
    assert (c.loc[c.member == 1, "duration_months"] >= launch).all()
    assert ((panel["month"] >= launch).astype(int) == panel["post"]).all()
    assert c["member"].sum() == loyalty_truth["members"]
    # members were heavier buyers before launch (the selection the naive gap picks up)
    pre = panel[(panel.month < launch) & (panel.active == 1)].groupby("member")["spend"].mean()
    assert pre[1] > 1.3 * pre[0]


# --------------------------------------------------------------------------------------------
# invariants on arbitrary inputs (hypothesis)
# --------------------------------------------------------------------------------------------

PROPS = settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def likert_blocks(draw):
    n = draw(st.integers(3, 30))
    k = draw(st.integers(2, 5))
    cols = {f"i{j}": draw(st.lists(st.integers(1, 7), min_size=n, max_size=n)) for j in range(k)}
    return pd.DataFrame(cols)


@PROPS
@given(likert_blocks(), st.floats(0.1, 10), st.floats(-5, 5))
def test_alpha_is_invariant_to_a_common_linear_rescaling(items, a, b):
    alpha = rel.cronbach_alpha(items)
    if np.isfinite(alpha):
        assert rel.cronbach_alpha(a * items + b) == pytest.approx(alpha, abs=1e-9)
        assert rel.cronbach_alpha(items[items.columns[::-1]]) == pytest.approx(alpha, abs=1e-9)
        assert alpha <= 1 + 1e-12


@PROPS
@given(likert_blocks())
def test_reverse_worded_copies_give_mirrored_scores(items):
    names = list(items.columns)
    mirrored = (8 - items).add_suffix("_r")
    s1 = rel.score_bonds(items, {"social": names}).scores["social"]
    s2 = rel.score_bonds(
        mirrored, {"social": list(mirrored.columns), "reverse": list(mirrored.columns)}
    ).scores["social"]
    assert s2.to_numpy() == pytest.approx(s1.to_numpy())
    assert ((s1 >= 1) & (s1 <= 7)).all()


scores3 = st.lists(st.floats(1, 7), min_size=3, max_size=3)


@PROPS
@given(
    st.lists(scores3, min_size=1, max_size=20),
    st.lists(scores3, min_size=20, max_size=20),
    st.floats(1, 7),
)
def test_a_stronger_bond_never_lowers_the_level(rows, bumps, threshold):
    base = pd.DataFrame(rows, columns=LEVELS)
    up = base + pd.DataFrame(bumps[: len(rows)], columns=LEVELS).abs() / 7
    lo, hi = rel.relationship_level(base, threshold), rel.relationship_level(up, threshold)
    assert (hi >= lo).all()
    strongest = base.ge(threshold)
    assert ((lo == "none") == ~strongest.any(axis=1)).all()


@PROPS
@given(st.integers(0, 10_000), st.floats(-20, 20))
def test_did_ignores_customer_and_period_constants_and_shifts_with_the_effect(seed, shift):
    rng = np.random.default_rng(seed)
    n, T = 12, 5
    p = pd.DataFrame(
        {
            "customer_id": np.repeat(np.arange(n), T),
            "month": np.tile(np.arange(T), n),
            "member": np.repeat(np.arange(n) % 2, T),
            "spend": rng.normal(50, 10, n * T),
        }
    )
    base = rel.programme_did(p, launch=2)
    moved = p.assign(
        spend=p.spend
        + np.repeat(rng.normal(0, 30, n), T)
        + np.tile(rng.normal(0, 30, T), n)
        + shift * p.member * (p.month >= 2)
    )
    res = rel.programme_did(moved, launch=2)
    assert res.did_ == pytest.approx(base.did_ + shift, abs=1e-8)


@PROPS
@given(st.lists(st.tuples(st.integers(1, 30), st.integers(0, 1)), min_size=2, max_size=60))
def test_kaplan_meier_is_a_non_increasing_curve_inside_its_band(obs):
    df = pd.DataFrame(obs, columns=["t", "e"]).assign(level="all")
    c = rel.survival_by_level(df, duration="t", event="e").curves()
    s = c["survival"].to_numpy()
    assert (np.diff(s) <= 1e-12).all() and ((s >= 0) & (s <= 1)).all()
    assert ((c["ci_low"] <= s + 1e-12) & (s <= c["ci_high"] + 1e-12)).all()
    # the product-limit estimate at the end equals the product over event times
    ut = np.unique(df.t[df.e == 1])
    prod = np.prod([1 - ((df.t == u) & (df.e == 1)).sum() / (df.t >= u).sum() for u in ut])
    assert s[-1] == pytest.approx(prod)
