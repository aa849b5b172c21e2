"""``customer-value kano``: Kano analysis of a survey file."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..io import InputError


def run(args) -> int:
    from .. import kano
    from ..io import write_csv
    from ._common import print_table

    if args.out:
        out, survey = Path(args.out), Path(args.survey)
        if out.exists() and survey.exists() and out.resolve() == survey.resolve():
            raise InputError(f"--out {args.out} is the survey file; choose another name")
        if out.exists() and not args.force:
            raise InputError(f"{args.out} exists; use --force to overwrite it")
    res = kano.analyze_file(
        args.survey,
        sheet=args.sheet,
        encoding=args.encoding,
        labels=args.labels,
        format=args.format,
        table=args.table,
        by=args.by,
        exclude_questionable=args.exclude_questionable,
        respondent=args.respondent,
        bootstrap=args.bootstrap,
        seed=args.seed,
        suffixes=tuple(args.suffixes.split(",")),
    )
    print(res.describe())
    print_table(res.summary(brief=True), digits=3)
    if args.by:
        print("\nDo categories differ between segments? (chi-square per feature)")
        print_table(res.chi_square(), digits=3)
    if args.out:
        summary = res.summary()
        write_csv(
            summary, args.out, force=args.force, safe=not args.no_safe_csv, inputs=[args.survey]
        )
        print(f"wrote {args.out} ({len(summary):,} row{'s' if len(summary) != 1 else ''})")
    return 0


def _whole_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text!r}")
    return value


def add_parser(sub) -> None:
    k = sub.add_parser(
        "kano",
        help="Kano analysis of a survey file (CSV, Excel, Parquet)",
        description="Classify each feature of a Kano survey, with strengths, Fong's "
        "test, Better/Worse (bootstrap CIs), continuous scores and "
        "importance; optionally per segment. Shares in the output are fractions (0.25).",
    )
    k.add_argument("survey", help="survey file: CSV (UTF-8/GBK, any delimiter), .xlsx or .parquet")
    k.add_argument(
        "--format",
        choices=["auto", "wide", "long"],
        default="auto",
        help="wide: one row per respondent with <feature>_functional/_dysfunctional "
        "columns; long: respondent, feature, functional, dysfunctional (default: auto)",
    )
    k.add_argument(
        "--table",
        choices=["standard", "pouliot", "short"],
        default="standard",
        help="evaluation table: standard (Kano et al. 1984), pouliot (Berger et al. 1993 "
        "p. 33) or short, the 3-answer form like/neutral/dislike of the R package "
        "stp25kano (default: standard)",
    )
    k.add_argument(
        "--by", metavar="COLUMN", help="segment column: results per segment + chi-square"
    )
    k.add_argument(
        "--exclude-questionable",
        type=_whole_number,
        metavar="N",
        help="drop respondents with more than N questionable (Q) answers",
    )
    k.add_argument(
        "--respondent",
        metavar="COLUMN",
        help="respondent ID column (checked for duplicates; long format default: respondent)",
    )
    k.add_argument(
        "--labels", metavar="YAML", help="extra answer wordings: a YAML mapping wording: code"
    )
    k.add_argument(
        "--suffixes",
        default="_functional,_dysfunctional,_importance",
        help="wide-format column suffixes (default: %(default)s)",
    )
    k.add_argument(
        "--bootstrap",
        type=_whole_number,
        default=1000,
        metavar="N",
        help="bootstrap resamples for the CIs of Better and Worse (0 = none; default: %(default)s)",
    )
    k.add_argument(
        "--seed", type=_whole_number, default=0, help="seed of the bootstrap (default: 0)"
    )
    k.add_argument("--sheet", default=0, help="Excel sheet name or index (default: first)")
    k.add_argument(
        "--encoding", help="CSV encoding (default: detected: UTF-8, UTF-16, GB18030/GBK)"
    )
    k.add_argument("--out", metavar="CSV", help="write the per-feature table to this CSV")
    k.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    k.add_argument(
        "--no-safe-csv",
        action="store_true",
        help="write text cells of --out as they are; by default a cell that a spreadsheet "
        "would run as a formula (starting with = + - @) gets a leading apostrophe",
    )
    k.set_defaults(func=run)
