"""Reading users' files and writing outputs safely.

One reader, :func:`read_table`, for every file a user hands to the library or the CLI: CSV (UTF-8,
UTF-8 with BOM, UTF-16 "Unicode text" and GB18030/GBK as written by Chinese Excel; delimiter sniffed),
Excel (.xlsx/.xlsm) and Parquet. Problems with a file are raised as one error type,
:class:`InputError`, whose message names the file, the column(s) and up to five example rows with
their line numbers. Input files are only ever opened for reading.

Outputs are written through :func:`atomic_write` / :func:`atomic_directory`: the content goes to a
temporary file next to the target and is moved into place only when complete, so a failure never
leaves a half-written file, and an existing output is kept unless ``force=True``.
"""

from __future__ import annotations

import contextlib
import csv
import io as _io
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "InputError",
    "read_table",
    "detect_encoding",
    "validate",
    "example_rows",
    "atomic_write",
    "atomic_directory",
    "OutputExistsError",
    "pandera",
    "read_yaml",
    "write_csv",
    "neutralize_formulas",
]

MAX_EXAMPLES = 5
_ENCODINGS = ("utf-8-sig", "gb18030")
_DELIMITERS = ",;\t|"


class InputError(ValueError):
    """A user's input cannot be used as it is.

    The message is meant to be shown to the user as it is: it names the file (when known), the
    column(s) and up to five example rows with their line numbers. The CLI prints it without a
    traceback and exits with status 2.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | os.PathLike | None = None,
        columns: Sequence[str] | None = None,
    ):
        self.source = None if source is None else str(source)
        self.columns = list(columns or [])
        self.detail = message
        super().__init__(self._compose())

    def _compose(self) -> str:
        return f"{self.source}: {self.detail}" if self.source else self.detail

    def with_source(self, source: str | os.PathLike) -> InputError:
        """Return the same error attributed to ``source`` (a file path), if it has none yet."""
        if self.source is None:
            self.source = str(source)
            self.args = (self._compose(),)
        return self


# --------------------------------------------------------------------------------------------
# where rows come from: line numbers for messages
# --------------------------------------------------------------------------------------------


def _line_label(df: pd.DataFrame, idx) -> str:
    origin = df.attrs.get("customer_value_source")
    if origin and isinstance(idx, (int, np.integer)):
        return f"{origin['unit']} {int(idx) + origin['first']}"
    return f"row {idx!r}"


def example_rows(df: pd.DataFrame, mask, columns: Sequence[str], limit: int = MAX_EXAMPLES) -> str:
    """Format up to ``limit`` rows of ``df`` selected by ``mask`` for an error message.

    Each row is shown with its line number in the source file (when ``df`` came from
    :func:`read_table`) and the values of ``columns``.
    """
    sel = df.index[pd.Series(mask, index=df.index).fillna(False).to_numpy(dtype=bool)]
    lines = []
    for idx in sel[:limit]:
        values = ", ".join(f"{c}={_show(df.at[idx, c])}" for c in columns if c in df.columns)
        lines.append(f"  {_line_label(df, idx)}: {values}")
    more = len(sel) - limit
    if more > 0:
        lines.append(f"  ... and {more} more row{'s' if more != 1 else ''}")
    return "\n".join(lines)


def _show(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "<missing>"
    return repr(value) if isinstance(value, str) else str(value)


# --------------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------------


def detect_encoding(raw: bytes) -> str:
    """Guess the text encoding of a CSV file's bytes.

    UTF-16 is recognised by its byte-order mark (Excel's "Unicode text" export); otherwise UTF-8
    (with or without BOM) is tried, then GB18030, the superset of GBK/GB2312 that Chinese Excel
    writes. Raises :class:`InputError` when none decodes the bytes.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in raw[: 1 << 16]:
        raise InputError(
            "not a text file: it holds binary data (NUL bytes); export the table as CSV or .xlsx"
        )
    for enc in _ENCODINGS:
        try:
            raw.decode(enc)
        except UnicodeDecodeError:
            continue
        return enc
    raise InputError(
        "cannot decode the file: it is not UTF-8, UTF-16 or GB18030/GBK text. "
        "Save it as 'CSV UTF-8' or pass encoding=..."
    )


def _sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text: the one candidate that occurs in the header line when there
    is exactly one, else what :class:`csv.Sniffer` finds in the first 50 lines, else the most
    frequent candidate of the header (a comma when none occurs)."""
    lines = text.splitlines()
    header = lines[0] if lines else ""
    counts = {d: header.count(d) for d in _DELIMITERS}
    present = [d for d, k in counts.items() if k]
    if len(present) == 1:
        return present[0]
    try:
        return csv.Sniffer().sniff("\n".join(lines[:50]), delimiters=_DELIMITERS).delimiter
    except csv.Error:
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def read_table(
    path: str | os.PathLike,
    *,
    sheet: str | int | None = 0,
    encoding: str | None = None,
    sep: str | None = None,
    as_text: bool = True,
    bad_rows: str = "raise",
) -> pd.DataFrame:
    """Read a user's CSV, Excel or Parquet file into a DataFrame, without modifying it.

    Parameters
    ----------
    path : file path. The format is chosen by extension: ``.csv``/``.txt``/``.tsv``, ``.xlsx``/
        ``.xlsm``, ``.parquet``/``.pq``.
    sheet : Excel sheet name or position.
    encoding : CSV text encoding; detected when omitted (see :func:`detect_encoding`).
    sep : CSV delimiter; sniffed among ``, ; tab |`` when omitted.
    as_text : read every CSV/Excel column as text (the default), so that nothing is converted
        silently (IDs keep their leading zeros, ``"1,234"`` is not misread); domain functions
        parse and validate the columns they use. Empty cells are missing values.
    bad_rows : what to do with a CSV row whose number of fields differs from the header's (a
        ragged row, or a last line cut off when a file was copied incompletely): ``"raise"``
        (default) refuses the file naming the lines; ``"drop"`` leaves them out and records
        how many in ``df.attrs["customer_value_source"]["dropped"]``. Trailing empty fields
        (``a,b,c,,``, as spreadsheets write them) are not a problem.

    The returned frame carries the origin of its rows in ``df.attrs`` so that errors can name
    line numbers in the file (CSV: header is line 1; Excel: sheet row), and its index is the
    position of each row in the file.

    Examples
    --------
    >>> from customer_value import paths
    >>> df = read_table(paths.resolve("datasets/kano_survey.csv"))
    >>> df.shape, df.attrs["customer_value_source"]["unit"]
    ((600, 39), 'line')
    """
    if bad_rows not in ("raise", "drop"):
        raise ValueError(f"bad_rows must be 'raise' or 'drop', not {bad_rows!r}")
    p = Path(path)
    if not p.exists():
        raise InputError("file not found", source=p)
    if p.is_dir():
        raise InputError("is a directory, not a file", source=p)
    if p.stat().st_size == 0:
        raise InputError("the file is empty (0 bytes)", source=p)
    suffix = p.suffix.lower()
    dropped: dict[str, int] = {}
    try:
        if suffix in (".xlsx", ".xlsm"):
            df = _read_excel(p, sheet, as_text)
            unit, first = "line", 2
        elif suffix == ".xls":
            raise InputError(
                "old Excel .xls files are not supported: save the sheet as .xlsx or CSV"
            )
        elif suffix in (".parquet", ".pq"):
            try:
                df = pd.read_parquet(p)
            except Exception as exc:  # pyarrow's errors of a corrupt or non-Parquet file
                first_line = (
                    str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                )
                raise InputError(f"not a readable Parquet file: {first_line}") from None
            unit, first = "row", 1
        else:
            df, dropped = _read_csv(p, encoding, sep, as_text, bad_rows)
            unit, first = "line", 0
    except InputError as err:
        raise err.with_source(p) from None
    if df.shape[1] == 0:
        raise InputError("no columns found", source=p)
    if len(df) == 0:
        raise InputError(
            f"no data rows (only a header with columns {list(df.columns)[:10]})", source=p
        )
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    df = df.loc[~df.isna().all(axis=1)]
    if len(df) == 0:
        raise InputError("no data rows (every row is blank)", source=p)
    dup = sorted({c for c in df.columns if list(df.columns).count(c) > 1})
    if dup:
        raise InputError(f"duplicated column name(s) in the header: {dup}", source=p, columns=dup)
    df.attrs["customer_value_source"] = {"path": str(p), "unit": unit, "first": first}
    if dropped:
        df.attrs["customer_value_source"]["dropped"] = dropped
    return df


def _read_csv(
    p: Path, encoding: str | None, sep: str | None, as_text: bool, bad_rows: str
) -> tuple[pd.DataFrame, dict[str, int]]:
    """The CSV as text columns, indexed by the file line where each row starts; rows of another
    length than the header are refused (or dropped and counted)."""
    raw = p.read_bytes()
    enc = encoding or detect_encoding(raw)
    if not enc.startswith("utf-16") and b"\x00" in raw[: 1 << 16]:
        raise InputError("not a text file: it holds binary data (NUL bytes); export it as CSV")
    try:
        text = raw.decode(enc)
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(f"cannot decode the file as {enc}: {exc}") from None
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputError("the file has no text (only blank lines)")
    delimiter = sep or _sniff_delimiter(text)
    reader = csv.reader(_io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader, [])
        names = [h.strip() for h in header]
        dup = sorted({h for h in names if h and names.count(h) > 1})
        if dup:
            raise InputError(f"duplicated column name(s) in the header: {dup}", columns=dup)
        n = len(header)
        rows, lines, bad = [], [], []
        prev = reader.line_num
        for rec in reader:
            start, prev = prev + 1, reader.line_num
            if not rec or not any(f.strip() for f in rec):  # a blank line, or ",,," as Excel writes
                continue
            if len(rec) != n:
                if len(rec) > n and not any(f.strip() for f in rec[n:]):
                    rec = rec[:n]
                else:
                    bad.append((start, len(rec)))
                    continue
            rows.append(rec)
            lines.append(start)
    except csv.Error as exc:
        raise InputError(
            f"not a well-formed table with delimiter {delimiter!r} (line {reader.line_num}): {exc}"
        ) from None
    dropped: dict[str, int] = {}
    if bad:
        cut = bad[-1][0] == prev and not text.endswith(("\n", "\r")) and bad[-1][1] < n
        what = [
            f"line {line} has {k} field{'s' if k != 1 else ''}"
            + (
                " (the file ends in the middle of this line: was it copied completely?)"
                if cut and line == bad[-1][0]
                else ""
            )
            for line, k in bad[:MAX_EXAMPLES]
        ]
        more = len(bad) - MAX_EXAMPLES
        if bad_rows == "raise":
            raise InputError(
                f"{len(bad)} row{'s' if len(bad) != 1 else ''} ha{'ve' if len(bad) != 1 else 's'} "
                f"another number of fields than the header ({n}, delimiter {delimiter!r}): "
                + "; ".join(what)
                + (f"; and {more} more" if more > 0 else "")
                + ". Correct them, or leave them out with on_invalid='drop' (--on-invalid drop)."
            )
        dropped["a number of fields other than the header's"] = len(bad)
    df = pd.DataFrame(rows, columns=header, index=pd.Index(lines, dtype="int64"))
    df = df.replace("", np.nan) if len(df) else df
    if not as_text:
        df = df.apply(_maybe_numeric)
    return df, dropped


def _maybe_numeric(col: pd.Series) -> pd.Series:
    """A text column as numbers when every non-missing cell is one, else unchanged."""
    x = pd.to_numeric(col, errors="coerce")
    return x if x.notna().sum() == col.notna().sum() else col


def _read_excel(p: Path, sheet, as_text: bool) -> pd.DataFrame:
    try:
        return pd.read_excel(p, sheet_name=sheet, dtype=str if as_text else None, engine="openpyxl")
    except ValueError as exc:
        raise InputError(f"cannot read sheet {sheet!r}: {exc}") from None
    except Exception as exc:  # zip/XML errors from a corrupt workbook
        raise InputError(f"not a readable Excel workbook: {exc}") from None


# --------------------------------------------------------------------------------------------
# schema validation
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _quiet_pyspark() -> Iterator[None]:
    # pandera imports pyspark.pandas (installed here by the test extra) when it is imported and
    # again when it first registers its pandas backends; under pandas 3 pyspark then warns that
    # it "does not yet fully support" it. Only that warning is silenced, only around pandera.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "PySpark does not yet fully support", FutureWarning)
        yield


def pandera():
    """pandera's pandas API (``pandera.pandas``), the schema language of every input check.

    Imported without pyspark's pandas-3 FutureWarning (see :func:`validate`); no global warning
    filter is changed.
    """
    with _quiet_pyspark():
        import pandera.pandas as pa
    return pa


def validate(df: pd.DataFrame, schema, *, source: str | None = None) -> pd.DataFrame:
    """Check ``df`` against a pandera ``DataFrameSchema`` and raise one :class:`InputError`.

    All failures are collected (pandera's lazy mode) and reported per column with the distinct
    offending values, their counts and up to five example rows with line numbers.
    """
    pa = pandera()
    try:
        with _quiet_pyspark():
            return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise _schema_error(df, exc.failure_cases, source) from None


def _schema_error(df: pd.DataFrame, cases: pd.DataFrame, source) -> InputError:
    if source is None:
        source = df.attrs.get("customer_value_source", {}).get("path")
    parts, columns = [], []
    for (column, check), grp in cases.groupby(["column", "check"], sort=False, dropna=False):
        column = None if pd.isna(column) else str(column)
        if check == "column_in_dataframe":
            missing = ", ".join(repr(str(v)) for v in grp["failure_case"])
            parts.append(
                f"missing required column(s): {missing}; columns present: {list(df.columns)[:20]}"
            )
            columns.extend(str(v) for v in grp["failure_case"])
            continue
        columns.append(column or "")
        idx = grp["index"].dropna()
        if column and column in df.columns and len(idx):
            mask = df.index.isin(idx.tolist())
            counts = grp["failure_case"].astype(str).value_counts()
            values = ", ".join(f"{v!r} ({n}x)" for v, n in counts.head(10).items())
            parts.append(
                f"column {column!r} fails check {check}: {len(idx)} row(s); "
                f"values {values}\n" + example_rows(df, mask, [column])
            )
        else:
            parts.append(
                f"{column or 'table'}: fails check {check}: "
                f"{', '.join(map(str, grp['failure_case'].head(5)))}"
            )
    return InputError("\n".join(parts), source=source, columns=[c for c in columns if c])


# --------------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------------


class OutputExistsError(InputError):
    """The output already exists and ``force`` was not given."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike, *, force: bool = False, mode: str = "w", encoding: str | None = "utf-8"
) -> Iterator:
    """Open a temporary file next to ``path``; move it into place only if the block succeeds.

    An existing ``path`` is kept unless ``force``; a directory, or a place this user cannot
    write to, is an InputError (before anything is written).

    >>> import os, tempfile
    >>> out = os.path.join(tempfile.mkdtemp(), "out.csv")
    >>> with atomic_write(out) as fh:
    ...     _ = fh.write("a,b\\n1,2\\n")
    >>> open(out).read().splitlines()
    ['a,b', '1,2']
    >>> with atomic_write(out) as fh:                     # doctest: +ELLIPSIS
    ...     pass
    Traceback (most recent call last):
    ...
    customer_value.io.OutputExistsError: ...out.csv exists; use --force (force=True) to overwrite it
    """
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{target} is a directory: give a file name for the output")
    if target.exists() and not force:
        raise OutputExistsError(f"{target} exists; use --force (force=True) to overwrite it")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror or exc}") from None
    # mkstemp creates the file readable by its owner only; an output gets the permissions an
    # ordinary new file would (0666 less the umask), e.g. for a report on a shared drive.
    os.chmod(tmp, 0o666 & ~_umask())
    try:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_directory(
    path: str | os.PathLike, names: Iterable[str], *, force: bool = False
) -> Iterator[Path]:
    """Yield a temporary directory; on success move the files ``names`` into ``path``.

    Existing files among ``names`` in ``path`` are an error unless ``force``. Nothing is moved if
    the block raises (or is interrupted), so no partial set of outputs is left behind; ``path``
    itself is created only when the outputs are complete, so a failed run leaves no new empty
    directory either. The temporary directory lives in the nearest existing ancestor of
    ``path`` (same file system, so the final moves are atomic renames).
    """
    target = Path(path)
    names = list(names)
    if target.exists() and not target.is_dir():
        raise InputError(f"{target} is a file, not a directory: give a directory for the outputs")
    clash = [n for n in names if (target / n).exists()]
    if clash and not force:
        raise OutputExistsError(
            f"{', '.join(str(target / n) for n in clash)} exist(s); use --force to overwrite"
        )
    anchor = target
    while not anchor.exists():
        anchor = anchor.parent
    if not os.access(anchor, os.W_OK):
        raise InputError(f"cannot write into {anchor}: permission denied")
    tmpdir = Path(tempfile.mkdtemp(prefix=".customer-value.", dir=anchor))
    try:
        yield tmpdir
        for n in names:
            if not (tmpdir / n).exists():
                raise RuntimeError(f"expected output {n} was not produced")
        target.mkdir(parents=True, exist_ok=True)
        for n in names:
            os.replace(tmpdir / n, target / n)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# YAML files of users (labels, scales, parameters, firm figures)
