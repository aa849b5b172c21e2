"""Shared fixtures. Benchmarks under tests/benchmarks run only with `make bench`
(CUSTOMER_VALUE_BENCH=1): they print figures and ratios instead of asserting timings, and the
default test run stays fast and deterministic."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

collect_ignore = [] if os.environ.get("CUSTOMER_VALUE_BENCH") else ["benchmarks"]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def kano_survey():
    from customer_value import datasets

    return datasets.load("kano_survey")
