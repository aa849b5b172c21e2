"""The customer-value command: real runs in subprocesses, as a user types them."""

import pandas as pd

from conftest import ROOT, cli, digest

MESSY = ROOT / "datasets" / "messy" / "kano_survey_zh_gbk.csv"
BAD = ROOT / "datasets" / "messy" / "kano_survey_bad_label.csv"


def test_help_on_every_subcommand():
    from customer_value.cli import build_parser

    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    commands = sorted(subparsers.choices)
    assert {
        "kano",
        "customers",
        "pyramid",
        "clv",
        "bonds",
        "profit-models",
        "experience-curve",
        "report",
        "exercises",
        "datasets",
        "notebooks",
    } <= set(commands)
    for sub in commands:
        r = cli(sub, "--help")
        assert r.returncode == 0 and "usage: customer-value" in r.stdout, sub


def test_kano_on_a_messy_gbk_chinese_export(tmp_path):
    before = digest(MESSY)
    out = tmp_path / "results.csv"
    r = cli(
        "kano",
        MESSY,
        "--respondent",
        "问卷编号",
        "--by",
        "年龄段",
        "--bootstrap",
        "100",
        "--out",
        out,
        cwd=tmp_path,
        fresh=True,  # as a user types it: a new process, its own warnings
    )
    assert r.returncode == 0, r.stderr
    assert "Warning" not in r.stderr, r.stderr
    assert "600 respondents, 12 features" in r.stdout
    res = pd.read_csv(out)
    required = [
        "feature",
        "n",
        "A",
        "O",
        "M",
        "I",
        "R",
        "Q",
        "share_A",
        "share_Q",
        "category",
        "category_oam",
        "category_strength",
        "total_strength",
        "fong_significant",
        "better",
        "worse",
        "better_ci_low",
        "better_ci_high",
        "worse_ci_low",
        "worse_ci_high",
        "functional_mean",
        "dysfunctional_mean",
        "importance_mean",
        "年龄段",
    ]
    assert set(required) <= set(res.columns)
    voice = res[res.feature == "voice_assistant"].set_index("年龄段")["category"]
    assert voice.to_dict() == {"18-34": "A", "35-54": "I", "55+": "R"}
    # one unit per table: shares and strengths are fractions, no percent columns
    assert not [c for c in res.columns if c.startswith("pct_")]
    shares = res[[f"share_{c}" for c in "AOMIRQ"]]
    assert (shares.sum(axis=1) - 1).abs().max() < 1e-9
    assert res["category_strength"].between(0, 1).all()
    assert digest(MESSY) == before


def test_unknown_label_is_a_clear_error_without_traceback(tmp_path):
    out = tmp_path / "r.csv"
    r = cli("kano", BAD, "--respondent", "respondent_id", "--out", out)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert str(BAD) in r.stderr and "'还行' (2 rows)" in r.stderr and "'6' (1 row)" in r.stderr
    assert "face_id_login_functional" in r.stderr and "line 5" in r.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_labels_file_maps_a_new_wording(tmp_path):
    labels = tmp_path / "labels.yaml"
    labels.write_text("还行: 3\n", encoding="utf-8")
    r = cli("kano", BAD, "--labels", labels, "--bootstrap", "0", "--table", "standard")
    assert r.returncode == 2 and "'6'" in r.stderr and "还行" not in r.stderr


def test_existing_output_needs_force(tmp_path):
    out = tmp_path / "r.csv"
    out.write_text("keep me")
    survey = ROOT / "datasets" / "kano_survey.csv"
    r = cli("kano", survey, "--bootstrap", "0", "--out", out)
    assert r.returncode == 2 and "--force" in r.stderr and out.read_text() == "keep me"
    r = cli("kano", survey, "--bootstrap", "0", "--out", out, "--force")
    assert r.returncode == 0 and "feature" in out.read_text()


def test_missing_file_and_empty_file(tmp_path):
    r = cli("kano", tmp_path / "nope.csv")
    assert r.returncode == 2 and "not found" in r.stderr
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    r = cli("kano", empty)
    assert r.returncode == 2 and "empty" in r.stderr and "Traceback" not in r.stderr


