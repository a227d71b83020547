"""Dependency direction: the core and notifications never load Flask."""

from __future__ import annotations

import subprocess
import sys

import pytest

from config import BASE_DIR

# The same whatever TEST_DATABASE_URL names (its databases, if any, are its own): CI's PostgreSQL pass leaves
# it out (.ci/run).
pytestmark = pytest.mark.any_database


def test_core_imports_no_flask():
    code = (
        "import sys, approvals, approvals.engine, approvals.services.plans, approvals.services.review, "
        "approvals.services.working_group, approvals.services.publication, approvals.audit, approvals.demo, "
        "notifications\n"
        "loaded = [m for m in sys.modules if m == 'flask' or m.startswith(('flask.', 'flask_'))]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_only_the_engine_adapter_imports_spiffworkflow():
    importers = [
        path.relative_to(BASE_DIR).as_posix()
        for folder in ("approvals", "app", "notifications")
        for path in (BASE_DIR / folder).rglob("*.py")
        if "SpiffWorkflow" in path.read_text(encoding="utf-8").replace("SpiffWorkflow 3", "")
        and "import" in path.read_text(encoding="utf-8")
        and any(
            line.startswith(("from SpiffWorkflow", "import SpiffWorkflow"))
            for line in path.read_text(encoding="utf-8").splitlines()
        )  # fmt: skip
    ]
    assert importers == ["approvals/engine.py"]
