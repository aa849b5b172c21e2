"""Running a report template: parameters checked and typed, papermill execution, HTML without
code, outputs only when the whole run succeeded."""

from __future__ import annotations

import os
import re
from datetime import date as _date
from pathlib import Path

import nbformat

from ..io import InputError, atomic_directory
from ..notebooks import clean, dumps, execute, render_html, title_of
from ..paths import repo_root

__all__ = ["available", "parameters", "run", "template", "title"]


def available(root: Path | None = None) -> list[str]:
    """Names of the report templates."""
    root = root or repo_root()
    return sorted(p.stem for p in (root / "notebooks" / "reports").glob("*.ipynb"))


def template(name: str, root: Path | None = None) -> Path:
    root = root or repo_root()
    p = root / "notebooks" / "reports" / f"{name}.ipynb"
    if not p.exists():
        raise InputError(f"unknown report {name!r}; available: {', '.join(available(root))}")
    return p


def parameters(name: str, root: Path | None = None) -> dict:
    """The template's parameters: name → {default, type, help, path} (from the ``parameters``
    cell, read with papermill's inspection)."""
    import papermill as pm

    spec = pm.inspect_notebook(str(template(name, root)))
    out = {}
    for key, info in spec.items():
        helptext = (info.get("help") or "").strip()
        out[key] = {
            "default": info.get("default"),
            "type": info.get("inferred_type_name"),
            "help": helptext,
            "path": helptext.lower().startswith("path"),
        }
    return out


def title(name: str, root: Path | None = None) -> str:
    """The report's title: the default of its ``title`` parameter, else the template's first
    Markdown heading, else its name in words ("profit_model_report" → "Profit model report")."""
    import ast

    default = parameters(name, root).get("title", {}).get("default")
    try:
        text = ast.literal_eval(default) if isinstance(default, str) else None
    except (ValueError, SyntaxError):
        text = None
    if isinstance(text, str) and text.strip():
        return text.strip()
    heading = title_of(template(name, root))
    return heading if heading != name else name.replace("_", " ").capitalize()


def _coerce(key: str, value, info: dict, cwd: Path):
    import yaml

    if isinstance(value, _date):
        # a YAML parameters file reads 2024-06-30 as a date, which papermill cannot store in
        # the notebook (JSON); the templates parse the text (reports.parse_date)
        return value.isoformat()
    if not isinstance(value, str):
        return value
    typ = (info.get("type") or "").lower()
    try:
        if typ == "int":
            return int(value)
        if typ == "float":
            return float(value)
        if typ == "bool":
            low = value.strip().lower()
            if low in ("true", "yes", "1"):
                return True
            if low in ("false", "no", "0"):
                return False
            raise ValueError(value)
    except ValueError:
        raise InputError(f"parameter {key!r} expects {typ}, got {value!r}") from None
    if typ in ("none", "nonetype"):
        return yaml.safe_load(value)
    if info.get("path") and value:
        p = Path(value).expanduser()
        p = p if p.is_absolute() else (cwd / p)
        if not p.exists():
            raise InputError(f"parameter {key!r}: file not found: {p}")
        return str(p.resolve())
    return value


def run(
    name: str,
    params: dict,
    *,
    out_dir: str | Path,
    force: bool = False,
    progress: bool = True,
    cwd: Path | None = None,
    root: Path | None = None,
) -> list[Path]:
    """Execute report ``name`` with ``params`` and write ``NAME.html`` and ``NAME.ipynb``.

    Raises :class:`~customer_value.io.InputError` for unknown parameters, bad values, or an
    input error raised inside the report (e.g. a survey with an unknown answer wording). The
    outputs appear only when the whole run succeeded: a failure or Ctrl-C leaves nothing behind
    (not even a new empty directory) and shuts the kernel down. The written notebook and HTML
    name each input file by its name and SHA-256, never by its path on this machine.
    """
    from nbclient.exceptions import CellExecutionError

    root = root or repo_root()
    cwd = Path(cwd or os.getcwd())
    tpl = template(name, root)
    spec = parameters(name, root)
    unknown = sorted(set(params) - set(spec))
    if unknown:
        valid = ", ".join(f"{k} (default {v['default']})" for k, v in spec.items())
        raise InputError(
            f"unknown parameter(s) for report {name!r}: {', '.join(unknown)}. "
            f"Valid parameters: {valid}"
        )
    values = {k: _coerce(k, v, spec[k], cwd) for k, v in params.items()}
    # the template's default data files are inputs too: resolve them for the scrubbing below
    inputs = {
        k: _resolved_default(v["default"], root)
        for k, v in spec.items()
        if v["path"] and k not in values
    }
    inputs.update({k: v for k, v in values.items() if spec[k]["path"] and v})
    out_dir = Path(out_dir)
    out_dir = out_dir if out_dir.is_absolute() else cwd / out_dir
    names = [f"{name}.html", f"{name}.ipynb"]
    with atomic_directory(out_dir, names, force=force) as tmp:
        nb = nbformat.read(tpl, as_version=4)
        try:
            nb = execute(
                nb, cwd=tpl.parent, parameters=values, progress=progress, label=f"report {name}"
            )
        except CellExecutionError as exc:
            if exc.ename in ("InputError", "OutputExistsError"):
                raise InputError(_strip_ansi(str(exc.evalue))) from None
            raise RuntimeError(
                f"report {name!r} failed: {exc.ename}: {_strip_ansi(str(exc.evalue))}"
            ) from None
        clean(nb)
        _scrub(nb, {k: v for k, v in inputs.items() if v}, [cwd, root, tpl.parent])
        (tmp / f"{name}.ipynb").write_text(dumps(nb), encoding="utf-8")
        (tmp / f"{name}.html").write_text(render_html(nb, exclude_input=True), encoding="utf-8")
    return [out_dir / n for n in names]


def _resolved_default(default, root: Path) -> str | None:
    import ast

    try:
        value = ast.literal_eval(default) if isinstance(default, str) else None
    except (ValueError, SyntaxError):
        return None
    if not isinstance(value, str) or not value:
        return None
    p = Path(value)
    return str((p if p.is_absolute() else root / p).resolve())


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def _sha256(path: str) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _scrub(nb, inputs: dict[str, str], directories) -> None:
    """Replace the machine's paths in ``nb`` by file names: each input file's absolute path by
    its name (the injected parameters cell also records its SHA-256), and any other mention of
    the working, repository or template directory by nothing."""
    replace = []
    for path in sorted(set(inputs.values()), key=len, reverse=True):
        replace.append((path, Path(path).name))
    for d in sorted({str(Path(d).resolve()) for d in directories}, key=len, reverse=True):
        replace.append((d + os.sep, ""))
        replace.append((d, "."))

    def fix(text: str) -> str:
        for old, new in replace:
            text = text.replace(old, new)
        return text

    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            lines = []
            for line in cell.source.splitlines():
                key = line.split("=", 1)[0].strip()
                if key in inputs:
                    name = Path(inputs[key]).name
                    line = f"{key} = {name!r}  # sha256 {_sha256(inputs[key])}"
                lines.append(line)
            cell.source = "\n".join(lines)
        cell.source = fix(cell.source)
        for out in cell.get("outputs", []):
            if "text" in out:
                out["text"] = fix(out["text"])
            for mime, data in out.get("data", {}).items():
                if mime.startswith("text/") or mime in ("application/json",):
                    out["data"][mime] = fix(data) if isinstance(data, str) else data
            if "traceback" in out:
                out["traceback"] = [fix(t) for t in out["traceback"]]
