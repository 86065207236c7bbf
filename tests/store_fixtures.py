"""Fixtures for store tests, loaded with `pytest_plugins = ["store_fixtures"]`: the example plans
and a fresh store, on each backend (`store_url` in conftest)."""

from __future__ import annotations

import pytest

from conftest import DAR, SUDAN
from matrix.models.plan import Plan
from matrix.plan import load_plan
from matrix.store import Store


@pytest.fixture(scope="session")
def sudan() -> Plan:
    return load_plan(SUDAN)


@pytest.fixture(scope="session")
def dar() -> Plan:
    return load_plan(DAR)


@pytest.fixture
def store(store_url):
    with Store.open(store_url) as opened:
        yield opened