# --------------------------------------------------------------------------------------------


def read_yaml(path: str | os.PathLike, *, what: str = "a YAML file", expect: type | None = dict):
    """Read a user's YAML file safely: plain data only (``yaml.safe_load``), one InputError for
    every problem.

    The error names the file and, for a syntax error, the line and column with the offending
    line; a tag that would build Python objects (``!!python/object``, ``!!python/name`` ...) is
    refused as unsafe. ``expect`` is the type the top level must have (a mapping by default;
    None accepts anything). An empty file gives None when ``expect`` is None, else an error.

    >>> read_yaml("missing.yaml")                                   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    customer_value.io.InputError: missing.yaml: file not found
    """
    import yaml

    p = Path(path)
    if not p.exists():
        raise InputError("file not found", source=p)
    if p.is_dir():
        raise InputError("is a directory, not a file", source=p)
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise InputError(f"cannot decode {what}: save it as UTF-8 text", source=p) from None
    if "\x00" in text:
        raise InputError(f"not {what}: the file holds binary data", source=p)
    try:
        data = yaml.safe_load(text)
    except yaml.constructor.ConstructorError as exc:
        tag = getattr(exc, "problem", "") or str(exc)
        where = _yaml_where(exc, text)
        raise InputError(
            f"{what} may hold plain data only (text, numbers, lists, mappings){where}: "
            f"{tag.strip()}. Tags such as !!python/object are refused because they would run "
            "code; remove the tag.",
            source=p,
        ) from None
    except yaml.YAMLError as exc:
        problem = (getattr(exc, "problem", None) or str(exc).splitlines()[0]).strip()
        raise InputError(
            f"{what} is not valid YAML{_yaml_where(exc, text)}: {problem}. Check the "
            "indentation and that every 'name: value' has a space after the colon.",
            source=p,
        ) from None
    if data is None and expect is not None:
        raise InputError(f"{what} is empty", source=p)
    if expect is not None and not isinstance(data, expect):
        kind = {dict: "a mapping of 'name: value' lines", list: "a list"}.get(
            expect, expect.__name__
        )
        raise InputError(f"{what} must be {kind}, not {type(data).__name__}", source=p)
    return data


