"""The README's operator section, run exactly as written, in order, against an empty database in
production: the commands are read from the README, so the README cannot drift from this test."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from werkzeug.security import check_password_hash

from approvals.models import AuditEvent, Enterprise, ParameterValue, Region, RoleGrant, User, WageParameter
from approvals.rules.parameters import SEED
from config import database_url
from tests.services import fresh_postgres_database

# The same whatever TEST_DATABASE_URL names (its databases, if any, are its own): CI's PostgreSQL pass leaves
# it out (.ci/run).
pytestmark = pytest.mark.any_database

ROOT = Path(__file__).resolve().parents[2]
BASH = shutil.which("bash") or "/bin/bash"
SETTINGS = ("APP_ENV", "SECRET_KEY", "AUDIT_KEY", "DATABASE_URL", "TEST_DATABASE_URL", "RATELIMIT_STORAGE_URI")
PASSWORDS = {"ADMIN_PASSWORD": "Admin#First2026", "CLERK_PASSWORD": "Clerk#First2026",
             "REVIEWER_PASSWORD": "Review#First2026"}  # fmt: skip


def operator_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- operator-setup -->\n```bash\n(.*?)```\n<!-- /operator-setup -->", readme, re.S)
    assert block, "README.md has no operator-setup block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def run_readme(url: str) -> list[subprocess.CompletedProcess[str]]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env.update(PASSWORDS, APP_ENV="production", SECRET_KEY="operator-test-secret", AUDIT_KEY="operator-test-audit",
               DATABASE_URL=url, PATH=f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}")  # fmt: skip
    results = []
    for command in operator_commands():
        result = subprocess.run([BASH, "-euo", "pipefail", "-c", command], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=300, check=False)  # fmt: skip
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        results.append(result)
    return results


def check_installation(url: str) -> None:
    engine = create_engine(database_url(url))
    try:
        with engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(Region)) == 179
            admin = conn.execute(select(User).where(User.username == "sysadmin")).one()
            assert check_password_hash(admin.password_hash, PASSWORDS["ADMIN_PASSWORD"])
            roles = conn.execute(select(RoleGrant.role).where(RoleGrant.user_id == admin.id)).scalars().all()
            assert roles == ["admin"]
            assert (
                conn.scalar(select(Enterprise.region_code).where(Enterprise.uscc == "91130283000100001X")) == "130283"
            )
            assert conn.scalar(select(func.count()).select_from(WageParameter)) == 1
            assert conn.scalar(select(func.count()).select_from(ParameterValue)) == len(SEED)
            assert conn.scalar(select(func.count()).where(AuditEvent.action == "region.created")) == 179
    finally:
        engine.dispose()


def test_the_commands_are_the_ones_the_operator_needs():
    commands = [" ".join(line.split()[3:5]) for line in operator_commands()]
    assert commands[:4] == ["db upgrade", "regions load", "wages set", "users create"]
    assert "--role admin" in operator_commands()[3]


def test_readme_operator_section_on_an_empty_sqlite_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'placement.sqlite'}"
    results = run_readme(url)
    assert results[-1].stdout.startswith("OK")
    check_installation(url)


def test_readme_operator_section_on_an_empty_postgresql_database():
    with fresh_postgres_database("operator") as url:
        assert url.startswith("postgresql://")  # as the README writes it
        results = run_readme(url)
        assert results[-1].stdout.startswith("OK")
        check_installation(url)
