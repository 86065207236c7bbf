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
    todo = [
        Requirement(text)
        for text in [*project["dependencies"], *project["optional-dependencies"]["test"]]
    ]
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
            if needed.marker is None or any(
                needed.marker.evaluate({"extra": extra}) for extra in extras
            ):
                needed.marker = None
                todo.append(needed)
    return found


def imported_by_our_code() -> set[str]:
    """Third-party modules the tests and benchmarks import (read from their source, including
    `pytest.importorskip`), and every module of matrix (whose imports are what it needs to run)."""
    names = {
        module.name
        for module in pkgutil.walk_packages(matrix.__path__, "matrix.")
        if not module.name.endswith("__main__")
    }
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
            elif (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", None) == "importorskip"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(node.args[0].value)
    return {
        name
        for name in names
        if _top(name) not in sys.stdlib_module_names
        and (_top(name) not in LOCAL or name.startswith("matrix."))
    }


def import_with_only(names: set[str], hidden: set[str]) -> tuple[set[str], dict[str, str]]:
    """Imports `names` in a fresh interpreter in which the top-level modules `hidden` cannot be
    found, as in a fresh environment without their distributions. Returns the installed modules
    (files under site-packages) it loaded and, per name that failed, the error. A library's optional
    import (jsonschema tries `jsonpointer` when present) fails quietly and counts for nothing."""
    code = (
        "import importlib, json, sys, sysconfig\n"
        f"hidden = set({sorted(hidden)!r})\n"
        "class Hide:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.partition('.')[0] in hidden:\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, Hide())\n"
        "before = set(sys.modules)\n"
        "failed = {}\n"
        f"for name in {sorted(names)!r}:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ImportError as error:\n"
        "        failed[name] = str(error)\n"
        "sites = tuple({sysconfig.get_path('purelib'), sysconfig.get_path('platlib')})\n"
        "loaded = sorted({name.partition('.')[0] for name in set(sys.modules) - before\n"
        "                 if (getattr(sys.modules[name], '__file__', None) or '')\n"
        "                 .startswith(sites)})\n"
        "print(json.dumps([loaded, failed]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT / "tests"
    )
    loaded, failed = json.loads(out.stdout.splitlines()[-1])
    return set(loaded), failed


def _top(name: str) -> str:
    return name.partition(".")[0]


def test_every_imported_module_comes_from_a_declared_distribution():
    needed = declared()
    assert {"pytest", "libhxl", "pydantic-core"} <= needed  # pydantic-core through pydantic
    undeclared = {
        module
        for module, dists in metadata.packages_distributions().items()
        if module not in sys.stdlib_module_names
        and module not in LOCAL
        and not {canonicalize_name(dist) for dist in dists} & needed
    }
    loaded, failed = import_with_only(imported_by_our_code(), hidden=undeclared)
    assert {"hxl", "openpyxl", "playwright", "yaml"} <= loaded
    assert not failed, (
        f"needs a distribution pyproject.toml does not declare (directly or transitively): {failed}"
    )


def test_a_module_from_an_undeclared_distribution_is_caught():
    """The check above can fail: hiding a declared distribution breaks the import that needs it."""
    loaded, failed = import_with_only({"matrix.excel.writer"}, hidden={"xlsxwriter"})
    assert "xlsxwriter" not in loaded
    assert "xlsxwriter" in failed["matrix.excel.writer"]
