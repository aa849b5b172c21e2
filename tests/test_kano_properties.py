"""Invariants of the Kano summary on arbitrary surveys (hypothesis)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customer_value import kano
from customer_value.io import InputError

answers = st.one_of(st.none(), st.integers(1, 5))


@st.composite
def surveys(draw):
    """Random surveys in which every feature has at least one complete answer pair (one
    without any is an InputError, tested below)."""
    n = draw(st.integers(1, 40))
    k = draw(st.integers(1, 4))
    data = {}
    for j in range(k):
        first = draw(st.integers(0, n - 1))
        for side in ("functional", "dysfunctional"):
            values = draw(st.lists(answers, min_size=n, max_size=n))
            values[first] = draw(st.integers(1, 5))
            data[f"f{j}_{side}"] = pd.array(values, dtype="Int64")
    data["seg"] = draw(st.lists(st.sampled_from(["x", "y"]), min_size=n, max_size=n))
    return pd.DataFrame(data)


SETTINGS = settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(surveys(), st.sampled_from(["standard", "pouliot"]))
def test_counts_sum_to_n_and_coefficients_in_range(df, table):
    s = kano.analyze(df, table=table, bootstrap=20, seed=0).summary()
    cats = s[list(kano.CATEGORIES)].sum(axis=1)
    assert (cats == s["n"]).all()
    assert (s["n"] + s["n_missing"] == len(df)).all()
    b, w = s["better"].dropna(), s["worse"].dropna()
    assert ((b >= 0) & (b <= 1)).all() and ((w >= -1) & (w <= 0)).all()
    assert s["category"].dropna().isin(list("AOMIR")).all()  # Q never wins the mode
    # one unit per table: every share and strength is a fraction
    for col in [f"share_{c}" for c in kano.CATEGORIES] + ["total_strength", "category_strength"]:
        v = s[col].dropna()
        assert ((v >= 0) & (v <= 1 + 1e-12)).all(), col
    shares = s[[f"share_{c}" for c in kano.CATEGORIES]].sum(axis=1)
    assert np.allclose(shares[s["n"] > 0], 1.0)


@SETTINGS
@given(surveys(), st.randoms(use_true_random=False))
def test_invariant_to_respondent_order(df, rnd):
    order = list(range(len(df)))
    rnd.shuffle(order)
    a = kano.analyze(df, bootstrap=30, seed=1).summary()
    b = kano.analyze(df.iloc[order].reset_index(drop=True), bootstrap=30, seed=1).summary()
    pd.testing.assert_frame_equal(a, b)


@SETTINGS
@given(surveys())
def test_wide_and_long_agree(df):
    wide = kano.analyze(df, bootstrap=0).summary()
    long = kano.read_responses(df).to_long()
    res = kano.analyze(long, format="long", bootstrap=0).summary()
    pd.testing.assert_frame_equal(wide, res, check_dtype=False)


@SETTINGS
@given(surveys())
def test_segments_add_up_to_the_whole(df):
    whole = kano.analyze(df, bootstrap=0).summary().set_index("feature")
    parts = (
        kano.analyze(df, by="seg", bootstrap=0)
        .summary()
        .groupby("feature")[list(kano.CATEGORIES) + ["n", "n_missing"]]
        .sum()
    )
    pd.testing.assert_frame_equal(
        whole[parts.columns].astype("int64"), parts.astype("int64"), check_names=False
    )


@SETTINGS
@given(st.lists(st.integers(0, 50), min_size=6, max_size=6))
def test_summarize_counts_matches_definitions(c):
    counts = pd.DataFrame([dict(zip(kano.CATEGORIES, c))])
    s = kano.summarize_counts(counts).iloc[0]
    A, O, M, I, R, Q = c
    if A + O + M + I:
        assert np.isclose(s["better"], (A + O) / (A + O + M + I))
        assert np.isclose(s["worse"], -(O + M) / (A + O + M + I))
    if A + O + M + I + R:
        top = s["category"]
        assert dict(zip(kano.CATEGORIES, c))[top] == max(A, O, M, I, R)


@SETTINGS
@given(surveys(), st.data())
def test_a_feature_without_any_complete_pair_is_an_input_error(df, data):
    side = data.draw(st.sampled_from(["functional", "dysfunctional"]))
    df = df.assign(**{f"f0_{side}": pd.array([None] * len(df), dtype="Int64")})
    with pytest.raises(InputError, match="no usable answers"):
        kano.analyze(df, bootstrap=0)