def _yaml_where(exc, text: str) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return ""
    lines = text.splitlines()
    shown = lines[mark.line].strip() if 0 <= mark.line < len(lines) else ""
    return f" (line {mark.line + 1}, column {mark.column + 1}" + (
        f": {shown[:80]!r})" if shown else ")"
    )


# --------------------------------------------------------------------------------------------
# exporting tables that people open in Excel
# --------------------------------------------------------------------------------------------

#: First characters that make Excel, LibreOffice and Google Sheets read a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` in which text cells (and column names) that a spreadsheet would run as a
    formula start with an apostrophe: ``=HYPERLINK(...)`` becomes ``'=HYPERLINK(...)``.

    Text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is neutralised,
    as the OWASP advice on CSV injection recommends; numbers are left alone (a negative amount
    is a number, not text). Only object/string columns are touched.

    >>> neutralize_formulas(pd.DataFrame({"id": ["=1+1", "c2"], "x": [-1.5, 2.0]}))
          id    x
    0  '=1+1 -1.5
    1     c2  2.0
    """

    def fix(v):
        return "'" + v if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v

    out = df.copy()
    for c in out.columns:
        col = out[c]
        if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
            hit = col.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_PREFIXES))
            if bool(hit.any()):
                out[c] = col.map(fix)
    out.columns = [fix(str(c)) if isinstance(c, str) else c for c in out.columns]
    return out


def write_csv(
    df: pd.DataFrame,
    path: str | os.PathLike,
    *,
    force: bool = False,
    safe: bool = True,
    inputs: Sequence[str | os.PathLike] = (),
    **to_csv,
) -> Path:
    """Write ``df`` to a CSV file atomically (see :func:`atomic_write`), UTF-8, no index.

    ``safe`` (default) neutralises text cells that a spreadsheet would run as formulas (see
    :func:`neutralize_formulas`); pass ``safe=False`` for machine-readable output. ``inputs``
    are the files the table was made from: writing over one of them is refused, whatever
    ``force`` says. Other keyword arguments go to :meth:`pandas.DataFrame.to_csv`.
    """
    target = Path(path)
    for src in inputs:
        if target.exists() and Path(src).exists() and target.resolve() == Path(src).resolve():
            raise InputError(
                f"the output {target} is an input file; inputs are never overwritten: "
                "choose another name"
            )
    if target.is_dir():
        raise InputError(f"the output {target} is a directory; give a file name")
    frame = neutralize_formulas(df) if safe else df
    to_csv.setdefault("index", False)
    with atomic_write(target, force=force) as fh:
        frame.to_csv(fh, **to_csv)
    return target
