"""`customer-value profit-models` and `customer-value experience-curve`, run as a user types them.

Expected numbers are derived by hand in the comments (exact power laws, a three-point OLS slope
in closed form), never copied from the command's output.
"""

import math
import re

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT
from conftest import cli as _cli

PV = ROOT / "datasets" / "pv_modules_experience_curve.csv"


def cli(*args, cwd=None):
    return _cli(*args, cwd=cwd, env={"COLUMNS": "110"})


def figure(text, label):
    """The number printed after ``label =`` in the command's output."""
    m = re.search(rf"(?:^|[ ,]){re.escape(label)} = (-?[0-9.]+)(%?)", text, flags=re.MULTILINE)
    assert m, f"{label!r} not in output:\n{text}"
    return float(m.group(1)) / (100 if m.group(2) else 1)


def test_help():
    for sub in ["profit-models", "experience-curve"]:
        r = cli(sub, "--help")
        assert r.returncode == 0 and "usage: customer-value" in r.stdout, sub
    text = cli("experience-curve", "--help").stdout
    assert "Wright" in text and "--no-safe-csv" in text and "formula" in text


# ============================================================================================
# profit-models
# ============================================================================================


def test_catalogue_lists_the_22_models_in_order():
    r = cli("profit-models")
    assert r.returncode == 0, r.stderr
    rows = [line for line in r.stdout.splitlines() if re.match(r"^\s?\d{1,2}  ", line)]
    assert [int(line.split()[0]) for line in rows] == list(range(1, 23))
    assert "experience curve" in rows[20] and "经验曲线模型" in rows[20]
    assert "low-cost business design" in rows[21] and "低成本企业设计模型" in rows[21]
    assert "Unit cost falls by a constant percentage" in rows[20]
    assert all(len(line) <= 110 for line in rows)  # one line per model
    r = cli("profit-models", "--appendix")
    assert "23  digital profit" in r.stdout


def test_catalogue_in_chinese():
    r = cli("profit-models", "--lang", "zh")
    assert r.returncode == 0, r.stderr
    assert "22种利润模型" in r.stdout and "机制" in r.stdout
    line = next(line for line in r.stdout.splitlines() if line.startswith("21  "))
    assert "经验曲线模型" in line and "experience curve" in line and "累计产量每翻一番" in line


@pytest.mark.parametrize(
    "key", ["21", "experience curve", "Experience-Curve", "经验曲线模型", "经验曲线"]
)
def test_card_by_number_english_or_chinese_name(key):
    r = cli("profit-models", key)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("#21 Experience curve · 经验曲线模型")
    for label in [
        "Mechanism:",
        "Profit concentrates:",
        "Examples:",
        "Signals:",
        "Related models:",
        "Compute:",
        "Source:",
    ]:
        assert label in out, label
    assert "fit_experience_curve()" in out and "experience_curve()" in out
    assert "#22 low-cost business design" in out


def test_card_in_chinese():
    r = cli("profit-models", "--lang", "zh", "大额交易模型")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("#15 大额交易模型 · transaction scale")
    assert "机制：" in r.stdout and "transaction_scale()" in r.stdout


def test_unknown_model_is_a_clear_error_with_close_matches():
    r = cli("profit-models", "experiance curve")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert "unknown profit model 'experiance curve'" in r.stderr
    assert "did you mean 'experience curve'" in r.stderr
    r = cli("profit-models", "30")
    assert r.returncode == 2 and "no profit model number 30" in r.stderr
    assert "Traceback" not in r.stderr


# ============================================================================================
# experience-curve: hand-checked fits
# ============================================================================================


def write(tmp_path, df, name="curve.csv"):
    p = tmp_path / name
    df.to_csv(p, index=False)
    return p


def test_exact_power_law_recovers_b(tmp_path):
    # cost = 50·N^b with b = log2(0.85): every doubling multiplies cost by 0.85 exactly
    b = math.log2(0.85)
    N = 2.0 ** np.arange(7)
    p = write(tmp_path, pd.DataFrame({"units": N, "unit_cost": 50 * N**b}))
    out = tmp_path / "fit.csv"
    r = cli(
        "experience-curve",
        p,
        "--cost",
        "unit_cost",
        "--cumulative",
        "units",
        "--includes-current",
        "--forecast",
        128,
        "--out",
        out,
    )
    assert r.returncode == 0, r.stderr
    assert figure(r.stdout, "b") == pytest.approx(b, abs=5e-5)
    assert figure(r.stdout, "progress ratio") == pytest.approx(0.85, abs=5e-4)
    assert figure(r.stdout, "learning rate") == pytest.approx(0.15, abs=5e-4)
    assert figure(r.stdout, "R²") == pytest.approx(1.0, abs=1e-4)
    assert figure(r.stdout, "n") == 7
    assert "including the current period ('units' as given)" in r.stdout
    fit = pd.read_csv(out).set_index("parameter")
    assert fit.loc["b", "estimate"] == pytest.approx(b, abs=1e-10)
    assert fit.loc["progress_ratio", "estimate"] == pytest.approx(0.85, abs=1e-10)
    assert fit.loc["learning_rate", "estimate"] == pytest.approx(0.15, abs=1e-10)
    # one doubling past N = 64: 50·128^b = 50·0.85^7
    assert fit.loc["cost at cumulative 128", "estimate"] == pytest.approx(50 * 0.85**7, rel=1e-9)
    assert (fit["cumulative_basis"] == "including").all()
    assert (fit["confidence"] == 0.95).all()


