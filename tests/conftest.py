"""Shared fixtures. Benchmarks under tests/benchmarks run only with `make bench`
(CUSTOMER_VALUE_BENCH=1): they print figures and ratios instead of asserting timings, and the
default test run stays fast and deterministic."""

import contextlib
import hashlib
import io
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]

# Property tests draw the same examples on every run: the default test run is deterministic.
settings.register_profile("customer_value", derandomize=True, deadline=None)
settings.load_profile("customer_value")


def cli(*args, cwd=None, env=None, fresh=False):
    """Run ``customer-value ARGS`` and return its exit status and output (a CompletedProcess).

    By default the command runs in this process: ``main(argv)`` with stdout and stderr captured,
    ``cwd`` and ``env`` set for the call, every warning written to the captured stderr (as a
    user's terminal would show it), and argparse's exits turned into the status. An exception
    that escapes ``main()`` — a traceback the user would see — fails the test. This is what the
    command does, without a new interpreter's second of imports per call. ``fresh=True`` runs it
    exactly as a user would, as ``python -m customer_value`` in a new process (UTF-8 output).
    """
    argv = [str(a) for a in args]
    if fresh:
        return subprocess.run(
            [sys.executable, "-m", "customer_value", *argv],
            cwd=cwd,
            check=False,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
        )
    from customer_value.cli import main

    out, err = io.StringIO(), io.StringIO()

    def show(message, category, filename, lineno, file=None, line=None):
        err.write(warnings.formatwarning(message, category, filename, lineno, line))

    here, saved = os.getcwd(), dict(os.environ)
    try:
        if cwd is not None:
            os.chdir(cwd)
        os.environ.update(env or {})
        with (
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("always")
            warnings.showwarning = show
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse: --help, --version and usage errors
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        os.chdir(here)
        os.environ.clear()
        os.environ.update(saved)
    return subprocess.CompletedProcess(
        ["customer-value", *argv], code, out.getvalue(), err.getvalue()
    )


def digest(path) -> str:
    """SHA-256 of a file, to prove that a command left its input unchanged."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


SCRIPT = "<script>alert(1)</script>"


def check_rendered_report(paths, name: str, tmp_path, inputs=()) -> str:
    """What every rendered report must be: no code or input area, nothing loaded from the web,
    no error output, no script from the user's data, no path of this machine (inputs are named
    by file name and SHA-256), and a second run that refuses to overwrite. Returns the HTML."""
    import re

    import nbformat

    html_path, nb_path = paths
    html = html_path.read_text(encoding="utf-8")
    nb_text = nb_path.read_text(encoding="utf-8")
    template = nbformat.read(ROOT / "notebooks" / "reports" / f"{name}.ipynb", as_version=4)
    code_lines = [
        line.strip()
        for c in template.cells
        if c.cell_type == "code"
        for line in c.source.splitlines()
        if len(line.strip()) > 25
    ]
    assert code_lines
    assert not [line for line in code_lines if line in html], "code is visible in the report"
    assert 'class="jp-InputArea' not in html, "an input area is rendered"
    assert not re.findall(r'src="https?://[^"]*"', html), "the report loads something from the web"
    assert not re.search(r"<script>\s*alert", html, re.I), "a name from the data ran as a script"
    nb = nbformat.reads(nb_text, as_version=4)
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    for text in (html, nb_text):
        assert str(tmp_path) not in text and str(ROOT) not in text, "a local path in the report"
    for path in inputs:
        assert f"# sha256 {digest(path)}" in nb_text, f"{path} is not named by its hash"
    return html


collect_ignore = [] if os.environ.get("CUSTOMER_VALUE_BENCH") else ["benchmarks"]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def kano_survey():
    from customer_value import datasets

    return datasets.load("kano_survey")
