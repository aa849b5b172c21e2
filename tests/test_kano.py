"""Kano analysis: evaluation tables cell by cell, parsing, formulas on hand-computed counts."""

import math

import numpy as np
import pandas as pd
import pytest

from customer_value import kano
from customer_value.io import InputError

ANSWERS = ["like", "must-be", "neutral", "live-with", "dislike"]

# DOMAIN.md §3, rows functional, columns dysfunctional (Kano et al. 1984; Berger et al. 1993).
STANDARD = """
Q A A A O
R I I I M
R I I I M
R I I I M
R R R R Q
"""
# Pouliot (Berger et al. 1993 p. 33): also (must-be, must-be) and (live-with, live-with) are Q.
POULIOT = """
Q A A A O
R Q I I M
R I I I M
R I I Q M
R R R R Q
"""
SHORT = """
A A O
I I M
I I M
"""


def _grid(text):
    return [row.split() for row in text.strip().splitlines()]


@pytest.mark.parametrize("name,expected", [("standard", STANDARD), ("pouliot", POULIOT)])
def test_five_point_tables_cell_by_cell(name, expected):
    grid = _grid(expected)
    table = kano.evaluation_table(name)
    assert list(table.index) == ANSWERS and list(table.columns) == ANSWERS
    for i, f in enumerate(ANSWERS):
        for j, d in enumerate(ANSWERS):
            assert table.loc[f, d] == grid[i][j], (name, f, d)
            assert kano.classify([i + 1], [j + 1], table=name)[0] == grid[i][j], (name, f, d)


def test_short_table_cell_by_cell_and_rejects_middle_answers():
    grid = _grid(SHORT)
    names = ["like", "neutral", "dislike"]
    table = kano.evaluation_table("short")
    for i, f in enumerate(names):
        for j, d in enumerate(names):
            assert table.loc[f, d] == grid[i][j]
            assert kano.classify([2 * i + 1], [2 * j + 1], table="short")[0] == grid[i][j]
    with pytest.raises(InputError, match="'2'"):
        kano.classify(["2"], ["5"], table="short")


@pytest.mark.parametrize(
    "code,words",
    [
        (
            1,
            [
                "I like it that way",
                "I like it",
                "very helpful",
                "我很喜欢",
                " i LIKE  it ",
                "1.我很喜欢",
            ],
        ),
        (2, ["It must be that way", "I expect it", "basic requirement", "理所当然", "理应如此"]),
        (
            3,
            [
                "I am neutral",
                "I'm neutral",
                "I’m neutral",
                "would not affect me",
                "无所谓",
                "无所谓　",
            ],
        ),
        (4, ["I can live with it that way", "I can tolerate it", "minor inconvenience", "能忍受"]),
        (
            5,
            [
                "I dislike it that way",
                "I dislike it",
                "major problem",
                "我很不喜欢",
                "我很不喜欢。",
            ],
        ),
    ],
)
def test_wordings_map_to_their_codes(code, words):
    assert kano.parse_answers(words).tolist() == [code] * len(words)


def test_codes_as_text_and_numbers_and_missing():
    out = kano.parse_answers(["1", "2.0", 3, 4.0, None, "", float("nan")])
    assert out.tolist() == [1, 2, 3, 4, 0, 0, 0]


def test_unknown_labels_and_codes_are_listed_with_counts_never_q():
    values = pd.Series(["I like it", "maybe", "maybe", "6", "0", "I dislike it", "1. I dislike it"])
    with pytest.raises(InputError) as err:
        kano.parse_answers(values, column="wifi_functional")
    msg = str(err.value)
    assert "'maybe' (2 rows)" in msg and "'6' (1 row)" in msg and "'0' (1 row)" in msg
    assert "1. I dislike it" in msg  # a number that contradicts its wording is not guessed
    assert "wifi_functional" in msg


def test_user_labels_extend_and_override():
    assert kano.parse_answers(["还行", "like"], labels={"还行": 3, "like": 2}).tolist() == [3, 2]
    with pytest.raises(InputError, match="'x': maps to 7"):
        kano.parse_answers(["x"], labels={"x": 7})


def counts(**kw):
    row = {c: kw.get(c, 0) for c in kano.CATEGORIES}
    return pd.DataFrame([row])


