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


def test_a_step_only_a_person_may_take_refuses_the_system_even_without_asserts():
    """Services take the acting user from `actor.person`, which refuses the system or the public with an error:
    an `assert actor.user is not None` would vanish under `python -O` and the step would go on with no one."""
    asserting = [
        f"{path.relative_to(BASE_DIR).as_posix()}:{n}"
        for folder in ("approvals", "app", "notifications")
        for path in (BASE_DIR / folder).rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.strip().startswith("assert") and "actor.user" in line
    ]
    assert not asserting, asserting
    code = (
        "from approvals.actor import SYSTEM, public\n"
        "from approvals.errors import NotAllowed\n"
        "for actor in (SYSTEM, public('203.0.113.9')):\n"
        "    try:\n"
        "        actor.person\n"
        "    except NotAllowed as refused:\n"
        "        assert refused.code == 'person_required', refused.code\n"
        "    else:\n"
        "        raise SystemExit('no refusal')\n"
    )
    result = subprocess.run([sys.executable, "-O", "-c", code], cwd=BASE_DIR, capture_output=True, text=True,
                            check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr + result.stdout
