"""Client-ready reports: parameterised notebooks in ``notebooks/reports/`` run on a user's data.

:func:`run` executes a template with papermill and renders it to HTML without code (nbconvert
``exclude_input``), next to the executed notebook. Unlike papermill itself, an unknown parameter
name is an error that lists the valid ones, values are converted to the type of the template's
default, and path parameters (those whose comment in the template starts with ``path``) are
resolved against the caller's directory. Outputs appear only when the whole run succeeded.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat

from .io import InputError, atomic_directory
from .paths import repo_root

__all__ = ["available", "template", "parameters", "title", "run"]


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
        out[key] = {"default": info.get("default"), "type": info.get("inferred_type_name"),
                    "help": helptext, "path": helptext.lower().startswith("path")}
    return out


def title(name: str, root: Path | None = None) -> str:
    from .notebooks import title_of

    return title_of(template(name, root))


def _coerce(key: str, value, info: dict, cwd: Path):
    import yaml

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


def run(name: str, params: dict, *, out_dir: str | Path, force: bool = False, progress: bool = True,
        cwd: Path | None = None, root: Path | None = None) -> list[Path]:
    """Execute report ``name`` with ``params`` and write ``NAME.html`` and ``NAME.ipynb``.

    Raises :class:`~customer_value.io.InputError` for unknown parameters, bad values, or an
    input error raised inside the report (e.g. a survey with an unknown answer wording).
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from .notebooks import KERNEL, _clean, _html, dumps

    root = root or repo_root()
    cwd = Path(cwd or os.getcwd())
    tpl = template(name, root)
    spec = parameters(name, root)
    unknown = sorted(set(params) - set(spec))
    if unknown:
        valid = ", ".join(f"{k} (default {v['default']})" for k, v in spec.items())
        raise InputError(f"unknown parameter(s) for report {name!r}: {', '.join(unknown)}. "
                         f"Valid parameters: {valid}")
    values = {k: _coerce(k, v, spec[k], cwd) for k, v in params.items()}
    out_dir = Path(out_dir)
    out_dir = out_dir if out_dir.is_absolute() else cwd / out_dir
    names = [f"{name}.html", f"{name}.ipynb"]
    with atomic_directory(out_dir, names, force=force) as tmp:
        executed = tmp / f"{name}.ipynb"
        try:
            pm.execute_notebook(str(tpl), str(executed), parameters=values, cwd=str(tpl.parent),
                                kernel_name=KERNEL, progress_bar=progress)
        except PapermillExecutionError as exc:
            if exc.ename in ("InputError", "OutputExistsError"):
                raise InputError(str(exc.evalue)) from None
            raise RuntimeError(f"report {name!r} failed in cell {exc.exec_count}: "
                               f"{exc.ename}: {exc.evalue}") from None
        nb = nbformat.read(executed, as_version=4)
        _clean(nb)
        executed.write_text(dumps(nb), encoding="utf-8")
        (tmp / f"{name}.html").write_text(_html(nb, exclude_input=True), encoding="utf-8")
    return [out_dir / n for n in names]