def test_better_worse_by_hand():
    # A=12, O=30, M=18, I=20 (R, Q ignored): Better = 42/80, Worse = -48/80
    bw = kano.better_worse(counts(A=12, O=30, M=18, I=20, R=3, Q=5))
    assert bw["better"][0] == pytest.approx(42 / 80, abs=1e-15)
    assert bw["worse"][0] == pytest.approx(-48 / 80, abs=1e-15)
    assert np.isnan(kano.better_worse(counts(R=4, Q=1))["better"][0])


def test_mode_tie_rule_m_o_a_i_and_q_never_wins():
    assert kano.category_by_mode(counts(A=10, O=10, M=10, I=10))[0] == "M"
    assert kano.category_by_mode(counts(A=10, O=10, I=10))[0] == "O"
    assert kano.category_by_mode(counts(A=10, I=10))[0] == "A"
    assert kano.category_by_mode(counts(I=10, R=10))[0] == "I"
    assert kano.category_by_mode(counts(A=3, O=2, Q=9))[0] == "A"
    assert kano.category_by_mode(counts(A=11, M=10))[0] == "A"
    assert kano.category_by_mode(counts(A=11, M=10), tie_tolerance=1)[0] == "M"
    assert kano.category_by_mode(counts(A=12, M=10), tie_tolerance=1)[0] == "A"
    assert pd.isna(kano.category_by_mode(counts(Q=3))[0])


def test_oam_rule():
    # O+A+M = 4+3+2 = 9 > I+R+Q = 6 -> largest of O, A, M = A although I is the mode
    c = counts(A=4, O=3, M=2, I=6)
    assert kano.category_by_mode(c)[0] == "I"
    assert kano.category_by_oam(c)[0] == "A"
    # 9 vs 9 is not "greater": largest of I, R, Q
    assert kano.category_by_oam(counts(A=4, O=3, M=2, I=5, R=1, Q=3))[0] == "I"
    # ties inside the groups: M > O > A and I > R > Q
    assert kano.category_by_oam(counts(A=5, O=5, M=5, I=1))[0] == "M"
    assert kano.category_by_oam(counts(A=1, R=4, Q=4))[0] == "R"


def test_fong_by_hand():
    # a=30 (A), b=20 (O), N=60: threshold = 1.65*sqrt(50*70/120) = 8.9111 < 10 -> significant
    f = kano.fong_test(counts(A=30, O=20, M=6, I=4))
    assert (f["fong_first"][0], f["fong_second"][0], f["fong_n"][0]) == ("A", "O", 60)
    assert f["fong_threshold"][0] == pytest.approx(1.65 * math.sqrt(50 * 70 / 120), rel=1e-12)
    assert bool(f["significant"][0]) is True
    # a=25, b=20, N=60: threshold = 1.65*sqrt(45*75/120) = 8.75 > 5 -> not significant
    f = kano.fong_test(counts(A=25, O=20, M=10, I=5))
    assert bool(f["significant"][0]) is False
    # which categories and which N are selectable and reported
    f = kano.fong_test(counts(A=25, O=20, Q=30), categories=kano.CATEGORIES)
    assert (f["fong_first"][0], f["fong_second"][0]) == ("Q", "A")
    f = kano.fong_test(counts(A=25, O=20, Q=30), n="categories")
    assert f["fong_n"][0] == 45


def test_strengths_by_hand():
    s = kano.summarize_counts(counts(A=30, O=20, M=6, I=4, R=0, Q=0))
    assert s["n"][0] == 60
    # one unit per table: every share is a fraction; the strength is in percentage points / 100
    assert s["category_strength"][0] == pytest.approx(10 / 60)
    assert s["total_strength"][0] == pytest.approx(56 / 60)
    assert s["share_A"][0] == pytest.approx(0.5)
    shares = s[[f"share_{c}" for c in kano.CATEGORIES]]
    assert shares.sum(axis=1)[0] == pytest.approx(1.0)
    assert not [c for c in s.columns if c.startswith("pct_")]


def _tiny_wide():
    return pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "seg": ["x", "x", "y", "y"],
            "wifi_functional": [1, 1, 2, 1],
            "wifi_dysfunctional": [5, 3, 5, None],
            "wifi_importance": [9, 7, None, 5],
            "bar_functional": ["I like it", "我很喜欢", "无所谓", "I dislike it"],
            "bar_dysfunctional": ["I like it", "能忍受", "无所谓", "I like it"],
        }
    )


