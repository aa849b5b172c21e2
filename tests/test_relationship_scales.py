"""Bond scales as a user meets them: the scales file, one error per input, the tables a lesson,
the report and the CLI share (level distribution, threshold sensitivity, segments, items to
review, the export table)."""

import numpy as np
import pandas as pd
import pytest

from customer_value import datasets
from customer_value import relationship as rel
from customer_value.io import InputError, read_table


@pytest.fixture(scope="module")
def bonds():
    return rel.score_bonds(
        datasets.load("bond_survey"), datasets.path("bond_scales"), respondent="respondent_id"
    )


# --- the scales file ------------------------------------------------------------------------


def test_malformed_yaml_names_line_and_column(tmp_path):
    p = tmp_path / "scales.yaml"
    p.write_text("financial: [fin1, fin2\nsocial: [soc1]\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        rel.read_scales(p)
    msg = str(err.value)
    assert str(p) in msg and "the scales file is not valid YAML" in msg and "line " in msg
    assert "column " in msg


def test_python_tags_are_refused_as_unsafe(tmp_path):
    p = tmp_path / "scales.yaml"
    p.write_text("financial: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        rel.read_scales(p)
    assert "plain data only" in str(err.value) and "!!python" in str(err.value)


def test_every_problem_of_the_scales_is_reported_at_once():
    with pytest.raises(InputError) as err:
        rel.read_scales(
            {"finacial": ["a"], "social": ["b", "b"], "reverse": ["z"], "scale": [7, 1]}
        )
    msg = str(err.value)
    for fragment in ("unknown key(s) ['finacial']", "twice in 'social'", "['z'] are in no scale"):
        assert fragment in msg
    assert "'scale' must be [min, max]" in msg


def test_a_scales_argument_of_the_wrong_type_is_a_programming_error():
    with pytest.raises(TypeError):
        rel.read_scales(42)
    with pytest.raises(TypeError):
        rel.score_bonds([[1, 2]], {"financial": ["a"]})


# --- scoring errors -------------------------------------------------------------------------


def test_a_survey_without_usable_answers_is_an_input_error(tmp_path):
    p = tmp_path / "blank.csv"
    p.write_text("id,f1,f2\na,,\nb,,\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        rel.score_bonds(read_table(p), {"financial": ["f1", "f2"]}, respondent="id")
    assert "no usable answers" in str(err.value) and str(p) in str(err.value)


def test_threshold_must_lie_on_the_answer_scale():
    survey = pd.DataFrame({"f1": [1, 2], "f2": [2, 3]})
    with pytest.raises(InputError, match=r"threshold must be in \[1, 7\]; got 9"):
        rel.score_bonds(survey, {"financial": ["f1", "f2"]}, threshold=9)


def test_duplicated_ids_show_the_values_and_lines(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("id,f1,f2\na,1,2\nb,2,3\na,3,3\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        rel.score_bonds(read_table(p), {"financial": ["f1", "f2"]}, respondent="id")
    msg = str(err.value)
    assert "duplicated IDs (2 rows)" in msg and "'a' (2 rows)" in msg
    assert "line 2" in msg and "line 4" in msg


# --- the shared tables ------------------------------------------------------------------------


def test_level_distribution_counts_every_respondent(bonds):
    d = bonds.level_distribution()
    assert d["level"].tolist() == ["none", "financial", "social", "structural"]
    assert d["name_zh"].tolist() == ["无", "财务层次", "社交层次", "结构层次"]
    assert d["respondents"].sum() == 600 and d["share"].sum() == pytest.approx(1)
    want = bonds.scores["level"].astype(str).value_counts()
    assert (d.set_index("level")["respondents"] == want.reindex(d["level"])).all()
    # another threshold: the same as scoring with it
    again = rel.relationship_level(bonds.scores, 5.5).astype(str).value_counts(normalize=True)
    assert bonds.level_distribution(5.5).set_index("level")["share"].to_dict() == pytest.approx(
        again.reindex(d["level"], fill_value=0).to_dict()
    )


def test_levels_only_of_the_scales_that_were_measured():
    survey = pd.DataFrame({"f1": [6, 2, 5], "f2": [6, 3, 5], "s1": [2, 6, 3], "s2": [1, 6, 2]})
    b = rel.score_bonds(survey, {"financial": ["f1", "f2"], "social": ["s1", "s2"]})
    assert b.level_distribution()["level"].tolist() == ["none", "financial", "social"]
    assert b.level_sensitivity([4, 6]).index.tolist() == ["none", "financial", "social"]


def test_level_sensitivity_has_one_column_per_threshold(bonds):
    sens = bonds.level_sensitivity([4.5, 5.0, 5.5])
    assert sens.columns.tolist() == [4.5, 5.0, 5.5] and sens.columns.name == "threshold"
    assert np.allclose(sens.sum(), 1)
    assert sens.loc["none"].is_monotonic_increasing  # a higher bar leaves more without a level
    assert sens[5.0].to_numpy() == pytest.approx(bonds.level_distribution()["share"].to_numpy())


def test_levels_by_segment_against_a_crosstab(bonds):
    seg = bonds.levels_by("segment")
    survey = bonds.data
    want = pd.crosstab(survey["segment"], bonds.scores["level"].astype(str).to_numpy())
    assert seg.index.name == "segment" and seg.index.tolist() == ["private", "retail", "sme"]
    assert (seg["respondents"] == want.sum(axis=1)).all()
    shares = seg.drop(columns="respondents")
    assert np.allclose(shares.sum(axis=1), 1)
    assert shares.loc["sme", "structural"] == pytest.approx(
        want.loc["sme", "structural"] / want.loc["sme"].sum()
    )
    with pytest.raises(InputError, match="segment column 'region' not in the survey"):
        bonds.levels_by("region")


def test_a_missing_segment_is_its_own_group():
    survey = pd.DataFrame({"seg": ["a", None, "a"], "f1": [6, 2, 5], "f2": [6, 3, 5]})
    b = rel.score_bonds(survey, {"financial": ["f1", "f2"]})
    assert b.levels_by("seg")["respondents"].to_dict() == {"(missing)": 1, "a": 2}


def test_item_stats_flag_the_items_to_review(bonds):
    st = bonds.item_stats().set_index("item")
    alpha = bonds.reliability().set_index("scale")["alpha"]
    assert (st["scale_alpha"] == st["scale"].map(alpha)).all()
    assert not st["weak"].any()
    wrong = rel.score_bonds(bonds.data, {k: v for k, v in bonds.scales.items.items()})
    w = wrong.item_stats().set_index("item")
    assert w.loc["soc4_r", "weak"] and w.loc["soc4_r", "raises_alpha"]
    assert w["weak"].sum() == 1


def test_export_table_names_the_file_line_without_a_respondent_column(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("f1,f2\n1,2\n\n6,7\n", encoding="utf-8")  # a blank line is skipped
    out = rel.score_bonds(read_table(p), {"financial": ["f1", "f2"]}).to_frame()
    assert out.columns.tolist() == ["line", "financial", "level"]
    assert out["line"].tolist() == [2, 4]
    frame = pd.DataFrame({"f1": [1, 6], "f2": [2, 7]}, index=[10, 11])
    assert rel.score_bonds(frame, {"financial": ["f1", "f2"]}).to_frame()["row"].tolist() == [
        10,
        11,
    ]


def test_export_table_with_respondents(bonds):
    out = bonds.to_frame()
    assert out.columns.tolist() == ["respondent_id", "financial", "social", "structural", "level"]
    assert out["respondent_id"].tolist() == bonds.scores.index.tolist()


def test_analyze_survey_skips_the_factor_check_of_a_small_file(tmp_path):
    p = tmp_path / "small.csv"
    datasets.load("bond_survey").head(8).to_csv(p, index=False)
    res = rel.analyze_survey(p, datasets.path("bond_scales"), respondent="respondent_id")
    assert res.factors is None and "only" in res.factors_note
    assert len(res.bonds.scores) == 8 and res.summary().equals(res.bonds.reliability())


def test_analyze_survey_errors_name_the_survey_file(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("fin1,fin2\n1,9\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        rel.analyze_survey(p, {"financial": ["fin1", "fin2"]})
    assert str(err.value).startswith(str(p)) and "'9' (1 row)" in str(err.value)


def test_bond_plot_draws_the_level_distribution(bonds):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    assert bonds.plot(ax=ax) is ax
    heights = [b.get_height() for b in ax.patches]
    assert heights == pytest.approx(100 * bonds.level_distribution()["share"].to_numpy())
    assert ax.get_title() == "Relationship level (threshold 5)"
    plt.close(fig)
