"""Where the course lives: the repository root and paths relative to it.

Lessons and reports name their data relative to the repository root (``"datasets/kano_survey.csv"``),
so that they run from any working directory: papermill runs a notebook in the caller's directory,
nbval and nbconvert in the notebook's own.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["repo_root", "resolve"]

_MARKERS = ("pyproject.toml", "datasets")


def repo_root() -> Path:
    """The repository root: ``$CUSTOMER_VALUE_ROOT`` if set, else the checkout this package is in.

    Raises ``FileNotFoundError`` with advice when the package is installed outside a checkout.
    """
    env = os.environ.get("CUSTOMER_VALUE_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if all((parent / m).exists() for m in _MARKERS):
            return parent
    raise FileNotFoundError(
        "cannot find the customer_value repository (with datasets/ and pyproject.toml) above "
        f"{here}; install it editable from a checkout (pip install -e .) or set CUSTOMER_VALUE_ROOT"
    )


def resolve(path: str | os.PathLike) -> Path:
    """An absolute path: absolute paths unchanged, relative ones taken from the repository root.

    >>> resolve("datasets/kano_survey.csv").name
    'kano_survey.csv'
    """
    p = Path(path).expanduser()
    return p if p.is_absolute() else repo_root() / p
