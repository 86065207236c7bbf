"""Fixtures for store tests, loaded with `pytest_plugins = ["store_fixtures"]`: a fresh store in the
test's folder."""

from __future__ import annotations

import pytest

from matrix.store import Store


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "matrix.sqlite") as opened:
        yield opened
