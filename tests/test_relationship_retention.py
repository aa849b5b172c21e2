"""Retention by level as the lesson and the report use it: CLV per level, hazard changes in
percent, the Kaplan–Meier transform of the proportional-hazards test, argument errors."""

import numpy as np
import pandas as pd
import pytest

from customer_value import clv, datasets
from customer_value import relationship as rel
from customer_value.io import InputError


@pytest.fixture(scope="module")
def customers():
    return datasets.load("loyalty_customers")


@pytest.fixture(scope="module")
def km(customers):
    return rel.survival_by_level(customers, duration="duration_months", event="churned")


def test_lifetime_value_per_level_is_the_retention_clv_of_each_curve(km):
    v = km.lifetime_value(100, 0.1, at=12).set_index("level")
    s12 = km.summary(at=(12,)).set_index("level")["survival_12"]
    assert v["retention"].to_numpy() == pytest.approx(s12.to_numpy())
    want = clv.retention_clv(100, s12.to_numpy(), 0.1)
    assert v["clv"].to_numpy() == pytest.approx(np.asarray(want))
    assert v.loc["none", "clv_gain"] == 0
    assert v["clv_gain"].to_numpy() == pytest.approx(v["clv"].to_numpy() - v.loc["none", "clv"])
    assert v["clv"].is_monotonic_increasing  # none < financial < social < structural
    other = km.lifetime_value(100, 0.1, reference="structural").set_index("level")
    assert other.loc["structural", "clv_gain"] == 0 and (other["clv_gain"] <= 0).all()
    with pytest.raises(InputError, match="reference 'gold'"):
        km.lifetime_value(100, 0.1, reference="gold")


def test_lifetime_value_is_missing_where_the_curve_stops():
    data = pd.DataFrame({"t": [2, 3, 4], "e": [1, 0, 0], "level": "social"})
    v = rel.survival_by_level(data, duration="t", event="e").lifetime_value(100, 0.1, at=12)
    assert np.isnan(v.loc[0, "retention"]) and np.isnan(v.loc[0, "clv"])


def test_summary_and_curves_name_the_group_column():
    data = pd.DataFrame({"t": [1, 2, 3, 4], "e": [1, 0, 1, 0], "branch": list("aabb")})
    km = rel.survival_by_level(data, duration="t", event="e", by="branch")
    assert km.summary().columns[0] == "branch" and km.curves().columns[0] == "branch"
    assert km.summary()["branch"].tolist() == ["a", "b"]


def test_cox_change_pct_is_the_hazard_ratio_in_percent(customers):
    cox = rel.cox_model(
        customers, duration="duration_months", event="churned", covariates=list(rel.LEVELS)
    )
    s = cox.summary().set_index("covariate")
    assert s["change_pct"].to_numpy() == pytest.approx(100 * (s["hazard_ratio"] - 1).to_numpy())
    assert cox.params_.to_numpy() == pytest.approx(s["coef"].to_numpy())
    assert cox.cov_.loc["social", "social"] == pytest.approx(s.loc["social", "se"] ** 2)


def test_ph_test_km_transform_uses_the_left_limit_of_the_kaplan_meier_curve():
    rng = np.random.default_rng(3)
    n = 200
    x = rng.normal(size=n)
    t = np.ceil(rng.exponential(np.exp(-0.4 * x)) * 10)
    e = (t <= 25).astype(int)
    t = np.minimum(t, 25)
    df = pd.DataFrame({"t": t, "e": e, "x": x})
    cox = rel.cox_model(df, duration="t", event="e", covariates=["x"])
    # by hand: S(t−) as the product over event times strictly before t
    sres = np.asarray(cox.result_.schoenfeld_residuals)
    ev = ~np.isnan(sres).any(axis=1)
    times = t[ev]
    ut = np.unique(t[e == 1])
    s_at = np.cumprod([1 - ((t == u) & (e == 1)).sum() / (t >= u).sum() for u in ut])
    g = np.array([1 - (s_at[ut < ti][-1] if (ut < ti).any() else 1.0) for ti in times])
    s, d = sres[ev], ev.sum()
    V = np.asarray(cox.result_.cov_params())
    xx = g - g.mean()
    stat = (xx @ (s @ V * d)[:, 0]) ** 2 / (V[0, 0] * d * (xx @ xx))
    assert cox.ph_test().loc[0, "statistic"] == pytest.approx(stat, rel=1e-10)


def test_argument_errors_are_input_errors(customers):
    cox = rel.cox_model(customers, duration="duration_months", event="churned", covariates=["age"])
    with pytest.raises(InputError, match="transform must be"):
        cox.ph_test(transform="loglog")
    with pytest.raises(InputError, match="alpha must be"):
        cox.summary(alpha=1.5)
    with pytest.raises(InputError, match="ties must be"):
        rel.cox_model(
            customers, duration="duration_months", event="churned", covariates=["age"], ties="exact"
        )
    with pytest.raises(InputError, match="window must run"):
        rel.programme_did(datasets.load("loyalty_panel").head(3600), launch=19).event_study(
            window=(0, 3)
        )
