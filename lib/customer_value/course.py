"""Building the course: every lesson executed with papermill into ``build/course/``, rendered
to HTML, with the exercises and the reports rendered on their default data, and an
``index.html`` that lists them in order (``make course``)."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import nbformat

from . import reports
from .io import OutputExistsError
from .notebooks import clean, dumps, execute, lessons, render_html, title_of
from .paths import repo_root

__all__ = ["build_course"]


def build_course(out: Path, *, progress: bool = True, force: bool = False) -> Path:
    """Execute every lesson, render HTML, and write ``out/index.html``.

    Exercises are rendered unexecuted (to read; the .ipynb is copied next to them to download),
    and every report template is run on its default data through :mod:`customer_value.reports`.
    The course is built in a staging directory next to ``out`` and moved into place when
    complete; an existing ``out`` is replaced only with ``force``.
    """
    root = repo_root()
    out = Path(out).resolve()
    if out.exists() and not force:
        raise OutputExistsError(f"{out} exists; use --force to replace it")
    staging = out.with_name(out.name + ".part")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "exercises").mkdir(parents=True)
    try:
        return _build(root, out, staging, progress)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _build(root: Path, out: Path, staging: Path, progress: bool) -> Path:
    entries = []
    for nbpath in lessons(root):
        if progress:
            print(f"[course] executing {nbpath.relative_to(root)}", flush=True)
        nb = execute(nbformat.read(nbpath, as_version=4), cwd=nbpath.parent, parameters={})
        clean(nb)
        (staging / nbpath.name).write_text(dumps(nb), encoding="utf-8")
        (staging / f"{nbpath.stem}.html").write_text(render_html(nb), encoding="utf-8")
        ex = root / "exercises" / nbpath.name
        ex_link = None
        if ex.exists():
            exnb = nbformat.read(ex, as_version=4)
            (staging / "exercises" / f"{ex.stem}.html").write_text(
                render_html(exnb), encoding="utf-8"
            )
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
    old = out.with_name(out.name + ".old")
    if out.exists():
        shutil.rmtree(old, ignore_errors=True)
        out.replace(old)
    staging.replace(out)
    shutil.rmtree(old, ignore_errors=True)
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
