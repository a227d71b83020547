"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import create_engine, text

from config import BASE_DIR, TestConfig


def _flask(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "migration-test", "APP_ENV": "production"}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip


@pytest.fixture
def empty_database(tmp_path):
    url = TestConfig.SQLALCHEMY_DATABASE_URI
    if url.startswith("postgresql"):
        schema = f"mig_{uuid.uuid4().hex[:8]}"
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        yield f"{url}?options=-csearch_path%3D{schema}"
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()
    else:
        yield f"sqlite:///{tmp_path / 'migrated.sqlite'}"


def test_upgrade_head_matches_the_models(empty_database):
    upgraded = _flask("db", "upgrade", url=empty_database)
    assert upgraded.returncode == 0, upgraded.stderr
    check = _flask("db", "check", url=empty_database)
    assert check.returncode == 0, check.stdout + check.stderr