def test_three_point_slope_by_hand(tmp_path):
    # x = ln N = 0, ln 2, 2 ln 2 (mean ln 2); OLS slope = Σ(x − x̄)y / Σ(x − x̄)²
    #   = (ln 70 − ln 100)·ln 2 / (2·(ln 2)²) = log2(0.7) / 2, so PR = 2^b = √0.7
    p = write(tmp_path, pd.DataFrame({"cost": [100, 80, 70], "cum": [1, 2, 4]}))
    out = tmp_path / "fit.csv"
    r = cli("experience-curve", p, "--cost", "cost", "--cumulative", "cum", "--out", out)
    assert r.returncode == 0, r.stderr
    fit = pd.read_csv(out).set_index("parameter")["estimate"]
    assert fit["b"] == pytest.approx(math.log2(0.7) / 2, rel=1e-12)
    assert fit["progress_ratio"] == pytest.approx(math.sqrt(0.7), rel=1e-12)
    # intercept: ȳ − b·x̄ = (ln 100 + ln 80 + ln 70)/3 − b·ln 2
    a = (math.log(100) + math.log(80) + math.log(70)) / 3 - math.log2(0.7) / 2 * math.log(2)
    assert fit["a"] == pytest.approx(a, rel=1e-12)
    assert "before the current period ('cum' as given)" in r.stdout


def test_before_or_including_the_current_period(tmp_path):
    # production 1, 1, 2, 4, 8, 16 after 1 unit made earlier: before = 1, 2, 3, 5, 9, 17 and
    # including = before + production = 2, 3, 5, 9, 17, 33; cost is an exact 80% curve on
    # the INCLUDING count, so --volume (which forms it) recovers PR = 0.8 and the before count
    # does not
    before = np.array([1, 2, 3, 5, 9, 17.0])
    made = np.array([1, 1, 2, 4, 8, 16.0])
    cost = 100 * (before + made) ** math.log2(0.8)
    p = write(tmp_path, pd.DataFrame({"cost": cost, "before": before, "made": made}))
    r = cli("experience-curve", p, "--cost", "cost", "--cumulative", "before", "--volume", "made")
    assert r.returncode == 0, r.stderr
    assert figure(r.stdout, "progress ratio") == pytest.approx(0.8, abs=5e-4)
    assert "including the current period ('before' + 'made')" in r.stdout
    r = cli("experience-curve", p, "--cost", "cost", "--cumulative", "before")
    assert r.returncode == 0, r.stderr
    assert "before the current period" in r.stdout
    assert abs(figure(r.stdout, "progress ratio") - 0.8) > 0.005


def test_pv_series_both_counts(tmp_path):
    before = cli(
        "experience-curve",
        PV,
        "--cost",
        "price_usd_per_wp",
        "--cumulative",
        "cumulative_before_mwp",
    )
    including = cli(
        "experience-curve",
        PV,
        "--cost",
        "price_usd_per_wp",
        "--cumulative",
        "cumulative_including_mwp",
        "--includes-current",
    )
    assert before.returncode == 0 and including.returncode == 0
    for r in (before, including):
        assert figure(r.stdout, "n") == 28
        assert 0.75 < figure(r.stdout, "progress ratio") < 0.9  # Swanson's law: ~0.8
    assert figure(before.stdout, "b") != figure(including.stdout, "b")


def test_chinese_gbk_excel_and_parquet_inputs(tmp_path):
    N = np.array([10, 20, 40, 80.0])
    df = pd.DataFrame(
        {
            "年份": [2020, 2021, 2022, 2023],
            "单位成本": 9 * (N / 10) ** math.log2(0.9),
            "累计产量": N,
        }
    )
    gbk = tmp_path / "曲线.csv"
    df.to_csv(gbk, index=False, encoding="gbk")
    xlsx = tmp_path / "curve.xlsx"
    df.to_excel(xlsx, index=False)
    parquet = tmp_path / "curve.parquet"
    df.to_parquet(parquet)
    for p in (gbk, xlsx, parquet):
        r = cli(
            "experience-curve",
            p,
            "--cost",
            "单位成本",
            "--cumulative",
            "累计产量",
            "--includes-current",
        )
        assert r.returncode == 0, (p, r.stderr)
        assert figure(r.stdout, "progress ratio") == pytest.approx(0.9, abs=5e-4), p


