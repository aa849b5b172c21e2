"""``customer-value datasets``: list, rebuild or check the sample datasets."""

from __future__ import annotations

import sys


def run(args) -> int:
    from .. import datasets

    if args.action == "list":
        for name, ds in datasets.DATASETS.items():
            print(f"{name:24s} datasets/{ds.filename}  {ds.description}")
        return 0
    if args.action == "build":
        for p in datasets.build(args.out, args.names or None, force=args.force):
            print(f"wrote {p}")
        return 0
    stale = datasets.check(args.names or None)
    if stale:
        print("datasets differ from their generators: " + ", ".join(stale), file=sys.stderr)
        return 1
    print("datasets are byte-identical to their generators")
    return 0


def add_parser(sub) -> None:
    d = sub.add_parser(
        "datasets",
        help="list, rebuild or check the sample datasets",
        description="The sample data in datasets/ are outputs of seeded generators.",
    )
    d.add_argument("action", choices=["list", "build", "check"])
    d.add_argument("names", nargs="*", help="only these datasets")
    d.add_argument("--out", help="write into this directory instead of datasets/")
    d.add_argument("--force", action="store_true", help="overwrite existing files in --out")
    d.set_defaults(func=run)
