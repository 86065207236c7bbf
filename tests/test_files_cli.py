"""Every command that writes a file, pointed at each input it reads (the plan, the store, a return,
the returns folder), under its own name, a symlink or a hard link: refused on one line saying why,
with every input byte for byte as it was; and files for people follow the umask."""

from __future__ import annotations

import os
import shutil
import stat

import pytest

from checkout import SUDAN
from matrix.signing import KEY_FILE, ensure_key, find_key
from store_helpers import returned_matrix

WORKBOOK = "SDN_2026-07_sdn-joint-strategy.xlsx"
AUGUST = "SDN_2026-08_sdn-joint-strategy.xlsx"
FEEDBACK = "SDN_2026-07_sdn-joint-strategy_feedback.xlsx"


@pytest.fixture
def project(run, tmp_path, monkeypatch, sudan):
    """plan.yaml and its key beside it, returns/ with one return, and matrix.sqlite holding it."""
    monkeypatch.delenv("MATRIX_KEY_FILE")
    shutil.copy(SUDAN, tmp_path / "plan.yaml")
    ensure_key(find_key(tmp_path / "plan.yaml"))
    returned_matrix(sudan, "2026-07", tmp_path / "returns")  # signed with it
    assert run("collect", "returns").exit_code == 0
    return tmp_path