def test_datasets_and_exercises_are_up_to_date():
    r = cli("datasets", "check")
    assert r.returncode == 0, r.stderr
    r = cli("exercises", "check")
    assert r.returncode == 0, r.stderr


def test_report_rejects_unknown_parameters_and_lists_valid_ones(tmp_path):
    r = cli("report", "kano_report", "-p", "survy", "x.csv", "--out", tmp_path / "o")
    assert r.returncode == 2
    assert "survy" in r.stderr and "survey" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_report_missing_survey_file(tmp_path):
    r = cli("report", "kano_report", "-p", "survey", "missing.csv", "--out", "o", cwd=tmp_path)
    assert r.returncode == 2 and "missing.csv" in r.stderr


def _kano_error(r):
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    lines = [line for line in r.stderr.splitlines() if "error:" in line]
    assert len(lines) == 1, r.stderr
    return r.stderr


def test_kano_negative_counts_are_argument_errors():
    survey = ROOT / "datasets" / "kano_survey.csv"
    err = _kano_error(cli("kano", survey, "--bootstrap", "-1"))
    assert "--bootstrap" in err and "must be 0 or more" in err
    err = _kano_error(cli("kano", survey, "--exclude-questionable", "-2"))
    assert "--exclude-questionable" in err


def test_kano_survey_without_usable_answers(tmp_path):
    blank = tmp_path / "blank.csv"
    blank.write_text("id,a_functional,a_dysfunctional\nr1,,\nr2,1,\n", encoding="utf-8")
    err = _kano_error(cli("kano", blank, "--respondent", "id", "--out", tmp_path / "o.csv"))
    assert "no usable answers" in err and str(blank) in err
    assert not (tmp_path / "o.csv").exists()


def test_kano_labels_file_errors_are_clear(tmp_path):
    malformed = tmp_path / "labels.yaml"
    malformed.write_text("还行: 3\n  bad: [\n", encoding="utf-8")
    err = _kano_error(cli("kano", BAD, "--labels", malformed))
    assert "the labels file is not valid YAML" in err and str(malformed) in err
    unsafe = tmp_path / "unsafe.yaml"
    unsafe.write_text("还行: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    r = cli("kano", BAD, "--labels", unsafe)
    err = _kano_error(r)
    assert "plain data only" in err and "pwned" not in r.stdout
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("还行: 9\n", encoding="utf-8")
    err = _kano_error(cli("kano", BAD, "--labels", wrong))
    assert "'还行': maps to 9" in err and str(wrong) in err


def test_kano_csv_neutralises_formulas_unless_asked_not_to(tmp_path):
    survey = tmp_path / "survey.csv"
    survey.write_text(
        "=HYPERLINK(1)_functional,=HYPERLINK(1)_dysfunctional\n1,5\n1,5\n2,5\n",
        encoding="utf-8",
    )
    safe, raw = tmp_path / "safe.csv", tmp_path / "raw.csv"
    r = cli("kano", survey, "--bootstrap", "0", "--out", safe)
    assert r.returncode == 0, r.stderr
    assert pd.read_csv(safe)["feature"].tolist() == ["'=HYPERLINK(1)"]
    r = cli("kano", survey, "--bootstrap", "0", "--out", raw, "--no-safe-csv")
    assert r.returncode == 0, r.stderr
    assert pd.read_csv(raw)["feature"].tolist() == ["=HYPERLINK(1)"]
    assert "--no-safe-csv" in cli("kano", "--help").stdout


def test_kano_never_overwrites_its_input(tmp_path):
    survey = tmp_path / "survey.csv"
    survey.write_bytes((ROOT / "datasets" / "kano_survey.csv").read_bytes())
    before = digest(survey)
    err = _kano_error(cli("kano", survey, "--bootstrap", "0", "--out", survey, "--force"))
    assert "survey file" in err or "input" in err
    assert digest(survey) == before
