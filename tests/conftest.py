"""Shared fixtures. Benchmarks under tests/benchmarks run only with `make bench`
(CUSTOMER_VALUE_BENCH=1): they print figures and ratios instead of asserting timings, and the
default test run stays fast and deterministic."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def cli(*args, cwd=None, env=None):
    """Run ``customer-value ARGS`` as a user would: a subprocess, UTF-8 output."""
    return subprocess.run(
        [sys.executable, "-m", "customer_value", *map(str, args)],
        cwd=cwd,
        check=False,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
    )


def digest(path) -> str:
    """SHA-256 of a file, to prove that a command left its input unchanged."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


collect_ignore = [] if os.environ.get("CUSTOMER_VALUE_BENCH") else ["benchmarks"]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def kano_survey():
    from customer_value import datasets

    return datasets.load("kano_survey")
