"""Lessons, solutions, exercises and report templates as notebooks.

nbval (strict, in `make test`) re-executes lessons, solutions and report templates and compares
their stored outputs. Here: every lesson and report also runs through papermill with
non-default parameters from another working directory; exercises are generated from the
solutions and stop at the first task; every check is verified to fail without its solution.
"""

import json
import re
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, SCRIPT, check_rendered_report
from customer_value import exercises, notebooks, reports

LESSONS = notebooks.lessons(ROOT)
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))
REPORTS = reports.available(ROOT)
STORED = LESSONS + SOLUTIONS + [ROOT / "notebooks" / "reports" / f"{r}.ipynb" for r in REPORTS]

# Non-default parameters for each lesson and report: every one must be listed here.
LESSON_PARAMS = {
    "00_course_map": {"show_commands": False},
    "10_relationship_levels": {
        "threshold": 5.5,
        "thresholds": [5.0, 5.5, 6.0],
        "segment": "",
        "example_scale": "structural",
        "n_factors": 2,
        "seed": 1,
    },
    "11_bonds_and_retention": {
        "threshold": 4.5,
        "covariates": ["financial", "social", "structural"],
        "window": 6,
        "margin": 50.0,
        "retention": 0.9,
        "delta": 0.02,
        "project_months": 48,
    },
    "20_profit_models_catalogue": {
        "card_model": 21,
        "card_lang": "en",
        "spillover": 0.45,
        "discount_rate": 0.05,
        "progress_ratio": 0.85,
        "joining_cost": 60.0,
        "capture_rate": 0.3,
        "ramp_periods": 0,
    },
    "21_profit_models_in_numbers": {
        "pv_cumulative": "including",
        "train_until": 1990,
        "forecast_doublings": 2,
        "confidence": 0.9,
        "seed": 3,
        "n_sims": 2000,
        "slate_size": 8,
        "printer_years": 6,
        "discount_rate": 0.08,
        "fee_rate": 0.015,
    },
    "30_kano_analysis": {
        "table": "pouliot",
        "seed": 1,
        "bootstrap": 200,
        "segment": "tier",
        "exclude_threshold": 1,
    },
    "40_customer_pyramid": {
        "method": "cumulative",
        "shares": [0.1, 0.2, 0.4, 0.3],
        "split_date": "2024-07-01",
        "top_x": 0.1,
        "seed": 1,
        "cost_rates": {
            "order_cost": 4.0,
            "return_cost": 25.0,
            "contacts": 15.0,
            "deliveries": 20.0,
            "discount": 1.0,
        },
        "move_up_share": 0.2,
        "projection_periods": 2,
        "gini_sample": 500,
    },
    "41_customer_lifetime_value": {
        "unit": "day",
        "calibration_end": "2024-03-31",
        "horizon_months": 12,
        "annual_discount": 0.08,
        "expected_years": 5,
        "retention": 0.85,
        "fit_periods": 5,
        "tier_shares": [0.1, 0.2, 0.4, 0.3],
        "n_simulations": 30,
        "seed": 3,
    },
}


def _messy_log(tmp_path):
    """The committed ERP export (GBK, Chinese headers, broken dates) with a service-event column
    named like a script: the hostile file of a careless client."""
    from customer_value import io

    log = io.read_table(ROOT / "datasets" / "messy" / "retail_transactions_gbk.csv")
    path = tmp_path / "erp <b>export.csv"
    log.rename(columns={"客服次数": SCRIPT}).to_csv(path, index=False, encoding="gbk")
    return path


def _messy_survey(tmp_path):
    from customer_value import io

    survey = io.read_table(ROOT / "datasets" / "messy" / "kano_survey_zh_gbk.csv")
    survey = survey.rename(columns=lambda c: c.replace("secure_login", SCRIPT, 1))
    survey = survey.rename(columns=lambda c: c.replace("fast_transfer", "**x**", 1))
    survey["年龄段"] = survey["年龄段"].replace({"18-34": SCRIPT, "55+": "[link](http://x.org)"})
    path = tmp_path / "survey <i>gbk.csv"
    survey.to_csv(path, index=False, encoding="gbk")
    return path


LOG_PARAMS = {
    "customer_id": "客户编号",
    "date": "交易日期",
    "amount": "金额",
    "cost": "成本",
    "service_costs": f"{SCRIPT}:20, 配送:25, 折扣:1",
    "on_invalid": "drop",
    "title": f"ERP export (GBK) {SCRIPT} **bold**",
}
# Non-default parameters and a hostile client file for each report: every one must be listed.
# (The relationship and profit-model reports are rendered on hostile files in their own tests.)
REPORT_CASES = {
    "kano_report": lambda tmp: (
        {
            "survey": str(_messy_survey(tmp)),
            "respondent": "问卷编号",
            "segment": "年龄段",
            "table": "pouliot",
            "bootstrap": 100,
            "exclude_questionable": 1,
            "title": f"GBK export {SCRIPT}",
        },
        ["**x**"],
    ),
    "pyramid_report": lambda tmp: (
        {
            "transactions": str(_messy_log(tmp)),
            **LOG_PARAMS,
            "method": "cumulative",
            "split_date": "2024-07-01",
            "top_x": 0.1,
        },
        [],
    ),
    "clv_report": lambda tmp: (
        {
            "transactions": str(_messy_log(tmp)),
            **LOG_PARAMS,
            "calibration_end": "2024-06-30",
            "unit": "week",
            "horizon_months": 12,
            "annual_discount": 0.08,
            "shares": "10/30/40/20",
        },
        [],
    ),
    "relationship_report": lambda tmp: (
        {
            "survey": str(ROOT / "datasets" / "bond_survey.csv"),
            "customers": str(ROOT / "datasets" / "bond_survey.csv"),
            "duration": "months_observed",
            "covariates": "satisfaction",
            "panel": "",
            "threshold": 5.5,
            "segment": "",
            "title": "Survey only",
        },
        [],
    ),
}


