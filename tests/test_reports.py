"""Helpers shared by the report templates: formatters, parameter parsers, the chart helper."""

import datetime as dt
import io as _io
import subprocess
import sys
import warnings

import nbformat
import numpy as np
import pandas as pd
import pytest

from conftest import ROOT
from customer_value import reports
from customer_value.io import InputError

NAN = float("nan")


# --------------------------------------------------------------------------------------------
# formatters
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", [None, NAN, np.nan, pd.NA, float("inf"), -np.inf])
def test_every_formatter_prints_missing_and_infinite_values_as_n_a(missing):
    assert reports.num(missing) == "n/a"
    assert reports.money(missing, currency="¥") == "n/a"
    assert reports.pct(missing) == "n/a"
    assert reports.share(missing, 10) == "n/a" and reports.share(1, missing) == "n/a"
    assert reports.p_text(missing) == "n/a"
    assert reports.with_ci(missing, 0.1, 0.2) == "n/a"


def test_num_rounds_groups_thousands_and_never_prints_minus_zero():
    assert reports.num(1234567.891) == "1,234,567.9"
    assert reports.num(1234567.891, 0) == "1,234,568"
    assert reports.num(-2.25, 2) == "-2.25"
    assert reports.num(-0.04) == "0.0"  # rounds to zero: no sign
    assert reports.num(np.float64(3.5), 0) == "4"  # round half to even: 3.5 → 4
    assert reports.num(np.int64(7), 0) == "7"


def test_money_puts_the_minus_sign_before_the_currency():
    assert reports.money(1234.6) == "1,235"
    assert reports.money(1234.6, currency="¥") == "¥1,235"
    assert reports.money(-1234.6, currency="¥") == "\u2212¥1,235"
    assert reports.money(-1234.6) == "\u22121,235"
    assert reports.money(-5.5, 2, currency="$") == "\u2212$5.50"
    assert reports.money(-0.4, currency="¥") == "¥0"  # rounds to zero: no sign
    assert reports.money(0) == "0"
    assert reports.MINUS == "\u2212"


def test_pct_and_share():
    assert reports.pct(0.1234) == "12.3%"
    assert reports.pct(0.1234, 0) == "12%"
    assert reports.pct(1.5, 0) == "150%"
    assert reports.pct(12.345, 1) == "1234.5%"  # no thousands separator in percentages
    assert reports.pct(-0.051) == "-5.1%"
    assert reports.pct(-0.0001) == "0.0%"
    assert reports.share(1, 3) == "33.3%"
    assert reports.share(2, 3, 0) == "67%"
    assert reports.share(-1, 4) == "-25.0%"
    assert reports.share(5, 0) == "n/a"


def test_p_text_and_with_ci():
    assert reports.p_text(0.04321) == "0.043"
    assert reports.p_text(0.001) == "0.001"
    assert reports.p_text(0.000999) == "< 0.001"
    assert reports.with_ci(0.4213, 0.31, 0.551) == "0.42 [0.31, 0.55]"
    assert reports.with_ci(-0.4213, -0.5, -0.3, 1) == "-0.4 [-0.5, -0.3]"
    assert reports.with_ci(0.5, NAN, 0.6) == "0.50"  # no interval without both bounds
    assert reports.with_ci(0.5, 0.4, None) == "0.50"


# --------------------------------------------------------------------------------------------
# parameter parsers
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "20/30/30/20",
        "0.2,0.3,0.3,0.2",
        "20, 30, 30, 20",
        "20 30 30 20",
        "20;30;30;20",
        "２０／３０／３０／２０",
        "20，30，30，20",
        "0.2；0.3；0.3；0.2",
        "20、30、30、20",
        "20%/30%/30%/20%",
        [20, 30, 30, 20],
        (0.2, 0.3, 0.3, 0.2),
        ["20", "30", "30", "20"],
        {"platinum": 20, "gold": 30, "iron": 30, "lead": 20},
        {"Lead": 0.2, "iron": 0.3, "gold": 0.3, "platinum": 0.2},
    ],
)
def test_parse_shares_accepts_the_forms_of_both_reports(value):
    shares = reports.parse_shares(value)
    assert shares == pytest.approx((0.2, 0.3, 0.3, 0.2), abs=1e-12)
    assert sum(shares) == pytest.approx(1, abs=1e-15)


