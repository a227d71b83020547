"""The tamper-evident trail.

Design (docs/audit.md): one hash chain per plan, and the "system" chain for events outside any
plan; each chain's head (seq, hash) is a version-locked row of its own (AuditHead), so transitions
of different plans never wait on each other and an event never stales the plan's version. Signed
checkpoints (approvals/audit_checkpoints.py) catch a truncated tail or a chain rewritten from
scratch by someone without the key; verify() compares every chain with the latest one.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, String, cast, literal, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from approvals.actor import PUBLIC_ROLE, Actor
from approvals.db import utcnow
from approvals.i18n import N_
from approvals.models import AuditCheckpoint, AuditEvent, AuditHead, Plan
from approvals.rules.content import canonical_json

SYSTEM_CHAIN = "system"
CHECKPOINT_CHAIN = "checkpoints"  # the checkpoints' own sequence: its AuditHead row, and their findings
# session.info key: a system event was recorded in this transaction, so a checkpoint is due at commit.
CHECKPOINT_DUE = "audit_checkpoint_due"

# What each recorded action means, for people reading the trail.
ACTION_LABELS = {
    "plan.created": N_("创建方案"),
    "plan.updated": N_("修改方案"),
    "roster.imported": N_("导入职工实名制台账"),
    "roster.worker_edited": N_("修改职工信息"),
    "funding.evidence_added": N_("上传资金证明材料"),
    "funding.evidence_removed": N_("删除资金证明材料"),
    "objection.received": N_("收到职工异议"),
    "objection.accept": N_("受理职工异议"),
    "objection.verify": N_("核实职工异议"),
    "objection.reply": N_("答复职工异议"),
    "objection.close": N_("职工异议办结"),
    "objection.reopen": N_("职工异议重新办理"),
    "plan.reminded": N_("督查催办"),
    "user.contact_set": N_("设置用户联系方式"),
    "user.interface_language_set": N_("选择界面语言"),
    "plan.submitted": N_("提交方案"),
    "process.migrated": N_("流程迁移到新版本"),
    "plan.returned_incomplete": N_("方案不完整，退回补正"),
    "congress.document_uploaded": N_("上传职代会会议材料"),
    "congress.document_replaced": N_("替换职代会会议材料"),
    "congress.vote_recorded": N_("录入职代会表决结果"),
    "congress.vote_escalated": N_("表决超期，提请督查"),
    "review.decided": N_("人社部门审核决定"),
    "risk.assessed": N_("评定风险等级"),
    "roster.verified": N_("核查职工名单"),
    "roster.filing_confirmed": N_("确认联系不上职工的核查备案"),
    "review.escalated": N_("审核超期，提请督查"),
    "working_group.involved": N_("联合工作组参与方案制定"),
    "working_group.advised": N_("联合工作组提出制定意见"),
    "working_group.formed": N_("组建联合工作组"),
    "working_group.decided": N_("联合工作组意见"),
    "plan.published": N_("公布方案"),
    "execution.started": N_("开始实施"),
    "execution.refused": N_("实施条件未满足，拒绝实施"),
    "execution_service.service_recorded": N_("记录就业服务"),
    "execution_service.difficulty_confirmed": N_("认定就业困难人员"),
    "execution_service.difficulty_filed": N_("就业困难人员建档立卡"),
    "execution_service.assistance_recorded": N_("记录“一对一”就业援助"),
    "execution_service.household_recorded": N_("登记家庭"),
    "execution_service.member_added": N_("登记家庭成员"),
    "execution_service.post_recorded": N_("记录上岗情况"),
    "execution_service.support_recorded": N_("记录创业扶持"),
    "execution_service.corrected": N_("更正就业服务记录"),
    "execution_service.withdrawn": N_("撤销就业服务记录"),
    "execution.recorded": N_("登记职工实施情况"),
    "execution.uploaded": N_("批量登记职工实施情况"),
    "execution.corrected": N_("更正职工实施记录"),
    "execution.withdrawn": N_("撤销职工实施记录"),
    "execution.close_refused": N_("尚有未办结事项，不能实施完毕"),
    "execution.closed": N_("方案实施完毕"),
    "plan.amendment_started": N_("变更已公布的方案"),
    "execution.overdue": N_("转移或报送逾期，告知人社部门和督查人员"),
    "execution_service.due_reminded": N_("就业服务最低次数即将到期，提醒企业"),
    "execution_service.overdue": N_("就业服务未达最低次数且已到期，告知人社部门和督查人员"),
    "enterprise.created": N_("新增企业"),
    "enterprise.updated": N_("修改企业信息"),
    "region.created": N_("新增地区"),
    "user.created": N_("新增用户"),
    "user.role_granted": N_("授予角色"),
    "user.role_revoked": N_("撤销角色"),
    "user.deactivated": N_("停用账号"),
    "user.reactivated": N_("启用账号"),
    "user.password_changed": N_("修改密码"),
    "user.password_reset": N_("管理员重置密码"),
    "user.login_locked": N_("登录失败次数过多，暂时锁定"),
    "user.token_revoked": N_("撤销访问令牌"),
    "user.tokens_revoked": N_("撤销全部访问令牌"),
    "working_group.created": N_("新增联合工作组"),
    "wage_parameters.set": N_("设置工资参数"),
    "holidays.set": N_("录入节假日安排"),
    "roster.recomputed": N_("按新录入的工资参数重新计算经济补偿"),
    "parameter.set": N_("设置法定参数"),
    "parameters.seeded": N_("载入随附法定参数"),
    "wage_tier.set": N_("设置最低工资地区类别"),
}


def plan_chain(plan_id: int) -> str:
    return f"plan:{plan_id}"


def plan_chain_sql(plan_id: Any) -> ColumnElement[str]:
    """plan_chain() in SQL, for a plan id column."""
    return literal("plan:") + cast(plan_id, String)


def event_body(event: AuditEvent) -> dict[str, Any]:
    """What an event's hash covers, as JSON values: exported with the hash, anyone can recompute it."""
    return {
        "chain": event.chain,
        "seq": event.seq,
        "prev": event.prev_hash,
        "plan": event.plan_id,
        "actor_id": event.actor_id,
        "actor": event.actor_name,
        "role": event.actor_role,
        "action": event.action,
        "summary": event.summary,
        "addr": event.remote_addr,
        "at": event.occurred_at.isoformat(timespec="microseconds"),
    }


