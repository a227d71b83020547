"""Documents from the command line: `flask --app wsgi documents <command>`.

Writing a plan's documents or case file is reading the plan: the user named with --as must be
allowed to see it, as over the API.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app.cli_plans import _actor
from app.documents import store
from app.documents.case_file import verify_case_file
from app.documents.context import KINDS, document, documents_of
from app.documents.fonts import FontMissing, build_fonts
from app.documents.render import STATIC_DIR, font_subsetter
from app.downloads import case_file_bytes
from app.extensions import audit_key, db
from approvals.errors import ApprovalError
from approvals.services.plans import get_plan

documents = AppGroup("documents", help="文书（PDF）和卷宗")
FONT_DIR = STATIC_DIR / "documents" / "fonts"


@documents.command("write")
@click.argument("plan_id", type=int)
@click.option("--as", "username", required=True, help="以哪个用户的权限读取方案")
@click.option("--kind", type=click.Choice(list(KINDS)), default=None, help="只写这一种文书（默认：已有的全部文书）")
@click.option("-n", "number", type=int, default=None, help="第几次表决、审核或工作组记录（默认最近一次）")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="写到哪个目录（默认当前目录）")  # fmt: skip
def write(plan_id: int, username: str, kind: str | None, number: int | None, directory: Path) -> None:
    """Write the plan's documents as PDF files."""
    actor = _actor(username)
    try:
        plan = get_plan(db.session, actor.user, plan_id)
        found = [document(db.session, plan, kind, number)] if kind else documents_of(db.session, plan)
    except ApprovalError as exc:
        raise click.ClickException(exc.message) from exc
    if not found:
        raise click.ClickException("该方案还没有任何文书（尚未表决、审核或公布）。")
    directory.mkdir(parents=True, exist_ok=True)
    for item in found:
        path = directory / item.filename
        path.write_bytes(store.pdf(db.session, item).data)
        db.session.commit()
        click.echo(f"已写出 {path}：{item.title}")


@documents.command("case-file")
@click.argument("plan_id", type=int)
@click.option("--as", "username", required=True, help="以哪个用户的权限读取方案")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="卷宗文件名（默认 plan-<编号>-case-file.zip）")  # fmt: skip
def case_file(plan_id: int, username: str, out: Path | None) -> None:
    """Write the plan's case file (zip with a SHA-256 manifest)."""
    actor = _actor(username)
    try:
        plan = get_plan(db.session, actor.user, plan_id)
        data = case_file_bytes(actor.user, plan)
    except ApprovalError as exc:
        raise click.ClickException(exc.message) from exc
    out = out or Path(f"plan-{plan.id}-case-file.zip")
    out.write_bytes(data)
    click.echo(f"已写出卷宗 {out}")


@documents.command("verify-case")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def verify_case(file: Path) -> None:
    """Check a case file: every file against its SHA-256, the audit excerpt (and against this system's
    trail), the signature. Exit 1 on any problem."""
    report = verify_case_file(file.read_bytes(), audit_key(), db.session)
    if report.ok:
        click.echo(
            f"OK：卷宗完整，共{report.files}个文件，哈希全部相符，审计链摘录连续且与本系统记录一致，系统签名有效。"
        )
        return
    click.echo(f"有问题：共{len(report.problems)}处", err=True)
    for problem in report.problems:
        click.echo(f"  - {problem}", err=True)
    raise SystemExit(1)


@documents.command("fonts")
@click.option("--force", is_flag=True, help="即使已是最新也重新生成")
def fonts(force: bool) -> None:
    """Cut the Noto CJK faces down to GB 2312 once (static/documents/fonts/): faster, smaller PDFs."""
    try:
        report = build_fonts(FONT_DIR, force=force)
    except FontMissing as exc:
        raise click.ClickException(str(exc)) from exc
    for name, facts in report.items():
        state = "已生成" if facts["built"] else "已是最新"
        click.echo(
            f"{state} {FONT_DIR / name}：{facts['glyphs']}个字形，{int(facts['bytes']) // 1024} KB（{facts['source']}）"
        )
    if font_subsetter() != "harfbuzz":
        click.echo("注意：未找到 HarfBuzz-subset（libharfbuzz-subset0），每份文书生成都会慢很多。", err=True)