def test_analyze_counts_missing_continuous_and_importance_by_hand():
    res = kano.analyze(_tiny_wide(), respondent="id", bootstrap=0)
    s = res.summary().set_index("feature")
    # wifi: (1,5)=O, (1,3)=A, (2,5)=M, (1,missing)
    assert s.loc["wifi", ["A", "O", "M", "I", "R", "Q"]].tolist() == [1, 1, 1, 0, 0, 0]
    assert (s.loc["wifi", "n"], s.loc["wifi", "n_missing"]) == (3, 1)
    # functional scores 4, 4, 2 ; dysfunctional 4, 0, 4 (DuMouchel)
    assert s.loc["wifi", "functional_mean"] == pytest.approx(10 / 3)
    assert s.loc["wifi", "dysfunctional_mean"] == pytest.approx(8 / 3)
    assert s.loc["wifi", "functional_sd"] == pytest.approx(np.std([4, 4, 2], ddof=1))
    assert s.loc["wifi", "importance_mean"] == pytest.approx(7.0)
    assert s.loc["wifi", "importance_n"] == 3
    # bar: (1,1)=Q, (1,4)=A, (3,3)=I, (5,1)=R
    assert s.loc["bar", ["A", "O", "M", "I", "R", "Q"]].tolist() == [1, 0, 0, 1, 1, 1]
    assert np.isnan(s.loc["bar", "importance_mean"])


def test_segments_and_exclusion():
    res = kano.analyze(_tiny_wide(), respondent="id", by="seg", bootstrap=0)
    s = res.summary()
    assert list(s["seg"]) == ["x", "x", "y", "y"]
    wifi_y = s[(s.seg == "y") & (s.feature == "wifi")].iloc[0]
    assert (wifi_y["M"], wifi_y["n"], wifi_y["n_missing"]) == (1, 1, 1)
    q = kano.analyze(_tiny_wide(), respondent="id", bootstrap=0).quality
    assert q.set_index("respondent").loc["a", "n_questionable"] == 1
    ex = kano.analyze(_tiny_wide(), respondent="id", bootstrap=0, exclude_questionable=0)
    assert list(ex.excluded) == ["a"] and ex.n_respondents == 3
    assert ex.summary().set_index("feature").loc["bar", "Q"] == 0


def test_chi_square_matches_a_hand_computed_statistic():
    # two segments, categories A and M only: [[30, 10], [10, 30]] -> chi2 = 20, dof 1
    summary = pd.DataFrame(
        {
            "seg": ["x", "y"],
            "feature": ["f", "f"],
            "A": [30, 10],
            "O": [0, 0],
            "M": [10, 30],
            "I": [0, 0],
            "R": [0, 0],
            "Q": [0, 0],
            "category": ["A", "M"],
        }
    )
    out = kano.chi_square_by_segment(summary, by="seg")
    assert out["chi2"][0] == pytest.approx(20.0)
    assert out["dof"][0] == 1
    assert out["cramers_v"][0] == pytest.approx(math.sqrt(20 / 80))


def test_long_format_agrees_with_wide(kano_survey):
    wide = kano.analyze(kano_survey, respondent="respondent_id", seed=3).summary()
    long = kano.read_responses(kano_survey, respondent="respondent_id").to_long()
    long = long.drop(columns=["tier"])
    res = kano.analyze(long, format="long", seed=3).summary()
    pd.testing.assert_frame_equal(
        wide.reset_index(drop=True), res.reset_index(drop=True), check_dtype=False
    )


def test_bootstrap_is_seeded_and_brackets_the_estimate(kano_survey):
    a = kano.analyze(kano_survey, respondent="respondent_id", bootstrap=300, seed=5).summary()
    b = kano.analyze(kano_survey, respondent="respondent_id", bootstrap=300, seed=5).summary()
    c = kano.analyze(kano_survey, respondent="respondent_id", bootstrap=300, seed=6).summary()
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["better_ci_low"], c["better_ci_low"])
    assert ((a.better_ci_low <= a.better) & (a.better <= a.better_ci_high)).all()
    assert ((a.worse_ci_low <= a.worse) & (a.worse <= a.worse_ci_high)).all()


