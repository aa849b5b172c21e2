"""The ``customer-value`` command line: one small module per subcommand.

Every subcommand has ``--help``. A subcommand parses its arguments, calls the library, prints and
writes; the analysis itself lives in the library. Errors in a user's input are printed as one
message (file, column, example rows) without a traceback, with exit status 2. Outputs are written
atomically and never overwrite an existing file unless ``--force`` is given.
"""

from __future__ import annotations

import argparse
import sys

from ..io import InputError
from . import (
    bonds,
    clv,
    customers,
    datasets,
    exercises,
    experience_curve,
    kano,
    notebooks,
    profit_models,
    pyramid,
    report,
)

EXIT_INPUT = 2

#: The subcommands in the order ``--help`` lists them.
SUBCOMMANDS = (
    kano,
    customers,
    pyramid,
    clv,
    report,
    exercises,
    datasets,
    notebooks,
    profit_models,
    experience_curve,
    bonds,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="customer-value",
        description="Customer-needs analytics (以客户需求为导向): Kano analysis, reports, course tools.",
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.add_parser(sub)
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