def test_parse_shares_divides_by_the_total_and_supports_other_labels():
    assert reports.parse_shares("33.33/33.33/33.34/0") == pytest.approx((0.3333, 0.3333, 0.3334, 0))
    assert reports.parse_shares("100/0/0/0") == (1.0, 0.0, 0.0, 0.0)
    assert reports.parse_shares("1/0/0/0") == (1.0, 0.0, 0.0, 0.0)
    assert reports.parse_shares("60/40", "split", labels=("a", "b")) == pytest.approx((0.6, 0.4))
    with pytest.raises(InputError, match=r"parameter 'split' must be two non-negative numbers"):
        reports.parse_shares("60/30/10", "split", labels=("a", "b"))


@pytest.mark.parametrize(
    "value, message",
    [
        ("20/30/30", "must be four non-negative numbers"),
        ("20/30/30/20/0", "must be four non-negative numbers"),
        ("a/b/c/d", "must be four non-negative numbers"),
        ("20/-30/80/30", "must be four non-negative numbers"),
        ("20/30/30/inf", "must be four non-negative numbers"),
        ("", "must be four non-negative numbers"),
        (None, "must be four non-negative numbers"),
        (25, "must be four non-negative numbers"),
        ([True, False, False, False], "must be four non-negative numbers"),
        ("20/30/30/30", "must add up to 100 \\(percent\\) or 1 \\(fractions\\)"),
        ("0.2,0.3,0.3,0.3", "must add up to 100"),
        ("0.2%,0.3%,0.3%,0.2%", "percentages must add up to 100 %"),
        (
            {"platinum": 50, "gold": 50},
            "must give one share for each of platinum, gold, iron, lead",
        ),
    ],
)
def test_parse_shares_rejects_bad_input_naming_the_parameter(value, message):
    with pytest.raises(InputError, match=message) as err:
        reports.parse_shares(value)
    assert str(err.value).startswith("parameter 'shares'")


def test_parse_numbers_reads_percent_or_fractions():
    kw = {"count": 3, "what": "cumulative percent of profit", "example": "50/80/100"}
    assert reports.parse_numbers("50/80/100", "cutoffs", **kw) == (0.5, 0.8, 1.0)
    assert reports.parse_numbers("0.5，0.8，1", "cutoffs", **kw) == (0.5, 0.8, 1.0)
    assert reports.parse_numbers("0.5%/1%/2%", "cutoffs", **kw) == (0.005, 0.01, 0.02)
    assert reports.parse_numbers([50, 80, 100], "cutoffs", **kw) == (0.5, 0.8, 1.0)
    with pytest.raises(
        InputError,
        match=r"parameter 'cutoffs' must be three non-negative "
        r"numbers \(cumulative percent of profit\).*50/80/100",
    ):
        reports.parse_numbers("50/80", "cutoffs", **kw)


@pytest.mark.parametrize(
    "value, expected",
    [
        (
            "contacts:20, deliveries:25, discount:1",
            {"contacts": 20, "deliveries": 25, "discount": 1},
        ),
        ("contacts=20; deliveries=25", {"contacts": 20, "deliveries": 25}),
        ("contacts : 20 ,deliveries= 2.5", {"contacts": 20, "deliveries": 2.5}),
        ("客服次数：20，配送：25，折扣：1", {"客服次数": 20, "配送": 25, "折扣": 1}),
        ("客服次数:20；配送＝25、折扣:1", {"客服次数": 20, "配送": 25, "折扣": 1}),
        ("contacts:20\ndeliveries:25\n", {"contacts": 20, "deliveries": 25}),
        ({"contacts": 20, "deliveries": "25"}, {"contacts": 20, "deliveries": 25}),
        ("contacts:0", {"contacts": 0}),
        ("", {}),
        ("  ", {}),
        (None, {}),
        ({}, {}),
    ],
)
def test_parse_rates_accepts_the_forms_of_both_reports(value, expected):
    rates = reports.parse_rates(value)
    assert rates == expected and list(rates) == list(expected)
    assert all(isinstance(r, float) for r in rates.values())


