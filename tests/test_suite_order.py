"""The files that take longest are collected first (tests/conftest.py SLOW_FILES), so that pytest-xdist
starts them first; a file renamed or removed would silently lose its place."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from config import BASE_DIR
from tests.conftest import SLOW_FILES, pytest_collection_modifyitems

# The same whatever TEST_DATABASE_URL names (its databases, if any, are its own): CI's PostgreSQL pass leaves
# it out (.ci/run).
pytestmark = pytest.mark.any_database


def test_every_slow_file_named_exists():
    assert [path for path in SLOW_FILES if not (BASE_DIR / path).is_file()] == []


def test_the_slow_files_come_first_in_their_order_and_the_rest_keep_theirs():
    collected = ["tests/a.py::one", f"{SLOW_FILES[1]}::two", "tests/b.py::three", f"{SLOW_FILES[0]}::four",
                 "tests/a.py::five", f"{SLOW_FILES[1]}::six"]  # fmt: skip
    items = [SimpleNamespace(nodeid=nodeid) for nodeid in collected]
    pytest_collection_modifyitems(items)  # type: ignore[arg-type]
    assert [item.nodeid for item in items] == [f"{SLOW_FILES[0]}::four", f"{SLOW_FILES[1]}::two",
                                               f"{SLOW_FILES[1]}::six", "tests/a.py::one", "tests/b.py::three",
                                               "tests/a.py::five"]  # fmt: skip
