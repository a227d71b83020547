"""Backups and restores: the SQLite backup command (online) and PostgreSQL's pg_dump / pg_restore as
docs/deployment.md gives them; each is restored and the data taken after the backup is gone.

The backup, restore and verify commands run as the operator runs them, each in a process of its own; the
installation before them and the users added between them are the same commands run in this process
(tests/flask_commands.py), and the users are read from the database directly."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from approvals.models import User
from config import database_url
from tests import flask_commands
from tests.services import fresh_postgres_database

# The same whatever TEST_DATABASE_URL names (its databases, if any, are its own): CI's PostgreSQL pass leaves
# it out (.ci/run).
pytestmark = pytest.mark.any_database

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ("APP_ENV", "SECRET_KEY", "AUDIT_KEY", "DATABASE_URL", "TEST_DATABASE_URL", "RATELIMIT_STORAGE_URI")


def production(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    return {**env, "APP_ENV": "production", "SECRET_KEY": "backup-test", "AUDIT_KEY": "backup-test-audit",
            "DATABASE_URL": url}  # fmt: skip


def flask(*args: str, env: dict[str, str], ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    if ok:
        assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def in_process(*args: str, env: dict[str, str]) -> None:
    """The command as flask(…) runs it, with env's settings, in this process."""
    settings = {"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": env["SECRET_KEY"],
                "AUDIT_KEY": env["AUDIT_KEY"]}  # fmt: skip
    result = flask_commands.flask(*args, settings=settings)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"


def add_user(name: str, env: dict[str, str]) -> None:
    in_process("users", "create", "--username", name, "--password", "Backup#Test2026", "--role", "admin", env=env)


def usernames(env: dict[str, str]) -> list[str]:
    engine = create_engine(database_url(env["DATABASE_URL"]))
    try:
        with engine.connect() as conn:
            return list(conn.scalars(select(User.username).order_by(User.username)))
    finally:
        engine.dispose()


def installed(env: dict[str, str]) -> None:
    in_process("db", "upgrade", env=env)
    in_process("regions", "load", env=env)
    add_user("before", env)


def test_sqlite_backup_while_a_writer_holds_a_transaction_then_restore(tmp_path):
    database = tmp_path / "placement.sqlite"
    env = production(f"sqlite:///{database}")
    installed(env)
    writer = sqlite3.connect(database)  # another process writing: the backup waits for no one
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE region SET name = 'uncommitted' WHERE code = '130000'")
    try:
        made = flask("backup", "create", "--out", str(tmp_path / "backup.sqlite"), env=env)
    finally:
        writer.rollback()
        writer.close()
    assert "已备份" in made.stdout
    with sqlite3.connect(tmp_path / "backup.sqlite") as copy:
        assert copy.execute("SELECT name FROM region WHERE code = '130000'").fetchone() == ("河北省",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    add_user("after", env)
    assert usernames(env) == ["after", "before"]
    again = flask("backup", "create", "--out", str(tmp_path / "backup.sqlite"), env=env, ok=False)
    assert again.returncode == 1
    assert "已存在，未覆盖" in again.stderr
    refused = flask("backup", "restore", str(tmp_path / "backup.sqlite"), env=env, ok=False)  # no --yes, no answer
    assert refused.returncode == 1
    assert usernames(env) == ["after", "before"]
    flask("backup", "restore", str(tmp_path / "backup.sqlite"), "--yes", env=env)
    assert usernames(env) == ["before"]
    assert flask("audit", "verify", env=env).stdout.startswith("OK")


def test_a_file_that_is_not_a_backup_is_refused_and_the_database_kept(tmp_path):
    database = tmp_path / "placement.sqlite"
    env = production(f"sqlite:///{database}")
    installed(env)
    bogus = tmp_path / "notes.sqlite"
    bogus.write_bytes(b"not a database at all" * 100)
    result = flask("backup", "restore", str(bogus), "--yes", env=env, ok=False)
    assert result.returncode == 1
    assert "不是本系统的 SQLite 备份" in result.stderr
    assert usernames(env) == ["before"]


def test_the_sqlite_commands_point_postgresql_to_pg_dump(tmp_path):
    env = production("postgresql://anzhi@127.0.0.1:1/anzhi")
    result = flask("backup", "create", "--out", str(tmp_path / "x.sqlite"), env=env, ok=False)
    assert result.returncode == 1
    assert "pg_dump" in result.stderr
    assert not (tmp_path / "x.sqlite").exists()


def test_postgresql_pg_dump_then_pg_restore_brings_the_data_back(tmp_path):
    pg_dump, pg_restore = shutil.which("pg_dump"), shutil.which("pg_restore")
    if not (pg_dump and pg_restore):
        if os.environ.get("CI") == "true":
            pytest.fail("pg_dump and pg_restore are needed")
        pytest.skip("pg_dump and pg_restore are not installed")
    with fresh_postgres_database("backup") as url:
        env = production(url)
        installed(env)
        dump = tmp_path / "placement.dump"
        # the commands of docs/deployment.md
        subprocess.run([pg_dump, "--format=custom", f"--file={dump}", url], check=True, timeout=120)
        add_user("after", env)
        assert usernames(env) == ["after", "before"]
        subprocess.run([pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction", f"--dbname={url}",
                        str(dump)], check=True, timeout=120)  # fmt: skip
        assert usernames(env) == ["before"]
        assert flask("audit", "verify", env=env).stdout.startswith("OK")
