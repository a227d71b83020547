"""Command-line administration: `flask --app wsgi <group> <command>`."""

from __future__ import annotations

import time
from decimal import Decimal

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import audit_key, db, get_engine
from approvals import audit, demo
from approvals.actor import SYSTEM
from approvals.errors import ApprovalError
from approvals.models import Enterprise, Role, User, WorkingGroup
from approvals.services import accounts
from approvals.services.timers import due_plan_ids, run_plan_timers

enterprises = AppGroup("enterprises", help="企业管理")
users = AppGroup("users", help="用户管理")
working_groups = AppGroup("working-groups", help="联合工作组管理")
audit_cli = AppGroup("audit", help="审计链")
timers = AppGroup("timers", help="定时器（审核期限）")
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
def create_user(username: str, password: str, role: str, enterprise_uscc: str | None,
                region: str | None, working_group_id: int | None, display_name: str) -> None:  # fmt: skip
    try:
        user = accounts.create_user(db.session, actor=SYSTEM, username=username,
                                    password=password, display_name=display_name)  # fmt: skip
        _grant(user, role, enterprise_uscc, region, working_group_id)
    except ApprovalError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"已创建用户 {username}（{role}）")


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


wages = AppGroup("wages", help="当地职工月平均工资和最低工资（计算经济补偿用）")


@wages.command("set")
@click.option("--city", required=True, help="设区市代码，如130200")
@click.option("--year", required=True, type=int, help="年度（经济补偿用上年度月平均工资）")
@click.option("--average", required=True)
@click.option("--minimum", required=True)
def set_wages(city: str, year: int, average: str, minimum: str) -> None:
    try:
        amounts = Decimal(str(average)), Decimal(str(minimum))
    except ArithmeticError as exc:
        raise click.ClickException("金额格式不正确。") from exc
    try:
        accounts.set_wage_parameters(db.session, actor=SYSTEM, city_code=city, year=year, average=amounts[0],
                                     minimum=amounts[1])  # fmt: skip
    except ApprovalError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"已设置{city} {year}年度：月平均工资{amounts[0]}元，最低工资{amounts[1]}元")


@audit_cli.command("verify")
def verify() -> None:
    """Recompute every chain; exit 1 at the first broken row."""
    report = audit.verify(db.session, audit_key())
    if report.ok:
        click.echo(f"OK：审计链完整，共校验{report.checked}条记录。")
        return
    first = report.first
    assert first is not None
    click.echo(f"BROKEN：共{len(report.breaks)}处异常；首个异常：链 {first.chain} 第{first.seq}条"
               f"（记录编号 {first.event_id}）：{first.problem}", err=True)  # fmt: skip
    raise SystemExit(1)


@audit_cli.command("checkpoint")
def checkpoint() -> None:
    """Sign the head of every chain."""
    cp = audit.make_checkpoint(db.session, audit_key())
    db.session.commit()
    click.echo(f"已生成签名检查点 {cp.id}")


@timers.command("run")
@click.option("--loop", "interval", type=float, default=0, help="每隔若干秒轮询一次（0为只运行一次）")
def run_timers(interval: float) -> None:
    """Fire due timers (review deadline escalation)."""
    while True:
        fired = 0
        for plan_id in due_plan_ids(db.session):
            ran = run_plan_timers(db.session, get_engine(), plan_id)
            db.session.commit()
            fired += 1
            click.echo(f"方案 {plan_id}：{', '.join(ran) or '无到期事件'}")
        click.echo(f"本次处理到期定时器的方案：{fired}个")
        if not interval:
            return
        time.sleep(interval)


@demo_cli.command("load")
def load_demo() -> None:
    """Load regions, enterprises, users and demo plans (idempotent)."""
    created = demo.load(db.session, get_engine(), current_app.config["REVIEW_DEADLINE"])
    db.session.commit()
    if not created:
        click.echo("演示数据已存在，未重复加载。")
        return
    click.echo(f"已加载演示数据：{created}；演示用户密码均为 {demo.DEMO_PASSWORD}（仅限开发环境）")


def register(app: Flask) -> None:
    from app.cli_documents import documents
    from app.cli_plans import plans

    for group in (enterprises, users, working_groups, wages, audit_cli, timers, demo_cli, plans, documents):
        app.cli.add_command(group)
