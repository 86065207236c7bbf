"""No user-facing text is built outside the catalogue: the package's source is scanned for English
sentences in string literals and f-strings, above all where they would reach a person (printed,
raised as a failure, put into an Issue or a message), and every catalogue key the source names
exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from matrix.i18n import LANGUAGES, catalogue

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "matrix"

SENTENCE = re.compile(r"[A-Za-z]+[,;:]? [a-z]+[,;:]? [a-z]+")
"""Three words in a row: a sentence, or the start of one."""
WORDS = re.compile(r"[A-Za-z]{2,}[,;:]? [a-z]{2,}")
"""Two words in a row, which is already too much English where a person reads it."""
WORD = re.compile(r"[A-Za-z]{2,}")
"""One word: too much in the text of an f-string that reaches a person."""
KEY = re.compile(r"[a-z0-9_.-]+")
"""A catalogue key, or a field or code name: no spaces."""
SQL = re.compile(r"\b(SELECT|INSERT INTO|JOIN|WHERE|CREATE TABLE|PRAGMA)\b")
SINKS = frozenset(
    {
        "echo",
        "secho",
        "print",
        "say",
        "note",
        "detail",
        "MatrixError",
        "StoreError",
        "PlanError",
        "PeriodError",
        "PeriodOutOfRange",
        "UsageError",
        "BadParameter",
        "ClickException",
        "OSError",
        "ValueError",
        "DescribedOSError",
        "Refused",
        "WorkbookReadError",
        "issue",
        "phrase",
        "t",
        "Issue",
    }
)
"""Calls whose text reaches a person: printed, raised as a failure, or made into a message."""
KEY_FIRST = frozenset(
    {"say", "MatrixError", "StoreError", "PeriodError", "PeriodOutOfRange", "phrase"}
)
"""Calls whose first argument is a catalogue key."""
DOCUMENTATION_KEYWORDS = frozenset(
    {"help", "short_help", "epilog", "description", "metavar", "prog_name"}
)
"""Click's --help text (and the one-line summaries and epilog `matrix --help` lists) and pydantic's
field descriptions: documentation for developers and the command's own help, which follows the
options' names (English)."""

ALLOWED = {
    "export_schema.py": "the descriptions of the published JSON Schema, a document for developers",
    "export_tables.py": "the descriptions of the export's extra tables, "
    "part of the same JSON Schema",
    "export_totals.py": "the descriptions of the export's regional table, "
    "part of the same JSON Schema",
    "results.py": "the descriptions of the published JSON Schemas of `--format json`, "
    "for developers",
    "demo.py": "what the demo's fictional offices type into their returns: workbook data, "
    "not words of matrix",
    "codes.py": "the header of docs/issue-codes.md, the English documentation of the codes",
    "models/plan.py": "pydantic's default wording of matrix's own validation errors; plan check "
    "shows the catalogue's `plan.problem.<type>` instead",
    "__init__.py": "Python's own AttributeError wording for a name the package does not have",
    "i18n.py": "the ValueError for a language matrix lacks, which every command refuses first",
}
"""Files whose remaining English is not shown to a user of matrix, and why."""
ALLOWED_TEXTS = {
    (
        "store/connection.py",
        "no password supplied",
    ): "libpq's words, matched to tell a failed login",
    ("store/connection.py", "does not exist"): "libpq's words, matched to tell a missing database",
    (
        "plan/diff.py",
        "Version of this layout.",
    ): "the JSON Schema of `plan diff --format json`, for developers",
    (
        "plan/diff.py",
        "What changed between two versions of a plan (matrix plan diff --format json)",
    ): "the JSON Schema's title, for developers",
    ("yaml_loader.py", "found duplicate anchor "): "PyYAML's own words, as its composer says them",
    ("yaml_loader.py", "found undefined alias "): "PyYAML's own words, as its composer says them",
}
"""Single texts left in English elsewhere, and why."""


def _name(call: ast.Call) -> str:
    func = call.func
    return (
        func.attr
        if isinstance(func, ast.Attribute)
        else func.id
        if isinstance(func, ast.Name)
        else ""
    )