def test_bootstrap_interval_has_the_binomial_width():
    # 400 respondents, Better = (A+O)/(A+O+M+I) with no R/Q/missing is a proportion: the 95 %
    # bootstrap interval must be close to ±1.96·sqrt(p(1-p)/n).
    n, p = 400, 0.3
    df = pd.DataFrame(
        {
            "f_functional": [1] * int(n * p) + [3] * int(n * (1 - p)),
            "f_dysfunctional": [3] * int(n * p) + [3] * int(n * (1 - p)),
        }
    )
    s = kano.analyze(df, bootstrap=4000, seed=1).summary().iloc[0]
    half = 1.96 * math.sqrt(p * (1 - p) / n)
    assert s["better"] == pytest.approx(p)
    assert s["better_ci_low"] == pytest.approx(p - half, abs=0.01)
    assert s["better_ci_high"] == pytest.approx(p + half, abs=0.01)


def test_wide_input_errors_name_columns_and_rows():
    df = _tiny_wide()
    df.loc[2, "wifi_importance"] = 12
    with pytest.raises(InputError, match="wifi_importance.*'12'"):
        kano.analyze(df, respondent="id")
    dup = _tiny_wide()
    dup.loc[3, "id"] = "a"
    with pytest.raises(InputError, match="duplicated respondent IDs") as err:
        kano.analyze(dup, respondent="id")
    assert "row 0" in str(err.value) and "row 3" in str(err.value)
    lonely = _tiny_wide().drop(columns=["bar_dysfunctional"])
    with pytest.raises(InputError, match="unpaired: 'bar'"):
        kano.analyze(lonely)
    with pytest.raises(InputError, match="missing required column"):
        kano.analyze(_tiny_wide(), respondent="respondent_number")


def test_long_input_errors():
    long = pd.DataFrame(
        {
            "respondent": [1, 1, 2],
            "feature": ["a", "a", "a"],
            "functional": [1, 2, 3],
            "dysfunctional": [5, 5, 5],
        }
    )
    with pytest.raises(InputError, match="duplicated respondent/feature"):
        kano.analyze(long)
    with pytest.raises(InputError, match="missing required column.*dysfunctional"):
        kano.analyze(long.drop(columns="dysfunctional"), format="long")


def test_recovers_generator_truth(kano_survey):
    from customer_value import datasets

    truth = datasets.load("kano_truth")
    overall = truth[truth.segment_column.isna()]
    res = kano.analyze(kano_survey, respondent="respondent_id", bootstrap=0).summary()
    got = res.set_index("feature")["category"]
    for feat, cat in zip(overall.feature, overall.true_category):
        assert got[feat] == cat, feat
    for column in truth.segment_column.dropna().unique():
        seg = kano.analyze(
            kano_survey, respondent="respondent_id", by=column, bootstrap=0
        ).summary()
        got = seg.set_index([column, "feature"])["category"]
        for _, row in truth[truth.segment_column == column].iterrows():
            assert got[(row.segment, row.feature)] == row.true_category, (row.feature, row.segment)


def test_plots_return_axes_and_leave_global_state_alone():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    before = dict(matplotlib.rcParams)
    res = kano.analyze(_tiny_wide(), respondent="id", bootstrap=50)
    fig, axes = plt.subplots(1, 4, figsize=(16, 4))
    for ax, kind in zip(axes, ["better_worse", "categories", "continuous"]):
        assert res.plot(kind, ax=ax) is ax
    assert res.plot("answer_pairs", ax=axes[3], feature="wifi") is axes[3]
    assert axes[0].get_xlabel().startswith("|Worse|")
    assert len(axes[0].texts) >= 2  # feature labels drawn
    assert dict(matplotlib.rcParams) == before
    plt.close(fig)


# --------------------------------------------------------------------------------------------
# the package, its arguments and its errors
# --------------------------------------------------------------------------------------------