def snapshot(folder) -> dict[str, bytes | str]:
    """Every entry under `folder`: a link's target, a file's bytes."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = f"-> {os.readlink(path)}"
        elif path.is_file():
            found[name] = path.read_bytes()
    return found


def link(project, name: str, to: str, *, hard: bool = False) -> None:
    path = project / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if hard:
        os.link(project / to, path)
    else:
        path.symlink_to(os.path.relpath(project / to, path.parent))


READS = "which this command reads; write the output to another file"
SIGNS = "which signs every matrix of the project; write the output to another file"
CASES = {
    # name: (links to make: {name: (input, hard link?)}, arguments, what the message must say)
    "report over the store": (
        {},
        ["report", "--period", "2026-07", "-o", "matrix.sqlite"],
        f"matrix.sqlite is the store, {READS}",
    ),
    "report over the plan": (
        {},
        ["report", "--period", "2026-07", "-o", "plan.yaml"],
        f"plan.yaml is the plan, {READS}",
    ),
    "report over a link to the plan": (
        {"r.html": ("plan.yaml", False)},
        ["report", "--period", "2026-07", "-o", "r.html"],
        f"r.html is the plan plan.yaml, {READS}",
    ),
    "report over a hard link to the store": (
        {"r.html": ("matrix.sqlite", True)},
        ["report", "--period", "2026-07", "-o", "r.html"],
        f"r.html is the store matrix.sqlite, {READS}",
    ),
    "report over the store's log": (
        {},
        ["report", "--period", "2026-07", "-o", "matrix.sqlite-wal"],
        f"matrix.sqlite-wal is the store's write-ahead log, {READS}",
    ),
    **{
        f"export {fmt} over the store": (
            {},
            ["export", "--format", fmt, "-o", "matrix.sqlite"],
            f"matrix.sqlite is the store, {READS}",
        )
        for fmt in ("csv", "hxl", "json", "xlsx", "iati")
    },
    **{
        f"export {fmt} over the plan": (
            {},
            ["export", "--format", fmt, "-o", "plan.yaml"],
            f"plan.yaml is the plan, {READS}",
        )
        for fmt in ("csv", "hxl", "json", "xlsx", "iati")
    },
    "export over a hard link to the plan": (
        {"x.csv": ("plan.yaml", True)},
        ["export", "--format", "csv", "-o", "x.csv"],
        f"x.csv is the plan plan.yaml, {READS}",
    ),
    "generate over the plan": (
        {f"out/{WORKBOOK}": ("plan.yaml", False)},
        ["generate", "plan.yaml", "--period", "2026-07", "--all", "--force", "-o", "out"],
        f"out/{WORKBOOK} is the plan plan.yaml, {READS}",
    ),
    "generate --prefill over the store": (
        {f"out/{AUGUST}": ("matrix.sqlite", False)},
        [
            "generate",
            "plan.yaml",
            "--period",
            "2026-08",
            "--all",
            "--prefill",
            "--force",
            "-o",
            "out",
        ],
        f"out/{AUGUST} is the store matrix.sqlite, {READS}",
    ),
    "annotate into the returns folder": (
        {},
        ["validate", "returns", "--annotate", "returns"],
        (
            "returns is inside the returns folder returns: feedback copies written "
            "there would be read as returns; choose a folder outside it"
        ),
    ),
    "annotate over a return": (
        {},
        ["validate", f"returns/{WORKBOOK}", f"returns/{FEEDBACK}", "--annotate", "returns"],
        f"returns/{FEEDBACK} is a return being read, {READS}",
    ),
    "annotate over the plan": (
        {f"fb/{FEEDBACK}": ("plan.yaml", False)},
        ["validate", "returns", "--annotate", "fb"],
        f"fb/{FEEDBACK} is the plan plan.yaml, {READS}",
    ),
    "collect into the plan": (
        {},
        ["collect", "returns", "--store", "plan.yaml"],
        f"plan.yaml is the plan, {READS}",
    ),
    "collect into a return": (
        {},
        ["collect", "returns", "--store", f"returns/{WORKBOOK}"],
        f"returns/{WORKBOOK} is a return being read, {READS}",
    ),
    "collect into a hard link to a return": (
        {"r.sqlite": (f"returns/{WORKBOOK}", True)},
        ["collect", "returns", "--store", "r.sqlite"],
        f"r.sqlite is a return being read returns/{WORKBOOK}, {READS}",
    ),
    "collect into the project key": (
        {},
        ["collect", "returns", "--store", KEY_FILE],
        f"{KEY_FILE} is the project key, {SIGNS}",
    ),
    "report over the project key": (
        {},
        ["report", "--period", "2026-07", "-o", KEY_FILE],
        f"{KEY_FILE} is the project key, {SIGNS}",
    ),
    "export over a link to the project key": (
        {"key.csv": (KEY_FILE, False)},
        ["export", "--format", "csv", "-o", "key.csv"],
        f"key.csv is the project key {KEY_FILE}, {SIGNS}",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_no_command_writes_over_an_input(case, run, project):
    links, args, why = CASES[case]
    if case == "annotate over a return":  # the office's corrected return, named like our copy
        shutil.copy(project / "returns" / WORKBOOK, project / "returns" / FEEDBACK)
    for name, (target, hard) in links.items():
        link(project, name, target, hard=hard)
    before = snapshot(project)
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"error: {why}\n"
    assert snapshot(project) == before


OUTPUTS = {
    "report": (["report", "--period", "2026-07", "-o", "r.html"], ["r.html"]),
    "export": ([], [f"x.{fmt}" for fmt in ("csv", "hxl", "json", "xlsx")]),
    "generate": (
        ["generate", "plan.yaml", "--period", "2026-08", "--all", "-o", "out"],
        [f"out/{AUGUST}"],
    ),
    "annotate": (["validate", "returns", "--annotate", "fb"], [f"fb/{FEEDBACK}"]),
    "init": (["init", "new"], ["new/plan.yaml"]),
}


@pytest.mark.parametrize("mask", [0o022, 0o027])
@pytest.mark.parametrize("command", OUTPUTS)
def test_files_for_people_follow_the_umask(command, mask, run, project):
    args, outputs = OUTPUTS[command]
    old = os.umask(mask)
    try:
        if command == "export":
            for fmt in ("csv", "hxl", "json", "xlsx"):
                assert run("export", "--format", fmt, "-o", f"x.{fmt}").exit_code == 0
        else:
            assert run(*args).exit_code in (0, 1)
    finally:
        os.umask(old)
    for name in outputs:
        assert stat.S_IMODE((project / name).stat().st_mode) == 0o666 & ~mask, name
