"""Executing and rendering the course's notebooks: the lowest of the course tools (reports,
exercises and the course site build on it; it imports none of them).

* :func:`execute_in_place` is the project's execution command for stored outputs
  (``make notebooks``): top to bottom, in the notebook's own directory, kernel ``python3``,
  without volatile metadata, so that nbval can compare stored and fresh outputs.
* :func:`render_html` turns an executed notebook into an offline HTML page (no CDN scripts),
  with or without its code; :func:`clean` and :func:`dumps` are how notebooks are stored.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import re
import subprocess
import threading
from pathlib import Path

import nbformat

from .paths import repo_root

__all__ = [
    "KERNEL",
    "clean",
    "course_notebooks",
    "dumps",
    "execute_in_place",
    "lessons",
    "render_html",
    "title_of",
]

KERNEL = "python3"
_KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": KERNEL}
_LESSON = re.compile(r"^\d\d_[a-z0-9_]+\.ipynb$")
_REMOTE_SCRIPT = re.compile(r"<script[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>\s*")


def lessons(root: Path | None = None) -> list[Path]:
    """Lesson notebooks ``notebooks/NN_slug.ipynb`` in course order."""
    root = root or repo_root()
    return sorted(p for p in (root / "notebooks").glob("*.ipynb") if _LESSON.match(p.name))


def course_notebooks(
    include_solutions: bool = True, include_reports: bool = True, root: Path | None = None
) -> list[Path]:
    """Lessons, then solutions, then report templates: the notebooks whose outputs are stored
    in git and compared by nbval."""
    root = root or repo_root()
    out = lessons(root)
    if include_solutions:
        out += sorted(p for p in (root / "solutions").glob("*.ipynb") if _LESSON.match(p.name))
    if include_reports:
        out += sorted((root / "notebooks" / "reports").glob("*.ipynb"))
    return out


def dumps(nb) -> str:
    """Serialise a notebook the one way this repository stores notebooks."""
    return nbformat.writes(nb) + "\n"


def clean(nb) -> None:
    """Remove what varies between runs (execution metadata) and set the kernel to python3."""
    nb.metadata["kernelspec"] = dict(_KERNELSPEC)
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)


def execute(
    nb,
    *,
    cwd: str | Path,
    timeout: int = 1200,
    parameters: dict | None = None,
    progress: bool = False,
    label: str = "Executing",
):
    """Execute ``nb`` top to bottom in ``cwd`` (papermill's parameter injection when
    ``parameters`` are given) and return it with its outputs.

    The kernel runs in a session of its own with its stderr silenced, so that Ctrl-C in the
    terminal reaches this process only: on KeyboardInterrupt the kernel is shut down and the
    interrupt is raised again (nothing of the kernel's shutdown reaches the user's terminal).
    ``progress`` shows a bar of executed code cells on stderr. A failing cell raises nbclient's
    ``CellExecutionError`` (with ``ename`` and ``evalue``).
    """
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    if parameters:
        from papermill.parameterize import parameterize_notebook

        nb.metadata.setdefault("papermill", {})  # papermill records the parameters there
        for cell in nb.cells:  # and reads every cell's tags
            cell.metadata.setdefault("tags", [])
        nb = parameterize_notebook(nb, parameters, kernel_name=KERNEL, language="python")
        for cell in nb.cells:
            if not cell.metadata.get("tags"):
                cell.metadata.pop("tags", None)
    km = KernelManager(kernel_name=KERNEL)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        n_code = sum(1 for c in nb.cells if c.cell_type == "code")
        bar = tqdm(total=n_code, desc=label, unit="cell", leave=False)
    client = NotebookClient(
        nb,
        km=km,
        kernel_name=KERNEL,
        timeout=timeout,
        record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
        on_cell_executed=(lambda **_: bar.update(1)) if bar is not None else None,
    )
    # nbclient runs in a thread of its own: its event loop then installs no signal handlers, and
    # Ctrl-C reaches this thread, which interrupts the kernel, waits for the run to end and
    # shuts the kernel down before it raises KeyboardInterrupt.
    outcome: dict[str, BaseException] = {}

    def work():
        try:
            client.execute()
        except BaseException as exc:  # handed to the calling thread
            outcome["error"] = exc
        finally:  # close what nbclient leaves open in this thread (its channels, its loop)
            kc = getattr(client, "kc", None)
            if kc is not None:
                with contextlib.suppress(Exception):
                    kc.stop_channels()
            with contextlib.suppress(Exception):
                loop = asyncio.get_event_loop_policy().get_event_loop()
                if not loop.is_running():
                    loop.close()

    worker = threading.Thread(target=work, name="customer-value-notebook", daemon=True)
    try:
        km.start_kernel(
            independent=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=str(cwd)
        )
        worker.start()
        while worker.is_alive():
            worker.join(0.1)
    except KeyboardInterrupt:
        with contextlib.suppress(Exception):
            km.interrupt_kernel()
        worker.join(10)
        _stop(km)
        worker.join(5)
        raise
    finally:
        if bar is not None:
            bar.close()
        _stop(km)
        # nbclient registers an exit hook that stops its client's channels; run after an
        # interrupt, that hook can block the interpreter's exit on a zmq context forever
        atexit.unregister(client._cleanup_kernel)
    if "error" in outcome:
        raise outcome["error"]
    return nb


def _stop(km) -> None:
    with contextlib.suppress(Exception):
        km.shutdown_kernel(now=True)
    with contextlib.suppress(Exception):
        km.cleanup_resources()


def execute_in_place(path: str | Path, *, timeout: int = 1200) -> None:
    """Execute a notebook top to bottom in its own directory and store the outputs in it (the
    project's execution command for stored outputs)."""
    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    clean(nb)
    nb = execute(nb, cwd=path.parent, timeout=timeout)
    clean(nb)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_text(dumps(nb), encoding="utf-8")
    tmp.replace(path)


def title_of(path: Path) -> str:
    """The first Markdown heading of a notebook (its title)."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return path.stem


def render_html(nb, *, exclude_input: bool = False) -> str:
    """The notebook as a standalone HTML page (nbconvert's lab template) that loads nothing from
    the web; ``exclude_input`` hides the code (reports)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = exclude_input
    exporter.exclude_input_prompt = exclude_input
    exporter.exclude_output_prompt = exclude_input
    body, _ = exporter.from_notebook_node(nb)
    # The lab template loads require.js and MathJax from a CDN. The course is read offline and
    # its lessons write formulas in plain Unicode, so the pages load nothing from the network.
    return _REMOTE_SCRIPT.sub("", body)