def test_course_has_lessons_and_every_lesson_has_test_parameters():
    assert LESSONS, "no lessons found"
    assert {p.stem for p in LESSONS} == set(LESSON_PARAMS)
    assert set(REPORTS) == set(REPORT_CASES) | {"profit_model_report"}


def test_make_notebooks_executes_every_notebook_that_nbval_checks():
    assert notebooks.course_notebooks(root=ROOT) == STORED


@pytest.mark.parametrize("path", STORED, ids=lambda p: p.name)
def test_stored_notebooks_are_executed_with_python3_and_have_a_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", []), "first code cell must be tagged"
    assert all(c.execution_count is not None for c in code), "stored outputs are not fresh"
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), "not executed top to bottom in one run"


@pytest.mark.parametrize("path", STORED, ids=lambda p: p.name)
def test_stored_notebooks_show_no_warnings_or_errors(path):
    nb = nbformat.read(path, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not [t for t in stderr if "Warning" in t], stderr


_TEX = re.compile(r"\$\$|(?<!\\)\$[^$\n]*[\\^_{][^$\n]*(?<!\\)\$")


@pytest.mark.parametrize("path", STORED + EXERCISES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_markdown_has_no_tex_that_the_offline_html_cannot_render(path):
    nb = nbformat.read(path, as_version=4)
    tex = [
        m.group(0)
        for c in nb.cells
        if c.cell_type == "markdown"
        for m in _TEX.finditer(re.sub(r"`[^`]*`", "", c.source))
    ]
    assert not tex, f"write formulas in Unicode, not TeX: {tex[:3]}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_runs_with_other_parameters_from_another_directory(path, tmp_path):
    import papermill as pm

    params = LESSON_PARAMS[path.stem]
    declared = pm.inspect_notebook(str(path))
    assert set(params) <= set(declared), f"unknown parameters {set(params) - set(declared)}"
    out = tmp_path / path.name
    pm.execute_notebook(
        str(path),
        str(out),
        parameters=params,
        cwd=str(tmp_path),
        kernel_name="python3",
        progress_bar=False,
    )
    nb = nbformat.read(out, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and all(k in injected[0].source for k in params)


@pytest.mark.parametrize("name", sorted(REPORT_CASES))
def test_report_renders_a_hostile_file_without_code_scripts_or_local_paths(name, tmp_path):
    params, markup = REPORT_CASES[name](tmp_path)
    paths = reports.run(name, params, out_dir=tmp_path / "out", progress=False, cwd=tmp_path)
    inputs = {v for k, v in params.items() if isinstance(v, str) and Path(v).is_file()}
    html = check_rendered_report(paths, name, tmp_path, inputs)
    if SCRIPT in str(params):
        assert "&lt;script&gt;alert" in html  # the hostile names are shown, as text
    assert "<b>export" not in html and "<i>gbk" not in html and 'href="http://x.org"' not in html
    for text in markup:
        assert text.strip("*") not in re.findall(r"<strong>(.*?)</strong>", html)
    with pytest.raises(Exception, match="--force"):  # a second run refuses to overwrite
        reports.run(name, params, out_dir=tmp_path / "out", progress=False, cwd=tmp_path)


def test_exercises_are_generated_from_solutions():
    assert [p.name for p in SOLUTIONS] == [p.name for p in EXERCISES]
    assert exercises.check_all(ROOT) == []
    for path in EXERCISES:
        nb = nbformat.read(path, as_version=4)
        text = json.dumps(nb)
        assert exercises.BEGIN not in text and "raise NotImplementedError()" in text
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_every_stub_stops_and_every_check_fails_without_its_solution(path):
    # the exercise's stubs (exercises/ is make_exercise of solutions/, see above) stop with
    # NotImplementedError where a student starts; each check fails without the solution
    nb = nbformat.read(path, as_version=4)
    assert len(exercises.solution_cells(nb)) >= 5, "fewer than five graded tasks"
    assert exercises.verify_checks(path) == []


def test_generator_replaces_regions_keeping_indentation():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "x = 1\nif x:\n    ### BEGIN SOLUTION\n    y = 2\n    ### END SOLUTION\nz = 3"
        ),
        nbformat.v4.new_markdown_cell("Why?\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION"),
    ]
    ex = exercises.make_exercise(nb)
    assert ex.cells[0].source == (
        "x = 1\nif x:\n    # YOUR CODE HERE\n    raise NotImplementedError()\nz = 3"
    )
    assert ex.cells[1].source == "Why?\nYOUR ANSWER HERE"
    bad = nbformat.v4.new_notebook()
    bad.cells = [nbformat.v4.new_code_cell("### BEGIN SOLUTION\nx = 1")]
    with pytest.raises(ValueError, match="unbalanced"):
        exercises.make_exercise(bad)
