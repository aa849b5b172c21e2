"""Executing and rendering the course's notebooks.

* :func:`execute_in_place` is the project's execution command for stored outputs
  (``make notebooks``): top to bottom, in the notebook's own directory, kernel ``python3``,
  without volatile metadata, so that nbval can compare stored and fresh outputs.
* :func:`build_course` is ``make course``: every lesson executed with papermill into
  ``build/course/``, rendered to HTML, plus the exercises and the reports rendered with their
  default data, and an ``index.html`` that lists them in order.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import nbformat

from .paths import repo_root

__all__ = ["course_notebooks", "lessons", "execute_in_place", "dumps", "build_course", "title_of"]

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


def _clean(nb) -> None:
    nb.metadata["kernelspec"] = dict(_KERNELSPEC)
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)


def execute_in_place(path: str | Path, *, timeout: int = 1200) -> None:
    """Execute a notebook top to bottom in its own directory and store the outputs in it."""
    from nbclient import NotebookClient

    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    _clean(nb)
    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=timeout,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    _clean(nb)
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


def _html(nb, *, exclude_input: bool = False) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = exclude_input
    exporter.exclude_input_prompt = exclude_input
    exporter.exclude_output_prompt = exclude_input
    body, _ = exporter.from_notebook_node(nb)
    # The lab template loads require.js and MathJax from a CDN. The course is read offline and
    # its lessons write formulas in plain Unicode, so the pages load nothing from the network.
    return _REMOTE_SCRIPT.sub("", body)


def build_course(out: Path, *, progress: bool = True) -> Path:
    """Execute every lesson with papermill, render HTML, and write ``out/index.html``.

    Exercises are rendered unexecuted (to read; the .ipynb is copied next to them to download),
    and every report template is run on its default data through :mod:`customer_value.reports`.
    """
    import papermill as pm

    from . import reports

    root = repo_root()
    out = Path(out).resolve()
    staging = out.with_name(out.name + ".part")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "exercises").mkdir(parents=True)
    entries = []
    for nbpath in lessons(root):
        if progress:
            print(f"[course] executing {nbpath.relative_to(root)}", flush=True)
        executed = staging / nbpath.name
        pm.execute_notebook(
            str(nbpath),
            str(executed),
            cwd=str(nbpath.parent),
            kernel_name=KERNEL,
            progress_bar=False,
        )
        nb = nbformat.read(executed, as_version=4)
        (staging / f"{nbpath.stem}.html").write_text(_html(nb), encoding="utf-8")
        ex = root / "exercises" / nbpath.name
        ex_link = None
        if ex.exists():
            exnb = nbformat.read(ex, as_version=4)
            (staging / "exercises" / f"{ex.stem}.html").write_text(_html(exnb), encoding="utf-8")
            shutil.copy2(ex, staging / "exercises" / ex.name)
            ex_link = f"exercises/{ex.stem}.html"
        entries.append((nbpath.stem, title_of(nbpath), ex_link))
    report_links = []
    for name in reports.available(root):
        if progress:
            print(f"[course] rendering report {name}", flush=True)
        reports.run(name, {}, out_dir=staging / "reports", force=True, progress=False, cwd=root)
        report_links.append((name, reports.title(name, root), f"reports/{name}.html"))
    (staging / "index.html").write_text(_index(entries, report_links), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    staging.replace(out)
    return out / "index.html"


def _index(entries, report_links) -> str:
    rows = []
    for stem, title, ex_link in entries:
        ex = (
            f'<a href="{ex_link}">exercise</a> · <a href="exercises/{stem}.ipynb">.ipynb</a>'
            if ex_link
            else ""
        )
        rows.append(
            f'<tr><td>{html.escape(stem[:2])}</td><td><a href="{stem}.html">'
            f"{html.escape(title)}</a></td><td>{ex}</td></tr>"
        )
    reps = "".join(
        f'<li><a href="{link}">{html.escape(title)}</a> (<code>{name}</code>)</li>'
        for name, title, link in report_links
    )
    meta = json.dumps({"lessons": [e[0] for e in entries], "reports": [r[0] for r in report_links]})
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Customer-needs analytics · 以客户需求为导向</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif;
       max-width: 860px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.5; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .4em .6em; text-align: left; }}
th {{ background: #f4f4f4; }}
</style></head><body>
<h1>Customer-needs analytics <small>以客户需求为导向</small></h1>
<p>Lessons in order, executed when this page was built, with their exercises. Reports are the
client-ready templates rendered on the course's sample data.</p>
<h2>Lessons</h2>
<table><tr><th>#</th><th>lesson</th><th>exercise</th></tr>
{"".join(rows)}
</table>
<h2>Reports</h2>
<ul>{reps}</ul>
<script type="application/json" id="course-manifest">{meta}</script>
</body></html>
"""
