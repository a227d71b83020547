"""The core's pure rules: no app, no database."""

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _clean_tables() -> None:
    """Shadows the suite's autouse table cleanup."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The core's rules are the same whatever TEST_DATABASE_URL names: CI's PostgreSQL pass leaves them out."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.any_database)
