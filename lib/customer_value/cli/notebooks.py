"""``customer-value notebooks``: execute lessons in place or render the course."""

from __future__ import annotations

from pathlib import Path


def run(args) -> int:
    from .. import notebooks

    if args.action == "execute":
        paths = [Path(p) for p in args.paths] or notebooks.course_notebooks()
        for p in paths:
            print(f"executing {p} ...", flush=True)
            notebooks.execute_in_place(p, timeout=args.timeout)
        return 0
    from ..course import build_course

    index = build_course(Path(args.out), progress=True, force=args.force)
    print(f"course rendered: {index}")
    return 0


def add_parser(sub) -> None:
    n = sub.add_parser(
        "notebooks",
        help="execute lessons in place, or render the course to HTML",
        description="execute: re-run notebooks in place (stored outputs); "
        "course: run every lesson and render HTML (into --out; an existing one needs --force).",
    )
    n.add_argument("action", choices=["execute", "course"])
    n.add_argument(
        "paths",
        nargs="*",
        help="notebooks to execute (default: lessons, solutions and report templates)",
    )
    n.add_argument("--out", default="build/course", help="course output directory")
    n.add_argument("--force", action="store_true", help="replace an existing course directory")
    n.add_argument("--timeout", type=int, default=1200, help="seconds per cell")
    n.set_defaults(func=run)