def body_hash(body: dict[str, Any]) -> str:
    """SHA-256 of an event body's canonical JSON."""
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()


def _event_hash(event: AuditEvent) -> str:
    return body_hash(event_body(event))


def record(
    session: Session,
    *,
    actor: Actor,
    role: str,
    action: str,
    summary: dict[str, Any],
    plan: Plan | None = None,
) -> AuditEvent:
    """Append one event to its chain (the plan's, or the system chain) and move the chain's head."""
    if plan is not None and plan.id is None:
        session.flush()
    chain = plan_chain(plan.id) if plan is not None else SYSTEM_CHAIN
    head = lock_head(session, chain)
    event = AuditEvent(
        chain=chain,
        seq=head.seq + 1,
        plan_id=plan.id if plan is not None else None,
        actor_id=actor.user.id if actor.user else None,
        actor_name=actor.name,
        actor_role=role,
        action=action,
        summary=summary,
        remote_addr=actor.remote_addr,
        occurred_at=utcnow(),
        prev_hash=head.hash,
    )
    event.hash = _event_hash(event)
    head.seq, head.hash = event.seq, event.hash
    session.add(event)
    if plan is None and role != PUBLIC_ROLE:
        # An administration step is signed in its own transaction. What anyone without an account can
        # cause (a login lockout) waits for the worker's schedule: otherwise each one would cost a whole
        # checkpoint, and a visitor could make the system sign as often as it likes.
        session.info[CHECKPOINT_DUE] = True
    return event


def lock_head(session: Session, chain: str) -> AuditHead:
    """A chain's head row, locked (FOR UPDATE on PostgreSQL; version-checked everywhere); new if none."""
    locked = select(AuditHead).where(AuditHead.chain == chain).with_for_update()
    head = session.scalars(locked.execution_options(populate_existing=True)).first()
    if head is None:
        head = AuditHead(chain=chain, seq=0, hash="")
        session.add(head)
    return head


def head_of(session: Session, chain: str) -> tuple[int, str]:
    """A chain's recorded head (seq, hash); (0, "") for a chain without events."""
    row = session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.chain == chain)).first()
    return (row[0], row[1]) if row else (0, "")


@dataclass(frozen=True)
class Break:
    event_id: int | None
    chain: str
    seq: int
    problem: str


@dataclass(frozen=True)
class VerifyReport:
    checked: int
    breaks: list[Break]
    per_chain: Counter[str] = field(default_factory=Counter)  # events checked in each chain
    checkpoint: AuditCheckpoint | None = None  # the latest signed checkpoint, if any

    @property
    def ok(self) -> bool:
        return not self.breaks

    @property
    def first(self) -> Break | None:
        return min(self.breaks, key=lambda b: (b.event_id is None, b.event_id or 0, b.seq), default=None)


@dataclass(frozen=True)
class Reference:
    """Chain heads some signed record vouches for: {chain: (seq, hash)}, and how to name it."""

    heads: dict[str, tuple[int, str]]
    label: str


def chains_within(
    column: InstrumentedAttribute[str], plans: Select[tuple[int]] | None, system: bool
) -> ColumnElement[bool] | None:
    """A condition on a chain-name column: the chains of `plans` (all when None), and the system chain."""
    if plans is None:
        return None
    scoped = column.in_(select(plan_chain_sql(plans.subquery().c[0])))
    return or_(scoped, column == SYSTEM_CHAIN) if system else scoped


def _walk_chains(session: Session, within: ColumnElement[bool] | None) -> Iterator[tuple[str, list[AuditEvent]]]:
    query = select(AuditEvent).order_by(AuditEvent.chain, AuditEvent.seq).execution_options(yield_per=2000)
    rows = session.scalars(query if within is None else query.where(within))
    chain: str | None = None
    events: list[AuditEvent] = []
    for event in rows:
        if event.chain != chain:
            if chain is not None:
                yield chain, events
            chain, events = event.chain, []
        events.append(event)
    if chain is not None:
        yield chain, events


