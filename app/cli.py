"""Command-line administration: `flask --app wsgi <group> <command>`."""

from __future__ import annotations

import json
import signal
import threading
from decimal import Decimal
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import audit_checkpoint_allowance, audit_key, db, get_engine
from approvals import audit, audit_checkpoints, demo
from approvals.actor import SYSTEM
from approvals.errors import ApprovalError
from approvals.models import LANGUAGES, Enterprise, Role, User, WorkingGroup
from approvals.services import accounts, passwords
from approvals.services import parameters as parameters_service
from approvals.services.regions import load_regions
from notifications import contacts, delivery

enterprises = AppGroup("enterprises", help="企业管理")
users = AppGroup("users", help="用户管理")
working_groups = AppGroup("working-groups", help="联合工作组管理")
audit_cli = AppGroup("audit", help="审计链")
mail = AppGroup("mail", help="邮件发件箱（投递状态、失败重试）")
demo_cli = AppGroup("demo", help="演示数据（仅限开发环境）")


def _fail(exc: ApprovalError) -> None:
    db.session.rollback()
    details = exc.details if isinstance(exc.details, list) else []
    lines = [exc.message] + [f"  - {d.get('field')}: {d.get('message')}" for d in details[1:]]
    raise click.ClickException("\n".join(lines))


@enterprises.command("create")
@click.option("--name", required=True, help="企业名称")
@click.option("--uscc", required=True, help="统一社会信用代码（18位）")
@click.option("--industry", required=True, help="steel|coal|cement|flat_glass|coke|thermal_power")
@click.option("--region", required=True, help="GB/T 2260 地区代码")
@click.option("--headcount", required=True, type=int, help="在册职工人数")
@click.option("--zombie", is_flag=True, help="拟出清的僵尸企业")
@click.option("--parent-group", default=None, help="上级集团公司")
def create_enterprise(name: str, uscc: str, industry: str, region: str, headcount: int,
                      zombie: bool, parent_group: str | None) -> None:  # fmt: skip
    try:
        e = accounts.create_enterprise(db.session, actor=SYSTEM, name=name, uscc=uscc,
                                       industry=industry, region_code=region, headcount=headcount,
                                       zombie=zombie, parent_group=parent_group)  # fmt: skip
    except ApprovalError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"已创建企业 {e.id}：{e.name}（{e.uscc}）")


@users.command("create")
@click.option("--username", required=True)
@click.option("--password", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--enterprise", "enterprise_uscc", default=None, help="所属企业的统一社会信用代码")
@click.option("--region", default=None, help="所辖地区代码（审核人、督查人员）")
@click.option("--working-group", "working_group_id", type=int, default=None, help="联合工作组编号")
@click.option("--display-name", default="")
@click.option("--email", default=None, help="接收通知邮件的邮箱")
@click.option("--language", type=click.Choice(list(LANGUAGES)), default=None, help="通知语言（默认zh_CN）")
def create_user(username: str, password: str, role: str, enterprise_uscc: str | None, region: str | None,
                working_group_id: int | None, display_name: str, email: str | None,
                language: str | None) -> None:  # fmt: skip
    try:
        user = accounts.create_user(db.session, actor=SYSTEM, username=username,
                                    password=password, display_name=display_name)  # fmt: skip
        _grant(user, role, enterprise_uscc, region, working_group_id)
        if email is not None or language is not None:
            contacts.set_contact(db.session, actor=SYSTEM, user=user, email=email, language=language)
    except ApprovalError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"已创建用户 {username}（{role}）")


@users.command("contact")
@click.option("--username", required=True)
@click.option("--email", default=None, help="接收通知邮件的邮箱（空字符串：不发邮件）")
@click.option("--language", type=click.Choice([*LANGUAGES, ""]), default=None, help="通知语言（空字符串：zh_CN）")
def set_contact(username: str, email: str | None, language: str | None) -> None:
    """Set where a user's notifications are mailed, and in which language."""
    user = db.session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise click.ClickException(f"用户“{username}”不存在。")
    try:
        contacts.set_contact(db.session, actor=SYSTEM, user=user, email=email, language=language)
    except ApprovalError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"{username}：邮箱 {user.email or '（无）'}，语言 {user.language or 'zh_CN'}")


@users.command("reset-password")
@click.option("--username", required=True)
@click.option("--password", prompt="新的临时密码", hide_input=True, confirmation_prompt="再次输入",
              help="新的临时密码（不给出时提示输入，不回显）")  # fmt: skip
def reset_password(username: str, password: str) -> None:
    """Set a temporary password the user must change at the next login; their sessions and tokens end."""
    user = db.session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise click.ClickException(f"用户“{username}”不存在。")
    try:
        passwords.reset_password(db.session, actor=SYSTEM, user=user, new=password)
    except ApprovalError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"已重置 {username} 的密码；其下次登录后须先修改密码，原有登录会话和访问令牌已失效。")


