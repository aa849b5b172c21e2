"""`customer-value bonds`: real runs in subprocesses, as a user types them."""

import pandas as pd
import pytest

from conftest import ROOT, cli, digest

SURVEY = ROOT / "datasets" / "bond_survey.csv"
SCALES = ROOT / "datasets" / "bond_scales.yaml"


def test_help():
    r = cli("bonds", "--help")
    assert r.returncode == 0 and "usage: customer-value bonds" in r.stdout
    assert "--scales" in r.stdout and "--threshold" in r.stdout


def test_bonds_on_the_sample_survey_writes_the_library_scores(tmp_path):
    from customer_value import relationship

    before = digest(SURVEY)
    out = tmp_path / "scores.csv"
    r = cli("bonds", SURVEY, "--scales", SCALES, "--respondent", "respondent_id", "--out", out)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert "600 respondents, 13 items on 1..7" in r.stdout
    assert "reverse-coded: soc4_r" in r.stdout
    assert "every item loads most on its own scale's factor" in r.stdout
    for level in ("none", "financial", "social", "structural"):
        assert level in r.stdout
    got = pd.read_csv(out)
    assert list(got.columns) == ["respondent_id", "financial", "social", "structural", "level"]
    want = relationship.score_bonds(pd.read_csv(SURVEY), SCALES, respondent="respondent_id").scores
    assert (got["respondent_id"] == want.index).all()
    for c in ("financial", "social", "structural"):
        assert got[c].to_numpy() == pytest.approx(want[c].to_numpy(), abs=1e-5)
    assert (got["level"] == want["level"].astype(str).to_numpy()).all()
    # the alpha printed is the library's
    alpha = relationship.score_bonds(pd.read_csv(SURVEY), SCALES).reliability()
    assert f"{alpha.loc[2, 'alpha']:.3f}" in r.stdout
    assert digest(SURVEY) == before


