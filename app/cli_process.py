"""The process files' versions: `flask --app wsgi process migrate [--commit]` (workflows/README.md).

Without --commit it only lists each live instance on an earlier version: the plan, its version, the tasks it
waits at and whether it can move. With --commit it moves each one that can, one transaction and one audit
event per plan. Either way it exits with status 1 when some instance cannot move, naming the plan and the task.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db, get_engine
from approvals.errors import ApprovalError
from approvals.models import Plan
from approvals.services.process_migration import candidates, migrate_plan

process_cli = AppGroup("process", help="流程版本（迁移运行中的流程实例）")
SHORT = 12  # characters of a version hash shown


@process_cli.command("migrate")
@click.option("--commit", is_flag=True, help="实际迁移（默认只列出，不作修改）")
def migrate(commit: bool) -> None:
    """Move live instances to the current version of the process files."""
    engine = get_engine()
    found = candidates(db.session, engine)
    db.session.rollback()  # listing only: nothing is kept from the look
    target = engine.current_version[:SHORT]
    if not found:
        click.echo(f"没有需要迁移的流程实例：运行中的流程均为当前版本 {target}。")
        return
    refused = 0
    for c in found:
        head = (
            f"方案{c.plan_id}“{c.title}”：版本 {c.version[:SHORT]} → {target}，等待任务 {'、'.join(c.waiting) or '—'}"
        )
        if not c.can_move:
            refused += 1
            click.echo(f"{head}：不能迁移，任务“{'、'.join(c.gone)}”在新版本中不存在", err=True)
            continue
        if not commit:
            click.echo(f"{head}：可以迁移")
            continue
        try:
            migrate_plan(db.session, engine, db.session.get(Plan, c.plan_id))
        except ApprovalError as exc:
            db.session.rollback()
            refused += 1
            click.echo(f"{head}：未迁移：{exc.message}", err=True)
            continue
        db.session.commit()
        click.echo(f"{head}：已迁移")
    movable = len(found) - refused
    if commit:
        click.echo(f"已迁移 {movable} 个流程实例，{refused} 个不能迁移。")
    else:
        click.echo(f"可以迁移 {movable} 个，不能迁移 {refused} 个；加 --commit 实际迁移。")
    if refused:
        raise SystemExit(1)
