"""Committed sample data are exactly what the seeded generators write."""

import os

import pytest

from customer_value import datasets


@pytest.mark.parametrize("name", datasets.names())
def test_regeneration_is_byte_identical(name, tmp_path):
    written = datasets.build(tmp_path, [name])
    assert written[0].read_bytes() == datasets.path(name).read_bytes()


def test_load_from_any_working_directory(tmp_path):
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        df = datasets.load("kano_survey")
    finally:
        os.chdir(cwd)
    assert len(df) == 600 and df["respondent_id"].is_unique


def test_generator_is_seeded():
    a = datasets.kano_survey(50, seed=1)[0]
    b = datasets.kano_survey(50, seed=1)[0]
    c = datasets.kano_survey(50, seed=2)[0]
    assert a.equals(b) and not a.equals(c)


def test_careless_respondents_are_what_quality_flags():
    from customer_value import kano

    survey = datasets.load("kano_survey")
    truth = datasets.load("kano_respondents").set_index("respondent_id")["careless"]
    q = kano.analyze(survey, respondent="respondent_id", bootstrap=0).quality.set_index(
        "respondent"
    )
    flagged = q["n_questionable"] + q["n_reverse"] >= 3
    # careless answerers give many Q/R pairs; most attentive ones give few
    assert flagged[truth].mean() > 0.6
    assert flagged[~truth].mean() < 0.1


def test_readme_documents_every_file(root):
    text = (root / "datasets" / "README.md").read_text(encoding="utf-8")
    for ds in datasets.DATASETS.values():
        assert ds.filename in text, ds.filename