@pytest.mark.parametrize(
    "value, message",
    [
        ("contacts 20", "'contacts 20' is not a column:rate pair"),
        ("contacts:20, deliveries", "'deliveries' is not a column:rate pair"),
        ("contacts:x", "the rate of 'contacts' must be a number >= 0, not 'x'"),
        ("contacts:-1", "the rate of 'contacts' must be a number >= 0"),
        ("contacts:nan", "the rate of 'contacts' must be a number >= 0"),
        ("contacts:", "the rate of 'contacts' must be a number >= 0"),
        (":20", "has no column name"),
        ("contacts:1, contacts:2", "column 'contacts' is given more than once"),
        ({"contacts": None}, "the rate of 'contacts' must be a number >= 0"),
        ({"contacts": True}, "the rate of 'contacts' must be a number >= 0"),
        (20, "must be column:rate pairs"),
    ],
)
def test_parse_rates_rejects_bad_input_naming_the_parameter(value, message):
    with pytest.raises(InputError, match=message) as err:
        reports.parse_rates(value)
    assert str(err.value).startswith("parameter 'service_costs'")


@pytest.mark.parametrize(
    "value",
    [
        "2024-03-05",
        "2024-3-5",
        "2024/03/05",
        "2024/3/5",
        "2024.3.5",
        "20240305",
        "2024年3月5日",
        "2024年03月05日",
        "２０２４－０３－０５",
        " 2024-03-05 ",
        "2024-03-05 14:30",
        "2024-03-05T14:30:15",
        20240305,
        dt.date(2024, 3, 5),
        dt.datetime(2024, 3, 5, 14, 30),
        pd.Timestamp("2024-03-05 09:00"),
        pd.Timestamp("2024-03-05 23:00", tz="Asia/Shanghai"),
        np.datetime64("2024-03-05"),
    ],
)
def test_parse_date_accepts_year_first_dates_and_returns_the_day(value):
    day = reports.parse_date(value, "as_of")
    assert day == pd.Timestamp("2024-03-05") and day.tz is None


@pytest.mark.parametrize(
    "value, message",
    [
        ("05/03/2024", "must be a date written year first"),
        ("03/05/2024", "must be a date written year first"),
        ("March 5, 2024", "must be a date written year first"),
        ("2024", "must be a date written year first"),
        ("2024-03", "must be a date written year first"),
        ("2024-03-05 noon", "must be a date written year first"),
        ("", "must be a date written year first"),
        (None, "must be a date written year first"),
        (2024.5, "must be a date written year first"),
        (True, "must be a date written year first"),
        ("2024-02-30", "'2024-02-30' is not a valid date"),
        ("20241332", "is not a valid date"),
    ],
)
def test_parse_date_rejects_other_forms_naming_the_parameter(value, message):
    with pytest.raises(InputError, match=message) as err:
        reports.parse_date(value, "split_date")
    assert str(err.value).startswith("parameter 'split_date'")


def test_parse_date_with_empty_allowed():
    for value in ("", "   ", None):
        assert reports.parse_date(value, "as_of", empty="for the last date in the file") is None
    with pytest.raises(InputError, match=r"or '' for no holdout; not 'x'"):
        reports.parse_date("x", "calibration_end", empty="for no holdout")


