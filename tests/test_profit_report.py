"""The profit-model report on a firm's own figures: every value from the user's file is escaped
before it enters Markdown, and a partial file gives a report of the sections present."""

import yaml

from conftest import check_rendered_report
from customer_value import reports

EVIL = "<script>alert(1)</script>"


def _figures(tmp_path, figures, name="figures.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(figures, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _render(tmp_path, path, title=""):
    out = reports.run(
        "profit_model_report",
        {"figures": str(path), "title": title},
        out_dir=tmp_path / "out",
        progress=False,
        cwd=tmp_path,
    )
    return check_rendered_report(out, "profit_model_report", tmp_path, [path])


def test_report_escapes_the_firm_name_product_names_and_notes(tmp_path):
    history = [
        {"period": f"{2020 + i} {EVIL}", "cumulative": 1000 * 2**i, "unit_cost": 10 * 0.8**i}
        for i in range(4)
    ]
    figures = {
        "firm": f"Evil {EVIL} Co.",
        "currency": f"CNY {EVIL}",
        "period": f"2024 {EVIL}",
        "notes": f"from the ERP {EVIL} [click](javascript:alert(1)) `code`",
        "segments": [
            {"name": f"systems {EVIL}", "revenue": 100, "cost": 120, "assets": 50},
            {"name": "**bold** `tick` <b>b</b>", "revenue": 80, "cost": 50, "assets": 20},
        ],
        "unit_costs": {"unit": f"module {EVIL}", "history": history},
        "market_share": {"own": 0.2, "largest_rival": 0.3, "market": f"filters {EVIL}"},
        "capacity": {
            "capacity": 100,
            "variable_cost": 5,
            "fixed_cost": 100,
            "price": 9,
            "unit": f"units {EVIL}",
            "currency": EVIL,
        },
        "installed_base": {
            "unit": f"system {EVIL}",
            "currency": EVIL,
            "hardware_price": 90,
            "hardware_cost": 100,
            "consumable_price": 10,
            "consumable_cost": 4,
            "consumables_per_year": 3,
            "years": 5,
        },
    }
    html = _render(tmp_path, _figures(tmp_path, figures), title=f"Title {EVIL}")
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html  # the Markdown link is shown as text
    assert "[click](javascript:alert(1))" in html
    assert "<b>b</b>" not in html
    assert "&lt;script&gt;alert" in html  # shown as text, not run
    assert "Evil" in html and "systems" in html


def test_report_on_a_partial_file_names_the_sections_it_could_not_assess(tmp_path):
    figures = {"firm": "Only Shares Ltd", "market_share": {"own": "35%", "largest_rival": "20%"}}
    html = _render(tmp_path, _figures(tmp_path, figures))
    assert "Only Shares Ltd" in html and "Market share" in html
    assert "Not assessed" in html and "Segment P&amp;L" not in html
