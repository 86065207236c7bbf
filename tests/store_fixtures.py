"""Fixtures for store tests, loaded with `pytest_plugins = ["store_fixtures"]`: a fresh store, on
each backend (`store_url` in conftest)."""

from __future__ import annotations

import pytest

from matrix.store import Store


@pytest.fixture
def store(store_url):
    with Store.open(store_url) as opened:
        yield opened
