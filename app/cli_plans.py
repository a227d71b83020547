"""Working a plan from the command line: `flask --app wsgi plans <step> PLAN_ID --as USERNAME`.

The same services, rules and audit trail as the API; the acting user is named with --as (the
command line is an operator's tool on the server) and recorded with the address "cli".
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db, deadline_periods, get_engine
from app.gate_setting import waits_for_notice
from approvals.actor import Actor
from approvals.errors import ApprovalError
from approvals.models import User
from approvals.process import ReviewDecision, WorkingGroupDecision
from approvals.queries.review import checklist, compose_reasons
from approvals.rules.congress import RESULT_LABELS, BallotRecord, VoteCounts
from approvals.services import plans as plan_service
from approvals.services.congress import record_congress_vote, stored_outcome
from approvals.services.congress_documents import add_congress_document
from approvals.services.evidence import add_evidence
from approvals.services.gate import plan_gate
from approvals.services.publication import publish_plan, start_execution
from approvals.services.return_reasons import SOURCE_LABELS, open_reasons, source_of
from approvals.services.review import review_plan
from approvals.services.roster import import_roster
from approvals.services.submission import submit_plan
from approvals.services.workflow import STATUS_LABELS, open_tasks
from approvals.services.working_group import record_working_group

plans = AppGroup("plans", help="方案办理（与接口相同的规则和审计）")
acting = click.option("--as", "username", required=True, help="办理人用户名")


def _actor(username: str) -> Actor:
    user = db.session.scalars(select(User).where(User.username == username)).first()
    if user is None or not user.active:
        raise click.ClickException(f"用户“{username}”不存在或已停用。")
    return Actor(user, "cli")


def _run(username: str, plan_id: int | None, step: Any) -> None:
    """Run one step as the user; commit on success, roll back and explain on refusal."""
    actor = _actor(username)
    try:
        plan = plan_service.get_plan(db.session, actor.user, plan_id, for_update=True) if plan_id else None
        message = step(actor, plan)
    except ApprovalError as exc:
        db.session.rollback()
        details = exc.details if isinstance(exc.details, list) else []
        raise click.ClickException(
            "\n".join([exc.message] + [f"  - {d.get('field')}（{d.get('rule')}）：{d.get('message')}" for d in details])
        ) from exc
    db.session.commit()  # a refusal that the trail records (incomplete, gate) is kept too
    ok = True
    if isinstance(message, tuple):
        message, ok = message
    click.echo(message)
    if plan is not None:
        _show(plan)
    if not ok:
        raise SystemExit(1)


def _show(plan: Any) -> None:
    tasks = "、".join(f"{t.title}（{t.lane}）" for t in open_tasks(db.session, plan)) or "无"
    click.echo(f"方案 {plan.id}《{plan.title}》：{STATUS_LABELS.get(plan.status, plan.status)}；待办：{tasks}")
    click.echo(f"  版本哈希 {plan.content_hash}；风险 {plan.risk_level or '未评估'}")
    for c in plan_gate(plan, waits_for_notice=waits_for_notice()):
        click.echo(f"  [{'✓' if c.met else '✗'}] {c.label}：{c.reason}")
    for r in open_reasons(db.session, plan):
        click.echo(f"  待答复的退回理由 编号{r.id}（{SOURCE_LABELS[source_of(r)]}第{r.number}条）：{r.text}")


@plans.command("create")
@acting
@click.option("--title", required=True)
@click.option("--content", "content_file", type=click.File(encoding="utf-8"), help="方案内容（JSON文件）")
def create(username: str, title: str, content_file: Any) -> None:
    content = json.load(content_file) if content_file else {}
    created: dict[str, Any] = {}

    def step(actor: Actor, _: Any) -> str:
        plan = plan_service.create_plan(db.session, get_engine(), actor=actor, title=title, content=content)
        created["plan"] = plan
        return f"已起草方案 {plan.id}"

    _run(username, None, step)
    _show(created["plan"])


@plans.command("update")
@acting
@click.argument("plan_id", type=int)
@click.option("--content", "content_file", type=click.File(encoding="utf-8"), required=True,
              help="要整体替换的方案部分（JSON文件）")  # fmt: skip
def update(username: str, plan_id: int, content_file: Any) -> None:
    sections = json.load(content_file)

    def step(actor: Actor, plan: Any) -> str:
        plan_service.update_plan(db.session, actor=actor, plan=plan, sections=sections)
        return "已修改方案"

    _run(username, plan_id, step)


@plans.command("import-roster")
@acting
@click.argument("plan_id", type=int)
@click.option("--file", "roster_file", type=click.Path(exists=True, dir_okay=False), required=True,
              help="职工名单（.xlsx 或 CSV）")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="只校验，不保存")
@click.option("--accept-valid", is_flag=True, help="有错误时仍保存无误的行")
def import_roster_file(username: str, plan_id: int, roster_file: str, dry_run: bool, accept_valid: bool) -> None:
    path = Path(roster_file)

    def step(actor: Actor, plan: Any) -> str | tuple[str, bool]:
        report = import_roster(db.session, actor=actor, plan=plan, data=path.read_bytes(), filename=path.name,
                               dry_run=dry_run, accept_valid=accept_valid)  # fmt: skip
        lines = [f"无误{report.accepted}行，有误{report.rejected}行；"
                 + (f"已保存：新增{report.added}、更新{report.updated}、移除{report.removed}" if report.committed
                    else "未保存")]  # fmt: skip
        lines += [f"  错误 第{i.row}行 {i.column}：{i.message}" for i in report.errors]
        lines += [f"  提示 {i.message}" for i in report.warnings]
        return "\n".join(lines), not report.errors or report.committed

    _run(username, plan_id, step)


@plans.command("attach-evidence")
@acting
@click.argument("plan_id", type=int)
@click.option("--source", "source_number", type=int, required=True, help="资金来源序号（从1开始）")
@click.option("--file", "evidence_file", type=click.Path(exists=True, dir_okay=False), required=True,
              help="证明材料（PDF、JPEG、PNG、.xlsx 或 .docx）")  # fmt: skip
def attach_evidence(username: str, plan_id: int, source_number: int, evidence_file: str) -> None:
    path = Path(evidence_file)

    def step(actor: Actor, plan: Any) -> str:
        evidence = add_evidence(db.session, actor=actor, plan=plan, source_number=source_number,
                                data=path.read_bytes(), filename=path.name)  # fmt: skip
        return f"已上传第{source_number}项资金来源的证明材料“{evidence.filename}”（SHA-256 {evidence.sha256}）"

    _run(username, plan_id, step)


@plans.command("show")
@acting
@click.argument("plan_id", type=int)
def show(username: str, plan_id: int) -> None:
    _run(username, plan_id, lambda actor, plan: "")


@plans.command("submit")
@acting
@click.argument("plan_id", type=int)
@click.option(
    "--answer",
    "answers",
    multiple=True,
    metavar="编号=答复",
    help="被退回后重新提交：对一条退回理由的答复（编号见 flask plans show），每条理由一个，可多次给出",
)
def submit(username: str, plan_id: int, answers: tuple[str, ...]) -> None:
    given: dict[int, str] = {}
    for item in answers:
        number, _, text = item.partition("=")
        if not number.strip().isdigit() or not text.strip():
            raise click.BadParameter(f"“{item}”应写作“理由编号=答复”", param_hint="--answer")
        given[int(number)] = text

    def step(actor: Actor, plan: Any) -> str:
        result = submit_plan(db.session, get_engine(), actor=actor, plan=plan,
                             periods=deadline_periods(), answers=given)  # fmt: skip
        if result.accepted:
            return "已提交" + ("（内容与职代会通过的版本相同，免于重新表决）" if result.vote_skipped else "")
        return "方案不完整，已退回起草：\n" + "\n".join(f"  - {f.message}" for f in result.missing), False

    _run(username, plan_id, step)


@plans.command("vote")
@acting
@click.argument("plan_id", type=int)
@click.option("--body-type", type=click.Choice(["workers_congress", "general_assembly"]), default="workers_congress")
@click.option("--held-on", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--total", type=int, required=True)
@click.option("--present", type=int, required=True)
@click.option("--yes", type=int, required=True)
@click.option("--no", type=int, required=True)
@click.option("--abstain", type=int, required=True)
@click.option("--plan-hash", required=True, help="表决所针对的方案版本哈希")
@click.option("--explanation", default="", help="职工代表少于30人或少于在册职工5%时的书面说明")
@click.option("--ballots-issued", type=int, required=True, help="发出表决票张数")
@click.option("--ballots-returned", type=int, required=True, help="收回表决票张数")
@click.option("--ballots-valid", type=int, required=True, help="有效票张数（等于赞成、反对、弃权之和）")
@click.option("--secret-ballot/--open-vote", default=True, help="是否无记名投票（非无记名投票的表决无效）")
@click.option("--chair", required=True, help="会议主持人")
@click.option("--scrutineer", "scrutineers", multiple=True, required=True, help="监票人（计票人），可多次给出")
@click.option("--minutes", type=click.File("rb"), help="会议记录（PDF）；已上传的可省略")
@click.option("--resolution", type=click.File("rb"), help="会议决议（PDF）；已上传的可省略")
@click.option("--attendance", type=click.File("rb"), help="签到表（PDF）；已上传的可省略")
def vote(username: str, plan_id: int, body_type: str, held_on: Any, total: int, present: int, yes: int,
         no: int, abstain: int, plan_hash: str, explanation: str, ballots_issued: int, ballots_returned: int,
         ballots_valid: int, secret_ballot: bool, chair: str, scrutineers: tuple[str, ...], **files: Any) -> None:  # fmt: skip
    def step(actor: Actor, plan: Any) -> str:
        counts = VoteCounts(body_type, total, present, yes, no, abstain)
        record = BallotRecord(ballots_issued, ballots_returned, ballots_valid, secret_ballot, chair,
                              tuple(name.strip() for name in scrutineers))  # fmt: skip
        for kind, given in files.items():
            if given is not None:
                add_congress_document(db.session, actor=actor, plan=plan, kind=kind, data=given.read(),
                                      filename=Path(given.name).name)  # fmt: skip
        result = record_congress_vote(db.session, get_engine(), actor=actor, plan=plan, counts=counts, record=record,
                                      held_on=date(held_on.year, held_on.month, held_on.day), plan_hash=plan_hash,
                                      explanation=explanation,
                                      congress_threshold=current_app.config["CONGRESS_HEADCOUNT_THRESHOLD"],
                                      periods=deadline_periods())  # fmt: skip
        return RESULT_LABELS[stored_outcome(result).reason]

    _run(username, plan_id, step)


@plans.command("review")
@acting
@click.argument("plan_id", type=int)
@click.option("--decision", type=click.Choice([d.value for d in ReviewDecision]), required=True)
@click.option("--reasons", default="", help="审核意见；退回时为其他理由")
@click.option(
    "--item", "items", multiple=True, help="退回时勾选的审核检查项（如 funds_secured），可多次给出，与网页审核表单相同"
)
def review(username: str, plan_id: int, decision: str, reasons: str, items: tuple[str, ...]) -> None:
    def step(actor: Actor, plan: Any) -> str:
        minimum = current_app.config["MIN_ROSTER_VERIFICATIONS"]
        composed = compose_reasons(decision, list(items), [reasons],
                                   checklist(db.session, plan, waits_for_notice=waits_for_notice(),
                                             min_verifications=minimum))  # fmt: skip
        review_plan(db.session, get_engine(), actor=actor, plan=plan, decision=decision,
                    reasons=composed, min_verifications=minimum)  # fmt: skip
        return "已审核同意" if decision == ReviewDecision.APPROVE else "已退回"

    _run(username, plan_id, step)


@plans.command("working-group")
@acting
@click.argument("plan_id", type=int)
@click.option("--members", "members_file", type=click.File(encoding="utf-8"), help="成员名单（JSON数组）")
@click.option("--contact-point", default="")
@click.option("--findings", default="")
@click.option("--decision", type=click.Choice([d.value for d in WorkingGroupDecision]), default=None)
def working_group(username: str, plan_id: int, members_file: Any, contact_point: str, findings: str,
                  decision: str | None) -> None:  # fmt: skip
    members = json.load(members_file) if members_file else None

    def step(actor: Actor, plan: Any) -> str:
        record_working_group(db.session, get_engine(), actor=actor, plan=plan, members=members,
                             contact_point=contact_point, findings=findings, decision=decision)  # fmt: skip
        return "已记录联合工作组事项"

    _run(username, plan_id, step)


@plans.command("publish")
@acting
@click.argument("plan_id", type=int)
def publish(username: str, plan_id: int) -> None:
    def step(actor: Actor, plan: Any) -> str:
        publish_plan(db.session, get_engine(), actor=actor, plan=plan,
                     notice_days=current_app.config["PUBLIC_NOTICE_DAYS"])  # fmt: skip
        return "方案已公布"

    _run(username, plan_id, step)


@plans.command("execute")
@acting
@click.argument("plan_id", type=int)
def execute(username: str, plan_id: int) -> None:
    def step(actor: Actor, plan: Any) -> str:
        unmet = start_execution(db.session, actor=actor, plan=plan, waits_for_notice=waits_for_notice())
        if unmet:
            return "不得实施：\n" + "\n".join(f"  - {c.label}：{c.reason}" for c in unmet), False
        return "已启动实施"

    _run(username, plan_id, step)