def test_dates_from_a_yaml_parameters_file_reach_the_template_as_text(tmp_path):
    # papermill stores parameters as JSON, which has no dates; parse_date reads the text back
    info = {"type": "str", "path": False}
    for value in (dt.date(2024, 6, 30), dt.datetime(2024, 6, 30)):
        text = reports.runner._coerce("as_of", value, info, tmp_path)
        assert isinstance(text, str) and text.startswith("2024-06-30")
        assert reports.parse_date(text, "as_of") == pd.Timestamp("2024-06-30")


def test_pyramid_and_clv_reports_share_parameter_defaults_and_parse_them_alike():
    pyr, clv = reports.parameters("pyramid_report"), reports.parameters("clv_report")
    for name in ("shares", "service_costs", "as_of"):
        assert name in pyr and name in clv
    # the templates store defaults as Python source
    default = {k: eval(v["default"]) for k, v in pyr.items() if k in ("shares", "service_costs")}
    assert reports.parse_shares(default["shares"]) == (0.2, 0.3, 0.3, 0.2)
    assert reports.parse_rates(default["service_costs"]) == {
        "contacts": 20,
        "deliveries": 25,
        "discount": 1,
    }
    assert pyr["shares"]["default"] == clv["shares"]["default"]
    assert pyr["service_costs"]["default"] == clv["service_costs"]["default"]


# --------------------------------------------------------------------------------------------
# charts
# --------------------------------------------------------------------------------------------

CHINESE = "顾客价值"


