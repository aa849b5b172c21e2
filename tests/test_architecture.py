"""The house stays one house: the layers of docs/architecture.md, no import cycles, small files,
a command line that calls the library instead of computing, no copies of the shared helpers."""

import ast
import re
from pathlib import Path

import pytest

from conftest import ROOT

LIB = ROOT / "lib" / "customer_value"

#: Each top-level module or package of the library and its layer (docs/architecture.md). A
#: module may import only from layers below its own, or from its own package. Topics are
#: ordered so that the topic → topic imports that exist go one way only.
LAYERS = {
    "io": 0,
    "paths": 0,
    "style": 0,
    "_util": 1,
    "customers": 2,
    "btyd": 3,
    "kano": 4,
    "profit_models": 4,
    "pyramid": 5,
    "clv": 6,
    "relationship": 7,
    "datasets": 8,
    "notebooks": 9,
    "reports": 10,
    "exercises": 10,
    "course": 11,
    "cli": 12,
    "__main__": 13,
    "__init__": 13,
}
MAX_LINES = 900
MAX_CLI_LINES = 300


def _modules():
    for path in sorted(LIB.rglob("*.py")):
        rel = path.relative_to(LIB).with_suffix("")
        yield path, list(rel.parts)


def _name(parts) -> str:
    parts = parts[:-1] if parts[-1] == "__init__" else parts
    return ".".join(["customer_value", *parts])


def _imports(path: Path, parts, *, top_level_only: bool):
    """The customer_value modules a file imports (absolute names)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ["customer_value", *parts[:-1]]
    nodes = tree.body if top_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if not mod.startswith("customer_value"):
                continue
            yield mod
            for alias in node.names:  # "from . import kano" imports a module
                yield f"{mod}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("customer_value"):
                    yield alias.name


def _top(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


KNOWN = {_name(parts) for _, parts in _modules()}


def _graph(top_level_only: bool):
    graph = {}
    for path, parts in _modules():
        src = _name(parts)
        found = _imports(path, parts, top_level_only=top_level_only)
        graph[src] = {m for m in found if m in KNOWN and m != src}
    return graph


def _find_cycle(graph):
    state, stack = {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m) :] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def test_every_module_has_a_layer():
    tops = {_top(_name(parts)) for _, parts in _modules()}
    assert tops <= set(LAYERS), (
        f"add these to LAYERS and docs/architecture.md: {tops - set(LAYERS)}"
    )


def test_no_import_goes_up_a_layer():
    """Imports anywhere in a file (also inside functions) only go down the layers."""
    wrong = []
    for path, parts in _modules():
        src = _top(_name(parts))
        for mod in _imports(path, parts, top_level_only=False):
            if mod not in KNOWN or mod == "customer_value":
                continue
            dst = _top(mod)
            if dst == src:
                continue
            if LAYERS[dst] >= LAYERS[src]:
                wrong.append(f"{path.relative_to(ROOT)} imports {mod} ({src} -> {dst})")
    assert not wrong, "\n".join(sorted(set(wrong)))


def test_no_import_cycle_between_modules():
    cycle = _find_cycle(_graph(top_level_only=True))
    assert cycle is None, " -> ".join(cycle or [])


def test_no_import_cycle_between_modules_even_through_lazy_imports():
    """An import inside a function (a plot method importing its plot module) counts too: a
    plot module never imports back from the module whose results it draws."""
    graph = _graph(top_level_only=False)
    for src in graph:  # a package's face re-exports its modules: not a dependence
        if src.endswith(tuple(f".{p}" for p in LAYERS)) or src == "customer_value":
            graph[src] = {d for d in graph[src] if not d.startswith(src + ".")}
    cycle = _find_cycle(graph)
    assert cycle is None, " -> ".join(cycle or [])


def test_no_import_cycle_between_packages_even_through_lazy_imports():
    graph = {}
    for src, dsts in _graph(top_level_only=False).items():
        graph.setdefault(_top(src), set()).update(_top(d) for d in dsts if _top(d) != _top(src))
    cycle = _find_cycle(graph)
    assert cycle is None, " -> ".join(cycle or [])


def test_the_cycle_finder_finds_cycles():
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("path", [p for p, _ in _modules()], ids=lambda p: str(p.relative_to(LIB)))
def test_library_files_stay_small(path):
    n = len(path.read_text(encoding="utf-8").splitlines())
    limit = MAX_CLI_LINES if path.parent.name == "cli" else MAX_LINES
    assert n <= limit, f"{path.relative_to(ROOT)} has {n} lines (limit {limit}): split it"


def test_the_command_line_has_no_computation():
    """A subcommand parses, calls the library, prints and writes: no numpy, no model fitting,
    no groupby in cli/."""
    banned = re.compile(r"\bimport numpy\b|\bnp\.|\.groupby\(|\.fit\(|\.agg\(|scipy")
    found = []
    for path in sorted((LIB / "cli").glob("*.py")):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if banned.search(line):
                found.append(f"{path.name}:{i}: {line.strip()}")
    assert not found, "\n".join(found)


#: Shared helpers that must have one definition: the names of the copies the library once had.
SHARED = {
    "_axes": "_util.axes",
    "_rng": "_util.rng",
    "_fmt": "_util.fmt",
    "_Problems": "_util.Problems",
    "_source": "_util.source_of",
    "_new_ax": "_util.axes",
    "TIME_UNITS": "customers.UNITS",
}


def test_no_private_copies_of_the_shared_helpers():
    found = []
    for path, _ in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            name = None
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                name = node.name
            elif isinstance(node, ast.Assign):
                name = next((t.id for t in node.targets if isinstance(t, ast.Name)), None)
            if name in SHARED:
                found.append(f"{path.relative_to(ROOT)} defines {name}: use {SHARED[name]}")
    assert not found, "\n".join(found)


def test_one_definition_of_time_units():
    defs = [
        str(p.relative_to(ROOT))
        for p, _ in _modules()
        if re.search(r'^\s*\w+\s*=\s*\{\s*"day":\s*1\.0', p.read_text(encoding="utf-8"), re.M)
    ]
    assert defs == ["lib/customer_value/customers/definitions.py"], defs


def test_architecture_doc_names_every_layer():
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [m for m in LAYERS if not m.startswith("__") and m not in doc]
    assert not missing, f"docs/architecture.md does not mention {missing}"
