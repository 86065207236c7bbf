"""The README's test command works in a fresh virtual environment: every module the tests, the
benchmarks and matrix import, and every module those import in turn, comes from a distribution that
matrix-10pp[test] declares, directly or through the declared distributions' own requirements.

A module that is merely present on this machine (libhxl imports `six` without declaring it) would
pass the suite here and fail it in a fresh environment; this test fails here instead."""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
import tomllib
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import matrix
from checkout import ROOT

SOURCES = [*(ROOT / "tests").glob("*.py"), *(ROOT / "benchmarks").glob("*.py")]
LOCAL = {"matrix", "benchmarks", *(path.stem for path in SOURCES)}


def declared() -> set[str]:
    """Distributions `pip install .[test]` brings in: pyproject's dependencies and test extra, then
    what each of those requires (with the extras asked for), as their installed metadata says."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    todo = [Requirement(text) for text in [*project["dependencies"], *project["optional-dependencies"]["test"]]]
    found: set[str] = set()
    while todo:
        requirement = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        found.add(name)
        for text in metadata.requires(requirement.name) or []:
            needed = Requirement(text)
            extras = ["", *requirement.extras]
            if needed.marker is None or any(needed.marker.evaluate({"extra": extra}) for extra in extras):
                needed.marker = None
                todo.append(needed)
    return found


def imported_by_our_code() -> set[str]:
    """Third-party modules the tests and benchmarks import (read from their source, including
    `pytest.importorskip`), and every module of matrix (whose imports are what it needs to run)."""
    names = {module.name for module in pkgutil.walk_packages(matrix.__path__, "matrix.")
             if not module.name.endswith("__main__")}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
            elif (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "importorskip"
                  and node.args and isinstance(node.args[0], ast.Constant)):
                names.add(node.args[0].value)
    return {name for name in names if _top(name) not in sys.stdlib_module_names and
            (_top(name) not in LOCAL or name.startswith("matrix."))}


def loaded_when_importing(names: set[str]) -> set[str]:
    """Top-level names of the installed modules (files under site-packages) a fresh interpreter
    loads to import `names`, beyond those it starts with."""
    code = (
        "import importlib, json, sys, sysconfig\n"
        "before = set(sys.modules)\n"
        f"for name in {sorted(names)!r}:\n"
        "    importlib.import_module(name)\n"
        "sites = tuple({sysconfig.get_path('purelib'), sysconfig.get_path('platlib')})\n"
        "print(json.dumps(sorted({name.partition('.')[0] for name in set(sys.modules) - before\n"
        "                         if (getattr(sys.modules[name], '__file__', None) or '').startswith(sites)})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT / "tests")
    return set(json.loads(out.stdout.splitlines()[-1]))


def _top(name: str) -> str:
    return name.partition(".")[0]


def test_every_imported_module_comes_from_a_declared_distribution():
    needed = declared()
    assert {"pytest", "libhxl", "pydantic-core"} <= needed  # pydantic-core through pydantic
    providers = metadata.packages_distributions()
    modules = loaded_when_importing(imported_by_our_code())
    assert {"hxl", "openpyxl", "playwright", "yaml"} <= modules
    undeclared = sorted(
        f"{module} (from {', '.join(providers.get(module, ['no installed distribution']))})"
        for module in modules - LOCAL  # matrix itself, when installed rather than editable
        if not {canonicalize_name(dist) for dist in providers.get(module, [])} & needed
    )
    assert not undeclared, f"imported but not declared in pyproject.toml (directly or transitively): {undeclared}"
