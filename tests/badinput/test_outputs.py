"""What the outputs promise: the same input gives the same bytes, and exported CSVs cannot run as
spreadsheet formulas. (That reports carry no script from the user's data and no path of the
consultant's machine is checked on every report render: ``conftest.check_rendered_report``.)"""

import pandas as pd
import pytest

from .conftest import run_cli
from .test_corpus import BONDS, CURVE, LOG, SCALES, SURVEY

EVIL = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    "command",
    [
        ["customers", "{log.csv}", "--cost", "cost", "--rate", "contacts=2"],
        ["pyramid", "{log.csv}", "--cost", "cost", "--method", "kmeans", "--seed", "3"],
        ["clv", "{log.csv}", "--cost", "cost", "--model", "simple"],
        ["kano", "{s.csv}", "--bootstrap", "200", "--seed", "4"],
        ["bonds", "{b.csv}", "--scales", "{sc.yaml}"],
        ["experience-curve", "{c.csv}", "--cost", "cost", "--cumulative", "cumulative"],
    ],
    ids=lambda c: c[0],
)
def test_the_same_input_gives_byte_identical_outputs(command, tmp_path):
    files = {"log.csv": LOG, "s.csv": SURVEY, "b.csv": BONDS, "sc.yaml": SCALES, "c.csv": CURVE}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    outs = []
    for k in range(2):
        out = tmp_path / f"out{k}.csv"
        args = [str(tmp_path / a[1:-1]) if a.startswith("{") else a for a in command]
        r = run_cli(*args, "--out", out)
        assert r.code == 0, r
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_exported_text_cannot_run_as_a_spreadsheet_formula(tmp_path):
    log = tmp_path / "log.csv"
    evil = '=HYPERLINK("http://example.com/x")'
    rows = [f"{evil},2024-01-0{d},10,5,0" for d in (1, 5)] + ["@SUM(A1),2024-01-02,20,5,0"]
    log.write_text(LOG + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "tiers.csv"
    assert run_cli("pyramid", log, "--cost", "cost", "--out", out).code == 0
    ids = pd.read_csv(out, dtype=str)["customer_id"]
    assert ("'" + evil) in set(ids) and "'@SUM(A1)" in set(ids)
    assert not ids.str.match(r"^[=+\-@\t\r]").any()
    # machine-readable output keeps the text as it is
    raw = tmp_path / "raw.csv"
    assert run_cli("pyramid", log, "--cost", "cost", "--out", raw, "--no-safe-csv").code == 0
    assert evil in set(pd.read_csv(raw, dtype=str)["customer_id"])


def _text_outputs(nb_path):
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            out.append(o.get("text", ""))
            out += [v for k, v in o.get("data", {}).items() if k.startswith("text/")]
    return out


def test_a_report_gives_the_same_numbers_twice(tmp_path):
    survey = tmp_path / "survey.csv"
    survey.write_text(SURVEY, encoding="utf-8")
    outs = []
    for k in range(2):
        r = run_cli(
            "report",
            "kano_report",
            "-p",
            "survey",
            survey,
            "-p",
            "segment",
            "",
            "-p",
            "bootstrap",
            "200",
            "-p",
            "seed",
            "5",
            "--out",
            tmp_path / f"r{k}",
            "--quiet",
        )
        assert r.code == 0, r
        outs.append(_text_outputs(tmp_path / f"r{k}" / "kano_report.ipynb"))
    assert outs[0] == outs[1] and len(outs[0]) > 10


def test_ctrl_c_during_a_report_exits_130_and_leaves_nothing(tmp_path):
    """A real interrupt: SIGINT to the command while the report's kernel runs."""
    import os
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "rep" / "sub"
    proc = subprocess.Popen(
        [sys.executable, "-m", "customer_value", "report", "clv_report", "--out", str(out)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    try:
        deadline = time.monotonic() + 60
        kernels = []
        while time.monotonic() < deadline and not kernels:  # wait for the kernel to run
            time.sleep(0.5)
            kernels = _children(proc.pid)
        assert kernels, "the report's kernel did not start"
        time.sleep(1.0)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr
    assert stderr.strip().endswith("interrupted") and "Traceback" not in stderr, stderr
    assert not (tmp_path / "rep").exists(), "an interrupted report left a directory"
    time.sleep(0.5)
    assert not [p for p in kernels if _alive(p)], "the kernel outlived the command"


def _children(pid):
    import psutil

    return [c.pid for c in psutil.Process(pid).children(recursive=True)]


def _alive(pid):
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