# ============================================================================================
# experience-curve: errors exit 2 without traceback
# ============================================================================================


@pytest.mark.parametrize(
    "rows, message",
    [
        (
            "1,10,1\n2,abc,2\n3,6,4\n4,5,8\n",
            ["column 'cost' has missing or non-numeric", "line 3: cost='abc'"],
        ),
        (
            "1,10,1\n2,8,2\n3,0,4\n4,-5,8\n",
            ["column 'cost' must be > 0", "line 4: cost='0'", "line 5: cost='-5'"],
        ),
        ("1,10,1\n2,8,0\n3,6,4\n4,5,8\n", ["column 'cum' must be > 0", "line 3: cum='0'"]),
        ("1,10,1\n2,8,\n3,6,4\n4,5,8\n", ["column 'cum' has missing or non-numeric", "line 3"]),
    ],
)
def test_bad_values_name_the_rows(tmp_path, rows, message):
    p = tmp_path / "bad.csv"
    p.write_text("year,cost,cum\n" + rows, encoding="utf-8")
    out = tmp_path / "fit.csv"
    r = cli("experience-curve", p, "--cost", "cost", "--cumulative", "cum", "--out", out)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert str(p) in r.stderr
    for m in message:
        assert m in r.stderr, (m, r.stderr)
    assert not out.exists()


def test_argument_errors(tmp_path):
    p = write(tmp_path, pd.DataFrame({"cost": [10, 8, 6.4], "cum": [1, 2, 4], "made": [1, 1, 2]}))
    cases = [
        (["--cost", "price", "--cumulative", "cum"], "cost='price'"),
        (
            ["--cost", "cost", "--cumulative", "cum", "--volume", "made", "--includes-current"],
            "not allowed with argument --volume",
        ),
        (["--cost", "cost", "--cumulative", "cum", "--level", "95"], "--level: must be between"),
        (["--cost", "cost", "--cumulative", "cum", "--level", "1"], "--level: must be between"),
        (["--cost", "cost", "--cumulative", "cum", "--forecast", "-3"], "--forecast: must be"),
        (["--cost", "cost", "--cumulative", "cum", "--forecast", "nan"], "--forecast"),
        (["--cost", "cost", "--cumulative", "cum", "--forecast", "x"], "--forecast"),
    ]
    for extra, message in cases:
        r = cli("experience-curve", p, *extra)
        assert r.returncode == 2, extra
        assert message in r.stderr and "Traceback" not in r.stderr, (extra, r.stderr)
    r = cli("experience-curve", tmp_path / "missing.csv", "--cost", "c", "--cumulative", "n")
    assert r.returncode == 2 and "file not found" in r.stderr


def test_existing_output_is_kept_without_force(tmp_path):
    p = write(tmp_path, pd.DataFrame({"cost": [10, 8, 6.4], "cum": [1, 2, 4]}))
    out = tmp_path / "fit.csv"
    out.write_text("keep me", encoding="utf-8")
    r = cli("experience-curve", p, "--cost", "cost", "--cumulative", "cum", "--out", out)
    assert r.returncode == 2 and "--force" in r.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    r = cli("experience-curve", p, "--cost", "cost", "--cumulative", "cum", "--out", out, "--force")
    assert r.returncode == 0, r.stderr
    assert pd.read_csv(out).loc[0, "estimate"] == pytest.approx(math.log2(0.8))


def test_out_neutralises_spreadsheet_formulas_unless_asked_not_to(tmp_path):
    # a column name that Excel would run as a formula ends up in the export (cost_column)
    col = '=HYPERLINK("http://x")'
    p = write(tmp_path, pd.DataFrame({col: [10, 8, 6.4], "cum": [1, 2, 4]}))
    out = tmp_path / "fit.csv"
    r = cli("experience-curve", p, "--cost", col, "--cumulative", "cum", "--out", out)
    assert r.returncode == 0, r.stderr
    assert (pd.read_csv(out)["cost_column"] == "'" + col).all()
    args = ["--cost", col, "--cumulative", "cum", "--out", out, "--force", "--no-safe-csv"]
    r = cli("experience-curve", p, *args)
    assert r.returncode == 0, r.stderr
    assert (pd.read_csv(out)["cost_column"] == col).all()


def test_out_never_overwrites_the_input(tmp_path):
    from conftest import digest

    p = write(tmp_path, pd.DataFrame({"cost": [10, 8, 6.4], "cum": [1, 2, 4]}))
    before = digest(p)
    r = cli("experience-curve", p, "--cost", "cost", "--cumulative", "cum", "--out", p, "--force")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "input" in r.stderr and digest(p) == before
