"""The execution rules are pure: no app, no database (the service tests under tests/web use both)."""

import pytest


@pytest.fixture(autouse=True)
def _clean_tables() -> None:
    """Shadows the suite's autouse table cleanup."""
