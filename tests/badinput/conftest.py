"""The bad-input corpus runs the command line in this process (see ``conftest.cli``)."""

import hashlib
from pathlib import Path

from conftest import cli


class Run:
    def __init__(self, done):
        self.code, self.out, self.err = done.returncode, done.stdout, done.stderr

    def __repr__(self):
        return f"Run(code={self.code}, err={self.err[-600:]!r})"


def run_cli(*args) -> Run:
    """``customer-value ARGS`` in this process: exit status, stdout and stderr."""
    return Run(cli(*args))


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