def test_package_layout_and_public_api():
    import inspect
    from pathlib import Path

    pkg = Path(kano.__file__).parent
    assert {p.stem for p in pkg.glob("*.py")} >= {"answers", "responses", "analysis", "plots"}
    for p in pkg.glob("*.py"):
        assert len(p.read_text(encoding="utf-8").splitlines()) <= 700, p.name
        text = p.read_text(encoding="utf-8")
        assert "class _Problems" not in text and "def _axes" not in text, p.name
        assert "def _source" not in text, p.name
    assert "Berger" in kano.__doc__ and "stp25kano" in kano.__doc__
    for name in kano.__all__:
        obj = getattr(kano, name)
        if inspect.isfunction(obj):
            assert ">>>" in (obj.__doc__ or ""), f"{name} has no example"


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"bootstrap": -1}, "bootstrap must be"),
        ({"bootstrap": 2.5}, "bootstrap must be a whole number"),
        ({"exclude_questionable": -1}, "exclude_questionable must be"),
        ({"table": "classic"}, "unknown evaluation table 'classic'"),
        ({"ci_level": 95}, "ci_level must be"),
        ({"seed": "x"}, "seed must be"),
        ({"seed": -1}, "seed must be a whole number >= 0"),
        ({"format": "tall"}, "format must be"),
        ({"fong_n": "all"}, "fong_n must be"),
        ({"by": "region"}, "segment column 'region' not found"),
    ],
)
def test_bad_arguments_are_input_errors(kwargs, message):
    with pytest.raises(InputError, match=message):
        kano.analyze(_tiny_wide(), respondent="id", **kwargs)


def test_a_survey_without_usable_answers_is_an_input_error():
    blank = pd.DataFrame({"a_functional": [None, "", 1], "a_dysfunctional": [None, "", None]})
    with pytest.raises(InputError, match="no usable answers"):
        kano.analyze(blank, bootstrap=0)
    one = _tiny_wide().assign(bar_dysfunctional=None)
    with pytest.raises(InputError, match="no usable answers for 1 feature.*'bar'") as err:
        kano.analyze(one, respondent="id", bootstrap=0)
    assert err.value.columns == ["bar"]
    with pytest.raises(InputError, match="after excluding 4 respondent"):
        kano.analyze(
            _tiny_wide().assign(wifi_dysfunctional=1, bar_dysfunctional=1),
            bootstrap=0,
            exclude_questionable=0,
            include_reverse_in_quality=True,
        )


def test_unknown_plot_kind_and_feature_are_input_errors():
    res = kano.analyze(_tiny_wide(), respondent="id", bootstrap=0)
    with pytest.raises(InputError, match="unknown plot kind"):
        res.plot("pie")
    with pytest.raises(InputError, match="unknown feature 'tv'"):
        res.plot("answer_pairs", feature="tv")


