"""Argument types of the command line: each turns text into a checked value or an argparse
error (one ``error:`` line, exit status 2)."""

from __future__ import annotations

import argparse

from ..io import InputError


def number(text: str) -> float:
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, not {text!r}")
    return value


def nonneg_number(text: str) -> float:
    value = number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, not {text!r}")
    return value


def discount_arg(text: str) -> float:
    value = number(text)
    if value <= -1:
        raise argparse.ArgumentTypeError(
            f"must be a rate > -1 (e.g. 0.01 for 1% per period), not {text!r}"
        )
    return value


def share_arg(text: str) -> float:
    value = number(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be a share between 0 and 1, not {text!r}")
    return value


def count_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, not {text!r}")
    return value


def date_arg(text: str):
    from ..customers import to_date

    try:
        return to_date(text)
    except InputError:
        raise argparse.ArgumentTypeError(
            f"not a date: {text!r} (write it year first, e.g. 2024-12-31)"
        ) from None


def rate_arg(text: str) -> tuple[str, float]:
    name, sep, rate = text.rpartition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"write COLUMN=RATE, e.g. contacts=20, not {text!r}")
    return name.strip(), nonneg_number(rate)


def numbers_arg(text: str, k: int, what: str) -> tuple[float, ...]:
    try:
        values = tuple(number(v) for v in text.split(","))
    except argparse.ArgumentTypeError:
        values = ()
    if len(values) != k:
        raise argparse.ArgumentTypeError(
            f"give {k} numbers separated by commas ({what}), not {text!r}"
        )
    return values


def shares_arg(text: str) -> tuple[float, ...]:
    from ..pyramid import check_shares

    shares = numbers_arg(text, 4, "platinum, gold, iron, lead")
    if abs(sum(shares) - 100) < 1e-6:  # 20,30,30,20 (percent)
        shares = tuple(s / 100 for s in shares)
    try:
        return tuple(float(s) for s in check_shares(shares))
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def cutoffs_arg(text: str) -> tuple[float, ...]:
    from ..pyramid import check_cutoffs

    cutoffs = numbers_arg(text, 3, "platinum, gold, iron")
    try:
        return tuple(float(c) for c in check_cutoffs(cutoffs))
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
