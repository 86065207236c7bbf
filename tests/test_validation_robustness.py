"""Damaged workbooks never raise: random edits to the bytes of a returned matrix, and to the XML
inside it, always end in a result with issues, never in an exception."""

from __future__ import annotations

import random
import zipfile

import pytest

from checkout import SUDAN
from matrix.validation import validate_file
from validation_helpers import fill_good, make_matrix


@pytest.fixture(scope="module")
def returned(tmp_path_factory):
    plan, path = make_matrix(tmp_path_factory.mktemp("sent"), SUDAN)
    fill_good(path, plan)
    return plan, path


def test_random_byte_damage(returned, tmp_path):
    plan, path = returned
    data, rng = path.read_bytes(), random.Random(7)
    for n in range(60):
        damaged = bytearray(data)
        truncated = n % 2 == 1
        if truncated:
            damaged = damaged[: rng.randrange(len(damaged))]
        else:  # a byte in a zip timestamp changes nothing, so only "no exception" is certain
            for _ in range(rng.randint(1, 5)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        target = tmp_path / f"d{n}.xlsx"
        target.write_bytes(bytes(damaged))
        result = validate_file(plan, target)
        assert not (truncated and result.accepted)


def test_random_xml_damage(returned, tmp_path):
    plan, path = returned
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = sorted(name for name in parts if name.endswith(".xml"))
    rng = random.Random(11)
    for n in range(80):
        name = rng.choice(xml)
        damaged = bytearray(parts[name])
        for _ in range(rng.randint(1, 4)):
            damaged[rng.randrange(len(damaged))] = rng.choice(b'<>"=/ r09AZ!&;')
        target = tmp_path / f"x{n}.xlsx"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for part, data in parts.items():
                out.writestr(part, bytes(damaged) if part == name else data)
        validate_file(plan, target)  # must not raise, whatever it finds


def test_a_bug_while_checking_is_reported_as_an_issue(returned, monkeypatch):
    import matrix.validation.workbook

    plan, path = returned

    def broken(*args, **kwargs):
        raise KeyError("surprise")

    monkeypatch.setattr(matrix.validation.workbook, "read_matrix_sheet", broken)
    result = validate_file(plan, path)
    assert [i.code for i in result.issues] == ["validation-failed"]
    assert "KeyError" in result.issues[0].message and not result.accepted
