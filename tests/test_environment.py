"""pyproject.toml, constraints.txt, environment.yml, the Makefile and CI must agree."""

import re
import sys
import tomllib
from importlib import metadata

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT


def _lock():
    pins, header = {}, {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        m = re.match(r"#\s*pip==(\S+)", line)
        if m:
            header["pip"] = m.group(1)
        m = re.match(r"# Exact versions for Python (\d+\.\d+)", line)
        if m:
            header["python"] = m.group(1)
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version.strip()
    return pins, header


def _declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = [Requirement(r) for r in project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        reqs += [Requirement(r) for r in extra if not r.startswith("customer-value")]
    return project, reqs


def test_every_declared_dependency_is_pinned_within_its_range():
    pins, _ = _lock()
    _, reqs = _declared()
    problems = []
    for req in reqs:
        name = canonicalize_name(req.name)
        if name not in pins:
            problems.append(f"{req.name} is declared in pyproject.toml but not pinned")
        elif not req.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{req.name}=={pins[name]} violates pyproject's {req.specifier}")
    assert not problems, problems


def test_lock_pins_exact_versions_only():
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[A-Za-z0-9_.+\-]+", line), line


def test_environment_yml_installs_the_same_python_and_pinned_set():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    project, _ = _declared()
    _, header = _lock()
    deps = env["dependencies"]
    python = [d for d in deps if isinstance(d, str) and d.startswith("python")]
    assert python == [f"python={header['python']}"]
    assert Requirement(f"x{project['requires-python']}").specifier.contains(header["python"] + ".0")
    pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert "-c constraints.txt" in pip
    makefile = (ROOT / "Makefile").read_text()
    extra = re.search(r"^EXTRA\s*:=\s*(\S+)", makefile, re.M).group(1)
    assert f"-e .[{extra}]" in pip, "environment.yml and the Makefile install different extras"
    assert re.search(r"^LOCK\s*:=\s*constraints\.txt", makefile, re.M)


def test_running_environment_matches_the_lock():
    pins, header = _lock()
    assert f"{sys.version_info.major}.{sys.version_info.minor}" == header["python"]
    wrong = {}
    for name, version in pins.items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong[name] = (version, None)
            continue
        if installed != version:
            wrong[name] = (version, installed)
    assert not wrong, f"installed versions differ from constraints.txt: {wrong}"


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^exec make test$", ci, re.M)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make course" in readme
