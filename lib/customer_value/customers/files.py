"""Opening a user's CSV or Parquet file for DuckDB or Polars, with the guards of a typed reading
of text (IDs as text; day-first or month-first dates refused), and the error that sends a file
to the text reader instead."""

from __future__ import annotations

import os
from pathlib import Path

from ..io import InputError, _sniff_delimiter
from .definitions import _match

#: What to do with a file DuckDB cannot aggregate as it is.
_TEXT_ADVICE = (
    "Read it with customer_value.io.read_table and parse it with "
    "customer_value.customers.clean_transactions, which report every cell they "
    "cannot use with its line number."
)


class _NeedsCleaning(InputError):
    """A file that DuckDB (or Polars) cannot aggregate as it is, but that the text reader
    (:func:`customer_value.io.read_table` + :func:`clean_transactions`) may read: not UTF-8,
    day-first or month-first dates, text in a number column, missing cells, a value DuckDB
    cannot convert. ``reason`` is the short why. The CLI falls back to the text reader on this
    error and reports any other InputError (missing or duplicated columns, an unreadable
    Parquet file) at once."""

    def __init__(self, reason: str, detail: str | None = None, *, source=None, columns=None):
        self.reason = reason
        super().__init__(detail or f"{reason}. {_TEXT_ADVICE}", source=source, columns=columns)

    @classmethod
    def of(cls, err: Exception, source: str) -> _NeedsCleaning:
        if isinstance(err, InputError):
            reason = err.detail.splitlines()[0].split(". ")[0]
            return cls(reason, err.detail, source=source, columns=err.columns)
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        engine = "DuckDB" if "duckdb" in type(err).__module__ else "Polars"
        return cls(f"{engine} cannot read it: {first}", source=source)


def _is_reader_error(err: Exception) -> bool:
    """An error raised by DuckDB or Polars while reading a file (not a bug of ours)."""
    return type(err).__module__.split(".")[0].lstrip("_") in ("duckdb", "polars")


def _is_path(data) -> bool:
    return isinstance(data, (str, os.PathLike))


def _csv_prefix(p: str) -> str:
    """The first 64 KiB of a CSV file as text; UnicodeDecodeError when it is not UTF-8."""
    import codecs

    if p.lower().endswith(".gz"):
        return ""  # DuckDB decompresses; no header check here
    with open(p, "rb") as fh:
        raw = fh.read(1 << 16)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnicodeDecodeError("utf-16", raw[:2], 0, 2, "UTF-16 byte order mark")
    return codecs.getincrementaldecoder("utf-8-sig")().decode(raw, final=False)


def _csv_rows(text: str, delimiter: str, n: int = 2) -> list[list[str]]:
    import csv
    import io as _io

    rows = csv.reader(_io.StringIO(text), delimiter=delimiter or ",")
    return [next(rows, []) for _ in range(n)]


