"""Random CSV text into a transaction log and into a Kano survey: the command either succeeds
with a valid result or exits 2 with one error message, never a traceback (hypothesis, with a
fixed seed so that the default test run is deterministic)."""

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import run_cli

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

junk = st.one_of(
    st.text(max_size=8),
    st.sampled_from(
        [
            "",
            " ",
            "N/A",
            "nan",
            "inf",
            "-inf",
            "1e308",
            "(12.50)",
            "¥1,234.50",
            "12,5",
            '"',
            '""',
            '=HYPERLINK("http://x")',
            "\t",
            "2099-01-01",
            "05/02/2024",
            "2024-02-30",
            "０",
            "\x00",
            "<script>",
            "-0",
            "1" * 30,
        ]
    ),
)
day = st.dates(
    min_value=pd.Timestamp("2023-01-01").date(), max_value=pd.Timestamp("2024-12-31").date()
)
amount = st.floats(min_value=-500, max_value=5000, allow_nan=False).map(lambda x: f"{x:.2f}")
customer = st.sampled_from(["C1", "C2", "C3", "007", "7", "c1", " C2 ", "客户A"])


@st.composite
def log_text(draw):
    header = draw(st.permutations(["customer_id", "date", "amount", "cost", "contacts"]))
    if draw(st.integers(0, 9)) == 0:  # now and then a required column is missing
        header = header[: draw(st.integers(1, 4))]
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))
    spoilt = draw(st.booleans())  # half of the files hold some bad cells
    lines = [sep.join(header)]
    for _ in range(draw(st.integers(0, 12))):
        row = []
        for col in header:
            good = {
                "customer_id": customer,
                "date": day.map(str),
                "amount": amount,
                "cost": amount,
                "contacts": st.integers(0, 3).map(str),
            }[col]
            row.append(draw(junk) if spoilt and draw(st.integers(0, 9)) == 0 else draw(good))
        if spoilt and draw(st.integers(0, 9)) == 0:
            row = row[: draw(st.integers(0, len(row)))]
        lines.append(sep.join(row))
    end = draw(st.sampled_from(["\n", "\r\n", "\n", "\r\n", ""]))
    return end.join(lines) + (end if draw(st.booleans()) else "")


def _check(r, out):
    assert "Traceback" not in r.err, r
    assert r.code in (0, 2), r
    if r.code == 2:
        assert "error:" in r.err, r
        assert not out.exists(), "a failed run left its output"
    return r.code == 0


@SETTINGS
@given(text=log_text(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_random_logs_give_a_table_or_one_error(tmp_path_factory, text, encoding):
    from customer_value.customers import TABLE_COLUMNS

    d = tmp_path_factory.mktemp("log")
    path, out = d / "log.csv", d / "out.csv"
    try:
        path.write_bytes(text.encode(encoding))
    except UnicodeEncodeError:
        path.write_bytes(text.encode("utf-8", "replace"))
    before = path.read_bytes()
    r = run_cli("customers", path, "--out", out)
    if _check(r, out):
        table = pd.read_csv(out, dtype={"customer_id": str}, keep_default_na=False)
        assert tuple(table.columns) == TABLE_COLUMNS
        assert len(table) >= 1 and table["customer_id"].is_unique
        ids = table["customer_id"]
        assert not ids.str.startswith(("=", "+", "@")).any()  # neutralised as '=...
    assert path.read_bytes() == before


@st.composite
def survey_text(draw):
    features = draw(
        st.lists(
            st.sampled_from(["wifi", "app", "price", "客服", "<b>x</b>"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    header = ["respondent_id"] + [
        f"{f}_{k}" for f in features for k in ("functional", "dysfunctional")
    ]
    good = st.one_of(
        st.integers(1, 5).map(str), st.sampled_from(["I like it", "我很喜欢", "无所谓", ""])
    )
    bad = st.one_of(st.sampled_from(["6", "0", "maybe"]), junk)
    spoilt = draw(st.booleans())  # half of the files hold some bad answers
    lines = [",".join(header)]
    for i in range(draw(st.integers(0, 15))):
        row = [
            draw(bad) if spoilt and draw(st.integers(0, 9)) == 0 else draw(good) for _ in header[1:]
        ]
        lines.append(",".join([f"R{i}", *row]))
    return "\n".join(lines) + "\n"


@SETTINGS
@given(text=survey_text())
def test_random_surveys_give_a_table_or_one_error(tmp_path_factory, text):
    d = tmp_path_factory.mktemp("survey")
    path, out = d / "survey.csv", d / "out.csv"
    path.write_bytes(text.encode("utf-8"))
    r = run_cli("kano", path, "--respondent", "respondent_id", "--bootstrap", "0", "--out", out)
    if _check(r, out):
        table = pd.read_csv(out)
        assert len(table) >= 1 and "feature" in table.columns
