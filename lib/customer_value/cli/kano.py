"""``customer-value kano``: Kano analysis of a survey file."""

from __future__ import annotations

from pathlib import Path

from ..io import InputError


def run(args) -> int:
    import pandas as pd
    import yaml

    from .. import kano
    from ..io import atomic_write, read_table

    labels = None
    if args.labels:
        labels = yaml.safe_load(Path(args.labels).read_text(encoding="utf-8"))
        if not isinstance(labels, dict):
            raise InputError(
                "the labels file must map wordings to codes 1-5, e.g. '还行: 3'", source=args.labels
            )
    if args.out and Path(args.out).exists() and not args.force:
        raise InputError(f"{args.out} exists; use --force to overwrite it")
    df = read_table(args.survey, sheet=args.sheet, encoding=args.encoding)
    res = kano.analyze(
        df,
        format=args.format,
        table=args.table,
        by=args.by,
        exclude_questionable=args.exclude_questionable,
        labels=labels,
        respondent=args.respondent,
        bootstrap=args.bootstrap,
        seed=args.seed,
        suffixes=tuple(args.suffixes.split(",")),
    )
    summary = res.summary()
    q = res.quality
    print(
        f"Kano analysis of {args.survey}: {len(q)} respondents, {len(res.responses.features)} "
        f"features, table={args.table}" + (f", by={args.by}" if args.by else "")
    )
    if args.exclude_questionable is not None:
        print(
            f"excluded {len(res.excluded)} respondent(s) with more than "
            f"{args.exclude_questionable} questionable answer(s)"
        )
    cols = ([args.by] if args.by else []) + [
        "feature",
        "n",
        "A",
        "O",
        "M",
        "I",
        "R",
        "Q",
        "category",
        "category_oam",
        "category_strength",
        "fong_significant",
        "better",
        "worse",
        "importance_mean",
    ]
    with pd.option_context(
        "display.max_rows",
        500,
        "display.width",
        200,
        "display.max_columns",
        50,
        "display.precision",
        3,
    ):
        print(summary[cols].to_string(index=False))
        if args.by:
            print("\nDo categories differ between segments? (chi-square per feature)")
            print(res.chi_square().to_string(index=False))
    if args.out:
        with atomic_write(args.out, force=args.force) as fh:
            summary.to_csv(fh, index=False)
        print(f"wrote {args.out}")
    return 0


def add_parser(sub) -> None:
    k = sub.add_parser(
        "kano",
        help="Kano analysis of a survey file (CSV, Excel, Parquet)",
        description="Classify each feature of a Kano survey, with strengths, Fong's "
        "test, Better/Worse (bootstrap CIs), continuous scores and "
        "importance; optionally per segment.",
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
        help="evaluation table (default: standard)",
    )
    k.add_argument(
        "--by", metavar="COLUMN", help="segment column: results per segment + chi-square"
    )
    k.add_argument(
        "--exclude-questionable",
        type=int,
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
        "--bootstrap", type=int, default=1000, help="bootstrap resamples for CIs (0 = none)"
    )
    k.add_argument("--seed", type=int, default=0, help="seed of the bootstrap (default: 0)")
    k.add_argument("--sheet", default=0, help="Excel sheet name or index (default: first)")
    k.add_argument(
        "--encoding", help="CSV encoding (default: detected: UTF-8, UTF-16, GB18030/GBK)"
    )
    k.add_argument("--out", metavar="CSV", help="write the per-feature table to this CSV")
    k.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    k.set_defaults(func=run)
