"""The layout docs/architecture.md describes, held by the code: no import cycles anywhere in the
package, pydantic models that import nothing else from matrix, and the store, status and report
reading the plan through its index rather than through the workbook modules.

Imports are read from the source with `ast`, every one of them: at the top of a module, inside a
function (a lazy import is still a dependency) and under `TYPE_CHECKING`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import matrix
from checkout import ROOT

PACKAGE = Path(matrix.__file__).parent
TESTS = ROOT / "tests"
PLAN_WORKBOOK = "matrix.plan.workbook"


def module_files(package: Path) -> dict[str, Path]:
    """Dotted module name -> source file, for every module of the package under `package`."""
    modules = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def imports(package: Path) -> dict[str, set[str]]:
    """Module -> the package's modules it imports. `from a.b import c` is `a.b.c` when `c` is a
    module, else `a.b`; relative imports are resolved."""
    modules = module_files(package)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        own = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name in modules)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = own.split(".")[: len(own.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
                for alias in node.names:
                    if f"{base}.{alias.name}" in modules:
                        found.add(f"{base}.{alias.name}")
                    elif base in modules:
                        found.add(base)
        found.discard(name)
        graph[name] = found
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other, directly or round about (Tarjan's strongly
    connected components), each as one path around the cycle: ['a', 'b', 'a']."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph[module]):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while not group or group[-1] != module:
                group.append(stack.pop())
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return [_path_around(group, graph) for group in groups]


def _path_around(group: list[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest way from the group's first module back to itself, inside the group."""
    start, members = group[0], set(group)
    paths = {other: [start, other] for other in sorted(graph[start] & members)}
    while start not in paths:
        for module, path in list(paths.items()):
            for other in sorted(graph[module] & members):
                paths.setdefault(other, [*path, other])
    return paths[start]


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return imports(PACKAGE)


def test_the_package_has_no_import_cycles(graph):
    found = cycles(graph)
    assert not found, "import cycles: " + "; ".join(" -> ".join(cycle) for cycle in found)


def write_package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


@pytest.mark.parametrize(
    "files, expected",
    [
        (
            # the cycle issue 17 named between frameworks and models/plan: a lazy import in a method
            {
                "pkg/__init__.py": "",
                "pkg/frameworks.py": "from pkg.models.plan import Framework\n",
                "pkg/models/__init__.py": "",
                "pkg/models/plan.py": "class Plan:\n"
                "    def framework(self):\n"
                "        from pkg import frameworks\n",
            },
            [["pkg.frameworks", "pkg.models.plan", "pkg.frameworks"]],
        ),
        (
            {  # a package and one of its modules, through a relative import under TYPE_CHECKING
                "pkg/__init__.py": "from pkg.batch import run\n",
                "pkg/batch.py": "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n"
                "    from . import run\n",
            },
            [["pkg", "pkg.batch", "pkg"]],
        ),
        (
            {  # three modules round about
                "pkg/__init__.py": "",
                "pkg/a.py": "import pkg.b\n",
                "pkg/b.py": "from pkg import c\n",
                "pkg/c.py": "from .a import thing\n",
            },
            [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]],
        ),
        (
            {  # a chain is no cycle
                "pkg/__init__.py": "",
                "pkg/a.py": "import pkg.b\n",
                "pkg/b.py": "import os\nfrom pkg import c\n",
                "pkg/c.py": "",
            },
            [],
        ),
    ],
)
def test_cycles_are_found_however_the_import_is_written(tmp_path, files, expected):
    assert cycles(imports(write_package(tmp_path, files))) == expected


def test_models_import_nothing_else_from_matrix(graph):
    outside = {
        module: sorted(name for name in found if not name.startswith("matrix.models"))
        for module, found in graph.items()
        if module.startswith("matrix.models")
    }
    assert {module: names for module, names in outside.items() if names} == {}


@pytest.mark.parametrize(
    "user",
    [
        "matrix.plan",
        "matrix.store",
        "matrix.status",
        "matrix.report",
        "matrix.collect",
        "matrix.periods",
    ],
)
def test_the_plan_store_status_and_report_do_not_depend_on_the_workbook_modules(graph, user):
    """They read plans through `matrix.plan`; only the modules that read or write workbooks (the
    export, which writes one, and the plan workbook, `matrix.plan.workbook`) know where cells
    are."""
    found = {
        module: sorted(name for name in imported if name.startswith("matrix.excel"))
        for module, imported in graph.items()
        if (module == user or module.startswith(f"{user}."))
        and not module.startswith(PLAN_WORKBOOK)
    }
    assert {module: names for module, names in found.items() if names} == {}


def test_the_lazily_loaded_public_names_are_the_ones_type_checkers_see():
    """`matrix.X` is loaded on first use; the `TYPE_CHECKING` imports give it its real type.
    Both must name the same object."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    typed = {
        alias.asname or alias.name: (node.module, alias.name)
        for guard in ast.walk(tree)
        if isinstance(guard, ast.If) and ast.unparse(guard.test) == "TYPE_CHECKING"
        for node in guard.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert typed == matrix._LAZY


def test_no_test_imports_conftest():
    """Fixtures come to tests through conftest; values and helpers from plain modules. Importing
    conftest as a module gives it a second copy alongside the one pytest loaded."""
    importing = sorted(
        path.name
        for path in TESTS.glob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (isinstance(node, ast.ImportFrom) and node.module == "conftest")
        or (isinstance(node, ast.Import) and any(alias.name == "conftest" for alias in node.names))
    )
    assert importing == []
