"""Backups of a small installation's SQLite database: `flask --app wsgi backup create|restore`.

`create` copies the database while the servers and the worker keep running (sqlite3's online backup
API reads one consistent snapshot); `restore` writes a checked backup back over the database, with
the servers and the worker stopped. PostgreSQL has pg_dump and pg_restore (docs/deployment.md).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import click
from flask.cli import AppGroup

from app.extensions import db

backup = AppGroup("backup", help="备份与恢复（SQLite 数据库文件；PostgreSQL 使用 pg_dump / pg_restore）")


def _database_file() -> Path:
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise click.ClickException(
            f"本命令只用于 SQLite 数据库文件，当前数据库为 {url.get_backend_name()}："
            "PostgreSQL 请使用 pg_dump / pg_restore（见 docs/deployment.md）。"
        )
    return Path(url.database)


def _check_backup(path: Path) -> str:
    """The schema revision of a sound backup file; refuses a file that is not one."""
    if not path.is_file():
        raise click.ClickException(f"备份文件“{path}”不存在。")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"“{path}”不是本系统的 SQLite 备份：{exc}") from exc
    if integrity != "ok":
        raise click.ClickException(f"备份文件“{path}”已损坏：{integrity}")
    if revision is None:
        raise click.ClickException(f"“{path}”没有数据库版本记录（alembic_version），不是本系统的备份。")
    return str(revision[0])


def _copy(source: Path, target: Path, *, source_mode: str = "ro") -> None:
    with sqlite3.connect(f"file:{source}?mode={source_mode}", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)  # one step: the whole database as of one read transaction


@backup.command("create")
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="备份文件（不得已存在）"
)
def create(out: Path) -> None:
    """Copy the SQLite database to OUT while the system keeps running; the copy is checked."""
    source = _database_file()
    if out.exists():
        raise click.ClickException(f"“{out}”已存在，未覆盖：请指定新的备份文件名。")
    partial = out.with_name(f".{out.name}.partial")
    partial.unlink(missing_ok=True)
    _copy(source, partial)
    with sqlite3.connect(partial) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
    revision = _check_backup(partial)
    os.replace(partial, out)
    click.echo(f"已备份 {source} → {out}（{out.stat().st_size} 字节，数据库版本 {revision}）")


@backup.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="确认覆盖当前数据库（不再询问）")
def restore(file: Path, yes: bool) -> None:
    """Replace the SQLite database with the backup FILE; stop the servers and the worker first."""
    target = _database_file()
    revision = _check_backup(file)
    if not yes:
        click.confirm(
            f"用 {file}（数据库版本 {revision}）覆盖 {target} 的全部数据？请先停止服务和 worker。", abort=True
        )
    db.session.remove()
    db.engine.dispose()
    _copy(file, target)
    click.echo(
        f"已从 {file} 恢复 {target}（数据库版本 {revision}）；请运行 flask db upgrade 与 flask audit verify 后再启动服务。"
    )
