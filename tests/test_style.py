"""The course theme: one place, colour-blind palette, Chinese glyphs from the packaged font."""

import warnings

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from customer_value import style


def test_the_packaged_cjk_font_is_registered():
    assert style.cjk_font() == style.CJK_FAMILY
    from matplotlib import font_manager

    assert style.CJK_FAMILY in {f.name for f in font_manager.fontManager.ttflist}


def test_chinese_labels_draw_without_a_missing_glyph(tmp_path):
    with style.theme(), warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing")
        fig, ax = plt.subplots()
        style.label(ax, title="顾客金字塔：铂 金 铁 铅", x="利润 (¥/年)", y="客户数", source="样本")
        ax.bar(["必备", "期望", "魅力"], [1, 2, 3])
        fig.savefig(tmp_path / "zh.png")
        fig.savefig(tmp_path / "zh.pdf")
        plt.close(fig)
    assert (tmp_path / "zh.pdf").stat().st_size > 0


def test_without_the_theme_a_missing_glyph_is_caught_by_the_same_filter(tmp_path):
    """The filter above can fail: with DejaVu Sans alone, Chinese glyphs are missing."""
    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title("顾客金字塔")
        with pytest.warns(UserWarning, match="[Gg]lyph"):
            fig.savefig(tmp_path / "x.png")
        plt.close(fig)


def test_theme_leaves_global_settings_as_it_found_them():
    before = dict(matplotlib.rcParams)
    with style.theme():
        assert matplotlib.rcParams["font.family"][:2] == ["DejaVu Sans", style.CJK_FAMILY]
    assert dict(matplotlib.rcParams) == before


def test_use_sets_the_colour_blind_palette():
    with matplotlib.rc_context():
        style.use()
        cycle = [
            matplotlib.colors.to_hex(c["color"]) for c in matplotlib.rcParams["axes.prop_cycle"]
        ]
        import seaborn as sns

        assert cycle[:10] == sns.color_palette("colorblind").as_hex()[:10]


def test_palettes_name_every_tier_and_kano_category_with_distinct_colours():
    assert tuple(style.TIER_COLORS) == style.TIER_ORDER
    assert len(set(style.TIER_COLORS.values())) == 4
    assert set(style.KANO_COLORS) == set("MOAIRQ")
    assert len(set(style.KANO_COLORS.values())) == 6
    assert style.colors(12)[10] == style.colors()[0]
    with pytest.raises(ValueError):
        style.colors(-1)


def test_source_line_is_written_under_the_figure():
    fig, ax = plt.subplots()
    style.label(ax, title="t", x="x (¥)", y="y", source="datasets/a.csv")
    texts = [t.get_text() for t in fig.texts]
    plt.close(fig)
    assert texts == ["Source: datasets/a.csv"]
    assert "t" in {ax.get_title(loc=where) for where in ("left", "center", "right")}