def _open_csv(p: str, engine, *, customer_id: str, date: str):
    """A CSV file for DuckDB or Polars, with the two guards of a typed reading of text.

    * The ID column is read as text, so that ``007`` and ``7`` remain two customers.
    * DuckDB's sniffer guesses day-first or month-first for dates such as ``01/02/2024``
      (1 February or 2 January?) and Polars' ``try_parse_dates`` too; such a date column is
      refused (:class:`_NeedsCleaning`), as :func:`clean_transactions` refuses the cells.
      Only year-first dates are read as they are.
    """
    import glob

    import duckdb

    con = _connection("auto" if engine == "polars" else engine)
    sample = min(glob.glob(p)) if any(ch in p for ch in "*?[") else p  # a file of a glob
    if Path(sample).stat().st_size == 0:
        raise InputError("the file is empty (0 bytes)", source=p)
    try:
        prefix = _csv_prefix(sample)
        delimiter, date_format, ts_format, sniffed = con.execute(
            "SELECT Delimiter, DateFormat, TimestampFormat, Columns FROM sniff_csv(?)", [sample]
        ).fetchall()[0]
    except UnicodeDecodeError:
        raise _NeedsCleaning(
            "the file is not UTF-8 text",
            f"the file is not UTF-8 text, which is all DuckDB reads (GBK, "
            f"GB18030 and UTF-16 files are read by the text reader). "
            f"{_TEXT_ADVICE}",
            source=p,
        ) from None
    except duckdb.Error as err:
        raise _NeedsCleaning.of(err, p) from None
    if prefix and _sniff_delimiter(prefix) != (delimiter or ","):
        # DuckDB's sniffer settles on another delimiter when rows are ragged (or the file is
        # cut off): the text reader names those lines
        raise _NeedsCleaning(
            f"DuckDB reads the delimiter as {delimiter!r}, the header has "
            f"{_sniff_delimiter(prefix)!r}",
            source=p,
        )
    header, row = _csv_rows(prefix, delimiter)
    names = [str(h).strip() for h in header]
    dup = sorted({c for c in names if c and names.count(c) > 1})
    if dup:
        raise InputError(f"duplicated column name(s) in the header: {dup}", source=p, columns=dup)
    types = {c["name"]: c["type"] for c in sniffed}
    id_col, date_col = _match(list(types), customer_id), _match(list(types), date)
    fmt = {"DATE": date_format, "TIMESTAMP": ts_format}.get(types.get(date_col))
    if fmt and not fmt.startswith("%Y"):
        pos = list(types).index(date_col)
        example = (
            f" (e.g. {row[pos].strip()!r} on line 2)" if pos < len(row) and row[pos].strip() else ""
        )
        raise _NeedsCleaning(
            f"dates written as {fmt}",
            f"column {date_col!r} holds dates written day or month first{example}, which DuckDB "
            f"would read as {fmt}: such dates are ambiguous (01/02/2024 is 1 February or 2 "
            "January), so they are not guessed. Write them year first (YYYY-MM-DD), or read "
            "the file with customer_value.io.read_table and parse it with "
            "customer_value.customers.clean_transactions, which accept year-first dates only "
            "and name every other cell with its line number.",
            source=p,
            columns=[date_col],
        )
    if engine == "polars":
        import polars as pl

        # Polars' own date guessing takes 01/02/2024 day first: the dates are parsed with the
        # year-first format DuckDB found, or left as text (refused later) when it found none
        text = {} if id_col is None else {id_col: pl.String}
        lf = pl.scan_csv(
            p, separator=delimiter or ",", schema_overrides=text, try_parse_dates=False
        )
        kind = types.get(date_col)
        if kind == "DATE":
            lf = lf.with_columns(pl.col(date_col).str.to_date(fmt or None))
        elif kind == "TIMESTAMP":
            lf = lf.with_columns(pl.col(date_col).str.to_datetime(fmt or None))
        return lf, "polars"
    text = {} if id_col is None else {id_col: "VARCHAR"}
    return con.read_csv(p, dtype=text), "duckdb"


def _open_path(path, engine, *, customer_id: str = "customer_id", date: str = "date"):
    """A lazy reader of a CSV or Parquet file (or Parquet directory or glob): a DuckDB relation,
    or a Polars LazyFrame with ``engine="polars"``; see :func:`_open_csv` for CSV files."""
    import duckdb

    p = str(path)
    lower = p.lower()
    import glob

    if not (glob.glob(p) if any(ch in p for ch in "*?[") else Path(p).exists()):
        raise InputError("file not found", source=p)
    if Path(p).is_dir() and not any(Path(p).rglob("*.parquet")):
        raise InputError(
            "is a directory, not a file (a directory is read as a Parquet dataset, "
            "and this one holds no .parquet file)",
            source=p,
        )
    if lower.endswith((".parquet", ".pq")) or (Path(p).is_dir()):
        kind = "parquet"
    elif lower.endswith((".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz")):
        kind = "csv"
    else:
        raise InputError(
            "customer_table reads .csv and .parquet files (for Excel, use "
            "customer_value.io.read_table and clean_transactions)",
            source=p,
        )
    if kind == "csv":
        return _open_csv(p, engine, customer_id=customer_id, date=date)
    if engine == "polars":
        import polars as pl

        return pl.scan_parquet(p), "polars"
    try:
        rel = _connection(engine).read_parquet(p)
    except duckdb.Error as err:
        raise InputError(
            f"not a readable Parquet file: {str(err).strip().splitlines()[0]}", source=p
        ) from None
    names = [str(c).strip() for c in rel.columns]
    dup = sorted({c for c in names if c and names.count(c) > 1})
    if dup:
        raise InputError(f"duplicated column name(s): {dup}", source=p, columns=dup)
    return rel, "duckdb"


def _connection(engine):
    import duckdb

    if isinstance(engine, duckdb.DuckDBPyConnection):
        return engine
    return duckdb.connect()
