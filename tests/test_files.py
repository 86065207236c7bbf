"""The one way matrix writes files: atomic, umask-following, nothing left on failure, a half-built
zip archive silent, and never over an input under any name or link."""

from __future__ import annotations

import gc
import os
import stat
import sys
import zipfile

import pytest

from matrix.errors import MatrixError
from matrix.files import PRIVATE, Inputs, write_file, write_text


@pytest.fixture
def umask():
    """Set the process umask for one test."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_files_for_people_follow_the_umask(tmp_path, umask, mask):
    umask(mask)
    new = write_text(tmp_path / "report.html", "<p>hi</p>")
    assert mode(new) == 0o666 & ~mask
    old = tmp_path / "old.csv"
    old.write_text("before")
    old.chmod(0o600)
    write_text(old, "after")  # a replaced file is a new file: it gets the umask's mode too
    assert mode(old) == 0o666 & ~mask and old.read_text() == "after"


def test_secrets_stay_private_whatever_the_umask(tmp_path, umask):
    umask(0)
    key = write_text(tmp_path / "signing.key", "secret", mode=PRIVATE)
    assert mode(key) == 0o600


def test_a_failing_writer_leaves_the_old_file_and_no_temporary(tmp_path):
    out = tmp_path / "export.csv"
    out.write_text("previous")

    def half_then_fail(stream):
        stream.write("half a file" * 1000)
        raise ValueError("the writer's own bug")

    with pytest.raises(ValueError, match="own bug"):
        write_file(out, half_then_fail, encoding="utf-8")
    assert out.read_text() == "previous"
    assert leftovers(tmp_path) == []


def test_ctrl_c_in_the_writer_leaves_nothing(tmp_path):
    def interrupted(stream):
        stream.write(b"x" * 10_000)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_file(tmp_path / "matrix.xlsx", interrupted)
    assert list(tmp_path.iterdir()) == []


def test_a_half_built_zip_archive_says_nothing_when_collected(tmp_path, monkeypatch):
    """openpyxl and xlsxwriter leave their ZipFile open when a write fails; collected later, it
    writes its directory to the stream, which must not print "Exception ignored in
    ZipFile.__del__"."""
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)

    def zip_then_fail(stream):
        archive = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED)
        archive.writestr("xl/workbook.xml", b"<workbook/>" * 1000)
        raise OSError(28, "No space left on device")

    with pytest.raises(
        MatrixError,
        match=r"^cannot write .*book.xlsx: the disk is full \(No space left on device\); "
        r"free some space",
    ):
        write_file(tmp_path / "book.xlsx", zip_then_fail)
    gc.collect()
    assert unraisable == []
    assert list(tmp_path.iterdir()) == []


def test_a_symlink_is_followed_and_kept(tmp_path):
    real = tmp_path / "shared" / "report.html"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "report.html"
    link.symlink_to(real)
    write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_a_folder_a_device_or_a_missing_folder_is_one_line(tmp_path):
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(MatrixError, match="it is a folder"):
        write_text(tmp_path / "dir.csv", "x")
    with pytest.raises(MatrixError, match="not a regular file"):
        write_text("/dev/null", "x")
    with pytest.raises(MatrixError, match="nowhere does not exist"):
        write_text(tmp_path / "nowhere" / "x.csv", "x")


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.yaml").write_text("plan")
    (tmp_path / "matrix.sqlite").write_bytes(b"store")
    (tmp_path / "returns").mkdir()
    (tmp_path / "returns" / "KEN.xlsx").write_bytes(b"return")
    return tmp_path


def test_an_input_is_refused_under_any_name(project):
    inputs = Inputs(
        plan="plan.yaml", store="matrix.sqlite", returns=["returns", "returns/KEN.xlsx"]
    )
    (project / "plan-link.html").symlink_to(project / "plan.yaml")
    os.link(project / "matrix.sqlite", project / "hard.csv")
    (project / "wal-link.json").symlink_to(
        project / "matrix.sqlite-wal"
    )  # dangling: the log comes and goes
    cases = {
        "plan.yaml": "plan.yaml is the plan, which this command reads",
        "./returns/../plan.yaml": "returns/../plan.yaml is the plan,",
        str(project / "plan.yaml"): "is the plan,",
        "plan-link.html": "plan-link.html is the plan plan.yaml,",
        "hard.csv": "hard.csv is the store matrix.sqlite,",
        "matrix.sqlite-wal": "matrix.sqlite-wal is the store's write-ahead log,",
        "wal-link.json": "wal-link.json is the store's write-ahead log matrix.sqlite-wal,",
        "matrix.sqlite-journal": "is the store's journal",
        "returns/KEN.xlsx": "returns/KEN.xlsx is a return being read,",
    }
    for target, why in cases.items():
        with pytest.raises(
            MatrixError, match="which this command reads; write the output to another file"
        ) as refused:
            write_text(target, "overwritten", inputs=inputs)
        assert why in str(refused.value)
    assert (project / "plan.yaml").read_text() == "plan"
    assert (project / "matrix.sqlite").read_bytes() == b"store"
    assert (project / "returns" / "KEN.xlsx").read_bytes() == b"return"
    assert not (project / "matrix.sqlite-wal").exists()
    write_text("report.html", "fine", inputs=inputs)


def test_a_folder_being_read_is_refused_for_outputs(project):
    inputs = Inputs(returns=["returns"])
    (project / "alias").symlink_to(project / "returns")
    for folder in ("returns", "returns/feedback", "alias/sub", "./returns/"):
        with pytest.raises(
            MatrixError, match="is inside the returns folder returns: copies written there"
        ):
            inputs.refuse_folder(folder, "copies")
    inputs.refuse_folder("feedback", "copies")
