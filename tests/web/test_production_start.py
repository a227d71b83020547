"""Starting the application: production unless APP_ENV says otherwise, refused in one line without
its secrets (gunicorn and `flask` alike), demo data refused, every database URL normalised."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from config import DEVELOPMENT_SECRET_KEY, ConfigError, ProductionConfig, config_from_env
from tests import flask_commands
from tests.browser.live import free_port

# The same whatever TEST_DATABASE_URL names (its databases, if any, are its own): CI's PostgreSQL pass leaves
# it out (.ci/run).
pytestmark = pytest.mark.any_database

FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]
ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ("APP_ENV", "SECRET_KEY", "AUDIT_KEY", "DATABASE_URL", "TEST_DATABASE_URL", "RATELIMIT_STORAGE_URI")
KEYS = {"SECRET_KEY": "s3cret-for-this-test-only", "AUDIT_KEY": "audit-key-for-this-test-only"}


def environment(db_file: Path, **settings: str) -> dict[str, str]:
    """The machine's environment without the application's settings, plus these."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    return {**env, "DATABASE_URL": f"sqlite:///{db_file}", **settings}


def flask(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*FLASK, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_without_app_env_the_configuration_is_production(monkeypatch):
    monkeypatch.delenv("APP_ENV", raising=False)
    assert config_from_env() is ProductionConfig
    assert not getattr(ProductionConfig, "SHOW_DEMO_ACCOUNTS", False)  # the landing page lists no demo account
    monkeypatch.setenv("APP_ENV", "prod")
    with pytest.raises(ConfigError, match="APP_ENV='prod'"):
        config_from_env()


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({}, "SECRET_KEY and AUDIT_KEY"),
        ({"SECRET_KEY": "s3cret-for-this-test-only"}, "AUDIT_KEY"),
        ({"APP_ENV": "production", "AUDIT_KEY": "a"}, "SECRET_KEY"),
        ({"SECRET_KEY": DEVELOPMENT_SECRET_KEY, "AUDIT_KEY": "a"}, "SECRET_KEY holds the public development secret"),
    ],
)
def test_flask_refuses_to_start_without_the_secrets_in_one_line(tmp_path, settings, named):
    result = flask("audit", "verify", env=environment(tmp_path / "app.sqlite", **settings))
    assert result.returncode == 3
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: Refusing to start in production")
    assert named in lines[0]
    assert not (tmp_path / "app.sqlite").exists()


def test_gunicorn_refuses_to_start_without_the_secret_and_stops(tmp_path):
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    assert gunicorn
    command = [gunicorn, "--bind", f"127.0.0.1:{free_port()}", "--workers", "1", "wsgi:app"]
    result = subprocess.run(command, cwd=ROOT, env=environment(tmp_path / "app.sqlite"), capture_output=True,
                            text=True, timeout=60, check=False)  # fmt: skip
    # gunicorn's master stops ("worker failed to boot") instead of restarting them
    assert result.returncode == 3, result.stderr
    ours = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert ours, result.stderr
    assert all("Refusing to start in production: set SECRET_KEY and AUDIT_KEY" in line for line in ours)
    assert "Traceback" not in result.stderr


def test_development_starts_without_secrets(tmp_path):
    result = flask("db", "upgrade", env=environment(tmp_path / "app.sqlite", APP_ENV="development"))
    assert result.returncode == 0, result.stderr


def test_demo_data_is_refused_in_production(tmp_path):
    db_file = tmp_path / "app.sqlite"
    env = environment(db_file, APP_ENV="production", **KEYS)
    # The schema, in this process (tests/flask_commands.py); the refusal is the operator's own command.
    upgraded = flask_commands.flask("db", "upgrade", settings={"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], **KEYS})
    assert upgraded.returncode == 0, upgraded.stderr
    result = flask("demo", "load", env=env)
    assert result.returncode == 1
    assert "拒绝加载演示数据" in result.stderr
    assert "APP_ENV=development" in result.stderr
    with sqlite3.connect(db_file) as conn:
        assert conn.execute("SELECT count(*) FROM user_account").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM region").fetchone() == (0,)


@pytest.mark.parametrize("url", ["postgresql://anzhi@127.0.0.1:5432/anzhi", "postgres://anzhi@127.0.0.1:5432/anzhi"])
def test_every_database_url_goes_through_the_same_normalisation(tmp_path, url):
    """The README's postgresql://… reaches psycopg 3 whether it comes from DATABASE_URL or a mapping."""
    code = (
        "from wsgi import app; from app import create_app; "
        "print(app.config['SQLALCHEMY_DATABASE_URI']); "
        f"print(create_app({{'SQLALCHEMY_DATABASE_URI': {url!r}}}).config['SQLALCHEMY_DATABASE_URI'])"
    )
    env = {**environment(tmp_path / "unused.sqlite", APP_ENV="production", **KEYS), "DATABASE_URL": url}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["postgresql+psycopg://anzhi@127.0.0.1:5432/anzhi"] * 2


def test_make_run_is_the_development_command():
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    plan = subprocess.run([make, "-n", "run"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    loading = [line for line in plan.stdout.splitlines() if "demo load" in line or " run --host" in line]
    assert len(loading) == 2, plan.stdout
    assert all(line.startswith("APP_ENV=development ") for line in loading)


def test_the_served_application_is_frozen_out_of_the_collectors_reach(tmp_path):
    """gunicorn's wsgi:app: what the started application holds is frozen (gc.freeze), so that a page building
    many objects does not trace it all again on each full collection (bench/execution.py: the ledger of a
    5,000-worker plan)."""
    probe = "import gc, wsgi; print(gc.get_freeze_count() > 0, wsgi.app.name)"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=environment(tmp_path / "app.sqlite", **KEYS),
                            capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "app"]
