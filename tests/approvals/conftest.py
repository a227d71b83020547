"""The core's pure rules: no app, no database."""

import pytest


@pytest.fixture(autouse=True)
def _clean_tables() -> None:
    """Shadows the suite's autouse table cleanup."""