def test_labels_file(tmp_path):
    good = tmp_path / "labels.yaml"
    good.write_text("还行: 3\n'no way': '5'\n", encoding="utf-8")
    assert kano.read_labels(good) == {"还行": 3, "no way": 5}
    bad = tmp_path / "bad.yaml"
    bad.write_text("还行: 7\nok: three\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        kano.read_labels(bad)
    msg = str(err.value)
    assert str(bad) in msg and "'还行': maps to 7" in msg and "'ok': maps to 'three'" in msg
    unsafe = tmp_path / "unsafe.yaml"
    unsafe.write_text("x: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(InputError, match="the labels file may hold plain data only"):
        kano.read_labels(unsafe)
    broken = tmp_path / "broken.yaml"
    broken.write_text("还行: 3\n  like:2: [\n", encoding="utf-8")
    with pytest.raises(InputError, match="the labels file is not valid YAML"):
        kano.read_labels(broken)


def test_analyze_file_reads_labels_and_names_the_file(tmp_path):
    survey = tmp_path / "survey.csv"
    survey.write_text(
        "id,wifi_functional,wifi_dysfunctional\na,还行,I dislike it\nb,1,5\n", encoding="utf-8"
    )
    labels = tmp_path / "labels.yaml"
    labels.write_text("还行: 3\n", encoding="utf-8")
    res = kano.analyze_file(survey, labels=labels, respondent="id", bootstrap=0)
    assert res.summary()[["M", "O"]].values.tolist() == [[1, 1]]
    assert res.source == str(survey) and str(survey) in res.describe()
    with pytest.raises(InputError) as err:
        kano.analyze_file(survey, respondent="id", bootstrap=0)
    assert str(survey) in str(err.value) and "'还行' (1 row)" in str(err.value)
    with pytest.raises(InputError, match=f"^{survey}: segment column 'seg' not found"):
        kano.analyze_file(survey, labels={"还行": 3}, respondent="id", by="seg")
    with pytest.raises(InputError, match="^bootstrap must be"):  # checked before reading
        kano.analyze_file(tmp_path / "missing.csv", bootstrap=-5)


def test_evaluation_table_switch_checks_the_answers():
    r = kano.read_responses(_tiny_wide(), respondent="id")
    with pytest.raises(InputError, match="'short' table has no answer"):
        r.with_table("short")
    assert r.with_table("pouliot").table == "pouliot"


# --------------------------------------------------------------------------------------------
# the result: tables the lesson, the report and the CLI share
# --------------------------------------------------------------------------------------------


def test_summary_brief_describe_and_to_frame():
    res = kano.analyze(_tiny_wide(), respondent="id", bootstrap=0, exclude_questionable=0)
    assert list(res.summary().columns) == kano.SUMMARY_COLUMNS
    assert list(res.summary(brief=True).columns) == kano.BRIEF_COLUMNS
    seg = kano.analyze(_tiny_wide(), respondent="id", bootstrap=0, by="seg")
    assert list(seg.summary(brief=True).columns) == ["seg", *kano.BRIEF_COLUMNS]
    text = res.describe()
    assert "4 respondents, 2 features, table=standard" in text
    assert "excluded 1 respondent(s) with more than 0 questionable answer(s)" in text
    frame = res.to_frame()
    assert list(frame["respondent"]) == ["a", "b", "c", "d"]  # excluded ones included
    assert list(frame["seg"]) == ["x", "x", "y", "y"]
    assert frame.set_index("respondent").loc["a", "excluded"]
    assert frame["share_questionable"].tolist() == [0.5, 0.0, 0.0, 0.0]


def test_quality_summary_and_questionable_counts_by_hand():
    res = kano.analyze(_tiny_wide(), respondent="id", bootstrap=0, exclude_questionable=0)
    q = res.quality_summary()
    # 4 respondents x 2 features = 8 pairs; wifi of d is incomplete; a's bar pair (1,1) is Q,
    # d's bar pair (5,1) is R
    assert q.loc["pairs_asked", "count"] == 8 and q.loc["pairs_complete", "count"] == 7
    assert q.loc["pairs_questionable", ["count", "of"]].tolist() == [1, 7]
    assert q.loc["pairs_reverse", "share"] == pytest.approx(1 / 7)
    assert q.loc["excluded", "count"] == 1 and q.loc["analysed", "count"] == 3
    counts = res.questionable_counts()
    assert list(counts.index) == ["0", "1", "2", "3 or more"]
    assert counts["respondents"].tolist() == [3, 1, 0, 0]
    assert counts["excluded"].tolist() == [0, 1, 0, 0]
    assert counts["share"].sum() == pytest.approx(1.0)


def test_roadmap_orders_groups_and_importance():
    summary = pd.DataFrame(
        {
            "feature": ["i1", "a1", "m1", "m2", "u1", "o1", "r1"],
            "category": ["I", "A", "M", "M", "A", "O", "R"],
            "fong_significant": [True, True, True, True, False, True, True],
            "category_strength": 0.3,
            "better": [0.1, 0.8, 0.1, 0.2, 0.5, 0.9, 0.0],
            "worse": [-0.1, -0.1, -0.7, -0.9, -0.1, -0.8, -0.1],
            "importance_mean": [3.0, 5.0, 7.0, 8.0, 9.0, 6.0, 2.0],
        }
    )
    plan = kano.roadmap(summary)
    assert plan["feature"].tolist() == ["m2", "m1", "o1", "a1", "i1", "r1", "u1"]
    assert plan["priority"].tolist() == list(range(1, 8))
    assert plan["group"].tolist() == ["M", "M", "O", "A", "I", "R", "unclear"]
    assert plan["action"].iloc[-1] == kano.ACTIONS["unclear"] == "research further"
    # without importance: |Worse| orders the must-be group, Better the others
    plan = kano.roadmap(
        summary.drop(columns="importance_mean").assign(worse=[-0.1] * 2 + [-0.9, -0.7] + [-0.1] * 3)
    )
    assert plan["feature"].tolist()[:2] == ["m1", "m2"]
    seg = pd.concat([summary.assign(seg="x"), summary.assign(seg="y")])
    plan = kano.roadmap(seg, by="seg")
    assert plan.groupby("seg")["priority"].max().tolist() == [7, 7]


def test_compare_segments_verdicts():
    res = kano.analyze(_tiny_wide(), respondent="id", by="seg", bootstrap=0)
    cmp = res.compare_segments(order=["y"])
    assert list(cmp.columns[:2]) == ["y", "x"]
    assert list(cmp.index) == ["wifi", "bar"]
    # x: wifi O and A tie -> O (M > O > A > I); y: M
    assert cmp.loc["wifi", ["x", "y"]].tolist() == ["O", "M"]
    assert cmp.loc["wifi", "differs"] and not cmp.loc["wifi", "significant"]
    assert cmp.loc["wifi", "verdict"] == "categories differ, but not significantly"
    # two large segments that disagree: the verdict says so
    big = pd.DataFrame(
        {
            "seg": ["x"] * 100 + ["y"] * 100,
            "f_functional": [1] * 100 + [3] * 100,
            "f_dysfunctional": [3] * 100 + [3] * 100,
            "g_functional": [1] * 200,
            "g_dysfunctional": [5] * 200,
        }
    )
    cmp = kano.analyze(big, by="seg", bootstrap=0).compare_segments()
    assert cmp.loc["f", ["x", "y", "verdict"]].tolist() == ["A", "I", "category differs by segment"]
    assert cmp.loc["g", "verdict"] == "no significant difference" and np.isnan(cmp.loc["g", "chi2"])
    with pytest.raises(ValueError, match="segmented"):
        kano.analyze(_tiny_wide(), respondent="id", bootstrap=0).compare_segments()


def test_bootstrap_agrees_with_scipy_bootstrap_within_monte_carlo_error():
    from scipy import stats

    # one feature, 80 respondents: A, O, M, I and also R, Q and incomplete pairs, so that the
    # denominator A+O+M+I varies between resamples as it does in the library's multinomial draws
    pairs = [(1, 3)] * 20 + [(1, 5)] * 12 + [(2, 5)] * 14 + [(3, 3)] * 22 + [(5, 1)] * 5
    pairs += [(1, 1)] * 3 + [(1, None)] * 4
    survey = pd.DataFrame(pairs, columns=["f_functional", "f_dysfunctional"]).astype("Int64")
    reps = 4000
    s = kano.analyze(survey, bootstrap=reps, seed=11).summary().iloc[0]
    codes = kano.read_responses(survey).categories()[:, 0]

    def coefficient(which):
        def stat(x, axis=-1):
            A, O, M, I = ((x == kano.CATEGORIES.index(c)).sum(axis=axis) for c in "AOMI")
            return (A + O) / (A + O + M + I) if which == "better" else -(O + M) / (A + O + M + I)

        return stat

    for which in ("better", "worse"):
        ref = stats.bootstrap(
            (codes,),
            coefficient(which),
            vectorized=True,
            n_resamples=reps,
            method="percentile",
            confidence_level=0.95,
            rng=np.random.default_rng(12),
        ).confidence_interval
        # Monte Carlo standard error of a 2.5 % percentile from 4000 resamples is about 0.003
        # here (the coefficient's bootstrap SD is about 0.055); allow six of them
        assert s[f"{which}_ci_low"] == pytest.approx(ref.low, abs=0.02), which
        assert s[f"{which}_ci_high"] == pytest.approx(ref.high, abs=0.02), which


def test_plot_labels_from_the_data_are_not_parsed_as_maths():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    df = _tiny_wide().rename(columns=lambda c: c.replace("wifi", "$5 plan").replace("bar", "a$b"))
    res = kano.analyze(df, respondent="id", bootstrap=0)
    fig, axes = plt.subplots(1, 3)
    res.plot("better_worse", ax=axes[0])
    res.plot("categories", ax=axes[1])
    res.plot("answer_pairs", feature="$5 plan", ax=axes[2])
    fig.canvas.draw()  # a lone "$" would make mathtext raise here
    plt.close(fig)
