"""``customer-value exercises``: generate or check exercises/."""

from __future__ import annotations

import sys


def run(args) -> int:
    from .. import exercises

    if args.action == "build":
        written = exercises.build_all()
        for p in written:
            print(f"wrote {p}")
        return 0
    stale = exercises.check_all()
    if stale:
        print(
            "exercises/ is out of date for: "
            + ", ".join(stale)
            + "\nrun `customer-value exercises build` (or `make exercises`)",
            file=sys.stderr,
        )
        return 1
    print("exercises/ is up to date")
    return 0


def add_parser(sub) -> None:
    e = sub.add_parser(
        "exercises",
        help="generate exercises/ from solutions/, or check it",
        description="build: turn solutions/NN_slug.ipynb into exercises/NN_slug.ipynb; "
        "check: exit 1 when exercises/ is out of date.",
    )
    e.add_argument("action", choices=["build", "check"])
    e.set_defaults(func=run)