def _texts(node: ast.AST) -> list[ast.Constant]:
    return [n for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _documentation(tree: ast.AST) -> set[int]:
    """Docstrings, attribute docstrings, assertion messages and help texts."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            for statement in node.body:
                if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                    skipped.add(id(statement.value))
        elif isinstance(node, ast.keyword) and node.arg in DOCUMENTATION_KEYWORDS:
            skipped |= {id(n) for n in ast.walk(node.value)}
        elif isinstance(node, ast.Assert):
            skipped |= {id(n) for n in ast.walk(node)}
    return skipped


def english_outside_the_catalogue(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _documentation(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (name := _name(node)) in SINKS:
            arguments = list(node.args) + [
                k.value for k in node.keywords if k.arg not in DOCUMENTATION_KEYWORDS
            ]
            first = node.args[0] if node.args else None
            if (
                name in KEY_FIRST
                and isinstance(first, ast.Constant)
                and KEY.fullmatch(str(first.value))
            ):
                arguments = arguments[1:]
            pieces = {
                id(t)
                for argument in arguments
                for j in ast.walk(argument)
                if isinstance(j, ast.JoinedStr)
                for t in _texts(j)
            }
            for text in (t for argument in arguments for t in _texts(argument)):
                if id(text) in skipped or text.value.startswith("%"):
                    continue
                piece = (
                    id(text) in pieces and WORD.search(text.value) and not KEY.fullmatch(text.value)
                )
                if WORDS.search(text.value) or piece:
                    found.append(
                        f"{path.relative_to(PACKAGE)}:{text.lineno}: {name}(... {text.value!r} ...)"
                    )
                    skipped.add(id(text))
    for text in _texts(tree):
        if id(text) not in skipped and SENTENCE.search(text.value) and not SQL.search(text.value):
            found.append(f"{path.relative_to(PACKAGE)}:{text.lineno}: {text.value[:80]!r}")
    return found


def test_no_user_facing_english_is_built_outside_the_catalogue():
    found = [
        line
        for path in sorted(PACKAGE.rglob("*.py"))
        if str(path.relative_to(PACKAGE)) not in ALLOWED
        for line in english_outside_the_catalogue(path)
        if not any(
            line.startswith(f"{name}:") and repr(text) in line for name, text in ALLOWED_TEXTS
        )
    ]
    assert found == [], "say it through the catalogue (matrix/locales/*.yaml):\n" + "\n".join(found)


def test_the_scan_finds_english_where_it_would_reach_a_person(tmp_path):
    """The scan itself can fail: a sentence printed, raised or put into an issue is found."""
    module = PACKAGE / "_scan_probe.py"
    module.write_text(
        "import click\n"
        "def f(path, code):\n"
        "    click.echo(f'wrote {path}')\n"
        "    raise MatrixError(f'cannot open {path}')\n"
        "    code.issue(file=path, reason='not a file')\n"
        "    MESSAGE = 'this is a sentence'\n",
        encoding="utf-8",
    )
    try:
        found = english_outside_the_catalogue(module)
    finally:
        module.unlink()
    assert sorted(line.split(":")[1] for line in found) == ["3", "4", "5", "6"]


def test_the_allow_list_names_files_that_exist():
    for name in ALLOWED:
        assert (PACKAGE / name).is_file(), name


KEY_CALLS = frozenset(
    {
        "t",
        "say",
        "phrase",
        "MatrixError",
        "StoreError",
        "PeriodError",
        "PeriodOutOfRange",
        "label",
        "sentence",
        "tr",
    }
)


def _named_keys() -> list[tuple[str, str]]:
    """(where, key) of every catalogue key the source names as a literal."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and _name(node) in KEY_CALLS and node.args):
                continue
            first = node.args[1] if _name(node) == "t" and len(node.args) > 1 else node.args[0]
            if (
                isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and "." in first.value
            ):
                found.append((f"{path.relative_to(PACKAGE)}:{node.lineno}", first.value))
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_the_source_names_is_in_the_catalogue(lang):
    keys = _named_keys()
    assert len(keys) > 100  # the scan sees the source's keys
    missing = [f"{where}: {key}" for where, key in keys if key not in catalogue(lang)]
    assert missing == []