@users.command("grant")
@click.option("--username", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--enterprise", "enterprise_uscc", default=None)
@click.option("--region", default=None)
@click.option("--working-group", "working_group_id", type=int, default=None)
def grant(username: str, role: str, enterprise_uscc: str | None, region: str | None,
          working_group_id: int | None) -> None:  # fmt: skip
    user = db.session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise click.ClickException(f"用户“{username}”不存在。")
    try:
        _grant(user, role, enterprise_uscc, region, working_group_id)
    except ApprovalError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"已授予 {username} 角色 {role}")


def _grant(user: User, role: str, enterprise_uscc: str | None, region: str | None,
           working_group_id: int | None) -> None:  # fmt: skip
    enterprise = None
    if enterprise_uscc:
        enterprise = db.session.scalars(select(Enterprise).where(Enterprise.uscc == enterprise_uscc)).first()
        if enterprise is None:
            raise click.ClickException(f"统一社会信用代码为“{enterprise_uscc}”的企业不存在。")
    group = db.session.get(WorkingGroup, working_group_id) if working_group_id else None
    if working_group_id and group is None:
        raise click.ClickException(f"联合工作组 {working_group_id} 不存在。")
    accounts.grant_role(db.session, actor=SYSTEM, user=user, role=Role(role), enterprise=enterprise,
                        region_code=region, working_group=group)  # fmt: skip


@working_groups.command("create")
@click.option("--name", required=True)
@click.option("--region", required=True, help="覆盖地区代码")
def create_working_group(name: str, region: str) -> None:
    group = accounts.create_working_group(db.session, actor=SYSTEM, name=name, region_code=region)
    db.session.commit()
    click.echo(f"已创建联合工作组 {group.id}：{group.name}")


regions = AppGroup("regions", help="地区（GB/T 2260）")


@regions.command("load")
def load_shipped_regions() -> None:
    """Register Hebei's GB/T 2260 regions shipped with the system (idempotent, each in the audit trail)."""
    loaded = load_regions(db.session, actor=SYSTEM)
    db.session.commit()
    for code, registered, shipped in loaded.named_otherwise:
        click.echo(
            f"保留已登记的地区 {code}“{registered}”（随附数据为“{shipped}”，如需更名请在地区管理中处理）", err=True
        )
    click.echo(f"已登记{len(loaded.created)}个地区；{loaded.present}个此前已登记。")


wages = AppGroup("wages", help="当地职工月平均工资（计算经济补偿用）")


@wages.command("set")
@click.option("--city", required=True, help="设区市代码，如130200")
@click.option("--year", required=True, type=int, help="年度（经济补偿用上年度月平均工资）")
@click.option("--average", required=True)
def set_wages(city: str, year: int, average: str) -> None:
    try:
        amount = Decimal(str(average))
    except ArithmeticError as exc:
        raise click.ClickException("金额格式不正确。") from exc
    try:
        accounts.set_wage_parameters(db.session, actor=SYSTEM, city_code=city, year=year, average=amount)
    except ApprovalError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"已设置{city} {year}年度：月平均工资{amount}元")


parameters_cli = AppGroup("parameters", help="法定参数（内退年限、缴费比例、最低工资标准、特殊工种退休年龄等）")


@parameters_cli.command("seed")
def seed_parameters() -> None:
    """Enter the Hebei values shipped with the system, each with its source (idempotent, audited)."""
    added = parameters_service.seed_parameters(db.session, actor=SYSTEM)
    db.session.commit()
    click.echo(f"已载入{added}项随附参数值；各县（市、区）最低工资类别请在“系统管理—参数”中设定。")


@audit_cli.command("verify")
@click.option("--against", "against", type=click.Path(exists=True, dir_okay=False), default=None,
              help="导出的检查点副本（export-checkpoints）：核对数据库仍含其中每个检查点，各链均延续其记载")  # fmt: skip
def verify(against: str | None) -> None:
    """Recompute every chain and check it against its head and the latest checkpoint; exit 1 at
    any finding."""
    references = ()
    found: list[audit.Break] = []
    if against:
        try:
            data = json.loads(Path(against).read_text(encoding="utf-8"))
            exported = audit_checkpoints.load_export(data, audit_key())
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"{against} 不是JSON文件：第{exc.lineno}行第{exc.colno}列：{exc.msg}") from exc
        except ApprovalError as exc:
            raise click.ClickException(f"{against}：{exc.message}") from exc
        found, ref = audit_checkpoints.compare_with_export(db.session, exported)
        references = (ref,) if ref else ()
    report = audit.verify(db.session, audit_key(), max_age=audit_checkpoint_allowance(), references=references)
    breaks = found + report.breaks
    if not breaks:
        click.echo(f"OK：审计链完整，共校验{report.checked}条记录。")
        return
    first = report.first or breaks[0]
    click.echo(f"BROKEN：共{len(breaks)}处异常；首个异常：链 {first.chain} 第{first.seq}条"
               f"（记录编号 {first.event_id}）：{first.problem}", err=True)  # fmt: skip
    for other in breaks:
        if other is not first:
            click.echo(f"  链 {other.chain} 第{other.seq}条（记录编号 {other.event_id}）：{other.problem}", err=True)
    raise SystemExit(1)


