"""Exercises generated from solutions: one source, two notebooks.

In ``solutions/NN_slug.ipynb`` a task's answer sits between ``### BEGIN SOLUTION`` and
``### END SOLUTION`` lines. :func:`make_exercise` replaces each such region in a code cell with
``# YOUR CODE HERE`` and ``raise NotImplementedError()`` (same indentation), and in a Markdown
cell with ``YOUR ANSWER HERE``; outputs and execution counts are cleared. Each task's code cell is
followed by a check cell of plain ``assert`` statements; :func:`verify_checks` proves that every
check passes with the solution and fails without it.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat

from .notebooks import clean, dumps
from .paths import repo_root

__all__ = [
    "BEGIN",
    "END",
    "make_exercise",
    "build_all",
    "check_all",
    "verify_checks",
    "solution_cells",
]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
_REGION = re.compile(
    r"^([ \t]*)### BEGIN SOLUTION[^\n]*\n.*?^[ \t]*### END SOLUTION[^\n]*(\n|$)", re.S | re.M
)


def _stub_code(source: str, stub: str) -> str:
    def repl(m):
        indent = m.group(1)
        body = "\n".join(indent + line if line else line for line in stub.splitlines())
        return body + m.group(2)

    return _REGION.sub(repl, source)


def _check_markers(source: str, where: str) -> None:
    if source.count(BEGIN) != source.count(END) or len(_REGION.findall(source)) != source.count(
        BEGIN
    ):
        raise ValueError(f"{where}: unbalanced '{BEGIN}' / '{END}' markers")


def make_exercise(nb):
    """Return the exercise version of a solution notebook (a new notebook object)."""
    ex = copy.deepcopy(nb)
    for i, cell in enumerate(ex.cells):
        _check_markers(cell.source, f"cell {i}")
        if cell.cell_type == "code":
            cell.source = _stub_code(cell.source, "# YOUR CODE HERE\nraise NotImplementedError()")
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            cell.source = _REGION.sub(lambda m: "YOUR ANSWER HERE" + m.group(2), cell.source)
        tags = cell.metadata.get("tags")
        cell.metadata = nbformat.NotebookNode({"tags": tags} if tags else {})
    clean(ex)
    return ex


def _pairs(root: Path):
    sol_dir, ex_dir = root / "solutions", root / "exercises"
    sols = sorted(sol_dir.glob("*.ipynb"))
    return [(s, ex_dir / s.name) for s in sols], ex_dir


def build_all(root: Path | None = None) -> list[Path]:
    """Write every ``exercises/NN_slug.ipynb`` from its solution; remove orphans.
    Returns the files written or removed."""
    root = root or repo_root()
    pairs, ex_dir = _pairs(root)
    ex_dir.mkdir(exist_ok=True)
    changed = []
    for sol, ex in pairs:
        text = dumps(make_exercise(nbformat.read(sol, as_version=4)))
        if not ex.exists() or ex.read_text(encoding="utf-8") != text:
            tmp = ex.with_name(f".{ex.name}.part")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(ex)
            changed.append(ex)
    wanted = {ex.name for _, ex in pairs}
    for orphan in ex_dir.glob("*.ipynb"):
        if orphan.name not in wanted:
            orphan.unlink()
            changed.append(orphan)
    return changed


def check_all(root: Path | None = None) -> list[str]:
    """Names of exercises that are missing, stale, or have no solution."""
    root = root or repo_root()
    pairs, ex_dir = _pairs(root)
    stale = []
    for sol, ex in pairs:
        text = dumps(make_exercise(nbformat.read(sol, as_version=4)))
        if not ex.exists() or ex.read_text(encoding="utf-8") != text:
            stale.append(ex.name)
    wanted = {ex.name for _, ex in pairs}
    stale += [p.name for p in ex_dir.glob("*.ipynb") if p.name not in wanted]
    return stale


def solution_cells(nb) -> list[int]:
    """Indices of code cells that contain a solution region."""
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and BEGIN in c.source]


def _next_check(nb, i: int) -> int | None:
    for j in range(i + 1, len(nb.cells)):
        cell = nb.cells[j]
        if cell.cell_type != "code":
            continue
        return j if "assert" in cell.source and BEGIN not in cell.source else None
    return None


def verify_checks(path: str | Path, *, timeout: int = 600) -> list[str]:
    """Run a solution notebook so that every task is tried three ways, in one kernel, in order:

    1. as the exercise shows it (``# YOUR CODE HERE`` / ``raise NotImplementedError()``): it
       must stop with NotImplementedError, as a student's untouched notebook does;
    2. with the solution removed (the region replaced by ``pass``): the task's check must fail;
    3. with the solution: the check must pass, and the run goes on.

    Returns a list of problems (empty when every stub stops and every check is real).
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    problems = []
    tasks = solution_cells(nb)
    checks = {i: _next_check(nb, i) for i in tasks}
    for i, j in checks.items():
        if j is None:
            problems.append(
                f"{path.name}: task in cell {i} is not followed by a check cell with assert"
            )
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=timeout,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )

    def run(cell, idx):
        try:
            client.execute_cell(cell, idx)
            return None
        except CellExecutionError as exc:
            return exc.ename

    exercise = make_exercise(nb)
    with client.setup_kernel():
        for idx, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            if idx in tasks and checks[idx] is not None:
                err = run(copy.deepcopy(exercise.cells[idx]), idx)
                if err != "NotImplementedError":
                    problems.append(
                        f"{path.name}: the exercise's cell {idx} does not stop with "
                        f"NotImplementedError ({err or 'it runs'})"
                    )
                stub = copy.deepcopy(cell)
                stub.source = _stub_code(cell.source, "pass")
                err = run(stub, idx)
                if err is not None:
                    problems.append(f"{path.name}: cell {idx} without its solution raises {err}")
                result = run(copy.deepcopy(nb.cells[checks[idx]]), checks[idx])
                if result is None:
                    problems.append(
                        f"{path.name}: check in cell {checks[idx]} passes without the "
                        f"solution of cell {idx}"
                    )
            err = run(cell, idx)
            if err is not None:
                problems.append(f"{path.name}: cell {idx} fails with the solution: {err}")
                break
    return problems
