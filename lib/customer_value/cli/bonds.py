"""``customer-value bonds``: relationship-bond scales."""

from __future__ import annotations

from pathlib import Path

from ..io import InputError


def run(args) -> int:
    import pandas as pd

    from .. import relationship
    from ..io import atomic_write, read_table

    if args.out and Path(args.out).exists():
        if Path(args.out).resolve() == Path(args.survey).resolve():
            raise InputError(
                f"--out {args.out} is the input file; the input is never "
                "overwritten: choose another name"
            )
        if not args.force:
            raise InputError(f"{args.out} exists; use --force to overwrite it")
    scales = relationship.read_scales(args.scales)
    df = read_table(args.survey, sheet=args.sheet, encoding=args.encoding)
    try:
        res = relationship.score_bonds(
            df,
            scales,
            respondent=args.respondent,
            min_items=args.min_items,
            threshold=args.threshold,
        )
    except InputError as err:
        raise err.with_source(args.survey) from None
    n_items = sum(len(v) for v in scales.items.values())
    print(
        f"Bond scales of {args.survey}: {len(res.scores)} respondents, {n_items} items on "
        f"{scales.scale_min}..{scales.scale_max}; "
        + ", ".join(
            f"{s} ({len(v)} items, score needs >= {res.min_items[s]})"
            for s, v in scales.items.items()
        )
        + (f"; reverse-coded: {', '.join(scales.reverse)}" if scales.reverse else "")
    )

    def show(frame):
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
            print(frame.to_string(index=False))

    print("\nReliability (Cronbach's alpha, 95% CI by Feldt 1965; >= 0.7 is usable):")
    show(res.reliability())
    print("\nItems (after reverse coding; corrected item-total correlation, alpha if deleted):")
    show(res.item_stats().drop(columns="reverse"))
    print(
        "\nFactor check (ML factor analysis, varimax; does each item load most on its own "
        "scale's factor?):"
    )
    try:
        fc = res.factor_check(n_factors=args.factors)
    except InputError as err:
        print(f"skipped: {err.detail}")
    else:
        show(fc.loadings.round(3).reset_index())
        bad = fc.summary().loc[lambda s: ~s["ok"]]
        if bad.empty:
            print(
                f"every item loads most on its own scale's factor (n = {fc.n} complete respondents)"
            )
        else:
            print(
                "items that load most on another factor: "
                + ", ".join(
                    f"{r.item} ({r.scale} -> {r.factor}, {r.loading:.2f})" for r in bad.itertuples()
                )
            )
    levels = res.scores["level"].value_counts(sort=False)
    print(f"\nRelationship level (highest level with a score >= {args.threshold:g}):")
    show(
        pd.DataFrame(
            {
                "level": levels.index.astype(str),
                "respondents": levels.to_numpy(),
                "share": (levels / levels.sum()).map(lambda v: f"{v:.1%}").to_numpy(),
            }
        )
    )
    if args.out:
        out = res.scores.copy()
        out["level"] = out["level"].astype(str)
        if args.respondent:
            out = out.reset_index()
        else:
            origin = df.attrs.get("customer_value_source", {})
            out.insert(0, "line", [int(i) + origin.get("first", 1) for i in out.index])
        with atomic_write(args.out, force=args.force) as fh:
            out.to_csv(fh, index=False, float_format="%.6g")
        print(f"wrote {args.out} ({len(out):,} rows)")
    return 0


def add_parser(sub) -> None:
    bo = sub.add_parser(
        "bonds",
        help="relationship-bond scales (关系营销): scores, Cronbach's alpha, factor check",
        description="Score financial, social and structural bond indices (财务/社交/结构层次) from "
        "Likert items: the mean of each respondent's answered items per scale after "
        "reverse coding. Prints Cronbach's alpha per scale with Feldt's 95% CI, "
        "item statistics (corrected item-total correlation, alpha if deleted), an "
        "exploratory factor analysis with varimax rotation (does each item load on "
        "its own scale's factor?) and the distribution of relationship levels "
        "(the highest level with a score >= --threshold). Sources: Berry (1995), "
        "JAMS 23(4); Cronbach (1951); Feldt (1965); Chiu et al. (2005), J. Business "
        "Research 58(12).",
        epilog="example: customer-value bonds datasets/bond_survey.csv --scales "
        "datasets/bond_scales.yaml --respondent respondent_id --out scores.csv",
    )
    bo.add_argument(
        "survey",
        metavar="SURVEY",
        help="survey file: CSV (UTF-8/GBK, any delimiter), .xlsx or .parquet; one "
        "row per respondent, one column per item",
    )
    bo.add_argument(
        "--scales",
        required=True,
        metavar="YAML",
        help="item-to-scale mapping, e.g. 'financial: [fin1, fin2]', 'reverse: "
        "[soc4_r]', 'scale: [1, 7]' (see datasets/bond_scales.yaml)",
    )
    bo.add_argument(
        "--respondent",
        metavar="COLUMN",
        help="respondent ID column (must be unique); without it the output names "
        "the file line of each respondent",
    )
    bo.add_argument(
        "--threshold",
        type=float,
        default=5.0,
        help="score at which a bond counts as strong for the level (default: 5)",
    )
    bo.add_argument(
        "--min-items",
        type=int,
        metavar="N",
        help="answered items a respondent needs for a scale score (default: half "
        "of the scale's items, rounded up)",
    )
    bo.add_argument(
        "--factors",
        type=int,
        metavar="N",
        help="factors of the factor check (default: the number of scales)",
    )
    bo.add_argument("--sheet", default=0, help="Excel sheet name or index (default: first)")
    bo.add_argument(
        "--encoding", help="CSV encoding (default: detected: UTF-8, UTF-16, GB18030/GBK)"
    )
    bo.add_argument(
        "--out",
        metavar="CSV",
        help="write the scores (respondent, one column per scale, level) to this CSV",
    )
    bo.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    bo.set_defaults(func=run)