@pytest.fixture()
def shown():
    """A display function that renders each figure to PNG, as IPython does, and records it."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    out = []

    def display(obj):
        if isinstance(obj, Figure):
            buf = _io.BytesIO()
            obj.savefig(buf, format="png")
            out.append(("figure", buf.getvalue()))
        else:
            out.append(("markdown", obj.data))

    return display, out


def _draws_chinese(fonts) -> bool:
    """Whether one of ``fonts`` has glyphs for every character of CHINESE (read from the font
    files, independently of matplotlib's warnings)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    for family in fonts:
        path = font_manager.findfont(
            font_manager.FontProperties(family=family), fallback_to_default=False
        )
        font = FT2Font(path)
        if all(font.get_char_index(ord(ch)) for ch in CHINESE):
            return True
    return False


def test_chart_is_displayed_closed_and_global_state_is_unchanged(shown):
    import matplotlib
    import matplotlib.pyplot as plt

    display, out = shown
    rc_before, filters_before = dict(matplotlib.rcParams), list(warnings.filters)
    figures_before = plt.get_fignums()
    seen = {}

    def draw(ax):
        seen["size"] = tuple(ax.figure.get_size_inches())
        seen["fonts"] = list(matplotlib.rcParams["font.sans-serif"])
        ax.plot([0, 1], [0, 1])
        ax.set_title("revenue")

    charts = reports.Charts(display=display)
    assert charts.show(draw, figsize=(4, 3)) is None
    assert [kind for kind, _ in out] == ["figure"]
    assert out[0][1].startswith(b"\x89PNG")
    assert seen["size"] == (4, 3)
    assert seen["fonts"] == charts.fonts and charts.fonts[-1] == "DejaVu Sans"
    assert set(charts.fonts[:-1]) <= set(reports.CJK_FONTS)
    assert not charts.note_shown
    assert plt.get_fignums() == figures_before
    assert dict(matplotlib.rcParams) == rc_before
    assert list(warnings.filters) == filters_before


def test_missing_glyphs_give_one_note_instead_of_warnings(shown):
    display, out = shown
    charts = reports.Charts(fonts=(), display=display)  # DejaVu Sans only: no Chinese
    assert not _draws_chinese(charts.fonts)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a font warning would fail here
        charts.show(lambda ax: ax.set_title(CHINESE), figsize=(3, 2))
        charts.show(lambda ax: ax.set_xlabel(CHINESE), figsize=(3, 2))
    assert [kind for kind, _ in out] == ["figure", "markdown", "figure"]
    assert out[1][1] == reports.FONT_NOTE
    assert "Install a Chinese font" in reports.FONT_NOTE
    assert charts.note_shown
    # a new report run (a new instance) shows the note again
    again = reports.Charts(fonts=(), display=display)
    again.show(lambda ax: ax.set_title(CHINESE), figsize=(3, 2))
    assert [kind for kind, _ in out][-2:] == ["figure", "markdown"]


def test_the_note_depends_on_whether_an_installed_font_draws_chinese(shown):
    display, out = shown
    charts = reports.Charts(display=display)  # the default CJK_FONTS
    charts.show(lambda ax: ax.set_title(CHINESE), figsize=(3, 2))
    expect_note = not _draws_chinese(charts.fonts)
    assert [kind for kind, _ in out] == ["figure"] + (["markdown"] if expect_note else [])
    assert charts.note_shown is expect_note


def test_ascii_labels_give_no_note(shown):
    display, out = shown
    charts = reports.Charts(fonts=(), display=display)
    charts.show(lambda ax: ax.set_title("profit by tier"))
    assert [kind for kind, _ in out] == ["figure"] and not charts.note_shown


def test_other_warnings_are_passed_on(shown):
    display, out = shown
    charts = reports.Charts(fonts=(), display=display)

    def draw(ax):
        warnings.warn("a deprecated call", DeprecationWarning, stacklevel=2)
        ax.set_title(CHINESE)

    with pytest.warns(DeprecationWarning, match="a deprecated call") as record:
        charts.show(draw, figsize=(3, 2))
    assert not [w for w in record if "missing from font" in str(w.message)]
    assert [kind for kind, _ in out] == ["figure", "markdown"]


def test_several_axes_and_subplot_options(shown):
    display, out = shown
    got = {}

    def draw(axes):
        got["shape"] = np.shape(axes)
        got["widths"] = [
            round(ax.get_position().width / axes[0].get_position().width, 1) for ax in axes
        ]

    reports.Charts(display=display, tight_layout=False).show(
        draw, figsize=(9, 3), ncols=2, gridspec_kw={"width_ratios": [1, 2]}
    )
    assert got["shape"] == (2,) and got["widths"] == [1.0, 2.0]
    assert len(out) == 1


def test_a_failing_draw_closes_its_figure(shown):
    import matplotlib.pyplot as plt

    display, out = shown
    before = plt.get_fignums()

    def draw(ax):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        reports.Charts(display=display).show(draw)
    assert plt.get_fignums() == before and out == []


def test_importing_the_module_has_no_side_effects():
    code = (
        "import warnings, matplotlib; rc = dict(matplotlib.rcParams); f = list(warnings.filters)\n"
        "import sys; loaded = set(sys.modules)\n"
        "import customer_value.reports\n"
        "assert dict(matplotlib.rcParams) == rc and list(warnings.filters) == f\n"
        "new = set(sys.modules) - loaded\n"
        "assert not [m for m in new if m.startswith(('matplotlib.pyplot', 'IPython'))], new\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "" and r.stderr == ""


# --------------------------------------------------------------------------------------------
# the templates use the helpers instead of copies
# --------------------------------------------------------------------------------------------

COPIES = [
    "def show_chart",
    "CJK_FONTS =",
    "font_note_shown",
    "def money(",
    "def pct(",
    "def share(",
    "def p_text(",
    "def num(",
    "def with_ci(",
    "def numbers(",
    "def date_param(",
    "def rates_param(",
    "def parse_shares(",
    "def parse_rates(",
    "def parse_day(",
    "def shares_by_tier(",
]


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "notebooks" / "reports").glob("*.ipynb"))
    + [ROOT / "notebooks" / "41_customer_lifetime_value.ipynb"],
    ids=lambda p: p.stem,
)
def test_templates_do_not_define_their_own_copies_of_the_helpers(path):
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert not [c for c in COPIES if c in code]


def test_report_titles_come_from_the_title_parameter_or_the_name():
    titles = {name: reports.title(name) for name in reports.available()}
    assert titles["kano_report"] == "Kano analysis of customer requirements"
    for name, text in titles.items():
        assert text and text != name and "_" not in text, (name, text)
