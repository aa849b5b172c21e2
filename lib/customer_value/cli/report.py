"""``customer-value report``: render a report template on a user's data."""

from __future__ import annotations

from pathlib import Path

from ..io import InputError


def _parse_params(pairs, files) -> dict:
    from ..io import read_yaml

    params: dict = {}
    for f in files or []:
        data = read_yaml(f, what="the parameters file", expect=None) or {}
        if not isinstance(data, dict):
            raise InputError("a parameters file must be a YAML mapping of name: value", source=f)
        bad = [k for k in data if not isinstance(k, str)]
        if bad:
            raise InputError(f"parameter names must be text, not {bad[:5]}", source=f)
        params.update(data)
    for key, value in pairs or []:
        params[key] = value
    return params


def run(args) -> int:
    from .. import reports

    if args.list:
        for name in reports.available():
            spec = reports.parameters(name)
            print(f"{name}: " + ", ".join(f"{k}={v['default']}" for k, v in spec.items()))
        return 0
    if not args.name:
        raise InputError("name a report (customer-value report --list shows them)")
    params = _parse_params(args.param, args.param_file)
    out = reports.run(
        args.name,
        params,
        out_dir=args.out,
        force=args.force,
        progress=not args.quiet,
        cwd=Path.cwd(),
    )
    for p in out:
        print(f"wrote {p}")
    return 0


def add_parser(sub) -> None:
    r = sub.add_parser(
        "report",
        help="render a report template on your data (HTML without code)",
        description="Execute notebooks/reports/NAME.ipynb with papermill and render "
        "it to HTML without code, plus the executed notebook.",
    )
    r.add_argument("name", nargs="?", help="report name, e.g. kano_report")
    r.add_argument(
        "-p",
        "--param",
        nargs=2,
        action="append",
        metavar=("KEY", "VALUE"),
        help="set a parameter (repeatable); relative paths are taken from the current directory",
    )
    r.add_argument(
        "-f",
        "--param-file",
        action="append",
        metavar="YAML",
        help="YAML file of parameters (repeatable; -p wins)",
    )
    r.add_argument("--out", default="reports_out", metavar="DIR", help="output directory")
    r.add_argument("--force", action="store_true", help="overwrite existing outputs")
    r.add_argument("--list", action="store_true", help="list the reports and their parameters")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.set_defaults(func=run)
