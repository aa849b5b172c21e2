"""The one reader: encodings, delimiters, formats, clear errors, inputs never modified."""

import hashlib

import pandas as pd
import pytest

from customer_value.io import InputError, OutputExistsError, atomic_write, read_table

ROWS = "问卷编号,年龄段,face_id_login_functional\nR1,18-34,我很喜欢\nR2,55+,无所谓\n"


def _digest(p):
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_encodings_are_detected(tmp_path, encoding):
    p = tmp_path / "s.csv"
    p.write_bytes(ROWS.encode(encoding))
    before = _digest(p)
    df = read_table(p)
    assert list(df.columns) == ["问卷编号", "年龄段", "face_id_login_functional"]
    assert df["face_id_login_functional"].tolist() == ["我很喜欢", "无所谓"]
    assert _digest(p) == before


@pytest.mark.parametrize("sep", [";", "\t", "|", ","])
def test_delimiter_is_sniffed(tmp_path, sep):
    p = tmp_path / "s.csv"
    p.write_text(ROWS.replace(",", sep), encoding="utf-8")
    assert read_table(p).shape == (2, 3)


def test_text_is_kept_as_text_and_blank_rows_dropped_with_line_numbers(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text('id,amount\n007,"1,234"\n\n008,5\n,\n', encoding="utf-8")
    df = read_table(p)
    assert df["id"].tolist() == ["007", "008"] and df["amount"].tolist() == ["1,234", "5"]
    from customer_value.io import example_rows

    text = example_rows(df, df["id"] == "008", ["id"])
    assert "line 4: id='008'" in text  # header line 1, blank line 3 kept in the count


def test_excel_and_parquet(tmp_path):
    df = pd.DataFrame({"id": ["a", "b"], "x_functional": [1, 5]})
    xl, pq = tmp_path / "s.xlsx", tmp_path / "s.parquet"
    df.to_excel(xl, index=False)
    df.to_parquet(pq)
    assert read_table(xl)["x_functional"].tolist() == ["1", "5"]
    assert read_table(pq)["x_functional"].tolist() == [1, 5]


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "empty"),
        (b"\n\n", "no text"),
        (b"a,b\n", "no data rows"),
        (b"a,a\n1,2\n", "duplicated column"),
        (b"\xff\x00\xfe\x81\xff\xfe\xfd" * 3, "binary data"),
        (b"a,b\n\xff\xfe\xfa\x80,1\n" * 3, "cannot decode"),
    ],
)
def test_bad_files_get_one_clear_error_naming_the_file(tmp_path, content, message):
    p = tmp_path / "bad.csv"
    p.write_bytes(content)
    with pytest.raises(InputError, match=message) as err:
        read_table(p)
    assert str(err.value).startswith(str(p))


def test_missing_file_and_old_excel(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_table(tmp_path / "nope.csv")
    old = tmp_path / "x.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match="xlsx"):
        read_table(old)


def test_atomic_write_leaves_nothing_on_failure_and_refuses_overwrite(tmp_path):
    out = tmp_path / "o.csv"
    with pytest.raises(RuntimeError), atomic_write(out) as fh:
        fh.write("partial")
        raise RuntimeError("boom")
    assert not out.exists() and list(tmp_path.iterdir()) == []
    with atomic_write(out) as fh:
        fh.write("one")
    with pytest.raises(OutputExistsError), atomic_write(out) as fh:
        fh.write("two")
    assert out.read_text() == "one"
    with atomic_write(out, force=True) as fh:
        fh.write("three")
    assert out.read_text() == "three"


def test_atomic_write_gives_the_permissions_of_an_ordinary_new_file(tmp_path):
    import os
    import stat

    mask = os.umask(0o027)
    try:
        with atomic_write(tmp_path / "out.csv") as fh:
            fh.write("a\n")
        (tmp_path / "plain.csv").write_text("a\n")
    finally:
        os.umask(mask)
    mode = stat.S_IMODE((tmp_path / "out.csv").stat().st_mode)
    assert mode == stat.S_IMODE((tmp_path / "plain.csv").stat().st_mode) == 0o640
