"""A firm's own figures (the input of the profit-model report): reading, validation with the
pydantic schema, one InputError listing every problem, and the models run on the sections present.

Expected numbers are worked out by hand in the comments.
"""

import math

import pytest

from customer_value import datasets
from customer_value import profit_models as pm
from customer_value.io import InputError

B80 = math.log2(0.8)


def approx(x, rel=1e-9, abs=1e-9):
    return pytest.approx(x, rel=rel, abs=abs)


def _write(path, text, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
    return path


def test_firm_figures_example_recovers_its_truth(root):
    _, truth = datasets.firm_figures()
    figs = pm.read_firm_figures(root / "datasets" / "firm_figures.yaml")
    assert figs.sections == list(pm.FIRM_SECTIONS) and figs.missing_sections == []
    res = figs.models()
    assert set(res) == {
        "multi_component",
        "fit_experience_curve",
        "relative_market_share",
        "cyclical",
        "installed_base",
        "after_sale",
        "lifetime_margin",
    }
    fit = res["fit_experience_curve"]
    assert fit.cumulative_basis == "including"
    assert fit.progress_ratio_ci_[0] < truth["progress_ratio"] < fit.progress_ratio_ci_[1]
    seg = res["multi_component"].to_frame().set_index("component")
    assert seg["roa"].idxmax() == truth["most_profitable_segment_by_roa"]
    assert seg.loc[truth["loss_making_segment"], "profit"] < 0
    # relative market share by hand, with the fitted progress ratio
    rms = res["relative_market_share"].to_frame().set_index("firm").loc["own firm"]
    assert rms["rms"] == approx(0.18 / 0.27)
    assert rms["relative_cost"] == approx((0.18 / 0.27) ** math.log2(fit.progress_ratio_))
    assert "fitted on the unit-cost history" in figs.assumptions()["relative_market_share"][0]
    # the price line fitted on 24 noisy quarters is close to p(u) = 7 + 6u
    a, b, how = figs.price_line()
    assert abs(a - truth["price_intercept"]) < 0.6 and abs(b - truth["price_slope"]) < 0.8
    assert "least-squares" in how
    assert abs(res["cyclical"].break_even_utilisation - truth["break_even_utilisation"]) < 0.02
    # installed base by hand: −70 + Σ 14·0.7·(11.9 − 5)·0.92^(t−1)/1.08^t, t = 1..12
    pv = sum(14 * 0.7 * 6.9 * 0.92 ** (t - 1) / 1.08**t for t in range(1, 13))
    assert res["installed_base"].lifetime_margin == approx(-70 + pv)
    service = sum(0.55 * 60 * 0.30 * 0.90 ** (t - 1) / 1.08**t for t in range(1, 13))
    assert res["after_sale"].service_pv == approx(service)
    assert f"{-70 + pv + service:,.4g}" in figs.assumptions()["after_sale"][-1]
    life = res["lifetime_margin"]
    assert life.lifetime_margin == approx(-70 + pv + service)
    assert life.after_sale_share == approx((pv + service) / (-70 + pv + service))


def test_partial_firm_figures_read_a_gbk_file_counted_before(root):
    figs = pm.read_firm_figures(root / "datasets" / "messy" / "firm_figures_partial.yaml")
    assert figs.sections == ["segments", "unit_costs", "market_share"]
    assert figs.missing_sections == ["capacity", "installed_base"]
    assert "assets" not in figs.segments and figs.segments["segment"][0] == "整车销售 (bikes)"
    assert figs.unit_costs_basis == "before" and "firm_unit_costs_gbk.csv" in figs.unit_costs_source
    # thousands separators in the GBK file were read as numbers
    table = datasets.firm_figures_partial()[1]
    assert figs.unit_costs["unit_cost"].tolist() == [
        float(x.replace(",", "")) for x in table["单位成本（元）"]
    ]
    res = figs.models()
    assert set(res) == {"multi_component", "fit_experience_curve", "relative_market_share"}
    fit = res["fit_experience_curve"]
    assert fit.cumulative_basis == "before"
    assert fit.progress_ratio_ci_[0] < 0.85 < fit.progress_ratio_ci_[1]
    assert res["relative_market_share"].leader == "own firm"
    assert res["relative_market_share"].leader_rms == approx(0.35 / 0.20)
    assert "roa" not in res["multi_component"].to_frame()


def test_firm_figures_from_a_mapping_percentages_and_defaults():
    figs = pm.read_firm_figures(
        {
            "firm": "A",
            "market_share": {"own": "30%", "largest_rival": " 0.2 "},
            "capacity": {"capacity": 10, "variable_cost": 60, "fixed_cost": 200, "price": 100},
            "installed_base": {
                "hardware_price": 0,
                "hardware_cost": 50,
                "consumable_price": 10,
                "consumable_cost": 4,
                "consumables_per_year": 2,
                "years": 3,
            },
        }
    )
    res = figs.models()
    assert figs.market_share["own"] == approx(0.3)
    # no unit costs: Wright's 80% is assumed, and said so
    assert res["relative_market_share"].leader_rms == approx(1.5)
    assert res["relative_market_share"].b == approx(B80)
    assert "80%" in figs.assumptions()["relative_market_share"][0]
    # constant price 100: break-even u = F / ((p − v)·K) = 200 / 400
    assert res["cyclical"].break_even_utilisation == approx(0.5)
    assert figs.price_line() == (100, 0.0, "constant at the given price (100)")
    # defaults retention 1, capture 1, discount 10%: −50 + Σ 2·6/1.1^t, t = 1..3
    assert res["installed_base"].lifetime_margin == approx(
        -50 + sum(12 / 1.1**t for t in (1, 2, 3))
    )
    assert len(figs.assumptions()["installed_base"]) == 3


def test_price_line_given_or_constant_when_the_fitted_slope_is_negative():
    base = {"capacity": 10, "variable_cost": 1, "fixed_cost": 1}
    given = pm.read_firm_figures({"capacity": {**base, "price_intercept": 3, "price_slope": 2}})
    assert given.price_line()[:2] == (3, 2)
    falling = pm.read_firm_figures(
        {
            "capacity": {
                **base,
                "history": [
                    {"utilisation": 0.6, "price": 10},
                    {"utilisation": 0.8, "price": 9},
                    {"utilisation": 0.9, "price": 8},
                ],
            }
        }
    )
    a, b, how = falling.price_line()
    assert (a, b) == (9.0, 0.0) and "negative" in how
    rising = pm.read_firm_figures(
        {
            "capacity": {
                **base,
                "history": [
                    {"utilisation": 0.5, "price": 4},
                    {"utilisation": 0.7, "price": 5},
                    {"utilisation": 0.9, "price": 6},
                ],
            }
        }
    )
    a, b, _ = rising.price_line()  # exactly p = 1.5 + 5u
    assert a == approx(1.5) and b == approx(5.0)
    assert rising.models()["cyclical"].to_frame()["period"].tolist() == ["1", "2", "3"]


def test_relative_unit_cost_file_is_read_from_the_yaml_folder(tmp_path, monkeypatch):
    folder = tmp_path / "client"
    folder.mkdir()
    _write(folder / "costs.csv", "N;c\n1;100\n2;80\n4;64\n8;51.2\n")
    yml = _write(
        folder / "figs.yaml",
        "unit_costs:\n  file: costs.csv\n  cumulative_column: N\n  cost_column: c\n",
    )
    monkeypatch.chdir(tmp_path)
    fit = pm.read_firm_figures(yml).models()["fit_experience_curve"]
    assert fit.progress_ratio_ == approx(0.8) and fit.cumulative_basis == "including"


@pytest.mark.parametrize(
    "text, messages",
    [
        (
            "segmnts:\n  - {name: a, revenue: 1, cost: 1}\n",
            ["unknown section", "did you mean 'segments'"],
        ),
        (
            "segments:\n  - {name: a, revenue: 10}\n",
            ["section 'segments', entry 1 ('a')", "missing field 'cost'"],
        ),
        (
            "segments:\n  - {name: a, revenue: -10, cost: 0}\n",
            ["field 'revenue' must be > 0; got -10", "field 'cost' must be > 0; got 0"],
        ),
        (
            "segments:\n  - {name: a, revenue: 10, cost: 5, asets: 3}\n",
            ["unknown field 'asets' (did you mean 'assets'?)"],
        ),
        (
            "segments:\n  - {name: a, revenue: 10, cost: 5, assets: 3}\n  - {name: b, revenue: 1, cost: 1}\n",
            ["assets for every segment or for none", "['b']"],
        ),
        (
            "segments:\n  - {name: a, revenue: 10, cost: 5}\n  - {name: a, revenue: 1, cost: 1}\n",
            ["duplicated segment name(s): ['a']"],
        ),
        ("market_share: {own: 0.7, largest_rival: 0.5}\n", ["sum to more than 1"]),
        ("market_share: {own: 1.5, largest_rival: 0.5}\n", ["'own' must be in (0, 1]; got 1.5"]),
        ("market_share: {own: abc, largest_rival: 0.5}\n", ["'own' must be a number; got 'abc'"]),
        (
            (
                "unit_costs:\n  history:\n    - {period: '1', cumulative: 10, unit_cost: 5}\n"
                "    - {period: '2', cumulative: 8, unit_cost: 4}\n"
                "    - {period: '3', cumulative: 20, unit_cost: 3}\n"
            ),
            ["cumulative volume must increase", "1 → 2 (10 → 8)"],
        ),
        ("unit_costs:\n  history:\n    - {cumulative: 10, unit_cost: 5}\n", ["at least 3 periods"]),
        (
            "unit_costs:\n  basis: after\n  file: x.csv\n  history: []\n",
            ["'basis' must be 'including'", "either 'history'"],
        ),
        (
            "unit_costs:\n  file: nowhere.csv\n",
            ["cannot read file 'nowhere.csv'", "file not found"],
        ),
        (
            "capacity: {capacity: 0, variable_cost: 5, fixed_cost: -1}\n",
            ["'capacity' must be > 0; got 0", "'fixed_cost' must be >= 0; got -1", "no price"],
        ),
        (
            (
                "capacity:\n  capacity: 10\n  variable_cost: 5\n  fixed_cost: 1\n  history:\n"
                "    - {utilisation: 1.2, price: 3}\n    - {utilisation: 0.5}\n"
            ),
            ["'utilisation' must be in (0, 1]; got 1.2", "a price in every history row or in none"],
        ),
        (
            (
                "installed_base: {hardware_price: 1, hardware_cost: 2, consumable_price: 3, "
                "consumable_cost: 1, consumables_per_year: 2, years: 2.5, retention: 0, "
                "service_revenue: 4}\n"
            ),
            [
                "'years' must be a whole number >= 1; got 2.5",
                "'retention' must be in (0, 1]; got 0",
                "missing ['service_margin', 'attach_rate']",
            ],
        ),
        ("firm: nothing here\n", ["no figures"]),
        ("segments: [\n", ["firm-figures file is not valid YAML (line 2"]),
        ("- a\n- b\n", ["must be a mapping of 'name: value' lines, not list"]),
        ("", ["the firm-figures file is empty"]),
        ("firm: !!python/object:os.system x\n", ["plain data only", "remove the tag"]),
        ("segments: 5\n", ["must be a non-empty list of segments"]),
        ("segments:\n  - 7\n", ["entry 1: must be a mapping of field: value; got 7"]),
        ("market_share: 0.3\n", ["section 'market_share': must be a mapping"]),
        (
            "capacity: {capacity: 10, variable_cost: 5, fixed_cost: 1, price: 3, history: []}\n",
            ["'history' must be a non-empty list"],
        ),
    ],
)
def test_bad_firm_figures_raise_one_input_error_naming_file_section_field(tmp_path, text, messages):
    path = _write(tmp_path / "figures.yaml", text)
    with pytest.raises(InputError) as err:
        pm.read_firm_figures(path)
    msg = str(err.value)
    assert msg.startswith(str(path))
    for m in messages:
        assert m in msg, (m, msg)


def test_firm_figures_file_in_gbk_and_bad_unit_cost_rows(tmp_path):
    path = _write(
        tmp_path / "f.yaml",
        "firm: 华东公司\nmarket_share: {own: 0.2, largest_rival: 0.3}\n",
        encoding="gbk",
    )
    assert pm.read_firm_figures(path).firm == "华东公司"
    _write(tmp_path / "u.csv", "N,c\n1,100\n2,-3\n4,\n8,51\n")
    _write(
        tmp_path / "g.yaml",
        "unit_costs:\n  file: u.csv\n  cumulative_column: N\n  cost_column: c\n",
    )
    with pytest.raises(InputError, match=r"(?s)2 row\(s\) are not.*line 3: N='2', c='-3'"):
        pm.read_firm_figures(tmp_path / "g.yaml")
    with pytest.raises(InputError, match="has no column"):
        _write(tmp_path / "h.yaml", "unit_costs:\n  file: u.csv\n")
        pm.read_firm_figures(tmp_path / "h.yaml")
