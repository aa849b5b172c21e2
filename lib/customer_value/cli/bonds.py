"""``customer-value bonds``: relationship-bond scales."""

from __future__ import annotations

from pathlib import Path

from ..io import InputError


def _show(frame) -> None:
    import pandas as pd

    with pd.option_context(
        "display.max_rows", 500, "display.width", 200, "display.max_columns", 50
    ):
        print(frame.to_string(index=False, float_format=lambda v: f"{v:.3f}"))


def run(args) -> int:
    from ..io import write_csv
    from ..relationship import analyze_survey

    if args.out and Path(args.out).exists() and not args.force:  # fail before the analysis
        raise InputError(f"{args.out} exists; use --force to overwrite it")
    res = analyze_survey(
        args.survey,
        args.scales,
        respondent=args.respondent,
        min_items=args.min_items,
        threshold=args.threshold,
        n_factors=args.factors,
        sheet=args.sheet,
        encoding=args.encoding,
    )
    bonds, scales = res.bonds, res.bonds.scales
    print(
        f"Bond scales of {args.survey}: {len(bonds.scores)} respondents, "
        f"{len(scales.all_items)} items on {scales.scale_min}..{scales.scale_max}; "
        + ", ".join(
            f"{s} ({len(v)} items, score needs >= {bonds.min_items[s]})"
            for s, v in scales.items.items()
        )
        + (f"; reverse-coded: {', '.join(scales.reverse)}" if scales.reverse else "")
    )
    print("\nReliability (Cronbach's alpha, 95% CI by Feldt 1965; >= 0.7 is usable):")
    _show(bonds.reliability())
    print("\nItems (after reverse coding; corrected item-total correlation, alpha if deleted):")
    _show(bonds.item_stats().drop(columns=["scale_alpha", "reverse"]))
    print(
        "\nFactor check (ML factor analysis, varimax; does each item load most on its own "
        "scale's factor?):"
    )
    if res.factors is None:
        print(f"skipped: {res.factors_note}")
    else:
        _show(res.factors.loadings_.reset_index())
        off = res.factors.summary().loc[lambda s: ~s["ok"]]
        if off.empty:
            print(
                "every item loads most on its own scale's factor "
                f"(n = {res.factors.n_obs_} complete respondents)"
            )
        else:
            print(
                "items that load most on another factor: "
                + ", ".join(
                    f"{r.item} ({r.scale} -> {r.factor}, {r.loading:.2f})" for r in off.itertuples()
                )
            )
    print(f"\nRelationship level (highest level with a score >= {bonds.threshold:g}):")
    levels = bonds.level_distribution().drop(columns="name_zh")
    _show(levels.assign(share=levels["share"].map(lambda v: f"{v:.1%}")))
    if args.out:
        out = res.to_frame()
        write_csv(
            out,
            args.out,
            force=args.force,
            safe=not args.no_safe_csv,
            inputs=[args.survey],
            float_format="%.6g",
        )
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
        help="write the scores (respondent, one column per scale, level) to this CSV; "
        "it never overwrites the survey",
    )
    bo.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    bo.add_argument(
        "--no-safe-csv",
        action="store_true",
        help="write text cells of --out exactly as they are; by default a cell that a "
        "spreadsheet would run as a formula (starting with =, +, -, @) gets a leading "
        "apostrophe, so that opening the file in Excel cannot run it",
    )
    bo.set_defaults(func=run)