def test_gbk_export_with_chinese_headers_and_line_numbers(tmp_path):
    src = pd.read_csv(SURVEY).head(120)
    zh = {
        "fin1": "财务1",
        "fin2": "财务2",
        "fin3": "财务3",
        "soc1": "社交1",
        "soc2": "社交2",
        "soc4_r": "社交4反",
        "str1": "结构1",
        "str2": "结构2",
        "str3": "结构3",
    }
    messy = src[list(zh)].rename(columns=zh)
    f = tmp_path / "问卷.csv"
    messy.to_csv(f, index=False, encoding="gbk", lineterminator="\r\n")
    y = tmp_path / "量表.yaml"
    y.write_text(
        "financial: [财务1, 财务2, 财务3]\nsocial: [社交1, 社交2, 社交4反]\n"
        "structural: [结构1, 结构2, 结构3]\nreverse: [社交4反]\nscale: [1, 7]\n",
        encoding="utf-8",
    )
    out = tmp_path / "scores.csv"
    r = cli("bonds", f, "--scales", y, "--out", out, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    got = pd.read_csv(out)
    assert got["line"].tolist() == list(range(2, 122))  # header is line 1
    s = src.loc[0]
    assert got.loc[0, "social"] == pytest.approx((s["soc1"] + s["soc2"] + 8 - s["soc4_r"]) / 3)


def test_out_of_range_answer_is_a_clear_error_without_traceback(tmp_path):
    bad = pd.read_csv(SURVEY).head(50)
    bad["str3"] = bad["str3"].astype("Int64").astype(str).replace("<NA>", "")
    bad.loc[6, "str3"] = "8"
    f = tmp_path / "bad.csv"
    bad.to_csv(f, index=False)
    out = tmp_path / "scores.csv"
    r = cli("bonds", f, "--scales", SCALES, "--out", out)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert str(f) in r.stderr and "column 'str3': '8' (1 row)" in r.stderr
    assert "line 8" in r.stderr and "whole numbers from 1 to 7" in r.stderr
    assert not out.exists()


def test_item_in_two_scales_names_the_yaml_file(tmp_path):
    y = tmp_path / "scales.yaml"
    y.write_text("financial: [fin1, fin2, soc1]\nsocial: [soc1, soc2]\n", encoding="utf-8")
    r = cli("bonds", SURVEY, "--scales", y)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert str(y) in r.stderr and "'soc1' is listed in both 'financial' and 'social'" in r.stderr


def test_existing_output_is_kept_unless_force(tmp_path):
    out = tmp_path / "scores.csv"
    out.write_text("keep me\n", encoding="utf-8")
    r = cli("bonds", SURVEY, "--scales", SCALES, "--out", out)
    assert r.returncode == 2 and "--force" in r.stderr
    assert out.read_text(encoding="utf-8") == "keep me\n"
    r = cli("bonds", SURVEY, "--scales", SCALES, "--out", out, "--force")
    assert r.returncode == 0 and pd.read_csv(out).shape == (600, 5)


def test_small_file_skips_the_factor_check_but_scores(tmp_path):
    f = tmp_path / "small.csv"
    pd.read_csv(SURVEY).head(8).to_csv(f, index=False)
    r = cli("bonds", f, "--scales", SCALES, "--respondent", "respondent_id")
    assert r.returncode == 0, r.stderr
    assert "skipped:" in r.stdout and "8 respondents" in r.stdout


def test_help_documents_the_safe_csv_switch():
    r = cli("bonds", "--help")
    assert "--no-safe-csv" in r.stdout and "formula" in r.stdout


def test_out_neutralises_spreadsheet_formulas_unless_asked_not_to(tmp_path):
    src = pd.read_csv(SURVEY).head(30)
    src.loc[0, "respondent_id"] = '=HYPERLINK("http://x")'
    f = tmp_path / "survey.csv"
    src.to_csv(f, index=False)
    safe, raw = tmp_path / "safe.csv", tmp_path / "raw.csv"
    assert (
        cli(
            "bonds", f, "--scales", SCALES, "--respondent", "respondent_id", "--out", safe
        ).returncode
        == 0
    )
    r = cli(
        "bonds",
        f,
        "--scales",
        SCALES,
        "--respondent",
        "respondent_id",
        "--out",
        raw,
        "--no-safe-csv",
    )
    assert r.returncode == 0, r.stderr
    assert pd.read_csv(safe)["respondent_id"][0] == '\'=HYPERLINK("http://x")'
    assert pd.read_csv(raw)["respondent_id"][0] == '=HYPERLINK("http://x")'


def test_the_survey_is_never_overwritten_even_with_force(tmp_path):
    f = tmp_path / "survey.csv"
    f.write_bytes(SURVEY.read_bytes())
    before = digest(f)
    r = cli("bonds", f, "--scales", SCALES, "--out", f, "--force")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "input file" in r.stderr and digest(f) == before


def test_a_survey_without_usable_answers_is_refused(tmp_path):
    f = tmp_path / "blank.csv"
    blank = pd.read_csv(SURVEY).head(5)[["respondent_id", "fin1", "fin2", "soc1"]]
    blank[["fin1", "fin2", "soc1"]] = None
    blank.to_csv(f, index=False)
    y = tmp_path / "scales.yaml"
    y.write_text("financial: [fin1, fin2]\nsocial: [soc1]\n", encoding="utf-8")
    r = cli("bonds", f, "--scales", y, "--respondent", "respondent_id")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "no usable answers" in r.stderr and str(f) in r.stderr


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("financial: [fin1, fin2\nsocial: [soc1]\n", "not valid YAML (line"),
        ("financial: !!python/object/apply:os.system ['echo hi']\n", "plain data only"),
    ],
)
def test_a_broken_or_unsafe_scales_file_is_one_clear_error(tmp_path, text, fragment):
    y = tmp_path / "scales.yaml"
    y.write_text(text, encoding="utf-8")
    r = cli("bonds", SURVEY, "--scales", y)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert fragment in r.stderr and str(y) in r.stderr and "echo hi" not in r.stdout
