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
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        header = sample.splitlines()[0] if sample else ""
        counts = {d: header.count(d) for d in _DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def read_table(
    path: str | os.PathLike,
    *,
    sheet: str | int | None = 0,
    encoding: str | None = None,
    sep: str | None = None,
    as_text: bool = True,
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

    The returned frame carries the origin of its rows in ``df.attrs`` so that errors can name
    line numbers in the file (CSV: header is line 1, first data row line 2; Excel: sheet row).

    Examples
    --------
    >>> df = read_table("datasets/kano_survey.csv")            # doctest: +SKIP
    """
    p = Path(path)
    if not p.exists():
        raise InputError("file not found", source=p)
    if p.is_dir():
        raise InputError("is a directory, not a file", source=p)
    if p.stat().st_size == 0:
        raise InputError("the file is empty (0 bytes)", source=p)
    suffix = p.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            df = _read_excel(p, sheet, as_text)
            unit, first = "line", 2
        elif suffix == ".xls":
            raise InputError(
                "old Excel .xls files are not supported: save the sheet as .xlsx or CSV"
            )
        elif suffix in (".parquet", ".pq"):
            df = pd.read_parquet(p)
            unit, first = "row", 1
        else:
            df = _read_csv(p, encoding, sep, as_text)
            unit, first = "line", 2
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
    return df


def _read_csv(p: Path, encoding: str | None, sep: str | None, as_text: bool) -> pd.DataFrame:
    raw = p.read_bytes()
    enc = encoding or detect_encoding(raw)
    try:
        text = raw.decode(enc)
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(f"cannot decode the file as {enc}: {exc}") from None
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputError("the file has no text (only blank lines)")
    delimiter = sep or _sniff_delimiter(text)
    header = next(csv.reader(_io.StringIO(text), delimiter=delimiter), [])
    names = [h.strip() for h in header]
    dup = sorted({h for h in names if h and names.count(h) > 1})
    if dup:
        raise InputError(f"duplicated column name(s) in the header: {dup}", columns=dup)
    try:
        return pd.read_csv(
            _io.StringIO(text),
            sep=delimiter,
            dtype=str if as_text else None,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
        )
    except pd.errors.ParserError as exc:
        raise InputError(f"not a well-formed table with delimiter {delimiter!r}: {exc}") from None


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

    >>> with atomic_write("out.csv", force=True) as fh:      # doctest: +SKIP
    ...     df.to_csv(fh, index=False)
    """
    target = Path(path)
    if target.exists() and not force:
        raise OutputExistsError(f"{target} exists; use --force (force=True) to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
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
    the block raises, so no partial set of outputs is left behind.
    """
    target = Path(path)
    names = list(names)
    clash = [n for n in names if (target / n).exists()]
    if clash and not force:
        raise OutputExistsError(
            f"{', '.join(str(target / n) for n in clash)} exist(s); use --force to overwrite"
        )
    target.mkdir(parents=True, exist_ok=True)
    tmpdir = Path(tempfile.mkdtemp(prefix=".customer-value.", dir=target))
    try:
        yield tmpdir
        for n in names:
            if not (tmpdir / n).exists():
                raise RuntimeError(f"expected output {n} was not produced")
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
