"""The relationship report on a client's files: every value from the data is escaped before it
enters the report's Markdown, so that item, segment, column or file names cannot inject HTML."""

import pandas as pd
import pytest

from conftest import ROOT, check_rendered_report
from customer_value import reports

SCRIPT = "<script>alert(1)</script>"

pytestmark = pytest.mark.notebooks


def test_report_escapes_names_from_the_data(tmp_path):
    survey = pd.read_csv(ROOT / "datasets" / "bond_survey.csv")
    survey = survey.rename(columns={"fin1": SCRIPT, "segment": f"segment{SCRIPT}"})
    survey[f"segment{SCRIPT}"] = survey[f"segment{SCRIPT}"].replace("sme", f"sme {SCRIPT}")
    survey[f"`{SCRIPT}`"] = survey["satisfaction"]  # a covariate whose name closes a code span
    survey.to_csv(tmp_path / "survey.csv", index=False)
    (tmp_path / "scales.yaml").write_text(
        f"financial: ['{SCRIPT}', fin2, fin3, fin4]\n"
        "social: [soc1, soc2, soc3, soc4_r]\n"
        "structural: [str1, str2, str3, str4, str5]\n"
        f"reverse: ['{SCRIPT}']\n",  # reverse-coded by mistake: listed among the weak items
        encoding="utf-8",
    )
    panel = pd.read_csv(ROOT / "datasets" / "loyalty_panel.csv").head(300 * 36)
    panel.rename(columns={"spend": SCRIPT}).to_csv(tmp_path / "panel.csv", index=False)
    out = reports.run(
        "relationship_report",
        {
            "survey": "survey.csv",
            "scales": "scales.yaml",
            "segment": f"segment{SCRIPT}",
            "customers": "survey.csv",
            "duration": "months_observed",
            "covariates": f"`{SCRIPT}`",
            "panel": "panel.csv",
            "outcome": SCRIPT,
            "title": f"Bonds {SCRIPT}",
        },
        out_dir=tmp_path / "out",
        progress=False,
        cwd=tmp_path,
    )
    html = check_rendered_report(out, "relationship_report", tmp_path)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html  # the names are shown, as text
    assert "Items to review" in html  # the mis-keyed item reached the Markdown
    assert "sme &lt;script&gt;" in html  # and the segment value its table