def _check_chain(chain: str, events: list[AuditEvent]) -> tuple[Break | None, tuple[int, str]]:
    prev, expected = "", 1
    for event in events:
        if event.seq != expected:
            return Break(event.id, chain, expected, f"缺少第{expected}条记录（已被删除）"), (0, "")
        if event.prev_hash != prev:
            return Break(event.id, chain, event.seq, "与前一条记录的哈希不连续"), (0, "")
        if _event_hash(event) != event.hash:
            return Break(event.id, chain, event.seq, "记录内容与其哈希不符（已被修改）"), (0, "")
        prev, expected = event.hash, expected + 1
    return None, (expected - 1, prev)


def _against(chain: str, events: list[AuditEvent], reference: Reference) -> Break | None:
    """The chain must extend the head the reference vouches for: same hash at that position."""
    if chain not in reference.heads:
        return None
    seq, digest = reference.heads[chain]
    if len(events) < seq:
        return Break(None, chain, seq, f"链尾缺失：{reference.label}记载共{seq}条，实存{len(events)}条")
    if events[seq - 1].hash != digest:
        return Break(events[seq - 1].id, chain, seq, f"与{reference.label}不符（链被改写）")
    return None


def _uncovered(chain: str, events: list[AuditEvent], covered: int, before: datetime) -> Break | None:
    """The first event the latest checkpoint does not cover, when it is older than the schedule allows."""
    if len(events) > covered and events[covered].occurred_at < before:
        first = events[covered]
        return Break(first.id, chain, first.seq, f"第{first.seq}条起的记录未纳入任何签名检查点，已超过应签时限")
    return None


def verify(
    session: Session,
    key: bytes,
    plans: Select[tuple[int]] | None = None,
    system: bool = True,
    *,
    max_age: timedelta | None = None,
    now: datetime | None = None,
    references: tuple[Reference, ...] = (),
) -> VerifyReport:
    """Recompute every chain; compare it with its recorded head, the latest signed checkpoint and
    any `references` (an exported copy of the checkpoints).

    `plans` (a SELECT of plan ids) limits the check to those plans' chains, plus the system chain
    when `system`; the checkpoints' own signatures and sequence are always checked. With `max_age`,
    events older than that (at `now`) which no checkpoint covers are a finding.
    """
    from approvals import audit_checkpoints  # it builds on this module

    breaks, latest, trusted = audit_checkpoints.check_sequence(session, key)
    signed = (audit_checkpoints.reference(latest),) if latest is not None and trusted else ()
    before = (now or utcnow()) - max_age if max_age is not None else None
    heads: dict[str, tuple[int, str]] = {}
    per_chain: Counter[str] = Counter()
    broken_chains: set[str] = set()  # a break found in the chain itself: its head is not compared too
    for chain, events in _walk_chains(session, chains_within(AuditEvent.chain, plans, system)):
        per_chain[chain] = len(events)
        broken, heads[chain] = _check_chain(chain, events)
        found = [broken] if broken else [b for ref in signed + references if (b := _against(chain, events, ref))]
        if found:
            breaks.extend(found)
            broken_chains.add(chain)
        if broken:
            continue
        if before is not None and signed:
            covered = signed[0].heads.get(chain, (0, ""))[0]
            breaks.extend(b for b in [_uncovered(chain, events, covered, before)] if b)
    in_scope = _scope(session, plans, system)
    for ref in signed + references:
        for chain, (seq, _digest) in ref.heads.items():
            if chain not in per_chain and (in_scope is None or chain in in_scope):
                breaks.append(Break(None, chain, seq, f"整条链已不存在：{ref.label}记载共{seq}条"))
    recorded = select(AuditHead.chain, AuditHead.seq, AuditHead.hash).where(AuditHead.chain != CHECKPOINT_CHAIN)
    if (within := chains_within(AuditHead.chain, plans, system)) is not None:
        recorded = recorded.where(within)
    recorded_chains = set()
    for chain, seq, digest in session.execute(recorded):
        recorded_chains.add(chain)
        have = heads.get(chain, (0, ""))
        if seq and have != (seq, digest) and chain not in broken_chains:
            breaks.append(Break(None, chain, seq, f"链尾缺失：链头记载共{seq}条，实存{have[0]}条"))
    for chain in per_chain.keys() - recorded_chains:
        breaks.append(Break(None, chain, per_chain[chain], "链头记录缺失"))
    if latest is None and per_chain:
        breaks.append(
            Break(None, CHECKPOINT_CHAIN, 0, f"没有任何签名检查点，却已有{sum(per_chain.values())}条审计记录")
        )
    return VerifyReport(sum(per_chain.values()), breaks, per_chain, latest)


def _scope(session: Session, plans: Select[tuple[int]] | None, system: bool) -> set[str] | None:
    if plans is None:
        return None
    return {plan_chain(pid) for pid in session.scalars(plans)} | ({SYSTEM_CHAIN} if system else set())