@audit_cli.command("checkpoint")
def checkpoint() -> None:
    """Sign the head of every chain (refused, exit 1, when the chains no longer extend the last one)."""
    cp, found = audit_checkpoints.make_checkpoint(db.session, audit_key())
    if cp is None:
        db.session.rollback()
        for problem in found:
            click.echo(f"链 {problem.chain} 第{problem.seq}条：{problem.problem}", err=True)
        raise click.ClickException("审计链与上一个签名检查点不符，拒绝签名；请先用 flask audit verify 查明。")
    db.session.commit()
    click.echo(f"已生成第{cp.seq}号签名检查点")


@audit_cli.command("export-checkpoints")
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help="写入的JSON文件")
def export_checkpoints(out: str) -> None:
    """Write every signed checkpoint to a JSON file (signed as a whole) to keep outside the database."""
    data = audit_checkpoints.export(db.session, audit_key())
    Path(out).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    click.echo(f"已导出{len(data['checkpoints'])}个签名检查点到 {out}")


@click.command("worker")
@click.option("--once", is_flag=True, help="处理一轮到期事项后退出（例如由cron调用）")
@click.option("--interval", type=float, default=None, help="没有到期事项时的轮询间隔（秒），默认WORKER_INTERVAL")
def worker(once: bool, interval: float | None) -> None:
    """Fire due timers, send deadline reminders, deliver the email outbox and render the documents, continuously.

    All state is in the database; on PostgreSQL several workers may run at once (rows are
    claimed with SKIP LOCKED); on SQLite run one. SIGTERM or Ctrl-C stops after the item in hand.
    """
    from app.worker import run

    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    if not once:
        mail_state = f"邮件经 {current_app.config['MAIL_HOST']}" if current_app.config["MAIL_HOST"] else "邮件未启用"
        click.echo(f"worker 已启动（{db.engine.dialect.name}；{mail_state}）", err=True)
    try:
        run(current_app._get_current_object(), once=once, stop=stop, report=click.echo,  # type: ignore[attr-defined]
            interval=current_app.config["WORKER_INTERVAL"] if interval is None else interval)  # fmt: skip
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@mail.command("list")
@click.option("--status", type=click.Choice(delivery.STATUSES), default=None, help="只列出该状态")
@click.option("--limit", type=int, default=50, show_default=True)
def mail_list(status: str | None, limit: int) -> None:
    """The newest outbox rows: status, attempts, next attempt and last error."""
    rows = delivery.list_outbox(db.session, status=status, limit=limit)
    for row in rows:
        n = row.notification
        click.echo(f"{row.id}\t{row.status}\t尝试{row.attempts}次\t{row.to_address}\t{n.kind}\t方案{n.plan_id}\t"
                   f"下次 {row.next_attempt_at:%Y-%m-%d %H:%M:%S}\t{row.last_error or ''}")  # fmt: skip
    click.echo(f"共{len(rows)}条")


@mail.command("retry")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all-failed", is_flag=True, help="重发全部失败的邮件")
def mail_retry(ids: tuple[int, ...], all_failed: bool) -> None:
    """Queue failed emails again (by id, or every failed one), with a fresh round of attempts."""
    if not ids and not all_failed:
        raise click.UsageError("请指定邮件编号，或使用 --all-failed。")
    count = delivery.retry(db.session, None if all_failed else list(ids))
    db.session.commit()
    click.echo(f"已重新排队{count}封邮件，由 worker 发送。")


@demo_cli.command("load")
def load_demo() -> None:
    """Load regions, enterprises, users and demo plans (idempotent); development and test only."""
    if not current_app.config.get("DEMO_DATA_ALLOWED"):
        raise click.ClickException(
            f"拒绝加载演示数据：当前为{current_app.config['ENV_NAME']}环境（APP_ENV），演示用户的密码是公开的。"
            "仅在开发环境（APP_ENV=development）中加载。"
        )
    created = demo.load(db.session, get_engine())
    db.session.commit()
    if not created:
        click.echo("演示数据已存在，未重复加载。")
        return
    click.echo(f"已加载演示数据：{created}；演示用户密码均为 {demo.DEMO_PASSWORD}（仅限开发环境）")


def register(app: Flask) -> None:
    from app.cli_backup import backup
    from app.cli_documents import documents
    from app.cli_plans import plans
    from app.cli_process import process_cli

    groups = (
        enterprises,
        users,
        working_groups,
        regions,
        wages,
        parameters_cli,
        audit_cli,
        mail,
        demo_cli,
        plans,
        documents,
        backup,
        process_cli,
    )
    for group in groups:
        app.cli.add_command(group)
    app.cli.add_command(worker)
