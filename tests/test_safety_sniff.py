"""What a file is before anything parses it: only regular files are read, once and bounded, and
a zip is told apart from the other things offices send with a spreadsheet name."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from hostile_helpers import refusal_codes, small_workbook
from matrix.excel.safety import file_digest, inspect_file
from matrix.excel.safety import sniff as sniffing
from matrix.excel.safety.facts import Refused
from matrix.excel.safety.sniff import OLE2_MAGIC, non_workbook_issue, open_regular, read_file


def content_code(content: bytes) -> str | None:
    issue = non_workbook_issue(content, "f.xlsx")
    return issue.code if issue else None


@pytest.fixture
def xlsx(tmp_path) -> Path:
    return small_workbook(tmp_path / "book.xlsx")


# --- only regular files ------------------------------------------------------------------------


def test_a_regular_file_is_read_whole(xlsx):
    assert read_file(xlsx, str(xlsx)) == xlsx.read_bytes()


def test_a_symlink_to_a_workbook_is_read(xlsx, tmp_path):
    link = tmp_path / "link.xlsx"
    link.symlink_to(xlsx)
    assert refusal_codes(link) == []


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (lambda p: os.mkfifo(p), "a named pipe (FIFO)"),
        (lambda p: p.symlink_to("/dev/zero"), "a device"),
        (lambda p: p.symlink_to("/dev/null"), "a device"),
        (lambda p: p.mkdir(), "a folder"),
    ],
)
def test_anything_but_a_regular_file_is_refused_unopened(tmp_path, make, what):
    path = tmp_path / "SDN.xlsx"
    make(path)
    [issue] = inspect_file(path)
    assert issue.code == "not-a-file" and what in issue.message
    assert file_digest(path) is None


def test_open_regular_refuses_before_opening_a_fifo(tmp_path):
    """A FIFO opened for reading would block until a writer came: it is never opened."""
    path = tmp_path / "pipe.xlsx"
    os.mkfifo(path)
    with pytest.raises(Refused) as refused, open_regular(path, "pipe.xlsx"):
        pass
    assert refused.value.issue.code == "not-a-file"


def test_a_dangling_symlink_cannot_be_opened(tmp_path):
    (tmp_path / "gone.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    assert refusal_codes(tmp_path / "gone.xlsx") == ["file-unreadable"]


def test_missing_file_is_an_issue_not_an_exception(tmp_path):
    assert refusal_codes(tmp_path / "gone.xlsx") == ["file-unreadable"]


def test_zero_byte_file(tmp_path):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert refusal_codes(tmp_path / "empty.xlsx") == ["file-empty"]


def test_file_larger_than_a_matrix_can_be_is_refused_but_still_digested(xlsx, monkeypatch):
    monkeypatch.setattr(sniffing, "MAX_FILE_BYTES", 1000)
    assert refusal_codes(xlsx) == ["file-too-large"]
    assert file_digest(xlsx) == (hashlib.sha256(xlsx.read_bytes()).hexdigest(), xlsx.stat().st_size)


# --- what the bytes are ------------------------------------------------------------------------


def test_a_zip_is_left_to_the_archive_checks(xlsx):
    assert content_code(xlsx.read_bytes()) is None


def test_legacy_xls():
    assert (
        content_code(OLE2_MAGIC + b"\0" * 504 + "Workbook".encode("utf-16-le") + b"\0" * 1024)
        == "legacy-xls"
    )


def test_encrypted_workbook_is_told_apart_from_xls():
    content = (
        OLE2_MAGIC
        + b"\0" * 504
        + "EncryptedPackage".encode("utf-16-le")
        + "EncryptionInfo".encode("utf-16-le")
        + b"\0" * 1024
    )
    assert content_code(content) == "encrypted-workbook"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"Ref,Status,Actual value\nAP1-1,On track,12\n", "csv-not-workbook"),
        ("Ref\tStatus\r\nAP1-1\tOn track\r\n".encode("utf-16"), "csv-not-workbook"),
        (b"<html><body><table><tr><td>Ref</td></tr></table></body></html>", "html-not-workbook"),
        (b'<?xml version="1.0"?><Workbook/>', "not-a-workbook"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not-a-workbook"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not-a-workbook"),
    ],
)
def test_other_files_with_a_spreadsheet_name(content, code):
    assert content_code(content) == code
