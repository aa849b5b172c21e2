"""The ``customer-value`` command line.

Every subcommand has ``--help``. Errors in a user's input are printed as one message (file,
column, example rows) without a traceback, with exit status 2. Outputs are written atomically
and never overwrite an existing file unless ``--force`` is given.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .io import InputError

EXIT_INPUT = 2


def _kano(args) -> int:
    import pandas as pd
    import yaml

    from . import kano
    from .io import atomic_write, read_table

    labels = None
    if args.labels:
        labels = yaml.safe_load(Path(args.labels).read_text(encoding="utf-8"))
        if not isinstance(labels, dict):
            raise InputError("the labels file must map wordings to codes 1-5, e.g. '还行: 3'",
                             source=args.labels)
    if args.out and Path(args.out).exists() and not args.force:
        raise InputError(f"{args.out} exists; use --force to overwrite it")
    df = read_table(args.survey, sheet=args.sheet, encoding=args.encoding)
    res = kano.analyze(df, format=args.format, table=args.table, by=args.by,
                       exclude_questionable=args.exclude_questionable, labels=labels,
                       respondent=args.respondent, bootstrap=args.bootstrap, seed=args.seed,
                       suffixes=tuple(args.suffixes.split(",")))
    summary = res.summary()
    q = res.quality
    print(f"Kano analysis of {args.survey}: {len(q)} respondents, {len(res.responses.features)} "
          f"features, table={args.table}" + (f", by={args.by}" if args.by else ""))
    if args.exclude_questionable is not None:
        print(f"excluded {len(res.excluded)} respondent(s) with more than "
              f"{args.exclude_questionable} questionable answer(s)")
    cols = ([args.by] if args.by else []) + [
        "feature", "n", "A", "O", "M", "I", "R", "Q", "category", "category_oam",
        "category_strength", "fong_significant", "better", "worse", "importance_mean"]
    with pd.option_context("display.max_rows", 500, "display.width", 200,
                           "display.max_columns", 50, "display.precision", 3):
        print(summary[cols].to_string(index=False))
        if args.by:
            print("\nDo categories differ between segments? (chi-square per feature)")
            print(res.chi_square().to_string(index=False))
    if args.out:
        with atomic_write(args.out, force=args.force) as fh:
            summary.to_csv(fh, index=False)
        print(f"wrote {args.out}")
    return 0


def _parse_params(pairs, files) -> dict:
    import yaml

    params: dict = {}
    for f in files or []:
        data = yaml.safe_load(Path(f).read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise InputError("a parameters file must be a YAML mapping of name: value", source=f)
        params.update(data)
    for key, value in pairs or []:
        params[key] = value
    return params


def _report(args) -> int:
    from . import reports

    if args.list:
        for name in reports.available():
            spec = reports.parameters(name)
            print(f"{name}: " + ", ".join(f"{k}={v['default']}" for k, v in spec.items()))
        return 0
    if not args.name:
        raise InputError("name a report (customer-value report --list shows them)")
    params = _parse_params(args.param, args.param_file)
    out = reports.run(args.name, params, out_dir=args.out, force=args.force,
                      progress=not args.quiet, cwd=Path.cwd())
    for p in out:
        print(f"wrote {p}")
    return 0


def _exercises(args) -> int:
    from . import exercises

    if args.action == "build":
        written = exercises.build_all()
        for p in written:
            print(f"wrote {p}")
        return 0
    stale = exercises.check_all()
    if stale:
        print("exercises/ is out of date for: " + ", ".join(stale)
              + "\nrun `customer-value exercises build` (or `make exercises`)", file=sys.stderr)
        return 1
    print("exercises/ is up to date")
    return 0


def _datasets(args) -> int:
    from . import datasets

    if args.action == "list":
        for name, ds in datasets.DATASETS.items():
            print(f"{name:24s} datasets/{ds.filename}  {ds.description}")
        return 0
    if args.action == "build":
        for p in datasets.build(args.out, args.names or None):
            print(f"wrote {p}")
        return 0
    stale = datasets.check(args.names or None)
    if stale:
        print("datasets differ from their generators: " + ", ".join(stale), file=sys.stderr)
        return 1
    print("datasets are byte-identical to their generators")
    return 0


def _notebooks(args) -> int:
    from . import notebooks

    if args.action == "execute":
        paths = [Path(p) for p in args.paths] or notebooks.course_notebooks()
        for p in paths:
            print(f"executing {p} ...", flush=True)
            notebooks.execute_in_place(p, timeout=args.timeout)
        return 0
    index = notebooks.build_course(Path(args.out), progress=True)
    print(f"course rendered: {index}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="customer-value",
        description="Customer-needs analytics (以客户需求为导向): Kano analysis, reports, course tools.")
    from . import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    k = sub.add_parser("kano", help="Kano analysis of a survey file (CSV, Excel, Parquet)",
                       description="Classify each feature of a Kano survey, with strengths, Fong's "
                                   "test, Better/Worse (bootstrap CIs), continuous scores and "
                                   "importance; optionally per segment.")
    k.add_argument("survey", help="survey file: CSV (UTF-8/GBK, any delimiter), .xlsx or .parquet")
    k.add_argument("--format", choices=["auto", "wide", "long"], default="auto",
                   help="wide: one row per respondent with <feature>_functional/_dysfunctional "
                        "columns; long: respondent, feature, functional, dysfunctional (default: auto)")
    k.add_argument("--table", choices=["standard", "pouliot", "short"], default="standard",
                   help="evaluation table (default: standard)")
    k.add_argument("--by", metavar="COLUMN", help="segment column: results per segment + chi-square")
    k.add_argument("--exclude-questionable", type=int, metavar="N",
                   help="drop respondents with more than N questionable (Q) answers")
    k.add_argument("--respondent", metavar="COLUMN",
                   help="respondent ID column (checked for duplicates; long format default: respondent)")
    k.add_argument("--labels", metavar="YAML", help="extra answer wordings: a YAML mapping wording: code")
    k.add_argument("--suffixes", default="_functional,_dysfunctional,_importance",
                   help="wide-format column suffixes (default: %(default)s)")
    k.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples for CIs (0 = none)")
    k.add_argument("--seed", type=int, default=0, help="seed of the bootstrap (default: 0)")
    k.add_argument("--sheet", default=0, help="Excel sheet name or index (default: first)")
    k.add_argument("--encoding", help="CSV encoding (default: detected: UTF-8, UTF-16, GB18030/GBK)")
    k.add_argument("--out", metavar="CSV", help="write the per-feature table to this CSV")
    k.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    k.set_defaults(func=_kano)

    r = sub.add_parser("report", help="render a report template on your data (HTML without code)",
                       description="Execute notebooks/reports/NAME.ipynb with papermill and render "
                                   "it to HTML without code, plus the executed notebook.")
    r.add_argument("name", nargs="?", help="report name, e.g. kano_report")
    r.add_argument("-p", "--param", nargs=2, action="append", metavar=("KEY", "VALUE"),
                   help="set a parameter (repeatable); relative paths are taken from the current "
                        "directory")
    r.add_argument("-f", "--param-file", action="append", metavar="YAML",
                   help="YAML file of parameters (repeatable; -p wins)")
    r.add_argument("--out", default="reports_out", metavar="DIR", help="output directory")
    r.add_argument("--force", action="store_true", help="overwrite existing outputs")
    r.add_argument("--list", action="store_true", help="list the reports and their parameters")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.set_defaults(func=_report)

    e = sub.add_parser("exercises", help="generate exercises/ from solutions/, or check it",
                       description="build: turn solutions/NN_slug.ipynb into exercises/NN_slug.ipynb; "
                                   "check: exit 1 when exercises/ is out of date.")
    e.add_argument("action", choices=["build", "check"])
    e.set_defaults(func=_exercises)

    d = sub.add_parser("datasets", help="list, rebuild or check the sample datasets",
                       description="The sample data in datasets/ are outputs of seeded generators.")
    d.add_argument("action", choices=["list", "build", "check"])
    d.add_argument("names", nargs="*", help="only these datasets")
    d.add_argument("--out", help="write into this directory instead of datasets/")
    d.set_defaults(func=_datasets)

    n = sub.add_parser("notebooks", help="execute lessons in place, or render the course to HTML",
                       description="execute: re-run notebooks in place (stored outputs); "
                                   "course: run every lesson with papermill and render HTML.")
    n.add_argument("action", choices=["execute", "course"])
    n.add_argument("paths", nargs="*", help="notebooks to execute (default: lessons, solutions and report templates)")
    n.add_argument("--out", default="build/course", help="course output directory")
    n.add_argument("--timeout", type=int, default=1200, help="seconds per cell")
    n.set_defaults(func=_notebooks)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
